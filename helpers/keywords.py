"""Keywords of documents and of a corpus: TF-IDF (corpus and reference IDF), TextRank, key phrases, and a baseline.

Five methods, all fed by the project's tokenizer (:mod:`helpers.tokenize`) except the baseline:

``tfidf_corpus``
    scikit-learn's ``TfidfVectorizer`` over the corpus (sublinear tf, optional word bigrams). Its IDF comes from
    the corpus itself, so it is weak on a handful of documents.
``tfidf_reference``
    sublinear tf times a **reference IDF** measured on ~5,000 news stories and shipped with the project
    (``resources/reference_idf.tsv``, built by ``scripts/build_reference_idf.py``; :func:`load_reference_idf`).
    Sensible weights even for a single document.
``textrank``
    TextRank over the project's tokens: a co-occurrence graph (window of 5 tokens), PageRank by power iteration
    (numpy/scipy), then adjacent top-ranked words merged into phrases.
``keyphrase``
    candidate phrases of 1–3 consecutive content tokens (never across punctuation or a stopword), scored by tf,
    reference IDF (of the whole phrase if the table has it, else the mean over its parts; unknown words get the
    largest IDF), corpus IDF of the whole phrase, first position, presence in the last sentence (where CSL
    abstracts carry their title) and a length prior; a phrase seen once must occur in another document too.
    Fragments -- candidates that never occur except inside one longer candidate, such as 事件原则 inside
    确定事件原则 -- are dropped, so domain terms stay whole.
``jieba_extract_tags``
    the usual tool, ``jieba.analyse.extract_tags`` with jieba's global tokenizer and its bundled IDF: the
    **baseline** only, measured in the same run.

:func:`extract_keywords` runs them and returns one long table ``doc_id, method, rank, term, score`` (corpus-level
rows have ``doc_id == "__corpus__"``); :func:`evaluate_keywords` scores it against gold keywords (precision,
recall, F1 at k after NFKC + case normalisation); :func:`method_agreement` compares methods.

>>> kw = extract_keywords(["精准扶贫是打赢脱贫攻坚战的关键。驻村工作队帮助贫困户发展产业，贫困户脱贫。"],
...                       doc_ids=["d1"], methods=["tfidf_reference"], top_k=3, corpus_level=False)
>>> list(kw.columns), len(kw), "驻村工作队" in set(kw.term)
(['doc_id', 'method', 'rank', 'term', 'score'], 3, True)
"""

from __future__ import annotations

import math
import re
import unicodedata
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from .paths import RESOURCES_DIR
from .tokenize import Tokenizer, get_default_tokenizer

__all__ = [
    "METHODS",
    "DEFAULT_METHODS",
    "CORPUS_ID",
    "KeyphraseSettings",
    "ReferenceIDF",
    "load_reference_idf",
    "normalize_term",
    "segment_runs",
    "keywords_tfidf_corpus",
    "keywords_tfidf_reference",
    "keywords_textrank",
    "keywords_keyphrase",
    "keywords_jieba",
    "extract_keywords",
    "evaluate_keywords",
    "method_agreement",
    "keywords_by_period",
    "corpus_term_weights",
    "side_by_side",
    "parse_gold",
]

METHODS: tuple[str, ...] = ("tfidf_corpus", "tfidf_reference", "textrank", "keyphrase", "jieba_extract_tags")
DEFAULT_METHODS: tuple[str, ...] = METHODS
CORPUS_ID = "__corpus__"
COLUMNS = ["doc_id", "method", "rank", "term", "score"]

_SENTENCE_END = re.compile(r"[。！？!?；;\n]+|\.\s+")


# -- normalisation ------------------------------------------------------------------------------------------------
def normalize_term(term: str) -> str:
    """The form in which keywords are compared: NFKC, lower case, outer whitespace removed.

    >>> normalize_term(" Lyapunov函数 ")
    'lyapunov函数'
    """
    return unicodedata.normalize("NFKC", str(term)).lower().strip()


def _join(parts: Sequence[str]) -> str:
    """Join tokens into the surface form: no space between Chinese tokens, one space between two Latin ones."""
    out = parts[0]
    for p in parts[1:]:
        if out and p and out[-1].isascii() and out[-1].isalnum() and p[0].isascii() and p[0].isalnum():
            out += " "
        out += p
    return out


