"""Keywords of documents and of a corpus: TF-IDF (corpus and reference IDF), TextRank, key phrases, and jieba.

Five methods, all fed by the project's tokenizer (:mod:`helpers.tokenize`) except ``jieba_extract_tags``:

``tfidf_corpus``
    scikit-learn's ``TfidfVectorizer`` over the corpus (sublinear tf, optional word bigrams). Its IDF comes from
    the corpus itself, so it is weak on a handful of documents.
``tfidf_reference``
    sublinear tf times a **reference IDF** measured on ~5,000 news stories and shipped with the project
    (``resources/reference_idf.tsv``, built by ``scripts/build_reference_idf.py``; :func:`load_reference_idf`).
    Sensible weights even for a single document.
``textrank``
    TextRank over the project's tokens: a co-occurrence graph (window of 5 tokens), PageRank by power iteration
    (numpy/scipy), then adjacent top-ranked words merged into phrases.
``keyphrase``
    candidate phrases of 1–3 consecutive content tokens (never across punctuation or a stopword), scored by tf,
    reference IDF (of the whole phrase if the table has it, else the mean over its parts; unknown words get the
    largest IDF), corpus IDF of the whole phrase, first position, presence in a title sentence (the documents'
    titles when given: none is guessed; every headline of a document holding several stories, :func:`story_titles`), a length prior in tokens and in characters; a phrase seen once and in no other
    document weighs less. Fragments -- candidates that never occur except inside one longer candidate, such as
    事件原则 inside 确定事件原则 -- weigh less, so domain terms stay whole unless the shorter form is the better term. No phrase starts or ends on a function word or a
    dangling verb (确诊病例超过), names are left to :func:`extract_names`, and the top list is chosen by maximal
    marginal relevance (:func:`diverse_top`), so one term does not fill it in several overlapping forms.
``jieba_extract_tags``
    the usual tool, ``jieba.analyse.extract_tags`` with jieba's default dictionary and bundled IDF. It stays a
    selectable method (every run can show it next to the others); :mod:`helpers.validation.keywords` uses it as
    the **baseline** the other methods are measured against.

:func:`extract_keywords` runs them and returns one long table ``doc_id, method, rank, term, score, kind``
(corpus-level rows have ``doc_id == "__corpus__"``); :func:`extract_names` lists the people, places and
organisations of each document apart; :func:`method_agreement` compares methods, :func:`side_by_side` and
:func:`keywords_wide` lay them out per document, :func:`keywords_by_period` and :func:`corpus_term_weights` sum
them over periods or the corpus. Scoring against gold keywords is in :mod:`helpers.validation.keywords`, the
figures in :mod:`helpers.plotting.keywords`.

>>> kw = extract_keywords(["精准扶贫是打赢脱贫攻坚战的关键。驻村工作队帮助贫困户发展产业，贫困户脱贫。"],
...                       doc_ids=["d1"], methods=["tfidf_reference"], top_k=3, corpus_level=False)
>>> list(kw.columns), len(kw), "驻村工作队" in set(kw.term)
(['doc_id', 'method', 'rank', 'term', 'score', 'kind'], 3, True)

References
----------
.. [1] K. Sparck Jones, "A statistical interpretation of term specificity and its application in retrieval",
   Journal of Documentation 28(1), 1972 (inverse document frequency).
.. [2] G. Salton and C. Buckley, "Term-weighting approaches in automatic text retrieval", Information Processing
   & Management 24(5), 1988 (tf-idf weighting, logarithmic tf, cosine normalisation).
.. [3] R. Mihalcea and P. Tarau, "TextRank: Bringing order into texts", EMNLP 2004.
.. [4] I. H. Witten, G. W. Paynter, E. Frank, C. Gutwin and C. G. Nevill-Manning, "KEA: Practical automatic
   keyphrase extraction", ACM DL 1999 (candidate phrases, tf-idf and first occurrence).
.. [5] S. R. El-Beltagy and A. Rafea, "KP-Miner: A keyphrase extraction system for English and Arabic documents",
   Information Systems 34(1), 2009 (a boost for multi-word candidates).
.. [6] K. Frantzi, S. Ananiadou and H. Mima, "Automatic recognition of multi-word terms: the C-value/NC-value
   method", International Journal on Digital Libraries 3(2), 2000 (nested candidates).
"""

from __future__ import annotations

import math
import re
import unicodedata
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from .clean import _CJK, document_headlines
from .paths import RESOURCES_DIR
from .tokenize import NAME_CHARS, SURNAMES, Tokenizer, get_default_tokenizer, split_sentences

__all__ = [
    "METHODS",
    "DEFAULT_METHODS",
    "CORPUS_ID",
    "KeyphraseSettings",
    "ReferenceIDF",
    "load_reference_idf",
    "smoothed_idf",
    "residual_idf",
    "idf_examples",
    "reference_origin",
    "normalize_term",
    "segment_runs",
    "keywords_tfidf_corpus",
    "keywords_tfidf_reference",
    "keywords_textrank",
    "keywords_keyphrase",
    "keyphrase_candidates",
    "keywords_jieba",
    "extract_keywords",
    "extract_names",
    "name_kind",
    "place_names",
    "clause_token",
    "phrase_overlap",
    "diverse_top",
    "nested_share",
    "widespread_terms",
    "concentrated_terms",
    "concentrated_sentence",
    "widespread_sentence",
    "spread_terms_flagged",
    "with_title",
    "story_titles",
    "titles_sentence",
    "method_agreement",
    "keywords_by_period",
    "period_lists_sentence",
    "period_keyness",
    "mark_period_keyness",
    "period_keyness_sentence",
    "corpus_term_weights",
    "recurring_text_keywords",
    "leading_terms_line",
    "side_by_side",
    "keywords_wide",
    "shown_keywords",
    "names_sentence",
]

METHODS: tuple[str, ...] = ("tfidf_corpus", "tfidf_reference", "textrank", "keyphrase", "jieba_extract_tags")
DEFAULT_METHODS: tuple[str, ...] = METHODS
CORPUS_ID = "__corpus__"
COLUMNS = ["doc_id", "method", "rank", "term", "score", "kind"]

# TextRank and PageRank settings
TEXTRANK_WINDOW = 5  # tokens linked in the co-occurrence graph: jieba's TextRank span; Mihalcea & Tarau tried 2-10
PAGERANK_DAMPING = 0.85  # the damping factor of Brin & Page (1998), also used by Mihalcea & Tarau (2004)
PAGERANK_TOL = 1e-8  # L1 change between two iterations at which the power iteration stops (numerical, not tuned)
PAGERANK_MAX_ITER = 200  # upper bound on power iterations; small graphs converge in well under 100
TEXTRANK_TOP_FRACTION = 1 / 3  # share of ranked words kept for phrase merging: "a third of the vertices" (2004)
MAX_PHRASE_TOKENS = 3  # longest phrase merged from adjacent top words, as the keyphrase candidates
MIN_PHRASE_COUNT = 2  # a merged phrase must occur twice, so that one chance adjacency is not a phrase (project)
#: the corpus list of ``textrank`` merges words into a phrase only when the phrase holds this share of the
#: occurrences of its rarest word: on 3,915 CCTV stories 新中国发展, 中国加强合作 and 发展合作组织 (2-3 times, their
#: words thousands of times) led it (reviewer R), while a term's words mostly occur in it (精准扶贫)
CORPUS_PHRASE_MIN_SHARE = 0.1
#: weight of a one-character term in tfidf_corpus, tfidf_reference, textrank and keyphrase (KeyphraseSettings): one character is
#: rarely a term, most often a piece of a word the segmenter cut (湖 of 湖人, review R10b; 14 of 5,212 CSL author
#: keywords). 0.3 was tuned for keyphrase on the CSL tuning split; measured on the held-out data/csl_sample when given
#: to the tfidf methods (round 11): F1@5 of tfidf_corpus 0.190 -> 0.201, tfidf_reference 0.141 -> 0.147, and the
#: one-character share of their top 10 on data/cnews_sample 10.1 % / 11.8 % -> 0 % (csl_sample 9.8 % / 11.5 % -> 0-0.1 %);
#: given to a word textrank lists alone: F1@5 0.179 -> 0.187, one-character share on cnews_sample 7.3 % -> 0.5 %
SINGLE_CHAR_WEIGHT = 0.3
MIN_SHARED_FOR_SPEARMAN = 3  # a rank correlation of fewer shared terms is meaningless (two points always fit)

#: whitespace between two Chinese characters separates, as punctuation does (headlines: 公安机关多措并举 保节日平安);
#: between Latin words, or a Latin and a Chinese word, it joins (rodrigues 参数)
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")

Keywords = list[tuple[str, float]]
MethodResult = tuple[list[Keywords], Keywords]  # (per-document keywords, corpus keywords) of one method


# -- normalisation ------------------------------------------------------------------------------------------------
def normalize_term(term: str) -> str:
    """The form in which keywords are compared: NFKC, lower case, outer whitespace removed.

    Parameters
    ----------
    term : str
        A keyword as a method or an author wrote it.

    Returns
    -------
    str
        The comparable form (used by :func:`method_agreement` and by the scores of
        :mod:`helpers.validation.keywords`).

    Examples
    --------
    >>> normalize_term(" Lyapunov函数 ")
    'lyapunov函数'
    """
    return unicodedata.normalize("NFKC", str(term)).lower().strip()


def _join(parts: Sequence[str]) -> str:
    """Join tokens into the surface form: no space between Chinese tokens, one space between two Latin ones."""
    out = parts[0]
    for p in parts[1:]:
        if out and p and out[-1].isascii() and out[-1].isalnum() and p[0].isascii() and p[0].isalnum():
            out += " "
        out += p
    return out


# -- reference IDF --------------------------------------------------------------------------------------------------
def smoothed_idf(df: int, n_documents: int) -> float:
    """Smoothed inverse document frequency ``ln((1 + N) / (1 + df)) + 1``, as scikit-learn's ``TfidfVectorizer``.

    The reference table is built with it (``scripts/build_reference_idf.py``) and an unseen term gets its value at
    ``df = 0``, the largest.

    Parameters
    ----------
    df : int
        Number of documents containing the term.
    n_documents : int
        Number of documents ``N``.

    Returns
    -------
    float

    References
    ----------
    K. Sparck Jones, "A statistical interpretation of term specificity and its application in retrieval",
    Journal of Documentation 28(1), 1972.

    Examples
    --------
    >>> round(smoothed_idf(0, 10), 4), smoothed_idf(10, 10)
    (3.3979, 1.0)
    """
    return math.log((1 + n_documents) / (1 + df)) + 1


@dataclass
class ReferenceIDF:
    """IDF weights measured on a background corpus; unknown terms get the IDF of a term seen in no document.

    Attributes
    ----------
    idf : dict of str to float
        Term -> smoothed IDF, ``ln((1 + N) / (1 + df)) + 1``.
    n_documents : int
        Size ``N`` of the background corpus.
    meta : dict
        The header fields of the table (sources, tokenizer fingerprint, ...).

    References
    ----------
    K. Sparck Jones, "A statistical interpretation of term specificity and its application in retrieval",
    Journal of Documentation 28(1), 1972.
    """

    idf: dict[str, float]
    n_documents: int
    meta: dict[str, object] = field(default_factory=dict)

    @property
    def default_idf(self) -> float:
        """Smoothed IDF of an unseen term (:func:`smoothed_idf` at ``df = 0``): the largest value in the table."""
        return smoothed_idf(0, self.n_documents)

    def __getitem__(self, term: str) -> float:
        return self.idf.get(term, self.default_idf)

    def __contains__(self, term: object) -> bool:
        return term in self.idf

    def __len__(self) -> int:
        return len(self.idf)

    def phrase_idf(self, parts: Sequence[str]) -> float:
        """IDF of a phrase backed off through its parts: the whole phrase if known, else the mean of the parts."""
        whole = "".join(parts)
        if whole in self.idf:
            return self.idf[whole]
        return float(np.mean([self[p] for p in parts]))


def load_reference_idf(reference: str | Path = "reference_idf", *, tokenizer: Tokenizer | None = None) -> ReferenceIDF:
    """Load a reference IDF table (TSV ``term, df, idf`` with ``# key: value`` header lines).

    Parameters
    ----------
    reference : str or Path
        The name of a table in ``helpers/resources`` (``"reference_idf"``, the shipped one, built from CCTV 新闻联播
        and THUCNews stories by ``scripts/build_reference_idf.py``) or a path to a TSV file.
    tokenizer : Tokenizer, optional
        Warn if the table was built with a tokenizer whose fingerprint differs from this one's (its words may then
        be segmented differently); ``None`` checks against the project's default tokenizer.

    Returns
    -------
    ReferenceIDF
        The table (cached: loading it twice returns the same object).

    Examples
    --------
    >>> ref = load_reference_idf()
    >>> ref["发展"] < ref["驻村工作队"] < ref.default_idf
    True
    """
    return _load_reference_idf(str(reference), (tokenizer or get_default_tokenizer()).fingerprint)


def _reference_table_path(reference: str) -> Path:
    """A table name in ``helpers/resources`` or a path, checked to exist."""
    path = Path(reference)
    if not path.suffix:
        candidate = RESOURCES_DIR / f"{reference}.tsv"
        path = candidate if candidate.is_file() else path
    if not path.is_file():
        raise FileNotFoundError(f"{path}: reference IDF table not found (a name in {RESOURCES_DIR} or a TSV path)")
    return path


def _read_reference_table(path: Path) -> tuple[dict[str, float], dict[str, object]]:
    """The ``term -> idf`` rows and the ``# key: value`` header fields of a reference IDF table."""
    meta: dict[str, object] = {"path": str(path), "sources": []}
    idf: dict[str, float] = {}
    header_seen = False
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if line.startswith("#"):
                key, _, value = line[1:].partition(":")
                key, value = key.strip(), value.strip()
                if key == "source":
                    meta["sources"].append(value)  # type: ignore[union-attr]
                elif key and value:
                    meta[key] = value
                continue
            if not header_seen:
                if line.split("\t")[:3] != ["term", "df", "idf"]:
                    raise ValueError(f"{path}:{lineno}: expected the header 'term<TAB>df<TAB>idf', got {line!r}")
                header_seen = True
                continue
            if not line:
                continue
            parts = line.split("\t")
            if len(parts) != 3:
                raise ValueError(f"{path}:{lineno}: expected 3 tab-separated fields, got {len(parts)}")
            idf[parts[0]] = float(parts[2])
    return idf, meta


@lru_cache(maxsize=4)
def _load_reference_idf(reference: str, fingerprint: str) -> ReferenceIDF:
    path = _reference_table_path(reference)
    idf, meta = _read_reference_table(path)
    if "n_documents" not in meta:
        raise ValueError(f"{path}: header line '# n_documents: N' missing")
    if meta.get("tokenizer_fingerprint") not in (None, fingerprint):
        warnings.warn(
            f"{path}: built with tokenizer {meta['tokenizer_fingerprint']}, current tokenizer is {fingerprint}; "
            "rebuild it with scripts/build_reference_idf.py",
            stacklevel=3,
        )
    return ReferenceIDF(idf=idf, n_documents=int(meta["n_documents"]), meta=meta)  # type: ignore[arg-type]


#: the genre of the shipped table's documents: the three sources of its header are news stories (CCTV 新闻联播 and
#: THUCNews/Sina, scripts/build_reference_idf.py)
SHIPPED_REFERENCE, SHIPPED_REFERENCE_GENRE = "reference_idf", "news"


def reference_origin(reference: ReferenceIDF) -> str:
    """What a reference IDF was measured on, for a sentence: the genre of the shipped table (or the file name of
    another), its number of documents and of sources (the ``# source:`` lines of its header, ``meta["sources"]``).

    >>> reference_origin(load_reference_idf())
    'news (4,915 documents of 3 sources, named in the header of reference_idf.tsv)'
    """
    path = Path(str(reference.meta.get("path", "")))
    shipped = path == _reference_table_path(SHIPPED_REFERENCE)
    what = SHIPPED_REFERENCE_GENRE if shipped else f"the documents of {path.name}"
    n_sources = len(reference.meta.get("sources", []))  # type: ignore[arg-type]
    of = (
        f" of {n_sources} source{'s' if n_sources != 1 else ''}, named in the header of {path.name}"
        if n_sources
        else ""
    )
    return f"{what} ({reference.n_documents:,} documents{of})"


def _as_reference(reference: ReferenceIDF | str | Path, tokenizer: Tokenizer | None = None) -> ReferenceIDF:
    return reference if isinstance(reference, ReferenceIDF) else load_reference_idf(reference, tokenizer=tokenizer)


def idf_examples(
    reference: ReferenceIDF, tokens: Sequence[Sequence[str]], *, common: Sequence[str] = ("发展", "工作"), n: int = 6
) -> pd.DataFrame:
    """The reference IDF of a few words found in almost any news story and of the corpus's most frequent words.

    Parameters
    ----------
    reference : ReferenceIDF
        The reference IDF.
    tokens : sequence of sequence of str
        The project tokens of each document.
    common : sequence of str
        Words shown first (ordinary in any news).
    n : int
        How many of the corpus's most frequent tokens follow them.

    Returns
    -------
    DataFrame
        ``term, count in corpus, idf, in table`` (IDF rounded to two decimals).

    Examples
    --------
    >>> idf_examples(load_reference_idf(), [["驻村工作队", "发展", "驻村工作队"]], n=1).term.tolist()
    ['发展', '工作', '驻村工作队']
    """
    frequent = pd.Series([t for doc in tokens for t in doc]).value_counts()
    terms = list(dict.fromkeys([*common, *frequent.index[:n]]))
    return pd.DataFrame(
        {
            "term": terms,
            "count in corpus": [int(frequent.get(t, 0)) for t in terms],
            "idf": [round(reference[t], 2) for t in terms],
            "in table": [t in reference for t in terms],
        }
    )


# -- parts of speech and names ------------------------------------------------------------------------------------
#: jieba tags of names and the kind each stands for (jieba's tag set, after the PKU/ICTCLAS tags)
NAME_KINDS: dict[str, str] = {"nr": "person", "nrfg": "person", "nrt": "person", "ns": "place", "nt": "organisation"}
KINDS: tuple[str, ...] = ("term", "person", "place", "organisation")
#: parts of speech a phrase never starts or ends on (jieba tags): particles, prepositions, conjunctions, modal
#: particles, interjections, onomatopoeia, pronouns (本文论述); numerals and measure words only at the end (三维形貌
#: is a term). jieba tags adverbs and one-character verbs too loosely to use them (同步, 随机 d; 解, 罩 v on CSL): the
#: tuning split. Latin words (``eng``) are never an edge of this kind, though their tag starts with ``e``: rbf神经网络
#: and dna提取 are author keywords (treating them as interjections cost 0.006 F1@5 on the CSL tuning split). Time
#: words that point from the date of the text (:data:`DEICTIC_TIME_POS`: 下午, 今天下午, date fragments) say when,
#: not what: 今天下午 and 日在京召开 led a news corpus's keywords over time (review R3)
EDGE_POS: tuple[str, ...] = ("u", "p", "c", "y", "e", "o", "r", "td")
#: the tag given here (not jieba's) to the words of :data:`DEICTIC_TIME_WORDS`, two of them joined (今天下午) and date
#: fragments (:data:`DATE_UNITS`). jieba's own time tag ``t`` also covers periods that are terms (清代, 明清时期,
#: 现代园林景观设计 are CSL author keywords): treating every ``t`` as an edge cost 0.0013 F1@10 on data/csl_sample
DEICTIC_TIME_POS = "td"
DEICTIC_TIME_WORDS: frozenset[str] = frozenset(
    "今天 昨天 明天 前天 后天 今日 昨日 明日 今年 去年 明年 前年 今晚 昨晚 上午 下午 中午 晚上 早上 凌晨 傍晚 当天 "
    "当日 当晚 日前 近日 近期 目前 当前 此前 今后 近年 近年来 本周 上周 下周 本月 上月 下月 北京时间".split()
)
#: the units of a date: a token that starts on one without a dictionary word there (日在京 of 14日在京召开, 年人均 of
#: 2018年人均) is a date cut from its number (日常, 年均, 月底 are words)
DATE_UNITS = frozenset("年月日号")
END_POS: tuple[str, ...] = ("m", "q")
#: one-character tokens a phrase never ends on: adverbs (日子越过越) and locality words (黄桃间, 会上 in news top-5
#: lists); neutral on the CSL tuning split (mean F1@5 ratio to jieba 2.109 with and without the locality rule)
END_ONE_CHAR_POS: tuple[str, ...] = ("d", "f")
#: a phrase never starts on a measure word (斤大豆 of 多斤大豆); CSL tuning split: 2.108 against 2.109 without
START_POS: tuple[str, ...] = ("q",)
LATIN_POS = "eng"
#: verbs and modals that dangle at the edge of a phrase (天然气年产量达, 确诊病例超过, 五龙镇要, 必须到位), from the
#: top-5 lists of news (issue 13); jieba tags most of them v, like the verbs that do end terms (数据挖掘)
DANGLING_WORDS: frozenset[str] = frozenset(
    "达 达到 超过 超 逾 近 约 要 需 需要 应 应当 应该 必须 能 能够 可 可以 会 将 已 已经 正 正在 在 是 为 有 被 把 让 使 "
    "到 到位 至 向 对 给 确保 进行 开展 作出 做出 予以 加以 得到 受到 取得 获得 成为 称 表示 指出 强调 提出 认为 暨".split()
)
#: verbs of news events whose place, person or occasion stands before them (云南考察, 北京举行, 汪洋出席, 负责人介绍,
#: 座谈会发言): no phrase ends on one (10 % of the top-5 keyphrases of 850 CCTV stories ended on a verb, these led;
#: 3 of the 5,212 CSL author keywords end on one: 技术介绍, 历史考察, 文物考察; CSL F1@5 unchanged)
EVENT_VERBS: frozenset[str] = frozenset(
    "举行 召开 开幕 闭幕 出席 会见 会晤 会谈 访问 考察 调研 视察 来到 抵达 主持 发言 审议 介绍 播出 开播 致辞".split()
)
#: verbs of events that start no phrase: light verbs (举行会谈, 召开会议 led top-5 lists of CCTV stories) and verbs of
#: meeting and arriving whose object is a person or a place (会见希腊总统, 会见卡塔尔: 15 top-5 terms of review K's 800
#: stories, most nested with the place); 访问 and 考察 start terms of other fields (访问控制, 考察期) and stay
EVENT_LIGHT_VERBS: frozenset[str] = frozenset("举行 召开 会见 会晤 接见 出席 抵达 来到 视察".split())
_EVENT_ENDS = tuple(sorted(EVENT_VERBS, key=len, reverse=True))
_EVENT_STARTS = tuple(sorted(EVENT_LIGHT_VERBS, key=len, reverse=True))
MIN_NAME_CHARS = 2  # a one-character "name" (京, 沪) is an abbreviation, too ambiguous to list
#: jieba's HMM tags many words missing from its dictionary as names (平方和 nr); such a word is taken as a person
#: only with one of the 100 most common surnames (公安部 2020 list, plus 习) and 2-3 characters, as a place or an
#: organisation only with one of these last characters; otherwise it is a noun
HMM_SURNAMES = SURNAMES | frozenset("常康易乔赖文滕习")  # the tokenizer's list (the first ~90) and the rest of the 100
MIN_TRANSLITERATION_CHARS = 3  # 特朗普, 米尔济约耶夫; jieba's two-character nrt entries are mostly nouns (纳米)
#: characters of the standard transcription of foreign names (新华社《世界人名翻译大辞典》 usage): a word made only of
#: them that jieba tags as a name or does not know (耶夫, 济约) is part of a transliterated name, joined with its
#: neighbours in a run (米尔 / 济约 / 耶夫); the joined name needs MIN_TRANSLITERATION_CHARS
TRANSLITERATION_CHARS = frozenset(
    "阿埃艾安昂奥巴拜班邦鲍贝本比彼毕宾波伯博布查达戴黛丹道德迪蒂丁东杜多厄恩尔法凡菲费芬丰佛弗福盖甘戈格根古圭哈"
    "海汉豪赫亨洪霍基吉济加贾杰金卡凯坎康考柯科克肯库夸奎拉莱赖兰朗劳勒雷蕾里利莉丽连列林琳卢鲁路伦罗洛马玛迈麦曼"
    "梅门蒙米密敏莫默姆穆纳娜奈南内尼宁纽努诺欧帕派潘佩皮珀普齐奇恰乔切钦琼丘让热瑞萨塞赛桑瑟森沙莎舍绍施什舒斯"
    "松苏索塔泰坦汤陶特提汀通图托娃瓦万威韦维温沃乌伍夫西希锡谢辛休雅亚扬耶伊因尤约泽扎詹兹佐茨"
)
#: a word that jieba tags as a person but that jieba's dictionary counts more often than this is a common word
#: (文明 6584, 康复 1018, 孔雀 385). 300 keeps the names of the development documents (汪洋 275, 雷锋 232), drawn
#: from data/xwlb_poverty_sample and data/cnews_sample outside data/entities_sample. The given name alone is no
#: test: it is often a word (滕宏伟, 徐学海)
COMMON_WORD_FREQ = 300
#: a two-character "person" (surname + one character) is as often a word (高达 in 收益高达, 张力, 白领, 杜绝: 12 of the
#: 19 two-character persons of data/entities_sample were words, against 8 of 37 longer ones); it is listed only where
#: the document shows it as a person at least once: after a title or role (书记刘刚, 记者林涛) or before a title, an
#: honorific or a verb of speech (汪洋说, 刘刚同志). Titles and verbs: the usual ones of Chinese news (project list)
PERSON_TITLES = (
    (
        "书记 主任 主席 总理 总统 首相 部长 省长 市长 县长 区长 乡长 镇长 村长 局长 厅长 处长 科长 所长 院长 校长 会长 "
        "委员 代表 教授 老师 医生 记者 通讯员 教练 主教练 队长 经理 总经理 董事长 总裁 院士 博士 专家 工程师 干部 队员 "
        "球员 选手 演员 导演 作者 歌手 网友 村民 农民 贫困户 患者 同志 先生 女士 大爷 大妈 大姐 大哥 老人 夫妇 "
        "总书记 国王 女王 外长 国务卿 议长 州长 委员长 支书 股长 组长 站长 社长 夫人"  # the office titles (:data:`OFFICE_TITLES`) not above: 习近平总书记
        " 常委 团长 召集人 主持人"  # 中央政治局常委汪洋, 中央代表团团长汪洋, 联席会议召集人汪洋 (review R)
    ).split()
)
PERSON_SPEECH = "说 表示 指出 介绍 告诉 认为 强调 称 说道 透露 坦言 回忆 笑着说 感慨 :“ ：“".split()  # 股长潘玉发：“…
#: acts whose doer is a person, as news reports officials: 赵乐际主持会议, 韩正出席, 王毅参加会见 (review R: 2- and
#: 3-character leaders without a title in 3,915 CCTV stories); they show a person as a verb of speech does, unless
#: the "name" ends on a verb or adverb that jieba's HMM glued to a surname (林参加会见, 罗主持会晤: :func:`_acting_person`)
PERSON_ACTS = "出席 会见 会晤 主持 陪同 致辞 参加会见".split()
_PERSON_ACT_AFTER = re.compile("|".join(sorted(PERSON_ACTS, key=len, reverse=True)))
#: jieba tags of the words that end no name (参加 v, 正在 d, 一道 d): verbs, adverbs, prepositions, conjunctions
GLUED_WORD_TAGS = ("v", "vd", "vn", "d", "ad", "p", "c")
_PERSON_AFTER = re.compile("|".join(sorted(PERSON_TITLES + PERSON_SPEECH, key=len, reverse=True)))
_TITLES_LONGEST_FIRST = tuple(sorted(PERSON_TITLES, key=len, reverse=True))
#: words that name the person after them, as a title does (他叫杜富国, review K)
PERSON_NAMING = "叫 名叫 叫做".split()
_PERSON_BEFORE = re.compile("(?:" + "|".join(sorted(PERSON_TITLES + PERSON_NAMING, key=len, reverse=True)) + ")$")
#: a "person" ending in an administrative suffix is a place (金凤区, 毛田镇, 凉山昭觉县 in the development documents)
ADMIN_PLACE_ENDS = frozenset("省市县区镇乡")
HMM_PLACE_ENDS = frozenset("省市县区镇乡村州岛山湖江河港湾")
HMM_ORGANISATION_ENDS = frozenset("局部委会院校所厅办署社团司行")
#: a "person" ending in a village, hamlet, island or street is a place as well (姚磨村, 朱辛庄, 刘公岛, 唐人街 in the
#: development documents); :data:`ADMIN_PLACE_ENDS` stays the administrative levels (the domain-dictionary miner's)
PERSON_PLACE_ENDS = ADMIN_PLACE_ENDS | frozenset("村庄岛街")
#: a three-character person of jieba's dictionary is doubtful where jieba's own HMM (trained on tagged news) does not
#: read it as a person (段时间, 高清晰, 于高端), where its first two characters are a common word (高中 of 高中生,
#: :data:`COMMON_WORD_FREQ`) or where the document puts an organisation word right after it (易方达基金): jieba's
#: dictionary holds such nr entries of low frequency. A doubtful person counts only where the document shows it as
#: one, like a two-character person. Organisation words: the usual ones of business news (project list)
#: ... or where a surname stands before a common noun or verb (高 + 水平: 高水平, 推动高水平对外开放); given names that
#: are words are mostly of other parts of speech (盈盈 z, 清华 nz of 任盈盈, 彭清华 in data/entities_sample)
COMMON_REST_POS = ("n", "v", "vn")
ORGANISATION_AFTER = "基金 公司 集团 银行 证券 控股 股份 品牌 旗下 有限".split()
_ORGANISATION_AFTER = re.compile("|".join(ORGANISATION_AFTER))
#: a place or organisation of three or more characters is a name where it ends like one, on one of the NAME_END_TOP
#: most common last characters of jieba's dictionary entries with its tag (县 市 区 ...; 学 会 院 局 司 ...), or
#: where jieba's HMM reads a name in it (亚特兰大: n, ns); otherwise it is a phrase (加大力度, 即将来临, 人财物,
#: 公共汽车). 30 keeps every correct place and organisation of data/entities_sample (session 7)
NAME_END_TOP = 30
#: a place or organisation starting on a determiner is generic (各乡镇, 各级党委)
GENERIC_NAME_STARTS = frozenset("各每某该诸")
#: the common nouns among the 200 most frequent ns and nt entries of jieba's dictionary (read by helper E, session
#: 7): jieba tags them as names, but they name no one place (城市, 东西) or organisation (党组织, 国际化)
GENERIC_PLACES = frozenset(
    "城市 东西 南北 外国 平原 爱国 英雄 朝廷 太阳 哥哥 阿哥 海洋 湖泊 大桥 高原 上市 建国 开国 回国 美丽 新鲜 山区 山脉 "
    "江湖 大街 南路 王国 大国 共和国 城镇 大都 京城 古城 海峡 庆典 深度 治安 自治州 自治县".split()
)
#: jieba's dictionary tags many two-character common words as places (关联, 普及, 长度, 台风, 嘉宾) and even a person
#: (普京); a real two-character place of it nearly always has an entry with an administrative or geographic end as
#: well (芜湖市, 广东省, 万州区) or one with 地区 (中东地区, 非洲地区), or is a country or city of CLDR, or ends like a place
#: itself (长江, 东区). On the labels of the sample split of data/entities_sample this keeps 33 of the 34 correct
#: two-character places (not 南疆) and drops 10 of the 14 false ones (东西, 台风, 入口 ...); a doubtful one counts only
#: as a person, where an office title stands before it (:data:`OFFICE_TITLES`: 总统普京)
PLACE_ENTRY_ENDS = tuple(HMM_PLACE_ENDS) + ("地区",)
#: a doubtful two-character place is a place all the same where its shape says so: a region, a direction and the
#: one-character short name of a province-level division (GB/T 2260: 陕北, 湘西, 赣南; 疆 of 新疆 as in 南疆, 北疆) or
#: of a continent (北欧, 南欧); or the name of a country in CLDR's other Chinese locales, made Simplified (印尼, 澳洲,
#: 南韩: :func:`_territory_variants`). Of the 296 doubtful places of the data/ news corpora (read by helper N9,
#: session 9) this keeps 16, all places (京东 is also a company), and no common noun (关联, 普及, 新春, 台风,
#: 嘉宾 ...). Contractions of CLDR's names (first character and a later one) were tried and left: 阿利 of 阿利耶夫,
#: 法利 of 法利赫, 中和
PROVINCE_SHORT_CHARS = frozenset("京津沪渝冀晋蒙辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川蜀贵黔云滇藏陕秦甘陇青宁新疆台港澳")
CONTINENT_SHORT_CHARS = frozenset("欧亚非美澳")
DIRECTION_CHARS = frozenset("东南西北")
#: the titles of one office holder that make a doubtful place a person (总统普京); the other :data:`PERSON_TITLES`
#: also stand before verbs (干部扎根, 村民宜居) in the development corpora of review R4
OFFICE_TITLES = "总统 总理 首相 主席 国王 女王 总书记 书记 部长 外长 国务卿 议长 省长 市长 州长".split()
_OFFICE_BEFORE = re.compile("(?:" + "|".join(sorted(OFFICE_TITLES, key=len, reverse=True)) + ")$")
_OFFICE_AFTER = re.compile("|".join(sorted(OFFICE_TITLES, key=len, reverse=True)))
_OFFICE_END = re.compile("副?(?:" + "|".join(sorted(OFFICE_TITLES, key=len, reverse=True)) + ")$")
#: one-character heads that make a common word a kind of gathering or body, not a name: 会 (交易会, 协商会, 座谈会 are
#: events; 基金会, 委员会 name no one body), unlike the heads of offices named by their field (教育部, 外交部: one per
#: government). On the news corpora of data/ this drops 交易会 and 协商会 and keeps 安理会, 广交会, 同盟会 (session 9)
GENERIC_HEADS = frozenset("会")
#: the only organisations ending in 学: schools (北京大学, 第一中学, 实验小学); any other X学 is a discipline (统计学,
#: 叙事学, 文艺美学 in CSL abstracts, review R6), which jieba's dictionary tags nt
SCHOOL_ENDS = ("大学", "中学", "小学")
#: the tags of a token after a "person" that make it a modifier of a term (多普勒 / 中心, 蒙特卡洛 / 模拟法, 叶绿素 /
#: a, 金红石 / 型, 叶绿素 / 总 in CSL abstracts, review R6): common nouns, verbal nouns, Latin words, suffixes and
#: non-predicate adjectives (jieba's ``k``, ``b``); a person is followed by a title (shown as one), a verb or
#: another name (宋神宗 / 熙宁 nz). It takes half the mentions or more (胡枝子 / 组织 v once, before 总 and nouns)
MODIFIED_POS = ("n", "ng", "vn", "eng", "k", "b")
GENERIC_ORGANISATIONS = frozenset(
    "国家机关 联合会 党组织 国际化 交易所 社会科学 天文学 伦理学 音乐会 音乐厅 美术馆 联合政府 党政军 人民共和国 "
    "中南部 中西部 高级中学 文理学院 理工学院 商学院 音乐学院".split()
)


