"""Run every benchmark and print its table (``make bench``).

Sizes come from environment variables (comma-separated document counts):

``BENCH_SIZES``          pipeline of notebooks 01–04 (default ``10000,50000,200000``)
``BENCH_TOKENIZE_SIZES`` parallel and cached tokenising (default ``10000``)
``BENCH_NEARDUP_SIZES``  LSH vs exact near-duplicates (default ``20000``)
``BENCH_ONLY``           run only these benchmarks (``tokenize,near_duplicates,pipeline``)
``BENCH_REPEAT``         repetitions of the loop / parallel tokenising comparison, best kept (default 1)

Tables are also written to ``benchmarks/results/<name>.csv`` (git-ignored).
"""

from __future__ import annotations

import os
import platform
import sys
import time


def main() -> None:
    from benchmarks import bench_near_duplicates, bench_pipeline, bench_tokenize
    from benchmarks.workload import sizes_from_env

    def env_sizes(name: str, default: str) -> list[int]:
        return [int(s) for s in os.environ.get(name, default).split(",") if s.strip()]

    only = {s.strip() for s in os.environ.get("BENCH_ONLY", "tokenize,near_duplicates,pipeline").split(",")}
    print(
        f"# tuopin-notebooks benchmarks — {platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    print("# ratios compare two paths measured in the same run; absolute seconds depend on the machine and its load")
    started = time.perf_counter()
    if "tokenize" in only:
        bench_tokenize.run(env_sizes("BENCH_TOKENIZE_SIZES", "10000"))
    if "near_duplicates" in only:
        bench_near_duplicates.run(env_sizes("BENCH_NEARDUP_SIZES", "20000"))
    if "pipeline" in only:
        bench_pipeline.run(sizes_from_env("10000,50000,200000"))
    print(f"\n# all benchmarks: {time.perf_counter() - started:.0f} s; tables in benchmarks/results/*.csv")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
