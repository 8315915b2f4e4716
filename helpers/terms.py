"""Terms of the corpus at hand: expressions that recur in it, hold together and are shaped like policy terms.

The domain dictionary (``resources/domain_dict.txt``) is mined from past news; a campaign newer than that news
(主题教育 in mid-2019) is split by it. :func:`find_corpus_terms` finds such expressions in the texts being analysed,
before they are tokenised, from the texts alone (no labels, no list): sequences of two or three segments of the
project's tokenizer that

1. recur: at least :data:`MIN_COUNT` times in at least :data:`MIN_DOCS` texts;
2. hold together: their segments co-occur far more often than chance (pointwise mutual information per join at
   least :data:`MIN_PMI`) and one segment is mostly used inside the expression (:data:`MIN_PART_SHARE`);
3. are free on both sides: varied characters to their left and right (branching entropy at least
   :data:`MIN_SIDE_ENTROPY`; punctuation, a text's edge or a non-Chinese segment counts as a new character each
   time, as in the build script), so a fragment of a longer unit fails;
4. are shaped like a term: no function word, stopword, number or person name among the segments, no general
   verb or adverb leading a phrase (深入学习, 抓好落实) unless it ends on a head of policy language (防止返贫), and
   not a term followed by a generic word (经济工作).

:func:`helpers.tokenize.tokenize_corpus` adds the terms found to the tokenizer it uses by default
(``TokenizerSettings.corpus_terms``, part of the token-cache key), so every notebook keeps them whole; notebook 01
lists them. The same statistics serve ``scripts/build_domain_dict.py``, which mines the shipped dictionary.

>>> news = "今年全省新建农村公路三百公里，改造危房两千户，森林覆盖率继续提高，群众收入稳步增长。"
>>> texts = [f"{verb}雨露计划。{news}" for verb in ("实施", "推进", "完善", "宣传", "落实", "用好")]
>>> [(t.term, t.count) for t in find_corpus_terms(texts)]
[('雨露计划', 6)]
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .tokenize import Tokenizer

__all__ = [
    "CorpusTerm",
    "FUNCTION_POS",
    "GENERIC_TAILS",
    "POLICY_HEADS",
    "SPEECH",
    "entropy",
    "find_corpus_terms",
    "sample_step",
    "sample_texts",
    "terms_found_summary",
]

#: heads that policy language builds its terms on (产业扶贫, 脱贫人口, 贫困群众, 兜底保障, 驻村第一书记, 雨露计划)
POLICY_HEADS = "扶贫 脱贫 返贫 致贫 贫困 攻坚 保障 帮扶 搬迁 振兴 计划 工程 书记 工作队 协作 摘帽 小康 监测".split()
#: words that, after a term, make a compound of that term and a generic word (脱贫攻坚工作, 脱贫攻坚战): the term
#: is the unit
GENERIC_TAILS = frozenset(
    "工作 任务 成效 成果 力度 目标 进展 情况 问题 会议 工作会议 座谈会 推进会 现场会 领域 期间 以来 方面 措施 政策 部署 "
    "决策部署 责任 工作队伍 质量 进程 取得 一线 中 上 时 后 战".split()
)
#: verbs of reporting and meeting: an n-gram ending on one is a speaker and what they did (会议强调, 审议时强调); 表明
#: reports a finding (研究表明 was the first term found in 1,000 scientific abstracts, review R10a)
SPEECH = frozenset(
    "强调 指出 表示 肯定 充分肯定 认为 要求 会见 主持 出席 说 称 介绍 发言 审议 考察 调研 讲话 批示 作出 表明".split()
)
#: jieba part-of-speech classes that never belong inside a term (pronouns, particles, prepositions, conjunctions,
#: measure words, numbers, time words, adverbs, interjections, punctuation, localisers)
FUNCTION_POS = ("r", "u", "p", "c", "q", "m", "t", "d", "y", "e", "o", "x", "f")

#: an expression is a candidate from this many occurrences in at least MIN_DOCS texts: a campaign of the
#: corpus's period recurs (主题教育: 11 times in the 2019-01..06 CCTV poverty stories, 66 in 2019-07..12), a
#: one-story phrase does not
MIN_COUNT = 5
MIN_DOCS = 2
#: minimum pointwise mutual information (nats) per join between segments; 3.0 is the build script's threshold
#: for general n-grams (MIN_PMI there), where 主题教育 scores 6-7 and collocations such as 经济发展 below 3
MIN_PMI = 3.0
#: at least one segment has this share of its uses inside the expression: 主题 in 主题教育 58-80 %, 返贫 in 防止返贫
#: 57 %; a collocation of free words has every part mostly elsewhere (the build script's MIN_PART_SHARE 0.15,
#: raised because a single corpus gives less evidence than the mining corpora)
MIN_PART_SHARE = 0.2
#: minimum branching entropy (nats) of the characters left and right of an expression (the build script's
#: MIN_SIDE_ENTROPY for domain n-grams)
MIN_SIDE_ENTROPY = 1.0
#: expressions of this many characters (three: 新中国, 防返贫; seven: 两不愁三保障 plus one)
MIN_CHARS, MAX_CHARS = 3, 7
#: at most this many terms are added (the most frequent): a tokenizer with thousands of run-time words would
#: drift from the general segmentation
MAX_TERMS = 200
#: terms are found in at most this many characters of text (texts taken evenly through the corpus), so that the
#: cost stays bounded on any corpus: 3,000 CCTV stories (1.66 M characters) took 19 s on a busy two-core machine,
#: where tokenising them took 8 s; the result is remembered (``helpers.tokenize.corpus_tokenizer``)
MAX_SAMPLE_CHARS = 2_000_000
#: part-of-speech classes that may lead an expression only when it ends on a policy head (防止返贫): verbs,
#: adjectives and adverbs of two or more characters lead phrases (深入学习, 抓好落实, 着力解决)
PHRASE_LEAD_POS = ("v", "a", "ad", "vd")

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
#: joins the segments of a sequence into its key (a control character, never part of a Chinese segment)
_SEP = "\x1f"


@dataclass(frozen=True)
class CorpusTerm:
    """An expression found by :func:`find_corpus_terms`, with its evidence.

    Attributes
    ----------
    term : the expression.
    parts : the segments the tokenizer cut it into.
    count, documents : occurrences (as that sequence of segments) and texts holding it.
    pmi : pointwise mutual information per join (nats).
    part_share : the largest share of a segment's uses that are inside the expression.
    side_entropy : the smaller of the left and right branching entropies (nats).
    """

    term: str
    parts: tuple[str, ...]
    count: int
    documents: int
    pmi: float
    part_share: float
    side_entropy: float


def entropy(counter: Counter) -> float:
    """Shannon entropy (nats) of a frequency table.

    >>> round(entropy(Counter("aabb")), 3)
    0.693
    """
    total = sum(counter.values())
    return -sum(c / total * math.log(c / total) for c in counter.values()) if total else 0.0


@dataclass
class _SpanStats:
    """Counts of segments and of sequences of 2-3 Chinese segments (keyed by their segments joined with
    :data:`_SEP`), with their neighbouring characters and documents."""

    segments: Counter
    spans: Counter
    left: defaultdict
    right: defaultdict
    docs: defaultdict


def sample_step(total_chars: int, max_chars: int = MAX_SAMPLE_CHARS) -> int:
    """``k`` of the sample :func:`find_corpus_terms` reads: every ``k``-th text of a corpus of ``total_chars``
    characters, so that the sample holds about ``max_chars`` characters.

    >>> sample_step(5_000_000), sample_step(10)
    (3, 1)
    """
    return max(1, -(-int(total_chars) // max_chars))


def sample_texts(texts: Iterable[str], *, total_chars: int | None = None) -> list[str]:
    """The texts :func:`find_corpus_terms` reads: every ``k``-th text (:func:`sample_step`), taken evenly through
    the corpus.

    Parameters
    ----------
    texts : the corpus (cleaned texts), any iterable.
    total_chars : the corpus's length in characters, when known in advance (a corpus on disk): the texts are then
        read in one streamed pass and only the sampled ones are kept. Without it, ``texts`` is held to measure it.

    >>> texts = [f"第{k}篇" * 200_000 for k in range(6)]  # 6 x 600,000 characters: every second text
    >>> [t[:3] for t in sample_texts(texts)] == [t[:3] for t in sample_texts(iter(texts), total_chars=3_600_000)]
    True
    >>> [t[:3] for t in sample_texts(texts)]
    ['第0篇', '第2篇', '第4篇']
    """
    if total_chars is None:
        texts = list(texts)
        total_chars = sum(map(len, texts))
    step = sample_step(total_chars)
    return [t for k, t in enumerate(texts) if k % step == 0]


def terms_found_summary(texts: Sequence[str], n_terms: int, *, max_terms: int = MAX_TERMS) -> str:
    """A sentence on the ``n_terms`` terms :func:`find_corpus_terms` returned for ``texts``: their number, that it is
    the cap when it reaches ``max_terms`` (more may qualify), and the sample they were looked for in when the corpus
    is longer than :data:`MAX_SAMPLE_CHARS`; it ends with ``:`` when a list of them follows, else ``.``.

    >>> terms_found_summary(["第一篇" * 100] * 3, 2)
    '2 terms found in this corpus:'
    >>> print(terms_found_summary(["扶贫" * 500_000] * 3, 200))
    200 terms found in this corpus, the cap (at most 200, the most frequent, are kept; more may qualify); they were looked for in every 2nd document, 2 of 3 (2,000,000 of 3,000,000 characters):
    """
    text = f"{n_terms:,} term{'' if n_terms == 1 else 's'} found in this corpus"
    if n_terms >= max_terms:
        text += f", the cap (at most {max_terms:,}, the most frequent, are kept; more may qualify)"
    total = sum(map(len, texts))
    step = sample_step(total)
    if step > 1:
        sample = texts[::step]
        nth = f"{step}{'th' if 10 <= step % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(step % 10, 'th')}"
        text += (
            f"; they were looked for in every {nth} document, {len(sample):,} of {len(texts):,} "
            f"({sum(map(len, sample)):,} of {total:,} characters)"
        )
    return text + (":" if n_terms else ".")


def _count_spans(segmented: list[list[str]]) -> _SpanStats:
    """Counts of segments and of their pairs, then of the triples whose two pairs recur; only the sequences that
    recur and are Chinese of the right length are kept. A sequence is counted under one string key (its segments
    joined by :data:`_SEP`): millions of live tuples would keep Python's garbage collector busy."""
    stats = _SpanStats(Counter(), Counter(), defaultdict(Counter), defaultdict(Counter), defaultdict(set))
    for segs in segmented:
        stats.segments.update(segs)
        stats.spans.update(map(_SEP.join, zip(segs, segs[1:])))
    pairs = {key for key, c in stats.spans.items() if c >= MIN_COUNT}
    for segs in segmented:
        bigrams = list(map(_SEP.join, zip(segs, segs[1:])))
        triples = zip(bigrams, bigrams[1:], segs[2:])
        stats.spans.update(f"{a}{_SEP}{c}" for a, b, c in triples if a in pairs and b in pairs)
    stats.spans = Counter(
        {key: c for key, c in stats.spans.items() if c >= MIN_COUNT and _chinese_span(key.split(_SEP))}
    )
    return stats


