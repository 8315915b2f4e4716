"""Tests of helpers.tables on the authors' keywords of CSL abstracts: BOM, formula-like cells, the workbook."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from openpyxl import load_workbook

from helpers.tables import FORMULA_PREFIXES, read_table, read_tables, write_table, write_workbook

# Formula-like text a real table may hold (a term, a handle, a phone number, a negative count kept as text).
FORMULA_LIKE = ['=HYPERLINK("http://example.com","点击")', "-3", "+86 10 6512", "@人民日报", "\t扶贫"]


@pytest.fixture(scope="module")
def keywords(data_dir) -> pd.DataFrame:
    """A keywords table as notebook 02 writes it (doc_id, rank, keyword, score), from the authors' keywords of 40
    CSL abstracts, with formula-like keywords in the first rows."""
    rows = []
    with open(data_dir / "csl_sample" / "csl_sample.jsonl", encoding="utf-8") as f:
        for line, _ in zip(f, range(40)):
            rec = json.loads(line)
            for rank, kw in enumerate(rec["keywords"], 1):
                rows.append({"doc_id": rec["id"], "rank": rank, "keyword": kw, "score": 1 / rank})
    df = pd.DataFrame(rows)
    df.loc[: len(FORMULA_LIKE) - 1, "keyword"] = FORMULA_LIKE
    return df


def test_csv_has_bom_and_reads_back(keywords, tmp_path):
    path = write_table(keywords, tmp_path, "keywords", description="Authors' keywords per abstract")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert keywords.keyword.iloc[10].encode() in raw and "\u4e00" <= keywords.keyword.iloc[10][0]  # Chinese
    back = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
    # The one difference, documented: formula-like text comes back with the ' that keeps a spreadsheet from running
    # it; numbers (rank, score, even negative ones) are never prefixed.
    n = len(FORMULA_LIKE)
    assert back.keyword[:n].tolist() == ["'" + s for s in FORMULA_LIKE]
    assert all(not s.startswith("'") for s in back.keyword[n:])
    expected = keywords.copy()
    expected.loc[: n - 1, "keyword"] = ["'" + s for s in FORMULA_LIKE]
    pd.testing.assert_frame_equal(back, expected, check_dtype=False)
    # pandas' default reader (C engine, utf-8) also drops the BOM, so tests reading notebook CSVs keep working.
    assert pd.read_csv(path).columns[0] == "doc_id"
    # read_table, for notebooks and helpers reading each other's CSVs, gives the table itself.
    pd.testing.assert_frame_equal(read_table(path, keep_default_na=False), keywords, check_dtype=False)


def test_numbers_untouched_and_float_format(tmp_path):
    df = pd.DataFrame({"term": ["脱贫", "-1"], "delta": [-1.23456789, 2.0]})
    text = write_table(df, tmp_path, "t", description="d", float_format="%.3f").read_text(encoding="utf-8-sig")
    assert text == "term,delta\n脱贫,-1.235\n'-1,2.000\n"


def test_tables_json_records_each_table_once(keywords, tmp_path):
    write_table(keywords, tmp_path, "keywords", description="first")
    write_table(keywords.head(3), tmp_path, "top", description="Top three")
    write_table(keywords.head(5), tmp_path, "keywords", description="Authors' keywords")
    tables = read_tables(tmp_path)
    assert [(t["name"], t["file"], t["rows"], t["description"]) for t in tables] == [
        ("keywords", "keywords.csv", 5, "Authors' keywords"),
        ("top", "top.csv", 3, "Top three"),
    ]
    assert tables[0]["columns"] == ["doc_id", "rank", "keyword", "score"]
    assert not list(tmp_path.glob(".*.tmp"))  # atomic writes leave no temporary file


def test_index_is_written_and_recorded(tmp_path):
    weights = pd.DataFrame({"weight": [0.5, 0.25]}, index=pd.Index(["贫困", "=x"], name="term"))
    path = write_table(weights, tmp_path, "weights", description="d", index=True)
    assert path.read_text(encoding="utf-8-sig") == "term,weight\n贫困,0.5\n'=x,0.25\n"
    assert read_tables(tmp_path)[0]["columns"] == ["term", "weight"]


@pytest.mark.parametrize("name", ["../x", "a/b", ".hidden", ""])
def test_bad_names_refused(name, tmp_path):
    with pytest.raises(ValueError):
        write_table(pd.DataFrame({"a": [1]}), tmp_path, name, description="d")


def test_workbook_reads_back_to_the_same_tables(keywords, tmp_path):
    pairs = pd.DataFrame({"doc_a": ["csl-dev-0000", "@a"], "doc_b": ["csl-dev-0001", "b"], "score": [0.9, -0.1]})
    write_table(keywords, tmp_path, "keywords", description="Authors' keywords per abstract")
    write_table(pairs, tmp_path, "similar_pairs_with_a_name_longer_than_excel_allows", description="Pairs")
    path = write_workbook(tmp_path, name="02_tfidf_keywords")
    sheets = pd.read_excel(path, sheet_name=None)
    assert list(sheets) == ["keywords", "similar_pairs_with_a_name_longe"]
    pd.testing.assert_frame_equal(sheets["keywords"], keywords, check_dtype=False)
    pd.testing.assert_frame_equal(sheets["similar_pairs_with_a_name_longe"], pairs, check_dtype=False)
    ws = load_workbook(path)["keywords"]
    cells = [ws.cell(row=i + 2, column=3) for i in range(len(FORMULA_LIKE))]
    assert [c.value for c in cells] == FORMULA_LIKE
    assert all(c.data_type == "s" for c in cells)  # the =HYPERLINK(...) cell is text, not a formula
    assert not any(c.data_type == "f" for row in load_workbook(path).worksheets for r in row.iter_rows() for c in r)
    assert FORMULA_PREFIXES[0] == "="


def test_workbook_cells_excel_can_hold_and_missing_files_skipped(tmp_path):
    texts = pd.DataFrame({"n": [1, 2], "text": ["脱贫\x0b攻坚", None], "g2": [float("inf"), 3.5]})
    write_table(texts, tmp_path, "texts", description="d")
    write_table(pd.DataFrame({"a": [1]}), tmp_path, "gone", description="d")
    (tmp_path / "gone.csv").unlink()
    path = write_workbook(tmp_path, name="nb")
    sheets = pd.read_excel(path, sheet_name=None)
    assert list(sheets) == ["texts"]
    assert sheets["texts"].text.iloc[0] == "脱贫攻坚" and pd.isna(sheets["texts"].text.iloc[1])
    assert load_workbook(path)["texts"]["C2"].value == "inf"  # a spreadsheet has no infinity: text


def test_show_table_keeps_every_row_and_says_when_cut(keywords, monkeypatch):
    """show_table hands itables the whole table (no downsampling by size); past max_rows the caption says so."""
    import itables

    from helpers.tables import show_table

    shown = []
    monkeypatch.setattr(itables, "show", lambda df, **kw: shown.append((df, kw)))
    show_table(keywords, caption="关键词")
    df, kw = shown[-1]
    assert len(df) == len(keywords) and kw["maxBytes"] == 0 and kw["maxRows"] == 0 and kw["caption"] == "关键词"
    assert kw["lengthMenu"][0][-1] == -1 and kw["allow_html"] is False  # "all" on offer; cells escaped
    html = itables.to_html_datatable(df, connected=False, **{k: v for k, v in kw.items() if k != "caption"})
    rows = json.loads(json.loads(re.search(r'"data_json": ("(?:[^"\\]|\\.)*")', html).group(1)))
    assert len(rows) == len(keywords) and rows[-1][2] == keywords.keyword.iloc[-1]  # every row in the page
    show_table(keywords, max_rows=7)
    df, kw = shown[-1]
    assert len(df) == 7 and kw["caption"] == f"first 7 of {len(keywords):,} rows (the CSV has all)"
