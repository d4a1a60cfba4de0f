"""Benchmark (issue 7): public submissions per second, XLSX export of 100,000 responses, public page weight.

(a) A real server (gunicorn, 2 sync workers, DEBUG off, `bench.settings` plus the bare view of
`bench.surveys_views`) and a load generator on 127.0.0.1: a pool of CLIENTS threads that post as fast as
the server answers, in alternating blocks (bare, real, bare, …) of BLOCK_SECONDS, ROUNDS blocks each, so drift of
the shared machine hits both alike. The real target is the public answer endpoint
`POST /api/v1/vragenlijsten/{slug}/antwoorden` with a valid questionnaire (choice with skip logic, several
choices, scale, number, top 3, buurt; no open text, whose de-identification is measured in the contacts bench);
the bare view does one INSERT into the same table. Every post has a new `Idempotency-Key`; one in RETRY_EVERY is
sent again with the same key at once (a retry: it must answer 200 with the first response's id), and at the end
DOUBLE_TAPS keys are posted twice at the same moment. Then the database must hold exactly one response per key.
Goal: real ≥ 0.6 × bare (requests per second, retries included on both sides).

(b) The per-response XLSX export (`spreadsheets.xlsx_file` of `export_rows(…)`, the code the export page runs) of
EXPORT_RESPONSES responses, in this process; resident memory (VmRSS) is sampled every 10,000 rows.
Goal ≥ 10,000 rows/s with flat memory.

(c) The public page `/v/<slug>/` as a browser gets it: the HTML from the server (not compressed: it carries a
CSRF token, and compressing it would open the page to BREACH), plus each stylesheet and script it links, at the
size WhiteNoise serves it (brotli, which CompressedManifestStaticFilesStorage writes next to each file; gzip for
browsers without brotli). Goal ≤ 50 KB before any image.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.common import free_port, start_gunicorn, stop_server, wait_until_up
from bench.surveys_views import BARE_INSERT_PATH

CLIENTS = 4
WORKERS = 2
BLOCK_SECONDS = 5.0
ROUNDS = 3  # blocks per target: 15 s each
RETRY_EVERY = 10
DOUBLE_TAPS = 50
REQUEST_TIMEOUT_SECONDS = 30.0
SUBMIT_GOAL = 0.6
EXPORT_RESPONSES = 100_000
EXPORT_GOAL = 10_000  # rows per second
PAGE_GOAL_BYTES = 50 * 1024
ANSWERS = {"v1": "ja", "v2": ["planten", "zitten"], "v3": 4, "v4": 42, "v5": ["groen", "spelen", "veilig"]}


# Setup -----------------------------------------------------------------------------------------------------


def _survey(title: str):
    """An open questionnaire over three demo buurten with the question types residents meet most."""
    from nabij.accounts.models import User
    from nabij.areas.models import Buurt
    from nabij.surveys import services
    from nabij.surveys.models import Survey

    owner = User.objects.get(email="coordinator@demo.nabij.example")
    buurten = list(Buurt.objects.filter(gemeente_id="GM9950", is_water=False).order_by("code")[:3])
    survey = services.survey_create(owner=owner, title=title, buurten=buurten, privacy_text="")
    section = survey.sections.get()
    ask = {"survey": survey, "section": section}
    q1 = services.question_create(**ask, kind="een", text="Heeft u een tuin?", options=["Ja", "Nee"], required=True)
    services.question_create(
        **ask,
        kind="meer",
        text="Wat doet u in de tuin?",
        options=["Planten", "Zitten", "Spelen"],
        allow_other=True,
        show_if_question=q1,
        show_if_value="ja",
    )
    services.question_create(**ask, kind="schaal", text="Hoe groen is uw straat?", min_label="grijs", max_label="groen")
    services.question_create(**ask, kind="getal", text="Hoe oud bent u?", min_value=0, max_value=120)
    services.question_create(
        **ask, kind="top3", text="Wat is het belangrijkst?", options=["Groen", "Spelen", "Veilig", "Schoon", "Rust"]
    )
    services.question_create(**ask, kind="buurt", text="In welke buurt woont u?")
    services.survey_set_status(survey=survey, by=owner, status=Survey.Status.OPEN)
    return Survey.objects.get(pk=survey.pk), [b.code for b in buurten]


# Server ----------------------------------------------------------------------------------------------------


def _post(port: int, path: str, body: bytes, key: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECONDS)
    try:
        connection.request(
            "POST", path, body=body, headers={"Content-Type": "application/json", "Idempotency-Key": key}
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# (a) Submissions -------------------------------------------------------------------------------------------


class Tally:
    """What the load generator sent and got back, shared by its threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests = 0
        self.retries = 0
        self.keys: set[str] = set()
        self.first_ids: dict[str, int] = {}
        self.problems: list[str] = []

    def problem(self, text: str) -> None:
        with self.lock:
            if len(self.problems) < 5:
                self.problems.append(text)


