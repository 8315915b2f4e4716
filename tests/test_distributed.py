"""Dask support: the same tokens and TF-IDF numbers as the local path, on a two-process LocalCluster."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest

from helpers.clean import clean_document
from helpers.corpus import CorpusError, load_corpus
from helpers.distributed import (
    clean_and_tokenize_bag,
    document_frequencies,
    read_corpus_bag,
    records_bag,
    tfidf_matrix,
)
from helpers.paths import DATA_DIR
from helpers.tokenize import corpus_tokenizer, tokenize_corpus

SAMPLE = DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl"
N_DOCS = 120  # a slice keeps the test well under a minute on one core


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory):
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()[:N_DOCS]
    path = tmp_path_factory.mktemp("dask") / "slice.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def local_reference(sample_file):
    rows = [json.loads(line) for line in sample_file.read_text(encoding="utf-8").splitlines()]
    texts = [clean_document(r["text"]).text for r in rows]
    tokens = tokenize_corpus(texts, n_jobs=1, cache=False, progress=False, corpus_terms=False)
    return [r["id"] for r in rows], texts, tokens


def test_cluster_tokens_with_the_corpus_terms_identical_to_tokenize_corpus(client, sample_file, local_reference):
    _, texts, _ = local_reference
    expected = tokenize_corpus(texts, n_jobs=1, cache=False, progress=False)  # the notebooks' default: terms found
    tokenizer = corpus_tokenizer(texts, cache=False)
    assert tokenizer.settings.corpus_terms  # this slice has terms of its own
    bag = clean_and_tokenize_bag(str(sample_file), blocksize=40_000, tokenizer=tokenizer)
    assert [r["tokens"] for r in client.compute(bag).result()] == expected


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, memory_limit="2GiB"
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def test_cluster_tokens_identical_to_tokenize_corpus(client, sample_file, local_reference):
    ids, texts, tokens = local_reference
    bag = clean_and_tokenize_bag(str(sample_file), blocksize=40_000)
    assert bag.npartitions > 1  # really split across workers
    records = client.compute(bag).result()
    assert [r["doc_id"] for r in records] == ids
    assert [r["text"] for r in records] == texts
    assert [r["tokens"] for r in records] == tokens


def test_cluster_counts_identical_to_local(client, sample_file, local_reference):
    from sklearn.feature_extraction.text import TfidfVectorizer

    ids, _, tokens = local_reference
    bag = clean_and_tokenize_bag(str(sample_file), blocksize=40_000)
    df = document_frequencies(bag, client=client)
    assert df == Counter(t for toks in tokens for t in set(toks))

    X, vocabulary, doc_ids = tfidf_matrix(bag, client=client, min_df=2, max_df=0.5, sublinear_tf=True)
    vec = TfidfVectorizer(analyzer=lambda t: t, lowercase=False, min_df=2, max_df=0.5, sublinear_tf=True)
    expected = vec.fit_transform(tokens)
    assert doc_ids == ids
    assert vocabulary == vec.get_feature_names_out().tolist()
    assert X.shape == expected.shape
    np.testing.assert_allclose(X.toarray(), expected.toarray(), atol=1e-12)


def test_csv_source_and_default_scheduler(tmp_path):
    import dask

    path = tmp_path / "docs.csv"
    path.write_text("id,text,label\na,<p>坚决打赢脱贫攻坚战</p>,x\nb,驻村工作队帮助贫困户,y\n", encoding="utf-8")
    with dask.config.set(scheduler="sync"):
        records = clean_and_tokenize_bag(str(path)).compute()
    assert [(r["doc_id"], r["label"], r["tokens"]) for r in records] == [
        ("a", "x", ["坚决", "打赢", "脱贫攻坚", "战"]),
        ("b", "y", ["驻村工作队", "帮助", "贫困户"]),
    ]


def test_bad_input_names_the_problem(tmp_path):
    with pytest.raises(ValueError, match="reads .jsonl or .csv"):
        read_corpus_bag(tmp_path / "x.parquet")
    with pytest.raises(CorpusError, match=r"records:1: no 'body' field"):
        records_bag([{"id": "a", "text": "x"}], text_column="body")


def test_ids_and_errors_identical_to_load_corpus(tmp_path):
    """Without an id field, both readers name a row by its file's relative path and line: same ids, same order."""
    import dask

    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()[:6]]
    no_id = [{k: v for k, v in r.items() if k != "id"} for r in rows]
    files = []
    for month, part in (("2016-05", no_id[:3]), ("2016-06", no_id[3:])):
        path = tmp_path / month / "news.jsonl"
        path.parent.mkdir()
        path.write_text("\n\n".join(json.dumps(r, ensure_ascii=False) for r in part) + "\n", encoding="utf-8")
        files.append(path)
    csv_path = tmp_path / "table.csv"
    csv_path.write_text("title,text\n" + "".join(f'{r["title"]},"{r["text"]}"\n' for r in no_id[:2]), encoding="utf-8")
    with dask.config.set(scheduler="sync"):
        bag = read_corpus_bag([str(f) for f in files], blocksize=2_000)
        assert bag.npartitions > 2  # blocks of one file: line numbers carried across them
        got = bag.compute()
        got_csv = read_corpus_bag(str(csv_path)).compute()
    expected = load_corpus(files, cache=False).docs
    assert [r["doc_id"] for r in got] == expected["doc_id"].tolist()
    assert expected["doc_id"].tolist()[:2] == ["2016-05/news-1", "2016-05/news-3"]
    assert [r["doc_id"] for r in got_csv] == load_corpus(csv_path, cache=False).docs["doc_id"].tolist()
    assert [r["raw"] for r in got_csv] == [r["text"] for r in no_id[:2]]

    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(rows[0], ensure_ascii=False) + '\n{"id": "x", "text": 7}\n', encoding="utf-8")
    for read in (lambda: read_corpus_bag(str(bad)).compute(scheduler="sync"), lambda: load_corpus(bad, cache=False)):
        with pytest.raises(CorpusError, match=r"bad\.jsonl:2: 'text' is a number \(7\), not text"):
            read()


