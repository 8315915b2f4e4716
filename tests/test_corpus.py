"""load_corpus: sources, encodings, metadata, bad input and the report."""

import json

import pandas as pd
import pytest

from helpers import CorpusError, load_corpus
from helpers.paths import DATA_DIR, SEEDS_DIR

SEED_003 = (SEEDS_DIR / "003_4b105e993f9cdb78.txt").read_text(encoding="utf-8")
SEED_001 = (SEEDS_DIR / "001_9d75b112daa8238a.txt").read_text(encoding="utf-8")


def test_seed_folder():
    docs, report = load_corpus(SEEDS_DIR, with_report=True, cache=False)
    assert list(docs["doc_id"]) == sorted(p.stem for p in SEEDS_DIR.glob("*.txt"))
    assert list(docs.columns[:7]) == ["doc_id", "path", "title", "date", "source", "raw", "text"]
    assert docs.set_index("doc_id").loc["003_4b105e993f9cdb78", "date"] == "2020-05-25"
    assert pd.isna(docs.set_index("doc_id").loc["004_a9468175bb38a755", "title"])
    # README.md of the folder is not a document, and the report says so
    ignored = report[report["action"] == "ignored"]
    assert list(ignored["doc_id"]) == ["README"]
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
    docs = load_corpus(tmp_path, cache=False)
    expected = load_corpus([_write(tmp_path / "ref" / "x.txt", text)], cache=False)["text"].iloc[0]
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
    docs = load_corpus(src, text_column="abstract", cache=False)
    assert len(docs) == 300 and "keywords" in docs.columns
    assert docs["doc_id"].iloc[0].startswith("csl-dev-")
    first = json.loads(src.read_text(encoding="utf-8").splitlines()[0])
    assert docs["text"].iloc[0] == first["abstract"]  # plain abstracts pass through unchanged


def test_csv_and_dates(tmp_path):
    rows = [
        {"id": "a", "date": "2019年3月9日", "text": SEED_001},
        {"id": "b", "date": "", "text": "10月26日,全县召开推进会。会议要求压实责任。"},
    ]
    path = tmp_path / "c.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    docs = load_corpus(path, cache=False).set_index("doc_id")
    assert docs.loc["a", "date"] == "2019-03-09" and docs.loc["b", "date"] == "--10-26"


def test_xwlb_lead_ins_removed():
    docs = load_corpus(DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl", cache=False)
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
    docs, report = load_corpus(tmp_path, errors="report", with_report=True, cache=False)
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
    docs, report = load_corpus(path, errors="report", with_report=True, cache=False)
    assert len(docs) == 1 and report[report["rule"] == "skipped"]["line"].tolist() == [2]


def test_malformed_csv_line(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text('id,text\n1,"今年是脱贫攻坚决战决胜之年，全区上下齐心协力。"\n2,"a","b"\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"c\.csv:3: malformed CSV line"):
        load_corpus(path, cache=False)


def test_duplicate_ids(tmp_path):
    path = tmp_path / "d.jsonl"
    rec = json.dumps({"id": "x", "text": "今年是脱贫攻坚决战决胜之年，全区上下齐心协力。"}, ensure_ascii=False)
    path.write_text(rec + "\n" + rec + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"d\.jsonl:2: duplicate id 'x'"):
        load_corpus(path, cache=False)


def test_missing_text_column(tmp_path):
    path = tmp_path / "e.jsonl"
    path.write_text(json.dumps({"id": "1", "body": "正文"}) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"e\.jsonl:1: no 'text' field"):
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
    docs, report = load_corpus(tmp_path, with_report=True, cache=False)
    assert not docs["text"].str.contains("网站地图").any()
    assert docs.set_index("doc_id").loc["p9", "text"] == docs.set_index("doc_id").loc["p0", "text"]
    assert (report["rule"] == "site_template").sum() == 4


def test_cache_roundtrip(tmp_path, monkeypatch):
    a = load_corpus(SEEDS_DIR)
    b = load_corpus(SEEDS_DIR)
    pd.testing.assert_frame_equal(a, b)
    assert "cleaning_report" in b.attrs


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
    docs = load_corpus(tmp_path, cache=False).set_index("doc_id")
    assert docs.loc["r3", "text"].split("\n") == body
