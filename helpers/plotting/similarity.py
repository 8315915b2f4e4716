"""Figures of document similarity (notebook 04): annotated heatmap, dendrogram and 2-D map of the corpus.

Each function returns the matplotlib figure; call :func:`helpers.plotting.setup_cjk_fonts` first so that Chinese
labels render, and :func:`helpers.plotting.savefig` to write it.

>>> import numpy as np
>>> from helpers.plotting import setup_cjk_fonts
>>> _ = setup_cjk_fonts()
>>> fig = plot_similarity_heatmap(np.eye(2), ["甲", "乙"], title="t")
>>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
['甲', '乙']
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..similarity import NO_LABEL_GROUP, NO_TOPIC_GROUP, OTHER_GROUP, FigureSample

__all__ = ["plot_similarity_heatmap", "plot_dendrogram", "plot_map", "group_palette", "shown_count"]

#: matrices up to this many documents get their value written in every cell (more would be unreadable)
MAX_ANNOTATED = 12
#: above this many documents, tick labels use a smaller font
SMALL_FONT_ABOVE = 15
#: annotations on cells darker than this similarity are white (viridis is dark below about 0.6)
DARK_BELOW = 0.6
#: maps with up to this many documents get a text label at each point
MAX_POINT_LABELS = 40
#: legends list at most this many groups
MAX_LEGEND_GROUPS = 20
#: map groups that are not a category (other labels, no label, no topic): drawn in grey after the others, so that
#: the palette's colours go to real groups only (with 10 topics and no-topic documents, the 11th entry would
#: otherwise take the first topic's colour again)
NONE_GROUPS = (OTHER_GROUP, NO_LABEL_GROUP, NO_TOPIC_GROUP)
#: a light grey for the less frequent labels, lighter than the grey of matplotlib's default cycle (#7f7f7f)
OTHER_COLOUR = "#b4b4b4"
#: documents without a label or topic are hollow grey rings, so they differ from OTHER_GROUP on the same map
NONE_EDGE = "#8c8c8c"
#: a colour less saturated than this is grey, kept for the groups of NONE_GROUPS (tab10's #7f7f7f and tab20's
#: #c7c7c7 have 0; the least saturated hues, tab10's purple #9467bd and tab20's light purple #c5b0d5, 0.46 and 0.17)
GREY_SATURATION = 0.1
#: the dendrogram colours clusters joined below this share of the largest merge distance (scipy's default)
COLOR_THRESHOLD = 0.7


def shown_count(shown: FigureSample) -> str:
    """How many documents a figure shows, for its title, and how they were chosen when they are not the whole
    corpus: groups of similar documents (:func:`helpers.similarity.figure_sample`).

    >>> import numpy as np
    >>> shown_count(FigureSample(np.arange(30), np.repeat(np.arange(6), 5), 3915))
    '30 篇：6 组相近文档，从 3,915 篇中选出'
    >>> shown_count(FigureSample(np.arange(5), None, 5))
    '5 篇'
    """
    n_shown = len(shown.rows)
    if shown.group is None:
        return f"{n_shown:,} 篇"
    return f"{n_shown:,} 篇：{shown.n_groups} 组相近文档，从 {shown.n_total:,} 篇中选出"


def _annotate_cells(ax, S: np.ndarray) -> None:
    """Write every cell's value (two decimals) on a heatmap, in a colour readable on the cell."""
    n = S.shape[0]
    for i in range(n):
        for j in range(n):
            colour = "white" if S[i, j] < DARK_BELOW else "black"
            ax.text(j, i, f"{S[i, j]:.2f}", ha="center", va="center", fontsize=8, color=colour)


