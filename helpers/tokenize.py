"""Tokenising Chinese text with the project's own jieba tokenizer.

The project never uses jieba's global tokenizer: :class:`Tokenizer` wraps a private ``jieba.Tokenizer`` loaded
with a domain dictionary (``resources/domain_dict.txt``, mined from real news text by
``scripts/build_domain_dict.py``) so that fixed policy expressions such as 脱贫攻坚 or 两不愁三保障 stay whole. jieba's
own marshal file cache is never read or written: the prefix dictionary is built from jieba's ``dict.txt`` in each
process (about 2 s, once per process), so no file in a cache folder is ever unmarshalled or unpickled.

Plain tokenising (no part-of-speech filter) runs on a compiled engine, ``rjieba`` (Python bindings of jieba-rs),
loaded with exactly the same dictionary: jieba's own ``dict.txt``, the domain dictionary, the user terms
(``TokenizerSettings(user_terms=...)``) and every word added at run time. Its segmentation is brought to jieba's
where the two differ (Latin/number runs such as ``2016-2020`` or ``www.example.com``), and the tests check that
at least 99 % of real news documents get identical tokens from both engines. Part-of-speech filtering, forced
splits (``del_word``) and a dictionary changed behind jieba's methods use the jieba path, which stays the reference
and the fallback (also when ``rjieba`` cannot be imported, with a warning). :attr:`Tokenizer.engine` says which
engine a tokenizer uses and why; it is part of the cache key.

:func:`tokenize_corpus` runs the same tokenizer over many texts in parallel processes and caches the result on
disk in SQLite (data only), keyed by the hash of each text and a fingerprint of everything that shapes the tokens:
settings, dictionary and stopword files, and words added at run time (``add_word``, ``load_userdict``,
``del_word``, ``suggest_freq(..., tune=True)``). Results are committed in batches, so an interrupted run keeps
what it finished; a damaged cache file is deleted and rebuilt with a warning.

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
import sys
import threading
import time
import unicodedata
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import jieba
import jieba.finalseg
import jieba.posseg

from .paths import CACHE_DIR, RESOURCES_DIR, atomic_write

LOG = logging.getLogger(__name__)

__all__ = [
    "Tokenizer",
    "TokenizerSettings",
    "baseline_jieba",
    "choose_processes",
    "corpus_tokenizer",
    "free_cores",
    "get_default_tokenizer",
    "show_progress",
    "set_default_tokenizer",
    "split_sentences",
    "tokenize",
    "tokenize_corpus",
    "DOMAIN_DICT_PATH",
    "STOPWORD_PATHS",
]

jieba.setLogLevel(logging.WARNING)

DOMAIN_DICT_PATH: Path = RESOURCES_DIR / "domain_dict.txt"
STOPWORD_PATHS: tuple[Path, ...] = (RESOURCES_DIR / "stopwords_zh.txt", RESOURCES_DIR / "stopwords_extra.txt")

#: bump when the filtering logic of :meth:`Tokenizer.tokenize` changes (part of the cache key)
TOKENIZER_LOGIC_VERSION = "2"  # 2: comment lines of user dictionaries are no longer loaded as words

#: the tokenising engines: jieba (pure Python, the reference) and rjieba (jieba-rs, compiled)
ENGINES = ("jieba", "rjieba")
#: a user term without a frequency that is new to the dictionary gets at least this count: about the frequency
#: of common two-character words in jieba's dictionary (车间 617, 扶贫 717), enough for a listed term to stay whole
#: in running text (tests/test_tokenize.py checks it on news text); a known word keeps its higher count
USER_TERM_MIN_FREQ = 1000
#: ``hmm="names"`` (the default): jieba's HMM joins unknown single characters into a word only from one of these
#: surnames on (about a hundred of the most common, as in the published national rankings), so names stay whole
#: (刘永富) while other runs of unknown characters stay single characters. The full HMM also glues fragments of
#: ordinary text together: on the 1,330 SIGHAN 2005 PKU test sentences outside data/segmentation_heldout's sample
#: (the tuning split; ``Tokenizer.segments``), word F1 0.813 with the full HMM, 0.830 names-only, 0.831 without
#: HMM; jieba's default 0.818
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
    "石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
#: a name joined by ``hmm="names"`` has this many characters (surname and a given name of one or two)
NAME_CHARS = (2, 3)
#: distinct raw segments whose filtering result is remembered; past this the memo is emptied (bounds memory)
_MEMO_MAX = 500_000
#: a worker process pays for itself only above this many characters of text per process. Measured with CPU
#: accounting on the compiled engine (3,000 workload documents, 1.47 M characters): 0.8-0.9 CPU-s in one process;
#: with two workers 1.0 CPU-s in the workers plus 0.15 CPU-s in the parent receiving the tokens, plus starting the
#: pool, so two processes break even near 0.5 M characters; twice that leaves a margin for a busy machine
PARALLEL_MIN_CHARS_PER_PROCESS = 1_000_000

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAS_WORD_CHAR = re.compile(rf"[{_CJK}A-Za-z0-9]")
_LONE_CJK = re.compile(rf"[{_CJK}]")
_NUMBERLIKE = re.compile(r"^[+-]?(\d+([.,:/]\d+)*|[零〇一二三四五六七八九十百千万亿两]+)[%‰％]?$")
_NUMBER_WITH_UNIT = re.compile(r"^\d+([.,]\d+)*[%‰]?[年月日号时分秒岁个名位户人次项元万亿多余倍米亩吨公里公斤千克]*$")
# jieba's HMM stage (jieba.finalseg) splits Latin/number runs outside its dictionary with these two patterns;
# jieba-rs keeps such runs whole, so its segments are split again the same way (see _CompiledJieba)
_FINALSEG_HAN = re.compile("[\u4e00-\u9fd5]")
_FINALSEG_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")

#: where a sentence ends: after 。！？!?；; (the mark kept), at a line break, after a full stop followed by a space,
#: and after a full stop ``.``/``．`` written between Chinese characters (or a closing bracket before, an opening one
#: after): 900 of the 1,000 CSL abstracts end sentences with ``.`` glued to the next sentence (review R10a), while a
#: decimal (3.5), a version (v1.2) or a Latin abbreviation keeps its point
_SENTENCE_END = re.compile(
    rf"(?<=[。！？!?；;])|\n|(?<=[.．])(?=\s)|(?<=[{_CJK}）)\]”’」』][.．])(?=[{_CJK}（(“‘「『])"
)
#: the marks :func:`split_sentences` takes off a sentence's end with ``keep_ends=False``
_SENTENCE_MARKS = "。！？!?；;.．"


def split_sentences(text: str, *, keep_ends: bool = True) -> list[str]:
    r"""The sentences of a text, stripped, empty ones left out: the one sentence splitter of the project.

    A sentence ends after 。！？!?；;, at a line break, and after a full stop (``.`` or ``．``) followed by a space or
    written between Chinese characters, as many abstracts and web texts write it; a decimal point is no end.

    Parameters
    ----------
    text : str
        The text.
    keep_ends : bool
        Keep each sentence's closing mark (default); ``False`` strips closing marks.

    Returns
    -------
    list of str

    Examples
    --------
    >>> split_sentences("迭代次数减少了3.5倍.仿真结果表明,方法有效。结论\n标题")
    ['迭代次数减少了3.5倍.', '仿真结果表明,方法有效。', '结论', '标题']
    >>> split_sentences("第一句。第二句！", keep_ends=False)
    ['第一句', '第二句']
    """
    parts = (p.strip() for p in _SENTENCE_END.split(text or ""))
    if not keep_ends:
        parts = (p.rstrip(_SENTENCE_MARKS).strip() for p in parts)
    return [p for p in parts if p]


#: the token cache commits every this many documents, or every this many seconds, whichever comes first
_COMMIT_EVERY = 500
_COMMIT_SECONDS = 5.0


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _read_wordlist(paths: Iterable[Path]) -> frozenset[str]:
    words: set[str] = set()
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                words.add(unicodedata.normalize("NFKC", line).lower())
    return frozenset(words)


def _normalize(text: str) -> str:
    """Texts are tokenised in NFKC form (full-width letters and digits as ASCII), in lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def _file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def read_user_terms(paths: Iterable[Path | str]) -> list[tuple[str, int | None, str | None]]:
    """The terms of user-term files: ``(term, freq or None, tag or None)`` in file order.

    A file holds one term a line, optionally followed by a frequency and a part-of-speech tag as in a jieba user
    dictionary (``扶贫车间 2000 n``). Blank lines and lines starting with ``#`` are ignored, a byte-order mark is
    tolerated, and terms are normalised as texts are before tokenising (NFKC, lower case).

    Raises
    ------
    FileNotFoundError, ValueError : a file is missing or not UTF-8 (naming the file and line).
    """
    terms: list[tuple[str, int | None, str | None]] = []
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"{path}: user-term file not found (user_terms lists files, one term a line)")
        for lineno, raw in enumerate(path.read_bytes().splitlines(), 1):
            try:
                line = raw.decode("utf-8").lstrip("\ufeff").strip()
            except UnicodeDecodeError as err:
                raise ValueError(f"{path}:{lineno}: user terms must be UTF-8 ({err})") from None
            if not line or line.startswith("#"):
                continue
            word, freq, tag = jieba.re_userdict.match(line).groups()  # type: ignore[union-attr]
            word = unicodedata.normalize("NFKC", word.strip()).lower()
            terms.append((word, int(freq) if freq else None, tag.strip() if tag else None))
    return terms


