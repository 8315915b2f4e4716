"""Execute notebooks/05_discourse_over_time.ipynb on the seeds and on held-out dated news (fast parameters)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from helpers.paths import DATA_DIR

pytestmark = pytest.mark.notebook

NB = "05_discourse_over_time.ipynb"
HELDOUT = DATA_DIR / "xwlb_dated_heldout" / "xwlb_dated_heldout.jsonl"
COLUMNS = {
    "keyness.csv": [
        "group", "term", "count_in", "count_out", "per_10k_in", "per_10k_out", "log_ratio", "g2", "p_adj",
        "significant",
    ],
    "term_trends.csv": ["period", "term", "docs", "count", "per_10k", "ci_low", "ci_high"],
    "change_points.csv": ["term", "period", "direction", "g2"],
    "kwic.csv": ["term", "doc_id", "date", "title", "left", "match", "right"],
    "topic_trends.csv": ["period", "topic", "share", "ci_low", "ci_high"],
}  # fmt: skip
#: Only fixed-size tables are shown as plain pandas (date counts: 1 row, honesty check: 3 rows); every table whose
#: length depends on the corpus goes through show_table (searchable, never cut to a head and tail).
MAX_PLAIN_ROWS = 3
FAST = dict(n_boot=200, passes=5, iterations=100, n_jobs=1)


def _prose(path) -> tuple[str, str]:
    """(the notebook's own Markdown cells, the Markdown it displayed while running)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    static = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    shown = "\n".join(
        "".join(o["data"]["text/markdown"])
        for c in nb["cells"]
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
        if "text/markdown" in o.get("data", {})
    )
    return static, shown