# -- reference IDF --------------------------------------------------------------------------------------------------
@dataclass
class ReferenceIDF:
    """IDF weights measured on a background corpus; unknown terms get the IDF of a term seen in no document.

    Attributes
    ----------
    idf : term -> idf.
    n_documents : size of the background corpus.
    meta : the header fields of the table (sources, tokenizer fingerprint, ...).
    """

    idf: dict[str, float]
    n_documents: int
    meta: dict[str, object] = field(default_factory=dict)

    @property
    def default_idf(self) -> float:
        """Smoothed IDF of an unseen term, ``ln((1 + N) / 1) + 1``: the largest value in the table."""
        return math.log(1 + self.n_documents) + 1

    def __getitem__(self, term: str) -> float:
        return self.idf.get(term, self.default_idf)

    def __contains__(self, term: object) -> bool:
        return term in self.idf

    def __len__(self) -> int:
        return len(self.idf)

    def phrase_idf(self, parts: Sequence[str]) -> float:
        """IDF of a phrase backed off through its parts: the whole phrase if known, else the mean of the parts."""
        whole = "".join(parts)
        if whole in self.idf:
            return self.idf[whole]
        return float(np.mean([self[p] for p in parts]))


def load_reference_idf(reference: str | Path = "reference_idf", *, tokenizer: Tokenizer | None = None) -> ReferenceIDF:
    """Load a reference IDF table (TSV ``term, df, idf`` with ``# key: value`` header lines).

    Parameters
    ----------
    reference : the name of a table in ``helpers/resources`` (``"reference_idf"``, the shipped one, built from
        CCTV 新闻联播 and THUCNews stories by ``scripts/build_reference_idf.py``) or a path to a TSV file.
    tokenizer : warn if the table was built with a tokenizer whose fingerprint differs from this one's (its words
        may then be segmented differently); ``None`` checks against the project's default tokenizer.

    >>> ref = load_reference_idf()
    >>> ref["发展"] < ref["驻村工作队"] < ref.default_idf
    True
    """
    return _load_reference_idf(str(reference), (tokenizer or get_default_tokenizer()).fingerprint)


@lru_cache(maxsize=4)
def _load_reference_idf(reference: str, fingerprint: str) -> ReferenceIDF:
    path = Path(reference)
    if not path.suffix:
        candidate = RESOURCES_DIR / f"{reference}.tsv"
        path = candidate if candidate.is_file() else path
    if not path.is_file():
        raise FileNotFoundError(f"{path}: reference IDF table not found (a name in {RESOURCES_DIR} or a TSV path)")
    meta: dict[str, object] = {"path": str(path), "sources": []}
    idf: dict[str, float] = {}
    header_seen = False
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if line.startswith("#"):
                key, _, value = line[1:].partition(":")
                key, value = key.strip(), value.strip()
                if key == "source":
                    meta["sources"].append(value)  # type: ignore[union-attr]
                elif key and value:
                    meta[key] = value
                continue
            if not header_seen:
                if line.split("\t")[:3] != ["term", "df", "idf"]:
                    raise ValueError(f"{path}:{lineno}: expected the header 'term<TAB>df<TAB>idf', got {line!r}")
                header_seen = True
                continue
            if not line:
                continue
            parts = line.split("\t")
            if len(parts) != 3:
                raise ValueError(f"{path}:{lineno}: expected 3 tab-separated fields, got {len(parts)}")
            idf[parts[0]] = float(parts[2])
    if "n_documents" not in meta:
        raise ValueError(f"{path}: header line '# n_documents: N' missing")
    if meta.get("tokenizer_fingerprint") not in (None, fingerprint):
        warnings.warn(
            f"{path}: built with tokenizer {meta['tokenizer_fingerprint']}, current tokenizer is {fingerprint}; "
            "rebuild it with scripts/build_reference_idf.py",
            stacklevel=3,
        )
    return ReferenceIDF(idf=idf, n_documents=int(meta["n_documents"]), meta=meta)  # type: ignore[arg-type]


# -- segmentation into runs of content tokens -------------------------------------------------------------------------
@dataclass
class _Segmented:
    runs: list[list[str]]  # runs of consecutive content tokens (split at punctuation, stopwords, numbers)
    run_sentence: list[int]  # sentence index of each run
    n_sentences: int

    @property
    def tokens(self) -> list[str]:
        return [t for run in self.runs for t in run]


def segment_runs(text: str, *, tokenizer: Tokenizer | None = None) -> list[list[str]]:
    """Runs of consecutive content tokens of ``text``: candidate phrases never cross a stopword or punctuation.

    >>> segment_runs("采用修正的Rodrigues参数，建立了数学模型")
    [['采用', '修正'], ['rodrigues', '参数'], ['建立'], ['数学模型']]
    """
    return _segment(text, tokenizer or get_default_tokenizer()).runs


