"""Mine the domain dictionary (``helpers/resources/domain_dict.txt``) from real news text.

Fixed policy expressions (脱贫攻坚, 两不愁三保障, 驻村工作队 …) are what jieba's general dictionary splits. We find
them without a hand-written list, from four kinds of evidence in the corpora of ``../shared/corpora/`` (CCTV
新闻联播 poverty stories and a general sample of the same programme; with ``--heldout`` only those dated before
:data:`HELDOUT_FROM`, the later stories being the held-out evaluation of ``data/segmentation_heldout``) and the
seed documents:

1. **Cohesive, free n-grams**: character n-grams (3–8 characters) that recur, whose parts co-occur far more
   often than chance (minimum pointwise mutual information over every split point), and that are free on both
   sides (high entropy of the characters to their left and right, so a fragment of a longer unit fails).
2. **Policy compounds**: domain-specific n-grams built on a head of policy language (产业扶贫, 脱贫人口, 贫困群众,
   兜底保障) and numbered slogans (三保障); their parts are common words of the field, so no PMI test.
3. **Quoted expressions**: slogans and programme names are written in quotation marks (“两不愁三保障”); a quoted
   span of 3–10 CJK characters that recurs is a candidate with lighter frequency requirements.
4. **Editors' keywords**: the ``tags`` field of the news corpora.

A candidate is kept only if jieba's default dictionary splits it (otherwise it adds nothing), it does not start
or end with a function character, it is not a collocation of free words (经济发展, 推进农村: each part mostly
used elsewhere, or a general verb and its object), not a concatenation of a kept word and a function or
generic word, and not a clause: a term glued to a light, speech, aspect or modal verb or an adverb (取得新突破,
贫困县开展, 作出批示, 脱了贫, 逐步致富) or after an administrative level (县脱贫攻坚), which as one token would hide
the term from a search (:func:`is_clause`, ``tests/test_domain_dict.py``), nor a fragment of a number or a date
whose first character is mostly the unit of a number before it (万贫困人口, 日在京, 年减贫: :func:`number_bound_share`,
measured on the mining text). Each word gets the frequency jieba
needs to keep it whole (``suggest_freq``, shorter words first), raised where the dictionary itself still cuts it
in context, so that the general segmentation is disturbed as little as possible
(``tests/test_validation_segmentation.py`` checks SIGHAN PKU F1 against jieba's default).

Run: ``python scripts/build_domain_dict.py [--heldout] [--out=DIR] [word ...]`` (reads ``../shared/corpora``; about
two minutes; the words are traced through the filters). Without ``--heldout`` it mines every story and writes the
shipped dictionary to ``helpers/resources``; with ``--heldout`` it mines only the stories dated before
:data:`HELDOUT_FROM` and writes the validation dictionary to ``data/segmentation_heldout`` (measured on the 2019
stories by ``tests/test_validation_segmentation.py``).
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

import jieba

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from helpers.clean import opencc_converter  # noqa: E402
from helpers.keywords import ADMIN_PLACE_ENDS, DANGLING_WORDS, clause_token  # noqa: E402  (shared)
from helpers.paths import RESOURCES_DIR, SEEDS_DIR, SHARED_CORPORA_DIR  # noqa: E402
from helpers.terms import FUNCTION_POS, GENERIC_TAILS, POLICY_HEADS, SPEECH, entropy  # noqa: E402  (shared)

CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
QUOTED = re.compile(r"[“「『\"]([\u4e00-\u9fff]{3,10})[”」』\"]")
TAG = re.compile(r"<[^>]+>")
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
# characters that do not start or end a fixed expression
BAD_EDGE = set("的了着过是在和与及或等也都又就还将把被对为从向于以而之其这那此每各该个们吗呢吧啊么所并且但")
BAD_START = BAD_EDGE | set("要让使给到已更最很再才")
BAD_END = BAD_EDGE | set("要让使给到中上下里内外后前时")

MIN_N, MAX_N = 3, 8
DEBUG = {a for a in sys.argv[1:] if not a.startswith("-")}
#: with --heldout, stories of the shared corpora dated on or after this day are not mined: the 2019 poverty stories
#: are the held-out evaluation of data/segmentation_heldout (2019-01..06 used while developing, 2019-07..12 only to
#: test)
HELDOUT_FROM = "2019-01-01"
HELDOUT_DIR = ROOT / "data" / "segmentation_heldout"


def _edges_ok(parts: list[tuple[str, str]]) -> bool:
    """No trailing single character (贫困人口由, 书记潘), no leading locality/adverb character (上优先), no speech verb
    at the end (充分肯定, 审议时强调)."""
    if len(parts) >= 2 and len(parts[-1][0]) == 1 and not all(len(w) == 1 for w, _ in parts):
        return False
    if len(parts) == 2 and len(parts[0][0]) == 1 and parts[0][1].startswith(("f", "d", "p", "c")):
        return False
    return parts[-1][0] not in SPEECH


def _domain_shape_ok(parts: list[tuple[str, str]]) -> bool:
    """A domain-specific n-gram may be verb + noun (扶贫资金), start with a preposition or locality word (因病致贫,
    东西部扶贫协作), but never contain particles, pronouns or conjunctions."""
    return not any(flag.startswith(("u", "r", "c", "y", "e", "o", "x")) for _, flag in parts) and not any(
        flag.startswith("nr") and len(word) >= 3 for word, flag in (parts[0], parts[-1])
    )


def structural_ok(parts: list[tuple[str, str]]) -> bool:
    """Is an n-gram, as jieba's general dictionary splits it, shaped like a term rather than a phrase?

    Abbreviations made of single characters (控辍保学) pass; phrases with function words, person names at an
    edge (国务院总理李克强, 习近平指出) or a plain verb + object (推动经济) fail.
    """
    if all(len(w) == 1 for w, _ in parts):
        return True
    if any(flag.startswith(FUNCTION_POS) for w, flag in parts):
        return False
    if any(flag.startswith("nr") and len(word) >= 3 for word, flag in (parts[0], parts[-1])):
        return False
    if len(parts) == 2 and parts[0][1] == "v" and parts[1][1] in {"n", "ns", "nt"} and len(parts[0][0]) >= 2:
        return False
    return True


def load_texts(heldout: bool) -> tuple[list[str], list[str], Counter]:
    """The mining text: poverty stories (+ seeds) and general stories (with ``heldout``, only those dated before
    :data:`HELDOUT_FROM`), and the editors' tags of those poverty stories."""
    conv = opencc_converter("t2s")
    domain, general, tags = [], [], Counter()
    for name, bucket in (("xwlb_poverty", domain), ("xwlb_general", general)):
        path = SHARED_CORPORA_DIR / name / "stories.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            if heldout and d["date"] >= HELDOUT_FROM:
                continue  # held out: data/segmentation_heldout evaluates the dictionary on these stories
            bucket.append(d["title"] + "\n" + TAG.sub("\n", d["text"]))
            if name == "xwlb_poverty":
                tags.update(t.strip() for t in d.get("tags", []) if t.strip())
    for p in sorted(SEEDS_DIR.glob("*.txt")):
        domain.append(PINYIN.sub("", conv.convert(p.read_text(encoding="utf-8"))))
    return domain, general, tags


