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
