"""Tokenising engines on one core, then parallel and cached tokenising.

**Engines** (one process, one core, dictionaries loaded before timing): MB/s (UTF-8) of

1. plain jieba with the same dictionary (jieba's ``dict.txt``, the domain dictionary): ``jb.lcut(text)``, the peer;
2. the project's tokenizer on the jieba path (``Tokenizer(engine="jieba")``: normalisation, stopwords, filter);
3. the project's tokenizer on the compiled path (``Tokenizer(engine="rjieba")``), the default.

The three alternate (``BENCH_REPEAT`` rounds, at least 2), each round with fresh tokenizers so that no run profits
from another's memo; best and median per path, and the share of documents whose tokens are identical on paths 2
and 3.

**Parallel and cached.** Each size runs in a fresh process with an empty cache folder. In that process, after the dictionary is loaded
(both paths start warm, so the comparison is of the tokenising itself; ``corpus_terms=False`` on every
``tokenize_corpus`` call, so both paths use the same dictionary — the search for the corpus's terms is timed in
``bench_pipeline``):

1. ``[tokenize(t) for t in texts]`` (the baseline: one process);
2. ``tokenize_corpus(texts, n_jobs=2, cache=False)`` (the project's path, two worker processes) — the tokens must
   be identical;
3. ``tokenize_corpus(texts, n_jobs=2, cache=True)`` on the empty cache (cold: tokenise and write the cache);
4. the same call again (cached rerun: hash, read the cache);
5. the cached rerun in a *new* process (what a user sees when reopening a notebook), imports excluded.

Run: ``python -m benchmarks.bench_tokenize`` (sizes from ``BENCH_TOKENIZE_SIZES``, default 10000). On a busy
machine set ``BENCH_REPEAT=3``: the loop and the parallel run alternate three times and each keeps its best.
"""

from __future__ import annotations

import json
import os
import sys
import time

from benchmarks.workload import peak_rss_mb, print_table, run_child, workload_file, write_csv

N_JOBS = 2
MODULE = "benchmarks.bench_tokenize"
#: rounds of the engine comparison: at least 2 (best and median need more than one run)
MIN_ROUNDS = 2


def _texts(n: int) -> list[str]:
    from helpers.corpus import load_corpus

    docs = load_corpus(
        str(workload_file(n)), n_jobs=N_JOBS, cache=False, keep_raw=False, errors="report", progress=False
    ).docs
    return docs["text"].tolist()


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the pool's workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def plain_jieba_with_dictionary():
    """The peer: plain jieba's ``lcut`` with the project's domain dictionary loaded (no filtering)."""
    from helpers.tokenize import DOMAIN_DICT_PATH, baseline_jieba

    plain = baseline_jieba()
    plain.load_userdict(str(DOMAIN_DICT_PATH))
    return plain.lcut


def _engines() -> dict:
    """Fresh callables for the three paths, each warmed up (dictionary loaded) on a short text."""
    from helpers.tokenize import Tokenizer

    paths = {
        "plain_jieba": plain_jieba_with_dictionary(),
        "ours_jieba": Tokenizer(engine="jieba"),
        "ours_rjieba": Tokenizer(),
    }
    for f in paths.values():
        f("坚决打赢脱贫攻坚战")
    return paths


def engines_child(n: int) -> dict:
    """MB/s of the three paths, interleaved rounds, one process; tokens of the two project paths compared."""
    import statistics

    texts = _texts(n)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    seconds: dict[str, list[float]] = {}
    tokens: dict[str, list] = {}
    for _ in range(max(MIN_ROUNDS, int(os.environ.get("BENCH_REPEAT", "1")))):
        for name, f in _engines().items():
            t0 = time.perf_counter()
            tokens[name] = [f(t) for t in texts]
            seconds.setdefault(name, []).append(time.perf_counter() - t0)
    same = sum(a == b for a, b in zip(tokens["ours_jieba"], tokens["ours_rjieba"]))
    row: dict = {"docs": len(texts), "MB": round(megabytes, 2), "rounds": len(seconds["plain_jieba"])}
    for name, runs in seconds.items():
        row[f"{name}_best_MBps"] = megabytes / min(runs)
        row[f"{name}_median_MBps"] = megabytes / statistics.median(runs)
    for name in ("ours_jieba", "ours_rjieba"):
        row[f"{name}_vs_plain"] = row[f"{name}_best_MBps"] / row["plain_jieba_best_MBps"]
    row["identical_docs"] = same / len(texts)
    row["load_avg"] = os.getloadavg()[0]
    return row


