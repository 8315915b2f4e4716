"""Review R8a: on a folder of broadcast days (several unrelated stories per file) notebook 03 filed every document
under one dominant topic. Tests on held-out CCTV stories, each alone and joined four to a document."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import topics as tp
from helpers.corpus import load_corpus
from helpers.paths import DATA_DIR
from helpers.tokenize import tokenize_corpus

HELDOUT = DATA_DIR / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl"
STORIES_PER_DAY = 4  # R8a's days held 3–6 stories


def write_days(folder, stories: pd.DataFrame, per_day: int = STORIES_PER_DAY):
    """One .txt file per run of ``per_day`` stories in date order (title line, then the text's paragraphs)."""
    folder.mkdir()
    stories = stories.sort_values(["date", "id"]).reset_index(drop=True)
    for start in range(0, len(stories), per_day):
        day = stories.iloc[start : start + per_day]
        body = "\n".join(f"{t}\n{x}" for t, x in zip(day.title, day.text.str.replace(r"<[^>]+>", "", regex=True)))
        (folder / f"{day.date.iloc[0]}_{start:03d}.txt").write_text(body, encoding="utf-8")
    return folder


def paragraph_weights(folder, dictionary, model=None):
    """Document weights from paragraph weights (as notebook 03 computes them), with a model fitted on the
    paragraphs (K = 4) unless one is given; returns ``(model, weights)``."""
    units = tp.make_units(load_corpus(folder).docs, unit="paragraph", min_chars=80)
    tokens = tokenize_corpus(units.text.tolist(), n_jobs=1, progress=False)
    if dictionary is None:
        dictionary, _ = tp.build_dictionary(tokens, no_below=5, no_above=0.5)
    bow = tp.bow_corpus(tokens, dictionary)
    model = model or tp.fit_lda(bow, dictionary, num_topics=4, random_state=0, sweeps=200)
    theta = tp.without_topic(tp.doc_topic_matrix(model, bow, random_state=0), bow)
    return model, dictionary, tp.aggregate_units(theta, units, [sum(c for _, c in b) for b in bow])[1]


@pytest.fixture(scope="module")
def days_and_stories(tmp_path_factory):
    """Topics fitted once on the paragraphs of the joined days; the same model gives each story alone its weights."""
    stories = pd.read_json(HELDOUT, lines=True, dtype={"id": str})
    tmp = tmp_path_factory.mktemp("days")
    model, dictionary, day_theta = paragraph_weights(write_days(tmp / "days", stories), None)
    _, _, story_theta = paragraph_weights(write_days(tmp / "stories", stories, per_day=1), dictionary, model)
    return day_theta, story_theta


def test_days_of_unrelated_stories_are_counted_as_mixed(days_and_stories):
    day_theta, story_theta = days_and_stories
    mixed = tp.mixed_rows(day_theta)
    assert mixed.tolist() == (np.nanmax(day_theta, axis=1) <= tp.MIXED_THRESHOLD).tolist()
    # joining unrelated stories mixes their topics: far more days than single stories have no topic above half
    assert mixed.mean() > 2 * tp.mixed_rows(story_theta).mean()
    assert mixed.sum() >= len(day_theta) // 4
    said = tp.mixed_sentence(day_theta)
    assert said.startswith(f"{mixed.sum()} of {len(day_theta)} documents are mixed: in each of them no topic holds")
    assert f"the median largest weight is {np.median(day_theta.max(axis=1)):.2f}" in said
    counts = tp.dominant_counts(day_theta)
    assert counts.loc["documents"].sum() == len(day_theta)  # every document under its largest topic, as before
    assert counts.iloc[1].sum() == mixed.sum() and (counts.iloc[1] <= counts.loc["documents"]).all()
    assert counts.index[1] == f"of them mixed (no topic above {tp.MIXED_THRESHOLD:g})"


def test_without_mixed_documents_the_counts_read_as_before(days_and_stories):
    _, story_theta = days_and_stories
    clear = story_theta[~tp.mixed_rows(story_theta)]
    assert len(clear) > 0.8 * len(story_theta)  # nearly every single story has one topic above half (95%)
    assert tp.mixed_sentence(clear) == ""
    counts = tp.dominant_counts(clear)
    before = pd.Series(tp.dominant_topics(clear)).value_counts().reindex([1, 2, 3, 4, tp.NO_TOPIC], fill_value=0)
    assert counts.index.tolist() == ["documents"] and counts.loc["documents"].tolist() == before.tolist()
