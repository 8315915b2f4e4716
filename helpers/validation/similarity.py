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

from ..similarity import SimilarityIndex, top_k_neighbours

__all__ = ["precision_at_k", "evaluate_precision_at_k", "baseline_tfidf_neighbours", "precision_at_k_table"]

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
