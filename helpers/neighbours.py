"""Each document's nearest neighbours by dot product: exact for sparse rows, exact or approximate for dense rows.

Rows are scaled so that the dot product of two rows is their similarity (TF-IDF and LSI rows have unit length, so
it is the cosine; see :mod:`helpers.similarity`). Three paths, chosen by :func:`search_method`:

- **exact sparse** (TF-IDF): ``sparse_dot_topn.sp_matmul_topn`` multiplies a block of rows by all rows and keeps
  only the best ``k + 2`` of each row while it multiplies, on the free cores (:func:`search_threads`), so memory
  is the blocks' ``k + 2`` best cells, never an N x N matrix. A row whose ``k``-th best score is tied with cells the
  product left out, or that has fewer than ``k`` positive scores, is recomputed exactly, so ties go to the lower
  index as on the dense path;
- **exact dense** (LSI, or any rows with a ``transform`` such as the Hellinger similarity of LDA topics): blocks of
  dot products (NumPy/BLAS) of at most :data:`DENSE_BLOCK_CELLS` cells, the top ``k`` of each row selected;
- **approximate** (unit-length dense rows from :data:`APPROXIMATE_MIN_DOCS` documents on): a hierarchical
  navigable small-world graph (``hnswlib``, fixed ``random_seed``, built on one thread, so the same graph on every
  run of a machine; its float32 distances use the CPU's vector instructions, so another kind of CPU may find a
  few other neighbours, with the same recall). The scores of the neighbours found are exact dot products, and
  the share of the true top ``k`` found (recall) is measured on :data:`RECALL_SAMPLE_ROWS` rows against exact
  search and returned with the result. pynndescent 0.7.0 was measured too (as accurate, deterministic on one
  thread with a fixed seed, but its numba code compiles for 2-3 minutes in every new process).

Every path orders neighbours by score, best first, ties by the lower index, and returns float64 scores.

>>> import numpy as np
>>> V = np.eye(3)[[0, 0, 1]]
>>> nb = nearest_neighbours(V, k=1)
>>> nb.indices.ravel().tolist(), nb.method
([1, 0, 0], 'exact dense')

References
----------
Malkov & Yashunin, "Efficient and robust approximate nearest neighbor search using Hierarchical Navigable Small
World graphs", *IEEE TPAMI* 42 (2020): HNSW, as implemented by hnswlib.
"""

from __future__ import annotations

import importlib.util
import warnings
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

__all__ = [
    "EXACT_SPARSE",
    "EXACT_DENSE",
    "APPROXIMATE",
    "APPROXIMATE_MIN_DOCS",
    "APPROXIMATE_MIN_RECALL",
    "Neighbours",
    "nearest_neighbours",
    "search_method",
    "search_threads",
    "top_k_rows",
    "sample_recall",
]

EXACT_SPARSE, EXACT_DENSE, APPROXIMATE = "exact sparse", "exact dense", "approximate"
#: rows per ``sp_matmul_topn`` call: its output is ``rows x (k + 2)`` cells and each thread keeps one accumulator
#: of N cells, so memory stays small; fewer, larger calls pay the threads' start-up less often
SPARSE_BLOCK_ROWS = 5000
#: cells of one block of dense dot products (float64: 128 MB), whatever the number of documents
DENSE_BLOCK_CELLS = 1 << 24
#: cells per call of the top-k selection (``argpartition`` keeps an index array of this size)
SELECT_CELLS = 1 << 22
#: from this many documents on, unit-length dense rows are searched approximately (``approximate=None``):
#: measured on 200-dimensional LSI rows of the benchmark workload's news (and noisy copies), exact blocks and
#: the HNSW graph (build and queries) took about the same time at 20,000 rows (exact 1.4x faster at 10,000, 1.3x
#: slower at 40,000); exact search grows as N^2
APPROXIMATE_MIN_DOCS = 20_000
#: links per node and breadth of the search while building the HNSW graph, and breadth of each query: hnswlib's
#: recommended values (M 16, ef_construction 100-200); on news LSI rows they find more than 99 % of the true top 10
HNSW_M, HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH = 16, 100, 100
#: rows on which the recall of an approximate search is measured against exact search (standard error of the
#: recall about 0.005 at k = 10 and recall 0.95)
RECALL_SAMPLE_ROWS = 200
#: an approximate search whose measured recall is lower than this warns (HNSW found more than 0.99
#: on news LSI rows, see tests/test_neighbours.py; lower means the rows have little neighbourhood structure)
APPROXIMATE_MIN_RECALL = 0.9
#: rows of unit length: norms within this of 1 (float32 rounding of normalised TF-IDF/LSI rows is ~1e-7)
UNIT_NORM_TOLERANCE = 1e-4


