"""Reviewer M: on a CSV mixing TV news, web news and journal abstracts (column 来源) notebook 03 said "No column
label in this corpus" and 04 "it has no label column", while the topics and the neighbours followed 来源. A corpus's
categorical column is now what 03 and 04 compare with when no column is named as a label, and the pages say so.
Tests on real rows of data/xwlb_sections_heldout, data/cnews_sample and data/csl_sample."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from helpers import similarity as sim
from helpers import topics as tp
from helpers.corpus import load_corpus
from helpers.tokenize import tokenize_corpus
from helpers.validation import similarity as vs
from helpers.validation import topics as vt

PER_SOURCE = 30  # rows of each shipped slice in the mixed corpus
SOURCES = ("电视新闻", "网络新闻", "期刊摘要")


def write_mixed(path, data_dir, *, n: int = PER_SOURCE, extra: dict[str, list[str]] | None = None):
    """A CSV as reviewer M's: 编号, 来源, 日期, 标题, 正文 (``extra`` columns appended), ``n`` rows of each slice."""
    read = lambda name: pd.read_json(data_dir / name / f"{name}.jsonl", lines=True, dtype=False).head(n)  # noqa: E731
    tv, web, papers = read("xwlb_sections_heldout"), read("cnews_sample"), read("csl_sample")
    rows = [(SOURCES[0], d, t, x) for d, t, x in zip(tv["date"], tv["title"], tv["text"])]
    rows += [(SOURCES[1], "2019-05-01", "", x) for x in web["text"]]
    rows += [(SOURCES[2], "2019-06-01", t, x) for t, x in zip(papers["title"], papers["abstract"])]
    extra = extra or {}
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["编号", "来源", "日期", "标题", "正文", *extra])
        for i, row in enumerate(rows):
            out.writerow([str(i + 1), *row, *(v[i] for v in extra.values())])
    return path


@pytest.fixture(scope="module")
def mixed(tmp_path_factory, data_dir):
    path = write_mixed(tmp_path_factory.mktemp("mixed") / "mixed.csv", data_dir)
    loaded = load_corpus(path, text_column="正文", id_column="编号")
    tokens = tokenize_corpus(loaded.docs["text"].tolist(), n_jobs=1)
    return loaded, tokens


def test_the_source_column_is_the_label_when_none_is_named(mixed):
    loaded, _ = mixed
    docs = loaded.docs
    assert "source" in docs and "来源" in docs  # the loader's copy and the user's column
    label = sim.choose_label_column(docs, "label", report=loaded.report)
    assert (label.column, label.named, label.categorical) == ("来源", False, ("来源",))
    assert sim.find_label_column(docs, "label") == "来源"  # without the report too: the user's name, not `source`
    said = label.sentence("the topics are compared with")
    counts = ", ".join(f"{s} {PER_SOURCE}" for s in SOURCES)
    assert said == (
        "No column is named as a label; the topics are compared with `来源`, the corpus's only categorical column "
        f"(3 values: {counts})."
    )
    groups, name, coloured = sim.document_groups(docs, None, label=label)
    assert name == "来源" and groups.tolist() == docs["来源"].tolist()
    assert coloured.startswith("No column is named as a label; the map is coloured by `来源`")


def test_named_label_columns_still_win_and_unique_columns_are_no_label(mixed, seeds_dir, data_dir):
    loaded, _ = mixed
    docs = loaded.docs
    named = sim.choose_label_column(docs.assign(类别=docs["来源"].str[:2]), "label", report=loaded.report)
    assert (named.column, named.named, named.sentence("x")) == ("类别", True, "")
    asked = sim.choose_label_column(docs, "日期", report=loaded.report)  # label_column given: used as it is
    assert (asked.column, asked.named) == ("日期", True)
    only_ids = docs.drop(columns=["source", "来源"])  # 编号 is the id; 标题, 日期 are the loader's title and date
    assert sim.find_label_column(only_ids, "label", report=loaded.report) is None
    unique = only_ids.assign(编号=docs["doc_id"])  # a column whose every value is unique compares nothing
    assert sim.find_label_column(unique, "label") is None
    assert sim.find_label_column(load_corpus(seeds_dir).docs, "label") is None  # the seeds: no such column
    said = vs.own_labels_check(None, only_ids, None)[1]  # 04's 5d on them: as before, and no categorical column
    assert said.startswith("No precision on this corpus's own labels: it has no label column (looked for `label`,")
    assert said.endswith(f"`folder`), {sim.LabelChoice.absent()}.")
    cnews = load_corpus(data_dir / "cnews_sample" / "cnews_sample.jsonl").docs
    assert sim.choose_label_column(cnews, "label").named  # cnews: its `label`, read as before


def test_several_categorical_columns_the_first_is_chosen_and_the_others_named(tmp_path, data_dir):
    channels = [f"频道{i % 2}" for i in range(3 * PER_SOURCE)]
    path = write_mixed(tmp_path / "two.csv", data_dir, extra={"频道": channels})
    loaded = load_corpus(path, text_column="正文", id_column="编号")
    label = sim.choose_label_column(loaded.docs, "label", report=loaded.report)
    assert label.categorical == ("来源", "频道") and label.column == "来源"
    said = label.sentence("the neighbours are compared with")
    assert "the first of the corpus's 2 categorical columns in the table's order (the others: `频道`" in said
    assert "-p label_column NAME" in said


