"""The pipeline of notebooks 01–04 on a corpus larger than memory: every stage reads its input from disk and
writes its output to disk, a chunk of documents at a time.

Stages and the files they write in a run folder (each composes the project's own helpers, so the results are
those of the in-memory path: :func:`compare_with_memory` checks it output by output):

``load``            a JSONL file → ``docs.parquet`` (row groups of cleaned documents, no ``raw`` column) and
                    ``report.parquet`` (the cleaning report of :func:`helpers.corpus.load_corpus`). Cleaning runs
                    chunk by chunk; what ``load_corpus`` does across the corpus is reproduced from statistics of a
                    first pass: duplicate ids (a set of ids), site-template lines (64-bit hashes of every line,
                    counted; only the documents holding a line found in enough documents are judged, a line no
                    other document holds standing in as a short unique string).
``tokens``          ``tokens.parquet`` (one ``list<string>`` a document): :func:`helpers.tokenize.tokenize_corpus`
                    per chunk with the tokenizer it would use on the whole corpus (the corpus's own terms, found
                    once on the sample :func:`helpers.terms.find_corpus_terms` reads).
``tfidf``           ``tfidf.npz`` + ``vocabulary.json`` + ``keywords.parquet``: two streamed passes (document
                    frequencies → vocabulary with ``min_df``/``max_df`` → CSR rows per chunk), the same matrix as
                    :func:`helpers.similarity.fit_tfidf` (``bigrams=False``); the top keywords of each row.
``lda``             ``topic_word.npy``, ``doc_topics.npy``: :func:`helpers.topics.build_dictionary` and
                    :func:`helpers.topics.fit_lda` fed from the token file (tomotopy keeps the tokens in C++).
``neighbours``      ``neighbours.npz``: :func:`helpers.neighbours.nearest_neighbours` on the TF-IDF rows (exact,
                    sparse) below :data:`helpers.neighbours.APPROXIMATE_MIN_DOCS` documents, on LSI rows above
                    (HNSW, its recall on a sample recorded).
``near_duplicates`` ``near_duplicates.json``, ``pairs.parquet``, ``clusters.parquet``, ``identical.parquet``: the
                    steps of :func:`helpers.reprints.find_near_duplicates` with per-chunk shingle files and MinHash
                    signatures; template paragraphs and shingle document frequencies from streamed statistics.
                    The summary counts the documents too short to be tested (``n_short``) and says so in the
                    sentence notebook 04 shows (``summary``: :meth:`helpers.reprints.NearDuplicates.summary`).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .corpus import (
    REPORT_COLUMNS,
    TEMPLATE_MIN_DOCS,
    TEMPLATE_MIN_LINE_CHARS,
    CorpusError,
    LoadLog,
    RecordFingerprint,
    SourceRecord,
    clean_many,
    corpus_inventory,
    document_lines,
    duplicate_id_error,
    finish_document,
    jsonl_rows,
    records_from_rows,
    report_frame,
    site_template_lines,
    table_id_column,
)

__all__ = [
    "StreamSettings",
    "STAGES",
    "run_stage",
    "read_docs",
    "read_report",
    "TokenFile",
    "top_terms_per_row",
    "neighbour_rows",
    "compare_with_memory",
]

STAGES = ("load", "tokens", "tfidf", "lda", "neighbours", "near_duplicates")
#: 64-bit hashes stand for lines and paragraphs in the corpus-wide counts (a collision among 10^8 units has a
#: probability of about 3e-4, and could only add a holder to the documents judged, never change a judgement)
HASH_BYTES = 8
#: above this many documents the LSI of the neighbours stage is fitted on a random sample of this many rows and
#: applied to all (the randomized SVD of every row needs several dense n x 200 float64 arrays: ~7 GB at 10^6)
LSI_FIT_MAX_ROWS = 200_000
#: shingle document frequencies are merged in this many ranges of the 32-bit hash space (memory / this)
SHINGLE_DF_PARTS = 16


@dataclass
class StreamSettings:
    """Settings of a streamed run (recorded in its ``settings.json``).

    ``tfidf_*`` are :func:`helpers.similarity.fit_tfidf`'s (single words: bigrams of a million documents would
    not fit the memory budget); ``dictionary``, ``lda`` and ``doc_topics`` are passed to
    :func:`helpers.topics.build_dictionary`, :func:`helpers.topics.fit_lda` and
    :func:`helpers.topics.doc_topic_matrix` (notebook 03's settings come from the caller; ``{"from_fit": True}``
    reads the document topics from the fitted sampler instead of inferring them again); ``near_duplicates``
    overrides :func:`helpers.reprints.find_near_duplicates`'s defaults.
    """

    chunk: int = 20_000
    n_jobs: int = 2
    text_column: str = "text"
    id_column: str = "id"
    errors: str = "report"
    tfidf_min_df: int = 2
    tfidf_max_df: float = 0.5
    keywords: int = 10
    num_topics: int = 10
    dictionary: dict | None = None
    lda: dict | None = None
    doc_topics: dict | None = None
    neighbours: int = 10
    near_duplicates: dict | None = None


def run_stage(stage: str, source: str | os.PathLike[str], run_dir: str | os.PathLike[str], s: StreamSettings) -> dict:
    """Run one stage of :data:`STAGES` (its inputs are the files of the stages before it); returns its summary."""
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    if stage == "load":
        return stream_load(source, run_dir, s)
    steps = {
        "tokens": stream_tokens,
        "tfidf": stream_tfidf,
        "lda": stream_lda,
        "neighbours": stream_neighbours,
        "near_duplicates": stream_near_duplicates,
    }
    return steps[stage](run_dir, s)


# --- Parquet in row groups -----------------------------------------------------------------------------------
def _batches(path: Path, columns: list[str], size: int) -> Iterator[pd.DataFrame]:
    import pyarrow.parquet as pq

    for batch in pq.ParquetFile(path).iter_batches(batch_size=size, columns=columns):
        yield batch.to_pandas()


class _Writer:
    """Appends DataFrames to one Parquet file as row groups (the schema is the first frame's, or ``schema``)."""

    def __init__(self, path: Path, schema=None) -> None:
        self.path, self.tmp, self.schema, self.writer = path, path.with_suffix(".tmp"), schema, None

    def write(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, schema=self.schema, preserve_index=False)
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.tmp, table.schema)
        self.writer.write_table(table)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.tmp.replace(self.path)


