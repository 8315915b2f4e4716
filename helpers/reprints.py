"""Reprint (near-duplicate) detection: character shingles, MinHash/LSH candidates, exact confirmation, clusters.

Chinese news is reprinted with new headers, bylines, editor lines and footers, in Traditional characters, with a
paragraph dropped or moved. The detector works in five steps:

1. **Normalise** each paragraph (:func:`normalize_for_shingles`): NFKC, Traditional -> Simplified (OpenCC
   ``t2s``), lower case, only CJK letters and digits/Latin kept (whitespace and punctuation dropped). Paragraphs
   shorter than ``min_paragraph_chars`` (titles, source and editor lines, "责任编辑：张三") are ignored.
2. **Shingle**: overlapping character ``k``-grams (default 5) hashed to 32-bit integers, per document and per
   paragraph. Paragraph order does not matter for a set of shingles, so a reordered paragraph changes little.
3. **Ignore template text**: a paragraph repeated in three or more documents whose other text is not shared
   (:func:`template_paragraphs`: pages of one site carrying different articles under one footer) is site template,
   not evidence of a reprint; the paragraphs of a story reprinted many times are kept, however many copies there
   are, because their holders share the rest of the story. Template paragraphs are removed only inside documents
   that have other content (:func:`without_template`): a document is never emptied, so a story present several
   times stays a reprint cluster. Shingles found in a large share of all documents (``max_df``) are dropped as
   stock phrases.
4. **Candidates by MinHash/LSH** (``datasketch``'s permutations and bands, computed with NumPy on sorted
   ``uint32`` shingle arrays: the same candidates as its ``MinHashLSH``), then **confirmation** on the exact
   shingle sets: the score is the containment ``|A ∩ B| / min(|A|, |B|)`` (robust to an added header or a dropped
   paragraph), required to be at least ``threshold``; the shorter text must also be at least ``min_length_ratio``
   of the longer one so that a one-paragraph brief does not count as a reprint of a long feature. MinHash noise
   cannot add a false pair.
5. **Cluster** without chaining: within each connected component, a greedy star clustering takes the best-
   connected document as centre and adds a member only if it is confirmed-similar to the centre and to more than
   half the members already in the cluster; so a round-up that quotes two stories does not merge them.

>>> texts = ["国务院扶贫办今天召开会议，部署今年脱贫攻坚工作，要求各地精准施策。\\n会议强调要巩固脱贫成果，防止返贫。",
...          "來源：人民網\\n國務院扶貧辦今天召開會議，部署今年脫貧攻堅工作，要求各地精準施策。\\n會議強調要鞏固脫貧成果，防止返貧。",
...          "今天的足球比赛中，主队以三比一战胜客队，球迷在看台上欢呼雀跃，久久不愿离去。"]
>>> result = find_near_duplicates(texts, doc_ids=["a", "b", "c"], min_paragraph_chars=5)
>>> result.clusters[["cluster", "doc_id", "is_representative"]].values.tolist()
[[0, 'b', True], [0, 'a', False]]
>>> result.n_distinct
2
"""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

__all__ = [
    "normalize_for_shingles",
    "split_paragraphs",
    "shingles",
    "NearDuplicates",
    "find_near_duplicates",
    "find_duplicate_paragraphs",
    "pair_scores",
    "template_paragraphs",
    "without_template",
    "cluster_pairs",
    "make_reprint_benchmark",
    "pair_precision_recall",
    "pairs_from_clusters",
]

