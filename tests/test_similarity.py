"""Tests of helpers.similarity on real text: the seeds and the labelled news slice."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from helpers import similarity as sim
from helpers.corpus import load_corpus
from helpers.tokenize import tokenize, tokenize_corpus


@pytest.fixture(scope="module")
def news(data_dir):
    docs = load_corpus(data_dir / "cnews_sample" / "cnews_sample.jsonl").docs
    return docs, tokenize_corpus(docs["text"].tolist(), n_jobs=1)


@pytest.fixture(scope="module")
def seeds(seeds_dir):
    docs = load_corpus(seeds_dir).docs
    return docs, tokenize_corpus(docs["text"].tolist(), n_jobs=1)


def test_top_k_blocks_equal_dense_ranking(news):
    docs, tokens = news
    _, X = sim.fit_tfidf(tokens)
    idx_small, sc_small = sim.top_k_neighbours(X, k=5, block_size=7)
    S = (X @ X.T).toarray()
    np.fill_diagonal(S, -np.inf)
    best = np.sort(S, axis=1)[:, ::-1][:, :5]
    np.testing.assert_allclose(sc_small, best, rtol=1e-5, atol=1e-6)
    assert not (idx_small == np.arange(len(docs))[:, None]).any()  # never its own neighbour
    idx_big, _ = sim.top_k_neighbours(X, k=5, block_size=10_000)
    assert (idx_small == idx_big).all()


def test_lda_similarity_is_one_minus_hellinger(seeds):
    docs, tokens = seeds
    index = sim.SimilarityIndex.fit(tokens, doc_ids=docs["doc_id"], methods=("lda",), lda_topics=3, lda_passes=3)
    S = index.matrix("lda")
    theta = index.theta
    assert np.allclose(theta.sum(axis=1), 1)
    for i in range(len(docs)):
        for j in range(len(docs)):
            assert S[i, j] == pytest.approx(sim.hellinger_similarity(theta[i], theta[j]), abs=1e-6)
    idx, scores = index.neighbours("lda", k=2)
    assert scores.shape == (5, 2) and (scores >= 0).all() and (scores <= 1).all()
    assert scores[0, 0] == pytest.approx(np.delete(S[0], 0).max(), abs=1e-6)


def test_lda_is_reproducible_and_fitted_by_the_topics_module(seeds, monkeypatch):
    """The LDA level uses helpers.topics.fit_lda (the project's one fitter) and gives the same theta twice."""
    from helpers import topics

    docs, tokens = seeds
    calls = []
    real = topics.fit_lda

    def recording(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(topics, "fit_lda", recording)
    a = sim.SimilarityIndex.fit(tokens, methods=("lda",), lda_topics=2, lda_passes=2, seed=1).theta
    b = sim.SimilarityIndex.fit(tokens, methods=("lda",), lda_topics=2, lda_passes=2, seed=1).theta
    np.testing.assert_array_equal(a, b)
    assert [c["num_topics"] for c in calls] == [2, 2] and calls[0]["random_state"] == 1 and calls[0]["passes"] == 2
    default = sim.SimilarityIndex.fit(tokens, methods=("lda",), lda_topics=2, seed=1)
    assert "passes" not in calls[-1]  # topics.fit_lda's own defaults
    assert default.lda.num_topics == 2 and default.theta.shape == (len(docs), 2)


def test_matrix_of_a_sample_equals_the_rows_of_the_full_matrix(seeds):
    docs, tokens = seeds
    index = sim.SimilarityIndex.fit(tokens, doc_ids=docs["doc_id"], lda_topics=3, lda_passes=2)
    rows = sim.sample_rows(len(docs), max_rows=3, seed=0)
    assert len(rows) == 3 and (np.diff(rows) > 0).all()
    assert sim.sample_rows(len(docs), max_rows=30).tolist() == list(range(len(docs)))
    for method in index.methods:
        full = index.matrix(method)
        np.testing.assert_allclose(index.matrix(method, rows=rows), full[np.ix_(rows, rows)], atol=1e-12)
        assert np.allclose(np.diag(full), 1.0, atol=1e-5)
    assert index.score_transform("lda") is not None and index.score_transform("lsi") is None


def test_document_groups_prefer_labels_then_topics(seeds):
    docs, _ = seeds
    theta = np.tile([0.1, 0.9], (len(docs), 1))
    unlabelled = docs.drop(columns=[c for c in sim.LABEL_COLUMNS if c in docs])
    groups, name, said = sim.document_groups(unlabelled, theta, topic_names={1: "T1 扶贫·产业", 2: "T2 足球·比赛"})
    assert name == "LDA 主题" and set(groups) == {"T2 足球·比赛"} and "dominant LDA topic" in said
    assert all(c in said for c in sim.LABEL_COLUMNS)  # review R6: every column looked for, from the one constant
    with pytest.raises(ValueError, match="topic_names"):  # never a bare topic number
        sim.document_groups(unlabelled, theta)
    labelled = docs.assign(category=[f"c{i % 2}" for i in range(len(docs))])
    groups, name, said = sim.document_groups(labelled, theta)
    assert name == "category" and groups.tolist() == labelled["category"].tolist()
    assert said == "Colours show the values of the column `category` (2 distinct values)."


def test_many_labels_are_cut_to_the_palette_and_said(data_dir):
    # a label column as exported by a CMS: several labels joined by "|", many stories without one
    docs = load_corpus(data_dir / "xwlb_dated_heldout" / "xwlb_dated_heldout.jsonl").docs
    docs = docs.assign(labels=docs["labels"].map("|".join))
    values = docs["labels"][docs["labels"] != ""].value_counts()
    assert len(values) > sim.MAP_COLOURS  # more than the palette can tell apart
    groups, name, said = sim.document_groups(docs, None)
    assert name == "labels" and groups.nunique() == sim.MAP_COLOURS
    blank = int((docs["labels"] == "").sum())
    assert (groups == sim.NO_LABEL_GROUP).sum() == blank > 0
    kept = [g for g in groups.unique() if g not in (sim.OTHER_GROUP, sim.NO_LABEL_GROUP)]
    assert sorted(values[kept]) == sorted(values.iloc[: len(kept)])  # the most frequent keep their colour
    assert (groups == sim.OTHER_GROUP).sum() == values.drop(kept).sum()
    assert f"`labels` ({len(values):,} distinct values; the {len(kept)} most frequent" in said
    assert f"{blank:,} documents without a value" in said


def test_repeated_titles_get_a_date_or_id(data_dir):
    docs = load_corpus(data_dir / "xwlb_dated_heldout" / "xwlb_dated_heldout.jsonl").docs
    labels = sim.short_labels(docs["title"], [""] * len(docs))  # the titles alone: 国内联播快讯 recurs
    assert labels.count("国内联播快讯") > 1
    shown = sim.distinct_labels(labels, docs["doc_id"], docs["date"])
    assert len(set(shown)) == len(shown)  # every row of a heatmap or dendrogram can be told apart
    for label, full in zip(labels, shown):
        assert full == label if labels.count(label) == 1 else full.startswith(f"{label} · ")


def test_similar_pairs_table_has_top_k_per_document_and_method(seeds):
    docs, tokens = seeds
    index = sim.SimilarityIndex.fit(tokens, doc_ids=docs["doc_id"], lda_topics=3, lda_passes=2)
    pairs = index.similar_pairs(k=3)
    assert list(pairs.columns) == ["doc_a", "doc_b", "method", "rank", "score"]
    counts = pairs.groupby(["method", "doc_a"]).size()
    assert (counts == 3).all() and len(counts) == 3 * len(docs)
    assert (pairs["doc_a"] != pairs["doc_b"]).all()
    assert pairs["score"].between(0, 1).all()
    top = sim.most_similar_pairs(pairs, n=2)
    assert (top.groupby("method").size() <= 2).all()


def test_query_finds_the_document_it_quotes(seeds):
    docs, tokens = seeds
    index = sim.SimilarityIndex.fit(tokens, doc_ids=docs["doc_id"], methods=("tfidf", "lsi"))
    sentence = docs["text"][2].split("\n")[1]
    for method in ("tfidf", "lsi"):
        hits = index.query_tokens(tokenize(sentence), k=3, method=method)
        assert hits["doc_id"].iloc[0] == docs["doc_id"][2]
        assert hits["score"].is_monotonic_decreasing
    paragraphs = docs["text"][2].split("\n")
    ranked = sim.rank_texts(index, tokenize(sentence), tokenize_corpus(paragraphs, n_jobs=1), k=1)
    assert ranked["position"].iloc[0] == 1


def test_query_results_rank_documents_and_paragraphs(seeds):
    docs, tokens = seeds
    index = sim.SimilarityIndex.fit(tokens, doc_ids=docs["doc_id"], methods=("tfidf", "lsi"))
    sentence = docs["text"][2].split("\n")[1]
    paragraphs = sim.paragraph_table(docs["doc_id"], docs["text"])
    assert (paragraphs.groupby("doc_id")["paragraph"].min() == 0).all()
    para_tokens = tokenize_corpus(paragraphs["text"].tolist(), n_jobs=1)
    table = sim.query_results(index, tokenize(sentence), paragraphs, para_tokens, k=3)
    assert list(table.columns) == sim.QUERY_COLUMNS
    assert table.groupby(["level", "method"]).size().to_dict() == {
        (level, m): 3 for level in ("document", "paragraph") for m in ("lsi", "tfidf")
    }
    best = table[(table["level"] == "paragraph") & (table["rank"] == 1)]
    assert (best["doc_id"] == docs["doc_id"][2]).all() and (best["snippet"] == sentence[:80]).all()
    found = table[(table["level"] == "document") & (table["rank"] == 1)]  # the quoted paragraph, not the first line
    assert (found["paragraph"] == 1).all() and (found["snippet"] == sentence[:80]).all()
    empty = sim.query_results(index, [], paragraphs, para_tokens)
    assert empty.empty and list(empty.columns) == sim.QUERY_COLUMNS


def test_load_doc_topics_matches_ids(tmp_path):
    table = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "topic": [1, 2, 1, 2], "weight": [0.2, 0.8, 0.5, 0.5]})
    table.to_csv(tmp_path / "doc_topics.csv", index=False)
    theta = sim.load_doc_topics(tmp_path / "doc_topics.csv", ["b", "a"])
    np.testing.assert_allclose(theta, [[0.5, 0.5], [0.2, 0.8]])


