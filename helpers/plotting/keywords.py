"""Figures of notebook 02 (keywords): method agreement, corpus keywords, word cloud, keywords over time, F1.

Each function takes a table of :mod:`helpers.keywords` or :mod:`helpers.validation.keywords` and returns a
matplotlib figure drawn with the project's CJK font (call :func:`helpers.plotting.setup_cjk_fonts` first); save it
with :func:`helpers.plotting.savefig`.

>>> import pandas as pd
>>> kw = pd.DataFrame({"doc_id": ["__corpus__"] * 2, "method": ["m", "m"], "rank": [1, 2],
...                    "term": ["脱贫攻坚", "产业"], "score": [2.0, 1.0]})
>>> fig = plot_corpus_keywords(kw, n_documents=5)
>>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
['产业', '脱贫攻坚']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..discourse import PERIODS, choose_period, period_labels, period_range
from ..keywords import CORPUS_ID, keywords_by_period
from ..validation.keywords import BASELINE_METHOD
from . import make_wordcloud

__all__ = [
    "plot_method_agreement",
    "plot_corpus_keywords",
    "plot_wordcloud",
    "period_grid",
    "plot_keywords_over_time",
    "chart_period",
    "keywords_over_time_chart",
    "plot_validation_f1",
]

#: The panels of :func:`plot_method_agreement`: column of :func:`helpers.keywords.method_agreement`, title, vmin.
AGREEMENT_PANELS = (("overlap", "前 k 个词的重合率", 0), ("spearman", "Spearman 秩相关", -1))
#: Panels per row of :func:`plot_corpus_keywords` (wider figures no longer fit a notebook page).
MAX_PANEL_COLUMNS = 3
#: Terms of the over-time heatmap: those in the top ``TOP_PER_PERIOD`` of some period, at most ``MAX_TIME_TERMS``
#: (more rows than fit a page become unreadable).
TOP_PER_PERIOD = 5
MAX_TIME_TERMS = 25
#: Most period columns of the over-time heatmap. Review R7's 48 monthly columns made a figure 6,642 px wide whose
#: labels shrank to a quarter of their size at page width; 24 columns read at half size, so more periods are drawn
#: by the next coarser period of :data:`helpers.discourse.PERIODS` (48 months as 16 quarters).
MAX_CHART_PERIODS = 24


def _methods_of(table: pd.DataFrame, methods: Sequence[str] | None, column: str = "method") -> list[str]:
    return list(methods) if methods is not None else list(dict.fromkeys(table[column]))


def plot_method_agreement(agreement: pd.DataFrame, *, methods: Sequence[str] | None = None):
    """Two annotated heatmaps: overlap and Spearman correlation of every pair of methods.

    Parameters
    ----------
    agreement : DataFrame
        The table of :func:`helpers.keywords.method_agreement`.
    methods : sequence of str, optional
        Row and column order (default: the order of the table).

    Returns
    -------
    matplotlib.figure.Figure
        One axes per panel (plus a colour bar each); a blank cell has no value.
    """
    import matplotlib.pyplot as plt

    methods = _methods_of(agreement, methods, "method_a")
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
    for ax, (col, title, vmin) in zip(axes, AGREEMENT_PANELS):
        mat = agreement.pivot(index="method_a", columns="method_b", values=col).loc[methods, methods]
        im = ax.imshow(mat.values, vmin=vmin, vmax=1, cmap="viridis")
        ax.set_xticks(range(len(methods)), methods, rotation=35, ha="right")
        ax.set_yticks(range(len(methods)), methods)
        for i in range(len(methods)):
            for j in range(len(methods)):
                v = mat.values[i, j]
                ax.text(j, i, "" if np.isnan(v) else f"{v:.2f}", ha="center", va="center", color="w", fontsize=8)
        ax.set_title(f"{title}（各文档平均）")
        fig.colorbar(im, ax=ax, shrink=0.8)
    fig.tight_layout()
    return fig


def plot_corpus_keywords(
    keywords: pd.DataFrame, *, methods: Sequence[str] | None = None, n_documents: int, top: int | None = None
):
    """One bar chart per method of its corpus keywords (the ``__corpus__`` rows), scaled to its best term.

    Parameters
    ----------
    keywords : DataFrame
        The table of :func:`helpers.keywords.extract_keywords`.
    methods : sequence of str, optional
        The panels, in order (default: the methods of the table).
    n_documents : int
        Size of the corpus (for the title).
    top : int, optional
        Bars per method, the best by rank (default: every corpus row; the table may hold more corpus terms than a
        bar chart can show, e.g. those of a word cloud).

    Returns
    -------
    matplotlib.figure.Figure
        One axes per method (unused cells of the grid are switched off); the best term is the top bar.
    """
    import matplotlib.pyplot as plt

    methods = _methods_of(keywords, methods)
    corpus_kw = keywords[keywords.doc_id == CORPUS_ID]
    corpus_kw = corpus_kw[corpus_kw["rank"] <= top] if top is not None else corpus_kw
    top_k = int(corpus_kw.groupby("method").size().max()) if len(corpus_kw) else 1
    ncols = min(MAX_PANEL_COLUMNS, len(methods))
    nrows = -(-len(methods) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.6 * ncols, 0.34 * top_k * nrows + 1.2 * nrows), squeeze=False)
    for ax, m in zip(axes.flat, methods):
        sub = corpus_kw[corpus_kw.method == m].sort_values("rank", ascending=False)
        ax.barh(sub.term, sub.score / sub.score.max() if len(sub) else [], color="tab:blue")
        ax.set_title(m)
        ax.set_xlabel("得分（相对于最高词）")
    for ax in list(axes.flat)[len(methods) :]:
        ax.axis("off")
    fig.suptitle(f"各方法的语料关键词（{n_documents} 篇文档）")
    fig.tight_layout()
    return fig


def plot_wordcloud(weights: Mapping[str, float], *, title: str, random_state: int = 0, max_words: int = 150):
    """A word cloud of term weights (:func:`helpers.plotting.make_wordcloud`, the CJK font) on one axes.

    Parameters
    ----------
    weights : mapping of str to float
        Term -> weight (size in the cloud).
    title : str
        The figure's title.
    random_state : int
        Seed of the layout.
    max_words : int
        Most terms drawn.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    wc = make_wordcloud(weights, random_state=random_state, max_words=max_words)
    fig, ax = plt.subplots(figsize=(10, 5))
    ax.imshow(wc, interpolation="bilinear")
    ax.axis("off")
    ax.set_title(title)
    return fig


