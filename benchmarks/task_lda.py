"""Task ``lda``: the project's LDA fitter with notebook 03's settings against the other engine.

Input: the project tokenizer's tokens of the workload (:func:`benchmarks.workload.read_tokens`), a dictionary
filtered with notebook 03's ``no_below``/``no_above``/``keep_n`` and the bag-of-words vectors, built before the
clock starts. Every fitting setting is read from the ``parameters`` cell of ``notebooks/03_lda_topics.ipynb``
(``passes``, ``iterations``, ``alpha``, ``eta`` and any other argument of :func:`helpers.topics.fit_lda`, such as an
``engine``), so the benchmark fits what the notebook fits; K is fixed at :data:`NUM_TOPICS` and documents are the
units (the notebook chooses K by a sweep and models paragraphs by default).

* ours: :func:`helpers.topics.fit_lda` with the notebook's engine;
* peer: the same call with each other engine ``fit_lda`` offers (``engine=``); when ``fit_lda`` has no engine
  parameter (gensim only), tomotopy's ``LDAModel`` directly, one worker, on the same dictionary's tokens.
"""

from __future__ import annotations

import inspect

from benchmarks.workload import read_tokens

TASK = "lda"
NOTEBOOK = "03_lda_topics.ipynb"
#: topics fitted (the K of the issue's LDA comparison on cnews news, 10 sections)
NUM_TOPICS = 10
#: the peer's Gibbs sampling iterations when fit_lda offers no tomotopy engine (the issue's tomotopy measurement)
TOMOTOPY_ITERATIONS = 200
_DICTIONARY_PARAMS = ("no_below", "no_above", "keep_n")


def notebook_settings() -> dict:
    """Notebook 03's parameters that :func:`helpers.topics.build_dictionary` and ``fit_lda`` take, parsed."""
    import ast

    from helpers import topics as tp
    from helpers.paths import PROJECT_ROOT
    from helpers.report.notebooks import notebook_parameters

    declared = notebook_parameters(PROJECT_ROOT / "notebooks" / NOTEBOOK)
    fit_args = set(inspect.signature(tp.fit_lda).parameters) - {"bow", "dictionary", "num_topics", "random_state"}
    wanted = fit_args | set(_DICTIONARY_PARAMS)
    return {name: ast.literal_eval(value) for name, value in declared.items() if name in wanted}


def split_settings() -> tuple[dict, dict]:
    """Notebook 03's settings as ``(build_dictionary arguments, fit_lda arguments)``."""
    settings = notebook_settings()
    dictionary = {k: settings.pop(k) for k in _DICTIONARY_PARAMS if k in settings}
    return dictionary, settings


def _engines() -> tuple[str, list[str]]:
    """(our engine, the other engines) of ``fit_lda``; ``("gensim", [])`` when it has no ``engine`` parameter."""
    from helpers import topics as tp

    param = inspect.signature(tp.fit_lda).parameters.get("engine")
    if param is None:
        return "gensim", []
    ours_engine = notebook_settings().get("engine", param.default)
    known = getattr(tp, "ENGINES", ("gensim", "tomotopy"))
    return ours_engine, [e for e in known if e != ours_engine]


def inputs(n: int) -> dict:
    """Tokens, dictionary and bag-of-words vectors with the notebook's dictionary filter (untimed)."""
    from helpers import topics as tp

    dictionary_settings, fit = split_settings()
    tokens = read_tokens(n)
    dictionary, _ = tp.build_dictionary(tokens, **dictionary_settings)
    return {"bow": tp.bow_corpus(tokens, dictionary), "dictionary": dictionary, "fit": fit}


def _fit(data: dict, **override) -> dict:
    from helpers import topics as tp

    tp.fit_lda(data["bow"], data["dictionary"], num_topics=NUM_TOPICS, random_state=0, **{**data["fit"], **override})
    return {"num_topics": NUM_TOPICS, **{k: str(v) for k, v in {**data["fit"], **override}.items()}}


def ours(data: dict) -> dict:
    """fit_lda with the notebook's settings."""
    return {"engine": _engines()[0], **_fit(data)}


def _tomotopy_direct(data: dict) -> dict:
    import tomotopy

    dictionary = data["dictionary"]
    model = tomotopy.LDAModel(k=NUM_TOPICS, seed=0)
    for doc in data["bow"]:
        words = [dictionary[t] for t, c in doc for _ in range(c)]
        if words:
            model.add_doc(words)
    model.train(TOMOTOPY_ITERATIONS, workers=1)
    return {"num_topics": NUM_TOPICS, "iterations": TOMOTOPY_ITERATIONS, "isa": tomotopy.isa}


def peers() -> dict:
    """The other engine(s) of fit_lda, or tomotopy directly."""
    ours_engine, others = _engines()
    if not others:
        return {f"tomotopy {TOMOTOPY_ITERATIONS} iterations": _tomotopy_direct}
    return {e: (lambda data, e=e: _fit(data, engine=e)) for e in others}


OURS = "helpers.topics.fit_lda (notebook 03 settings)"
