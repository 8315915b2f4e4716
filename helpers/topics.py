"""LDA topic models that are reproducible, with evidence for the number of topics, and an offline pyLDAvis page.

The functions here answer the usual complaints about LDA + pyLDAvis:

- *slow, and results change from run to run*: :func:`fit_lda`, the one fitter, uses tomotopy's collapsed Gibbs
  sampler in C++ by default (one worker, fixed seed, SIMD instruction set pinned to SSE2 so that other machines
  give the same numbers) or gensim's ``LdaModel`` (``engine="gensim"``: one process, fixed ``random_state``, BLAS
  limited to one thread); :func:`doc_topic_matrix` infers document topics from the model and the input alone, so
  the same input gives the same tables. Tables are rounded to 6 decimals so that they are byte-identical between
  runs.
- *coherence is NaN on small corpora*: :func:`coherence_scores` computes ``c_v``, ``c_npmi`` and ``u_mass`` per
  topic and replaces every non-finite value by a documented value (``c_v`` 0, ``c_npmi`` -1, ``u_mass``
  ``log(1e-12)``), counting the replacements so that nothing is hidden.
- *how many topics?*: :func:`k_sweep` fits every (K, seed) pair, scores coherence and the stability of topics
  across seeds (:func:`match_topics`: Hungarian matching on the Jaccard overlap of top terms), and
  :func:`choose_k` picks K with a stated reason.
- *topics named by words of any text (没有·可能·很多)*: :func:`topic_labels` and :func:`topics_table` rank a
  topic's terms by relevance (:func:`term_relevance`, λ = :data:`RELEVANCE_LAMBDA`, as pyLDAvis does); coherence
  and stability score the most probable terms (:func:`top_terms` without ``relevance``), as they are defined.
- *pyLDAvis renumbers topics*: :func:`prepare_ldavis` passes ``sort_topics=False``; all tables here number topics
  from 1 like pyLDAvis does (``topic = model index + 1``).
- *pyLDAvis is blank offline*: :func:`ldavis_html` writes a page with the d3, LDAvis JS and CSS that the
  ``pyLDAvis`` package ships inlined, loading nothing from another host. (pyLDAvis 3.4.1 works with pandas 3
  when given raw arrays, as :func:`prepare_ldavis` does; no work-around was needed.)

Analysis only: agreement with gold labels and the naive baseline are in :mod:`helpers.validation.topics`, the
figures of notebook 03 in :mod:`helpers.plotting.topics`.

>>> texts = [["扶贫", "产业", "脱贫"], ["扶贫", "产业", "就业"], ["足球", "比赛", "球队"], ["足球", "球队", "联赛"]]
>>> dictionary, report = build_dictionary(texts, no_below=1, no_above=1.0)
>>> bow = [dictionary.doc2bow(t) for t in texts]
>>> model = fit_lda(bow, dictionary, num_topics=2, random_state=0, passes=5)
>>> theta = doc_topic_matrix(model, bow)
>>> theta.shape, bool(np.allclose(theta.sum(axis=1), 1))
((4, 2), True)
"""

from __future__ import annotations

import html
import json
import math
import os
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .clean import split_paragraphs

__all__ = [
    "analysis_units",
    "SpreadTopics",
    "spread_topic_terms",
    "spread_topics_sentence",
    "MIN_LEADING_SPREAD_TERMS",
    "UNITS_PER_TOPIC",
    "capped_topic_count",
    "capped_k_range",
    "AUTO_K_MAX",
    "auto_k_range",
    "auto_k_sentence",
    "k_range_with_labels",
    "label_k_sentence",
    "label_count",
    "TokenStream",
    "make_units",
    "units_sentence",
    "unit_advice",
    "resolve_unit",
    "DOCUMENT_UNITS_FROM",
    "FEW_DOCUMENTS",
    "UNITS",
    "modelled_unit",
    "MIN_STABILITY",
    "MIN_UNITS",
    "stability_advice",
    "build_dictionary",
    "MAX_TERM_COUNT",
    "TITLE_REPEATS",
    "weigh_counts",
    "bow_corpus",
    "NEIGHBOURS_ADDED",
    "NEIGHBOURS_USE",
    "neighbour_method",
    "document_neighbours",
    "add_neighbours",
    "ENGINES",
    "DEFAULT_ENGINE",
    "tomotopy_module",
    "engine_info",
    "model_engine",
    "engine_text",
    "TomotopyLDA",
    "fit_lda",
    "fit_best_lda",
    "doc_topic_matrix",
    "RELEVANCE_LAMBDA",
    "topic_shares",
    "term_relevance",
    "top_terms",
    "topic_labels",
    "own_model_sentence",
    "fit_document_topics",
    "coherence_scores",
    "match_topics",
    "stability_scores",
    "k_sweep",
    "best_seed",
    "sample_units",
    "SWEEP_MAX_TOKENS",
    "sweep_sample_sentence",
    "per_word_bound",
    "summarise_sweep",
    "choose_k",
    "topics_table",
    "doc_topics_table",
    "aggregate_units",
    "HeatmapDocuments",
    "heatmap_documents",
    "representative_units",
    "RECURRING_MIN_COPIES",
    "RECURRING_TERM_SHARE",
    "recurring_text_terms",
    "recurring_text_sentence",
    "prepare_ldavis",
    "cjk_font_face",
    "ldavis_html",
    "save_ldavis",
    "ldavis_iframe",
]

DECIMALS = 6
#: The LDA engines :func:`fit_lda` offers; the first is the default. tomotopy (collapsed Gibbs sampling in C++) won
#: on every measure on the labelled validation sets of ``data/`` (see ``data/xwlb_sections_heldout/SOURCE.md``):
#: higher NMI against labels, more stable across seeds, 2-4x faster than gensim's variational Bayes.
ENGINES: tuple[str, ...] = ("tomotopy", "gensim")
DEFAULT_ENGINE = ENGINES[0]
#: tomotopy's SIMD instruction set, pinned before tomotopy is imported: SSE2, which every x86-64 processor has.
#: Measured with tomotopy 0.14.0 (cnews slice, K=10, 500 sweeps): topic-word distributions were bit-identical under
#: avx512, avx2 and sse2, but document-topic proportions and the learned alpha differed by up to 3e-8 (float32
#: rounding in the vector code), enough to flip a 6th decimal on another machine; the time was the same (6.1-6.4 s).
TOMOTOPY_ISA = "sse2"
#: Gibbs sweeps over the corpus: on the two tuning sets NMI against labels was flat from 300 sweeps on (200, 300,
#: 500 and 1000 compared); 500 leaves a margin for larger corpora.
GIBBS_SWEEPS = 500
#: Sweeps of Gibbs sampling when inferring the topics of a document against a fitted model (tomotopy's default).
INFER_SWEEPS = 100
#: Topic-word prior of Gibbs sampling: 0.2 gave the best mean NMI over seeds on both tuning sets (0.05, 0.1, 0.2,
#: 0.3, 0.5 compared; 0.1 is Griffiths and Steyvers' value) and the most stable topics.
GIBBS_ETA = 0.2
#: Starting document-topic prior; with ``alpha="auto"`` it is learned (asymmetric, Minka's fixed point) every
#: GIBBS_OPTIM_INTERVAL sweeps (tomotopy's defaults).
GIBBS_ALPHA, GIBBS_OPTIM_INTERVAL = 0.1, 10
#: The counts LDA sees (:func:`weigh_counts`): a term counts at most MAX_TERM_COUNT times in the text of a unit, and
#: each token of the unit's title counts TITLE_REPEATS times on top. Measured on the tuning half of the xwlb sections
#: (K=8, mean NMI over seeds 0-9; see ``data/xwlb_sections_heldout/SOURCE.md``): raw counts 0.472, counts capped at 2
#: plus the title 4 times 0.519 (title 3 times 0.495, 6 times 0.526; cap 3: 0.497; presence only: 0.527 but 0.749
#: instead of 0.796 on data/cnews_sample, where a cap of 2 kept 0.791). A term repeated in one story (a leader's
#: name, a country) no longer outweighs the words that say what the story is about.
MAX_TERM_COUNT, TITLE_REPEATS = 2, 4
#: Nearest documents whose weighed counts are added to each document's before LDA (:func:`add_neighbours`),
#: found in :mod:`helpers.similarity`'s background space (:func:`document_neighbours`) where notebook 04 uses it, else
#: by the corpus's own TF-IDF (:func:`neighbour_method`). Tuning half of the xwlb
#: sections (K=8, mean NMI over seeds 0-9, ``benchmarks/tune_topics.py``): none 0.504, 2 neighbours 0.522, 3: 0.539,
#: 5: 0.551 (spread between seeds about +-0.02); data/cnews_sample (K=10, seeds 0-2): none 0.801, 2: 0.788,
#: 3: 0.833, 5: 0.815. Neighbours by the TF-IDF of the corpus's own tokens: 0.529, cnews 0.865. Word priors from
#: k-means clusters, merging 2K topics down to K and a DMR model with the clusters as metadata gained nothing. The
#: background model is built without the held-out half's stories (``scripts/build_background_model.py``), so its
#: figure (``data/xwlb_sections_heldout/SOURCE.md``) is measured on stories neither the recipe nor the model saw.
NEIGHBOURS_ADDED = 3
#: Weight of a term's probability in its topic against its lift over the corpus when topics are labelled and their
#: terms tabled (:func:`term_relevance`): 0.6, the value at which readers of Sievert & Shirley's (2014) user study
#: identified topics best (pyLDAvis's slider). On mixed news (200 CCTV stories; 250 Sina stories of 10 categories,
#: K = 10) it cut the label terms among the 200 words most common in both data/xwlb_sections_heldout and
#: data/cnews_sample from 22 to 15 and from 8 to 5 of 30. A topic that gathers the general words (没有·里·可能)
#: keeps them: there they are the topic's own terms.
RELEVANCE_LAMBDA = 0.6
#: Values that replace non-finite per-topic coherence (see :func:`coherence_scores`).
COHERENCE_FLOOR = {"c_v": 0.0, "c_npmi": -1.0}


# -- units: documents or paragraphs ----------------------------------------------------------------------------
def make_units(
    docs: pd.DataFrame,
    *,
    unit: str = "document",
    text_column: str = "text",
    id_column: str = "doc_id",
    title_column: str = "title",
    min_chars: int = 80,
) -> pd.DataFrame:
    """The texts to model: one row per document, or per paragraph.

    Paragraphs are the lines of the cleaned text; a paragraph shorter than ``min_chars`` characters is joined to
    the next one of the same document (headlines and one-line captions carry too few words to be modelled alone),
    and a short last paragraph is joined to the one before.

    Returns a DataFrame with columns ``unit_id`` (``doc_id`` for documents, ``doc_id#p<n>`` for paragraphs),
    ``doc_id``, ``para`` (0 for documents), ``text`` and ``title``: the document's ``title_column`` for document
    units (empty when the corpus has none), empty for paragraphs (a paragraph does not carry the whole title's
    subject).

    >>> df = pd.DataFrame({"doc_id": ["a"], "text": ["标题\\n" + "第一段。" * 30 + "\\n" + "第二段。" * 30]})
    >>> make_units(df, unit="paragraph", min_chars=20)["unit_id"].tolist()
    ['a#p0', 'a#p1']
    """
    if unit not in {"document", "paragraph"}:
        raise ValueError(f"unit must be 'document' or 'paragraph', not {unit!r}")
    for col in (text_column, id_column):
        if col not in docs.columns:
            raise KeyError(f"make_units: column {col!r} not in {list(docs.columns)}")
    rows = []
    for doc_id, text in zip(docs[id_column].astype(str), docs[text_column].fillna("").astype(str)):
        if unit == "document":
            rows.append((doc_id, doc_id, 0, text))
            continue
        paras: list[str] = []
        buf = ""
        for line in split_paragraphs(text, markup=False):
            buf = f"{buf}\n{line}" if buf else line
            if len(buf) >= min_chars:
                paras.append(buf)
                buf = ""
        if buf:
            if paras:
                paras[-1] = f"{paras[-1]}\n{buf}"
            else:
                paras.append(buf)
        for i, p in enumerate(paras):
            rows.append((f"{doc_id}#p{i}", doc_id, i, p))
    out = pd.DataFrame(rows, columns=["unit_id", "doc_id", "para", "text"])
    titles = docs[title_column].fillna("").astype(str) if title_column in docs.columns else pd.Series([""] * len(docs))
    out["title"] = titles.tolist() if unit == "document" else ""
    return out


class TokenStream:
    """A re-iterable stream of token lists, tokenised chunk by chunk through the project's disk cache.

    Use it instead of a list of token lists when the corpus is large: only one chunk of tokens is in memory at a
    time (the token cache makes every pass after the first cheap). Without ``tokenizer`` the tokens are those of
    :func:`helpers.tokenize.tokenize_corpus` on all ``texts``: the default tokenizer with the terms found in them
    kept whole (:func:`helpers.tokenize.corpus_tokenizer`).

    >>> stream = TokenStream(["精准扶贫", "挂牌督战"], chunk_size=1, n_jobs=1)
    >>> list(stream), len(stream)
    ([['精准扶贫'], ['挂牌督战']], 2)
    """

    def __init__(self, texts: Sequence[str], *, tokenizer=None, chunk_size: int = 2000, n_jobs: int | None = None):
        from .tokenize import corpus_tokenizer

        self.texts = list(texts)
        self.tokenizer = tokenizer or corpus_tokenizer(self.texts)
        self.chunk_size = chunk_size
        self.n_jobs = n_jobs

    def __len__(self) -> int:
        return len(self.texts)

    def __iter__(self) -> Iterator[list[str]]:
        for start in range(0, len(self.texts), self.chunk_size):
            chunk = self.texts[start : start + self.chunk_size]
            yield from self.tokenizer.tokenize_corpus(chunk, n_jobs=self.n_jobs, progress=False)


def modelled_unit(units: pd.DataFrame, n_docs: int, *, unit: str) -> str:
    """The word for what was modelled: ``"document"`` when each of the ``n_docs`` documents is one unit of
    :func:`make_units` (a "paragraph" run on documents without paragraph breaks models whole documents), else
    ``unit``.

    >>> modelled_unit(pd.DataFrame({"doc_id": ["a", "b"]}), 2, unit="paragraph")
    'document'
    >>> modelled_unit(pd.DataFrame({"doc_id": ["a", "a", "b"]}), 2, unit="paragraph")
    'paragraph'
    """
    return "document" if units["doc_id"].is_unique and len(units) == n_docs else unit


#: from this many documents on, ``unit = "auto"`` models whole documents, and a ``"paragraph"`` run is advised to
#: model documents (:func:`unit_advice`); below it, paragraphs. A rule of thumb of notebook 03 since its first
#: version (commit 0f465d4), not a measurement: with :func:`auto_k_range`'s ~16 topics at 500 units, about 30
#: documents per topic, and a few hundred documents is where the stm manual's ranges for whole-document models begin
#: (Roberts, Stewart & Tingley, ``?stm``, argument ``K``: "small corpora (a few hundred to a few thousand)")
DOCUMENT_UNITS_FROM = 500
#: a ``"document"`` run on fewer documents than this is advised to model paragraphs (:func:`unit_advice`); a rule of
#: thumb of notebook 03 since its first version, as :data:`DOCUMENT_UNITS_FROM`
FEW_DOCUMENTS = 50
#: the values of the ``unit`` parameter
UNITS = ("auto", "document", "paragraph")