def _client_loop(port: int, path: str, body: bytes, real: bool, deadline: float, tally: Tally) -> None:
    sent = 0
    while time.monotonic() < deadline:
        key = uuid.uuid4().hex
        repeats = 2 if sent % RETRY_EVERY == RETRY_EVERY - 1 else 1
        for attempt in range(repeats):
            status, content = _post(port, path, body, key)
            sent += 1
            expected = (201,) if attempt == 0 else (200,)
            if status not in expected:
                tally.problem(f"{path} answered {status} (expected {expected}) {content[:200]!r}")
            with tally.lock:
                tally.requests += 1
                tally.retries += attempt
                tally.keys.add(key)
                if real and status in (200, 201):
                    response_id = json.loads(content)["id"]
                    first = tally.first_ids.setdefault(key, response_id)
                    if first != response_id:
                        tally.problems.append(f"retry of {key} answered id {response_id}, first was {first}")


def _block(port: int, path: str, body: bytes, real: bool, tally: Tally) -> float:
    deadline = time.monotonic() + BLOCK_SECONDS
    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        futures = [pool.submit(_client_loop, port, path, body, real, deadline, tally) for _ in range(CLIENTS)]
        for future in futures:
            future.result()
    return time.perf_counter() - started


def _double_taps(port: int, path: str, body: bytes, tally: Tally) -> list[int]:
    """Two posts with the same key at the same moment (a double tap): both must answer the same response."""
    statuses = []
    with ThreadPoolExecutor(2) as pool:
        for _ in range(DOUBLE_TAPS):
            key = uuid.uuid4().hex
            barrier = threading.Barrier(2)

            def tap(key=key, barrier=barrier):
                barrier.wait()
                return _post(port, path, body, key)

            results = [f.result() for f in [pool.submit(tap), pool.submit(tap)]]
            statuses.extend(status for status, _content in results)
            ids = {json.loads(content)["id"] for status, content in results if status in (200, 201)}
            tally.keys.add(key)
            if len(ids) != 1 or sorted(s for s, _c in results) != [200, 201]:
                tally.problem(f"double tap {key}: {[(s, c[:100]) for s, c in results]!r}")
    return statuses


