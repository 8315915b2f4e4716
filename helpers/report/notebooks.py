"""The notebooks a report renders: which ones, their parameters, and the title and summary the index shows.

>>> [p.name for p in discover_notebooks()][:1]
['01_cleaning.ipynb']
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from ..paths import NOTEBOOKS_DIR

__all__ = [
    "declared_default",
    "discover_notebooks",
    "list_parameter",
    "notebook_parameters",
    "notebook_summary",
    "parse_param_value",
    "readable_parameters",
]


def discover_notebooks(notebooks_dir: str | os.PathLike[str] = NOTEBOOKS_DIR) -> list[Path]:
    """The numbered notebooks (``[0-9][0-9]_*.ipynb``) in reading order; ``template.ipynb`` is not one of them.

    Parameters
    ----------
    notebooks_dir : path-like, default ``notebooks/``
        The folder to look in (not recursively).

    Returns
    -------
    list of Path
        The notebooks, sorted by name.

    Examples
    --------
    >>> [p.name for p in discover_notebooks()] == sorted(p.name for p in discover_notebooks())
    True
    """
    folder = Path(notebooks_dir)
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb") if p.is_file())


def notebook_parameters(path: str | os.PathLike[str]) -> dict[str, str]:
    """Names and default values (as source text) of the notebook's ``parameters`` cell (via papermill).

    Parameters
    ----------
    path : path-like
        A notebook file.

    Returns
    -------
    dict of str to str
        Parameter name to the source text of its default (``'"../seeds"'``, ``'0'``).

    Examples
    --------
    >>> notebook_parameters(NOTEBOOKS_DIR / "template.ipynb")["corpus"]
    '"../seeds"'
    """
    import papermill as pm

    return {name: str(info.get("default")) for name, info in pm.inspect_notebook(str(path)).items()}


def parse_param_value(value: str) -> object:
    """Convert a ``-p name value`` string the way papermill's command line does, plus Python list/dict literals.

    Parameters
    ----------
    value : str
        The value as typed.

    Returns
    -------
    object
        An int, float, bool, ``None``, a list/dict/tuple literal, or the string itself.

    Examples
    --------
    >>> [parse_param_value(v) for v in ("12", "0.5", "True", "None", "text", "[1, 2]", "['tfidf']")]
    [12, 0.5, True, None, 'text', [1, 2], ['tfidf']]
    """
    if value.strip().startswith(("[", "{", "(")):
        import ast

        try:
            return ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return value
    if value in ("True", "False"):
        return value == "True"
    if value == "None":
        return None
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value


def list_parameter(value: object) -> list | None:
    """A notebook's list parameter as a list, however it was passed: ``-p`` of plain papermill passes
    ``'["脱贫攻坚", "乡村振兴"]'`` as a string, which a notebook would otherwise read character by character.

    A string is parsed as :func:`parse_param_value` parses ``make report``'s ``-p`` (a list, tuple or set literal
    becomes a list); any other string is one item (``"脱贫攻坚"`` is one term), and ``""`` is no item. A list or tuple
    (from the ``parameters`` cell, ``-y`` YAML or ``make report``) is kept as a list; another single value (``-p k 5``
    arrives as the int 5) is one item; ``None`` stays ``None`` (a notebook's "not given").

    Parameters
    ----------
    value : object
        The parameter as the notebook received it.

    Returns
    -------
    list or None

    Raises
    ------
    ValueError
        A string that opens a list (``[``) but is not a valid literal, so that a typo is not traced as one term.

    Examples
    --------
    >>> [list_parameter(v) for v in ('["脱贫攻坚", "乡村振兴"]', "脱贫攻坚", "[1, 2]", (1, 2), 5, "", None)]
    [['脱贫攻坚', '乡村振兴'], ['脱贫攻坚'], [1, 2], [1, 2], [5], [], None]
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return []
        parsed = parse_param_value(text)
        if text.startswith("[") and not isinstance(parsed, list):
            raise ValueError(
                f"not a valid list: {value!r} (write it as ['脱贫攻坚', '乡村振兴'], quotes around each item)"
            )
        value = parsed if isinstance(parsed, (list, tuple, set)) else [text]
    if isinstance(value, (list, tuple, set)):
        return list(value)
    return [value]


def declared_default(declared: Mapping[str, Mapping[str, str]], name: str) -> object:
    """The default of a parameter the notebooks declare, when they agree on it (else ``None``).

    Parameters
    ----------
    declared : mapping
        Notebook stem to its :func:`notebook_parameters`.
    name : str
        The parameter.

    Returns
    -------
    object
        The common default, parsed (:func:`parse_param_value`); ``None`` when no notebook declares it or two
        notebooks disagree.

    Examples
    --------
    >>> declared = {"01": {"errors": '"report"'}, "02": {"errors": '"report"', "seed": "0"}}
    >>> declared_default(declared, "errors"), declared_default(declared, "seed"), declared_default(declared, "k")
    ('report', 0, None)
    """
    defaults = {d[name] for d in declared.values() if name in d}
    return parse_param_value(defaults.pop().strip("\"'")) if len(defaults) == 1 else None


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKUP = re.compile(r"(\*\*|__|\*|`)")
_LIST_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s")
_OVERVIEW = re.compile(r"^\s*(#+\s*|\*\*|__|\*|_)?\s*Overview\b[\s*_.:：]*", re.IGNORECASE)


def _plain(markdown: str) -> str:
    text = _MD_LINK.sub(r"\1", markdown)
    text = re.sub(r"<[^>]+>", "", text)
    text = _MD_MARKUP.sub("", text)
    return " ".join(text.split())


def _lead(text: str) -> str:
    """Drop a trailing sentence that only introduces a list ("You will learn:")."""
    if text.endswith((":", "：")):
        cut = max(text.rfind(". ", 0, len(text) - 1), text.rfind("。", 0, len(text) - 1))
        if cut > 0:
            return text[: cut + 1].strip()
    return text


def _paragraphs(lines: list[str]) -> list[str]:
    """Markdown lines grouped into paragraphs; a heading is a paragraph of its own, so is each list."""
    paragraphs: list[str] = []
    current: list[str] = []
    for ln in [*lines, ""]:
        if ln.strip() and not ln.lstrip().startswith("#") and not (current and _LIST_ITEM.match(ln)):
            current.append(ln.strip())
            continue
        if ln.strip() and not ln.lstrip().startswith("#"):  # a list starts: it is a paragraph of its own
            paragraphs.append(" ".join(current))
            current = [ln.strip()]
            continue
        if current:
            paragraphs.append(" ".join(current))
            current = []
        if ln.lstrip().startswith("#"):
            paragraphs.append(ln)
    return paragraphs


def notebook_summary(nb) -> tuple[str, str]:
    """The title and the one-paragraph *Overview* of a notebook, from its first markdown cell.

    The title is the first ``#`` heading. The summary is the first paragraph after a heading or bold/italic label
    called *Overview*, or else the first paragraph after the title; markdown markup is removed.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook.

    Returns
    -------
    (str, str)
        Title and summary (empty strings when the notebook has no markdown cell).

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
    ...     "# Keywords\\n\\n**Overview.** Which words *characterise* each document?\\n\\n## Prerequisites\\nNone."
    ... )])
    >>> notebook_summary(nb)
    ('Keywords', 'Which words characterise each document?')
    """
    cell = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    if cell is None:
        return "", ""
    lines = cell.source.splitlines()
    title = next((ln.lstrip("#").strip() for ln in lines if ln.startswith("# ")), "")
    paragraphs = _paragraphs(lines)
    for i, para in enumerate(paragraphs):
        if _OVERVIEW.match(para):
            rest = _OVERVIEW.sub("", para, count=1).strip()
            if rest and not para.lstrip().startswith("#"):
                return _plain(title), _plain(rest)
            following = [p for p in paragraphs[i + 1 :] if not p.lstrip().startswith("#")]
            if following:
                return _plain(title), _lead(_plain(following[0]))
    body = [p for p in paragraphs if not p.lstrip().startswith("#")]
    return _plain(title), _plain(body[0]) if body else ""


def readable_parameters() -> None:
    """Make papermill write the injected parameters cell with Chinese as it is (``text_column = '正文'``), not as
    escapes (``"\\u6b63\\u6587"``, papermill's default for every non-ASCII character), so that the page a colleague
    reads shows the corpus and columns it ran on. Registers a Python translator (papermill's documented extension
    point); the values are Python literals either way (``repr``), so the notebook runs the same.

    Examples
    --------
    >>> readable_parameters()
    >>> from papermill.translators import translate_parameters
    >>> translate_parameters("python", "python", {"text_column": "正文"}, "# Parameters").splitlines()[1]
    "text_column = '正文'"
    """
    from papermill.translators import PythonTranslator, papermill_translators

    class _ReadablePython(PythonTranslator):
        @classmethod
        def translate_str(cls, val: str) -> str:
            return repr(val)

    papermill_translators.register("python", _ReadablePython)
