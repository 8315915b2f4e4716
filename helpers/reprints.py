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
>>> result = find_near_duplicates(texts, doc_ids=["a", "b", "c"], min_paragraph_chars=5, min_shared=10)
>>> result.clusters[["cluster", "doc_id", "is_representative"]].values.tolist()
[[0, 'b', True], [0, 'a', False]]
>>> result.n_distinct
2

References
----------
Broder, "On the resemblance and containment of documents", *Compression and Complexity of Sequences* (1997):
shingling, MinHash, resemblance (Jaccard) and containment.
Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*, chapter 3 ("Finding similar items"): locality-sensitive
hashing by bands of MinHash signatures.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .clean import opencc_converter, site_template, split_paragraphs, variant_table
from .tables import plural

__all__ = [
    "normalize_for_shingles",
    "normalized_paragraphs",
    "shingle_documents",
    "doc_shingle_arrays",
    "minhash_signatures",
    "max_df_cutoff",
    "confirmed_pairs",
    "common_values",
    "drop_values",
    "band_candidates",
    "candidate_blocks",
    "confirm_arrays",
    "near_duplicates_result",
    "split_paragraphs",
    "shingles",
    "NearDuplicates",
    "find_near_duplicates",
    "find_duplicate_paragraphs",
    "pair_scores",
    "template_paragraphs",
    "without_template",
    "cluster_pairs",
    "identical_groups",
    "IDENTICAL_COLUMNS",
    "MIN_SHARED_SHINGLES",
    "event_differences",
    "EventDifferences",
    "days_apart",
    "split_template_pairs",
    "MAX_REPRINT_DAYS",
]

_KEEP = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")  # year, month and day: a year alone ("2014", a 年份 column) is no day


def normalize_for_shingles(text: str) -> str:
    """Text reduced to what identifies a story: Simplified CJK, digits and lower-case Latin, nothing else.

    ``著`` is folded into ``着`` so that Traditional 等著 and Simplified 等着 agree (a fingerprint, not display text).

    >>> normalize_for_shingles("脫貧攻堅　戰，ＯＫ！ 2020年")
    '脱贫攻坚战ok2020年'
    """
    t = (text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)).lower()
    t = opencc_converter("t2s").convert(t).translate(variant_table()).replace("著", "着")  # 衞 -> 卫 as cleaning
    return _KEEP.sub("", t)


def shingles(normalized: str, *, k: int = 5) -> set[int]:
    """Hashed character ``k``-grams (CRC32) of an already normalised string; short strings give one shingle.

    Parameters
    ----------
    normalized : str
        Text from :func:`normalize_for_shingles`.
    k : int
        Shingle length in characters.

    Returns
    -------
    set of int
        The CRC32 of every ``k``-gram (one shingle, of the whole string, when it has at most ``k`` characters).

    References
    ----------
    Broder (1997), see the module docstring: a document as its set of ``k``-shingles.

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
    clusters : pandas.DataFrame
        One row per document in a cluster of two or more: ``cluster, doc_id, similarity`` (containment with the
        representative), ``is_representative``, ``is_earliest`` (earliest dated member; all False when no dates),
        ``date``, ``n_members``. Singletons are not listed.
    pairs : pandas.DataFrame
        Every confirmed pair ``doc_a, doc_b, containment, jaccard, length_ratio`` (before clustering).
    n_documents, n_distinct : int
        Documents, and distinct documents (singletons + one per cluster).
    settings : dict
        The parameters used.
    dropped_shingles : dict
        ``n_dropped`` distinct shingles dropped as too common and the cut-off ``max_df_cutoff``;
        ``template_paragraphs`` found, and ``documents_kept_whole`` (documents made only of them, kept whole).
    n_short : int
        Documents with fewer than ``min_shared`` shingles: too short to be tested as reprints.
    identical : pandas.DataFrame
        Short documents whose normalised texts are the same (``group, doc_id, n_members, text``, ``text`` as the
        document writes it): identical texts (a recurring heading, a stock sentence), not reprints of one story.
    templates : pandas.DataFrame
        Confirmed pairs that are the same template, different event (:func:`split_template_pairs`): ``doc_a, doc_b,
        containment, days_apart, differences``; not in ``pairs`` nor in ``clusters``.
    """

    clusters: pd.DataFrame
    pairs: pd.DataFrame
    n_documents: int
    n_distinct: int
    settings: dict = field(default_factory=dict)
    dropped_shingles: dict = field(default_factory=dict)
    n_short: int = 0
    identical: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=IDENTICAL_COLUMNS))
    templates: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_TEMPLATE_COLUMNS))

    @property
    def n_clusters(self) -> int:
        """Reprint clusters found (of two or more documents)."""
        return int(self.clusters["cluster"].nunique())

    def summary(self) -> str:
        """One Markdown sentence saying what was found and what the filters ignored (notebook 04 displays it).

        >>> find_near_duplicates(["甲乙丙丁戊己庚辛", "子丑寅卯辰巳午未"], min_shared=1).summary()[:32]
        'Of 2 documents, no two are repri'
        >>> find_near_duplicates(["甲乙丙丁戊己庚辛", "甲乙丙丁戊己庚辛"]).summary()[:45]
        'Of 2 documents, 0 are long enough to compare;'
        """
        dropped = self.dropped_shingles
        found = (
            f"{len(self.clusters):,} are in {plural(self.n_clusters, 'reprint cluster')}"
            if self.n_clusters
            else "no two are reprints of each other"
        )
        tested = self.n_documents - self.n_short
        found = f"{found}: **{plural(tested - self._merged, 'distinct document')}**"
        if self.n_short:
            found = f"{tested:,} {'is' if tested == 1 else 'are'} long enough to compare; of these, {found}"
        found = f"Of {plural(self.n_documents, 'document')}, {found}"
        return (
            f"{found}. {self.template_sentence()}{self.short_sentence()}Site template: "
            f"{plural(dropped['template_paragraphs'], 'repeated paragraph')} ignored "
            f"({plural(dropped['documents_kept_whole'], 'document')} made only of them kept them); stock phrases: "
            f"{plural(dropped['n_dropped'], 'distinct shingle')} (character sequences) found in more than "
            f"{dropped['max_df_cutoff']:,} documents ignored."
        )

    def template_sentence(self) -> str:
        """What was set apart as the same template, different event ("" when nothing was)."""
        n = len(self.templates)
        if not n:
            return ""
        shown = sorted((d for d in self.templates["differences"] if d), key=lambda d: -d.count("; "))
        first = shown[0].split("; ")[0].split(" / ", 1) if shown else []
        # "651 9850 / 1585" read as a fraction (reviewer M2): say which side holds which
        example = f" (here: {first[0]} in one, {first[1]} in the other)" if len(first) == 2 else ""
        return (
            f"**{plural(n, 'pair')} of similar documents {'is' if n == 1 else 'are'} the same template, different "
            f"event** (listed below), not counted as reprints: their shared sentences hold different names or "
            f"numbers{example}, or they are dated more than {MAX_REPRINT_DAYS} days apart. "
        )

    @property
    def _merged(self) -> int:
        return self.n_documents - self.n_distinct

    def short_sentence(self) -> str:
        """What was not tested: documents below ``min_shared`` shingles and the identical texts among them ("" when
        every document was long enough)."""
        if not self.n_short:
            return ""
        m = self.settings.get("min_shared", MIN_SHARED_SHINGLES)
        chars = m + self.settings.get("k", 5) - 1
        groups = self.identical["group"].nunique()
        same = (
            f" Among them, {len(self.identical):,} are identical texts in {plural(groups, 'group')} (listed below): "
            "the same words, such as a recurring heading, not necessarily the same document."
            if groups
            else ""
        )
        other = "the other document" if self.n_short == 1 else f"the other {self.n_short:,} documents"
        return (
            f"**Reprint detection does not apply to {other}**: with fewer than {m} "
            f"shingles (about {chars} characters of text) left to compare, two items that share only a formula (a "
            f"title and a verb of a recurring report) cannot be told from a reprint, so they are not tested and the "
            f"number of distinct documents among them is not known.{same} "
        )

    def recurring_sentence(self, texts: Sequence[str], doc_ids: Sequence) -> str:
        """Where the texts that recur word for word go here ("" when none recurs): the loading summary counts them
        all (:func:`helpers.corpus.recurring_texts`, the same normalised text); the short ones are the identical
        texts listed apart, the longer ones are compared, and identical long texts are reprint clusters.

        >>> texts = ["国内联播快讯", "国内联播快讯", "会议召开"]
        >>> find_near_duplicates(texts, doc_ids=list("abc")).recurring_sentence(texts, list("abc"))[:48]
        'Texts recurring word for word: 2 documents carry'
        """
        keys = [normalize_for_shingles(t) if isinstance(t, str) else "" for t in texts]
        groups = identical_groups({i: k for i, k in enumerate(keys) if k})
        if not groups:
            return ""
        where = dict.fromkeys(self.identical["doc_id"], "listed as identical short texts")
        where.update(dict.fromkeys(self.clusters["doc_id"], "in reprint clusters"))
        ids = list(doc_ids)
        placed = Counter(where.get(ids[i], "in neither list") for g in groups for i in g)
        texts_in = Counter(place for g in groups for place in {where.get(ids[i], "in neither list") for i in g})
        parts = [
            f"{n:,} ({plural(texts_in[place], 'text')}) {place}"
            for place, n in sorted(placed.items(), key=lambda item: -item[1])
        ]
        n_docs = sum(map(len, groups))
        return (
            f"Texts recurring word for word: {plural(n_docs, 'document')} carry {plural(len(groups), 'text')} that "
            f"{'recurs' if len(groups) == 1 else 'recur'} (the count of the loading summary): {', '.join(parts)}. "
        )

    def counts_phrase(self) -> str:
        """The counts in a few words, for a notebook's summary."""
        tested = self.n_documents - self.n_short
        distinct = (
            f"{plural(tested - self._merged, 'distinct document')} after {plural(self.n_clusters, 'reprint cluster')}"
        )
        phrase = distinct
        if self.n_short:  # the documents compared first, so that a skimmer does not read the distinct count as all
            identical = f", {len(self.identical):,} of them identical texts" if self.n_short > 1 else ""
            phrase = (
                f"{tested:,} long enough to compare for reprints ({plural(self.n_short, 'shorter one')} not tested"
                f"{identical}), {distinct} among them"
            )
        if len(self.templates):
            phrase += f" ({plural(len(self.templates), 'pair')} of one template, different events, not counted)"
        return phrase


