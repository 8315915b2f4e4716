"""Does the user's corpus contain the texts the project's resources were built, tuned or validated on?

The project ships resources built from news corpora (the reference IDF, the background model of document
similarity, the tokenizer's domain dictionary), settings tuned on labelled texts (the weights of ``keyphrase`` on
700 CSL abstracts, the topic and similarity settings on tuning splits of 新闻联播 sections and on
``data/cnews_sample``) and validation samples in ``data/``. A "held-out" or "validation" figure is independent
evidence only about texts that were not among them: when the user's corpus *is* THUCNews, or the CSL abstracts, a
page must say so. :func:`shipped_overlap` finds such documents, :func:`overlap_sentence` says it in one sentence: a
document *is* a recorded text when its whole text matches, and *contains* one when only the recorded text's middle
passage is in it (a day file of a news programme holding the story, or a copy with another headline or tail), and
*is the headline of* one when it is only the recorded text's title (a corpus of headlines).

Every text the resources were built from is recorded in ``helpers/resources/source_fingerprints.tsv`` (written by
``scripts/build_source_fingerprints.py``; texts only as hashes) by two keys of its text as cleaned by
:func:`helpers.corpus.load_corpus` and normalised as :func:`helpers.corpus.recurring_text_keys` normalises texts
(:func:`helpers.reprints.normalize_for_shingles`: Simplified CJK, digits, lower-case Latin):

- ``key``: a hash of the whole normalised text (an identical copy, whatever its punctuation, spacing or script);
- ``middle``: a hash of a passage from the middle of the normalised text (:data:`LONG_WINDOW` characters, or
  :data:`SHORT_WINDOW` in a short text), the one nearest the centre that no other recorded text contains (a near-copy of the same article aside). A
  document is matched by it when the passage occurs anywhere in it, so a copy with another headline, a source line
  or an editor's tail, or without the title CSL appends to its abstracts, still matches;
- ``title``: a hash of its normalised title, as :func:`helpers.corpus.load_corpus` gives it (the same hash as
  ``key``: :func:`title_key`; empty when the source row has none), so that a document that is only the headline of a
  recorded text (a corpus of headlines) is found too.

>>> text = ("会议强调，要坚持稳中求进工作总基调，完整、准确、全面贯彻新发展理念，加快构建新发展格局，"
...         "着力推动高质量发展，更好统筹疫情防控和经济社会发展，保持经济运行在合理区间。")
>>> key, middle = text_keys(text)
>>> len(key), len(middle)
(16, 16)
>>> middle in passage_keys(normalize_for_shingles("新华社北京电　" + text))  # another headline
True
>>> title_key("国务院常务会议  部署稳经济") == text_keys("国务院常务会议部署稳经济")[0]  # a headline as a document
True
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..paths import PROJECT_ROOT, RESOURCES_DIR
from ..reprints import normalize_for_shingles

__all__ = [
    "FINGERPRINTS_PATH",
    "ROLES",
    "text_keys",
    "normalized_keys",
    "title_key",
    "load_fingerprints",
    "shipped_matches",
    "shipped_overlap",
    "overlap_sentence",
    "overlap_caveat",
    "SECTION_CAVEATS",
    "corpus_caveat",
    "CORPUS_SECTION_CAVEATS",
]

FINGERPRINTS_PATH = RESOURCES_DIR / "source_fingerprints.tsv"
#: bytes of a key (16 hex characters): with about 6,000 recorded texts and a corpus of a million passages the chance
#: of a chance match is below 1e-6 (2^-64 per pair)
KEY_BYTES = 8
#: characters of the middle passage of a text of at least :data:`LONG_TEXT` normalised characters: 32 Chinese
#: characters in the same order are a copy, not a shared phrase; the passage is also chosen so that no other
#: recorded text (about 6,000 news stories and abstracts) contains it, which leaves out formulas
LONG_WINDOW = 32
#: characters of the middle passage of a shorter text (at least :data:`SHORT_TEXT` characters; shorter texts have
#: only the whole-text key): 5 % of the CSL abstracts have fewer than 83 normalised characters, and a copy without
#: the title CSL appends (about 20 characters) keeps only their first 60 or so
SHORT_WINDOW = 16
LONG_TEXT, SHORT_TEXT = 3 * LONG_WINDOW, 2 * SHORT_WINDOW
#: normalised characters a document needs to be matched as a recorded title: a shorter document is a word or a
#: tag (长江, 新闻, 天气) that a corpus of short texts (keywords, tags, place names) holds for its own reasons, not a
#: headline that names one text; of the ~6,000 recorded titles only three are shorter (长江, a 新闻联播 story; 秋千考
#: and 论《曲藻》, CSL papers), and the shortest headlines of the news files have 4 (点赞中国, 联播快讯)
MIN_TITLE_CHARS = 4
#: a title borne by at least this many distinct recorded texts is a heading (a programme's section, a series, a
#: weekly formula), not a headline: of the recorded titles, 国内联播快讯 and 国际联播快讯 head 246 and 184 texts,
#: 李克强主持召开国务院常务会议 38, 联播快讯 24, the campaign series “不忘初心、牢记使命”主题教育进行时 10 and
#: “两学一做”重在实效 8; every other title heads 5 or fewer (李克强结束出访回京 5, 习近平会见联合国秘书长 4: an event
#: that recurs, each headline naming one)
HEADING_TEXTS = 8
# multiplier and mixing constants of the passage hash (64-bit, wrapping): splitmix64's, fixed so that keys
# written by the build script match on every machine
_BASE = np.uint64(0x9E3779B97F4A7C15)
_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_SEPARATOR = 0  # code point between documents in a batch: no normalised text holds it


def _codes(norm: str) -> np.ndarray:
    return np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads the bits of a polynomial hash."""
    h = h ^ (h >> np.uint64(30))
    h = h * _MIX1
    h = h ^ (h >> np.uint64(27))
    h = h * _MIX2
    return h ^ (h >> np.uint64(31))


