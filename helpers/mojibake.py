"""Repairing pinyin-annotated Traditional text and its mojibake.

Some Traditional-character pages print a pinyin annotation after characters (級(jí)), and when such pages pass
through a GBK round trip with a lost byte, spans like ``決勝?zèng)_鋒號`` appear: a ``?`` with a damaged annotation,
the stray ASCII trail byte of a lost GBK character (``_`` is the trail byte of 沖 = 0x9B 0x5F), or a garbage
character whose trail byte plus the next ASCII byte form the real character (``坞p`` → 雙 = 0xEB 0x70).

:func:`repair_mojibake` repairs such spans where the evidence determines the character: the GBK bytes, the pinyin
annotation next to it, and the context (a character bigram model from jieba's dictionary). Every repair is
reported; a span that cannot be repaired is removed and reported as such.

>>> text, repairs = repair_mojibake("吹響決勝?zèng)_鋒號(hào)")
>>> text
'吹響決勝沖鋒號(hào)'
>>> remove_pinyin_annotations("三級(jí)書記")[0]
'三級書記'
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["repair_mojibake", "remove_pinyin_annotations", "is_pinyin_of", "prepare_repair_tables"]

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PY_LETTERS = f"a-zü{_TONED}"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ANNOT = re.compile(rf"([{_CJK}])\(([{_PY_LETTERS}]{{1,7}})\)")
# a damaged annotation: '?' + pinyin-ish letters (possibly with GBK garbage) + ')'
_DAMAGED = re.compile(rf"\?([{_PY_LETTERS}]{{1,7}})\)")


@lru_cache(maxsize=1)
def _char_bigrams() -> tuple[Counter, Counter]:
    """Character unigram and bigram weights (Simplified) from jieba's bundled dictionary."""
    import jieba

    uni: Counter = Counter()
    bi: Counter = Counter()
    with open(jieba.get_dict_file().name, encoding="utf-8") as fh:  # type: ignore[attr-defined]
        for line in fh:
            parts = line.split()
            if len(parts) < 2:
                continue
            w, f = parts[0], int(parts[1])
            for ch in w:
                uni[ch] += f
            for a, b in zip(w, w[1:]):
                bi[a + b] += f
    return uni, bi


def _simp(ch: str) -> str:
    from .clean import opencc_converter  # here, not at the top: helpers.clean imports this module

    return opencc_converter("t2s").convert(ch) if ch else ch


@lru_cache(maxsize=1)
def _gbk_by_trail() -> dict[int, list[str]]:
    table: dict[int, list[str]] = defaultdict(list)
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            try:
                ch = bytes([lead, trail]).decode("gbk")
            except UnicodeDecodeError:
                continue
            table[trail].append(ch)
    return table


def _strip_tone(p: str) -> str:
    import unicodedata

    base = unicodedata.normalize("NFD", p)
    return "".join(c for c in base if not unicodedata.combining(c)).replace("ü", "v")


@lru_cache(maxsize=20000)
def _readings(ch: str) -> frozenset[str]:
    from pypinyin import Style, pinyin

    try:
        out = pinyin(ch, style=Style.TONE, heteronym=True, errors="ignore")
    except Exception:  # pypinyin raises only on odd input; treat as no reading
        return frozenset()
    return frozenset(r for group in out for r in group)


def is_pinyin_of(ch: str, syllable: str) -> bool:
    """Is ``syllable`` (tone-marked or plain) a reading of ``ch``?

    >>> is_pinyin_of("級", "jí"), is_pinyin_of("級", "xiāng")
    (True, False)
    """
    readings = _readings(ch)
    if syllable in readings:
        return True
    plain = _strip_tone(syllable)
    return any(_strip_tone(r) == plain for r in readings) and not any(c in _TONED for c in syllable)


def remove_pinyin_annotations(text: str) -> tuple[str, int]:
    """Remove ``字(zì)`` annotations where the pinyin is a reading of the character.

    Returns the text and the number of annotations removed (the characters removed are
    ``len(text) - len(result)``).
    """
    count = 0

    def sub(m: re.Match) -> str:
        nonlocal count
        ch, py = m.group(1), m.group(2)
        if is_pinyin_of(ch, py) or any(c in _TONED for c in py):
            count += 1
            return ch
        return m.group(0)

    return _ANNOT.sub(sub, text), count


def _score(left: str, cand: str, right: str) -> float:
    """How well ``cand`` fits between ``left`` and ``right`` (bigram weights in Simplified)."""
    uni, bi = _char_bigrams()
    c = _simp(cand)
    s = 0.0
    if left:
        s += bi.get(_simp(left) + c, 0)
    if right:
        s += bi.get(c + _simp(right), 0)
    return s


def _best(cands: list[str], left: str, right: str, *, min_score: float = 20.0) -> str | None:
    scored = sorted(((_score(left, c, right), c) for c in set(cands)), reverse=True)
    if not scored or scored[0][0] < min_score:
        return None
    if len(scored) > 1 and scored[1][0] > 0.8 * scored[0][0]:
        return None  # ambiguous: the context does not determine the character
    return scored[0][1]


_REALIGN = re.compile(rf"(\)[\ue000-\uf8ff]*)([{_CJK}])([\x21-\x7e])(?:\(([{_PY_LETTERS}]{{1,7}})\))?")
_STRAY_TRAIL = re.compile(rf"(?<=[{_CJK}])([\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e])(?=[{_CJK}])")