def ngram_stats(texts: list[str]) -> tuple[Counter, dict, dict]:
    freq: Counter = Counter()
    left: dict = defaultdict(Counter)
    right: dict = defaultdict(Counter)
    for text in texts:
        for run in CJK_RUN.findall(text):
            L = len(run)
            for n in range(1, MAX_N + 2):
                for i in range(0, L - n + 1):
                    g = run[i : i + n]
                    freq[g] += 1
                    if n >= MIN_N - 1 and n <= MAX_N:
                        left[g][run[i - 1] if i > 0 else f"<{i}:{len(freq) % 97}>"] += 1
                        right[g][run[i + n] if i + n < L else f"<{i}:{len(freq) % 89}>"] += 1
    return freq, left, right


# --- thresholds (set by hand when the dictionary was first mined, checked by reading the words it kept and by the
# SIGHAN PKU F1 of tests/test_tokenize.py; the committed domain_dict.txt is their output) -------------------------
#: an n-gram is domain-specific when its rate in the poverty stories is at least this many times its rate in
#: general news (+0.5 smoothing), and it occurs at least DOMAIN_MIN_FREQ times; other n-grams need MIN_FREQ
DOMAIN_SPECIFICITY = 5.0
DOMAIN_MIN_FREQ = 4
MIN_FREQ = 6
#: minimum entropy (nats) of the characters left and right of an n-gram: general, domain-specific
MIN_SIDE_ENTROPY = {False: 1.2, True: 1.0}
#: minimum pointwise mutual information over the n-gram's split points: general, domain-specific
MIN_PMI = {False: 3.0, True: 2.0}
#: share of occurrences starting (and ending) on a jieba token boundary: (minimum of the two, mean of the two),
#: general and domain-specific
MIN_ALIGNMENT = {False: (0.2, 0.6), True: (0.1, 0.5)}
#: a kept word plus one character is a unit of its own only when it has at least this share of the base's uses
MIN_SHARE_OF_BASE = 0.5
#: ... and the base is then only a fragment of it (村第一书记 of 驻村第一书记), dropped, when at least this share of
#: its occurrences are inside the longer word ("most of them", above MIN_SHARE_OF_BASE so that a base with a life
#: of its own stays; 村第一书记 is inside 驻村第一书记 in 16 of its 23 occurrences, 70 %)
FRAGMENT_SHARE = 0.6
#: the frequency written for a word: this many times what jieba needs to keep it whole, and at least MIN_WORD_FREQ
FREQ_FACTOR = 3
MIN_WORD_FREQ = 50
#: a word cut (in context, by the dictionary itself) in more than this share of its occurrences in the mining
#: text gets RAISE_FACTOR times its frequency, in each of RAISE_ROUNDS rounds (3 rounds: at most 64 times what it
#: needs alone, which kept the SIGHAN PKU F1 of the new dictionary at or above jieba's default)
MAX_CUT_SHARE = 0.1
RAISE_FACTOR = 4
RAISE_ROUNDS = 3


