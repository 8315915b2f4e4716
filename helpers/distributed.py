"""Cleaning, tokenising and TF-IDF counting on Dask, for corpora larger than one machine.

The functions build a ``dask.bag`` of records (one dict per document) and run the project's own cleaning
(:func:`helpers.clean.clean_document`) and tokenizer (:class:`helpers.tokenize.Tokenizer`, one instance per
worker process, loaded once) on each partition. Pass a ``dask.distributed.Client`` to run on a cluster; without
one, Dask's default scheduler for bags runs on this machine.

What differs from :func:`helpers.corpus.load_corpus`: the corpus-level *site template* step (lines repeated
across many documents that otherwise share nothing) needs every document at once and is not run; no cleaning
report is gathered (each record keeps the number of changes in ``n_changes``) and a bad line raises instead of
being skipped; duplicate ids are not checked. Records are read with the same parser and id rule, so the ids are
the same.
Tokens are exactly those of :func:`helpers.tokenize.tokenize` on the cleaned text. Unlike
``tokenize_corpus``, the default does not look for the terms of the corpus (that needs its text first): to keep
them whole as the notebooks do, find them on the cleaned texts or a sample of them and pass
``tokenizer=helpers.tokenize.corpus_tokenizer(texts)`` — its settings, terms included, go to every worker.

>>> import dask
>>> bag = records_bag([{"id": "a", "text": "<p>坚决打赢脱贫攻坚战</p>"}])
>>> with dask.config.set(scheduler="sync"):
...     tokenize_bag(clean_bag(bag)).pluck("tokens").compute()
[['坚决', '打赢', '脱贫攻坚', '战']]

Running on a cluster (the project installed on every worker, the data on storage every worker can read)::

    from dask.distributed import Client
    client = Client("tcp://scheduler-host:8786")
    bag = clean_and_tokenize_bag("s3://bucket/news/*.jsonl", text_column="text")
    X, vocabulary, doc_ids = tfidf_matrix(bag, client=client, min_df=5, max_df=0.5)
    pairs, doc_ids, short = near_duplicate_candidates(bag, client=client)
"""

from __future__ import annotations

import operator
import os
import posixpath
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from .corpus import (
    ID_COLUMN_NAMES,
    CorpusError,
    SourceRecord,
    _missing_column_error,
    _table_rows,
    decode_bytes,
    jsonl_rows,
    records_from_rows,
    table_id_column,
)
from .tokenize import Tokenizer, TokenizerSettings

__all__ = [
    "read_corpus_bag",
    "records_bag",
    "clean_bag",
    "tokenize_bag",
    "clean_and_tokenize_bag",
    "document_frequencies",
    "count_matrix",
    "tfidf_matrix",
    "near_duplicate_candidates",
    "NearDuplicateCandidates",
    "CANDIDATE_SETTINGS",
]


# -- reading ---------------------------------------------------------------------------------------------------
# Records are read with helpers.corpus's own row parser and record reader (records_from_rows, one id rule), so a
# bag gives the same ids, fields and errors as load_corpus on the same files.
def _as_dict(rec: SourceRecord) -> dict:
    return {**rec.extra, "doc_id": rec.doc_id, "raw": rec.raw}


def _rows_to_records(rows: Iterable[tuple[int, object]], label: str, text_column: str, id_column: str) -> list[dict]:
    out = []
    for rec in records_from_rows(rows, label, text_column=text_column, id_column=id_column):
        if isinstance(rec, CorpusError):
            raise rec
        out.append(_as_dict(rec))
    return out


