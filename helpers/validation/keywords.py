"""Validation of the keyword methods: gold keywords, the matching rule, precision/recall/F1 at k, the baseline.

The methods live in :mod:`helpers.keywords`; this module measures them against keywords someone chose (the
authors' keywords of the CSL abstracts in ``data/csl_sample``, or a ``keywords`` column of any corpus), and the
names of :func:`helpers.keywords.extract_names` against names a reader checked (``data/entities_sample``,
:func:`entity_precision`).

Matching rule
    a predicted term is a hit when it **equals** a gold keyword after :func:`helpers.keywords.normalize_term`
    (NFKC, lower case, outer whitespace removed): no partial credit, so 水运工程项目 does not match 水运工程.
Scores
    precision at k divides the hits in the top k by k (a method that returns fewer terms is not rewarded), recall
    at k by the number of gold keywords, F1 is their harmonic mean; all three are averaged over the documents
    that have gold keywords (macro average).
Baseline
    ``jieba_extract_tags`` (:func:`helpers.keywords.keywords_jieba`, ``jieba.analyse.extract_tags`` with jieba's
    bundled IDF). It stays a method of :mod:`helpers.keywords` because the notebook offers it next to the others
    and :func:`helpers.keywords.extract_keywords` runs it in the same call; this module only names it
    (:data:`BASELINE_METHOD`) and compares the others with it.

>>> import pandas as pd
>>> kw = pd.DataFrame({"doc_id": ["a", "a"], "method": ["m", "m"], "rank": [1, 2], "term": ["ＳＶＭ", "核函数"],
...                    "score": [1.0, 0.5]})
>>> evaluate_keywords(kw, {"a": parse_gold("svm；分类器")}, ks=[2]).f1.item()
0.5

References
----------
.. [1] C. D. Manning, P. Raghavan and H. Schütze, *Introduction to Information Retrieval*, Cambridge University
   Press, 2008, section 8.4 (precision and recall at k).
.. [2] K. S. Hasan and V. Ng, "Automatic keyphrase extraction: a survey of the state of the art", ACL 2014
   (exact-match evaluation against author keyphrases and its limits).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..keywords import _CJK_SPACE, CORPUS_ID, KINDS, METHODS, extract_keywords, normalize_term

__all__ = [
    "BASELINE_METHOD",
    "VALIDATION_KS",
    "GOLD_COLUMNS",
    "parse_gold",
    "has_gold",
    "find_gold_column",
    "gold_column_sentence",
    "match_gold",
    "evaluate_keywords",
    "validate_keywords",
    "score_against_column",
    "per_document_f1",
    "ratio_interval",
    "validation_table",
    "validation_summary",
    "best_method",
    "method_standing",
    "absent_gold_keywords",
    "hit_examples",
    "entity_precision",
    "entity_precision_by_split",
    "entity_summary",
    "entity_split_summary",
]

BASELINE_METHOD = "jieba_extract_tags"  # the usual tool: what a reader would run without this project
assert BASELINE_METHOD in METHODS
#: the level of :func:`ratio_interval` and its resamples (percentile intervals settle to the second decimal with a
#: few thousand resamples: Efron & Tibshirani 1993, ch. 13)
RATIO_CONFIDENCE, BOOTSTRAP_RESAMPLES = 0.95, 4000
VALIDATION_KS: tuple[int, ...] = (5, 10)  # CSL abstracts carry 3-5 author keywords: top 5 and top 10 bracket them
HIT_MARK = " ✓"

#: what separates the keywords of one cell: ; , ， 、 ； | _ and whitespace between two Chinese characters (扶贫 脱贫攻坚,
#: as the methods read a text: helpers.keywords._CJK_SPACE); whitespace in Latin words or next to one joins (Aspen
#: Plus, 锆石SHRIMP U-Pb定年: 21 of the 23 CSL author keywords holding a space are such)
_GOLD_SEPARATORS = re.compile(r"[;,，、；_|]|" + _CJK_SPACE.pattern)
#: the column names read as gold keywords when ``gold_column`` is not given, the first present with a keyword wins:
#: the project's own name, the field names of CNKI, Wanfang and VIP exports (关键词, 关键字, 主题词; Traditional forms
#: as helpers.corpus.METADATA_ALIASES lists titles in both scripts), Web of Science's and Scopus's headings
GOLD_COLUMNS: tuple[str, ...] = (
    "keywords", "关键词", "關鍵詞", "关键字", "關鍵字", "主题词", "主題詞", "Keywords", "author_keywords",
)  # fmt: skip
#: quotes and title marks around a whole keyword ("超期", 《公羊传》, ‹中苏友好同盟条约>): not part of the term the
#: text contains, so a keyword written with them could never match (0.2 % of CSL author keywords)
_GOLD_WRAPPERS = "'\"“”‘’《》〈〉‹›<>「」『』"


def _unwrapped(keyword: object) -> str:
    return str(keyword).strip().strip(_GOLD_WRAPPERS).strip()


# -- gold keywords and the matching rule ---------------------------------------------------------------------------
def parse_gold(value: object) -> list[str]:
    """Gold keywords from a cell: a list, or a string split at ``; , ， 、 ； | _`` and at whitespace between two
    Chinese characters (:data:`_GOLD_SEPARATORS`; JSON lists accepted).

    Parameters
    ----------
    value : object
        A cell of a keywords column: a list, a JSON list as a string, a separated string, ``None`` or NaN.

    Returns
    -------
    list of str
        The keywords as written, without quotes or title marks around a whole keyword (empty for a missing cell).

    Examples
    --------
    >>> parse_gold("平方和优化；大角度机动")
    ['平方和优化', '大角度机动']
    >>> parse_gold(["Lyapunov函数", '"超期"', "《公羊传》"])
    ['Lyapunov函数', '超期', '公羊传']
    >>> parse_gold("精准扶贫 脱贫攻坚|Aspen Plus")
    ['精准扶贫', '脱贫攻坚', 'Aspen Plus']
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        s = value.strip()
        if s.startswith("["):
            try:
                return parse_gold(json.loads(s))
            except json.JSONDecodeError:
                s = s.strip("[]")
        return [k for k in map(_unwrapped, _GOLD_SEPARATORS.split(s)) if k]
    if isinstance(value, Iterable):
        return [k for k in map(_unwrapped, value) if k]
    return [k for k in [_unwrapped(value)] if k]


