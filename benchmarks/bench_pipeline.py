"""The pipeline of notebooks 01–04 at growing corpus sizes: seconds and peak memory per stage.

Each size runs in a fresh process with an empty cache folder (so every stage is cold and sizes do not share
memory). Stages, with the helpers the notebooks call:

``load``       ``load_corpus`` (JSONL, cleaning in 2 processes, ``keep_raw=False``)
``tokenize``   ``tokenize_corpus`` (2 processes, writes the token cache)
``tfidf``      ``helpers.similarity.fit_tfidf`` (sparse, float32) and the top 10 keywords of every document
``lda``        ``helpers.topics.build_dictionary`` + ``bow_corpus(path=…)`` (a Matrix Market file streamed from
               disk) + ``helpers.topics.fit_lda`` with notebook 03's settings
               (:func:`benchmarks.task_lda.split_settings`) and K = :data:`benchmarks.task_lda.NUM_TOPICS`
``neighbours`` ``helpers.similarity.top_k_neighbours`` (k=5) on the TF-IDF rows, in blocks of ≤ 50 M cells
``reprints``   ``helpers.reprints.find_near_duplicates`` (MinHash LSH, no all-pairs comparison)

The table gives, per size, the seconds of each stage, the total, the peak resident memory of the main process and
of the largest worker process, and the ratio of time and memory to the previous size (a ratio equal to the size
ratio means linear growth).

Run: ``python -m benchmarks.bench_pipeline [SIZE ...]`` (default ``BENCH_SIZES`` or 10000,50000,200000).
"""

from __future__ import annotations

import json
import sys
import time

from benchmarks.workload import (
    children_peak_rss_mb,
    peak_rss_mb,
    print_table,
    run_child,
    sizes_from_env,
    workload_file,
    write_csv,
)

MODULE = "benchmarks.bench_pipeline"
N_JOBS = 2
STAGES = ("load", "tokenize", "tfidf", "lda", "neighbours", "reprints")


def child(n: int, stages: tuple[str, ...] = STAGES) -> dict:
    import tempfile

    from helpers.corpus import load_corpus
    from helpers.tokenize import tokenize_corpus

    times: dict[str, float] = {}
    rss: dict[str, float] = {}
    clock = time.perf_counter()

    def done(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        times[stage] = now - clock
        rss[stage] = peak_rss_mb()
        clock = now

    docs = load_corpus(str(workload_file(n)), n_jobs=N_JOBS, keep_raw=False, errors="report", progress=False).docs
    texts = docs["text"].tolist()
    doc_ids = docs["doc_id"].tolist()
    dates = docs["date"].tolist()
    del docs
    done("load")
    tokens = tokenize_corpus(texts, n_jobs=N_JOBS, progress=False)
    done("tokenize")
    X = None
    if "tfidf" in stages or "neighbours" in stages:
        from helpers.similarity import fit_tfidf
        from helpers.stream import top_terms_per_row

        vec, X = fit_tfidf(tokens, bigrams=False, min_df=2, max_df=0.5)
        vocab = vec.get_feature_names_out()
        keywords = top_terms_per_row(X, vocab, 10)
        assert len(keywords) == len(texts)
        del vec, vocab, keywords
        done("tfidf")
    if "lda" in stages:
        from benchmarks.task_lda import NUM_TOPICS, split_settings
        from helpers import topics as tp

        dictionary_settings, fit_settings = split_settings()
        dictionary, _ = tp.build_dictionary(tokens, **dictionary_settings)
        with tempfile.TemporaryDirectory() as tmp:
            bow = tp.bow_corpus(tokens, dictionary, path=f"{tmp}/corpus.mm")
            model = tp.fit_lda(bow, dictionary, num_topics=NUM_TOPICS, **fit_settings)
            del bow, model
        del dictionary
        done("lda")
    del tokens
    if "neighbours" in stages:
        from helpers.similarity import top_k_neighbours

        block = max(50, min(2000, 50_000_000 // max(1, n)))
        idx, _ = top_k_neighbours(X, k=5, block_size=block)
        assert idx.shape[0] == len(texts)
        del idx
        done("neighbours")
    del X
    if "reprints" in stages:
        from helpers.reprints import find_near_duplicates

        dups = find_near_duplicates(texts, doc_ids=doc_ids, dates=dates)
        times["reprint_clusters"] = float(dups.clusters["cluster"].nunique()) if len(dups.clusters) else 0.0
        del dups
        done("reprints")
    return {
        "docs": len(texts),
        "times": times,
        "rss": rss,
        "peak_rss_mb": peak_rss_mb(),
        "worker_peak_rss_mb": children_peak_rss_mb(),
    }


def run(sizes: list[int], stages: tuple[str, ...] = STAGES) -> list[dict]:
    rows: list[dict] = []
    prev = None
    for n in sorted(sizes):
        workload_file(n)
        r = run_child(MODULE, n, ",".join(stages))
        total = sum(v for k, v in r["times"].items() if k in STAGES)
        row = {
            "docs": r["docs"],
            **{f"{s}_s": r["times"].get(s) for s in stages},
            "total_s": total,
            "peak_rss_mb": r["peak_rss_mb"],
            "worker_peak_mb": r["worker_peak_rss_mb"],
        }
        if prev is not None:
            row["size_ratio"] = row["docs"] / prev["docs"]
            row["time_ratio"] = total / prev["total_s"]
            row["rss_ratio"] = row["peak_rss_mb"] / prev["peak_rss_mb"]
        else:
            row.update(size_ratio=None, time_ratio=None, rss_ratio=None)
        rows.append(row)
        prev = row
        print(json.dumps({"docs": r["docs"], "rss_after_stage_mb": r["rss"]}), flush=True)
    print_table(rows, "pipeline of notebooks 01–04: seconds per stage, peak RSS (MB), growth vs previous size")
    write_csv(rows, "pipeline")
    return rows


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        stages = tuple(argv[2].split(",")) if len(argv) > 2 else STAGES
        print(json.dumps(child(int(argv[1]), stages)))
        return
    run([int(a) for a in argv] or sizes_from_env("10000,50000,200000"))


if __name__ == "__main__":
    main(sys.argv[1:])
