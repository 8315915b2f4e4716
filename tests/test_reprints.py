"""Tests of helpers.reprints on real stories (the xwlb_poverty slice) and the seeds."""

from __future__ import annotations

import re

import numpy as np
import opencc
import pandas as pd
import pytest

from helpers import reprints as rp
from helpers.corpus import load_corpus
from helpers.validation.reprints import make_reprint_benchmark, pairs_from_clusters


@pytest.fixture(scope="module")
def stories(data_dir):
    return load_corpus(data_dir / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl").docs


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
    assert pairs_from_clusters(found.clusters) == {frozenset(("orig", "copy"))}
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
    pairs = pairs_from_clusters(found.clusters)
    assert frozenset(("a", "b")) not in pairs


def test_duplicate_paragraphs_across_documents(stories):
    story = _long_story(stories, 2)
    quoted = story.split("\n")[1]
    other = stories["text"].iloc[60] + "\n" + quoted
    table = rp.find_duplicate_paragraphs([story, other, stories["text"].iloc[61]], doc_ids=["s", "o", "x"])
    assert {(r.doc_a, r.doc_b) for r in table.itertuples()} == {("s", "o")}


def test_seeds_have_no_reprints(seeds_dir):
    docs = load_corpus(seeds_dir).docs
    found = rp.find_near_duplicates(docs["text"].tolist(), doc_ids=docs["doc_id"].tolist(), dates=docs["date"].tolist())
    assert found.clusters.empty and found.n_distinct == 5
    assert list(found.clusters.columns)[:4] == ["cluster", "doc_id", "similarity", "is_representative"]


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


def test_template_removal_never_empties_a_document(stories):
    """A story published alone twice and inside three round-ups (each with another story) looks like template to
    the holders' vote (most holders share nothing else), but a document made only of it is a story: it is kept, and
    its two copies are one reprint cluster, not two emptied documents."""
    multi = stories[stories["text"].str.count("\n") >= 3]
    story = multi["text"].iloc[0]
    others = stories["text"].iloc[100:103].tolist()
    texts = [story, story, *(story + "\n" + o for o in others), *stories["text"].iloc[50:70]]
    ids = ["copy1", "copy2", "roundup1", "roundup2", "roundup3", *stories["doc_id"].iloc[50:70]]
    found = rp.find_near_duplicates(texts, doc_ids=ids)
    assert found.dropped_shingles["template_paragraphs"] > 0  # the story's paragraphs are voted template ...
    assert found.dropped_shingles["documents_kept_whole"] == 2  # ... yet the two documents made of it keep them
    assert frozenset(("copy1", "copy2")) in pairs_from_clusters(found.clusters)
    assert found.n_distinct <= len(texts) - 1


# --- the array internals give the same numbers as the set-based definitions ------------------------------------
def _reference_candidates(sets, *, num_perm=128, lsh_threshold=0.2, seed=0):
    """The candidate search on datasketch's own MinHash and MinHashLSH objects (one per document)."""
    from datasketch import MinHash, MinHashLSH

    template = MinHash(num_perm=num_perm, seed=seed + 1, hashfunc=int)
    lsh = MinHashLSH(threshold=lsh_threshold, num_perm=num_perm)
    cands = set()
    for i, s in enumerate(sets):
        if not s:
            continue
        m = MinHash(num_perm=num_perm, hashfunc=int, permutations=template.permutations, scheme=template.scheme)
        m.update_batch(sorted(s))
        cands.update((j, i) for j in lsh.query(m))
        lsh.insert(i, m)
    return cands


@pytest.fixture(scope="module")
def reprint_collection(stories):
    texts, ids, _, truth = make_reprint_benchmark(
        stories["text"].tolist(), doc_ids=stories["doc_id"].tolist(), n_stories=30, n_site_pages=20, seed=5
    )
    return texts + ["", "短"], ids + ["empty", "short"], truth


def test_shingle_arrays_equal_the_shingle_sets(reprint_collection):
    texts, _, _ = reprint_collection
    doc_paras = rp.normalized_paragraphs(texts, 15)
    template = rp.template_paragraphs(doc_paras)
    values, offsets = rp.doc_shingle_arrays(doc_paras, k=5, drop=template)
    assert values.dtype == np.uint32 and len(offsets) == len(texts) + 1
    sets = [set().union(*(rp.shingles(p) for p in paras if p not in template)) for paras in doc_paras]
    for i, s in enumerate(sets):
        doc = values[offsets[i] : offsets[i + 1]]
        assert doc.tolist() == sorted(s)
    # the document-frequency filter drops exactly the shingles in more than `cutoff` documents
    cutoff = 3
    df = pd.Series([h for s in sets for h in s]).value_counts()
    common = set(df[df > cutoff].index)
    kept, kept_offsets, n_common = rp._filter_common(values, offsets, cutoff)
    assert n_common == len(common) > 0
    for i, s in enumerate(sets):
        assert kept[kept_offsets[i] : kept_offsets[i + 1]].tolist() == sorted(s - common)
    # scores on arrays equal pair_scores on sets
    for i, j in [(0, 1), (len(texts) - 1, 0), (len(texts) - 2, 3), (5, 200)]:
        a, b = values[offsets[i] : offsets[i + 1]], values[offsets[j] : offsets[j + 1]]
        assert rp._array_scores(a, b) == rp.pair_scores(sets[i], sets[j])


def test_kgram_hashes_of_mixed_scripts_equal_crc32_of_each_kgram():
    import zlib

    for text in ["2020年脱贫攻坚ok", "abcdefgh", "扶贫攻坚战", "扶贫", "", "a😀😀b扶贫x", "é€abc123"]:
        ref = (
            [zlib.crc32(text[i : i + 5].encode()) for i in range(len(text) - 4)]
            if len(text) > 5
            else [zlib.crc32(text.encode())] * bool(text)
        )
        assert rp._kgram_crcs(text, 5) == ref
        assert rp.shingles(text) == set(ref)


def test_minhash_signatures_and_lsh_candidates_equal_datasketch(reprint_collection):
    from datasketch import MinHash

    texts, _, _ = reprint_collection
    doc_paras = rp.normalized_paragraphs(texts, 15)
    values, offsets = rp.doc_shingle_arrays(doc_paras, k=5, drop=set())
    for num_perm, seed in [(128, 0), (64, 7)]:
        sig = rp.minhash_signatures(values, offsets, num_perm=num_perm, seed=seed)
        for i in [0, 1, 50, len(texts) - 1]:
            m = MinHash(num_perm=num_perm, seed=seed + 1, hashfunc=int)
            m.update_batch(values[offsets[i] : offsets[i + 1]].tolist())
            assert np.array_equal(sig[i], m.hashvalues)
    sets = [set(values[offsets[i] : offsets[i + 1]].tolist()) for i in range(len(texts))]
    for lsh_threshold in (0.2, 0.5):
        cands = rp._lsh_candidates(values, offsets, num_perm=128, lsh_threshold=lsh_threshold, seed=0)
        assert (cands[:, 0] < cands[:, 1]).all()
        assert [tuple(p) for p in cands.tolist()] == sorted(_reference_candidates(sets, lsh_threshold=lsh_threshold))


def test_candidate_blocks_concatenate_to_the_candidates(reprint_collection):
    texts, _, _ = reprint_collection
    values, offsets = rp.doc_shingle_arrays(rp.normalized_paragraphs(texts, 15), k=5, drop=set())
    sig = rp.minhash_signatures(values, offsets, num_perm=128, seed=0)
    filled = np.diff(offsets) > 0
    whole = rp.band_candidates(sig, filled, lsh_threshold=0.2)
    assert len(whole) > 200
    for max_pairs in (1, 50, 10**9):
        blocks = list(rp.candidate_blocks(sig, filled, lsh_threshold=0.2, max_pairs=max_pairs))
        assert np.array_equal(np.concatenate(blocks), whole)
        # blocks hold consecutive ranges of first documents
        assert all(a[:, 0].max() < b[:, 0].min() for a, b in zip(blocks, blocks[1:], strict=False))
    assert len(list(rp.candidate_blocks(sig, filled, lsh_threshold=0.2, max_pairs=50))) > 5


@pytest.mark.parametrize("compiled", [True, False])
def test_confirmation_equals_pair_scores_on_sets(reprint_collection, monkeypatch, compiled):
    """The compiled merge (numba) and the Python fallback confirm exactly the pairs, with exactly the scores, of
    :func:`pair_scores` on Python sets, at thresholds where the early stop of the merge matters."""
    if compiled:
        pytest.importorskip("numba")
    else:
        monkeypatch.setattr(rp, "_COMPILED", {"parallel": None, "serial": None})
    texts, _, _ = reprint_collection
    values, offsets = rp.doc_shingle_arrays(rp.normalized_paragraphs(texts, 15), k=5, drop=set())
    shingled = rp._Shingled(values, offsets, {})
    cands = rp._lsh_candidates(values, offsets, num_perm=128, lsh_threshold=0.1, seed=0)
    sets = [set(values[offsets[i] : offsets[i + 1]].tolist()) for i in range(len(texts))]
    for threshold, min_ratio in [(0.6, 0.3), (0.1, 0.0), (0.35, 0.5), (1.0, 0.0)]:
        expected = []
        for i, j in cands.tolist():
            c, jac, ratio = rp.pair_scores(sets[i], sets[j])
            if c >= threshold and ratio >= min_ratio and len(sets[i] & sets[j]) >= rp.MIN_SHARED_SHINGLES:
                expected.append((i, j, c, jac, ratio))
        got = rp.confirmed_pairs(shingled, cands, threshold=threshold, min_length_ratio=min_ratio)
        assert got == expected
        assert 0 < len(got) < len(cands) or threshold == 1.0
    if compiled:  # the serial kernel, used outside the main thread, gives the same pairs
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(2) as pool:
            runs = list(
                pool.map(lambda _: rp.confirmed_pairs(shingled, cands, threshold=0.6, min_length_ratio=0.3), [0, 1])
            )
        assert runs[0] == runs[1] == rp.confirmed_pairs(shingled, cands, threshold=0.6, min_length_ratio=0.3)


def _reference_cluster_pairs(pairs):
    """The greedy clustering as first written: every centre found by scanning all remaining nodes."""
    from collections import defaultdict

    adj = defaultdict(dict)
    for i, j, s in pairs:
        adj[i][j] = s
        adj[j][i] = s
    clusters, remaining = [], set(adj)
    while remaining:

        def strength(v, pool=remaining):
            links = [s for u, s in adj[v].items() if u in pool]
            return (len(links), sum(links), -v)

        centre = max(remaining, key=strength)
        nbrs = sorted((u for u in adj[centre] if u in remaining), key=lambda u: (-adj[centre][u], u))
        if not nbrs:
            remaining.discard(centre)
            continue
        members = [centre]
        for u in nbrs:
            if sum(1 for m in members if m in adj[u]) * 2 > len(members):
                members.append(u)
        clusters.append(members)
        remaining -= set(members)
    clusters.sort(key=min)
    return [[c[0], *sorted(c[1:])] for c in clusters]


def test_cluster_pairs_equals_the_full_scan_on_random_graphs():
    rng = np.random.default_rng(0)
    for trial in range(300):
        n = int(rng.integers(2, 40))
        n_pairs = int(rng.integers(1, 3 * n))
        a, b = rng.integers(0, n, n_pairs), rng.integers(0, n, n_pairs)
        scores = rng.choice([0.6, 0.7, 0.8, 0.9, 1.0], n_pairs) if trial % 2 else rng.uniform(0.6, 1, n_pairs)
        seen, pairs = set(), []
        for i, j, s in zip(a.tolist(), b.tolist(), scores.tolist()):
            if i != j and frozenset((i, j)) not in seen:
                seen.add(frozenset((i, j)))
                pairs.append((min(i, j), max(i, j), s))
        assert rp.cluster_pairs(pairs) == _reference_cluster_pairs(pairs)


def test_empty_and_tiny_inputs():
    assert rp.find_near_duplicates([]).n_distinct == 0
    found = rp.find_near_duplicates(["", "", "短文"], doc_ids=["a", "b", "c"])
    assert found.clusters.empty and found.pairs.empty and found.n_distinct == 3
    same = "国务院扶贫办今天召开会议，部署今年脱贫攻坚工作，要求各地精准施策，巩固脱贫成果。"
    found = rp.find_near_duplicates([same, same], doc_ids=["a", "b"])  # too short: identical texts, not reprints
    assert found.clusters.empty and found.n_short == 2
    assert found.identical["doc_id"].tolist() == ["a", "b"]
    longer = same + "会议强调，要把防止返贫摆在更加突出的位置，健全防止返贫监测和帮扶机制，确保不发生规模性返贫。"
    found = rp.find_near_duplicates([longer, longer], doc_ids=["a", "b"])
    assert pairs_from_clusters(found.clusters) == {frozenset("ab")} and found.identical.empty
    assert found.pairs["containment"].tolist() == [1.0]


def _reference_duplicate_paragraphs(texts, *, threshold=0.8, k=5, num_perm=64, min_chars=30, cutoff=8):
    """Paragraph pairs as first written: datasketch's own MinHash and MinHashLSH objects, Python shingle sets."""
    from datasketch import MinHash, MinHashLSH

    units = [
        (d, p, para, rp.shingles(rp.normalize_for_shingles(para), k=k))
        for d, text in enumerate(texts)
        for p, para in enumerate(rp.split_paragraphs(text))
        if len(rp.normalize_for_shingles(para)) >= min_chars
    ]
    holders = {}
    for d, _, para, _ in units:
        holders.setdefault(rp.normalize_for_shingles(para), set()).add(d)
    template = MinHash(num_perm=num_perm, seed=1, hashfunc=int)
    lsh = MinHashLSH(threshold=max(0.1, threshold - 0.2), num_perm=num_perm)
    found = set()
    for ui, (d, p, para, s) in enumerate(units):
        if len(holders[rp.normalize_for_shingles(para)]) > cutoff:
            continue
        m = MinHash(num_perm=num_perm, hashfunc=int, permutations=template.permutations, scheme=template.scheme)
        m.update_batch(sorted(s))
        for uj in lsh.query(m):
            d2, p2, _, s2 = units[uj]
            if d2 != d and len(s & s2) / len(s | s2) >= threshold:
                found.add((d2, p2, d, p, round(len(s & s2) / len(s | s2), 6)))
        lsh.insert(ui, m)
    return found


def test_duplicate_paragraphs_equal_the_datasketch_reference(reprint_collection):
    texts, _, _ = reprint_collection
    for threshold in (0.8, 0.5):
        table = rp.find_duplicate_paragraphs(texts, threshold=threshold)
        assert len(table) > 50
        assert set(
            table[["doc_a", "paragraph_a", "doc_b", "paragraph_b", "jaccard"]].itertuples(index=False, name=None)
        ) == (_reference_duplicate_paragraphs(texts, threshold=threshold, cutoff=rp.max_df_cutoff(len(texts), 0.05, 8)))
        assert table["jaccard"].is_monotonic_decreasing


def test_short_items_sharing_a_formula_are_not_reprints_and_repeated_headings_are_identical_texts(data_dir):
    """First sentences of held-out CCTV stories (median ~40 characters) share formulas across different events
    (李克强 在西藏/浙江代表团参加审议; 习近平和普京互致新年贺电 of 2017 and of 2019): without the minimum evidence
    they form reprint clusters; with it, short items are not tested and a repeated heading is an identical text."""
    from helpers.similarity import first_sentence

    docs = load_corpus(data_dir / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl").docs
    texts = [first_sentence(t) for t in docs["text"]] + ["国际联播快讯"] * 3
    ids = [*docs["doc_id"], "h1", "h2", "h3"]
    assert rp.find_near_duplicates(texts, doc_ids=ids, min_shared=1).n_clusters >= 3  # formulas pair up
    found = rp.find_near_duplicates(texts, doc_ids=ids)
    assert found.clusters.empty and found.n_short > len(texts) / 2
    heading = found.identical[found.identical["doc_id"].isin(["h1", "h2", "h3"])]
    assert heading["group"].nunique() == 1 and heading["n_members"].tolist() == [3, 3, 3]
    summary = found.summary()
    assert f"Reprint detection does not apply to the other {found.n_short:,} documents" in summary
    assert "identical texts" in summary and "identical texts" in found.counts_phrase()


def test_counts_are_said_in_the_singular_when_there_is_one(data_dir):
    """Review R6 on a cnews table: "2 are in 1 reprint clusters", "the other 1 documents", "(1 shorter ones not
    tested"; and "distinct stories" on a corpus of abstracts. One reprint pair and one short heading, said right."""
    docs = load_corpus(data_dir / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl").docs.head(5)
    texts = [*docs["text"], docs["text"].iloc[0], "国际联播快讯"]
    found = rp.find_near_duplicates(texts, doc_ids=[*docs["doc_id"], "copy", "heading"])
    assert found.n_clusters == 1 and found.n_short == 1
    summary, phrase = found.summary(), found.counts_phrase()
    assert summary.startswith("Of 7 documents, 6 are long enough to compare; of these, 2 are in 1 reprint cluster: ")
    assert "**5 distinct documents**" in summary and "does not apply to the other document**" in summary
    expected = (  # the compared count first: review S read "24 distinct documents" of 1,500 headlines as all of them
        "6 long enough to compare for reprints (1 shorter one not tested), 5 distinct documents after 1 reprint "
        "cluster among them"
    )
    assert phrase == expected
    assert "stories" not in summary + phrase and "1 reprint clusters" not in summary


#: Pairs of real CCTV 新闻联播 stories (china-data/xwlb, as data/xwlb_poverty_sample/SOURCE.md; from
#: ../shared/corpora/xwlb_general) that share a template but report different events: ``(id, date, text)``, two by two.
#: Reviewer R7 found them clustered as reprints on 3,915 stories of 2016-2019.
TEMPLATE_PAIRS = (
    (
        "VIDEmmjN1nviLZ42NnfzoQPt170511",
        "2017-05-11",
        "央视网消息（新闻联播）：中国共产党的优秀党员，久经考验的忠诚的共产主义战士，无产阶级革命家，杰出的民族工作领导人，第八届、九届全国人民代表大会常务委员会副委员长布赫同志的遗体，11日在北京八宝山革命公墓火化。\n布赫同志因病于2017年5月5日15时28分在北京逝世，享年91岁。\n11日上午，八宝山革命公墓礼堂庄严肃穆，哀乐低回。正厅上方悬挂着黑底白字的横幅“沉痛悼念布赫同志”，横幅下方是布赫同志的遗像。布赫同志的遗体安卧在鲜花翠柏丛中，身上覆盖着鲜红的中国共产党党旗。\n上午9时许，习近平、李克强、张德江、俞正声、刘云山、王岐山、张高丽、胡锦涛等，在哀乐声中缓步来到布赫同志的遗体前肃立默哀，向布赫同志的遗体三鞠躬，并与布赫同志亲属一一握手，表示慰问。\n布赫同志病重期间和逝世后，习近平、李克强、张德江、俞正声、刘云山、王岐山、张高丽、江泽民、胡锦涛等同志，前往医院看望或通过各种形式对布赫同志逝世表示沉痛哀悼并向其亲属表示深切慰问。\n党和国家有关领导同志，前往送别或以各种方式表示哀悼。中央和国家机关有关部门负责同志、布赫同志生前友好和家乡代表也前往送别。",
    ),
    (
        "VIDEeFbGNNwNm8TYvCp1ANtY191017",
        "2019-10-17",
        "央视网消息（新闻联播）：著名的数学家、教育家和社会活动家，中国民主同盟的杰出领导人，第九届、十届全国人民代表大会常务委员会副委员长，中国民主同盟第七届、八届、九届中央委员会主席，第九届中央委员会名誉主席，欧美同学会原会长，北京大学原校长，中国共产党的优秀党员丁石孙同志，17日在北京八宝山革命公墓火化。丁石孙同志因病于2019年10月12日14时35分在北京逝世，享年93岁。\n17日上午，八宝山革命公墓礼堂庄严肃穆，哀乐低回。正厅上方悬挂着黑底白字的横幅“沉痛悼念丁石孙同志”，横幅下方是丁石孙同志的遗像。丁石孙同志的遗体安卧在鲜花翠柏丛中，身上覆盖着鲜红的中国共产党党旗。\n上午9时45分许，习近平、李克强、栗战书、汪洋、王沪宁、赵乐际、韩正、王岐山等，在哀乐声中缓步来到丁石孙同志的遗体前肃立默哀，向丁石孙同志的遗体三鞠躬，并与丁石孙同志亲属一一握手，表示慰问。\n丁石孙同志病重期间和逝世后，习近平、李克强、栗战书、汪洋、王沪宁、赵乐际、韩正、王岐山、江泽民、胡锦涛等同志，前往医院看望或通过各种形式对丁石孙同志逝世表示沉痛哀悼并向其亲属表示深切慰问。\n党和国家有关领导同志前往送别或以各种方式表示哀悼。中央和国家机关有关部门负责同志，丁石孙同志生前友好和家乡代表也前往送别。",
    ),
    (
        "VIDEwMS1nvJyyEbTe89e5glH180409",
        "2018-04-09",
        "央视网消息（新闻联播）：9日上午，国务院总理李克强在人民大会堂北大厅举行仪式，欢迎蒙古国总理呼日勒苏赫对我国进行正式访问。\n国务委员王毅、全国政协副主席何立峰、郑建邦出席欢迎仪式。\n军乐团奏蒙、中两国国歌。\n随后，李克强陪同呼日勒苏赫检阅了中国人民解放军三军仪仗队。",
    ),
    (
        "VIDEmVPRzAlKAuTq9bCVn6Pd180412",
        "2018-04-12",
        "央视网消息（新闻联播）：12日下午，国务院总理李克强在人民大会堂北大厅举行仪式，欢迎荷兰首相马克·吕特对我国进行正式访问。\n国务委员王毅、全国政协副主席刘新成出席欢迎仪式。\n军乐团奏荷、中两国国歌。\n随后，李克强陪同马克·吕特检阅了中国人民解放军三军仪仗队。",
    ),
    (
        "VIDE5MFBRXm0G6GL6sljy7vI160902",
        "2016-09-02",
        "央视网消息（新闻联播）：二十国集团工商峰会开幕式将于9月3日下午3时许在浙江杭州举行，国家主席习近平将出席开幕式并发表主旨演讲。届时我台综合频道、新闻频道将进行现场直播，中文国际频道、英语、西班牙语、法语、阿拉伯语、俄语五个外语频道，以及央视网、央视新闻新媒体平台也将同步直播。",
    ),
    (
        "VIDEVKkTAEEcpJAxnGPvJ8DX160903",
        "2016-09-03",
        "央视网消息（新闻联播）：二十国集团领导人第十一次峰会将于9月4日至5日在浙江杭州举行，4日下午，外方代表团团长陆续抵达会场。随后，习近平主席将主持峰会欢迎仪式、开幕式等活动。当晚，习近平主席夫妇将迎接外方代表团团长夫妇并举行欢迎晚宴，习主席将在晚宴上致辞。峰会期间，国家主席习近平还将迎接金砖国家领导人并主持金砖国家领导人非正式会晤。届时我台综合频道、新闻频道将进行现场直播，中文国际频道、英语、西班牙语、法语、阿拉伯语、俄语五个外语频道，以及央视网，央视新闻新媒体平台也将同步直播。",
    ),
    (
        "VIDE7tjG7aknusJRbMCGFmgu181112",
        "2018-11-12",
        "央视网消息（新闻联播）：应新加坡共和国总理李显龙邀请，国务院总理李克强11月12日上午乘专机离开北京，对新加坡进行正式访问并出席第21次中国-东盟（10+1）领导人会议、第21次东盟与中日韩（10+3）领导人会议和第13届东亚峰会。\n国务委员兼国务院秘书长肖捷等陪同人员同机离京。",
    ),
    (
        "VIDEYZ3ssdKDBLauDXG5y5yI181116",
        "2018-11-16",
        "央视网消息（新闻联播）：11月16日下午，国务院总理李克强在结束对新加坡的正式访问并出席第21次中国—东盟（10+1）领导人会议、第21次东盟与中日韩（10+3）领导人会议和第13届东亚峰会后，乘专机回到北京。\n国务委员兼国务院秘书长肖捷等陪同人员同机抵京。",
    ),
    (
        "VIDE0e7e6WGVavIayj3xd0tG180902",
        "2018-09-02",
        "央视网消息（新闻联播）：2018年中非合作论坛北京峰会开幕式将于9月3日下午在人民大会堂举行。国家主席习近平将出席开幕式并发表主旨演讲。\n届时，中央广播电视总台所属中央电视台综合频道、新闻频道、中文国际频道、中国国际电视台各外语频道，中央人民广播电台、中国国际广播电台将进行现场直播。央视网、央视新闻移动网等中央重点新闻网站将作实时报道。",
    ),
    (
        "VIDEm7dl73sbVWfGqr2id5Ga181104",
        "2018-11-04",
        "央视网消息（新闻联播）：首届中国国际进口博览会开幕式将于11月5日上午在上海国家会展中心举行。国家主席习近平将出席开幕式并发表主旨演讲。\n届时，中央广播电视总台所属中央电视台综合频道、新闻频道、中文国际频道、中国国际电视台各外语频道，中央人民广播电台、中国国际广播电台将进行现场直播。央视网、央视新闻移动网等中央重点新闻网站将作实时报道。",
    ),
    (
        "VIDEbNBX3XbVUbwpidEzhBBQ190605",
        "2019-06-05",
        "央视网消息（新闻联播）：6月5日，国家主席习近平乘专机离开北京，应俄罗斯联邦总统普京邀请，对俄罗斯进行国事访问并出席第二十三届圣彼得堡国际经济论坛。\n陪同习近平出访的有：中共中央政治局委员、中央书记处书记、中央办公厅主任丁薛祥，中共中央政治局委员、中央外事工作委员会办公室主任杨洁篪，国务委员兼外交部长王毅，全国政协副主席、国家发展和改革委员会主任何立峰等。",
    ),
    (
        "VIDEexLf0WgYXcS0CAYjJS1s190627",
        "2019-06-27",
        "央视网消息（新闻联播）：6月27日，国家主席习近平乘专机离开北京，应日本国首相安倍晋三邀请，赴日本大阪出席二十国集团领导人第十四次峰会。\n陪同习近平出访的有：中共中央政治局委员、中央书记处书记、中央办公厅主任丁薛祥，中共中央政治局委员、国务院副总理刘鹤，中共中央政治局委员、中央外事工作委员会办公室主任杨洁篪，国务委员兼外交部部长王毅，全国政协副主席、国家发展和改革委员会主任何立峰等。",
    ),
)
#: the pairs above that differ in names or numbers in the same sentences (the others are told apart by their dates)
UNDATED_TEMPLATE_PAIRS = 4


def _template_collection(stories):
    """The template pairs among 60 other stories of the slice, and a real reprint of one of those: the same story
    the next day under another site's header and footer."""
    story = _long_story(stories, 3)
    reprint = f"来源：人民网 2020-05-02 08:00\n（记者 张伟）\n{story}\n（责任编辑：王芳）\n人民网版权所有，未经书面授权禁止使用"
    texts = [t for _, _, t in TEMPLATE_PAIRS] + [*stories["text"].iloc[100:160], story, reprint]
    ids = [i for i, _, _ in TEMPLATE_PAIRS] + [*stories["doc_id"].iloc[100:160], "story", "reprint"]
    dates = [d for _, d, _ in TEMPLATE_PAIRS] + [*stories["date"].iloc[100:160], "2020-05-01", "2020-05-02"]
    return texts, ids, dates


def test_template_stories_of_different_events_are_not_reprints(stories):
    """Same template, different event (布赫 / 丁石孙 同志遗体在京火化; 欢迎蒙古国总理 / 欢迎荷兰首相 …): confirmed by
    their shingles, then set apart by their names, numbers and dates; a real reprint stays a cluster."""
    texts, ids, dates = _template_collection(stories)
    pairs = {frozenset(ids[k : k + 2]) for k in range(0, len(TEMPLATE_PAIRS), 2)}
    naive = rp.find_near_duplicates(texts, doc_ids=ids, dates=dates, separate_templates=False)
    assert pairs <= {frozenset(p) for p in naive.pairs[["doc_a", "doc_b"]].values.tolist()}  # they pass the shingles
    found = rp.find_near_duplicates(texts, doc_ids=ids, dates=dates)
    assert pairs_from_clusters(found.clusters) == {frozenset({"story", "reprint"})}
    assert pairs <= {frozenset(p) for p in found.templates[["doc_a", "doc_b"]].values.tolist()}
    assert found.n_distinct == naive.n_distinct + len(pairs)
    assert "same template, different event" in found.summary() and found.summary().count("reprint cluster") == 1
    assert "2 pairs of one template" not in found.counts_phrase() and "different events" in found.counts_phrase()
    # the example names which side holds which (reviewer M2 read "(here: 651 9850 / 1585)" as a fraction)
    assert re.search(r"\(here: [^()]+ in one, [^()]+ in the other\)", found.template_sentence()), (
        found.template_sentence()
    )
    # several numbers of one side are listed with 、 (reviewer R read "3 in one, 4 5 in the other" as garbled)
    a = ["9日上午国务院总理李克强在人民大会堂北大厅举行仪式欢迎蒙古国总理对我国进行3天正式访问"]
    b = ["12日下午国务院总理李克强在人民大会堂北大厅举行仪式欢迎荷兰首相对我国进行5天正式访问"]
    assert rp.event_differences(a, b).numbers == [("3、9", "12、5")]
    row = found.templates.set_index(["doc_a", "doc_b"]).loc[("VIDEwMS1nvJyyEbTe89e5glH180409", ids[3])]
    assert row["days_apart"] == 3 and "蒙古国总理呼日勒苏赫 / 荷兰首相马克吕特" in row["differences"]


def test_template_pairs_differ_in_names_or_numbers_without_dates(stories):
    """Without dates the names and numbers alone tell the first pairs apart; the reprint has none that differ."""
    texts, ids, _ = _template_collection(stories)
    found = rp.find_near_duplicates(texts, doc_ids=ids)
    told = {frozenset(p) for p in found.templates[["doc_a", "doc_b"]].values.tolist()}
    assert {frozenset(ids[k : k + 2]) for k in range(0, 2 * UNDATED_TEMPLATE_PAIRS, 2)} <= told
    assert found.templates["days_apart"].isna().all()
    paras = rp.normalized_paragraphs([texts[-2], texts[-1]], 15)
    assert not rp.event_differences(*paras).another_event
    assert rp.days_apart("2018-11-12", "2018-11-16") == 4 <= rp.MAX_REPRINT_DAYS


def test_identical_texts_carry_their_text_and_all_recurring_texts_are_accounted_for(data_dir):
    """Review R9b A, B: on headlines, the reprint section counted 245 identical texts in 33 groups while the loading
    summary counted 251 in 36; the 6 others were long identical texts, in reprint clusters. The sentence splits the
    loading summary's count between the two, and identical_texts.csv carries the text the page shows."""
    from helpers.corpus import recurring_texts

    stories = load_corpus(data_dir / "xwlb_sections_2019" / "xwlb_sections_2019.jsonl").docs
    long_story = _long_story(stories)
    texts = [*stories["title"], long_story, long_story.replace("。", "！")]  # headlines, and one story twice
    ids = [f"S-{i}" for i in range(len(texts))]
    found = rp.find_near_duplicates(texts, doc_ids=ids)
    assert found.identical.columns.tolist() == rp.IDENTICAL_COLUMNS
    text_of = dict(zip(ids, texts))
    assert (found.identical["text"] == found.identical["doc_id"].map(text_of)).all()
    assert (found.identical["text"] == "国际联播快讯").any()
    counts = recurring_texts(texts)
    short_groups = found.identical["group"].nunique()
    assert len(counts) == short_groups + 1 and int(counts.sum()) == len(found.identical) + 2
    sentence = found.recurring_sentence(texts, ids)
    assert f"{int(counts.sum()):,} documents carry {len(counts):,} texts" in sentence
    assert f"{len(found.identical):,} ({short_groups:,} texts) listed as identical short texts" in sentence
    assert "2 (1 text) in reprint clusters" in sentence and "neither" not in sentence
    assert rp.find_near_duplicates(stories["title"].drop_duplicates().tolist()).recurring_sentence([], []) == ""


def test_a_copy_saved_beside_its_original_does_not_represent_it(stories):
    """Identical files: the original (the shorter name), not ``x (1)`` that sorts before it, represents the cluster."""
    story = _long_story(stories, 1)
    texts = [story, story, *stories["text"].iloc[50:70]]
    ids = ["体育/cnews-0800 (1)", "体育/cnews-0800", *stories["doc_id"].iloc[50:70]]
    clusters = rp.find_near_duplicates(texts, doc_ids=ids).clusters
    cluster = clusters[clusters.doc_id.isin(ids[:2])]
    assert cluster.cluster.nunique() == 1 and len(cluster) == 2
    assert cluster.loc[cluster.is_representative, "doc_id"].tolist() == ["体育/cnews-0800"]
