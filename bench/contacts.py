"""Benchmark (issue 4): the capture POST and the buurt timeline on 1,000,000 contact moments over 15,000 buurten.

PostgreSQL only. `generate_bench_data` fills the throwaway bench database; a real server process (gunicorn, 2 sync
workers, DEBUG off, `bench.settings` plus two bare views from `bench.contacts_views`) serves it.
deduce is loaded in each worker before it takes requests (as with DEIDENTIFY_PRELOAD) and warmed with capture
POSTs before timing; tasks are stored for a worker (the django-tasks-db backend, as deployed), not run inside
the request, so the numbers are a capture's steady state, not the one-off load. One client logged in as a
bench buurtwerker (scope: one wijk of 5 buurten) sends the six requests in turn, one at a time:

- the capture POST (`/contacten/nieuw/`, a valid form with two topics and a note that deduce must de-identify)
  against a bare view doing one INSERT into the same table behind the same middleware, login and CSRF check;
- the buurt timeline (`/contacten/buurt/<code>/`) against a bare view doing one indexed read (the newest 25 rows
  of the buurt through the (buurt, -occurred_at) index).

Goals: capture p95 ≤ 2× the bare insert's p95, timeline p95 ≤ 2.5× the bare read's p95.

Issue 13 adds the organisation rule (records belong to an organisation; sharing only by agreement). Its cost is
measured in the same run: the same two pages are also served under `AREA_ONLY_PREFIX`, judged by the area rule
alone as before issue 13 (`contacts_views.area_rule_only`). Goal: each page ≤ 1.10× its area-only twin. A quarter
of the bench contact moments belong to a second organisation, so the rule has rows to leave out.
"""

from __future__ import annotations

import http.client
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.common import free_port, percentile, start_gunicorn, stop_server, wait_until_up
from bench.contacts_views import AREA_ONLY_PREFIX, BARE_INSERT_PATH, BARE_READ_PATH

BUURTEN = 15_000
CONTACTEN = 1_000_000
SEED = 1
REQUESTS = 300  # per target, after the warm-up
WARM_UP = 30  # rounds over all targets; the capture warm-up also makes sure both workers have deduce loaded
TIME_BUDGET_SECONDS = 240.0
REQUEST_TIMEOUT_SECONDS = 30.0
WORKERS = 2
CAPTURE_GOAL = 2.0
TIMELINE_GOAL = 2.5
RULE_GOAL = 1.10  # the organisation rule's cost, against the area rule alone
WIJK_INDEX = 1234  # the bench buurtwerker's wijk: its 5 buurten are the ones captured into and read
CSRF_SECRET = "benchcsrfsecret0123456789abcdefg"  # 32 characters, sent as cookie and header (unmasked)
NOTE = (
    "Mevrouw Jansen van de Dorpsstraat 12 (06-12345678, j.jansen@example.nl) vroeg naar de energietoeslag; "
    "formulier samen ingevuld, volgende week terugkomen."
)
TOPICS = ["energie-geldzaken", "werk-inkomen"]


@dataclass
class Target:
    label: str
    method: str
    paths: list[str]
    expect_status: int
    must_contain: str = ""
    body: dict | None = None
    timings: list[float] = field(default_factory=list)
    calls: int = 0

    def next_path(self) -> str:
        self.calls += 1
        return self.paths[self.calls % len(self.paths)]


def _request(port: int, target: Target, headers: dict) -> tuple[int, bytes, float]:
    path = target.next_path()
    body = urlencode(target.body, doseq=True) if target.body is not None else None
    request_headers = dict(headers)
    if body is not None:
        request_headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECONDS)
    try:
        started = time.perf_counter()
        connection.request(target.method, path, body=body, headers=request_headers)
        response = connection.getresponse()
        content = response.read()
        elapsed = time.perf_counter() - started
        return response.status, content, elapsed
    finally:
        connection.close()


def _request_checked(port: int, target: Target, headers: dict) -> float:
    status, content, elapsed = _request(port, target, headers)
    if status != target.expect_status or target.must_contain.encode() not in content:
        raise RuntimeError(
            f"{target.method} {target.paths} answered {status} (expected {target.expect_status}) "
            f"{content[:300]!r}; not measuring that."
        )
    return elapsed


