"""Build ``helpers/resources/source_fingerprints.tsv``: every text the project's resources were built, tuned or
validated on, as three short hashes (whole text, middle passage, title), so that :mod:`helpers.validation.overlap`
can tell a user whose corpus contains them that a "held-out" figure is not independent of their corpus.

Texts recorded, each with the role it plays (what was built, tuned or measured on it):

- ``reference_idf``: the three files of ``scripts/build_reference_idf.py`` (``SOURCES``: xwlb_general, xwlb_poverty,
  cnews), every row, as ``helpers/resources/README_reference_idf.md`` lists them;
- ``background_model``: the 新闻联播 stories of ``scripts/build_background_model.py`` (xwlb_general, xwlb_poverty)
  except its held-out ids (``data/xwlb_sections_2019``, ``data/xwlb_sections_heldout``), as
  ``helpers/resources/background_lsi.json`` records;
- ``domain_dictionary``: the stories and seeds ``scripts/build_domain_dict.py`` mines (every story, the seeds);
- ``keyphrase_tuning``: the 700 rows of ``../shared/corpora/csl_keywords`` not in ``data/csl_sample``
  (``benchmarks/train_keyphrase.py``; ``helpers/resources/keyphrase_cv.json``);
- ``topic_tuning``: the tuning half of the xwlb sections (``benchmarks/tune_topics.py``) and ``data/cnews_sample``,
  on which notebook 03's settings were chosen (``data/xwlb_sections_heldout/SOURCE.md``);
- ``similarity_tuning``: the section stories of 2017–2018 (the tuning split of ``build_background_model.py``) and
  ``data/cnews_sample``, on which 04's similarity settings were chosen (``data/xwlb_sections_2019/SOURCE.md``);
- every sample of ``data/`` with the notebook section that measures on it, and ``tests`` for the samples only the
  test suite reads (``data/README.md``).

Each file is read with :func:`helpers.corpus.load_corpus`, so a text is cleaned as a user's would be, and keyed by
:func:`helpers.validation.overlap.text_keys`, its title (the one ``load_corpus`` keeps: the row's ``title`` field, or
the headline cleaning finds at the top of a THUCNews text; also as cleaning leaves it as a document, :func:`title_keys`)
by :func:`helpers.validation.overlap.title_key`. One row per distinct text and title (``key``, ``middle``, ``uses``:
the numbers of its uses, defined in the header as ``# use <n>\\t<role>\\t<source>\\t<texts>``, ``title``: empty when
the text has none). Not recorded: the SIGHAN sentences and policy terms of ``data/segmentation_heldout``
(sentences and terms, not documents).

Run: ``.venv/bin/python scripts/build_source_fingerprints.py`` (about a minute the first time: it cleans ~7,000
texts; needs ``../shared/corpora``). Rebuild after changing the cleaning or the normalisation of texts.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import warnings
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from helpers.clean import clean_text  # noqa: E402
from helpers.corpus import load_corpus  # noqa: E402
from helpers.paths import DATA_DIR, SEEDS_DIR, SHARED_CORPORA_DIR, atomic_write  # noqa: E402
from helpers.reprints import normalize_for_shingles  # noqa: E402
from helpers.validation.overlap import (  # noqa: E402
    FINGERPRINTS_PATH,
    HEADING_TEXTS,
    ROLES,
    passage_hashes,
    project_relative,
    text_keys,
    title_key,
)

#: two stories that share this share of the shorter one's passages are one article under two headlines (THUCNews
#: holds such pairs: cnews-0220 and cnews-0406): the passages they share are theirs, not formulas; two 新闻联播
#: stories of the Politburo that share its formulas share far less
NEAR_COPY = 0.5


def _module(path: Path, name: str):
    """A script of the project loaded as a module (its split functions are the record of what it used)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _ids(path: Path) -> set[str]:
    with open(path, encoding="utf-8") as fh:
        return {str(json.loads(line)["id"]) for line in fh if line.strip()}


#: a recorded text: its text and its title as :func:`load_corpus` gives them (``""``: no title)
Text = tuple[str, str]