#: CLDR codes of Chinese territory names that are no territory (欧盟, 欧元区, 联合国, 未知地区 and pseudo-regions);
#: the two-letter codes are the countries and territories, the three-digit ones continents and regions (世界, 亚洲)
NON_TERRITORY_CODES = frozenset("EU EZ UN QO XA XB ZZ".split())
#: CLDR exemplar cities (time zones) that are also persons' names (达尔文 Darwin, 斯坦利 Stanley, 门多萨 Mendoza):
#: read from the 420 cities of babel's ``zh`` locale (session 7); the Antarctic stations (戴维斯, 帕尔默) are left out
#: as a whole
CITIES_NAMED_LIKE_PERSONS = frozenset(
    "达尔文 斯坦利 林德曼 门多萨 科尔多瓦 朱诺 基洛夫 道森 圣托马斯 圣路易斯 圣保罗 圣约翰斯 圣地亚哥 圣胡安 圣文森特 "
    "甘比尔 查塔姆 威克 克雷斯顿 梅里达".split()
)
PERSON_TAGS: tuple[str, ...] = ("nr", "nrfg", "nrt")
#: a transliterated "person" that the document never shows as one (:func:`_shown_as_person`) is a place where one of
#: these words stands before it (在阿斯塔纳会见, 在哈巴罗夫斯克建设 in the development corpora of review R4) and part of an
#: event's name where one of :data:`EVENT_AFTER` follows it (萨洛尼卡国际博览会, 香格里拉对话会); project lists
#: (在 not as the end of 现在, 正在, 存在, 所在 ...; 于 is left out: 由于, 对于, 关于)
LOCATIVE_BEFORE = "在 赴 抵达 飞抵 前往 位于 地处 来自 途经 访问".split()
_LOCATIVE_BEFORE = re.compile(
    "(?:" + "|".join(sorted(LOCATIVE_BEFORE, key=len, reverse=True)).replace("在", "(?<![现正存所实自好内])在") + ")$"
)
EVENT_AFTER = "国际 博览会 对话会 论坛 峰会 会议 大会 运动会 电影节".split()
#: a storm named after these words is no person (台风"莫兰蒂"在福建厦门登陆, review S; 莫兰蒂 is in jieba's dictionary as nrt)
_STORM_BEFORE = re.compile(r"(?:台风|飓风|热带风暴|气旋)\s*[“\"'‘「]?$")
_EVENT_AFTER = re.compile("|".join(sorted(EVENT_AFTER, key=len, reverse=True)))
#: the middle dots that part the names of one foreign person (弗拉基米尔·弗拉基米罗维奇): between two person tokens
#: they join them into one name, written with ``·``
NAME_DOTS = frozenset("·•・‧")
NAME_DOTS_SHOWN = "·"
#: hyphens that sports and entertainment news writes for the middle dot of a foreign name (德里克-罗斯, 勒布朗-詹姆斯
#: in data/cnews_sample; NFKC makes － a -): between two transliterations that are no country or city of CLDR
#: (莫斯科-圣彼得堡 is a route, 98-90 a score) they join one name, shown with the middle dot (德里克·罗斯)
NAME_HYPHENS = frozenset("-‐‑")
#: a one-character token after a person that makes it a place (曹妃甸港, 阿勒颇省 in the development corpora of
#: review R4): the administrative ends (:data:`ADMIN_PLACE_ENDS`), village and port
PLACE_END_TOKENS = ADMIN_PLACE_ENDS | frozenset("村港")
#: China's province-level divisions (GB/T 2260) and the ends of a prefecture or county entry of jieba's dictionary
#: (吴忠市, 百色市, 梁平县; 自治州, 盟): a word glued after a province (宁夏吴忠, 广西百色, 重庆梁平) with such an entry
#: tagged as a name is a place in it, whatever jieba tags it alone (吴忠 and 梁平 nr, 百色 n), unless it is a common word
#: (:data:`COMMON_WORD_FREQ`: 东方 of 东方市). It joins the province, as adjacent places do (山东泰安, 凉山昭觉县): the
#: text names one place, the prefecture in its province, and the whole says which 吴忠 is meant. Only after a province:
#: after a country the word is as often part of another name (美国 / 科罗拉多 of 美国科罗拉多大学 in
#: data/entities_sample). 区 is left out: 开发区, 社区 would make places of 开发, 社 (广东开发新产品)
PROVINCES = frozenset(
    "北京 天津 河北 山西 内蒙古 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 广西 海南 重庆 "
    "四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 台湾 香港 澳门".split()
)
GLUED_PLACE_ENDS = ("市", "县", "州", "盟")


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Chinese names of countries, territories and cities from CLDR (babel's ``zh`` locale, offline): places, never
    persons, though jieba's dictionary tags many as persons (厄瓜多尔, 伊拉克 nrt; 莫斯科, 马德里 nr).

    >>> {"厄瓜多尔", "伊拉克", "莫斯科"} <= place_names(), "达尔文" in place_names()
    (True, False)
    """
    from babel import Locale

    zh = Locale("zh")
    cities = {
        zone.get("city")
        for key, zone in zh.time_zones.items()
        if zone.get("city") and not key.startswith(("Antarctica/", "Etc/"))
    }
    return _territory_names() | (cities - CITIES_NAMED_LIKE_PERSONS)


@lru_cache(maxsize=1)
def _territory_names() -> frozenset[str]:
    """The Chinese names of CLDR's countries and territories (babel's ``zh`` locale, :data:`NON_TERRITORY_CODES`
    left out)."""
    from babel import Locale

    territories = Locale("zh").territories.items()
    return frozenset(name for code, name in territories if len(code) == 2 and code not in NON_TERRITORY_CODES)


#: CLDR locales whose Chinese names of countries differ from ``zh``'s in common short forms (印尼, 澳洲, 南韩, 纽西兰)
VARIANT_LOCALES = ("zh_Hant", "zh_Hant_HK")


@lru_cache(maxsize=1)
def _territory_variants() -> frozenset[str]:
    """Names of countries and territories in CLDR's Traditional Chinese locales (:data:`VARIANT_LOCALES`) made
    Simplified, that ``zh`` writes otherwise: the short forms of news (babel and OpenCC, offline).

    >>> {"印尼", "澳洲", "南韩"} <= _territory_variants(), "印度尼西亚" in _territory_variants()
    (True, False)
    """
    from babel import Locale

    from .clean import opencc_converter

    to_simplified = opencc_converter("t2s")
    names = {
        to_simplified.convert(name)
        for locale in VARIANT_LOCALES
        for code, name in Locale.parse(locale).territories.items()
        if len(code) == 2 and code not in NON_TERRITORY_CODES
    }
    return frozenset(names - _territory_names())


def _place_shaped(name: str, pos: _PartOfSpeech) -> bool:
    """Whether a two-character word of jieba's dictionary (not 东 / 美 joined) is a region (a direction and a
    province's or continent's short name: 陕北, 南疆, 北欧) or a country's short form (印尼):
    :data:`PROVINCE_SHORT_CHARS`, :func:`_territory_variants`."""
    if name not in pos.table:
        return False
    short = PROVINCE_SHORT_CHARS | CONTINENT_SHORT_CHARS
    a, b = name
    region = (a in short and b in DIRECTION_CHARS) or (a in DIRECTION_CHARS and b in short)
    return region or name in _territory_variants()


class _PartOfSpeech:
    """jieba's tag of a token: the dictionary's tag (jieba's and the project's dictionaries), else its HMM's; a
    country, territory or city (:func:`place_names`) that either tags as a person is a place (``ns``)."""

    def __init__(self, jb: object) -> None:
        import jieba.posseg

        saved = dict(getattr(jb, "user_word_tag_tab", {}))
        tagger = jieba.posseg.POSTokenizer(jb)  # reads the tags of jieba's dictionary and of the added words
        jb.user_word_tag_tab = saved  # type: ignore[attr-defined]  # POSTokenizer empties it: put it back
        self.table: dict[str, str] = tagger.word_tag_tab
        self.places = place_names()
        self.freq: Mapping[str, int] = jb.FREQ  # type: ignore[attr-defined]
        self._hmm = jieba.posseg
        self.unknown: dict[str, str] = {}
        self.doubtful_persons: set[str] = set()  # unknown words tagged as persons that the HMM did not read as such
        #: three-character persons of jieba's dictionary that are common words or start on a rarer surname (胡锦涛,
        #: 江泽民, 温家宝; 黄金周, 胡萝卜): persons only where the document shows one (:meth:`evidence_person`)
        self.evidence_persons: set[str] = set()
        self._hmm_tags: dict[str, frozenset[str]] = {}
        self.name_ends = {
            tag: frozenset(
                c for c, _ in Counter(w[-1] for w, t in self.table.items() if t == tag).most_common(NAME_END_TOP)
            )
            for tag in ("ns", "nt")
        }

    def hmm_tags(self, word: str) -> frozenset[str]:
        """The tags jieba's HMM gives the characters of ``word`` read alone (段时间: q, n; 习近平: nrfg)."""
        tags = self._hmm_tags.get(word)
        if tags is None:
            h = self._hmm
            _, states = h.viterbi(word, h.char_state_tab_P, h.start_P, h.trans_P, h.emit_P)
            tags = self._hmm_tags[word] = frozenset(s[1] for s in states)
        return tags

    def __call__(self, word: str) -> str:
        if word in self.places and self.table.get(word, PERSON_TAGS[0]) in PERSON_TAGS:
            return "ns"  # a place that jieba's dictionary tags as a person or does not know
        return DEICTIC_TIME_POS if self._deictic_time(word) else self._tag(word)

    def _deictic_time(self, word: str) -> bool:
        """A word of :data:`DEICTIC_TIME_WORDS`, two of them joined (今天下午, which jieba's dictionary tags ``nr``)
        or a date fragment (:data:`DATE_UNITS`)."""
        if word in DEICTIC_TIME_WORDS or (len(word) > 1 and word[0] in DATE_UNITS and word[:2] not in self.table):
            return True
        return any(word[:i] in DEICTIC_TIME_WORDS and word[i:] in DEICTIC_TIME_WORDS for i in range(2, len(word) - 1))

    def _tag(self, word: str) -> str:
        tag = self.table.get(word)
        if tag is not None:
            checked = _checked_person_tag(word, tag, self.freq)
            if checked == "n" and self.evidence_person(word, tag):
                self.doubtful_persons.add(word)
                self.evidence_persons.add(word)
                return tag
            return checked
        tag = self.unknown.get(word)
        if tag is None:
            if not re.search(r"[\u4e00-\u9fff]", word):
                tag = "eng" if word.isascii() and word.isalpha() else "x"
            elif _transliterated(word):
                tag = "nrt"
            else:
                tags = self.hmm_tags(word)
                tag = _checked_hmm_tag(word, next(iter(tags)) if len(tags) == 1 else "x", self.freq)
                if tag == "x" and (self.surname_first(word) or self.titled_person(word)):
                    tag = "nr"  # a person only where the document shows it as one (:func:`_doubtful_person`)
                    self.doubtful_persons.add(word)
            self.unknown[word] = tag
        return tag

    def evidence_person(self, word: str, tag: str) -> bool:
        """Whether a word jieba's dictionary tags as a person, but that :func:`_checked_person_tag` takes for a noun
        (a common word: 胡锦涛, 江泽民 and 毛泽东 are as frequent as 黄金周 and 胡萝卜; or a rarer surname: 温家宝),
        is a person where the document shows it as one (a title before it, a verb of speech after it): a word of three
        Chinese characters. Reviewer M found 胡锦涛 (8 documents, 25 mentions) and 温家宝 missing from the names."""
        return (
            tag in ("nr", "nrfg")
            and len(word) == 3
            and bool(re.fullmatch(r"[\u4e00-\u9fff]{3}", word))
            and (not _people_name(word, tag))
        )

    def titled_person(self, word: str) -> bool:
        """Whether a word jieba does not know is a person with a title or honorific (李保国同志, 栗战书委员长: entries of
        the mined domain dictionary, :data:`PERSON_TITLES`)."""
        rest = _untitled(word)
        return rest != word and self(rest) in ("nr", "nrfg")

    def surname_first(self, word: str) -> bool:
        """Whether jieba's HMM reads a three-character word it does not know as a one-character name and a word
        (栗 / 战书: S-nr, then B-n E-n): a rarer surname (not in :data:`HMM_SURNAMES`) and a given name that is also a
        word, as the mined domain dictionary holds them (栗战书 led 7 top-5 lists of 400 CCTV stories of 2016-19).
        Such a person is doubtful (:attr:`doubtful_persons`): listed only where the document shows it as one."""
        if len(word) not in NAME_CHARS or word in self.table or not re.fullmatch(r"[\u4e00-\u9fff]+", word):
            return False
        if word[0] in SURNAMES:  # joined by the tokenizer as a name (潘玉发), whatever the HMM reads alone
            return True
        h = self._hmm
        _, states = h.viterbi(word, h.char_state_tab_P, h.start_P, h.trans_P, h.emit_P)
        return len(word) == 3 and states[0] == ("S", "nr") and all(t[1] != "nr" for t in states[1:])


def _transliterated(word: str) -> bool:
    """Whether a word of two or more characters is made only of :data:`TRANSLITERATION_CHARS` (耶夫, 布拉迪斯拉发)."""
    return len(word) >= 2 and all(c in TRANSLITERATION_CHARS for c in word)


def _people_name(word: str, tag: str) -> bool:
    """Whether a word tagged as a person names a people or a team: a transliteration followed by 人 (爱尔兰人,
    凯尔特人 nrt; the Celtics led the persons of 1,000 Sina stories, review R10b).

    >>> _people_name("凯尔特人", "nrt"), _people_name("爱尔兰人", "nrt"), _people_name("米尔济约耶夫", "nrt")
    (True, True, False)
    """
    return len(word) >= 3 and word.endswith("人") and (tag == "nrt" or _transliterated(word[:-1]))


def _checked_person_tag(word: str, tag: str, freq: Mapping[str, int]) -> str:
    """A person tag kept for a transliteration, or a surname, 2-3 characters and no common word (else ``n``).

    jieba's dictionary tags many common nouns as names (紫丁香, 经纬仪, 文明 nr; 纳米 nrt): see
    :data:`COMMON_WORD_FREQ`; a transliteration of fewer than :data:`MIN_TRANSLITERATION_CHARS` characters counts
    only joined with its neighbours (:func:`_person_name`).
    """
    if tag in ("nr", "nrfg", "nrt") and _people_name(word, tag):
        return "n"
    if tag in ("nr", "nrfg", "nrt") and _transliterated(word):
        return "nrt"
    if tag in ("nr", "nrfg"):
        looks_like = word[0] in HMM_SURNAMES and 2 <= len(word) <= 3
        common = freq.get(word, 0) > COMMON_WORD_FREQ
        return tag if looks_like and not common else "n"
    if tag == "nrt":
        return tag if len(word) >= MIN_TRANSLITERATION_CHARS else "n"
    return tag


def _checked_hmm_tag(word: str, tag: str, freq: Mapping[str, int]) -> str:
    """An HMM name tag kept only where the word looks like a name (:data:`HMM_SURNAMES` ...), else ``n``; a place
    whose last two characters are a common word (:data:`COMMON_WORD_FREQ`: 美丽乡村) is a phrase."""
    if tag in ("nr", "nrfg"):
        return _checked_person_tag(word, tag, freq)
    if tag == "ns":
        common_end = len(word) > 2 and freq.get(word[-2:], 0) > COMMON_WORD_FREQ  # 美丽 + 乡村: a phrase
        return tag if word[-1] in HMM_PLACE_ENDS and not common_end else "n"
    if tag == "nt":
        return tag if word[-1] in HMM_ORGANISATION_ENDS else "n"
    return "n" if tag == "nrt" else tag


_TAGGERS: dict[int, tuple[object, _PartOfSpeech]] = {}


def _tagger(tokenizer: Tokenizer) -> _PartOfSpeech:
    """The part-of-speech lookup of a tokenizer's jieba (built once per jieba object)."""
    jb = tokenizer.jieba
    held = _TAGGERS.get(id(jb))
    if held is None or held[0] is not jb:
        held = (jb, _PartOfSpeech(jb))
        _TAGGERS[id(jb)] = held
    return held[1]


def name_kind(tag: str) -> str:
    """The kind of a token with jieba tag ``tag``: ``person``, ``place``, ``organisation`` or ``term``.

    >>> name_kind("nr"), name_kind("ns"), name_kind("nt"), name_kind("vn")
    ('person', 'place', 'organisation', 'term')
    """
    return NAME_KINDS.get(tag, "term")


#: dangling words of two or more characters; a dictionary token that starts (ends) with one and has at least
#: :data:`CLAUSE_REST_CHARS` more characters is a clause, not a term (the mined domain dictionary holds a few:
#: 必须到位, 作出批示, 贫困县开展, 中央一号文件提出), while 获得感 (one more character) is a term
_LONG_DANGLING = tuple(sorted((w for w in DANGLING_WORDS if len(w) >= 2), key=len, reverse=True))
CLAUSE_REST_CHARS = 2


@lru_cache(maxsize=1 << 18)  # a pure function of its arguments, called for every token of every candidate
def clause_token(word: str, *, end: bool | None = None, edge_words: Sequence[str] = _LONG_DANGLING) -> bool:
    """Whether a token starts (``end`` false), ends (``end`` true) or either (``None``) on one of ``edge_words``
    with at least :data:`CLAUSE_REST_CHARS` other characters: a clause, not a term (必须到位, 贫困县开展; 获得感 is a
    term). The domain-dictionary miner (``scripts/build_domain_dict.py``) rejects such entries with the same test.

    >>> clause_token("贫困县开展"), clause_token("贫困县开展", end=False), clause_token("获得感")
    (True, False, False)
    """
    sides = (False, True) if end is None else (end,)
    for at_end in sides:
        edge = word.endswith if at_end else word.startswith
        if any(len(word) - len(w) >= CLAUSE_REST_CHARS and edge(w) for w in edge_words):
            return True
    return False


