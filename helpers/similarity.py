"""Document similarity: background LSI, TF-IDF and LSI cosine, LDA topic similarity (Hellinger), neighbours, query.

Every representation is a matrix whose rows are documents and whose row-wise dot product is the similarity:

- ``background``: character-bigram TF-IDF in LSI spaces learned offline from a reference news corpus and merged
  with the corpus's own, joined with the titles' TF-IDF (:class:`BackgroundModel`), sparse rows scaled so that
  the dot product is a weighted cosine; the best on one broadcaster's news;
- ``tfidf``: sublinear TF-IDF of the project tokens (optionally with word bigrams), rows L2-normalised, so the
  dot product is the cosine;
- ``lsi``: the TF-IDF matrix reduced by truncated SVD (latent semantic indexing), rows L2-normalised;
- ``lda``: the square roots of the LDA topic distributions, so the dot product is the Bhattacharyya coefficient
  ``BC`` and the Hellinger distance is ``sqrt(1 - BC)``; the similarity reported is ``1 - Hellinger``.

:func:`top_k_neighbours` finds each document's nearest neighbours block by block (sparse products), so a large
corpus never needs a dense N x N matrix; :func:`similarity_matrix` gives the full matrix for small corpora
(heatmaps, dendrograms). :class:`SimilarityIndex` bundles the three and answers text queries.

>>> docs = [["扶贫", "产业", "脱贫"], ["扶贫", "产业", "就业"], ["足球", "比赛", "球队"]]
>>> index = SimilarityIndex.fit(docs, doc_ids=["a", "b", "c"], methods=("tfidf",))
>>> top_k_neighbours(index.vectors["tfidf"], k=1)[0][0].tolist()
[1]
>>> index.query_tokens(["产业", "扶贫"], k=1)["doc_id"].tolist()
['a']

References
----------
Salton & Buckley, "Term-weighting approaches in automatic text retrieval", *Information Processing & Management*
24 (1988): TF-IDF weighting and cosine similarity.
Deerwester, Dumais, Furnas, Landauer & Harshman, "Indexing by latent semantic analysis", *Journal of the American
Society for Information Science* 41 (1990): LSI.
Blei, Ng & Jordan, "Latent Dirichlet allocation", *JMLR* 3 (2003); Hellinger distance between topic distributions
as in Blei & Lafferty, "Topic models", in *Text Mining: Classification, Clustering, and Applications* (2009).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .paths import RESOURCES_DIR
from .tables import plural, read_table
from .tokenize import split_sentences
from .topics import UNITS_PER_TOPIC, capped_topic_count

__all__ = [
    "list_columns",
    "METHODS",
    "recurring_titles",
    "same_format_sentence",
    "recurring_texts",
    "paragraph_ranking_note",
    "MANY_PARAGRAPHS",
    "SimilarityIndex",
    "fit_tfidf",
    "fit_lsi",
    "BackgroundModel",
    "BackgroundSpace",
    "background_known_share",
    "default_method",
    "DefaultMethod",
    "BACKGROUND_MIN_KNOWN_SHARE",
    "OWN_METHOD",
    "METHOD_NAMES",
    "METHOD_NAMES_ZH",
    "background_features",
    "background_titles",
    "hellinger_similarity",
    "top_k_neighbours",
    "neighbours_table",
    "similarity_matrix",
    "most_similar_pairs",
    "map_2d",
    "sample_rows",
    "figure_sample",
    "FigureSample",
    "FIGURE_GROUP_SIZE",
    "document_groups",
    "find_label_column",
    "choose_label_column",
    "categorical_columns",
    "LabelChoice",
    "LABEL_COLUMNS",
    "MAP_COLOURS",
    "load_doc_topics",
    "rank_texts",
    "short_labels",
    "distinct_labels",
    "central_document",
    "first_sentence",
    "query_sentence",
    "QUERY_MIN_WORDS",
    "QUERY_MAX_HOLDERS",
    "paragraph_table",
    "query_results",
    "lda_rules_sentence",
    "lda_unsuitable",
    "lda_saturation",
    "lda_saturation_sentence",
    "compressed_scores_sentence",
    "COMPRESSED_TOP_SCORE",
    "LdaSaturation",
    "LDA_MIN_MEDIAN_TOKENS",
    "LDA_SATURATED_SHARE",
    "LDA_MIN_WORD_AGREEMENT",
    "NO_TOPIC_GROUP",
]

#: every method; ``background`` (:class:`BackgroundModel`) needs the documents' texts, the others their tokens
METHODS: tuple[str, ...] = ("background", "tfidf", "lsi", "lda")


def _identity(tokens):
    return list(tokens)


def _with_bigrams(tokens):
    tokens = list(tokens)
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


#: below this many documents the document-frequency limits of :func:`fit_tfidf` are not applied (a share of a
#: handful of documents would remove most of the vocabulary)
DF_LIMITS_MIN_DOCS = 10


def fit_tfidf(
    token_lists: Sequence[Sequence[str]],
    *,
    bigrams: bool = True,
    min_df: int = 1,
    max_df: float = 0.5,
    sublinear_tf: bool = True,
):
    """Fit a TF-IDF model on pre-tokenised documents, rows L2-normalised (so the dot product is the cosine).

    Parameters
    ----------
    token_lists : sequence of sequence of str
        One list of tokens per document (from :func:`helpers.tokenize.tokenize_corpus`).
    bigrams : bool
        Add adjacent-token bigrams as features (they help on news: 国家队 + 比赛 vs 脱贫 + 攻坚).
    min_df, max_df : int, float
        Document-frequency limits (ignored below :data:`DF_LIMITS_MIN_DOCS` documents).
    sublinear_tf : bool
        Use ``1 + log(tf)``; long documents then do not dominate through repeated words.

    Returns
    -------
    tuple
        ``(vectorizer, X)``: the fitted ``TfidfVectorizer`` and the documents x features CSR matrix (float32).

    References
    ----------
    Salton & Buckley (1988), see the module docstring.

    >>> vec, X = fit_tfidf([["扶贫", "产业"], ["扶贫", "就业"]], bigrams=False)
    >>> X.shape
    (2, 3)
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(token_lists)
    if n == 0:
        raise ValueError("fit_tfidf: no documents")
    vec = TfidfVectorizer(
        analyzer=_with_bigrams if bigrams else _identity,
        lowercase=False,
        sublinear_tf=sublinear_tf,
        min_df=min_df if n >= DF_LIMITS_MIN_DOCS else 1,
        max_df=max_df if n >= DF_LIMITS_MIN_DOCS else 1.0,
        norm="l2",
        dtype=np.float32,
    )
    X = vec.fit_transform([list(t) for t in token_lists])
    return vec, X.tocsr()


def fit_lsi(X: sp.spmatrix, *, n_components: int = 200, seed: int = 0):
    """Latent semantic indexing: truncated SVD of a TF-IDF matrix, rows scaled to unit length.

    Parameters
    ----------
    X : scipy.sparse.spmatrix
        Documents x terms TF-IDF matrix (:func:`fit_tfidf`).
    n_components : int
        Latent dimensions, capped at ``min(n_docs, n_terms) - 1`` so that tiny corpora work.
    seed : int
        Seed of the randomized SVD.

    Returns
    -------
    tuple
        ``(svd, Z)``: the fitted ``TruncatedSVD`` and the documents x dimensions array with unit rows.

    References
    ----------
    Deerwester et al. (1990), see the module docstring.

    >>> import scipy.sparse as sp
    >>> svd, Z = fit_lsi(sp.random(6, 20, density=0.5, random_state=0, format="csr"), n_components=3)
    >>> Z.shape
    (6, 3)
    """
    from sklearn.decomposition import TruncatedSVD

    k = max(1, min(n_components, min(X.shape) - 1))
    svd = TruncatedSVD(n_components=k, algorithm="randomized", n_iter=7, random_state=seed)
    Z = svd.fit_transform(X)
    return svd, _unit_rows(Z)


#: the background model shipped with the project (``scripts/build_background_model.py`` builds it)
BACKGROUND_MODEL_PATH = RESOURCES_DIR / "background_lsi.npz"
#: weight of the background sketch against the user's corpus when the two are merged; chosen on the tuning split
#: (2017–2018) of section-labelled xwlb stories, where weights 0.3–0.8 were within 0.01 of each other, with cnews
#: (ten distinct categories) as the check that a corpus unlike the background keeps its own subjects (weight 1.0
#: fell to 0.66 there, 0.5 kept 0.88)
BACKGROUND_WEIGHT = 0.5
#: dimensions of the merged spaces (the leading directions of one SVD); the representation joins one space per
#: value (an ensemble over resolutions; separate SVDs per value gave the same P@5 within 0.003, in twice the time).
#: Tuning split, per year (mean P@5 of 2017 and 2018, title twice): 30 alone 0.829, 20 alone 0.838, 15+20+30
#: 0.840; with the title block below, 30 alone 0.838 and 15+20+30 0.851
BACKGROUND_DIMENSIONS: tuple[int, ...] = (15, 20, 30)
#: times the title is written before the text in :func:`background_features` (titles of news name the subject;
#: tuning split: once 0.842, twice 0.851, three times 0.853, with the other settings adopted)
TITLE_REPEAT = 2
#: weight of the titles' own character-bigram TF-IDF cosine added to the merged spaces' cosine (tuning split:
#: 0 → 0.840, 0.2 → 0.844, 0.5 → 0.851, 1.0 → 0.851; cnews, where a quarter of the documents have a title, moved
#: by less than 0.002)
TITLE_WEIGHT = 0.5


def background_features(docs: pd.DataFrame, *, title_repeat: int = TITLE_REPEAT) -> list[str]:
    """The text the background model reads for each document: its title (when it has one), ``title_repeat``
    times, and its text.

    >>> background_features(pd.DataFrame({"title": ["标题", None], "text": ["正文", "正文二"]}), title_repeat=1)
    ['标题\\n正文', '正文二']
    """
    titles = background_titles(docs)
    return [(f"{t}\n" * title_repeat if t else "") + str(x) for t, x in zip(titles, docs["text"].fillna(""))]


def background_titles(docs: pd.DataFrame) -> list[str]:
    """Each document's title for the title block of the background method, ``""`` when it has none; for a document
    holding several stories (:func:`helpers.clean.document_headlines` finds two headlines or more: a day file of a
    news programme, a bulletin of news flashes) all its headlines joined by ``。`` (:func:`helpers.keywords.story_titles`),
    so that the title block is not its first story's alone.

    >>> background_titles(pd.DataFrame({"title": ["标题", None, " "], "text": ["a", "b", "c"]}))
    ['标题', '', '']
    >>> day = "土耳其政府2日确认，逮捕了12名嫌疑人。\\n伊军首次从北部进入摩苏尔\\n6号，伊拉克政府军继续展开收复战。"
    >>> background_titles(pd.DataFrame({"title": ["土警方抓获12名夜总会恐袭嫌疑人"], "text": [day]}))
    ['土警方抓获12名夜总会恐袭嫌疑人。伊军首次从北部进入摩苏尔']
    """
    from .keywords import story_titles

    if "title" not in docs.columns:
        return [""] * len(docs)
    texts = docs["text"].fillna("").astype(str).tolist() if "text" in docs.columns else [""] * len(docs)
    return [t.strip() if isinstance(t, str) else "" for t in story_titles(docs["title"].tolist(), texts)]


#: recurring titles named in :func:`same_format_sentence`, the most frequent first
SHOWN_RECURRING_TITLES = 3


def recurring_titles(titles: Sequence) -> pd.Series:
    """Titles that several documents share (a bulletin, a series heading), with how many documents carry each, the
    most frequent first; empty titles are left out.

    >>> recurring_titles(["国内联播快讯", "会议召开", "国内联播快讯", "", ""]).to_dict()
    {'国内联播快讯': 2}
    """
    clean = pd.Series([t.strip() if isinstance(t, str) else "" for t in titles], dtype=object)
    counts = clean[clean != ""].value_counts(sort=False)
    counts = counts[counts > 1]
    order = sorted(counts.index, key=lambda t: (-counts[t], t))
    return counts.reindex(order).rename("documents").rename_axis("title")


def recurring_texts(texts: Sequence[str]) -> pd.Series:
    """Texts several documents share word for word (:func:`helpers.corpus.recurring_texts`, compared as the reprint
    detector compares them), each shown by its first document's text cut to ``SHOWN_TEXT_CHARS`` characters, with
    how many documents carry it, the most frequent first.

    >>> recurring_texts(["国内联播快讯", "会议召开", "国内联播快讯。", ""]).to_dict()
    {'国内联播快讯': 2}
    """
    from .corpus import recurring_texts as corpus_recurring_texts

    counts = corpus_recurring_texts(list(texts))
    shown = short_labels([None] * len(counts), list(counts.index), width=SHOWN_TEXT_CHARS)
    return pd.Series(counts.to_numpy(), index=pd.Index(shown, name="text"), name="documents", dtype=int)


#: characters of a recurring text named in :func:`same_format_sentence` (a bulletin heading fits, a story is cut)
SHOWN_TEXT_CHARS = 20


def _recurring_phrase(counts: pd.Series, what: str) -> str:
    """``"3 titles recur in this corpus, carried by 12 documents (such as 快讯 (8 documents), …)"``."""
    shown = ", ".join(f"{t} ({n:,} documents)" for t, n in counts.head(SHOWN_RECURRING_TITLES).items())
    verb = "recurs" if len(counts) == 1 else "recur"
    return f"{plural(len(counts), what)} {verb} in this corpus, carried by {int(counts.sum()):,} documents (such as {shown})"


