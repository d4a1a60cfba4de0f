"""Inzage (AVG art. 15): everything Nabij keeps about one resident, as JSON and as a plain-Dutch PDF on paper.

The privacy app knows no domain model. Each app that keeps records about a resident registers a section from its
`AppConfig.ready()` (`register_inzage_section`): which models it covers and a function that collects the
resident's records as rows of plain values. The builder here adds the header (the data controller, the date,
the resident's rights) and one section of its own: who read the file, from the audit trail (organisation, role
and date; never a staff member's name). A model with personal data that is not about a resident file is named in
`OUTSIDE_INZAGE` with the reason; a test fails when a personal-data model is in neither
(`privacy/tests/test_inzage.py`), so a new model cannot be forgotten.

The erasure registry (`privacy/registry.py`, issue 14) answers the same question "which records are this
resident's" for erasure and retention; once it exists, the sections' collect functions can be built on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nabij.privacy.models import AuditEvent

# Models with personal data that are not about a resident file, with the reason (checked by the completeness test).
OUTSIDE_INZAGE: dict[str, str] = {
    "contacts.signal": "an observation is about the buurt (litter, a broken light), not about a person: it has no "
    "link to a resident file, so there is nothing of a resident to show; its note is de-identified",
    "surveys.collector": "a collector (buren vragen buren) is a data subject of its own, not linked to a resident "
    "file; their inzage is their own record on the questionnaire's collector page",
    "surveys.response": "questionnaire responses are anonymous: no link to a resident file or a collector's person",
    "surveys.answer": "part of an anonymous response (see surveys.response)",
    "assets.keyfigure": "a key figure is a data subject of its own on the sociale kaart, not linked to a resident "
    "file; removed for real on request (assets.services.key_figure_delete)",
    "participation.input": "project input comes from the public project page, anonymous or with an e-mail address "
    "for the reply; not linked to a resident file",
    "participation.reply": "the answer to a project input (see participation.input)",
    "participation.replyversion": "earlier versions of a reply (see participation.input)",
    "participation.choicevote": "a household's vote on a project choice, by household code, not by resident",
}


@dataclass(frozen=True)
class Field:
    """One value of a row: `key` for JSON, `label` and `shown` for paper."""

    key: str
    label: str
    value: Any
    shown: str
    optional: bool = False  # left off the paper when empty (JSON keeps every key)

    @property
    def on_paper(self) -> bool:
        return not self.optional or self.value not in (None, "", [])


@dataclass
class Row:
    fields: list[Field] = field(default_factory=list)
    # Lines under the row on paper (a correction, a hand-over): plain sentences.
    notes: list[str] = field(default_factory=list)
    # The record as the audit trail names it (object type, id), so that its readers are found.
    audit: tuple[str, int] | None = None

    def add(self, key: str, label, value, *, optional: bool = False) -> Row:
        self.fields.append(
            Field(key=key, label=str(label), value=_plain(value), shown=_shown(value), optional=optional)
        )
        return self

    def as_json(self) -> dict:
        data = {f.key: f.value for f in self.fields}
        if self.notes:
            data["toelichting"] = list(self.notes)
        return data


@dataclass(frozen=True)
class Section:
    key: str
    title: Any  # lazy text
    explanation: Any  # lazy text: one or two short B1 sentences on paper
    models: tuple[str, ...]  # lower-case model labels whose records it shows
    collect: Callable[..., list[Row]]  # collect(resident=) -> rows
    order: int = 100


_SECTIONS: dict[str, Section] = {}


def register_inzage_section(
    *, key: str, title, explanation, models: tuple[str, ...], collect: Callable[..., list[Row]], order: int = 100
) -> None:
    """Called from an app's `ready()`: add (or replace) one section of every resident's inzage."""
    _SECTIONS[key] = Section(
        key=key,
        title=title,
        explanation=explanation,
        models=tuple(m.lower() for m in models),
        collect=collect,
        order=order,
    )


def inzage_sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def covered_models() -> set[str]:
    """The lower-case labels of the models some section shows (the audit section: privacy.auditevent)."""
    return {model for section in inzage_sections() for model in section.models} | {"privacy.auditevent"}


def _plain(value):
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).isoformat(timespec="minutes") if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def _shown(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(local, "j F Y, H:i")
    if isinstance(value, date):
        return formats.date_format(value, "j F Y")
    if isinstance(value, list | tuple):
        return ", ".join(_shown(v) for v in value)
    return str(value)


# The readers of a file: the audit trail -----------------------------------------------------------------------

READ_ACTIONS = (AuditEvent.Action.VIEW, AuditEvent.Action.SEARCH, AuditEvent.Action.EXPORT)


def readers(*, objects: dict[str, list[int]]) -> list[Row]:
    """Who read the resident's file or one of their records (`objects`: audit object type → ids), per day,
    organisation, role and kind of read, newest first. The reader's name is left out: the resident learns which
    organisation and which kind of worker looked, which is what art. 15 asks (the recipients)."""
    query = Q(pk__in=[])
    for object_type, ids in objects.items():
        if ids:
            query |= Q(object_type=object_type, object_id__in=[str(i) for i in ids])
    events = (
        AuditEvent.objects.filter(query, action__in=READ_ACTIONS, result=AuditEvent.Result.OK)
        .select_related("organisation", "actor")
        .order_by("-created_at", "-id")
    )
    from nabij.core.permissions import role_label

    seen: dict[tuple, int] = {}
    order: list[tuple] = []
    for event in events.iterator():
        day = timezone.localtime(event.created_at).date()
        role = role_label(event.actor) if event.actor is not None else ""
        key = (day, event.organisation.name if event.organisation else "", role, event.get_action_display())
        if key not in seen:
            order.append(key)
            seen[key] = 0
        seen[key] += 1
    return [
        Row()
        .add("datum", _("Date"), day)
        .add("organisatie", _("Organisation"), organisation or _("unknown"))
        .add("rol", _("Role"), role or _("unknown"))
        .add("wat", _("What"), action)
        .add("aantal", _("Times"), seen[(day, organisation, role, action)])
        for day, organisation, role, action in order
    ]


# The whole inzage ---------------------------------------------------------------------------------------------


def inzage_build(*, resident, organisation, contact: dict, made_at=None) -> dict:
    """The inzage of one resident as a plain structure: the header, every registered section, and the readers of
    the file and of every record in it. `organisation` is the data controller giving it, `contact` whom to ask
    (the name and e-mail of the worker who made it)."""
    with translation.override("nl"):  # the inzage is handed to a Dutch resident, on paper or as a file
        return _build(resident=resident, organisation=organisation, contact=contact, made_at=made_at)


def _build(*, resident, organisation, contact, made_at) -> dict:
    made_at = made_at or timezone.now()
    sections = []
    read_objects: dict[str, list[int]] = {"resident": [resident.pk]}
    for section in inzage_sections():
        rows = section.collect(resident=resident)
        for row in rows:
            if row.audit is not None:
                read_objects.setdefault(row.audit[0], []).append(row.audit[1])
        sections.append(
            {"key": section.key, "title": str(section.title), "explanation": str(section.explanation), "rows": rows}
        )
    sections.append(
        {
            "key": "gelezen",
            "title": _("Who looked at your details"),
            "explanation": _(
                "Every time someone opens your file, Nabij writes it down. Here you see when, from which "
                "organisation and in which role. We do not show the names of the workers."
            ),
            "rows": readers(objects=read_objects),
        }
    )
    return {
        "resident_id": resident.pk,
        "organisation": organisation.name if organisation else "",
        "contact": contact,
        "made_at": made_at,
        "sections": sections,
    }


def inzage_json(inzage: dict) -> dict:
    """The inzage as JSON: Dutch keys, ISO dates, one list of records per section."""
    return {
        "bewoner": inzage["resident_id"],
        "verwerkingsverantwoordelijke": {"organisatie": inzage["organisation"], "contact": inzage["contact"]},
        "gemaakt_op": _plain(inzage["made_at"]),
        "onderdelen": {
            s["key"]: {"titel": s["title"], "uitleg": s["explanation"], "gegevens": [r.as_json() for r in s["rows"]]}
            for s in inzage["sections"]
        },
        "rechten": [str(text) for _key, text in RIGHTS],
    }


RIGHTS = (
    ("correctie", gettext_lazy("Is something wrong? Then you may ask us to correct it.")),
    ("wissen", gettext_lazy("Do you want us to remove your details? Then you may ask us to. We remove them all.")),
    (
        "toestemming",
        gettext_lazy("You may withdraw your consent at any time. We then remove your file."),
    ),
    (
        "klacht",
        gettext_lazy(
            "Do you not agree with how we handle your details? Tell us first. You may also complain to the Autoriteit "
            "Persoonsgegevens (autoriteitpersoonsgegevens.nl, phone 088 - 1805 250)."
        ),
    ),
)


def inzage_html(inzage: dict) -> str:
    """The print page: plain Dutch (B1), A4, large enough letters to read on paper."""
    with translation.override("nl"):
        return render_to_string(
            "privacy/inzage/inzage_print.html", {"inzage": inzage, "rights": [str(t) for _k, t in RIGHTS]}
        )


def inzage_pdf(inzage: dict) -> bytes:
    from weasyprint import HTML  # imported here: only this export needs it

    return HTML(string=inzage_html(inzage)).write_pdf()


def sharing_partners(*, organisation_id: int | None, kind: str, buurt_code: str) -> list[str]:
    """The organisations that see this kind of record in this buurt today under a samenwerkingsafspraak with the
    owner (the sharing basis the resident is told about)."""
    from nabij.accounts.models import Organisation, SharingAgreement

    if organisation_id is None:
        return []
    others = []
    agreements = SharingAgreement.objects.in_effect().involving(organisation_id).prefetch_related("buurten")
    for agreement in agreements:
        if kind in (agreement.kinds or ()) and any(b.pk == buurt_code for b in agreement.buurten.all()):
            others.append(agreement.other(organisation_id))
    return sorted(Organisation.objects.filter(pk__in=others).values_list("name", flat=True))
