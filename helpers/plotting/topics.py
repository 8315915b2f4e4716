"""Figures of notebook 03 (LDA topics): the K sweep, the top terms of each topic, the document–topic heatmap.

Each function returns a matplotlib figure drawn with the project's CJK font (call
:func:`helpers.plotting.setup_cjk_fonts` first); save it with :func:`helpers.plotting.savefig`. Topics are numbered
from 1, as in pyLDAvis and every table of :mod:`helpers.topics`.

>>> import pandas as pd
>>> topics = pd.DataFrame({"topic": [1, 1, 2, 2], "rank": [1, 2, 1, 2], "term": ["扶贫", "产业", "足球", "比赛"],
...                        "weight": [0.3, 0.2, 0.4, 0.1]})
>>> len(plot_topic_terms(topics).axes)
2
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..topics import NO_TOPIC, RELEVANCE_LAMBDA, dominant_topics, summarise_sweep

__all__ = ["SWEEP_MEASURES", "plot_k_sweep", "plot_topic_terms", "heatmap_rows", "plot_doc_topics"]

#: The panels of :func:`plot_k_sweep`, with their titles.
SWEEP_MEASURES = {
    "c_v": "一致性 c_v",
    "c_npmi": "一致性 c_npmi",
    "u_mass": "一致性 u_mass",
    "stability": "跨种子稳定性 (Jaccard)",
}


def plot_k_sweep(sweep: pd.DataFrame, *, n_units: int, unit: str = "paragraph"):
    """Each measure of a :func:`helpers.topics.k_sweep` table against K: the mean over seeds with ± one standard
    deviation (the spread between seeds) as error bars, one panel per measure of :data:`SWEEP_MEASURES`.

    Parameters
    ----------
    sweep : pandas.DataFrame
        The sweep table (one row per K and seed).
    n_units : int
        How many units the sweep was fitted on (for the title).
    unit : str
        ``"paragraph"`` or ``"document"`` (for the title).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    summary = summarise_sweep(sweep)
    fig, axes = plt.subplots(1, len(SWEEP_MEASURES), figsize=(16, 3.6))
    for ax, (m, title) in zip(axes, SWEEP_MEASURES.items()):
        ax.errorbar(summary["k"], summary[f"{m}_mean"], yerr=summary[f"{m}_std"].fillna(0), marker="o", capsize=4)
        ax.set_title(title)
        ax.set_xlabel("主题数 K")
        ax.set_xticks(summary["k"])
    axes[0].set_ylabel("均值 ± 标准差 (各种子)")
    what = "段落" if unit == "paragraph" else "文档"
    fig.suptitle(f"选择主题数：{sweep['seed'].nunique()} 个随机种子，{n_units} 个{what}")
    fig.tight_layout()
    return fig


def plot_topic_terms(topics: pd.DataFrame, *, n_terms: int = 10):
    """One panel per topic: its first ``n_terms`` terms in the table's order (:func:`helpers.topics.topics_table`
    ranks them by relevance, as pyLDAvis does), bar length P(term | topic).

    Parameters
    ----------
    topics : pandas.DataFrame
        The table of :func:`helpers.topics.topics_table` (``topic, rank, term, weight``; ``relevance`` if present).
    n_terms : int
        Terms per panel.

    Returns
    -------
    matplotlib.figure.Figure
        Four panels per row; the axes of empty grid cells are switched off.
    """
    import matplotlib.pyplot as plt

    k = topics["topic"].nunique()
    ncol = min(k, 4)
    nrow = int(np.ceil(k / ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(4 * ncol, 2.8 * nrow), squeeze=False)
    for ax, (t, g) in zip(axes.flat, topics[topics["rank"] <= n_terms].groupby("topic")):
        ax.barh(g.term[::-1], g.weight[::-1], color=f"C{(t - 1) % 10}")
        ax.set_title(f"主题 {t}")
        ax.tick_params(axis="x", labelsize=7)
    for ax in axes.flat[k:]:
        ax.axis("off")
    ranked = f"按相关度排序（λ = {RELEVANCE_LAMBDA}）" if "relevance" in topics else "按概率排序"
    fig.suptitle(f"各主题的关键词，{ranked}；条长 = P(词 | 主题)")
    fig.tight_layout()
    return fig


def heatmap_rows(theta: np.ndarray, *, max_rows: int = 40) -> np.ndarray:
    """Row indices for a document–topic heatmap: grouped by dominant topic, the clearest documents of each topic
    first, at most ``max_rows`` in all with every topic represented (about ``max_rows / K`` per topic). Rows
    without a topic (:func:`helpers.topics.dominant_topics`) are never chosen.

    >>> heatmap_rows(np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]]), max_rows=2).tolist()
    [0, 1]
    """
    theta = np.asarray(theta, dtype=float)
    dominant = dominant_topics(theta)
    per_topic = max(1, max_rows // max(theta.shape[1], 1))
    rows: list[int] = []
    for t in range(theta.shape[1]):
        members = np.flatnonzero(dominant == t + 1)
        members = members[np.lexsort((members, -theta[members, t]))]
        rows.extend(members[:per_topic].tolist())
    return np.array(rows[:max_rows], dtype=int)


def plot_doc_topics(
    theta: np.ndarray,
    doc_ids: Sequence[str],
    *,
    topic_labels: Mapping[int, str],
    labels: Mapping[str, str] | None = None,
    max_rows: int = 40,
):
    """The topic mixture of the documents as a heatmap (darker = larger share), rows chosen by
    :func:`heatmap_rows`.

    Parameters
    ----------
    theta : numpy.ndarray
        Documents × topics weights (rows sum to 1; NaN rows have no topic: they are counted in the axis label,
        not drawn).
    doc_ids : sequence of str
        The id of each row of ``theta``.
    topic_labels : mapping
        1-based topic number -> column label (e.g. :func:`helpers.topics.topic_labels`).
    labels : mapping, optional
        doc_id -> row label, shown as given: the labels notebook 04 gives the same documents
        (:func:`helpers.similarity.short_labels`, the title or else the start of the text, made unique by
        :func:`helpers.similarity.distinct_labels`); a document without one is labelled by its id.
    max_rows : int
        At most this many documents are shown.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    theta = np.asarray(theta, dtype=float)
    k = theta.shape[1]
    order = heatmap_rows(theta, max_rows=max_rows)
    names = {str(i): t for i, t in dict(labels or {}).items() if isinstance(t, str) and t.strip()}
    row_labels = [names.get(str(doc_ids[i]), str(doc_ids[i])) for i in order]
    label_width = 0.14 * max(map(len, row_labels), default=0)  # inches of the longest row label (~0.14 per CJK char)
    fig, ax = plt.subplots(figsize=(min(2 + 1.3 * k + label_width, 24), 1.5 + 0.32 * len(order)))
    im = ax.imshow(theta[order], aspect="auto", cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(k), [topic_labels[t] for t in range(1, k + 1)], rotation=35, ha="right")
    ax.set_yticks(range(len(order)), row_labels)
    n_none = int(sum(1 for d in dominant_topics(theta) if d == NO_TOPIC))
    ax.set_xlabel(f"主题（另有 {n_none} 篇文档不含主题词表中的词：无主题，未画出）" if n_none else "主题")
    ax.set_title("文档–主题分布")
    fig.colorbar(im, ax=ax, label="主题权重")
    fig.tight_layout()
    return fig
