"""The CSV and XLSX export of the sociale kaart: what the user may see, with the map's filter, written by the one
exporter (nabij.core.spreadsheets), so a cell like `=HYPERLINK(…)` arrives as text.

The columns are the import's (nabij.assets.imports.COLUMNS), so an exported file can be changed and imported
again. Key figures are residents: their rows come from `selectors.key_figures_for_export` (the policy: only the
user's own organisation's, or those shared by an agreement; never for analisten), which audits the export for
each owning organisation; they name their owner in the `organisatie` column.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from nabij.assets import selectors
from nabij.core import permissions
from nabij.core.spreadsheets import Sheet, csv_lines, xlsx_chunks
from nabij.privacy.services import audit_record

KINDS = ("organisaties", "initiatieven", "plekken", "sleutelfiguren")
SHEET_TITLES = {
    "organisaties": _("Organisations"),
    "initiatieven": _("Initiatives"),
    "plekken": _("Places"),
    "sleutelfiguren": _("Key figures"),
}
ITERATOR_CHUNK = 500


def _yes(value: bool) -> str:
    return "ja" if value else "nee"


def _topics(obj) -> str:
    return ", ".join(t.slug for t in obj.topics.all())


def _codes(obj) -> str:
    return ", ".join(b.code for b in obj.buurten.all())


@dataclass
class ExportSheet:
    kind: str
    headers: list[str]
    rows: Iterator[list]
    count_hint: int | None = None

    def sheet(self) -> Sheet:
        return Sheet(title=str(SHEET_TITLES[self.kind]), headers=self.headers, rows=self.rows)


def _providers(user, *, buurt: str, topic: str) -> ExportSheet:
    headers = ["naam", "soort", "buurten", "wijken", "onderwerpen", "beschrijving", "telefoon", "e-mail", "website"]
    headers += ["adres", "openingstijden", "verwijzen via", "contactpunt", "publiek"]
    qs = selectors.provider_list(user=user, buurt=buurt, topic=topic)

    def rows():
        for p in qs.iterator(chunk_size=ITERATOR_CHUNK):
            yield [
                p.name,
                p.kind,
                _codes(p),
                ", ".join(w.code for w in p.wijken.all()),
                _topics(p),
                p.description,
                p.phone,
                p.email,
                p.website,
                p.address,
                p.opening_hours,
                p.referral_method,
                p.referral_contact,
                _yes(p.is_public),
            ]

    return ExportSheet("organisaties", headers, rows())


def _initiatives(user, *, buurt: str, topic: str, status: str) -> ExportSheet:
    headers = ["naam", "status", "buurten", "onderwerpen", "beschrijving", "behoeften", "contact", "publiek"]
    qs = selectors.initiative_list(user=user, buurt=buurt, topic=topic, status=status)

    def rows():
        for i in qs.iterator(chunk_size=ITERATOR_CHUNK):
            yield [
                i.name,
                i.status,
                _codes(i),
                _topics(i),
                i.description,
                ", ".join(i.needs),
                i.contact,
                _yes(i.is_public),
            ]

    return ExportSheet("initiatieven", headers, rows())


def _places(user, *, buurt: str, topic: str) -> ExportSheet:
    headers = ["naam", "soort", "buurt", "onderwerpen", "beschrijving", "lat", "lon", "openingstijden"]
    headers += ["rolstoeltoegankelijk", "toilet", "toegankelijk toilet", "publiek"]
    qs = selectors.place_list(user=user, buurt=buurt, topic=topic)

    def rows():
        for p in qs.iterator(chunk_size=ITERATOR_CHUNK):
            yield [
                p.name,
                p.kind,
                p.buurt_id,
                _topics(p),
                p.description,
                "" if p.latitude is None else str(p.latitude),
                "" if p.longitude is None else str(p.longitude),
                p.opening_hours,
                _yes(p.wheelchair_accessible),
                _yes(p.has_toilet),
                _yes(p.accessible_toilet),
                _yes(p.is_public),
            ]

    return ExportSheet("plekken", headers, rows())


def _key_figures(user, *, buurt: str, topic: str) -> ExportSheet:
    headers = ["label", "buurt", "rol", "gaven", "onderwerpen", "toestemming", "organisatie"]
    qs = selectors.key_figures_for_export(user=user, buurt=buurt, topic=topic)

    def rows():
        for f in qs.iterator(chunk_size=ITERATOR_CHUNK):
            owner = f.organisation.slug if f.organisation else ""
            yield [f.label, f.buurt_id, f.role, f.gifts, _topics(f), f.consent_date.isoformat(), owner]

    return ExportSheet("sleutelfiguren", headers, rows())


def export_kinds_for(user) -> list[str]:
    """What this user may export: key figures only for roles that may see them."""
    kinds = list(KINDS[:3]) if permissions.can_export_social_map(user) else []
    if kinds and permissions.can_view_key_figures(user):
        kinds.append("sleutelfiguren")
    return kinds


def export_sheet(*, user, kind: str, buurt: str = "", topic: str = "", status: str = "") -> ExportSheet:
    """The rows of one kind within the user's scope and filter. Callers check export_kinds_for first; the
    key-figure selector returns no rows for other roles and organisations anyway."""
    if kind == "organisaties":
        return _providers(user, buurt=buurt, topic=topic)
    if kind == "initiatieven":
        return _initiatives(user, buurt=buurt, topic=topic, status=status)
    if kind == "plekken":
        return _places(user, buurt=buurt, topic=topic)
    if kind == "sleutelfiguren":
        return _key_figures(user, buurt=buurt, topic=topic)
    raise ValueError(kind)


def social_map_export(
    *, user, kinds: list[str], format: str, buurt: str = "", topic: str = "", status: str = ""
) -> tuple[str, Iterator]:
    """The export the user asked for: (file extension, chunks) — CSV of one kind, or XLSX with a sheet per kind.
    Audited with its filter (the key figures in it also per owning organisation, by their selector)."""
    sheets = [export_sheet(user=user, kind=kind, buurt=buurt, topic=topic, status=status) for kind in kinds]
    audit_record(
        actor=user,
        action="export",
        object_type="social_map",
        area_code=buurt,
        detail={"format": format, "soorten": kinds, "onderwerp": topic, "status": status},
    )
    if format == "csv":
        return "csv", csv_lines(sheets[0].headers, sheets[0].rows)
    return "xlsx", xlsx_chunks([s.sheet() for s in sheets])