@dataclass(frozen=True)
class Neighbours:
    """Each row's ``k`` nearest rows, and how they were found.

    Attributes
    ----------
    indices, scores : numpy.ndarray
        ``n x k`` arrays: neighbour rows best first (ties by the lower index) and their scores (float64).
    method : str
        :data:`EXACT_SPARSE`, :data:`EXACT_DENSE` or :data:`APPROXIMATE`.
    engine : str
        The library and version that did the search, e.g. ``sparse_dot_topn 1.2.0``.
    recall : float
        Share of the true top ``k`` found: 1.0 for exact search, measured on a sample of rows for approximate.
    """

    indices: np.ndarray
    scores: np.ndarray
    method: str
    engine: str
    recall: float = 1.0

    def describe(self) -> str:
        """One sentence saying how the neighbours were found, for a report.

        >>> Neighbours(np.zeros((0, 0), int), np.zeros((0, 0)), EXACT_DENSE, "numpy 2.0").describe()
        'exact search (numpy 2.0)'
        """
        if self.method == APPROXIMATE:
            return f"approximate search ({self.engine}), recall {self.recall:.3f} against exact search on a sample"
        return f"exact search ({self.engine})"


def search_threads() -> int:
    """Threads for the sparse products and the index queries: the cores that other work leaves free, by the
    rule of :func:`helpers.tokenize.choose_processes` (the load average counts this process as one).

    >>> search_threads() >= 1
    True
    """
    from .tokenize import choose_processes, free_cores

    cores, load = free_cores()
    return choose_processes(cores, n_jobs=None, cores=cores, load=load, per_process=1)[0]


def _is_unit_rows(V) -> bool:
    """Every row has length 1 or 0 (zero rows have no direction)."""
    if sp.issparse(V):
        norms = np.sqrt(np.asarray(V.multiply(V).sum(axis=1)).ravel())
    else:
        norms = np.linalg.norm(np.asarray(V, dtype=np.float64), axis=1)
    return bool(np.all((np.abs(norms - 1.0) <= UNIT_NORM_TOLERANCE) | (norms == 0)))


def search_method(V, *, transform=None, approximate: bool | None = None) -> str:
    """Which path :func:`nearest_neighbours` takes for these rows.

    Parameters
    ----------
    V : scipy.sparse.spmatrix or numpy.ndarray
        Documents x features.
    transform : callable, optional
        A function of the dot products (only the exact dense path applies it).
    approximate : bool or None
        ``True`` asks for the approximate index (dense rows of unit length only), ``False`` for exact search,
        ``None`` chooses approximate from :data:`APPROXIMATE_MIN_DOCS` unit-length dense rows on (exact, with a
        warning, when hnswlib is not installed).

    Returns
    -------
    str
        :data:`EXACT_SPARSE`, :data:`EXACT_DENSE` or :data:`APPROXIMATE`.

    >>> search_method(np.eye(3)), search_method(sp.eye(3, format="csr"))
    ('exact dense', 'exact sparse')
    """
    if transform is not None:
        if approximate:
            raise ValueError("approximate search ranks dot products; a transform needs exact search")
        return EXACT_DENSE
    if sp.issparse(V):
        if approximate:
            raise ValueError("approximate search is for dense rows (LSI); sparse rows are searched exactly")
        return EXACT_SPARSE
    if approximate is False or (approximate is None and V.shape[0] < APPROXIMATE_MIN_DOCS):
        return EXACT_DENSE
    if not _is_unit_rows(V):
        if approximate:
            raise ValueError("approximate search compares directions: scale the rows to unit length first")
        return EXACT_DENSE
    if approximate is None and importlib.util.find_spec("hnswlib") is None:
        warnings.warn(
            f"{V.shape[0]} rows: exact search, as hnswlib (the approximate index) is not installed", stacklevel=2
        )
        return EXACT_DENSE
    return APPROXIMATE


