"""Database triggers that make the audit table append-only (docs/decisions/0022).

PostgreSQL: a row trigger refuses UPDATE and DELETE, a statement trigger refuses TRUNCATE. SQLite: BEFORE UPDATE
and BEFORE DELETE triggers (SQLite has no TRUNCATE; `DELETE FROM` without WHERE fires the delete trigger, which
also turns SQLite's truncate shortcut off). Two things pass:

- the maintenance switch, only ever open inside one transaction: the transaction-local setting
  `nabij.audit_maintenance = 'on'` on PostgreSQL, a row in `privacy_auditmaintenance` on SQLite (a trigger there
  cannot read settings; the table is not a Django model, so a test flush leaves it alone). Production code opens
  it only in `audit_chain.audit_purge_before`, the test suite only around its flush (conftest.py);
- setting actor or organisation to NULL with every other column unchanged: what deleting a user or organisation
  does (on_delete=SET_NULL). Those three keys are outside the hash; `actor_label` inside it keeps who it was.

A later migration that rebuilds this table on SQLite (any AlterField there) drops these triggers; it must
create them again. `audit_verify` and a test report missing triggers.
"""

from django.db import migrations

PG_FORWARD = """
CREATE FUNCTION privacy_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('nabij.audit_maintenance', true), '') = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE'
       AND (to_jsonb(NEW) - '{actor_id,organisation_id,owner_organisation_id}'::text[])
           = (to_jsonb(OLD) - '{actor_id,organisation_id,owner_organisation_id}'::text[])
       AND (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id)
       AND (NEW.organisation_id IS NULL OR NEW.organisation_id = OLD.organisation_id)
       AND (NEW.owner_organisation_id IS NULL OR NEW.owner_organisation_id = OLD.owner_organisation_id) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'privacy_auditevent is append-only: % refused', TG_OP USING ERRCODE = 'restrict_violation';
END
$$;
CREATE FUNCTION privacy_auditevent_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('nabij.audit_maintenance', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'privacy_auditevent is append-only: TRUNCATE refused' USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER privacy_auditevent_append_only BEFORE UPDATE OR DELETE ON privacy_auditevent
    FOR EACH ROW EXECUTE FUNCTION privacy_auditevent_append_only();
CREATE TRIGGER privacy_auditevent_no_truncate BEFORE TRUNCATE ON privacy_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION privacy_auditevent_refuse_truncate();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS privacy_auditevent_no_truncate ON privacy_auditevent;
DROP TRIGGER IF EXISTS privacy_auditevent_append_only ON privacy_auditevent;
DROP FUNCTION IF EXISTS privacy_auditevent_refuse_truncate();
DROP FUNCTION IF EXISTS privacy_auditevent_append_only();
"""

# Every column but the three nullable keys must stay the same; a column added later must be added here too
# (a test updates each field and expects a refusal).
_UNCHANGED = [
    "id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "area_code",
    "result",
    "detail",
    "created_at",
    "agreement_id",
    "source_ip",
    "user_agent",
    "prev_hash",
    "hash",
]
_MAY_CLEAR = ["actor_id", "organisation_id", "owner_organisation_id"]
_SQLITE_ONLY_CLEARED = " AND ".join(
    [f"NEW.{c} IS OLD.{c}" for c in _UNCHANGED] + [f"(NEW.{c} IS OLD.{c} OR NEW.{c} IS NULL)" for c in _MAY_CLEAR]
)
SQLITE_FORWARD = [
    "CREATE TABLE privacy_auditmaintenance (since TEXT NOT NULL)",
    f"""CREATE TRIGGER privacy_auditevent_no_update BEFORE UPDATE ON privacy_auditevent
    WHEN NOT EXISTS (SELECT 1 FROM privacy_auditmaintenance) AND NOT ({_SQLITE_ONLY_CLEARED})
    BEGIN SELECT RAISE(ABORT, 'privacy_auditevent is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER privacy_auditevent_no_delete BEFORE DELETE ON privacy_auditevent
    WHEN NOT EXISTS (SELECT 1 FROM privacy_auditmaintenance)
    BEGIN SELECT RAISE(ABORT, 'privacy_auditevent is append-only: DELETE refused'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS privacy_auditevent_no_delete",
    "DROP TRIGGER IF EXISTS privacy_auditevent_no_update",
    "DROP TABLE IF EXISTS privacy_auditmaintenance",
]


def _run(schema_editor, statements) -> None:
    for sql in statements:
        schema_editor.execute(sql, params=None)


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, [PG_FORWARD])
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_FORWARD)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, [PG_BACKWARD])
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0004_chain_existing_events")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
