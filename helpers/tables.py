"""Tables colleagues open: CSVs that Excel reads as Chinese, one workbook per notebook, a list of what was written.

Excel on Windows reads a UTF-8 CSV without a byte-order mark in the local code page (mojibake for Chinese), so
:func:`write_table` writes ``utf-8-sig``. A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@``
(and, in some, a tab or carriage return) as a formula; following the OWASP advice on CSV injection such *text*
cells get a leading ``'`` in the CSV (numbers are never touched). Each table is recorded with a one-line
description in ``tables.json`` of the output folder, which :func:`write_workbook` turns into one ``.xlsx`` with a
sheet per table (formula-like cells stored as text, no ``'`` needed there) and the report index lists.
:func:`show_table` displays a table in a notebook as a searchable, sortable, paginated table (itables in offline
mode: DataTables' JavaScript is embedded in the notebook's output, so the rendered report works from ``file://``).

>>> import tempfile, pandas as pd
>>> out = Path(tempfile.mkdtemp())
>>> df = pd.DataFrame({"term": ["脱贫", "=1+1"], "count": [3, -2]})
>>> write_table(df, out, "terms", description="Term counts").name
'terms.csv'
>>> (out / "terms.csv").read_bytes()[:3] == "\\ufeff".encode()
True
>>> pd.read_csv(out / "terms.csv", encoding="utf-8-sig").term.tolist()
['脱贫', "'=1+1"]
>>> write_workbook(out, name="demo").name
'demo.xlsx'
>>> pd.read_excel(out / "demo.xlsx", sheet_name="terms").term.tolist()
['脱贫', '=1+1']
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from .paths import atomic_write

#: The index of tables written to an output folder (one record per table, in the order first written).
TABLES_FILE = "tables.json"
#: What starts a cell a spreadsheet may run as a formula (OWASP, "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_EXCEL_MAX_ROWS = 1_048_576
#: Rows of a table a workbook sheet holds (:func:`write_workbook`); a longer table's sheet holds its first rows and
#: says so in its first row, its CSV keeps every row. Workbooks are compressed already, so a zip of the report does
#: not shrink them: measured on 4,067 CCTV stories, 196,310 keyword rows made a 12 MB workbook, about 60 kB per
#: 1,000 rows, while the same rows cost 4 MB as a deflated CSV. At 10,000 rows a notebook's workbook stays near
#: 1 MB per long table, whatever the corpus size, and a sheet is still one a reader scrolls and filters.
WORKBOOK_MAX_ROWS = 10_000
_EXCEL_MAX_CHARS = 32_767
#: Rows :func:`show_table` embeds by default: every row of the tables the notebooks show (a few hundred at most on
#: the seeds, a few thousand on a larger corpus) while a page stays a few MB (about 100 bytes per cell of JSON).
SHOW_TABLE_MAX_ROWS = 5_000
#: Entries per page offered by :func:`show_table` (-1: all rows).
SHOW_TABLE_LENGTH_MENU = (10, 25, 100, -1)
#: The IPython shells in which DataTables' JavaScript has been displayed (once per kernel: it is ~1 MB per page).
_ITABLES_READY: set[int] = set()

__all__ = [
    "FORMULA_PREFIXES",
    "TABLES_FILE",
    "WORKBOOK_MAX_ROWS",
    "escape_formula",
    "workbook_cut_note",
    "workbook_cut_tables",
    "plural",
    "read_table",
    "read_tables",
    "show_table",
    "write_table",
    "write_workbook",
]


def plural(n: int, word: str, plural_form: str | None = None) -> str:
    """``n`` and ``word``, in the plural unless ``n`` is 1 (``word + "s"``, or ``plural_form``), for the counts that
    notebooks and reports write in sentences.

    >>> plural(1, "reprint cluster"), plural(2, "document"), plural(1_200, "story", "stories")
    ('1 reprint cluster', '2 documents', '1,200 stories')
    """
    return f"{n:,} {word if n == 1 else plural_form or word + 's'}"


def escape_formula(value: object) -> object:
    """Prefix a formula-like string with ``'`` so that a spreadsheet shows it as text; other values unchanged.

    Parameters
    ----------
    value : object
        A cell.

    Returns
    -------
    object
        ``"'" + value`` when ``value`` is a string starting with one of :data:`FORMULA_PREFIXES`, else ``value``.

    Examples
    --------
    >>> escape_formula("=HYPERLINK(\\"http://x\\")"), escape_formula("-3"), escape_formula(-3), escape_formula("扶贫")
    ('\\'=HYPERLINK("http://x")', "'-3", -3, '扶贫')
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _escape_frame(df: pd.DataFrame, *, index: bool) -> pd.DataFrame:
    """A copy of ``df`` with formula-like text escaped in text columns, column labels and (if written) the index."""
    df = df.copy()
    for col in df.columns:
        if df[col].dtype == object or pd.api.types.is_string_dtype(df[col].dtype):
            df[col] = df[col].map(escape_formula).astype(object)
    if isinstance(df.columns, pd.MultiIndex):
        df.columns = pd.MultiIndex.from_tuples([tuple(escape_formula(x) for x in c) for c in df.columns])
    else:
        df.columns = [escape_formula(c) for c in df.columns]
    if (
        index
        and not isinstance(df.index, pd.MultiIndex)
        and (df.index.dtype == object or pd.api.types.is_string_dtype(df.index.dtype))
    ):
        df.index = pd.Index([escape_formula(x) for x in df.index], name=df.index.name)
    return df


def read_tables(out: str | Path) -> list[dict]:
    """The tables recorded in ``out/tables.json`` (an empty list when there is none).

    Parameters
    ----------
    out : str or Path
        A notebook's output folder.

    Returns
    -------
    list of dict
        One record per table: ``name``, ``file``, ``description``, ``rows``, ``columns`` (the column labels).

    Examples
    --------
    >>> read_tables("/nonexistent")
    []
    """
    path = Path(out) / TABLES_FILE
    if not path.is_file():
        return []
    return json.loads(path.read_text(encoding="utf-8"))["tables"]


def _unescape(value: object) -> object:
    """Undo :func:`escape_formula` (``'`` + formula-like text back to the text)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def read_table(path: str | Path, **kwargs) -> pd.DataFrame:
    """Read a CSV written by :func:`write_table` back to the table: BOM dropped, the ``'`` before formula-like text
    removed (in text columns and column labels).

    Parameters
    ----------
    path : str or Path
        The CSV (any UTF-8 CSV, with or without a BOM, reads the same).
    **kwargs
        Passed to :func:`pandas.read_csv`, e.g. ``dtype={"doc_id": str}``.

    Returns
    -------
    pandas.DataFrame
        The table.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> df = pd.DataFrame({"doc_id": ["-1", "人民网"], "n": [-1, 2]})
    >>> read_table(write_table(df, out, "t", description="d"), dtype={"doc_id": str}).equals(df)
    True
    """
    df = pd.read_csv(path, encoding="utf-8-sig", **kwargs)
    df.columns = [_unescape(c) for c in df.columns]
    for col in df.columns:
        if df[col].dtype == object or pd.api.types.is_string_dtype(df[col].dtype):
            df[col] = df[col].map(_unescape)
    return df


def write_table(
    df: pd.DataFrame,
    out: str | Path,
    name: str,
    *,
    description: str,
    index: bool = False,
    float_format: str | None = None,
) -> Path:
    """Write ``df`` as ``out/<name>.csv`` for Excel and record it in ``out/tables.json``.

    The CSV is UTF-8 with a byte-order mark (``utf-8-sig``); text cells (and column labels) that begin with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return get a leading ``'`` (OWASP advice on CSV injection), so a
    reader of the CSV sees e.g. ``'-3`` for the text ``-3``; numbers are written as they are. Writing a table of the
    same name again replaces its record.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    out : str or Path
        The notebook's output folder (created if missing).
    name : str
        The file stem (letters, digits, ``_``, ``-``, ``.``), also the workbook's sheet name.
    description : str
        One line saying what the table holds, shown on the report index.
    index : bool, default False
        Write the index as the first column(s).
    float_format : str, optional
        Passed to :meth:`pandas.DataFrame.to_csv`, e.g. ``"%.6f"``.

    Returns
    -------
    Path
        The CSV written.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> path = write_table(pd.DataFrame({"词": ["@人民日报"], "n": [1]}), out, "mentions", description="Mentions")
    >>> path.read_text(encoding="utf-8-sig")
    "词,n\\n'@人民日报,1\\n"
    >>> [(t["name"], t["file"], t["rows"], t["columns"]) for t in read_tables(out)]
    [('mentions', 'mentions.csv', 1, ['词', 'n'])]
    """
    if not re.fullmatch(r"[\w.-]+", name) or name.startswith("."):
        raise ValueError(f"table name {name!r}: use letters, digits, '_', '-' and '.' only")
    if "\n" in description:
        raise ValueError("description: one line, please")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.csv"
    safe = _escape_frame(df, index=index)
    atomic_write(
        path,
        lambda tmp: safe.to_csv(tmp, index=index, float_format=float_format, encoding="utf-8-sig", lineterminator="\n"),
    )
    columns = [str(c) for c in (list(df.index.names) if index else []) + list(df.columns)]
    record = {"name": name, "file": path.name, "description": description, "rows": len(df), "columns": columns}
    tables = read_tables(out)
    names = [t["name"] for t in tables]
    if name in names:
        tables[names.index(name)] = record
    else:
        tables.append(record)
    text = json.dumps({"tables": tables}, ensure_ascii=False, indent=2) + "\n"
    atomic_write(out / TABLES_FILE, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return path


def _sheet_names(names: list[str]) -> list[str]:
    """Excel sheet names for table names: forbidden characters replaced, at most 31 characters, unique (Excel
    compares them case-insensitively).

    >>> _sheet_names(["a" * 40, "A" * 40, "x/y"])
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAA~2', 'x_y']
    """
    used: set[str] = set()
    sheets = []
    for name in names:
        base = _SHEET_FORBIDDEN.sub("_", name).strip("'") or "table"
        sheet, n = base[:31], 1
        while sheet.lower() in used:
            n += 1
            sheet = f"{base[: 31 - len(str(n)) - 1]}~{n}"
        used.add(sheet.lower())
        sheets.append(sheet)
    return sheets


def _cell_value(value: object) -> object:
    """A value openpyxl writes: missing values empty, infinities as text, text without the control characters XML
    forbids and cut to Excel's 32,767 characters per cell."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return str(value)  # a spreadsheet has no infinity: the workbook would not open
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:_EXCEL_MAX_CHARS]
    return value


def workbook_cut_note(shown: int, rows: int, csv_name: str) -> str:
    """The first row of a workbook sheet that holds only the first ``shown`` of a table's ``rows`` rows.

    >>> workbook_cut_note(10_000, 196_310, "keywords.csv")
    'First 10,000 of 196,310 rows (the table starts on the next row); keywords.csv holds every row.'
    """
    return f"First {shown:,} of {rows:,} rows (the table starts on the next row); {csv_name} holds every row."


_CUT_NOTE = re.compile(r"First ([\d,]+) of ([\d,]+) rows \(the table starts on the next row\); (.+) holds every row\.")


def workbook_cut_tables(path: str | Path) -> list[dict]:
    """The sheets of a workbook written by :func:`write_workbook` that hold only the first rows of their table.

    Parameters
    ----------
    path : str or Path
        The workbook.

    Returns
    -------
    list of dict
        ``sheet``, ``shown`` (rows in the sheet), ``rows`` (rows of the table), ``file`` (its CSV).

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> _ = write_table(pd.DataFrame({"n": range(5)}), out, "five", description="Five rows")
    >>> workbook_cut_tables(write_workbook(out, name="nb", max_rows=3))
    [{'sheet': 'five', 'shown': 3, 'rows': 5, 'file': 'five.csv'}]
    """
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)  # streams the sheets: only their first cell is read
    try:
        cut = []
        for ws in wb.worksheets:
            first = next(ws.iter_rows(max_row=1, max_col=1, values_only=True), (None,))[0]
            match = _CUT_NOTE.fullmatch(first) if isinstance(first, str) else None
            if match:
                shown, rows = (int(match.group(i).replace(",", "")) for i in (1, 2))
                cut.append({"sheet": ws.title, "shown": shown, "rows": rows, "file": match.group(3)})
        return cut
    finally:
        wb.close()


