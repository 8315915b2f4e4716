"""Loading corpora: folders of documents (text, Word, PDF), CSV, JSONL and Excel files, with encoding detection and a
cleaning report.

>>> docs, report = load_corpus("../seeds")
>>> list(docs.columns[:7])
['doc_id', 'path', 'title', 'date', 'source', 'raw', 'text']
>>> len(docs), int(report["rule"].isin(["traditional"]).sum())
(5, 2)
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import itertools
import json
import logging
import math
import os
import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import NamedTuple

import pandas as pd

from .clean import (
    RULES,
    TEMPLATE_MIN_DOCS,
    VARIANT_CONFIGS,
    VARIANT_DETAIL,
    clean_document,
    drop_template,
    headline_after_title,
    is_body_line,
    normalize_date,
    opencc_converter,
    reads_as_boilerplate,
    site_template,
    to_simplified,
)
from .paths import CACHE_DIR, atomic_write, resolve_path
from .tables import plural

__all__ = [
    "CorpusError",
    "LoadedCorpus",
    "load_corpus",
    "read_text_file",
    "iter_records",
    "records_from_rows",
    "cleaning_summary",
    "loading_summary",
    "loading_account",
    "recurring_texts",
    "recurring_text_keys",
    "recurring_texts_summary",
    "traditional_summary",
    "encoding_summary",
    "row_title",
    "where_in_file",
    "TableRow",
    "skip_counts",
    "duplicate_differences",
    "SkippedInputWarning",
    "save_jsonl",
    "guess_text_column",
    "ID_COLUMN_NAMES",
    "id_like_column",
    "table_id_column",
    "record_id",
    "date_from_file_name",
    "file_name_date",
    "compact_names_are_ids",
    "DOC_SUFFIXES",
    "WORD_SUFFIXES",
    "PDF_SUFFIXES",
    "WORKBOOK_SUFFIXES",
    "Sheet",
    "read_workbook",
    # the steps of load_corpus that helpers.stream and helpers.distributed compose
    "SourceRecord",
    "LoadLog",
    "clean_many",
    "corpus_inventory",
    "jsonl_rows",
    "report_frame",
    "report_columns",
    "RecordFingerprint",
    "duplicate_id_error",
]

#: Word and PDF documents, read as text by :mod:`helpers.documents` (python-docx, pypdf) and then as a .txt file is
WORD_SUFFIXES = (".docx",)
PDF_SUFFIXES = (".pdf",)
#: the binary Word format (Word 97-2003, and WPS's own .wps): no well-kept pure-Python reader, so the user is told
#: to save it as .docx
LEGACY_WORD_SUFFIXES = (".doc", ".wps")
#: one file = one document
DOC_SUFFIXES = (".txt", ".md", ".html", ".htm") + WORD_SUFFIXES + PDF_SUFFIXES
TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".json", ".ndjson")
#: Excel workbooks, read sheet by sheet as tables (:func:`read_workbook`; .xlsm is an .xlsx that may hold macros,
#: which are never run). The legacy binary .xls is not read: openpyxl reads the zip-of-XML format only.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
LEGACY_WORKBOOK_SUFFIXES = (".xls",)
READ_SUFFIXES = DOC_SUFFIXES + TABLE_SUFFIXES + WORKBOOK_SUFFIXES
BASE_COLUMNS = ["doc_id", "path", "title", "date", "source", "raw", "text"]
#: ``columns``: the table columns a row concerns (those a duplicate id differs in, a label column converted from
#: Traditional, a column read as the date), as JSON text (``["栏目"]``, ``""`` for none) so that it reads back the
#: same from the report's CSV, Parquet and cache files; :func:`report_columns` gives the lists
REPORT_COLUMNS = ["doc_id", "path", "line", "rule", "action", "chars", "detail", "reason", "columns"]
#: The ``reason`` of a skipped line or file that does not parse (CSV/JSON syntax, a JSON line that is no object).
MALFORMED = "malformed input"
#: The ``reason`` of a document with no body left once cleaning removed the page around it.
NO_CONTENT = "no content after cleaning"


class CorpusError(ValueError):
    """Bad input: the message names the file (and line) and the problem.

    ``path`` and ``line`` (keyword arguments, default ``None``) say where, for programs that need it, and ``row``
    the row of a CSV/TSV table as a spreadsheet numbers it (header = row 1; it differs from ``line`` below a cell
    that spans lines); ``reason`` is the short kind of problem the cleaning report counts skipped input by
    (``"empty text"``, ``"duplicate id"`` …), ``doc_id`` the id the row carries in its ``id_column``, if any, and
    ``columns`` the table columns the problem concerns (a report row's ``columns``, :data:`REPORT_COLUMNS`), and
    ``sheet`` the sheet of a workbook row (the row's ``doc_id`` is then the id made for it when it has none of its
    own, since that id holds the sheet when two or more sheets are read: :func:`record_id`).
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        reason: str | None = None,
        doc_id: str | None = None,
        row: int | None = None,
        columns: Sequence[str] = (),
        sheet: str | None = None,
    ) -> None:
        super().__init__(message)
        self.sheet = sheet
        self.path = path
        self.line = line
        self.row = row
        self.reason = reason
        self.doc_id = doc_id
        self.columns = list(columns)


class SkippedInputWarning(UserWarning):
    """A file, row or document that :func:`load_corpus` skipped or set aside (also in the cleaning report).

    Notebooks filter this category because :func:`loading_summary` lists the same input below the load;
    Python code outside notebooks sees the warnings.
    """