def test_04_section_5d_measures_the_neighbours_against_the_source_column(mixed):
    loaded, tokens = mixed
    docs = loaded.docs
    index = sim.SimilarityIndex.fit(tokens, methods=("tfidf", "lsi"), seed=0)
    label = sim.choose_label_column(docs, "label", report=loaded.report)
    table, said = vs.own_labels_check(index, docs, label.column, default="tfidf", label=label)
    scores = table.set_index("method")["precision_at_5"]
    chance = scores[vs.RANDOM_NAME]
    assert chance == round((PER_SOURCE - 1) / (3 * PER_SOURCE - 1), 3)  # 3 equal sources: 29 of the 89 others
    assert said.startswith("No column is named as a label; the neighbours are compared with `来源`")
    assert f"Against `来源` (3 values, {len(docs)} documents)" in said and "own labels" not in said
    ours = scores[["tfidf", "lsi"]]
    low, high = round(ours.min() * 100), round(ours.max() * 100)
    figures = f"{low}–{high} %" if low != high else f"{high} %"
    assert f"{figures} of a document's 5 nearest neighbours share its value of `来源`" in said
    assert f"against {round(chance * 100)} % for neighbours drawn at random" in said
    gains = (ours - chance) / (1 - chance)
    assert ("Similarity largely follows `来源`: by each of the 2 methods" in said) == bool(
        (gains >= vs.FOLLOW_MIN_GAIN).all()
    )
    assert ours.min() > 2 * chance  # measured: TV news, web news and abstracts are told apart


def test_03_topics_are_compared_with_the_source_column_and_said_to_follow_it(mixed):
    loaded, tokens = mixed
    docs = loaded.docs
    dictionary, _ = tp.build_dictionary(tokens, no_below=2)
    bow = tp.bow_corpus(tokens, dictionary, max_count=tp.MAX_TERM_COUNT)
    model = tp.fit_lda(bow, dictionary, num_topics=3, random_state=0, sweeps=200)
    dominant = tp.dominant_topics(tp.doc_topic_matrix(model, bow, random_state=0))
    label = sim.choose_label_column(docs, "label", report=loaded.report)
    value, agreement = vt.label_agreement(docs[label.column], dominant, label_column=label.column)
    assert value is not None and agreement.startswith(f"NMI(dominant topic, `来源`) = **{value:.3f}**")
    said = vt.topics_follow_sentence(docs[label.column], dominant, column=label.column)
    table = pd.crosstab(docs[label.column].to_numpy(), dominant.astype(str))
    for source in SOURCES:  # the counts the sentence gives are the run's
        topic = table.loc[source].idxmax()
        if table.loc[source, topic] > PER_SOURCE / 2:
            assert f"T{topic} holds {table.loc[source, topic]} of the {PER_SOURCE} `{source}`" in said or (
                f"T{topic} {table.loc[source, topic]} of the {PER_SOURCE} `{source}`" in said
            )
    assert said.startswith("The topics largely follow `来源`: T")  # measured: each source has a topic of its own
    assert value > 0.3
    purity = (table / table.sum(axis=0)).max(axis=0)  # M2: a topic of 52 % news was not said to mix sources
    for topic, share in purity.items():
        assert (f"T{topic} mix" in said or f"T{topic}: " in said) == (share < vt.MIXED_MAX_SHARE), (topic, share)
    mixed = table.T.iloc[[i for i, x in enumerate(purity) if x < vt.MIXED_MAX_SHARE]]
    dealt = [(t, p) for t, p in zip(mixed.index, mixed.max(axis=1) / mixed.sum(axis=1))]
    for topic, share in dealt:  # the share the sentence gives is the run's
        assert f"{round(100 * share)} % `{mixed.loc[topic].idxmax()}`" in said


def test_subfolders_named_by_year_are_no_labels():
    """Files filed in one subfolder per year (政策新闻/2016/…: a .docx corpus of session 14) give a `folder` column
    of years: 03 compared the topics with it ("NMI(dominant topic, folder) = 0.030 … 4 distinct labels"). Years are
    time, not categories; a column of categories still is."""
    from helpers.similarity import find_label_column

    docs = pd.DataFrame({"text": ["x"] * 6, "folder": ["2016", "2016", "2017", "2017", "2018年", "2018年"]})
    assert find_label_column(docs) is None
    docs["来源"] = ["甲", "甲", "乙", "乙", "甲", "乙"]
    assert find_label_column(docs) == "来源"


