"""The benchmarks run end to end at their smallest size and print their tables (no timing is asserted).

The runs are marked ``benchmark``: by default each uses :data:`SIZE` documents, the smallest size at which every
property checked here holds; ``TUOPIN_BENCH_TEST_SIZE=2000`` runs them larger, ``-m "not benchmark"`` skips them.
"""

from __future__ import annotations

import csv
import os
import random
import sys

import pytest

from helpers.paths import PROJECT_ROOT

if str(PROJECT_ROOT) not in sys.path:  # benchmarks/ is not part of the installed package
    sys.path.insert(0, str(PROJECT_ROOT))

from benchmarks import workload  # noqa: E402

#: Documents per benchmark run. 40 is the smallest size that keeps every check meaningful: the pipeline's half
#: size (20 documents) still gives LDA a vocabulary (terms in >= 5 documents) and each document 5 neighbours.
SIZE = int(os.environ.get("TUOPIN_BENCH_TEST_SIZE", "40"))


@pytest.fixture
def bench_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("TUOPIN_BENCH_DIR", str(tmp_path / "workloads"))
    monkeypatch.setattr(workload, "WORK_DIR", tmp_path / "workloads")
    monkeypatch.setattr(workload, "RESULTS_DIR", tmp_path / "results")
    return tmp_path


def test_workload_has_reprints_and_new_articles(bench_dirs):
    import json

    from helpers.reprints import normalize_for_shingles, shingles

    base = workload.base_texts()
    n = len(base) + 60
    lines = workload.workload_file(n).read_text(encoding="utf-8").splitlines()
    recs = [json.loads(x) for x in lines]
    assert len(recs) == n and len({r["id"] for r in recs}) == n
    extra = recs[len(base) :]
    reprints = [r for r in extra if r["base"]]
    assert 0 < len(reprints) < len(extra) / 2  # about 10% reprints, the rest new articles
    originals = {r["base"]: r for r in recs[: len(base)]}

    def containment(a: str, b: str) -> float:
        sa, sb = (shingles(normalize_for_shingles(t)) for t in (a, b))
        return len(sa & sb) / min(len(sa), len(sb))

    for r in reprints:
        orig = originals[r["base"]]
        assert r["text"] != orig["text"] and containment(r["text"], orig["text"]) > 0.6
    k, remix = next((k, r) for k, r in enumerate(extra) if not r["base"])
    assert 0.2 < containment(remix["text"], recs[k]["text"]) < 0.9  # recs[k] is the article it mostly comes from
    rng = random.Random(0)
    assert workload.perturb("<p>一句话。第二句话。</p>", rng).startswith("<p>")
    assert workload.remix("一句。二句。三句。", "四句。五句。", rng).count("句") >= 2


@pytest.mark.benchmark
def test_tokenize_benchmark_runs(bench_dirs, capsys):
    from benchmarks import bench_tokenize

    [row] = bench_tokenize.run([SIZE])
    out = capsys.readouterr().out
    assert "tokenize_corpus(n_jobs=2)" in out and "cached_speedup" in out
    assert row["docs"] <= SIZE and row["identical"] is True
    assert row["loop_s"] > 0 and row["cached_s"] > 0 and row["peak_rss_mb"] > 0
    with open(bench_dirs / "results" / "tokenize.csv", encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == 1


@pytest.mark.benchmark
def test_near_duplicates_benchmark_runs(bench_dirs, capsys):
    from benchmarks import bench_near_duplicates

    [row] = bench_near_duplicates.run([SIZE])
    assert "LSH vs exact" in capsys.readouterr().out
    assert row["lsh_not_exact"] == 0  # every LSH pair is confirmed on the exact shingle sets
    assert 0 <= row["recall_vs_exact"] <= 1


def test_exact_pairs_matches_python_loop():
    from benchmarks.bench_near_duplicates import exact_pairs

    rng = random.Random(1)
    sets = [set(rng.sample(range(60), rng.randrange(5, 30))) for _ in range(40)]
    sets.append(set(sets[0]))
    expected = set()
    for i in range(len(sets)):
        for j in range(i + 1, len(sets)):
            a, b = sets[i], sets[j]
            small, large = sorted((len(a), len(b)))
            if len(a & b) / small >= 0.6 and small / large >= 0.3:
                expected.add((i, j))
    assert exact_pairs(sets, threshold=0.6, min_length_ratio=0.3, block=7) == expected
    assert (0, len(sets) - 1) in expected


@pytest.mark.benchmark
def test_pipeline_benchmark_runs(bench_dirs, capsys):
    from benchmarks import bench_pipeline

    rows = bench_pipeline.run([SIZE // 2, SIZE])
    out = capsys.readouterr().out
    assert "pipeline of notebooks 01–04" in out
    assert [r["docs"] for r in rows] == [SIZE // 2, SIZE]
    assert rows[1]["size_ratio"] == 2 and rows[1]["rss_ratio"] > 0
    assert all(r[f"{s}_s"] > 0 for r in rows for s in bench_pipeline.STAGES)
