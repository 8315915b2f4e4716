"""Validation of document similarity: precision at k against category labels, and the plain TF-IDF baseline.

A good similarity puts documents of the same category next to each other. :func:`precision_at_k` measures that
on a labelled collection (e.g. the THUCNews/cnews slice in ``data/``); :func:`baseline_tfidf_neighbours` is the
reference a method has to beat: TF-IDF cosine on ``jieba.lcut`` tokens with scikit-learn's defaults.

>>> import numpy as np
>>> precision_at_k(np.array([[1], [0], [0]]), ["x", "x", "y"], k=1)
0.6666666666666666
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..similarity import LabelChoice, SimilarityIndex, top_k_neighbours
from ..tables import plural

__all__ = [
    "precision_at_k",
    "evaluate_precision_at_k",
    "baseline_tfidf_neighbours",
    "precision_at_k_table",
    "own_labels_precision",
    "own_labels_sentence",
    "own_labels_check",
    "neighbours_follow_sentence",
    "FOLLOW_MIN_GAIN",
]

#: the label given to the baseline's row in :func:`precision_at_k_table`
BASELINE_NAME = "baseline: TF-IDF on jieba.lcut"


def precision_at_k(indices: np.ndarray, labels: Sequence, *, k: int = 5) -> float:
    """Mean share of each document's ``k`` nearest neighbours that carry the document's label.

    Parameters
    ----------
    indices : numpy.ndarray
        ``n x m`` neighbour indices, best first (:func:`helpers.similarity.top_k_neighbours`), ``m >= k``.
    labels : sequence
        The label of every document.
    k : int
        Neighbours counted per document.

    Returns
    -------
    float
        Precision at ``k`` in [0, 1]; NaN when there are no neighbours.

    References
    ----------
    Manning, Raghavan & Schütze, *Introduction to Information Retrieval* (2008), section 8.4 (precision at k).

    >>> precision_at_k(np.array([[1], [0], [1]]), ["x", "x", "y"], k=1)
    0.6666666666666666
    """
    lab = np.asarray(list(labels), dtype=object)
    nn = indices[:, :k]
    if nn.size == 0:
        return float("nan")
    return float(np.mean(lab[nn] == lab[:, None]))


def evaluate_precision_at_k(index: SimilarityIndex, labels: Sequence, *, k: int = 5) -> pd.DataFrame:
    """Precision at ``k`` of every method of a fitted index against document labels.

    Parameters
    ----------
    index : helpers.similarity.SimilarityIndex
        A fitted index of the labelled documents.
    labels : sequence
        The label of every document, in the index's order.
    k : int
        Neighbours counted per document.

    Returns
    -------
    pandas.DataFrame
        ``method, precision_at_<k>``, one row per method of the index.

    >>> docs = [["扶贫", "产业"], ["扶贫", "就业"], ["足球", "比赛"], ["足球", "球队"]]
    >>> index = SimilarityIndex.fit(docs, methods=("tfidf",))
    >>> evaluate_precision_at_k(index, ["p", "p", "s", "s"], k=1)["precision_at_1"].tolist()
    [1.0]
    """
    rows = [
        {"method": m, f"precision_at_{k}": precision_at_k(index.neighbours(m, k=k)[0], labels, k=k)}
        for m in index.methods
    ]
    return pd.DataFrame(rows)


def baseline_tfidf_neighbours(texts: Sequence[str], *, k: int = 5):
    """The reference baseline: plain TF-IDF cosine on ``jieba.lcut`` tokens (default dictionary, no stopwords).

    Uses :func:`helpers.tokenize.baseline_jieba` (the segmentation of ``jieba.lcut``, no cache file) and
    scikit-learn's default ``TfidfVectorizer`` settings.

    Parameters
    ----------
    texts : sequence of str
        Raw document texts.
    k : int
        Neighbours per document.

    Returns
    -------
    tuple of numpy.ndarray
        ``(indices, scores)`` as :func:`helpers.similarity.top_k_neighbours` returns them.

    References
    ----------
    Salton & Buckley, "Term-weighting approaches in automatic text retrieval", *Information Processing &
    Management* 24 (1988): TF-IDF weighting and cosine similarity.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    from ..tokenize import baseline_jieba

    tk = baseline_jieba()
    X = TfidfVectorizer(tokenizer=tk.lcut, token_pattern=None, lowercase=False).fit_transform(list(texts))
    return top_k_neighbours(X, k=k)


