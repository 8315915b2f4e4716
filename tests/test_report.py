"""Tests of helpers.report: self-contained pages, the report build, and the rendered seed report in Chromium.

Fast tests use two tiny synthetic notebooks (a Chinese figure and table; a pyLDAvis view shown the way notebook 03
shows it). The session fixture ``seed_report`` renders the real report on ``seeds/`` once (all numbered
notebooks and the API reference) and every page of it is opened in headless Chromium with the network blocked.
Browser tests (marker ``browser``) are skipped only when Chromium is absent (``make test`` installs it). Error
paths of the command line run :func:`helpers.report.main` in this process; runs that execute notebooks use
``python -m helpers.report`` in a subprocess, as ``make report`` does.
"""

from __future__ import annotations

import base64
import html
import importlib
import inspect
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from helpers import report
from helpers.paths import DATA_DIR, NOTEBOOKS_DIR, PROJECT_ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
_no_browser = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (make browser installs it)")


def needs_browser(test):
    """Mark a test ``browser`` and skip it when Chromium is absent (``make test`` installs it)."""
    return pytest.mark.browser(_no_browser(test))


v4 = nbformat.v4


def _notebook(*cells) -> nbformat.NotebookNode:
    nb = v4.new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def _params_cell(extra: str = "") -> nbformat.NotebookNode:
    cell = v4.new_code_cell(f'corpus = "../seeds"\ntext_column = "text"\noutput_dir = None\nseed = 0\n{extra}')
    cell.metadata["tags"] = ["parameters"]
    return cell


SETUP = """from helpers.corpus import load_corpus
from helpers.paths import output_dir_for, resolve_path
from helpers.provenance import write_run_info
from helpers.plotting import setup_cjk_fonts
setup_cjk_fonts()
out = output_dir_for(output_dir, corpus, NAME)
docs = load_corpus(corpus, text_column=text_column).docs
print("outputs go to", out, "| corpus", corpus, "| resolved", resolve_path(corpus))
write_run_info(out, params=dict(corpus=corpus, seed=seed), texts=docs.text, corpus=corpus)"""
CLEANED = """docs[["doc_id", "text"]].to_json(out / "cleaned.jsonl", orient="records", lines=True, force_ascii=False)"""

FIGURE = """import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(3, 2))
ax.bar(["脱贫", "攻坚"], [2, 1])
ax.set_title("词频")
plt.show()
docs[["doc_id", "title"]].head(3)"""

TABLE = """from helpers.tables import show_table, write_table, write_workbook
lengths = docs.assign(chars=docs.text.str.len())[["doc_id", "title", "chars"]]
write_table(lengths, out, "doc_lengths", description="每篇字数: characters per document")
write_workbook(out, name="01_words")
show_table(lengths, caption="每篇字数")"""

LDAVIS = """import numpy as np, pyLDAvis
from helpers.topics import ldavis_html, ldavis_iframe
rng = np.random.default_rng(seed)
vocab = ["脱贫", "攻坚", "扶贫", "乡村", "振兴", "产业", "教育", "医疗", "住房", "饮水"]
prepared = pyLDAvis.prepare(rng.dirichlet(np.ones(10), num_topics), rng.dirichlet(np.ones(num_topics), 20),
                            np.full(20, 50.0), vocab, rng.integers(5, 50, 10).astype(float), sort_topics=False,
                            mds="pcoa", n_jobs=1, R=10)
page = ldavis_html(prepared)
(out / "ldavis.html").write_text(page, encoding="utf-8")
ldavis_iframe(page)"""


@pytest.fixture(scope="module")
def tiny_notebooks(tmp_path_factory) -> Path:
    """Two fast notebooks in the project's conventions: Chinese text, a figure, a formula, a table written with
    helpers.tables, a pyLDAvis view."""
    folder = tmp_path_factory.mktemp("notebooks")
    a = _notebook(
        v4.new_markdown_cell(
            "# 01 · Words 词频\n\n## Overview\nWhich words does the corpus use? 脱贫攻坚 with weight "
            "$w = \\log\\frac{N}{n}$. See [pandas](https://pandas.pydata.org).\n\n## Prerequisites\nNone."
        ),
        _params_cell(),
        v4.new_code_cell(SETUP.replace("NAME", '"01_words"')),
        v4.new_code_cell(CLEANED),
        v4.new_code_cell(FIGURE),
        v4.new_code_cell(TABLE),
    )
    b = _notebook(
        v4.new_markdown_cell("# 02 · Topics\n\n**Overview.** A pyLDAvis view of 主题, offline."),
        _params_cell("num_topics = 3"),
        v4.new_code_cell(SETUP.replace("NAME", '"02_topics"')),
        v4.new_code_cell(LDAVIS),
    )
    nbformat.write(a, folder / "01_words.ipynb")
    nbformat.write(b, folder / "02_topics.ipynb")
    nbformat.write(_notebook(v4.new_markdown_cell("# not numbered")), folder / "template.ipynb")
    return folder


