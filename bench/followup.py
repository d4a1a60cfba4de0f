"""Benchmark (issue 6): "Mijn beloftes", the team view and the morning digest at national size.

PostgreSQL only. On top of `generate_bench_data` (1,000,000 contact moments over 15,000 buurten and one bench
buurtwerker per wijk; reused when an earlier module in the same run made it) this module adds, in plain SQL:

- 2,000 extra bench workers (5,000 in all), each with a wijk as scope;
- 200,000 promises spread over the 5,000 workers and the buurten of their wijk, due from six months ago to a
  month ahead: most past ones kept (some late), some failed, about one in eight still open and overdue, some
  handed over; every worker has at least one overdue promise, so all 5,000 get a digest;
- 50,000 referrals to 20 bench organisations, with a share whose navragen date has passed;
- a bench coordinator with one gemeente (10 wijken, 50 buurten, 10 workers) as scope.

A real server process (gunicorn, 2 sync workers, DEBUG off, `bench.settings`) serves three URLs in turn, one
request at a time: the bare view (`/bench/bare/`, same middleware and login), "Mijn beloftes" as a bench worker
and the team view as the coordinator. Then the digest job runs in this process for the day, with the in-memory
mail backend: once (5,000 digests) and again (nobody gets a second one).
"""

from __future__ import annotations

import http.client
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import free_port, percentile, start_gunicorn, stop_server, wait_until_up

PROMISES = 200_000
REFERRALS = 50_000
EXTRA_WORKERS = 2_000  # on top of the 3,000 bench buurtwerkers of generate_bench_data (one per wijk)
DIGEST_WORKERS = 5_000
PROVIDERS = 20
SEED = 6
GEMEENTE_INDEX = 123  # the coordinator's gemeente: wijken 1230–1239
WORKER_WIJK = 1234  # the worker whose "Mijn beloftes" is measured (also the contacts bench worker)
COORDINATOR_EMAIL = "coordinator-followup@bench.nabij.example"
EXTRA_EMAIL = "volger-{n:05d}@bench.nabij.example"
REQUESTS = 200  # per URL, after the warm-up
WARM_UP = 15
TIME_BUDGET_SECONDS = 180.0
REQUEST_TIMEOUT_SECONDS = 30.0
WORKERS = 2
DESCRIPTIONS = [
    "Terugbellen over de energietoeslag",
    "Folder van het taalcafé brengen",
    "Navragen bij de corporatie over de schimmel",
    "Samen het formulier van de bijzondere bijstand invullen",
    "Contact leggen met de moestuingroep",
    "Uitzoeken waar het Digi-café zit",
    "Langs gaan na de verhuizing",
    "Afspraak met schuldhulp regelen",
]


@dataclass
class Target:
    label: str
    path: str
    cookie: str
    must_contain: str
    timings: list[float] = field(default_factory=list)


# Data ------------------------------------------------------------------------------------------------------


def _ensure_contacts() -> float:
    """1,000,000 bench contact moments: made by generate_bench_data unless an earlier module left them."""
    from django.core.management import call_command

    from nabij.contacts.models import ContactMoment

    from bench.contacts import BUURTEN, CONTACTEN
    from bench.contacts import SEED as CONTACTS_SEED
    from bench.management.commands.generate_bench_data import BENCH_BUURT_PREFIX

    if ContactMoment.objects.filter(buurt__code__startswith=BENCH_BUURT_PREFIX).count() >= CONTACTEN:
        return 0.0
    started = time.perf_counter()
    call_command("generate_bench_data", buurten=BUURTEN, contacten=CONTACTEN, seed=CONTACTS_SEED, verbosity=0)
    return time.perf_counter() - started


