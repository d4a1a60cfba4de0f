"""Benchmarks, run with `make bench` (`python -m bench [module …]`).

Each module has `run() -> str` returning a Markdown section; the runner sets Django up on a throwaway
database (`bench.settings`), runs the modules in order and writes docs/benchmarks.md.

Order matters: `contacts` generates national-size synthetic data and refuses a database that already holds demo
contacts, so it runs before `concurrent` and `pages`, which load the demo town. Modules that need PostgreSQL print
a note and skip on SQLite; `make bench` runs on PostgreSQL when DATABASE_URL points there.
"""

MODULES = [
    "areas_import",
    "contacts",
    "followup",
    "concurrent",
    "assets",
    "themes",
    "pages",
    "surveys",
    "participation",
    "audit",
]
