"""load_corpus on a folder of broadcast days (``新闻联播_2018-03-05.txt``: several CCTV stories, a headline line
then the text, some with their HTML left in) and on a table of recurring headlines: dates from file names, bare
lead-in lines, recurring texts and recurring headlines."""

import json
import re
import shutil
from pathlib import Path

import pandas as pd

from helpers import discourse as ds
from helpers import load_corpus
from helpers.clean import align_paragraphs, aligned_html, clean_text
from helpers.corpus import (
    NOT_A_TITLE,
    compact_names_are_ids,
    file_name_date,
    loading_summary,
    recurring_texts,
    recurring_texts_summary,
)
from helpers.paths import DATA_DIR
from helpers.stream import StreamSettings, read_docs, read_report, run_stage

SECTIONS = DATA_DIR / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl"
STORIES = sorted(
    (json.loads(line) for line in SECTIONS.read_text(encoding="utf-8").splitlines()), key=lambda r: r["date"]
)
STORIES_PER_DAY = 4


def _plain(html: str) -> str:
    """A story's text as copied from the page: one paragraph a line, no tags."""
    text = re.sub(r"<br[^>]*>|</p>", "\n", html)
    return "\n".join(line.strip() for line in re.sub(r"<[^>]+>", "", text).splitlines() if line.strip())


