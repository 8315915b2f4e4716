"""Document similarity: TF-IDF cosine, LSI cosine and LDA topic similarity (Hellinger), top-k neighbours, query.

Every representation is a matrix whose rows are documents and whose row-wise dot product is the similarity:

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
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = [
    "METHODS",
    "SimilarityIndex",
    "fit_tfidf",
    "fit_lsi",
    "fit_lda",
    "hellinger_similarity",
    "top_k_neighbours",
    "neighbours_table",
    "similarity_matrix",
    "most_similar_pairs",
    "precision_at_k",
    "map_2d",
    "load_doc_topics",
    "rank_texts",
    "short_labels",
    "central_document",
    "first_sentence",
    "evaluate_precision_at_k",
    "baseline_tfidf_neighbours",
    "plot_similarity_heatmap",
    "plot_dendrogram",
    "plot_map",
]

METHODS: tuple[str, ...] = ("tfidf", "lsi", "lda")


def _identity(tokens):
    return list(tokens)


def _with_bigrams(tokens):
    tokens = list(tokens)
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


def fit_tfidf(
    token_lists: Sequence[Sequence[str]],
    *,
    bigrams: bool = True,
    min_df: int = 1,
    max_df: float = 0.5,
    sublinear_tf: bool = True,
):
    """Fit a TF-IDF model on pre-tokenised documents; return ``(vectorizer, X)`` with L2-normalised rows.

    Parameters
    ----------
    token_lists : one list of tokens per document (from :func:`helpers.tokenize.tokenize_corpus`).
    bigrams : add adjacent-token bigrams as features (they help on news: 国家队 + 比赛 vs 脱贫 + 攻坚).
    min_df, max_df : document-frequency limits (``max_df`` as a share is ignored for fewer than 10 documents,
        where it would remove most of the vocabulary).
    sublinear_tf : use ``1 + log(tf)``; long documents then do not dominate through repeated words.

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
        min_df=min_df if n >= 10 else 1,
        max_df=max_df if n >= 10 else 1.0,
        norm="l2",
        dtype=np.float32,
    )
    X = vec.fit_transform([list(t) for t in token_lists])
    return vec, X.tocsr()


def fit_lsi(X: sp.spmatrix, *, n_components: int = 200, seed: int = 0):
    """Latent semantic indexing: truncated SVD of a TF-IDF matrix; return ``(svd, Z)`` with unit rows.

    ``n_components`` is capped at ``min(n_docs, n_terms) - 1`` so that tiny corpora work.

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


def fit_lda(
    token_lists: Sequence[Sequence[str]],
    *,
    num_topics: int = 20,
    seed: int = 0,
    passes: int = 10,
    no_below: int = 2,
    no_above: float = 0.5,
):
    """Fit a gensim ``LdaModel`` (reproducible with ``random_state``); return ``(model, dictionary, theta)``.

    ``theta`` is the dense documents x topics matrix of topic proportions (rows sum to 1). The vocabulary is
    filtered (``no_below`` documents, ``no_above`` share) only when there are at least 20 documents.

    >>> model, dct, theta = fit_lda([["扶贫", "产业"], ["足球", "比赛"]] * 5, num_topics=2, passes=2)
    >>> theta.shape
    (10, 2)
    """
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel

    dct = Dictionary(token_lists)
    if len(token_lists) >= 20:
        dct.filter_extremes(no_below=no_below, no_above=no_above, keep_n=50000)
    bows = [dct.doc2bow(t) for t in token_lists]
    k = max(2, min(num_topics, len(token_lists)))
    model = LdaModel(
        bows,
        id2word=dct,
        num_topics=k,
        random_state=seed,
        passes=passes,
        iterations=100,
        alpha="auto",
        eta="auto",
        minimum_probability=0.0,
    )
    theta = _lda_theta(model, bows)
    return model, dct, theta


def _lda_theta(model, bows) -> np.ndarray:
    model.random_state = np.random.RandomState(0)  # inference draws from the model's state: reset it
    theta = np.zeros((len(bows), model.num_topics), dtype=np.float64)
    for i, bow in enumerate(bows):
        for t, p in model.get_document_topics(bow, minimum_probability=0.0):
            theta[i, t] = p
    s = theta.sum(axis=1, keepdims=True)
    s[s == 0] = 1.0
    return theta / s


def hellinger_similarity(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``1 - Hellinger(p, q)`` for rows of topic distributions (broadcasting), in [0, 1].

    >>> float(hellinger_similarity(np.array([0.5, 0.5]), np.array([0.5, 0.5])))
    1.0
    >>> float(hellinger_similarity(np.array([1.0, 0.0]), np.array([0.0, 1.0])))
    0.0
    """
    bc = np.sum(np.sqrt(p) * np.sqrt(q), axis=-1)
    return 1.0 - np.sqrt(np.clip(1.0 - bc, 0.0, 1.0))


