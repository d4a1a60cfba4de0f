"""Writes for areas: importing the CBS wijk- en buurtkaart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nabij.areas.cbs import BUURT, GEMEENTE, WIJK, AreaRow, read_cbs_files
from nabij.areas.models import Buurt, Gemeente, Wijk

MAX_REPORTED_ERRORS = 200
MIN_YEAR, MAX_YEAR = 1900, 2100
_BATCH = 2_000


class CbsImportError(Exception):
    """The file(s) had problems; nothing was written. `errors` are Dutch messages naming file, row and code."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class CbsImportSummary:
    year: int
    created: dict[str, int] = field(default_factory=lambda: {GEMEENTE: 0, WIJK: 0, BUURT: 0})
    updated: dict[str, int] = field(default_factory=lambda: {GEMEENTE: 0, WIJK: 0, BUURT: 0})
    unchanged: dict[str, int] = field(default_factory=lambda: {GEMEENTE: 0, WIJK: 0, BUURT: 0})
    skipped_older: int = 0


def _check_duplicates(rows: list[AreaRow], errors: list[str]) -> dict[str, dict[str, AreaRow]]:
    by_level: dict[str, dict[str, AreaRow]] = {GEMEENTE: {}, WIJK: {}, BUURT: {}}
    for row in rows:
        seen = by_level[row.level].get(row.code)
        if seen is not None:
            errors.append(
                _("%(where)s: code %(code)s appears twice (also in %(other)s).")
                % {"where": row.source, "code": row.code, "other": seen.source}
            )
            continue
        by_level[row.level][row.code] = row
    return by_level


def _resolve_parents(by_level: dict[str, dict[str, AreaRow]], errors: list[str]) -> dict[str, str]:
    """Every wijk needs its gemeente and every buurt its wijk, from the files or the database. Returns the
    gemeente of each wijk the buurten need."""
    gemeenten_known = set(by_level[GEMEENTE]) | set(
        Gemeente.objects.filter(code__in={r.parent_gemeente for r in by_level[WIJK].values()}).values_list(
            "code", flat=True
        )
    )
    for row in by_level[WIJK].values():
        if row.parent_gemeente not in gemeenten_known:
            errors.append(
                _("%(where)s: gemeente %(code)s is in neither the file nor the database.")
                % {"where": row.source, "code": row.parent_gemeente}
            )
    # The gemeente of each wijk: from the file, else from the database.
    wijk_gemeente = {code: row.parent_gemeente for code, row in by_level[WIJK].items()}
    missing = {r.parent_wijk for r in by_level[BUURT].values()} - set(wijk_gemeente)
    wijk_gemeente.update(dict(Wijk.objects.filter(code__in=missing).values_list("code", "gemeente_id")))
    for row in by_level[BUURT].values():
        gemeente = wijk_gemeente.get(row.parent_wijk)
        if gemeente is None:
            errors.append(
                _("%(where)s: wijk %(code)s is in neither the file nor the database.")
                % {"where": row.source, "code": row.parent_wijk}
            )
        elif row.parent_gemeente and row.parent_gemeente != gemeente:
            errors.append(
                _("%(where)s: gemeente %(given)s does not match gemeente %(expected)s of wijk %(wijk)s.")
                % {"where": row.source, "given": row.parent_gemeente, "expected": gemeente, "wijk": row.parent_wijk}
            )
    return wijk_gemeente


def _column(model: type[Gemeente | Wijk | Buurt], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.ForeignKey)  # the parent fields are foreign keys
    return field.column


