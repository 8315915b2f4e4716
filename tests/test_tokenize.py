"""The project tokenizer: term integrity on real text, general segmentation, cache and parallelism."""

import hashlib
import marshal
import pickle
import re
import sqlite3
import sys

import jieba
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


def _integrity(texts, tk, terms=TERMS):
    whole = total = 0
    for text in texts:
        raw = list(tk.jieba.cut(text))
        spans, pos = set(), 0
        for t in raw:
            spans.add((pos, pos + len(t)))
            pos += len(t)
        starts = {s for s, _ in spans}
        ends = {e for _, e in spans}
        for term in terms:
            for m in re.finditer(re.escape(term), text):
                total += 1
                # whole: no token boundary inside the expression
                whole += not any(m.start() < b < m.end() for b in starts | ends)
    return whole / max(total, 1), total


@pytest.fixture(scope="module")
def tk():
    return Tokenizer()


def test_terms_whole_on_seeds(tk):
    docs = load_corpus(SEEDS_DIR).docs
    share, total = _integrity(docs["text"], tk)
    assert total > 100 and share >= 0.95, (share, total)


def test_terms_whole_on_poverty_news(tk):
    docs = load_corpus(DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl").docs
    share, total = _integrity(docs["text"], tk)
    assert total > 300 and share >= 0.90, (share, total)


def test_jieba_default_splits_them():
    import jieba

    docs = load_corpus(SEEDS_DIR).docs
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
    docs = load_corpus(SEEDS_DIR).docs
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


def _force_pool(monkeypatch):
    """Make :func:`choose_processes` start a pool for any input (to test the workers, not the choice)."""
    monkeypatch.setattr(sys.modules["helpers.tokenize"], "PARALLEL_MIN_CHARS_PER_PROCESS", 1)
    monkeypatch.setattr(sys.modules["helpers.tokenize"], "free_cores", lambda: (2, 0.0))


def test_tokenize_corpus_same_as_tokenize_parallel_and_cached(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules["helpers.tokenize"], "CACHE_DIR", tmp_path)
    _force_pool(monkeypatch)
    docs = load_corpus(DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl").docs
    texts = docs["text"].tolist()[:120]
    tk = Tokenizer()
    expected = [tk.tokenize(t) for t in texts]
    assert tk.tokenize_corpus(texts, n_jobs=2, cache=False) == expected
    assert tk.last_processes[0] == 2
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
    assert not (tmp_path / "jieba").exists()  # no jieba marshal cache is written anywhere


def test_module_functions():
    assert tokenize_corpus(["精准扶贫", "挂牌督战"], n_jobs=1, cache=False) == [["精准扶贫"], ["挂牌督战"]]
    with pytest.raises(TypeError):
        tokenize(None)  # type: ignore[arg-type]


# -- issue 11: caches data only, self-healing, never stale; comment lines never words ---------------------------
MOD = sys.modules["helpers.tokenize"]


def _xwlb_texts(n):
    texts = load_corpus(DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl").docs["text"].tolist()[:n]
    assert len(set(texts)) == n
    return texts


def _count_calls(monkeypatch, tk, fail_at=None, on_fail=None):
    """Replace ``tk.tokenize`` (what the serial path calls) by a counting wrapper; optionally fail on call N."""
    real = type(tk).tokenize.__get__(tk)
    calls = []

    def counting(text, **kw):
        calls.append(text)
        if fail_at is not None and len(calls) == fail_at:
            if on_fail is not None:
                on_fail()
            raise RuntimeError("worker crashed")
        return real(text, **kw)

    monkeypatch.setattr(tk, "tokenize", counting)
    return calls


def test_no_comment_or_blank_line_becomes_a_word(tmp_path):
    tk = Tokenizer()
    assert [w for w in tk.jieba.FREQ if w.startswith("#")] == []
    comments = {
        line.strip().lower()
        for path in tk.settings.stopword_files
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    }
    assert len(comments) >= 3 and not comments & tk.stopwords
    assert all(w.strip() for w in tk.stopwords)
    d = tmp_path / "user.txt"
    d.write_text("# 扶贫车间 is a comment, not a word\n\n   \n扶贫车间 100000 nz\n", encoding="utf-8")
    tk2 = Tokenizer(user_dict=d)
    assert tk2.jieba.FREQ["扶贫车间"] == 100000
    assert not [w for w in tk2.jieba.FREQ if w.startswith("#") or not w.strip()]
    tk2.jieba.load_userdict(str(d))  # also at run time
    assert not [w for w in tk2.jieba.FREQ if w.startswith("#")]


def test_no_cache_file_is_unmarshalled_or_unpickled(tmp_path, monkeypatch):
    """A planted jieba cache (marshal) in the cache folder is never read; no jieba cache file is written."""
    monkeypatch.setattr(MOD, "CACHE_DIR", tmp_path)
    monkeypatch.setattr(MOD, "_PREFIX_DICTS", {}, raising=False)  # build jieba's dictionary afresh
    planted = tmp_path / "jieba" / f"jieba.{jieba.__version__}.default.cache"
    planted.parent.mkdir()
    planted.write_bytes(marshal.dumps(({"坚": 1}, 1)))
    loads = []
    for mod, name in ((marshal, "load"), (marshal, "loads"), (pickle, "load"), (pickle, "loads")):
        real = getattr(mod, name)
        monkeypatch.setattr(mod, name, lambda *a, _real=real, _n=name, **k: (loads.append(_n), _real(*a, **k))[1])
    tk = Tokenizer()
    texts = ["坚决打赢脱贫攻坚战，确保两不愁三保障"]
    assert tk.tokenize_corpus(texts, n_jobs=1) == [["坚决", "打赢", "脱贫攻坚", "战", "确保", "两不愁三保障"]]
    assert tk.tokenize_corpus(texts, n_jobs=1) == [["坚决", "打赢", "脱贫攻坚", "战", "确保", "两不愁三保障"]]
    assert loads == []
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert [p for p in written if not p.startswith("tokens/")] == [planted.relative_to(tmp_path).as_posix()]


def _damage(path, how):
    if how == "garbage":
        path.write_bytes(b"this is not a database \x00\x01\x02" * 300)
    elif how == "truncated":
        data = path.read_bytes()
        assert len(data) > 8192
        path.write_bytes(data[: len(data) // 2])
    elif how == "wrong_schema":
        path.unlink()
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE tokens (text_hash TEXT, payload BLOB, created REAL)")
        db.close()
    elif how == "non_text_rows":
        db = sqlite3.connect(path)
        with db:
            db.execute("UPDATE tokens SET toks = X'80034b012e'")  # bytes (a pickle) where text belongs
        db.close()


@pytest.mark.parametrize("how", ["garbage", "truncated", "wrong_schema", "non_text_rows"])
def test_damaged_token_cache_is_rebuilt_with_a_warning(tmp_path, monkeypatch, how):
    monkeypatch.setattr(MOD, "CACHE_DIR", tmp_path)
    texts = _xwlb_texts(60)
    tk = Tokenizer()
    expected = [tk.tokenize(t) for t in texts]
    assert tk.tokenize_corpus(texts, n_jobs=1) == expected
    path = tmp_path / "tokens" / f"{tk.fingerprint}.sqlite"
    assert path.is_file() and not path.with_name(path.name + "-wal").exists()
    _damage(path, how)
    with pytest.warns(UserWarning) as record:
        assert tk.tokenize_corpus(texts, n_jobs=1) == expected
    messages = [str(w.message) for w in record if "token cache" in str(w.message)]
    assert len(messages) == 1 and str(path) in messages[0] and "\n" not in messages[0], messages
    calls = _count_calls(monkeypatch, tk)
    assert tk.tokenize_corpus(texts, n_jobs=1) == expected  # the rebuilt cache serves every text
    assert calls == []


def test_runtime_dictionary_changes_change_the_fingerprint(tmp_path, monkeypatch):
    monkeypatch.setattr(MOD, "CACHE_DIR", tmp_path)
    monkeypatch.setattr(jieba.finalseg, "Force_Split_Words", set())  # del_word adds to this global set
    text = load_corpus(SEEDS_DIR).docs["text"].iloc[0]
    tk = Tokenizer()
    first = tk.tokenize_corpus([text], n_jobs=1)[0]
    # a new word: two adjacent content tokens of the text, joined (not a word of the dictionary)
    raw = list(tk.jieba.cut(text))
    new = next(
        a + b
        for a, b in zip(raw, raw[1:])
        if re.fullmatch(r"[\u4e00-\u9fff]{2,}", a)
        and re.fullmatch(r"[\u4e00-\u9fff]{2,}", b)
        and a in first
        and b in first
        and not tk.jieba.FREQ.get(a + b)
    )
    assert new not in first
    fp0 = tk.fingerprint
    tk.jieba.add_word(new, 10**6)
    assert tk.fingerprint != fp0
    second = tk.tokenize_corpus([text], n_jobs=1)[0]
    assert new in second and second == tk.tokenize(text)
    # del_word and load_userdict are covered too
    tk.jieba.del_word(new)
    assert tk.tokenize_corpus([text], n_jobs=1)[0] == first
    d = tmp_path / "more.txt"
    d.write_text(f"{new} 1000000 nz\n", encoding="utf-8")
    tk.jieba.load_userdict(str(d))
    assert new in tk.tokenize_corpus([text], n_jobs=1)[0]
    # a fresh tokenizer (as in a spawned worker) replays the changes and reaches the same fingerprint
    monkeypatch.setattr(MOD, "_WORKER", None)
    MOD._worker_init(tk.settings, tk.fingerprint, list(tk.jieba.edits), None, sorted(jieba.finalseg.Force_Split_Words))
    assert MOD._WORKER is not tk and MOD._WORKER.fingerprint == tk.fingerprint
    assert MOD._worker_tokenize(text) == tk.tokenize(text)
    # forked workers use the changed dictionary as well
    _force_pool(monkeypatch)
    texts = [text, *_xwlb_texts(99)]
    assert tk.tokenize_corpus(texts, n_jobs=2, cache=False) == [tk.tokenize(t) for t in texts]
    assert tk.last_processes[0] == 2
    # a change behind jieba's methods cannot be fingerprinted: the cache is bypassed, with a warning
    tk.jieba.FREQ[new + new] = 10**6
    with pytest.warns(UserWarning, match="without the cache"):
        assert tk.tokenize_corpus([text], n_jobs=1)[0] == tk.tokenize(text)


def test_interrupted_tokenising_keeps_finished_work(tmp_path, monkeypatch):
    monkeypatch.setattr(MOD, "CACHE_DIR", tmp_path)
    monkeypatch.setattr(MOD, "_COMMIT_EVERY", 20, raising=False)
    monkeypatch.setattr(MOD, "_COMMIT_SECONDS", 1e9, raising=False)
    texts = _xwlb_texts(120)
    tk = Tokenizer()
    expected = [tk.tokenize(t) for t in texts]
    path = tmp_path / "tokens" / f"{tk.fingerprint}.sqlite"
    committed = []

    def look():  # what another process sees while the run is going
        db = sqlite3.connect(path)
        committed.append(db.execute("SELECT count(*) FROM tokens").fetchone()[0])
        db.close()

    _count_calls(monkeypatch, tk, fail_at=71, on_fail=look)
    with pytest.raises(RuntimeError, match="worker crashed"):
        tk.tokenize_corpus(texts, n_jobs=1)
    assert committed == [60]  # committed in batches of 20 while running
    calls = _count_calls(monkeypatch, tk)
    assert tk.tokenize_corpus(texts, n_jobs=1) == expected
    assert len(calls) == 50  # the rerun only tokenises what the first run had not finished
    keys = {hashlib.blake2b(t.encode(), digest_size=16).hexdigest() for t in calls}
    assert keys == {hashlib.blake2b(t.encode(), digest_size=16).hexdigest() for t in texts[70:]}


def test_baselines_read_no_jieba_cache_file(tmp_path, monkeypatch, seeds_dir):
    """The plain-jieba baselines of notebooks 02–04 never unmarshal jieba's dictionary cache (planted or not)."""
    from helpers import keywords
    from helpers.validation.similarity import baseline_tfidf_neighbours
    from helpers.validation.topics import baseline_lda_labels

    monkeypatch.setattr(MOD, "_PREFIX_DICTS", {}, raising=False)
    monkeypatch.setattr(jieba.dt, "tmp_dir", str(tmp_path), raising=False)  # where the global tokenizer would look
    monkeypatch.setattr("helpers.paths.CACHE_DIR", tmp_path)  # where the baselines used to keep jieba's cache
    for planted in (
        tmp_path / "jieba.cache",
        tmp_path / "jieba" / "jieba.cache",
        tmp_path / "jieba" / f"jieba.{jieba.__version__}.default.cache",
    ):
        planted.parent.mkdir(exist_ok=True)
        planted.write_bytes(marshal.dumps(({"坚": 1}, 1)))
    loads = []

    def recording(real, name):
        def load(*a, **k):
            caller = sys._getframe(1).f_code.co_filename
            if "importlib" not in caller:  # Python itself unmarshals .pyc files when a module is imported
                loads.append(f"{name} from {caller}")
            return real(*a, **k)

        return load

    for mod, name in ((marshal, "load"), (marshal, "loads"), (pickle, "load"), (pickle, "loads")):
        monkeypatch.setattr(mod, name, recording(getattr(mod, name), name))
    texts = [p.read_text(encoding="utf-8")[:1500] for p in sorted(seeds_dir.glob("*.txt"))]
    per_doc, _ = keywords.keywords_jieba(texts, top_k=5)
    assert all(len(kw) == 5 for kw in per_doc)
    assert len(baseline_tfidf_neighbours(texts, k=2)) > 0
    assert len(baseline_lda_labels(texts, num_topics=2)) == len(texts)
    assert loads == []


# -- issue 15: the compiled engine, user terms, the choice of processes ----------------------------------------
#: share of documents that must be token-identical on the compiled and the jieba path (issue 15's target)
MIN_IDENTICAL_DOCS = 0.99
#: documents of each real-text slice in the agreement test (a slice keeps the jieba path's run short)
AGREEMENT_DOCS = 150


def _agreement_texts():
    texts = []
    for name in ("xwlb_poverty_sample", "cnews_sample"):
        docs = load_corpus(DATA_DIR / name / f"{name}.jsonl", cache=False).docs
        texts += docs["text"].tolist()[:AGREEMENT_DOCS]
    return texts + load_corpus(SEEDS_DIR).docs["text"].tolist()


def _differences(expected, got):
    import difflib

    sm = difflib.SequenceMatcher(a=expected, b=got, autojunk=False)
    return [(expected[i1:i2], got[j1:j2]) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal"]


@pytest.mark.parametrize("hmm", [True, False])
def test_compiled_engine_agrees_with_jieba_on_news(hmm):
    pytest.importorskip("rjieba")
    texts = _agreement_texts()
    fast, ref = Tokenizer(hmm=hmm), Tokenizer(hmm=hmm, engine="jieba")
    assert (fast.engine, fast.engine_note, ref.engine) == ("rjieba", None, "jieba")
    diffs = {}
    for i, text in enumerate(texts):
        got, expected = fast.tokenize(text), ref.tokenize(text)
        if got != expected:
            diffs[i] = _differences(expected, got)[:3]
    share = 1 - len(diffs) / len(texts)
    assert share >= MIN_IDENTICAL_DOCS, f"{share:.2%} of {len(texts)} documents identical; differences: {diffs}"
    assert fast.fingerprint != ref.fingerprint  # the engine is part of the cache key


def test_compiled_engine_falls_back_to_jieba_with_a_warning(monkeypatch):
    pytest.importorskip("rjieba")
    working = Tokenizer().fingerprint
    monkeypatch.setitem(sys.modules, "rjieba", None)  # import rjieba raises ImportError
    with pytest.warns(UserWarning, match="rjieba cannot be imported"):
        tk = Tokenizer()
    assert tk.engine == "jieba" and "cannot be imported" in tk.engine_note
    assert tk.fingerprint != working  # the fallback is recorded in the cache key
    assert tk("坚决打赢脱贫攻坚战") == ["坚决", "打赢", "脱贫攻坚", "战"]


def test_part_of_speech_stays_on_jieba():
    tk = Tokenizer(pos=("n",))
    assert tk.engine == "jieba" and "part-of-speech" in tk.engine_note
    assert Tokenizer().tokenize("驻村工作队帮助贫困户", pos=("n",)) == tk("驻村工作队帮助贫困户")


def test_runtime_words_reach_the_compiled_engine(monkeypatch):
    pytest.importorskip("rjieba")
    monkeypatch.setattr(jieba.finalseg, "Force_Split_Words", set())
    text = _xwlb_texts(1)[0]
    fast, ref = Tokenizer(), Tokenizer(engine="jieba")
    first = fast(text)
    raw = list(ref.jieba.cut(text))
    new = next(a + b for a, b in zip(raw, raw[1:]) if a in first and b in first and not ref.jieba.FREQ.get(a + b))
    fp = fast.fingerprint
    for tk in (fast, ref):
        tk.jieba.add_word(new, 10**6)
    assert fast.engine == "rjieba" and fast.fingerprint != fp
    assert new in fast(text) and fast(text) == ref(text)
    fast.jieba.del_word(new)  # a forced split in jieba's HMM: rjieba cannot follow, the jieba path takes over
    assert fast.engine == "jieba" and "del_word" in fast.engine_note and new not in fast(text)


def test_changed_stopwords_reach_the_memo():
    tk = Tokenizer()
    assert "脱贫攻坚" in tk("坚决打赢脱贫攻坚战")
    tk.stopwords = tk.stopwords | {"脱贫攻坚"}
    assert tk("坚决打赢脱贫攻坚战") == ["坚决", "打赢", "战"]


def _new_terms(texts, tk, n):
    """``n`` joins of two adjacent content tokens of real text that are not words of the dictionary."""
    found = []
    for text in texts:
        toks = tk(text)
        for a, b in zip(toks, toks[1:]):
            term = a + b
            if len(term) >= 4 and a + b in text and not tk.jieba.FREQ.get(term) and term not in found:
                found.append(term)
    return found[:: max(1, len(found) // n)][:n]


def test_user_terms_stay_whole_and_invalidate_the_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(MOD, "CACHE_DIR", tmp_path)
    texts = _xwlb_texts(80)
    terms = _new_terms(texts, Tokenizer(), 21)
    assert len(terms) == 21
    path = tmp_path / "terms.txt"
    lines = ["\ufeff# terms of my corpus", "", *terms[:-2], f"{terms[-2]} 5000"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tk = Tokenizer(user_terms=[path])
    before = tk.tokenize_corpus(texts, n_jobs=1)
    found = [t for toks in before for t in toks if t in terms]
    assert set(found) == set(terms[:-1]), set(terms[:-1]) - set(found)
    share, total = _integrity(texts, tk, terms[:-1])
    assert total >= 20 and share >= 0.95, (share, total)
    assert not any(terms[-1] in toks for toks in before)
    with path.open("a", encoding="utf-8") as fh:  # one more term: the fingerprint and the tokens change
        fh.write(f"{terms[-1].upper()}\n")
    tk2 = Tokenizer(user_terms=str(path))
    assert tk2.fingerprint != tk.fingerprint and tk2.engine == tk.engine
    after = tk2.tokenize_corpus(texts, n_jobs=1)
    assert after != before and any(terms[-1] in toks for toks in after)
    assert Tokenizer(user_terms=[path], engine="jieba").tokenize_corpus(texts[:20], cache=False) == after[:20]
    with pytest.raises(FileNotFoundError, match="no-such-terms.txt"):
        Tokenizer(user_terms=[tmp_path / "no-such-terms.txt"])


def test_choose_processes():
    from helpers.tokenize import PARALLEL_MIN_CHARS_PER_PROCESS as per
    from helpers.tokenize import choose_processes

    quiet = {"cores": 8, "load": 0.5}
    assert choose_processes(per - 1, n_jobs=None, **quiet)[0] == 1  # too little text: serial
    assert choose_processes(3 * per, n_jobs=None, **quiet)[0] == 3  # one process per share of text
    assert choose_processes(100 * per, n_jobs=None, **quiet)[0] == 8
    assert choose_processes(100 * per, n_jobs=2, **quiet)[0] == 2  # the caller's bound
    assert choose_processes(100 * per, n_jobs=0, **quiet)[0] == 8  # 0 or None: no bound
    assert choose_processes(100 * per, n_jobs=None, cores=8, load=6.0)[0] == 3  # 5 cores taken by other work
    assert choose_processes(100 * per, n_jobs=None, cores=2, load=2.0)[0] == 1
    assert choose_processes(100 * per, n_jobs=None, cores=2, load=20.0)[0] == 1
    n, why = choose_processes(100 * per, n_jobs=4, cores=2, load=1.0)
    assert n == 2 and "2 of 2 cores free" in why and "n_jobs=4" in why


def test_small_corpus_is_tokenised_serially(monkeypatch):
    monkeypatch.setattr(MOD, "free_cores", lambda: (8, 0.0))
    tk = Tokenizer()
    texts = _xwlb_texts(30)
    assert tk.tokenize_corpus(texts, n_jobs=8, cache=False) == [tk(t) for t in texts]
    assert tk.last_processes[0] == 1 and "characters" in tk.last_processes[1]


def test_parallel_cleaning_builds_the_repair_tables_once_before_forking(monkeypatch, caplog):
    """load_corpus chooses its processes like tokenize_corpus, and forked workers inherit the mojibake tables."""
    import logging

    from helpers import corpus, mojibake

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))]
    assert mojibake.prepare_repair_tables(texts[:1] + texts[4:]) is False  # no damaged annotation: nothing built
    monkeypatch.setattr(MOD, "free_cores", lambda: (2, 0.0))
    with caplog.at_level(logging.INFO, logger="helpers.corpus"):
        serial = load_corpus(SEEDS_DIR, n_jobs=2, cache=False).docs  # too little text for a pool
        assert "cleaning 5 texts: 1 process:" in caplog.text
        mojibake._char_bigrams.cache_clear()
        monkeypatch.setattr(corpus, "CLEAN_MIN_CHARS_PER_PROCESS", 1)
        parallel = load_corpus(SEEDS_DIR, n_jobs=2, cache=False).docs
        assert "cleaning 5 texts: 2 processes:" in caplog.text
    assert mojibake._char_bigrams.cache_info().currsize == 1  # built in this process, before the fork
    assert parallel[["text", "title"]].equals(serial[["text", "title"]])
    assert "吹响决胜冲锋号" in parallel["title"].iloc[3]  # the workers repaired the mojibake with them


@pytest.mark.benchmark
def test_engine_benchmark_runs(tmp_path, monkeypatch, capsys):
    """benchmarks/bench_tokenize.py compares the three paths at a tiny size (no timing is asserted)."""
    from helpers.paths import PROJECT_ROOT

    monkeypatch.syspath_prepend(str(PROJECT_ROOT))  # benchmarks/ is not part of the installed package
    from benchmarks import bench_tokenize, workload

    monkeypatch.setenv("TUOPIN_BENCH_DIR", str(tmp_path / "workloads"))
    monkeypatch.setattr(workload, "WORK_DIR", tmp_path / "workloads")
    monkeypatch.setattr(workload, "RESULTS_DIR", tmp_path / "results")
    [row] = bench_tokenize.run_engines([30])
    assert "plain jieba (same dictionary)" in capsys.readouterr().out
    assert row["rounds"] >= bench_tokenize.MIN_ROUNDS and row["identical_docs"] >= MIN_IDENTICAL_DOCS
    assert all(row[f"{p}_best_MBps"] >= row[f"{p}_median_MBps"] > 0 for p in ("plain_jieba", "ours_rjieba"))
    assert (tmp_path / "results" / "tokenize_engines.csv").is_file()


def test_no_progress_bar_off_a_terminal(monkeypatch, capsys):
    """A notebook (papermill, Jupyter) writes stderr into the page: a long run draws its bar only on a terminal."""
    import io
    import json

    rows = (DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl").read_text(encoding="utf-8").splitlines()
    sentences = [s for r in rows for s in re.split(r"(?<=。)", json.loads(r)["text"]) if len(s) > 10]
    texts = list(dict.fromkeys(sentences))[:2100]  # distinct: the bar counts the texts tokenised
    assert len(texts) == 2100  # more than PROGRESS_MIN_ITEMS: the length that drew a bar on a page of notebook 04
    tokenize_corpus(texts, n_jobs=1, cache=False)
    assert "tokenising" not in capsys.readouterr().err  # pytest's stderr, like a kernel's, is not a terminal

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())
    tokenize_corpus(texts[:2001], n_jobs=1, cache=False)
    assert "tokenising" in sys.stderr.getvalue() and "2001/2001" in sys.stderr.getvalue()