def same_format_sentence(titles: Sequence, texts: Sequence[str] | None = None) -> str:
    """What "very similar" means in this corpus: the same story, or the same format when titles recur.

    Documents without a title (a table of headlines read as ``text``) are compared by their ``texts`` instead
    (:func:`recurring_texts`): a heading such as 国内联播快讯 that many rows repeat is one text, not one story.

    >>> same_format_sentence(["国内联播快讯", "会议召开", "国内联播快讯"])[:60]
    'Very similar documents are the same story **or the same form'
    >>> same_format_sentence(["甲", "乙"])[:40]
    'No title recurs in this corpus: very sim'
    >>> same_format_sentence(["", "", ""], ["国内联播快讯", "会议召开", "国内联播快讯"])[:58]
    'No document has a title, and 1 text recurs in this corpus,'
    """
    recurring = recurring_titles(titles)
    titled = [isinstance(t, str) and bool(t.strip()) for t in titles]
    untitled = [] if texts is None else [x for x, has in zip(texts, titled) if not has]
    same = recurring_texts(untitled)
    parts = []
    if not recurring.empty:
        parts.append(
            f"Very similar documents are the same story **or the same format**: "
            f"{_recurring_phrase(recurring, 'title')}; documents under one recurring title share its title and "
            "layout, not necessarily a story."
        )
    if not same.empty:
        whose = (
            f"Among the {plural(len(untitled), 'document')} without a title,"
            if any(titled)
            else "No document has a title, and"
        )
        parts.append(
            f"{whose} {_recurring_phrase(same, 'text')}: very "
            "similar documents can be **one recurring text** (a bulletin heading, a stock line), the same words "
            "rather than the same story."
        )
    if parts:
        return " ".join(parts)
    if texts is None or any(titled):
        return (
            "No title recurs in this corpus: very similar documents share their text, most often one story told "
            "twice, or two stories told in one set form."
        )
    return (
        "No document has a title and no text recurs in this corpus: very similar documents share much of their "
        "text, most often one story told twice, or two stories told in one set form."
    )


@dataclass(frozen=True)
class BackgroundSpace:
    """Where :meth:`BackgroundModel.embed` placed a corpus: one merged space per dimension count, and the
    weight of the title block.

    Attributes
    ----------
    components : tuple of numpy.ndarray
        ``dimensions x terms`` projections, one per value of :data:`BACKGROUND_DIMENSIONS`.
    title_weight : float
        Weight of the titles' TF-IDF cosine (:data:`TITLE_WEIGHT`; 0 when the corpus has no titles).
    """

    components: tuple[np.ndarray, ...]
    title_weight: float