def has_gold(docs: pd.DataFrame, column: str) -> bool:
    """Whether ``docs`` has a column ``column`` with at least one gold keyword.

    >>> has_gold(pd.DataFrame({"keywords": [None, "扶贫"]}), "keywords"), has_gold(pd.DataFrame({"x": [1]}), "k")
    (True, False)
    """
    return bool(column in docs.columns and docs[column].map(parse_gold).map(len).sum() > 0)


def find_gold_column(docs: pd.DataFrame, column: str | None = None) -> str | None:
    """The column of gold keywords of ``docs``: ``column`` if given, else the first of :data:`GOLD_COLUMNS` that
    holds a keyword (:func:`has_gold`); ``None`` when there is none.

    >>> find_gold_column(pd.DataFrame({"题目": ["x"], "关键词": ["扶贫；产业"]}))
    '关键词'
    >>> find_gold_column(pd.DataFrame({"keywords": [None], "主题词": ["扶贫"]})), find_gold_column(pd.DataFrame())
    ('主题词', None)
    """
    if column:
        return column if has_gold(docs, column) else None
    return next((c for c in GOLD_COLUMNS if has_gold(docs, c)), None)


def gold_column_sentence(docs: pd.DataFrame, column: str | None, *, given: str | None = None) -> str:
    """One sentence saying which column of ``docs`` was read as gold keywords (:func:`find_gold_column`), how many
    keywords of how many documents, and how a cell was split; or that none was found and what was looked for.

    >>> d = pd.DataFrame({"关键词": ["扶贫；产业", None]})
    >>> print(gold_column_sentence(d, find_gold_column(d)))  # doctest: +NORMALIZE_WHITESPACE
    Gold keywords of this corpus: column `关键词` (the first of `keywords`, `关键词`, `關鍵詞`, `关键字`, `關鍵字`,
    `主题词`, `主題詞`, `Keywords`, `author_keywords` it has), 2 keywords in 1 of 2 documents, a cell split at ; , ，
    、 ； | _ and at a space between two Chinese characters.
    >>> print(gold_column_sentence(d, None, given="tags"))
    This corpus has no gold keywords in a column `tags`, so it is not scored itself.
    """
    names = ", ".join(f"`{c}`" for c in GOLD_COLUMNS)
    if column is None:
        where = f"in a column `{given}`" if given else f"in a column named {names}"
        return f"This corpus has no gold keywords {where}, so it is not scored itself."
    counts = docs[column].map(parse_gold).map(len)
    why = "as `gold_column` asks" if given else f"the first of {names} it has"
    return (
        f"Gold keywords of this corpus: column `{column}` ({why}), {int(counts.sum()):,} keywords in "
        f"{int((counts > 0).sum()):,} of {len(docs):,} documents, a cell split at ; , ， 、 ； | _ and at a space "
        "between two Chinese characters."
    )