def records_bag(
    records: Sequence[dict], *, text_column: str = "text", id_column: str = "id", npartitions: int | None = None
):
    """A bag of records (``doc_id``, ``raw`` and the other fields) from in-memory dicts (small corpora, tests).

    A record without an id gets ``records-<n>`` (``n`` = its position, from 1), like a row of a file
    ``records.jsonl`` in :func:`helpers.corpus.load_corpus`.
    """
    import dask.bag as db

    rows = _rows_to_records(enumerate(records, start=1), "records", text_column, id_column)
    return db.from_sequence(rows, npartitions=npartitions or max(1, min(64, len(rows) // 100 or 1)))


def _decode_block(data: bytes, label: str, first: bool) -> str:
    if first and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return decode_bytes(data, name=label)[0]


def _jsonl_block(data: bytes, first_line: int, label: str, text_column: str, id_column: str) -> list[dict]:
    if not data.strip():
        return []
    text = _decode_block(data, label, first_line == 1)
    return _rows_to_records(jsonl_rows(text, label, first_line=first_line), label, text_column, id_column)


def _read_table(path: str, label: str) -> tuple[list[str], list]:
    import fsspec

    with fsspec.open(path, "rb") as fh:
        data = fh.read()
    text, _ = decode_bytes(data, name=label)
    return _table_rows(text, label, PurePosixPath(label).suffix.lower())


def _table_file(path: str, label: str, text_column: str, id_column: str) -> list[dict]:
    columns, rows = _read_table(path, label)
    if text_column not in columns:
        raise _missing_column_error(label, columns, [r for _, r in rows if isinstance(r, dict)], text_column)
    return _rows_to_records(rows, label, text_column, id_column)


def _id_rows(columns: list[str], rows: Iterable[tuple[int, object]], id_column: str) -> tuple[list[str], list]:
    """What :func:`helpers.corpus.table_id_column` reads of a part of a file: its fields, and each row's values of
    the columns named like an id (none when the part has ``id_column``: then no other column is judged)."""
    if id_column in columns:
        return columns, []
    names = [c for c in ID_COLUMN_NAMES if c in columns]
    return columns, [(line, {c: obj[c] for c in names if c in obj}) for line, obj in rows if isinstance(obj, dict)]


def _jsonl_id_rows(data: bytes, first_line: int, label: str, id_column: str) -> tuple[list[str], list]:
    if not data.strip():
        return [], []
    text = _decode_block(data, label, first_line == 1)
    return _id_rows(*_table_rows(text, label, ".jsonl"), id_column)


def _choose_id_columns(parts: dict[str, list], id_column: str) -> dict[str, str]:
    """Each file's id column, chosen on this machine by :func:`helpers.corpus.table_id_column` (its note a
    ``UserWarning``, as :func:`helpers.corpus.load_corpus` gives it) from the delayed :func:`_id_rows` of its parts."""
    import dask

    (found,) = dask.compute(parts)
    chosen = {}
    for label, summaries in found.items():
        columns = list(dict.fromkeys(c for cols, _ in summaries for c in cols))
        rows = [row for _, part in summaries for row in part]
        chosen[label] = table_id_column(label, columns, rows, id_column)
    return chosen


def _count_lines(data: bytes) -> int:
    return data.count(b"\n")


def _labels(paths: Sequence[str]) -> dict[str, str]:
    """Each path relative to the common parent of all paths (POSIX), as helpers.corpus labels files of a list."""
    parents = [posixpath.dirname(p.replace(os.sep, "/")) for p in paths]
    root = posixpath.commonpath(parents) if all(parents) else ""
    return {p: posixpath.relpath(p.replace(os.sep, "/"), root) if root else posixpath.basename(p) for p in paths}


def read_corpus_bag(
    source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    text_column: str = "text",
    id_column: str = "id",
    blocksize: str | int | None = "64MiB",
):
    """A bag of records (``doc_id``, ``raw`` and every other field) read lazily from JSONL or CSV files.

    Parameters
    ----------
    source : a path, a glob (``data/*.jsonl``), a list of paths, or a remote URL that ``fsspec`` understands
        (``s3://…``); JSONL (``.jsonl``/``.ndjson``), or CSV/TSV/JSON arrays (``.csv``/``.tsv``/``.json``, one
        partition per file).
    text_column, id_column : the fields holding the text and the id.
    blocksize : bytes per partition for JSONL (files are split at line boundaries), so a single 400 MB file is
        read by several workers in parallel.

    Ids are those of :func:`helpers.corpus.load_corpus` on the same files: the id field; in a file without it, a
    column named like an id with unique values (:func:`helpers.corpus.table_id_column`, the same note as a
    ``UserWarning``: the files are read once first for this, keeping only each row's values of such columns);
    else the file's path relative to the files' common folder, without suffix, plus ``-<line>`` of a JSONL line or
    ``-<row>`` of a CSV/TSV row as a spreadsheet numbers it (:func:`helpers.corpus.record_id`).
    A bad line raises :class:`helpers.corpus.CorpusError` naming the file and line or row (there is no report here).
    """
    import dask
    import dask.bag as db
    from dask.bytes import read_bytes
    from fsspec.core import get_fs_token_paths

    given = [os.fspath(p) for p in source] if isinstance(source, (list, tuple)) else [os.fspath(source)]
    suffixes = {Path(p.split("?")[0]).suffix.lower() for p in given}
    if suffixes <= {".jsonl", ".ndjson"}:
        _sample, blocks, paths = read_bytes(
            given if len(given) > 1 else given[0], delimiter=b"\n", blocksize=blocksize, sample=False, include_path=True
        )
        labels = _labels(paths)
        starts = {path: [dask.delayed(1)] for path in paths}
        for path, file_blocks in zip(paths, blocks):
            for block in file_blocks[:-1]:
                starts[path].append(dask.delayed(operator.add)(starts[path][-1], dask.delayed(_count_lines)(block)))
        ids = _choose_id_columns(
            {labels[p]: [dask.delayed(_jsonl_id_rows)(b, n, labels[p], id_column) for b, n in zip(bs, starts[p])]
             for p, bs in zip(paths, blocks)},
            id_column,
        )  # fmt: skip
        parts = [dask.delayed(_jsonl_block)(b, n, labels[p], text_column, ids[labels[p]])
                 for p, bs in zip(paths, blocks) for b, n in zip(bs, starts[p])]  # fmt: skip
        return db.from_delayed(parts)
    if suffixes <= {".csv", ".tsv", ".json"}:
        _, _, paths = get_fs_token_paths(given if len(given) > 1 else given[0])
        protocol = given[0].split("://")[0] + "://" if "://" in given[0] else ""
        labels = _labels(paths)
        urls = {p: protocol + p if protocol and "://" not in p else p for p in paths}
        summaries = {labels[p]: [dask.delayed(_id_rows)(*dask.delayed(_read_table, nout=2)(urls[p], labels[p]),
                                                         id_column)] for p in paths}  # fmt: skip
        ids = _choose_id_columns(summaries, id_column)
        parts = [dask.delayed(_table_file)(urls[p], labels[p], text_column, ids[labels[p]]) for p in paths]
        return db.from_delayed(parts)
    raise ValueError(f"{source}: read_corpus_bag reads .jsonl or .csv files, not {', '.join(sorted(suffixes))}")


# -- cleaning and tokenising -------------------------------------------------------------------------------------
def _clean_partition(records: Iterable[dict]) -> list[dict]:
    from .clean import clean_document

    out = []
    for rec in records:
        res = clean_document(rec["raw"])
        new = {k: v for k, v in rec.items() if k != "raw"}
        new["text"] = res.text
        new.setdefault("title", res.title)
        new.setdefault("date", res.date)
        new["n_changes"] = len(res.changes)
        out.append(new)
    return out


def clean_bag(bag):
    """Clean the ``raw`` field of every record into ``text`` (and ``title``/``date`` when the record has none)."""
    return bag.map_partitions(_clean_partition)


_WORKER_TOKENIZERS: dict[str, Tokenizer] = {}


def _worker_tokenizer(settings: TokenizerSettings | None, fingerprint: str | None) -> Tokenizer:
    key = fingerprint or "default"
    tk = _WORKER_TOKENIZERS.get(key)
    if tk is None:
        from .tokenize import get_default_tokenizer

        tk = Tokenizer(settings) if settings is not None else get_default_tokenizer()
        if fingerprint is not None and tk.fingerprint != fingerprint:
            raise RuntimeError(
                f"worker tokenizer fingerprint {tk.fingerprint} differs from the client's {fingerprint}: install the "
                "same version of the project (dictionary, stopwords, jieba) on every worker; words added at run time "
                "(add_word, load_userdict) are not sent to cluster workers: put them in a user dictionary file instead"
            )
        _WORKER_TOKENIZERS[key] = tk
    return tk


def _tokenize_partition(
    records: Iterable[dict], settings: TokenizerSettings | None, fingerprint: str | None, field: str
) -> list[dict]:
    tk = _worker_tokenizer(settings, fingerprint)
    out = []
    for rec in records:
        rec = dict(rec)
        rec["tokens"] = tk.tokenize(rec[field])
        out.append(rec)
    return out


def tokenize_bag(bag, *, tokenizer: Tokenizer | None = None, field: str = "text"):
    """Add ``tokens`` (the project's tokenizer on ``field``) to every record.

    Each worker process builds its :class:`~helpers.tokenize.Tokenizer` once; with ``tokenizer`` given, the
    workers use the same settings and check that their fingerprint (dictionary, stopwords, jieba version) matches.
    """
    settings = tokenizer.settings if tokenizer is not None else None
    fingerprint = tokenizer.fingerprint if tokenizer is not None else None
    return bag.map_partitions(_tokenize_partition, settings, fingerprint, field)


def clean_and_tokenize_bag(
    source,
    *,
    text_column: str = "text",
    id_column: str = "id",
    blocksize: str | int | None = "64MiB",
    tokenizer: Tokenizer | None = None,
):
    """Read (:func:`read_corpus_bag`, or use ``source`` if it is already a bag), clean and tokenise, lazily.

    The result is a ``dask.bag.Bag`` of dicts with ``doc_id``, ``text``, ``tokens`` and the other fields; nothing
    runs until it is computed (by :func:`tfidf_matrix`, ``bag.compute()``, ``bag.to_textfiles(...)``, …).
    """
    import dask.bag as db

    bag = (
        source
        if isinstance(source, db.Bag)
        else read_corpus_bag(source, text_column=text_column, id_column=id_column, blocksize=blocksize)
    )
    return tokenize_bag(clean_bag(bag), tokenizer=tokenizer)


# -- counting --------------------------------------------------------------------------------------------------
def _compute(obj, client):
    if client is not None:
        return client.compute(obj).result()
    return obj.compute()


def _partition_df(records: Iterable[dict], field: str) -> list[Counter]:
    df: Counter = Counter()
    for rec in records:
        df.update(set(rec[field]))
    return [df]


def _merge_counters(parts: Iterable[Counter]) -> Counter:
    total: Counter = Counter()
    for c in parts:
        total.update(c)
    return total


def document_frequencies(bag, *, client=None, field: str = "tokens") -> Counter:
    """Number of documents containing each token, counted partition by partition and merged in a tree.

    >>> import dask, dask.bag
    >>> bag = dask.bag.from_sequence([{"tokens": ["扶贫", "扶贫", "产业"]}, {"tokens": ["扶贫"]}])
    >>> with dask.config.set(scheduler="sync"):
    ...     sorted(document_frequencies(bag).items())
    [('产业', 1), ('扶贫', 2)]
    """
    partials = bag.map_partitions(_partition_df, field)
    merged = partials.reduction(_merge_counters, _merge_counters, split_every=8)
    return _compute(merged, client)


def _partition_counts(records: Iterable[dict], vocabulary: dict[str, int], field: str) -> list[tuple]:
    ids, indptr, indices, data = [], [0], [], []
    for rec in records:
        c = Counter(vocabulary[t] for t in rec[field] if t in vocabulary)
        cols = sorted(c)
        indices.extend(cols)
        data.extend(c[j] for j in cols)
        indptr.append(len(indices))
        ids.append(rec.get("doc_id"))
    m = sp.csr_matrix(
        (np.asarray(data, dtype=np.int32), np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int64)),
        shape=(len(ids), len(vocabulary)),
    )
    return [(ids, m)]


def count_matrix(bag, vocabulary: Sequence[str], *, client=None, field: str = "tokens"):
    """Term counts of every document over ``vocabulary``: ``(X, doc_ids)`` with ``X`` a scipy CSR matrix.

    Each partition builds its own sparse block on a worker; only the blocks travel to the client.
    """
    vocab = {t: j for j, t in enumerate(vocabulary)}
    if client is not None:
        [vocab_ref] = client.scatter([vocab], broadcast=True)
    else:
        vocab_ref = vocab
    blocks = _compute(bag.map_partitions(_partition_counts, vocab_ref, field), client)
    doc_ids = [i for ids, _ in blocks for i in ids]
    mats = [m for _, m in blocks]
    X = sp.vstack(mats, format="csr") if mats else sp.csr_matrix((0, len(vocab)), dtype=np.int32)
    return X, doc_ids


def tfidf_matrix(
    bag,
    *,
    client=None,
    min_df: int | float = 1,
    max_df: int | float = 1.0,
    sublinear_tf: bool = False,
    norm: str | None = "l2",
    field: str = "tokens",
):
    """TF-IDF of a tokenised bag, the same numbers as scikit-learn's ``TfidfVectorizer`` on the token lists.

    Document frequencies are counted on the workers (:func:`document_frequencies`), the vocabulary is filtered
    with ``min_df``/``max_df`` (counts, or shares of documents, as in scikit-learn) and sorted, the term counts
    are built per partition (:func:`count_matrix`), and the IDF weighting (smooth IDF) is applied on the client.
    The tokenised bag is persisted between the two passes (in the workers' memory with a client), so the texts
    are read, cleaned and tokenised once.

    Returns
    -------
    (X, vocabulary, doc_ids) : ``X`` a float64 CSR matrix (documents × terms), the sorted vocabulary, the ids.
    """
    from sklearn.feature_extraction.text import TfidfTransformer

    bag = bag.persist() if client is None else client.persist(bag)
    df = document_frequencies(bag, client=client, field=field)
    n_docs = _compute(bag.count(), client)
    lo = min_df if isinstance(min_df, int) else int(np.ceil(min_df * n_docs))
    hi = max_df if isinstance(max_df, int) else int(np.floor(max_df * n_docs))
    vocabulary = sorted(t for t, c in df.items() if lo <= c <= hi)
    if not vocabulary:
        raise ValueError(f"tfidf_matrix: no term left with min_df={min_df}, max_df={max_df} over {n_docs} documents")
    counts, doc_ids = count_matrix(bag, vocabulary, client=client, field=field)
    X = TfidfTransformer(norm=norm, sublinear_tf=sublinear_tf).fit_transform(counts)
    return X.tocsr(), vocabulary, doc_ids


# -- near-duplicate candidates -----------------------------------------------------------------------------------
#: the settings of :func:`helpers.reprints.find_near_duplicates` that the candidate search uses
CANDIDATE_SETTINGS = (
    "k", "num_perm", "lsh_threshold", "max_df", "min_max_df", "min_paragraph_chars", "min_shared", "seed",
)  # fmt: skip


class NearDuplicateCandidates(NamedTuple):
    """What :func:`near_duplicate_candidates` returns.

    Attributes
    ----------
    pairs : numpy.ndarray
        ``m x 2`` int64 positions ``(i, j)``, ``i < j``, sorted, into ``doc_ids``.
    doc_ids : list
        The records' ``doc_id`` in the bag's order.
    short : numpy.ndarray
        Positions of the documents too short to be tested as reprints (fewer than ``min_shared`` shingles left),
        in no pair: ``len(short)`` is :attr:`helpers.reprints.NearDuplicates.n_short`, the count notebook 04's
        summary gives (:meth:`helpers.reprints.NearDuplicates.short_sentence` says why they are not tested).
    """

    pairs: np.ndarray
    doc_ids: list
    short: np.ndarray


# helpers.reprints' own shingling, common-shingle cut-off and MinHash signatures run on each partition; the LSH
# bands are grouped across partitions by a shuffle, so no machine ever holds every signature.
def _shingle_partition(records: Iterable[dict], field: str, k: int, min_paragraph_chars: int) -> list[tuple]:
    from .reprints import doc_shingle_arrays, normalized_paragraphs

    records = list(records)
    paragraphs = normalized_paragraphs([rec[field] for rec in records], min_paragraph_chars)
    values, offsets = doc_shingle_arrays(paragraphs, k=k)
    return [([rec.get("doc_id") for rec in records], values, offsets)]


def _partition_shingle_df(parts: Iterable[tuple]) -> tuple[np.ndarray, np.ndarray, int]:
    [(ids, values, _)] = list(parts)
    shingles, counts = np.unique(values, return_counts=True)  # a document holds a shingle once: counts are df
    return shingles, counts, len(ids)


def _merge_shingle_df(parts: Iterable[tuple]) -> tuple[np.ndarray, np.ndarray, int]:
    parts = list(parts)
    shingles, inverse = np.unique(np.concatenate([p[0] for p in parts]), return_inverse=True)
    counts = np.bincount(inverse, weights=np.concatenate([p[1] for p in parts])).astype(np.int64)
    return shingles, counts, sum(p[2] for p in parts)


def _drop_shingles(values: np.ndarray, offsets: np.ndarray, common: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    keep = ~np.isin(values, common)
    kept = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(keep, out=kept[1:])
    return values[keep], kept[offsets]


def _band_keys(part: list[tuple], start: int, common, hashranges, settings: dict, n_buckets: int) -> list[tuple]:
    """``(bucket, keys, docs)`` per bucket: each document's band keys (band number + the band's signature values)
    and its position in the whole bag; the bucket is chosen from the key, so equal keys meet in one bucket."""
    from .reprints import minhash_signatures

    [(_, values, offsets)] = part
    values, offsets = _drop_shingles(values, offsets, common)
    sig = minhash_signatures(values, offsets, num_perm=settings["num_perm"], seed=settings["seed"])
    docs = np.flatnonzero(np.diff(offsets) >= settings["min_shared"])  # the others are too short to be tested
    keys = np.concatenate(
        [
            np.column_stack([np.full(len(docs), b, dtype=np.uint32), sig[docs, lo:hi]])
            for b, (lo, hi) in enumerate(hashranges)
        ]
    )
    positions = np.tile(docs + start, len(hashranges))
    bucket = (keys[:, 1].astype(np.int64) + keys[:, 0]) % n_buckets
    return [(int(b), keys[bucket == b], positions[bucket == b]) for b in np.unique(bucket)]


def _short_positions(part: list[tuple], start: int, common: np.ndarray, min_shared: int) -> np.ndarray:
    """Positions in the whole bag of a partition's documents with fewer than ``min_shared`` shingles left once the
    ``common`` ones are dropped (:func:`helpers.reprints.shingle_documents`'s ``short``)."""
    [(_, values, offsets)] = part
    _, offsets = _drop_shingles(values, offsets, common)
    return np.flatnonzero(np.diff(offsets) < min_shared) + start


def _short_documents(shingled, starts: list[int], common: np.ndarray, min_shared: int, client) -> np.ndarray:
    """Positions of every document of the shingled bag too short to be tested (:func:`_short_positions`)."""
    import dask
    import dask.bag as db

    parts = zip(shingled.to_delayed(), starts)
    found = db.from_delayed([dask.delayed(_short_positions)(part, start, common, min_shared) for part, start in parts])
    return np.asarray(_compute(found, client), dtype=np.int64)


def _bucket_pairs(group: tuple, n_docs: int) -> np.ndarray:
    """Codes ``i * n_docs + j`` (``i < j``) of the documents that share a band key within one bucket."""
    from itertools import combinations

    _, parts = group
    keys = np.concatenate([p[1] for p in parts])
    docs = np.concatenate([p[2] for p in parts])
    _, inverse = np.unique(keys, axis=0, return_inverse=True)
    order = np.lexsort((docs, inverse.ravel()))
    runs = np.split(docs[order], np.flatnonzero(np.diff(inverse.ravel()[order])) + 1)
    codes = [a * n_docs + b for run in runs if len(run) > 1 for a, b in combinations(run.tolist(), 2)]
    return np.unique(np.asarray(codes, dtype=np.int64))


def _candidate_settings(overrides: dict) -> dict:
    """:func:`helpers.reprints.find_near_duplicates`'s defaults of the candidate search, with ``overrides``."""
    import inspect

    from .reprints import find_near_duplicates

    unknown = set(overrides) - set(CANDIDATE_SETTINGS)
    if unknown:
        raise TypeError(f"near_duplicate_candidates: unknown settings {sorted(unknown)}; known: {CANDIDATE_SETTINGS}")
    params = inspect.signature(find_near_duplicates).parameters
    return {name: overrides.get(name, params[name].default) for name in CANDIDATE_SETTINGS}


def near_duplicate_candidates(bag, *, client=None, field: str = "text", **settings):
    """Candidate reprint pairs by MinHash/LSH on Dask: the candidates of :func:`helpers.reprints.find_near_duplicates`.

    Each partition normalises and shingles its texts with :mod:`helpers.reprints`' own functions; shingle
    document frequencies are merged in a tree and the shingles in more than ``max(min_max_df, max_df * n)``
    documents are dropped (the same cut-off); each partition computes its MinHash signatures (the same
    permutations) and the keys of datasketch's LSH bands, which are shuffled into buckets by key, so documents of
    different partitions that agree on a band meet in one bucket.

    Parameters
    ----------
    bag : a ``dask.bag.Bag`` of records (:func:`clean_and_tokenize_bag`, :func:`records_bag`, …).
    client : a ``dask.distributed.Client``, or None for Dask's default scheduler.
    field : the records' text field.
    **settings : any of :data:`CANDIDATE_SETTINGS` (``k``, ``num_perm``, ``lsh_threshold``, ``max_df``,
        ``min_max_df``, ``min_paragraph_chars``, ``min_shared``, ``seed``); the others keep
        ``find_near_duplicates``'s defaults. As there, documents with fewer than ``min_shared`` shingles are too
        short to be tested: they are in no pair, and counted (``short``).

    Not done here (it needs every document at once): the site-template step (``drop_template``); so the pairs
    equal ``find_near_duplicates(..., drop_template=False)``'s candidates. Confirming a candidate needs only its
    two documents' shingles (:func:`helpers.reprints.pair_scores`).

    Returns
    -------
    NearDuplicateCandidates
        ``pairs, doc_ids, short``: the candidate pairs (positions into ``doc_ids``, the records' ids in the bag's
        order) and the positions of the documents too short to be tested.
    """
    import dask
    import dask.bag as db
    from datasketch import MinHashLSH

    from .reprints import max_df_cutoff

    s = _candidate_settings(settings)
    shingled = bag.map_partitions(_shingle_partition, field, s["k"], s["min_paragraph_chars"])
    shingled = shingled.persist() if client is None else client.persist(shingled)
    df = shingled.reduction(_partition_shingle_df, _merge_shingle_df, split_every=8)
    ids_per_part = shingled.map_partitions(lambda parts: [p[0] for p in parts])
    if client is not None:
        (shingles, counts, n_docs), id_lists = (f.result() for f in client.compute([df, ids_per_part]))
    else:
        (shingles, counts, n_docs), id_lists = dask.compute(df, ids_per_part)
    common = shingles[counts > max_df_cutoff(n_docs, s["max_df"], s["min_max_df"])]
    starts = np.cumsum([0] + [len(ids) for ids in id_lists[:-1]]).tolist()
    hashranges = MinHashLSH(threshold=s["lsh_threshold"], num_perm=s["num_perm"]).hashranges
    n_buckets = max(1, bag.npartitions)
    keyed = db.from_delayed(
        [
            dask.delayed(_band_keys)(part, start, common, hashranges, s, n_buckets)
            for part, start in zip(shingled.to_delayed(), starts)
        ]
    )
    grouped = keyed.groupby(operator.itemgetter(0), npartitions=n_buckets, shuffle="tasks")
    codes = _compute(grouped.map(_bucket_pairs, n_docs), client)
    codes = np.unique(np.concatenate(codes)) if codes else np.empty(0, dtype=np.int64)
    short = _short_documents(shingled, starts, common, s["min_shared"], client)
    pairs = np.column_stack([codes // n_docs, codes % n_docs])
    return NearDuplicateCandidates(pairs, [i for ids in id_lists for i in ids], short)