#: a policy compound needs less specificity and freedom than other n-grams, the head already marking the field:
#: with the +0.5 smoothing of :meth:`_Evidence.specificity`, a compound seen 4 times and never in general news
#: scores 4.9 (驻村第一书记, 防止返贫); 0.9 nats admits 脱贫质量 (mostly after 提高)
COMPOUND_SPECIFICITY = 3.0
#: a head at the end needs a modifier of two or more characters: one character before it is mostly the end of
#: the previous word (县扶贫, 村脱贫, 年脱贫, 有保障 were 25 of the 29 such compounds mined, read by hand)
MIN_MODIFIER_CHARS = 2
COMPOUND_SIDE_ENTROPY = 0.9
#: a numbered slogan (两不愁三保障, 五个一批, 三区三州, 四好农村路) starts with a numeral character
NUMBERED = re.compile(r"[一二两三四五六七八九十百千万]")
#: a candidate whose parts (as jieba's general dictionary splits it) each occur mostly outside it is a
#: collocation of free words, not a term: 经济发展 is 10 % of the uses of 经济 and 5 % of 发展, 中国人民 9 %,
#: 领导干部 8 %; 高质量发展 is 78 % of 高质量, 生态文明 39 % of 文明 (shares in the mining text)
MIN_PART_SHARE = 0.15
#: the same for a domain-specific candidate without a policy head (推进农村 2 %, 发展产业 2 %, 农村工作 4 %); a
#: head keeps 消费扶贫 and 整村搬迁, whose first part is only a modifier of it
MIN_PART_SHARE_DOMAIN = 0.05
#: a general verb and one word (推进农村) is a phrase of free words, unless a part is bound to the candidate: at
#: least this share of its uses are inside it (督战 in 挂牌督战: 50 %, 返贫 in 防止返贫: 28 %; 脱贫 in 巩固脱贫 and
#: 农村 in 推进农村 are a few per cent)
BOUND_PART_SHARE = 0.25


# --- clauses (issue 13): an entry glued to a verb, a speech, aspect or modal word becomes one token, and a search
# for the term it holds (脱贫攻坚 in 县脱贫攻坚, 批示 in 作出批示) misses it ----------------------------------------------
#: an entry that starts or ends on one of these words, with at least CLAUSE_REST_CHARS other characters, is a clause
#: (取得新突破, 贫困县开展, 贫困户已经, 必须到位, 重要指示强调; helpers.keywords.clause_token): the dangling words of keyphrase boundaries
#: (helpers.keywords.DANGLING_WORDS: aspect and modal words, adverbs 已经/必须/正在, light verbs 作出/取得/开展) and the
#: speech verbs of helpers.terms.SPEECH, of two or more characters; the rule of keyphrase's clause tokens, so that
#: 获得感 (one character after 获得) stays
CLAUSE_EDGE_WORDS = tuple(sorted((w for w in DANGLING_WORDS | SPEECH if len(w) >= 2), key=len, reverse=True))
#: one-character verbs that make a clause at the start: having and ability (有更多, 有劳动能力, 能致富); the modal
#: 可 and 应 also build adjectives and nouns (可持续, 可复制, 应纳税所得额), so they are left out
CLAUSE_START_CHARS = frozenset("有能")
#: the aspect particles 了, 过, 着 and jieba's tags of them (脱了贫, 有了底), and the tags of the verbs and idioms that
#: jieba's dictionary lists with one (尝到了 l): a verb and its aspect are a clause
ASPECT_CHARS, ASPECT_POS, ASPECT_HOST_POS = frozenset("了过着"), ("ul", "ug", "uz"), ("v", "l")
#: an adverb (jieba tag d, two or more characters) before a verb, an adjective or a preposition (tags v, a, p)
#: leads a predicate (同步推进, 牢牢坚持, 逐步致富 a, 纷纷向总书记问好), not a name; before a noun or a verbal noun it may
#: be a modifier (自然条件, 日常监督 vn), which stays
ADVERB_POS, PREDICATE_POS, VERB_POS = "d", frozenset({"v", "a", "p"}), "v"
#: administrative levels: one of them before an entry of the dictionary is mostly the end of a place name (XX县 +
#: 脱贫攻坚, XX州 + 脱贫攻坚); helpers.keywords.ADMIN_PLACE_ENDS plus the village and the autonomous prefecture
ADMIN_LEVEL_CHARS = ADMIN_PLACE_ENDS | frozenset("村州")