def plot_similarity_heatmap(S: np.ndarray, labels: Sequence[str], *, title: str, ax=None, groups=None):
    """A heatmap of a small similarity matrix with (Chinese) labels on both axes.

    Parameters
    ----------
    S : numpy.ndarray
        ``n x n`` similarities in [0, 1] (:meth:`helpers.similarity.SimilarityIndex.matrix`).
    labels : sequence of str
        One label per document, on both axes.
    title : str
        Axes title.
    ax : matplotlib.axes.Axes, optional
        Draw here instead of on a new figure.
    groups : sequence of int, optional
        The group of each row (:attr:`helpers.similarity.FigureSample.group`), rows of a group together: a white
        line is drawn between groups.

    Returns
    -------
    matplotlib.figure.Figure
        The figure: the heatmap (values written in the cells up to :data:`MAX_ANNOTATED` documents) and a
        colour bar labelled ``similarity``.
    """
    import matplotlib.pyplot as plt

    n = len(labels)
    if ax is None:
        size = max(4.0, min(14.0, 0.32 * n + 2.5))
        fig, ax = plt.subplots(figsize=(size + 1.2, size))
    else:
        fig = ax.figure
    im = ax.imshow(S, vmin=0, vmax=1, cmap="viridis")
    fontsize = 8 if n > SMALL_FONT_ABOVE else 10
    ax.set_xticks(range(n), labels, rotation=90, fontsize=fontsize)
    ax.set_yticks(range(n), labels, fontsize=fontsize)
    if n <= MAX_ANNOTATED:
        _annotate_cells(ax, S)
    if groups is not None:
        for edge in np.flatnonzero(np.diff(np.asarray(groups))) + 0.5:  # between the last row of a group and the next
            ax.axhline(edge, color="white", linewidth=1.5)
            ax.axvline(edge, color="white", linewidth=1.5)
    fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04, label="similarity")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_dendrogram(S: np.ndarray, labels: Sequence[str], *, title: str):
    """Average-linkage dendrogram on the distance ``1 - similarity``.

    Parameters
    ----------
    S : numpy.ndarray
        ``n x n`` similarities in [0, 1]; symmetrised, and the diagonal set to distance 0.
    labels : sequence of str
        One label per document (the leaves).
    title : str
        Axes title.

    Returns
    -------
    matplotlib.figure.Figure
        One axes, leaves on the y axis, distance on the x axis.

    References
    ----------
    Sokal & Michener, "A statistical method for evaluating systematic relationships", *University of Kansas
    Science Bulletin* 38 (1958): average linkage (UPGMA).
    """
    import matplotlib.pyplot as plt
    from scipy.cluster.hierarchy import dendrogram, linkage
    from scipy.spatial.distance import squareform

    D = 1.0 - np.clip(S, 0.0, 1.0)
    D = (D + D.T) / 2
    np.fill_diagonal(D, 0.0)
    Z = linkage(squareform(D, checks=False), method="average")
    fig, ax = plt.subplots(figsize=(8, max(3.0, 0.28 * len(labels) + 1)))
    dendrogram(Z, labels=list(labels), orientation="right", ax=ax, color_threshold=COLOR_THRESHOLD * Z[:, 2].max())
    ax.set_xlabel("距离（1 − 相似度），平均连接")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def _natural_key(name: str) -> list:
    """Sort key putting ``topic 2`` before ``topic 10`` (numbers compared as numbers)."""
    return [(0, int(t)) if t.isdigit() else (1, t) for t in re.split(r"(\d+)", name)]


def group_palette() -> list[str]:
    """Colours for the real groups of a map: matplotlib's colour cycle, then the light shades of ``tab20``, without
    their grey, which means 其他 / 无标签 / 无主题 (:data:`NONE_GROUPS`) on a map; 18 colours with the default cycle.

    >>> palette = group_palette()
    >>> "#7f7f7f" in palette, len(palette), palette[:2]
    (False, 18, ['#1f77b4', '#ff7f0e'])
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import rgb_to_hsv, to_hex, to_rgb

    cycle = [to_hex(c) for c in plt.rcParams["axes.prop_cycle"].by_key()["color"]]
    shades = [to_hex(c) for c in plt.get_cmap("tab20").colors]
    candidates = list(dict.fromkeys(cycle + shades))
    return [c for c in candidates if rgb_to_hsv(to_rgb(c))[1] >= GREY_SATURATION]


def plot_map(
    xy: np.ndarray,
    *,
    groups: Sequence | None = None,
    labels: Sequence[str] | None = None,
    title: str,
    group_name: str = "group",
):
    """Scatter plot of a 2-D document map (:func:`helpers.similarity.map_2d`).

    Parameters
    ----------
    xy : numpy.ndarray
        ``n x 2`` coordinates.
    groups : sequence, optional
        A group per document: one colour per group (in natural order), with a legend up to
        :data:`MAX_LEGEND_GROUPS` groups; the groups of :data:`NONE_GROUPS` are grey (no label or topic: hollow)
        and listed last, and no other group is grey (:func:`group_palette`).
    labels : sequence of str, optional
        A text label per document, written next to its point up to :data:`MAX_POINT_LABELS` documents.
    title : str
        Axes title.
    group_name : str
        Title of the legend.

    Returns
    -------
    matplotlib.figure.Figure
        One axes without ticks (the coordinates have no unit).
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 6.5))
    if groups is None:
        ax.scatter(xy[:, 0], xy[:, 1], s=18, alpha=0.8)
    else:
        g = pd.Series(list(groups), dtype=str)
        real = sorted((n for n in g.unique() if n not in NONE_GROUPS), key=_natural_key)
        palette = group_palette()
        colours = {n: palette[i % len(palette)] for i, n in enumerate(real)}
        styles = {n: {"color": c} for n, c in colours.items()}
        styles |= {OTHER_GROUP: {"color": OTHER_COLOUR}}
        styles |= {n: {"facecolors": "none", "edgecolors": NONE_EDGE} for n in (NO_LABEL_GROUP, NO_TOPIC_GROUP)}
        for name in real + [n for n in NONE_GROUPS if n in set(g)]:
            m = (g == name).to_numpy()
            ax.scatter(xy[m, 0], xy[m, 1], s=18, alpha=0.8, label=name, **styles[name])
        if g.nunique() <= MAX_LEGEND_GROUPS:
            ax.legend(title=group_name, fontsize=8, markerscale=1.5, loc="best")
    if labels is not None and len(xy) <= MAX_POINT_LABELS:
        for (x, y), lab in zip(xy, labels):
            ax.annotate(lab, (x, y), fontsize=8, xytext=(3, 3), textcoords="offset points")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title)
    fig.tight_layout()
    return fig
