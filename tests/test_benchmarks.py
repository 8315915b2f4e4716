"""The benchmarks run end to end at their smallest size and write their results (no timing is asserted).

The runs are marked ``benchmark``: by default each uses :data:`SIZE` documents, the smallest size at which every
property checked here holds; ``TUOPIN_BENCH_TEST_SIZE=2000`` runs them larger, ``-m "not benchmark"`` skips them.
"""

from __future__ import annotations

import ast
import json
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
#: Base articles of the workload in the harness test: SIZE - POOL documents are reprints and remixes of them
POOL = SIZE // 2


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
    originals = {r["id"]: r for r in recs}  # a reprint names the document it copies (workload v3)

    def containment(a: str, b: str) -> float:
        sa, sb = (shingles(normalize_for_shingles(t)) for t in (a, b))
        return len(sa & sb) / min(len(sa), len(sb))

    for r in reprints:
        orig = originals[r["base"]]
        assert r["text"] != orig["text"] and containment(r["text"], orig["text"]) > 0.6
    remix = next(r for r in extra if not r["base"])
    shares = [containment(remix["text"], r["text"]) for r in recs[: len(base)]]
    assert 0.2 < max(shares) < 0.9  # a share of each of its source articles, the bulk of none
    rng = random.Random(0)
    assert workload.perturb("<p>一句话。第二句话。</p>", rng).startswith("<p>")
    assert workload.remix("一句。二句。三句。", "四句。五句。", rng).count("句") >= 2


@pytest.fixture
def small_pool(monkeypatch):
    """A base pool of :data:`POOL` articles, so that a workload of :data:`SIZE` documents holds reprints and remixes."""
    full = workload.base_texts

    monkeypatch.setattr(workload, "base_texts", lambda limit=None: full(limit=limit or POOL))


@pytest.mark.benchmark
def test_run_all_writes_every_task_and_the_readme_table(bench_dirs, small_pool, tmp_path):
    from benchmarks import harness, run_all

    out = bench_dirs / "results"
    rows = run_all.run([SIZE], list(run_all.TASKS), runs=1, out_dir=out, in_process=True)
    saved = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    assert saved == json.loads(json.dumps(rows)) and {r["task"] for r in saved} == set(run_all.TASKS)
    for row in saved:
        assert set(harness.ROW_KEYS) <= set(row), row
        assert row["docs"] == SIZE and isinstance(row["peer"], str) and row["peer"]
        assert row["ours_s"] > 0 and row["peer_s"] > 0 and row["peak_rss_mb"] > 0
    [dups] = [r for r in saved if r["task"] == "near_duplicates"]
    assert dups["ours_result"]["pairs"] > 0  # the workload has reprints: a real comparison
    assert dups["ours_result"] == dups["peer_result"]  # the same pairs and clusters as datasketch's MinHashLSH

    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n{run_all.START}\nstale figures\n{run_all.END}\nrest\n", encoding="utf-8")
    run_all.update_readme(out, readme)
    text = readme.read_text(encoding="utf-8")
    assert "stale figures" not in text and text.endswith(f"{run_all.END}\nrest\n")
    assert all(f"| {r['task']} | {SIZE:,} |" in text for r in saved)
    run_all.update_readme(out, readme)
    assert readme.read_text(encoding="utf-8") == text  # regenerated, never appended


def test_harness_child_reports_one_run_as_json(bench_dirs, small_pool, capsys):
    from benchmarks import harness

    harness.main(["--child", "benchmarks.task_near_duplicates", "datasketch MinHashLSH", str(SIZE)])
    run = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert run["seconds"] > 0 and run["peak_rss_mb"] >= run["input_rss_mb"] > 0
    assert run["result"]["pairs"] > 0
    with pytest.raises(SystemExit, match="usage"):
        harness.main([])


def test_peak_memory_of_a_child_is_its_own():
    """Linux carries ru_maxrss over from the parent through fork and exec; the child must report its own peak."""
    import subprocess

    held = bytearray(400 * 2**20)
    held[::4096] = b"\x01" * len(held[::4096])  # touch every page: the parent's resident memory grows by 400 MB
    code = "from benchmarks.workload import peak_rss_mb; print(peak_rss_mb())"
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert float(out.stdout) < workload.peak_rss_mb() - 300
    del held


def test_lda_settings_are_the_notebooks():
    from benchmarks.task_lda import split_settings
    from helpers.paths import PROJECT_ROOT
    from helpers.report.notebooks import notebook_parameters

    declared = notebook_parameters(PROJECT_ROOT / "notebooks" / "03_lda_topics.ipynb")
    dictionary, fit = split_settings()
    assert {**dictionary, **fit} == {k: ast.literal_eval(declared[k]) for k in {**dictionary, **fit}}
    assert {"no_below", "no_above", "keep_n"} == set(dictionary) and {"passes", "iterations"} <= set(fit)


@pytest.mark.benchmark
def test_pipeline_benchmark_runs(bench_dirs, capsys):
    from benchmarks import bench_pipeline

    rows = bench_pipeline.run([SIZE // 2, SIZE])
    out = capsys.readouterr().out
    assert "pipeline of notebooks 01–04" in out
    assert [r["docs"] for r in rows] == [SIZE // 2, SIZE]
    assert rows[1]["size_ratio"] == 2 and rows[1]["rss_ratio"] > 0
    assert all(r[f"{s}_s"] > 0 for r in rows for s in bench_pipeline.STAGES)