def _texts(source: Path, text_column: str = "text") -> dict[str, Text]:
    """``doc_id -> (text, title)`` of a corpus as :func:`load_corpus` cleans it (skipped rows left out, as for a
    user; the title is the one ``load_corpus`` keeps, cleaned as a user's would be)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        docs = load_corpus(source, text_column=text_column, errors="report", progress=False).docs
    titles = [t if isinstance(t, str) else "" for t in docs.title]
    return dict(zip(docs.doc_id.astype(str), zip(docs.text, titles)))


def title_keys(title: str) -> set[str]:
    """The keys of a title (:func:`title_key`): as ``load_corpus`` keeps it and, when it differs, as cleaning
    leaves it when the title is a document of its own (a corpus of headlines: the lead-in of
    新华社长篇通讯：…, 【大江奔流——…】… or 最新消息：… goes, as from any text). ``set()``: no title.

    >>> len(title_keys("新华社长篇通讯：攻坚 为了美丽中国——党的十八大以来污染防治纪实")), len(title_keys("云端看中国"))
    (2, 1)
    """
    return {k for k in (title_key(title), title_key(clean_text(title)) if title else "") if k}


def collect_uses(shared: Path) -> list[tuple[str, Path, dict[str, Text]]]:
    """``(role, source file or folder, {doc_id: (text, title)})`` of every use of a text by the project."""
    general, poverty = shared / "xwlb_general" / "stories.jsonl", shared / "xwlb_poverty" / "stories.jsonl"
    cnews, csl = shared / "cnews" / "articles.jsonl", shared / "csl_keywords" / "abstracts.jsonl"
    texts = {p: _texts(p) for p in (general, poverty, cnews)}
    texts[csl] = _texts(csl, "abstract")
    reference = _module(ROOT / "scripts" / "build_reference_idf.py", "build_reference_idf")
    background = _module(ROOT / "scripts" / "build_background_model.py", "build_background_model")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    tune_topics = _module(ROOT / "benchmarks" / "tune_topics.py", "tune_topics")

    uses: list[tuple[str, Path, dict[str, Text]]] = []
    for rel, _column, _what in reference.SOURCES:  # every row of each file
        uses.append(("reference_idf", shared / rel, texts[shared / rel]))
    held = _ids(background.HELDOUT_DIR / f"{background.HELDOUT_DIR.name}.jsonl")
    held |= set().union(*(_ids(p) for p in background.OTHER_HELDOUT))
    for name in background.SOURCES:
        path = shared / name / "stories.jsonl"
        uses.append(("background_model", path, {i: t for i, t in texts[path].items() if i not in held}))
    seeds = _texts(SEEDS_DIR)
    uses += [("domain_dictionary", poverty, texts[poverty]), ("domain_dictionary", general, texts[general])]
    uses.append(("domain_dictionary", SEEDS_DIR, seeds))
    held_csl = _ids(DATA_DIR / "csl_sample" / "csl_sample.jsonl")
    uses.append(("keyphrase_tuning", csl, {i: t for i, t in texts[csl].items() if i not in held_csl}))

    cnews_sample = DATA_DIR / "cnews_sample" / "cnews_sample.jsonl"
    sample_texts = _texts(cnews_sample)
    topic_ids = {str(r["id"]) for r in tune_topics.tuning_split()}
    uses.append(("topic_tuning", general, {i: t for i, t in texts[general].items() if i in topic_ids}))
    uses.append(("topic_tuning", cnews_sample, sample_texts))
    labelled, _sections = background.evaluation_set(background.read_stories(shared))
    sim_ids = {str(s["id"]) for s in labelled if s["date"] < background.HELDOUT_FROM}
    for path in (poverty, general):
        uses.append(("similarity_tuning", path, {i: t for i, t in texts[path].items() if i in sim_ids}))
    uses.append(("similarity_tuning", cnews_sample, sample_texts))

    samples = [
        ("validation_02_keywords", DATA_DIR / "csl_sample" / "csl_sample.jsonl", "abstract"),
        ("validation_02_names", DATA_DIR / "entities_sample" / "documents.jsonl", "text"),
        ("validation_03_topics", DATA_DIR / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl", "text"),
        ("validation_04_news", cnews_sample, "text"),
        ("validation_04_sections", DATA_DIR / "xwlb_sections_2019" / "xwlb_sections_2019.jsonl", "text"),
        ("validation_04_reprints", DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl", "text"),
        ("validation_05_dated", DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl", "text"),
        ("tests", DATA_DIR / "xwlb_dated_heldout" / "xwlb_dated_heldout.jsonl", "text"),
        ("tests", DATA_DIR / "segmentation_heldout" / "xwlb_poverty_2019.jsonl", "text"),
    ]
    for role, path, column in samples:
        uses.append((role, path, _texts(path, column)))
    assert all(role in ROLES for role, _, _ in uses)
    return uses


def source_name(path: Path) -> str:
    """How the table names a source: a sample of ``data/`` by its folder (``data/cnews_sample``), any other file
    or folder by its path from the project (``../shared/corpora/cnews/articles.jsonl``, ``seeds``)."""
    path = path.resolve()
    if path.is_relative_to(DATA_DIR.resolve()):
        return project_relative(DATA_DIR / path.relative_to(DATA_DIR.resolve()).parts[0])
    return project_relative(path)


def shared_passages(uses: list[tuple[str, Path, dict[str, Text]]]) -> set[int]:
    """Hashes of the passages that several stories share (by id: the same story in several files is one):
    formulas, which must not identify a text. A passage that only two near-copies share (one article under two
    headlines: at least :data:`NEAR_COPY` of the shorter one's passages in the other) is not a formula."""
    ids_of: dict[str, set[str]] = {}
    for _role, _source, texts in uses:
        for doc_id, (text, _title) in texts.items():
            ids_of.setdefault(normalize_for_shingles(text), set()).add(doc_id)
    story = {doc_id: i for i, doc_id in enumerate(sorted(set().union(*ids_of.values())))}
    passages: dict[int, np.ndarray] = {}
    for norm, ids in ids_of.items():
        found = np.unique(passage_hashes(norm))
        for doc_id in ids:
            passages[story[doc_id]] = found
    hashes = np.concatenate([passages[i] for i in sorted(passages)]).view(np.int64)
    owners = np.concatenate([np.full(len(passages[i]), i, dtype=np.int64) for i in sorted(passages)])
    pairs = np.unique(np.stack([hashes, owners]), axis=1)  # sorted by hash, each story once per passage
    values, first, counts = np.unique(pairs[0], return_index=True, return_counts=True)
    common = set(values[counts > 2].view(np.uint64).tolist())
    near: dict[tuple[int, int], bool] = {}
    for value, i in zip(values[counts == 2].tolist(), first[counts == 2].tolist()):
        a, b = int(pairs[1, i]), int(pairs[1, i + 1])
        if (a, b) not in near:
            shared = len(np.intersect1d(passages[a], passages[b], assume_unique=True))
            near[a, b] = shared >= NEAR_COPY * min(len(passages[a]), len(passages[b]))
        if not near[a, b]:
            common.add(int(np.int64(value).view(np.uint64)))
    return common


def fingerprint_rows(uses: list[tuple[str, Path, dict[str, Text]]]) -> tuple[list[str], list[str], Counter]:
    """Header lines of the uses, the rows (one per distinct text and title) and counts of what was keyed.

    A text's title is its title wherever a source gives one: a story that a sample holds without its title
    (``data/entities_sample``) has the title its news file gives it, for every use, so that its headline is found as
    the headline of the sample's text too. A text with two title keys (two files title it differently, or a title
    that cleaning shortens: :func:`title_keys`) has a row for each.
    """
    common = shared_passages(uses)
    uses_of: dict[tuple[str, str], set[int]] = {}
    titles_of: dict[tuple[str, str], set[str]] = {}
    header, counts = [], Counter()
    keys_of: dict[str, tuple[str, str]] = {}
    heads_of: dict[str, set[str]] = {}
    for number, (role, source, texts) in enumerate(uses, start=1):
        header.append(f"# use {number}\t{role}\t{source_name(source)}\t{len(texts)}")
        for text, title in texts.values():
            if text not in keys_of:
                keys_of[text] = text_keys(text, common=common)
            if title not in heads_of:
                heads_of[title] = title_keys(title)
            if keys_of[text][0]:
                uses_of.setdefault(keys_of[text], set()).add(number)
                titles_of.setdefault(keys_of[text], set()).update(heads_of[title])
    rows = []
    for (key, middle), numbers in sorted(uses_of.items()):
        titles = sorted(titles_of[key, middle]) or [""]
        rows += [f"{key}\t{middle}\t{' '.join(map(str, sorted(numbers)))}\t{t}" for t in titles]
    counts["texts"] = len(uses_of)
    counts["with middle"] = sum(1 for _, m in uses_of if m)
    counts["with title"] = sum(1 for k in uses_of if titles_of[k])
    counts["titles"] = len(set().union(*titles_of.values()))
    counts["common passages"] = len(common)
    return header, rows, counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED_CORPORA_DIR)
    parser.add_argument("--out", type=Path, default=FINGERPRINTS_PATH)
    args = parser.parse_args(argv)
    uses = collect_uses(args.shared)
    header, rows, counts = fingerprint_rows(uses)
    lines = [
        "# Texts the project's resources were built, tuned or validated on, as hashes "
        "(built by scripts/build_source_fingerprints.py; do not edit by hand; read by helpers.validation.overlap)",
        "# what: each text as cleaned by helpers.corpus.load_corpus, normalised by helpers.reprints."
        "normalize_for_shingles (recurring_text_keys); key = blake2b-64 of the whole text, middle = 64-bit "
        "polynomial hash of a passage of 32 (short texts: 16) characters nearest its centre found in no other story "
        "(helpers.validation.overlap.text_keys; empty for texts under 32 characters); title = blake2b-64 of the "
        "text's title as load_corpus keeps it, normalised the same way (helpers.validation.overlap.title_key; "
        "a second row when cleaning the title as a document shortens it; empty when the text has none; a title "
        f"of {HEADING_TEXTS} or more distinct texts is a heading, helpers.validation.overlap.HEADING_TEXTS); uses = the numbers of "
        "the uses below",
        f"# counts: {counts['texts']} distinct texts, {counts['with middle']} with a middle key, "
        f"{counts['with title']} with a title ({counts['titles']} distinct titles), "
        f"{len(uses)} uses; middle passages avoid the {counts['common passages']} passages shared by stories "
        "that are not near-copies of each other (formulas)",
        "# use <n>\t<role>\t<source>\t<texts>: the texts of <source> used as <role>",
        *header,
        "key\tmiddle\tuses\ttitle",
    ]

    def write(tmp: Path) -> None:
        tmp.write_text("\n".join(lines + rows) + "\n", encoding="utf-8", newline="\n")

    atomic_write(args.out, write)
    size = args.out.stat().st_size
    print(
        f"{args.out.name}: {counts['texts']} texts, {counts['titles']} titles, {len(uses)} uses, {size / 1024:.0f} KB"
    )


if __name__ == "__main__":
    main()
