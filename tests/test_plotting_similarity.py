"""Figures of notebook 04 (helpers.plotting.similarity): one cell per pair, one leaf per document, one point per
document, Chinese labels in the CJK font."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers import similarity as sim  # noqa: E402
from helpers.plotting import setup_cjk_fonts  # noqa: E402
from helpers.plotting.similarity import (  # noqa: E402
    MAX_ANNOTATED,
    plot_dendrogram,
    plot_map,
    plot_similarity_heatmap,
)
from helpers.tokenize import tokenize_corpus  # noqa: E402


@pytest.fixture(scope="module")
def font():
    return setup_cjk_fonts()


@pytest.fixture(scope="module")
def seeds_index(seeds_dir):
    from helpers.corpus import load_corpus

    docs = load_corpus(seeds_dir).docs
    index = sim.SimilarityIndex.fit(tokenize_corpus(docs["text"].tolist(), n_jobs=1), methods=("tfidf", "lsi"))
    return docs, index, sim.short_labels(docs["title"], docs["text"])


pytestmark = pytest.mark.usefixtures("close_figures")


def _texts(ticks) -> list[str]:
    return [t.get_text() for t in ticks]


def _looks(ax) -> list[tuple]:
    """Fill and edge colour of each scatter group (a hollow ring has no fill)."""
    rgba = lambda c: tuple(np.round(c[0], 3)) if len(c) else None  # noqa: E731
    return [(rgba(c.get_facecolor()), rgba(c.get_edgecolor())) for c in ax.collections]


def _families(texts) -> set[str]:
    return {t.get_fontproperties().get_name() for t in texts if t.get_text()}


def test_heatmap_has_one_cell_per_pair_with_chinese_labels(font, seeds_index):
    _, index, labels = seeds_index
    S = index.matrix("tfidf")
    fig = plot_similarity_heatmap(S, labels, title="相似度")
    ax, colorbar = fig.axes
    assert ax.images[0].get_array().shape == (len(labels), len(labels))
    np.testing.assert_allclose(ax.images[0].get_array(), S)
    assert _texts(ax.get_xticklabels()) == labels and _texts(ax.get_yticklabels()) == labels
    assert _families(ax.get_xticklabels()) == {font} and _families([ax.title]) == {font}
    assert colorbar.get_ylabel() == "similarity"
    cells = [t.get_text() for t in ax.texts]  # small matrices: every value written in its cell
    assert len(cells) == len(labels) ** 2 and cells[0] == f"{S[0, 0]:.2f}" == "1.00"


def test_heatmap_of_many_documents_is_not_annotated(font):
    n = MAX_ANNOTATED + 1
    fig = plot_similarity_heatmap(np.eye(n), [f"文档{i}" for i in range(n)], title="t")
    assert not fig.axes[0].texts


def test_dendrogram_has_one_leaf_per_document(font, seeds_index):
    _, index, labels = seeds_index
    fig = plot_dendrogram(index.matrix("lsi"), labels, title="树状图")
    (ax,) = fig.axes
    leaves = _texts(ax.get_yticklabels())
    assert sorted(leaves) == sorted(labels)
    assert _families(ax.get_yticklabels()) == {font}
    assert ax.get_xlabel().startswith("距离")


def test_map_has_one_point_per_document_and_a_legend_per_group(font, seeds_index):
    docs, index, labels = seeds_index
    xy = sim.map_2d(index.vectors["lsi"])
    groups = ["topic 10", "topic 2", "topic 2", "topic 1", "topic 10"]
    fig = plot_map(xy, groups=groups, labels=labels, title="文档地图", group_name="LDA topic")
    (ax,) = fig.axes
    assert sum(len(c.get_offsets()) for c in ax.collections) == len(docs)
    legend = ax.get_legend()
    assert legend.get_title().get_text() == "LDA topic"
    assert _texts(legend.get_texts()) == ["topic 1", "topic 2", "topic 10"]  # numbers in natural order
    assert sorted(a.get_text() for a in ax.texts) == sorted(labels)
    assert _families(ax.texts) == {font}
    assert not ax.get_xticks().size and not ax.get_yticks().size


def test_map_of_many_labels_gives_each_shown_group_its_own_colour_and_a_legend(font, data_dir):
    from helpers.corpus import load_corpus

    docs = load_corpus(data_dir / "xwlb_dated_heldout" / "xwlb_dated_heldout.jsonl").docs
    docs = docs.assign(labels=docs["labels"].map("|".join))  # "|"-joined labels, many blanks
    groups, name, _ = sim.document_groups(docs, None)
    xy = np.random.default_rng(0).normal(size=(len(docs), 2))
    fig = plot_map(xy, groups=groups, title="文档分布图", group_name=name)
    (ax,) = fig.axes
    assert len(set(_looks(ax))) == len(ax.collections) == groups.nunique()  # no colour stands for two groups
    legend = ax.get_legend()
    assert legend.get_title().get_text() == "labels"
    assert {sim.OTHER_GROUP, sim.NO_LABEL_GROUP} <= set(_texts(legend.get_texts()))


def test_map_of_ten_topics_and_documents_without_one_keeps_every_colour_apart(font, data_dir):
    """Review R4: with 10 topics the legend's 11th entry, "no topic", took T1's colour (the palette starts again)
    and was English in a Chinese legend; it is now 无主题, grey, listed last, and the sentence counts it."""
    from helpers import topics as tp
    from helpers.corpus import load_corpus

    news = load_corpus(data_dir / "cnews_sample" / "cnews_sample.jsonl").docs.head(30)
    items = load_corpus(data_dir / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl").docs.head(3)
    texts = news["text"].tolist() + items["date"].tolist()  # + rows holding only a date, as scraped tables have
    index = sim.SimilarityIndex.fit(tokenize_corpus(texts, n_jobs=1), methods=("lda",), lda_topics=10)
    assert index.theta.shape[1] == 10
    names = tp.topic_labels(index.lda)
    groups, _, said = sim.document_groups(pd.DataFrame(index=range(len(texts))), index.theta, topic_names=names)
    none = int((groups == sim.NO_TOPIC_GROUP).sum())
    assert 0 < none < len(texts) and groups.nunique() == 11  # ten topics and the documents without one
    assert f"{none} of {len(texts)} documents" in said and sim.NO_TOPIC_GROUP in said and tp.NO_TOPIC not in set(groups)
    xy = np.random.default_rng(0).normal(size=(len(texts), 2))
    fig = plot_map(xy, groups=groups, title="文档分布图", group_name="LDA 主题")
    (ax,) = fig.axes
    looks = _looks(ax)
    assert len(set(looks)) == len(looks) == 11  # no colour stands for two groups
    assert _texts(ax.get_legend().get_texts())[-1] == sim.NO_TOPIC_GROUP
    face, edge = looks[-1]
    assert face is None and np.ptp(edge[:3]) == 0  # a hollow grey ring


def test_heatmap_of_groups_of_neighbours_says_how_they_were_chosen(font, data_dir):
    """Above max_heatmap_docs, notebook 04's heatmaps and dendrogram show groups of similar documents (review R7):
    both titles say how many documents in how many groups, and white lines separate the groups."""
    from helpers.corpus import load_corpus
    from helpers.plotting.similarity import shown_count

    docs = load_corpus(data_dir / "xwlb_sections_2019" / "xwlb_sections_2019.jsonl").docs.iloc[:60]
    index = sim.SimilarityIndex.fit(tokenize_corpus(docs["text"].tolist(), n_jobs=1), methods=("tfidf",))
    shown = sim.figure_sample(index, index.similar_pairs(k=5), max_rows=30, method="tfidf")
    labels = sim.short_labels(docs["title"], docs["text"])
    shown_labels = [labels[i] for i in shown.rows]
    title = f"文档相似度 · tfidf · {shown_count(shown)}"
    S = index.matrix("tfidf", rows=shown.rows)
    fig = plot_similarity_heatmap(S, shown_labels, title=title, groups=shown.group)
    (ax, _) = fig.axes
    said = f"文档相似度 · tfidf · {len(shown.rows)} 篇：{shown.n_groups} 组相近文档，从 60 篇中选出"
    assert ax.get_title() == said and shown.n_groups >= 2
    assert len(ax.lines) == 2 * (shown.n_groups - 1)  # one horizontal and one vertical line between two groups
    tree = plot_dendrogram(S, shown_labels, title=shown_count(shown))
    assert "组相近文档" in tree.axes[0].get_title() and "随机" not in tree.axes[0].get_title()
    everything = sim.figure_sample(index, index.similar_pairs(k=5), max_rows=60, method="tfidf")
    assert shown_count(everything) == "60 篇"  # the whole corpus: no choice to mention


def test_no_real_group_of_a_map_is_drawn_in_the_grey_of_other_groups(font, data_dir):
    """Review R8b: on a map of ten topics, T8 took the palette's eighth colour, matplotlib's grey #7f7f7f, which the
    caption keeps for 其他 / 无标签. Every real group now has a colour of its own that is not grey, 其他 stays grey."""
    from matplotlib.colors import rgb_to_hsv

    from helpers.corpus import load_corpus
    from helpers.plotting.similarity import GREY_SATURATION

    docs = load_corpus(data_dir / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl").docs
    groups, _, _ = sim.document_groups(docs, None, max_groups=12)  # 8 sections, then 其他 for none: all 8 real
    topics = [f"T{i} 词·词·词" for i in range(1, 11)]
    for labels in (groups.tolist() + [sim.OTHER_GROUP] * 3, [topics[i % 10] for i in range(len(docs))]):
        xy = np.random.default_rng(0).normal(size=(len(labels), 2))
        (ax,) = plot_map(xy, groups=labels, title="文档分布图", group_name="group").axes
        looks = dict(zip(_texts(ax.get_legend().get_texts()), _looks(ax)))
        real = {name: face for name, (face, _) in looks.items() if name not in (sim.OTHER_GROUP, sim.NO_LABEL_GROUP)}
        assert len(set(real.values())) == len(real) >= 8  # T8 among them
        assert all(rgb_to_hsv(face[:3])[1] >= GREY_SATURATION for face in real.values()), real
        if sim.OTHER_GROUP in looks:
            assert rgb_to_hsv(looks[sim.OTHER_GROUP][0][:3])[1] < GREY_SATURATION