# --- encodings ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    """About 5,000 frequent Chinese characters, Simplified and Traditional, from jieba's dictionary."""
    import jieba

    freq: Counter = Counter()
    with open(jieba.get_dict_file().name, encoding="utf-8") as fh:  # type: ignore[attr-defined]
        for line in fh:
            parts = line.split()
            if len(parts) >= 2:
                for ch in parts[0]:
                    freq[ch] += int(parts[1])
    simp = "".join(c for c, _ in freq.most_common(5000))
    trad = opencc_converter("s2t").convert(simp) + opencc_converter("s2tw").convert(simp)
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
        raise CorpusError(f"{name}: empty file", reason="empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as e:
            raise CorpusError(
                f"{name}: has a UTF-8 byte-order mark but is not valid UTF-8 ({e.reason} at byte {e.start})",
                reason="undecodable file",
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    sample = data[:65536]
    if b"\x00" in sample:
        raise CorpusError(f"{name}: binary file (contains NUL bytes), not a text document", reason="binary file")
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if controls > 0.05 * len(sample):
        raise CorpusError(f"{name}: binary file (control bytes), not a text document", reason="binary file")
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
        raise CorpusError(f"{name}: not valid UTF-8, GB18030 or Big5", reason="undecodable file")
    score, enc, text = max(candidates)
    if score < 0.5:
        raise CorpusError(
            f"{name}: not valid UTF-8, GB18030 or Big5 (decoded text is not plausible Chinese)",
            reason="undecodable file",
        )
    return text, enc


#: what :func:`decode_bytes` returns for a file that is not UTF-8, as pages name it (UTF-8 with or without a
#: byte-order mark is what the user expects and is not mentioned)
ENCODING_NAMES = {"gb18030": "GB18030 (GBK)", "big5": "Big5", "utf-16": "UTF-16"}
UTF8_ENCODINGS = ("utf-8", "utf-8-sig")


# --- records ------------------------------------------------------------------------------------------------
@dataclass
class SourceRecord:
    """One document as read from its file, before cleaning: its id, file (and line of a table), raw text and the
    row's other fields."""

    doc_id: str
    path: str  # relative to the corpus folder (see :func:`_label`), never a machine's absolute path
    line: int | None
    raw: str
    extra: dict
    row: int | None = None  # a CSV/TSV row as a spreadsheet numbers it (see :class:`TableRow`)
    sheet: str | None = None  # the sheet of a workbook row (.xlsx)

    @property
    def where(self) -> str:
        """The file, and the sheet, row and line of a table, as messages name them (:func:`where_in_file`)."""
        return where_in_file(self.path, self.line, self.row, sheet=self.sheet)


class TableRow(NamedTuple):
    """Where a row of a CSV/TSV table is: its ``row`` as a spreadsheet shows it (the header is row 1) and the
    ``line`` of the file it starts on. They differ below a quoted cell that spans lines (an Excel cell with line
    breaks), so an Excel user is told the row, and the id of a row without an id column is made of the row.

    A row of a workbook (:func:`read_workbook`) has no lines: ``line`` is its row, ``sheet`` its sheet, and
    ``sheet_in_id`` says whether the id made for it holds the sheet (two or more sheets of the file are read)."""

    row: int
    line: int
    sheet: str | None = None
    sheet_in_id: bool = False


def where_in_file(path: str, line: int | None, row: int | None = None, *, sheet: str | None = None) -> str:
    """How messages and the cleaning report name a place: ``news.jsonl:3`` (a line), ``news.csv row 22 (line 24)``
    (a table row, with its line when that differs), ``news.csv row 5``, ``news.xlsx sheet 'Sheet1' row 5`` (a row
    of a workbook's sheet), or the file alone.

    >>> where_in_file("a.jsonl", 3), where_in_file("b.csv", 24, 22), where_in_file("b.csv", 5, 5), where_in_file("c.txt", None)
    ('a.jsonl:3', 'b.csv row 22 (line 24)', 'b.csv row 5', 'c.txt')
    >>> where_in_file("news.xlsx", 5, 5, sheet="Sheet1")
    "news.xlsx sheet 'Sheet1' row 5"
    """
    if sheet is not None:
        path = f"{path} sheet {sheet!r}"
    if row is not None:
        return f"{path} row {row}" + (f" (line {line})" if line is not None and line != row else "")
    return f"{path}:{line}" if line else path


#: Files that describe a corpus folder rather than being documents of it (any suffix: README.md, LICENSE, …).
DESCRIPTION_NAMES = frozenset(
    {"README", "SOURCE", "LICENSE", "LICENCE", "CHANGELOG", "NOTICE", "COPYING", "AUTHORS", "CITATION"}
    | {"SHA256SUMS", "SHA1SUMS", "MD5SUMS", "CHECKSUMS", "MANIFEST"}
)


def _is_folder_doc(path: Path) -> bool:
    """README.md, SOURCE.md, LICENSE, SHA256SUMS… describe a corpus folder; they are not documents of it."""
    return path.stem.upper() in DESCRIPTION_NAMES or path.name.upper() in DESCRIPTION_NAMES


def _label(path: Path, root: Path | None) -> str:
    """The path shown in reports and messages: relative to the corpus folder (POSIX), else the file name."""
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.name


def record_id(relative_path: str, line: int | None = None, *, sheet: str | None = None) -> str:
    """The id of a document without an id field: its path relative to the corpus folder, without suffix.

    Rows of a table add ``-<n>``: the line of a JSONL file (1 = the first line), the row of a CSV/TSV file as a
    spreadsheet shows it (the header is row 1; :class:`TableRow`), which is its line unless a cell above spans
    lines. The same rule is used by :func:`load_corpus` and :mod:`helpers.distributed`, so both give the same ids.
    A row of an Excel workbook is numbered as the sheet shows it; when two or more sheets of the file are read, the
    sheet's name comes before the row (``sheet``).

    >>> record_id("2020-01/001.txt"), record_id("news.jsonl", 17), record_id("2020-02/news.csv", 3)
    ('2020-01/001', 'news-17', '2020-02/news-3')
    >>> record_id("news.xlsx", 5), record_id("news.xlsx", 5, sheet="2019")
    ('news-5', 'news-2019-5')
    """
    p = PurePosixPath(relative_path)
    base = p.with_suffix("").as_posix() if p.suffix else p.as_posix()
    if sheet is not None:
        base = f"{base}-{sheet}"
    return base if line is None else f"{base}-{line}"


def read_text_file(path: str | os.PathLike[str], *, name: str | None = None) -> tuple[str, str]:
    """Read a document file with encoding detection; returns ``(text, encoding)``.

    Errors (unreadable, empty, binary, undecodable) are :class:`CorpusError` naming the file as ``name``.
    """
    p = Path(path)
    label = name or str(p)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise CorpusError(
            f"{label}: cannot read the file ({e.strerror or e})", path=str(p), reason="unreadable file"
        ) from None
    try:
        return decode_bytes(data, name=label)
    except CorpusError as e:
        raise CorpusError(str(e), path=str(p), reason=e.reason) from None


_JSON_TYPES = {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "an object"}


def _json_type(value: object) -> str:
    return next((name for kind, name in _JSON_TYPES.items() if isinstance(value, kind)), type(value).__name__)


def _shown(value: object, limit: int = 40) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def jsonl_rows(text: str, label: str, *, first_line: int = 1) -> Iterator[tuple[int, object]]:
    """``(line number, parsed object or CorpusError)`` for each non-blank line of JSONL text."""
    for i, line in enumerate(io.StringIO(text), start=first_line):
        if not line.strip():
            continue
        try:
            yield i, json.loads(line)
        except json.JSONDecodeError as e:
            yield i, CorpusError(f"{label}:{i}: malformed JSON line ({e.msg})", path=label, line=i, reason=MALFORMED)


def _table_rows(
    text: str, label: str, suffix: str
) -> tuple[list[str], list[tuple[int | TableRow, dict | CorpusError]]]:
    """The columns and the rows of a CSV/TSV/JSONL/JSON text, each with where it is: its line (JSONL), its
    position in the array (JSON), or its :class:`TableRow` (CSV/TSV: row and line).

    Raises :class:`CorpusError` for problems of the whole file (no CSV header, malformed JSON array).
    """
    rows: list[tuple[int | TableRow, dict | CorpusError]] = []
    columns: dict[str, None] = {}
    if suffix in (".jsonl", ".ndjson", ".json"):
        if suffix == ".json" and text.lstrip().startswith(("[", "{")):
            try:
                parsed = json.loads(text)
            except json.JSONDecodeError as e:
                raise CorpusError(
                    f"{label}: malformed JSON ({e.msg} at line {e.lineno})", path=label, reason=MALFORMED
                ) from None
            if not isinstance(parsed, list):
                raise _NotATable(f"{label}: a JSON {_json_type(parsed).split()[-1]}, not a list of records", path=label)
            items: Iterable[tuple[int, object]] = ((i + 1, r) for i, r in enumerate(parsed))
        else:
            items = jsonl_rows(text, label)
        for i, obj in items:
            if isinstance(obj, CorpusError):
                rows.append((i, obj))
            elif not isinstance(obj, dict):
                rows.append(
                    (
                        i,
                        CorpusError(
                            f"{label}:{i}: expected a JSON object, got {_json_type(obj)}",
                            path=label,
                            line=i,
                            reason=MALFORMED,
                        ),
                    )
                )
            else:
                columns.update(dict.fromkeys(map(str, obj)))
                rows.append((i, obj))
        return list(columns), rows
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t" if suffix == ".tsv" else ",")
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as e:
        raise CorpusError(f"{label}: no CSV header ({e or 'empty'})", path=label, reason=MALFORMED) from None
    header = [h.strip().lstrip("\ufeff") for h in header]
    for number in itertools.count(2):  # the row as a spreadsheet numbers it: the header is row 1
        at = TableRow(row=number, line=reader.line_num + 1)  # the line a row starts on (a cell may span lines)
        where = where_in_file(label, at.line, at.row)
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            rows.append((at, CorpusError(f"{where}: malformed CSV line ({e})", path=label, line=at.line,
                                         row=at.row, reason=MALFORMED)))  # fmt: skip
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            msg = f"{where}: malformed CSV line ({len(row)} fields, header has {len(header)})"
            rows.append((at, CorpusError(msg, path=label, line=at.line, row=at.row, reason=MALFORMED)))
            continue
        rows.append((at, dict(zip(header, row))))
    return header, rows


# --- Excel workbooks --------------------------------------------------------------------------------------------
#: the first bytes of an OLE2 compound file: what a password-protected .xlsx is (Excel encrypts the zip into one),
#: and what a legacy .xls renamed to .xlsx is
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: a formula element of a worksheet's XML (``<f>``, ``<x:f t="shared" …/>``): only a workbook with one is read a
#: second time, for its formulas, to tell a formula without a cached value from an empty cell
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
#: the ``reason`` of a row whose text cell is a formula without a cached value (the workbook was written by a
#: program that does not compute formulas; Excel and LibreOffice store the value when they save)
FORMULA_WITHOUT_VALUE = "formula without a value"
#: the ``reason`` of a report row (action ``ignored``) of a workbook's sheet without the text column, or empty:
#: summaries count these as sheets, not files, not read
SHEET_NOT_READ = "sheet not read"
#: what openpyxl and the zip and XML readers raise on a damaged workbook
_WORKBOOK_ERRORS = (zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError, OSError, EOFError, SyntaxError)


class Sheet(NamedTuple):
    """One sheet of a workbook read as a table (:func:`read_workbook`): its ``name``, ``columns`` (the first
    non-empty row), ``rows`` (``(TableRow, dict of column → cell text)``, empty rows left out) and ``formulas``
    (row → the columns whose cell is a formula without a cached value, read as empty)."""

    name: str
    columns: list[str]
    rows: list[tuple[TableRow, dict]]
    formulas: dict[int, list[str]]


def _cell_text(value: object) -> str:
    """A cell's value as a CSV export gives it: a date as ``2019-03-05`` (a time only when it has one), a whole
    number without ``.0``, ``TRUE``/``FALSE``, an empty cell as ``""``.

    >>> _cell_text(datetime.datetime(2019, 3, 5)), _cell_text(2014.0), _cell_text(None), _cell_text(0.5)
    ('2019-03-05', '2014', '', '0.5')
    """
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sheet_values(path: Path, *, data_only: bool) -> dict[str, list[tuple]]:
    """Each sheet's rows of cells (values, or formulas as ``=…`` with ``data_only=False``), row 1 first."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=data_only)
    try:
        out = {}
        for ws in wb.worksheets:  # chart sheets, which hold no cells, are not among them
            ws.reset_dimensions()  # some exporters write a wrong size; read every cell there is
            out[ws.title] = [tuple(row) for row in ws.iter_rows(values_only=True)]
        return out
    finally:
        wb.close()


def _has_formulas(path: Path) -> bool:
    with zipfile.ZipFile(path) as z:
        return any(
            _FORMULA_TAG.search(z.read(n))
            for n in z.namelist()
            if n.startswith("xl/worksheets/") and n.endswith(".xml")
        )


def _workbook_error(path: Path, label: str, problem: str) -> CorpusError:
    return CorpusError(f"{label}: {problem}", path=str(path), reason="unreadable workbook")


def read_workbook(path: str | os.PathLike[str], *, name: str | None = None) -> list[Sheet]:
    """The sheets of an Excel workbook (.xlsx/.xlsm) as tables, with cell values as a CSV export gives them
    (:func:`_cell_text`): the first non-empty row of a sheet is its header, a header cell left empty is named by
    its column's letter (``column F``) when cells below it hold values, rows are numbered as the sheet shows them.

    A formula cell gives the value Excel stored with it; one without (a workbook written by a program that does not
    compute formulas) is empty and listed in the sheet's ``formulas``. A damaged, encrypted or mislabelled file is
    a :class:`CorpusError` naming the file (as ``name``) and the problem.

    >>> import tempfile
    >>> from openpyxl import Workbook
    >>> wb = Workbook(); wb.active.append(["标题", "年份"]); wb.active.append(["脱贫攻坚", 2014])
    >>> path = Path(tempfile.mkdtemp()) / "news.xlsx"; wb.save(path)
    >>> read_workbook(path)[0].rows
    [(TableRow(row=2, line=2, sheet='Sheet', sheet_in_id=False), {'标题': '脱贫攻坚', '年份': '2014'})]
    """
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    p = Path(path)
    label = name or str(p)
    try:
        with open(p, "rb") as fh:
            head = fh.read(len(_OLE2_MAGIC))
    except OSError as e:
        raise CorpusError(
            f"{label}: cannot read the file ({e.strerror or e})", path=str(p), reason="unreadable file"
        ) from None
    if head == _OLE2_MAGIC:
        raise _workbook_error(
            p, label, "a password-protected workbook (or a legacy .xls renamed); remove the password, or save it "
            "in Excel as .xlsx or .csv",
        )  # fmt: skip
    if not zipfile.is_zipfile(p):
        raise _workbook_error(p, label, "not an Excel workbook (not a zip archive: damaged, or another kind of file)")
    try:
        values = _sheet_values(p, data_only=True)
        formulas = _sheet_values(p, data_only=False) if _has_formulas(p) else {}
    except (*_WORKBOOK_ERRORS, InvalidFileException) as e:
        raise _workbook_error(p, label, f"damaged workbook ({type(e).__name__}: {e})") from None
    sheets = []
    for title, cells in values.items():
        rows = [[_cell_text(v) for v in row] for row in cells]
        filled = [i for i, row in enumerate(rows) if any(c.strip() for c in row)]
        if not filled:
            sheets.append(Sheet(title, [], [], {}))
            continue
        width = max(max((j + 1 for j, c in enumerate(rows[i]) if c.strip()), default=0) for i in filled)
        header = (rows[filled[0]] + [""] * width)[:width]
        columns = [h.strip().lstrip("\ufeff") or f"column {get_column_letter(j + 1)}" for j, h in enumerate(header)]
        table, missing = [], {}
        for i in filled[1:]:
            number = i + 1  # the row as the sheet shows it
            cells_here = (rows[i] + [""] * width)[:width]
            table.append((TableRow(row=number, line=number, sheet=title), dict(zip(columns, cells_here))))
            written = formulas.get(title, [])
            if i < len(written):
                missed = [
                    col
                    for col, value, formula in zip(columns, cells[i], written[i])
                    if value is None and isinstance(formula, str) and formula.startswith("=")
                ]
                if missed:
                    missing[number] = missed
        sheets.append(Sheet(title, columns, table, missing))
    return sheets


def _workbook_table(sheets: Sequence[Sheet]) -> tuple[list[str], list[tuple[TableRow, dict]]]:
    """The columns of all sheets (in order) and all their rows: the workbook as one table, to choose the text
    column as for a CSV file (:func:`_table_column`, :func:`guess_text_column`)."""
    columns = list(dict.fromkeys(c for s in sheets for c in s.columns))
    return columns, [r for s in sheets for r in s.rows]


def _sheet_rows(
    sheet: Sheet, label: str, text_column: str, id_column: str, *, sheet_in_id: bool
) -> list[tuple[TableRow, object]]:
    """A sheet's rows for :func:`records_from_rows`; a row whose text cell is a formula without a value is an
    error saying so (not an empty text)."""
    out: list[tuple[TableRow, object]] = []
    for at, obj in sheet.rows:
        at = at._replace(sheet_in_id=sheet_in_id)
        if text_column in sheet.formulas.get(at.row, ()):
            where = where_in_file(label, at.line, at.row, sheet=at.sheet)
            msg = _titled(
                f"{where}: {text_column!r} is a formula without a cached value (the workbook was saved by a program "
                "that does not compute formulas; open and save it in Excel or LibreOffice)",
                obj,
            )
            given = obj.get(id_column)
            doc_id = (None if isinstance(given, (list, dict)) else _scalar_text(given)) or record_id(
                label, at.row, sheet=at.sheet if sheet_in_id else None
            )
            out.append((at, CorpusError(msg, path=label, line=at.line, row=at.row, sheet=at.sheet,
                                        doc_id=doc_id, reason=FORMULA_WITHOUT_VALUE)))  # fmt: skip
        else:
            out.append((at, obj))
    return out


def _formula_notes(sheet: Sheet, label: str, text_column: str) -> str | None:
    """The note on a sheet's other cells that are formulas without a cached value (read as empty)."""
    cells = Counter(c for cols in sheet.formulas.values() for c in cols if c != text_column)
    if not cells:
        return None
    listed = ", ".join(f"{c} ({n})" for c, n in cells.items())
    return (
        f"{label} sheet {sheet.name!r}: {plural(sum(cells.values()), 'formula cell')} without a cached value read as "
        f"empty (column and cells: {listed}); open and save the workbook in Excel or LibreOffice to store the values"
    )


class _NotATable(CorpusError):
    """A .json file that holds one object (settings, metadata), not records: set aside in a folder."""


# --- choosing the text column ---------------------------------------------------------------------------------
#: A column "clearly holds running Chinese text" when most sampled values are strings of at least this many
#: characters, at least this share of them CJK (titles are shorter; ids, dates, URLs and English are not CJK).
RUNNING_TEXT_MIN_CHARS = 30
RUNNING_TEXT_MIN_CJK = 0.5


def _cjk_share(text: str) -> float:
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return 0.0
    return sum(1 for c in chars if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff") / len(chars)


def _running_text_columns(columns: Sequence[str], rows: Sequence[dict], *, sample: int = 50) -> list[str]:
    found = []
    for col in columns:
        values = [r[col] for r in rows if r.get(col) not in (None, "")][:sample]
        if not values:
            continue
        good = sum(
            1
            for v in values
            if isinstance(v, str) and len(v) >= RUNNING_TEXT_MIN_CHARS and _cjk_share(v) >= RUNNING_TEXT_MIN_CJK
        )
        if good > len(values) / 2:
            found.append(col)
    return found


def _longest_column(columns: Sequence[str], rows: Sequence[dict], *, sample: int = 50) -> str | None:
    """The column to suggest as the text: the most Chinese characters per value, else the longest values (an id
    column of 30 Latin characters is no text beside headlines of 17 Chinese ones: review S, session 12).

    >>> _longest_column(["编号", "标题正文"], [{"编号": "VIDE3LpoRxtmQ9TIuAw3QQjz180207", "标题正文": "李克强会见荷兰首相"}])
    '标题正文'
    """
    lengths, chinese = {}, {}
    for col in columns:
        values = [r[col] for r in rows[:sample] if isinstance(r.get(col), str)]
        if values:
            lengths[col] = sum(map(len, values)) / len(values)
            chinese[col] = sum(len(v) * _cjk_share(v) for v in values) / len(values)
    ranked = chinese if any(chinese.values()) else lengths
    return max(ranked, key=ranked.get) if ranked else None  # type: ignore[arg-type]


def _missing_column_error(label: str, columns: Sequence[str], rows: Sequence[dict], text_column: str) -> CorpusError:
    example = _longest_column(columns, rows) or (columns[0] if columns else "NAME")
    listed = ", ".join(columns) if columns else "none"
    return CorpusError(
        f'{label}: no {text_column!r} column; columns are {listed}. Choose one with text_column="{example}" '
        f'(make report: PARAMS="-p text_column {example}")',
        path=label,
    )


def guess_text_column(source: str | os.PathLike[str], *, sample: int = 50) -> str | None:
    """For a CSV/TSV/JSONL/Excel corpus without a ``text`` column, the column that clearly holds running Chinese text.

    A column qualifies when most of its first ``sample`` values are strings of at least 30 characters, at least
    half of them Chinese characters. Returns ``None`` when the file has a ``text`` column, is not a table, or when
    no column or more than one column qualifies (then the user has to choose: ``text_column=...``).

    >>> guess_text_column("../data/csl_sample/csl_sample.jsonl")
    'abstract'
    >>> guess_text_column("../seeds") is None
    True
    """
    path = resolve_path(source)
    suffix = path.suffix.lower()
    if not path.is_file() or suffix not in TABLE_SUFFIXES + WORKBOOK_SUFFIXES:
        return None
    try:
        if suffix in WORKBOOK_SUFFIXES:  # all sheets as one table, as load_corpus chooses
            columns, rows = _workbook_table(read_workbook(path, name=path.name))
        else:
            text, _ = read_text_file(path, name=path.name)
            columns, rows = _table_rows(text, path.name, suffix)  # type: ignore[assignment]
    except CorpusError:
        return None  # load_corpus reports the problem with the file
    dicts = [r for _, r in rows if isinstance(r, dict)][: max(sample, 1)]
    if "text" in columns:
        return None
    found = _running_text_columns(columns, dicts, sample=sample)
    return found[0] if len(found) == 1 else None


# --- one row of a table ---------------------------------------------------------------------------------------
def _scalar_text(value: object) -> str | None:
    """A metadata scalar as text: numbers without a spurious ``.0``, booleans as ``true``/``false``."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


#: a skipped row's title is shown up to this length: a headline (most are under 30 characters) is shown whole
ROW_TITLE_MAX_CHARS = 40


def row_title(fields: dict) -> str | None:
    """The title a table row carries (its ``title`` field, else a column such as 标题), shortened, to name a
    skipped row by what a reader sees in the table; ``None`` when it has none.

    >>> row_title({"标题": "  男篮备战亚锦赛 ", "正文": ""}), row_title({"text": ""})
    ('男篮备战亚锦赛', None)
    """
    value = next((fields[c] for c in ("title", *METADATA_ALIASES["title"]) if c in fields), None)
    value = None if isinstance(value, (list, dict)) else _scalar_text(value)
    if value is None:
        return None
    return value if len(value) <= ROW_TITLE_MAX_CHARS else value[: ROW_TITLE_MAX_CHARS - 1] + "…"


def _titled(message: str, fields: dict) -> str:
    """A message on a skipped row, with the row's title when it has one: ``…: empty '正文' field (title: 男篮…)``."""
    title = row_title(fields)
    return f"{message} (title: {title})" if title else message


def _record_from_row(
    obj: dict, label: str, at: int | TableRow, text_column: str, id_column: str
) -> Iterator[SourceRecord | CorpusError]:
    line, row = (at.line, at.row) if isinstance(at, TableRow) else (at, None)
    sheet = at.sheet if isinstance(at, TableRow) else None
    id_sheet = sheet if isinstance(at, TableRow) and at.sheet_in_id else None
    where = where_in_file(label, line, row, sheet=sheet)
    given = obj.get(id_column)
    if isinstance(given, (list, dict)):
        msg = _titled(f"{where}: id field {id_column!r} is {_json_type(given)} ({_shown(given)}), not an id", obj)
        yield CorpusError(msg, path=label, line=line, row=row, reason="bad id", sheet=sheet)
        return
    given = _scalar_text(given)  # a skipped row is named by its own id too, so a researcher can find it
    made = record_id(label, line if row is None else row, sheet=id_sheet)
    bad = {"path": label, "line": line, "row": row, "doc_id": given or (made if sheet else None), "sheet": sheet}
    if text_column not in obj:
        fields = ", ".join(map(str, obj))
        msg = _titled(f"{where}: no {text_column!r} field (fields: {fields})", obj)
        yield CorpusError(msg, reason="no text field", **bad)
        return
    raw = obj[text_column]
    if raw is not None and not isinstance(raw, str):
        msg = _titled(f"{where}: {text_column!r} is {_json_type(raw)} ({_shown(raw)}), not text", obj)
        yield CorpusError(msg, reason="not text", **bad)
        return
    if raw is None or not raw.strip():
        yield CorpusError(_titled(f"{where}: empty {text_column!r} field", obj), reason="empty text", **bad)
        return
    extra = {k: v for k, v in obj.items() if k not in (text_column, id_column)}
    yield SourceRecord(doc_id=given or made, path=label, line=line, raw=raw, extra=extra, row=row, sheet=sheet)


def iter_records(
    path: str | os.PathLike[str],
    *,
    text_column: str = "text",
    id_column: str = "id",
    root: str | os.PathLike[str] | None = None,
) -> Iterator[SourceRecord | CorpusError]:
    """Yield the records of one file; bad documents or lines are yielded as :class:`CorpusError`.

    ``root`` is the corpus folder: paths in records and messages, and ids made from paths, are relative to it
    (default: the file's folder, so a file's id is its name without suffix, ``news-17`` for line 17 of
    ``news.jsonl``). A table without ``text_column`` yields one error listing its columns.
    """
    p = Path(path)
    label = _label(p, Path(root) if root is not None else p.parent)
    suffix = p.suffix.lower()
    if suffix in DOC_SUFFIXES:
        try:
            yield _document_record(p, label).record
        except CorpusError as e:
            yield e
        return
    if suffix in WORKBOOK_SUFFIXES:
        try:
            sheets = read_workbook(p, name=label)
        except CorpusError as e:
            yield e
            return
        columns, rows = _workbook_table(sheets)
        read = [s for s in sheets if text_column in s.columns]
        if not read:
            yield _missing_column_error(label, columns, [r for _, r in rows], text_column)
        for s in read:
            found = _sheet_rows(s, label, text_column, id_column, sheet_in_id=len(read) > 1)
            yield from records_from_rows(found, label, text_column=text_column, id_column=id_column)
        return
    if suffix not in TABLE_SUFFIXES:
        yield _unsupported_error(p, label)
        return
    try:
        text, _ = read_text_file(p, name=label)
        columns, rows = _table_rows(text, label, suffix)
    except CorpusError as e:
        yield e
        return
    if text_column not in columns:
        yield _missing_column_error(label, columns, [r for _, r in rows if isinstance(r, dict)], text_column)
        return
    yield from records_from_rows(rows, label, text_column=text_column, id_column=id_column)


class DocumentRead(NamedTuple):
    """A document file read (:func:`_document_record`): its record, the encoding its bytes were decoded as (``None``
    for a Word or PDF file, whose text is not decoded from bytes), and what reading it changed (cleaning-report rows
    without ``doc_id``/``path``, and warnings: :class:`helpers.documents.DocumentText`)."""

    record: SourceRecord
    encoding: str | None
    changes: list[dict]
    warnings: list[str]


def _document_record(path: Path, label: str, pdf=None, shared: frozenset = frozenset()) -> DocumentRead:
    """The record of a document file (.txt/.md/.html, or .docx/.pdf through :mod:`helpers.documents`); a
    :class:`CorpusError` when it cannot be read. A Word or PDF file's title property, when it is a real title, is
    the record's ``title`` field (it wins over the line cleaning reads as the title, as a title column does).
    ``pdf``: the PDF's pages already read (:func:`helpers.documents.read_pdf_pages`), and ``shared`` the running
    lines of the PDFs read with it (:func:`helpers.documents.shared_running_lines`)."""
    if path.suffix.lower() in WORD_SUFFIXES + PDF_SUFFIXES:
        from .documents import pdf_document, read_document

        doc = pdf_document(pdf, shared) if pdf is not None else read_document(path, name=label)
        extra = {"title": doc.title} if doc.title else {}
        rec = SourceRecord(doc_id=record_id(label), path=label, line=None, raw=doc.text, extra=extra)
        return DocumentRead(rec, None, doc.changes, doc.warnings)
    raw, encoding = read_text_file(path, name=label)
    return DocumentRead(
        SourceRecord(doc_id=record_id(label), path=label, line=None, raw=raw, extra={}), encoding, [], []
    )


def records_from_rows(
    rows: Iterable[tuple[int | TableRow, object]], label: str, *, text_column: str = "text", id_column: str = "id"
) -> Iterator[SourceRecord | CorpusError]:
    """The records of parsed table rows ``(line or TableRow, object or CorpusError)``; bad rows are yielded as
    errors, named by their file and line, or row (:func:`where_in_file`), and their title (:func:`row_title`).

    The one place where a row becomes a record (id from ``id_column``, else :func:`record_id`; the text from
    ``text_column``; every other field kept): :func:`iter_records`, :func:`load_corpus` and
    :mod:`helpers.distributed` all read rows through it, so they give the same ids and errors.

    >>> [r.doc_id for r in records_from_rows([(1, {"text": "正文"}), (2, {"id": "b", "text": "正文"})], "news.jsonl")]
    ['news-1', 'b']
    """
    for at, obj in rows:
        if isinstance(obj, CorpusError):
            yield obj
        elif not isinstance(obj, dict):  # a JSON value: ``at`` is its line
            msg = f"{label}:{at}: expected a JSON object, got {_json_type(obj)}"
            yield CorpusError(msg, path=label, line=int(at), reason=MALFORMED)
        else:
            yield from _record_from_row(obj, label, at, text_column, id_column)


def _unsupported_error(path: Path, label: str) -> CorpusError:
    kind = f"{path.suffix!r}" if path.suffix else "(no suffix)"
    msg = f"{label}: unsupported file type {kind} (convert to .txt/.csv)"
    if path.suffix.lower() in LEGACY_WORKBOOK_SUFFIXES:
        msg = f"{label}: unsupported file type {kind}, a legacy Excel workbook (save it in Excel as .xlsx or .csv)"
    if path.suffix.lower() in LEGACY_WORD_SUFFIXES:
        msg = f"{label}: unsupported file type {kind}, a legacy Word document (save it in Word or WPS as .docx)"
    return CorpusError(msg, path=str(path), reason="unsupported file type")


# --- which files a source holds -------------------------------------------------------------------------------
@dataclass
class _Inventory:
    root: Path  # paths in reports and ids are relative to it
    docs: list[Path]
    tables: list[Path]
    explicit: list[Path]  # files named one by one (a single file or list items): any type, read strictly
    rows: list[dict]  # description files, unsupported files, hidden entries
    warnings: list[str]
    mixed_folder: bool  # a folder with text documents: tables lacking the text column are set aside, not guessed


def _file_row(label: str, action: str, detail: str, doc_id: str | None = None, reason: str | None = None) -> dict:
    return {
        "doc_id": record_id(label) if doc_id is None else doc_id,
        "path": label,
        "line": None,
        "rule": "skipped",
        "action": action,
        "chars": 0,
        "detail": detail,
        "reason": reason,
    }


#: names of files not read from a folder, listed as hidden: dot files, and the lock files Word and WPS leave
#: beside an open document (``~$报告.docx``, hidden on Windows)
HIDDEN_PREFIXES = (".", "~$")


def _walk_folder(folder: Path, root: Path, inv: _Inventory) -> None:
    hidden: list[str] = []
    found = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        hidden.extend(_label(here / d, root) + "/" for d in sorted(dirnames) if d.startswith("."))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            f = here / name
            label = _label(f, root)
            if name.startswith(HIDDEN_PREFIXES):
                hidden.append(label)
                continue
            found += 1
            suffix = f.suffix.lower()
            if _is_folder_doc(f):
                inv.rows.append(
                    _file_row(label, "description", f"{label}: describes the corpus folder, not a document")
                )
            elif suffix in DOC_SUFFIXES:
                inv.docs.append(f)
            elif suffix in TABLE_SUFFIXES + WORKBOOK_SUFFIXES:
                inv.tables.append(f)
            else:
                err = _unsupported_error(f, label)
                msg = str(err)
                inv.rows.append(_file_row(label, "skipped", msg, reason=err.reason))
                inv.warnings.append(msg)
    if hidden:
        shown = ", ".join(hidden[:3]) + (" …" if len(hidden) > 3 else "")
        inv.rows.append(
            _file_row(
                "",
                "ignored",
                f"{plural(len(hidden), 'hidden file or folder', 'hidden files or folders')} not read ({shown})",
                doc_id="",
            )
        )
    if not found and not hidden:
        raise CorpusError(f"{folder}: empty folder (no {', '.join(READ_SUFFIXES)} files)")


def corpus_inventory(source: str | os.PathLike[str] | Sequence) -> _Inventory:
    """The files of a corpus (a folder, a file or a list of paths): documents, tables, descriptions and skipped
    files, with the folder their names are relative to."""
    if isinstance(source, (list, tuple)):
        if not source:
            raise CorpusError("empty list of paths")
        items = []
        for item in source:
            p = resolve_path(item)
            if not p.exists():
                raise FileNotFoundError(f"{item}: no such file or folder")
            items.append(p)
        root = Path(os.path.commonpath([p.parent for p in items]))
    else:
        p = resolve_path(source)
        if not p.exists():
            raise FileNotFoundError(f"{source}: no such file or folder")
        items = [p]
        root = p if p.is_dir() else p.parent
    inv = _Inventory(root=root, docs=[], tables=[], explicit=[], rows=[], warnings=[], mixed_folder=False)
    for p in items:
        if p.is_dir():
            _walk_folder(p, root, inv)
        else:
            inv.explicit.append(p)
    inv.mixed_folder = bool(inv.docs)
    if not inv.docs and not inv.tables and not inv.explicit:
        what = "; ".join(r["detail"] for r in inv.rows[:3])
        raise CorpusError(
            f"{source}: empty folder (no {', '.join(READ_SUFFIXES)} files)" + (f": {what}" if what else "")
        )
    return inv


# --- cleaning (parallel for large corpora) -------------------------------------------------------------------
def _clean_one(raw: str):
    r = clean_document(raw)
    return r.text, r.title, r.date, r.source, r.changes


#: cleaning in one more process pays for itself above this many characters of raw text per process. Measured with
#: CPU accounting (3,000 workload pages, 1.66 M characters): 1.2 CPU-s in one process; with two workers 1.1 CPU-s
#: in the workers plus 0.35-0.45 CPU-s in the parent, so two processes break even near 0.3 M characters
CLEAN_MIN_CHARS_PER_PROCESS = 600_000


def clean_many(raws: list[str], n_jobs: int | None, progress: bool | None) -> list:
    """Clean raw texts (in ``n_jobs`` processes when they pay): ``(text, title, date, source, changes)`` of each."""
    from tqdm import tqdm

    from .mojibake import prepare_repair_tables
    from .tokenize import choose_processes, free_cores, show_progress

    show = show_progress(progress, len(raws))
    cores, load = free_cores()
    n, why = choose_processes(
        sum(map(len, raws)), n_jobs=n_jobs, cores=cores, load=load, per_process=CLEAN_MIN_CHARS_PER_PROCESS
    )
    logging.getLogger(__name__).info("cleaning %d texts: %s", len(raws), why)
    if n <= 1:
        return [_clean_one(r) for r in tqdm(raws, desc="cleaning", unit="doc", disable=not show)]
    prepare_repair_tables(raws)  # built once here, inherited by the forked workers
    import multiprocessing as mp

    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    with ctx.Pool(n) as pool:
        it = pool.imap(_clean_one, raws, chunksize=max(1, min(200, len(raws) // (n * 8) or 1)))
        return list(tqdm(it, total=len(raws), desc="cleaning", unit="doc", disable=not show))


# --- site templates ------------------------------------------------------------------------------------------
#: a line of fewer characters (一线见闻-style labels are four) is never counted as a template line
TEMPLATE_MIN_LINE_CHARS = 4
#: a line that reads like a sentence (ends in 。！？：；”) is template only when it reads as page furniture
#: (:func:`helpers.clean.reads_as_boilerplate`: a copyright notice, navigation) and this many documents hold it, or
#: this share of the corpus: a sentence repeated in a few pages is more likely a quoted or reprinted one, and a
#: formula of ordinary prose (会议还研究了其他事项。 closes most reports of a meeting) is text however often it recurs
TEMPLATE_SENTENCE_MIN_DOCS = 5
TEMPLATE_SENTENCE_MIN_SHARE = 0.2


def _site_template_lines(texts: list[str]) -> set[str]:
    """Lines of the cleaned texts that are site template (:func:`site_template_lines` on every document)."""
    return site_template_lines([document_lines(t) for t in texts], n_docs=len(texts))


def document_lines(text: str) -> list[str]:
    """A cleaned text's distinct non-blank lines, in order: the units :func:`site_template_lines` judges."""
    return list(dict.fromkeys(x for x in text.split("\n") if x.strip()))


def site_template_lines(doc_lines: Sequence[list[str]], *, n_docs: int) -> set[str]:
    """Lines that are site template (:func:`helpers.clean.site_template`, one feature a line) in a corpus of
    ``n_docs`` documents, from the :func:`document_lines` of its documents.

    Only documents with two or more distinct lines hold template lines: a line that is the whole of a document is
    that document's text (a short story that appears several times), never a template. ``doc_lines`` may leave
    out documents holding no line found in :data:`TEMPLATE_MIN_DOCS` documents (they cannot change the result):
    a corpus read in chunks passes only those (:mod:`helpers.stream`).
    """
    if n_docs < TEMPLATE_MIN_DOCS:
        return set()
    found = site_template(
        [lines if len(lines) > 1 else [] for lines in doc_lines],
        other_text="all_but_unit",
        eligible=lambda line: len(line) >= TEMPLATE_MIN_LINE_CHARS,
    )
    widespread = max(TEMPLATE_SENTENCE_MIN_DOCS, TEMPLATE_SENTENCE_MIN_SHARE * n_docs)
    template = {
        line
        for line, n in found.items()
        if line[-1] not in "。！？!?：:；;”" or (n >= widespread and reads_as_boilerplate(line))
    }
    return template - recurring_headlines(doc_lines, template)


#: a repeated line is a recurring story headline (李克强主持召开国务院常务会议, 9 broadcast days), not site template,
#: when in at least this share of the documents holding it the next line is body text (a sentence) about the same
#: thing: holding at least HEADLINE_MIN_SHARED of the line's pairs of Chinese characters (国务院总理李克强9日主持召开
#: 国务院常务会议，…). Measured on broadcast days built from data/xwlb_sections_heldout and on reviewer R8a's 150
#: days: the story headlines share 0.79–0.92 of their pairs with the next sentence in every holder; a section label
#: (国际联播快讯, followed by a story's own headline) has no sentence after it; repeated sentences share 0–0.2
RECURRING_HEADLINE_MIN_HOLDERS = 0.5
HEADLINE_MIN_SHARED = 0.5


def _char_pairs(text: str) -> set[str]:
    """The pairs of adjacent Chinese characters of ``text`` (punctuation and spaces left out)."""
    cjk = "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")
    return {cjk[i : i + 2] for i in range(len(cjk) - 1)}


def recurring_headlines(doc_lines: Sequence[list[str]], candidates: set[str]) -> set[str]:
    """The ``candidates`` (repeated lines) that are story headlines: in most documents holding one, the line after
    it is a sentence sharing most of its character pairs (:data:`HEADLINE_MIN_SHARED`); kept as text.

    >>> day = ["李克强主持召开国务院常务会议", "国务院总理李克强9日主持召开国务院常务会议，部署有关工作。"]
    >>> recurring_headlines([day, ["扫码下载客户端 网站地图", "全县召开推进会，部署有关工作。"]], {day[0], "扫码下载客户端 网站地图"})
    {'李克强主持召开国务院常务会议'}
    """
    followed = {line: [0, 0] for line in candidates}  # holders, holders where a sentence about it follows
    for lines in doc_lines:
        for line, after in zip(lines, [*lines[1:], ""]):
            if line in followed:
                pairs = _char_pairs(line)
                shared = len(pairs & _char_pairs(after)) / len(pairs) if pairs else 0.0
                followed[line][0] += 1
                followed[line][1] += is_body_line(after) and shared >= HEADLINE_MIN_SHARED
    return {line for line, (n, ok) in followed.items() if n and ok >= RECURRING_HEADLINE_MIN_HOLDERS * n}


def _remove_template(text: str, template: set[str]) -> tuple[str, list[str]]:
    """The text without its template lines, and the lines removed; unchanged when nothing else would be left."""
    lines, removed = drop_template(text.split("\n"), template)
    return "\n".join(lines), removed


# --- metadata fields ------------------------------------------------------------------------------------------
#: Columns read as ``title``, ``date`` and ``source`` when a CSV/JSONL row has no field of that name: the names that
#: scraped and exported Chinese news tables use (first match wins; the original column is kept as well).
METADATA_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("标题", "標題", "题目", "題目", "headline", "Title", "TITLE"),
    "date": ("日期", "发布日期", "發布日期", "发布时间", "發布時間", "发表日期", "發表日期", "出版日期", "时间", "時間",
             "pub_date", "publish_date", "published", "Date", "DATE",
             # a year alone (a CNKI-style table of papers): read as a date of year precision (:func:`column_date`)
             "年份", "年度", "发表年份", "發表年份", "出版年", "出版年份", "年", "year", "Year", "YEAR",
             "pub_year", "publication_year"),
    "source": ("来源", "來源", "媒体", "媒體", "出处", "出處", "publisher", "Source", "SOURCE"),
}  # fmt: skip


#: the ``action`` and ``detail`` (after the file's name) of the report row saying that a column's values were
#: converted from Traditional characters (the column is the row's ``columns``, which :func:`traditional_summary` reads)
CONVERTED_VALUES = "converted"
CONVERTED_DETAIL = ": values of column {column} converted to Simplified"
#: how many variant conversions (衞→卫 …) :func:`traditional_summary` names, the most frequent first
VARIANT_PAIRS_SHOWN = 5


def _simplified_labels(extra: dict, path: str, log: LoadLog) -> None:
    """In the fields of a document converted from Traditional, the short text values (labels, groups, sources:
    fewer than :data:`RUNNING_TEXT_MIN_CHARS` characters) converted like its text, each column said once per file.

    Titles (kept as written, the ``title`` is converted), ids and running text are left as they are.
    """
    keep = {"title", *METADATA_ALIASES["title"], *ID_COLUMN_NAMES}
    for column, value in extra.items():
        if column in keep or not isinstance(value, str) or len(value) >= RUNNING_TEXT_MIN_CHARS:
            continue
        simplified = to_simplified(value)
        if simplified != value:
            extra[column] = simplified
            log.note_converted(path, column)


#: the ``detail`` of the report row of a document whose date was read from its file name
DATE_FROM_NAME = "date read from the file name"
#: added to the ``detail`` of a date read from a file or folder name that gives a month and no day (``2018-02.txt``,
#: a folder ``2018-02/``): the month's first day is stored, as :func:`file_name_date` reads it
MONTH_AS_FIRST_DAY = " (a month, read as its first day)"
#: the ``detail`` of the report row of a document whose date cleaning read from its text (a dateline or a lead-in
#: above the body, :func:`helpers.clean.clean_document`), no column or file name giving one
DATE_FROM_TEXT = "date read from the text"
#: a value that is a year and nothing else: ``2014``, ``2014年``, ``2014.0`` (a year column of a CSV with a gap,
#: which pandas reads as floats)
_YEAR_ONLY = re.compile(r"((?:19|20)\d\d)\s*(?:年|\.0+)?")


def column_date(value: object) -> str | None:
    """A date column's value as the loader stores it: ``YYYY-MM-DD`` (:func:`helpers.clean.normalize_date`),
    ``YYYY`` when it gives a year only (a 年份 column), ``--MM-DD`` when it gives no year, or ``None``.

    A year is read from 1900 to next year (:data:`NAME_DATE_FIRST_YEAR`); it is never given a month or a day.

    >>> column_date(2014), column_date("2014年"), column_date(2014.0), column_date("2014-03-05"), column_date("03-05")
    ('2014', '2014', '2014', '2014-03-05', '--03-05')
    >>> column_date("2099") is None, column_date(float("nan")) is None
    (True, True)
    """
    if isinstance(value, bool):
        return None
    m = _YEAR_ONLY.fullmatch(str(value).strip()) if value is not None else None
    if m:
        year = int(m.group(1))
        ok = NAME_DATE_FIRST_YEAR <= year <= datetime.date.today().year + NAME_DATE_YEARS_AHEAD
        return f"{year:04d}" if ok else None
    return normalize_date(value)


def _metadata_value(value: object, field: str, where: str, notes: list[str]) -> str | None:
    """A title/date/source value of a CSV/JSONL row as text; lists and objects are noted and left out."""
    if isinstance(value, (list, dict)):
        notes.append(f"{where}: {field!r} is {_json_type(value)} ({_shown(value)}), not text; left empty")
        return None
    return _scalar_text(value)


#: the years a date in a file name may have: from 1900 to next year (a later one is an id, not a publication date)
NAME_DATE_FIRST_YEAR = 1900
NAME_DATE_YEARS_AHEAD = 1
#: a full date anywhere in a file name: ``2018-03-05``, ``2018_3_5``, ``2018.03.05``, ``2018年3月5日`` (no other digit
#: next to it), or ``20180305`` (eight digits, no other digit next to it: ``news20180305``; in 200,000 random
#: 16-hex-digit names, the kind of hash ids make, 2 held such a calendar day, so hashed names are not misread)
_NAME_DATE = re.compile(
    r"(?<![0-9])((?:19|20)\d\d)(?:\s*[-_.]\s*(\d{1,2})\s*[-_.]\s*(\d{1,2})|\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?)(?![0-9])"
    r"|(?<![0-9])((?:19|20)\d\d)(\d\d)(\d\d)(?![0-9])"
)
#: the ``detail`` of the report row of a file name that holds a date-like number but no single date
NAME_DATE_NOT_READ = "no date read from the file name"


class NameDate(NamedTuple):
    """What a file name says of its date: ``date`` (``YYYY-MM-DD``) or ``None``, and why none was read when the
    name holds something date-like (``problem``: ``"two dates (2018-03-05, 2018-03-06)"``, ``"20230001 is not a
    date"``)."""

    date: str | None
    problem: str | None = None


def _valid_day(year: int, month: int, day: int) -> str | None:
    """``YYYY-MM-DD`` when the three make a calendar day in the years a file name may give, else ``None``."""
    if not NAME_DATE_FIRST_YEAR <= year <= datetime.date.today().year + NAME_DATE_YEARS_AHEAD:
        return None
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def file_name_date(path: str | os.PathLike[str], *, compact: bool = True) -> NameDate:
    """The date a file's name holds: the one full date anywhere in it (``新闻联播_2018-03-05.txt``,
    ``2018-07-28 (2).txt``, ``xwlb_20180305.txt``, ``2018年3月5日.txt``), or a name that is only a year and a month
    (``2018-02.txt``: its first day); none, with the ``problem``, when the name holds two different dates or a
    date-shaped number that is no calendar day (``20230001``: an id).

    ``compact=False`` reads no eight-digit number as a date (a folder whose names are numbered ids, some of which
    happen to be calendar days: :func:`compact_names_are_ids`).

    >>> file_name_date("新闻联播_2018-03-05.txt"), file_name_date("2018-07-28 (2).txt").date
    (NameDate(date='2018-03-05', problem=None), '2018-07-28')
    >>> file_name_date("2018-03-05_2018-03-06.txt").problem, file_name_date("20230001.txt").problem
    ('2 dates (2018-03-05, 2018-03-06)', '20230001 is not a date')
    >>> file_name_date("12345.txt"), file_name_date("bulletins/2018-02.txt").date
    (NameDate(date=None, problem=None), '2018-02-01')
    """
    stem = Path(os.fspath(path)).stem.strip()
    found, bad = [], []
    for m in _NAME_DATE.finditer(stem):
        y, mo, d = (g for g in m.groups() if g is not None)
        day = _valid_day(int(y), int(mo), int(d))
        if day and m.group(6) and not compact:
            return NameDate(None, f"{m.group(0)} read as an id (other names of the folder are numbers, no dates)")
        (found if day else bad).append(day or m.group(0))
    dates = sorted(set(found))
    if len(dates) == 1 and not bad:
        return NameDate(dates[0])
    if len(dates) > 1:
        return NameDate(None, f"{len(dates)} dates ({', '.join(dates)})")
    if bad:
        return NameDate(None, f"{bad[0]} is not a date")
    month = re.fullmatch(r"((?:19|20)\d\d)\s*[-_.年]\s*(\d{1,2})\s*月?", stem)  # a monthly file
    return NameDate(_valid_day(int(month.group(1)), int(month.group(2)), 1) if month else None)


def date_from_file_name(path: str | os.PathLike[str]) -> str | None:
    """The date of :func:`file_name_date`, or ``None``.

    >>> date_from_file_name("bulletins/2018-02.txt"), date_from_file_name("20190305.html")
    ('2018-02-01', '2019-03-05')
    >>> date_from_file_name("000_7cdaf701bcb4d326.txt") is None
    True
    """
    return file_name_date(path).date


def compact_names_are_ids(paths: Iterable[str | os.PathLike[str]]) -> bool:
    """Whether any of ``paths`` is named by an eight-digit number that is no date (``20230001.txt``): then its
    folder's names are ids, and ``20230105.txt`` is read as no date either.

    >>> compact_names_are_ids(["20230001.txt", "20230105.txt"]), compact_names_are_ids(["20180305.txt"])
    (True, False)
    """
    for path in paths:
        m = re.fullmatch(r"((?:19|20)\d\d)(\d\d)(\d\d)", Path(os.fspath(path)).stem.strip())
        if m and not _valid_day(*map(int, m.groups())):
            return True
    return False


#: the ``detail`` of the report row of a document dated by the folder it sits in: a researcher files documents in
#: folders by year or month (``政策文件/2016/通知.docx``, ``2018-03/``) and neither the file's name nor its text gives
#: a full date (a reviewer: notebook 05 left such documents out although their folder says the year)
DATE_FROM_FOLDER = "date read from the folder name"
#: added to :data:`DATE_FROM_FOLDER` when the text gave the month and day (a lead-in 中新网6月26日电: ``--06-26``)
#: and the folder the year
MONTH_DAY_FROM_TEXT = ", with the month and day from the text"
#: the ``action`` of the report row of a document whose own full date (from its file name or its text) falls in
#: another year than the year folder it sits in: the date is kept, but either it or the folder is wrong
DATE_CHECKED = "checked"
#: a folder name that is a year (``2016``, ``2016年``, ``2016年度``) or a year and a month (``2016-03``, ``2016_3``,
#: ``2016.03``, ``2016年3月``, ``201603``: six digits, a real month, :func:`_valid_day`) and nothing else
#: (``2016年工作报告``, ``第2016号``, ``2019新闻`` are no dates)
_FOLDER_DATE = re.compile(
    r"((?:19|20)\d\d)\s*(?:年度?)?"
    r"|((?:19|20)\d\d)\s*(?:[-_.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月)"
    r"|((?:19|20)\d\d)(\d\d)"
)


def folder_name_date(name: str) -> str | None:
    """The date a folder's name gives, as the loader stores dates: ``YYYY`` for a year (no month or day is guessed,
    as for a 年份 column, :func:`column_date`), the month's first day ``YYYY-MM-01`` for a year and a month (as
    :func:`file_name_date` reads ``2018-02.txt``), ``None`` for any other name; years as in file names
    (:data:`NAME_DATE_FIRST_YEAR` to next year).

    >>> [folder_name_date(n) for n in ("2016", "2016年", "2016-03", "2016_3", "2016年3月", "201603")]
    ['2016', '2016', '2016-03-01', '2016-03-01', '2016-03-01', '2016-03-01']
    >>> [folder_name_date(n) for n in ("2016年工作报告", "第2016号", "201613", "2099", "2019新闻", "03")]
    [None, None, None, None, None, None]
    """
    m = _FOLDER_DATE.fullmatch(name.strip())
    if m is None:
        return None
    year, *month = (int(g) for g in m.groups() if g is not None)
    day = _valid_day(year, month[0] if month else 1, 1)
    return day if month or day is None else day[:4]


def folder_date(path: str) -> tuple[str, str] | None:
    """The nearest folder of a file's ``path`` (relative to the corpus folder: the corpus folder's own name never
    counts) whose name is a date (:func:`folder_name_date`), as ``(name, date)``; ``None`` when there is none.

    >>> folder_date("政策文件/2016/03/通知.docx"), folder_date("2018-03/a.txt"), folder_date("2016年工作报告/a.txt")
    (('2016', '2016'), ('2018-03', '2018-03-01'), None)
    """
    for name in reversed(PurePosixPath(str(path).replace("\\", "/")).parts[:-1]):
        date = folder_name_date(name)
        if date:
            return name, date
    return None


def _date_with_folder(path: str, date: str | None, said: str, row: dict, log: LoadLog) -> tuple[str | None, bool]:
    """A file's date given the year or month folder it sits in (:func:`folder_date`), and whether the text's date
    row still stands. A file with no date, or with only the text's month and day (``--03-05``), takes the folder's
    (a year folder and ``--03-05``: ``2016-03-05``; a month folder keeps its first day unless the text's day is in
    its month), with a :data:`DATE_FROM_FOLDER` row; a full date (``said`` to
    come from the file name or the text) in another year than the folder's is kept, with a :data:`DATE_CHECKED`
    row naming both (``date 2017-03-05 from the file name, in folder 2016``)."""
    found = folder_date(path)
    if found is None:
        return date, True
    name, folder = found
    if date is not None and not date.startswith("--"):
        if date[:4] != folder[:4]:
            detail = f"date {date} from {said}, in folder {name}"
            log.rows.append({**row, "rule": "metadata", "action": DATE_CHECKED, "chars": 0, "detail": detail})
        return date, True
    detail = DATE_FROM_FOLDER + (MONTH_AS_FIRST_DAY if len(folder) > 4 else "")
    if date is not None:  # ``--MM-DD``: the text gave the month and day, the folder gives the year
        month, day = int(date[2:4]), int(date[5:7])
        full = _valid_day(int(folder[:4]), month, day)
        if len(folder) > 4 and int(folder[5:7]) != month:  # neither says the day: the folder's month is kept
            detail += f"; the text's {date[2:]} is in another month"
        elif full is None:
            detail += f"; the text's {date[2:]} is no day of {folder[:4]}"
        else:
            detail, folder = DATE_FROM_FOLDER + MONTH_DAY_FROM_TEXT, full
    log.rows.append({**row, "rule": "metadata", "action": "read", "chars": 0, "detail": detail})
    return folder, False


# --- the cache: Parquet + JSON, written atomically ------------------------------------------------------------
_JSON_COLUMNS_KEY = b"tuopin.json_columns"


def _file_digest(path: Path) -> bytes:
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError as e:  # reported when the file is read; the key changes once it becomes readable
        return f"unreadable:{e.errno}".encode()


def _cache_key(inv: _Inventory, files: list[Path], **settings) -> str:
    h = hashlib.sha256()
    h.update(str(inv.root).encode())
    for f in files:
        h.update(str(f).encode() + b"\0")
        h.update(_file_digest(f))
    h.update(json.dumps([inv.rows, inv.warnings, settings], sort_keys=True, default=str).encode())
    for mod in ("clean.py", "mojibake.py", "corpus.py", "documents.py"):
        h.update((Path(__file__).parent / mod).read_bytes())
    return h.hexdigest()[:24]


def _needs_json(col: pd.Series) -> bool:
    """Object columns that are not plain text (mixed types, lists, objects, NaN) are stored as JSON text."""
    return col.dtype == object and not all(v is None or isinstance(v, str) for v in col)


def _write_docs(docs: pd.DataFrame, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = docs.copy()
    json_cols = [c for c in frame.columns if _needs_json(frame[c])]
    for c in json_cols:
        frame[c] = [json.dumps(v, ensure_ascii=False) for v in frame[c]]
    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[_JSON_COLUMNS_KEY] = json.dumps(json_cols, ensure_ascii=False).encode()
    atomic_write(path, lambda tmp: pq.write_table(table.replace_schema_metadata(meta), tmp))


def _read_docs(path: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    json_cols = json.loads((table.schema.metadata or {})[_JSON_COLUMNS_KEY])
    docs = table.to_pandas()
    for c in json_cols:
        docs[c] = pd.Series([json.loads(v) for v in docs[c]], index=docs.index, dtype=object)
    return docs


def report_frame(rows: list[dict]) -> pd.DataFrame:
    """The cleaning report as a DataFrame of :data:`REPORT_COLUMNS` (``line`` nullable, ``chars`` integers,
    ``columns`` JSON text: a row's list of column names is encoded, a missing one is ``""``).

    >>> report_frame([{"rule": "metadata", "columns": ["類別"]}, {"rule": "whitespace"}])["columns"].tolist()
    ['["類別"]', '']
    """
    report = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    report["line"] = report["line"].astype("Int64")
    report["chars"] = report["chars"].fillna(0).astype("int64")
    report["columns"] = [_columns_cell(v) for v in report["columns"]]
    return report


def _columns_cell(value: object) -> str:
    """A row's ``columns`` as stored: a list as JSON text, JSON text (read back from a file) as it is, else ``""``."""
    if isinstance(value, str):
        return value
    if isinstance(value, Iterable):  # a list or tuple (an array, from a Parquet list column)
        return json.dumps([str(c) for c in value], ensure_ascii=False) if len(list(value)) else ""
    return ""


def report_columns(report: pd.DataFrame) -> pd.Series:
    """The ``columns`` of each report row as a list of column names (empty where a row concerns none), from a
    report as :func:`load_corpus` returns it or as read back from ``cleaning_report.csv`` or ``report.parquet``.

    >>> report_columns(report_frame([{"columns": ["栏目", "a, b"]}, {}])).tolist()
    [['栏目', 'a, b'], []]
    """
    if "columns" not in report:  # a report written before rows had columns
        return pd.Series([[] for _ in range(len(report))], index=report.index, dtype=object)
    cells = map(_columns_cell, report["columns"])  # a CSV read back gives NaN for ""
    return pd.Series([json.loads(c) if c else [] for c in cells], index=report.index, dtype=object)


def _write_report(report: pd.DataFrame, warns: dict, path: Path) -> None:
    rows = [
        {k: (None if k == "line" and pd.isna(v) else int(v) if k in ("line", "chars") else v) for k, v in r.items()}
        for r in report.to_dict("records")
    ]
    text = json.dumps({"rows": rows, **warns}, ensure_ascii=False)
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _read_report(path: Path) -> tuple[pd.DataFrame, dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    warns = {"warnings": list(data["warnings"]), "notes": list(data["notes"]), "columns": dict(data["columns"])}
    warns["encodings"] = dict(data["encodings"])
    return report_frame(data["rows"]), warns


def _read_cache(docs_file: Path, report_file: Path):
    """The cached corpus, or ``None``; an unreadable cache file is deleted with a warning naming it."""
    import pyarrow as pa

    if not (docs_file.exists() and report_file.exists()):
        return None
    for f, read in ((report_file, _read_report), (docs_file, _read_docs)):
        try:
            result = read(f)
        except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as e:
            warnings.warn(
                f"corpus cache file {f.parent.name}/{f.name} could not be read ({type(e).__name__}); "
                "deleted, rebuilding it",
                stacklevel=3,
            )
            docs_file.unlink(missing_ok=True)
            report_file.unlink(missing_ok=True)
            return None
        if f is report_file:
            report, warns = result
        else:
            docs = result
    return docs, report, warns


# --- the loader ----------------------------------------------------------------------------------------------
class LoadLog:
    """The report rows and warnings of one load, and what a bad document does (raise, or a ``skipped`` row)."""

    def __init__(self, inv: _Inventory, errors: str) -> None:
        self.inv = inv
        self.errors = errors
        self.rows: list[dict] = list(inv.rows)
        self.warnings: list[str] = list(inv.warnings)  # skipped or set-aside input: SkippedInputWarning
        self.notes: list[str] = []  # choices made for the user (a guessed text column): UserWarning
        self.aliases: set[tuple[str, str, str]] = set()
        self.columns: dict[str, tuple[str, str | None]] = {}  # table → (text column, id column or None) read
        self.encodings: dict[str, str] = {}  # every file read → the encoding it was decoded as

    def note_encoding(self, path: str, encoding: str) -> None:
        """Record the encoding a file was read as; a file not read as UTF-8 is also a report row (rule
        ``encoding``), so the report names every such file and :func:`encoding_summary` counts them."""
        self.encodings[path] = encoding
        if encoding not in UTF8_ENCODINGS:
            name = ENCODING_NAMES.get(encoding, encoding)
            row = {"doc_id": "", "path": path, "line": None, "rule": "encoding", "action": "read", "chars": 0}
            self.rows.append({**row, "detail": f"{path}: read as {name}, not UTF-8"})

    def columns_used(self) -> dict[str, str | None]:
        """The ``text_column`` and ``id_column`` every table of the load was read with: ``None`` when there is no
        table, the tables differ, or (``id_column``) their ids are row numbers."""
        texts = {t for t, _ in self.columns.values()}
        ids = {i for _, i in self.columns.values()}
        return {
            "text_column": next(iter(texts)) if len(texts) == 1 else None,
            "id_column": next(iter(ids)) if len(ids) == 1 else None,
        }

    def note_alias(self, path: str, column: str, field: str) -> None:
        """Say once per file that a column such as 日期 was read as the ``date`` field."""
        key = (path, column, field)
        if key in self.aliases:
            return
        self.aliases.add(key)
        self.rows.append(
            {
                "doc_id": "",
                "path": path,
                "line": None,
                "rule": "metadata",
                "action": "read",
                "chars": 0,
                "detail": f"{path}: column {column!r} read as the {field}",
                "columns": [column],
            }
        )

    def note_converted(self, path: str, column: str) -> None:
        """Say once per file that the values of ``column`` were converted from Traditional characters."""
        key = (path, column, CONVERTED_VALUES)
        if key in self.aliases:
            return
        self.aliases.add(key)
        row = {"doc_id": "", "path": path, "line": None, "rule": "metadata", "action": CONVERTED_VALUES}
        detail = f"{path}{CONVERTED_DETAIL.format(column=column)}"
        self.rows.append({**row, "chars": 0, "detail": detail, "columns": [column]})

    def fail(self, err: CorpusError, doc_id: str | None = None) -> None:
        if self.errors == "raise":
            raise err
        label = err.path if err.path is not None else ""
        if label and Path(label).is_absolute():
            label = _label(Path(label), self.inv.root)
        doc_id = doc_id if doc_id is not None else err.doc_id
        self.rows.append(
            {
                "doc_id": doc_id if doc_id is not None else record_id(label, err.row or err.line) if label else "",
                "path": label,
                "line": err.line,
                "rule": "skipped",
                "action": "skipped",
                "chars": 0,
                "detail": str(err),
                "reason": err.reason or "invalid input",
                "columns": err.columns,
            }
        )

    def set_aside(
        self, label: str, action: str, message: str, *, rule: str | None = None, warning: str | None = None
    ) -> None:
        """A file not read as documents (or read with a guessed column, ``rule="text_column"`` or ``"id_column"``): a
        report row and a warning (a :class:`SkippedInputWarning`, or a plain ``UserWarning`` for a guessed column)."""
        row = _file_row(label, action, message, reason="not read as documents" if action == "ignored" else None)
        self.rows.append({**row, "rule": rule} if rule else row)
        (self.notes if rule in ("text_column", "id_column") else self.warnings).append(warning or message)


def _table_column(
    label: str, columns: list[str], rows: list, text_column: str, inv: _Inventory, log: LoadLog, path: Path
) -> str | CorpusError | None:
    """The column to read as text: ``text_column``; else the one column of running Chinese text (a warning and a
    report row); else ``None`` in a folder of documents (the table is set aside) or the error to raise (naming
    ``path``). A CSV/TSV/JSONL table and a workbook's sheets read as one table choose it alike."""
    if text_column in columns:
        return text_column
    dicts = [r for _, r in rows if isinstance(r, dict)]
    guessed = None if inv.mixed_folder else _running_text_columns(columns, dicts)
    if guessed and len(guessed) == 1:
        msg = (
            f"{label}: no {text_column!r} column; used {guessed[0]!r}, the only column of running Chinese "
            f"text (choose another with text_column=...)"
        )
        log.set_aside(label, "guessed", msg, rule="text_column")
        return guessed[0]
    if inv.mixed_folder:
        listed = ", ".join(columns) if columns else "none"
        msg = (
            f"{label}: no {text_column!r} column (columns are {listed}); not read as documents, "
            "the folder's text files were"
        )
        log.set_aside(label, "ignored", msg)
        return None
    error = _missing_column_error(label, columns, dicts, text_column)
    error.path = str(path)
    return error


#: column names read as the id column when the table has no ``id_column`` (the default ``id``): the corpus's own
#: ids (編號 tw-0000 …) are kept, and named in the loading summary, rather than replaced by row numbers
ID_COLUMN_NAMES = ("编号", "編號", "编码", "編碼", "序号", "序號", "ID", "Id", "文档编号", "文章编号")


def id_like_column(columns: Iterable[str]) -> str | None:
    """The first of a table's columns named like an id (:data:`ID_COLUMN_NAMES`), ``None`` when none is.

    >>> id_like_column(["編號", "標題", "內容"]), id_like_column(["title", "text"])
    ('編號', None)
    """
    names = set(columns)
    return next((c for c in ID_COLUMN_NAMES if c in names), None)


def table_id_column(
    label: str, columns: Sequence[str], rows: Iterable[tuple[int, object]], id_column: str, log: LoadLog | None = None
) -> str:
    """The column a table's ids are read from: ``id_column``, or, when the table has no such column, its column
    named like an id (:func:`id_like_column`) whose values are all non-empty and unique.

    The choice (or why a column named like an id was not used) is a note: a report row of ``log``
    (rule ``id_column``, action ``guessed``) and a ``UserWarning`` when the load ends, or, without ``log``, a
    ``UserWarning`` now. ``rows`` (``(line, object)`` pairs, e.g. of a first pass over a large file) are read only
    when that column has to be judged. :func:`load_corpus`, :mod:`helpers.stream` and :mod:`helpers.distributed`
    all choose through this function.
    """
    name = None if id_column in columns else id_like_column(columns)
    if name is None:
        return id_column
    values = [_scalar_text(r.get(name)) for _, r in rows if isinstance(r, dict)]
    used = bool(values) and all(values) and len(set(values)) == len(values)
    if used:
        msg = f"{label}: no {id_column!r} column; ids read from {name!r}, whose values are unique (choose another with id_column=...)"
    else:
        msg = (
            f"{label}: no {id_column!r} column; {name!r} not used as ids (its values are not all unique and "
            f"non-empty), ids are row numbers (use it with id_column={name!r})"
        )
    if log is None:
        warnings.warn(msg, stacklevel=2)
    else:
        log.set_aside(label, "guessed", msg, rule="id_column")
    return name if used else id_column


def _table_records(
    f: Path, label: str, inv: _Inventory, log: LoadLog, text_column: str, id_column: str
) -> Iterable[SourceRecord | CorpusError] | CorpusError:
    """The records of one table (its encoding, columns and set-aside state noted in ``log``), or the error of a
    table without the text column, which :func:`_read_records` raises once every file is read."""
    if f.suffix.lower() in WORKBOOK_SUFFIXES:
        return _workbook_records(f, label, inv, log, text_column, id_column)
    try:
        text, encoding = read_text_file(f, name=label)
        columns, rows = _table_rows(text, label, f.suffix.lower())
    except CorpusError as e:
        if f in inv.tables and (inv.mixed_folder or isinstance(e, _NotATable)):
            log.set_aside(label, "ignored", str(e), warning=f"{e}; not read")
        else:
            log.fail(e)
        return []
    log.note_encoding(label, encoding)
    column = _table_column(label, columns, rows, text_column, inv, log, f)
    if column is None or isinstance(column, CorpusError):
        return [] if column is None else column
    ids = table_id_column(label, columns, rows, id_column, log)
    log.columns[label] = (column, ids if ids in columns else None)
    return records_from_rows(rows, label, text_column=column, id_column=ids)


def _workbook_records(
    f: Path, label: str, inv: _Inventory, log: LoadLog, text_column: str, id_column: str
) -> Iterable[SourceRecord | CorpusError] | CorpusError:
    """The records of a workbook (:func:`read_workbook`), read as :func:`_table_records` reads a CSV file: the
    text column is chosen over all its sheets as over one table; every sheet that has it is read, and each other
    sheet is a report row naming its columns (an empty sheet too)."""
    try:
        sheets = read_workbook(f, name=label)
    except CorpusError as e:
        e.path = label
        if f in inv.tables and inv.mixed_folder:
            log.set_aside(label, "ignored", str(e), warning=f"{e}; not read")
        else:
            log.fail(e)
        return []
    columns, rows = _workbook_table(sheets)
    column = _table_column(label, columns, rows, text_column, inv, log, f)
    if column is None or isinstance(column, CorpusError):
        return [] if column is None else column
    read = [s for s in sheets if column in s.columns]
    for s in sheets:
        if s in read:
            continue
        where = f"{label} sheet {s.name!r}"
        if s.columns:
            msg = f"{where}: no {column!r} column (columns are {', '.join(s.columns)}); not read"
            log.warnings.append(msg)
        else:  # Sheet2, Sheet3 of a new workbook: a report row, no warning
            msg = f"{where}: empty sheet; not read"
        log.rows.append(_file_row(label, "ignored", msg, reason=SHEET_NOT_READ))
    found: list[Iterable[SourceRecord | CorpusError]] = []
    for s in read:
        note = _formula_notes(s, label, column)
        if note:
            log.rows.append({**_file_row(label, "read", note), "rule": "metadata", "reason": None})
            log.warnings.append(note)
        ids = table_id_column(f"{label} sheet {s.name!r}", s.columns, s.rows, id_column, log)
        log.columns[f"{label}\0{s.name}"] = (column, ids if ids in s.columns else None)
        rows_here = _sheet_rows(s, label, column, ids, sheet_in_id=len(read) > 1)
        found.append(records_from_rows(rows_here, label, text_column=column, id_column=ids))
    return itertools.chain.from_iterable(found)


def _read_records(inv: _Inventory, log: LoadLog, text_column: str, id_column: str) -> list[SourceRecord]:
    """Every record of every file of the inventory; bad documents and files go to ``log``, and so does the
    encoding each file was read as.

    A table without the text column (and no clear guess) stops the load after all files are read, whatever
    ``errors`` is: the user has to choose the column.
    """
    from .documents import read_pdf_pages, shared_running_lines

    records: list[SourceRecord | None] = []
    missing_column: list[CorpusError] = []
    pdfs: list[tuple[int, Path, str, object]] = []  # PDFs read as pages: finished once all are read

    def add(f: Path, label: str, at: int | None = None, pdf=None, shared: frozenset = frozenset()) -> None:
        try:
            read = _document_record(f, label, pdf, shared)
        except CorpusError as e:
            log.fail(e)
            return
        if read.encoding is not None:
            log.note_encoding(label, read.encoding)
        base = {"doc_id": read.record.doc_id, "path": label, "line": None}
        log.rows.extend({**base, **change} for change in read.changes)
        log.warnings.extend(read.warnings)
        if at is None:
            records.append(read.record)
        else:
            records[at] = read.record

    for f in inv.docs + inv.tables + inv.explicit:
        label = _label(f, inv.root)
        suffix = f.suffix.lower()
        if f in inv.explicit and suffix not in READ_SUFFIXES:
            log.fail(_unsupported_error(f, label))
            continue
        if suffix in PDF_SUFFIXES:
            # a running header shows on the pages of many PDFs (most notices are one page): its pages first
            try:
                pdfs.append((len(records), f, label, read_pdf_pages(f, name=label)))
            except CorpusError as e:
                log.fail(e)
                continue
            records.append(None)
            continue
        if suffix in DOC_SUFFIXES:
            add(f, label)
            continue
        found = _table_records(f, label, inv, log, text_column, id_column)
        if isinstance(found, CorpusError):
            missing_column.append(found)
            continue
        for rec in found:
            log.fail(rec) if isinstance(rec, CorpusError) else records.append(rec)
    if pdfs:
        groups = [str(Path(label).parent) for _, _, label, _ in pdfs]
        shared = shared_running_lines([pdf.pages for *_, pdf in pdfs], groups)
        for at, f, label, pdf in pdfs:
            add(f, label, at, pdf, shared)
    if missing_column:
        raise missing_column[0]
    return [rec for rec in records if rec is not None]


#: bytes of the digest of each field in a :class:`RecordFingerprint`: two different values share one by chance
#: about once in 2**64 comparisons, and a record costs a few dozen bytes, so a streamed corpus of millions fits
FINGERPRINT_BYTES = 8
#: how a duplicate-id row's report detail names the columns it differs in from the row kept (:func:`duplicate_id_error`;
#: the row's ``columns`` holds them, which :func:`duplicate_differences` counts)
DIFFERS_FROM_KEPT = "; differs from the row kept in "
IDENTICAL_TO_KEPT = "; identical to the row kept"
#: the name of the text field among the differing columns (the text column may be named anything; also in the
#: report row's ``columns``)
TEXT_FIELD = "the text"
_FIELD_NAMES: dict[tuple[str, ...], tuple[str, ...]] = {}  # one shared tuple per set of field names


def _digest(value: object) -> bytes:
    data = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
    return hashlib.blake2b(data, digest_size=FINGERPRINT_BYTES).digest()


@dataclass(frozen=True)
class RecordFingerprint:
    """What a record is, compactly: where it was read and a digest of its text and of each other field, so that a
    later row with the same id can say in which columns it differs (:func:`duplicate_id_error`)."""

    where: str
    fields: tuple[str, ...]  # TEXT_FIELD, then the row's other fields, sorted
    digests: bytes

    @classmethod
    def of(cls, rec: SourceRecord) -> RecordFingerprint:
        """The fingerprint of ``rec``."""
        names = tuple(sorted(map(str, rec.extra)))
        names = _FIELD_NAMES.setdefault(names, names)
        digests = _digest(rec.raw) + b"".join(_digest(rec.extra[n]) for n in names)
        return cls(rec.where, (TEXT_FIELD, *names), digests)

    def differing(self, other: RecordFingerprint) -> list[str]:
        """The fields whose values differ between the two records (a field only one of them has included)."""
        mine, theirs = (dict(zip(f.fields, _chunks(f.digests))) for f in (self, other))
        return [name for name in dict.fromkeys([*self.fields, *other.fields]) if mine.get(name) != theirs.get(name)]


def _chunks(digests: bytes) -> list[bytes]:
    return [digests[i : i + FINGERPRINT_BYTES] for i in range(0, len(digests), FINGERPRINT_BYTES)]


def duplicate_id_error(rec: SourceRecord, first: RecordFingerprint) -> CorpusError:
    """The error (``reason`` ``duplicate id``) of a row whose id an earlier row, ``first``, has: it names where the
    kept row is and the columns the two differ in, with this row's values (``栏目 "poverty"``), or says they are
    identical; its ``columns`` are those differing (:data:`TEXT_FIELD` for the text). :func:`duplicate_differences`
    counts them over a report.

    >>> a = SourceRecord("x", "news.jsonl", 1, "正文", {"栏目": "general"})
    >>> b = SourceRecord("x", "news.jsonl", 9, "正文", {"栏目": "poverty"})
    >>> print(duplicate_id_error(b, RecordFingerprint.of(a)))
    news.jsonl:9: duplicate id 'x' (first seen in news.jsonl:1); differs from the row kept in 栏目 (here 栏目 "poverty")
    """
    differs = first.differing(RecordFingerprint.of(rec))
    msg = f"{rec.where}: duplicate id {rec.doc_id!r} (first seen in {first.where})"
    if not differs:
        msg += IDENTICAL_TO_KEPT
    else:
        shown = [f"{name} {_shown(rec.extra[name])}" for name in differs if name in rec.extra][:3]
        msg += DIFFERS_FROM_KEPT + ", ".join(differs) + (f" (here {', '.join(shown)})" if shown else "")
    at = {"path": rec.path, "line": rec.line, "row": rec.row, "doc_id": rec.doc_id, "sheet": rec.sheet}
    return CorpusError(msg, reason="duplicate id", columns=differs, **at)


def _unique_ids(records: list[SourceRecord], log: LoadLog) -> list[SourceRecord]:
    """The records without those whose id was seen before (each reported with where it was first seen and how it
    differs from that row, :func:`duplicate_id_error`)."""
    seen: dict[str, RecordFingerprint] = {}
    unique: list[SourceRecord] = []
    for rec in records:
        if rec.doc_id in seen:
            log.fail(duplicate_id_error(rec, seen[rec.doc_id]), rec.doc_id)
            continue
        seen[rec.doc_id] = RecordFingerprint.of(rec)
        unique.append(rec)
    return unique


def _document_row(
    rec: SourceRecord, cleaned: tuple, text: str, keep_raw: bool, log: LoadLog, *, compact_dates: bool = True
) -> dict:
    """One row of the documents table: the record's metadata fields win over what cleaning found in the text.

    The date: a date column's value (:func:`column_date`: a 年份 column gives ``YYYY``); else a full date of the
    text (a dateline); else the file's name (:func:`file_name_date`; ``compact_dates=False`` when the folder's
    eight-digit names are ids); else the text's month and day (``--03-05``). A date the text gave is a report row
    (:data:`DATE_FROM_TEXT`), as one a file name gave is. A file (not a table's row) in a year or month folder with
    no date, or the text's month and day only, takes the folder's (:func:`_date_with_folder`: ``2016``,
    ``2016-03-05``); a file's full date in another year than its folder's is kept and reported.

    A title read from a column of a document converted from Traditional is converted too; the title as written is
    kept in ``title_original``; the document's short text fields (labels, groups) are converted as well.
    """
    _, title, date, src, _ = cleaned
    where = rec.where
    extra = dict(rec.extra)
    converted = any(ch["rule"] == "traditional" for ch in cleaned[4])
    if converted:  # 類別 體育 → 体育, as the text's terms; the title column is converted below, as the title
        _simplified_labels(extra, rec.path, log)
    notes: list[str] = []
    meta = {
        field: _metadata_value(extra.pop(field), field, where, notes) if field in extra else None
        for field in ("title", "date", "source")
    }
    for field, value in meta.items():
        alias = next((a for a in METADATA_ALIASES[field] if a in extra), None) if value is None else None
        if alias is not None:  # 标题, 日期, 来源 …: the column stays as it is, and is also read as the field
            meta[field] = _metadata_value(extra[alias], field, where, notes)
            if meta[field] is not None:  # an empty cell reads nothing: a column empty throughout is not said read
                log.note_alias(rec.path, alias, field)
    base = {"doc_id": rec.doc_id, "path": rec.path, "line": rec.line}
    for note in notes:
        log.rows.append({**base, "rule": "metadata", "action": "dropped", "chars": 0, "detail": note})
    from_text, said = date is not None, "the text"
    if meta["date"] is not None:
        date, from_text = column_date(meta["date"]), False
    elif (date is None or date.startswith("--")) and rec.line is None:  # the name may say more (its year)
        named = file_name_date(rec.path, compact=compact_dates)
        date = named.date or date
        from_text = from_text and not named.date
        if named.date:
            said = "the file name"
            month = re.fullmatch(r"(?:19|20)\d\d[\s._年-]+\d{1,2}月?", Path(rec.path).stem.strip())  # no day
            detail = DATE_FROM_NAME + (MONTH_AS_FIRST_DAY if month else "")
            log.rows.append({**base, "rule": "metadata", "action": "read", "chars": 0, "detail": detail})
        elif named.problem:
            detail = f"{NAME_DATE_NOT_READ}: {named.problem}"
            log.rows.append({**base, "rule": "metadata", "action": "not read", "chars": 0, "detail": detail})
    if meta["date"] is None and rec.line is None:  # a year folder dates a file whose name and text give no year
        date, text_row = _date_with_folder(rec.path, date, said, base, log)
        from_text = from_text and text_row
    if from_text:
        log.rows.append({**base, "rule": "metadata", "action": "read", "chars": 0, "detail": DATE_FROM_TEXT})
    if meta["title"] is not None and converted:
        # the title of a converted text is converted the same way; the title as written is kept
        extra["title_original"], meta["title"] = meta["title"], to_simplified(meta["title"])
    return {
        "doc_id": rec.doc_id,
        "path": rec.path,
        "title": meta["title"] if meta["title"] is not None else title,
        "date": date,
        "source": meta["source"] if meta["source"] is not None else src,
        "raw": rec.raw if keep_raw else None,
        "text": text,
        **extra,
    }


def _clean_records(
    records: list[SourceRecord], log: LoadLog, *, n_jobs: int | None, progress: bool | None, keep_raw: bool
) -> list[dict]:
    """Clean every record (in parallel), remove the corpus's site-template lines, and build the document rows."""
    cleaned = clean_many([r.raw for r in records], n_jobs, progress)
    template = _site_template_lines([c[0] for c in cleaned])
    compact = not compact_names_are_ids(r.path for r in records if r.line is None)
    rows = (
        finish_document(rec, result, template, log, keep_raw, compact_dates=compact)
        for rec, result in zip(records, cleaned)
    )
    return [row for row in rows if row is not None]


def finish_document(
    rec: SourceRecord,
    cleaned: tuple,
    template: set[str],
    log: LoadLog,
    keep_raw: bool,
    *,
    compact_dates: bool = True,
) -> dict | None:
    """A cleaned record's document row: its changes reported, the ``template`` lines removed; ``None`` (and a
    ``skipped`` row) when no text, or no word, is left. ``cleaned`` is ``(text, title, date, source, changes)``;
    ``compact_dates``: whether an eight-digit file name may be a date (:func:`compact_names_are_ids`)."""
    base = {"doc_id": rec.doc_id, "path": rec.path, "line": rec.line}
    cleaned, retitled = _template_title(cleaned, template)
    text, changes = cleaned[0], cleaned[4]
    log.rows.extend({**base, **ch} for ch in changes)
    if retitled:
        log.rows.append({**base, "rule": "site_template", "action": NOT_A_TITLE, "chars": 0, "detail": retitled})
    if template:
        text, removed = _remove_template(text, template)
        for x in removed:  # the line and its line break (a document always keeps another line)
            log.rows.append(
                {**base, "rule": "site_template", "action": "removed", "chars": len(x) + 1, "detail": x[:200]}
            )
    at = {"path": rec.path, "line": rec.line, "row": rec.row, "sheet": rec.sheet}
    if not text.strip():
        msg = _titled(f"{rec.where}: no body text left after cleaning", rec.extra) + _removed_by(changes)
        log.fail(CorpusError(msg, reason=NO_CONTENT, **at), rec.doc_id)
        return None
    if not any(ch.isalpha() for ch in text):  # "12345", "——", a CSV cell holding a number: not a document
        msg = _titled(f"{rec.where}: the text holds no words ({_shown(text)}), not a document", rec.extra)
        log.fail(CorpusError(msg, reason="not text", **at), rec.doc_id)
        return None
    return _document_row(rec, cleaned, text, keep_raw, log, compact_dates=compact_dates)


#: the action of the report row saying that a title cleaning read is a site-template line (国内联播快讯, a section
#: label), so the document's title is the headline after it, or none; its detail is ``"<label> → <new title>"``
NOT_A_TITLE = "not a title"


def _template_title(cleaned: tuple, template: set[str]) -> tuple[tuple, str | None]:
    """``cleaned`` with a title that is a ``template`` line replaced: a line the site-template rule removes is
    never a title; the title is the headline after it (:func:`helpers.clean.headline_after_title`) or none. The
    title line's removal is then reported under ``site_template``. Returns ``(cleaned, detail)``, the detail of
    the :data:`NOT_A_TITLE` row (``None`` when the title stays)."""
    text, title, *rest, changes = cleaned
    if not title or title.strip() not in template:
        return cleaned, None
    new = headline_after_title(text, changes, skip=template)
    changes = [{**c, "rule": "site_template"} if c["rule"] == "title" and c["detail"] == title else c for c in changes]
    return (text, new, *rest, changes), f"{title} → {new if new else 'no title'}"


#: how many removals a skip message for a document left empty quotes (the cleaning report lists them all)
REMOVED_SHOWN = 2
#: cleaning rules that remove markup and spacing rather than lines of text, quoted last
MARKUP_RULES = ("markup", "whitespace")


def _removed_by(changes: Sequence[dict]) -> str:
    """What cleaning removed from a document left empty, for its skip message: `` (removed: byline "十九大…")``.

    >>> _removed_by([{"rule": "byline", "action": "removed", "detail": "十九大新闻中心举行记者招待会"}])
    ' (removed: byline "十九大新闻中心举行记者招待会")'
    """
    removed = [c for c in changes if c.get("action") == "removed"]
    removed.sort(key=lambda c: c["rule"] in MARKUP_RULES)  # the lines removed first: markup is in every page
    if not removed:
        return ""
    shown = [f"{c['rule']} {_shown(c.get('detail', ''))}" for c in removed[:REMOVED_SHOWN]]
    more = f" and {len(removed) - REMOVED_SHOWN:,} more" if len(removed) > REMOVED_SHOWN else ""
    return f" (removed: {', '.join(shown)}{more})"


def load_corpus(
    source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    text_column: str = "text",
    id_column: str = "id",
    errors: str = "raise",
    n_jobs: int | None = None,
    cache: bool = True,
    keep_raw: bool = True,
    progress: bool | None = None,
) -> LoadedCorpus:
    """Load and clean a corpus: the documents, one row each, and the cleaning report.

    Parameters
    ----------
    source : a folder of documents (.txt/.md/.html, Word .docx and PDF files, one file a document, and
        .csv/.tsv/.jsonl/.xlsx tables, recursive), a CSV/TSV, JSONL or Excel (.xlsx/.xlsm: every sheet with the text
        column, :func:`read_workbook`) file, or a list of paths. A .docx or .pdf is read as text by
        :mod:`helpers.documents` and then as a .txt file is.
    text_column, id_column : the fields holding the text and the id in CSV/JSONL input. A table without
        ``text_column`` is an error listing its columns, unless exactly one column clearly holds running Chinese
        text (:func:`guess_text_column`): that column is used, with a warning and a report row.
    errors : ``"raise"`` stops at the first bad document with an error naming the file (and line);
        ``"report"`` skips bad documents and lists each one in the cleaning report (rule ``skipped``).
    n_jobs : at most this many processes for cleaning (``None``: all cores); fewer when there is too little text
        to pay for them or other work takes the cores (:func:`helpers.tokenize.choose_processes`).
    cache : reuse the cleaned corpus from the project cache (Parquet + JSON, keyed by file content and settings).
    keep_raw : keep the ``raw`` column (set ``False`` for very large corpora to halve memory).

    Returns
    -------
    LoadedCorpus
        ``docs``: a DataFrame with columns ``doc_id, path, title, date, source, raw, text`` and every extra field
        of CSV/JSONL input. Ids: the ``id_column`` value; else the file's path relative to the corpus folder
        without suffix (``2020-01/001``), plus ``-<line>`` for a row of a table (``2020-01/news-3``). ``path`` is
        relative to the corpus folder too. ``report``: one row per change (``doc_id, path, line, rule, action,
        chars, detail, reason``); ``skipped`` and ``ignored`` are its rows for skipped documents and files, and for
        files set aside or describing the folder; ``reason`` says why one was skipped (``empty text``, ``duplicate
        id``, ``no content after cleaning`` …, counted by :func:`skip_counts`), and a skipped row keeps the id of its
        ``id_column`` when it has one. ``docs, report = load_corpus(...)`` unpacks the two tables.

    Examples
    --------
    >>> loaded = load_corpus("../seeds")
    >>> len(loaded), list(loaded.ignored["path"])
    (5, ['README.md', 'SHA256SUMS'])
    """
    if errors not in ("raise", "report"):
        raise ValueError(f"errors must be 'raise' or 'report', not {errors!r}")
    inv = corpus_inventory(source)
    files = inv.docs + inv.tables + inv.explicit
    key = _cache_key(inv, files, text_column=text_column, id_column=id_column, errors=errors, keep_raw=keep_raw)
    docs_file, report_file = CACHE_DIR / "corpus" / f"{key}.docs.parquet", CACHE_DIR / "corpus" / f"{key}.report.json"
    name = _source_name(source)
    cached = _read_cache(docs_file, report_file) if cache else None
    if cached is not None:
        docs, report, warns = cached
        _warn(warns)
        return LoadedCorpus(docs, report, name, **warns["columns"], encodings=warns["encodings"])

    log = LoadLog(inv, errors)
    records = _unique_ids(_read_records(inv, log, text_column, id_column), log)
    warns = {"warnings": log.warnings, "notes": log.notes, "columns": log.columns_used(), "encodings": log.encodings}
    _warn(warns)
    if not records:
        skipped = [r for r in log.rows if r["action"] in ("skipped", "ignored")]
        raise CorpusError(
            f"{source}: no documents could be loaded"
            + (f" ({len(skipped)} skipped: {skipped[0]['detail']})" if skipped else "")
        )
    rows_out = _clean_records(records, log, n_jobs=n_jobs, progress=progress, keep_raw=keep_raw)
    if not rows_out:
        raise CorpusError(f"{source}: no documents left after cleaning ({len(log.rows)} report rows)")
    docs = pd.DataFrame(rows_out)
    for col in ("doc_id", "path", "text"):
        docs[col] = docs[col].astype(str)
    _add_folder_column(docs, log)
    report = report_frame(log.rows)
    if cache:
        _write_report(report, warns, report_file)
        _write_docs(docs, docs_file)
    return LoadedCorpus(docs, report, name, **warns["columns"], encodings=warns["encodings"])


#: the column holding the subfolder of each document's file (:func:`subfolders`), a grouping such as a category
FOLDER_COLUMN = "folder"
#: the ``action`` of the report row saying that the files sit in subfolders, read as :data:`FOLDER_COLUMN`
FOLDER_ACTION = "subfolders"
#: subfolders named with their counts in the loading summary (the largest first)
SHOWN_SUBFOLDERS = 6


def subfolders(paths: Iterable[str]) -> list[str]:
    """The subfolder of each file (paths relative to the corpus folder): its first folder below the folders that
    every file shares (``sina/体育/1.txt`` and ``sina/财经/2.txt``: ``体育``, ``财经``); ``""`` for a file directly in
    that shared folder.

    >>> subfolders(["sina/体育/1.txt", "sina/财经/a/2.txt", "sina/3.txt"])
    ['体育', '财经', '']
    >>> subfolders(["a.txt", "b.txt"]), subfolders(["2019/1.txt", "2019/2.txt"])
    (['', ''], ['', ''])
    """
    parts = [PurePosixPath(str(p).replace("\\", "/")).parts[:-1] for p in paths]
    shared = 0
    while parts and all(len(x) > shared and x[shared] == parts[0][shared] for x in parts):
        shared += 1
    return [x[shared] if len(x) > shared else "" for x in parts]


def _add_folder_column(docs: pd.DataFrame, log: LoadLog) -> None:
    """The column :data:`FOLDER_COLUMN` when the documents' files sit in two subfolders or more (a folder per
    category, source or year: a grouping the notebooks can compare), with a report row for the loading summary;
    nothing when a table already has a column of that name."""
    if FOLDER_COLUMN in docs.columns:
        return
    values = subfolders(docs["path"])
    counts = Counter(v for v in values if v)
    if len(counts) < 2:
        return
    docs[FOLDER_COLUMN] = values
    shown = [f"{name} {n:,}" for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    top = values.count("")
    more = ", …" if len(shown) > SHOWN_SUBFOLDERS else ""
    listed = ", ".join(shown[:SHOWN_SUBFOLDERS]) + more + (f"; top level {top:,}" if top else "")
    detail = f"files sit in {plural(len(counts), 'subfolder')}: column `{FOLDER_COLUMN}` ({listed})"
    log.rows.append({"doc_id": "", "path": "", "line": None, "rule": "metadata", "action": FOLDER_ACTION, "chars": 0,
                     "detail": detail, "columns": [FOLDER_COLUMN]})  # fmt: skip


def _warn(warns: dict) -> None:
    """Emit a load's warnings (fresh or cached) for the caller of :func:`load_corpus`."""
    for w in warns["warnings"]:
        warnings.warn(w, SkippedInputWarning, stacklevel=3)
    for w in warns["notes"]:
        warnings.warn(w, stacklevel=3)


def _source_name(source) -> str:
    if isinstance(source, (list, tuple)):
        return plural(len(source), "path")
    return resolve_path(source).name


@dataclass(frozen=True, eq=False)
class LoadedCorpus:
    """What :func:`load_corpus` returns: the documents and the cleaning report, together.

    Iterating gives ``docs`` then ``report``, so ``docs, report = load_corpus(...)`` works; ``len()`` is the
    number of documents.

    Attributes
    ----------
    docs : pandas.DataFrame
        One row per document (see :func:`load_corpus`).
    report : pandas.DataFrame
        One row per change, skip or file set aside: ``doc_id, path, line, rule, action, chars, detail, reason``.
    source_name : str
        How the corpus is named in summaries (the folder's or file's name), ``""`` if unknown.
    text_column : str or None
        The column of CSV/JSONL input read as the text (the one given, or the one guessed); ``None`` for a corpus
        without tables, or when its tables were read with different columns.
    id_column : str or None
        The column the ids of the corpus's tables were read from (the one given, or a column named like an id that
        :func:`table_id_column` chose); ``None`` when ids are row numbers or file paths (a corpus without tables).
    encodings : dict of str to str
        Every file read, by its path relative to the corpus folder, with the encoding it was decoded as
        (:func:`decode_bytes`: ``utf-8``, ``utf-8-sig``, ``gb18030``, ``big5``, ``utf-16``); the files not read as
        UTF-8 are also report rows (rule ``encoding``) and counted by :func:`encoding_summary`.
    """

    docs: pd.DataFrame
    report: pd.DataFrame
    source_name: str = ""
    text_column: str | None = None
    id_column: str | None = None
    encodings: dict[str, str] = dataclass_field(default_factory=dict)

    @property
    def skipped(self) -> pd.DataFrame:
        """Report rows of the documents and files skipped (action ``skipped``)."""
        return self.report[self.report["action"] == "skipped"].reset_index(drop=True)

    @property
    def ignored(self) -> pd.DataFrame:
        """Report rows of the files set aside (``ignored``) or describing the folder (``description``)."""
        return self.report[self.report["action"].isin(["ignored", "description"])].reset_index(drop=True)

    def __iter__(self) -> Iterator[pd.DataFrame]:
        yield self.docs
        yield self.report

    def __len__(self) -> int:
        return len(self.docs)


def cleaning_summary(report: pd.DataFrame) -> pd.DataFrame:
    """Characters removed or changed per document and cleaning rule (a document × rule table).

    Only the rows of cleaning rules (:data:`helpers.clean.RULES`) count: skipped input and notes on metadata (a
    column read as the date, a date read from a file name) change no character and are listed by
    :func:`loading_summary`; a rule that changed no character of any document has no column.

    >>> docs, report = load_corpus("../seeds")
    >>> bool(cleaning_summary(report).loc["004_a9468175bb38a755", "traditional"] > 0)
    True
    """
    rows = report[report["rule"].isin(list(RULES)) & (report["doc_id"].astype(str) != "")] if len(report) else report
    if rows.empty:
        return pd.DataFrame()
    table = rows.pivot_table(index="doc_id", columns="rule", values="chars", aggfunc="sum", fill_value=0)
    table = table.astype(int)
    return table.loc[:, table.sum() > 0]


def _display_path(path: object) -> str:
    """A path as it may appear on a page sent to colleagues: never a machine's absolute path."""
    text = "" if path is None or (isinstance(path, float) and path != path) else str(path)
    return Path(text).name if text and Path(text).is_absolute() else text


def _sheet_part(path: object) -> str:
    """The pattern of the sheet's name in an id made for a workbook's row (:func:`record_id`), if it may hold one."""
    return r"(?:-.+)?" if PurePosixPath(str(path)).suffix.lower() in WORKBOOK_SUFFIXES else ""


def _examples(rows: pd.DataFrame, limit: int = 3) -> str:
    """The first ``limit`` report details of ``rows`` (no machine path, shortened; a row's own id added, which the
    researcher searches for), and how many more there are."""
    texts = [_display_path(d) if Path(str(d)).is_absolute() else str(d) for d in rows["detail"]]
    texts = [t if len(t) <= 120 else t[:119] + "…" for t in texts]
    own = [  # an id of the row's own (id_column), not its file and line or row (record_id)
        pd.notna(n)
        and str(i) != ""
        and not re.fullmatch(re.escape(record_id(str(p))) + _sheet_part(p) + r"-\d+", str(i))
        for i, p, n in rows[["doc_id", "path", "line"]].values
    ]
    texts = [f"{t} (id {i})" if o and f"{i!r}" not in t else t for t, i, o in zip(texts, rows["doc_id"], own)]
    shown = "; ".join(texts[:limit])
    return shown + (f" … and {len(texts) - limit} more" if len(texts) > limit else "")


def _reasons(rows: pd.DataFrame) -> pd.Series:
    """The ``reason`` of report rows (``"invalid input"`` where a report written by other code has none)."""
    return rows["reason"].where(rows["reason"].notna() & (rows["reason"].astype(str) != ""), "invalid input")


def skip_counts(report: pd.DataFrame) -> dict[str, int]:
    """How many files, rows and documents were skipped, by reason, most frequent first.

    >>> rows = [{"action": "skipped", "reason": r} for r in ("empty text", "not text", "empty text")]
    >>> skip_counts(report_frame(rows))
    {'empty text': 2, 'not text': 1}
    """
    skipped = report[report["action"].astype(str) == "skipped"]
    counts = _reasons(skipped).value_counts(sort=False)
    return {str(k): int(v) for k, v in sorted(counts.items(), key=lambda kv: -kv[1])}


def duplicate_differences(report: pd.DataFrame) -> str | None:
    """How the rows skipped for a duplicate id differ from the rows kept, counted by column (the rows' ``columns``,
    :func:`duplicate_id_error`): ``"152 duplicate ids, 152 of them differing in 栏目"``, ``"2 duplicate ids, all
    identical to the row kept"``; ``None`` without duplicate ids.

    >>> rows = [{"action": "skipped", "reason": "duplicate id", "columns": ["栏目"]}]
    >>> duplicate_differences(report_frame(rows))
    '1 duplicate id, differing in 栏目'
    """
    skipped = report[report["action"].astype(str) == "skipped"]
    dups = skipped[_reasons(skipped) == "duplicate id"]
    if dups.empty:
        return None
    columns = Counter(c for cs in report_columns(dups) for c in cs)
    text = f"{len(dups):,} duplicate id" + ("s" if len(dups) > 1 else "")
    if not columns:
        return text + (", all identical to the row kept" if len(dups) > 1 else ", identical to the row kept")
    if len(dups) == 1:
        return text + ", differing in " + ", ".join(columns)
    return text + ", " + ", ".join(f"{n:,} of them differing in {c}" for c, n in columns.most_common())


def loading_account(loaded: LoadedCorpus) -> str:
    """What became of the corpus's input, counted: ``244 of 250 rows loaded; 6 skipped (3 empty texts, 2 duplicate
    ids, 1 not text)``; files set aside (not description files) are counted as not read, and duplicate ids that
    differ from the rows kept are counted by column (:func:`duplicate_differences`).

    Rows when every document comes from a table, files when none does, documents otherwise.

    >>> loading_account(load_corpus("../seeds"))
    '5 of 5 files loaded; none skipped'
    """
    report = loaded.report
    counts = skip_counts(report)
    n_skipped = sum(counts.values())
    unit = _unit(loaded)
    text = f"{len(loaded):,} of {len(loaded) + n_skipped:,} {unit} loaded; "
    if n_skipped:
        text += f"{n_skipped:,} skipped (" + ", ".join(reason_count(n, why) for why, n in counts.items()) + ")"
    else:
        text += "none skipped"
    differing = duplicate_differences(report)
    if differing and "differing in" in differing:  # rows skipped that hold other values (a 栏目) than those kept
        text += f"; {differing}"
    set_aside = report[(report["action"].astype(str) == "ignored") & (report["path"].astype(str) != "")]
    set_aside = set_aside[~set_aside["detail"].astype(str).str.contains("describes the")]
    sheets = set_aside["reason"].astype(str) == SHEET_NOT_READ
    if (~sheets).any():
        text += f"; {plural(int((~sheets).sum()), 'file')} not read"
    return text + (f"; {plural(int(sheets.sum()), 'sheet')} of a workbook not read" if sheets.any() else "")


_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: recurring texts named in :func:`recurring_texts_summary`, the most frequent first
SHOWN_RECURRING_TEXTS = 3
#: characters of a recurring text quoted in :func:`recurring_texts_summary` (a bulletin heading fits, a story is cut)
RECURRING_TEXT_CHARS = 20


def recurring_text_keys(texts: Sequence[str]) -> list[str]:
    """Each text's key for telling recurring texts (:func:`recurring_texts`): the text normalised as the reprint
    detector compares texts (:func:`helpers.reprints.normalize_for_shingles`), ``""`` for a text that shares its
    number of Chinese characters with no other (so recurs with none) or is not a string.

    >>> recurring_text_keys(["国内联播快讯", "会议召开", "国内联播快讯。", None])
    ['国内联播快讯', '', '国内联播快讯', '']
    """
    from .reprints import normalize_for_shingles

    # texts the same after normalising hold as many Chinese characters: only those sharing a count are normalised
    # (NFKC of every text took 5 s for 20,000 news stories; the count, under 1 s)
    n_cjk = [_CJK_CHAR.subn("", t)[1] if isinstance(t, str) else None for t in texts]
    shared = Counter(n for n in n_cjk if n is not None)
    return [normalize_for_shingles(t) if n is not None and shared[n] > 1 else "" for t, n in zip(texts, n_cjk)]


def recurring_texts(texts: Sequence[str]) -> pd.Series:
    """Texts that several documents share word for word, compared as the reprint detector compares them
    (:func:`helpers.reprints.normalize_for_shingles`: punctuation, spacing and Traditional forms aside), each as
    its first document writes it, with how many documents carry it, the most frequent first.

    >>> recurring_texts(["国内联播快讯", "会议召开", "国内联播快讯。", "", "国内联播快讯"]).to_dict()
    {'国内联播快讯': 3}
    """
    from .reprints import identical_groups

    keys = recurring_text_keys(texts)
    groups = identical_groups({i: k for i, k in enumerate(keys) if k})
    return pd.Series(
        [len(g) for g in groups], index=pd.Index([texts[g[0]] for g in groups], name="text"), name="documents"
    ).astype(int)


def _unit(loaded: LoadedCorpus) -> str:
    """What the corpus's documents are: ``rows`` when every one comes from a table, ``files`` when none does."""
    from_tables = loaded.docs["path"].astype(str).str.lower().str.endswith(TABLE_SUFFIXES + WORKBOOK_SUFFIXES)
    return "rows" if from_tables.all() and len(from_tables) else "files" if not from_tables.any() else "documents"


def recurring_texts_summary(loaded: LoadedCorpus) -> str | None:
    """``"245 rows are 33 recurring texts (国内联播快讯 ×94, 国际联播快讯 ×60, 联播快讯 ×12, …), each kept once per
    row"``: identical texts (:func:`recurring_texts`) count in every analysis as often as they recur; ``None``
    when no two documents have the same text.

    >>> print(recurring_texts_summary(load_corpus("../seeds")))
    None
    """
    counts = recurring_texts(list(loaded.docs["text"]))
    if counts.empty:
        return None
    unit = _unit(loaded)
    flat = (" ".join(t.split()) for t in counts.index[:SHOWN_RECURRING_TEXTS])
    quoted = [t if len(t) <= RECURRING_TEXT_CHARS else t[: RECURRING_TEXT_CHARS - 1] + "…" for t in flat]
    shown = [f"{t} ×{n:,}" for t, n in zip(quoted, counts)]
    more = ", …" if len(counts) > SHOWN_RECURRING_TEXTS else ""
    kinds = plural(len(counts), "recurring text")
    return (
        f"{int(counts.sum()):,} {unit} are {kinds} ({', '.join(shown)}{more}), each kept once per "
        f"{unit[:-1]}: it counts in every result as often as it recurs"
    )


def _no_year(loaded: LoadedCorpus, doc_ids: pd.Series, n: int) -> str:
    """What the loading summary adds to the dates read from the text when some of them have no year (a lead-in
    中新网6月26日电 gives month and day, ``--06-26``): ``" (month and day only, no year)"`` when all of them, ``" (12 of
    them month and day only, no year)"`` when some, else ``""``."""
    if not n or "date" not in loaded.docs:
        return ""
    dates = loaded.docs.loc[loaded.docs["doc_id"].isin(set(doc_ids.astype(str))), "date"]
    k = int(dates.astype(str).str.startswith("--").sum())
    if not k:
        return ""
    return " (month and day only, no year)" if k >= n else f" ({k:,} of them month and day only, no year)"


def _column_read(loaded: LoadedCorpus, said: str) -> str:
    """``"column '标题' read as the title"`` with how many documents have a value in that column when some have
    none, and, for the title, how many of those got the headline cleaning found at the top of their text (reviewer
    M: "column '标题' read as the title" where 200 of 600 rows had none, 100 of them given a title from the text).

    >>> docs = pd.DataFrame({"text": ["甲", "乙", "丙"], "标题": ["题一", "", None], "title": ["题一", "首行", None]})
    >>> _column_read(LoadedCorpus(docs, pd.DataFrame()), "column '标题' read as the title")
    "column '标题' read as the title (in 1 of 3 documents; 1 other has the headline found at the top of its text)"
    """
    m = re.fullmatch(r"column '(.+)' read as the (\w+)", said)
    docs = loaded.docs
    if m is None or m.group(1) not in docs.columns:
        return said
    column, field = m.groups()
    has = docs[column].map(_has_value)
    if has.all():
        return said
    extra = f"in {int(has.sum()):,} of {len(docs):,} documents"
    if field == "title" and "title" in docs:
        found = int((~has & docs["title"].map(_has_value)).sum())
        if found:
            one = found == 1
            extra += (
                f"; {found:,} {'other has' if one else 'others have'} the headline found at the top of "
                f"{'its' if one else 'their'} text"
            )
    return f"{said} ({extra})"


def _has_value(value: object) -> bool:
    """Whether a cell holds a value: a non-blank string, or anything but ``None`` and NaN."""
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _metadata_read(loaded: LoadedCorpus) -> list[str]:
    """The loading summary's parts on metadata: the columns read as title/date/source; where the dates came from
    when any came from a file name or the text (``"dates: 12 from file names (3 of them a month, read as its first
    day; a full date in the text wins over the name), 3 from the text, 1 none"``: a dateline or a lead-in above the
    body, :data:`DATE_FROM_TEXT`), and from a column too (``"1,000 from column '年份'"``) or from year folders
    (``"20 from folder names (a year only: 18; …)"``, :func:`_folder_dates`); the subfolders read as a column
    (``"files sit in 5 subfolders: column `folder` (体育 201, …)"``); documents dated outside their year folder
    (:func:`_outside_folders`); file names holding a date-like number but no single date, counted with the first few
    (``"2 file names hold no single date (a_2018-03-05_2018-03-06.txt: 2 dates …)"``).
    """
    report = loaded.report
    rule, action = report["rule"].astype(str), report["action"].astype(str)
    metadata = report[(rule == "metadata") & (action == "read")]
    details = metadata["detail"].astype(str)
    named, texts = details.str.startswith(DATE_FROM_NAME), details == DATE_FROM_TEXT
    folders = details.str.startswith(DATE_FROM_FOLDER)
    columns = details[~named & ~texts & ~folders]
    parts = [", ".join(_column_read(loaded, d) for d in sorted({d.split(": ", 1)[-1] for d in columns}))]
    parts = parts if len(columns) else []
    if named.any() or texts.any() or folders.any():
        dates = loaded.docs["date"] if "date" in loaded.docs else pd.Series([None] * len(loaded), dtype=object)
        dated = int(dates.notna().sum())
        n_named, n_text, n_folder = int(named.sum()), int(texts.sum()), int(folders.sum())
        n_months = int((named & details.str.endswith(MONTH_AS_FIRST_DAY)).sum())
        months = f"{n_months:,} of them a month, read as its first day; " if n_months else ""
        how = f" ({months}a full date in the text wins over the name)"
        column = [d.split(": column ", 1)[-1].split(" read as", 1)[0] for d in columns if d.endswith("as the date")]
        counts = [
            (
                dated - n_named - n_text - n_folder,
                f"from column {column[0]}" if len(set(column)) == 1 else "from a date column",
            ),
            (n_named, f"from file names{how}"),
            (n_text, "from the text" + _no_year(loaded, metadata.loc[texts, "doc_id"], n_text)),
            (n_folder, "from folder names" + _folder_dates(loaded, metadata[folders])),
            (len(loaded) - dated, "none"),
        ]
        parts.append("dates: " + ", ".join(f"{n:,} {what}" for n, what in counts if n))
    years = loaded.docs["date"].astype(str).str.fullmatch(r"\d{4}") if "date" in loaded.docs else pd.Series([])
    if years.any() and folders.any():  # the folder names' years are counted with them
        years &= ~loaded.docs["doc_id"].astype(str).isin(set(metadata.loc[folders, "doc_id"].astype(str)))
    if years.any():
        n = int(years.sum())
        parts.append(f"{plural(n, 'date')} {'gives' if n == 1 else 'give'} a year only (no month or day is guessed)")
    parts.extend(report.loc[(rule == "metadata") & (action == FOLDER_ACTION), "detail"].astype(str))
    parts.extend(_outside_folders(report[(rule == "metadata") & (action == DATE_CHECKED)]))
    unread = report[(rule == "metadata") & (action == "not read")]
    if len(unread):
        shown = [f"{_display_path(p)}: {str(d).split(': ', 1)[-1]}" for p, d in zip(unread["path"], unread["detail"])]
        more = f" … and {len(shown) - 3} more" if len(shown) > 3 else ""
        verb = "holds" if len(unread) == 1 else "hold"
        parts.append(f"{plural(len(unread), 'file name')} {verb} no single date ({'; '.join(shown[:3])}{more})")
    return parts


def _folder_dates(loaded: LoadedCorpus, rows: pd.DataFrame) -> str:
    """What the loading summary says of the dates read from folder names (``rows``: their report rows,
    :data:`DATE_FROM_FOLDER`): how many are a year only, a month's first day, and a year with the text's month and
    day: ``" (a year only: 18; a month, read as its first day: 1)"``.

    >>> docs = pd.DataFrame({"doc_id": ["2016/a", "2018-03/b"], "text": ["甲", "乙"], "date": ["2016", "2018-03-01"]})
    >>> rows = pd.DataFrame({"doc_id": ["2016/a", "2018-03/b"], "detail": [DATE_FROM_FOLDER, DATE_FROM_FOLDER + MONTH_AS_FIRST_DAY]})
    >>> _folder_dates(LoadedCorpus(docs, pd.DataFrame()), rows)
    ' (a year only: 1; a month, read as its first day: 1)'
    """
    details = rows["detail"].astype(str)
    dates = loaded.docs.loc[loaded.docs["doc_id"].astype(str).isin(set(rows["doc_id"].astype(str))), "date"]

    def has(part: str) -> int:
        return int(details.str.contains(part, regex=False).sum())

    counts = [
        (int(dates.astype(str).str.fullmatch(r"\d{4}").sum()), "a year only"),
        (has(MONTH_AS_FIRST_DAY), MONTH_AS_FIRST_DAY.strip(" ()")),
        (has(MONTH_DAY_FROM_TEXT), "a year, with the month and day from the text"),
    ]
    said = [f"{what}: {n:,}" for n, what in counts if n]
    return f" ({'; '.join(said)})" if said else ""


#: documents dated outside their year folder that the loading summary names
SHOWN_OUTSIDE_FOLDER = 3


def _outside_folders(rows: pd.DataFrame) -> list[str]:
    """The loading summary's clause on documents whose own date (file name or text) is in another year than the
    year folder they sit in (``rows``: their :data:`DATE_CHECKED` report rows): ``"2 documents dated outside their
    year folder (2016/a.docx: 2017-03-05 from the file name; …)"``; a researcher must check the folder or the date.

    >>> rows = pd.DataFrame({"path": ["2016/a.docx"], "detail": ["date 2017-03-05 from the file name, in folder 2016"]})
    >>> _outside_folders(rows)
    ['1 document dated outside its year folder (2016/a.docx: 2017-03-05 from the file name)']
    """
    if not len(rows):
        return []
    shown = [
        f"{_display_path(p)}: {str(d).removeprefix('date ').rsplit(', in folder ', 1)[0]}"
        for p, d in zip(rows["path"], rows["detail"])
    ]
    more = f" … and {len(shown) - SHOWN_OUTSIDE_FOLDER:,} more" if len(shown) > SHOWN_OUTSIDE_FOLDER else ""
    their = "its" if len(rows) == 1 else "their"
    listed = "; ".join(shown[:SHOWN_OUTSIDE_FOLDER]) + more
    return [f"{plural(len(rows), 'document')} dated outside {their} year folder ({listed})"]


def _row_ids(loaded: LoadedCorpus) -> list[str]:
    """The loading summary's clause on ids made from row numbers (:func:`record_id`), when the tables have no id
    column: ``"ids of rows are the file's name, a hyphen and the row as a spreadsheet numbers it, the header being
    row 1 (no id column; the first is S-2)"``; JSONL files number their lines, JSON lists their records, from 1.
    Empty when the ids came from a column, or from file paths. (No ``<file>`` placeholder: Markdown would read it as
    a tag and show nothing.)"""
    if loaded.text_column is None or loaded.id_column is not None or not len(loaded.docs):
        return []
    suffixes = loaded.docs["path"].astype(str).map(lambda p: PurePosixPath(p).suffix.lower())
    numbered = {
        ".csv": "the row as a spreadsheet numbers it, the header being row 1",
        ".tsv": "the row as a spreadsheet numbers it, the header being row 1",
        ".jsonl": "the line number, from 1",
        ".ndjson": "the line number, from 1",
        ".json": "the record number, from 1",
        ".xlsx": "the row as the sheet numbers it, the header being row 1 (after the sheet's name and a hyphen when "
        "two or more sheets were read)",
    }
    numbered[".xlsm"] = numbered[".xlsx"]
    found = [(numbered[s], loaded.docs["doc_id"][suffixes == s].iloc[0]) for s in numbered if (suffixes == s).any()]
    return [
        f"ids of rows are the file's name, a hyphen and {how} (no id column; the first is {first})"
        for how, first in dict(found).items()
    ]


def loading_summary(loaded: LoadedCorpus, *, source: str | os.PathLike[str] | None = None) -> str:
    """A few plain sentences on what :func:`load_corpus` loaded, skipped and set aside, and converted from
    Traditional characters (:func:`traditional_summary`).

    Computed from the cleaning report, so it is true of any corpus; it names files relative to the corpus folder,
    never by their absolute path.

    Parameters
    ----------
    loaded : LoadedCorpus
        What :func:`load_corpus` returned.
    source : str or os.PathLike, optional
        How to name the corpus (default: the name :func:`load_corpus` recorded, e.g. the folder's name).

    Returns
    -------
    str
        The sentences, ending with a full stop.

    Examples
    --------
    >>> print(loading_summary(load_corpus("../seeds")))
    Loaded 5 documents from seeds; dates: 3 from the text (1 of them month and day only, no year), 2 none; 2 files listed as folder description (README.md, SHA256SUMS). 2 of 5 documents were written in Traditional characters and converted to Simplified (OpenCC t2s) before analysis; terms on these pages are Simplified.
    """
    report = loaded.report
    if source is not None:
        name = Path(os.fspath(source)).name or os.fspath(source)
    else:
        name = loaded.source_name
    first = f"Loaded {plural(len(loaded), 'document')}" + (f" from {name}" if name else "")
    action = report["action"].astype(str)
    detail = report["detail"].astype(str)
    described = report[(action == "description") | ((action == "ignored") & detail.str.contains("describes the"))]
    ignored = report[(action == "ignored") & ~report.index.isin(described.index)]
    skipped = report[action == "skipped"]
    chosen = report[report["rule"].astype(str).isin(["text_column", "id_column"]) & (action == "guessed")]

    parts = []
    if len(chosen):
        parts.append("; ".join(str(d) for d in chosen["detail"]))
    parts.extend(_metadata_read(loaded))
    parts.extend(_row_ids(loaded))
    recurring = recurring_texts_summary(loaded)
    if recurring:
        parts.append(recurring)
    encoded = encoding_summary(loaded)
    if encoded:
        parts.append(encoded)
    if len(skipped):
        by_reason = skipped.groupby(_reasons(skipped), sort=False)
        counted = [(len(rows), f"{_counted(why, rows)} ({_examples(rows, 2)})") for why, rows in by_reason]
        parts.append(f"{len(skipped):,} skipped: " + ", ".join(t for _, t in sorted(counted, key=lambda c: -c[0])))
    hidden = ignored[ignored["path"].astype(str) == ""]
    ignored = ignored[ignored["path"].astype(str) != ""]
    sheets = ignored[ignored["reason"].astype(str) == SHEET_NOT_READ]
    ignored = ignored[ignored["reason"].astype(str) != SHEET_NOT_READ]
    if len(ignored):
        parts.append(f"{plural(len(ignored), 'file')} not read ({_examples(ignored)})")
    if len(sheets):
        parts.append(f"{plural(len(sheets), 'sheet')} of a workbook not read ({_examples(sheets)})")
    parts.extend(str(d) for d in hidden["detail"])
    if len(described):
        names = [_display_path(p) or str(d) for p, d in zip(described["path"], described["doc_id"])]
        shown = ", ".join(names[:3]) + (f" … and {len(names) - 3} more" if len(names) > 3 else "")
        parts.append(f"{plural(len(described), 'file')} listed as folder description ({shown})")
    converted = traditional_summary(loaded)
    ending = f". {converted}" if converted else "."
    if not parts:
        return first + ending
    return first + "; " + "; ".join(parts) + ending


#: the endings of skip reasons that are countable nouns (``5 empty files``, ``2 duplicate ids``); the others are
#: states (``not text``, ``no content after cleaning``) and take no plural
_COUNTED_NOUNS = ("file", "text", "id", "type", "input", "field", "document")
_HEAD_NOUNS = ("PDF", "file", "document")  # the noun a reason "… with …" counts: 2 PDFs with no text layer


def reason_count(n: int, reason: str) -> str:
    """``n`` skipped for ``reason``, the reason's noun in the plural when it is one: ``5 empty files``,
    ``1 empty text``, ``2 not text``.

    >>> reason_count(5, "empty file"), reason_count(1, "empty text"), reason_count(2, "not text")
    ('5 empty files', '1 empty text', '2 not text')
    >>> reason_count(2, "unreadable document"), reason_count(2, "PDF with no text layer")
    ('2 unreadable documents', '2 PDFs with no text layer')
    """
    countable = reason.endswith(_COUNTED_NOUNS) and not reason.startswith(("not ", "no "))
    head, sep, rest = reason.partition(" with ")
    if sep and head.endswith(_HEAD_NOUNS):  # 2 PDFs with no text layer
        return f"{plural(n, head)} with {rest}"
    return plural(n, reason) if countable else f"{n:,} {reason}"


def _counted(reason: str, rows: pd.DataFrame) -> str:
    """``"3 empty texts"``; for duplicate ids, also the columns they differ in (:func:`duplicate_differences`)."""
    return (reason == "duplicate id" and duplicate_differences(rows)) or reason_count(len(rows), reason)


def traditional_summary(loaded: LoadedCorpus) -> str | None:
    """The sentence saying how many documents were converted from Traditional characters, ``None`` when none was.

    Computed from the cleaning report's ``traditional`` rows (:func:`helpers.clean.clean_document` converts a
    document, and its title, when it is written in Traditional characters): the conversion, the title read from a
    column (kept as written in ``title_original``) and the short values of other columns converted, and how many
    documents held Hong Kong or Taiwan variant characters that t2s keeps (衞, 敍, 枱: :data:`VARIANT_DETAIL`).

    >>> traditional_summary(load_corpus("../seeds"))
    '2 of 5 documents were written in Traditional characters and converted to Simplified (OpenCC t2s) before analysis; terms on these pages are Simplified.'
    """
    report = loaded.report
    rows = report[(report["rule"].astype(str) == "traditional") & (report["action"].astype(str) == "changed")]
    converted = set(rows["doc_id"].astype(str))
    n = int(loaded.docs["doc_id"].astype(str).isin(converted).sum())
    if not n:
        return None
    verb = "was" if n == 1 else "were"
    action = report["action"].astype(str)
    notes = report[(report["rule"].astype(str) == "metadata") & (action == CONVERTED_VALUES)]
    columns = list(dict.fromkeys(c for cs in report_columns(notes) for c in cs))
    fields = f", with the values of {_column_list(columns)}" if columns else ""
    docs = loaded.docs
    titles = ""
    if "title_original" in docs and docs["title_original"][docs["doc_id"].astype(str).isin(converted)].notna().any():
        titles = "; their titles were converted too (as written in column title_original)"
    return (
        f"{n:,} of {plural(len(loaded), 'document')} {verb} written in Traditional characters and converted to "
        f"Simplified (OpenCC t2s) before analysis{fields}{titles}{_variants_said(rows)}; terms on these pages are "
        "Simplified."
    )


def _variants_said(rows: pd.DataFrame) -> str:
    """``; 61 of these documents held Hong Kong or Taiwan variant characters that t2s keeps (衞→卫, 敍→叙, 枱→台), converted with
    OpenCC's hk2t/tw2t character tables, not their phrases`` from the report's variant rows, or ``""``."""
    detail = rows["detail"].astype(str)
    variant = rows[detail.str.contains(VARIANT_DETAIL, regex=False)]
    if variant.empty:
        return ""
    pairs: Counter = Counter()
    for d in variant["detail"].astype(str):
        pairs.update({p: int(k) for p, k in re.findall(r"(\S→\S) ×(\d+)", d.split("): ", 1)[-1])})
    shown = ", ".join(p for p, _ in pairs.most_common(VARIANT_PAIRS_SHOWN))
    more = ", …" if len(pairs) > VARIANT_PAIRS_SHOWN else ""
    n = variant["doc_id"].astype(str).nunique()
    held = f"{n:,} of these documents held"
    return (
        f"; {held} Hong Kong or Taiwan variant characters that t2s keeps ({shown}{more}), converted with OpenCC's "
        f"{'/'.join(VARIANT_CONFIGS)} character tables, not their phrases (a Taiwan word such as 软体 is kept, not made 软件)"
    )


def encoding_summary(loaded: LoadedCorpus, *, limit: int = 3) -> str | None:
    """How many files were not read as UTF-8, and as what, naming the first ``limit`` of each: ``1 file read as
    GB18030 (GBK), not UTF-8 (news.csv)``; ``None`` when every file was UTF-8.

    Computed from :attr:`LoadedCorpus.encodings`, the encodings :func:`decode_bytes` detected.

    >>> encoding_summary(load_corpus("../seeds")) is None
    True
    """
    by_encoding: dict[str, list[str]] = {}
    for path, encoding in loaded.encodings.items():
        if encoding not in UTF8_ENCODINGS:
            by_encoding.setdefault(ENCODING_NAMES.get(encoding, encoding), []).append(_display_path(path))
    parts = []
    for name, paths in sorted(by_encoding.items(), key=lambda kv: -len(kv[1])):
        shown = ", ".join(paths[:limit]) + (f" … and {len(paths) - limit} more" if len(paths) > limit else "")
        parts.append(f"{plural(len(paths), 'file')} read as {name}, not UTF-8 ({shown})")
    return "; ".join(parts) or None


def _column_list(columns: list[str]) -> str:
    """``column 類別`` or ``columns 類別 and 來源``."""
    if len(columns) == 1:
        return f"column {columns[0]}"
    return "columns " + ", ".join(columns[:-1]) + f" and {columns[-1]}"


def save_jsonl(docs: pd.DataFrame, path: str | os.PathLike[str], *, columns: Sequence[str] | None = None) -> Path:
    """Write documents as JSON Lines, one object per row, that :func:`load_corpus` reads back.

    Missing values become ``null`` (never ``NaN``, which is not JSON); Chinese is written as is (UTF-8); the file is
    written whole to a temporary file and then moved into place.

    Parameters
    ----------
    docs : pandas.DataFrame
        The documents, e.g. as returned by :func:`load_corpus`.
    path : str or os.PathLike
        The ``.jsonl`` file to write.
    columns : sequence of str, optional
        The columns to write (default: all).

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile
    >>> docs = load_corpus("../seeds").docs
    >>> out = save_jsonl(docs, Path(tempfile.mkdtemp()) / "seeds.jsonl", columns=["doc_id", "title", "source", "text"])
    >>> again = load_corpus(out, id_column="doc_id", cache=False).docs
    >>> list(again["doc_id"]) == list(docs["doc_id"]) and list(again["text"]) == list(docs["text"])
    True
    """
    path = Path(path)
    table = docs if columns is None else docs[list(columns)]

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="\n") as fh:
            for rec in table.to_dict(orient="records"):
                clean = {
                    k: None if not isinstance(v, (list, tuple, dict)) and pd.isna(v) else v for k, v in rec.items()
                }
                fh.write(json.dumps(clean, ensure_ascii=False, default=str) + "\n")

    atomic_write(path, write)
    return path