def precision_at_k_table(
    index: SimilarityIndex, texts: Sequence[str], labels: Sequence, *, k: int = 5, collection: str
) -> pd.DataFrame:
    """Precision at ``k`` of every method of ``index`` and of the baseline, as notebook 04 reports it.

    Parameters
    ----------
    index : helpers.similarity.SimilarityIndex
        A fitted index of the labelled documents.
    texts : sequence of str
        The same documents' texts (for :func:`baseline_tfidf_neighbours`).
    labels : sequence
        Their labels.
    k : int
        Neighbours counted per document.
    collection : str
        Name of the labelled collection, written in a ``collection`` column.

    Returns
    -------
    pandas.DataFrame
        ``method, precision_at_<k>, collection, documents``: the index's methods first, then the baseline
        (:data:`BASELINE_NAME`); precision rounded to 3 decimals.
    """
    table = evaluate_precision_at_k(index, labels, k=k)
    base = precision_at_k(baseline_tfidf_neighbours(texts, k=k)[0], labels, k=k)
    table.loc[len(table)] = {"method": BASELINE_NAME, f"precision_at_{k}": base}
    return table.assign(collection=collection, documents=len(texts)).round({f"precision_at_{k}": 3})


#: the row of :func:`own_labels_precision` giving the precision that neighbours drawn at random would reach
RANDOM_NAME = "random neighbours (expected)"
#: neighbours *largely follow* a column when the share of them that share a document's value is at least halfway
#: from chance to all of them: (p - chance) / (1 - chance) >= 0.5, agreement beyond chance scaled as Cohen's kappa
#: (Cohen 1960) scales it; halfway is the plain sense of "largely", stated in the sentence
FOLLOW_MIN_GAIN = 0.5


def own_labels_precision(
    index: SimilarityIndex, labels: Sequence, *, texts: Sequence[str] | None = None, k: int = 5
) -> pd.DataFrame | None:
    """Precision at ``k`` of every method of ``index`` against the corpus's *own* labels (a label column such as
    ``folder`` or 类别, :func:`helpers.similarity.find_label_column`): the measure of section 5a on the corpus the
    notebook ran on, so that it says which method suits this corpus. ``None`` when fewer than two labels occur or
    the corpus has no more than ``k`` documents.

    Only documents with a label are measured; every document stays a possible neighbour, and a neighbour without
    a label counts as a miss. With ``texts`` the baseline (:data:`BASELINE_NAME`) is measured too. A last row
    (:data:`RANDOM_NAME`) gives what neighbours drawn at random among the other documents would reach:
    ``sum n_c (n_c - 1) / (n_labelled (N - 1))``.

    Returns
    -------
    pandas.DataFrame or None
        ``method, precision_at_<k>, documents, labels``: precision rounded to 3 decimals, the documents measured and
        the number of labels; ``attrs["unlabelled"]`` counts the documents left out.

    >>> docs = [["扶贫", "产业"], ["扶贫", "就业"], ["足球", "比赛"], ["足球", "球队"]]
    >>> index = SimilarityIndex.fit(docs, methods=("tfidf",))
    >>> own_labels_precision(index, ["p", "p", "s", "s"], k=1).to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'method': 'tfidf', 'precision_at_1': 1.0, 'documents': 4, 'labels': 2},
     {'method': 'random neighbours (expected)', 'precision_at_1': 0.333, 'documents': 4, 'labels': 2}]
    >>> own_labels_precision(index, ["p", "p", "p", ""], k=1) is None  # one label: nothing to tell apart
    True
    """
    lab = np.asarray([v.strip() if isinstance(v, str) else "" for v in labels], dtype=object)
    has = lab != ""
    counts = pd.Series(lab[has]).value_counts()
    if len(counts) < 2 or len(lab) <= k:
        return None
    col = f"precision_at_{k}"

    def measured(indices: np.ndarray) -> float:
        return float(np.mean(lab[indices[has, :k]] == lab[has][:, None]))

    rows = [{"method": m, col: measured(index.neighbours(m, k=k)[0])} for m in index.methods]
    if texts is not None:
        rows.append({"method": BASELINE_NAME, col: measured(baseline_tfidf_neighbours(texts, k=k)[0])})
    n_labelled = int(has.sum())
    chance = float((counts * (counts - 1)).sum() / (n_labelled * (len(lab) - 1)))
    rows.append({"method": RANDOM_NAME, col: chance})
    table = pd.DataFrame(rows).assign(documents=n_labelled, labels=len(counts)).round({col: 3})
    table.attrs["unlabelled"] = int((~has).sum())
    return table


