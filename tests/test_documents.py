"""Word (.docx) and PDF files read as corpus documents (helpers.documents through load_corpus), on CCTV stories
written into such files at test time."""

import json
import re
import unicodedata
import zipfile

import docx
import pytest

from helpers import CorpusError, load_corpus
from helpers import corpus as corpus_module
from helpers.corpus import iter_records
from helpers.documents import (
    NO_TEXT_LAYER,
    SENTENCE_END,
    UNREADABLE_DOCUMENT,
    drop_page_furniture,
    join_wrapped_lines,
    read_pdf,
    shared_running_lines,
)
from helpers.paths import DATA_DIR

XWLB = DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl"
ROWS = [json.loads(line) for line in XWLB.read_text(encoding="utf-8").splitlines()]


def _paragraphs(row: dict) -> list[str]:
    """A story's paragraphs as its web page has them (``<p>　　…</p>``), without markup and indent."""
    text = re.sub(r"<[^>]+>", "", row["text"])
    return [p.strip().strip("\u3000") for p in text.splitlines() if p.strip().strip("\u3000")]


def _write_docx(path, row, *, table: list[list[str]] | None = None, core_title: str | None = None):
    """A Word document of a story: its title as the first paragraph, then its paragraphs; ``table`` after the
    first paragraph of the body."""
    d = docx.Document()
    d.add_paragraph(row["title"])
    for i, para in enumerate(_paragraphs(row)):
        d.add_paragraph(para)
        if i == 0 and table:
            t = d.add_table(rows=len(table), cols=len(table[0]))
            for r, cells in enumerate(table):
                for c, value in enumerate(cells):
                    t.cell(r, c).text = value
    if core_title is not None:
        d.core_properties.title = core_title
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(path)
    return path


TABLE = [["地区", "贫困人口"], ["会山镇", "1300多"]]