def test_cluster_near_duplicate_candidates_equal_in_memory(client, local_reference):
    """Banding shuffled across partitions on two workers gives exactly the in-memory LSH candidates."""
    from helpers import reprints as rp
    from helpers.distributed import near_duplicate_candidates
    from helpers.validation.reprints import make_reprint_benchmark

    ids, texts, _ = local_reference
    texts, ids, _, truth = make_reprint_benchmark(texts, doc_ids=ids, n_stories=30, n_site_pages=10, seed=0)
    titles = [json.loads(x)["title"] for x in SAMPLE.read_text(encoding="utf-8").splitlines()[:4]]
    texts, ids = texts + titles, ids + [f"title-{i}" for i in range(len(titles))]  # too short to be tested
    bag = records_bag([{"id": i, "text": t} for i, t in zip(ids, texts)], npartitions=4)
    pairs, doc_ids, short = near_duplicate_candidates(bag, client=client, field="raw")
    assert doc_ids == ids

    settings = {"k": 5, "min_paragraph_chars": 15, "drop_template": False, "max_df": 0.2, "min_max_df": 30}
    shingled = rp.shingle_documents(texts, settings)
    sig = rp.minhash_signatures(shingled.values, shingled.offsets, num_perm=128, seed=0)
    tested = np.diff(shingled.offsets) >= rp.MIN_SHARED_SHINGLES  # find_near_duplicates' candidates
    expected = np.concatenate(list(rp.candidate_blocks(sig, tested, lsh_threshold=0.2)))
    assert len(expected) > len(truth) / 2  # reprints of 30 stories: a real set of candidates
    np.testing.assert_array_equal(pairs, expected)
    np.testing.assert_array_equal(short, shingled.short)  # notebook 04's n_short
    assert {ids[i] for i in short} >= {f"title-{i}" for i in range(len(titles))}
    assert not set(pairs.ravel().tolist()) & set(short.tolist())

    import dask

    with dask.config.set(scheduler="sync"):  # without a client: Dask's local scheduler, the same pairs
        again = near_duplicate_candidates(bag, field="raw")
    np.testing.assert_array_equal(again.pairs, expected)
    np.testing.assert_array_equal(again.short, short)
    with pytest.raises(TypeError, match="unknown settings.*'threshold'"):
        near_duplicate_candidates(bag, threshold=0.5)


def test_ids_from_a_column_named_like_an_id_as_load_corpus_chooses_them(tmp_path):
    """A JSONL file (read in several blocks) and a CSV whose ids are in 编号: the same ids and the same note as
    load_corpus, through the same function (helpers.corpus.table_id_column)."""
    import dask

    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()[:8]]
    numbered = [{"编号": r["id"], "title": r["title"], "text": r["text"]} for r in rows]
    jsonl = tmp_path / "numbered.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in numbered), encoding="utf-8")
    repeated = tmp_path / "repeated.csv"
    pd = pytest.importorskip("pandas")
    pd.DataFrame([{**r, "编号": "same"} for r in numbered[:3]]).to_csv(repeated, index=False)
    found = {}
    for path, blocksize in ((jsonl, 4_000), (repeated, None)):
        with pytest.warns(UserWarning) as ours, dask.config.set(scheduler="sync"):
            bag = read_corpus_bag(str(path), blocksize=blocksize)
            got = [r["doc_id"] for r in bag.compute()]
        with pytest.warns(UserWarning) as theirs:
            expected = load_corpus(path, cache=False, errors="report").docs["doc_id"].tolist()
        assert got == expected
        notes = [str(w.message) for w in ours if "编号" in str(w.message)]
        assert notes == [str(w.message) for w in theirs if "编号" in str(w.message)] and len(notes) == 1
        found[path.suffix] = (bag.npartitions, got, notes[0])
    parts, got, note = found[".jsonl"]
    assert parts > 2 and got == [r["id"] for r in rows] and "ids read from '编号'" in note  # ids across blocks
    parts, got, note = found[".csv"]
    assert all(i.startswith("repeated-") for i in got) and "'编号' not used as ids" in note