def own_labels_sentence(table: pd.DataFrame, column: str, *, default: str | None = None, named: bool = True) -> str:
    """What :func:`own_labels_precision` found, in one paragraph: which method puts documents of the same label
    together most often on this corpus (ties named as such), the others, the baseline and chance, and, when
    ``default`` (the method the notebook's figures use) is not the best, how far behind it is. With
    ``named=False`` (a categorical column not named as a label, :class:`helpers.similarity.LabelChoice`) the
    column's values are called values, not labels.

    >>> t = pd.DataFrame({"method": ["lsi", "tfidf", RANDOM_NAME], "precision_at_5": [0.925, 0.911, 0.2],
    ...                   "documents": 1003, "labels": 5})
    >>> print(own_labels_sentence(t, "folder", default="tfidf"))  # doctest: +NORMALIZE_WHITESPACE
    Against this corpus's own labels (`folder`: 5 labels, 1,003 documents), **lsi** puts documents of the same label
    together most often (precision at 5 = 0.925; tfidf 0.911), against 0.200 for neighbours drawn at random: on
    this corpus lsi is the best of the 2 methods. tfidf, which the heatmaps, dendrogram and map use (section 2),
    reaches 0.911.
    """
    col = next(c for c in table.columns if c.startswith("precision_at_"))
    k = col.rsplit("_", 1)[1]
    scores = table.set_index("method")[col]
    chance = scores.get(RANDOM_NAME)
    base = scores.get(BASELINE_NAME)
    ours = scores.drop([RANDOM_NAME, BASELINE_NAME], errors="ignore").sort_values(ascending=False, kind="stable")
    top = [m for m, p in ours.items() if p == ours.iloc[0]]
    n_docs, n_labels = int(table["documents"].iloc[0]), int(table["labels"].iloc[0])
    leaders = " and ".join(f"**{m}**" for m in top)
    rest = ", ".join(f"{m} {p:.3f}" for m, p in ours.items() if m not in top)
    noun = "label" if named else "value"
    compared = (
        f"this corpus's own labels (`{column}`: {n_labels:,} labels" if named else f"`{column}` ({n_labels:,} values"
    )
    said = (
        f"Against {compared}, {n_docs:,} documents), {leaders} "
        + ("puts" if len(top) == 1 else "tie in putting")
        + f" documents of the same {noun} together most often (precision at {k} = {ours.iloc[0]:.3f}"
        + (f"; {rest})" if rest else ")")
    )
    against = [f"{base:.3f} for plain TF-IDF on `jieba.lcut` tokens"] if base is not None else []
    against += [f"{chance:.3f} for neighbours drawn at random"] if chance is not None else []
    said += (", against " + " and ".join(against) if against else "") + ": on this corpus "
    said += (
        f"{top[0]} is the best of the {len(ours)} methods."
        if len(top) == 1
        else f"{' and '.join(top)} are the best of the {len(ours)} methods, level with each other."
    )
    if base is not None and ours.iloc[0] <= base:
        said += " None of them beats the baseline here."
    if default is not None and default in ours.index and default not in top:
        said += f" {default}, which the heatmaps, dendrogram and map use (section 2), reaches {ours[default]:.3f}."
    unlabelled = table.attrs.get("unlabelled", 0)
    if unlabelled:
        said += (
            f" {plural(unlabelled, 'document')} without a {noun} {'is' if unlabelled == 1 else 'are'} not measured; "
            f"every document stays among the neighbours, where one without a {noun} counts as a miss."
        )
    return said


