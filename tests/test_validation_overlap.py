"""helpers.validation.overlap: a corpus holding the texts the project's resources were built, tuned or validated on
is found, and only where it truly holds them (the truth taken from the ids of the shipped data files)."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

from helpers.corpus import load_corpus
from helpers.paths import DATA_DIR, PROJECT_ROOT, SEEDS_DIR
from helpers.validation.overlap import (
    FINGERPRINTS_PATH,
    load_fingerprints,
    overlap_sentence,
    shipped_matches,
    shipped_overlap,
)

CNEWS = DATA_DIR / "cnews_sample" / "cnews_sample.jsonl"


def _rows(path, n=None):
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return rows[:n] if n else rows


def _ids(path):
    return {str(r["id"]) for r in _rows(path)}


def _load(source, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_corpus(source, errors="report", **kw).docs


def _matched(matches, role):
    return set(matches.loc[matches.role == role, "doc_id"])


def test_table_is_small_and_names_real_sources():
    fp = load_fingerprints()
    assert FINGERPRINTS_PATH.stat().st_size < 400_000
    for source in fp.uses.source:
        assert (PROJECT_ROOT / source).exists(), source
    # the CSL tuning rows are the 700 not in data/csl_sample, every cnews article is in the reference IDF
    texts = fp.uses.set_index(["role", "source"]).texts
    assert texts["keyphrase_tuning", "../shared/corpora/csl_keywords/abstracts.jsonl"] == 700
    assert texts["validation_04_news", "data/cnews_sample"] == len(_rows(CNEWS))


def test_cnews_slice_as_a_folder_of_files_is_found_whole(tmp_path):
    rows = _rows(CNEWS, 40)
    for r in rows:  # one folder per category, one file per article, as a user scrapes them
        (tmp_path / r["label"]).mkdir(exist_ok=True)
        (tmp_path / r["label"] / f"{r['id']}.txt").write_text(r["text"], encoding="utf-8")
    docs = _load(tmp_path)
    table = shipped_overlap(docs).set_index("role")
    n = len(docs)
    assert n == 40
    for role in ("reference_idf", "validation_04_news", "topic_tuning", "similarity_tuning"):
        assert table.loc[role, "documents"] == n, role
    assert "data/cnews_sample" in table.loc["validation_04_news", "source"]
    in_names = {r["id"] for r in rows} & _ids(DATA_DIR / "entities_sample" / "documents.jsonl")
    names = table["documents"].get("validation_02_names", 0)
    assert names == len(in_names)
    # THUCNews is in no 新闻联播 resource and no CSL tuning
    assert not {"background_model", "domain_dictionary", "keyphrase_tuning", "validation_05_dated"} & set(table.index)
    sentence = overlap_sentence(shipped_overlap(docs), ["reference_idf", "validation_04_news"])
    assert sentence.startswith(
        "Of this corpus's 40 documents, all 40 are texts the reference IDF was built from and all 40 are in "
        "`data/cnews_sample` (the validation sample of 04's section 5a)"
    )


def test_seeds_are_found_only_where_they_are_used():
    matches = shipped_matches(_load(SEEDS_DIR))
    ids = {p.stem for p in SEEDS_DIR.glob("*.txt")}
    # the domain dictionary is mined from the seeds, and data/entities_sample holds them; nothing else uses them
    assert set(matches.role) == {"domain_dictionary", "validation_02_names"}
    assert _matched(matches, "domain_dictionary") == ids
    assert _matched(matches, "validation_02_names") == ids & _ids(DATA_DIR / "entities_sample" / "documents.jsonl")


def test_dated_heldout_stories_match_what_really_used_them():
    path = DATA_DIR / "xwlb_dated_heldout" / "xwlb_dated_heldout.jsonl"
    docs = _load(path)
    ids = set(docs.doc_id)
    matches = shipped_matches(docs)
    sections_2019 = _ids(DATA_DIR / "xwlb_sections_2019" / "xwlb_sections_2019.jsonl")
    sections_heldout = _ids(DATA_DIR / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl")
    poverty_2019 = _ids(DATA_DIR / "segmentation_heldout" / "xwlb_poverty_2019.jsonl")
    # every poverty story is in the reference IDF and the domain dictionary
    assert _matched(matches, "reference_idf") == ids
    assert _matched(matches, "domain_dictionary") == ids
    # the background model leaves out the held-out stories of 04 section 5b and 03 section 7
    assert _matched(matches, "background_model") == ids - sections_2019 - sections_heldout
    assert _matched(matches, "validation_04_sections") == ids & sections_2019
    assert _matched(matches, "validation_03_topics") == ids & sections_heldout
    assert ids & sections_2019  # the slice does overlap 04's held-out sample, so the check above can fail
    # never part of notebook 05's sample (drawn outside it), nor of 04's reprint test
    assert not _matched(matches, "validation_05_dated") | _matched(matches, "validation_04_reprints")
    assert _matched(matches, "tests") == ids  # the slice itself, and its 2019 stories in segmentation_heldout
    tests = matches[matches.role == "tests"]
    assert set(tests.loc[tests.source.str.contains("segmentation_heldout"), "doc_id"]) == ids & poverty_2019


def test_a_copy_with_a_new_headline_or_without_its_title_still_matches(tmp_path):
    rows = _rows(CNEWS, 30)
    edited = [
        {"id": f"copy-{i}", "text": f"【转载】{r['label']}频道最新消息\n{r['text']}\n（责任编辑：王明）"}
        for i, r in enumerate(rows)
    ]
    path = tmp_path / "copies.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in edited), encoding="utf-8")
    matches = shipped_matches(_load(path))
    assert _matched(matches, "validation_04_news") == {r["id"] for r in edited}
    # the same texts uncleaned (cleaning may take the headline off as a title): found by the middle passage alone
    raw = shipped_matches(pd.DataFrame({"doc_id": [r["id"] for r in edited], "text": [r["text"] for r in edited]}))
    assert _matched(raw, "validation_04_news") == {r["id"] for r in edited}
    assert set(raw.loc[raw.role == "validation_04_news", "match"]) == {"middle passage"}
    # CSL appends the title to each abstract; a CNKI-like export has the abstract alone
    csl = _rows(DATA_DIR / "csl_sample" / "csl_sample.jsonl", 60)
    abstracts = pd.DataFrame(
        {"doc_id": [r["id"] for r in csl], "text": [r["abstract"][: r["abstract"].rfind(" ")] for r in csl]}
    )
    found = _matched(shipped_matches(abstracts), "validation_02_keywords")
    assert len(found) >= 0.95 * len(csl)  # only an abstract no longer than its title loses its middle


def test_text_used_nowhere_is_not_matched():
    # People's Daily sentences of the SIGHAN 2005 PKU test (not a source of any resource), ten to a document
    lines = (DATA_DIR / "segmentation_heldout" / "pku_test_gold_sample.utf8").read_text(encoding="utf-8").splitlines()
    sentences = ["".join(line.split()) for line in lines if line.strip()]
    texts = ["".join(sentences[i : i + 10]) for i in range(0, 300, 10)]
    table = shipped_overlap(texts)
    assert table.empty and table.attrs["n_documents"] == 30
    assert overlap_sentence(table) is None


def test_overlap_sentence_counts_and_roles():
    table = pd.DataFrame(
        {
            "role": ["keyphrase_tuning", "validation_02_keywords"],
            "source": ["../shared/corpora/csl_keywords/abstracts.jsonl", "data/csl_sample"],
            "documents": [698, 1],
            "share": [0.698, 0.001],
        }
    )
    table.attrs["n_documents"] = 1000
    assert overlap_sentence(table, ["validation_02_keywords", "keyphrase_tuning"], consequence="x") == (
        "Of this corpus's 1,000 documents, 1 is in `data/csl_sample` (the validation sample of 02's keywords) and "
        "698 are CSL abstracts the weights of `keyphrase` were tuned on: x."
    )
    assert overlap_sentence(table, "reference_idf") is None
    with pytest.raises(ValueError, match="unknown role"):
        overlap_sentence(table, "validation_99")
    # three roles: a list whose items hold no comma; one document: no counts
    table.loc[2] = ["reference_idf", "../shared/corpora/cnews/articles.jsonl", 1000, 1.0]
    assert overlap_sentence(table, ["validation_02_keywords", "keyphrase_tuning", "reference_idf"]).startswith(
        "Of this corpus's 1,000 documents, 1 is in `data/csl_sample` (the validation sample of 02's keywords), "
        "698 are CSL abstracts the weights of `keyphrase` were tuned on and all 1,000 are texts the reference IDF"
    )
    one = pd.DataFrame({"role": ["reference_idf", "validation_04_news"], "source": ["x", "data/cnews_sample"]})
    one[["documents", "share"]] = [[1, 1.0], [1, 1.0]]
    one.attrs["n_documents"] = 1
    assert overlap_sentence(one, consequence="x") == (
        "This corpus's one document is a text the reference IDF was built from and is in `data/cnews_sample` "
        "(the validation sample of 04's section 5a): x."
    )


def test_a_day_file_holding_stories_is_said_to_contain_them_not_to_be_them(tmp_path):
    """Round 11: a day file of 新闻联播 (four stories of data/xwlb_sections_heldout, matched by their middle passages)
    was said to *be* texts of 03's validation sample; it contains them. A story loaded alone is one."""
    from tests.test_corpus_days import STORIES_PER_DAY, _days

    _days(tmp_path / "days", 8)
    days = _load(tmp_path / "days")
    matches = shipped_matches(days)
    mine = matches[matches.role == "validation_03_topics"]
    assert set(mine.doc_id) == set(days.doc_id) and set(mine.match) == {"middle passage"}
    table = shipped_overlap(days).set_index("role")
    assert (table.loc["validation_03_topics", ["documents", "whole"]] == [8, 0]).all()
    sentence = overlap_sentence(shipped_overlap(days), "validation_03_topics", consequence="x")
    assert sentence == (
        "All 8 of this corpus's documents contain texts of `data/xwlb_sections_heldout`, the validation sample of "
        "03's section 7: x."
    )
    # the same stories loaded one by one are the texts themselves; with the days beside them: "are or contain"
    stories = _load(DATA_DIR / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl").head(8 * STORIES_PER_DAY)
    both = pd.concat([stories[["doc_id", "text"]], days[["doc_id", "text"]]], ignore_index=True)
    table = shipped_overlap(both)
    row = table.set_index("role").loc["validation_03_topics"]
    assert (row.documents, row.whole) == (len(both), len(stories))
    assert overlap_sentence(table, "validation_03_topics", consequence="x").startswith(
        f"All {len(both)} of this corpus's documents are or contain texts of `data/xwlb_sections_heldout`"
    )
    alone = overlap_sentence(shipped_overlap(stories), "validation_03_topics", consequence="x")
    assert alone.startswith(f"All {len(stories)} of this corpus's documents are in `data/xwlb_sections_heldout`")


def test_a_section_caveat_needs_the_shipped_sample_and_a_role_that_ran(tmp_path):
    """Round 11: 04's section 5a says the corpus holds its sample (and 04's tuning texts) only when it ran on the
    shipped data/cnews_sample, and leaves out a resource that did not run (background LSI)."""
    from helpers.validation.overlap import overlap_caveat

    docs = _load(CNEWS).head(30)
    table = shipped_overlap(docs)
    line = overlap_caveat(table, "04 section 5a", ran_on=CNEWS)
    assert line.startswith(
        "Of this corpus's 30 documents, all 30 are in `data/cnews_sample` (the validation sample of 04's section 5a) "
        "and all 30 are texts 04's similarity settings were chosen on: the precision at 5 above is measured on them "
        "as well"
    )
    own = tmp_path / "my_labelled_news.jsonl"  # the same articles in a file of the user's: not fingerprinted as such
    own.write_bytes(CNEWS.read_bytes())
    assert overlap_caveat(table, "04 section 5a", ran_on=own) is None
    # 5b's held-out stories are none of them, but its settings were chosen on them: said, with what it means there
    assert overlap_caveat(table, "04 section 5b", ran_on=DATA_DIR / "xwlb_sections_2019") == (
        "All 30 of this corpus's documents are texts 04's similarity settings were chosen on: the stories above were "
        "held out from the choice of the similarity settings, these documents were not, so the settings may suit them "
        "better than the figure above says."
    )
    only = overlap_caveat(table, "04 section 5a", ran_on=CNEWS, leave_out=["similarity_tuning"])
    assert "similarity settings" not in only
    # 5d measures the corpus itself against its own labels: what it holds of 04's tuning texts bears on that
    from helpers.validation.overlap import corpus_caveat

    assert corpus_caveat(table, "04 section 5d") == (
        "All 30 of this corpus's documents are texts 04's similarity settings were chosen on: the similarity settings "
        "were chosen on them, so the precision above is not held out from this corpus."
    )
    assert corpus_caveat(table, "04 section 5d", leave_out=["similarity_tuning"]) is None


SECTIONS_HELDOUT = DATA_DIR / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl"


def _headlines(n=30):
    """The first ``n`` stories of 03's validation sample whose title is a headline, not a heading many share."""
    from helpers.validation.overlap import title_key

    headings = load_fingerprints().headings
    return [r for r in _rows(SECTIONS_HELDOUT) if title_key(r["title"]) not in headings][:n]


def test_a_corpus_of_headlines_is_found_as_the_headlines_of_recorded_texts(tmp_path):
    """Round 14: 1,500 headlines of 新闻联播 stories, one a document, were said to contain 9 recorded texts; they
    are the headlines of recorded texts, and the sentence must say so."""
    rows = _headlines()
    path = tmp_path / "headlines.csv"  # a user's file of headlines: loaded and cleaned as any corpus
    pd.DataFrame({"id": [r["id"] for r in rows], "text": [r["title"] for r in rows]}).to_csv(path, index=False)
    docs = _load(path)
    assert len(docs) == len(rows) == 30
    table = shipped_overlap(docs).set_index("role")
    for role in ("validation_03_topics", "reference_idf", "domain_dictionary"):  # every story of the sample is in both
        assert table.loc[role, ["documents", "whole", "titles"]].tolist() == [30, 0, 30], role
    matches = shipped_matches(docs)
    assert set(matches.match) == {"title"}
    sentence = overlap_sentence(shipped_overlap(docs), "validation_03_topics", consequence="x")
    assert sentence == (
        "All 30 of this corpus's documents are headlines of texts of `data/xwlb_sections_heldout`, the validation "
        "sample of 03's section 7: x."
    )
    # the stories themselves beside their headlines: "are or are headlines of"; a headline edited by one character
    # (the last) is no recorded title, and matches nothing
    stories = _load(SECTIONS_HELDOUT)
    heads = docs.assign(doc_id="headline-" + docs.doc_id)[["doc_id", "text"]]
    both = pd.concat([stories[stories.doc_id.isin(docs.doc_id)][["doc_id", "text"]], heads])
    assert overlap_sentence(shipped_overlap(both), "validation_03_topics", consequence="x").startswith(
        "All 60 of this corpus's documents are or are headlines of texts of `data/xwlb_sections_heldout`"
    )
    edited = [r["title"][:-1] + ("的" if r["title"][-1] != "的" else "了") for r in rows]
    assert shipped_matches(edited).empty and overlap_sentence(shipped_overlap(edited)) is None


def test_a_heading_many_texts_share_or_a_word_is_not_said_to_be_a_headline():
    """国内联播快讯 heads hundreds of recorded stories and any other story of the section: a document that is only
    that heading names none of them, so it is counted apart (``headings``), and no sentence is printed for it; a
    title of under four characters (长江 is one) is a word, not matched."""
    from helpers.validation.overlap import HEADING_TEXTS, MIN_TITLE_CHARS, title_key

    titles = pd.Series([r["title"] for r in _rows(DATA_DIR / "xwlb_dated_heldout" / "xwlb_dated_heldout.jsonl")])
    common = titles.value_counts()
    heads = common.index[:2].tolist()  # the section headings of the slice, as its own counts show
    assert common.iloc[1] >= 5 and all(title_key(h) in load_fingerprints().headings for h in heads)
    docs = heads * 3 + ["长江"]
    assert len("长江") < MIN_TITLE_CHARS and HEADING_TEXTS > 1
    matches = shipped_matches(docs)
    assert set(matches.match) == {"heading"} and set(matches.doc_id) == {str(i) for i in range(6)}
    table = shipped_overlap(docs)
    assert table.empty and table.attrs["headings"] == 6 and overlap_sentence(table) is None


def test_an_old_or_damaged_table_still_loads(tmp_path):
    """A table written before titles were recorded (three columns) is read, with no titles; a damaged row is left
    out with a warning naming the file, and the rest is read."""
    lines = FINGERPRINTS_PATH.read_text(encoding="utf-8").splitlines()
    old = [line if line.startswith("#") else "\t".join(line.split("\t")[:3]) for line in lines]
    path = tmp_path / "old.tsv"
    path.write_text("\n".join(old[:-1] + ["0123\tbroken", old[-1]]) + "\n", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"old\.tsv: 1 damaged row"):
        fp = load_fingerprints(path)
    assert not fp.title and not fp.headings
    assert len(fp.whole) == len(load_fingerprints().whole)
    rows = _headlines(5)
    stories = _load(SECTIONS_HELDOUT).head(5)
    assert shipped_matches([r["title"] for r in rows], fingerprints=fp).empty  # no titles in an old table
    assert set(shipped_matches(stories, fingerprints=fp).match) == {"whole text"}