#: a numeral with a measure word of events and ranks (第二届, 十二届, 二次, 40周年, 上千名): a count, never a term nor
#: the edge of one (十二届 / 二次 / 执委 led a top-5 list of CCTV stories, review K); 十三五 has no measure word
_COUNTED = re.compile(r"第?[0-9一二三四五六七八九十百千万两几上数]+(届|次|周年|批|期|名|个|项|条|位|轮|份|家|件)")


@lru_cache(maxsize=1 << 18)  # pure: the same (word, tag, side) recurs across documents and candidates
def _bad_edge(word: str, tag: str, *, end: bool) -> bool:
    """Whether a phrase may not start (or end) on this token (:data:`EDGE_POS`, :data:`END_POS`,
    :data:`START_POS`, dangling words, clause tokens, and at the end :data:`END_ONE_CHAR_POS`: 日子越过越, 黄桃间)."""
    if word in DANGLING_WORDS or clause_token(word, end=end) or _COUNTED.fullmatch(word):
        return True
    if word in (EVENT_VERBS if end else EVENT_LIGHT_VERBS):  # 北京 / 举行, 举行 / 会谈
        return True
    if clause_token(word, end=end, edge_words=_EVENT_ENDS if end else _EVENT_STARTS):  # 在京举行, 举行会谈
        return True
    if tag == LATIN_POS:
        return False
    if end and len(word) == 1 and tag.startswith(END_ONE_CHAR_POS):
        return True
    return tag.startswith(EDGE_POS) or tag.startswith(END_POS if end else START_POS)


# -- segmentation into runs of content tokens -------------------------------------------------------------------------
#: :attr:`_Segmented.title_sentences` of a document without a title: none. No sentence stands in for a missing title:
#: the last one did until review R10b (CSL abstracts end on their title, but a news story whose headline the loader
#: missed ends on 我反正不想看了。); titles are given (``titles``), never guessed
NO_TITLE: frozenset[int] = frozenset()


@dataclass
class _Segmented:
    runs: list[list[str]]  # runs of consecutive content tokens (split at punctuation, stopwords, numbers)
    run_sentence: list[int]  # sentence index of each run
    n_sentences: int
    tags: list[list[str]] = field(default_factory=list)  # jieba's tag of each token of each run
    names: Counter[tuple[str, str]] = field(default_factory=Counter)  # (name, kind) -> mentions
    title_sentences: frozenset[int] = NO_TITLE  # indices of the document's title sentences (one per headline)
    #: (run, token) indices of the tokens cut from the token before them (多 / 国人士: :func:`_cut_from`)
    cut_starts: set[tuple[int, int]] = field(default_factory=set)
    #: the shared labels its title begins with (:func:`title_rubrics`, normalised) and the rest of its title: a
    #: candidate found in a label only gets no title bonus and may be weighed down (:data:`LABEL_WEIGHT`)
    rubrics: tuple[str, ...] = ()
    title_rest: str = ""

    @property
    def tokens(self) -> list[str]:
        return [t for run in self.runs for t in run]


def segment_runs(text: str, *, tokenizer: Tokenizer | None = None) -> list[list[str]]:
    """Runs of consecutive content tokens of ``text``: candidate phrases never cross a stopword, punctuation or a
    space between Chinese characters (a headline's separator).

    Parameters
    ----------
    text : str
        A document.
    tokenizer : Tokenizer, optional
        The project tokenizer (default: :func:`helpers.tokenize.get_default_tokenizer`).

    Returns
    -------
    list of list of str
        The runs, in text order (NFKC, lower case).

    Examples
    --------
    >>> segment_runs("采用修正的Rodrigues参数，建立了数学模型")
    [['采用', '修正'], ['rodrigues', '参数'], ['建立'], ['数学模型']]
    >>> segment_runs("公安机关多措并举 保节日平安")
    [['公安机关'], ['措', '并举'], ['保', '节日', '平安']]
    """
    return _segment(text, tokenizer or get_default_tokenizer()).runs


def _name_kind_of(name: str, tags: Sequence[str]) -> str | None:
    """The kind of a joined name, or ``None`` when it is no name.

    A name with a person part is a person (but a place when it ends in :data:`PERSON_PLACE_ENDS`, 金凤区, 姚磨村),
    else one with an organisation part an organisation, else a place; a name made of transliterations only needs
    :data:`MIN_TRANSLITERATION_CHARS` characters (纳米 alone is a noun).
    """
    if len(name) < MIN_NAME_CHARS or (all(t == "nrt" for t in tags) and len(name) < MIN_TRANSLITERATION_CHARS):
        return None
    kinds = {NAME_KINDS[t] for t in tags}
    kind = next(k for k in ("person", "organisation", "place") if k in kinds)
    if kind == "person" and len(name) >= 3 and name[-1] in PERSON_PLACE_ENDS:
        return "place"
    return kind


def _run_names(
    run: Sequence[str], tags: Sequence[str], breaks: Collection[int] = (), dots: Collection[int] = ()
) -> Iterator[tuple[str, str]]:
    """The names of a run: adjacent name tokens joined (米尔 / 济约 / 耶夫 is one person), with their kind, never
    across a space (``breaks``: indices of the tokens that follow one; 周星驰 莫文蔚 are two) nor across a change
    of kind that makes a person of two names (:func:`_stretch_names`); ``dots``: indices of the tokens that follow a
    middle dot or hyphen (:data:`NAME_DOTS`, :data:`NAME_HYPHENS`), written back into the name as a middle dot. A
    person followed by a one-character place end (:data:`PLACE_END_TOKENS`: 曹妃甸 / 港, 阿勒颇 / 省) is a place with
    it."""
    words = [NAME_DOTS_SHOWN + w if k in dots else w for k, w in enumerate(run)]
    i = 0
    while i < len(run):
        j = i
        while j < len(run) and tags[j] in NAME_KINDS and (j == i or j not in breaks):
            j += 1
        if j > i:
            names = _stretch_names(words[i:j], tags[i:j])
            end = run[j] if j < len(run) and j not in breaks else ""
            if (
                end in PLACE_END_TOKENS
                and names
                and names[-1][1] == "person"
                and _join(words[i:j]).endswith(names[-1][0])
            ):
                names[-1] = (names[-1][0] + end, "place")
            yield from names
        i = max(j, i + 1)


def _person_pieces_apart(left: tuple[str, str], right: tuple[str, str]) -> bool:
    """Whether two adjacent tokens ``(word, tag)`` belong to two names: of a person and of a place or organisation,
    or two Chinese names of two or more characters each (徐克 / 张叔平; the pieces of 米尔 / 济约 / 耶夫 are ``nrt``)."""
    (a, ta), (b, tb) = left, right
    if (ta in PERSON_TAGS) != (tb in PERSON_TAGS):
        return True
    return ta in ("nr", "nrfg") and tb in ("nr", "nrfg") and len(a) >= MIN_NAME_CHARS and len(b) >= MIN_NAME_CHARS


def _organisation_end(name: str) -> bool:
    """Whether a name of three or more characters ends like an organisation (林学院: :data:`HMM_ORGANISATION_ENDS`)."""
    return len(name) >= 3 and name[-1] in HMM_ORGANISATION_ENDS


def _stretch_names(words: Sequence[str], tags: Sequence[str]) -> list[tuple[str, str]]:
    """The names of a stretch of adjacent name tokens, as :func:`_run_names` joins them.

    The stretch is cut into pieces (:func:`_person_pieces_apart`), each with its kind (:func:`_name_kind_of`, so
    凉山 / 昭觉县 is a place); places and organisations join as before (云南 / 农业大学 is an organisation), and so
    does a person piece before an organisation piece (萨克拉门托 / 国王队: a city that jieba tags as a person). A
    person piece glued to a place (西班牙马德里, 菲律宾苏禄, 中国龙珠, 卡蒂福英国, 山水 / 林田湖) is dropped, the place
    kept: written without a title beside a place, it is a place in that place or a brand, and which one the tags
    cannot tell. An organisation before a person stays apart (中央政治局常委 / 李克强), unless the "person" ends
    like an organisation (河北农业大学 / 林学院: :data:`HMM_ORGANISATION_ENDS`).
    """
    cuts = [k for k in range(1, len(words)) if _person_pieces_apart((words[k - 1], tags[k - 1]), (words[k], tags[k]))]
    pieces = []
    for lo, hi in zip([0, *cuts], [*cuts, len(words)]):
        name = _join(words[lo:hi])
        pieces.append([name, _name_kind_of(name, tags[lo:hi])])
    joined: list[list] = []
    for piece in pieces:
        prev = joined[-1] if joined else None
        if prev is not None and prev[1] in ("place", "organisation", "person") and piece[1] == "organisation":
            joined[-1] = [prev[0] + piece[0], "organisation"]
        elif prev is not None and prev[1] == "organisation" and piece[1] == "person" and _organisation_end(piece[0]):
            joined[-1] = [prev[0] + piece[0], "organisation"]
        elif prev is not None and prev[1] in ("place", "organisation") and piece[1] == "place":
            joined[-1] = [prev[0] + piece[0], prev[1]]
        else:
            joined.append(piece)
    kinds = [k for _, k in joined]
    return [
        (name, kind)
        for i, (name, kind) in enumerate(joined)
        if kind is not None and not (kind == "person" and "place" in kinds[max(i - 1, 0) : i + 2])
    ]


def _transliteration_spans(run: Sequence[str], tags: Sequence[str], breaks: Collection[int] = ()) -> list[str]:
    """``tags`` with every span of transliteration tokens that holds an ``nrt`` token tagged ``nrt`` throughout.

    Without the HMM a foreign name comes out as a dictionary piece and single characters (米尔 / 济 / 约 / 耶 / 夫);
    the span is one name when it has :data:`MIN_TRANSLITERATION_CHARS` characters. A country or city
    (:func:`place_names`: 伊朗) is no piece of it, and a span never crosses a space (``breaks``, as
    :func:`_run_names`).
    """
    out, i = list(tags), 0
    while i < len(run):
        j = i
        while (
            j < len(run)
            and all(c in TRANSLITERATION_CHARS for c in run[j])
            and run[j] not in place_names()
            and (j == i or j not in breaks)
        ):
            j += 1
        span = range(i, j)
        if "nrt" in out[i:j] and sum(len(run[k]) for k in span) >= MIN_TRANSLITERATION_CHARS:
            out[i:j] = ["nrt"] * (j - i)
        i = max(j, i + 1)
    return out


def _glued_places(run: Sequence[str], tags: Sequence[str], breaks: Collection[int], pos: _PartOfSpeech) -> list[str]:
    """``tags`` with every word glued after a province that has a prefecture or county entry tagged ``ns`` (宁夏 /
    吴忠: 吴忠市; :data:`PROVINCES`, :data:`GLUED_PLACE_ENDS`), never across a space (``breaks``)."""
    out = list(tags)
    for k in range(1, len(run)):
        word = run[k]
        glued = (
            run[k - 1] in PROVINCES and k not in breaks and out[k] not in ("ns", "nt") and len(word) >= MIN_NAME_CHARS
        )
        if (
            glued
            and re.fullmatch(r"[\u4e00-\u9fff]+", word)
            and pos.freq.get(word, 0) <= COMMON_WORD_FREQ
            and any(pos.table.get(word + end) in NAME_KINDS for end in GLUED_PLACE_ENDS)  # not 地级市, 县级市 (n)
        ):
            out[k] = "ns"
    return out


def _close_run(
    seg: _Segmented,
    run: list[str],
    tags: list[str],
    sentence: int,
    breaks: Collection[int],
    dots: Collection[int],
    pos: _PartOfSpeech,
    text: str = "",
) -> None:
    """Add a finished run, its tags (transliterated names joined, places glued after provinces: :func:`_glued_places`,
    persons cut by the tokenizer joined where ``text`` shows them: :func:`_joined_persons`) and its names to ``seg``
    (``breaks``: indices of the tokens after a space, where no name is joined; ``dots``: of the tokens after a
    middle dot or a hyphen)."""
    tags = _glued_places(run, _transliteration_spans(run, tags, breaks), breaks, pos)
    if text:
        tags = _joined_persons(run, tags, breaks, text)
    seg.runs.append(run)
    seg.tags.append(tags)
    seg.run_sentence.append(sentence)
    names = _run_names(run, tags, breaks, dots)
    seg.names.update((_untitled(name) if kind == "person" else name, kind) for name, kind in names)


def _joined_persons(run: Sequence[str], tags: list[str], breaks: Collection[int], text: str) -> list[str]:
    """``tags`` with each surname token (:data:`SURNAMES`) and the one- or two-character word after it tagged as a
    person (``nr``) where the document shows the pair as a person (:func:`_shown_as_person`: 书记韩兴平, 村支书曹建平),
    so that :func:`_run_names` joins them. The tokenizer joins a name only from single characters on, so a given name
    that is a word (兴平, 建平) stays apart: the pair became a topical "keyphrase" (韩兴平, 曹建平 in top-5 lists of
    CCTV stories) and a wrong name (兴平, a place). The tokens stay the project's tokens."""
    out = list(tags)
    for k in range(len(run) - 1):
        word, given = run[k], run[k + 1]
        if (
            word in SURNAMES
            and k + 1 not in breaks
            and 1 <= len(given) <= 2
            and re.fullmatch(r"[\u4e00-\u9fff]+", given)
            and out[k + 1] not in PERSON_TAGS
            and _shown_as_person(word + given, text)
        ):
            out[k] = out[k + 1] = "nr"
    return out


def _untitled(name: str) -> str:
    """A person's name without the title or honorific that a token of the mined domain dictionary glues to it
    (栗战书委员长, 李保国同志: :data:`PERSON_TITLES`).

    >>> _untitled("栗战书委员长"), _untitled("李保国同志"), _untitled("王书记"), _untitled("滕宏伟")
    ('栗战书', '李保国', '王书记', '滕宏伟')
    >>> _untitled("全国政协主席汪洋")
    '汪洋'
    """
    for title in _TITLES_LONGEST_FIRST:
        for rest in (
            name[: -len(title)] if name.endswith(title) else "",
            name[name.rindex(title) + len(title) :] if title in name[:-1] else "",  # 全国政协主席汪洋: one token
        ):
            if len(rest) in NAME_CHARS:
                return rest
    return name


def _shown_as_person(name: str, text: str) -> bool:
    """Whether ``text`` shows ``name`` as a person once: a title before it or a title or verb of speech after it
    (:data:`PERSON_TITLES`, :data:`PERSON_SPEECH`).

    >>> _shown_as_person("刘刚", "村党支部书记刘刚介绍"), _shown_as_person("高达", "收益高达三成")
    (True, False)
    """
    for m in re.finditer(re.escape(name), text):
        if _PERSON_AFTER.match(text, m.end()) or _PERSON_BEFORE.search(text, 0, m.start()):
            return True
    return False


def _acting_person(name: str, text: str, pos: _PartOfSpeech) -> bool:
    """Whether ``text`` puts an act of a person right after ``name`` once (:data:`PERSON_ACTS`: 韩正出席), the name not
    ending on a word of :data:`GLUED_WORD_TAGS` (林参加, 罗主持, 马克龙一道: jieba's HMM glued a verb to a name)."""
    if len(name) > 2 and pos.table.get(name[-2:], "")[:2] in GLUED_WORD_TAGS:
        return False
    return any(_PERSON_ACT_AFTER.match(text, m.end()) for m in re.finditer(re.escape(name), text))


def _doubtful_person(name: str, text: str, pos: _PartOfSpeech) -> bool:
    """Whether a person needs a title or verb of speech beside it: two characters (高达), or a three-character
    person of jieba's dictionary that its HMM does not read as one, that starts on a common word or that the
    document puts before an organisation word (:data:`ORGANISATION_AFTER`: 段时间, 高中生, 易方达基金)."""
    if len(name) == 2 or name in pos.doubtful_persons:
        return True
    if len(name) != 3 or pos.table.get(name) not in ("nr", "nrfg"):
        return False
    common_prefix = pos.freq.get(name[:2], 0) > COMMON_WORD_FREQ and pos.table.get(name[:2]) not in NAME_KINDS
    common_rest = pos.freq.get(name[1:], 0) > COMMON_WORD_FREQ and pos.table.get(name[1:]) in COMMON_REST_POS
    before_organisation = any(_ORGANISATION_AFTER.match(text, m.end()) for m in re.finditer(re.escape(name), text))
    return (
        common_prefix or common_rest or before_organisation or not all(t.startswith("nr") for t in pos.hmm_tags(name))
    )


def _used_as_term(name: str, seg: _Segmented, pos: _PartOfSpeech) -> bool:
    """Whether a "person" the document never shows as one is a term: it modifies a noun at half its mentions or
    more (:data:`MODIFIED_POS`: 多普勒中心频率, 叶绿素a), it is inside a longer word of the document that is no name
    and does not start it (丁二烯 in 聚丁二烯; not 习近平 of 习近平新时代), or it is an adjective of jieba's dictionary before a dictionary noun (高 + 增益)."""
    if len(name) == 3 and pos.table.get(name[0]) == "a" and pos.table.get(name[1:]) == "n":
        return True
    followers = []
    for run, tags in zip(seg.runs, seg.tags):
        if any(name in w[1:] and t not in NAME_KINDS for w, t in zip(run, tags)):  # not 习近平新时代...
            return True
        for i in range(len(run)):
            j = i + 1
            while j < len(run) and len(_join(run[i:j])) < len(name):
                j += 1
            if _join(run[i:j]) == name:
                followers.append(tags[j] if j < len(run) else "")
    return bool(followers) and 2 * sum(t in MODIFIED_POS for t in followers) >= len(followers)


def _common_rest(name: str, generic: Collection[str], pos: _PartOfSpeech) -> bool:
    """Whether a three-character name is an adjective before a generic name (大 + 城市) or a common word
    (:data:`COMMON_WORD_FREQ`, :data:`COMMON_REST_POS`): 新 + 格局, 黑 + 社会 are no organisations, while 党中央 and
    叙政府 (a noun, a place before 政府) are."""
    rest = name[1:]
    if pos.table.get(name[0]) != "a":
        return False
    return rest in generic or (pos.freq.get(rest, 0) > COMMON_WORD_FREQ and pos.table.get(rest) in COMMON_REST_POS)


def _common_head(name: str, pos: _PartOfSpeech) -> bool:
    """Whether a three-character organisation is a common word before a generic head (:data:`GENERIC_HEADS`: 交易 +
    会, 协商 + 会, :data:`COMMON_WORD_FREQ`, :data:`COMMON_REST_POS`); 安理会, 广交会, 同盟会 are names."""
    rest = name[:2]
    common = pos.freq.get(rest, 0) > COMMON_WORD_FREQ and pos.table.get(rest) in COMMON_REST_POS
    return len(name) == 3 and name[-1] in GENERIC_HEADS and common


def _generic_name(name: str, kind: str, pos: _PartOfSpeech) -> bool:
    """Whether a place or organisation is a common noun or phrase: listed (:data:`GENERIC_PLACES`,
    :data:`GENERIC_ORGANISATIONS`), an adjective before a listed or common word (:func:`_common_rest`: 大城市,
    新格局), a common word before a generic head (:func:`_common_head`: 交易会), starting on a determiner
    (:data:`GENERIC_NAME_STARTS`: 各乡镇), or of three or more characters that neither end like a name of its kind
    nor hold a name to jieba's HMM (:data:`NAME_END_TOP`)."""
    generic = GENERIC_PLACES if kind == "place" else GENERIC_ORGANISATIONS
    if name in generic or name[0] in GENERIC_NAME_STARTS or (len(name) == 3 and _common_rest(name, generic, pos)):
        return True
    if kind == "organisation" and (_common_head(name, pos) or (name[-1] == "学" and not name.endswith(SCHOOL_ENDS))):
        return True
    ends = pos.name_ends["ns" if kind == "place" else "nt"]
    read_as = NAME_KINDS if kind == "place" else ("nt",)  # 中国化, 城市交通: a place inside is no organisation
    return len(name) >= 3 and name[-1] not in ends and pos.hmm_tags(name).isdisjoint(read_as)


def _doubtful_place(name: str, pos: _PartOfSpeech) -> bool:
    """Whether a two-character place is doubtful: no country or city of CLDR, no place end of its own, no dictionary
    entry of it with a place end (:data:`PLACE_ENTRY_ENDS`: 芜湖 has 芜湖市; 关联, 普京 have none) and no place shape
    (:func:`_place_shaped`: 南疆, 印尼)."""
    if len(name) != 2 or name in pos.places or name[-1] in HMM_PLACE_ENDS or _place_shaped(name, pos):
        return False
    return not any(name + end in pos.table for end in PLACE_ENTRY_ENDS)


def _foreign_place_or_event(name: str, text: str) -> str | None:
    """A transliterated "person" the document never shows as one: ``None`` where it names an event
    (:data:`EVENT_AFTER`: 香格里拉对话会), a place where the document puts a locative word before it
    (:data:`LOCATIVE_BEFORE`: 在阿斯塔纳会见), else still a person (most foreign players and artists of news stand
    without a title: 加索尔, 奥多姆)."""
    mentions = list(re.finditer(re.escape(name), text))
    if any(_EVENT_AFTER.match(text, m.end()) for m in mentions):
        return None
    if any(_STORM_BEFORE.search(text, 0, m.start()) for m in mentions):
        return None  # 台风"莫兰蒂": a storm's name (review S)
    return "place" if any(_LOCATIVE_BEFORE.search(text, 0, m.start()) for m in mentions) else "person"


def _checked_kind(name: str, kind: str, text: str, pos: _PartOfSpeech, seg: _Segmented) -> str | None:
    """The kind of a name after the document-level checks, or ``None`` to forget it: a doubtful person the document
    never shows as one (:func:`_doubtful_person`, :func:`_shown_as_person`) or that is a term
    (:func:`_used_as_term`), a place or organisation that is a common noun (:func:`_generic_name`), a doubtful
    place (:func:`_doubtful_place`) unless an office title stands before or after it (:data:`OFFICE_TITLES`: 总统普京, 普京总统 is a
    person) or it is a transliteration after a locative word (:data:`LOCATIVE_BEFORE`: 在巴卢, as a foreign "person"
    after one is a place)."""
    if kind == "person":
        if _shown_as_person(name, text) or _acting_person(name, text, pos):
            return kind
        if _doubtful_person(name, text, pos) or _used_as_term(name, seg, pos):
            return None
        foreign = _transliterated(name) or pos.table.get(name) == "nrt"
        return _foreign_place_or_event(name, text) if foreign else kind
    if _generic_name(name, kind, pos):
        return None
    if kind == "place" and _doubtful_place(name, pos):
        mentions = [m.start() for m in re.finditer(re.escape(name), text)]
        ends = [start + len(name) for start in mentions]
        if any(_OFFICE_BEFORE.search(text, 0, start) for start in mentions) or any(
            _OFFICE_AFTER.match(text, end) for end in ends
        ):
            return "person"  # 总统普京, 普京总统
        located = any(_LOCATIVE_BEFORE.search(text, 0, start) for start in mentions)
        return kind if located and _transliterated(name) else None
    return kind


#: the enumeration comma: a doubtful person written in a list with a person the document names (李克强、栗战书、汪洋、
#: 王沪宁; 丁薛祥、杨洁篪、王毅) is a person too. Lists of leaders carry no title beside each name, and 栗战书 (53),
#: 汪洋 (69), 韩正 (32) and 王毅 went uncounted in that many of 3,915 CCTV stories (review R)
LIST_SEPARATOR = "、"


def _listed_with(name: str, persons: Collection[str], text: str) -> bool:
    """Whether ``text`` writes ``name`` next to one of ``persons`` in a list (:data:`LIST_SEPARATOR`).

    >>> _listed_with("汪洋", {"李克强"}, "李克强、汪洋出席"), _listed_with("王毅", {"何立峰"}, "王毅、何立峰等参加")
    (True, True)
    >>> _listed_with("高达", {"李克强"}, "收益高达三成，李克强、刘刚")
    False
    """
    if not persons:
        return False
    alternatives = "|".join(re.escape(p) for p in sorted(persons, key=len, reverse=True))
    before = re.compile(rf"(?:{alternatives})\s*{LIST_SEPARATOR}\s*$")
    after = re.compile(rf"\s*{LIST_SEPARATOR}\s*(?:{alternatives})")
    longest = max(map(len, persons)) + 4
    for m in re.finditer(re.escape(name), text):
        if before.search(text[max(0, m.start() - longest) : m.start()]) or after.match(text, m.end()):
            return True
    return False


def _drop_doubtful_names(seg: _Segmented, text: str, pos: _PartOfSpeech) -> None:
    """Forget or re-kind the names that the document-level checks reject (:func:`_checked_kind`); a rejected person
    listed next to a kept one is kept (:func:`_listed_with`, repeated along the list)."""
    kinds = {key: _checked_kind(*key, text, pos, seg) for key in seg.names}
    persons = {name for (name, _), checked in kinds.items() if checked == "person"}
    rejected = [name for (name, kind), checked in kinds.items() if kind == "person" and checked is None]
    while rejected:
        listed = [name for name in rejected if _listed_with(name, persons, text)]
        if not listed:
            break
        for name in listed:
            kinds[(name, "person")] = "person"
            persons.add(name)
            rejected.remove(name)
    for (name, kind), checked in kinds.items():
        if checked != kind:
            count = seg.names.pop((name, kind))
            if checked is not None:
                seg.names[(name, checked)] += count


def _untag_unshown_persons(seg: _Segmented, pos: _PartOfSpeech) -> None:
    """A dictionary person that needs evidence (:meth:`_PartOfSpeech.evidence_person`) and that the document does
    not show as a person is a noun there (黄金周, 胡萝卜 stay keyphrase candidates)."""
    if not pos.evidence_persons:
        return
    shown = {name for name, kind in seg.names if kind == "person"}
    for run, tags in zip(seg.runs, seg.tags):
        for i, word in enumerate(run):
            if word in pos.evidence_persons and word not in shown:
                tags[i] = "n"


def _joins_name(sep: str, word: str, tag: str) -> bool:
    """Whether a token ``word`` (tag ``tag``) beside a middle dot or hyphen ``sep`` is a piece of one foreign name:
    a person across a middle dot (:data:`NAME_DOTS`), a transliteration that is no place of CLDR across a hyphen
    (:data:`NAME_HYPHENS`: 德里克-罗斯)."""
    if sep in NAME_DOTS:
        return tag in PERSON_TAGS
    return sep in NAME_HYPHENS and (tag == "nrt" or _transliterated(word)) and word not in place_names()


