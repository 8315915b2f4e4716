"""Building a report: run every numbered notebook on one corpus, assemble the pages, publish the folder.

:func:`build_report` is a sequence of named steps:

1. :func:`_plan` resolves the corpus, finds the notebooks and checks the parameters against their ``parameters``
   cells; :func:`_guess_text_column` and :func:`_load_corpus_once` load the corpus once, so that a corpus that
   cannot be read stops the run before any notebook does;
2. under the report's lock (:func:`report_lock`), :func:`_build_locked` executes each notebook with papermill
   (:func:`_run_notebook`), assembles the folder (:func:`_assemble`: API reference, index, fonts, no machine
   paths, ``report_info.json``, no resource from another host) and publishes it (:func:`_publish`).

The report is built in ``reports/.<name>.partial`` and moved into place only when every notebook succeeded; on
failure the notebook's name and error are printed, a ``FAILED`` file is left in the partial folder (no index), and
the previous report, if any, is left untouched. One run at a time builds a given report: a run holds
``reports/.<name>.lock`` from before it touches the partial folder until it has published, and a second run on the
same corpus waits (``--lock-timeout``), then stops without touching either folder.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..paths import NOTEBOOKS_DIR, REPORTS_DIR, atomic_write, corpus_name, display_path, resolve_path
from .assets import (
    ASSETS_DIR,
    FONT_STYLESHEET,
    compact_figures,
    drop_itables_script,
    drop_written_pages,
    link_written_pages,
    page_weight_table,
    share_page_assets,
    write_font_stylesheet,
)
from .browser import OUTSIDE_REPORT_CLASS, check_report
from .notebooks import declared_default, discover_notebooks, notebook_parameters, notebook_summary, parse_param_value
from .offline import (
    CORPUS_FILES,
    ReportError,
    embed_cjk_font_in_pages,
    external_references_in_folder,
    local_paths,
    render_api_reference,
    render_index_html,
    render_notebook_html,
    strip_local_paths,
    strip_local_paths_in_folder,
)

__all__ = [
    "INTERACTIVE_VIEWS",
    "MAIL_LIMIT_BYTES",
    "ZIP_LEAVES_OUT",
    "build_report",
    "human_size",
    "interactive_views",
    "main",
    "notebook_files",
    "report_lock",
    "zip_contents_note",
    "zip_left_out",
    "zip_report",
]

#: Parameters every notebook takes from the report itself (``--corpus``, the report folder), never from ``-p``.
RESERVED_PARAMETERS = ("corpus", "output_dir")
#: What the index says of the files a notebook folder holds besides its tables (``tables.json`` describes those).
FILE_DESCRIPTIONS = {
    "run_info.json": "How this run was made: parameters, corpus hash, package versions, git revision",
    "tables.json": "The tables of this folder with their descriptions (machine-readable)",
    **{name: "The cleaned corpus: every document as the notebooks analysed it" for name in CORPUS_FILES},
}
SUFFIX_DESCRIPTIONS = {
    ".xlsx": "Every table of this folder as a sheet of one Excel workbook",
    ".ipynb": "The executed notebook with its outputs, less the tables' script and inline views (the page has them); "
    "in this folder, not in the zip",
    ".png": "Figure",
    ".html": "Page (opens in a browser, offline)",
}
#: Loading parameters: given once, passed to every notebook that declares them, so all analyse the same documents.
LOADING_PARAMETERS = ("text_column", "id_column", "errors")


@contextlib.contextmanager
def report_lock(
    reports: str | os.PathLike[str], name: str, *, timeout: float = 0, log: Callable[[str], None] = print
) -> Iterator[Path]:
    """Hold ``reports/.<name>.lock`` (``fcntl.flock``) while a report on that corpus is built.

    A second run on the same corpus waits up to ``timeout`` seconds (saying so once), then gives up. The lock is
    released when the holder exits, also when it crashes or is killed (the kernel drops ``flock`` locks with the
    process); the file itself stays.

    Parameters
    ----------
    reports : path-like
        The reports folder (created if missing).
    name : str
        The report's name.
    timeout : float, default 0
        Seconds to wait for another holder.
    log : callable, default print
        Receives the one "waiting" message.

    Yields
    ------
    Path
        The lock file, which names the holding process while it is held.

    Raises
    ------
    ReportError
        When another run still holds the lock after ``timeout`` seconds (the message names it).

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> with report_lock(folder, "seeds"):
    ...     with report_lock(folder, "seeds", timeout=0) as held:
    ...         pass
    Traceback (most recent call last):
    ...
    helpers.report.ReportError: another report run on corpus 'seeds' is in progress (...)...
    """
    import fcntl

    folder = Path(reports)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f".{name}.lock"
    handle = open(path, "a+", encoding="utf-8")  # held open for the whole build, closed below
    try:
        deadline = time.monotonic() + max(float(timeout), 0.0)
        waiting = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = path.read_text(encoding="utf-8", errors="replace").strip() or "unknown process"
                if time.monotonic() >= deadline:
                    raise ReportError(
                        f"another report run on corpus {name!r} is in progress ({holder}); it holds {path}. "
                        f"Wait for it to finish (or stop it) and run again; the published report is not touched."
                    ) from None
                if not waiting:
                    log(f"waiting up to {timeout:g} s for another report run on {name!r} to finish ({holder})")
                    waiting = True
                time.sleep(min(1.0, max(deadline - time.monotonic(), 0.05)))
        handle.seek(0)
        handle.truncate()
        started = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
        handle.write(f"pid {os.getpid()}, started {started}")
        handle.flush()
        yield path
    finally:
        handle.close()  # releases the lock


# ----------------------------------------------------------------------------------------------------------------
# Before the lock: what to build


@dataclass
class _Build:
    """Everything one report build needs, decided before any notebook runs."""

    source: Path
    name: str
    reports: Path
    nb_dir: Path
    notebooks: list[Path]
    declared: dict[str, dict[str, str]]
    params: dict[str, object]
    api: bool
    include_corpus: bool
    zip_file: bool
    show_code: bool
    progress_bar: bool
    log: Callable[[str], None]
    started: float
    first_docs: list[str] = field(default_factory=list)
    loading: str = ""  # what became of the corpus's files and rows, counted (helpers.corpus.loading_account)
    notes: list[str] = field(default_factory=list)  # what the build decided for the user (shown on the index)

    @property
    def final(self) -> Path:
        return self.reports / self.name

    @property
    def partial(self) -> Path:
        return self.reports / f".{self.name}.partial"


def _check_parameters(params: Mapping[str, object], declared: Mapping[str, Mapping[str, str]]) -> None:
    """Refuse a parameter no notebook defines, and the parameters the report sets itself."""
    every = set().union(*(set(d) for d in declared.values()))
    unknown = sorted(set(params) - every)
    if unknown:
        known = sorted(every - set(RESERVED_PARAMETERS))
        raise ReportError(f"parameter(s) {', '.join(unknown)} not defined by any notebook; known: {', '.join(known)}")
    for reserved in RESERVED_PARAMETERS:
        if reserved in params:
            raise ReportError(f"-p {reserved} is set by the report itself; use --corpus / --reports-dir")


def _plan(
    corpus: str | os.PathLike[str],
    *,
    params: Mapping[str, object] | None,
    reports_dir: str | os.PathLike[str] | None,
    notebooks_dir: str | os.PathLike[str] | None,
    name: str | None,
    **options,
) -> _Build:
    """Resolve the corpus and the folders, find the notebooks, check the parameters."""
    params = dict(params or {})
    source = resolve_path(corpus)
    if not source.exists():
        raise ReportError(f"{corpus}: corpus not found (tried the working directory, notebooks/ and the project root)")
    nb_dir = Path(notebooks_dir).resolve() if notebooks_dir else NOTEBOOKS_DIR
    notebooks = discover_notebooks(nb_dir)
    if not notebooks:
        raise ReportError(f"{nb_dir}: no numbered notebooks ([0-9][0-9]_*.ipynb) to render")
    declared = {nb.stem: notebook_parameters(nb) for nb in notebooks}
    _check_parameters(params, declared)
    return _Build(
        source=source,
        name=name or corpus_name(source),
        reports=Path(reports_dir).resolve() if reports_dir else REPORTS_DIR,
        nb_dir=nb_dir,
        notebooks=notebooks,
        declared=declared,
        params=params,
        **options,
    )


def _guess_text_column(build: _Build) -> None:
    """Without ``-p text_column``, a table without a ``text`` column uses its one column of running Chinese text."""
    from ..corpus import guess_text_column

    if "text_column" in build.params or not any("text_column" in d for d in build.declared.values()):
        return
    guessed = guess_text_column(build.source)
    if guessed and guessed != "text":
        build.log(
            f"note: {build.source.name} has no 'text' column; using {guessed!r}, the one column of running Chinese "
            f"text (choose another with -p text_column NAME)"
        )
        build.params["text_column"] = guessed
        build.notes.append(
            f"text column guessed: {guessed} (the corpus has no `text` column and {guessed} is its only column of "
            f"running Chinese text; choose another with -p text_column NAME)"
        )


#: Characters of a document's opening on the index when it has no title (a line of the page).
OPENING_CHARS = 40


def _first_documents(docs, *, n: int = 5) -> list[str]:
    """Titles (or openings) of the corpus's first documents, for the index page; an opening ends in "…" only when
    the text is longer than :data:`OPENING_CHARS` and was cut."""
    import pandas as pd

    out = []
    for _, row in docs.head(n).iterrows():
        title = row.get("title")
        label = str(title) if title is not None and not pd.isna(title) and str(title).strip() else ""
        text = " ".join(str(row["text"]).split())
        label = label or (text if len(text) <= OPENING_CHARS else text[:OPENING_CHARS] + "…")
        out.append(f"{row['doc_id']}: {label}")
    return out


def _note_id_column(build: _Build, loaded, requested: str) -> None:
    """The id column the loader chose when the corpus has no ``requested`` column goes to every notebook (as a
    guessed text column: no warning on the pages); the index says so, or why a column named like an id was not
    used, in the ``-p`` options of ``make report``."""
    from ..corpus import id_like_column

    used = loaded.id_column
    if used is not None and used != requested and "id_column" not in build.params:
        build.params["id_column"] = used
        build.notes.append(
            f"id column guessed: {used} (the corpus has no `{requested}` column; ids are read from {used}, whose "
            f"values are unique, as with -p id_column {used}; choose another with -p id_column NAME)"
        )
    name = id_like_column(loaded.docs.columns) if used is None else None
    if name is not None:
        build.notes.append(
            f"ids are row numbers: the corpus has no `{requested}` column, and {name} is not used as ids because its "
            f"values are not all unique and non-empty (use it anyway with -p id_column {name})"
        )


def _load_corpus_once(build: _Build) -> tuple[list[str], str]:
    """Load the corpus with the notebooks' loading parameters; returns its first documents for the index and the
    count of what was loaded and skipped, by reason (:func:`helpers.corpus.loading_account`). What loading decided
    for the user (a conversion from Traditional, an id column guessed, files not read as UTF-8) goes to
    ``build.notes``.

    The cleaned corpus is cached, so the notebooks reuse it; a corpus that cannot be read (no text column, bad
    rows with ``errors="raise"``) stops here with the loader's message, before any notebook runs.
    """
    from ..corpus import CorpusError, encoding_summary, load_corpus, loading_account, traditional_summary

    options = {key: build.params.get(key, declared_default(build.declared, key)) for key in LOADING_PARAMETERS}
    try:
        loaded = load_corpus(build.source, **{k: v for k, v in options.items() if v is not None}, progress=False)
    except CorpusError as exc:
        raise ReportError(str(exc)) from None
    _note_id_column(build, loaded, options["id_column"] or "id")
    converted = traditional_summary(loaded)
    if converted:  # the pages show Simplified terms for a corpus written in Traditional
        build.notes.append(converted)
    encoded = encoding_summary(loaded)
    if encoded:  # a GBK or Big5 file looks like any other on the pages: the index says how it was read
        build.notes.append(encoded)
    return _first_documents(loaded.docs), loading_account(loaded)


def build_report(
    corpus: str | os.PathLike[str],
    *,
    params: Mapping[str, object] | None = None,
    reports_dir: str | os.PathLike[str] | None = None,
    notebooks_dir: str | os.PathLike[str] | None = None,
    name: str | None = None,
    api: bool = True,
    include_corpus: bool = True,
    zip_file: bool = True,
    show_code: bool = False,
    lock_timeout: float = 600,
    progress_bar: bool = True,
    log: Callable[[str], None] = print,
) -> Path:
    """Execute every numbered notebook on ``corpus`` and render the report; returns ``reports/<name>/``.

    Pages and ``report_info.json`` name no folder of this machine (:func:`helpers.report.strip_local_paths`): the
    corpus is shown relative to the project, or by its file name, and identified by its content hash.

    Parameters
    ----------
    corpus : path-like
        Anything :func:`helpers.corpus.load_corpus` reads: a folder of documents (.txt/.md/.html/.docx/.pdf) and
        tables, a CSV, JSONL or Excel file (relative paths as in :func:`helpers.paths.resolve_path`).
    params : mapping, optional
        Extra papermill parameters, passed to each notebook whose parameters cell defines the name.
        ``text_column``, ``id_column`` and ``errors`` go to every notebook, so all of them analyse the same
        documents under the same ids. Without ``text_column``, a table without a ``text`` column uses the one
        column that clearly holds running Chinese text (:func:`helpers.corpus.guess_text_column`); if none does,
        the build stops before any notebook runs, with the error listing the columns.
    reports_dir : path-like, optional
        Where reports go (default :data:`helpers.paths.REPORTS_DIR`, i.e. ``reports/`` or ``$TUOPIN_REPORTS_DIR``).
    notebooks_dir : path-like, optional
        Where the notebooks are (default ``notebooks/``).
    name : str, optional
        The report's folder name (default :func:`helpers.paths.corpus_name` of the corpus).
    api : bool, default True
        Also render the ``helpers`` API reference into ``api/``.
    include_corpus : bool, default True
        Keep the cleaned corpus (:data:`helpers.report.CORPUS_FILES`, e.g. ``01_cleaning/cleaned.jsonl``) in the
        report folder; ``False`` removes it after rendering, for a folder shared with people who may not have
        the texts.
    zip_file : bool, default True
        Also write the published folder as ``reports/<name>.zip`` (:func:`zip_report`), to send by mail.
    show_code : bool, default False
        Show the code cells on the pages; by default they are folded under a "show code" toggle.
    lock_timeout : float, default 600
        Seconds to wait for another run on the same corpus to finish (:func:`report_lock`) before giving up.
    progress_bar : bool, default True
        Show papermill's per-cell progress bar.
    log : callable, default print
        Receives the progress messages.

    Returns
    -------
    Path
        The published report folder.

    Raises
    ------
    ReportError
        For a missing corpus, an unknown parameter, a corpus that cannot be loaded (no text column...), another
        run on the same corpus, a failing notebook (the message names it) or a page that would load a resource
        from another host. The partial build is left in ``reports/.<name>.partial`` with a ``FAILED`` file; an
        existing report is not touched.
    """
    started = time.monotonic()
    build = _plan(
        corpus,
        params=params,
        reports_dir=reports_dir,
        notebooks_dir=notebooks_dir,
        name=name,
        api=api,
        include_corpus=include_corpus,
        zip_file=zip_file,
        show_code=show_code,
        progress_bar=progress_bar,
        log=log,
        started=started,
    )
    _guess_text_column(build)
    build.first_docs, build.loading = _load_corpus_once(build)
    with report_lock(build.reports, build.name, timeout=lock_timeout, log=log):
        return _build_locked(build)


# ----------------------------------------------------------------------------------------------------------------
# Under the lock: execute, assemble, publish


def _build_locked(build: _Build) -> Path:
    """The part of :func:`build_report` that runs under the report's lock: execute, assemble, publish."""
    if build.partial.exists():  # left by a run that failed or was killed; no run holds it now (we hold the lock)
        shutil.rmtree(build.partial)
    build.partial.mkdir(parents=True)
    paths = local_paths(source=build.source, report_dirs=(build.partial, build.final))
    build.log(f"Report for corpus {build.name!r} ({build.source}) -> {build.final}")
    build.log(f"{len(build.notebooks)} notebooks: {', '.join(nb.name for nb in build.notebooks)}")
    try:
        runs = [_run_notebook(build, i, nb_path, paths) for i, nb_path in enumerate(build.notebooks, 1)]
        _assemble(build, [entry for entry, _ in runs], [info for _, info in runs], paths)
    except BaseException as exc:
        _mark_failed(build, exc)
        raise
    _publish(build)
    if build.zip_file:
        archive = _zip_with_size(build.final)
        build.log(f"Zip of the report: {archive} ({human_size(archive.stat().st_size)})")
    build.log(f"Report ready: {build.final / 'index.html'} ({time.monotonic() - build.started:.0f} s)")
    return build.final


