"""Render every notebook into a self-contained offline HTML report: ``python -m helpers.report --corpus PATH``.

The numbered notebooks (``notebooks/[0-9][0-9]_*.ipynb``) are executed in order with papermill on one corpus and
rendered with the project's own nbconvert template (``helpers/templates/tuopin``) into
``reports/<corpus-name>/``: one HTML page per notebook, its output folder (tables, figures, ``run_info.json``, the
executed notebook), the ``helpers`` API reference (``api/``, rendered with pdoc) and ``index.html``.

Every page is self-contained, so the folder can be zipped and read without a network:

* figures are embedded (nbconvert embeds them as base64 already);
* the CDN scripts of nbconvert's ``lab`` template (require.js, MathJax, mermaid, Jupyter widgets) are dropped;
* Chinese text is drawn with a subset of Noto Sans CJK SC (from the ``mplfonts`` package, SIL Open Font License)
  holding exactly the CJK characters of that page, embedded as a base64 WOFF ``@font-face`` (about 0.3 kB per
  distinct character); the reader's system CJK fonts follow in the font stack but are not needed;
* after rendering, every page is checked for resources loaded from another host (:func:`external_references`)
  and the build fails if one is found.

Pages are meant to be sent to colleagues, so they name no folder of this machine (:func:`strip_local_paths`): the
corpus appears relative to the project, or by its file name; its machine path is in ``report_info.json`` only.
``--no-corpus`` (``make report INCLUDE_CORPUS=0``) leaves the cleaned corpus (:data:`CORPUS_FILES`) out.

The report is built in ``reports/.<name>.partial`` and moved into place only when every notebook succeeded; on
failure the notebook's name and error are printed, a ``FAILED`` file is left in the partial folder (no index),
and the previous report, if any, is left untouched. One run at a time builds a given report: a run holds
``reports/.<name>.lock`` (:func:`report_lock`) from before it touches the partial folder until it has published,
and a second run on the same corpus waits (``--lock-timeout``), then stops without touching either folder.

>>> external_references('<img src="https://example.org/a.png"><a href="https://example.org">link</a>')
['img src=https://example.org/a.png']
>>> sorted(cjk_characters("脱贫 attack 攻坚&#25112;"))
['坚', '战', '攻', '脱', '贫']
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime as _dt
import html as _html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from .paths import CACHE_DIR, NOTEBOOKS_DIR, PROJECT_ROOT, REPORTS_DIR, corpus_name, display_path, resolve_path

__all__ = [
    "CJK_FONT_FAMILY",
    "CORPUS_FILES",
    "ReportError",
    "api_modules",
    "browser_check",
    "build_report",
    "check_report",
    "cjk_characters",
    "discover_notebooks",
    "embed_cjk_font",
    "external_references",
    "font_face_css",
    "local_paths",
    "main",
    "notebook_parameters",
    "notebook_summary",
    "parse_param_value",
    "render_math",
    "render_notebook_html",
    "report_lock",
    "strip_local_paths",
]

TEMPLATES_DIR: Path = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "tuopin"
#: The family name under which each page embeds its subset of Noto Sans CJK SC.
CJK_FONT_FAMILY = "Tuopin Noto Sans SC"
#: Code points drawn with the embedded font (CJK symbols and punctuation, kana, bopomofo, ideographs, fullwidth
#: forms); everything else uses the reader's fonts.
CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x2E80, 0x2FDF),
    (0x3000, 0x303F),
    (0x3040, 0x30FF),
    (0x3100, 0x312F),
    (0x31A0, 0x31FF),
    (0x3200, 0x33FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
    (0x20000, 0x2FA1F),
)
_UI_FONTS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial'
_SYSTEM_CJK = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei"'
_CODE_FONTS = 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono"'


class ReportError(RuntimeError):
    """A report could not be built (bad arguments, a failing notebook, a page that loads from another host)."""


# ----------------------------------------------------------------------------------------------------------------
# Notebooks and their parameters


def discover_notebooks(notebooks_dir: str | os.PathLike[str] = NOTEBOOKS_DIR) -> list[Path]:
    """The numbered notebooks (``[0-9][0-9]_*.ipynb``) in reading order; ``template.ipynb`` is not one of them.

    >>> [p.name for p in discover_notebooks()] == sorted(p.name for p in discover_notebooks())
    True
    """
    folder = Path(notebooks_dir)
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb") if p.is_file())


def notebook_parameters(path: str | os.PathLike[str]) -> dict[str, str]:
    """Names and default values (as source text) of the notebook's ``parameters`` cell (via papermill)."""
    import papermill as pm

    return {name: str(info.get("default")) for name, info in pm.inspect_notebook(str(path)).items()}


def parse_param_value(value: str) -> object:
    """Convert a ``-p name value`` string the way papermill's command line does, plus Python list/dict literals.

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


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKUP = re.compile(r"(\*\*|__|\*|`)")


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


def notebook_summary(nb) -> tuple[str, str]:
    """The title and the one-paragraph *Overview* of a notebook, from its first markdown cell.

    The title is the first ``#`` heading. The summary is the first paragraph after a heading or bold/italic label
    called *Overview*, or else the first paragraph after the title; markdown markup is removed.

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
    paragraphs: list[str] = []
    current: list[str] = []
    list_item = re.compile(r"^\s*([-*+]|\d+[.)])\s")
    for ln in [*lines, ""]:
        if ln.strip() and not ln.lstrip().startswith("#") and not (current and list_item.match(ln)):
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
    overview = re.compile(r"^\s*(#+\s*|\*\*|__|\*|_)?\s*Overview\b[\s*_.:：]*", re.IGNORECASE)
    for i, para in enumerate(paragraphs):
        if overview.match(para):
            rest = overview.sub("", para, count=1).strip()
            if rest and not para.lstrip().startswith("#"):
                return _plain(title), _plain(rest)
            following = [p for p in paragraphs[i + 1 :] if not p.lstrip().startswith("#")]
            if following:
                return _plain(title), _lead(_plain(following[0]))
    body = [p for p in paragraphs if not p.lstrip().startswith("#")]
    return _plain(title), _plain(body[0]) if body else ""