def _gold_set(keywords: Iterable[str]) -> set[str]:
    """The gold keywords of one document in their comparable form (empty ones dropped)."""
    return {normalize_term(g) for g in keywords if normalize_term(g)}


def match_gold(terms: Iterable[str], gold: Iterable[str]) -> list[bool]:
    """For each term, whether it is a hit: equal to a gold keyword after :func:`normalize_term`.

    >>> match_gold(["ＳＶＭ", "核函数"], ["svm", "分类器"])
    [True, False]
    """
    gold_set = _gold_set(gold)
    return [normalize_term(t) in gold_set for t in terms]


# -- scores ------------------------------------------------------------------------------------------------------
def _ranked_terms(keywords: pd.DataFrame) -> dict[str, dict[str, list[str]]]:
    """method -> doc_id -> the document's terms in rank order, normalised (corpus rows left out)."""
    kw = keywords[keywords.doc_id.astype(str) != CORPUS_ID].sort_values(["method", "doc_id", "rank"])
    ranked: dict[str, dict[str, list[str]]] = {str(m): {} for m in kw.method.unique()}
    for (m, d), grp in kw.groupby(["method", "doc_id"], sort=False):
        ranked[str(m)][str(d)] = [normalize_term(t) for t in grp.term]
    return ranked


def _document_scores(predicted: Sequence[str], gold: set[str], k: int) -> tuple[float, float, float]:
    """Precision, recall and F1 at k of one document's ranked terms against its (non-empty) gold set."""
    hit = len(set(list(dict.fromkeys(predicted[:k]))) & gold)
    p, r = hit / k, hit / len(gold)
    return p, r, (2 * p * r / (p + r) if hit else 0.0)


def _macro_scores(predicted: Mapping[str, list[str]], gold_sets: Mapping[str, set[str]], k: int) -> tuple:
    """Mean precision, recall and F1 at k over the documents of ``gold_sets``."""
    per_doc = [_document_scores(predicted.get(d, []), g, k) for d, g in gold_sets.items()]
    n = max(len(gold_sets), 1)
    return tuple(sum(col) / n for col in zip(*per_doc)) if per_doc else (0.0, 0.0, 0.0)


def _gold_sets(gold: Mapping[object, Iterable[str]]) -> dict[str, set[str]]:
    """doc_id (as text) -> comparable gold set, for the documents that have gold keywords."""
    sets = {str(d): _gold_set(gs) for d, gs in gold.items()}
    return {d: g for d, g in sets.items() if g}


def _gold_of(docs: pd.DataFrame, gold_column: str) -> dict[str, list[str]]:
    """doc_id -> the gold keywords of a column of ``docs`` (read with :func:`parse_gold`)."""
    return dict(zip(docs.doc_id, docs[gold_column].map(parse_gold)))