def resolve_unit(unit: str, n_docs: int) -> str:
    """The unit ``unit`` asks for on ``n_docs`` documents: ``"auto"`` is ``"document"`` from
    :data:`DOCUMENT_UNITS_FROM` documents on, ``"paragraph"`` below; the others are themselves.

    >>> resolve_unit("auto", 5), resolve_unit("auto", 3_000), resolve_unit("paragraph", 3_000)
    ('paragraph', 'document', 'paragraph')
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(map(repr, UNITS))}, not {unit!r}")
    if unit == "auto":
        return "document" if n_docs >= DOCUMENT_UNITS_FROM else "paragraph"
    return unit


def analysis_units(docs: pd.DataFrame, *, unit: str, min_chars: int = 80) -> tuple[pd.DataFrame, str]:
    """The units a run models and the unit it is a run of: :func:`make_units` of the unit :func:`resolve_unit` gives
    (``"auto"``: documents from :data:`DOCUMENT_UNITS_FROM` documents on, else paragraphs), except that a paragraph
    run on documents none of which splits into paragraphs is a ``"document"`` run (its units made again as
    documents, with their titles), so that everything set for document units (title weighting, nearest documents'
    counts, tables per document) applies to it.

    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["一段。" * 30, "另一段。" * 30], "title": ["甲", "乙"]})
    >>> units, used = analysis_units(docs, unit="paragraph")
    >>> used, units["unit_id"].tolist(), units["title"].tolist()
    ('document', ['a', 'b'], ['甲', '乙'])
    >>> analysis_units(docs.assign(text=["一段。" * 30 + "\\n" + "二段。" * 30, "短"]), unit="auto")[1]
    'paragraph'
    """
    asked = resolve_unit(unit, len(docs))
    units = make_units(docs, unit=asked, min_chars=min_chars)
    used = modelled_unit(units, len(docs), unit=asked)
    if used != asked:
        units = make_units(docs, unit=used, min_chars=min_chars)
    return units, used


def units_sentence(units: pd.DataFrame, n_docs: int, *, unit: str) -> str:
    """How ``n_docs`` documents became the ``units`` of :func:`analysis_units`, in one clause that is true whatever
    ``unit`` was asked for: with ``"auto"`` it says which unit the number of documents chose and why, and a paragraph
    run on documents without paragraph breaks says that it modelled whole documents.

    >>> units = pd.DataFrame({"doc_id": ["a", "b"], "para": [0, 0]})
    >>> units_sentence(units, 2, unit="paragraph")  # doctest: +NORMALIZE_WHITESPACE
    '2 documents were modelled whole, one unit each (`unit = "paragraph"`, but no document has paragraph breaks long
    enough to split on, so the run is a `unit = "document"` run throughout: the settings for document units apply)'
    >>> units_sentence(pd.DataFrame({"doc_id": ["a", "a", "b"]}), 2, unit="paragraph")
    '2 documents were modelled as 3 paragraph units'
    >>> units_sentence(pd.DataFrame({"doc_id": ["a", "a", "b"]}), 2, unit="auto")  # doctest: +NORMALIZE_WHITESPACE
    '2 documents were modelled as 3 paragraph units (`unit = "auto"` models the paragraphs of fewer than 500
    documents: more, shorter texts give LDA more co-occurrences to separate themes)'
    """
    asked = resolve_unit(unit, n_docs)
    auto = unit == "auto"
    if modelled_unit(units, n_docs, unit=asked) == "document":
        if asked == "paragraph":
            why = (
                f' (`unit = "auto"` splits fewer than {DOCUMENT_UNITS_FROM:,} documents into paragraph units, but'
                if auto
                else ' (`unit = "paragraph"`, but'
            )
            why += (
                " no document has paragraph breaks long enough to split on, so the run is a "
                '`unit = "document"` run throughout: the settings for document units apply)'
            )
        elif auto:
            why = f' (`unit = "auto"`: from {DOCUMENT_UNITS_FROM:,} documents on, whole documents are modelled)'
        else:
            why = ""
        return f"{n_docs:,} documents were modelled whole, one unit each{why}"
    why = (
        f' (`unit = "auto"` models the paragraphs of fewer than {DOCUMENT_UNITS_FROM:,} documents: more, shorter '
        "texts give LDA more co-occurrences to separate themes)"
        if auto
        else ""
    )
    return f"{n_docs:,} documents were modelled as {len(units):,} {asked} units{why}"


def unit_advice(unit: str, unit_used: str, n_docs: int) -> str:
    """A sentence advising the other unit when the one asked for explicitly does not suit ``n_docs`` documents
    (``""`` otherwise, and always for ``"auto"``, which chose by the same rule and says why in
    :func:`units_sentence`): documents for a paragraph run on :data:`DOCUMENT_UNITS_FROM` documents or more,
    paragraphs for a document run on fewer than :data:`FEW_DOCUMENTS`.

    >>> unit_advice("paragraph", "paragraph", 3_000)
    ' With this many documents, `unit = "document"` (or `"auto"`, which chooses it from 500 documents on) is usually the better choice (and faster).'
    >>> unit_advice("auto", "paragraph", 3_000), unit_advice("paragraph", "paragraph", 499)
    ('', '')
    """
    if unit == "document" and n_docs < FEW_DOCUMENTS:
        return ' So few documents give unstable topics: consider `unit = "paragraph"` (or `"auto"`).'
    if unit == "paragraph" and unit_used == "paragraph" and n_docs >= DOCUMENT_UNITS_FROM:
        return (
            ' With this many documents, `unit = "document"` (or `"auto"`, which chooses it from '
            f"{DOCUMENT_UNITS_FROM:,} documents on) is usually the better choice (and faster)."
        )
    return ""


#: below this mean stability across seeds, the topics of a run move with the seed: a Jaccard overlap of 0.5 between
#: two matched top-10 term lists means about 7 shared terms (x / (20 - x) = 0.5), so under it a third or more of a
#: topic's top terms change with the seed
MIN_STABILITY = 0.5
#: fewer units than this are called too few for stable topics whatever their stability (a rule of thumb of
#: notebook 03, not a measurement: with `k_range = "auto"` (K up to 7 at 100 units), fewer than about 14 units per
#: topic)
MIN_UNITS = 100


def stability_advice(
    n_units: int,
    stability: float,
    token_lists: Sequence[Sequence[str]],
    *,
    what: str = "unit",
    pool_by: Sequence[str] | Mapping[str, Sequence] = (),
) -> str:
    """Why the topics of a run are unstable, and what to do, as a sentence; ``""`` when they are stable enough.

    When the median unit has fewer tokens than :data:`helpers.similarity.LDA_MIN_MEDIAN_TOKENS` (the length below
    which notebook 04 does not trust topics: one concept, one constant), the cause named is the length of the texts
    and the remedy pooling them into longer units, whatever the stability; otherwise, below :data:`MIN_UNITS` units
    or :data:`MIN_STABILITY`, a larger corpus.

    Parameters
    ----------
    n_units : int
        Units modelled.
    stability : float
        Mean stability across seeds at the chosen K (:func:`k_sweep`).
    token_lists : sequence of token lists
        The units' tokens before the dictionary filtering.
    what : str
        The word for a unit (:func:`modelled_unit`).
    pool_by : sequence of str, or mapping of str to sequence
        Columns of the corpus the texts could be pooled by (e.g. ``["date", "source"]``), or each such column with
        every unit's value in it (aligned with ``token_lists``): then pooling is advised only by the columns whose
        pooled units would reach the length, and a corpus that no column pools long enough is told so (1,500
        headlines on 944 dates would pool to 11 tokens a day: review S, session 12).

    >>> stability_advice(1500, 0.4, [["国内联播快讯"]] * 3, what="document", pool_by=["date"])[:60]
    'The median document has 1 token, fewer than 20: texts this s'
    >>> stability_advice(1500, 0.9, [["扶贫"] * 40] * 3)
    ''
    >>> advice = stability_advice(4, 0.4, [["国内联播快讯"] * 6] * 4, pool_by={"date": ["d1", "d2", "d3", "d3"]})
    >>> "`date` joined give a median of 6 tokens at most" in advice, "one row of the corpus file" in advice
    (True, False)
    """
    from .similarity import LDA_MIN_MEDIAN_TOKENS  # not at the top: helpers.similarity imports this module

    median = float(np.median([len(t) for t in token_lists])) if len(token_lists) else 0.0
    if median < LDA_MIN_MEDIAN_TOKENS and isinstance(pool_by, Mapping):
        pooled = {c: _pooled_median(token_lists, values) for c, values in pool_by.items()}
        long_enough = [c for c, m in pooled.items() if m >= LDA_MIN_MEDIAN_TOKENS]
        if pooled and not long_enough:
            tokens = "token" if median == 1 else "tokens"
            best = max(pooled.values())
            named = " or ".join(f"`{c}`" for c in pooled)
            return (
                f"The median {what} has {median:g} {tokens}, fewer than {LDA_MIN_MEDIAN_TOKENS}: texts this short "
                f"share too few words for LDA to separate themes, so the topics are a rough reading aid whatever "
                f"the number of {what}s, and pooling would not lift them: the texts that share {named} joined "
                f"give a median of {best:g} tokens at most. A topic model is not the tool for this corpus; its "
                "keywords (02) and term trends (05) read it."
            )
        pool_by = long_enough
    if median < LDA_MIN_MEDIAN_TOKENS:
        by = " or ".join(f"`{c}`" for c in pool_by) or "a date, source or section"
        per = " or ".join("per day" if c == "date" else f"per {c}" for c in pool_by) or "per day or per source"
        tokens = "token" if median == 1 else "tokens"
        return (
            f"The median {what} has {median:g} {tokens}, fewer than {LDA_MIN_MEDIAN_TOKENS}: texts this short share "
            f"too few words for LDA to separate themes, so the topics are a rough reading aid whatever the number "
            f"of {what}s (a larger corpus of such texts does not help). Pool them into longer units before modelling: "
            f"this notebook has no pooling option, so join the texts that share {by} into one row of the corpus file "
            f'(one document {per}) and run it with `unit = "document"`.'
        )
    if n_units < MIN_UNITS or stability < MIN_STABILITY:
        return (
            f"With {n_units:,} {what}s and this stability, read the topics as a rough reading aid: they move with the "
            "seed. Topics need a larger corpus to be stable."
        )
    return ""


def _pooled_median(token_lists: Sequence[Sequence[str]], values: Sequence) -> float:
    """The median token count of the units made by joining the texts that share a value (missing values alone)."""
    sizes: dict[object, int] = {}
    for i, (tokens, value) in enumerate(zip(token_lists, values, strict=True)):
        key = ("missing", i) if value is None or (isinstance(value, float) and value != value) else value
        sizes[key] = sizes.get(key, 0) + len(tokens)
    return float(np.median(list(sizes.values()))) if sizes else 0.0


# -- dictionary and bag of words -------------------------------------------------------------------------------
def build_dictionary(
    texts: Iterable[Sequence[str]],
    *,
    no_below: int = 5,
    no_above: float = 0.5,
    keep_n: int | None = 20000,
    min_units_for_no_below: int = 100,
):
    """A gensim ``Dictionary`` filtered for topic modelling, and a report of what the filter removed.

    Parameters
    ----------
    texts : iterable of token lists
        A list, or a re-iterable stream such as :class:`TokenStream`.
    no_below : int
        Drop terms that occur in fewer than this many units (typos, names seen once: they cannot define a topic
        and slow every pass).
    no_above : float
        Drop terms that occur in more than this fraction of units (words shared by every topic blur them).
    keep_n : int or None
        Then keep at most this many of the most frequent terms (``None``: no limit).
    min_units_for_no_below : int
        A corpus with fewer units than this gets ``no_below`` scaled down (never below 2) so that a tiny corpus
        keeps a vocabulary; the report says so.

    Returns
    -------
    (dictionary, report)
        The ``gensim.corpora.Dictionary``, and a dict with ``n_units``, ``vocab_before``, ``vocab_after``,
        ``no_below`` (effective), ``no_above``, ``keep_n`` and ``note``.

    >>> d, report = build_dictionary([["扶贫", "产业"], ["扶贫", "就业"]] * 2, no_below=2, no_above=1.0)
    >>> sorted(d.token2id), report["vocab_before"]
    (['产业', '就业', '扶贫'], 3)
    """
    from gensim.corpora import Dictionary

    dictionary = Dictionary(texts)
    n_units = dictionary.num_docs
    vocab_before = len(dictionary)
    eff_no_below = no_below
    note = ""
    if n_units < min_units_for_no_below and no_below > 2:
        eff_no_below = max(2, min(no_below, math.ceil(no_below * n_units / min_units_for_no_below)))
        if eff_no_below != no_below:
            note = f"only {n_units} units: no_below lowered from {no_below} to {eff_no_below}"
    dictionary.filter_extremes(no_below=eff_no_below, no_above=no_above, keep_n=keep_n)
    if len(dictionary) == 0:
        raise ValueError(
            f"build_dictionary: no term left after filtering {n_units} units "
            f"(no_below={eff_no_below}, no_above={no_above}); lower no_below or raise no_above"
        )
    report = {
        "n_units": n_units,
        "vocab_before": vocab_before,
        "vocab_after": len(dictionary),
        "no_below": eff_no_below,
        "no_above": no_above,
        "keep_n": keep_n,
        "note": note,
    }
    return dictionary, report


def weigh_counts(
    doc: Sequence[tuple[int, int]],
    title: Sequence[tuple[int, int]] = (),
    *,
    max_count: int | None = MAX_TERM_COUNT,
    title_repeats: int = TITLE_REPEATS,
) -> list[tuple[int, int]]:
    """The counts LDA is fitted on: a unit's term counts capped at ``max_count``, plus its title's counts
    ``title_repeats`` times (see :data:`MAX_TERM_COUNT` for the measurements behind the defaults).

    Parameters
    ----------
    doc, title : bag-of-words vectors
        ``(term id, count)`` pairs of the unit's text and of its title (empty: no title).
    max_count : int or None
        The most a term of the text counts (``None``: raw counts).
    title_repeats : int
        How many times each title token counts (0: the title is ignored).

    >>> weigh_counts([(0, 5), (1, 1)], [(1, 1), (2, 1)])
    [(0, 2), (1, 5), (2, 4)]
    """
    counts: dict[int, int] = {}
    for i, c in doc:
        counts[int(i)] = min(int(c), max_count) if max_count is not None else int(c)
    for i, c in title:
        counts[int(i)] = counts.get(int(i), 0) + title_repeats * int(c)
    return sorted((i, c) for i, c in counts.items() if c > 0)


def bow_corpus(
    texts: Iterable[Sequence[str]],
    dictionary,
    *,
    titles: Iterable[Sequence[str]] | None = None,
    max_count: int | None = None,
    title_repeats: int = TITLE_REPEATS,
    path: str | Path | None = None,
):
    """Bag-of-words vectors for ``texts``: a list, or (with ``path``) a Matrix Market file streamed from disk.

    Raw counts by default; with ``titles`` (one token list per text) or ``max_count`` the counts are weighed by
    :func:`weigh_counts` (the project's LDA recipe passes ``max_count=MAX_TERM_COUNT`` and the units' titles).
    With ``path`` the vectors are written once with ``MmCorpus.serialize`` and a ``gensim.corpora.MmCorpus`` is
    returned: every later pass (LDA training, inference, coherence) reads it from disk, so a large corpus is never
    held in memory as Python lists.

    >>> from gensim.corpora import Dictionary
    >>> d = Dictionary([["扶贫", "产业"]])
    >>> bow_corpus([["扶贫", "扶贫"]], d), bow_corpus([["扶贫", "扶贫"]], d, titles=[["产业"]], max_count=1)
    ([[(1, 2)]], [[(0, 4), (1, 1)]])
    """
    vectors = (dictionary.doc2bow(list(t)) for t in texts)
    if titles is not None or max_count is not None:
        pairs = (
            zip(vectors, (dictionary.doc2bow(list(t)) for t in titles), strict=True)
            if titles is not None
            else ((v, ()) for v in vectors)
        )
        vectors = (weigh_counts(v, tv, max_count=max_count, title_repeats=title_repeats) for v, tv in pairs)
    if path is None:
        return list(vectors)
    from gensim.corpora import MmCorpus

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    MmCorpus.serialize(str(path), vectors, id2word=dictionary)
    return MmCorpus(str(path))


#: what :func:`neighbour_method`'s sentence says its similarity is used for
NEIGHBOURS_USE = "finding the nearest documents whose counts are added to each document's before LDA"


def neighbour_method(tokens: Sequence[Sequence[str]], *, model=None):
    """The similarity that finds each document's nearest documents (:func:`document_neighbours`): notebook 04's
    default, :func:`helpers.similarity.default_method` (background LSI when the background model knows at least
    :data:`helpers.similarity.BACKGROUND_MIN_KNOWN_SHARE` of the corpus's word occurrences, else the corpus's own
    :data:`helpers.similarity.OWN_METHOD`), with its sentence, which names this use.

    Parameters
    ----------
    tokens : sequence of sequence of str
        The documents' tokens as notebook 04 makes them (:func:`helpers.tokenize.tokenize_corpus`, default
        tokenizer), so that both notebooks measure the same share.
    model : helpers.similarity.BackgroundModel, optional
        The background model (default: the shipped one).

    Returns
    -------
    helpers.similarity.DefaultMethod
        ``method`` (``background`` or ``tfidf``), the share measured and the sentence.

    >>> from helpers.similarity import BackgroundModel
    >>> model = BackgroundModel(terms=np.array(["扶贫", "产业", "脱贫"]), idf=np.ones(3), sketch=np.zeros((1, 3)))
    >>> neighbour_method([["扶贫", "产业"], ["脱贫"]], model=model).method
    'background'
    >>> chosen = neighbour_method([["白藜", "藜芦"], ["产业"]], model=model)
    >>> chosen.method, chosen.sentence[:70]
    ('tfidf', '**TF-IDF cosine** is used for finding the nearest documents whose coun')
    """
    from .similarity import OWN_METHOD, default_method

    return default_method(tokens, ["background", OWN_METHOD], model=model, uses=NEIGHBOURS_USE)


def document_neighbours(
    units: pd.DataFrame,
    *,
    k: int = NEIGHBOURS_ADDED,
    method: str = "background",
    tokens: Sequence[Sequence[str]] | None = None,
) -> np.ndarray:
    """Each unit's ``k`` nearest units (``n x k`` indices, best first, never itself) by a similarity of
    :mod:`helpers.similarity`: ``background``, its title and text in LSI spaces of character bigrams merged with a
    reference news corpus (:class:`helpers.similarity.BackgroundModel`), the best similarity on one broadcaster's
    news; or ``tfidf``, the TF-IDF cosine of the units' own ``tokens`` (:func:`helpers.similarity.fit_tfidf`, as
    notebook 04 computes it), its default where the background model knows too little of the corpus's words.
    :func:`neighbour_method` chooses between them as notebook 04 does.

    Parameters
    ----------
    units : pandas.DataFrame
        Columns ``text`` and, optionally, ``title`` (:func:`make_units` gives both).
    k : int
        Neighbours per unit (capped at ``n - 1``).
    method : str
        ``"background"`` or ``"tfidf"`` (:attr:`helpers.similarity.DefaultMethod.method`).
    tokens : sequence of sequence of str, optional
        The units' tokens, one list per unit (needed by ``tfidf``).

    >>> units = pd.DataFrame({"text": ["扶贫 产业", "扶贫 产业 项目", "足球 比赛", "足球 比赛 球队"]})
    >>> toks = [t.split() for t in units.text]
    >>> document_neighbours(units, k=1, method="tfidf", tokens=toks).ravel().tolist()
    [1, 0, 3, 2]
    """
    from .similarity import background_features, background_titles, fit_tfidf, top_k_neighbours

    if method == "tfidf":
        if tokens is None or len(tokens) != len(units):
            raise ValueError("tfidf neighbours need the tokens of every unit (tokens=...)")
        return top_k_neighbours(fit_tfidf(tokens)[1], k=k)[0]
    if method != "background":
        raise ValueError(f"unknown neighbour similarity {method!r}: 'background' or 'tfidf'")
    from .similarity import BackgroundModel

    _, V = BackgroundModel.load().embed(background_features(units), titles=background_titles(units))
    return top_k_neighbours(V, k=k)[0]


def add_neighbours(bow: Sequence[Sequence[tuple[int, int]]], neighbours) -> list[list[tuple[int, int]]]:
    """Each unit's counts plus those of its neighbours (rows of :func:`document_neighbours`): the counts LDA is
    fitted on and infers topics from. A story then shares the words of the stories most like it, so that
    the kind of story (its section), not only the words it happens to use, shapes the topics; measured in
    :data:`NEIGHBOURS_ADDED`.

    >>> add_neighbours([[(0, 2)], [(0, 1), (1, 1)], [(2, 1)]], [[1], [0], [0]])
    [[(0, 3), (1, 1)], [(0, 3), (1, 1)], [(0, 2), (2, 1)]]
    """
    out = []
    for doc, near in zip(bow, neighbours, strict=True):
        counts = dict(doc)
        for j in near:
            for i, c in bow[int(j)]:
                counts[i] = counts.get(i, 0) + c
        out.append(sorted((int(i), int(c)) for i, c in counts.items()))
    return out


# -- fitting ---------------------------------------------------------------------------------------------------
def _single_thread():
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


def tomotopy_module():
    """``tomotopy``, imported with its SIMD instruction set pinned to :data:`TOMOTOPY_ISA` (SSE2).

    tomotopy picks the widest instruction set of the processor when it is first imported, and its floating-point
    results differ in the last bits between them; pinning one that every x86-64 machine has makes them the same
    everywhere. An explicit ``TOMOTOPY_ISA`` environment variable is respected, and a tomotopy imported before
    this project keeps its own: :func:`engine_info` records which one ran.
    """
    if "tomotopy" not in sys.modules:
        os.environ.setdefault("TOMOTOPY_ISA", TOMOTOPY_ISA)
    import tomotopy

    return tomotopy


def engine_info(engine: str = DEFAULT_ENGINE) -> dict:
    """What reproduces a model of ``engine``: its package version and, for tomotopy, the instruction set in use.

    >>> engine_info("gensim")["engine"]
    'gensim'
    """
    if engine == "tomotopy":
        tt = tomotopy_module()
        return {"engine": engine, "version": tt.__version__, "isa": tt.isa}
    if engine == "gensim":
        import gensim

        return {"engine": engine, "version": gensim.__version__}
    raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")


def engine_text(info: dict | None) -> str:
    """:func:`engine_info` as words for a page: ``"tomotopy 0.14.0 (instruction set sse2)"``; ``None`` (no model
    was fitted) gives ``"none"``.

    >>> engine_text({"engine": "tomotopy", "version": "0.14.0", "isa": "sse2"})
    'tomotopy 0.14.0 (instruction set sse2)'
    >>> engine_text({"engine": "gensim", "version": "4.4.0"})
    'gensim 4.4.0'
    """
    if info is None:
        return "none"
    text = f"{info['engine']} {info['version']}"
    return f"{text} (instruction set {info['isa']})" if info.get("isa") else text


def model_engine(model) -> str:
    """The engine that fitted ``model`` (a :class:`TomotopyLDA` or a gensim ``LdaModel``), for :func:`engine_info`."""
    return "tomotopy" if isinstance(model, TomotopyLDA) else "gensim"


def _bow_words(doc, dictionary, known: set | None = None) -> list[str]:
    """A bag-of-words vector back as words, each repeated by its count (Gibbs sampling samples every token)."""
    return [dictionary[int(i)] for i, c in doc for _ in range(int(c)) if known is None or int(i) in known]


class TomotopyLDA:
    """A fitted ``tomotopy.LDAModel`` behind the part of gensim's ``LdaModel`` interface the project uses
    (``num_topics``, ``id2word``, ``get_topics``), so every table, coherence score and pyLDAvis page works with
    either engine. Topic proportions of documents come from :func:`doc_topic_matrix`.

    Attributes
    ----------
    model : tomotopy.LDAModel
        The fitted model.
    id2word : gensim.corpora.Dictionary
        The vocabulary of the bag-of-words vectors it was fitted on.
    fitted_units : numpy.ndarray or None
        Positions, among the units it was fitted on, of those added to the model (tomotopy skips empty ones).
    n_units : int or None
        Units it was fitted on.
    """

    def __init__(self, model, dictionary, *, fitted_units: Sequence[int] | None = None, n_units: int | None = None):
        self.model = model
        self.id2word = dictionary
        self.fitted_units = None if fitted_units is None else np.asarray(fitted_units, dtype=np.int64)
        self.n_units = n_units
        self.num_topics = int(model.k)
        self.word_ids = np.array([dictionary.token2id[w] for w in model.used_vocabs], dtype=int)
        self._known = set(self.word_ids.tolist())

    def get_topics(self) -> np.ndarray:
        """P(term | topic), topics x dictionary terms (0 for a term the model never saw), as gensim returns it."""
        phi = np.zeros((self.num_topics, len(self.id2word)))
        phi[:, self.word_ids] = [self.model.get_topic_word_dist(t) for t in range(self.num_topics)]
        return phi

    def doc_topics(self, bow, *, chunksize: int = 2000, sweeps: int = INFER_SWEEPS) -> np.ndarray:
        """Topic proportions of bag-of-words vectors, inferred by ``sweeps`` sweeps of Gibbs sampling (each
        document on its own, one worker: the result depends only on the model and the document). A document with
        no term of the model gets the prior's proportions."""
        tt = tomotopy_module()
        prior = np.asarray(self.model.alpha, dtype=np.float64)
        rows, chunk = [], []
        for doc in bow:
            chunk.append(_bow_words(doc, self.id2word, self._known))
            if len(chunk) >= chunksize:
                rows.extend(self._infer(tt, chunk, prior, sweeps))
                chunk = []
        rows.extend(self._infer(tt, chunk, prior, sweeps))
        theta = np.array(rows, dtype=np.float64).reshape(-1, self.num_topics)
        return theta / theta.sum(axis=1, keepdims=True)

    def fitted_doc_topics(self) -> np.ndarray:
        """Topic proportions of the units the model was fitted on, from the sampler's last state (no inference,
        so no cost: the way to get them for a corpus too large to infer again). Rows in the order of the fitted
        units; an empty unit gets the prior's proportions, as in :meth:`doc_topics`."""
        if self.fitted_units is None:
            raise ValueError("this model does not record the units it was fitted on; use doc_topics")
        theta = np.tile(np.asarray(self.model.alpha, dtype=np.float64), (self.n_units, 1))
        for row, doc in zip(self.fitted_units, self.model.docs):
            theta[row] = np.asarray(doc.get_topic_dist(), dtype=np.float64)
        return theta / theta.sum(axis=1, keepdims=True)

    def _infer(self, tt, chunk: list[list[str]], prior: np.ndarray, sweeps: int) -> list:
        out = [prior] * len(chunk)
        idx = [i for i, words in enumerate(chunk) if words]  # tomotopy aborts the process on an empty document
        if idx:
            docs = [self.model.make_doc(chunk[i]) for i in idx]
            dists, _ = self.model.infer(docs, iterations=int(sweeps), workers=1, parallel=tt.ParallelScheme.NONE)
            for i, dist in zip(idx, dists):
                out[i] = np.asarray(dist, dtype=np.float64)
        return out


