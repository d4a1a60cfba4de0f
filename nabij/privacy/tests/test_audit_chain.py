"""The audit trail nobody can rewrite: database triggers, the hash chain, `audit_verify` and the retention purge."""

import importlib
import io
import threading
from datetime import timedelta

from django.core.management import call_command
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

import pytest

from nabij.accounts.tests.factories import UserFactory
from nabij.privacy import audit_chain
from nabij.privacy.models import AuditChain, AuditEvent
from nabij.privacy.services import audit_record, audit_record_all

pytestmark = pytest.mark.django_db


def _events(count: int) -> list[AuditEvent]:
    return [audit_record(actor=None, action="view", object_type="resident", object_id=n) for n in range(count)]


def _sql(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _verify() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, err.getvalue()
    return 0, out.getvalue()


def _tamper(sql: str, params=()) -> None:
    """What an intruder with database access does: open the maintenance switch and write behind the ORM."""
    with transaction.atomic(), audit_chain._maintenance():
        _sql(sql, params)


# Triggers ---------------------------------------------------------------------------------------------------


def test_the_database_refuses_to_change_an_audit_event():
    event = _events(1)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        _sql("UPDATE privacy_auditevent SET object_id = 'x' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.object_id == "0"


@pytest.mark.parametrize(
    "field",
    [f.column for f in AuditEvent._meta.concrete_fields if f.column not in audit_chain.TRIGGER_MAY_CLEAR],
)
def test_every_column_of_an_audit_event_is_protected(field):
    """Also a column added later: the SQLite trigger lists them, so a new one must be added there."""
    event = _events(1)[0]
    value = "2001-01-01 00:00:00" if field == "created_at" else ("7" if field in {"id", "agreement_id"} else "x")
    if field == "source_ip":
        value = "10.0.0.1"
    elif field == "detail":
        value = '{"x": 1}'
    with pytest.raises(IntegrityError), transaction.atomic():
        _sql(f"UPDATE privacy_auditevent SET {field} = %s WHERE id = %s", [value, event.pk])


def test_the_database_refuses_to_delete_audit_events():
    event = _events(2)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        _sql("DELETE FROM privacy_auditevent WHERE id = %s", [event.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        _sql("DELETE FROM privacy_auditevent")
    assert AuditEvent.objects.count() == 2


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)  # committed rows: no deferred foreign-key checks pending
def test_postgresql_refuses_to_truncate_the_audit_table():
    _events(1)
    with pytest.raises(IntegrityError), transaction.atomic():
        _sql("TRUNCATE privacy_auditevent")
    assert AuditEvent.objects.count() == 1


def test_removing_a_user_keeps_their_events_with_their_name_and_the_chain_intact():
    """Deleting a user sets the actor to NULL: the one update the triggers allow, outside the hash."""
    user = UserFactory()
    audit_record(actor=user, action="view", object_type="resident", object_id=1)
    user.delete()
    event = AuditEvent.objects.get()
    assert event.actor_id is None and event.actor_label == user.email
    assert _verify()[0] == 0


@pytest.mark.django_db(transaction=True)
def test_the_maintenance_switch_cannot_be_opened_outside_a_transaction():
    with pytest.raises(RuntimeError), audit_chain._maintenance():
        pass


def test_the_maintenance_switch_closes_with_its_transaction():
    event = _events(1)[0]
    with transaction.atomic(), audit_chain._maintenance():
        pass
    with pytest.raises(IntegrityError), transaction.atomic():
        _sql("DELETE FROM privacy_auditevent WHERE id = %s", [event.pk])


# The chain --------------------------------------------------------------------------------------------------


def test_each_event_carries_the_hash_of_the_one_before():
    first, second = _events(2)
    assert first.prev_hash == AuditChain.objects.get().anchor_hash
    assert second.prev_hash == first.hash
    assert AuditChain.objects.get().head_hash == second.hash


def test_a_read_of_several_owners_links_every_event():
    events = audit_record_all(
        [{"actor": None, "action": "view", "object_type": "resident", "owner_organisation_id": None}] * 3
    )
    stored = list(AuditEvent.objects.order_by("id"))
    assert [e.pk for e in stored] == [e.pk for e in events]
    assert [e.prev_hash for e in stored[1:]] == [e.hash for e in stored[:-1]]
    assert _verify()[0] == 0


def test_the_hash_survives_the_database_round_trip():
    user = UserFactory()
    event = audit_record(
        actor=user, action="search", object_type="resident", detail={"filters": ("a", 1), "n": 2.5, "é": "ü"}
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert audit_chain.event_hash(stored) == stored.hash == event.hash


def test_the_data_migration_hashes_as_the_app_does():
    migration = importlib.import_module("nabij.privacy.migrations.0004_chain_existing_events")
    event = audit_record(actor=None, action="view", object_type="resident", detail={"k": [1, 2]})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert migration.frozen_event_hash(stored) == audit_chain.event_hash(stored)
    assert migration.HASHED_FIELDS == audit_chain.HASHED_FIELDS


def test_audit_verify_reports_an_intact_chain():
    _events(3)
    code, out = _verify()
    assert code == 0
    assert "Keten in orde: 3 gebeurtenissen" in out


def test_audit_verify_finds_an_edited_event():
    events = _events(3)
    _tamper("UPDATE privacy_auditevent SET object_id = 'someone else' WHERE id = %s", [events[1].pk])
    code, err = _verify()
    assert code == 1
    assert f"Gebeurtenis {events[1].pk}" in err and "gewijzigd" in err


def test_audit_verify_finds_an_edited_event_whose_hash_was_recomputed():
    events = _events(3)
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.object_id = "someone else"
    _tamper(
        "UPDATE privacy_auditevent SET object_id = %s, hash = %s WHERE id = %s",
        [forged.object_id, audit_chain.event_hash(forged), forged.pk],
    )
    code, err = _verify()
    assert code == 1
    assert f"Gebeurtenis {events[2].pk}" in err and f"gebeurtenis {events[1].pk}" in err


def test_audit_verify_finds_a_deleted_event():
    events = _events(3)
    _tamper("DELETE FROM privacy_auditevent WHERE id = %s", [events[1].pk])
    code, err = _verify()
    assert code == 1
    assert f"Gebeurtenis {events[2].pk}" in err and "verwijderd" in err


def test_audit_verify_finds_the_last_event_deleted():
    events = _events(3)
    _tamper("DELETE FROM privacy_auditevent WHERE id = %s", [events[2].pk])
    code, err = _verify()
    assert code == 1
    assert f"eindigen bij gebeurtenis {events[2].pk}" in err


def _forge_after(previous: AuditEvent, *, object_id: str) -> AuditEvent:
    """An event with a correct hash that links to `previous`, inserted behind the chain's back."""
    forged = AuditEvent(
        action="view",
        object_type="resident",
        object_id=object_id,
        actor_label="anoniem",
        prev_hash=previous.hash,
        created_at=previous.created_at + timedelta(seconds=1),
    )
    forged.hash = audit_chain.event_hash(forged)
    AuditEvent.objects.bulk_create([forged])  # an INSERT: the triggers do not stop inserts, the chain shows them
    return forged


def test_audit_verify_finds_an_inserted_event():
    events = _events(3)
    forged = _forge_after(events[0], object_id="between")  # pretends to come after the first
    code, err = _verify()
    assert code == 1
    assert "tussengevoegd" in err or f"Gebeurtenis {forged.pk}" in err


def test_audit_verify_finds_an_event_added_at_the_end():
    events = _events(2)
    forged = _forge_after(events[-1], object_id="appended")
    code, err = _verify()
    assert code == 1
    assert f"Gebeurtenis {forged.pk}" in err and "buiten de keten" in err


def test_audit_verify_reports_missing_triggers():
    _events(1)
    trigger = sorted(audit_chain.TRIGGER_NAMES[connection.vendor])[0]
    _sql(f"DROP TRIGGER {trigger}" + (" ON privacy_auditevent" if connection.vendor == "postgresql" else ""))
    code, err = _verify()
    assert code == 1
    assert trigger in err


def test_the_triggers_exist_after_all_migrations():
    assert audit_chain.triggers_missing() == set()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    """Two processes appending at once wait for the chain head; the chain stays one line."""
    barrier = threading.Barrier(4)

    def write():
        try:
            barrier.wait()
            for n in range(15):
                audit_record(actor=None, action="view", object_type="resident", object_id=n)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert AuditEvent.objects.count() == 60
    assert _verify() == (0, "Keten in orde: 60 gebeurtenissen.\n")


# Retention purge ------------------------------------------------------------------------------------------


def test_the_retention_purge_removes_old_events_and_keeps_the_chain_verifiable():
    old = _events(3)
    cutoff = timezone.now()
    kept = _events(2)
    assert audit_chain.audit_purge_before(before=cutoff) == 3
    remaining = list(AuditEvent.objects.order_by("id"))
    assert [e.pk for e in remaining[:2]] == [e.pk for e in kept]
    purge = remaining[-1]
    assert purge.object_type == "audit_event" and purge.detail["purged"] == 3
    head = AuditChain.objects.get()
    assert head.anchor_hash == old[-1].hash and head.anchor_event_id == old[-1].pk
    assert _verify() == (0, "Keten in orde: 3 gebeurtenissen.\n")


def test_the_purge_keeps_events_after_the_first_recent_one():
    """Old times after a recent one (clock skew between writers) wait for the next purge: the chain stays whole."""
    first = _events(1)[0]
    cutoff = timezone.now()
    _events(1)
    late = AuditEvent(action="view", object_type="resident", actor_label="anoniem", created_at=first.created_at)
    audit_chain.audit_append([late])
    assert audit_chain.audit_purge_before(before=cutoff) == 1
    assert AuditEvent.objects.filter(pk=late.pk).exists()
    assert _verify()[0] == 0


def test_a_purge_of_nothing_changes_nothing():
    _events(2)
    assert audit_chain.audit_purge_before(before=timezone.now() - timedelta(days=365 * 5)) == 0
    assert AuditEvent.objects.count() == 2


def test_removing_the_oldest_events_without_the_purge_is_found():
    events = _events(3)
    _tamper("DELETE FROM privacy_auditevent WHERE id = %s", [events[0].pk])
    code, err = _verify()
    assert code == 1
    assert f"Gebeurtenis {events[1].pk}" in err


def test_a_moved_anchor_is_found():
    events = _events(3)
    audit_chain.audit_purge_before(before=events[1].created_at)
    AuditChain.objects.update(anchor_hash=events[1].hash, anchor_event_id=events[1].pk)
    _tamper("DELETE FROM privacy_auditevent WHERE id = %s", [events[1].pk])
    code, err = _verify()
    assert code == 1
    assert "laatste opschoning" in err


# Flush --------------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_writes_events_that_the_flush_removes():
    _events(2)
    assert AuditEvent.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_flush_left_an_empty_trail_and_the_triggers_in_place():
    assert AuditEvent.objects.count() == 0
    assert audit_chain.triggers_missing() == set()
    _events(1)
    assert _verify()[0] == 0
