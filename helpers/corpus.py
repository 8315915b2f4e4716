"""Loading corpora: folders of documents, CSV and JSONL files, with encoding detection and a cleaning report.

>>> docs = load_corpus("../seeds")
>>> list(docs.columns[:7])
['doc_id', 'path', 'title', 'date', 'source', 'raw', 'text']
>>> len(docs), int(docs.attrs["cleaning_report"]["rule"].isin(["traditional"]).sum())
(5, 2)
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .clean import clean_document, normalize_date
from .paths import CACHE_DIR, resolve_path

__all__ = ["CorpusError", "load_corpus", "read_text_file", "iter_records", "cleaning_summary", "DOC_SUFFIXES"]

DOC_SUFFIXES = (".txt", ".md", ".html", ".htm")
TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".json", ".ndjson")
BASE_COLUMNS = ["doc_id", "path", "title", "date", "source", "raw", "text"]
REPORT_COLUMNS = ["doc_id", "path", "line", "rule", "action", "chars", "detail"]


class CorpusError(ValueError):
    """Bad input: the message names the file (and line) and the problem."""


# --- encodings ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    """About 5,000 frequent Chinese characters, Simplified and Traditional, from jieba's dictionary."""
    import jieba
    import opencc

    freq: Counter = Counter()
    with open(jieba.get_dict_file().name, encoding="utf-8") as fh:  # type: ignore[attr-defined]
        for line in fh:
            parts = line.split()
            if len(parts) >= 2:
                for ch in parts[0]:
                    freq[ch] += int(parts[1])
    simp = "".join(c for c, _ in freq.most_common(5000))
    trad = opencc.OpenCC("s2t").convert(simp) + opencc.OpenCC("s2tw").convert(simp)
    return frozenset(simp + trad)


def _plausibility(text: str) -> float:
    cjk = [c for c in text[:20000] if "\u3400" <= c <= "\u9fff" or "\ue000" <= c <= "\uf8ff"]
    if not cjk:
        return 1.0
    common = _common_chars()
    return sum(1 for c in cjk if c in common) / len(cjk)


def decode_bytes(data: bytes, *, name: str = "<bytes>") -> tuple[str, str]:
    """Decode document bytes: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK or Big5.

    Returns ``(text, encoding)``. Raises :class:`CorpusError` for empty, binary or undecodable input.

    >>> decode_bytes("脱贫攻坚".encode("gbk"))
    ('脱贫攻坚', 'gb18030')
    >>> decode_bytes("脫貧攻堅的決戰".encode("big5"))
    ('脫貧攻堅的決戰', 'big5')
    """
    if not data.strip():
        raise CorpusError(f"{name}: empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as e:
            raise CorpusError(
                f"{name}: has a UTF-8 byte-order mark but is not valid UTF-8 ({e.reason} at byte {e.start})"
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    sample = data[:65536]
    if b"\x00" in sample:
        raise CorpusError(f"{name}: binary file (contains NUL bytes), not a text document")
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if controls > 0.05 * len(sample):
        raise CorpusError(f"{name}: binary file (control bytes), not a text document")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_plausibility(text), enc, text))
    if not candidates:
        raise CorpusError(f"{name}: not valid UTF-8, GB18030 or Big5")
    score, enc, text = max(candidates)
    if score < 0.5:
        raise CorpusError(f"{name}: not valid UTF-8, GB18030 or Big5 (decoded text is not plausible Chinese)")
    return text, enc


def read_text_file(path: str | os.PathLike[str]) -> tuple[str, str]:
    """Read a document file with encoding detection; returns ``(text, encoding)``."""
    p = Path(path)
    return decode_bytes(p.read_bytes(), name=str(p))


# --- records ------------------------------------------------------------------------------------------------
@dataclass
class _Record:
    doc_id: str | None
    path: str
    line: int | None
    raw: str
    extra: dict


def _is_folder_doc(path: Path) -> bool:
    """README.md, SOURCE.md, LICENSE… describe a corpus folder; they are not documents of it."""
    return path.stem.upper() in {"README", "SOURCE", "LICENSE", "LICENCE", "CHANGELOG", "NOTICE"}