# ----------------------------------------------------------------------------------------------------------------
# Self-contained pages: CJK font, external-reference check


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in CJK_RANGES)


_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def cjk_characters(text: str) -> set[str]:
    """The CJK characters in a page's source, including HTML entities and ``\\uXXXX`` escapes (JSON data)."""
    decoded = _html.unescape(_JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text))
    return {ch for ch in set(decoded) if _is_cjk(ch)}


def font_face_css(chars: Iterable[str]) -> str:
    """CSS that draws ``chars`` with an embedded subset of Noto Sans CJK SC and sets the page font stacks.

    The subset is a base64 WOFF in an ``@font-face`` restricted to the CJK ranges, named :data:`CJK_FONT_FAMILY`;
    it comes first in every font stack (JupyterLab's ``--jp-*-font-family`` variables, body text, SVG text such as
    pyLDAvis labels), followed by the usual UI fonts and the system CJK fonts.
    """
    chars = sorted(set(chars))
    parts = ["/* Chinese text: embedded subset of Noto Sans CJK SC (mplfonts package, SIL Open Font License). */"]
    if chars:
        from fontTools import subset
        from fontTools.ttLib import TTFont

        from .plotting import cjk_font_path

        options = subset.Options()
        options.flavor = "woff"
        options.layout_features = ["*"]
        options.hinting = False
        options.desubroutinize = True
        options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
        options.notdef_outline = True
        font = TTFont(str(cjk_font_path()), lazy=True)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[ord(c) for c in chars])
        subsetter.subset(font)
        buf = io.BytesIO()
        font.flavor = "woff"
        font.save(buf)
        data = base64.b64encode(buf.getvalue()).decode("ascii")
        ranges = ", ".join(f"U+{lo:X}-{hi:X}" for lo, hi in CJK_RANGES)
        parts.append(
            f'@font-face {{ font-family: "{CJK_FONT_FAMILY}"; font-style: normal; font-weight: 100 900;'
            f" font-display: block; unicode-range: {ranges};"
            f' src: url(data:font/woff;base64,{data}) format("woff"); }}'
        )
    ui = f'"{CJK_FONT_FAMILY}", {_UI_FONTS}, {_SYSTEM_CJK}, sans-serif'
    code = f'"{CJK_FONT_FAMILY}", {_CODE_FONTS}, {_SYSTEM_CJK}, monospace'  # CJK ranges only: Latin stays mono
    parts.append(
        f":root {{ --tuopin-ui-font: {ui}; --tuopin-code-font: {code};"
        f" --jp-ui-font-family: {ui}; --jp-content-font-family: {ui}; --jp-code-font-family: {code}; }}"
    )
    parts.append(f"html, body, table, th, td, input, button, select, textarea {{ font-family: {ui}; }}")
    parts.append(f"code, pre, kbd, samp, .highlight {{ font-family: {code}; }}")
    parts.append(f"svg text, svg tspan {{ font-family: {ui} !important; }}")
    return "\n".join(parts)


_SRCDOC = re.compile(r'(<iframe\b[^>]*?\ssrcdoc=")([^"]*)(")', re.IGNORECASE)


_STYLE_BLOCK = re.compile(r"(<style\b[^>]*>)(.*?)(</style>)", re.IGNORECASE | re.DOTALL)
_STYLE_ATTR = re.compile(r"""(\sstyle=(?:"|'))([^"']*)((?:"|'))""", re.IGNORECASE)
_FONT_FACE_RULE = re.compile(r"(@font-face\s*\{[^}]*\})", re.IGNORECASE)
_FONT_FAMILY = re.compile(r"(?<![-\w])(font-family\s*:\s*)", re.IGNORECASE)


def _prepend_family(css: str) -> str:
    """Put the embedded CJK face first in each ``font-family`` declaration of a piece of CSS.

    >>> _prepend_family('p { font-family: serif } @font-face { font-family: "X"; src: local(X) }')
    'p { font-family: "Tuopin Noto Sans SC", serif } @font-face { font-family: "X"; src: local(X) }'
    """
    if "font-family" not in css.lower():
        return css
    parts = _FONT_FACE_RULE.split(css)  # odd parts are @font-face rules, whose font-family names one face
    for i in range(0, len(parts), 2):
        parts[i] = _FONT_FAMILY.sub(lambda m: f'{m.group(1)}"{CJK_FONT_FAMILY}", ', parts[i])
    return "".join(parts)


def embed_cjk_font(page: str) -> str:
    """Insert :func:`font_face_css` for the page's own CJK characters before ``</head>`` (idempotent).

    Documents inside ``<iframe srcdoc>`` (how the pyLDAvis view is shown) are separate documents that do not see
    the page's fonts: each gets its own embedded subset.
    """
    head_end = page.lower().find("</head>")
    if 'id="tuopin-cjk-font"' in (page[:head_end] if head_end >= 0 else page[:2000]):
        return page

    def inner(m: re.Match) -> str:
        doc = embed_cjk_font(_html.unescape(m.group(2)))
        return m.group(1) + _html.escape(doc, quote=True) + m.group(3)

    page = _SRCDOC.sub(inner, page)
    # An element that names its own fonts (style="font-family: serif", a library's stylesheet) would miss the
    # embedded face: put it first in every font-family declaration. Its unicode-range is CJK only, so other
    # characters keep the fonts the author chose.
    page = _STYLE_BLOCK.sub(lambda m: m.group(1) + _prepend_family(m.group(2)) + m.group(3), page)
    page = _STYLE_ATTR.sub(lambda m: m.group(1) + _prepend_family(m.group(2)) + m.group(3), page)
    own_text = _SRCDOC.sub(r"\1\3", page)  # the iframe documents carry their own subsets
    style = f'<style type="text/css" id="tuopin-cjk-font">\n{font_face_css(cjk_characters(own_text))}\n</style>\n'
    head_end = page.lower().find("</head>")
    if head_end < 0:
        return style + page
    return page[:head_end] + style + page[head_end:]


_REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_LOCAL_SCHEMES = re.compile(r"^\s*(data|blob|about|javascript|mailto|file):", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""", re.IGNORECASE)
_LOAD_ATTRS = ("src", "href", "data", "poster", "srcset", "xlink:href", "background", "action")


def _is_remote(url: str) -> bool:
    url = url.strip()
    if not url or _LOCAL_SCHEMES.match(url):
        return False
    return bool(_REMOTE.match(url)) or url.lower().startswith(("http:", "https:", "ftp:", "ws:", "wss:"))


def external_references(page: str) -> list[str]:
    """Resources a page would load from another host: ``'<tag> <attr>=<url>'`` for each.

    Checks every element's ``src``/``href``/``data``/``poster``/``srcset`` (plain ``<a>``/``<area>`` links are
    navigation, not loads), ``url(...)`` and ``@import`` in ``<style>`` blocks and ``style`` attributes. Script
    code is not inspected here; the browser test records any request a script makes.
    """
    from selectolax.lexbor import LexborHTMLParser

    found: list[str] = []
    tree = LexborHTMLParser(page)
    root = tree.root
    if root is None:
        return found
    for node in root.traverse(include_text=False):
        tag = node.tag
        attrs = node.attributes
        if tag not in ("a", "area", "form"):
            for attr in _LOAD_ATTRS:
                value = attrs.get(attr)
                if not value:
                    continue
                urls = [u.strip().split(" ")[0] for u in value.split(",")] if attr == "srcset" else [value]
                found.extend(f"{tag} {attr}={u}" for u in urls if _is_remote(u))
        if tag == "iframe" and attrs.get("srcdoc"):
            found.extend(f"iframe srcdoc: {ref}" for ref in external_references(attrs["srcdoc"] or ""))
        css = node.text(deep=False) if tag == "style" else ""
        if attrs.get("style"):
            css += attrs["style"] or ""
        for m in _CSS_URL.finditer(css):
            url = m.group(2) or m.group(4) or ""
            if _is_remote(url):
                found.append(f"{tag} css url={url[:200]}")
    return found


# ----------------------------------------------------------------------------------------------------------------
# Rendering


def _provenance(info: Mapping, *, stem: str, title: str, corpus_label: str, passed: Mapping) -> dict:
    params = dict(info.get("params") or {})
    if not params:
        params = dict(passed)
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


_CODE_SPANS = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.DOTALL)
_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_INLINE_MATH = re.compile(r"(?<![\\$\w])\$(?=\S)([^$\n]+?)(?<=\S)\$(?![\w$])")


def _math_image(tex: str, *, display: bool) -> str | None:
    """TeX rendered by matplotlib's mathtext as an embedded SVG ``<img>`` (``None`` if mathtext cannot)."""
    import matplotlib
    from matplotlib import mathtext
    from matplotlib.font_manager import FontProperties

    expr = " ".join(tex.split())
    buf = io.BytesIO()
    try:
        with matplotlib.rc_context({"svg.hashsalt": "tuopin", "svg.fonttype": "path"}):
            depth = mathtext.math_to_image(
                f"${expr}$", buf, prop=FontProperties(size=13 if display else 11), format="svg"
            )
    except Exception:  # noqa: BLE001 - mathtext's parser raises several types; the TeX is then shown as code
        return None
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    alt = _html.escape(tex.strip(), quote=True)
    if display:
        return f'\n\n<p class="tuopin-math" style="text-align:center"><img alt="{alt}" src="data:image/svg+xml;base64,{data}"></p>\n\n'
    return f'<img class="tuopin-math" alt="{alt}" style="vertical-align:-{depth:.1f}pt" src="data:image/svg+xml;base64,{data}">'


def render_math(markdown: str) -> str:
    r"""Replace ``$...$`` and ``$$...$$`` in markdown by formulas drawn with matplotlib's mathtext (embedded SVG).

    MathJax would be fetched from a CDN and show raw TeX offline; mathtext covers the usual formulas (fractions,
    sums, logs, Greek letters). TeX that mathtext cannot parse is left as code. Code spans are not touched.

    >>> out = render_math(r"weight $w = \log\frac{N}{n}$ and `$HOME`")
    >>> out.startswith("weight <img") and out.endswith("`$HOME`")
    True
    """
    if "$" not in markdown:
        return markdown
    pieces = _CODE_SPANS.split(markdown)
    for i in range(0, len(pieces), 2):  # even pieces are prose, odd pieces are code
        text = _DISPLAY_MATH.sub(lambda m: _math_image(m.group(1), display=True) or f"`$${m.group(1)}$$`", pieces[i])
        pieces[i] = _INLINE_MATH.sub(lambda m: _math_image(m.group(1), display=False) or f"`${m.group(1)}$`", text)
    return "".join(pieces)


