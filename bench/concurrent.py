"""Benchmark (issue 15): every staff page, the capture POST and public survey submissions under 20 clients.

PostgreSQL only, on the national data set in one run: `generate_bench_data` (1,000,000 contact moments over
15,000 buurten and one bench buurtwerker per wijk), the follow-up data of `bench.followup` (200,000 promises,
50,000 referrals, a coordinator with one gemeente), the 50,000 sociale-kaart items of `bench.assets`, the demo
town (`demo_load`: the demo project with its inputs) and a survey with SURVEY_RESPONSES responses made by
`bench.surveys`. All data is made by those modules' own builders; nothing here writes rows of its own.

A real server (gunicorn, 2 sync workers, DEBUG off, `bench.settings`; deduce loaded per worker and tasks stored
for the db_worker as in `bench.contacts_views`, the public rate limit raised as in `bench.surveys_views`) takes
CLIENTS concurrent clients: threads in this process, each with its own `http.client` connection, kept across
requests (gunicorn's sync workers answer `Connection: close`, so the connection reopens after every response,
as for any client of a sync worker) and its own sessions, logged in past the second factor. Client i is bench
buurtwerker i (scope: one wijk of 5 buurten), holds its own session of the bench coordinator (one gemeente) and
of the demo coordinator (owner of the survey and the demo project).

Each target gets all CLIENTS clients at once for BLOCK_SECONDS, in ROUNDS rounds over all targets (bare, home,
…, bare, home, …), so drift of the shared machine hits every target alike. Times are whole HTTP requests as the
client sees them, queueing for a free worker included. Goals (issue 15), each judged against the same clients in
the same run: every staff page's p95 ≤ 3× the bare view's p95, the capture POST's p95 ≤ 2.5×, public survey
submissions ≥ 0.5× the bare insert's requests/s, with 0 keys stored twice.
"""

from __future__ import annotations

import http.client
import json
import os
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import free_port, percentile, start_gunicorn, stop_server, wait_until_up

CLIENTS = 20
WORKERS = 2
BLOCK_SECONDS = 4.0
ROUNDS = 3
WARM_UP_PER_CLIENT = 2  # requests per client and target before the first timed block
REQUEST_TIMEOUT_SECONDS = 60.0
SURVEY_RESPONSES = 20_000
STAFF_GOAL = 3.0  # p95 × the bare view's p95, at most
CAPTURE_GOAL = 2.5  # p95 × the bare view's p95, at most
SUBMIT_GOAL = 0.5  # requests/s × the bare insert's requests/s, at least
RETRY_EVERY = 10  # as bench.surveys: one public post in ten is sent again at once with the same key
FIRST_WIJK = 1234  # client i is the bench buurtwerker of wijk FIRST_WIJK + i (the contacts bench worker is 1234)
URLCONF = "bench.concurrent"
# The national size by default; NABIJ_BENCH_CONTACTEN makes a smaller trial run, which the report then says.
CONTACTEN_ENV = "NABIJ_BENCH_CONTACTEN"


# Pure helpers (tested in bench/tests/test_concurrent.py) -------------------------------------------------------


def verdict(value: float, goal: float, *, at_least: bool = False) -> str:
    """'met' when `value` keeps the goal (≤ goal, or ≥ goal with `at_least`), else 'missed'."""
    return "met" if (value >= goal if at_least else value <= goal) else "missed"


def summary(timings: list[float], seconds: float) -> dict[str, float]:
    """p50 and p95 in ms and requests per second of one target's timed requests (seconds of wall time)."""
    return {
        "requests": len(timings),
        "p50": percentile(timings, 0.5) * 1000,
        "p95": percentile(timings, 0.95) * 1000,
        "rps": len(timings) / seconds if seconds else 0.0,
    }


def goal_text(ratio: float, goal: float, *, at_least: bool = False) -> str:
    """'≤ 3× (2.41×): **met**' for the report table."""
    sign = "≥" if at_least else "≤"
    return f"{sign} {goal:g}×: **{verdict(ratio, goal, at_least=at_least)}**"


# The benchmark server ----------------------------------------------------------------------------------------


def __getattr__(name: str):
    # Read lazily, as bench.contacts_views does: the URLconf needs the app registry, gunicorn imports us first.
    if name == "urlpatterns":
        from bench import contacts_views, surveys_views

        return [*surveys_views._own_patterns, *contacts_views.urlpatterns]
    raise AttributeError(name)