def write_workbook(out: str | Path, *, name: str, max_rows: int = WORKBOOK_MAX_ROWS) -> Path:
    """Write every table recorded in ``out/tables.json`` as one sheet of ``out/<name>.xlsx``.

    Each sheet holds the table as its CSV reads back (``pandas.read_csv`` with ``utf-8-sig``; an empty cell is
    missing, ``NA`` stays text), the ``'`` added by :func:`write_table` removed and formula-like text stored as a
    text cell, so that neither Excel nor LibreOffice runs it. Sheet names are the table names, cut to 31
    characters and made unique. A table longer than ``max_rows`` (and than Excel's 1,048,576 rows) has a sheet
    with its first ``max_rows`` rows under a first row that says so (:func:`workbook_cut_note`); its CSV keeps
    every row. A sheet of a complete table starts with the column names.

    Parameters
    ----------
    out : str or Path
        The notebook's output folder.
    name : str
        The workbook's file stem, e.g. the notebook's name.
    max_rows : int, default :data:`WORKBOOK_MAX_ROWS`
        Most rows of a table in its sheet (besides the column names).

    Returns
    -------
    Path
        The workbook written.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> _ = write_table(pd.DataFrame({"a": ["+86 10"]}), out, "phones", description="Phone numbers")
    >>> from openpyxl import load_workbook
    >>> cell = load_workbook(write_workbook(out, name="nb"))["phones"]["A2"]
    >>> cell.value, cell.data_type
    ('+86 10', 's')
    >>> _ = write_table(pd.DataFrame({"n": range(5)}), out, "five", description="Five rows")
    >>> [row[0].value for row in load_workbook(write_workbook(out, name="nb", max_rows=3))["five"].iter_rows()]
    ['First 3 of 5 rows (the table starts on the next row); five.csv holds every row.', 'n', 0, 1, 2]
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    if max_rows < 1:
        raise ValueError(f"max_rows={max_rows}: a sheet holds at least one row of its table")
    limit = min(max_rows, _EXCEL_MAX_ROWS - 2)  # the column names and, when cut, the note take a row each
    out = Path(out)
    tables = [t for t in read_tables(out) if (out / t["file"]).is_file()]
    wb = Workbook(write_only=True)
    for table, sheet in zip(tables, _sheet_names([t["name"] for t in tables])):
        ws = wb.create_sheet(sheet)
        df = read_table(out / table["file"], keep_default_na=False, na_values=[""], nrows=limit + 1)
        if len(df) > limit:  # the CSV has more rows than the sheet holds: count them (tables.json may be stale)
            df = df.head(limit)
            ws.append([workbook_cut_note(limit, _csv_rows(out / table["file"]), table["file"])])
        rows = [list(df.columns), *df.astype(object).to_numpy().tolist()]
        for row in rows:
            cells = []
            for value in row:
                value = _cell_value(value)
                if isinstance(value, str) and value.startswith("="):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.data_type = "s"  # text, not a formula
                    value = cell
                cells.append(value)
            ws.append(cells)
    if not tables:
        wb.create_sheet("empty")
    path = out / f"{name}.xlsx"
    atomic_write(path, lambda tmp: wb.save(tmp))
    return path


def _csv_rows(path: Path) -> int:
    """The rows of a CSV written by :func:`write_table` (records, not lines: a cell may hold a line break)."""
    return sum(len(chunk) for chunk in pd.read_csv(path, encoding="utf-8-sig", usecols=[0], chunksize=100_000))


def _init_itables_offline() -> None:
    """Display DataTables' JavaScript and CSS (embedded, no CDN) once in this kernel; plain DataFrames keep their
    static HTML repr."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None or id(shell) in _ITABLES_READY:  # no notebook front end: itables prints Markdown instead
        return
    import itables

    itables.init_notebook_mode(all_interactive=False, connected=False)
    _ITABLES_READY.add(id(shell))