def measure_submissions() -> dict:
    from django.db.models import Count

    from nabij.surveys.models import Answer, Response

    survey, codes = _survey("Bench: tuinen")
    bare_survey, _codes = _survey("Bench: kale insert")
    body = json.dumps({"antwoorden": {**ANSWERS, "v6": codes[1]}}).encode()
    real_path = f"/api/v1/vragenlijsten/{survey.slug}/antwoorden"
    bare_path = BARE_INSERT_PATH.format(survey_id=bare_survey.pk)
    real, bare = Tally(), Tally()
    seconds = {"real": 0.0, "bare": 0.0}
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="nabij-bench-surveys-") as directory:
        log_path = Path(directory) / "gunicorn.log"
        process = start_gunicorn("bench.surveys_views:make_application()", port, log_path, workers=WORKERS, timeout=120)
        try:
            wait_until_up(port, process, log_path, seconds=120)
            for _ in range(20):  # warm-up: both workers import and connect
                _post(port, real_path, body, uuid.uuid4().hex)
                _post(port, bare_path, body, uuid.uuid4().hex)
            Response.objects.filter(survey__in=[survey, bare_survey]).delete()
            for _ in range(ROUNDS):
                seconds["bare"] += _block(port, bare_path, body, False, bare)
                seconds["real"] += _block(port, real_path, body, True, real)
            tap_statuses = _double_taps(port, real_path, body, real)
            page = _page_weight(port, survey.slug)
        finally:
            stop_server(process)
    stored = Response.objects.filter(survey=survey)
    duplicates = stored.values("idempotency_key").annotate(n=Count("pk")).filter(n__gt=1).count()
    answers_per_response = Answer.objects.filter(response__survey=survey).count() / max(stored.count(), 1)
    return {
        "real": real,
        "bare": bare,
        "seconds": seconds,
        "stored": stored.count(),
        "bare_stored": Response.objects.filter(survey=bare_survey).count(),
        "duplicates": duplicates,
        "answers_per_response": answers_per_response,
        "tap_statuses": tap_statuses,
        "page": page,
    }


# (b) Export ------------------------------------------------------------------------------------------------


def _rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _generate_responses(survey, codes: list[str], count: int) -> None:
    """`count` responses with answers to every question, written in batches straight into the tables."""
    import random

    from django.db import transaction
    from django.utils import timezone

    from nabij.surveys import services
    from nabij.surveys.models import Answer, Response

    rng = random.Random(7)
    questions = {q.key: q for q in services.survey_questions(survey)}
    now = timezone.now()
    batch = 5000
    for start in range(0, count, batch):
        with transaction.atomic():
            responses = Response.objects.bulk_create(
                Response(
                    survey=survey,
                    survey_version=survey.questions_version,
                    organisation_id=survey.organisation_id,
                    channel=rng.choice(["online", "verzamelaar", "papier"]),
                    buurt_id=rng.choice(codes),
                    idempotency_key=f"{survey.pk}:gen-{start + i}",
                    submitted_at=now,
                )
                for i in range(min(batch, count - start))
            )
            answers = []
            for response in responses:
                garden = rng.random() < 0.6
                answers.append(Answer(response=response, question=questions["v1"], choice="ja" if garden else "nee"))
                if garden:
                    for choice in rng.sample(["planten", "zitten", "spelen"], rng.randint(1, 2)):
                        answers.append(Answer(response=response, question=questions["v2"], choice=choice))
                answers.append(Answer(response=response, question=questions["v3"], number=rng.randint(1, 5)))
                answers.append(Answer(response=response, question=questions["v4"], number=rng.randint(18, 90)))
                for rank, choice in enumerate(rng.sample(["groen", "spelen", "veilig", "schoon", "rust"], 3), 1):
                    answers.append(Answer(response=response, question=questions["v5"], choice=choice, rank=rank))
                answers.append(Answer(response=response, question=questions["v6"], choice=response.buurt_id))
            Answer.objects.bulk_create(answers, batch_size=5000)


def measure_export() -> dict:
    from nabij.core.spreadsheets import Sheet, xlsx_file
    from nabij.surveys import selectors, services

    survey, codes = _survey("Bench: export")
    started = time.perf_counter()
    _generate_responses(survey, codes, EXPORT_RESPONSES)
    generate_seconds = time.perf_counter() - started
    questions = services.survey_questions(survey)
    samples: list[tuple[int, int]] = []

    def sampled(rows):
        for n, row in enumerate(rows, start=1):
            if n % 10_000 == 0:
                samples.append((n, _rss_kb()))
            yield row

    rss_before = _rss_kb()
    started = time.perf_counter()
    handle = xlsx_file(
        [
            Sheet(
                title="Antwoorden",
                headers=selectors.export_header(questions),
                rows=sampled(selectors.export_rows(survey=survey, questions=questions)),
            )
        ]
    )
    seconds = time.perf_counter() - started
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.close()
    return {
        "generate_seconds": generate_seconds,
        "seconds": seconds,
        "rows": EXPORT_RESPONSES,
        "bytes": size,
        "rss_before": rss_before,
        "samples": samples,
    }


