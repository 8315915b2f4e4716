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
        "All 40 of this corpus's documents are texts the reference IDF was built from and 40 are"
    )
    assert "`data/cnews_sample`, the validation sample of 04's section 5a" in sentence


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
        "1 of this corpus's 1,000 documents is in `data/csl_sample`, the validation sample of 02's keywords and "
        "698 are CSL abstracts the weights of `keyphrase` were tuned on: x."
    )
    assert overlap_sentence(table, "reference_idf") is None
    with pytest.raises(ValueError, match="unknown role"):
        overlap_sentence(table, "validation_99")