@contextlib.contextmanager
def _inline_figures_env():
    """Let the kernels embed matplotlib figures even when the caller set ``MPLBACKEND=Agg`` (as tests do)."""
    old = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = old


def _error_text(exc: BaseException) -> str:
    ename = getattr(exc, "ename", None)
    if ename:
        return f"{ename}: {getattr(exc, 'evalue', '')}".strip()
    return f"{type(exc).__name__}: {exc}"


def _notebook_params(build: _Build, stem: str, out: Path) -> dict[str, object]:
    """The parameters one notebook receives: the corpus, its output folder, and the ``-p`` values it declares."""
    passed: dict[str, object] = {"corpus": str(build.source), "output_dir": str(out)}
    for key, value in build.params.items():
        if key in build.declared[stem]:
            passed[key] = value
        else:
            build.log(f"  note: {stem} has no parameter {key!r}; not passed to it")
    return passed


def _execute(build: _Build, nb_path: Path, executed: Path, passed: Mapping[str, object]) -> None:
    """Run one notebook top to bottom with papermill into ``executed``; a failure names the notebook."""
    import papermill as pm

    from .notebooks import readable_parameters

    readable_parameters()  # the injected cell shows 正文, not \u6b63\u6587
    try:
        with _inline_figures_env():
            pm.execute_notebook(
                str(nb_path),
                str(executed),
                parameters=dict(passed),
                cwd=str(build.nb_dir),
                kernel_name="python3",
                progress_bar=build.progress_bar,
                request_save_on_cell_execute=True,
            )
    except Exception as exc:  # papermill raises PapermillExecutionError, kernels can die in other ways
        raise ReportError(
            f"notebook {nb_path.name} failed: {_error_text(exc)}\n"
            f"  the executed notebook with the full traceback: {executed}"
        ) from exc