def _segment(text: str, tokenizer: Tokenizer) -> _Segmented:
    text = _normalised(text)
    sentences = split_sentences(text, keep_ends=False)
    seg = _Segmented([], [], len(sentences))
    tag_of = _tagger(tokenizer)
    for si, sentence in enumerate(sentences):
        run: list[str] = []
        tags: list[str] = []
        breaks: set[int] = set()
        dots: set[int] = set()
        joiner = ""  # a dot or hyphen after a name piece: the run goes on if one follows (弗拉基米尔·弗拉基米罗维奇)
        prev = ""  # the segment before this one (no whitespace): a run after 多 / 中 may start inside a word
        for word in tokenizer.segments(_CJK_SPACE.sub("，", sentence)):  # the segments tokenize() filters: same tokens
            word = word.strip()
            if not word:
                breaks.add(len(run))  # whitespace joins Latin words, it does not break a run; it does part names
                prev = ""
                continue
            if run and not joiner and _joins_name(word, run[-1], tags[-1]):
                joiner = word
                continue
            tag = tag_of(word) if tokenizer.is_content(word) else ""
            if run and (not tag or (joiner and not _joins_name(joiner, word, tag))):
                _close_run(seg, run, tags, si, breaks, dots, tag_of, text)
                run, tags, breaks, dots = [], [], set(), set()
            elif joiner:
                dots.add(len(run))
                if joiner in NAME_HYPHENS:  # a hyphenated foreign name is a person's (亚伯 / 波林 are ns alone)
                    tags[-1] = tag = "nrt"
            joiner = ""
            if tag:
                if _cut_from(prev, word, tag_of.table) or (prev == "中" and word in COUNTRY_SHORT_CHARS):
                    seg.cut_starts.add((len(seg.runs), len(run)))  # the run's index once it is closed
                run.append(word)
                tags.append(tag)
            prev = word
        if run:
            _close_run(seg, run, tags, si, breaks, dots, tag_of, text)
    _drop_doubtful_names(seg, text, tag_of)
    _untag_unshown_persons(seg, tag_of)
    return seg


def _segment_corpus(
    texts: Sequence[str],
    tokenizer: Tokenizer,
    title_sentences: Sequence[Collection[int] | None] | None = None,
    titles: Sequence[object] | None = None,
) -> list[_Segmented]:
    """The segmented documents, each with the indices of its title sentences (``None`` or missing: :data:`NO_TITLE`)
    and, given the ``titles``, the shared labels they begin with (:func:`title_rubrics`)."""
    segs = [_segment(t, tokenizer) for t in texts]
    for seg, at in zip(segs, title_sentences or ()):
        seg.title_sentences = NO_TITLE if at is None else frozenset(at)
    if titles is not None:
        for seg, title, rubrics in zip(segs, titles, title_rubrics(titles)):
            if rubrics:
                rest = str(title)
                for rubric in rubrics:
                    rest = rest.replace(rubric, " ")
                seg.rubrics = tuple(_normalised(r) for r in rubrics)
                seg.title_rest = _normalised(rest)
    return segs


def _normalised(text: str) -> str:
    """A text as :func:`_segment` reads it (NFKC, lower case)."""
    return unicodedata.normalize("NFKC", text).lower()


#: a title's shared label (栏目): the words before a colon, or in 【】 at its start, shared with other titles of the
#: corpus. At most this many characters (为了民族复兴·英雄烈士谱 has 12, 砥砺奋进的五年·扶贫蹲点日记 14) ...
RUBRIC_MAX_CHARS = 16
#: ... found at the start of at least this many titles (two stories of one series are a series); a one-off
#: prefix (习近平：…, a quote's speaker) is the story's own
RUBRIC_MIN_TITLES = 2
#: ... and followed by a headline of at least this many characters (a title that is only the label is no label)
RUBRIC_MIN_REST = 4
_RUBRIC = re.compile(
    rf"^\s*(?:【([^【】]{{1,{RUBRIC_MAX_CHARS}}})】|([^：:，,。！？!?【】《》“”\s]{{1,{RUBRIC_MAX_CHARS}}})\s*[：:])"
)


def title_rubrics(titles: Sequence[object]) -> list[tuple[str, ...]]:
    r"""The shared labels each title begins with: the words in 【】 at the start of a headline, or before its first
    colon, when at least :data:`RUBRIC_MIN_TITLES` titles of the corpus begin with the same label (人民日报评论员文章,
    【央视快评】, 新春走基层, 健康扶贫在基层, 内蒙古 in CCTV news). A label shared by several stories names what they
    share (a series, the kind of item, a source, a place, a speaker quoted), not what the one story is about:
    :func:`keywords_keyphrase` gives its words no title bonus and weighs them down (:data:`LABEL_WEIGHT`) unless the
    rest of the headline repeats them or the text uses them :data:`LABEL_SUBJECT_TF` times. Every headline of a title
    of several stories (:func:`story_titles`) is looked at.

    Measured on 800 CCTV stories of 2018–19 (reviewer K's sample, not in ``data/``): 人民日报 and 评论员文章 were in
    34 and 30 top-5 lists of `keyphrase` as the commentaries' labels, 0 after.

    >>> title_rubrics(["【央视快评】止暴制乱 恢复秩序", "央视快评：听一听香港民众的心声", "习近平：坚持改革开放", None])
    [('央视快评',), ('央视快评',), (), ()]
    """
    found: list[tuple[str, ...]] = []
    for title in titles:
        labels = []
        if isinstance(title, str):
            for headline in split_sentences(title):
                m = _RUBRIC.match(headline)
                if m and len(headline) - m.end() >= RUBRIC_MIN_REST:
                    labels.append((m.group(1) or m.group(2)).strip())
        found.append(tuple(dict.fromkeys(labels)))
    shared = Counter(label for labels in found for label in labels)
    return [tuple(label for label in labels if shared[label] >= RUBRIC_MIN_TITLES) for labels in found]


def titles_sentence(titles: Sequence[object], *, texts: Sequence[str] | None = None) -> str:
    r"""One sentence on the titles :func:`extract_keywords` was given: how many documents have one, how many hold
    several stories (each headline a title sentence), and that the others get no title bonus (no sentence of theirs
    is taken for a title).

    Parameters
    ----------
    titles : sequence
        The documents' titles as loaded (``load_corpus``'s ``title``; ``None`` or NaN where there is none).
    texts : sequence of str, optional
        Their texts: given, the titles are those :func:`story_titles` makes of them (every headline of a document
        holding several stories), as the notebook passes them, and the sentence counts those documents.

    Examples
    --------
    >>> print(titles_sentence(["水运工程", None, float("nan")]))  # doctest: +NORMALIZE_WHITESPACE
    1 of 3 documents has a title: every method reads it as its document's title sentence (added to the text where
    the text does not hold it); the other 2 have none, and no sentence of theirs gets the title bonus of `keyphrase`.
    >>> print(titles_sentence(["【新春走基层】河边村的春天", "【新春走基层】雪线上的邮路", "脱贫攻坚：贵州在行动"]))
    ... # doctest: +NORMALIZE_WHITESPACE
    3 of 3 documents have a title: every method reads it as its document's title sentence (added to the text where
    the text does not hold it). 2 titles begin with a label that other titles share (新春走基层 ×2): a series, a kind
    of item, a source or a place rather than the story's own subject, so its words get no title bonus, and 0.3 of
    their score where the text uses them fewer than 3 times.
    >>> print(titles_sentence([None, None]))  # doctest: +NORMALIZE_WHITESPACE
    No document has a title: no sentence gets the title bonus of `keyphrase` (it goes to a known title only).
    >>> day = "土耳其政府2日确认，逮捕了12名嫌疑人。\n伊军首次从北部进入摩苏尔\n6号，伊拉克政府军继续展开收复战。"
    >>> print(titles_sentence(["土警方抓获12名夜总会恐袭嫌疑人", None], texts=[day, "正文。"]))
    ... # doctest: +NORMALIZE_WHITESPACE
    1 of 2 documents has a title: every method reads it as its document's title sentence (added to the text where
    the text does not hold it); 1 holds several stories (two headlines or more: a day of a news programme, a bulletin
    of news flashes): each of its 2 headlines is a title sentence, so that the title bonus of `keyphrase` does not
    go to its first story only; the other 1 has none, and no sentence of theirs gets the title bonus of `keyphrase`.
    """
    several: list[int] = []  # the number of headlines of each document holding several stories
    if texts is not None:
        headlines = _story_headlines(titles, texts)
        several = [len(h) for h in headlines if len(h) > 1]
        titles = _joined_headlines(titles, headlines)
    n = sum(isinstance(t, str) and bool(t.strip()) for t in titles)
    if not n:
        return (
            "No document has a title: no sentence gets the title bonus of `keyphrase` (it goes to a known title only)."
        )
    has = "has" if n == 1 else "have"
    line = (
        f"{n:,} of {len(titles):,} documents {has} a title: every method reads it as its document's title sentence "
        "(added to the text where the text does not hold it)"
    )
    if several:
        one = len(several) == 1
        line += (
            f"; {len(several):,} {'holds' if one else 'hold'} several stories (two headlines or more: a day of a news "
            f"programme, a bulletin of news flashes): each of {'its' if one else 'their'} {sum(several):,} headlines "
            f"is a title sentence, so that the title bonus of `keyphrase` does not go to {'its' if one else 'their'} "
            "first story only"
        )
    rest = len(titles) - n
    if rest:
        line += f"; the other {rest:,} {'has' if rest == 1 else 'have'} none, and no sentence of theirs gets the title bonus of `keyphrase`"
    return line + "." + _rubrics_sentence(title_rubrics(titles))


#: shared labels named in the sentence of :func:`titles_sentence`, most frequent first
RUBRICS_SHOWN = 6


def _rubrics_sentence(rubrics: Sequence[tuple[str, ...]]) -> str:
    """What :func:`titles_sentence` says of the titles' shared labels (:func:`title_rubrics`), with a leading space;
    ``""`` without any."""
    counts = Counter(label for labels in rubrics for label in labels)
    if not counts:
        return ""
    n = sum(bool(labels) for labels in rubrics)
    shown = ", ".join(f"{label} ×{c}" for label, c in counts.most_common(RUBRICS_SHOWN))
    more = f", … {len(counts) - RUBRICS_SHOWN:,} more" if len(counts) > RUBRICS_SHOWN else ""
    line = (
        f" {n:,} {'title begins' if n == 1 else 'titles begin'} with a label that other titles share ({shown}{more}): "
        "a series, a kind of item, a source or a place rather than the story's own subject, so its words get no title "
        f"bonus, and {LABEL_WEIGHT:g} of their score where the text uses them fewer than {LABEL_SUBJECT_TF} times"
    )
    return line + "."


def _sentences(text: str) -> list[str]:
    """The sentences of a text as :func:`_segment` splits it (NFKC, lower case, stripped)."""
    return split_sentences(_normalised(text), keep_ends=False)


def with_title(text: str, title: object) -> tuple[str, tuple[int, ...] | None]:
    r"""``text`` with its title as sentences of it, and the indices of those sentences (``None`` without a title).

    Every sentence of the title is a title sentence: a title of several sentences (a headline 新年伊始！各地忙, or
    the headlines of a document holding several stories joined by ``。``, :func:`story_titles`) gets the title bonus
    of ``keyphrase`` (:attr:`KeyphraseSettings.edge_weight`) on each of them, not on its first or last only. A title
    sentence that is a sentence of the text already (a headline line), or ends one after a space (the last one: CSL's
    abstract followed by its title), is not added again: its index is that sentence's; the others are appended at
    the end, so that every keyword method counts them.

    >>> with_title("本文研究了镇定控制器。", "镇定控制器设计")
    ('本文研究了镇定控制器。\n镇定控制器设计', (1,))
    >>> with_title("镇定控制器设计\n本文研究了镇定控制器。", "镇定控制器设计")
    ('镇定控制器设计\n本文研究了镇定控制器。', (0,))
    >>> day = "土耳其政府确认逮捕了嫌疑人。\n伊军首次从北部进入摩苏尔\n伊拉克政府军继续展开收复战。"
    >>> with_title(day, "土警方抓获夜总会恐袭嫌疑人。伊军首次从北部进入摩苏尔")  # story 1's headline was taken off
    ('土耳其政府确认逮捕了嫌疑人。\n伊军首次从北部进入摩苏尔\n伊拉克政府军继续展开收复战。\n土警方抓获夜总会恐袭嫌疑人。', (1, 3))
    """
    title_parts = _sentences(title) if isinstance(title, str) else []
    if not title_parts:
        return text, None
    sentences = _sentences(text)
    # the title's sentences as written (appended as written) and as the text's sentences are compared (normalised)
    pieces = [(piece, _sentences(piece)) for piece in split_sentences(title)]
    last = title_parts[-1]
    found: list[int] = []
    missing: list[str] = []
    for piece, parts in pieces:
        at = [
            next(
                (i for i, s in enumerate(sentences) if s == part or (part == last and _ends_after_space(s, part))), None
            )
            for part in parts
        ]
        if None in at:
            missing.append(piece)
        else:
            found.extend(at)  # type: ignore[arg-type]
    if not missing:
        return text, tuple(sorted(set(found)))
    titled = text.rstrip() + "\n" + "\n".join(missing)
    added = range(len(sentences), len(_sentences(titled)))
    return titled, tuple(sorted(set(found) | set(added)))


def _ends_after_space(sentence: str, part: str) -> bool:
    """Whether ``sentence`` ends on ``part`` after a space (CSL appends the title to its abstract after a space)."""
    return sentence.endswith(part) and len(sentence) > len(part) and sentence[-len(part) - 1].isspace()


def story_titles(titles: Sequence[object], texts: Sequence[str]) -> list[object]:
    r"""The titles to give :func:`extract_keywords`: each document's title, but for a document holding several stories
    (:func:`helpers.clean.document_headlines` finds two headlines or more: a day file of a news programme, a bulletin
    of news flashes) all its headlines joined by ``。``, so that each is a title sentence (:func:`with_title`) and the
    title bonus of ``keyphrase`` does not favour the story whose headline the loader took as the title.

    Parameters
    ----------
    titles : sequence
        The documents' titles (``load_corpus``'s ``title``: ``None`` or NaN where there is none).
    texts : sequence of str
        Their cleaned texts.

    Returns
    -------
    list
        One title per document (unchanged for a single story).

    Examples
    --------
    >>> day = "土耳其政府2日确认，逮捕了12名嫌疑人。\n伊军首次从北部进入摩苏尔\n6号，伊拉克政府军继续展开收复战。"
    >>> story_titles(["土警方抓获12名夜总会恐袭嫌疑人", "一则新闻"], [day, "正文第一段，讲的是一件事。"])
    ['土警方抓获12名夜总会恐袭嫌疑人。伊军首次从北部进入摩苏尔', '一则新闻']
    """
    return _joined_headlines(titles, _story_headlines(titles, texts))


def _story_headlines(titles: Sequence[object], texts: Sequence[str]) -> list[list[str]]:
    """The headlines of each document (:func:`helpers.clean.document_headlines`): two or more, several stories."""
    return [[h for _, h in document_headlines(t, x)] for t, x in zip(titles, texts, strict=True)]


def _joined_headlines(titles: Sequence[object], headlines: Sequence[list[str]]) -> list[object]:
    """Each title, or the headlines of a document holding several stories joined by ``。`` (:func:`story_titles`)."""
    return ["。".join(h) if len(h) > 1 else t for t, h in zip(titles, headlines, strict=True)]


#: a document lists at most this share of its distinct content words as keywords, so that a news sentence of 12
#: distinct words lists 6, not 10 padded with 问, 干 or 谈 (review R3). Half is the smallest share that leaves every
#: method's F1@5 on data/csl_sample unchanged: a third (TextRank's share of words kept, Mihalcea & Tarau 2004)
#: lowered it by up to 0.0009 and F1@10 by up to 0.0046; half lowers F1@10 by at most 0.0014 (12 abstracts of
#: fewer than 20 distinct words list fewer than 10 terms)
KEYWORD_SHARE = 1 / 2


def keyword_caps(
    texts: Sequence[str], top_k: int, *, tokenizer: Tokenizer | None = None, _segs: Sequence[_Segmented] | None = None
) -> list[int]:
    """How many keywords each document lists in :func:`extract_keywords`: ``top_k``, but at most
    :data:`KEYWORD_SHARE` of its distinct content tokens (those of :func:`segment_runs`, rounded up), at least 1.

    >>> keyword_caps(["今天出版的人民日报刊发文章《七问供给侧结构性改革——权威人士谈当前经济怎么看怎么干》。"], 10)
    [5]
    """
    segs = _segs if _segs is not None else _segment_corpus(list(texts), tokenizer or get_default_tokenizer())
    return [max(1, min(top_k, math.ceil(len(set(seg.tokens)) * KEYWORD_SHARE))) for seg in segs]


def keyword_caps_sentence(caps: Sequence[int], top_k: int) -> str:
    """One sentence saying how many documents list fewer than ``top_k`` keywords by :func:`keyword_caps`, or ``""``.

    >>> keyword_caps_sentence([4, 10, 2], 10)
    '2 of 3 documents have fewer than 20 distinct content words; each lists at most 50% of them, rounded up, as keywords (helpers.keywords.KEYWORD_SHARE: 1 of 1 word, 3 of 5), so their lists are shorter than top_k = 10 (median 3).'
    """
    short = [c for c in caps if c < top_k]
    if not short:
        return ""
    return (
        f"{len(short):,} of {len(caps):,} documents have fewer than {math.ceil(top_k / KEYWORD_SHARE)} distinct "
        f"content words; each lists at most {KEYWORD_SHARE:.0%} of them, rounded up, as keywords "
        f"(helpers.keywords.KEYWORD_SHARE: 1 of 1 word, {math.ceil(5 * KEYWORD_SHARE)} of 5), so their lists "
        f"are shorter than top_k = {top_k} (median {np.median(short):g})."
    )


def _top(scores: Mapping[str, float], k: int) -> Keywords:
    """The k best (term, score) pairs, ties broken by the term so that results are reproducible."""
    return sorted(((t, float(s)) for t, s in scores.items() if s > 0), key=lambda x: (-x[1], x[0]))[:k]


# -- method 1: TF-IDF with a corpus IDF (scikit-learn) -----------------------------------------------------------------
class _Features:
    """An ``analyzer=`` callable for scikit-learn: the tokens already computed (and cached) for a text, and its word
    n-grams of 2 and more tokens taken inside the runs of :func:`segment_runs` only, so that an n-gram joins tokens
    adjacent in the text, never across a removed stopword, number or punctuation (文章问 of 文章《…》问)."""

    def __init__(
        self,
        texts: Sequence[str],
        tokens: Sequence[list[str]],
        segs: Sequence[_Segmented],
        ngram_range: tuple[int, int],
    ) -> None:
        lo, hi = ngram_range
        self.lookup: dict[str, list[str]] = {}
        for text, toks, seg in zip(texts, tokens, segs):
            grams = list(toks) if lo <= 1 else []
            for n in range(max(lo, 2), hi + 1):
                grams += [" ".join(run[i : i + n]) for run in seg.runs for i in range(len(run) - n + 1)]
            self.lookup[text] = grams

    def __call__(self, text: str) -> list[str]:
        return self.lookup[text]


