"""Tests for helpers.topics on real text: the seed pages (agreement with labels: tests/test_validation_topics.py)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from helpers import topics as tp
from helpers.corpus import load_corpus
from helpers.tokenize import tokenize_corpus


@pytest.fixture(scope="module")
def seed_units():
    from helpers.corpus import load_corpus

    docs = load_corpus("../seeds").docs
    return docs, tp.make_units(docs, unit="paragraph", min_chars=80)


@pytest.fixture(scope="module")
def seed_model(seed_units):
    _, units = seed_units
    tokens = tokenize_corpus(units.text.tolist(), n_jobs=1)
    dictionary, report = tp.build_dictionary(tokens, no_below=5, no_above=0.5)
    bow = tp.bow_corpus(tokens, dictionary)
    model = tp.fit_lda(bow, dictionary, num_topics=4, random_state=0, passes=10, iterations=100)
    return tokens, dictionary, report, bow, model


def test_paragraph_units_cover_every_document(seed_units):
    docs, units = seed_units
    assert set(units.doc_id) == set(docs.doc_id)
    assert units.unit_id.is_unique
    assert len(units) > 5 * len(docs)  # the point of paragraph units: many more than five
    # joined short lines: every unit is long enough unless its document is shorter than the minimum
    assert (units.text.str.len() >= 80).all()
    # no text is lost: the characters of a document's units equal its non-blank lines
    for doc_id, text in zip(docs.doc_id, docs.text):
        lines = "".join(line.strip() for line in text.splitlines())
        assert "".join(units[units.doc_id == doc_id].text).replace("\n", "") == lines


def test_document_units_keep_ids():
    df = pd.DataFrame({"doc_id": ["x1", "x2"], "text": ["一\n二", "三"]})
    units = tp.make_units(df, unit="document")
    assert units.unit_id.tolist() == ["x1", "x2"] and units.text.tolist() == ["一\n二", "三"]
    with pytest.raises(ValueError, match="unit must be"):
        tp.make_units(df, unit="sentence")


def test_dictionary_filtering_on_tiny_corpus_is_reported(seed_model):
    _, dictionary, report, _, _ = seed_model
    assert report["n_units"] < 100
    assert report["no_below"] < 5 and "lowered" in report["note"]
    assert 0 < report["vocab_after"] < report["vocab_before"]
    assert len(dictionary) == report["vocab_after"]


def test_dictionary_filtering_that_removes_everything_fails_clearly():
    with pytest.raises(ValueError, match="no term left"):
        tp.build_dictionary([["扶贫"], ["扶贫"]], no_below=1, no_above=0.4)


@pytest.mark.parametrize("engine", tp.ENGINES)
def test_fit_is_reproducible(seed_model, engine):
    """A rerun with the same seed gives byte-identical tables, for either engine; another seed another model."""
    _, dictionary, _, bow, _ = seed_model
    kwargs = dict(num_topics=4, engine=engine, passes=10, iterations=100)
    model, again = (tp.fit_lda(bow, dictionary, random_state=0, **kwargs) for _ in range(2))
    assert tp.topics_table(model).to_csv().encode() == tp.topics_table(again).to_csv().encode()
    theta1 = tp.doc_topic_matrix(model, bow)
    if engine == "gensim":
        model.get_document_topics(bow[0])  # advances the model's random state
    theta2 = tp.doc_topic_matrix(again, bow)
    np.testing.assert_array_equal(theta1, theta2)
    np.testing.assert_array_equal(theta1, tp.doc_topic_matrix(model, bow))
    np.testing.assert_allclose(theta1.sum(axis=1), 1.0)
    other = tp.fit_lda(bow, dictionary, random_state=1, **kwargs)
    assert not tp.topics_table(model).equals(tp.topics_table(other))


def test_tomotopy_is_pinned_to_one_instruction_set_and_recorded():
    """Every x86-64 machine runs the same (SSE2) code path, so its numbers are the same; run_info says which ran."""
    import os

    info = tp.engine_info("tomotopy")
    assert info["isa"] == os.environ.get("TOMOTOPY_ISA", tp.TOMOTOPY_ISA) == tp.tomotopy_module().isa
    assert info["version"] and tp.engine_info("gensim")["engine"] == "gensim"
    with pytest.raises(ValueError, match="engine must be one of"):
        tp.engine_info("mallet")


def test_tomotopy_units_left_empty_get_the_prior(seed_model):
    """tomotopy aborts the process on an empty document: units with no term left never reach it."""
    _, dictionary, _, bow, _ = seed_model
    model = tp.fit_lda([[]] + bow + [[]], dictionary, num_topics=3, sweeps=50)
    theta = tp.doc_topic_matrix(model, [[], bow[0], [(0, 0)]])
    prior = np.asarray(model.model.alpha) / np.sum(model.model.alpha)
    np.testing.assert_allclose(theta[[0, 2]], [prior, prior])
    assert theta[1].argmax() == tp.doc_topic_matrix(model, [bow[0]])[0].argmax()
    with pytest.raises(ValueError, match="every unit is empty"):
        tp.fit_lda([[], []], dictionary, num_topics=2)
    with pytest.raises(ValueError, match="engine must be one of"):
        tp.fit_lda(bow, dictionary, num_topics=2, engine="mallet")


def test_streamed_corpus_gives_the_same_model(seed_units, seed_model, tmp_path):
    _, units = seed_units
    tokens, dictionary, _, bow, model = seed_model
    stream = tp.TokenStream(units.text.tolist(), chunk_size=7, n_jobs=1)
    assert list(stream) == tokens and len(stream) == len(tokens)
    mm = tp.bow_corpus(stream, dictionary, path=tmp_path / "c.mm")
    assert not isinstance(mm, list)
    assert [sorted((int(i), int(c)) for i, c in d) for d in mm] == [sorted(d) for d in bow]
    streamed = tp.fit_lda(mm, dictionary, num_topics=4, random_state=0, passes=10, iterations=100)
    pd.testing.assert_frame_equal(tp.topics_table(streamed), tp.topics_table(model))


def test_units_carry_the_document_title_only_for_document_units(seed_units):
    docs, paragraphs = seed_units
    assert (paragraphs.title == "").all()  # a paragraph does not carry the whole title's subject
    documents = tp.make_units(docs, unit="document")
    assert documents.title.tolist() == docs.title.fillna("").astype(str).tolist()
    assert (documents.title != "").any()
    assert (tp.make_units(docs.drop(columns="title"), unit="document").title == "").all()


def test_weighed_counts_cap_the_text_and_add_the_title(seed_units, tmp_path):
    """The counts LDA is fitted on, on the seed documents: each term of the text at most MAX_TERM_COUNT times,
    each title token TITLE_REPEATS times on top; streamed to disk they are the same vectors."""
    docs, _ = seed_units
    units = tp.make_units(docs, unit="document")
    tokens = tokenize_corpus(units.text.tolist(), n_jobs=1)
    titles = tokenize_corpus(units.title.tolist(), n_jobs=1)
    dictionary, _ = tp.build_dictionary(tokens, no_below=1, no_above=1.0, keep_n=None)
    raw = tp.bow_corpus(tokens, dictionary)
    assert max(c for doc in raw for _, c in doc) > tp.MAX_TERM_COUNT  # policy terms repeat in a page
    weighed = tp.bow_corpus(tokens, dictionary, titles=titles, max_count=tp.MAX_TERM_COUNT)
    for doc, title, got in zip(raw, titles, weighed):
        title_counts = pd.Series(title, dtype=object).value_counts()
        expected = {i: min(c, tp.MAX_TERM_COUNT) for i, c in doc}
        for word, c in title_counts.items():
            if word in dictionary.token2id:
                i = dictionary.token2id[word]
                expected[i] = expected.get(i, 0) + tp.TITLE_REPEATS * c
        assert dict(got) == expected
    assert sum(c for doc in weighed for _, c in doc) < sum(c for doc in raw for _, c in doc)
    stream = tp.TokenStream(units.text.tolist(), chunk_size=2, n_jobs=1)
    title_stream = tp.TokenStream(units.title.tolist(), chunk_size=2, n_jobs=1)
    mm = tp.bow_corpus(stream, dictionary, titles=title_stream, max_count=tp.MAX_TERM_COUNT, path=tmp_path / "w.mm")
    assert [sorted((int(i), int(c)) for i, c in d) for d in mm] == weighed
    with pytest.raises(ValueError):  # one title per text, or none
        tp.bow_corpus(tokens, dictionary, titles=titles[:-1])


def test_neighbours_are_stories_of_the_same_kind_and_add_their_counts():
    """On 80 cnews articles of 10 categories: a document's nearest documents (the background similarity) are
    mostly of its category, never itself, and add_neighbours adds exactly their counts."""
    from helpers.paths import DATA_DIR

    docs = pd.read_json(DATA_DIR / "cnews_sample" / "cnews_sample.jsonl", lines=True, dtype={"id": str})
    docs = docs.groupby("label").head(8).reset_index(drop=True)
    near = tp.document_neighbours(docs, k=3)
    assert near.shape == (len(docs), 3)
    assert not (near == np.arange(len(docs))[:, None]).any()
    same = (docs.label.to_numpy()[near] == docs.label.to_numpy()[:, None]).mean()
    assert same > 0.55, same  # measured 0.67; 0.1 by chance
    tokens = tokenize_corpus(docs.text.tolist(), n_jobs=1)
    dictionary, _ = tp.build_dictionary(tokens, no_below=2)
    bow = tp.bow_corpus(tokens, dictionary, max_count=tp.MAX_TERM_COUNT)
    joined = tp.add_neighbours(bow, near)
    for i, doc in enumerate(joined):
        expected = pd.concat([pd.Series(dict(bow[j]), dtype=int) for j in [i, *near[i]]]).groupby(level=0).sum()
        assert dict(doc) == expected[expected > 0].to_dict()
    with pytest.raises(ValueError):  # one row of neighbours per unit
        tp.add_neighbours(bow, near[:-1])


def test_coherence_is_finite_on_the_seeds(seed_model):
    tokens, dictionary, _, bow, model = seed_model
    scores = tp.coherence_scores(model, texts=tokens, bow=bow, dictionary=dictionary)
    for m in ("c_v", "c_npmi", "u_mass"):
        assert np.isfinite(scores[m])
    assert 0 <= scores["c_v"] <= 1 and -1 <= scores["c_npmi"] <= 1


def test_coherence_replaces_nan_explicitly(seed_model):
    tokens, dictionary, _, bow, model = seed_model
    # score the model against texts that lack some of its top terms: gensim gives NaN (c_v) and inf (c_npmi)
    top = set(tp.top_terms(model, topn=10)[0])
    texts = [[w for w in t if w not in top] for t in tokens]
    scores = tp.coherence_scores(model, texts=texts, bow=bow, dictionary=dictionary)
    assert scores["c_v_replaced"] >= 1 and scores["c_npmi_replaced"] >= 1
    assert all(np.isfinite(scores[m]) for m in ("c_v", "c_npmi", "u_mass"))


def test_match_topics_recovers_a_permutation(seed_model):
    _, _, _, _, model = seed_model
    terms = tp.top_terms(model, topn=10)
    perm = [2, 0, 3, 1]
    pairs, jac = tp.match_topics(terms, [terms[i] for i in perm])
    assert [perm[j] for j in pairs] == [0, 1, 2, 3]
    assert jac.tolist() == [1.0] * 4
    assert tp.stability_scores([terms, terms]) == [1.0, 1.0]
    assert np.isnan(tp.stability_scores([terms])[0])


def test_units_sentence_says_one_true_thing(seed_units):
    from helpers.corpus import load_corpus
    from helpers.paths import DATA_DIR

    docs, units = seed_units  # pages with paragraphs: split
    assert (
        tp.units_sentence(units, len(docs), unit="paragraph")
        == f"5 documents were modelled as {len(units)} paragraph units"
    )
    news = load_corpus(DATA_DIR / "cnews_sample" / "cnews_sample.jsonl").docs.head(40)  # one line per story
    whole = tp.make_units(news, unit="paragraph", min_chars=80)
    assert len(whole) == len(news)
    said = tp.units_sentence(whole, len(news), unit="paragraph")
    assert said.startswith("40 documents were modelled whole, one unit each") and "paragraph units" not in said
    # the word every later sentence uses for a unit (review R8b: "all 1,499 paragraphs" after "modelled whole")
    assert tp.modelled_unit(whole, len(news), unit="paragraph") == "document"
    assert tp.modelled_unit(units, len(docs), unit="paragraph") == "paragraph"
    assert tp.sweep_sample_sentence(len(whole), len(whole), what="documents") == "The sweep used all 40 documents."


def test_k_sweep_table_and_choice(seed_model):
    tokens, dictionary, _, bow, _ = seed_model
    sweep = tp.k_sweep(bow, dictionary, tokens, k_range=[2, 4], seeds=[0, 1], passes=5, iterations=50)
    assert list(sweep.columns[:7]) == ["k", "seed", "c_v", "c_npmi", "u_mass", "stability", "bound"]
    assert len(sweep) == 4 and not sweep[["c_v", "c_npmi", "u_mass", "stability"]].isna().any().any()
    assert sweep.stability.between(0, 1).all()
    k, reason = tp.choose_k(sweep)
    assert k in (2, 4) and f"K={k}" in reason
    assert tp.best_seed(sweep, k) in (0, 1)
    summary = tp.summarise_sweep(sweep)
    assert summary.k.tolist() == [2, 4] and "c_npmi_std" in summary
    # parallel processes give the same table
    parallel = tp.k_sweep(bow, dictionary, tokens, k_range=[2, 4], seeds=[0, 1], passes=5, iterations=50, n_jobs=2)
    pd.testing.assert_frame_equal(sweep, parallel)


def test_choose_k_names_the_values_swept_and_warns_at_the_edge():
    ks = [2, 3, 4, 5, 6, 8]  # notebook 03's default k_range: 7 is not in it
    rising = pd.DataFrame({"k": ks * 2, "seed": [0] * 6 + [1] * 6, "c_npmi": ks * 2, "stability": ks * 2})
    k, reason = tp.choose_k(rising)
    assert k == 8 and "over K in [2, 3, 4, 5, 6, 8]" in reason and "2..8" not in reason
    assert "K=8 is the largest value tried" in reason and "`-p k_range '[2, 3, 4, 5, 6, 8, 10, 12]'`" in reason
    peaked = rising.assign(c_npmi=[-abs(k - 4) for k in ks] * 2, stability=[-abs(k - 4) for k in ks] * 2)
    k, reason = tp.choose_k(peaked)
    assert k == 4 and "value tried" not in reason
    falling = rising[rising.k > 2].assign(c_npmi=lambda t: -t.k, stability=lambda t: -t.k)
    k, reason = tp.choose_k(falling)
    assert k == 3 and "K=3 is the smallest value tried" in reason and "'[2, 3, 4, 5, 6, 8]'" in reason


def test_sweep_on_a_tiny_corpus_is_capped_like_notebook_04(data_dir):
    """Review R4: 03 swept K up to 8 on 8 documents while 04 allows one topic per two; one rule now serves both."""
    from helpers.corpus import load_corpus
    from helpers.similarity import SimilarityIndex

    docs = load_corpus(data_dir / "cnews_sample" / "cnews_sample.jsonl").docs.head(8)  # the reviewer's C_tiny
    units = tp.make_units(docs, unit="document")
    ks, said = tp.capped_k_range([2, 3, 4, 5, 6, 8], len(units))
    assert max(ks) * tp.UNITS_PER_TOPIC <= len(units) < 8 * tp.UNITS_PER_TOPIC and ks == sorted(set(ks))
    assert said.startswith(f"K is at most {max(ks)} here: 8 units") and "K = 5, 6, 8 of `k_range`" in said
    assert tp.capped_k_range([2, 3], len(units)) == ([2, 3], "")
    tokens = tokenize_corpus(units.text.tolist(), n_jobs=1)
    index = SimilarityIndex.fit(tokens, methods=("lda",), lda_topics=8)  # 04 on the same documents: same cap
    assert index.theta.shape[1] == max(ks)
    dictionary, _ = tp.build_dictionary(tokens, no_below=1, no_above=1.0)
    bow = tp.bow_corpus(tokens, dictionary)
    sweep = tp.k_sweep(bow, dictionary, tokens, k_range=ks, seeds=[0, 1], sweeps=50)
    assert sorted(sweep.k.unique()) == ks
    rising = sweep.assign(c_npmi=sweep.k, stability=sweep.k)  # a sweep whose best K is the cap
    k, reason = tp.choose_k(rising, max_k=max(ks))
    assert k == max(ks) and "largest value this corpus allows" in reason and "widen" not in reason


def test_tables_and_aggregation(seed_units, seed_model):
    _, units = seed_units
    _, _, _, bow, model = seed_model
    topics = tp.topics_table(model, topn=20)
    assert topics.columns.tolist() == ["topic", "rank", "term", "weight", "relevance"]
    assert topics.topic.min() == 1 and topics.topic.max() == 4 and topics["rank"].max() == 20
    theta = tp.doc_topic_matrix(model, bow)
    lengths = [sum(c for _, c in d) for d in bow]
    doc_ids, doc_theta = tp.aggregate_units(theta, units, lengths)
    assert doc_ids == list(dict.fromkeys(units.doc_id)) and doc_theta.shape == (len(doc_ids), 4)
    np.testing.assert_allclose(doc_theta.sum(axis=1), 1.0)
    table = tp.doc_topics_table(doc_theta, doc_ids)
    assert table.columns.tolist() == ["doc_id", "topic", "weight"] and len(table) == 4 * len(doc_ids)
    rep = tp.representative_units(theta, units, n=2)
    assert len(rep) == 8 and set(rep.unit_id) <= set(units.unit_id)


def test_representative_units_list_each_text_once(seed_units, seed_model):
    """Reviews R9a N6 / R9b F: one paragraph a day's file holds twice (#p6, #p24), or one headline of two sources,
    took two ranks of a topic. Each topic's best unit gets a copy (other id, other whitespace): the lists stay those
    of the corpus without copies."""
    import pandas as pd

    _, units = seed_units
    _, _, _, bow, model = seed_model
    theta = tp.doc_topic_matrix(model, bow)
    best = np.nanargmax(theta, axis=0)
    copies = units.iloc[best].assign(unit_id=lambda u: u.unit_id + "-copy", text=lambda u: " " + u.text + "\n")
    with_copies = pd.concat([units, copies], ignore_index=True)
    rep = tp.representative_units(np.vstack([theta, theta[best]]), with_copies, n=3)
    pd.testing.assert_frame_equal(rep, tp.representative_units(theta, units, n=3))
    assert not rep.unit_id.str.endswith("-copy").any() and len(rep) == 3 * theta.shape[1]
    assert not rep.duplicated(["topic", "excerpt"]).any()


def _linked_resources(page: str) -> list[tuple[str, str, str]]:
    from html.parser import HTMLParser

    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend((tag, k, v) for k, v in attrs if k in {"src", "href", "data", "srcset", "poster"})

    Parser().feed(page)
    return found


def test_ldavis_page_is_self_contained(seed_model, tmp_path):
    import pyLDAvis.urls

    _, dictionary, _, bow, model = seed_model
    prepared = tp.prepare_ldavis(model, bow, dictionary)
    assert list(prepared.topic_order) == [1, 2, 3, 4]  # sort_topics=False: pyLDAvis topic i is our topic i
    path = tp.save_ldavis(prepared, tmp_path / "ldavis.html")
    page = path.read_text(encoding="utf-8")
    # nothing is loaded from anywhere: no element with a src/href attribute, no CSS import or url()
    assert _linked_resources(page) == []
    assert "@import" not in page and not re.search(r"url\(\s*['\"]?https?:", page)
    assert "cdn.jsdelivr" not in page and "d3js.org/d3" not in page
    # the package's own d3 and LDAvis code are inlined, and the data too
    d3 = open(pyLDAvis.urls.D3_LOCAL, encoding="utf-8").read()
    assert d3[-2000:].replace("</", "<\\/") in page
    assert "new LDAvis(" in page and '"topic.order"' in page
    # the relevance slider opens at the λ of the labels and tables (LDAvis reads its first state from the address)
    assert f"#topic=0&lambda={tp.RELEVANCE_LAMBDA}&term=" in page and page.index("first_state") < page.index(
        "new LDAvis("
    )
    # the CJK font travels with the page (subset to the terms shown), as a data: URI
    assert "@font-face" in page and "url(data:font/woff;base64," in page
    assert len(tp.ldavis_html(prepared, embed_font=False)) < len(page)
    assert page.count("<script") == page.count("</script>") == 4
    frame = tp.ldavis_iframe(page)
    assert frame.data.startswith("<iframe srcdoc=")


def test_topic_labels_name_each_topic_by_its_top_terms(seed_model):
    _, _, _, _, model = seed_model
    labels = tp.topic_labels(model)
    table = tp.topics_table(model, topn=3)
    assert sorted(labels) == [1, 2, 3, 4]
    for t, g in table.groupby("topic"):
        assert labels[t] == f"T{t} " + "·".join(g.term)


@pytest.fixture(scope="module")
def mixed_news_model():
    """Topics of a mixed general-news corpus, the reviewer's kind: every second story of data/cnews_sample (150
    Sina stories of 10 categories), K = 10, as notebooks 04 and 05 fit their own models."""
    from helpers.corpus import load_corpus
    from helpers.paths import DATA_DIR

    docs = load_corpus(DATA_DIR / "cnews_sample" / "cnews_sample.jsonl").docs.iloc[::2]
    tokens = tokenize_corpus(docs.text.tolist(), n_jobs=1)
    return tp.fit_document_topics(tokens, docs.doc_id, num_topics=10, random_state=0)[0]


def _general_words(n: int = 200) -> set[str]:
    """The ``n`` words of lowest IDF in the shipped reference table (CCTV and Sina news): words of any story."""
    from helpers.keywords import load_reference_idf

    return {t for t, _ in sorted(load_reference_idf().idf.items(), key=lambda kv: kv[1])[:n]}


def test_relevance_labels_hold_fewer_general_words(mixed_news_model):
    general = _general_words()
    counts = {}
    for rel in (None, tp.RELEVANCE_LAMBDA):
        labels = tp.topic_labels(mixed_news_model, relevance=rel)
        counts[rel] = sum(t in general for label in labels.values() for t in label.split(" ", 1)[1].split("·"))
    # measured: 11 of 30 label terms general by probability, 9 by relevance (seed 1: 10 and 7)
    assert counts[tp.RELEVANCE_LAMBDA] < counts[None]
    top10 = tp.top_terms(mixed_news_model, topn=10, relevance=tp.RELEVANCE_LAMBDA)
    assert sum(t in general for ts in top10 for t in ts) < sum(
        t in general for ts in tp.top_terms(mixed_news_model, topn=10) for t in ts
    )


def test_relevance_trades_probability_for_lift(mixed_news_model):
    model = mixed_news_model
    phi = model.get_topics() / model.get_topics().sum(axis=1, keepdims=True)
    marginal = dict(zip((model.id2word[i] for i in range(phi.shape[1])), tp.topic_shares(model) @ phi))
    by_prob, by_rel = tp.top_terms(model, topn=10), tp.top_terms(model, topn=10, relevance=tp.RELEVANCE_LAMBDA)
    # relevance prefers terms frequent in the topic but not everywhere: its top terms are rarer in the corpus
    # (a term that relevance takes in has a lower P(w|t) than the one it displaces, so a lower P(w) too)
    for p, r in zip(by_prob, by_rel):
        taken, dropped = set(r) - set(p), set(p) - set(r)
        assert all(marginal[a] < marginal[b] for a in taken for b in dropped)
    assert sum(set(p) != set(r) for p, r in zip(by_prob, by_rel)) >= len(by_prob) // 2
    assert by_rel != by_prob and tp.top_terms(model, topn=10, relevance=1.0) == by_prob  # λ = 1 is probability
    table = tp.topics_table(model, topn=10)
    assert table.groupby("topic").term.agg(list).tolist() == by_rel
    assert (table.groupby("topic").relevance.diff().dropna() <= 0).all()  # ranked by relevance
    np.testing.assert_allclose(tp.topic_shares(model).sum(), 1.0)


def test_labels_are_the_terms_pyldavis_ranks_first_at_the_same_lambda(seed_model):
    """pyLDAvis's own relevance (its logprob and loglift columns, rounded to 4 decimals; its P(t) from the
    documents' inferred topic proportions, ours from the model's token counts) gives the values of term_relevance
    and puts the label terms first in every topic."""
    _, dictionary, _, bow, model = seed_model
    info = tp.prepare_ldavis(model, bow, dictionary).topic_info
    info = info[info.Category != "Default"].assign(
        relevance=lambda t: tp.RELEVANCE_LAMBDA * t.logprob + (1 - tp.RELEVANCE_LAMBDA) * t.loglift
    )
    ours = tp.term_relevance(model)
    ids = [dictionary.token2id[w] for w in info.Term]
    topics = info.Category.str.removeprefix("Topic").astype(int).to_numpy() - 1
    np.testing.assert_allclose(ours[topics, ids], info.relevance, atol=0.05)  # measured: 0.03 at most
    labels = tp.topic_labels(model)
    for topic in range(1, model.num_topics + 1):
        ranked = info[info.Category == f"Topic{topic}"].sort_values("relevance", ascending=False).Term.tolist()
        assert set(labels[topic].split(" ", 1)[1].split("·")) == set(ranked[:3])  # near-ties may swap


def test_document_topics_in_one_call_equal_the_steps(seed_units):
    docs, _ = seed_units
    tokens = tokenize_corpus(docs.text.tolist(), n_jobs=1)
    model, table = tp.fit_document_topics(tokens, docs.doc_id, num_topics=2, random_state=1, passes=2, iterations=50)
    dictionary, _ = tp.build_dictionary(tokens)
    bow = tp.bow_corpus(tokens, dictionary)
    again = tp.fit_lda(bow, dictionary, num_topics=2, random_state=1, passes=2, iterations=50)
    expected = tp.doc_topics_table(tp.doc_topic_matrix(again, bow, random_state=1), docs.doc_id)
    pd.testing.assert_frame_equal(table, expected)
    assert model.num_topics == 2 and table.groupby("doc_id").weight.sum().round(4).eq(1).all()


@pytest.fixture(scope="module")
def short_items():
    """Real one-sentence items (first sentences of 新闻联播 stories from data/), many without a word of the seeds'
    topic vocabulary: the reviewer's corpus of short items, in small."""
    from helpers.corpus import load_corpus
    from helpers.paths import DATA_DIR

    docs = load_corpus(DATA_DIR / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl").docs.head(40)
    return docs.assign(text=docs.text.str.split("。").str[0])


def test_units_without_a_vocabulary_token_get_no_topic(seed_model, short_items, tmp_path):
    """A unit with no token of the vocabulary gets the prior from LDA; it has no topic anywhere instead (review R3:
    29 of 497 short items were counted in the largest topic)."""
    import matplotlib.pyplot as plt

    from helpers.discourse import topic_trends
    from helpers.plotting.topics import plot_doc_topics
    from helpers.similarity import NO_TOPIC_GROUP, document_groups, load_doc_topics
    from helpers.tables import write_table

    _, dictionary, _, _, model = seed_model
    bow = tp.bow_corpus(tokenize_corpus(short_items.text.tolist(), n_jobs=1), dictionary)
    empty = np.array([not doc for doc in bow])
    assert 0 < empty.sum() < len(bow)  # the slice holds both kinds
    theta = tp.without_topic(tp.doc_topic_matrix(model, bow), bow)
    assert np.isnan(theta[empty]).all() and np.isfinite(theta[~empty]).all()
    dominant = tp.dominant_topics(theta)
    assert [d == tp.NO_TOPIC for d in dominant] == empty.tolist()
    assert set(dominant[~empty]) <= {1, 2, 3, 4}
    assert tp.no_topic_sentence(dominant).startswith(f"{empty.sum()} of {len(bow)} documents contain")
    one = [d for d, e in zip(dominant, empty) if not e] + [tp.NO_TOPIC]  # review R6: "1 of 400 … they have no topic"
    assert f"1 of {len(one)} documents contains no word of the topic vocabulary: it has no topic and is counted" in (
        tp.no_topic_sentence(one)
    )
    # paragraphs: a document with one empty and one full unit keeps the full one's weights; an empty one has none
    ids = short_items.doc_id.astype(str).tolist()
    units = pd.DataFrame({"doc_id": ids[:2] * 2})
    first_full, first_empty = int(np.flatnonzero(~empty)[0]), int(np.flatnonzero(empty)[0])
    rows = theta[[first_full, first_empty, first_empty, first_empty]]
    _, doc_theta = tp.aggregate_units(rows, units, [3, 0, 0, 0])
    np.testing.assert_allclose(doc_theta[0], theta[first_full])
    assert np.isnan(doc_theta[1]).all()
    # the table keeps the document with empty weights; 04 reads it back as no topic, 05 leaves it out of the shares
    table = tp.doc_topics_table(theta, ids)
    write_table(table, tmp_path, "doc_topics", description="test", float_format="%.6f")
    read = load_doc_topics(tmp_path / "doc_topics.csv", ids)
    assert np.isnan(read[empty]).all() and np.allclose(read[~empty], theta[~empty], atol=1e-5)
    names = {t: f"T{t}" for t in range(1, 5)}
    groups, _, _ = document_groups(pd.DataFrame(index=range(len(ids))), read, topic_names=names)
    assert (groups[empty] == NO_TOPIC_GROUP).all() and groups[~empty].str.startswith("T").all()  # 无主题 on the map
    trends = topic_trends(table, dict.fromkeys(ids, "2019"), period="year", n_boot=20)
    assert (trends.docs == (~empty).sum()).all()
    fig = plot_doc_topics(theta, ids, topic_labels=tp.topic_labels(model), max_rows=10)
    assert f"另有 {empty.sum()} 篇文档" in fig.axes[0].get_xlabel()
    plt.close(fig)


def test_label_sentence_says_when_labels_sit_on_one_document_each():
    """8 rows with 6 labels, 5 of them on one row each: no NMI, and the sentence says why (review R3)."""
    import json

    from helpers.paths import DATA_DIR
    from helpers.validation.topics import label_agreement

    rows = [json.loads(line) for line in (DATA_DIR / "cnews_sample" / "cnews_sample.jsonl").open(encoding="utf-8")]
    by_label: dict[str, list[str]] = {}
    for r in rows:
        by_label.setdefault(r["label"], []).append(r["label"])
    first, *others = sorted(by_label)
    labels = pd.Series(by_label[first][:3] + [by_label[o][0] for o in others[:5]])
    value, text = label_agreement(labels, [1, 1, 2, 2, 1, 2, 1, 2], label_column="label")
    assert value is None
    assert text.startswith("All 8 documents carry a `label` (6 distinct values, 5 of which sit on one document each)")
    value, text = label_agreement(labels, [1, 1, 2, tp.NO_TOPIC, 1, 2, 1, 2], label_column="label")
    assert value is None and "(6 distinct values" not in text  # the row without a topic is not compared


def test_the_number_of_labels_is_tried_as_k_and_capped_like_any_k(data_dir):
    """Review R6: a cnews table with 10 categories (类别) swept K over 2-8 only and chose 2; the number of labels is
    now among the K values tried, unless the cap on too few units forbids it (and the sentence says so)."""
    news = load_corpus(data_dir / "cnews_sample" / "cnews_sample.jsonl").docs.rename(columns={"label": "类别"})
    news.loc[news.index[:5], "类别"] = ""  # empty labels are not a value
    ks, said = tp.k_range_with_labels([2, 3, 4, 5, 6, 8], news["类别"], column="类别")
    assert ks == [2, 3, 4, 5, 6, 8, 10] and tp.label_count(news["类别"]) == news["类别"].replace("", None).nunique()
    assert said == "`类别` has 10 distinct values, so K = 10 was added to the values tried (one topic per label)."
    capped, why = tp.k_range_with_labels([2, 3, 4], news["类别"], column="类别", n_units=12, what="documents")
    assert (
        capped == [2, 3, 4]
        and why == "`类别` has 10 distinct values, but K = 10 was not tried: 12 documents allow at most 6 topics."
    )
    assert tp.k_range_with_labels([2, 10], news["类别"], column="类别") == ([2, 10], "")


def test_k_added_for_the_labels_and_chosen_is_said_not_blind(data_dir):
    """Review R11b: K = 10 was added because the label column has 10 values, chosen, and the page called the choice
    "blind to any labels" next to the NMI with those labels. The sentence now says the labels supplied that K."""
    news = load_corpus(data_dir / "cnews_sample" / "cnews_sample.jsonl").docs
    asked = [2, 3, 4, 5, 6, 8]
    ks, _ = tp.k_range_with_labels(asked, news["label"], column="folder")
    said = tp.label_k_sentence(10, asked, news["label"], column="folder")
    assert 10 in ks and said.startswith("K = 10 was tried only because `folder` has 10 distinct values")
    assert "not blind to those labels" in said
    assert tp.label_k_sentence(8, asked, news["label"], column="folder") == ""  # another K chosen
    assert tp.label_k_sentence(10, [*asked, 10], news["label"], column="folder") == ""  # asked for anyway


def test_neighbours_use_the_similarity_notebook_04_would_use(data_dir):
    """Review R11a: 03 joined each abstract's counts with those of its neighbours by background LSI, which 04 sets
    aside on abstracts (the background model knows too little of their words). 03 now asks 04's rule: TF-IDF on CSL
    abstracts, background LSI on held-out CCTV stories; TF-IDF neighbours are mostly of the document's own field."""
    from helpers.similarity import BACKGROUND_MIN_KNOWN_SHARE

    csl = pd.read_json(data_dir / "csl_sample" / "csl_sample.jsonl", lines=True).head(60)
    csl_tokens = tokenize_corpus(csl.abstract.tolist(), n_jobs=1)
    chosen = tp.neighbour_method(csl_tokens)
    assert chosen.method == "tfidf" and chosen.known_share < BACKGROUND_MIN_KNOWN_SHARE, chosen.known_share
    assert chosen.sentence.startswith("**TF-IDF cosine** is used for finding the nearest documents")
    cctv = load_corpus(data_dir / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl").docs.head(60)
    assert tp.neighbour_method(tokenize_corpus(cctv.text.tolist(), n_jobs=1)).method == "background"
    news = pd.read_json(data_dir / "cnews_sample" / "cnews_sample.jsonl", lines=True, dtype={"id": str})
    news = news.groupby("label").head(8).reset_index(drop=True)
    near = tp.document_neighbours(news, k=3, method="tfidf", tokens=tokenize_corpus(news.text.tolist(), n_jobs=1))
    assert near.shape == (len(news), 3) and not (near == np.arange(len(news))[:, None]).any()
    same = (news.label.to_numpy()[near] == news.label.to_numpy()[:, None]).mean()
    assert same > 0.55, same  # measured 0.85; 0.1 by chance
    with pytest.raises(ValueError):  # TF-IDF needs the tokens
        tp.document_neighbours(news, method="tfidf")


def test_nmi_sentence_gives_the_ceiling_and_homogeneity_when_topics_outnumber_labels(data_dir):
    """R7: 6 topics against 2 labels read "NMI = 0.095 (… 1 = the same partition)", a value 6 topics cannot reach.
    Real categories (cnews 体育 and 财经, 3:1 as R7's general and poverty), each split into 3 topics by its
    documents' length: every topic holds one label, so the NMI reaches the ceiling, and the sentence says both."""
    from helpers.validation.topics import label_agreement, nmi_ceiling

    news = load_corpus(data_dir / "cnews_sample" / "cnews_sample.jsonl").docs
    news = pd.concat([news[news.label == "体育"], news[news.label == "财经"].head(10)], ignore_index=True)
    thirds = news.groupby("label")["text"].transform(
        lambda t: pd.qcut(t.str.len().rank(method="first"), 3, labels=False)
    )
    topics = news["label"] + thirds.astype(str)  # 6 topics, each within one label
    value, text = label_agreement(news["label"], topics.tolist(), label_column="label")
    ceiling = nmi_ceiling(news["label"], topics)
    assert value == pytest.approx(ceiling) and ceiling < 0.7
    assert (
        f"1 = the same partition, out of reach here: 6 topics and 2 labels of these sizes allow at most {ceiling:.3f}"
        in text
    )
    assert "homogeneity 1.000 (1 = each topic holds one label)" in text and "completeness 0." in text
    value, text = label_agreement(news["label"], news["label"].tolist(), label_column="label")
    assert value == pytest.approx(1.0) and "(0 = unrelated, 1 = the same partition); homogeneity 1.000" in text


@pytest.fixture(scope="module")
def headlines(data_dir):
    """The reviewer's kind of corpus (R8b): headlines only, the text column holding them and no title, with the
    recurring 国际联播快讯 of the held-out 新闻联播 stories."""
    news = pd.read_json(data_dir / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl", lines=True)
    docs = pd.DataFrame({"doc_id": news["id"].astype(str), "text": news["title"], "title": "", "date": news["date"]})
    from helpers.tokenize import corpus_tokenizer  # as notebook 03 tokenises: the corpus's own terms kept whole

    tokens = tokenize_corpus(docs.text.tolist(), tokenizer=corpus_tokenizer(docs.text.tolist()), n_jobs=1)
    return docs, tokens


def test_short_texts_are_named_as_the_cause_and_pooling_as_the_remedy(headlines, data_dir):
    """Review R8b: on 1,500 headlines (median 6 tokens) the page blamed corpus size ("a larger corpus")."""
    from helpers.similarity import LDA_MIN_MEDIAN_TOKENS

    docs, tokens = headlines
    median = np.median([len(t) for t in tokens])
    assert median < LDA_MIN_MEDIAN_TOKENS
    said = tp.stability_advice(len(docs), 0.39, tokens, what="document", pool_by=["date"])
    assert said.startswith(f"The median document has {median:g} tokens, fewer than {LDA_MIN_MEDIAN_TOKENS}")
    assert "larger corpus of such texts does not help" in said and "`date`" in said and "per day" in said
    assert "Topics need a larger corpus" not in said
    # the same stability on whole stories: the corpus is small, not the texts short
    stories = load_corpus(data_dir / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl").docs.head(60)
    long_tokens = tokenize_corpus(stories.text.tolist(), n_jobs=1)
    assert np.median([len(t) for t in long_tokens]) >= LDA_MIN_MEDIAN_TOKENS
    small = tp.stability_advice(60, 0.39, long_tokens, what="document")
    assert small.startswith("With 60 documents and this stability") and small.endswith("larger corpus to be stable.")
    assert tp.stability_advice(len(stories) * 10, 0.9, long_tokens) == ""


def test_a_topic_led_by_a_recurring_heading_is_named(headlines):
    """Review R8b: the largest topic was led by 国内联播快讯 and 国际联播快讯, copies of one-word headings."""
    docs, tokens = headlines
    copies = int((docs.text == "国际联播快讯").sum())
    assert copies >= 50 and ["国际联播快讯"] in tokens
    dictionary, _ = tp.build_dictionary(tokens, no_below=2, no_above=0.5)
    bow = tp.bow_corpus(tokens, dictionary)
    model = tp.fit_lda(bow, dictionary, num_topics=5, random_state=0, sweeps=200)
    theta = tp.without_topic(tp.doc_topic_matrix(model, bow, random_state=0), bow)
    topics, dominant = tp.topics_table(model, topn=20), tp.dominant_topics(theta)
    found = tp.recurring_text_terms(topics, docs.text.tolist(), tokens, dominant)
    heading = found[found.term == "国际联播快讯"]
    assert len(heading) == 1 and heading.copies.item() == copies  # every copy counted, none dropped
    topic = heading.topic.item()
    assert heading.in_topic.item() == sum(1 for t, d in zip(docs.text, dominant) if t == "国际联播快讯" and d == topic)
    # only whole texts repeated unchanged are named, not a name that leads many different headlines
    repeated = docs.text.value_counts()
    assert set(found.term) <= set(repeated[repeated >= tp.RECURRING_MIN_COPIES].index)
    assert len(found) < (topics["rank"] <= 5).sum()
    said = tp.recurring_text_sentence(found, what="document")
    assert (
        f"T{topic}: its top terms include " in said
        and f"国际联播快讯 (rank {heading['rank'].item()}, {copies} documents)" in said
    )
    assert "no row is dropped" in said
    assert tp.recurring_text_sentence(found.iloc[:0]) == ""


def test_a_paragraph_run_on_documents_that_do_not_split_is_a_document_run_throughout(data_dir):
    """Review R10a: 1,000 abstracts, one paragraph each, with `unit = "paragraph"` (the default) were "modelled whole",
    but titles were not weighed, neighbours not added and unit_topics.csv was called "Topic mixture of each
    paragraph". analysis_units makes such a run a document run: units of whole documents with their titles."""
    stories = load_corpus(data_dir / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl").docs.head(30)
    units, used = tp.analysis_units(stories, unit="paragraph", min_chars=80)
    assert used == "paragraph" and len(units) > len(stories) and (units.title == "").all()  # stories split
    flat = stories.assign(text=stories.text.str.replace("\n", "", regex=False))  # one paragraph each
    units, used = tp.analysis_units(flat, unit="paragraph", min_chars=80)
    assert used == "document" and units.unit_id.tolist() == flat.doc_id.astype(str).tolist()
    assert units.title.tolist() == flat.title.fillna("").tolist() and (units.title != "").all()  # titles weighed
    said = tp.units_sentence(units, len(flat), unit="paragraph")
    assert said.startswith("30 documents were modelled whole, one unit each")
    assert 'so the run is a `unit = "document"` run throughout' in said
    assert tp.analysis_units(flat, unit="document")[1] == "document"
    assert "throughout" not in tp.units_sentence(units, len(flat), unit="document")


def test_category_folders_are_tried_as_k(data_dir):
    """Review R10b: Sina news in 10 category folders swept K over 2-8 only; the loader's `folder` column is a label
    column (helpers.similarity.LABEL_COLUMNS), so one topic per folder is tried too."""
    from helpers import similarity as sim

    news = load_corpus(data_dir / "cnews_sample" / "cnews_sample.jsonl").docs
    filed = news.drop(columns=["label"]).assign(folder=news["label"])
    column = sim.find_label_column(filed, "label")
    assert column == "folder"
    ks, said = tp.k_range_with_labels([2, 3, 4, 5, 6, 8], filed[column], column=column, n_units=len(filed))
    assert ks == [2, 3, 4, 5, 6, 8, 10] and said.startswith("`folder` has 10 distinct values, so K = 10 was added")


def _fitted_topics(docs: pd.DataFrame, k: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Topics of notebook 03's document settings (no neighbours, fewer sweeps, for speed), with the units."""
    units = tp.make_units(docs, unit="document")
    tokens = tokenize_corpus(units.text.tolist(), n_jobs=1)
    dictionary, _ = tp.build_dictionary(tokens, no_below=5, no_above=0.5)
    bow = tp.bow_corpus(tokens, dictionary, max_count=2)
    model = tp.fit_lda(bow, dictionary, num_topics=k, random_state=0, sweeps=100)
    return tp.topics_table(model, topn=20), units


def test_topics_led_by_words_of_the_genre_are_marked(data_dir):
    """Review R10a: the topics of abstracts were labelled 研究 结果表明 …, 发展 我国 本文 …: words spread over the
    abstracts as chance spreads any word (helpers.keywords.widespread_terms, notebook 02's check). Such topics are
    marked and named; the topics of ten news categories are led by their subjects and none is marked."""
    abstracts = load_corpus(data_dir / "csl_sample" / "csl_sample.jsonl", text_column="abstract").docs
    topics, units = _fitted_topics(abstracts, 3)
    found = tp.spread_topic_terms(topics, units.text.tolist())
    assert found.made and found.led
    assert all(len(found.leading[t]) >= tp.MIN_LEADING_SPREAD_TERMS for t in found.led)
    genre = {"研究", "结果表明", "本文", "方法", "分析", "提出", "采用", "影响", "应用", "问题", "发展"}
    assert {w for t in found.led for w in found.leading[t]} & genre
    for t in found.led:  # the leading terms named are the topic's own first terms
        first = topics[(topics.topic == t) & (topics["rank"] <= tp.SPREAD_LEAD_TERMS)].term.tolist()
        assert set(found.leading[t]) <= set(first)
    said = tp.spread_topics_sentence(found, what="document")
    assert said.startswith(f"T{found.led[0]}") and "spread over the documents as chance spreads any word" in said
    columns = found.columns()
    assert (columns.loc[found.led, "led by them"] == "yes").all() and columns.index.tolist() == [1, 2, 3]
    news = load_corpus(data_dir / "cnews_sample" / "cnews_sample.jsonl").docs
    topics, units = _fitted_topics(news, 8)
    found = tp.spread_topic_terms(topics, units.text.tolist())
    assert found.made and not found.led and (found.columns()["led by them"] == "").all()
    assert tp.spread_topics_sentence(found, what="document").startswith("No topic is led by words spread")


def test_spread_check_abstains_on_headlines_as_notebook_02_does(data_dir):
    """Round 12: on texts too short for words to repeat (350 CCTV headlines), 03's check of the topics' top terms
    abstains exactly where 02's check of its leading terms does (helpers.keywords.spread_terms_flagged): no term is
    flagged and the sentence says why."""
    from collections import Counter

    from helpers.keywords import CORPUS_ID, widespread_sentence, widespread_terms

    titles = load_corpus(data_dir / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl").docs.title.fillna("")
    tokens = tokenize_corpus(titles.tolist(), n_jobs=1)
    top = [w for w, _ in Counter(t for doc in tokens for t in doc if len(t) > 1).most_common(20)]
    topics = pd.DataFrame(
        {"topic": [1 + i // 10 for i in range(20)], "rank": [1 + i % 10 for i in range(20)], "term": top}
    )
    found = tp.spread_topic_terms(topics, titles.tolist())
    assert not found.made and found.repeated < found.checked / 2, (found.repeated, found.checked)  # measured 5 of 20
    assert (found.columns()[tp.SPREAD_COLUMN] == "—").all() and not found.led
    said = tp.spread_topics_sentence(found, what="document")
    assert said.startswith("Whether the topics' top terms are spread") and "too short" in said
    table = pd.DataFrame({"doc_id": CORPUS_ID, "method": "m", "rank": range(1, 21), "term": top})
    assert widespread_sentence(*widespread_terms(table, titles.tolist(), method="m"), method="m").startswith(
        "Whether the leading corpus terms of `m` are spread"
    )


def test_pooling_is_advised_only_where_it_reaches_the_length(data_dir):
    """Headlines as documents (data/xwlb_sections_heldout's titles, about 1.2 a day): pooling them by date would still
    give units far under 20 tokens, so the advice says a topic model is not the tool rather than "join the texts
    that share a date" (review S, session 12: 1,500 headlines on 944 dates); pooled by section (8 values), they
    reach the length and the advice names that column only."""
    from helpers.tokenize import tokenize_corpus
    from helpers.topics import stability_advice

    stories = pd.read_json(data_dir / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl", lines=True)
    tokens = tokenize_corpus(stories.title.tolist(), progress=False)
    dates = stories.date.astype(str).tolist()
    sections = [labels[0] for labels in stories.labels]
    advice = stability_advice(len(tokens), 0.4, tokens, pool_by={"date": dates})
    assert "A topic model is not the tool for this corpus" in advice and "one row of the corpus file" not in advice
    advice = stability_advice(len(tokens), 0.4, tokens, pool_by={"date": dates, "section": sections})
    assert "join the texts that share `section` into one row" in advice and "`date`" not in advice, advice


# --- large corpora: unit = "auto", k_range = "auto", a heatmap that says something (review R, helper U) --------------


def _cctv_stories(data_dir) -> pd.DataFrame:
    """606 CCTV 新闻联播 stories with paragraph breaks: the held-out and the 2019 section slices of data/."""
    parts = [
        load_corpus(data_dir / name / f"{name}.jsonl").docs for name in ("xwlb_sections_heldout", "xwlb_sections_2019")
    ]
    return pd.concat(parts, ignore_index=True)


def test_auto_unit_models_documents_from_the_threshold_and_says_why(data_dir):
    """Review R: on 3,915 stories the page advised `unit = "document"` while the default ran 14,263 paragraphs.
    `unit = "auto"` follows the advice's own threshold (one constant): documents from it on, paragraphs below."""
    stories = _cctv_stories(data_dir)
    assert len(stories) >= tp.DOCUMENT_UNITS_FROM
    units, used = tp.analysis_units(stories, unit="auto")
    assert used == "document" and units.unit_id.tolist() == stories.doc_id.astype(str).tolist()
    said = tp.units_sentence(units, len(stories), unit="auto")
    assert said == (
        f'{len(stories):,} documents were modelled whole, one unit each (`unit = "auto"`: from '
        f"{tp.DOCUMENT_UNITS_FROM:,} documents on, whole documents are modelled)"
    )
    assert tp.unit_advice("auto", used, len(stories)) == ""  # auto follows the advice: nothing to advise
    forced, forced_used = tp.analysis_units(stories, unit="paragraph")
    assert forced_used == "paragraph" and len(forced) > len(stories)
    assert '`unit = "document"`' in tp.unit_advice("paragraph", forced_used, len(stories))  # the same threshold
    fewer = stories.head(tp.DOCUMENT_UNITS_FROM - 1)
    units, used = tp.analysis_units(fewer, unit="auto")
    assert used == "paragraph" and len(units) > len(fewer)
    said = tp.units_sentence(units, len(fewer), unit="auto")
    assert said.startswith(f'{len(fewer)} documents were modelled as {len(units):,} paragraph units (`unit = "auto"`')
    assert tp.unit_advice("paragraph", "paragraph", len(fewer)) == ""  # below the threshold, no advice either
    flat = fewer.head(30).assign(text=lambda d: d.text.str.replace("\n", "", regex=False))  # nothing to split
    units, used = tp.analysis_units(flat, unit="auto")
    said = tp.units_sentence(units, len(flat), unit="auto")
    assert (
        used == "document"
        and '`unit = "auto"` splits fewer than 500 documents into paragraph units, but' in said
        and "run throughout" in said
    )
    assert "consider" in tp.unit_advice("document", "document", len(flat)) and not tp.unit_advice("auto", used, 30)
    with pytest.raises(ValueError, match="unit must be one of"):
        tp.analysis_units(flat, unit="sentence")


def test_auto_k_range_grows_with_the_units_and_stays_bounded():
    """Review R: K = 6 chosen from [2, 3, 4, 5, 6, 8] for four years of general news. The automatic range grows with
    the number of units (a few topics for tens, up to AUTO_K_MAX for thousands), never past what the units allow,
    with as many values at most as the former default so that the sweep's cost stays bounded."""
    sizes = [4, 8, 20, 50, 86, 200, 500, 1_000, 3_000, 14_263, 1_000_000]
    ranges = [tp.auto_k_range(n) for n in sizes]
    for n, ks in zip(sizes, ranges):
        assert ks == sorted(set(ks)) and 1 <= len(ks) <= tp.AUTO_K_VALUES, (n, ks)
        assert max(ks) <= tp.capped_topic_count(n, tp.AUTO_K_MAX) and min(ks) >= 2
    assert [max(ks) for ks in ranges] == sorted(max(ks) for ks in ranges)  # grows with the units
    assert ranges[2] == [2, 3] and max(ranges[4]) <= 10  # tens of units: a few topics
    assert max(ranges[8]) == tp.AUTO_K_MAX and min(ranges[8]) >= 5  # thousands: up to 30, not from 2
    assert ranges[-1] == ranges[8]  # bounded however large the corpus
    said = tp.auto_k_sentence(ranges[8], 3_000, what="documents")
    assert (
        said.startswith('`k_range = "auto"` gives K = 6, 8, 11, 16, 22, 30 on 3,000 documents') and "(here 39)" in said
    )
    from helpers.report.notebooks import list_parameter  # explicit lists still arrive as lists, also as text

    assert list_parameter("[5, 8, 10]") == [5, 8, 10] and list_parameter([5, 8]) == [5, 8]


def test_heatmap_shows_the_spread_of_each_topic_on_a_large_corpus(data_dir):
    """Review R: on 3,915 stories the heatmap showed 36 documents, all at weight ≈ 1 (the clearest of each topic).
    On 606 real stories it shows, per topic, documents from the clearest to the most mixed, says how many of how
    many, and the figure draws exactly those."""
    import matplotlib

    matplotlib.use("Agg")
    from helpers.plotting.topics import plot_doc_topics

    stories = _cctv_stories(data_dir)
    units = tp.make_units(stories, unit="document")
    tokens = tokenize_corpus(units.text.tolist(), n_jobs=1)
    dictionary, _ = tp.build_dictionary(tokens, no_below=5, no_above=0.5)
    bow = tp.bow_corpus(tokens, dictionary, max_count=2)
    model = tp.fit_lda(bow, dictionary, num_topics=8, random_state=0, sweeps=50)
    theta = tp.without_topic(tp.doc_topic_matrix(model, bow, random_state=0), bow)
    shown = tp.heatmap_documents(theta)
    n_topic = int((tp.dominant_topics(theta) != tp.NO_TOPIC).sum())
    assert shown.n_shown < n_topic and shown.per_topic == max(tp.HEATMAP_MIN_PER_TOPIC, tp.HEATMAP_ROWS // 8)
    assert shown.sentence.startswith(f"The heatmap shows {shown.n_shown} of the {n_topic:,} documents with a topic")
    chosen = shown.rows[: shown.n_shown]
    dominant = tp.dominant_topics(theta)
    for t in range(1, 9):  # each topic's clearest and most mixed document are among the rows
        members = np.flatnonzero(dominant == t)
        if len(members):
            weights = theta[members, t - 1]
            assert members[np.argmax(weights)] in chosen and weights.min() in theta[chosen, t - 1]
    top = np.nanmax(theta[chosen], axis=1)
    assert top.min() < 0.9 <= top.max()  # not all solid blocks: the weights spread (measured 0.29 to 1.00)
    fig = plot_doc_topics(
        theta[shown.rows], [str(i) for i in shown.rows], topic_labels=tp.topic_labels(model), max_rows=shown.max_rows
    )
    assert len(fig.axes[0].get_yticks()) == shown.n_shown  # the figure draws every chosen document, no other
    few = tp.heatmap_documents(theta[:5])
    assert few.n_shown == 5 and few.sentence == "The heatmap shows all 5 documents with a topic."


def test_sweep_sample_is_bounded_by_tokens_too(data_dir):
    """Review R / helper U: whole documents with their nearest documents' counts are ~14x longer than paragraphs, so
    2,000 of them made the K sweep run for over ten minutes; the sample is also bounded by tokens, and says so."""
    stories = _cctv_stories(data_dir)
    lengths = [len(t) for t in tokenize_corpus(stories.text.tolist(), n_jobs=1)]
    budget = sum(lengths) // 4
    idx = tp.sample_units(len(stories), 2_000, seed=0, lengths=lengths, max_tokens=budget)
    assert 0 < sum(lengths[i] for i in idx) <= budget and len(idx) < len(stories)
    assert idx.tolist() == sorted(set(idx.tolist()))
    assert tp.sample_units(len(stories), 300, seed=0, lengths=lengths, max_tokens=10**9).tolist() == (
        tp.sample_units(len(stories), 300, seed=0).tolist()  # a budget that does not bind changes nothing
    )
    said = tp.sweep_sample_sentence(len(idx), len(stories), what="documents", max_units=2_000, max_tokens=budget)
    assert f"sample of {len(idx)} of the {len(stories)} documents (at most {budget:,} tokens" in said
    assert "(`sweep_max_units`)" in tp.sweep_sample_sentence(300, len(stories), max_units=300, max_tokens=budget)
