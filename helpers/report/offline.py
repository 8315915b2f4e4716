"""Offline HTML: pages that show everything, Chinese included, without a network and without naming this machine.

The report's pages are assembled here: notebooks are rendered with the project's nbconvert template
(``helpers/templates/tuopin``), the index page with its Jinja template, the API reference with pdoc; then

* Chinese text is drawn with a subset of Noto Sans CJK SC (from the ``mplfonts`` package, SIL Open Font License)
  holding exactly the CJK characters of that page, embedded as a base64 WOFF ``@font-face``
  (:func:`embed_cjk_font`; :func:`subset_cjk_font` is the project's one font subsetter, also used by
  :func:`helpers.topics.cjk_font_face` for the pyLDAvis page); in a report, pages link one subset for the whole
  report instead (``font_href``, :mod:`helpers.report.assets`);
* formulas are drawn by matplotlib's mathtext as embedded SVG (:func:`render_math`), as MathJax would come from a CDN;
* every page is checked for resources loaded from another host (:func:`external_references`);
* machine paths are replaced by paths relative to the project or the report (:func:`strip_local_paths`).

>>> external_references('<img src="https://example.org/a.png"><a href="https://example.org">link</a>')
['img src=https://example.org/a.png']
>>> sorted(cjk_characters("脱贫 attack 攻坚&#25112;"))
['坚', '战', '攻', '脱', '贫']
"""

from __future__ import annotations

import base64
import html as _html
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from ..paths import CACHE_DIR, PROJECT_ROOT, REPORTS_DIR, display_path

__all__ = [
    "CJK_FONT_FAMILY",
    "CJK_RANGES",
    "CORPUS_FILES",
    "ReportError",
    "api_modules",
    "cjk_characters",
    "embed_cjk_font",
    "embed_cjk_font_in_pages",
    "external_references",
    "external_references_in_folder",
    "font_face_css",
    "font_face_rule",
    "local_paths",
    "render_api_reference",
    "render_index_html",
    "render_math",
    "render_notebook_html",
    "strip_local_paths",
    "strip_local_paths_in_folder",
    "subset_cjk_font",
]


class ReportError(RuntimeError):
    """A report could not be built (bad arguments, a failing notebook, a page that loads from another host)."""


ReportError.__module__ = "helpers.report"  # its public name: raised and caught as helpers.report.ReportError

TEMPLATES_DIR: Path = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE_NAME = "tuopin"

# ----------------------------------------------------------------------------------------------------------------
# The CJK font

#: The family name under which each page embeds its subset of Noto Sans CJK SC.
CJK_FONT_FAMILY = "Tuopin Noto Sans SC"
#: Code points drawn with the embedded font (CJK symbols and punctuation, kana, bopomofo, ideographs, fullwidth
#: forms); everything else uses the reader's fonts. The blocks are the Unicode CJK blocks (Unicode 15, chapter 18).
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
#: Name records kept in a subset: copyright (0), family and style names (1-6), licence text and URL (13, 14);
#: the SIL Open Font License asks that the licence travel with every copy of the font.
FONT_NAME_IDS = (0, 1, 2, 3, 4, 5, 6, 13, 14)
_UI_FONTS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial'
_SYSTEM_CJK = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei"'
_CODE_FONTS = 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono"'
_FONT_NOTE = "/* Chinese text: embedded subset of Noto Sans CJK SC (mplfonts package, SIL Open Font License). */"


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in CJK_RANGES)


_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def cjk_characters(text: str) -> set[str]:
    """The CJK characters in a page's source, including HTML entities and ``\\uXXXX`` escapes (JSON data).

    Parameters
    ----------
    text : str
        HTML, CSS, JavaScript or plain text.

    Returns
    -------
    set of str
        The distinct characters that fall in :data:`CJK_RANGES`.

    Examples
    --------
    >>> sorted(cjk_characters('<p>扶贫</p><script>var t = "\\\\u8131";</script>'))
    ['扶', '脱', '贫']
    """
    decoded = _html.unescape(_JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text))
    return {ch for ch in set(decoded) if _is_cjk(ch)}


