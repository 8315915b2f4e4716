"""Benchmarks: each script measures the project's path and a baseline in the same run and prints the ratio.

Run them all with ``make bench`` (``python -m benchmarks.run_all``); see ``benchmarks/README.md``.
"""
