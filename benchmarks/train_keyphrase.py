"""Cross-validation of ``keyphrase`` rankers on the CSL tuning split: do learned weights beat the hand-tuned ones?

The CSL keyword set (``../shared/corpora/csl_keywords``, 1,000 abstracts with their authors' keywords) is split
as in ``data/csl_sample/SOURCE.md``: the 300 rows of ``data/csl_sample`` are held out and never read here; the 700
other rows are cut into ``N_FOLDS`` folds (fixed seed). For each fold, every ranker is fitted on the other four
folds and scored on it: F1@5 against the authors' keywords, divided by jieba's ``extract_tags`` F1@5 on the same
fold (:mod:`helpers.validation.keywords`). Every ranker goes through the same diverse selection as the notebook
(:func:`helpers.keywords.diverse_top`, top 10, its first 5 scored), and the candidates and their document
frequency come from the fold's own documents (:func:`helpers.keywords.keyphrase_candidates`), as in a real run.

Rankers
    ``settings``
        the ``keyphrase`` score of :class:`helpers.keywords.KeyphraseSettings` (fitted on nothing here, but its
        weights were hand-tuned on all 700 rows: its figures are in-sample, an upper bound of what it would do
        on unseen rows);
    ``settings_no_lone_verbs``
        the same without candidates that are one verb (:data:`helpers.keywords.VERB_POS`);
    ``logistic``
        scikit-learn's logistic regression (is the candidate an author keyword?) on the log-linear features of
        :func:`design`, score ``exp(w · x)``;
    ``listwise``
        a conditional-logit ranker (softmax over each document's candidates, the positives' likelihood
        maximised, L2 penalty ``LISTWISE_L2``) on the same features: a KEA-like model trained for ranking;
    ``settings_plus_generic``
        the ``settings`` score times ``exp(w · x)`` over the generic features only (:data:`GENERIC`), ``w``
        fitted listwise on the four folds: whether the generic features add to the hand-tuned score (a paired
        test: both share the in-sample advantage of the hand-tuned weights);
    ``boosted``
        scikit-learn's histogram gradient boosting (:data:`BOOSTED`, fixed a priori, not tuned), pointwise (is the
        candidate an author keyword?) on the features of :func:`design` plus the log of the hand-set score,
        score ``exp(log-odds)``: whether a non-linear ranker finds what the linear ones miss. It is trained on the
        four other folds' tables, each with its own document frequencies (140 rows, the scale of the corpus IDF
        of the scored fold), not on the pooled four folds as the linear rankers are.

Ablations
    ``without_<weight>``: the ``settings`` score with one hand-tuned weight made neutral (:data:`ABLATIONS`),
    scored on every fold: whether each weight still earns its place (idea: fewer, more general weights).

Candidate side
    :func:`candidate_diagnosis` (all 700 rows): how many author keywords occur verbatim in their abstract (after
    :func:`helpers.keywords.normalize_term`), how many of those are ``keyphrase`` candidates at all, the oracle
    F1@5 (the best 5 candidates of each abstract) next to the ``keyphrase`` and jieba F1@5, and why the present
    keywords that are no candidate are missed (:data:`MISS_REASONS`, counts and the first examples).
    ``candidates_<variant>``: the ``settings`` score on wider candidates (:data:`CANDIDATE_VARIANTS`), per fold.

Seed lists
    :func:`seed_top_lists`: the top-5 lists of ``settings`` and ``boosted`` (fitted on all 700 rows) for the first
    :data:`N_SEED_LISTS` seed stories, candidates from the five seeds: what the two rankings look like on news.

The record (folds, per-fold ratios, mean and spread, paired differences to ``settings`` with their standard error
over the folds, package versions) goes to ``helpers/resources/keyphrase_cv.json``. No model is written. Run:
``python -m benchmarks.train_keyphrase`` (about 2 minutes).
"""

from __future__ import annotations