# -- jieba without its marshal cache, recording run-time dictionary changes ------------------------------------
_PREFIX_DICTS: dict[tuple[str | None, int, int], tuple[dict[str, int], int]] = {}
_PREFIX_LOCK = threading.Lock()


def _prefix_dict(dictionary: str | None) -> tuple[dict[str, int], int]:
    """jieba's prefix dictionary (``FREQ``, ``total``) for a main dictionary file (``None``: jieba's own).

    Built from the text file with ``jieba.Tokenizer.gen_pfdict`` and kept in memory for the life of the process
    (keyed by path, size and modification time), never in a file: jieba's own cache is a ``marshal`` dump in a
    shared folder, and nothing the project reads is unmarshalled. The caller must copy the dictionary before
    changing it.
    """
    if dictionary is None:
        key: tuple[str | None, int, int] = (None, 0, 0)
    else:
        st = os.stat(dictionary)
        key = (dictionary, st.st_size, st.st_mtime_ns)
    with _PREFIX_LOCK:
        if key not in _PREFIX_DICTS:
            probe = jieba.Tokenizer(dictionary)
            _PREFIX_DICTS.clear()  # one main dictionary at a time is the common case; bound the memory
            _PREFIX_DICTS[key] = probe.gen_pfdict(probe.get_dict_file())
        return _PREFIX_DICTS[key]