def _days(folder: Path, n_days: int, *, name: str = "新闻联播_{date}.txt") -> list[Path]:
    """``n_days`` files of consecutive stories of data/xwlb_sections_heldout, each headline then text, every
    third file with its HTML left in, named by the date of its first story."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n_days):
        day = STORIES[i * STORIES_PER_DAY : (i + 1) * STORIES_PER_DAY]
        text = "\n\n".join(r["title"] + "\n" + (r["text"] if i % 3 == 0 else _plain(r["text"])) for r in day)
        paths.append(folder / name.format(date=day[0]["date"], i=i))
        paths[-1].write_text(text, encoding="utf-8")
    return paths


def test_a_single_date_anywhere_in_a_file_name_dates_the_file(tmp_path):
    paths = _days(tmp_path / "L", 12)
    shutil.copy(paths[3], paths[3].with_name(paths[3].stem + " (2).txt"))  # a Windows copy
    paths[5].rename(paths[5].with_name("新闻联播_2017-01-06_2017-01-07.txt"))  # two dates: none read
    loaded = load_corpus(tmp_path / "L", cache=False)
    dates = loaded.docs.set_index("path")["date"]
    first_story = {p.name: STORIES[i * STORIES_PER_DAY]["date"] for i, p in enumerate(paths)}
    for name, date in first_story.items():
        if name in dates:
            assert dates[name] == date
    assert dates[paths[3].stem + " (2).txt"] == first_story[paths[3].name]
    summary = loading_summary(loaded)
    assert "dates: 12 from file names (a full date in the text wins over the name), 1 none" in summary
    assert "1 file name holds no single date (新闻联播_2017-01-06_2017-01-07.txt: 2 dates" in summary


def test_numbered_file_names_are_not_read_as_dates(tmp_path):
    # ids with a year in front (20170001 …): 20170101 is a calendar day, but its folder's names are ids
    paths = _days(tmp_path / "N", 3, name="2017{i:04d}.txt")
    paths[0].rename(paths[0].with_name("20170101.txt"))
    loaded = load_corpus(tmp_path / "N", cache=False)
    assert loaded.docs["date"].isna().all()
    assert compact_names_are_ids(p.name for p in (tmp_path / "N").iterdir())
    summary = loading_summary(loaded)
    assert "3 file names hold no single date (20170001.txt: 20170001 is not a date" in summary
    assert "20170101.txt: 20170101 read as an id" in summary
    assert [file_name_date(n).date for n in ("12345.txt", "000_7cdaf701bcb4d326.txt", "20991231.txt")] == [None] * 3
    assert file_name_date("xwlb20180305.txt").date == "2018-03-05"


def test_a_lead_in_on_a_line_of_its_own_is_dropped_and_a_news_flash_headline_kept(tmp_path):
    # 国际联播快讯 / 央视网消息（新闻联播）： / 阿富汗发生多起袭击 … : the headline is no lead-in, the bare lead-in is one
    _days(tmp_path / "L", 20)
    loaded = load_corpus(tmp_path / "L", cache=False)
    bare = re.compile(r"^央视网消息[(（]新闻联播[)）]：\s*$", re.M)
    assert not loaded.docs["text"].str.contains(bare).any()
    lead_ins = loaded.report[loaded.report["rule"] == "lead_in"]["detail"].str.strip()
    assert lead_ins.str.fullmatch(r"央视网消息[(（]新闻联播[)）]：").all()
    flashes = loaded.docs[loaded.docs["raw"].str.startswith("国际联播快讯\n央视网消息")]
    # the label is site template (never a title): the title is the flash headline that opens the text
    assert len(flashes) >= 2 and (flashes["title"] == flashes["text"].str.split("\n").str[0]).all()


def test_recurring_headlines_of_a_table_are_counted_in_the_loading_summary(tmp_path):
    # R8b's kind of corpus: a CSV of headlines read as the text, 国际联播快讯 repeated by many rows
    rows = [{"编号": i, "标题": r["title"], "日期": r["date"]} for i, r in enumerate(STORIES)]
    path = tmp_path / "headlines.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    loaded = load_corpus(path, text_column="标题", id_column="编号", cache=False)
    counts = pd.Series([r["title"] for r in STORIES]).value_counts()
    counts = counts[counts > 1]
    expected = f"{counts.sum()} rows are {len(counts)} recurring texts (国际联播快讯 ×{counts['国际联播快讯']}, "
    assert expected in loading_summary(loaded)
    assert recurring_texts(list(loaded.docs["text"])).head(2).to_dict() == counts.head(2).to_dict()
    _days(tmp_path / "L", 3)  # three days of different stories
    assert recurring_texts_summary(load_corpus(tmp_path / "L", cache=False)) is None


def test_a_recurring_story_headline_is_kept_and_a_section_label_removed_as_template(tmp_path):
    # each day: a story, then 李克强主持召开国务院常务会议 (4 days) or 国际联播快讯 (4 days) with its text, then a story
    meetings = [r for r in STORIES if r["title"] == "李克强主持召开国务院常务会议"]
    flashes = [r for r in STORIES if r["title"] == "国际联播快讯"][:4]
    others = [r for r in STORIES if r["title"] not in ("李克强主持召开国务院常务会议", "国际联播快讯")]
    (tmp_path / "D").mkdir()
    for i, middle in enumerate(meetings + flashes):
        day = [others[2 * i], middle, others[2 * i + 1]]
        text = "\n\n".join(r["title"] + "\n" + _plain(r["text"]) for r in day)
        (tmp_path / "D" / f"新闻联播_{middle['date']}_{i}.txt").write_text(text, encoding="utf-8")
    loaded = load_corpus(tmp_path / "D", cache=False)
    removed = loaded.report[loaded.report["rule"] == "site_template"]
    assert set(removed["detail"]) == {"国际联播快讯"} and len(removed) == len(flashes)
    kept = loaded.docs["text"].str.contains(r"^李克强主持召开国务院常务会议$", regex=True, flags=re.M)
    assert kept.sum() == len(meetings) >= 3


def test_long_tags_of_a_pasted_page_are_shortened_in_the_before_after_view_only():
    # a story pasted from the page with its styled line breaks (R8a: ~200 characters each, over and over)
    style = '<br style="font: 16px/28px Arial, 宋体; color: rgb(0, 0, 0); -webkit-text-stroke-width: 0px;" />'
    raw = STORIES[1]["title"] + "\n" + STORIES[1]["text"].replace("</p>", style + "</p>")
    aligned = align_paragraphs(raw, clean_text(raw))
    html = aligned_html(aligned)
    assert "16px/28px" not in html and html.count("&lt;br …&gt;") == raw.count(style)
    assert aligned["before"].str.contains("16px/28px", regex=False).sum() == raw.count(style)  # the data as read
    assert "&lt;p&gt;" in html  # a short tag is shown as it is


def test_a_section_label_removed_as_template_is_never_a_title(tmp_path):
    # R9a N2: 4 days open with 国际联播快讯 (the label then its first news flash), 4 carry it in the middle; the label
    # is site template, so the days it opens are titled by their first flash's headline, not by the label
    flashes = [r for r in STORIES if r["title"] == "国际联播快讯"][:8]
    others = [r for r in STORIES if "联播快讯" not in r["title"]]
    (tmp_path / "D").mkdir()
    for i, flash in enumerate(flashes):
        day = [flash, others[2 * i], others[2 * i + 1]] if i < 4 else [others[2 * i], flash, others[2 * i + 1]]
        text = "\n\n".join(r["title"] + "\n" + _plain(r["text"]) for r in day)
        (tmp_path / "D" / f"新闻联播_{flash['date']}_{i}.txt").write_text(text, encoding="utf-8")
    loaded = load_corpus(tmp_path / "D", cache=False)
    assert not loaded.docs["title"].str.contains("联播快讯", na=False).any()
    opened = loaded.docs[loaded.docs["raw"].str.startswith("国际联播快讯")].sort_values("path")
    headlines = [_plain(f["text"]).split("\n")[1] for f in flashes[:4]]  # the line after 央视网消息（新闻联播）：
    assert opened["title"].tolist() == headlines and len(opened) == 4
    rows_detail = loaded.report[loaded.report["action"] == NOT_A_TITLE]["detail"]
    assert sorted(rows_detail) == sorted(f"国际联播快讯 → {h}" for h in headlines)
    removed = loaded.report[(loaded.report["rule"] == "site_template") & (loaded.report["action"] == "removed")]
    assert len(removed) == len(flashes)  # the label of every day, the 4 opening ones included
    # the streamed load (helpers.stream, chunks of 3 rows) gives the same titles and report rows
    rows = [{"id": d.doc_id, "text": d.raw} for d in loaded.docs.itertuples()]
    (tmp_path / "days.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    run_stage("load", tmp_path / "days.jsonl", tmp_path / "run", StreamSettings(chunk=3))
    streamed = read_docs(tmp_path / "run").set_index("doc_id")["title"]
    assert streamed.to_dict() == loaded.docs.set_index("doc_id")["title"].to_dict()
    assert sorted(read_report(tmp_path / "run").query("action == @NOT_A_TITLE")["detail"]) == sorted(rows_detail)


def test_ids_made_from_rows_are_explained_in_the_loading_summary(tmp_path):
    # R9b G: a CSV of headlines without an id column: ids are <file>-<spreadsheet row>, so the first is headlines-2
    rows = [{"标题": r["title"], "日期": r["date"]} for r in STORIES[:30]]
    pd.DataFrame(rows).to_csv(tmp_path / "headlines.csv", index=False)
    loaded = load_corpus(tmp_path / "headlines.csv", text_column="标题", cache=False)
    assert loaded.docs["doc_id"].iloc[0] == "headlines-2"
    clause = "ids of rows are the file's name, a hyphen and the row as a spreadsheet numbers it, the header being row 1"
    clause += " (no id column; the first"
    assert f"{clause} is headlines-2)" in loading_summary(loaded)
    lines = "\n".join(json.dumps({"text": r["title"]}, ensure_ascii=False) for r in STORIES[:30])
    (tmp_path / "J").mkdir()
    (tmp_path / "J" / "h.jsonl").write_text(lines, encoding="utf-8")
    jsonl = loading_summary(load_corpus(tmp_path / "J" / "h.jsonl", cache=False))
    assert (
        "ids of rows are the file's name, a hyphen and the line number, from 1 (no id column; the first is h-1)"
        in jsonl
    )
    assert "<" not in loading_summary(loaded)  # Markdown would read <…> as a tag and show nothing
    numbered = pd.DataFrame([{"编号": f"n{i}", **r} for i, r in enumerate(rows)])
    numbered.to_csv(tmp_path / "numbered.csv", index=False)
    with_ids = load_corpus(tmp_path / "numbered.csv", text_column="标题", id_column="编号", cache=False)
    assert "ids of rows" not in loading_summary(with_ids)


def test_each_concordance_hit_of_a_day_file_shows_the_headline_above_it(tmp_path):
    # the reviewer's case: every hit of a day file showed the day's first headline, though most sat under a later one
    paths = _days(tmp_path / "K", 6)
    docs = load_corpus(tmp_path / "K", cache=False).docs
    table = ds.kwic(docs, ["美国", "发展", "合作"], context_chars=10)
    day_of = {p.stem: STORIES[i * STORIES_PER_DAY : (i + 1) * STORIES_PER_DAY] for i, p in enumerate(paths)}
    checked = later = 0
    for row in table.itertuples():
        before = row.left.split(" ")[-1] + row.match  # the hit with what precedes it on its own line
        stories = [s for s in day_of[row.doc_id] if before in _plain(s["text"])]
        if len(stories) != 1:
            continue  # the same words in two stories of the day: not decidable here
        story = stories[0]
        # the story's headline, or inside a bulletin of news flashes the flash's own headline line
        assert row.title == story["title"] or row.title in _plain(story["text"]).split("\n"), row
        checked += 1
        later += row.title != docs.set_index("doc_id").title[row.doc_id]
    assert checked >= 0.9 * len(table) and later >= checked / 2  # most hits sit under a later headline
    said = ds.kwic_headlines_sentence(table, docs)
    assert said.startswith(f"{table.doc_id.nunique()} documents with an occurrence hold several headlines")
    later = int((table.title != table.doc_id.map(docs.set_index("doc_id").title)).sum())
    assert f"{later:,} of their {len(table):,} occurrences sit under a later headline" in said
    one_story = docs.assign(text=docs["text"].str.split("\n").str[0])  # the first paragraph only: no headlines
    assert ds.kwic_headlines_sentence(ds.kwic(one_story, ["美国", "发展", "合作"]), one_story) is None


CNEWS = DATA_DIR / "cnews_sample" / "cnews_sample.jsonl"
CSL = DATA_DIR / "csl_sample" / "csl_sample.jsonl"


def test_category_subfolders_become_the_folder_column(tmp_path):
    """Review R10b: Sina files in one subfolder per category (sina/体育/x.txt); the categories were never used."""
    rows = [json.loads(line) for line in CNEWS.read_text(encoding="utf-8").splitlines()]
    labels = sorted({r["label"] for r in rows})[:3]
    chosen = [r for lab in labels for r in [r for r in rows if r["label"] == lab][:3]]
    for r in chosen:
        (tmp_path / "sina" / r["label"]).mkdir(parents=True, exist_ok=True)
        (tmp_path / "sina" / r["label"] / f"{r['id']}.txt").write_text(r["text"], encoding="utf-8")
    other = next(r for r in rows if r["label"] not in labels)
    (tmp_path / "sina" / "loose.txt").write_text(other["text"], encoding="utf-8")
    loaded = load_corpus(tmp_path, cache=False)  # the shared folder sina/ is no category: the one below it is
    docs = loaded.docs.set_index("doc_id")
    assert {docs.loc[f"sina/{r['label']}/{r['id']}", "folder"] for r in chosen} == set(labels)
    assert docs.loc["sina/loose", "folder"] == ""
    counts = ", ".join(f"{lab} 3" for lab in labels)
    assert f"files sit in 3 subfolders: column `folder` ({counts}; top level 1)" in loading_summary(loaded)
    assert "folder" in ds.group_column_candidates(loaded.docs)  # 05 offers it as a group_column
    single = load_corpus(tmp_path / "sina" / labels[0], cache=False)  # one folder: nothing to compare
    assert "folder" not in single.docs and "subfolder" not in loading_summary(single)


def test_a_year_column_gives_dates_of_a_year_and_05_makes_yearly_periods(tmp_path):
    """Review R10a: a CNKI-like table whose 年份 column (2014, or 2014.0 once a cell is empty) never became time."""
    rows = [json.loads(line) for line in CSL.read_text(encoding="utf-8").splitlines()][:37]
    years = [2012 + i // 12 for i in range(36)] + [None]  # one empty cell: pandas writes the column as 2012.0
    table = pd.DataFrame({"编号": [r["id"] for r in rows], "摘要": [r["abstract"] for r in rows], "年份": years})
    table.to_csv(tmp_path / "papers.csv", index=False)
    assert "2012.0" in (tmp_path / "papers.csv").read_text(encoding="utf-8")
    loaded = load_corpus(tmp_path / "papers.csv", text_column="摘要", id_column="编号", cache=False)
    assert loaded.docs["date"].fillna("").tolist() == [str(y) if y else "" for y in years]
    summary = loading_summary(loaded)
    assert "column '年份' read as the date" in summary and "36 dates give a year only" in summary
    plan = ds.plan_comparison(loaded.docs)
    assert plan.trends and plan.period == "year" and plan.counts["year only"] == 36
    assert "36 of 37 give a year only (2012 to 2014): placed in years, never in quarters or months" in plan.summary
    assert not ds.plan_comparison(loaded.docs, period="quarter").trends
    assert "年份" not in ds.other_group_columns(loaded.docs, report=loaded.report)  # its years are the periods


def test_dates_read_from_the_text_are_counted_apart_from_the_date_column(tmp_path, seeds_dir):
    """A dated column wins; where it is empty, a dateline of the text (2020年05月25日07:26 来源:重庆日报网) may date
    the document, and the loading summary says how many dates came from where."""
    dateline = (seeds_dir / "003_4b105e993f9cdb78.txt").read_text(encoding="utf-8")
    plain = [_plain(r["text"]) for r in STORIES[:3]]
    rows = [(plain[0], "2017-01-03"), (plain[1], "2017年1月4日"), (dateline, ""), (plain[2], "")]
    pd.DataFrame({"正文": [t for t, _ in rows], "日期": [d for _, d in rows]}).to_csv(tmp_path / "n.csv", index=False)
    loaded = load_corpus(tmp_path / "n.csv", text_column="正文", cache=False)
    assert loaded.docs["date"].tolist()[:3] == ["2017-01-03", "2017-01-04", "2020-05-25"]
    said = loading_summary(loaded)
    assert "dates: 2 from column '日期', 1 from the text, 1 none" in said, said