def _bc_to_similarity(bc: np.ndarray) -> np.ndarray:
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

    Parameters
    ----------
    V : documents x features, sparse or dense, rows scaled so that the dot product is the similarity.
    k : neighbours per document (capped at ``n - 1``).
    block_size : rows per block; memory is ``block_size x n`` cells (in the product's own precision: float32 for
        the float32 TF-IDF rows), never ``n x n``; the top ``k`` are selected in chunks of ~4 M cells.
    exclude_self : do not return a document as its own neighbour.
    transform : optional function applied to the block of dot products (e.g. Bhattacharyya -> 1 - Hellinger).

    Returns
    -------
    (indices, scores) : two ``n x k`` arrays, best first (ties broken by the lower index, also at the ``k``-th
        place); scores as float64.

    >>> V = np.eye(3)[[0, 0, 1]]
    >>> top_k_neighbours(V, k=1)[0].ravel().tolist()
    [1, 0, 0]
    """
    n = V.shape[0]
    k = max(0, min(k, n - 1 if exclude_self else n))
    idx = np.zeros((n, k), dtype=np.int64)
    scores = np.zeros((n, k), dtype=np.float64)
    if k == 0:
        return idx, scores
    # rows of V.T in CSR: the sparse product then needs no conversion per block (same sums in the same order)
    VT = V.T.tocsr() if sp.issparse(V) else np.asarray(V).T
    for start in range(0, n, block_size):
        stop = min(n, start + block_size)
        S = _dense(V[start:stop] @ VT)
        if transform is not None or S.dtype not in (np.float32, np.float64):
            S = S.astype(np.float64)  # float32 products are ranked as they are: casting them changes no order
        if transform is not None:
            S = transform(S)
        if exclude_self:
            S[np.arange(stop - start), np.arange(start, stop)] = -np.inf
        # select in chunks of rows, so that argpartition's index array stays small (<= ~4 M cells)
        step = max(1, (1 << 22) // max(1, n))
        for lo in range(0, stop - start, step):
            hi = min(stop - start, lo + step)
            i, s = _top_k_rows(S[lo:hi], k)
            idx[start + lo : start + hi] = i
            scores[start + lo : start + hi] = s
    return idx, scores


def _top_k_rows(S: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and values of the ``k`` largest values of each row, best first; ties by the lower index.

    Ties at the ``k``-th place are resolved the same way (the lowest indices among the tied values are kept).
    """
    rows, m = S.shape
    if k < m:
        part = np.argpartition(S, m - k, axis=1)[:, m - k :]
        part_scores = np.take_along_axis(S, part, axis=1)
        kth = part_scores.min(axis=1)
        # more values tied with the k-th best than places left: keep the lowest indices among them
        for r in np.flatnonzero(np.count_nonzero(S >= kth[:, None], axis=1) > k):
            above = np.flatnonzero(S[r] > kth[r])
            tied = np.flatnonzero(S[r] == kth[r])[: k - len(above)]
            part[r] = np.concatenate([above, tied])
            part_scores[r] = S[r, part[r]]
    else:
        part = np.tile(np.arange(m), (rows, 1))
        part_scores = S.copy()
    order = np.lexsort((part, -part_scores), axis=1)
    return np.take_along_axis(part, order, axis=1), np.take_along_axis(part_scores, order, axis=1)


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