def _workers() -> tuple[list[int], list[int]]:
    """The 5,000 bench workers' ids and, for each, the index of the wijk they work in."""
    from nabij.accounts.models import Organisation, Role, User

    from bench.contacts import BUURTEN
    from bench.management.commands.generate_bench_data import (
        BENCH_ORGANISATION,
        BUURTEN_PER_WIJK,
        bench_wijk_code,
        bench_worker_email,
    )

    wijken = BUURTEN // BUURTEN_PER_WIJK
    organisation = Organisation.objects.get(name=BENCH_ORGANISATION)
    extra_emails = [EXTRA_EMAIL.format(n=n) for n in range(EXTRA_WORKERS)]
    existing = set(User.objects.filter(email__in=extra_emails).values_list("email", flat=True))
    new_users = []
    for n, email in enumerate(extra_emails):
        if email not in existing:
            user = User(email=email, full_name=f"Volger {n}", role=Role.BUURTWERKER, organisation=organisation)
            user.set_unusable_password()
            new_users.append(user)
    User.objects.bulk_create(new_users, batch_size=2000)
    emails = [bench_worker_email(w) for w in range(wijken)] + extra_emails
    wijk_of = list(range(wijken)) + [n % wijken for n in range(EXTRA_WORKERS)]
    ids = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    worker_ids = [ids[email] for email in emails]
    scope = User.scope_wijken.through
    scope.objects.bulk_create(
        [
            scope(user_id=worker_ids[wijken + n], wijk_id=bench_wijk_code(wijk_of[wijken + n]))
            for n in range(EXTRA_WORKERS)
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )
    return worker_ids[:DIGEST_WORKERS], wijk_of[:DIGEST_WORKERS]


def _coordinator():
    from nabij.accounts.models import Organisation, Role, User

    from bench.management.commands.generate_bench_data import BENCH_ORGANISATION, bench_gemeente_code

    user, _ = User.objects.get_or_create(
        email=COORDINATOR_EMAIL,
        defaults={
            "full_name": "Benchcoördinator",
            "role": Role.COORDINATOR,
            "organisation": Organisation.objects.get(name=BENCH_ORGANISATION),
        },
    )
    user.scope_gemeenten.set([bench_gemeente_code(GEMEENTE_INDEX)])
    return user


def _providers() -> list[int]:
    from nabij.assets.models import Provider

    ids = []
    for n in range(PROVIDERS):
        provider, _ = Provider.objects.get_or_create(
            name=f"Benchorganisatie {n}", defaults={"description": "Synthetische organisatie voor de benchmark."}
        )
        ids.append(provider.pk)
    return ids


def _generate_followup(worker_ids: list[int], wijk_of: list[int]) -> dict:
    """200,000 promises and 50,000 referrals in two INSERT … SELECT statements (reproducible: hashint8extended)."""
    from django.db import connection, transaction

    from nabij.core.models import Topic
    from nabij.followup import rules
    from nabij.followup.models import Promise, Referral

    from bench.management.commands.generate_bench_data import BUURTEN_PER_GEMEENTE as PER_GEMEENTE
    from bench.management.commands.generate_bench_data import BUURTEN_PER_WIJK, WIJKEN_PER_GEMEENTE

    today = rules.local_today()
    provider_ids = _providers()
    topic_ids = list(Topic.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
    promise, referral = Promise._meta.db_table, Referral._meta.db_table
    # The buurt code of wijk w, buurt b within it (the same shape as generate_bench_data's codes).
    code = f"""'BUX' || lpad(((w * {BUURTEN_PER_WIJK} + b) / {PER_GEMEENTE})::text, 3, '0')
               || lpad((w %% {WIJKEN_PER_GEMEENTE})::text, 2, '0') || lpad(b::text, 2, '0')"""
    org_of = "(SELECT organisation_id FROM accounts_user WHERE id = {})".format  # as the services set it
    params = {
        "workers": worker_ids,
        "wijken": wijk_of,
        "n_workers": len(worker_ids),
        "today": today,
        "seed": SEED,
        "descriptions": DESCRIPTIONS,
        "n_descriptions": len(DESCRIPTIONS),
    }
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {promise} WHERE buurt_id LIKE 'BUX%%'")
        cursor.execute(f"DELETE FROM {referral} WHERE buurt_id LIKE 'BUX%%'")
        # i = 1 … n_workers: one overdue open promise per worker; the rest due between 179 days ago and in 30 days.
        # Past due: 80 % kept (kept_at from 4 days early to 2 days late), 7 % failed, 10 % open, 3 % handed over.
        # Not yet due: 10 % kept early, 10 % handed over, the rest open.
        cursor.execute(
            f"""
            INSERT INTO {promise} (created_at, updated_at, description, buurt_id, group_label, owner_id,
                                   created_by_id, due_date, status, kept_at, kept_note, failure_reason,
                                   resident_told, closed_at, version, organisation_id)
            SELECT created, created, description, {code}, 'bewoners van de straat', owner, owner, due, status,
                   CASE WHEN status = 'nagekomen' THEN kept END, '',
                   CASE WHEN status = 'niet_gelukt' THEN 'Lukte niet binnen de termijn.' ELSE '' END,
                   CASE WHEN status = 'niet_gelukt' THEN true END,
                   CASE WHEN status IN ('nagekomen', 'niet_gelukt') THEN kept END, 1, {org_of("owner")}
            FROM (
                SELECT *,
                    (due - 7 + time '10:00') AT TIME ZONE 'Europe/Amsterdam' AS created,
                    (due + ((h / 7) %% 7 - 4)::int + time '14:00') AT TIME ZONE 'Europe/Amsterdam' AS kept,
                    CASE
                        WHEN i <= %(n_workers)s THEN 'open'
                        WHEN due < %(today)s::date THEN CASE
                            WHEN r < 80 THEN 'nagekomen' WHEN r < 87 THEN 'niet_gelukt'
                            WHEN r < 97 THEN 'open' ELSE 'overgedragen' END
                        ELSE CASE WHEN r < 10 THEN 'nagekomen' WHEN r < 20 THEN 'overgedragen' ELSE 'open' END
                    END AS status
                FROM (
                    SELECT i, h, (h / 5) %% 100 AS r, (h / 11) %% {BUURTEN_PER_WIJK} AS b,
                        (%(wijken)s::int[])[1 + (i - 1) %% %(n_workers)s] AS w,
                        (%(workers)s::bigint[])[1 + (i - 1) %% %(n_workers)s] AS owner,
                        (%(descriptions)s::text[])[1 + (h / 13) %% %(n_descriptions)s] AS description,
                        CASE WHEN i <= %(n_workers)s THEN %(today)s::date - 1 - (h %% 10)::int
                             ELSE %(today)s::date + 30 - ((h / 3) %% 210)::int END AS due
                    FROM (
                        SELECT i, hashint8extended(i::bigint, %(seed)s::bigint) & 9223372036854775807 AS h
                        FROM generate_series(1, %(n)s) AS i
                    ) AS hashed
                ) AS picked
            ) AS generated
            """,
            {**params, "n": PROMISES},
        )
        promises = cursor.rowcount
        # Referrals: navragen from 60 days ago to 20 days ahead; past ones mostly heard back.
        cursor.execute(
            f"""
            INSERT INTO {referral} (created_at, updated_at, provider_id, topic_id, buurt_id, warm, consent_to_share,
                                    outside_buurt_reason, question, status, navragen_op, heard_back_at, worker_id,
                                    version, organisation_id)
            SELECT created, created, provider, topic, {code}, warm, warm, '', '', status, navragen,
                   CASE WHEN status <> 'verwezen' THEN created + interval '10 days' END, worker, 1, {org_of("worker")}
            FROM (
                SELECT *,
                    (navragen - 14 + time '11:00') AT TIME ZONE 'Europe/Amsterdam' AS created,
                    CASE WHEN navragen < %(today)s::date AND r < 70 THEN
                             (ARRAY['geholpen', 'geholpen', 'niet_geholpen', 'onbekend', 'contact_gelegd'])[1 + r %% 5]
                         ELSE 'verwezen' END AS status
                FROM (
                    SELECT i, (h / 5) %% 100 AS r, (h / 11) %% {BUURTEN_PER_WIJK} AS b, (h / 17) %% 2 = 0 AS warm,
                        (%(wijken)s::int[])[1 + (h / 19) %% %(n_workers)s] AS w,
                        (%(workers)s::bigint[])[1 + (h / 19) %% %(n_workers)s] AS worker,
                        (%(providers)s::bigint[])[1 + (h / 23) %% %(n_providers)s] AS provider,
                        (%(topics)s::bigint[])[1 + (h / 29) %% %(n_topics)s] AS topic,
                        %(today)s::date + 20 - ((h / 3) %% 80)::int AS navragen
                    FROM (
                        SELECT i, hashint8extended(i::bigint, %(seed)s::bigint + 1) & 9223372036854775807 AS h
                        FROM generate_series(1, %(n)s) AS i
                    ) AS hashed
                ) AS picked
            ) AS generated
            """,
            {
                **params,
                "n": REFERRALS,
                "providers": provider_ids,
                "n_providers": len(provider_ids),
                "topics": topic_ids,
                "n_topics": len(topic_ids),
            },
        )
        referrals = cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {promise}")
        cursor.execute(f"ANALYZE {referral}")
    overdue = Promise.objects.filter(rules.promise_overdue_q(today=today)).count()
    return {
        "promises": promises,
        "referrals": referrals,
        "overdue": overdue,
        "seconds": time.perf_counter() - started,
    }


# Server ----------------------------------------------------------------------------------------------------


def _cookie(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _get(port: int, target: Target) -> tuple[int, bytes, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECONDS)
    try:
        started = time.perf_counter()
        connection.request("GET", target.path, headers={"Cookie": target.cookie, "Accept-Language": "nl"})
        response = connection.getresponse()
        body = response.read()
        return response.status, body, time.perf_counter() - started
    finally:
        connection.close()


def _request_checked(port: int, target: Target) -> float:
    status, body, elapsed = _get(port, target)
    if status != 200 or target.must_contain.encode() not in body:
        raise RuntimeError(f"{target.path} answered {status} without {target.must_contain!r}; not measuring that.")
    return elapsed


def _query_counts(worker, coordinator) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for label, user, path in (
        ("my promises", worker, "/beloftes/"),
        ("team", coordinator, "/beloftes/team/"),
        ("home (menu badge)", worker, "/"),
    ):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[label] = len(queries)
    return counts


def _badge_plan(worker) -> str:
    """EXPLAIN of the menu badge's count, to show that it reads the (owner, status, due_date) index."""
    from django.db import connection

    from nabij.followup import selectors

    captured = {}

    def capture(execute, sql, params, many, context):
        captured.setdefault("sql", (sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        selectors.badge_count(user=worker)
    sql, params = captured["sql"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _digest(day) -> dict:
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from nabij.followup import services
    from nabij.followup.models import DigestSent

    DigestSent.objects.filter(day=day).delete()
    with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}):
        mail.outbox = []
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            sent = services.digest_send_all(day=day)
            first = time.perf_counter() - started
        first_queries = len(queries)
        started = time.perf_counter()
        again = services.digest_send_all(day=day)
        second = time.perf_counter() - started
        outbox = len(mail.outbox)
        recipients = len({message.to[0] for message in mail.outbox})
        mail.outbox = []
    return {
        "sent": sent,
        "seconds": first,
        "queries": first_queries,
        "again": again,
        "again_seconds": second,
        "outbox": outbox,
        "recipients": recipients,
    }


def measure() -> dict:
    from nabij.accounts.models import User
    from nabij.followup import rules

    from bench.management.commands.generate_bench_data import bench_worker_email

    contacts_seconds = _ensure_contacts()
    worker_ids, wijk_of = _workers()
    coordinator = _coordinator()
    data = _generate_followup(worker_ids, wijk_of)
    worker = User.objects.get(email=bench_worker_email(WORKER_WIJK))
    query_counts = _query_counts(worker, coordinator)
    badge_plan = _badge_plan(worker)
    targets = [
        Target("bare Django view", "/bench/bare/", _cookie(worker), "ok"),
        Target("Mijn beloftes (bench worker)", "/beloftes/", _cookie(worker), "Mijn beloftes"),
        Target("team view (coordinator, 1 gemeente)", "/beloftes/team/", _cookie(coordinator), "Opvolging"),
    ]
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="nabij-bench-followup-") as directory:
        log_path = Path(directory) / "gunicorn.log"
        process = start_gunicorn("nabij.wsgi:application", port, log_path, workers=WORKERS, timeout=60)
        try:
            wait_until_up(port, process, log_path, seconds=60)
            for _ in range(WARM_UP):
                for target in targets:
                    _request_checked(port, target)
            deadline = time.monotonic() + TIME_BUDGET_SECONDS
            for _ in range(REQUESTS):  # round robin: machine drift hits every URL alike
                if time.monotonic() > deadline:
                    break
                for target in targets:
                    target.timings.append(_request_checked(port, target))
        finally:
            stop_server(process)
    digest = _digest(rules.local_today())
    from nabij.followup.selectors import my_followup

    mine = my_followup(user=worker)
    return {
        "contacts_seconds": contacts_seconds,
        "data": data,
        "targets": targets,
        "query_counts": query_counts,
        "badge_plan": badge_plan,
        "digest": digest,
        "mine": mine,
        "team_promises": _team_promise_count(coordinator),
    }


def _team_promise_count(coordinator) -> int:
    from nabij.core import permissions
    from nabij.followup.models import Promise

    return Promise.objects.filter(permissions.scope_filter(coordinator)).count()


def run() -> str:
    """Measure "Mijn beloftes", the team view and the digest; return a Markdown section for docs/benchmarks.md."""
    from django.db import connection

    title = "## Follow-up: Mijn beloftes, team view and the morning digest at national size"
    if connection.vendor != "postgresql":
        return (
            f"{title}\n\nSkipped: this benchmark needs PostgreSQL (1,000,000 contact moments, 200,000 promises); "
            "run `DATABASE_URL=postgres://… python -m bench followup`.\n"
        )
    result = measure()
    targets: list[Target] = result["targets"]
    bare = targets[0]
    bare_p50, bare_p95 = percentile(bare.timings, 0.5), percentile(bare.timings, 0.95)
    rows = []
    for target in targets:
        p50, p95 = percentile(target.timings, 0.5), percentile(target.timings, 0.95)
        rows.append(
            f"| {target.label} | `{target.path}` | {len(target.timings)} | {p50 * 1000:.1f} | {p95 * 1000:.1f} | "
            f"{p50 / bare_p50:.1f} | {p95 / bare_p95:.1f} |"
        )
    data, digest, counts, mine = result["data"], result["digest"], result["query_counts"], result["mine"]
    contacts_note = (
        f"`generate_bench_data` took {result['contacts_seconds']:.0f} s"
        if result["contacts_seconds"]
        else "the contact moments of the contacts module were reused"
    )
    per_worker_ms = 1000 * digest["seconds"] / max(digest["sent"], 1)
    lines = [
        title,
        "",
        f"1,000,000 bench contact moments over 15,000 buurten ({contacts_note}); then {data['promises']:,} "
        f"promises and {data['referrals']:,} referrals over {DIGEST_WORKERS:,} bench workers in two INSERT … SELECT "
        f"statements ({data['seconds']:.1f} s; {data['overdue']:,} promises open past their due date). The measured "
        f"worker has {len(mine.overdue)} overdue, {len(mine.due_today)} today, {len(mine.this_week)} this week and "
        f"{len(mine.later)} later promises and {len(mine.referrals_overdue) + len(mine.referrals_today)} referrals "
        f"to check; the coordinator's scope (one gemeente, 50 buurten) holds {result['team_promises']:,} promises. "
        f"gunicorn with {WORKERS} sync workers on 127.0.0.1, DEBUG off; one client requests the three URLs in "
        f"turn, one at a time, after {WARM_UP} warm-up rounds. Times are whole HTTP requests as the client sees them.",
        "",
        "| page | URL | requests | p50 ms | p95 ms | p50 × bare | p95 × bare |",
        "|---|---|---:|---:|---:|---:|---:|",
        *rows,
        "",
        f"Queries per request (counted in-process): Mijn beloftes {counts['my promises']}, team view "
        f"{counts['team']}, home page {counts['home (menu badge)']} (the menu badge is one of them).",
        "",
        "The menu badge's count (EXPLAIN ANALYZE):",
        "",
        "```",
        result["badge_plan"],
        "```",
        "",
        f"**Morning digest** (`digest_send_all`, in-memory mail backend): {digest['sent']:,} digests in "
        f"{digest['seconds']:.1f} s, {per_worker_ms:.2f} ms per worker, {digest['queries']} queries in all "
        f"(due items of everyone in two queries, recipients in one, per batch of 200 one claim INSERT and one "
        f"UPDATE). Run again for the same day: {digest['again']} sent in {digest['again_seconds']:.2f} s; "
        f"{digest['outbox']:,} mails to {digest['recipients']:,} distinct people in all.",
        "",
    ]
    return "\n".join(lines)
