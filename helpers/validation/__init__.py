"""Validation: metrics, baselines and test material, kept apart from the analyses they check.

The analysis modules (``helpers.keywords``, ``helpers.topics``, ``helpers.similarity``, ``helpers.reprints`` …)
hold analysis only. What measures them lives here, one submodule per analysis: metrics against gold labels
(keyword F1, NMI, precision at k, pair precision and recall), the naive baselines a method is compared with, and
synthetic test material (templated pages, perturbed reprints), as textacy keeps ``datasets`` apart from
``extract``.
"""