# --- fragments of numbers and dates: in 2019年脱贫攻坚, 1000万贫困人口, 9日在京 the first character is the unit of
# the number before it; an entry 年脱贫攻坚 or 万贫困人口 eats that unit (2019 / 年脱贫攻坚) and hides the term -------
#: a candidate is a fragment of a number, a date or a measure when its first character closes one in MORE than this
#: share of its occurrences in the mining text ("most of them"): 万贫困人口, 户贫困户, 日在京, 年减贫 are 100 % (78,
#: 61, 24 and 7 occurrences), 轮巡视 88 %; terms that start with the same characters are far below (日常监督, 年均增长,
#: 万众创新, 多规合一 0 %; 年人均 is mostly 农民年人均收入, annual, 7 %)
NUMBER_BOUND_SHARE = 0.5
#: the first character closes a number when an Arabic digit stands before it (2019年, 1000万), or when it ends a word
#: of jieba's general dictionary with the character before it that jieba tags as a numeral, measure, time word or
#: pronoun (m: 两年, 多万, 第二轮, 多名; q: measure words; t: 今年, 去年, 九年; r: 每年, 每月); read from the text and
#: jieba's tags, not from a list of units
ARABIC_DIGIT = re.compile(r"[0-9０-９]")
NUMBER_WORD_POS = ("m", "q", "t", "r")


class _Evidence:
    """The corpus statistics every step reads: n-gram counts and contexts, general-news counts, jieba's view."""

    def __init__(self, domain: list[str], general: list[str], tags: Counter) -> None:
        from jieba import posseg

        self.domain, self.general, self.tags = domain, general, tags
        self.freq, self.left, self.right = ngram_stats(domain)
        self.general_text = "\n".join(general)
        self.total = sum(v for k, v in self.freq.items() if len(k) == 1)
        self.plain = jieba.Tokenizer()
        self.plain.initialize()
        self.tagger = posseg.POSTokenizer(self.plain)
        self.dom_chars = sum(len(t) for t in domain)
        self.gen_chars = sum(len(t) for t in general)
        self.pre = {w for w, f in self.freq.items() if MIN_N <= len(w) <= MAX_N and f >= 3}
        self.gen_counts: Counter = Counter()
        for text in general:
            for run in CJK_RUN.findall(text):
                for n in range(MIN_N, MAX_N + 1):
                    for i in range(0, len(run) - n + 1):
                        g = run[i : i + n]
                        if g in self.pre:
                            self.gen_counts[g] += 1

    def parts_of(self, w: str) -> list[tuple[str, str]]:
        return [(p.word, p.flag) for p in self.tagger.cut(w, HMM=False)]

    def split_by_jieba(self, w: str) -> bool:
        return len(self.plain.lcut(w, HMM=False)) > 1

    def min_pmi(self, w: str) -> float:
        best = math.inf
        for k in range(1, len(w)):
            fa, fb = self.freq.get(w[:k], 0), self.freq.get(w[k:], 0)
            if not fa or not fb:
                return -math.inf
            best = min(best, math.log(self.freq[w] * self.total / (fa * fb)))
        return best

    def specificity(self, w: str) -> float:
        """How much more often an n-gram occurs in the poverty news than in general news."""
        return (self.freq.get(w, 0) / self.dom_chars) / ((self.gen_counts.get(w, 0) + 0.5) / self.gen_chars)


def _ngram_candidates(ev: _Evidence) -> tuple[dict[str, str], set[str]]:
    """Cohesive, free n-grams (domain-specific ones need less evidence: fewer occurrences, no term-shape test)."""
    cands: dict[str, str] = {}
    domain_terms: set[str] = set()
    for w in ev.pre:
        f = ev.freq[w]
        spec = ev.specificity(w)
        is_domain = spec >= DOMAIN_SPECIFICITY and f >= DOMAIN_MIN_FREQ
        if w in DEBUG:
            print(w, f, round(spec, 1), round(entropy(ev.left[w]), 2), round(entropy(ev.right[w]), 2))
            print("  ", round(ev.min_pmi(w), 2), ev.split_by_jieba(w), ev.parts_of(w))
        if f < MIN_FREQ and not is_domain:
            continue
        if w[0] in BAD_START or w[-1] in BAD_END or "的" in w:
            continue
        if min(entropy(ev.left[w]), entropy(ev.right[w])) < MIN_SIDE_ENTROPY[is_domain]:
            continue
        if ev.min_pmi(w) < MIN_PMI[is_domain] or not ev.split_by_jieba(w):
            continue
        parts = ev.parts_of(w)
        if not _edges_ok(parts):
            continue
        if not structural_ok(parts) and not (is_domain and _domain_shape_ok(parts)):
            continue
        cands[w] = "ngram"
        if is_domain:
            domain_terms.add(w)
    return cands, domain_terms


def _add_quoted(ev: _Evidence, cands: dict[str, str]) -> None:
    """Quoted expressions that recur (“两不愁三保障”)."""
    quoted: Counter = Counter()
    for text in ev.domain + ev.general:
        quoted.update(QUOTED.findall(text))
    for w, f in quoted.items():
        if f >= 2 and len(w) <= MAX_N and w[0] not in BAD_START and w[-1] not in BAD_END and ev.split_by_jieba(w):
            if ev.freq.get(w, 0) + ev.general_text.count(w) >= 3:
                cands.setdefault(w, "quoted")