def _gibbs_priors(alpha, eta, num_topics: int) -> tuple[float, float, int]:
    """``(alpha, eta, optim_interval)`` of tomotopy from :func:`fit_lda`'s gensim-style priors."""
    if alpha == "auto":
        a, interval = GIBBS_ALPHA, GIBBS_OPTIM_INTERVAL
    elif alpha == "symmetric":
        a, interval = 1.0 / num_topics, 0
    elif isinstance(alpha, (int, float)):
        a, interval = float(alpha), 0
    else:
        raise ValueError(f"alpha for tomotopy must be 'auto', 'symmetric' or a number, not {alpha!r}")
    e = GIBBS_ETA if eta in ("auto", None) else float(eta)
    return a, e, interval


def _fit_tomotopy(bow, dictionary, *, num_topics: int, random_state: int, alpha, eta, sweeps: int) -> TomotopyLDA:
    """tomotopy's ``LDAModel`` on ``bow`` (read once: a stream is never held in Python), one worker."""
    tt = tomotopy_module()
    a, e, interval = _gibbs_priors(alpha, eta, int(num_topics))
    model = tt.LDAModel(k=int(num_topics), alpha=a, eta=e, seed=int(random_state))
    model.optim_interval = interval
    kept, n = [], 0
    for n, doc in enumerate(bow, start=1):
        words = _bow_words(doc, dictionary)
        if words:  # tomotopy skips empty documents; doc_topic_matrix gives them the prior
            model.add_doc(words)
            kept.append(n - 1)
    if len(model.docs) == 0:
        raise ValueError("fit_lda: every unit is empty after dictionary filtering; lower no_below or raise no_above")
    model.train(int(sweeps), workers=1, parallel=tt.ParallelScheme.NONE)
    return TomotopyLDA(model, dictionary, fitted_units=kept, n_units=n)


def _fit_gensim(bow, dictionary, *, num_topics: int, random_state: int, **settings):
    from gensim.models import LdaModel

    with _single_thread():
        return LdaModel(
            corpus=bow,
            id2word=dictionary,
            num_topics=int(num_topics),
            random_state=int(random_state),
            update_every=1,
            **settings,
        )