def _strip_widgets(nb) -> None:
    """Drop Jupyter-widget views (they need a widget manager from a CDN); their text fallback stays."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data and "application/vnd.jupyter.widget-view+json" in data:
                data.pop("application/vnd.jupyter.widget-view+json")
                if not data:
                    data["text/plain"] = ""


def render_notebook_html(
    nb, *, provenance: Mapping | None = None, notebook_path: str | os.PathLike[str] | None = None
) -> str:
    """Render an (executed) notebook with the project's template; the CJK font is embedded, nothing is loaded.

    ``provenance`` (see :func:`build_report`) fills the block at the top of the page; without it the page has none.
    """
    from nbconvert import HTMLExporter

    _strip_widgets(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = render_math(cell.source)
    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        embed_images=True,
        sanitize_html=False,
    )
    resources: dict = {"tuopin": dict(provenance) if provenance else None}
    if notebook_path is not None:
        resources["metadata"] = {"path": str(Path(notebook_path).parent), "name": Path(notebook_path).stem}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return embed_cjk_font(body)


def _render_index(context: Mapping) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR / TEMPLATE_NAME)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return embed_cjk_font(env.get_template("report_index.html.j2").render(**context))


def api_modules(package: str = "helpers") -> list[str]:
    """The package and every module in it (found on the file system, in sorted order), for the API reference.

    pdoc, given only the package, documents the submodules named in the package's ``__all__``, and
    ``helpers.__all__`` names the functions it re-exports: only ``helpers.tokenize`` (a function and a module of
    the same name) would be documented. The report names every module instead.

    >>> mods = api_modules()
    >>> mods[0], "helpers.corpus" in mods, "helpers.report" in mods
    ('helpers', True, True)
    """
    import importlib
    import pkgutil

    root = importlib.import_module(package)
    found = [package]
    if hasattr(root, "__path__"):
        found += sorted(
            info.name
            for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}.")
            if not any(part.startswith("_") for part in info.name.split("."))
        )
    return found


def _render_api(dest: Path, *, footer: str) -> None:
    """The ``helpers`` API reference with pdoc (no math, no mermaid: nothing from a CDN), CJK font embedded.

    Every module of :func:`api_modules` is documented; the package page lists them all (template
    ``helpers/templates/pdoc``). ``!helpers\\.`` drops the one submodule pdoc adds itself from ``__all__`` before
    the modules are named one by one (naming it twice makes pdoc warn).
    """
    package, *modules = api_modules()
    cmd = [
        sys.executable,
        "-m",
        "pdoc",
        package,
        f"!{re.escape(package)}\\.",
        *modules,
        "-t",
        str(TEMPLATES_DIR / "pdoc"),
        "-d",
        "numpy",
        "--no-math",
        "--no-mermaid",
        "--footer-text",
        footer,
        "-o",
        str(dest),
    ]
    proc = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise ReportError(f"API reference (pdoc) failed:\n{proc.stderr[-2000:]}")
    back = '<p style="font-size:12px;margin:1em"><a href="../index.html">&larr; Report index</a></p>'
    for page in dest.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        depth = len(page.relative_to(dest).parts) - 1
        link = back.replace("../index.html", "../" * (depth + 1) + "index.html")
        text = re.sub(r"(<body[^>]*>)", lambda m, link=link: m.group(1) + link, text, count=1)
        page.write_text(embed_cjk_font(text), encoding="utf-8")
    # pdoc shows default values such as PROJECT_ROOT as the absolute path they have on this machine: strip them.
    _strip_local_paths_in(dest, local_paths())


# ----------------------------------------------------------------------------------------------------------------
# Shareable pages: no machine paths

#: Text files of a report rewritten by :func:`strip_local_paths` (every one but ``report_info.json``).
_SHAREABLE_SUFFIXES = (".html", ".htm", ".ipynb", ".json", ".js", ".csv", ".tsv", ".jsonl", ".txt", ".md", ".svg")
#: Files in which a report holds the cleaned corpus (notebook 01 writes ``01_cleaning/cleaned.jsonl``); they are
#: left out of the report folder with ``--no-corpus`` (``make report INCLUDE_CORPUS=0``).
CORPUS_FILES: tuple[str, ...] = ("cleaned.jsonl", "cleaned.parquet", "cleaned.csv")


def local_paths(
    *, source: str | os.PathLike[str] | None = None, report_dirs: Iterable[str | os.PathLike[str]] = ()
) -> list[tuple[str, str]]:
    """The folders of this machine that pages may name, each with what pages show instead, most specific first.

    ``report_dirs`` (the report folder and its partial build) become ``.``, so that paths in them are relative to
    the report; the corpus is shown as :func:`helpers.paths.display_path` shows it; the project root as ``.``;
    the cache and reports folders, the Python installation, the temporary folder and the home folder by the
    variable that names them (``$TUOPIN_CACHE_DIR``, ``$VIRTUAL_ENV``, ``$TMPDIR``, ``~``) when outside the project.
    """
    import tempfile

    pairs: dict[str, str] = {}

    def add(path: str | os.PathLike[str] | None, label: str) -> None:
        if not path:
            return
        for variant in (os.path.abspath(path), os.path.realpath(path)):
            if len(variant) > 1 and variant not in pairs:
                pairs[variant] = label

    def inside_or(path: Path, label: str) -> str:
        return display_path(path) if path.resolve().is_relative_to(PROJECT_ROOT) else label

    for folder in report_dirs:
        add(folder, ".")
    if source is not None:
        add(source, display_path(source))
    add(CACHE_DIR, inside_or(CACHE_DIR, "$TUOPIN_CACHE_DIR"))
    add(REPORTS_DIR, inside_or(REPORTS_DIR, "$TUOPIN_REPORTS_DIR"))
    add(PROJECT_ROOT, ".")
    in_venv = sys.prefix != sys.base_prefix
    add(sys.prefix, inside_or(Path(sys.prefix), "$VIRTUAL_ENV" if in_venv else "$PYTHON_HOME"))
    add(sys.base_prefix, "$PYTHON_HOME")
    add(tempfile.gettempdir(), "$TMPDIR")
    home = Path.home()
    if str(home) not in ("/", ""):
        add(home, "~")
    return sorted(pairs.items(), key=lambda kv: -len(kv[0]))


def strip_local_paths(text: str, paths: Sequence[tuple[str, str]]) -> str:
    """Replace each machine path of ``paths`` (from :func:`local_paths`) in ``text`` by its label.

    A path followed by ``/`` keeps the rest (``<project>/helpers/x.py`` becomes ``helpers/x.py``); a path is only
    replaced as a whole name (``/data/news`` is not a prefix of ``/data/news2``).

    >>> pairs = [("/srv/ann/tuopin/seeds", "seeds"), ("/srv/ann/tuopin", "."), ("/srv/ann", "~")]
    >>> strip_local_paths("read /srv/ann/tuopin/seeds/a.txt, /srv/ann/tuopin/helpers/x.py, /srv/ann2", pairs)
    'read seeds/a.txt, helpers/x.py, /srv/ann2'
    >>> strip_local_paths("cd /srv/ann/tuopin; ls /srv/ann/notes", pairs)
    'cd .; ls ~/notes'
    """
    if not paths or not text:
        return text
    labels = dict(paths)
    pattern = re.compile(
        "(" + "|".join(re.escape(p) for p, _ in sorted(paths, key=lambda kv: -len(kv[0]))) + r")(?:(/)|(?![\w.\-]))"
    )

    def repl(m: re.Match) -> str:
        label = labels[m.group(1)]
        if m.group(2):
            return "" if label == "." else label + "/"
        return label

    return pattern.sub(repl, text)


def _strip_local_paths_in(folder: Path, paths: Sequence[tuple[str, str]], *, keep: Iterable[Path] = ()) -> int:
    """Rewrite every text file of ``folder`` (pages, notebooks, tables, JSON) without machine paths; returns how
    many files changed. Files in ``keep`` (``report_info.json``) are left as they are."""
    keep = {Path(p).resolve() for p in keep}
    changed = 0
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in _SHAREABLE_SUFFIXES or path.resolve() in keep:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # not a text file after all (binary data under a text suffix): nothing to rewrite
        new = strip_local_paths(text, paths)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed += 1
    return changed


# ----------------------------------------------------------------------------------------------------------------
# Building a report


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


@contextlib.contextmanager
def report_lock(
    reports: str | os.PathLike[str], name: str, *, timeout: float = 0, log: Callable[[str], None] = print
) -> Iterator[Path]:
    """Hold ``reports/.<name>.lock`` (``fcntl.flock``) while a report on that corpus is built.

    A second run on the same corpus waits up to ``timeout`` seconds (saying so once), then raises
    :class:`ReportError` naming the run that holds the lock. The lock is released when the holder exits, also
    when it crashes or is killed (the kernel drops ``flock`` locks with the process); the file itself stays.

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


