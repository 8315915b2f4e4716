"""Shared assets: one Chinese font, one DataTables script and one copy of each style sheet for all the pages of a
report, not a copy in each.

A report's pages used to carry everything inside themselves: each its own subset of the CJK font, each notebook page
the whole itables/DataTables bundle (about 1 MB) and JupyterLab's style sheets (0.26 MB), each API page pdoc's. In
a report they are files of the report's ``assets/`` folder instead, referenced by relative URLs that work from
``file://`` (the tests open the pages in Chromium with the network blocked):

* the font is one subset of Noto Sans CJK SC holding every CJK character of the report, as a ``data:`` URI inside
  ``assets/cjk-font.css`` (:func:`write_font_stylesheet`), linked with ``<link rel="stylesheet">``. A style sheet
  loads from ``file://`` in every browser; a font file need not (browsers load fonts under cross-origin rules,
  and Firefox treats every ``file://`` page as an origin of its own);
* the DataTables bundle that itables' offline mode writes into the notebook moves to ``assets/itables-<hash>.js``,
  loaded with a classic ``<script src>`` (:func:`share_itables_script`; the bundle itself turns its module into a
  ``blob:`` URL, which works offline), and every ``<style>`` block found in several pages to
  ``assets/style-<hash>.css`` (:func:`share_page_assets`).

A page opened on its own, without the folder, still shows its text, figures and static tables, without its style
sheets; Chinese is then drawn with the reader's system fonts, and the interactive tables say that they need the
report folder. The index page keeps its own embedded font and styles, so the report's entry page opens correctly
even alone.

Two more copies are dropped: a notebook page shows a page its notebook wrote (the pyLDAvis view in an
``<iframe srcdoc>``) by linking that file (:func:`link_written_pages`), and the executed notebook kept in the report
holds short notes instead of the DataTables bundle and that view (:func:`drop_itables_script`,
:func:`drop_written_pages`): Jupyter runs neither in a notebook it did not execute itself, and the report page
shows both. :func:`page_weights` lists what each page weighs.

>>> page = '<script>function injectCSS(c) {} injectModule(x); window._itables_2_9_1 = 1;</script><p>t</p>'
>>> import tempfile
>>> out = share_itables_script(page, Path(tempfile.mkdtemp()), href_prefix="")
>>> out.startswith('<script src="assets/itables-') and out.endswith("<p>t</p>")
True
"""

from __future__ import annotations

import hashlib
import html as _html
import os
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from .offline import ReportError, cjk_characters, font_face_rule

__all__ = [
    "ASSETS_DIR",
    "FONT_STYLESHEET",
    "ITABLES_NOTE",
    "MIN_SHARED_STYLE_BYTES",
    "compact_figures",
    "drop_itables_script",
    "drop_written_pages",
    "link_written_pages",
    "page_weight_table",
    "page_weights",
    "share_itables_script",
    "share_page_assets",
    "write_font_stylesheet",
]

#: The folder of a report (next to ``index.html``) that holds what its pages share.
ASSETS_DIR = "assets"
#: The shared font, relative to the report folder: a style sheet with one ``@font-face`` (a ``data:`` URI).
FONT_STYLESHEET = f"{ASSETS_DIR}/cjk-font.css"
#: What the executed notebook in a report shows where itables' DataTables bundle was.
ITABLES_NOTE = (
    "<p><small>The DataTables script of the interactive tables (itables' offline bundle, about 1 MB) is left out "
    "of this copy of the notebook: the report page of this notebook shows the tables, the CSV files and the "
    ".xlsx workbook hold them, and running the notebook again brings the script back.</small></p>"
)
_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_STYLE = re.compile(r"<style\b([^>]*)>(.*?)</style>", re.DOTALL | re.IGNORECASE)
#: Smallest ``<style>`` block worth a file of its own: pdoc's style sheets come in blocks of 2.6-10 kB and
#: JupyterLab's in 16 and 240 kB; below 1 kB (pandas' 0.2 kB table style repeated per table) a block stays inline.
MIN_SHARED_STYLE_BYTES = 1_000
_IFRAME = re.compile(r"<iframe\b[^>]*>", re.IGNORECASE)  # an opening tag (a srcdoc value has no raw ">")
_SRCDOC_ATTR = re.compile(r'\ssrcdoc="([^"]*)"', re.IGNORECASE)
_SANDBOX_ATTR = re.compile(r'\ssandbox="[^"]*"', re.IGNORECASE)
#: Shown in place of the interactive tables when the page is opened without the report's assets folder.
_MISSING_SCRIPT = (
    "this.insertAdjacentHTML('afterend','<p class=&quot;tuopin-missing-assets&quot;><strong>The interactive "
    "tables need the folder assets/ of this report:</strong> open this page from the report folder (unzipped). "
    "The tables are also in the CSV and .xlsx files of the report.</p>')"
)