def fit_lda(
    bow,
    dictionary,
    *,
    num_topics: int,
    random_state: int = 0,
    engine: str = DEFAULT_ENGINE,
    sweeps: int = GIBBS_SWEEPS,
    passes: int = 20,
    iterations: int = 400,
    alpha: str | float = "auto",
    eta: str | float | None = "auto",
    chunksize: int = 2000,
    eval_every: int | None = None,
    minimum_probability: float = 0.01,
):
    """The project's one LDA fitter, reproducible: the same input and ``random_state`` give the same model.

    ``engine="tomotopy"`` (default) samples topics by collapsed Gibbs sampling in C++ (``tomotopy.LDAModel``, one
    worker, instruction set pinned by :func:`tomotopy_module`); ``engine="gensim"`` fits gensim's ``LdaModel`` by
    online variational Bayes in one process (never ``LdaMulticore``), BLAS limited to one thread.

    Parameters
    ----------
    bow : iterable of bag-of-words vectors
        A list, or a re-iterable stream such as the ``MmCorpus`` that :func:`bow_corpus` returns with ``path``
        (read from disk, never held in memory as Python lists; tomotopy reads it once and keeps the tokens in C++,
        about 16 bytes per token, 2.5 kB per news story).
    dictionary : gensim.corpora.Dictionary
        The vocabulary of ``bow``.
    num_topics : int
        Number of topics K.
    random_state : int
        Seed of the model.
    engine : {"tomotopy", "gensim"}
        The LDA engine (:data:`ENGINES`).
    sweeps : int
        tomotopy: Gibbs sampling sweeps over the corpus (:data:`GIBBS_SWEEPS`).
    passes, iterations, chunksize, eval_every, minimum_probability
        gensim only: passes over the corpus (20, not gensim's 1, which stops long before convergence), variational
        iterations per document (gensim's default: 50), documents per chunk, perplexity logging (off: it draws
        from the random state and changes the model), and the smallest topic weight ``get_document_topics`` lists.
    alpha, eta : str, float or None
        Document-topic and topic-word priors. ``"auto"``: gensim learns asymmetric priors; tomotopy learns an
        asymmetric alpha from :data:`GIBBS_ALPHA` and uses eta = :data:`GIBBS_ETA` (also for ``None``).
        ``"symmetric"`` alpha: 1/K. A number: that fixed value.

    Returns
    -------
    TomotopyLDA or gensim.models.LdaModel

    References
    ----------
    Blei, D. M., Ng, A. Y. and Jordan, M. I. (2003). Latent Dirichlet allocation. *Journal of Machine Learning
    Research* 3, 993–1022.

    Griffiths, T. L. and Steyvers, M. (2004). Finding scientific topics. *PNAS* 101 (suppl. 1), 5228–5235 (collapsed
    Gibbs sampling).

    Hoffman, M. D., Blei, D. M. and Bach, F. (2010). Online learning for latent Dirichlet allocation. *Advances in
    Neural Information Processing Systems* 23, 856–864 (the variational Bayes algorithm gensim implements).

    >>> from gensim.corpora import Dictionary
    >>> texts = [["扶贫", "产业"], ["足球", "比赛"]] * 3
    >>> d = Dictionary(texts)
    >>> [fit_lda([d.doc2bow(t) for t in texts], d, num_topics=2, engine=e, passes=2).num_topics for e in ENGINES]
    [2, 2]
    """
    if engine == "tomotopy":
        return _fit_tomotopy(
            bow, dictionary, num_topics=num_topics, random_state=random_state, alpha=alpha, eta=eta, sweeps=sweeps
        )
    if engine != "gensim":
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    return _fit_gensim(
        bow,
        dictionary,
        num_topics=num_topics,
        random_state=random_state,
        passes=passes,
        iterations=iterations,
        alpha=alpha,
        eta=eta,
        chunksize=chunksize,
        eval_every=eval_every,
        minimum_probability=minimum_probability,
    )


def per_word_bound(model, bow) -> float:
    """How well the model fits ``bow``, per token (higher is better), to choose between seeds of one engine.

    gensim: the variational lower bound on the log likelihood of ``bow`` per token. tomotopy: the log likelihood per
    token of the fitted Gibbs state (``ll_per_word``; ``bow`` is the corpus it was fitted on).
    """
    if isinstance(model, TomotopyLDA):
        return float(model.model.ll_per_word)
    with _single_thread():
        n_tokens = sum(c for doc in bow for _, c in doc)
        return float(model.bound(bow) / max(n_tokens, 1))


def fit_best_lda(bow, dictionary, *, num_topics: int, seeds: Sequence[int] = (0, 1, 2), **kwargs):
    """Fit one model per seed and keep the one with the highest likelihood bound per token.

    Deterministic given ``seeds`` (ties go to the first seed). Returns ``(model, table)`` where the table lists
    ``seed`` and ``bound`` for every run and marks the ``chosen`` one.
    """
    runs = []
    for seed in seeds:
        model = fit_lda(bow, dictionary, num_topics=num_topics, random_state=seed, **kwargs)
        runs.append((seed, per_word_bound(model, bow), model))
    best = max(range(len(runs)), key=lambda i: (runs[i][1], -i))
    table = pd.DataFrame({"seed": [r[0] for r in runs], "bound": [round(r[1], DECIMALS) for r in runs]})
    table["chosen"] = [i == best for i in range(len(runs))]
    return runs[best][2], table


def doc_topic_matrix(
    model, bow, *, random_state: int = 0, chunksize: int = 2000, sweeps: int = INFER_SWEEPS, from_fit: bool = False
) -> np.ndarray:
    """Topic distribution of every unit (rows sum to 1), inferred reproducibly, for a model of either engine.

    tomotopy infers each document on its own by ``sweeps`` sweeps of Gibbs sampling with a fixed seed
    (:meth:`TomotopyLDA.doc_topics`); with ``from_fit``, ``bow`` must be the units the model was fitted on and
    their proportions are read from the sampler's last state instead (:meth:`TomotopyLDA.fitted_doc_topics`:
    no inference, for corpora too large to infer again). gensim's inference draws its starting point from the
    model's random state, which every call advances; the state is reset here so that the result depends only on
    the model and the input.
    """
    if isinstance(model, TomotopyLDA):
        if from_fit:
            if hasattr(bow, "__len__") and len(bow) != model.n_units:
                raise ValueError(f"from_fit: the model was fitted on {model.n_units} units, not {len(bow)}")
            return model.fitted_doc_topics()
        return model.doc_topics(bow, chunksize=chunksize, sweeps=sweeps)
    if from_fit:
        raise ValueError("from_fit needs a tomotopy model: gensim keeps no per-document state")
    model.random_state = np.random.RandomState(random_state)
    parts = []
    chunk: list = []
    with _single_thread():
        for doc in bow:
            chunk.append(doc)
            if len(chunk) >= chunksize:
                parts.append(model.inference(chunk)[0])
                chunk = []
        if chunk or not parts:
            parts.append(model.inference(chunk)[0] if chunk else np.zeros((0, model.num_topics)))
    gamma = np.vstack(parts).astype(np.float64)
    return gamma / gamma.sum(axis=1, keepdims=True)


NO_TOPIC = "no topic"  # what a unit without a single vocabulary token is given instead of a dominant topic


def without_topic(theta: np.ndarray, bow) -> np.ndarray:
    """``theta`` with the rows of units that have no token of the model's vocabulary set to NaN: no topic.

    LDA infers such a unit's topics from nothing, so its row is the prior (the same for every empty unit) and its
    largest weight would name a topic the text never mentions. Every table, count and figure treats a NaN row as
    :data:`NO_TOPIC` (:func:`dominant_topics`); averages leave it out.

    Parameters
    ----------
    theta : numpy.ndarray
        Units x topics weights (:func:`doc_topic_matrix`).
    bow : sequence of bag-of-words
        The units' own counts, in the same order (a streamed corpus is read once).

    Returns
    -------
    numpy.ndarray
        A float copy of ``theta``.

    >>> without_topic(np.array([[0.3, 0.7], [0.6, 0.4]]), [[(0, 2)], []]).tolist()
    [[0.3, 0.7], [nan, nan]]
    """
    out = np.array(theta, dtype=float)
    empty = np.array([not any(c > 0 for _, c in doc) for doc in bow], dtype=bool)
    if len(empty) != len(out):
        raise ValueError(f"{len(out)} rows of topic weights for {len(empty)} units")
    out[empty] = np.nan
    return out


def dominant_topics(theta: np.ndarray) -> np.ndarray:
    """The dominant topic of every row, numbered from 1, or :data:`NO_TOPIC` for a row without topic weights
    (NaN, as :func:`without_topic` marks it, or all zero, as an empty ``doc_topics.csv`` row reads).

    >>> dominant_topics(np.array([[0.3, 0.7], [np.nan, np.nan], [0.0, 0.0]])).tolist()
    [2, 'no topic', 'no topic']
    """
    theta = np.asarray(theta, dtype=float)
    has = np.isfinite(theta).all(axis=1) & (np.nan_to_num(theta).sum(axis=1) > 0)
    best = np.nan_to_num(theta, nan=-1.0).argmax(axis=1) + 1 if theta.size else np.zeros(len(theta), dtype=int)
    return np.array([int(b) if h else NO_TOPIC for b, h in zip(best, has)], dtype=object)


def no_topic_sentence(dominant: Sequence, *, what: str = "documents") -> str:
    """A sentence counting the rows without a topic (:func:`dominant_topics`), or ``""`` when every row has one.

    >>> no_topic_sentence([1, "no topic", 2])
    '1 of 3 documents contains no word of the topic vocabulary: it has no topic and is counted as "no topic", never in a topic.'
    >>> no_topic_sentence(["no topic", "no topic", 2])[:70]
    '2 of 3 documents contain no word of the topic vocabulary: they have no'
    """
    n = sum(1 for d in dominant if d == NO_TOPIC)
    if not n:
        return ""
    verb, has, counted = ("contains", "it has", "is") if n == 1 else ("contain", "they have", "are")
    return (
        f"{n:,} of {len(dominant):,} {what} {verb} no word of the topic vocabulary: {has} no topic and {counted} "
        f'counted as "{NO_TOPIC}", never in a topic.'
    )


#: a document's dominant topic is called clear only above this weight: then it holds more than half of the document,
#: more than all the other topics together (review R8a: broadcast days of 3–6 unrelated stories had a median
#: largest weight of 0.39, and 81 of 150 had none above 0.40, yet each was filed under one topic)
MIXED_THRESHOLD = 0.5
MIXED = "mixed"  # what a document with a topic but none above MIXED_THRESHOLD is called


def mixed_rows(theta: np.ndarray, *, threshold: float = MIXED_THRESHOLD) -> np.ndarray:
    """Which rows are mixed: they have a topic (:func:`dominant_topics`) but no weight above ``threshold``.

    >>> mixed_rows(np.array([[0.3, 0.7], [0.5, 0.5], [np.nan, np.nan]])).tolist()
    [False, True, False]
    """
    theta = np.asarray(theta, dtype=float)
    has = np.array([d != NO_TOPIC for d in dominant_topics(theta)], dtype=bool)
    largest = np.nan_to_num(theta).max(axis=1) if theta.size else np.zeros(len(theta))
    return has & (largest <= threshold)


def mixed_sentence(theta: np.ndarray, *, what: str = "documents", threshold: float = MIXED_THRESHOLD) -> str:
    """A sentence counting the mixed rows (:func:`mixed_rows`), or ``""`` when there are none.

    >>> mixed_sentence(np.array([[0.3, 0.7], [0.5, 0.5], [0.4, 0.6]]))[:76]
    '1 of 3 documents is mixed: in it no topic holds more than half of the weight'
    """
    theta = np.asarray(theta, dtype=float)
    mixed = mixed_rows(theta, threshold=threshold)
    n, has = int(mixed.sum()), np.isfinite(theta).all(axis=1)
    if not n:
        return ""
    verb, it, their = ("is", "it", "its") if n == 1 else ("are", "each of them", "their")
    median = float(np.median(theta[has].max(axis=1)))
    return (
        f"{n:,} of {len(theta):,} {what} {verb} mixed: in {it} no topic holds more than half of the weight "
        f"(largest weight at most {threshold:g}; over all {what} with a topic, the median largest weight is "
        f"{median:.2f}), so {their} dominant topic is only the largest of several."
    )


def dominant_counts(theta: np.ndarray, *, threshold: float = MIXED_THRESHOLD) -> pd.DataFrame:
    """Documents per dominant topic (columns 1..K and :data:`NO_TOPIC`), and how many of them are mixed.

    Row ``documents`` counts every document under its dominant topic, mixed ones (:func:`mixed_rows`) included;
    when some document is mixed, a second row gives how many of each column are, so that no count reads as
    documents about one topic.

    >>> dominant_counts(np.array([[0.3, 0.7], [0.5, 0.5], [0.8, 0.2]])).to_dict("split")["data"]
    [[2, 1, 0], [1, 0, 0]]
    """
    theta = np.asarray(theta, dtype=float)
    dominant, mixed = dominant_topics(theta), mixed_rows(theta, threshold=threshold)
    columns = [*range(1, theta.shape[1] + 1), NO_TOPIC]
    rows = {"documents": pd.Series(dominant).value_counts().reindex(columns, fill_value=0)}
    if mixed.any():
        name = f"of them {MIXED} (no topic above {threshold:g})"
        rows[name] = pd.Series(dominant[mixed]).value_counts().reindex(columns, fill_value=0)
    return pd.DataFrame(rows).T.astype(int)


def topic_shares(model) -> np.ndarray:
    """P(topic): the share of the fitted tokens each topic holds (tomotopy's token counts per topic, gensim's
    expected counts ``state.sstats``); equal shares for a model that records neither."""
    if isinstance(model, TomotopyLDA):
        sizes = np.asarray(model.model.get_count_by_topics(), dtype=np.float64)
    else:
        state = getattr(model, "state", None)
        sizes = np.asarray(state.sstats, dtype=np.float64).sum(axis=1) if state is not None else np.zeros(0)
    if sizes.size != model.num_topics or not sizes.sum() > 0:
        sizes = np.ones(model.num_topics)
    return sizes / sizes.sum()


def term_relevance(model, *, lam: float = RELEVANCE_LAMBDA) -> np.ndarray:
    """Relevance of every term to every topic (topics x dictionary terms), as pyLDAvis ranks terms:
    ``lam * log P(w|t) + (1 - lam) * log(P(w|t) / P(w))``, with ``P(w) = sum_t P(t) P(w|t)`` the model's marginal
    (:func:`topic_shares`), as pyLDAvis computes it (it derives term frequencies from the topics rather than
    taking the corpus counts; its P(t) weighs the documents' topic proportions by their lengths). ``lam = 1`` is
    the probability order; a term the model never saw gets ``-inf``.

    References
    ----------
    Sievert, C. and Shirley, K. (2014). LDAvis: a method for visualizing and interpreting topics. *Proceedings of
    the Workshop on Interactive Language Learning, Visualization, and Interfaces*, 63–70.

    >>> from gensim.corpora import Dictionary
    >>> texts = [["扶贫", "产业"], ["足球", "比赛"]] * 3
    >>> d = Dictionary(texts)
    >>> term_relevance(fit_lda([d.doc2bow(t) for t in texts], d, num_topics=2, passes=2)).shape
    (2, 4)
    """
    phi = np.asarray(model.get_topics(), dtype=np.float64)
    phi = phi / phi.sum(axis=1, keepdims=True)
    marginal = topic_shares(model) @ phi
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = lam * np.log(phi) + (1 - lam) * (np.log(phi) - np.log(marginal))
    return np.where((phi > 0) & (marginal > 0), rel, -np.inf)