def _shown_tables(path) -> str:
    """Every HTML the run displayed (itables of show_table, pandas tables), as one string."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    html = [
        "".join(o["data"]["text/html"])
        for c in nb["cells"]
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
        if "text/html" in o.get("data", {})
    ]
    for table in (h for h in html if 'class="dataframe"' in h):  # plain pandas: cut when long (R4: "144 rows")
        rows = table.split("<tbody>", 1)[1].count("<tr")
        assert rows <= MAX_PLAIN_ROWS and " rows × " not in table, table[:300]
    return "\n".join(html)


def _check_outputs(out) -> dict[str, pd.DataFrame]:
    """The tables of COLUMNS; one without a row is not written (keyness.csv is, saying why) and reads as empty."""
    tables, listed = {}, {t["file"]: t for t in json.loads((out / "tables.json").read_text())["tables"]}
    for name, cols in COLUMNS.items():
        if not (out / name).is_file() and name != "keyness.csv":
            assert name not in listed, name
            tables[name] = pd.DataFrame(columns=cols)
            continue
        table = pd.read_csv(out / name, dtype={"doc_id": str, "group": str, "period": str})
        assert table.columns.tolist()[: len(cols)] == cols, name
        tables[name] = table
    return tables


def test_seeds_say_too_few_for_trends_and_still_compare_documents(tmp_path, run_notebook):
    executed = run_notebook(NB, tmp_path, **FAST)
    tables = _check_outputs(tmp_path)
    static, shown = _prose(executed)
    overview = static.split("## Overview", 1)[1].strip().split("\n\n")[0]
    assert overview.endswith(".") and len(overview.split()) > 12  # the index summary is a sentence
    assert "too few for time views" in shown and "2 of 5 documents carry a full date" in shown
    # section 1 and the Summary give the reason; sections 4 (trends), 5 (change points), 7 (topics) refer to it
    reason = re.search(r"The dated documents [^.]*are not made\.", shown).group(0)
    assert shown.count(reason) == 2 and "No topics over time." not in shown and "too few dated" not in shown
    assert shown.count("time views are not made on this corpus (section 1 says why)") == 3
    assert "tracing gives only their concordance (section 6)" in shown
    tables_html = _shown_tables(executed)
    assert "The 5 documents compared, each with all the others" in tables_html and "per document" not in tables_html
    assert tables["keyness.csv"].group.nunique() == 5  # each document against the others
    assert len(tables["kwic.csv"]) > 0 and tables["term_trends.csv"].empty and tables["topic_trends.csv"].empty
    assert "- Not written, having no row: `term_trends.csv`, `change_points.csv`, `topic_trends.csv`." in shown
    assert "shuffled-labels check shows" not in static and "no shuffled-labels check" in shown  # review R8a
    # single documents never reach significance: the traced terms are said to be the largest non-significant ones
    assert not tables["keyness.csv"].significant.any() and "largest (non-significant) differences" in shown
    validation = pd.read_csv(tmp_path / "validation.csv").iloc[0]
    assert validation.change_point == "2017Q4" and validation.direction == "rising"
    assert "the sample of 05's check on dated news" not in shown  # round 11: no seed is a story of its sample
    assert validation.shuffled_significant_documents <= 2 < validation.shuffled_significant_tokens
    assert "Concordance (KWIC)" in tables_html  # the searchable table of the occurrences
    for name in ("keyness.png", "kwic.html", "run_info.json"):
        assert (tmp_path / name).is_file(), name


def test_dated_news_gives_every_view_and_no_seed_prose(tmp_path, run_notebook):
    executed = run_notebook(
        NB, tmp_path, corpus=str(HELDOUT), num_topics=3, validation_corpus="", period="year", key_top_n=None, **FAST
    )
    tables = _check_outputs(tmp_path)
    static, shown = _prose(executed)
    for word in ("seed", "five", "脱贫", "重庆"):
        assert word not in static.lower(), word
    assert not re.search(r"\bseeds?\b|\bfive\b|(?<![\d.,])5 documents", shown.lower())
    assert "240 of 240 documents carry a full date" in shown and "too few" not in shown
    assert "The figure shows all 4 years." in shown  # which keyness panels are drawn, computed
    assert f"`keyness.csv` holds: every test ({len(tables['keyness.csv']):,} rows)." in shown  # key_top_n None
    assert "takes most of it" not in static  # review R7: no step is the slowest on every corpus
    assert "the 3 most under-represented terms of each year" in _shown_tables(executed)
    assert "Time views used years here: `-p period quarter` gives finer periods" in shown
    assert "`-p period year`" not in static + shown  # never suggest what the run already used
    assert sorted(tables["keyness.csv"].group.unique()) == ["2016", "2017", "2018", "2019"]
    trends = tables["term_trends.csv"]
    assert set(trends.period) == {"2016", "2017", "2018", "2019"} and len(trends) == 4 * trends.term.nunique()
    assert (trends.ci_low <= trends.per_10k).all() and (trends.per_10k <= trends.ci_high).all()
    kwic, counts = tables["kwic.csv"], trends.groupby("term")["count"].sum()
    assert kwic.groupby("term").size().reindex(counts.index, fill_value=0).tolist() == counts.tolist()
    changes = tables["change_points.csv"]
    assert set(changes.term) == set(trends.term) and (changes.p_adj >= changes.p_perm).all()
    kept = "、".join(changes.term[changes.p_adj <= 0.05])  # corrected for the automatic pick, and said so
    n_family = tables["keyness.csv"].term.nunique()
    assert f"the largest change of any of the {n_family:,} terms the selection looked at" in shown
    assert (f"for {kept.count('、') + 1} of them ({kept})" if kept else "none at or below 0.05") in shown
    assert "fitted in this notebook with K = 3 (the `num_topics` parameter" in shown  # not 03's model, said so
    # one programme: no composition to check, no warning; every story dated: nothing outside the time views
    assert "No composition check: the corpus has no metadata column" in shown and "Read with care" not in shown
    assert "The make-up of the years changes" not in shown and "outside every time view" not in shown
    assert "The curves use all 240 documents the topics were fitted on." in shown
    assert "every occurrence behind the numbers" in shown
    topics = tables["topic_trends.csv"]
    assert topics.topic.nunique() == 3 and ((topics.groupby("period").share.sum() - 1).abs() < 1e-4).all()
    honesty = pd.read_csv(tmp_path / "honesty_check.csv")
    assert honesty.significant.iloc[1] <= 2 < honesty.significant.iloc[2]


def test_group_mode_says_how_terms_were_picked_and_what_is_shuffled(tmp_path, run_notebook):
    docs = pd.read_json(HELDOUT, lines=True, dtype=False)  # dates stay the strings of the file
    poverty = docs["labels"].map(lambda v: bool({"扶贫行动", "乡村振兴"} & set(v)))  # review R7: two values
    docs = docs.assign(section=poverty.map({True: "poverty", False: "general"}))
    corpus = tmp_path / "sections.jsonl"
    docs.to_json(corpus, orient="records", lines=True, force_ascii=False)
    out = tmp_path / "out"
    params = dict(corpus=str(corpus), group_column="section", period="year", num_topics=0, validation_corpus="")
    executed = run_notebook(NB, out, **params, **FAST)
    static, shown = _prose(executed)
    assert "change most" not in shown and "the strongest rising terms" not in shown
    assert "Traced terms (the most over-represented term of each value of `section` in turn" in shown
    assert "picked by keyness between the values of `section`, not for how they change over time" in shown
    assert "With the values of `section` shuffled among the documents" in shown
    assert "-p group_column source" not in static + shown  # only columns this corpus has are suggested
    tables_html = _shown_tables(executed)
    assert "Documents per value of `section`" in tables_html
    # two groups: each term tested once, under the group that uses it more, so no under-represented table
    assert "the 2 values of `section` with each other (each term tested once" in shown
    assert (
        "(one per term: the 2 groups compared with each other)" in shown and "most under-represented" not in tables_html
    )
    key = pd.read_csv(out / "keyness.csv")
    assert key.term.is_unique and (key.g2 >= 0).all() and set(key.group) == {"general", "poverty"}
    n_sig = int(key.significant.sum())
    assert f"`keyness.csv` holds: the {n_sig:,} significant tests and the 50 strongest over-represented terms" in shown
    assert re.search(rf"\({len(key):,} of [\d,]+ rows; [\d,]+ other rows, none significant, left out", shown)
    suggested = re.findall(r"-p group_column (\S+?)`", shown)
    assert set(suggested) <= set(docs.columns) - {"section"}


def test_corpus_without_dates_or_groups_says_what_was_not_done(tmp_path, run_notebook):
    rows = pd.read_json(DATA_DIR / "csl_sample" / "csl_sample.jsonl", lines=True).head(40)
    corpus = tmp_path / "abstracts.csv"
    rows.to_csv(corpus, index=False)  # paper abstracts: no date, no column to compare
    out = tmp_path / "out"
    executed = run_notebook(NB, out, corpus=str(corpus), text_column="abstract", validation_corpus="", **FAST)
    static, shown = _prose(executed)
    assert not re.search(r"\bnone\b", shown) and "per none" not in json.dumps(
        json.loads((out / "tables.json").read_text())
    )
    assert "No terms are traced" in shown and "No keyness figure" in shown
    # review R6: no concordance page (so no link on the index) and no empty table under "No concordance"
    assert shown.count("No concordance: no terms are traced") == 1 and not (out / "kwic.html").exists()
    assert "Concordance (KWIC)" not in _shown_tables(executed)
    assert not (out / "keyness.png").exists() and "Saved as `keyness.png`" not in static + shown
    assert "This corpus has no column to compare this way." in shown
    nothing = "Nothing was compared: no document has a full date and no `group_column` was given; pass `-p group_column"
    assert shown.count(nothing) == 2  # under keyness and in the Summary, which claims no check that did not run
    tables = json.loads((out / "tables.json").read_text())["tables"]  # what the report's index lists
    assert [(t["name"], t["rows"]) for t in tables] == [("keyness", 0)] and nothing in tables[0]["description"]


def test_undated_folder_with_terms_from_plain_papermill(tmp_path, run_notebook):
    """Review R8a in small: a folder of undated story files; `terms` as plain papermill's -p passes a list."""
    rows = pd.read_json(HELDOUT, lines=True)
    using = rows.text.str.contains("新时代|乡村振兴")
    rows = rows[using].head(24).reset_index(drop=True)  # more than 20 documents: none compared one by one
    folder = tmp_path / "broadcasts"
    folder.mkdir()
    for i, row in rows.iterrows():  # no date in the name or the text: the loader finds none
        paragraphs = re.sub(r"<[^>]+>", "\n", row.text)
        (folder / f"story_{i + 1:03d}.txt").write_text(f"{row.title}\n\n{paragraphs}", encoding="utf-8")
    out = tmp_path / "out"
    terms = '["新时代", "乡村振兴"]'  # a string, as `papermill -p terms '[...]'` passes it
    executed = run_notebook(NB, out, corpus=str(folder), terms=terms, num_topics=0, validation_corpus="", **FAST)
    static, shown = _prose(executed)
    assert "Traced terms (given as `terms`): 新时代、乡村振兴." in shown
    kwic = pd.read_csv(out / "kwic.csv")
    assert set(kwic.term) == {"新时代", "乡村振兴"}  # two terms, not 13 characters
    summary = shown[shown.index("- No document carries a full date") :]  # the Summary's bullets
    assert "Nothing was compared: no document has a full date" in summary and "shuffled" not in summary
    assert "2 terms (given as `terms`) traced in the concordance only" in summary
    assert "Not written, having no row: `term_trends.csv`, `change_points.csv`, `topic_trends.csv`." in summary
    assert sorted(t["name"] for t in json.loads((out / "tables.json").read_text())["tables"]) == ["keyness", "kwic"]


