"""Checking a report the way a reader sees it: every page in headless Chromium with the network blocked.

A page fails when it references or requests another host, raises a JavaScript error, draws Chinese text narrower
than :data:`MIN_GLYPH_WIDTH_EM` per character (the boxes drawn for missing glyphs), or finds its shared assets
missing; a report fails when a link of its index leads to a missing file (:func:`index_links`). Needs the
``playwright`` package and Chromium (Debian: ``apt-get install chromium``, or ``make browser``);
``make check-report`` runs :func:`check_report` on a rendered report.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from .offline import ReportError, external_references_in_folder

__all__ = [
    "CHROMIUM_ARGS",
    "MIN_GLYPH_WIDTH_EM",
    "OUTSIDE_REPORT_CLASS",
    "browser_check",
    "check_report",
    "find_chromium",
    "index_links",
    "page_problems",
]

#: Headless Chromium without anything that talks to the network by itself (updates, sync, extensions), and without
#: the sandbox, which needs privileges that containers and CI runners often lack.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-dev-shm-usage",  # shared memory of a container is small: Chromium writes to /tmp instead
)
#: Ideographs are drawn one em wide in every CJK font; the tofu boxes of a missing glyph are about half that.
#: 0.9 em leaves room for fonts whose ideographs are a little narrower than the em square.
MIN_GLYPH_WIDTH_EM = 0.9
#: URL schemes that stay on this machine: requests to them pass, every other request is aborted and recorded.
_LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")
#: The class of a link that points outside the report folder on purpose (the index's link to the zip the report
#: was published in, which sits beside the folder): the link check skips exactly these.
OUTSIDE_REPORT_CLASS = "outside-report"
_LINKS_JS = (
    '(cls) => [...document.querySelectorAll("a[href]")].map(a => ({href: a.href, outside: a.classList.contains(cls)}))'
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
          tables: document.querySelectorAll("table.dataTable").length,
          missing_assets: document.querySelectorAll(".tuopin-missing-assets").length, title: document.title};
}
"""


def find_chromium() -> str | None:
    """The Chromium executable on ``PATH`` (``chromium`` or ``chromium-browser``), or ``None``.

    Returns
    -------
    str or None
        The path of the executable.
    """
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _blocking_route(blocked: list[str]):
    """A Playwright route handler: local URLs pass, anything else is aborted and recorded in ``blocked``."""

    def handle(route) -> None:
        url = route.request.url
        if url.startswith(_LOCAL_SCHEMES):
            route.continue_()
        else:
            blocked.append(url)
            route.abort("blockedbyclient")

    return handle