def nearest_neighbours(
    V,
    *,
    k: int = 5,
    exclude_self: bool = True,
    transform=None,
    approximate: bool | None = None,
    block_size: int | None = None,
    n_threads: int | None = None,
    seed: int = 0,
) -> Neighbours:
    """Each row's ``k`` most similar rows by dot product, block by block (never an N x N matrix).

    Parameters
    ----------
    V : scipy.sparse.spmatrix or numpy.ndarray
        Documents x features, rows scaled so that the dot product is the similarity.
    k : int
        Neighbours per row (capped at ``n - 1``, or ``n`` with ``exclude_self=False``).
    exclude_self : bool
        Do not return a row as its own neighbour.
    transform : callable, optional
        Applied to each block of dot products before ranking (e.g. the Hellinger similarity of square-rooted
        topic proportions); takes the exact dense path.
    approximate : bool or None
        See :func:`search_method`.
    block_size : int, optional
        Rows per block (default :data:`SPARSE_BLOCK_ROWS` for sparse rows; for dense rows at most
        :data:`DENSE_BLOCK_CELLS` cells per block whatever is asked).
    n_threads : int, optional
        Threads of the sparse product (default :func:`search_threads`); the result does not depend on it.
    seed : int
        ``random_state`` of the approximate index and of the rows its recall is measured on.

    Returns
    -------
    Neighbours
        Indices, float64 scores, the path taken, the engine and the recall.

    >>> nb = nearest_neighbours(sp.csr_matrix(np.eye(3, dtype=np.float32)[[0, 0, 1]]), k=1)
    >>> nb.indices.ravel().tolist(), nb.method
    ([1, 0, 0], 'exact sparse')
    """
    n = V.shape[0]
    k = max(0, min(k, n - 1 if exclude_self else n))
    method = search_method(V, transform=transform, approximate=approximate)
    if k == 0:
        return Neighbours(np.zeros((n, 0), np.int64), np.zeros((n, 0)), method, _engine(method))
    if method == EXACT_SPARSE:
        idx, scores = _sparse_top_k(V, k, exclude_self, block_size or SPARSE_BLOCK_ROWS, n_threads or search_threads())
    elif method == EXACT_DENSE:
        idx, scores = _dense_top_k(V, k, exclude_self, transform, block_size)
    else:
        idx, scores = _approximate_top_k(V, k, exclude_self, seed)
        recall = sample_recall(V, idx, exclude_self=exclude_self, seed=seed)
        if recall < APPROXIMATE_MIN_RECALL:
            warnings.warn(
                f"approximate neighbours: recall {recall:.3f} on a sample; use approximate=False", stacklevel=2
            )
        return Neighbours(idx, scores, method, _engine(method), recall)
    return Neighbours(idx, scores, method, _engine(method))


def _engine(method: str) -> str:
    from importlib.metadata import version

    # hnswlib is installed from chroma-hnswlib (the same module, with binary wheels: no compiler needed)
    package, dist = {
        EXACT_SPARSE: ("sparse_dot_topn", "sparse-dot-topn"),
        EXACT_DENSE: ("numpy", "numpy"),
        APPROXIMATE: ("hnswlib", "chroma-hnswlib"),
    }[method]
    return f"{package} {version(dist)}"