def _is_itables_bundle(script: str) -> bool:
    """Whether a ``<script>`` body is itables' offline bundle (it injects DataTables' CSS and module)."""
    return "injectModule(" in script and "window._itables_" in script


def share_itables_script(page: str, assets: str | os.PathLike[str], *, href_prefix: str) -> str:
    """Move itables' offline bundle out of ``page`` into ``assets/itables-<hash>.js``; the page loads the file.

    The bundle is a classic script (it makes a ``blob:`` URL of DataTables' module and imports that), so a
    ``<script src>`` runs it at the same point of the page, from ``file://`` too. If the file cannot be loaded (the
    page was copied without the folder), a note takes the place of the tables.

    Parameters
    ----------
    page : str
        An HTML page (or a notebook output) that may hold the bundle.
    assets : path-like
        The report's assets folder (created when a bundle is found; a file already there is reused).
    href_prefix : str
        The way from the page to the report folder: ``""`` for a page next to ``index.html``, ``"../"`` one level
        down.

    Returns
    -------
    str
        The page, with each bundle replaced by ``<script src=...>``; unchanged when it has none.
    """

    def move(m: re.Match) -> str:
        body = m.group(1)
        if not _is_itables_bundle(body):
            return m.group(0)
        name = f"itables-{hashlib.sha256(body.encode('utf-8')).hexdigest()[:12]}.js"
        target = Path(assets) / name
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
        return f'<script src="{href_prefix}{ASSETS_DIR}/{name}" onerror="{_MISSING_SCRIPT}"></script>'

    return _SCRIPT.sub(move, page)


def _shareable_styles(page: str) -> list[str]:
    """The bodies of the page's ``<style>`` blocks that may move to a file: plain blocks (no ``id``, which marks a
    block the project finds again, such as the font stacks) of at least :data:`MIN_SHARED_STYLE_BYTES`."""
    return [
        m.group(2)
        for m in _STYLE.finditer(page)
        if "id=" not in m.group(1) and len(m.group(2).encode("utf-8")) >= MIN_SHARED_STYLE_BYTES
    ]


def share_page_assets(pages: Iterable[str | os.PathLike[str]], root: str | os.PathLike[str]) -> list[Path]:
    """Move what the pages of a report hold in common into its assets folder; rewrite each page to link it.

    Each page's itables bundle goes to one script file (:func:`share_itables_script`), and every ``<style>`` block
    found in more than one page (the style sheets of JupyterLab, 260 kB, and of pdoc, 20 kB, in every notebook or
    API page) to ``assets/style-<hash>.css``, linked where the block was, so the cascade keeps its order.

    Parameters
    ----------
    pages : iterable of path-like
        HTML files under ``root`` (not the index, which stays whole).
    root : path-like
        The report folder.

    Returns
    -------
    list of Path
        The files of the assets folder after the change.
    """
    root, pages = Path(root), [Path(p) for p in pages]
    texts = {page: page.read_text(encoding="utf-8") for page in pages}
    seen = Counter(body for text in texts.values() for body in set(_shareable_styles(text)))
    shared = {body for body, n in seen.items() if n > 1}
    for page, text in texts.items():
        prefix = "../" * (len(page.relative_to(root).parts) - 1)  # from the page to the report folder

        def link(m: re.Match, prefix: str = prefix) -> str:
            if m.group(2) not in shared or "id=" in m.group(1):
                return m.group(0)
            name = f"style-{hashlib.sha256(m.group(2).encode('utf-8')).hexdigest()[:12]}.css"
            target = root / ASSETS_DIR / name
            if not target.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(m.group(2), encoding="utf-8")
            return f'<link rel="stylesheet" href="{prefix}{ASSETS_DIR}/{name}">'

        new = share_itables_script(_STYLE.sub(link, text), root / ASSETS_DIR, href_prefix=prefix)
        if new != text:
            page.write_text(new, encoding="utf-8")
    return sorted((root / ASSETS_DIR).glob("*"))


