"""The contacts app's part of a resident's inzage (AVG art. 15): the file itself, its consent history and the
contact moments linked to it, with their corrections (registered in `apps.ready`; see `nabij.privacy.inzage`).
Only the owning organisation's records: it is the data controller that gives the inzage."""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nabij.accounts.models import RecordKind
from nabij.contacts.models import Channel, ContactMoment, Correction
from nabij.privacy.inzage import Row, register_inzage_section, sharing_partners


def _file(*, resident) -> list[Row]:
    row = (
        Row()
        .add("label", _("Description"), resident.label)
        .add("buurt", _("Buurt"), resident.buurt.name)
        .add("sinds", _("Since"), resident.created_at)
        .add("organisatie", _("Organisation"), resident.organisation.name if resident.organisation_id else "")
    )
    partners = sharing_partners(
        organisation_id=resident.organisation_id, kind=RecordKind.BEWONERS, buurt_code=resident.buurt_id
    )
    row.add("gedeeld_met", _("Also visible for"), partners, optional=True)
    return [row]


def _consents(*, resident) -> list[Row]:
    return [
        Row()
        .add("datum", _("Date"), consent.at)
        .add("toestemming", _("Consent"), _("given") if consent.given else _("withdrawn"))
        .add("organisatie", _("Organisation"), consent.organisation.name if consent.organisation_id else "")
        for consent in resident.consents.select_related("organisation").order_by("at", "id")
    ]


def resident_contacts(resident):
    """The contact moments linked to the file, of its own organisation (a contact is only ever linked to a file of
    the worker's own organisation)."""
    return (
        ContactMoment.objects.filter(resident=resident, organisation_id=resident.organisation_id)
        .select_related("buurt")
        .defer("buurt__geometry")
        .prefetch_related("topics")
        .order_by("occurred_at", "id")
    )


def _contacts(*, resident) -> list[Row]:
    moments = list(resident_contacts(resident))
    corrections: dict[int, list[Correction]] = {}
    for correction in Correction.objects.filter(
        kind=Correction.Kind.CONTACT_MOMENT, record_id__in=[m.pk for m in moments]
    ).order_by("at"):
        corrections.setdefault(correction.record_id, []).append(correction)
    rows = []
    for moment in moments:
        partners = sharing_partners(
            organisation_id=moment.organisation_id, kind=RecordKind.CONTACTMOMENTEN, buurt_code=moment.buurt_id
        )
        row = (
            Row()
            .add("datum", _("Date"), moment.occurred_at)
            .add("hoe", _("How"), Channel(moment.channel).label)
            .add("buurt", _("Buurt"), moment.buurt.name)
            .add("onderwerpen", _("Topics"), [t.label for t in moment.topics.all()])
            .add("notitie", _("Note"), moment.note)
            .add("gedeeld_met", _("Also visible for"), partners, optional=True)
        )
        row.audit = ("contactmoment", moment.pk)
        row.notes = [
            _("Corrected on %(date)s (%(what)s): %(reason)s.")
            % {
                "date": _date(c.at),
                "what": ", ".join(str(FIELD_NAMES.get(f, f)) for f in c.fields),
                "reason": c.get_reason_display().lower(),
            }
            for c in corrections.get(moment.pk, [])
        ]
        rows.append(row)
    return rows


FIELD_NAMES = {
    "buurt": gettext_lazy("buurt"),
    "onderwerpen": gettext_lazy("topics"),
    "onderwerp": gettext_lazy("topic"),
    "notitie": gettext_lazy("note"),
}


def _date(value) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y")


def register() -> None:
    register_inzage_section(
        key="bewoner",
        title=gettext_lazy("Your file"),
        explanation=gettext_lazy(
            "We do not keep your name, address or phone number. We describe you in a few words, so that we "
            "know who you are when we meet again."
        ),
        models=("contacts.Resident",),
        collect=_file,
        order=10,
    )
    register_inzage_section(
        key="toestemming",
        title=gettext_lazy("Your consent"),
        explanation=gettext_lazy("You said we may keep your details. Here you see when."),
        models=("contacts.ResidentConsent",),
        collect=_consents,
        order=20,
    )
    register_inzage_section(
        key="contactmomenten",
        title=gettext_lazy("Our conversations with you"),
        explanation=gettext_lazy(
            "After a conversation we write down what it was about. Names and addresses are taken out of the note "
            "before we save it."
        ),
        models=("contacts.ContactMoment", "contacts.ContactMomentTopic", "contacts.Correction"),
        collect=_contacts,
        order=30,
    )
