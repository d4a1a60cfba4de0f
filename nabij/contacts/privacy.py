"""The contacts app's personal data in the privacy registry (nabij.privacy.registry): residents, contact moments
and observations — how to find one resident's records, how to erase them and when they expire.

What stays of an erased contact moment is its buurt, topics, channel, organisation and week (Monday 00:00): that
carries no personal data, and theme counts (distinct residents per buurt, topic and week) keep their history.
A resident counted once in a week stays counted once: of their erased moments in one buurt, topic and week only
one keeps the topic link, because once the resident is unlinked every moment counts on its own.
"""

from __future__ import annotations

from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from nabij.contacts.models import ContactMoment, ContactMomentTopic, Resident, ResidentConsent, Signal
from nabij.privacy.anonymise import update_per_week, versioned, week_start_of
from nabij.privacy.registry import (
    PersonalData,
    describe_fields,
    register,
    register_not_personal,
    retention_period,
)

# Contact moments ----------------------------------------------------------------------------------------------


def contact_moments_for_residents(residents: QuerySet) -> QuerySet:
    return ContactMoment.objects.filter(resident__in=residents).order_by("occurred_at", "pk")


def _drop_double_topic_links(rows: list[tuple]) -> None:
    """Keep one topic link per (resident, buurt, week, organisation, topic) among moments about to lose their
    resident, so each weekly theme count stays what it was."""
    moments = {pk: (resident, buurt, org, week_start_of(when)) for pk, resident, buurt, org, when in rows if resident}
    links = (
        ContactMomentTopic.objects.filter(contact_moment_id__in=list(moments))
        .order_by("contact_moment_id", "pk")
        .values_list("pk", "contact_moment_id", "topic_id")
    )
    seen: set[tuple] = set()
    doubles: list[int] = []
    for pk, moment_id, topic_id in links:
        key = (*moments[moment_id], topic_id)
        if key in seen:
            doubles.append(pk)
        else:
            seen.add(key)
    if doubles:
        ContactMomentTopic.objects.filter(pk__in=doubles).delete()


def contact_moments_erase(qs: QuerySet) -> int:
    """Erase contact moments about a resident: the note, the resident, who and with which round, the day and
    time. Buurt, topics, channel and week stay."""
    rows = list(qs.values_list("pk", "resident_id", "buurt_id", "organisation_id", "occurred_at"))
    _drop_double_topic_links(rows)
    update_per_week(
        qs,
        [(pk, when) for pk, _r, _b, _o, when in rows],
        ["occurred_at", "created_at", "updated_at"],
        note="",
        resident=None,
        worker=None,
        round=None,
        needs_follow_up=False,
    )
    return len(rows)


def contact_notes_expire(qs: QuerySet) -> int:
    """Retention of a contact moment: the note and the day and time go; the link to a resident who is still
    followed stays until the resident's own period ends (then `contact_moments_erase` runs)."""
    rows = list(qs.values_list("pk", "occurred_at"))
    update_per_week(qs, rows, ["occurred_at", "created_at", "updated_at"], note="")
    return len(rows)


def contact_notes_expired(now) -> QuerySet:
    """Contact moments with a note, older than the period by whole weeks (a week is never half erased, so a
    resident's weekly count never splits). A moment without a note holds nothing personal of its own; it goes
    with its resident."""
    cutoff = week_start_of(now - retention_period("contactnotities"))
    return ContactMoment.objects.filter(occurred_at__lt=cutoff).exclude(note="")


def describe_contact_moment(moment: ContactMoment) -> dict[str, str]:
    return describe_fields(moment, ["occurred_at", "buurt", "channel", "topics", "note", "worker"])


# Residents ----------------------------------------------------------------------------------------------------


def residents_erase(qs: QuerySet) -> int:
    """Delete the residents themselves: the label and consent go; their consent history cascades."""
    pks = list(qs.values_list("pk", flat=True))
    Resident.objects.filter(pk__in=pks).delete()
    return len(pks)


def residents_expired(now) -> QuerySet:
    """Residents whose last contact (or, without any, their registration) is older than the period."""
    cutoff = now - retention_period("bewoners")
    return Resident.objects.annotate(last=Coalesce(Max("contact_moments__occurred_at"), "created_at")).filter(
        last__lt=cutoff
    )


def describe_resident(resident: Resident) -> dict[str, str]:
    return describe_fields(resident, ["label", "buurt", "consent", "consent_date", "created_at"])


# Observations -------------------------------------------------------------------------------------------------


def signals_erase(qs: QuerySet) -> int:
    """An observation has no resident, but its note and exact place may still point at someone: the note,
    coordinates, who and the day go; buurt, topic, status and week stay."""
    rows = list(qs.values_list("pk", "occurred_at"))
    update_per_week(
        qs,
        rows,
        ["occurred_at", "created_at", "updated_at"],
        **versioned(Signal, note="", latitude=None, longitude=None, worker=None, round=None),
    )
    return len(rows)


def signals_expired(now) -> QuerySet:
    cutoff = week_start_of(now - retention_period("waarnemingen"))
    return Signal.objects.filter(occurred_at__lt=cutoff).filter(
        ~Q(note="") | Q(latitude__isnull=False) | Q(worker__isnull=False)
    )


def describe_signal(signal: Signal) -> dict[str, str]:
    return describe_fields(signal, ["occurred_at", "buurt", "topic", "status", "note"])


register(
    PersonalData(
        key="contactmomenten",
        model="contacts.ContactMoment",
        title=_("Contact moments"),
        fields=("note",),
        for_residents=contact_moments_for_residents,
        erase=contact_moments_erase,
        expired=contact_notes_expired,
        expire=contact_notes_expire,
        retention="contactnotities",
        describe=describe_contact_moment,
        order=50,
    )
)
register(
    PersonalData(
        key="waarnemingen",
        model="contacts.Signal",
        title=_("Observations"),
        fields=("note",),
        erase=signals_erase,
        expired=signals_expired,
        describe=describe_signal,
        order=55,
    )
)
register(
    PersonalData(
        key="bewoners",
        model="contacts.Resident",
        title=_("Resident"),
        fields=("label",),
        for_residents=lambda residents: residents,
        erase=residents_erase,
        expired=residents_expired,
        describe=describe_resident,
        order=1000,
        is_resident=True,
    )
)
register(
    PersonalData(
        key="toestemmingen",
        model="contacts.ResidentConsent",
        title=_("Consent"),
        for_residents=lambda residents: ResidentConsent.objects.filter(resident__in=residents).order_by("at", "pk"),
        erase=lambda qs: qs.delete()[0],
        describe=lambda consent: describe_fields(consent, ["at", "given", "organisation"]),
        kept_while="kept as long as the resident's file; deleted with it (CASCADE)",
        order=60,
    )
)
register_not_personal(
    "contacts.Correction",
    reason="who corrected which record, when and why (a fixed choice), old buurt and topic codes; never the old note",
)
register_not_personal("contacts.RoundPlan", reason="a planned round: its name, days and buurten (staff planning)")
register_not_personal("contacts.Round", reason="a walked round: the worker and the time (staff data)")
register_not_personal("contacts.ContactMomentTopic", reason="links a contact moment to a topic")