def _add_tags(ev: _Evidence, cands: dict[str, str]) -> None:
    """The editors' keywords of the news corpora."""
    for w in ev.tags:
        if CJK_RUN.fullmatch(w) and MIN_N <= len(w) <= MAX_N and ev.freq.get(w, 0) >= 3 and ev.split_by_jieba(w):
            if w[0] not in BAD_START and w[-1] not in BAD_END and structural_ok(ev.parts_of(w)):
                cands.setdefault(w, "tag")


def _policy_head(w: str) -> str | None:
    """The policy head a compound is built on: at its start (贫困村, 扶贫车间), or at its end after a modifier of
    at least MIN_MODIFIER_CHARS characters (产业扶贫)."""
    for h in POLICY_HEADS:
        if w.startswith(h) or (w.endswith(h) and len(w) - len(h) >= MIN_MODIFIER_CHARS):
            return h
    return None


def _add_policy_compounds(ev: _Evidence, cands: dict[str, str], domain_terms: set[str]) -> None:
    """Domain-specific compounds of a policy head (产业扶贫, 脱贫人口, 贫困群众) and numbered slogans (三保障):
    frequent, free on both sides, term-shaped; no PMI test, since their parts are common words of the field."""
    for w in ev.pre:
        head = _policy_head(w)
        numbered = NUMBERED.match(w) is not None and len(w) <= 6
        if head is None and not numbered or not 1 <= len(w) - len(head or "") <= 3:
            continue
        if ev.freq[w] < DOMAIN_MIN_FREQ or ev.specificity(w) < COMPOUND_SPECIFICITY:
            continue
        if w[0] in BAD_START or w[-1] in BAD_END or "的" in w or not ev.split_by_jieba(w):
            continue
        if min(entropy(ev.left[w]), entropy(ev.right[w])) < COMPOUND_SIDE_ENTROPY:
            continue
        parts = ev.parts_of(w)
        if w.startswith(head or "\0") and parts[-1][1].startswith("v") and _general_word(ev, parts[-1][0]):
            continue  # a term and a general verb after it (贫困户发展): a clause, not a compound
        if _edges_ok(parts) and (structural_ok(parts) or _domain_shape_ok(parts)):
            cands[w] = "compound"  # also when the n-gram statistics found it: not subject to the fragment test
            domain_terms.add(w)


def _part_share(ev: _Evidence, w: str, parts: list[tuple[str, str]]) -> float:
    """The largest share of a part's occurrences that are occurrences of ``w`` (1.0 for a part too long to
    have been counted)."""
    return max(ev.freq.get(w, 0) / ev.freq[p] if p in ev.freq else 1.0 for p, _ in parts)


def _verb_and_object(ev: _Evidence, parts: list[tuple[str, str]]) -> bool:
    """A general verb of two or more characters and one word (巩固脱贫, 帮助贫困, 推进农村): a phrase of free words.
    A verb of the field (扶贫搬迁, 脱贫致富) is not general: it is at least DOMAIN_SPECIFICITY times as frequent in
    the poverty news as in general news."""
    if len(parts) != 2 or parts[0][1] != "v" or len(parts[0][0]) < 2:
        return False
    return _general_word(ev, parts[0][0])


def _general_word(ev: _Evidence, word: str) -> bool:
    """Is a word of general language: less than DOMAIN_SPECIFICITY times as frequent in the poverty news as in
    general news (推进, 巩固, 率先; not 脱贫, 扶贫)?"""
    domain_rate = ev.freq.get(word, 0) / ev.dom_chars
    general_rate = (ev.general_text.count(word) + 0.5) / ev.gen_chars
    return domain_rate < DOMAIN_SPECIFICITY * general_rate


def _drop_collocations(ev: _Evidence, cands: dict[str, str], domain_terms: set[str]) -> None:
    """Collocations of free words (经济发展, 中国人民, 推进农村, 发展产业): every part is mostly used elsewhere.
    Quoted expressions are terms by the writers' own marking and are kept."""
    for w in list(cands):
        parts = ev.parts_of(w)
        if cands[w] == "quoted" or len(parts) < 2 or all(len(p) == 1 for p, _ in parts):
            continue
        share = _part_share(ev, w, parts)
        if _verb_and_object(ev, parts):
            drop = share < BOUND_PART_SHARE
        elif w not in domain_terms:
            drop = share < MIN_PART_SHARE
        else:
            drop = share < MIN_PART_SHARE_DOMAIN and not any(h in w for h in POLICY_HEADS)
        if drop:
            if w in DEBUG:
                print("collocation", w, round(share, 3), parts)
            del cands[w]


