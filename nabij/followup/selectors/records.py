"""Reads of promises and referrals, always through their access policies (`nabij.core.access.followup`).

Who sees what is the policies' rule, never restated here: a promise or referral belongs to the organisation of the
worker who recorded it; its staff see it in their area scope (the owner also outside it), a partner under a
samenwerkingsafspraak reads it, and the organisation a referral with consent was made to sees that referral only.
Every read of personal data is audited here (`audit_read`, one event per owning organisation), never in views.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Model, Q, QuerySet

from nabij.accounts.models import User
from nabij.core import permissions
from nabij.core.access import audit_read
from nabij.core.access.followup import followup_workers_q, promise_policy, referral_policy
from nabij.followup import rules
from nabij.followup.models import Promise, PromiseHandover, Referral
from nabij.privacy.refusals import refuse

if TYPE_CHECKING:
    from nabij.core.access import RecordPolicy
    from nabij.followup.models import ReferralStatusChange

API_STATUS = {
    "open": Q(status__in=rules.PROMISE_ACTIVE),
    "nagekomen": Q(status=Promise.Status.NAGEKOMEN),
    "niet-gelukt": Q(status=Promise.Status.NIET_GELUKT),
    "overgedragen": Q(status=Promise.Status.OVERGEDRAGEN),
}

_REFERRAL_RELATED = ("provider", "topic", "buurt", "resident", "worker", "organisation")


class AuditedRows[M: Model]:
    """A list read handed out page by page (the API's paging slices it): counting reads nothing personal, and
    the page that is sliced off is audited as it is read — exactly the records the caller receives."""

    def __init__(self, qs: QuerySet[M], *, user: User, policy: RecordPolicy, object_type: str, detail: dict) -> None:
        self.qs, self.user, self.policy, self.object_type, self.detail = qs, user, policy, object_type, detail

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: int | slice) -> M | list[M]:
        rows = list(self.qs[item]) if isinstance(item, slice) else [self.qs[item]]
        audit_read(
            user=self.user,
            policy=self.policy,
            records=rows,
            object_type=self.object_type,
            detail=self.detail | {"aantal": len(rows)},
        )
        return rows if isinstance(item, slice) else rows[0]


# Promises --------------------------------------------------------------------------------------------------


def promise_list(
    *, user: User, status: str = "", owner_id: int | None = None, today: date | None = None
) -> QuerySet[Promise]:
    """Promises the user may see (the promise policy). `status` is an API word: open (incl. handed over),
    te-laat (open and past its due date), nagekomen, niet-gelukt, overgedragen. Not audited: callers that hand the
    rows to a person read them through `promise_list_read`."""
    today = today or rules.local_today()
    qs = promise_policy.visible(user)
    if status == "te-laat":
        qs = qs.filter(rules.promise_overdue_q(today=today))
    elif status in API_STATUS:
        qs = qs.filter(API_STATUS[status])
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    return (
        qs.select_related("owner", "buurt", "resident", "initiative", "organisation")
        .defer("buurt__geometry")
        .order_by("due_date", "id")
    )


def promise_list_read(
    *, user: User, status: str = "", owner_id: int | None = None, detail: dict
) -> AuditedRows[Promise]:
    """`promise_list` for a person to read, audited per page."""
    qs = promise_list(user=user, status=status, owner_id=owner_id)
    return AuditedRows(qs, user=user, policy=promise_policy, object_type="promise_list", detail=detail)


def promise_get(*, user: User, pk: int, audit: bool = True) -> Promise:
    """One promise the user may see, else NotVisible (a 404: nothing tells that it exists). The read is audited
    (with its ground, for another organisation's promise); `audit=False` for a change, which its service audits."""
    promise = (
        Promise.objects.select_related("owner", "buurt", "resident", "initiative", "contact_moment", "organisation")
        .defer("buurt__geometry")
        .filter(pk=pk)
        .first()
    )
    if promise is None or not promise_policy.can_view(user, promise):
        refuse(actor=user, action="view", object_type="promise", object_id=pk, hidden=True)
    if audit:
        audit_read(
            user=user,
            policy=promise_policy,
            records=[promise],
            object_type="promise",
            object_id=promise.pk,
            area_code=promise.buurt_id,
        )
    return promise


def handovers_for(*, promise: Promise) -> QuerySet[PromiseHandover]:
    return promise.handovers.select_related("from_user", "to_user", "by")


# Referrals -------------------------------------------------------------------------------------------------


def referral_list(
    *, user: User, status: str = "", overdue: bool = False, received: bool = False, today: date | None = None
) -> QuerySet[Referral]:
    """Referrals the user may see (the referral policy, received ones included); `overdue`: navragen date passed
    and nothing final heard yet; `received`: only those other organisations made to the user's. Not audited: see
    `referral_list_read`."""
    today = today or rules.local_today()
    qs = referral_policy.visible(user)
    if received:
        qs = qs.filter(referral_policy.received_q(user))
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(rules.referral_overdue_q(today=today))
    return qs.select_related(*_REFERRAL_RELATED).defer("buurt__geometry").order_by("navragen_op", "id")


def referral_list_read(
    *, user: User, status: str = "", overdue: bool = False, received: bool = False, detail: dict
) -> AuditedRows[Referral]:
    """`referral_list` for a person to read, audited per page."""
    qs = referral_list(user=user, status=status, overdue=overdue, received=received)
    return AuditedRows(qs, user=user, policy=referral_policy, object_type="referral_list", detail=detail)


def referral_get(*, user: User, pk: int, audit: bool = True) -> Referral:
    """One referral the user may see, else NotVisible. The receiving organisation's read is audited on the
    ground "referral" for the owner's beheerder."""
    referral = Referral.objects.select_related(*_REFERRAL_RELATED).defer("buurt__geometry").filter(pk=pk).first()
    if referral is None or not referral_policy.can_view(user, referral):
        refuse(actor=user, action="view", object_type="referral", object_id=pk, hidden=True)
    if audit:
        audit_read(
            user=user,
            policy=referral_policy,
            records=[referral],
            object_type="referral",
            object_id=referral.pk,
            area_code=referral.buurt_id,
        )
    return referral


def received_referral_list(*, user: User, open_only: bool = False) -> list[Referral]:
    """ "Ontvangen doorverwijzingen": referrals other organisations made to the user's organisation with the
    resident's consent, in the user's area scope — newest first; audited on the ground "referral" per referring
    organisation. `open_only`: those not heard back on yet."""
    qs = referral_policy.visible(user).filter(referral_policy.received_q(user))
    if open_only:
        qs = qs.filter(status__in=rules.REFERRAL_TO_CHECK)
    referrals = list(qs.select_related(*_REFERRAL_RELATED).defer("buurt__geometry").order_by("-created_at", "-id"))
    audit_read(
        user=user,
        policy=referral_policy,
        records=referrals,
        object_type="referral_list",
        detail={"list": "received", "aantal": len(referrals)},
    )
    return referrals


def receives_referrals(*, user: User) -> bool:
    """Whether the user's organisation is behind an organisation on the sociale kaart (so referrals can reach it):
    decides the menu entry "Ontvangen doorverwijzingen". Read once per user object (one request)."""
    if user.organisation_id is None or not permissions.can_use_followup(user):
        return False
    cached = user.__dict__.get("_nabij_receives_referrals")
    if cached is None:
        from nabij.assets.selectors import organisation_on_social_map

        cached = organisation_on_social_map(organisation_id=user.organisation_id)
        user.__dict__["_nabij_receives_referrals"] = cached
    return cached


def referral_history(*, referral: Referral) -> QuerySet[ReferralStatusChange]:
    return referral.status_changes.select_related("by")


# "Mijn beloftes" -------------------------------------------------------------------------------------------


@dataclass
class MyFollowup:
    today: date
    overdue: list[Promise] = field(default_factory=list)
    due_today: list[Promise] = field(default_factory=list)
    this_week: list[Promise] = field(default_factory=list)
    later: list[Promise] = field(default_factory=list)
    referrals_overdue: list[Referral] = field(default_factory=list)
    referrals_today: list[Referral] = field(default_factory=list)

    @property
    def badge_count(self) -> int:
        return len(self.overdue) + len(self.due_today) + len(self.referrals_overdue) + len(self.referrals_today)

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.due_today or self.this_week or self.later or self.referrals_overdue)


def my_followup(*, user: User, today: date | None = None) -> MyFollowup:
    """The worker's own open promises in the order they need attention: overdue (oldest first), due today, due
    this week, later; beside them the referrals whose navragen date has come. Only what the policies let them see
    (a promise still stored under another organisation than the worker's is not theirs to keep). Audited."""
    today = today or rules.local_today()
    result = MyFollowup(today=today)
    promise_groups = {
        rules.Urgency.OVERDUE: result.overdue,
        rules.Urgency.TODAY: result.due_today,
        rules.Urgency.THIS_WEEK: result.this_week,
        rules.Urgency.LATER: result.later,
    }
    promises = list(
        promise_policy.visible(user, Promise.objects.filter(owner=user, status__in=rules.PROMISE_ACTIVE))
        .select_related("buurt", "resident", "initiative")
        .only(
            "id",
            "description",
            "due_date",
            "status",
            "group_label",
            "version",
            "organisation_id",
            "buurt__name",
            "buurt__code",
            "resident__label",
            "initiative__name",
            "owner_id",
            "buurt_id",
            "resident_id",
            "initiative_id",
        )
        .order_by("due_date", "id")
    )
    for promise in promises:
        promise_groups[rules.urgency(promise.due_date, today=today)].append(promise)
    referrals = list(
        referral_policy.visible(user, Referral.objects.filter(rules.referral_due_q(today=today), worker=user))
        .select_related("provider", "topic", "resident", "buurt")
        .defer("buurt__geometry")
        .order_by("navragen_op", "id")
    )
    for referral in referrals:
        overdue = rules.is_overdue(referral.navragen_op, today=today)
        (result.referrals_overdue if overdue else result.referrals_today).append(referral)
    audit_read(
        user=user,
        policy=promise_policy,
        records=promises,
        object_type="promise_list",
        detail={"list": "mine", "promises": len(promises)},
    )
    audit_read(
        user=user,
        policy=referral_policy,
        records=referrals,
        object_type="referral_list",
        detail={"list": "mine", "referrals": len(referrals)},
        always=False,
    )
    return result


def badge_count(*, user: User, today: date | None = None) -> int:
    """The in-app badge: the user's own overdue and today's promises plus referrals to check back on, as far as
    the policies let them see them — the digest's count. One query (a UNION ALL of two indexed counts), as it is
    shown in the menu of every page; a count, so not audited."""
    if not permissions.can_use_followup(user):
        return 0
    today = today or rules.local_today()
    promises = Promise.objects.filter(rules.promise_due_q(today=today), owner_id=user.pk)
    referrals = Referral.objects.filter(rules.referral_due_q(today=today), worker_id=user.pk)
    promises, referrals = promise_policy.visible(user, promises), referral_policy.visible(user, referrals)
    return promises.values("pk").union(referrals.values("pk"), all=True).count()


def team_colleagues(*, user: User) -> QuerySet[User]:
    """Colleagues a promise may be handed to: the user's team (or organisation), who work with residents."""
    qs = User.objects.filter(followup_workers_q()).order_by("full_name")
    if user.is_superuser:
        return qs
    if user.team_id is not None:
        # A user without an organisation matches colleagues without one (IS NULL), as the ORM does with None.
        return qs.filter(team_id=user.team_id, organisation_id=user.organisation_id)  # type: ignore[misc]
    if user.organisation_id is not None:
        return qs.filter(organisation_id=user.organisation_id)
    return qs.filter(pk=user.pk)
