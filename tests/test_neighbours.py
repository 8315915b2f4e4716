"""Tests of helpers.neighbours on real text: the labelled news slice and the two xwlb slices of data/.

The approximate path's settings (APPROXIMATE_MIN_DOCS, the HNSW parameters) were measured on the benchmark workload
(benchmarks/bench_neighbours.py); the recall here is measured on the LSI rows of data/'s slices, never tuned on.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from helpers import neighbours as nb
from helpers.corpus import load_corpus
from helpers.similarity import _bc_to_similarity, fit_lsi, fit_tfidf
from helpers.tokenize import tokenize_corpus

SLICES = ("cnews_sample", "xwlb_poverty_sample", "xwlb_dated_heldout")


@pytest.fixture(scope="module")
def tokens(data_dir):
    """Tokens of the 740 documents of data/'s three slices."""
    texts = [t for name in SLICES for t in load_corpus(data_dir / name / f"{name}.jsonl").docs["text"]]
    return tokenize_corpus(texts, n_jobs=1)


@pytest.fixture(scope="module")
def tfidf(tokens):
    """TF-IDF rows (notebook 04's settings) of the real documents, plus copies of five of them and an empty row
    (ties at every place, and a document that shares no word with any other)."""
    _, X = fit_tfidf(tokens)
    empty = sp.csr_matrix((1, X.shape[1]), dtype=X.dtype)
    return sp.vstack([X, X[:5], X[:5], X[:5], empty]).tocsr()


def _brute_force(V, k: int, exclude_self: bool = True, transform=None):
    """Every row's full similarity row, sorted by (-score, index): the definition the search must meet."""
    S = V @ V.T
    S = S.toarray() if sp.issparse(S) else np.asarray(S)
    S = transform(S.astype(np.float64)) if transform is not None else S
    if exclude_self:
        np.fill_diagonal(S, -np.inf)
    cols = np.broadcast_to(np.arange(S.shape[1]), S.shape)
    order = np.lexsort((cols, -S), axis=1)[:, :k]
    return order, np.take_along_axis(S, order, axis=1).astype(np.float64)


@pytest.mark.parametrize("k", [1, 10, 30])
def test_sparse_search_is_the_full_sort_on_real_news(tfidf, k):
    ref_idx, ref_scores = _brute_force(tfidf, k)
    for block_size, threads in ((7, 1), (5000, 2)):
        found = nb.nearest_neighbours(tfidf, k=k, block_size=block_size, n_threads=threads)
        assert found.method == nb.EXACT_SPARSE and found.engine.startswith("sparse_dot_topn")
        np.testing.assert_array_equal(found.indices, ref_idx)
        np.testing.assert_allclose(found.scores, ref_scores, rtol=0, atol=1e-9)
        assert found.scores.dtype == np.float64
    # document 0 and its three copies (rows 740, 745, 750) are each other's first neighbours, lower index first
    assert found.indices[740][:3].tolist() == [0, 745, 750][:k]
    assert found.indices[0][:3].tolist() == [740, 745, 750][:k]
    assert not (found.indices == np.arange(tfidf.shape[0])[:, None]).any()
    assert found.indices[-1].tolist() == list(range(k)) and (found.scores[-1] == 0).all()  # the empty row


def test_sparse_search_with_self_included(tfidf):
    ref_idx, ref_scores = _brute_force(tfidf, 6, exclude_self=False)
    found = nb.nearest_neighbours(tfidf, k=6, exclude_self=False, block_size=100)
    np.testing.assert_array_equal(found.indices, ref_idx)
    np.testing.assert_array_equal(found.scores, ref_scores)


def test_transform_takes_the_exact_dense_path(tfidf):
    theta = np.random.default_rng(0).dirichlet(np.full(8, 0.3), size=tfidf.shape[0])
    V = np.sqrt(theta)
    found = nb.nearest_neighbours(V, k=5, transform=_bc_to_similarity, block_size=13)
    ref_idx, ref_scores = _brute_force(V, 5, transform=_bc_to_similarity)
    assert found.method == nb.EXACT_DENSE and found.recall == 1.0
    np.testing.assert_array_equal(found.indices, ref_idx)
    np.testing.assert_allclose(found.scores, ref_scores, rtol=0, atol=1e-12)
    with pytest.raises(ValueError, match="transform"):
        nb.nearest_neighbours(V, k=5, transform=_bc_to_similarity, approximate=True)