def test_one_date_corpus_says_one_period_and_suggests_nothing_already_done(tmp_path, run_notebook):
    """Reviewer R5's corpus E in small: every story of one date, compared by its 来源 (which the loader copies)."""
    rows = pd.read_json(HELDOUT, lines=True).head(36).assign(date="2019-06-15")
    rows["来源"] = ["新华社", "人民日报", "央视网"] * 12
    corpus = tmp_path / "oneday.jsonl"
    rows.to_json(corpus, orient="records", lines=True, force_ascii=False)
    params = dict(corpus=str(corpus), group_column="来源", num_topics=3, validation_corpus="")
    executed = run_notebook(NB, tmp_path / "out", **params, **FAST)
    static, shown = _prose(executed)
    assert "All 36 documents share one date (2019-06-15)." in shown and "to 2019-06-15" not in shown
    reason = re.search(r"The dated documents fall in one month[^.]*: one period[^.]*are not made\.", shown).group(0)
    assert shown.count(reason) == 2 and "median" not in shown  # section 1 and the Summary; 4, 5, 7 refer to it
    assert shown.count("time views are not made on this corpus (section 1 says why)") == 3
    assert "-p period" not in shown  # no fixed period makes a second period out of one date
    assert "-p group_column" not in shown and "no other column to compare" in shown  # `source` copies 来源
    assert (
        "No composition check: there are no time views" in shown and not (tmp_path / "out" / "composition.csv").exists()
    )
