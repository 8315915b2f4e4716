"""Figures of notebook 01 (cleaning): document lengths before and after cleaning, and the most frequent tokens.

Each function returns a matplotlib figure drawn with the project's CJK font (call
:func:`helpers.plotting.setup_cjk_fonts` first); save it with :func:`helpers.plotting.savefig`.

>>> import pandas as pd
>>> docs = pd.DataFrame({"doc_id": ["a", "b"], "title": ["脱贫攻坚", None], "raw": ["甲乙丙丁", "甲乙"],
...                      "text": ["甲乙", "甲"]})
>>> [t.get_text() for t in plot_lengths(docs).axes[0].get_yticklabels()]
['脱贫攻坚', 'b']
"""

from __future__ import annotations

import pandas as pd

__all__ = ["plot_lengths", "plot_top_tokens", "MAX_LENGTH_BARS", "HISTOGRAM_SIZE"]

#: up to this many documents, one pair of bars each (raw, cleaned); more: histograms of raw and cleaned lengths
MAX_LENGTH_BARS = 30
#: characters of a document's title (or id) shown as its bar label
LABEL_CHARS = 18


#: figure size (inches) of the histogram drawn for many documents: a landscape panel, whatever their number
HISTOGRAM_SIZE = (9, 4)
#: bins of that histogram
HISTOGRAM_BINS = 40


def plot_lengths(docs: pd.DataFrame):
    """Raw and cleaned length of each document (characters): bars per document, or histograms for many.

    Parameters
    ----------
    docs : pandas.DataFrame
        Documents with ``doc_id``, ``title``, ``raw`` and ``text`` (as :func:`helpers.corpus.load_corpus` gives).
        Up to :data:`MAX_LENGTH_BARS` documents: a grey bar (raw) under a blue one (cleaned) each, labelled by
        title (or id when there is no title); more: the histograms of raw (grey) and cleaned (blue) lengths on the
        same bins. Without raw text (``keep_raw=False``) only the cleaned lengths, and the title says so.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np

    raw_chars, clean_chars = docs["raw"].str.len(), docs["text"].str.len()
    has_raw = bool(raw_chars.notna().all()) and len(docs) > 0
    if len(docs) <= MAX_LENGTH_BARS:
        fig, ax = plt.subplots(figsize=(9, 0.35 * len(docs) + 1.5))
        labels = [(t if isinstance(t, str) and t else d)[:LABEL_CHARS] for t, d in zip(docs["title"], docs["doc_id"])]
        y = range(len(docs))
        if has_raw:
            ax.barh(y, raw_chars, color="#ccc", label="原始 raw")
        ax.barh(y, clean_chars, color="#1f77b4", label="清洗后 cleaned")
        ax.set_yticks(list(y), labels)
        ax.invert_yaxis()
        ax.set_xlabel("字符数 characters")
    else:
        fig, ax = plt.subplots(figsize=HISTOGRAM_SIZE)
        bins = np.histogram_bin_edges(pd.concat([raw_chars, clean_chars]).dropna(), bins=HISTOGRAM_BINS)
        if has_raw:
            ax.hist(raw_chars, bins=bins, color="#ccc", label="原始 raw")
        ax.hist(clean_chars, bins=bins, color="#1f77b4", alpha=0.75, label="清洗后 cleaned")
        ax.set_xlabel("字符数 characters")
        ax.set_ylabel("文档数 documents")
    ax.legend()
    what = "before and after cleaning" if has_raw else "after cleaning (raw text not kept)"
    ax.set_title(f"文档长度 Document length {what} ({len(docs):,} documents)")
    return fig


def plot_top_tokens(top: pd.DataFrame, *, n_documents: int):
    """Horizontal bars of the most frequent tokens, the most frequent on top.

    Parameters
    ----------
    top : pandas.DataFrame
        Columns ``token`` and ``count``, most frequent first.
    n_documents : int
        How many documents the counts come from (in the title).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_top_tokens(pd.DataFrame({"token": ["脱贫", "攻坚"], "count": [5, 3]}), n_documents=2)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['脱贫', '攻坚']
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 0.28 * len(top) + 1.2))
    ax.barh(top["token"], top["count"], color="#d62728")
    ax.invert_yaxis()
    ax.set_xlabel("出现次数 count")
    ax.set_title(f"最常见的词 Top {len(top)} tokens ({n_documents} documents)")
    return fig