def _run_info(build: _Build, out: Path, stem: str) -> dict:
    """The notebook's ``run_info.json``, or provenance recorded by the report when it wrote none."""
    from ..provenance import git_revision, package_versions

    info_path = out / "run_info.json"
    if info_path.is_file():
        return json.loads(info_path.read_text(encoding="utf-8"))
    build.log(f"  warning: {stem} wrote no run_info.json; provenance recorded by the report instead")
    return {
        "params": {},
        "versions": package_versions(),
        "git_revision": git_revision(),
        "corpus": display_path(build.source),
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }


def _provenance(info: Mapping, *, stem: str, title: str, corpus_label: str, passed: Mapping) -> dict:
    """The provenance block at the top of a notebook's page (template ``helpers/templates/tuopin``)."""
    params = dict(info.get("params") or {}) or dict(passed)
    versions = sorted((str(k), str(v)) for k, v in (info.get("versions") or {}).items())
    return {
        "stem": stem,
        "title": title or stem,
        "corpus_name": corpus_label,
        "corpus": display_path(passed["corpus"]) if passed.get("corpus") else str(info.get("corpus", "")),
        "n_documents": info.get("n_documents", "not recorded"),
        "corpus_hash": info.get("corpus_hash", "not recorded"),
        "params_text": json.dumps(params, ensure_ascii=False, sort_keys=True, default=str),
        "passed_text": " ".join(f"-p {k} {v}" for k, v in passed.items()),
        "created": info.get("created", ""),
        "git_revision": info.get("git_revision", "unknown"),
        "versions": versions,
    }


