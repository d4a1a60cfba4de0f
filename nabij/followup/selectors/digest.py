"""Reads of the morning digest: what is due for whom, for the whole run at once, and only what the recipient may
see (the promise and referral policies)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, Max, OuterRef, Q, QuerySet

from nabij.accounts.models import User
from nabij.core.access.followup import can_view_own_item, followup_workers_q, promise_policy, referral_policy
from nabij.followup import rules
from nabij.followup.models import DigestSent, Promise, Referral

# What the policies need to decide on a digest item, besides what the mail shows.
_PROMISE_FIELDS = ("id", "owner_id", "organisation_id", "buurt_id", "description", "due_date", "buurt__name")
_REFERRAL_FIELDS = (
    "id",
    "worker_id",
    "organisation_id",
    "buurt_id",
    "consent_to_share",
    "navragen_op",
    "provider__name",
    "provider__nabij_organisation_id",
    "topic__label",
)


@dataclass
class DigestItems:
    overdue: list[Promise]
    due_today: list[Promise]
    referrals: list[Referral]

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.due_today) + len(self.referrals)


EMPTY = DigestItems(overdue=[], due_today=[], referrals=[])


def digest_items_for(*, user: User, today: date) -> DigestItems:
    """One person's digest items: their own overdue and today's promises and referrals to check back on, as far
    as they may see them."""
    promises = list(
        promise_policy.visible(user, Promise.objects.filter(rules.promise_due_q(today=today), owner=user))
        .select_related("buurt")
        .only(*_PROMISE_FIELDS)
        .order_by("due_date", "id")
    )
    referrals = list(
        referral_policy.visible(user, Referral.objects.filter(rules.referral_due_q(today=today), worker=user))
        .select_related("provider", "topic")
        .only(*_REFERRAL_FIELDS)
        .order_by("navragen_op", "id")
    )
    return DigestItems(
        overdue=[p for p in promises if rules.is_overdue(p.due_date, today=today)],
        due_today=[p for p in promises if rules.is_due_today(p.due_date, today=today)],
        referrals=referrals,
    )


def digest_claims_holding(*, day: date) -> QuerySet[DigestSent]:
    """The claims that keep someone from being served again on `day`: digests sent, and claims still fresh (a
    run may be sending them now); an unsent claim older than the stale timeout was abandoned by a dead worker."""
    return DigestSent.objects.filter(day=day).filter(
        Q(sent_at__isnull=False) | Q(claimed_at__gte=rules.digest_claim_abandoned_before())
    )


def digest_items_by_user(
    *, today: date, user_ids: set[int] | None = None, unserved_only: bool = False
) -> dict[int, DigestItems]:
    """Everything due on `today` for everyone at once, grouped by owner: two queries for the whole morning run
    instead of two per person (the digest job serves thousands of workers). `unserved_only` leaves out people
    whose digest for `today` is already claimed, so a second run reads next to nothing. Not yet limited to what
    each person may see: pass each person's items through `digest_items_visible` before sending."""
    promises = Promise.objects.filter(rules.promise_due_q(today=today)).select_related("buurt")
    referrals = Referral.objects.filter(rules.referral_due_q(today=today)).select_related("provider", "topic")
    if unserved_only:
        served = digest_claims_holding(day=today).values("user_id")
        promises = promises.exclude(owner_id__in=served)
        referrals = referrals.exclude(worker_id__in=served)
    if user_ids is not None:
        promises = promises.filter(owner_id__in=user_ids)
        referrals = referrals.filter(worker_id__in=user_ids)
    result: dict[int, DigestItems] = {}

    def items(user_id: int) -> DigestItems:
        if user_id not in result:
            result[user_id] = DigestItems(overdue=[], due_today=[], referrals=[])
        return result[user_id]

    for promise in promises.only(*_PROMISE_FIELDS).order_by("owner_id", "due_date", "id"):
        bucket = items(promise.owner_id)
        (bucket.overdue if rules.is_overdue(promise.due_date, today=today) else bucket.due_today).append(promise)
    for referral in referrals.only(*_REFERRAL_FIELDS).order_by("worker_id", "navragen_op", "id"):
        items(referral.worker_id).referrals.append(referral)
    return result


def digest_items_visible(*, user: User, items: DigestItems) -> DigestItems:
    """The items of `digest_items_by_user` the recipient may see by the policies (the object face: no query for
    the usual case, the recipient's own records of their own organisation)."""
    return DigestItems(
        overdue=[p for p in items.overdue if can_view_own_item(promise_policy, user, p)],
        due_today=[p for p in items.due_today if can_view_own_item(promise_policy, user, p)],
        referrals=[r for r in items.referrals if can_view_own_item(referral_policy, user, r)],
    )


def digest_recipients(
    *, today: date, extra_ids: set[int] | frozenset[int] = frozenset(), everyone: bool = False
) -> QuerySet[User]:
    """Active workers with at least one overdue or due promise or referral to check, and no digest yet today.
    `extra_ids` (people a registered digest section names) and `everyone` (a section that names nobody, so all
    who work with residents are asked) add people without anything due; the sender drops those whose sections
    turn out empty, and those whose items they may no longer see."""
    wanted = Exists(Promise.objects.filter(rules.promise_due_q(today=today), owner=OuterRef("pk"))) | Exists(
        Referral.objects.filter(rules.referral_due_q(today=today), worker=OuterRef("pk"))
    )
    if everyone:
        wanted = followup_workers_q()
    elif extra_ids:
        wanted |= Q(pk__in=extra_ids)
    return (
        User.objects.filter(is_active=True)
        .filter(wanted)
        .exclude(Exists(digest_claims_holding(day=today).filter(user=OuterRef("pk"))))
        .order_by("pk")
    )


def digest_last_sent(*, user: User, before: date) -> datetime | None:
    """When this user's last digest before `day` went out (None if none did): digest sections show what is new
    since then."""
    return DigestSent.objects.filter(user=user, day__lt=before, sent_at__isnull=False).aggregate(last=Max("sent_at"))[
        "last"
    ]
