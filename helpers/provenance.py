"""Provenance: what produced an output (parameters, corpus hash, package versions, git revision).

Every notebook writes ``run_info.json`` next to its outputs with :func:`write_run_info`.

>>> info = run_info(params={"seed": 0})
>>> sorted(info)[:3]
['created', 'git_revision', 'params']
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import importlib.metadata
import json
import os
import platform
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

from .paths import PROJECT_ROOT, display_path

__all__ = ["corpus_hash", "package_versions", "git_revision", "run_info", "write_run_info"]

PACKAGES = (
    "jieba",
    "rjieba",
    "gensim",
    "tomotopy",
    "scikit-learn",
    "pandas",
    "numpy",
    "scipy",
    "matplotlib",
    "opencc",
    "pyLDAvis",
    "datasketch",
    "wordcloud",
    "papermill",
    "nbconvert",
)


def corpus_hash(texts: Iterable[str]) -> str:
    """SHA-256 over the texts in order (each UTF-8 encoded, length-prefixed), first 16 hex digits.

    Parameters
    ----------
    texts : iterable of str
        The documents, in corpus order.

    Returns
    -------
    str
        16 hexadecimal digits; the same texts in the same order always give the same hash.

    Examples
    --------
    >>> corpus_hash(["脱贫", "攻坚"]) == corpus_hash(["脱贫", "攻坚"]) != corpus_hash(["攻坚", "脱贫"])
    True
    """
    h = hashlib.sha256()
    for t in texts:
        b = str(t).encode("utf-8")
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()[:16]


def package_versions(packages: Iterable[str] = PACKAGES) -> dict[str, str]:
    """Installed versions of the packages that shape the results.

    Parameters
    ----------
    packages : iterable of str, default :data:`PACKAGES`
        Distribution names.

    Returns
    -------
    dict of str to str
        ``python`` and each package's version (``"missing"`` if not installed).

    Examples
    --------
    >>> package_versions(["jieba", "no-such-package"])["no-such-package"]
    'missing'
    """
    out = {"python": platform.python_version()}
    for name in packages:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "missing"
    return out


def git_revision() -> str:
    """The project's git revision.

    Returns
    -------
    str
        The short revision, with ``-dirty`` when tracked files have changes; ``"unknown"`` outside a git checkout
        or without git.
    """
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10
        )
        if rev.returncode != 0:
            return "unknown"
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        return rev.stdout.strip() + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _shareable(value: object) -> object:
    """An absolute path (as a string or a ``Path``) as :func:`helpers.paths.display_path` shows it; else unchanged."""
    if isinstance(value, Path) or (isinstance(value, str) and value.startswith(("/", "~")) and "\n" not in value):
        return display_path(value)
    if isinstance(value, (list, tuple)):
        return [_shareable(v) for v in value]
    return value


def run_info(
    *,
    params: Mapping[str, object] | None = None,
    texts: Iterable[str] | None = None,
    corpus: str | os.PathLike[str] | None = None,
    extra: Mapping[str, object] | None = None,
) -> dict:
    """A dictionary describing this run: parameters, corpus and its hash, versions, git revision, time.

    ``run_info.json`` travels with the outputs it describes, so it names no folder of this machine: the corpus and
    every parameter that is an absolute path are recorded as :func:`helpers.paths.display_path` shows them
    (relative to the project, or the file name); the corpus hash identifies the texts.

    Parameters
    ----------
    params : mapping, optional
        The notebook's parameters.
    texts : iterable of str, optional
        The documents analysed: gives ``n_documents`` and ``corpus_hash`` (:func:`corpus_hash`).
    corpus : str or path-like, optional
        The corpus source.
    extra : mapping, optional
        More entries (absolute paths shown as above).

    Returns
    -------
    dict
        ``created``, ``git_revision``, ``params``, ``versions``, and ``corpus``, ``n_documents``,
        ``corpus_hash`` when given.

    Examples
    --------
    >>> run_info(params={"corpus": "/srv/news/stories.jsonl", "k": 5}, corpus="/srv/news/stories.jsonl")["params"]
    {'corpus': 'stories.jsonl', 'k': 5}
    """
    info: dict = {
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "git_revision": git_revision(),
        "params": {key: _shareable(value) for key, value in (params or {}).items()},
        "versions": package_versions(),
    }
    if corpus is not None:
        info["corpus"] = str(_shareable(corpus if isinstance(corpus, str) else Path(corpus)))
    if texts is not None:
        texts = list(texts)
        info["n_documents"] = len(texts)
        info["corpus_hash"] = corpus_hash(texts)
    if extra:
        info.update({key: _shareable(value) for key, value in extra.items()})
    return info


def write_run_info(output_dir: str | Path, **kwargs) -> Path:
    """Write :func:`run_info` as ``run_info.json`` in ``output_dir``.

    Parameters
    ----------
    output_dir : str or Path
        The notebook's output folder (created if missing).
    **kwargs
        Passed to :func:`run_info`.

    Returns
    -------
    Path
        The file written.
    """
    path = Path(output_dir) / "run_info.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(run_info(**kwargs), ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path
