"""Near-duplicates: MinHash LSH (``helpers.reprints.find_near_duplicates``) against exact all-pairs comparison.

At 20,000 documents (default) in a fresh process:

* **project**: ``find_near_duplicates(texts)`` — shingles, MinHash signatures, LSH buckets give candidate pairs,
  each candidate confirmed on its exact shingle sets; no all-pairs comparison.
* **baseline**: the same shingle sets (same normalisation, template and common-shingle filtering), then the
  containment of *every* pair, computed as a blocked sparse product ``A @ A.T`` of the document × shingle
  incidence matrix (the fastest exact way in NumPy/SciPy; a Python loop over the ~2·10⁸ pairs would take hours —
  its cost is estimated from a timed sample and printed too).

Printed: seconds of each, the ratio, the pairs each finds (containment ≥ 0.6 and length ratio ≥ 0.3), the recall
of LSH against the exact pairs, and recall against the known truth of the workload (copies of one base article).

Run: ``python -m benchmarks.bench_near_duplicates [SIZE ...]`` (default ``BENCH_NEARDUP_SIZES`` or 20000).
"""

from __future__ import annotations

import json
import os
import sys
import time

from benchmarks.workload import peak_rss_mb, print_table, run_child, workload_file, write_csv

MODULE = "benchmarks.bench_near_duplicates"
THRESHOLD, MIN_LENGTH_RATIO = 0.6, 0.3


def _records(n: int) -> list[dict]:
    with open(workload_file(n), encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def exact_pairs(sets: list[set[int]], *, threshold: float, min_length_ratio: float, block: int = 1000) -> set:
    """Every pair ``(i, j)``, ``i < j``, with containment ≥ ``threshold``, by blocked sparse products."""
    import numpy as np
    import scipy.sparse as sp

    col: dict[int, int] = {}
    indptr, indices = [0], []
    for s in sets:
        indices.extend(col.setdefault(h, len(col)) for h in s)
        indptr.append(len(indices))
    n = len(sets)
    A = sp.csr_matrix(
        (np.ones(len(indices), dtype=np.int32), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
        shape=(n, max(1, len(col))),
    )
    size = np.diff(A.indptr).astype(np.float64)
    AT = A.T.tocsc()
    found = set()
    for start in range(0, n, block):
        inter = (A[start : start + block] @ AT).tocoo()
        i = inter.row + start
        j = inter.col
        keep = j > i
        i, j, v = i[keep], j[keep], inter.data[keep].astype(np.float64)
        small, large = np.minimum(size[i], size[j]), np.maximum(size[i], size[j])
        ok = (small > 0) & (v / np.maximum(small, 1) >= threshold) & (small / np.maximum(large, 1) >= min_length_ratio)
        found.update(zip(i[ok].tolist(), j[ok].tolist()))
    return found


def _python_pairs_estimate(sets: list[set[int]], samples: int = 20000) -> float:
    """Seconds a Python loop over all pairs would take, from a timed random sample of pairs."""
    import random

    rng = random.Random(0)
    n = len(sets)
    pairs = [(rng.randrange(n), rng.randrange(n)) for _ in range(samples)]
    t0 = time.perf_counter()
    for a, b in pairs:
        sa, sb = sets[a], sets[b]
        len(sa & sb) / max(1, min(len(sa), len(sb)))
    per_pair = (time.perf_counter() - t0) / samples
    return per_pair * n * (n - 1) / 2


def child(n: int) -> dict:
    from helpers import reprints as rp

    recs = _records(n)
    texts = [r["text"] for r in recs]
    base = [r["base"] for r in recs]

    t0 = time.perf_counter()
    result = rp.find_near_duplicates(texts, threshold=THRESHOLD, min_length_ratio=MIN_LENGTH_RATIO)
    t_lsh = time.perf_counter() - t0
    lsh = {(min(a, b), max(a, b)) for a, b in zip(result.pairs["doc_a"], result.pairs["doc_b"])}
    rss_lsh = peak_rss_mb()

    t0 = time.perf_counter()
    s = result.settings
    doc_paras = rp._normalized_paragraphs(texts, s["min_paragraph_chars"])
    template = rp.template_paragraphs(doc_paras, k=s["k"]) if s["drop_template"] else set()
    values, offsets = rp._doc_shingle_arrays(doc_paras, k=s["k"], drop=template)
    values, offsets, _ = rp._filter_common(values, offsets, result.dropped_shingles["max_df_cutoff"])
    sets = [set(values[offsets[i] : offsets[i + 1]].tolist()) for i in range(len(offsets) - 1)]
    t_prep = time.perf_counter() - t0
    t0 = time.perf_counter()
    exact = exact_pairs(sets, threshold=THRESHOLD, min_length_ratio=MIN_LENGTH_RATIO)
    t_pairs = time.perf_counter() - t0
    python_estimate = _python_pairs_estimate(sets)

    truth = set()
    by_base: dict[str, list[int]] = {}
    for i, b in enumerate(base):
        by_base.setdefault(b, []).append(i)
    for b, members in by_base.items():
        if not b:  # remixes: new articles, no known original
            continue
        truth.update((a, b) for k, a in enumerate(members) for b in members[k + 1 :])
    return {
        "docs": n,
        "lsh_s": t_lsh,
        "exact_s": t_prep + t_pairs,
        "exact_pairs_only_s": t_pairs,
        "python_all_pairs_est_s": python_estimate + t_prep,
        "lsh_pairs": len(lsh),
        "exact_pairs": len(exact),
        "recall_vs_exact": len(lsh & exact) / max(1, len(exact)),
        "lsh_not_exact": len(lsh - exact),
        "truth_pairs": len(truth),
        "lsh_recall_truth": len(lsh & truth) / max(1, len(truth)),
        "exact_recall_truth": len(exact & truth) / max(1, len(truth)),
        "peak_rss_lsh_mb": rss_lsh,
        "peak_rss_mb": peak_rss_mb(),
    }


def run(sizes: list[int]) -> list[dict]:
    rows = []
    for n in sizes:
        workload_file(n)
        r = run_child(MODULE, n)
        r["x_vs_sparse_exact"] = r["exact_s"] / r["lsh_s"]
        r["x_vs_python_pairs"] = r["python_all_pairs_est_s"] / r["lsh_s"]
        rows.append(r)
    print_table(rows, "near-duplicates: MinHash LSH vs exact all-pairs containment (same shingles)")
    write_csv(rows, "near_duplicates")
    return rows


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        print(json.dumps(child(int(argv[1]))))
        return
    sizes = [int(a) for a in argv] or [int(s) for s in os.environ.get("BENCH_NEARDUP_SIZES", "20000").split(",")]
    run(sizes)


if __name__ == "__main__":
    main(sys.argv[1:])
