"""The audit trail's hash chain: appending linked events, the retention purge, and verifying the chain.

Every event stores the SHA-256 of its own canonical content plus the hash of the event before it (`prev_hash`),
so that changing, removing or slipping in a row shows as a broken link (`manage.py audit_verify`). Database
triggers (migration 0005) refuse UPDATE, DELETE and TRUNCATE on the table; the one way past them in production
is `audit_purge_before`, the retention purge, which keeps the chain verifiable by storing the hash of the last
purged event as the new anchor (docs/decisions/0022-audit-trail-triggers-and-hash-chain.md).

The canonical content must never change: a migration that froze it (0004) computes the same hashes, and a test
compares the two.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nabij.privacy.models import AuditChain, AuditEvent

# The maintenance switch the triggers look at: a transaction-local setting on PostgreSQL, a row in a table that
# is not a Django model on SQLite (its triggers cannot read settings). Both only ever inside one transaction.
PG_MAINTENANCE_SETTING = "nabij.audit_maintenance"
SQLITE_MAINTENANCE_TABLE = "privacy_auditmaintenance"
TRIGGER_NAMES = {
    "postgresql": {"privacy_auditevent_append_only", "privacy_auditevent_no_truncate"},
    "sqlite": {"privacy_auditevent_no_update", "privacy_auditevent_no_delete"},
}
# The keys that deleting a user or organisation sets to NULL: the one change the triggers allow.
TRIGGER_MAY_CLEAR = {"actor_id", "organisation_id", "owner_organisation_id"}
# The fields a hash covers, in this order. The three organisation/actor keys are left out on purpose: deleting a
# user or organisation sets them to NULL (the triggers allow exactly that and nothing else); `actor_label` keeps
# who it was inside the hash.
HASHED_FIELDS = (
    "created_at",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "area_code",
    "result",
    "agreement_id",
    "detail",
    "source_ip",
    "user_agent",
    "prev_hash",
)
_VERIFY_CHUNK = 2000
_LINK_WINDOW = 1000


def normalise_ip(value: str | None) -> str | None:
    """One spelling per address (IPv6 compressed), so the hash is the same before and after the database."""
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError:
        return None


def normalise_detail(detail: dict | None) -> dict:
    """The detail as JSON gives it back (tuples become lists, keys strings), so the hash survives a round trip."""
    return json.loads(json.dumps(detail or {}))


def event_hash(event: AuditEvent) -> str:
    """SHA-256 over the canonical JSON of the event's hashed fields (UTC time to the microsecond)."""
    created = event.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    values = {name: getattr(event, name) for name in HASHED_FIELDS}
    values["created_at"] = created
    values["source_ip"] = normalise_ip(event.source_ip) or ""
    values["agreement_id"] = event.agreement_id
    canonical = json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _head_locked() -> AuditChain:
    # After a test flush the row is gone with the events; get_or_create recreates it, race-safe.
    head, _created = AuditChain.objects.select_for_update().get_or_create(pk=1)
    return head


def audit_append(events: Sequence[AuditEvent]) -> None:
    """Link `events` to the chain and insert them, in one transaction holding the chain head: concurrent writers
    wait for each other (a row lock on PostgreSQL, the IMMEDIATE write lock on SQLite) instead of forking it.
    Three statements for any number of events: lock the head, insert, move the head."""
    if not events:
        return
    # Inside a caller's transaction no savepoint: a failed audit write fails that transaction, as it should.
    with transaction.atomic(savepoint=False):
        head = _head_locked()
        previous = head.head_hash
        for event in events:
            event.prev_hash = previous
            event.hash = event_hash(event)
            previous = event.hash
        if len(events) == 1:
            events[0].save(force_insert=True)
        else:
            AuditEvent.objects.bulk_create(events)
        head.head_hash = previous
        head.head_event_id = events[-1].pk
        head.save(update_fields=["head_hash", "head_event_id"])


def maintenance_sql(vendor: str) -> tuple[list[str], list[str]]:
    """The statements that open and close the triggers' maintenance switch, to run inside one transaction.
    Used by the retention purge below and by the test suite's flush (conftest.py); nothing else."""
    if vendor == "postgresql":
        return (
            [f"SELECT set_config('{PG_MAINTENANCE_SETTING}', 'on', true)"],
            [f"SELECT set_config('{PG_MAINTENANCE_SETTING}', 'off', true)"],
        )
    if vendor == "sqlite":
        return (
            [f"INSERT INTO {SQLITE_MAINTENANCE_TABLE} (since) VALUES (CURRENT_TIMESTAMP)"],
            [f"DELETE FROM {SQLITE_MAINTENANCE_TABLE}"],
        )
    raise NotImplementedError(f"No audit triggers for {vendor}.")


@contextmanager
def _maintenance() -> Iterator[None]:
    if not connection.in_atomic_block:
        raise RuntimeError("The audit maintenance switch is only valid inside a transaction.")
    switch_on, switch_off = maintenance_sql(connection.vendor)
    with connection.cursor() as cursor:
        for sql in switch_on:
            cursor.execute(sql)
        yield
        for sql in switch_off:
            cursor.execute(sql)