def _polynomial(codes: np.ndarray, width: int) -> np.ndarray:
    """The polynomial hash (base :data:`_BASE`, wrapping at 2^64) of every ``width``-long run of ``codes``."""
    n = len(codes) - width + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    for j in range(width):
        h = h * _BASE + codes[j : j + n]
    return h


def _window_hashes(codes: np.ndarray) -> dict[int, np.ndarray]:
    """Hash of every passage of :data:`SHORT_WINDOW` and :data:`LONG_WINDOW` characters, by its start."""
    short = _polynomial(codes, SHORT_WINDOW)
    gap = LONG_WINDOW - SHORT_WINDOW
    # the long passage's polynomial from its two halves: first half times BASE^gap plus the second half
    long_ = short[:-gap] * (_BASE**gap) + short[gap:] if len(short) > gap else short[:0]
    return {SHORT_WINDOW: _mix(short), LONG_WINDOW: _mix(long_)}


def _hex(value: int) -> str:
    return f"{int(value):016x}"


def _blake(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=KEY_BYTES).hexdigest()


def window_for(n: int) -> int | None:
    """Length of the middle passage of a normalised text of ``n`` characters (``None``: whole-text key only)."""
    return LONG_WINDOW if n >= LONG_TEXT else SHORT_WINDOW if n >= SHORT_TEXT else None


def passage_hashes(norm: str) -> np.ndarray:
    """The hashes of every passage of a normalised text that could be a recorded middle passage (both lengths)."""
    hashes = _window_hashes(_codes(norm))
    return np.concatenate([hashes[SHORT_WINDOW], hashes[LONG_WINDOW]])


def passage_keys(norm: str) -> set[str]:
    """:func:`passage_hashes` as keys (hex), as the table writes them."""
    return {_hex(h) for h in passage_hashes(norm).tolist()}