def _upsert(
    model: type[Gemeente | Wijk | Buurt],
    rows: list[AreaRow],
    *,
    year: int,
    parent_fields: tuple[str, ...],
    parents: Callable[[AreaRow], list[str]],
    summary: CbsImportSummary,
    level: str,
) -> None:
    """Insert new areas and update changed ones by code, in a few statements per thousand rows.

    The ORM's bulk_update builds a CASE per field and row and took a minute for a national re-import; here the
    database itself skips rows whose values are all the same (geometry compared as JSON), so a re-import of an
    unchanged map only reads. A stored area from a newer map is never overwritten by an older one.
    """
    existing = dict(model.objects.filter(code__in=[r.code for r in rows]).values_list("code", "map_year"))
    parent_columns = [_column(model, name) for name in parent_fields]
    columns = ["name", "inhabitants", "is_water", "map_year", "geometry", *parent_columns]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    json_param = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    distinct = "IS NOT" if connection.vendor == "sqlite" else "IS DISTINCT FROM"

    def placeholder(column: str) -> str:
        return json_param if column == "geometry" else "%s"

    to_create, to_update = [], []
    for row in rows:
        values = [row.name, row.inhabitants, row.is_water, year, row.geometry_json, *parents(row)]
        if row.code not in existing:
            to_create.append([row.code, *values, now])
        elif existing[row.code] > year:
            summary.skipped_older += 1
        else:
            # SET values, then the same values again for the "did anything change?" test.
            to_update.append([*values, now, row.code, year, *values])

    insert = "INSERT INTO {} ({}) VALUES ({})".format(
        table,
        ", ".join(quote(c) for c in ["code", *columns, "updated_at"]),
        ", ".join(["%s", *(placeholder(c) for c in columns), "%s"]),
    )
    update = "UPDATE {} SET {}, {} = %s WHERE {} = %s AND {} <= %s AND ({})".format(
        table,
        ", ".join(f"{quote(c)} = {placeholder(c)}" for c in columns),
        quote("updated_at"),
        quote("code"),
        quote("map_year"),
        " OR ".join(f"{quote(c)} {distinct} {placeholder(c)}" for c in columns),
    )
    changed = 0
    with connection.cursor() as cursor:
        for start in range(0, len(to_create), _BATCH):
            cursor.executemany(insert, to_create[start : start + _BATCH])
        for start in range(0, len(to_update), _BATCH):
            batch = to_update[start : start + _BATCH]
            cursor.executemany(update, batch)
            changed += max(cursor.rowcount, 0)
    summary.created[level] += len(to_create)
    summary.updated[level] += changed
    summary.unchanged[level] += len(to_update) - changed


def _year(read_years: set[int], year: int | None, errors: list[str]) -> int | None:
    if year is not None:
        if not MIN_YEAR <= year <= MAX_YEAR:
            errors.append(
                _("The map year %(year)s is not a year between %(min)s and %(max)s.")
                % {"year": year, "min": MIN_YEAR, "max": MAX_YEAR}
            )
        return year
    if len(read_years) == 1:
        return next(iter(read_years))
    if len(read_years) > 1:
        errors.append(
            _("The files are from different map years (%(years)s); import them separately or give --jaar.")
            % {"years": ", ".join(str(y) for y in sorted(read_years))}
        )
    elif not errors:
        errors.append(_("The map year cannot be read from the file name; give it with --jaar."))
    return None


def cbs_import(*, paths: list[Path], year: int | None = None) -> CbsImportSummary:
    """Import CBS areas from one or more files, all or nothing.

    Re-importing the same or a newer map updates areas in place by code (renames included) and never makes
    duplicates; areas from a newer map already stored are left alone. Any bad row stops the import before
    anything is written, so the database stays exactly as it was.
    """
    read = read_cbs_files([Path(p) for p in paths])
    errors = list(read.errors)
    if not errors and not read.rows:
        raise CbsImportError([_("The file(s) contain no areas.")])
    year = _year(read.years, year, errors)
    by_level = _check_duplicates(read.rows, errors)
    wijk_gemeente = _resolve_parents(by_level, errors)
    if errors:
        shown = errors[:MAX_REPORTED_ERRORS]
        if len(errors) > MAX_REPORTED_ERRORS:
            shown.append(_("… and %(count)s more problems.") % {"count": len(errors) - MAX_REPORTED_ERRORS})
        raise CbsImportError(shown)
    assert year is not None  # _year gives None only together with an error
    summary = CbsImportSummary(year=year)
    with transaction.atomic():
        _upsert(
            Gemeente,
            list(by_level[GEMEENTE].values()),
            year=year,
            parent_fields=(),
            parents=lambda r: [],
            summary=summary,
            level=GEMEENTE,
        )
        _upsert(
            Wijk,
            list(by_level[WIJK].values()),
            year=year,
            parent_fields=("gemeente",),
            parents=lambda r: [r.parent_gemeente],
            summary=summary,
            level=WIJK,
        )
        _upsert(
            Buurt,
            list(by_level[BUURT].values()),
            year=year,
            parent_fields=("wijk", "gemeente"),
            parents=lambda r: [r.parent_wijk, wijk_gemeente[r.parent_wijk]],
            summary=summary,
            level=BUURT,
        )
    return summary
