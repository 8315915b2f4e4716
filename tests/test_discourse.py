"""helpers.discourse on real dated text: the held-out CCTV slice (never used to tune the methods) and the seeds."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from helpers import discourse as ds
from helpers.corpus import load_corpus
from helpers.paths import DATA_DIR
from helpers.tokenize import tokenize_corpus

HELDOUT = DATA_DIR / "xwlb_dated_heldout" / "xwlb_dated_heldout.jsonl"


@pytest.fixture(scope="module")
def heldout() -> pd.DataFrame:
    return load_corpus(HELDOUT, errors="raise").docs


@pytest.fixture(scope="module")
def heldout_tokens(heldout) -> list[list[str]]:
    return tokenize_corpus(heldout.text.tolist(), n_jobs=1, progress=False)


@pytest.fixture(scope="module")
def seeds(seeds_dir) -> pd.DataFrame:
    return load_corpus(seeds_dir).docs


# -- dates ------------------------------------------------------------------------------------------------------------
def test_yearless_dates_never_get_a_year_and_are_counted(seeds):
    status = ds.date_status(seeds.date)
    yearless = status == "no year"
    assert yearless.sum() == seeds.date.astype(str).str.startswith("--").sum() >= 1
    for unit in ("year", "quarter", "month"):
        labels = ds.period_labels(seeds.date, period=unit)
        assert labels[yearless].isna().all()
        assert labels[~yearless & seeds.date.notna()].notna().all()
    plan = ds.plan_comparison(seeds)
    assert plan.counts["no year"] == int(yearless.sum())
    assert plan.counts["dated"] + plan.counts["no year"] + plan.counts["undated"] == len(seeds)
    assert not plan.trends and plan.kind == "document"
    n = int(yearless.sum())
    assert f"{n} {'gives' if n == 1 else 'give'} only month and day" in plan.summary


def test_undated_documents_counted_and_left_out(heldout):
    docs = heldout.copy()
    docs.loc[docs.index[:7], "date"] = None
    docs.loc[docs.index[7:10], "date"] = "--10-18"
    plan = ds.plan_comparison(docs, period="quarter")
    assert plan.counts["undated"] == 7 and plan.counts["no year"] == 3 and plan.counts["dated"] == len(docs) - 10
    assert plan.periods.iloc[:10].isna().all() and plan.periods.iloc[10:].notna().all()
    assert plan.groups.iloc[:10].isna().all()
    trends = ds.term_trends(docs.text.tolist(), plan.periods, ["扶贫"], period="quarter", n_boot=50)
    assert trends.docs.sum() == len(docs) - 10
    assert "7 have no date" in plan.summary and "3 give only month and day" in plan.summary


def test_auto_period_is_the_finest_with_enough_documents(heldout):
    assert ds.choose_period(heldout.date, min_docs=10) == "quarter"  # 240 stories over 16 quarters
    assert ds.choose_period(heldout.date, min_docs=40) == "year"
    assert ds.choose_period(heldout.date.iloc[:2]) is None


# -- statistics -------------------------------------------------------------------------------------------------------
def test_g2_matches_scipy_log_likelihood_ratio():
    for table in ([10, 90, 2, 98], [3, 11, 0, 226], [40, 60, 45, 55]):
        a, b, c, d = table
        expected = chi2_contingency([[a, b], [c, d]], lambda_="log-likelihood", correction=False)[0]
        got = ds.g2_2x2(a, b, c, d)
        assert abs(abs(float(got)) - expected) < 1e-9
        assert np.sign(got) == np.sign(a / (a + b) - c / (c + d))


def test_benjamini_hochberg_by_hand():
    p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205]
    # by hand: m * p / rank = .008 .032 .104 .082 .0672 .08 .084571 .205, then running minimum from the right
    expected = [0.008, 0.032, 0.0672, 0.0672, 0.0672, 0.08, 0.084571, 0.205]
    assert np.allclose(ds.benjamini_hochberg(p), expected, atol=1e-6)
    shuffled = [p[i] for i in (3, 0, 7, 5, 1, 2, 6, 4)]
    assert np.allclose(ds.benjamini_hochberg(shuffled), [expected[i] for i in (3, 0, 7, 5, 1, 2, 6, 4)], atol=1e-6)


def test_keyness_counts_are_the_token_counts(heldout, heldout_tokens):
    plan = ds.plan_comparison(heldout, period="year")
    key = ds.keyness(heldout_tokens, plan.groups)
    assert list(key.columns[:10]) == [
        "group", "term", "count_in", "count_out", "per_10k_in", "per_10k_out", "log_ratio", "g2", "p_adj",
        "significant",
    ]  # fmt: skip
    row = key[(key.group == "2016") & (key.term == "精准扶贫")].iloc[0]
    in_2016 = plan.groups.to_numpy() == "2016"
    toks_in = [t for t, k in zip(heldout_tokens, in_2016) if k]
    toks_out = [t for t, k in zip(heldout_tokens, in_2016) if not k]
    assert row.count_in == sum(t.count("精准扶贫") for t in toks_in)
    assert row.count_out == sum(t.count("精准扶贫") for t in toks_out)
    assert row.docs_in == sum("精准扶贫" in t for t in toks_in) and row.n_docs_in == len(toks_in)
    assert row.per_10k_in == pytest.approx(row.count_in / sum(map(len, toks_in)) * 1e4)
    # 乡村振兴 only exists from October 2017: it is over-represented in 2018 and 2019 and under in 2016
    xc = key[key.term == "乡村振兴"].set_index("group")
    assert xc.loc["2016", "count_in"] == 0 and xc.loc["2016", "g2"] < 0 and xc.loc["2018", "g2"] > 0


@pytest.fixture(scope="module")
def tiny_news() -> pd.DataFrame:
    """The reviewer's kind of tiny corpus: 8 news rows without dates, short and long ones (keyness by document)."""
    rows = pd.read_json(DATA_DIR / "cnews_sample" / "cnews_sample.jsonl", lines=True, dtype={"id": str})
    by_length = rows.assign(n=rows.text.str.len()).sort_values("n", kind="stable")
    return pd.concat([by_length.head(4), by_length.tail(4)]).drop(columns="n")