def test_search_method_follows_the_size_threshold():
    rng = np.random.default_rng(0)
    small = rng.normal(size=(50, 4))
    small /= np.linalg.norm(small, axis=1, keepdims=True)
    large = np.resize(small, (nb.APPROXIMATE_MIN_DOCS, 4))
    assert nb.search_method(small) == nb.EXACT_DENSE
    assert nb.search_method(large) == nb.APPROXIMATE
    assert nb.search_method(large, approximate=False) == nb.EXACT_DENSE
    assert nb.search_method(large * 2.0) == nb.EXACT_DENSE  # not unit length: a cosine index would rank otherwise
    assert nb.search_method(sp.csr_matrix(large)) == nb.EXACT_SPARSE
    with pytest.raises(ValueError, match="unit length"):
        nb.search_method(small * 2.0, approximate=True)


@pytest.fixture(scope="module")
def lsi(tokens):
    """LSI rows (50 dimensions, of word TF-IDF) of the real documents, and noisy copies of them: 4 x 740 rows."""
    _, Z = fit_lsi(fit_tfidf(tokens, bigrams=False)[1], n_components=50, seed=0)
    rng = np.random.default_rng(1)
    noisy = [Z + rng.normal(0, 0.03, Z.shape) for _ in range(3)]
    V = np.vstack([Z, *noisy])
    norms = np.linalg.norm(V, axis=1, keepdims=True)
    return V / np.where(norms == 0, 1, norms)


def test_approximate_search_recall_against_exact_search(lsi):
    exact = nb.nearest_neighbours(lsi, k=10, approximate=False)
    found = nb.nearest_neighbours(lsi, k=10, approximate=True, seed=0)
    assert found.method == nb.APPROXIMATE and "recall" in found.describe()
    full_recall = float((found.scores >= exact.scores[:, -1:] - 1e-12).mean())
    assert full_recall >= nb.APPROXIMATE_MIN_RECALL
    assert abs(found.recall - full_recall) < 0.05  # the sample's estimate is what a report prints
    # scores are exact dot products of the pairs found, ordered by (-score, index)
    dots = np.einsum("ij,ikj->ik", lsi, lsi[found.indices])
    np.testing.assert_allclose(found.scores, dots, rtol=0, atol=1e-12)
    assert (np.diff(found.scores, axis=1) <= 0).all()
    again = nb.nearest_neighbours(lsi, k=10, approximate=True, seed=0)  # one thread, fixed seed: the same graph
    np.testing.assert_array_equal(again.indices, found.indices)
    np.testing.assert_array_equal(again.scores, found.scores)


def test_sample_recall_counts_missed_neighbours(lsi):
    exact = nb.nearest_neighbours(lsi, k=5, approximate=False)
    worse = exact.indices.copy()
    worse[:, -1] = exact.indices[:, -1] + 1  # one of five neighbours replaced (mostly by a worse one)
    assert nb.sample_recall(lsi, exact.indices, rows=len(lsi)) == 1.0
    assert 0.8 <= nb.sample_recall(lsi, np.minimum(worse, len(lsi) - 1), rows=len(lsi)) < 0.95


def test_search_threads_is_within_the_machine():
    from helpers.tokenize import free_cores

    assert 1 <= nb.search_threads() <= free_cores()[0]


def test_benchmark_peers_find_the_same_neighbours(tfidf):
    """benchmarks/bench_neighbours.py times the same task in each engine: the same top-k scores (self left out)."""
    import sys

    from helpers.paths import PROJECT_ROOT

    if str(PROJECT_ROOT) not in sys.path:  # benchmarks/ is not part of the installed package
        sys.path.insert(0, str(PROJECT_ROOT))
    from benchmarks.bench_neighbours import K, search

    X = tfidf[:300]
    ours = nb.nearest_neighbours(X, k=K).scores
    sklearn_idx = search("sklearn", X, 1)
    topn = search("sparse_dot_topn", X, 1).toarray()
    S = (X @ X.T).toarray().astype(np.float64)
    for row in range(X.shape[0]):
        others = [j for j in sklearn_idx[row] if j != row][:K]
        np.testing.assert_allclose(np.sort(S[row, others])[::-1], ours[row], atol=1e-6)
        topn[row, row] = 0
        np.testing.assert_allclose(np.sort(topn[row])[::-1][:K], ours[row], atol=1e-6)