@dataclass(frozen=True)
class BackgroundModel:
    """An LSI space learned offline from a reference news corpus, merged at run time with the user's corpus.

    The model holds a character-bigram vocabulary, its IDF and a low-rank sketch ``diag(S) @ Vt`` of the
    reference corpus's TF-IDF matrix. :meth:`embed` stacks the sketch (scaled by ``weight``) on top of the
    corpus's own TF-IDF rows and takes the truncated SVD of the stack: the space then holds the directions that
    organise the reference news (so that two stories on one subject meet even with few shared words) and those of
    the corpus's own subjects (so that a corpus unlike the reference is not squeezed into its directions).
    Character bigrams need no tokenizer, so the model does not depend on the dictionary.

    A document's row joins its places in merged spaces of several sizes (:data:`BACKGROUND_DIMENSIONS`: coarse
    and finer subjects, equal shares) and the TF-IDF of its title times ``sqrt(title_weight)``, all divided by
    ``sqrt(1 + title_weight)``: the dot product of two rows is ``(cos_spaces + title_weight * cos_titles) / (1 +
    title_weight)``, in [0, 1] (1 for a titled document with itself). A document without a title is not pushed
    away from titled ones: its scores are the spaces' cosine, scaled as every other pair's.

    Attributes
    ----------
    terms : numpy.ndarray
        The character bigrams (str).
    idf : numpy.ndarray
        Their inverse document frequency in the reference corpus.
    sketch : numpy.ndarray
        ``rank x terms``: singular values times right singular vectors of the reference TF-IDF matrix.

    References
    ----------
    Deerwester et al. (1990), see the module docstring; Liberty, "Simple and deterministic matrix sketching",
    *KDD* 2013 (a matrix summarised by ``diag(S) @ Vt`` and sketches merged by stacking).
    """

    terms: np.ndarray
    idf: np.ndarray
    sketch: np.ndarray

    @classmethod
    def load(cls, path: str | os.PathLike[str] = BACKGROUND_MODEL_PATH) -> BackgroundModel:
        """Read a model written by ``scripts/build_background_model.py`` (npz, data only: no pickle)."""
        with np.load(path, allow_pickle=False) as f:
            return cls(terms=f["terms"], idf=f["idf"].astype(np.float32), sketch=f["sketch"].astype(np.float32))

    def tfidf(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Sublinear TF-IDF of the texts' character bigrams in the model's vocabulary, rows L2-normalised."""
        from sklearn.feature_extraction.text import CountVectorizer

        vocabulary = {t: i for i, t in enumerate(self.terms.tolist())}
        counts = CountVectorizer(analyzer="char", ngram_range=(2, 2), lowercase=False, vocabulary=vocabulary)
        X = counts.transform(list(texts)).astype(np.float32).tocsr()
        X.data = 1.0 + np.log(X.data)
        return _unit_rows(X @ sp.diags(self.idf)).tocsr()

    def embed(
        self,
        texts: Sequence[str],
        *,
        titles: Sequence[str] | None = None,
        weight: float = BACKGROUND_WEIGHT,
        dimensions: Sequence[int] = BACKGROUND_DIMENSIONS,
        title_weight: float = TITLE_WEIGHT,
        seed: int = 0,
    ) -> tuple[BackgroundSpace, sp.csr_matrix]:
        """Place a corpus in the background spaces merged with its own: ``(space, V)``.

        Parameters
        ----------
        texts : sequence of str
            The corpus (:func:`background_features` of its documents).
        titles : sequence of str, optional
            Their titles (:func:`background_titles`); None: no title block.
        weight : float
            Scale of the reference sketch in the stack (0: the corpus's own LSI on bigrams).
        dimensions : sequence of int
            Dimensions of each merged space: the leading directions of one truncated SVD of the stack (capped for
            tiny corpora).
        title_weight : float
            Weight of the titles' TF-IDF cosine in the dot product.
        seed : int
            Seed of the randomized SVD.

        Returns
        -------
        tuple
            ``space`` (a :class:`BackgroundSpace`: :meth:`project` places new texts with it) and ``V``, the
            documents' rows (sparse): the merged spaces' coordinates, then the title block (see the class).
        """
        from sklearn.decomposition import TruncatedSVD

        X = self.tfidf(texts)
        stack = sp.vstack([sp.csr_matrix(weight * self.sketch), X]).tocsr()
        k = max(1, min(max(dimensions), min(stack.shape) - 1))
        svd = TruncatedSVD(n_components=k, algorithm="randomized", n_iter=7, random_state=seed).fit(stack)
        components = [svd.components_[: max(1, min(d, k))] for d in dimensions]
        titled = titles is not None and any(isinstance(t, str) and t.strip() for t in titles)
        space = BackgroundSpace(components=tuple(components), title_weight=title_weight if titled else 0.0)
        return space, self._rows(X, space, titles)

    def project(
        self, texts: Sequence[str], space: BackgroundSpace, *, titles: Sequence[str] | None = None
    ) -> sp.csr_matrix:
        """New texts (queries, paragraphs) in a space returned by :meth:`embed`, scaled as its rows are."""
        return self._rows(self.tfidf(texts), space, titles)

    def _rows(self, X: sp.csr_matrix, space: BackgroundSpace, titles: Sequence[str] | None) -> sp.csr_matrix:
        """Each merged space's unit rows (equal shares), then the titles' weighted TF-IDF (zero rows without
        titles), joined and scaled by ``1 / sqrt(1 + title_weight)``."""
        share = 1.0 / np.sqrt(len(space.components))
        blocks = [sp.csr_matrix(share * _unit_rows(X @ c.T)) for c in space.components]
        titles = [t if isinstance(t, str) else "" for t in (titles if titles is not None else [""] * X.shape[0])]
        blocks.append(np.sqrt(space.title_weight) * self.tfidf(titles))
        return (sp.hstack(blocks, format="csr") / np.sqrt(1.0 + space.title_weight)).tocsr()


#: share of a corpus's word occurrences known to the background model (:func:`background_known_share`) from which
#: ``background`` is the default similarity (:func:`default_method`); below it, the corpus's own :data:`OWN_METHOD`.
#: Measured (project tokenizer, stopwords removed): CCTV 新闻联播 stories held out from the model 0.82
#: (data/xwlb_sections_heldout), 0.83 (data/xwlb_sections_2019), 0.84 (data/xwlb_dated_heldout), the five seed
#: stories 0.80; corpora of other sources and genres 0.57 (data/cnews_sample), 0.59 (a reviewer's 1,003 Sina news
#: files in 10 category folders), 0.57 (the 300 CSL abstracts of data/csl_sample), 0.56 (a reviewer's 1,000 CSL
#: abstracts). Background LSI beats the corpus's own TF-IDF only on the first group (same-section P@5 0.839 against
#: 0.707 on xwlb_sections_heldout, 0.845 against 0.684 on xwlb_sections_2019); on the second it does not (same-label
#: P@5 0.876 against 0.882 on cnews_sample, 0.898 against 0.912 on the Sina files; neighbours sharing an author
#: keyword 2.3 % against 3.7 % on csl_sample, 3.7 % against 6.5 % on the 1,000 abstracts, where it paired
#: 白藜芦醇的合成 with 安吖啶的合成 by their shared pattern: the names of the substances are unknown to it). The
#: threshold lies between the two groups (0.59 and 0.80).
BACKGROUND_MIN_KNOWN_SHARE = 0.7
#: the corpus's own similarity used when the background model knows too little of it: TF-IDF cosine, better than LSI
#: (50 dimensions, notebook 04's default) on both checks: neighbours sharing an author keyword on data/csl_sample
#: 3.7 % against 3.3 % (6.5 % against 5.0 % on a reviewer's 1,000 abstracts), same-label P@5 on data/cnews_sample
#: 0.882 against 0.829
OWN_METHOD = "tfidf"
#: how pages name each method, in prose and in figure titles (Chinese)
METHOD_NAMES = {"background": "background LSI", "tfidf": "TF-IDF cosine", "lsi": "LSI cosine", "lda": "LDA topics"}
METHOD_NAMES_ZH = {"background": "背景 LSI", "tfidf": "TF-IDF", "lsi": "LSI", "lda": "LDA 主题"}
#: unknown words named in :attr:`DefaultMethod.sentence`, the most frequent first
SHOWN_UNKNOWN_WORDS = 5


def _known_words(token_lists: Sequence[Sequence[str]], model: BackgroundModel) -> tuple[Counter, Counter, Counter]:
    """``(known, unknown, unread)``: occurrences of the words of two characters or more whose every character pair
    is in the model's vocabulary, of the others, and of those others none of whose pairs is."""
    vocabulary = set(model.terms.tolist())
    counts = Counter(t for doc in token_lists for t in doc if len(t) >= 2)
    known, unknown, unread = Counter(), Counter(), Counter()
    for word, n in counts.items():
        found = [word[i : i + 2] in vocabulary for i in range(len(word) - 1)]
        (known if all(found) else unknown)[word] = n
        if not any(found):
            unread[word] = n
    return known, unknown, unread


def background_known_share(token_lists: Sequence[Sequence[str]], model: BackgroundModel | None = None) -> float:
    """Share of the corpus's word occurrences that the background model can read: words (tokens of two characters
    or more; the project tokens have no stopwords) whose every character pair is in its vocabulary. NaN when the
    corpus has no such word.

    The model reads character pairs: a word none of whose pairs it learned (白藜芦醇, 安吖啶 in abstracts of
    chemistry) is left out of its spaces, so documents meet on the words it knows, which in a corpus far from its
    news are mostly generic ones (研究, 方法, 分析). :data:`BACKGROUND_MIN_KNOWN_SHARE` gives the measurements.

    >>> model = BackgroundModel(terms=np.array(["扶贫", "产业", "脱贫"]), idf=np.ones(3), sketch=np.zeros((1, 3)))
    >>> background_known_share([["扶贫", "产业", "藜芦"], ["脱贫", "的"]], model)
    0.75
    """
    known, unknown, _ = _known_words(token_lists, model or BackgroundModel.load())
    total = sum(known.values()) + sum(unknown.values())
    return sum(known.values()) / total if total else float("nan")


@dataclass(frozen=True)
class DefaultMethod:
    """The similarity a page uses by default (its figures' groups, dendrogram and map), and why
    (:func:`default_method`).

    Attributes
    ----------
    method : str
        One of :data:`METHODS`.
    known_share : float
        :func:`background_known_share` of the corpus (NaN when the background model was not fitted or the corpus
        has no word of two characters).
    sentence : str
        The choice and the measurement that made it, for a notebook to display.
    """

    method: str
    known_share: float
    sentence: str

    @property
    def name(self) -> str:
        """The method's name in prose (``background LSI``, ``TF-IDF cosine``)."""
        return METHOD_NAMES[self.method]

    @property
    def name_zh(self) -> str:
        """The method's name in a figure title (``背景 LSI``, ``TF-IDF``)."""
        return METHOD_NAMES_ZH[self.method]


def default_method(
    token_lists: Sequence[Sequence[str]],
    methods: Sequence[str],
    *,
    model: BackgroundModel | None = None,
    uses: str = "the heatmaps' groups, the dendrogram and the map",
) -> DefaultMethod:
    """The default similarity of a corpus: ``background`` when the background model knows at least
    :data:`BACKGROUND_MIN_KNOWN_SHARE` of its word occurrences (:func:`background_known_share`), else the corpus's
    own :data:`OWN_METHOD` (or the first of ``methods`` without it), with a sentence that says which and why.

    Parameters
    ----------
    token_lists : sequence of sequence of str
        The corpus's tokens (project tokenizer).
    methods : sequence of str
        The fitted methods (:attr:`SimilarityIndex.methods`).
    model : BackgroundModel, optional
        The background model (default: the shipped one).
    uses : str
        What the default is used for, named in the sentence.

    Returns
    -------
    DefaultMethod
        The method, the share measured and the sentence.

    >>> model = BackgroundModel(terms=np.array(["扶贫", "产业", "脱贫"]), idf=np.ones(3), sketch=np.zeros((1, 3)))
    >>> default_method([["扶贫", "产业", "脱贫"]], ["background", "tfidf"], model=model).method
    'background'
    >>> choice = default_method([["白藜", "产业"], ["藜芦"]], ["background", "tfidf"], model=model)
    >>> choice.method, choice.sentence[:40]
    ('tfidf', '**TF-IDF cosine** is used for the heatma')
    """
    methods = list(methods)
    own = OWN_METHOD if OWN_METHOD in methods else next(m for m in methods if m != "background")
    if "background" not in methods:
        sentence = f"**{METHOD_NAMES[own]}** is used for {uses}: background LSI was not computed."
        return DefaultMethod(own, float("nan"), sentence)
    model = model or BackgroundModel.load()
    known, unknown, unread = _known_words(token_lists, model)
    total = sum(known.values()) + sum(unknown.values())
    share = sum(known.values()) / total if total else float("nan")
    measured = (
        f"{share:.0%} of this corpus's {total:,} word occurrences (words of two characters or more, stopwords "
        f"removed) are words the background model can read: each of their character pairs is among the "
        f"{len(model.terms):,} it kept from CCTV 新闻联播 stories (pairs neither rare there nor in more than half of "
        "them)"
    )
    if share >= BACKGROUND_MIN_KNOWN_SHARE:
        return DefaultMethod(
            "background",
            share,
            f"**Background LSI** is used for {uses}: {measured}, at least the {BACKGROUND_MIN_KNOWN_SHARE:.0%} "
            "from which it is the default.",
        )
    if not total:
        sentence = (
            f"**{METHOD_NAMES[own]}** is used for {uses}, not background LSI: the corpus has no word of two "
            "characters or more, so how much of it the background model knows cannot be measured."
        )
        return DefaultMethod(own, share, sentence)
    shown = "、".join(w for w, _ in unread.most_common(SHOWN_UNKNOWN_WORDS))
    examples = f" (the most frequent words of which it knows no character pair: {shown})" if shown else ""
    sentence = (
        f"**{METHOD_NAMES[own]}** is used for {uses}, on this corpus's own words, not background LSI: only "
        f"{measured}, below the {BACKGROUND_MIN_KNOWN_SHARE:.0%} from which background LSI is the default. It "
        f"reads the other words in part or not at all{examples}, so it would compare documents on only part of "
        "their words."
    )
    return DefaultMethod(own, share, sentence)


#: the LDA vocabulary is filtered only from this many documents on (a smaller corpus would lose most of it)
LDA_FILTER_MIN_DOCS = 20
#: vocabulary filter of the LDA fitted here: terms in fewer than LDA_NO_BELOW documents or more than LDA_NO_ABOVE of
#: them are dropped, at most LDA_KEEP_N terms kept (the values this module has always used)
LDA_NO_BELOW, LDA_NO_ABOVE, LDA_KEEP_N = 2, 0.5, 50000


def _lda_dictionary(token_lists: Sequence[Sequence[str]]):
    """The gensim ``Dictionary`` of the LDA fitted by :meth:`SimilarityIndex.fit`, filtered from
    :data:`LDA_FILTER_MIN_DOCS` documents on (:func:`helpers.topics.build_dictionary`)."""
    if len(token_lists) >= LDA_FILTER_MIN_DOCS:
        from .topics import build_dictionary

        return build_dictionary(token_lists, no_below=LDA_NO_BELOW, no_above=LDA_NO_ABOVE, keep_n=LDA_KEEP_N)[0]
    from gensim.corpora import Dictionary

    return Dictionary(token_lists)


def _lda_theta(model, dictionary, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
    """Topic proportions of tokenised texts under a fitted model (:func:`helpers.topics.doc_topic_matrix`: inferred
    reproducibly, rows sum to 1; NaN for a text without a vocabulary token: no topic, :func:`helpers.topics.without_topic`)."""
    from .topics import doc_topic_matrix, without_topic

    bow = [dictionary.doc2bow(list(t)) for t in token_lists]
    return without_topic(doc_topic_matrix(model, bow), bow)


#: below this median number of tokens per document, LDA is not used as a similarity by default. Measured on
#: data/xwlb_sections_2019 (256 stories, 8 sections) cut to their first m tokens, 10 topics, seeds 0-2: of the top-5
#: LDA neighbours scored >= 0.99, those from another section are 2 % of all neighbours on whole stories, 17 % at
#: m = 40, 30 % at m = 20, 40 % at m = 8 (tests/test_validation_similarity.py): on short texts most documents share
#: one dominant topic and unrelated ones score 1.0
LDA_MIN_MEDIAN_TOKENS = 20


def lda_unsuitable(token_lists: Sequence[Sequence[str]]) -> str | None:
    """Why topic similarity does not apply to these documents (their median length is below
    :data:`LDA_MIN_MEDIAN_TOKENS` tokens), as a sentence; None when it applies.

    >>> lda_unsuitable([["扶贫"] * 30] * 3) is None, lda_unsuitable([["扶贫", "产业"]] * 3)[:34]
    (True, 'LDA topic similarity is not used: ')
    """
    median = float(np.median([len(t) for t in token_lists])) if len(token_lists) else 0.0
    if median >= LDA_MIN_MEDIAN_TOKENS:
        return None
    return (
        f"LDA topic similarity is not used: the median document has {median:g} tokens, fewer than "
        f"{LDA_MIN_MEDIAN_TOKENS}. On texts this short most documents get one dominant topic, so unrelated "
        "documents score close to 1.0; the topics are still fitted, to name the map's colours."
    )


def lda_rules_sentence() -> str:
    """The rules that limit the LDA fitted here, with their values, for a notebook to display.

    >>> lda_rules_sentence()[:58]
    'An LDA model fitted here has at most one topic per 2 docum'
    """
    return (
        f"An LDA model fitted here has at most one topic per {UNITS_PER_TOPIC} documents (and at least 2); whatever "
        f"the topics' source, LDA is not used as a similarity when the median document has fewer than "
        f"{LDA_MIN_MEDIAN_TOKENS} tokens, nor when its scores are saturated: when {LDA_SATURATED_SHARE:.0%} or more of "
        f"the documents' {LDA_CHECK_NEIGHBOURS} nearest neighbours by LDA score {LDA_TIED_SCORE} or more (ties its "
        f"ranking cannot order) and those tied pairs share words less than {LDA_MIN_WORD_AGREEMENT:g} of the way from "
        "random pairs to TF-IDF's own nearest neighbours (unrelated documents that share one dominant topic)."
    )


#: an LDA similarity (1 - Hellinger) at or above this is a tie at the top: neighbours scored there cannot be ordered
LDA_TIED_SCORE = 0.99
#: nearest neighbours per document on which saturation is measured (the notebooks' default top_k)
LDA_CHECK_NEIGHBOURS = 5
#: LDA is saturated when at least this share of the documents' nearest LDA neighbours are tied at the top and those
#: pairs share words less than LDA_MIN_WORD_AGREEMENT. Both measured with 10 topics, seeds 0-2 (tied share, word
#: agreement; tests/test_similarity.py checks the two data/ slices): whole CCTV stories of data/xwlb_sections_2019
#: 0.14, 0.47 and of xwlb_sections_heldout 0.15, 0.61; labelled news of data/cnews_sample 0.36-0.41, 0.77-0.79 (a
#: reviewer's GBK cnews table 0.39, 0.71); the CSL abstracts of data/csl_sample 0.44-0.49, 0.40-0.44 (400 other CSL
#: abstracts 0.34-0.40, 0.43-0.47: their ten most similar LDA pairs, all scored 1.0, were unrelated); the 2019
#: stories cut to 40 tokens 0.55, 0.42. The share sits between the stories and the abstracts, the agreement
#: between the abstracts and the labelled news
LDA_SATURATED_SHARE = 0.25
#: see LDA_SATURATED_SHARE; 0 = the tied pairs share words like random pairs, 1 = like TF-IDF's nearest neighbours
LDA_MIN_WORD_AGREEMENT = 0.5
#: above this many documents saturation is measured on a random sample of them (fixed seed), to bound the time
LDA_CHECK_MAX_DOCS = 5000


@dataclass(frozen=True)
class LdaSaturation:
    """How saturated the LDA similarities of a corpus are (:func:`lda_saturation`).

    Attributes
    ----------
    documents : int
        Documents measured (all, or a sample above :data:`LDA_CHECK_MAX_DOCS`).
    neighbours : int
        Nearest neighbours measured per document (:data:`LDA_CHECK_NEIGHBOURS`, fewer in a tiny corpus).
    tied_share : float
        Share of the documents' :data:`LDA_CHECK_NEIGHBOURS` nearest LDA neighbours scored :data:`LDA_TIED_SCORE`
        or more.
    word_agreement : float
        Mean TF-IDF cosine of those tied pairs, as a fraction of the way from the mean of all pairs (0) to the mean
        of TF-IDF's own nearest neighbours (1); NaN when no pair is tied or TF-IDF separates nothing.
    """

    documents: int
    neighbours: int
    tied_share: float
    word_agreement: float

    @property
    def saturated(self) -> bool:
        """Many ties at the top, between documents that share few words: LDA's ranking is arbitrary."""
        return self.tied_share >= LDA_SATURATED_SHARE and bool(self.word_agreement < LDA_MIN_WORD_AGREEMENT)


def lda_saturation(lda_vectors: np.ndarray, tfidf: sp.spmatrix, *, seed: int = 0) -> LdaSaturation:
    """Measure whether LDA similarities are saturated: many ties at the top between documents sharing few words.

    Parameters
    ----------
    lda_vectors : numpy.ndarray
        ``SimilarityIndex.vectors["lda"]`` (square roots of the topic proportions).
    tfidf : scipy.sparse.spmatrix
        The documents' TF-IDF rows (unit length, or zero for a document without a feature).
    seed : int
        Seed of the sample above :data:`LDA_CHECK_MAX_DOCS` documents.

    Returns
    -------
    LdaSaturation
        The two figures and the verdict.

    Twelve documents in two groups by their words, all of one topic: every LDA neighbour is tied, and the tied
    pairs share words no more than random pairs.

    >>> words = sp.csr_matrix(np.eye(2)[[0, 1] * 6])
    >>> check = lda_saturation(np.ones((12, 1)), words)
    >>> check.tied_share, round(check.word_agreement, 1), check.saturated
    (1.0, -0.0, True)
    """
    rows = sample_rows(lda_vectors.shape[0], max_rows=LDA_CHECK_MAX_DOCS, seed=seed)
    V, X = np.asarray(lda_vectors)[rows], sp.csr_matrix(tfidf)[rows]
    n = len(rows)
    k = min(LDA_CHECK_NEIGHBOURS, n - 1)
    if n < 3:
        return LdaSaturation(n, k, 0.0, float("nan"))
    ind, scores = top_k_neighbours(V, k=k, transform=_bc_to_similarity)
    tied = scores >= LDA_TIED_SCORE
    total = np.asarray(X.sum(axis=0)).ravel()
    all_pairs = (total @ total - X.multiply(X).sum()) / (n * (n - 1))  # mean cosine of distinct pairs
    nearest = top_k_neighbours(X, k=k)[1].mean()
    a, b = np.repeat(np.arange(n), k)[tied.ravel()], ind.ravel()[tied.ravel()]
    if not len(a) or nearest <= all_pairs:
        return LdaSaturation(n, k, float(tied.mean()), float("nan"))
    tied_cosine = np.asarray(X[a].multiply(X[b]).sum(axis=1)).mean()
    return LdaSaturation(n, k, float(tied.mean()), float((tied_cosine - all_pairs) / (nearest - all_pairs)))


#: the median score of the documents' nearest neighbours from which a similarity's scores are called compressed
#: near 1. Background LSI, measured in session 12 (review S) on data/: whole texts of xwlb_sections_heldout,
#: cnews_sample, csl_sample and xwlb_poverty_sample 0.64-0.68; their headlines alone (6-7 tokens) 0.93-0.98, where
#: unrelated headlines score 0.95 (阿富汗自杀式袭击致21死40多伤 / 欧洲多地遭遇洪水袭击) while the ranking still finds
#: same-section neighbours better than TF-IDF (precision at 5 on the sections 0.83 against 0.73)
COMPRESSED_TOP_SCORE = 0.9
#: a pair scored at least this is "near 1" in the sentence of :func:`compressed_scores_sentence`
NEAR_ONE_SCORE = 0.95


def compressed_scores_sentence(index: SimilarityIndex, method: str, *, k: int = 5) -> str:
    """A warning when ``method``'s scores crowd near 1 on this corpus (the median score of the documents' nearest
    neighbour at least :data:`COMPRESSED_TOP_SCORE`, as background LSI on headlines), with the figures; ``""``
    otherwise. A score near 1 then does not mean near-identical texts: heatmap cells and dendrogram branches are
    read by contrast with each other.

    Parameters
    ----------
    index : SimilarityIndex
        The fitted index.
    method : str
        The method the figures use (:func:`default_method`).
    k : int
        Nearest neighbours measured per document.

    Returns
    -------
    str
    """
    if method not in index.methods or len(index.doc_ids) < 3:
        return ""
    scores = index.neighbours(method, k=k)[1]
    top = float(np.median(scores[:, 0]))
    if top < COMPRESSED_TOP_SCORE:
        return ""
    near = float((scores >= NEAR_ONE_SCORE).mean())
    other = ""
    if method != OWN_METHOD and OWN_METHOD in index.methods:
        other = f" (for {METHOD_NAMES[OWN_METHOD]}: {np.median(index.neighbours(OWN_METHOD, k=k)[1][:, 0]):.2f})"
    return (
        f"On this corpus {METHOD_NAMES[method]} scores crowd near 1: the median score of a document's nearest "
        f"neighbour is {top:.2f}{other}, and {near:.0%} of the {scores.shape[1]} nearest neighbours of each document "
        f"score {NEAR_ONE_SCORE} or more. A score near 1 does not mean near-identical texts here (short texts give "
        "few words to tell apart): in the heatmaps and the dendrogram, compare cells and branches with each other, "
        "not with 1."
    )


def lda_saturation_sentence(check: LdaSaturation) -> str:
    """What :func:`lda_saturation` measured, and whether LDA is used as a similarity, as a sentence.

    >>> lda_saturation_sentence(LdaSaturation(400, 5, 0.4, 0.43))[:60]
    'LDA topic similarity is not used: its scores are saturated. '
    """
    measured = (
        f"{check.tied_share:.0%} of the {check.neighbours} nearest neighbours by LDA of {check.documents:,} "
        f"documents score {LDA_TIED_SCORE} or more (ties that cannot be ordered)"
    )
    if np.isfinite(check.word_agreement):
        measured += (
            f", and those tied pairs share words {check.word_agreement:.2f} of the way from random pairs (0) to "
            "TF-IDF's nearest neighbours (1)"
        )
    if check.saturated:
        return (
            f"LDA topic similarity is not used: its scores are saturated. {measured[0].upper()}{measured[1:]}; "
            "unrelated documents share one dominant topic and score close to 1.0. The topics are still fitted, "
            "to name the map's colours."
        )
    return f"LDA topic similarity is used: {measured}, so its scores are not saturated."


def _fit_lda(token_lists: Sequence[Sequence[str]], *, num_topics: int, seed: int, passes: int | None):
    """``(model, dictionary, theta)``: :func:`helpers.topics.fit_lda` (the project's one LDA fitter, its defaults
    unless ``passes`` is given) on the tokens, with ``num_topics`` capped by :func:`helpers.topics.capped_topic_count`."""
    from .topics import fit_lda

    dictionary = _lda_dictionary(token_lists)
    bows = [dictionary.doc2bow(list(t)) for t in token_lists]
    k = capped_topic_count(len(token_lists), num_topics)
    model = fit_lda(bows, dictionary, num_topics=k, random_state=seed, **({} if passes is None else {"passes": passes}))
    return model, dictionary, _lda_theta(model, dictionary, token_lists)


def hellinger_similarity(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``1 - Hellinger(p, q)`` for rows of topic distributions (broadcasting), in [0, 1].

    >>> float(hellinger_similarity(np.array([0.5, 0.5]), np.array([0.5, 0.5])))
    1.0
    >>> float(hellinger_similarity(np.array([1.0, 0.0]), np.array([0.0, 1.0])))
    0.0
    """
    return _bc_to_similarity(np.sum(np.sqrt(p) * np.sqrt(q), axis=-1))


def _bc_to_similarity(bc: np.ndarray) -> np.ndarray:
    """``1 - Hellinger`` from the Bhattacharyya coefficient ``bc`` (the dot product of square-rooted rows)."""
    return 1.0 - np.sqrt(np.clip(1.0 - bc, 0.0, 1.0))


def _unit_rows(Z):
    if sp.issparse(Z):
        norms = np.sqrt(np.asarray(Z.multiply(Z).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.diags(1.0 / norms) @ Z
    Z = np.asarray(Z, dtype=np.float64)
    norms = np.linalg.norm(Z, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return Z / norms


def _dense(a) -> np.ndarray:
    return a.toarray() if sp.issparse(a) else np.asarray(a)


def top_k_neighbours(V, *, k: int = 5, block_size: int = 1000, exclude_self: bool = True, transform=None):
    """Indices and scores of each row's ``k`` most similar rows (dot product), computed block by block.

    :func:`helpers.neighbours.nearest_neighbours` does the search (exact sparse top-k products for TF-IDF rows,
    exact dense blocks, or an approximate index for unit-length dense rows from
    :data:`helpers.neighbours.APPROXIMATE_MIN_DOCS` documents on); :func:`helpers.neighbours.search_method` says
    which path these rows take, and ``nearest_neighbours`` also returns the recall of an approximate search.

    Parameters
    ----------
    V : scipy.sparse.spmatrix or numpy.ndarray
        Documents x features, rows scaled so that the dot product is the similarity.
    k : int
        Neighbours per document (capped at ``n - 1``).
    block_size : int
        Rows per block (memory is bounded whatever the value: never ``n x n``).
    exclude_self : bool
        Do not return a document as its own neighbour.
    transform : callable, optional
        Applied to the block of dot products (e.g. :meth:`SimilarityIndex.score_transform`); exact dense path.

    Returns
    -------
    tuple of numpy.ndarray
        ``(indices, scores)``: two ``n x k`` arrays, best first (ties broken by the lower index, also at the
        ``k``-th place); scores as float64.

    >>> V = np.eye(3)[[0, 0, 1]]
    >>> top_k_neighbours(V, k=1)[0].ravel().tolist()
    [1, 0, 0]
    """
    from .neighbours import nearest_neighbours

    found = nearest_neighbours(V, k=k, block_size=block_size, exclude_self=exclude_self, transform=transform)
    return found.indices, found.scores


def neighbours_table(doc_ids: Sequence, indices: np.ndarray, scores: np.ndarray, *, method: str) -> pd.DataFrame:
    """A long table ``doc_a, doc_b, method, rank, score`` from :func:`top_k_neighbours` output.

    >>> neighbours_table(["a", "b"], np.array([[1], [0]]), np.array([[0.5], [0.5]]), method="tfidf")["doc_b"].tolist()
    ['b', 'a']
    """
    ids = np.asarray(list(doc_ids), dtype=object)
    n, k = indices.shape
    return pd.DataFrame(
        {
            "doc_a": np.repeat(ids, k),
            "doc_b": ids[indices.ravel()] if n else np.array([], dtype=object),
            "method": method,
            "rank": np.tile(np.arange(1, k + 1), n),
            "score": np.clip(scores.ravel(), 0.0, 1.0).round(6),
        }
    )


@dataclass
class SimilarityIndex:
    """TF-IDF, LSI and LDA representations of a corpus, with neighbour search and text queries.

    Build it with :meth:`fit`. ``vectors[method]`` holds the row-scaled matrices (see the module docstring), so
    that the dot product of two rows, passed through :meth:`score_transform`, is their similarity.

    Attributes
    ----------
    doc_ids : list
        Document identifiers, in row order.
    vectorizer : sklearn.feature_extraction.text.TfidfVectorizer
        The fitted TF-IDF model (also used to place new texts in the LSI space).
    vectors : dict
        ``method -> documents x features`` matrix (sparse for ``tfidf``, dense otherwise).
    svd : sklearn.decomposition.TruncatedSVD or None
        The LSI projection, when ``lsi`` was fitted.
    lda, lda_dictionary : gensim.models.LdaModel, gensim.corpora.Dictionary or None
        The topic model and its vocabulary (None when the topic proportions were given as a matrix).
    theta : numpy.ndarray or None
        Documents x topics proportions, rows summing to 1.
    background, background_space : BackgroundModel, BackgroundSpace or None
        The background model and the merged spaces the corpus was placed in (:meth:`BackgroundModel.embed`),
        when ``background`` was fitted.
    notes : dict
        ``method -> sentence`` on what was set aside or capped (:func:`lda_unsuitable`,
        :func:`helpers.topics.capped_topic_count`).
    lda_check : LdaSaturation or None
        How saturated the LDA similarities are (:func:`lda_saturation`), when :meth:`fit` chose the methods and the
        documents are long enough to measure it.
    """

    doc_ids: list
    vectorizer: object
    vectors: dict = field(default_factory=dict)
    svd: object | None = None
    lda: object | None = None
    lda_dictionary: object | None = None
    theta: np.ndarray | None = None
    background: BackgroundModel | None = None
    background_space: BackgroundSpace | None = None
    notes: dict = field(default_factory=dict)
    lda_check: LdaSaturation | None = None

    @classmethod
    def fit(
        cls,
        token_lists: Sequence[Sequence[str]],
        *,
        doc_ids: Sequence | None = None,
        methods: Sequence[str] | None = None,
        texts: Sequence[str] | None = None,
        titles: Sequence[str] | None = None,
        lsi_components: int = 200,
        lda_topics: int = 20,
        lda_passes: int | None = None,
        bigrams: bool = True,
        seed: int = 0,
        lda_model=None,
        lda_dictionary=None,
        lda_theta: np.ndarray | None = None,
    ) -> SimilarityIndex:
        """Fit the requested representations.

        Parameters
        ----------
        token_lists : sequence of sequence of str
            Tokens per document.
        doc_ids : sequence, optional
            Identifiers (default ``0..n-1``).
        methods : sequence of str, optional
            Any of :data:`METHODS`; default: all of them (``background`` only when ``texts`` are given; ``lda``
            fitted but not a similarity when :func:`lda_unsuitable` says the documents are too short or
            :func:`lda_saturation` finds its scores saturated, which ``notes["lda"]`` then says).
        texts : sequence of str, optional
            The documents' texts (:func:`background_features`), for the ``background`` method.
        titles : sequence of str, optional
            Their titles (:func:`background_titles`), the title block of the ``background`` method.
        lsi_components : int
            LSI dimensions (capped for small corpora).
        lda_topics : int
            Topics of the LDA fitted here when neither ``lda_model`` nor ``lda_theta`` is given (capped by
            :func:`helpers.topics.capped_topic_count`: one per :data:`helpers.topics.UNITS_PER_TOPIC` documents).
        lda_passes : int, optional
            Passes of that LDA; None: the default of :func:`helpers.topics.fit_lda`, the project's one fitter.
        bigrams : bool
            Add adjacent-token bigrams to the TF-IDF features.
        seed : int
            Seed of the SVD and of the LDA.
        lda_model, lda_dictionary : optional
            An already fitted gensim ``LdaModel`` and its ``Dictionary`` (e.g. from the topic-model notebook) to
            use instead of fitting one.
        lda_theta : numpy.ndarray, optional
            Documents x topics proportions computed elsewhere (e.g. notebook 03's ``doc_topics.csv``, see
            :func:`load_doc_topics`); used as they are (queries by ``lda`` then need ``lda_model``).

        Returns
        -------
        SimilarityIndex
            The fitted index.

        References
        ----------
        Deerwester, Dumais, Furnas, Landauer & Harshman, "Indexing by latent semantic analysis", *JASIS* 41
        (1990): LSI. Blei, Ng & Jordan, "Latent Dirichlet allocation", *JMLR* 3 (2003): LDA.
        """
        chosen = methods is None  # by default, LDA is fitted but not a similarity when unsuitable or saturated
        if methods is None:
            methods = [m for m in METHODS if m != "background" or texts is not None]
        unknown = set(methods) - set(METHODS)
        if unknown:
            raise ValueError(f"unknown similarity methods {sorted(unknown)}; choose from {METHODS}")
        ids = list(doc_ids) if doc_ids is not None else list(range(len(token_lists)))
        if len(ids) != len(token_lists):
            raise ValueError(f"{len(ids)} doc_ids for {len(token_lists)} documents")
        vec, X = fit_tfidf(token_lists, bigrams=bigrams)
        index = cls(doc_ids=ids, vectorizer=vec)
        if "background" in methods:
            if texts is None or len(texts) != len(ids):
                raise ValueError("the background method needs the texts of the documents (texts=...)")
            index.background = BackgroundModel.load()
            index.background_space, index.vectors["background"] = index.background.embed(
                texts, titles=titles, seed=seed
            )
        if "tfidf" in methods:
            index.vectors["tfidf"] = X
        if "lsi" in methods:
            index.svd, index.vectors["lsi"] = fit_lsi(X, n_components=lsi_components, seed=seed)
        if "lda" in methods:
            index._add_lda(
                token_lists, lda_model, lda_dictionary, lda_theta, topics=lda_topics, passes=lda_passes, seed=seed
            )
            if chosen:
                index._set_aside_unsuitable_lda(token_lists, X, seed=seed)
        return index

    def _set_aside_unsuitable_lda(self, token_lists, tfidf, *, seed: int) -> None:
        """Keep LDA out of the similarities (``notes["lda"]`` says why) when the documents are too short
        (:func:`lda_unsuitable`) or its scores are saturated (:func:`lda_saturation`, kept in ``lda_check``)."""
        why = lda_unsuitable(token_lists)
        if why is None:
            self.lda_check = lda_saturation(self.vectors["lda"], tfidf, seed=seed)
            why = lda_saturation_sentence(self.lda_check) if self.lda_check.saturated else None
        if why is not None:
            self.notes["lda"] = why
            del self.vectors["lda"]

    def _add_lda(self, token_lists, model, dictionary, theta, *, topics: int, passes: int | None, seed: int) -> None:
        """The ``lda`` representation: given proportions, else a given model's, else a model fitted here."""
        if theta is not None:
            if theta.shape[0] != len(self.doc_ids):
                raise ValueError(f"lda_theta has {theta.shape[0]} rows for {len(self.doc_ids)} documents")
            self.theta = np.asarray(theta, dtype=np.float64)
        elif model is not None:
            if dictionary is None:
                raise ValueError("lda_model given without its lda_dictionary")
            self.lda, self.lda_dictionary = model, dictionary
            self.theta = _lda_theta(model, dictionary, token_lists)
        else:
            self.lda, self.lda_dictionary, self.theta = _fit_lda(
                token_lists, num_topics=topics, seed=seed, passes=passes
            )
            if self.theta.shape[1] < topics:
                self.notes["lda_topics"] = (
                    f"The LDA model has {self.theta.shape[1]} topics, not {topics}: at most one topic per "
                    f"{UNITS_PER_TOPIC} documents (at least 2), so that a topic is not one document's words."
                )
        self.vectors["lda"] = np.sqrt(np.nan_to_num(self.theta))  # a document without a topic is similar to none

    @property
    def methods(self) -> list[str]:
        """The fitted methods, in the order they were fitted."""
        return list(self.vectors)

    @staticmethod
    def score_transform(method: str):
        """The function that turns dot products of ``vectors[method]`` rows into similarities, or None.

        ``lda`` rows are square roots of topic proportions: their dot product is the Bhattacharyya coefficient,
        turned into ``1 - Hellinger``; for the others the dot product is the cosine already (None).

        >>> SimilarityIndex.score_transform("tfidf") is None
        True
        >>> float(SimilarityIndex.score_transform("lda")(np.array(1.0)))
        1.0
        """
        return _bc_to_similarity if method == "lda" else None

    def neighbours(self, method: str, *, k: int = 5, block_size: int = 1000):
        """``(indices, scores)`` of each document's ``k`` nearest neighbours by ``method`` (:func:`top_k_neighbours`)."""
        return top_k_neighbours(
            self.vectors[method], k=k, block_size=block_size, transform=self.score_transform(method)
        )

    def similar_pairs(self, *, k: int = 5) -> pd.DataFrame:
        """Every document's ``k`` nearest neighbours by every method: ``doc_a, doc_b, method, rank, score``."""
        tables = [neighbours_table(self.doc_ids, *self.neighbours(m, k=k), method=m) for m in self.methods]
        return pd.concat(tables, ignore_index=True)

    def matrix(self, method: str, *, rows: Sequence[int] | np.ndarray | None = None) -> np.ndarray:
        """The dense similarity matrix by ``method`` of all documents, or of the documents at positions ``rows``
        (small corpora or samples only: :func:`similarity_matrix`)."""
        V = self.vectors[method] if rows is None else self.vectors[method][np.asarray(rows)]
        return similarity_matrix(V, transform=self.score_transform(method))

    def embed_tokens(self, token_lists: Sequence[Sequence[str]], method: str):
        """Represent new tokenised texts (queries, paragraphs) in the space of ``method``.

        ``background`` reads characters: the tokens are joined (stopwords are then missing from the bigrams).
        """
        if method == "background":
            return self.background.project(["".join(t) for t in token_lists], self.background_space)
        X = self.vectorizer.transform([list(t) for t in token_lists])
        if method == "tfidf":
            return X.tocsr()
        if method == "lsi":
            return _unit_rows(self.svd.transform(X))
        if method == "lda":
            if self.lda is None:
                raise ValueError("no LDA model to place new texts in (the topic proportions were given as a matrix)")
            return np.sqrt(np.nan_to_num(_lda_theta(self.lda, self.lda_dictionary, token_lists)))
        raise ValueError(f"unknown method {method!r}")

    def query_tokens(self, tokens: Sequence[str], *, k: int = 10, method: str | None = None) -> pd.DataFrame:
        """Documents most similar to one tokenised query: ``rank, doc_id, score, method`` (best first).

        ``method`` defaults to ``"lsi"`` when fitted, else ``"tfidf"``.
        """
        method = method or ("lsi" if "lsi" in self.vectors else "tfidf")
        q = self.embed_tokens([tokens], method)
        s = _dense(self.vectors[method] @ q.T).ravel().astype(np.float64)
        if method == "lda":
            s = _bc_to_similarity(s)
        order = np.lexsort((np.arange(len(s)), -s))[: min(k, len(s))]
        return pd.DataFrame(
            {
                "rank": np.arange(1, len(order) + 1),
                "doc_id": [self.doc_ids[i] for i in order],
                "score": np.clip(s[order], 0, 1).round(6),
                "method": method,
            }
        )


#: the most documents :func:`similarity_matrix` accepts (5,000² float64 cells are 200 MB)
MAX_DENSE_DOCS = 5000


def similarity_matrix(V, *, transform=None) -> np.ndarray:
    """The dense ``n x n`` similarity matrix ``V @ V.T`` (for small corpora: heatmaps, dendrograms).

    Parameters
    ----------
    V : scipy.sparse.spmatrix or numpy.ndarray
        Documents x features, rows scaled so that the dot product is the similarity.
    transform : callable, optional
        Applied to the dot products (:meth:`SimilarityIndex.score_transform`).

    Returns
    -------
    numpy.ndarray
        ``n x n`` float64 similarities clipped to [0, 1]; the diagonal is 1 (each document with itself, also
        where its row is shorter than one: an empty text, an untitled document among titled ones in
        ``background``).

    Raises
    ------
    ValueError
        Above :data:`MAX_DENSE_DOCS` documents; use :func:`top_k_neighbours` there.

    >>> similarity_matrix(np.eye(2)).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    if V.shape[0] > MAX_DENSE_DOCS:
        raise ValueError(f"similarity_matrix: {V.shape[0]} documents is too many for a dense matrix")
    S = _dense(V @ V.T).astype(np.float64)
    if transform is not None:
        S = transform(S)
    np.fill_diagonal(S, 1.0)
    return np.clip(S, 0.0, 1.0)


def most_similar_pairs(pairs: pd.DataFrame, *, n: int = 20) -> pd.DataFrame:
    """The ``n`` highest-scoring distinct pairs per method from a :meth:`SimilarityIndex.similar_pairs` table.

    A pair found from both ends (a->b and b->a) is listed once.
    """
    p = pairs.copy()
    a, b = p["doc_a"].astype(str), p["doc_b"].astype(str)
    p["_key"] = np.where(a < b, a + "\x00" + b, b + "\x00" + a)
    p = p.sort_values(["method", "score"], ascending=[True, False], kind="stable")
    p = p.drop_duplicates(["method", "_key"]).groupby("method", sort=False).head(n)
    return p.drop(columns=["_key"]).reset_index(drop=True)


#: sparse rows wider than this are reduced to this many dimensions (truncated SVD) before a map is drawn: a dense
#: copy of a wide sparse matrix (the background rows hold every title bigram) would not fit in memory
MAP_MAX_DIMENSIONS = 100


def _map_input(V, *, seed: int) -> np.ndarray:
    """Dense rows for :func:`map_2d`: wide sparse rows reduced to :data:`MAP_MAX_DIMENSIONS` by truncated SVD."""
    if sp.issparse(V) and V.shape[1] > MAP_MAX_DIMENSIONS and min(V.shape) > 2:
        from sklearn.decomposition import TruncatedSVD

        k = min(MAP_MAX_DIMENSIONS, min(V.shape) - 1)
        return TruncatedSVD(n_components=k, algorithm="randomized", n_iter=7, random_state=seed).fit_transform(V)
    return _dense(V).astype(np.float64)


#: t-SNE is used for maps of TSNE_MIN_DOCS to TSNE_MAX_DOCS documents: below, PCA shows as much and t-SNE's
#: perplexity has too few neighbours; above, t-SNE takes minutes (PCA is used)
TSNE_MIN_DOCS, TSNE_MAX_DOCS = 50, 5000


def map_2d(V, *, seed: int = 0) -> np.ndarray:
    """2-D coordinates of the documents for a map: PCA, or t-SNE (cosine) from TSNE_MIN_DOCS to TSNE_MAX_DOCS.

    Parameters
    ----------
    V : scipy.sparse.spmatrix or numpy.ndarray
        Documents x features (e.g. the LSI rows); sparse rows wider than :data:`MAP_MAX_DIMENSIONS` are first
        reduced to that many dimensions by truncated SVD.
    seed : int
        Seed of the SVD and PCA/t-SNE.

    Returns
    -------
    numpy.ndarray
        ``n x 2`` coordinates (fewer than 3 documents: placed on a line).

    References
    ----------
    van der Maaten & Hinton, "Visualizing data using t-SNE", *JMLR* 9 (2008).

    >>> map_2d(np.eye(4)).shape
    (4, 2)
    """
    Z = _map_input(V, seed=seed)
    n = Z.shape[0]
    if n < 3:
        return np.column_stack([np.arange(n, dtype=float), np.zeros(n)])
    if n < TSNE_MIN_DOCS or n > TSNE_MAX_DOCS:
        from sklearn.decomposition import PCA

        return PCA(n_components=2, random_state=seed).fit_transform(Z)
    from sklearn.manifold import TSNE

    return TSNE(
        n_components=2, perplexity=min(30.0, (n - 1) / 3), init="pca", metric="cosine", random_state=seed, max_iter=750
    ).fit_transform(Z)


def sample_rows(n: int, *, max_rows: int, seed: int = 0) -> np.ndarray:
    """Positions of a random sample of documents: all ``n`` when ``n <= max_rows``, else a sorted random sample of
    ``max_rows`` (NumPy ``default_rng(seed)``, so the same documents every run); :func:`lda_saturation` measures
    large corpora on it. Figures show :func:`figure_sample` instead.

    >>> sample_rows(3, max_rows=5).tolist()
    [0, 1, 2]
    >>> len(sample_rows(100, max_rows=5, seed=1))
    5
    """
    if n <= max_rows:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, max_rows, replace=False))


#: documents per group of a figure sample: a seed and its 4 nearest (notebook 04's top_k is 5), so that 30 rows hold
#: 6 groups: enough subjects to compare, enough rows per group for a block of cells to show
FIGURE_GROUP_SIZE = 5


@dataclass(frozen=True)
class FigureSample:
    """The documents a heatmap or dendrogram shows (:func:`figure_sample`).

    Attributes
    ----------
    rows : numpy.ndarray
        Their positions in the corpus, group by group.
    group : numpy.ndarray or None
        The group number (0, 1, …) of each row; None when the figure shows the whole corpus.
    n_total : int
        Documents in the corpus.
    """

    rows: np.ndarray
    group: np.ndarray | None
    n_total: int

    @property
    def n_groups(self) -> int:
        """Groups of neighbours shown (0 when the figure shows the whole corpus)."""
        return 0 if self.group is None or not len(self.group) else int(self.group.max()) + 1


#: TF-IDF cosine at or above which two documents are copies of one story: identical texts score 1.0, half the reprints
#: of the shipped reprint test (cleaned pages, notebook 04 section 5c) 0.92 or more (5 % below 0.72), while its other
#: pairs stay below 0.32 and the nearest held-out CCTV stories (data/xwlb_sections_heldout) below 0.53: well above
#: both, so only near-verbatim copies count. Copies do not make a document central, nor a group of a figure.
COPY_SCORE = 0.9


def _copy_mask(index: SimilarityIndex, a: np.ndarray, b: np.ndarray, copy_score: float) -> np.ndarray:
    """Which pairs ``(a[i], b[i])`` are copies of one story: TF-IDF cosine at least ``copy_score`` (none without
    TF-IDF vectors)."""
    if "tfidf" not in index.vectors or not len(a):
        return np.zeros(len(a), bool)
    V = index.vectors["tfidf"]
    return np.asarray(V[a].multiply(V[b]).sum(axis=1)).ravel() >= copy_score


def _without_copies(index: SimilarityIndex, candidates: list[int], room: int, copy_score: float):
    """``(kept, copies)``: the first ``room`` of ``candidates`` (a seed, then its neighbours) that are no copy of one
    kept before them, and the copies passed over (all kept without TF-IDF vectors)."""
    if "tfidf" not in index.vectors:
        return candidates[:room], []
    V, kept, copies = index.vectors["tfidf"], [], []
    for j in candidates:
        if len(kept) == room:
            break
        is_copy = bool(kept) and _dense(V[kept] @ V[j].T).max() >= copy_score
        (copies if is_copy else kept).append(j)
    return kept, copies


def _neighbour_lists(
    pairs: pd.DataFrame, index: SimilarityIndex, method: str, copy_score: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(starts, neighbours, centrality, copy_starts, copies)``: document ``i``'s neighbours by ``method`` that are
    not its copies, best first, are ``neighbours[starts[i]:starts[i + 1]]``, its copies among its neighbours
    ``copies[copy_starts[i]:copy_starts[i + 1]]``; its centrality is the mean score of those neighbours (0 without)."""
    ids = [str(i) for i in index.doc_ids]
    position = {d: i for i, d in enumerate(ids)}
    rows = pairs[pairs["method"] == method]
    a = rows["doc_a"].astype(str).map(position).to_numpy()
    b = rows["doc_b"].astype(str).map(position).to_numpy()
    score = rows["score"].to_numpy(dtype=float)
    order = np.lexsort((-score, a))  # by document, best neighbour first
    a, b, score = a[order].astype(int), b[order].astype(int), score[order]
    copy = _copy_mask(index, a, b, copy_score)
    n = np.arange(len(ids) + 1)
    a, b, score, copy_a, copy_b = a[~copy], b[~copy], score[~copy], a[copy], b[copy]
    count = np.bincount(a, minlength=len(ids))
    centrality = np.bincount(a, weights=score, minlength=len(ids)) / np.maximum(count, 1)
    return np.searchsorted(a, n), b, centrality, np.searchsorted(copy_a, n), copy_b


def figure_sample(
    index: SimilarityIndex,
    pairs: pd.DataFrame,
    *,
    max_rows: int,
    method: str = "background",
    group_size: int = FIGURE_GROUP_SIZE,
    copy_score: float = COPY_SCORE,
) -> FigureSample:
    """The documents a heatmap or dendrogram shows: the whole corpus up to ``max_rows`` documents, else groups of
    neighbours that show the corpus's structure.

    Above ``max_rows``, each group starts from a seed, with up to ``group_size - 1`` of its nearest neighbours in
    ``pairs``. The seed is the document with the highest centrality (mean score of its nearest neighbours) minus
    its highest similarity to a document already shown: central documents first, each unlike the groups before
    it, so that different subjects appear. A document shown, or a neighbour of one, is neither a seed nor a member
    again, so groups are similar within and unlike each other: the heatmap shows bright blocks along its diagonal
    and the dendrogram real joins, where a random sample of a large corpus shows unrelated documents. Memory is ``n × (k + max_rows)``, never ``n × n``; ties
    go to the earlier document, so the result is the same on every run.

    Copies of one story (TF-IDF cosine ``copy_score`` or more: reprints, a heading repeated row after row) are not
    shown together: five copies of 国内联播快讯 make a bright block that says nothing of the corpus. A neighbour
    that is a copy of its document or of a member of the group neither joins the group nor counts in the
    document's centrality, and the copies of a document shown are taken with it. The background score cannot tell
    copies: on the shipped reprint test (cleaned pages), 5 % of reprint pairs score below 0.84 and 5 % of the other
    nearest pairs above 0.93; TF-IDF keeps them apart (:data:`COPY_SCORE`).

    Parameters
    ----------
    index : SimilarityIndex
        The fitted index (its ``doc_ids`` and the vectors of ``method``).
    pairs : pandas.DataFrame
        :meth:`SimilarityIndex.similar_pairs` of ``index`` (``doc_a, doc_b, method, score``).
    max_rows : int
        At most this many documents (notebook 04's ``max_heatmap_docs``).
    method : str
        Whose neighbours and similarities to use.
    group_size : int
        At most this many documents per group (a seed and its neighbours).
    copy_score : float
        TF-IDF cosine from which two documents are copies (ignored when ``index`` has no TF-IDF vectors).

    Returns
    -------
    FigureSample
        The positions shown, group by group (seed first, then its neighbours best first), and their groups.

    >>> docs = [["扶贫", "产业"], ["扶贫", "产业", "就业"], ["扶贫", "就业"], ["足球", "比赛"], ["足球", "球队"]]
    >>> index = SimilarityIndex.fit(docs, doc_ids=list("abcde"), methods=("tfidf",))
    >>> shown = figure_sample(index, index.similar_pairs(k=2), max_rows=4, method="tfidf", group_size=2)
    >>> shown.rows.tolist(), shown.group.tolist()
    ([1, 0, 3, 4], [0, 0, 1, 1])
    """
    ids = [str(i) for i in index.doc_ids]
    n = len(ids)
    if n <= max_rows:
        return FigureSample(np.arange(n), None, n)
    starts, neighbours, centrality, copy_starts, copies = _neighbour_lists(pairs, index, method, copy_score)
    V, transform = index.vectors[method], index.score_transform(method)
    nearest_shown = np.zeros(n)  # highest similarity to a document shown
    taken = np.zeros(n, bool)  # shown, or a neighbour of a shown document
    rows: list[int] = []
    group: list[int] = []
    while (room := min(group_size, max_rows - len(rows))) >= 2 and not taken.all():  # a lone document: no block
        candidates = np.flatnonzero(~taken)
        seed = int(candidates[np.argmax((centrality - nearest_shown)[candidates])])
        near = [int(j) for j in neighbours[starts[seed] : starts[seed + 1]] if not taken[j] and j != seed]
        members, passed = _without_copies(index, [seed, *near], room, copy_score)
        taken[members + passed] = True
        for m in members:  # a copy of a document shown is shown with it
            taken[copies[copy_starts[m] : copy_starts[m + 1]]] = True
        if len(members) < 2:
            continue
        for m in members:
            taken[neighbours[starts[m] : starts[m + 1]]] = True
        dots = _dense(V @ V[members].T)
        nearest_shown = np.maximum(nearest_shown, (dots if transform is None else transform(dots)).max(axis=1))
        rows += members
        group += [group[-1] + 1 if group else 0] * len(members)
    return FigureSample(np.array(rows, dtype=int), np.array(group, dtype=int), n)


#: columns that hold a document's category, in order of preference (:func:`find_label_column`, used by 03 and 04):
#: the English names, then the Chinese column names of news tables (类别 of cnews, 栏目 of a site's sections), then
#: ``folder``, the first-level subfolder of each file of a folder corpus (sina/体育/x.txt → 体育), last: an explicit
#: category column is preferred to the way the files were filed
LABEL_COLUMNS = ("label", "labels", "category", "类别", "類別", "分类", "分類", "栏目", "欄目", "folder")
#: load_corpus's own fields that copy an input column (a CSV's 来源 is read as ``source`` and kept under its own
#: name too): a categorical column is named as the user named it, never by the loader's copy
#: (:func:`helpers.discourse.other_group_columns` does the same with the loading report)
LOADER_COPIES = ("source",)
#: at most this many values of a categorical column are listed by :meth:`LabelChoice.sentence` (else only counted)
LISTED_VALUES = 6
#: colours a map can tell apart: matplotlib's default cycle (tab10) has 10, after which colours repeat
MAP_COLOURS = 10
#: names of the map groups gathering the less frequent labels and the documents without one
OTHER_GROUP, NO_LABEL_GROUP = "其他", "无标签"
#: name of the map group of the documents without a topic (:data:`helpers.topics.NO_TOPIC`)
NO_TOPIC_GROUP = "无主题"
#: what :meth:`LabelChoice.absent` adds to what a corpus lacks besides :data:`LABEL_COLUMNS`: the rule of
#: :func:`helpers.discourse.group_column_candidates`, with its bound
CATEGORICAL_RULE = (
    "nor another column of categories, with 2 to {max_values} values each shared by 2 documents or more (a column "
    "whose values are years or months, such as subfolders 2016/ and 2017/, files by time, not by category)"
)


@dataclass(frozen=True)
class LabelChoice:
    """The column that a corpus's documents are compared with (topics in 03, neighbours and the map in 04), and why
    (:func:`choose_label_column`).

    Attributes
    ----------
    column : str or None
        The column; ``None`` when the corpus has none.
    named : bool
        ``True`` when the column was asked for (``label_column``) or is named as a label (:data:`LABEL_COLUMNS`);
        ``False`` when no column is and this is the corpus's categorical column.
    categorical : tuple of str
        The corpus's categorical columns (:func:`categorical_columns`), in the table's order: the first is the one
        chosen when no column is named as a label.
    values : dict
        Documents per value of ``column`` (most frequent first), empty values not counted.
    """

    column: str | None
    named: bool = True
    categorical: tuple[str, ...] = ()
    values: dict[str, int] = field(default_factory=dict)
    listed: tuple[str, int, int, int] | None = None  # a column of lists: its name; documents with one, several, none
    years: str = ""  # the years with almost no labelled document (:data:`FEW_LABELLED_SHARE`), with the counts

    def sentence(self, compared: str) -> str:
        """How the column was chosen, when it is not named as a label (``""`` otherwise): ``compared`` says what is
        done with it (``"the topics are compared with"``); for a named column of lists of labels, which documents
        are compared (:data:`ONE_LABEL_SUFFIX`).

        >>> docs = pd.DataFrame({"text": ["x"] * 4, "编号": ["1", "2", "3", "4"], "来源": ["甲", "甲", "乙", "乙"]})
        >>> print(choose_label_column(docs, "label").sentence("the topics are compared with"))
        No column is named as a label; the topics are compared with `来源`, the corpus's only categorical column (2 values: 甲 2, 乙 2).
        >>> docs = pd.DataFrame({"text": ["x"] * 4, "labels": [["甲"], ["甲", "乙"], [], ["乙"]]})
        >>> print(choose_label_column(docs, "label").sentence("the topics are compared with"))
        `labels` holds a list of labels per document: the topics are compared with the one label of the 2 documents that have exactly one (column `labels_one`, 2 values: 甲 1, 乙 1); the 1 with several and the 1 with none carry no label here.
        """
        if self.column is not None and self.listed is not None:
            source, one, several, none = self.listed
            listed = ", ".join(f"{v} {c:,}" for v, c in self.values.items())
            about = (
                f"{len(self.values)} values: {listed}"
                if len(self.values) <= LISTED_VALUES
                else f"{len(self.values)} values"
            )
            span = (
                f" Years in which almost no document has one: {self.years}; what is measured on the labelled "
                "documents says little of them."
                if self.years
                else ""
            )
            return (
                f"`{source}` holds a list of labels per document: {compared} the one label of the {one:,} "
                f"{'document that has' if one == 1 else 'documents that have'} exactly one (column `{self.column}`, "
                f"{about}); the {several:,} with several and the {none:,} with none carry no label here.{span}"
            )
        if self.column is None or self.named:
            return ""
        n = len(self.values)
        listed = ", ".join(f"{v} {c:,}" for v, c in self.values.items())
        about = f"{n} values: {listed}" if n <= LISTED_VALUES else f"{n} values"
        if len(self.categorical) == 1:
            which = "the corpus's only categorical column"
        else:
            others = ", ".join(f"`{c}`" for c in self.categorical if c != self.column)
            which = (
                f"the first of the corpus's {len(self.categorical)} categorical columns in the table's order "
                f"(the others: {others}; choose one with `-p label_column NAME`)"
            )
        return f"No column is named as a label; {compared} `{self.column}`, {which} ({about})."

    @staticmethod
    def absent() -> str:
        """The clause saying that a corpus without a label column has no categorical column either.

        >>> LabelChoice.absent()
        'nor another column of categories, with 2 to 12 values each shared by 2 documents or more (a column whose values are years or months, such as subfolders 2016/ and 2017/, files by time, not by category)'
        """
        from .discourse import MAX_GROUP_VALUES

        return CATEGORICAL_RULE.format(max_values=MAX_GROUP_VALUES)


def categorical_columns(docs: pd.DataFrame, *, report: pd.DataFrame | None = None) -> list[str]:
    """The corpus's categorical metadata columns that documents can be compared with when no column is named as a
    label: the group columns of :func:`helpers.discourse.other_group_columns` (not the text, id, title or date; 2 to
    :data:`helpers.discourse.MAX_GROUP_VALUES` values, each shared by two documents or more), named as the user named
    them (the loader's copy, :data:`LOADER_COPIES`, left out), whose values are text, and not a column of
    :data:`LABEL_COLUMNS` (one of those that :func:`find_label_column` passed over holds no labels).

    Parameters
    ----------
    docs : pandas.DataFrame
        The documents (:attr:`helpers.corpus.LoadedCorpus.docs`).
    report : pandas.DataFrame, optional
        The loading report (:attr:`helpers.corpus.LoadedCorpus.report`): its metadata rows say which input column
        the loader read as its ``source`` or ``date`` (a 年份 column read as the date is not a category).

    >>> docs = pd.DataFrame({"text": ["x"] * 4, "source": ["甲", "甲", "乙", "乙"], "来源": ["甲", "甲", "乙", "乙"],
    ...                      "编号": ["1", "2", "3", "4"], "版次": [1, 1, 2, 2]})
    >>> categorical_columns(docs)
    ['来源']
    """
    from .discourse import group_values, names_times, other_group_columns

    found = [c for c in other_group_columns(docs, report=report) if c not in LABEL_COLUMNS]
    found = [c for c in found if docs[c].dropna().map(lambda v: isinstance(v, str)).all() and not names_times(docs[c])]
    values = {c: group_values(docs[c]).tolist() for c in found}
    copies = {c for c in found if c in LOADER_COPIES and any(values[c] == values[o] for o in found if o != c)}
    return [c for c in found if c not in copies]


#: the column :func:`choose_label_column` adds for a label column of lists (``labels`` → ``labels_one``): the one
#: label of a document that has exactly one, else empty — as ``data/xwlb_sections_*`` keep the stories of one section
ONE_LABEL_SUFFIX = "_one"


def _as_labels(value: object) -> list[str]:
    """A cell of a column of lists as its non-empty labels (a JSON list, a tuple, a NumPy array; else none)."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return [str(v).strip() for v in value if str(v).strip()]
    return []


def _holds_lists(values: pd.Series) -> bool:
    """Whether a column holds lists of labels: every cell a list (or empty) and some list not empty."""
    cells = [v for v in values if not (v is None or (isinstance(v, float) and np.isnan(v)))]
    return bool(cells) and all(isinstance(v, (list, tuple, np.ndarray)) for v in cells) and any(len(v) for v in cells)


#: a year in which fewer than this share of the documents carry a label is named by :meth:`LabelChoice.sentence`:
#: what is measured on the labelled documents says little of it (reviewer R2: xwlb's sections label 1 of the 891
#: stories of 2016, and 03's NMI and 04's precision were read as holding for 2016-2019)
FEW_LABELLED_SHARE = 0.05


def _label_years(docs: pd.DataFrame, labelled: pd.Series) -> str:
    """The years of a dated corpus in which fewer than :data:`FEW_LABELLED_SHARE` of the documents are
    ``labelled``, with the counts (``"2016 (1 of 891)"``); ``""`` when there is none."""
    if "date" not in docs:
        return ""
    years = docs["date"].astype(str).str.extract(r"^((?:19|20)\d\d)", expand=False)
    table = pd.crosstab(years, labelled.to_numpy())
    if table.shape[0] < 2 or True not in table.columns:
        return ""
    total = table.sum(axis=1)
    few = [
        (y, int(table.loc[y, True]), int(total[y]))
        for y in table.index
        if table.loc[y, True] < FEW_LABELLED_SHARE * total[y]
    ]
    return ", ".join(f"{y} ({n:,} of {t:,})" for y, n, t in few)


def list_columns(docs: pd.DataFrame) -> list[str]:
    """The label columns of ``docs`` (:data:`LABEL_COLUMNS`) that hold a list of labels per document
    (:func:`choose_label_column` compares them through ``<column>_one``; notebook 05's groups and composition check
    do not use them). Other columns of lists (xwlb's ``tags``) are not labels.

    >>> list_columns(pd.DataFrame({"text": ["a", "b"], "labels": [["甲"], []], "tags": [["x"], []], "来源": ["x", "y"]}))
    ['labels']
    """
    return [c for c in LABEL_COLUMNS if c in docs.columns and _holds_lists(docs[c])]


def choose_label_column(
    docs: pd.DataFrame, preferred: str | None = None, *, report: pd.DataFrame | None = None
) -> LabelChoice:
    """The column that 03 and 04 compare documents with, and why.

    The rule, in order: ``preferred`` (the ``label_column`` parameter) when the corpus has it; else the first column
    of :data:`LABEL_COLUMNS` whose values are all strings (``folder`` only when the files sit in two subfolders or
    more; a column of lists of labels, such as xwlb's ``labels``, gives a column ``labels_one`` added to ``docs``:
    the one label of each document that has exactly one, :data:`ONE_LABEL_SUFFIX`); else, since no column is named
    as a label, the corpus's first categorical column
    (:func:`categorical_columns`, in the table's order: a CSV's 来源 column, say), which the pages name as such,
    naming the others; else ``None``.

    >>> docs = pd.DataFrame({"text": ["x"] * 4, "来源": ["甲", "甲", "乙", "乙"], "类别": ["体育"] * 2 + ["财经"] * 2})
    >>> choose_label_column(docs, "label")
    LabelChoice(column='类别', named=True, categorical=(), values={'体育': 2, '财经': 2}, listed=None, years='')
    >>> choose_label_column(docs.drop(columns="类别")).column, choose_label_column(docs.drop(columns="类别")).named
    ('来源', False)
    """
    from .discourse import group_values, names_times

    def counted(column: str | None) -> dict[str, int]:
        if column is None:
            return {}
        counts = group_values(docs[column]).value_counts()
        return {str(v): int(c) for v, c in zip(counts.index, counts.to_numpy())}

    def one_label(name: str) -> LabelChoice:  # xwlb's `labels`: 0 to 5 sections per story
        one, lists = f"{name}{ONE_LABEL_SUFFIX}", docs[name].map(_as_labels)
        docs[one] = lists.map(lambda x: x[0] if len(x) == 1 else None)
        n = lists.map(len)
        listed = (name, int((n == 1).sum()), int((n > 1).sum()), int((n == 0).sum()))
        return LabelChoice(one, values=counted(one), listed=listed, years=_label_years(docs, n == 1))

    if preferred is not None and preferred in docs.columns:
        return (
            one_label(preferred) if _holds_lists(docs[preferred]) else LabelChoice(preferred, values=counted(preferred))
        )

    def labels_documents(column: str) -> bool:
        values = docs[column]
        if not values.map(lambda v: isinstance(v, str)).all() or names_times(values):
            return False  # text values, not times (subfolders 2016/, 2017/ file by year, not by category)
        return column != "folder" or values.str.strip().replace("", np.nan).nunique() >= 2

    named = next(
        (c for c in LABEL_COLUMNS if c in docs.columns and (labels_documents(c) or _holds_lists(docs[c]))), None
    )
    if named is not None:
        return one_label(named) if _holds_lists(docs[named]) else LabelChoice(named, values=counted(named))
    found = tuple(categorical_columns(docs, report=report))
    column = found[0] if found else None
    return LabelChoice(column, named=False, categorical=found, values=counted(column))


def find_label_column(
    docs: pd.DataFrame, preferred: str | None = None, *, report: pd.DataFrame | None = None
) -> str | None:
    """The corpus's label column: ``preferred`` when the corpus has it, else its first column of
    :data:`LABEL_COLUMNS` whose values are all strings, else its first categorical column
    (:func:`categorical_columns`), else ``None`` (:func:`choose_label_column` says which rule chose it).

    >>> find_label_column(pd.DataFrame({"text": ["a"], "類別": ["體育"]}), "label")
    '類別'
    >>> find_label_column(pd.DataFrame({"text": ["a"], "label": [3]})) is None
    True

    A ``folder`` column (the loader's first-level subfolder of each file) counts only when the files are filed in
    two folders or more: files all in one folder, or all at the top, have no category.

    >>> find_label_column(pd.DataFrame({"text": ["a", "b", "c"], "folder": ["体育", "财经", ""]}))
    'folder'
    >>> find_label_column(pd.DataFrame({"text": ["a", "b"], "folder": ["体育", "体育"]})) is None
    True

    Without a column named as a label, a column of categories is one: a CSV's 来源 (the loader also reads it as
    ``source``), never a column of unique values such as 编号.

    >>> find_label_column(pd.DataFrame({"text": ["x"] * 4, "编号": list("1234"), "来源": ["甲", "甲", "乙", "乙"]}))
    '来源'
    """
    return choose_label_column(docs, preferred, report=report).column


def document_groups(
    docs: pd.DataFrame,
    theta: np.ndarray | None,
    *,
    topic_names: dict[int, str] | None = None,
    max_groups: int = MAP_COLOURS,
    label: LabelChoice | None = None,
) -> tuple[pd.Series, str, str]:
    """A group per document for colouring a map: the corpus's labels when it has them, else the dominant topic.

    Parameters
    ----------
    docs : pandas.DataFrame
        The corpus; its label column (``label``, else :func:`choose_label_column`) gives the groups.
    theta : numpy.ndarray or None
        Documents x topics proportions (:attr:`SimilarityIndex.theta`), used when there is no label column.
    topic_names : dict, optional
        Name of each topic numbered from 1 (e.g. :func:`helpers.topics.topic_labels`: ``"T1 词·词·词"``); required
        when the groups are topics, so that a topic is never named by a bare number another model also uses.
    max_groups : int
        At most this many groups (colours): with more labels, the most frequent keep their own colour and the
        rest become :data:`OTHER_GROUP`; documents with an empty label are :data:`NO_LABEL_GROUP`, documents
        without a topic :data:`NO_TOPIC_GROUP` (all three drawn in grey by :func:`helpers.plotting.similarity.plot_map`).
    label : LabelChoice, optional
        The column chosen (:func:`choose_label_column` with the notebook's ``label_column`` and loading report);
        when it is not named as a label, the sentence says so first.

    Returns
    -------
    tuple
        ``(groups, name, sentence)``: the groups as strings, the name of what they are (the column, or
        ``LDA 主题``) and a sentence saying what the colours show.

    >>> names = {1: "T1 扶贫·产业", 2: "T2 足球·比赛"}
    >>> document_groups(pd.DataFrame({"text": ["a", "b"]}), np.array([[0.9, 0.1], [0.2, 0.8]]), topic_names=names)[0].tolist()
    ['T1 扶贫·产业', 'T2 足球·比赛']
    >>> labelled = pd.DataFrame({"label": ["甲", "甲", "乙", "丙", ""]})
    >>> groups, name, said = document_groups(labelled, None, max_groups=3)
    >>> groups.tolist()
    ['甲', '甲', '其他', '其他', '无标签']
    """
    label = choose_label_column(docs) if label is None else label
    if label_col := label.column:
        values = docs[label_col].map(lambda v: v.strip() if isinstance(v, str) else "")
        groups, sentence = _capped_labels(values, label_col, max_groups)
        chosen = label.sentence("the map is coloured by")
        return groups, label_col, f"{chosen} {sentence}".strip()
    if theta is None or topic_names is None:
        raise ValueError("no label column: the documents need topic proportions and topic_names to be grouped")
    sentence = (
        f"Colours show each document's dominant LDA topic (the corpus has no {', '.join(LABEL_COLUMNS[:-2])} or "
        f"{LABEL_COLUMNS[-2]} column, nor a {LABEL_COLUMNS[-1]} column naming two subfolders or more, "
        f"{LabelChoice.absent()})."
    )
    from .topics import NO_TOPIC, dominant_topics, no_topic_sentence

    dominant = dominant_topics(theta)
    if none := no_topic_sentence(dominant):  # no vocabulary token, no topic (helpers.topics.without_topic)
        sentence += f" {none} On the map they are grey, as {NO_TOPIC_GROUP}."
    names = {**topic_names, NO_TOPIC: NO_TOPIC_GROUP}
    return pd.Series(dominant).map(names), "LDA 主题", sentence


def _capped_labels(labels: pd.Series, column: str, max_groups: int) -> tuple[pd.Series, str]:
    """Labels cut to ``max_groups`` colours (most frequent first, then :data:`OTHER_GROUP`), and the sentence."""
    blank = labels == ""
    counts = labels[~blank].value_counts()
    counts = counts.iloc[np.lexsort((counts.index.to_numpy(), -counts.to_numpy()))]  # most frequent, then by name
    room = max_groups - int(blank.any())
    kept = counts.index if len(counts) <= room else counts.index[: room - 1]
    groups = labels.where(labels.isin(kept), OTHER_GROUP).where(~blank, NO_LABEL_GROUP)
    parts = [f"Colours show the values of the column `{column}` ({len(counts):,} distinct values"]
    if len(kept) < len(counts):
        rest = counts.index[len(kept) :]
        parts.append(
            f"; the {len(kept)} most frequent have their own colour, the other {len(rest):,} "
            f"({int(counts[rest].sum()):,} documents) are shown as {OTHER_GROUP}"
        )
    if blank.any():
        parts.append(f"; {int(blank.sum()):,} documents without a value are shown as {NO_LABEL_GROUP}")
    return groups.rename(column), "".join(parts) + ")."


def load_doc_topics(path: str | os.PathLike[str], doc_ids: Sequence) -> np.ndarray:
    """Topic proportions read from a ``doc_topics.csv`` (``doc_id, topic, weight``, as notebook 03 writes it), in
    ``doc_ids`` order; rows are normalised to sum to 1.

    The file must describe exactly these documents: another corpus, another ``id_column`` or a table left over
    from an older run is an error, never silently used or ignored.

    Parameters
    ----------
    path : str or os.PathLike
        The ``doc_topics.csv``.
    doc_ids : sequence
        The corpus's document ids, in row order.

    Returns
    -------
    numpy.ndarray
        Documents x topics proportions, rows summing to 1; NaN for a document whose weights are all empty (no
        topic, as notebook 03 writes a document without a vocabulary token).

    Raises
    ------
    FileNotFoundError
        The file does not exist.
    ValueError
        The columns are missing, a weight is not a finite number >= 0, or the file's ``doc_id`` set differs
        from ``doc_ids`` (the message counts and shows some of the ids missing on each side).

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "doc_topics.csv"
    >>> _ = f.write_text("doc_id,topic,weight\\na,1,0.25\\na,2,0.75\\nb,1,1.0\\nb,2,0.0\\n")
    >>> load_doc_topics(f, ["b", "a"]).tolist()
    [[1.0, 0.0], [0.25, 0.75]]
    """
    from pathlib import Path

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: doc_topics file not found (set doc_topics = None to fit LDA here)")
    table = read_table(path, dtype={"doc_id": str})  # a CSV from write_table: BOM, ' before formula-like ids
    missing_cols = {"doc_id", "topic", "weight"} - set(table.columns)
    if missing_cols:
        raise ValueError(
            f"{path}: not a doc_topics table: columns {sorted(missing_cols)} missing "
            f"(it has {list(table.columns)}; expected doc_id, topic, weight)"
        )
    weights = pd.to_numeric(table["weight"], errors="coerce")
    empty = table["weight"].isna()  # a document without a topic has empty weights (helpers.topics.without_topic)
    bad = (~np.isfinite(weights) | (weights < 0)) & ~empty
    if bad.any():
        line = int(np.flatnonzero(bad.to_numpy())[0]) + 2  # header is line 1
        raise ValueError(f"{path}, line {line}: weight {table['weight'].iloc[line - 2]!r} is not a number >= 0")
    table = table.assign(weight=weights)
    wide = table.pivot_table(index="doc_id", columns="topic", values="weight", aggfunc="sum", fill_value=0.0)
    ids = [str(i) for i in doc_ids]
    in_file, in_corpus = set(wide.index), set(ids)
    if in_file != in_corpus:
        not_in_file = sorted(in_corpus - in_file)
        not_in_corpus = sorted(in_file - in_corpus)
        raise ValueError(
            f"{path}: its doc ids do not match the corpus ({len(in_corpus)} documents, {len(in_file)} ids in the "
            f"file): {len(not_in_file)} corpus ids not in the file (e.g. {not_in_file[:3]}), "
            f"{len(not_in_corpus)} file ids not in the corpus (e.g. {not_in_corpus[:3]}). Use a doc_topics.csv "
            "made from this corpus with the same id_column, or doc_topics = None to fit LDA here."
        )
    theta = wide.loc[ids].to_numpy(dtype=np.float64)
    s = theta.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(s > 0, theta / s, np.nan)  # all weights empty: no topic, a NaN row


def rank_texts(
    index: SimilarityIndex,
    query_tokens: Sequence[str],
    token_lists: Sequence[Sequence[str]],
    *,
    k: int = 10,
    method: str = "tfidf",
) -> pd.DataFrame:
    """Rank any texts (e.g. paragraphs) against a query in the space of a fitted index: ``position, score``.

    >>> docs = [["扶贫", "产业"], ["足球", "比赛"]]
    >>> index = SimilarityIndex.fit(docs, methods=("tfidf",))
    >>> rank_texts(index, ["足球"], docs, k=1)["position"].tolist()
    [1]
    """
    if not token_lists:
        return pd.DataFrame({"position": [], "score": []})
    q = index.embed_tokens([query_tokens], method)
    T = index.embed_tokens(token_lists, method)
    s = _dense(T @ q.T).ravel().astype(np.float64)
    if method == "lda":
        s = _bc_to_similarity(s)
    order = np.lexsort((np.arange(len(s)), -s))[: min(k, len(s))]
    return pd.DataFrame({"position": order, "score": np.clip(s[order], 0, 1).round(6)})


def short_labels(titles: Sequence, texts: Sequence[str], *, width: int = 14) -> list[str]:
    """Short display labels: the title, else the start of the text, cut to ``width`` characters; a document holding
    several stories (a day file of a news programme) reads ``first headline (+N more)``
    (:func:`helpers.clean.headlines_label`, the headline cut to ``width``), not as its first story alone.

    >>> short_labels([None, "脱贫攻坚取得决定性成就"], ["各地扎实推进工作", ""], width=6)
    ['各地扎实推进…', '脱贫攻坚取得…']
    >>> day = "土耳其政府2日确认，逮捕了12名嫌疑人。\\n伊军首次从北部进入摩苏尔\\n6号，伊拉克政府军继续展开收复战。"
    >>> short_labels(["土警方抓获12名夜总会恐袭嫌疑人"], [day], width=6)
    ['土警方抓获1… (+1 more)']
    """
    from .clean import headlines_label

    out = []
    for title, text in zip(titles, texts):
        label = headlines_label(title, text if isinstance(text, str) else "", width=width)
        if label is None:  # no title, no headline: the start of the text
            t = (text if isinstance(text, str) else "").replace("\n", " ").strip()
            label = t if len(t) <= width else t[:width] + "…"
        out.append(label)
    return out


def distinct_labels(labels: Sequence[str], doc_ids: Sequence, dates: Sequence | None = None) -> list[str]:
    """Labels that tell documents apart in a figure: a label several documents share gets the document's date
    when that makes it unique, else its id (e.g. three stories titled 国内联播快讯).

    >>> distinct_labels(["快讯", "快讯", "快讯", "扶贫"], ["a", "b", "c", "d"], ["2016-01-10", "2016-01-11", "2016-01-11", None])
    ['快讯 · 2016-01-10', '快讯 · b', '快讯 · c', '扶贫']
    """
    labels, ids = list(labels), [str(i) for i in doc_ids]
    dates = [
        d if isinstance(d, str) and d.strip() else None for d in (dates if dates is not None else [None] * len(ids))
    ]
    repeated = {lab for lab, n in Counter(labels).items() if n > 1}
    by_date = Counter((lab, d) for lab, d in zip(labels, dates) if lab in repeated)
    out = []
    for lab, i, d in zip(labels, ids, dates):
        if lab not in repeated:
            out.append(lab)
        else:
            out.append(f"{lab} · {d}" if d and by_date[(lab, d)] == 1 else f"{lab} · {i}")
    return out


def central_document(
    pairs: pd.DataFrame,
    doc_ids: Sequence,
    *,
    method: str = "tfidf",
    copy_score: float = COPY_SCORE,
    clusters: pd.DataFrame | None = None,
) -> str:
    """The most central document: the highest mean similarity to its nearest neighbours that are not its copies.

    ``pairs`` is :meth:`SimilarityIndex.similar_pairs` (``doc_a, doc_b, method, score``). Neighbours scoring
    ``copy_score`` or more are copies of the same story (reprints, duplicated rows): a story printed three times
    is not what a corpus is "most about", so they are left out of the mean. Ties go to the document that comes
    first in ``doc_ids``; a corpus without pairs (one document) gives its first document.

    Parameters
    ----------
    pairs : pandas.DataFrame
        Nearest-neighbour pairs with columns ``doc_a, doc_b, method, score``.
    doc_ids : sequence
        The corpus's document ids, in order.
    method : str
        Which method's scores to use.
    copy_score : float
        Neighbours at or above this score count as copies.
    clusters : pandas.DataFrame, optional
        Reprint clusters (``doc_id, cluster``, as :class:`helpers.reprints.NearDuplicates` has them): two
        documents of one cluster are copies whatever their score.

    Returns
    -------
    str
        The id of the most central document.

    Examples
    --------
    >>> pairs = pd.DataFrame({"doc_a": ["a", "b", "c", "d", "d"], "doc_b": ["b", "a", "d", "c", "a"],
    ...                       "method": "tfidf", "score": [0.2, 0.2, 1.0, 1.0, 0.1]})
    >>> central_document(pairs, ["c", "b", "a", "d"])
    'b'
    """
    ids = [str(i) for i in doc_ids]
    if not ids:
        raise ValueError("no documents")
    rows = pairs[(pairs["method"] == method) & (pairs["score"] < copy_score)]
    if clusters is not None and len(clusters):
        cluster_of = dict(zip(clusters["doc_id"].astype(str), clusters["cluster"]))
        a, b = rows["doc_a"].astype(str).map(cluster_of), rows["doc_b"].astype(str).map(cluster_of)
        rows = rows[~(a.notna() & (a == b))]
    if not len(rows):
        return ids[0]
    mean = rows.assign(doc_a=rows["doc_a"].astype(str)).groupby("doc_a")["score"].mean()
    best = mean.max()
    return next(i for i in ids if mean.get(i, -np.inf) == best)


def first_sentence(text: str, *, min_chars: int = 10, max_chars: int = 100) -> str:
    """The first sentence of a text with at least ``min_chars`` characters (a date or byline line is skipped),
    cut to ``max_chars``; the start of the text when no sentence is that long.

    >>> first_sentence("2020年5月1日\\n各地扎实推进春耕生产，粮食播种面积稳定。农民收入增长。")
    '各地扎实推进春耕生产，粮食播种面积稳定。'
    """
    parts = split_sentences(text)
    found = next((p for p in parts if len(p) >= min_chars), (text or "").strip())
    return found[:max_chars]


#: a default query needs at least this many content words (project tokenizer, stopwords removed): the lead-in
#: 央视网消息（新闻联播）： has 2, stock lines such as 会议还研究了其他事项 3 and 主席团常务主席栗战书主持会议 4, while 342 of
#: the 350 first sentences of the held-out CCTV stories (data/xwlb_sections_heldout) have 5 or more
QUERY_MIN_WORDS = 5
#: a sentence found in this many documents or more is boilerplate (a lead-in, a stock line of a meeting report), not a
#: question: a story and one reprint share sentences; three documents sharing one is a formula, the count from which
#: the reprint detector treats a paragraph as site template
QUERY_MAX_HOLDERS = 3
#: the first sentences of the document (with enough words) whose holders are counted: one pass over the corpus
QUERY_CANDIDATES = 10


def query_sentence(
    text: str,
    corpus_texts: Sequence[str],
    *,
    min_words: int = QUERY_MIN_WORDS,
    max_holders: int = QUERY_MAX_HOLDERS,
    max_chars: int = 100,
) -> str:
    """A sentence of ``text`` to search the corpus with: the first with at least ``min_words`` content words that
    fewer than ``max_holders`` of ``corpus_texts`` contain, cut to ``max_chars``.

    A lead-in (央视网消息（新闻联播）：) or a stock line repeated across documents would find only its own copies, at a
    score of 1.0. A sentence is found in a text verbatim, its closing punctuation aside (texts cleaned by
    :func:`helpers.corpus.load_corpus` write a recurring line alike). When each of the first
    :data:`QUERY_CANDIDATES` sentences with enough words recurs (a story reprinted twice has all its sentences in
    three documents), the one in the fewest documents is taken; a text without such a sentence gives
    :func:`first_sentence`.

    >>> corpus = ["央视网消息（新闻联播）：\\n国务院召开常务会议，部署稳定就业和扶持小微企业的措施。", "央视网消息（新闻联播）：\\n球赛"]
    >>> query_sentence(corpus[0], corpus)
    '国务院召开常务会议，部署稳定就业和扶持小微企业的措施。'
    """
    from .tokenize import tokenize

    parts = split_sentences(text)
    worded = [p for p in parts if p and len(tokenize(p)) >= min_words][:QUERY_CANDIDATES]
    if not worded:
        return first_sentence(text, max_chars=max_chars)
    keys = [p.rstrip("。！？!?；;，,：: ") or p for p in worded]
    holders = np.zeros(len(keys), dtype=int)
    for other in corpus_texts:
        holders += [k in other for k in keys] if isinstance(other, str) else 0
    few = np.flatnonzero(holders < max_holders)
    return worded[int(few[0]) if len(few) else int(np.argmin(holders))][:max_chars]


def paragraph_table(doc_ids: Sequence, texts: Sequence[str]) -> pd.DataFrame:
    """Every paragraph of every document: ``doc_id, paragraph`` (number from 0), ``text``.

    Paragraphs are split as the reprint detector splits them (:func:`helpers.clean.split_paragraphs`).

    >>> paragraph_table(["a"], ["第一段。\\n第二段。"])["paragraph"].tolist()
    [0, 1]
    """
    from .clean import split_paragraphs

    rows = [(d, i, p) for d, t in zip(doc_ids, texts) for i, p in enumerate(split_paragraphs(t))]
    return pd.DataFrame(rows, columns=["doc_id", "paragraph", "text"])


#: a median above this many paragraphs per document means documents hold several stories: the 90th percentile of
#: paragraphs per story in the CCTV story slices of ``data/`` (11 in xwlb_sections_2019, 15 in xwlb_poverty_sample)
MANY_PARAGRAPHS = 15


def paragraph_ranking_note(paragraphs: pd.DataFrame, results: pd.DataFrame) -> str:
    """A sentence saying to read the paragraph ranking when documents hold many paragraphs ("" otherwise).

    A query matching one story of a long multi-story document (a day's bulletin in one file) shares few words
    with the whole document, so document scores are diluted; its paragraphs are not. The sentence gives the median
    paragraphs per document (:data:`MANY_PARAGRAPHS`) and, per method, the best document and paragraph scores.

    Parameters
    ----------
    paragraphs : pandas.DataFrame
        :func:`paragraph_table` of the documents.
    results : pandas.DataFrame
        :func:`query_results` of the query.

    Returns
    -------
    str
    """
    median = float(paragraphs.groupby("doc_id").size().median()) if len(paragraphs) else 0.0
    if median <= MANY_PARAGRAPHS:
        return ""
    best = results.groupby(["method", "level"])["score"].max()
    scores = [
        f"{m}: best document {best[(m, 'document')]:.3f}, best paragraph {best[(m, 'paragraph')]:.3f}"
        for m in dict.fromkeys(results["method"])
        if (m, "document") in best and (m, "paragraph") in best
    ]
    measured = f" ({'; '.join(scores)})" if scores else ""
    return (
        f"**Read the paragraph ranking here.** The median document holds {median:g} paragraphs, more than "
        f"{MANY_PARAGRAPHS} (a single news story rarely has more): documents hold several stories, so a query that "
        f"matches one of them is diluted by the rest of its document{measured}, and the document ranking says "
        "little; each paragraph hit names its document."
    )


#: columns of :func:`query_results`
QUERY_COLUMNS = ["level", "method", "rank", "doc_id", "paragraph", "score", "snippet"]
#: characters of a paragraph shown in the ``snippet`` of :func:`query_results`
SNIPPET_CHARS = 80


def query_results(
    index: SimilarityIndex,
    query_tokens: Sequence[str],
    paragraphs: pd.DataFrame,
    paragraph_tokens: Sequence[Sequence[str]],
    *,
    k: int = 5,
    methods: Sequence[str] = ("tfidf", "lsi"),
) -> pd.DataFrame:
    """The documents and the paragraphs most similar to a query, by each method.

    Parameters
    ----------
    index : SimilarityIndex
        The fitted index of the documents.
    query_tokens : sequence of str
        The tokenised query; an empty query gives an empty table.
    paragraphs : pandas.DataFrame
        :func:`paragraph_table` of the documents.
    paragraph_tokens : sequence of sequence of str
        The paragraphs' tokens, in the same order.
    k : int
        Documents and paragraphs per method.
    methods : sequence of str
        Methods of the index to rank by.

    Returns
    -------
    pandas.DataFrame
        :data:`QUERY_COLUMNS`: ``level`` (document or paragraph), ``method``, ``rank`` (from 1), ``doc_id``,
        ``paragraph`` (its number in the text; for a document, its paragraph most similar to the query by the same
        method), ``score`` and a ``snippet`` (the start of that paragraph: what matched, not the document's first
        line).
    """
    results = []
    for method in methods if query_tokens else ():
        ranked = rank_texts(index, query_tokens, paragraph_tokens, k=len(paragraph_tokens), method=method)
        ranked = paragraphs.iloc[ranked["position"]].assign(score=ranked["score"].to_numpy()).reset_index(drop=True)
        ranked["snippet"] = ranked["text"].str.slice(0, SNIPPET_CHARS)
        best = ranked.assign(doc_id=ranked["doc_id"].astype(str)).drop_duplicates("doc_id").set_index("doc_id")
        hits = index.query_tokens(query_tokens, k=k, method=method)
        of_doc = best.reindex(hits["doc_id"].astype(str))
        results.append(
            hits.assign(
                level="document", paragraph=of_doc["paragraph"].to_numpy(), snippet=of_doc["snippet"].to_numpy()
            )
        )
        top = ranked.head(k)
        results.append(top.assign(rank=np.arange(1, len(top) + 1), method=method, level="paragraph"))
    if not results:
        return pd.DataFrame(columns=QUERY_COLUMNS)
    table = pd.concat([r[QUERY_COLUMNS] for r in results], ignore_index=True)
    return table.astype({"paragraph": "Int64"})
