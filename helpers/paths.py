"""Project paths, resolved from one place.

Every folder the project reads or writes is derived from :data:`PROJECT_ROOT`. The cache and report folders can
be moved with the environment variables ``TUOPIN_CACHE_DIR`` and ``TUOPIN_REPORTS_DIR``.

>>> from helpers.paths import PROJECT_ROOT, SEEDS_DIR
>>> SEEDS_DIR.relative_to(PROJECT_ROOT).as_posix()
'seeds'
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

PROJECT_ROOT: Path = Path(__file__).resolve().parent.parent
HELPERS_DIR: Path = PROJECT_ROOT / "helpers"
RESOURCES_DIR: Path = HELPERS_DIR / "resources"
NOTEBOOKS_DIR: Path = PROJECT_ROOT / "notebooks"
SEEDS_DIR: Path = PROJECT_ROOT / "seeds"
DATA_DIR: Path = PROJECT_ROOT / "data"
CACHE_DIR: Path = Path(os.environ.get("TUOPIN_CACHE_DIR", PROJECT_ROOT / ".cache")).resolve()
REPORTS_DIR: Path = Path(os.environ.get("TUOPIN_REPORTS_DIR", PROJECT_ROOT / "reports")).resolve()
#: The shared development pool (present on developer machines and CI, not in a user's clone).
SHARED_CORPORA_DIR: Path = PROJECT_ROOT.parent / "shared" / "corpora"


def resolve_path(path: str | os.PathLike[str]) -> Path:
    """Resolve a user-given input path the way a notebook user expects.

    Absolute paths are returned as they are. A relative path is tried against the current working directory,
    then the ``notebooks/`` folder (so ``"../seeds"`` works whether papermill runs from the project root or from
    ``notebooks/``), then the project root.

    Parameters
    ----------
    path : str or path-like
        What the user typed (``~`` is expanded).

    Returns
    -------
    Path
        The first candidate that exists; if none does, the path relative to the working directory, so that the
        caller's error names what the user typed.

    Examples
    --------
    >>> resolve_path("../seeds") == SEEDS_DIR
    True
    """
    p = Path(path).expanduser()
    if p.is_absolute():
        return p
    for base in (Path.cwd(), NOTEBOOKS_DIR, PROJECT_ROOT):
        candidate = (base / p).resolve()
        if candidate.exists():
            return candidate
    return (Path.cwd() / p).resolve()


def display_path(path: str | os.PathLike[str]) -> str:
    """How a path is shown on pages meant for other people: no machine-specific folders.

    Parameters
    ----------
    path : str or path-like
        A path; relative paths are resolved first with :func:`resolve_path`.

    Returns
    -------
    str
        Relative to the project root (POSIX separators) when the path is inside the project, else only its file
        or folder name (what pages and ``report_info.json`` show).

    Examples
    --------
    >>> display_path("../seeds"), display_path(SEEDS_DIR / "README.md"), display_path(PROJECT_ROOT)
    ('seeds', 'seeds/README.md', '.')
    >>> display_path("/srv/corpora/news/stories.jsonl")
    'stories.jsonl'
    """
    p = resolve_path(path)
    for candidate in (p, p.resolve()):
        try:
            return candidate.relative_to(PROJECT_ROOT).as_posix() or "."
        except ValueError:
            continue
    return p.name or str(path)


def corpus_name(source: str | os.PathLike[str] | list) -> str:
    """A short, file-system-safe name for a corpus source (used for report and output folders).

    Parameters
    ----------
    source : str, path-like or list
        A folder (its name), a file (``<folder>-<stem>``), or a list of texts (``"custom"``).

    Returns
    -------
    str
        Letters, digits, ``-`` and ``_`` only (other characters become ``_``).

    Examples
    --------
    >>> corpus_name("../seeds")
    'seeds'
    >>> corpus_name("/data/xwlb_poverty/stories.jsonl"), corpus_name("corp/news.xlsx"), corpus_name("政策/通知.docx")
    ('xwlb_poverty-stories', 'corp-news', '政策-通知')
    """
    if isinstance(source, (list, tuple)):
        return "custom"
    p = Path(source)
    from .corpus import READ_SUFFIXES  # a file the loader reads (not at import: corpus imports this module)

    if p.suffix.lower() in READ_SUFFIXES:
        name = f"{p.parent.name}-{p.stem}" if p.parent.name not in ("", ".", "..") else p.stem
    else:
        name = p.name if p.name not in ("", ".", "..") else resolve_path(p).name
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
    return safe or "corpus"


def output_dir_for(output_dir: str | os.PathLike[str] | None, corpus: str | os.PathLike[str], notebook: str) -> Path:
    """The folder a notebook writes to: ``output_dir`` if given, else ``reports/<corpus>/<notebook>/``.

    Parameters
    ----------
    output_dir : str, path-like or None
        The notebook's ``output_dir`` parameter (relative to the working directory).
    corpus : str or path-like
        The notebook's corpus, which names the report folder (:func:`corpus_name`).
    notebook : str
        The notebook's folder name in the report (``"01_cleaning"``).

    Returns
    -------
    Path
        The folder, created if missing.

    Examples
    --------
    >>> import tempfile
    >>> output_dir_for(tempfile.mkdtemp(), "../seeds", "01_cleaning").is_dir()
    True
    """
    if output_dir:
        out = Path(output_dir).expanduser()
        if not out.is_absolute():
            out = (Path.cwd() / out).resolve()
    else:
        out = REPORTS_DIR / corpus_name(corpus) / notebook
    out.mkdir(parents=True, exist_ok=True)
    return out


def atomic_write(path: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
    """Write a file whole or not at all: ``write(tmp)`` fills a temporary file of the same folder, which then
    replaces ``path`` in one step (a reader never sees half a file; an interrupted write leaves no debris).

    The file gets the permissions a plain ``open(path, "w")`` would give it (``0o666`` less the umask, so
    ``-rw-r--r--`` under the usual umask 022): a report written here can be read by a colleague on a shared server
    (``tempfile.mkstemp`` alone would leave it ``-rw-------``).

    Parameters
    ----------
    path : str or os.PathLike
        The file to write (its folder is created).
    write : callable
        Called with the temporary file's path; writes the whole content there.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> out = atomic_write(Path(tempfile.mkdtemp()) / "a.txt", lambda tmp: tmp.write_text("脱贫", encoding="utf-8"))
    >>> out.read_text(encoding="utf-8")
    '脱贫'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _create_temp_file(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _create_temp_file(path: Path) -> Path:
    """Create an empty, new temporary file next to ``path``, with the mode ``open()`` gives (0o666 less the umask).

    >>> import tempfile
    >>> tmp = _create_temp_file(Path(tempfile.mkdtemp()) / "a.csv")
    >>> tmp.name.startswith(".a.csv.") and tmp.name.endswith(".tmp") and tmp.stat().st_size == 0
    True
    """
    import secrets

    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:  # O_EXCL: never an existing file; the umask applies to 0o666 as for open()
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return tmp
