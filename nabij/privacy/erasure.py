"""Erasure (AVG art. 17): a resident and everything kept about them, dispatched through the registry of personal
data (nabij.privacy.registry) in one transaction.

What remains is only what carries no personal data — the topic, buurt and week of a contact, the status of a
promise — so counts keep their history. Denormalised copies go too: the Django admin's change log (it keeps an
object's name), background task rows whose arguments, result or traceback hold an erased text, and the caches
of higher apps (erasure listeners). The audit keeps that an erasure happened, by whom, when and how many records
of each kind; never the content. See docs/decisions/0019-erasure.md.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from nabij.core.access import policy_for
from nabij.core.exceptions import ApplicationError, NotVisible, PermissionRefused
from nabij.privacy.models import AuditEvent
from nabij.privacy.registry import PersonalData, erasure_listeners, resident_kind, resident_kinds
from nabij.privacy.services import audit_record, audit_refusal

logger = logging.getLogger(__name__)

REASON_MIN = 3
REASON_MAX = 500
# Shorter texts are not looked for in the task table: they would match unrelated rows.
TASK_TEXT_MIN = 6


class GROUND:
    """Why a resident was erased, as the audit records it."""

    REQUEST = "verzoek"
    CONSENT_WITHDRAWN = "toestemming_ingetrokken"
    RETENTION = "bewaartermijn"
    ADMIN = "beheer"


class InvalidReason(ApplicationError):
    status_code = 422


def record_texts(kind: PersonalData, pks: list) -> set[str]:
    if not kind.fields:
        return set()
    rows = kind.model_class._default_manager.filter(pk__in=pks).values_list(*kind.fields)
    return {value for row in rows for value in row if isinstance(value, str) and value}


def admin_log_erase(kind: PersonalData, pks: list) -> None:
    """The admin's change log names each object (`object_repr`, e.g. a promise's description)."""
    content_type = ContentType.objects.get_for_model(kind.model_class, for_concrete_model=False)
    LogEntry.objects.filter(content_type=content_type, object_id__in=[str(pk) for pk in pks]).delete()


def task_rows_erase(texts: Iterable[str]) -> int:
    """Delete background task rows whose arguments, return value or traceback contain one of `texts` (tasks take
    ids by design, but a failed task's traceback may quote a value). Running tasks are left to finish."""
    from django_tasks_db.models import DBTaskResult

    needles = {t for t in texts if len(t) >= TASK_TEXT_MIN}
    if not needles:
        return 0
    query = Q()
    for text in needles:
        escaped = json.dumps(text)[1:-1]  # how a JSON column stores it on SQLite (non-ASCII as \\u escapes)
        for variant in {text, escaped}:
            query |= Q(args_text__contains=variant) | Q(return_text__contains=variant) | Q(traceback__contains=variant)
    rows = (
        DBTaskResult.objects.exclude(status="RUNNING")
        .annotate(args_text=Cast("args_kwargs", TextField()), return_text=Cast("return_value", TextField()))
        .filter(query)
    )
    pks = list(rows.values_list("pk", flat=True))
    DBTaskResult.objects.filter(pk__in=pks).delete()
    return len(pks)


def residents_records_targets(residents: QuerySet) -> list[tuple[PersonalData, list]]:
    """Every record about these residents, per kind (in erasure order), as primary keys."""
    targets = []
    for kind in resident_kinds():
        pks = list(kind.for_residents(residents).values_list("pk", flat=True))
        if pks:
            targets.append((kind, pks))
    return targets


def residents_records_erase(residents: QuerySet) -> dict[str, int]:
    """Erase these residents and every record about them, kind by kind in registry order (the resident last);
    the number erased per kind. All records are found before any is changed: erasing a contact moment unlinks
    it from the resident, and the promises made in it are found through that link. Call inside a transaction."""
    targets = residents_records_targets(residents)
    texts: set[str] = set()
    counts: dict[str, int] = {}
    for kind, pks in targets:
        texts |= record_texts(kind, pks)
        counts[kind.key] = kind.erase(kind.model_class._default_manager.filter(pk__in=pks))
        admin_log_erase(kind, pks)
    tasks = task_rows_erase(texts)
    if tasks:
        counts["taakresultaten"] = tasks
    transaction.on_commit(_notify_listeners)
    return counts


def _notify_listeners() -> None:
    for listener in erasure_listeners():
        try:
            listener()
        except Exception:  # a cache that cannot be cleared must not undo or hide a committed erasure
            logger.exception("Erasure listener %s failed", getattr(listener, "__name__", listener))


def _clean_reason(reason: str) -> str:
    from nabij.language.services import deidentify

    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise InvalidReason(_("Give the reason for erasing (at least 3 characters)."), field="reden")
    if len(reason) > REASON_MAX:
        raise InvalidReason(_("The reason is too long (at most 500 characters)."), field="reden")
    return deidentify(reason)


def resident_erase_check(*, actor, resident) -> None:
    """Only staff who may change the resident file may erase it (the resident policy's `can_change`: its own
    organisation's staff in scope, by role); others get 404 when they may not see it, else 403. Refusals are
    audited."""
    policy = policy_for(resident)
    if not policy.can_view(actor, resident):
        audit_refusal(actor=actor, action=AuditEvent.Action.DELETE, object_type="resident", object_id=resident.pk)
        raise NotVisible(_("Resident not found."))
    if not policy.can_change(actor, resident):
        audit_refusal(
            actor=actor,
            action=AuditEvent.Action.DELETE,
            object_type="resident",
            object_id=resident.pk,
            area_code=resident.buurt_id,
        )
        raise PermissionRefused(_("You may not erase this resident."))


def resident_erase(*, actor, resident, reason: str, ground: str = GROUND.REQUEST) -> dict[str, int]:
    """Erase a resident (art. 17): the resident, their label and consent history, and the text of every linked
    contact note, promise and referral; the topic, buurt and week of each contact stay. Returns the number of
    records erased per kind (registry keys). The audit records the erasure — who, when, the ground, the
    de-identified reason and the counts — never the content. One transaction: all of it or nothing (a refusal
    is checked, and audited, before it starts)."""
    resident_erase_check(actor=actor, resident=resident)
    reason = _clean_reason(reason)
    pk, buurt_code, organisation_id = resident.pk, resident.buurt_id, resident.organisation_id
    model = resident_kind().model_class
    with transaction.atomic():
        counts = residents_records_erase(model._default_manager.filter(pk=pk))
        audit_record(
            actor=actor,
            action=AuditEvent.Action.DELETE,
            object_type="resident",
            object_id=pk,
            area_code=buurt_code,
            detail={"grond": ground, "reden": reason, "gewist": counts},
            owner_organisation_id=organisation_id,
        )
    logger.info("Resident %s erased (%s): %s records", pk, ground, sum(counts.values()))
    return counts


def residents_erase_in_admin(*, actor, residents: QuerySet) -> int:
    """Deleting residents in the Django admin is an erasure too (a plain delete would leave their notes): each
    is erased with everything linked and audited, with the admin as the ground. The admin's own permission
    (superusers) decides who may; returns how many residents were erased."""
    erased = 0
    for resident in residents.model._default_manager.filter(pk__in=residents.values("pk")):
        with transaction.atomic():
            counts = residents_records_erase(resident._meta.model._default_manager.filter(pk=resident.pk))
            audit_record(
                actor=actor,
                action=AuditEvent.Action.DELETE,
                object_type="resident",
                object_id=resident.pk,
                area_code=resident.buurt_id,
                detail={"grond": GROUND.ADMIN, "gewist": counts},
                owner_organisation_id=resident.organisation_id,
            )
        erased += 1
    return erased


def resident_consent_withdraw(*, actor, resident, reason: str = "") -> dict[str, int]:
    """Withdrawn consent: without it nothing about the resident may be kept, so the resident is erased as on
    request (the consent history goes with the resident)."""
    return resident_erase(
        actor=actor,
        resident=resident,
        reason=reason.strip() or _("Consent withdrawn."),
        ground=GROUND.CONSENT_WITHDRAWN,
    )


def erasure_preview(*, resident) -> list[tuple[PersonalData, int]]:
    """What an erasure of this resident would touch: each kind with its number of records (the confirmation
    page names them)."""
    model = resident_kind().model_class
    residents = model._default_manager.filter(pk=resident.pk)
    found = [(kind, kind.for_residents(residents).count()) for kind in resident_kinds()]
    return [(kind, count) for kind, count in found if count]