def make_application():
    """The contacts bench server (deduce per worker, stored tasks) plus the surveys bench's bare insert and limit."""
    from bench import contacts_views
    from bench.surveys_views import BENCH_SUBMIT_LIMIT

    application = contacts_views.make_application()
    from django.conf import settings

    settings.ROOT_URLCONF = URLCONF
    settings.SURVEYS_SUBMIT_LIMIT = BENCH_SUBMIT_LIMIT
    return application


# Targets and clients -----------------------------------------------------------------------------------------


@dataclass
class Target:
    label: str
    kind: str  # "bare", "staff", "capture", "bare insert", "submit"
    method: str
    path: object  # a function of the client's index and its request count, returning the path
    session: str = ""  # which of the client's sessions ("worker", "coordinator", "demo"); "" for public posts
    expect: int = 200
    must_contain: str = ""
    body: object = None  # a function of the client's index, returning the form body (bytes)
    timings: list[float] = field(default_factory=list)
    seconds: float = 0.0


class Client:
    """One concurrent client: its own connection, kept across requests, and its own sessions."""

    def __init__(self, index: int, port: int, sessions: dict[str, dict]) -> None:
        self.index = index
        self.count = 0
        self.sessions = sessions
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECONDS)
        self.sent = 0

    def _send(self, method: str, path: str, body: bytes | None, headers: dict) -> tuple[int, bytes, float]:
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            # The server closed the kept connection between requests (sync workers do): reopen, send again.
            self.connection.close()
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        content = response.read()
        return response.status, content, time.perf_counter() - started

    def one(self, target: Target, tally) -> list[float]:
        """One request of `target` (two for a public post that is retried); the times of the checked answers."""
        self.count += 1
        path = target.path(self.index, self.count)
        if target.kind in ("submit", "bare insert"):
            return self._public_post(target, path, tally)
        headers = dict(self.sessions[target.session])
        body = target.body(self.index) if target.body else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        status, content, elapsed = self._send(target.method, path, body, headers)
        if status != target.expect or target.must_contain.encode() not in content:
            raise RuntimeError(
                f"{target.method} {path} answered {status} (expected {target.expect}, containing "
                f"{target.must_contain!r}) {content[:300]!r}; not measuring that."
            )
        return [elapsed]

    def _public_post(self, target: Target, path: str, tally) -> list[float]:
        key = uuid.uuid4().hex
        self.sent += 1
        repeats = 2 if self.sent % RETRY_EVERY == 0 else 1
        timings = []
        for attempt in range(repeats):
            headers = {"Content-Type": "application/json", "Idempotency-Key": key}
            status, content, elapsed = self._send("POST", path, target.body(self.index), headers)
            timings.append(elapsed)
            expected = 201 if attempt == 0 else 200
            if status != expected:
                tally.problem(f"{path} answered {status} (expected {expected}) {content[:200]!r}")
            with tally.lock:
                tally.requests += 1
                tally.retries += attempt
                tally.keys.add(key)
                if target.kind == "submit" and status in (200, 201):
                    response_id = json.loads(content)["id"]
                    first = tally.first_ids.setdefault(key, response_id)
                    if first != response_id:
                        tally.problems.append(f"retry of {key} answered id {response_id}, first was {first}")
        return timings


def _block(clients: list[Client], target: Target, tally, seconds: float) -> None:
    """All clients on `target` at once for `seconds`; adds the timings and the wall time to the target."""
    barrier = threading.Barrier(len(clients) + 1)
    stop = {"at": 0.0}

    def loop(client: Client) -> list[float]:
        barrier.wait()
        timings = []
        while time.monotonic() < stop["at"]:
            timings.extend(client.one(target, tally))
        return timings

    with ThreadPoolExecutor(len(clients)) as pool:
        futures = [pool.submit(loop, client) for client in clients]
        stop["at"] = time.monotonic() + seconds
        started = time.perf_counter()
        barrier.wait()
        results = [future.result() for future in futures]
        target.seconds += time.perf_counter() - started
    for timings in results:
        target.timings.extend(timings)