def evaluate_keywords(
    keywords: pd.DataFrame, gold: Mapping[object, Iterable[str]], *, ks: Sequence[int] = VALIDATION_KS
) -> pd.DataFrame:
    """Precision, recall and F1 at k of each method against gold keywords (macro-averaged over documents).

    Parameters
    ----------
    keywords : DataFrame
        The table of :func:`helpers.keywords.extract_keywords` (``__corpus__`` rows are ignored).
    gold : mapping
        doc_id -> gold keywords (e.g. from :func:`parse_gold`); documents without any are skipped.
    ks : sequence of int
        The list lengths k.

    Returns
    -------
    DataFrame
        ``method, k, precision, recall, f1, n_documents`` (one row per method and k).

    References
    ----------
    Manning, Raghavan & Schütze (2008), section 8.4; Hasan & Ng (2014): see the module's References.

    Examples
    --------
    >>> kw = pd.DataFrame({"doc_id": ["a", "a"], "method": ["m", "m"], "rank": [1, 2], "term": ["x", "y"],
    ...                    "score": [1.0, 0.5]})
    >>> evaluate_keywords(kw, {"a": ["X", "z"]}, ks=[2]).loc[0, ["precision", "recall", "f1"]].tolist()
    [0.5, 0.5, 0.5]
    """
    gold_sets = _gold_sets(gold)
    rows = [
        (m, int(k), *_macro_scores(predicted, gold_sets, k), len(gold_sets))
        for m, predicted in _ranked_terms(keywords).items()
        for k in ks
    ]
    return pd.DataFrame(rows, columns=["method", "k", "precision", "recall", "f1", "n_documents"])