def _headers_for(user) -> dict:
    """A logged-in session for `user` in the bench database, plus a CSRF cookie and the matching header."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={CSRF_SECRET}",
        "X-CSRFToken": CSRF_SECRET,
        "Accept-Language": "nl",
    }


def _query_counts(user, buurt_codes: list[str]) -> dict[str, int]:
    """Queries per request, counted in this process through the same views (deduce loads here too)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from bench.contacts_views import PRODUCTION_TASKS

    with override_settings(TASKS=PRODUCTION_TASKS):  # as the bench server runs (see make_application)
        return _count_queries(user, buurt_codes, Client, connection, CaptureQueriesContext)


def _count_queries(user, buurt_codes, Client, connection, CaptureQueriesContext) -> dict[str, int]:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    counts = {}
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/contacten/buurt/{buurt_codes[0]}/")
    assert response.status_code == 200, response.status_code
    counts["timeline"] = len(queries)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/contacten/buurt/{buurt_codes[0]}/?page=3")
    counts["timeline page 3"] = len(queries)
    body = {"buurt": buurt_codes[0], "channel": "straat", "topics": TOPICS, "note": NOTE}
    client.post("/contacten/nieuw/", body)  # loads deduce in this process first
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/contacten/nieuw/", body)
    assert response.status_code == 302, response.status_code
    counts["capture"] = len(queries)
    return counts


def measure() -> dict:
    from django.core.management import call_command

    from nabij.accounts.models import User
    from nabij.contacts.models import ContactMoment

    from bench.management.commands.generate_bench_data import (
        BUURTEN_PER_WIJK,
        bench_buurt_code,
        bench_worker_email,
    )

    started = time.perf_counter()
    call_command("generate_bench_data", buurten=BUURTEN, contacten=CONTACTEN, seed=SEED, verbosity=0)
    generate_seconds = time.perf_counter() - started
    user = User.objects.get(email=bench_worker_email(WIJK_INDEX))
    codes = [bench_buurt_code(WIJK_INDEX * BUURTEN_PER_WIJK + b) for b in range(BUURTEN_PER_WIJK)]
    rows_per_buurt = ContactMoment.objects.filter(buurt_id__in=codes).count() / len(codes)
    query_counts = _query_counts(user, codes)
    headers = _headers_for(user)
    capture_body = {"buurt": codes[0], "channel": "straat", "topics": TOPICS, "note": NOTE}
    targets = [
        Target("bare insert (1 INSERT)", "POST", [BARE_INSERT_PATH], 200, "ok", {"buurt": codes[0], "note": NOTE}),
        Target("capture POST", "POST", ["/contacten/nieuw/"], 302, "", capture_body),
        Target("bare indexed read (25 rows)", "GET", [BARE_READ_PATH.format(code=c) for c in codes], 200, "ok 25"),
        Target("buurt timeline", "GET", [f"/contacten/buurt/{c}/" for c in codes], 200, "Benchbuurt"),
        Target("capture POST, area rule only", "POST", [f"{AREA_ONLY_PREFIX}/contacten/nieuw/"], 302, "", capture_body),
        Target(
            "buurt timeline, area rule only",
            "GET",
            [f"{AREA_ONLY_PREFIX}/contacten/buurt/{c}/" for c in codes],
            200,
            "Benchbuurt",
        ),
    ]
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="nabij-bench-contacts-") as directory:
        log_path = Path(directory) / "gunicorn.log"
        process = start_gunicorn(
            "bench.contacts_views:make_application()", port, log_path, workers=WORKERS, timeout=120
        )
        server_started = time.perf_counter()
        try:
            wait_until_up(port, process, log_path, seconds=180)
            startup_seconds = time.perf_counter() - server_started
            first_capture = _request_checked(port, targets[1], headers)
            for _ in range(WARM_UP):
                for target in targets:
                    _request_checked(port, target, headers)
            deadline = time.monotonic() + TIME_BUDGET_SECONDS
            # Round robin, so that any drift of the (shared) machine hits every target alike.
            for _ in range(REQUESTS):
                if time.monotonic() > deadline:
                    break
                for target in targets:
                    target.timings.append(_request_checked(port, target, headers))
        finally:
            stop_server(process)
    return {
        "targets": targets,
        "generate_seconds": generate_seconds,
        "startup_seconds": startup_seconds,
        "first_capture": first_capture,
        "rows_per_buurt": rows_per_buurt,
        "query_counts": query_counts,
        "total_rows": ContactMoment.objects.count(),
    }


