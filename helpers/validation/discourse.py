"""Does :mod:`helpers.discourse` date a known shift? The check of notebook 05 on dated news.

乡村振兴 (rural revitalisation) entered the language of the CCTV 新闻联播 stories with the 19th Party Congress in
October 2017: on the slice shipped in ``data/xwlb_poverty_sample``, :func:`helpers.discourse.change_points`
should put it in the last quarter of 2017, and keyness with shuffled dates should flag (almost) nothing at the
document level.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..discourse import change_points, plan_comparison, shuffled_significance

__all__ = ["CHANGE_POINT_CHECK_COLUMNS", "change_point_check", "change_point_table", "change_point_sentence"]

#: The columns of notebook 05's ``validation.csv``.
CHANGE_POINT_CHECK_COLUMNS = [
    "documents",
    "period",
    "change_point",
    "direction",
    "g2",
    "p_perm",
    "shuffled_significant_documents",
    "shuffled_significant_tokens",
]


def change_point_check(
    docs: pd.DataFrame,
    tokens: Sequence[Sequence[str]],
    *,
    term: str = "乡村振兴",
    min_docs_per_period: int = 10,
    min_docs: int = 3,
    alpha: float = 0.05,
    seed: int = 0,
) -> dict:
    """The change point of ``term`` on dated documents (period chosen with ``"auto"``), and the significant terms
    of keyness with the dates shuffled.

    Parameters
    ----------
    docs : pandas.DataFrame
        Dated documents (``doc_id``, ``date``, ``text``), as :func:`helpers.corpus.load_corpus` returns them.
    tokens : sequence of token lists
        The tokens of each document.
    term : str
        The term whose change point is known.
    min_docs_per_period : int
        As in :func:`helpers.discourse.plan_comparison`.
    min_docs, alpha, seed
        As in :func:`helpers.discourse.shuffled_significance` (``seed`` also seeds the permutations).

    Returns
    -------
    dict
        The :data:`CHANGE_POINT_CHECK_COLUMNS` (``g2`` unrounded) plus ``share_before`` and ``share_after``.
    """
    plan = plan_comparison(docs, period="auto", min_docs_per_period=min_docs_per_period)
    change = change_points(docs.text.tolist(), plan.periods, [term], seed=seed).iloc[0]
    chance = shuffled_significance(tokens, plan.groups, min_docs=min_docs, alpha=alpha, seed=seed)
    return {
        "term": term,
        "documents": len(docs),
        "period": plan.period,
        "change_point": change.period,
        "direction": change.direction,
        "g2": change.g2,
        "p_perm": change.p_perm,
        "share_before": change.share_before,
        "share_after": change.share_after,
        "shuffled_significant_documents": chance["document"],
        "shuffled_significant_tokens": chance["token"],
    }


def change_point_table(check: dict) -> pd.DataFrame:
    """The one-row table of :func:`change_point_check` written to ``validation.csv`` (G² rounded to 2 decimals)."""
    return pd.DataFrame([{c: round(check[c], 2) if c == "g2" else check[c] for c in CHANGE_POINT_CHECK_COLUMNS}])


def change_point_sentence(check: dict) -> str:
    """What :func:`change_point_check` found, as one Markdown sentence computed from it.

    >>> check = {"term": "乡村振兴", "documents": 300, "period": "quarter", "change_point": "2017Q4",
    ...          "direction": "rising", "share_before": 0.0, "share_after": 0.4, "g2": 80.0, "p_perm": 0.001,
    ...          "shuffled_significant_documents": 0, "shuffled_significant_tokens": 12}
    >>> change_point_sentence(check).split(" (rising")[0]
    'On 300 dated stories (quarters), 乡村振兴 changes at **2017Q4**'
    """
    c = check
    return (
        f"On {c['documents']:,} dated stories ({c['period']}s), {c['term']} changes at **{c['change_point']}** "
        f"({c['direction']}; share of stories using it {c['share_before']:.0%} before, "
        f"{c['share_after']:.0%} from then on; G² = {c['g2']:.1f}, permutation p = {c['p_perm']:.3f}). "
        f"With dates shuffled, the document-level test flags **{c['shuffled_significant_documents']}** terms, "
        f"the token-count test **{c['shuffled_significant_tokens']}**."
    )
