"""Top-k neighbours on TF-IDF rows: ours (``helpers.neighbours``) against sklearn and plain sparse_dot_topn.

The workload's articles (:mod:`benchmarks.workload`: real news of ``../shared/corpora``, replicated with
perturbation) are cleaned, tokenised and turned into the TF-IDF rows of notebook 04 (:func:`helpers.similarity.
fit_tfidf`, default settings) once; then each engine finds every document's :data:`K` nearest neighbours in a
fresh process (so each has its own peak memory), the engines interleaved, each ``runs`` times:

* **ours**: :func:`helpers.neighbours.nearest_neighbours` (blocked ``sp_matmul_topn`` on the free cores, exact
  ties, self excluded);
* **sklearn**: ``NearestNeighbors(n_neighbors=K + 1, metric="cosine", algorithm="brute", n_jobs=<threads>)``,
  ``kneighbors`` of every row;
* **sparse_dot_topn**: one ``sp_matmul_topn(X, X.T, top_n=K + 1, n_threads=<threads>)`` call, unblocked.

Printed: the best seconds (after an untimed search of :data:`WARM_UP_ROWS` rows, so imports are not counted) and
the peak memory of each process, and the ratios. Run:
``python -m benchmarks.bench_neighbours [SIZE ...]`` (default 10000).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.workload import peak_rss_mb, print_table, run_child, workload_texts, write_csv

MODULE = "benchmarks.bench_neighbours"
#: neighbours per document (as in issue 15's measurement)
K = 10
#: rows of a first, untimed search in each process (the engine's imports and set-up)
WARM_UP_ROWS = 20
ENGINES = ("ours", "sklearn", "sparse_dot_topn")
PEER_NAMES = {
    "sklearn": "sklearn NearestNeighbors(metric='cosine', algorithm='brute')",
    "sparse_dot_topn": "sparse_dot_topn sp_matmul_topn (unblocked)",
}


def tfidf_file(n_docs: int, folder: Path) -> Path:
    """Write the TF-IDF rows of the ``n_docs``-article workload to ``folder/tfidf.npz``; return the path."""
    import scipy.sparse as sp

    from helpers.clean import clean_text
    from helpers.similarity import fit_tfidf
    from helpers.tokenize import tokenize_corpus

    tokens = tokenize_corpus([clean_text(t) for t in workload_texts(n_docs)], progress=False)
    _, X = fit_tfidf(tokens)
    path = folder / "tfidf.npz"
    sp.save_npz(path, X)
    return path


def search(engine: str, X, threads: int):
    """Every row's :data:`K` nearest rows by one engine."""
    if engine == "ours":
        from helpers.neighbours import nearest_neighbours

        return nearest_neighbours(X, k=K, n_threads=threads).indices
    if engine == "sklearn":
        from sklearn.neighbors import NearestNeighbors

        nn = NearestNeighbors(n_neighbors=K + 1, metric="cosine", algorithm="brute", n_jobs=threads).fit(X)
        return nn.kneighbors(X, return_distance=False)
    from sparse_dot_topn import sp_matmul_topn

    return sp_matmul_topn(X, X.T.tocsr(), top_n=K + 1, n_threads=threads if threads > 1 else None)


def process_peak_mb() -> float:
    """Peak resident memory of this process's program, in MB: Linux's ``VmHWM``, which starts again at ``exec``
    (``ru_maxrss`` keeps the peak of the forked parent, here the process that tokenised the corpus); elsewhere
    :func:`benchmarks.workload.peak_rss_mb`."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            line = next(x for x in fh if x.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024
    except (OSError, StopIteration):
        return peak_rss_mb()


def child(engine: str, path: str, threads: int) -> dict:
    """Time one engine on the saved TF-IDF rows (run in a fresh process by :func:`bench_neighbours`)."""
    import scipy.sparse as sp

    X = sp.load_npz(path).tocsr()
    search(engine, X[:WARM_UP_ROWS], threads)  # imports and first-call set-up are not part of the search time
    started = time.perf_counter()
    search(engine, X, threads)
    return {"engine": engine, "seconds": time.perf_counter() - started, "peak_rss_mb": process_peak_mb()}


def bench_neighbours(n_docs: int, runs: int = 2) -> list[dict]:
    """Ours against each peer on the TF-IDF rows of ``n_docs`` workload articles, interleaved, best of ``runs``.

    Every engine gets the same number of threads: :func:`helpers.neighbours.search_threads` when the benchmark
    starts.

    Returns
    -------
    list of dict
        One row per peer: ``task`` (``neighbours``), ``docs``, ``ours_s``, ``peer``, ``peer_s``, ``peak_rss_mb``
        (ours, in MB; the printed table has the peers' too).
    """
    from helpers.neighbours import search_threads

    threads = search_threads()
    results: dict[str, list[dict]] = {e: [] for e in ENGINES}
    with tempfile.TemporaryDirectory(prefix="tuopin-neighbours-") as tmp:
        path = tfidf_file(n_docs, Path(tmp))
        for _ in range(runs):
            for engine in ENGINES:
                results[engine].append(run_child(MODULE, engine, path, threads))
    best = {e: min(results[e], key=lambda r: r["seconds"]) for e in ENGINES}
    table = [
        {
            "engine": e,
            "seconds": best[e]["seconds"],
            "x_ours": best[e]["seconds"] / best["ours"]["seconds"],
            "peak_rss_mb": max(r["peak_rss_mb"] for r in results[e]),
        }
        for e in ENGINES
    ]
    print_table(
        table, f"top-{K} neighbours, {n_docs} documents, {threads} threads, best of {runs} (x_ours: peer / ours)"
    )
    write_csv(table, f"neighbours_{n_docs}")
    return [
        {
            "task": "neighbours",
            "docs": n_docs,
            "ours": "helpers.neighbours.nearest_neighbours",
            "ours_s": best["ours"]["seconds"],
            "peer": PEER_NAMES[e],
            "peer_s": best[e]["seconds"],
            "peak_rss_mb": table[0]["peak_rss_mb"],
        }
        for e in ENGINES[1:]
    ]


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        print(json.dumps(child(argv[1], argv[2], int(argv[3]))))
        return
    for n in [int(a) for a in argv] or [10_000]:
        bench_neighbours(n)


if __name__ == "__main__":
    main(sys.argv[1:])
