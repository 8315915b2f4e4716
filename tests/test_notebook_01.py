"""Notebook 01 runs top to bottom in a fresh kernel, on the seeds and on a news corpus."""

import json

import pandas as pd
import pytest

from helpers.paths import DATA_DIR

pytestmark = pytest.mark.notebook


def test_notebook_01_on_seeds(run_notebook, tmp_path):
    run_notebook("01_cleaning.ipynb", tmp_path)
    lines = (tmp_path / "cleaned.jsonl").read_text(encoding="utf-8").splitlines()
    recs = [json.loads(x) for x in lines]
    assert len(recs) == 5 and all(r["text"] for r in recs)
    report = pd.read_csv(tmp_path / "cleaning_report.csv")
    assert {"doc_id", "rule", "action", "chars", "detail"} <= set(report.columns)
    assert (report["rule"] == "mojibake").any()
    for name in ("lengths.png", "top_tokens.png", "top_tokens.csv", "before_after.html", "run_info.json"):
        assert (tmp_path / name).stat().st_size > 0, name
    top = pd.read_csv(tmp_path / "top_tokens.csv")
    assert top["token"].iloc[0] == "脱贫攻坚"


def test_notebook_01_on_jsonl(run_notebook, tmp_path):
    run_notebook(
        "01_cleaning.ipynb", tmp_path, corpus=str(DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl")
    )
    recs = [json.loads(x) for x in (tmp_path / "cleaned.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(recs) == 200 and "tags" in recs[0]
    assert not any("央视网消息" in r["text"] for r in recs)
