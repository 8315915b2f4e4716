"""load_corpus on documents filed in folders by year or month (``政策文件/2016/通知.txt``, ``2018-03/``): a file whose
name and text give no year takes its folder's date; a file's own date in another year than its folder's is kept
and reported. Real text: the seeds, renamed so that their names hold no date (seed 002 and 004 give no date in
their text, 001 a month and day only, 000 and 003 a full date)."""

import shutil

import pandas as pd

from helpers import discourse as ds
from helpers import load_corpus
from helpers.corpus import (
    DATE_CHECKED,
    DATE_FROM_FOLDER,
    DATE_FROM_TEXT,
    MONTH_AS_FIRST_DAY,
    MONTH_DAY_FROM_TEXT,
    loading_summary,
)
from helpers.paths import SEEDS_DIR

UNDATED = "002_f623aeff2d5e805c.txt"  # a county report: no date in its text
UNDATED_TRADITIONAL = "004_a9468175bb38a755.txt"  # no title, no date
MONTH_DAY = "001_9d75b112daa8238a.txt"  # a dateline with a month and day, no year (--03-09)
DATED_2019 = "000_7cdaf701bcb4d326.txt"  # 2019-02-22 in its text
DATED_2020 = "003_4b105e993f9cdb78.txt"  # 2020-05-25 in its text


def _put(seed: str, target):
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SEEDS_DIR / seed, target)


def _metadata(report: pd.DataFrame) -> pd.DataFrame:
    return report[report["rule"] == "metadata"].set_index("path")


def test_the_seeds_dates_are_as_this_file_assumes():
    dates = load_corpus(SEEDS_DIR).docs.set_index("path")["date"]
    assert dates.isna()[UNDATED] and dates.isna()[UNDATED_TRADITIONAL]
    assert (dates[MONTH_DAY], dates[DATED_2019], dates[DATED_2020]) == ("--03-09", "2019-02-22", "2020-05-25")


def test_an_undated_file_in_a_year_folder_takes_the_year(tmp_path):
    corpus = tmp_path / "政策文件"
    _put(UNDATED, corpus / "2016" / "通知.txt")
    _put(MONTH_DAY, corpus / "2016年" / "会议.txt")  # the text's 3月9日 and the folder's year
    _put(UNDATED_TRADITIONAL, corpus / "2017" / "专题" / "简报.txt")  # the nearest year folder, not the next one
    _put(DATED_2020, corpus / "2020" / "报道.txt")
    loaded = load_corpus(corpus, cache=False)
    dates = loaded.docs.set_index("path")["date"]
    assert dates["2016/通知.txt"] == "2016"  # a year only: no month or day is guessed
    assert dates["2016年/会议.txt"] == "2016-03-09"
    assert dates["2017/专题/简报.txt"] == "2017"
    assert dates["2020/报道.txt"] == "2020-05-25"
    meta = _metadata(loaded.report)
    assert meta.loc["2016/通知.txt", "detail"] == DATE_FROM_FOLDER
    assert meta.loc["2016/通知.txt", "action"] == "read"
    assert meta.loc["2016年/会议.txt", "detail"] == DATE_FROM_FOLDER + MONTH_DAY_FROM_TEXT  # not also DATE_FROM_TEXT
    assert meta.loc["2020/报道.txt", "detail"] == DATE_FROM_TEXT  # its own date, in its folder's year
    assert list(ds.date_status(pd.Series(["2016"]))) == ["year only"]  # notebook 05 places it in years
    summary = loading_summary(loaded)
    assert (
        "dates: 1 from the text, 3 from folder names (a year only: 2; a year, with the month and day from the "
        "text: 1);" in summary
    ), summary
    assert "give a year only" not in summary  # said once, with the folder names
    assert "outside" not in summary


