"""Repository hygiene: notebooks stripped and parameterised, code formatted and linted."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.paths import NOTEBOOKS_DIR, PROJECT_ROOT

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_committed_stripped_with_parameters_cell(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    params = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) == 1, "exactly one cell tagged 'parameters'"
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name}: outputs not stripped"
            assert cell.get("execution_count") is None, f"{path.name}: execution counts not stripped"
    assert nb["cells"][0]["cell_type"] == "markdown"


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
