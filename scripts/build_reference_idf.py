"""Build the reference IDF table ``helpers/resources/reference_idf.tsv`` from a large background news corpus.

TF-IDF on a handful of documents has almost no IDF signal: a word that occurs in all five seed documents and a
word that occurs in one of them are the only two cases. The reference IDF weighs words by how common they are in
general Chinese news instead, so a term that is ordinary in the news (工作, 发展) scores low and a specific term
scores high even in a single document.

Background corpus (all news, read from ``../shared/corpora``; see each folder's SOURCE.md):

- ``xwlb_general/stories.jsonl`` — 3,000 CCTV 新闻联播 stories 2016–2019 (uniform sample);
- ``xwlb_poverty/stories.jsonl`` — 1,067 新闻联播 stories on poverty alleviation 2016–2019;
- ``cnews/articles.jsonl`` — 1,000 THUCNews (Sina) articles in ten categories.

A story found in two files (the same ``id`` of the same programme: 152 poverty stories are also in the general
sample) is counted once. The poverty stories are included on purpose (the notebooks analyse such text), but they make poverty terms look a
little less specific than in general news; the table records the exact composition in its header.

Each document is tokenised with the project's default tokenizer (:meth:`helpers.tokenize.Tokenizer.tokenize_corpus`;
no terms found at run time, which belong to the user's corpus), and
for each term we count the number of documents containing it (df). ``idf = ln((1 + N) / (1 + df)) + 1``, the
smoothed formula of scikit-learn's ``TfidfVectorizer`` (:func:`helpers.keywords.smoothed_idf`); terms seen in fewer than ``--min-df`` documents are left
out (the loader gives unknown terms the IDF of df = 0, i.e. the largest value). The header names the sources, the
corpus size and the tokenizer fingerprint; :func:`helpers.keywords.load_reference_idf` reads it and warns when the
fingerprint differs from the current tokenizer's.

Run: ``.venv/bin/python scripts/build_reference_idf.py`` (6–8 s on two shared cores, 2026-11).
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from helpers.keywords import smoothed_idf  # noqa: E402
from helpers.paths import RESOURCES_DIR, SHARED_CORPORA_DIR, atomic_write  # noqa: E402
from helpers.tokenize import get_default_tokenizer  # noqa: E402

SOURCES = (
    ("xwlb_general/stories.jsonl", "text", "CCTV 新闻联播 general sample 2016-2019 (china-data/xwlb, MIT)"),
    ("xwlb_poverty/stories.jsonl", "text", "CCTV 新闻联播 poverty stories 2016-2019 (china-data/xwlb, MIT)"),
    ("cnews/articles.jsonl", "text", "THUCNews/Sina news, 10 categories (qianshuang/dl-exp cnews.val)"),
)
TAG = re.compile(r"<[^>]+>")
LEAD_IN = re.compile(r"^\s*央视网消息[（(]新闻联播[)）][：:]")


def plain_text(raw: str) -> str:
    """News HTML (``<p>`` paragraphs) to plain text; drops the 新闻联播 lead-in that every story repeats."""
    text = html.unescape(TAG.sub("\n", raw))
    lines = [LEAD_IN.sub("", line.strip().replace("\u3000", " ")).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def read_background(corpora: Path) -> tuple[list[str], list[str], str]:
    """The plain texts of :data:`SOURCES`, one line describing each source, and a hash of all texts."""
    texts: list[str] = []
    described: list[str] = []
    digest = hashlib.sha256()
    seen: set[str] = set()  # a story in two files (152 poverty stories are in the general sample) counts once
    for rel, column, what in SOURCES:
        path = corpora / rel
        if not path.is_file():
            raise FileNotFoundError(f"{path}: background corpus file missing (needs ../shared/corpora)")
        n = again = 0
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            key = f"{rel.split('/')[0].split('_')[0]}:{record.get('id', '')}"  # ids are unique within a source
            if record.get("id") is not None and key in seen:
                again += 1
                continue
            seen.add(key)
            text = plain_text(record[column])
            if text:
                texts.append(text)
                digest.update(text.encode("utf-8"))
                n += 1
        skipped = f"; {again} already read from an earlier file, same id" if again else ""
        described.append(f"{rel} ({n} documents{skipped}): {what}")
    return texts, described, digest.hexdigest()[:16]


def document_frequencies(tokens: list[list[str]], *, min_df: int) -> list[tuple[str, int]]:
    """``(term, df)`` of every term in at least ``min_df`` documents, most frequent first, ties by term."""
    df: Counter[str] = Counter()
    for toks in tokens:
        df.update(set(toks))
    return sorted(((t, d) for t, d in df.items() if d >= min_df), key=lambda x: (-x[1], x[0]))


def write_table(out: Path, rows: list[tuple[str, int]], header: list[str], n_docs: int) -> None:
    """Write the TSV whole to a temporary file, then move it into place (never a half-written table)."""

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="\n") as fh:
            fh.write("\n".join(header) + "\n")
            fh.write("term\tdf\tidf\n")
            for term, d in rows:
                fh.write(f"{term}\t{d}\t{smoothed_idf(d, n_docs):.6f}\n")

    atomic_write(out, write)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=SHARED_CORPORA_DIR)
    ap.add_argument("--out", type=Path, default=RESOURCES_DIR / "reference_idf.tsv")
    ap.add_argument("--min-df", type=int, default=2)
    ap.add_argument("--n-jobs", type=int, default=2)
    args = ap.parse_args(argv)

    texts, described, corpus_sha = read_background(args.corpora)
    tokenizer = get_default_tokenizer()
    tokens = tokenizer.tokenize_corpus(texts, n_jobs=args.n_jobs, progress=True)
    rows = document_frequencies(tokens, min_df=args.min_df)
    n_docs = len(texts)
    header = [
        "# Reference IDF for helpers.keywords (built by scripts/build_reference_idf.py; do not edit by hand)",
        f"# n_documents: {n_docs}",
        f"# min_df: {args.min_df}",
        f"# tokenizer_fingerprint: {tokenizer.fingerprint}",
        f"# corpus_sha256: {corpus_sha}",
        "# idf: ln((1 + n_documents) / (1 + df)) + 1 (smoothed, as scikit-learn's TfidfVectorizer)",
        *[f"# source: {d}" for d in described],
    ]
    write_table(args.out, rows, header, n_docs)
    print(f"{args.out}: {len(rows)} terms from {n_docs} documents")


if __name__ == "__main__":
    main()
