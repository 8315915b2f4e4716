"""load_corpus: sources, encodings, metadata, bad input and the report."""

import json
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from helpers import CorpusError, load_corpus
from helpers import corpus as corpus_module
from helpers.clean import site_template
from helpers.corpus import SkippedInputWarning, guess_text_column, loading_account, loading_summary, save_jsonl
from helpers.paths import DATA_DIR, SEEDS_DIR

SEED_003 = (SEEDS_DIR / "003_4b105e993f9cdb78.txt").read_text(encoding="utf-8")
SEED_001 = (SEEDS_DIR / "001_9d75b112daa8238a.txt").read_text(encoding="utf-8")
XWLB = DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl"
XWLB_ROWS = [json.loads(line) for line in XWLB.read_text(encoding="utf-8").splitlines()]
CNEWS = DATA_DIR / "cnews_sample" / "cnews_sample.jsonl"
XWLB_HELDOUT = DATA_DIR / "xwlb_dated_heldout" / "xwlb_dated_heldout.jsonl"


def _jsonl(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_seed_folder():
    loaded = load_corpus(SEEDS_DIR, cache=False)
    docs, report = loaded
    assert len(loaded) == len(docs) == 5 and loaded.skipped.empty
    assert list(docs["doc_id"]) == sorted(p.stem for p in SEEDS_DIR.glob("*.txt"))
    assert list(docs.columns[:7]) == ["doc_id", "path", "title", "date", "source", "raw", "text"]
    assert docs.set_index("doc_id").loc["003_4b105e993f9cdb78", "date"] == "2020-05-25"
    assert pd.isna(docs.set_index("doc_id").loc["004_a9468175bb38a755", "title"])
    # README.md and SHA256SUMS describe the folder: not documents, and the report says so
    described = report[report["action"] == "description"]
    assert list(described["path"]) == ["README.md", "SHA256SUMS"]
    assert list(loaded.ignored["path"]) == ["README.md", "SHA256SUMS"]
    assert docs["path"].str.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt").all()  # relative, no machine path
    assert not report["path"].str.startswith("/").any() and not report["detail"].str.contains("/work/").any()
    assert set(report["rule"]) >= {"front_matter", "traditional", "pinyin", "mojibake", "editor", "lead_in"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "big5"])
def test_encodings(tmp_path, encoding):
    text = SEED_003 if encoding == "big5" else SEED_001
    if encoding == "big5":
        text = text.replace("?", "").replace("_", "")
        text = "".join(ch for ch in text if _encodable(ch, "big5"))
    elif encoding == "gbk":
        text = "".join(ch for ch in text if _encodable(ch, "gbk"))
    (tmp_path / f"doc_{encoding}.txt").write_bytes(text.encode(encoding))
    docs = load_corpus(tmp_path, cache=False).docs
    expected = load_corpus([_write(tmp_path / "ref" / "x.txt", text)], cache=False).docs["text"].iloc[0]
    assert docs["text"].iloc[0] == expected
    assert "脱贫攻坚" in docs["text"].iloc[0]


def _encodable(ch, enc):
    try:
        ch.encode(enc)
        return True
    except UnicodeEncodeError:
        return False


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_jsonl_with_extra_columns_and_text_column(tmp_path):
    src = DATA_DIR / "csl_sample" / "csl_sample.jsonl"
    docs = load_corpus(src, text_column="abstract", cache=False).docs
    assert len(docs) == 300 and "keywords" in docs.columns
    assert docs["doc_id"].iloc[0].startswith("csl-dev-")
    first = json.loads(src.read_text(encoding="utf-8").splitlines()[0])
    assert docs["text"].iloc[0] == first["abstract"]  # plain abstracts pass through unchanged


def test_csv_and_dates(tmp_path):
    rows = [
        {"id": "a", "date": "2019年3月9日", "text": SEED_001},
        {"id": "b", "date": "", "text": "本报10月26日讯 全县召开推进会。会议要求压实责任。"},  # a dateline: no year
    ]
    path = tmp_path / "c.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    docs = load_corpus(path, cache=False).docs.set_index("doc_id")
    assert docs.loc["a", "date"] == "2019-03-09" and docs.loc["b", "date"] == "--10-26"


