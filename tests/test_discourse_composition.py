"""Notebook 05 on a corpus whose periods differ in make-up: CCTV stories dated 2016–2019, paper abstracts given a
year only (2010–2020) and undated web news, as one CSV with a 来源 column (reviewer M's mixed corpus, in small)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from helpers import discourse as ds
from helpers.corpus import load_corpus
from helpers.paths import DATA_DIR
from helpers.tokenize import tokenize_corpus
from helpers.topics import fit_document_topics, topic_labels

HELDOUT = DATA_DIR / "xwlb_dated_heldout" / "xwlb_dated_heldout.jsonl"
#: the years given to the abstracts: most outside the news's 2016–2019, a few inside, as in reviewer M's corpus
ABSTRACT_YEARS = [2010, 2011, 2012, 2013, 2014, 2015, 2020, 2016, 2017, 2018, 2019]


def _mixed_csv(path) -> None:
    tv = pd.read_json(HELDOUT, lines=True, dtype=False).iloc[::2]  # 120 stories, every quarter of 2016–2019
    csl = pd.read_json(DATA_DIR / "csl_sample" / "csl_sample.jsonl", lines=True, dtype=False).head(66)
    web = pd.read_json(DATA_DIR / "cnews_sample" / "cnews_sample.jsonl", lines=True, dtype=False).head(60)
    years = [ABSTRACT_YEARS[i % 7] if i % 3 else ABSTRACT_YEARS[7 + i % 4] for i in range(len(csl))]
    rows = pd.concat(
        [
            pd.DataFrame({"来源": "电视新闻", "日期": tv.date, "标题": tv.title, "正文": tv.text}),
            pd.DataFrame(
                {"来源": "期刊摘要", "日期": [str(y) for y in years], "标题": csl.title, "正文": csl.abstract}
            ),
            pd.DataFrame({"来源": "网络新闻", "日期": "", "标题": web.text.str[:20], "正文": web.text}),
        ],
        ignore_index=True,
    )
    rows.insert(0, "编号", [f"m{i:03d}" for i in range(len(rows))])
    rows.to_csv(path, index=False)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    path = tmp_path_factory.mktemp("mixed") / "mixed.csv"
    _mixed_csv(path)
    loaded = load_corpus(path, text_column="正文", id_column="编号", errors="raise")
    plan = ds.plan_comparison(loaded.docs, period="year")
    return loaded, plan


def _checks(docs, plan, report=None):
    columns = ds.other_group_columns(docs, report=report)
    return ds.composition_check(docs, plan.periods, columns, period=plan.period)


def test_composition_is_said_when_one_source_fills_some_periods(mixed):
    loaded, plan = mixed
    assert plan.trends and plan.period == "year"
    checks = _checks(loaded.docs, plan, loaded.report)
    assert [c.column for c in checks] == ["来源"]  # the user's column, not the loader's copy `source`
    (check,) = checks
    assert check.changes and check.v >= ds.COMPOSITION_V
    said = ds.composition_sentence(checks, unit="year")
    assert "The make-up of the years changes with `来源`" in said
    assert "2010–2015 and 2020 hold only 期刊摘要" in said  # computed from the run's periods
    assert "2016–2019 hold mostly 电视新闻" in said and "网络新闻" not in said  # undated: in no period
    assert f"Cramér's V {check.v:.2f} of year × value, on {int(plan.periods.notna().sum())} documents" in said
    assert "`-p group_column 来源`" in said and "one value of `来源` at a time" in said
    table = ds.composition_table(checks)
    assert table.groupby("period").documents.sum().sum() == plan.periods.notna().sum()
    assert np.allclose(table.groupby("period").share.sum(), 1)
    # compared by 来源, keyness is about sources, but the trends still follow years: no advice to do what was done
    grouped = ds.composition_sentence(checks, unit="year", group_column="来源")
    assert "`-p group_column 来源`" not in grouped and "trends and change points follow years" in grouped
    assert "Read with care" in ds.composition_caveat(checks, "these rates", unit="year")


def test_composition_is_not_said_on_one_source_or_an_even_mix():
    docs = load_corpus(HELDOUT, errors="raise").docs  # one programme: no column to check
    plan = ds.plan_comparison(docs, period="month")
    assert _checks(docs, plan) == [] and ds.composition_sentence([], unit="month") == ""
    assert ds.composition_caveat([], "these rates", unit="month") == ""
    # the same stories dealt at random to three sources: 48 months of 5 stories, where chance alone gives a plain
    # Cramér's V above the threshold; the bias-corrected V stays under it and nothing is flagged
    sources = np.random.default_rng(0).choice(["新华社", "人民日报", "央视网"], size=len(docs))
    (check,) = ds.composition_check(docs.assign(来源=sources), plan.periods, ["来源"], period="month")
    counts = check.counts[check.counts.sum(axis=1) > 0].to_numpy()
    plain = np.sqrt(chi2_contingency(counts, correction=False)[0] / counts.sum() / 2)
    assert plain > ds.COMPOSITION_V > check.v and not check.changes
    said = ds.composition_sentence([check], unit="month")
    assert "stays about the same" in said and "changes with" not in said
    assert ds.composition_caveat([check], "these rates", unit="month") == ""


def test_concordance_says_which_occurrences_the_time_views_count(mixed):
    loaded, plan = mixed
    docs = loaded.docs
    terms = ["发展", "研究"]  # used in the dated news, the abstracts and the undated web news alike
    table = ds.kwic(docs, terms)
    by_id = dict(zip(docs.doc_id.astype(str), plan.periods))
    occ_in, docs_in, occ_out, docs_out = ds.kwic_placed(table, by_id)
    trends = ds.term_trends(docs.text.tolist(), plan.periods, terms, period="year", n_boot=50)
    assert trends["count"].sum() == occ_in and occ_out > 0 and occ_in + occ_out == len(table)
    said = ds.kwic_sentence(table, terms, periods_by_id=by_id, unit="year")
    assert f"count the {occ_in:,} of them in {docs_in:,} documents placed in years" in said
    assert f"the other {occ_out:,}, in {docs_out:,} documents outside every time view" in said
    key = pd.DataFrame(columns=["term", "significant", "p_adj"])
    summary = ds.run_summary(plan, key=key, honesty=None, traced=terms, given=True, tables={"kwic": table},
                             alpha=0.05, periods_by_id=by_id)  # fmt: skip
    assert "every occurrence behind the numbers" not in summary and f"the other {occ_out:,}" in summary
    # every document dated: no clause about documents left out, and the occurrences are behind the numbers
    dated = [i for i, p in by_id.items() if p is not None]
    only = table[table.doc_id.astype(str).isin(dated)]
    assert "outside every time view" not in ds.kwic_sentence(only, terms, periods_by_id=by_id, unit="year")


def test_topics_of_the_documents_left_out_are_named_and_not_drawn(mixed):
    loaded, plan = mixed
    docs = loaded.docs
    tokens = tokenize_corpus(docs.text.tolist(), n_jobs=1, progress=False)
    model, dt = fit_document_topics(tokens, docs.doc_id, num_topics=4, random_state=0, passes=5, iterations=50)
    by_id = dict(zip(docs.doc_id.astype(str), plan.periods))
    table = ds.topics_outside(dt, by_id)
    assert table.docs_in.iloc[0] == plan.periods.notna().sum() and table.docs_out.iloc[0] > 0
    out = table[table.outside]
    assert len(out) >= 1 and (~table.outside).any()  # the web news has a topic of its own; the others are drawn
    assert (out.share_out >= ds.TOPIC_OUTSIDE_RATIO * out.share_in).all() and (out.share_in < 0.1).all()
    web = docs.doc_id[docs["来源"] == "网络新闻"].astype(str)
    weights = dt[dt.doc_id.astype(str).isin(web)].groupby("topic").weight.mean()
    assert weights.idxmax() in set(out.topic)  # the topic flagged is the undated web news's main topic
    names = topic_labels(model)
    said = ds.topic_coverage_sentence(table, names, unit="year", left_out=ds.placing_date(plan))
    assert f"The curves use the {table.docs_in.iloc[0]:,} documents placed in years" in said
    assert names[int(out.topic.iloc[0])] in said and "the figure leaves" in said
    # every document placed: nothing is left out, and the sentence says so
    dated = dt[dt.doc_id.astype(str).map(by_id).notna()]
    assert not ds.topics_outside(dated, by_id).outside.any()
    assert "The curves use all" in ds.topic_coverage_sentence(ds.topics_outside(dated, by_id), names, unit="year",
                                                              left_out="a full date")  # fmt: skip


def test_time_views_holding_one_source_say_so(mixed):
    """Reviewer M2 (session 14): by quarters, only the CCTV stories are placed (the abstracts give a year only, the
    web news no date), and 05 said "No composition check: the corpus has no metadata column to compare" while its
    What's next offered `-p group_column 来源`. Now it says the time views describe 电视新闻 only."""
    loaded, _ = mixed
    plan = ds.plan_comparison(loaded.docs, period="quarter")
    (check,) = _checks(loaded.docs, plan, loaded.report)
    assert not check.changes and check.outside == {"期刊摘要": 66, "网络新闻": 60}
    said = ds.composition_sentence([check], unit=plan.period)
    assert said.startswith("All 120 documents placed in quarters have the value 电视新闻 of `来源`"), said
    assert "期刊摘要 66, 网络新闻 60" in said
    assert ds.composition_caveat([check], "these curves", unit=plan.period) == ""


def test_subfolders_named_by_year_are_time_not_a_source(tmp_path):
    """A folder corpus filed in one subfolder per year (政策新闻/2016/…, a .docx corpus of session 14) has a `folder`
    column whose values are the years: 05 said "The make-up of the years changes with folder (Cramér's V 1.00):
    2016 holds only 2016 …", as if the folder were a source. A column of times is no source to check."""
    stories = pd.read_json(HELDOUT, lines=True, dtype=False).iloc[::6]  # 40 stories of 2016–2019
    for row in stories.itertuples():
        folder = tmp_path / "news" / str(row.date)[:4]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{str(row.date)[:10]}_{row.id}.txt").write_text(f"{row.title}\n{row.text}", encoding="utf-8")
    loaded = load_corpus(tmp_path / "news", errors="raise")
    plan = ds.plan_comparison(loaded.docs, period="year")
    columns = ds.other_group_columns(loaded.docs, report=loaded.report)
    assert "folder" in columns and plan.trends
    assert ds.composition_check(loaded.docs, plan.periods, columns, period=plan.period) == []
    assert ds.composition_skipped(columns, trends=True).startswith("No composition check: `folder` names times")