def _files_of(source: str | os.PathLike[str] | Sequence) -> list[Path]:
    if isinstance(source, (list, tuple)):
        if not source:
            raise CorpusError("empty list of paths")
        paths = []
        for item in source:
            p = resolve_path(item)
            if not p.exists():
                raise FileNotFoundError(f"{item}: no such file or folder")
            paths.extend(_files_of(p) if p.is_dir() else [p])
        return paths
    p = resolve_path(source)
    if not p.exists():
        raise FileNotFoundError(f"{source}: no such file or folder")
    if p.is_dir():
        files = sorted(
            f
            for f in p.rglob("*")
            if f.is_file()
            and f.suffix.lower() in DOC_SUFFIXES + TABLE_SUFFIXES
            and not any(part.startswith(".") for part in f.relative_to(p).parts)
        )
        docs = [f for f in files if f.suffix.lower() in DOC_SUFFIXES and not _is_folder_doc(f)]
        tables = [f for f in files if f.suffix.lower() in TABLE_SUFFIXES]
        if not docs and not tables:
            raise CorpusError(f"{p}: empty folder (no {', '.join(DOC_SUFFIXES + TABLE_SUFFIXES)} files)")
        return docs if docs else tables
    return [p]


def _table_text(path: Path) -> str:
    text, _ = read_text_file(path)
    return text


def iter_records(path: Path, *, text_column: str, id_column: str) -> Iterator[_Record | CorpusError]:
    """Yield records of one file; bad lines are yielded as :class:`CorpusError` (the caller decides)."""
    suffix = path.suffix.lower()
    if suffix in DOC_SUFFIXES:
        try:
            raw, enc = read_text_file(path)
        except CorpusError as e:
            yield e
            return
        yield _Record(doc_id=path.stem, path=str(path), line=None, raw=raw, extra={})
        return
    if suffix in (".jsonl", ".ndjson", ".json"):
        try:
            text = _table_text(path)
        except CorpusError as e:
            yield e
            return
        if suffix == ".json" and text.lstrip().startswith("["):
            try:
                rows = json.loads(text)
            except json.JSONDecodeError as e:
                yield CorpusError(f"{path}: malformed JSON ({e.msg} at line {e.lineno})")
                return
            lines: Iterable[tuple[int, object]] = ((i + 1, r) for i, r in enumerate(rows))
        else:

            def parse() -> Iterator[tuple[int, object]]:
                for i, line in enumerate(io.StringIO(text), start=1):
                    if not line.strip():
                        continue
                    try:
                        yield i, json.loads(line)
                    except json.JSONDecodeError as e:
                        yield i, CorpusError(f"{path}:{i}: malformed JSON line ({e.msg})")

            lines = parse()
        for i, obj in lines:
            if isinstance(obj, CorpusError):
                yield obj
                continue
            if not isinstance(obj, dict):
                yield CorpusError(f"{path}:{i}: expected a JSON object, got {type(obj).__name__}")
                continue
            yield from _record_from_row(obj, path, i, text_column, id_column)
        return
    if suffix in (".csv", ".tsv"):
        try:
            text = _table_text(path)
        except CorpusError as e:
            yield e
            return
        reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t" if suffix == ".tsv" else ",")
        try:
            header = next(reader)
        except (StopIteration, csv.Error) as e:
            yield CorpusError(f"{path}: no CSV header ({e})")
            return
        header = [h.strip().lstrip("\ufeff") for h in header]
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                yield CorpusError(f"{path}:{reader.line_num}: malformed CSV line ({e})")
                continue
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                yield CorpusError(
                    f"{path}:{reader.line_num}: malformed CSV line ({len(row)} fields, header has {len(header)})"
                )
                continue
            yield from _record_from_row(dict(zip(header, row)), path, reader.line_num, text_column, id_column)
        return
    yield CorpusError(f"{path}: unsupported file type {suffix!r} (use .txt/.md/.html, .csv or .jsonl)")


def _record_from_row(
    obj: dict, path: Path, line: int, text_column: str, id_column: str
) -> Iterator[_Record | CorpusError]:
    if text_column not in obj:
        yield CorpusError(f"{path}:{line}: no {text_column!r} field (fields: {', '.join(map(str, obj))})")
        return
    raw = obj[text_column]
    if raw is None or (isinstance(raw, float) and raw != raw) or not str(raw).strip():
        yield CorpusError(f"{path}:{line}: empty {text_column!r} field")
        return
    doc_id = obj.get(id_column)
    doc_id = str(doc_id) if doc_id not in (None, "") else f"{path.stem}-{line}"
    extra = {k: v for k, v in obj.items() if k not in (text_column, id_column)}
    yield _Record(doc_id=doc_id, path=str(path), line=line, raw=str(raw), extra=extra)


# --- cleaning (parallel for large corpora) -------------------------------------------------------------------
def _clean_one(raw: str):
    r = clean_document(raw)
    return r.text, r.title, r.date, r.source, r.changes


