"""Task ``tokenise``: the project's tokenizer against plain jieba with the same dictionary, one core.

Input: the cleaned texts of the workload (:func:`benchmarks.workload.cleaned_texts`). Both sides load their
dictionary before the clock starts (a warm tokenizer, as in a notebook after its first document), then tokenise
every text in one process:

* ours: :meth:`helpers.tokenize.Tokenizer.tokenize` (the default engine, normalisation, stopwords and filter);
* peer: plain jieba's ``lcut`` with jieba's dictionary and the project's domain dictionary loaded, as
  ``benchmarks.bench_tokenize`` builds it (no normalisation, no filtering: what a user of plain jieba with this
  dictionary would run).
"""

from __future__ import annotations

from benchmarks.workload import cleaned_texts

TASK = "tokenise"
OURS = "helpers.tokenize.Tokenizer.tokenize (1 core)"


def inputs(n: int) -> dict:
    """The cleaned texts and both tokenizers, dictionaries loaded (untimed)."""
    from benchmarks.bench_tokenize import plain_jieba_with_dictionary
    from helpers.tokenize import get_default_tokenizer

    texts = cleaned_texts(n)
    ours_tk = get_default_tokenizer()
    ours_tk.tokenize(texts[0])
    return {"texts": texts, "ours": ours_tk.tokenize, "plain_jieba": plain_jieba_with_dictionary()}


def _run(data: dict, side: str) -> dict:
    tokenize = data[side]
    return {"tokens": sum(len(tokenize(t)) for t in data["texts"]), "docs": len(data["texts"])}


def ours(data: dict) -> dict:
    """Tokenise every text with the project's default tokenizer."""
    return {**_run(data, "ours"), "mb": round(sum(len(t.encode()) for t in data["texts"]) / 1e6, 2)}


def peers() -> dict:
    """The peer: plain jieba with the project's dictionary (``benchmarks.bench_tokenize``'s)."""
    return {"jieba (same dictionary)": lambda data: _run(data, "plain_jieba")}