def _segment(text: str, tokenizer: Tokenizer) -> _Segmented:
    text = unicodedata.normalize("NFKC", text).lower()
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    runs: list[list[str]] = []
    run_sentence: list[int] = []
    jb = tokenizer.jieba
    for si, sentence in enumerate(sentences):
        run: list[str] = []
        for word in jb.cut(sentence, HMM=tokenizer.settings.hmm):
            word = word.strip()
            if not word:
                continue  # whitespace joins Latin words, it does not break a run
            if tokenizer.is_content(word):
                run.append(word)
            elif run:
                runs.append(run)
                run_sentence.append(si)
                run = []
        if run:
            runs.append(run)
            run_sentence.append(si)
    return _Segmented(runs, run_sentence, len(sentences))


def _segment_corpus(texts: Sequence[str], tokenizer: Tokenizer) -> list[_Segmented]:
    return [_segment(t, tokenizer) for t in texts]


def _top(scores: Mapping[str, float], k: int) -> list[tuple[str, float]]:
    """The k best (term, score) pairs, ties broken by the term so that results are reproducible."""
    return sorted(((t, float(s)) for t, s in scores.items() if s > 0), key=lambda x: (-x[1], x[0]))[:k]


# -- method 1: TF-IDF with a corpus IDF (scikit-learn) -----------------------------------------------------------------
class _PreTokenized:
    """A ``tokenizer=`` callable for scikit-learn that returns tokens already computed (and cached) for a text."""

    def __init__(self, texts: Sequence[str], tokens: Sequence[list[str]], tokenizer: Tokenizer) -> None:
        self.lookup = dict(zip(texts, tokens))
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> list[str]:
        found = self.lookup.get(text)
        return found if found is not None else self.tokenizer.tokenize(text)