def test_load_doc_topics_of_another_corpus_is_an_error_naming_the_file(tmp_path, seeds):
    """A doc_topics.csv whose ids are not this corpus's is refused with the file and the differing ids, never
    silently replaced by something else (the old behaviour returned None)."""
    docs, _ = seeds
    path = tmp_path / "doc_topics.csv"
    wrong = [f"{d}-old" for d in docs["doc_id"]]
    pd.DataFrame({"doc_id": wrong, "topic": 1, "weight": 1.0}).to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"doc_topics\.csv: its doc ids do not match the corpus") as err:
        sim.load_doc_topics(path, docs["doc_id"])
    assert f"{len(docs)} corpus ids not in the file" in str(err.value) and wrong[0] in str(err.value)
    with pytest.raises(FileNotFoundError, match="missing.csv"):
        sim.load_doc_topics(tmp_path / "missing.csv", docs["doc_id"])
    pd.DataFrame({"id": docs["doc_id"], "share": 1.0}).to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"not a doc_topics table.*'id', 'share'"):
        sim.load_doc_topics(path, docs["doc_id"])


def test_similarity_matrix_refuses_large_corpora():
    with pytest.raises(ValueError, match="too many"):
        sim.similarity_matrix(sp.identity(5001, format="csr"))


def test_map_and_labels(seeds):
    docs, tokens = seeds
    index = sim.SimilarityIndex.fit(tokens, doc_ids=docs["doc_id"], methods=("lsi",))
    xy = sim.map_2d(index.vectors["lsi"])
    assert xy.shape == (5, 2) and np.isfinite(xy).all()
    labels = sim.short_labels(docs["title"], docs["text"])
    assert all(len(lab) <= 15 for lab in labels)


