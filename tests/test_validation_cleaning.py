"""helpers.validation.cleaning: the synthetic site pages and the character F1 of scripts/eval_cleaning.py."""

from __future__ import annotations

import random

from helpers.clean import clean_document
from helpers.validation.cleaning import NAMES, SITES, char_f1, make_page, story_bodies


def test_story_bodies_are_real_multi_paragraph_stories():
    stories = story_bodies(20, seed=2)
    assert len(stories) == 20
    for title, paras in stories:
        assert title and len(paras) >= 2 and sum(map(len, paras)) > 150
        assert not any("<" in p or p.startswith("央视网消息") for p in paras)
    assert story_bodies(5, seed=2) == stories[:5]  # shuffled by the seed, deterministically


def test_pages_wrap_the_known_body_in_templates_with_names_and_sites():
    title, paras = story_bodies(1, seed=0)[0]
    rng = random.Random(0)
    pages = [make_page(title, paras, rng) for _ in range(60)]
    html_pages = [p for p, _ in pages if p.lstrip().startswith("<")]
    assert 0 < len(html_pages) < len(pages)  # plain-text and HTML templates both drawn
    for page, body in pages:
        # the last paragraph is in the known body, and the template adds text around it
        assert paras[-1] in body and len(page) > len(body)
    with_names = [p for p, _ in pages if any(n in p for n in NAMES) or any(s in p for s in SITES)]
    assert len(with_names) >= 0.8 * len(pages)  # bylines, editor and source lines
    plain = [(p, b) for p, b in pages if not p.lstrip().startswith(("<", "---"))]
    assert all(b.split("\n")[-1][:20] in p for p, b in plain)
    assert [make_page(title, paras, random.Random(5)) for _ in range(2)] == [
        make_page(title, paras, random.Random(5)) for _ in range(2)
    ]


def test_char_f1_ignores_whitespace_and_scores_missing_and_extra_text():
    assert char_f1("第一段。\n第二段。", "第一段。 第二段。") == 1.0
    assert round(char_f1("第一段。", "第一段。第二段。"), 3) == 0.667  # recall 1/2, precision 1
    assert char_f1("", "") == 1.0 and char_f1("", "正文") == 0.0 and char_f1("甲乙", "丙丁") == 0.0


def test_cleaner_beats_the_raw_page_on_the_material():
    rng = random.Random(11)
    pairs = [make_page(t, p, rng) for t, p in story_bodies(30, seed=5)]
    raw = sum(char_f1(page, body) for page, body in pairs) / len(pairs)
    cleaned = sum(char_f1(clean_document(page).text, body) for page, body in pairs) / len(pairs)
    assert cleaned > 0.97 and cleaned > raw + 0.05