def _notebook_html_outputs(nb) -> Iterable[dict]:
    """The ``data`` dicts of every output of ``nb`` that has ``text/html``."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data and "text/html" in data:
                yield data


def drop_itables_script(nb) -> int:
    """Replace itables' offline bundle in a notebook's outputs by :data:`ITABLES_NOTE` (in place).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook.

    Returns
    -------
    int
        How many outputs changed.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("init()")])
    >>> nb.cells[0].outputs = [nbformat.v4.new_output("display_data", {"text/html": "<script>injectModule(b);"
    ...     " window._itables_2_9_1 = 1;</script>"})]
    >>> drop_itables_script(nb), nb.cells[0].outputs[0].data["text/html"] == ITABLES_NOTE
    (1, True)
    """
    changed = 0
    for data in _notebook_html_outputs(nb):
        text = data["text/html"]
        text = "".join(text) if isinstance(text, list) else text
        if any(_is_itables_bundle(body) for body in _SCRIPT.findall(text)):
            data["text/html"] = ITABLES_NOTE
            changed += 1
    return changed


def compact_figures(nb) -> int:
    """Store every PNG figure of a notebook's outputs in fewer bytes, pixel for pixel (in place), with
    :func:`helpers.plotting.compact_png`: the report page and the executed notebook kept beside it both embed them.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook.

    Returns
    -------
    int
        How many bytes of base64 text the figures lost.

    Examples
    --------
    >>> import base64, io, nbformat
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(3, 2)); _ = ax.plot([1, 3, 2])
    >>> buf = io.BytesIO(); fig.savefig(buf, format="png"); plt.close(fig)
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("plt.show()")])
    >>> png = base64.b64encode(buf.getvalue()).decode()
    >>> nb.cells[0].outputs = [nbformat.v4.new_output("display_data", {"image/png": png})]
    >>> compact_figures(nb) > 0
    True
    """
    import base64

    from ..plotting import compact_png

    saved = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data") or {}
            if "image/png" not in data:
                continue
            text = "".join(data["image/png"]).replace("\n", "")
            compact = base64.b64encode(compact_png(base64.b64decode(text))).decode("ascii")
            saved += len(text) - len(compact)
            data["image/png"] = compact
    return saved


def _replace_written_pages(nb, folder: str | os.PathLike[str], replace) -> int:
    """Call ``replace(tag, srcdoc_match, file_name)`` on each ``<iframe srcdoc>`` of ``nb``'s outputs whose
    document is exactly the text of an HTML file of ``folder``; its result takes the tag's place (in place)."""
    pages = {p.read_text(encoding="utf-8"): p.name for p in sorted(Path(folder).glob("*.htm*"))}
    done = 0

    def swap(m: re.Match) -> str:
        nonlocal done
        tag = m.group(0)
        srcdoc = _SRCDOC_ATTR.search(tag)
        name = pages.get(_html.unescape(srcdoc.group(1))) if srcdoc else None
        if name is None:
            return tag
        done += 1
        return replace(tag, srcdoc, name)

    for data in _notebook_html_outputs(nb):
        text = data["text/html"]
        text = "".join(text) if isinstance(text, list) else text
        if "srcdoc=" in text and pages:
            data["text/html"] = _IFRAME.sub(swap, text)
    return done


def link_written_pages(nb, folder: str | os.PathLike[str], *, href_prefix: str) -> int:
    """Show pages the notebook wrote by linking them: an ``<iframe srcdoc>`` whose document is exactly the text of
    an HTML file of ``folder`` becomes ``<iframe src="<href_prefix><file>">`` (in place).

    Notebook 03 shows its pyLDAvis view, which it also writes as ``ldavis.html``, inline; the report page would
    otherwise hold the view (scripts and font) twice. The ``sandbox`` of the inline frame goes too: it isolated
    the view from the notebook's scripts, which a page of its own already is, and a sandboxed page may not load
    the report's shared font from ``file://``.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook, as rendered into the report page (not the copy kept as ``.ipynb``).
    folder : path-like
        The notebook's output folder.
    href_prefix : str
        The way from the report page to ``folder`` (``"03_lda_topics/"``).

    Returns
    -------
    int
        How many iframes now link a file.
    """
    from urllib.parse import quote

    def link(tag: str, srcdoc: re.Match, name: str) -> str:
        src = f' src="{_html.escape(href_prefix + quote(name), quote=True)}"'
        return _SANDBOX_ATTR.sub("", tag[: srcdoc.start()] + src + tag[srcdoc.end() :])

    return _replace_written_pages(nb, folder, link)


def drop_written_pages(nb, folder: str | os.PathLike[str]) -> int:
    """In the executed notebook kept in a report, name the page an ``<iframe srcdoc>`` showed instead of holding
    it again (in place; the iframe stays, empty and hidden).

    Jupyter shows no iframe of a notebook it did not run itself (an untrusted notebook), so the copy loses nothing
    a reader could see there, and the file is next to it.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook.
    folder : path-like
        The notebook's output folder (where the notebook is kept).

    Returns
    -------
    int
        How many iframes were replaced.
    """

    def note(tag: str, srcdoc: re.Match, name: str) -> str:
        return (
            f"<p><small>The view shown here is the page <code>{_html.escape(name)}</code> next to this notebook "
            f"(left out of this copy).</small></p><iframe hidden>"
        )

    return _replace_written_pages(nb, folder, note)