def _schema(columns: Sequence[str], integers: Sequence[str] = ()):
    """A Parquet schema of text columns (and ``integers``): fixed, so that a chunk of all-empty values keeps it."""
    import pyarrow as pa

    return pa.schema([(c, pa.int64() if c in integers else pa.large_string()) for c in columns])


def _hash(unit: str) -> int:
    return int.from_bytes(hashlib.blake2b(unit.encode("utf-8"), digest_size=HASH_BYTES).digest(), "little")


def _frequent_holders(
    hashes: list[np.ndarray], docs: list[np.ndarray], min_docs: int, eligible: list[np.ndarray] | None = None
) -> tuple[set[int], np.ndarray]:
    """Documents holding a unit (hash; one that is ``eligible``) that ``min_docs`` or more documents hold (each
    document lists a unit once), and the sorted hashes of the units held by two or more documents."""
    h = np.concatenate(hashes) if hashes else np.empty(0, np.uint64)
    d = np.concatenate(docs) if docs else np.empty(0, np.int64)
    values, inverse, counts = np.unique(h, return_inverse=True, return_counts=True)
    frequent = counts[inverse] >= min_docs
    if eligible is not None:
        frequent &= np.concatenate(eligible) if eligible else np.empty(0, bool)
    return set(np.unique(d[frequent]).tolist()), values[counts >= 2]


# --- load ----------------------------------------------------------------------------------------------------
_CLEANED_COLUMNS = ("doc_id", "path", "line", "extra", "text", "title", "date", "source", "changes")
_DOCS_COLUMNS = ("doc_id", "path", "title", "date", "source", "text")


def _file_rows(path: Path) -> Iterator[tuple[int, object]]:
    """``(line, parsed object or CorpusError)`` of each non-blank line of a JSONL file, read line by line."""
    with open(path, encoding="utf-8-sig", newline="\n") as fh:
        for i, line in enumerate(fh, start=1):
            yield from jsonl_rows(line, path.name, first_line=i)


def _id_column(path: Path, s: StreamSettings, log: LoadLog) -> str:
    """The column the ids are read from, chosen as :func:`helpers.corpus.load_corpus` chooses it
    (:func:`helpers.corpus.table_id_column`, its note in ``log``): the file's fields are read first, up to the
    first row holding ``s.id_column``, and its values only when a column named like an id has to be judged."""
    columns: dict[str, None] = {}
    for _, obj in _file_rows(path):
        if isinstance(obj, dict):
            columns.update(dict.fromkeys(map(str, obj)))
            if s.id_column in columns:
                break
    return table_id_column(path.name, list(columns), _file_rows(path), s.id_column, log)


def _record_chunks(path: Path, s: StreamSettings, log: LoadLog, dups: list) -> Iterator[list[SourceRecord]]:
    """The records of a JSONL file, ``s.chunk`` at a time: bad lines to ``log``, repeated ids to ``dups`` (reported
    after every read error, as :func:`helpers.corpus.load_corpus` does)."""
    label, seen, chunk = path.name, {}, []
    id_column = _id_column(path, s, log)
    with open(path, encoding="utf-8-sig", newline="\n") as fh:
        for i, line in enumerate(fh, start=1):
            for rec in records_from_rows(jsonl_rows(line, label, first_line=i), label, text_column=s.text_column,
                                         id_column=id_column):  # fmt: skip
                if isinstance(rec, CorpusError):
                    log.fail(rec)
                    continue
                if rec.doc_id in seen:
                    dups.append((duplicate_id_error(rec, seen[rec.doc_id]), rec.doc_id))
                    continue
                seen[rec.doc_id] = RecordFingerprint.of(rec)
                chunk.append(rec)
                if len(chunk) >= s.chunk:
                    yield chunk
                    chunk = []
    if chunk:
        yield chunk


def _clean_pass(path: Path, run_dir: Path, s: StreamSettings, log: LoadLog) -> tuple[int, tuple, list]:
    """Pass 1: clean every record into ``cleaned.parquet``; count eligible lines for the site template."""
    out = _Writer(run_dir / "cleaned.parquet", _schema(_CLEANED_COLUMNS, ["line"]))
    dups, hashes, holders, eligible, n = [], [], [], [], 0
    for recs in _record_chunks(path, s, log, dups):
        cleaned = clean_many([r.raw for r in recs], s.n_jobs, False)
        lines = [document_lines(c[0]) for c in cleaned]
        found = [(n + k, _hash(x), len(x) >= TEMPLATE_MIN_LINE_CHARS) for k, ls in enumerate(lines) if len(ls) > 1
                 for x in ls]  # fmt: skip
        holders.append(np.array([f[0] for f in found], dtype=np.int64))
        hashes.append(np.array([f[1] for f in found], dtype=np.uint64))
        eligible.append(np.array([f[2] for f in found], dtype=bool))
        frame = pd.DataFrame(
            {
                "doc_id": [r.doc_id for r in recs],
                "path": [r.path for r in recs],
                "line": [r.line for r in recs],
                "extra": [json.dumps(r.extra, ensure_ascii=False) for r in recs],
                "text": [c[0] for c in cleaned],
                "title": [c[1] for c in cleaned],
                "date": [c[2] for c in cleaned],
                "source": [c[3] for c in cleaned],
                "changes": [json.dumps(c[4], ensure_ascii=False) for c in cleaned],
            }
        )
        out.write(frame)
        n += len(recs)
    out.close()
    return n, _frequent_holders(hashes, holders, TEMPLATE_MIN_DOCS, eligible), dups


