"""The streamed pipeline (helpers.stream) gives the in-memory path's results, output by output, in any chunk size.

The corpus: 1,500 documents of the benchmark workload built from the slices in ``data/`` (xwlb_poverty_sample and
cnews_sample: 500 base articles, then reprints and remixes of them), always from ``data/`` so that the test is the
same with or without ``../shared``; to it are added what ``load_corpus`` handles across the corpus: a site footer
and a signature line in 12 documents that otherwise share nothing, a repeated id, a malformed line, an empty text
and a text that is a number.
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pyarrow.parquet as pq
import pytest

from helpers.corpus import load_corpus
from helpers.paths import DATA_DIR, PROJECT_ROOT
from helpers.reprints import find_near_duplicates
from helpers.stream import (
    STAGES,
    StreamSettings,
    TokenFile,
    compare_with_memory,
    read_docs,
    read_report,
    run_stage,
)
from helpers.topics import bow_corpus, build_dictionary, doc_topic_matrix, fit_lda

if str(PROJECT_ROOT) not in sys.path:  # benchmarks/ is not part of the installed package
    sys.path.insert(0, str(PROJECT_ROOT))

from benchmarks import workload  # noqa: E402

SIZE = 1500
#: documents per chunk in the identity run: four chunks, the last one short
CHUNK = 400
FOOTER = "扫码关注县融媒体中心微信公众号"
SIGNATURE = "县融媒体中心出品"
#: few sweeps: identity does not depend on how long the sampler runs, and the test stays fast; document topics
#: from the sampler's state, as large runs take them (benchmarks.full_run.LARGE_RUN_DOC_TOPICS)
SETTINGS = dict(lda={"sweeps": 20}, doc_topics={"from_fit": True})
#: share of documents whose dominant topic is the same read from the sampler and inferred again (100 sweeps): 0.967
#: on data/cnews_sample and 0.94 on data/xwlb_poverty_sample (K = 10, 100 sweeps, measured apart from this corpus);
#: the floor leaves room for the remixes of this corpus, which mix four stories each
AGREEMENT = 0.8


def _corpus(folder):
    """The workload of :data:`SIZE` documents from ``data/``, with the corpus-level cases appended."""
    path = folder / "corpus.jsonl"
    with open(workload.workload_file(SIZE), encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    paged = [row for row in rows[:200] if row["text"].count("</p>") > 2][:12]  # xwlb stories: <p> paragraphs
    for row in paged:
        row["text"] = row["text"].replace("</p>", f"</p>\n<p>{SIGNATURE}</p>\n<p>{FOOTER}</p>", 1)
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    lines += [
        json.dumps({**rows[5], "text": rows[7]["text"]}, ensure_ascii=False),  # id b0000005 again
        '{"id": "broken", "text": "未结束',
        json.dumps({"id": "empty", "text": "  "}),
        json.dumps({"id": "number", "text": 12345}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def streamed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stream")
    mp = pytest.MonkeyPatch()
    mp.setattr(workload, "WORK_DIR", folder / "workloads")
    mp.setattr(workload, "_SOURCES", ())
    workload.base_texts.cache_clear()
    try:
        source = _corpus(folder)
    finally:
        workload.base_texts.cache_clear()
        mp.undo()
    settings = StreamSettings(chunk=CHUNK, **SETTINGS)
    same = compare_with_memory(source, folder / "run", settings)
    return source, folder, same


def test_every_output_is_identical_to_the_in_memory_path(streamed):
    source, folder, same = streamed
    assert same == dict.fromkeys(same, True)
    assert len(same) == 17


def test_the_corpus_exercises_every_corpus_wide_step(streamed):
    source, folder, _ = streamed
    run = folder / "run"
    assert pq.ParquetFile(run / "docs.parquet").num_row_groups == 4  # the documents were cleaned in four chunks
    report = read_report(run)
    removed = report[report["rule"] == "site_template"]
    assert set(removed["detail"]) == {FOOTER, SIGNATURE} and removed["doc_id"].nunique() == 12
    skipped = report[report["action"] == "skipped"]
    for reason in ("duplicate id 'b0000005'", "malformed JSON", "empty 'text'", "is a number"):
        assert skipped["detail"].str.contains(reason, regex=False).sum() == 1, reason
    duplicates = json.loads((run / "near_duplicates.json").read_text())
    assert duplicates["pairs"] > 20 and duplicates["n_distinct"] < SIZE


def test_one_chunk_gives_the_same_files_as_several(streamed):
    source, folder, _ = streamed
    whole = folder / "whole"
    settings = StreamSettings(chunk=10 * SIZE, **SETTINGS)
    for stage in ("load", "tokens", "tfidf", "near_duplicates"):
        run_stage(stage, source, whole, settings)
    assert pq.ParquetFile(whole / "docs.parquet").num_row_groups == 1
    for name in ("docs.parquet", "report.parquet", "tokens.parquet", "keywords.parquet", "pairs.parquet",
                 "clusters.parquet", "vocabulary.json"):  # fmt: skip
        a, b = folder / "run" / name, whole / name
        if name.endswith(".parquet"):
            assert pq.read_table(a).equals(pq.read_table(b)), name
        else:
            assert a.read_bytes() == b.read_bytes(), name
    assert STAGES[-1] == "near_duplicates"


def test_only_a_jsonl_file_is_streamed(tmp_path):
    with pytest.raises(ValueError, match="one JSONL file"):
        run_stage("load", PROJECT_ROOT / "seeds", tmp_path, StreamSettings())


def test_document_topics_from_the_sampler_agree_with_inferred_ones(streamed):
    """The large runs' shortcut (topics read from the fitted sampler, no inference) gives the dominant topic that
    inference gives for nearly every document, and refuses units it was not fitted on."""
    source, folder, _ = streamed
    tokens = list(TokenFile(folder / "run" / "tokens.parquet"))
    dictionary, _ = build_dictionary(tokens)
    bow = bow_corpus(tokens, dictionary)
    model = fit_lda(bow, dictionary, num_topics=10, sweeps=100)
    fitted, inferred = doc_topic_matrix(model, bow, from_fit=True), doc_topic_matrix(model, bow)
    assert fitted.shape == inferred.shape == (len(tokens), 10)
    np.testing.assert_allclose(fitted.sum(axis=1), 1.0)
    agree = (fitted.argmax(axis=1) == inferred.argmax(axis=1)).mean()
    assert agree > AGREEMENT, agree
    assert not np.array_equal(doc_topic_matrix(model, bow[:50], sweeps=5), inferred[:50])  # fewer sweeps: other draws
    with pytest.raises(ValueError, match="fitted on"):
        doc_topic_matrix(model, bow[:10], from_fit=True)


def _numbered_news(path, *, short: int):
    """40 cnews rows with ids in a 编号 column (no `id`), then ``short`` one-line items, two of them the same."""
    lines = (DATA_DIR / "cnews_sample" / "cnews_sample.jsonl").read_text(encoding="utf-8").splitlines()[:40]
    rows = [{"编号": r["id"], "类别": r["label"], "text": r["text"]} for r in map(json.loads, lines)]
    heads = [r["text"][:12] for r in rows[:short]]
    heads[1] = heads[0]  # the same heading twice: identical texts, not a reprint
    rows += [{"编号": f"brief-{i}", "类别": "简讯", "text": h} for i, h in enumerate(heads)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_streamed_load_reads_ids_and_counts_short_documents_as_the_memory_path(tmp_path):
    """A corpus whose ids are in 编号: the same ids and note as load_corpus; its one-line items are counted as too
    short to be tested, with their identical texts, in the summary notebook 04 shows."""
    source = _numbered_news(tmp_path / "numbered.jsonl", short=5)
    settings = StreamSettings(chunk=16)
    loading = run_stage("load", source, tmp_path / "run", settings)
    run_stage("near_duplicates", source, tmp_path / "run", settings)
    loaded = load_corpus(source, errors="report", cache=False, keep_raw=False)
    docs = read_docs(tmp_path / "run")
    assert docs["doc_id"].tolist() == loaded.docs["doc_id"].tolist() and docs["doc_id"].iloc[-1] == "brief-4"
    notes = read_report(tmp_path / "run").query("rule == 'id_column'")["detail"].tolist()
    assert notes == loaded.report.query("rule == 'id_column'")["detail"].tolist()
    assert len(notes) == 1 and "ids read from '编号'" in notes[0] and loading["notes"] == notes
    summary = json.loads((tmp_path / "run" / "near_duplicates.json").read_text(encoding="utf-8"))
    memory = find_near_duplicates(loaded.docs["text"].tolist(), doc_ids=loaded.docs["doc_id"].tolist())
    assert summary["n_short"] == memory.n_short >= 5 and summary["summary"] == memory.summary()
    assert "Reprint detection does not apply to the other" in summary["summary"]
    identical = pq.read_table(tmp_path / "run" / "identical.parquet").to_pandas()
    assert identical["doc_id"].tolist() == ["brief-0", "brief-1"]
    assert identical.drop(columns="group").equals(memory.identical.drop(columns="group"))  # texts too


def test_report_columns_read_back_from_report_parquet(tmp_path):
    """A duplicate id relabelled in a column named with ", ": report.parquet keeps the row's columns as the in-memory
    report has them, and the count by column reads the same from it."""
    from helpers.corpus import duplicate_differences, report_columns

    xwlb = DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl"
    rows = [{**json.loads(line), "栏目, 频道": "general"} for line in xwlb.read_text(encoding="utf-8").splitlines()[:5]]
    source = tmp_path / "relabelled.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in [*rows, {**rows[0], "栏目, 频道": "poverty"}]]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run_stage("load", source, tmp_path / "run", StreamSettings(chunk=2))
    streamed, loaded = read_report(tmp_path / "run"), load_corpus(source, errors="report", cache=False)
    assert report_columns(streamed).tolist() == report_columns(loaded.report).tolist()
    assert [c for c in report_columns(streamed) if c] == [["栏目, 频道"]]
    assert duplicate_differences(streamed) == "1 duplicate id, differing in 栏目, 频道"