def normalized_paragraphs(texts: Sequence[str], min_paragraph_chars: int) -> list[list[str]]:
    """Each text's paragraphs normalised for shingling, those shorter than ``min_paragraph_chars`` left out
    (all of them kept when every paragraph is short)."""
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

    The rule of :func:`helpers.clean.site_template` (the one used for lines by :func:`helpers.corpus.load_corpus`)
    on paragraphs, with ``k``-character shingles as features: a holder's other text is its paragraphs that are not
    themselves repeated in ``min_docs`` documents, and a holder with less than ``min_own`` shingles of it (a copy
    that is all story, or all template) gives no evidence and counts as sharing.

    >>> body = ["今年全县新建扶贫车间十二个带动就业", "山区学校新学期开学迎来支教老师", "合作社种植茶叶亩产收入翻番增长",
    ...         "易地搬迁群众住进新房生活环境改善"]
    >>> docs = [["版权所有未经授权不得转载违者必究", b] for b in body]
    >>> sorted(template_paragraphs(docs, min_own=5))
    ['版权所有未经授权不得转载违者必究']
    """
    return set(
        site_template(
            doc_paras,
            min_docs=min_docs,
            max_shared=max_shared,
            min_own=min_own,
            features=lambda paras: _shingle_array(paras, k),
        )
    )


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


def doc_shingle_arrays(
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


def max_df_cutoff(n_docs: int, max_df: float | int, min_max_df: int) -> int:
    """The most documents a shingle (or paragraph) may occur in before it counts as template or stock phrase:
    ``max(min_max_df, 2, ceil(max_df * n_docs))`` for a share ``max_df`` < 1, else ``max_df`` documents."""
    if isinstance(max_df, float) and max_df < 1:
        return max(min_max_df, 2, math.ceil(max_df * n_docs))
    return int(max_df)


def common_values(values: np.ndarray, cutoff: int) -> np.ndarray:
    """The shingles held by more than ``cutoff`` documents, sorted (each document holds a shingle once in
    ``values``, so a value's count is its document frequency)."""
    if not len(values):
        return values[:0]
    ordered = np.sort(values)
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    counts = np.diff(np.r_[starts, len(ordered)])
    return ordered[starts[counts > cutoff]]


def drop_values(values: np.ndarray, offsets: np.ndarray, common: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(values, offsets)`` without the sorted shingles ``common``, block by block (the CSR layout kept)."""
    if not len(common) or not len(values):
        return values, offsets
    keep = np.ones(len(values), dtype=bool)
    step = 1 << 22
    for lo in range(0, len(values), step):
        chunk = values[lo : lo + step]
        pos = np.minimum(np.searchsorted(common, chunk), len(common) - 1)
        keep[lo : lo + step] = common[pos] != chunk
    kept = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(keep, out=kept[1:])
    return values[keep], kept[offsets]


def _filter_common(values: np.ndarray, offsets: np.ndarray, cutoff: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Drop the shingles found in more than ``cutoff`` documents; return ``(values, offsets, n_dropped)``."""
    common = common_values(values, cutoff)
    values, offsets = drop_values(values, offsets, common)
    return values, offsets, len(common)


_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, as datasketch applies it to the input hashes (scheme ``affine32``)."""
    s1, m1, s2, m2, s3 = _FMIX32
    h = h ^ (h >> s1)
    h = h * m1
    h = h ^ (h >> s2)
    h = h * m2
    return h ^ (h >> s3)


def minhash_signatures(values: np.ndarray, offsets: np.ndarray, *, num_perm: int, seed: int) -> np.ndarray:
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
    and equal runs give the pairs (:func:`band_candidates`). Memory is the signatures (``n x num_perm`` 4-byte
    values) and the pairs.
    """
    sig = minhash_signatures(values, offsets, num_perm=num_perm, seed=seed)
    return band_candidates(sig, np.diff(offsets) > 0, lsh_threshold=lsh_threshold)


#: upper bound on the candidate pairs generated at a time (before removing pairs found by several bands): the
#: candidates are produced and confirmed block by block of first documents, so memory does not grow with their
#: total, which grows about as the square of the documents on large corpora (pairs sharing a stock paragraph);
#: a block's arrays (pairs, their sort, their chunks) take about 100 bytes a pair: 0.5 GB
CANDIDATE_BLOCK_PAIRS = 5_000_000


def _band_runs(
    signatures: np.ndarray, filled: np.ndarray, *, lsh_threshold: float
) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each band of datasketch's ``MinHashLSH(threshold=lsh_threshold)``: the documents in the order of their
    band keys (equal keys in ascending document order) and, per position, how many later positions share its key.
    Bands where no two documents agree are left out."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=lsh_threshold, num_perm=signatures.shape[1])
    docs = np.flatnonzero(filled)
    m = len(docs)
    if m < 2:
        return []
    index_type = np.int32 if len(signatures) < 2**31 else np.int64
    sig = signatures[docs]
    pos = np.arange(m)
    runs = []
    for lo, hi in lsh.hashranges:
        keys = sig[:, lo:hi]
        order = np.lexsort(keys.T[::-1])  # stable: equal keys stay in ascending document order
        ks = keys[order]
        new_run = np.r_[True, np.any(ks[1:] != ks[:-1], axis=1)]
        run_start = np.flatnonzero(new_run)
        run_end = np.r_[run_start[1:], m]
        after = np.repeat(run_end, run_end - run_start) - pos - 1  # later members of its run, for each position
        if after.any():
            runs.append((docs[order].astype(index_type), after.astype(index_type)))
    return runs


def candidate_blocks(
    signatures: np.ndarray, filled: np.ndarray, *, lsh_threshold: float, max_pairs: int = CANDIDATE_BLOCK_PAIRS
):
    """The candidate pairs of :func:`band_candidates`, block by block: arrays of pairs ``(j, i)``, ``j < i``,
    sorted, whose first documents ``j`` lie in consecutive ranges; concatenated, the blocks are
    :func:`band_candidates`'s array. Each block is generated from at most about ``max_pairs`` band collisions (one
    document's collisions are never split), so a caller can confirm and forget each block in turn."""
    n = len(signatures)
    runs = _band_runs(signatures, filled, lsh_threshold=lsh_threshold)
    if not runs:
        return
    per_first = np.zeros(n, dtype=np.int64)  # band collisions per first document (a pair found by b bands: b times)
    for d, after in runs:
        per_first += np.bincount(d, weights=after, minlength=n).astype(np.int64)
    block_of = (np.cumsum(per_first) - per_first) // max(1, max_pairs)
    edges = np.r_[0, np.flatnonzero(np.diff(block_of)) + 1, n]
    for lo, hi in zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True):
        if not per_first[lo:hi].any():
            continue
        codes = []
        for d, after in runs:
            at = np.flatnonzero((after > 0) & (d >= lo) & (d < hi))
            if not len(at):
                continue
            later = after[at].astype(np.int64)
            first = np.repeat(at, later)
            step = np.arange(len(first)) - np.repeat(np.cumsum(later) - later, later) + 1
            codes.append(d[first].astype(np.int64) * n + d[first + step])
        codes = np.unique(np.concatenate(codes))
        yield np.column_stack([codes // n, codes % n])


def band_candidates(signatures: np.ndarray, filled: np.ndarray, *, lsh_threshold: float) -> np.ndarray:
    """Candidate pairs ``(j, i)``, ``j < i``, sorted, of the rows of ``signatures`` (``n x num_perm``, from
    :func:`minhash_signatures`) that agree on a whole band of datasketch's ``MinHashLSH(threshold=lsh_threshold)``;
    rows where ``filled`` is false (documents without shingles) are never paired. (:func:`candidate_blocks` gives
    them block by block.)"""
    blocks = list(candidate_blocks(signatures, filled, lsh_threshold=lsh_threshold))
    return np.concatenate(blocks) if blocks else np.empty((0, 2), dtype=np.int64)


def _intersection_size(a: np.ndarray, b: np.ndarray) -> int:
    """``|a ∩ b|`` of two sorted arrays without repeats."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return 0
    pos = np.minimum(np.searchsorted(b, a), len(b) - 1)
    return int(np.count_nonzero(b[pos] == a))


def _counts_python(va, oa, ia, vb, ob, ib, need):  # noqa: ARG001 (``need`` only speeds up the compiled kernel)
    """Intersection sizes of the documents ``ia[p]`` of ``(va, oa)`` and ``ib[p]`` of ``(vb, ob)`` (CSR-like
    shingle arrays): the reference of :func:`_shared_counts`."""
    return np.array(
        [_intersection_size(va[oa[i] : oa[i + 1]], vb[ob[j] : ob[j + 1]]) for i, j in zip(ia.tolist(), ib.tolist())],
        dtype=np.int64,
    )


def _counts_kernel(va, oa, ia, vb, ob, ib, need, out):  # pragma: no cover (compiled by numba)
    """Merge of two sorted shingle arrays per pair, branch-free in runs of 32 steps; stops as soon as ``need``
    shared shingles cannot be reached (the count is then below ``need``, which is all the caller asks of it)."""
    for p in _prange(len(ia)):
        x, x_end = oa[ia[p]], oa[ia[p] + 1]
        y, y_end = ob[ib[p]], ob[ib[p] + 1]
        inter = 0
        want = need[p]
        while x < x_end and y < y_end:
            left = min(x_end - x, y_end - y)
            if inter + left < want:
                break
            for _ in range(min(left, 32)):
                u, w = va[x], vb[y]
                inter += u == w
                x += u <= w
                y += w <= u
        out[p] = inter


_prange = range  # numba.prange when compiled

#: compiled kernels by mode ("parallel", "serial"); None for a mode when numba is not installed
_COMPILED: dict = {}


def _compiled_kernel(parallel: bool):
    """:func:`_counts_kernel` compiled by numba (no on-disk cache: numba's cache files are pickles), or None when
    numba is not installed. The parallel version runs its pairs on numba's threads; its default thread pool
    (``workqueue``) must not be entered from two threads at once, so other threads get the serial version."""
    mode = "parallel" if parallel else "serial"
    if mode not in _COMPILED:
        try:
            import numba
        except ImportError:
            _COMPILED[mode] = None
        else:
            _counts_kernel.__globals__["_prange"] = numba.prange  # plain range in the serial version
            _COMPILED[mode] = numba.njit(nogil=True, parallel=parallel)(_counts_kernel)
    return _COMPILED[mode]


def _shared_counts(va, oa, ia, vb, ob, ib, need) -> np.ndarray:
    """``|A ∩ B|`` of each pair (document ``ia[p]`` of the shingle arrays ``(va, oa)``, ``ib[p]`` of ``(vb, ob)``)
    where it is at least ``need[p]``; below that, some number below ``need[p]``. Compiled with numba when it is
    installed (20,000 workload documents, 65,760 candidates: 1.6 µs a pair on two threads, 20 µs in Python), else
    exact counts in Python."""
    import threading

    kernel = _compiled_kernel(parallel=threading.current_thread() is threading.main_thread())
    if kernel is None:
        return _counts_python(va, oa, ia, vb, ob, ib, need)
    out = np.empty(len(ia), dtype=np.int64)
    kernel(va, oa, np.ascontiguousarray(ia, dtype=np.int64), vb, ob, np.ascontiguousarray(ib, dtype=np.int64),
           need, out)  # fmt: skip
    return out


#: the fewest shingles two documents must share to count as reprints (and so the fewest a document needs to be
#: tested at all, about 54 characters of text). Measured: on notebook 04's reprint test (helpers.validation.reprints,
#: stories of data/xwlb_poverty_sample) every true pair shares at least 137 shingles, raw or cleaned; one-sentence
#: CCTV items that only share a formula (a title and "在人民大会堂会见", a series heading) share up to 29. Below this,
#: shared text is a formula, not evidence of one story (tests/test_reprints.py, tests/test_validation_reprints.py).
MIN_SHARED_SHINGLES = 50


def confirm_arrays(
    va, oa, ia, vb, ob, ib, *, threshold: float, min_length_ratio: float, min_shared: int = MIN_SHARED_SHINGLES
):
    """Step 4's confirmation on shingle arrays, vectorised: for pairs of document ``ia[p]`` of ``(va, oa)`` and
    ``ib[p]`` of ``(vb, ob)``, returns ``(keep, containment, jaccard, length_ratio)`` arrays (scores valid where
    ``keep``): the numbers of :func:`pair_scores` on the two sets; a kept pair also shares at least
    ``min_shared`` shingles (:data:`MIN_SHARED_SHINGLES`)."""
    la = (oa[ia + 1] - oa[ia]).astype(np.int64)
    lb = (ob[ib + 1] - ob[ib]).astype(np.int64)
    small, large = np.minimum(la, lb), np.maximum(la, lb)
    empty = small == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(empty, 0.0, small / np.maximum(large, 1))
        # the fewest shared shingles whose containment passes: ceil(threshold * small), made exact in floats
        need = np.ceil(threshold * small).astype(np.int64)
        need = np.where((need - 1) / np.maximum(small, 1) >= threshold, need - 1, need)
        need = np.where(need / np.maximum(small, 1) < threshold, need + 1, need)
    need = np.maximum(need, min_shared)
    test = np.flatnonzero(~empty & (ratio >= min_length_ratio) & (small >= min_shared))
    inter = np.zeros(len(ia), dtype=np.int64)
    inter[test] = _shared_counts(va, oa, ia[test], vb, ob, ib[test], need[test])
    with np.errstate(divide="ignore", invalid="ignore"):
        containment = np.where(empty, 0.0, inter / np.maximum(small, 1))
        jaccard = np.where(empty, 0.0, inter / np.maximum(la + lb - inter, 1))
    keep = (containment >= threshold) & (ratio >= min_length_ratio) & (inter >= min_shared)
    return keep, containment, jaccard, ratio


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

    Parameters
    ----------
    a, b : set
        Shingle sets (:func:`shingles`).

    Returns
    -------
    tuple of float
        Containment ``|A ∩ B| / min(|A|, |B|)``, Jaccard ``|A ∩ B| / |A ∪ B|`` and length ratio
        ``min(|A|, |B|) / max(|A|, |B|)``; all 0 when a set is empty.

    References
    ----------
    Broder (1997), see the module docstring: resemblance and containment.

    >>> pair_scores({1, 2, 3, 4}, {1, 2, 3})
    (1.0, 0.75, 0.75)
    """
    if not a or not b:
        return 0.0, 0.0, 0.0
    inter = len(a & b)
    small, large = sorted((len(a), len(b)))
    return inter / small, inter / (len(a) + len(b) - inter), small / large


def cluster_pairs(pairs: Sequence[tuple[int, int, float]]) -> list[list[int]]:
    """Clusters (lists of indices, size >= 2) from confirmed pairs ``(i, j, score)`` without chaining.

    Within a connected component the best-connected node is the centre; a node joins when it is linked to the
    centre and to more than half of the members so far. Leftovers are clustered again the same way.

    The next centre is taken from a heap of the nodes' link strengths (updated only for the neighbours of the
    nodes just clustered), so the cost grows with the number of pairs, not with the square of the nodes.

    Parameters
    ----------
    pairs : sequence of tuple
        Confirmed pairs ``(i, j, score)`` of document indices, each pair once.

    Returns
    -------
    list of list of int
        One list per cluster, the centre first and the other members in ascending order; clusters ordered by
        their smallest member.

    References
    ----------
    Aslam, Pelekhov & Rus, "The star clustering algorithm for static and dynamic information organization",
    *Journal of Graph Algorithms and Applications* 8 (2004): the star clustering this greedy variant follows.

    >>> cluster_pairs([(0, 1, 0.9), (1, 2, 0.9)])  # 0 and 2 share only 1 (a round-up): no chain
    [[1, 0]]
    >>> cluster_pairs([(0, 1, 0.9), (1, 2, 0.9), (0, 2, 0.8)])
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


# --- reprint or template: one story, or another event told in the same words -----------------------------------
#: two paragraphs are the same paragraph of a story told twice when difflib matches at least this share of the
#: shorter one's characters (a reprint's paragraph with a few characters edited: above 0.9; a paragraph of two
#: template stories of different events, 欢迎蒙古国总理 / 欢迎荷兰首相 in CCTV 新闻联播: 0.7-0.8; the paragraphs of
#: unrelated stories: below 0.4)
PARAGRAPH_MATCH_RATIO = 0.6
#: only runs of at least this many characters count as matched (scattered single characters are chance), and a
#: matched paragraph needs at least ``MIN_MATCHED_CHARS`` of them: the default ``min_paragraph_chars`` of
#: :func:`find_near_duplicates` (a site's source line 来源：人民网 / 来源：新华网 is no shared sentence)
MIN_BLOCK_CHARS = 3
MIN_MATCHED_CHARS = 15
#: a substitution inside a matched paragraph longer than this (characters, each side) is a rewritten passage, not a
#: name or number put in place of another (the longest names in the CCTV template pairs: 蒙古国总理呼日勒苏赫, 10)
MAX_SUBSTITUTION_CHARS = 12
#: the most days between the dates of two reprints of one story. Papers and sites reprint a story within days; in
#: R7's 3,915 CCTV 新闻联播 stories of 2016-2019 (xwlb_general + xwlb_poverty) the one pair that is the same story
#: is dated the same day, and each of the 76 confirmed pairs at containment 0.3 or more dated a week or more apart
#: reports another event (an announcement, welcome, funeral or session of the same form months later) or, once, a
#: speech republished in 求是 19 months later; a week leaves room for weekly papers and late reprints
MAX_REPRINT_DAYS = 7
_DIGITS = re.compile(r"\d+")
#: substituted stretches that tell another event when no number differs both ways: one can be an edit (two
#: adjacent edited characters, 妇女 -> 的的, in notebook 04's reprint test), two are a pattern (蒙古国总理 /
#: 荷兰首相 and 何立峰郑建邦 / 刘新成 in one CCTV welcome)
MIN_SUBSTITUTIONS = 2
#: numbers with more digits than this are codes (telephone, licence, record numbers in a site's footer, a page's
#: time stamp 2020051230), not the days, counts and years that tell one event from another: they are left out
_LONG_NUMBER = re.compile(r"\d{5,}")


def _matched_paragraphs(paras_a: Sequence[str], paras_b: Sequence[str]) -> list[tuple[str, str]]:
    """Each paragraph of ``paras_a`` with the paragraph of ``paras_b`` that shares most of it, where difflib matches at
    least :data:`PARAGRAPH_MATCH_RATIO` of the shorter one's characters (headers, bylines and footers of different
    sites match nothing)."""
    from difflib import SequenceMatcher

    out = []
    for pa in paras_a:
        best, best_share = None, PARAGRAPH_MATCH_RATIO
        for pb in paras_b:
            sm = SequenceMatcher(None, pa, pb, autojunk=False)
            shorter = max(1, min(len(pa), len(pb)))
            if sm.real_quick_ratio() * (len(pa) + len(pb)) / 2 < best_share * shorter:
                continue  # cannot reach the share: even every character of the shorter one matched is too few
            matched = sum(m.size for m in sm.get_matching_blocks() if m.size >= MIN_BLOCK_CHARS)
            share = matched / shorter
            if share >= best_share and matched >= MIN_MATCHED_CHARS:
                best, best_share = pb, share
        if best is not None:
            out.append((pa, best))
    return out


@dataclass
class EventDifferences:
    """What two documents say differently in the sentences they share (:func:`event_differences`).

    Attributes
    ----------
    substitutions : list of tuple of str
        Short stretches put in place of one another ``(in a, in b)``: names, places, numbers.
    numbers : list of tuple of str
        Per matched paragraph whose numbers differ both ways, the numbers found only in ``a`` and only in ``b``.
    """

    substitutions: list = field(default_factory=list)
    numbers: list = field(default_factory=list)

    @property
    def another_event(self) -> bool:
        """Numbers that differ both ways (a date, a count), or :data:`MIN_SUBSTITUTIONS` substituted stretches."""
        return bool(self.numbers) or len(self.substitutions) >= MIN_SUBSTITUTIONS

    def shown(self, n: int = 3) -> str:
        """The first ``n`` differences as ``a / b; …``."""
        return "; ".join(f"{x} / {y}" for x, y in (self.numbers + self.substitutions)[:n])


def _aligned_spans(opcodes: list, pa: str, pb: str) -> tuple[str, str]:
    """``pa`` and ``pb`` without the text that only one of them has at its start or end (difflib's opcodes
    ``insert``/``delete`` there): the part each tells of the other. A paragraph merged into another, before or after
    it, is left out; a stretch replaced at the start (a date 11月16日下午 in place of a clause) is kept."""
    ops = list(opcodes)
    while ops and ops[0][0] in ("insert", "delete"):
        ops.pop(0)
    while ops and ops[-1][0] in ("insert", "delete"):
        ops.pop()
    if not ops:
        return "", ""
    return pa[ops[0][1] : ops[-1][2]], pb[ops[0][3] : ops[-1][4]]


def event_differences(paras_a: Sequence[str], paras_b: Sequence[str]) -> EventDifferences:
    """Names and numbers that two documents put in the same place of the same sentences: the sign of two events
    told in one template (丁石孙 / 布赫 同志遗体在京火化), not of one story reprinted.

    Paragraphs (normalised, :func:`normalized_paragraphs`) are matched (:func:`_matched_paragraphs`). Inside each
    matched pair, a **substitution** is one short stretch (at most :data:`MAX_SUBSTITUTION_CHARS` characters) put
    in place of another where both hold digits, or both hold two or more characters (a name, a place: an edited
    character of a reprint is one character); **numbers** differ when each paragraph holds a number not found in
    the other within the stretch they share (11月12日 / 11月16日; a number edited into 20的5 is still found in
    2015; a paragraph merged into another brings its own numbers, left out: :func:`_aligned_spans`). Numbers of five or more
    digits are codes, not events, and are left out. Added lines (a byline, an editor's note, another site's header)
    are inserted or unmatched text and never count.

    >>> a = ["9日上午国务院总理李克强在人民大会堂北大厅举行仪式欢迎蒙古国总理呼日勒苏赫对我国进行正式访问"]
    >>> b = ["12日下午国务院总理李克强在人民大会堂北大厅举行仪式欢迎荷兰首相马克吕特对我国进行正式访问"]
    >>> found = event_differences(a, b)
    >>> found.numbers, found.substitutions, found.another_event
    ([('9', '12')], [('9', '12'), ('蒙古国总理呼日勒苏赫', '荷兰首相马克吕特')], True)
    >>> event_differences(a, [a[0].replace("仪式", "仪的")]).another_event  # one edited character
    False
    """
    from difflib import SequenceMatcher

    out = EventDifferences()
    for pa, pb in _matched_paragraphs(paras_a, paras_b):
        pa, pb = _LONG_NUMBER.sub("#", pa), _LONG_NUMBER.sub("#", pb)
        opcodes = SequenceMatcher(None, pa, pb, autojunk=False).get_opcodes()
        for op, i1, i2, j1, j2 in opcodes:
            x, y = pa[i1:i2], pb[j1:j2]
            if op != "replace" or max(len(x), len(y)) > MAX_SUBSTITUTION_CHARS:
                continue
            if (_DIGITS.search(x) and _DIGITS.search(y)) or min(len(x), len(y)) >= 2:
                out.substitutions.append((x, y))
        span_a, span_b = _aligned_spans(opcodes, pa, pb)  # a merged-in paragraph's numbers are not compared
        only_a = sorted({n for n in _DIGITS.findall(span_a) if n not in pb})
        only_b = sorted({n for n in _DIGITS.findall(span_b) if n not in pa})
        if only_a and only_b:
            out.numbers.append(("、".join(only_a), "、".join(only_b)))  # 4、5: two numbers ("4 5" read as one)
    return out


def days_apart(date_a, date_b) -> int | None:
    """Days between two dates (``YYYY-MM-DD`` …), None when either is missing or not a full date.

    >>> days_apart("2017-05-11", "2019-10-17"), days_apart("2018-04-09", None), days_apart("2014", "2016")
    (889, None, None)
    """
    a, b = _date_key(date_a), _date_key(date_b)
    if a is None or b is None or not (_FULL_DATE.match(a) and _FULL_DATE.match(b)):
        return None
    ta, tb = pd.to_datetime(a, errors="coerce"), pd.to_datetime(b, errors="coerce")
    return None if pd.isna(ta) or pd.isna(tb) else abs(int((ta - tb).days))


_TEMPLATE_COLUMNS = ["doc_a", "doc_b", "containment", "days_apart", "differences"]


def split_template_pairs(
    confirmed: list[tuple], doc_paras: dict[int, list[str]], dates: Sequence | None, ids: list
) -> tuple[list[tuple], pd.DataFrame]:
    """Confirmed pairs split into reprints and template pairs (same template, different event).

    A pair is a template pair when its shared sentences differ in numbers or names
    (:attr:`EventDifferences.another_event`), or when both are dated more than :data:`MAX_REPRINT_DAYS` apart.

    Parameters
    ----------
    confirmed : list of tuple
        ``(i, j, containment, jaccard, length_ratio)`` from :func:`confirmed_pairs`.
    doc_paras : dict of int to list of str
        The normalised paragraphs of every document of a pair, by position.
    dates : sequence, optional
        Every document's date.
    ids : list
        Every document's id.

    Returns
    -------
    tuple
        The reprint pairs (as ``confirmed``) and a table ``doc_a, doc_b, containment, days_apart, differences``
        (up to three differing stretches, ``a / b``) of the template pairs.
    """
    reprints, rows = [], []
    for pair in confirmed:
        i, j, c = pair[:3]
        gap = days_apart(dates[i], dates[j]) if dates is not None else None
        diff = event_differences(doc_paras[i], doc_paras[j])
        if diff.another_event or (gap is not None and gap > MAX_REPRINT_DAYS):
            rows.append((ids[i], ids[j], round(c, 6), gap, diff.shown()))
        else:
            reprints.append(pair)
    return reprints, pd.DataFrame(rows, columns=_TEMPLATE_COLUMNS).astype({"days_apart": "Int64"})


# --- find_near_duplicates, step by step -------------------------------------------------------------------------
@dataclass
class _Shingled:
    """Every document's shingles after the template and document-frequency filters (CSR-like ``values, offsets``:
    document ``i`` holds ``values[offsets[i]:offsets[i + 1]]``, sorted, without repeats), what was filtered, the
    documents too ``short`` to be tested (fewer than ``min_shared`` shingles) and the groups of short documents
    whose normalised texts are ``identical``."""

    values: np.ndarray
    offsets: np.ndarray
    dropped: dict
    short: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    identical: list[list[int]] = field(default_factory=list)

    def doc(self, i: int) -> np.ndarray:
        return self.values[self.offsets[i] : self.offsets[i + 1]]

    def size(self, i: int) -> int:
        return int(self.offsets[i + 1] - self.offsets[i])


def shingle_documents(texts: Sequence[str], settings: dict) -> _Shingled:
    """Steps 1-3 of the module docstring: normalise, drop template paragraphs, shingle, drop common shingles.

    ``settings`` are :func:`find_near_duplicates`'s (``k``, ``min_paragraph_chars``, ``drop_template``,
    ``max_df``, ``min_max_df``, ``min_shared`` are read)."""
    k = settings["k"]
    doc_paras = normalized_paragraphs(list(texts), settings["min_paragraph_chars"])
    template = template_paragraphs(doc_paras, k=k) if settings["drop_template"] else set()
    doc_paras, kept_whole = without_template(doc_paras, template)
    values, offsets = doc_shingle_arrays(doc_paras, k=k)
    cutoff = max_df_cutoff(len(texts), settings["max_df"], settings["min_max_df"])
    values, offsets, n_common = _filter_common(values, offsets, cutoff)
    short = np.flatnonzero(np.diff(offsets) < settings.get("min_shared", MIN_SHARED_SHINGLES))
    identical = identical_groups({int(i): "\n".join(doc_paras[i]) for i in short if doc_paras[i]})
    del doc_paras
    dropped = {
        "max_df_cutoff": cutoff,
        "n_dropped": n_common,
        "template_paragraphs": len(template),
        "documents_kept_whole": kept_whole,
    }
    return _Shingled(values, offsets, dropped, short, identical)


def identical_groups(keys: dict[int, str]) -> list[list[int]]:
    """Groups (of two or more) of the positions whose normalised text in ``keys`` is the same, largest first.

    >>> identical_groups({0: "国际联播快讯", 1: "联播快讯", 2: "国际联播快讯"})
    [[0, 2]]
    """
    by_text = defaultdict(list)
    for i, key in keys.items():
        by_text[key].append(i)
    groups = [sorted(g) for g in by_text.values() if len(g) > 1]
    return sorted(groups, key=lambda g: (-len(g), g[0]))


def confirmed_pairs(
    shingled: _Shingled,
    candidates: np.ndarray,
    *,
    threshold: float,
    min_length_ratio: float,
    min_shared: int = MIN_SHARED_SHINGLES,
) -> list[tuple[int, int, float, float, float]]:
    """Step 4's confirmation: the candidates ``(i, j)`` whose exact containment, length ratio and shared shingles
    pass (:func:`confirm_arrays`).

    Returns ``(i, j, containment, jaccard, length_ratio)`` per confirmed pair, in the candidates' order.
    """
    candidates = np.asarray(candidates, dtype=np.int64).reshape(-1, 2)
    v, o = shingled.values, shingled.offsets
    keep, c, jac, ratio = confirm_arrays(
        v, o, candidates[:, 0], v, o, candidates[:, 1], threshold=threshold, min_length_ratio=min_length_ratio,
        min_shared=min_shared,
    )  # fmt: skip
    return _confirmed_rows(candidates, keep, c, jac, ratio)


def _confirmed_rows(candidates, keep, c, jac, ratio) -> list[tuple[int, int, float, float, float]]:
    at = np.flatnonzero(keep)
    return list(
        zip(
            candidates[at, 0].tolist(),
            candidates[at, 1].tolist(),
            c[at].tolist(),
            jac[at].tolist(),
            ratio[at].tolist(),
            strict=True,
        )
    )


def _representative(shingled: _Shingled, members: list[int], ids: Sequence | None = None) -> tuple[int, np.ndarray]:
    """Position of a cluster's representative (the medoid by containment, then the longest, then the shortest id)
    and the members' containment with each other.

    The id decides between identical copies: a copy saved beside its original gets a longer name (``x (1).txt``,
    ``x - 副本.txt``, ``Copy of x``), which sorts first among file names (a space before the dot; review R10b).

    >>> class S:
    ...     def doc(self, m): return np.array([1, 2, 3])
    ...     def size(self, m): return 3
    >>> _representative(S(), [0, 1], ["体育/cnews-0800 (1)", "体育/cnews-0800"])[0]
    1
    """
    sims = np.ones((len(members), len(members)))
    for pa in range(len(members)):
        for pb in range(pa + 1, len(members)):
            sims[pa, pb] = sims[pb, pa] = _array_scores(shingled.doc(members[pa]), shingled.doc(members[pb]))[0]
    lengths = np.array([shingled.size(m) for m in members])
    id_lengths = np.array([len(str(ids[m])) if ids is not None else 0 for m in members])
    return int(np.lexsort((id_lengths, -lengths, -sims.mean(axis=1)))[0]), sims


def _earliest(member_dates: list[str | None]) -> int | None:
    """Position of the earliest dated member: full dates (with a year) first; dates without a year (``--MM-DD``)
    are compared only when no member has a full date. None when no member is dated."""
    dated = [(d, p) for p, d in enumerate(member_dates) if d is not None and _FULL_DATE.match(d)]
    if not dated:
        dated = [(d, p) for p, d in enumerate(member_dates) if d is not None]
    return min(dated)[1] if dated else None


_CLUSTER_COLUMNS = ["cluster", "doc_id", "similarity", "is_representative", "is_earliest", "date", "n_members"]


def _clusters_table(groups: list[list[int]], shingled: _Shingled, ids: list, dates: Sequence | None) -> pd.DataFrame:
    """Step 5's table: one row per clustered document, the representative first in each cluster."""
    rows = []
    for cid, members in enumerate(groups):
        rep, sims = _representative(shingled, members, ids)
        member_dates = [_date_key(dates[m]) if dates is not None else None for m in members]
        earliest = _earliest(member_dates)
        for p, m in enumerate(members):
            rows.append(
                {
                    "cluster": cid,
                    "doc_id": ids[m],
                    "similarity": round(float(sims[rep, p]), 6),
                    "is_representative": p == rep,
                    "is_earliest": p == earliest,
                    "date": member_dates[p],
                    "n_members": len(members),
                }
            )
    clusters = pd.DataFrame(rows, columns=_CLUSTER_COLUMNS)
    if len(clusters):
        clusters = clusters.sort_values(
            ["cluster", "is_representative", "similarity"], ascending=[True, False, False], kind="stable"
        ).reset_index(drop=True)
    return clusters


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
    min_shared: int = MIN_SHARED_SHINGLES,
    drop_template: bool = True,
    separate_templates: bool = True,
    seed: int = 0,
) -> NearDuplicates:
    """Find reprints: clusters of documents that tell the same story (the steps: see the module docstring).

    Parameters
    ----------
    texts : sequence of str
        Document texts (cleaned or raw; paragraphs separated by line breaks).
    doc_ids, dates : sequence, optional
        Identifiers and dates (``YYYY-MM-DD`` strings sort correctly; missing dates are ignored).
    threshold : float
        Minimum containment of shingles for a confirmed pair (0.6: the middle of the plateau of F1 on the
        reprint test of notebook 04, section 5b).
    k : int
        Shingle length in characters.
    num_perm, lsh_threshold : int, float
        MinHash size and the (Jaccard) threshold of the LSH candidate search, set below ``threshold`` so that
        containment pairs with a lower Jaccard are still found.
    max_df, min_max_df : float or int, int
        Shingles in more than ``max(min_max_df, max_df * n)`` documents (``max_df`` < 1) or more than ``max_df``
        documents (an integer) are dropped as template or stock phrases.
    min_paragraph_chars : int
        Paragraphs shorter than this (normalised characters) are ignored.
    min_length_ratio : float
        The shorter document must have at least this share of the longer one's shingles.
    min_shared : int
        The fewest shingles a pair must share (:data:`MIN_SHARED_SHINGLES`): a document with fewer is too short to
        tell a reprint from a shared formula and is not tested; short documents whose normalised texts are the
        same are listed apart, as identical texts (``NearDuplicates.identical``).
    drop_template : bool
        Ignore template paragraphs (:func:`template_paragraphs`: repeated in three or more documents that
        otherwise share little) inside documents that have other text, before the shingle document-frequency
        filter; a document made only of such paragraphs keeps them (it is never emptied).
    separate_templates : bool
        List confirmed pairs that tell different events in one template apart (:func:`split_template_pairs`:
        different names or numbers in the same sentences, or dated more than :data:`MAX_REPRINT_DAYS` apart) in
        ``NearDuplicates.templates``, not as reprints.
    seed : int
        MinHash seed.

    Returns
    -------
    NearDuplicates
        Clusters, confirmed pairs, counts, settings and what the filters dropped.

    References
    ----------
    Broder, "On the resemblance and containment of documents", *Compression and Complexity of Sequences* (1997):
    shingles, MinHash, resemblance and containment. Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*,
    chapter 3: locality-sensitive hashing by bands of MinHash signatures.
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
        min_shared=min_shared,
        drop_template=drop_template,
        separate_templates=separate_templates,
        seed=seed,
    )
    shingled = shingle_documents(texts, settings)
    sig = minhash_signatures(shingled.values, shingled.offsets, num_perm=num_perm, seed=seed)
    confirmed = []
    for block in candidate_blocks(sig, np.diff(shingled.offsets) >= min_shared, lsh_threshold=lsh_threshold):
        confirmed += confirmed_pairs(
            shingled, block, threshold=threshold, min_length_ratio=min_length_ratio, min_shared=min_shared
        )
    result = near_duplicates_result(confirmed, shingled, ids, dates, settings, texts=texts)
    result.n_short = len(shingled.short)
    result.identical = _identical_table(shingled.identical, ids, texts)
    return result


#: columns of :attr:`NearDuplicates.identical`
IDENTICAL_COLUMNS = ["group", "doc_id", "n_members", "text"]


def _identical_table(groups: list[list[int]], ids: list, texts: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per document of a group of identical short texts: ``group, doc_id, n_members, text`` (the
    document's text, lines joined by a space; empty when ``texts`` is not given)."""
    text_of = (lambda m: " ".join(str(texts[m]).split())) if texts is not None else (lambda m: "")
    rows = [(g, ids[m], len(members), text_of(m)) for g, members in enumerate(groups) for m in members]
    return pd.DataFrame(rows, columns=IDENTICAL_COLUMNS)