def subset_cjk_font(chars: Iterable[str]) -> bytes:
    """Noto Sans CJK SC cut down to ``chars``, as WOFF bytes: the project's one font subsetter.

    The bundled font (:func:`helpers.plotting.cjk_font_path`, 16 MB) is subset with fontTools: all OpenType layout
    features of the kept glyphs (vertical and fullwidth-punctuation forms), no hinting (browsers do not need it),
    CFF subroutines expanded (smaller once compressed), the name records of :data:`FONT_NAME_IDS` (licence
    included) and a visible ``.notdef`` box. A subset of a few hundred characters is about 0.3 kB per character.

    Parameters
    ----------
    chars : iterable of str
        The characters to keep (single characters; duplicates are fine).

    Returns
    -------
    bytes
        A WOFF font holding the glyphs of ``chars`` that the font has.

    Examples
    --------
    >>> from fontTools.ttLib import TTFont
    >>> font = TTFont(io.BytesIO(subset_cjk_font("脱贫")))
    >>> sorted(chr(cp) for cp in font.getBestCmap())
    ['脱', '贫']
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from ..plotting import cjk_font_path

    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = list(FONT_NAME_IDS)
    options.notdef_outline = True
    font = TTFont(str(cjk_font_path()), lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(c) for c in chars}))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff"
    font.save(buffer)
    return buffer.getvalue()


def font_face_rule(chars: Iterable[str], *, family: str = CJK_FONT_FAMILY, cjk_only: bool = True) -> str:
    """A CSS ``@font-face`` rule carrying :func:`subset_cjk_font` of ``chars`` as a ``data:`` URI.

    Parameters
    ----------
    chars : iterable of str
        The characters the embedded font must draw.
    family : str, default :data:`CJK_FONT_FAMILY`
        The ``font-family`` name that style sheets use for the embedded face.
    cjk_only : bool, default True
        Restrict the face to :data:`CJK_RANGES` (``unicode-range``), so that Latin text keeps the fonts the page
        chose; ``False`` lets the face draw every character it holds.

    Returns
    -------
    str
        One ``@font-face`` rule.

    Examples
    --------
    >>> rule = font_face_rule("脱贫")
    >>> rule.startswith('@font-face { font-family: "Tuopin Noto Sans SC";') and "unicode-range: U+2E80-2FDF" in rule
    True
    """
    data = base64.b64encode(subset_cjk_font(chars)).decode("ascii")
    ranges = " unicode-range: " + ", ".join(f"U+{lo:X}-{hi:X}" for lo, hi in CJK_RANGES) + ";" if cjk_only else ""
    return (
        f'@font-face {{ font-family: "{family}"; font-style: normal; font-weight: 100 900;'
        f" font-display: block;{ranges}"
        f' src: url(data:font/woff;base64,{data}) format("woff"); }}'
    )


def font_face_css(chars: Iterable[str]) -> str:
    """CSS that draws ``chars`` with an embedded subset of Noto Sans CJK SC and sets the page font stacks.

    The subset (:func:`font_face_rule`) is restricted to the CJK ranges and named :data:`CJK_FONT_FAMILY`; it
    comes first in every font stack (JupyterLab's ``--jp-*-font-family`` variables, body text, SVG text such as
    pyLDAvis labels), followed by the usual UI fonts and the system CJK fonts.

    Parameters
    ----------
    chars : iterable of str
        The CJK characters of the page (:func:`cjk_characters`); without any, no font is embedded.

    Returns
    -------
    str
        A style sheet (without the ``<style>`` element).

    Examples
    --------
    >>> css = font_face_css([])
    >>> "@font-face" in css, css.count("--jp-ui-font-family")
    (False, 1)
    """
    chars = sorted(set(chars))
    parts = [_FONT_NOTE]
    if chars:
        parts.append(font_face_rule(chars))
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


def embed_cjk_font(page: str, *, font_href: str | None = None) -> str:
    """Insert :func:`font_face_css` for the page's own CJK characters before ``</head>`` (idempotent).

    Documents inside ``<iframe srcdoc>`` (how the pyLDAvis view is shown) are separate documents that do not see
    the page's fonts: each gets its own embedded subset. An element that names its own fonts
    (``style="font-family: serif"``, a library's style sheet) gets the embedded face first in its list; as the
    face covers the CJK ranges only, other characters keep the fonts the author chose.

    With ``font_href`` the page embeds no font: it links the report's shared font style sheet
    (:data:`helpers.report.assets.FONT_STYLESHEET`) instead, and keeps only the font stacks inline.

    Parameters
    ----------
    page : str
        An HTML document.
    font_href : str, optional
        URL of a style sheet holding the ``@font-face`` of :data:`CJK_FONT_FAMILY` (relative to the page).

    Returns
    -------
    str
        The document with a ``<style id="tuopin-cjk-font">`` element; unchanged if it already has one.

    Examples
    --------
    >>> page = embed_cjk_font("<html><head></head><body>脱贫</body></html>")
    >>> 'id="tuopin-cjk-font"' in page and embed_cjk_font(page) == page
    True
    """
    head_end = page.lower().find("</head>")
    if 'id="tuopin-cjk-font"' in (page[:head_end] if head_end >= 0 else page[:2000]):
        return page

    def inner(m: re.Match) -> str:
        doc = embed_cjk_font(_html.unescape(m.group(2)), font_href=font_href)
        return m.group(1) + _html.escape(doc, quote=True) + m.group(3)

    page = _SRCDOC.sub(inner, page)
    page = _STYLE_BLOCK.sub(lambda m: m.group(1) + _prepend_family(m.group(2)) + m.group(3), page)
    page = _STYLE_ATTR.sub(lambda m: m.group(1) + _prepend_family(m.group(2)) + m.group(3), page)
    if font_href:
        link = f'<link rel="stylesheet" href="{_html.escape(font_href, quote=True)}" id="tuopin-cjk-font-file">\n'
        style = link + f'<style type="text/css" id="tuopin-cjk-font">\n{font_face_css(())}\n</style>\n'
    else:
        own_text = _SRCDOC.sub(r"\1\3", page)  # the iframe documents carry their own subsets
        style = f'<style type="text/css" id="tuopin-cjk-font">\n{font_face_css(cjk_characters(own_text))}\n</style>\n'
    head_end = page.lower().find("</head>")
    if head_end < 0:
        return style + page
    return page[:head_end] + style + page[head_end:]


def embed_cjk_font_in_pages(
    pages: Iterable[str | os.PathLike[str]], *, root: str | os.PathLike[str] | None = None, font: str | None = None
) -> None:
    """Rewrite each HTML file of ``pages`` in place with :func:`embed_cjk_font` (UTF-8).

    Parameters
    ----------
    pages : iterable of path-like
        HTML files, e.g. the pages notebooks wrote into their output folders (the pyLDAvis view).
    root, font : path-like and str, optional
        A report folder and the shared font style sheet's path in it: each page links it (by its relative URL)
        instead of embedding a subset.
    """
    for page in pages:
        path = Path(page)
        href = Path(os.path.relpath(Path(root) / font, path.parent)).as_posix() if root and font else None
        path.write_text(embed_cjk_font(path.read_text(encoding="utf-8"), font_href=href), encoding="utf-8")


# ----------------------------------------------------------------------------------------------------------------
# Resources from another host

_REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_LOCAL_SCHEMES = re.compile(r"^\s*(data|blob|about|javascript|mailto|file):", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""", re.IGNORECASE)
_LOAD_ATTRS = ("src", "href", "data", "poster", "srcset", "xlink:href", "background", "action")


