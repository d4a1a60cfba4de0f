"""Benchmark: p50/p95 response times of the home page and a buurt page against a bare Django view.

A real server process (gunicorn, 2 sync workers, DEBUG off, `bench.settings`) serves the throwaway bench
database with the demo town loaded (on top of whatever earlier modules left there, e.g. the national map). One
client logged in as the demo buurtwerker requests the three URLs in turn, one request at a time, so each
number is the latency of a single request through the whole stack (HTTP, middleware, session, queries,
templates). The bare view sits behind the same middleware and login, so the ratio shows what the pages add.
"""

from __future__ import annotations

import http.client
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import free_port, percentile, start_gunicorn, stop_server, wait_until_up

REQUESTS = 300  # per URL, after the warm-up
WARM_UP = 20
TIME_BUDGET_SECONDS = 120.0  # for all measured requests together; stops early when exceeded
REQUEST_TIMEOUT_SECONDS = 10.0
WORKERS = 2
BUURTWERKER = "buurtwerker@demo.nabij.example"
BUURT_CODE = "BU99500201"  # Rietlanden-Oost, in the buurtwerker's wijk


@dataclass
class Target:
    label: str
    path: str
    must_contain: str
    timings: list[float] = field(default_factory=list)


def _session_cookie() -> str:
    """A logged-in session for the demo buurtwerker, stored in the bench database the server reads."""
    from django.conf import settings
    from django.test import Client

    from nabij.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=BUURTWERKER))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _get(port: int, path: str, cookie: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECONDS)
    try:
        connection.request("GET", path, headers={"Cookie": cookie, "Accept-Language": "nl"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _request_checked(port: int, target: Target, cookie: str) -> float:
    started = time.perf_counter()
    status, body = _get(port, target.path, cookie)
    elapsed = time.perf_counter() - started
    if status != 200 or target.must_contain.encode() not in body:
        raise RuntimeError(f"{target.path} answered {status} without {target.must_contain!r}; not measuring that.")
    return elapsed


def measure(*, requests: int = REQUESTS, warm_up: int = WARM_UP) -> dict:
    from nabij.areas.models import Buurt
    from nabij.demo.services import demo_load

    demo_load()
    buurten_in_database = Buurt.objects.count()
    cookie = _session_cookie()
    targets = [
        Target("bare Django view", "/bench/bare/", "ok"),
        Target("home (Mijn buurten)", "/", "Rietlanden-Oost"),
        Target("buurt page", f"/gebieden/buurt/{BUURT_CODE}/", BUURT_CODE),
    ]
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="nabij-bench-pages-") as directory:
        log_path = Path(directory) / "gunicorn.log"
        process = start_gunicorn("nabij.wsgi:application", port, log_path, workers=WORKERS, timeout=30)
        try:
            wait_until_up(port, process, log_path, seconds=30)
            for _ in range(warm_up):
                for target in targets:
                    _request_checked(port, target, cookie)
            deadline = time.monotonic() + TIME_BUDGET_SECONDS
            # Round robin, so that any drift of the machine during the run hits every URL alike.
            for _ in range(requests):
                if time.monotonic() > deadline:
                    break
                for target in targets:
                    target.timings.append(_request_checked(port, target, cookie))
        finally:
            stop_server(process)
    return {"targets": targets, "buurten_in_database": buurten_in_database}


def run() -> str:
    """Measure the pages; return a Markdown section for docs/benchmarks.md."""
    result = measure()
    targets: list[Target] = result["targets"]
    bare = targets[0]
    bare_p50 = percentile(bare.timings, 0.5)
    bare_p95 = percentile(bare.timings, 0.95)
    lines = [
        "## Page response times",
        "",
        f"gunicorn with {WORKERS} sync workers on 127.0.0.1, DEBUG off, the demo town loaded "
        f"({result['buurten_in_database']:,} buurten in the database in all); one client logged in "
        f"as the demo buurtwerker (scope: wijk Rietlanden, 4 buurten) requests each URL {len(bare.timings)} times, "
        f"one request at a time and in turn, after {WARM_UP} warm-up rounds. Times are the whole HTTP request "
        "as the client sees it. The bare view returns a two-byte response behind the same middleware and login.",
        "",
        "| page | URL | requests | p50 ms | p95 ms | p50 × bare | p95 × bare |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for target in targets:
        p50 = percentile(target.timings, 0.5)
        p95 = percentile(target.timings, 0.95)
        lines.append(
            f"| {target.label} | `{target.path}` | {len(target.timings)} | {p50 * 1000:.1f} | {p95 * 1000:.1f} | "
            f"{p50 / bare_p50:.1f} | {p95 / bare_p95:.1f} |"
        )
    lines.append("")
    return "\n".join(lines)