def test_log_ratio_sign_is_the_sign_of_the_rate_difference(tiny_news):
    tokens = tokenize_corpus(tiny_news.text.tolist(), n_jobs=1, progress=False)
    key = ds.keyness(tokens, tiny_news.id.tolist(), min_docs=1)
    diff = np.sign(key.per_10k_in - key.per_10k_out)
    sign = np.sign(key.log_ratio)
    assert ((sign == diff) | (sign == 0)).all()  # never the wrong sign
    both = (key.count_in > 0) & (key.count_out > 0)
    assert both.any() and (sign[both] == diff[both]).all()
    # the case the reviewer saw: a term absent from a short document, where 0.5 added to the raw counts gives +
    absent = key[key.count_in == 0]
    n_in = {g: sum(map(len, [t for t, i in zip(tokens, tiny_news.id) if i == g])) for g in absent.group.unique()}
    n_out = {g: sum(map(len, tokens)) - n for g, n in n_in.items()}
    raw = np.log2((0.5 / absent.group.map(n_in)) / ((absent.count_out + 0.5) / absent.group.map(n_out)))
    assert (raw > 0).any() and (absent.log_ratio <= 0).all()
    assert (absent.log_ratio[raw > 0] == 0).all()  # too short to show the term is rarer there: 0, not a size


def test_log_ratio_of_a_term_absent_from_a_small_period_is_what_its_size_can_show(heldout, heldout_tokens):
    """Reviewer S: a term absent from a month of 40 headlines had a log ratio of -7.3 (half an occurrence spread
    over the whole corpus); absent from a side, a term is as rare there as half an occurrence in that side's tokens
    can show, no rarer."""
    plan = ds.plan_comparison(heldout, period="year")
    key = ds.keyness(heldout_tokens, plan.groups, min_docs=1)
    absent = key[(key.count_in == 0) & (key.log_ratio < 0)]
    assert len(absent)
    sizes = {g: sum(len(t) for t, p in zip(heldout_tokens, plan.groups) if p == g) for g in absent.group.unique()}
    total = sum(map(len, heldout_tokens))
    floor_in = 0.5 / absent.group.map(sizes)
    rate_out = absent.count_out / (total - absent.group.map(sizes))
    assert np.allclose(absent.log_ratio, np.log2(floor_in / rate_out))
    present = key[(key.count_in > 0) & (key.count_out > 0)]
    assert np.allclose(present.log_ratio, np.log2(present.per_10k_in / present.per_10k_out))


def test_shuffled_dates_give_few_significant_terms(heldout, heldout_tokens):
    plan = ds.plan_comparison(heldout, period="year")
    real = int(ds.keyness(heldout_tokens, plan.groups).significant.sum())
    flagged_doc, flagged_tok = [], []
    for seed in (0, 1, 2):
        shuffled = ds.shuffle_groups(plan.groups, seed=seed)
        assert sorted(shuffled.dropna()) == sorted(plan.groups.dropna())  # same labels, dealt out again
        flagged_doc.append(int(ds.keyness(heldout_tokens, shuffled).significant.sum()))
        flagged_tok.append(int(ds.keyness(heldout_tokens, shuffled, level="token").significant.sum()))
    assert max(flagged_doc) <= 2  # document-level test: (almost) nothing by chance
    assert min(flagged_tok) > 20  # the token-count test is fooled by bursts within stories
    assert real > max(flagged_doc)  # with the real years, 乡村振兴 and 新时代 do set 2016 and 2018 apart
    assert ds.shuffled_significance(heldout_tokens, plan.groups, seed=2) == {
        "document": flagged_doc[2],
        "token": flagged_tok[2],
    }


def test_honesty_check_table_sets_the_real_labels_against_one_shuffle(heldout, heldout_tokens):
    plan = ds.plan_comparison(heldout, period="year")
    key = ds.keyness(heldout_tokens, plan.groups)
    table = ds.honesty_check(heldout_tokens, plan.groups, key, seed=1)
    assert table.columns.tolist() == ["labels", "test", "significant"]
    assert table[["labels", "test"]].values.tolist() == [
        ["as given", "documents"],
        ["shuffled", "documents"],
        ["shuffled", "token counts"],
    ]
    chance = ds.shuffled_significance(heldout_tokens, plan.groups, seed=1)
    assert table.significant.tolist() == [int(key.significant.sum()), chance["document"], chance["token"]]
    assert table.significant[0] > table.significant[1]


# -- traced terms, change points, concordance --------------------------------------------------------------------------
def test_trend_counts_equal_substring_counts_and_intervals_contain_estimate(heldout):
    plan = ds.plan_comparison(heldout, period="quarter")
    terms = ["乡村振兴", "精准扶贫", "两不愁三保障"]
    tr = ds.term_trends(heldout.text.tolist(), plan.periods, terms, period="quarter", n_boot=300, seed=0)
    assert tr.columns.tolist()[:7] == ["period", "term", "docs", "count", "per_10k", "ci_low", "ci_high"]
    for (p, term), row in tr.set_index(["period", "term"]).iterrows():
        texts = heldout.text[plan.periods == p]
        assert row["count"] == sum(t.count(term) for t in texts)
        assert row["docs"] == len(texts)
        assert row["per_10k"] == pytest.approx(row["count"] / texts.str.len().sum() * 1e4)
        assert row["ci_low"] <= row["per_10k"] <= row["ci_high"]
        assert row["ci_high"] > 0  # a period without the term is still uncertain, never a zero-width band
    again = ds.term_trends(heldout.text.tolist(), plan.periods, terms, period="quarter", n_boot=300, seed=0)
    pd.testing.assert_frame_equal(tr, again)


