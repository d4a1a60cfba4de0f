"""Small-cell rules for every aggregate that can leave the viewer's area scope (design.md, AVG).

- Inside the viewer's own scope a count is shown as it is: they work with these residents anyway.
- Outside it, a count below the threshold (10 distinct residents) shows as "< 10", and any other count is
  rounded to the nearest 5, so that differences between published tables cannot single out a resident.
- In a breakdown that is shown with its total, one suppressed cell could be recovered by subtraction; the next
  smallest cell is then suppressed as well (secondary suppression).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from django.conf import settings

SUPPRESSED = "< 10"


def threshold() -> int:
    return int(getattr(settings, "NABIJ_SMALL_CELL", 10))


def round_to_5(count: int) -> int:
    """Nearest multiple of 5 (halves round up), never below 0."""
    return max(0, int((count + 2.5) // 5 * 5))


def shown_count(count: int, *, in_scope: bool) -> int | str:
    """One count as a viewer may see it."""
    if in_scope:
        return count
    if count < threshold():
        return SUPPRESSED
    return round_to_5(count)


@dataclass(frozen=True)
class SuppressedTable:
    cells: dict[Hashable, int | str]
    total: int | str
    percentages: dict[Hashable, float | None]

    @property
    def any_suppressed(self) -> bool:
        return any(value == SUPPRESSED for value in self.cells.values()) or self.total == SUPPRESSED


def suppress_breakdown(counts: Mapping[Hashable, int], *, in_scope: bool, total: int | None = None) -> SuppressedTable:
    """A breakdown (e.g. answers per option) as a viewer may see it, with its total and percentages.

    Percentages are given only for cells that are shown, and only when no cell is suppressed: a percentage of a
    known total would otherwise give the suppressed value back.
    """
    real_total = sum(counts.values()) if total is None else total
    if in_scope:
        percentages = {key: (100.0 * value / real_total if real_total else None) for key, value in counts.items()}
        return SuppressedTable(cells=dict(counts), total=real_total, percentages=percentages)
    limit = threshold()
    if real_total < limit:
        cells = {key: SUPPRESSED for key in counts}
        return SuppressedTable(cells=cells, total=SUPPRESSED, percentages=dict.fromkeys(counts))
    hidden = {key for key, value in counts.items() if 0 < value < limit}
    if len(hidden) == 1 and len(counts) > 1:
        # Secondary suppression: hide the smallest other cell so the first cannot be derived from the total.
        others = sorted((value, str(key), key) for key, value in counts.items() if key not in hidden)
        hidden.add(others[0][2])
    cells: dict[Hashable, int | str] = {}
    for key, value in counts.items():
        if key in hidden:
            cells[key] = SUPPRESSED
        elif value == 0:
            cells[key] = 0
        else:
            cells[key] = round_to_5(value)
    percentages: dict[Hashable, float | None]
    if hidden:
        percentages = dict.fromkeys(counts)
    else:
        percentages = {key: 100.0 * counts[key] / real_total for key in counts}
    return SuppressedTable(cells=cells, total=round_to_5(real_total), percentages=percentages)