def top_terms(model, *, topn: int = 10, relevance: float | None = None) -> list[list[str]]:
    """The ``topn`` top terms of every topic (ties broken by term id, so the order is stable).

    ``relevance=None`` ranks by P(term | topic): what coherence and stability score (:func:`coherence_scores`,
    :func:`k_sweep`), as those measures are defined. A number ``lam`` ranks by relevance at that weight
    (:func:`term_relevance`): what readers see (:func:`topic_labels`, :func:`topics_table`).
    """
    key = model.get_topics() if relevance is None else term_relevance(model, lam=relevance)
    return [[model.id2word[int(i)] for i in np.lexsort((np.arange(len(row)), -row))[:topn]] for row in key]


def topic_labels(model, *, n: int = 3, relevance: float | None = RELEVANCE_LAMBDA) -> dict[int, str]:
    """A short label for every topic, for figures: ``{1: "T1 term·term·term", …}`` (numbered from 1 as in pyLDAvis),
    its ``n`` top terms by relevance (:func:`term_relevance`, ``lam = RELEVANCE_LAMBDA``), so that words frequent
    in every topic (没有, 可能) do not name one.

    >>> from gensim.corpora import Dictionary
    >>> texts = [["扶贫", "产业"], ["足球", "比赛"]] * 3
    >>> d = Dictionary(texts)
    >>> sorted(topic_labels(fit_lda([d.doc2bow(t) for t in texts], d, num_topics=2, passes=2), n=2))
    [1, 2]
    """
    terms = top_terms(model, topn=n, relevance=relevance)
    return {i + 1: f"T{i + 1} " + "·".join(t) for i, t in enumerate(terms)}


def own_model_sentence(k: int, *, parameter: str, use: str, requested: int | None = None) -> str:
    """One sentence for a notebook that fits its own LDA model: ``k`` topics set by ``parameter`` (not chosen by
    notebook 03's sweep) for ``use``, so its topics are named by their top terms by relevance
    (:func:`topic_labels`), never by a number a reader would match with notebook 03's 主题 numbers. ``requested``:
    the parameter's value when the notebook fitted fewer topics than it asked for (a small corpus).

    >>> own_model_sentence(10, parameter="lda_topics", use="one similarity measure")[:60]
    'The topics on this page come from an LDA model fitted in thi'
    >>> "K = 4 (the `lda_topics` parameter asked for 10, capped" in own_model_sentence(
    ...     4, parameter="lda_topics", use="map colours", requested=10)
    True
    """
    setting = f"the `{parameter}` parameter,"
    if requested is not None and requested != k:
        setting = f"the `{parameter}` parameter asked for {requested}, capped for this corpus's size;"
    return (
        f"The topics on this page come from an LDA model fitted in this notebook with K = {k} ({setting} "
        f"set rather than chosen by a sweep, since the topics serve here as {use}); it is not the model "
        "of notebook 03, whose topic numbers do not correspond to these, so each topic is named by its three top "
        f"terms by relevance (λ = {RELEVANCE_LAMBDA}: probability in the topic weighed against lift over the corpus, "
        "as pyLDAvis ranks them)."
    )


def fit_document_topics(
    tokens: Sequence[Sequence[str]], ids: Sequence[str], *, num_topics: int, random_state: int = 0, **fit_kwargs
):
    """Topics of whole documents in one call: dictionary (default filtering), :func:`fit_lda`, and the long table
    of document topic weights (:func:`doc_topics_table`).

    Parameters
    ----------
    tokens : sequence of token lists
        The tokens of each document.
    ids : sequence of str
        The id of each document, in the same order.
    num_topics : int
        Number of topics.
    random_state : int
        Seed of the model and of the inference of document topics.
    **fit_kwargs
        Passed to :func:`fit_lda` (``passes``, ``iterations`` …).

    Returns
    -------
    (model, table)
        The fitted model and the ``doc_id, topic, weight`` table (empty weights for a document without a
        vocabulary token: no topic, :func:`without_topic`).
    """
    dictionary, _ = build_dictionary(tokens)
    bow = bow_corpus(tokens, dictionary)
    model = fit_lda(bow, dictionary, num_topics=num_topics, random_state=random_state, **fit_kwargs)
    theta = without_topic(doc_topic_matrix(model, bow, random_state=random_state), bow)
    return model, doc_topics_table(theta, ids)


# -- coherence -------------------------------------------------------------------------------------------------
def coherence_scores(
    model,
    *,
    texts: Sequence[Sequence[str]],
    bow,
    dictionary,
    topn: int = 10,
    measures: Sequence[str] = ("c_v", "c_npmi", "u_mass"),
) -> dict:
    """Mean topic coherence per measure, with non-finite per-topic values replaced explicitly.

    ``c_v`` and ``c_npmi`` count co-occurrences in sliding windows over ``texts`` (gensim's windows: 110 and 10
    tokens); ``u_mass`` counts co-occurrence in the units of ``bow``. gensim returns NaN (``c_v``) or infinity
    (``c_npmi``) for a topic with a top term that occurs in none of the windows: a term that survived in the
    dictionary but is absent from the texts scored (a small corpus, a sample of a larger one, texts tokenised
    differently). Such a topic gets the measure's worst meaningful value instead: ``c_npmi`` -1 (NPMI of words that
    never co-occur), ``c_v`` 0 (no evidence of coherence), ``u_mass`` ``log(1e-12)`` (gensim's smoothing floor).
    ``<measure>_replaced`` gives how many topics were replaced, so nothing is silent.

    Parameters
    ----------
    model : gensim.models.LdaModel
        The model whose top terms are scored.
    texts : sequence of token lists
        The token sequences the sliding windows run over (``c_v``, ``c_npmi``).
    bow : iterable of bag-of-words vectors
        The units ``u_mass`` counts co-occurrence in.
    dictionary : gensim.corpora.Dictionary
        The model's vocabulary.
    topn : int
        Top terms per topic that are scored.
    measures : sequence of str
        gensim coherence measures.

    Returns
    -------
    dict
        ``{measure: mean over topics, f"{measure}_replaced": topics replaced}``.

    References
    ----------
    Röder, M., Both, A. and Hinneburg, A. (2015). Exploring the space of topic coherence measures. *Proceedings of
    the Eighth ACM International Conference on Web Search and Data Mining (WSDM '15)*, 399–408 (``c_v``,
    ``c_npmi``).

    Mimno, D., Wallach, H., Talley, E., Leenders, M. and McCallum, A. (2011). Optimizing semantic coherence in topic
    models. *Proceedings of EMNLP 2011*, 262–272 (``u_mass``).

    >>> texts = [["扶贫", "产业", "脱贫"], ["扶贫", "产业", "就业"], ["足球", "比赛", "球队"], ["足球", "球队", "联赛"]]
    >>> d, _ = build_dictionary(texts, no_below=1, no_above=1.0)
    >>> bow = [d.doc2bow(t) for t in texts]
    >>> m = fit_lda(bow, d, num_topics=2, passes=5)
    >>> scores = coherence_scores(m, texts=texts, bow=bow, dictionary=d, topn=3)
    >>> sorted(k for k in scores if not k.endswith("_replaced")), all(np.isfinite(v) for v in scores.values())
    (['c_npmi', 'c_v', 'u_mass'], True)
    """
    import warnings

    from gensim.models import CoherenceModel

    topics = top_terms(model, topn=topn)
    texts = [list(t) for t in texts]
    out: dict = {}
    floors = {**COHERENCE_FLOOR, "u_mass": float(np.log(1e-12))}
    for measure in measures:
        kwargs = {"corpus": bow} if measure == "u_mass" else {"texts": texts}
        with _single_thread(), warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            cm = CoherenceModel(topics=topics, dictionary=dictionary, coherence=measure, topn=topn, **kwargs)
            per_topic = np.asarray(cm.get_coherence_per_topic(), dtype=float)
        bad = ~np.isfinite(per_topic)
        per_topic[bad] = floors[measure]
        out[measure] = float(per_topic.mean())
        out[f"{measure}_replaced"] = int(bad.sum())
    return out


# -- stability -------------------------------------------------------------------------------------------------
def match_topics(terms_a: Sequence[Sequence[str]], terms_b: Sequence[Sequence[str]]):
    """Pair the topics of two runs one-to-one so that the total Jaccard overlap of their top terms is largest.

    Used to choose K (:func:`stability_scores`): topics that only one seed finds are artefacts of the
    initialisation.

    Parameters
    ----------
    terms_a, terms_b : sequence of term lists
        The top terms of each topic of two runs (:func:`top_terms`).

    Returns
    -------
    (pairs, jaccard)
        ``pairs[i]`` is the index in ``terms_b`` matched to topic ``i`` of ``terms_a`` (-1 if unmatched, when
        ``terms_b`` has fewer topics), ``jaccard[i]`` the overlap of that pair.

    References
    ----------
    Kuhn, H. W. (1955). The Hungarian method for the assignment problem. *Naval Research Logistics Quarterly* 2,
    83–97 (solved with ``scipy.optimize.linear_sum_assignment``).

    Greene, D., O'Callaghan, D. and Cunningham, P. (2014). How many topics? Stability analysis for topic models.
    *ECML PKDD 2014*, 498–513 (stability of topics across runs to choose K).

    >>> pairs, jac = match_topics([["a", "b"], ["c", "d"]], [["c", "d"], ["a", "x"]])
    >>> pairs.tolist(), jac.round(3).tolist()
    ([1, 0], [0.333, 1.0])
    """
    from scipy.optimize import linear_sum_assignment

    sets_a = [set(t) for t in terms_a]
    sets_b = [set(t) for t in terms_b]
    sim = np.array([[len(a & b) / len(a | b) if a | b else 0.0 for b in sets_b] for a in sets_a])
    rows, cols = linear_sum_assignment(-sim)
    pairs = np.full(len(sets_a), -1, dtype=int)
    pairs[rows] = cols
    jac = np.zeros(len(sets_a))
    jac[rows] = sim[rows, cols]
    return pairs, jac


def stability_scores(runs: Sequence[Sequence[Sequence[str]]]) -> list[float]:
    """For each run (its topics' top terms), the mean matched Jaccard against every other run at the same K.

    A value of 1 means every topic of the run is found, with the same top terms, in every other seed's run.
    With a single run there is nothing to compare: NaN.

    >>> stability_scores([[["a", "b"]], [["a", "b"]], [["a", "c"]]])
    [0.6666666666666666, 0.6666666666666666, 0.3333333333333333]
    """
    n = len(runs)
    if n < 2:
        return [float("nan")] * n
    pair_mean = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            pair_mean[i, j] = pair_mean[j, i] = float(match_topics(runs[i], runs[j])[1].mean())
    return [float(pair_mean[i].sum() / (n - 1)) for i in range(n)]


# -- choosing K ------------------------------------------------------------------------------------------------
@dataclass
class _SweepResult:
    k: int
    seed: int
    scores: dict
    terms: list


#: an LDA model has at most one topic per UNITS_PER_TOPIC units it is fitted on (and at least 2): with as many topics
#: as units, each topic is one unit's vocabulary (a review ran 8 topics on 8 documents); notebooks 03 and 04 both
#: apply it (:func:`capped_topic_count`)
UNITS_PER_TOPIC = 2


