"""helpers.validation.discourse on the held-out CCTV slice: the known shift of 乡村振兴 is dated to late 2017."""

from __future__ import annotations

import pandas as pd

from helpers import discourse as ds
from helpers.corpus import load_corpus
from helpers.paths import DATA_DIR
from helpers.tokenize import tokenize_corpus
from helpers.validation import discourse as vd

HELDOUT = DATA_DIR / "xwlb_dated_heldout" / "xwlb_dated_heldout.jsonl"


def test_change_point_check_dates_the_shift_and_finds_little_by_chance():
    docs = load_corpus(HELDOUT, errors="raise").docs
    tokens = tokenize_corpus(docs.text.tolist(), n_jobs=1, progress=False)
    check = vd.change_point_check(docs, tokens, term="乡村振兴", min_docs_per_period=10, seed=0)
    plan = ds.plan_comparison(docs, period="auto", min_docs_per_period=10)
    assert check["documents"] == len(docs) and check["period"] == plan.period
    assert check["change_point"] in {"2017Q4", "2017-10", "2017-11", "2018"} and check["direction"] == "rising"
    assert check["share_before"] < check["share_after"] and check["p_perm"] < 0.01
    assert check["shuffled_significant_documents"] <= 2 < check["shuffled_significant_tokens"]
    table = vd.change_point_table(check)
    assert table.columns.tolist() == vd.CHANGE_POINT_CHECK_COLUMNS and len(table) == 1
    assert table.g2[0] == round(check["g2"], 2)
    sentence = vd.change_point_sentence(check)
    assert f"changes at **{check['change_point']}**" in sentence and f"G² = {check['g2']:.1f}" in sentence
    pd.testing.assert_frame_equal(table, vd.change_point_table(vd.change_point_check(docs, tokens, seed=0)))
