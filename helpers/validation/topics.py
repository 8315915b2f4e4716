"""How well LDA topics recover known categories: NMI against labels, and the naive baseline they are compared with.

The analysis (fitting, choosing K by coherence and cross-seed stability) is :mod:`helpers.topics`; this module
measures it against gold labels, which a real user does not have. Notebook 03 uses it to compare the LDA engines
on the held-out labelled news of one broadcaster shipped in ``data/xwlb_sections_heldout`` (8 sections) and, when a
corpus has a label column, on the corpus itself.

>>> nmi(["体育", "体育", "财经", "财经"], [1, 1, 0, 0])
1.0
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

from ..tables import plural
from ..topics import (
    DECIMALS,
    ENGINES,
    MAX_TERM_COUNT,
    NO_TOPIC,
    TITLE_REPEATS,
    add_neighbours,
    bow_corpus,
    build_dictionary,
    coherence_scores,
    doc_topic_matrix,
    fit_lda,
    per_word_bound,
)

__all__ = [
    "GENSIM_DEFAULTS",
    "MIN_LABELLED_DOCUMENTS",
    "nmi",
    "label_agreement",
    "nmi_ceiling",
    "topics_follow_sentence",
    "FOLLOW_MIN_SHARE",
    "MIXED_MAX_SHARE",
    "baseline_lda_labels",
    "validate_against_labels",
    "validation_sentence",
]

#: Fewer labelled documents than this, or fewer than two distinct labels, and an NMI says nothing: with a handful
#: of documents almost any partition "agrees" by chance (NMI is not adjusted for chance).
MIN_LABELLED_DOCUMENTS = 10

#: a topic *holds* a value of a column when more than this share of the value's documents have it as dominant
#: topic (a majority: then no other topic holds as many), :func:`topics_follow_sentence`
FOLLOW_MIN_SHARE = 0.5
#: a topic *mixes* the values of a column when its largest value holds less than this share of its documents (a
#: third or more of them come from other values): reviewer M2's pooled corpus had a topic of 52 % TV news and 48 %
#: abstracts while every source had a topic of its own, and "largely follow" read as if each topic were one source's
MIXED_MAX_SHARE = 2 / 3
MIXED_SHOWN = 3  # mixed topics described with their shares; more are counted

#: ``gensim.models.LdaModel``'s own defaults (gensim 4.3: 1 pass, 50 iterations, symmetric priors, perplexity
#: logged every 10 chunks), through :func:`helpers.topics.fit_lda` with ``engine="gensim"``: the naive baseline.
#: ``eval_every`` matters for reproducibility: the perplexity estimate draws from the model's random state before
#: the E-step of the chunk it is logged on.
GENSIM_DEFAULTS = dict(
    engine="gensim", passes=1, iterations=50, alpha="symmetric", eta=None, chunksize=2000, eval_every=10
)


def nmi(labels: Sequence, assigned: Sequence) -> float:
    """Normalised mutual information between two labelings (arithmetic normalisation, scikit-learn's default).

    Parameters
    ----------
    labels : sequence
        The gold label of each document.
    assigned : sequence
        The label the method gives each document (e.g. its dominant topic), in the same order.

    Returns
    -------
    float
        0 when the labelings are independent, 1 when they are the same partition (whatever the label names).

    References
    ----------
    Strehl, A. and Ghosh, J. (2002). Cluster ensembles: a knowledge reuse framework for combining multiple
    partitions. *Journal of Machine Learning Research* 3, 583–617.

    >>> round(nmi(["a", "a", "b", "b"], [0, 1, 0, 1]), 3)
    0.0
    """
    from sklearn.metrics import normalized_mutual_info_score

    return float(normalized_mutual_info_score(list(labels), list(assigned)))


def label_agreement(
    labels: pd.Series | None, assigned: Sequence, *, label_column: str, min_documents: int = MIN_LABELLED_DOCUMENTS
) -> tuple[float | None, str]:
    """NMI between a corpus's own labels and the dominant topics, on the documents that carry a label.

    Documents whose label is missing or empty are left out (they are not one more class), as are documents without
    a topic (:data:`helpers.topics.NO_TOPIC`), and the sentence says how many; with fewer than ``min_documents`` labelled documents or fewer than two distinct labels no NMI is given.

    Parameters
    ----------
    labels : pandas.Series or None
        The label of each document (``None``: the corpus has no such column).
    assigned : sequence
        The dominant topic of each document, in the same order.
    label_column : str
        The column's name, for the sentence.
    min_documents : int
        The fewest labelled documents for which an NMI is reported.

    Returns
    -------
    (float or None, str)
        The NMI (``None`` when it is not meaningful) and a sentence for the reader.

    Examples
    --------
    >>> value, text = label_agreement(pd.Series(["体育", None, "财经", ""]), [0, 1, 1, 0], label_column="类别")
    >>> value is None, text
    (True, 'Only 2 of 4 documents carry a `类别` (2 distinct values, 2 of which sit on one document each): a comparison with the topics would mean little (an NMI is reported from 10 labelled documents with a topic and 2 distinct values on).')
    """
    if labels is None:
        return (
            None,
            f"No column `{label_column}` in this corpus: nothing to compare the topics with (choose one with `-p label_column NAME`).",
        )
    values, assigned = pd.Series(labels).reset_index(drop=True), pd.Series(list(assigned))
    has_label, has_topic = _has_label(values), assigned.astype(str) != NO_TOPIC
    kept, topics = _compared(values, assigned)
    n, total, distinct = len(kept), len(values), kept.nunique()
    if n < min_documents or distinct < 2:
        return None, _too_few_labels(kept, int(has_label.sum()), total, label_column, min_documents)
    value = nmi(kept, topics)
    left_out = f"; {total - int(has_label.sum()):,} without a label left out" if has_label.sum() < total else ""
    if (has_label & ~has_topic).any():
        left_out += (
            f"; {int((has_label & ~has_topic).sum()):,} labelled documents without a topic ({NO_TOPIC}) left out"
        )
    return value, (
        f"NMI(dominant topic, `{label_column}`) = **{value:.3f}** on {n:,} labelled documents with {distinct} distinct "
        f"labels{left_out} {_nmi_scale(kept, topics)}."
    )


def topics_follow_sentence(labels: Sequence, assigned: Sequence, *, column: str) -> str:
    """Whether the dominant topics largely follow ``column``, in plain words, with the counts: for a column not named
    as a label (a source, a channel), so that a reader knows when the topics rediscovered it.

    A value of the column *has a topic of its own* when one topic holds more than :data:`FOLLOW_MIN_SHARE` of its
    documents and holds most of no other value's documents. A topic *mixes* the values when its largest one holds
    less than :data:`MIXED_MAX_SHARE` of its documents. The topics *largely follow* the column when every value
    has a topic of its own and the mixed topics hold less than half of the documents, *follow it in part* when some
    value has one; otherwise no value has one. Mixed topics are named with their shares. Only documents with a
    value and a topic count (those :func:`label_agreement` compares).

    >>> labels = ["电视"] * 5 + ["网络"] * 4 + ["期刊"] * 3
    >>> print(topics_follow_sentence(labels, [1, 1, 1, 1, 2, 2, 2, 2, 1, 3, 3, 3], column="来源"))
    The topics largely follow `来源`: T1 holds 4 of the 5 `电视` documents, T2 3 of the 4 `网络`, T3 3 of the 3 `期刊` (each value has a topic of its own holding most of its documents).
    >>> print(topics_follow_sentence(labels, [1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 3, 3], column="来源"))
    The topics follow `来源` in part: T1 holds 3 of the 5 `电视` documents, T2 4 of the 4 `网络`, T3 2 of the 3 `期刊`; T2 mixes them (57 % `网络`, 29 % `电视`), 7 of the 12 documents in all.
    >>> print(topics_follow_sentence(labels, [1, 1, 2, 2, 2, 2, 2, 2, 2, 1, 3, 3], column="来源"))
    The topics follow `来源` in part: T3 holds 2 of the 3 `期刊` documents; T2 holds most of the documents of `电视` and `网络` alike (3 of 5, 4 of 4).
    >>> print(topics_follow_sentence(labels, [1, 2, 3, 1, 2, 1, 2, 3, 1, 3, 2, 1], column="来源"))
    No value of `来源` has a topic of its own: no topic holds most of the `电视`, `网络` or `期刊` documents.
    """
    values, topics = _compared(labels, assigned)
    table = pd.crosstab(values.to_numpy(), topics.to_numpy())
    sizes = table.sum(axis=1).sort_values(ascending=False, kind="stable")
    best = {v: table.loc[v].idxmax() for v in sizes.index}
    held = {v: int(table.loc[v, best[v]]) for v in sizes.index}
    major = [v for v in sizes.index if held[v] > FOLLOW_MIN_SHARE * sizes[v]]
    own = [v for v in major if sum(best[w] == best[v] for w in major) == 1]
    shared = {}  # a topic holding most of the documents of several values: it merges them
    for v in major:
        if v not in own:
            shared.setdefault(best[v], []).append(v)
    spread = [v for v in sizes.index if v not in major]
    merged = [
        f"T{t} holds most of the documents of {_listed(vs, 'and')} alike "
        f"({', '.join(f'{held[v]:,} of {int(sizes[v]):,}' for v in vs)})"
        for t, vs in shared.items()
    ]
    merged += [f"no topic holds most of the {_listed(spread, 'or')} documents"] if spread else []
    if not own:
        return f"No value of `{column}` has a topic of its own: {'; '.join(merged)}."
    counts = [f"T{best[v]} holds {held[v]:,} of the {int(sizes[v]):,} `{v}` documents" for v in own[:1]]
    counts += [f"T{best[v]} {held[v]:,} of the {int(sizes[v]):,} `{v}`" for v in own[1:]]
    mixed, in_mixed = _mixed_topics(table, said=set(shared))
    mixes = f"; {mixed}, {in_mixed:,} of the {int(sizes.sum()):,} documents in all" if mixed else ""
    if not merged and in_mixed < sizes.sum() / 2:
        return (
            f"The topics largely follow `{column}`: {', '.join(counts)} (each value has a topic of its own holding "
            f"most of its documents){mixes}."
        )
    return f"The topics follow `{column}` in part: {', '.join(counts)}{''.join('; ' + m for m in merged)}{mixes}."


def _mixed_topics(table: pd.DataFrame, *, said: Collection = ()) -> tuple[str, int]:
    """The topics of ``table`` (values × topics) whose largest value holds less than :data:`MIXED_MAX_SHARE` of
    their documents, in words with the two largest shares (``"T2 mixes them (52 % `电视`, 48 % `期刊`)"``), and
    how many documents they hold; topics in ``said`` (already said to merge values) are left out."""
    sizes = table.sum(axis=0)
    shares = table / sizes
    mixed = [t for t in table.columns if sizes[t] and shares[t].max() < MIXED_MAX_SHARE and t not in said]
    if not mixed:
        return "", 0
    mixed.sort(key=lambda t: (-sizes[t], str(t)))
    described = []
    for t in mixed[:MIXED_SHOWN]:
        top = shares[t].sort_values(ascending=False, kind="stable").head(2)
        figures = ", ".join(f"{round(100 * x)} % `{v}`" for v, x in top.items())
        described.append(figures if len(mixed) == 1 else f"T{t}: {figures}")
    more = "; …" if len(mixed) > MIXED_SHOWN else ""
    if len(mixed) == 1:
        who = f"T{mixed[0]} mixes them"
    else:
        who = f"{' and '.join(f'T{t}' for t in mixed)} mix them" if len(mixed) == 2 else f"{len(mixed)} topics mix them"
    return f"{who} ({'; '.join(described)}{more})", int(sizes[mixed].sum())


def _listed(values: Sequence[str], last: str) -> str:
    """Values in backticks, the last joined by ``last`` (``and``, ``or``)."""
    named = [f"`{v}`" for v in values]
    return named[0] if len(named) == 1 else f"{', '.join(named[:-1])} {last} {named[-1]}"


def _has_label(values: pd.Series) -> pd.Series:
    return values.notna() & (values.astype(str).str.strip() != "")


def _compared(labels: Sequence, assigned: Sequence) -> tuple[pd.Series, pd.Series]:
    """The labels and topics of the documents :func:`label_agreement` compares: those with a label and a topic
    (a document without a topic, :data:`helpers.topics.NO_TOPIC`, is in no topic's cluster)."""
    values, assigned = pd.Series(list(labels)), pd.Series(list(assigned))
    both = _has_label(values) & (assigned.astype(str) != NO_TOPIC)
    return values[both].astype(str), assigned[both]


def nmi_ceiling(labels: Sequence, assigned: Sequence) -> float:
    """The highest NMI that partitions of these sizes allow: ``2 min(H(L), H(T)) / (H(L) + H(T))``, since the mutual
    information cannot exceed either entropy. It is 1 only when topics and labels have the same entropy (as many,
    of the same sizes): 6 topics against 2 labels stay below it. Computed on the documents :func:`label_agreement`
    compares (with a label and a topic).

    >>> round(nmi_ceiling(["a"] * 4 + ["b"] * 4, [0, 0, 1, 1, 2, 2, 3, 3]), 3), nmi_ceiling("aabb", [1, 1, 0, 0])
    (0.667, 1.0)
    """
    from scipy.stats import entropy

    h_labels, h_topics = (entropy(x.value_counts().to_numpy()) for x in _compared(labels, assigned))
    return float(2 * min(h_labels, h_topics) / (h_labels + h_topics)) if h_labels + h_topics > 0 else 1.0


def _nmi_scale(labels: pd.Series, topics: pd.Series) -> str:
    """How to read an NMI on these labels and topics: its ceiling when it is below 1 (:func:`nmi_ceiling`), and
    homogeneity and completeness (scikit-learn), which say which way the two partitions fail to match."""
    from sklearn.metrics import homogeneity_completeness_v_measure

    homogeneity, completeness, _ = homogeneity_completeness_v_measure(list(labels), list(topics))
    ceiling = nmi_ceiling(labels, topics)
    n_topics = pd.Series(list(topics)).nunique()
    top = (
        "1 = the same partition"
        if math.isclose(ceiling, 1.0)
        else (
            f"1 = the same partition, out of reach here: {n_topics} topics and {labels.nunique()} labels of these sizes "
            f"allow at most {ceiling:.3f}"
        )
    )
    return (
        f"(0 = unrelated, {top}); homogeneity {homogeneity:.3f} (1 = each topic holds one label), completeness "
        f"{completeness:.3f} (1 = each label lies in one topic)"
    )


def _too_few_labels(kept: pd.Series, labelled: int, total: int, label_column: str, min_documents: int) -> str:
    """Why no NMI is given: how many documents carry a label, how many values, how many on one document each."""
    carry = f"All {total}" if labelled == total else f"Only {labelled} of {total}"
    counts = kept.value_counts()
    values = plural(len(counts), "distinct value")
    singles = int((counts == 1).sum())
    if singles and len(counts) > 1:
        each = "sits on one document" if singles == 1 else "sit on one document each"
        values += f", {singles} of which {each}"
    return (
        f"{carry} documents carry a `{label_column}` ({values}): a comparison with the topics would mean little (an "
        f"NMI is reported from {min_documents} labelled documents with a topic and 2 distinct values on)."
    )


def baseline_lda_labels(texts: Sequence[str], *, num_topics: int, random_state: int = 0) -> np.ndarray:
    """Dominant topic per text from the naive recipe most tutorials use.

    ``jieba.lcut`` tokens (jieba's default dictionary, no stopwords), an unfiltered ``Dictionary`` and
    :func:`helpers.topics.fit_lda` with gensim's default settings (:data:`GENSIM_DEFAULTS`). The only change from
    gensim's defaults is ``random_state``, so that the baseline is reproducible. A private ``jieba.Tokenizer`` with
    the default dictionary gives exactly ``jieba.lcut``'s tokens without touching jieba's global state.

    Parameters
    ----------
    texts : sequence of str
        Raw texts (the baseline tokenises them itself).
    num_topics : int
        Number of topics.
    random_state : int
        Seed of the model.

    Returns
    -------
    numpy.ndarray
        The 0-based dominant topic of each text.
    """
    from gensim.corpora import Dictionary

    from ..tokenize import baseline_jieba

    tk = baseline_jieba()
    tokens = [tk.lcut(t) for t in texts]
    dictionary = Dictionary(tokens)
    bow = [dictionary.doc2bow(t) for t in tokens]
    model = fit_lda(bow, dictionary, num_topics=num_topics, random_state=random_state, **GENSIM_DEFAULTS)
    return doc_topic_matrix(model, bow).argmax(axis=1)


def _engine_rows(bow, dictionary, tokens, labels, *, engine, num_topics, seeds, fit_kwargs) -> list[dict]:
    """One row per seed for one engine: likelihood per token, NMI of the dominant topic, ``c_npmi`` coherence."""
    rows = []
    for seed in seeds:
        model = fit_lda(bow, dictionary, num_topics=num_topics, random_state=seed, engine=engine, **fit_kwargs)
        dominant = doc_topic_matrix(model, bow, random_state=seed).argmax(axis=1)
        npmi = coherence_scores(model, texts=tokens, bow=bow, dictionary=dictionary, measures=("c_npmi",))
        rows.append(
            {
                "engine": engine,
                "seed": int(seed),
                "bound": per_word_bound(model, bow),
                "nmi": nmi(labels, dominant),
                "c_npmi": npmi["c_npmi"],
            }
        )
    best = int(np.argmax([r["bound"] for r in rows]))
    for i, r in enumerate(rows):
        r["chosen"] = i == best
    return rows


def validate_against_labels(
    tokens: Sequence[Sequence[str]],
    labels: Sequence,
    raw_texts: Sequence[str],
    *,
    num_topics: int,
    title_tokens: Sequence[Sequence[str]] | None = None,
    neighbours: Sequence[Sequence[int]] | None = None,
    seeds: Sequence[int] = (0, 1, 2),
    engines: Sequence[str] = ENGINES,
    no_below: int = 5,
    no_above: float = 0.5,
    keep_n: int | None = 20000,
    max_count: int | None = MAX_TERM_COUNT,
    title_repeats: int = TITLE_REPEATS,
    **fit_kwargs,
) -> pd.DataFrame:
    """NMI between dominant topic and label, for the project's recipe with each LDA engine and for the naive
    baseline, per seed.

    For each engine and seed: the recipe (a filtered dictionary over ``tokens``, counts weighed with the titles by
    :func:`helpers.topics.weigh_counts`, the counts of each document's ``neighbours`` added by
    :func:`helpers.topics.add_neighbours`, :func:`helpers.topics.fit_lda` with that ``engine``); for each seed,
    :func:`baseline_lda_labels` on ``raw_texts``. Per engine, the ``chosen``
    row is the model with the highest likelihood per token — what :func:`helpers.topics.fit_best_lda` keeps,
    chosen without looking at the labels.

    Parameters
    ----------
    tokens : sequence of token lists
        The project tokenizer's tokens of each document.
    labels : sequence
        The gold label of each document.
    raw_texts : sequence of str
        The same documents as raw text, for the baseline.
    num_topics : int
        Number of topics of every recipe.
    title_tokens : sequence of token lists, optional
        The tokens of each document's title (``None``: no titles).
    neighbours : sequence of index lists, optional
        Each document's nearest documents (:func:`helpers.topics.document_neighbours`), whose counts are added
        to its own (``None``: none).
    seeds : sequence of int
        One model of each recipe per seed.
    engines : sequence of str
        The engines of :func:`helpers.topics.fit_lda` compared (:data:`helpers.topics.ENGINES`).
    no_below, no_above, keep_n
        Dictionary filtering of the recipe (:func:`helpers.topics.build_dictionary`).
    max_count, title_repeats
        Count weighing of the recipe (:func:`helpers.topics.weigh_counts`; ``max_count=None`` and no titles: raw
        counts).
    **fit_kwargs
        Passed to :func:`helpers.topics.fit_lda` (``sweeps``, ``passes``, ``iterations``, ``alpha``, ``eta`` …).

    Returns
    -------
    pandas.DataFrame
        Columns ``engine, seed, bound, chosen, nmi, c_npmi, baseline_nmi`` (the baseline's NMI with the same
        seed), rounded to 6 decimals; ``bound`` compares seeds of one engine only.

    References
    ----------
    Blei, D. M., Ng, A. Y. and Jordan, M. I. (2003). Latent Dirichlet allocation. *Journal of Machine Learning
    Research* 3, 993–1022.
    """
    dictionary, _ = build_dictionary(tokens, no_below=no_below, no_above=no_above, keep_n=keep_n)
    bow = bow_corpus(tokens, dictionary, titles=title_tokens, max_count=max_count, title_repeats=title_repeats)
    if neighbours is not None:
        bow = add_neighbours(bow, neighbours)
    settings = dict(num_topics=num_topics, seeds=seeds, fit_kwargs=fit_kwargs)
    rows = [r for e in engines for r in _engine_rows(bow, dictionary, tokens, labels, engine=e, **settings)]
    baseline = {
        int(s): nmi(labels, baseline_lda_labels(raw_texts, num_topics=num_topics, random_state=s)) for s in seeds
    }
    table = pd.DataFrame(rows)[["engine", "seed", "bound", "chosen", "nmi", "c_npmi"]]
    table["baseline_nmi"] = table.seed.map(baseline)
    return table.round(DECIMALS)


def validation_sentence(table: pd.DataFrame, *, n_docs: int, corpus_name: str, num_topics: int) -> str:
    """One Markdown sentence, computed from a :func:`validate_against_labels` table: the NMI of the model each
    engine keeps (the first engine listed is the one the project uses) against the baseline's range.

    >>> t = pd.DataFrame({"engine": ["tomotopy"] * 2 + ["gensim"] * 2, "seed": [0, 1] * 2,
    ...                   "chosen": [True, False, False, True], "nmi": [0.6, 0.5, 0.4, 0.3], "baseline_nmi": [0.1, 0.2] * 2})
    >>> s = validation_sentence(t, n_docs=50, corpus_name="x", num_topics=10)
    >>> "tomotopy (seed 0) = **0.600**, higher than the baseline with every seed" in s, "gensim (seed 1) **0.300**" in s
    (True, True)
    """
    kept = table[table.chosen].set_index("engine", drop=False)
    engines = list(dict.fromkeys(table.engine))
    first = kept.loc[engines[0]]
    base = table.drop_duplicates("seed").baseline_nmi
    verdict = (
        "higher than the baseline with every seed"
        if first.nmi > base.max()
        else "**not** higher than the baseline with every seed: read the table"
    )
    others = "; ".join(f"{e} (seed {int(kept.loc[e].seed)}) **{kept.loc[e].nmi:.3f}**" for e in engines[1:])
    return (
        f"On {n_docs:,} labelled articles of `{corpus_name}` (K={num_topics}): NMI of the model this recipe keeps "
        f"with {engines[0]} (seed {int(first.seed)}) = **{first.nmi:.3f}**, {verdict}"
        + (f"; with {others}" if others else "")
        + f"; gensim defaults on `jieba.lcut` tokens: **{base.min():.3f}–{base.max():.3f}** over {len(base)} seeds."
    )