def show_table(
    df: pd.DataFrame,
    *,
    caption: str | None = None,
    max_rows: int = SHOW_TABLE_MAX_ROWS,
    page_length: int = 10,
    **options: object,
) -> None:
    """Display ``df`` as a searchable, sortable, paginated table that works offline, with all its rows.

    The first call in a kernel displays DataTables' JavaScript (itables' offline mode, ``connected=False``), so
    the notebook and the report rendered from it carry the library and load nothing from a CDN. The table is
    embedded whole (itables' ``maxBytes`` downsampling is off) up to ``max_rows`` rows; a longer table shows its
    first ``max_rows`` rows and says so in the caption (the CSV written with :func:`write_table` keeps all).
    Outside IPython (a script, a test) itables prints a Markdown table instead.

    Parameters
    ----------
    df : pandas.DataFrame
        The table (its index is shown when it is named or not a plain range).
    caption : str, optional
        A line shown under the table.
    max_rows : int, default :data:`SHOW_TABLE_MAX_ROWS`
        Most rows embedded in the page.
    page_length : int, default 10
        Rows per page at first; the reader can choose 10, 25, 100 or all.
    **options
        Further itables / DataTables options, e.g. ``columnDefs=[{"className": "dt-right", "targets": [4]}]``.

    Examples
    --------
    >>> show_table(pd.DataFrame({"词": ["脱贫"], "n": [3]}), caption="词频")  # doctest: +SKIP
    """
    import itables

    _init_itables_offline()
    if len(df) > max_rows > 0:
        note = f"first {max_rows:,} of {len(df):,} rows (the CSV has all)"
        caption = f"{caption} · {note}" if caption else note
        df = df.head(max_rows)
    menu = sorted({page_length, *SHOW_TABLE_LENGTH_MENU} - {-1}) + [-1]
    itables.show(
        df,
        caption=caption,
        maxBytes=0,
        maxRows=0,
        pageLength=page_length,
        lengthMenu=[menu, [str(n) if n > 0 else "all" for n in menu]],
        classes="display compact cell-border",
        allow_html=False,
        **options,
    )
