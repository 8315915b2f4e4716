"""helpers.plotting.discourse: the figures of notebook 05 show the tables they are given, in the CJK font."""

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers import discourse as ds  # noqa: E402
from helpers.plotting import setup_cjk_fonts  # noqa: E402
from helpers.plotting.discourse import plot_keyness, plot_term_trends, plot_topic_trends  # noqa: E402

FONT = setup_cjk_fonts()


pytestmark = pytest.mark.usefixtures("close_figures")


@pytest.fixture(scope="module")
def key_table():
    """A real keyness table: three years, each with its own phrase and shared words."""
    tokens, groups = [], []
    for year, own in [("2016", "脱贫攻坚"), ("2017", "精准扶贫"), ("2018", "乡村振兴")]:
        for i in range(8):
            tokens.append([own, "发展", "农村"] + (["产业"] if i % 2 else ["就业"]))
            groups.append(year)
    return ds.keyness(tokens, groups, min_docs=2)


def test_keyness_panel_per_group_bars_are_the_strongest_terms(key_table):
    fig = plot_keyness(key_table, n=3)
    assert len(fig.axes) == 3
    for ax, (group, own) in zip(fig.axes, [("2016", "脱贫攻坚"), ("2017", "精准扶贫"), ("2018", "乡村振兴")]):
        sub = key_table[key_table.group == group]
        n_sig = int(sub.significant.sum())
        assert ax.get_title() == f"{group}（{n_sig} 个显著）"
        shown = len(ds.top_key_terms(sub, n=3)) + len(ds.top_key_terms(sub, n=3, positive=False))
        assert len(ax.patches) == shown
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert labels[-1] == own  # the group's own phrase is its strongest over-represented term, on top
        assert all(t.get_fontname() == FONT for t in ax.get_yticklabels())
        widths = [p.get_width() for p in ax.patches]
        assert widths == sorted(widths)  # sorted by signed G²
        g2 = sub.set_index("term").g2
        np.testing.assert_allclose(widths, [g2[t] for t in labels])
        top = ax.patches[-1]
        assert top.get_facecolor()[:3] == pytest.approx(matplotlib.colors.to_rgb("C3"))  # significant, red


def test_keyness_keeps_the_groups_with_most_significant_terms(key_table):
    fig = plot_keyness(key_table, n=2, max_groups=2)
    shown = [ax for ax in fig.axes if ax.axison]
    assert len(shown) == 2
    n_sig = key_table[key_table.significant].groupby("group").size()
    expected = sorted(sorted(key_table.group.unique(), key=lambda g: (-int(n_sig.get(g, 0)), g))[:2])
    assert [ax.get_title().split("（")[0] for ax in shown] == expected


