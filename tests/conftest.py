"""Shared fixtures: paths of the test material and a papermill notebook runner."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.paths import DATA_DIR, NOTEBOOKS_DIR, PROJECT_ROOT, SEEDS_DIR, SHARED_CORPORA_DIR


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS_DIR


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA_DIR


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    """The shared development pool; tests that need it are skipped when it is absent (a user's clone)."""
    if not SHARED_CORPORA_DIR.is_dir():
        pytest.skip("../shared/corpora not present")
    return SHARED_CORPORA_DIR


def execute_notebook(name: str, output_dir: Path, **parameters) -> Path:
    """Execute ``notebooks/<name>`` top to bottom in a fresh kernel with papermill; return the executed copy.

    ``output_dir`` is passed as the notebook's ``output_dir`` parameter; the executed notebook is written there.
    """
    import papermill as pm

    output_dir.mkdir(parents=True, exist_ok=True)
    out_nb = output_dir / f"executed_{name}"
    pm.execute_notebook(
        str(NOTEBOOKS_DIR / name),
        str(out_nb),
        parameters={"output_dir": str(output_dir), **parameters},
        cwd=str(NOTEBOOKS_DIR),
        kernel_name="python3",
        progress_bar=False,
        request_save_on_cell_execute=False,
    )
    return out_nb


@pytest.fixture
def run_notebook():
    """``run_notebook(name, output_dir, **parameters)`` executes a notebook with papermill."""
    return execute_notebook


__all__ = ["PROJECT_ROOT", "execute_notebook"]
