"""Execute notebooks/03_lda_topics.ipynb with papermill on the seeds (twice) and on the cnews slice."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from helpers.paths import DATA_DIR
from helpers.topics import nmi

pytestmark = pytest.mark.notebook

NB = "03_lda_topics.ipynb"
CNEWS = DATA_DIR / "cnews_sample" / "cnews_sample.jsonl"


def _external_links(page: str) -> list:
    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend((tag, k, v) for k, v in attrs if k in {"src", "href"} and v and re.match(r"(https?:)?//", v))

    Parser().feed(page)
    return found


def test_seeds_twice_identical_outputs(tmp_path, run_notebook):
    params = dict(k_range=[2, 3, 4], seeds=[0, 1], passes=10, iterations=200)
    out, second = tmp_path / "run1", tmp_path / "run2"
    run_notebook(NB, out, **params)
    run_notebook(NB, second, **params)
    for name in ["topics.csv", "doc_topics.csv", "k_sweep.csv"]:
        assert (out / name).read_bytes() == (second / name).read_bytes(), name

    for name in [
        "topics.csv",
        "doc_topics.csv",
        "k_sweep.csv",
        "ldavis.html",
        "run_info.json",
        "k_sweep.png",
        "doc_topics_heatmap.png",
        "topic_terms.png",
        "representative.csv",
        "unit_topics.csv",
        "validation_nmi.csv",
        "k_sweep_details.csv",
    ]:
        assert (out / name).is_file(), name
    topics = pd.read_csv(out / "topics.csv")
    assert topics.columns.tolist() == ["topic", "rank", "term", "weight"]
    sweep = pd.read_csv(out / "k_sweep.csv")
    assert sweep.columns.tolist() == ["k", "seed", "c_v", "c_npmi", "u_mass", "stability"]
    assert sorted(sweep.k.unique()) == [2, 3, 4] and len(sweep) == 6
    assert not sweep[["c_v", "c_npmi", "u_mass", "stability"]].isna().any().any()
    assert topics.topic.nunique() in (2, 3, 4)
    doc_topics = pd.read_csv(out / "doc_topics.csv", dtype={"doc_id": str})
    assert doc_topics.columns.tolist() == ["doc_id", "topic", "weight"]
    assert doc_topics.doc_id.nunique() == 5  # paragraph weights aggregated back to the five documents
    assert doc_topics.groupby("doc_id").weight.sum().round(4).eq(1).all()
    page = (out / "ldavis.html").read_text(encoding="utf-8")
    assert _external_links(page) == [] and "new LDAvis(" in page
    validation = pd.read_csv(out / "validation_nmi.csv")
    assert validation[validation.chosen].nmi.iloc[0] > validation.baseline_nmi.max()


def test_labelled_slice_by_document(tmp_path, run_notebook):
    # stream_above=100: this run also takes the large-corpus path (token stream, Matrix Market file on disk)
    run_notebook(
        NB,
        tmp_path,
        corpus=str(CNEWS),
        unit="document",
        num_topics=10,
        seeds=[0, 1],
        validation=False,
        stream_above=100,
    )
    doc_topics = pd.read_csv(tmp_path / "doc_topics.csv", dtype={"doc_id": str})
    labels = pd.read_json(CNEWS, lines=True, dtype={"id": str}).set_index("id")["label"]
    assert set(doc_topics.doc_id) == set(labels.index)  # doc_id is the corpus id column
    assert doc_topics.topic.nunique() == 10
    dominant = doc_topics.loc[doc_topics.groupby("doc_id").weight.idxmax()].set_index("doc_id")["topic"]
    assert nmi(labels.loc[dominant.index], dominant) >= 0.45
    sweep = pd.read_csv(tmp_path / "k_sweep.csv")
    assert sweep.k.unique().tolist() == [10] and len(sweep) == 2