def test_term_trends_one_line_per_term_with_its_band():
    texts = ["乡村振兴", "脱贫攻坚", "乡村振兴，乡村振兴", "脱贫攻坚战", "乡村振兴战略"]
    periods = ["2016", "2016", "2017", "2018", "2018"]
    trends = ds.term_trends(texts, periods, ["乡村振兴", "脱贫攻坚"], period="year", n_boot=50)
    fig = plot_term_trends(trends, title="词语出现率（按年）")
    ax = fig.axes[0]
    assert ax.get_title() == "词语出现率（按年）"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["乡村振兴", "脱贫攻坚"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2016", "2017", "2018"]
    for line, term in zip(ax.get_lines(), ["乡村振兴", "脱贫攻坚"]):
        np.testing.assert_allclose(np.asarray(line.get_ydata(), dtype=float), trends[trends.term == term].per_10k)
    assert len(ax.collections) == 2  # one interval band per term
    assert ax.yaxis.label.get_fontname() == FONT and "每万字" in ax.yaxis.label.get_text()


#: Fifteen phrases of the CCTV stories of 2016–2019 (data/xwlb_dated_heldout), traced as notebook 05 would.
FIFTEEN_TERMS = ["乡村振兴", "新时代", "乡村振兴战略", "乡村", "一鼓作气", "巩固", "庆祝", "质量", "国内外", "阶段",
                 "大力发展", "坚持不懈", "高标准", "全国人大", "开局良好"]  # fmt: skip


@pytest.mark.parametrize(("n_terms", "period"), [(1, "quarter"), (10, "month"), (15, "quarter")])
def test_term_trends_legend_stands_beside_the_plot_and_hides_no_line(n_terms, period):
    """The legend sat on the lines (ncol=2 inside the axes): it stands outside, on the right, the figure widened by
    its width (48 months: at the widest chart, the plot narrows instead); 11 to 15 terms repeat a colour, never a
    colour and a line style together."""
    from helpers.corpus import load_corpus
    from helpers.paths import DATA_DIR
    from helpers.plotting.discourse import LEGEND_ROWS, MAX_LINE_CHART_INCHES

    docs = load_corpus(DATA_DIR / "xwlb_dated_heldout" / "xwlb_dated_heldout.jsonl", errors="raise").docs
    periods = ds.period_labels(docs.date, period=period)
    terms = FIFTEEN_TERMS[:n_terms]
    trends = ds.term_trends(docs.text.tolist(), periods, terms, period=period, n_boot=20)
    fig = plot_term_trends(trends)
    ax, n_periods = fig.axes[0], trends.period.nunique()
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend, plot = ax.get_legend(), ax.get_window_extent(renderer)
    box = legend.get_window_extent(renderer)
    assert [t.get_text() for t in legend.get_texts()] == terms
    assert all(t.get_fontname() == FONT for t in legend.get_texts())
    assert box.x0 >= plot.x1 and not box.overlaps(plot)  # beside the axes, over no line or band
    assert box.x1 <= fig.bbox.x1 and box.y0 >= 0 and box.y1 <= fig.bbox.y1  # and inside the figure
    assert n_terms <= LEGEND_ROWS and len({round(t.get_window_extent(renderer).x0) for t in legend.get_texts()}) == 1
    width = min(4 + 0.45 * n_periods, MAX_LINE_CHART_INCHES)
    wanted = min(width + box.width / fig.dpi + 0.2, MAX_LINE_CHART_INCHES)
    assert fig.get_figwidth() == pytest.approx(max(width, wanted), abs=0.05)  # widened by the legend, up to the cap
    assert plot.width / fig.dpi > 0.75 * width  # the plot keeps (most of) its width
    styles = [(matplotlib.colors.to_hex(line.get_color()), line.get_linestyle()) for line in ax.get_lines()]
    assert len(styles) == n_terms and len(set(styles)) == n_terms  # every line told apart
    if n_terms > 10:
        assert styles[10] == (matplotlib.colors.to_hex("C0"), "--")


def test_topic_trends_one_panel_per_topic_titled_and_coloured_by_topic():
    dt = pd.DataFrame(
        {"doc_id": ["a", "a", "b", "b", "c", "c"], "topic": [1, 2] * 3, "weight": [0.8, 0.2, 0.4, 0.6, 0.1, 0.9]}
    )
    trends = ds.topic_trends(dt, {"a": "2017Q1", "b": "2017Q1", "c": "2017Q3"}, period="quarter", n_boot=50)
    fig = plot_topic_trends(trends, {1: "T1 扶贫·产业"})
    panels = [ax for ax in fig.axes if ax.axison]
    assert [ax.get_title() for ax in panels] == ["T1 扶贫·产业", "T2"]
    assert all(ax.title.get_fontname() == FONT for ax in panels)
    for ax, color, share in zip(panels, ["C0", "C1"], [[0.6, np.nan, 0.1], [0.4, np.nan, 0.9]]):
        assert [t.get_text() for t in ax.get_xticklabels()] == ["2017Q1", "2017Q2", "2017Q3"]
        (line,) = ax.get_lines()  # one topic per panel: no lines over each other
        assert matplotlib.colors.to_hex(line.get_color()) == matplotlib.colors.to_hex(color)
        np.testing.assert_allclose(np.asarray(line.get_ydata(), dtype=float), share)
        assert len(ax.collections) == 1  # its interval band
    assert panels[0].get_ylim() == panels[1].get_ylim()  # one y scale: shares compare across panels


def test_topic_chart_of_48_months_averages_quarters_and_says_so():
    """Review R9b D: five topics over 48 months on one axis could not be read; the chart takes 02's period rule."""
    from helpers import topics as tp
    from helpers.corpus import load_corpus
    from helpers.paths import DATA_DIR
    from helpers.plotting.discourse import topic_trends_chart
    from helpers.plotting.keywords import MAX_CHART_PERIODS
    from helpers.tokenize import tokenize_corpus

    docs = load_corpus(DATA_DIR / "xwlb_dated_heldout" / "xwlb_dated_heldout.jsonl", errors="raise").docs
    tokens = tokenize_corpus(docs.text.tolist(), n_jobs=1, progress=False)
    _, dt = tp.fit_document_topics(tokens, docs.doc_id, num_topics=3, passes=2, iterations=50)
    dates = dict(zip(docs.doc_id.astype(str), docs.date))
    months = ds.period_range(ds.period_labels(docs.date, period="month"), period="month")
    assert len(months) > MAX_CHART_PERIODS
    fig, said = topic_trends_chart(dt, dates, period="month", n_boot=50)
    quarters = ds.period_range(ds.period_labels(docs.date, period="quarter"), period="quarter")
    panels = [ax for ax in fig.axes if ax.axison]
    assert len(panels) == 3 and all(len(ax.get_lines()[0].get_xdata()) == len(quarters) for ax in panels)
    assert said.startswith(f"The chart averages by quarter: {len(months)} months are more points")
    by_quarter = ds.topic_trends(dt, dict(zip(dates, ds.period_labels(docs.date, period="quarter"))),
                                 period="quarter", n_boot=50)  # fmt: skip
    np.testing.assert_allclose(panels[0].get_lines()[0].get_ydata(), by_quarter[by_quarter.topic == 1].share)
    _, same = topic_trends_chart(dt, {d: v for d, v in dates.items() if v < "2017-07"}, period="month", n_boot=50)
    assert same == ""  # 18 months fit: the chart keeps the table's months


def test_keyness_figure_of_many_months_says_which_it_shows_and_titles_do_not_overlap():
    """The reviewer's case: 48 months, 12 panels; the figure title covered the first row of panel titles."""
    from helpers.corpus import load_corpus
    from helpers.paths import DATA_DIR
    from helpers.plotting.discourse import keyness_panels, keyness_panels_sentence
    from helpers.tokenize import tokenize_corpus

    docs = load_corpus(DATA_DIR / "xwlb_dated_heldout" / "xwlb_dated_heldout.jsonl", errors="raise").docs
    plan = ds.plan_comparison(docs, period="month")
    key = ds.keyness(tokenize_corpus(docs.text.tolist(), n_jobs=1, progress=False), plan.groups)
    n_months = key.group.nunique()
    assert n_months > 12
    fig = plot_keyness(key)  # 8 terms a side, as notebook 05 draws it: the size at which the titles collided
    shown = [ax.get_title().split("（")[0] for ax in fig.axes if ax.axison]
    assert shown == keyness_panels(key) and len(shown) == 12
    assert f"显示 12/{n_months} 组" in fig._suptitle.get_text()
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    top = fig._suptitle.get_window_extent(renderer)
    for ax in fig.axes[:4]:
        assert not top.overlaps(ax.title.get_window_extent(renderer))
    said = keyness_panels_sentence(key, noun="month")
    assert said.startswith(f"The figure shows 12 of the {n_months} months") and shown[0] in said


def test_keyness_sentence_says_how_many_groups_have_significant_terms_when_the_figure_holds_fewer():
    """Review R9b C: 'shows 12 of the 48 months: 12 with significant terms' when 30 months had some; on THUCNews
    categories (each with its own vocabulary), a figure of 4 panels must say how many categories have any."""
    from helpers.paths import DATA_DIR
    from helpers.plotting.discourse import keyness_panels, keyness_panels_sentence
    from helpers.tokenize import tokenize_corpus

    rows = pd.read_json(DATA_DIR / "cnews_sample" / "cnews_sample.jsonl", lines=True).groupby("label").head(12)
    key = ds.keyness(tokenize_corpus(rows.text.tolist(), n_jobs=1, progress=False), rows.label.tolist())
    n_sig = key[key.significant].groupby("group").size()
    assert len(n_sig) > 4  # the reviewer's case: more groups with significant terms than panels
    said = keyness_panels_sentence(key, max_groups=4, noun="value of `label`")
    shown = keyness_panels(key, max_groups=4)
    assert said.startswith(
        f"The figure shows 4 of the {key.group.nunique()} values of `label`: of the {len(n_sig)} values of `label` "
        "with significant terms, the 4 with most ("
    )
    assert all(n_sig.get(g, 0) >= n_sig.drop(shown).max() for g in shown) and "、".join(shown) in said