def test_change_point_dates_rural_revitalisation_to_late_2017(heldout):
    plan = ds.plan_comparison(heldout, period="quarter")
    cp = ds.change_points(heldout.text.tolist(), plan.periods, ["乡村振兴"], n_perm=199, seed=0).iloc[0]
    assert cp.period == "2017Q4" and cp.direction == "rising"
    assert cp.share_before == 0 and cp.share_after > 0.2 and cp.p_perm < 0.01


def test_family_adjustment_of_one_term_is_its_own_permutation_test(heldout):
    """The max-T null over a family of one term is that term's own permutation test, shuffle for shuffle."""
    plan = ds.plan_comparison(heldout, period="quarter")
    texts = heldout.text.tolist()
    cp = ds.change_points(texts, plan.periods, ["乡村振兴", "贫困户", "农村", "会议"], n_perm=199, seed=1)
    for i in range(len(cp)):
        one = ds.change_point_p_adj(cp.iloc[[i]], texts, plan.periods, family=[], n_perm=199, seed=1)
        assert one[0] == pytest.approx(cp.p_perm.iloc[i])
    together = ds.change_point_p_adj(cp, texts, plan.periods, family=[], n_perm=199, seed=1)
    assert (together >= cp.p_perm.to_numpy() - 1e-12).all()
    weak = cp.g2.abs() < 10  # a weak change must beat the strongest one of shuffled dates: its p grows
    assert weak.any() and (together[weak] > cp.p_perm[weak]).all() and together[~weak].max() < 0.05


def _auto_change_points(docs: pd.DataFrame, tokens: list[list[str]]) -> pd.DataFrame:
    """Notebook 05 with ``terms = None``: terms picked from the quarterly keyness, then tested for the pick."""
    plan = ds.plan_comparison(docs, period="quarter")
    key = ds.keyness(tokens, plan.groups, min_docs=3)
    texts = docs.text.tolist()
    changes = ds.change_points(texts, plan.periods, ds.default_terms(plan, texts, key, n=5), seed=0)
    family = key.term.unique().tolist()
    changes["p_adj"] = ds.change_point_p_adj(changes, texts, plan.periods, tokens=tokens, family=family, seed=0)
    assert (changes.p_adj >= changes.p_perm).all()
    return changes


def test_terms_picked_on_random_dates_are_not_reported_as_changes(tmp_path):
    """The reviewer's case: news dated uniformly at random over 2021–2022, where nothing changes."""
    rows = pd.read_json(DATA_DIR / "cnews_sample" / "cnews_sample.jsonl", lines=True, dtype={"id": str})
    rng = np.random.default_rng(4)
    days = pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 730, len(rows)), unit="D")
    table = pd.DataFrame({"编号": rows.id, "正文": rows.text, "发布日期": days.strftime("%Y-%m-%d")})
    table.to_csv(tmp_path / "news.csv", index=False)
    docs = load_corpus(tmp_path / "news.csv", text_column="正文", id_column="编号", errors="raise").docs
    changes = _auto_change_points(docs, tokenize_corpus(docs.text.tolist(), n_jobs=1, progress=False))
    assert (changes.p_perm <= 0.05).any()  # each picked term alone looks like a change: the selection bias
    assert not (changes.p_adj <= 0.05).any()
    assert "none at or below 0.05" in ds.change_point_sentence(changes, alpha=0.05, family_size=1000)


def test_terms_picked_on_real_dates_keep_the_19th_congress_change(heldout, heldout_tokens):
    changes = _auto_change_points(heldout, heldout_tokens)
    assert ((changes.period == "2017Q4") & (changes.p_adj <= 0.05)).any()


def test_kwic_has_one_row_per_counted_occurrence(heldout):
    terms = ["乡村振兴", "贫困户"]
    table = ds.kwic(heldout, terms, context_chars=20)
    assert table.columns.tolist() == ["term", "doc_id", "date", "title", "left", "match", "right"]
    counts = ds.term_counts(heldout.text.tolist(), terms).sum()
    assert table.groupby("term").size().to_dict() == counts.to_dict()
    texts = heldout.set_index("doc_id").text
    for r in table.head(50).itertuples():
        assert (r.left + r.match + r.right).replace(" ", "") in texts[r.doc_id].replace("\n", "").replace(" ", "")
        assert len(r.left) <= 20 and len(r.right) <= 20 and r.match == r.term
    assert (table.date.str.match(r"^\d{4}-\d{2}-\d{2}$")).all()