import dataclasses
import json
import math
import platform
import sys
import unicodedata
from collections import Counter
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from threadpoolctl import threadpool_limits

from helpers.corpus import load_corpus
from helpers.keywords import (
    VERB_POS,
    KeyphraseSettings,
    diverse_top,
    keyphrase_candidates,
    keywords_jieba,
    normalize_term,
)
from helpers.paths import RESOURCES_DIR, SEEDS_DIR
from helpers.tokenize import get_default_tokenizer
from helpers.validation.keywords import evaluate_keywords, parse_gold

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "corpora" / "csl_keywords" / "abstracts.jsonl"
HELD_OUT = ROOT / "data" / "csl_sample" / "csl_sample.jsonl"
RECORD = RESOURCES_DIR / "keyphrase_cv.json"
N_FOLDS = 5  # 140 test rows per fold: enough for a ratio, few enough folds to run in minutes
SEED = 0  # the fold shuffle
TOP_K, K = 10, 5  # the notebook's list length and the scored prefix (F1@5)
LISTWISE_L2 = 0.01  # ridge on the listwise weights (0.001-0.1 gave the same folds during development)
LOGISTIC_C = 0.01  # inverse ridge of the logistic regression (the best of 0.01, 0.1, 1 during development)
#: the gradient-boosted ranker, fixed a priori (small trees, slow rate, no early stopping: no random split;
#: never tuned on the folds); one OpenMP thread (:data:`BOOSTED_THREADS`) so that it runs in seconds beside
#: other jobs and sums in one order
BOOSTED: dict[str, object] = {
    "max_leaf_nodes": 15, "learning_rate": 0.05, "max_iter": 200, "l2_regularization": 1.0,
    "early_stopping": False, "random_state": SEED,
}  # fmt: skip
BOOSTED_THREADS = 1
N_SEED_LISTS = 3  # seed stories whose top-5 lists are recorded
#: each hand-tuned weight of KeyphraseSettings made neutral (single_char_weight is inert: min_chars=2)
ABLATIONS: dict[str, dict[str, object]] = {
    "length_weight": {"length_weight": 0.0},
    "edge_weight": {"edge_weight": 0.0},
    "position_weight": {"position_weight": 0.0},
    "fragment_weight": {"fragment_weight": 1.0},
    "one_off_weight": {"one_off_weight": 1.0},
    "short_char_weights": {"short_char_weights": (1.0, 1.0)},
    "long_char_decay": {"long_char_decay": 1.0},
}
#: wider candidate generation scored like the ablations (4 tokens: 78 present author keywords of the tuning rows
#: have 4 or more, see :func:`candidate_diagnosis`)
CANDIDATE_VARIANTS: dict[str, dict[str, object]] = {"max_tokens_4": {"max_tokens": 4}}
#: why an author keyword that occurs in its abstract is no candidate, in the order a miss is attributed
MISS_REASONS = (
    "token_crosses_edge", "punctuation_inside", "number_inside", "stopword_inside", "over_max_tokens",
    "filtered_edge_name_or_length",
)  # fmt: skip
N_MISS_EXAMPLES = 10  # examples recorded per reason
FEATURES = (
    "log_tf", "log_reference_idf", "log_corpus_idf", "tokens_2", "tokens_3", "chars_2", "chars_3", "chars_over_5",
    "last_sentence", "log_position", "fragment", "one_off", "single_document", "known_word", "first_verb",
    "last_verb", "last_noun", "last_verbal_noun", "first_adjective", "latin",
)  # fmt: skip


GENERIC = FEATURES[FEATURES.index("single_document") :]  # the features the hand-tuned score does not use