def _reference_top_k(S: np.ndarray, k: int):
    """Full sort of a dense similarity matrix (self excluded): by score, then by the lower index."""
    S = S.astype(np.float64)
    np.fill_diagonal(S, -np.inf)
    order = np.lexsort((np.tile(np.arange(S.shape[1]), (S.shape[0], 1)), -S), axis=1)[:, :k]
    return order, np.take_along_axis(S, order, axis=1)


def test_top_k_equals_a_full_sort_for_every_representation(news):
    _, tokens = news
    index = sim.SimilarityIndex.fit(tokens, methods=("tfidf", "lsi"), lsi_components=20)
    theta = np.random.default_rng(0).dirichlet(np.full(8, 0.3), size=len(tokens))
    for name, V, transform in [
        ("tfidf", index.vectors["tfidf"], None),
        ("lsi", index.vectors["lsi"], None),
        ("lda", np.sqrt(theta), sim._bc_to_similarity),
    ]:
        S = sim._dense(V @ V.T)
        if transform is not None:
            S = transform(S.astype(np.float64))
        ref_idx, ref_scores = _reference_top_k(S, 5)
        for block in (1, 13, 1000):
            idx, scores = sim.top_k_neighbours(V, k=5, block_size=block, transform=transform)
            assert scores.dtype == np.float64, name
            np.testing.assert_array_equal(idx, ref_idx, err_msg=name)
            if name == "tfidf":  # sparse products: the same sums whatever the block
                np.testing.assert_array_equal(scores, ref_scores, err_msg=name)
            else:  # dense BLAS products may differ in the last bit with the shape of the block
                np.testing.assert_allclose(scores, ref_scores, rtol=1e-12, atol=1e-12, err_msg=name)


def test_ties_at_the_kth_place_go_to_the_lower_index():
    # rows 1..4 are identical: each has three neighbours scoring 1 and the others 0
    V = np.eye(4)[[0, 1, 1, 1, 1, 2, 3, 2]]
    for M in (V, sp.csr_matrix(V.astype(np.float32))):
        idx, scores = sim.top_k_neighbours(M, k=2)
        assert idx[0].tolist() == [1, 2] and scores[0].tolist() == [0.0, 0.0]
        assert idx[3].tolist() == [1, 2] and scores[3].tolist() == [1.0, 1.0]
        assert idx[5].tolist() == [7, 0] and idx[7].tolist() == [5, 0]
        idx_all, _ = sim.top_k_neighbours(M, k=7)
        assert idx_all[2].tolist() == [1, 3, 4, 0, 5, 6, 7]
        idx_self, _ = sim.top_k_neighbours(M, k=8, exclude_self=False)
        assert idx_self[2].tolist()[:4] == [1, 2, 3, 4]


def test_central_document_is_not_a_story_that_is_only_central_by_its_copies(news):
    """Three copies of one short story are each other's nearest neighbours (cosine 1); that does not make them central."""
    docs, tokens = news
    docs, tokens = docs.iloc[:60].reset_index(drop=True), tokens[:60]
    short = min(range(len(docs)), key=lambda i: len(docs.text[i]))
    copies = pd.DataFrame({"doc_id": [f"copy{i}" for i in range(3)], "text": docs.text[short]})
    all_ids = list(docs.doc_id) + list(copies.doc_id)
    index = sim.SimilarityIndex.fit(tokens + [tokens[short]] * 3, doc_ids=all_ids, methods=("tfidf",))
    pairs = index.similar_pairs(k=5)
    central = sim.central_document(pairs, all_ids, method="tfidf")
    assert central not in set(copies.doc_id) | {docs.doc_id[short]}
    naive = sim.central_document(pairs, all_ids, method="tfidf", copy_score=1.01)  # the old rule: copies count
    assert naive in set(copies.doc_id) | {docs.doc_id[short]}


