"""Benchmark (issue 14): the cost of an audit write with the hash chain, against the plain insert it replaced.

Every read of personal data writes an audit event, so its cost lands on every page. This module times, in this
process on the bench database, `audit_record` (lock the chain head, hash, insert, move the head: three
statements in one transaction) against the same event inserted the old way (one INSERT, no chain), and a
policy read of three owning organisations (`audit_record_all`: one lock and one multi-row insert) against three
single writes. Then `audit_verify` over everything written.
"""

from __future__ import annotations

import time

ROUNDS = 2000
VERIFY_EVENTS = 20_000


def _time(fn, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return samples


def _p(samples: list[float], q: float) -> float:
    return samples[min(len(samples) - 1, int(len(samples) * q))]


def run() -> str:
    from django.db import connection
    from django.utils import timezone

    from nabij.privacy.audit_chain import audit_purge_before, audit_verify
    from nabij.privacy.models import AuditEvent
    from nabij.privacy.services import audit_record, audit_record_all

    def plain():
        AuditEvent(action="view", object_type="resident", object_id="1", created_at=timezone.now()).save(
            force_insert=True
        )

    def chained():
        audit_record(actor=None, action="view", object_type="resident", object_id=1)

    entry = {"actor": None, "action": "view", "object_type": "resident", "object_id": 1}

    def three_single():
        for _ in range(3):
            audit_record(**entry)

    def three_bulk():
        audit_record_all([entry, entry, entry])

    # Warm up, then alternate so that load changes hit both.
    for fn in (plain, chained, three_single, three_bulk):
        _time(fn, 50)
    results = {name: [] for name in ("plain", "chained", "three_single", "three_bulk")}
    for _ in range(4):
        for name, fn in (
            ("plain", plain),
            ("chained", chained),
            ("three_single", three_single),
            ("three_bulk", three_bulk),
        ):
            results[name] += _time(fn, ROUNDS // 4)
    for samples in results.values():
        samples.sort()
    # The plain inserts broke the chain on purpose: purge everything (the retention path), then verify a chain of
    # VERIFY_EVENTS events written in bulk.
    started = time.perf_counter()
    purged = audit_purge_before(before=timezone.now())
    purge_s = time.perf_counter() - started
    for _ in range(VERIFY_EVENTS // 1000):
        audit_record_all([entry] * 1000)
    count = AuditEvent.objects.count()
    started = time.perf_counter()
    report = audit_verify()
    verify_s = time.perf_counter() - started
    rows = "\n".join(
        f"| {label} | {_p(results[key], 0.5):.3f} | {_p(results[key], 0.95):.3f} |"
        for key, label in (
            ("plain", "one event, plain INSERT (before)"),
            ("chained", "one event, `audit_record` with the chain"),
            ("three_single", "three owners, three `audit_record` calls"),
            ("three_bulk", "three owners, one `audit_record_all`"),
        )
    )
    return f"""## Audit trail with the hash chain (issue 14)

`python -m bench audit` ({connection.vendor}; {ROUNDS} writes of each kind in this process, alternating in
four rounds; milliseconds).

| write | p50 ms | p95 ms |
|---|---|---|
{rows}

The retention purge of all {purged} events: {purge_s:.2f} s. `audit_verify` over {count} events
({"intact" if report.ok else report.problem}): {verify_s:.2f} s.
"""