def design(table: pd.DataFrame, n_docs: int) -> np.ndarray:
    """The features of :data:`FEATURES` for the candidates of :func:`keyphrase_candidates` (log of each factor of
    the hand-tuned score, so that it is one point of the model family, plus generic ones)."""
    t = table
    cols = [
        np.log1p(np.log(t.tf)), np.log(t.reference_idf), np.log(np.log((1 + n_docs) / (1 + t.df)) + 1),
        t.tokens == 2, t.tokens == 3, t.chars == 2, t.chars == 3, np.maximum(t.chars - 5, 0), t.last_sentence,
        np.log(2 - t.first_position), t.fragment, t.one_off, t.df <= 1, t.known_word, t.first_tag.isin(VERB_POS),
        t.last_tag.isin(VERB_POS), t.last_tag.str.startswith("n"), t.last_tag == "vn",
        t.first_tag.isin(("a", "ad")), (t.first_tag == "eng") | (t.last_tag == "eng"),
    ]  # fmt: skip
    return np.column_stack([np.asarray(c, dtype=float) for c in cols])


def _load_split() -> tuple[pd.DataFrame, int]:
    """The tuning rows (the CSL rows not in data/csl_sample) and how many rows were held out."""
    rows = pd.read_json(SOURCE, lines=True)
    held = set(pd.read_json(HELD_OUT, lines=True).id)
    return rows[~rows.id.isin(held)].reset_index(drop=True), len(held)


def _fold_table(rows: pd.DataFrame, settings: KeyphraseSettings | None = None) -> pd.DataFrame:
    """Candidates of ``rows`` (document frequency from these rows only) with their label."""
    table = keyphrase_candidates(rows.abstract.tolist(), settings=settings, titles=rows.title.tolist())
    gold = [{normalize_term(str(g)) for g in kws} for kws in rows.keywords]
    table["label"] = [term in gold[d] for d, term in zip(table.document, table.term)]
    return table


def _fit_logistic(table: pd.DataFrame, x: np.ndarray) -> np.ndarray:
    """Pointwise logistic regression on standardised features, weights brought back to the raw scale."""
    mu, sd = x.mean(0), x.std(0) + 1e-9
    model = LogisticRegression(C=LOGISTIC_C, max_iter=2000).fit((x - mu) / sd, table.label)
    return model.coef_[0] / sd


def _fit_listwise(table: pd.DataFrame, x: np.ndarray, offset: np.ndarray | None = None) -> np.ndarray:
    """Conditional logit: each document's positives against a softmax over its candidates (log score ``x · w``
    plus ``offset``), plus an L2 penalty."""
    offset = np.zeros(len(x)) if offset is None else offset
    labels = table.label.to_numpy()
    groups = [(x[i], labels[i], offset[i]) for i in table.groupby("document").indices.values() if labels[i].any()]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        value, grad = LISTWISE_L2 * w @ w * len(groups), 2 * LISTWISE_L2 * w * len(groups)
        for xd, yd, od in groups:
            s = xd @ w + od
            log_z = s.max() + math.log(np.exp(s - s.max()).sum())
            value -= (s[yd] - log_z).sum()
            grad -= xd[yd].sum(0) - yd.sum() * (np.exp(s - log_z) @ xd)
        return value / len(groups), grad / len(groups)

    return minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B").x


def boosted_features(table: pd.DataFrame, n_docs: int) -> np.ndarray:
    """The features of :func:`design` and, last, the log of the hand-set ``keyphrase`` score."""
    return np.column_stack([design(table, n_docs), np.log(table.score.to_numpy())])


def fit_boosted(tables: list[tuple[pd.DataFrame, int]]) -> HistGradientBoostingClassifier:
    """The :data:`BOOSTED` classifier fitted pointwise on labelled candidate tables, each with its document count
    (its corpus IDF comes from its own documents)."""
    x = np.vstack([boosted_features(t, n) for t, n in tables])
    y = np.concatenate([t.label.to_numpy() for t, _ in tables])
    with threadpool_limits(BOOSTED_THREADS, user_api="openmp"):
        return HistGradientBoostingClassifier(**BOOSTED).fit(x, y)