def test_02_names_the_leading_corpus_terms_that_come_from_one_source(mixed):
    """Reviewer M2: 模型 and 算法, words of the abstracts alone, led the pooled corpus list of 02 with no word on it.
    Each term the sentence names is used by 80 %+ of its documents in one source, as counted here."""
    from helpers import keywords as kws

    loaded, _ = mixed
    docs = loaded.docs
    kw = kws.extract_keywords(docs.text, doc_ids=docs.doc_id, methods=["keyphrase"], top_k=10, corpus_top_k=20)
    found, checked, shares = kws.concentrated_terms(kw, docs.text, docs["来源"], top=20)
    assert checked >= 10 and shares == pytest.approx({s: 1 / 3 for s in SOURCES})
    assert found, "measured: the abstracts' and the TV news' words come from their source"
    for value, terms in found.items():
        for term, share in terms:
            key = kws.normalize_term(term)
            used = docs.loc[[key in kws._normalised(t) for t in docs.text], "来源"]
            assert len(used) >= kws.CONCENTRATED_MIN_DOCUMENTS
            assert used.value_counts().idxmax() == value and share == pytest.approx((used == value).mean())
            assert share >= kws.CONCENTRATED_MIN_SHARE
    said = kws.concentrated_sentence(found, checked, shares, column="来源")
    n = sum(len(t) for t in found.values())
    assert said.startswith(f"{n} of the {checked} leading corpus terms of `keyphrase` come")
    for value in found:  # 3 sources: every one named, with its share of the corpus
        assert f"from `{value}` (33 % of the documents)" in said


def test_a_column_of_lists_of_labels_gives_the_one_label_of_documents_that_have_one(data_dir):
    """Reviewer R: on CCTV stories whose `labels` holds 0 to 5 sections, 03/04 said "it has no label column (looked
    for label, labels, …)". A list column now gives `labels_one`: the one label of each story that has exactly one
    (as data/xwlb_sections_* keep the stories of one section), and the pages say which documents are compared."""
    rows = pd.read_json(data_dir / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl", lines=True, dtype=False)
    docs = rows.drop(columns="label").copy()
    docs.loc[0, "labels"] = []  # and a story with none, one with two
    docs.loc[1, "labels"] = [*docs.loc[1, "labels"], "中国经济" if docs.loc[1, "labels"][0] != "中国经济" else "民生"]
    label = sim.choose_label_column(docs, "label")
    assert label.column == "labels_one" and label.listed == ("labels", len(docs) - 2, 1, 1)
    expected = [None, None, *rows["label"][2:]]
    assert [v if isinstance(v, str) else None for v in docs["labels_one"]] == expected
    said = label.sentence("the topics are compared with")
    assert said.startswith(f"`labels` holds a list of labels per document: the topics are compared with the one "
                           f"label of the {len(docs) - 2} documents that have exactly one (column `labels_one`")  # fmt: skip
    assert said.endswith("the 1 with several and the 1 with none carry no label here.")
    assert sim.choose_label_column(rows, "label").column == "label"  # a column of single labels comes first


def test_02_concentration_counts_documents_without_a_value(mixed):
    """Reviewer T: "基金 (81 %) from 财经" was 13 of the 16 labelled documents using 基金, while 7 more used it without
    a label (13 of 23, 57 %). Shares are of all documents that use the term, those without a value included."""
    from helpers import keywords as kws

    loaded, _ = mixed
    docs = loaded.docs
    values = docs["来源"].where(docs["来源"] != SOURCES[0], "")  # the TV news lose their value
    kw = kws.extract_keywords(docs.text, doc_ids=docs.doc_id, methods=["keyphrase"], top_k=10, corpus_top_k=20)
    found, checked, shares = kws.concentrated_terms(kw, docs.text, values, top=20)
    assert shares == pytest.approx({SOURCES[1]: 1 / 3, SOURCES[2]: 1 / 3})
    for value, terms in found.items():
        for term, share in terms:
            key = kws.normalize_term(term)
            used = values[[key in kws._normalised(t) for t in docs.text]]
            assert share == pytest.approx((used == value).mean())  # of all documents using it, unvalued too
    said = kws.concentrated_sentence(found, checked, shares, column="来源")
    assert not found or "33 % of the documents have no `来源`; they count in every share." in said


def test_years_with_almost_no_labelled_document_are_named(data_dir):
    """Reviewer R2: xwlb's sections label 1 of the 891 stories of 2016, and 03's NMI and 04's precision read as if
    they held for 2016-2019. The sentence names a year in which fewer than 5 % of the documents have one label;
    05 says that a column of lists is not one of its groups (list_columns), `tags` being no label column."""
    rows = pd.read_json(data_dir / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl", lines=True, dtype=False)
    docs = rows.drop(columns="label").copy()
    year = docs["date"].astype(str).str[:4]
    first = year.min()
    docs["labels"] = [[] if y == first and i else labels for i, (y, labels) in enumerate(zip(year, docs["labels"]))]
    label = sim.choose_label_column(docs, "label")
    n_first = int((year == first).sum())
    kept = int(((year == first) & (docs.index == 0)).sum())
    assert label.years == f"{first} ({kept} of {n_first})"
    assert label.sentence("the topics are compared with").endswith(
        f"Years in which almost no document has one: {first} ({kept} of {n_first}); what is measured on the "
        "labelled documents says little of them."
    )
    assert sim.list_columns(docs) == ["labels"] and "tags" in docs  # a list column that holds no labels
    assert sim.choose_label_column(rows.drop(columns="label"), "label").years == ""  # every year labelled