class _ProjectJieba(jieba.Tokenizer):
    """A ``jieba.Tokenizer`` that never uses jieba's file cache and records every change to its dictionary.

    - :meth:`initialize` builds the prefix dictionary from the dictionary text (see :func:`_prefix_dict`) instead
      of loading or writing jieba's ``marshal`` cache file.
    - :meth:`load_userdict` skips blank lines and ``#`` comment lines (jieba loads them as words).
    - :meth:`add_word` (which ``load_userdict``, ``del_word`` and ``suggest_freq(..., tune=True)`` go through)
      and a change of main dictionary are logged in :attr:`edits`, so that the token-cache fingerprint covers
      them and worker processes can replay them.
    """

    def __init__(self, dictionary: str | None = jieba.DEFAULT_DICT) -> None:
        super().__init__(dictionary)
        self.edits: list[tuple[Any, ...]] = []
        #: every change since construction (``edits`` restarts at :meth:`mark_baseline`): the compiled engine
        #: replays it to hold the same dictionary
        self.history: list[tuple[Any, ...]] = []
        self._edit_digest = hashlib.sha256()
        self._state: tuple[int, int] = (0, 0)

    # jieba's signature: initialize(self, dictionary=None)
    def initialize(self, dictionary: str | None = None) -> None:
        if dictionary:
            abs_path = os.path.normpath(os.path.join(os.getcwd(), dictionary))
            if self.dictionary == abs_path and self.initialized:
                return
            self.dictionary = abs_path
            self.initialized = False
        with self.lock:
            if self.initialized:
                return
            freq, total = _prefix_dict(self.dictionary)
            self.FREQ, self.total = dict(freq), total
            self.initialized = True
            if self.dictionary is not None:
                self._log(("dictionary", self.dictionary, _file_hash(Path(self.dictionary))))
            self._state = (len(self.FREQ), self.total)

    def add_word(self, word: str, freq: int | str | None = None, tag: str | None = None) -> None:
        self.check_initialized()
        word = jieba.strdecode(word)
        freq = int(freq) if freq is not None else self.suggest_freq(word, False)
        super().add_word(word, freq, tag)
        self._log(("word", word, freq, tag))

    def load_userdict(self, f: Any) -> None:
        """Load a jieba user dictionary (``word [freq] [tag]`` a line); blank and ``#`` lines are skipped."""
        self.check_initialized()
        if isinstance(f, (str, os.PathLike)):
            name = str(f)
            with open(f, "rb") as fh:
                lines = fh.read().splitlines()
        else:
            name = jieba.resolve_filename(f)
            lines = list(f)
        for lineno, raw in enumerate(lines, 1):
            if isinstance(raw, bytes):
                try:
                    raw = raw.decode("utf-8")
                except UnicodeDecodeError as err:
                    raise ValueError(f"{name}:{lineno}: user dictionary must be UTF-8 ({err})") from None
            line = raw.lstrip("\ufeff").strip()
            if not line or line.startswith("#"):
                continue
            word, freq, tag = jieba.re_userdict.match(line).groups()  # type: ignore[union-attr]
            self.add_word(word, freq.strip() if freq else None, tag.strip() if tag else None)

    def _log(self, entry: tuple[Any, ...]) -> None:
        self.edits.append(entry)
        self.history.append(entry)
        self._edit_digest.update(json.dumps(entry, ensure_ascii=False).encode("utf-8"))
        self._state = (len(self.FREQ), self.total)

    def mark_baseline(self) -> None:
        """Forget the changes made so far (the ones the settings fingerprint already covers)."""
        self.edits = []
        self._edit_digest = hashlib.sha256()
        self._state = (len(self.FREQ), self.total)

    def edit_digest(self) -> str | None:
        """A hash of the changes since :meth:`mark_baseline`, or ``None`` when there were none."""
        return self._edit_digest.hexdigest()[:20] if self.edits else None

    def changed_unrecorded(self) -> bool:
        """Was ``FREQ``/``total`` changed other than through the logged methods (e.g. ``FREQ[w] = n``)?"""
        return self.initialized and (len(self.FREQ), self.total) != self._state

    def replay(self, edits: Iterable[tuple[Any, ...]]) -> None:
        """Apply changes logged by another instance (in a worker process)."""
        for entry in edits:
            if entry[0] == "dictionary":
                self.set_dictionary(entry[1])
                self.initialize()
            else:
                self.add_word(entry[1], entry[2], entry[3])


def _import_rjieba() -> Any:
    """The ``rjieba`` module, or ``None`` with a warning when it cannot be imported."""
    try:
        import rjieba
    except ImportError as err:
        warnings.warn(f"rjieba cannot be imported ({err}); tokenising with jieba (slower, same tokens)", stacklevel=3)
        return None
    return rjieba


class _SegmentMemo(dict):
    """What the token filter keeps of each raw segment, computed on first sight (``memo[segment]``).

    ``split`` breaks a segment into jieba's pieces first (:meth:`_CompiledJieba.split_like_jieba`) or is ``None``;
    ``pieces[segment]`` remembers its result. Looking up a known segment stays in C
    (``map(memo.__getitem__, segments)``); only new ones call Python.
    """

    def __init__(self, keep: Any, split: Any) -> None:
        super().__init__()
        self.keep = keep
        self.split = split
        self.pieces = _Pieces(split) if split is not None else None

    def __missing__(self, segment: str) -> tuple[str, ...]:
        pieces = self.split(segment) if self.split is not None else (segment,)
        kept = self[segment] = tuple(t for piece in pieces for t in self.keep(piece))
        return kept


class _Pieces(dict):
    """jieba's pieces of each raw segment of the compiled engine, computed on first sight (``pieces[segment]``)."""

    def __init__(self, split: Any) -> None:
        super().__init__()
        self.split = split

    def __missing__(self, segment: str) -> list[str]:
        pieces = self[segment] = self.split(segment)
        return pieces


class _CompiledJieba:
    """jieba-rs (``rjieba``) holding the same dictionary as a :class:`_ProjectJieba`, cutting as jieba does.

    The main dictionary file is loaded line by line with ``add_word`` (word, count, tag: exactly jieba's counts),
    then every change in the source's :attr:`_ProjectJieba.history` is replayed with the count jieba computed,
    so run-time ``add_word``/``load_userdict``/``suggest_freq(..., tune=True)`` reach this engine too
    (:meth:`sync`, called before each text). jieba-rs keeps runs of Latin letters, digits and ``.-_`` whole where
    jieba's HMM stage splits them (``2016-2020``, ``www.gov.cn``): :meth:`split_like_jieba` splits such
    non-dictionary segments with jieba's own pattern.
    """

    def __init__(self, rjieba: Any, source: _ProjectJieba) -> None:
        self._rjieba = rjieba
        self.source = source
        self.engine: Any = None
        self.applied = 0  # entries of source.history applied so far
        self.zero_freq = False  # a word was given count 0 (jieba then defers to its HMM: use the jieba path)

    def sync(self) -> bool:
        """Bring the engine up to date with the source's dictionary; ``True`` if anything changed."""
        history = self.source.history
        if self.engine is not None and self.applied == len(history):
            return False
        last_dict = max((i for i, e in enumerate(history) if e[0] == "dictionary"), default=-1)
        if self.engine is None or last_dict >= self.applied:
            self.engine = self._load_main_dictionary()
            self.applied, self.zero_freq = last_dict + 1, False
        for _, word, freq, tag in history[self.applied :]:
            self.engine.add_word(word, freq, tag)
            self.zero_freq = self.zero_freq or freq == 0
        self.applied = len(history)
        return True

    def _load_main_dictionary(self) -> Any:
        engine = self._rjieba.Jieba.empty()
        with self.source.get_dict_file() as fh:
            for raw in fh:
                parts = raw.decode("utf-8").lstrip("\ufeff").strip().split(" ")
                if parts[0]:
                    engine.add_word(parts[0], int(parts[1]), parts[2] if len(parts) > 2 else None)
        return engine

    def cut(self, text: str, hmm: bool) -> list[str]:
        return self.engine.cut(text, hmm)

    def split_like_jieba(self, segment: str) -> list[str]:
        """jieba's pieces of one jieba-rs segment: a non-dictionary Latin/number run split as jieba.finalseg does."""
        if len(segment) < 2 or _FINALSEG_HAN.search(segment) or _FINALSEG_SKIP.fullmatch(segment):
            return [segment]
        if self.source.FREQ.get(segment):
            return [segment]  # a dictionary word such as c++
        return [piece for piece in _FINALSEG_SKIP.split(segment) if piece]


