"""Word (.docx) and PDF documents as text, for :func:`helpers.corpus.load_corpus` to read as it reads a .txt file.

One file is one document. :func:`read_docx` gives the body's paragraphs, one a line, with each table's rows in
their place; :func:`read_pdf` gives the text layer of every page, with running headers, footers and page numbers
dropped (:func:`drop_page_furniture`) and hard-wrapped lines joined into their sentences
(:func:`join_wrapped_lines`). What either changed is a list of cleaning-report rows (:class:`DocumentText`); the
loader then cleans the text like any other document (same cleaning, ids and dates from the file's name).

>>> join_wrapped_lines(["各地区各部门要坚持精准扶贫精准脱贫基本方略，", "确保如期完成脱贫攻坚目标任务。", "", "二、主要任务"])
['各地区各部门要坚持精准扶贫精准脱贫基本方略，确保如期完成脱贫攻坚目标任务。', '', '二、主要任务']
"""

from __future__ import annotations

import logging
import math
import os
import re
import struct
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from .corpus import LEGACY_WORD_SUFFIXES, PDF_SUFFIXES, WORD_SUFFIXES, CorpusError

__all__ = [
    "WORD_SUFFIXES",
    "PDF_SUFFIXES",
    "LEGACY_WORD_SUFFIXES",
    "DocumentText",
    "read_docx",
    "read_pdf",
    "core_title",
    "join_wrapped_lines",
    "drop_page_furniture",
    "is_page_number",
]