def _declared_default(declared: Mapping[str, Mapping[str, str]], name: str) -> object:
    """The default of a parameter the notebooks declare, when they agree on it (else ``None``)."""
    defaults = {d[name] for d in declared.values() if name in d}
    return parse_param_value(defaults.pop().strip("\"'")) if len(defaults) == 1 else None


def build_report(
    corpus: str | os.PathLike[str],
    *,
    params: Mapping[str, object] | None = None,
    reports_dir: str | os.PathLike[str] | None = None,
    notebooks_dir: str | os.PathLike[str] | None = None,
    name: str | None = None,
    api: bool = True,
    include_corpus: bool = True,
    lock_timeout: float = 600,
    progress_bar: bool = True,
    log: Callable[[str], None] = print,
) -> Path:
    """Execute every numbered notebook on ``corpus`` and render the report; returns ``reports/<name>/``.

    Parameters
    ----------
    corpus
        A folder of .txt/.md/.html files, a CSV or a JSONL file (relative paths as in
        :func:`helpers.paths.resolve_path`).
    params
        Extra papermill parameters, passed to each notebook whose parameters cell defines the name.
        ``text_column``, ``id_column`` and ``errors`` go to every notebook, so all of them analyse the same
        documents under the same ids. Without ``text_column``, a table without a ``text`` column uses the one
        column that clearly holds running Chinese text (:func:`helpers.corpus.guess_text_column`); if none does,
        the build stops before any notebook runs, with the error listing the columns.
    reports_dir
        Where reports go (default :data:`helpers.paths.REPORTS_DIR`, i.e. ``reports/`` or ``$TUOPIN_REPORTS_DIR``).
    notebooks_dir
        Where the notebooks are (default ``notebooks/``).
    name
        The report's folder name (default :func:`helpers.paths.corpus_name` of the corpus).
    api
        Also render the ``helpers`` API reference into ``api/``.
    include_corpus
        Keep the cleaned corpus (:data:`CORPUS_FILES`, e.g. ``01_cleaning/cleaned.jsonl``) in the report folder;
        ``False`` removes it after rendering, for a folder that is shared with people who may not have the texts.
    lock_timeout
        Seconds to wait for another run on the same corpus to finish (:func:`report_lock`) before giving up.

    Pages name no folder of this machine (:func:`strip_local_paths`): the corpus is shown relative to the
    project, or by its file name; its machine path is recorded in ``report_info.json`` only.

    Raises
    ------
    ReportError
        For a missing corpus, an unknown parameter, a corpus that cannot be loaded (no text column...), another
        run on the same corpus, a failing notebook (the message names it) or a page that would load a resource
        from another host. The partial build is left in ``reports/.<name>.partial`` with a ``FAILED`` file; an
        existing report is not touched.
    """
    import nbformat
    import papermill as pm

    from .corpus import CorpusError, guess_text_column, load_corpus
    from .provenance import git_revision, package_versions

    started = time.monotonic()
    params = dict(params or {})
    source = resolve_path(corpus)
    if not source.exists():
        raise ReportError(f"{corpus}: corpus not found (tried the working directory, notebooks/ and the project root)")
    name = name or corpus_name(source)
    reports = Path(reports_dir).resolve() if reports_dir else REPORTS_DIR
    nb_dir = Path(notebooks_dir).resolve() if notebooks_dir else NOTEBOOKS_DIR
    notebooks = discover_notebooks(nb_dir)
    if not notebooks:
        raise ReportError(f"{nb_dir}: no numbered notebooks ([0-9][0-9]_*.ipynb) to render")

    declared = {nb.stem: notebook_parameters(nb) for nb in notebooks}
    unknown = sorted(set(params) - set().union(*(set(d) for d in declared.values())))
    if unknown:
        known = sorted(set().union(*(set(d) for d in declared.values())) - {"corpus", "output_dir"})
        raise ReportError(f"parameter(s) {', '.join(unknown)} not defined by any notebook; known: {', '.join(known)}")
    for reserved in ("corpus", "output_dir"):
        if reserved in params:
            raise ReportError(f"-p {reserved} is set by the report itself; use --corpus / --reports-dir")

    if "text_column" not in params and any("text_column" in d for d in declared.values()):
        guessed = guess_text_column(source)
        if guessed and guessed != "text":
            log(
                f"note: {source.name} has no 'text' column; using {guessed!r}, the one column of running Chinese "
                f"text (choose another with -p text_column NAME)"
            )
            params["text_column"] = guessed
    # Load once before any notebook runs (the cleaned corpus is cached, so the notebooks reuse it): a corpus that
    # cannot be read (no text column, bad rows with errors="raise") stops here with the loader's message.
    load_options = {
        key: params.get(key, _declared_default(declared, key)) for key in ("text_column", "id_column", "errors")
    }
    load_options = {key: value for key, value in load_options.items() if value is not None}
    try:
        docs = load_corpus(source, **load_options, progress=False)
    except CorpusError as exc:
        raise ReportError(str(exc)) from None
    first_docs = _first_documents(docs)

    final = reports / name
    partial = reports / f".{name}.partial"
    with report_lock(reports, name, timeout=lock_timeout, log=log):
        return _build_locked(
            source=source,
            name=name,
            final=final,
            partial=partial,
            notebooks=notebooks,
            declared=declared,
            params=params,
            nb_dir=nb_dir,
            api=api,
            include_corpus=include_corpus,
            first_docs=first_docs,
            started=started,
            progress_bar=progress_bar,
            log=log,
            pm=pm,
            nbformat=nbformat,
            git_revision=git_revision,
            package_versions=package_versions,
        )