def period_grid(
    over_time: pd.DataFrame,
    *,
    top_per_period: int = TOP_PER_PERIOD,
    max_terms: int = MAX_TIME_TERMS,
    periods: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Terms by period from :func:`helpers.keywords.keywords_by_period`, each period's column scaled to its best.

    Every period is a column, even one whose terms are not shown. The rows are terms in the top ``top_per_period``
    of some period, at most ``max_terms``, taken rank by rank across the periods (every period's first term, then
    every period's second …) so that no period is left without its leading terms; they are listed in order of
    first appearance. A term absent from a period has 0; ``periods`` adds the periods where no term is listed
    (:func:`helpers.keywords.keywords_by_period` lists a term only when 2 documents of the period list it).

    >>> t = pd.DataFrame({"period": ["2019", "2020"], "rank": [1, 1], "term": ["扶贫", "振兴"], "score": [2.0, 4.0],
    ...                   "n_documents": [1, 1]})
    >>> period_grid(t).to_dict()
    {'2019': {'扶贫': 1.0, '振兴': 0.0}, '2020': {'扶贫': 0.0, '振兴': 1.0}}
    """
    top = over_time[over_time["rank"] <= top_per_period]
    chosen = set(top.sort_values(["rank", "period"], kind="stable").term.unique()[:max_terms])
    terms = [t for t in top.term.unique() if t in chosen]
    periods = sorted(set(over_time.period) | set(periods or ()))
    grid = over_time[over_time.term.isin(terms)].pivot(index="term", columns="period", values="score")
    grid = grid.reindex(index=terms, columns=periods).fillna(0)
    grid = (grid / grid.max().replace(0, 1)).fillna(0)
    grid.columns.name = None
    grid.index.name = None
    return grid


def plot_keywords_over_time(over_time: pd.DataFrame, *, method: str, n_documents: Mapping[str, int] | None = None):
    """Heatmap of :func:`period_grid`: terms by period, with the number of documents of each period.

    Parameters
    ----------
    over_time : DataFrame
        The table of :func:`helpers.keywords.keywords_by_period`.
    method : str
        The method the table was computed from (for the title).
    n_documents : mapping, optional
        Period -> dated documents of every period, so that a period listing no term is an empty column (default:
        the periods of the table).

    Returns
    -------
    matplotlib.figure.Figure or None
        ``None`` when there are fewer than two periods (nothing to compare).
    """
    import matplotlib.pyplot as plt

    n_docs = {**(n_documents or {}), **over_time.drop_duplicates("period").set_index("period").n_documents}
    if len(n_docs) < 2:
        return None
    grid = period_grid(over_time, periods=list(n_docs))
    fig, ax = plt.subplots(figsize=(1.0 * grid.shape[1] + 3, 0.32 * len(grid) + 1.5))
    im = ax.imshow(grid.values, aspect="auto", cmap="Blues")
    ax.set_xticks(range(grid.shape[1]), [f"{p}\n({n_docs[p]} 篇)" for p in grid.columns])
    ax.set_yticks(range(len(grid)), grid.index)
    ax.set_title(f"各时期关键词（{method}；每列按其最高词缩放）")
    ax.set_xlabel("时期")
    fig.colorbar(im, ax=ax, shrink=0.8, label="相对权重")
    fig.tight_layout()
    return fig


def plot_validation_f1(
    scores: pd.DataFrame, *, methods: Sequence[str] | None = None, baseline: str = BASELINE_METHOD, ks=(5, 10)
):
    """F1 at each k of every method, one panel per validation corpus, the baseline's F1 at the first k dashed.

    Parameters
    ----------
    scores : DataFrame
        Scores of :func:`helpers.validation.keywords.evaluate_keywords` with a ``corpus`` column.
    methods : sequence of str, optional
        Bar order (default: the order of the table); methods without scores are left out.
    baseline : str
        The method drawn as the dashed line.
    ks : tuple of int
        The two list lengths drawn side by side.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per corpus, ``len(ks)`` bars per method.
    """
    import matplotlib.pyplot as plt

    methods = _methods_of(scores, methods)
    corpora = list(dict.fromkeys(scores.corpus))
    fig, axes = plt.subplots(1, len(corpora), figsize=(6.5 * len(corpora), 4), squeeze=False)
    for ax, name in zip(axes.flat, corpora):
        sub = scores[scores.corpus == name]
        s = sub.pivot(index="method", columns="k", values="f1").reindex(methods).dropna()
        x = np.arange(len(s))
        ax.bar(x - 0.2, s[ks[0]], 0.4, label=f"F1@{ks[0]}")
        ax.bar(x + 0.2, s[ks[1]], 0.4, label=f"F1@{ks[1]}")
        if baseline in s.index:
            ax.axhline(s.loc[baseline, ks[0]], ls="--", color="gray", label=f"baseline F1@{ks[0]}")
        ax.set_xticks(x, s.index, rotation=30, ha="right")
        ax.set_ylabel("与作者关键词比较的 F1")
        ax.set_title(f"关键词 F1（{name}，n = {int(sub.n_documents.iloc[0])}）")
        ax.legend()
    fig.tight_layout()
    return fig


def coarser_chart_sentence(
    dates: Sequence[object], chart: str, table: str, *, max_periods: int, how: str, columns: str, file: str, holds: str
) -> str:
    """What a chart drawn at a coarser period than its table says: ``"The chart sums by quarter: 48 months are more
    columns than a page shows legibly (at most 24); `keywords_over_time.csv` has the top terms of each month."``;
    ``""`` when the chart's period is the table's.

    >>> dates = [f"2018-{m:02d}-01" for m in range(1, 13)]
    >>> coarser_chart_sentence(dates, "quarter", "month", max_periods=6, how="sums", columns="columns than a page",
    ...     file="t.csv", holds="the top terms of each")[:44]
    'The chart sums by quarter: 12 months are mor'
    """
    if chart == table:
        return ""
    n_table = len(period_range(period_labels(list(dates), period=table), period=table))
    return (
        f"The chart {how} by {chart}: {n_table:,} {table}s are more {columns} shows legibly (at most {max_periods}); "
        f"`{file}` has {holds} {table}."
    )


def chart_period(
    dates: Sequence[object], *, max_periods: int = MAX_CHART_PERIODS, period: str | None = None
) -> tuple[str | None, str | None]:
    """The period of the keywords-over-time table and that of its chart.

    The table takes :func:`helpers.discourse.choose_period`'s period, as notebook 05 does; the chart the same
    unless the dates span more than ``max_periods`` of it, then the finest coarser unit of
    :data:`helpers.discourse.PERIODS` that spans at most ``max_periods`` (years when none does).

    Parameters
    ----------
    dates : sequence
        The documents' dates (``YYYY-MM-DD``; others are left out, as notebook 05 leaves them out).
    max_periods : int
        Most columns of the chart (:data:`MAX_CHART_PERIODS`).
    period : str, optional
        The table's period when the caller chose it (notebook 05's ``period``); default ``choose_period``'s.

    Returns
    -------
    tuple
        ``(table period, chart period)``, each ``"month"``, ``"quarter"``, ``"year"`` or ``None`` (no time view).

    Examples
    --------
    >>> dates = [f"{y}-{m:02d}-01" for y in range(2016, 2020) for m in range(1, 13) for _ in range(10)]
    >>> chart_period(dates), chart_period(dates[:240])
    (('month', 'quarter'), ('month', 'month'))
    """
    dates = list(dates)
    table = period or choose_period(dates)
    if table is None:
        return None, None
    for unit in PERIODS[PERIODS.index(table) :]:
        if len(period_range(period_labels(dates, period=unit), period=unit)) <= max_periods:
            return table, unit
    return table, PERIODS[-1]


def keywords_over_time_chart(
    keywords: pd.DataFrame,
    dates: Mapping[object, object],
    *,
    method: str,
    max_periods: int = MAX_CHART_PERIODS,
    texts: Mapping[object, str] | None = None,
    period: str | None = None,
):
    """The heatmap of keywords over time (:func:`plot_keywords_over_time`) in the period of :func:`chart_period`, and
    a sentence saying so when that is coarser than the table's period.

    Parameters
    ----------
    keywords : DataFrame
        The table of :func:`helpers.keywords.extract_keywords`.
    dates : mapping
        doc_id -> date.
    method : str
        The method whose keywords are summed (:func:`helpers.keywords.keywords_by_period`).
    max_periods : int
        Most columns of the chart.
    texts : mapping, optional
        doc_id -> text: copies of one text count once, as in the table (:func:`helpers.keywords.keywords_by_period`).
    period : str, optional
        The table's period when the caller chose it (the ``period`` parameter, as notebook 05's); default
        :func:`helpers.discourse.choose_period`'s.

    Returns
    -------
    tuple
        The figure (``None`` without a time view or with one period) and the sentence (``""`` when the chart has
        the table's periods).
    """
    table_unit, unit = chart_period(list(dates.values()), max_periods=max_periods, period=period)
    if unit is None:
        return None, ""
    n_docs = period_labels(list(dates.values()), period=unit).value_counts().to_dict()
    fig = plot_keywords_over_time(
        keywords_by_period(keywords, dates, method=method, freq=unit, top_k=None, texts=texts),
        method=method,
        n_documents=n_docs,
    )
    return fig, coarser_chart_sentence(
        dates.values(), unit, table_unit, max_periods=max_periods, how="sums", columns="columns than a page",
        file="keywords_over_time.csv", holds="the top terms of each",
    )  # fmt: skip