def _index_entry(stem: str, *, title: str, summary: str, seconds: float, passed: Mapping, info: Mapping) -> dict:
    """One notebook's line on the index page."""
    shown = {k: v for k, v in passed.items() if k not in RESERVED_PARAMETERS}
    return {
        "stem": stem,
        "html": f"{stem}.html",
        "title": title or stem,
        "summary": summary,
        "seconds": f"{seconds:.0f}",
        "params": shown,
        "params_text": json.dumps(shown, ensure_ascii=False) if shown else "",
        "n_documents": info.get("n_documents"),
        "corpus_hash": info.get("corpus_hash"),
    }


def _run_notebook(build: _Build, i: int, nb_path: Path, paths: Sequence[tuple[str, str]]) -> tuple[dict, dict]:
    """Execute one notebook into its output folder and render its page; returns its index entry and run info."""
    import nbformat

    stem, n = nb_path.stem, len(build.notebooks)
    out = build.partial / stem
    out.mkdir()
    passed = _notebook_params(build, stem, out)
    build.log(f"[{i}/{n}] {stem}: executing")
    t0 = time.monotonic()
    executed = out / nb_path.name
    _execute(build, nb_path, executed, passed)
    seconds = time.monotonic() - t0
    nb = nbformat.read(executed, as_version=4)
    if compact_figures(nb):  # the page and the executed notebook both embed the figures
        nbformat.write(nb, executed)
    title, summary = notebook_summary(nb)
    info = _run_info(build, out, stem)
    prov = _provenance(info, stem=stem, title=title, corpus_label=build.name, passed=passed)
    page = build.partial / f"{stem}.html"
    page.write_text(strip_local_paths(_render_page(build, nb, nb_path, prov), paths), "utf-8")
    if drop_itables_script(nb) + drop_written_pages(nb, out):  # the copy kept in the report: see the page
        nbformat.write(nb, executed)
    build.log(f"[{i}/{n}] {stem}: done in {seconds:.0f} s")  # its page size: after assets/ (see _assemble)
    entry = _index_entry(stem, title=title, summary=summary, seconds=seconds, passed=passed, info=info)
    return entry, info


def _render_page(build: _Build, nb, nb_path: Path, provenance: Mapping) -> str:
    """A notebook's report page, linking the report's shared font and the pages the notebook wrote (its pyLDAvis
    view) rather than holding copies (:mod:`helpers.report.assets`; :func:`_assemble` moves the DataTables script
    and the style sheets the pages share into ``assets/``)."""
    import copy

    shown = copy.deepcopy(nb)
    link_written_pages(shown, build.partial / nb_path.stem, href_prefix=f"{nb_path.stem}/")
    return render_notebook_html(
        shown, provenance=provenance, notebook_path=nb_path, show_code=build.show_code, font_href=FONT_STYLESHEET
    )


def _api_reference(build: _Build, git_rev: str) -> tuple[bool, str]:
    """Render the API reference into ``api/`` when asked and pdoc is installed; returns (rendered, pdoc version)."""
    try:
        import pdoc
    except ImportError:
        if build.api:
            build.log("  note: pdoc is not installed (make setup installs it): no API reference in this report")
        return False, ""
    if build.api:
        build.log("API reference: pdoc helpers -> api/")
        render_api_reference(build.partial / "api", footer=f"tuopin-notebooks {git_rev}", font=FONT_STYLESHEET)
    return build.api, pdoc.__version__