def test_xwlb_lead_ins_removed():
    docs = load_corpus(DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl", cache=False).docs
    assert not docs["text"].str.contains("央视网消息").any()
    assert not docs["text"].str.contains("<p>").any()
    assert docs["date"].str.match(r"^\d{4}-\d{2}-\d{2}$").all()


# --- bad input ------------------------------------------------------------------------------------------------
def test_missing_path():
    with pytest.raises(FileNotFoundError, match="no_such_folder"):
        load_corpus("no_such_folder")


def test_empty_folder(tmp_path):
    with pytest.raises(CorpusError, match="empty folder"):
        load_corpus(tmp_path)


def test_empty_file(tmp_path):
    (tmp_path / "good.txt").write_text(SEED_001, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"empty\.txt: empty file"):
        load_corpus(tmp_path, cache=False)
    docs, report = load_corpus(tmp_path, errors="report", cache=False)
    assert list(docs["doc_id"]) == ["good"]
    skipped = report[report["rule"] == "skipped"]
    assert skipped["path"].str.endswith("empty.txt").any() and skipped["detail"].str.contains("empty file").any()


def test_binary_file(tmp_path):
    (tmp_path / "img.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(CorpusError, match=r"img\.txt: binary"):
        load_corpus(tmp_path, cache=False)


def test_undecodable_file(tmp_path):
    (tmp_path / "bad.txt").write_bytes(bytes([0x81, 0x20, 0xFF, 0xFE, 0x85, 0x7F] * 50))
    with pytest.raises(CorpusError, match=r"bad\.txt: not valid UTF-8, GB18030 or Big5"):
        load_corpus(tmp_path, cache=False)


def test_no_body_left(tmp_path):
    (tmp_path / "nav.txt").write_text("【责任编辑：张三】\n点击进入频道\n本周热榜\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"nav\.txt: no body text left after cleaning"):
        load_corpus(tmp_path, cache=False)


def test_malformed_jsonl_line(tmp_path):
    path = tmp_path / "c.jsonl"
    good = json.dumps({"id": "1", "text": SEED_001}, ensure_ascii=False)
    path.write_text(good + "\n{not json\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"c\.jsonl:2: malformed JSON"):
        load_corpus(path, cache=False)
    docs, report = load_corpus(path, errors="report", cache=False)
    assert len(docs) == 1 and report[report["rule"] == "skipped"]["line"].tolist() == [2]


def test_malformed_csv_line(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text('id,text\n1,"今年是脱贫攻坚决战决胜之年，全区上下齐心协力。"\n2,"a","b"\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"c\.csv row 3: malformed CSV line"):
        load_corpus(path, cache=False)


def test_duplicate_ids(tmp_path):
    path = tmp_path / "d.jsonl"
    rec = json.dumps({"id": "x", "text": "今年是脱贫攻坚决战决胜之年，全区上下齐心协力。"}, ensure_ascii=False)
    path.write_text(rec + "\n" + rec + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"d\.jsonl:2: duplicate id 'x'"):
        load_corpus(path, cache=False)


def test_duplicate_ids_name_the_columns_they_differ_in(tmp_path):
    """R7's corpus: stories exported per section (栏目), 152 of them in both files. The copy skipped for its id is
    labelled differently from the copy kept, and the page has to say so, counted by column."""
    general = [{**r, "栏目": "general"} for r in XWLB_ROWS[:30]]
    poverty = [{**r, "栏目": "poverty"} for r in XWLB_ROWS[20:40]]  # 10 ids in both, same text
    poverty[0]["text"] += "（完）"  # one also differs in its text
    poverty[-1] = dict(general[5])  # a copy identical to the row kept (line 6), in place of row 39
    path = _jsonl(tmp_path / "h.jsonl", general + poverty)
    loaded = load_corpus(path, errors="report", cache=False)
    assert len(loaded) == 39 and (loaded.docs["栏目"] == "poverty").sum() == 9  # 30 + 9 distinct ids
    details = loaded.skipped.set_index("doc_id")["detail"]
    assert details[XWLB_ROWS[21]["id"]].endswith(
        '(first seen in h.jsonl:22); differs from the row kept in 栏目 (here 栏目 "poverty")'
    )
    assert "differs from the row kept in the text, 栏目 (here 栏目" in details[XWLB_ROWS[20]["id"]]
    assert details[XWLB_ROWS[5]["id"]].endswith("(first seen in h.jsonl:6); identical to the row kept")
    assert (
        "11 skipped: 11 duplicate ids, 10 of them differing in 栏目, 1 of them differing in the text (h.jsonl:31: duplicate id"
        in (loading_summary(loaded))
    )
    assert loading_account(loaded).endswith(
        "; 11 duplicate ids, 10 of them differing in 栏目, 1 of them differing in the text"
    )


#: column names a page export may well have, which the report's prose cannot delimit: ", " and " (here " are what
#: the duplicate-id detail separates columns and values with
LISTED_COLUMN, SHOWN_COLUMN = "栏目, 频道", "版面 (here A)"


def _relabelled_copies(path):
    """Six stories and three later copies of them: two relabelled in LISTED_COLUMN, one in SHOWN_COLUMN."""
    rows = [{**r, LISTED_COLUMN: "general", SHOWN_COLUMN: "1"} for r in XWLB_ROWS[:6]]
    copies = [
        {**rows[0], LISTED_COLUMN: "poverty"},
        {**rows[1], LISTED_COLUMN: "poverty"},
        {**rows[2], SHOWN_COLUMN: "2"},
    ]
    return _jsonl(path, rows + copies)


def test_duplicate_ids_are_counted_by_the_columns_of_their_report_rows(tmp_path):
    """The columns a duplicate id differs in are the report rows' ``columns``, not read back from the detail: a
    column named with ", " or " (here " is counted whole (parsing the prose gave 栏目 and 频道 twice, and 版面)."""
    from helpers.corpus import duplicate_differences, report_columns

    loaded = load_corpus(_relabelled_copies(tmp_path / "p.jsonl"), errors="report", cache=False)
    skipped = loaded.report[loaded.report["action"] == "skipped"]
    assert report_columns(skipped).tolist() == [[LISTED_COLUMN], [LISTED_COLUMN], [SHOWN_COLUMN]]
    assert (
        skipped["detail"]
        .iloc[0]
        .endswith(f'differs from the row kept in {LISTED_COLUMN} (here {LISTED_COLUMN} "poverty")')
    )
    counted = f"3 duplicate ids, 2 of them differing in {LISTED_COLUMN}, 1 of them differing in {SHOWN_COLUMN}"
    assert duplicate_differences(loaded.report) == counted
    assert loading_account(loaded) == f"6 of 9 rows loaded; 3 skipped (3 duplicate ids); {counted}"
    assert report_columns(loaded.report[loaded.report["action"] != "skipped"]).map(len).sum() == 0


def test_report_columns_read_back_from_the_csv_and_the_cache(tmp_path, monkeypatch):
    """cleaning_report.csv as notebook 01 writes it (write_table) and the corpus cache give the same columns, and
    the same counts, as the report loaded."""
    from helpers.corpus import duplicate_differences, report_columns, report_frame
    from helpers.tables import write_table

    monkeypatch.setattr(corpus_module, "CACHE_DIR", tmp_path / "cache")
    path = _relabelled_copies(tmp_path / "p.jsonl")
    fresh, cached = load_corpus(path, errors="report"), load_corpus(path, errors="report")
    write_table(fresh.report, tmp_path / "out", "cleaning_report", description="report")
    written = pd.read_csv(tmp_path / "out" / "cleaning_report.csv")
    from_csv = report_frame(written.to_dict("records"))
    for report in (cached.report, written, from_csv):
        assert report_columns(report).tolist() == report_columns(fresh.report).tolist()
        assert duplicate_differences(report) == duplicate_differences(fresh.report)
    assert from_csv["columns"].tolist() == fresh.report["columns"].tolist()


def test_missing_text_column(tmp_path):
    path = tmp_path / "e.jsonl"
    path.write_text(json.dumps({"id": "1", "body": "正文"}) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"e\.jsonl: no 'text' column; columns are id, body\. Choose one"):
        load_corpus(path, cache=False)


def test_site_template_lines_removed_but_reprints_kept(tmp_path):
    footer = "扫码下载客户端 阅读更多精彩内容 网站地图"  # a site banner between paragraphs looks like a subheading
    bodies = [
        "今年是脱贫攻坚决战决胜之年，全区上下齐心协力推进各项工作。",
        "村里新引进了两个养猪场，在这次疫情中遇到了困难，村支两委主动靠前服务。",
        "全县累计投入项目资金757万元，贫困发生率从10.2%降到了目前的6%。",
        "黔江区先期启动脱贫攻坚百日大会战，掀起决战决胜脱贫攻坚高潮。",
    ]
    for i, b in enumerate(bodies):
        (tmp_path / f"p{i}.txt").write_text(
            f"{b}\n{footer}\n{b[:6]}相关的第二段正文内容写在这里，以句号结尾。\n", encoding="utf-8"
        )
    (tmp_path / "p9.txt").write_text(
        f"{bodies[0]}\n{bodies[0][:6]}相关的第二段正文内容写在这里，以句号结尾。\n", encoding="utf-8"
    )
    docs, report = load_corpus(tmp_path, cache=False)
    assert not docs["text"].str.contains("网站地图").any()
    assert docs.set_index("doc_id").loc["p9", "text"] == docs.set_index("doc_id").loc["p0", "text"]
    assert (report["rule"] == "site_template").sum() == 4


def test_cache_roundtrip(tmp_path, monkeypatch):
    a = load_corpus(SEEDS_DIR)
    b = load_corpus(SEEDS_DIR)  # from the cache: the same documents, report and name
    pd.testing.assert_frame_equal(a.docs, b.docs)
    pd.testing.assert_frame_equal(a.report, b.report)
    assert a.source_name == b.source_name == "seeds" and len(b.ignored) == 2


def test_story_reprinted_many_times_keeps_its_subheadings(tmp_path):
    body = [
        "今年是脱贫攻坚决战决胜之年，全区上下齐心协力推进各项工作。",
        "一线见闻",
        "村里新引进了两个养猪场，在这次疫情中遇到了困难，村支两委主动靠前服务。",
    ]
    for i in range(4):
        (tmp_path / f"r{i}.txt").write_text("\n".join(body) + "\n", encoding="utf-8")
    (tmp_path / "other.txt").write_text(
        "全县累计投入项目资金757万元，贫困发生率从10.2%降到了目前的6%。\n", encoding="utf-8"
    )
    docs = load_corpus(tmp_path, cache=False).docs.set_index("doc_id")
    assert docs.loc["r3", "text"].split("\n") == body


# --- issue 11 -------------------------------------------------------------------------------------------------
def test_identical_stories_stay_once_per_row(tmp_path):
    """Copies of a story are documents (reprint detection needs them), never a 'site template'."""
    title = XWLB_ROWS[3]["title"]  # a one-line story without final punctuation, three times
    paragraph = XWLB_ROWS[0]["text"].split("\r\n")[0]  # a one-line story, five times (widespread)
    story = XWLB_ROWS[1]["text"]  # a multi-line story, three times
    rows = (
        [{"id": f"title{i}", "text": title} for i in range(3)]
        + [{"id": f"para{i}", "text": paragraph} for i in range(5)]
        + [{"id": f"story{i}", "text": story} for i in range(3)]
        + [{"id": r["id"], "text": r["text"]} for r in XWLB_ROWS[4:9]]
    )
    docs, report = load_corpus(_jsonl(tmp_path / "dup.jsonl", rows), cache=False)
    single = load_corpus(
        _jsonl(tmp_path / "ref" / "one.jsonl", [{"id": "t", "text": title}, {"id": "p", "text": paragraph}]),
        cache=False,
    ).docs.set_index("doc_id")
    alone = load_corpus(_jsonl(tmp_path / "ref2" / "s.jsonl", [{"id": "s", "text": story}]), cache=False).docs
    assert list(docs["doc_id"]) == [r["id"] for r in rows]
    docs = docs.set_index("doc_id")
    assert all(docs.loc[f"title{i}", "text"] == single.loc["t", "text"] == title for i in range(3))
    assert all(docs.loc[f"para{i}", "text"] == single.loc["p", "text"] for i in range(5))
    assert all(docs.loc[f"story{i}", "text"] == alone["text"].iloc[0] for i in range(3))
    assert not (report["rule"] == "site_template").any() and not (report["action"] == "skipped").any()


def test_template_line_removed_but_never_a_whole_document(tmp_path):
    footer = "扫码下载客户端 阅读更多精彩内容 网站地图"
    stories = [r["text"] for r in XWLB_ROWS[10:] if "\r\n" in r["text"]][:5]
    rows = []  # the banner between the first and second paragraph, where it looks like a subheading
    for i, t in enumerate(stories):
        first, rest = t.split("\r\n", 1)
        rows.append({"id": f"s{i}", "text": f"{first}\r\n<p>{footer}</p>\r\n{rest}"})
    rows += [{"id": f"only{i}", "text": footer} for i in range(3)]  # documents that are nothing but that line
    docs, report = load_corpus(_jsonl(tmp_path / "mixed.jsonl", rows), cache=False)
    docs = docs.set_index("doc_id")
    assert len(docs) == 8
    assert not any(footer in docs.loc[f"s{i}", "text"] for i in range(5))
    assert all(docs.loc[f"only{i}", "text"] == footer for i in range(3))
    removed = report[report["rule"] == "site_template"]
    assert sorted(removed["doc_id"]) == [f"s{i}" for i in range(5)] and set(removed["detail"]) == {footer}
    assert set(removed["chars"]) == {len(footer) + 1}  # the line and its line break


def test_ids_unique_and_relative_across_a_folder_tree(tmp_path):
    _write(tmp_path / "2020-01" / "001.txt", SEED_001)
    _write(tmp_path / "2020-02" / "001.txt", SEED_003)
    for month, rows in (("2020-01", XWLB_ROWS[:2]), ("2020-02", XWLB_ROWS[2:4])):
        _jsonl(tmp_path / month / "news.jsonl", [{k: v for k, v in r.items() if k != "id"} for r in rows])
    docs, report = load_corpus(tmp_path, cache=False)
    assert list(docs["doc_id"]) == [
        "2020-01/001", "2020-02/001", "2020-01/news-1", "2020-01/news-2", "2020-02/news-1", "2020-02/news-2"
    ]  # fmt: skip
    assert list(docs["path"])[:3] == ["2020-01/001.txt", "2020-02/001.txt", "2020-01/news.jsonl"]
    assert docs.set_index("doc_id").loc["2020-02/news-2", "title"] == XWLB_ROWS[3]["title"]
    assert not report["path"].str.contains(str(tmp_path), regex=False).any()


def test_folder_accounts_for_every_file(tmp_path):
    _write(tmp_path / "a.txt", SEED_001)
    _write(tmp_path / "sub" / "b.txt", SEED_003)
    stories = [r["text"].replace("\r\n", "") for r in XWLB_ROWS[:2]]
    pd.DataFrame({"title": [r["title"] for r in XWLB_ROWS[:2]], "text": stories}).to_csv(
        tmp_path / "table.csv", index=False
    )
    pd.DataFrame({"标题": [r["title"] for r in XWLB_ROWS[:2]], "日期": ["2019-01-01", "2019-01-02"]}).to_csv(
        tmp_path / "meta.csv", index=False
    )
    (tmp_path / "stats.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64))  # a legacy workbook
    _write(tmp_path / "README.md", "# 测试语料\n")
    _write(tmp_path / ".git" / "config", "[core]\n")
    _write(tmp_path / "settings.json", '{"source": "新闻联播"}')
    with pytest.warns(UserWarning) as caught:
        loaded = load_corpus(tmp_path, cache=False)
    docs, report = loaded
    assert list(docs["doc_id"]) == ["a", "sub/b", "table-2", "table-3"]
    assert docs.set_index("doc_id").loc["table-3", "title"] == XWLB_ROWS[1]["title"]
    files = report[report["rule"] == "skipped"].set_index("path")
    assert (
        files.loc["meta.csv", "action"] == "ignored"
        and "(columns are 标题, 日期); not read as documents" in files.loc["meta.csv", "detail"]
    )
    assert files.loc["stats.xls", "action"] == "skipped"
    assert (
        "unsupported file type '.xls', a legacy Excel workbook (save it in Excel as .xlsx or .csv)"
        in (files.loc["stats.xls", "detail"])
    )
    assert files.loc["README.md", "action"] == "description"
    assert files.loc["settings.json", "action"] == "ignored"
    assert "settings.json: a JSON object, not a list of records" in files.loc["settings.json", "detail"]
    assert files.loc["", "detail"] == "1 hidden file or folder not read (.git/)"
    messages = [str(w.message) for w in caught]
    assert any("meta.csv" in m for m in messages) and any("stats.xls" in m for m in messages)
    summary = loading_summary(loaded)
    assert summary.startswith(
        f"Loaded 4 documents from {tmp_path.name}; dates: 2 from the text (1 of them month and day only, no year), 2 none; ids of rows are the file's name, a hyphen and the row as a "
        "spreadsheet numbers it, the header being row 1 (no id column; the first is table-2); 1 skipped: 1 "
        "unsupported file type (stats.xls: "
    )
    assert "2 files not read (meta.csv: no 'text' column" in summary and "1 hidden file or folder not read" in summary
    assert "; 1 file listed as folder description (README.md). " in summary and str(tmp_path) not in summary
    assert summary.endswith(  # one of the seeds is written in Traditional characters
        "1 of 4 documents was written in Traditional characters and converted to Simplified (OpenCC t2s) before "
        "analysis; terms on these pages are Simplified."
    )


def test_text_field_that_is_not_a_string(tmp_path):
    story, other = XWLB_ROWS[0]["text"], XWLB_ROWS[1]["text"]
    rows = [
        {"id": "ok", "text": story},
        {"id": "n", "text": 12345},
        {"id": "l", "text": ["第一段", "第二段"]},
        {"id": "o", "text": {"p": story}},
        {"id": "b", "text": True},
        {"id": "m", "title": ["甲", "乙"], "date": 20190305, "source": 7, "text": other},
    ]
    path = _jsonl(tmp_path / "t.jsonl", rows)
    with pytest.raises(CorpusError, match=r"t\.jsonl:2: 'text' is a number \(12345\), not text") as err:
        load_corpus(path, cache=False)
    assert err.value.line == 2 and err.value.path == "t.jsonl"
    docs, report = load_corpus(path, errors="report", cache=False)
    assert list(docs["doc_id"]) == ["ok", "m"]
    skipped = report[report["action"] == "skipped"]
    assert skipped["line"].tolist() == [2, 3, 4, 5]
    assert [d.split(" (")[0] for d in skipped["detail"]] == [
        "t.jsonl:2: 'text' is a number",
        "t.jsonl:3: 'text' is a list",
        "t.jsonl:4: 'text' is an object",
        "t.jsonl:5: 'text' is a boolean",
    ]
    assert skipped["doc_id"].tolist() == ["n", "l", "o", "b"] and set(skipped["reason"]) == {"not text"}
    m = docs.set_index("doc_id").loc["m"]
    assert m["date"] == "2019-03-05" and m["source"] == "7" and "[" not in str(m["title"])
    meta = report[report["rule"] == "metadata"]
    assert meta["detail"].tolist() == ['t.jsonl:6: \'title\' is a list (["甲", "乙"]), not text; left empty']


def _news_csv(path, columns):
    rows = XWLB_ROWS[20:24]
    values = {
        "标题": [r["title"] for r in rows],
        "正文": [r["text"] for r in rows],
        "摘要": [r["text"].split("\r\n")[0] for r in rows],
        "日期": [r["date"] for r in rows],
    }
    pd.DataFrame({c: values[c] for c in columns}).to_csv(path, index=False)
    return path


def test_missing_text_column_names_columns_and_how_to_choose(tmp_path):
    path = _news_csv(tmp_path / "news.csv", ["标题", "正文", "摘要", "日期"])  # two columns of running text
    expected = (
        "news.csv: no 'text' column; columns are 标题, 正文, 摘要, 日期. Choose one with "
        'text_column="正文" (make report: PARAMS="-p text_column 正文")'
    )
    for errors in ("raise", "report"):
        with pytest.raises(CorpusError) as err:
            load_corpus(path, errors=errors, cache=False)
        assert str(err.value) == expected
    assert guess_text_column(path) is None
    docs = load_corpus(path, text_column="正文", cache=False).docs
    assert len(docs) == 4 and docs["标题"].tolist() == [r["title"] for r in XWLB_ROWS[20:24]]


def test_text_column_guessed_only_when_clear(tmp_path):
    path = _news_csv(tmp_path / "news.csv", ["标题", "正文", "日期"])
    assert guess_text_column(path) == "正文"
    assert guess_text_column(DATA_DIR / "csl_sample" / "csl_sample.jsonl") == "abstract"
    with pytest.warns(UserWarning, match="news.csv: no 'text' column; used '正文'"):
        docs, report = load_corpus(path, cache=False)
    expected = load_corpus(path, text_column="正文", cache=False).docs
    pd.testing.assert_frame_equal(docs, expected, check_like=False)
    guessed = report[report["rule"] == "text_column"]
    assert guessed["action"].tolist() == ["guessed"] and "'正文'" in guessed["detail"].iloc[0]


def test_unreadable_file_is_reported_not_a_crash(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus_module, "CACHE_DIR", tmp_path / "cache")
    folder = tmp_path / "corpus"
    _write(folder / "a.txt", SEED_001)
    _write(folder / "locked.txt", SEED_003)
    read_bytes = Path.read_bytes

    def no_permission(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", no_permission)
    with pytest.raises(CorpusError, match=r"locked\.txt: cannot read the file \(Permission denied\)"):
        load_corpus(folder)
    docs, report = load_corpus(folder, errors="report")
    assert list(docs["doc_id"]) == ["a"]
    skipped = report[report["action"] == "skipped"]
    assert skipped["path"].tolist() == ["locked.txt"] and "Permission denied" in skipped["detail"].iloc[0]


def test_cache_is_data_only_atomic_and_heals(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setattr(corpus_module, "CACHE_DIR", cache)
    mixed = [1, "二", None, 2.5, {"a": 1}, [1, 2]]
    rows = [{**r, "n": v, "flag": [True, "yes"][i % 2]} for i, (r, v) in enumerate(zip(XWLB_ROWS[30:36], mixed))]
    path = _jsonl(tmp_path / "mixed.jsonl", rows)
    fresh, fresh_report = load_corpus(path)
    files = sorted(p.name for p in (cache / "corpus").iterdir())
    assert [f.split(".", 1)[1] for f in files] == ["docs.parquet", "report.json"]  # no pickle, no temp file left
    parquet = next((cache / "corpus").glob("*.parquet"))
    assert parquet.read_bytes()[:4] == b"PAR1"
    cached, cached_report = load_corpus(path)
    pd.testing.assert_frame_equal(cached, fresh)
    pd.testing.assert_frame_equal(cached_report, fresh_report)
    assert cached["n"].tolist() == mixed and cached["tags"].tolist() == [r["tags"] for r in rows]
    parquet.write_bytes(b"not a parquet file")
    with pytest.warns(UserWarning, match=rf"corpus cache file corpus/{parquet.name} could not be read"):
        healed = load_corpus(path).docs
    pd.testing.assert_frame_equal(healed, fresh)
    assert parquet.read_bytes()[:4] == b"PAR1"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_corpus(path)  # rebuilt: read again without a warning


def test_loading_summary(tmp_path):
    folder = tmp_path / "corpus"
    _write(folder / "a.txt", SEED_001)
    _write(folder / "b.txt", SEED_003)
    _write(folder / "SOURCE.md", "# 来源\n")
    for i in range(5):
        _write(folder / f"e{i}.txt", " \n")
    (folder / "z.txt").write_bytes(b"\x00\x01binary")
    loaded = load_corpus(folder, errors="report", cache=False)
    assert list(loaded.skipped["path"]) == [f"e{i}.txt" for i in range(5)] + ["z.txt"]
    # counts by reason come first, so a reason with few items is never hidden behind "… and N more"
    assert loading_summary(loaded) == (
        "Loaded 2 documents from corpus; dates: 2 from the text (1 of them month and day only, no year); 6 skipped: 5 empty files (e0.txt: empty file; e1.txt: empty file … and 3 "
        "more), 1 binary file (z.txt: binary file (contains NUL bytes), not a text document); 1 file listed as "
        "folder description (SOURCE.md). 1 of 2 documents was written in Traditional characters and converted to "
        "Simplified (OpenCC t2s) before analysis; terms on these pages are Simplified."
    )
    assert loading_account(loaded) == "2 of 8 files loaded; 6 skipped (5 empty files, 1 binary file)"
    one = load_corpus(folder / "a.txt", cache=False)
    assert (
        loading_summary(one, source="/home/someone/a.txt")
        == "Loaded 1 document from a.txt; dates: 1 from the text (month and day only, no year)."
    )


def test_save_jsonl_writes_valid_json_that_loads_back(tmp_path, seeds_dir):
    """Missing metadata is null, not NaN (which is not JSON), and the file loads back to the same documents."""
    docs = load_corpus(seeds_dir, cache=False).docs
    docs.loc[docs.index[0], "source"] = float("nan")
    out = save_jsonl(docs, tmp_path / "cleaned.jsonl", columns=["doc_id", "title", "date", "source", "text"])
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(docs) and "NaN" not in out.read_text(encoding="utf-8")
    assert json.loads(lines[0])["source"] is None
    again = load_corpus(out, id_column="doc_id", cache=False).docs
    assert list(again["doc_id"]) == list(docs["doc_id"]) and list(again["text"]) == list(docs["text"])


def _chinese_csv(path, rows, header=("标题", "正文", "日期")):
    import csv

    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_chinese_metadata_columns_are_read_and_said(tmp_path):
    """标题 and 日期 of a CSV are the title and the date (a year-less date stays year-less), and the summary says so."""
    stories = [r["text"] for r in XWLB_ROWS[:4]]
    rows = [[f"标题{i}", t, d] for i, (t, d) in enumerate(zip(stories, ["2021-03-02", "03-09", "", "2021年5月1日"]))]
    loaded = load_corpus(_chinese_csv(tmp_path / "news.csv", rows), text_column="正文", cache=False)
    docs = loaded.docs
    assert list(docs["title"]) == ["标题0", "标题1", "标题2", "标题3"]
    assert list(docs["date"].fillna("")) == ["2021-03-02", "--03-09", "", "2021-05-01"]
    assert list(docs["日期"]) == ["2021-03-02", "03-09", "", "2021年5月1日"]  # the column itself is kept as it was
    summary = loading_summary(loaded)
    assert "column '日期' read as the date" in summary and "column '标题' read as the title" in summary


def test_a_text_without_words_is_skipped_and_named(tmp_path):
    """A CSV cell holding only a number is not a document: reported with file and line, never analysed."""
    rows = [["甲", r["text"].replace("\r\n", " ").replace("\n", " "), ""] for r in XWLB_ROWS[:3]] + [
        ["乙", "12345", ""]
    ]
    path = _chinese_csv(tmp_path / "news.csv", rows)
    with pytest.raises(CorpusError, match=r"news\.csv row 5: the text holds no words"):
        load_corpus(path, text_column="正文", cache=False)
    loaded = load_corpus(path, text_column="正文", errors="report", cache=False)
    assert len(loaded) == 3 and "12345" not in set(loaded.docs["text"])
    assert "1 skipped: 1 not text (news.csv row 5: the text holds no words" in loading_summary(loaded)


def _news_zh(path):
    """A news CSV as researchers export it (Chinese columns 编号/标题/正文) from cnews rows, with the defects of a
    real export: empty texts, a repeated id, a number for a text, a row that is only a site's link bar."""
    cnews = [json.loads(x) for x in (DATA_DIR / "cnews_sample" / "cnews_sample.jsonl").read_text("utf-8").splitlines()]
    rows = [[f"N{i + 1:04d}", r["text"][:15], r["text"]] for i, r in enumerate(cnews[:12])]
    rows[2][2] = rows[6][2] = ""
    rows[9][0] = rows[8][0]
    rows[4][2] = "20230415"
    rows[10][2] = (
        '<div class="nav"><a href="/">首页</a> | <a href="/news">新闻</a></div><div>版权所有 © 2022 新浪网</div>'
    )
    return _chinese_csv(path, rows, header=("编号", "标题", "正文"))


def test_skipped_rows_are_named_by_their_own_ids_and_counted_by_reason(tmp_path):
    loaded = load_corpus(_news_zh(tmp_path / "news_zh.csv"), text_column="正文", id_column="编号", errors="report")
    skipped = loaded.skipped.set_index("doc_id")
    assert list(skipped.index) == ["N0003", "N0007", "N0009", "N0005", "N0011"]  # the user's ids, not news_zh-4
    assert skipped.loc["N0003", "line"] == 4 and skipped.loc["N0003", "reason"] == "empty text"
    assert skipped.loc["N0011", "reason"] == "no content after cleaning"  # 首页 | 新闻 is a link bar, not a body
    assert "N0011" not in set(loaded.docs["doc_id"]) and len(loaded) == 7
    assert loading_account(loaded) == (
        "7 of 12 rows loaded; 5 skipped (2 empty texts, 1 duplicate id, 1 not text, 1 no content after cleaning)"
        "; 1 duplicate id, differing in the text, 标题"  # row 11 repeats the id of row 10, not its story
    )
    summary = loading_summary(loaded)
    title = pd.read_csv(tmp_path / "news_zh.csv").set_index("编号").loc["N0003", "标题"]  # skipped rows show it
    assert (
        "5 skipped: 2 empty texts (news_zh.csv row 4: empty '正文' field (title: " + title + ") (id N0003);" in summary
    )
    assert "1 no content after cleaning (news_zh.csv row 12: no body text left after cleaning (title: " in summary
    assert skipped.loc["N0011", "detail"].endswith(
        '(removed: navigation "首页 | 新闻", disclaimer "版权所有 © 2022 新浪网" and 2 more)'
    )
    assert "1 duplicate id, differing in the text, 标题 (news_zh.csv row 11: duplicate id 'N0009'" in summary


def test_skipped_input_has_its_own_warning_category_fresh_and_cached(tmp_path, monkeypatch):
    """Notebooks filter SkippedInputWarning (their loading summary lists the same files); Python code sees it."""
    monkeypatch.setattr(corpus_module, "CACHE_DIR", tmp_path / "cache")
    _write(tmp_path / "corpus" / "a.txt", SEED_001)
    (tmp_path / "corpus" / "会议纪要.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    for _ in range(2):  # the second load reads the cache and warns the same
        with pytest.warns(SkippedInputWarning, match=r"^会议纪要\.doc: unsupported file type '\.doc'") as caught:
            load_corpus(tmp_path / "corpus")
        assert [w.filename for w in caught] == [__file__]  # the caller's line, not the loader's


def test_traditional_conversion_only_for_traditional_documents(tmp_path):
    """A Simplified story naming 洪义乾 keeps the name (t2s would write 洪义干); the same kind of story written in
    Traditional (a seed through OpenCC s2t) is converted, and the report lists the conversions made."""
    from helpers.clean import opencc_converter

    heldout = DATA_DIR / "xwlb_dated_heldout" / "xwlb_dated_heldout.jsonl"
    rows = [json.loads(line) for line in heldout.read_text(encoding="utf-8").splitlines()]
    simplified = next(r for r in rows if "洪义乾" in r["text"])
    traditional = {"id": "trad", "text": opencc_converter("s2t").convert(SEED_001)}
    assert opencc_converter("t2s").convert(simplified["text"]) != simplified["text"]  # t2s alone changes the name
    docs, report = load_corpus(_jsonl(tmp_path / "mixed.jsonl", [simplified, traditional]), cache=False)
    text = docs.set_index("doc_id")["text"]
    assert "洪义乾" in text[simplified["id"]] and "洪义干" not in text[simplified["id"]]
    assert not report[report["doc_id"] == simplified["id"]]["rule"].eq("traditional").any()
    converted = report[(report["doc_id"] == "trad") & (report["rule"] == "traditional")]
    assert "脱贫攻坚" in text["trad"] and "脫貧" not in text["trad"]
    detail = converted["detail"].iloc[0]
    assert "characters converted (OpenCC t2s): " in detail and "貧→贫 ×" in detail


# -- monthly bulletins (a folder of YYYY-MM.txt files, each joining a month of stories) -----------------------------
MEETING = "会议还研究了其他事项。"  # the closing sentence of reports of a meeting of the Politburo


def _paragraphs(html_text: str) -> list[str]:
    return [p.strip("\u3000 \r\n") for p in re.split(r"</?p>", html_text) if p.strip("\u3000 \r\n")]


def _bulletins(folder: Path, n_months: int = 15) -> dict[str, list[dict]]:
    """Monthly bulletins built as the reviewer's corpus B was: a header line, then per story ``【YYYY-MM-DD】title``
    and its paragraphs, from the CCTV stories of data/ (months with a meeting report first)."""
    rows = XWLB_ROWS + [json.loads(x) for x in XWLB_HELDOUT.read_text(encoding="utf-8").splitlines()]
    months: dict[str, list[dict]] = {}
    for r in sorted(rows, key=lambda r: r["date"]):
        months.setdefault(r["date"][:7], []).append(r)
    chosen = sorted(months, key=lambda m: (not any(MEETING in r["text"] for r in months[m]), m))[:n_months]
    folder.mkdir(parents=True, exist_ok=True)
    for m in chosen:
        y, mo = m.split("-")
        lines = [f"新闻联播扶贫报道月度汇编（{y}年{int(mo)}月）", ""]
        for r in months[m]:
            lines += [f"【{r['date']}】{r['title']}", *_paragraphs(r["text"]), ""]
        (folder / f"{m}.txt").write_text("\n".join(lines), encoding="utf-8")
    return {m: months[m] for m in chosen}


def test_monthly_bulletins_are_dated_by_file_name_and_keep_their_headlines(tmp_path):
    stories = _bulletins(tmp_path / "B")
    loaded = load_corpus(tmp_path / "B", cache=False)
    docs, report = loaded.docs.set_index("doc_id"), loaded.report
    assert docs["date"].to_dict() == {m: f"{m}-01" for m in stories}  # no story date from deep in a file
    # the header line is the title, not text (it had been the corpus's first keyphrase, 报道月度汇编)
    y_m = {m: f"{m[:4]}年{int(m[5:])}月" for m in stories}
    assert docs["title"].to_dict() == {m: f"新闻联播扶贫报道月度汇编（{y_m[m]}）" for m in stories}
    assert not docs["text"].str.contains("月度汇编").any()
    assert all(docs.loc[m, "text"].startswith(f"【{rows[0]['date']}】") for m, rows in stories.items())
    assert (
        "dates: 15 from file names (15 of them a month, read as its first day; a full date in the text wins"
        in loading_summary(loaded)
    )
    named = report[(report["rule"] == "metadata") & report["detail"].str.startswith(corpus_module.DATE_FROM_NAME)]
    assert sorted(named["doc_id"]) == sorted(stories)
    # every story's headline after the first is text of the bulletin, none removed as a dateline
    for m, rows in stories.items():
        lines = set(docs.loc[m, "text"].split("\n"))
        assert all(f"【{r['date']}】{r['title']}" in lines for r in rows[1:])
    assert not (report["rule"] == "dateline").any()


def test_monthly_bulletins_lose_every_agency_lead_in_and_keep_meeting_sentences(tmp_path):
    stories = _bulletins(tmp_path / "B")
    docs, report = load_corpus(tmp_path / "B", cache=False)
    texts = docs.set_index("doc_id")["text"]
    starts = sum(p.startswith("央视网消息") for rows in stories.values() for r in rows for p in _paragraphs(r["text"]))
    lead_ins = report[(report["rule"] == "lead_in") & report["detail"].str.startswith("央视网消息")]
    assert starts > 100 and len(lead_ins) == starts  # one row each, at the start of any paragraph
    assert not texts.str.contains("央视网消息").any()
    # the closing sentence of meeting reports is frequent (the frequency detector sees it) but is prose: kept
    holders = [m for m, rows in stories.items() if any(MEETING in r["text"] for r in rows)]
    assert len(holders) >= 5 and MEETING in site_template([t.split("\n") for t in texts], other_text="all_but_unit")
    assert all(MEETING in texts[m].split("\n") for m in holders)
    assert not report["detail"].astype(str).str.contains(MEETING).any()


def test_monthly_bulletins_keep_sentences_that_recur_in_another_story(tmp_path):
    """A paragraph that starts or repeats a paragraph of another story of the month (胡春华出席会议并讲话。) is text."""
    stories = _bulletins(tmp_path / "B")
    docs, report = load_corpus(tmp_path / "B", cache=False)
    texts = docs.set_index("doc_id")["text"]
    recurring = []
    for m, rows in stories.items():
        by_story = [[p for p in _paragraphs(r["text"]) if len(p) >= 20] for r in rows]
        for s, paras in enumerate(by_story):
            others = [q for t, qs in enumerate(by_story) if t != s for q in qs]
            recurring += [(m, p) for p in paras if any(p in q for q in others)]
    assert recurring and all(p in texts[m].split("\n") for m, p in recurring)
    assert not (report["rule"] == "duplicate").any()


def test_cleaning_summary_counts_documents_and_rules_that_changed_text(tmp_path):
    """A CSV with a 发布时间 column and an empty row (as R3's corpus A): the summary has no blank-id row and no
    column of zeros; the column read as the date and the skipped row are in the loading summary."""
    firsts = [
        next(p for p in _paragraphs(r["text"]) if not p.endswith("：")) for r in XWLB_ROWS[:30]
    ]  # no bare lead-in
    rows = [{"content": p, "发布时间": r["date"]} for p, r in zip(firsts, XWLB_ROWS)]
    rows[7]["content"] = ""
    path = tmp_path / "A.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    loaded = load_corpus(path, text_column="content", errors="report", cache=False)
    table = corpus_module.cleaning_summary(loaded.report)
    assert {"metadata", "skipped"} & set(loaded.report["rule"]) == {"metadata", "skipped"}  # in the report …
    assert "" not in table.index and not {"metadata", "skipped"} & set(table.columns)  # … not in the summary
    assert "lead_in" in table.columns and (table.sum() > 0).all() and set(table.index) <= set(loaded.docs["doc_id"])
    summary = loading_summary(loaded)
    assert "column '发布时间' read as the date" in summary and "1 skipped: 1 empty text" in summary
    assert "from file names" not in summary and loaded.docs["date"].tolist()[:3] == [r["发布时间"] for r in rows[:3]]


# -- a news table written in Traditional characters (reviewer R5's corpus D) ----------------------------------------
def _trad_news(path, n=12, *, repeat_id=False):
    """cnews rows through OpenCC s2tw, with the columns 編號/標題/日期/類別/內容 of a Taiwanese export."""
    from helpers.clean import opencc_converter

    tw = opencc_converter("s2tw").convert
    cnews = [json.loads(x) for x in (DATA_DIR / "cnews_sample" / "cnews_sample.jsonl").read_text("utf-8").splitlines()]
    rows = [
        [f"tw-{i:04d}", tw(r["text"][:15]), "2023-05-01", tw(r["label"]), tw(r["text"])]
        for i, r in enumerate(cnews[:n])
    ]
    if repeat_id:
        rows[1][0] = rows[0][0]
    return _chinese_csv(path, rows, header=("編號", "標題", "日期", "類別", "內容"))


def test_traditional_table_is_converted_with_its_titles_ids_and_labels_kept_and_said(tmp_path):
    from helpers.clean import to_simplified
    from helpers.corpus import traditional_summary
    from helpers.similarity import find_label_column

    path = _trad_news(tmp_path / "trad_news.csv")
    loaded = load_corpus(path, cache=False)
    docs = loaded.docs
    assert list(docs["doc_id"]) == [f"tw-{i:04d}" for i in range(12)]  # the corpus's own ids, not trad_news-2
    assert (docs["title_original"] == docs["標題"].str.strip()).all()  # the title as written is kept
    assert (docs["title"] != docs["title_original"]).any()
    assert all(to_simplified(t) == t for t in docs["title"])  # titles are Simplified like the texts
    cnews = [json.loads(x) for x in (DATA_DIR / "cnews_sample" / "cnews_sample.jsonl").read_text("utf-8").splitlines()]
    assert list(docs["title"]) == [r["text"][:15].strip() for r in cnews[:12]]  # back to the Simplified title
    said = "12 of 12 documents were written in Traditional characters and converted to Simplified (OpenCC t2s)"
    assert traditional_summary(loaded).startswith(said)
    summary = loading_summary(loaded)
    assert said in summary and "ids read from '編號'" in summary
    assert find_label_column(docs, "label") == "類別"  # what 03 (NMI) and 04 (map colours) compare with


def test_id_like_column_with_repeated_values_is_not_used_and_said(tmp_path):
    loaded = load_corpus(_trad_news(tmp_path / "trad_news.csv", repeat_id=True), cache=False)
    assert loaded.docs["doc_id"].str.startswith("trad_news-").all() and len(loaded) == 12  # no row lost to a repeat
    assert "'編號' not used as ids" in loading_summary(loaded) and "id_column='編號'" in loading_summary(loaded)


def test_loaded_corpus_records_the_columns_it_read_fresh_and_cached(tmp_path, monkeypatch):
    """The id column the loader chose (編號) is an attribute of what it returns, also when read from the cache."""
    monkeypatch.setattr(corpus_module, "CACHE_DIR", tmp_path / "cache")
    path = _trad_news(tmp_path / "trad_news.csv", n=6)
    fresh = load_corpus(path)
    cached = load_corpus(path)
    for loaded in (fresh, cached):
        assert (loaded.id_column, loaded.text_column) == ("編號", "內容")
    numbered = load_corpus(_trad_news(tmp_path / "repeat.csv", n=6, repeat_id=True), cache=False)
    assert numbered.id_column is None and numbered.docs["doc_id"].str.startswith("repeat-").all()
    assert load_corpus(SEEDS_DIR, cache=False).id_column is None  # ids are file paths


def test_label_values_of_a_converted_corpus_are_simplified_and_said(tmp_path):
    """類別 values 體育/財經 become the data's own 体育/财经, as the keywords are; ids, titles as written, dates and
    the column names stay; the summary names the column."""
    from helpers.corpus import traditional_summary

    path = _trad_news(tmp_path / "trad_news.csv")
    loaded = load_corpus(path, cache=False)
    cnews = [json.loads(x) for x in (DATA_DIR / "cnews_sample" / "cnews_sample.jsonl").read_text("utf-8").splitlines()]
    assert loaded.docs["類別"].tolist() == [r["label"] for r in cnews[:12]]
    written = pd.read_csv(path, dtype=str)
    assert (loaded.docs["類別"] != written["類別"]).any()  # the slice has labels that OpenCC s2tw changes
    assert loaded.docs["標題"].tolist() == written["標題"].tolist()  # kept as written (title_original too)
    assert loaded.docs["日期"].tolist() == written["日期"].tolist() and list(loaded.docs["doc_id"]) == list(
        written["編號"]
    )
    assert ", with the values of column 類別;" in traditional_summary(loaded)
    assert "column 類別" in loading_summary(loaded) and "標題" not in traditional_summary(loaded)


def test_converted_label_column_is_named_from_the_report_rows_columns(tmp_path, monkeypatch):
    """The converted column (類別) is the report row's ``columns``: the summary names it however the row's detail is
    worded."""
    from helpers.corpus import report_columns, traditional_summary

    monkeypatch.setattr(corpus_module, "CONVERTED_DETAIL", ": Simplified values in {column} (was Traditional)")
    loaded = load_corpus(_trad_news(tmp_path / "trad_news.csv", n=6), cache=False)
    converted = loaded.report[loaded.report["action"] == "converted"]
    assert converted["detail"].tolist() == ["trad_news.csv: Simplified values in 類別 (was Traditional)"]
    assert report_columns(converted).tolist() == [["類別"]]
    assert ", with the values of column 類別;" in traditional_summary(loaded)


def test_simplified_titles_are_not_converted(tmp_path):
    rows = [[r["id"], r["title"], r["date"], r["text"]] for r in XWLB_ROWS[:3]]
    loaded = load_corpus(_chinese_csv(tmp_path / "s.csv", rows, header=("编号", "标题", "日期", "正文")), cache=False)
    assert list(loaded.docs["title"]) == [r["title"] for r in XWLB_ROWS[:3]] and "title_original" not in loaded.docs
    assert list(loaded.docs["doc_id"]) == [r["id"] for r in XWLB_ROWS[:3]]
    assert "Traditional" not in loading_summary(loaded)


def _excel_csv(path, n=12):
    """A news table as Excel on Chinese Windows saves it (the reviewer's corpus G): GBK, CRLF row ends, columns
    标题/正文/类别/发布时间, two 正文 cells holding line breaks above an empty 正文, from data/cnews_sample rows."""
    import csv
    import io

    cnews = [json.loads(x) for x in (DATA_DIR / "cnews_sample" / "cnews_sample.jsonl").read_text("utf-8").splitlines()]
    rows = [
        [r["text"][:15], r["text"][:400], r["label"], f"2010-0{i % 9 + 1}-1{i % 10}"] for i, r in enumerate(cnews[:n])
    ]
    for i in (1, 3):  # cells of several paragraphs (Alt+Enter in Excel): a line break inside quotes
        rows[i][1] = rows[i][1][:150] + "\n" + rows[i][1][150:300] + "\n" + rows[i][1][300:]
    rows[5][1] = ""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([("标题", "正文", "类别", "发布时间"), *rows])
    path.write_bytes(out.getvalue().replace("\xa0", " ").encode("gbk", errors="replace"))  # Excel's ANSI: no nbsp
    return path


def test_a_file_not_read_as_utf8_is_said_and_recorded_fresh_and_cached(tmp_path, monkeypatch):
    """R6 #7: a GBK table reads right, and the summary, the report and ``encodings`` say it was not UTF-8."""
    from helpers.corpus import encoding_summary

    monkeypatch.setattr(corpus_module, "CACHE_DIR", tmp_path / "cache")
    path = _excel_csv(tmp_path / "excel.csv")
    fresh, cached = (load_corpus(path, errors="report") for _ in range(2))
    for loaded in (fresh, cached):
        assert loaded.encodings == {"excel.csv": "gb18030"}
        assert "; 1 file read as GB18030 (GBK), not UTF-8 (excel.csv);" in loading_summary(loaded)
    noted = fresh.report[fresh.report["rule"] == "encoding"]
    assert noted[["path", "detail"]].values.tolist() == [["excel.csv", "excel.csv: read as GB18030 (GBK), not UTF-8"]]
    utf8 = tmp_path / "utf8" / "excel.csv"  # the same table saved as UTF-8: the same texts, nothing said
    utf8.parent.mkdir()
    utf8.write_bytes(path.read_bytes().decode("gbk").encode("utf-8"))
    plain = load_corpus(utf8, errors="report", cache=False)
    assert plain.docs["text"].tolist() == fresh.docs["text"].tolist() and "中" in "".join(plain.docs["text"])
    assert plain.encodings == {"excel.csv": "utf-8"} and encoding_summary(plain) is None
    assert "UTF-8" not in loading_summary(plain) and not (plain.report["rule"] == "encoding").any()
    folder = tmp_path / "folder"  # a folder: the files not read as UTF-8 are counted and named
    folder.mkdir()
    texts = [r["text"][:300] for r in XWLB_ROWS[:3]]
    for name, text, encoding in zip(("a.txt", "b.txt", "c.txt"), texts, ("gbk", "utf-8", "gb18030")):
        (folder / name).write_bytes(text.encode(encoding))
    mixed = load_corpus(folder, cache=False)
    assert mixed.encodings == {"a.txt": "gb18030", "b.txt": "utf-8", "c.txt": "gb18030"}
    assert encoding_summary(mixed) == "2 files read as GB18030 (GBK), not UTF-8 (a.txt, c.txt)"


def test_rows_of_an_excel_csv_are_named_and_numbered_as_a_spreadsheet_shows_them(tmp_path):
    """R6 #8: below cells holding line breaks, a skipped row is named by its row (and line) and its title, and ids
    are row numbers, as Excel shows them (header = row 1); JSONL keeps lines, which are its rows."""
    path = _excel_csv(tmp_path / "excel.csv")
    table = pd.read_csv(path, encoding="gbk", dtype=str, keep_default_na=False)  # a spreadsheet: row = index + 2
    loaded = load_corpus(path, errors="report", cache=False)
    (empty,) = table.index[table["正文"] == ""]
    row = empty + 2
    line = row + sum(cell.count("\n") for cell in table.loc[: empty - 1, "正文"])  # where the row starts in the file
    assert line > row  # the cells above span lines: the line is not what Excel shows
    (skipped,) = loaded.skipped.itertuples()
    title = table.loc[empty, "标题"].strip()
    assert skipped.detail == f"excel.csv row {row} (line {line}): empty '正文' field (title: {title})"
    assert (skipped.doc_id, skipped.line) == (f"excel-{row}", line)
    assert f"1 empty text (excel.csv row {row} (line {line}): empty '正文' field (title: {title}))" in loading_summary(
        loaded
    )
    assert loaded.docs["doc_id"].tolist() == [f"excel-{i + 2}" for i in table.index if i != empty]
    assert loaded.docs.set_index("doc_id").loc[f"excel-{row + 1}", "title"] == table.loc[empty + 1, "标题"].strip()
    jsonl = _jsonl(tmp_path / "j" / "excel.jsonl", [{"标题": t, "text": x} for t, x in table[["标题", "正文"]].values])
    lines = load_corpus(jsonl, errors="report", cache=False)
    assert lines.docs["doc_id"].tolist() == [f"excel-{i + 1}" for i in table.index if i != empty]
    assert lines.skipped["detail"].tolist() == [f"excel.jsonl:{empty + 1}: empty 'text' field (title: {title})"]


def test_headlines_with_a_role_word_are_kept_and_an_emptied_document_says_what_removed_it(tmp_path):
    """A corpus of headlines (review R8b): a headline holding 记者 is no byline; a row left empty by cleaning names the
    rule and the text it removed."""
    rows = pd.read_json(DATA_DIR / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl", lines=True)
    titles = rows["title"].dropna().tolist() + ["十九大新闻中心举行记者招待会", "国新办举行记者见面会"]
    table = pd.DataFrame({"标题": titles + ["本报记者 张三"], "发布时间": "2018年3月5日 19:00"})
    table.to_csv(tmp_path / "headlines.csv", index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkippedInputWarning)
        loaded = load_corpus(tmp_path / "headlines.csv", text_column="标题", errors="report", progress=False)
    assert len(loaded) == len(titles)
    assert {"十九大新闻中心举行记者招待会", "国新办举行记者见面会"} <= set(loaded.docs["text"])
    skipped = loaded.report[loaded.report["action"] == "skipped"]
    assert len(skipped) == 1
    assert skipped["detail"].iloc[0].endswith('no body text left after cleaning (removed: byline "本报记者 张三")')


def test_summary_says_dates_from_the_text_without_a_year(tmp_path):
    """A wire tag's dateline (中新网6月8日电) gives month and day only: the summary says so (review R11b), and says how
    many when only some dates read from the text lack their year."""
    rows = {json.loads(x)["id"]: json.loads(x) for x in CNEWS.read_text(encoding="utf-8").splitlines()}
    wire = [rows[i] for i in ("cnews-0014", "cnews-0073", "cnews-0009")]  # 2 lead-ins with month and day, 1 none
    loaded = load_corpus(_jsonl(tmp_path / "wire.jsonl", wire), cache=False)
    assert sorted(loaded.docs["date"].dropna()) == ["--06-08", "--07-26"]
    assert "dates: 2 from the text (month and day only, no year), 1 none" in loading_summary(loaded)
    dated = _jsonl(tmp_path / "mixed" / "a.jsonl", wire[:1])
    (tmp_path / "mixed" / "b.txt").write_text(SEED_003, encoding="utf-8")  # a dateline with its year
    mixed = load_corpus(dated.parent, cache=False)
    assert "dates: 2 from the text (1 of them month and day only, no year)" in loading_summary(mixed)


# --- Excel workbooks: read like CSV tables ----------------------------------------------------------------------
def _workbook(path, sheets):
    """Write ``{sheet name: [header, row, ...]}`` as an .xlsx file with openpyxl (cells typed as given)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for i, row in enumerate(rows, start=1):  # an empty list is an empty row: the rows below keep their number
            for j, value in enumerate(row, start=1):
                ws.cell(row=i, column=j, value=value)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _xwlb_table(rows):
    """XWLB stories as table rows: title, the date as a date cell, the text (one line: a cell, as in a CSV file)."""
    import datetime

    return [[r["title"], datetime.date.fromisoformat(r["date"]), r["text"].replace("\r\n", "")] for r in rows]


def test_xlsx_reads_like_the_same_csv(tmp_path):
    """One sheet: the same documents, ids, dates and skipped-row message as the CSV export of the same table."""
    table = [*_xwlb_table(XWLB_ROWS[:4]), ["空白正文", None, None]]
    xlsx = _workbook(tmp_path / "x" / "news.xlsx", {"Sheet1": [["title", "date", "text"], *table]})
    frame = pd.DataFrame(table, columns=["title", "date", "text"]).astype({"date": str}).replace("None", "")
    (tmp_path / "c").mkdir()
    frame.to_csv(tmp_path / "c" / "news.csv", index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkippedInputWarning)
        from_xlsx = load_corpus(xlsx, cache=False, errors="report")
        from_csv = load_corpus(tmp_path / "c" / "news.csv", cache=False, errors="report")
    assert list(from_xlsx.docs["doc_id"]) == list(from_csv.docs["doc_id"]) == ["news-2", "news-3", "news-4", "news-5"]
    for col in ("title", "date", "text"):
        assert list(from_xlsx.docs[col]) == list(from_csv.docs[col]), col
    assert from_xlsx.docs["date"].iloc[0] == XWLB_ROWS[0]["date"] == "2016-01-02"  # a date cell, not 00:00:00
    assert list(from_xlsx.docs["path"]) == ["news.xlsx"] * 4
    skipped = from_xlsx.report[from_xlsx.report["action"] == "skipped"]
    assert list(skipped["detail"]) == ["news.xlsx sheet 'Sheet1' row 6: empty 'text' field (title: 空白正文)"]
    assert list(skipped["doc_id"]) == ["news-6"] and list(skipped["line"]) == [6]
    assert "the row as the sheet numbers it" in loading_summary(from_xlsx)
    assert loading_account(from_xlsx) == "4 of 5 rows loaded; 1 skipped (1 empty text)"


def test_xlsx_sheets_without_the_text_column_are_reported_and_ids_name_the_sheet(tmp_path):
    """Two sheets with stories (a date column, a year column of numbers), one of notes and one empty: the notes
    sheet is named with its columns in the report and a warning; ids hold the sheet; a text cell that is a formula
    with no stored value is a skipped row saying so."""
    year_rows = [[r["title"], int(r["date"][:4]), r["text"].replace("\r\n", "")] for r in XWLB_ROWS[2:4]]
    path = _workbook(
        tmp_path / "xwlb.xlsx",
        {
            "2016": [["标题", "日期", "正文"], *_xwlb_table(XWLB_ROWS[:2]), [], ["公式", None, "=A2&A3"]],
            "年度": [["标题", "年份", "正文"], *year_rows],
            "说明": [["字段", "含义"], ["正文", "新闻联播文字稿"]],
            "Sheet4": [],
        },
    )
    with pytest.warns(SkippedInputWarning) as caught:
        loaded = load_corpus(path, text_column="正文", cache=False, errors="report")
    docs, report = loaded
    assert list(docs["doc_id"]) == ["xwlb-2016-2", "xwlb-2016-3", "xwlb-年度-2", "xwlb-年度-3"]
    assert list(docs["date"]) == [XWLB_ROWS[0]["date"], XWLB_ROWS[1]["date"], "2016", "2016"]
    assert list(docs["年份"].iloc[2:]) == ["2016", "2016"]  # a number cell: no ".0"
    assert list(docs["title"]) == [r["title"] for r in XWLB_ROWS[:4]]
    ignored = report[report["action"] == "ignored"]
    assert list(ignored["detail"]) == [
        "xwlb.xlsx sheet '说明': no '正文' column (columns are 字段, 含义); not read",
        "xwlb.xlsx sheet 'Sheet4': empty sheet; not read",
    ]
    assert any("sheet '说明'" in str(w.message) for w in caught)
    skipped = report[report["action"] == "skipped"].iloc[0]
    assert skipped["detail"].startswith("xwlb.xlsx sheet '2016' row 5: '正文' is a formula without a cached value")
    assert skipped["reason"] == "formula without a value" and skipped["doc_id"] == "xwlb-2016-5"
    summary = loading_summary(loaded)
    assert "2 sheets of a workbook not read (xwlb.xlsx sheet '说明': no '正文' column" in summary
    assert "file not read" not in summary and loading_account(loaded).endswith("2 sheets of a workbook not read")


def test_xlsx_id_column_of_numbers_and_guessed_text_column(tmp_path):
    """cnews rows with a 编号 column of numbers and a 正文 column: ids are the numbers as written, 正文 is the
    only running-text column; every row reads as in the JSONL file."""
    rows = [json.loads(x) for x in CNEWS.read_text(encoding="utf-8").splitlines()][:5]
    path = _workbook(
        tmp_path / "cnews.xlsx",
        {"新闻": [["编号", "类别", "正文"], *[[101 + i, r["label"], r["text"]] for i, r in enumerate(rows)]]},
    )
    assert guess_text_column(path) == "正文"
    with pytest.warns(UserWarning) as caught:
        docs = load_corpus(path, cache=False).docs
    notes = [str(w.message) for w in caught]
    assert any("used '正文', the only column of running Chinese text" in m for m in notes)
    assert "cnews.xlsx sheet '新闻': no 'id' column; ids read from '编号', whose values are unique" in notes[-1]
    assert list(docs["doc_id"]) == ["101", "102", "103", "104", "105"]
    assert list(docs["类别"]) == [r["label"] for r in rows]
    jsonl = load_corpus(CNEWS, cache=False).docs.set_index("doc_id")
    assert list(docs["text"]) == [jsonl.loc[r["id"], "text"] for r in rows]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("bad.xlsx", bytes(range(256)) * 4, "not an Excel workbook (not a zip archive"),
        ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "a password-protected workbook"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "a legacy Excel workbook (save it"),
        ("notes.xlsx", None, "damaged workbook"),
    ],
)
def test_damaged_or_legacy_workbook_is_an_error_naming_it(tmp_path, name, content, problem):
    import zipfile

    path = tmp_path / name
    if content is None:  # a zip that holds no workbook
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("notes.txt", SEED_001)
    else:
        path.write_bytes(content)
    with pytest.raises(CorpusError, match=re.escape(f"{name}: ") + ".*" + re.escape(problem)):
        load_corpus(path, cache=False)


def test_folder_with_a_csv_and_an_xlsx_and_the_cache_follows_the_workbook(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus_module, "CACHE_DIR", tmp_path / "cache")
    folder = tmp_path / "corpus"
    folder.mkdir()
    pd.DataFrame(_xwlb_table(XWLB_ROWS[:2]), columns=["title", "date", "text"]).to_csv(folder / "a.csv", index=False)
    _workbook(folder / "b.xlsx", {"Sheet1": [["title", "date", "text"], *_xwlb_table(XWLB_ROWS[2:4])]})
    docs = load_corpus(folder).docs
    assert list(docs["doc_id"]) == ["a-2", "a-3", "b-2", "b-3"]
    assert list(docs["path"]) == ["a.csv", "a.csv", "b.xlsx", "b.xlsx"]
    assert list(docs["title"]) == [r["title"] for r in XWLB_ROWS[:4]]
    _workbook(folder / "b.xlsx", {"Sheet1": [["title", "date", "text"], *_xwlb_table(XWLB_ROWS[2:5])]})
    assert list(load_corpus(folder).docs["doc_id"]) == ["a-2", "a-3", "b-2", "b-3", "b-4"]  # not the cached load


def test_an_empty_title_column_is_not_said_read(data_dir, tmp_path):
    """A 标题 column empty in every row (an export whose titles are in the text: cnews) reads no title, and the
    loading report does not say it was read as the title; one filled cell is enough for the sentence (the
    report of an .xlsx corpus said "column '标题' read as the title" of a column with no value, session 12)."""
    rows = pd.read_json(data_dir / "cnews_sample" / "cnews_sample.jsonl", lines=True).head(4)
    table = pd.DataFrame({"标题": [""] * 4, "正文": rows.text})
    table.to_csv(tmp_path / "empty.csv", index=False)
    loaded = load_corpus(tmp_path / "empty.csv", text_column="正文", cache=False)
    assert not loaded.report.detail.str.contains("read as the title").any()
    table.loc[0, "标题"] = "财经要闻"
    table.to_csv(tmp_path / "one.csv", index=False)
    loaded = load_corpus(tmp_path / "one.csv", text_column="正文", cache=False)
    assert loaded.report.detail.str.contains("column '标题' read as the title").any()
    assert loaded.docs.title.iloc[0] == "财经要闻"


def test_a_title_column_empty_in_some_rows_is_said_with_its_counts(data_dir, tmp_path):
    """Reviewer M (session 14): a pooled table of CCTV stories with titles and web news without (their headline is
    the first line of the text) was summarised as "column '标题' read as the title"; the summary now says how many
    documents the column titles and how many others have the headline found at the top of their text."""
    stories = pd.read_json(data_dir / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl", lines=True).head(10)
    news = pd.read_json(data_dir / "cnews_sample" / "cnews_sample.jsonl", lines=True).head(10)
    table = pd.DataFrame(
        {"标题": stories.title.tolist() + [""] * 10, "正文": stories.text.tolist() + news.text.tolist()}
    )
    table.to_csv(tmp_path / "pooled.csv", index=False)
    loaded = load_corpus(tmp_path / "pooled.csv", text_column="正文", cache=False)
    found = int(loaded.docs.title.iloc[10:].map(lambda t: isinstance(t, str) and bool(t.strip())).sum())
    assert 0 < found < 10  # some web news open on a headline line, some do not
    said = f"column '标题' read as the title (in 10 of 20 documents; {found} other"
    assert said in loading_summary(loaded), loading_summary(loaded)


def test_missing_text_column_suggests_the_chinese_column_not_long_ids(data_dir, tmp_path):
    """A corpus of headlines (17 characters) beside ids of 30 Latin characters: the error suggests the column of
    Chinese text, not the longest one (review S, session 12: it suggested text_column="编号")."""
    stories = pd.read_json(data_dir / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl", lines=True).head(20)
    table = pd.DataFrame({"编号": stories.id, "日期": stories.date.astype(str), "标题正文": stories.title})
    table.to_csv(tmp_path / "headlines.csv", index=False)
    with pytest.raises(CorpusError, match='text_column="标题正文"'):
        load_corpus(tmp_path / "headlines.csv", cache=False)
