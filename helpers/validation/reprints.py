"""Validation of reprint detection: pair precision and recall, and a test collection of perturbed reprints.

:func:`make_reprint_benchmark` turns real stories into a web collection the way sites reprint (new headers and
footers, bylines, editor lines, Traditional characters, dropped or swapped paragraphs, a few edited characters),
with pages of one site side by side that are *not* reprints; the true reprint pairs are known. Found clusters are
scored pair by pair (:func:`pairs_from_clusters`, :func:`pair_precision_recall`), over a range of thresholds and
without each safeguard (:func:`reprint_validation_table`). :func:`write_benchmark_pages` writes the collection to the
cache as a JSONL corpus, for ``load_corpus`` to clean like a real one (never into a report folder).

>>> found = pairs_from_clusters(pd.DataFrame({"cluster": [0, 0], "doc_id": ["a", "b"]}))
>>> pair_precision_recall(found, {frozenset("ab")})["f1"]
1.0
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..clean import opencc_converter, split_paragraphs
from ..paths import CACHE_DIR, atomic_write
from ..reprints import find_near_duplicates

__all__ = [
    "pairs_from_clusters",
    "pair_precision_recall",
    "make_reprint_benchmark",
    "write_benchmark_pages",
    "BENCHMARK_DIR",
    "evaluate_detector",
    "reprint_validation_table",
    "sweep_summary",
    "pair_errors",
    "SWEEP_THRESHOLDS",
    "ABLATIONS",
]


# --- metrics ----------------------------------------------------------------------------------------------------
def pairs_from_clusters(clusters: pd.DataFrame, *, cluster_col: str = "cluster", id_col: str = "doc_id") -> set:
    """All unordered pairs of documents that share a cluster.

    Parameters
    ----------
    clusters : pandas.DataFrame
        One row per clustered document (e.g. ``NearDuplicates.clusters``).
    cluster_col, id_col : str
        Columns holding the cluster number and the document id.

    Returns
    -------
    set of frozenset
        Every pair of ids in one cluster, as a ``frozenset`` of two ids.

    >>> sorted(tuple(sorted(p)) for p in pairs_from_clusters(pd.DataFrame({"cluster": [0, 0, 0], "doc_id": list("abc")})))
    [('a', 'b'), ('a', 'c'), ('b', 'c')]
    """
    out: set = set()
    for _, g in clusters.groupby(cluster_col):
        out |= _pairs_within(list(g[id_col]))
    return out


def _pairs_within(group: Sequence) -> set:
    """Every unordered pair of the members of one group, as a ``frozenset`` of two."""
    return {frozenset((group[a], group[b])) for a in range(len(group)) for b in range(a + 1, len(group))}


def pair_precision_recall(found: set, truth: set) -> dict:
    """Precision, recall and F1 of found pairs against true pairs.

    Parameters
    ----------
    found, truth : set of frozenset
        Found and true pairs (:func:`pairs_from_clusters`). An empty side scores 1.0 (nothing wrong, nothing
        missed).

    Returns
    -------
    dict
        ``pairs_found, pairs_true, true_positives, precision, recall, f1``.

    >>> pair_precision_recall({frozenset("ab")}, {frozenset("ab"), frozenset("cd")})["recall"]
    0.5
    """
    tp = len(found & truth)
    p = tp / len(found) if found else 1.0
    r = tp / len(truth) if truth else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "pairs_found": len(found),
        "pairs_true": len(truth),
        "true_positives": tp,
        "precision": p,
        "recall": r,
        "f1": f,
    }


# --- the test collection ----------------------------------------------------------------------------------------
_SITES = [
    (
        "人民网",
        [
            "人民日报社概况 关于人民网 报社招聘 招聘英才 广告服务 合作加盟 供稿服务 网站声明 网站律师 信息保护 联系我们",
            "人民网版权所有，未经书面授权禁止使用。Copyright © 1997-2020 by www.people.com.cn. all rights reserved",
            "违法和不良信息举报电话：010-65363263 举报邮箱：jubao@people.cn 互联网新闻信息服务许可证10120170001",
            "人民网新闻客户端下载，人民网微博，人民网微信公众号，领导留言板，人民视频，人民电视，人民网舆情数据中心",
        ],
    ),
    (
        "新华网",
        [
            "新华网版权所有，本站所刊登的各种新闻、信息和各种专题专栏资料，均为新华网版权所有，未经协议授权禁止下载使用。",
            "关于我们 | 版权声明 | 联系我们 | 新华社新闻信息中心 | 新华通讯社 | 新华网客户端 | 新华炫闻 | 新华社发布",
            "京ICP证010042号 京公网安备11010202001 互联网视听节目服务许可证0101611 违法和不良信息举报：010-88050707",
        ],
    ),
    (
        "中国经济网",
        [
            "中国经济网版权及免责声明：凡本网注明“来源：中国经济网”或“来源：经济日报”的所有作品，版权均属于中国经济网，"
            "未经本网授权不得转载、摘编或利用其它方式使用上述作品。凡本网注明“来源：XXX（非中国经济网）”的作品，"
            "均转载自其它媒体，转载目的在于传递更多信息，并不代表本网赞同其观点和对其真实性负责。",
            "中国经济网 网站介绍 网站律师 招聘信息 联系我们 经济日报报业集团法律顾问 北京市鑫诺律师事务所",
        ],
    ),
    (
        "澎湃新闻",
        [
            "关于澎湃 在澎湃工作 联系我们 广告及合作 版权声明 隐私政策 友情链接 澎湃矩阵 澎湃新闻微博 澎湃新闻公众号",
            "沪ICP备14003370号 沪公网安备31010602000299号 互联网新闻信息服务许可证：31120170006 增值电信业务经营许可证",
            "上海东方报业有限公司 © 2014-2020 上海东方报业有限公司 违法和不良信息举报电话：021-962866 举报邮箱",
        ],
    ),
    (
        "凤凰网",
        [
            "凤凰新媒体介绍 投资者关系 Investor Relations 广告服务 诚征英才 保护隐私权 免责条款 意见反馈 凤凰卫视",
            "凤凰网版权所有 © 1998-2020 凤凰网 凤凰新媒体 违法和不良信息举报电话：010-60676717 京ICP证030609号",
            "本周热榜：脱贫攻坚决战决胜之年 各地扶贫产业发展纪实 乡村振兴的新路子 更多精彩内容请下载凤凰新闻客户端",
        ],
    ),
]
_EDITORS = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏"]
_NAV = (
    "首页 | 新闻 | 时政 | 国际 | 财经 | 社会 | 评论 | 视频 | 图片 | 专题 | 地方 | English",
    "当前位置：首页 > 新闻中心 > 国内新闻 > 正文",
)
_RELATED = ["相关新闻", "你会喜欢", "本周热榜", "推荐阅读"]
_NOTES = [
    "脱贫攻坚是全面建成小康社会的底线任务。本网今起推出系列报道，记录各地干部群众攻坚克难、决战决胜的生动实践。",
    "今年是决胜全面建成小康社会、决战脱贫攻坚之年。我们转载这篇报道，供读者了解基层扶贫工作的新进展新经验。",
]
#: a story must have at least this many characters to be reprinted or templated (a one-line brief is no test)
MIN_STORY_CHARS = 80
# How often each edit happens to a reprint: the test's design, chosen by us so that most reprints combine two or
# three edits and every kind occurs several times in 60 stories (not measured on real sites).
P_ORIGINAL_TITLE = 0.3  # the title line starts with 原标题：
P_NAVIGATION = 0.5  # the page has the site's navigation bar
P_TRADITIONAL = 0.35  # the whole page is converted to Traditional characters
#: characters edited by ``char_edits`` (at most)
N_CHAR_EDITS = 3


def _editor(rng: np.random.Generator) -> str:
    return _EDITORS[rng.integers(len(_EDITORS))]


def _site_page(body: list[str], site: int, title: str, with_nav: bool, rng: np.random.Generator) -> list[str]:
    """``body`` published on ``_SITES[site]``: navigation, title, date and source line, editor line, footer."""
    name, footer = _SITES[site]
    head = list(_NAV) if with_nav else []
    if title:
        head.append(title)
    head.append(
        f"2020-{rng.integers(1, 13):02d}-{rng.integers(1, 29):02d} {rng.integers(0, 24):02d}:"
        f"{rng.integers(0, 60):02d}  来源：{name}"
    )
    tail = [f"（责任编辑：{_editor(rng)}）", f"{_RELATED[rng.integers(len(_RELATED))]}：", *footer]
    return head + body + tail


def _drop_paragraph(body: list[str], rng: np.random.Generator) -> list[str]:
    body.pop(int(rng.integers(len(body))))
    return body


def _truncate(body: list[str], rng: np.random.Generator) -> list[str]:
    return body[: (len(body) + 1) // 2 + 1] + ["（未完，阅读全文请点击原文链接）"]


def _swap_paragraphs(body: list[str], rng: np.random.Generator) -> list[str]:
    a = int(rng.integers(len(body) - 1))
    body[a], body[a + 1] = body[a + 1], body[a]
    return body


def _merge_paragraphs(body: list[str], rng: np.random.Generator) -> list[str]:
    a = int(rng.integers(len(body) - 1))
    body[a : a + 2] = [body[a] + body[a + 1]]
    return body


def _editors_note(body: list[str], rng: np.random.Generator) -> list[str]:
    body.insert(0, "编者按：" + _NOTES[int(rng.integers(len(_NOTES)))])
    return body


def _editor_line(body: list[str], rng: np.random.Generator) -> list[str]:
    at = int(rng.integers(len(body) + 1))
    body.insert(at, f"（编辑：{_editor(rng)}）")
    return body


def _byline(body: list[str], rng: np.random.Generator) -> list[str]:
    reporter = _editor(rng)
    body.insert(0, f"（记者 {reporter} 通讯员 {_editor(rng)}）")
    return body


def _char_edits(body: list[str], rng: np.random.Generator) -> list[str]:
    j = int(np.argmax([len(b) for b in body]))  # edit the story, not an inserted line
    chars = list(body[j])
    for _ in range(min(N_CHAR_EDITS, len(chars))):
        pos = int(rng.integers(len(chars)))
        chars[pos] = "的" if chars[pos] != "的" else "了"
    body[j] = "".join(chars)
    return body


#: the edits of a reprint's body, applied in this order: ``(name, min_paragraphs, probability, edit)``; an edit
#: is drawn only when the body has ``min_paragraphs`` paragraphs (the probabilities: see P_ORIGINAL_TITLE)
EDITS: tuple[tuple[str, int, float, Callable], ...] = (
    ("drop_paragraph", 3, 0.4, _drop_paragraph),
    ("truncated", 4, 0.1, _truncate),
    ("swap_paragraphs", 3, 0.3, _swap_paragraphs),
    ("merge_paragraphs", 3, 0.2, _merge_paragraphs),
    ("editors_note", 0, 0.15, _editors_note),
    ("editor_line", 0, 0.4, _editor_line),
    ("byline", 0, 0.3, _byline),
    ("char_edits", 0, 0.3, _char_edits),
)


def _reprint(paragraphs: list[str], title: str, rng: np.random.Generator, s2t) -> tuple[str, list[str]]:
    """One reprint of a story: its body edited (:data:`EDITS`), published on a random site, maybe Traditional.

    Returns the page text and the names of what was done.
    """
    body, done = list(paragraphs), []
    for name, min_paragraphs, probability, edit in EDITS:
        if len(body) >= min_paragraphs and rng.random() < probability:
            body = edit(body, rng)
            done.append(name)
    site = int(rng.integers(len(_SITES)))
    shown_title = ("原标题：" if rng.random() < P_ORIGINAL_TITLE else "") + title
    with_nav = bool(rng.random() < P_NAVIGATION)
    text = "\n".join(_site_page(body, site, shown_title, with_nav, rng))
    done.append(f"site:{_SITES[site][0]}")
    if rng.random() < P_TRADITIONAL:
        text = s2t.convert(text)
        done.append("traditional")
    return text, done


def make_reprint_benchmark(
    texts: Sequence[str],
    *,
    doc_ids: Sequence | None = None,
    titles: Sequence | None = None,
    n_stories: int = 60,
    max_copies: int = 3,
    n_site_pages: int = 30,
    seed: int = 0,
) -> tuple[list[str], list[str], list[str], set]:
    """A reprint test collection built from real stories by the perturbations real sites apply.

    ``n_stories`` stories each get 1..``max_copies`` reprints; each reprint combines several of (:data:`EDITS`):
    another site's header (title line, date and source line, navigation bar), a byline, an inserted editor line,
    an editor's note (编者按) before the story, Traditional characters (OpenCC ``s2t``), a dropped paragraph, two
    paragraphs swapped or merged, a few characters edited, a site footer (copyright, links, licence numbers),
    rarely a truncation to the first half. ``n_site_pages`` further stories get no reprint but are published on
    one of the sites with its navigation and footer, so site-template pages sit side by side. All other stories
    are kept as they are.

    Parameters
    ----------
    texts : sequence of str
        The stories (paragraphs separated by line breaks).
    doc_ids, titles : sequence, optional
        Their ids (default ``0..n-1``) and titles (shown in the page headers).
    n_stories, max_copies, n_site_pages : int
        Stories reprinted, reprints per story at most, stories published as template pages.
    seed : int
        Seed of every random choice (the collection is reproducible).

    Returns
    -------
    tuple
        ``(texts, doc_ids, kinds, true_pairs)``: the collection (originals first), its ids (reprints are
        ``<id>~r<n>``), what was done to each document, and the set of true reprint pairs (``frozenset``).
    """
    rng = np.random.default_rng(seed)
    s2t = opencc_converter("s2t")
    base_ids = [str(x) for x in (doc_ids if doc_ids is not None else range(len(texts)))]
    base_titles = [str(t) for t in (titles if titles is not None else [""] * len(texts))]
    paras_all = [split_paragraphs(t) for t in texts]
    order = rng.permutation(len(texts))
    eligible = [i for i in order if len(paras_all[i]) >= 1 and len("".join(paras_all[i])) >= MIN_STORY_CHARS]
    chosen = eligible[:n_stories]
    templated = eligible[n_stories : n_stories + n_site_pages]

    out_texts, out_ids, kinds = list(texts), list(base_ids), ["original"] * len(texts)
    truth: set = set()
    for i in templated:
        site = int(rng.integers(len(_SITES)))
        out_texts[i] = "\n".join(_site_page(paras_all[i], site, base_titles[i], True, rng))
        kinds[i] = "site_page"
    for i in chosen:
        group = [base_ids[i]]
        for c in range(int(rng.integers(1, max_copies + 1))):
            text, done = _reprint(paras_all[i], base_titles[i], rng, s2t)
            out_texts.append(text)
            out_ids.append(f"{base_ids[i]}~r{c + 1}")
            kinds.append("reprint:" + ",".join(done))
            group.append(out_ids[-1])
        truth |= _pairs_within(group)
    return out_texts, out_ids, kinds, truth


#: Where the test collection is written for :func:`helpers.corpus.load_corpus` to read back: the project's cache, not
#: a report folder (it is test material, not a result about the user's corpus).
BENCHMARK_DIR: Path = CACHE_DIR / "validation"


def write_benchmark_pages(
    texts: Sequence[str],
    doc_ids: Sequence,
    kinds: Sequence[str],
    *,
    folder: str | os.PathLike[str] | None = None,
) -> Path:
    """Write a test collection as a JSONL corpus (``id, text, kind`` per page), so that ``load_corpus`` can clean it.

    The file goes to the cache (:data:`BENCHMARK_DIR`), never to a notebook's ``output_dir``: a report holds results
    about its own corpus, and this collection is rebuilt from the shipped stories and the seed on every run. Its
    name carries a hash of its content, so a given collection is written once and ``load_corpus`` finds its cleaned
    copy in the corpus cache on the next run.

    Parameters
    ----------
    texts, doc_ids, kinds : sequence
        The pages, their ids and what was done to each (as returned by :func:`make_reprint_benchmark`).
    folder : path-like, optional
        Where to write (default :data:`BENCHMARK_DIR`; created if missing).

    Returns
    -------
    Path
        ``<folder>/reprint_benchmark-<hash>.jsonl``.

    >>> import tempfile
    >>> path = write_benchmark_pages(["脱贫攻坚", "脫貧攻堅"], ["a", "a~r1"], ["original", "reprint:traditional"],
    ...                              folder=tempfile.mkdtemp())
    >>> path.name.startswith("reprint_benchmark-"), json.loads(path.read_text(encoding="utf-8").splitlines()[1])
    (True, {'id': 'a~r1', 'text': '脫貧攻堅', 'kind': 'reprint:traditional'})
    """
    if not len(texts) == len(doc_ids) == len(kinds):
        raise ValueError(f"{len(texts)} texts, {len(doc_ids)} ids and {len(kinds)} kinds: one of each per page")
    lines = "".join(
        json.dumps({"id": str(i), "text": t, "kind": k}, ensure_ascii=False) + "\n"
        for t, i, k in zip(texts, doc_ids, kinds)
    )
    digest = hashlib.sha256(lines.encode("utf-8")).hexdigest()[:16]
    path = Path(folder if folder is not None else BENCHMARK_DIR) / f"reprint_benchmark-{digest}.jsonl"
    if not path.exists():  # the name is the content's hash: an existing file holds these pages
        atomic_write(path, lambda tmp: tmp.write_text(lines, encoding="utf-8"))
    return path


# --- scoring the detector ---------------------------------------------------------------------------------------
#: the thresholds of the sweep in notebook 04 (containment, around the default 0.6)
SWEEP_THRESHOLDS = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
#: the detector without each safeguard: no template-paragraph filter, no shingle document-frequency filter, neither
ABLATIONS = ({"drop_template": False}, {"max_df": 10**9}, {"drop_template": False, "max_df": 10**9})


def evaluate_detector(
    texts: Sequence[str], doc_ids: Sequence, truth: set, *, input_name: str, seed: int = 0, **settings
) -> dict:
    """Pair precision and recall of :func:`helpers.reprints.find_near_duplicates` with ``settings`` on a collection.

    ``seed`` is the MinHash seed; ``settings`` are further options of ``find_near_duplicates`` (``threshold``,
    ``drop_template``, ``max_df`` …), recorded in the result.

    Returns
    -------
    dict
        ``input`` (``input_name``), the settings given, then :func:`pair_precision_recall`'s fields.
    """
    found = find_near_duplicates(texts, doc_ids=doc_ids, seed=seed, **settings)
    return {"input": input_name, **settings, **pair_precision_recall(pairs_from_clusters(found.clusters), truth)}


def reprint_validation_table(
    inputs: Mapping[str, Sequence[str]],
    doc_ids: Sequence,
    truth: set,
    *,
    threshold: float,
    ablation_input: str,
    thresholds: Sequence[float] = SWEEP_THRESHOLDS,
    seed: int = 0,
) -> pd.DataFrame:
    """Precision and recall over a range of thresholds on every input, and without each safeguard.

    Parameters
    ----------
    inputs : mapping of str to sequence of str
        Versions of one collection by name (e.g. raw pages, cleaned pages), all in ``doc_ids`` order.
    doc_ids : sequence
        The collection's ids.
    truth : set of frozenset
        The true reprint pairs.
    threshold : float
        The threshold of the ablation rows (:data:`ABLATIONS`), run on ``inputs[ablation_input]``.
    thresholds : sequence of float
        The thresholds of the sweep.
    seed : int
        MinHash seed.

    Returns
    -------
    pandas.DataFrame
        ``input, threshold, pairs_found, pairs_true, true_positives, precision, recall, f1, drop_template, max_df``
        (the last two empty outside the ablation rows), rounded to 3 decimals.
    """
    rows = [
        evaluate_detector(texts, doc_ids, truth, input_name=name, seed=seed, threshold=t)
        for name, texts in inputs.items()
        for t in thresholds
    ]
    rows += [
        evaluate_detector(
            inputs[ablation_input], doc_ids, truth, input_name=ablation_input, seed=seed, threshold=threshold, **kw
        )
        for kw in ABLATIONS
    ]
    return pd.DataFrame(rows).round(3)


def sweep_summary(table: pd.DataFrame, *, input_name: str, threshold: float, tolerance: float = 0.02) -> dict:
    """Where F1 is near its best in a :func:`reprint_validation_table` sweep, and the scores at ``threshold``.

    Returns
    -------
    dict
        ``best_f1``, ``plateau`` (lowest and highest threshold with F1 within ``tolerance`` of the best), and
        ``precision``, ``recall`` at ``threshold`` (None when it was not among the thresholds tried).
    """
    sweep = table[(table["input"] == input_name) & table["drop_template"].isna()]
    plateau = sweep[sweep["f1"] >= sweep["f1"].max() - tolerance]["threshold"]
    at = sweep[sweep["threshold"] == threshold]
    return {
        "best_f1": sweep["f1"].max(),
        "plateau": (plateau.min(), plateau.max()),
        "precision": at["precision"].iloc[0] if len(at) else None,
        "recall": at["recall"].iloc[0] if len(at) else None,
    }


def pair_errors(found: set, truth: set, kinds: Mapping[str, str]) -> pd.DataFrame:
    """The false and the missed pairs, with what had been done to each page.

    Parameters
    ----------
    found, truth : set of frozenset
        Found and true pairs.
    kinds : mapping of str to str
        What :func:`make_reprint_benchmark` did to each page, by id.

    Returns
    -------
    pandas.DataFrame
        ``error`` ("false pair" or "missed pair"), ``doc_a, doc_b, kind_a, kind_b``.

    >>> pair_errors({frozenset("ab")}, set(), {"a": "original", "b": "site_page"})["error"].tolist()
    ['false pair']
    """
    rows = [
        {"error": err, "doc_a": a, "doc_b": b, "kind_a": kinds[a], "kind_b": kinds[b]}
        for err, pairs in (("false pair", found - truth), ("missed pair", truth - found))
        for a, b in (sorted(p) for p in pairs)
    ]
    return pd.DataFrame(rows, columns=["error", "doc_a", "doc_b", "kind_a", "kind_b"])