def _warm_up(clients: list[Client], target: Target, tally) -> None:
    def warm(client: Client) -> None:  # one thread per client: a connection carries one request at a time
        for _ in range(WARM_UP_PER_CLIENT):
            client.one(target, tally)

    with ThreadPoolExecutor(len(clients)) as pool:
        for future in [pool.submit(warm, client) for client in clients]:
            future.result()


# Data ----------------------------------------------------------------------------------------------------------


def _contacten() -> int:
    from bench.contacts import CONTACTEN

    return int(os.environ.get(CONTACTEN_ENV, CONTACTEN))


def _build_data() -> dict:
    """The national data set, made by the other modules' builders; returns what the targets need."""
    import random

    from django.core.management import call_command

    from nabij.accounts.models import User
    from nabij.contacts.models import ContactMoment
    from nabij.demo.services import demo_load

    from bench import assets, followup, surveys
    from bench.contacts import BUURTEN, CONTACTEN
    from bench.contacts import SEED as CONTACTS_SEED
    from bench.management.commands.generate_bench_data import (
        BUURTEN_PER_WIJK,
        bench_buurt_code,
        bench_worker_email,
    )

    seconds = {}
    started = time.perf_counter()
    if _contacten() == CONTACTEN:
        followup._ensure_contacts()  # reuses the contact moments when an earlier module of the run made them
    else:
        call_command("generate_bench_data", buurten=BUURTEN, contacten=_contacten(), seed=CONTACTS_SEED, verbosity=0)
    seconds["contacts"] = time.perf_counter() - started
    started = time.perf_counter()
    worker_ids, wijk_of = followup._workers()
    coordinator = followup._coordinator()
    followup_data = followup._generate_followup(worker_ids, wijk_of)
    seconds["followup"] = time.perf_counter() - started
    started = time.perf_counter()
    item_counts = assets._make_items(random.Random(assets.SEED))
    seconds["sociale kaart"] = time.perf_counter() - started
    started = time.perf_counter()
    demo_load()  # after generate_bench_data, which refuses a database with demo contacts
    survey, survey_codes = surveys._survey("Bench: resultaten bij 20 gebruikers")
    surveys._generate_responses(survey, survey_codes, SURVEY_RESPONSES)
    submit_survey, submit_codes = surveys._survey("Bench: gelijktijdig insturen")
    bare_survey, _codes = surveys._survey("Bench: kale insert bij 20 gebruikers")
    seconds["demo town and surveys"] = time.perf_counter() - started
    workers = [User.objects.get(email=bench_worker_email(FIRST_WIJK + i)) for i in range(CLIENTS)]
    codes = [
        [bench_buurt_code((FIRST_WIJK + i) * BUURTEN_PER_WIJK + b) for b in range(BUURTEN_PER_WIJK)]
        for i in range(CLIENTS)
    ]
    return {
        "workers": workers,
        "coordinator": coordinator,
        "demo": User.objects.get(email="coordinator@demo.nabij.example"),
        "codes": codes,
        "gemeente_buurten": _gemeente_buurten(coordinator),
        "survey": survey,
        "submit_survey": submit_survey,
        "submit_body": json.dumps({"antwoorden": {**surveys.ANSWERS, "v6": submit_codes[1]}}).encode(),
        "bare_survey": bare_survey,
        "followup": followup_data,
        "items": item_counts,
        "seconds": seconds,
        "contact_moments": ContactMoment.objects.count(),
    }


def _gemeente_buurten(coordinator) -> list[str]:
    from nabij.areas.models import Buurt

    gemeente = coordinator.scope_gemeenten.get()
    return list(Buurt.objects.filter(gemeente=gemeente).order_by("code").values_list("code", flat=True))