def _template(run_dir: Path, n: int, holders: set[int], repeated: np.ndarray, chunk: int) -> set[str]:
    """The site-template lines, judged on the documents that hold a frequent line (the others cannot matter). A
    line no other document holds is passed as a short stand-in unique to it: it can only count as a holder's own
    text, and the documents' text is not held in memory."""
    doc_lines, start = [], 0
    for frame in _batches(run_dir / "cleaned.parquet", ["text"], chunk):
        for k, text in enumerate(frame["text"], start):
            if k in holders:
                lines = document_lines(text)
                known = _contains(repeated, np.array([_hash(x) for x in lines], dtype=np.uint64))
                doc_lines.append([x if seen else f"\0{k}:{j}" for j, (x, seen) in enumerate(zip(lines, known))])
        start += len(frame)
    return site_template_lines(doc_lines, n_docs=n)


def _contains(ordered: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Which ``values`` are in the sorted array ``ordered``."""
    if not len(ordered):
        return np.zeros(len(values), dtype=bool)
    return ordered[np.minimum(np.searchsorted(ordered, values), len(ordered) - 1)] == values


def _document_rows(frame: pd.DataFrame, template: set[str], log: LoadLog) -> list[dict]:
    """Pass 2 for one chunk of ``cleaned.parquet``: the document rows of :func:`helpers.corpus.finish_document`."""
    rows = []
    for r in frame.itertuples(index=False):
        line = None if pd.isna(r.line) else int(r.line)
        rec = SourceRecord(doc_id=r.doc_id, path=r.path, line=line, raw="", extra=json.loads(r.extra))
        found = tuple(None if pd.isna(v) else v for v in (r.title, r.date, r.source))
        row = finish_document(rec, (r.text, *found, json.loads(r.changes)), template, log, False)
        if row is not None:
            rows.append(row)
    return rows


def _docs_frame(rows: list[dict]) -> pd.DataFrame:
    """The stored form of document rows: fixed columns, the other fields as one JSON object (``fields``)."""
    fixed = _DOCS_COLUMNS
    return pd.DataFrame(
        {
            **{c: [None if r[c] is None else str(r[c]) for r in rows] for c in fixed},
            "fields": [json.dumps({k: v for k, v in r.items() if k not in fixed and k != "raw"}, ensure_ascii=False)
                       for r in rows],
        }
    )  # fmt: skip


def stream_load(source, run_dir: Path, s: StreamSettings) -> dict:
    """The ``load`` stage: ``docs.parquet`` and ``report.parquet`` from a JSONL file, a chunk at a time."""
    inv = corpus_inventory(source)
    if len(inv.explicit) != 1 or inv.explicit[0].suffix.lower() not in (".jsonl", ".ndjson"):
        raise ValueError(f"{source}: streaming reads one JSONL file; use helpers.corpus.load_corpus for folders")
    log = LoadLog(inv, s.errors)
    head = len(log.rows)
    n, (holders, repeated), dups = _clean_pass(inv.explicit[0], run_dir, s, log)
    for err, doc_id in dups:
        log.fail(err, doc_id)
    template = _template(run_dir, n, holders, repeated, s.chunk)
    docs = _Writer(run_dir / "docs.parquet", _schema([*_DOCS_COLUMNS, "fields"]))
    report = _Writer(run_dir / "report.parquet", _schema(REPORT_COLUMNS, ["line", "chars"]))
    report.write(report_frame(log.rows))
    n_docs, log.rows = 0, []
    for frame in _batches(run_dir / "cleaned.parquet", None, s.chunk):
        rows = _document_rows(frame, template, log)
        n_docs += len(rows)
        if rows:
            docs.write(_docs_frame(rows))
        if log.rows:
            report.write(report_frame(log.rows))
            log.rows = []
    docs.close()
    report.close()
    (run_dir / "cleaned.parquet").unlink()
    summary = {"records": n, "documents": n_docs, "template_lines": len(template), "holders": len(holders),
               "report_rows_before_documents": head, "warnings": log.warnings,
               "notes": log.notes}  # fmt: skip
    return summary


def read_docs(run_dir: str | os.PathLike[str], columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The documents of a run's ``docs.parquet`` (every stored field expanded back into columns)."""
    frame = pd.read_parquet(Path(run_dir) / "docs.parquet", columns=list(columns) if columns else None)
    if "fields" in frame.columns:
        extra = pd.DataFrame([json.loads(x) for x in frame.pop("fields")], index=frame.index)
        frame = pd.concat([frame, extra], axis=1)
    return frame


def read_report(run_dir: str | os.PathLike[str]) -> pd.DataFrame:
    """The cleaning report of a run, as :func:`helpers.corpus.load_corpus` returns it."""
    frame = pd.read_parquet(Path(run_dir) / "report.parquet")
    return report_frame(frame.astype(object).where(frame.notna(), None).to_dict("records"))


# --- tokens --------------------------------------------------------------------------------------------------
def _corpus_tokenizer(run_dir: Path, chunk: int):
    """The tokenizer :func:`helpers.tokenize.tokenize_corpus` uses on the whole corpus: the default one with the
    terms :func:`helpers.terms.find_corpus_terms` finds in it, on the sample :func:`helpers.terms.sample_texts`
    draws (the corpus's length read first, then the sampled texts kept in one streamed pass)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from .terms import find_corpus_terms, sample_texts
    from .tokenize import get_default_tokenizer

    docs = pq.ParquetFile(run_dir / "docs.parquet")
    total = sum(pc.sum(pc.utf8_length(b.column(0))).as_py() or 0 for b in docs.iter_batches(chunk, columns=["text"]))
    texts = (t for frame in _batches(run_dir / "docs.parquet", ["text"], chunk) for t in frame["text"])
    tk = get_default_tokenizer()
    terms = [t.term for t in find_corpus_terms(sample_texts(texts, total_chars=total), tokenizer=tk, sampled=True)]
    return (tk.with_terms(terms) if terms else tk), terms


def stream_tokens(run_dir: Path, s: StreamSettings) -> dict:
    """The ``tokens`` stage: ``tokens.parquet``, one list of tokens a document (no token cache: one pass), by the
    tokenizer that keeps the corpus's own terms whole (:func:`_corpus_tokenizer`)."""
    import pyarrow as pa

    from .tokenize import tokenize_corpus

    tk, terms = _corpus_tokenizer(run_dir, s.chunk)
    out, n, n_tokens = _Writer(run_dir / "tokens.parquet", pa.schema([("tokens", pa.list_(pa.string()))])), 0, 0
    for frame in _batches(run_dir / "docs.parquet", ["text"], s.chunk):
        texts = frame["text"].tolist()
        tokens = tokenize_corpus(texts, n_jobs=s.n_jobs, cache=False, progress=False, tokenizer=tk, corpus_terms=False)
        out.write(pd.DataFrame({"tokens": tokens}))
        n, n_tokens = n + len(tokens), n_tokens + sum(map(len, tokens))
    out.close()
    return {"documents": n, "tokens": n_tokens, "corpus_terms": terms}


class TokenFile:
    """A re-iterable stream of the token lists of a run's ``tokens.parquet`` (one chunk in memory at a time).

    Parameters
    ----------
    path : path of a ``tokens.parquet`` file
    chunk : int
        Documents read at a time.
    """

    def __init__(self, path: str | os.PathLike[str], *, chunk: int = 20_000) -> None:
        import pyarrow.parquet as pq

        self.path, self.chunk = Path(path), chunk
        self.n = pq.ParquetFile(self.path).metadata.num_rows

    def __len__(self) -> int:
        return self.n

    def __iter__(self) -> Iterator[list[str]]:
        for frame in _batches(self.path, ["tokens"], self.chunk):
            for tokens in frame["tokens"]:
                yield tokens.tolist()

    def chunks(self) -> Iterator[list[list[str]]]:
        """The token lists, a chunk at a time."""
        for frame in _batches(self.path, ["tokens"], self.chunk):
            yield [t.tolist() for t in frame["tokens"]]


# --- TF-IDF and keywords -------------------------------------------------------------------------------------
def _vocabulary(tokens: TokenFile, min_df: int, max_df: float) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Pass 1: document frequencies; the terms ``fit_tfidf`` keeps (sorted, as scikit-learn sorts them), their
    frequencies, and the order in which each first occurs in the corpus (see :func:`_in_fitted_order`)."""
    from .similarity import DF_LIMITS_MIN_DOCS

    df: Counter = Counter()  # keys in order of first occurrence, as scikit-learn numbers terms while counting
    for chunk in tokens.chunks():
        for t in chunk:
            df.update(dict.fromkeys(t, 1))
    n = len(tokens)
    low, high = (min_df, max_df * n) if n >= DF_LIMITS_MIN_DOCS else (1, n)
    first = {t: i for i, t in enumerate(df)}
    vocab = sorted(t for t, c in df.items() if low <= c <= high)
    return vocab, np.array([df[t] for t in vocab], dtype=np.int64), np.array([first[t] for t in vocab])


def _in_fitted_order(X: sp.csr_matrix, first: np.ndarray) -> sp.csr_matrix:
    """``X`` with each row's entries in the order ``TfidfVectorizer.fit_transform`` leaves them (by the terms' first
    occurrence in the corpus), so that products summed in storage order give the in-memory path's floats."""
    rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    order = np.lexsort((first[X.indices], rows))
    X.indices, X.data = X.indices[order], X.data[order]
    X.has_sorted_indices = False
    return X