def _realign_gbk(text: str, repairs: list[dict]) -> str:
    """Right after a damaged span, a garbage character X and a stray ASCII byte b are one real character: the
    trail byte of X's GBK code and b (``坞p`` → 雙), accepted when its reading or its frequency confirms it."""
    uni, _ = _char_bigrams()

    def realign(m: re.Match) -> str:
        x, b, annot = m.group(2), m.group(3), m.group(4)
        try:
            cand = bytes([x.encode("gbk")[-1], ord(b)]).decode("gbk")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return m.group(0)
        ok = is_pinyin_of(cand, annot) if annot else uni.get(_simp(cand), 0) > 0
        if not ok:
            return m.group(0)
        # the span replaced is the private-use debris and the two halves of the character, not its annotation
        span = m.group(0)[1 : m.end(3) - m.start()]
        repairs.append({"span": span, "replacement": cand, "how": "gbk-realign", "position": m.start()})
        return ")" + cand + (f"({annot})" if annot else "")

    return _REALIGN.sub(realign, text)


def _repair_damaged_annotations(text: str, repairs: list[dict]) -> str:
    """``?`` + a damaged annotation: garbage after a character's own annotation (removed), or a lost character
    whose reading survived (日?bào)網 → 日報網: the character of that reading that fits the context best)."""
    out: list[str] = []
    pos = 0
    for m in _DAMAGED.finditer(text):
        out.append(text[pos : m.start()])
        pos = m.end()
        py = m.group(1)
        lm = re.search(rf"([{_CJK}])[^{_CJK}]*$", "".join(out))
        left = lm.group(1) if lm else ""
        rm = re.match(rf"[{_CJK}]", text[pos:])
        right = rm.group(0) if rm else ""
        left_readings = [_strip_tone(r) for r in _readings(left)] if left else []
        if left and (is_pinyin_of(left, py) or any(r[-3:] == _strip_tone(py)[-3:] for r in left_readings)):
            repairs.append({"span": m.group(0), "replacement": "", "how": "damaged-annotation", "position": m.start()})
            continue
        best = _best(list(_chars_with_reading(py)), left, right) if right else None
        how = "pinyin+context" if best else "removed-unrepairable"
        repairs.append({"span": m.group(0), "replacement": best or "", "how": how, "position": m.start()})
        if best:
            out.append(best)
    out.append(text[pos:])
    return "".join(out)


def _repair_stray_trail_bytes(text: str, repairs: list[dict]) -> str:
    """A non-alphanumeric ASCII byte between CJK characters is the trail byte of a character whose lead byte was
    lost (勝_鋒 → 勝沖鋒): the GBK character with that trail byte that fits the context, if one clearly does."""

    def stray(m: re.Match) -> str:
        b = m.group(1)
        s, e = m.start(), m.end()
        left, right = text[s - 1], text[e] if e < len(text) else ""
        best = _best(_gbk_by_trail().get(ord(b), []), left, right)
        if best:
            repairs.append({"span": b, "replacement": best, "how": "gbk-trail+context", "position": s})
            return best
        return b

    return _STRAY_TRAIL.sub(stray, text)


def repair_mojibake(text: str) -> tuple[str, list[dict]]:
    """Repair GBK/pinyin mojibake spans; returns the text and one record per repaired or removed span.

    Three steps, each on the output of the one before: GBK realignment after a damaged span, damaged pinyin
    annotations, stray GBK trail bytes. Text without a damaged annotation (``?`` + pinyin + ``)``) is returned as is.

    Each record has ``span`` (the characters replaced or removed, as found), ``replacement`` (one character, or
    ``""`` when the span is removed), ``how`` and ``position`` (in the input of its step), so that
    ``len(text) - len(repaired) == sum(len(r["span"]) - len(r["replacement"]) for r in repairs)``.

    >>> repair_mojibake("吹響決勝?zèng)_鋒號(hào)")[0]
    '吹響決勝沖鋒號(hào)'
    """
    repairs: list[dict] = []
    if not _DAMAGED.search(text):
        return text, repairs
    for step in (_realign_gbk, _repair_damaged_annotations, _repair_stray_trail_bytes):
        text = step(text, repairs)
    return text, repairs


def prepare_repair_tables(texts: Iterable[str]) -> bool:
    """Build the repair tables now if any text has a damaged annotation; ``True`` if one had.

    The tables (character bigrams of jieba's dictionary, GBK characters by trail byte) take seconds to build and
    are built on first use; building them before forking worker processes lets every worker inherit them
    instead of building its own.
    """
    if not any(_DAMAGED.search(t) for t in texts):
        return False
    _char_bigrams()
    _gbk_by_trail()
    return True


@lru_cache(maxsize=4096)
def _chars_with_reading(py: str) -> tuple[str, ...]:
    uni, _ = _char_bigrams()
    common = [c for c, _ in uni.most_common(6000)]
    out = []
    from pypinyin import Style, pinyin

    for c in common:
        first = pinyin(c, style=Style.TONE, heteronym=False, errors="ignore")
        if first and first[0] and first[0][0] == py:
            out.append(c)
    return tuple(out)
