"""Writes for areas: importing the CBS wijk- en buurtkaart."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from nabij.areas.cbs import BUURT, GEMEENTE, WIJK, AreaRow, read_cbs_files
from nabij.areas.models import Buurt, Gemeente, Wijk

MAX_REPORTED_ERRORS = 200
_FIELDS = ["name", "inhabitants", "is_water", "map_year", "geometry"]


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
    """Every wijk needs its gemeente and every buurt its wijk, from the files or the database."""
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


def _upsert(model, rows: list[AreaRow], year: int, parents, summary: CbsImportSummary, level: str) -> None:
    existing = dict(model.objects.filter(code__in=[r.code for r in rows]).values_list("code", "map_year"))
    to_create, to_update = [], []
    for row in rows:
        values = {
            "name": row.name,
            "inhabitants": row.inhabitants,
            "is_water": row.is_water,
            "map_year": year,
            "geometry": row.geometry,
            **parents(row),
        }
        if row.code not in existing:
            to_create.append(model(code=row.code, **values))
        elif existing[row.code] > year:
            summary.skipped_older += 1  # a newer map is already stored; never go back in time
        else:
            to_update.append(model(code=row.code, **values))
    model.objects.bulk_create(to_create, batch_size=500)
    parent_fields = list(parents(rows[0]).keys()) if rows else []
    if to_update:
        model.objects.bulk_update(to_update, _FIELDS + parent_fields, batch_size=500)
    summary.created[level] += len(to_create)
    summary.updated[level] += len(to_update)


def cbs_import(*, paths: list[Path], year: int | None = None) -> CbsImportSummary:
    """Import CBS areas from one or more files, all or nothing.

    Re-importing the same or a newer map updates areas in place by code (renames included) and never makes
    duplicates. Any bad row stops the import before anything is written, so the database stays as it was.
    """
    read = read_cbs_files(paths)
    errors = list(read.errors)
    if year is None:
        if len(read.years) == 1:
            year = read.years.pop()
        elif not errors:
            errors.append(_("The map year cannot be read from the file name; give it with --jaar."))
    by_level = _check_duplicates(read.rows, errors)
    wijk_gemeente = _resolve_parents(by_level, errors)
    if not errors and not read.rows:
        errors.append(_("The file(s) contain no areas."))
    if errors:
        shown = errors[:MAX_REPORTED_ERRORS]
        if len(errors) > MAX_REPORTED_ERRORS:
            shown.append(_("… and %(count)s more problems.") % {"count": len(errors) - MAX_REPORTED_ERRORS})
        raise CbsImportError(shown)
    summary = CbsImportSummary(year=year)
    with transaction.atomic():
        _upsert(Gemeente, list(by_level[GEMEENTE].values()), year, lambda r: {}, summary, GEMEENTE)
        _upsert(Wijk, list(by_level[WIJK].values()), year, lambda r: {"gemeente_id": r.parent_gemeente}, summary, WIJK)
        _upsert(
            Buurt,
            list(by_level[BUURT].values()),
            year,
            lambda r: {"wijk_id": r.parent_wijk, "gemeente_id": wijk_gemeente[r.parent_wijk]},
            summary,
            BUURT,
        )
    return summary