def _open_page(browser, page_path: Path, *, timeout_ms: int):
    """Open one page in a fresh browser context; returns the context, the page and the request/error lists."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    blocked: list[str] = []
    errors: list[str] = []
    context.route("**/*", _blocking_route(blocked))
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: msg.type == "error" and errors.append(f"console: {msg.text}"))
    page.on(
        "requestfailed",
        lambda req: not req.url.startswith(_LOCAL_SCHEMES) and req.url not in blocked and blocked.append(req.url),
    )
    page.goto(page_path.as_uri(), wait_until="load", timeout=timeout_ms)
    page.wait_for_timeout(500)  # let scripts that draw after "load" (d3 transitions in pyLDAvis) run
    return context, page, blocked, errors


def _probe_frames(page) -> list[dict]:
    """:data:`_PROBE_JS` in the page and each of its iframes; a frame that cannot be inspected is a finding."""
    frames = []
    for frame in page.frames:
        try:
            frames.append({"url": frame.url[:80], **frame.evaluate(_PROBE_JS)})
        except Exception as exc:  # noqa: BLE001 - any failure to inspect a frame is reported, not raised
            frames.append({"url": frame.url[:80], "error": str(exc)})
    return frames


def browser_check(
    pages: Iterable[str | os.PathLike[str]],
    *,
    executable_path: str | None = None,
    screenshot_dir: str | os.PathLike[str] | None = None,
    timeout_ms: int = 60_000,
) -> list[dict]:
    """Open each page in headless Chromium with every network request blocked; report what happened.

    Parameters
    ----------
    pages : iterable of path-like
        HTML files.
    executable_path : str, optional
        Chromium's executable (default :func:`find_chromium`).
    screenshot_dir : path-like, optional
        Write a screenshot of each page there (``<stem>.png``).
    timeout_ms : int, default 60000
        How long a page may take to load.

    Returns
    -------
    list of dict
        For each page: ``page`` (its absolute path), ``blocked`` (requests to anything but
        ``file:``/``data:``/``about:``/``blob:``, aborted and recorded), ``js_errors`` (uncaught exceptions and
        console errors), and ``frames`` (the page and its iframes), each with CJK ``samples`` holding the rendered
        width of their Chinese characters in em (``ratio``; about 1.0 with real glyphs, far less for the boxes
        drawn for missing glyphs), the font faces loaded (``loaded_faces``) and the number of pyLDAvis topic
        circles (``circles``).

    Raises
    ------
    ReportError
        When Chromium is not found.
    """
    from playwright.sync_api import sync_playwright

    exe = executable_path or find_chromium()
    if not exe:
        raise ReportError("chromium not found (Debian: apt-get install chromium, or make browser)")
    from playwright.sync_api import Error as PlaywrightError

    def check(browser, page_path: Path) -> dict:
        context, page, blocked, errors = _open_page(browser, page_path, timeout_ms=timeout_ms)
        frames = _probe_frames(page)
        if screenshot_dir:
            shot = Path(screenshot_dir) / (page_path.stem + ".png")
            shot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shot))
        context.close()
        return {"page": str(page_path), "blocked": blocked, "js_errors": errors, "frames": frames}

    results = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=list(CHROMIUM_ARGS))
        try:
            for page_path in (Path(p).resolve() for p in pages):
                try:
                    results.append(check(browser, page_path))
                except PlaywrightError:
                    if browser.is_connected():
                        raise  # the page failed, not the browser: a finding for the caller
                    # Chromium itself died (seen once in a test run with notebooks executing beside it on 2
                    # cores): start it again and open the page once more; a second crash is raised
                    browser = pw.chromium.launch(executable_path=exe, args=list(CHROMIUM_ARGS))
                    results.append(check(browser, page_path))
        finally:
            browser.close()
    return results


def page_problems(result: dict, *, name: str | os.PathLike[str] | None = None) -> list[str]:
    """The problems of one page checked by :func:`browser_check`.

    Parameters
    ----------
    result : dict
        One entry of :func:`browser_check`'s list.
    name : str or path-like, optional
        How the problems name the page (default: its path).

    Returns
    -------
    list of str
        Requests to other hosts, JavaScript errors, frames that could not be inspected, and Chinese text drawn
        narrower than :data:`MIN_GLYPH_WIDTH_EM` per character (missing glyphs); empty for a good page.

    Examples
    --------
    >>> sample = {"text": "脱贫", "ratio": 0.5, "family": "serif"}
    >>> page_problems({"page": "a.html", "blocked": [], "js_errors": [], "frames": [{"samples": [sample]}]})
    ["a.html: Chinese text '脱贫' drawn 0.50 em per character (missing glyphs?) in serif"]
    """
    label = name if name is not None else result["page"]
    problems = [f"{label}: requested {url}" for url in result["blocked"]]
    problems += [f"{label}: {err}" for err in result["js_errors"]]
    for frame in result["frames"]:
        if "error" in frame:
            problems.append(f"{label}: frame {frame['url']}: {frame['error']}")
        if frame.get("missing_assets"):
            problems.append(f"{label}: the page's assets (DataTables script) did not load")
        problems += [
            f"{label}: Chinese text {s['text']!r} drawn {s['ratio']:.2f} em per character "
            f"(missing glyphs?) in {s['family']}"
            for s in frame.get("samples", [])
            if s["ratio"] < MIN_GLYPH_WIDTH_EM
        ]
    return problems


def index_links(page: str | os.PathLike[str], *, executable_path: str | None = None) -> dict[str, list[str]]:
    """Every link of a page as Chromium resolves it (from ``file://``, network blocked), sorted by where it leads.

    Parameters
    ----------
    page : path-like
        An HTML file, e.g. a report's ``index.html``.
    executable_path : str, optional
        Chromium's executable (default :func:`find_chromium`).

    Returns
    -------
    dict
        ``local`` (files the links lead to, fragment and query removed), ``missing`` (those of ``local`` that do
        not exist), ``outside`` (links marked :data:`OUTSIDE_REPORT_CLASS`, not followed) and ``other`` (links to
        other hosts or schemes: navigation a reader chooses, not part of the report).
    """
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    from playwright.sync_api import sync_playwright

    exe = executable_path or find_chromium()
    if not exe:
        raise ReportError("chromium not found (Debian: apt-get install chromium, or make browser)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=list(CHROMIUM_ARGS))
        try:
            context, tab, _, _ = _open_page(browser, Path(page).resolve(), timeout_ms=60_000)
            links = tab.evaluate(_LINKS_JS, OUTSIDE_REPORT_CLASS)
            context.close()
        finally:
            browser.close()
    found: dict[str, list[str]] = {"local": [], "missing": [], "outside": [], "other": []}
    for link in links:
        url = urlsplit(link["href"])
        if link["outside"]:
            found["outside"].append(link["href"])
        elif url.scheme == "file":
            path = url2pathname(url.path)
            found["local"].append(path)
            if not Path(path).exists():
                found["missing"].append(path)
        else:
            found["other"].append(link["href"])
    return {key: sorted(set(values)) for key, values in found.items()}


def check_report(folder: str | os.PathLike[str], *, log: Callable[[str], None] = print, **kwargs) -> list[str]:
    """Check every HTML page of a rendered report, statically and in Chromium; returns the problems found.

    Parameters
    ----------
    folder : path-like
        A report folder (``reports/<name>``).
    log : callable, default print
        Receives one line per page (blocked requests, JavaScript errors, Chinese samples, pyLDAvis circles).
    **kwargs
        Passed to :func:`browser_check` (``executable_path``, ``screenshot_dir``, ``timeout_ms``).

    Returns
    -------
    list of str
        One line per problem, naming the page; empty when every page passes.
    """
    folder = Path(folder)
    pages = sorted(folder.rglob("*.htm*"))
    problems = [f"{page}: references {ref}" for page, ref in external_references_in_folder(folder)]
    if (folder / "index.html").is_file():
        missing = index_links(folder / "index.html", executable_path=kwargs.get("executable_path"))["missing"]
        problems += [f"index.html: link to a missing file {Path(p).relative_to(folder.resolve())}" for p in missing]
    for result in browser_check(pages, **kwargs):
        rel = Path(result["page"]).relative_to(folder.resolve())
        problems += page_problems(result, name=rel)
        n_samples = sum(len(f.get("samples", [])) for f in result["frames"])
        log(
            f"  {rel}: {len(result['blocked'])} blocked requests, {len(result['js_errors'])} JS errors, "
            f"{n_samples} Chinese samples, {sum(f.get('circles', 0) for f in result['frames'])} LDAvis circles"
        )
    return problems
