"""Import of organisations, initiatives and places from CSV or XLSX: preview first, then confirm (decision 0202).

- A file with any error is refused whole: the preview lists every error (row and column, in Dutch) and offers
  no confirmation; nothing is written. A file without errors is kept as parsed rows in a short-lived
  ImportBatch (never the raw bytes) until the user confirms it, then written in one transaction.
- The preview runs the same services as the confirmation inside a transaction that is rolled back, so what
  the preview promises is what the confirmation does. The confirmation checks again (the database may have
  changed in between) and, if any row fails then, writes nothing.
- A name that matches exactly one entry of the same kind that the user can see (case ignored) updates that
  entry; columns absent from the file leave its fields as they are, an empty cell empties the field. A name
  twice in one file, or matching several visible entries, is an error. Entries the user cannot see are never
  matched: a new entry is made.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nabij.assets import selectors, services
from nabij.assets.models import ImportBatch, Initiative, Need, Place, Provider, ReferralMethod
from nabij.assets.tabular import FileRefused, read_table
from nabij.core import permissions
from nabij.core.exceptions import InvalidInput, PermissionRefused
from nabij.core.models import Topic
from nabij.privacy.models import AuditEvent
from nabij.privacy.services import audit_record, audit_refusal

IMPORT_BATCH_TTL = timedelta(hours=1)
_KEEP_WHEN_EMPTY = {"kind", "status"}
_SPLIT = re.compile(r"\s*[,;]\s*")
_CODE_SPLIT = re.compile(r"[\s,;]+")


class CellError(ValueError):
    """A cell that cannot be read; the message is for the user."""


# Cell parsers ----------------------------------------------------------------------------------------------


def _text(value: str) -> str:
    # An exported CSV cell that began with a formula character carries a leading apostrophe
    # (nabij.core.spreadsheets.safe_cell).
    if value.startswith("'") and value[1:2] in ("=", "+", "-", "@"):
        return value[1:]
    return value


def _list(value: str) -> list[str]:
    return [part for part in _SPLIT.split(value.strip()) if part]


def _codes(value: str) -> list[str]:
    return [part.upper() for part in _CODE_SPLIT.split(value.strip()) if part]


def _choice(choices) -> Callable[[str], str]:
    """A value of a TextChoices, given as its value or as its label in Dutch or English (case ignored)."""

    def parse(value: str) -> str:
        if not value:
            return ""
        wanted = value.strip().lower()
        for key, label in choices:
            names = {key.lower()}
            for language in ("nl", "en"):
                with translation.override(language):
                    names.add(str(label).lower())
            if wanted in names:
                return key
        allowed = ", ".join(key for key, _label in choices)
        raise CellError(_("Unknown value '%(value)s'; use one of: %(allowed)s.") % {"value": value, "allowed": allowed})

    return parse


def _bool(value: str) -> bool:
    wanted = value.strip().lower()
    if wanted in ("", "nee", "n", "no", "false", "onwaar", "0"):
        return False
    if wanted in ("ja", "j", "yes", "y", "true", "waar", "1", "x"):
        return True
    raise CellError(_("Write ja or nee, not '%(value)s'.") % {"value": value})


def _topics(value: str) -> list[str]:
    topics = list(Topic.objects.filter(is_active=True))
    by_name = {}
    for topic in topics:
        for name in (topic.slug, topic.label, topic.label_en):
            if name:
                by_name[name.strip().lower()] = topic.slug
    slugs, unknown = [], []
    for part in _list(value):
        slug = by_name.get(part.lower())
        (slugs if slug else unknown).append(slug or part)
    if unknown:
        raise CellError(_("Unknown topic: %(values)s.") % {"values": ", ".join(unknown)})
    return list(dict.fromkeys(slugs))


def _needs(value: str) -> list[str]:
    parse = _choice(Need.choices)
    return [parse(part) for part in _list(value)]


def _number(value: str) -> str:
    return value.strip().replace(",", ".")


def _website(value: str) -> str:
    value = value.strip()
    if value and "://" not in value:
        return "https://" + value
    return value


@dataclass(frozen=True)
class Column:
    key: str  # the header Nabij writes in exports and documents
    arg: str  # the service's keyword argument
    parse: Callable = _text
    aliases: tuple[str, ...] = ()
    required: bool = False
    fields: tuple[str, ...] = ()  # service error fields (API or model names) that belong to this column


NAME = Column("naam", "name", aliases=("name", "organisatie", "initiatief", "plek"), required=True, fields=("naam",))
DESCRIPTION = Column("beschrijving", "description", aliases=("omschrijving", "description"), fields=("beschrijving",))
TOPICS = Column("onderwerpen", "topics", _topics, aliases=("onderwerp", "thema", "themas", "thema's"))
PUBLIC = Column("publiek", "is_public", _bool, aliases=("openbaar", "public"), fields=("is_public",))
BUURTEN = Column("buurten", "buurten", _codes, aliases=("buurt", "buurtcode", "buurtcodes"), required=True)
# An organisation may serve whole wijken instead of (or besides) buurten: either column will do, and files from
# before the wijken column still import (issue 5).
PROVIDER_BUURTEN = Column("buurten", "buurten", _codes, aliases=("buurt", "buurtcode", "buurtcodes"))
WIJKEN = Column("wijken", "wijken", _codes, aliases=("wijk", "wijkcode", "wijkcodes"))
_ONE_OF_REQUIRED = {"organisaties": ("buurten", "wijken")}

COLUMNS: dict[str, list[Column]] = {
    ImportBatch.Kind.ORGANISATIES: [
        NAME,
        Column("soort", "kind", _choice(Provider.Kind.choices), aliases=("type",), fields=("kind",)),
        PROVIDER_BUURTEN,
        WIJKEN,
        TOPICS,
        DESCRIPTION,
        Column("telefoon", "phone", aliases=("telefoonnummer", "tel", "phone"), fields=("phone",)),
        Column("e-mail", "email", aliases=("email", "e-mailadres", "emailadres"), fields=("email",)),
        Column("website", "website", _website, aliases=("site", "url"), fields=("website",)),
        Column("adres", "address", aliases=("address",), fields=("address",)),
        Column("openingstijden", "opening_hours", aliases=("geopend",), fields=("opening_hours",)),
        Column(
            "verwijzen via",
            "referral_method",
            _choice(ReferralMethod.choices),
            aliases=("verwijzen", "verwijzing"),
            fields=("referral_method",),
        ),
        Column("contactpunt", "referral_contact", aliases=("contactpunt verwijzingen",), fields=("referral_contact",)),
        PUBLIC,
    ],
    ImportBatch.Kind.INITIATIEVEN: [
        NAME,
        Column("status", "status", _choice(Initiative.Status.choices), fields=("status",)),
        BUURTEN,
        TOPICS,
        DESCRIPTION,
        Column("behoeften", "needs", _needs, aliases=("wat zou helpen", "behoefte"), fields=("behoeften",)),
        Column("contact", "contact", aliases=("bereikbaar via",), fields=("contact",)),
        PUBLIC,
    ],
    ImportBatch.Kind.PLEKKEN: [
        NAME,
        Column("soort", "kind", _choice(Place.Kind.choices), aliases=("type",), fields=("kind",)),
        Column("buurt", "buurt", _codes, aliases=("buurten", "buurtcode"), required=True),
        TOPICS,
        DESCRIPTION,
        Column("lat", "latitude", _number, aliases=("latitude", "breedtegraad"), fields=("lat", "latitude")),
        Column("lon", "longitude", _number, aliases=("lng", "longitude", "lengtegraad"), fields=("lon", "longitude")),
        Column("openingstijden", "opening_hours", aliases=("geopend",), fields=("opening_hours",)),
        Column("rolstoeltoegankelijk", "wheelchair_accessible", _bool, aliases=("rolstoel",)),
        Column("toilet", "has_toilet", _bool),
        Column("toegankelijk toilet", "accessible_toilet", _bool, aliases=("invalidentoilet", "aangepast toilet")),
        PUBLIC,
    ],
}

_SAVE = {
    ImportBatch.Kind.ORGANISATIES: (services.provider_save, "provider", selectors.provider_list),
    ImportBatch.Kind.INITIATIEVEN: (services.initiative_save, "initiative", selectors.initiative_list),
    ImportBatch.Kind.PLEKKEN: (services.place_save, "place", selectors.place_list),
}


def _normalise_header(value: str) -> str:
    value = value.replace("\ufeff", "").replace("_", " ").strip().strip("*").strip().lower()
    return " ".join(value.split())


def _existing_values(kind: str, obj) -> dict:
    """The service arguments that leave `obj` as it is: the base for an update from a file with fewer columns."""
    values = {}
    for column in COLUMNS[kind]:
        if column.arg in ("topics",):
            values["topics"] = [t.slug for t in obj.topics.all()]
        elif column.arg == "buurten":
            values["buurten"] = [b.code for b in obj.buurten.all()]
        elif column.arg == "wijken":
            values["wijken"] = [w.code for w in obj.wijken.all()]
        elif column.arg == "buurt":
            values["buurt"] = obj.buurt_id
        else:
            value = getattr(obj, column.arg)
            values[column.arg] = list(value) if isinstance(value, list) else value
    for name in ("latitude", "longitude"):
        if name in values and values[name] is not None:
            values[name] = str(values[name])
    return values


# Results ---------------------------------------------------------------------------------------------------


@dataclass
class RowResult:
    row: int
    name: str
    action: str = "create"  # create, update
    errors: list[dict] = field(default_factory=list)  # {"column": header in the file, "message": Dutch text}


@dataclass
class ImportPreview:
    kind: str
    filename: str
    file_errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    batch: ImportBatch | None = None

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.rows) and not any(r.errors for r in self.rows)

    @property
    def error_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]

    @property
    def creates(self) -> int:
        return sum(1 for r in self.rows if r.action == "create")

    @property
    def updates(self) -> int:
        return sum(1 for r in self.rows if r.action == "update")


class ImportRefused(Exception):
    """Confirming found errors after all (the database changed since the preview); nothing was written."""

    def __init__(self, preview: ImportPreview):
        super().__init__("import refused")
        self.preview = preview


# Reading a file into rows ----------------------------------------------------------------------------------


def _parse_rows(kind: str, table) -> tuple[list[str], list[str], list[dict], list[RowResult]]:
    """(file errors, ignored columns, parsed rows, per-row cell errors) of a table for this kind."""
    columns = COLUMNS[kind]
    lookup = {}
    for column in columns:
        for name in (column.key, *column.aliases):
            lookup[_normalise_header(name)] = column
    found: dict[str, tuple[int, str]] = {}  # column key → (index, header as written)
    file_errors, ignored = [], []
    for index, header in enumerate(table.headers):
        column = lookup.get(_normalise_header(header))
        if column is None:
            if header:
                ignored.append(header)
            continue
        if column.key in found:
            file_errors.append(_("The column '%(column)s' appears more than once.") % {"column": header})
            continue
        found[column.key] = (index, header)
    missing = [c.key for c in columns if c.required and c.key not in found]
    one_of = _ONE_OF_REQUIRED.get(kind)
    if one_of and not any(key in found for key in one_of):
        missing.append(_("%(first)s or %(second)s") % {"first": one_of[0], "second": one_of[1]})
    if missing:
        file_errors.insert(0, _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if file_errors:
        return file_errors, ignored, [], []
    parsed, results = [], []
    for number, cells in table.rows:
        values, errors = {}, []
        for column in columns:
            if column.key not in found:
                continue
            index, header = found[column.key]
            raw = cells[index] if index < len(cells) else ""
            try:
                value = column.parse(_text(raw))
            except CellError as exc:
                errors.append({"column": header, "message": str(exc)})
                continue
            if value == "" and column.arg in _KEEP_WHEN_EMPTY:
                continue  # the service default on create, the current value on update
            values[column.arg] = value
        if kind == ImportBatch.Kind.PLEKKEN and "buurt" in values:
            codes = values["buurt"]
            if len(codes) > 1:
                errors.append({"column": found["buurt"][1], "message": _("A place lies in one buurt; give one code.")})
            values["buurt"] = codes[0] if codes else ""
        parsed.append({"row": number, "values": values})
        results.append(RowResult(row=number, name=values.get("name", "").strip(), errors=errors))
    return [], ignored, parsed, results


def _column_for_error(kind: str, error_field: str, headers: dict[str, str]) -> str:
    """The column (as the file wrote its header) that a service error names; the name column otherwise."""
    for column in COLUMNS[kind]:
        if error_field in (column.key, column.arg, *column.fields) and column.key in headers:
            return headers[column.key]
    return ""


# Running rows through the services -------------------------------------------------------------------------


def _run_rows(*, user, kind: str, columns: list[str], parsed: list[dict], results: list[RowResult]) -> None:
    """Save every row that has no cell error through the service, each in its own savepoint, noting errors
    and whether the row creates or updates. The caller decides whether the work is kept."""
    save, object_type, visible = _SAVE[kind]
    headers = dict(columns)
    seen: dict[str, int] = {}
    for item, result in zip(parsed, results, strict=True):
        values = dict(item["values"])
        name_key = " ".join(values.get("name", "").split()).casefold()
        if name_key in seen:
            result.errors.append(
                {
                    "column": headers.get("naam", "naam"),
                    "message": _("This name is also in row %(row)d.") % {"row": seen[name_key]},
                }
            )
        elif name_key:
            seen[name_key] = result.row
        if result.errors:
            continue
        existing = None
        if name_key:
            matches = list(visible(user=user).filter(name__iexact=values["name"].strip())[:2])
            if len(matches) > 1:
                result.errors.append(
                    {
                        "column": headers.get("naam", "naam"),
                        "message": _("Several entries in your area have this name; change them one by one."),
                    }
                )
                continue
            existing = matches[0] if matches else None
        if existing is not None:
            result.action = "update"
            values = {**_existing_values(kind, existing), **values}
        try:
            with transaction.atomic():
                save(user=user, **{object_type: existing}, **values)
        except InvalidInput as exc:
            column = _column_for_error(kind, exc.field or "", headers)
            result.errors.append({"column": column or headers.get("naam", "naam"), "message": exc.message})


class _DryRun(Exception):
    pass


def _require_importer(user, kind: str) -> None:
    if not permissions.can_import_social_map(user):
        audit_refusal(actor=user, action="import", object_type=f"social_map_{kind}")
        raise PermissionRefused(_("You may not import into the social map."))


def social_map_import_preview(*, user, kind: str, data: bytes, filename: str = "") -> ImportPreview:
    """Read an uploaded file and show what confirming it would do, row by row, without writing anything.

    Only a file without any error is kept (as parsed rows, for IMPORT_BATCH_TTL) so that it can be confirmed.
    The preview itself is audited with its counts."""
    _require_importer(user, kind)
    if kind not in COLUMNS:
        raise InvalidInput(_("Choose what the file contains."), field="soort")
    filename = (filename or "")[:200]
    preview = ImportPreview(kind=kind, filename=filename)
    ImportBatch.objects.filter(created_at__lt=timezone.now() - IMPORT_BATCH_TTL).delete()
    try:
        table = read_table(data=data, filename=filename)
    except FileRefused as exc:
        preview.file_errors.append(exc.message)
    else:
        file_errors, preview.ignored_columns, parsed, preview.rows = _parse_rows(kind, table)
        preview.file_errors += file_errors
        columns = _found_columns(kind, table.headers)
        if not file_errors:
            try:
                with transaction.atomic():
                    _run_rows(user=user, kind=kind, columns=columns, parsed=parsed, results=preview.rows)
                    raise _DryRun
            except _DryRun:
                pass
        if preview.ok:
            preview.batch = ImportBatch.objects.create(
                created_by=user, kind=kind, filename=filename, columns=columns, rows=parsed
            )
    audit_record(
        actor=user,
        action="import-preview",
        object_type=f"social_map_{kind}",
        object_id=preview.batch.pk if preview.batch else "",
        detail={
            "rows": len(preview.rows),
            "errors": len(preview.error_rows) + len(preview.file_errors),
            "create": preview.creates,
            "update": preview.updates,
        },
    )
    return preview


def _found_columns(kind: str, headers: list[str]) -> list[list[str]]:
    lookup = {}
    for column in COLUMNS[kind]:
        for name in (column.key, *column.aliases):
            lookup[_normalise_header(name)] = column.key
    found = {}
    for header in headers:
        key = lookup.get(_normalise_header(header))
        if key and key not in found:
            found[key] = header
    return [[key, header] for key, header in found.items()]


def import_batch_get(*, user, pk) -> ImportBatch | None:
    """The user's own import waiting for confirmation, if it has not expired."""
    cutoff = timezone.now() - IMPORT_BATCH_TTL
    return ImportBatch.objects.filter(pk=pk, created_by=user, created_at__gte=cutoff).first()


