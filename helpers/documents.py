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
    "ends_sentence",
    "shared_running_lines",
    "PdfText",
    "read_pdf_pages",
    "pdf_document",
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
NO_TEXT_LAYER = "PDF with no text layer"


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
#: the action of a cleaning-report row for what reading a PDF drops (running headers, footers, page numbers): it
#: comes before the document's raw text, so it is not among the characters cleaning ``removed`` from it (notebook
#: 01 sums those against the raw text; reviewer P found the sums 404 characters apart)
READ_ACTION = "dropped when read"
#: lines looked at from the top and from the bottom of a page for running headers, footers and page numbers:
#: a header or footer is one or two lines (a title line and a rule or date), and a page number one more. On a short
#: page the top edge is at most its first half, the bottom edge the rest, so a signature at the end of a one-page
#: notice is a bottom line, never a top one
EDGE_LINES = 3
#: a line at a page's edge is a running header or footer when it is on more than this share of the pages ("a line
#: identical on most pages"; numbers in it may differ: 国务院公报 2020年第5号 on one page, 第6号 on another)
RUNNING_SHARE = 0.5
#: ... and on at least this many pages (one page has no running lines)
RUNNING_MIN_PAGES = 2
#: across the PDFs of a folder (most notices are one page, where :data:`RUNNING_MIN_PAGES` finds nothing): a line
#: at the top edge of the pages of at least this many PDFs ... (three: two files may share a title, a reprint; a
#: letterhead is on every notice an office issues)
SHARED_MIN_FILES = 3
#: ... and of at least this share of the folder's PDFs is a running header (a title or first sentence that several
#: stories share is never on half of a folder's files; a letterhead is on most)
SHARED_SHARE = 0.5
#: lines that are at the top of many files but are each file's own: a date, a document number (国办发〔2020〕5号),
#: compared with their numbers as ``#`` (:func:`_running_key`)
_OWN_LINE = re.compile(r"#年(?:#月(?:#日)?)?|.{0,12}[〔\[（(【]#[〕\]）)】](?:第)?#号")

TOP, BOTTOM = "top", "bottom"


class PdfText(NamedTuple):
    """The text layer of a PDF as :func:`read_pdf_pages` read it: each page's lines, the metadata title and the
    warnings (pages without text), before :func:`pdf_document` drops page furniture and joins wrapped lines."""

    label: str
    pages: list[list[str]]
    title: str | None
    warnings: list[str]


def is_page_number(line: str) -> bool:
    """Whether a line is a bare page number.

    >>> [is_page_number(x) for x in ["— 3 —", "－ 12 －", "第 2 页", "第2页 共9页", "3/9", "７", "2020年", "一、"]]
    [True, True, True, True, True, True, False, False]
    """
    return bool(_PAGE_NUMBER.fullmatch(unicodedata.normalize("NFKC", line).strip()))


def _running_key(line: str) -> str:
    """What two pages' header lines share: the line without spaces and with every number as ``#``."""
    return re.sub(r"\d+", "#", _SPACE.sub("", unicodedata.normalize("NFKC", line)))