_KEEP = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_PARA_SPLIT = re.compile(r"[\r\n]+|</p>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")
_FULL_DATE = re.compile(r"^\d{4}")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def normalize_for_shingles(text: str) -> str:
    """Text reduced to what identifies a story: Simplified CJK, digits and lower-case Latin, nothing else.

    ``著`` is folded into ``着`` so that Traditional 等著 and Simplified 等着 agree (a fingerprint, not display text).

    >>> normalize_for_shingles("脫貧攻堅　戰，ＯＫ！ 2020年")
    '脱贫攻坚战ok2020年'
    """
    t = unicodedata.normalize("NFKC", text).lower()
    t = _t2s().convert(t).replace("著", "着")
    return _KEEP.sub("", t)


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a text: split on line breaks (and ``</p>``/``<br>`` if markup is left), tags removed.

    >>> split_paragraphs("第一段。\\n\\n<p>第二段。</p>")
    ['第一段。', '第二段。']
    """
    parts = (_TAG.sub("", p).strip() for p in _PARA_SPLIT.split(text or ""))
    return [p for p in parts if p]


def shingles(normalized: str, *, k: int = 5) -> set[int]:
    """Hashed character ``k``-grams (CRC32) of an already normalised string; short strings give one shingle.

    >>> len(shingles("abcdefg", k=5))
    3
    """
    return set(_kgram_crcs(normalized, k))


_THREE_BYTE = re.compile(r"[\u0800-\uffff]*")


def _kgram_crcs(normalized: str, k: int) -> list[int]:
    """CRC32 of every character ``k``-gram (with repeats), as :func:`shingles` hashes them."""
    if not normalized:
        return []
    crc = zlib.crc32
    data = normalized.encode("utf-8")
    if len(normalized) <= k:
        return [crc(data)]
    if len(data) == len(normalized):  # ASCII: one byte per character
        return [crc(data[i : i + k]) for i in range(len(data) - k + 1)]
    if len(data) == 3 * len(normalized) and _THREE_BYTE.fullmatch(normalized):  # CJK: three bytes per character
        w = 3 * k
        return [crc(data[i : i + w]) for i in range(0, len(data) - w + 1, 3)]
    # mixed widths (CJK with digits): byte offset of every character from its code point, then slice the bytes
    cp = np.frombuffer(normalized.encode("utf-32-le"), dtype=np.uint32)
    width = 1 + (cp >= 0x80).astype(np.int64) + (cp >= 0x800) + (cp >= 0x10000)
    at = np.zeros(len(cp) + 1, dtype=np.int64)
    np.cumsum(width, out=at[1:])
    at = at.tolist()
    return [crc(data[at[i] : at[i + k]]) for i in range(len(normalized) - k + 1)]


def _shingle_array(paragraphs, k: int) -> np.ndarray:
    """The shingles of some paragraphs as one sorted ``uint32`` array without repeats (4 bytes a shingle)."""
    values: list[int] = []
    for p in paragraphs:
        values += _kgram_crcs(p, k)
    return np.unique(np.array(values, dtype=np.uint32))


@dataclass
class NearDuplicates:
    """Result of :func:`find_near_duplicates`.

    Attributes
    ----------
    clusters : one row per document in a cluster of two or more: ``cluster, doc_id, similarity`` (containment
        with the representative), ``is_representative``, ``is_earliest`` (earliest dated member; all False when no
        dates), ``date``, ``n_members``. Singletons are not listed.
    pairs : every confirmed pair ``doc_a, doc_b, containment, jaccard, length_ratio`` (before clustering).
    n_documents, n_distinct : documents, and distinct stories (singletons + one per cluster).
    settings : the parameters used.
    dropped_shingles : how many distinct shingles were dropped as too common, and the ``max_df`` cut-off; how many
        template paragraphs were found, and how many documents kept them because they had nothing else.
    """

    clusters: pd.DataFrame
    pairs: pd.DataFrame
    n_documents: int
    n_distinct: int
    settings: dict = field(default_factory=dict)
    dropped_shingles: dict = field(default_factory=dict)


def _normalized_paragraphs(texts: Sequence[str], min_paragraph_chars: int) -> list[list[str]]:
    out = []
    for text in texts:
        paras = [normalize_for_shingles(p) for p in split_paragraphs(text)]
        kept = [p for p in paras if len(p) >= min_paragraph_chars]
        if not kept:  # a text made only of short lines: use them all rather than nothing
            kept = [p for p in paras if p]
        out.append(list(dict.fromkeys(kept)))
    return out


def template_paragraphs(
    doc_paras: list[list[str]], *, k: int = 5, min_docs: int = 3, min_own: int = 30, max_shared: float = 0.3
) -> set[str]:
    """Normalised paragraphs that are site template: repeated in ``min_docs`` or more documents that otherwise differ.

    A paragraph repeated verbatim across documents is either template (a footer, a copyright notice, navigation)
    or part of a reprinted story. The two differ in what else the holders share. Take a holder's other text (its
    paragraphs that are not themselves repeated in ``min_docs`` documents): pages of one site each carry their own
    article, found in none of the other holders; reprints of one story share the rest of the story. A paragraph is
    template when, for the median holder, less than ``max_shared`` of the shingles of that other text occur in the
    other holders. A holder with less than ``min_own`` shingles of other text (a copy that is all story, or all
    template) gives no evidence and counts as sharing.

    >>> body = ["今年全县新建扶贫车间十二个带动就业", "山区学校新学期开学迎来支教老师", "合作社种植茶叶亩产收入翻番增长",
    ...         "易地搬迁群众住进新房生活环境改善"]
    >>> docs = [["版权所有未经授权不得转载违者必究", b] for b in body]
    >>> sorted(template_paragraphs(docs, min_own=5))
    ['版权所有未经授权不得转载违者必究']
    """
    holders: dict[str, list[int]] = defaultdict(list)
    for i, paras in enumerate(doc_paras):
        for p in paras:
            holders[p].append(i)
    frequent = {p for p, h in holders.items() if len(h) >= min_docs}
    if not frequent:
        return set()
    # shingles as sorted uint32 arrays (4 bytes each, instead of ~65 for an int in a Python set), computed once
    # per frequent paragraph and per holder (a document holding several frequent paragraphs is in several groups)
    para_sh: dict[str, np.ndarray] = {}
    own_sh: dict[int, np.ndarray] = {}  # a holder's other text
    all_sh: dict[int, np.ndarray] = {}  # all of a holder's text

    def doc_arrays(i: int) -> tuple[np.ndarray, np.ndarray]:
        if i not in own_sh:
            own_sh[i] = _shingle_array([p for p in doc_paras[i] if p not in frequent], k)
            parts = [own_sh[i]]
            for p in doc_paras[i]:
                if p in frequent:
                    if p not in para_sh:
                        para_sh[p] = _shingle_array([p], k)
                    parts.append(para_sh[p])
            all_sh[i] = np.unique(np.concatenate(parts))
        return all_sh[i], own_sh[i]

    by_holders: dict[tuple[int, ...], list[str]] = defaultdict(list)
    for p in frequent:
        by_holders[tuple(holders[p])].append(p)
    template: set[str] = set()
    for group, paras in by_holders.items():
        values, counts = np.unique(np.concatenate([doc_arrays(i)[0] for i in group]), return_counts=True)
        shared = values[counts >= 2]
        shares = []
        for i in group:
            own = doc_arrays(i)[1]
            if len(own) < min_own:
                shares.append(1.0)
            else:
                shares.append(np.isin(own, shared, assume_unique=True).sum() / len(own))
        shares.sort()
        if shares[len(shares) // 2] < max_shared:
            template.update(paras)
    return template


def without_template(doc_paras: list[list[str]], template: set[str]) -> tuple[list[list[str]], int]:
    """Each document's paragraphs with the ``template`` ones left out, except where that would leave nothing.

    Template removal only ever removes paragraphs *inside* documents that also have other content: a document made
    only of paragraphs found elsewhere is a story present several times (a reprint), not a page of a site, so it
    keeps all its paragraphs. Returns the paragraphs and how many documents were kept whole this way.

    >>> without_template([["页脚", "正文一"], ["页脚"]], {"页脚"})
    ([['正文一'], ['页脚']], 1)
    """
    out, kept_whole = [], 0
    for paras in doc_paras:
        rest = [p for p in paras if p not in template]
        if paras and not rest:
            rest, kept_whole = list(paras), kept_whole + 1
        out.append(rest)
    return out, kept_whole


def _doc_shingle_arrays(
    doc_paras: list[list[str]], *, k: int, drop: set[str] | frozenset[str] = frozenset()
) -> tuple[np.ndarray, np.ndarray]:
    """Every document's shingles (``drop`` paragraphs left out as :func:`without_template` does) in one CSR-like
    pair ``(values, offsets)``.

    Document ``i`` holds ``values[offsets[i]:offsets[i + 1]]``, sorted and without repeats: 4 bytes a shingle and
    one array in all, instead of a Python set (~65 bytes a shingle) per document.
    """
    if drop:
        doc_paras = without_template(doc_paras, set(drop))[0]
    arrays = [_shingle_array(paras, k) for paras in doc_paras]
    offsets = np.zeros(len(arrays) + 1, dtype=np.int64)
    np.cumsum([len(a) for a in arrays], out=offsets[1:])
    values = np.concatenate(arrays) if arrays else np.empty(0, dtype=np.uint32)
    return values, offsets


def _max_df_cutoff(n_docs: int, max_df: float | int) -> int:
    if isinstance(max_df, float) and max_df < 1:
        return max(2, math.ceil(max_df * n_docs))
    return max(2, int(max_df))


def _filter_common(values: np.ndarray, offsets: np.ndarray, cutoff: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Drop the shingles found in more than ``cutoff`` documents; return ``(values, offsets, n_dropped)``."""
    if not len(values):
        return values, offsets, 0
    ordered = np.sort(values)  # each document holds a shingle once, so a run's length is its document frequency
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    counts = np.diff(np.r_[starts, len(ordered)])
    common = ordered[starts[counts > cutoff]]
    del ordered, starts, counts
    if not len(common):
        return values, offsets, 0
    keep = np.ones(len(values), dtype=bool)
    step = 1 << 22
    for lo in range(0, len(values), step):
        chunk = values[lo : lo + step]
        pos = np.minimum(np.searchsorted(common, chunk), len(common) - 1)
        keep[lo : lo + step] = common[pos] != chunk
    kept = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(keep, out=kept[1:])
    return values[keep], kept[offsets], len(common)


