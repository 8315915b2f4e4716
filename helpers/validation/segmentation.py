"""Measuring word segmentation: whole policy terms, general segmentation (SIGHAN), token lengths.

Three checks of a segmenter (any function from a text to its list of segments, e.g. ``Tokenizer().segments``):

- :func:`term_wholeness`: the share of occurrences of a list of expressions that no segment boundary cuts
  through, with the occurrences that were cut, by term;
- :func:`sighan_f1`: word precision, recall and F1 against a gold segmentation (SIGHAN 2005 bakeoff format:
  words separated by spaces, one sentence a line), the standard measure of general segmentation;
- :func:`token_length_stats`: mean token length and the share of long tokens, to see that terms are not kept whole
  by gluing phrases into giant tokens;
- :func:`frequent_cut_ngrams` and :func:`first_cut_sentence`: what a segmenter cuts in a corpus, to pick terms to
  add (``Tokenizer(user_terms=[path])``) and a sentence that shows the difference (notebook 01).

>>> cut = lambda text: ["脱贫", "攻坚", "战"] if text.startswith("脱贫") else [text]
>>> term_wholeness(["脱贫攻坚战"], ["脱贫攻坚", "攻坚战"], cut).share
0.0
>>> sighan_f1([["脱贫", "攻坚"]], lambda s: ["脱贫攻坚"]).recall
0.0
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..tokenize import split_sentences

__all__ = [
    "LONG_TOKEN_CHARS",
    "first_cut_sentence",
    "frequent_cut_ngrams",
    "SegmentationScore",
    "TermWholeness",
    "read_sighan_gold",
    "read_terms",
    "sighan_f1",
    "term_wholeness",
    "token_length_stats",
]

Segmenter = Callable[[str], Sequence[str]]

#: a token longer than this many characters counts as long in :func:`token_length_stats` (issue 13: fewer than
#: 2 % of tokens over 6 characters; the longest fixed expressions of the field, 全面建成小康社会, have 8)
LONG_TOKEN_CHARS = 6
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")


@dataclass(frozen=True)
class TermWholeness:
    """How often a list of expressions came out whole.

    Attributes
    ----------
    whole, total : occurrences not cut by a segment boundary, and all occurrences.
    cut : occurrences cut, by term (most cut first).
    examples : for each cut term, the segments of its first cut occurrence (``"防 / 返贫 / 监测"``).
    """

    whole: int
    total: int
    cut: Counter = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)

    @property
    def share(self) -> float:
        """Share of occurrences kept whole (``nan`` when there is none)."""
        return self.whole / self.total if self.total else float("nan")


@dataclass(frozen=True)
class SegmentationScore:
    """Word precision, recall and F1 of a segmentation against a gold segmentation."""

    precision: float
    recall: float
    f1: float
    sentences: int


def read_terms(path: str | Path) -> list[str]:
    """The terms of a plain text file: one a line, blank lines and ``#`` comment lines skipped, order kept."""
    terms: list[str] = []
    for line in Path(path).read_text(encoding="utf-8-sig").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and line not in terms:
            terms.append(line)
    return terms


def _boundaries(segments: Iterable[str]) -> set[int]:
    """Character offsets where one segment ends and the next begins."""
    out, pos = set(), 0
    for seg in segments:
        pos += len(seg)
        out.add(pos)
    return out


def term_wholeness(texts: Iterable[str], terms: Iterable[str], segment: Segmenter) -> TermWholeness:
    """Share of the occurrences of ``terms`` in ``texts`` that ``segment`` keeps whole.

    An occurrence is whole when no segment boundary falls strictly inside it; a segment that holds the term and
    more (脱贫攻坚战 for 脱贫攻坚) keeps it whole. Overlapping occurrences of different terms are all counted.

    Parameters
    ----------
    texts : the texts (cleaned).
    terms : the expressions to look for.
    segment : a function from a text to its segments, which must join back to the text.
    """
    terms = list(dict.fromkeys(terms))  # unique, in the order given (ties in ``cut`` keep that order)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    singles = {t: re.compile(re.escape(t)) for t in terms}
    whole = total = 0
    cut: Counter = Counter()
    examples: dict[str, str] = {}
    for text in texts:
        if not pattern.search(text):
            continue
        segments = list(segment(text))
        bounds = _boundaries(segments)
        for term, rx in singles.items():
            for m in rx.finditer(text):
                total += 1
                inside = [b for b in bounds if m.start() < b < m.end()]
                if not inside:
                    whole += 1
                    continue
                cut[term] += 1
                if term not in examples:
                    edges = [m.start(), *sorted(inside), m.end()]
                    examples[term] = " / ".join(text[a:b] for a, b in zip(edges, edges[1:]))
    return TermWholeness(whole, total, Counter(dict(cut.most_common())), examples)