def precision_at_k(indices: np.ndarray, labels: Sequence, *, k: int = 5) -> float:
    """Mean share of each document's ``k`` nearest neighbours that carry the document's label.

    >>> precision_at_k(np.array([[1], [0], [1]]), ["x", "x", "y"], k=1)
    0.6666666666666666
    """
    lab = np.asarray(list(labels), dtype=object)
    nn = indices[:, :k]
    if nn.size == 0:
        return float("nan")
    return float(np.mean(lab[nn] == lab[:, None]))


@dataclass
class SimilarityIndex:
    """TF-IDF, LSI and LDA representations of a corpus, with neighbour search and text queries.

    Build it with :meth:`fit`. ``vectors[method]`` holds the row-scaled matrices (see the module docstring).
    """

    doc_ids: list
    vectorizer: object
    vectors: dict = field(default_factory=dict)
    svd: object | None = None
    lda: object | None = None
    lda_dictionary: object | None = None
    theta: np.ndarray | None = None

    @classmethod
    def fit(
        cls,
        token_lists: Sequence[Sequence[str]],
        *,
        doc_ids: Sequence | None = None,
        methods: Sequence[str] = METHODS,
        lsi_components: int = 200,
        lda_topics: int = 20,
        lda_passes: int = 10,
        bigrams: bool = True,
        seed: int = 0,
        lda_model=None,
        lda_dictionary=None,
        lda_theta: np.ndarray | None = None,
    ) -> SimilarityIndex:
        """Fit the requested representations.

        Parameters
        ----------
        token_lists : tokens per document.
        doc_ids : identifiers (default ``0..n-1``).
        methods : any of ``"tfidf"``, ``"lsi"``, ``"lda"``.
        lsi_components : LSI dimensions (capped for small corpora).
        lda_topics, lda_passes : settings of the LDA fitted here when ``lda_model`` is not given.
        lda_model, lda_dictionary : an already fitted gensim ``LdaModel`` and its ``Dictionary`` (e.g. from the
            topic-model notebook) to use instead of fitting one.
        lda_theta : documents x topics proportions computed elsewhere (e.g. notebook 03's ``doc_topics.csv``, see
            :func:`load_doc_topics`); used as they are (queries by ``lda`` then need ``lda_model``).
        """
        unknown = set(methods) - set(METHODS)
        if unknown:
            raise ValueError(f"unknown similarity methods {sorted(unknown)}; choose from {METHODS}")
        ids = list(doc_ids) if doc_ids is not None else list(range(len(token_lists)))
        if len(ids) != len(token_lists):
            raise ValueError(f"{len(ids)} doc_ids for {len(token_lists)} documents")
        vec, X = fit_tfidf(token_lists, bigrams=bigrams)
        index = cls(doc_ids=ids, vectorizer=vec)
        if "tfidf" in methods:
            index.vectors["tfidf"] = X
        if "lsi" in methods:
            index.svd, index.vectors["lsi"] = fit_lsi(X, n_components=lsi_components, seed=seed)
        if "lda" in methods:
            if lda_theta is not None:
                if lda_theta.shape[0] != len(ids):
                    raise ValueError(f"lda_theta has {lda_theta.shape[0]} rows for {len(ids)} documents")
                index.theta = np.asarray(lda_theta, dtype=np.float64)
            elif lda_model is not None:
                if lda_dictionary is None:
                    raise ValueError("lda_model given without its lda_dictionary")
                index.lda, index.lda_dictionary = lda_model, lda_dictionary
                index.theta = _lda_theta(lda_model, [lda_dictionary.doc2bow(t) for t in token_lists])
            else:
                index.lda, index.lda_dictionary, index.theta = fit_lda(
                    token_lists, num_topics=lda_topics, seed=seed, passes=lda_passes
                )
            index.vectors["lda"] = np.sqrt(index.theta)
        return index

    @property
    def methods(self) -> list[str]:
        return list(self.vectors)

    def _transform(self, method: str):
        return _bc_to_similarity if method == "lda" else None

    def neighbours(self, method: str, *, k: int = 5, block_size: int = 1000):
        """``(indices, scores)`` of each document's ``k`` nearest neighbours by ``method``."""
        return top_k_neighbours(self.vectors[method], k=k, block_size=block_size, transform=self._transform(method))

    def similar_pairs(self, *, k: int = 5) -> pd.DataFrame:
        """Every document's ``k`` nearest neighbours by every method: ``doc_a, doc_b, method, rank, score``."""
        tables = [neighbours_table(self.doc_ids, *self.neighbours(m, k=k), method=m) for m in self.methods]
        return pd.concat(tables, ignore_index=True)

    def matrix(self, method: str) -> np.ndarray:
        """The dense similarity matrix by ``method`` (small corpora only)."""
        return similarity_matrix(self.vectors[method], transform=self._transform(method))

    def embed_tokens(self, token_lists: Sequence[Sequence[str]], method: str):
        """Represent new tokenised texts (queries, paragraphs) in the space of ``method``."""
        X = self.vectorizer.transform([list(t) for t in token_lists])
        if method == "tfidf":
            return X.tocsr()
        if method == "lsi":
            return _unit_rows(self.svd.transform(X))
        if method == "lda":
            if self.lda is None:
                raise ValueError("no LDA model to place new texts in (the topic proportions were given as a matrix)")
            return np.sqrt(_lda_theta(self.lda, [self.lda_dictionary.doc2bow(t) for t in token_lists]))
        raise ValueError(f"unknown method {method!r}")

    def query_tokens(self, tokens: Sequence[str], *, k: int = 10, method: str | None = None) -> pd.DataFrame:
        """Documents most similar to one tokenised query: ``rank, doc_id, score`` (best first).

        ``method`` defaults to ``"lsi"`` when fitted, else ``"tfidf"``.
        """
        method = method or ("lsi" if "lsi" in self.vectors else "tfidf")
        q = self.embed_tokens([tokens], method)
        s = _dense(self.vectors[method] @ (q.T if not sp.issparse(q) else q.T)).ravel().astype(np.float64)
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