def _corpus_files(build: _Build) -> list[Path]:
    """The cleaned corpus files the notebooks wrote; removed from the folder with ``--no-corpus``."""
    found = sorted(p for p in build.partial.glob("*/*") if p.name in CORPUS_FILES)
    if not build.include_corpus:
        for path in found:
            path.unlink()
        if found:
            names = ", ".join(str(p.relative_to(build.partial)) for p in found)
            build.log(f"  cleaned corpus left out (--no-corpus): {names}")
    return found


def _command_line(corpus, params: Mapping[str, object], *, include_corpus: bool = True) -> str:
    args = ["python", "-m", "helpers.report", "--corpus", str(corpus)]
    for key, value in params.items():
        args += ["-p", key, str(value)]
    if not include_corpus:
        args.append("--no-corpus")
    return " ".join(args)


def _index_context(build: _Build, entries: list[dict], infos: list[dict], **extra) -> dict:
    """The index page's variables: the corpus, the run, the notebooks (``extra``: api, pdoc_version, ...)."""
    from ..provenance import package_versions

    hashes = sorted({str(i["corpus_hash"]) for i in infos if i.get("corpus_hash")})
    counts = sorted({int(i["n_documents"]) for i in infos if i.get("n_documents") is not None})
    versions = next((i["versions"] for i in infos if i.get("versions")), None) or package_versions()
    run_date = min((i.get("created", "") for i in infos if i.get("created")), default="")
    shown_corpus = display_path(build.source)
    return {
        "corpus_name": build.name,
        "corpus": shown_corpus,
        "n_documents": ", ".join(f"{n:,}" for n in counts) if counts else "not recorded",
        "corpus_hash": ", ".join(hashes) if hashes else "not recorded",
        "run_date": run_date or _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "duration": f"{time.monotonic() - build.started:.0f} s",
        "params_text": json.dumps(build.params, ensure_ascii=False) if build.params else "defaults",
        "notes": list(build.notes),
        "command": _command_line(shown_corpus, build.params, include_corpus=build.include_corpus),
        "notebooks": entries,
        "first_documents": build.first_docs,
        "loading": build.loading,
        # the page that lists every skipped file and row: the cleaning notebook, run first
        "loading_page": next((e["html"] for e in entries if str(e["stem"]).startswith("01")), None),
        "corpus_included": build.include_corpus,
        "versions": sorted(versions.items()),
        **extra,
    }


def human_size(n: int) -> str:
    """A file size for people (SI units, as the build log).

    >>> human_size(812), human_size(12_345), human_size(4_100_000)
    ('812 B', '12.3 kB', '4.1 MB')
    """
    if n < 1000:
        return f"{n} B"
    if n < 1_000_000:
        return f"{n / 1e3:.1f} kB"
    return f"{n / 1e6:.1f} MB"


def notebook_files(folder: str | os.PathLike[str], *, href_prefix: str = "") -> list[dict]:
    """The files of a notebook's output folder as the index lists them: its tables first (in the order
    ``tables.json`` records them, with their descriptions and row counts), then every other file by name.

    Parameters
    ----------
    folder : path-like
        A notebook's output folder in the report.
    href_prefix : str, default ""
        Prepended to each (URL-quoted) file name to make the link (the folder's name relative to the index).

    Returns
    -------
    list of dict
        ``name``, ``href``, ``size`` (for people), ``bytes``, ``description`` (may be empty), ``rows`` (tables only,
        else None).

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> from helpers.tables import write_table
    >>> out = Path(tempfile.mkdtemp())
    >>> _ = write_table(pd.DataFrame({"词": ["脱贫"]}), out, "terms", description="Terms")
    >>> _ = (out / "run_info.json").write_text("{}")
    >>> [(f["name"], f["description"], f["rows"]) for f in notebook_files(out, href_prefix="02/")]
    [('terms.csv', 'Terms', 1), ('run_info.json', 'How this run was made: parameters, corpus hash, package versions,
      git revision', None), ('tables.json', 'The tables of this folder with their descriptions (machine-readable)', None)]
    """
    from urllib.parse import quote

    from ..tables import read_tables

    folder = Path(folder)
    files, seen = [], set()

    def add(path: Path, description: str, rows: int | None) -> None:
        size = path.stat().st_size
        files.append(
            {
                "name": path.name,
                "href": href_prefix + quote(path.name),
                "size": human_size(size),
                "bytes": size,
                "description": description,
                "rows": rows,
            }
        )
        seen.add(path.name)

    for table in read_tables(folder):
        path = folder / table["file"]
        if path.is_file() and path.name not in seen:
            add(path, table["description"], table["rows"])
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.name.startswith(".") and path.name not in seen:
            description = FILE_DESCRIPTIONS.get(path.name) or SUFFIX_DESCRIPTIONS.get(path.suffix.lower(), "")
            add(path, description, None)
    return files


#: Pages a notebook writes that the index links at the top (file name in the notebook's folder, what it is).
INTERACTIVE_VIEWS: tuple[tuple[str, str], ...] = (
    ("ldavis.html", "Topics, interactive: pyLDAvis (click a topic circle, move λ)"),
    ("kwic.html", "Concordance (keyword in context), searchable"),
)


def interactive_views(folder: str | os.PathLike[str], entries: Sequence[Mapping]) -> list[dict]:
    """The interactive pages of :data:`INTERACTIVE_VIEWS` present in a report's notebook folders, for the index.

    Parameters
    ----------
    folder : path-like
        The report folder.
    entries : sequence of mapping
        The notebooks of the report, each with ``stem`` (its output folder) and ``title``.

    Returns
    -------
    list of dict
        ``href`` (relative to the index), ``label`` and ``notebook`` (the title of the notebook that wrote it).

    Examples
    --------
    >>> import tempfile
    >>> report = Path(tempfile.mkdtemp())
    >>> (report / "03_lda_topics").mkdir()
    >>> _ = (report / "03_lda_topics" / "ldavis.html").write_text("<html></html>")
    >>> [v["href"] for v in interactive_views(report, [{"stem": "03_lda_topics", "title": "03 · Topics"}])]
    ['03_lda_topics/ldavis.html']
    """
    folder = Path(folder)
    return [
        {"href": f"{entry['stem']}/{name}", "label": label, "notebook": entry.get("title", entry["stem"])}
        for entry in entries
        for name, label in INTERACTIVE_VIEWS
        if (folder / entry["stem"] / name).is_file()
    ]