def keywords_tfidf_corpus(
    texts: Sequence[str],
    *,
    top_k: int = 10,
    ngram_range: tuple[int, int] = (1, 1),
    tokens: Sequence[list[str]] | None = None,
    tokenizer: Tokenizer | None = None,
) -> tuple[list[list[tuple[str, float]]], list[tuple[str, float]]]:
    """Per-document and corpus keywords by ``TfidfVectorizer`` fed by the project tokenizer (sublinear tf).

    Bigrams (``ngram_range=(1, 2)``) are pairs of consecutive *content* tokens, printed without a space. The
    corpus keywords are the terms with the largest mean of the (L2-normalised) document vectors.

    >>> docs, corpus = keywords_tfidf_corpus(["脱贫攻坚 精准扶贫 产业", "乡村振兴 产业"], top_k=2)
    >>> docs[0]
    [('精准扶贫', 0.631...), ('脱贫攻坚', 0.631...)]
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    tokenizer = tokenizer or get_default_tokenizer()
    texts = list(texts)
    if tokens is None:
        tokens = tokenizer.tokenize_corpus(texts, n_jobs=1)
    if not any(tokens):
        return [[] for _ in texts], []
    vec = TfidfVectorizer(
        tokenizer=_PreTokenized(texts, tokens, tokenizer),
        token_pattern=None,
        lowercase=False,
        sublinear_tf=True,
        ngram_range=tuple(ngram_range),
    )
    X = vec.fit_transform(texts).tocsr()
    names = [_join(n.split(" ")) for n in vec.get_feature_names_out()]
    per_doc = []
    for i in range(X.shape[0]):
        row = X.getrow(i)
        per_doc.append(_top({names[j]: v for j, v in zip(row.indices, row.data)}, top_k))
    mean = np.asarray(X.mean(axis=0)).ravel()
    corpus = _top({names[j]: mean[j] for j in np.flatnonzero(mean)}, top_k)
    return per_doc, corpus


# -- method 2: TF-IDF with the reference IDF -----------------------------------------------------------------------
def keywords_tfidf_reference(
    tokens: Sequence[Sequence[str]], *, top_k: int = 10, reference: ReferenceIDF | str = "reference_idf"
) -> tuple[list[list[tuple[str, float]]], list[tuple[str, float]]]:
    """Per-document and corpus keywords by sublinear tf times the reference IDF.

    The corpus keywords are the terms with the largest mean of the L2-normalised document vectors.

    >>> docs, corpus = keywords_tfidf_reference([["发展", "发展", "驻村工作队"]], top_k=2)
    >>> [t for t, _ in docs[0]]
    ['驻村工作队', '发展']
    """
    ref = load_reference_idf(reference) if not isinstance(reference, ReferenceIDF) else reference
    per_doc = []
    total: Counter[str] = Counter()
    for toks in tokens:
        tf = Counter(toks)
        w = {t: (1 + math.log(c)) * ref[t] for t, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in w.values())) or 1.0
        for t, v in w.items():
            total[t] += v / norm
        per_doc.append(_top(w, top_k))
    n = max(len(tokens), 1)
    return per_doc, _top({t: v / n for t, v in total.items()}, top_k)


# -- method 3: TextRank --------------------------------------------------------------------------------------------
def _pagerank(
    vocab_size: int,
    edges: Mapping[tuple[int, int], float],
    *,
    damping: float = 0.85,
    tol: float = 1e-8,
    max_iter: int = 200,
) -> np.ndarray:
    """PageRank of an undirected weighted graph by power iteration (deterministic)."""
    if vocab_size == 0:
        return np.zeros(0)
    if not edges:
        return np.full(vocab_size, 1.0 / vocab_size)
    rows, cols, vals = [], [], []
    for (a, b), w in edges.items():
        rows += [a, b]
        cols += [b, a]
        vals += [w, w]
    W = sparse.csr_matrix((vals, (rows, cols)), shape=(vocab_size, vocab_size))
    out = np.asarray(W.sum(axis=1)).ravel()
    inv = np.divide(1.0, out, out=np.zeros_like(out), where=out > 0)
    M = (sparse.diags(inv) @ W).T.tocsr()  # column-stochastic transition matrix
    r = np.full(vocab_size, 1.0 / vocab_size)
    dangling = out == 0
    for _ in range(max_iter):
        new = damping * (M @ r + r[dangling].sum() / vocab_size) + (1 - damping) / vocab_size
        if np.abs(new - r).sum() < tol:
            r = new
            break
        r = new
    return r


def _textrank_scores(segs: Sequence[_Segmented], window: int) -> dict[str, float]:
    index: dict[str, int] = {}
    edges: defaultdict[tuple[int, int], float] = defaultdict(float)
    for seg in segs:
        ids = [index.setdefault(t, len(index)) for t in seg.tokens]
        for i, a in enumerate(ids):
            for b in ids[i + 1 : i + window]:
                if a != b:
                    edges[(min(a, b), max(a, b))] += 1.0
    r = _pagerank(len(index), edges)
    return {t: float(r[i]) for t, i in index.items()}


def _merge_phrases(
    segs: Sequence[_Segmented],
    word_scores: Mapping[str, float],
    *,
    top_k: int,
    top_fraction: float = 1 / 3,
    max_tokens: int = 3,
    min_count: int = 2,
) -> list[tuple[str, float]]:
    """Collapse adjacent top-ranked words into phrases (score: sum of the words' scores).

    A merged phrase must occur ``min_count`` times; otherwise its words stand alone. A word that occurs only
    inside kept phrases is dropped (the phrase stands for it).
    """
    ranked = _top(word_scores, len(word_scores))
    keep = {t for t, _ in ranked[: max(top_k * 2, int(len(ranked) * top_fraction))]}
    spans: Counter[tuple[str, ...]] = Counter()
    for seg in segs:
        for run in seg.runs:
            i = 0
            while i < len(run):
                if run[i] not in keep:
                    i += 1
                    continue
                j = i
                while j + 1 < len(run) and run[j + 1] in keep and j + 1 - i < max_tokens:
                    j += 1
                spans[tuple(run[i : j + 1])] += 1
                i = j + 1
    scores: dict[str, float] = {}
    for span, count in spans.items():
        if len(span) > 1 and count >= min_count:
            scores[_join(span)] = sum(word_scores[t] for t in span)
        else:
            for t in span:
                scores[t] = word_scores[t]
    return _top(scores, top_k)


def keywords_textrank(
    texts: Sequence[str],
    *,
    top_k: int = 10,
    window: int = 5,
    tokenizer: Tokenizer | None = None,
    _segs: Sequence[_Segmented] | None = None,
) -> tuple[list[list[tuple[str, float]]], list[tuple[str, float]]]:
    """Per-document and corpus keywords by TextRank over the project's tokens, adjacent top words merged.

    The graph links content tokens that occur within ``window`` tokens of each other; the corpus keywords come
    from one graph over all documents.

    >>> docs, _ = keywords_textrank(["脱贫攻坚，精准扶贫。脱贫攻坚，产业扶贫。精准扶贫，产业扶贫"], top_k=3)
    >>> [t for t, _ in docs[0]]
    ['精准扶贫', '产业扶贫', '脱贫攻坚']
    """
    tokenizer = tokenizer or get_default_tokenizer()
    segs = list(_segs) if _segs is not None else _segment_corpus(texts, tokenizer)
    per_doc = [_merge_phrases([s], _textrank_scores([s], window), top_k=top_k) for s in segs]
    corpus = _merge_phrases(segs, _textrank_scores(segs, window), top_k=top_k) if segs else []
    return per_doc, corpus


# -- method 4: key phrases -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class KeyphraseSettings:
    """Weights of the ``keyphrase`` score (tuned on ``data/csl_sample``, checked on the other 700 CSL rows).

    The last sentence is where CSL abstracts carry their title; the bonus is worth about 0.01 F1@5 there.

    score = (1 + ln tf) * reference IDF (of the phrase, else the mean of its parts) * corpus IDF of the phrase
            * (1 + length_weight * (tokens - 1)) * (1 + edge_weight * [in the last sentence])
            * (1 + position_weight * (1 - first position / length)) * (single_char_weight if one character)
    """

    max_tokens: int = 3
    min_chars: int = 2
    min_tf_phrase: int = 2  # a phrase seen fewer times qualifies only if another document has it too
    length_weight: float = 0.5
    edge_weight: float = 0.5
    position_weight: float = 1.0
    single_char_weight: float = 0.3
    drop_fragments: bool = True


def _candidates(seg: _Segmented, max_tokens: int):
    tf: Counter[str] = Counter()
    parts: dict[str, tuple[str, ...]] = {}
    first: dict[str, int] = {}
    edge: set[str] = set()
    edge_sentences = {seg.n_sentences - 1}
    pos = 0
    for run, si in zip(seg.runs, seg.run_sentence):
        for i in range(len(run)):
            for n in range(1, max_tokens + 1):
                if i + n > len(run):
                    break
                p = tuple(run[i : i + n])
                s = _join(p)
                tf[s] += 1
                parts.setdefault(s, p)
                first.setdefault(s, pos + i)
                if si in edge_sentences:
                    edge.add(s)
        pos += len(run)
    # the largest tf of a one-token extension: a candidate that never occurs outside it is a fragment
    sup: Counter[str] = Counter()
    for s, p in parts.items():
        if len(p) >= 2:
            for sub in (p[:-1], p[1:]):
                k = _join(sub)
                sup[k] = max(sup[k], tf[s])
    return tf, parts, first, edge, sup, max(pos, 1)


def keywords_keyphrase(
    texts: Sequence[str],
    *,
    top_k: int = 10,
    reference: ReferenceIDF | str = "reference_idf",
    tokenizer: Tokenizer | None = None,
    settings: KeyphraseSettings | None = None,
    _segs: Sequence[_Segmented] | None = None,
) -> tuple[list[list[tuple[str, float]]], list[tuple[str, float]]]:
    """Per-document and corpus key phrases: single tokens and phrases of consecutive tokens ranked together.

    The corpus keywords treat the corpus as one document against the reference IDF only (a term found in every
    document is what the corpus is about, not a term to discount): (1 + ln total tf) * reference IDF * length
    prior * share of documents where the term is a (non-fragment) candidate.

    >>> docs, _ = keywords_keyphrase(["提出平方和优化方法。平方和优化用于控制器设计。控制器设计简单"], top_k=2)
    >>> sorted(t for t, _ in docs[0])
    ['平方和优化', '控制器设计']
    """
    st = settings or KeyphraseSettings()
    ref = load_reference_idf(reference) if not isinstance(reference, ReferenceIDF) else reference
    tokenizer = tokenizer or get_default_tokenizer()
    segs = list(_segs) if _segs is not None else _segment_corpus(texts, tokenizer)
    # candidates one token longer than max_tokens are generated only to recognise fragments
    cands = [_candidates(s, st.max_tokens + 1) for s in segs]
    df: Counter[str] = Counter()
    for c in cands:
        df.update(c[0].keys())
    n_docs = len(segs)
    per_doc = []
    total_tf: Counter[str] = Counter()
    doc_count: Counter[str] = Counter()
    all_parts: dict[str, tuple[str, ...]] = {}
    for tf, parts, first, edge, sup, length in cands:
        scores: dict[str, float] = {}
        for s, c in tf.items():
            p = parts[s]
            if len(p) > st.max_tokens or len(s) < st.min_chars:
                continue
            if st.drop_fragments and c - sup[s] <= 0:
                continue
            if len(p) > 1 and c < st.min_tf_phrase and df[s] < 2:
                continue
            total_tf[s] += c
            doc_count[s] += 1
            all_parts.setdefault(s, p)
            w = (1 + math.log(c)) * ref.phrase_idf(p)
            w *= math.log((1 + n_docs) / (1 + df[s])) + 1
            w *= 1 + st.length_weight * (len(p) - 1)
            w *= 1 + st.edge_weight * (s in edge)
            w *= 1 + st.position_weight * (1 - first[s] / length)
            if len(s) == 1:
                w *= st.single_char_weight
            scores[s] = w
        per_doc.append(_top(scores, top_k))
    corpus: dict[str, float] = {}
    for s, c in total_tf.items():
        p = all_parts[s]
        w = (1 + math.log(c)) * ref.phrase_idf(p) * (1 + st.length_weight * (len(p) - 1))
        corpus[s] = w * math.sqrt(doc_count[s] / max(n_docs, 1)) * (st.single_char_weight if len(s) == 1 else 1.0)
    return per_doc, _top(corpus, top_k)


# -- method 5: the baseline ------------------------------------------------------------------------------------------
def keywords_jieba(
    texts: Sequence[str], *, top_k: int = 10
) -> tuple[list[list[tuple[str, float]]], list[tuple[str, float]]]:
    """The baseline: ``jieba.analyse.extract_tags(text, topK=top_k)``: jieba's default dictionary and bundled IDF.

    Used only as the point of comparison; the corpus keywords run it on all texts joined.

    >>> docs, _ = keywords_jieba(["坚决打赢脱贫攻坚战"], top_k=2)
    >>> len(docs[0])
    2
    """
    import jieba.analyse

    from .tokenize import baseline_jieba

    extractor = jieba.analyse.TFIDF()  # jieba's bundled IDF and stopwords, as extract_tags uses them
    extractor.tokenizer = baseline_jieba()  # the global tokenizer's segmentation, without its marshal cache file
    per_doc = [[(t, float(w)) for t, w in extractor.extract_tags(x, topK=top_k, withWeight=True)] for x in texts]
    corpus = extractor.extract_tags("\n".join(texts), topK=top_k, withWeight=True) if texts else []
    return per_doc, [(t, float(w)) for t, w in corpus]


# -- all methods in one table ----------------------------------------------------------------------------------------
def extract_keywords(
    texts: Sequence[str] | pd.Series,
    *,
    doc_ids: Sequence[object] | None = None,
    methods: Iterable[str] = DEFAULT_METHODS,
    top_k: int = 10,
    reference: ReferenceIDF | str = "reference_idf",
    ngram_range: tuple[int, int] = (1, 2),
    tokenizer: Tokenizer | None = None,
    tokens: Sequence[list[str]] | None = None,
    corpus_level: bool = True,
    n_jobs: int | None = 1,
) -> pd.DataFrame:
    """Keywords of every document (and of the corpus) by each method, as one long table.

    Parameters
    ----------
    texts : the documents.
    doc_ids : their ids (default ``0, 1, ...``); the corpus-level rows get ``doc_id == "__corpus__"``.
    methods : any of :data:`METHODS`.
    top_k : keywords per document and method.
    reference : reference IDF table name or path, or a loaded :class:`ReferenceIDF`.
    ngram_range : word n-grams of ``tfidf_corpus`` (default unigrams and bigrams; ``(1, 1)`` for words only).
    tokens : the project tokens of ``texts`` if already computed (else :func:`tokenize_corpus` is called).
    corpus_level : also add the corpus-level rows.

    Returns
    -------
    DataFrame with columns ``doc_id, method, rank, term, score`` (rank starts at 1; ``doc_id`` as a string).
    """
    texts = [str(t) for t in texts]
    ids = [str(i) for i in (doc_ids if doc_ids is not None else range(len(texts)))]
    if len(ids) != len(texts):
        raise ValueError(f"extract_keywords: {len(texts)} texts but {len(ids)} doc_ids")
    methods = list(methods)
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"unknown keyword method(s) {unknown}; choose from {list(METHODS)}")
    tokenizer = tokenizer or get_default_tokenizer()
    ref = load_reference_idf(reference, tokenizer=tokenizer) if not isinstance(reference, ReferenceIDF) else reference
    if tokens is None and {"tfidf_corpus", "tfidf_reference"} & set(methods):
        tokens = tokenizer.tokenize_corpus(texts, n_jobs=n_jobs)
    segs = _segment_corpus(texts, tokenizer) if {"textrank", "keyphrase"} & set(methods) else None
    rows: list[tuple[str, str, int, str, float]] = []
    for m in methods:
        if m == "tfidf_corpus":
            per_doc, corpus = keywords_tfidf_corpus(
                texts, top_k=top_k, ngram_range=ngram_range, tokens=tokens, tokenizer=tokenizer
            )
        elif m == "tfidf_reference":
            per_doc, corpus = keywords_tfidf_reference(tokens, top_k=top_k, reference=ref)
        elif m == "textrank":
            per_doc, corpus = keywords_textrank(texts, top_k=top_k, tokenizer=tokenizer, _segs=segs)
        elif m == "keyphrase":
            per_doc, corpus = keywords_keyphrase(texts, top_k=top_k, reference=ref, tokenizer=tokenizer, _segs=segs)
        else:
            per_doc, corpus = keywords_jieba(texts, top_k=top_k)
        for doc_id, kws in zip(ids, per_doc):
            rows += [(doc_id, m, r, t, s) for r, (t, s) in enumerate(kws, 1)]
        if corpus_level:
            rows += [(CORPUS_ID, m, r, t, s) for r, (t, s) in enumerate(corpus, 1)]
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.astype({"doc_id": "str", "method": "str", "rank": "int64", "term": "str", "score": "float64"})


# -- evaluation against gold keywords --------------------------------------------------------------------------------
def parse_gold(value: object) -> list[str]:
    """Gold keywords from a cell: a list, or a string split at ``; , ， 、 ；`` or ``_`` (JSON lists accepted).

    >>> parse_gold("平方和优化；大角度机动")
    ['平方和优化', '大角度机动']
    >>> parse_gold(["Lyapunov函数"])
    ['Lyapunov函数']
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        s = value.strip()
        if s.startswith("["):
            import json

            try:
                return [str(x) for x in json.loads(s)]
            except json.JSONDecodeError:
                s = s.strip("[]")
        return [p.strip().strip("'\"") for p in re.split(r"[;,，、；_|]", s) if p.strip().strip("'\"")]
    if isinstance(value, Iterable):
        return [str(x) for x in value]
    return [str(value)]


def evaluate_keywords(
    keywords: pd.DataFrame, gold: Mapping[object, Iterable[str]], *, ks: Sequence[int] = (5, 10)
) -> pd.DataFrame:
    """Precision, recall and F1 at k of each method against gold keywords (macro-averaged over documents).

    A predicted keyword matches when it equals a gold keyword after :func:`normalize_term`. Precision at k divides
    by k (a method that returns fewer terms is not rewarded); documents without gold keywords are skipped.

    >>> kw = pd.DataFrame({"doc_id": ["a", "a"], "method": ["m", "m"], "rank": [1, 2], "term": ["x", "y"],
    ...                    "score": [1.0, 0.5]})
    >>> evaluate_keywords(kw, {"a": ["X", "z"]}, ks=[2]).loc[0, ["precision", "recall", "f1"]].tolist()
    [0.5, 0.5, 0.5]
    """
    gold_sets = {str(d): {normalize_term(g) for g in gs if normalize_term(g)} for d, gs in gold.items()}
    gold_sets = {d: g for d, g in gold_sets.items() if g}
    kw = keywords[keywords.doc_id.astype(str) != CORPUS_ID].sort_values(["method", "doc_id", "rank"])
    predicted: dict[tuple[str, str], list[str]] = {}
    for (m, d), grp in kw.groupby(["method", "doc_id"], sort=False):
        predicted[(str(m), str(d))] = [normalize_term(t) for t in grp.term]
    rows = []
    for m in kw.method.unique():
        for k in ks:
            p_sum = r_sum = f_sum = 0.0
            for d, g in gold_sets.items():
                pred = list(dict.fromkeys(predicted.get((str(m), d), [])[:k]))
                hit = len(set(pred) & g)
                p, r = hit / k, hit / len(g)
                p_sum, r_sum, f_sum = p_sum + p, r_sum + r, f_sum + (2 * p * r / (p + r) if hit else 0.0)
            n = max(len(gold_sets), 1)
            rows.append((str(m), int(k), p_sum / n, r_sum / n, f_sum / n, len(gold_sets)))
    return pd.DataFrame(rows, columns=["method", "k", "precision", "recall", "f1", "n_documents"])


# -- comparisons ---------------------------------------------------------------------------------------------------
def _spearman_shared(a: Sequence[str], b: Sequence[str], *, min_shared: int = 3) -> float:
    """Spearman correlation of the ranks of the terms two lists share (NaN if fewer than ``min_shared``)."""
    shared = [t for t in a if t in set(b)]
    if len(shared) < min_shared:
        return float("nan")
    ra = np.arange(len(shared), dtype=float)  # order in a
    rb = pd.Series([b.index(t) for t in shared]).rank().to_numpy()
    return float(np.corrcoef(ra, rb)[0, 1])


def method_agreement(keywords: pd.DataFrame, *, k: int = 10) -> pd.DataFrame:
    """Agreement between every pair of methods, averaged over documents (corpus rows excluded).

    Returns one row per ordered pair: ``overlap`` (shared terms in the two top-k lists divided by the length of
    the longer list, normally k), ``spearman`` (rank correlation of the terms both lists share: do the methods
    order them alike? averaged over the documents where they share at least three terms) and ``n_ranked`` (the
    number of such documents).

    >>> kw = pd.DataFrame({"doc_id": ["a"] * 4, "method": ["m", "m", "n", "n"], "rank": [1, 2, 1, 2],
    ...                    "term": ["x", "y", "x", "z"], "score": [2.0, 1.0, 2.0, 1.0]})
    >>> method_agreement(kw, k=2).query("method_a == 'm' and method_b == 'n'").overlap.item()
    0.5
    """
    kw = keywords[(keywords.doc_id.astype(str) != CORPUS_ID) & (keywords["rank"] <= k)]
    lists = {
        (m, d): [normalize_term(t) for t in g.sort_values("rank").term]
        for (m, d), g in kw.groupby(["method", "doc_id"])
    }
    methods = list(dict.fromkeys(kw.method))
    docs = list(dict.fromkeys(kw.doc_id))
    rows = []
    for a in methods:
        for b in methods:
            ov, rho = [], []
            for d in docs:
                la, lb = lists.get((a, d), []), lists.get((b, d), [])
                if not la or not lb:
                    continue
                ov.append(len(set(la) & set(lb)) / max(len(la), len(lb)))
                rho.append(_spearman_shared(la, lb))
            rows.append(
                (
                    a,
                    b,
                    float(np.mean(ov)) if ov else float("nan"),
                    float(np.nanmean(rho)) if rho and not all(np.isnan(rho)) else float("nan"),
                    int(np.sum(~np.isnan(rho))) if rho else 0,
                )
            )
    return pd.DataFrame(rows, columns=["method_a", "method_b", "overlap", "spearman", "n_ranked"])


def keywords_by_period(
    keywords: pd.DataFrame,
    dates: Mapping[object, object],
    *,
    method: str = "keyphrase",
    freq: str | None = None,
    top_k: int = 10,
) -> pd.DataFrame:
    """Corpus keywords per time period: each document's scores divided by its best score, summed per period.

    Parameters
    ----------
    keywords : the table of :func:`extract_keywords`.
    dates : doc_id -> date (anything ``pandas.to_datetime`` reads; unparseable dates are left out).
    freq : a pandas period alias (``"Y"``, ``"Q"``, ``"M"``); ``None`` picks years for a span over three years,
        quarters over a year, else months.

    Returns
    -------
    DataFrame ``period, rank, term, score, n_documents`` (empty when no date can be read).
    """
    when = pd.to_datetime(
        pd.Series({str(k): v for k, v in dates.items()}, dtype="object"), errors="coerce", format="mixed"
    )
    when = when.dropna()
    cols = ["period", "rank", "term", "score", "n_documents"]
    if when.empty:
        return pd.DataFrame(columns=cols)
    if freq is None:
        span = (when.max() - when.min()).days
        freq = "Y" if span > 3 * 365 else "Q" if span > 365 else "M"
    period = when.dt.to_period(freq).astype(str)
    kw = keywords[(keywords.method == method) & (keywords.doc_id.astype(str) != CORPUS_ID)].copy()
    kw["doc_id"] = kw.doc_id.astype(str)
    kw = kw[kw.doc_id.isin(period.index)]
    kw["weight"] = kw.score / kw.groupby("doc_id").score.transform("max")
    kw["period"] = kw.doc_id.map(period)
    n_docs = period.value_counts()
    rows = []
    for p, grp in kw.groupby("period"):
        agg = grp.groupby("term").weight.sum()
        for r, (t, s) in enumerate(_top(agg.to_dict(), top_k), 1):
            rows.append((p, r, t, s, int(n_docs.get(p, 0))))
    return pd.DataFrame(rows, columns=cols)


def side_by_side(keywords: pd.DataFrame, doc_id: object, *, methods: Sequence[str] | None = None) -> pd.DataFrame:
    """One document's keywords as a table: one row per rank, one column per method.

    >>> kw = pd.DataFrame({"doc_id": ["a", "a"], "method": ["m", "n"], "rank": [1, 1], "term": ["x", "y"],
    ...                    "score": [1.0, 1.0]})
    >>> side_by_side(kw, "a").loc[1].tolist()
    ['x', 'y']
    """
    sub = keywords[keywords.doc_id.astype(str) == str(doc_id)]
    table = sub.pivot(index="rank", columns="method", values="term")
    order = [m for m in (methods or list(dict.fromkeys(keywords.method))) if m in table.columns]
    table = table[order]
    table.columns.name = None
    return table


def corpus_term_weights(keywords: pd.DataFrame, *, method: str = "keyphrase") -> pd.Series:
    """Weight of each term over the corpus: every document's scores divided by its best score, summed.

    Unlike the ``__corpus__`` rows this is not cut at ``top_k`` (for word clouds and time series).

    >>> kw = pd.DataFrame({"doc_id": ["a", "a", "b"], "method": ["m"] * 3, "rank": [1, 2, 1],
    ...                    "term": ["x", "y", "x"], "score": [2.0, 1.0, 5.0]})
    >>> corpus_term_weights(kw, method="m").to_dict()
    {'x': 2.0, 'y': 0.5}
    """
    kw = keywords[(keywords.method == method) & (keywords.doc_id.astype(str) != CORPUS_ID)]
    if kw.empty:
        return pd.Series(dtype="float64", name="weight")
    weight = kw.score / kw.groupby("doc_id").score.transform("max")
    out = weight.groupby(kw.term).sum().rename("weight")
    out.index.name = "term"
    return out.sort_values(ascending=False, kind="stable")
