"""helpers.plotting.cleaning: the figures of notebook 01 show the documents and tokens they are given, in CJK."""

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers.corpus import load_corpus  # noqa: E402
from helpers.plotting import setup_cjk_fonts  # noqa: E402
from helpers.plotting.cleaning import MAX_LENGTH_BARS, plot_lengths, plot_top_tokens  # noqa: E402

FONT = setup_cjk_fonts()


pytestmark = pytest.mark.usefixtures("close_figures")


def test_lengths_one_pair_of_bars_per_document_labelled_by_title(seeds_dir):
    docs = load_corpus(seeds_dir).docs
    fig = plot_lengths(docs)
    (ax,) = fig.axes
    raw, cleaned = ax.containers  # two bar series: raw (grey) under cleaned (blue)
    assert len(raw) == len(cleaned) == len(docs)
    assert [b.get_width() for b in raw] == docs["raw"].str.len().tolist()
    assert [b.get_width() for b in cleaned] == docs["text"].str.len().tolist()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    expected = [(t if isinstance(t, str) and t else d)[:18] for t, d in zip(docs["title"], docs["doc_id"])]
    assert labels == expected and any("\u4e00" <= c <= "\u9fff" for c in "".join(labels))
    assert all(t.get_fontname() == FONT for t in ax.get_yticklabels())
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["原始 raw", "清洗后 cleaned"]


def test_lengths_histogram_for_many_documents():
    n = MAX_LENGTH_BARS + 5
    docs = pd.DataFrame(
        {
            "doc_id": [str(i) for i in range(n)],
            "title": [None] * n,
            "raw": ["甲" * (i + 10) for i in range(n)],
            "text": ["甲" * (i + 1) for i in range(n)],
        }
    )
    fig = plot_lengths(docs)
    (ax,) = fig.axes
    assert sum(p.get_height() for p in ax.patches) == 2 * n  # raw and cleaned histograms, each document once
    assert ax.get_ylabel() == "文档数 documents"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["原始 raw", "清洗后 cleaned"]
    assert ax.get_title() == f"文档长度 Document length before and after cleaning ({n} documents)"
    width, height = fig.get_size_inches()
    assert width > height  # a landscape panel, not a bar chart's height for 30 documents


def test_lengths_title_says_when_raw_text_was_not_kept(seeds_dir):
    docs = load_corpus(seeds_dir, keep_raw=False).docs
    (ax,) = plot_lengths(docs).axes
    assert len(ax.containers) == 1 and "after cleaning (raw text not kept)" in ax.get_title()


def test_top_tokens_bars_in_order_with_counts():
    top = pd.DataFrame({"token": ["脱贫攻坚", "乡村振兴", "产业"], "count": [9, 5, 2]})
    fig = plot_top_tokens(top, n_documents=4)
    (ax,) = fig.axes
    assert [t.get_text() for t in ax.get_yticklabels()] == top["token"].tolist()
    assert [b.get_width() for b in ax.patches] == top["count"].tolist()
    assert all(t.get_fontname() == FONT for t in ax.get_yticklabels())
    assert ax.get_title() == "最常见的词 Top 3 tokens (4 documents)"