def _drop_misaligned(ev: _Evidence, cands: dict[str, str], domain_terms: set[str]) -> None:
    """Boundary alignment: in the corpus segmented by jieba's general dictionary, a real unit starts and ends on
    token boundaries; fragments such as 培育新(型) or (开)正式开(幕) cut through a token."""
    aligned_start: Counter = Counter()
    aligned_end: Counter = Counter()
    seen: Counter = Counter()
    cand_list = list(cands)
    for text in ev.domain:
        bounds = {0}
        pos = 0
        for tok in ev.plain.cut(text, HMM=False):
            pos += len(tok)
            bounds.add(pos)
        for w in cand_list:
            start = text.find(w)
            while start != -1:
                seen[w] += 1
                aligned_start[w] += start in bounds
                aligned_end[w] += start + len(w) in bounds
                start = text.find(w, start + 1)
    for w in cand_list:
        if not seen[w] or cands[w] == "quoted":
            continue
        a, b = aligned_start[w] / seen[w], aligned_end[w] / seen[w]
        lo, mean = MIN_ALIGNMENT[w in domain_terms]
        if min(a, b) < lo or (a + b) / 2 < mean:
            if w in DEBUG:
                print("alignment", w, a, b)
            del cands[w]


def _drop_verb_phrases(ev: _Evidence, cands: dict[str, str]) -> None:
    """Verb/adverb + term phrases (打赢脱贫攻坚战, 实施乡村振兴战略, 扎实推进脱贫攻坚): the term alone is the unit; and
    general verbs or adverbs + a policy head (率先脱贫, 扎实推进扶贫, 巩固脱贫), which are phrases, not terms (a
    modifier tagged otherwise, 精准扶贫, 稳定脱贫, 教育扶贫, or of the field, 脱贫攻坚, stays)."""
    terms = {w for w in cands if len(w) >= 3}
    for w in list(cands):
        if cands[w] == "quoted":
            continue
        prefix, plain = "", True
        for word, flag in ev.parts_of(w)[:-1]:
            if not flag.startswith(("v", "d", "a")) or len(word) < 2:
                break  # a one-character verb is bound in a compound (驻村第一书记), not a phrase
            prefix, plain = prefix + word, plain and flag in ("v", "d") and _general_word(ev, word)
            rest = w[len(prefix) :]
            if any(rest.startswith(t) for t in terms if t != w) or (plain and _free_head(ev, w, rest)):
                del cands[w]
                break


def _free_head(ev: _Evidence, w: str, rest: str) -> bool:
    """Is ``rest`` a policy head mostly used outside ``w`` (脱贫 in 巩固脱贫; not 返贫 in 防止返贫, see
    BOUND_PART_SHARE)?"""
    return rest in POLICY_HEADS and ev.freq.get(w, 0) < BOUND_PART_SHARE * ev.freq.get(rest, 1)


def _drop_generic_compounds(cands: dict[str, str]) -> None:
    """Term + generic word compounds (脱贫攻坚工作, 精准扶贫工作会议): the term alone is the unit."""
    terms = {w for w in cands if len(w) >= 3}
    for w in list(cands):
        if cands[w] == "quoted":
            continue
        if any(t != w and w.startswith(t) and w[len(t) :] in GENERIC_TAILS for t in terms):
            del cands[w]


def _drop_fragments(ev: _Evidence, cands: dict[str, str]) -> list[str]:
    """The candidates kept: not a kept candidate plus a stray character on either side (a fragment of a sentence),
    and not a fragment of a kept candidate one character longer (see :func:`_drop_inner_fragments`)."""
    words = sorted(cands, key=lambda w: (-ev.freq.get(w, 0), w))
    kept: list[str] = []
    keep_set: set[str] = set()
    for w in sorted(words, key=len):
        base = w[:-1] if w[:-1] in keep_set else (w[1:] if w[1:] in keep_set else None)
        rare = ev.freq.get(w, 0) < MIN_SHARE_OF_BASE * ev.freq.get(base, 1)
        if base is not None and cands[w] == "ngram" and rare and not _chained(ev, base, w):
            continue  # a kept word plus one character: only a unit of its own if it is most of the base's uses
        kept.append(w)
        keep_set.add(w)
    return _drop_inner_fragments(ev, kept, cands)


def _chained(ev: _Evidence, base: str, w: str) -> bool:
    """Does the character that ``w`` adds to ``base`` make a word of jieba's dictionary with the end (or start) of
    ``base``? Then ``w`` is a chain of two words (深度贫困 + 贫困村 in 深度贫困村), not a fragment of a sentence."""
    added_at_end = w.startswith(base)
    for k in range(2, min(len(base), 3) + 1):
        piece = w[-k:] if added_at_end else w[:k]
        if ev.plain.FREQ.get(piece):
            return True
    return False


def _drop_inner_fragments(ev: _Evidence, kept: list[str], cands: dict[str, str]) -> list[str]:
    """Drop a word whose occurrences are mostly (FRAGMENT_SHARE) inside a kept word one character longer: it is a
    fragment of that word (村第一书记 of 驻村第一书记), and as an entry of its own it would cut the longer word in
    context (驻 / 村第一书记). Quoted expressions are kept."""
    keep_set = set(kept)
    fragments = set()
    for w in kept:
        if len(w) <= MIN_N or cands[w] == "quoted":
            continue
        for part in (w[1:], w[:-1]):
            share = ev.freq.get(w, 0) / max(ev.freq.get(part, 0), 1)
            if part in keep_set and cands[part] != "quoted" and share >= FRAGMENT_SHARE:
                fragments.add(part)
    print(f"dropped {len(fragments)} fragments of longer words: {' '.join(sorted(fragments)[:30])}")
    return [w for w in kept if w not in fragments]


