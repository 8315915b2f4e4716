"""Tests of helpers.validation.similarity on the labelled news slice: precision at k and the plain baseline."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import similarity as sim
from helpers.corpus import load_corpus
from helpers.tokenize import tokenize_corpus
from helpers.validation import similarity as vs


@pytest.fixture(scope="module")
def news(data_dir):
    docs = load_corpus(data_dir / "cnews_sample" / "cnews_sample.jsonl").docs
    return docs, tokenize_corpus(docs["text"].tolist(), n_jobs=1)


def test_precision_at_k_counts_neighbours_with_the_same_label():
    indices = np.array([[1, 2], [0, 2], [0, 1]])
    assert vs.precision_at_k(indices, ["x", "x", "y"], k=1) == pytest.approx(2 / 3)
    assert vs.precision_at_k(indices, ["x", "x", "y"], k=2) == pytest.approx(2 / 6)
    assert np.isnan(vs.precision_at_k(np.zeros((2, 0), dtype=int), ["x", "y"], k=5))


def test_precision_at_5_beats_plain_tfidf_on_news(news):
    docs, tokens = news
    index = sim.SimilarityIndex.fit(tokens, methods=("tfidf", "lsi"), lsi_components=50, seed=0)
    table = vs.precision_at_k_table(index, docs["text"].tolist(), docs["label"], k=5, collection="cnews")
    assert table["method"].tolist() == ["tfidf", "lsi", vs.BASELINE_NAME]
    assert (table["collection"] == "cnews").all() and (table["documents"] == len(docs)).all()
    scores = table.set_index("method")["precision_at_5"]
    assert scores[["tfidf", "lsi"]].max() >= 0.85 > scores[vs.BASELINE_NAME]
    # the table's rows are the metric of the index's own neighbours
    direct = vs.evaluate_precision_at_k(index, docs["label"], k=5).set_index("method")["precision_at_5"]
    assert scores["tfidf"] == round(direct["tfidf"], 3)


#: P@5 of the background method on the held-out 2019 stories, measured once after its settings were chosen on the
#: 2017–2018 tuning split: 0.845 (three merged spaces, title twice, title block), against 0.633 for plain TF-IDF on
#: jieba tokens (0.788 before the title and the ensemble of spaces); the margin of 0.02 leaves room for
#: tokenizer/dictionary changes and is the goal of issue 13 (0.82)
HELDOUT_BACKGROUND_P5, HELDOUT_GAIN = 0.82, 0.15
#: cnews P@5 of the background method: 0.876 (the corpus's own TF-IDF: 0.888)
CNEWS_BACKGROUND_P5 = 0.84


def test_background_method_on_held_out_news_of_one_broadcaster(data_dir):
    docs = load_corpus(data_dir / "xwlb_sections_2019" / "xwlb_sections_2019.jsonl").docs
    index = sim.SimilarityIndex.fit(
        tokenize_corpus(docs["text"].tolist(), n_jobs=1),
        texts=sim.background_features(docs),
        titles=sim.background_titles(docs),
        methods=("background", "tfidf"),
    )
    table = vs.precision_at_k_table(index, docs["text"].tolist(), docs["label"], k=5, collection="xwlb 2019")
    scores = table.set_index("method")["precision_at_5"]
    assert scores["background"] >= HELDOUT_BACKGROUND_P5
    assert scores["background"] >= scores[vs.BASELINE_NAME] + HELDOUT_GAIN
    assert scores["background"] > scores["tfidf"]


def test_background_method_keeps_distinct_categories_apart(news):
    docs, _ = news
    Z = sim.BackgroundModel.load().embed(sim.background_features(docs), titles=sim.background_titles(docs))[1]
    assert vs.precision_at_k(sim.top_k_neighbours(Z, k=5)[0], docs["label"], k=5) >= CNEWS_BACKGROUND_P5


def test_lda_scores_unrelated_short_texts_as_identical(data_dir):
    """The measurement behind LDA_MIN_MEDIAN_TOKENS: on the 2019 stories cut to their first 10 tokens, far more of
    LDA's top-5 neighbours are scored >= 0.99 while belonging to another section than on the whole stories."""
    docs = load_corpus(data_dir / "xwlb_sections_2019" / "xwlb_sections_2019.jsonl").docs
    tokens = tokenize_corpus(docs["text"].tolist(), n_jobs=1)
    labels = docs["label"].to_numpy()

    def wrong_identical(token_lists):
        index = sim.SimilarityIndex.fit(token_lists, methods=("lda",), lda_topics=10, seed=0)
        ind, scores = index.neighbours("lda", k=5)
        return float(((scores >= 0.99) & (labels[ind] != labels[:, None])).mean())

    cut = [t[:10] for t in tokens]
    assert sim.lda_unsuitable(cut) and sim.lda_unsuitable(tokens) is None
    assert wrong_identical(cut) > 5 * wrong_identical(tokens)


def _keyword_share(indices: np.ndarray, keywords) -> float:
    """Share of the neighbours that share at least one author keyword with their document."""
    sets = [set(k) for k in keywords]
    return float(np.mean([[bool(sets[i] & sets[j]) for j in row] for i, row in enumerate(indices)]))


