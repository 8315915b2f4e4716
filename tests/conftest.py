"""Shared fixtures: paths of the test material and a papermill notebook runner."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from helpers.paths import DATA_DIR, NOTEBOOKS_DIR, PROJECT_ROOT, SEEDS_DIR, SHARED_CORPORA_DIR


def _shared_fixtures(item: pytest.Item) -> dict[str, str]:
    """The module- or session-scoped fixtures defined in the test's own module that the test uses (directly or
    through other fixtures), with their scope: built once per worker process, so the tests sharing one should
    share a worker."""
    module_id = item.nodeid.split("::")[0]
    info = getattr(item, "_fixtureinfo", None)  # pytest's fixture closure of the test (no public API exposes it)
    if info is None:
        return {}
    return {
        f"{module_id}::{name}": defs[-1].scope
        for name, defs in sorted(info.name2fixturedefs.items())
        if defs and defs[-1].scope in ("module", "session") and defs[-1].baseid == module_id
    }


def _start_rank(item: pytest.Item, shared: dict[str, str]) -> int:
    """When a test should start: a module's session-wide build (the seed report) first, then notebook runs, then
    tests sharing a fixture, then the rest, so that no long test starts last while the other worker sits idle."""
    if "session" in shared.values():
        return 0
    if item.get_closest_marker("notebook"):
        return 1
    return 2 if shared else 3


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Group the tests that share an expensive fixture, and start the slow ones first.

    ``make test`` runs ``pytest -n 2 --dist loadgroup --no-loadscope-reorder``: tests marked with the same
    ``xdist_group`` run in one worker, every other test goes to whichever worker is free, in the order of the
    collection. Tests that share a module- or session-scoped fixture of their module (a notebook executed once and
    checked by several tests, a rendered report) are put in one group, so that the fixture is built once rather
    than once per worker, and the slow tests are moved to the front (:func:`_start_rank`). Both are deterministic,
    as pytest-xdist requires every worker to collect the same tests in the same order.
    """
    parent: dict[str, str] = {}

    def find(name: str) -> str:
        while parent.setdefault(name, name) != name:
            name = parent[name]
        return name

    shared = {item.nodeid: _shared_fixtures(item) for item in items}
    for fixtures in shared.values():  # tests linked through any shared fixture end up in one group (union-find)
        names = list(fixtures)
        for other in names[1:]:
            parent[find(other)] = find(names[0])
    for item in items:
        if shared[item.nodeid]:
            item.add_marker(pytest.mark.xdist_group(find(next(iter(shared[item.nodeid])))))
    items.sort(key=lambda item: _start_rank(item, shared[item.nodeid]))


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


def check_stripped(notebook: str | Path | nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Assert that a committed notebook is stripped and parameterised, as CI requires; return its parameters cell.

    The one check of a committed notebook (used by tests/test_repository.py for every notebook and by the notebook
    tests): the first cell is markdown (title and overview), exactly one cell is tagged ``parameters``, and no code
    cell keeps outputs or an execution count (``nbstripout --keep-id``).

    Parameters
    ----------
    notebook : str, Path or nbformat.NotebookNode
        A notebook name in ``notebooks/``, a path, or a notebook already read.

    Returns
    -------
    nbformat.NotebookNode
        The ``parameters`` cell.
    """
    name = "notebook"
    if not isinstance(notebook, nbformat.NotebookNode):
        name = Path(notebook).name
        notebook = nbformat.read(NOTEBOOKS_DIR / notebook, as_version=4)  # an absolute path stays as it is
    assert notebook.cells and notebook.cells[0].cell_type == "markdown", f"{name}: first cell is not markdown"
    params = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1, f"{name}: {len(params)} cells tagged 'parameters', expected exactly one"
    for i, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert not cell.get("outputs"), f"{name}: cell {i}: outputs not stripped"
            assert cell.get("execution_count") is None, f"{name}: cell {i}: execution count not stripped"
    return params[0]


@pytest.fixture
def run_notebook():
    """``run_notebook(name, output_dir, **parameters)`` executes a notebook with papermill."""
    return execute_notebook


__all__ = ["PROJECT_ROOT", "SEED_WORDS", "check_stripped", "execute_notebook", "executed_prose"]


@pytest.fixture
def close_figures():
    """Close every matplotlib figure a test left open (the figure tests use it for each test of their module)."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


#: Words of sentences written for the seed documents, forbidden in the prose of a report on another corpus (the
#: random ``seed`` parameter of a notebook is a different thing and may appear).
SEED_WORDS = re.compile(
    r"seed (document|corpus|page|report|article|stor)|\bseeds/|on the seeds|\bfive\b|五篇|poverty|脱贫|重庆|chongqing",
    re.I,
)


def executed_prose(path: Path) -> str:
    """What a reader of the report reads as sentences: the markdown cells and the Markdown outputs of code cells."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            parts.append("".join(cell["source"]))
        for out in cell.get("outputs", []):
            md = out.get("data", {}).get("text/markdown")
            if md:
                parts.append("".join(md))
    return "\n".join(parts)