def is_clause(w: str, parts: list[tuple[str, str]]) -> bool:
    """Is a dictionary entry a term glued to a verb, a speech, aspect or modal word, rather than a term?

    Parameters
    ----------
    w : str
        The entry.
    parts : list of (str, str)
        Its words and part-of-speech tags as jieba's general dictionary cuts it (``_Evidence.parts_of``).

    Returns
    -------
    bool
        True for 取得新突破, 贫困县开展, 作出批示, 代表团审议时说 (a speech verb among its words), 脱了贫, 有更多,
        逐步致富 (see :data:`CLAUSE_EDGE_WORDS` and the constants after it); false for 获得感, 驻村第一书记, 可持续,
        日常监督.
    """
    if clause_token(w, edge_words=CLAUSE_EDGE_WORDS):
        return True
    if len(parts) < 2:
        return False
    (first, first_tag), second_tag = parts[0], parts[1][1]
    if any(word in SPEECH for word, _ in parts):
        return True  # reports who said or did what (代表团 / 审议 / 时说); 重要讲话精神 is 重要讲话 / 精神
    if first in CLAUSE_START_CHARS and first_tag.startswith(VERB_POS):
        return True
    if any(
        flag in ASPECT_POS or (word[-1] in ASPECT_CHARS and flag.startswith(ASPECT_HOST_POS)) for word, flag in parts
    ):
        return True  # a particle, or a verb jieba lists with its aspect (尝到了)
    return first_tag == ADVERB_POS and len(first) >= 2 and second_tag in PREDICATE_POS


def _drop_clauses(ev: _Evidence, cands: dict[str, str]) -> None:
    """Clauses (取得新突破, 贫困县开展, 脱了贫, 逐步致富), whatever the evidence: the term inside is the unit."""
    for w in [w for w in cands if is_clause(w, ev.parts_of(w))]:
        if w in DEBUG:
            print("clause", w, ev.parts_of(w))
        del cands[w]


def number_bound_share(w: str, text: str, word_tags: dict[str, str]) -> float:
    """The share of the occurrences of ``w`` in ``text`` whose first character closes a number, a date or a measure.

    Parameters
    ----------
    w : str
        A candidate entry.
    text : str
        The text it is counted in.
    word_tags : dict of str to str
        Part-of-speech tags of the words of jieba's general dictionary (``jieba.posseg.POSTokenizer.word_tag_tab``).

    Returns
    -------
    float
        The share of occurrences after an Arabic digit, or whose first character ends a numeral, measure, time word
        or pronoun with the character before it (:data:`NUMBER_WORD_POS`); 0.0 when ``w`` does not occur.

    Examples
    --------
    >>> tags = {"去年": "t", "每年": "r"}
    >>> number_bound_share("年减贫", "2019年减贫1109万人，去年减贫，每年减贫。“年减贫”", tags)
    0.75
    """
    seen = bound = 0
    start = text.find(w)
    while start != -1:
        before = text[start - 1] if start else ""
        seen += 1
        bound += bool(ARABIC_DIGIT.fullmatch(before)) or word_tags.get(before + w[0], "").startswith(NUMBER_WORD_POS)
        start = text.find(w, start + 1)
    return bound / seen if seen else 0.0


def _drop_number_bound(ev: _Evidence, kept: list[str]) -> list[str]:
    """Fragments of numbers and dates (万贫困人口, 日在京, 年脱贫攻坚), whatever the evidence: their first character is
    mostly the unit of a number before them (:data:`NUMBER_BOUND_SHARE`). Run on the final list, like
    :func:`_drop_admin_prefixed`: an entry dropped as a fragment of one of them (人摆脱贫困, mostly inside
    万人摆脱贫困, mostly after a number) stays dropped."""
    text = "\n".join(ev.domain)
    shares = {w: number_bound_share(w, text, ev.tagger.word_tag_tab) for w in kept}
    dropped = {w for w, share in shares.items() if share > NUMBER_BOUND_SHARE}
    print(f"dropped {len(dropped)} fragments of numbers and dates: {' '.join(sorted(dropped))}")
    return [w for w in kept if w not in dropped]


def _drop_admin_prefixed(kept: list[str]) -> list[str]:
    """An administrative level and a kept entry (县脱贫攻坚: the end of XX县, then 脱贫攻坚). Run on the final list:
    where the entry is mostly inside the longer word it was dropped as a fragment (党支部书记 of 村党支部书记), and
    the longer word stays."""
    keep_set = set(kept)
    dropped = {w for w in kept if w[0] in ADMIN_LEVEL_CHARS and w[1:] in keep_set}
    print(f"dropped {len(dropped)} administrative level + entry: {' '.join(sorted(dropped))}")
    return [w for w in kept if w not in dropped]