def _clean_many(raws: list[str], n_jobs: int | None, progress: bool | None) -> list:
    from tqdm import tqdm

    show = progress if progress is not None else len(raws) > 2000
    n = os.cpu_count() or 1 if n_jobs is None or n_jobs < 1 else n_jobs
    n = min(n, max(1, len(raws) // 200))
    if n <= 1:
        return [_clean_one(r) for r in tqdm(raws, desc="cleaning", unit="doc", disable=not show)]
    import multiprocessing as mp

    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    with ctx.Pool(n) as pool:
        it = pool.imap(_clean_one, raws, chunksize=max(1, min(200, len(raws) // (n * 8) or 1)))
        return list(tqdm(it, total=len(raws), desc="cleaning", unit="doc", disable=not show))


# --- site templates ------------------------------------------------------------------------------------------
def _site_template_lines(texts: list[str], min_docs: int = 3) -> set[str]:
    """Lines shared by several documents that otherwise share nothing: site templates, not reprints."""
    if len(texts) < min_docs:
        return set()
    doc_lines = [list(dict.fromkeys(t.split("\n"))) for t in texts]
    df: Counter = Counter(line for lines in doc_lines for line in lines if len(line) >= 4)
    frequent = {line for line, c in df.items() if c >= min_docs}
    if not frequent:
        return set()
    holders: dict[str, list[int]] = defaultdict(list)
    for i, lines in enumerate(doc_lines):
        for line in lines:
            if line in frequent:
                holders[line].append(i)
    template = set()
    for line, docs in holders.items():
        shared_other = []
        for i in docs:
            others = [x for x in doc_lines[i] if x != line]
            if not others:
                shared_other.append(0.0)
                continue
            other_set = set()
            for j in docs:
                if j != i:
                    other_set.update(doc_lines[j])
            shared_other.append(sum(1 for x in others if x in other_set) / len(others))
        shared_other.sort()
        sentence_like = line[-1] in "。！？!?：:；;”"
        widespread = len(docs) >= max(5, 0.2 * len(texts))
        if shared_other[len(shared_other) // 2] < 0.3 and (not sentence_like or widespread):
            template.add(line)
    return template


# --- the loader ----------------------------------------------------------------------------------------------
def _cache_key(files: list[Path], **settings) -> str:
    h = hashlib.sha256()
    for f in files:
        h.update(str(f).encode())
        h.update(hashlib.sha256(f.read_bytes()).digest())
    h.update(json.dumps(settings, sort_keys=True, default=str).encode())
    for mod in ("clean.py", "mojibake.py", "corpus.py"):
        h.update((Path(__file__).parent / mod).read_bytes())
    return h.hexdigest()[:24]


def load_corpus(
    source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    text_column: str = "text",
    id_column: str = "id",
    errors: str = "raise",
    n_jobs: int | None = None,
    cache: bool = True,
    keep_raw: bool = True,
    with_report: bool = False,
    progress: bool | None = None,
):
    """Load and clean a corpus into a DataFrame, one row per document.

    Parameters
    ----------
    source : a folder of documents (.txt/.md/.html, recursive), a CSV/TSV or JSONL file, or a list of paths.
    text_column, id_column : the fields holding the text and the id in CSV/JSONL input.
    errors : ``"raise"`` stops at the first bad document with an error naming the file (and line);
        ``"report"`` skips bad documents and lists each one in the cleaning report (rule ``skipped``).
    n_jobs : processes for cleaning large corpora (``None``: all cores).
    cache : reuse the cleaned corpus from the project cache (keyed by file content and settings).
    keep_raw : keep the ``raw`` column (set ``False`` for very large corpora to halve memory).
    with_report : return ``(docs, report)`` instead of ``docs``.

    Returns
    -------
    DataFrame with columns ``doc_id, path, title, date, source, raw, text`` and every extra field of CSV/JSONL
    input. ``docs.attrs["cleaning_report"]`` holds the report (one row per change: ``doc_id, path, line, rule,
    action, chars, detail``); ``docs.attrs["skipped"]`` the skipped documents, ``docs.attrs["ignored"]`` the files of
    a folder that describe it (README.md, SOURCE.md …) rather than being documents.
    """
    if errors not in ("raise", "report"):
        raise ValueError(f"errors must be 'raise' or 'report', not {errors!r}")
    files = _files_of(source)
    ignored = []
    if not isinstance(source, (list, tuple)) and resolve_path(source).is_dir():
        ignored = sorted(
            f
            for f in resolve_path(source).rglob("*")
            if f.is_file() and f.suffix.lower() in DOC_SUFFIXES and _is_folder_doc(f)
        )
    key = _cache_key(files, text_column=text_column, id_column=id_column, errors=errors, keep_raw=keep_raw)
    cache_dir = CACHE_DIR / "corpus"
    docs_file, report_file = cache_dir / f"{key}.docs.pkl", cache_dir / f"{key}.report.pkl"
    if cache and docs_file.exists() and report_file.exists():
        docs = pd.read_pickle(docs_file)
        report = pd.read_pickle(report_file)
        return _finish(docs, report, with_report)

    records: list[_Record] = []
    report_rows: list[dict] = [
        {
            "doc_id": f.stem,
            "path": str(f),
            "line": None,
            "rule": "skipped",
            "action": "ignored",
            "chars": 0,
            "detail": f"{f.name}: describes the corpus folder, not a document of it",
        }
        for f in ignored
    ]
    seen_ids: dict[str, str] = {}

    def fail(err: CorpusError | FileNotFoundError, path: str = "", line: int | None = None, doc_id: str = "") -> None:
        if errors == "raise":
            raise err
        report_rows.append(
            {
                "doc_id": doc_id,
                "path": path,
                "line": line,
                "rule": "skipped",
                "action": "skipped",
                "chars": 0,
                "detail": str(err),
            }
        )

    for f in files:
        for rec in iter_records(f, text_column=text_column, id_column=id_column):
            if isinstance(rec, CorpusError):
                m = re.match(r"^(.*?):(\d+):", str(rec))
                fail(rec, str(f), int(m.group(2)) if m else None)
                continue
            where = f"{rec.path}:{rec.line}" if rec.line else rec.path
            if rec.doc_id in seen_ids:
                fail(
                    CorpusError(f"{where}: duplicate id {rec.doc_id!r} (first seen in {seen_ids[rec.doc_id]})"),
                    rec.path,
                    rec.line,
                    rec.doc_id,
                )
                continue
            seen_ids[rec.doc_id] = where
            records.append(rec)
    if not records:
        raise CorpusError(
            f"{source}: no documents could be loaded"
            + (f" ({len(report_rows)} skipped: {report_rows[0]['detail']})" if report_rows else "")
        )

    cleaned = _clean_many([r.raw for r in records], n_jobs, progress)
    texts = [c[0] for c in cleaned]
    template = _site_template_lines(texts)
    keep_all_lines = False
    rows = []
    for rec, (text, title, date, src, changes) in zip(records, cleaned):
        where = f"{rec.path}:{rec.line}" if rec.line else rec.path
        for ch in changes:
            report_rows.append({"doc_id": rec.doc_id, "path": rec.path, "line": rec.line, **ch})
        if template and not keep_all_lines:
            lines = text.split("\n")
            keep = [x for x in lines if x not in template]
            for x in lines:
                if x in template:
                    report_rows.append(
                        {
                            "doc_id": rec.doc_id,
                            "path": rec.path,
                            "line": rec.line,
                            "rule": "site_template",
                            "action": "removed",
                            "chars": len(x),
                            "detail": x[:200],
                        }
                    )
            text = "\n".join(keep)
        if not text.strip():
            fail(CorpusError(f"{where}: no body text left after cleaning"), rec.path, rec.line, rec.doc_id)
            continue
        extra = dict(rec.extra)
        row_title = extra.pop("title", None)
        row_date = extra.pop("date", None)
        row_source = extra.pop("source", None)
        rows.append(
            {
                "doc_id": rec.doc_id,
                "path": rec.path,
                "title": (str(row_title).strip() or None) if row_title not in (None, "") else title,
                "date": normalize_date(row_date) if row_date not in (None, "") else date,
                "source": row_source if row_source not in (None, "") else src,
                "raw": rec.raw if keep_raw else None,
                "text": text,
                **extra,
            }
        )
    if not rows:
        raise CorpusError(f"{source}: no documents left after cleaning ({len(report_rows)} report rows)")
    docs = pd.DataFrame(rows)
    for col in ("doc_id", "path", "text"):
        docs[col] = docs[col].astype(str)
    report = pd.DataFrame(report_rows, columns=REPORT_COLUMNS)
    report["line"] = report["line"].astype("Int64")
    if cache:
        cache_dir.mkdir(parents=True, exist_ok=True)
        docs.to_pickle(docs_file)
        report.to_pickle(report_file)
    return _finish(docs, report, with_report)


def _finish(docs: pd.DataFrame, report: pd.DataFrame, with_report: bool):
    docs.attrs["cleaning_report"] = report
    docs.attrs["skipped"] = report[report["action"] == "skipped"].reset_index(drop=True)
    docs.attrs["ignored"] = report[report["action"] == "ignored"].reset_index(drop=True)
    return (docs, report) if with_report else docs


def cleaning_summary(report: pd.DataFrame) -> pd.DataFrame:
    """Characters removed or changed per document and rule (a document × rule table).

    >>> docs, report = load_corpus("../seeds", with_report=True)
    >>> bool(cleaning_summary(report).loc["004_a9468175bb38a755", "traditional"] > 0)
    True
    """
    if report.empty:
        return pd.DataFrame()
    table = report.pivot_table(index="doc_id", columns="rule", values="chars", aggfunc="sum", fill_value=0)
    return table.astype(int)