def _targets(data: dict) -> list[Target]:
    from urllib.parse import urlencode

    from bench.assets import QUERIES
    from bench.contacts import NOTE, TOPICS
    from bench.participation import DEMO_SLUG
    from bench.surveys_views import BARE_INSERT_PATH

    codes, area = data["codes"], data["gemeente_buurten"]

    def buurt(i: int, n: int) -> str:
        return codes[i][n % len(codes[i])]

    def search(i: int, n: int) -> str:
        return "/sociale-kaart/zoek/?" + urlencode({"buurt": area[(i + n) % len(area)], "q": QUERIES[n % 7]})

    def capture(i: int) -> bytes:
        form = {"buurt": codes[i][0], "channel": "straat", "topics": TOPICS, "note": NOTE}
        return urlencode(form, doseq=True).encode()

    submit_body = data["submit_body"]
    return [
        Target("bare Django view", "bare", "GET", lambda i, n: "/bench/bare/", "worker", must_contain="ok"),
        Target("home (Mijn buurten)", "staff", "GET", lambda i, n: "/", "worker"),
        Target("buurt page", "staff", "GET", lambda i, n: f"/gebieden/buurt/{buurt(i, n)}/", "worker", 200, "BUX"),
        Target(
            "buurt timeline", "staff", "GET", lambda i, n: f"/contacten/buurt/{buurt(i, n)}/", "worker", 200, "Benchb"
        ),
        Target("Mijn beloftes", "staff", "GET", lambda i, n: "/beloftes/", "worker"),
        Target("team view (1 gemeente)", "staff", "GET", lambda i, n: "/beloftes/team/", "coordinator"),
        Target("sociale kaart search", "staff", "GET", search, "coordinator"),
        Target(
            f"survey results ({SURVEY_RESPONSES:,} responses)",
            "staff",
            "GET",
            lambda i, n: f"/vragenlijsten/{data['survey'].pk}/resultaten/",
            "demo",
        ),
        Target(
            "project inputs (demo project)", "staff", "GET", lambda i, n: f"/projecten/{DEMO_SLUG}/inbreng/", "demo"
        ),
        Target("capture POST", "capture", "POST", lambda i, n: "/contacten/nieuw/", "worker", 302, "", capture),
        Target(
            "bare insert (surveys)",
            "bare insert",
            "POST",
            lambda i, n: BARE_INSERT_PATH.format(survey_id=data["bare_survey"].pk),
            body=lambda i: submit_body,
        ),
        Target(
            "public survey submission",
            "submit",
            "POST",
            lambda i, n: f"/api/v1/vragenlijsten/{data['submit_survey'].slug}/antwoorden",
            body=lambda i: submit_body,
        ),
    ]


def measure() -> dict:
    from django.db.models import Count

    from nabij.surveys.models import Response

    from bench.contacts import _headers_for
    from bench.surveys import Tally

    data = _build_data()
    targets = _targets(data)
    tallies = {"submit": Tally(), "bare insert": Tally()}
    port = free_port()
    clients = [
        Client(
            i,
            port,
            {
                "worker": _headers_for(data["workers"][i]),
                "coordinator": _headers_for(data["coordinator"]),
                "demo": _headers_for(data["demo"]),
            },
        )
        for i in range(CLIENTS)
    ]
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="nabij-bench-concurrent-") as directory:
        log_path = Path(directory) / "gunicorn.log"
        process = start_gunicorn(f"{URLCONF}:make_application()", port, log_path, workers=WORKERS, timeout=120)
        try:
            wait_until_up(port, process, log_path, seconds=180)
            for target in targets:
                _warm_up(clients, target, tallies.get(target.kind))
            Response.objects.filter(survey__in=[data["submit_survey"], data["bare_survey"]]).delete()
            tallies = {"submit": Tally(), "bare insert": Tally()}  # count the timed posts only
            for _ in range(ROUNDS):  # every target in turn, so that drift of the machine hits them alike
                for target in targets:
                    _block(clients, target, tallies.get(target.kind), BLOCK_SECONDS)
        finally:
            for client in clients:
                client.connection.close()
            stop_server(process)
    load_after = os.getloadavg()
    stored = Response.objects.filter(survey=data["submit_survey"])
    duplicates = stored.values("idempotency_key").annotate(n=Count("pk")).filter(n__gt=1).count()
    from bench import assets

    assets._remove_items()
    return {
        "data": data,
        "targets": targets,
        "tallies": tallies,
        "stored": stored.count(),
        "duplicates": duplicates,
        "load": (load_before, load_after),
    }


# Report --------------------------------------------------------------------------------------------------------