def top_k_rows(S: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and values of the ``k`` largest values of each row, best first; ties by the lower index.

    Ties at the ``k``-th place are resolved the same way (the lowest indices among the tied values are kept).

    >>> top_k_rows(np.array([[0.5, 0.9, 0.5, 0.1]]), 2)[0].tolist()
    [[1, 0]]
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


def _exact_rows(V, VT, rows: np.ndarray, k: int, exclude_self: bool, transform=None, block_rows: int | None = None):
    """Exact top ``k`` of the given rows: their dot products with all rows, :data:`DENSE_BLOCK_CELLS` at a time."""
    n = V.shape[0]
    step = max(1, DENSE_BLOCK_CELLS // max(1, n))
    step = min(step, block_rows) if block_rows else step
    idx = np.zeros((len(rows), k), dtype=np.int64)
    scores = np.zeros((len(rows), k), dtype=np.float64)
    for lo in range(0, len(rows), step):
        block = rows[lo : lo + step]
        S = V[block] @ VT
        S = S.toarray() if sp.issparse(S) else np.asarray(S)
        if transform is not None or S.dtype not in (np.float32, np.float64):
            S = S.astype(np.float64)  # float32 products are ranked as they are: casting them changes no order
        if transform is not None:
            S = transform(S)
        if exclude_self:
            S[np.arange(len(block)), block] = -np.inf
        idx[lo : lo + len(block)], scores[lo : lo + len(block)] = _select(S, k)
    return idx, scores


def _select(S: np.ndarray, k: int):
    """:func:`top_k_rows` in chunks of :data:`SELECT_CELLS` cells (``argpartition``'s index array stays small)."""
    step = max(1, SELECT_CELLS // max(1, S.shape[1]))
    parts = [top_k_rows(S[lo : lo + step], k) for lo in range(0, S.shape[0], step)]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _dense_top_k(V, k: int, exclude_self: bool, transform, block_size: int | None):
    """Exact top ``k`` of every row by blocks of dense dot products."""
    VT = V.T.tocsr() if sp.issparse(V) else np.asarray(V).T
    return _exact_rows(V, VT, np.arange(V.shape[0]), k, exclude_self, transform, block_size)


def _sparse_top_k(V, k: int, exclude_self: bool, block_size: int, n_threads: int):
    """Exact top ``k`` of every sparse row: ``sp_matmul_topn`` per block, rows with unsettled ties recomputed."""
    from sparse_dot_topn import sp_matmul_topn

    V = sp.csr_matrix(V)
    n = V.shape[0]
    VT = V.T.tocsr()  # rows of V.T in CSR: the same sums, in the same order, as the dense path's product
    keep = min(n, k + int(exclude_self) + 1)  # one more than needed: a tie at the k-th place shows
    idx = np.zeros((n, k), dtype=np.int64)
    scores = np.zeros((n, k), dtype=np.float64)
    for start in range(0, n, block_size):
        stop = min(n, start + block_size)
        C = sp_matmul_topn(V[start:stop], VT, top_n=keep, n_threads=n_threads if n_threads > 1 else None)
        idx[start:stop], scores[start:stop], redo = _settle_block(C.tocsr(), start, k, keep, exclude_self)
        if len(redo):
            idx[redo], scores[redo] = _exact_rows(V, VT, redo, k, exclude_self)
    return idx, scores


def _settle_block(C: sp.csr_matrix, start: int, k: int, keep: int, exclude_self: bool):
    """Top ``k`` of each row of a ``sp_matmul_topn`` block, and the rows (global numbers) to recompute exactly.

    The product kept ``keep`` cells per row, one more than the ``k`` needed (plus the row itself). A row is
    recomputed when the product may have left out a cell tied with its ``k``-th best (the row is full and its
    lowest kept value, the one beyond the ``k``-th, equals the ``k``-th best) or when a kept value is not positive (cells outside the
    product score 0 and may rank above it). A row with fewer than ``k`` cells is filled with the lowest-numbered
    other rows at score 0, as the dense ranking orders them.
    """
    rows, n = C.shape
    count = np.diff(C.indptr)
    cols = np.full((rows, keep), n, dtype=np.int64)
    vals = np.full((rows, keep), -np.inf)
    pos = np.arange(C.nnz) - np.repeat(C.indptr[:-1], count)
    cols[np.repeat(np.arange(rows), count), pos] = C.indices
    vals[np.repeat(np.arange(rows), count), pos] = C.data
    lowest = np.where(count > 0, np.where(np.isinf(vals), np.inf, vals).min(axis=1), np.inf)
    if exclude_self:
        vals[cols == (start + np.arange(rows))[:, None]] = -np.inf
    order = np.lexsort((cols, -vals), axis=1)[:, :k]
    idx, scores = np.take_along_axis(cols, order, axis=1), np.take_along_axis(vals, order, axis=1)
    full = count >= keep
    unsettled = (full & (scores[:, -1] == lowest)) | (np.isfinite(scores) & (scores <= 0)).any(axis=1)
    for r in np.flatnonzero(~np.isfinite(scores).all(axis=1) & ~unsettled):
        _fill_with_zeros(idx[r], scores[r], start + r if exclude_self else -1)
    return idx, scores, start + np.flatnonzero(unsettled)


def _fill_with_zeros(idx: np.ndarray, scores: np.ndarray, self_row: int) -> None:
    """Fill the empty places (score ``-inf``) of one row with the lowest-numbered rows not yet in it, score 0."""
    empty = ~np.isfinite(scores)
    taken = set(idx[~empty].tolist()) | {self_row}
    fill, candidate = [], 0
    while len(fill) < empty.sum():
        if candidate not in taken:
            fill.append(candidate)
        candidate += 1
    idx[empty], scores[empty] = fill, 0.0


def _approximate_top_k(V, k: int, exclude_self: bool, seed: int):
    """Top ``k`` of every row from an HNSW graph (built on one thread: the same graph on every run), ranked by
    exact dot products; the queries run on the free cores (each query only reads the graph)."""
    import hnswlib

    V = np.ascontiguousarray(V, dtype=np.float64)
    graph = hnswlib.Index(space="ip", dim=V.shape[1])
    graph.init_index(max_elements=len(V), M=HNSW_M, ef_construction=HNSW_EF_CONSTRUCTION, random_seed=seed)
    graph.add_items(V.astype(np.float32), np.arange(len(V)), num_threads=1)
    candidates = min(len(V), k + 1)
    graph.set_ef(max(HNSW_EF_SEARCH, candidates))
    labels, _ = graph.knn_query(V.astype(np.float32), k=candidates, num_threads=search_threads())
    return _rank_candidates(V, labels.astype(np.int64), k, exclude_self)


def _rank_candidates(V: np.ndarray, candidates: np.ndarray, k: int, exclude_self: bool):
    """The ``k`` best of each row's candidate rows by exact dot product (``-1`` marks no candidate)."""
    n, c = candidates.shape
    rows = np.arange(n)[:, None]
    valid = (candidates >= 0) & ~((candidates == rows) & exclude_self)
    cols = np.where(valid, candidates, n)
    vals = np.full((n, c), -np.inf)
    step = max(1, SELECT_CELLS // max(1, c * V.shape[1]))
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        dots = np.einsum("id,icd->ic", V[lo:hi], V[np.minimum(cols[lo:hi], n - 1)])
        vals[lo:hi] = np.where(valid[lo:hi], dots, -np.inf)
    order = np.lexsort((cols, -vals), axis=1)[:, :k]
    idx, scores = np.take_along_axis(cols, order, axis=1), np.take_along_axis(vals, order, axis=1)
    short = np.flatnonzero(~np.isfinite(scores).all(axis=1))
    if len(short):  # too few candidates (rare): exact search for those rows
        idx[short], scores[short] = _exact_rows(V, V.T, short, k, exclude_self)
    return idx, scores


def sample_recall(
    V, indices: np.ndarray, *, exclude_self: bool = True, rows: int = RECALL_SAMPLE_ROWS, seed=0
) -> float:
    """Share of the true top ``k`` that a search found, measured on a random sample of rows against exact search.

    A neighbour found counts as true when its score reaches the exact ``k``-th best score of its row (so ties at
    the ``k``-th place do not count against it).

    Parameters
    ----------
    V : numpy.ndarray or scipy.sparse.spmatrix
        The rows searched.
    indices : numpy.ndarray
        The search's ``n x k`` neighbours (their scores are recomputed here).
    exclude_self : bool
        As in the search.
    rows : int
        Rows in the sample (all rows when there are fewer).
    seed : int
        Seed of the sample (NumPy ``default_rng``).

    Returns
    -------
    float
        Recall at ``k``, in [0, 1].

    >>> V = np.eye(4)[[0, 0, 1, 1]]
    >>> sample_recall(V, np.array([[1], [0], [3], [2]]))
    1.0
    """
    n, k = indices.shape
    if k == 0 or n == 0:
        return 1.0
    sample = np.sort(np.random.default_rng(seed).choice(n, min(rows, n), replace=False))
    VT = V.T.tocsr() if sp.issparse(V) else np.asarray(V).T
    _, exact = _exact_rows(V, VT, sample, k, exclude_self)
    found = np.column_stack([_row_dots(V, sample, indices[sample, j]) for j in range(k)])
    return float((found >= exact[:, -1:] - 1e-12).mean())


def _row_dots(V, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Dot products of rows ``a[i]`` and ``b[i]`` of ``V``, as float64."""
    if sp.issparse(V):
        return np.asarray(V[a].multiply(V[b]).sum(axis=1), dtype=np.float64).ravel()
    V = np.asarray(V)
    return np.einsum("ij,ij->i", V[a], V[b]).astype(np.float64)