def _build_locked(
    *,
    source: Path,
    name: str,
    final: Path,
    partial: Path,
    notebooks: list[Path],
    declared: Mapping[str, Mapping[str, str]],
    params: Mapping[str, object],
    nb_dir: Path,
    api: bool,
    include_corpus: bool,
    first_docs: list[str],
    started: float,
    progress_bar: bool,
    log: Callable[[str], None],
    pm,
    nbformat,
    git_revision: Callable[[], str],
    package_versions: Callable[[], dict],
) -> Path:
    """The part of :func:`build_report` that runs under the report's lock: execute, render, publish."""
    if partial.exists():  # left by a run that failed or was killed; no run holds it now (we hold the lock)
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    paths = local_paths(source=source, report_dirs=(partial, final))
    shown_corpus = display_path(source)
    log(f"Report for corpus {name!r} ({source}) -> {final}")
    log(f"{len(notebooks)} notebooks: {', '.join(nb.name for nb in notebooks)}")

    entries: list[dict] = []
    infos: list[dict] = []
    try:
        for i, nb_path in enumerate(notebooks, 1):
            stem = nb_path.stem
            out = partial / stem
            out.mkdir()
            passed: dict[str, object] = {"corpus": str(source), "output_dir": str(out)}
            for key, value in params.items():
                if key in declared[stem]:
                    passed[key] = value
                else:
                    log(f"  note: {stem} has no parameter {key!r}; not passed to it")
            log(f"[{i}/{len(notebooks)}] {stem}: executing")
            t0 = time.monotonic()
            executed = out / nb_path.name
            try:
                with _inline_figures_env():
                    pm.execute_notebook(
                        str(nb_path),
                        str(executed),
                        parameters=passed,
                        cwd=str(nb_dir),
                        kernel_name="python3",
                        progress_bar=progress_bar,
                        request_save_on_cell_execute=True,
                    )
            except Exception as exc:  # papermill raises PapermillExecutionError, kernels can die in other ways
                raise ReportError(
                    f"notebook {nb_path.name} failed: {_error_text(exc)}\n"
                    f"  the executed notebook with the full traceback: {executed}"
                ) from exc
            seconds = time.monotonic() - t0
            nb = nbformat.read(executed, as_version=4)
            title, summary = notebook_summary(nb)
            info_path = out / "run_info.json"
            if info_path.is_file():
                info = json.loads(info_path.read_text(encoding="utf-8"))
            else:
                log(f"  warning: {stem} wrote no run_info.json; provenance recorded by the report instead")
                info = {
                    "params": {},
                    "versions": package_versions(),
                    "git_revision": git_revision(),
                    "corpus": shown_corpus,
                    "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                }
            infos.append(info)
            prov = _provenance(info, stem=stem, title=title, corpus_label=name, passed=passed)
            page = render_notebook_html(nb, provenance=prov, notebook_path=nb_path)
            (partial / f"{stem}.html").write_text(strip_local_paths(page, paths), encoding="utf-8")
            shown = {k: v for k, v in passed.items() if k not in ("corpus", "output_dir")}
            entries.append(
                {
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
            )
            log(
                f"[{i}/{len(notebooks)}] {stem}: done in {seconds:.0f} s -> {stem}.html "
                f"({(partial / f'{stem}.html').stat().st_size / 1e6:.1f} MB)"
            )

        git_rev = next((i["git_revision"] for i in infos if i.get("git_revision")), git_revision())
        try:
            import pdoc

            pdoc_version = pdoc.__version__
        except ImportError:
            pdoc_version = ""
            if api:
                log("  note: pdoc is not installed (make setup installs it): no API reference in this report")
            api = False
        if api:
            log("API reference: pdoc helpers -> api/")
            _render_api(partial / "api", footer=f"tuopin-notebooks {git_rev}")

        corpus_files = sorted(p for p in partial.glob("*/*") if p.name in CORPUS_FILES)
        if not include_corpus:
            for path in corpus_files:
                path.unlink()
            if corpus_files:
                log(
                    f"  cleaned corpus left out (--no-corpus): {', '.join(str(p.relative_to(partial)) for p in corpus_files)}"
                )
        hashes = sorted({str(i["corpus_hash"]) for i in infos if i.get("corpus_hash")})
        counts = sorted({int(i["n_documents"]) for i in infos if i.get("n_documents") is not None})
        versions = next((i["versions"] for i in infos if i.get("versions")), package_versions())
        run_date = min((i.get("created", "") for i in infos if i.get("created")), default="")
        context = {
            "corpus_name": name,
            "corpus": shown_corpus,
            "n_documents": ", ".join(map(str, counts)) if counts else "not recorded",
            "corpus_hash": ", ".join(hashes) if hashes else "not recorded",
            "run_date": run_date or _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "duration": f"{time.monotonic() - started:.0f} s",
            "git_revision": git_rev,
            "params_text": json.dumps(params, ensure_ascii=False) if params else "defaults",
            "command": _command_line(shown_corpus, params, include_corpus=include_corpus),
            "notebooks": entries,
            "first_documents": first_docs,
            "corpus_files": [str(p.relative_to(partial)) for p in corpus_files],
            "corpus_included": include_corpus,
            "api": api,
            "pdoc_version": pdoc_version,
            "versions": sorted(versions.items()),
        }
        machine = {  # report_info.json is the one file that names this machine's folders
            "corpus_path": str(source),
            "report_path": str(final),
            "command_here": _command_line(source, params, include_corpus=include_corpus),
        }
        (partial / "index.html").write_text(strip_local_paths(_render_index(context), paths), encoding="utf-8")

        for page in sorted(partial.glob("*/*.htm*")):  # pages the notebooks wrote (e.g. the pyLDAvis view)
            if page.parent.name != "api":
                page.write_text(embed_cjk_font(page.read_text(encoding="utf-8")), encoding="utf-8")
        _strip_local_paths_in(partial, paths)
        (partial / "report_info.json").write_text(
            json.dumps(
                {**{k: v for k, v in context.items() if k != "api"}, **machine},
                ensure_ascii=False,
                indent=2,
                default=str,
            ),
            encoding="utf-8",
        )
        problems = [
            f"{page.relative_to(partial)}: {ref}"
            for page in sorted(partial.rglob("*.htm*"))
            for ref in external_references(page.read_text(encoding="utf-8", errors="replace"))
        ]
        if problems:
            raise ReportError("pages would load resources from another host:\n  " + "\n  ".join(problems[:20]))
    except BaseException as exc:
        (partial / "index.html").unlink(missing_ok=True)
        message = str(exc) if isinstance(exc, ReportError) else _error_text(exc)
        (partial / "FAILED").write_text(f"{message}\n", encoding="utf-8")
        if final.exists():
            log(f"The previous report in {final} is left unchanged; this run's partial output is in {partial}")
        raise

    if final.exists():
        old = final.parent / f".{name}.old-{os.getpid()}"
        final.rename(old)
        partial.rename(final)
        shutil.rmtree(old)
    else:
        partial.rename(final)
    log(f"Report ready: {final / 'index.html'} ({time.monotonic() - started:.0f} s)")
    return final


# ----------------------------------------------------------------------------------------------------------------
# Checking pages in a headless browser

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
)

_PROBE_JS = r"""
async () => {
  await document.fonts.ready;
  const cjk = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;
  // Widths are measured on ideographs only: runs of CJK punctuation ("，、；") are drawn narrower on purpose
  // (CSS text-spacing-trim halves adjacent fullwidth punctuation), which is not a missing glyph.
  const cjkAll = /[\u3400-\u9fff\uf900-\ufaff]+/g;
  const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
  const samples = [];
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d");
  let node;
  while ((node = walker.nextNode()) && samples.length < 40) {
    const el = node.parentElement;
    if (!el || !cjk.test(node.nodeValue) || ["SCRIPT", "STYLE", "TITLE"].includes(el.tagName)) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue;  // not displayed (collapsed details, hidden tab)
    const text = (node.nodeValue.match(cjkAll) || []).join("").slice(0, 30);
    if (!text) continue;
    const cs = getComputedStyle(el);
    const size = parseFloat(cs.fontSize);
    await document.fonts.load(`${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`, text);
    ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const width = ctx.measureText(text).width;
    ctx.font = `${cs.fontSize} "tuopin-no-such-font"`;
    const fallback = ctx.measureText(text).width;
    samples.push({text, tag: el.tagName, size, family: cs.fontFamily.slice(0, 60),
                  ratio: width / (text.length * size), fallback_ratio: fallback / (text.length * size)});
  }
  const faces = [...document.fonts].filter(f => f.status === "loaded").map(f => f.family.replace(/"/g, ""));
  return {samples, loaded_faces: faces, circles: document.querySelectorAll("svg circle.dot").length,
          title: document.title};
}
"""


def _blocking_route(blocked: list[str]):
    """A Playwright route handler: local URLs pass, anything else is aborted and recorded in ``blocked``."""

    def handle(route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "about:", "blob:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort("blockedbyclient")

    return handle


def browser_check(
    pages: Iterable[str | os.PathLike[str]],
    *,
    executable_path: str | None = None,
    screenshot_dir: str | os.PathLike[str] | None = None,
    timeout_ms: int = 60_000,
) -> list[dict]:
    """Open each page in headless Chromium with every network request blocked; report what happened.

    For each page: ``blocked`` (requests to anything but ``file:``/``data:``/``about:``, aborted and recorded),
    ``js_errors`` (uncaught exceptions and console errors), and per frame (``frames``, the page and its iframes):
    CJK ``samples`` with the rendered width of their Chinese characters in em (``ratio``; about 1.0 with real
    glyphs, far less for the boxes drawn for missing glyphs), the font faces loaded, and the number of pyLDAvis
    topic circles (``circles``). Needs the ``playwright`` package and Chromium (``/usr/bin/chromium``).
    """
    from playwright.sync_api import sync_playwright

    exe = executable_path or shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        raise ReportError("chromium not found (Debian: apt-get install chromium, or make browser)")
    results = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=list(CHROMIUM_ARGS))
        try:
            for page_path in pages:
                page_path = Path(page_path).resolve()
                context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
                blocked: list[str] = []
                errors: list[str] = []

                context.route("**/*", _blocking_route(blocked))
                page = context.new_page()
                page.on("pageerror", lambda exc, errors=errors: errors.append(f"pageerror: {exc}"))
                page.on(
                    "console", lambda msg, errors=errors: msg.type == "error" and errors.append(f"console: {msg.text}")
                )
                page.on(
                    "requestfailed",
                    lambda req, blocked=blocked: (
                        not req.url.startswith(("file:", "data:", "about:", "blob:"))
                        and req.url not in blocked
                        and blocked.append(req.url)
                    ),
                )
                page.goto(page_path.as_uri(), wait_until="load", timeout=timeout_ms)
                page.wait_for_timeout(500)
                frames = []
                for frame in page.frames:
                    try:
                        frames.append({"url": frame.url[:80], **frame.evaluate(_PROBE_JS)})
                    except Exception as exc:  # a frame that cannot be inspected is itself a finding
                        frames.append({"url": frame.url[:80], "error": str(exc)})
                if screenshot_dir:
                    shot = Path(screenshot_dir) / (page_path.stem + ".png")
                    shot.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(shot))
                results.append({"page": str(page_path), "blocked": blocked, "js_errors": errors, "frames": frames})
                context.close()
        finally:
            browser.close()
    return results