def similarity_matrix(V, *, transform=None) -> np.ndarray:
    """The dense ``n x n`` similarity matrix ``V @ V.T`` (for small corpora: heatmaps, dendrograms).

    Raises ``ValueError`` above 5,000 documents; use :func:`top_k_neighbours` there.

    >>> similarity_matrix(np.eye(2)).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    if V.shape[0] > 5000:
        raise ValueError(f"similarity_matrix: {V.shape[0]} documents is too many for a dense matrix")
    S = _dense(V @ V.T).astype(np.float64)
    if transform is not None:
        S = transform(S)
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


def map_2d(V, *, seed: int = 0) -> np.ndarray:
    """2-D coordinates of the documents for a map: PCA under 50 or over 5,000 documents, t-SNE (cosine) between.

    >>> map_2d(np.eye(4)).shape
    (4, 2)
    """
    Z = _dense(V).astype(np.float64)
    n = Z.shape[0]
    if n < 3:
        return np.column_stack([np.arange(n, dtype=float), np.zeros(n)])
    if n < 50 or n > 5000:
        from sklearn.decomposition import PCA

        return PCA(n_components=2, random_state=seed).fit_transform(Z)
    from sklearn.manifold import TSNE

    return TSNE(
        n_components=2, perplexity=min(30.0, (n - 1) / 3), init="pca", metric="cosine", random_state=seed, max_iter=750
    ).fit_transform(Z)


def load_doc_topics(path: str | os.PathLike[str], doc_ids: Sequence) -> np.ndarray:
    """Topic proportions read from a ``doc_topics.csv`` (``doc_id, topic, weight``, as notebook 03 writes it), in
    ``doc_ids`` order; rows are normalised to sum to 1.

    The file must describe exactly these documents: another corpus, another ``id_column`` or a table left over
    from an older run is an error, never silently used or ignored.

    Raises
    ------
    FileNotFoundError : the file does not exist.
    ValueError : the columns are missing, a weight is not a finite number >= 0, or the file's ``doc_id`` set
        differs from ``doc_ids`` (the message counts and shows some of the ids missing on each side).

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
    table = pd.read_csv(path, dtype={"doc_id": str})
    missing_cols = {"doc_id", "topic", "weight"} - set(table.columns)
    if missing_cols:
        raise ValueError(
            f"{path}: not a doc_topics table: columns {sorted(missing_cols)} missing "
            f"(it has {list(table.columns)}; expected doc_id, topic, weight)"
        )
    weights = pd.to_numeric(table["weight"], errors="coerce")
    bad = ~np.isfinite(weights) | (weights < 0)
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
    s[s == 0] = 1.0
    return theta / s


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
    """Short display labels: the title, else the start of the text, cut to ``width`` characters.

    >>> short_labels([None, "脱贫攻坚取得决定性成就"], ["各地扎实推进工作", ""], width=6)
    ['各地扎实推进…', '脱贫攻坚取得…']
    """
    out = []
    for title, text in zip(titles, texts):
        t = title if isinstance(title, str) and title.strip() else (text or "").replace("\n", " ")
        t = t.strip()
        out.append(t if len(t) <= width else t[:width] + "…")
    return out