def read_sighan_gold(path: str | Path, *, limit: int | None = None) -> list[list[str]]:
    """Gold sentences of a SIGHAN bakeoff file (words separated by whitespace, one sentence a line)."""
    lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    sentences = [line.split() for line in lines if line.strip()]
    return sentences[:limit] if limit is not None else sentences


def _spans(words: Iterable[str]) -> set[tuple[int, int]]:
    out, pos = set(), 0
    for w in words:
        out.add((pos, pos + len(w)))
        pos += len(w)
    return out


def sighan_f1(gold: Sequence[Sequence[str]], segment: Segmenter) -> SegmentationScore:
    """Word precision, recall and F1 of ``segment`` on gold sentences (the SIGHAN bakeoff's scoring).

    A word counts as correct when its character span equals a gold word's span. Whitespace segments are ignored.
    """
    correct = found = expected = 0
    for words in gold:
        sentence = "".join(words)
        ours = _spans(w for w in segment(sentence) if w.strip())
        ref = _spans(words)
        correct += len(ours & ref)
        found += len(ours)
        expected += len(ref)
    precision = correct / found if found else 0.0
    recall = correct / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return SegmentationScore(precision, recall, f1, len(gold))


def token_length_stats(tokens: Iterable[str], *, long_chars: int = LONG_TOKEN_CHARS) -> dict[str, float]:
    """Mean length of the tokens, in characters, and the share longer than ``long_chars``.

    >>> token_length_stats(["脱贫攻坚", "战", "全面建成小康社会"])
    {'tokens': 3, 'mean_chars': 4.333333333333333, 'share_long': 0.3333333333333333}
    """
    lengths = [len(t) for t in tokens]
    if not lengths:
        return {"tokens": 0, "mean_chars": float("nan"), "share_long": float("nan")}
    long = sum(n > long_chars for n in lengths)
    return {"tokens": len(lengths), "mean_chars": sum(lengths) / len(lengths), "share_long": long / len(lengths)}


def frequent_cut_ngrams(
    texts: Iterable[str],
    segment: Segmenter,
    *,
    chars: int = 4,
    top: int = 5,
    content_word: Callable[[str], bool] | None = None,
) -> list[tuple[str, int]]:
    """The most frequent spans of ``chars`` Chinese characters that ``segment`` cuts into exactly two words of two
    or more characters each (a four-character expression cut in the middle), with how often each is cut.

    Candidates for a user-term file: they recur and the tokenizer does not keep them whole. Ties keep the order
    of first occurrence. Spans seen once are left out. With ``content_word``, both words must pass it: a span
    holding a stopword (一种基于, 提出一种 led the list on scientific abstracts, review R10a) is no term.

    >>> frequent_cut_ngrams(["扶贫车间开工，扶贫车间招工", "扶贫车间"], lambda t: ["扶贫", "车间", *t[4:]])
    [('扶贫车间', 2)]
    >>> cut = lambda t: ["一种", "基于", "扶贫", "车间"]
    >>> frequent_cut_ngrams(["x", "y"], cut, content_word=lambda w: w != "一种")
    [('基于扶贫', 2), ('扶贫车间', 2)]
    """
    counts: Counter = Counter()
    for text in texts:
        words = list(segment(text))
        for a, b in zip(words, words[1:]):
            if len(a) + len(b) != chars or not (_CJK_WORD.fullmatch(a) and _CJK_WORD.fullmatch(b)):
                continue
            if content_word is None or (content_word(a) and content_word(b)):
                counts[a + b] += 1
    return [(span, n) for span, n in counts.most_common(top) if n > 1]


def first_cut_sentence(texts: Iterable[str], terms: Iterable[str], segment: Segmenter) -> tuple[str, str] | None:
    """The first sentence of ``texts`` in which ``segment`` cuts one of ``terms``, and that term (``None`` when
    every occurrence is whole or there is none). Sentences as :func:`helpers.tokenize.split_sentences` splits them.

    >>> first_cut_sentence(["好。扶贫车间开工。"], ["扶贫车间"], lambda t: ["扶贫", "车间", *t[4:]])
    ('扶贫车间开工。', '扶贫车间')
    """
    terms = list(dict.fromkeys(terms))
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    for text in texts:
        for sentence in split_sentences(text):
            if pattern.search(sentence):
                cut = term_wholeness([sentence], terms, segment).cut
                if cut:
                    return sentence, next(iter(cut))
    return None