def near_duplicates_result(
    confirmed: list[tuple], shingled, ids: list, dates: Sequence | None, settings: dict, *, texts=None
) -> NearDuplicates:
    """Step 5: the pairs table, the clusters and the counts of :func:`find_near_duplicates` from its confirmed
    pairs (:func:`confirmed_pairs`). ``shingled`` needs ``doc(i)``, ``size(i)`` (for the clustered documents) and
    ``dropped``: a :func:`shingle_documents` result, or a stand-in reading the shingles from disk. ``texts`` (a
    sequence or a mapping by position holding at least the paired documents) lets the pairs of one template,
    different events be set apart (:func:`split_template_pairs`) when ``settings["separate_templates"]``."""
    n = len(ids)
    templates = pd.DataFrame(columns=_TEMPLATE_COLUMNS)
    if settings.get("separate_templates") and texts is not None and confirmed:
        members = sorted({i for p in confirmed for i in p[:2]})
        paras = normalized_paragraphs([texts[i] for i in members], settings["min_paragraph_chars"])
        confirmed, templates = split_template_pairs(confirmed, dict(zip(members, paras)), dates, ids)
    pairs = pd.DataFrame(
        [(ids[i], ids[j], round(c, 6), round(jac, 6), round(ratio, 6)) for i, j, c, jac, ratio in confirmed],
        columns=["doc_a", "doc_b", "containment", "jaccard", "length_ratio"],
    )
    groups = cluster_pairs([(i, j, c) for i, j, c, _, _ in confirmed])
    return NearDuplicates(
        clusters=_clusters_table(groups, shingled, ids, dates),
        pairs=pairs,
        n_documents=n,
        n_distinct=n - sum(len(g) - 1 for g in groups),
        settings=settings,
        dropped_shingles=shingled.dropped,
        templates=templates,
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


# --- find_duplicate_paragraphs, step by step --------------------------------------------------------------------
#: the LSH search for paragraph pairs uses a Jaccard threshold this much below the confirmation ``threshold``
#: (never below :data:`MIN_PARAGRAPH_LSH_THRESHOLD`), so that pairs near the threshold are not lost to MinHash noise
PARAGRAPH_LSH_MARGIN = 0.2
MIN_PARAGRAPH_LSH_THRESHOLD = 0.1


@dataclass
class _Paragraphs:
    """The paragraphs long enough to compare: where each is (document, paragraph number), its raw and normalised
    text, and its shingles as one CSR-like ``values, offsets`` pair (as :class:`_Shingled`)."""

    doc: list[int]
    number: list[int]
    raw: list[str]
    normalized: list[str]
    values: np.ndarray
    offsets: np.ndarray

    def shingles(self, u: int) -> np.ndarray:
        return self.values[self.offsets[u] : self.offsets[u + 1]]


def _comparable_paragraphs(texts: Sequence[str], *, k: int, min_chars: int, cutoff: int) -> _Paragraphs:
    """Every paragraph with at least ``min_chars`` normalised characters, except template text: a paragraph found
    verbatim (after normalisation) in more than ``cutoff`` documents."""
    units = []  # (doc index, paragraph number, raw text, normalised text)
    for d, text in enumerate(texts):
        for p, para in enumerate(split_paragraphs(text)):
            norm = normalize_for_shingles(para)
            if len(norm) >= min_chars:
                units.append((d, p, para, norm))
    holders: dict[str, set[int]] = defaultdict(set)
    for d, _, _, norm in units:
        holders[norm].add(d)
    units = [u for u in units if len(holders[u[3]]) <= cutoff]
    arrays = [_shingle_array([u[3]], k) for u in units]
    offsets = np.zeros(len(arrays) + 1, dtype=np.int64)
    np.cumsum([len(a) for a in arrays], out=offsets[1:])
    values = np.concatenate(arrays) if arrays else np.empty(0, dtype=np.uint32)
    return _Paragraphs(
        doc=[u[0] for u in units],
        number=[u[1] for u in units],
        raw=[u[2] for u in units],
        normalized=[u[3] for u in units],
        values=values,
        offsets=offsets,
    )


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

    Paragraphs are normalised and shingled as documents are in :func:`find_near_duplicates`; candidate pairs come
    from the same MinHash/LSH search, and each is confirmed on the exact shingle sets.

    Parameters
    ----------
    texts : sequence of str
        Document texts.
    doc_ids : sequence, optional
        Their identifiers (default ``0..n-1``).
    threshold : float
        Minimum Jaccard similarity of the paragraphs' ``k``-shingles.
    k, num_perm, seed : int
        Shingle length, MinHash size and seed.
    min_chars : int
        Paragraphs shorter than this (normalised characters) are skipped.
    max_df, min_max_df : float or int, int
        Paragraphs repeated verbatim in more than ``max(min_max_df, max_df * n_docs)`` documents (template text)
        are skipped (``max_df`` >= 1: more than ``max_df`` documents).

    Returns
    -------
    pandas.DataFrame
        ``doc_a, paragraph_a, doc_b, paragraph_b, jaccard, text_a`` (paragraph numbers from 0, as in
        :func:`split_paragraphs`; ``a`` is the paragraph that comes first in ``texts``), best first.

    References
    ----------
    Broder (1997) and Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*, chapter 3 (see
    :func:`find_near_duplicates`).

    >>> t = "各地扎实推进脱贫攻坚，贫困群众收入持续增长，生活水平明显提高，幸福感不断增强。"
    >>> find_duplicate_paragraphs([t + "\\n甲", "乙\\n" + t], doc_ids=["a", "b"])[["doc_a", "paragraph_b"]].values.tolist()
    [['a', 1]]
    """
    ids = list(doc_ids) if doc_ids is not None else list(range(len(texts)))
    cutoff = max_df_cutoff(len(texts), max_df, min_max_df)
    paras = _comparable_paragraphs(texts, k=k, min_chars=min_chars, cutoff=cutoff)
    lsh_threshold = max(MIN_PARAGRAPH_LSH_THRESHOLD, threshold - PARAGRAPH_LSH_MARGIN)
    candidates = _lsh_candidates(paras.values, paras.offsets, num_perm=num_perm, lsh_threshold=lsh_threshold, seed=seed)
    rows = []
    for a, b in candidates.tolist():
        if paras.doc[a] == paras.doc[b]:
            continue
        jac = _array_scores(paras.shingles(a), paras.shingles(b))[1]
        if jac >= threshold:
            rows.append(
                (
                    ids[paras.doc[a]],
                    paras.number[a],
                    ids[paras.doc[b]],
                    paras.number[b],
                    round(jac, 6),
                    paras.raw[a][:80],
                )
            )
    out = pd.DataFrame(rows, columns=["doc_a", "paragraph_a", "doc_b", "paragraph_b", "jaccard", "text_a"])
    return out.sort_values(
        ["jaccard", "doc_a", "paragraph_a"], ascending=[False, True, True], kind="stable"
    ).reset_index(drop=True)
