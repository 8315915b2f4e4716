"""helpers.validation.topics on the shipped labelled slices: the project's LDA recipe (tomotopy, gensim) against
gensim's defaults, on cnews and on held-out news of one broadcaster."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import topics as tp
from helpers.paths import DATA_DIR
from helpers.tokenize import tokenize_corpus
from helpers.validation import topics as vt

CNEWS = DATA_DIR / "cnews_sample" / "cnews_sample.jsonl"
HELDOUT = DATA_DIR / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl"


@pytest.fixture(scope="module")
def cnews():
    docs = pd.read_json(CNEWS, lines=True, dtype={"id": str})
    return docs, tokenize_corpus(docs.text.tolist(), n_jobs=1)


def test_nmi_ignores_label_names_and_detects_independence():
    labels = ["体育"] * 4 + ["财经"] * 4
    assert vt.nmi(labels, [7] * 4 + [3] * 4) == 1.0
    assert vt.nmi(labels, [0, 1] * 4) == pytest.approx(0.0)
    assert 0 < vt.nmi(labels, [0, 0, 0, 1, 1, 1, 1, 1]) < 1


def test_baseline_is_gensim_defaults_through_the_one_fitter():
    """The baseline goes through topics.fit_lda with gensim's own defaults: the same model as a bare LdaModel."""
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel

    texts = [["扶贫", "产业", "脱贫", "就业"], ["足球", "比赛", "球队", "联赛"]] * 6
    d = Dictionary(texts)
    bow = [d.doc2bow(t) for t in texts]
    ours = tp.fit_lda(bow, d, num_topics=2, random_state=3, **vt.GENSIM_DEFAULTS)
    bare = LdaModel(bow, num_topics=2, id2word=d, random_state=3)
    np.testing.assert_array_equal(ours.get_topics(), bare.get_topics())


#: NMI of the kept tomotopy model, measured with seeds 0-1 (cnews, K=10, no titles nor neighbours: CNEWS_MIN_NMI;
#: held-out xwlb sections, K=8, the notebook's recipe with 3 neighbours: HELDOUT_MIN_NMI, gensim's kept model 0.498),
#: minus a margin for changes of the tokenizer that shift the tokens a little. cnews: 0.84 until session 5; with the
#: session-6 dictionary (clause entries dropped) 0.796, while the single seeds 0-7 range 0.75-0.86 before and after
#: the change (mean 0.797 before, 0.804 after): which seed wins moves the figure more than the dictionary does.
CNEWS_MIN_NMI, HELDOUT_MIN_NMI, NMI_MARGIN = 0.80, 0.556, 0.07


def test_recipe_beats_the_baseline_on_labelled_news(cnews):
    docs, tokens = cnews
    table = vt.validate_against_labels(
        tokens, docs.label, docs.text.tolist(), num_topics=10, seeds=[0, 1], engines=[tp.DEFAULT_ENGINE]
    )
    assert table.columns.tolist() == ["engine", "seed", "bound", "chosen", "nmi", "c_npmi", "baseline_nmi"]
    assert table.chosen.sum() == 1 and table[table.chosen].bound.iloc[0] == table.bound.max()
    kept = table[table.chosen].iloc[0]
    assert kept.nmi >= CNEWS_MIN_NMI - NMI_MARGIN
    assert kept.nmi > table.baseline_nmi.max() + 0.4  # measured: baseline 0.16-0.18
    sentence = vt.validation_sentence(table, n_docs=len(docs), corpus_name=CNEWS.name, num_topics=10)
    assert f"**{kept.nmi:.3f}**" in sentence and "higher than the baseline with every seed" in sentence


@pytest.fixture(scope="module")
def heldout():
    """The held-out stories cleaned as notebook 03 cleans them (HTML paragraphs), tokenised as it does: one
    tokenizer with the terms of the stories, for their texts and their titles; and each story's nearest stories."""
    from helpers.corpus import load_corpus
    from helpers.tokenize import corpus_tokenizer

    docs = load_corpus(HELDOUT).docs
    tk = corpus_tokenizer(docs.text.tolist())
    tokens, titles = (
        tokenize_corpus(col.fillna("").tolist(), tokenizer=tk, n_jobs=1) for col in (docs.text, docs.title)
    )
    return docs, tokens, titles, tp.document_neighbours(docs)