def child(n: int, mode: str = "full") -> dict:
    from helpers.tokenize import get_default_tokenizer, tokenize, tokenize_corpus

    if mode == "engines":
        return engines_child(n)
    texts = _texts(n)
    if mode == "rerun":  # a new process reading the cache written by an earlier process
        t0 = time.perf_counter()
        toks = tokenize_corpus(texts, n_jobs=N_JOBS, cache=True, progress=False, corpus_terms=False)
        return {"rerun_new_process_s": time.perf_counter() - t0, "n_tokens": sum(map(len, toks))}
    get_default_tokenizer().jieba  # noqa: B018 - load the dictionary before timing either path
    tokenize(texts[0])
    load_before = os.getloadavg()[0]
    best_loop = best_par = (float("inf"), 0.0)
    for _ in range(max(1, int(os.environ.get("BENCH_REPEAT", "1")))):  # alternate, keep each path's best run
        t0, c0 = time.perf_counter(), _cpu()
        loop = [tokenize(t) for t in texts]
        best_loop = min(best_loop, (time.perf_counter() - t0, _cpu() - c0))
        t0, c0 = time.perf_counter(), _cpu()
        par = tokenize_corpus(texts, n_jobs=N_JOBS, cache=False, progress=False, corpus_terms=False)
        best_par = min(best_par, (time.perf_counter() - t0, _cpu() - c0))
    (t_loop, cpu_loop), (t_par, cpu_par) = best_loop, best_par
    t0 = time.perf_counter()
    cold = tokenize_corpus(texts, n_jobs=N_JOBS, cache=True, progress=False, corpus_terms=False)
    t_cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    warm = tokenize_corpus(texts, n_jobs=N_JOBS, cache=True, progress=False, corpus_terms=False)
    t_warm = time.perf_counter() - t0
    return {
        "docs": len(texts),
        "chars": sum(map(len, texts)),
        "loop_s": t_loop,
        "parallel_s": t_par,
        "loop_cpu_s": cpu_loop,
        "parallel_cpu_s": cpu_par,
        "load_avg": load_before,
        "identical": par == loop and cold == loop and warm == loop,
        "cold_cache_s": t_cold,
        "cached_s": t_warm,
        "peak_rss_mb": peak_rss_mb(),
    }


def run_engines(sizes: list[int]) -> list[dict]:
    """The engine comparison for each size, each in a fresh process; printed and written to tokenize_engines.csv."""
    rows = [run_child(MODULE, n, "engines") for n in sizes]
    print_table(rows, "tokenising MB/s on one core: plain jieba (same dictionary), ours on jieba, ours on rjieba")
    write_csv(rows, "tokenize_engines")
    return rows


def run(sizes: list[int]) -> list[dict]:
    import tempfile

    rows = []
    for n in sizes:
        workload_file(n)
        with tempfile.TemporaryDirectory(prefix="tuopin-bench-") as cache:
            r = run_child(MODULE, n, "full", cache_dir=cache)
            r.update(run_child(MODULE, n, "rerun", cache_dir=cache))
        rows.append(
            {
                "docs": r["docs"],
                "MB_text": round(r["chars"] * 3 / 1e6, 1),
                "loop_s": r["loop_s"],
                f"n_jobs={N_JOBS}_s": r["parallel_s"],
                "speedup": r["loop_s"] / r["parallel_s"],
                "cpu_loop_s": r["loop_cpu_s"],
                "cpu_parallel_s": r["parallel_cpu_s"],
                "load_avg": r["load_avg"],
                "identical": r["identical"],
                "cold_s": r["cold_cache_s"],
                "cached_s": r["cached_s"],
                "cached_speedup": r["cold_cache_s"] / r["cached_s"],
                "rerun_new_proc_s": r["rerun_new_process_s"],
                "rerun_speedup": r["cold_cache_s"] / r["rerun_new_process_s"],
                "peak_rss_mb": r["peak_rss_mb"],
            }
        )
    print_table(rows, f"tokenize_corpus(n_jobs={N_JOBS}) vs [tokenize(t) for t in texts]; cached rerun vs cold run")
    write_csv(rows, "tokenize")
    return rows


def sizes_from_env_tokenize() -> list[int]:
    return [int(s) for s in os.environ.get("BENCH_TOKENIZE_SIZES", "10000").split(",") if s.strip()]


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        print(json.dumps(child(int(argv[1]), argv[2] if len(argv) > 2 else "full")))
        return
    sizes = [int(a) for a in argv] or sizes_from_env_tokenize()
    run_engines(sizes)
    run(sizes)


if __name__ == "__main__":
    main(sys.argv[1:])