def run() -> str:
    """Measure every target under CLIENTS clients; return a Markdown section for docs/benchmarks.md."""
    from django.db import connection

    from bench.contacts import BUURTEN, CONTACTEN

    title = f"## {CLIENTS} concurrent clients: staff pages, capture and public submissions"
    if connection.vendor != "postgresql":
        return f"{title}\n\nSkipped: this benchmark needs PostgreSQL; run `DATABASE_URL=postgres://… make bench`.\n"
    result = measure()
    data, targets, tallies = result["data"], result["targets"], result["tallies"]
    stats = {t.label: summary(t.timings, t.seconds) for t in targets}
    bare = stats[targets[0].label]
    bare_insert = next(stats[t.label] for t in targets if t.kind == "bare insert")
    rows, goals = [], []
    for target in targets:
        s = stats[target.label]
        ratio_text, goal = "–", "–"
        if target.kind in ("staff", "capture"):
            limit = STAFF_GOAL if target.kind == "staff" else CAPTURE_GOAL
            ratio = s["p95"] / bare["p95"]
            ratio_text, goal = f"{ratio:.2f} (p95)", goal_text(ratio, limit)
            goals.append(
                f"{target.label}: p95 {s['p95']:.0f} ms = {ratio:.2f}× bare, goal ≤ {limit:g}×: {verdict(ratio, limit)}"
            )
        elif target.kind == "submit":
            ratio = s["rps"] / bare_insert["rps"]
            ratio_text, goal = f"{ratio:.2f} (req/s)", goal_text(ratio, SUBMIT_GOAL, at_least=True)
            goals.append(
                f"{target.label}: {s['rps']:.1f} req/s = {ratio:.2f}× the bare insert's "
                f"{bare_insert['rps']:.1f}, goal ≥ {SUBMIT_GOAL:g}×: {verdict(ratio, SUBMIT_GOAL, at_least=True)}"
            )
        rows.append(
            f"| {target.label} | `{target.path(0, 0).split('?')[0]}` | {s['requests']} | {s['p50']:.1f} | "
            f"{s['p95']:.1f} | {s['rps']:.1f} | {ratio_text} | {goal} |"
        )
    real = tallies["submit"]
    ok_store = result["duplicates"] == 0 and result["stored"] == len(real.keys) and not real.problems
    goals.append(
        f"public survey submissions, keys stored twice: {result['duplicates']} ({len(real.keys):,} keys "
        f"sent, {result['stored']:,} responses stored), goal 0: {'met' if ok_store else 'missed'}"
    )
    contacten = _contacten()
    size = (
        f"the national data set ({BUURTEN:,} buurten, {contacten:,} contact moments asked)"
        if contacten == CONTACTEN
        else f"**a reduced data set, not the national one**: {contacten:,} contact moments asked ({CONTACTEN_ENV})"
    )
    before, after = result["load"]
    made = ", ".join(f"{key} {value:.0f} s" for key, value in data["seconds"].items())
    lines = [
        title,
        "",
        f"On {size}: {data['contact_moments']:,} contact moments in the table, {data['followup']['promises']:,} "
        f"promises and {data['followup']['referrals']:,} referrals, {sum(data['items'].values()):,} sociale-kaart "
        f"items, the demo town, and a survey with {SURVEY_RESPONSES:,} responses (made in: {made}). gunicorn with "
        f"{WORKERS} sync workers on 127.0.0.1, DEBUG off, deduce loaded per worker, tasks stored for the db_worker. "
        f"{CLIENTS} client threads in the bench process, each with its own connection and sessions (bench "
        f"buurtwerker {FIRST_WIJK}+i, the bench coordinator of one gemeente, the demo coordinator), past the second "
        f"factor; all {CLIENTS} on one target at a time for {BLOCK_SECONDS:.0f} s, {ROUNDS} rounds over all targets, "
        f"after {WARM_UP_PER_CLIENT} warm-up requests per client and target. Times are whole requests as the "
        "client sees them, waiting for a free worker included; public posts are retried once in "
        f"{RETRY_EVERY} with the same Idempotency-Key (both sides). Load average (1/5/15 min) before "
        f"{' / '.join(f'{v:.1f}' for v in before)}, after {' / '.join(f'{v:.1f}' for v in after)}.",
        "",
        "| target | URL | requests | p50 ms | p95 ms | requests/s | × bare | goal |",
        "|---|---|---:|---:|---:|---:|---:|---|",
        *rows,
        "",
        "Goals:",
        "",
        *[f"- {goal}" for goal in goals],
        "",
    ]
    if real.problems or tallies["bare insert"].problems:
        lines += [f"Problems: {real.problems + tallies['bare insert'].problems}", ""]
    return "\n".join(lines)