_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, as datasketch applies it to the input hashes (scheme ``affine32``)."""
    s1, m1, s2, m2, s3 = _FMIX32
    h = h ^ (h >> s1)
    h = h * m1
    h = h ^ (h >> s2)
    h = h * m2
    return h ^ (h >> s3)


def _minhash_signatures(values: np.ndarray, offsets: np.ndarray, *, num_perm: int, seed: int) -> np.ndarray:
    """MinHash signatures (``n x num_perm``) equal to datasketch's ``MinHash(num_perm, seed=seed + 1,
    hashfunc=int).update_batch(shingles)``, computed for many documents at once with NumPy.

    Rows of documents without shingles are left at the maximum hash value (they are never indexed).
    """
    from datasketch import MinHash

    template = MinHash(num_perm=num_perm, seed=seed + 1, hashfunc=int)
    n = len(offsets) - 1
    lengths = np.diff(offsets)
    if template.scheme != "affine32":  # another datasketch default: let datasketch compute every signature
        sig = np.empty((n, num_perm), dtype=template.hashvalues.dtype)
        for i in range(n):
            m = MinHash(num_perm=num_perm, hashfunc=int, permutations=template.permutations, scheme=template.scheme)
            m.update_batch(values[offsets[i] : offsets[i + 1]].tolist())
            sig[i] = m.hashvalues
        return sig
    a, b = (np.asarray(x, dtype=np.uint32) for x in template.permutations)
    sig = np.full((n, num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    budget = max(1, (64 << 20) // (4 * num_perm))  # shingles per batch: a batch's products take <= 64 MB
    start = 0
    while start < n:
        stop = int(np.searchsorted(offsets, offsets[start] + budget, side="right")) - 1
        stop = min(n, max(stop, start + 1))
        lo, hi = offsets[start], offsets[stop]
        filled = np.flatnonzero(lengths[start:stop])
        if len(filled):
            hv = _fmix32(values[lo:hi])
            phv = a[:, None] * hv[None, :] + b[:, None]  # uint32 arithmetic wraps: the modulo 2**32 of datasketch
            sig[start + filled] = np.minimum.reduceat(phv, offsets[start + filled] - lo, axis=1).T
        start = stop
    return sig


def _lsh_candidates(
    values: np.ndarray, offsets: np.ndarray, *, num_perm: int, lsh_threshold: float, seed: int
) -> np.ndarray:
    """Candidate pairs ``(j, i)``, ``j < i``, sorted: documents whose MinHash signatures agree on a whole band.

    The same pairs as inserting every non-empty document into datasketch's ``MinHashLSH(threshold=lsh_threshold,
    num_perm=num_perm)`` after querying it (same bands and rows), without the index: each band's keys are sorted
    and equal runs give the pairs. Memory is the signatures (``n x num_perm`` 4-byte values) and the pairs.
    """
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=lsh_threshold, num_perm=num_perm)
    n = len(offsets) - 1
    docs = np.flatnonzero(np.diff(offsets) > 0)
    sig = _minhash_signatures(values, offsets, num_perm=num_perm, seed=seed)[docs]
    codes = np.empty(0, dtype=np.int64)
    m = len(docs)
    if m < 2:
        return np.empty((0, 2), dtype=np.int64)
    pos = np.arange(m)
    for lo, hi in lsh.hashranges:
        keys = sig[:, lo:hi]
        order = np.lexsort(keys.T[::-1])  # stable: equal keys stay in ascending document order
        ks = keys[order]
        new_run = np.r_[True, np.any(ks[1:] != ks[:-1], axis=1)]
        run_start = np.flatnonzero(new_run)
        run_end = np.r_[run_start[1:], m]
        after = np.repeat(run_end, run_end - run_start) - pos - 1  # later members of its run, for each position
        if not after.any():
            continue
        first = np.repeat(pos, after)
        step = np.arange(len(first)) - np.repeat(np.cumsum(after) - after, after) + 1
        d = docs[order]
        band = d[first] * n + d[first + step]
        codes = np.union1d(codes, band)
    return np.column_stack([codes // n, codes % n])


def _intersection_size(a: np.ndarray, b: np.ndarray) -> int:
    """``|a ∩ b|`` of two sorted arrays without repeats."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return 0
    pos = np.minimum(np.searchsorted(b, a), len(b) - 1)
    return int(np.count_nonzero(b[pos] == a))