def _transformer(dfs: np.ndarray, n: int):
    """A ``TfidfTransformer`` (sublinear tf, L2) holding the IDF that its ``fit`` computes from these document
    frequencies of ``n`` documents (smoothed, float32, in scikit-learn's order of operations)."""
    from sklearn.feature_extraction.text import TfidfTransformer

    df = dfs.astype(np.float32) + np.float32(1.0)
    idf = np.full_like(df, fill_value=n + 1, dtype=np.float32)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    transformer = TfidfTransformer(sublinear_tf=True, norm="l2")
    transformer.idf_, transformer.n_features_in_ = idf, len(dfs)
    return transformer


def top_terms_per_row(X: sp.csr_matrix, vocab: Sequence[str], k: int) -> list[list[str]]:
    """The ``k`` highest-weighted terms of each row of a CSR matrix (ties: the earlier term), without densifying."""
    X = X if X.has_sorted_indices else X.sorted_indices()
    out = []
    for i in range(X.shape[0]):
        lo, hi = X.indptr[i], X.indptr[i + 1]
        top = np.argsort(-X.data[lo:hi], kind="stable")[:k]
        out.append([vocab[c] for c in X.indices[lo:hi][top]])
    return out


def stream_tfidf(run_dir: Path, s: StreamSettings) -> dict:
    """The ``tfidf`` stage: ``tfidf.npz``, ``vocabulary.json`` and the top keywords of every document."""
    from sklearn.feature_extraction.text import CountVectorizer

    tokens = TokenFile(run_dir / "tokens.parquet", chunk=s.chunk)
    vocab, dfs, first = _vocabulary(tokens, s.tfidf_min_df, s.tfidf_max_df)
    counter = CountVectorizer(analyzer=list, lowercase=False, vocabulary=vocab, dtype=np.float32)
    transformer = _transformer(dfs, len(tokens))
    parts, keywords = [], _Writer(run_dir / "keywords.parquet")
    for c, chunk in enumerate(tokens.chunks()):
        X = _in_fitted_order(transformer.transform(counter.transform(chunk)).tocsr(), first)
        parts.append(run_dir / f"tfidf_part_{c}.npz")
        sp.save_npz(parts[-1], X, compressed=False)
        keywords.write(pd.DataFrame({"keywords": top_terms_per_row(X, vocab, s.keywords)}))
    keywords.close()
    X = _stack_rows(parts, len(vocab))
    sp.save_npz(run_dir / "tfidf.npz", X, compressed=False)
    (run_dir / "vocabulary.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    return {"documents": X.shape[0], "terms": X.shape[1], "nnz": int(X.nnz)}


def _stack_rows(parts: list[Path], n_terms: int) -> sp.csr_matrix:
    """The CSR matrices of ``parts`` (files, deleted once read) stacked into arrays allocated once (``sp.vstack``
    would hold every part and the result at the same time)."""
    shapes = [np.load(f)["indptr"][-1] for f in parts]
    rows = [int(np.load(f)["shape"][0]) for f in parts]
    indptr = np.zeros(sum(rows) + 1, dtype=np.int64)
    indices, data = np.empty(int(sum(shapes)), dtype=np.int32), np.empty(int(sum(shapes)), dtype=np.float32)
    r = v = 0
    for f, nnz, m in zip(parts, shapes, rows):
        X = sp.load_npz(f)
        indptr[r + 1 : r + m + 1] = X.indptr[1:] + v
        indices[v : v + nnz], data[v : v + nnz] = X.indices, X.data
        r, v = r + m, v + nnz
        f.unlink()
    return sp.csr_matrix((data, indices, indptr), shape=(sum(rows), n_terms))


# --- topics --------------------------------------------------------------------------------------------------
class _BowStream:
    """Bag-of-words vectors of a :class:`TokenFile`, re-iterable (gensim reads it once per pass)."""

    def __init__(self, tokens: TokenFile, dictionary) -> None:
        self.tokens, self.dictionary = tokens, dictionary

    def __len__(self) -> int:
        return len(self.tokens)

    def __iter__(self):
        return (self.dictionary.doc2bow(t) for t in self.tokens)


def _rss_mb() -> float:
    """This process's resident memory now (``VmRSS``), in MB; 0 where ``/proc`` is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            return next(int(x.split()[1]) for x in fh if x.startswith("VmRSS:")) / 1024
    except (OSError, StopIteration):
        return 0.0


def stream_lda(run_dir: Path, s: StreamSettings) -> dict:
    """The ``lda`` stage: the dictionary and the model from the token file; ``topic_word.npy``, ``doc_topics.npy``."""
    from .topics import build_dictionary, doc_topic_matrix, fit_lda

    tokens = TokenFile(run_dir / "tokens.parquet", chunk=s.chunk)
    dictionary, report = build_dictionary(tokens, **(s.dictionary or {}))
    bow = _BowStream(tokens, dictionary)
    before, start = _rss_mb(), time.perf_counter()
    model = fit_lda(bow, dictionary, num_topics=s.num_topics, **(s.lda or {}))
    model_mb, fitted = _rss_mb() - before, time.perf_counter()
    np.save(run_dir / "topic_word.npy", model.get_topics())
    np.save(run_dir / "doc_topics.npy", doc_topic_matrix(model, bow, **(s.doc_topics or {})))
    return {**report, "model_mb": round(model_mb, 1), "model_bytes_per_doc": round(model_mb * 2**20 / len(tokens)),
            "fit_s": round(fitted - start, 1), "doc_topics_s": round(time.perf_counter() - fitted, 1)}  # fmt: skip


class _StepClock:
    """Seconds of each step of a stage, for its summary (where the time goes at scale)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.last = time.perf_counter()

    def step(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name], self.last = round(now - self.last, 1), now


# --- neighbours ----------------------------------------------------------------------------------------------
def neighbour_rows(X: sp.csr_matrix):
    """The rows neighbours are searched on: the TF-IDF rows (exact sparse search), or from
    :data:`helpers.neighbours.APPROXIMATE_MIN_DOCS` documents on their LSI rows (HNSW: exact sparse search grows as
    n²). Returns ``(rows, "tfidf" or "lsi")``."""
    from sklearn.preprocessing import normalize

    from .neighbours import APPROXIMATE_MIN_DOCS
    from .similarity import fit_lsi

    n = X.shape[0]
    if n < APPROXIMATE_MIN_DOCS:
        return X, "tfidf"
    if n <= LSI_FIT_MAX_ROWS:
        return fit_lsi(X)[1], "lsi"
    sample = np.sort(np.random.default_rng(0).choice(n, LSI_FIT_MAX_ROWS, replace=False))
    svd = fit_lsi(X[sample])[0]
    Z = np.vstack([svd.transform(X[lo : lo + LSI_FIT_MAX_ROWS]) for lo in range(0, n, LSI_FIT_MAX_ROWS)])
    return normalize(Z, copy=False), f"lsi fitted on {LSI_FIT_MAX_ROWS:,} rows"


def stream_neighbours(run_dir: Path, s: StreamSettings) -> dict:
    """The ``neighbours`` stage: :func:`helpers.neighbours.nearest_neighbours` on :func:`neighbour_rows`."""
    from .neighbours import nearest_neighbours

    clock = _StepClock()
    V, rows = neighbour_rows(sp.load_npz(run_dir / "tfidf.npz").tocsr())
    clock.step("rows_s")
    nb = nearest_neighbours(V, k=s.neighbours)
    np.savez(run_dir / "neighbours.npz", indices=nb.indices, scores=nb.scores)
    clock.step("search_s")
    return {"rows": rows, "method": nb.method, "engine": nb.engine, "recall": nb.recall, "steps": clock.seconds}


# --- near-duplicates -----------------------------------------------------------------------------------------
def _duplicate_settings(s: StreamSettings) -> dict:
    """:func:`helpers.reprints.find_near_duplicates`'s settings: its defaults, with the run's overrides."""
    import inspect

    from .reprints import find_near_duplicates

    params = inspect.signature(find_near_duplicates).parameters
    settings = {k: p.default for k, p in params.items() if p.kind is p.KEYWORD_ONLY and k not in ("doc_ids", "dates")}
    return {**settings, **(s.near_duplicates or {})}


class _ShingleFiles:
    """Each chunk's shingles (``values``, ``offsets`` of :func:`helpers.reprints.doc_shingle_arrays`) on disk; reads
    a document's shingles by its index, keeping the last few chunks in memory."""

    def __init__(self, folder: Path, starts: list[int], dropped: dict, keep: int = 2) -> None:
        self.folder, self.starts, self.dropped, self.keep, self.loaded = folder, np.array(starts), dropped, keep, {}

    def chunk_of(self, i):
        return np.searchsorted(self.starts, i, side="right") - 1

    def load(self, c: int) -> tuple[np.ndarray, np.ndarray]:
        if c in self.loaded:  # least recently used last out
            self.loaded[c] = self.loaded.pop(c)
        else:
            if len(self.loaded) >= self.keep:
                self.loaded.pop(next(iter(self.loaded)))
            self.loaded[c] = (np.load(self.folder / f"values_{c}.npy"), np.load(self.folder / f"offsets_{c}.npy"))
        return self.loaded[c]

    def mapped(self, c: int) -> tuple[np.ndarray, np.ndarray]:
        """Chunk ``c``'s ``values, offsets``, memory-mapped (no copy in the process; the mapping, and the pages it
        counts in the process's memory, go when the caller drops the arrays)."""
        return tuple(np.asarray(np.load(self.folder / f"{n}_{c}.npy", mmap_mode="r")) for n in ("values", "offsets"))

    def doc(self, i: int) -> np.ndarray:
        c = int(self.chunk_of(i))
        values, offsets = self.load(c)
        k = i - self.starts[c]
        return values[offsets[k] : offsets[k + 1]]

    def size(self, i: int) -> int:
        return len(self.doc(i))


def _paragraph_pass(run_dir: Path, s: StreamSettings, nd: dict) -> tuple[set[str], list[int]]:
    """Normalised paragraphs of every document into ``paragraphs.parquet``; the template paragraphs, judged on
    the documents holding a paragraph found in enough documents (the others cannot change the result)."""
    import inspect

    import pyarrow as pa

    from .reprints import normalized_paragraphs, template_paragraphs

    min_docs = inspect.signature(template_paragraphs).parameters["min_docs"].default
    out = _Writer(run_dir / "paragraphs.parquet", pa.schema([("paragraphs", pa.list_(pa.string()))]))
    hashes, docs, starts, n = [], [], [], 0
    for frame in _batches(run_dir / "docs.parquet", ["text"], s.chunk):
        paras = normalized_paragraphs(frame["text"].tolist(), nd["min_paragraph_chars"])
        docs.append(np.repeat(np.arange(n, n + len(paras), dtype=np.int64), [len(p) for p in paras]))
        hashes.append(np.array([_hash(x) for p in paras for x in p], dtype=np.uint64))
        out.write(pd.DataFrame({"paragraphs": paras}))
        starts.append(n)
        n += len(paras)
    out.close()
    if not nd["drop_template"]:
        return set(), starts
    holders = _frequent_holders(hashes, docs, min_docs)[0]
    del hashes, docs
    held, start = [], 0
    for frame in _batches(run_dir / "paragraphs.parquet", ["paragraphs"], s.chunk):
        held += [p.tolist() for k, p in enumerate(frame["paragraphs"], start) if k in holders]
        start += len(frame)
    return template_paragraphs(held, k=nd["k"]), starts


def _shingle_pass(run_dir: Path, folder: Path, s: StreamSettings, nd: dict, template: set[str]) -> int:
    """Each chunk's shingles without template paragraphs, and their document frequencies in the chunk."""
    from .reprints import doc_shingle_arrays, without_template

    kept_whole = 0
    for c, frame in enumerate(_batches(run_dir / "paragraphs.parquet", ["paragraphs"], s.chunk)):
        paras, whole = without_template([p.tolist() for p in frame["paragraphs"]], template)
        kept_whole += whole
        values, offsets = doc_shingle_arrays(paras, k=nd["k"])
        np.save(folder / f"values_{c}.npy", values)
        np.save(folder / f"offsets_{c}.npy", offsets)
        u, counts = np.unique(values, return_counts=True)
        np.save(folder / f"df_values_{c}.npy", u)
        np.save(folder / f"df_counts_{c}.npy", counts.astype(np.int64))
    return kept_whole


def _common_shingles(folder: Path, n_chunks: int, cutoff: int) -> np.ndarray:
    """Shingles held by more than ``cutoff`` documents: the chunks' frequencies summed range by range of the hash
    space (:data:`SHINGLE_DF_PARTS`), so that only a part of the distinct shingles is in memory at a time."""
    files = [(np.load(folder / f"df_values_{c}.npy", mmap_mode="r"), folder / f"df_counts_{c}.npy")
             for c in range(n_chunks)]  # fmt: skip
    common = []
    for p in range(SHINGLE_DF_PARTS):
        lo, hi = (p << 32) // SHINGLE_DF_PARTS, ((p + 1) << 32) // SHINGLE_DF_PARTS
        vals, cnts = [], []
        for u, counts_file in files:
            a, b = np.searchsorted(u, lo), np.searchsorted(u, hi)
            vals.append(np.array(u[a:b]))
            cnts.append(np.load(counts_file, mmap_mode="r")[a:b])
        v, inverse = np.unique(np.concatenate(vals), return_inverse=True)
        total = np.bincount(inverse, weights=np.concatenate(cnts), minlength=len(v))
        common.append(v[total > cutoff])
    return np.concatenate(common).astype(np.uint32)


def _signature_pass(folder: Path, starts: list[int], n_docs: int, nd: dict, common: np.ndarray):
    """Drop the common shingles from each chunk's file; the MinHash signatures of every document (filled in place:
    one ``n_docs x num_perm`` array), which documents have shingles, and which are too short to be tested (fewer
    than ``min_shared`` shingles left, as in :func:`helpers.reprints.shingle_documents`)."""
    from .reprints import drop_values, minhash_signatures

    sig = np.empty((n_docs, nd["num_perm"]), dtype=np.uint32)
    filled = np.zeros(n_docs, dtype=bool)
    short = []
    for c, lo in enumerate(starts):
        values, offsets = drop_values(np.load(folder / f"values_{c}.npy"), np.load(folder / f"offsets_{c}.npy"), common)
        np.save(folder / f"values_{c}.npy", values)
        np.save(folder / f"offsets_{c}.npy", offsets)
        hi = lo + len(offsets) - 1
        sig[lo:hi] = minhash_signatures(values, offsets, num_perm=nd["num_perm"], seed=nd["seed"])
        filled[lo:hi] = np.diff(offsets) > 0
        short.append(np.flatnonzero(np.diff(offsets) < nd["min_shared"]) + lo)
    return sig, filled, np.concatenate(short) if short else np.empty(0, dtype=np.int64)


def _identical_short(run_dir: Path, s: StreamSettings, template: set[str], short: np.ndarray) -> list[list[int]]:
    """:func:`helpers.reprints.identical_groups` of the ``short`` documents' paragraphs (template ones left out
    as :func:`helpers.reprints.without_template` does), read chunk by chunk from ``paragraphs.parquet``."""
    from .reprints import identical_groups, without_template

    wanted, keys, start = set(short.tolist()), {}, 0
    for frame in _batches(run_dir / "paragraphs.parquet", ["paragraphs"], s.chunk):
        mine = [k for k in range(start, start + len(frame)) if k in wanted]
        paras, _ = without_template([frame["paragraphs"].iloc[k - start].tolist() for k in mine], template)
        keys.update({k: "\n".join(p) for k, p in zip(mine, paras) if p})
        start += len(frame)
    return identical_groups(keys)


def _confirm(shingles: _ShingleFiles, candidates: np.ndarray, nd: dict) -> list[tuple]:
    """:func:`helpers.reprints.confirmed_pairs` on the chunk files, chunk pair by chunk pair (memory-mapped, read
    by the operating system's cache), in the candidates' order."""
    from .reprints import _confirmed_rows, confirm_arrays

    if not len(candidates):
        return []
    ca, cb = shingles.chunk_of(candidates[:, 0]), shingles.chunk_of(candidates[:, 1])
    order = np.lexsort((cb, ca))
    candidates, ca, cb = candidates[order], ca[order], cb[order]
    edges = np.r_[0, np.flatnonzero((np.diff(ca) != 0) | (np.diff(cb) != 0)) + 1, len(candidates)]
    found = []
    for lo, hi in zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True):
        a, b = int(ca[lo]), int(cb[lo])
        (va, oa), (vb, ob) = shingles.mapped(a), shingles.mapped(b)
        block = candidates[lo:hi]
        scores = confirm_arrays(va, oa, block[:, 0] - shingles.starts[a], vb, ob, block[:, 1] - shingles.starts[b],
                                threshold=nd["threshold"], min_length_ratio=nd["min_length_ratio"])  # fmt: skip
        found += _confirmed_rows(block, *scores)
    return sorted(found, key=lambda p: (p[0], p[1]))


