"""helpers.plotting.topics: the figures of notebook 03 show the data they are given, in the CJK font."""

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.image import AxesImage  # noqa: E402

from helpers.plotting import setup_cjk_fonts  # noqa: E402
from helpers.plotting.topics import heatmap_rows, plot_doc_topics, plot_k_sweep, plot_topic_terms  # noqa: E402

TERMS = {
    1: ["扶贫", "产业", "脱贫"],
    2: ["足球", "比赛", "球队"],
    3: ["教育", "学校", "学生"],
    4: ["房价", "楼市", "住房"],
    5: ["游戏", "玩家", "网游"],
}


FONT = setup_cjk_fonts()


pytestmark = pytest.mark.usefixtures("close_figures")


def _topics_table() -> pd.DataFrame:
    rows = [
        (t, r, term, round(0.3 - 0.1 * (r - 1), 2)) for t, terms in TERMS.items() for r, term in enumerate(terms, 1)
    ]
    return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"])


def test_k_sweep_has_a_panel_per_measure_with_mean_and_spread():
    sweep = pd.DataFrame(
        {
            "k": [2, 2, 3, 3, 5, 5],
            "seed": [0, 1] * 3,
            "c_v": [0.4, 0.5, 0.6, 0.6, 0.3, 0.5],
            "c_npmi": [0.0, 0.1, 0.2, 0.2, -0.1, 0.1],
            "u_mass": [-2.0, -2.2, -1.5, -1.5, -3.0, -2.0],
            "stability": [0.9, 0.9, 0.7, 0.7, 0.4, 0.4],
        }
    )
    fig = plot_k_sweep(sweep, n_units=42, unit="paragraph")
    axes = fig.axes
    assert [ax.get_title() for ax in axes] == ["一致性 c_v", "一致性 c_npmi", "一致性 u_mass", "跨种子稳定性 (Jaccard)"]
    assert "2 个随机种子，42 个段落" in fig._suptitle.get_text()
    for ax, m in zip(axes, ["c_v", "c_npmi", "u_mass", "stability"]):
        line = ax.get_lines()[0]
        np.testing.assert_allclose(np.asarray(line.get_xdata(), dtype=float), [2, 3, 5])
        np.testing.assert_allclose(np.asarray(line.get_ydata(), dtype=float), sweep.groupby("k")[m].mean().to_numpy())
        assert [t.get_text() for t in ax.get_xticklabels()] == ["2", "3", "5"]
        assert any(isinstance(c, LineCollection) for c in ax.collections)  # the error bars
    assert axes[0].xaxis.label.get_fontname() == FONT and axes[0].xaxis.label.get_text() == "主题数 K"


def test_topic_terms_one_panel_per_topic_bars_are_the_terms():
    table = _topics_table()
    fig = plot_topic_terms(table, n_terms=2)
    shown = [ax for ax in fig.axes if ax.axison]
    assert len(fig.axes) == 8 and len(shown) == 5  # 2 rows of 4; the three empty cells switched off
    for ax, (t, terms) in zip(shown, TERMS.items()):
        assert ax.get_title() == f"主题 {t}"
        assert len(ax.patches) == 2
        labels = [lab.get_text() for lab in ax.get_yticklabels()]
        assert labels == terms[:2][::-1]  # most probable at the top
        assert all(lab.get_fontname() == FONT for lab in ax.get_yticklabels())
        assert sorted(p.get_width() for p in ax.patches) == [0.2, 0.3]


def test_heatmap_rows_group_by_dominant_topic():
    theta = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7], [0.95, 0.05]])
    assert heatmap_rows(theta, max_rows=10).tolist() == [4, 0, 2, 1, 3]
    assert heatmap_rows(theta, max_rows=2).tolist() == [4, 1]  # every topic represented


def test_doc_topics_heatmap_cells_are_the_weights_rows_the_labels():
    theta = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    ids = ["a", "b", "c"]
    labels = {"a": "脱贫攻坚的一年" * 5, "b": None, "c": "乡村振兴"}
    fig = plot_doc_topics(theta, ids, topic_labels={1: "T1 扶贫·产业", 2: "T2 足球·比赛"}, labels=labels)
    ax = fig.axes[0]
    image = next(c for c in ax.get_children() if isinstance(c, AxesImage))
    order = heatmap_rows(theta)
    np.testing.assert_allclose(image.get_array(), theta[order])
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert rows == ["脱贫攻坚的一年" * 5, "乡村振兴", "b"]  # labels as given (the caller shortens); id when none
    assert [t.get_text() for t in ax.get_xticklabels()] == ["T1 扶贫·产业", "T2 足球·比赛"]
    assert all(t.get_fontname() == FONT for t in ax.get_xticklabels() + ax.get_yticklabels())
    assert len(fig.axes) == 2  # the heatmap and its colour bar
    no_titles = plot_doc_topics(theta, ids, topic_labels={1: "T1", 2: "T2"})
    assert [t.get_text() for t in no_titles.axes[0].get_yticklabels()] == ["a", "c", "b"]


def test_headlines_without_titles_are_labelled_by_their_text_as_in_notebook_04(data_dir):
    """Review R8b: on headlines (text column only, no title) the rows were ids (S-1402 …) while 04 showed text."""
    from helpers.similarity import distinct_labels, short_labels

    news = pd.read_json(data_dir / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl", lines=True).head(120)
    texts, ids, dates = news["title"].tolist(), news["id"].astype(str).tolist(), news["date"].astype(str).tolist()
    labels = distinct_labels(short_labels([""] * len(texts), texts), ids, dates)  # as notebook 03 calls them
    theta = np.random.default_rng(0).dirichlet([0.3] * 4, size=len(ids))
    theta[[i for i, t in enumerate(texts) if t == "国际联播快讯"]] = [0.97, 0.01, 0.01, 0.01]  # copies lead topic 1
    fig = plot_doc_topics(theta, ids, topic_labels={t: f"T{t}" for t in range(1, 5)}, labels=dict(zip(ids, labels)))
    rows = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    shown = heatmap_rows(theta)
    assert rows == [labels[i] for i in shown] and not set(rows) & set(ids)  # text, never a bare id
    assert all(r.startswith(texts[i][:6]) for r, i in zip(rows, shown))
    copies = [r for r in rows if r.startswith("国际联播快讯")]
    assert len(copies) > 1 and len(set(copies)) == len(copies)  # repeated headings told apart by date or id