def _boosted_log_score(model: HistGradientBoostingClassifier, table: pd.DataFrame, n_docs: int) -> np.ndarray:
    """The model's log-odds of each candidate of ``table`` (``n_docs`` documents)."""
    with threadpool_limits(BOOSTED_THREADS, user_api="openmp"):
        return model.decision_function(boosted_features(table, n_docs))


def _top_lists(table: pd.DataFrame, log_score: np.ndarray, penalty: float) -> dict[int, list[tuple[str, float]]]:
    """Each document's diverse top :data:`TOP_K` by ``exp(log_score)``, as the notebook selects them."""
    lists = {}
    for d, idx in table.groupby("document").indices.items():
        s = log_score[idx] - log_score[idx].max()
        lists[d] = diverse_top(dict(zip(table.term.to_numpy()[idx], np.exp(s))), TOP_K, penalty=penalty)
    return lists


def _f1(table: pd.DataFrame, log_score: np.ndarray, rows: pd.DataFrame, penalty: float) -> float:
    """F1@K of the diverse top lists of ``log_score`` against the authors' keywords of ``rows``."""
    lists = _top_lists(table, log_score, penalty).items()
    kw = [(str(d), "m", r, t, w) for d, top in lists for r, (t, w) in enumerate(top, 1)]
    return _score(pd.DataFrame(kw, columns=["doc_id", "method", "rank", "term", "score"]), rows)


def _score(keywords: pd.DataFrame, rows: pd.DataFrame) -> float:
    gold = {str(i): kws for i, kws in enumerate(rows.keywords)}
    return float(evaluate_keywords(keywords, gold, ks=[K]).f1.iloc[0]) if len(keywords) else 0.0


def _jieba_f1(rows: pd.DataFrame) -> float:
    per_doc, _ = keywords_jieba(rows.abstract.tolist(), top_k=TOP_K)
    kw = [(str(d), "m", r, t, w) for d, top in enumerate(per_doc) for r, (t, w) in enumerate(top, 1)]
    return _score(pd.DataFrame(kw, columns=["doc_id", "method", "rank", "term", "score"]), rows)


def _miss_reason(gold: str, text: str, segments: list[str], max_tokens: int) -> tuple[str, str]:
    """Why ``gold`` (found in the normalised ``text``) is no candidate, with the segments it covers.

    Each occurrence gets the first reason of :data:`MISS_REASONS` that applies; the keyword gets the mildest
    over its occurrences (the one nearest to being a candidate).
    """
    tokenizer = get_default_tokenizer()
    bounds = np.cumsum([0] + [len(w) for w in segments])
    found, start = [], text.find(gold)
    while start >= 0:
        end = start + len(gold)
        inside = [w for w, a, b in zip(segments, bounds[:-1], bounds[1:]) if b > start and a < end]
        words = [w.strip() for w in inside if w.strip()]
        other = [w for w in words if not tokenizer.is_content(w)]
        if start not in bounds or end not in bounds:
            reason = "token_crosses_edge"
        elif other:
            w = other[0]
            reason = "punctuation_inside" if not any(c.isalnum() for c in w) else "stopword_inside"
            reason = "number_inside" if any(c.isnumeric() for c in w) else reason
        else:
            reason = "over_max_tokens" if len(words) > max_tokens else "filtered_edge_name_or_length"
        found.append((MISS_REASONS.index(reason), reason, "|".join(inside)))
        start = text.find(gold, start + 1)
    return max(found)[1:]