def _array_scores(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """:func:`pair_scores` of two sorted shingle arrays without repeats (same numbers as on sets)."""
    la, lb = len(a), len(b)
    if not la or not lb:
        return 0.0, 0.0, 0.0
    inter = _intersection_size(a, b)
    small, large = sorted((la, lb))
    return inter / small, inter / (la + lb - inter), small / large


def pair_scores(a: set, b: set) -> tuple[float, float, float]:
    """``(containment, jaccard, length_ratio)`` of two shingle sets.

    >>> pair_scores({1, 2, 3, 4}, {1, 2, 3})
    (1.0, 0.75, 0.75)
    """
    if not a or not b:
        return 0.0, 0.0, 0.0
    inter = len(a & b)
    small, large = sorted((len(a), len(b)))
    return inter / small, inter / (len(a) + len(b) - inter), small / large


def cluster_pairs(n: int, pairs: Sequence[tuple[int, int, float]]) -> list[list[int]]:
    """Clusters (lists of indices, size >= 2) from confirmed pairs ``(i, j, score)`` without chaining.

    Within a connected component the best-connected node is the centre; a node joins when it is linked to the
    centre and to more than half of the members so far. Leftovers are clustered again the same way.

    The next centre is taken from a heap of the nodes' link strengths (updated only for the neighbours of the
    nodes just clustered), so the cost grows with the number of pairs, not with the square of the nodes.

    >>> cluster_pairs(4, [(0, 1, 0.9), (1, 2, 0.9)])  # 0 and 2 share only 1 (a round-up): no chain
    [[1, 0]]
    >>> cluster_pairs(3, [(0, 1, 0.9), (1, 2, 0.9), (0, 2, 0.8)])
    [[1, 0, 2]]
    """
    import heapq

    adj: dict[int, dict[int, float]] = defaultdict(dict)
    for i, j, s in pairs:
        adj[i][j] = s
        adj[j][i] = s
    remaining = set(adj)

    def strength(v: int) -> tuple:
        # links among the remaining nodes and their total score (summed in the same order every time)
        links = [s for u, s in adj[v].items() if u in remaining]
        return (len(links), sum(links))

    current = {v: strength(v) for v in adj}
    # the node with most links among the remaining, then highest total score, then lowest index
    heap = [(-c[0], -c[1], v) for v, c in current.items()]
    heapq.heapify(heap)
    clusters: list[list[int]] = []
    while heap:
        neg_links, neg_total, centre = heapq.heappop(heap)
        if centre not in remaining or current[centre] != (-neg_links, -neg_total):
            continue  # an outdated entry: the node was clustered, or lost links since
        nbrs = sorted((u for u in adj[centre] if u in remaining), key=lambda u: (-adj[centre][u], u))
        if not nbrs:
            remaining.discard(centre)
            continue
        members = [centre]
        for u in nbrs:
            linked = sum(1 for m in members if m in adj[u])
            if linked * 2 > len(members):
                members.append(u)
        if len(members) >= 2:
            clusters.append(members)
        remaining -= set(members)
        for u in {u for m in members for u in adj[m] if u in remaining}:
            c = strength(u)
            if c != current[u]:
                current[u] = c
                heapq.heappush(heap, (-c[0], -c[1], u))
    clusters.sort(key=lambda c: min(c))
    return [[c[0], *sorted(c[1:])] for c in clusters]


def find_near_duplicates(
    texts: Sequence[str],
    *,
    doc_ids: Sequence | None = None,
    dates: Sequence | None = None,
    threshold: float = 0.6,
    k: int = 5,
    num_perm: int = 128,
    lsh_threshold: float = 0.2,
    max_df: float | int = 0.2,
    min_max_df: int = 30,
    min_paragraph_chars: int = 15,
    min_length_ratio: float = 0.3,
    drop_template: bool = True,
    seed: int = 0,
) -> NearDuplicates:
    """Find reprints: clusters of documents that tell the same story (see the module docstring for the method).

    Parameters
    ----------
    texts : document texts (cleaned or raw; paragraphs separated by line breaks).
    doc_ids, dates : identifiers and dates (``YYYY-MM-DD`` strings sort correctly; missing dates are ignored).
    threshold : minimum containment of shingles for a confirmed pair.
    k : shingle length in characters.
    num_perm, lsh_threshold : MinHash size and the (Jaccard) threshold of the LSH candidate search, set below
        ``threshold`` so that containment pairs with a lower Jaccard are still found.
    max_df, min_max_df : shingles in more than ``max(min_max_df, max_df * n)`` documents (``max_df`` < 1) or more
        than ``max_df`` documents (an integer) are dropped as template or stock phrases.
    min_paragraph_chars : paragraphs shorter than this (normalised characters) are ignored.
    min_length_ratio : the shorter document must have at least this share of the longer one's shingles.
    drop_template : ignore template paragraphs (:func:`template_paragraphs`: repeated in three or more documents
        that otherwise share little) inside documents that have other text, before the shingle document-frequency
        filter; a document made only of such paragraphs keeps them (it is never emptied).
    seed : MinHash seed.
    """
    n = len(texts)
    ids = list(doc_ids) if doc_ids is not None else list(range(n))
    if len(ids) != n:
        raise ValueError(f"{len(ids)} doc_ids for {n} texts")
    settings = dict(
        threshold=threshold,
        k=k,
        num_perm=num_perm,
        lsh_threshold=lsh_threshold,
        max_df=max_df,
        min_max_df=min_max_df,
        min_paragraph_chars=min_paragraph_chars,
        min_length_ratio=min_length_ratio,
        drop_template=drop_template,
        seed=seed,
    )
    doc_paras = _normalized_paragraphs(list(texts), min_paragraph_chars)
    template = template_paragraphs(doc_paras, k=k) if drop_template else set()
    doc_paras, kept_whole = without_template(doc_paras, template)
    values, offsets = _doc_shingle_arrays(doc_paras, k=k)
    del doc_paras
    cutoff = max(min_max_df, _max_df_cutoff(n, max_df)) if isinstance(max_df, float) and max_df < 1 else int(max_df)
    values, offsets, n_common = _filter_common(values, offsets, cutoff)

    def doc(i: int) -> np.ndarray:
        return values[offsets[i] : offsets[i + 1]]

    cands = _lsh_candidates(values, offsets, num_perm=num_perm, lsh_threshold=lsh_threshold, seed=seed)
    confirmed = []
    rows = []
    for i, j in cands.tolist():
        c, jac, ratio = _array_scores(doc(i), doc(j))
        if c >= threshold and ratio >= min_length_ratio:
            confirmed.append((i, j, c))
            rows.append((ids[i], ids[j], round(c, 6), round(jac, 6), round(ratio, 6)))
    pairs = pd.DataFrame(rows, columns=["doc_a", "doc_b", "containment", "jaccard", "length_ratio"])
    groups = cluster_pairs(n, confirmed)
    out_rows = []
    for cid, members in enumerate(groups):
        sims = np.ones((len(members), len(members)))
        for pa in range(len(members)):
            for pb in range(pa + 1, len(members)):
                sims[pa, pb] = sims[pb, pa] = _array_scores(doc(members[pa]), doc(members[pb]))[0]
        lengths = np.array([offsets[m + 1] - offsets[m] for m in members])
        rep_pos = int(np.lexsort((-lengths, -sims.mean(axis=1)))[0])  # medoid, then the longest
        member_dates = [_date_key(dates[m]) if dates is not None else None for m in members]
        dated = [(d, p) for p, d in enumerate(member_dates) if d is not None and _FULL_DATE.match(d)]
        if not dated:  # only dates without a year (--MM-DD): compare those
            dated = [(d, p) for p, d in enumerate(member_dates) if d is not None]
        earliest = min(dated)[1] if dated else None
        for p, m in enumerate(members):
            out_rows.append(
                {
                    "cluster": cid,
                    "doc_id": ids[m],
                    "similarity": round(float(sims[rep_pos, p]), 6),
                    "is_representative": p == rep_pos,
                    "is_earliest": p == earliest,
                    "date": member_dates[p],
                    "n_members": len(members),
                }
            )
    clusters = pd.DataFrame(
        out_rows, columns=["cluster", "doc_id", "similarity", "is_representative", "is_earliest", "date", "n_members"]
    )
    if len(clusters):
        clusters = clusters.sort_values(
            ["cluster", "is_representative", "similarity"], ascending=[True, False, False], kind="stable"
        ).reset_index(drop=True)
    n_distinct = n - sum(len(g) - 1 for g in groups)
    return NearDuplicates(
        clusters=clusters,
        pairs=pairs,
        n_documents=n,
        n_distinct=n_distinct,
        settings=settings,
        dropped_shingles={
            "max_df_cutoff": cutoff,
            "n_dropped": n_common,
            "template_paragraphs": len(template),
            "documents_kept_whole": kept_whole,
        },
    )


def _date_key(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    s = str(value).strip()
    return s or None


def find_duplicate_paragraphs(
    texts: Sequence[str],
    *,
    doc_ids: Sequence | None = None,
    threshold: float = 0.8,
    k: int = 5,
    num_perm: int = 64,
    min_chars: int = 30,
    max_df: float | int = 0.05,
    min_max_df: int = 8,
    seed: int = 0,
) -> pd.DataFrame:
    """Near-duplicate paragraphs shared by different documents (partial reprints, quoted passages).

    Returns ``doc_a, paragraph_a, doc_b, paragraph_b, jaccard, text_a`` (paragraph numbers from 0, as in
    :func:`split_paragraphs`), pairs with Jaccard >= ``threshold`` on ``k``-shingles; paragraphs shorter than
    ``min_chars`` normalised characters are skipped, and so are paragraphs repeated in more than
    ``max(min_max_df, max_df * n_docs)`` documents (template text).

    >>> t = "各地扎实推进脱贫攻坚，贫困群众收入持续增长，生活水平明显提高，幸福感不断增强。"
    >>> find_duplicate_paragraphs([t + "\\n甲", "乙\\n" + t], doc_ids=["a", "b"])[["doc_a", "paragraph_b"]].values.tolist()
    [['a', 1]]
    """
    from datasketch import MinHash, MinHashLSH

    ids = list(doc_ids) if doc_ids is not None else list(range(len(texts)))
    units = []  # (doc index, paragraph index, raw text, shingles)
    for d, text in enumerate(texts):
        for p, para in enumerate(split_paragraphs(text)):
            norm = normalize_for_shingles(para)
            if len(norm) >= min_chars:
                units.append((d, p, para, shingles(norm, k=k)))
    cutoff = (
        max(min_max_df, _max_df_cutoff(len(texts), max_df)) if isinstance(max_df, float) and max_df < 1 else int(max_df)
    )
    # a paragraph found (near-)verbatim in very many documents is template text: count documents per exact paragraph
    exact_df: dict[str, set[int]] = defaultdict(set)
    for d, _, para, _ in units:
        exact_df[normalize_for_shingles(para)].add(d)
    template = {key for key, docs in exact_df.items() if len(docs) > cutoff}
    template_ok = [normalize_for_shingles(u[2]) not in template for u in units]
    template_mh = MinHash(num_perm=num_perm, seed=seed + 1, hashfunc=int)
    lsh = MinHashLSH(threshold=max(0.1, threshold - 0.2), num_perm=num_perm)
    rows = []
    for ui, (d, p, _para, s) in enumerate(units):
        if not template_ok[ui]:
            continue
        m = MinHash(num_perm=num_perm, hashfunc=int, permutations=template_mh.permutations, scheme=template_mh.scheme)
        m.update_batch(sorted(s))
        for uj in lsh.query(m):
            d2, p2, para2, s2 = units[uj]
            if d2 == d:
                continue
            jac = len(s & s2) / len(s | s2)
            if jac >= threshold:
                rows.append((ids[d2], p2, ids[d], p, round(jac, 6), para2[:80]))
        lsh.insert(ui, m)
    out = pd.DataFrame(rows, columns=["doc_a", "paragraph_a", "doc_b", "paragraph_b", "jaccard", "text_a"])
    return out.sort_values(
        ["jaccard", "doc_a", "paragraph_a"], ascending=[False, True, True], kind="stable"
    ).reset_index(drop=True)


# --- validation -----------------------------------------------------------------------------------------------
def pairs_from_clusters(clusters: pd.DataFrame, *, cluster_col: str = "cluster", id_col: str = "doc_id") -> set:
    """All unordered pairs of documents that share a cluster (``frozenset`` of two ids).

    >>> sorted(tuple(sorted(p)) for p in pairs_from_clusters(pd.DataFrame({"cluster": [0, 0, 0], "doc_id": list("abc")})))
    [('a', 'b'), ('a', 'c'), ('b', 'c')]
    """
    out = set()
    for _, g in clusters.groupby(cluster_col):
        members = list(g[id_col])
        for i in range(len(members)):
            for j in range(i + 1, len(members)):
                out.add(frozenset((members[i], members[j])))
    return out


def pair_precision_recall(found: set, truth: set) -> dict:
    """Precision, recall and F1 of found pairs against true pairs (sets of ``frozenset`` pairs).

    >>> pair_precision_recall({frozenset("ab")}, {frozenset("ab"), frozenset("cd")})["recall"]
    0.5
    """
    tp = len(found & truth)
    p = tp / len(found) if found else 1.0
    r = tp / len(truth) if truth else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "pairs_found": len(found),
        "pairs_true": len(truth),
        "true_positives": tp,
        "precision": p,
        "recall": r,
        "f1": f,
    }


_SITES = [
    (
        "人民网",
        [
            "人民日报社概况 关于人民网 报社招聘 招聘英才 广告服务 合作加盟 供稿服务 网站声明 网站律师 信息保护 联系我们",
            "人民网版权所有，未经书面授权禁止使用。Copyright © 1997-2020 by www.people.com.cn. all rights reserved",
            "违法和不良信息举报电话：010-65363263 举报邮箱：jubao@people.cn 互联网新闻信息服务许可证10120170001",
            "人民网新闻客户端下载，人民网微博，人民网微信公众号，领导留言板，人民视频，人民电视，人民网舆情数据中心",
        ],
    ),
    (
        "新华网",
        [
            "新华网版权所有，本站所刊登的各种新闻、信息和各种专题专栏资料，均为新华网版权所有，未经协议授权禁止下载使用。",
            "关于我们 | 版权声明 | 联系我们 | 新华社新闻信息中心 | 新华通讯社 | 新华网客户端 | 新华炫闻 | 新华社发布",
            "京ICP证010042号 京公网安备11010202001 互联网视听节目服务许可证0101611 违法和不良信息举报：010-88050707",
        ],
    ),
    (
        "中国经济网",
        [
            "中国经济网版权及免责声明：凡本网注明“来源：中国经济网”或“来源：经济日报”的所有作品，版权均属于中国经济网，"
            "未经本网授权不得转载、摘编或利用其它方式使用上述作品。凡本网注明“来源：XXX（非中国经济网）”的作品，"
            "均转载自其它媒体，转载目的在于传递更多信息，并不代表本网赞同其观点和对其真实性负责。",
            "中国经济网 网站介绍 网站律师 招聘信息 联系我们 经济日报报业集团法律顾问 北京市鑫诺律师事务所",
        ],
    ),
    (
        "澎湃新闻",
        [
            "关于澎湃 在澎湃工作 联系我们 广告及合作 版权声明 隐私政策 友情链接 澎湃矩阵 澎湃新闻微博 澎湃新闻公众号",
            "沪ICP备14003370号 沪公网安备31010602000299号 互联网新闻信息服务许可证：31120170006 增值电信业务经营许可证",
            "上海东方报业有限公司 © 2014-2020 上海东方报业有限公司 违法和不良信息举报电话：021-962866 举报邮箱",
        ],
    ),
    (
        "凤凰网",
        [
            "凤凰新媒体介绍 投资者关系 Investor Relations 广告服务 诚征英才 保护隐私权 免责条款 意见反馈 凤凰卫视",
            "凤凰网版权所有 © 1998-2020 凤凰网 凤凰新媒体 违法和不良信息举报电话：010-60676717 京ICP证030609号",
            "本周热榜：脱贫攻坚决战决胜之年 各地扶贫产业发展纪实 乡村振兴的新路子 更多精彩内容请下载凤凰新闻客户端",
        ],
    ),
]
_EDITORS = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏"]
_NAV = (
    "首页 | 新闻 | 时政 | 国际 | 财经 | 社会 | 评论 | 视频 | 图片 | 专题 | 地方 | English",
    "当前位置：首页 > 新闻中心 > 国内新闻 > 正文",
)
_RELATED = ["相关新闻", "你会喜欢", "本周热榜", "推荐阅读"]
_NOTES = [
    "脱贫攻坚是全面建成小康社会的底线任务。本网今起推出系列报道，记录各地干部群众攻坚克难、决战决胜的生动实践。",
    "今年是决胜全面建成小康社会、决战脱贫攻坚之年。我们转载这篇报道，供读者了解基层扶贫工作的新进展新经验。",
]


def make_reprint_benchmark(
    texts: Sequence[str],
    *,
    doc_ids: Sequence | None = None,
    titles: Sequence | None = None,
    n_stories: int = 60,
    max_copies: int = 3,
    n_site_pages: int = 30,
    seed: int = 0,
) -> tuple[list[str], list[str], list[str], set]:
    """A reprint test collection built from real stories by the perturbations real sites apply.

    ``n_stories`` stories each get 1..``max_copies`` reprints; each reprint combines several of: another site's
    header (title line, date and source line, navigation bar), a byline, an inserted editor line, an editor's note
    (编者按) before the story, Traditional characters (OpenCC ``s2t``), a dropped paragraph, two paragraphs swapped
    or merged, a few characters edited,
    a site footer (copyright, links, licence numbers), rarely a truncation to the first half. ``n_site_pages`` further stories get no reprint but are
    published on one of the sites with its navigation and footer, so site-template pages sit side by side.
    All other stories are kept as they are.

    Returns
    -------
    (texts, doc_ids, kinds, true_pairs) : the collection (originals first), its ids (reprints are
        ``<id>~r<n>``), what was done to each document, and the set of true reprint pairs (``frozenset``).
    """
    import opencc

    rng = np.random.default_rng(seed)
    s2t = opencc.OpenCC("s2t")
    base_ids = [str(x) for x in (doc_ids if doc_ids is not None else range(len(texts)))]
    base_titles = [str(t) for t in (titles if titles is not None else [""] * len(texts))]
    paras_all = [split_paragraphs(t) for t in texts]
    order = rng.permutation(len(texts))
    eligible = [i for i in order if len(paras_all[i]) >= 1 and len("".join(paras_all[i])) >= 80]
    chosen = eligible[:n_stories]
    templated = eligible[n_stories : n_stories + n_site_pages]

    def site_page(body: list[str], site: int, title: str, with_nav: bool) -> list[str]:
        name, footer = _SITES[site]
        head = list(_NAV) if with_nav else []
        if title:
            head.append(title)
        head.append(
            f"2020-{rng.integers(1, 13):02d}-{rng.integers(1, 29):02d} {rng.integers(0, 24):02d}:"
            f"{rng.integers(0, 60):02d}  来源：{name}"
        )
        tail = [
            f"（责任编辑：{_EDITORS[rng.integers(len(_EDITORS))]}）",
            f"{_RELATED[rng.integers(len(_RELATED))]}：",
            *footer,
        ]
        return head + body + tail

    out_texts = [t for t in texts]
    out_ids = list(base_ids)
    kinds = ["original"] * len(texts)
    truth: set = set()
    for i in templated:
        out_texts[i] = "\n".join(site_page(paras_all[i], int(rng.integers(len(_SITES))), base_titles[i], True))
        kinds[i] = "site_page"
    for i in chosen:
        group = [base_ids[i]]
        for c in range(int(rng.integers(1, max_copies + 1))):
            body = list(paras_all[i])
            done = []
            if len(body) >= 3 and rng.random() < 0.4:
                body.pop(int(rng.integers(len(body))))
                done.append("drop_paragraph")
            if len(body) >= 4 and rng.random() < 0.1:
                body = body[: (len(body) + 1) // 2 + 1] + ["（未完，阅读全文请点击原文链接）"]
                done.append("truncated")
            if len(body) >= 3 and rng.random() < 0.3:
                a = int(rng.integers(len(body) - 1))
                body[a], body[a + 1] = body[a + 1], body[a]
                done.append("swap_paragraphs")
            if len(body) >= 3 and rng.random() < 0.2:
                a = int(rng.integers(len(body) - 1))
                body[a : a + 2] = [body[a] + body[a + 1]]
                done.append("merge_paragraphs")
            if rng.random() < 0.15:
                body.insert(0, "编者按：" + _NOTES[int(rng.integers(len(_NOTES)))])
                done.append("editors_note")
            if rng.random() < 0.4:
                body.insert(int(rng.integers(len(body) + 1)), f"（编辑：{_EDITORS[rng.integers(len(_EDITORS))]}）")
                done.append("editor_line")
            if rng.random() < 0.3:
                body.insert(
                    0,
                    f"（记者 {_EDITORS[rng.integers(len(_EDITORS))]} 通讯员 {_EDITORS[rng.integers(len(_EDITORS))]}）",
                )
                done.append("byline")
            if rng.random() < 0.3:
                j = int(np.argmax([len(b) for b in body]))  # edit the story, not an inserted line
                chars = list(body[j])
                for _ in range(min(3, len(chars))):
                    pos = int(rng.integers(len(chars)))
                    chars[pos] = "的" if chars[pos] != "的" else "了"
                body[j] = "".join(chars)
                done.append("char_edits")
            site = int(rng.integers(len(_SITES)))
            page = site_page(
                body, site, ("原标题：" if rng.random() < 0.3 else "") + base_titles[i], bool(rng.random() < 0.5)
            )
            done.append(f"site:{_SITES[site][0]}")
            text = "\n".join(page)
            if rng.random() < 0.35:
                text = s2t.convert(text)
                done.append("traditional")
            rid = f"{base_ids[i]}~r{c + 1}"
            out_texts.append(text)
            out_ids.append(rid)
            kinds.append("reprint:" + ",".join(done))
            group.append(rid)
        for a in range(len(group)):
            for b in range(a + 1, len(group)):
                truth.add(frozenset((group[a], group[b])))
    return out_texts, out_ids, kinds, truth