#: the first bytes of an OLE2 compound file: a legacy .doc renamed .docx, or a password-protected .docx (Word
#: encrypts the zip into one)
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: the ``reason`` of a report row of a Word or PDF file that cannot be read (damaged, encrypted, not what its
#: suffix says)
UNREADABLE_DOCUMENT = "unreadable document"
#: the ``reason`` of a PDF without a text layer (a scan): it needs OCR first
NO_TEXT_LAYER = "no text layer"


class DocumentText(NamedTuple):
    """What :func:`read_docx` or :func:`read_pdf` read: the ``text`` (lines joined by ``\\n``), the document's
    ``title`` property when it is a real title (:func:`core_title`, else ``None``), ``changes`` (cleaning-report
    rows: ``rule``, ``action``, ``chars``, ``detail``) and ``warnings`` (messages naming the file)."""

    text: str
    title: str | None
    changes: list[dict]
    warnings: list[str]


def _error(label: str, problem: str, reason: str = UNREADABLE_DOCUMENT) -> CorpusError:
    return CorpusError(f"{label}: {problem}", path=label, reason=reason)


def _empty(label: str, kind: str) -> CorpusError:
    # the reason of an empty .txt file (helpers.corpus.decode_bytes): an empty document is counted with them
    return CorpusError(f"{label}: empty file (a {kind} with no text)", path=label, reason="empty file")


def _head(path: Path, label: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(_OLE2_MAGIC))
    except OSError as e:
        raise CorpusError(
            f"{label}: cannot read the file ({e.strerror or e})", path=label, reason="unreadable file"
        ) from None


# --- the title property -----------------------------------------------------------------------------------------
#: titles that templates and converters put in a document's properties, not the document's own: Word's and WPS's
#: defaults, python-docx's, and the "Microsoft Word - <file name>" that printing to PDF writes (observed values)
_DEFAULT_TITLES = re.compile(
    r"^(word document|document\d*|title|untitled|无标题|标题|文档\d*|新建.*文档|microsoft word\s*-.*|wps.*|"
    r"powerpoint.*|slide \d+|幻灯片 \d+)$",
    re.I,
)
_SPACE = re.compile(r"\s+")


def core_title(title: str | None, text: str) -> str | None:
    """A document's title property if it is its title: set, not a template's or converter's default, and found in
    the text (whitespace aside). A template reused for another document keeps the old document's title in its
    properties, so a title the text does not hold is not trusted.

    >>> core_title("关于做好2020年脱贫攻坚工作的通知", "国务院扶贫办\\n关于做好2020年脱贫攻坚 工作的通知\\n各省")
    '关于做好2020年脱贫攻坚工作的通知'
    >>> core_title("Word Document", "Word Document"), core_title("关于印发旧文件的通知", "新的正文"), core_title(" ", "")
    (None, None, None)
    """
    t = (title or "").strip()
    if not t or _DEFAULT_TITLES.match(t):
        return None
    return t if _SPACE.sub("", t) in _SPACE.sub("", text) else None


# --- Word -------------------------------------------------------------------------------------------------------
def _docx_errors() -> tuple[type[BaseException], ...]:
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError

    return (PackageNotFoundError, LxmlError, zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError,
            AttributeError, EOFError, zlib.error)  # fmt: skip


def _run_text(run) -> str:
    """The text of one ``w:r``: its text, tabs and line breaks (field codes and deleted text are other tags)."""
    from docx.oxml.ns import qn

    parts = []
    for child in run:
        tag = child.tag
        if tag == qn("w:t"):
            parts.append(child.text or "")
        elif tag == qn("w:tab") or tag == qn("w:ptab"):
            parts.append("\t")
        elif tag in (qn("w:br"), qn("w:cr")):
            parts.append("\n")
        elif tag == qn("w:noBreakHyphen"):
            parts.append("-")
    return "".join(parts)


def _paragraph_text(p) -> str:
    """The text of a ``w:p``: every run in it, also inside inserted (tracked) text, hyperlinks, fields and content
    controls; runs of text boxes anchored in it and the fallback copies of drawings are left out."""
    from docx.oxml.ns import qn

    skip = (qn("w:txbxContent"), qn("w:del"), "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback")
    out = []
    for run in p.iter(qn("w:r")):
        parent, inside = run.getparent(), False
        while parent is not None and parent is not p:
            if parent.tag in skip:
                inside = True
                break
            parent = parent.getparent()
        if not inside:
            out.append(_run_text(run))
    return "".join(out)


def _cell_text(tc) -> str:
    """A table cell's text on one line: its paragraphs (and nested tables) joined by a space."""
    return " ".join(line.strip() for line in _block_lines(tc) if line.strip())


def _block_lines(container) -> list[str]:
    """The lines of a body, cell or content control, in order: a paragraph a line (a line break in it starts
    another), a table row a line with its cells joined by a tab (a cell merged across columns once)."""
    from docx.oxml.ns import qn

    lines: list[str] = []
    for child in container:
        if child.tag == qn("w:p"):
            lines.extend(_paragraph_text(child).split("\n"))
        elif child.tag == qn("w:tbl"):
            for tr in child.iter(qn("w:tr")):
                if tr.getparent() is not child:  # a row of a nested table: read with its cell
                    continue
                cells = [_cell_text(tc) for tc in tr.findall(qn("w:tc"))]
                lines.append("\t".join(cells).rstrip("\t"))
        elif child.tag == qn("w:sdt"):  # a content control: its content is body content
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                lines.extend(_block_lines(content))
    return lines


def read_docx(path: str | os.PathLike[str], *, name: str | None = None) -> DocumentText:
    """The text of a Word document (.docx): the body's paragraphs in order, one a line, and each table in its place
    in the body, a row a line with its cells joined by a tab (a cell's paragraphs joined by a space).

    Left out: headers and footers (page furniture, repeated on every page), footnotes, endnotes, comments, text
    boxes and deleted tracked changes; inserted tracked changes are read as text. The title is the document's title
    property when it is a real title (:func:`core_title`); else ``None`` and cleaning finds the headline line, as
    for a .txt file. A damaged, encrypted or mislabelled file is a :class:`~helpers.corpus.CorpusError` naming the
    file (as ``name``) and the problem; a document without text is one with reason ``"empty file"``.

    >>> import tempfile, docx
    >>> d = docx.Document(); _ = d.add_paragraph("脱贫攻坚"); t = d.add_table(rows=1, cols=2)
    >>> t.cell(0, 0).text, t.cell(0, 1).text = "贫困县", "832个"
    >>> path = Path(tempfile.mkdtemp()) / "a.docx"; d.save(path)
    >>> read_docx(path).text
    '脱贫攻坚\\n贫困县\\t832个'
    """
    import docx

    p = Path(path)
    label = name or str(p)
    head = _head(p, label)
    if head == _OLE2_MAGIC:
        raise _error(label, "a password-protected Word document (or a legacy .doc renamed .docx); remove the "
                     "password, or save it in Word or WPS as .docx")  # fmt: skip
    if not zipfile.is_zipfile(p):
        raise _error(label, "not a Word document (not a zip archive: damaged, or another kind of file)")
    try:
        document = docx.Document(str(p))
        lines = _block_lines(document.element.body)
        title = document.core_properties.title
    except _docx_errors() as e:
        raise _error(label, f"damaged Word document ({type(e).__name__}: {e})") from None
    text = "\n".join(line.rstrip() for line in lines).strip("\n")
    if not text.strip():
        raise _empty(label, "Word document")
    return DocumentText(text, core_title(title, text), [], [])


# --- PDF: page furniture ----------------------------------------------------------------------------------------
#: a page number alone on a line: ``12``, ``- 12 -``, ``— 12 —``, ``第 12 页``, ``第12页 共30页``, ``12 / 30``,
#: ``Page 12 of 30`` (matched after NFKC, so full-width digits and dashes count)
_PAGE_NUMBER = re.compile(
    r"(?:[-–—－]{1,2}\s*)?\d{1,4}(?:\s*[-–—－]{1,2})?|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|"
    r"\d{1,4}\s*/\s*\d{1,4}|(?:共\s*\d{1,4}\s*页\s*)?第\s*\d{1,4}\s*页|page\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?",
    re.I,
)
#: lines looked at from the top and from the bottom of a page for running headers, footers and page numbers:
#: a header or footer is one or two lines (a title line and a rule or date), and a page number one more
EDGE_LINES = 3
#: a line at a page's edge is a running header or footer when it is on more than this share of the pages ("a line
#: identical on most pages"; numbers in it may differ: 国务院公报 2020年第5号 on one page, 第6号 on another)
RUNNING_SHARE = 0.5
#: ... and on at least this many pages (one page has no running lines)
RUNNING_MIN_PAGES = 2


def is_page_number(line: str) -> bool:
    """Whether a line is a bare page number.

    >>> [is_page_number(x) for x in ["— 3 —", "－ 12 －", "第 2 页", "第2页 共9页", "3/9", "７", "2020年", "一、"]]
    [True, True, True, True, True, True, False, False]
    """
    return bool(_PAGE_NUMBER.fullmatch(unicodedata.normalize("NFKC", line).strip()))


def _running_key(line: str) -> str:
    """What two pages' header lines share: the line without spaces and with every number as ``#``."""
    return re.sub(r"\d+", "#", _SPACE.sub("", unicodedata.normalize("NFKC", line)))


def _edges(lines: Sequence[str]) -> list[int]:
    """The indices of the first and last :data:`EDGE_LINES` non-empty lines of a page."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:EDGE_LINES] + filled[-EDGE_LINES:]))


def drop_page_furniture(pages: Sequence[Sequence[str]]) -> tuple[list[list[str]], list[dict]]:
    """Pages' lines without their running headers and footers and page numbers, and the cleaning-report rows
    saying what was dropped (rule ``page_chrome``: one row per running line, one for the page numbers).

    A running line is one at the top or bottom of a page (:data:`EDGE_LINES`) that is the same, numbers aside, on
    most pages (:data:`RUNNING_SHARE`, :data:`RUNNING_MIN_PAGES`); a page number is a bare number there
    (:func:`is_page_number`). Lines are dropped from each edge inwards and only while they are such lines, so a
    number or a repeated line inside the body stays.

    >>> pages = [["国务院公报 2020年第1号", "关于做好脱贫攻坚工作的通知", "正文一。", "— 1 —"],
    ...          ["国务院公报 2020年第1号", "正文二。", "— 2 —"], ["国务院公报 2020年第1号", "正文三。", "— 3 —"]]
    >>> kept, rows = drop_page_furniture(pages)
    >>> kept
    [['关于做好脱贫攻坚工作的通知', '正文一。'], ['正文二。'], ['正文三。']]
    >>> [r["detail"] for r in rows]
    ['running header or footer on 3 of 3 PDF pages: 国务院公报 2020年第1号', 'page numbers on 3 of 3 PDF pages']
    """
    n = len(pages)
    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({_running_key(lines[i]) for i in _edges(lines)})
    need = max(RUNNING_MIN_PAGES, math.floor(RUNNING_SHARE * n) + 1)
    running = {key for key, count in seen.items() if count >= need and key}
    dropped: dict[str, list[str]] = {}  # key → the lines dropped ("" for page numbers)
    numbered = 0
    kept_pages = []
    for lines in pages:
        drop: set[int] = set()
        has_number = False
        filled = [i for i, line in enumerate(lines) if line.strip()]
        for order in (filled[:EDGE_LINES], filled[::-1][:EDGE_LINES]):
            for i in order:
                if i in drop:  # a short page: its top and bottom lines are the same lines
                    continue
                if is_page_number(lines[i]):
                    has_number = True
                    dropped.setdefault("", []).append(lines[i])
                elif _running_key(lines[i]) in running:
                    dropped.setdefault(_running_key(lines[i]), []).append(lines[i])
                else:
                    break
                drop.add(i)
        numbered += has_number
        kept_pages.append([line for i, line in enumerate(lines) if i not in drop])
    rows = []
    for key, lines in dropped.items():
        chars = sum(len(x.strip()) + 1 for x in lines)  # the line and its line break
        if key:
            pages_with = len(lines)
            detail = f"running header or footer on {pages_with:,} of {n:,} PDF pages: {lines[0].strip()}"
        else:
            detail = f"page numbers on {numbered:,} of {n:,} PDF pages"
        rows.append({"rule": "page_chrome", "action": "removed", "chars": chars, "detail": detail[:200]})
    rows.sort(key=lambda r: r["detail"].startswith("page numbers"))
    return kept_pages, rows


# --- PDF: hard-wrapped lines ------------------------------------------------------------------------------------
#: what ends a sentence or a clause a line may end on: 。！？；： and closing quotes (and their ASCII forms)
SENTENCE_END = "。！？；：”』」!?;:…"
#: a line shorter than this share of the full line width is the last of its paragraph (or a heading), not a
#: hard-wrapped one: a first line indented by two characters of a 28-character line is 93 % of it
WRAP_SHARE = 0.8
#: the full line width: this quantile of the lines' widths (most lines of running text are full)
FULL_WIDTH_QUANTILE = 0.9
_INDENT = re.compile(r"^(?:\u3000|\s{2,})")
_LATIN_EDGE = re.compile(r"[A-Za-z]")


def _width(line: str) -> int:
    """A line's width in half-width cells: a Chinese character or full-width sign is two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line.strip())


def _joined(left: str, right: str) -> str:
    # Latin words are wrapped at the space between them, which the line break replaced; Chinese text and numbers
    # (a CJK line breaks between any two characters, 2 / 5亿元) have none
    both = _LATIN_EDGE.match(left[-1:]) and _LATIN_EDGE.match(right[:1])
    return f"{left} {right}" if both else left + right


def join_wrapped_lines(lines: Sequence[str]) -> list[str]:
    """Lines of a PDF with hard-wrapped lines joined to the next, so that sentences are whole.

    A line is joined to the next when it does not end a sentence (:data:`SENTENCE_END`), runs to nearly the full
    line width (:data:`WRAP_SHARE`: a shorter line ends its paragraph, or is a heading), and the next line is not
    blank and not indented (an indent starts a paragraph).

    >>> join_wrapped_lines(["一、总体要求", "坚持以人民为中心的发展思想，全面", "推进乡村振兴。", "（一）目标"])
    ['一、总体要求', '坚持以人民为中心的发展思想，全面推进乡村振兴。', '（一）目标']
    """
    widths = sorted(w for w in map(_width, lines) if w)
    if not widths:
        return [line.strip() for line in lines]
    full = widths[min(len(widths) - 1, int(FULL_WIDTH_QUANTILE * len(widths)))]
    out: list[str] = []
    buf = ""
    for line in lines:
        text = line.strip()
        if not text or (buf and _INDENT.match(line)):
            if buf:
                out.append(buf)
                buf = ""
            if not text:
                out.append("")
                continue
        buf = _joined(buf, text) if buf else text
        if text[-1] in SENTENCE_END or _width(text) < WRAP_SHARE * full:
            out.append(buf)
            buf = ""
    if buf:
        out.append(buf)
    return out


# --- PDF: reading -----------------------------------------------------------------------------------------------
def _pdf_errors() -> tuple[type[BaseException], ...]:
    from pypdf.errors import PyPdfError

    return (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError, AssertionError, OSError,
            EOFError, RecursionError, zlib.error, struct.error)  # fmt: skip


def _pdf_pages(p: Path, label: str) -> tuple[list[str], str | None]:
    """The extracted text of each page and the title in the PDF's metadata."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)  # its warnings on small flaws of a file ("EOF marker not found") flood a notebook
    try:
        reader = PdfReader(p)
        if reader.is_encrypted:
            # most encrypted PDFs only restrict printing or copying and open without a password
            try:
                opened = reader.decrypt("")
            except DependencyError:
                raise _error(label, "an encrypted PDF (AES) that pypdf reads only with the 'cryptography' package; "
                             "install it, or save the PDF again without encryption") from None  # fmt: skip
            if not opened:
                raise _error(label, "a password-protected PDF; remove the password (save it again without one)")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata or {}).get("/Title")
    except CorpusError:
        raise
    except FileNotDecryptedError:
        raise _error(label, "a password-protected PDF; remove the password (save it again without one)") from None
    except _pdf_errors() as e:
        raise _error(label, f"damaged PDF ({type(e).__name__}: {e})") from None
    finally:
        logger.setLevel(level)
    return pages, (str(title) if title else None)


def read_pdf(path: str | os.PathLike[str], *, name: str | None = None) -> DocumentText:
    """The text of a PDF document: the text layer of every page, with running headers, footers and page numbers
    dropped (:func:`drop_page_furniture`) and hard-wrapped lines joined into their sentences
    (:func:`join_wrapped_lines`), both reported in ``changes``.

    A PDF without a text layer (a scan) is a :class:`~helpers.corpus.CorpusError` with reason
    :data:`NO_TEXT_LAYER`; some pages without text (scanned pages among typed ones) are a warning. A damaged or
    password-protected PDF is a :class:`~helpers.corpus.CorpusError` naming the file and the problem. The title is
    the metadata title when it is a real one (:func:`core_title`).
    """
    p = Path(path)
    label = name or str(p)
    _head(p, label)
    pages, title = _pdf_pages(p, label)
    if not pages:
        raise _empty(label, "PDF")
    blank = sum(1 for page in pages if not page.strip())
    if blank == len(pages):
        raise _error(label, "no text layer: a scanned PDF needs OCR first", NO_TEXT_LAYER)
    warnings = []
    if blank:
        warnings.append(f"{label}: {blank:,} of {len(pages):,} PDF pages have no text layer (scanned pages need OCR "
                        "first); the other pages are read")  # fmt: skip
    page_lines = [page.splitlines() for page in pages if page.strip()]
    kept, changes = drop_page_furniture(page_lines)
    lines = [line for page in kept for line in page]
    joined = join_wrapped_lines(lines)
    n_joins = sum(1 for line in lines if line.strip()) - sum(1 for line in joined if line)
    if n_joins:
        detail = f"{n_joins:,} hard-wrapped PDF lines joined to the next line"
        changes.append({"rule": "whitespace", "action": "joined", "chars": n_joins, "detail": detail})
    text = "\n".join(joined).strip("\n")
    if not text.strip():
        raise _empty(label, "PDF")
    return DocumentText(text, core_title(title, text), changes, warnings)


def read_document(path: str | os.PathLike[str], *, name: str | None = None) -> DocumentText:
    """:func:`read_docx` or :func:`read_pdf`, by the file's suffix."""
    suffix = Path(path).suffix.lower()
    if suffix in WORD_SUFFIXES:
        return read_docx(path, name=name)
    if suffix in PDF_SUFFIXES:
        return read_pdf(path, name=name)
    raise ValueError(f"{path}: not a Word or PDF document")