def test_kwic_titles_of_single_stories_are_their_own(seeds, heldout):
    # the seeds' parallel subheadings (一线奔忙促脱贫 …) are no headlines: every hit shows its document's title
    table = ds.kwic(seeds, ["脱贫攻坚", "扶贫"])
    assert len(table) > 20 and (table.title == table.doc_id.map(seeds.set_index("doc_id").title).fillna("")).all()
    assert ds.kwic_headlines_sentence(table, seeds) is None
    # the held-out CCTV stories: only the bulletins of news flashes and three stories that gather pieces under their
    # own headlines (two provinces each; a report, then its 短评) hold several headlines, and there a hit shows the
    # headline of its piece
    table = ds.kwic(heldout, ["扶贫"])
    multi = ds.several_headlines(heldout)
    gathered = {"【脱贫攻坚在阜平】老区攻坚 决战龙泉关", "【新时代 新气象 新作为】成都双流：村民做主打造新农村"}
    assert (
        set(heldout.set_index("doc_id").title[list(multi)])
        == {"国内联播快讯", "“不忘初心、牢记使命”主题教育进行时"} | gathered
    )
    own = table.doc_id.map(heldout.set_index("doc_id").title)
    shown = table[table.title != own]
    assert len(shown) and all(r.title in multi[r.doc_id] for r in shown.itertuples())
    said = ds.kwic_headlines_sentence(table, heldout)
    assert said.startswith(f"{table.doc_id.isin(list(multi)).pipe(lambda m: table.doc_id[m].nunique())} document")


def test_traced_terms_are_words_with_latin_in_any_case(tiny_news):
    """The reviewer's case: ``hvr`` (a lower-case token) had no hit in ``HVR``, 古 was counted inside 古板."""
    docs = tiny_news.rename(columns={"id": "doc_id"})
    text = " ".join(docs.text)
    counts = ds.term_counts(docs.text.tolist(), ["bbs", "av", "国"]).sum()
    assert counts["bbs"] == len(re.findall(r"(?<![A-Za-z0-9])bbs(?![A-Za-z0-9])", text, re.IGNORECASE)) > 0
    assert 0 < counts["av"] < len(re.findall("av", text, re.IGNORECASE))  # not the AV of CCAV
    assert 0 < counts["国"] < text.count("国")  # not the 国 of 中国, 国家 …
    table = ds.kwic(docs, ["bbs", "av", "国", "无此词语"], context_chars=5)
    assert table.groupby("term").size().to_dict() == {t: counts[t] for t in ("av", "bbs", "国")}
    assert set(table[table.term == "bbs"].match) == {"BBS"}  # shown as written
    said = ds.kwic_sentence(table, ["bbs", "av", "国", "无此词语"])
    assert said.startswith(f"{len(table):,} occurrences of 4 terms") and "no occurrence of 无此词语" in said


def test_default_traced_terms_are_never_single_characters(tiny_news):
    tokens = tokenize_corpus(tiny_news.text.tolist(), n_jobs=1, progress=False)
    plan = ds.plan_comparison(tiny_news.rename(columns={"id": "doc_id"}), id_column="doc_id")
    key = ds.keyness(tokens, plan.groups, min_docs=1)
    assert plan.kind == "document" and key.term.str.len().min() >= ds.MIN_TERM_CHARS  # keyness tests none (R8b)
    traced = ds.default_terms(plan, tiny_news.text.tolist(), key, n=8)
    assert len(traced) == 8 and all(len(t) >= ds.MIN_TERM_CHARS for t in traced)


def test_topic_trends_mean_share_with_interval(heldout):
    plan = ds.plan_comparison(heldout, period="year")
    rng = np.random.default_rng(0)
    theta = rng.dirichlet([0.5, 0.5, 0.5], size=len(heldout))
    from helpers.topics import doc_topics_table

    dt = doc_topics_table(theta, heldout.doc_id)
    tt = ds.topic_trends(dt, dict(zip(heldout.doc_id, plan.periods)), period="year", n_boot=200)
    assert tt.columns.tolist()[:5] == ["period", "topic", "share", "ci_low", "ci_high"]
    for p, g in tt.groupby("period"):
        in_p = (plan.periods == p).to_numpy()
        assert np.allclose(g.share.to_numpy(), theta[in_p].mean(axis=0), atol=1e-9)
        assert (g.ci_low <= g.share).all() and (g.share <= g.ci_high).all()
        assert g.share.sum() == pytest.approx(1.0)


def test_groups_from_a_label_column(heldout, heldout_tokens):
    plan = ds.plan_comparison(heldout, group_column="labels")
    assert plan.kind == "group"
    assert plan.counts["without_group"] == sum(1 for v in heldout["labels"] if not len(v))
    key = ds.keyness(heldout_tokens, plan.groups)
    assert set(key.group) == set(plan.groups.dropna())
    with pytest.raises(KeyError, match="province"):
        ds.plan_comparison(heldout, group_column="province")


def test_group_mode_says_terms_were_picked_by_group_and_tested_over_dates(heldout, heldout_tokens):
    plan = ds.plan_comparison(heldout, group_column="labels", period="year")
    assert plan.kind == "group" and plan.trends and plan.noun == "value of `labels`"
    key = ds.keyness(heldout_tokens, plan.groups)
    traced = ds.default_terms(plan, heldout.text.tolist(), key, n=3)
    top = ds.top_key_terms(key, n=1)
    assert traced[0] in set(top.term)  # each group's strongest term, not the strongest riser
    said = ds.traced_terms_sentence(plan, traced, given=False)
    assert "each value of `labels`" in said and "not by any change over time" in said and "rising" not in said
    changes = ds.change_points(heldout.text.tolist(), plan.periods, traced, n_perm=99)
    changes["p_adj"] = 1.0
    family = key.term.nunique()
    group = ds.change_point_sentence(changes, alpha=0.05, family_size=family, picked_among=plan.noun)
    assert "picked by keyness between the values of `labels`" in group and "shuffle of the dates" in group
    assert "change most" not in group and f"all the {family:,} terms" in group
    period = ds.change_point_sentence(changes, alpha=0.05, family_size=family)
    assert "picked because they change most" in period


