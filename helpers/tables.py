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
    "escape_formula",
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


def write_workbook(out: str | Path, *, name: str) -> Path:
    """Write every table recorded in ``out/tables.json`` as one sheet of ``out/<name>.xlsx``.

    Each sheet holds the table as its CSV reads back (``pandas.read_csv`` with ``utf-8-sig``; an empty cell is
    missing, ``NA`` stays text), the ``'`` added by :func:`write_table` removed and formula-like text stored as a
    text cell, so that neither Excel nor LibreOffice runs it. Sheet names are the table names, cut to 31
    characters and made unique. A table longer than Excel's 1,048,576 rows is cut to fit (the CSV keeps all
    rows).

    Parameters
    ----------
    out : str or Path
        The notebook's output folder.
    name : str
        The workbook's file stem, e.g. the notebook's name.

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
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    out = Path(out)
    tables = [t for t in read_tables(out) if (out / t["file"]).is_file()]
    wb = Workbook(write_only=True)
    for table, sheet in zip(tables, _sheet_names([t["name"] for t in tables])):
        ws = wb.create_sheet(sheet)
        df = read_table(out / table["file"], keep_default_na=False, na_values=[""], nrows=_EXCEL_MAX_ROWS - 1)
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
