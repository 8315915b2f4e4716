"""Tuning of notebook 03's topic recipe on the tuning split of the xwlb sections (never the held-out split).

Rebuilds the tuning split from ``../shared/corpora/xwlb_general`` as ``data/xwlb_sections_heldout/SOURCE.md``
describes, and prints NMI(dominant topic, section) over seeds for each variant, and on ``data/cnews_sample``.

Run: ``nice -n 5 .venv/bin/python -m benchmarks.tune_topics [neighbours ...]`` (default: 0 and\n:data:`helpers.topics.NEIGHBOURS_ADDED`).
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import topics as tp
from helpers.corpus import load_corpus
from helpers.paths import DATA_DIR
from helpers.tokenize import corpus_tokenizer, tokenize_corpus
from helpers.validation.topics import nmi

STORIES = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "xwlb_general" / "stories.jsonl"
SECTIONS, SPLIT_SEED = 8, 15


def tuning_split() -> list[dict]:
    """The tuning half of the one-section stories of the eight most frequent sections (see SOURCE.md)."""
    rows = [json.loads(line) for line in STORIES.open(encoding="utf-8")]
    single = [r for r in rows if len(r.get("labels") or []) == 1]
    counts = Counter(r["labels"][0] for r in single).most_common(SECTIONS)
    rng = random.Random(SPLIT_SEED)
    heldout, tuning = [], []
    for section, _ in counts:
        group = sorted((r for r in single if r["labels"][0] == section), key=lambda r: r["id"])
        rng.shuffle(group)
        half = len(group) // 2
        heldout += [dict(r, label=section) for r in group[:half]]
        tuning += [dict(r, label=section) for r in group[half:]]
    shipped = {json.loads(x)["id"] for x in (DATA_DIR / "xwlb_sections_heldout" / "xwlb_sections_heldout.jsonl").open()}
    assert {r["id"] for r in heldout} == shipped, "the split does not reproduce the shipped held-out ids"
    return sorted(tuning, key=lambda r: (r["date"], r["id"]))


def xwlb_inputs(rows: list[dict]):
    """Documents loaded and tokenised as notebook 03's validation section does."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tuning.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        docs = load_corpus(path, errors="report").docs
    tk = corpus_tokenizer(docs.text.tolist())
    tokens, titles = (
        tokenize_corpus(c.fillna("").tolist(), tokenizer=tk, n_jobs=1, progress=False) for c in (docs.text, docs.title)
    )
    return docs, tokens, titles, docs.label.astype(str).tolist()


def cnews_inputs():
    docs = pd.read_json(DATA_DIR / "cnews_sample" / "cnews_sample.jsonl", lines=True, dtype={"id": str})
    return docs, tokenize_corpus(docs.text.tolist(), n_jobs=1, progress=False), None, docs.label.tolist()


def run(name: str, inputs, k: int, seeds, neighbours: int) -> np.ndarray:
    """NMI of the dominant topic per seed with ``neighbours`` neighbours' counts added (0: none); one line printed."""
    docs, tokens, titles, labels = inputs
    dictionary, _ = tp.build_dictionary(tokens)
    bow = tp.bow_corpus(tokens, dictionary, titles=titles, max_count=tp.MAX_TERM_COUNT)
    if neighbours:
        units = docs.assign(title=docs["title"] if "title" in docs else "")
        bow = tp.add_neighbours(bow, tp.document_neighbours(units, k=neighbours))
    start = time.perf_counter()
    scores, bounds = [], []
    for seed in seeds:
        model = tp.fit_lda(bow, dictionary, num_topics=k, random_state=seed)
        scores.append(nmi(labels, tp.doc_topic_matrix(model, bow, random_state=seed).argmax(axis=1)))
        bounds.append(tp.per_word_bound(model, bow))
    s = np.array(scores)
    kept = s[int(np.argmax(bounds[:3]))]
    print(
        f"{name:28s} mean {s.mean():.3f} sd {s.std():.3f} min {s.min():.3f} max {s.max():.3f} kept(seeds 0-2) "
        f"{kept:.3f}  {time.perf_counter() - start:.0f}s",
        flush=True,
    )
    return s


if __name__ == "__main__":
    counts = [int(a) for a in sys.argv[1:]] or [0, tp.NEIGHBOURS_ADDED]
    xwlb, cnews = xwlb_inputs(tuning_split()), cnews_inputs()
    for n in counts:
        run(f"xwlb tuning, neighbours {n}", xwlb, SECTIONS, range(10), n)
        run(f"cnews, neighbours {n}", cnews, 10, range(3), n)