def own_labels_check(
    index: SimilarityIndex,
    docs: pd.DataFrame,
    column: str | None,
    *,
    default: str | None = None,
    k: int = 5,
    label: LabelChoice | None = None,
) -> tuple[pd.DataFrame | None, str]:
    """Section 5d of notebook 04: :func:`own_labels_precision` of the corpus ``docs`` (``text`` and the label
    ``column`` of :func:`helpers.similarity.find_label_column`, ``None`` when it has none) and
    :func:`own_labels_sentence`; without a table, the line saying why there is none.

    With ``label`` (:func:`helpers.similarity.choose_label_column`) naming a categorical column that is not named
    as a label (a CSV's 来源), the paragraph first says so, calls its values values, and ends with
    :func:`neighbours_follow_sentence`: whether the neighbours largely follow that column.

    >>> docs = pd.DataFrame({"text": ["扶贫产业", "扶贫就业"]})
    >>> index = SimilarityIndex.fit([["扶贫", "产业"], ["扶贫", "就业"]], methods=("tfidf",))
    >>> own_labels_check(index, docs, None)[1][:66]
    "No precision on this corpus's own labels: it has no label column ("
    """
    if column is None:
        from ..similarity import LABEL_COLUMNS

        looked = ", ".join(f"`{c}`" for c in LABEL_COLUMNS)
        why = f"it has no label column (looked for {looked}), {LabelChoice.absent()}"
        return None, f"No precision on this corpus's own labels: {why}."
    named = label is None or label.named or label.column != column
    # a categorical column, or the one label of a column of lists, is said first ("" for a column named as a label)
    intro = label.sentence("the neighbours are compared with") if label is not None and label.column == column else ""
    intro += " " if intro else ""
    table = own_labels_precision(index, docs[column], texts=docs["text"].tolist(), k=k)
    if table is None:
        n_labels = len({v.strip() for v in docs[column] if isinstance(v, str) and v.strip()})
        why = (
            f"`{column}` gives fewer than two labels" if n_labels < 2 else f"the corpus has only {len(docs)} documents"
        )
        return None, f"{intro}No precision on this corpus's own labels: {why}, too few to measure it."
    said = own_labels_sentence(table, column, default=default, named=named)
    if not named:
        said += " " + neighbours_follow_sentence(table, column)
    return table, intro + said


def neighbours_follow_sentence(table: pd.DataFrame, column: str) -> str:
    """Whether each method's nearest neighbours largely follow ``column`` (:data:`FOLLOW_MIN_GAIN`): the share of a
    document's neighbours that share its value, by method (the range over methods), against chance
    (:func:`own_labels_precision`'s table). For a column not named as a label (a source, a channel), so that a
    reader knows the similarity mostly finds documents of the same source.

    >>> t = pd.DataFrame({"method": ["lsi", "tfidf", RANDOM_NAME], "precision_at_5": [0.89, 0.85, 0.35],
    ...                   "documents": 600, "labels": 3})
    >>> print(neighbours_follow_sentence(t, "来源"))  # doctest: +NORMALIZE_WHITESPACE
    Similarity largely follows `来源`: by each of the 2 methods, 85–89 % of a document's 5 nearest neighbours share
    its value of `来源`, against 35 % for neighbours drawn at random (largely: at least halfway from chance to all).
    """
    col = next(c for c in table.columns if c.startswith("precision_at_"))
    k = col.rsplit("_", 1)[1]
    scores = table.set_index("method")[col]
    chance = float(scores[RANDOM_NAME])
    ours = scores.drop([RANDOM_NAME, BASELINE_NAME], errors="ignore")
    gain = (ours - chance) / (1 - chance) if chance < 1 else ours * 0
    low, high = round(float(ours.min()) * 100), round(float(ours.max()) * 100)
    shares = f"{low}–{high} %" if low != high else f"{high} %"
    following = [m for m in ours.index if gain[m] >= FOLLOW_MIN_GAIN]
    if len(ours) == 1:
        by = f"by {ours.index[0]}"
    else:
        by = f"by each of the {len(ours)} methods" if len(following) == len(ours) else f"by {', '.join(following)}"
    figures = (
        f"{shares} of a document's {k} nearest neighbours share its value of `{column}`, against "
        f"{round(chance * 100)} % for neighbours drawn at random"
    )
    rule = "(largely: at least halfway from chance to all)"
    if len(following) == len(ours):
        return f"Similarity largely follows `{column}`: {by}, {figures} {rule}."
    if following:
        return f"Similarity largely follows `{column}` {by}: across the {len(ours)} methods, {figures} {rule}."
    return f"Similarity does not largely follow `{column}`: {figures}, less than halfway from chance to all."
