"""Task ``near_duplicates``: :func:`helpers.reprints.find_near_duplicates` against datasketch's ``MinHashLSH``.

Input: the cleaned texts of the workload. Both sides do the whole job, from text to reprint clusters, with the same
settings (``find_near_duplicates``'s defaults: 5-character shingles, 128 permutations, LSH threshold 0.2,
containment ≥ 0.6):

* ours: ``find_near_duplicates(texts)`` (MinHash signatures and LSH bands with NumPy);
* peer: the same shingles (``helpers.reprints``' normalisation, template and common-shingle filters, imported),
  then datasketch: ``MinHash.bulk`` signatures (the same permutations: ``seed + 1``, ``hashfunc=int``), every
  document inserted into a ``MinHashLSH`` and queried, and the candidates confirmed on the exact shingle sets and
  clustered as ours are (``cluster_pairs``).

Both return the number of confirmed pairs and clusters and a digest of the pairs: equal digests mean the same
result.
"""

from __future__ import annotations

import hashlib
import inspect

import numpy as np

from benchmarks.workload import cleaned_texts

TASK = "near_duplicates"
OURS = "helpers.reprints.find_near_duplicates"


def inputs(n: int) -> list[str]:
    """The cleaned texts (untimed)."""
    return cleaned_texts(n)


def _summary(pairs: list[tuple[int, int]], n_clusters: int) -> dict:
    digest = hashlib.sha256(np.asarray(sorted(pairs), dtype=np.int64).tobytes()).hexdigest()[:16]
    return {"pairs": len(pairs), "clusters": n_clusters, "pairs_sha256": digest}


def ours(texts: list[str]) -> dict:
    """find_near_duplicates with its defaults."""
    from helpers.reprints import find_near_duplicates

    result = find_near_duplicates(texts)
    pairs = list(zip(result.pairs["doc_a"].tolist(), result.pairs["doc_b"].tolist()))
    return _summary(pairs, result.n_clusters)


def _defaults() -> dict:
    from helpers.reprints import find_near_duplicates

    params = inspect.signature(find_near_duplicates).parameters.values()
    return {p.name: p.default for p in params if p.default is not inspect.Parameter.empty and p.name != "doc_ids"}


def _datasketch(texts: list[str]) -> dict:
    from datasketch import MinHash, MinHashLSH

    from helpers import reprints as rp

    s = _defaults()
    shingled = rp.shingle_documents(texts, s)
    docs = [i for i in range(len(texts)) if shingled.size(i)]
    hashes = MinHash.bulk(
        (shingled.doc(i).tolist() for i in docs), num_perm=s["num_perm"], seed=s["seed"] + 1, hashfunc=int
    )
    lsh = MinHashLSH(threshold=s["lsh_threshold"], num_perm=s["num_perm"])
    with lsh.insertion_session() as session:
        for i, m in zip(docs, hashes):
            session.insert(i, m)
    found = {(min(i, j), max(i, j)) for i, m in zip(docs, hashes) for j in lsh.query(m) if j != i}
    candidates = np.asarray(sorted(found), dtype=np.int64).reshape(-1, 2)
    confirmed = rp.confirmed_pairs(
        shingled, candidates, threshold=s["threshold"], min_length_ratio=s["min_length_ratio"]
    )
    groups = rp.cluster_pairs([(i, j, c) for i, j, c, _, _ in confirmed])
    return _summary([(i, j) for i, j, *_ in confirmed], len(groups))


def peers() -> dict:
    """The peer: datasketch MinHash + MinHashLSH on the same shingles."""
    return {"datasketch MinHashLSH": _datasketch}