def _run_report(*args: str, reports: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "TUOPIN_REPORTS_DIR": str(reports)}
    return subprocess.run(
        [sys.executable, "-m", "helpers.report", "--no-progress", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )


def _main(capsys, *args: str, reports: Path) -> tuple[int, str, str]:
    """``python -m helpers.report`` run in this process (no interpreter start-up): exit code, stdout, stderr."""
    capsys.readouterr()
    code = report.main(["--no-progress", "--reports-dir", str(reports), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def tiny_report(tiny_notebooks, tmp_path_factory) -> Path:
    reports = tmp_path_factory.mktemp("reports")
    proc = _run_report(
        "--corpus",
        "seeds",
        "--notebooks-dir",
        str(tiny_notebooks),
        "-p",
        "num_topics",
        "4",
        "--no-api",
        reports=reports,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "01_words has no parameter 'num_topics'" in proc.stdout  # passed only where the notebook defines it
    (reports / "build.log").write_text(proc.stdout, encoding="utf-8")  # beside the report, not in it
    return reports / "seeds"


# -- static checks --------------------------------------------------------------------------------------------


def test_discover_notebooks_numbered_only(tiny_notebooks):
    assert [p.name for p in report.discover_notebooks(tiny_notebooks)] == ["01_words.ipynb", "02_topics.ipynb"]
    project = [p.name for p in report.discover_notebooks(NOTEBOOKS_DIR)]
    assert "template.ipynb" not in project and project == sorted(project)


def test_every_project_notebook_has_title_and_overview():
    for path in report.discover_notebooks(NOTEBOOKS_DIR):
        title, summary = report.notebook_summary(nbformat.read(path, as_version=4))
        assert title and len(summary) > 40, path.name


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            '<script src="https://cdn.example.org/require.js"></script>',
            ["script src=https://cdn.example.org/require.js"],
        ),
        ('<link rel="stylesheet" href="//fonts.example.org/a.css">', ["link href=//fonts.example.org/a.css"]),
        ("<style>@font-face{src:url('https://x.org/f.woff')}</style>", ["style css url=https://x.org/f.woff"]),
        ('<style>@import "http://x.org/a.css";</style>', ["style css url=http://x.org/a.css"]),
        ('<img srcset="a.png 1x, https://x.org/b.png 2x">', ["img srcset=https://x.org/b.png"]),
        ('<div style="background:url(https://x.org/b.png)"></div>', ["div css url=https://x.org/b.png"]),
        (
            '<iframe srcdoc="&lt;script src=&quot;https://d3js.org/d3.js&quot;&gt;&lt;/script&gt;"></iframe>',
            ["iframe srcdoc: script src=https://d3js.org/d3.js"],
        ),
        ('<a href="https://example.org">a link is not a load</a><img src="data:image/png;base64,AAAA">', []),
        ('<script src="search.js"></script><link rel="stylesheet" href="style.css">', []),
    ],
)
def test_external_references(page, expected):
    assert report.external_references(page) == expected


def test_embedded_font_covers_exactly_the_page_characters():
    from fontTools.ttLib import TTFont

    text = sorted((PROJECT_ROOT / "seeds").glob("*.txt"))[0].read_text(encoding="utf-8")
    page = f"<html><head></head><body><p>{text}</p><script>var d = {json.dumps('饮水')};</script></body></html>"
    out = report.embed_cjk_font(page)
    assert report.embed_cjk_font(out) == out  # idempotent
    data = re.search(r"base64,([A-Za-z0-9+/=]+)\)", out).group(1)
    font = TTFont(io.BytesIO(base64.b64decode(data)))
    covered = {chr(cp) for cp in font.getBestCmap()}
    wanted = report.cjk_characters(page)
    assert "饮" in wanted and "脱" in wanted  # the JSON \u escapes count too
    assert wanted <= covered
    assert len(covered) <= len(wanted) + 5  # a subset, not the 16 MB font


def test_iframe_documents_get_their_own_font():
    inner = "<html><head></head><body><svg><text>饮水</text></svg></body></html>"
    page = f'<html><head></head><body><iframe srcdoc="{html.escape(inner, quote=True)}"></iframe>脱贫</body></html>'
    out = report.embed_cjk_font(page)
    srcdoc = html.unescape(re.search(r'srcdoc="([^"]*)"', out).group(1))
    assert 'id="tuopin-cjk-font"' in srcdoc and "@font-face" in srcdoc


def test_code_is_folded_unless_asked(tiny_notebooks):
    nb = nbformat.read(tiny_notebooks / "01_words.ipynb", as_version=4)
    n_code = sum(c.cell_type == "code" for c in nb.cells)
    folded = report.render_notebook_html(nb)
    assert folded.count('<details class="tuopin-code"><summary>show code</summary>') == n_code
    assert "词频" in folded and "Which words does the corpus use?" in folded  # narrative (and outputs) not folded
    shown = report.render_notebook_html(nbformat.read(tiny_notebooks / "01_words.ipynb", as_version=4), show_code=True)
    assert '<details class="tuopin-code">' not in shown and "setup_cjk_fonts" in shown


def test_render_math():
    out = report.render_math("$$\\sum_i x_i$$ and `$HOME` and $\\frac{a}{b}$ costs $5 and $6")
    assert out.count("<img") == 2 and "`$HOME`" in out and "costs $5 and $6" in out
    assert report.render_math("$\\notacommand{x}$").startswith("`$")


def test_render_notebook_html_is_self_contained(tiny_notebooks):
    nb = nbformat.read(tiny_notebooks / "01_words.ipynb", as_version=4)
    page = report.render_notebook_html(nb)
    assert report.external_references(page) == []
    assert "require.js" not in page and "mathjax" not in page.lower() and "mermaid.esm" not in page
    assert "词频" in page and 'id="tuopin-cjk-font"' in page


# -- building a report ----------------------------------------------------------------------------------------


def test_tiny_report_layout(tiny_report):
    names = {p.name for p in tiny_report.iterdir()}
    assert {"index.html", "01_words.html", "02_topics.html", "01_words", "02_topics", "report_info.json"} <= names
    assert not (tiny_report.parent / ".seeds.partial").exists()
    index = html.unescape((tiny_report / "index.html").read_text(encoding="utf-8"))
    for fragment in (
        'href="01_words.html"',
        'href="02_topics.html"',
        "Which words does the corpus use?",
        "A pyLDAvis view of 主题",
        '"num_topics": 4',
    ):
        assert fragment in index
    info = json.loads((tiny_report / "02_topics" / "run_info.json").read_text(encoding="utf-8"))
    page = (tiny_report / "02_topics.html").read_text(encoding="utf-8")
    assert info["corpus_hash"] in page and info["git_revision"] in page and "jieba" in page  # provenance
    assert info["corpus_hash"] in index and f">{info['n_documents']}<" in index
    # what became of the corpus's files, counted, and the page that lists each skipped one
    assert '5 of 5 files loaded; none skipped — see <a href="01_words.html">01</a>' in index
    assert ".seeds.partial" not in page  # paths point at the final folder
    assert "<img" in (tiny_report / "01_words.html").read_text(encoding="utf-8")  # the figure is embedded
    assert (tiny_report / "01_words" / "cleaned.jsonl").is_file()  # the cleaned corpus is kept by default
    assert 'href="01_words/cleaned.jsonl"' in index
    assert _machine_paths_in_pages(tiny_report) == []
    assert "outputs go to 01_words | corpus seeds | resolved seeds" in (tiny_report / "01_words.html").read_text(
        encoding="utf-8"
    )


def test_tiny_report_index_lists_each_notebooks_files(tiny_report):
    index = html.unescape((tiny_report / "index.html").read_text(encoding="utf-8"))
    files = report.notebook_files(tiny_report / "01_words", href_prefix="01_words/")
    assert [f["name"] for f in files][:1] == ["doc_lengths.csv"]  # the tables first, as tables.json lists them
    assert {"01_words.xlsx", "run_info.json", "tables.json", "cleaned.jsonl", "01_words.ipynb"} <= {
        f["name"] for f in files
    }
    for f in files:  # every file linked, with its size as shipped and what it is
        assert f'href="{f["href"]}"' in index and f["size"] in index and f["description"]
        assert f["bytes"] == (tiny_report / f["href"]).stat().st_size
    assert "每篇字数: characters per document" in index and "(5 rows)" in index
    assert "Every table of this folder as a sheet of one Excel workbook" in index
    assert re.search(r"page \d+(\.\d)? [kM]?B", index)  # each page's size
    log = (tiny_report.parent / "build.log").read_text(encoding="utf-8")
    for page in ("01_words.html", "02_topics.html"):  # the log gives the sizes as shipped, after assets/
        assert f"{page} ({report.human_size((tiny_report / page).stat().st_size)})" in log, log


def test_tiny_report_index_links_views_api_and_zip(tiny_report):
    """The index opens with direct links: the pyLDAvis view (present in 02_topics), the zip the report was published
    in (beside the folder: marked as outside the report, so that the link check of an unzipped copy skips it);
    no API link when built with --no-api."""
    index = html.unescape((tiny_report / "index.html").read_text(encoding="utf-8"))
    start = index[index.index('id="direct-links"') : index.index("<h2>Corpus and run</h2>")]
    assert 'href="02_topics/ldavis.html"' in start and "pyLDAvis" in start
    zip_link = f'<a id="zip-link" class="{report.OUTSIDE_REPORT_CLASS}" href="../seeds.zip">'
    assert zip_link in start and (tiny_report / "../seeds.zip").resolve().is_file()
    size = report.human_size((tiny_report.parent / "seeds.zip").stat().st_size)  # R8b: the size before downloading
    assert f'<span id="zip-size">{size}</span>' in start and "size not measured" not in index
    with zipfile.ZipFile(tiny_report.parent / "seeds.zip") as z:  # the zip's index says the same
        assert f'<span id="zip-size">{size}</span>' in z.read("seeds/index.html").decode("utf-8")
    assert index.count(report.OUTSIDE_REPORT_CLASS) == 1
    assert "api/helpers.html" not in index  # --no-api
    assert report.interactive_views(tiny_report, [{"stem": "01_words", "title": "01"}]) == []


def _small_report(folder: Path, *, stories: int, corpus: bool) -> Path:
    """A report folder as the build publishes it, from real CCTV stories: a notebook folder with a table, its
    workbook cut at 5 rows, the executed notebook, the cleaned corpus (if ``corpus``), and an index whose zip line
    and file rows are written as the index template writes them."""
    from urllib.parse import quote

    import pandas as pd

    from helpers.tables import write_table, write_workbook

    lines = (DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl").read_text(encoding="utf-8").splitlines()
    docs = pd.DataFrame([json.loads(line) for line in lines[:stories]])
    out = folder / "01_cleaning"
    write_table(docs[["id", "title"]], out, "titles", description="Story titles")
    write_workbook(out, name="01_cleaning", max_rows=5)
    (out / "01_cleaning.ipynb").write_text(json.dumps({"cells": [{"source": t} for t in docs.text]}), "utf-8")
    if corpus:
        (out / "cleaned.jsonl").write_text("\n".join(lines[:stories]) + "\n", encoding="utf-8")
    rows = "".join(
        f'\n      <tr><td><a href="01_cleaning/{quote(p.name)}"><code>{p.name}</code></a></td><td class="size">1 kB</td>'
        f"\n        <td>file</td></tr>"
        for p in sorted(out.iterdir())
    )
    (folder / "index.html").write_text(
        '<ul>\n  <li>The whole report as one file to send: <a id="zip-link" class="outside" href="../r.zip">r.zip</a>'
        f' (<span id="zip-size">{report.build.ZIP_SIZE_PENDING}</span>),\n    beside this folder</li>\n</ul>'
        f'<table class="nb-files">{rows}\n    </table>',
        encoding="utf-8",
    )
    return folder


def test_zip_leaves_out_executed_notebooks_and_says_what_it_holds(tmp_path):
    """R: the zip of 4,067 stories was 42.9 MB with no word that mail servers take 20-25 MB. The zip leaves out the
    executed notebooks (its own index lists only what it holds), says its size, that it holds the corpus texts and
    that INCLUDE_CORPUS=0 leaves them out; above the mail limit it says so and names its largest files."""
    from openpyxl import load_workbook

    from helpers.report.build import _zip_with_size

    folder = _small_report(tmp_path / "r", stories=12, corpus=True)
    sheet = load_workbook(folder / "01_cleaning" / "01_cleaning.xlsx")["titles"]
    assert sheet["A1"].value == "First 5 of 12 rows (the table starts on the next row); titles.csv holds every row."
    assert [c.value for c in sheet[2]] == ["id", "title"] and sheet.max_row == 7
    archive = _zip_with_size(folder, limit=10_000)  # a limit this small report is above
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        zipped_index = z.read("r/index.html").decode("utf-8")
    assert "r/01_cleaning/01_cleaning.ipynb" not in names and "r/01_cleaning/cleaned.jsonl" in names
    index = html.unescape(re.sub(r"<[^>]+>", "", (folder / "index.html").read_text(encoding="utf-8")))
    size = report.human_size(archive.stat().st_size)
    assert f"r.zip ({size})" in index and f"At {size} it is above the 0.01 MB that many mail servers take" in index
    assert "leaves out the executed notebooks (1 notebook," in index
    assert "It holds the corpus texts (01_cleaning/cleaned.jsonl" in index and "INCLUDE_CORPUS=0" in index
    assert "01_cleaning/titles.csv (5 of 12 rows)" in index  # its sheet is cut: the CSV holds every row
    assert 'href="01_cleaning/01_cleaning.ipynb"' in (folder / "index.html").read_text(encoding="utf-8")
    assert "01_cleaning.ipynb" not in zipped_index and 'href="01_cleaning/titles.csv"' in zipped_index
    assert html.unescape(re.sub(r"<[^>]+>", "", zipped_index)).count("It holds the corpus texts") == 1

    shared = _small_report(tmp_path / "s", stories=3, corpus=False)  # --no-corpus, under the limit: no warning
    _zip_with_size(shared)
    index = (shared / "index.html").read_text(encoding="utf-8")
    assert "corpus texts" not in index and "mail servers" not in index and "holds every row" not in index
    assert "size not measured" not in index and index.count('id="zip-contents"') == 1


def test_tiny_report_zip_opens_elsewhere(tiny_report, tmp_path):
    """reports/<name>.zip unzips into a folder whose index works: every local link resolves; its CSVs start with a
    byte-order mark and each notebook's workbook reads back to its tables."""
    import urllib.parse
    import zipfile

    import pandas as pd

    from helpers.tables import read_table, read_tables

    archive = tiny_report.parent / "seeds.zip"
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        assert names == sorted(names) and all(n.startswith("seeds/") for n in names)
        z.extractall(tmp_path)
    copy = tmp_path / "seeds"
    shipped = sorted(p.relative_to(tiny_report) for p in tiny_report.rglob("*") if p.is_file() and p.suffix != ".ipynb")
    assert sorted(p.relative_to(copy) for p in copy.rglob("*") if p.is_file()) == shipped  # no executed notebook
    assert (tiny_report / "01_words" / "01_words.ipynb").is_file()  # it stays in the folder
    index = (copy / "index.html").read_text(encoding="utf-8")
    links = {html.unescape(h) for h in re.findall(r'href="([^"#]+)"', index)}
    local = [h for h in links if not re.match(r"[a-z]+:", h)]
    assert "01_words/doc_lengths.csv" in local and "01_words.html" in local
    missing = [h for h in local if not (copy / urllib.parse.unquote(h)).exists()]
    assert missing == ["../seeds.zip"]  # the zip beside the original folder (the browser test follows the links)
    csvs = sorted(copy.rglob("*.csv"))
    assert csvs and all(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in csvs)
    sheets = pd.read_excel(copy / "01_words" / "01_words.xlsx", sheet_name=None)
    assert list(sheets) == [t["name"] for t in read_tables(copy / "01_words")] == ["doc_lengths"]
    expected = read_table(copy / "01_words" / "doc_lengths.csv")
    pd.testing.assert_frame_equal(sheets["doc_lengths"], expected, check_dtype=False)


def test_tiny_report_pages_share_assets(tiny_report):
    """One font style sheet, one DataTables script and one copy of JupyterLab's style sheets in assets/ instead of
    a copy in every page; the pyLDAvis view linked, not copied into the page; the executed notebook without the
    DataTables bundle and the inline view."""
    assets = sorted(p.name for p in (tiny_report / report.ASSETS_DIR).iterdir())
    scripts = [name for name in assets if name.startswith("itables-") and name.endswith(".js")]
    assert len(scripts) == 1 and Path(report.FONT_STYLESHEET).name in assets
    words = (tiny_report / "01_words.html").read_text(encoding="utf-8")
    assert f'<script src="assets/{scripts[0]}"' in words and "injectModule(" not in words
    assert 'href="assets/cjk-font.css"' in words and "data:font/woff" not in words
    styles = re.findall(r'<link rel="stylesheet" href="assets/(style-\w+\.css)">', words)
    assert len(styles) >= 2 and set(styles) <= set(assets)  # JupyterLab's style sheets, shared by both pages
    assert "Copyright (c) Jupyter Development Team" not in words
    assert all(
        f'href="assets/{name}"' in (tiny_report / "02_topics.html").read_text(encoding="utf-8") for name in styles
    )
    css = (tiny_report / report.FONT_STYLESHEET).read_text(encoding="utf-8")
    assert f'font-family: "{report.CJK_FONT_FAMILY}"' in css and "data:font/woff;base64," in css
    topics = (tiny_report / "02_topics.html").read_text(encoding="utf-8")
    assert 'src="02_topics/ldavis.html"' in topics and "srcdoc" not in topics  # the view is not copied in
    ldavis = (tiny_report / "02_topics" / "ldavis.html").read_text(encoding="utf-8")
    assert 'href="../assets/cjk-font.css"' in ldavis
    index = (tiny_report / "index.html").read_text(encoding="utf-8")
    assert "data:font/woff" in index and "assets/cjk-font.css" not in index  # the entry page opens alone
    executed = nbformat.read(tiny_report / "01_words" / "01_words.ipynb", as_version=4)
    html_outputs = [
        o.data["text/html"] for c in executed.cells for o in c.get("outputs", []) if "text/html" in o.get("data", {})
    ]
    assert report.assets.ITABLES_NOTE in html_outputs and not any("injectModule(" in h for h in html_outputs)
    assert any("new ITable(" in h for h in html_outputs)  # the tables themselves stay
    executed = nbformat.read(tiny_report / "02_topics" / "02_topics.ipynb", as_version=4)
    html_outputs = [
        o.data["text/html"] for c in executed.cells for o in c.get("outputs", []) if "text/html" in o.get("data", {})
    ]
    assert not any("srcdoc" in h for h in html_outputs) and any("<code>ldavis.html</code>" in h for h in html_outputs)


def test_failing_notebook_stops_the_run(tiny_notebooks, tiny_report, tmp_path):
    broken = tmp_path / "notebooks"
    shutil.copytree(tiny_notebooks, broken)
    nb = _notebook(v4.new_markdown_cell("# 01 · Broken"), _params_cell(), v4.new_code_cell("raise ValueError('坏了')"))
    nbformat.write(nb, broken / "01_words.ipynb")
    reports = tiny_report.parent
    before = (tiny_report / "index.html").read_bytes()
    proc = _run_report("--corpus", "seeds", "--notebooks-dir", str(broken), "--no-api", reports=reports)
    assert proc.returncode == 1
    assert "01_words.ipynb failed: ValueError: 坏了" in proc.stderr
    assert "02_topics: executing" not in proc.stdout  # the run stops at the first failing notebook
    partial = reports / ".seeds.partial"
    assert (partial / "FAILED").is_file() and not (partial / "index.html").exists()
    assert (tiny_report / "index.html").read_bytes() == before  # the previous report is untouched
    shutil.rmtree(partial)


def test_unknown_parameter_and_missing_corpus(tiny_notebooks, tmp_path, capsys):
    args = ("--corpus", "seeds", "--notebooks-dir", str(tiny_notebooks), "-p", "num_topic", "3")
    code, _, err = _main(capsys, *args, reports=tmp_path)
    assert code == 1 and "num_topic not defined by any notebook; known: num_topics, seed, text_column" in err
    code, _, err = _main(capsys, "--corpus", "no/such/corpus", reports=tmp_path)
    assert code == 1 and "corpus not found" in err
    assert not any(tmp_path.iterdir())


def _simplified_news_csv(path: Path, *, repeat_id: bool = False) -> Path:
    """Six cnews rows as a CSV with the columns 编号/标题/类别/正文 (no `id`, no `text` column)."""
    import pandas as pd

    lines = (DATA_DIR / "cnews_sample" / "cnews_sample.jsonl").read_text(encoding="utf-8").splitlines()[:6]
    rows = [json.loads(x) for x in lines]
    ids = [f"cn-{i:03d}" for i in range(len(rows))]
    if repeat_id:
        ids[1] = ids[0]
    frame = pd.DataFrame({"编号": ids, "标题": [r["text"][:15] for r in rows], "类别": [r["label"] for r in rows],
                          "正文": [r["text"] for r in rows]})  # fmt: skip
    frame.to_csv(path, index=False)
    return path


def test_index_openings_end_in_an_ellipsis_only_when_cut(tmp_path, monkeypatch):
    """Review R9b H: a headline corpus showed "S-2: 以实际行动向党中央看齐 向高标准努力…" after a complete text."""
    import pandas as pd

    from helpers import corpus as corpus_module
    from helpers.report import build as build_mod

    monkeypatch.setattr(corpus_module, "CACHE_DIR", tmp_path / "cache")
    stories = pd.read_json(DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl", lines=True).head(3)
    texts = [x for title, text in zip(stories.title, stories.text) for x in (title, text)]  # headlines, then stories
    source = tmp_path / "headlines.csv"
    pd.DataFrame({"标题": texts}).to_csv(source, index=False)
    build = build_mod._plan(source, params={"text_column": "标题"}, reports_dir=tmp_path / "reports",
                            notebooks_dir=NOTEBOOKS_DIR, name=None, api=False, include_corpus=False, zip_file=False,
                            show_code=False, progress_bar=False, log=lambda _: None, started=0.0)  # fmt: skip
    first, _ = build_mod._load_corpus_once(build)
    labels = [line.split(": ", 1)[1] for line in first]
    assert len(labels) == 5
    cleaned = corpus_module.load_corpus(source, text_column="标题", progress=False).docs.text  # as the index reads it
    for label, text in zip(labels, cleaned):
        whole = " ".join(text.split())
        cut = len(whole) > build_mod.OPENING_CHARS
        assert label == (whole[: build_mod.OPENING_CHARS] + "…" if cut else whole)
    assert any(not label.endswith("…") for label in labels) and any(label.endswith("…") for label in labels)


@pytest.mark.parametrize("repeat_id", [False, True])
def test_id_column_the_loader_chose_goes_to_every_notebook_and_the_index(tmp_path, monkeypatch, repeat_id):
    """The id column comes from the loader's LoadedCorpus.id_column; the index note names the -p option."""
    from helpers import corpus as corpus_module
    from helpers.report import build as build_mod

    monkeypatch.setattr(corpus_module, "CACHE_DIR", tmp_path / "cache")
    source = _simplified_news_csv(tmp_path / "news.csv", repeat_id=repeat_id)
    build = build_mod._plan(source, params={"text_column": "正文"}, reports_dir=tmp_path / "reports",
                            notebooks_dir=NOTEBOOKS_DIR, name=None, api=False, include_corpus=False, zip_file=False,
                            show_code=False, progress_bar=False, log=lambda _: None, started=0.0)  # fmt: skip
    with pytest.warns(UserWarning, match="编号"):
        build_mod._load_corpus_once(build)
    notes = " ".join(build.notes)
    assert "id_column=" not in notes  # the loader's notebook wording is not the report's
    if repeat_id:
        assert "id_column" not in build.params and "ids are row numbers" in notes and "-p id_column 编号" in notes
    else:
        assert build.params["id_column"] == "编号" and "id column guessed: 编号" in notes
        assert "-p id_column 编号" in notes and "-p id_column NAME" in notes


def test_the_index_says_a_file_was_not_read_as_utf8(tmp_path, monkeypatch):
    """R6 #7: a table saved by Excel on Chinese Windows (GBK, CRLF, a cell with line breaks) is read right, and the
    index's "Decided for you" says it was read as GB18030, not UTF-8; a UTF-8 copy gets no such note."""
    import pandas as pd

    from helpers import corpus as corpus_module
    from helpers.report import build as build_mod

    monkeypatch.setattr(corpus_module, "CACHE_DIR", tmp_path / "cache")
    for name in ("gbk", "utf8"):
        (tmp_path / name).mkdir()
    frame = pd.read_csv(_simplified_news_csv(tmp_path / "utf8" / "news.csv"), dtype=str)
    frame["正文"] = frame["正文"].str.replace("\xa0", " ").str.replace("。", "。\n", n=1, regex=False)
    frame.to_csv(tmp_path / "gbk" / "news.csv", index=False, lineterminator="\r\n", encoding="gbk", errors="replace")
    (tmp_path / "utf8" / "news.csv").write_bytes((tmp_path / "gbk" / "news.csv").read_bytes().decode("gbk").encode())
    notes, texts = {}, {}
    for name in ("gbk", "utf8"):
        build = build_mod._plan(tmp_path / name / "news.csv", params={"text_column": "正文"}, reports_dir=tmp_path,
                                notebooks_dir=NOTEBOOKS_DIR, name=None, api=False, include_corpus=False, zip_file=False,
                                show_code=False, progress_bar=False, log=lambda _: None, started=0.0)  # fmt: skip
        with pytest.warns(UserWarning, match="编号"):
            build_mod._load_corpus_once(build)
        notes[name] = build.notes
        texts[name] = corpus_module.load_corpus(build.source, text_column="正文", id_column="编号").docs["text"]
    assert "1 file read as GB18030 (GBK), not UTF-8 (news.csv)" in notes["gbk"]
    assert not any("UTF-8" in note for note in notes["utf8"])
    assert texts["gbk"].tolist() == texts["utf8"].tolist() and texts["gbk"].str.contains("\n").any()  # kept


# -- no machine paths on pages, one run per corpus ---------------------------------------------------------------


def _machine_paths_in_pages(folder: Path, *extra: Path) -> list[str]:
    """Where the report's pages (``*.html``) or JSON files (``report_info.json``, ``run_info.json``) name a folder
    of this machine."""
    needles = [str(PROJECT_ROOT), "/root/", "/home/", "/tmp/", *(str(p) for p in extra)]
    found = []
    for page in sorted([*folder.rglob("*.htm*"), *folder.rglob("*.json")]):
        text = page.read_text(encoding="utf-8")
        for needle in needles:
            i = text.find(needle)
            if i >= 0:
                found.append(f"{page.relative_to(folder)}: {needle!r} in …{text[max(i - 60, 0) : i + 80]}…")
    return found


def test_strip_local_paths_on_a_cleaning_table(tmp_path):
    """The paths a notebook prints (its output folder, the corpus files) become relative to the report/project."""
    import pandas as pd

    corpus = tmp_path / "unseen"
    shutil.copytree(PROJECT_ROOT / "seeds", corpus)
    files = sorted(corpus.glob("*.txt"))
    partial = tmp_path / "reports" / ".unseen.partial"
    text = pd.DataFrame({"path": map(str, files)}).to_html() + f"outputs go to {partial}/01_cleaning"
    assert str(tmp_path) in text
    paths = report.local_paths(source=corpus, report_dirs=[partial])
    out = report.strip_local_paths(text, paths)
    assert str(tmp_path) not in out and "/tmp/" not in out and str(PROJECT_ROOT) not in out
    assert f"<td>unseen/{files[0].name}</td>" in out and out.endswith("outputs go to 01_cleaning")
    seeds = report.strip_local_paths(f"{PROJECT_ROOT}/seeds/README.md", report.local_paths(source="seeds"))
    assert seeds == "seeds/README.md"


def test_run_info_names_no_machine_folder(tmp_path):
    from helpers.provenance import run_info

    corpus = str(DATA_DIR / "csl_sample" / "csl_sample.jsonl")
    info = run_info(params={"corpus": corpus, "output_dir": str(tmp_path / "out"), "k": 5}, corpus=corpus)
    assert info["corpus"] == "data/csl_sample/csl_sample.jsonl"
    assert info["params"] == {"corpus": "data/csl_sample/csl_sample.jsonl", "output_dir": "out", "k": 5}


def test_report_lock_waits_then_refuses(tmp_path):
    import threading

    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with report.report_lock(tmp_path, "seeds"):
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(30)
        messages: list[str] = []
        with pytest.raises(report.ReportError, match=r"another report run on corpus 'seeds' is in progress \(pid \d+"):
            with report.report_lock(tmp_path, "seeds", timeout=0.5, log=messages.append):
                pass
        assert len(messages) == 1 and messages[0].startswith("waiting up to 0.5 s for another report run on 'seeds'")
        with report.report_lock(tmp_path, "cnews", timeout=0):  # another corpus is not held up
            pass
        threading.Timer(0.5, release.set).start()
        with report.report_lock(tmp_path, "seeds", timeout=30) as path:  # waits until the holder is done
            assert path == tmp_path / ".seeds.lock" and release.is_set()
    finally:
        release.set()
        holder.join()


def test_report_lock_is_released_when_its_holder_is_killed(tmp_path):
    code = (
        "import sys, time\nfrom helpers.report import report_lock\n"
        "with report_lock(sys.argv[1], 'seeds'):\n    print('held', flush=True)\n    time.sleep(120)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path)], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "held"
        with pytest.raises(report.ReportError, match=f"pid {proc.pid}"):
            with report.report_lock(tmp_path, "seeds", timeout=0):
                pass
        proc.kill()
        proc.wait(30)
        with report.report_lock(tmp_path, "seeds", timeout=10):
            pass
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()


def test_second_run_on_the_same_corpus_touches_neither_report(tiny_notebooks, tiny_report, capsys):
    """A run that finds another run's lock stops: the running build and the published report are left alone."""
    reports = tiny_report.parent
    before = (tiny_report / "index.html").read_bytes()
    partial = reports / ".seeds.partial"  # what the run holding the lock is building
    partial.mkdir()
    (partial / "01_words").mkdir()
    try:
        with report.report_lock(reports, "seeds"):  # a second open file: flock refuses it, also in this process
            args = ("--corpus", "seeds", "--notebooks-dir", str(tiny_notebooks), "--no-api", "--lock-timeout", "1")
            code, out, err = _main(capsys, *args, reports=reports)
        assert code == 1
        assert "another report run on corpus 'seeds' is in progress" in err
        assert "waiting up to 1 s" in out and "executing" not in out
        assert sorted(p.name for p in partial.iterdir()) == ["01_words"]  # not removed, no FAILED written
        assert (tiny_report / "index.html").read_bytes() == before
        assert not list(tiny_report.rglob("FAILED"))
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def _stories_csv(tmp_path: Path, n: int, *, summary: bool = False) -> Path:
    """The first ``n`` CCTV stories of the shipped slice as a CSV whose text column is called 正文 (and 摘要)."""
    import pandas as pd

    stories = pd.read_json(DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl", lines=True).head(n)
    table = stories[["id", "date", "title"]].assign(正文=stories.text)
    if summary:  # a second column of running Chinese text: the report cannot tell which one to analyse
        table["摘要"] = stories.text.str.replace(r"<[^>]+>|\s", "", regex=True).str[:80]
    corpus = tmp_path / "unseen" / "stories.csv"
    corpus.parent.mkdir()
    table.to_csv(corpus, index=False)
    return corpus


def test_report_stops_before_any_notebook_when_no_text_column_is_clear(tiny_notebooks, tmp_path, capsys):
    corpus = _stories_csv(tmp_path, 12, summary=True)
    args = ("--corpus", str(corpus), "--notebooks-dir", str(tiny_notebooks))
    code, out, error = _main(capsys, *args, reports=tmp_path / "reports")
    assert code == 1
    assert "stories.csv" in error and "正文" in error and "摘要" in error and "-p text_column" in error
    assert "executing" not in out
    assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").iterdir())


# -- the API reference -------------------------------------------------------------------------------------------


def _modules_on_disk(package: Path) -> list[str]:
    """Every public module and subpackage under ``package`` as a path (``corpus``, ``report``, ``report/build``)."""
    found = []
    for path in package.rglob("*.py"):
        rel = path.relative_to(package)
        parts = rel.parent.parts if path.name == "__init__.py" else (*rel.parent.parts, path.stem)
        if parts and not any(part.startswith("_") for part in parts):
            found.append("/".join(parts))
    return sorted(found)


#: Every module of the package, found on the file system (a new module is covered without editing this test).
HELPERS_MODULES = _modules_on_disk(PROJECT_ROOT / "helpers")


def _public_sample(module: str, k: int = 4) -> list[str]:
    """Up to ``k`` public functions/classes of ``helpers.<module>``, spread over its public names."""
    mod = importlib.import_module(f"helpers.{module.replace('/', '.')}")
    names = getattr(mod, "__all__", None) or [
        n
        for n, obj in vars(mod).items()
        if not n.startswith("_")
        and (inspect.isfunction(obj) or inspect.isclass(obj))
        and obj.__module__ == mod.__name__
    ]
    names = sorted(n for n in names if callable(getattr(mod, n, None)))
    step = max(len(names) // k, 1)
    return names[::step][:k]


@pytest.fixture(scope="module")
def api_reference(seed_report) -> Path:
    """The API reference as ``make report`` renders it (pdoc and a font subset per page take about a minute, so the
    seed report's copy is checked rather than a second rendering)."""
    return seed_report / "api"


@pytest.mark.notebook
def test_api_reference_documents_every_module(api_reference):
    assert len(HELPERS_MODULES) >= 10 and {"corpus", "report", "report/build", "report/offline"} <= set(HELPERS_MODULES)
    for name in HELPERS_MODULES:
        page = api_reference / "helpers" / f"{name}.html"
        assert page.is_file(), f"no API page for helpers.{name}"
        parent, _, leaf = f"helpers/{name}".rpartition("/")  # each package page lists its own modules
        listing = (api_reference / f"{parent}.html").read_text(encoding="utf-8")
        href = f"{parent.rpartition('/')[2]}/{leaf}.html"
        assert f'href="{href}"' in listing, f"{parent}.html does not list helpers.{name.replace('/', '.')}"
        text = page.read_text(encoding="utf-8")
        sample = _public_sample(name)
        is_package = (PROJECT_ROOT / "helpers" / name / "__init__.py").is_file()
        assert sample or is_package, f"helpers.{name} has no public function"  # a package may only document
        for func in sample:
            assert f'id="{func}"' in text, f"helpers.{name}.{func} is not documented"
    for path in api_reference.rglob("*"):
        if path.is_file():  # default values such as PROJECT_ROOT name no folder of this machine
            assert str(PROJECT_ROOT) not in path.read_text(encoding="utf-8", errors="replace"), path


def _unzip(archive: Path, dest: Path) -> Path:
    """Extract a report's zip into ``dest``; returns the report folder in it."""
    import zipfile

    with zipfile.ZipFile(archive) as z:
        z.extractall(dest)
    return dest / archive.stem


@needs_browser
def test_tiny_report_unzipped_elsewhere_in_browser(tiny_report, tmp_path):
    """The zip unzipped into another folder, opened from file:// with the network blocked: every local link of the
    index leads to a file (only the link to the zip itself, beside the original folder, is skipped), every page
    passes the browser check, the shared font is loaded and draws the Chinese (this machine has no CJK font of its
    own when fallback_ratio is low), the interactive table is drawn; a page copied alone says what it misses."""
    copy = _unzip(tiny_report.parent / "seeds.zip", tmp_path / "elsewhere")
    links = report.index_links(copy / "index.html", executable_path=CHROMIUM)
    assert links["missing"] == [] and [Path(u).name for u in links["outside"]] == ["seeds.zip"]
    for target in ("01_words.html", "02_topics/ldavis.html", "01_words/doc_lengths.csv", "report_info.json"):
        assert str(copy / target) in links["local"], target
    assert report.check_report(copy, log=lambda _: None, executable_path=CHROMIUM) == []
    words, topics = report.browser_check([copy / "01_words.html", copy / "02_topics.html"], executable_path=CHROMIUM)
    main = words["frames"][0]
    assert main["tables"] == 1 and main["missing_assets"] == 0  # DataTables from assets/ drew the table
    assert report.CJK_FONT_FAMILY in main["loaded_faces"] and main["samples"]
    assert all(s["ratio"] > 0.95 for s in main["samples"])
    assert sum(f.get("circles", 0) for f in topics["frames"]) == 4  # the linked pyLDAvis view: 4 topic circles
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(copy / "01_words.html", alone)
    (res,) = report.browser_check([alone / "01_words.html"], executable_path=CHROMIUM)
    assert res["frames"][0]["missing_assets"] == 1 and res["frames"][0]["tables"] == 0
    assert any("assets" in p for p in report.page_problems(res))


@needs_browser
def test_browser_check_records_requests_errors_and_missing_glyphs(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text(
        '<html><head><meta charset="utf-8"></head><body><p style="font-family: serif">脱贫攻坚</p>'
        '<img src="https://example.org/x.png"><script>fetch("https://example.org/api"); undefined_fn();</script>'
        "</body></html>",
        encoding="utf-8",
    )
    (res,) = report.browser_check([page], executable_path=CHROMIUM)
    assert any("example.org/x.png" in u for u in res["blocked"]) and any("example.org/api" in u for u in res["blocked"])
    assert any("undefined_fn" in e for e in res["js_errors"])
    sample = res["frames"][0]["samples"][0]
    if sample["fallback_ratio"] < 0.9:  # this machine has no CJK system font: without the embedded one, boxes
        assert sample["ratio"] < 0.9
    good = tmp_path / "good.html"
    good.write_text(report.embed_cjk_font(page.read_text(encoding="utf-8").replace("<img", "<i")), encoding="utf-8")
    (res,) = report.browser_check([good], executable_path=CHROMIUM)
    assert res["frames"][0]["samples"][0]["ratio"] > 0.95
    assert report.CJK_FONT_FAMILY in res["frames"][0]["loaded_faces"]


INTERACTIVE = """import pandas as pd
from helpers.tables import show_table
terms = pd.DataFrame({"term": ["脱贫", "攻坚", "扶贫", "乡村", "振兴"] * 6, "n": range(30)})
show_table(terms, caption="词频")"""


@pytest.fixture(scope="module")
def interactive_page(tmp_path_factory) -> Path:
    """A tiny executed notebook with one interactive table (helpers.tables.show_table), rendered with code folded."""
    from nbclient import NotebookClient

    nb = _notebook(v4.new_markdown_cell("# 01 · Tables 表格"), v4.new_code_cell(INTERACTIVE))
    NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    page = tmp_path_factory.mktemp("interactive") / "01_tables.html"
    page.write_text(report.render_notebook_html(nb), encoding="utf-8")
    return page


def test_interactive_table_page_is_self_contained(interactive_page):
    page = interactive_page.read_text(encoding="utf-8")
    assert report.external_references(page) == []
    assert "unpkg.com" not in page and "cdn." not in page  # itables' offline mode: DataTables is embedded


@needs_browser
def test_interactive_table_searches_offline_and_code_unfolds(interactive_page):
    """From file:// with every request blocked: typing in the table's search box shows fewer rows, and the
    "show code" toggle makes the folded code visible."""
    from playwright.sync_api import sync_playwright

    from helpers.report.browser import CHROMIUM_ARGS, _open_page

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        try:
            context, page, blocked, errors = _open_page(browser, interactive_page, timeout_ms=30_000)
            page.wait_for_selector("table.dataTable tbody tr", timeout=15_000)
            table = page.locator(".dt-container").first
            assert table.locator("tbody tr").count() == 10  # paginated: the first page of 30 rows
            assert "of 30 entries" in table.locator(".dt-info").inner_text()
            table.locator("input[type=search]").fill("脱贫")
            page.wait_for_function("document.querySelectorAll('.dt-container tbody tr').length === 6")
            assert "filtered from 30 total entries" in table.locator(".dt-info").inner_text()
            code = page.locator("details.tuopin-code").first
            assert not code.locator("pre").first.is_visible()
            code.locator("summary").click()
            assert code.locator("pre").first.is_visible() and "show_table" in code.inner_text()
            assert blocked == [] and errors == []
            context.close()
        finally:
            browser.close()


# -- the template notebook ------------------------------------------------------------------------------------


@pytest.mark.notebook
@pytest.mark.parametrize("corpus", ["../seeds", "../data/xwlb_poverty_sample/xwlb_poverty_sample.jsonl"])
def test_template_notebook(run_notebook, tmp_path, corpus):
    import pandas as pd

    run_notebook("template.ipynb", tmp_path, corpus=corpus, top_n=15)
    top = pd.read_csv(tmp_path / "top_words.csv")
    assert list(top.columns) == ["word", "count", "documents"] and len(top) == 15
    assert top["count"].is_monotonic_decreasing
    assert (tmp_path / "top_words.png").stat().st_size > 10_000
    info = json.loads((tmp_path / "run_info.json").read_text(encoding="utf-8"))
    assert info["params"]["top_n"] == 15 and info["n_documents"] == (5 if "seeds" in corpus else 200)
    if "seeds" in corpus:
        assert "脱贫攻坚" in set(top.word)


# -- the real report on the seeds -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def seed_report(tmp_path_factory) -> Path:
    """``make report`` on the seeds (all numbered notebooks), rendered once per session into a temporary folder."""
    reports = tmp_path_factory.mktemp("seed_reports")
    proc = _run_report("--corpus", "seeds", reports=reports)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return reports / "seeds"


@pytest.mark.notebook
def test_seed_report(seed_report, tmp_path):
    """Index, provenance, no other host, every page in Chromium (the seed report is rendered once per worker, and
    tests/conftest.py sends every test that uses it to the same worker)."""
    index = (seed_report / "index.html").read_text(encoding="utf-8")
    notebooks = report.discover_notebooks(NOTEBOOKS_DIR)
    assert len(notebooks) >= 4
    for nb in notebooks:
        assert f'href="{nb.stem}.html"' in index and (seed_report / f"{nb.stem}.html").is_file()
        title, summary = report.notebook_summary(nbformat.read(nb, as_version=4))
        assert html.escape(summary[:30]) in index
        page = (seed_report / f"{nb.stem}.html").read_text(encoding="utf-8")
        info = json.loads((seed_report / nb.stem / "run_info.json").read_text(encoding="utf-8"))
        assert 'id="provenance"' in page and info["corpus_hash"] in page and info["git_revision"] in page
    assert 'href="api/helpers.html"' in index and (seed_report / "api" / "helpers.html").is_file()
    assert 'href="03_lda_topics/ldavis.html"' in index[: index.index("<h2>Corpus and run</h2>")]  # linked on top
    info = json.loads((seed_report / "report_info.json").read_text(encoding="utf-8"))
    assert info["n_documents"] == "5" and info["corpus_name"] == "seeds"
    for key in ("corpus_hash", "run_date", "git_revision", "versions"):
        assert info[key]
    for page in seed_report.rglob("*.htm*"):
        assert report.external_references(page.read_text(encoding="utf-8")) == [], page
    assert _machine_paths_in_pages(seed_report, seed_report) == []
    assert [f for f in info["corpus_files"] if (seed_report / f).is_file()] == ["01_cleaning/cleaned.jsonl"]
    # results about this corpus only: the reprint test collection (validation material) stays in the cache
    assert [p.relative_to(seed_report).as_posix() for p in seed_report.rglob("*.jsonl")] == [
        "01_cleaning/cleaned.jsonl"
    ]
    listed = [(nb.stem, f) for nb in notebooks for f in report.notebook_files(seed_report / nb.stem)]
    assert [f"{stem}/{f['name']}" for stem, f in listed if not f["description"]] == []  # the index says what each is
    api_index = (seed_report / "api" / "helpers.html").read_text(encoding="utf-8")
    assert all(f'href="helpers/{name}.html"' in api_index for name in HELPERS_MODULES if "/" not in name)

    if CHROMIUM is None:
        pytest.skip("chromium not installed (make browser installs it): static checks passed, browser checks skipped")
    copy = _unzip(seed_report.parent / "seeds.zip", tmp_path)  # the pages as a colleague opens them
    links = report.index_links(copy / "index.html", executable_path=CHROMIUM)
    assert links["missing"] == [] and [Path(u).name for u in links["outside"]] == ["seeds.zip"]
    pages = sorted(copy.rglob("*.htm*"))  # every page once, as check_report opens them
    checked = report.browser_check(pages, executable_path=CHROMIUM)
    assert [p for r in checked for p in report.page_problems(r, name=Path(r["page"]).name)] == []
    results = {Path(r["page"]).stem: r for r in checked if Path(r["page"]).parent == copy.resolve()}
    for nb in notebooks:
        samples = [s for f in results[nb.stem]["frames"] for s in f.get("samples", [])]
        assert len(samples) >= 3, f"{nb.stem}: too little Chinese text found"
        assert report.CJK_FONT_FAMILY in results[nb.stem]["frames"][0]["loaded_faces"], nb.stem  # from assets/
        if "new ITable(" in (copy / f"{nb.stem}.html").read_text(encoding="utf-8"):
            assert results[nb.stem]["frames"][0]["tables"] >= 1, f"{nb.stem}: no interactive table drawn"
    api_pages = [r for r in checked if "/api/" in r["page"] and any(f.get("samples") for f in r["frames"])]
    assert api_pages and all(report.CJK_FONT_FAMILY in r["frames"][0]["loaded_faces"] for r in api_pages)
    lda = next(stem for stem in results if stem.startswith("03_"))
    assert sum(f.get("circles", 0) for f in results[lda]["frames"]) >= 2, "pyLDAvis view draws no topic circles"


#: Issue 14: "keep the seed report under 15 MB" (the folder; its zip is smaller).
MAX_SEED_REPORT_BYTES = 15_000_000


@pytest.mark.notebook
def test_seed_report_weight(seed_report):
    """The seed report stays under 15 MB: one DataTables script and one font for all pages, no copy per page."""
    weights = {w["what"]: w["bytes"] for w in report.page_weights(seed_report)}
    assert weights["folder total"] == sum(p.stat().st_size for p in seed_report.rglob("*") if p.is_file())
    assert weights["folder total"] < MAX_SEED_REPORT_BYTES, report.page_weight_table(seed_report)
    assert 0 < weights["zip"] < weights["folder total"]
    pages = {p: p.read_text(encoding="utf-8") for p in seed_report.rglob("*.htm*")}
    bundle = re.compile(r"<script>[^<]*injectModule\(")  # itables' bundle inline (not the API page quoting it)
    assert [p for p, text in pages.items() if bundle.search(text)] == []  # it lives in assets/ only
    assert [p.name for p, text in pages.items() if "data:font/woff" in text and "ldavis" not in p.name] == [
        "index.html"
    ]  # the index embeds its own subset; pyLDAvis pages carry the font of their labels


def _unseen_corpus(tmp_path: Path, n: int) -> Path:
    """A corpus no notebook has seen: the first ``n`` CCTV stories of the shipped slice, as JSONL."""
    lines = (DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl").read_text(encoding="utf-8").splitlines()
    corpus = tmp_path / "unseen" / "stories.jsonl"
    corpus.parent.mkdir()
    corpus.write_text("\n".join(lines[:n]) + "\n", encoding="utf-8")
    return corpus


def test_tiny_report_on_an_unseen_csv_corpus(tiny_notebooks, tmp_path):
    """A CSV outside the project whose text column is 正文, shared without its cleaned corpus (--no-corpus)."""
    corpus = _stories_csv(tmp_path, 12)
    proc = _run_report(
        "--corpus",
        str(corpus),
        "--notebooks-dir",
        str(tiny_notebooks),
        "--no-api",
        "--no-corpus",
        reports=tmp_path / "reports",
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "using '正文'" in proc.stdout
    folder = tmp_path / "reports" / "unseen-stories"  # the report's name comes from the file
    for stem in ("01_words", "02_topics"):  # the column guessed once is passed to every notebook
        executed = nbformat.read(folder / stem / f"{stem}.ipynb", as_version=4)
        injected = next(c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", []))
        values: dict = {}
        exec(injected.source, values)  # papermill writes the parameters as Python literals
        assert values["text_column"] == "正文" and "text_column = '正文'" in injected.source  # readable, not \u6b63
    info = json.loads((folder / "report_info.json").read_text(encoding="utf-8"))
    assert info["n_documents"] == "12" and len(info["first_documents"]) == 5
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert info["first_documents"][0].split(": ", 1)[1][:10] in index  # Chinese titles on the index page
    assert _machine_paths_in_pages(folder, tmp_path) == []
    assert info["corpus"] == "stories.csv" and info["report_folder"] == "unseen-stories"  # names, no machine path
    assert info["command"].startswith("python -m helpers.report --corpus stories.csv") and info["corpus_hash"]
    shipped = _unzip(folder.parent / "unseen-stories.zip", tmp_path / "unzipped")  # what colleagues receive
    assert (shipped / "report_info.json").is_file() and _machine_paths_in_pages(shipped, tmp_path) == []
    assert "stories.csv" in index and "outputs go to 01_words | corpus stories.csv | resolved stories.csv" in (
        folder / "01_words.html"
    ).read_text(encoding="utf-8")
    assert not (folder / "01_words" / "cleaned.jsonl").exists() and info["corpus_included"] is False
    assert "left out of this folder" in index and "01_words/cleaned.jsonl" in index
    assert "text column guessed: 正文" in index  # the reader sees that nobody typed -p text_column 正文


@pytest.mark.notebook
@pytest.mark.skipif(
    not os.environ.get("TUOPIN_FULL_REPORT_TESTS"),
    reason="all notebooks on a second corpus take ~3 min: set TUOPIN_FULL_REPORT_TESTS=1",
)
def test_report_on_an_unseen_jsonl_corpus(tmp_path):
    """``make report CORPUS=<unseen corpus>`` with the real notebooks: 40 CCTV stories as JSONL."""
    corpus = _unseen_corpus(tmp_path, 40)
    proc = _run_report("--corpus", str(corpus), "--no-api", reports=tmp_path / "reports")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    folder = tmp_path / "reports" / "unseen-stories"
    info = json.loads((folder / "report_info.json").read_text(encoding="utf-8"))
    assert info["n_documents"] == "40"
    for page in folder.rglob("*.htm*"):
        assert report.external_references(page.read_text(encoding="utf-8")) == [], page
    assert _machine_paths_in_pages(folder, tmp_path) == []  # a corpus outside the project: shown by its name


def test_weights_resolves_the_folder_and_refuses_a_folder_that_is_not_a_report(tmp_path, monkeypatch, capsys):
    """R8b: ``--weights .`` from inside a report raised ``PosixPath('.') has an empty name``; a folder that is not a
    report (the project root) gets one clear line instead of a traceback."""
    from helpers.report.build import main

    folder = tmp_path / "corp-S"
    (folder / "01_cleaning").mkdir(parents=True)
    (folder / "index.html").write_text("<!doctype html><p>脱贫攻坚</p>", encoding="utf-8")
    (folder / "01_cleaning" / "cleaned.jsonl").write_bytes((DATA_DIR / "csl_sample" / "csl_sample.jsonl").read_bytes())
    (tmp_path / "corp-S.zip").write_bytes(b"PK" * 100)
    monkeypatch.chdir(folder)
    assert main(["--weights", "."]) == 0
    printed = capsys.readouterr().out
    assert "| `index.html` |" in printed and "| **zip** | **0.00 MB** |" in printed  # the zip next to the folder
    monkeypatch.chdir(PROJECT_ROOT)
    assert main(["--weights", "."]) == 1
    said = capsys.readouterr().err
    assert said.startswith("error: ") and "not a report folder (no index.html)" in said and "Traceback" not in said


def test_a_list_parameter_arrives_whole_however_it_was_passed():
    """Review R8a: plain papermill's `-p terms '[...]'` passes a string, which 05 traced character by character."""
    import yaml
    from papermill.cli import _resolve_type  # how papermill's command line types a -p value

    typed = '["脱贫攻坚", "乡村振兴"]'
    assert _resolve_type(typed) == typed  # a string, not a list
    by_papermill = report.list_parameter(_resolve_type(typed))
    by_make_report = report.list_parameter(report.parse_param_value(typed))
    by_yaml = report.list_parameter(yaml.safe_load("terms: [脱贫攻坚, 乡村振兴]")["terms"])  # papermill -y
    assert by_papermill == by_make_report == by_yaml == ["脱贫攻坚", "乡村振兴"]
    assert report.list_parameter("脱贫攻坚") == ["脱贫攻坚"]  # a bare string is one term
    assert report.list_parameter(_resolve_type("5")) == [5] and report.list_parameter("[2, 3]") == [2, 3]
    assert report.list_parameter(None) is None and report.list_parameter(" ") == []
    with pytest.raises(ValueError, match="not a valid list"):
        report.list_parameter('["脱贫攻坚", 乡村振兴]')