class _MemberShingles:
    """The shingles of the documents in confirmed pairs, read once from the chunk files (for the clusters table)."""

    def __init__(self, shingles: _ShingleFiles, members: set[int]) -> None:
        self.dropped = shingles.dropped
        self.arrays = {i: shingles.doc(i).copy() for i in sorted(members)}

    def doc(self, i: int) -> np.ndarray:
        return self.arrays[i]

    def size(self, i: int) -> int:
        return len(self.arrays[i])


def stream_near_duplicates(run_dir: Path, s: StreamSettings) -> dict:
    """The ``near_duplicates`` stage: :func:`helpers.reprints.find_near_duplicates` step by step from disk."""
    import shutil

    from .reprints import _identical_table, candidate_blocks, max_df_cutoff, near_duplicates_result

    nd = _duplicate_settings(s)
    folder = run_dir / "shingles"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    clock = _StepClock()
    template, starts = _paragraph_pass(run_dir, s, nd)
    clock.step("paragraphs_s")
    kept_whole = _shingle_pass(run_dir, folder, s, nd, template)
    clock.step("shingles_s")
    meta = read_docs(run_dir, ["doc_id", "date"])
    cutoff = max_df_cutoff(len(meta), nd["max_df"], nd["min_max_df"])
    common = _common_shingles(folder, len(starts), cutoff)
    sig, filled, short = _signature_pass(folder, starts, len(meta), nd, common)
    clock.step("signatures_s")
    dropped = {"max_df_cutoff": cutoff, "n_dropped": len(common), "template_paragraphs": len(template),
               "documents_kept_whole": kept_whole}  # fmt: skip
    shingles = _ShingleFiles(folder, starts, dropped)
    confirmed, n_candidates, banding_s, confirm_s = [], 0, 0.0, 0.0
    blocks = candidate_blocks(sig, filled, lsh_threshold=nd["lsh_threshold"])
    while True:  # candidates block by block (their number grows about as n²), each confirmed and forgotten
        t0 = time.perf_counter()
        block = next(blocks, None)
        t1 = time.perf_counter()
        banding_s += t1 - t0
        if block is None:
            break
        n_candidates += len(block)
        confirmed += _confirm(shingles, block, nd)
        confirm_s += time.perf_counter() - t1
    del sig, blocks
    clock.step("candidates_and_confirm_s")
    clock.seconds.update(banding_s=round(banding_s, 1), confirm_s=round(confirm_s, 1))
    members = _MemberShingles(shingles, {i for p in confirmed for i in p[:2]})
    paired = sorted({i for p in confirmed for i in p[:2]})  # their texts tell one template, different events apart
    texts = dict(zip(paired, read_docs(run_dir, ["text"])["text"].iloc[paired].tolist())) if paired else {}
    result = near_duplicates_result(confirmed, members, meta["doc_id"].tolist(), meta["date"].tolist(), nd, texts=texts)
    result.n_short = len(short)  # not tested, counted and their identical texts listed as find_near_duplicates does
    groups = _identical_short(run_dir, s, template, short)
    listed = sorted({m for g in groups for m in g})  # the identical_texts table carries their texts
    listed_texts = dict(zip(listed, read_docs(run_dir, ["text"])["text"].iloc[listed].tolist())) if listed else {}
    result.identical = _identical_table(groups, meta["doc_id"].tolist(), listed_texts)
    for name in ("pairs", "clusters", "identical"):
        getattr(result, name).to_parquet(run_dir / f"{name}.parquet", index=False)
    summary = {"n_documents": result.n_documents, "n_distinct": result.n_distinct, "n_short": result.n_short,
               "candidates": n_candidates, "pairs": len(result.pairs), "settings": nd, "dropped_shingles": dropped,
               "steps": clock.seconds, "summary": result.summary()}  # fmt: skip
    (run_dir / "near_duplicates.json").write_text(json.dumps(summary, ensure_ascii=False, default=str))
    shutil.rmtree(folder)
    (run_dir / "paragraphs.parquet").unlink()
    return summary


