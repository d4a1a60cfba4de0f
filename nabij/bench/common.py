"""Helpers shared by the benchmark modules and the runner: machine facts, percentiles, a free port."""

from __future__ import annotations

import math
import os
import platform
import socket
import sqlite3
from pathlib import Path


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (fraction 0.5 = median, 0.95 = p95) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(len(ordered) * fraction))
    return ordered[rank - 1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def database_description() -> str:
    """Engine and server version of Django's default database connection."""
    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version} (temporary file)"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        return f"PostgreSQL {version} (database {connection.settings_dict['NAME']})"
    return connection.vendor


def machine_rows() -> list[tuple[str, str]]:
    import django

    memory = memory_gb()
    return [
        ("CPU", f"{cpu_model()}, {os.cpu_count()} cores"),
        ("RAM", f"{memory:.1f} GB" if memory else "unknown"),
        ("OS", f"{platform.system()} {platform.release()} ({platform.machine()})"),
        ("Python", platform.python_version()),
        ("Django", django.get_version()),
        ("Database", database_description()),
        # Other work on the machine skews the timings; this shows whether the machine was busy.
        ("Load average at start (1/5/15 min)", " / ".join(f"{value:.1f}" for value in os.getloadavg())),
    ]
