"""Our path against a peer library on the same input: interleaved runs, each in a fresh child process.

A *task module* (``benchmarks.bench_lda``, ``benchmarks.bench_near_duplicates``, …) defines

``TASK``              the task's name in the results (``"lda"``)
``inputs(n)``         the input of ``n`` documents, read in the child before the clock starts (same for every side)
``OURS``              a label of the project's path
``ours(data)``        the project's path; returns a small JSON-able summary of its result
``peers()``           ``{label: function}`` of the peers, each called like ``ours``

:func:`compare` runs ``ours`` and every peer ``runs`` times, alternating which goes first, each run in a new
process (``python -m benchmarks.harness --child <module> <side> <n>``) with an empty cache folder; the child
reports the seconds of the call and its own peak resident memory (``ru_maxrss``, which includes the input). The
row keeps each side's fastest run and the largest peak memory of its runs.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time

from benchmarks.workload import children_peak_rss_mb, peak_rss_mb, run_child

#: the keys every result row has (``benchmarks/results/latest.json``); rows may carry more
ROW_KEYS = ("task", "docs", "ours_s", "peer", "peer_s", "peak_rss_mb")


def child(module: str, side: str, n: int) -> dict:
    """One measured run in this process: the input, then the timed call of ``side`` (``"ours"`` or a peer)."""
    task = importlib.import_module(module)
    data = task.inputs(n)
    fn = task.ours if side == "ours" else task.peers()[side]
    input_rss = peak_rss_mb()
    t0 = time.perf_counter()
    result = fn(data)
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "peak_rss_mb": peak_rss_mb(),
        "input_rss_mb": input_rss,
        "worker_peak_rss_mb": children_peak_rss_mb(),
        "result": result,
    }


def _measure(module: str, sides: list[str], n: int, runs: int, in_process: bool) -> dict[str, list[dict]]:
    """Every side ``runs`` times, interleaved; odd rounds run the sides in reverse order."""
    done: dict[str, list[dict]] = {side: [] for side in sides}
    for r in range(runs):
        for side in sides if r % 2 == 0 else sides[::-1]:
            run = child(module, side, n) if in_process else run_child("benchmarks.harness", module, side, n)
            done[side].append(run)
    return done


def _best(runs: list[dict]) -> dict:
    fastest = min(runs, key=lambda r: r["seconds"])
    return {**fastest, "peak_rss_mb": max(r["peak_rss_mb"] for r in runs)}


def compare(module: str, n: int, *, runs: int = 2, in_process: bool = False) -> list[dict]:
    """Rows ``{task, docs, ours_s, peer, peer_s, peak_rss_mb, …}``: one per peer of the task module ``module``.

    ``peak_rss_mb`` is our path's (largest over its runs), ``peer_peak_rss_mb`` the peer's; ``ratio`` is
    ``ours_s / peer_s`` (below 1: ours is faster); ``*_result`` are the summaries the two paths returned.
    ``in_process=True`` runs every side in this process (a quick check of the harness: the peak memory is then
    this process's, not a run's).
    """
    task = importlib.import_module(module)
    peers = list(task.peers())
    load = os.getloadavg()[0]
    measured = _measure(module, ["ours", *peers], n, runs, in_process)
    ours = _best(measured["ours"])
    rows = []
    for peer in peers:
        theirs = _best(measured[peer])
        rows.append(
            {
                "task": task.TASK,
                "docs": n,
                "ours_s": round(ours["seconds"], 3),
                "peer": peer,
                "peer_s": round(theirs["seconds"], 3),
                "peak_rss_mb": round(ours["peak_rss_mb"], 1),
                "peer_peak_rss_mb": round(theirs["peak_rss_mb"], 1),
                "input_rss_mb": round(ours["input_rss_mb"], 1),
                "ratio": round(ours["seconds"] / max(theirs["seconds"], 1e-9), 3),
                "ours": task.OURS,
                "runs": runs,
                "in_process": in_process,
                "load_avg": round(load, 2),
                "ours_result": ours["result"],
                "peer_result": theirs["result"],
            }
        )
    return rows


def main(argv: list[str]) -> None:
    if argv[:1] != ["--child"]:
        raise SystemExit("usage: python -m benchmarks.harness --child MODULE SIDE N (run by benchmarks.run_all)")
    print(json.dumps(child(argv[1], argv[2], int(argv[3])), ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