def _join_names(segments: list[str], stopwords: frozenset[str]) -> list[str]:
    """Segments without HMM, with person names joined: where a run of single Chinese characters starts with a
    surname (:data:`SURNAMES`), jieba's HMM (``jieba.finalseg``) reads the run, and its first word becomes one
    segment when it has :data:`NAME_CHARS` characters and no stopword after the surname.

    >>> _join_names(["主任", "刘", "永", "富", "和", "高", "的"], frozenset({"和", "的"}))
    ['主任', '刘永富', '和', '高', '的']
    """
    starts = [i for i, seg in enumerate(segments) if seg in SURNAMES]  # most texts have few: skip the rest fast
    if not starts:
        return segments
    out: list[str] = []
    done = 0
    for i in starts:
        name = _name_at(segments, i, stopwords) if i >= done else ""
        if name:
            out += segments[done:i]
            out.append(name)
            done = i + len(name)  # the name's characters were one segment each
    return out + segments[done:]


def _name_at(segments: list[str], i: int, stopwords: frozenset[str]) -> str:
    """The name that starts at segment ``i`` (a surname), or ``""`` (see :func:`_join_names`)."""
    j = i + 1
    while (
        j < len(segments)
        and j - i < NAME_CHARS[1]
        and segments[j] not in stopwords
        and _LONE_CJK.fullmatch(segments[j])
    ):
        j += 1
    if j - i < NAME_CHARS[0]:
        return ""
    word = next(iter(jieba.finalseg.cut("".join(segments[i:j]))), "")
    return word if NAME_CHARS[0] <= len(word) <= NAME_CHARS[1] else ""


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
    hmm : let jieba's HMM join unknown characters into new words: ``True`` everywhere, ``False`` nowhere,
        ``"names"`` (default) only into person names (a run of unknown characters from a common surname on, see
        :data:`SURNAMES`). The part-of-speech path (``pos=...``) uses the full HMM unless ``hmm`` is ``False``.
    extra_stopwords : more stopwords for this tokenizer only.
    user_terms : files of terms that must stay whole, one a line (optionally ``term freq [tag]`` as in a jieba
        user dictionary; ``#`` comments and blank lines ignored; see :func:`read_user_terms`). Their content is
        part of the fingerprint: adding a term to a file invalidates the token cache.
    corpus_terms : terms found in the corpus being analysed (:func:`helpers.terms.find_corpus_terms`, added by
        :func:`tokenize_corpus`), kept whole like user terms; part of the fingerprint.
    engine : ``"rjieba"`` (default: the compiled engine, same tokens on at least 99 % of documents, several
        times faster) or ``"jieba"`` (the reference). A tokenizer falls back to jieba, and says so in
        :attr:`Tokenizer.engine_note`, when rjieba cannot be imported or cannot reproduce jieba (see there).
    """

    user_dict: Path | None = DOMAIN_DICT_PATH
    stopword_files: tuple[Path, ...] = STOPWORD_PATHS
    numbers: str = "drop"
    pos: tuple[str, ...] | None = None
    min_len: int = 1
    max_len: int = 16
    hmm: bool | str = "names"
    extra_stopwords: tuple[str, ...] = field(default_factory=tuple)
    user_terms: tuple[Path, ...] = ()
    corpus_terms: tuple[str, ...] = ()
    engine: str = "rjieba"

    def fingerprint(self) -> str:
        """A hash of the settings, the content of the dictionary, user-term and stopword files, and versions."""
        parts = {
            "user_dict": _file_hash(self.user_dict) if self.user_dict else None,
            "user_terms": [_file_hash(p) for p in self.user_terms],
            "corpus_terms": sorted(self.corpus_terms),
            "engine": self.engine,
            "rjieba": _version("rjieba") if self.engine == "rjieba" else None,
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


def _check_settings(settings: TokenizerSettings) -> None:
    """Raise for settings a tokenizer cannot use (naming the setting or file)."""
    if settings.numbers not in {"drop", "keep", "token"}:
        raise ValueError(f"numbers must be 'drop', 'keep' or 'token', not {settings.numbers!r}")
    if settings.hmm not in (True, False, "names"):
        raise ValueError(f"hmm must be True, False or 'names', not {settings.hmm!r}")
    if settings.engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {settings.engine!r}")
    if settings.user_dict is not None and not Path(settings.user_dict).is_file():
        raise FileNotFoundError(f"{settings.user_dict}: user dictionary not found")
    read_user_terms(settings.user_terms)  # missing or undecodable files fail now, not in a worker


class Tokenizer:
    """The project's tokenizer: a private ``jieba.Tokenizer`` with the domain dictionary and stopwords.

    Plain tokenising runs on the compiled engine with the same dictionary (:attr:`engine`, :attr:`engine_note`).

    Parameters
    ----------
    settings : a :class:`TokenizerSettings`; keyword arguments override its fields (``user_terms`` takes a list
        of files, or one file).

    Examples
    --------
    >>> tk = Tokenizer(numbers="keep")
    >>> tk("2020年实现精准扶贫"), tk.engine
    (['2020', '实现', '精准扶贫'], 'rjieba')
    >>> tk.tokenize("驻村工作队挂牌督战", pos=("n",))  # doctest: +SKIP
    ['驻村工作队']
    """

    def __init__(self, settings: TokenizerSettings | None = None, **overrides: object) -> None:
        settings = settings or TokenizerSettings()
        if overrides:
            fields = {**settings.__dict__, **overrides}
            if isinstance(fields.get("user_terms"), (str, os.PathLike)):
                fields["user_terms"] = (fields["user_terms"],)  # one file
            for key in ("stopword_files", "extra_stopwords", "pos", "user_terms", "corpus_terms"):
                if fields.get(key) is not None and not isinstance(fields[key], tuple):
                    fields[key] = tuple(fields[key])  # type: ignore[arg-type]
            fields["user_terms"] = tuple(Path(f) for f in fields["user_terms"])  # type: ignore[union-attr]
            settings = TokenizerSettings(**fields)  # type: ignore[arg-type]
        _check_settings(settings)
        self.settings = settings
        self._settings_fp: tuple[TokenizerSettings, str] = (settings, settings.fingerprint())
        self.stopwords = _read_wordlist(settings.stopword_files) | frozenset(settings.extra_stopwords)
        self._loaded_stopwords = self.stopwords
        self._jieba: _ProjectJieba | None = None
        self._posseg: jieba.posseg.POSTokenizer | None = None
        self._rjieba = _import_rjieba() if settings.engine == "rjieba" else None
        self._compiled: _CompiledJieba | None = None
        self._memo = _SegmentMemo(self._filter, None)
        self._memo_key: tuple[Any, ...] = ()
        #: processes of the last :meth:`tokenize_corpus` run that tokenised anything, and why (see
        #: :func:`choose_processes`)
        self.last_processes: tuple[int, str] | None = None

    # -- jieba set-up, lazy so that constructing a Tokenizer is cheap -------------------------------------------
    @property
    def jieba(self) -> jieba.Tokenizer:
        """The underlying ``jieba.Tokenizer`` (initialised on first use; no file cache).

        Words added to it at run time (``add_word``, ``load_userdict``, ``del_word``,
        ``suggest_freq(..., tune=True)``) change :attr:`fingerprint`, so cached tokens are never stale.
        """
        if self._jieba is None:
            tk = _ProjectJieba()
            tk.initialize()
            if self.settings.user_dict is not None:
                tk.load_userdict(str(self.settings.user_dict))
            corpus_terms = [(term, None, None) for term in self.settings.corpus_terms]
            for term, freq, tag in read_user_terms(self.settings.user_terms) + corpus_terms:
                if freq is None and not tk.FREQ.get(term):
                    freq = max(tk.suggest_freq(term), USER_TERM_MIN_FREQ)
                tk.add_word(term, freq, tag)
            tk.mark_baseline()  # the settings fingerprint covers the user dictionary and user-term files
            self._jieba = tk
        return self._jieba

    @property
    def fingerprint(self) -> str:
        """A hash of everything that shapes the tokens: the settings (:meth:`TokenizerSettings.fingerprint`) and
        run-time changes (words added to :attr:`jieba`, jieba's global forced splits, a replaced stopword set).
        """
        if self._settings_fp[0] is not self.settings:  # the settings attribute was replaced
            self._settings_fp = (self.settings, self.settings.fingerprint())
        base = self._settings_fp[1]
        runtime = self._runtime_changes()
        if not runtime:
            return base
        return hashlib.sha256(json.dumps([base, runtime], sort_keys=True).encode()).hexdigest()[:20]

    def _runtime_changes(self) -> dict[str, object]:
        out: dict[str, object] = {}
        if self._jieba is not None and self._jieba.edit_digest():
            out["jieba"] = self._jieba.edit_digest()
        if jieba.finalseg.Force_Split_Words:  # global in jieba: del_word on any tokenizer adds to it
            out["force_split"] = sorted(jieba.finalseg.Force_Split_Words)
        if self.stopwords != self._loaded_stopwords:
            out["stopwords"] = hashlib.sha256("\n".join(sorted(self.stopwords)).encode()).hexdigest()[:20]
        if self.engine != self.settings.engine:
            out["engine"] = self.engine
        return out

    @property
    def engine(self) -> str:
        """The engine that plain tokenising (no part-of-speech filter) uses now: ``"rjieba"`` or ``"jieba"``."""
        return "jieba" if self.engine_note else "rjieba"

    @property
    def engine_note(self) -> str | None:
        """Why this tokenizer uses jieba, or ``None`` when it uses rjieba.

        The compiled engine is used unless: it was not asked for or cannot be imported; the settings filter by
        part of speech (rjieba's tags are not jieba's); ``del_word`` forced splits in jieba's HMM (a global that
        rjieba does not have) or a word was given count 0; the dictionary was changed behind jieba's methods.
        """
        if self.settings.engine == "jieba":
            return "jieba asked for"
        if self._rjieba is None:
            return "rjieba cannot be imported"
        if self.settings.pos:
            return "part-of-speech filter (pos=...) needs jieba's tagger"
        if jieba.finalseg.Force_Split_Words:
            return "words deleted with del_word are force-split by jieba's HMM"
        if self._changed_unrecorded():
            return "the jieba dictionary was changed outside its methods"
        if self._compiled is not None and self._compiled.zero_freq:
            return "a word was given count 0"
        return None

    def _changed_unrecorded(self) -> bool:
        return self._jieba is not None and self._jieba.changed_unrecorded()

    def _tagged(self, text: str) -> Iterator[tuple[str, str]]:
        yield from self.pos_tags(text, hmm=bool(self.settings.hmm))

    def _segments(self, text: str) -> tuple[list[str], _SegmentMemo]:
        """Raw segments of a normalised text, and the memo of what the filter keeps of each."""
        jb = self.jieba
        compiled = None
        if self.engine == "rjieba":
            if self._compiled is None:
                self._compiled = _CompiledJieba(self._rjieba, jb)
            self._compiled.sync()
            if self.engine == "rjieba":  # syncing may show a count-0 word
                compiled = self._compiled
        key = (compiled is not None, self.stopwords, len(jb.history), self.settings)
        if key != self._memo_key or len(self._memo) > _MEMO_MAX:
            split = compiled.split_like_jieba if compiled is not None else None
            self._memo, self._memo_key = _SegmentMemo(self._filter, split), key
        hmm = self.settings.hmm is True
        segments = jb.lcut(text, HMM=hmm) if compiled is None else compiled.cut(text, hmm)
        if self.settings.hmm == "names":
            segments = _join_names(segments, self.stopwords)
        return segments, self._memo

    def segments(self, text: str, *, normalize: bool = False) -> list[str]:
        """The raw segments of ``text`` (punctuation, stopwords and numbers included), as :meth:`tokenize` cuts
        them; they join back to ``text`` (with ``normalize``, to the text normalised as :meth:`tokenize` does
        first: NFKC, lower case).

        >>> Tokenizer().segments("脱贫攻坚，Ｘ"), Tokenizer().segments("脱贫攻坚，Ｘ", normalize=True)
        (['脱贫攻坚', '，', 'Ｘ'], ['脱贫攻坚', ',', 'x'])
        """
        segments, memo = self._segments(_normalize(text) if normalize else text)
        if memo.split is None:
            return list(segments)
        return list(chain.from_iterable(map(memo.pieces.__getitem__, segments)))

    def with_terms(self, terms: Iterable[str]) -> Tokenizer:
        """A tokenizer with the settings of this one and ``terms`` kept whole (``corpus_terms``); run-time
        changes made to this one's :attr:`jieba` are not carried over.

        >>> Tokenizer().with_terms(["主题教育"]).tokenize("开展主题教育")
        ['开展', '主题教育']
        """
        return Tokenizer(self.settings, corpus_terms=tuple(dict.fromkeys(terms)))

    def pos_tags(self, text: str, *, hmm: bool = False) -> list[tuple[str, str]]:
        """``(word, part-of-speech tag)`` pairs of ``text`` from jieba's tagger on this tokenizer's dictionary (the
        domain words tagged as in their files); one tagger per tokenizer, since jieba hands the tags of added
        words to the first tagger made and no later one.

        >>> Tokenizer().pos_tags("雨露计划")
        [('雨露', 'nr'), ('计划', 'n')]
        """
        if self._posseg is None:
            self._posseg = jieba.posseg.POSTokenizer(self.jieba)
        return [(pair.word, pair.flag) for pair in self._posseg.cut(text, HMM=hmm)]

    def _filter(self, word: str) -> tuple[str, ...]:
        """What :meth:`tokenize` keeps of one segment: nothing, the word, or ``<NUM>``."""
        word = word.strip()
        if not word or not _HAS_WORD_CHAR.search(word):
            return ()  # whitespace and punctuation
        if _NUMBERLIKE.match(word) or _NUMBER_WITH_UNIT.match(word):
            if self.settings.numbers == "drop":
                return ()
            if self.settings.numbers == "token":
                return ("<NUM>",)
        if word in self.stopwords or not (self.settings.min_len <= len(word) <= self.settings.max_len):
            return ()
        return (word,)

    def is_content(self, word: str) -> bool:
        """Would :meth:`tokenize` keep this segment as a token (not punctuation, stopword, number, too long)?

        >>> tk = Tokenizer()
        >>> tk.is_content("脱贫攻坚"), tk.is_content("的"), tk.is_content("2020")
        (True, False, False)
        """
        kept = self._filter(word)
        return bool(kept) and kept != ("<NUM>",)  # a number replaced by <NUM> is not a content word

    def tokenize(self, text: str, *, pos: Sequence[str] | None = None) -> list[str]:
        """Content tokens of ``text``: no stopwords, punctuation or whitespace; numbers as configured.

        Latin letters are lower-cased and full-width forms normalised (NFKC) first. Without a part-of-speech
        filter the text is cut by :attr:`engine` and the filter's verdict on each distinct segment is remembered;
        with one, jieba's tagger cuts it.
        """
        if not isinstance(text, str):
            raise TypeError(f"tokenize expects a str, got {type(text).__name__}")
        pos_filter = tuple(pos) if pos is not None else self.settings.pos
        text = _normalize(text)
        out: list[str] = []
        if pos_filter:
            for word, flag in self._tagged(text):
                kept = self._filter(word)
                if kept and (kept == ("<NUM>",) or flag.startswith(pos_filter)):
                    out += kept
            return out
        segments, memo = self._segments(text)
        return list(chain.from_iterable(map(memo.__getitem__, segments)))

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
        n_jobs : at most this many worker processes (``None``: every core; ``1``: this process only). Fewer run
            when there is too little text to pay for a pool or other work takes the cores
            (:func:`choose_processes`); the choice is logged and kept in :attr:`last_processes`.
        cache : read and write the on-disk token cache (``<cache>/tokens/<fingerprint>.sqlite``). Results are
            committed every 500 documents or 5 seconds, so a rerun after an interruption only tokenises the
            rest. A damaged cache file is deleted and rebuilt with a warning; an unusable one (locked, read-only)
            is skipped with a warning. If :attr:`jieba`'s dictionary was changed other than through its methods
            (e.g. ``tk.jieba.FREQ[w] = n``), the fingerprint cannot cover it and the cache is bypassed with a
            warning.
        progress : show a progress bar; ``None``: :func:`show_progress` decides (more than 2,000 texts, on a
            terminal; never on a notebook page).
        """
        texts = list(texts)
        for i, t in enumerate(texts):
            if not isinstance(t, str):
                raise TypeError(f"text {i}: expected str, got {type(t).__name__}")
        show = show_progress(progress, len(texts))
        keys = [hashlib.blake2b(t.encode("utf-8"), digest_size=16).hexdigest() for t in texts]
        if cache and self._changed_unrecorded():
            warnings.warn(
                "the jieba dictionary of this tokenizer was changed outside add_word/load_userdict/del_word/"
                "suggest_freq, so the token cache cannot tell; tokenising without the cache",
                stacklevel=2,
            )
            cache = False
        store = _TokenCache(self.fingerprint) if cache else None
        try:
            by_key: dict[str, list[str]] = store.get_many(set(keys)) if store is not None else {}
            todo: dict[str, str] = {}
            for k, t in zip(keys, texts):
                if k not in by_key:
                    todo.setdefault(k, t)  # identical texts are tokenised once
            if todo:
                pending: list[tuple[str, list[str]]] = []
                last_commit = time.monotonic()
                computed = self._iter_compute(list(todo.values()), n_jobs=n_jobs, progress=show, chunksize=chunksize)
                try:
                    for k, toks in zip(todo, computed):
                        by_key[k] = toks
                        if store is not None:
                            pending.append((k, toks))
                            if len(pending) >= _COMMIT_EVERY or time.monotonic() - last_commit >= _COMMIT_SECONDS:
                                store.put_many(pending)
                                pending, last_commit = [], time.monotonic()
                finally:
                    computed.close()  # stops the worker pool at once when interrupted
                    if store is not None and pending:
                        store.put_many(pending)  # keep what was finished, also when interrupted
        finally:
            if store is not None:
                store.close()
        return [by_key[k] for k in keys]

    def _iter_compute(
        self, texts: list[str], *, n_jobs: int | None, progress: bool, chunksize: int | None
    ) -> Iterator[list[str]]:
        """Tokens of each text, in order, as they are computed (in this process or in a pool)."""
        global _POOL_PARENT
        from tqdm import tqdm

        cores, load = free_cores()
        n_jobs, why = choose_processes(sum(map(len, texts)), n_jobs=n_jobs, cores=cores, load=load)
        self.last_processes = (n_jobs, why)
        LOG.info("tokenising %d texts: %s", len(texts), why)
        import multiprocessing as mp

        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        if method != "fork" and self._changed_unrecorded():
            n_jobs = 1  # workers could not rebuild a dictionary changed behind jieba's methods
        bar = tqdm(total=len(texts), desc="tokenising", unit="doc", disable=not progress)
        try:
            if n_jobs <= 1:
                for t in texts:
                    toks = self.tokenize(t)
                    bar.update(1)
                    yield toks
                return
            jb = self.jieba  # initialise before forking so that workers inherit the loaded dictionary
            self._segments("")  # and the compiled engine, when it is used
            ctx = mp.get_context(method)
            chunksize = chunksize or max(1, min(500, len(texts) // (n_jobs * 8) or 1))
            stopwords = self.stopwords if self.stopwords != self._loaded_stopwords else None
            initargs = (
                self.settings,
                self.fingerprint,
                list(jb.edits),
                stopwords,
                sorted(jieba.finalseg.Force_Split_Words),
            )
            _POOL_PARENT = self
            try:
                with ctx.Pool(n_jobs, initializer=_worker_init, initargs=initargs) as pool:
                    for toks in pool.imap(_worker_tokenize, texts, chunksize=chunksize):
                        bar.update(1)
                        yield toks
            finally:
                _POOL_PARENT = None
        finally:
            bar.close()


#: below this many items a run is short enough to need no progress bar
PROGRESS_MIN_ITEMS = 2000


def show_progress(progress: bool | None, n_items: int, stream=None) -> bool:
    """Whether a long loop draws a progress bar: ``progress`` when given, else only for more than
    :data:`PROGRESS_MIN_ITEMS` items and when ``stream`` (default ``sys.stderr``) is a terminal.

    A notebook run by papermill (``make report``) or in Jupyter writes stderr into the notebook, where a bar would
    end up on the rendered page as ``tokenising: 0%| 0/2040``; there stderr is not a terminal.

    >>> import io
    >>> show_progress(None, 5000, io.StringIO()), show_progress(True, 5, io.StringIO())
    (False, True)
    """
    if progress is not None:
        return bool(progress)
    stream = sys.stderr if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    return n_items > PROGRESS_MIN_ITEMS and bool(isatty and isatty())


def free_cores() -> tuple[int, float]:
    """Cores this process may run on, and the 1-minute load average (0 where the system has none)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows
        load = 0.0
    return cores, load


def choose_processes(
    n_chars: int,
    *,
    n_jobs: int | None,
    cores: int,
    load: float,
    per_process: int | None = None,
) -> tuple[int, str]:
    """How many processes to work through ``n_chars`` characters of text with, and why: never more than can help.

    One process per ``per_process`` characters of text (default :data:`PARALLEL_MIN_CHARS_PER_PROCESS`, measured
    for tokenising), at most ``n_jobs``, and at most the cores that other work leaves free (the load average
    counts this process as one).

    Parameters
    ----------
    n_chars : characters to tokenise.
    n_jobs : the caller's upper bound; ``None`` or less than 1 for none.
    cores, load : cores this process may use and the 1-minute load average (see :func:`free_cores`).
    per_process : characters of text below which one more process costs more than it saves (``None``:
        :data:`PARALLEL_MIN_CHARS_PER_PROCESS`).

    >>> choose_processes(30_000_000, n_jobs=None, cores=4, load=0.3)[0]
    4
    >>> choose_processes(30_000_000, n_jobs=None, cores=2, load=2.2)[0]  # the other core is busy
    1
    >>> choose_processes(300_000, n_jobs=8, cores=8, load=0.0)[0]  # too little text for a pool
    1
    """
    limit = cores if n_jobs is None or n_jobs < 1 else min(n_jobs, cores)
    free = max(1, int(cores - max(0.0, load - 1.0) + 0.5))
    per_process = per_process or PARALLEL_MIN_CHARS_PER_PROCESS
    by_size = max(1, n_chars // per_process)
    n = max(1, min(limit, free, by_size))
    why = (
        f"{n} process{'es' if n > 1 else ''}: {n_chars:,} characters (one process per {per_process:,}), "
        f"{free} of {cores} cores free (load {load:.1f}), n_jobs={n_jobs}"
    )
    return n, why


# -- worker-process plumbing -----------------------------------------------------------------------------------
_WORKER: Tokenizer | None = None
#: the tokenizer that is starting a pool; forked workers inherit it with its dictionary loaded and changes made
_POOL_PARENT: Tokenizer | None = None


def _worker_init(
    settings: TokenizerSettings,
    fingerprint: str | None = None,
    edits: Sequence[tuple[Any, ...]] = (),
    stopwords: frozenset[str] | None = None,
    force_split: Sequence[str] = (),
) -> None:
    global _WORKER
    parent = _POOL_PARENT
    if parent is not None and parent._jieba is not None and parent.fingerprint == fingerprint:
        _WORKER = parent  # inherited through fork, dictionary loaded and changed as in the parent
        return
    tk = Tokenizer(settings)  # a spawned process: rebuild the parent's tokenizer
    for word in force_split:
        jieba.finalseg.add_force_split(word)
    if stopwords is not None:
        tk.stopwords = stopwords
    if edits:
        tk.jieba.replay(edits)  # type: ignore[attr-defined]
    if fingerprint is not None and tk.fingerprint != fingerprint:
        raise RuntimeError(
            f"worker tokenizer fingerprint {tk.fingerprint} differs from the parent's {fingerprint} "
            "(dictionary or stopword files changed while tokenising?)"
        )
    _WORKER = tk


def _worker_tokenize(text: str) -> list[str]:
    assert _WORKER is not None
    return _WORKER.tokenize(text)


class _CacheDamaged(Exception):
    """A token-cache file that SQLite can open but that does not hold what the project writes."""


_DAMAGE_NAMES = {"SQLITE_NOTADB", "SQLITE_CORRUPT"}
_DAMAGE_TEXT = ("not a database", "malformed", "no such table", "no such column")


def _is_damage(err: BaseException) -> bool:
    if isinstance(err, _CacheDamaged):
        return True
    if not isinstance(err, sqlite3.DatabaseError):
        return False
    if getattr(err, "sqlite_errorname", None) in _DAMAGE_NAMES:
        return True
    return any(text in str(err).lower() for text in _DAMAGE_TEXT)


class _TokenCache:
    """Tokens on disk in SQLite, one file per tokenizer fingerprint.

    One table ``tokens(key TEXT PRIMARY KEY, toks TEXT)``: the key is the BLAKE2b hash of the text, the tokens
    are joined with U+001F (a character that is never part of a token). Data only: nothing read from the file is
    unpickled or executed. SQLite transactions make each commit atomic.

    Never fatal: a file that is damaged (not a database, malformed, another table layout, non-text rows) is
    deleted and rebuilt with a one-line warning naming it; a file that cannot be used for another reason
    (locked, read-only folder) is left alone and the cache is off for this run, with a warning.
    """

    def __init__(self, fingerprint: str, *, folder: Path | None = None) -> None:
        self.path = (folder if folder is not None else CACHE_DIR / "tokens") / f"{fingerprint}.sqlite"
        self.db: sqlite3.Connection | None = None
        try:
            self._connect()
        except (sqlite3.Error, OSError, _CacheDamaged) as err:
            self._recover(err)

    def _connect(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=60)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS tokens (key TEXT PRIMARY KEY, toks TEXT NOT NULL)")
            layout = [(row[1], str(row[2]).upper()) for row in db.execute("PRAGMA table_info(tokens)")]
            if layout != [("key", "TEXT"), ("toks", "TEXT")]:
                raise _CacheDamaged(f"table 'tokens' has columns {layout}, expected key TEXT, toks TEXT")
        except BaseException:
            db.close()
            raise
        self.db = db

    def _recover(self, err: BaseException) -> bool:
        """Delete and recreate a damaged file (True), or turn the cache off (False); warn either way."""
        self.close()
        reason = " ".join(str(err).split()) or type(err).__name__
        if _is_damage(err):
            try:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                self._connect()
            except (sqlite3.Error, OSError, _CacheDamaged) as err2:
                reason = f"{reason}; rebuilding failed: {' '.join(str(err2).split())}"
            else:
                warnings.warn(f"{self.path}: damaged token cache ({reason}); deleted and rebuilt", stacklevel=4)
                return True
        warnings.warn(f"{self.path}: token cache unusable ({reason}); tokenising without it", stacklevel=4)
        return False

    def get_many(self, keys: set[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        if not keys or self.db is None:
            return found
        keys_list = list(keys)
        try:
            for start in range(0, len(keys_list), 900):
                batch = keys_list[start : start + 900]
                marks = ",".join("?" * len(batch))
                for k, toks in self.db.execute(f"SELECT key, toks FROM tokens WHERE key IN ({marks})", batch):
                    if not isinstance(toks, str):
                        raise _CacheDamaged(f"row {k!r} holds {type(toks).__name__}, not text")
                    found[k] = toks.split("\x1f") if toks else []
        except (sqlite3.Error, _CacheDamaged) as err:
            self._recover(err)
            return {}
        return found

    def put_many(self, items: Iterable[tuple[str, list[str]]]) -> None:
        rows = [(k, "\x1f".join(v)) for k, v in items]
        for attempt in (1, 2):
            if self.db is None:
                return
            try:
                with self.db:
                    self.db.executemany("INSERT OR REPLACE INTO tokens VALUES (?, ?)", rows)
                return
            except sqlite3.Error as err:
                if not self._recover(err) or attempt == 2:
                    self.close()
                    return

    def close(self) -> None:
        if self.db is not None:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
            self.db = None


# -- module-level convenience ----------------------------------------------------------------------------------
def baseline_jieba() -> jieba.Tokenizer:
    """A private ``jieba.Tokenizer`` with jieba's own dictionary only: the segmentation of ``jieba.lcut``.

    For baselines that compare the project's tokenizer with plain jieba. Unlike ``jieba.Tokenizer()`` it never
    reads or writes jieba's ``marshal`` cache file (in the system temporary folder by default).

    >>> baseline_jieba().lcut("坚决打赢脱贫攻坚战")
    ['坚决', '打赢', '脱贫', '攻坚战']
    """
    tk = _ProjectJieba()
    tk.initialize()
    return tk


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
    corpus_terms: bool | None = None,
) -> list[list[str]]:
    """Tokens for each text, computed in parallel and cached on disk.

    Parameters
    ----------
    texts : the corpus.
    n_jobs, cache, progress : see :meth:`Tokenizer.tokenize_corpus`.
    tokenizer : the tokenizer (default: :func:`get_default_tokenizer`).
    corpus_terms : first find the terms of these texts (:func:`helpers.terms.find_corpus_terms`: expressions
        that recur in them, hold together and are shaped like policy terms, such as a campaign newer than the
        domain dictionary) and keep them whole (:meth:`Tokenizer.with_terms`; the terms are part of the token
        cache key). ``None`` (default): only when no ``tokenizer`` is given. Without terms found, or with
        ``False``, the tokens are those of :func:`tokenize`.

    >>> tokenize_corpus(["精准扶贫", "挂牌督战"], n_jobs=1, cache=False)
    [['精准扶贫'], ['挂牌督战']]
    """
    tk = tokenizer or get_default_tokenizer()
    texts = list(texts)
    if corpus_terms or (corpus_terms is None and tokenizer is None):
        tk = corpus_tokenizer(texts, tokenizer=tk, cache=cache)
    return tk.tokenize_corpus(texts, n_jobs=n_jobs, cache=cache, progress=progress)


def corpus_tokenizer(texts: Sequence[str], *, tokenizer: Tokenizer | None = None, cache: bool = True) -> Tokenizer:
    """``tokenizer`` (default: :func:`get_default_tokenizer`) with the terms found in ``texts`` kept whole.

    The terms are found by :func:`helpers.terms.find_corpus_terms` and remembered on disk (a JSON list under
    ``<cache>/terms/``, keyed by the texts and the tokenizer's fingerprint), so a rerun on the same corpus does
    not look for them again. Returns ``tokenizer`` itself when nothing is found.
    """
    from .terms import find_corpus_terms

    tk = tokenizer or get_default_tokenizer()
    digest = hashlib.sha256(tk.fingerprint.encode())
    for text in texts:
        digest.update(hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest())
    path = CACHE_DIR / "terms" / f"{digest.hexdigest()[:24]}.json"
    terms = _read_json_list(path) if cache else None
    if terms is None:
        terms = [t.term for t in find_corpus_terms(texts, tokenizer=tk)]
        if cache:
            _write_json_atomic(path, terms)
    return tk.with_terms(terms) if terms else tk


def _read_json_list(path: Path) -> list[str] | None:
    """A JSON list of strings written by :func:`_write_json_atomic`; ``None`` (with a warning if damaged)."""
    if not path.is_file():
        return None
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        value = err
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    warnings.warn(f"{path}: damaged corpus-terms cache ({value!r:.80}); finding the terms again", stacklevel=3)
    return None


def _write_json_atomic(path: Path, value: list[str]) -> None:
    try:
        atomic_write(path, lambda tmp: tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8"))
    except OSError as err:
        warnings.warn(f"{path}: cannot write the corpus-terms cache ({err})", stacklevel=3)
