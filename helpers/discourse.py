"""How the discourse changes over time or between groups: periods, keyness, traced terms, change points, KWIC.

The analyses of notebook ``05_discourse_over_time``. Every statistic is computed at the level of **documents**
wherever a test is made: occurrences inside one story are not independent (a name repeated twenty times in one
story is one event), so keyness and change points test how many *documents* use a term, not how many times it
occurs, and intervals are bootstrapped over documents. Raw occurrence counts and rates are reported next to them
as effect sizes.

Dates are those :func:`helpers.corpus.load_corpus` normalises: ``YYYY-MM-DD``; ``YYYY`` when the source gives a
year only (a 年份 column: placed in years, never in quarters or months); or ``--MM-DD`` when the source gives no
year. A year-less date is never given a year: such documents, like undated ones, are counted and left out of
every time view.

>>> import pandas as pd
>>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "date": ["2017-10-18", "--03-05", None],
...                      "title": ["十九大", "两会", "无日期"],
...                      "text": ["实施乡村振兴战略。", "打赢脱贫攻坚战。", "乡村振兴，脱贫攻坚。"]})
>>> date_status(docs["date"]).tolist()
['dated', 'no year', 'undated']
>>> period_labels(docs["date"], period="quarter").tolist()
['2017Q4', None, None]
>>> kwic(docs, ["乡村振兴"], context_chars=2)[["doc_id", "left", "match", "right"]].to_dict("records")
[{'doc_id': 'a', 'left': '实施', 'match': '乡村振兴', 'right': '战略'}, {'doc_id': 'c', 'left': '', 'match': '乡村振兴', 'right': '，脱'}]
"""

from __future__ import annotations

import bisect
import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import xlogy
from scipy.stats import chi2

from .clean import document_headlines, to_simplified
from .corpus import column_date, report_columns
from .tables import plural
from .tokenize import Tokenizer, get_default_tokenizer

__all__ = [
    "PERIODS",
    "PERIOD_ZH",
    "KEYNESS_COLUMNS",
    "TREND_COLUMNS",
    "CHANGE_COLUMNS",
    "KWIC_COLUMNS",
    "TOPIC_TREND_COLUMNS",
    "Comparison",
    "plural_noun",
    "date_status",
    "period_labels",
    "period_range",
    "dates_sentence",
    "choose_period",
    "group_values",
    "group_column_candidates",
    "other_group_columns",
    "plan_comparison",
    "period_advice",
    "COMPOSITION_V",
    "COMPOSITION_COLUMNS",
    "cramers_v",
    "Composition",
    "composition_check",
    "composition_table",
    "composition_sentence",
    "composition_caveat",
    "composition_skipped",
    "names_times",
    "g2_2x2",
    "LOG_RATIO_FLOOR",
    "log_ratio",
    "benjamini_hochberg",
    "keyness",
    "shuffle_groups",
    "shuffled_significance",
    "honesty_check",
    "top_key_terms",
    "KEYNESS_TOP_N",
    "keyness_extract",
    "keyness_extract_sentence",
    "keyness_count_sentence",
    "MIN_TERM_CHARS",
    "term_spans",
    "term_counts",
    "traceable",
    "term_trends",
    "change_points",
    "strongest_rising",
    "default_terms",
    "example_terms",
    "ExampleTerms",
    "terms_advice",
    "traced_terms_sentence",
    "simplified_terms",
    "selection_sentence",
    "change_point_sentence",
    "kwic",
    "kwic_sentence",
    "several_headlines",
    "kwic_headlines_sentence",
    "kwic_html",
    "topic_trends",
    "TOPIC_OUTSIDE_RATIO",
    "topics_outside",
    "topic_coverage_sentence",
    "placing_date",
    "nothing_compared_sentence",
    "run_summary",
]

PERIODS = ("month", "quarter", "year")  # finest first: the order in which ``period="auto"`` tries them
_FREQ = {"year": "Y", "quarter": "Q", "month": "M"}
PERIOD_ZH = {"year": "年", "quarter": "季度", "month": "月"}  # for figure titles
KEYNESS_COLUMNS = [
    "group",
    "term",
    "count_in",
    "count_out",
    "per_10k_in",
    "per_10k_out",
    "log_ratio",
    "g2",
    "p_adj",
    "significant",
    "docs_in",
    "docs_out",
    "n_docs_in",
    "n_docs_out",
    "p",
]
TREND_COLUMNS = ["period", "term", "docs", "count", "per_10k", "ci_low", "ci_high", "docs_with_term", "chars"]
CHANGE_COLUMNS = ["term", "period", "direction", "g2", "share_before", "share_after", "p_perm"]
KWIC_COLUMNS = ["term", "doc_id", "date", "title", "left", "match", "right"]
TOPIC_TREND_COLUMNS = ["period", "topic", "share", "ci_low", "ci_high", "docs"]

MAX_GROUP_VALUES = 12  # the most groups the keyness figure (plot_keyness, max_groups) shows: a column to compare
_CORE_COLUMNS = ("doc_id", "path", "title", "date", "raw", "text")  # load_corpus's own columns, never a grouping