def audit_purge_before(*, before: datetime) -> int:
    """Retention (5 years, decided by the retention service): remove the oldest events, those before the first
    event at or after `before`, so that what remains is an unbroken tail of the chain. The hash of the last
    removed event becomes the chain's anchor, and the purge itself is recorded as an event whose detail repeats
    the anchor, so `audit_verify` still checks every remaining link. The one controlled exception to the
    append-only triggers. Returns how many events were removed."""
    with transaction.atomic():
        head = _head_locked()
        first_kept = (
            AuditEvent.objects.filter(created_at__gte=before).order_by("id").values_list("id", flat=True).first()
        )
        doomed = AuditEvent.objects.all() if first_kept is None else AuditEvent.objects.filter(id__lt=first_kept)
        last = doomed.order_by("-id").values("id", "hash").first()
        if last is None:
            return 0
        with _maintenance():
            # The base class's delete: AuditQuerySet.delete refuses on purpose.
            count, _detail = models.QuerySet.delete(doomed)
        head.anchor_hash = last["hash"]
        head.anchor_event_id = last["id"]
        head.purged_count += count
        head.purged_at = timezone.now()
        head.save(update_fields=["anchor_hash", "anchor_event_id", "purged_count", "purged_at"])
        from nabij.privacy.services import audit_record

        audit_record(
            actor=None,
            action=AuditEvent.Action.DELETE,
            object_type="audit_event",
            object_id=last["id"],
            detail={"purged": count, "before": before.isoformat(), "anchor_hash": last["hash"]},
        )
    return count


# Verification ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    count: int
    problem: str = ""
    event_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problem


def _when(event: AuditEvent) -> str:
    return timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S")


def triggers_missing() -> set[str]:
    """The append-only triggers that are not (or no longer) on the audit table, e.g. after a table rebuild."""
    expected = TRIGGER_NAMES.get(connection.vendor, set())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'privacy_auditevent'::regclass "
                "AND NOT tgisinternal AND tgenabled <> 'D'"
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'privacy_auditevent'")
        present = {row[0] for row in cursor.fetchall()}
    return expected - present


def audit_verify() -> ChainReport:
    """Walk the chain in id order from its anchor and report the first broken link in plain Dutch: an event whose
    content no longer matches its hash (edited), an event that does not link to the one before it (one removed,
    or one slipped in), an end that differs from the chain head (events removed at the end or added outside
    `audit_append`), a purge anchor that no purge event vouches for, and missing triggers."""
    missing = triggers_missing()
    if missing:
        return ChainReport(
            count=0,
            problem=_("The append-only triggers are missing on the audit table: %(names)s.")
            % {"names": ", ".join(sorted(missing))},
        )
    head = AuditChain.objects.filter(pk=1).first() or AuditChain()
    expected = head.anchor_hash
    recent: OrderedDict[str, int] = OrderedDict()  # hash -> id of the last events, to tell an insertion
    previous: AuditEvent | None = None
    count = 0
    last_purge: AuditEvent | None = None
    fields = ["id", *HASHED_FIELDS, "hash"]
    for event in AuditEvent.objects.order_by("id").only(*fields).iterator(chunk_size=_VERIFY_CHUNK):
        count += 1
        if event_hash(event) != event.hash:
            return ChainReport(
                count=count,
                event_id=event.pk,
                problem=_("Event %(id)s (%(time)s) was changed: its content no longer matches its hash.")
                % {"id": event.pk, "time": _when(event)},
            )
        if event.prev_hash != expected:
            if previous is None:
                problem = _(
                    "Event %(id)s (%(time)s) does not follow on from the chain's start: events before it were removed."
                ) % {"id": event.pk, "time": _when(event)}
            elif event.prev_hash in recent:
                problem = _(
                    "Event %(id)s (%(time)s) links to event %(linked)s, not to event %(previous)s just before it: "
                    "event %(previous)s was inserted."
                ) % {"id": event.pk, "time": _when(event), "linked": recent[event.prev_hash], "previous": previous.pk}
            else:
                problem = _(
                    "Event %(id)s (%(time)s) does not link to event %(previous)s before it: an event between them "
                    "was removed or replaced."
                ) % {"id": event.pk, "time": _when(event), "previous": previous.pk}
            return ChainReport(count=count, event_id=event.pk, problem=problem)
        if event.action == AuditEvent.Action.DELETE and event.object_type == "audit_event":
            last_purge = event
        recent[event.hash] = event.pk
        if len(recent) > _LINK_WINDOW:
            recent.popitem(last=False)
        expected = event.hash
        previous = event
    if expected != head.head_hash:
        if previous is not None and head.head_event_id is not None and previous.pk > head.head_event_id:
            problem = _("Event %(id)s (%(time)s) was added outside the chain: the chain ends at event %(head)s.") % {
                "id": previous.pk,
                "time": _when(previous),
                "head": head.head_event_id,
            }
            return ChainReport(count=count, event_id=previous.pk, problem=problem)
        problem = _("The last events of the chain are missing: it should end at event %(head)s.") % {
            "head": head.head_event_id
        }
        return ChainReport(count=count, event_id=head.head_event_id, problem=problem)
    if head.anchor_event_id is not None and (
        last_purge is None or last_purge.detail.get("anchor_hash") != head.anchor_hash
    ):
        return ChainReport(
            count=count,
            problem=_("The chain's starting point (after event %(id)s) is not the one the last purge recorded.")
            % {"id": head.anchor_event_id},
        )
    return ChainReport(count=count)