def _is_remote(url: str) -> bool:
    url = url.strip()
    if not url or _LOCAL_SCHEMES.match(url):
        return False
    return bool(_REMOTE.match(url)) or url.lower().startswith(("http:", "https:", "ftp:", "ws:", "wss:"))


def _attribute_loads(tag: str, attrs: Mapping[str, str | None]) -> list[str]:
    """Remote URLs that an element's attributes load (plain ``<a>``/``<area>`` links are navigation, not loads)."""
    if tag in ("a", "area", "form"):
        return []
    found = []
    for attr in _LOAD_ATTRS:
        value = attrs.get(attr)
        if not value:
            continue
        urls = [u.strip().split(" ")[0] for u in value.split(",")] if attr == "srcset" else [value]
        found.extend(f"{tag} {attr}={u}" for u in urls if _is_remote(u))
    return found


def external_references(page: str) -> list[str]:
    """Resources a page would load from another host: ``'<tag> <attr>=<url>'`` for each.

    Checks every element's ``src``/``href``/``data``/``poster``/``srcset`` (plain ``<a>``/``<area>`` links are
    navigation, not loads), ``url(...)`` and ``@import`` in ``<style>`` blocks and ``style`` attributes, and the
    documents of ``<iframe srcdoc>``. Script code is not inspected here; the browser check
    (:func:`helpers.report.browser_check`) records any request a script makes.

    Parameters
    ----------
    page : str
        An HTML document.

    Returns
    -------
    list of str
        One entry per remote load, in document order; empty for a self-contained page.

    Examples
    --------
    >>> external_references('<style>@import "http://x.org/a.css";</style><img src="data:image/png;base64,AA">')
    ['style css url=http://x.org/a.css']
    """
    from selectolax.lexbor import LexborHTMLParser

    found: list[str] = []
    root = LexborHTMLParser(page).root
    if root is None:
        return found
    for node in root.traverse(include_text=False):
        tag, attrs = node.tag, node.attributes
        found.extend(_attribute_loads(tag, attrs))
        if tag == "iframe" and attrs.get("srcdoc"):
            found.extend(f"iframe srcdoc: {ref}" for ref in external_references(attrs["srcdoc"] or ""))
        css = (node.text(deep=False) if tag == "style" else "") + (attrs.get("style") or "")
        for m in _CSS_URL.finditer(css):
            url = m.group(2) or m.group(4) or ""
            if _is_remote(url):
                found.append(f"{tag} css url={url[:200]}")
    return found