def _chinese_span(parts: list[str]) -> bool:
    return all(_CJK_RUN.fullmatch(p) for p in parts) and MIN_CHARS <= sum(map(len, parts)) <= MAX_CHARS


def _cohesive(stats: _SpanStats) -> dict[str, tuple[float, float]]:
    """The recurring sequences that hold together (step 2 of the module docstring): key -> (PMI, part share)."""
    n = sum(stats.segments.values())
    found = {}
    for key, count in stats.spans.items():
        parts = key.split(_SEP)
        pmi = math.log(count * n ** (len(parts) - 1) / math.prod(stats.segments[p] for p in parts)) / (len(parts) - 1)
        share = max(count / stats.segments[p] for p in parts)
        if pmi >= MIN_PMI and share >= MIN_PART_SHARE:
            found[key] = (pmi, share)
    return found


def _count_contexts(stats: _SpanStats, segmented: list[list[str]], keys: set[str]) -> None:
    """The characters left and right of each occurrence of ``keys``, and the documents holding them; punctuation,
    a text's edge or a non-Chinese segment counts as a new character each time."""
    for d, segs in enumerate(segmented):
        for k in (2, 3):
            seqs = map(_SEP.join, zip(*(segs[j:] for j in range(k))))
            for i, key in [(i, key) for i, key in enumerate(seqs) if key in keys]:
                before, after = segs[i - 1] if i else "", segs[i + k] if i + k < len(segs) else ""
                stats.left[key][before[-1] if _CJK_RUN.fullmatch(before) else f"^{d}:{i}"] += 1
                stats.right[key][after[0] if _CJK_RUN.fullmatch(after) else f"{d}:{i}$"] += 1
                stats.docs[key].add(d)