def normalized_keys(norm: str, *, common: Collection[int] = ()) -> tuple[str, str]:
    """:func:`text_keys` of a text already normalised by :func:`helpers.reprints.normalize_for_shingles`.

    ``common``: passage hashes that other texts share (the build script's formulas); the middle passage is the one
    nearest the centre whose hash is not among them (``""`` when every middle passage is).
    """
    if not norm:
        return "", ""
    width = window_for(len(norm))
    if width is None:
        return _blake(norm), ""
    hashes = _window_hashes(_codes(norm))[width]
    centre = (len(norm) - width) // 2
    # starts in the middle half of the text, nearest the centre first
    reach = max((len(norm) - width) // 4, 0)
    for offset in range(reach + 1):
        for start in dict.fromkeys((centre - offset, centre + offset)):
            if 0 <= start < len(hashes) and int(hashes[start]) not in common:
                return _blake(norm), _hex(hashes[start])
    return _blake(norm), ""


def text_keys(text: str, *, common: Collection[int] = ()) -> tuple[str, str]:
    """The two keys of a text: its whole normalised text and its middle passage (``""`` when it has none).

    >>> text_keys("") == ("", "")
    True
    >>> text_keys("国内联播快讯")[1]  # too short for a middle passage
    ''
    """
    return normalized_keys(normalize_for_shingles(text) if isinstance(text, str) else "", common=common)


def title_key(title: str | None) -> str:
    """The key of a recorded text's title: the whole-text key of the title as a document (``""``: no title).

    >>> title_key(None), title_key("　")
    ('', '')
    >>> title_key("國內聯播快訊") == text_keys("国内联播快讯")[0]  # normalised as a text: Simplified, no spacing
    True
    """
    return text_keys(title)[0] if isinstance(title, str) else ""


#: what each role of a recorded text means: (one document, several documents), ``{source}`` the folder or file
ROLES: dict[str, tuple[str, str]] = {
    "reference_idf": ("a text the reference IDF was built from", "texts the reference IDF was built from"),
    "background_model": (
        "a text the background model of document similarity was built from",
        "texts the background model of document similarity was built from",
    ),
    "domain_dictionary": (
        "a text the tokenizer's domain dictionary was mined from",
        "texts the tokenizer's domain dictionary was mined from",
    ),
    "keyphrase_tuning": (
        "one of the CSL abstracts the weights of `keyphrase` were tuned on",
        "CSL abstracts the weights of `keyphrase` were tuned on",
    ),
    "topic_tuning": ("a text 03's topic settings were chosen on", "texts 03's topic settings were chosen on"),
    "similarity_tuning": (
        "a text 04's similarity settings were chosen on",
        "texts 04's similarity settings were chosen on",
    ),
    "validation_02_keywords": ("in `{source}`, the validation sample of 02's keywords",) * 2,
    "validation_02_names": ("in `{source}`, the hand-checked sample of 02's name lists",) * 2,
    "validation_03_topics": ("in `{source}`, the validation sample of 03's section 7",) * 2,
    "validation_04_news": ("in `{source}`, the validation sample of 04's section 5a",) * 2,
    "validation_04_sections": ("in `{source}`, the held-out sample of 04's section 5b",) * 2,
    "validation_04_reprints": ("in `{source}`, the stories of 04's reprint test (section 5c)",) * 2,
    "validation_05_dated": ("in `{source}`, the sample of 05's check on dated news (section 8)",) * 2,
    "tests": ("in `{source}`, a sample of the project's tests",) * 2,
}
DEFAULT_CONSEQUENCE = "on them the validation is not independent of your corpus"


@dataclass(frozen=True, eq=False)
class Fingerprints:
    """The recorded texts: ``uses`` (one row per use: ``use``, ``role``, ``source``, ``texts``) and, for each
    whole-text, middle and title key, the uses of the texts that have it; ``headings``: the title keys borne by at
    least :data:`HEADING_TEXTS` distinct recorded texts (empty, as ``title``, for a table written before titles were
    recorded)."""

    uses: pd.DataFrame
    whole: dict[str, tuple[int, ...]]
    middle: dict[str, tuple[int, ...]]
    header: tuple[str, ...]
    title: dict[str, tuple[int, ...]] = field(default_factory=dict)
    headings: frozenset[str] = frozenset()

    @property
    def middle_hashes(self) -> np.ndarray:
        """The middle keys as sorted 64-bit integers, for :func:`numpy.isin`."""
        return _middle_array(self)


@lru_cache(maxsize=4)
def _middle_array(fp: Fingerprints) -> np.ndarray:
    return np.sort(np.array([int(k, 16) for k in fp.middle], dtype=np.uint64))


@lru_cache(maxsize=4)
def load_fingerprints(path: str | Path | None = None) -> Fingerprints:
    """Read ``source_fingerprints.tsv`` (by default the shipped one).

    Header lines ``# use <n>\\t<role>\\t<source>\\t<texts>`` define the uses; a line of column names (``key,
    middle, uses, title``) follows; each row is one recorded text: its keys and the numbers of its uses, separated
    by spaces. A table written before titles were recorded (columns ``key, middle, uses``) is read, with no titles;
    a row that is not ``key, middle, uses[, title]`` (a damaged line) is left out with a warning naming the file
    and the line.

    >>> fp = load_fingerprints()
    >>> set(fp.uses.role) <= set(ROLES)
    True
    """
    path = Path(path) if path is not None else FINGERPRINTS_PATH
    uses, header, damaged = [], [], []
    columns = ["key", "middle", "uses"]  # a table of before the title column has no column line beyond these
    whole: dict[str, tuple[int, ...]] = {}
    middle: dict[str, tuple[int, ...]] = {}
    title: dict[str, tuple[int, ...]] = {}
    texts_of: dict[str, set[str]] = {}  # title key -> the whole keys of the texts it heads
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            line = line.rstrip("\r\n")
            if line.startswith("#"):
                header.append(line)
                if line.startswith("# use ") and line[len("# use ") :].split("\t")[0].isdigit():
                    n, role, source, texts = line[len("# use ") :].split("\t")
                    uses.append({"use": int(n), "role": role, "source": source, "texts": int(texts)})
                continue
            fields = line.split("\t")
            if fields[0] == "key":  # the column names
                columns = fields
                continue
            row = dict(zip(columns, fields))
            numbers = row.get("uses", "").split()
            if len(fields) != len(columns) or not row.get("key") or not all(u.isdigit() for u in numbers):
                if line.strip():
                    damaged.append(number)
                continue
            found = set(map(int, numbers))
            key, mid, head = row["key"], row.get("middle", ""), row.get("title", "")
            whole[key] = tuple(sorted(set(whole.get(key, ())) | found))
            if mid:
                middle[mid] = tuple(sorted(set(middle.get(mid, ())) | found))
            if head:
                title[head] = tuple(sorted(set(title.get(head, ())) | found))
                texts_of.setdefault(head, set()).add(key)
    if damaged:
        shown = ", ".join(map(str, damaged[:5])) + (" …" if len(damaged) > 5 else "")
        warnings.warn(f"{path}: {len(damaged)} damaged row(s) left out (line {shown})", stacklevel=2)
    table = pd.DataFrame(uses, columns=["use", "role", "source", "texts"]).set_index("use", drop=False)
    headings = frozenset(k for k, keys in texts_of.items() if len(keys) >= HEADING_TEXTS)
    return Fingerprints(table, whole, middle, tuple(header), title, headings)


def _texts_and_ids(docs: pd.DataFrame | Sequence[str]) -> tuple[list, list]:
    if isinstance(docs, pd.DataFrame):
        ids = docs["doc_id"].astype(str).tolist() if "doc_id" in docs else [str(i) for i in docs.index]
        return docs["text"].tolist(), ids
    return list(docs), [str(i) for i in range(len(docs))]


def shipped_matches(docs: pd.DataFrame | Sequence[str], *, fingerprints: Fingerprints | None = None) -> pd.DataFrame:
    """Each document of the corpus that is a recorded text, once per use of that text.

    Parameters
    ----------
    docs : the corpus's documents (``load_corpus(...).docs``: columns ``doc_id`` and ``text``) or a list of texts.
    fingerprints : the recorded texts (default: the shipped table, :func:`load_fingerprints`).

    Returns
    -------
    DataFrame
        ``doc_id, use, role, source, match``, one row per document and use, by the first of:

        - ``whole text``: the normalised texts are equal;
        - ``middle passage``: the recorded text's middle passage is in the document (a copy with another headline
          or tail, a document that holds the text; also a document that is "title + body": it is counted once, so);
        - ``title``: the document is only the recorded text's title, normalised (of at least
          :data:`MIN_TITLE_CHARS` characters): a corpus of headlines;
        - ``heading``: the document is a title that at least :data:`HEADING_TEXTS` distinct recorded texts bear
          (国内联播快讯, 国际联播快讯, 联播快讯: the 新闻联播 files head hundreds of stories so). Such a document
          *is* a recorded headline, but it names none of those texts (any other story of the section bears it too),
          so :func:`shipped_overlap` does not count it among the documents that are headlines of recorded texts,
          and no sentence says it is one; it counts it apart, as ``headings``.

    >>> heads = ["李克强主持召开国务院常务会议", "国内联播快讯", "长江", "绿水青山就是金山银山"]
    >>> shipped_matches(heads).groupby("doc_id").match.first().to_dict()
    {'0': 'heading', '1': 'heading'}
    """
    fp = fingerprints or load_fingerprints()
    texts, ids = _texts_and_ids(docs)
    norms = [normalize_for_shingles(t) if isinstance(t, str) else "" for t in texts]
    keys = [_blake(norm) if norm else "" for norm in norms]
    found: dict[int, dict[int, str]] = {}
    for i, key in enumerate(keys):
        for u in fp.whole.get(key, ()) if key else ():
            found.setdefault(i, {})[u] = "whole text"
    # every passage of every document at once: documents joined by a code point no normalised text holds
    codes = _codes(chr(_SEPARATOR).join(norms))
    starts = np.cumsum([0] + [len(n) + 1 for n in norms[:-1]])
    for hashes in _window_hashes(codes).values():
        hit = np.flatnonzero(np.isin(hashes, fp.middle_hashes))
        for pos, h in zip(hit.tolist(), hashes[hit].tolist()):
            doc = int(np.searchsorted(starts, pos, side="right")) - 1
            for u in fp.middle[_hex(h)]:
                found.setdefault(doc, {}).setdefault(u, "middle passage")
    # last, a document that is only a recorded title (for a use it matched by neither key above)
    for i, (norm, key) in enumerate(zip(norms, keys)):
        if len(norm) >= MIN_TITLE_CHARS and key in fp.title:
            how = "heading" if key in fp.headings else "title"
            for u in fp.title[key]:
                found.setdefault(i, {}).setdefault(u, how)
    rows = [(ids[d], u, how) for d in sorted(found) for u, how in sorted(found[d].items())]
    out = pd.DataFrame(rows, columns=["doc_id", "use", "match"])
    out["role"] = out["use"].map(fp.uses["role"])
    out["source"] = out["use"].map(fp.uses["source"])
    return out[["doc_id", "use", "role", "source", "match"]]


def shipped_overlap(docs: pd.DataFrame | Sequence[str], *, fingerprints: Fingerprints | None = None) -> pd.DataFrame:
    """How many documents of the corpus are texts the project's resources were built, tuned or validated on.

    Parameters
    ----------
    docs : the corpus's documents (``load_corpus(...).docs``) or a list of texts.
    fingerprints : the recorded texts (default: the shipped table).

    Returns
    -------
    DataFrame
        One row per role with a match, in the order of :data:`ROLES`: ``role``, ``source`` (where the matched
        texts come from, ``, ``-separated), ``documents`` (documents of the corpus matched, each once), ``share``
        (of the corpus's documents), ``whole`` (of ``documents``, those that *are* a recorded text, matched as
        ``whole text`` by :func:`shipped_matches`), ``titles`` (of ``documents``, those that are only the headline
        of one: matched as ``title`` and by no text of the role; the others contain a recorded text, matched by its
        middle passage) and ``headings`` (documents that are only a heading many recorded texts of the role share,
        ``heading`` in :func:`shipped_matches`: not among ``documents``; a role with only such documents has no
        row). ``attrs["n_documents"]`` is the corpus's size, for :func:`overlap_sentence`; ``attrs["headings"]``
        the number of documents that are only such a heading, whatever the role.

    >>> table = shipped_overlap(["国内联播快讯", "国际联播快讯", "习近平会见南非总统"])
    >>> table.set_index("role").loc["background_model", ["documents", "whole", "titles", "headings"]].tolist()
    [1, 0, 1, 2]
    """
    texts, _ = _texts_and_ids(docs)
    matches = shipped_matches(docs, fingerprints=fingerprints)
    rows = []
    for role in ROLES:
        mine = matches[matches.role == role]
        if mine.empty:
            continue
        how = mine.groupby("doc_id").match.agg(frozenset)  # how each document matched the role's texts
        headings = int((how == frozenset({"heading"})).sum())  # a shared heading only: not a headline of one text
        counted = mine[mine.doc_id.isin(how.index[how != frozenset({"heading"})])]
        n = counted.doc_id.nunique()
        if n == 0:
            continue
        whole = int(how.map(lambda m: "whole text" in m).sum())
        titles = int(how.map(lambda m: "title" in m and not m & {"whole text", "middle passage"}).sum())
        sources = ", ".join(dict.fromkeys(counted.source))
        rows.append(
            {
                "role": role,
                "source": sources,
                "documents": n,
                "share": n / max(len(texts), 1),
                "whole": whole,
                "titles": titles,
                "headings": headings,
            }
        )
    table = pd.DataFrame(rows, columns=["role", "source", "documents", "share", "whole", "titles", "headings"])
    table.attrs["n_documents"] = len(texts)
    only_heading = matches.groupby("doc_id").match.agg(frozenset) == frozenset({"heading"})
    table.attrs["headings"] = int(only_heading.sum())
    return table


def overlap_sentence(
    table: pd.DataFrame, role: str | Sequence[str] | None = None, *, consequence: str = DEFAULT_CONSEQUENCE
) -> str | None:
    """One sentence naming how many documents of the corpus are, or contain, texts of the given roles, or ``None``.

    A role's documents *are* its texts when every one matched as a whole text (``whole`` equals ``documents``; a
    table without a ``whole`` column is read so), *contain* them when each holds a recorded text's middle passage (a
    day file holding a story, a copy with another headline), *are headlines of* them when each is only a recorded
    text's title (``titles`` equals ``documents``), and *are or contain*, *are, contain or are headlines of* … them
    when the kinds are mixed. Documents that are only a heading many recorded texts share (``headings``) are not
    said to be headlines of them (:func:`shipped_matches`).

    Parameters
    ----------
    table : :func:`shipped_overlap` of the corpus.
    role : the role or roles that matter where the sentence is printed (keys of :data:`ROLES`); ``None``: all.
    consequence : what follows from it there, after the colon.

    >>> table = pd.DataFrame({"role": ["reference_idf", "validation_04_news"],
    ...     "source": ["../shared/corpora/cnews/articles.jsonl", "data/cnews_sample"],
    ...     "documents": [1003, 300], "share": [1.0, 0.299]})
    >>> table.attrs["n_documents"] = 1003
    >>> overlap_sentence(table, ["reference_idf", "validation_04_news"])
    "Of this corpus's 1,003 documents, all 1,003 are texts the reference IDF was built from and 300 are in `data/cnews_sample` (the validation sample of 04's section 5a): on them the validation is not independent of your corpus."
    >>> overlap_sentence(table, "keyphrase_tuning") is None
    True
    >>> days = pd.DataFrame({"role": ["validation_03_topics"], "source": ["data/xwlb_sections_heldout"],
    ...     "documents": [8], "share": [1.0], "whole": [0]})
    >>> days.attrs["n_documents"] = 8
    >>> overlap_sentence(days, "validation_03_topics", consequence="x")
    "All 8 of this corpus's documents contain texts of `data/xwlb_sections_heldout`, the validation sample of 03's section 7: x."
    >>> heads = pd.DataFrame({"role": ["background_model"], "source": ["../shared/corpora/xwlb_general/stories.jsonl"],
    ...     "documents": [1093], "share": [0.73], "whole": [0], "titles": [1093]})
    >>> heads.attrs["n_documents"] = 1500
    >>> overlap_sentence(heads, consequence="x")
    "1,093 of this corpus's 1,500 documents are headlines of texts the background model of document similarity was built from: x."
    >>> heads[["whole", "titles"]] = [[3, 1000]]  # 3 stories, 1,000 headlines, 90 stories with a tail
    >>> overlap_sentence(heads, consequence="x")
    "1,093 of this corpus's 1,500 documents are, contain or are headlines of texts the background model of document similarity was built from: x."
    """
    wanted = [role] if isinstance(role, str) else list(role) if role is not None else list(ROLES)
    unknown = [r for r in wanted if r not in ROLES]
    if unknown:
        raise ValueError(f"unknown role(s) {unknown}; known: {', '.join(ROLES)}")
    rows = table[table.role.isin(wanted) & (table.documents > 0)]
    if rows.empty:
        return None
    total = int(table.attrs.get("n_documents", 0)) or int(rows.documents.max())
    rows = rows.set_index("role").loc[[r for r in wanted if r in set(rows.role)]]
    clauses = []
    for role_name, row in rows.iterrows():
        n = int(row.documents)
        whole = int(row.whole) if "whole" in row.index and pd.notna(row.whole) else n
        titles = int(row.titles) if "titles" in row.index and pd.notna(row.titles) else 0
        verb, phrase = _verb_phrase(role_name, n, whole, source=row.source, titles=titles)
        clauses.append((n, verb, phrase))
    if len(clauses) == 1:
        n, verb, phrase = clauses[0]
        if n == total and n > 1:
            subject = f"All {n:,} of this corpus's documents"
        else:
            subject = f"{n:,} of this corpus's {total:,} documents" if total != 1 else "This corpus's one document"
        body = f"{subject} {verb} {phrase}"
    else:
        # several roles: a list whose items hold no comma (a sample's description goes in brackets), so that each
        # count reads with its own role: "Of this corpus's 1,000 documents, 296 are in `x` (the …) and 698 are …"
        counts = ["" if total == 1 else f"all {n:,} " if n == total else f"{n:,} " for n, _, _ in clauses]
        items = [f"{count}{verb} {_bracket_apposition(phrase)}" for count, (_, verb, phrase) in zip(counts, clauses)]
        listed = " and ".join(items) if len(items) == 2 else ", ".join(items[:-1]) + " and " + items[-1]
        body = (
            f"This corpus's one document {listed}" if total == 1 else f"Of this corpus's {total:,} documents, {listed}"
        )
    return f"{body}: {consequence}."


_NOT_INDEPENDENT = "so it is not independent of this corpus"
#: each validation section of the notebooks: its sample's role, then what each role's documents in the user's corpus
#: mean for the figures the section prints (the consequence of :func:`overlap_caveat`'s sentence)
SECTION_CAVEATS: dict[str, dict[str, str]] = {
    "03 section 7": {
        "validation_03_topics": f"the NMI above is measured on them as well, {_NOT_INDEPENDENT}",
        "topic_tuning": "the stories above were held out from the choice of the topic settings, these documents were "
        "not, so the settings may suit them better than the figure above says",
        "background_model": "the background model that picks each story's nearest stories never saw the stories "
        "above, but was built from these documents of this corpus",
    },
    "04 section 5a": {
        "validation_04_news": f"the precision at 5 above is measured on them as well, {_NOT_INDEPENDENT}",
        "similarity_tuning": "the similarity settings measured above were chosen on them, so these figures are not "
        "held out from this corpus",
        "background_model": "background LSI was built partly from them, so on them it may do better than above",
    },
    "04 section 5b": {
        "validation_04_sections": f"the held-out precision above is measured on them as well, {_NOT_INDEPENDENT}",
        "similarity_tuning": "the stories above were held out from the choice of the similarity settings, these "
        "documents were not, so the settings may suit them better than the figure above says",
        "background_model": "the stories above are held out from the background model, these documents of this "
        "corpus are not",
    },
    "04 section 5c": {
        "validation_04_reprints": f"the reprint test of section 5c is built from them, {_NOT_INDEPENDENT}"
    },
    "05 section 8": {"validation_05_dated": f"the check above ran on them, {_NOT_INDEPENDENT}"},
}


def overlap_caveat(
    table: pd.DataFrame,
    section: str,
    *,
    ran_on: str | Path,
    leave_out: Collection[str] = (),
    fingerprints: Fingerprints | None = None,
) -> str | None:
    """:func:`overlap_sentence` for a validation section of the notebooks (a key of :data:`SECTION_CAVEATS`): the
    corpus's documents among the section's sample and the other roles that bear on its figures, with what each means
    there; ``None`` when the corpus has none, or when the section did not run on its shipped sample (``ran_on``, the
    file it read, is not inside the sample's recorded source: a user's own validation file is not fingerprinted).

    Parameters
    ----------
    table : :func:`shipped_overlap` of the corpus.
    section : which section (``"04 section 5a"`` …).
    ran_on : the validation file the section read, as the notebook names it (resolved by
        :func:`helpers.paths.resolve_path`).
    leave_out : roles that did not shape the figures in this run (``background_model`` when background LSI did
        not run).

    >>> table = pd.DataFrame({"role": ["validation_05_dated"], "source": ["data/xwlb_poverty_sample"],
    ...     "documents": [200], "share": [1.0], "whole": [200]})
    >>> table.attrs["n_documents"] = 200
    >>> print(overlap_caveat(table, "05 section 8", ran_on="data/xwlb_poverty_sample/xwlb_poverty_sample.jsonl"))
    ... # doctest: +NORMALIZE_WHITESPACE
    All 200 of this corpus's documents are in `data/xwlb_poverty_sample`, the sample of 05's check on dated news
    (section 8): the check above ran on them, so it is not independent of this corpus.
    >>> overlap_caveat(table, "05 section 8", ran_on="seeds") is None  # another file: nothing to say
    True
    """
    from ..paths import resolve_path

    caveats = SECTION_CAVEATS[section]
    sample = next(iter(caveats))  # the section's own sample comes first
    fp = fingerprints or load_fingerprints()
    sources = [PROJECT_ROOT / src for src in fp.uses.loc[fp.uses.role == sample, "source"]]
    path = resolve_path(ran_on).resolve()
    if not any(path == src.resolve() or path.is_relative_to(src.resolve()) for src in sources):
        return None
    roles = [r for r in caveats if r not in set(leave_out) and r in set(table.role)]
    if not roles:
        return None
    return overlap_sentence(table, roles, consequence="; ".join(caveats[r] for r in roles))


#: the sections of the notebooks that measure the corpus itself (not a shipped sample): the roles whose texts, when
#: the corpus holds them, bear on the section's figures, with what they mean there (see :func:`corpus_caveat`)
CORPUS_SECTION_CAVEATS: dict[str, dict[str, str]] = {
    "04 section 5d": {
        "similarity_tuning": "the similarity settings were chosen on them, so the precision above is not held out "
        "from this corpus",
        "background_model": "background LSI was built partly from them, so on them it may do better than on new text",
    },
}


def corpus_caveat(table: pd.DataFrame, section: str, *, leave_out: Collection[str] = ()) -> str | None:
    """:func:`overlap_sentence` for a section that measures the corpus itself (a key of
    :data:`CORPUS_SECTION_CAVEATS`): the corpus's documents that shaped the methods it measures; ``None`` when none.

    Parameters
    ----------
    table : :func:`shipped_overlap` of the corpus.
    section : which section (``"04 section 5d"``).
    leave_out : roles that did not shape the figures in this run (``background_model`` when background LSI did
        not run).

    >>> table = pd.DataFrame({"role": ["similarity_tuning"], "source": ["data/cnews_sample"],
    ...     "documents": [302], "share": [0.3], "whole": [0]})
    >>> table.attrs["n_documents"] = 1003
    >>> print(corpus_caveat(table, "04 section 5d"))  # doctest: +NORMALIZE_WHITESPACE
    302 of this corpus's 1,003 documents contain texts 04's similarity settings were chosen on: the similarity
    settings were chosen on them, so the precision above is not held out from this corpus.
    >>> corpus_caveat(table, "04 section 5d", leave_out=["similarity_tuning"]) is None
    True
    """
    caveats = CORPUS_SECTION_CAVEATS[section]
    roles = [r for r in caveats if r not in set(leave_out) and r in set(table.role)]
    if not roles:
        return None
    present = table[table.role.isin(roles) & (table.documents > 0)].role
    return overlap_sentence(table, roles, consequence="; ".join(caveats[r] for r in roles if r in set(present)))


def _bracket_apposition(phrase: str) -> str:
    """A role's phrase with the description of its sample in brackets instead of after a comma, for a list.

    >>> _bracket_apposition("in `data/csl_sample`, the validation sample of 02's keywords")
    "in `data/csl_sample` (the validation sample of 02's keywords)"
    >>> _bracket_apposition("texts the reference IDF was built from")
    'texts the reference IDF was built from'
    """
    head, sep, tail = phrase.partition("`, ")
    return f"{head}` ({tail})" if sep else phrase


def _verb_phrase(role: str, n: int, whole: int, *, source: str, titles: int = 0) -> tuple[str, str]:
    """The verb and the phrase of a role's clause for ``n`` documents, ``whole`` of them recorded texts and
    ``titles`` only the title of one (the others contain one): ``is``/``are`` when every document matched whole,
    ``contains``/``contain`` or ``is the headline of``/``are headlines of`` when all matched so, the kinds present
    joined by "or" otherwise (``are or contain``, ``are, contain or are headlines of``).

    >>> _verb_phrase("validation_04_news", 3, 1, source="data/cnews_sample")
    ('are or contain', "texts of `data/cnews_sample`, the validation sample of 04's section 5a")
    >>> _verb_phrase("reference_idf", 1, 0, source="")
    ('contains', 'a text the reference IDF was built from')
    >>> _verb_phrase("validation_03_topics", 1, 0, source="data/xwlb_sections_heldout", titles=1)
    ('is the headline of', "a text of `data/xwlb_sections_heldout`, the validation sample of 03's section 7")
    >>> _verb_phrase("reference_idf", 5, 2, source="", titles=3)
    ('are or are headlines of', 'texts the reference IDF was built from')
    """
    one, many = ROLES[role]
    phrase = (one if n == 1 else many).format(source=source)
    if whole >= n:
        return ("is" if n == 1 else "are"), phrase
    if phrase.startswith("in `"):  # "is in `data/…`, the sample …" -> "contains a text of `data/…`, the sample …"
        phrase = ("a text of " if n == 1 else "texts of ") + phrase[len("in ") :]
    counts = {"are": whole, "contain": n - whole - titles, "are headlines of": titles}
    kinds = [verb for verb, count in counts.items() if count > 0]
    if kinds == ["contain"]:
        return ("contains" if n == 1 else "contain"), phrase
    if kinds == ["are headlines of"]:
        return ("is the headline of" if n == 1 else "are headlines of"), phrase
    return (" or ".join(kinds) if len(kinds) == 2 else ", ".join(kinds[:-1]) + " or " + kinds[-1]), phrase


def project_relative(path: str | Path) -> str:
    """A path as the fingerprint table names it: relative to the project (``data/…``, ``../shared/…``)."""
    path = Path(path).resolve()
    try:
        return path.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return "../" + path.relative_to(PROJECT_ROOT.parent).as_posix()