# --- the same analyses in memory, and the comparison ---------------------------------------------------------
def _memory_outputs(source, s: StreamSettings) -> dict:
    """Every output of the stages computed by the in-memory path: the helpers the notebooks call."""
    from .corpus import load_corpus
    from .neighbours import nearest_neighbours
    from .reprints import find_near_duplicates
    from .similarity import fit_tfidf
    from .tokenize import tokenize_corpus
    from .topics import bow_corpus, build_dictionary, doc_topic_matrix, fit_lda

    loaded = load_corpus(source, text_column=s.text_column, id_column=s.id_column, errors=s.errors,
                         n_jobs=s.n_jobs, cache=False, keep_raw=False, progress=False)  # fmt: skip
    docs = loaded.docs.drop(columns="raw")
    tokens = tokenize_corpus(docs["text"].tolist(), n_jobs=s.n_jobs, cache=False, progress=False)
    vec, X = fit_tfidf(tokens, bigrams=False, min_df=s.tfidf_min_df, max_df=s.tfidf_max_df)
    vocab = vec.get_feature_names_out().tolist()
    dictionary, _ = build_dictionary(tokens, **(s.dictionary or {}))
    bow = bow_corpus(tokens, dictionary)
    model = fit_lda(bow, dictionary, num_topics=s.num_topics, **(s.lda or {}))
    nb = nearest_neighbours(neighbour_rows(X)[0], k=s.neighbours)
    nd = find_near_duplicates(docs["text"].tolist(), doc_ids=docs["doc_id"].tolist(), dates=docs["date"].tolist(),
                              **(s.near_duplicates or {}))  # fmt: skip
    return {
        "docs": docs, "report": loaded.report, "tokens": tokens, "vocabulary": vocab, "tfidf": X,
        "keywords": top_terms_per_row(X, vocab, s.keywords), "topic_word": model.get_topics(),
        "doc_topics": doc_topic_matrix(model, bow, **(s.doc_topics or {})), "neighbour_indices": nb.indices, "neighbour_scores": nb.scores,
        "pairs": nd.pairs, "clusters": nd.clusters, "n_distinct": nd.n_distinct, "dropped": nd.dropped_shingles,
        "n_short": nd.n_short, "identical": nd.identical, "summary": nd.summary(),
    }  # fmt: skip


