"""Tests of helpers.reprints on real stories (the xwlb_poverty slice) and the seeds."""

from __future__ import annotations

import opencc
import pandas as pd
import pytest

from helpers import reprints as rp
from helpers.corpus import load_corpus


@pytest.fixture(scope="module")
def stories(data_dir):
    return load_corpus(data_dir / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl")


def _long_story(stories, n=0):
    multi = stories[stories["text"].str.count("\n") >= 3]
    return multi["text"].iloc[n]


def test_normalisation_folds_traditional_width_and_punctuation():
    s2t = opencc.OpenCC("s2t")
    text = "各地扎实推进脱贫攻坚，贫困群众收入持续增长。"
    assert rp.normalize_for_shingles(s2t.convert(text)) == rp.normalize_for_shingles(text)
    assert rp.normalize_for_shingles("ＡＢＣ　１２３，。") == "abc123"


def test_reprint_with_new_header_traditional_and_dropped_paragraph_is_found(stories):
    story = _long_story(stories)
    paras = story.split("\n")
    reprint = "\n".join(
        ["来源：人民网  2020-05-01 10:00", "（记者 张伟）", *paras[:1], *paras[2:], "（责任编辑：王芳）"]
    )
    reprint = opencc.OpenCC("s2t").convert(reprint)
    texts = [story, reprint, *stories["text"].iloc[50:80]]
    ids = ["orig", "copy", *stories["doc_id"].iloc[50:80]]
    found = rp.find_near_duplicates(texts, doc_ids=ids, dates=["2020-04-30", "2020-05-01", *[None] * 30])
    assert rp.pairs_from_clusters(found.clusters) == {frozenset(("orig", "copy"))}
    rows = found.clusters.set_index("doc_id")
    assert rows.loc["orig", "is_earliest"] and not rows.loc["copy", "is_earliest"]
    assert rows["is_representative"].sum() == 1
    assert found.n_distinct == len(texts) - 1


def test_pages_of_one_site_with_long_footer_are_not_reprints(stories):
    footer = [
        "人民网版权所有，未经书面授权禁止使用。Copyright 1997-2020 by www.people.com.cn. all rights reserved",
        "违法和不良信息举报电话：010-65363263 举报邮箱：jubao@people.cn 互联网新闻信息服务许可证10120170001号",
        "人民网新闻客户端下载，人民网微博，人民网微信公众号，领导留言板，人民视频，人民电视，人民网舆情数据中心",
    ]
    short = stories[stories["text"].str.len().between(80, 250)]["text"].iloc[:6].tolist()
    assert len(short) == 6
    pages = ["首页 | 新闻 | 时政 | 国际 | 财经\n" + body + "\n" + "\n".join(footer) for body in short]
    found = rp.find_near_duplicates(pages)
    assert found.clusters.empty and found.n_distinct == 6
    assert found.dropped_shingles["template_paragraphs"] >= 3


def test_roundup_does_not_chain_two_stories(stories):
    a, b = _long_story(stories, 0), _long_story(stories, 1)
    roundup = a + "\n" + b
    found = rp.find_near_duplicates([a, b, roundup], doc_ids=["a", "b", "roundup"], min_length_ratio=0.0)
    pairs = rp.pairs_from_clusters(found.clusters)
    assert frozenset(("a", "b")) not in pairs


def test_benchmark_precision_and_recall(stories):
    texts, ids, kinds, truth = rp.make_reprint_benchmark(
        stories["text"].tolist(),
        doc_ids=stories["doc_id"].tolist(),
        titles=stories["title"].tolist(),
        n_stories=30,
        n_site_pages=30,
        seed=3,
    )
    assert len(texts) == len(ids) == len(kinds) and len(set(ids)) == len(ids)
    assert sum(k.startswith("reprint") for k in kinds) >= 30 and any("traditional" in k for k in kinds)
    found = rp.find_near_duplicates(texts, doc_ids=ids)
    scores = rp.pair_precision_recall(rp.pairs_from_clusters(found.clusters), truth)
    assert scores["precision"] >= 0.95 and scores["recall"] >= 0.95
    # without the safeguards, template pages pair up: the filters are what keeps precision
    naive = rp.find_near_duplicates(texts, doc_ids=ids, drop_template=False, max_df=10**9, threshold=0.5)
    assert rp.pair_precision_recall(rp.pairs_from_clusters(naive.clusters), truth)["precision"] < scores["precision"]


def test_duplicate_paragraphs_across_documents(stories):
    story = _long_story(stories, 2)
    quoted = story.split("\n")[1]
    other = stories["text"].iloc[60] + "\n" + quoted
    table = rp.find_duplicate_paragraphs([story, other, stories["text"].iloc[61]], doc_ids=["s", "o", "x"])
    assert {(r.doc_a, r.doc_b) for r in table.itertuples()} == {("s", "o")}


def test_seeds_have_no_reprints(seeds_dir):
    docs = load_corpus(seeds_dir)
    found = rp.find_near_duplicates(docs["text"].tolist(), doc_ids=docs["doc_id"].tolist(), dates=docs["date"].tolist())
    assert found.clusters.empty and found.n_distinct == 5
    assert list(found.clusters.columns)[:4] == ["cluster", "doc_id", "similarity", "is_representative"]


def test_pairs_from_clusters_and_metrics():
    clusters = pd.DataFrame({"cluster": [0, 0, 1, 1, 1], "doc_id": list("abcde")})
    pairs = rp.pairs_from_clusters(clusters)
    assert len(pairs) == 1 + 3
    m = rp.pair_precision_recall(pairs, {frozenset("ab"), frozenset("cd"), frozenset("xy")})
    assert m["precision"] == 0.5 and m["recall"] == pytest.approx(2 / 3)


def test_story_reprinted_many_times_in_a_small_collection_stays_one_cluster(stories):
    s2t = opencc.OpenCC("s2t")
    texts = stories["text"].iloc[:40].tolist()
    story = max(texts, key=len)
    copies = []
    for c in range(14):
        page = f"来源：网站{c}\n{story}\n（责任编辑：编辑{c}）\n本网站版权所有，转载请注明出处，联系电话0101234567{c}"
        copies.append(s2t.convert(page) if c % 2 else page)
    ids = [f"d{i}" for i in range(len(texts))] + [f"c{i}" for i in range(len(copies))]
    found = rp.find_near_duplicates(texts + copies, doc_ids=ids)
    members = {f"d{texts.index(story)}", *(f"c{i}" for i in range(14))}
    assert found.clusters.groupby("cluster")["doc_id"].apply(set).tolist() == [members]