def _verdict(ratio: float, goal: float) -> str:
    return f"≤ {goal:g}×: **{'met' if ratio <= goal else 'missed'}**"


def run() -> str:
    """Measure capture and timeline; return a Markdown section for docs/benchmarks.md."""
    from django.db import connection

    title = "## Contacts: capture and buurt timeline at national size"
    if connection.vendor != "postgresql":
        return (
            f"{title}\n\nSkipped: this benchmark needs PostgreSQL (1,000,000 contact moments); run "
            "`DATABASE_URL=postgres://… make bench`.\n"
        )
    result = measure()
    bare_insert, capture, bare_read, timeline, capture_area, timeline_area = result["targets"]
    rows = []
    for measured, bare, goal in ((capture, bare_insert, CAPTURE_GOAL), (timeline, bare_read, TIMELINE_GOAL)):
        for target in (bare, measured):
            p50, p95 = percentile(target.timings, 0.5), percentile(target.timings, 0.95)
            is_bare = target is bare
            ratio = p95 / percentile(bare.timings, 0.95)
            rows.append(
                f"| {target.label} | {len(target.timings)} | {p50 * 1000:.1f} | {p95 * 1000:.1f} | "
                + ("– | – |" if is_bare else f"{ratio:.2f} | {_verdict(ratio, goal)} |")
            )
    rule_rows = []
    for measured, area in ((capture, capture_area), (timeline, timeline_area)):
        p50, p95 = percentile(measured.timings, 0.5), percentile(measured.timings, 0.95)
        a50, a95 = percentile(area.timings, 0.5), percentile(area.timings, 0.95)
        rule_rows.append(
            f"| {measured.label} | {p50 * 1000:.1f} / {p95 * 1000:.1f} | {a50 * 1000:.1f} / {a95 * 1000:.1f} | "
            f"{p50 / a50:.2f} | {p95 / a95:.2f} | {_verdict(p50 / a50, RULE_GOAL)} |"
        )
    counts = result["query_counts"]
    lines = [
        title,
        "",
        f"`generate_bench_data --buurten {BUURTEN} --contacten {CONTACTEN} --seed {SEED}` took "
        f"{result['generate_seconds']:.0f} s ({result['total_rows']:,} contact moments in the table at the end, "
        f"about {result['rows_per_buurt']:.0f} per buurt over two years). gunicorn with {WORKERS} sync workers "
        f"on 127.0.0.1, DEBUG off, tasks stored for the db_worker as deployed; each worker loads deduce before it "
        f"takes requests (server up after "
        f"{result['startup_seconds']:.1f} s; the first capture POST took {result['first_capture'] * 1000:.0f} ms), "
        f"then {WARM_UP} warm-up rounds. One client logged in as a bench buurtwerker (scope: one wijk of 5 "
        f"buurten) sends the six requests in turn, one at a time; times are whole HTTP requests as the client "
        "sees them. The capture POST is a valid form (buurt, channel, two topics, a note with a name, an address, "
        "a phone number and an e-mail address that deduce replaces) and is answered with the redirect; the bare "
        "insert is one INSERT into the same table, the bare read the newest 25 contact moments of the buurt "
        "through the (buurt, -occurred_at) index, both behind the same middleware, login and CSRF check. The "
        "timeline and bare read rotate over the worker's 5 buurten.",
        "",
        "| request | requests | p50 ms | p95 ms | p95 × bare | goal |",
        "|---|---:|---:|---:|---:|---|",
        *rows,
        "",
        "The organisation rule (issue 13) against the same pages judged by the area rule alone, in the same run "
        "(a quarter of the contact moments belong to a second organisation):",
        "",
        "| page | with the rule p50 / p95 ms | area rule only p50 / p95 ms | × p50 | × p95 | goal (p50) |",
        "|---|---:|---:|---:|---:|---|",
        *rule_rows,
        "",
        f"Queries per request (counted in-process): timeline {counts['timeline']} (page 3: "
        f"{counts['timeline page 3']}), capture POST {counts['capture']}.",
        "",
    ]
    return "\n".join(lines)
