"""Benchmarks: each stage of the project against its peer library, in the same run, on the same input.

Run them with ``make bench`` (``python -m benchmarks.run_all``); see ``benchmarks/README.md``.
"""