def write_font_stylesheet(root: str | os.PathLike[str]) -> Path:
    """Write :data:`FONT_STYLESHEET`: one subset of Noto Sans CJK SC with every CJK character of the report.

    The characters are those of every HTML page under ``root`` (text, scripts' data, documents in
    ``<iframe srcdoc>``), so each page that links the style sheet finds its glyphs there.

    Parameters
    ----------
    root : path-like
        The report folder.

    Returns
    -------
    Path
        The style sheet.
    """
    root = Path(root)
    chars: set[str] = set()
    for page in sorted(root.rglob("*.htm*")):
        chars |= cjk_characters(page.read_text(encoding="utf-8", errors="replace"))
    path = root / FONT_STYLESHEET
    path.parent.mkdir(parents=True, exist_ok=True)
    note = "/* Chinese text of this report: a subset of Noto Sans CJK SC (mplfonts package, SIL Open Font License) */"
    path.write_text(f"{note}\n{font_face_rule(sorted(chars))}\n", encoding="utf-8")
    return path


def _weight_key(rel: Path) -> tuple[int, str]:
    """Where a file of a report is counted in :func:`page_weights`: (sort rank, label)."""
    if rel.parts[0] == "api":
        return 5, "api/ (API reference, all pages)"
    if rel.parts[0] == ASSETS_DIR:
        return 4, f"{ASSETS_DIR}/ (font, DataTables script, style sheets)"
    if rel.suffix.lower() in (".html", ".htm"):
        return (0 if rel.name == "index.html" else 1) if len(rel.parts) == 1 else 2, rel.as_posix()
    if rel.suffix.lower() == ".ipynb":
        return 3, rel.as_posix()
    return 6, f"{rel.parent.as_posix()}/ (tables, figures, data)" if len(rel.parts) > 1 else rel.as_posix()


def page_weights(root: str | os.PathLike[str], *, zip_file: str | os.PathLike[str] | None = None) -> list[dict]:
    """What a report weighs: each page, the executed notebooks, the assets, the API reference, the other files of
    each folder, the total and the zip.

    Parameters
    ----------
    root : path-like
        A report folder (relative paths such as ``.`` are resolved first).
    zip_file : path-like, optional
        Its zip (default ``<root>.zip`` when it exists).

    Returns
    -------
    list of dict
        ``what`` and ``bytes``: the index and the notebook pages, the pages in notebook folders, the executed
        notebooks, ``assets/``, the API reference (one line), every other file grouped by folder, then
        ``folder total`` and ``zip``.

    Raises
    ------
    ReportError
        When ``root`` is not a report folder (no ``index.html`` in it).

    Examples
    --------
    >>> import tempfile
    >>> report = Path(tempfile.mkdtemp())
    >>> _ = (report / "index.html").write_text("<p>x</p>")
    >>> [(w["what"], w["bytes"]) for w in page_weights(report)]
    [('index.html', 8), ('folder total', 8)]
    """
    root = Path(root).resolve()  # "." has no name, and the zip is named after the folder
    if not (root / "index.html").is_file():
        raise ReportError(f"{root.name or root}: not a report folder (no index.html); give reports/<name>")
    rows: dict[tuple[int, str], int] = {}
    for path in (p for p in root.rglob("*") if p.is_file()):
        key = _weight_key(path.relative_to(root))
        rows[key] = rows.get(key, 0) + path.stat().st_size
    out = [{"what": label, "bytes": rows[(rank, label)]} for rank, label in sorted(rows)]
    out.append({"what": "folder total", "bytes": sum(rows.values())})
    archive = Path(zip_file) if zip_file is not None else root.with_name(f"{root.name}.zip")
    if archive.is_file():
        out.append({"what": "zip", "bytes": archive.stat().st_size})
    return out


def page_weight_table(root: str | os.PathLike[str], **kwargs) -> str:
    """:func:`page_weights` as a Markdown table (sizes in MB with two decimals), for the README.

    Examples
    --------
    >>> import tempfile
    >>> report = Path(tempfile.mkdtemp())
    >>> _ = (report / "index.html").write_text("x" * 56_000)
    >>> print(page_weight_table(report))
    | file | size |
    |---|---:|
    | `index.html` | 0.06 MB |
    | **folder total** | **0.06 MB** |
    """
    lines = ["| file | size |", "|---|---:|"]
    for row in page_weights(root, **kwargs):
        size = f"{row['bytes'] / 1e6:.2f} MB"
        if row["what"] in ("folder total", "zip"):
            lines.append(f"| **{row['what']}** | **{size}** |")
        else:
            lines.append(f"| `{row['what']}` | {size} |")
    return "\n".join(lines)
