"""Benchmark (issue 9): theme counts at national size — the full rebuild and the incremental update per contact.

PostgreSQL only. `generate_bench_data` fills the throwaway bench database with 1,000,000 contact moments over
15,000 buurten (skipped when the contacts module already did it in this run). Then, in one process:

(a) the full rebuild (`manage.py rebuild_themes`: counts from every source, then detection for every gemeente)
    against a raw SQL `GROUP BY buurt, topic, week` over the same contact-topic rows (the server's bare
    aggregation, no insert), goal ≤ 10×;
(b) the incremental update per new contact: a contact moment is logged through `contact_moment_create` (as a
    bench buurtwerker, in their own wijk, rotating over wijken in many gemeenten) and the refresh task that its
    commit queued is then run synchronously (`refresh_counts_task.call`): recount the buurt-week, detection for
    the changed topics in the gemeente. 200 times; goal p95 ≤ 50 ms for the task;
(c) the same in a buurt with an open proposal (a rise of one topic injected first), so detection also updates
    that theme, and names it again from the notes when its count has moved by a step (decision 0602); and, for
    scale, detection for all topics of a gemeente of 50 buurten and of 500 buurten (about Amsterdam's size), the
    work a non-proportional update would do per contact.
"""

from __future__ import annotations

import time
from datetime import timedelta
from statistics import median

from bench.common import percentile

BUURTEN = 15_000
CONTACTEN = 1_000_000
SEED = 1
UPDATES = 200
RISE_UPDATES = 50
RISE_CONTACTS = 30
REBUILD_GOAL = 10.0
UPDATE_GOAL_MS = 50.0
RAW_REPEATS = 3
TOPICS = ["energie-geldzaken", "eenzaamheid", "taal", "wonen-onderhoud"]
RISE_NOTES = [
    "Vraagt hoe de energietoeslag werkt; heeft geen DigiD.",
    "Samen naar de energietoeslag gekeken, DigiD-code kwijt.",
    "Brief over de energietoeslag niet begrepen, hulp met DigiD gevraagd.",
]


def _ensure_data() -> float | None:
    """Generate the bench data unless this run already holds it; the seconds it took, or None when reused."""
    from django.core.management import call_command

    from nabij.contacts.models import ContactMoment

    from bench.management.commands.generate_bench_data import BENCH_BUURT_PREFIX

    if ContactMoment.objects.filter(buurt__code__startswith=BENCH_BUURT_PREFIX).count() >= CONTACTEN:
        return None
    started = time.perf_counter()
    call_command("generate_bench_data", buurten=BUURTEN, contacten=CONTACTEN, seed=SEED, verbosity=0)
    return time.perf_counter() - started


def _raw_group_by_seconds() -> tuple[float, float, int]:
    """Median seconds of the bare server-side aggregation (plain count, and the same distinct count the theme
    source uses), and the number of cells."""
    from django.conf import settings
    from django.db import connection

    from nabij.contacts.models import ContactMoment, ContactMomentTopic

    cm, cmt = ContactMoment._meta.db_table, ContactMomentTopic._meta.db_table
    base = (
        f"SELECT cm.buurt_id, t.topic_id, date_trunc('week', cm.occurred_at AT TIME ZONE %s) AS w, {{agg}} "
        f'FROM "{cmt}" t JOIN "{cm}" cm ON cm.id = t.contact_moment_id GROUP BY 1, 2, 3'
    )
    plain = base.format(agg="count(*)")
    distinct = base.format(agg="count(DISTINCT cm.resident_id) + count(*) FILTER (WHERE cm.resident_id IS NULL)")
    results = []
    cells = 0
    for sql in (plain, distinct):
        timings = []
        for _ in range(RAW_REPEATS):
            with connection.cursor() as cursor:
                started = time.perf_counter()
                cursor.execute(f"SELECT count(*) FROM ({sql}) g", [settings.TIME_ZONE])  # noqa: S608
                cells = cursor.fetchone()[0]
                timings.append(time.perf_counter() - started)
        results.append(median(timings))
    return results[0], results[1], cells