def _edges(lines: Sequence[str]) -> tuple[list[int], list[int]]:
    """The indices of a page's top edge (its first :data:`EDGE_LINES` non-empty lines, at most half of them) and
    of its bottom edge (the last :data:`EDGE_LINES` of the others), each from the edge inwards."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    n_top = min(EDGE_LINES, (len(filled) + 1) // 2)
    return filled[:n_top], filled[n_top:][::-1][:EDGE_LINES]


def _running_in_file(pages: Sequence[Sequence[str]]) -> set[tuple[str, str]]:
    """The running lines of one file, as ``(side, key)``: on most of its pages (:data:`RUNNING_SHARE`,
    :data:`RUNNING_MIN_PAGES`), at the same edge."""
    seen: Counter[tuple[str, str]] = Counter()
    for lines in pages:
        top, bottom = _edges(lines)
        seen.update({(TOP, _running_key(lines[i])) for i in top} | {(BOTTOM, _running_key(lines[i])) for i in bottom})
    need = max(RUNNING_MIN_PAGES, math.floor(RUNNING_SHARE * len(pages)) + 1)
    return {sk for sk, count in seen.items() if count >= need and sk[1]}


def shared_running_lines(pdfs: Sequence[Sequence[Sequence[str]]], groups: Sequence[str] | None = None) -> frozenset:
    """The running headers and footers of a set of PDFs read together (a corpus load), for
    :func:`drop_page_furniture` to drop in each of them, one-page files too: ``(side, key)`` pairs.

    A line is running in all of them when it is running in one file (:func:`_running_in_file`: a letterhead on
    every page of a two-page notice is the letterhead of the one-page notices beside it), or when it is at the top
    of a page of at least :data:`SHARED_MIN_FILES` PDFs and :data:`SHARED_SHARE` of the PDFs of its group (the
    files of one folder; ``groups`` gives each file's), or at the bottom of a page that is not a file's last (where
    a signature and date are) as often. Dates and document numbers are never running lines (:data:`_OWN_LINE`).

    >>> one_page = [[["国务院办公厅文件", "关于{}的通知".format(x), "正文。", "— 1 —"]] for x in "甲乙丙"]
    >>> sorted(shared_running_lines(one_page))
    [('top', '国务院办公厅文件')]
    """
    groups = list(groups) if groups is not None else [""] * len(pdfs)
    found: set[tuple[str, str]] = set()
    files: dict[str, Counter] = {}
    for pages, group in zip(pdfs, groups):
        if len(pages) >= RUNNING_MIN_PAGES:
            found |= _running_in_file(pages)
        mine: set[tuple[str, str]] = set()
        for k, lines in enumerate(pages):
            top, bottom = _edges(lines)
            mine |= {(TOP, _running_key(lines[i])) for i in top}
            if k < len(pages) - 1:
                mine |= {(BOTTOM, _running_key(lines[i])) for i in bottom}
        files.setdefault(group, Counter()).update(mine)
    size = Counter(groups)
    for group, seen in files.items():
        need = max(SHARED_MIN_FILES, math.ceil(SHARED_SHARE * size[group]))
        found |= {sk for sk, count in seen.items() if count >= need}
    return frozenset(sk for sk in found if sk[1] and not _OWN_LINE.fullmatch(sk[1]) and not is_page_number(sk[1]))


def drop_page_furniture(
    pages: Sequence[Sequence[str]], shared: frozenset = frozenset()
) -> tuple[list[list[str]], list[dict]]:
    """Pages' lines without their running headers and footers and page numbers, and the cleaning-report rows
    saying what was dropped (rule ``page_chrome``: one row per running line, one for the page numbers).

    A running line is one at the top or at the bottom of a page (:data:`EDGE_LINES`) that is the same, numbers
    aside, at that edge of most pages (:data:`RUNNING_SHARE`, :data:`RUNNING_MIN_PAGES`), or one that ``shared``
    names (:func:`shared_running_lines`: the running lines of the other PDFs read with it); a page number is a
    bare number there (:func:`is_page_number`). Lines are dropped from each edge inwards and only while they are
    such lines, so a number or a repeated line inside the body stays, and so does a signature equal to the header
    (it is at the bottom, the header at the top).

    >>> pages = [["国务院公报 2020年第1号", "关于做好脱贫攻坚工作的通知", "正文一。", "— 1 —"],
    ...          ["国务院公报 2020年第1号", "正文二。", "— 2 —"], ["国务院公报 2020年第1号", "正文三。", "国务院公报", "— 3 —"]]
    >>> kept, rows = drop_page_furniture(pages)
    >>> kept
    [['关于做好脱贫攻坚工作的通知', '正文一。'], ['正文二。'], ['正文三。', '国务院公报']]
    >>> [r["detail"] for r in rows]
    ['running header or footer on 3 of 3 PDF pages: 国务院公报 2020年第1号', 'page numbers on 3 of 3 PDF pages']
    """
    n = len(pages)
    running = _running_in_file(pages) | set(shared)
    dropped: dict[str, list[str]] = {}  # key → the lines dropped ("" for page numbers)
    on_pages: dict[str, set[int]] = {}  # key → the pages it was dropped from
    kept_pages = []
    for k, lines in enumerate(pages):
        drop: set[int] = set()
        for side, edge in zip((TOP, BOTTOM), _edges(lines)):
            seen: set[str] = set()  # a running line is once at an edge: the same line again is body (a signature)
            for i in edge:
                key = _running_key(lines[i])
                if is_page_number(lines[i]):
                    key = ""
                elif (side, key) not in running or key in seen:
                    break
                seen.add(key)
                dropped.setdefault(key, []).append(lines[i])
                on_pages.setdefault(key, set()).add(k)
                drop.add(i)
        kept_pages.append([line for i, line in enumerate(lines) if i not in drop])
    rows = []
    for key, lines in dropped.items():
        chars = sum(len(x.strip()) + 1 for x in lines)  # the line and its line break
        what = f"running header or footer on {len(on_pages[key]):,} of {n:,} PDF pages: {lines[0].strip()}"
        detail = what if key else f"page numbers on {len(on_pages[key]):,} of {n:,} PDF pages"
        rows.append({"rule": "page_chrome", "action": READ_ACTION, "chars": chars, "detail": detail[:200]})
    rows.sort(key=lambda r: r["detail"].startswith("page numbers"))
    return kept_pages, rows


# --- PDF: hard-wrapped lines ------------------------------------------------------------------------------------
#: what ends a sentence or a clause a line may end on: 。！？；：… (and their ASCII forms)
STOPS = "。！？；：!?;:…"
#: closing quotes and brackets: a line ending in one ends a sentence only when a stop is before it (。” ！” ？”),
#: not after a name in quotes (俄罗斯“联盟号”) or a book title (《讲话》)
CLOSERS = "”’』」》）)〕】"
#: the last characters of a line that ends a sentence: a stop, or a closing quote after one
SENTENCE_END = STOPS + "”』」"
#: what starts no line of running text but the rest of a wrapped one: punctuation that follows a word
CONTINUES = "，、；：。！？,;:!?" + CLOSERS
#: a line shorter than this share of the full line width is the last of its paragraph (or a heading), not a
#: hard-wrapped one: a first line indented by two characters of a 28-character line is 93 % of it
WRAP_SHARE = 0.8
#: the full line width: this quantile of the lines' widths (most lines of running text are full)
FULL_WIDTH_QUANTILE = 0.9
#: ... of the lines at most this many times as wide as the upper quartile line: pypdf gives two lines of a page as one
#: when their baselines are close (observed: lines of 120 cells in a page of 60-cell lines), and enough of those
#: would make every real line look short
MERGED_LINE_FACTOR = 1.5
#: a title set over two lines or more (centred, narrower than the body: GB/T 9704 sets a long title "梯形或菱形", its
#: first line the longest) wraps at a line at least this share of the full width that the next title line is not
#: wider than; a one-line headline is followed by the body (indented or full width), never by a title line
TITLE_WRAP_SHARE = 0.6
_INDENT = re.compile(r"^(?:\u3000|\s{2,})")
_LATIN_EDGE = re.compile(r"[A-Za-z]")
_PAIRS = ("《》", "“”", "（）", "()")


def _width(line: str) -> int:
    """A line's width in half-width cells: a Chinese character or full-width sign is two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line.strip())


def _joined(left: str, right: str) -> str:
    # Latin words are wrapped at the space between them, which the line break replaced; Chinese text and numbers
    # (a CJK line breaks between any two characters, 2 / 5亿元) have none
    both = _LATIN_EDGE.match(left[-1:]) and _LATIN_EDGE.match(right[:1])
    return f"{left} {right}" if both else left + right


def ends_sentence(line: str) -> bool:
    """Whether a line ends a sentence or clause: a stop (:data:`STOPS`), or closing quotes after one.

    >>> [ends_sentence(x) for x in ["返回地面。", "他说：“要坚持。”", "俄罗斯“联盟号”", "学习《讲话》", "一、"]]
    [True, True, False, False, False]
    """
    text = line.rstrip().rstrip(CLOSERS)
    return bool(text) and text[-1] in STOPS


def _unclosed(line: str) -> bool:
    """Whether a line opens a 《》, “” or （） it does not close (a title wrapped inside a book title)."""
    return any(line.count(o) > line.count(c) for o, c in _PAIRS)


def _glue_continuations(lines: Sequence[str]) -> list[str]:
    """Lines with each line that starts with :data:`CONTINUES` punctuation appended to the line before it."""
    out: list[str] = []
    for line in lines:
        text = line.strip()
        if text and text[0] in CONTINUES and out and out[-1].strip() and not _INDENT.match(line):
            out[-1] = out[-1].rstrip() + text
        else:
            out.append(line)
    return out


def join_wrapped_lines(lines: Sequence[str]) -> list[str]:
    """Lines of a PDF with hard-wrapped lines joined to the next, so that sentences are whole.

    A line is joined to the next when it does not end a sentence (:func:`ends_sentence`), runs to nearly the full
    line width (:data:`WRAP_SHARE`: a shorter line ends its paragraph, or is a heading), and the next line is not
    blank and not indented (an indent starts a paragraph). A line starting with punctuation that follows a word
    (:data:`CONTINUES`) is always the rest of the line before it. The title zone (the lines before the body's first
    line, which is indented or full width) joins a title wrapped over lines: a line with an open 《, “ or （, or
    a line nearly as wide as a title is (:data:`TITLE_WRAP_SHARE`) whose next title-zone line is not wider and
    does not end in a colon (an addressee: 各省、自治区、直辖市人民政府：).

    >>> join_wrapped_lines(["一、总体要求", "坚持以人民为中心的发展思想，全面", "推进乡村振兴。", "（一）目标"])
    ['一、总体要求', '坚持以人民为中心的发展思想，全面推进乡村振兴。', '（一）目标']
    >>> join_wrapped_lines(["习近平《在纪念红军长征胜利80周年大会上的讲话", "》单行本出版",
    ...                     "\u3000\u3000中共中央总书记、国家主席、中央军委主席习近平的讲话单", "行本已出版。"])
    ['习近平《在纪念红军长征胜利80周年大会上的讲话》单行本出版', '中共中央总书记、国家主席、中央军委主席习近平的讲话单行本已出版。']
    """
    widths = sorted(w for w in map(_width, lines) if w)  # the lines as set, before a glued line is wider
    if not widths:
        return [line.strip() for line in lines]
    lines = _glue_continuations(lines)
    widths = [w for w in widths if w <= MERGED_LINE_FACTOR * widths[(3 * len(widths)) // 4]]
    full = widths[min(len(widths) - 1, int(FULL_WIDTH_QUANTILE * len(widths)))]
    zone_end = next(
        (i for i, x in enumerate(lines) if not x.strip() or _INDENT.match(x) or _width(x) >= WRAP_SHARE * full),
        len(lines),
    )
    out: list[str] = []
    buf = ""
    for i, line in enumerate(lines):
        text = line.strip()
        if not text or (buf and _INDENT.match(line)):
            if buf:
                out.append(buf)
                buf = ""
            if not text:
                out.append("")
                continue
        buf = _joined(buf, text) if buf else text
        if i + 1 < zone_end:
            nxt = lines[i + 1].strip()
            wrapped_title = _unclosed(buf) or (
                not ends_sentence(text)
                and not nxt.endswith(("：", ":"))
                and _width(text) >= TITLE_WRAP_SHARE * full
                and _width(nxt) <= _width(text)
            )
            if wrapped_title:
                continue
        if ends_sentence(text) or _width(text) < WRAP_SHARE * full:
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


def read_pdf_pages(path: str | os.PathLike[str], *, name: str | None = None) -> PdfText:
    """The lines of each page of a PDF with text (:class:`PdfText`), for :func:`pdf_document`.

    A PDF without a text layer (a scan) is a :class:`~helpers.corpus.CorpusError` with reason
    :data:`NO_TEXT_LAYER`; some pages without text (scanned pages among typed ones) are a warning. A damaged or
    password-protected PDF is a :class:`~helpers.corpus.CorpusError` naming the file and the problem.
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
    return PdfText(label, [page.splitlines() for page in pages if page.strip()], title, warnings)


def pdf_document(pdf: PdfText, shared: frozenset = frozenset()) -> DocumentText:
    """A PDF's text from its pages' lines: running headers, footers and page numbers dropped
    (:func:`drop_page_furniture`, with the ``shared`` running lines of the PDFs read with it) and hard-wrapped
    lines joined into their sentences (:func:`join_wrapped_lines`), both reported in ``changes``. The title is the
    metadata title when it is a real one (:func:`core_title`)."""
    kept, changes = drop_page_furniture(pdf.pages, shared)
    lines = [line for page in kept for line in page]
    joined = join_wrapped_lines(lines)
    n_joins = sum(1 for line in lines if line.strip()) - sum(1 for line in joined if line)
    if n_joins:
        detail = f"{n_joins:,} hard-wrapped PDF lines joined to the next line"
        changes.append({"rule": "whitespace", "action": "joined", "chars": 0, "detail": detail})
    text = "\n".join(joined).strip("\n")
    if not text.strip():
        raise _empty(pdf.label, "PDF")
    return DocumentText(text, core_title(pdf.title, text), changes, pdf.warnings)


def read_pdf(path: str | os.PathLike[str], *, name: str | None = None, shared: frozenset = frozenset()) -> DocumentText:
    """The text of a PDF document: :func:`read_pdf_pages` then :func:`pdf_document` (read alone, a one-page PDF
    keeps a running header that only other files show to be one: :func:`shared_running_lines`)."""
    return pdf_document(read_pdf_pages(path, name=name), shared)


def read_document(path: str | os.PathLike[str], *, name: str | None = None) -> DocumentText:
    """:func:`read_docx` or :func:`read_pdf`, by the file's suffix."""
    suffix = Path(path).suffix.lower()
    if suffix in WORD_SUFFIXES:
        return read_docx(path, name=name)
    if suffix in PDF_SUFFIXES:
        return read_pdf(path, name=name)
    raise ValueError(f"{path}: not a Word or PDF document")