def test_own_tfidf_is_the_default_where_the_background_model_knows_little(data_dir, news):
    """The measurements behind BACKGROUND_MIN_KNOWN_SHARE and OWN_METHOD (review R10a): on the CSL abstracts and on
    the labelled news, both far below the threshold, background LSI puts together fewer abstracts sharing an author
    keyword than the corpus's own TF-IDF (2.3 % against 3.7 %) and no more same-label news (0.876 against 0.882);
    TF-IDF does at least as well as LSI on both (3.7 % against 3.3 %; 0.882 against 0.829), so it is the own
    method."""
    rows = pd.read_json(data_dir / "csl_sample" / "csl_sample.jsonl", lines=True).set_index("id")["keywords"]
    abstracts = load_corpus(data_dir / "csl_sample" / "csl_sample.jsonl", text_column="abstract").docs
    inputs = dict(texts=sim.background_features(abstracts), titles=sim.background_titles(abstracts))
    tokens = tokenize_corpus(abstracts["text"].tolist(), n_jobs=1)
    assert sim.background_known_share(tokens) < sim.BACKGROUND_MIN_KNOWN_SHARE
    index = sim.SimilarityIndex.fit(tokens, **inputs, methods=("background", "tfidf", "lsi"), lsi_components=50)
    keywords = abstracts["doc_id"].map(rows).tolist()
    share = {m: _keyword_share(index.neighbours(m, k=5)[0], keywords) for m in index.methods}
    assert share["background"] < 0.8 * share["tfidf"] and share["tfidf"] >= share["lsi"]
    docs, news_tokens = news
    assert sim.background_known_share(news_tokens) < sim.BACKGROUND_MIN_KNOWN_SHARE
    news_index = sim.SimilarityIndex.fit(
        news_tokens,
        texts=sim.background_features(docs),
        titles=sim.background_titles(docs),
        methods=("background", "tfidf", "lsi"),
        lsi_components=50,
    )
    p5 = vs.evaluate_precision_at_k(news_index, docs["label"], k=5).set_index("method")["precision_at_5"]
    assert p5["tfidf"] >= p5["background"] and p5["tfidf"] > p5["lsi"]


def test_own_labels_precision_is_5a_measure_on_the_corpus_itself(news, tmp_path):
    """Review R11b: 04 measures every method against the corpus's own labels (a `folder` of Sina categories there).
    Here 5 categories of the cnews slice filed in subfolders: the loader's `folder` is the label column, the table is
    section 5a's precision at 5 on it, with the baseline and what random neighbours reach; an unfiled document is
    not measured but stays a neighbour."""
    docs, _ = news
    picked = docs[docs["label"].isin(sorted(docs["label"].unique())[:5])].groupby("label").head(12)
    for i, row in enumerate(picked.itertuples()):
        where = tmp_path / row.label if i else tmp_path  # the first file at the top: no label
        where.mkdir(exist_ok=True)
        (where / f"{row.doc_id}.txt").write_text(row.text, encoding="utf-8")
    own = load_corpus(tmp_path).docs
    column = sim.find_label_column(own)
    assert column == "folder" and (own[column] == "").sum() == 1
    tokens = tokenize_corpus(own["text"].tolist(), n_jobs=1)
    index = sim.SimilarityIndex.fit(tokens, methods=("tfidf", "lsi"), lsi_components=20, seed=0)
    table = vs.own_labels_precision(index, own[column], texts=own["text"].tolist(), k=5)
    assert table["method"].tolist() == ["tfidf", "lsi", vs.BASELINE_NAME, vs.RANDOM_NAME]
    assert (table["documents"] == len(own) - 1).all() and (table["labels"] == 5).all()
    assert table.attrs["unlabelled"] == 1
    scores = table.set_index("method")["precision_at_5"]
    filed = (own[column] != "").to_numpy()
    nn = index.neighbours("tfidf", k=5)[0]
    lab = own[column].to_numpy()
    assert scores["tfidf"] == round(float(np.mean(lab[nn[filed]] == lab[filed][:, None])), 3)
    sizes = own.loc[filed, column].value_counts()  # 11 + 4 x 12 filed; 60 documents in all
    assert scores[vs.RANDOM_NAME] == round(float((sizes * (sizes - 1)).sum() / (filed.sum() * (len(own) - 1))), 3)
    assert scores[["tfidf", "lsi"]].max() > 2 * scores[vs.RANDOM_NAME]
    said = vs.own_labels_sentence(table, column, default="lsi")
    best = scores[["tfidf", "lsi"]].idxmax()
    assert said.startswith(f"Against this corpus's own labels (`folder`: 5 labels, {len(own) - 1} documents), **")
    assert f"on this corpus {best} is the best of the 2 methods" in said or "level with each other" in said
    assert "1 document without a label is not measured" in said
    assert vs.own_labels_precision(index, ["体育"] * len(own), k=5) is None  # one label: nothing to measure
    checked, line = vs.own_labels_check(index, own.assign(folder="体育"), column, default="lsi")
    assert checked is None and line.endswith("`folder` gives fewer than two labels, too few to measure it.")
    checked, line = vs.own_labels_check(index, own, column, default="lsi")
    assert checked.equals(table) and line == said
