"""Execute notebooks/04_document_similarity.ipynb on the seeds and on a labelled slice; check its outputs."""

from __future__ import annotations

import json

import pandas as pd
import pytest

NOTEBOOK = "04_document_similarity.ipynb"
FAST = dict(use_full_corpora=False, lda_topics=5)


def _check_common(out, n_docs: int, top_k: int) -> None:
    pairs = pd.read_csv(out / "similar_pairs.csv")
    assert list(pairs.columns)[:4] == ["doc_a", "doc_b", "method", "score"]
    assert set(pairs["method"]) == {"tfidf", "lsi", "lda"}
    assert pairs["score"].between(0, 1).all()
    per_doc = pairs.groupby(["method", "doc_a"]).size()
    assert len(per_doc) == 3 * n_docs and (per_doc == min(top_k, n_docs - 1)).all()
    near = pd.read_csv(out / "near_duplicates.csv")
    assert list(near.columns)[:4] == ["cluster", "doc_id", "similarity", "is_representative"]
    query = pd.read_csv(out / "query_results.csv")
    assert {"level", "doc_id", "paragraph", "rank", "score", "snippet"} <= set(query.columns)
    assert set(query["level"]) == {"document", "paragraph"}
    for name in ("heatmap_tfidf.png", "doc_map.png", "validation_precision_at_5.csv", "validation_reprints.csv"):
        assert (out / name).is_file(), name
    info = json.loads((out / "run_info.json").read_text(encoding="utf-8"))
    assert info["n_documents"] == n_docs and info["params"]["top_k"] == top_k


@pytest.mark.notebook
def test_notebook_on_seeds(run_notebook, tmp_path):
    out = tmp_path / "seeds"
    run_notebook(NOTEBOOK, out, **FAST)
    _check_common(out, n_docs=5, top_k=5)
    p_at_5 = pd.read_csv(out / "validation_precision_at_5.csv")
    best = p_at_5[~p_at_5["method"].str.startswith("baseline")]["precision_at_5"].max()
    base = p_at_5[p_at_5["method"].str.startswith("baseline")]["precision_at_5"].max()
    assert best >= 0.85 > base
    reprints = pd.read_csv(out / "validation_reprints.csv")
    chosen = reprints[(reprints["input"] == "cleaned by load_corpus") & (reprints["threshold"] == 0.6)].iloc[0]
    assert chosen["precision"] >= 0.95 and chosen["recall"] >= 0.95


@pytest.mark.notebook
def test_notebook_on_labelled_slice_with_reprints(run_notebook, tmp_path, data_dir):
    """A slice of news with two reprints made inside the test: both must be clustered with their originals."""
    import opencc

    news = pd.read_json(data_dir / "cnews_sample" / "cnews_sample.jsonl", lines=True).iloc[::6].reset_index(drop=True)
    first, second = news.iloc[0], news.iloc[1]
    copies = pd.DataFrame(
        [
            {
                "id": "copy-1",
                "label": first["label"],
                "text": "来源：新浪网\n" + opencc.OpenCC("s2t").convert(first["text"]),
            },
            {"id": "copy-2", "label": second["label"], "text": second["text"] + "\n（责任编辑：王芳）"},
        ]
    )
    corpus = tmp_path / "slice.jsonl"
    pd.concat([news, copies], ignore_index=True).to_json(corpus, orient="records", lines=True, force_ascii=False)
    out = tmp_path / "slice"
    run_notebook(NOTEBOOK, out, corpus=str(corpus), top_k=3, query="房价 上涨 楼市 成交", **FAST)
    _check_common(out, n_docs=len(news) + 2, top_k=3)
    near = pd.read_csv(out / "near_duplicates.csv", dtype={"doc_id": str})
    clusters = near.groupby("cluster")["doc_id"].apply(frozenset).tolist()
    assert frozenset({first["id"], "copy-1"}) in clusters
    assert frozenset({second["id"], "copy-2"}) in clusters
    assert (near.groupby("cluster")["is_representative"].sum() == 1).all()


@pytest.mark.parametrize("name", [NOTEBOOK])
def test_notebook_is_stripped_and_parametrised(name):
    import nbformat

    from helpers.paths import NOTEBOOKS_DIR

    nb = nbformat.read(NOTEBOOKS_DIR / name, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    for key in ("corpus", "text_column", "output_dir", "query", "top_k", "dup_threshold", "seed"):
        assert f"{key} = " in params[0].source
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