def candidate_diagnosis(rows: pd.DataFrame, settings: KeyphraseSettings | None = None) -> dict[str, object]:
    """Where F1@5 is lost on ``rows``: author keywords present in the text, among the candidates, the oracle.

    Returns
    -------
    dict
        Counts and shares of gold keywords (present verbatim, candidates), oracle / ``keyphrase`` / jieba F1@5,
        and per reason of :data:`MISS_REASONS` the count and the first :data:`N_MISS_EXAMPLES` examples.
    """
    st = settings or KeyphraseSettings()
    table = _fold_table(rows, st)
    terms = table.groupby("document").term.agg(set).to_dict()
    tokenizer = get_default_tokenizer()
    n: Counter[str] = Counter()
    misses: dict[str, list[str]] = {r: [] for r in MISS_REASONS}
    oracle = []
    for d, (abstract, keywords) in enumerate(zip(rows.abstract, rows.keywords)):
        text = unicodedata.normalize("NFKC", abstract).lower()
        gold = {normalize_term(g) for g in parse_gold(keywords)} - {""}
        present = {g for g in gold if g in text}
        hits = present & terms.get(d, set())
        n.update(gold=len(gold), present=len(present), candidates=len(hits))
        segments = tokenizer.segments(text)
        for g in sorted(present - hits):
            reason, cut = _miss_reason(g, text, segments, st.max_tokens)
            misses[reason].append(f"{g} <- {cut}")
        h = min(len(hits), K)
        oracle.append(2 * h / (K + len(gold)) if gold else 0.0)  # F1 of h hits among K of len(gold)
    return {
        **n, "present_share": round(n["present"] / n["gold"], 4),
        "candidate_share_of_present": round(n["candidates"] / n["present"], 4),
        "missed_present_share_of_gold": round((n["present"] - n["candidates"]) / n["gold"], 4),
        "oracle_f1": round(float(np.mean(oracle)), 4),
        "keyphrase_f1": round(_f1(table, np.log(table.score.to_numpy()), rows, st.diversity), 4),
        "jieba_f1": round(_jieba_f1(rows), 4),
        "missed_by_reason": {r: {"count": len(m), "examples": m[:N_MISS_EXAMPLES]} for r, m in misses.items()},
    }  # fmt: skip


def fold_ratios(
    train: pd.DataFrame, test: pd.DataFrame, train_tables: list[tuple[pd.DataFrame, int]]
) -> dict[str, float]:
    """F1@5 ratio to jieba on ``test`` of every ranker fitted on ``train`` (``boosted``: on ``train_tables``, the
    same rows as one table per fold with its document count)."""
    penalty = KeyphraseSettings().diversity
    tr, te = _fold_table(train), _fold_table(test)
    x_tr, x_te = design(tr, len(train)), design(te, len(test))
    generic = [FEATURES.index(f) for f in GENERIC]
    w_generic = _fit_listwise(tr, x_tr[:, generic], np.log(tr.score.to_numpy()))
    lone_verb = (te.tokens == 1) & te.first_tag.isin(VERB_POS)
    kept = te[~lone_verb].reset_index(drop=True)
    f1 = {
        "settings": _f1(te, np.log(te.score.to_numpy()), test, penalty),
        "settings_no_lone_verbs": _f1(kept, np.log(kept.score.to_numpy()), test, penalty),
        "logistic": _f1(te, x_te @ _fit_logistic(tr, x_tr), test, penalty),
        "listwise": _f1(te, x_te @ _fit_listwise(tr, x_tr), test, penalty),
        "settings_plus_generic": _f1(te, np.log(te.score.to_numpy()) + x_te[:, generic] @ w_generic, test, penalty),
        "boosted": _f1(te, _boosted_log_score(fit_boosted(train_tables), te, len(test)), test, penalty),
    }
    for name, change in ABLATIONS.items():
        ablated = _fold_table(test, dataclasses.replace(KeyphraseSettings(), **change))
        f1[f"without_{name}"] = _f1(ablated, np.log(ablated.score.to_numpy()), test, penalty)
    for name, change in CANDIDATE_VARIANTS.items():
        wider = _fold_table(test, dataclasses.replace(KeyphraseSettings(), **change))
        f1[f"candidates_{name}"] = _f1(wider, np.log(wider.score.to_numpy()), test, penalty)
    baseline = _jieba_f1(test)
    return {name: value / baseline for name, value in f1.items()} | {"jieba_f1": baseline}