def external_references_in_folder(folder: str | os.PathLike[str]) -> list[tuple[Path, str]]:
    """:func:`external_references` of every HTML page under ``folder``.

    Parameters
    ----------
    folder : path-like
        A report folder.

    Returns
    -------
    list of (Path, str)
        The page (relative to ``folder``) and the reference, for each reference found, pages in sorted order.
    """
    folder = Path(folder)
    return [
        (page.relative_to(folder), ref)
        for page in sorted(folder.rglob("*.htm*"))
        for ref in external_references(page.read_text(encoding="utf-8", errors="replace"))
    ]


# ----------------------------------------------------------------------------------------------------------------
# Formulas

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

    Parameters
    ----------
    markdown : str
        The source of a markdown cell.

    Returns
    -------
    str
        The markdown with each formula replaced by an ``<img>`` (or a code span).

    Examples
    --------
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


# ----------------------------------------------------------------------------------------------------------------
# Pages: notebooks (nbconvert), the index (Jinja), the API reference (pdoc)


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
    nb,
    *,
    provenance: Mapping | None = None,
    notebook_path: str | os.PathLike[str] | None = None,
    show_code: bool = False,
    font_href: str | None = None,
) -> str:
    """Render an (executed) notebook with the project's template; the CJK font is embedded, nothing is loaded.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook (changed in place: widget views dropped, formulas drawn by :func:`render_math`).
    provenance : mapping, optional
        Fills the provenance block at the top of the page (see :func:`helpers.report.build_report`); without it
        the page has none.
    notebook_path : path-like, optional
        The notebook's file, for nbconvert's ``metadata`` (its folder and name).
    show_code : bool, default False
        Show code cells open; by default each is folded under a "show code" toggle (``<details>``), so that a
        reader sees the narrative and the outputs.
    font_href : str, optional
        Link this style sheet for the CJK font (a report's shared font) instead of embedding a subset
        (:func:`embed_cjk_font`).

    Returns
    -------
    str
        A self-contained HTML page.
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
    resources: dict = {"tuopin": dict(provenance) if provenance else None, "tuopin_show_code": show_code}
    if notebook_path is not None:
        resources["metadata"] = {"path": str(Path(notebook_path).parent), "name": Path(notebook_path).stem}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return embed_cjk_font(body, font_href=font_href)


def render_index_html(context: Mapping) -> str:
    """The report's ``index.html`` from ``helpers/templates/tuopin/report_index.html.j2``, CJK font embedded.

    Parameters
    ----------
    context : mapping
        The template's variables (every one it uses must be given: the environment is strict).

    Returns
    -------
    str
        The index page.
    """
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
    the same name) would be documented. The report names every module instead; private ones (``_x``,
    ``__main__``) are left out.

    Parameters
    ----------
    package : str, default "helpers"
        An importable package.

    Returns
    -------
    list of str
        Dotted module names, the package first.

    Examples
    --------
    >>> mods = api_modules()
    >>> mods[0], "helpers.corpus" in mods, "helpers.report" in mods, "helpers.report.offline" in mods
    ('helpers', True, True, True)
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


def _pdoc_command(dest: Path, *, footer: str) -> list[str]:
    """pdoc on every module of :func:`api_modules`, without math or mermaid (they come from a CDN).

    Without "View Source" and without the search index either: the highlighted source of every function made
    6.4 MB of the seed report's 9 MB of API pages, and the search index (``search.js``) 2.6 MB more; the source is
    in the project, and the package page lists every module, each page its members.

    ``!helpers\\.`` drops the one submodule pdoc adds itself from ``__all__`` before the modules are named one by
    one (naming it twice makes pdoc warn); the package page lists them all (template ``helpers/templates/pdoc``).
    """
    package, *modules = api_modules()
    return [
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
        "--no-show-source",
        "--no-search",
        "--footer-text",
        footer,
        "-o",
        str(dest),
    ]


def render_api_reference(dest: str | os.PathLike[str], *, footer: str, font: str | None = None) -> None:
    """The ``helpers`` API reference rendered with pdoc into ``dest``: offline, CJK font embedded, no machine path.

    Each page gets a link back to the report's index (``../index.html`` seen from ``dest``).

    Parameters
    ----------
    dest : path-like
        The folder to write (``<report>/api``).
    footer : str
        The footer text of every page (the project and its git revision).
    font : str, optional
        The report's shared font style sheet, relative to the report folder (``dest``'s parent): every page links
        it instead of embedding its own subset (:func:`embed_cjk_font_in_pages`).

    Raises
    ------
    ReportError
        When pdoc fails (its error output is in the message).
    """
    dest = Path(dest)
    proc = subprocess.run(_pdoc_command(dest, footer=footer), cwd=PROJECT_ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise ReportError(f"API reference (pdoc) failed:\n{proc.stderr[-2000:]}")
    back = '<p style="font-size:12px;margin:1em"><a href="../index.html">&larr; Report index</a></p>'
    for page in dest.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        depth = len(page.relative_to(dest).parts) - 1
        link = back.replace("../index.html", "../" * (depth + 1) + "index.html")
        page.write_text(re.sub(r"(<body[^>]*>)", lambda m, link=link: m.group(1) + link, text, count=1), "utf-8")
    embed_cjk_font_in_pages(sorted(dest.rglob("*.html")), root=dest.parent if font else None, font=font)
    # pdoc shows default values such as PROJECT_ROOT as the absolute path they have on this machine: strip them.
    strip_local_paths_in_folder(dest, local_paths())


# ----------------------------------------------------------------------------------------------------------------
# Shareable pages: no machine paths

#: Text files of a report rewritten by :func:`strip_local_paths_in_folder`.
_SHAREABLE_SUFFIXES = (".html", ".htm", ".ipynb", ".json", ".js", ".csv", ".tsv", ".jsonl", ".txt", ".md", ".svg")
#: Files in which a report holds the cleaned corpus (notebook 01 writes ``01_cleaning/cleaned.jsonl``); they are
#: left out of the report folder with ``--no-corpus`` (``make report INCLUDE_CORPUS=0``).
CORPUS_FILES: tuple[str, ...] = ("cleaned.jsonl", "cleaned.parquet", "cleaned.csv")


def local_paths(
    *, source: str | os.PathLike[str] | None = None, report_dirs: Iterable[str | os.PathLike[str]] = ()
) -> list[tuple[str, str]]:
    """The folders of this machine that pages may name, each with what pages show instead, most specific first.

    Parameters
    ----------
    source : path-like, optional
        The corpus; shown as :func:`helpers.paths.display_path` shows it.
    report_dirs : iterable of path-like
        The report folder and its partial build; shown as ``.``, so that paths in them are relative to the report.

    Returns
    -------
    list of (str, str)
        ``(machine path, label)``, longest path first. Besides the above: the project root as ``.``; the cache
        and reports folders, the Python installation, the temporary folder and the home folder by the variable
        that names them (``$TUOPIN_CACHE_DIR``, ``$VIRTUAL_ENV``, ``$TMPDIR``, ``~``) when outside the project.

    Examples
    --------
    >>> dict(local_paths())[str(PROJECT_ROOT)]
    '.'
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

    Parameters
    ----------
    text : str
        A page, a table, a notebook: any text.
    paths : sequence of (str, str)
        Machine paths and their labels.

    Returns
    -------
    str
        The text without the machine paths.

    Examples
    --------
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


def strip_local_paths_in_folder(
    folder: str | os.PathLike[str], paths: Sequence[tuple[str, str]], *, keep: Iterable[str | os.PathLike[str]] = ()
) -> int:
    """Rewrite every text file of ``folder`` (pages, notebooks, tables, JSON) with :func:`strip_local_paths`.

    Parameters
    ----------
    folder : path-like
        A report folder (or its ``api/`` part).
    paths : sequence of (str, str)
        Machine paths and their labels (:func:`local_paths`).
    keep : iterable of path-like
        Files left as they are (``report_info.json``).

    Returns
    -------
    int
        How many files changed.
    """
    kept = {Path(p).resolve() for p in keep}
    changed = 0
    for path in sorted(Path(folder).rglob("*")):
        if not path.is_file() or path.suffix.lower() not in _SHAREABLE_SUFFIXES or path.resolve() in kept:
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