def _cohesive_free(segmented: list[list[str]]) -> list[CorpusTerm]:
    """Expressions that recur, hold together and are free on both sides (steps 1-3 of the module docstring)."""
    stats = _count_spans(segmented)
    cohesive = _cohesive(stats)
    _count_contexts(stats, segmented, set(cohesive))
    found = []
    for key, (pmi, share) in cohesive.items():
        side = min(entropy(stats.left[key]), entropy(stats.right[key]))
        if len(stats.docs[key]) >= MIN_DOCS and side >= MIN_SIDE_ENTROPY:
            parts = tuple(key.split(_SEP))
            found.append(CorpusTerm("".join(parts), parts, stats.spans[key], len(stats.docs[key]), pmi, share, side))
    return found


def _term_shaped(term: CorpusTerm, tags: list[tuple[str, str]], stopwords: frozenset[str]) -> bool:
    """Step 4 of the module docstring, on the expression's parts as jieba's tagger gives them."""
    if any(p in stopwords for p in term.parts) or any(flag.startswith(FUNCTION_POS) for _, flag in tags):
        return False
    if any(term.term.startswith(p) and term.term[len(p) :] in GENERIC_TAILS for p in term.parts[:-1]):
        return False
    if tags[-1][0] in SPEECH:
        return False  # a speaker and the verb of reporting (会议强调, 文章指出)
    policy_head = any(term.term.endswith(h) for h in POLICY_HEADS)
    if any(flag.startswith("nr") for _, flag in tags) and not policy_head:
        return False  # a person's name (高云龙), unless it names a programme (雨露计划)
    word, flag = tags[0]
    return not (len(word) >= 2 and flag in PHRASE_LEAD_POS) or policy_head