def test_central_document_ignores_its_reprint_cluster(news):
    """A reprint pair below the copy score (an edited reprint) is still one story: its cluster says so."""
    docs, tokens = news
    docs, tokens = docs.iloc[:60].reset_index(drop=True), list(tokens[:60])
    short = min(range(len(docs)), key=lambda i: len(docs.text[i]))
    edited = tokens[short][: int(len(tokens[short]) * 0.8)]  # the same story, its last fifth cut
    ids = list(docs.doc_id) + ["reprint"]
    index = sim.SimilarityIndex.fit(tokens + [edited], doc_ids=ids, methods=("tfidf",))
    pairs = index.similar_pairs(k=5)
    score = pairs[(pairs.doc_a == "reprint") & (pairs.doc_b == docs.doc_id[short])]["score"]
    assert len(score) and score.iloc[0] < sim.COPY_SCORE  # not a copy by score alone
    clusters = pd.DataFrame({"doc_id": [docs.doc_id[short], "reprint"], "cluster": [0, 0]})
    central = sim.central_document(pairs, ids, method="tfidf", clusters=clusters)
    assert central not in {docs.doc_id[short], "reprint"}
    assert sim.central_document(pairs, ids, method="tfidf") in {docs.doc_id[short], "reprint"}  # without its cluster


def test_background_model_places_a_corpus_and_its_queries_in_one_space(news):
    docs, tokens = news
    texts = sim.background_features(docs)
    index = sim.SimilarityIndex.fit(tokens, texts=texts, methods=("background",), seed=0)
    model, Z = index.background, index.vectors["background"]
    assert Z.shape == (len(docs), sum(sim.BACKGROUND_DIMENSIONS) + len(model.terms))
    assert index.background_space.title_weight == 0  # no titles given: rows are the merged spaces only
    assert np.allclose(np.sqrt(Z.multiply(Z).sum(axis=1)), 1.0, atol=1e-5)
    # a text placed again lands on its own row; the shipped model loads as data (no pickle)
    again = model.project(texts[:3], index.background_space)
    assert np.allclose(again.toarray(), Z[:3].toarray(), atol=1e-5)
    assert model.sketch.shape[1] == len(model.terms)


def test_background_titles_add_their_own_cosine_without_pushing_untitled_documents_away(news):
    docs, _ = news
    docs = docs.iloc[:40].assign(title=[f"体育新闻{i}" if i % 2 else None for i in range(40)])
    model = sim.BackgroundModel.load()
    space, V = model.embed(sim.background_features(docs), titles=sim.background_titles(docs))
    _, plain = model.embed(sim.background_features(docs))
    S, P, w = (V @ V.T).toarray(), (plain @ plain.T).toarray(), sim.TITLE_WEIGHT
    titled = np.array([isinstance(t, str) for t in docs["title"]])
    assert space.title_weight == w and np.allclose(np.diag(S)[titled], 1.0, atol=1e-5)
    # an untitled document ranks its neighbours as without titles; titled pairs gain their titles' cosine
    assert np.allclose(S[~titled], P[~titled] / (1 + w), atol=1e-5)
    assert (S[np.ix_(titled, titled)] > P[np.ix_(titled, titled)] / (1 + w) + 1e-3).all()
    assert S.max() <= 1.0 + 1e-5
    assert np.allclose(np.diag(sim.similarity_matrix(V)), 1.0)  # each document with itself, titled or not


def test_background_method_needs_texts_and_is_fitted_only_when_given_them(seeds):
    _, tokens = seeds
    assert "background" not in sim.SimilarityIndex.fit(tokens, methods=None, lda_topics=2).methods
    with pytest.raises(ValueError, match="texts"):
        sim.SimilarityIndex.fit(tokens, methods=("background",))