def check_report(folder: str | os.PathLike[str], *, log: Callable[[str], None] = print, **kwargs) -> list[str]:
    """Check every HTML page of a rendered report, statically and in Chromium; returns the problems found.

    A page fails when it references or requests another host, raises a JavaScript error, or draws Chinese text
    narrower than 0.9 em per character (missing glyphs); the index must list at least one notebook.
    """
    folder = Path(folder)
    pages = sorted(folder.rglob("*.htm*"))
    problems = [
        f"{p.relative_to(folder)}: references {ref}"
        for p in pages
        for ref in external_references(p.read_text(encoding="utf-8", errors="replace"))
    ]
    for res in browser_check(pages, **kwargs):
        rel = Path(res["page"]).relative_to(folder.resolve())
        problems += [f"{rel}: requested {url}" for url in res["blocked"]]
        problems += [f"{rel}: {err}" for err in res["js_errors"]]
        n_samples = 0
        for frame in res["frames"]:
            if "error" in frame:
                problems.append(f"{rel}: frame {frame['url']}: {frame['error']}")
                continue
            for s in frame["samples"]:
                n_samples += 1
                if s["ratio"] < 0.9:
                    problems.append(
                        f"{rel}: Chinese text {s['text']!r} drawn {s['ratio']:.2f} em per character "
                        f"(missing glyphs?) in {s['family']}"
                    )
        log(
            f"  {rel}: {len(res['blocked'])} blocked requests, {len(res['js_errors'])} JS errors, "
            f"{n_samples} Chinese samples, {sum(f.get('circles', 0) for f in res['frames'])} LDAvis circles"
        )
    return problems