def central_document(pairs: pd.DataFrame, doc_ids: Sequence, *, method: str = "tfidf") -> str:
    """The most central document: the highest mean similarity to its nearest neighbours in ``pairs``.

    ``pairs`` is :meth:`SimilarityIndex.similar_pairs` (``doc_a, doc_b, method, score``); ties go to the document
    that comes first in ``doc_ids``, and a corpus without pairs (one document) gives its first document.

    >>> pairs = pd.DataFrame({"doc_a": ["a", "b", "c"], "doc_b": ["b", "a", "a"], "method": "tfidf",
    ...                       "score": [0.2, 0.2, 0.1]})
    >>> central_document(pairs, ["c", "b", "a"])
    'b'
    """
    ids = [str(i) for i in doc_ids]
    if not ids:
        raise ValueError("no documents")
    rows = pairs[pairs["method"] == method]
    if not len(rows):
        return ids[0]
    mean = rows.assign(doc_a=rows["doc_a"].astype(str)).groupby("doc_a")["score"].mean()
    best = mean.max()
    return next(i for i in ids if mean.get(i, -np.inf) == best)


_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|\n")


def first_sentence(text: str, *, min_chars: int = 10, max_chars: int = 100) -> str:
    """The first sentence of a text with at least ``min_chars`` characters (a date or byline line is skipped),
    cut to ``max_chars``; the start of the text when no sentence is that long.

    >>> first_sentence("2020年5月1日\\n各地扎实推进春耕生产，粮食播种面积稳定。农民收入增长。")
    '各地扎实推进春耕生产，粮食播种面积稳定。'
    """
    parts = [p.strip() for p in _SENTENCE_END.split(text or "")]
    found = next((p for p in parts if len(p) >= min_chars), (text or "").strip())
    return found[:max_chars]


def evaluate_precision_at_k(index: SimilarityIndex, labels: Sequence, *, k: int = 5) -> pd.DataFrame:
    """Precision at ``k`` of every method of a fitted index against document labels: ``method, precision_at_k``."""
    rows = [
        {"method": m, f"precision_at_{k}": precision_at_k(index.neighbours(m, k=k)[0], labels, k=k)}
        for m in index.methods
    ]
    return pd.DataFrame(rows)


