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


# A real server for the latency benchmarks ------------------------------------------------------------------


def start_gunicorn(application: str, port: int, log_path: Path, *, workers: int = 2, timeout: int = 60):
    """gunicorn with sync workers on 127.0.0.1 and the bench settings; the runner must have set up the database."""
    import subprocess
    import sys

    if not os.environ.get("NABIJ_BENCH_DATABASE_URL"):
        raise RuntimeError("NABIJ_BENCH_DATABASE_URL is not set; run through `python -m bench`.")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "gunicorn", application, "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--worker-class", "sync", "--timeout", str(timeout)]
    command += ["--log-level", "warning"]
    with log_path.open("w") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=Path(__file__).parents[1])


def wait_until_up(port: int, process, log_path: Path, seconds: float) -> None:
    """Wait until the bare view answers; fail with the server's log when it stops or takes too long."""
    import http.client
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log_path.read_text()[-2000:]}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/bench/bare/")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
        finally:
            connection.close()
    raise RuntimeError(f"gunicorn did not answer within {seconds:.0f} s:\n{log_path.read_text()[-2000:]}")


def stop_server(process) -> None:
    import subprocess

    if process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
