"""Retention (AVG art. 5(1)(e)): every kind of personal data in the registry is erased when its period in
`settings.NABIJ_RETENTION` has passed, the same way as an erasure on request (nabij.privacy.erasure): a resident
whose last contact is 24 months old goes with everything linked to them; an old contact note is blanked and its
contact keeps its topic, buurt and week. Run daily by `retention_purge_task`, or at once by
`manage.py retention_purge [--dry-run]`. See docs/decisions/0020-retention.md.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from nabij.privacy.erasure import (
    admin_log_erase,
    record_texts,
    residents_records_erase,
    residents_records_targets,
    task_rows_erase,
)
from nabij.privacy.models import AuditEvent
from nabij.privacy.registry import PersonalData, kinds
from nabij.privacy.services import audit_record

logger = logging.getLogger(__name__)


def _expired_pks(kind: PersonalData, now: datetime) -> list:
    return list(kind.expired(now).values_list("pk", flat=True).distinct())


def _purge_kind(kind: PersonalData, pks: list) -> dict[str, int]:
    """As an erasure: the records, their admin change log, and task rows quoting their text."""
    qs = kind.model_class._default_manager.filter(pk__in=pks)
    if kind.is_resident:
        return residents_records_erase(qs)
    texts = record_texts(kind, pks)
    erased = {kind.key: kind.retention_erase(qs)}
    if kind.fields:
        admin_log_erase(kind, pks)
    tasks = task_rows_erase(texts)
    if tasks:
        erased["taakresultaten"] = tasks
    return erased


def _in_order() -> list[PersonalData]:
    """Expired residents first: their records go with them (counted once, under their own kind), and what
    remains to expire by its own period is the rest."""
    return sorted((k for k in kinds() if k.expired is not None), key=lambda k: not k.is_resident)


def retention_purge(*, now: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Erase every expired record; the number per kind (registry keys), also for kinds with nothing to erase.
    With `dry_run`, count what would be erased and change nothing (the same counts). Each kind is purged in its
    own transaction, so one failing kind (logged) does not keep the others; the run is audited with its counts
    only."""
    now = now or timezone.now()
    counts: dict[str, int] = dict.fromkeys((k.key for k in kinds() if k.expired is not None), 0)
    seen: dict[str, set] = {}  # records already erased with an expired resident, per kind
    for kind in _in_order():
        pks = [pk for pk in _expired_pks(kind, now) if pk not in seen.get(kind.key, ())]
        if not pks:
            continue
        if kind.is_resident:
            for linked, linked_pks in residents_records_targets(kind.model_class._default_manager.filter(pk__in=pks)):
                seen.setdefault(linked.key, set()).update(linked_pks)
        if dry_run:
            erased = {k: len(v) for k, v in seen.items()} if kind.is_resident else {kind.key: len(pks)}
        else:
            try:
                with transaction.atomic():
                    erased = _purge_kind(kind, pks)
            except Exception:
                logger.exception("Retention purge of %s failed", kind.key)
                continue
        for key, number in erased.items():
            counts[key] = counts.get(key, 0) + number
    if not dry_run and any(counts.values()):
        audit_record(
            actor=None,
            action=AuditEvent.Action.DELETE,
            object_type="retention",
            detail={"gewist": {key: number for key, number in counts.items() if number}},
        )
    logger.info("Retention purge%s: %s", " (dry run)" if dry_run else "", {k: v for k, v in counts.items() if v})
    return counts