def social_map_import_confirm(*, user, batch: ImportBatch) -> ImportPreview:
    """Write a previewed import: every row or none (one transaction). The batch is deleted afterwards.

    Raises ImportRefused, with the errors, when a row fails now; nothing is written then."""
    _require_importer(user, batch.kind)
    if batch.created_by_id != user.pk:
        audit_refusal(actor=user, action="import", object_type=f"social_map_{batch.kind}", object_id=batch.pk)
        raise PermissionRefused(_("This import is not yours."))
    preview = ImportPreview(kind=batch.kind, filename=batch.filename)
    preview.rows = [RowResult(row=item["row"], name=item["values"].get("name", "").strip()) for item in batch.rows]
    try:
        with transaction.atomic():
            _run_rows(user=user, kind=batch.kind, columns=batch.columns, parsed=batch.rows, results=preview.rows)
            if not preview.ok:
                raise ImportRefused(preview)
            batch_id = batch.pk
            batch.delete()
    except ImportRefused:
        audit_record(
            actor=user,
            action="import",
            object_type=f"social_map_{batch.kind}",
            object_id=batch.pk,
            result=AuditEvent.Result.DENIED,
            detail={"rows": len(preview.rows), "errors": len(preview.error_rows)},
        )
        raise
    audit_record(
        actor=user,
        action="import",
        object_type=f"social_map_{batch.kind}",
        object_id=batch_id,
        detail={"create": preview.creates, "update": preview.updates},
    )
    return preview
