"""Repository hygiene: notebooks stripped and parameterised, code formatted and linted."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.paths import NOTEBOOKS_DIR, PROJECT_ROOT
from tests.conftest import check_stripped

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_committed_stripped_with_parameters_cell(path: Path):
    params = check_stripped(path)
    assert params.cell_type == "code" and "corpus = " in params.source


def test_numbered_notebooks_present():
    names = {p.name for p in NOTEBOOKS}
    assert {"01_cleaning.ipynb"} <= names


def _ruff():
    exe = Path(sys.executable).parent / "ruff"
    return str(exe) if exe.exists() else shutil.which("ruff")


def test_ruff_check_clean():
    ruff = _ruff()
    if ruff is None:
        pytest.skip("ruff not installed")
    res = subprocess.run([ruff, "check", "."], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout[-3000:]


def test_ruff_format_clean():
    ruff = _ruff()
    if ruff is None:
        pytest.skip("ruff not installed")
    res = subprocess.run(
        [
            ruff,
            "format",
            "--check",
            *[d for d in ("helpers", "tests", "scripts", "benchmarks") if (PROJECT_ROOT / d).is_dir()],
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stdout[-3000:]


def test_pyproject_declares_license_and_data_folders_without_setuptools_warnings():
    """setuptools>=77 warns about a license table and about data folders that are not declared packages."""
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert isinstance(config["project"]["license"], str)  # an SPDX expression, not {text = ...}
    assert any(req.replace(" ", "").startswith("setuptools>=77") for req in config["build-system"]["requires"])
    tool = config["tool"]["setuptools"]
    assert "packages" not in tool or "find" in tool["packages"], "list packages with packages.find (helpers*)"
    include = tool["packages"]["find"]["include"]
    package_data = tool["package-data"]
    data_folders = sorted(
        ".".join(folder.relative_to(PROJECT_ROOT).parts)
        for folder in (PROJECT_ROOT / "helpers").rglob("*")
        if folder.is_dir()
        and folder.name != "__pycache__"
        and not (folder / "__init__.py").exists()
        and any(p.is_file() for p in folder.iterdir())
    )
    assert "helpers.resources" in data_folders and "helpers.templates.tuopin" in data_folders
    for name in data_folders:  # each folder of data files is a (namespace) package with its files as data
        assert any(name == pattern or (pattern.endswith(".*") and name.startswith(pattern[:-1])) for pattern in include)
        assert package_data.get(name) == ["*"], f"{name}: declare its files in [tool.setuptools.package-data]"


def _make_dry_run(*args: str) -> str:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make not installed")
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}  # under `make test`
    res = subprocess.run(
        [make, "-n", "--no-print-directory", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert res.returncode == 0, res.stderr
    return res.stdout


def test_make_lab_allows_root_and_report_can_leave_the_corpus_out():
    lab = _make_dry_run("lab").splitlines()[-1]
    assert lab.startswith(".venv/bin/jupyter lab") and '[ "$(id -u)" = 0 ] && echo --allow-root' in lab
    res = subprocess.run(
        ["bash", "-c", lab.split(" ", 1)[1].replace("lab --notebook-dir=notebooks", "echo", 1)],
        capture_output=True,
        text=True,
    )
    assert ("--allow-root" in res.stdout) == (os.getuid() == 0)
    assert "--no-corpus" in _make_dry_run("report", "INCLUDE_CORPUS=0").splitlines()[-1]
    assert "--no-corpus" not in _make_dry_run("report").splitlines()[-1]


def test_report_files_and_zip_members_are_readable_by_others_under_umask_022(tmp_path: Path):
    """Review R7 #17: CSV, xlsx and the zip were -rw------- (tempfile.mkstemp), HTML and PNG -rw-r--r--."""
    import json
    import stat
    import zipfile

    import pandas as pd

    from helpers.report import zip_report
    from helpers.tables import write_table, write_workbook

    lines = (PROJECT_ROOT / "data/xwlb_sections_heldout/xwlb_sections_heldout.jsonl").read_text(encoding="utf-8")
    stories = pd.DataFrame([json.loads(line) for line in lines.splitlines()[:20]])
    out = tmp_path / "report" / "02_tfidf_keywords"
    old = os.umask(0o022)
    try:
        written = [
            write_table(stories[["id", "date", "title"]], out, "stories", description="新闻联播 stories"),
            write_workbook(out, name="tables"),
        ]
        archive = zip_report(tmp_path / "report")
    finally:
        os.umask(old)
    written += [out / "tables.json", archive]
    assert [stat.filemode(p.stat().st_mode) for p in written] == ["-rw-r--r--"] * len(written)
    with zipfile.ZipFile(archive) as z:
        modes = {i.filename: stat.filemode(i.external_attr >> 16) for i in z.infolist()}
    assert modes and set(modes.values()) == {"-rw-r--r--"}, modes
    assert not list(out.glob(".*.tmp"))  # no temporary file left behind