def _wijk_workers(count: int) -> list:
    """Bench buurtwerkers of `count` wijken spread over the gemeenten, with their buurten."""
    from nabij.accounts.models import User

    from bench.management.commands.generate_bench_data import (
        BUURTEN_PER_WIJK,
        bench_buurt_code,
        bench_worker_email,
    )

    wijken = BUURTEN // BUURTEN_PER_WIJK
    step = max(1, wijken // count)
    out = []
    for i in range(count):
        index = (i * step + 7) % wijken
        user = User.objects.get(email=bench_worker_email(index))
        codes = [bench_buurt_code(index * BUURTEN_PER_WIJK + b) for b in range(BUURTEN_PER_WIJK)]
        out.append((user, codes))
    return out


def _update_once(user, buurt: str, topics: list[str], note: str = "") -> tuple[float, float]:
    """Log one contact through the service, then run the queued refresh task synchronously: (service s, task s)."""
    from nabij.contacts.services import contact_moment_create
    from nabij.themes.models import ThemeRefreshPending
    from nabij.themes.sources import week_of
    from nabij.themes.tasks import refresh_counts_task

    started = time.perf_counter()
    moment = contact_moment_create(user=user, buurt=buurt, channel="straat", topics=topics, note=note)
    service = time.perf_counter() - started
    week = week_of(moment.occurred_at)
    if not ThemeRefreshPending.objects.filter(buurt_code=buurt, week=week).exists():
        raise RuntimeError("the contact did not queue a theme refresh; not measuring that")
    started = time.perf_counter()
    refresh_counts_task.call(buurt, week.isoformat())
    task = time.perf_counter() - started
    return service, task


def _inject_rise(user, buurt: str) -> None:
    """RISE_CONTACTS contacts about energy in the last five weeks of one buurt, so it has an open proposal."""
    from django.utils import timezone

    from nabij.contacts.models import ContactMoment, ContactMomentTopic
    from nabij.core.models import Topic
    from nabij.themes.services import counts_refresh
    from nabij.themes.sources import week_of

    topic = Topic.objects.get(slug="energie-geldzaken")
    now = timezone.now()
    moments = ContactMoment.objects.bulk_create(
        ContactMoment(
            buurt_id=buurt,
            occurred_at=now - timedelta(days=i % 35, hours=1),
            channel="straat",
            worker=user,
            note=RISE_NOTES[i % len(RISE_NOTES)],
        )
        for i in range(RISE_CONTACTS)
    )
    ContactMomentTopic.objects.bulk_create(ContactMomentTopic(contact_moment=m, topic=topic) for m in moments)
    for week in {week_of(m.occurred_at) for m in moments}:
        counts_refresh(buurt_code=buurt, week=week)


class _QueuedTasks:
    """Store enqueued tasks instead of running them (the bench settings run tasks at once), so the service and
    the refresh task it queues are timed apart, the task then run synchronously as a worker would."""

    def __enter__(self):
        from django.tasks import task_backends
        from django.tasks.backends.dummy import DummyBackend

        self.previous = task_backends["default"]
        task_backends["default"] = DummyBackend("default", {})
        return self

    def __exit__(self, *exc) -> None:
        from django.tasks import task_backends

        task_backends["default"] = self.previous


def measure() -> dict:
    from django.core.management import call_command
    from django.db import connection

    from nabij.areas.models import Buurt
    from nabij.themes.models import Theme, ThemeCount
    from nabij.themes.services import themes_detect

    from bench.management.commands.generate_bench_data import BUURTEN_PER_GEMEENTE

    result: dict = {"generate_seconds": _ensure_data()}
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    result["raw_plain"], result["raw_distinct"], result["raw_cells"] = _raw_group_by_seconds()

    started = time.perf_counter()
    call_command("rebuild_themes", verbosity=0)
    result["rebuild"] = time.perf_counter() - started
    result["cells"] = ThemeCount.objects.count()
    result["themes_after_rebuild"] = Theme.objects.count()
    started = time.perf_counter()
    themes_detect()
    result["detect_all"] = time.perf_counter() - started

    workers = _wijk_workers(UPDATES)
    services, tasks = [], []
    with _QueuedTasks():
        for i in range(UPDATES):
            user, codes = workers[i]
            service, task = _update_once(user, codes[i % len(codes)], [TOPICS[i % len(TOPICS)]])
            services.append(service)
            tasks.append(task)
        result["service"], result["task"] = services, tasks

        user, codes = workers[0]
        _inject_rise(user, codes[0])
        rise_tasks = []
        for _ in range(RISE_UPDATES):
            _service, task = _update_once(user, codes[0], ["energie-geldzaken"], note="")
            rise_tasks.append(task)
    result["rise_task"] = rise_tasks
    result["rise_themes"] = Theme.objects.filter(area_code=codes[0], topic__slug="energie-geldzaken").count()

    gemeente = Buurt.objects.filter(pk=codes[0]).values_list("gemeente_id", flat=True).get()
    gemeenten = list(Buurt.objects.values_list("gemeente_id", flat=True).distinct().order_by("gemeente_id")[:10])
    for key, codes_ in (("detect_gemeente_50", [gemeente]), ("detect_gemeenten_500", gemeenten)):
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            themes_detect(gemeente_codes=codes_)
            timings.append(time.perf_counter() - started)
        result[key] = median(timings)
    result["buurten_per_gemeente"] = BUURTEN_PER_GEMEENTE
    return result


def _ms(values: list[float], fraction: float) -> str:
    return f"{percentile(values, fraction) * 1000:.1f}"


def run() -> str:
    """Measure the rebuild and the incremental update; return a Markdown section for docs/benchmarks.md."""
    from django.db import connection

    title = "## Themes: rebuild and incremental update at national size"
    if connection.vendor != "postgresql":
        return (
            f"{title}\n\nSkipped: this benchmark needs PostgreSQL (1,000,000 contact moments); run "
            "`DATABASE_URL=postgres://… python -m bench themes`.\n"
        )
    r = measure()
    ratio = r["rebuild"] / r["raw_plain"]
    p95 = percentile(r["task"], 0.95) * 1000
    rise_p95 = percentile(r["rise_task"], 0.95) * 1000
    generated = (
        f"`generate_bench_data --buurten {BUURTEN} --contacten {CONTACTEN} --seed {SEED}` took "
        f"{r['generate_seconds']:.0f} s."
        if r["generate_seconds"] is not None
        else "The bench data of the contacts module was reused."
    )
    lines = [
        title,
        "",
        f"{generated} Rebuild and raw SQL ran on the same rows in the same process; the raw aggregation is the "
        f"median of {RAW_REPEATS} runs, wrapped in `SELECT count(*)` so no rows travel to Python.",
        "",
        "| measurement | seconds | × raw GROUP BY | goal |",
        "|---|---:|---:|---|",
        f"| raw SQL `GROUP BY buurt, topic, week`, `count(*)` ({r['raw_cells']:,} cells) | "
        f"{r['raw_plain']:.2f} | 1 | |",
        f"| raw SQL, same distinct count as the source | {r['raw_distinct']:.2f} | "
        f"{r['raw_distinct'] / r['raw_plain']:.1f} | |",
        f"| `rebuild_themes` (counts: {r['cells']:,} cells; detection: {r['themes_after_rebuild']} themes) | "
        f"{r['rebuild']:.2f} | {ratio:.1f} | ≤ {REBUILD_GOAL:g}×: **{'met' if ratio <= REBUILD_GOAL else 'missed'}** |",
        f"| of which detection for all {BUURTEN:,} buurten (run again alone) | {r['detect_all']:.2f} | | |",
        "",
        f"Incremental update per new contact ({UPDATES} contacts, one topic each, rotating over "
        f"{UPDATES} wijken in many gemeenten; the refresh task run synchronously after the service):",
        "",
        "| step | n | p50 ms | p95 ms | goal |",
        "|---|---:|---:|---:|---|",
        f"| `contact_moment_create` (service, no note) | {len(r['service'])} | {_ms(r['service'], 0.5)} | "
        f"{_ms(r['service'], 0.95)} | |",
        f"| refresh task (recount the buurt-week, detection for the changed topic in the gemeente) | "
        f"{len(r['task'])} | {_ms(r['task'], 0.5)} | {p95:.1f} | p95 ≤ {UPDATE_GOAL_MS:g} ms: "
        f"**{'met' if p95 <= UPDATE_GOAL_MS else 'missed'}** |",
        f"| refresh task in a buurt with an open proposal ({RISE_CONTACTS} injected energy contacts; keywords "
        f"recomputed when the count moved by ≥ 5 or 25%; {r['rise_themes']} theme) | {len(r['rise_task'])} | "
        f"{_ms(r['rise_task'], 0.5)} | "
        f"{rise_p95:.1f} | p95 ≤ {UPDATE_GOAL_MS:g} ms: **{'met' if rise_p95 <= UPDATE_GOAL_MS else 'missed'}** |",
        "",
        "For scale, what a non-proportional update would do per contact — detection for every topic of "
        f"a whole gemeente (median of 5): {r['buurten_per_gemeente']} buurten {r['detect_gemeente_50'] * 1000:.0f} ms; "
        f"500 buurten (about Amsterdam) {r['detect_gemeenten_500'] * 1000:.0f} ms. The task instead runs detection "
        "only for the topics whose count changed in that buurt-week (none when nothing changed).",
    ]
    return "\n".join(lines) + "\n"