def test_a_folder_of_word_documents_reads_like_text_files_and_reports_what_it_cannot_read(tmp_path):
    folder = tmp_path / "corpus"
    _write_docx(folder / "2016-01-02_hainan.docx", ROWS[0], table=TABLE)
    _write_docx(folder / "sub" / "b.docx", ROWS[1])
    _write_docx(folder / "sub2" / "d.docx", ROWS[3])
    (folder / "c.txt").write_text(ROWS[2]["title"] + "\n" + "\n".join(_paragraphs(ROWS[2])), encoding="utf-8")
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    (folder / "broken.docx").write_bytes(bytes(range(256)) * 4)
    with zipfile.ZipFile(folder / "nobody.docx", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    docx.Document().save(folder / "empty.docx")
    (folder / "~$hainan.docx").write_bytes(b"\x05lock")  # Word's lock file beside an open document
    with pytest.warns(UserWarning):
        loaded = load_corpus(folder, errors="report", cache=False)
    docs = loaded.docs.set_index("doc_id")
    assert list(docs.index) == ["2016-01-02_hainan", "c", "sub/b", "sub2/d"]
    hainan = docs.loc["2016-01-02_hainan"]
    assert hainan["title"] == ROWS[0]["title"] and hainan["date"] == "2016-01-02"
    body = _paragraphs(ROWS[0])
    assert all(p[-20:] in hainan["text"] for p in body[1:])
    assert "地区\t贫困人口\n会山镇\t1300多" in hainan["raw"]  # the table in its place: after the first paragraph
    assert hainan["raw"].index("会山镇\t1300多") < hainan["raw"].index(body[1][:10])
    assert docs.loc["sub/b", "folder"] == "sub" and docs.loc["sub2/d", "folder"] == "sub2"
    skipped = loaded.skipped.set_index("path")
    assert skipped.loc["old.doc", "reason"] == "unsupported file type"
    assert "a legacy Word document (save it in Word or WPS as .docx)" in skipped.loc["old.doc", "detail"]
    assert skipped.loc["broken.docx", "reason"] == UNREADABLE_DOCUMENT
    assert skipped.loc["broken.docx", "detail"].startswith("broken.docx: not a Word document")
    assert skipped.loc["nobody.docx", "reason"] == UNREADABLE_DOCUMENT
    assert skipped.loc["nobody.docx", "detail"].startswith("nobody.docx: damaged Word document")
    assert skipped.loc["empty.docx", "reason"] == "empty file"  # as an empty .txt
    assert loaded.report["detail"].str.contains(r"1 hidden file or folder not read \(~\$hainan.docx\)").any()


def test_a_word_document_gives_the_text_its_txt_copy_gives(tmp_path):
    """One path: the .docx is cleaned, titled and dated as the same text saved as .txt."""
    row = ROWS[3]
    path = _write_docx(tmp_path / "docx" / f"{row['date']}.docx", row)
    (tmp_path / "txt").mkdir()
    (tmp_path / "txt" / f"{row['date']}.txt").write_text(
        row["title"] + "\n" + "\n".join(_paragraphs(row)), encoding="utf-8"
    )
    from_docx = load_corpus([path], cache=False).docs.iloc[0]
    from_txt = load_corpus(tmp_path / "txt", cache=False).docs.iloc[0]
    for field in ("doc_id", "title", "date", "text"):
        assert from_docx[field] == from_txt[field], field
    assert [r.doc_id for r in iter_records(path)] == [row["date"]]


def test_the_title_property_is_used_only_when_the_text_holds_it(tmp_path):
    """A document whose first line is its issuer reads its title from the title property; a property left over
    from the template the document was written from (not in its text) is not trusted."""
    row = ROWS[6]
    d = docx.Document()
    for line in ["新闻联播", row["title"], *_paragraphs(row)]:
        d.add_paragraph(line)
    d.core_properties.title = row["title"]
    d.save(tmp_path / "a.docx")
    d.core_properties.title = "关于印发2015年扶贫工作要点的通知"
    d.save(tmp_path / "b.docx")
    docs = load_corpus(tmp_path, cache=False).docs.set_index("doc_id")
    assert docs.loc["a", "title"] == row["title"]
    assert docs.loc["b", "title"] != "关于印发2015年扶贫工作要点的通知"


def test_a_changed_word_document_is_read_again_not_taken_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus_module, "CACHE_DIR", tmp_path / "cache")
    path = _write_docx(tmp_path / "corpus" / "a.docx", ROWS[5])
    assert load_corpus(tmp_path / "corpus").docs["title"].tolist() == [ROWS[5]["title"]]
    _write_docx(path, ROWS[6])
    assert load_corpus(tmp_path / "corpus").docs["title"].tolist() == [ROWS[6]["title"]]