def baseline_tfidf_neighbours(texts: Sequence[str], *, k: int = 5):
    """The reference baseline: plain TF-IDF cosine on ``jieba.lcut`` tokens (default dictionary, no stopwords).

    Uses :func:`helpers.tokenize.baseline_jieba` (the segmentation of ``jieba.lcut``, no cache file) and
    scikit-learn's default ``TfidfVectorizer`` settings; returns ``top_k_neighbours`` output.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    from .tokenize import baseline_jieba

    tk = baseline_jieba()
    X = TfidfVectorizer(tokenizer=tk.lcut, token_pattern=None, lowercase=False).fit_transform(list(texts))
    return top_k_neighbours(X, k=k)


def plot_similarity_heatmap(S: np.ndarray, labels: Sequence[str], *, title: str, ax=None):
    """A heatmap of a small similarity matrix with (Chinese) labels on both axes; returns the figure."""
    import matplotlib.pyplot as plt

    n = len(labels)
    if ax is None:
        size = max(4.0, min(14.0, 0.32 * n + 2.5))
        fig, ax = plt.subplots(figsize=(size + 1.2, size))
    else:
        fig = ax.figure
    im = ax.imshow(S, vmin=0, vmax=1, cmap="viridis")
    ax.set_xticks(range(n), labels, rotation=90, fontsize=8 if n > 15 else 10)
    ax.set_yticks(range(n), labels, fontsize=8 if n > 15 else 10)
    if n <= 12:
        for i in range(n):
            for j in range(n):
                ax.text(
                    j,
                    i,
                    f"{S[i, j]:.2f}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if S[i, j] < 0.6 else "black",
                )
    fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04, label="similarity")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_dendrogram(S: np.ndarray, labels: Sequence[str], *, title: str):
    """Average-linkage dendrogram on the distance ``1 - similarity``; returns the figure."""
    import matplotlib.pyplot as plt
    from scipy.cluster.hierarchy import dendrogram, linkage
    from scipy.spatial.distance import squareform

    D = 1.0 - np.clip(S, 0.0, 1.0)
    D = (D + D.T) / 2
    np.fill_diagonal(D, 0.0)
    Z = linkage(squareform(D, checks=False), method="average")
    fig, ax = plt.subplots(figsize=(8, max(3.0, 0.28 * len(labels) + 1)))
    dendrogram(Z, labels=list(labels), orientation="right", ax=ax, color_threshold=0.7 * Z[:, 2].max())
    ax.set_xlabel("distance (1 - similarity), average linkage")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_map(
    xy: np.ndarray,
    *,
    groups: Sequence | None = None,
    labels: Sequence[str] | None = None,
    title: str,
    group_name: str = "group",
):
    """Scatter plot of a 2-D document map, coloured by ``groups``, with text labels for small corpora."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 6.5))
    if groups is None:
        ax.scatter(xy[:, 0], xy[:, 1], s=18, alpha=0.8)
    else:
        g = pd.Series(list(groups), dtype=str)
        for name in sorted(
            g.unique(), key=lambda v: [(0, int(t)) if t.isdigit() else (1, t) for t in re.split(r"(\d+)", v)]
        ):
            m = (g == name).to_numpy()
            ax.scatter(xy[m, 0], xy[m, 1], s=18, alpha=0.8, label=name)
        if g.nunique() <= 20:
            ax.legend(title=group_name, fontsize=8, markerscale=1.5, loc="best")
    if labels is not None and len(xy) <= 40:
        for (x, y), lab in zip(xy, labels):
            ax.annotate(lab, (x, y), fontsize=8, xytext=(3, 3), textcoords="offset points")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title)
    fig.tight_layout()
    return fig
