"""Notebook 01 runs top to bottom in a fresh kernel, on the seeds and on news corpora that are not the seeds."""

import json
import re

import nbformat
import pandas as pd
import pytest

from helpers.paths import DATA_DIR, NOTEBOOKS_DIR
from helpers.terms import MAX_TERMS
from tests.conftest import execute_notebook

pytestmark = pytest.mark.notebook

#: words of the seeds' reports that must never reach a report on another corpus
SEED_WORDS = ("seed", "five", "五篇", "poverty", "脱贫", "重庆", "chongqing")
OWN_NOTEBOOKS = ("01_cleaning.ipynb", "02_tfidf_keywords.ipynb", "template.ipynb")


def prose(nb) -> str:
    """What a reader reads as sentences: markdown cells, Markdown outputs and printed lines (not data tables)."""
    parts = [c.source for c in nb.cells if c.cell_type == "markdown"]
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stdout":
                parts.append(output.get("text", ""))
            parts.append(output.get("data", {}).get("text/markdown", ""))
    return "\n".join(parts)


def all_output_text(nb) -> str:
    return "\n".join(json.dumps(o, ensure_ascii=False) for c in nb.cells for o in c.get("outputs", []))


def news_slice(tmp_path, n: int = 40):
    """The first ``n`` THUCNews rows of data/cnews_sample (sports, finance, …) whose text has none of SEED_WORDS,
    with the id in a ``docno`` field, plus one malformed line that ``errors="report"`` must skip."""
    rows = (DATA_DIR / "cnews_sample" / "cnews_sample.jsonl").read_text(encoding="utf-8").splitlines()
    recs = [json.loads(r) for r in rows if not any(w in r.lower() for w in SEED_WORDS)][:n]
    lines = [json.dumps({"docno": r["id"], "label": r["label"], "text": r["text"]}, ensure_ascii=False) for r in recs]
    path = tmp_path / "cnews_slice.jsonl"
    path.write_text("\n".join([*lines, '{"docno": "broken", "text": ']) + "\n", encoding="utf-8")
    return path, [r["id"] for r in recs]


@pytest.fixture(scope="module")
def news_run(tmp_path_factory):
    """One execution of notebook 01 on the news slice, with id_column and errors passed as `make report` would."""
    tmp = tmp_path_factory.mktemp("nb01_news")
    corpus, ids = news_slice(tmp)
    out = tmp / "out"
    nb_path = execute_notebook("01_cleaning.ipynb", out, corpus=str(corpus), id_column="docno", errors="report")
    return nbformat.read(nb_path, as_version=4), out, ids, tmp


def test_notebook_01_on_seeds(run_notebook, tmp_path):
    executed = run_notebook("01_cleaning.ipynb", tmp_path)
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
    # the before/after view pairs paragraphs: the example document's cleaned paragraphs, in order
    aligned = pd.read_csv(tmp_path / "before_after.csv", keep_default_na=False)
    by_id = {r["doc_id"]: r["text"] for r in recs}
    after = aligned.loc[aligned.after != "", "after"].tolist()
    assert any(after == text.split("\n") for text in by_id.values())
    assert "removed" in set(aligned.status) and set(aligned.status) <= {"kept", "changed", "removed"}
    terms = pd.read_csv(tmp_path / "corpus_terms.csv")  # "most frequent first", as the page says
    assert len(terms) > 1 and terms["count"].is_monotonic_decreasing
    nb = nbformat.read(executed, as_version=4)
    assert "Tokens per document: median" in prose(nb) and "{'count'" not in all_output_text(nb)


def test_notebook_01_on_jsonl(run_notebook, tmp_path):
    """CCTV stories; the example is one whose raw text is a single line of paragraphs between <br> tags (R7 #10)."""
    corpus = DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl"
    example = "VIDEwqi1n9UpvcmMpxnVz41C161125"
    executed = run_notebook("01_cleaning.ipynb", tmp_path, corpus=str(corpus), example_doc=example)
    recs = [json.loads(x) for x in (tmp_path / "cleaned.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(recs) == 200 and "tags" in recs[0]
    assert not any("央视网消息" in r["text"] for r in recs)
    text = prose(nbformat.read(executed, as_version=4))
    aligned = pd.read_csv(tmp_path / "before_after.csv", keep_default_na=False)
    n_split = int((aligned.status == "split").sum())
    assert n_split >= 2 and "added" not in set(aligned.status)  # cleaning split one raw line; it added nothing
    assert f"paragraphs kept: 0, changed: 1, split out of a raw line: {n_split}; lines removed:" in text
    # R7 #9: the number of terms is computed; the cap and the sample are named only when they apply
    n_terms = len(pd.read_csv(tmp_path / "corpus_terms.csv"))
    assert f"{n_terms} terms found in this corpus" in text and "looked for in every" not in text
    assert ("the cap (at most" in text) == (n_terms >= MAX_TERMS)
    assert "the first 20 documents)" not in text and "(whitespace rows in the CSV)" not in all_output_text(
        nbformat.read(executed, as_version=4)
    )


def test_notebook_01_on_news_says_nothing_about_the_seeds(news_run):
    nb, _, ids, _ = news_run
    text = prose(nb)
    for word in SEED_WORDS:
        assert word not in text.lower(), word
    # the sentences that state results are computed: the document count and the skipped line are in them
    assert re.search(rf"\b{len(ids)} documents\b", text)
    assert "1 skipped" in text


def test_notebook_01_on_news_uses_id_column_and_errors(news_run):
    nb, out, ids, tmp = news_run
    recs = [json.loads(x) for x in (out / "cleaned.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["doc_id"] for r in recs] == ids
    report = pd.read_csv(out / "cleaning_report.csv")
    skipped = report[(report.rule == "skipped") & (report.action == "skipped")]
    assert len(skipped) == 1 and "cnews_slice.jsonl" in skipped.detail.item()
    info = json.loads((out / "run_info.json").read_text(encoding="utf-8"))
    assert info["params"]["id_column"] == "docno" and info["params"]["errors"] == "report"
    # pages go to colleagues: no machine path of the corpus or of the output folder in what the notebook shows
    assert str(tmp) not in all_output_text(nb)


@pytest.mark.parametrize("name", OWN_NOTEBOOKS)
def test_notebooks_share_the_corpus_parameters(name):
    """Every notebook takes text_column, id_column and errors, and passes all three to load_corpus(corpus, …);
    none reads ../shared (validation uses what ships in data/)."""
    nb = nbformat.read(NOTEBOOKS_DIR / name, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    for line in ('text_column = "text"', 'id_column = "id"', 'errors = "report"'):
        assert line in params[0].source, line
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    calls = re.findall(r"load_corpus\(corpus,[^)]*\)", code)
    assert calls
    for call in calls:
        for arg in ("text_column=text_column", "id_column=id_column", "errors=errors"):
            assert arg in call, (call, arg)
    assert "loading_summary(loaded, source=corpus)" in code
    assert "shared" not in code and "../shared" not in "\n".join(c.source for c in nb.cells)