def _cut_shares(texts: list[str], tk: jieba.Tokenizer, words: Iterable[str]) -> dict[str, float]:
    """For each word, the share of its occurrences in ``texts`` that ``tk`` cuts through."""
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    seen: Counter = Counter()
    cut: Counter = Counter()
    for text in texts:
        bounds, pos = set(), 0
        for tok in tk.cut(text, HMM=True):
            pos += len(tok)
            bounds.add(pos)
        for m in pattern.finditer(text):
            seen[m.group()] += 1
            cut[m.group()] += any(m.start() < b < m.end() for b in bounds)
    return {w: cut[w] / n for w, n in seen.items()}


def _raise_where_cut(ev: _Evidence, tk: jieba.Tokenizer, freq: dict[str, int]) -> None:
    """In context a word can lose to a neighbouring entry (深度贫困 + 县 against 深度贫困县): raise the frequency of
    each word that the dictionary still cuts in more than MAX_CUT_SHARE of its occurrences in the mining text,
    RAISE_FACTOR times per round, for RAISE_ROUNDS rounds."""
    for _ in range(RAISE_ROUNDS):
        shares = _cut_shares(ev.domain, tk, freq)
        raise_ = [w for w, share in shares.items() if share > MAX_CUT_SHARE]
        for w in raise_:
            freq[w] *= RAISE_FACTOR
            tk.add_word(w, freq[w])
        print(f"raised the frequency of {len(raise_)} words cut in context")


def _write_dictionary(ev: _Evidence, kept: list[str], cands: dict[str, str], out_dir: Path, heldout: bool) -> None:
    """``domain_dict.txt`` with the jieba frequency that keeps each word whole, and its sources table."""
    tk = jieba.Tokenizer()
    tk.initialize()
    gen_freq = {w: ev.general_text.count(w) for w in kept}
    freq = {}
    for w in sorted(kept, key=lambda w: (len(w), w)):  # shorter entries first, at the frequency they will have
        need = tk.suggest_freq(w, tune=False)
        freq[w] = max(int(need * FREQ_FACTOR), MIN_WORD_FREQ)
        tk.add_word(w, freq[w])
    _raise_where_cut(ev, tk, freq)
    order = sorted(kept, key=lambda w: (-ev.freq.get(w, 0) - gen_freq[w], w))
    lines = [(w, freq[w], cands[w]) for w in order]
    header = (
        "# Domain dictionary for jieba, mined by scripts/build_domain_dict.py from CCTV 新闻联播 stories (china-data/xwlb,\n"
        "# MIT; see data/README.md) and the seed documents. Format: word freq pos (jieba user dictionary).\n"
    )
    out = out_dir / ("domain_dict_heldout.txt" if heldout else "domain_dict.txt")
    if heldout:  # the validation dictionary (no sources table: the same evidence, less the later stories)
        header += f"# Held out: stories dated {HELDOUT_FROM} or later were not mined (data/segmentation_heldout).\n"
        out.write_text(header + "".join(f"{w} {f} nz\n" for w, f, _ in lines), encoding="utf-8")
        print(f"wrote {len(lines)} words to {out}")
        return
    header += "# The evidence kind of each word is in domain_dict_sources.tsv.\n"
    out.write_text(header + "".join(f"{w} {f} nz\n" for w, f, _ in lines), encoding="utf-8")
    (out_dir / "domain_dict_sources.tsv").write_text(
        "word\tevidence\tdomain_freq\tgeneral_freq\n"
        + "".join(f"{w}\t{k}\t{ev.freq.get(w, 0)}\t{gen_freq.get(w, 0)}\n" for w, _, k in lines),
        encoding="utf-8",
    )
    print(f"wrote {len(lines)} words to {out}: {dict(Counter(k for _, _, k in lines))}")


def main() -> None:
    heldout = "--heldout" in sys.argv[1:]
    default_dir = HELDOUT_DIR if heldout else RESOURCES_DIR
    out_dir = next((Path(a.split("=", 1)[1]) for a in sys.argv[1:] if a.startswith("--out=")), default_dir)
    domain, general, tags = load_texts(heldout)
    print(f"texts: {len(domain)} domain, {len(general)} general")
    ev = _Evidence(domain, general, tags)
    cands, domain_terms = _ngram_candidates(ev)
    _add_policy_compounds(ev, cands, domain_terms)
    _add_quoted(ev, cands)
    _add_tags(ev, cands)
    _drop_collocations(ev, cands, domain_terms)
    _drop_misaligned(ev, cands, domain_terms)
    _drop_verb_phrases(ev, cands)
    _drop_generic_compounds(cands)
    _drop_clauses(ev, cands)
    kept = _drop_number_bound(ev, _drop_admin_prefixed(_drop_fragments(ev, cands)))
    _write_dictionary(ev, kept, cands, out_dir, heldout)


if __name__ == "__main__":
    main()