def _stream_outputs(run_dir: Path, s: StreamSettings) -> dict:
    """The same outputs, read back from a streamed run's files."""
    nb = np.load(run_dir / "neighbours.npz")
    summary = json.loads((run_dir / "near_duplicates.json").read_text())
    return {
        "docs": read_docs(run_dir), "report": read_report(run_dir),
        "tokens": list(TokenFile(run_dir / "tokens.parquet", chunk=s.chunk)),
        "vocabulary": json.loads((run_dir / "vocabulary.json").read_text(encoding="utf-8")),
        "tfidf": sp.load_npz(run_dir / "tfidf.npz"),
        "keywords": [k.tolist() for k in pd.read_parquet(run_dir / "keywords.parquet")["keywords"]],
        "topic_word": np.load(run_dir / "topic_word.npy"), "doc_topics": np.load(run_dir / "doc_topics.npy"),
        "neighbour_indices": nb["indices"], "neighbour_scores": nb["scores"],
        "pairs": pd.read_parquet(run_dir / "pairs.parquet"), "clusters": pd.read_parquet(run_dir / "clusters.parquet"),
        "n_distinct": summary["n_distinct"], "dropped": summary["dropped_shingles"],
        "n_short": summary["n_short"], "identical": pd.read_parquet(run_dir / "identical.parquet"),
        "summary": summary["summary"],
    }  # fmt: skip