def validate_keywords(
    docs: pd.DataFrame,
    *,
    gold_column: str = "keywords",
    corpus: str,
    ks: Sequence[int] = VALIDATION_KS,
    top_k: int = 10,
    **options,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run the keyword methods on documents with gold keywords and score them.

    Parameters
    ----------
    docs : DataFrame
        Documents with ``doc_id``, ``text`` and ``gold_column``; their ``title`` column, when they have one, is
        passed as ``titles`` (the title bonus of ``keyphrase`` goes to a known title only: CSL's abstract ends with
        its title, which :func:`helpers.keywords.with_title` finds there).
    gold_column : str
        The column of gold keywords (read with :func:`parse_gold`).
    corpus : str
        Name of the validation corpus, the ``corpus`` column of the scores.
    ks : sequence of int
        The list lengths k; the methods return at least ``max(ks)`` terms.
    top_k : int
        Keywords per document (raised to ``max(ks)``).
    **options
        Passed to :func:`helpers.keywords.extract_keywords` (``methods``, ``reference``, ``ngram_range`` ...;
        ``titles=None`` leaves the titles out).

    Returns
    -------
    tuple of DataFrame
        The keywords (no corpus rows) and the scores of :func:`evaluate_keywords` with a ``corpus`` column.
    """
    if "title" in docs:
        options.setdefault("titles", docs["title"].tolist())
    got = extract_keywords(docs["text"], doc_ids=docs.doc_id, top_k=max(top_k, *ks), corpus_level=False, **options)
    return got, score_against_column(got, docs, gold_column=gold_column, corpus=corpus, ks=ks)


def score_against_column(
    keywords: pd.DataFrame,
    docs: pd.DataFrame,
    *,
    gold_column: str = "keywords",
    corpus: str,
    ks: Sequence[int] = VALIDATION_KS,
) -> pd.DataFrame:
    """:func:`evaluate_keywords` against the gold keywords of a column of ``docs``, with a ``corpus`` column.

    Parameters
    ----------
    keywords : DataFrame
        The table of :func:`helpers.keywords.extract_keywords` for ``docs``.
    docs : DataFrame
        Documents with ``doc_id`` and ``gold_column`` (read with :func:`parse_gold`).
    gold_column : str
        The column of gold keywords.
    corpus : str
        The value of the ``corpus`` column.
    ks : sequence of int
        The list lengths k.

    Returns
    -------
    DataFrame
        ``method, k, precision, recall, f1, n_documents, corpus``.
    """
    return evaluate_keywords(keywords, _gold_of(docs, gold_column), ks=ks).assign(corpus=corpus)


def per_document_f1(
    keywords: pd.DataFrame, docs: pd.DataFrame, *, gold_column: str = "keywords", k: int = 5
) -> pd.DataFrame:
    """F1 at ``k`` of every method on every document with gold keywords: what the macro F1 averages.

    Parameters
    ----------
    keywords : DataFrame
        The table of :func:`helpers.keywords.extract_keywords` for ``docs``.
    docs : DataFrame
        Documents with ``doc_id`` and ``gold_column`` (read with :func:`parse_gold`).
    gold_column : str
        The column of gold keywords.
    k : int
        The list length.

    Returns
    -------
    DataFrame
        One row per document with gold keywords (index ``doc_id``), one column per method; its column means are
        the ``f1`` of :func:`score_against_column` at ``k``.

    >>> kw = pd.DataFrame({"doc_id": ["a", "b"], "method": ["m", "m"], "rank": [1, 1], "term": ["x", "y"],
    ...                    "score": 1.0})
    >>> per_document_f1(kw, pd.DataFrame({"doc_id": ["a", "b"], "keywords": ["x", "z"]}), k=1).m.tolist()
    [1.0, 0.0]
    """
    gold_sets = _gold_sets(_gold_of(docs, gold_column))
    ranked = _ranked_terms(keywords)
    table = {
        m: [_document_scores(pred.get(d, []), g, k)[2] for d, g in gold_sets.items()] for m, pred in ranked.items()
    }
    return pd.DataFrame(table, index=pd.Index(list(gold_sets), name="doc_id"))


def ratio_interval(
    per_document: pd.DataFrame,
    method: str,
    *,
    baseline: str = BASELINE_METHOD,
    confidence: float = RATIO_CONFIDENCE,
    n_resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = 0,
) -> tuple[float, float]:
    """Bootstrap interval of the ratio of two methods' mean F1, documents resampled in pairs.

    How far the ratio "``method`` scores r× the baseline" could move on another sample of documents like these
    (``scipy.stats.bootstrap``, percentile method, paired: both methods are scored on the same resampled
    documents).

    Parameters
    ----------
    per_document : DataFrame
        :func:`per_document_f1`.
    method, baseline : str
        The two columns compared.
    confidence : float
        The interval's confidence level.
    n_resamples : int
        Bootstrap resamples.
    seed : int
        The resampling seed (same interval on every machine).

    Returns
    -------
    tuple of float
        ``(low, high)``; ``(nan, nan)`` when the baseline scores 0 on every document.
    """
    a, b = per_document[method].to_numpy(float), per_document[baseline].to_numpy(float)
    if len(a) < 2 or not b.any():
        return math.nan, math.nan

    def ratio(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
        den = y.mean(axis=axis)
        return np.divide(x.mean(axis=axis), den, out=np.full(np.shape(den), np.nan), where=den > 0)

    res = stats.bootstrap(
        (a, b), ratio, paired=True, vectorized=True, confidence_level=confidence, n_resamples=n_resamples,
        method="percentile", random_state=np.random.default_rng(seed),
    )  # fmt: skip
    return float(res.confidence_interval.low), float(res.confidence_interval.high)


# -- reading the scores -----------------------------------------------------------------------------------------
def validation_table(scores: pd.DataFrame) -> pd.DataFrame:
    """Scores as one row per corpus and method, columns ``precision@k ... recall@k ... f1@k``.

    >>> s = pd.DataFrame({"method": ["m", "m"], "k": [5, 10], "precision": [0.4, 0.3], "recall": [0.5, 0.6],
    ...                   "f1": [0.44, 0.4], "n_documents": [3, 3], "corpus": ["c", "c"]})
    >>> validation_table(s).columns.tolist()
    ['precision@5', 'precision@10', 'recall@5', 'recall@10', 'f1@5', 'f1@10']
    """
    wide = scores.pivot_table(index=["corpus", "method"], columns="k", values=["precision", "recall", "f1"])
    wide.columns = [f"{m}@{k}" for m, k in wide.columns]
    return wide[[c for m in ("precision", "recall", "f1") for c in wide.columns if c.startswith(m)]]


def best_method(scores: pd.DataFrame, *, k: int = 5, corpus: str | None = None) -> pd.Series:
    """The row of the best F1 at ``k`` over the methods (``method, corpus, f1`` ...): on ``corpus`` when it was
    scored, else over all corpora.

    >>> s = pd.DataFrame({"method": ["a", "b"], "k": [5, 5], "f1": [0.3, 0.2], "corpus": ["v", "this corpus"]})
    >>> best_method(s).method, best_method(s, corpus="this corpus").method
    ('a', 'b')
    """
    at_k = scores[scores.k == k]
    if corpus is not None and (at_k.corpus == corpus).any():
        at_k = at_k[at_k.corpus == corpus]
    return at_k.sort_values("f1", ascending=False).iloc[0]


def method_standing(scores: pd.DataFrame, method: str, *, k: int = 5, baseline: str = BASELINE_METHOD) -> str:
    """How ``method`` ranked at F1@k on each corpus of ``scores``, against the baseline: a sentence computed from
    the run, or ``""`` when it was not scored.

    >>> s = pd.DataFrame({"method": ["a", "b", "jieba_extract_tags"], "k": 5, "f1": [0.3, 0.12, 0.15],
    ...                   "corpus": "csl_sample"})
    >>> method_standing(s, "b")
    'On `csl_sample` it scored F1@5 0.120, 3rd of 3 methods (the last), below the baseline `jieba_extract_tags` (0.150).'
    """
    parts = []
    for name in dict.fromkeys(scores.corpus if not scores.empty else []):
        f1 = scores.query("corpus == @name and k == @k").set_index("method").f1.sort_values(ascending=False)
        if method not in f1.index:
            continue
        place = list(f1.index).index(method) + 1
        nth = {1: "st", 2: "nd", 3: "rd"}.get(place if place < 20 else place % 10, "th")
        where = " (the best)" if place == 1 else " (the last)" if place == len(f1) else ""
        part = f"on `{name}` it scored F1@{k} {f1[method]:.3f}, {place}{nth} of {len(f1)} methods{where}"
        if baseline in f1.index and baseline != method:
            side = "above" if f1[method] > f1[baseline] else "below" if f1[method] < f1[baseline] else "level with"
            part += f", {side} the baseline `{baseline}` ({f1[baseline]:.3f})"
        parts.append(part)
    line = "; ".join(parts) + "."
    return line[0].upper() + line[1:] if parts else ""


def validation_summary(
    scores: pd.DataFrame,
    *,
    k: int = 5,
    baseline: str = BASELINE_METHOD,
    per_document: Mapping[str, pd.DataFrame] | None = None,
) -> list[str]:
    """One Markdown sentence per corpus: its best method at F1@k, the ratio to the baseline, all methods in order.

    With ``per_document`` (corpus -> :func:`per_document_f1` at the same ``k``), the ratio comes with its
    :func:`ratio_interval`: how much of it a different sample of documents could change.

    >>> s = pd.DataFrame({"method": ["a", "jieba_extract_tags"], "k": [5, 5], "f1": [0.3, 0.15],
    ...                   "n_documents": [9, 9], "corpus": ["c", "c"]})
    >>> validation_summary(s)[0].split(";")[0]
    "**c** (9 documents): best F1@5 0.300 by `a`, 2.0× the baseline's 0.150"
    """
    lines: list[str] = []
    for name in dict.fromkeys(scores.corpus if not scores.empty else []):
        f1 = scores.query("corpus == @name and k == @k").set_index("method").f1.sort_values(ascending=False)
        n_docs = int(scores[scores.corpus == name].n_documents.iloc[0])
        line = f"**{name}** ({n_docs} documents): best F1@{k} {f1.iloc[0]:.3f} by `{f1.index[0]}`"
        if baseline in f1.index and f1[baseline] > 0 and f1.index[0] != baseline:
            line += f", {f1.iloc[0] / f1[baseline]:.1f}× the baseline's {f1[baseline]:.3f}"
            if per_document is not None and name in per_document:
                low, high = ratio_interval(per_document[name], str(f1.index[0]), baseline=baseline)
                line += f" ({RATIO_CONFIDENCE:.0%} bootstrap interval of the ratio over documents {low:.2f}–{high:.2f})"
        lines.append(line + "; in order: " + ", ".join(f"`{m}` {v:.3f}" for m, v in f1.items()) + ".")
    return lines


def absent_gold_keywords(docs: pd.DataFrame, *, gold_column: str = "keywords") -> tuple[int, int]:
    """How many gold keywords never occur verbatim in their document's text, out of how many.

    No extractive method can find those: they bound every score from above.

    >>> absent_gold_keywords(pd.DataFrame({"text": ["水运工程管理"], "keywords": [["水运工程", "项目管理"]]}))
    (1, 2)
    """
    gold_terms = [(g, text) for text, kws in zip(docs["text"], docs[gold_column]) for g in parse_gold(kws)]
    return sum(g not in text for g, text in gold_terms), len(gold_terms)


def hit_examples(
    docs: pd.DataFrame,
    keywords: pd.DataFrame,
    *,
    methods: Sequence[str],
    gold_column: str = "keywords",
    n_documents: int = 3,
    n_terms: int = 5,
) -> pd.DataFrame:
    """The first documents' gold keywords next to each method's top terms, hits marked ✓.

    Parameters
    ----------
    docs : DataFrame
        Documents with ``doc_id`` and ``gold_column``.
    keywords : DataFrame
        The table of :func:`helpers.keywords.extract_keywords` for ``docs``.
    methods : sequence of str
        The methods shown (one column each).
    n_documents, n_terms : int
        How many documents (rows) and terms per method.

    Returns
    -------
    DataFrame
        Indexed by ``doc_id``: ``gold`` and one column per method, terms joined by `` / ``.
    """
    rows = {}
    for _, row in docs.head(n_documents).iterrows():
        gold = parse_gold(row[gold_column])
        cells = {"gold": " / ".join(gold)}
        for m in methods:
            sub = keywords[(keywords.doc_id == row.doc_id) & (keywords.method == m)]
            terms = sub.sort_values("rank").term.head(n_terms).tolist()
            cells[m] = " / ".join(t + (HIT_MARK if hit else "") for t, hit in zip(terms, match_gold(terms, gold)))
        rows[row.doc_id] = cells
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "doc_id"
    return table


# -- names: precision per kind on a hand-checked sample ------------------------------------------------------------
def entity_precision(names: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """Precision of :func:`helpers.keywords.extract_names` per kind against names a reader marked correct or not.

    A found name is matched to a label by ``doc_id, kind, name``: a name found with the wrong kind is matched to
    its label under the kind found (so a place listed as a person is wrong). Names the labels do not cover are
    counted as ``unchecked`` and left out of the precision (never assumed correct).

    Parameters
    ----------
    names : DataFrame
        The table of :func:`helpers.keywords.extract_names` (``doc_id, kind, name`` ...); corpus rows are ignored.
    labels : DataFrame
        ``doc_id, kind, name, correct`` (bool), as ``data/entities_sample/labels.csv``.

    Returns
    -------
    DataFrame
        One row per kind (person, place, organisation): ``found, checked, correct, unchecked, precision``
        (NaN where nothing was checked).

    Examples
    --------
    >>> found = pd.DataFrame({"doc_id": ["a", "a"], "kind": ["person", "place"], "name": ["滕宏伟", "东西"]})
    >>> marked = found.assign(correct=[True, False])
    >>> entity_precision(found, marked).precision.tolist()
    [1.0, 0.0, nan]
    """
    found = names.loc[names.doc_id.astype(str) != CORPUS_ID, ["doc_id", "kind", "name"]].astype(str)
    marked = labels[["doc_id", "kind", "name", "correct"]].astype({"doc_id": str, "kind": str, "name": str})
    merged = found.merge(marked.drop_duplicates(["doc_id", "kind", "name"]), how="left", on=["doc_id", "kind", "name"])
    rows = []
    for kind in KINDS[1:]:
        of_kind = merged[merged.kind == kind]
        checked = of_kind.correct.dropna().astype(bool)
        precision = checked.mean() if len(checked) else math.nan
        rows.append((kind, len(of_kind), len(checked), int(checked.sum()), len(of_kind) - len(checked), precision))
    return pd.DataFrame(rows, columns=["kind", "found", "checked", "correct", "unchecked", "precision"])


#: the split of a hand-checked sample kept unseen while the rules of extract_names were designed (data/entities_sample)
HELD_OUT_SPLIT = "heldout"
ALL_SPLITS = "all"


def entity_precision_by_split(names: pd.DataFrame, labels: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """:func:`entity_precision` on all documents and on each split of them (``sample``, ``heldout`` ...).

    Parameters
    ----------
    names, labels : DataFrame
        As for :func:`entity_precision`.
    documents : DataFrame
        The sample's documents: ``doc_id`` and, if the sample has splits, ``split`` (as ``load_corpus`` reads
        ``data/entities_sample/documents.jsonl``); without a ``split`` column only ``all`` is computed.

    Returns
    -------
    DataFrame
        ``split, documents, kind, found, checked, correct, unchecked, precision``: the rows of ``all`` first, then
        those of each split, :data:`HELD_OUT_SPLIT` first.

    Examples
    --------
    >>> found = pd.DataFrame({"doc_id": ["a", "b"], "kind": ["person", "person"], "name": ["滕宏伟", "高达"]})
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "split": ["sample", "heldout", "heldout"]})
    >>> t = entity_precision_by_split(found, found.assign(correct=[True, False]), docs)
    >>> t[t.kind == "person"][["split", "documents", "precision"]].values.tolist()
    [['all', 3, 0.5], ['heldout', 2, 0.0], ['sample', 1, 1.0]]
    """
    ids = documents.doc_id.astype(str)
    has_splits = "split" in documents
    doc_split = pd.Series(documents["split"].astype(str).values if has_splits else [], index=ids if has_splits else [])
    names = names.assign(doc_id=names.doc_id.astype(str))
    order = sorted(set(doc_split), key=lambda s: (s != HELD_OUT_SPLIT, s))
    parts = [(ALL_SPLITS, names, len(ids))]
    parts += [(s, names[names.doc_id.map(doc_split) == s], int((doc_split == s).sum())) for s in order]
    tables = [entity_precision(of, labels).assign(split=s, documents=n) for s, of, n in parts]
    columns = ["split", "documents", *tables[0].columns[:-2]]
    return pd.concat(tables, ignore_index=True)[columns]


def entity_split_summary(table: pd.DataFrame) -> str:
    """Markdown sentences of :func:`entity_precision_by_split`'s table: the held-out split first, as the honest
    figure, then all documents.

    >>> t = pd.DataFrame({"split": ["all", "heldout"], "documents": [4, 2], "kind": ["person"] * 2, "found": [4, 2],
    ...                   "checked": [4, 2], "correct": [3, 1], "unchecked": [0, 0], "precision": [0.75, 0.5]})
    >>> entity_split_summary(t)  # doctest: +NORMALIZE_WHITESPACE
    'On the held-out split (2 documents, never used to design the rules: the honest figure): person 0.50 (1 of 2
    checked). On all 4 documents: person 0.75 (3 of 4 checked).'
    """

    def per_kind(split: str) -> str:
        sentence = entity_summary(table[table.split == split])
        return sentence.removeprefix("Precision of the names found, per kind: ")

    n_all = int(table.loc[table.split == ALL_SPLITS, "documents"].iloc[0])
    overall = f"On all {n_all} documents: {per_kind(ALL_SPLITS)}"
    if HELD_OUT_SPLIT not in set(table.split):
        return overall
    n_held = int(table.loc[table.split == HELD_OUT_SPLIT, "documents"].iloc[0])
    held = f"On the held-out split ({n_held} documents, never used to design the rules: the honest figure): "
    return held + per_kind(HELD_OUT_SPLIT) + " " + overall


def entity_summary(precision: pd.DataFrame) -> str:
    """One Markdown sentence of :func:`entity_precision`'s table: precision per kind, out of how many names.

    >>> t = pd.DataFrame({"kind": ["person"], "found": [4], "checked": [4], "correct": [3], "unchecked": [0],
    ...                   "precision": [0.75]})
    >>> entity_summary(t)
    'Precision of the names found, per kind: person 0.75 (3 of 4 checked).'
    """
    parts = [
        f"{r.kind} {r.precision:.2f} ({r.correct} of {r.checked} checked"
        + (f"; {r.unchecked} not in the labels" if r.unchecked else "")
        + ")"
        for r in precision.itertuples()
        if r.checked
    ]
    return "Precision of the names found, per kind: " + ", ".join(parts) + "." if parts else "No name was checked."