def keywords_tfidf_corpus(
    texts: Sequence[str],
    *,
    top_k: int = 10,
    ngram_range: tuple[int, int] = (1, 1),
    tokens: Sequence[list[str]] | None = None,
    tokenizer: Tokenizer | None = None,
    corpus_top_k: int | None = None,
    single_char_weight: float = SINGLE_CHAR_WEIGHT,
    _segs: Sequence[_Segmented] | None = None,
) -> MethodResult:
    """Per-document and corpus keywords by ``TfidfVectorizer`` fed by the project tokenizer (sublinear tf), a
    one-character term weighed down (``single_char_weight``, as ``keyphrase`` does).

    Bigrams (``ngram_range=(1, 2)``) are pairs of content tokens adjacent in the text (inside one run of
    :func:`segment_runs`: never across a stopword, number or punctuation), printed without a space. The corpus
    keywords are the terms with the largest mean of the (L2-normalised) document vectors.

    Parameters
    ----------
    texts : sequence of str
        The documents.
    top_k : int
        Keywords per document (and for the corpus when ``corpus_top_k`` is not given).
    corpus_top_k : int, optional
        Keywords of the corpus (default ``top_k``).
    ngram_range : tuple of int
        Word n-grams, as scikit-learn's ``ngram_range``.
    tokens : sequence of list of str, optional
        The project tokens of ``texts`` if already computed.
    tokenizer : Tokenizer, optional
        The project tokenizer (default: the module default).
    single_char_weight : float
        Factor of the weight of a one-character term (:data:`SINGLE_CHAR_WEIGHT`; 1 leaves it as it is).

    Returns
    -------
    tuple
        ``(per_document, corpus)``: a list of ``(term, score)`` lists, one per document, and one such list for
        the corpus.

    References
    ----------
    K. Sparck Jones (1972), G. Salton and C. Buckley (1988): see the module's References.

    Examples
    --------
    >>> docs, corpus = keywords_tfidf_corpus(["脱贫攻坚 精准扶贫 产业", "乡村振兴 产业"], top_k=2)
    >>> docs[0]
    [('精准扶贫', 0.631...), ('脱贫攻坚', 0.631...)]
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    tokenizer = tokenizer or get_default_tokenizer()
    texts = list(texts)
    if tokens is None:
        tokens = tokenizer.tokenize_corpus(texts, n_jobs=1)
    if not any(tokens):
        return [[] for _ in texts], []
    if _segs is None:
        _segs = _segment_corpus(texts, tokenizer) if ngram_range[1] > 1 else [_Segmented([], [], 0) for _ in texts]
    vec = TfidfVectorizer(
        analyzer=_Features(texts, tokens, _segs, tuple(ngram_range)), lowercase=False, sublinear_tf=True
    )
    X = vec.fit_transform(texts).tocsr()
    names = [_join(n.split(" ")) for n in vec.get_feature_names_out()]
    X = (X @ sparse.diags([single_char_weight if len(n) == 1 else 1.0 for n in names])).tocsr()  # after the L2 norm
    per_doc = []
    for i in range(X.shape[0]):
        row = X.getrow(i)
        per_doc.append(_top({names[j]: v for j, v in zip(row.indices, row.data)}, top_k))
    mean = np.asarray(X.mean(axis=0)).ravel()
    corpus = _top({names[j]: mean[j] for j in np.flatnonzero(mean)}, corpus_top_k or top_k)
    return per_doc, corpus


# -- method 2: TF-IDF with the reference IDF -----------------------------------------------------------------------
def keywords_tfidf_reference(
    tokens: Sequence[Sequence[str]],
    *,
    top_k: int = 10,
    reference: ReferenceIDF | str = "reference_idf",
    corpus_top_k: int | None = None,
    single_char_weight: float = SINGLE_CHAR_WEIGHT,
) -> MethodResult:
    """Per-document and corpus keywords by sublinear tf times the reference IDF, a one-character term weighed down
    (``single_char_weight``, as ``keyphrase`` does).

    The corpus keywords are the terms with the largest mean of the L2-normalised document vectors.

    Parameters
    ----------
    tokens : sequence of sequence of str
        The project tokens of each document.
    top_k : int
        Keywords per document (and for the corpus when ``corpus_top_k`` is not given).
    corpus_top_k : int, optional
        Keywords of the corpus (default ``top_k``).
    reference : ReferenceIDF or str
        The reference IDF, or the name or path of a table (:func:`load_reference_idf`).
    single_char_weight : float
        Factor of the weight of a one-character term (:data:`SINGLE_CHAR_WEIGHT`; 1 leaves it as it is).

    Returns
    -------
    tuple
        ``(per_document, corpus)`` lists of ``(term, score)``.

    References
    ----------
    G. Salton and C. Buckley, "Term-weighting approaches in automatic text retrieval", 1988 (``1 + ln tf``).

    Examples
    --------
    >>> docs, corpus = keywords_tfidf_reference([["发展", "发展", "驻村工作队"]], top_k=2)
    >>> [t for t, _ in docs[0]]
    ['驻村工作队', '发展']
    """
    ref = _as_reference(reference)
    per_doc = []
    total: Counter[str] = Counter()
    for toks in tokens:
        tf = Counter(toks)
        w = {t: (1 + math.log(c)) * ref[t] for t, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in w.values())) or 1.0  # before the weight, as tfidf_corpus normalises
        w = {t: v * (single_char_weight if len(t) == 1 else 1.0) for t, v in w.items()}
        for t, v in w.items():
            total[t] += v / norm
        per_doc.append(_top(w, top_k))
    n = max(len(tokens), 1)
    return per_doc, _top({t: v / n for t, v in total.items()}, corpus_top_k or top_k)


# -- method 3: TextRank --------------------------------------------------------------------------------------------
def _pagerank(
    vocab_size: int,
    edges: Mapping[tuple[int, int], float],
    *,
    damping: float = PAGERANK_DAMPING,
    tol: float = PAGERANK_TOL,
    max_iter: int = PAGERANK_MAX_ITER,
) -> np.ndarray:
    """PageRank of an undirected weighted graph by power iteration (deterministic)."""
    if vocab_size == 0:
        return np.zeros(0)
    if not edges:
        return np.full(vocab_size, 1.0 / vocab_size)
    rows, cols, vals = [], [], []
    for (a, b), w in edges.items():
        rows += [a, b]
        cols += [b, a]
        vals += [w, w]
    W = sparse.csr_matrix((vals, (rows, cols)), shape=(vocab_size, vocab_size))
    out = np.asarray(W.sum(axis=1)).ravel()
    inv = np.divide(1.0, out, out=np.zeros_like(out), where=out > 0)
    M = (sparse.diags(inv) @ W).T.tocsr()  # column-stochastic transition matrix
    r = np.full(vocab_size, 1.0 / vocab_size)
    dangling = out == 0
    for _ in range(max_iter):
        new = damping * (M @ r + r[dangling].sum() / vocab_size) + (1 - damping) / vocab_size
        if np.abs(new - r).sum() < tol:
            r = new
            break
        r = new
    return r


def _textrank_scores(segs: Sequence[_Segmented], window: int) -> dict[str, float]:
    index: dict[str, int] = {}
    edges: defaultdict[tuple[int, int], float] = defaultdict(float)
    for seg in segs:
        ids = [index.setdefault(t, len(index)) for t in seg.tokens]
        for i, a in enumerate(ids):
            for b in ids[i + 1 : i + window]:
                if a != b:
                    edges[(min(a, b), max(a, b))] += 1.0
    r = _pagerank(len(index), edges)
    return {t: float(r[i]) for t, i in index.items()}


#: the tags of what may stand before a person inside a term: nouns and names (中共中央总书记习近平) and abbreviations
#: (j). jieba tags some verbs of news as adjectives or idioms (落实 a, 贯彻落实 i): before a name any of them is the
#: predicate of a clause (落实习近平总书记), which the verb rule alone let through
PERSON_MODIFIER_POS: tuple[str, ...] = ("n", "j")


def _phrase_bounds(run: Sequence[str], tags: Sequence[str], a: int, b: int) -> tuple[int, int]:
    """The span ``run[a:b]`` cut to the boundaries of ``keyphrase`` (:func:`_bad_edge`), and where it names a
    person, cut at the verbs around the name: a name and its verb are a clause (习近平总书记来到, 习近平来到银川市),
    not a term; before the name, also at any word that is no noun (:data:`PERSON_MODIFIER_POS`: 落实 a). TextRank
    merges any adjacent top words, so this is where its phrases stop.

    >>> _phrase_bounds(["习近平", "总书记", "来到", "银川市"], ["nrfg", "n", "v", "ns"], 0, 4)
    (0, 2)
    >>> _phrase_bounds(["落实", "习近平", "总书记"], ["a", "nrfg", "n"], 0, 3)
    (1, 3)
    """
    person = next((k for k in range(a, b) if name_kind(tags[k]) == "person"), None)
    if person is not None:
        verbs = [k for k in range(a, b) if tags[k] in VERB_POS]
        a = max([a] + [k + 1 for k in range(a, person) if not tags[k].startswith(PERSON_MODIFIER_POS)])
        b = min([b] + [k for k in verbs if k > person])
    while a < b and _bad_edge(run[a], tags[a], end=False):
        a += 1
    while b > a and _bad_edge(run[b - 1], tags[b - 1], end=True):
        b -= 1
    return a, b


def _merge_phrases(
    segs: Sequence[_Segmented],
    word_scores: Mapping[str, float],
    *,
    top_k: int,
    top_fraction: float = TEXTRANK_TOP_FRACTION,
    max_tokens: int = MAX_PHRASE_TOKENS,
    min_count: int = MIN_PHRASE_COUNT,
    min_docs: int = 1,
    min_share: float = 0.0,
) -> Keywords:
    """Collapse adjacent top-ranked words into phrases (score: sum of the words' scores).

    A merged phrase must occur ``min_count`` times, in ``min_docs`` documents of ``segs`` at least (the corpus list
    asks two: a phrase of one document is that document's, 新基金分红 and 基金产品具有 led the corpus list of a pooled
    corpus of 600 texts, reviewer M), and in ``min_share`` of the occurrences of its rarest word at least (the
    corpus list asks :data:`CORPUS_PHRASE_MIN_SHARE`: over thousands of stories top words meet by chance, 中国加强合作
    twice against thousands of 中国 and 合作, reviewer R); otherwise its words stand alone. A word that occurs only
    inside kept phrases is dropped (the phrase stands for it). Phrases and words obey the boundaries of
    ``keyphrase`` (:func:`_bad_edge`): tokens no phrase starts or ends on are cut from the ends of a span
    (习近平总书记强调 -> 习近平总书记; a lone 强调 is no keyword).
    """
    ranked = _top(word_scores, len(word_scores))
    keep = {t for t, _ in ranked[: max(top_k * 2, int(len(ranked) * top_fraction))]}
    spans: Counter[tuple[str, ...]] = Counter()
    span_docs: defaultdict[tuple[str, ...], set[int]] = defaultdict(set)
    alone: set[str] = set()  # words that may stand alone: no edge a phrase may not start or end on
    words: Counter[str] = Counter()  # occurrences of the kept words, for min_share
    for d, seg in enumerate(segs):
        for run, tags in zip(seg.runs, seg.tags):
            words.update(w for w in run if w in keep)
            alone.update(w for w, t in zip(run, tags) if not (_bad_edge(w, t, end=False) or _bad_edge(w, t, end=True)))
            i = 0
            while i < len(run):
                if run[i] not in keep:
                    i += 1
                    continue
                j = i
                while j + 1 < len(run) and run[j + 1] in keep and j + 1 - i < max_tokens:
                    j += 1
                a, b = _phrase_bounds(run, tags, i, j + 1)
                if a < b:
                    spans[tuple(run[a:b])] += 1
                    span_docs[tuple(run[a:b])].add(d)
                i = j + 1
    scores: dict[str, float] = {}
    for span, count in spans.items():
        together = count >= min_share * min(words[t] for t in span)
        if len(span) > 1 and count >= min_count and len(span_docs[span]) >= min_docs and together:
            scores[_join(span)] = sum(word_scores[t] for t in span)
        else:
            scores.update(
                (t, word_scores[t] * (SINGLE_CHAR_WEIGHT if len(t) == 1 else 1.0)) for t in span if t in alone
            )
    return _top(scores, top_k)


def keywords_textrank(
    texts: Sequence[str],
    *,
    top_k: int = 10,
    window: int = TEXTRANK_WINDOW,
    tokenizer: Tokenizer | None = None,
    corpus_top_k: int | None = None,
    _segs: Sequence[_Segmented] | None = None,
) -> MethodResult:
    """Per-document and corpus keywords by TextRank over the project's tokens, adjacent top words merged.

    The graph links content tokens that occur within ``window`` tokens of each other; words are ranked by
    PageRank, the top third (at least ``2 * top_k``) kept, and adjacent kept words merged into phrases of up to
    three tokens when the phrase occurs at least twice; phrases stop where ``keyphrase`` candidates stop
    (:func:`_phrase_bounds`). The corpus keywords come from one graph over all documents, chosen by maximal
    marginal relevance so that the best word's many phrases do not fill the list.

    Parameters
    ----------
    texts : sequence of str
        The documents.
    top_k : int
        Keywords per document (and for the corpus when ``corpus_top_k`` is not given).
    corpus_top_k : int, optional
        Keywords of the corpus (default ``top_k``).
    window : int
        Co-occurrence window in tokens (:data:`TEXTRANK_WINDOW`).
    tokenizer : Tokenizer, optional
        The project tokenizer (default: the module default).

    Returns
    -------
    tuple
        ``(per_document, corpus)`` lists of ``(term, score)``.

    References
    ----------
    R. Mihalcea and P. Tarau, "TextRank: Bringing order into texts", EMNLP 2004.
    S. Brin and L. Page, "The anatomy of a large-scale hypertextual web search engine", WWW 1998 (PageRank).

    Examples
    --------
    >>> docs, _ = keywords_textrank(["脱贫攻坚，精准扶贫。脱贫攻坚，产业扶贫。精准扶贫，产业扶贫"], top_k=3)
    >>> [t for t, _ in docs[0]]
    ['精准扶贫', '产业扶贫', '脱贫攻坚']
    """
    tokenizer = tokenizer or get_default_tokenizer()
    segs = list(_segs) if _segs is not None else _segment_corpus(texts, tokenizer)
    per_doc = [_merge_phrases([s], _textrank_scores([s], window), top_k=top_k) for s in segs]
    # the corpus graph's best word is in many merged phrases, each scored above any other term by the sum: the
    # corpus list is chosen by maximal marginal relevance (:func:`diverse_top`) from a pool of merged phrases
    n_corpus = corpus_top_k or top_k
    pool = _merge_phrases(
        segs, _textrank_scores(segs, window), top_k=MMR_POOL * n_corpus, min_docs=min(2, len(segs)),
        min_share=CORPUS_PHRASE_MIN_SHARE,
    )  # fmt: skip
    pool = pool if segs else []
    return per_doc, diverse_top(dict(pool), n_corpus)


# -- diverse selection (maximal marginal relevance) ------------------------------------------------------------------
MMR_POOL = 4  # candidates considered per keyword wanted: the best 4k by score (KeyBERT's nr_candidates is 2k-4k)


def phrase_overlap(a: str, b: str) -> float:
    """How much two phrases say the same: 1 when one contains the other, else the squared share of shared characters.

    The share is taken of the shorter phrase's distinct characters and squared, so 乌中 and 中乌 overlap fully while
    农业 and 农村 (half their characters) overlap by a quarter: terms of one field share characters without being
    the same term (squaring kept F1 on the CSL tuning split).

    >>> phrase_overlap("确诊病例", "确诊病例超过"), phrase_overlap("乌中", "中乌"), phrase_overlap("农业", "农村")
    (1.0, 1.0, 0.25)
    """
    if a in b or b in a:
        return 1.0
    sa, sb = set(a), set(b)
    return (len(sa & sb) / min(len(sa), len(sb))) ** 2


def diverse_top(scores: Mapping[str, float], k: int, *, penalty: float = 0.7) -> Keywords:
    """The k best terms chosen by maximal marginal relevance: score times one minus penalty times overlap.

    Greedy: each step takes the candidate with the largest ``score * (1 - penalty * max overlap)`` with the terms
    already taken (:func:`phrase_overlap`), among the best ``MMR_POOL * k`` by score; the adjusted score is
    returned, so scores decrease down the list. ``penalty=0`` is plain ranking by score.

    Parameters
    ----------
    scores : mapping of str to float
        Candidate -> relevance (positive).
    k : int
        How many terms.
    penalty : float
        Weight of the redundancy, between 0 and 1.

    Returns
    -------
    list of (str, float)

    References
    ----------
    J. Carbonell and J. Goldstein, "The use of MMR, diversity-based reranking for reordering documents and
    producing summaries", SIGIR 1998; M. Grootendorst, KeyBERT (2020), which applies it to keyphrases.

    Examples
    --------
    >>> diverse_top({"确诊病例": 3.0, "确诊病例超过": 2.9, "疫情防控": 2.0}, 2)
    [('确诊病例', 3.0), ('疫情防控', 2.0)]
    """
    pool = _top(scores, MMR_POOL * k)
    overlap = [0.0] * len(pool)  # each candidate's largest overlap with the terms taken so far, kept up to date
    open_ = list(range(len(pool)))  # candidates not yet taken, best score first (ties go to the earlier one)
    chosen: Keywords = []
    while open_ and len(chosen) < k:
        best_i, best_w = open_[0], -math.inf
        for i in open_:
            w = pool[i][1] * (1 - penalty * overlap[i])
            if w > best_w:
                best_i, best_w = i, w
        if best_w <= 0:
            break
        chosen.append((pool[best_i][0], best_w))
        open_.remove(best_i)
        for i in open_:
            overlap[i] = max(overlap[i], phrase_overlap(pool[i][0], pool[best_i][0]))
    return chosen


# -- method 4: key phrases -----------------------------------------------------------------------------------------
#: weight of a candidate found only in its title's shared label (:func:`title_rubrics`: 人民日报评论员文章, 新春走基层,
#: 内蒙古) that the rest of the document uses fewer than :data:`LABEL_SUBJECT_TF` times. On reviewer K's 800 CCTV
#: stories of 2018-19 (not in ``data/``) 0.3 took 人民日报, 评论员文章, 钟声文章, 央视快评 and 国际锐评 (in 34, 30, 15,
#: 13 and 10 of the 4,000 top-5 terms) out of the lists; without the title bonus only, 评论员文章 stayed in 26 (the
#: lead-in repeats it: 今天出版的人民日报发表评论员文章)
LABEL_WEIGHT = 0.3
#: a label's word that the body uses this many times is the story's subject too (健康扶贫, 6 times in a story of the
#: series 【健康扶贫在基层】): it keeps its weight, without the title bonus
LABEL_SUBJECT_TF = 3
PRIOR_FULL_CHARS = 5  # candidates of 4-5 characters get the full length prior: the most precise on the CSL tuning split


@dataclass(frozen=True)
class KeyphraseSettings:
    """Weights of the ``keyphrase`` score (tuned on the 700 CSL rows not in ``data/csl_sample``, which is held out).

    The gains quoted below were measured in session 4 with jieba's full HMM segmentation; the project tokenizer's
    ``hmm="names"`` lowers every figure by about 0.005 F1@5 on the tuning split, and the fragment weight was
    checked again with it.

    score = (1 + ln tf) * reference IDF (of the phrase, else the mean of its parts) * corpus IDF of the phrase
            * (1 + length_weight * (tokens - 1)) * (1 + edge_weight * [in the title sentence])
            * (1 + position_weight * (1 - first position / length)) * (single_char_weight if one character)
            * character-length prior (:meth:`char_prior`) * (fragment_weight if a fragment)
            * (one_off_weight if a phrase seen once in one document only)
            * (label_weight if found only in a label its title shares with other titles, see :func:`title_rubrics`)

    Attributes
    ----------
    max_tokens : int
        Longest candidate in tokens: 3 covers nearly all CSL author keywords that are runs of tokens (78 of the
        3,079 found verbatim in the tuning abstracts have more). 4 raised the mean F1@5 ratio to jieba by 0.036
        over the 5 folds of ``benchmarks/train_keyphrase.py`` (paired spread 0.039), under the folds' standard
        error (0.13), and put collocations in the seeds' corpus list (自治区派驻突泉县脱贫攻坚): kept at 3.
    min_chars : int
        Shortest candidate in characters (one character is rarely a term).
    min_tf_phrase : int
        A phrase seen fewer times and in no other document is a one-off (perhaps a chance adjacency).
    one_off_weight : float
        Weight of a one-off phrase (0 drops it). Dropping them lost author keywords seen once (235 on the CSL
        tuning split); 0.3 over 0: +0.008 F1@5 on the tuning split.
    length_weight : float
        Boost per extra token, as KP-Miner's boost of compound terms (tuned on CSL).
    edge_weight : float
        Bonus for the title sentence: the title given to :func:`extract_keywords` (none without one; tuned with
        the last sentence of CSL abstracts, which is their title: 1.0 over 0.5: +0.006 F1@5 on the tuning split;
        1.5 gained 0.002 more but put nested pairs in over 10 % of the cnews top-5 lists).
    position_weight : float
        Bonus for an early first occurrence, as KEA's first-occurrence feature (tuned on CSL).
    single_char_weight : float
        Penalty of a one-character term (tuned on CSL).
    fragment_weight : float
        Weight of a fragment, a candidate that never occurs outside one longer, well-bounded candidate (C-value's
        nested terms; 0 drops it). Dropping them lost 1,005 author keywords of the CSL tuning split (内皮功能 of
        血管内皮功能); 0.35 over 0: +0.011 F1@5 there, the selection then keeps one of the two forms.
    short_char_weights : tuple of float
        Character-length prior of two- and three-character candidates (their top-5 precision on the tuning split
        was 0.16 and 0.31 against 0.40 for four characters); tuned on CSL: +0.007 F1@5.
    long_char_decay : float
        Prior per character beyond :data:`PRIOR_FULL_CHARS` (tuned on CSL: +0.007 F1@5 with the short weights).
    bounded : bool
        No candidate starts or ends on a function word, numeral, measure word or dangling verb (:data:`EDGE_POS`,
        :data:`DANGLING_WORDS`).
    names_apart : bool
        Names are not topical keywords: candidates made of person names only are left to :func:`extract_names`
        (places and organisations stay candidates, see :func:`_is_name`).
    diversity : float
        Redundancy penalty of the maximal-marginal-relevance selection (:func:`diverse_top`; 0 ranks by score
        alone). Once fragments are kept a lower penalty scores better on CSL (tuning split F1@5 0.298 at 0.5,
        0.296 at 0.6, 0.292 at 0.65, 0.291 at 0.7) but nests more on news (top-5 lists of the 300 articles of
        ``data/cnews_sample`` holding a nested pair: 17 % at 0.5, 11 % at 0.6, 6 % at 0.65). Since titles are
        passed apart (session 9, :func:`with_title`: a title's terms and their longer forms both get the title
        bonus) 0.65 nested 11.7 % of the held-out CCTV stories' lists (``data/xwlb_sections_heldout``, cnews 7.0 %);
        0.7 nests 7.1 % and 5.7 % (0.75: 3.7 %, 3.0 %) for F1@5 on the held-out ``data/csl_sample`` 0.260 against
        0.263 at 0.65 (:func:`helpers.validation.keywords.validate_keywords`; 1.76× jieba's, 1.78× at 0.65): 0.7
        keeps news under 10 % with titles.
    label_weight : float
        Weight of a candidate found only in its title's shared label and used fewer than :data:`LABEL_SUBJECT_TF`
        times (:data:`LABEL_WEIGHT`; no effect without titles, so none on the CSL figures).
    """

    max_tokens: int = 3
    min_chars: int = 2
    min_tf_phrase: int = 2
    length_weight: float = 0.5
    edge_weight: float = 1.0
    position_weight: float = 1.0
    single_char_weight: float = SINGLE_CHAR_WEIGHT
    one_off_weight: float = 0.3
    fragment_weight: float = 0.35
    short_char_weights: tuple[float, float] = (0.65, 0.85)
    long_char_decay: float = 0.7
    bounded: bool = True
    names_apart: bool = True
    diversity: float = 0.7
    label_weight: float = LABEL_WEIGHT

    def char_prior(self, term: str) -> float:
        """The character-length prior of a candidate: ``short_char_weights`` for 2 and 3 characters, 1 up to
        :data:`PRIOR_FULL_CHARS`, then ``long_char_decay`` per extra character (one character: 1, see
        ``single_char_weight``).

        >>> [round(KeyphraseSettings().char_prior(t), 2) for t in ("人权", "压水堆", "数据挖掘", "下颌阻生第三磨牙")]
        [0.65, 0.85, 1.0, 0.34]
        """
        n = len(term)
        if n in (2, 3):
            return self.short_char_weights[n - 2]
        return self.long_char_decay ** max(n - PRIOR_FULL_CHARS, 0)


@dataclass
class _Candidates:
    """The candidate phrases of one document and what the score needs to know about them."""

    tf: Counter[str]  # occurrences of each candidate (surface form)
    parts: dict[str, tuple[str, ...]]  # its tokens
    first: dict[str, int]  # token position of its first occurrence
    edge: set[str]  # candidates in a title sentence (:attr:`_Segmented.title_sentences`)
    sup: Counter[str]  # largest tf of a one-token extension: a candidate never seen outside it is a fragment
    length: int  # number of content tokens (at least 1)
    tags: dict[str, tuple[str, ...]] = field(default_factory=dict)  # jieba's tag of each of its tokens
    persons: frozenset[str] = frozenset()  # the persons the document's names keep (普京, tagged a place), their pieces
    labels: set[str] = field(default_factory=set)  # candidates found only in a label its title shares (title_rubrics)


def _candidates(seg: _Segmented, max_tokens: int, *, bounded: bool = True) -> _Candidates:
    cand = _Candidates(Counter(), {}, {}, set(), Counter(), 1)
    persons = [name for name, kind in seg.names if kind == "person"]  # with each piece of 比尔·盖茨
    cand.persons = frozenset(persons + [p for name in persons for p in name.split(NAME_DOTS_SHOWN)])
    pos = 0
    for ri, (run, tags, si) in enumerate(zip(seg.runs, seg.tags, seg.run_sentence)):
        for i in range(len(run)):
            if (ri, i) in seg.cut_starts:
                continue
            for n in range(1, min(max_tokens, len(run) - i) + 1):
                p = tuple(run[i : i + n])
                s = _join(p)
                cand.tf[s] += 1
                cand.parts.setdefault(s, p)
                cand.tags.setdefault(s, tuple(tags[i : i + n]))
                cand.first.setdefault(s, pos + i)
                if si in seg.title_sentences:
                    cand.edge.add(s)
        pos += len(run)
    cand.length = max(pos, 1)
    if seg.rubrics:  # a shared label's words get no title bonus, and are weighed down unless the body repeats them
        label_only = {s for s in cand.tf if s not in seg.title_rest and any(s in r for r in seg.rubrics)}
        cand.labels = {s for s in label_only if cand.tf[s] - (s in cand.edge) < LABEL_SUBJECT_TF}
        cand.edge -= label_only
    for s, p in cand.parts.items():
        if len(p) >= 2 and not (bounded and _badly_bounded(p, cand.tags[s])):
            for sub in (p[:-1], p[1:]):  # only a well-bounded extension makes a fragment of its parts
                k = _join(sub)
                cand.sup[k] = max(cand.sup[k], cand.tf[s])
    return cand


#: one-character names of countries after 中 in news (中塞关系, 中荷, 中摩建交; review K): the tokenizer cuts 中 / 塞 where
#: its dictionary lacks the pair, and no phrase starts on the country's character
COUNTRY_SHORT_CHARS = frozenset(
    "美俄日韩朝英法德意加澳印巴越老柬泰缅菲马塞荷伊摩埃土希葡西瑞芬挪丹波捷匈罗保乌白哈吉塔阿以叙黎约沙苏古墨秘智委厄玻比卢奥爱冰蒙尼孟斐汤萨纳津肯坦赞刚乍突索"
)


def _cut_from(prev: str, word: str, words: Collection[str]) -> bool:
    """Whether a one-character token ``word`` after the one-character token ``prev`` is the second half of a word
    of jieba's dictionary (``words``) that the tokenizer cut in two, so that no phrase starts on it: 多国 of 多国人士,
    中美 of 中美经贸 (dictionary entries of frequency 3, which the tokenizer's path leaves aside). 国人士 and
    美经贸摩擦 led top-5 lists of CCTV stories; 5种 / 微藻 and 环境下 / 跨界营销 are no such cut.

    >>> [_cut_from(a, b, {"多国", "中美"}) for a, b in [("多", "国"), ("中", "美"), ("种", "微"), ("下", "跨")]]
    [True, True, False, False]
    """
    return len(prev) == 1 and len(word) == 1 and prev + word in words


def _badly_bounded(parts: Sequence[str], tags: Sequence[str]) -> bool:
    """Whether a candidate starts or ends on a token no phrase starts or ends on (:func:`_bad_edge`)."""
    if len(parts) == 1:
        word = parts[0]
        return (
            _bad_edge(word, tags[0], end=False)
            or clause_token(word, end=True)
            or clause_token(word, end=True, edge_words=_EVENT_ENDS)
        )
    return _bad_edge(parts[0], tags[0], end=False) or _bad_edge(parts[-1], tags[-1], end=True)


def _is_name(term: str, tags: Sequence[str], parts: Sequence[str] = (), persons: Collection[str] = ()) -> bool:
    """A candidate made of person tokens only (滕宏伟), or of a person and titles (:func:`_titled_person`: 县委书记邓真晓),
    is a name, not a topical term.

    Places and organisations stay candidates: in abstracts they are often the subject (青藏高原, 珠江三角洲,
    瑞典社会民主党 are CSL author keywords), and jieba's dictionary tags many concepts ``ns``/``nt`` (三角洲, 满意度,
    人文科学). On the CSL tuning split, leaving them out cost 0.006 F1@5 more than leaving out persons only.
    :func:`extract_names` still lists them; the ``kind`` column of keywords.csv marks them.
    """
    if bool(tags) and all(name_kind(t) == "person" for t in tags) and _name_kind_of(term, tags) == "person":
        return True
    return bool(parts) and _titled_person(parts, tags, persons)


def _titled_person(parts: Sequence[str], tags: Sequence[str], known: Collection[str] = ()) -> bool:
    """Whether a candidate is about a Chinese person rather than a term: the person with titles or honorifics only
    (县委书记 / 邓真晓, 李保国 / 同志: :data:`PERSON_TITLES`), the person after a title (国资委 / 主任 / 肖亚庆), or the
    person followed by verbs only (李克强 / 会见, 杜 / 富国 / 受伤), a surname and a title (习 / 主席); a person before a
    term stays a term (邓小平 / 理论). ``known``: the persons of the document's names list, whatever their tag (普京 /
    总统: jieba tags 普京 a place).

    >>> _titled_person(["县委书记", "邓真晓"], ["n", "nr"]), _titled_person(["邓小平", "理论"], ["nr", "n"])
    (True, False)
    >>> _titled_person(["国资委", "主任", "肖亚庆"], ["j", "n", "nr"]), _titled_person(["汪洋", "出席"], ["nr", "v"])
    (True, True)
    """
    persons = [t in ("nr", "nrfg") or w in known for w, t in zip(parts, tags)]
    titled = [bool(_PERSON_BEFORE.search(w)) for w in parts]
    if len(parts) >= 2 and len(parts[0]) == 1 and parts[0] in HMM_SURNAMES and titled[1]:
        persons[0] = persons[1] = True  # 习 / 主席, 王 / 书记: a surname and a title name a person
    if not any(persons):
        return False
    if all(p or t for p, t in zip(persons, titled)):
        return True
    if (
        len(parts) >= 2
        and persons[-1]
        and (titled[-2] or all(persons[k] or t in VERB_POS for k, t in enumerate(tags[:-1])))
    ):
        return True  # 国资委 / 主任 / 肖亚庆, 授予 / 朱有勇
    return persons[0] and all(persons[k] or t in VERB_POS or titled[k] for k, t in enumerate(tags) if k > 0)


#: jieba's tags of verbs (抓好, 推进 v; 积极推进 vd)
VERB_POS: tuple[str, ...] = ("v", "vd")
#: resultative complements: a two-character verb ending on one (抓好, 做好, 抓实, 守牢, 抓紧, 守住, 找准, 做细, 吃透) says how
#: work is to be done, not what it is about, and is left out of the corpus keyphrases (抓好 was among the seeds'
#: top six). Other lone verbs stay: jieba tags the field's own terms as verbs too (脱贫, 扶贫, 帮扶, 搬迁, 振兴 v), and
#: leaving every lone verb out of the per-document lists lowered the F1@5 ratio to jieba by 0.04 (spread 0.05 over
#: the 5 folds of benchmarks/train_keyphrase.py on the CSL tuning split)
RESULTATIVE_CHARS: frozenset[str] = frozenset("好实牢紧住准细透")


def _is_work_verb(term: str, tags: Sequence[str]) -> bool:
    """Whether a candidate is one two-character verb ending on a resultative complement (抓好, not 帮扶 or 监测)."""
    return len(tags) == 1 and tags[0] in VERB_POS and len(term) == 2 and term[-1] in RESULTATIVE_CHARS


def _is_term(s: str, cand: _Candidates, df: Mapping[str, int], st: KeyphraseSettings) -> bool:
    """Whether candidate ``s`` may be a keyword: length limits, boundaries, no name (fragments and one-offs only
    when their weight is 0)."""
    p = cand.parts[s]
    if len(p) > st.max_tokens or len(s) < st.min_chars:
        return False
    if st.bounded and _badly_bounded(p, cand.tags[s]):
        return False
    if st.names_apart and (
        s in cand.persons
        or _is_name(s, cand.tags[s], p, cand.persons)
        or _name_piece(p, cand)
        or _office_holder(p, cand.tags[s])
    ):
        return False
    if st.fragment_weight <= 0 and _is_fragment(s, cand):
        return False
    return not (st.one_off_weight <= 0 and _is_one_off(s, cand, df[s], st))


def _name_piece(parts: Sequence[str], cand: _Candidates) -> bool:
    """Whether a candidate (its tokens) holds a transliterated piece of a person the document names (帕夫 / 夫洛 of
    帕夫洛普洛斯, 耶夫 / 表示 / 感谢 of 米尔济约耶夫表示感谢): the tokenizer cuts foreign names it does not know into
    characters, and their pieces led top-5 lists of CCTV stories while the names list held the whole name.

    >>> cand = _Candidates(Counter(), {}, {}, set(), Counter(), 1, persons=frozenset({"帕夫洛普洛斯", "王建国"}))
    >>> [_name_piece(p, cand) for p in (["帕", "夫"], ["洛", "普洛斯"], ["希腊"], ["建国"], ["帕夫洛普洛斯"])]
    [True, True, False, False, False]
    """
    pieces = [t for t in parts if any(len(name) > len(t) and t in name for name in cand.persons)]
    if not pieces:
        return False
    if len(parts) > 1:  # a run of single characters: the piece is the part of the candidate inside the name
        inside = _join([t for t in parts if t in pieces])
        return any(len(name) > len(inside) >= 2 and inside in name and _transliterated(inside) for name in cand.persons)
    return _transliterated(parts[0])


def _office_holder(parts: Sequence[str], tags: Sequence[str]) -> bool:
    """Whether a candidate is an office alone or after a country or place (总统; 希腊 / 总理, 土耳其 / 总统, 新加坡 /
    副总理, 德国总理: :data:`OFFICE_TITLES`), or an office and the start of a foreign name (总统 / 帕 of 帕夫洛普洛斯):
    it names the person who holds the office, whom the story met, not a subject. On review K's 800 CCTV stories such
    terms stood beside the country itself in the top-5 lists of meetings (土耳其 / 土耳其总统).

    >>> [_office_holder(p, t) for p, t in [(["希腊", "总理"], ["ns", "n"]), (["总统"], ["n"]), (["德国总理"], ["nt"]),
    ...     (["新加坡", "副总理"], ["ns", "n"]), (["第一", "副总理"], ["m", "n"]), (["国家", "主席"], ["n", "n"]),
    ...     (["总统", "选举"], ["n", "vn"])]]
    [True, True, True, True, True, False, False]
    >>> _office_holder(["克罗地亚", "总理", "普"], ["ns", "n", "nr"]), _office_holder(["首相", "塔巴"], ["n", "nr"])
    (True, True)
    >>> _office_holder(["部长", "通道"], ["n", "n"])  # the ministers' passage of the 两会
    False
    """
    for k, part in enumerate(parts[:-1]):  # an office, then a foreign name the tokenizer cut (总统 / 帕, 首相 / 塔巴)
        after = list(zip(parts[k + 1 :], tags[k + 1 :]))
        if _OFFICE_END.search(part) and all(
            all(c in TRANSLITERATION_CHARS for c in w) and (len(w) == 1 or t.startswith("nr")) for w, t in after
        ):  # not 部长 / 通道
            return True
    word = _join(parts)
    title = _OFFICE_END.search(word)
    if title is None:
        return False
    rest = word[: title.start()]
    if not rest:
        return True
    if len(parts) >= 2 and _join(parts[:-1]).removesuffix("副") == rest:  # 希腊 / 总理, 第一 / 副总理, 第一副 / 总理
        return (len(parts) == 2 and tags[0] in ("ns", "m")) or rest in _territory_names()
    return len(parts) == 1 and rest in _territory_names()


def _is_fragment(s: str, cand: _Candidates) -> bool:
    """Whether candidate ``s`` never occurs outside one longer, well-bounded candidate (事件原则 in 确定事件原则)."""
    return cand.tf[s] - cand.sup[s] <= 0


def _is_one_off(s: str, cand: _Candidates, df_s: int, st: KeyphraseSettings) -> bool:
    """Whether ``s`` is a phrase seen fewer than ``min_tf_phrase`` times and in no other document."""
    return len(cand.parts[s]) > 1 and cand.tf[s] < st.min_tf_phrase and df_s < 2


def _document_weight(
    s: str, cand: _Candidates, df_s: int, n_docs: int, ref: ReferenceIDF, st: KeyphraseSettings
) -> float:
    """The keyphrase score of candidate ``s`` in one document (the formula of :class:`KeyphraseSettings`)."""
    p = cand.parts[s]
    w = (1 + math.log(cand.tf[s])) * ref.phrase_idf(p)
    w *= math.log((1 + n_docs) / (1 + df_s)) + 1
    w *= 1 + st.length_weight * (len(p) - 1)
    w *= 1 + st.edge_weight * (s in cand.edge)
    w *= 1 + st.position_weight * (1 - cand.first[s] / cand.length)
    if len(s) == 1:
        w *= st.single_char_weight
    w *= st.char_prior(s)
    if _is_fragment(s, cand):
        w *= st.fragment_weight
    if _is_one_off(s, cand, df_s, st):
        w *= st.one_off_weight
    if s in cand.labels:
        w *= st.label_weight
    return w


def _corpus_keyphrases(
    cands: Sequence[_Candidates], terms: Sequence[Iterable[str]], ref: ReferenceIDF, st: KeyphraseSettings
) -> dict[str, float]:
    """Corpus scores: (1 + ln total tf) * reference IDF * length prior * sqrt(share of documents with the term)
    * (1 + residual IDF * (1 - 1 / documents with the term)).

    The share of documents says what a corpus on one subject is about (its words are in every document); in a
    corpus of many subjects only the words of any text are in most documents (没有, 可能, 很多 led the list of 250
    Sina stories of 10 categories), while a subject's words gather in the documents about it: the residual IDF
    (:func:`residual_idf`) measures that gathering, shrunk for a term of few documents (one document's own term is
    that document's subject, not the corpus's). Measured in session 7, top 20 of ``data/cnews_sample`` (300 stories,
    10 categories): the mean share of a term's documents in its most common category rose from 0.31 to 0.60, words
    common in both CCTV and Sina news (the 200 of highest document share in both ``data/xwlb_sections_heldout``
    and ``data/cnews_sample``) fell from 5 to 3; ``data/xwlb_sections_heldout`` (8 sections): 0.76 to 0.86 and 8 to
    3; 15 of the seeds' 20 stayed (工作, 任务, 单位 left).

    Verbs of how work is done (抓好, :data:`RESULTATIVE_CHARS`) are left out: a corpus list says what the corpus is
    about.
    """
    total_tf: Counter[str] = Counter()
    doc_count: Counter[str] = Counter()
    all_parts: dict[str, tuple[str, ...]] = {}
    for cand, kept in zip(cands, terms):
        for s in kept:
            if _is_work_verb(s, cand.tags[s]):
                continue
            total_tf[s] += cand.tf[s]
            doc_count[s] += 1
            all_parts.setdefault(s, cand.parts[s])
    n_docs = len(cands)
    corpus: dict[str, float] = {}
    for s, c in total_tf.items():
        p, df = all_parts[s], doc_count[s]
        w = (1 + math.log(c)) * ref.phrase_idf(p) * (1 + st.length_weight * (len(p) - 1))
        w *= math.sqrt(df / max(n_docs, 1)) * (1 + residual_idf(c, df, n_docs) * (1 - 1 / df))
        corpus[s] = w * (st.single_char_weight if len(s) == 1 else 1.0)
    return corpus


def residual_idf(cf: int, df: int, n_documents: int) -> float:
    """How much more a term clusters in few documents than chance would put it (Church & Gale 1995), in nats:
    ``ln((1 - exp(-cf / N)) / (df / N))``, the document share its ``cf`` occurrences would reach spread at random
    (Poisson) against the share it has, floored at 0.

    A word of any text (没有, 可能) is spread as chance spreads it (about 0); the words of a theme gather in the
    documents about it (基金, tf 307 in 8 % of 244 Sina stories: 2.2).

    >>> round(residual_idf(307, 20, 244), 1), residual_idf(5, 5, 5) < 0.1
    (2.2, True)
    """
    expected = 1 - math.exp(-cf / max(n_documents, 1))
    return max(math.log(expected * n_documents / df), 0.0) if df else 0.0


def keywords_keyphrase(
    texts: Sequence[str],
    *,
    top_k: int = 10,
    reference: ReferenceIDF | str = "reference_idf",
    tokenizer: Tokenizer | None = None,
    settings: KeyphraseSettings | None = None,
    corpus_top_k: int | None = None,
    _segs: Sequence[_Segmented] | None = None,
) -> MethodResult:
    """Per-document and corpus key phrases: single tokens and phrases of consecutive tokens ranked together.

    Four steps: candidates (runs of 1 to ``max_tokens`` content tokens, one token longer to recognise
    fragments), document frequency of every candidate, the candidates that qualify as terms, their scores. The
    corpus keywords treat the corpus as one document against the reference IDF (a term found in every
    document is what the corpus is about, not a term to discount): (1 + ln total tf) * reference IDF * length
    prior * square root of the share of documents where the term qualifies, raised for a term that gathers in a
    group of documents (:func:`residual_idf`, see :func:`_corpus_keyphrases`); verbs of how work is done (抓好,
    :data:`RESULTATIVE_CHARS`) are left out of them. :func:`keyphrase_candidates` shows every candidate with its score and its parts.

    Parameters
    ----------
    texts : sequence of str
        The documents.
    top_k : int
        Keywords per document (and for the corpus when ``corpus_top_k`` is not given).
    corpus_top_k : int, optional
        Keywords of the corpus (default ``top_k``).
    reference : ReferenceIDF or str
        The reference IDF, or the name or path of a table (:func:`load_reference_idf`).
    tokenizer : Tokenizer, optional
        The project tokenizer (default: the module default).
    settings : KeyphraseSettings, optional
        The weights of the score (default: :class:`KeyphraseSettings`).

    Returns
    -------
    tuple
        ``(per_document, corpus)`` lists of ``(term, score)``.

    References
    ----------
    The score combines features of KEA (Witten et al. 1999: tf-idf and first occurrence) and KP-Miner
    (El-Beltagy & Rafea 2009: a boost for multi-word candidates); down-weighting fragments follows the nested-term idea
    of C-value (Frantzi, Ananiadou & Mima 2000). Full citations in the module's References.

    Examples
    --------
    >>> docs, _ = keywords_keyphrase(["提出平方和优化方法。平方和优化用于控制器设计。控制器设计简单"], top_k=2)
    >>> sorted(t for t, _ in docs[0])
    ['平方和优化', '控制器设计']
    """
    st = settings or KeyphraseSettings()
    ref = _as_reference(reference)
    tokenizer = tokenizer or get_default_tokenizer()
    segs = list(_segs) if _segs is not None else _segment_corpus(texts, tokenizer)
    cands, df = _corpus_candidates(segs, st)
    scores = [
        {s: _document_weight(s, cand, df[s], len(segs), ref, st) for s in cand.tf if _is_term(s, cand, df, st)}
        for cand in cands
    ]
    per_doc = [diverse_top(sc, top_k, penalty=st.diversity) for sc in scores]
    corpus = _corpus_keyphrases(cands, scores, ref, st)
    return per_doc, diverse_top(corpus, corpus_top_k or top_k, penalty=st.diversity)


def _corpus_candidates(segs: Sequence[_Segmented], st: KeyphraseSettings) -> tuple[list[_Candidates], Counter[str]]:
    """The candidates of every document (one token longer, to recognise fragments) and their document frequency."""
    cands = [_candidates(s, st.max_tokens + 1, bounded=st.bounded) for s in segs]
    df: Counter[str] = Counter()
    for cand in cands:
        df.update(cand.tf.keys())
    return cands, df


KEYPHRASE_CANDIDATE_COLUMNS = [
    "document", "term", "score", "tf", "df", "reference_idf", "tokens", "chars", "first_position",
    "last_sentence", "fragment", "one_off", "known_word", "first_tag", "last_tag",
]  # fmt: skip


def keyphrase_candidates(
    texts: Sequence[str],
    *,
    reference: ReferenceIDF | str = "reference_idf",
    tokenizer: Tokenizer | None = None,
    settings: KeyphraseSettings | None = None,
    titles: Sequence[object] | None = None,
) -> pd.DataFrame:
    """Every candidate that qualifies as a ``keyphrase`` term, with its score and what the score is made of.

    What a reader checks to see why a term ranks where it does, and what ``benchmarks/train_keyphrase.py`` fits
    and cross-validates rankers on.

    Parameters
    ----------
    texts : sequence of str
        The documents.
    reference, tokenizer, settings
        As for :func:`keywords_keyphrase`.
    titles : sequence, optional
        The documents' titles, as for :func:`extract_keywords` (without them no candidate is in a title sentence).

    Returns
    -------
    DataFrame
        One row per document and candidate: ``document`` (position in ``texts``), ``term``, ``score`` (the
        ``keyphrase`` score, before the diverse selection), ``tf``, ``df`` (documents of ``texts`` holding it),
        ``reference_idf``, ``tokens``, ``chars``, ``first_position`` (0 at the start of the document, towards 1 at
        its end), ``last_sentence`` (in the title sentence, which ends a CSL abstract; the name
        ``benchmarks/train_keyphrase.py`` reads), ``fragment``, ``one_off``, ``known_word`` (in jieba's dictionary),
        ``first_tag`` and ``last_tag`` (jieba's tags of its first and last token).

    Examples
    --------
    >>> table = keyphrase_candidates(["提出平方和优化方法。平方和优化用于控制器设计。控制器设计简单"])
    >>> sorted(table.sort_values("score").term.iloc[-2:])
    ['平方和优化', '控制器设计']
    """
    st = settings or KeyphraseSettings()
    ref = _as_reference(reference)
    tokenizer = tokenizer or get_default_tokenizer()
    freq = _tagger(tokenizer).freq
    title_at = None
    if titles is not None:
        titled = [with_title(t, title) for t, title in zip(texts, titles, strict=True)]
        texts, title_at = [t for t, _ in titled], [at for _, at in titled]
    cands, df = _corpus_candidates(_segment_corpus(texts, tokenizer, title_at, titles), st)
    rows = [
        (d, s, _document_weight(s, cand, df[s], len(cands), ref, st), cand.tf[s], df[s],
         ref.phrase_idf(cand.parts[s]), len(cand.parts[s]), len(s), cand.first[s] / cand.length, s in cand.edge,
         _is_fragment(s, cand), _is_one_off(s, cand, df[s], st), freq.get(s, 0) > 0, cand.tags[s][0],
         cand.tags[s][-1])
        for d, cand in enumerate(cands)
        for s in cand.tf
        if _is_term(s, cand, df, st)
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=KEYPHRASE_CANDIDATE_COLUMNS)


# -- method 5: jieba's extract_tags (the baseline of the validation) ----------------------------------------------
def keywords_jieba(texts: Sequence[str], *, top_k: int = 10, corpus_top_k: int | None = None) -> MethodResult:
    """``jieba.analyse.extract_tags(text, topK=top_k)``: jieba's default dictionary and bundled IDF.

    The usual tool, kept as a method so that every run can show it; :mod:`helpers.validation.keywords` measures
    the other methods against it. The corpus keywords run it on all texts joined.

    Parameters
    ----------
    texts : sequence of str
        The documents.
    top_k : int
        Keywords per document (and for the corpus when ``corpus_top_k`` is not given).
    corpus_top_k : int, optional
        Keywords of the corpus (default ``top_k``).

    Returns
    -------
    tuple
        ``(per_document, corpus)`` lists of ``(term, score)``.

    Examples
    --------
    >>> docs, _ = keywords_jieba(["坚决打赢脱贫攻坚战"], top_k=2)
    >>> len(docs[0])
    2
    """
    import jieba.analyse

    from .tokenize import baseline_jieba

    extractor = jieba.analyse.TFIDF()  # jieba's bundled IDF and stopwords, as extract_tags uses them
    extractor.tokenizer = baseline_jieba()  # the global tokenizer's segmentation, without its marshal cache file
    per_doc = [[(t, float(w)) for t, w in extractor.extract_tags(x, topK=top_k, withWeight=True)] for x in texts]
    corpus = extractor.extract_tags("\n".join(texts), topK=corpus_top_k or top_k, withWeight=True) if texts else []
    return per_doc, [(t, float(w)) for t, w in corpus]


# -- all methods in one table ----------------------------------------------------------------------------------------
@dataclass
class _Inputs:
    """What the methods of one :func:`extract_keywords` call share (tokens and runs computed once)."""

    texts: list[str]
    top_k: int
    corpus_top_k: int
    reference: ReferenceIDF
    tokenizer: Tokenizer
    ngram_range: tuple[int, int]
    tokens: Sequence[list[str]] | None
    segs: list[_Segmented] | None


_RUNNERS: dict[str, Callable[[_Inputs], MethodResult]] = {
    "tfidf_corpus": lambda x: keywords_tfidf_corpus(
        x.texts,
        top_k=x.top_k,
        corpus_top_k=x.corpus_top_k,
        ngram_range=x.ngram_range,
        tokens=x.tokens,
        tokenizer=x.tokenizer,
        _segs=x.segs,
    ),
    "tfidf_reference": lambda x: keywords_tfidf_reference(
        x.tokens, top_k=x.top_k, corpus_top_k=x.corpus_top_k, reference=x.reference
    ),
    "textrank": lambda x: keywords_textrank(
        x.texts, top_k=x.top_k, corpus_top_k=x.corpus_top_k, tokenizer=x.tokenizer, _segs=x.segs
    ),
    "keyphrase": lambda x: keywords_keyphrase(
        x.texts, top_k=x.top_k, corpus_top_k=x.corpus_top_k, reference=x.reference, tokenizer=x.tokenizer, _segs=x.segs
    ),
    "jieba_extract_tags": lambda x: keywords_jieba(x.texts, top_k=x.top_k, corpus_top_k=x.corpus_top_k),
}
assert set(_RUNNERS) == set(METHODS)


def _check_methods(methods: Iterable[str]) -> list[str]:
    methods = list(methods)
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"unknown keyword method(s) {unknown}; choose from {list(METHODS)}")
    return methods


def _long_table(
    ids: Sequence[str], results: Mapping[str, MethodResult], kinds: Sequence[Mapping[str, str]], *, corpus_level: bool
) -> pd.DataFrame:
    """One row per (document, method, rank); each method's corpus rows after its documents; ``kind`` per term."""
    every: dict[str, str] = {t: k for doc in kinds for t, k in doc.items()}
    rows: list[tuple[str, str, int, str, float, str]] = []
    for m, (per_doc, corpus) in results.items():
        for doc_id, kws, kind in zip(ids, per_doc, kinds):
            rows += [(doc_id, m, r, t, s, kind.get(t, "term")) for r, (t, s) in enumerate(kws, 1)]
        if corpus_level:
            rows += [(CORPUS_ID, m, r, t, s, every.get(t, "term")) for r, (t, s) in enumerate(corpus, 1)]
    out = pd.DataFrame(rows, columns=COLUMNS)
    types = {"doc_id": "str", "method": "str", "rank": "int64", "term": "str", "score": "float64", "kind": "str"}
    return out.astype(types)


def _name_kinds(segs: Sequence[_Segmented]) -> list[dict[str, str]]:
    """Each document's names -> kind (the kind most mentioned, if a name has two)."""
    out = []
    for seg in segs:
        kinds: dict[str, str] = {}
        for (name, kind), _ in seg.names.most_common():
            kinds.setdefault(name, kind)
        out.append(kinds)
    return out


def extract_keywords(
    texts: Sequence[str] | pd.Series,
    *,
    doc_ids: Sequence[object] | None = None,
    methods: Iterable[str] = DEFAULT_METHODS,
    top_k: int = 10,
    reference: ReferenceIDF | str = "reference_idf",
    ngram_range: tuple[int, int] = (1, 2),
    tokenizer: Tokenizer | None = None,
    tokens: Sequence[list[str]] | None = None,
    corpus_level: bool = True,
    n_jobs: int | None = 1,
    titles: Sequence[object] | None = None,
    corpus_top_k: int | None = None,
) -> pd.DataFrame:
    """Keywords of every document (and of the corpus) by each method, as one long table.

    Parameters
    ----------
    texts : sequence of str or Series
        The documents.
    doc_ids : sequence, optional
        Their ids (default ``0, 1, ...``); the corpus-level rows get ``doc_id == "__corpus__"``.
    methods : iterable of str
        Any of :data:`METHODS`.
    top_k : int
        Keywords per document and method; a short document lists fewer (:func:`keyword_caps`).
    reference : ReferenceIDF or str
        Reference IDF table name or path, or a loaded :class:`ReferenceIDF`.
    ngram_range : tuple of int
        Word n-grams of ``tfidf_corpus`` (default unigrams and bigrams; ``(1, 1)`` for words only).
    tokenizer : Tokenizer, optional
        The project tokenizer (default: the module default).
    tokens : sequence of list of str, optional
        The project tokens of ``texts`` if already computed (else :func:`tokenize_corpus` is called); those of the
        titles added are added.
    corpus_level : bool
        Also add the corpus-level rows.
    n_jobs : int, optional
        Processes for tokenising.
    titles : sequence, optional
        The documents' titles (``None``, NaN or ``""`` where a document has none): each is read as its document's
        title sentence by every method (:func:`with_title`; not added twice where the text holds it), and only
        that sentence gets the title bonus of ``keyphrase``: a document without a title gets none.
    corpus_top_k : int, optional
        Keywords of the corpus per method (default ``top_k``): a word cloud asks for more terms than a bar chart,
        and takes them from this one run instead of a second pass over the corpus.

    Returns
    -------
    DataFrame
        Columns ``doc_id, method, rank, term, score, kind`` (rank starts at 1; ``doc_id`` as a string; ``kind``
        is ``person``, ``place`` or ``organisation`` when the term is a name found in the document, else
        ``term``: ``keyphrase`` lists terms only, names are listed by :func:`extract_names`).

    Examples
    --------
    >>> text = "脱贫攻坚，精准扶贫。脱贫攻坚，产业扶贫，乡村振兴，易地搬迁。"
    >>> extract_keywords([text], methods=["keyphrase"], top_k=2, corpus_level=False).term.tolist()
    ['脱贫攻坚', '精准扶贫']
    >>> extract_keywords([text], methods=["keyphrase"], top_k=2, corpus_level=False, titles=["产业扶贫"]).term.tolist()
    ['产业扶贫', '脱贫攻坚']
    """
    texts = [str(t) for t in texts]
    ids = [str(i) for i in (doc_ids if doc_ids is not None else range(len(texts)))]
    if len(ids) != len(texts):
        raise ValueError(f"extract_keywords: {len(texts)} texts but {len(ids)} doc_ids")
    methods = _check_methods(methods)
    tokenizer = tokenizer or get_default_tokenizer()
    title_at: list[tuple[int, ...] | None] | None = None
    if titles is not None:
        if len(titles) != len(texts):
            raise ValueError(f"extract_keywords: {len(texts)} texts but {len(titles)} titles")
        titled = [with_title(text, title) for text, title in zip(texts, titles)]
        if tokens is not None:  # the tokens of an added title join its document's
            tokens = [t + tokenizer.tokenize(new[len(old) :]) for t, (new, _), old in zip(tokens, titled, texts)]
        texts, title_at = [new for new, _ in titled], [at for _, at in titled]
    if tokens is None and {"tfidf_corpus", "tfidf_reference"} & set(methods):
        tokens = tokenizer.tokenize_corpus(texts, n_jobs=n_jobs)
    segs = _segment_corpus(texts, tokenizer, title_at, titles)
    ref = _as_reference(reference, tokenizer)
    inputs = _Inputs(  # type: ignore[arg-type]
        texts, top_k, corpus_top_k or top_k, ref, tokenizer, tuple(ngram_range), tokens, segs
    )
    caps = keyword_caps(texts, top_k, _segs=segs)  # a short document lists fewer keywords
    results = {}
    for m in methods:
        per_doc, corpus = _RUNNERS[m](inputs)
        results[m] = ([kw[:c] for kw, c in zip(per_doc, caps)], corpus)
    table = _long_table(ids, results, _name_kinds(segs), corpus_level=corpus_level)
    return table.assign(term=_text_case(table, dict(zip(ids, texts))))


_LATIN = re.compile("[a-z]")


def _text_case(table: pd.DataFrame, texts: Mapping[str, str]) -> pd.Series:
    """The terms of ``table`` in the letter case their text writes them most (vWF, NO; the methods match in lower
    case): per document in its text, for the corpus rows in all texts; a term the text never writes as such
    stays as it is."""
    normal = {doc_id: unicodedata.normalize("NFKC", text) for doc_id, text in texts.items()}
    forms: dict[tuple[str, str], str] = {}

    def shown(doc_id: str, term: str) -> str:
        if not _LATIN.search(term):
            return term
        key = (doc_id, term)
        if key not in forms:
            pattern = re.compile(f"(?<![a-z]){re.escape(term)}(?![a-z])", re.IGNORECASE)  # NO, not in NOx
            where = normal.values() if doc_id == CORPUS_ID else [normal.get(doc_id, "")]
            counts = Counter(m.group() for text in where for m in pattern.finditer(text))
            forms[key] = max(counts, key=lambda f: (counts[f], f == term)) if counts else term
        return forms[key]

    return pd.Series([shown(d, t) for d, t in zip(table.doc_id, table.term)], index=table.index, dtype="str")


# -- names: people, places, organisations -------------------------------------------------------------------------
NAME_COLUMNS = ["doc_id", "kind", "rank", "name", "mentions", "documents"]


def extract_names(
    texts: Sequence[str] | pd.Series,
    *,
    doc_ids: Sequence[object] | None = None,
    top_k: int = 10,
    tokenizer: Tokenizer | None = None,
    corpus_level: bool = True,
) -> pd.DataFrame:
    """People, places and organisations named in each document (and the corpus), apart from the topical keywords.

    A name is a run of adjacent tokens that jieba tags as names (``nr``/``nrfg``/``nrt`` person, ``ns`` place,
    ``nt`` organisation; :data:`NAME_KINDS`), with the tags of the project's dictionaries; a word jieba only
    guesses by its HMM, and a dictionary person without a common surname, count as names only where they look
    like one (:data:`HMM_SURNAMES`, :data:`HMM_PLACE_ENDS`, :data:`HMM_ORGANISATION_ENDS`); a "person" that is a
    common word (:data:`COMMON_WORD_FREQ`: 文明, 康复) is none, pieces of a transliterated name are joined
    (:data:`TRANSLITERATION_CHARS`: 米尔 / 济 / 约 / 耶 / 夫), a "person" ending in 镇, 区, 村 ... is a place
    (:data:`PERSON_PLACE_ENDS`), and a two-character person, or a doubtful three-character one (段时间, 高中生,
    易方达基金: :data:`ORGANISATION_AFTER`), counts only in a document that shows it next to a title or a verb of
    speech at least once (:data:`PERSON_TITLES`: 收益高达三成 names nobody). Places and organisations that are
    common nouns or phrases are left out (:data:`GENERIC_PLACES`, :data:`GENERIC_NAME_STARTS`,
    :data:`NAME_END_TOP`: 城市, 各乡镇, 加大力度, 党组织; :func:`_common_rest`: 大城市, 新格局), and so are
    two-character places without a place entry in jieba's dictionary (:func:`_doubtful_place`: 关联, 台风; 总统普京 is
    a person). A foreign "person" never shown as one is a place after 在 (:data:`LOCATIVE_BEFORE`) and none before
    an event (:data:`EVENT_AFTER`: 香格里拉对话会); a person before 港 or 省 is a place (曹妃甸港), and a middle dot
    or a hyphen joins one foreign name (:data:`NAME_DOTS`, :data:`NAME_HYPHENS`: 弗拉基米尔·弗拉基米罗维奇,
    德里克-罗斯 listed as 德里克·罗斯). A prefecture or county glued after its province is a place with it
    (:data:`PROVINCES`: 宁夏吴忠, 广西百色), a region or a country's short form is a place (:func:`_place_shaped`: 南疆,
    印尼), and a common word before 会 is no organisation (:data:`GENERIC_HEADS`: 交易会), nor a discipline in 学
    (:data:`SCHOOL_ENDS`: 统计学). A "person" never shown as one that modifies a noun, sits inside a longer word or
    is an adjective before a noun is a term (:func:`_used_as_term`: 多普勒中心频率, 聚丁二烯, 高增益). Countries, territories and
    cities of CLDR are places, never persons (:func:`place_names`: 厄瓜多尔, 伊拉克, 莫斯科); no name is joined across a space (周星驰 莫文蔚), two
    Chinese persons side by side are two (徐克张叔平), and a person glued to a place is none (西班牙马德里 lists
    西班牙, 中国龙珠 中国: :func:`_stretch_names`).

    Parameters
    ----------
    texts : sequence of str or Series
        The documents.
    doc_ids : sequence, optional
        Their ids (default ``0, 1, ...``); corpus rows get ``doc_id == "__corpus__"``.
    top_k : int
        Names per document and kind (most mentioned first).
    tokenizer : Tokenizer, optional
        The project tokenizer (default: the module default).
    corpus_level : bool
        Also add corpus rows: per kind, names by the number of documents naming them, then mentions.

    Returns
    -------
    DataFrame
        ``doc_id, kind, rank, name, mentions, documents``: the mentions of the name in the document (corpus rows:
        in all documents) and the number of documents naming it (1 in a document's rows).

    Examples
    --------
    >>> names = extract_names(["习近平在北京会见滕宏伟。"], corpus_level=False)
    >>> sorted(zip(names.kind, names.name))
    [('person', '习近平'), ('person', '滕宏伟'), ('place', '北京')]
    """
    texts = [str(t) for t in texts]
    ids = [str(i) for i in (doc_ids if doc_ids is not None else range(len(texts)))]
    segs = _segment_corpus(texts, tokenizer or get_default_tokenizer())
    rows: list[tuple[str, str, int, str, int, int]] = []
    in_docs: Counter[tuple[str, str]] = Counter()
    mentions: Counter[tuple[str, str]] = Counter()
    for doc_id, seg in zip(ids, segs):
        in_docs.update(seg.names.keys())
        mentions.update(seg.names)
        rows += _ranked_names(doc_id, {name: (1, c) for name, c in seg.names.items()}, top_k)
    if corpus_level:
        rows += _ranked_names(CORPUS_ID, {name: (d, mentions[name]) for name, d in in_docs.items()}, top_k)
    types = {"doc_id": "str", "rank": "int64", "mentions": "int64", "documents": "int64"}
    return pd.DataFrame(rows, columns=NAME_COLUMNS).astype(types)


def _ranked_names(doc_id: str, counts: Mapping[tuple[str, str], tuple[int, int]], top_k: int) -> list[tuple]:
    """Rows ``doc_id, kind, rank, name, mentions, documents`` of the ``top_k`` names of each kind, by documents
    then mentions (``counts``: (name, kind) -> (documents, mentions))."""
    rows = []
    for kind in KINDS[1:]:
        of_kind = sorted(((n, *c) for (n, k), c in counts.items() if k == kind), key=lambda x: (-x[1], -x[2], x[0]))
        rows += [(doc_id, kind, r, n, m, d) for r, (n, d, m) in enumerate(of_kind[:top_k], 1)]
    return rows


def nested_share(keywords: pd.DataFrame, *, method: str = "keyphrase", k: int = 5) -> float:
    """Share of documents whose top-k list of ``method`` holds one term inside another (确诊病例 / 确诊病例超过).

    >>> kw = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "method": ["m"] * 4, "rank": [1, 2, 1, 2],
    ...                    "term": ["中乌", "中乌关系", "扶贫", "产业"], "score": 1.0})
    >>> nested_share(kw, method="m")
    0.5
    """
    kw = _document_rows(keywords[keywords.method == method])
    lists = [g.sort_values("rank").term.head(k).tolist() for _, g in kw.groupby("doc_id")]
    nested = [any(a != b and a in b for a in terms for b in terms) for terms in lists]
    return float(np.mean(nested)) if nested else float("nan")


# -- comparisons ---------------------------------------------------------------------------------------------------
def _spearman_shared(a: Sequence[str], b: Sequence[str], *, min_shared: int = MIN_SHARED_FOR_SPEARMAN) -> float:
    """Spearman correlation of the ranks of the terms two lists share (NaN if fewer than ``min_shared``)."""
    shared = [t for t in a if t in set(b)]
    if len(shared) < min_shared:
        return float("nan")
    ra = np.arange(len(shared), dtype=float)  # order in a
    rb = pd.Series([b.index(t) for t in shared]).rank().to_numpy()
    return float(np.corrcoef(ra, rb)[0, 1])


def _document_rows(keywords: pd.DataFrame) -> pd.DataFrame:
    """The per-document rows of a keyword table (the ``__corpus__`` rows left out)."""
    return keywords[keywords.doc_id.astype(str) != CORPUS_ID]


def _pair_agreement(lists: Mapping[tuple[str, str], list[str]], a: str, b: str, docs: Sequence[str]) -> tuple:
    """Mean overlap, mean Spearman and number of ranked documents of methods ``a`` and ``b``."""
    ov, rho = [], []
    for d in docs:
        la, lb = lists.get((a, d), []), lists.get((b, d), [])
        if not la or not lb:
            continue
        ov.append(len(set(la) & set(lb)) / max(len(la), len(lb)))
        rho.append(_spearman_shared(la, lb))
    return (
        float(np.mean(ov)) if ov else float("nan"),
        float(np.nanmean(rho)) if rho and not all(np.isnan(rho)) else float("nan"),
        int(np.sum(~np.isnan(rho))) if rho else 0,
    )


def method_agreement(keywords: pd.DataFrame, *, k: int = 10) -> pd.DataFrame:
    """Agreement between every pair of methods, averaged over documents (corpus rows excluded).

    Parameters
    ----------
    keywords : DataFrame
        The table of :func:`extract_keywords`.
    k : int
        Length of the lists compared (top k of each method).

    Returns
    -------
    DataFrame
        One row per ordered pair ``method_a, method_b``: ``overlap`` (shared terms in the two top-k lists divided
        by the length of the longer list, normally k), ``spearman`` (rank correlation of the terms both lists
        share: do the methods order them alike? averaged over the documents where they share at least three
        terms) and ``n_ranked`` (the number of such documents). Terms are compared after :func:`normalize_term`.

    Examples
    --------
    >>> kw = pd.DataFrame({"doc_id": ["a"] * 4, "method": ["m", "m", "n", "n"], "rank": [1, 2, 1, 2],
    ...                    "term": ["x", "y", "x", "z"], "score": [2.0, 1.0, 2.0, 1.0]})
    >>> method_agreement(kw, k=2).query("method_a == 'm' and method_b == 'n'").overlap.item()
    0.5
    """
    kw = _document_rows(keywords)
    kw = kw[kw["rank"] <= k]
    lists = {
        (m, d): [normalize_term(t) for t in g.sort_values("rank").term]
        for (m, d), g in kw.groupby(["method", "doc_id"])
    }
    methods = list(dict.fromkeys(kw.method))
    docs = list(dict.fromkeys(kw.doc_id))
    rows = [(a, b, *_pair_agreement(lists, a, b, docs)) for a in methods for b in methods]
    return pd.DataFrame(rows, columns=["method_a", "method_b", "overlap", "spearman", "n_ranked"])


def _relative_scores(keywords: pd.DataFrame, method: str) -> pd.DataFrame:
    """The per-document rows of ``method`` with ``weight`` = score divided by the document's best score."""
    kw = _document_rows(keywords[keywords.method == method]).copy()
    kw["doc_id"] = kw.doc_id.astype(str)
    kw["weight"] = kw.score / kw.groupby("doc_id").score.transform("max")
    return kw


#: pandas period aliases that :func:`keywords_by_period` also accepts, as :mod:`helpers.discourse` names the periods
_PERIOD_ALIASES = {"Y": "year", "A": "year", "Q": "quarter", "M": "month"}


def _period_of(dates: Mapping[object, object], freq: str | None) -> pd.Series:
    """doc_id -> period label (``2019``, ``2019Q1``, ``2019-01``) by :mod:`helpers.discourse`'s rules, so that
    notebook 02 places and counts documents as notebook 05 does: only full dates (a year-less ``--03-09`` is left
    out), and ``freq=None`` takes :func:`~helpers.discourse.choose_period`'s period (the finest with at least 3
    periods and a median of 10 documents each): none (an empty series) when no period has enough documents,
    as notebook 05 then makes no time view."""
    from .discourse import choose_period, period_labels

    ids, values = [str(k) for k in dates], list(dates.values())
    unit = _PERIOD_ALIASES.get(freq, freq) if freq else choose_period(values)
    if unit is None:
        return pd.Series(dtype="str")
    labels = period_labels(values, period=unit)
    labels.index = ids
    return labels.dropna().astype(str)


#: a term is listed for a period only when at least this many of the period's documents list it among their keywords
#: (unless the period has fewer documents): on review R9a's 150 day files the 10 top terms of 2016 and of 2017 were
#: each the best keyword of one document, found in no other year, all scored alike and ordered by code point
MIN_PERIOD_DOCUMENTS = 2


def _text_identity(doc_ids: pd.Index, texts: Mapping[object, object] | None) -> pd.Series:
    """doc_id -> the identity of its text: copies of one text (:func:`helpers.corpus.recurring_text_keys`, the
    project's one notion of "the same text") share one, every other document has its own (``texts=None``: every
    document its own)."""
    ids = [str(i) for i in doc_ids]
    if texts is None:
        return pd.Series([f"doc\t{i}" for i in ids], index=doc_ids, dtype=object)
    from .corpus import recurring_text_keys

    by_id = {str(k): v for k, v in texts.items()}
    keys = recurring_text_keys([str(by_id.get(i, "")) if i in by_id else None for i in ids])
    return pd.Series([f"text\t{k}" if k else f"doc\t{i}" for i, k in zip(ids, keys)], index=doc_ids, dtype=object)


def keywords_by_period(
    keywords: pd.DataFrame,
    dates: Mapping[object, object],
    *,
    method: str = "keyphrase",
    freq: str | None = None,
    top_k: int | None = 10,
    texts: Mapping[object, object] | None = None,
) -> pd.DataFrame:
    """Corpus keywords per time period: each document's scores divided by its best score, summed per period, times
    the term's IDF over the periods (:func:`smoothed_idf`, each period one document).

    The per-document scores say what sets a document apart from the other documents, not its period from the other
    periods: a recurring text (国内联播快讯, a one-word item of every month) adds 1.0 wherever it runs and led 18 of 48
    months of 1,170 CCTV headlines (review R8b). The period IDF, ``ln((1 + P) / (1 + n))`` of a term found in ``n``
    of ``P`` periods (:func:`smoothed_idf` less its floor of 1), is 0 for a term found in every period and largest
    for one found in one, so that each period's list shows what is distinctive in it rather than the constant
    background (with the floor kept, the recurring text still filled 4 of 16 quarters of those headlines). A term
    is listed for a period only when at least :data:`MIN_PERIOD_DOCUMENTS` of its documents list it (a period of
    fewer documents is exempt): the best keyword of one document, found in no other period, says nothing about
    its period. Given ``texts``, documents that are copies of one text count once (a row repeated in a table led
    2019 of 1,000 abstracts with the term of its one text, review R11a). Ties are broken by the number of
    documents, then by the term; :func:`period_lists_sentence` says where lists are cut by that rule or remain
    ties.

    The lists are descriptive: where the keyword method ranks terms in each period. Whether a listed term is used
    significantly more in its period than in the others is notebook 05's keyness test
    (:func:`period_keyness`, :func:`mark_period_keyness`).

    Parameters
    ----------
    keywords : DataFrame
        The table of :func:`extract_keywords`.
    dates : mapping
        doc_id -> date (as :func:`helpers.clean.normalize_date` reads it; documents without a full date are left
        out, as :func:`helpers.discourse.dates_sentence` counts them).
    method : str
        The method whose keywords are summed.
    freq : str, optional
        ``"year"``, ``"quarter"``, ``"month"`` or a pandas alias (``"Y"``, ``"Q"``, ``"M"``); ``None`` picks
        the period notebook 05 picks (:func:`~helpers.discourse.choose_period`): an empty table when none has
        enough documents.
    top_k : int or None
        Keywords per period; ``None`` keeps every term (each term's weight in every period where a document lists
        it: what a chart comparing periods needs, where a term outside one period's top list is not absent).
    texts : mapping, optional
        doc_id -> text: documents that are the same text (:func:`helpers.corpus.recurring_text_keys`) count as one
        in ``documents`` and in the rule above (default: every document counts).

    Returns
    -------
    DataFrame
        ``period, rank, term, score, documents, n_documents``: ``documents`` of the period's ``n_documents`` list
        the term (copies of one text counted once when ``texts`` is given; ``n_documents`` counts every dated
        document); empty when no date can be read; a period where no term qualifies has no row.

    Examples
    --------
    >>> kw = pd.DataFrame({"doc_id": ["a", "b"], "method": ["m", "m"], "rank": [1, 1], "term": ["x", "y"],
    ...                    "score": [2.0, 1.0]})
    >>> keywords_by_period(kw, {"a": "2019-01-02", "b": "2020-03-04"}, method="m", freq="Y").period.tolist()
    ['2019', '2020']

    Two rows of one text are one document of the rule:

    >>> kw = pd.DataFrame({"doc_id": list("abcde"), "method": ["m"] * 5, "rank": [1] * 5,
    ...                    "term": ["x", "x", "y", "w", "w"], "score": [1.0] * 5})
    >>> when = dict(zip("abcde", ["2019-01-02", "2019-05-06", "2019-07-08", "2020-03-04", "2020-04-05"]))
    >>> keywords_by_period(kw, when, method="m", freq="Y").term.tolist()
    ['x', 'w']
    >>> texts = dict(zip("abcde", ["夹竹桃。", "夹竹桃", "水运", "水稻", "水电"]))
    >>> keywords_by_period(kw, when, method="m", freq="Y", texts=texts).term.tolist()
    ['w']
    """
    cols = ["period", "rank", "term", "score", "documents", "n_documents"]
    period = _period_of(dates, freq)
    if period.empty:
        return pd.DataFrame(columns=cols)
    text = _text_identity(period.index, texts)  # copies of one text are one document of the rule
    kw = _relative_scores(keywords, method)
    kw = kw[kw.doc_id.isin(period.index)]
    kw["period"] = kw.doc_id.map(period)
    kw["text"] = kw.doc_id.map(text)
    n_docs, n_texts = period.value_counts(), text.groupby(period).nunique()
    idf = kw.groupby("term").period.nunique().map(lambda n: smoothed_idf(n, period.nunique()) - 1)
    agg = kw.groupby(["period", "term"]).agg(score=("weight", "sum"), documents=("text", "nunique")).reset_index()
    agg["score"] *= agg.term.map(idf)
    agg["n_documents"] = agg.period.map(n_docs).astype(int)
    shared = (agg.documents >= MIN_PERIOD_DOCUMENTS) | (agg.period.map(n_texts) < MIN_PERIOD_DOCUMENTS)
    agg = agg[shared & (agg.score > 0)].sort_values(
        ["period", "score", "documents", "term"], ascending=[True, False, False, True], kind="stable"
    )
    agg["rank"] = agg.groupby("period").cumcount() + 1
    agg = agg if top_k is None else agg[agg["rank"] <= top_k]
    return agg[cols].reset_index(drop=True)


def period_lists_sentence(
    over_time: pd.DataFrame, dates: Mapping[object, object], *, top_k: int, freq: str | None = None
) -> str:
    """What :func:`keywords_by_period`'s rule left out and which listed terms tie, in one or two sentences.

    Parameters
    ----------
    over_time : DataFrame
        The table of :func:`keywords_by_period`.
    dates : mapping
        doc_id -> date, as given to it (to count the periods that list no term).
    top_k : int
        The keywords per period asked for.
    freq : str, optional
        The period, as given to it.

    Returns
    -------
    str
        ``""`` when every period lists ``top_k`` terms and none ties.

    Examples
    --------
    >>> t = pd.DataFrame({"period": ["2019"] * 2, "rank": [1, 2], "term": ["x", "y"], "score": [1.0, 1.0],
    ...                   "documents": [2, 2], "n_documents": [5, 5]})
    >>> print(period_lists_sentence(t, {"a": "2019-01-01", "b": "2020-01-01"}, top_k=3, freq="Y"))
    ... # doctest: +NORMALIZE_WHITESPACE
    Only terms that are keywords of at least 2 of a period's documents are listed: 2 of the 2 periods list fewer than
    3 terms, 1 of them none (2020). In 1 period some listed terms tie (equal score and number of documents) and are
    in code-point order: 2019 ranks 1–2.
    """
    periods = sorted(set(_period_of(dates, freq)))
    listed = over_time.groupby("period").size().reindex(periods, fill_value=0)
    short, empty = listed[listed < top_k], listed[listed == 0]
    out = []
    if len(short):
        none = f", {len(empty)} of them none ({', '.join(empty.index[:5])}{', …' if len(empty) > 5 else ''})"
        out.append(
            f"Only terms that are keywords of at least {MIN_PERIOD_DOCUMENTS} of a period's documents are listed: "
            f"{len(short)} of the {len(periods)} periods list fewer than {top_k} terms{none if len(empty) else ''}."
        )
    key = over_time.assign(_s=over_time.score.round(6))
    ties = key[key.duplicated(["period", "_s", "documents"], keep=False)]
    if len(ties):
        spans = ties.groupby(["period", "_s", "documents"])["rank"].agg(["min", "max"]).reset_index()
        shown = [f"{p} ranks {a}–{b}" for p, a, b in zip(spans.period, spans["min"], spans["max"])][:3]
        n = spans.period.nunique()
        out.append(
            f"In {n} period{'s' if n > 1 else ''} some listed terms tie (equal score and number of documents) and are "
            f"in code-point order: {', '.join(shown)}{', …' if len(spans) > 3 else ''}."
        )
    return " ".join(out)


#: notebook 05's keyness settings (the defaults of its parameters ``min_docs`` and ``alpha``): 02 marks its listed
#: terms by the test 05 runs on the same periods, so that "distinctive in a period" means one thing in both
KEYNESS_MIN_DOCS = 3
KEYNESS_ALPHA = 0.05
PERIOD_KEYNESS_COLUMNS = [
    "period",
    "term",
    "docs_in",
    "n_docs_in",
    "docs_out",
    "n_docs_out",
    "g2",
    "p_adj",
    "significant",
]


def period_keyness(
    tokens: Sequence[Sequence[str]],
    dates: Mapping[object, object],
    *,
    freq: str | None = None,
    min_docs: int = KEYNESS_MIN_DOCS,
    alpha: float = KEYNESS_ALPHA,
) -> pd.DataFrame:
    """Notebook 05's keyness test (:func:`helpers.discourse.keyness`) on the periods of :func:`keywords_by_period`:
    each period's documents against all the others, a G² test on the documents that use a term, Benjamini–Hochberg
    over every test.

    The same call as 05's, so the same tests, p-values and verdicts as 05's table; only the columns on documents
    are returned (the verdicts rest on them), not the rates and log ratios of token counts.

    Parameters
    ----------
    tokens : sequence of token lists
        The tokens of each document (:func:`helpers.tokenize.tokenize_corpus`, as notebook 05 tokenises), in the
        order of ``dates``.
    dates : mapping
        doc_id -> date, as given to :func:`keywords_by_period`.
    freq : str, optional
        The period, as given to it (``None``: :func:`~helpers.discourse.choose_period`'s, as 05 chooses).
    min_docs, alpha : int, float
        As in :func:`helpers.discourse.keyness` (05's ``min_docs`` and ``alpha``).

    Returns
    -------
    DataFrame
        :data:`PERIOD_KEYNESS_COLUMNS`: one row per test (``period`` the group tested; ``g2`` > 0: more of its
        documents use the term than of the others); empty without a time view.

    Examples
    --------
    >>> toks = [["乡村振兴", "农村"]] * 4 + [["脱贫攻坚", "农村"]] * 4
    >>> when = dict(zip("abcdefgh", ["2018-01-01"] * 4 + ["2016-01-01"] * 4))
    >>> k = period_keyness(toks, when, freq="Y", min_docs=2)
    >>> k[k.significant][["period", "term", "docs_in", "n_docs_in"]].values.tolist()
    [['2016', '脱贫攻坚', 4, 4], ['2018', '乡村振兴', 4, 4]]
    """
    from .discourse import keyness

    ids = [str(k) for k in dates]
    if len(ids) != len(tokens):
        raise ValueError(f"period_keyness: {len(tokens)} token lists but {len(ids)} dates")
    period = _period_of(dates, freq)
    if period.empty:
        return pd.DataFrame(columns=PERIOD_KEYNESS_COLUMNS)
    groups = pd.Series([period.get(i) for i in ids], dtype=object)
    table = keyness(list(tokens), groups, min_docs=min_docs, alpha=alpha)
    return table.rename(columns={"group": "period"})[PERIOD_KEYNESS_COLUMNS].reset_index(drop=True)


def mark_period_keyness(over_time: pd.DataFrame, keyness: pd.DataFrame) -> pd.DataFrame:
    """The table of :func:`keywords_by_period` with each listed term's test in its period from ``keyness``
    (:func:`period_keyness`): ``g2`` (> 0: more of the period's documents use it than of the others'), ``p_adj``
    and ``significant`` (over-represented in its period at the test's false discovery rate).

    Terms are matched after :func:`normalize_term` (tokens are lower case). A term the test did not test (a phrase
    of several tokens, a single character, a term fewer than its ``min_docs`` documents use) has empty ``g2`` and
    ``p_adj`` and is not significant. With two periods the test is made once per term, under the period that uses
    it more; the other period's row is the same test with the sign of ``g2`` reversed.

    Examples
    --------
    >>> ot = pd.DataFrame({"period": ["2018", "2018"], "term": ["乡村振兴", "振兴战略"]})
    >>> k = pd.DataFrame({"period": ["2018"], "term": ["乡村振兴"], "g2": [11.1], "p_adj": [0.01], "significant": [True]})
    >>> mark_period_keyness(ot, k)[["term", "p_adj", "significant"]].values.tolist()
    [['乡村振兴', 0.01, True], ['振兴战略', nan, False]]
    """
    tests = {(str(p), normalize_term(t)): (g, q, bool(s)) for p, t, g, q, s in
             zip(keyness.period, keyness.term, keyness.g2, keyness.p_adj, keyness.significant)}  # fmt: skip
    two = keyness.period.nunique() == 2
    by_term = {t: (p, g, q) for (p, t), (g, q, _) in tests.items()} if two else {}
    rows = []
    for p, t in zip(over_time.period.astype(str), over_time.term.map(normalize_term)):
        if (p, t) in tests:
            g, q, sig = tests[(p, t)]
            rows.append((g, q, sig and g > 0))
        elif t in by_term:  # two periods: tested once, under the other period
            rows.append((-by_term[t][1], by_term[t][2], False))
        else:
            rows.append((np.nan, np.nan, False))
    marks = pd.DataFrame(rows, columns=["g2", "p_adj", "significant"], index=over_time.index)
    return over_time.assign(g2=marks.g2.astype(float), p_adj=marks.p_adj.astype(float), significant=marks.significant)


#: listed terms :func:`period_keyness_sentence` names when some are significant
SHOWN_SIGNIFICANT = 5


def period_keyness_sentence(
    over_time: pd.DataFrame,
    keyness: pd.DataFrame,
    *,
    method: str = "keyphrase",
    min_docs: int = KEYNESS_MIN_DOCS,
    alpha: float = KEYNESS_ALPHA,
) -> str:
    """How many listed terms of :func:`mark_period_keyness`'s table notebook 05's keyness test finds significant in
    their period, and, when none is, that the lists are descriptive, not evidence of change.

    Parameters
    ----------
    over_time : DataFrame
        :func:`mark_period_keyness`'s table.
    keyness : DataFrame
        The :func:`period_keyness` table it was marked with (for the number of tests).
    method : str
        The keyword method of the lists.
    min_docs, alpha : int, float
        The test's settings, as given to :func:`period_keyness`.

    Returns
    -------
    str
        ``""`` when no term is listed.

    Examples
    --------
    >>> ot = pd.DataFrame({"period": ["2019", "2020"], "term": ["x", "yz"], "p_adj": [0.6, float("nan")],
    ...                    "significant": [False, False]})
    >>> print(period_keyness_sentence(ot, pd.DataFrame({"period": ["2019"] * 3}), min_docs=3))
    ... # doctest: +NORMALIZE_WHITESPACE
    By notebook 05's keyness test on the same periods (each period's documents against all the others', G² on the
    documents that use a term, Benjamini–Hochberg over its 3 tests at a false discovery rate of 0.05), **none** of
    the 2 listed terms is used by significantly more of its period's documents than of the others' (1 is not among
    the terms it tests, single tokens of 2 characters or more that at least 3 of the periods' documents use: a
    phrase of several tokens is not one). The lists are therefore descriptive, where `keyphrase` ranks terms in each
    period, not evidence that the vocabulary changed between periods.
    """
    from .discourse import MIN_TERM_CHARS

    if over_time.empty:
        return ""
    n, n_sig, untested = len(over_time), int(over_time.significant.sum()), int(over_time.p_adj.isna().sum())
    terms = f"{n:,} listed term{'' if n == 1 else 's'}"
    descriptive = (
        f"where `{method}` ranks terms in each period, not evidence that the vocabulary changed between periods"
    )
    if keyness.empty:
        return (
            f"Notebook 05's keyness test has no term to test on these periods (none of {MIN_TERM_CHARS} characters or "
            f"more is used by {min_docs} of their documents), so none of the {terms} is shown to set its period "
            f"apart: the lists are descriptive, {descriptive}."
        )
    out = (
        "By notebook 05's keyness test on the same periods (each period's documents against all the others', G² on "
        f"the documents that use a term, Benjamini–Hochberg over its {len(keyness):,} test"
        f"{'' if len(keyness) == 1 else 's'} at a false discovery rate of {alpha:g}), "
        f"{'**none**' if not n_sig else f'**{n_sig:,}**'} of the {terms} {'is' if n_sig <= 1 else 'are'} used by "
        f"significantly more of {'its' if n_sig <= 1 else 'their'} period's documents than of the others'"
    )
    if untested:
        out += (
            f" ({untested:,} {'is' if untested == 1 else 'are'} not among the terms it tests, single tokens of "
            f"{MIN_TERM_CHARS} characters or more that at least {min_docs} of the periods' documents use: a phrase of "
            "several tokens is not one)"
        )
    if not n_sig:
        return f"{out}. The lists are therefore descriptive, {descriptive}."
    sig = over_time[over_time.significant].sort_values(["p_adj", "period", "term"], kind="stable")
    shown = [f"{p} {t}" for p, t in zip(sig.period, sig.term)][:SHOWN_SIGNIFICANT]
    out += f": {', '.join(shown)}{', …' if n_sig > SHOWN_SIGNIFICANT else ''} (`significant` in the table). "
    if n_sig == n:
        return out + (
            "It is evidence that its period differs." if n == 1 else "They are evidence that their periods differ."
        )
    evidence = (
        "It alone is evidence that its period differs"
        if n_sig == 1
        else "Only these are evidence that their periods differ"
    )
    return out + f"{evidence}; the other terms are descriptive, {descriptive}."


def keywords_wide(keywords: pd.DataFrame, *, methods: Sequence[str] | None = None) -> pd.DataFrame:
    """Every document's keywords side by side: one row per ``(doc_id, rank)``, one column per method.

    Parameters
    ----------
    keywords : DataFrame
        The table of :func:`extract_keywords` (the ``__corpus__`` rows are left out).
    methods : sequence of str, optional
        Column order (a method that did not run gives an empty column); default: the methods of the table.

    Returns
    -------
    DataFrame
        Columns ``doc_id, rank`` and one per method, rows sorted by document and rank.

    Examples
    --------
    >>> kw = pd.DataFrame({"doc_id": ["a", "a"], "method": ["m", "n"], "rank": [1, 1], "term": ["x", "y"],
    ...                    "score": [1.0, 1.0]})
    >>> keywords_wide(kw, methods=["n", "m"]).columns.tolist()
    ['doc_id', 'rank', 'n', 'm']
    """
    per_doc = _document_rows(keywords)
    wide = per_doc.pivot_table(index=["doc_id", "rank"], columns="method", values="term", aggfunc="first")
    return wide.reindex(columns=list(methods or dict.fromkeys(keywords.method))).reset_index()


def side_by_side(keywords: pd.DataFrame, doc_id: object, *, methods: Sequence[str] | None = None) -> pd.DataFrame:
    """One document's keywords as a table: one row per rank, one column per method.

    Parameters
    ----------
    keywords : DataFrame
        The table of :func:`extract_keywords`.
    doc_id : object
        The document (compared as a string).
    methods : sequence of str, optional
        Column order; methods without keywords for this document are left out.

    Returns
    -------
    DataFrame
        Indexed by rank.

    Examples
    --------
    >>> kw = pd.DataFrame({"doc_id": ["a", "a"], "method": ["m", "n"], "rank": [1, 1], "term": ["x", "y"],
    ...                    "score": [1.0, 1.0]})
    >>> side_by_side(kw, "a").loc[1].tolist()
    ['x', 'y']
    """
    sub = keywords[keywords.doc_id.astype(str) == str(doc_id)]
    table = sub.pivot(index="rank", columns="method", values="term")
    order = [m for m in (methods or list(dict.fromkeys(keywords.method))) if m in table.columns]
    table = table[order]
    table.columns.name = None
    return table


def shown_keywords(keywords: pd.DataFrame, *, max_rows: int | None = None) -> tuple[pd.DataFrame, str]:
    """The rows of the keywords table that fit on a page, and a line saying what they cover.

    The corpus rows come first (every method's), then each document's keywords by every method, document after
    document in corpus order, so that a cut table still holds the corpus, every method and whole documents; the
    line says how many documents are shown and that ``keywords.csv`` has all rows.

    Parameters
    ----------
    keywords : DataFrame
        The table of :func:`extract_keywords`.
    max_rows : int, optional
        Most rows shown (default :data:`helpers.tables.SHOW_TABLE_MAX_ROWS`, what :func:`~helpers.tables.show_table`
        embeds).

    Returns
    -------
    tuple
        The rows to show and a line for the table's caption.

    Examples
    --------
    >>> kw = pd.DataFrame({"doc_id": ["a", "b", "a", CORPUS_ID], "method": ["m", "m", "n", "m"], "rank": [1] * 4,
    ...                    "term": ["x", "y", "z", "x"], "score": [1.0] * 4})
    >>> rows, line = shown_keywords(kw, max_rows=3)
    >>> rows.doc_id.tolist(), line
    (['__corpus__', 'a', 'a'], 'corpus rows of 1 method, then all methods for the first 1 of 2 documents (keywords.csv has all 4 rows)')
    """
    from .tables import SHOW_TABLE_MAX_ROWS, plural

    max_rows = SHOW_TABLE_MAX_ROWS if max_rows is None else max_rows
    is_corpus = keywords.doc_id.astype(str) == CORPUS_ID
    corpus, per_doc = keywords[is_corpus], keywords[~is_corpus]
    order = {d: i for i, d in enumerate(dict.fromkeys(per_doc.doc_id))}
    per_doc = per_doc.assign(_doc=per_doc.doc_id.map(order)).sort_values(["_doc"], kind="stable")
    ends = per_doc.groupby("_doc", sort=True).size().cumsum() + len(corpus)
    n_docs = int((ends <= max_rows).sum())
    rows = pd.concat([corpus, per_doc[per_doc._doc < n_docs].drop(columns="_doc")])
    methods = plural(corpus.method.nunique(), "method")
    if n_docs == len(order):
        return rows, f"corpus rows of {methods} first, then every document's keywords"
    line = f"corpus rows of {methods}, then all methods for the first {n_docs:,} of {plural(len(order), 'document')}"
    return rows, f"{line} (keywords.csv has all {len(keywords):,} rows)"


def names_sentence(names: pd.DataFrame, *, top_k: int) -> str:
    """What the corpus table of :func:`extract_names` shows and what ``names.csv`` holds besides, counted per kind.

    >>> names = extract_names(["习近平在北京会见滕宏伟。", "李克强在上海考察。"], top_k=1)
    >>> print(names_sentence(names, top_k=1))  # doctest: +NORMALIZE_WHITESPACE
    The table shows the corpus rows: of each kind, the 1 name named by the most documents (2 rows).
    `names.csv` also lists each document's names (up to 1 of each kind, most mentioned first): 2 persons, 2 places
    and 0 organisations in all. `documents` counts every document in which the name is found, also where it is not
    among that document's 1 most mentioned.
    """
    from .tables import plural

    is_corpus = names.doc_id.astype(str) == CORPUS_ID
    found = names[~is_corpus].drop_duplicates(["kind", "name"]).kind.value_counts()
    counts = [plural(int(found.get(k, 0)), k) for k in KINDS[1:]]
    best = "name named by the most documents" if top_k == 1 else "names named by the most documents"
    return (
        f"The table shows the corpus rows: of each kind, the {top_k} {best} ({plural(int(is_corpus.sum()), 'row')})."
        f" `names.csv` also lists each document's names (up to {top_k} of each kind, most mentioned first): "
        f"{counts[0]}, {counts[1]} and {counts[2]} in all. `documents` counts every document in which the name is"
        f" found, also where it is not among that document's {top_k} most mentioned."
    )


def corpus_term_weights(keywords: pd.DataFrame, *, method: str = "keyphrase") -> pd.Series:
    """Weight of each term over the corpus: every document's scores divided by its best score, summed.

    Unlike the ``__corpus__`` rows this is not cut at ``top_k``; :func:`keywords_by_period` sums the same weights
    per period (times each term's IDF over the periods).

    Parameters
    ----------
    keywords : DataFrame
        The table of :func:`extract_keywords`.
    method : str
        The method whose keywords are summed.

    Returns
    -------
    Series
        Term -> weight, largest first.

    Examples
    --------
    >>> kw = pd.DataFrame({"doc_id": ["a", "a", "b"], "method": ["m"] * 3, "rank": [1, 2, 1],
    ...                    "term": ["x", "y", "x"], "score": [2.0, 1.0, 5.0]})
    >>> corpus_term_weights(kw, method="m").to_dict()
    {'x': 2.0, 'y': 0.5}
    """
    kw = _relative_scores(keywords, method)
    if kw.empty:
        return pd.Series(dtype="float64", name="weight")
    out = kw.weight.groupby(kw.term).sum().rename("weight")
    out.index.name = "term"
    return out.sort_values(ascending=False, kind="stable")


def recurring_text_keywords(keywords: pd.DataFrame, texts: Sequence[str], *, method: str, top: int) -> pd.Series:
    """The leading corpus terms of ``method`` that are a whole recurring text (:func:`helpers.corpus.recurring_texts`,
    compared as it compares texts), with how many documents are that text.

    A heading repeated unchanged (国内联播快讯 in 94 of 1,500 CCTV headlines, review R9b) is the best keyword of every
    copy and so leads the corpus list by counting copies, not by what the corpus is about.

    Parameters
    ----------
    keywords : DataFrame
        The table of :func:`extract_keywords` (its ``__corpus__`` rows are read).
    texts : sequence of str
        The documents.
    method : str
        The method whose corpus list is read.
    top : int
        How many of its leading terms are checked.

    Returns
    -------
    Series
        Term -> documents that are that text, in rank order (empty when none is).

    Examples
    --------
    >>> kw = pd.DataFrame({"doc_id": [CORPUS_ID] * 2, "method": ["m"] * 2, "rank": [1, 2], "term": ["国内联播快讯", "水运"]})
    >>> recurring_text_keywords(kw, ["国内联播快讯", "水运工程", "国内联播快讯。"], method="m", top=2).to_dict()
    {'国内联播快讯': 2}
    """
    from .corpus import recurring_texts
    from .reprints import normalize_for_shingles

    rows = keywords[(keywords.doc_id == CORPUS_ID) & (keywords.method == method)].sort_values("rank").head(top)
    copies = {normalize_for_shingles(t): int(n) for t, n in recurring_texts(list(texts)).items()}
    found = {t: copies[k] for t in rows.term if (k := normalize_for_shingles(str(t))) in copies}
    return pd.Series(found, dtype="int64", name="documents")


def leading_terms_line(
    keywords: pd.DataFrame,
    texts: Sequence[str],
    *,
    method: str,
    top: int = 5,
    widespread: tuple[list[str], int, int] | None = None,
) -> str:
    """The ``top`` leading corpus terms of ``method``, comma-separated, each that is a whole recurring text marked as
    such (:func:`recurring_text_keywords`), then those spread as chance spreads any word named as such
    (:func:`spread_terms_flagged`, the terms :func:`widespread_sentence` names); no term is left out.

    Parameters
    ----------
    keywords : DataFrame
        The table of :func:`extract_keywords` (its ``__corpus__`` rows are read).
    texts : sequence of str
        The documents.
    method : str
        The method whose corpus list is read.
    top : int
        How many leading terms are listed.
    widespread : tuple, optional
        What :func:`widespread_terms` found, as the page showed it (default: computed on its
        :data:`WIDESPREAD_TOP` terms).

    Examples
    --------
    >>> kw = pd.DataFrame({"doc_id": [CORPUS_ID] * 2, "method": ["m"] * 2, "rank": [1, 2], "term": ["国内联播快讯", "水运"]})
    >>> leading_terms_line(kw, ["国内联播快讯", "水运工程", "国内联播快讯"], method="m")
    '国内联播快讯 (the whole text of 2 documents, repeated unchanged), 水运'
    >>> leading_terms_line(kw, ["水运"], method="m", widespread=(["水运"], 2, 2))  # doctest: +NORMALIZE_WHITESPACE
    '国内联播快讯, 水运 (水运 is spread over the documents as chance spreads any word: a word of the genre or of any
    text, not a subject)'
    """
    rows = keywords[(keywords.doc_id == CORPUS_ID) & (keywords.method == method)].sort_values("rank").head(top)
    recurring = recurring_text_keywords(keywords, texts, method=method, top=top)
    if widespread is None:
        widespread = widespread_terms(keywords, texts, method=method)
    flagged = [t for t in rows.term if t in spread_terms_flagged(*widespread) and t not in recurring]
    line = ", ".join(
        f"{t} (the whole text of {recurring[t]:,} documents, repeated unchanged)" if t in recurring else str(t)
        for t in rows.term
    )
    if flagged:
        these = "is" if len(flagged) == 1 else "are"
        kind = (
            "a word of the genre or of any text, not a subject"
            if len(flagged) == 1
            else "words of the genre or of any text, not subjects"
        )
        line += f" ({_and(flagged)} {these} spread over the documents as chance spreads any word: {kind})"
    return line


def _and(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


#: a corpus term whose residual IDF (:func:`residual_idf`) is below this is spread over the documents as chance
#: spreads the words of any text: it is in at least 2/3 of the documents its occurrences would reach at random.
#: Among the 20 leading corpus terms of review R6's 400 abstracts: 方法 0.30, 研究 0.17, 结果表明 0.00, 采用 0.06
#: (subject terms 0.4-1.4); of data/cnews_sample: 没有 0.39 (subjects 0.46-2.3)
SPREAD_RESIDUAL_IDF = math.log(1.5)
#: a word of a genre or of any text is in many documents; the residual IDF of a rare term rests on few occurrences
#: and is often low by chance (re-review R11a: 03 called 临床, in 4.1 % of 1,000 CSL abstracts, spread like any
#: word). Document shares there: 研究 0.46, 分析 0.37, 方法 0.31, 影响 0.25, 结果表明 0.22, 应用 0.17, 特征 0.10 against
#: subject terms 临床 0.04, 制备 0.04, 仿真 0.06; in 1,000 Sina stories 没有 0.38, 很多 0.25
MIN_SPREAD_DOCUMENT_SHARE = 0.1
#: how many of the leading corpus terms that check reads: those of the bar chart of notebook 02
WIDESPREAD_TOP = 20
#: the check needs words to repeat inside documents: a term seen at most once per document (cf = df) always has a
#: residual IDF of 0, spread or not. It is made when at least this share of the checked terms occurs twice in some
#: document. Of the 20 leading terms: 6 of 20 in 1,170 CCTV headlines (median 6 tokens, review R8b), 20 of 20 in
#: data/xwlb_sections_heldout (150), data/csl_sample (77), data/cnews_sample (234) and the seeds; half lies between
MIN_REPEATED_SHARE = 1 / 2


def widespread_terms(
    keywords: pd.DataFrame, texts: Sequence[str], *, method: str = "keyphrase", top: int = WIDESPREAD_TOP
) -> tuple[list[str], int]:
    """The leading corpus terms of ``method`` spread over the documents as chance spreads any word
    (:data:`SPREAD_RESIDUAL_IDF`) and found in at least :data:`MIN_SPREAD_DOCUMENT_SHARE` of them: words of the
    corpus's genre (方法, 结果表明 in abstracts) or of any text (没有).

    Parameters
    ----------
    keywords : DataFrame
        The table of :func:`extract_keywords` (its ``__corpus__`` rows are read).
    texts : sequence of str
        The documents (occurrences are counted in their text, NFKC and lower case).
    method : str
        The method whose corpus list is read.
    top : int
        How many of its leading terms are checked.

    Returns
    -------
    tuple
        The spread terms in rank order, the number of terms checked and how many of them occur twice in some
        document: below :data:`MIN_REPEATED_SHARE` of the checked terms the check cannot tell (short texts such as
        headlines), and :func:`widespread_sentence` says so instead.

    Examples
    --------
    >>> kw = pd.DataFrame({"doc_id": [CORPUS_ID] * 2, "method": ["m"] * 2, "rank": [1, 2], "term": ["方法", "水运"]})
    >>> widespread_terms(kw, ["本文方法", "水运水运水运", "新方法", "方法"], method="m")
    (['方法'], 2, 1)
    """
    rows = keywords[(keywords.doc_id == CORPUS_ID) & (keywords.method == method)].sort_values("rank").head(top)
    normal = [_normalised(t) for t in texts]
    counts = {t: [text.count(normalize_term(t)) for text in normal] for t in rows.term}
    spread = [
        t
        for t, c in counts.items()
        if sum(x > 0 for x in c) >= MIN_SPREAD_DOCUMENT_SHARE * len(normal)
        and residual_idf(sum(c), sum(x > 0 for x in c), len(normal)) < SPREAD_RESIDUAL_IDF
    ]
    return spread, len(rows), sum(max(c, default=0) > 1 for c in counts.values())


def spread_terms_flagged(wide: Sequence[str], checked: int, repeated: int | None = None) -> list[str]:
    """The terms of :func:`widespread_terms` that the page flags as spread like any word: all of ``wide`` when the
    check could be made (at least :data:`MIN_REPEATED_SHARE` of the ``checked`` terms repeat inside a document),
    none otherwise. :func:`widespread_sentence` and :func:`leading_terms_line` both read it.

    >>> spread_terms_flagged(["方法"], 20, 20), spread_terms_flagged(["国际"], 20, 6)
    (['方法'], [])
    """
    if not checked or (repeated is not None and repeated < MIN_REPEATED_SHARE * checked):
        return []
    return list(wide)


#: a leading corpus term *comes mostly from one value* of a categorical column (a source, a section) when at least
#: this share of the documents that use it hold that value, and at least halfway between the value's share of the
#: corpus and all of them (a value holding 90 % of the documents needs 95 %): reviewer M2's pooled corpus of TV
#: news, web news and abstracts had 模型 and 算法, words of the abstracts alone, leading the pooled list unremarked
CONCENTRATED_MIN_SHARE = 0.8
#: a term used by fewer documents is not checked: 3 of 3 in one value is chance as often as not
CONCENTRATED_MIN_DOCUMENTS = 5
CONCENTRATED_SHOWN = 4  # values named in the sentence, with their terms; more are counted


def concentrated_terms(
    keywords: pd.DataFrame, texts: Sequence[str], values: Sequence, *, method: str = "keyphrase", top: int = 20
) -> tuple[dict[str, list[tuple[str, float]]], int, dict[str, float]]:
    """The leading corpus terms of ``method`` that come mostly from one value of a categorical column
    (:data:`CONCENTRATED_MIN_SHARE`), grouped by that value.

    Parameters
    ----------
    keywords : DataFrame
        The table of :func:`extract_keywords` (its ``__corpus__`` rows are read).
    texts : sequence of str
        The documents (a term is used by a document whose text, NFKC and lower case, holds it).
    values : sequence
        Each document's value of the column (empty or missing: the document has none, and still counts among
        the documents that use a term and in the corpus: a share is of all documents).
    method, top : the method whose corpus list is read, and how many of its leading terms are checked.

    Returns
    -------
    tuple
        ``{value: [(term, share of the term's documents in that value), ...]}`` in rank order of the terms, the
        number of terms checked (used by :data:`CONCENTRATED_MIN_DOCUMENTS` documents or more), and each value's
        share of the documents.

    Examples
    --------
    >>> kw = pd.DataFrame({"doc_id": [CORPUS_ID] * 2, "method": ["m"] * 2, "rank": [1, 2], "term": ["模型", "发展"]})
    >>> texts = ["模型算法"] * 3 + ["发展模型"] * 3 + ["经济发展"] * 6
    >>> found, checked, shares = concentrated_terms(kw, texts, ["论文"] * 6 + ["新闻"] * 6, method="m")
    >>> found, checked, shares["论文"]
    ({'论文': [('模型', 1.0)]}, 2, 0.5)
    """
    rows = keywords[(keywords.doc_id == CORPUS_ID) & (keywords.method == method)].sort_values("rank").head(top)
    groups = pd.Series([str(v).strip() if isinstance(v, str) else "" for v in values])
    normal = [_normalised(t) for t in texts]
    if groups[groups != ""].nunique() < 2:
        return {}, 0, {}
    # shares of all documents, those without a value included: a term of 23 documents, 13 of them 财经 and 7
    # without a 类别, is 57 % 财经, not 81 % (reviewer T: 400 of 500 documents had no 类别)
    corpus_share = groups.value_counts(normalize=True)
    found: dict[str, list[tuple[str, float]]] = {}
    checked = 0
    for term in rows.term:
        key = normalize_term(term)
        used = groups[[key in text for text in normal]]
        if len(used) < CONCENTRATED_MIN_DOCUMENTS:
            continue
        checked += 1
        shares = used[used != ""].value_counts() / len(used)
        if shares.empty:
            continue
        value, share = str(shares.index[0]), float(shares.iloc[0])
        if share >= max(CONCENTRATED_MIN_SHARE, (1 + corpus_share[value]) / 2):
            found.setdefault(value, []).append((term, share))
    return found, checked, {str(v): float(x) for v, x in corpus_share.items() if v != ""}


def concentrated_sentence(
    found: Mapping[str, Sequence[tuple[str, float]]], checked: int, shares: Mapping[str, float], *, column: str,
    method: str = "keyphrase",
) -> str:  # fmt: skip
    """One sentence on :func:`concentrated_terms`; empty when no term was checked.

    >>> print(concentrated_sentence({"论文": [("模型", 1.0), ("算法", 0.9)]}, 10, {"论文": 0.3, "新闻": 0.7}, column="来源"))
    2 of the 10 leading corpus terms of `keyphrase` come mostly from one value of `来源`: 模型 (100 %), 算法 (90 %) from `论文` (30 % of the documents). The corpus list mixes what each value's documents are about; for one value's own list, run the notebook on its documents alone.
    >>> print(concentrated_sentence({"财经": [("基金", 0.9)]}, 10, {"财经": 0.03, "体育": 0.03}, column="类别")[:191])
    1 of the 10 leading corpus terms of `keyphrase` comes mostly from one value of `类别`: 基金 (90 %) from `财经` (3 % of the documents). 94 % of the documents have no `类别`; they count in every share.
    >>> print(concentrated_sentence({}, 10, {"论文": 0.3, "新闻": 0.7}, column="来源"))
    None of the 10 leading corpus terms of `keyphrase` comes mostly from one value of `来源` (80 % of the documents that use it or more).
    """
    if not checked:
        return ""
    if not found:
        return (
            f"None of the {checked} leading corpus terms of `{method}` comes mostly from one value of `{column}` "
            f"({round(100 * CONCENTRATED_MIN_SHARE)} % of the documents that use it or more)."
        )
    n = sum(len(v) for v in found.values())
    order = sorted(found, key=lambda v: (-len(found[v]), v))
    none = round(100 * (1 - sum(shares.values())))  # documents without a value: they count in every share
    unvalued = f" {none} % of the documents have no `{column}`; they count in every share." if none else ""
    parts = [
        ", ".join(f"{t} ({round(100 * x)} %)" for t, x in found[v]) + f" from `{v}` ({round(100 * shares[v])} % of the documents)"
        for v in order[:CONCENTRATED_SHOWN]
    ]  # fmt: skip
    more = f"; and {len(order) - CONCENTRATED_SHOWN} more values" if len(order) > CONCENTRATED_SHOWN else ""
    verb = "comes" if n == 1 else "come"
    return (
        f"{n} of the {checked} leading corpus terms of `{method}` {verb} mostly from one value of `{column}`: "
        f"{'; '.join(parts)}{more}.{unvalued} The corpus list mixes what each value's documents are about; for one "
        "value's own list, run the notebook on its documents alone."
    )


def widespread_sentence(
    wide: Sequence[str], checked: int, repeated: int | None = None, *, method: str = "keyphrase"
) -> str:
    """One sentence on :func:`widespread_terms`: how many leading corpus terms of ``method`` are spread like words of
    any text, or, when fewer than :data:`MIN_REPEATED_SHARE` of them ever repeat inside a document
    (``repeated``), that the check was not made.

    >>> widespread_sentence(["方法", "结果表明"], 20, 20)  # doctest: +NORMALIZE_WHITESPACE
    '2 of the 20 leading corpus terms of `keyphrase` are spread over the documents as chance spreads any word (方法,
    结果表明): in a corpus of many subjects these are words of its genre, not subjects.'
    >>> widespread_sentence([], 20)
    'None of the 20 leading corpus terms of `keyphrase` is spread over the documents as chance spreads any word.'
    >>> print(widespread_sentence(["国际"], 20, 6))  # doctest: +NORMALIZE_WHITESPACE
    Whether the leading corpus terms of `keyphrase` are spread over the documents as chance spreads any word was not
    checked: only 6 of the 20 occur twice in any one document, and the check (residual IDF) needs words to repeat
    inside documents to tell a subject's words from words of any text; the documents are too short for that.
    """
    if not checked:
        return ""
    wide = spread_terms_flagged(wide, checked, repeated)
    if repeated is not None and repeated < MIN_REPEATED_SHARE * checked:
        return (
            f"Whether the leading corpus terms of `{method}` are spread over the documents as chance spreads any word "
            f"was not checked: only {repeated} of the {checked} occur twice in any one document, and the check "
            "(residual IDF) needs words to repeat inside documents to tell a subject's words from words of any text; "
            "the documents are too short for that."
        )
    spread = "spread over the documents as chance spreads any word"
    if not wide:
        return f"None of the {checked} leading corpus terms of `{method}` is {spread}."
    verb = "is" if len(wide) == 1 else "are"
    return (
        f"{len(wide)} of the {checked} leading corpus terms of `{method}` {verb} {spread} ({', '.join(wide)}): in a "
        "corpus of many subjects these are words of its genre, not subjects."
    )