def _records(frame: pd.DataFrame) -> list[dict]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _same(a, b) -> bool:
    """Exact equality of two outputs of one kind (frames cell by cell, arrays and sparse matrices bit by bit)."""
    if isinstance(a, pd.DataFrame):
        return list(a.columns) == list(b.columns) and _records(a) == _records(b)
    if sp.issparse(a):
        a, b = a.tocsr().sorted_indices(), b.tocsr().sorted_indices()
        return a.shape == b.shape and all(
            np.array_equal(getattr(a, x), getattr(b, x)) for x in ("indptr", "indices", "data")
        )
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b)
    return a == b


def compare_with_memory(
    source: str | os.PathLike[str], run_dir: str | os.PathLike[str], s: StreamSettings, *, run: bool = True
) -> dict[str, bool]:
    """Run every stage on ``source`` into ``run_dir`` (unless ``run`` is false: the run is already there) and the
    in-memory path on the same corpus, and compare every output.

    Returns
    -------
    dict
        ``{output: identical?}`` for the documents and the cleaning report, tokens, vocabulary, TF-IDF matrix,
        keywords, LDA topic-word and document-topic matrices, neighbour indices and scores, near-duplicate pairs,
        clusters, the number of distinct stories and what the filters dropped.
    """
    run_dir = Path(run_dir)
    if run:
        for stage in STAGES:
            run_stage(stage, source, run_dir, s)
    ours, ref = _stream_outputs(run_dir, s), _memory_outputs(source, s)
    return {name: _same(ref[name], ours[name]) for name in ref}