# --- PDF ----------------------------------------------------------------------------------------------------------
def _pdf(path, pages: list[list[str]]):
    """A PDF with one page per list of lines, written by matplotlib with the project's CJK font (TrueType-embedded,
    so the text layer maps back to the characters)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    from helpers.plotting import setup_cjk_fonts

    setup_cjk_fonts()
    with PdfPages(path) as pdf:
        for lines in pages:
            fig = plt.figure(figsize=(8.27, 11.69))
            if not lines:  # a scanned page: a picture, no text
                fig.patches.append(plt.Rectangle((0.1, 0.1), 0.8, 0.8, transform=fig.transFigure))
            for i, line in enumerate(lines):
                fig.text(0.1, 0.95 - 0.03 * i, line, fontsize=11)
            pdf.savefig(fig)
            plt.close(fig)
    return path


def _wrap(para: str, width: int) -> list[str]:
    """A paragraph hard-wrapped as a page sets it: ``width`` Chinese characters a line, a digit or Latin letter
    taking half the room of one."""
    lines, line, room = [], "", 2 * width
    for ch in para:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if room < w:
            lines.append(line)
            line, room = "", 2 * width
        line, room = line + ch, room - w
    return [*lines, line] if line else lines


def _wrapped(row: dict, width: int) -> list[str]:
    return [row["title"], *(line for para in _paragraphs(row) for line in _wrap(para, width))]


def test_a_pdf_reads_whole_sentences_without_its_running_header_and_page_numbers(tmp_path):
    row = ROWS[15]  # a title shorter than a line, as a PDF's title line is
    lines = _wrapped(row, 28)
    per_page = 10
    chunks = [lines[i : i + per_page] for i in range(0, len(lines), per_page)]
    pages = [["新闻联播文字版 2016年第3期", *chunk, f"— {k + 1} —"] for k, chunk in enumerate(chunks)]
    _pdf(tmp_path / "a.pdf", pages)
    loaded = load_corpus(tmp_path, cache=False)
    doc = loaded.docs.iloc[0]
    assert doc["title"] == row["title"]
    assert doc["raw"].split("\n") == [row["title"], *_paragraphs(row)]
    removed = loaded.report[(loaded.report["rule"] == "page_chrome")].set_index("detail")
    n = len(pages)
    assert removed.loc[f"running header or footer on {n} of {n} PDF pages: 新闻联播文字版 2016年第3期", "chars"] > 0
    assert f"page numbers on {n} of {n} PDF pages" in removed.index


def test_a_scanned_or_encrypted_pdf_is_reported_not_read_as_empty(tmp_path):
    from pypdf import PdfReader, PdfWriter

    _pdf(tmp_path / "scan.pdf", [[], []])
    typed = _pdf(tmp_path / "typed.pdf", [_wrapped(ROWS[8], 28)])
    writer = PdfWriter(clone_from=PdfReader(typed))
    writer.encrypt(user_password="tuopin", algorithm="RC4-128")
    writer.write(tmp_path / "locked.pdf")
    writer = PdfWriter(clone_from=PdfReader(typed))
    writer.encrypt(user_password="", owner_password="tuopin", algorithm="RC4-128")  # no printing, opens freely
    writer.write(tmp_path / "restricted.pdf")
    (tmp_path / "fake.pdf").write_text("不是PDF", encoding="utf-8")
    loaded = load_corpus(tmp_path, errors="report", cache=False)
    assert sorted(loaded.docs["doc_id"]) == ["restricted", "typed"]
    skipped = loaded.skipped.set_index("path")
    assert skipped.loc["scan.pdf", "reason"] == NO_TEXT_LAYER
    assert skipped.loc["scan.pdf", "detail"] == "scan.pdf: no text layer: a scanned PDF needs OCR first"
    assert skipped.loc["locked.pdf", "detail"].startswith("locked.pdf: a password-protected PDF")
    assert skipped.loc["fake.pdf", "reason"] == UNREADABLE_DOCUMENT
    with pytest.raises(CorpusError, match="scan.pdf: no text layer"):
        read_pdf(tmp_path / "scan.pdf", name="scan.pdf")


def test_hard_wrapped_lines_join_into_the_sentences_of_the_story():
    """Stories wrapped at several widths (as a PDF's lines are) come back as whole sentences: every line joined
    ends a sentence or its paragraph, and none runs into the next paragraph or into the heading before it. Widths
    are those of Chinese PDFs: 28 characters a line in official documents (GB/T 9704), more in news pages; a
    headline nearly as wide as a line cannot be told from a wrapped line by its text alone and is joined."""
    for row in ROWS[10:30]:
        paragraphs = _paragraphs(row)
        for width in (28, 33, 41):
            lines = ["一、基本情况", *(line for para in paragraphs for line in _wrap(para, width))]
            joined = join_wrapped_lines(lines)
            assert joined[0] == "一、基本情况" and "".join(joined) == "".join(lines), (row["id"], width)
            at = 0  # each joined line is the next piece of one paragraph, ending at a sentence end or its end
            for para in paragraphs:
                rest = para
                while rest:
                    at += 1
                    assert rest.startswith(joined[at]), (row["id"], width, joined[at])
                    rest = rest[len(joined[at]) :]
                    assert not rest or joined[at][-1] in SENTENCE_END, (row["id"], width, joined[at])
            assert at == len(joined) - 1
    assert len(join_wrapped_lines(_wrapped(ROWS[10], 33))) == 1 + len(_paragraphs(ROWS[10]))


def test_running_lines_go_but_the_same_line_inside_the_body_stays():
    body = _paragraphs(ROWS[9])
    pages = [
        ["国务院扶贫办", body[0], "国务院扶贫办", body[2], "12"],
        ["国务院扶贫办", body[1], "第2页 共3页"],
        [body[-1], "3"],
    ]
    kept, rows = drop_page_furniture(pages)
    assert kept == [[body[0], "国务院扶贫办", body[2]], [body[1]], [body[-1]]]
    assert [r["detail"] for r in rows] == [
        "running header or footer on 2 of 3 PDF pages: 国务院扶贫办",
        "page numbers on 3 of 3 PDF pages",
    ]


def _notice(row: dict, header: str) -> list[str]:
    """A one-page notice as government documents are set: a letterhead, the title centred over lines of 22
    characters, paragraphs indented by two characters and hard-wrapped at 30, the issuer and the date, a page
    number."""
    y, m, d = (int(x) for x in row["date"].split("-"))
    body = [line for para in _paragraphs(row) for line in _wrap("\u3000\u3000" + para, 30)]
    return [header, *_wrap(row["title"], 22), *body, header, f"{y}年{m}月{d}日", "— 1 —"]


def test_one_page_pdfs_lose_the_letterhead_they_share_and_keep_wrapped_titles_and_quotes_whole(tmp_path):
    """Four one-page notices with one letterhead: it is no file's running header alone, but it is at the top of
    all of them, so it goes from each (and is reported); the issuer's signature, the same words at the end, stays.
    Titles wrapped over two or three lines (inside 《》 too) come back whole, and so do sentences a line broke
    right after a closing quote (“两学一做”)."""
    header = "国务院办公厅"
    rows = [ROWS[43], ROWS[37], ROWS[49], ROWS[25]]  # titles of 39, 34, 48 and 27 characters
    assert any(re.search(r"[^。！？]”$", line) for line in _notice(ROWS[25], header)[3:-3])  # a line cut at ”
    (tmp_path / "通知").mkdir()
    for k, row in enumerate(rows):
        _pdf(tmp_path / "通知" / f"{row['date']}_{k}.pdf", [_notice(row, header)])
    loaded = load_corpus(tmp_path, cache=False)
    docs = loaded.docs.set_index("path")
    for k, row in enumerate(rows):
        doc = docs.loc[f"通知/{row['date']}_{k}.pdf"]
        assert doc["title"] == row["title"]
        lines = doc["raw"].split("\n")
        y, m, d = (int(x) for x in row["date"].split("-"))
        assert lines[0] == row["title"] and lines[-2:] == [header, f"{y}年{m}月{d}日"]  # the signature stays
        assert "".join(lines[1:-2]) == "".join(_paragraphs(row))
        assert all(line[-1] in SENTENCE_END for line in lines[1:-2]), row["id"]  # no line ends mid-sentence
    chrome = loaded.report[loaded.report["rule"] == "page_chrome"]
    running = chrome[chrome["detail"] == f"running header or footer on 1 of 1 PDF pages: {header}"]
    assert sorted(running["path"]) == sorted(docs.index)


def test_a_title_shared_by_a_few_pdfs_of_a_folder_is_not_a_running_header():
    """A reprint's title at the top of 3 of 8 one-page PDFs is no letterhead; a line at the top of 5 of them is."""
    pdfs = [[[("重复的标题" if k < 3 else _paragraphs(ROWS[k])[0][:20]), "正文。"]] for k in range(8)]
    assert shared_running_lines(pdfs) == frozenset()
    pdfs = [[["国家发展和改革委员会" if k < 5 else "国务院公报", *page]] for k, [page] in enumerate(pdfs)]
    assert shared_running_lines(pdfs) == {("top", "国家发展和改革委员会")}
