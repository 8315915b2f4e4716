"""Figures of notebook 02 (helpers.plotting.keywords): one bar per keyword, Chinese labels in the CJK font."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers.keywords import CORPUS_ID, extract_keywords, keywords_by_period, method_agreement  # noqa: E402
from helpers.plotting import setup_cjk_fonts  # noqa: E402
from helpers.plotting.keywords import (  # noqa: E402
    MAX_CHART_PERIODS,
    chart_period,
    keywords_over_time_chart,
    period_grid,
    plot_corpus_keywords,
    plot_keywords_over_time,
    plot_method_agreement,
    plot_validation_f1,
    plot_wordcloud,
)
from helpers.validation.keywords import BASELINE_METHOD  # noqa: E402

METHODS = ["keyphrase", "tfidf_reference", "textrank", "jieba_extract_tags"]


@pytest.fixture(scope="module")
def font():
    return setup_cjk_fonts()


@pytest.fixture(scope="module")
def seed_keywords(seeds_dir):
    from helpers.corpus import load_corpus

    docs = load_corpus(seeds_dir).docs
    return docs, extract_keywords(docs.text, doc_ids=docs.doc_id, methods=METHODS, top_k=6)


pytestmark = pytest.mark.usefixtures("close_figures")


def _labels(ticks) -> list[str]:
    return [t.get_text() for t in ticks]


def _font_families(ticks) -> set[str]:
    return {t.get_fontname() for t in ticks if t.get_text()}


def test_corpus_keywords_bars_are_the_corpus_rows(font, seed_keywords):
    docs, kw = seed_keywords
    fig = plot_corpus_keywords(kw, methods=METHODS, n_documents=len(docs))
    axes = [ax for ax in fig.axes if ax.axison]
    assert len(axes) == len(METHODS) and len(fig.axes) == 6  # a 2 x 3 grid, two cells switched off
    for ax, m in zip(axes, METHODS):
        rows = kw[(kw.doc_id == CORPUS_ID) & (kw.method == m)].sort_values("rank")
        assert ax.get_title() == m
        assert len(ax.patches) == len(rows) == 6  # one bar per corpus keyword
        # the best term is drawn at the top, labels are the Chinese terms, widths the scores scaled to the best
        assert _labels(ax.get_yticklabels())[::-1] == rows.term.tolist()
        widths = [p.get_width() for p in ax.patches][::-1]
        assert widths == pytest.approx((rows.score / rows.score.max()).tolist())
        assert _font_families(ax.get_yticklabels()) == {font}
    # the seeds' subject leads, whole or inside a longer term (diverse lists keep one of 脱贫攻坚 / 决战决胜脱贫攻坚)
    assert any("脱贫攻坚" in label for label in _labels(axes[0].get_yticklabels()))
    assert fig.get_suptitle() == f"各方法的语料关键词（{len(docs)} 篇文档）"


def test_method_agreement_heatmaps(font, seed_keywords):
    _, kw = seed_keywords
    agreement = method_agreement(kw, k=6)
    fig = plot_method_agreement(agreement, methods=METHODS)
    heat = [ax for ax in fig.axes if ax.images and ax.get_title()]
    assert len(heat) == 2 and len(fig.axes) == 4  # two panels, each with a colour bar
    overlap = agreement.pivot(index="method_a", columns="method_b", values="overlap").loc[METHODS, METHODS]
    assert np.allclose(heat[0].images[0].get_array(), overlap.values)
    assert _labels(heat[0].get_xticklabels()) == METHODS == _labels(heat[0].get_yticklabels())
    cells = [t.get_text() for t in heat[0].texts]
    assert len(cells) == len(METHODS) ** 2 and cells[0] == "1.00"  # a method agrees with itself


def test_wordcloud_figure_draws_chinese(font):
    fig = plot_wordcloud({"脱贫攻坚": 5.0, "乡村振兴": 3.0, "精准扶贫": 2.0}, title="云", random_state=0)
    (ax,) = fig.axes
    image = ax.images[0].get_array()
    assert image.shape == (400, 800, 3) and (image.mean(axis=2) < 200).sum() > 500  # ink on the canvas
    assert ax.get_title() == "云"


def test_keywords_over_time_heatmap(font):
    over = pd.DataFrame(
        {
            "period": ["2019", "2019", "2020", "2020"],
            "rank": [1, 2, 1, 2],
            "term": ["脱贫攻坚", "产业扶贫", "乡村振兴", "脱贫攻坚"],
            "score": [3.0, 1.0, 4.0, 2.0],
            "n_documents": [2, 2, 3, 3],
        }
    )
    grid = period_grid(over)
    assert grid.index.tolist() == ["脱贫攻坚", "产业扶贫", "乡村振兴"] and grid.columns.tolist() == ["2019", "2020"]
    assert grid.max().tolist() == [1.0, 1.0] and grid.loc["乡村振兴", "2019"] == 0
    fig = plot_keywords_over_time(over, method="keyphrase")
    ax = fig.axes[0]
    assert np.allclose(ax.images[0].get_array(), grid.values)
    assert _labels(ax.get_yticklabels()) == grid.index.tolist()
    assert _labels(ax.get_xticklabels()) == ["2019\n(2 篇)", "2020\n(3 篇)"]
    assert _font_families(ax.get_yticklabels()) == {font}
    assert plot_keywords_over_time(over[over.period == "2019"], method="keyphrase") is None


def test_keywords_over_time_on_dated_news(font, data_dir):
    from helpers.corpus import load_corpus

    docs = load_corpus(data_dir / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl").docs.head(40)
    kw = extract_keywords(docs.text, doc_ids=docs.doc_id, methods=["keyphrase"], top_k=8, corpus_level=False)
    over = keywords_by_period(kw, dict(zip(docs.doc_id, docs.date)), freq="Q")  # 2016, four quarters
    quarters = docs.date.str[:4] + "Q" + ((docs.date.str[5:7].astype(int) + 2) // 3).astype(str)
    fig = plot_keywords_over_time(over, method="keyphrase", n_documents=quarters.value_counts().to_dict())
    labels = _labels(fig.axes[0].get_xticklabels())
    assert len(labels) == 4 and labels[0].startswith("2016Q1")  # a quarter listing no shared term is a column too
    n_terms = len(fig.axes[0].get_yticklabels())
    assert 4 <= n_terms <= 25 and set(_labels(fig.axes[0].get_yticklabels())) <= set(over.term)


def test_validation_f1_bars(font):
    scores = pd.DataFrame(
        {
            "method": ["keyphrase", "keyphrase", BASELINE_METHOD, BASELINE_METHOD],
            "k": [5, 10, 5, 10],
            "precision": 0.0,
            "recall": 0.0,
            "f1": [0.3, 0.25, 0.15, 0.12],
            "n_documents": 300,
            "corpus": "csl_sample",
        }
    )
    fig = plot_validation_f1(scores, methods=["keyphrase", "textrank", BASELINE_METHOD])
    (ax,) = fig.axes
    assert len(ax.patches) == 4  # two methods with scores, two k each; textrank did not run
    assert sorted(p.get_height() for p in ax.patches) == pytest.approx(sorted(scores.f1))
    assert ax.lines[0].get_ydata()[0] == pytest.approx(0.15)  # the baseline's F1@5, dashed
    assert _labels(ax.get_xticklabels()) == ["keyphrase", BASELINE_METHOD]
    assert "n = 300" in ax.get_title()


def test_period_grid_shows_every_period_and_its_leading_term():
    """Twelve quarters with five terms each: no quarter disappears from the heatmap, each keeps its first term."""
    from helpers.plotting.keywords import period_grid

    terms = (
        "脱贫 攻坚 扶贫 产业 就业 教育 医疗 住房 饮水 电商 旅游 合作 消费 搬迁 生态 兜底 保险 金融 人才 文化".split()
    )
    periods = [f"{y}Q{q}" for y in (2021, 2022, 2023) for q in (1, 2, 3, 4)]
    rows = [
        {
            "period": p,
            "rank": r + 1,
            "term": terms[(i * 5 + r) % len(terms)] + str(i),
            "score": 5.0 - r,
            "n_documents": 3,
        }
        for i, p in enumerate(periods)
        for r in range(5)
    ]
    grid = period_grid(pd.DataFrame(rows))
    assert list(grid.columns) == periods and len(grid) == 25
    assert all(grid[p].max() == 1.0 for p in periods)  # every period shows at least its first term


def test_word_cloud_terms_come_from_the_one_run_and_the_bars_show_top_k(font, seed_keywords):
    """Review R7 #7: the cloud's 150 corpus terms took a second keyphrase pass over the corpus (177 of 364 s on
    3,915 stories); one run now gives them, the same list as that pass, and the bar chart still shows top_k."""
    docs, table = seed_keywords
    one_run = extract_keywords(docs.text, doc_ids=docs.doc_id, methods=METHODS, top_k=6, corpus_top_k=40)
    second_pass = extract_keywords(docs.text, doc_ids=docs.doc_id, methods=["keyphrase"], top_k=40)
    corpus, documents = (one_run.doc_id == CORPUS_ID), (one_run.doc_id != CORPUS_ID)
    cloud = one_run[corpus & (one_run.method == "keyphrase")].reset_index(drop=True)
    assert len(cloud) == 40 and cloud.equals(second_pass[second_pass.doc_id == CORPUS_ID].reset_index(drop=True))
    # the documents' lists are those of a run without corpus_top_k; every method lists 40 corpus terms
    assert one_run[documents].reset_index(drop=True).equals(table[table.doc_id != CORPUS_ID].reset_index(drop=True))
    assert (one_run[corpus].groupby("method").size() == 40).all()
    fig = plot_corpus_keywords(one_run, methods=METHODS, n_documents=len(docs), top=6)
    for ax, m in zip([ax for ax in fig.axes if ax.axison], METHODS):
        rows = one_run[corpus & (one_run.method == m)].sort_values("rank").head(6)
        assert _labels(ax.get_yticklabels())[::-1] == rows.term.tolist() and len(ax.patches) == 6


def test_keywords_over_time_chart_sums_36_months_by_quarter(font, data_dir):
    """Review R7 #14: 48 monthly columns made a 6,642 px chart unreadable at page width. Three years of CCTV stories
    (36 months, the period notebook 05 picks) are drawn as 12 quarters and the page says so; a year of them stays in months."""
    from helpers.corpus import load_corpus

    docs = load_corpus(data_dir / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl").docs
    assert chart_period(docs.date) == ("month", "quarter")
    one_year = load_corpus(data_dir / "xwlb_sections_2019" / "xwlb_sections_2019.jsonl").docs
    assert chart_period(one_year.date) == ("month", "month")
    leads = docs.text.str.slice(0, 200)  # each story's lead: the keywords of the chart, quickly
    kw = extract_keywords(leads, doc_ids=docs.doc_id, methods=["keyphrase"], top_k=5, corpus_level=False)
    fig, sentence = keywords_over_time_chart(kw, dict(zip(docs.doc_id, docs.date)), method="keyphrase")
    labels = _labels(fig.axes[0].get_xticklabels())
    assert (
        len(labels) == 12 <= MAX_CHART_PERIODS and labels[0].startswith("2017Q1\n(") and labels[-1].startswith("2019Q4")
    )
    assert sentence.startswith("The chart sums by quarter: 36 months are more columns") and "each month" in sentence
    quarters = keywords_by_period(kw, dict(zip(docs.doc_id, docs.date)), freq="Q", top_k=None)  # one path, R9b #3
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == list(period_grid(quarters).index)
    fig, sentence = keywords_over_time_chart(kw, dict(zip(docs.doc_id, docs.date)), method="keyphrase", max_periods=36)
    assert sentence == "" and len(fig.axes[0].get_xticklabels()) == 36  # months when they fit
