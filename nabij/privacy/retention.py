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

from nabij.privacy.erasure import admin_log_erase, record_texts, residents_records_erase, task_rows_erase
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


def retention_purge(*, now: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Erase every expired record; the number per kind (registry keys), also for kinds with nothing to erase.
    With `dry_run`, count what would be erased and change nothing. Each kind is purged in its own transaction,
    so one failing kind (logged) does not keep the others; the run is audited with its counts only."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for kind in kinds():
        if kind.expired is None:
            continue
        counts.setdefault(kind.key, 0)
        pks = _expired_pks(kind, now)
        if dry_run or not pks:
            counts[kind.key] += len(pks)
            continue
        try:
            with transaction.atomic():
                erased = _purge_kind(kind, pks)
        except Exception:
            logger.exception("Retention purge of %s failed", kind.key)
            continue
        if kind.is_resident:
            erased[kind.key] = len(pks)
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
