"""Link the events written before the hash chain existed, in id order, and set the chain head.

The canonical content is frozen here on purpose (a migration imports no app code); a test checks that it gives
the same hash as nabij.privacy.audit_chain.event_hash.
"""

import hashlib
import ipaddress
import json
from datetime import UTC

from django.db import migrations

GENESIS_HASH = "0" * 64
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


def frozen_event_hash(event) -> str:
    values = {name: getattr(event, name) for name in HASHED_FIELDS}
    values["created_at"] = event.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    ip = event.source_ip
    values["source_ip"] = str(ipaddress.ip_address(str(ip).strip())) if ip else ""
    canonical = json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def link_existing(apps, schema_editor):
    AuditEvent = apps.get_model("privacy", "AuditEvent")
    AuditChain = apps.get_model("privacy", "AuditChain")
    previous, last_id, batch = GENESIS_HASH, None, []
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        event.detail = json.loads(json.dumps(event.detail or {}))
        event.prev_hash = previous
        event.hash = frozen_event_hash(event)
        previous, last_id = event.hash, event.pk
        batch.append(event)
        if len(batch) >= 2000:
            AuditEvent.objects.bulk_update(batch, ["prev_hash", "hash"])
            batch = []
    if batch:
        AuditEvent.objects.bulk_update(batch, ["prev_hash", "hash"])
    AuditChain.objects.update_or_create(pk=1, defaults={"head_hash": previous, "head_event_id": last_id})


class Migration(migrations.Migration):
    dependencies = [("privacy", "0003_chain_fields_and_source")]

    operations = [migrations.RunPython(link_existing, migrations.RunPython.noop)]