def find_corpus_terms(
    texts: Iterable[str], *, tokenizer: Tokenizer | None = None, max_terms: int = MAX_TERMS, sampled: bool = False
) -> list[CorpusTerm]:
    """Expressions of ``texts`` that recur, hold together and are shaped like terms (see the module docstring).

    Parameters
    ----------
    texts : the corpus (cleaned texts).
    tokenizer : the tokenizer whose segments are joined (default: the project's default tokenizer); an
        expression it already keeps whole is not found again.
    max_terms : keep at most this many, the most frequent.
    sampled : ``texts`` is already the sample (:func:`sample_texts`, drawn in advance, e.g. streamed from disk with
        the corpus's length): every text is read. By default the sample is drawn here from ``texts``.

    Returns
    -------
    The terms, most frequent first (ties in character order): the same texts give the same list.
    """
    from .tokenize import get_default_tokenizer

    tk = tokenizer or get_default_tokenizer()
    texts = list(texts) if sampled else sample_texts(texts)
    found = _cohesive_free([tk.segments(text, normalize=True) for text in texts])
    kept = [t for t in found if _term_shaped(t, tk.pos_tags(t.term), tk.stopwords)]
    kept.sort(key=lambda t: (-t.count, t.term))
    return list({t.term: t for t in kept}.values())[:max_terms]  # one entry per term (its most frequent split)
