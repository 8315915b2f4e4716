"""Figures of notebook 05 (discourse over time): keyness bars, traced-term rates and topic shares per period.

Each function returns a matplotlib figure drawn with the project's CJK font (call
:func:`helpers.plotting.setup_cjk_fonts` first); save it with :func:`helpers.plotting.savefig`. The tables they
draw are those of :mod:`helpers.discourse`.

>>> import pandas as pd
>>> trends = pd.DataFrame({"period": ["2017", "2018"], "term": ["乡村振兴"] * 2, "per_10k": [1.0, 3.0],
...                        "ci_low": [0.5, 2.0], "ci_high": [1.5, 4.0]})
>>> [t.get_text() for t in plot_term_trends(trends).axes[0].get_legend().get_texts()]
['乡村振兴']
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..discourse import PERIOD_ZH, period_labels, plural_noun, top_key_terms, topic_trends
from .keywords import MAX_CHART_PERIODS, chart_period, coarser_chart_sentence

__all__ = [
    "keyness_panels",
    "keyness_panels_sentence",
    "plot_keyness",
    "plot_term_trends",
    "plot_topic_trends",
    "topic_trends_chart",
]

#: Period labels on the x axis of a time figure: at most about this many, evenly spaced (more overlap).
MAX_PERIOD_TICKS = 16
#: Topic panels per row of :func:`plot_topic_trends`, and period labels on each panel's x axis (at most).
TOPIC_PANEL_COLUMNS = 2
PANEL_PERIOD_TICKS = 8
#: Keyness panels per row.
KEYNESS_COLUMNS_PER_ROW = 4
#: Entries of one legend column beside a 4.2-inch-high line chart: 15 entries at 8 pt take 2.6 inches of it
#: (measured on notebook 05's chart), so up to 15 traced terms take one column.
LEGEND_ROWS = 15
#: Widest line chart (inches, legend included): 2,400 pixels at savefig's 150 dpi; at this width the plot narrows to
#: make room for the legend instead of the figure widening.
MAX_LINE_CHART_INCHES = 16
#: Space between the axes and the legend, and the legend's margin (inches), added to the figure's width.
LEGEND_PAD_INCHES = 0.2
#: Line styles of series beyond the ten colours of matplotlib's cycle (the 11th term is dashed, the 21st dotted).
LINE_STYLES = ("-", "--", ":", "-.")


def keyness_panels(table: pd.DataFrame, *, max_groups: int = 12) -> list[str]:
    """The groups :func:`plot_keyness` draws: at most ``max_groups``, those with most significant terms first
    (ties: by name, which is time order for periods), then listed by name.

    >>> t = pd.DataFrame({"group": ["2016", "2017", "2018"], "significant": [False, False, True]})
    >>> keyness_panels(t, max_groups=2)
    ['2016', '2018']
    """
    n_sig = table[table.significant].groupby("group").size()
    groups = sorted(table.group.unique(), key=lambda g: (-int(n_sig.get(g, 0)), str(g)))[:max_groups]
    return sorted(groups)


def keyness_panels_sentence(table: pd.DataFrame, *, max_groups: int = 12, noun: str = "group") -> str:
    """Which groups the keyness figure shows and why, computed from ``table`` (a keyness table); ``noun`` is what
    one group is (:attr:`helpers.discourse.Comparison.noun`: ``"month"``, ``"value of `类别`"`` …).

    When more groups have significant terms than the figure holds, the sentence says how many have any, so a
    reader does not take the shown ones for all of them.

    >>> t = pd.DataFrame({"group": ["2016", "2017", "2018"], "significant": [False, False, True]})
    >>> keyness_panels_sentence(t, max_groups=2, noun="year")
    'The figure shows 2 of the 3 years: the one year with significant terms (2018), then the first other year in order (2016); every year is in the tables above and in `keyness.csv`.'
    >>> keyness_panels_sentence(t.assign(significant=[True, True, True]), max_groups=2, noun="year")
    'The figure shows 2 of the 3 years: of the 3 years with significant terms, the 2 with most (ties: first by name: 2016、2017); every year is in the tables above and in `keyness.csv`.'
    >>> keyness_panels_sentence(t[t.group != "2017"], noun="year")
    'The figure shows both years.'
    """
    nouns = plural_noun(noun)
    every = sorted(table.group.unique())
    shown = keyness_panels(table, max_groups=max_groups)
    if len(shown) == len(every):
        return f"The figure shows {'both' if len(every) == 2 else f'all {len(every):,}'} {nouns}."
    n_sig = table[table.significant].groupby("group").size()
    with_sig = [g for g in shown if g in n_sig.index]
    parts = [_significant_part(n_sig, with_sig, noun=noun)] if with_sig else []
    others = [g for g in shown if g not in n_sig.index]
    if others:
        span = others[0] if len(others) == 1 else f"{others[0]} to {others[-1]}"
        label = f"{'other ' if with_sig else ''}{noun if len(others) == 1 else nouns}"
        many = label if len(others) == 1 else f"{len(others):,} {label}"
        parts.append(f"{'then ' if with_sig else ''}the first {many} in order ({span})")
    return (
        f"The figure shows {len(shown):,} of the {len(every):,} {nouns}: {', '.join(parts)}; every {noun} is in the "
        "tables above and in `keyness.csv`."
    )


def _significant_part(n_sig: pd.Series, shown: list[str], *, noun: str) -> str:
    """The shown groups with significant terms (``n_sig``: group -> count, every group with any), out of how many."""
    names = "、".join(shown)
    if len(shown) == len(n_sig):
        which = f"the one {noun}" if len(shown) == 1 else f"the {len(shown):,} {plural_noun(noun)}"
        return f"{which} with significant terms ({names})"
    cut = int(n_sig[shown].min())
    tied = int((n_sig > cut).sum()) < len(shown) and int((n_sig >= cut).sum()) > len(shown)
    return (
        f"of the {len(n_sig):,} {plural_noun(noun)} with significant terms, the {len(shown):,} with most "
        f"({'ties: first by name: ' if tied else ''}{names})"
    )


def plot_keyness(table: pd.DataFrame, *, n: int = 8, max_groups: int = 12, title: str = "关键词"):
    """One panel per group: its ``n`` strongest over- and under-represented terms by signed G².

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`helpers.discourse.keyness` table.
    n : int
        Terms per side and panel (:func:`helpers.discourse.top_key_terms`).
    max_groups : int
        At most this many panels (:func:`keyness_panels`); the title says how many of how many are shown.
    title : str
        Start of the figure title.

    Returns
    -------
    matplotlib.figure.Figure
        Bars red (over-represented) or blue (under-represented) when significant, light grey otherwise; laid out
        with matplotlib's constrained layout, so the title never covers a panel title.
    """
    import matplotlib.pyplot as plt

    n_sig = table[table.significant].groupby("group").size()
    groups = keyness_panels(table, max_groups=max_groups)
    ncol = min(KEYNESS_COLUMNS_PER_ROW, len(groups)) or 1
    nrow = int(np.ceil(len(groups) / ncol)) or 1
    size = (4 * ncol, 0.32 * 2 * n * nrow + 1)
    fig, axes = plt.subplots(nrow, ncol, figsize=size, squeeze=False, layout="constrained")
    for ax, g in zip(axes.flat, groups):
        _keyness_panel(ax, table[table.group == g], n=n, title=f"{g}（{int(n_sig.get(g, 0))} 个显著）")
    for ax in axes.flat[len(groups) :]:
        ax.axis("off")
    suptitle = f"{title}：带符号的 G²（文档层面；灰色 = 校正后不显著）"
    n_groups = table.group.nunique()
    if len(groups) < n_groups:
        suptitle += f"\n显示 {len(groups)}/{n_groups} 组：显著词最多的组优先，其余按名称（时间）顺序"
    fig.suptitle(suptitle)
    return fig


def _keyness_panel(ax, sub: pd.DataFrame, *, n: int, title: str) -> None:
    """The bars of one group: under-represented terms below, over-represented above, sorted by signed G²."""
    up = top_key_terms(sub, n=n)
    down = top_key_terms(sub, n=n, positive=False)
    both = pd.concat([down.iloc[::-1], up.iloc[::-1]]) if len(down) else up.iloc[::-1]
    both = both.sort_values("g2")
    colors = [("C3" if v > 0 else "C0") if s else "lightgray" for v, s in zip(both.g2, both.significant)]
    ax.barh(range(len(both)), both.g2, color=colors)
    ax.set_yticks(range(len(both)), both.term)
    ax.axvline(0, color="k", lw=0.5)
    ax.set_title(title, fontsize=10)
    ax.tick_params(labelsize=8)


def plot_term_trends(trends: pd.DataFrame, *, title: str = "词语趋势"):
    """Each traced term's rate per 10,000 characters per period, its interval as a band.

    Parameters
    ----------
    trends : pandas.DataFrame
        A :func:`helpers.discourse.term_trends` table.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One line per term, labelled with the term in a legend to the right of the axes (never over a line); the
        figure is widened by the legend's width (up to :data:`MAX_LINE_CHART_INCHES`), so the plot keeps its size. Terms
        beyond the ten colours of the cycle repeat a colour with another line style.
    """
    series = [(term, j, g) for j, (term, g) in enumerate(trends.groupby("term", sort=False))]
    return _lines_with_bands(trends, series, "per_10k", ylabel="每万字出现次数（95% 区间）", title=title)


def plot_topic_trends(trends: pd.DataFrame, labels: Mapping[int, str] | None = None, *, title: str = "主题随时间"):
    """Mean share of each topic per period, its bootstrap interval as a band: one panel per topic.

    Five lines with overlapping bands on one axis could not be told apart (review R9b), so each topic has its own
    panel, all on the same y scale, titled with its label.

    Parameters
    ----------
    trends : pandas.DataFrame
        A :func:`helpers.discourse.topic_trends` table.
    labels : mapping, optional
        Topic number -> panel title (default ``T<n>``).
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per topic (:data:`TOPIC_PANEL_COLUMNS` a row), its line coloured by topic number.
    """
    import matplotlib.pyplot as plt

    names = labels or {}
    periods = list(dict.fromkeys(trends.period))
    x = {p: i for i, p in enumerate(periods)}
    groups = list(trends.groupby("topic"))
    ncol = min(TOPIC_PANEL_COLUMNS, len(groups)) or 1
    nrow = int(np.ceil(len(groups) / ncol)) or 1
    size = (min(2 + 0.3 * len(periods), 6) * ncol, 2.4 * nrow + 0.6)
    fig, axes = plt.subplots(nrow, ncol, figsize=size, squeeze=False, sharex=True, sharey=True, layout="constrained")
    step = max(1, int(np.ceil(len(periods) / PANEL_PERIOD_TICKS)))
    for ax, (t, g) in zip(axes.flat, groups):
        color, xs = f"C{(int(t) - 1) % 10}", g.period.map(x)
        ax.plot(xs, g.share, marker="o", ms=3, color=color)
        ax.fill_between(xs, g.ci_low, g.ci_high, color=color, alpha=0.2)
        ax.set_title(names.get(t, f"T{t}"), fontsize=10)
        ax.set_xticks(range(0, len(periods), step), periods[::step], rotation=45, ha="right", fontsize=8)
        ax.tick_params(labelbottom=True, labelsize=8)
    for ax in axes.flat[len(groups) :]:
        ax.axis("off")
    fig.supylabel("平均主题比例（95% 区间）", fontsize=10)
    fig.suptitle(title)
    return fig


def topic_trends_chart(
    doc_topics: pd.DataFrame,
    dates: Mapping[str, object],
    labels: Mapping[int, str] | None = None,
    *,
    period: str,
    n_boot: int = 1000,
    seed: int = 0,
    max_periods: int = MAX_CHART_PERIODS,
):
    """The topics-over-time figure (:func:`plot_topic_trends`) in the period of
    :func:`helpers.plotting.keywords.chart_period`, as notebook 02 draws its keywords over time, and a sentence
    saying so when that is coarser than the table's ``period``.

    Parameters
    ----------
    doc_topics : pandas.DataFrame
        Long table ``doc_id, topic, weight``.
    dates : mapping
        doc_id -> date (``YYYY-MM-DD``; others are left out).
    labels : mapping, optional
        Topic number -> panel title.
    period : str
        The period of the table (``topic_trends.csv``).
    n_boot, seed
        Bootstrap of the chart's intervals (:func:`helpers.discourse.topic_trends`).
    max_periods : int
        Most periods of the chart (:data:`helpers.plotting.keywords.MAX_CHART_PERIODS`).

    Returns
    -------
    tuple
        The figure and the sentence (``""`` when the chart has the table's periods).
    """
    _, unit = chart_period(list(dates.values()), max_periods=max_periods, period=period)
    chart = topic_trends(
        doc_topics,
        dict(zip(dates, period_labels(list(dates.values()), period=unit))),
        period=unit,
        n_boot=n_boot,
        seed=seed,
    )
    fig = plot_topic_trends(chart, labels, title=f"主题比例（按{PERIOD_ZH[unit]}）")
    return fig, coarser_chart_sentence(
        dates.values(), unit, period, max_periods=max_periods, how="averages", columns="points than a panel",
        file="topic_trends.csv", holds="the shares of each",
    )  # fmt: skip


def _lines_with_bands(trends: pd.DataFrame, series: list, value: str, *, ylabel: str, title: str):
    """A line of ``value`` per period for each ``(label, number, rows)`` of ``series``, with the rows'
    ``ci_low``–``ci_high`` as a band; periods in the order of ``trends``, at most :data:`MAX_PERIOD_TICKS` labelled.

    Series ``j`` takes colour ``C{j % 10}`` and the ``j // 10``-th of :data:`LINE_STYLES`. The legend stands outside
    the axes, on the right (:data:`LEGEND_ROWS` entries a column), and the figure is widened by its measured width
    up to :data:`MAX_LINE_CHART_INCHES`.
    """
    import matplotlib.pyplot as plt

    periods = list(dict.fromkeys(trends.period))
    x = {p: i for i, p in enumerate(periods)}
    width = min(4 + 0.45 * len(periods), MAX_LINE_CHART_INCHES)
    fig, ax = plt.subplots(figsize=(width, 4.2), layout="constrained")
    for label, j, g in series:
        xs = g.period.map(x)
        color, style = f"C{j % 10}", LINE_STYLES[(j // 10) % len(LINE_STYLES)]
        ax.plot(xs, g[value], marker="o", ms=3, color=color, linestyle=style, label=label)
        ax.fill_between(xs, g.ci_low, g.ci_high, color=color, alpha=0.15)
    step = max(1, len(periods) // MAX_PERIOD_TICKS)
    ax.set_xticks(range(0, len(periods), step), periods[::step], rotation=45, ha="right")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ncol = max(1, int(np.ceil(len(series) / LEGEND_ROWS)))
    legend = ax.legend(fontsize=8, ncol=ncol, loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0)
    fig.canvas.draw()  # measure the legend, then make room for it beside the plot
    extra = legend.get_window_extent().width / fig.dpi
    fig.set_size_inches(max(width, min(width + extra + LEGEND_PAD_INCHES, MAX_LINE_CHART_INCHES)), 4.2)
    return fig