def test_tomotopy_beats_gensim_on_held_out_news_of_one_broadcaster(heldout):
    """The engine, the weighing of counts and the neighbours were chosen on cnews and the tuning half of the xwlb
    sections; this half was never tuned on."""
    docs, tokens, titles, near = heldout
    table = vt.validate_against_labels(
        tokens, docs.label, docs.text.tolist(), title_tokens=titles, neighbours=near, num_topics=8, seeds=[0, 1]
    )
    kept = table[table.chosen].set_index("engine")
    assert kept.index.tolist() == list(tp.ENGINES)
    assert kept.nmi["tomotopy"] >= HELDOUT_MIN_NMI - NMI_MARGIN
    mean = table.groupby("engine")[["nmi", "c_npmi"]].mean()
    assert mean.nmi["tomotopy"] > mean.nmi["gensim"]  # measured 0.547 against 0.508
    assert mean.c_npmi["tomotopy"] > mean.c_npmi["gensim"]
    sentence = vt.validation_sentence(table, n_docs=len(docs), corpus_name=HELDOUT.name, num_topics=8)
    assert f"with tomotopy (seed {int(kept.seed['tomotopy'])}) = **{kept.nmi['tomotopy']:.3f}**" in sentence
    assert f"gensim (seed {int(kept.seed['gensim'])}) **{kept.nmi['gensim']:.3f}**" in sentence


def test_weighed_counts_and_neighbours_beat_raw_counts_on_held_out_news(heldout):
    """Capped counts plus the title (helpers.topics.MAX_TERM_COUNT, TITLE_REPEATS), then the counts of the nearest
    stories added (NEIGHBOURS_ADDED), chosen on the tuning half, each give topics closer to the sections of the
    held-out half than the step before, on average over four seeds (seed to seed the NMI moves by up to 0.05: with
    the list lines that cleaning keeps since session 15, weighed seed 1 fell below raw seed 1, 0.460 vs 0.484)."""
    docs, tokens, titles, near = heldout
    dictionary, _ = tp.build_dictionary(tokens)
    weighed = tp.bow_corpus(tokens, dictionary, titles=titles, max_count=tp.MAX_TERM_COUNT)
    recipes = {
        "raw": tp.bow_corpus(tokens, dictionary),
        "weighed": weighed,
        "neighbours": tp.add_neighbours(weighed, near),
    }
    scores = {name: [] for name in recipes}
    for name, bow in recipes.items():
        for seed in range(4):
            model = tp.fit_lda(bow, dictionary, num_topics=8, random_state=seed)
            scores[name].append(vt.nmi(docs.label, tp.doc_topic_matrix(model, bow).argmax(axis=1)))
    mean = {name: sum(s) / len(s) for name, s in scores.items()}
    assert mean["weighed"] > mean["raw"], scores  # measured 0.490 against 0.465
    assert mean["neighbours"] > mean["weighed"], scores  # measured 0.536
    assert min(scores["neighbours"]) > max(scores["raw"]), scores  # measured 0.515 against 0.484


def test_label_agreement_leaves_out_unlabelled_documents():
    """Documents without a label are not one more class: the NMI is computed on the labelled ones, and said so."""
    import json

    from helpers.paths import DATA_DIR
    from helpers.validation.topics import label_agreement

    rows = [json.loads(line) for line in (DATA_DIR / "cnews_sample" / "cnews_sample.jsonl").open(encoding="utf-8")][:60]
    labels = pd.Series([r["label"] if i % 3 == 0 else None for i, r in enumerate(rows)])
    perfect = [r["label"] for r in rows]  # topics that recover every category exactly
    value, text = label_agreement(labels, perfect, label_column="label")
    assert value == pytest.approx(1.0)
    assert "on 20 labelled documents" in text and "40 without a label left out" in text
    few, text = label_agreement(labels.iloc[:15], perfect[:15], label_column="label")
    assert few is None and "Only 5 of 15 documents" in text
    none, text = label_agreement(None, perfect, label_column="类别")
    assert none is None and "-p label_column" in text
