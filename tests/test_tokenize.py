"""The project tokenizer: term integrity on real text, general segmentation, cache and parallelism."""

import re
import sys

import pytest

from helpers import load_corpus, tokenize, tokenize_corpus
from helpers.paths import DATA_DIR, SEEDS_DIR, SHARED_CORPORA_DIR
from helpers.tokenize import Tokenizer, TokenizerSettings, _TokenCache

# Fixed policy expressions to check (the dictionary itself is mined from text, not from this list)
TERMS = [
    "脱贫攻坚",
    "两不愁三保障",
    "精准扶贫",
    "驻村工作队",
    "挂牌督战",
    "乡村振兴",
    "深度贫困",
    "易地扶贫搬迁",
    "产业扶贫",
    "建档立卡",
    "第一书记",
    "贫困发生率",
    "精准脱贫",
    "东西部扶贫协作",
    "全面建成小康社会",
    "消费扶贫",
    "扶贫开发",
    "贫困人口",
    "贫困户",
    "全面小康",
]


def _integrity(texts, tk):
    whole = total = 0
    for text in texts:
        raw = list(tk.jieba.cut(text))
        spans, pos = set(), 0
        for t in raw:
            spans.add((pos, pos + len(t)))
            pos += len(t)
        starts = {s for s, _ in spans}
        ends = {e for _, e in spans}
        for term in TERMS:
            for m in re.finditer(term, text):
                total += 1
                # whole: no token boundary inside the expression
                whole += not any(m.start() < b < m.end() for b in starts | ends)
    return whole / max(total, 1), total


@pytest.fixture(scope="module")
def tk():
    return Tokenizer()


def test_terms_whole_on_seeds(tk):
    docs = load_corpus(SEEDS_DIR)
    share, total = _integrity(docs["text"], tk)
    assert total > 100 and share >= 0.95, (share, total)


def test_terms_whole_on_poverty_news(tk):
    docs = load_corpus(DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl")
    share, total = _integrity(docs["text"], tk)
    assert total > 300 and share >= 0.90, (share, total)


def test_jieba_default_splits_them():
    import jieba

    docs = load_corpus(SEEDS_DIR)
    plain = jieba.Tokenizer()
    whole = sum(t in TERMS for text in docs["text"] for t in plain.lcut(text))
    assert whole < 0.5 * sum(text.count(t) for text in docs["text"] for t in ["脱贫攻坚", "精准扶贫"])


def test_examples():
    assert tokenize("坚决打赢脱贫攻坚战，确保两不愁三保障") == [
        "坚决",
        "打赢",
        "脱贫攻坚",
        "战",
        "确保",
        "两不愁三保障",
    ]
    assert tokenize("驻村工作队挂牌督战") == ["驻村工作队", "挂牌督战"]


def test_no_stopwords_punctuation_numbers_or_giant_tokens():
    docs = load_corpus(SEEDS_DIR)
    toks = [t for text in docs["text"] for t in tokenize(text)]
    assert not {"的", "了", "和", "，", "。", "“", " "} & set(toks)
    assert not any(re.fullmatch(r"[\d.%]+", t) for t in toks)
    assert max(len(t) for t in toks) <= 8
    mean = sum(map(len, toks)) / len(toks)
    assert 1.8 <= mean <= 3.2, mean


def test_numbers_and_pos():
    assert Tokenizer(numbers="keep")("2020年实现精准扶贫") == ["2020", "实现", "精准扶贫"]
    assert Tokenizer(numbers="token")("828户2006人") == ["<NUM>", "<NUM>"]
    nouns = Tokenizer(pos=("n",))("驻村工作队帮助贫困户发展产业")
    assert "帮助" not in nouns and "贫困户" in nouns


def test_general_segmentation_not_damaged():
    """SIGHAN 2005 PKU test set: word F1 of our tokenizer's raw segmentation vs jieba's default."""
    gold_path = SHARED_CORPORA_DIR / "sighan_pku" / "pku_test_gold.utf8"
    if not gold_path.exists():
        pytest.skip("../shared/corpora not present")
    import jieba

    gold = [ln.split() for ln in gold_path.read_text(encoding="utf-8").splitlines()[:600] if ln.strip()]

    def f1(cut):
        tp = np_ = ng = 0
        for words in gold:
            sent = "".join(words)

            def spans(ws):
                out, p = set(), 0
                for w in ws:
                    out.add((p, p + len(w)))
                    p += len(w)
                return out

            g, s = spans(words), spans([w for w in cut(sent) if w])
            tp += len(g & s)
            np_ += len(s)
            ng += len(g)
        p, r = tp / np_, tp / ng
        return 2 * p * r / (p + r)

    base = f1(jieba.Tokenizer().lcut)
    ours = f1(Tokenizer().jieba.lcut)
    assert ours >= base - 0.02, (ours, base)


def test_tokenize_corpus_same_as_tokenize_parallel_and_cached(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules["helpers.tokenize"], "CACHE_DIR", tmp_path)
    docs = load_corpus(DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl")
    texts = docs["text"].tolist()[:120]
    tk = Tokenizer()
    expected = [tk.tokenize(t) for t in texts]
    assert tk.tokenize_corpus(texts, n_jobs=2, cache=False) == expected
    assert tk.tokenize_corpus(texts, n_jobs=1, cache=True) == expected
    store = _TokenCache(tk.fingerprint)
    assert len(store.get_many({__import__("hashlib").blake2b(texts[0].encode(), digest_size=16).hexdigest()})) == 1
    store.close()
    assert tk.tokenize_corpus(texts, n_jobs=1, cache=True) == expected  # read back from the cache


def test_cache_invalidated_when_dictionary_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules["helpers.tokenize"], "CACHE_DIR", tmp_path)
    d1 = tmp_path / "d1.txt"
    d1.write_text("精准扶贫 1000 nz\n", encoding="utf-8")
    tk1 = Tokenizer(TokenizerSettings(user_dict=d1))
    text = "贫困村里的扶贫车间开工了"
    first = tk1.tokenize_corpus([text], n_jobs=1)
    d2 = tmp_path / "d2.txt"
    d2.write_text("精准扶贫 1000 nz\n扶贫车间 100000 nz\n", encoding="utf-8")
    tk2 = Tokenizer(TokenizerSettings(user_dict=d2))
    assert tk1.fingerprint != tk2.fingerprint
    second = tk2.tokenize_corpus([text], n_jobs=1)
    assert "扶贫车间" in second[0] and "扶贫车间" not in first[0]
    # editing the same file in place also changes the fingerprint
    d1.write_text("精准扶贫 1000 nz\n扶贫车间 100000 nz\n", encoding="utf-8")
    assert Tokenizer(TokenizerSettings(user_dict=d1)).fingerprint != tk1.fingerprint
    assert len(list((tmp_path / "tokens").glob("*.sqlite"))) == 2
    assert (tmp_path / "jieba").is_dir()  # jieba's own cache file lives in the project cache, not /tmp


def test_module_functions():
    assert tokenize_corpus(["精准扶贫", "挂牌督战"], n_jobs=1, cache=False) == [["精准扶贫"], ["挂牌督战"]]
    with pytest.raises(TypeError):
        tokenize(None)  # type: ignore[arg-type]