#: What the zip leaves out that the report folder keeps: the executed notebooks (their cells and outputs are the
#: pages; on 4,067 CCTV stories they were 3.5 MB of a 42.9 MB zip). Suffixes of files in the notebooks' folders.
ZIP_LEAVES_OUT = (".ipynb",)
#: Above this size the index says the zip may not go through by mail: common mail limits are 20-25 MB (Gmail and
#: Yahoo 25 MB, Outlook.com and Exchange Online's default 20 MB), so 20 MB is the size most servers take.
MAIL_LIMIT_BYTES = 20_000_000


def zip_report(
    folder: str | os.PathLike[str],
    dest: str | os.PathLike[str] | None = None,
    *,
    leave_out: Sequence[str] = (),
    index_html: str | None = None,
) -> Path:
    """Write a report folder as one zip (default: ``<folder>.zip`` next to it), to send to someone.

    The members are the folder's files under ``<name>/``, in sorted order (hidden files left out), so that
    unzipping anywhere gives a folder whose ``index.html`` works as the original. Written to a temporary file and
    moved into place.

    Parameters
    ----------
    folder : path-like
        A published report folder.
    dest : path-like, optional
        The zip file.
    leave_out : sequence of str, optional
        Files of the folder (paths relative to it, with ``/``) not to put in the zip.
    index_html : str, optional
        The text of the zip's ``index.html`` when it differs from the folder's (one that lists only what the zip
        holds).

    Returns
    -------
    Path
        The zip file.

    Examples
    --------
    >>> import tempfile, zipfile
    >>> folder = Path(tempfile.mkdtemp()) / "seeds"
    >>> (folder / "01_cleaning").mkdir(parents=True)
    >>> _ = (folder / "index.html").write_text("<p>脱贫</p>", encoding="utf-8")
    >>> _ = (folder / "01_cleaning" / "top_tokens.csv").write_text("token,count\\n", encoding="utf-8")
    >>> _ = (folder / "01_cleaning" / "01_cleaning.ipynb").write_text("{}", encoding="utf-8")
    >>> zipfile.ZipFile(zip_report(folder, leave_out=["01_cleaning/01_cleaning.ipynb"])).namelist()
    ['seeds/01_cleaning/top_tokens.csv', 'seeds/index.html']
    """
    import zipfile

    folder = Path(folder)
    dest = Path(dest) if dest is not None else folder.with_name(f"{folder.name}.zip")
    skipped = set(leave_out)
    names = sorted(  # in the order of their names in the zip
        name
        for p in folder.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and (name := p.relative_to(folder).as_posix()) not in skipped
    )

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in names:
                if name == "index.html" and index_html is not None:
                    info = zipfile.ZipInfo.from_file(folder / name, f"{folder.name}/{name}")
                    info.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(info, index_html.encode("utf-8"))
                else:
                    archive.write(folder / name, f"{folder.name}/{name}")

    return atomic_write(dest, write)


#: what the index says of the zip's size until the zip is written (:func:`_zip_with_size` replaces it)
ZIP_SIZE_PENDING = "size not measured"
_ZIP_SIZE = re.compile(r'(<span id="zip-size">)[^<]*(</span>)')
#: The sentences on what the zip holds, after the zip's link on the index (:func:`zip_contents_note`).
_ZIP_NOTE = re.compile(r'<br><span id="zip-contents">.*?</span>', re.S)
#: One file's row in a notebook's table of files on the index (helpers/templates/tuopin/report_index.html.j2).
_FILE_ROW = re.compile(r'\s*<tr><td><a href="(?P<href>[^"]+)">.*?</tr>', re.S)


def zip_left_out(folder: str | os.PathLike[str]) -> list[str]:
    """The files of a report folder the zip leaves out (:data:`ZIP_LEAVES_OUT`), relative to the folder.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "01_cleaning").mkdir()
    >>> _ = (folder / "01_cleaning" / "01_cleaning.ipynb").write_text("{}")
    >>> zip_left_out(folder)
    ['01_cleaning/01_cleaning.ipynb']
    """
    folder = Path(folder)
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.glob("*/*")
        if p.is_file() and p.suffix.lower() in ZIP_LEAVES_OUT and p.parent.name != "api"
    )