# (c) Page weight -------------------------------------------------------------------------------------------


def _asset_sizes(url: str) -> tuple[int, int, int]:
    """Raw, gzip and brotli size of a static file, as WhiteNoise's compressed storage serves it."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    import brotli

    name = url.split("?")[0].removeprefix(settings.STATIC_URL)
    path = finders.find(name)
    if path is None:
        raise RuntimeError(f"static file {name} not found")
    data = Path(path).read_bytes()
    return len(data), len(gzip.compress(data, compresslevel=9)), len(brotli.compress(data))


def _page_weight(port: int, slug: str) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECONDS)
    try:
        connection.request("GET", f"/v/{slug}/", headers={"Accept-Encoding": "gzip, deflate, br"})
        response = connection.getresponse()
        html = response.read()
        encoding = response.getheader("Content-Encoding") or "none"
        status = response.status
    finally:
        connection.close()
    if status != 200:
        raise RuntimeError(f"/v/{slug}/ answered {status}")
    text = html.decode()
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text) + re.findall(r'<script src="([^"]+)"', text)
    rows = [(url, *_asset_sizes(url)) for url in assets]
    full_library = [
        "/static/vendor/utrecht/component-library.css",
        "/static/vendor/theme/voorbeeld-theme.css",
        "/static/css/nabij.css",
        "/static/vendor/fonts/noto-sans-latin-wght-normal.woff2",
    ]
    return {
        "html": len(html),
        "html_encoding": encoding,
        "html_gzip": len(gzip.compress(html, compresslevel=9)),
        "assets": rows,
        "full_library": [(url, *_asset_sizes(url)) for url in full_library],
    }


# Report ----------------------------------------------------------------------------------------------------


def run() -> str:
    """Measure (a), (b) and (c); return a Markdown section for docs/benchmarks.md."""
    title = "## Surveys: public submissions, XLSX export, public page weight"
    from nabij.demo.services import demo_town_load

    demo_town_load()
    sub = measure_submissions()
    export = measure_export()
    real, bare = sub["real"], sub["bare"]
    real_rps = real.requests / sub["seconds"]["real"]
    bare_rps = bare.requests / sub["seconds"]["bare"]
    ratio = real_rps / bare_rps
    keys_expected = len(real.keys)
    ok_store = sub["stored"] == keys_expected and sub["duplicates"] == 0 and not real.problems
    rows_per_second = export["rows"] / export["seconds"]
    samples = export["samples"]
    rss_first, rss_last = samples[0][1], samples[-1][1]
    page = sub["page"]
    asset_br = sum(row[3] for row in page["assets"])
    asset_gz = sum(row[2] for row in page["assets"])
    total_br, total_gz = page["html"] + asset_br, page["html"] + asset_gz
    library_br = sum(row[3] for row in page["full_library"])

    def verdict(ok: bool) -> str:
        return f"**{'met' if ok else 'missed'}**"

    lines = [
        title,
        "",
        "### Public submissions",
        "",
        f"gunicorn with {WORKERS} sync workers on 127.0.0.1, DEBUG off; {CLIENTS} client threads on the same machine "
        f"post as fast as answered, in alternating blocks of {BLOCK_SECONDS:.0f} s ({ROUNDS} blocks per target). "
        "The real target is the public answer endpoint `POST /api/v1/vragenlijsten/{slug}/antwoorden` (six "
        "questions: one choice with skip logic, several choices, scale, number, top 3, buurt; "
        f"{sub['answers_per_response']:.0f} answer rows per response, no open text); the bare view is one INSERT "
        f"into the same response table. One post in {RETRY_EVERY} is repeated at once with the same Idempotency-Key "
        "(a retry); the per-client rate limit is raised for the one load-generating client but still counted "
        "in the cache on every post.",
        "",
        "| target | requests | of which retries | seconds | requests/s | × bare | goal |",
        "|---|---:|---:|---:|---:|---:|---|",
        f"| bare insert | {bare.requests} | {bare.retries} | {sub['seconds']['bare']:.1f} | {bare_rps:.1f} | – | – |",
        f"| public answer endpoint | {real.requests} | {real.retries} | {sub['seconds']['real']:.1f} | "
        f"{real_rps:.1f} | {ratio:.2f} | ≥ {SUBMIT_GOAL}: {verdict(ratio >= SUBMIT_GOAL)} |",
        "",
        f"Duplicates: {len(real.keys)} distinct keys sent to the real endpoint (including {DOUBLE_TAPS} double taps: "
        f"two posts with one key at the same moment, answered {sorted(set(sub['tap_statuses']))}), "
        f"{sub['stored']} responses stored, {sub['duplicates']} keys stored twice; every retry answered with the "
        f"first response's id: {verdict(ok_store)}."
        + (f" Problems: {real.problems + bare.problems}" if real.problems or bare.problems else ""),
        "",
        "### XLSX export",
        "",
        f"{EXPORT_RESPONSES:,} responses (generated in {export['generate_seconds']:.0f} s) exported one row per "
        "response with `spreadsheets.xlsx_file` of `selectors.export_rows(…)`, the code behind the export page "
        "(nabij/core/spreadsheets.py, "
        f"streamed into a temporary file, two streamed cursors), in the bench process: {export['seconds']:.1f} s, "
        f"**{rows_per_second:,.0f} rows/s** (goal ≥ {EXPORT_GOAL:,}: {verdict(rows_per_second >= EXPORT_GOAL)}), "
        f"file {export['bytes'] / 1e6:.1f} MB.",
        "",
        f"Resident memory: {export['rss_before'] / 1024:.0f} MB before, {rss_first / 1024:.0f} MB after "
        f"{samples[0][0]:,} rows, {rss_last / 1024:.0f} MB after {samples[-1][0]:,} rows: growth over the last "
        f"{samples[-1][0] - samples[0][0]:,} rows {(rss_last - rss_first) / 1024:+.1f} MB "
        f"(flat: {verdict(rss_last - rss_first < 20 * 1024)}, i.e. < 20 MB). Samples (rows: MB): "
        + ", ".join(f"{n // 1000}k: {kb / 1024:.0f}" for n, kb in samples)
        + ".",
        "",
        "### Public page weight",
        "",
        f"`GET /v/<slug>/` (first page) as served, then every stylesheet and script it links at the size "
        "WhiteNoise's CompressedManifestStaticFilesStorage serves it. The HTML is sent uncompressed "
        f"(Content-Encoding: {page['html_encoding']}): it carries a CSRF token, so compressing it would expose the "
        "page to BREACH. The public pages link their own small stylesheet instead of the Utrecht component "
        "library, theme and web font.",
        "",
        "| resource | raw bytes | gzip | brotli |",
        "|---|---:|---:|---:|",
        f"| HTML (sent raw) | {page['html']:,} | ({page['html_gzip']:,}) | – |",
        *[f"| `{url}` | {raw:,} | {gz:,} | {br:,} |" for url, raw, gz, br in page["assets"]],
        f"| **total transferred** | | {total_gz:,} | **{total_br:,}** |",
        "",
        f"Total with brotli {total_br / 1024:.1f} KB, with gzip {total_gz / 1024:.1f} KB (goal ≤ "
        f"{PAGE_GOAL_BYTES // 1024} KB before any image: {verdict(max(total_br, total_gz) <= PAGE_GOAL_BYTES)}). "
        "For comparison, the staff stack (Utrecht component library, voorbeeld theme, nabij.css, Noto Sans "
        f"latin) would add {library_br / 1024:.1f} KB with brotli.",
        "",
    ]
    return "\n".join(lines)
