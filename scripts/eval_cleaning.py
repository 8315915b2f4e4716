"""Measure the cleaner on news pages built from real stories with page templates it was not written for.

Bodies come from CCTV 新闻联播 stories (cleaned HTML paragraphs); each page wraps one body in a site template
(plain text or HTML, some converted to Traditional characters) with titles, datelines, bylines, editor and
disclaimer lines, agency lead-ins, captions, navigation and hot lists. The score is character F1 between the cleaned
text and the known body (whitespace ignored), per page; we report the mean and the share of pages at 0.97 or
better.

The pages and the score are :mod:`helpers.validation.cleaning` (shared with tests/test_clean.py).

Run: ``python scripts/eval_cleaning.py [N]`` (reads data/xwlb_poverty_sample, or ../shared when present).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers.clean import clean_document, opencc_converter  # noqa: E402
from helpers.validation.cleaning import char_f1, make_page, story_bodies  # noqa: E402


def main(n: int = 200) -> None:
    s2t = opencc_converter("s2t")
    rng = random.Random(1)
    scores = []
    worst = []
    for title, paras in story_bodies(n):
        page, gold = make_page(title, paras, rng)
        if rng.random() < 0.3:
            page = s2t.convert(page)
        pred = clean_document(page).text
        f = char_f1(pred, gold)
        scores.append(f)
        worst.append((f, page, pred, gold))
    mean = sum(scores) / len(scores)
    share = sum(s >= 0.97 for s in scores) / len(scores)
    print(f"pages: {len(scores)}  mean char F1: {mean:.4f}  share >= 0.97: {share:.3f}")
    worst.sort(key=lambda x: x[0])
    for f, _page, pred, gold in worst[:3]:
        print(f"--- F1 {f:.3f}")
        g = set(gold.split("\n"))
        p = set(pred.split("\n"))
        print("  extra:", [x[:50] for x in p - g][:6])
        print("  missing:", [x[:50] for x in g - p][:6])


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