def _first_documents(docs, *, n: int = 5) -> list[str]:
    """Titles (or openings) of the corpus's first documents, for the index page."""
    import pandas as pd

    out = []
    for _, row in docs.head(n).iterrows():
        title = row.get("title")
        label = str(title) if title is not None and not pd.isna(title) and str(title).strip() else ""
        label = label or (str(row["text"])[:40] + "…")
        out.append(f"{row['doc_id']}: {label}")
    return out


def _command_line(corpus, params: Mapping[str, object], *, include_corpus: bool = True) -> str:
    args = ["python", "-m", "helpers.report", "--corpus", str(corpus)]
    for key, value in params.items():
        args += ["-p", key, str(value)]
    if not include_corpus:
        args.append("--no-corpus")
    return " ".join(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m helpers.report --corpus PATH [-p name value ...]``; returns the exit code."""
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
    args = parser.parse_args(argv)
    if args.check:
        problems = check_report(args.check)
        for problem in problems:
            print(f"problem: {problem}", file=sys.stderr)
        print(f"{len(problems)} problems in {args.check}")
        return 1 if problems else 0
    params = {key: parse_param_value(value) for key, value in args.parameters}
    try:
        build_report(
            args.corpus,
            params=params,
            reports_dir=args.reports_dir,
            notebooks_dir=args.notebooks_dir,
            name=args.name,
            api=not args.no_api,
            include_corpus=not args.no_corpus,
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


if __name__ == "__main__":
    sys.exit(main())