def summarise(folds: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    """Mean and spread (population standard deviation) of each ranker's ratio over the folds, and of its paired
    difference to ``settings`` with the standard error of that mean (sample deviation / sqrt(folds))."""
    table = pd.DataFrame(folds).drop(columns="jieba_f1")
    diff = table.sub(table.settings, axis=0)
    return {
        name: {
            "mean": round(float(table[name].mean()), 4),
            "spread": round(float(table[name].std(ddof=0)), 4),
            "minus_settings_mean": round(float(diff[name].mean()), 4),
            "minus_settings_spread": round(float(diff[name].std(ddof=0)), 4),
            "minus_settings_se": round(float(diff[name].std(ddof=1) / math.sqrt(len(diff))), 4),
        }
        for name in table.columns
    }


def seed_top_lists(model: HistGradientBoostingClassifier) -> dict[str, dict[str, list[str]]]:
    """Top-5 terms of ``settings`` and of the fitted ``boosted`` model for the first :data:`N_SEED_LISTS` seed
    stories (candidates and document frequencies from all the seeds), by document id.

    Five stories give a corpus IDF far below the range of the 140-row training tables: trees do not extrapolate,
    so the ``boosted`` lists show how the model transfers to a small news corpus, not what it would do on 140.
    """
    docs = load_corpus(SEEDS_DIR).docs
    table = keyphrase_candidates(docs.text.tolist(), titles=docs.title.tolist())
    scores = {"settings": np.log(table.score.to_numpy()), "boosted": _boosted_log_score(model, table, len(docs))}
    tops = {name: _top_lists(table, s, KeyphraseSettings().diversity) for name, s in scores.items()}
    return {
        str(docs.doc_id.iloc[d]): {name: [t for t, _ in top[d][:K]] for name, top in tops.items()}
        for d in range(N_SEED_LISTS)
    }


def main() -> int:
    """Run the folds, print the summary and write :data:`RECORD`."""
    if not SOURCE.exists():
        print(f"needs {SOURCE.relative_to(ROOT.parent)} (the shared corpora)", file=sys.stderr)
        return 1
    rows, n_held = _load_split()
    table = _fold_table(rows)
    splits = list(KFold(N_FOLDS, shuffle=True, random_state=SEED).split(rows))
    fold_tables = [(_fold_table(rows.iloc[te]), len(te)) for _, te in splits]
    folds = []
    for i, (tr, te) in enumerate(splits):
        others = [t for j, t in enumerate(fold_tables) if j != i]
        folds.append({k: round(v, 4) for k, v in fold_ratios(rows.iloc[tr], rows.iloc[te], others).items()})
        print(f"fold {i + 1}: {folds[-1]}", flush=True)
    record = {
        "data": "CSL keyword generation (ydli-ai/CSL benchmark/kg/dev.tsv): rows not in data/csl_sample",
        "rows": len(rows), "held_out_rows_not_read": n_held, "folds": N_FOLDS, "seed": SEED, "k": K,
        "features": list(FEATURES), "listwise_l2": LISTWISE_L2, "logistic_c": LOGISTIC_C,
        "boosted": {"chosen": "fixed a priori", "extra_feature": "log_score", "threads": BOOSTED_THREADS,
                    "training_tables": "one per training fold, its own document frequencies"} | BOOSTED,
        "diversity": KeyphraseSettings().diversity, "per_fold": folds, "summary": summarise(folds),
        "candidate_diagnosis": candidate_diagnosis(rows),
        "seed_top5_all_rows": seed_top_lists(fit_boosted(fold_tables)),
        "listwise_weights_all_rows": dict(zip(FEATURES, np.round(_fit_listwise(table, design(table, len(rows))), 3))),
        "versions": {"python": platform.python_version()}
        | {p: version(p) for p in ("numpy", "scipy", "scikit-learn", "pandas", "jieba", "rjieba")},
    }  # fmt: skip
    RECORD.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(record["summary"], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