def test_group_sizes_caption_names_what_a_row_is_in_every_mode(seeds, heldout):
    by_mode = {
        "document": ds.plan_comparison(seeds),
        "period": ds.plan_comparison(heldout, period="year"),
        "group": ds.plan_comparison(heldout, group_column="labels"),
    }
    captions = {}
    for kind, plan in by_mode.items():
        sizes, captions[kind] = ds.group_sizes(plan)
        assert plan.kind == kind and sizes.columns.tolist() == [kind, "documents"]
        assert sizes.documents.sum() == plan.groups.notna().sum() and set(sizes[kind]) == set(plan.groups.dropna())
        assert "per document" not in captions[kind]  # R4: "Documents per document"
    assert captions["document"] == f"The {len(seeds)} documents compared, each with all the others (one row a document)"
    assert captions["period"] == "Documents per year" and captions["group"] == "Documents per value of `labels`"


def test_no_comparison_never_names_a_kind_or_invents_terms(tmp_path):
    rows = pd.read_json(DATA_DIR / "csl_sample" / "csl_sample.jsonl", lines=True).head(30)
    path = tmp_path / "abstracts.csv"
    rows.to_csv(path, index=False)  # no date, no group column: nothing to compare, as in a paper-abstract corpus
    docs = load_corpus(path, text_column="abstract", errors="raise").docs
    plan = ds.plan_comparison(docs)
    assert plan.kind == "none" and plan.noun == "" and ds.group_column_candidates(docs) == []
    sizes, caption = ds.group_sizes(plan)
    assert sizes.empty and caption == ""
    said = ds.traced_terms_sentence(plan, [], given=False)
    assert said.startswith("No terms are traced") and "none" not in said.replace("None", "")


def test_group_column_candidates_are_columns_whose_values_repeat():
    news = load_corpus(DATA_DIR / "cnews_sample" / "cnews_sample.jsonl", errors="raise").docs
    candidates = ds.group_column_candidates(news)
    assert "label" in candidates and "doc_id" not in candidates and "title" not in candidates
    for column in candidates:
        sizes = ds.group_values(news[column]).value_counts()
        assert 2 <= len(sizes) <= ds.MAX_GROUP_VALUES and sizes.min() >= 2


