"""Render every notebook into a self-contained offline HTML report: ``python -m helpers.report --corpus PATH``.

The numbered notebooks (``notebooks/[0-9][0-9]_*.ipynb``) are executed in order with papermill on one corpus and
rendered with the project's own nbconvert template (``helpers/templates/tuopin``) into
``reports/<corpus-name>/``: one HTML page per notebook, its output folder (tables, figures, ``run_info.json``, the
executed notebook), the ``helpers`` API reference (``api/``, rendered with pdoc) and ``index.html``.

The package has one module per concern; every public name is importable from ``helpers.report``:

* :mod:`helpers.report.notebooks` — which notebooks, their parameters, the title and summary the index shows;
* :mod:`helpers.report.build` — running the notebooks, assembling and publishing the folder under a lock, the
  index's list of each notebook's files, the zip of the report, the command line (:func:`build_report`,
  :func:`notebook_files`, :func:`zip_report`, :func:`report_lock`, :func:`main`);
* :mod:`helpers.report.offline` — self-contained pages: nbconvert and pdoc rendering, the embedded CJK font
  subset (:func:`subset_cjk_font`, the project's one font subsetter), formulas drawn without MathJax, the check
  for resources from another host, and pages that name no folder of this machine (:func:`strip_local_paths`);
* :mod:`helpers.report.assets` — what the pages share in ``assets/`` (one CJK font style sheet, one DataTables
  script) instead of a copy in each, and what each page weighs (:func:`page_weights`, :func:`page_weight_table`);
* :mod:`helpers.report.browser` — every page opened in headless Chromium with the network blocked
  (:func:`check_report`, ``make check-report``).

The folder is self-contained, so it can be zipped and read without a network: figures are embedded, the CDN
scripts of nbconvert's ``lab`` template (require.js, MathJax, mermaid, Jupyter widgets) are dropped, and Chinese
text is drawn with a subset of Noto Sans CJK SC holding exactly the characters of the report (``assets/``; the
index page embeds its own). After
rendering, every page is checked for resources loaded from another host and the build fails if one is found.
``--no-corpus`` (``make report INCLUDE_CORPUS=0``) leaves the cleaned corpus (:data:`CORPUS_FILES`) out. The zip
leaves out the executed notebooks (:data:`ZIP_LEAVES_OUT`; the pages show them) and its index says what it holds,
whether it holds the corpus texts, and when it is above the mail limit (:data:`MAIL_LIMIT_BYTES`).

>>> external_references('<img src="https://example.org/a.png"><a href="https://example.org">link</a>')
['img src=https://example.org/a.png']
>>> sorted(cjk_characters("脱贫 attack 攻坚&#25112;"))
['坚', '战', '攻', '脱', '贫']
"""

from .assets import ASSETS_DIR, FONT_STYLESHEET, page_weight_table, page_weights
from .browser import (
    CHROMIUM_ARGS,
    OUTSIDE_REPORT_CLASS,
    browser_check,
    check_report,
    find_chromium,
    index_links,
    page_problems,
)
from .build import (
    MAIL_LIMIT_BYTES,
    ZIP_LEAVES_OUT,
    build_report,
    human_size,
    interactive_views,
    main,
    notebook_files,
    report_lock,
    zip_contents_note,
    zip_left_out,
    zip_report,
)
from .notebooks import discover_notebooks, list_parameter, notebook_parameters, notebook_summary, parse_param_value
from .offline import (
    CJK_FONT_FAMILY,
    CORPUS_FILES,
    ReportError,
    api_modules,
    cjk_characters,
    embed_cjk_font,
    external_references,
    font_face_css,
    font_face_rule,
    local_paths,
    render_api_reference,
    render_math,
    render_notebook_html,
    strip_local_paths,
    subset_cjk_font,
)

__all__ = [
    "ASSETS_DIR",
    "MAIL_LIMIT_BYTES",
    "ZIP_LEAVES_OUT",
    "CHROMIUM_ARGS",
    "CJK_FONT_FAMILY",
    "CORPUS_FILES",
    "FONT_STYLESHEET",
    "OUTSIDE_REPORT_CLASS",
    "ReportError",
    "api_modules",
    "browser_check",
    "build_report",
    "check_report",
    "cjk_characters",
    "discover_notebooks",
    "embed_cjk_font",
    "external_references",
    "find_chromium",
    "font_face_css",
    "font_face_rule",
    "human_size",
    "index_links",
    "interactive_views",
    "list_parameter",
    "local_paths",
    "main",
    "notebook_files",
    "notebook_parameters",
    "notebook_summary",
    "page_problems",
    "page_weight_table",
    "page_weights",
    "parse_param_value",
    "render_api_reference",
    "render_math",
    "render_notebook_html",
    "report_lock",
    "strip_local_paths",
    "subset_cjk_font",
    "zip_contents_note",
    "zip_left_out",
    "zip_report",
]
