"""The follow-up app's personal data in the privacy registry (nabij.privacy.registry): promises, their hand-overs,
referrals and their status history.

Erased, a promise keeps its buurt, owner, due date and status (the kept-on-time rate keeps its history) and a
referral its organisation, topic, buurt, status and week; every text and the link to the resident go. A resident's
referrals in one buurt, topic and week counted once in theme counts (as that resident); unlinked, they are made
to count once still (one contact moment for all of them, or one referral kept).
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from nabij.followup import rules
from nabij.followup.models import Promise, PromiseHandover, Referral, ReferralStatusChange
from nabij.privacy.anonymise import update_per_week, versioned, week_start_of
from nabij.privacy.registry import PersonalData, describe_fields, register, register_not_personal, retention_period

PROMISE_TEXTS = {"description": "", "kept_note": "", "failure_reason": "", "group_label": ""}
REFERRAL_TEXTS = {"question": "", "outside_buurt_reason": ""}


def _about(residents: QuerySet) -> Q:
    """A promise or referral is about a resident when it names them or came from a contact moment with them."""
    return Q(resident__in=residents) | Q(contact_moment__resident__in=residents)


# Promises -----------------------------------------------------------------------------------------------------


def promises_for_residents(residents: QuerySet) -> QuerySet:
    return Promise.objects.filter(_about(residents)).order_by("created_at", "pk")


def promises_erase(qs: QuerySet) -> int:
    pks = list(qs.values_list("pk", flat=True))
    PromiseHandover.objects.filter(promise_id__in=pks).update(note="")
    return Promise.objects.filter(pk__in=pks).update(
        **versioned(Promise, resident=None, contact_moment=None, **PROMISE_TEXTS)
    )


def promise_texts_expire(qs: QuerySet) -> int:
    """Retention: the texts go 24 months after closing; the link to a resident still followed stays."""
    pks = list(qs.values_list("pk", flat=True))
    PromiseHandover.objects.filter(promise_id__in=pks).update(note="")
    return Promise.objects.filter(pk__in=pks).update(**versioned(Promise, **PROMISE_TEXTS))


def _has_promise_text() -> Q:
    return ~Q(description="") | ~Q(kept_note="") | ~Q(failure_reason="") | ~Q(group_label="")


def promises_expired(now) -> QuerySet:
    cutoff = now - retention_period("beloftes")
    closed = Promise.objects.exclude(status__in=rules.PROMISE_ACTIVE).filter(closed_at__lt=cutoff)
    return closed.filter(_has_promise_text() | Q(handovers__note__gt="")).distinct()


def describe_promise(promise: Promise) -> dict[str, str]:
    out = describe_fields(
        promise, ["description", "buurt", "owner", "due_date", "status", "kept_note", "failure_reason", "closed_at"]
    )
    out[str(_("Hand-overs"))] = "; ".join(h.note for h in promise.handovers.all() if h.note)
    return out


def handovers_for_residents(residents: QuerySet) -> QuerySet:
    return PromiseHandover.objects.filter(promise__in=promises_for_residents(residents)).order_by("at", "pk")


def handovers_erase(qs: QuerySet) -> int:
    return qs.model.objects.filter(pk__in=list(qs.values_list("pk", flat=True))).update(note="")


def handovers_expired(now) -> QuerySet:
    return PromiseHandover.objects.filter(promise__in=promises_expired(now)).exclude(note="")


# Referrals ----------------------------------------------------------------------------------------------------


def referrals_for_residents(residents: QuerySet) -> QuerySet:
    return Referral.objects.filter(_about(residents)).order_by("created_at", "pk")


def _merge_weekly_doubles(qs: QuerySet) -> None:
    """The referrals of one resident in one buurt, topic, week and organisation counted once (as the resident);
    without the resident each counts as its contact moment, else itself. Point them at one contact moment, or,
    when none has one, keep one referral of them."""
    rows = qs.values_list(
        "pk",
        "buurt_id",
        "topic_id",
        "organisation_id",
        "created_at",
        "resident_id",
        "contact_moment_id",
        "contact_moment__resident_id",
    )
    groups: dict[tuple, list[tuple[int, int | None]]] = defaultdict(list)
    for pk, buurt, topic, org, when, resident, moment, moment_resident in rows:
        person = resident or moment_resident
        if person:
            groups[(buurt, topic, org, week_start_of(when), person)].append((pk, moment))
    for members in groups.values():
        if len(members) < 2:
            continue
        moment = next((m for _pk, m in members if m is not None), None)
        pks = [pk for pk, _m in members]
        if moment is not None:
            Referral.objects.filter(pk__in=pks).update(contact_moment_id=moment)
        else:
            Referral.objects.filter(pk__in=pks[1:]).delete()


def referrals_erase(qs: QuerySet) -> int:
    pks = list(qs.values_list("pk", flat=True))
    _merge_weekly_doubles(Referral.objects.filter(pk__in=pks))
    ReferralStatusChange.objects.filter(referral_id__in=pks).update(note="")
    kept = Referral.objects.filter(pk__in=pks)
    update_per_week(
        kept,
        list(kept.values_list("pk", "created_at")),
        ["created_at", "updated_at"],
        **versioned(Referral, resident=None, **REFERRAL_TEXTS),
    )
    return len(pks)


def referral_texts_expire(qs: QuerySet) -> int:
    pks = list(qs.values_list("pk", flat=True))
    ReferralStatusChange.objects.filter(referral_id__in=pks).update(note="")
    return Referral.objects.filter(pk__in=pks).update(**versioned(Referral, **REFERRAL_TEXTS))


def referrals_expired(now) -> QuerySet:
    """Closed (an outcome was heard) longer ago than the period: the moment of the last status change."""
    cutoff = now - retention_period("doorverwijzingen")
    closed = (
        Referral.objects.filter(status__in=rules.REFERRAL_OUTCOMES)
        .annotate(closed=Coalesce(Max("status_changes__at"), "heard_back_at", "updated_at"))
        .filter(closed__lt=cutoff)
    )
    with_text = Referral.objects.filter(
        ~Q(question="") | ~Q(outside_buurt_reason="") | Q(status_changes__note__gt="")
    ).values("pk")
    return closed.filter(pk__in=with_text)


def describe_referral(referral: Referral) -> dict[str, str]:
    out = describe_fields(
        referral,
        ["created_at", "provider", "topic", "buurt", "question", "warm", "consent_to_share", "status", "navragen_op"],
    )
    shared = referral.consent_to_share and referral.provider.nabij_organisation_id
    out[str(_("Shared with"))] = str(referral.provider.nabij_organisation) if shared else ""
    out[str(_("What was heard back"))] = "; ".join(c.note for c in referral.status_changes.all() if c.note)
    return out


def status_changes_for_residents(residents: QuerySet) -> QuerySet:
    return ReferralStatusChange.objects.filter(referral__in=referrals_for_residents(residents)).order_by("at", "pk")


def status_changes_erase(qs: QuerySet) -> int:
    return qs.model.objects.filter(pk__in=list(qs.values_list("pk", flat=True))).update(note="")


def status_changes_expired(now) -> QuerySet:
    return ReferralStatusChange.objects.filter(referral__in=referrals_expired(now).values("pk")).exclude(note="")


register(
    PersonalData(
        key="beloftes",
        model="followup.Promise",
        title=_("Promises"),
        fields=tuple(PROMISE_TEXTS),
        for_residents=promises_for_residents,
        erase=promises_erase,
        expired=promises_expired,
        expire=promise_texts_expire,
        describe=describe_promise,
        order=20,
    )
)
register(
    PersonalData(
        key="overdrachten",
        model="followup.PromiseHandover",
        title=_("Hand-overs of promises"),
        fields=("note",),
        for_residents=handovers_for_residents,
        erase=handovers_erase,
        expired=handovers_expired,
        retention="beloftes",
        describe=lambda h: describe_fields(h, ["at", "note"]),
        order=21,
    )
)
register(
    PersonalData(
        key="doorverwijzingen",
        model="followup.Referral",
        title=_("Referrals"),
        fields=tuple(REFERRAL_TEXTS),
        for_residents=referrals_for_residents,
        erase=referrals_erase,
        expired=referrals_expired,
        expire=referral_texts_expire,
        describe=describe_referral,
        order=30,
    )
)
register(
    PersonalData(
        key="terugmeldingen",
        model="followup.ReferralStatusChange",
        title=_("What was heard back on referrals"),
        fields=("note",),
        for_residents=status_changes_for_residents,
        erase=status_changes_erase,
        expired=status_changes_expired,
        retention="doorverwijzingen",
        describe=lambda c: describe_fields(c, ["at", "from_status", "to_status", "note"]),
        order=31,
    )
)
register_not_personal("followup.DigestSent", reason="which staff member got the morning digest on which day")