def test_time_views_say_how_many_documents_are_dated_and_left_out(tmp_path):
    """The reviewer's monthly bulletins: the keywords-over-time chart showed the dated documents and no more, and
    with too few of them for notebook 05's time views, notebook 02 made one anyway."""
    from helpers import keywords as kws

    rows = pd.read_json(DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl", lines=True).head(45)
    rows["date"] = [f"{2016 + i // 12}-{i % 12 + 1:02d}-15" if i < 36 else None for i in range(45)]
    rows[["id", "text", "date"]].to_csv(tmp_path / "bulletins.csv", index=False)
    docs = load_corpus(tmp_path / "bulletins.csv", errors="raise").docs
    said = ds.dates_sentence(docs.date, view="keywords over time")
    assert said.startswith("36 of 45 documents carry a full date from 2016-01-15 to 2018-12-15")
    assert said.endswith("9 are left out of keywords over time.") and "9 have no date" in said
    own = "扶贫" + docs.date.fillna("").str[:4]  # one term per year: a term of every period weighs 0 by period IDF
    kw = pd.DataFrame({"doc_id": docs.doc_id, "method": "m", "rank": 1, "term": own, "score": 1.0})
    placed = kws.keywords_by_period(kw, dict(zip(docs.doc_id, docs.date)), method="m")
    assert placed.drop_duplicates("period").n_documents.sum() == 36  # the documents the sentence calls dated
    assert set(placed.period) == {"2016", "2017", "2018"}  # notebook 05's choice: years hold >= 10 documents each
    # 6 dated documents: no period has enough of them, so neither notebook makes a time view, and both say so
    few = dict(zip(docs.doc_id[:15], [d if i < 6 else None for i, d in enumerate(docs.date[:15])]))
    assert kws.keywords_by_period(kw, few, method="m").empty
    assert ds.dates_sentence(list(few.values()), view="keywords over time").endswith(
        "so keywords over time are not made."
    )


def _one_day_news(tmp_path, dates: list[str]):
    """Reviewer R5's corpus E in small: CCTV stories of the held-out slice re-dated, with a 来源 column of three
    values (the loader also copies it to `source`)."""
    rows = pd.read_json(HELDOUT, lines=True).head(len(dates))
    rows["date"] = dates
    rows["来源"] = ["新华社", "人民日报", "央视网"] * (len(dates) // 3)
    rows.to_json(tmp_path / "oneday.jsonl", orient="records", lines=True, force_ascii=False)
    return load_corpus(tmp_path / "oneday.jsonl", errors="raise").docs


def test_a_corpus_of_one_date_says_so_and_offers_nothing_that_changes_nothing(tmp_path):
    docs = _one_day_news(tmp_path, ["2019-06-15"] * 36)
    plan = ds.plan_comparison(docs, group_column="来源")
    assert plan.summary.startswith("All 36 documents share one date (2019-06-15). The dated documents fall in one")
    assert "to 2019-06-15" not in plan.summary and "median" not in plan.summary  # R5: "from X to X", "too few"
    assert not plan.trends and "one period" in plan.no_trends and plan.no_trends in plan.summary
    assert ds.period_advice(plan) == ""  # no fixed period makes a second period out of one date
    assert {"来源", "source"} <= set(ds.group_column_candidates(docs))
    assert ds.other_group_columns(docs, "来源") == []  # 来源 was compared, `source` is its copy
    said = ds.dates_sentence(docs.date, view="keywords over time")  # notebook 02's line, the same wording
    assert said.startswith("All 36 documents share one date (2019-06-15).") and plan.no_trends[:60] in said


def test_period_advice_offers_only_fixed_units_that_make_time_views_and_only_after_auto(tmp_path):
    docs = _one_day_news(tmp_path, ["2019-05-15"] * 18 + ["2019-06-02"] * 18)  # two months, one quarter
    plan = ds.plan_comparison(docs)
    assert not plan.trends and plan.fixed_units == ("month",) and "only 2 months" in plan.no_trends
    advice = ds.period_advice(plan)
    assert "`-p period month`" in advice and "quarter" not in advice and "year" not in advice
    assert ds.plan_comparison(docs, period="month").trends  # what the advice promises
    fixed = ds.plan_comparison(docs, period="quarter")  # set by the user already: no advice to set it
    assert not fixed.trends and "one quarter: one period" in fixed.no_trends and ds.period_advice(fixed) == ""


def _two_sections(heldout) -> pd.Series:
    """Stories of the poverty sections (扶贫行动, 乡村振兴) against all the others: review R7's two values of 栏目."""
    poverty = heldout["labels"].map(lambda v: bool({"扶贫行动", "乡村振兴"} & set(v)))
    return poverty.map({True: "poverty", False: "general"})


def test_two_groups_test_each_term_once_under_the_group_that_uses_it_more(heldout, heldout_tokens):
    docs = heldout.assign(栏目=_two_sections(heldout))
    plan = ds.plan_comparison(docs, group_column="栏目")
    assert "the 2 values of `栏目` with each other (each term tested once" in plan.summary
    assert "all the others" not in plan.summary
    key = ds.keyness(heldout_tokens, plan.groups)
    assert key.term.is_unique and set(key.group) == {"general", "poverty"} and (key.g2 >= 0).all()
    share_in, share_out = key.docs_in / key.n_docs_in, key.docs_out / key.n_docs_out
    assert (share_in >= share_out).all()  # listed under the group whose documents use it more
    assert np.allclose(key.p_adj, ds.benjamini_hochberg(key.p.to_numpy()))  # one test per term, not two
    mirrored = ds.benjamini_hochberg(np.concatenate([key.p, key.p]))[: len(key)]  # R7: every test twice
    assert 0 < (mirrored <= 0.05).sum() <= key.significant.sum()
    said = ds.keyness_count_sentence(key, kind=plan.kind, alpha=0.05)
    assert said.startswith(f"{len(key):,} tests (one per term: the 2 groups compared with each other)")
    periods = ds.plan_comparison(docs[docs.date.str[:4].isin(["2016", "2019"])], period="year")
    assert "the 2 years with each other" in periods.summary


def test_keyness_extract_keeps_every_significant_test_and_the_strongest_of_each_period(heldout, heldout_tokens):
    plan = ds.plan_comparison(heldout, period="year")
    key = ds.keyness(heldout_tokens, plan.groups)
    kept = ds.keyness_extract(key, n=5)
    n_sig = int(key.significant.sum())
    assert 0 < n_sig < len(kept) < len(key) and set(kept.group) == set(key.group)
    assert kept.significant.iloc[:n_sig].all() and not kept.significant.iloc[n_sig:].any()  # significant first
    first = kept.iloc[:n_sig]
    assert first.group.is_monotonic_increasing
    assert all(g.log_ratio.is_monotonic_decreasing for _, g in first.groupby("group"))  # by period, then effect
    rest = kept.iloc[n_sig:].assign(side=lambda t: np.sign(t.g2))
    assert rest.groupby(["group", "side"]).size().max() == 5
    left = key.merge(kept[["group", "term"]], how="left", indicator=True).query("_merge == 'left_only'")
    assert not left.significant.any()  # nothing significant is dropped
    strongest_left = left[left.g2 > 0].groupby("group").g2.max()
    weakest_kept = rest[rest.side > 0].groupby("group").g2.min()
    assert (strongest_left.reindex(weakest_kept.index).fillna(0) <= weakest_kept).all()
    said = ds.keyness_extract_sentence(key, kept, n=5, noun=plan.noun)
    assert f"The {n_sig:,} significant tests and the 5 strongest over- and under-represented terms" in said
    assert f"({len(kept):,} of {len(key):,} rows; {len(left):,} other rows, none significant, left out" in said
    assert ds.keyness_extract(key, n=None).equals(key) and ds.keyness_extract(key.head(0)).empty
    # R11b: with no significant test the line did not say "The 0 significant tests and …"
    none = key.assign(significant=False)
    said = ds.keyness_extract_sentence(none, ds.keyness_extract(none, n=5), n=5, noun=plan.noun)
    assert said.startswith("The 5 strongest over- and under-represented terms of each year, as no test is significant")
    assert "0 significant" not in said and "none significant" not in said


def _headlines(tmp_path, n: int = 240):
    """Reviewer R8b's kind of corpus in small: CCTV headlines only (a dozen characters each) in a CSV with the
    columns 标题/发布时间/来源, read with ``text_column="标题"``; the loader also reads 来源 as its ``source``."""
    rows = pd.read_json(HELDOUT, lines=True).head(n)
    table = pd.DataFrame(
        {"标题": rows.title, "发布时间": rows.date, "来源": ["新华社", "人民日报", "央视网"] * (n // 3)}
    )
    table.to_csv(tmp_path / "headlines.csv", index=False)
    return load_corpus(tmp_path / "headlines.csv", text_column="标题", errors="raise")


def test_columns_to_compare_are_named_once_as_the_user_passes_them(tmp_path):
    loaded = _headlines(tmp_path)
    docs = loaded.docs
    assert {"source", "来源"} <= set(ds.group_column_candidates(docs))  # the loader's copy and the user's column
    assert ds.other_group_columns(docs, report=loaded.report) == ["来源"]  # R8b: "source, 来源" named one column twice
    assert ds.other_group_columns(docs, "来源", report=loaded.report) == []
    assert ds.other_group_columns(docs, "source", report=loaded.report) == []  # 来源 holds what source does


def test_keyness_tests_no_single_character_by_the_rule_of_the_traced_terms(tmp_path):
    """R8b: on headlines, keyness marked 议, 国, 重 significant while the traced terms left single characters out."""
    docs = _headlines(tmp_path).docs
    tokens = tokenize_corpus(docs.text.tolist(), n_jobs=1, progress=False)
    groups = docs["来源"].tolist()
    singles = pd.Series([t for doc in tokens for t in set(doc) if len(t) == 1]).value_counts()
    assert (singles >= 3).sum() >= 10  # headlines are cut into many single characters that min_docs would keep
    key = ds.keyness(tokens, groups, min_docs=3)
    assert len(key) and key.term.str.len().min() >= ds.MIN_TERM_CHARS
    assert set(ds.traceable(key.term)) == set(key.term)  # one rule for both
    said = ds.keyness_count_sentence(key, kind="group", alpha=0.05)
    assert f"Only terms of {ds.MIN_TERM_CHARS} characters or more" in said


# -- the Summary of notebook 05 ---------------------------------------------------------------------------------------
def test_nothing_compared_says_why_and_names_the_column_a_rerun_can_compare(tmp_path):
    """Review R8a: an undated corpus run without `group_column` compares nothing; its Summary claims no check."""
    rows = pd.read_json(DATA_DIR / "cnews_sample" / "cnews_sample.jsonl", lines=True).head(40)
    path = tmp_path / "news.csv"
    rows.to_csv(path, index=False)  # news without dates; `label` holds its categories
    loaded = load_corpus(path, errors="raise")
    plan = ds.plan_comparison(loaded.docs)
    columns = ds.other_group_columns(loaded.docs, report=loaded.report)
    assert plan.kind == "none" and columns == ["label"]
    said = ds.nothing_compared_sentence(plan, columns=columns)
    assert said == (
        "Nothing was compared: no document has a full date and no `group_column` was given; "
        "pass `-p group_column label` or give the documents dates."
    )
    empty = ds.keyness([[]] * len(loaded.docs), plan.groups)
    summary = ds.run_summary(
        plan, key=empty, honesty=None, traced=[], given=False, tables={}, alpha=0.05, columns=columns
    )
    assert said in summary and "shuffled" not in summary and "corrected" not in summary
    assert ds.nothing_compared_sentence(ds.plan_comparison(loaded.docs, group_column="label"), columns=[]) == ""


def test_summary_states_the_shuffled_check_with_the_numbers_of_the_run(heldout, heldout_tokens, seeds):
    plan = ds.plan_comparison(heldout, period="year")
    key = ds.keyness(heldout_tokens, plan.groups)
    honesty = ds.honesty_check(heldout_tokens, plan.groups, key, seed=0)
    changes = ds.change_points(heldout.text.tolist(), plan.periods, ["乡村振兴"], n_perm=99)
    tables = {"change_points": changes.assign(p_adj=changes.p_perm), "topic_trends": pd.DataFrame()}
    said = ds.run_summary(plan, key=key, honesty=honesty, traced=["乡村振兴"], given=True, tables=tables, alpha=0.05)
    real, by_docs, by_tokens = honesty.significant
    assert f"corrected {len(key):,} tests for their number (Benjamini–Hochberg): {real:,} significant" in said
    assert f"the document-level test flagged {by_docs:,} and the token-count test {by_tokens:,}" in said
    assert f"Periods come only from full dates: {len(heldout)} documents in 4 years; every document has one." in said
    assert "1 term (given as `terms`) traced as words" in said and "1 of 1 change points" in said
    assert said.endswith("Not written, having no row: `topic_trends.csv`.")
    documents = ds.plan_comparison(seeds)  # single documents: no test can be significant, nothing is shuffled
    key = ds.keyness(tokenize_corpus(seeds.text.tolist(), n_jobs=1, progress=False), documents.groups, min_docs=1)
    said = ds.run_summary(documents, key=key, honesty=None, traced=[], given=False, tables={}, alpha=0.05)
    assert f"each of {len(seeds)} documents with the others" in said and "no shuffled-labels check" in said


def test_period_advice_is_withheld_when_few_documents_are_dated(tmp_path):
    """Review R10a: 2 of 1,000 abstracts dated, and 05 advised forcing yearly periods on them."""
    docs = _one_day_news(tmp_path, ["2018-05-15", "2019-06-02"] + [None] * 34)
    plan = ds.plan_comparison(docs)
    placed = plan.counts["dated"] + plan.counts["year only"]
    assert not plan.trends and placed / len(docs) < ds.MIN_DATED_SHARE and "year" in plan.fixed_units
    advice = ds.period_advice(plan)
    assert f"only {placed} of 36 documents ({placed / 36:.1%}) are dated" in advice and "not worth it" in advice
    many = ds.plan_comparison(_one_day_news(tmp_path, ["2018-05-15"] * 18 + ["2019-06-02"] * 18))
    assert "makes them on the 36 of 36 documents (100.0%) that are dated" in ds.period_advice(many)


def test_years_alone_make_yearly_periods_only(heldout):
    """A 年份 column (``YYYY``) places documents in years, never in quarters or months, and the page says so."""
    years = heldout.date.str[:4]
    docs = heldout.assign(date=years)
    assert set(ds.date_status(docs.date)) == {"year only"}
    plan = ds.plan_comparison(docs)
    assert plan.trends and plan.period == "year" and list(plan.periods) == list(years)
    span = f"{years.min()} to {years.max()}"
    assert f"All {len(docs)} give a year only ({span}): placed in years, never in quarters or months" in plan.summary
    month = ds.plan_comparison(docs, period="month")
    assert not month.trends and month.periods.isna().all()
    said = ds.run_summary(plan, key=pd.DataFrame(columns=ds.KEYNESS_COLUMNS), honesty=None, traced=[], given=False,
                          tables={}, alpha=0.05, columns=[])  # fmt: skip
    assert f"Periods come from years: {len(docs)} documents in {plan.periods.nunique()} years" in said
    advice = ds.period_advice(plan)
    assert "quarters need full dates, which no document carries" in advice and "`-p period quarter`" not in advice


def test_example_terms_come_from_the_corpus(heldout_tokens):
    """05's example of ``-p terms`` is made of the corpus's own words (R10b: 乡村振兴 was offered to a sports corpus)."""
    terms = ds.example_terms(heldout_tokens)
    uses = Counter(t for doc in heldout_tokens for t in doc if len(t) >= 2 and re.search("[\u4e00-\u9fff]", t))
    assert len(terms) == 2 and uses[terms[0]] >= uses[terms[1]] > 0  # frequent words (spread ones left out: below)
    assert ds.terms_advice(terms).startswith(f'Trace your own phrases: `-p terms \'["{terms[0]}", "{terms[1]}"]\'`')


def test_example_terms_leave_out_words_spread_like_any_word():
    """R11a: 05 offered 研究, 方法 to trace in 1,000 abstracts, words 02 flags as spread over the documents as chance
    spreads any word. In the shipped CSL abstracts they lead the frequencies and are left out; without time views
    the advice says that tracing gives only a concordance."""
    from helpers.keywords import CORPUS_ID, spread_terms_flagged, widespread_terms

    docs = load_corpus(DATA_DIR / "csl_sample" / "csl_sample.jsonl").docs
    texts = docs.text.tolist()
    tokens = tokenize_corpus(texts, n_jobs=1, progress=False)
    uses = Counter(t for doc in tokens for t in doc if len(t) >= 2 and re.search("[\u4e00-\u9fff]", t))
    leading = [t for t, _ in uses.most_common(2)]
    table = pd.DataFrame({"doc_id": CORPUS_ID, "method": "m", "rank": [1, 2], "term": leading})
    assert set(spread_terms_flagged(*widespread_terms(table, texts, method="m"))) == set(leading)  # 研究, 方法
    terms = ds.example_terms(tokens, texts=texts)
    assert len(terms) == 2 and not set(terms) & set(leading)
    table = pd.DataFrame({"doc_id": CORPUS_ID, "method": "m", "rank": [1, 2], "term": terms})
    assert spread_terms_flagged(*widespread_terms(table, texts, method="m")) == []
    assert ds.terms_advice(terms).endswith("as chance spreads any word).")
    assert ds.terms_advice(terms, trends=False).endswith("tracing gives only their concordance (section 6).")


def test_example_terms_on_headlines_claim_no_spread_check(data_dir):
    """On headlines (data/xwlb_sections_heldout's titles) the leading terms seldom occur twice in one text, so
    whether they are spread as chance spreads any word cannot be told (notebook 02 says so): the advice names the
    terms without claiming they passed that check (review S, session 12); on the stories' texts it is made."""
    from helpers.tokenize import tokenize_corpus

    stories = pd.read_json(data_dir / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl", lines=True)
    titles = stories.title.tolist()
    terms = ds.example_terms(tokenize_corpus(titles, progress=False), texts=titles)
    assert len(terms) == 2 and not terms.spread_checked
    advice = ds.terms_advice(terms)
    assert "too short to tell" in advice and "that are not spread" not in advice, advice
    texts = stories.text.tolist()[:120]
    assert ds.example_terms(tokenize_corpus(texts, progress=False), texts=texts).spread_checked


def test_traditional_search_terms_are_searched_in_simplified():
    """Terms given in Traditional (脫貧, 敘利亞, 衛生) find the stories converted from Traditional, which cleaning
    turned into Simplified; a term that a Simplified text holds as given (洪义乾, where t2s makes 乾 干) is kept."""
    from helpers.clean import clean_text, opencc_converter

    stories = pd.read_json(DATA_DIR / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl", lines=True)
    held = [t for t in stories.text if "叙利亚" in t or "卫生" in t][:8]
    texts = [clean_text(opencc_converter("s2hk").convert(t)) for t in held]
    searched, said = ds.simplified_terms(["脫貧", "敘利亞", "衛生", "敍利亞"], texts=texts)
    assert searched == ["脱贫", "叙利亚", "卫生"]
    assert said.startswith("脫貧 is searched as 脱贫, 敘利亞 as 叙利亚") and said.endswith(
        "analysed in Simplified characters."
    )
    counts = ds.term_counts(texts, searched)
    assert counts["叙利亚"].sum() + counts["卫生"].sum() > 0
    assert ds.term_counts(texts, ["敘利亞", "衛生", "衞生"]).to_numpy().sum() == 0  # what the terms as given found
    story = next(t for t in pd.read_json(HELDOUT, lines=True).text if "洪义乾" in t)
    assert ds.simplified_terms(["洪义乾", "乡村振兴"], texts=[story]) == (["洪义乾", "乡村振兴"], "")