_FULL_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_YEARLESS = re.compile(r"^--(\d{2})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
#: the date statuses of :func:`date_status`, in the order the notebook's tables show them
DATE_STATUSES = ("dated", "year only", "no year", "undated")


# -- dates and periods ------------------------------------------------------------------------------------------------
def _index_of(values: object) -> pd.Index | None:
    return values.index if isinstance(values, (pd.Series, pd.DataFrame)) else None


def _normalised(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    s = str(value).strip()
    if _FULL_DATE.match(s) or _YEARLESS.match(s) or _YEAR.match(s):
        return s
    return column_date(s)


def date_status(dates: Iterable[object]) -> pd.Series:
    """Whether each date can be placed in time: ``"dated"`` (a full date), ``"year only"`` (``YYYY``: in years
    only), ``"no year"`` (``--MM-DD``: never) or ``"undated"``.

    Values are read as :func:`helpers.corpus.column_date` writes them; other values are normalised with it.

    >>> date_status(["2019-02-22", "--03-09", "", "2020年05月25日", 2014]).tolist()
    ['dated', 'no year', 'undated', 'dated', 'year only']
    """
    out = []
    for d in dates:
        s = _normalised(d) or ""
        out.append(
            "dated"
            if _FULL_DATE.match(s)
            else "year only"
            if _YEAR.match(s)
            else "no year"
            if _YEARLESS.match(s)
            else "undated"
        )
    return pd.Series(out, index=_index_of(dates), dtype=object, name="date_status")


def period_labels(dates: Iterable[object], *, period: str) -> pd.Series:
    """The period label of each date (``YYYY``, ``YYYYQn`` or ``YYYY-MM``); ``None`` when it has no full date (a
    year alone, ``YYYY``, has a label of ``period="year"`` only).

    A year-less date (``--03-05``) gets no label: no year is ever guessed; nor is a month for a year alone.

    >>> period_labels(["2014", "2014-05-01"], period="year").tolist(), period_labels(["2014"], period="month").tolist()
    (['2014', '2014'], [None])

    >>> period_labels(["2020-03-05", "--03-05", "2019-12-31"], period="quarter").tolist()
    ['2020Q1', None, '2019Q4']
    >>> period_labels(["2020-03-05"], period="month").tolist(), period_labels(["2020-03-05"], period="year").tolist()
    (['2020-03'], ['2020'])
    """
    if period not in _FREQ:
        raise ValueError(f"period must be one of {sorted(_FREQ)} (or 'auto' in plan_comparison), not {period!r}")
    out: list[str | None] = []
    for d in dates:
        s = _normalised(d)
        m = _FULL_DATE.match(s) if s else None
        if not m:
            out.append(s if period == "year" and s and _YEAR.match(s) else None)
            continue
        y, mo = int(m.group(1)), int(m.group(2))
        out.append(
            f"{y:04d}"
            if period == "year"
            else f"{y:04d}Q{(mo - 1) // 3 + 1}"
            if period == "quarter"
            else f"{y:04d}-{mo:02d}"
        )
    return pd.Series(out, index=_index_of(dates), dtype=object, name="period")


def period_range(labels: Iterable[object], *, period: str) -> list[str]:
    """Every period label from the first to the last of ``labels``, empty periods included, in time order.

    >>> period_range(["2017Q3", "2018Q1", None], period="quarter")
    ['2017Q3', '2017Q4', '2018Q1']
    """
    present = sorted({str(x) for x in labels if x is not None and not (isinstance(x, float) and np.isnan(x))})
    if not present:
        return []
    freq = _FREQ[period]
    return [str(p) for p in pd.period_range(pd.Period(present[0], freq=freq), pd.Period(present[-1], freq=freq))]


def choose_period(dates: Iterable[object], *, min_docs: int = 10, min_periods: int = 3) -> str | None:
    """The finest period (month, quarter, year) with at least ``min_periods`` periods and a median of at least
    ``min_docs`` dated documents per period (empty periods inside the span count as 0); ``None`` if none has.

    >>> choose_period(["2017-01-05"] * 10 + ["2018-06-01"] * 10 + ["2019-03-01"] * 10, min_docs=10)
    'year'
    >>> choose_period(["2019-02-22", "2020-05-25"]) is None
    True
    """
    dates = list(dates)
    for unit in PERIODS:
        labels = period_labels(dates, period=unit)
        span = period_range(labels, period=unit)
        if len(span) < min_periods:
            continue
        counts = labels.value_counts().reindex(span, fill_value=0)
        if float(counts.median()) >= min_docs:
            return unit
    return None


def group_values(values: Iterable[object]) -> pd.Series:
    """Group labels from a metadata column: strings as they are; a list (e.g. section labels) joined with ``、``;
    empty strings, empty lists and missing values become ``None`` (counted apart, never a group of their own).

    >>> group_values(["新闻", ["扶贫行动", "乡村振兴"], [], None, "  "]).tolist()
    ['新闻', '扶贫行动、乡村振兴', None, None, None]
    """
    out: list[str | None] = []
    for v in values:
        if isinstance(v, (list, tuple, np.ndarray)):
            v = "、".join(str(x).strip() for x in v if str(x).strip())
        elif v is None or (isinstance(v, float) and np.isnan(v)):
            v = ""
        v = str(v).strip()
        out.append(v or None)
    return pd.Series(out, index=_index_of(values), dtype=object, name="group")


def group_column_candidates(docs: pd.DataFrame, *, max_values: int = MAX_GROUP_VALUES) -> list[str]:
    """The metadata columns of ``docs`` worth passing as ``group_column``: at least two values, at most
    ``max_values``, and every value shared by two documents or more (a column of unique values compares nothing).

    >>> docs = pd.DataFrame({"doc_id": list("abcd"), "text": ["x"] * 4, "类别": ["体育", "体育", "财经", "财经"],
    ...                      "编号": ["1", "2", "3", "4"], "频道": ["一"] * 4})
    >>> group_column_candidates(docs)
    ['类别']
    """
    out = []
    for column in docs.columns:
        if column in _CORE_COLUMNS:
            continue
        sizes = group_values(docs[column]).value_counts()
        if 2 <= len(sizes) <= max_values and sizes.min() >= 2:
            out.append(str(column))
    return out


def other_group_columns(
    docs: pd.DataFrame, group_column: str | None = None, *, report: pd.DataFrame | None = None
) -> list[str]:
    """The :func:`group_column_candidates` of ``docs`` worth suggesting after a run that compared ``group_column``,
    each column named once, as the user passes it.

    The column compared is left out, with any column holding the same value in every document (a copy). A column
    that the loader read as a field of its own (``来源`` read as ``source``: the report's rows of rule ``metadata``,
    action ``read``, name it in their ``columns``) is named by the user's name, not by the loader's copy.

    >>> docs = pd.DataFrame({"source": ["甲", "甲", "乙", "乙"], "来源": ["甲", "甲", "乙", "乙"],
    ...                      "类别": ["体育", "财经", "体育", "财经"], "text": ["x"] * 4})
    >>> other_group_columns(docs, "来源")
    ['类别']
    >>> read = pd.DataFrame({"rule": ["metadata"], "action": ["read"], "columns": ['["来源"]']})
    >>> other_group_columns(docs, report=read)
    ['来源', '类别']
    """
    candidates = group_column_candidates(docs)
    values = {c: group_values(docs[c]).tolist() for c in candidates}
    copies = set()
    if group_column in docs.columns:
        used = group_values(docs[group_column]).tolist()
        copies = {c for c in candidates if values[c] == used}
    read_as = [c for c in _columns_read_as_fields(report) if c in values]
    copies |= {c for c in candidates if c not in read_as and any(values[c] == values[a] for a in read_as)}
    copies |= set(_columns_read_as_fields(report, field="date"))  # a 年份 column: its years are the periods
    return [c for c in candidates if c not in copies]


def _columns_read_as_fields(report: pd.DataFrame | None, *, field: str | None = None) -> list[str]:
    """The input columns the loader also read as its ``title``, ``date`` or ``source`` (its ``metadata`` rows), or
    as ``field`` only."""
    if report is None or not len(report):
        return []
    read = report[(report["rule"].astype(str) == "metadata") & (report["action"].astype(str) == "read")]
    if field is not None:
        details = read["detail"].astype(str) if "detail" in read else pd.Series("", index=read.index)
        read = read[details.str.endswith(f" read as the {field}")]
    return list(dict.fromkeys(c for cols in report_columns(read) for c in cols))


@dataclass
class Comparison:
    """What notebook 05 compares on a corpus, and why (see :func:`plan_comparison`).

    Attributes
    ----------
    kind : ``"period"``, ``"group"``, ``"document"`` or ``"none"``: what keyness compares.
    groups : the keyness group of each document (``None``: left out of keyness).
    periods : the period label of each document (``None``: no full date, or no time views).
    period : the period unit used for time views (``None`` when trends are not possible).
    trends : whether time views (term trends, change points, topic trends) are made.
    counts : documents by date status (``dated``, ``no year``, ``undated``), ``without_group`` and ``documents``.
    summary : plain sentences, computed from the counts, saying what is compared and why.
    noun : what one keyness group is (``"quarter"``, ``"value of `类别`"``, ``"document"``); ``""`` when keyness
        compares nothing.
    no_trends : why time views are not made (:func:`too_few_sentence`); ``""`` when they are.
    period_asked : the ``period`` the run was given (``"auto"`` or a fixed unit).
    fixed_units : the period units in which the dated documents fall in two periods or more (a fixed ``period``
        would make time views with them).
    """

    kind: str
    groups: pd.Series
    periods: pd.Series
    period: str | None
    trends: bool
    counts: dict = field(default_factory=dict)
    summary: str = ""
    noun: str = ""
    no_trends: str = ""
    period_asked: str = "auto"
    fixed_units: tuple = ()


def time_views_skipped(plan: Comparison, views: str) -> str:
    """A section's short line when ``plan`` makes no time views: section 1 (``plan.summary``) gives the reason once,
    and the sections of ``views`` refer back to it; ``""`` when time views are made.

    >>> plan = Comparison("none", pd.Series([None]), pd.Series([None]), None, False,
    ...                   no_trends="No document carries a full date, so time views are not made.")
    >>> time_views_skipped(plan, "change points")
    'No change points: time views are not made on this corpus (section 1 says why).'
    """
    return "" if plan.trends else f"No {views}: time views are not made on this corpus (section 1 says why)."


def group_sizes(plan: Comparison) -> tuple[pd.DataFrame, str]:
    """The documents in each keyness group of ``plan`` (one row a group) and a caption saying what a row is.

    A row is a period (``"Documents per month"``), a value of the group column (``"Documents per value of
    `类别`"``) or, when single documents are compared, one document; the table is empty when keyness compares
    nothing (``kind == "none"``).

    >>> plan = Comparison("document", pd.Series(["b", "a"]), pd.Series([None] * 2), None, False, noun="document")
    >>> sizes, caption = group_sizes(plan)
    >>> sizes.document.tolist(), caption
    (['a', 'b'], 'The 2 documents compared, each with all the others (one row a document)')
    """
    sizes = plan.groups.value_counts().sort_index().rename_axis(plan.kind).rename("documents").reset_index()
    if plan.kind == "document":
        caption = f"The {plural(len(sizes), 'document')} compared, each with all the others (one row a document)"
    else:
        caption = f"Documents per {plan.noun}" if plan.noun else ""
    return sizes, caption


def plan_comparison(
    docs: pd.DataFrame,
    *,
    period: str = "auto",
    group_column: str | None = None,
    date_column: str = "date",
    id_column: str = "doc_id",
    min_docs_per_period: int = 10,
    min_periods: int = 3,
    max_document_groups: int = 20,
) -> Comparison:
    """Decide what a corpus allows: time views by which period, and keyness between what.

    Three steps: count the documents by date status and place them in periods (:func:`choose_period` with
    ``"auto"``); say whether time views can be made; choose what keyness compares (:func:`_keyness_groups`).

    Parameters
    ----------
    docs : pandas.DataFrame
        The documents of :func:`helpers.corpus.load_corpus`.
    period : str
        ``"auto"`` (the finest of month/quarter/year with at least ``min_periods`` periods and a median of
        ``min_docs_per_period`` documents per period: see :func:`choose_period`), or ``"year"``, ``"quarter"``,
        ``"month"`` (used whenever the dated documents fall in at least two such periods).
    group_column : str, optional
        A metadata column (source, label, province …): keyness compares its values instead of periods.
    date_column, id_column : str
        The columns holding the date and the id of each document.
    min_docs_per_period, min_periods : int
        What ``"auto"`` asks of a period unit (:func:`choose_period`).
    max_document_groups : int
        With neither enough dates nor a group column, keyness compares each document with the others when the
        corpus has at most this many documents (otherwise it is not made).

    Returns
    -------
    Comparison

    >>> docs = pd.DataFrame({"doc_id": list("abc"), "date": ["2019-02-22", "--03-09", None], "text": ["x"] * 3})
    >>> plan = plan_comparison(docs)
    >>> plan.kind, plan.trends, plan.counts["no year"], plan.counts["undated"]
    ('document', False, 1, 1)
    """
    if period != "auto" and period not in _FREQ:
        raise ValueError(f"period must be 'auto', 'year', 'quarter' or 'month', not {period!r}")
    n = len(docs)
    no_labels = pd.Series([None] * n, index=docs.index, dtype=object)
    dates = docs[date_column] if date_column in docs.columns else no_labels
    status = date_status(dates)
    counts = {k: int((status == k).sum()) for k in DATE_STATUSES}
    counts["documents"] = n
    unit = choose_period(dates, min_docs=min_docs_per_period, min_periods=min_periods) if period == "auto" else period
    labels = period_labels(dates, period=unit) if unit else no_labels
    trends = unit is not None and labels.dropna().nunique() >= 2
    sentence = _dates_sentence(dates[status.isin(["dated", "year only"])], counts)
    no_trends = (
        ""
        if trends
        else too_few_sentence(
            "trends, change points and topics over time",
            dates,
            min_docs=min_docs_per_period,
            min_periods=min_periods,
            period=period,
        )
    )
    sentence += _time_views_sentence(labels, unit, counts) if trends else " " + no_trends
    groups, kind, said = _keyness_groups(
        docs,
        labels if trends else None,
        unit,
        group_column=group_column,
        id_column=id_column,
        max_document_groups=max_document_groups,
    )
    counts["without_group"] = int(groups.isna().sum())
    sentence += said
    periods = labels if trends else no_labels
    noun = {"group": f"value of `{group_column}`", "period": unit, "document": "document"}.get(kind, "")
    fixed = tuple(u for u in PERIODS if period_labels(dates, period=u).dropna().nunique() >= 2)
    chosen = unit if trends else None
    return Comparison(kind, groups, periods, chosen, trends, counts, sentence, noun, no_trends, period, fixed)


def _dates_sentence(placed: pd.Series, counts: dict) -> str:
    """How many documents carry a full date (and their span), give a year only (and theirs), give only month and
    day, or have none. ``placed``: the dates of the documents with a full date or a year."""
    placed = placed.map(_normalised)
    full = placed[placed.str.match(_FULL_DATE.pattern)] if len(placed) else placed
    years = placed[placed.str.match(_YEAR.pattern)] if len(placed) else placed

    def verb(n: int, one: str, many: str) -> str:
        return one if n == 1 else many

    dated, n_years = counts["dated"], counts.get("year only", 0)
    if dated > 1 and full.nunique() == 1:  # one date: no span "from X to X"
        who = f"All {dated:,}" if dated == counts["documents"] else f"{dated:,} of {counts['documents']:,}"
        parts = [f"{who} documents share one date ({full.iloc[0]})"]
    elif dated or not n_years:
        span = f" from {full.min()} to {full.max()}" if dated > 1 else f" ({full.iloc[0]})" if dated else ""
        whole = plural(counts["documents"], "document")
        parts = [f"{dated:,} of {whole} {verb(dated, 'carries', 'carry')} a full date{span}"]
    else:
        parts = []
    if n_years:
        span = f"{years.min()} to {years.max()}" if years.nunique() > 1 else years.iloc[0]
        who = (
            f"All {n_years:,}"
            if n_years == counts["documents"]
            else f"{n_years:,} of {counts['documents']:,}"
            if not parts
            else f"{n_years:,}"
        )
        parts.append(
            f"{who} {verb(n_years, 'gives', 'give')} a year only ({span}): placed in years, never in quarters or "
            "months, which need full dates"
        )
    if counts["no year"]:
        n = counts["no year"]
        parts.append(f"{n:,} {verb(n, 'gives', 'give')} only month and day (no year is guessed for them)")
    if counts["undated"]:
        n = counts["undated"]
        parts.append(f"{n:,} {verb(n, 'has', 'have')} no date")
    return "; ".join(parts) + "."


def too_few_sentence(
    views: str, dates: Iterable[object] = (), *, min_docs: int = 10, min_periods: int = 3, period: str = "auto"
) -> str:
    """Why time views (``views``) are not made on documents with these ``dates``: no full date, too few periods
    (with ``"auto"``: fewer than ``min_periods`` months, hence at every coarser unit too; with a fixed ``period``:
    one period of it), or too few documents per period (:func:`choose_period`).

    >>> too_few_sentence("keywords over time", ["2019-06-15"] * 30)
    'The dated documents fall in one month (and so in one quarter and one year): one period, too few for time views (they need at least 3 periods), so keywords over time are not made.'
    >>> too_few_sentence("trends", ["2017-01-05", "2018-06-01", "2019-03-01"])[:84]
    'The dated documents are too few for time views (they need at least 3 periods with a '
    """
    dates = list(dates)
    unit, need = ("month", min_periods) if period == "auto" else (period, 2)
    if period == "auto" and not period_labels(dates, period=unit).notna().any():
        unit = "year"  # years alone (a 年份 column): the finest unit they allow
    span = len(period_range(period_labels(dates, period=unit), period=unit))
    if span == 0:
        return f"No document carries a full date, so {views} are not made."
    if span < need:
        coarser = {"month": " (and so in one quarter and one year)", "quarter": " (and so in one year)"}
        where = f"one {unit}{coarser.get(unit, '') if period == 'auto' else ''}: one period" if span == 1 else ""
        where = where or f"only {span} {unit}s, and no more periods at any coarser unit"
        return (
            f"The dated documents fall in {where}, too few for time views (they need at least {need} periods), "
            f"so {views} are not made."
        )
    return (
        f"The dated documents are too few for time views (they need at least {min_periods} periods with a median "
        f"of {min_docs} documents each), so {views} are not made."
    )


def dates_sentence(dates: Iterable[object], *, view: str = "the time view") -> str:
    """How many documents carry a full date, and how many a time view (``view``) therefore leaves out.

    Any view that places documents in periods (keyness over time here, keywords over time in notebook 02) says
    it with this sentence, so that a chart of 6 periods never hides the 9 documents it could not place.

    When too few documents are dated for any period (:func:`choose_period`, the rule of notebook 05's time views),
    it says that the view is not made.

    >>> dates_sentence(["2018-01-03"] * 10 + ["2019-02-05"] * 10 + ["2020-03-01"] * 10 + [None], view="the chart")
    '30 of 31 documents carry a full date from 2018-01-03 to 2020-03-01; 1 has no date. 1 is left out of the chart.'
    >>> dates_sentence(["2018-01-03", "2018-02-05", None, "--03-05"], view="keywords over time").split(", ")[-2]
    'too few for time views (they need at least 3 periods)'
    >>> dates_sentence(["2016"] * 10 + ["2017"] * 10 + ["2018"] * 10 + [None]).split(". ")[-1]
    '1 is left out of the time view.'
    """
    dates = pd.Series(list(dates), dtype=object)
    status = date_status(dates)
    counts = {k: int((status == k).sum()) for k in DATE_STATUSES}
    counts["documents"] = len(dates)
    unit = choose_period(dates)
    left = int(period_labels(dates, period=unit).isna().sum()) if unit else len(dates)
    out = f"{left:,} {'is' if left == 1 else 'are'} left out of {view}." if left else f"None is left out of {view}."
    if unit is None:  # the rule of notebook 05's time views: no view is made
        out = too_few_sentence(view, dates)
    return f"{_dates_sentence(dates[status.isin(['dated', 'year only'])], counts)} {out}"


#: time views are not suggested (``-p period year``) when fewer than this share of the documents carry a full date
#: or a year: a trend of under one document in ten speaks for the dated few, not for the corpus (a judgement, as
#: review R10a's 2 dated abstracts of 1,000 showed: the advice to force periods on them was worth nothing)
MIN_DATED_SHARE = 0.1


def period_advice(plan: Comparison) -> str:
    """What to try with ``period`` on a rerun, given what this run used (``plan``): the other period units when
    time views were made; when ``auto`` made none, the fixed units in which the dated documents fall in two
    periods or more, unless fewer than :data:`MIN_DATED_SHARE` of the documents are dated (then why not);
    ``""`` when no fixed unit would change anything (no dates, one period at every unit) or ``period`` was
    already fixed.

    >>> plan = Comparison("period", pd.Series(["2016-01"]), pd.Series(["2016-01"]), "month", True)
    >>> period_advice(plan)
    'Time views used months here: `-p period quarter` gives coarser periods with more documents each.'
    """
    if plan.trends:
        i = PERIODS.index(plan.period)
        finer = PERIODS[i - 1] if i and PERIODS[i - 1] in plan.fixed_units else None  # years alone have none
        options = [f"`-p period {finer}` gives finer periods with fewer documents each"] if finer else []
        if i + 1 < len(PERIODS):
            options.append(f"`-p period {PERIODS[i + 1]}` gives coarser periods with more documents each")
        if i and not finer:
            lack = (
                "which no document carries"
                if not plan.counts.get("dated", 0)
                else f"and the full dates fall in one {PERIODS[i - 1]}"
            )
            options.append(f"{PERIODS[i - 1]}s need full dates, {lack}")
        return f"Time views used {plan.period}s here: {'; '.join(options)}."
    units = [u for u in reversed(PERIODS) if u in plan.fixed_units]  # coarsest first: most documents per period
    if plan.period_asked != "auto" or not units:
        return ""
    placed, n = plan.counts.get("dated", 0) + plan.counts.get("year only", 0), plan.counts.get("documents", 0)
    share = f"{placed:,} of {n:,} documents ({placed / n:.1%})" if n else f"{placed:,} documents"
    if n and placed / n < MIN_DATED_SHARE:
        return (
            f"Time views were not made, and forcing them with `-p period {units[0]}` is not worth it: only {share} "
            f"are dated, under the {MIN_DATED_SHARE:.0%} below which a trend speaks for the dated few, not for the "
            "corpus."
        )
    others = f" (or {', '.join(f'`{u}`' for u in units[1:])})" if len(units) > 1 else ""
    return (
        f"Time views were not made: `-p period {units[0]}`{others} makes them on the {share} that are dated, "
        "however few fall in each period; read their intervals."
    )


def _time_views_sentence(labels: pd.Series, unit: str, counts: dict) -> str:
    """The periods the time views use: how many, their span, documents per period."""
    per = labels.value_counts().reindex(period_range(labels, period=unit), fill_value=0)
    sentence = (
        f" Time views use {plural(len(per), unit)} ({per.index[0]} to {per.index[-1]}; median "
        f"{per.median():g} documents per {unit}, fewest {per.min()})."
    )
    years = counts.get("year only", 0)
    if unit != "year" and years:
        sentence += (
            f" The {plural(years, 'document')} with a year only {'is' if years == 1 else 'are'} left out of "
            f"{unit}ly views (`-p period year` places {'it' if years == 1 else 'them'})."
        )
    if counts["no year"] + counts["undated"]:
        what = "a full date or a year" if unit == "year" and years else "a full date"
        sentence += f" Documents without {what} are left out of every time view."
    return sentence


def _keyness_groups(
    docs: pd.DataFrame,
    periods: pd.Series | None,
    unit: str | None,
    *,
    group_column: str | None,
    id_column: str,
    max_document_groups: int,
) -> tuple[pd.Series, str, str]:
    """What keyness compares, in order of preference: the values of ``group_column``; the periods (when time
    views are made, ``periods`` is not ``None``); each document (a small corpus); nothing.

    Returns ``(groups, kind, sentence)``: the group of each document (``None``: left out), the
    :attr:`Comparison.kind` and the sentence saying so.
    """
    n = len(docs)
    if group_column:
        if group_column not in docs.columns:
            raise KeyError(f"group_column {group_column!r} is not a column of the corpus; it has {list(docs.columns)}")
        groups = group_values(docs[group_column])
        missing = int(groups.isna().sum())
        left_out = f"; {missing:,} documents without a value are left out of it." if missing else "."
        what = f"the {groups.dropna().nunique():,} values of `{group_column}`"
        said = _against(groups, each=f"{what}, each", both=what, one="value")
        return groups, "group", f" Keyness compares {said}" + left_out
    if periods is not None:
        said = _against(periods, each=f"each {unit}", both=f"the 2 {unit}s", one=unit)
        return periods.copy(), "period", f" Keyness compares {said}."
    if n <= max_document_groups:
        groups = pd.Series(docs[id_column].astype(str).to_numpy(), index=docs.index, dtype=object)
        return groups, "document", " Keyness compares each document with the others instead."
    return (
        pd.Series([None] * n, index=docs.index, dtype=object),
        "none",
        " Keyness needs periods or a `group_column` (e.g. a source or label column); it is not made.",
    )


def _against(groups: pd.Series, *, each: str, both: str, one: str) -> str:
    """What keyness compares and against what: ``each`` against all the others, or, with two groups, ``both``
    with each other (each term tested once, :func:`keyness`, under the ``one`` whose documents use it more).

    >>> _against(pd.Series(["a", "b", None]), each="each year", both="the 2 years", one="year")
    'the 2 years with each other (each term tested once, under the year whose documents use it more)'
    >>> _against(pd.Series(["a", "b", "c"]), each="each year", both="the 3 years", one="year")
    'each year with all the others'
    """
    if groups.dropna().nunique() == 2:
        return f"{both} with each other (each term tested once, under the {one} whose documents use it more)"
    return f"{each} with all the others"


# -- composition of the periods ----------------------------------------------------------------------------------------
#: Cramér's V (bias-corrected, :func:`cramers_v`) of period × value at or above which the make-up of the periods is
#: said to change: Cohen's (1988) "medium" association (w = 0.3). With two values in two equal periods it means one
#: value's share moving from 35 % to 65 %, so a term only that value uses would nearly double its rate (×1.86) from
#: the change of make-up alone, which is the size of change a trend or a change point is read for.
COMPOSITION_V = 0.3
#: at or above this share of a period's documents one value "fills" it (said "only X" at 100 %, "mostly X" above half)
MOSTLY = 0.5
#: periods grouped by what fills them that the sentence names one by one; more are summed up (composition.csv has all)
MAX_COMPOSITION_RUNS = 6
COMPOSITION_COLUMNS = ["column", "period", "value", "documents", "share", "cramers_v"]


def cramers_v(table: pd.DataFrame | np.ndarray) -> float:
    """Bias-corrected Cramér's V of a contingency table (rows: periods, columns: values), from 0 (every period has
    the same mix) to 1 (each period holds one value only).

    The plain V of small periods is large by chance (twelve periods of ten documents and three values drawn at
    random give about 0.3); Bergsma's correction takes the chance part out, so a mix that does not change reads
    near 0 however few documents a period has. Empty rows and columns are dropped; fewer than two of either: 0.

    References
    ----------
    Cramér, H. (1946). *Mathematical Methods of Statistics*. Princeton University Press.

    Bergsma, W. (2013). A bias-correction for Cramér's V and Tschuprow's T. *Journal of the Korean Statistical
    Society* 42(3), 323–328.

    >>> cramers_v(np.array([[30, 0], [0, 30]])) > 0.95, cramers_v(np.array([[15, 15], [15, 15]]))
    (True, 0.0)
    """
    m = np.asarray(table, dtype=float)
    m = m[m.sum(axis=1) > 0][:, m.sum(axis=0) > 0] if m.size else m
    if m.ndim != 2 or min(m.shape) < 2:
        return 0.0
    n = m.sum()
    expected = np.outer(m.sum(axis=1), m.sum(axis=0)) / n
    phi2 = float(((m - expected) ** 2 / expected).sum() / n)
    r, k = m.shape
    phi2 = max(0.0, phi2 - (k - 1) * (r - 1) / (n - 1))
    r_c, k_c = r - (r - 1) ** 2 / (n - 1), k - (k - 1) ** 2 / (n - 1)
    denom = min(k_c - 1, r_c - 1)
    return float(np.sqrt(phi2 / denom)) if denom > 0 else 0.0


@dataclass
class Composition:
    """How the values of one metadata column spread over the periods of the time views (:func:`composition_check`).

    Attributes
    ----------
    column : the column, named as the user passes it.
    counts : documents per period (rows, every period of the span) and value (columns).
    v : bias-corrected Cramér's V of ``counts`` (:func:`cramers_v`).
    without_value : documents placed in a period that have no value in the column (left out of ``counts``).
    """

    column: str
    counts: pd.DataFrame
    v: float
    without_value: int = 0
    #: the column's other values and their documents, when every document placed in a period has one value
    #: (the time views then describe that value only: reviewer M2's quarters held only 电视新闻)
    outside: dict[str, int] = field(default_factory=dict)

    @property
    def changes(self) -> bool:
        """Whether the make-up changes enough to say so (:data:`COMPOSITION_V`)."""
        return self.v >= COMPOSITION_V

    def table(self) -> pd.DataFrame:
        """One row per period and value with a document: :data:`COMPOSITION_COLUMNS`."""
        long = self.counts.rename_axis(index="period", columns="value").stack().rename("documents").reset_index()
        totals = long.groupby("period")["documents"].transform("sum")
        long = long[long.documents > 0].assign(share=lambda t: t.documents / totals[t.index])
        return long.assign(column=self.column, cramers_v=self.v)[COMPOSITION_COLUMNS].reset_index(drop=True)


#: a value that names a time (2016, 2016年, 2016-03, 2016年3月, 2016Q1): a column of such values is time itself
_TIME_VALUE = re.compile(r"(?:19|20)\d\d(?:年|[-/.]\d{1,2}月?|年\d{1,2}月|Q[1-4])?")


#: a column whose values name a year or a month for more than this share of its documents files them by time
TIME_VALUES_SHARE = 0.5


def names_times(values: Iterable[object]) -> bool:
    """Whether a column files documents by time: the values of most of its documents name a year or a month
    (subfolders 2016/, 2017/, 2016年3月; reviewer P's folder corpus had 2016/ … 2019/ and one PDF/ subfolder, a
    third of its files): such a column is time, not a source, a category or a label.

    >>> names_times(["2016", "2017年", None, ""]), names_times(["2016", "2016", "PDF"]), names_times(["2016", "体育"])
    (True, True, False)
    """
    found = group_values(values).dropna()
    return bool(len(found)) and float(found.map(lambda v: bool(_TIME_VALUE.fullmatch(v))).mean()) > TIME_VALUES_SHARE


def composition_check(
    docs: pd.DataFrame, periods: pd.Series, columns: Sequence[str], *, period: str
) -> list[Composition]:
    """For each of ``columns`` (a source, a genre, a section …), how unevenly its values spread over the periods.

    A trend compares periods; when one source fills some periods and another the rest, every term one source uses
    more rises and falls with its share, and keyness between periods finds the sources' words. Pass the columns
    :func:`other_group_columns` names (without ``group_column``: the column compared is checked too, since the time
    views still follow periods).

    Parameters
    ----------
    docs : pandas.DataFrame
        The documents.
    periods : pandas.Series
        The period of each document (:attr:`Comparison.periods`; ``None``: outside the time views).
    columns : sequence of str
        The metadata columns to check.
    period : str
        The period unit (every period of the span is a row of the counts).

    Returns
    -------
    list of Composition
        One per column with at least two values among the documents placed in periods, or with one value there
        and others only outside the time views (:attr:`Composition.outside`), in the order given.

    >>> docs = pd.DataFrame({"来源": ["期刊"] * 4 + ["电视"] * 4})
    >>> [c.changes for c in composition_check(docs, pd.Series(["2015"] * 4 + ["2016"] * 4), ["来源"], period="year")]
    [True]
    >>> by_year = pd.DataFrame({"folder": ["2015"] * 4 + ["2016"] * 4})  # files filed in one subfolder per year
    >>> composition_check(by_year, pd.Series(["2015"] * 4 + ["2016"] * 4), ["folder"], period="year")
    []
    >>> only = composition_check(docs, pd.Series([None] * 4 + ["2016"] * 4), ["来源"], period="year")
    >>> print(composition_sentence(only, unit="year"))
    All 4 documents placed in years have the value 电视 of `来源`: the time views describe 电视 only, and the documents of its other values (期刊 4) are in none of them.
    """
    placed = periods.notna().to_numpy()
    span = period_range(periods[placed], period=period)
    out = []
    for column in columns:
        every = group_values(docs[column].tolist())
        if names_times(every):
            continue  # years or months as values (subfolders 2016/, 2017/): time itself, not a source
        values = every[placed].reset_index(drop=True)
        labels = periods[placed].astype(str).reset_index(drop=True)
        has = values.notna()
        if values[has].nunique() < 2 and (values[has].nunique() < 1 or every.nunique() < 2):
            continue  # no value, or one value in the whole corpus: nothing to say
        counts = pd.crosstab(labels[has], values[has]).reindex(span, fill_value=0)
        counts.columns = counts.columns.astype(str)
        outside = {}
        if values[has].nunique() == 1:  # the time views hold one value: the others are outside them
            rest = every[~placed & every.notna().to_numpy()].value_counts()
            outside = {str(v): int(n) for v, n in zip(rest.index, rest.to_numpy())}
        out.append(Composition(str(column), counts, cramers_v(counts.to_numpy()), int((~has).sum()), outside))
    return out


def composition_table(checks: Sequence[Composition]) -> pd.DataFrame:
    """Every check of :func:`composition_check` as one long table (:data:`COMPOSITION_COLUMNS`)."""
    frames = [c.table() for c in checks]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COMPOSITION_COLUMNS)


def _spans(periods: Sequence[str], span: Sequence[str]) -> str:
    """``["2010", "2011", "2012", "2020"]`` -> ``"2010–2012 and 2020"``: runs of consecutive periods of ``span``."""
    at = {p: i for i, p in enumerate(span)}
    runs: list[list[str]] = []
    for p in sorted(periods, key=at.__getitem__):
        if runs and at[p] == at[runs[-1][-1]] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    said = [r[0] if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs]
    return said[0] if len(said) == 1 else f"{', '.join(said[:-1])} and {said[-1]}"


def _make_up(check: Composition, *, unit: str) -> str:
    """Which periods hold which value: ``"2010–2015 and 2020 hold only 期刊; 2016–2019 mostly 电视 (71–86 %)"``."""
    counts = check.counts[check.counts.sum(axis=1) > 0]
    shares = counts.div(counts.sum(axis=1), axis=0)
    top, top_share = shares.idxmax(axis=1), shares.max(axis=1)
    kind = np.where(top_share >= 1, "only", np.where(top_share > MOSTLY, "mostly", "mixed"))
    described = pd.DataFrame({"top": np.where(kind == "mixed", "", top), "kind": kind, "share": top_share})
    span = list(check.counts.index)
    groups = list(described.groupby(["kind", "top"], sort=False))
    groups.sort(key=lambda g: span.index(g[1].index[0]))
    parts = []
    for (how, value), rows in groups[:MAX_COMPOSITION_RUNS]:
        where = _spans(list(rows.index), span)
        verb = "holds" if len(rows) == 1 else "hold"
        low, high = rows.share.min(), rows.share.max()
        pct = f"{high:.0%}" if round(low, 2) == round(high, 2) else f"{low * 100:.0f}–{high:.0%}"
        parts.append(
            f"{where} {verb} only {value}"
            if how == "only"
            else f"{where} {verb} mostly {value} ({pct})"
            if how == "mostly"
            else f"{where} {verb} a mix (no value holds more than half)"
        )
    rest = sum(len(rows) for _, rows in groups[MAX_COMPOSITION_RUNS:])
    if rest:
        parts.append(f"{plural(rest, unit)} more (`composition.csv` lists every one)")
    return "; ".join(parts)


def composition_sentence(checks: Sequence[Composition], *, unit: str, group_column: str | None = None) -> str:
    """What the composition check found, for section 1 of notebook 05 and its Summary: for each column whose
    make-up changes (:attr:`Composition.changes`), which periods hold which values, that trends may show the change
    of that column rather than of the discourse, and what to do; for the others, that their mix stays even.
    ``""`` when no column was checked.

    >>> c = Composition("来源", pd.DataFrame({"期刊": [10, 10, 0], "电视": [0, 2, 20]}, index=["2015", "2016", "2017"]), 0.9)
    >>> print(composition_sentence([c], unit="year"))  # doctest: +NORMALIZE_WHITESPACE
    The make-up of the years changes with `来源` (Cramér's V 0.90 of year × value, on 42 documents;
    flagged from 0.3): 2015 holds only 期刊; 2016 holds mostly 期刊 (83%); 2017 holds only 电视. Terms and topics that
    one value of `来源` uses more than the others rise and fall with its share, so the trends, change points and
    keyness between years may show the change of `来源` rather than of the discourse: compare the values instead (`-p
    group_column 来源`), or run on one value of `来源` at a time (a corpus filtered to it).
    """
    said = []
    for c in checks:
        n = int(c.counts.to_numpy().sum())
        if c.outside:
            value = str(c.counts.columns[0])
            others = ", ".join(f"{v} {k:,}" for v, k in c.outside.items())
            said.append(
                f"All {plural(n, 'document')} placed in {unit}s have the value {value} of `{c.column}`: the time "
                f"views describe {value} only, and the documents of its other values ({others}) are in none of them."
            )
            continue
        without = f"; {plural(c.without_value, 'document')} without a value left out" if c.without_value else ""
        figure = f"Cramér's V {c.v:.2f} of {unit} × value, on {plural(n, 'document')}{without}"
        if not c.changes:
            said.append(
                f"The mix of `{c.column}` stays about the same over the {unit}s ({figure}; under {COMPOSITION_V:g}), "
                "so it does not drive the trends."
            )
            continue
        fix = (
            f"keyness here compares the values of `{c.column}`, but the trends and change points follow {unit}s: run "
            f"on one value of `{c.column}` at a time (a corpus filtered to it)"
            if group_column == c.column
            else f"compare the values instead (`-p group_column {c.column}`), or run on one value of `{c.column}` at "
            "a time (a corpus filtered to it)"
        )
        views = (
            f"trends, change points and keyness between {unit}s" if group_column is None else "trends and change points"
        )
        said.append(
            f"The make-up of the {unit}s changes with `{c.column}` ({figure}; flagged from {COMPOSITION_V:g}): "
            f"{_make_up(c, unit=unit)}. Terms and topics that one value of `{c.column}` uses more than the others "
            f"rise and fall with its share, so the {views} may show the change of `{c.column}` rather than of "
            f"the discourse: {fix}."
        )
    return " ".join(said)


def composition_skipped(checked: Sequence[str], *, trends: bool, lists: Sequence[str] = ()) -> str:
    """Why 05 made no composition check (:func:`composition_check` found nothing to say): no time views, no metadata
    column to compare, or columns whose values name times (subfolders 2016/, 2017/) or that give no value to the
    documents placed in periods.

    >>> composition_skipped(["folder"], trends=True)
    'No composition check: `folder` names times (years or months) or gives no value to the documents placed in periods: no mix of sources over the periods to check.'
    >>> composition_skipped([], trends=True, lists=["labels"])
    'No composition check: the corpus has no metadata column of one value per document to compare (`labels` holds a list of labels per document, which 03 and 04 compare through the one label of the documents that have exactly one; 05 does not).'
    """
    if not trends:
        why = "there are no time views (see above)"
    elif not checked and lists:
        listed = ", ".join(f"`{c}`" for c in lists)
        why = (
            f"the corpus has no metadata column of one value per document to compare ({listed} "
            f"{'holds' if len(lists) == 1 else 'hold'} a list of labels per document, which 03 and 04 compare through "
            "the one label of the documents that have exactly one; 05 does not)"
        )
    elif not checked:
        why = "the corpus has no metadata column to compare (see *What's next*)"
    else:
        listed = ", ".join(f"`{c}`" for c in checked)
        why = (
            f"{listed} {'names' if len(checked) == 1 else 'name'} times (years or months) or {'gives' if len(checked) == 1 else 'give'} no "
            "value to the documents placed in periods: no mix of sources over the periods to check"
        )
    return f"No composition check: {why}."


def composition_caveat(checks: Sequence[Composition], what: str, *, unit: str) -> str:
    """A section's short warning that ``what`` (``"these key terms"``) may follow a change of make-up that
    :func:`composition_sentence` describes in section 1; ``""`` when no column's make-up changes.

    >>> c = Composition("来源", pd.DataFrame({"期刊": [10, 0], "电视": [0, 10]}, index=["2015", "2016"]), 0.9)
    >>> composition_caveat([c], "these curves", unit="year")
    "Read with care: the make-up of the years changes with `来源` (Cramér's V 0.90; section 1 says which years hold which values), so these curves may show the change of `来源` rather than of the discourse."
    """
    changed = [c for c in checks if c.changes]
    if not changed:
        return ""
    cols = " and ".join(f"`{c.column}`" for c in changed)
    vs = ", ".join(f"{c.v:.2f}" for c in changed)
    return (
        f"Read with care: the make-up of the {unit}s changes with {cols} (Cramér's V {vs}; section 1 says which "
        f"{unit}s hold which values), so {what} may show the change of {cols} rather than of the discourse."
    )


# -- statistics --------------------------------------------------------------------------------------------------------
def g2_2x2(a, b, c, d) -> np.ndarray:
    """Signed log-likelihood G² of 2×2 tables ``[[a, b], [c, d]]`` (vectorised; one degree of freedom).

    Rows are the two sides compared (in the group, the rest), columns "with" and "without" the term. The sign is
    positive when the share ``a / (a + b)`` exceeds ``c / (c + d)`` (over-represented in the group).

    References
    ----------
    Dunning, T. (1993). Accurate methods for the statistics of surprise and coincidence. *Computational
    Linguistics* 19(1), 61–74.

    >>> round(float(g2_2x2(10, 90, 2, 98)), 4)
    6.1626
    >>> float(g2_2x2(5, 5, 5, 5))
    0.0
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    n = a + b + c + d
    r1, r2, c1, c2 = a + b, c + d, a + c, b + d
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = [r1 * c1 / n, r1 * c2 / n, r2 * c1 / n, r2 * c2 / n]
        g = 2 * sum(np.where(e > 0, xlogy(o, np.where(e > 0, o / e, 1)), 0.0) for o, e in zip((a, b, c, d), expected))
        share_in = np.where(r1 > 0, a / np.where(r1 > 0, r1, 1), 0)
        share_out = np.where(r2 > 0, c / np.where(r2 > 0, r2, 1), 0)
    g = np.maximum(g, 0.0)
    return np.where(share_in >= share_out, g, -g)


LOG_RATIO_FLOOR = 0.5  # occurrences: Hardie's (2014) 0.5 in place of a zero frequency


def log_ratio(count_in, total_in, count_out, total_out, *, floor: float = LOG_RATIO_FLOOR) -> np.ndarray:
    """Binary log of the ratio of relative frequencies (Hardie's Log Ratio), a zero count read as half an occurrence.

    +1 means twice as frequent in the group as in the rest, -1 half as frequent. A term absent from one side
    would give an infinite ratio, so Hardie (2014) puts ``floor`` (0.5) in place of a zero count **of that side**:
    the rate of a term the side lacks is at most about half an occurrence in its tokens, and the ratio is as large
    as that side's size can show (absent from 40 headlines of 400 tokens, against 70 in 15,000: -1.9, where a
    floor spread over both sides gave -7.3, a size no sample of 400 tokens can measure). When half an occurrence
    on a small side is a higher rate than the other side's (0.5 in 100 tokens against 3 in 100,000), that side is
    too small to show the term is rarer there: the log ratio is 0, never of the wrong sign. So its sign is that of
    ``rate_in - rate_out`` or 0, and 0 for a term absent from both sides.

    References
    ----------
    Hardie, A. (2014). Log Ratio: an informal introduction. ESRC Centre for Corpus Approaches to Social Science
    (CASS), Lancaster University.

    >>> float(log_ratio(200, 10_000, 100, 10_000))
    1.0
    >>> round(float(log_ratio(0, 400, 70, 15_000)), 1)  # absent from a small group: as rare as 400 tokens can show
    -1.9
    >>> float(log_ratio(0, 100, 3, 100_000))  # absent from a tiny group: too few tokens to call it rarer there
    0.0
    """
    ci, ti, co, to = (np.asarray(x, dtype=float) for x in (count_in, total_in, count_out, total_out))
    rate_in = np.where(ci > 0, ci, floor) / ti
    rate_out = np.where(co > 0, co, floor) / to
    ratio = np.log2(rate_in / rate_out)
    unknown = ((ci == 0) & (ratio > 0)) | ((co == 0) & (ratio < 0)) | ((ci == 0) & (co == 0))
    return np.where(unknown, 0.0, ratio)


def benjamini_hochberg(p: Sequence[float] | np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (false discovery rate), in the order given.

    ``p_adj[i] = min over j with p[j] >= p[i] of m * p[j] / rank(j)``, capped at 1; rejecting ``p_adj <= alpha``
    keeps the expected share of false discoveries at most ``alpha``.

    References
    ----------
    Benjamini, Y. and Hochberg, Y. (1995). Controlling the false discovery rate: a practical and powerful approach
    to multiple testing. *Journal of the Royal Statistical Society B* 57(1), 289–300.

    >>> benjamini_hochberg([0.01, 0.04, 0.03, 0.5]).round(4).tolist()
    [0.04, 0.0533, 0.0533, 0.5]
    """
    p = np.asarray(p, dtype=float)
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(scaled[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(adjusted, 1.0)
    return out


#: the shortest term that keyness tests and that is traced automatically: a single character (议 of 会议, 古 of 古沙)
#: is a morpheme of other words more often than a word itself, so a headline corpus would make 议, 国, 重 "key terms"
MIN_TERM_CHARS = 2
_TERM_RULE = f"terms of {MIN_TERM_CHARS} characters or more, as a single character is mostly part of other words"


def _doc_term_matrix(tokens: Sequence[Sequence[str]]) -> tuple[sparse.csr_matrix, list[str]]:
    vocab: dict[str, int] = {}
    indptr, indices = [0], []
    for toks in tokens:
        for t in toks:
            indices.append(vocab.setdefault(t, len(vocab)))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.int64)
    X = sparse.csr_matrix((data, np.array(indices, dtype=np.int64), np.array(indptr)), shape=(len(tokens), len(vocab)))
    X.sum_duplicates()
    terms = [""] * len(vocab)
    for t, i in vocab.items():
        terms[i] = t
    return X, terms


def keyness(
    tokens: Sequence[Sequence[str]],
    groups: Sequence[object] | pd.Series,
    *,
    level: str = "document",
    min_docs: int = 3,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Key terms of each group (a period, a source …) against all the other documents.

    For every group and every term of at least :data:`MIN_TERM_CHARS` characters (the rule of the traced terms,
    :func:`traceable`) used in at least ``min_docs`` of the compared documents: occurrences in the
    group and in the rest (``count_in``, ``count_out``), rates per 10,000 tokens, Hardie's log ratio of those
    rates (effect size, :func:`log_ratio`), and a signed log-likelihood G² (:func:`g2_2x2`, Dunning 1993).

    The test is made at the level of **documents** by default (``level="document"``): G² on the 2×2 table of
    documents in the group / in the rest that use the term or not (``docs_in`` of ``n_docs_in`` against
    ``docs_out`` of ``n_docs_out``), so that a term repeated many times in one story counts once. ``level="token"``
    tests raw token counts instead (the textbook keyness test, which treats every occurrence as independent and
    flags hundreds of terms even when dates are shuffled; kept for the honesty check). p-values are from the χ²
    distribution with one degree of freedom and corrected with Benjamini–Hochberg (:func:`benjamini_hochberg`)
    over **all** tests of the table (every group × term), and ``significant`` is ``p_adj <= alpha``. With two
    groups, one group against the rest is the other against the rest with the sign reversed, so each term is
    tested once and listed under the group whose documents use it more (every G² >= 0; ties under the first):
    the table has one row, and the correction one test, per term.

    Steps: keep the documents with a group; count terms per document (:func:`_doc_term_matrix`) and keep those
    used in ``min_docs`` documents; one table per group against the rest (:func:`_group_keyness`); correct the
    p-values of all of them together and sort (:func:`_adjust_and_sort`).

    Parameters
    ----------
    tokens : sequence of token lists
        The tokens of each document (the project's tokenizer keeps policy phrases such as 脱贫攻坚 whole).
    groups : sequence or Series
        The group of each document; ``None``/NaN leaves the document out of the comparison entirely.
    level : str
        ``"document"`` or ``"token"``: what the G² test counts.
    min_docs : int
        Test only terms used in at least this many of the compared documents.
    alpha : float
        False discovery rate for ``significant``.

    Returns
    -------
    pandas.DataFrame
        :data:`KEYNESS_COLUMNS`, sorted by group, then significant first, then G² (descending).

    References
    ----------
    Dunning, T. (1993). Accurate methods for the statistics of surprise and coincidence. *Computational
    Linguistics* 19(1), 61–74.

    Hardie, A. (2014). Log Ratio: an informal introduction. ESRC Centre for Corpus Approaches to Social Science
    (CASS), Lancaster University.

    Benjamini, Y. and Hochberg, Y. (1995). Controlling the false discovery rate: a practical and powerful approach
    to multiple testing. *Journal of the Royal Statistical Society B* 57(1), 289–300.

    >>> toks = [["乡村振兴", "战略"], ["乡村振兴", "农村"], ["脱贫攻坚", "战略"], ["脱贫攻坚", "农村"]]
    >>> k = keyness(toks, ["2018", "2018", "2016", "2016"], min_docs=2)
    >>> k[k.group == "2018"].head(1)[["term", "docs_in", "docs_out", "count_in", "count_out"]].to_dict("records")
    [{'term': '乡村振兴', 'docs_in': 2, 'docs_out': 0, 'count_in': 2, 'count_out': 0}]
    """
    if level not in ("document", "token"):
        raise ValueError(f"level must be 'document' or 'token', not {level!r}")
    groups = group_values(list(groups) if not isinstance(groups, pd.Series) else groups.tolist())
    if len(groups) != len(tokens):
        raise ValueError(f"keyness: {len(tokens)} token lists but {len(groups)} group labels")
    keep = groups.notna().to_numpy()
    labels = groups[keep].astype(str).to_numpy()
    kept_tokens = [t for t, k in zip(tokens, keep) if k]
    X, terms = _doc_term_matrix(kept_tokens)
    if X.shape[0] == 0 or len(set(labels)) < 2:
        return pd.DataFrame(columns=KEYNESS_COLUMNS)
    present = (X > 0).astype(np.int64)
    worth = set(traceable(terms))  # no single characters; a set: np.isin on object arrays compared every pair
    words = np.array([t in worth for t in terms], dtype=bool)
    cols = np.flatnonzero((np.asarray(present.sum(axis=0)).ravel() >= min_docs) & words)
    counts = _TermCounts(
        X=X[:, cols].tocsc().tocsr(),
        present=present[:, cols],
        terms=np.array(terms, dtype=object)[cols],
        doc_len=np.array([len(t) for t in kept_tokens], dtype=float),
    )
    frames = [_group_keyness(counts, g, labels == g, level=level) for g in sorted(set(labels))]
    if len(frames) == 2:  # the second group against the rest mirrors the first: one test per term
        frames = _one_side_each(*frames)
    return _adjust_and_sort(pd.concat(frames, ignore_index=True), alpha=alpha)


def _one_side_each(first: pd.DataFrame, second: pd.DataFrame) -> list[pd.DataFrame]:
    """Two groups: each term's row under the group that uses it more (the first on a tie), so that the table holds
    one test per term and every G² is >= 0 (the other group's row is the same test with the sign reversed)."""
    over = first["g2"].to_numpy() >= 0
    return [first[over], second[~over]]


@dataclass
class _TermCounts:
    """The compared documents × the tested terms: occurrences ``X``, use (0/1) ``present``, tokens per document."""

    X: sparse.csr_matrix
    present: sparse.csr_matrix
    terms: np.ndarray
    doc_len: np.ndarray


def _group_keyness(counts: _TermCounts, group: str, mask: np.ndarray, *, level: str) -> pd.DataFrame:
    """Every tested term of one group against the rest: counts, rates, log ratio, signed G² and its p-value."""
    count_in = np.asarray(counts.X[mask].sum(axis=0)).ravel()
    docs_in = np.asarray(counts.present[mask].sum(axis=0)).ravel()
    count_out = np.asarray(counts.X.sum(axis=0)).ravel() - count_in
    docs_out = np.asarray(counts.present.sum(axis=0)).ravel() - docs_in
    tok_in, tok_out = counts.doc_len[mask].sum(), counts.doc_len[~mask].sum()
    n_in, n_out = int(mask.sum()), int((~mask).sum())
    if level == "document":
        g2 = g2_2x2(docs_in, n_in - docs_in, docs_out, n_out - docs_out)
    else:
        g2 = g2_2x2(count_in, tok_in - count_in, count_out, tok_out - count_out)
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.DataFrame(
            {
                "group": group,
                "term": counts.terms,
                "count_in": count_in,
                "count_out": count_out,
                "per_10k_in": count_in / max(tok_in, 1) * 1e4,
                "per_10k_out": count_out / max(tok_out, 1) * 1e4,
                "log_ratio": log_ratio(count_in, max(tok_in, 1), count_out, max(tok_out, 1)),
                "g2": g2,
                "docs_in": docs_in,
                "docs_out": docs_out,
                "n_docs_in": n_in,
                "n_docs_out": n_out,
                "p": chi2.sf(np.abs(g2), 1),
            }
        )


def _adjust_and_sort(table: pd.DataFrame, *, alpha: float) -> pd.DataFrame:
    """Benjamini–Hochberg over every test of the table, ``significant`` at ``alpha``, and the table's order."""
    table["p_adj"] = benjamini_hochberg(table["p"].to_numpy())
    table["significant"] = table["p_adj"] <= alpha
    table = table.sort_values(
        ["group", "significant", "g2", "log_ratio", "term"], ascending=[True, False, False, False, True], kind="stable"
    )
    return table[KEYNESS_COLUMNS].reset_index(drop=True)


def shuffle_groups(groups: Sequence[object] | pd.Series, *, seed: int = 0) -> pd.Series:
    """The same group labels dealt out to the documents at random (documents without a group keep none).

    The honesty check of keyness: with labels shuffled among documents, any "key" term is there by chance, so a
    sound test flags (almost) none.

    >>> shuffle_groups(["2017", None, "2018", "2019"], seed=0).isna().tolist()
    [False, True, False, False]
    """
    g = group_values(list(groups))
    keep = np.flatnonzero(g.notna().to_numpy())
    out = g.copy()
    out.iloc[keep] = np.random.default_rng(seed).permutation(g.iloc[keep].to_numpy())
    return out


def shuffled_significance(
    tokens: Sequence[Sequence[str]],
    groups: Sequence[object] | pd.Series,
    *,
    min_docs: int = 3,
    alpha: float = 0.05,
    seed: int = 0,
) -> dict[str, int]:
    """How many terms :func:`keyness` flags by chance: the number of significant terms with the group labels
    shuffled among the documents (:func:`shuffle_groups`, one shuffle), tested on documents and on token counts.

    Parameters
    ----------
    tokens : sequence of token lists
        The tokens of each document.
    groups : sequence or Series
        The group of each document (``None``: left out, and never given one by the shuffle).
    min_docs, alpha
        As in :func:`keyness`.
    seed : int
        Seed of the shuffle.

    Returns
    -------
    dict
        ``{"document": n, "token": n}``: significant terms of the document-level and the token-count test.

    >>> toks = [["乡村振兴"], ["乡村振兴"], ["脱贫攻坚"], ["脱贫攻坚"]]
    >>> shuffled_significance(toks, ["2018", "2018", "2016", "2016"], min_docs=1)
    {'document': 0, 'token': 0}
    """
    shuffled = shuffle_groups(groups, seed=seed)
    return {
        level: int(keyness(tokens, shuffled, min_docs=min_docs, alpha=alpha, level=level).significant.sum())
        for level in ("document", "token")
    }


def honesty_check(
    tokens: Sequence[Sequence[str]],
    groups: Sequence[object] | pd.Series,
    observed: pd.DataFrame,
    *,
    min_docs: int = 3,
    alpha: float = 0.05,
    seed: int = 0,
) -> pd.DataFrame:
    """The keyness test against chance: significant terms with the labels as given (``observed``, a
    :func:`keyness` table) and with the labels shuffled (:func:`shuffled_significance`).

    A sound test flags (almost) nothing once the labels are shuffled; the token-count test, which treats every
    occurrence as independent, is shown on the same shuffle for comparison.

    Returns
    -------
    pandas.DataFrame
        Three rows, columns ``labels`` (``as given``/``shuffled``), ``test`` (``documents``/``token counts``) and
        ``significant``.
    """
    chance = shuffled_significance(tokens, groups, min_docs=min_docs, alpha=alpha, seed=seed)
    return pd.DataFrame(
        {
            "labels": ["as given", "shuffled", "shuffled"],
            "test": ["documents", "documents", "token counts"],
            "significant": [int(observed.significant.sum()), chance["document"], chance["token"]],
        }
    )


def top_key_terms(table: pd.DataFrame, *, n: int = 10, positive: bool = True) -> pd.DataFrame:
    """The ``n`` strongest terms of each group: over- (``positive``) or under-represented, significant first,
    then by |G²|, ties broken by |log ratio| (the effect size).

    >>> t = pd.DataFrame({"group": ["a", "a", "a"], "term": ["x", "y", "z"], "g2": [5.0, -7.0, 9.0],
    ...                   "significant": [True, True, False], "log_ratio": [1.0, -2.0, 3.0]})
    >>> top_key_terms(t, n=1).term.tolist(), top_key_terms(t, n=1, positive=False).term.tolist()
    (['x'], ['y'])
    """
    side = table[table.g2 > 0] if positive else table[table.g2 < 0]
    lr = side["log_ratio"] if "log_ratio" in side.columns else pd.Series(0.0, index=side.index)
    side = side.assign(_strength=side.g2.abs(), _effect=lr.abs())
    side = side.sort_values(
        ["group", "significant", "_strength", "_effect", "term"], ascending=[True, False, False, False, True]
    )
    return side.groupby("group", sort=True).head(n).drop(columns=["_strength", "_effect"]).reset_index(drop=True)


#: Terms kept per group and side (over-, under-represented) besides the significant ones by :func:`keyness_extract`:
#: on review R7's 4,067 stories in 48 months, 525 significant tests + 48 × 2 × 50 rows ≈ 5,300 of 959,088 (a CSV
#: of about 0.6 MB instead of 85 MB), and the over-represented half fits one page table (SHOW_TABLE_MAX_ROWS).
KEYNESS_TOP_N = 50


def keyness_extract(table: pd.DataFrame, *, n: int | None = KEYNESS_TOP_N) -> pd.DataFrame:
    """The rows of a :func:`keyness` table worth keeping: every significant test, then the ``n`` strongest over-
    and under-represented terms of each group that are not among them (``n=None``: every row).

    Significant rows come first, by group, then effect (log ratio, from the most over- to the most
    under-represented); the others follow by group, over-represented first, each side in the order of
    :func:`top_key_terms` (G², then log ratio).

    >>> t = pd.DataFrame({"group": ["a"] * 4, "term": list("wxyz"), "g2": [9.0, 5.0, 1.0, -2.0],
    ...                   "significant": [True, False, False, False], "log_ratio": [1.0, 2.0, 0.5, -1.0]})
    >>> keyness_extract(t, n=1).term.tolist()
    ['w', 'x', 'z']
    """
    if n is None or not len(table):
        return table.reset_index(drop=True)
    sig = table[table.significant].sort_values(["group", "log_ratio", "term"], ascending=[True, False, True])
    others = table[~table.significant]
    sides = [top_key_terms(others, n=n).assign(_side=0), top_key_terms(others, n=n, positive=False).assign(_side=1)]
    rest = pd.concat(sides).sort_values(["group", "_side"], kind="stable").drop(columns="_side")
    return pd.concat([sig, rest], ignore_index=True)[list(table.columns)]


def keyness_extract_sentence(table: pd.DataFrame, kept: pd.DataFrame, *, n: int | None, noun: str) -> str:
    """One line saying what ``kept`` (:func:`keyness_extract` of ``table``) holds and how many rows it leaves out.

    >>> t = pd.DataFrame({"group": ["a"] * 3, "g2": [9.0, 1.0, -1.0], "significant": [True, False, False]})
    >>> keyness_extract_sentence(t, t.head(2), n=1, noun="month")
    'The 1 significant test and the 1 strongest over- and under-represented terms of each month (2 of 3 rows; 1 other row, none significant, left out: `-p key_top_n None` keeps every row).'
    >>> keyness_extract_sentence(t.assign(significant=False), t.head(2), n=1, noun="month")
    'The 1 strongest over- and under-represented terms of each month, as no test is significant (2 of 3 rows; 1 other row left out: `-p key_top_n None` keeps every row).'
    """
    if n is None or len(kept) == len(table):
        return f"Every test ({plural(len(table), 'row')})."
    n_sig, left = int(table.significant.sum()), len(table) - len(kept)
    sides = "over- and under-represented" if (table.g2 < 0).any() else "over-represented"  # 2 groups: over only
    counts = f"{len(kept):,} of {plural(len(table), 'row')}"
    keep_all = "`-p key_top_n None` keeps every row"
    if not n_sig:  # nothing significant to list first: the strongest terms alone
        return (
            f"The {n:,} strongest {sides} terms of each {noun}, as no test is significant ({counts}; "
            f"{plural(left, 'other row')} left out: {keep_all})."
        )
    return (
        f"The {plural(n_sig, 'significant test')} and the {n:,} strongest {sides} terms of each "
        f"{noun} ({counts}; {plural(left, 'other row')}, none significant, left out: {keep_all})."
    )


def keyness_count_sentence(table: pd.DataFrame, *, kind: str, alpha: float) -> str:
    """How many tests a :func:`keyness` table holds, of how many terms and groups, and how many are significant.

    >>> t = pd.DataFrame({"group": ["a", "b"], "term": ["x", "y"], "g2": [3.0, 8.0], "significant": [False, True]})
    >>> keyness_count_sentence(t, kind="group", alpha=0.05)
    '2 tests (one per term: the 2 groups compared with each other); **1** significant at a false discovery rate of 0.05. Only terms of 2 characters or more, as a single character is mostly part of other words, are tested (the rule of the traced terms too).'
    """
    if not len(table):
        return "No keyness table: there is nothing to compare (see above)."
    n_groups, n_terms = table.group.nunique(), table.term.nunique()
    if n_groups == 2 and len(table) == n_terms:
        tests = f"one per term: the 2 {kind}s compared with each other"
    else:
        tests = f"{n_terms:,} terms × {n_groups:,} {kind}s"
    significant = int(table.significant.sum())
    return (
        f"{len(table):,} tests ({tests}); **{significant:,}** significant at a false discovery rate of {alpha:g}. "
        f"Only {_TERM_RULE}, are tested (the rule of the traced terms too)."
    )


# -- traced terms: word-aware counts ---------------------------------------------------------------------------------
_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9]")


def term_spans(texts: Sequence[str], terms: Sequence[str], *, tokenizer: Tokenizer | None = None) -> list[dict]:
    """Where each term occurs in each text: ``{term: [(start, end), ...]}`` per text, left to right, not overlapping.

    A term is matched case-insensitively (``hvr`` finds ``HVR``, as the tokens are lower case) and only as a word:
    an occurrence counts when it is one or several whole segments of the tokenizer's cut of the text (a phrase
    the tokenizer splits, 古 + 沙, is found), or, for a term of at least :data:`MIN_TERM_CHARS` characters, a word
    nested inside one segment (乡村振兴 in 乡村振兴战略). An occurrence that cuts through a word (古 of 古板, 村振 of
    乡村振兴) or a run of Latin letters and digits (``hvr`` of ``hvrx``) does not count.

    >>> term_spans(["索尼HVR-Z5C，古板的古沙"], ["hvr", "古"])
    [{'hvr': [(2, 5)], '古': [(13, 14)]}]
    """
    tk = tokenizer or get_default_tokenizer()
    patterns = {t: re.compile(f"(?=({re.escape(t)}))", re.IGNORECASE) for t in dict.fromkeys(map(str, terms)) if t}
    out = []
    for text in map(str, texts):
        starts = {t: [m.start() for m in p.finditer(text)] for t, p in patterns.items()}
        bounds = {0, *accumulate(map(len, tk.segments(text)))} if any(starts.values()) else set()
        out.append({t: _word_spans(text, len(t), found, bounds) for t, found in starts.items()})
    return out


def _word_spans(text: str, n: int, starts: list[int], bounds: set[int]) -> list[tuple[int, int]]:
    """The non-overlapping spans of length ``n`` starting at ``starts`` that are words (:func:`term_spans`)."""
    spans: list[tuple[int, int]] = []
    for s in starts:
        e = s + n
        if spans and s < spans[-1][1]:
            continue
        cuts_latin = (s > 0 and _LATIN_OR_DIGIT.match(text[s - 1]) and _LATIN_OR_DIGIT.match(text[s])) or (
            e < len(text) and _LATIN_OR_DIGIT.match(text[e]) and _LATIN_OR_DIGIT.match(text[e - 1])
        )
        whole = s in bounds and e in bounds
        nested = n >= MIN_TERM_CHARS and not any(s < b < e for b in bounds)
        if not cuts_latin and (whole or nested):
            spans.append((s, e))
    return spans


def term_counts(texts: Sequence[str], terms: Sequence[str], *, tokenizer: Tokenizer | None = None) -> pd.DataFrame:
    """Occurrences of each term in each text, counted as words (:func:`term_spans`), one column per term.

    Counting in the cleaned text rather than in the tokens means a phrase the tokenizer splits is found too.

    >>> term_counts(["乡村振兴战略，乡村振兴", "脱贫攻坚，古板"], ["乡村振兴", "脱贫", "古"]).to_dict("list")
    {'乡村振兴': [2, 0], '脱贫': [0, 1], '古': [0, 0]}
    """
    spans = term_spans(texts, terms, tokenizer=tokenizer)
    names = list(dict.fromkeys(t for t in map(str, terms) if t))
    return pd.DataFrame({t: [len(found[t]) for found in spans] for t in names}, dtype="int64")


def traceable(terms: Iterable[str]) -> list[str]:
    """The terms worth tracing automatically: at least :data:`MIN_TERM_CHARS` characters.

    >>> traceable(["古", "古沙", "hvr", "x"])
    ['古沙', 'hvr']
    """
    return [t for t in map(str, terms) if len(t) >= MIN_TERM_CHARS]


def _bootstrap_weights(n: int, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    return rng.multinomial(n, np.full(n, 1.0 / n), size=n_boot).astype(float)


def _poisson_interval(k: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    a = (1 - level) / 2
    k = np.asarray(k, dtype=float)
    low = np.where(k > 0, chi2.ppf(a, 2 * np.maximum(k, 1)) / 2, 0.0)
    high = chi2.ppf(1 - a, 2 * k + 2) / 2
    return low, high


def term_trends(
    texts: Sequence[str],
    periods: Sequence[object] | pd.Series,
    terms: Sequence[str],
    *,
    period: str,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Rate of each term per 10,000 **characters** of cleaned text, per period, with a ``level`` interval.

    Counts are word counts in the text (:func:`term_counts`). The interval is the union (the wider bounds) of

    - a percentile bootstrap over the documents of the period (``n_boot`` resamples, ``numpy`` generator seeded
      with ``seed``): it captures burstiness, a term repeated in one story;
    - the exact Poisson (Garwood) interval for the count over the period's characters: it keeps a period with
      few documents or no occurrence visibly uncertain (one document gives no bootstrap spread).

    The interval therefore always contains the estimate. Every period between the first and the last is listed;
    an empty one has ``docs = 0`` and no rate.

    Parameters
    ----------
    texts : sequence of str
        The cleaned text of each document.
    periods : sequence or Series
        The period label of each document (``None``: left out).
    terms : sequence of str
        The phrases to trace.
    period : str
        The period unit (``year``, ``quarter``, ``month``).
    n_boot, level, seed
        Bootstrap resamples, interval level and seed of the bootstrap.

    Returns
    -------
    pandas.DataFrame
        :data:`TREND_COLUMNS`: ``docs`` documents in the period, ``docs_with_term`` those using it, ``count``
        occurrences, ``chars`` characters of text.

    References
    ----------
    Garwood, F. (1936). Fiducial limits for the Poisson distribution. *Biometrika* 28(3/4), 437–442.

    Efron, B. and Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.

    >>> tr = term_trends(["乡村振兴", "脱贫攻坚", "乡村振兴，乡村振兴"], ["2017", "2017", "2018"], ["乡村振兴"],
    ...                  period="year", n_boot=200)
    >>> tr[["period", "docs", "count", "chars"]].to_dict("records")
    [{'period': '2017', 'docs': 2, 'count': 1, 'chars': 8}, {'period': '2018', 'docs': 1, 'count': 2, 'chars': 9}]
    >>> bool(((tr.ci_low <= tr.per_10k) & (tr.per_10k <= tr.ci_high)).all())
    True
    """
    labels = group_values(list(periods))
    counts = term_counts(texts, terms)
    matrix = counts.to_numpy()
    chars = np.array([len(str(t)) for t in texts], dtype=float)
    rng = np.random.default_rng(seed)
    rows = []
    for p in period_range(labels, period=period):
        idx = np.flatnonzero(labels.to_numpy() == p)
        rows.extend(_period_rows(p, counts.columns, matrix[idx].astype(float), chars[idx], n_boot, level, rng))
    return pd.DataFrame(rows, columns=TREND_COLUMNS)


def _period_rows(period, terms, c: np.ndarray, ch: np.ndarray, n_boot: int, level: float, rng) -> list[tuple]:
    """The :data:`TREND_COLUMNS` rows of one period: ``c`` the term counts of its documents, ``ch`` their
    characters. An empty period (no document or no character) has no rate and draws nothing from ``rng``."""
    total_chars = ch.sum()
    if len(ch) == 0 or total_chars == 0:
        return [(period, t, len(ch), 0, np.nan, np.nan, np.nan, 0, int(total_chars)) for t in terms]
    k = c.sum(axis=0)
    rate = k / total_chars * 1e4
    low, high = _rate_interval(c, ch, rate, n_boot, level, rng)
    with_term = (c > 0).sum(axis=0)
    return [
        (period, t, len(ch), int(k[j]), rate[j], low[j], high[j], int(with_term[j]), int(total_chars))
        for j, t in enumerate(terms)
    ]


def _rate_interval(c: np.ndarray, ch: np.ndarray, rate: np.ndarray, n_boot: int, level: float, rng):
    """The union of the bootstrap interval over documents and the Poisson interval of the count (see
    :func:`term_trends`), widened to contain ``rate``."""
    total_chars = ch.sum()
    W = _bootstrap_weights(len(ch), n_boot, rng)
    with np.errstate(divide="ignore", invalid="ignore"):
        boot = (W @ c) / (W @ ch)[:, None] * 1e4
    b_low, b_high = np.nanpercentile(boot, [(1 - level) / 2 * 100, (1 + level) / 2 * 100], axis=0)
    p_low, p_high = _poisson_interval(c.sum(axis=0), level)
    low = np.minimum(np.minimum(b_low, p_low / total_chars * 1e4), rate)
    high = np.maximum(np.maximum(b_high, p_high / total_chars * 1e4), rate)
    return low, high


def change_points(
    texts: Sequence[str],
    periods: Sequence[object] | pd.Series,
    terms: Sequence[str],
    *,
    n_perm: int = 999,
    seed: int = 0,
) -> pd.DataFrame:
    """For each term, the period where its use changes most clearly: the split of the time line into *before*
    and *from this period on* that maximises the document-level G² (documents using the term or not, before
    against after; :func:`g2_2x2`, Dunning 1993).

    ``period`` is the first period after the split, ``direction`` ``"rising"`` or ``"falling"`` (``"none"`` when
    the term never occurs), ``g2`` the signed maximum (positive: rising), ``share_before``/``share_after`` the
    shares of documents using the term. Because the best of many splits is chosen, ``g2`` is not χ²-distributed;
    ``p_perm`` is a permutation p-value instead: the same maximum computed with the periods shuffled among the
    documents ``n_perm`` times (seeded), ``(1 + #{max ≥ observed}) / (1 + n_perm)``.

    Parameters
    ----------
    texts : sequence of str
        The cleaned text of each document (a term is used by a document when :func:`term_counts` finds it there).
    periods : sequence or Series
        The period label of each document (``None``: left out); labels sort in time order.
    terms : sequence of str
        The phrases to locate.
    n_perm : int
        Permutations for ``p_perm`` (0: no permutation, ``p_perm`` is 1).
    seed : int
        Seed of the permutations.

    Returns
    -------
    pandas.DataFrame
        :data:`CHANGE_COLUMNS`, one row per term.

    References
    ----------
    Dunning, T. (1993). Accurate methods for the statistics of surprise and coincidence. *Computational
    Linguistics* 19(1), 61–74.

    >>> texts = ["脱贫攻坚"] * 6 + ["乡村振兴"] * 6
    >>> periods = ["2016"] * 3 + ["2017"] * 3 + ["2018"] * 3 + ["2019"] * 3
    >>> change_points(texts, periods, ["乡村振兴"], n_perm=99)[["term", "period", "direction"]].to_dict("records")
    [{'term': '乡村振兴', 'period': '2018', 'direction': 'rising'}]
    """
    kept, lab, ordered, bounds, perms = _time_layout(periods, n_perm=n_perm, seed=seed)
    counts = term_counts([texts[i] for i in kept], terms)
    rows = []
    for t in counts.columns:
        x = (counts[t].to_numpy() > 0).astype(float)
        if x.sum() == 0 or len(bounds) == 0:
            rows.append((t, None, "none", 0.0, 0.0, 0.0, 1.0))
            continue
        g = _split_g2(x, bounds)
        best = int(np.argmax(np.abs(g)))
        b = bounds[best]
        direction = "rising" if g[best] > 0 else "falling" if g[best] < 0 else "none"
        p_perm = _permutation_p(x, bounds, perms, abs(g[best]))
        rows.append((t, ordered[best + 1], direction, float(g[best]), float(x[:b].mean()), float(x[b:].mean()), p_perm))
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def _time_layout(periods: Sequence[object] | pd.Series, *, n_perm: int, seed: int) -> tuple:
    """Dated documents in time order and the permutations shared by every change-point test.

    Returns the positions of the dated documents in time order, their sorted labels, the distinct labels, the
    split bounds (split ``k``: documents ``[0, bounds[k])`` are before, the rest after) and ``n_perm`` seeded
    permutations of the documents (drawn identically for the same ``seed`` and dates).
    """
    labels = group_values(list(periods))
    keep = np.flatnonzero(labels.notna().to_numpy())
    lab = labels.iloc[keep].astype(str).to_numpy()
    order = np.argsort(lab, kind="stable")  # documents in time order: a split is a prefix of them
    lab = lab[order]
    ordered = sorted(set(lab))
    n = len(lab)
    bounds = np.array([np.searchsorted(lab, p) for p in ordered[1:]], dtype=int)
    rng = np.random.default_rng(seed)
    perms = np.array([rng.permutation(n) for _ in range(n_perm)]) if n_perm and n else np.zeros((0, n), dtype=int)
    return keep[order], lab, ordered, bounds, perms


def _split_g2(v: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Signed document-level G² of every split ``bounds`` of the 0/1 use indicators ``v`` (last axis: documents
    in time order); positive when the term is used more after the split."""
    n = v.shape[-1]
    cum = np.concatenate([np.zeros(v.shape[:-1] + (1,)), np.cumsum(v, axis=-1)], axis=-1)
    a = cum[..., bounds]  # users before
    c = cum[..., -1:] - a  # users after
    n_b, n_a = bounds, n - bounds
    return g2_2x2(c, n_a - c, a, n_b - a)


def _permutation_p(x: np.ndarray, bounds: np.ndarray, perms: np.ndarray, observed: float) -> float:
    """``(1 + #{max |G²| over splits of a permutation >= observed}) / (1 + #permutations)``."""
    exceed = 0
    if len(perms):
        gp = np.abs(_split_g2(x[perms], bounds)).max(axis=-1)
        exceed = int((gp >= observed - 1e-9).sum())  # 1e-9: ties in floating point count as reaching it
    return (1 + exceed) / (1 + len(perms))


def change_point_p_adj(
    changes: pd.DataFrame,
    texts: Sequence[str],
    periods: Sequence[object] | pd.Series,
    *,
    tokens: Sequence[Sequence[str]] | None = None,
    family: Sequence[str] | None = None,
    n_perm: int = 999,
    seed: int = 0,
) -> np.ndarray:
    """Adjusted p-values of the change points ``changes`` (from :func:`change_points` with the same ``periods``,
    ``n_perm`` and ``seed``), in their order.

    With ``family=None`` (terms given by the user) ``p_perm`` is Benjamini–Hochberg corrected across the traced
    terms. When the terms were picked from the data, ``family`` lists every term the selection looked at (e.g.
    every term of the keyness table) and the null repeats the search: for each shuffle of the periods among the
    documents, the largest change-point |G²| of **any** term of the family (``tokens``: each document's tokens,
    for family terms that are not traced; traced terms are counted as in :func:`change_points`).
    ``p_adj = (1 + #{shuffles whose maximum >= the term's |G²|}) / (1 + n_perm)`` is the single-step max-T
    adjustment (Westfall and Young 1993): it holds whichever terms were picked, so a term picked because it
    changes most is significant only if it changes more than the largest change dates drawn at random give.

    References
    ----------
    Westfall, P. H. and Young, S. S. (1993). *Resampling-Based Multiple Testing*. Wiley.

    >>> texts = ["脱贫攻坚"] * 6 + ["乡村振兴"] * 6
    >>> periods = ["2016"] * 3 + ["2017"] * 3 + ["2018"] * 3 + ["2019"] * 3
    >>> ch = change_points(texts, periods, ["乡村振兴"], n_perm=99)
    >>> toks = [["脱贫", "攻坚"]] * 6 + [["乡村", "振兴"]] * 6
    >>> bool(change_point_p_adj(ch, texts, periods, tokens=toks, family=["脱贫", "乡村"], n_perm=99)[0] < 0.05)
    True
    """
    if changes.empty or family is None:
        return benjamini_hochberg(changes.p_perm.to_numpy(dtype=float))
    kept, lab, ordered, bounds, perms = _time_layout(periods, n_perm=n_perm, seed=seed)
    if not len(perms) or not len(bounds):
        return changes.p_perm.to_numpy(dtype=float)
    traced = changes.term.astype(str).tolist()
    X = _family_indicators([texts[i] for i in kept], [tokens[i] for i in kept] if tokens else None, traced, family)
    maxima = _max_split_g2(X, np.searchsorted(ordered, lab), len(ordered), perms)
    observed = np.abs(changes.g2.to_numpy(dtype=float))
    exceed = (maxima[None, :] >= observed[:, None] - 1e-9).sum(axis=1)  # 1e-9: as in the per-term p_perm
    return (1 + exceed) / (1 + len(perms))


_FAMILY_CELLS = 4_000_000  # floats per block of shuffles (terms × shuffles × periods): ~32 MB, any corpus size


def _family_indicators(texts, tokens, traced: list[str], family: Sequence[str]) -> sparse.csr_matrix:
    """Documents × terms 0/1 matrix: traced terms as :func:`term_counts` finds them, the other family terms as tokens."""
    sub = sparse.csr_matrix((term_counts(texts, traced).to_numpy() > 0).astype(float))
    if not tokens:
        return sub
    X, vocab = _doc_term_matrix(tokens)
    index = {t: i for i, t in enumerate(vocab)}
    cols = [index[t] for t in dict.fromkeys(map(str, family)) if t in index and t not in set(traced)]
    return sparse.hstack([sub, (X[:, cols] > 0).astype(float)], format="csr")


def _max_split_g2(X: sparse.csr_matrix, period_index: np.ndarray, m: int, perms: np.ndarray) -> np.ndarray:
    """For each permutation, the largest |G²| over every split and every column of ``X`` (documents in time
    order, ``period_index`` their period 0..m-1), the documents' periods dealt out as in :func:`_permutation_p`."""
    XT = X.T.tocsr().astype(np.int64)
    n_b = np.cumsum(np.bincount(period_index, minlength=m))[:-1]  # documents before each split
    n = len(period_index)
    n_a = n - n_b
    # G² = 2 (Σ cells x ln x − Σ margins x ln x + n ln n) on integer counts: a lookup table of x ln x
    xl = xlogy(np.arange(n + 1), np.arange(n + 1))
    k = np.asarray(XT.sum(axis=1)).reshape(-1, 1, 1)  # users of each term
    fixed = xl[n] - xl[n_b] - xl[n_a] - xl[k] - xl[n - k]
    onehot = np.eye(m, dtype=np.int64)[period_index]
    step = max(1, _FAMILY_CELLS // max(1, X.shape[1] * m))
    maxima = []
    for start in range(0, len(perms), step):
        block = perms[start : start + step]
        # document perm[j] takes the period of position j: its one-hot row is onehot[inverse(perm)[doc]]
        dealt = np.hstack([onehot[np.argsort(p)] for p in block])
        a = np.cumsum(np.asarray(XT @ dealt).reshape(X.shape[1], len(block), m), axis=-1)[..., :-1]  # users before
        c = k - a  # users after
        g = 2 * (xl[a] + xl[n_b - a] + xl[c] + xl[n_a - c] + fixed)
        maxima.append(g.max(axis=(0, 2)))
    return np.concatenate(maxima)


def strongest_rising(
    texts: Sequence[str],
    periods: Sequence[object] | pd.Series,
    table: pd.DataFrame,
    *,
    n: int = 5,
    candidates: int = 30,
) -> list[str]:
    """Default traced terms: of the strongest over-represented keyness terms (at most ``candidates``, significant
    ones first), the ``n`` whose change point (:func:`change_points`) rises most clearly.

    Falls back to the strongest keyness terms when none rises.
    """
    top = top_key_terms(table, n=candidates)
    top = top.sort_values(["significant", "g2"], ascending=[False, False], kind="stable")
    pool = list(dict.fromkeys(top.term))[:candidates]
    if not pool:
        return []
    cps = change_points(texts, periods, pool, n_perm=0)
    rising = cps[cps.direction == "rising"].sort_values("g2", ascending=False, kind="stable")
    chosen = rising.term.tolist()[:n]
    return chosen or pool[:n]


def default_terms(plan: Comparison, texts: Sequence[str], table: pd.DataFrame, *, n: int = 5) -> list[str]:
    """The terms to trace when the user gives none: with time views, the strongest rising terms
    (:func:`strongest_rising`); otherwise the strongest over-represented term of each group (or document) in turn.
    Only terms of at least :data:`MIN_TERM_CHARS` characters are picked (:func:`traceable`).

    >>> t = pd.DataFrame({"group": ["a", "b", "b"], "term": ["古沙", "周迅", "古"], "g2": [3.0, 2.0, 4.0],
    ...                   "significant": [False] * 3, "log_ratio": [1.0] * 3})
    >>> plan = Comparison("document", pd.Series(["a", "b"]), pd.Series([None, None]), None, False)
    >>> default_terms(plan, ["古沙", "周迅"], t, n=5)
    ['古沙', '周迅']
    """
    table = table[table.term.isin(traceable(table.term.unique()))]  # single characters are parts of words
    if table.empty:
        return []
    if plan.trends and plan.kind == "period":
        return strongest_rising(texts, plan.periods, table, n=n)
    top = top_key_terms(table, n=n)
    top = top.assign(_rank=top.groupby("group").cumcount()).sort_values(["_rank", "group"], kind="stable")
    return list(dict.fromkeys(top.term))[:n]


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def example_terms(tokens: Sequence[Sequence[str]], *, n: int = 2, texts: Sequence[str] | None = None) -> list[str]:
    """The ``n`` most frequent terms of at least two characters, one of them Chinese (ties: the term more documents
    use, then code-point order), leaving out those notebook 02 would flag as spread over the documents as chance
    spreads any word (:func:`helpers.keywords.widespread_terms` on the :data:`~helpers.keywords.WIDESPREAD_TOP`
    most frequent, counted in ``texts``; the tokens joined when not given): an example of ``-p terms`` made of the
    corpus itself. Occurrences rank content words first (基金, 市场 in 200 Sina stories), where counting documents
    ranks the words any story uses (没有, 需要); words of the genre (研究, 方法 in 1,000 abstracts, review R11a) are
    spread evenly and so trace nothing.

    >>> example_terms([["比赛", "球队", "的"], ["比赛", "NBA"], ["球队", "比赛", "3"]])
    ['比赛', '球队']
    """
    from .keywords import CORPUS_ID, MIN_REPEATED_SHARE, WIDESPREAD_TOP, spread_terms_flagged, widespread_terms

    docs: dict[str, int] = {}
    total: dict[str, int] = {}
    for doc in tokens:
        for t in doc:
            total[t] = total.get(t, 0) + 1
        for t in set(doc):
            docs[t] = docs.get(t, 0) + 1
    words = [t for t in docs if len(t) >= 2 and _HAN.search(t)]
    ranked = sorted(words, key=lambda t: (-total[t], -docs[t], t))[:WIDESPREAD_TOP]
    if not ranked:
        return []
    table = pd.DataFrame(
        {"doc_id": CORPUS_ID, "method": "frequency", "rank": range(1, len(ranked) + 1), "term": ranked}
    )
    texts = ["".join(doc) for doc in tokens] if texts is None else texts
    wide, checked, repeated = widespread_terms(table, texts, method="frequency", top=len(ranked))
    spread = set(spread_terms_flagged(wide, checked, repeated))
    made = bool(checked) and not (repeated is not None and repeated < MIN_REPEATED_SHARE * checked)
    chosen = [t for t in ranked if t not in spread][:n]
    twice = {t for doc in tokens for t in chosen if doc.count(t) >= 2}  # a term never twice in a text: no verdict
    return ExampleTerms(chosen, spread_checked=made and len(twice) == len(chosen))


class ExampleTerms(list):
    """The terms of :func:`example_terms`, a list, and whether the spread check could be made on the corpus
    (``spread_checked``: not on texts so short that the leading terms seldom occur twice in one, as notebook 02 says,
    nor when an example term never occurs twice in one text: 会见 in 1,500 headlines; review S, session 12)."""

    def __init__(self, terms: Iterable[str] = (), *, spread_checked: bool = True) -> None:
        super().__init__(terms)
        self.spread_checked = spread_checked


def terms_advice(examples: Sequence[str], *, trends: bool = True) -> str:
    """The line of notebook 05's *What's next* on tracing one's own phrases, with ``examples`` from
    :func:`example_terms` (``""`` when the corpus gave none); without time views (``trends`` false) it says that
    tracing gives only the terms' concordance.

    >>> print(terms_advice(["比赛", "球队"]))  # doctest: +NORMALIZE_WHITESPACE
    Trace your own phrases: `-p terms '["比赛", "球队"]'` (this corpus's 2 most frequent terms of two characters or
    more that are not spread over its documents as chance spreads any word).
    >>> print(terms_advice(["比赛"], trends=False))  # doctest: +NORMALIZE_WHITESPACE
    Trace your own phrases: `-p terms '["比赛"]'` (this corpus's most frequent term of two characters or more that
    is not spread over its documents as chance spreads any word); as time views are not made on this corpus
    (section 1), tracing gives only their concordance (section 6).
    """
    if not examples:
        return ""
    listed = json.dumps(list(examples), ensure_ascii=False)
    which = "most frequent term" if len(examples) == 1 else f"{len(examples):,} most frequent terms"
    only = (
        ""
        if trends
        else "; as time views are not made on this corpus (section 1), tracing gives only their concordance (section 6)"
    )
    if not getattr(examples, "spread_checked", True):  # too short to tell: say so, claim nothing
        return (
            f"Trace your own phrases: `-p terms '{listed}'` (this corpus's {which} of two characters or more; its "
            f"documents are too short to tell the words spread over them as chance spreads any word){only}."
        )
    return (
        f"Trace your own phrases: `-p terms '{listed}'` (this corpus's {which} of two characters or more that "
        f"{'is' if len(examples) == 1 else 'are'} not spread over its documents as chance spreads any word){only}."
    )


def simplified_terms(terms: Iterable[str] | None, *, texts: Iterable[str] | None = None) -> tuple[list[str], str]:
    """The search terms as the texts are analysed, in Simplified characters, and the sentence naming those changed.

    Cleaning converts a Traditional text to Simplified (:func:`helpers.clean.to_simplified`: OpenCC t2s, with Hong
    Kong and Taiwan variant characters in their mainland form), so a term given in Traditional characters would find
    nothing; every term is converted the same way, whatever the corpus. A term found as given in ``texts`` is kept
    as given: Simplified texts are not converted and may hold characters that t2s maps (乾 in a name: 洪义乾, 於 as
    a surname). Terms that become the same are searched once.

    >>> simplified_terms(["脫貧", "敍利亞", "乡村振兴", "脱贫"])
    (['脱贫', '叙利亚', '乡村振兴'], '脫貧 is searched as 脱贫 and 敍利亞 as 叙利亚: the texts are analysed in Simplified characters.')
    >>> simplified_terms(["洪义乾"], texts=["村民洪义乾说"])
    (['洪义乾'], '')
    """
    given = [t for t in map(str, terms or []) if t]
    corpus = list(map(str, texts)) if texts is not None else []

    def searched_as(term: str) -> str:
        simplified = to_simplified(term)
        if simplified == term or any(term in text for text in corpus):
            return term
        return simplified

    pairs = [(t, searched_as(t)) for t in given]
    changed = list(dict.fromkeys((t, s) for t, s in pairs if s != t))
    searched = list(dict.fromkeys(s for _, s in pairs))
    if not changed:
        return searched, ""
    (first, as_first), *rest = changed
    said = f"{first} is searched as {as_first}" + "".join(
        f"{' and ' if i == len(rest) - 1 else ', '}{t} as {s}" for i, (t, s) in enumerate(rest)
    )
    return searched, f"{said}: the texts are analysed in Simplified characters."


def traced_terms_sentence(plan: Comparison, traced: Sequence[str], *, given: bool) -> str:
    """The sentence naming the traced terms and how they were chosen, true of the mode ``plan`` ran in.

    >>> plan = Comparison("group", pd.Series(["a"]), pd.Series(["2020"]), "year", True, noun="value of `类别`")
    >>> traced_terms_sentence(plan, ["比赛", "影片"], given=False).split(", picked")[0]
    'Traced terms (the most over-represented term of each value of `类别` in turn'
    >>> traced_terms_sentence(Comparison("none", pd.Series([None]), pd.Series([None]), None, False), [], given=False)
    'No terms are traced: no `terms` were given, and keyness, which picks them otherwise, was not made (see section 1).'
    """
    if given:
        return f"Traced terms (given as `terms`): {'、'.join(traced)}."
    if not traced:
        why = "was not made (see section 1)" if plan.kind == "none" else "found no over-represented term"
        return f"No terms are traced: no `terms` were given, and keyness, which picks them otherwise, {why}."
    if plan.kind == "period":
        how = f"of the strongest over-represented terms of any {plan.noun}, those whose change point rises most"
    else:
        how = f"the most over-represented term of each {plan.noun} in turn, picked by keyness between them"
        how += ", not by any change over time" if plan.trends else ""
    how += f"; {_TERM_RULE}"
    return f"Traced terms ({how}): {'、'.join(traced)}."


def selection_sentence(table: pd.DataFrame, *, alpha: float, selected: bool) -> str:
    """What the traced terms are worth when they were picked from the keyness ``table`` of the same documents.

    Empty when the user gave the terms or there is no keyness table. When no keyness term is significant, the
    traced terms are the largest differences of the corpus, none of them significant.

    >>> t = pd.DataFrame({"term": ["x", "y"], "significant": [False, False]})
    >>> selection_sentence(t, alpha=0.05, selected=True)[:60]
    'Keyness found no term significant at a false discovery rate '
    >>> selection_sentence(t, alpha=0.05, selected=False)
    ''
    """
    if not selected or table.empty:
        return ""
    if not table.significant.any():
        return (
            f"Keyness found no term significant at a false discovery rate of {alpha:g}: these are the largest "
            "(non-significant) differences, picked because they stand out in these same documents, not "
            "established findings."
        )
    return (
        "They were picked because they stand out in these same documents: any test of them below is made after looking."
    )


def change_point_sentence(
    changes: pd.DataFrame, *, alpha: float, family_size: int | None = None, picked_among: str | None = None
) -> str:
    """What the change points' p-values allow: ``changes`` holds ``p_perm`` and ``p_adj`` from
    :func:`change_point_p_adj`; ``family_size`` is the number of terms the automatic selection looked at (``None``:
    the user gave the terms, ``p_adj`` is Benjamini–Hochberg across them); ``picked_among`` is what that selection
    compared when it was not time (:attr:`Comparison.noun`, e.g. ``"value of `类别`"``), ``None`` when the terms
    were picked because they change most over time.

    >>> ch = pd.DataFrame({"term": ["x", "y"], "p_perm": [0.01, 0.3], "p_adj": [0.02, 0.3]})
    >>> change_point_sentence(ch, alpha=0.05).split(". ")[1]
    '`p_adj` corrects `p_perm` for the 2 traced terms (Benjamini–Hochberg): at or below 0.05 for 1 of them (x).'
    >>> change_point_sentence(ch, alpha=0.05, family_size=300).split(": ")[-1]
    'at or below 0.05 for 1 of them (x).'
    >>> change_point_sentence(ch, alpha=0.05, family_size=300, picked_among="value of `类别`").split(", ")[0]
    'The traced terms were picked by keyness between the values of `类别`'
    """
    if changes.empty:
        return ""
    kept = changes.loc[changes.p_adj <= alpha, "term"].tolist()
    survive = (
        f"at or below {alpha:g} for {len(kept)} of them ({'、'.join(kept)})" if kept else f"none at or below {alpha:g}"
    )
    if family_size is None:
        n = plural(len(changes), "traced term")
        return f"`p_perm` tests each term on its own. `p_adj` corrects `p_perm` for the {n} (Benjamini–Hochberg): {survive}."
    family = f"the {plural(family_size, 'term')} the selection looked at (every term of the keyness table)"
    if picked_among:
        among = (
            picked_among.replace("value of", "values of", 1) if picked_among.startswith("value of") else picked_among
        )
        return (
            f"The traced terms were picked by keyness between the {among}, not for how they change over time; "
            "`p_perm` tests each one's change over dates on its own. `p_adj` still allows for the picking: each "
            f"shuffle of the dates among the documents repeats the change-point search over all {family} and keeps the "
            f"largest change, so it holds whichever terms were picked (and errs on the safe side here): {survive}."
        )
    return (
        "The traced terms were picked because they change most in these same documents, so `p_perm` alone "
        f"would flatter them. `p_adj` repeats the search on shuffled dates: it counts how often the largest "
        f"change of any of {family} reaches the traced term's, so it holds whichever terms were picked: {survive}."
    )


# -- concordance -------------------------------------------------------------------------------------------------------
def kwic(
    docs: pd.DataFrame,
    terms: Sequence[str],
    *,
    context_chars: int = 20,
    text_column: str = "text",
    id_column: str = "doc_id",
    date_column: str = "date",
    title_column: str = "title",
    tokenizer: Tokenizer | None = None,
) -> pd.DataFrame:
    """Every occurrence of each term with ``context_chars`` characters of context on each side (keyword in context).

    Occurrences are found as :func:`term_counts` counts them (:func:`term_spans`: as words, Latin letters in any
    case), so the table has exactly one row per counted occurrence; ``match`` is the text as written (``HVR`` for
    the term ``hvr``). Line breaks in the context are shown as spaces.

    ``title`` says where the occurrence is: the document's title, or, in a document that holds several stories
    (:func:`several_headlines`: a day of a news programme, a bulletin of news flashes), the headline above the
    occurrence (:func:`helpers.clean.document_headlines`), which the document's title is only for its first story.

    Returns
    -------
    DataFrame with :data:`KWIC_COLUMNS`, in the order of the terms, then of the documents.

    >>> d = pd.DataFrame({"doc_id": ["x"], "date": ["--03-05"], "title": [None], "text": ["一是脱贫攻坚，二是乡村振兴"]})
    >>> kwic(d, ["乡村振兴"], context_chars=3).iloc[0].tolist()
    ['乡村振兴', 'x', '--03-05', '', '，二是', '乡村振兴', '']
    >>> day = "西藏推进乡村振兴，成效明显。\\n国内联播快讯\\n甘肃去年减贫100万人\\n甘肃乡村振兴取得新进展。"
    >>> kwic(d.assign(title="西藏推进乡村振兴", text=day), ["乡村振兴"])["title"].tolist()
    ['西藏推进乡村振兴', '甘肃去年减贫100万人']
    """
    rows = []
    texts = docs[text_column].astype(str).tolist()
    ids = docs[id_column].astype(str).tolist()
    dates = docs[date_column].tolist() if date_column in docs.columns else [None] * len(docs)
    titles = docs[title_column].tolist() if title_column in docs.columns else [None] * len(docs)
    spans = term_spans(texts, terms, tokenizer=tokenizer)
    headlines: dict[int, list[tuple[int, str]]] = {}  # per document with an occurrence, found once
    for term in dict.fromkeys(t for t in map(str, terms) if t):
        for i, (text, found, doc_id, date, title) in enumerate(zip(texts, spans, ids, dates, titles)):
            if not found[term]:
                continue
            if i not in headlines:
                heads = document_headlines(title, text)
                headlines[i] = heads if len(heads) >= 2 else []
            starts = [offset for offset, _ in headlines[i]]
            date_text = "" if _normalised(date) is None else _normalised(date)
            title_text = "" if title is None or (isinstance(title, float) and np.isnan(title)) else str(title)
            for start, end in found[term]:
                left = text[max(0, start - context_chars) : start].replace("\n", " ")
                right = text[end : end + context_chars].replace("\n", " ")
                above = bisect.bisect_right(starts, start) - 1  # the headline whose line starts at or before it
                where = headlines[i][above][1] if above >= 0 else title_text
                rows.append((term, doc_id, date_text, where, left, text[start:end], right))
    return pd.DataFrame(rows, columns=KWIC_COLUMNS)


def several_headlines(
    docs: pd.DataFrame,
    *,
    text_column: str = "text",
    id_column: str = "doc_id",
    title_column: str = "title",
) -> dict[str, list[str]]:
    """The documents that hold several stories, each with its headlines (:func:`helpers.clean.document_headlines`:
    two or more), by document id; a single story is not listed.

    >>> d = pd.DataFrame({"doc_id": ["day", "story"], "title": ["西藏推进乡村振兴", "标题"],
    ...                   "text": ["西藏推进乡村振兴，成效明显。\\n甘肃去年减贫100万人\\n甘肃乡村振兴取得新进展。", "一段正文。"]})
    >>> several_headlines(d)
    {'day': ['西藏推进乡村振兴', '甘肃去年减贫100万人']}
    """
    titles = docs[title_column].tolist() if title_column in docs.columns else [None] * len(docs)
    out = {}
    for doc_id, title, text in zip(docs[id_column].astype(str), titles, docs[text_column].astype(str)):
        heads = document_headlines(title, text)
        if len(heads) >= 2:
            out[doc_id] = [h for _, h in heads]
    return out


def kwic_headlines_sentence(
    table: pd.DataFrame,
    docs: pd.DataFrame,
    *,
    text_column: str = "text",
    id_column: str = "doc_id",
    title_column: str = "title",
) -> str | None:
    """What the ``title`` column of the concordance ``table`` (:func:`kwic`) shows in documents of ``docs`` that
    hold several stories, with how many occurrences sit under a later headline than the document's title; ``None``
    when no occurrence is in such a document (the column is then every document's own title).

    >>> d = pd.DataFrame({"doc_id": ["day"], "date": [None], "title": ["西藏推进乡村振兴"],
    ...                   "text": ["西藏推进乡村振兴，成效明显。\\n甘肃去年减贫100万人\\n甘肃乡村振兴取得新进展。"]})
    >>> print(kwic_headlines_sentence(kwic(d, ["乡村振兴"]), d))  # doctest: +NORMALIZE_WHITESPACE
    1 document with an occurrence holds several headlines (such as a day of a news programme or a bulletin of news
    flashes): there `title` is the headline above each occurrence, not the document's title; 1 of its 2 occurrences sits under
    a later headline.
    """
    if table.empty:
        return None
    ids = docs[id_column].astype(str)
    hit = docs[ids.isin(set(table["doc_id"].astype(str)))]
    multi = several_headlines(hit, text_column=text_column, id_column=id_column, title_column=title_column)
    if not multi:
        return None
    rows = table[table["doc_id"].astype(str).isin(set(multi))]
    titles = hit[title_column] if title_column in hit.columns else pd.Series(None, index=hit.index, dtype=object)
    own = rows["doc_id"].astype(str).map(dict(zip(hit[id_column].astype(str), titles)))
    later = int((rows["title"] != own.where(own.notna(), "").astype(str)).sum())
    holds = "holds" if len(multi) == 1 else "hold"
    its = "its" if len(multi) == 1 else "their"
    sits = "sits" if later == 1 else "sit"
    return (
        f"{plural(len(multi), 'document')} with an occurrence {holds} several headlines (such as a day of a news "
        "programme or a bulletin of news flashes): there `title` is the headline above each occurrence, not the document's title; "
        f"{later:,} of {its} {plural(len(rows), 'occurrence')} {sits} under a later headline."
    )


def kwic_sentence(
    table: pd.DataFrame,
    terms: Sequence[str],
    *,
    periods_by_id: Mapping[str, object] | None = None,
    unit: str | None = None,
) -> str:
    """How many occurrences the concordance ``table`` (:func:`kwic`) holds, naming every term without any; when it
    holds none, why there is no concordance (a notebook then shows no table and writes no page).

    With ``periods_by_id`` (doc_id -> period of the time views, ``None`` outside them) and the period ``unit``, it
    also says how many occurrences the trends and change points count (those in documents placed in periods) and
    how many more sit in documents that every time view leaves out (:func:`kwic_placed`), when there are any.

    >>> t = pd.DataFrame({"term": ["乡村振兴"] * 2, "doc_id": ["a", "b"]})
    >>> kwic_sentence(t, ["乡村振兴", "hvr"])
    '2 occurrences of 2 terms in 2 documents; no occurrence of hvr (counted as words, Latin letters in any case).'
    >>> kwic_sentence(t.iloc[:0], ["hvr"])
    'No concordance: no occurrence of hvr (counted as words, Latin letters in any case).'
    """
    terms = list(dict.fromkeys(map(str, terms)))
    if not terms:
        return "No concordance: no terms are traced (see section 4)."
    if table.empty:
        return f"No concordance: no occurrence of {'、'.join(terms)} (counted as words, Latin letters in any case)."
    said = (
        f"{plural(len(table), 'occurrence')} of {plural(len(terms), 'term')} in "
        f"{plural(table.doc_id.nunique(), 'document')}"
    )
    missing = [t for t in terms if t not in set(table.term)]
    if missing:
        said += f"; no occurrence of {'、'.join(missing)} (counted as words, Latin letters in any case)"
    said += "."
    if periods_by_id is not None and unit:
        occ_in, docs_in, occ_out, docs_out = kwic_placed(table, periods_by_id)
        if occ_out:
            said += (
                f" The trends and change points count the {occ_in:,} of them in {plural(docs_in, 'document')} "
                f"placed in {unit}s; the other {occ_out:,}, in {plural(docs_out, 'document')} outside every time "
                "view, are in the concordance only."
            )
    return said


def kwic_placed(table: pd.DataFrame, periods_by_id: Mapping[str, object]) -> tuple[int, int, int, int]:
    """``(occurrences, documents)`` of the concordance ``table`` in documents placed in a period of
    ``periods_by_id`` (doc_id -> period; ``None`` or absent: outside the time views), then outside them.

    >>> t = pd.DataFrame({"term": ["乡村振兴"] * 3, "doc_id": ["a", "a", "b"]})
    >>> kwic_placed(t, {"a": "2018", "b": None})
    (2, 1, 1, 1)
    """
    labels = group_values([periods_by_id.get(str(d)) for d in table["doc_id"]])
    inside = labels.notna().to_numpy()
    ids = table["doc_id"].astype(str).to_numpy()
    return int(inside.sum()), len(set(ids[inside])), int((~inside).sum()), len(set(ids[~inside]))


def kwic_html(table: pd.DataFrame, *, max_rows: int | None = 2000, table_id: str = "kwic") -> str:
    """The concordance as a self-contained HTML table with a filter box (a few lines of inline JavaScript, nothing
    loaded from another host), so a reader can search it offline in the report.

    >>> "乡村振兴" in kwic_html(pd.DataFrame([["乡村振兴", "x", "", "", "左", "乡村振兴", "右"]], columns=KWIC_COLUMNS))
    True
    """
    shown = table if max_rows is None else table.head(max_rows)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in KWIC_COLUMNS)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td style="text-align:{"right" if c == "left" else "left"}">'
            + (f"<b>{html.escape(str(r[c]))}</b>" if c == "match" else html.escape(str(r[c])))
            + "</td>"
            for c in KWIC_COLUMNS
        )
        + "</tr>"
        for r in shown.to_dict("records")
    )
    note = (
        f"{len(shown):,} of {len(table):,} occurrences shown"
        if len(shown) < len(table)
        else f"{len(table):,} occurrences"
    )
    tid = json.dumps(table_id)
    return (
        f'<div><input type="search" placeholder="filter / 筛选" oninput="(function(q){{'
        f"for (const r of document.getElementById({html.escape(tid)}).tBodies[0].rows)"
        f" r.style.display = r.textContent.includes(q) ? '' : 'none';}})(this.value)\" style=\"width:20em\"> "
        f"<small>{note}</small>"
        f'<div style="max-height:420px;overflow:auto"><table id="{html.escape(table_id)}">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div></div>"
    )


# -- topics over time --------------------------------------------------------------------------------------------------
def topic_trends(
    doc_topics: pd.DataFrame,
    periods: Mapping[str, object] | pd.Series,
    *,
    period: str,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Mean topic share per period with a percentile bootstrap interval over the period's documents.

    Parameters
    ----------
    doc_topics : pandas.DataFrame
        Long table ``doc_id, topic, weight`` (as :func:`helpers.topics.doc_topics_table` writes it).
    periods : mapping or Series
        doc_id -> period label (``None``: left out).
    period : str
        The period unit (``year``, ``quarter``, ``month``): every period of the span is listed.
    n_boot, level, seed
        Bootstrap resamples, interval level and seed of the bootstrap.

    Returns
    -------
    pandas.DataFrame
        :data:`TOPIC_TREND_COLUMNS` (``docs``: documents of the period with topic weights).

    References
    ----------
    Efron, B. and Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall (percentile
    interval).

    >>> dt = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "topic": [1, 2, 1, 2], "weight": [0.8, 0.2, 0.4, 0.6]})
    >>> topic_trends(dt, {"a": "2017", "b": "2017"}, period="year", n_boot=100)[["period", "topic", "share"]].round(2).to_dict("list")
    {'period': ['2017', '2017'], 'topic': [1, 2], 'share': [0.6, 0.4]}
    """
    with_topic = doc_topics.dropna(subset=["weight"])  # empty weights: no topic (helpers.topics.without_topic)
    wide = with_topic.pivot_table(index="doc_id", columns="topic", values="weight", aggfunc="sum").fillna(0.0)
    wide.index = wide.index.astype(str)
    per = pd.Series(dict(periods) if not isinstance(periods, pd.Series) else periods.to_dict())
    per.index = per.index.astype(str)
    labels = group_values(per.reindex(wide.index).tolist())
    rng = np.random.default_rng(seed)
    rows = []
    topics = list(wide.columns)
    M = wide.to_numpy()
    for p in period_range(labels, period=period):
        idx = np.flatnonzero(labels.to_numpy() == p)
        if len(idx) == 0:
            rows.extend((p, t, np.nan, np.nan, np.nan, 0) for t in topics)
            continue
        m = M[idx]
        share = m.mean(axis=0)
        W = _bootstrap_weights(len(idx), n_boot, rng)
        boot = (W @ m) / len(idx)
        low, high = np.percentile(boot, [(1 - level) / 2 * 100, (1 + level) / 2 * 100], axis=0)
        for j, t in enumerate(topics):
            rows.append(
                (p, int(t), float(share[j]), float(min(low[j], share[j])), float(max(high[j], share[j])), len(idx))
            )
    return pd.DataFrame(rows, columns=TOPIC_TREND_COLUMNS)


#: a topic is "of the documents left out" of the time views when its mean share in them is at least this many times
#: its mean share in the documents the curves use: its curves then show a fifth or less of the presence the model
#: found it for and stay flat near zero (a judgement: reviewer M's two topics of undated web news had 0.03 in the
#: dated documents against over ten times that in the undated ones; a topic spread evenly has a ratio near 1)
TOPIC_OUTSIDE_RATIO = 5.0


def topics_outside(
    doc_topics: pd.DataFrame, periods_by_id: Mapping[str, object], *, ratio: float = TOPIC_OUTSIDE_RATIO
) -> pd.DataFrame:
    """Each topic's mean share in the documents placed in periods (``share_in``, what the curves of
    :func:`topic_trends` show) and in those left out of the time views (``share_out``), and whether it is a topic
    of the latter (``outside``: ``share_out >= ratio * share_in``, :data:`TOPIC_OUTSIDE_RATIO`).

    Documents without topic weights are not counted; ``docs_in`` and ``docs_out`` say how many were.

    >>> dt = pd.DataFrame({"doc_id": list("aabbcc"), "topic": [1, 2] * 3, "weight": [.9, .1, .8, .2, .05, .95]})
    >>> topics_outside(dt, {"a": "2017", "b": "2018", "c": None})[["topic", "share_in", "share_out", "outside"]].round(2).to_dict("list")
    {'topic': [1, 2], 'share_in': [0.85, 0.15], 'share_out': [0.05, 0.95], 'outside': [False, True]}
    """
    with_topic = doc_topics.dropna(subset=["weight"])
    wide = with_topic.pivot_table(index="doc_id", columns="topic", values="weight", aggfunc="sum").fillna(0.0)
    inside = group_values([periods_by_id.get(str(d)) for d in wide.index]).notna().to_numpy()
    share_in = wide[inside].mean(axis=0) if inside.any() else pd.Series(0.0, index=wide.columns)
    share_out = wide[~inside].mean(axis=0) if (~inside).any() else pd.Series(0.0, index=wide.columns)
    table = pd.DataFrame({"topic": [int(t) for t in wide.columns], "share_in": share_in.to_numpy(),
                          "share_out": share_out.to_numpy()})  # fmt: skip
    table["outside"] = (table.share_out > 0) & (table.share_out >= ratio * table.share_in) & bool(inside.any())
    return table.assign(docs_in=int(inside.sum()), docs_out=int((~inside).sum()))


def topic_coverage_sentence(table: pd.DataFrame, names: Mapping[int, str], *, unit: str, left_out: str) -> str:
    """Which documents the topics-over-time curves use, out of those the topics were fitted on, and which topics
    (:func:`topics_outside`) belong to the documents left out, so that the figure leaves them out.

    ``left_out`` says what the documents left out lack (``"a full date"``).

    >>> t = pd.DataFrame({"topic": [1, 2], "share_in": [0.97, 0.03], "share_out": [0.6, 0.4], "outside": [False, True],
    ...                   "docs_in": 40, "docs_out": 10})
    >>> print(topic_coverage_sentence(t, {1: "T1 a", 2: "T2 b"}, unit="year", left_out="a full date"))  # doctest: +NORMALIZE_WHITESPACE
    The curves use the 40 documents placed in years, of the 50 the topics were fitted on; the 10 without a full date
    are left out. T2 b is a topic of those documents (mean share 0.40 there, 0.03 in the documents placed in years):
    its curve would stay near zero, so the figure leaves it out (`topic_trends.csv` keeps every topic).
    """
    if table.empty:
        return ""
    n_in, n_out = int(table.docs_in.iloc[0]), int(table.docs_out.iloc[0])
    if not n_out:
        return f"The curves use all {plural(n_in, 'document')} the topics were fitted on."
    said = (
        f"The curves use the {plural(n_in, 'document')} placed in {unit}s, of the {n_in + n_out:,} the topics were "
        f"fitted on; the {n_out:,} without {left_out} are left out."
    )
    out = table[table.outside]
    if out.empty:
        return (
            said
            + f" Every topic is present in the documents placed in {unit}s (none has its weight mostly in those left out)."
        )
    one = len(out) == 1
    named = [names.get(t, f"topic {t}") for t in out.topic]
    who = named[0] if one else f"{', '.join(named[:-1])} and {named[-1]}"
    there = " and ".join(f"{v:.2f}" for v in out.share_out)
    here = " and ".join(f"{v:.2f}" for v in out.share_in)
    return said + (
        f" {who} {'is a topic' if one else 'are topics'} of those documents (mean share {there} there, {here} in the "
        f"documents placed in {unit}s): {'its curve' if one else 'their curves'} would stay near zero, so the "
        f"figure leaves {'it' if one else 'them'} out (`topic_trends.csv` keeps every topic)."
    )


# -- what a run found, in sentences ----------------------------------------------------------------------------------
def plural_noun(noun: str) -> str:
    """``"month"`` -> ``"months"``, ``"value of `来源`"`` -> ``"values of `来源`"``."""
    return noun.replace("value of", "values of", 1) if noun.startswith("value of") else f"{noun}s"


def nothing_compared_sentence(plan: Comparison, *, columns: Sequence[str] = ()) -> str:
    """Why keyness compared nothing on this corpus (``plan.kind == "none"``) and what to pass instead; ``""`` when
    it compared something. ``columns`` are the columns a rerun could compare (:func:`other_group_columns`).

    >>> plan = Comparison("none", pd.Series([None]), pd.Series([None]), None, False, {"dated": 0, "documents": 30})
    >>> nothing_compared_sentence(plan, columns=["来源"])
    'Nothing was compared: no document has a full date and no `group_column` was given; pass `-p group_column 来源` or give the documents dates.'
    """
    if plan.kind != "none":
        return ""
    dated, n = plan.counts.get("dated", 0) + plan.counts.get("year only", 0), plan.counts.get("documents", 0)
    why = (
        "no document has a full date"
        if not dated
        else f"the dates of {dated:,} of {n:,} documents make no periods to compare"
    )
    if columns:
        fix = "pass " + " or ".join(f"`-p group_column {c}`" for c in columns)
    else:
        fix = "pass `-p group_column …` with a column whose values several documents share (this corpus has no such column)"
    return f"Nothing was compared: {why} and no `group_column` was given; {fix} or give the documents dates."


def placing_date(plan: Comparison) -> str:
    """What a document needs to be placed in the periods of ``plan``: ``"a full date or a year"`` when years are
    the periods and some documents give a year only, else ``"a full date"``.

    >>> placing_date(Comparison("period", pd.Series(["2016"]), pd.Series(["2016"]), "year", True, {"year only": 3}))
    'a full date or a year'
    """
    return "a full date or a year" if plan.period == "year" and plan.counts.get("year only", 0) else "a full date"


def _dates_finding(plan: Comparison) -> str:
    """Where the time views' periods came from, or why there are none."""
    if not plan.trends:
        return plan.no_trends
    dated = int(plan.periods.notna().sum())
    left = plan.counts.get("documents", len(plan.periods)) - dated
    n_periods = len(period_range(plan.periods, period=plan.period))
    years = plan.counts.get("year only", 0)
    both = plan.period == "year" and years
    source = (
        "only from full dates" if not both else "from full dates and years alone" if dated > years else "from years"
    )
    what = placing_date(plan)
    rest = f"{left:,} without {what} are counted and left out of the time views" if left else "every document has one"
    return f"Periods come {source}: {plural(dated, 'document')} in {plural(n_periods, plan.period)}; {rest}."


def _keyness_finding(
    plan: Comparison, key: pd.DataFrame, honesty: pd.DataFrame | None, *, alpha: float, columns: Sequence[str]
) -> str:
    """What keyness compared, how many tests were significant, and what the shuffled labels flagged."""
    if plan.kind == "none":
        return nothing_compared_sentence(plan, columns=columns)
    n_sig = int(key.significant.sum()) if len(key) else 0
    if plan.kind == "document":
        return (
            f"Keyness compared each of {plural(len(plan.groups), 'document')} with the others, a description "
            f"({n_sig:,} significant: no test on a single document can be); no shuffled-labels check, as shuffling one "
            "label per document changes nothing."
        )
    what = f"the {plural_noun(plan.noun)}"
    if not len(key):
        return f"Keyness compared {what}, but no term was used in enough documents (`min_docs`) to be tested."
    said = (
        f"Keyness compared {what} on documents, not occurrences, and corrected {plural(len(key), 'test')} for their "
        f"number (Benjamini–Hochberg): {n_sig:,} significant at a false discovery rate of {alpha:g}."
    )
    if honesty is not None:
        _, by_docs, by_tokens = (int(v) for v in honesty.significant)  # as given; shuffled: documents, tokens
        said += (
            f" With the labels shuffled, the document-level test flagged {by_docs:,} and the token-count test "
            f"{by_tokens:,}: what each flags by chance on this corpus."
        )
    return said


def _traced_finding(
    plan: Comparison, traced: Sequence[str], *, given: bool, changes: pd.DataFrame, alpha: float
) -> str:
    """How many terms were traced, how chosen, and how many change points survive correction."""
    if not traced:
        return traced_terms_sentence(plan, [], given=False)
    how = "given as `terms`" if given else "picked from the keyness table"
    n = plural(len(traced), "term")
    if not plan.trends:
        return f"{n[0].upper()}{n[1:]} ({how}) traced in the concordance only, as there are no time views."
    kept = int((changes.p_adj <= alpha).sum()) if len(changes) else 0
    allow = "" if given else ", allowing for the search over every keyness term that picked them"
    return (
        f"{n[0].upper()}{n[1:]} ({how}) traced as words, with intervals that stay wide where documents are few; "
        f"{kept:,} of {len(changes):,} change points have `p_adj` at or below {alpha:g}{allow}."
    )


def run_summary(
    plan: Comparison,
    *,
    key: pd.DataFrame,
    honesty: pd.DataFrame | None,
    traced: Sequence[str],
    given: bool,
    tables: Mapping[str, pd.DataFrame],
    alpha: float,
    columns: Sequence[str] = (),
    composition: str = "",
    periods_by_id: Mapping[str, object] | None = None,
) -> str:
    """Notebook 05's *Summary*: one bullet each for the dates, the make-up of the periods (``composition``, the
    :func:`composition_sentence` of the run, when its columns were checked), keyness (with the shuffled-labels
    check), the traced terms and the concordance (when terms were traced: with ``periods_by_id``, doc_id -> period,
    it says how many occurrences the time views count and how many sit outside them), every sentence computed from
    the run; a last bullet names the ``tables`` (name to table: term_trends, change_points, kwic, topic_trends) not
    written, having no row.

    >>> plan = Comparison("none", pd.Series([None]), pd.Series([None]), None, False, {"dated": 0, "documents": 30},
    ...                   no_trends="No document carries a full date, so time views are not made.")
    >>> empty = pd.DataFrame(columns=["term", "doc_id", "significant", "p_adj"])
    >>> print(run_summary(plan, key=empty, honesty=None, traced=[], given=False, tables={"kwic": empty}, alpha=0.05))
    - No document carries a full date, so time views are not made.
    - Nothing was compared: no document has a full date and no `group_column` was given; pass `-p group_column …` with a column whose values several documents share (this corpus has no such column) or give the documents dates.
    - No terms are traced: no `terms` were given, and keyness, which picks them otherwise, was not made (see section 1).
    - Not written, having no row: `kwic.csv`.
    """
    concordance = tables.get("kwic", pd.DataFrame(columns=KWIC_COLUMNS))
    changes = tables.get("change_points", pd.DataFrame(columns=[*CHANGE_COLUMNS, "p_adj"]))
    placed = periods_by_id if plan.trends else None
    kwic_said = kwic_sentence(concordance, traced, periods_by_id=placed, unit=plan.period) if traced else ""
    if len(concordance):  # no terms: the traced bullet says so
        outside = kwic_placed(concordance, placed)[2] if placed is not None else 0
        behind = "of the traced terms" if outside else "behind the numbers"
        kwic_said = f"The concordance (`kwic.csv`, `kwic.html`) shows every occurrence {behind}: {kwic_said}"
    bullets = [
        _dates_finding(plan),
        composition,
        _keyness_finding(plan, key, honesty, alpha=alpha, columns=columns),
        _traced_finding(plan, traced, given=given, changes=changes, alpha=alpha),
        kwic_said,
    ]
    empty = [f"`{name}.csv`" for name, table in tables.items() if not len(table)]
    if empty:
        bullets.append(f"Not written, having no row: {', '.join(empty)}.")
    return "\n".join(f"- {b}" for b in bullets if b)
