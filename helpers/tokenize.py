"""Tokenising Chinese text with the project's own jieba tokenizer.

The project never uses jieba's global tokenizer: :class:`Tokenizer` wraps a private ``jieba.Tokenizer`` loaded
with a domain dictionary (``resources/domain_dict.txt``, mined from real news text by
``scripts/build_domain_dict.py``) so that fixed policy expressions such as 脱贫攻坚 or 两不愁三保障 stay whole. Its
jieba cache file lives under the project's cache folder.

:func:`tokenize_corpus` runs the same tokenizer over many texts in parallel processes and caches the result on
disk, keyed by the hash of each text and a fingerprint of every setting that shapes the tokens.

>>> tokenize("坚决打赢脱贫攻坚战，确保两不愁三保障全面实现")[:4]
['坚决', '打赢', '脱贫攻坚', '战']
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jieba
import jieba.posseg

from .paths import CACHE_DIR, RESOURCES_DIR

__all__ = [
    "Tokenizer",
    "TokenizerSettings",
    "get_default_tokenizer",
    "set_default_tokenizer",
    "tokenize",
    "tokenize_corpus",
    "DOMAIN_DICT_PATH",
    "STOPWORD_PATHS",
]

jieba.setLogLevel(logging.WARNING)

DOMAIN_DICT_PATH: Path = RESOURCES_DIR / "domain_dict.txt"
STOPWORD_PATHS: tuple[Path, ...] = (RESOURCES_DIR / "stopwords_zh.txt", RESOURCES_DIR / "stopwords_extra.txt")

#: bump when the filtering logic of :meth:`Tokenizer.tokenize` changes (part of the cache key)
TOKENIZER_LOGIC_VERSION = "1"

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAS_WORD_CHAR = re.compile(rf"[{_CJK}A-Za-z0-9]")
_NUMBERLIKE = re.compile(r"^[+-]?(\d+([.,:/]\d+)*|[零〇一二三四五六七八九十百千万亿两]+)[%‰％]?$")
_NUMBER_WITH_UNIT = re.compile(r"^\d+([.,]\d+)*[%‰]?[年月日号时分秒岁个名位户人次项元万亿多余倍米亩吨公里公斤千克]*$")
_SPACE = re.compile(r"\s+")


def _read_wordlist(paths: Iterable[Path]) -> frozenset[str]:
    words: set[str] = set()
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                words.add(unicodedata.normalize("NFKC", line).lower())
    return frozenset(words)


def _file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


@dataclass(frozen=True)
class TokenizerSettings:
    """Everything that shapes the tokens; part of the cache key.

    Parameters
    ----------
    user_dict : path of a jieba user dictionary (``word freq pos`` per line), or ``None`` for none.
    stopword_files : stopword lists (one word a line, ``#`` comments).
    numbers : ``"drop"`` (default) removes numbers and number+unit tokens (2017年, 10.2%), ``"keep"`` keeps
        them, ``"token"`` replaces each with ``"<NUM>"``.
    pos : keep only tokens whose jieba part-of-speech tag starts with one of these prefixes (e.g.
        ``("n", "v", "a")``); ``None`` keeps every part of speech (faster: no tagging).
    min_len, max_len : token length bounds in characters; longer tokens (URLs, runs of Latin text) are dropped.
    hmm : let jieba's HMM join unknown characters into new words.
    extra_stopwords : more stopwords for this tokenizer only.
    """

    user_dict: Path | None = DOMAIN_DICT_PATH
    stopword_files: tuple[Path, ...] = STOPWORD_PATHS
    numbers: str = "drop"
    pos: tuple[str, ...] | None = None
    min_len: int = 1
    max_len: int = 16
    hmm: bool = True
    extra_stopwords: tuple[str, ...] = field(default_factory=tuple)

    def fingerprint(self) -> str:
        """A hash of the settings, the content of the dictionary and stopword files, and library versions."""
        parts = {
            "user_dict": _file_hash(self.user_dict) if self.user_dict else None,
            "stopwords": [_file_hash(p) for p in self.stopword_files],
            "numbers": self.numbers,
            "pos": list(self.pos) if self.pos else None,
            "min_len": self.min_len,
            "max_len": self.max_len,
            "hmm": self.hmm,
            "extra_stopwords": sorted(self.extra_stopwords),
            "jieba": importlib.metadata.version("jieba"),
            "logic": TOKENIZER_LOGIC_VERSION,
        }
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:20]


class Tokenizer:
    """The project's tokenizer: a private ``jieba.Tokenizer`` with the domain dictionary and stopwords.

    Parameters
    ----------
    settings : a :class:`TokenizerSettings`; keyword arguments override its fields.

    Examples
    --------
    >>> tk = Tokenizer(numbers="keep")
    >>> tk("2020年实现精准扶贫")
    ['2020', '实现', '精准扶贫']
    >>> tk.tokenize("驻村工作队挂牌督战", pos=("n",))  # doctest: +SKIP
    ['驻村工作队']
    """

    def __init__(self, settings: TokenizerSettings | None = None, **overrides: object) -> None:
        settings = settings or TokenizerSettings()
        if overrides:
            fields = {**settings.__dict__, **overrides}
            for key in ("stopword_files", "extra_stopwords", "pos"):
                if fields.get(key) is not None and not isinstance(fields[key], tuple):
                    fields[key] = tuple(fields[key])  # type: ignore[arg-type]
            settings = TokenizerSettings(**fields)  # type: ignore[arg-type]
        if settings.numbers not in {"drop", "keep", "token"}:
            raise ValueError(f"numbers must be 'drop', 'keep' or 'token', not {settings.numbers!r}")
        if settings.user_dict is not None and not Path(settings.user_dict).is_file():
            raise FileNotFoundError(f"{settings.user_dict}: user dictionary not found")
        self.settings = settings
        self.fingerprint = settings.fingerprint()
        self.stopwords = _read_wordlist(settings.stopword_files) | frozenset(settings.extra_stopwords)
        self._jieba: jieba.Tokenizer | None = None
        self._posseg: jieba.posseg.POSTokenizer | None = None

    # -- jieba set-up, lazy so that constructing a Tokenizer is cheap -------------------------------------------
    @property
    def jieba(self) -> jieba.Tokenizer:
        """The underlying ``jieba.Tokenizer`` (initialised on first use, cache file in the project cache)."""
        if self._jieba is None:
            cache = CACHE_DIR / "jieba"
            cache.mkdir(parents=True, exist_ok=True)
            tk = jieba.Tokenizer()
            tk.tmp_dir = str(cache)
            tk.cache_file = f"jieba.{importlib.metadata.version('jieba')}.default.cache"
            tk.initialize()
            if self.settings.user_dict is not None:
                tk.load_userdict(str(self.settings.user_dict))
            self._jieba = tk
        return self._jieba

    def _raw_tokens(self, text: str, pos: tuple[str, ...] | None) -> Iterable[tuple[str, str | None]]:
        if pos:
            if self._posseg is None:
                self._posseg = jieba.posseg.POSTokenizer(self.jieba)
            for pair in self._posseg.cut(text, HMM=self.settings.hmm):
                yield pair.word, pair.flag
        else:
            for word in self.jieba.cut(text, HMM=self.settings.hmm):
                yield word, None

    def is_content(self, word: str) -> bool:
        """Would :meth:`tokenize` keep this segment as a token (not punctuation, stopword, number, too long)?

        >>> tk = Tokenizer()
        >>> tk.is_content("脱贫攻坚"), tk.is_content("的"), tk.is_content("2020")
        (True, False, False)
        """
        word = word.strip()
        if not word or not _HAS_WORD_CHAR.search(word):
            return False
        if self.settings.numbers != "keep" and (_NUMBERLIKE.match(word) or _NUMBER_WITH_UNIT.match(word)):
            return False  # dropped, or replaced by <NUM>: not a content word either way
        return word not in self.stopwords and self.settings.min_len <= len(word) <= self.settings.max_len

    def tokenize(self, text: str, *, pos: Sequence[str] | None = None) -> list[str]:
        """Content tokens of ``text``: no stopwords, punctuation or whitespace; numbers as configured.

        Latin letters are lower-cased and full-width forms normalised (NFKC) first.
        """
        if not isinstance(text, str):
            raise TypeError(f"tokenize expects a str, got {type(text).__name__}")
        pos_filter = tuple(pos) if pos is not None else self.settings.pos
        s = self.settings
        text = unicodedata.normalize("NFKC", text).lower()
        out: list[str] = []
        for word, flag in self._raw_tokens(text, pos_filter):
            word = word.strip()
            if not word or not _HAS_WORD_CHAR.search(word):
                continue  # whitespace and punctuation
            if _NUMBERLIKE.match(word) or _NUMBER_WITH_UNIT.match(word):
                if s.numbers == "drop":
                    continue
                if s.numbers == "token":
                    out.append("<NUM>")
                    continue
            if word in self.stopwords:
                continue
            if not (s.min_len <= len(word) <= s.max_len):
                continue
            if pos_filter and flag is not None and not flag.startswith(pos_filter):
                continue
            out.append(word)
        return out

    __call__ = tokenize

    def tokenize_corpus(
        self,
        texts: Iterable[str],
        *,
        n_jobs: int | None = None,
        cache: bool = True,
        progress: bool | None = None,
        chunksize: int | None = None,
    ) -> list[list[str]]:
        """Tokens for each text, exactly as :meth:`tokenize` gives them; parallel and cached.

        Parameters
        ----------
        texts : the texts (any iterable; it is read once).
        n_jobs : worker processes; ``None`` uses every core, ``1`` runs in this process.
        cache : read and write the on-disk token cache (``<cache>/tokens/<fingerprint>.sqlite``).
        progress : show a progress bar; ``None`` shows one for more than 2,000 texts.
        """
        texts = list(texts)
        for i, t in enumerate(texts):
            if not isinstance(t, str):
                raise TypeError(f"text {i}: expected str, got {type(t).__name__}")
        show = progress if progress is not None else len(texts) > 2000
        keys = [hashlib.blake2b(t.encode("utf-8"), digest_size=16).hexdigest() for t in texts]
        results: list[list[str] | None] = [None] * len(texts)
        store = _TokenCache(self.fingerprint) if cache else None
        if store is not None:
            found = store.get_many(set(keys))
            for i, k in enumerate(keys):
                if k in found:
                    results[i] = found[k]
        todo = {}
        for i, k in enumerate(keys):
            if results[i] is None:
                todo.setdefault(k, i)  # identical texts are tokenised once
        todo_idx = list(todo.values())
        if todo_idx:
            computed = self._compute([texts[i] for i in todo_idx], n_jobs=n_jobs, progress=show, chunksize=chunksize)
            by_key = {keys[i]: toks for i, toks in zip(todo_idx, computed)}
            for i, k in enumerate(keys):
                if results[i] is None:
                    results[i] = by_key[k]
            if store is not None:
                store.put_many(by_key.items())
        if store is not None:
            store.close()
        return results  # type: ignore[return-value]

    def _compute(
        self, texts: list[str], *, n_jobs: int | None, progress: bool, chunksize: int | None
    ) -> list[list[str]]:
        from tqdm import tqdm

        n_jobs = os.cpu_count() or 1 if n_jobs is None or n_jobs < 1 else n_jobs
        n_jobs = min(n_jobs, max(1, len(texts) // 50))  # tiny inputs are not worth a process pool
        bar = tqdm(total=len(texts), desc="tokenising", unit="doc", disable=not progress)
        try:
            if n_jobs <= 1:
                out = []
                for t in texts:
                    out.append(self.tokenize(t))
                    bar.update(1)
                return out
            import multiprocessing as mp

            self.jieba  # noqa: B018 - initialise before forking so that workers inherit the loaded dictionary
            method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
            ctx = mp.get_context(method)
            chunksize = chunksize or max(1, min(500, len(texts) // (n_jobs * 8) or 1))
            with ctx.Pool(n_jobs, initializer=_worker_init, initargs=(self.settings,)) as pool:
                out = []
                for toks in pool.imap(_worker_tokenize, texts, chunksize=chunksize):
                    out.append(toks)
                    bar.update(1)
                return out
        finally:
            bar.close()


# -- worker-process plumbing -----------------------------------------------------------------------------------
_WORKER: Tokenizer | None = None


def _worker_init(settings: TokenizerSettings) -> None:
    global _WORKER
    default = _DEFAULT
    if default is not None and default.settings == settings and default._jieba is not None:
        _WORKER = default  # inherited through fork, dictionary already loaded
    else:
        _WORKER = Tokenizer(settings)


def _worker_tokenize(text: str) -> list[str]:
    assert _WORKER is not None
    return _WORKER.tokenize(text)


class _TokenCache:
    """Tokens on disk in SQLite, one table per tokenizer fingerprint."""

    def __init__(self, fingerprint: str) -> None:
        folder = CACHE_DIR / "tokens"
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{fingerprint}.sqlite"
        self.db = sqlite3.connect(self.path, timeout=60)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS tokens (key TEXT PRIMARY KEY, toks TEXT NOT NULL)")

    def get_many(self, keys: set[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        if not keys:
            return found
        keys_list = list(keys)
        for start in range(0, len(keys_list), 900):
            batch = keys_list[start : start + 900]
            marks = ",".join("?" * len(batch))
            for k, toks in self.db.execute(f"SELECT key, toks FROM tokens WHERE key IN ({marks})", batch):
                found[k] = toks.split("\x1f") if toks else []
        return found

    def put_many(self, items: Iterable[tuple[str, list[str]]]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO tokens VALUES (?, ?)", (((k, "\x1f".join(v)) for k, v in items))
            )

    def close(self) -> None:
        self.db.close()


# -- module-level convenience ----------------------------------------------------------------------------------
_DEFAULT: Tokenizer | None = None


def get_default_tokenizer() -> Tokenizer:
    """The module-level default :class:`Tokenizer` (domain dictionary, project stopwords, numbers dropped)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Tokenizer()
    return _DEFAULT


def set_default_tokenizer(tokenizer: Tokenizer) -> None:
    """Replace the module-level default tokenizer (used by :func:`tokenize` and :func:`tokenize_corpus`)."""
    global _DEFAULT
    _DEFAULT = tokenizer


def tokenize(text: str, *, pos: Sequence[str] | None = None, tokenizer: Tokenizer | None = None) -> list[str]:
    """Content tokens of ``text`` with the project's tokenizer (see :meth:`Tokenizer.tokenize`).

    >>> tokenize("驻村工作队帮助贫困户")
    ['驻村工作队', '帮助', '贫困户']
    """
    return (tokenizer or get_default_tokenizer()).tokenize(text, pos=pos)


def tokenize_corpus(
    texts: Iterable[str],
    *,
    n_jobs: int | None = None,
    cache: bool = True,
    progress: bool | None = None,
    tokenizer: Tokenizer | None = None,
) -> list[list[str]]:
    """Tokens for each text, the same as :func:`tokenize`, computed in parallel and cached on disk.

    >>> tokenize_corpus(["精准扶贫", "挂牌督战"], n_jobs=1, cache=False)
    [['精准扶贫'], ['挂牌督战']]
    """
    return (tokenizer or get_default_tokenizer()).tokenize_corpus(texts, n_jobs=n_jobs, cache=cache, progress=progress)
