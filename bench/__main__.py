"""`python -m bench [module …] [--output PATH]`: run the benchmarks on a throwaway database.

Without arguments every module in `bench.MODULES` runs in order and docs/benchmarks.md is rewritten.
With module names only those run and the Markdown goes to stdout (or to --output), so a partial run never
overwrites the full report. The database is a temporary SQLite file, or, when DATABASE_URL points at
PostgreSQL, a separate database `nabij_bench` on that server, created and dropped by the run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import shlex
import sys
import tempfile
import time
import traceback
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench import MODULES

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "docs" / "benchmarks.md"
BENCH_DATABASE = "nabij_bench"


def _postgres_admin(url: str):
    """A psycopg connection to the server's maintenance database, for CREATE/DROP DATABASE."""
    import psycopg

    parts = urlsplit(url)
    admin_url = urlunsplit((parts.scheme.replace("postgis", "postgresql"), parts.netloc, "/postgres", parts.query, ""))
    return psycopg.connect(admin_url, autocommit=True)


def _set_up_database(directory: Path) -> tuple[str, callable]:
    """Choose the bench database URL and return it with a clean-up function."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://", "postgis://")):
        parts = urlsplit(url)
        bench_url = urlunsplit((parts.scheme, parts.netloc, f"/{BENCH_DATABASE}", parts.query, ""))
        with _postgres_admin(url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')

        def drop() -> None:
            from django.db import connections

            connections.close_all()
            with _postgres_admin(url) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')

        return bench_url, drop

    def close() -> None:
        from django.db import connections

        connections.close_all()

    return f"sqlite:///{directory / 'bench.sqlite3'}", close


def _run_module(name: str) -> tuple[str, bool]:
    """Run one module; a missing module is skipped with a note, a failing one reported (and the run fails)."""
    try:
        module = importlib.import_module(f"bench.{name}")
    except ModuleNotFoundError as error:
        if error.name == f"bench.{name}":
            return f"## {name}\n\nSkipped: the module `bench.{name}` is not available yet.\n", True
        raise
    started = time.perf_counter()
    try:
        section = module.run()
    except Exception:  # noqa: BLE001 - the report must say what failed, then the run exits non-zero
        traceback.print_exc()
        return f"## {name}\n\n**Failed**:\n\n```\n{traceback.format_exc(limit=5)}```\n", False
    print(f"  {name}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return section.rstrip() + f"\n\n_Module `{name}` took {time.perf_counter() - started:.0f} s._\n", True


def _report(sections: list[str], command: str, seconds: float) -> str:
    from bench.common import machine_rows

    now = dt.datetime.now(dt.UTC).astimezone()
    lines = [
        "# Benchmarks",
        "",
        f"Written by `{command}` on {now:%Y-%m-%d %H:%M %Z} in {seconds:.0f} s. "
        "Each run uses a throwaway database; numbers are from this machine only.",
        "",
        "| machine | |",
        "|---|---|",
        *[f"| {key} | {value} |" for key, value in machine_rows()],
        "",
    ]
    return "\n".join(lines) + "\n" + "\n".join(section.rstrip() + "\n" for section in sections)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", metavar="module", help="any of: " + ", ".join(MODULES))
    parser.add_argument("--output", type=Path, help="report file (default: docs/benchmarks.md for a full run)")
    arguments = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(arguments)
    unknown = [name for name in args.modules if name not in MODULES]
    if unknown:
        parser.error(f"unknown module(s): {', '.join(unknown)}; choose from {', '.join(MODULES)}")
    # Always in MODULES order: some modules need an empty database and must run before the demo town loads.
    modules = [name for name in MODULES if name in args.modules] if args.modules else MODULES
    output = args.output or (REPORT if not args.modules else None)
    command = " ".join(["python -m bench", *map(shlex.quote, arguments)])

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="nabij-bench-") as directory:
        url, clean_up = _set_up_database(Path(directory))
        os.environ["NABIJ_BENCH_DATABASE_URL"] = url
        os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
        try:
            import django
            from django.core.management import call_command

            django.setup()
            # The benchmarks measure pages as a logged-in worker sees them: past the second factor.
            from nabij.accounts.mfa.testing import use_verified_force_login

            use_verified_force_login()
            print(f"Benchmark database: {url.split('@')[-1]}", file=sys.stderr, flush=True)
            call_command("migrate", verbosity=0, interactive=False)
            sections, ok = [], True
            for name in modules:
                print(f"Running {name} …", file=sys.stderr, flush=True)
                section, module_ok = _run_module(name)
                sections.append(section)
                ok = ok and module_ok
            report = _report(sections, command, time.perf_counter() - started)
        finally:
            clean_up()

    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(report, encoding="utf-8")
        print(f"Wrote {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}", file=sys.stderr)
    else:
        print(report)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
