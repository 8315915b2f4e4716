"""Terms of the corpus at hand (helpers.terms) and how tokenize_corpus keeps them whole.

Measured on the CCTV poverty stories of 2019-01..06 (the development half of data/segmentation_heldout) with the
dictionary mined before 2019, which does not know 主题教育, the campaign of mid-2019.
"""

import importlib

import pytest

from helpers import load_corpus
from helpers.paths import DATA_DIR
from helpers.terms import find_corpus_terms
from helpers.tokenize import Tokenizer, corpus_tokenizer, tokenize_corpus

HELDOUT = DATA_DIR / "segmentation_heldout"


@pytest.fixture(scope="module")
def held_tk():
    return Tokenizer(user_dict=HELDOUT / "domain_dict_heldout.txt")


@pytest.fixture(scope="module")
def dev_texts():
    docs = load_corpus(HELDOUT / "xwlb_poverty_2019.jsonl").docs
    return list(docs.text[docs.date < "2019-07-01"])


@pytest.fixture(scope="module")
def found(dev_texts, held_tk):
    return find_corpus_terms(dev_texts, tokenizer=held_tk)


def test_finds_the_new_campaign_and_not_phrases(found, held_tk):
    terms = {t.term: t for t in found}
    assert "主题教育" in terms and "主题教育" not in held_tk.tokenize("开展主题教育")
    assert terms["主题教育"].count >= 5 and terms["主题教育"].documents >= 2
    for phrase in ("深入学习", "抓好落实", "会议认为", "文章指出", "经济工作"):  # verb phrases, speech, generic
        assert phrase not in terms
    assert all(3 <= len(t.term) <= 7 and t.pmi >= 3 for t in found)
    assert [t.count for t in found] == sorted((t.count for t in found), reverse=True)


def test_same_texts_same_terms(found, dev_texts, held_tk):
    assert [t.term for t in find_corpus_terms(list(dev_texts), tokenizer=held_tk)] == [t.term for t in found]


def test_tokenize_corpus_keeps_corpus_terms_whole(dev_texts, held_tk, tmp_path, monkeypatch):
    monkeypatch.setattr(importlib.import_module("helpers.tokenize"), "CACHE_DIR", tmp_path)
    with_terms = corpus_tokenizer(dev_texts, tokenizer=held_tk)
    assert with_terms.fingerprint != held_tk.fingerprint  # the terms are part of the token-cache key
    assert list((tmp_path / "terms").glob("*.json"))  # found once, remembered for the rerun
    assert corpus_tokenizer(dev_texts, tokenizer=held_tk).settings == with_terms.settings
    story = next(t for t in dev_texts if "主题教育" in t)
    tokens = tokenize_corpus([story, *dev_texts], tokenizer=held_tk, corpus_terms=True, n_jobs=1)[0]
    assert "主题教育" in tokens
    assert tokenize_corpus([story], tokenizer=held_tk, n_jobs=1, cache=False)[0] == held_tk.tokenize(story)


def test_names_only_hmm_keeps_names_whole():
    names, plain, full = Tokenizer(), Tokenizer(hmm=False), Tokenizer(hmm=True)
    for name in ("黄坤明", "许达哲", "周强"):  # not in the dictionaries: jieba's HMM joins them
        sentence = f"部长{name}来到扶贫车间"
        assert name not in plain.segments(sentence)
        assert name in names.segments(sentence) and name in full.segments(sentence)
    assert names.segments("高的") == ["高", "的"]  # no stopword inside a name
    with pytest.raises(ValueError, match="hmm"):
        Tokenizer(hmm="always")


def test_terms_found_summary_names_the_cap_and_the_sample_only_when_they_apply(dev_texts):
    """R7: "200 terms found in this corpus" hid that 200 is MAX_TERMS and that a 2.17 M-character corpus was
    sampled. Real stories, repeated past MAX_SAMPLE_CHARS, stand for a large corpus."""
    from helpers.terms import MAX_SAMPLE_CHARS, MAX_TERMS, sample_texts, terms_found_summary

    small = terms_found_summary(dev_texts, 17)
    assert small == "17 terms found in this corpus:"  # no cap reached, every text read
    large = dev_texts * (MAX_SAMPLE_CHARS // sum(map(len, dev_texts)) + 1)
    sample = sample_texts(large)
    said = terms_found_summary(large, MAX_TERMS)
    assert said.startswith(f"{MAX_TERMS} terms found in this corpus, the cap (at most {MAX_TERMS}")
    assert f"every 2nd document, {len(sample):,} of {len(large):,} ({sum(map(len, sample)):,} of " in said
    assert terms_found_summary(large, 0).endswith("characters).") and "cap" not in terms_found_summary(large, 0)