def test_lda_is_not_a_similarity_of_short_texts_and_has_at_most_one_topic_per_two_documents(data_dir):
    """First sentences of held-out CCTV stories (median under 20 tokens): by default LDA is fitted (for the map) but
    not offered as a similarity, and the index says why; whole stories keep it; 8 documents get 4 topics, not 10."""
    from helpers.similarity import first_sentence

    docs = load_corpus(data_dir / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl").docs.iloc[:120]
    short = tokenize_corpus([first_sentence(t) for t in docs["text"]], n_jobs=1)
    index = sim.SimilarityIndex.fit(short, methods=None, lsi_components=20, lda_topics=10, seed=0)
    assert index.methods == ["tfidf", "lsi"] and index.theta.shape == (len(docs), 10)
    assert "LDA topic similarity is not used: the median document has" in index.notes["lda"]
    assert sim.SimilarityIndex.fit(short, methods=("lda",), lda_topics=10).methods == ["lda"]  # asked for: kept
    whole = tokenize_corpus(docs["text"].iloc[:8].tolist(), n_jobs=1)
    small = sim.SimilarityIndex.fit(whole, lsi_components=5, lda_topics=10, seed=0)
    assert small.methods == ["tfidf", "lsi", "lda"] and "lda" not in small.notes
    assert small.theta.shape == (8, 4) and "4 topics, not 10" in small.notes["lda_topics"]


def test_lda_is_set_aside_when_its_scores_are_saturated_on_abstracts_but_kept_on_news(data_dir, news):
    """CSL abstracts (median ~70 tokens, many disciplines): many LDA neighbours tie at >= 0.99 between abstracts
    sharing few words, so LDA is not a similarity and the note gives the measured figures; labelled news ties too,
    but within a category (its tied pairs share words), so LDA stays, with the figures measured."""
    abstracts = load_corpus(data_dir / "csl_sample" / "csl_sample.jsonl", text_column="abstract").docs
    tokens = tokenize_corpus(abstracts["text"].tolist(), n_jobs=1)
    assert sim.lda_unsuitable(tokens) is None  # long enough for the median rule: only saturation sets LDA aside
    index = sim.SimilarityIndex.fit(tokens, methods=("tfidf", "lda"), lda_topics=10, seed=0)
    check = sim.lda_saturation(index.vectors["lda"], index.vectors["tfidf"], seed=0)
    assert check.saturated and check.tied_share >= sim.LDA_SATURATED_SHARE
    chosen = sim.SimilarityIndex.fit(tokens, lsi_components=20, lda_topics=10, seed=0)
    assert "lda" not in chosen.methods and chosen.theta is not None and chosen.lda_check == check
    assert chosen.notes["lda"].startswith("LDA topic similarity is not used: its scores are saturated.")
    assert f"{check.tied_share:.0%} of the 5 nearest neighbours by LDA of 300 documents" in chosen.notes["lda"]
    _, news_tokens = news
    kept = sim.SimilarityIndex.fit(news_tokens, lsi_components=20, lda_topics=10, seed=0)
    assert "lda" in kept.methods and "lda" not in kept.notes and not kept.lda_check.saturated
    assert kept.lda_check.word_agreement >= sim.LDA_MIN_WORD_AGREEMENT > check.word_agreement
    assert sim.lda_saturation_sentence(kept.lda_check).startswith("LDA topic similarity is used: ")


def test_recurring_titles_say_very_similar_can_be_the_same_format(data_dir, news):
    """CCTV's daily bulletins (国际联播快讯) share a title and layout, not a story: the sentence under the most similar
    pairs names them from the corpus; a corpus without recurring titles gets no such names."""
    docs = load_corpus(data_dir / "xwlb_sections_2019" / "xwlb_sections_2019.jsonl").docs
    counts = sim.recurring_titles(docs["title"])  # the titles as loaded (04 passes them; not the headlines joined)
    assert counts.index[0] == "国际联播快讯" and counts.iloc[0] == (docs["title"] == "国际联播快讯").sum() > 10
    assert (counts > 1).all() and counts.is_monotonic_decreasing
    bulletins = docs[docs["title"] == "国际联播快讯"]
    assert bulletins["date"].nunique() > 10  # one format, many days: not one story
    sentence = sim.same_format_sentence(docs["title"])
    assert "same format" in sentence and f"国际联播快讯 ({counts.iloc[0]:,} documents)" in sentence
    assert sim.same_format_sentence(sim.background_titles(news[0])).startswith("No title recurs")


#: within-group mean similarity minus across-group mean that the figure sample must reach on the held-out CCTV
#: sections (measured 0.80 − 0.06 = 0.74 with background LSI; a random sample of them has no groups at all)
FIGURE_CONTRAST = 0.5


def test_figure_sample_shows_groups_of_similar_documents(data_dir, monkeypatch):
    """Review R7: above max_heatmap_docs, the figures show groups of neighbours, bright within and dark across."""
    docs = load_corpus(data_dir / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl").docs
    texts, titles = sim.background_features(docs), sim.background_titles(docs)
    tokens = tokenize_corpus(docs["text"].tolist(), n_jobs=1)
    index = sim.SimilarityIndex.fit(tokens, doc_ids=docs["doc_id"], texts=texts, titles=titles, methods=("background",))
    pairs = index.similar_pairs(k=5)
    S = index.matrix("background")

    def no_dense(*args, **kwargs):
        raise AssertionError("figure_sample must not build an N x N matrix")

    monkeypatch.setattr(sim, "similarity_matrix", no_dense)
    shown = sim.figure_sample(index, pairs, max_rows=30)
    assert len(shown.rows) == len(set(shown.rows)) == 30 and shown.n_total == len(docs)
    assert shown.n_groups >= 5 and (np.diff(shown.group) >= 0).all()  # rows group by group
    assert np.bincount(shown.group).max() <= sim.FIGURE_GROUP_SIZE
    sub, same = S[np.ix_(shown.rows, shown.rows)], shown.group[:, None] == shown.group[None, :]
    within, across = sub[same & ~np.eye(30, dtype=bool)].mean(), sub[~same].mean()
    assert within >= across + FIGURE_CONTRAST
    everyone = S[~np.eye(len(docs), dtype=bool)].mean()
    assert across < everyone  # the groups are less alike than two documents taken at random
    again = sim.figure_sample(index, pairs.sample(frac=1.0, random_state=1), max_rows=30)  # rows in another order
    assert again.rows.tolist() == shown.rows.tolist() and again.group.tolist() == shown.group.tolist()
    small = sim.SimilarityIndex.fit(tokens[:20], texts=texts[:20], titles=titles[:20], methods=("background",))
    whole = sim.figure_sample(small, small.similar_pairs(k=5), max_rows=30)
    assert whole.rows.tolist() == list(range(20)) and whole.group is None and whole.n_groups == 0


def test_headlines_without_titles_count_their_recurring_texts_as_the_reprint_section_does(data_dir, tmp_path):
    """Review R8b: a CSV of headlines read as text has no titles; the sentence under the most similar pairs said
    "No title recurs" while bulletin headings (国际联播快讯) filled the table. It counts the recurring texts, the
    same groups that the reprint section lists as identical texts."""
    from helpers import reprints as rp

    stories = pd.read_json(data_dir / "xwlb_sections_2019" / "xwlb_sections_2019.jsonl", lines=True, dtype=False)
    table = tmp_path / "headlines.csv"
    stories[["id", "title"]].rename(columns={"title": "标题"}).to_csv(table, index=False)
    docs = load_corpus(table, text_column="标题").docs
    titles = sim.background_titles(docs)
    assert not any(titles)
    sentence = sim.same_format_sentence(titles, docs["text"])
    bulletins = int((stories["title"] == "国际联播快讯").sum())
    assert not sentence.startswith("No title recurs") and f"国际联播快讯 ({bulletins:,} documents)" in sentence
    identical = rp.find_near_duplicates(docs["text"].tolist(), doc_ids=docs["doc_id"].tolist()).identical
    counts = sim.recurring_texts(docs["text"])
    assert (len(counts), int(counts.sum())) == (identical["group"].nunique(), len(identical))
    assert f"{len(counts):,} texts recur in this corpus, carried by {len(identical):,} documents" in sentence
    # some documents titled, the bulletins not: both recurring titles and the recurring text are counted
    some = [("" if t == "国际联播快讯" else t) for t in stories["title"]]
    mixed = sim.same_format_sentence(some, stories["title"])
    assert "same format" in mixed and f"Among the {bulletins} documents without a title, 1 text recurs" in mixed
    # stories with their titles: the titles are counted, as before; untitled stories that never repeat say so
    assert "same format" in sim.same_format_sentence(stories["title"], stories["text"])
    unique = stories.drop_duplicates("title")["title"].tolist()
    assert sim.same_format_sentence([""] * len(unique), unique).startswith("No document has a title and no text")


def _plain(html: str) -> list[str]:
    """The paragraphs of a story of the shipped xwlb slices (HTML paragraphs, ideographic spaces)."""
    import re

    lines = re.sub(r"<[^>]+>", "\n", html).split("\n")
    return [line.strip().replace("\u3000", "") for line in lines if line.strip()]


@pytest.fixture(scope="module")
def broadcast_days(data_dir):
    """Review R8a's kind of corpus: one text per broadcast day, 3–6 CCTV stories each (title line, then the text,
    whose lead-in 央视网消息（新闻联播）： stands on its own line), from the dated held-out slice."""
    stories = pd.read_json(data_dir / "xwlb_dated_heldout" / "xwlb_dated_heldout.jsonl", lines=True, dtype=False)
    days, start = [], 0
    while start < 120:
        size = 3 + len(days) % 4
        part = stories.iloc[start : start + size]
        days.append("\n".join(line for s in part.itertuples() for line in [s.title, *_plain(s.text)]))
        start += size
    return days


def test_default_query_is_no_lead_in_nor_a_stock_line_but_a_sentence_with_content(broadcast_days, data_dir):
    """Review R8a: the query picked by default was the bare lead-in 央视网消息（新闻联播）： (2 content words), and
    every paragraph hit was that line at 1.000. The picker skips sentences with too few content words and
    sentences that recur across documents (a meeting report's stock lines, with many words)."""
    days = broadcast_days
    lead_in = [t for t in days if sim.first_sentence(t).startswith("央视网消息")]
    assert len(lead_in) >= 5  # the old picker's choice for these days
    for text in days:
        query = sim.query_sentence(text, days)
        assert query in text and query not in ("央视网消息（新闻联播）：", "央视网消息(新闻联播)：")
        assert len(tokenize(query)) >= sim.QUERY_MIN_WORDS
        assert sum(query.rstrip("。！？；") in t for t in days) < sim.QUERY_MAX_HOLDERS
    # reports of one session's presidium share long stock lines; cut their opening sentence so that they lead
    reports = load_corpus(data_dir / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl").docs["text"]
    presidium = [t.split("。", 1)[1].strip() for t in reports if "会议应到190人" in t]
    corpus = [*reports, *presidium]
    assert len(presidium) >= 2
    for text in presidium:
        stock = sim.first_sentence(text)  # 主席团常务主席陈希、王晨…出席会议。: 18 words, in every report
        assert sum(stock.rstrip("。") in t for t in corpus) >= sim.QUERY_MAX_HOLDERS
        query = sim.query_sentence(text, corpus)
        assert sum(query.rstrip("。") in t for t in corpus) < sim.QUERY_MAX_HOLDERS and query in text


def test_a_document_hit_shows_the_paragraph_that_matched_not_its_first_line(broadcast_days):
    """Review R8a: a document hit showed its first 12–15 characters (央视网消息（新闻联播）： 西…), which says nothing
    of what matched in a 4,000-character day; it shows the snippet of its best paragraph, the paragraph level's."""
    days = broadcast_days
    ids = [f"day{i:02d}" for i in range(len(days))]
    index = sim.SimilarityIndex.fit(tokenize_corpus(days, n_jobs=1), doc_ids=ids, methods=("tfidf", "lsi"))
    paragraphs = sim.paragraph_table(ids, days)
    para_tokens = tokenize_corpus(paragraphs["text"].tolist(), n_jobs=1)
    query = sim.query_sentence(days[7], days)
    table = sim.query_results(index, tokenize(query), paragraphs, para_tokens, k=5)
    hits = table[table["level"] == "document"]
    assert (hits["snippet"] != [days[ids.index(d)][:15] for d in hits["doc_id"]]).all()
    for hit in hits.itertuples():
        shown = paragraphs[(paragraphs["doc_id"] == hit.doc_id) & (paragraphs["paragraph"] == hit.paragraph)]
        assert hit.snippet == shown["text"].iloc[0][: sim.SNIPPET_CHARS]
    best = table[(table["rank"] == 1)].set_index(["level", "method"])
    for method in ("tfidf", "lsi"):  # the best document holds the best paragraph: the same line is shown
        assert best.loc[("document", method), "snippet"] == best.loc[("paragraph", method), "snippet"]
        assert query[:20] in best.loc[("document", method), "snippet"]


def test_figure_groups_are_not_copies_of_one_text(data_dir):
    """H11's item: a group of five copies of 国际联播快讯 is a bright block that says nothing. Headlines of one
    broadcaster read as text (review R8b's kind of corpus): no two documents of the figure have one text, whereas
    without the copy rule they fill whole groups."""
    stories = pd.read_json(data_dir / "xwlb_sections_2019" / "xwlb_sections_2019.jsonl", lines=True, dtype=False)
    docs = pd.DataFrame({"doc_id": stories["id"], "text": stories["title"], "title": ""})
    tokens = tokenize_corpus(docs["text"].tolist(), n_jobs=1)
    index = sim.SimilarityIndex.fit(
        tokens, doc_ids=docs["doc_id"].tolist(), texts=sim.background_features(docs), methods=("background", "tfidf")
    )
    pairs = index.similar_pairs(k=5)
    shown = sim.figure_sample(index, pairs, max_rows=30)
    texts = docs["text"].iloc[shown.rows]
    assert shown.n_groups >= 3 and not texts.duplicated().any(), texts[texts.duplicated(keep=False)].tolist()
    before = sim.figure_sample(index, pairs, max_rows=30, copy_score=1.01)  # no pair is a copy
    assert docs["text"].iloc[before.rows].duplicated().sum() >= 4


def test_long_multi_story_documents_say_to_read_the_paragraph_ranking(broadcast_days, data_dir):
    """Review R9a N3: on day files of several stories, document scores of a query were diluted (TF-IDF 0.012-0.021)
    and the page did not say so. Above MANY_PARAGRAPHS paragraphs per document (median) a sentence says to read
    the paragraph ranking, with the measured best scores; on single stories it says nothing."""
    stories = pd.read_json(data_dir / "xwlb_dated_heldout" / "xwlb_dated_heldout.jsonl", lines=True, dtype=False)
    singles = ["\n".join([s.title, *_plain(s.text)]) for s in stories.iloc[:120].itertuples()]
    notes = {}
    for name, texts in {"days": broadcast_days, "stories": singles}.items():
        ids = [f"{name}{i:03d}" for i in range(len(texts))]
        index = sim.SimilarityIndex.fit(tokenize_corpus(texts, n_jobs=1), doc_ids=ids, methods=("tfidf",))
        paragraphs = sim.paragraph_table(ids, texts)
        para_tokens = tokenize_corpus(paragraphs["text"].tolist(), n_jobs=1)
        query = sim.query_sentence(texts[7], texts)
        table = sim.query_results(index, tokenize(query), paragraphs, para_tokens, k=5, methods=("tfidf",))
        best = table.groupby("level")["score"].max()
        notes[name] = (sim.paragraph_ranking_note(paragraphs, table), best)
    note, best = notes["days"]
    assert note.startswith("**Read the paragraph ranking here.**") and best["document"] < best["paragraph"] / 2
    assert f"best document {best['document']:.3f}, best paragraph {best['paragraph']:.3f}" in note
    assert notes["stories"][0] == ""


def test_default_method_is_the_corpus_own_when_the_background_model_knows_too_little_of_it(data_dir, news):
    """Review R10a: on abstracts of many sciences, background LSI paired 白藜芦醇的合成 with 安吖啶的合成 (the names of
    the substances are no character pairs it learned). Held-out CCTV stories are mostly words it can read, so it
    stays the default there; CSL abstracts and Sina-like labelled news are far below the threshold, so the
    corpus's own TF-IDF is the default, and the sentence gives the share measured and words it cannot read."""
    model = sim.BackgroundModel.load()
    cctv = load_corpus(data_dir / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl").docs.head(120)
    cctv_tokens = tokenize_corpus(cctv["text"].tolist(), n_jobs=1)
    abstracts = load_corpus(data_dir / "csl_sample" / "csl_sample.jsonl", text_column="abstract").docs.head(120)
    csl_tokens = tokenize_corpus(abstracts["text"].tolist(), n_jobs=1)
    methods = ["background", "tfidf", "lsi"]
    kept = sim.default_method(cctv_tokens, methods, model=model)
    assert kept.method == "background" and kept.known_share >= sim.BACKGROUND_MIN_KNOWN_SHARE + 0.05
    assert kept.sentence.startswith("**Background LSI** is used for ")
    assert f"{kept.known_share:.0%} of this corpus's" in kept.sentence and "at least the 70%" in kept.sentence
    for tokens in (csl_tokens, news[1]):
        own = sim.default_method(tokens, methods, model=model)
        assert own.method == sim.OWN_METHOD == "tfidf" and own.name == "TF-IDF cosine" and own.name_zh == "TF-IDF"
        assert own.known_share <= sim.BACKGROUND_MIN_KNOWN_SHARE - 0.05
        assert own.known_share == pytest.approx(sim.background_known_share(tokens, model))
        assert f"only {own.known_share:.0%} of this corpus's" in own.sentence and "below the 70%" in own.sentence
        unread = own.sentence.split("knows no character pair: ")[1].split(")")[0].split("、")
        vocabulary = set(model.terms.tolist())
        assert len(unread) == sim.SHOWN_UNKNOWN_WORDS
        assert all(not any(w[i : i + 2] in vocabulary for i in range(len(w) - 1)) for w in unread)
        assert all(any(w in doc for doc in tokens) for w in unread)  # words of this corpus
    # without the background method, the corpus's own; a corpus without a word of two characters cannot be measured
    assert sim.default_method(csl_tokens, ["tfidf", "lsi"]).method == "tfidf"
    assert sim.default_method(csl_tokens, ["lsi", "lda"]).method == "lsi"
    none = sim.default_method([["的"], ["了"]], methods, model=model)
    assert none.method == "tfidf" and np.isnan(none.known_share) and "cannot be measured" in none.sentence


def test_a_folder_column_labels_documents_only_when_files_are_filed_in_two_folders(news):
    """The loader names each file's first-level subfolder in ``folder`` (sina/体育/x.txt → 体育): 03 and 04 take it
    as the label column, after any explicit category column, and only when it names two folders or more."""
    docs, _ = news
    filed = docs.drop(columns=["label"]).assign(folder=docs["label"])
    assert sim.LABEL_COLUMNS[-1] == "folder" and sim.find_label_column(filed) == "folder"
    groups, name, said = sim.document_groups(filed, None)
    assert name == "folder" and groups.tolist() == docs["label"].tolist()
    assert said.startswith(f"Colours show the values of the column `folder` ({docs['label'].nunique()} distinct")
    assert sim.find_label_column(docs.assign(folder=docs["label"])) == "label"  # a category column comes first
    one = docs.drop(columns=["label"]).assign(folder="体育")
    assert sim.find_label_column(one) is None
    theta = np.tile([0.1, 0.9], (len(docs), 1))
    _, name, said = sim.document_groups(one, theta, topic_names={1: "T1 a", 2: "T2 b"})
    assert name == "LDA 主题" and "nor a folder column naming two subfolders or more" in said
    assert said.endswith(f"two subfolders or more, {sim.LabelChoice.absent()}).")  # nor a column such as 来源


def test_a_day_file_is_labelled_and_titled_by_all_its_stories(tmp_path):
    """Round 11: a day file of 新闻联播 (four stories, each a headline line then its text) was labelled, and given
    the title block of the background method, by its first story's headline alone. Its label now reads
    ``first headline (+3 more)`` and its title block holds every headline; a single story keeps its title."""
    from helpers.clean import document_headlines
    from tests.test_corpus_days import STORIES, STORIES_PER_DAY, _days

    _days(tmp_path / "days", 8)
    docs = load_corpus(tmp_path / "days", cache=False).docs.sort_values("date", kind="stable")
    heads = [[h for _, h in document_headlines(t, x)] for t, x in zip(docs["title"], docs["text"])]
    # every day holds several stories (a 国际联播快讯 bulletin holds several items of its own, each with a headline)
    assert len(docs) == 8 and all(len(h) >= 2 for h in heads)
    written = {r["title"] for r in STORIES[: 8 * STORIES_PER_DAY]}  # the stories' headlines as the files hold them
    assert len({h for day in heads for h in day} & written) >= 8 * (STORIES_PER_DAY - 1)
    labels = sim.short_labels(docs["title"], docs["text"], width=10)
    for label, own in zip(labels, heads):
        first = own[0] if len(own[0]) <= 10 else own[0][:10] + "…"
        assert label == f"{first} (+{len(own) - 1} more)"
    titles = sim.background_titles(docs)
    assert titles == ["。".join(own) for own in heads]
    features = sim.background_features(docs, title_repeat=1)
    assert all(f.startswith(t + "\n") for f, t in zip(features, titles))
    # one story a document: its title, as before
    story = STORIES[0]
    single = pd.DataFrame({"title": [story["title"]], "text": [story["text"]]})
    assert sim.background_titles(single) == [story["title"]]
    assert sim.short_labels(single["title"], single["text"], width=40) == [story["title"]]


def _background_index(frame: pd.DataFrame) -> sim.SimilarityIndex:
    """The TF-IDF and background index of a frame of documents (``doc_id``, ``text``, ``title``)."""
    tokens = tokenize_corpus(frame.text.tolist(), progress=False)
    return sim.SimilarityIndex.fit(
        tokens, doc_ids=frame.doc_id.tolist(), texts=sim.background_features(frame),
        titles=sim.background_titles(frame), methods=("tfidf", "background"),
    )  # fmt: skip


def test_scores_crowding_near_1_on_headlines_are_said(data_dir):
    """Background LSI on headlines alone (data/xwlb_sections_heldout's titles, 6 tokens): the median nearest
    neighbour scores over 0.9 and 04 says a score near 1 does not mean near-identical texts (review S, session 12:
    阿富汗自杀式袭击致21死40多伤 / 欧洲多地遭遇洪水袭击 scored 0.958); on the whole stories nothing is said."""
    docs = load_corpus(data_dir / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl").docs.head(150)
    sentence = sim.compressed_scores_sentence(_background_index(docs.assign(text=docs.title, title="")), "background")
    assert "scores crowd near 1" in sentence and "does not mean near-identical texts" in sentence, sentence
    assert sim.compressed_scores_sentence(_background_index(docs), "background") == ""