def zip_contents_note(
    folder: str | os.PathLike[str],
    members: Mapping[str, int],
    *,
    zip_bytes: int,
    left_out: Sequence[str] = (),
    limit: int = MAIL_LIMIT_BYTES,
) -> str:
    """What the index says after the zip's link (HTML): what the zip holds and leaves out, whether it holds the
    corpus texts, and, above ``limit``, that it may be too large to mail and how to make it smaller.

    Parameters
    ----------
    folder : path-like
        The report folder.
    members : mapping
        The zip's members (paths relative to the folder) and their compressed sizes in bytes.
    zip_bytes : int
        The zip's size.
    left_out : sequence of str
        The folder's files not in the zip.
    limit : int, default :data:`MAIL_LIMIT_BYTES`
        The size above which the note says the zip may not go through by mail.

    Returns
    -------
    str
        HTML (escaped) for the index page.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> note = zip_contents_note(folder, {"01_cleaning/cleaned.jsonl": 3_000_000, "index.html": 9_000},
    ...                          zip_bytes=24_800_000)
    >>> "holds the corpus texts" in note and "INCLUDE_CORPUS=0" in note and "above the 20 MB" in note
    True
    """
    import html as _html

    from ..tables import plural, workbook_cut_tables

    folder = Path(folder)
    esc = _html.escape

    def code(name: str) -> str:
        return f"<code>{esc(name)}</code>"

    parts = ["It holds the pages, figures, tables (CSV and workbook) and run records of the report folder"]
    if left_out:
        left_bytes = sum((folder / name).stat().st_size for name in left_out if (folder / name).is_file())
        parts[0] += (
            f"; it leaves out the executed notebooks ({plural(len(left_out), 'notebook')}, "
            f"{human_size(left_bytes)}: the pages show their cells and outputs), which stay in the folder"
        )
    parts[0] += "."
    cut = [
        f"{code(book.parent.name + '/' + t['file'])} ({t['shown']:,} of {t['rows']:,} rows)"
        for book in sorted(folder.glob("*/*.xlsx"))
        for t in workbook_cut_tables(book)
    ]
    if cut:
        parts.append(
            f"A workbook sheet of a long table holds its first rows and says so in its first row; the CSV holds "
            f"every row: {', '.join(cut)}."
        )
    corpus = {name: size for name, size in members.items() if Path(name).name in CORPUS_FILES}
    if corpus:
        names = ", ".join(code(name) for name in sorted(corpus))
        parts.append(
            f"<strong>It holds the corpus texts</strong> ({names}, {human_size(sum(corpus.values()))} of the zip): "
            f"if the corpus's licence does not allow sharing them, {code('make report INCLUDE_CORPUS=0')} "
            f"({code('--no-corpus')}) leaves them out (excerpts stay in the pages and tables: the before/after "
            "example of 01, the concordance of 05, representative texts and similar paragraphs)."
        )
    if zip_bytes > limit:
        largest = sorted(members.items(), key=lambda item: -item[1])[:3]
        smaller = (
            f"{code('INCLUDE_CORPUS=0')} leaves out the corpus texts ({human_size(sum(corpus.values()))})"
            if corpus
            else "no switch of the report makes it smaller"
        )
        parts.append(
            f"<strong>At {human_size(zip_bytes)} it is above the {limit / 1e6:g} MB that many mail servers "
            f"take</strong> (common limits are 20&ndash;25 MB): {smaller}; its largest files are "
            f"{', '.join(f'{code(name)} ({human_size(size)})' for name, size in largest)}. "
            f"Share the folder or the zip through a shared drive when it is still too large."
        )
    return " ".join(parts)


def _with_zip_note(index: str, size: str, note: str) -> str:
    """The index with the zip's size and, after the zip's link, the note on what the zip holds."""
    index = _ZIP_SIZE.sub(lambda m: f"{m.group(1)}{size}{m.group(2)}", index, count=1)
    index = _ZIP_NOTE.sub("", index)
    link = index.find('id="zip-link"')
    if link < 0:
        return index
    end = index.find("</li>", link)
    return f'{index[:end]}<br><span id="zip-contents">{note}</span>{index[end:]}'


def _without_file_rows(index: str, left_out: Sequence[str]) -> str:
    """The index without the rows of the files the zip leaves out (so that its copy in the zip links no missing
    file)."""
    from urllib.parse import quote

    hrefs = {"/".join(quote(part) for part in name.split("/")) for name in left_out}
    return _FILE_ROW.sub(lambda m: "" if m.group("href") in hrefs else m.group(0), index)


def _zip_with_size(folder: Path, *, limit: int = MAIL_LIMIT_BYTES) -> Path:
    """Zip a published report (:func:`zip_report`) without the files of :func:`zip_left_out`, and say on its index
    the zip's size and what it holds (:func:`zip_contents_note`).

    The index is inside the zip, so writing the size changes the zip by a few bytes: the folder is zipped again
    until the note shown (sizes rounded by :func:`human_size`) is the note of the zip that holds it. The zip's copy
    of the index lists only the files the zip holds.
    """
    import zipfile

    index = folder / "index.html"
    base = _ZIP_NOTE.sub("", index.read_text(encoding="utf-8"))
    left_out = zip_left_out(folder)
    size, note = ZIP_SIZE_PENDING, ""
    archive = None
    for _ in range(4):  # the rounded sizes settle by the second zip; a size on a rounding edge may need another
        text = _with_zip_note(base, size, note)
        index.write_text(text, encoding="utf-8")
        archive = zip_report(folder, leave_out=left_out, index_html=_without_file_rows(text, left_out))
        with zipfile.ZipFile(archive) as z:
            members = {i.filename.split("/", 1)[1]: i.compress_size for i in z.infolist()}
        zip_bytes = archive.stat().st_size
        note_now = zip_contents_note(folder, members, zip_bytes=zip_bytes, left_out=left_out, limit=limit)
        new = (human_size(zip_bytes), note_now)
        if new == (size, note):
            return archive
        size, note = new
    return archive


def _write_report_info(build: _Build, context: Mapping, paths: Sequence[tuple[str, str]]) -> None:
    """``report_info.json``: the index's facts (the corpus by name and content hash, the command with that name)
    and the report's folder relative to the project. It travels in the zip, so it names no folder of this machine:
    the text goes through :func:`strip_local_paths` like every page."""
    info = {**{k: v for k, v in context.items() if k != "api"}, "report_folder": display_path(build.final)}
    text = json.dumps(info, ensure_ascii=False, indent=2, default=str)
    (build.partial / "report_info.json").write_text(strip_local_paths(text, paths), encoding="utf-8")


def _check_self_contained(folder: Path) -> None:
    """Stop the build when a page would load a resource from another host."""
    problems = [f"{page}: {ref}" for page, ref in external_references_in_folder(folder)]
    if problems:
        raise ReportError("pages would load resources from another host:\n  " + "\n  ".join(problems[:20]))