def test_a_month_folder_gives_the_first_day_of_its_month(tmp_path):
    for folder in ("2018-03", "201804", "2018年5月", "2018_06"):
        _put(UNDATED_TRADITIONAL, tmp_path / "c" / folder / "简报.txt")
    _put(UNDATED, tmp_path / "c" / "201813" / "通知.txt")  # six digits that are no month
    _put(MONTH_DAY, tmp_path / "c" / "2018-07" / "会议.txt")  # the text's 03-09 is in another month: 07 is kept
    loaded = load_corpus(tmp_path / "c", cache=False)
    dates = loaded.docs.set_index("path")["date"]
    assert list(dates[[f"{f}/简报.txt" for f in ("2018-03", "201804", "2018年5月", "2018_06")]]) == [
        "2018-03-01", "2018-04-01", "2018-05-01", "2018-06-01"
    ]  # fmt: skip
    assert pd.isna(dates["201813/通知.txt"])
    assert dates["2018-07/会议.txt"] == "2018-07-01"
    meta = _metadata(loaded.report)
    assert meta.loc["2018-03/简报.txt", "detail"] == DATE_FROM_FOLDER + MONTH_AS_FIRST_DAY
    assert "03-09 is in another month" in meta.loc["2018-07/会议.txt", "detail"]
    assert "5 from folder names (a month, read as its first day: 5), 1 none" in loading_summary(loaded)


def test_a_date_outside_its_year_folder_is_kept_and_reported(tmp_path):
    _put(UNDATED, tmp_path / "c" / "2016" / "2017-03-05_通知.txt")
    _put(DATED_2019, tmp_path / "c" / "2016" / "报道.txt")
    _put(UNDATED, tmp_path / "c" / "2017" / "2017-04-01_通知.txt")  # in its year folder: nothing to say
    loaded = load_corpus(tmp_path / "c", cache=False)
    dates = loaded.docs.set_index("path")["date"]
    assert dates["2016/2017-03-05_通知.txt"] == "2017-03-05" and dates["2016/报道.txt"] == "2019-02-22"
    checked = loaded.report[loaded.report["action"] == DATE_CHECKED].set_index("path")["detail"]
    assert checked.to_dict() == {
        "2016/2017-03-05_通知.txt": "date 2017-03-05 from the file name, in folder 2016",
        "2016/报道.txt": "date 2019-02-22 from the text, in folder 2016",
    }
    assert (
        "2 documents dated outside their year folder (2016/2017-03-05_通知.txt: 2017-03-05 from the file name; "
        "2016/报道.txt: 2019-02-22 from the text)" in loading_summary(loaded)
    )
    assert "from folder names" not in loading_summary(loaded)


def test_the_corpus_folder_and_folders_with_other_words_give_no_date(tmp_path):
    corpus = tmp_path / "2019"  # the corpus folder's own name never dates its files
    _put(UNDATED, corpus / "a.txt")
    _put(UNDATED, corpus / "2016年工作报告" / "b.txt")
    _put(UNDATED_TRADITIONAL, corpus / "第2016号" / "c.txt")
    _put(UNDATED_TRADITIONAL, corpus / "2019新闻" / "d.txt")
    loaded = load_corpus(corpus, cache=False)
    assert loaded.docs["date"].isna().all()
    assert not loaded.report["detail"].astype(str).str.startswith(DATE_FROM_FOLDER).any()
    assert "folder names" not in loading_summary(loaded)


def test_rows_of_a_table_in_a_year_folder_keep_their_own_columns(tmp_path):
    text = (SEEDS_DIR / UNDATED).read_text(encoding="utf-8")
    table = pd.DataFrame({"id": ["r1", "r2"], "日期": ["2018-05-02", None], "text": [text, text]})
    (tmp_path / "c" / "2016").mkdir(parents=True)
    table.to_csv(tmp_path / "c" / "2016" / "rows.csv", index=False)
    _put(UNDATED, tmp_path / "c" / "2017" / "通知.txt")
    loaded = load_corpus(tmp_path / "c", cache=False)
    dates = loaded.docs.set_index("doc_id")["date"]
    assert dates["r1"] == "2018-05-02" and pd.isna(dates["r2"])  # a row has its own columns: no folder date
    assert dates["2017/通知"] == "2017"
    folder_rows = loaded.report[loaded.report["detail"].astype(str).str.startswith(DATE_FROM_FOLDER)]
    assert list(folder_rows["doc_id"]) == ["2017/通知"]
    assert not (loaded.report["action"] == DATE_CHECKED).any()
