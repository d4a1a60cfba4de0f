"""Benchmarks, run with `make bench` (`python -m nabij.bench [module …]`).

Each module has `run() -> str` returning a Markdown section; the runner sets Django up on a throwaway
database (`nabij.settings_bench`), runs the modules in order and writes docs/benchmarks.md.
"""

MODULES = ["areas_import", "pages"]