def _assemble(build: _Build, entries: list[dict], infos: list[dict], paths: Sequence[tuple[str, str]]) -> None:
    """After the notebooks: API reference, index, fonts of the notebooks' own pages, no machine paths, checks."""
    from ..provenance import git_revision

    git_rev = next((i["git_revision"] for i in infos if i.get("git_revision")), None) or git_revision()
    api, pdoc_version = _api_reference(build, git_rev)
    corpus_files = [str(p.relative_to(build.partial)) for p in _corpus_files(build)]
    # pages the notebooks wrote themselves (e.g. the pyLDAvis view)
    written = [p for p in sorted(build.partial.glob("*/*.htm*")) if p.parent.name != "api"]
    embed_cjk_font_in_pages(written, root=build.partial, font=FONT_STYLESHEET)
    write_font_stylesheet(build.partial)  # every page but the index (which embeds its own) links it
    pages = [p for p in sorted(build.partial.rglob("*.htm*")) if p != build.partial / "index.html"]
    share_page_assets(pages, build.partial)  # the style sheets and script the pages hold in common
    strip_local_paths_in_folder(build.partial, paths)
    for entry in entries:  # after the changes above, so that the index shows the sizes of the files as shipped
        entry["files"] = notebook_files(build.partial / entry["stem"], href_prefix=f"{entry['stem']}/")
        entry["page_size"] = human_size((build.partial / entry["html"]).stat().st_size)
    shipped = ", ".join(f"{entry['html']} ({entry['page_size']})" for entry in entries)
    build.log(f"Pages as shipped (shared files in {ASSETS_DIR}/): {shipped}")
    context = _index_context(
        build,
        entries,
        infos,
        git_revision=git_rev,
        api=api,
        pdoc_version=pdoc_version,
        corpus_files=corpus_files,
        views=interactive_views(build.partial, entries),
        zip_name=f"{build.name}.zip" if build.zip_file else None,
        zip_size=ZIP_SIZE_PENDING,  # known once the zip is written (_zip_with_size)
        outside_report_class=OUTSIDE_REPORT_CLASS,  # the zip link: not followed by the link check
        assets_size=human_size(sum(p.stat().st_size for p in (build.partial / ASSETS_DIR).rglob("*") if p.is_file())),
    )
    (build.partial / "index.html").write_text(strip_local_paths(render_index_html(context), paths), encoding="utf-8")
    _write_report_info(build, context, paths)
    _check_self_contained(build.partial)


def _mark_failed(build: _Build, exc: BaseException) -> None:
    """Leave the partial build without an index and with a ``FAILED`` file saying why; the report is untouched."""
    (build.partial / "index.html").unlink(missing_ok=True)
    message = str(exc) if isinstance(exc, ReportError) else _error_text(exc)
    (build.partial / "FAILED").write_text(f"{message}\n", encoding="utf-8")
    if build.final.exists():
        build.log(
            f"The previous report in {build.final} is left unchanged; this run's partial output is in {build.partial}"
        )


def _publish(build: _Build) -> None:
    """Move the partial build into place, replacing the previous report only once the new one is complete."""
    if build.final.exists():
        old = build.reports / f".{build.name}.old-{os.getpid()}"
        build.final.rename(old)
        build.partial.rename(build.final)
        shutil.rmtree(old)
    else:
        build.partial.rename(build.final)


# ----------------------------------------------------------------------------------------------------------------
# Command line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.report",
        description="Execute every numbered notebook on a corpus and render a self-contained HTML report.",
    )
    parser.add_argument("--corpus", default="seeds", help="folder, CSV or JSONL file (default: seeds)")
    parser.add_argument(
        "-p",
        "--parameters",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="a notebook parameter, as with papermill (repeatable): -p num_topics 12",
    )
    parser.add_argument("--reports-dir", default=None, help="parent folder of reports (default: reports/)")
    parser.add_argument("--notebooks-dir", default=None, help="folder of the notebooks (default: notebooks/)")
    parser.add_argument("--name", default=None, help="report folder name (default: derived from the corpus)")
    parser.add_argument("--no-api", action="store_true", help="skip the helpers API reference")
    parser.add_argument(
        "--no-corpus",
        action="store_true",
        help="leave the cleaned corpus (01_cleaning/cleaned.jsonl) out of the report folder (make: INCLUDE_CORPUS=0)",
    )
    parser.add_argument("--no-zip", action="store_true", help="do not write reports/<name>.zip of the report folder")
    parser.add_argument("--show-code", action="store_true", help="show code cells open (default: folded, 'show code')")
    parser.add_argument(
        "--lock-timeout",
        type=float,
        default=600,
        metavar="SECONDS",
        help="wait this long for another run on the same corpus to finish, then give up (default: 600)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no per-cell progress bar")
    parser.add_argument(
        "--check",
        metavar="FOLDER",
        default=None,
        help="only check an existing report folder in headless Chromium (no network) and exit",
    )
    parser.add_argument(
        "--weights",
        metavar="FOLDER",
        default=None,
        help="only print what each page of a report folder (and its zip) weighs, as a Markdown table, and exit",
    )
    return parser


def _check_only(folder: str) -> int:
    """``--check FOLDER``: print the problems of a rendered report; exit code 1 if there are any."""
    problems = check_report(folder)
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    print(f"{len(problems)} problems in {folder}")
    return 1 if problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m helpers.report --corpus PATH [-p name value ...]``; returns the exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (default ``sys.argv[1:]``); ``--help`` lists them.

    Returns
    -------
    int
        0 on success, 1 when the report could not be built (or ``--check`` found problems), 130 when interrupted.
    """
    args = _parser().parse_args(argv)
    if args.check:
        return _check_only(args.check)
    try:
        if args.weights:
            print(page_weight_table(args.weights))
            return 0
        build_report(
            args.corpus,
            params={key: parse_param_value(value) for key, value in args.parameters},
            reports_dir=args.reports_dir,
            notebooks_dir=args.notebooks_dir,
            name=args.name,
            api=not args.no_api,
            include_corpus=not args.no_corpus,
            zip_file=not args.no_zip,
            show_code=args.show_code,
            lock_timeout=args.lock_timeout,
            progress_bar=not args.no_progress,
            log=lambda msg: print(msg, flush=True),
        )
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        print("interrupted: no report written (the partial build is left as reports/.<name>.partial)", file=sys.stderr)
        return 130
    return 0