def capped_topic_count(n_units: int, requested: int) -> int:
    """``requested`` topics, at most one per :data:`UNITS_PER_TOPIC` units fitted, at least 2.

    >>> capped_topic_count(8, 10), capped_topic_count(500, 10), capped_topic_count(3, 10)
    (4, 10, 2)
    """
    return max(2, min(int(requested), n_units // UNITS_PER_TOPIC))


def capped_k_range(
    k_range: Sequence[int], n_units: int, *, what: str = "units", parameter: str = "k_range"
) -> tuple[list[int], str]:
    """The K values of a sweep on ``n_units`` units (``what``), each capped by :func:`capped_topic_count` (duplicates
    dropped, order kept), and a sentence saying which values of ``parameter`` were capped (``""`` when none was).

    >>> capped_k_range([2, 3, 4, 5, 6, 8], 8)
    ([2, 3, 4], 'K is at most 4 here: 8 units allow at most one topic per 2 units (at least 2), so K = 5, 6, 8 of `k_range` were not tried.')
    >>> capped_k_range([2, 4], 500)
    ([2, 4], '')
    """
    ks = list(dict.fromkeys(capped_topic_count(n_units, k) for k in k_range))
    over = [int(k) for k in k_range if capped_topic_count(n_units, k) != int(k)]
    if not over:
        return ks, ""
    return ks, (
        f"K is at most {max(ks)} here: {n_units:,} {what} allow at most one topic per {UNITS_PER_TOPIC} {what} "
        f"(at least 2), so K = {', '.join(map(str, over))} of `{parameter}` {'was' if len(over) == 1 else 'were'} not tried."
    )


#: ``k_range = "auto"``: the largest K tried is sqrt(n / 2) for n units, the rule of thumb for the number of clusters
#: in n observations (Mardia, Kent & Bibby, *Multivariate Analysis*, 1979), which lands in the ranges the stm manual
#: suggests for topics (Roberts, Stewart & Tingley, ``?stm``, argument ``K``: 3-10 topics for short corpora on one
#: subject, 5-50 for a few hundred to a few thousand documents); capped at AUTO_K_MAX, inside that 5-50, so that
#: the sweep's cost and the tables stay bounded on large corpora (a project choice, not a measurement)
AUTO_K_MAX = 30
#: the smallest K tried is the largest divided by this (at least 2): 6 to 30 on thousands of units, 2 to 7 on ~100
AUTO_K_SPAN = 5
#: at most this many K values are tried (geometrically spaced), as many as the former fixed default [2, 3, 4, 5, 6, 8]:
#: the sweep fits len(values) x len(seeds) models on at most `sweep_max_units` units, whatever the corpus size
AUTO_K_VALUES = 6


def auto_k_range(n_units: int) -> list[int]:
    """The K values ``k_range = "auto"`` tries on ``n_units`` units: from ``max(2, K_max / AUTO_K_SPAN)`` to
    ``K_max = min(AUTO_K_MAX, round(sqrt(n_units / 2)))`` (at least 2), at most :data:`AUTO_K_VALUES` values spaced
    geometrically (every integer when the span holds that few), each within :func:`capped_topic_count`.

    >>> auto_k_range(20), auto_k_range(86), auto_k_range(500), auto_k_range(3_000), auto_k_range(14_263)
    ([2, 3], [2, 3, 4, 5, 6, 7], [3, 4, 6, 8, 11, 16], [6, 8, 11, 16, 22, 30], [6, 8, 11, 16, 22, 30])
    """
    k_max = capped_topic_count(n_units, min(AUTO_K_MAX, max(2, round(math.sqrt(n_units / 2)))))
    k_min = max(2, round(k_max / AUTO_K_SPAN))
    if k_max - k_min + 1 <= AUTO_K_VALUES:
        return list(range(k_min, k_max + 1))
    ks = np.geomspace(k_min, k_max, AUTO_K_VALUES)
    return list(dict.fromkeys(int(round(k)) for k in ks))


def auto_k_sentence(ks: Sequence[int], n_units: int, *, what: str = "units") -> str:
    """How ``k_range = "auto"`` chose the values ``ks`` (:func:`auto_k_range`) for ``n_units`` units, with the rule.

    >>> auto_k_sentence(auto_k_range(3_000), 3_000, what="documents")  # doctest: +NORMALIZE_WHITESPACE
    '`k_range = "auto"` gives K = 6, 8, 11, 16, 22, 30 on 3,000 documents: the largest K is √(n/2) for n units
    (here 39), a rule of thumb for the number of clusters (Mardia et al. 1979), kept between 2 and 30; the smallest is
    the largest divided by 5 (at least 2); at most 6 values, spaced geometrically.'
    """
    root = round(math.sqrt(n_units / 2))
    return (
        f'`k_range = "auto"` gives K = {", ".join(map(str, ks))} on {n_units:,} {what}: the largest K is √(n/2) for n '
        f"units (here {root}), a rule of thumb for the number of clusters (Mardia et al. 1979), kept between 2 and "
        f"{AUTO_K_MAX}; the smallest is the largest divided by {AUTO_K_SPAN} (at least 2); at most {AUTO_K_VALUES} "
        "values, spaced geometrically."
    )


def label_count(labels: pd.Series) -> int:
    """The number of distinct labels, empty and missing ones not counted.

    >>> label_count(pd.Series(["体育", " 体育", None, "", "财经"]))
    2
    """
    values = pd.Series(labels).dropna().astype(str).str.strip()
    return int(values[values != ""].nunique())


def k_range_with_labels(
    k_range: Sequence[int], labels: pd.Series, *, column: str, n_units: int | None = None, what: str = "units"
) -> tuple[list[int], str]:
    """``k_range`` with the number of distinct labels of ``column`` added (sorted), so that the sweep can try one
    topic per label, and a sentence saying so (``""`` when fewer than two labels or the number is already there).

    Empty and missing labels are not a value (:func:`label_count`). With ``n_units`` (of kind ``what``) the number
    is added only when :func:`capped_topic_count` allows it, and the sentence otherwise says why it was not tried.

    >>> k_range_with_labels([2, 4, 8], pd.Series(["体育", "财经", "体育", "", "教育"]), column="类别")
    ([2, 3, 4, 8], '`类别` has 3 distinct values, so K = 3 was added to the values tried (one topic per label).')
    >>> k_range_with_labels([2, 3], pd.Series(["体育", "财经", "教育", "时政"]), column="类别", n_units=6)[1]
    '`类别` has 4 distinct values, but K = 4 was not tried: 6 units allow at most 3 topics.'
    """
    n_labels = label_count(labels)
    ks = [int(k) for k in k_range]
    if n_labels < 2 or n_labels in ks:
        return ks, ""
    said = f"`{column}` has {n_labels} distinct values"
    if n_units is not None and capped_topic_count(n_units, n_labels) < n_labels:
        allowed = capped_topic_count(n_units, n_labels)
        return ks, f"{said}, but K = {n_labels} was not tried: {n_units:,} {what} allow at most {allowed} topics."
    return sorted([*ks, n_labels]), f"{said}, so K = {n_labels} was added to the values tried (one topic per label)."


def label_k_sentence(k: int, tried_without_labels: Sequence[int], labels: pd.Series, *, column: str) -> str:
    """When the chosen ``k`` is the number of distinct labels of ``column`` that :func:`k_range_with_labels` added to
    the K values tried (``tried_without_labels``: those values before it), a sentence saying so: the choice of K by
    coherence and stability used no label, but the labels put that K among the candidates, so the agreement with
    them is not measured blind. ``""`` otherwise (the K was tried anyway, or another K was chosen).

    >>> labels = pd.Series(["体育", "财经", "教育"] * 4)
    >>> print(label_k_sentence(3, [2, 4], labels, column="类别"))  # doctest: +NORMALIZE_WHITESPACE
    K = 3 was tried only because `类别` has 3 distinct values (it is not among the values asked for), so the
    agreement of the topics with `类别` is not blind to those labels: they supplied the number of topics, although
    coherence and stability, not the labels, chose it among the values tried.
    >>> label_k_sentence(3, [2, 3, 4], labels, column="类别"), label_k_sentence(4, [2, 4], labels, column="类别")
    ('', '')
    """
    n_labels = label_count(labels)
    if n_labels < 2 or int(k) != n_labels or n_labels in {int(x) for x in tried_without_labels}:
        return ""
    return (
        f"K = {n_labels} was tried only because `{column}` has {n_labels} distinct values (it is not among the values "
        f"asked for), so the agreement of the topics with `{column}` is not blind to those labels: they supplied the "
        "number of topics, although coherence and stability, not the labels, chose it among the values tried."
    )


def _fit_and_score(bow, dictionary, texts, k, seed, fit_kwargs, topn) -> _SweepResult:
    model = fit_lda(bow, dictionary, num_topics=k, random_state=seed, **fit_kwargs)
    scores = coherence_scores(model, texts=texts, bow=bow, dictionary=dictionary, topn=topn)
    scores["bound"] = per_word_bound(model, bow)
    return _SweepResult(k, seed, scores, top_terms(model, topn=topn))


def k_sweep(
    bow,
    dictionary,
    texts: Sequence[Sequence[str]],
    *,
    k_range: Sequence[int],
    seeds: Sequence[int] = (0, 1, 2),
    topn: int = 10,
    n_jobs: int = 1,
    **fit_kwargs,
) -> pd.DataFrame:
    """Fit LDA for every K in ``k_range`` and every seed; score coherence and stability.

    Each (K, seed) model is deterministic, so running them in parallel processes (``n_jobs`` > 1, joblib) gives
    the same table as running them one after another.

    Parameters
    ----------
    bow : iterable of bag-of-words vectors
        The units to fit (materialised as a list: the sweep runs on a sample, see :func:`sample_units`).
    dictionary : gensim.corpora.Dictionary
        Their vocabulary.
    texts : sequence of token lists
        The same units' tokens, for coherence.
    k_range : sequence of int
        The numbers of topics tried.
    seeds : sequence of int
        One model per seed at every K; stability compares them.
    topn : int
        Top terms per topic for coherence and stability.
    n_jobs : int
        Processes (joblib); the table does not depend on it.
    **fit_kwargs
        Passed to :func:`fit_lda`.

    Returns
    -------
    pandas.DataFrame
        Columns ``k, seed, c_v, c_npmi, u_mass, stability``, ``bound`` (likelihood bound per token, see
        :func:`per_word_bound`) and ``*_replaced`` (counts of topics whose coherence was not finite, see
        :func:`coherence_scores`), rounded to 6 decimals.
    """
    from joblib import Parallel, delayed

    bow = list(bow)
    texts = [list(t) for t in texts]
    configs = [(int(k), int(s)) for k in k_range for s in seeds]
    results = Parallel(n_jobs=n_jobs)(
        delayed(_fit_and_score)(bow, dictionary, texts, k, s, fit_kwargs, topn) for k, s in configs
    )
    rows = []
    for k in dict.fromkeys(int(k) for k in k_range):
        at_k = [r for r in results if r.k == k]
        stab = stability_scores([r.terms for r in at_k])
        for r, st in zip(at_k, stab):
            rows.append(
                {
                    "k": r.k,
                    "seed": r.seed,
                    **{m: r.scores[m] for m in ("c_v", "c_npmi", "u_mass")},
                    "stability": st,
                    "bound": r.scores["bound"],
                    **{f"{m}_replaced": r.scores[f"{m}_replaced"] for m in ("c_v", "c_npmi", "u_mass")},
                }
            )
    return pd.DataFrame(rows).round(DECIMALS)


def best_seed(sweep: pd.DataFrame, k: int) -> int:
    """The seed whose model at ``k`` has the highest likelihood bound per token in a :func:`k_sweep` table
    (ties: the first seed listed). Refitting with that seed gives the same model as in the sweep.

    >>> best_seed(pd.DataFrame({"k": [3, 3], "seed": [0, 1], "bound": [-7.5, -7.4]}), 3)
    1
    """
    at_k = sweep[sweep["k"] == k]
    if at_k.empty:
        raise ValueError(f"best_seed: K={k} not in the sweep (K tried: {sorted(sweep['k'].unique())})")
    return int(at_k["seed"].iloc[int(np.argmax(at_k["bound"].to_numpy()))])


#: the K sweep's sample holds at most this many (weighed) tokens as well as ``sweep_max_units`` units: a fit's time grows
#: with the tokens, and whole documents with their nearest documents' counts added carry ~14x the tokens of a
#: paragraph (3,000 CCTV stories: 638 a document against 47 a paragraph, session 15), so a sweep on 2,000 of them ran
#: for over ten minutes on two cores (one fit at K = 30: 66 s on 1.29 million tokens); this budget keeps it to a
#: few minutes
SWEEP_MAX_TOKENS = 250_000


def sample_units(
    n: int,
    max_units: int | None,
    *,
    seed: int = 0,
    lengths: Sequence[int] | None = None,
    max_tokens: int | None = None,
) -> np.ndarray:
    """Sorted indices of a reproducible random sample of at most ``max_units`` of ``n`` units (all if fewer) and,
    with ``lengths`` (each unit's tokens), at most ``max_tokens`` tokens (at least one unit): the units are taken in
    one random order until either limit is reached. Without a token limit that binds, the sample is the one
    ``max_units`` alone gives.

    >>> sample_units(5, 3, seed=3).tolist(), sample_units(2, 3).tolist()
    ([0, 2, 4], [0, 1])
    >>> sample_units(5, 3, seed=3, lengths=[10] * 5, max_tokens=100).tolist()
    [0, 2, 4]
    >>> len(sample_units(5, None, lengths=[10] * 5, max_tokens=25)), len(sample_units(5, 3, lengths=[99] * 5, max_tokens=1))
    (2, 1)
    """
    rng = np.random.default_rng(seed)
    order = np.arange(n) if max_units is None or n <= max_units else rng.choice(n, size=max_units, replace=False)
    if lengths is not None and max_tokens is not None:
        lengths = np.asarray(lengths, dtype=np.int64)
        if lengths[order].sum() > max_tokens:
            order = rng.permutation(n) if max_units is None or n <= max_units else order
            keep = int(np.searchsorted(np.cumsum(lengths[order]), max_tokens, side="right"))
            order = order[: max(1, keep)]
    return np.sort(order)


def sweep_sample_sentence(
    n_sampled: int, n_units: int, *, what: str = "units", max_units: int | None = None, max_tokens: int | None = None
) -> str:
    """What the K sweep was fitted on (:func:`sample_units`): all the units, or a sample of them, in which case the
    coherence and stability it reports are the sample's and the final model, fitted on every unit, may differ.
    Given ``max_units`` and ``max_tokens``, a sample smaller than ``max_units`` is said to be limited by the tokens.

    >>> sweep_sample_sentence(2_000, 14_263, what="paragraphs")
    'The sweep used a reproducible sample of 2,000 of the 14,263 paragraphs (`sweep_max_units`): its coherence and stability are measured on that sample, while the final model is fitted on all 14,263.'
    >>> sweep_sample_sentence(86, 86, what="paragraphs")
    'The sweep used all 86 paragraphs.'
    >>> sweep_sample_sentence(390, 3_000, what="documents", max_units=2_000, max_tokens=250_000)[:130]
    'The sweep used a reproducible sample of 390 of the 3,000 documents (at most 250,000 tokens, counted as fitted: `sweep_max_tokens`)'
    """
    if n_sampled >= n_units:
        return f"The sweep used all {n_units:,} {what}."
    by = "`sweep_max_units`"
    if max_tokens is not None and n_sampled < min(n_units, max_units or n_units):
        by = f"at most {max_tokens:,} tokens, counted as fitted: `sweep_max_tokens`"
    return (
        f"The sweep used a reproducible sample of {n_sampled:,} of the {n_units:,} {what} ({by}): its "
        f"coherence and stability are measured on that sample, while the final model is fitted on all {n_units:,}."
    )


def summarise_sweep(sweep: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation over seeds of each measure, one row per K."""
    measures = ["c_v", "c_npmi", "u_mass", "stability"]
    agg = sweep.groupby("k")[measures].agg(["mean", "std"])
    agg.columns = [f"{m}_{s}" for m, s in agg.columns]
    return agg.reset_index()


def choose_k(sweep: pd.DataFrame, *, coherence: str = "c_npmi", max_k: int | None = None) -> tuple[int, str]:
    """Pick K from a :func:`k_sweep` table, and say why (``max_k``: the largest K the corpus allows,
    :func:`capped_k_range`; a K there is not called the edge of the sweep).

    Rule: for each K take the mean over seeds of ``coherence`` and of ``stability``; scale each to [0, 1] across
    the K values tried; the chosen K has the highest average of the two (ties: the smaller K, the simpler model).
    Coherence alone tends to favour few broad topics and stability alone can favour degenerate solutions; asking
    for both picks a K whose topics are interpretable *and* come back when the seed changes.

    >>> sweep = pd.DataFrame({"k": [2, 2, 3, 3], "seed": [0, 1, 0, 1], "c_npmi": [0.1, 0.1, 0.2, 0.2],
    ...                       "stability": [0.5, 0.5, 0.9, 0.9]})
    >>> choose_k(sweep)[0]
    3
    >>> choose_k(sweep.assign(stability=float("nan")))[0]
    3
    """
    means = sweep.groupby("k")[[coherence, "stability"]].mean()
    swept = [int(k) for k in means.index]
    if len(means) == 1:
        k = swept[0]
        return k, f"K={k} is the only value tried."
    if means["stability"].isna().all():  # one seed: nothing to compare, choose on coherence alone
        k = int(means[coherence].idxmax())
        return k, (
            f"K={k} has the highest mean {coherence} ({means.loc[k, coherence]:.3f}) over K in {swept}; stability "
            f"could not be measured with a single seed.{_edge_note(k, swept, max_k)}"
        )

    def scale(s: pd.Series) -> pd.Series:
        s = s.fillna(s.min())
        span = s.max() - s.min()
        return (s - s.min()) / span if span > 0 else s * 0 + 1.0

    score = (scale(means[coherence]) + scale(means["stability"])) / 2
    best = score.max()
    k = int(min(score.index[np.isclose(score, best)]))
    row = means.loc[k]
    reason = (
        f"K={k} has the best combined score ({best:.2f} of 1) of mean {coherence} ({row[coherence]:.3f}) and mean "
        f"topic stability across seeds ({row['stability']:.3f}), each scaled to [0, 1] over K in {swept}."
        f"{_edge_note(k, swept, max_k)}"
    )
    return k, reason


def _edge_note(k: int, swept: list[int], max_k: int | None = None) -> str:
    """A warning when the chosen ``k`` is the largest (or the smallest above 2) of the ``swept`` values: the best
    K may lie outside the sweep, so the note suggests a wider ``k_range``; at ``max_k``, the largest K the corpus
    allows (:func:`capped_k_range`), it says so instead.

    >>> _edge_note(8, [2, 4, 8])
    " K=8 is the largest value tried, so a larger K may score better: widen the sweep, e.g. `-p k_range '[2, 4, 8, 10, 12]'`."
    >>> _edge_note(4, [2, 4, 8])
    ''
    >>> _edge_note(4, [2, 3, 4], max_k=4)
    ' K=4 is the largest value this corpus allows.'
    """
    if max_k is not None and k >= max_k:
        return f" K={k} is the largest value this corpus allows."
    if k == max(swept):
        wider, side = sorted(swept) + [k + 2, k + 4], "largest"
    elif k == min(swept) and k > 2:  # below 2 there is no topic model to try
        wider, side = sorted(set(range(max(2, k - 2), k)) | set(swept)), "smallest"
    else:
        return ""
    return (
        f" K={k} is the {side} value tried, so a {'larger' if side == 'largest' else 'smaller'} K may score "
        f"better: widen the sweep, e.g. `-p k_range '{wider}'`."
    )


# -- result tables ---------------------------------------------------------------------------------------------
def topics_table(model, *, topn: int = 20, relevance: float | None = RELEVANCE_LAMBDA) -> pd.DataFrame:
    """Top terms of every topic as readers see them: columns ``topic`` (1-based, as in pyLDAvis), ``rank``
    (1-based), ``term``, ``weight`` (P(term | topic)) and ``relevance`` (:func:`term_relevance` at
    ``lam = RELEVANCE_LAMBDA``), both rounded to 6 decimals.

    Terms are chosen and ranked by relevance (as pyLDAvis ranks its bars, whose lengths are the probabilities), so
    the labels (:func:`topic_labels`) are the first terms of this table; ``relevance=None`` ranks them by
    P(term | topic), the order coherence and stability score (:func:`top_terms`).
    """
    phi = model.get_topics()
    rel = term_relevance(model, lam=RELEVANCE_LAMBDA if relevance is None else relevance)
    key = phi if relevance is None else rel
    rows = []
    for t, row in enumerate(key):
        for rank, i in enumerate(np.lexsort((np.arange(len(row)), -row))[:topn], start=1):
            rows.append((t + 1, rank, model.id2word[int(i)], round(float(phi[t, i]), DECIMALS), _rounded(rel[t, i])))
    return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight", "relevance"])


def _rounded(x: float) -> float:
    return round(float(x), DECIMALS) if np.isfinite(x) else float("nan")


def doc_topics_table(theta: np.ndarray, ids: Sequence[str], *, id_name: str = "doc_id") -> pd.DataFrame:
    """Long table of topic weights: one row per (id, topic) with every topic (weights sum to 1 per id; a unit
    without a topic, :func:`without_topic`, has empty weights).

    >>> doc_topics_table(np.array([[0.25, 0.75]]), ["a"])
    doc_id  topic  weight
    0      a      1    0.25
    1      a      2    0.75
    """
    theta = np.asarray(theta, dtype=float)
    n, k = theta.shape
    return pd.DataFrame(
        {
            id_name: np.repeat(np.asarray(list(ids), dtype=object), k),
            "topic": np.tile(np.arange(1, k + 1), n),
            "weight": np.round(theta.reshape(-1), DECIMALS),
        }
    )


def aggregate_units(theta: np.ndarray, units: pd.DataFrame, lengths: Sequence[int]) -> tuple[list[str], np.ndarray]:
    """Document topic weights from paragraph weights: the token-count-weighted mean of a document's paragraphs.

    Returns ``(doc_ids, matrix)`` in order of first appearance. Paragraphs without a topic (NaN rows,
    :func:`without_topic`) or without tokens add nothing; a document none of whose paragraphs has a topic gets a
    NaN row: no topic.

    >>> units = pd.DataFrame({"doc_id": ["a", "a", "b"]})
    >>> aggregate_units(np.array([[1.0, 0.0], [0.0, 1.0], [np.nan, np.nan]]), units, [3, 1, 0])[1].tolist()
    [[0.75, 0.25], [nan, nan]]
    """
    theta = np.asarray(theta, dtype=float)
    lengths = np.asarray(lengths, dtype=float)
    doc_ids = list(dict.fromkeys(units["doc_id"].astype(str)))
    index = {d: i for i, d in enumerate(doc_ids)}
    rows = np.array([index[d] for d in units["doc_id"].astype(str)])
    out = np.zeros((len(doc_ids), theta.shape[1]))
    w = np.where(np.isfinite(theta).all(axis=1), np.maximum(lengths, 0), 0.0)
    np.add.at(out, rows, np.nan_to_num(theta) * w[:, None])
    total = out.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return doc_ids, np.where(total > 0, out / total, np.nan)


#: the document–topic heatmap shows about this many documents (0.32 inch a row in
#: :func:`helpers.plotting.topics.plot_doc_topics`: about a page), more when K needs HEATMAP_MIN_PER_TOPIC each
HEATMAP_ROWS = 40
#: every topic shows at least this many of its documents: its clearest and its most mixed
HEATMAP_MIN_PER_TOPIC = 2


@dataclass
class HeatmapDocuments:
    """The documents a document–topic heatmap shows (:func:`heatmap_documents`), and the caption that says so.

    ``rows`` indexes ``theta``: the chosen documents, then every document without a topic, which
    :func:`helpers.plotting.topics.plot_doc_topics` counts under its axis and does not draw. Pass it
    ``max_rows=self.max_rows``, with which it keeps every chosen document (it takes ``max_rows // K`` per topic).
    """

    rows: np.ndarray
    n_shown: int
    per_topic: int
    n_topics: int
    sentence: str

    @property
    def max_rows(self) -> int:
        return self.n_topics * self.per_topic


def heatmap_documents(theta: np.ndarray, *, max_rows: int = HEATMAP_ROWS, what: str = "documents") -> HeatmapDocuments:
    """Which documents a heatmap of ``theta`` (documents × topics) shows, so that it says something at any size.

    Each topic shows the documents it dominates (:func:`dominant_topics`; a mixed document under its largest topic),
    at most ``per_topic = max(HEATMAP_MIN_PER_TOPIC, max_rows // K)`` of them: all of them when they are that few,
    else those at evenly spaced ranks of their weight on the topic, from the largest (the clearest document) to the
    smallest (the most mixed). The clearest alone would be solid blocks of weight ≈ 1 on a large corpus (a review
    saw 36 of 3,915 stories all at ≈ 1); the spread of ranks shows how clear-cut or mixed a topic's documents are.

    >>> theta = np.array([[0.9, 0.1], [0.8, 0.2], [0.6, 0.4], [0.3, 0.7], [np.nan, np.nan]])
    >>> chosen = heatmap_documents(theta, max_rows=4)
    >>> chosen.rows.tolist(), chosen.max_rows
    ([0, 2, 3, 4], 4)
    >>> print(chosen.sentence)  # doctest: +NORMALIZE_WHITESPACE
    The heatmap shows 3 of the 4 documents with a topic: for each topic, at most 2 of the documents it dominates (a
    mixed document under its largest topic), at evenly spaced ranks of their weight on it, from the clearest
    (largest weight) to the most mixed, so the rows show how the weights spread, not only the clearest; a topic
    that dominates 2 or fewer shows them all. 1 document without a topic is counted under the axis, not drawn.
    """
    theta = np.asarray(theta, dtype=float)
    k = theta.shape[1]
    dominant = dominant_topics(theta)
    per_topic = max(HEATMAP_MIN_PER_TOPIC, max_rows // max(k, 1))
    chosen: list[int] = []
    for t in range(k):
        members = np.flatnonzero(dominant == t + 1)
        members = members[np.lexsort((members, -theta[members, t]))]  # largest weight first, as the figure orders
        if len(members) > per_topic:
            members = members[np.unique(np.round(np.linspace(0, len(members) - 1, per_topic)).astype(int))]
        chosen.extend(members.tolist())
    none = np.flatnonzero(dominant == NO_TOPIC)
    n_topic = len(theta) - len(none)
    one = what[:-1] if what.endswith("s") else what
    if len(chosen) == n_topic:
        shown = f"The heatmap shows all {n_topic:,} {what if n_topic != 1 else one} with a topic."
    else:
        shown = (
            f"The heatmap shows {len(chosen):,} of the {n_topic:,} {what} with a topic: for each topic, at most "
            f"{per_topic} of the {what} it dominates (a mixed {one} under its largest topic), at evenly spaced ranks of "
            "their weight on it, from the clearest (largest weight) to the most mixed, so the rows show how the "
            f"weights spread, not only the clearest; a topic that dominates {per_topic} or fewer shows them all."
        )
    if len(none):
        shown += (
            f" {len(none):,} {what if len(none) != 1 else one} without a topic "
            f"{'are' if len(none) != 1 else 'is'} counted under the axis, not drawn."
        )
    rows = np.array([*chosen, *none.tolist()], dtype=int)
    return HeatmapDocuments(rows=rows, n_shown=len(chosen), per_topic=per_topic, n_topics=k, sentence=shown)


def representative_units(
    theta: np.ndarray, units: pd.DataFrame, *, n: int = 3, max_chars: int = 120, id_column: str = "unit_id"
) -> pd.DataFrame:
    """The ``n`` units with the highest weight of each topic whose texts differ, with a text excerpt.

    A unit whose text is identical to one already listed for the topic (after Unicode NFKC and with whitespace
    removed: a headline carried by two sources, a paragraph a day's file holds twice) is skipped, so each rank
    shows another text; units without a topic (:func:`without_topic`) are never listed.

    Parameters
    ----------
    theta : numpy.ndarray
        Unit × topic weights (rows of NaN: no topic).
    units : pandas.DataFrame
        The units, in the rows' order, with ``text`` and ``id_column``.
    n : int
        Texts per topic (fewer when the topic has fewer distinct texts).
    max_chars : int
        Length of the excerpt; a longer text is cut and ends in "…".
    id_column : str
        The units' id column.

    Returns
    -------
    pandas.DataFrame
        Columns ``topic`` (1-based), ``rank``, ``unit_id``, ``weight``, ``excerpt``.

    Examples
    --------
    >>> units = pd.DataFrame({"unit_id": ["a", "b", "c"], "text": ["脱贫攻坚", "脱贫攻坚 ", "乡村振兴"]})
    >>> representative_units(np.array([[0.9], [0.8], [0.5]]), units, n=2).unit_id.tolist()
    ['a', 'c']
    """
    theta = np.asarray(theta, dtype=float)
    rows = []
    has_topic = np.flatnonzero(np.isfinite(theta).all(axis=1))
    texts = [re.sub(r"\s+", " ", str(t)).strip() for t in units["text"]]
    keys = [re.sub(r"\s+", "", unicodedata.normalize("NFKC", t)) for t in texts]
    for t in range(theta.shape[1]):
        seen: set[str] = set()
        for i in has_topic[np.lexsort((has_topic, -theta[has_topic, t]))]:
            if keys[i] in seen:
                continue
            seen.add(keys[i])
            excerpt = texts[i] if len(texts[i]) <= max_chars else texts[i][:max_chars] + "…"
            rows.append((t + 1, len(seen), units[id_column].iloc[i], round(float(theta[i, t]), 3), excerpt))
            if len(seen) == n:
                break
    return pd.DataFrame(rows, columns=["topic", "rank", id_column, "weight", "excerpt"])


#: a one-term text recurring at least this often is a recurring text (2: any exact repeat, e.g. a programme's
#: section heading such as 国内联播快讯, reprinted daily)
RECURRING_MIN_COPIES = 2
#: a top term is called the recurring text's when at least this share of the units holding it are copies of that text
RECURRING_TERM_SHARE = 0.5


def recurring_text_terms(
    topics: pd.DataFrame,
    texts: Sequence[str],
    token_lists: Sequence[Sequence[str]],
    dominant: Sequence,
    *,
    n_terms: int = 5,
) -> pd.DataFrame:
    """Top terms of a topic that are a whole recurring text: a text repeated unchanged at least
    :data:`RECURRING_MIN_COPIES` times whose only token is the term, and whose copies hold at least
    :data:`RECURRING_TERM_SHARE` of the units with that term. Such a topic gathers copies rather than a theme.

    Parameters
    ----------
    topics : pandas.DataFrame
        :func:`topics_table` (``topic``, ``rank``, ``term``).
    texts, token_lists : sequences
        The units' texts and tokens, in the same order.
    dominant : sequence
        The units' dominant topics (:func:`dominant_topics`).
    n_terms : int
        The top terms of each topic checked.

    Returns
    -------
    pandas.DataFrame
        One row per such term: ``topic``, ``rank``, ``term``, ``copies`` (units that are the text),
        ``in_topic`` (of them, units whose dominant topic is ``topic``).
    """
    from .corpus import recurring_text_keys  # what "the same text" means, as the loading summary counts it

    keys = recurring_text_keys([str(t) for t in texts])
    copies = Counter(k for k in keys if k)
    single: dict[str, set[str]] = {}  # term -> the recurring texts made of that term alone
    for key, toks in zip(keys, token_lists):
        if key and copies[key] >= RECURRING_MIN_COPIES and len(set(toks)) == 1:
            single.setdefault(next(iter(toks)), set()).add(key)
    top = topics[(topics["rank"] <= n_terms) & topics["term"].isin(single)]
    wanted, holds = set(top["term"]), Counter()  # units holding each candidate term (one pass, streams too)
    for toks in token_lists:
        holds.update(wanted.intersection(toks))
    rows = []
    for topic, rank, term in zip(top["topic"], top["rank"], top["term"]):
        n_copies = sum(copies[k] for k in single[term])
        if n_copies < RECURRING_TERM_SHARE * holds[term]:
            continue
        in_topic = sum(1 for k, d in zip(keys, dominant) if k in single[term] and d == topic)
        rows.append((int(topic), int(rank), term, n_copies, in_topic))
    return pd.DataFrame(rows, columns=["topic", "rank", "term", "copies", "in_topic"])


def recurring_text_sentence(found: pd.DataFrame, *, what: str = "unit") -> str:
    """One sentence per topic of :func:`recurring_text_terms`, or ``""`` when it found none.

    >>> found = pd.DataFrame({"topic": [7], "rank": [1], "term": ["国内联播快讯"], "copies": [94], "in_topic": [90]})
    >>> recurring_text_sentence(found, what="document")[:100]
    'T7: its top terms include 国内联播快讯 (rank 1, 94 documents), which is a whole text repeated unchanged; 9'
    """
    out = []
    for topic, rows in found.groupby("topic", sort=True):
        terms = [f"{t} (rank {r}, {c:,} {what}s)" for t, r, c in zip(rows.term, rows["rank"], rows.copies)]
        listed = terms[0] if len(terms) == 1 else ", ".join(terms[:-1]) + " and " + terms[-1]
        verb = "is a whole text" if len(terms) == 1 else "are whole texts"
        out.append(
            f"T{topic}: its top terms include {listed}, which {verb} repeated unchanged; "
            f"{rows.in_topic.sum():,} of these {rows.copies.sum():,} copies have T{topic} as dominant topic."
        )
    if not out:
        return ""
    return (
        " ".join(out) + " Such a topic gathers copies of a heading more than a theme. They are modelled like any "
        "text (no row is dropped); to leave them out, remove those rows from the corpus file, or pool texts into longer units."
    )


#: top terms of each topic read for words spread like any word (the ten the topic table of notebook 03 shows)
SPREAD_TERMS_READ = 10
#: a topic is marked as led by spread words when at least MIN_LEADING_SPREAD_TERMS of the SPREAD_LEAD_TERMS terms of its
#: label (:func:`topic_labels`: its first terms by relevance) are spread over the units as chance spreads any word
#: (:func:`helpers.keywords.widespread_terms`, notebook 02's check): a majority of the label. Counted on topics fitted
#: with notebook 03's document settings (seed 0): review R10a's 1,000 CSL abstracts (K = 3) 2, 2 and 1 (研究 结果表明
#: 组; 发展 我国 中国; 模型 方法 系统), the 300 of data/csl_sample 1 topic of 3 (影响 研究 应用), 3 of 8, 1 of 10;
#: held-out CCTV stories (data/xwlb_sections_heldout) 1 of 3, 3 of 8, 2 of 10 (主持 召开 国务院: the formula of
#: meeting reports); labelled news never, in data/cnews_sample (K = 3, 8, 10: at most 1 of 3) and in review R10b's
#: Sina files (K = 8: 游戏 玩家 com). Five leading terms with two spread marked topics of a subject (房地产 项目 评论 面积
#: 主要 on cnews), so the label is read, where a reader meets a topic's name
MIN_LEADING_SPREAD_TERMS = 2
SPREAD_LEAD_TERMS = 3
#: the column of notebook 03's topic table that lists each topic's spread terms (:meth:`SpreadTopics.columns`)
SPREAD_COLUMN = "spread like any word"


@dataclass(frozen=True)
class SpreadTopics:
    """The top terms of each topic spread over the units as chance spreads any word (:func:`spread_topic_terms`).

    Attributes
    ----------
    terms : dict
        ``topic -> [terms]``: its top :data:`SPREAD_TERMS_READ` terms so spread, in rank order (empty lists when
        the check could not be made).
    leading : dict
        ``topic -> [terms]``: those among its first :data:`SPREAD_LEAD_TERMS`.
    checked, repeated : int
        Distinct terms checked, and how many of them occur twice in some unit (the check needs
        :data:`helpers.keywords.MIN_REPEATED_SHARE` of them to).
    """

    terms: dict
    leading: dict
    checked: int
    repeated: int

    @property
    def made(self) -> bool:
        """Whether the check could be made (enough terms repeat inside units)."""
        from .keywords import MIN_REPEATED_SHARE

        return self.checked > 0 and self.repeated >= MIN_REPEATED_SHARE * self.checked

    @property
    def led(self) -> list[int]:
        """The topics led by spread words: :data:`MIN_LEADING_SPREAD_TERMS` or more among their first terms."""
        return [t for t, w in self.leading.items() if len(w) >= MIN_LEADING_SPREAD_TERMS]

    def columns(self) -> pd.DataFrame:
        """Two columns for a table of topics, indexed by topic: :data:`SPREAD_COLUMN` (the spread terms, ``—`` when
        the check could not be made) and ``led by them`` (``yes`` for the topics of :attr:`led`).

        >>> SpreadTopics({1: ["研究", "本文"], 2: []}, {1: ["研究", "本文"], 2: []}, 20, 20).columns().to_dict("list")
        {'spread like any word': ['研究 本文', ''], 'led by them': ['yes', '']}
        """
        rows = {t: (" ".join(w) if self.made else "—", "yes" if t in self.led else "") for t, w in self.terms.items()}
        return pd.DataFrame.from_dict(rows, orient="index", columns=[SPREAD_COLUMN, "led by them"])


def spread_topic_terms(topics: pd.DataFrame, texts: Sequence[str], *, n_terms: int = SPREAD_TERMS_READ) -> SpreadTopics:
    """Which top terms of each topic are spread over the units as chance spreads any word: words of the corpus's
    genre (研究, 结果表明, 本文 in abstracts) or of any text, not a subject. The check is
    :func:`helpers.keywords.widespread_terms` (residual IDF below :data:`helpers.keywords.SPREAD_RESIDUAL_IDF`),
    made on the distinct top ``n_terms`` terms of all topics together, and only when enough of them repeat inside
    a unit (:func:`helpers.keywords.spread_terms_flagged`).

    Parameters
    ----------
    topics : pandas.DataFrame
        :func:`topics_table` (``topic``, ``rank``, ``term``).
    texts : sequence of str
        The units modelled (occurrences are counted in them).
    n_terms : int
        Top terms of each topic checked.

    Returns
    -------
    SpreadTopics
        The spread terms per topic, and which topics they lead.

    >>> topics = pd.DataFrame({"topic": [1, 1, 2, 2], "rank": [1, 2, 1, 2], "term": ["研究", "本文", "水运", "航道"]})
    >>> texts = ["本文研究。本文研究。", "本文的研究", "研究本文"] * 4 + ["水运水运水运航道航道航道"] * 2
    >>> found = spread_topic_terms(topics, texts)
    >>> found.terms, found.led
    ({1: ['研究', '本文'], 2: []}, [1])
    """
    from .keywords import CORPUS_ID, spread_terms_flagged, widespread_terms

    top = topics[topics["rank"] <= n_terms].sort_values(["topic", "rank"])
    terms = list(dict.fromkeys(top.sort_values(["rank", "topic"])["term"]))
    table = pd.DataFrame({"doc_id": CORPUS_ID, "method": "topics", "rank": range(1, len(terms) + 1), "term": terms})
    wide, checked, repeated = widespread_terms(table, list(texts), method="topics", top=len(terms))
    spread = set(spread_terms_flagged(wide, checked, repeated))
    by_topic = {int(t): [w for w in g["term"] if w in spread] for t, g in top.groupby("topic", sort=True)}
    leading = {
        int(t): [w for w in g.head(SPREAD_LEAD_TERMS)["term"] if w in spread]
        for t, g in top.groupby("topic", sort=True)
    }
    return SpreadTopics(terms=by_topic, leading=leading, checked=checked, repeated=repeated)


def spread_topics_sentence(found: SpreadTopics, *, what: str = "unit") -> str:
    """What :func:`spread_topic_terms` found, as a sentence: the topics led by spread words, named with them, or
    that none is, or that the check could not be made (``""`` when no term was checked).

    >>> found = SpreadTopics({1: ["研究", "本文", "高"], 2: []}, {1: ["研究", "本文"], 2: []}, 20, 20)
    >>> spread_topics_sentence(found, what="document")[:105]
    'T1 is led by words spread over the documents as chance spreads any word (among its first 3 terms: 研究, 本文)'
    """
    if not found.checked:
        return ""
    spread = f"spread over the {what}s as chance spreads any word"
    if not found.made:
        return (
            f"Whether the topics' top terms are {spread} was not checked: only {found.repeated} of the "
            f"{found.checked} terms occur twice in any one {what}, and the check (residual IDF) needs words to repeat "
            f"inside {what}s; the {what}s are too short for that."
        )
    n_spread = len({w for ws in found.terms.values() for w in ws})
    counted = (
        f"{n_spread} of the {found.checked} distinct terms checked (the top {SPREAD_TERMS_READ} of each topic) are "
        f"so spread; the column `{SPREAD_COLUMN}` of the topic table lists them per topic"
    )
    if not found.led:
        if not n_spread:
            return f"No top term of a topic is {spread}."
        return (
            f"No topic is led by words {spread} (at most {MIN_LEADING_SPREAD_TERMS - 1} among its first "
            f"{SPREAD_LEAD_TERMS} terms): {counted}."
        )
    return _led_sentence(found, spread, counted)


def _led_sentence(found: SpreadTopics, spread: str, counted: str) -> str:
    """The sentence of :func:`spread_topics_sentence` when some topics are led by spread words."""
    led = found.led
    subject = f"T{led[0]}" if len(led) == 1 else ", ".join(f"T{t}" for t in led[:-1]) + f" and T{led[-1]}"
    if len(led) == 1:
        words = f"among its first {SPREAD_LEAD_TERMS} terms: {', '.join(found.leading[led[0]])}"
    else:
        listed = "; ".join(f"T{t} {', '.join(found.leading[t])}" for t in led)
        words = f"among their first {SPREAD_LEAD_TERMS} terms: {listed}"
    verb = "is" if len(led) == 1 else "are"
    return (
        f"{subject} {verb} led by words {spread} ({words}): such words belong to the corpus's genre or to any text "
        "rather than to one subject, so read such a topic by its other terms and its representative texts, not by "
        f"its label. In all, {counted}."
    )


# -- pyLDAvis, offline -----------------------------------------------------------------------------------------
def prepare_ldavis(model, bow, dictionary, *, theta: np.ndarray | None = None, R: int = 30):
    """``pyLDAvis.prepare`` on raw arrays, with ``sort_topics=False`` so that pyLDAvis topic ``i`` is topic ``i``
    of every table here (gensim index ``i - 1``).

    Terms that occur in no unit (possible after filtering) are given a tiny frequency so that pyLDAvis does not
    divide by zero. ``n_jobs=1``: pyLDAvis otherwise starts a process per core.
    """
    import pyLDAvis

    bow = list(bow)
    if theta is None:
        theta = doc_topic_matrix(model, bow)
    topic_term = model.get_topics().astype(float)
    topic_term = topic_term / topic_term.sum(axis=1, keepdims=True)
    doc_lengths = np.array([sum(c for _, c in doc) for doc in bow], dtype=float)
    term_frequency = np.zeros(len(dictionary), dtype=float)
    for doc in bow:
        for i, c in doc:
            term_frequency[i] += c
    term_frequency[term_frequency == 0] = 1e-6
    # empty units (no topic, :func:`without_topic`) carry no information and make pyLDAvis divide by zero
    keep = (doc_lengths > 0) & np.isfinite(np.asarray(theta, dtype=float)).all(axis=1)
    vocab = [dictionary[i] for i in range(len(dictionary))]
    return pyLDAvis.prepare(
        topic_term_dists=topic_term,
        doc_topic_dists=np.asarray(theta, dtype=float)[keep],
        doc_lengths=doc_lengths[keep],
        vocab=vocab,
        term_frequency=term_frequency,
        R=min(R, len(vocab)),
        sort_topics=False,
        mds="pcoa",
        n_jobs=1,
        start_index=1,
    )


def _package_asset(name: str) -> str:
    import pyLDAvis.urls as urls

    paths = {"d3": urls.D3_LOCAL, "ldavis": urls.LDAVIS_LOCAL, "css": urls.LDAVIS_CSS_LOCAL}
    return Path(paths[name]).read_text(encoding="utf-8")


def _script_safe(text: str) -> str:
    """Make text safe inside a ``<script>``/``<style>`` element (no early ``</script>`` or ``<!--``)."""
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def _vis_terms(prepared) -> list[str]:
    if hasattr(prepared, "topic_info"):
        return [str(t) for t in prepared.topic_info["Term"]]
    data = json.loads(prepared) if isinstance(prepared, str) else prepared
    return [str(t) for t in data["tinfo"]["Term"]]


def cjk_font_face(text: str, *, family: str = "LDAvis CJK") -> str:
    """A CSS ``@font-face`` rule carrying the bundled Noto Sans CJK SC font, cut down to the characters of
    ``text`` (plus ASCII) and inlined as a ``data:`` URI (a few hundred kB for a typical pyLDAvis page).

    A page that inlines it shows Chinese terms on a machine without any CJK font, without fetching anything.
    Noto Sans CJK is under the SIL Open Font License, which allows embedding subsets. The subset is made by the
    project's one font subsetter, :func:`helpers.report.subset_cjk_font` (via :func:`helpers.report.font_face_rule`).

    Parameters
    ----------
    text : str
        The text the page shows (the pyLDAvis terms).
    family : str, default "LDAvis CJK"
        The ``font-family`` name of the embedded face.

    Returns
    -------
    str
        A CSS comment naming the font and its licence, and the ``@font-face`` rule.
    """
    from .report.offline import font_face_rule

    chars = {c for c in text if not c.isspace()} | {chr(c) for c in range(32, 127)}
    return (
        "/* Noto Sans CJK SC (SIL Open Font License 1.1), subset to the characters shown on this page */\n"
        + font_face_rule(chars, family=family, cjk_only=False)
    )


def ldavis_html(prepared, *, title: str = "LDA topics", embed_font: bool = True) -> str:
    """A self-contained HTML page for a pyLDAvis visualisation: d3, LDAvis JS and CSS inlined from the files the
    ``pyLDAvis`` package ships; no script, style or data is loaded from another host, so it works from
    ``file://`` and offline.

    With ``embed_font`` (default) the page also carries the project's CJK font, subset to the characters of the
    terms shown (:func:`cjk_font_face`), so Chinese renders even where no CJK font is installed.

    LDAvis records its state in the page URL with ``history.pushState``; where a browser refuses that (a page
    shown in an ``<iframe srcdoc>``), the refusal is caught so the visualisation keeps working. The page opens
    with the relevance slider at :data:`RELEVANCE_LAMBDA` (LDAvis reads its first state from the address), the λ
    of every topic label and table here.
    """
    data = prepared.to_json() if hasattr(prepared, "to_json") else json.dumps(prepared)
    css = _package_asset("css")
    font_css = cjk_font_face("".join(_vis_terms(prepared))) if embed_font else ""
    return f"""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>
{_script_safe(css)}
{font_css}
body, text {{ font-family: "LDAvis CJK", "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei",
  sans-serif; }}
</style>
</head>
<body>
<div id="ldavis_el" style="background-color:white;"></div>
<script>
(function () {{
  var wrap = function (name) {{
    var orig = history[name];
    history[name] = function () {{ try {{ return orig.apply(history, arguments); }} catch (e) {{ return undefined; }} }};
  }};
  wrap("pushState"); wrap("replaceState");
}})();
</script>
<script>
{_script_safe(_package_asset("d3"))}
</script>
<script>
{_script_safe(_package_asset("ldavis"))}
</script>
<script>
var ldavis_el_data = {_script_safe(data)};
if (!location.hash) {{  // LDAvis reads its first state from the address: open the slider at RELEVANCE_LAMBDA
  var first_state = "#topic=0&lambda={RELEVANCE_LAMBDA}&term=";
  history.replaceState(null, "", first_state);
  if (!location.hash) {{ try {{ location.hash = first_state; }} catch (e) {{}} }}
}}
new LDAvis("#ldavis_el", ldavis_el_data);
</script>
</body>
</html>
"""


def save_ldavis(prepared, path: str | Path, *, title: str = "LDA topics", embed_font: bool = True) -> Path:
    """Write :func:`ldavis_html` to ``path`` (UTF-8) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ldavis_html(prepared, title=title, embed_font=embed_font), encoding="utf-8")
    return path


def ldavis_iframe(page: str, *, height: int = 880):
    """Show a self-contained page in a notebook: an ``<iframe srcdoc>`` (isolated from the notebook's own
    scripts such as require.js, and kept in the saved notebook and in HTML reports)."""
    import warnings

    from IPython.display import HTML

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # IPython suggests IFrame, which cannot take inline content
        return HTML(
            f'<iframe srcdoc="{html.escape(page, quote=True)}" style="width:100%;height:{height}px;border:0" '
            'sandbox="allow-scripts"></iframe>'
        )
