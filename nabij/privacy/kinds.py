"""The privacy app's own retention kinds: sessions, finished task results and the audit trail.

None of them is linked to a resident; each only expires. The audit trail's purge must keep its hash chain
verifiable and the table refuses plain deletes, so its kind calls the audit chain's controlled purge
(`nabij.privacy.audit_chain.audit_purge_before`), the one way past the table's triggers.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from django_tasks_db.models import DBTaskResult

from nabij.privacy.audit_chain import audit_purge_before
from nabij.privacy.models import AuditEvent
from nabij.privacy.registry import AUDIT_KIND, PersonalData, register, register_not_personal, retention_period

FINISHED = ("SUCCESSFUL", "FAILED")


def _delete(qs: QuerySet) -> int:
    pks = list(qs.values_list("pk", flat=True))
    qs.model._default_manager.filter(pk__in=pks).delete()
    return len(pks)


def sessions_expired(now: datetime) -> QuerySet:
    """Sessions past their expiry, and any not used for longer than the period (a session row's expiry is its
    last use plus the cookie age)."""
    unused = now - retention_period("sessies") + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    return Session.objects.filter(Q(expire_date__lt=now) | Q(expire_date__lt=unused))


def task_results_expired(now: datetime) -> QuerySet:
    """Finished background tasks (done or failed) longer ago than the period; waiting and running ones stay."""
    return DBTaskResult.objects.filter(status__in=FINISHED, finished_at__lt=now - retention_period("taakresultaten"))


def audit_expired(now: datetime) -> QuerySet:
    return AuditEvent.objects.filter(created_at__lt=now - retention_period(AUDIT_KIND))


def audit_erase(qs: QuerySet) -> int:
    """Only through the chain's purge, by date: everything before the newest expired event."""
    newest = qs.order_by("-created_at").values_list("created_at", flat=True).first()
    if newest is None:
        return 0
    return audit_purge_before(before=newest + timedelta(microseconds=1))


register(
    PersonalData(
        key="sessies",
        model="sessions.Session",
        title=_("Sessions"),
        erase=_delete,
        expired=sessions_expired,
        order=900,
    )
)
register(
    PersonalData(
        key="taakresultaten",
        model="django_tasks_database.DBTaskResult",
        title=_("Finished background tasks"),
        erase=_delete,
        expired=task_results_expired,
        order=910,
    )
)
register(
    PersonalData(
        key=AUDIT_KIND,
        model="privacy.AuditEvent",
        title=_("Audit events"),
        # Who did what to which record: staff data and ids, never a resident's content.
        # The source address and browser are the staff member's, kept for the same 5 years (NEN 7513).
        not_personal_fields=("actor_label", "area_code", "object_id", "object_type", "hash", "prev_hash", "user_agent"),
        erase=audit_erase,
        expired=audit_expired,
        order=990,
    )
)
register_not_personal("privacy.AuditChain", reason="the audit chain's head and anchor: hashes and an event id")
