"""Small-cell rules for every aggregate that can leave the viewer's own records and scope (design.md, AVG; issue 13
"Small numbers, complete"). One place: themes, reports, surveys and participation call these functions.

The promise: outside the viewer's own records and scope, no figure can be turned back into a count below the
threshold (10 distinct residents), neither on its own nor by subtracting figures from each other (a total minus its
shown parts, one filter minus another, one page minus another).

- A figure is *exact* when every record behind it is the viewer's own (their organisation's, inside their area
  scope): they can count those records themselves, so hiding the number protects nobody.
- Otherwise the part the viewer cannot count themselves (`count - own`) decides: nothing of others behind it →
  exact; fewer than the threshold → suppressed (`SUPPRESSED`); else the whole figure is rounded to the nearest 5.
  Rounding the whole figure, not only the others' part, is what keeps a viewer who knows their own part from
  reading the others' part off it: they learn it within ±2, and it is at least the threshold anyway.
- Totals and subtotals are figures like any other (same rule), and a table is published as one piece: when a
  relation (a total and its parts) would have one hidden figure, a second one is hidden (secondary suppression),
  and an audit then plays the attacker — it subtracts shown figures (as intervals: a rounded 25 is 23..27)
  along every relation until nothing moves — and hides more until no suppressed figure is pinned to one value.
  The hidden figures all show the same marker, so a page does not tell the small one from the secondary one.
- Percentages are computed from published values only (`percentage_of_published`), never from exact counts: a
  percentage of an exact count would give that count back.
- Zeros are shown: "no one" is not a small number of people, and tables add up visibly. The audit therefore
  assumes the attacker knows that a suppressed figure is at least 1.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings

SUPPRESSED = "< 10"
ROUNDING = 5
Shown = int | str
_INF = 10**12


def threshold() -> int:
    return int(getattr(settings, "NABIJ_SMALL_CELL", 10))


def is_small(count: int) -> bool:
    """The small-cell rule itself: a figure of at least 1 and below the threshold (1–9 distinct residents) is a
    small cell, which may single someone out. Zero is not small: "no one" is not a few people. The one place the
    threshold is compared."""
    return 0 < count < threshold()


def round_to_5(count: int) -> int:
    """Nearest multiple of 5 (halves round up), never below 0."""
    return max(0, int((count + 2.5) // 5 * 5))


def is_suppressed(value: Shown) -> bool:
    return value == SUPPRESSED


def publish_count(count: int, *, exact: bool = False, own: int = 0) -> Shown:
    """One figure as a viewer may see it, on its own (a figure that is part of a table: `publish_table`).

    `exact`: every record behind it is the viewer's own inside their scope. `own`: the part of `count` the viewer
    can count themselves (their own records in scope); the rest decides whether the figure is suppressed."""
    if exact or own >= count:
        return count
    if is_small(count - own):
        return SUPPRESSED
    return round_to_5(count)


def shown_count(count: int, *, in_scope: bool) -> Shown:
    """One count as a viewer may see it (kept for callers that know only "in scope or not"). Unlike
    `publish_count` a zero outside scope is suppressed too: these callers show counts of open work, where even
    "none" is more than an outsider needs."""
    if not in_scope and count == 0:
        return SUPPRESSED
    return publish_count(count, exact=in_scope)


def percentage_of_published(part: Shown | None, total: Shown | None) -> float | None:
    """A percentage computed from two published values, never from exact counts (which it would give back);
    None when either is suppressed or missing, or the total is 0."""
    if not isinstance(part, int) or not isinstance(total, int) or isinstance(part, bool) or not total:
        return None
    return 100.0 * part / total


# The engine: figures linked by "total = sum of parts" relations -----------------------------------------------


@dataclass
class _Figure:
    count: int
    own: int
    keep: bool = False  # published elsewhere as it is: never chosen for secondary suppression
    hidden: bool = False

    @property
    def unknown(self) -> int:
        """The part the viewer cannot count themselves."""
        return max(0, self.count - self.own)

    @property
    def exact(self) -> bool:
        return self.unknown == 0

    @property
    def primary(self) -> bool:
        return is_small(self.unknown)


def _interval(fig: _Figure) -> tuple[int, int]:
    """What an attacker who knows the viewer's own part learns of a figure's unknown part from its published
    value. Conservative: they are assumed to know which hidden figures are small (primary) and which are the
    secondary ones (at least the threshold)."""
    limit = threshold()
    if fig.exact:
        return 0, 0
    if fig.hidden:
        return (1, limit - 1) if fig.primary else (limit, _INF)
    shown = round_to_5(fig.count)
    return max(limit, shown - 2 - fig.own), shown + 2 - fig.own


def _propagate(figures: dict[Hashable, _Figure], relations: list[tuple[Hashable, list[Hashable]]]) -> dict:
    """Interval propagation over every "total = sum of parts" relation until nothing moves: what subtracting
    published figures from each other, in any chain, can tell about each one."""
    bounds = {key: list(_interval(fig)) for key, fig in figures.items()}
    for _round in range(100):
        moved = False
        for total, parts in relations:
            lo_sum = sum(bounds[p][0] for p in parts)
            hi_sum = sum(bounds[p][1] for p in parts)
            t = bounds[total]
            new = [max(t[0], lo_sum), min(t[1], hi_sum)]
            if new != t:
                bounds[total], moved = new, True
            t = bounds[total]
            for p in parts:
                b = bounds[p]
                new = [max(b[0], t[0] - (hi_sum - b[1])), min(b[1], t[1] - (lo_sum - b[0]))]
                if new != b:
                    lo_sum += new[0] - b[0]
                    hi_sum += new[1] - b[1]
                    bounds[p], moved = new, True
        if not moved:
            break
    return bounds


def _pinned(figures: dict[Hashable, _Figure], relations) -> list[Hashable]:
    """Suppressed small figures that the published ones pin to a single value."""
    bounds = _propagate(figures, relations)
    # Equal bounds pin the figure; crossed bounds mean a "total" that is not the sum of its parts (distinct
    # residents), where the relation tells an attacker nothing certain.
    return [key for key, fig in figures.items() if fig.hidden and fig.primary and bounds[key][0] == bounds[key][1]]


def _hide_one_more(figures: dict[Hashable, _Figure], total: Hashable, parts: list[Hashable]) -> bool:
    """Secondary suppression in one relation: the smallest shown part that may be hidden, else the total."""
    candidates = [
        (figures[p].count, str(p), p)
        for p in parts
        if not figures[p].hidden and not figures[p].exact and not figures[p].keep
    ]
    if candidates:
        figures[min(candidates)[2]].hidden = True
        return True
    fig = figures[total]
    if not fig.hidden and not fig.exact and not fig.keep:
        fig.hidden = True
        return True
    return False


def _suppress(figures: dict[Hashable, _Figure], relations: list[tuple[Hashable, list[Hashable]]]) -> None:
    """Primary, secondary and audited suppression, in place."""
    for fig in figures.values():
        fig.hidden = fig.primary
    for _round in range(len(figures) + 1):
        changed = False
        for total, parts in relations:
            members = [total, *parts]
            if sum(1 for m in members if figures[m].hidden) == 1:
                changed |= _hide_one_more(figures, total, parts)
        if changed:
            continue
        pinned = _pinned(figures, relations)
        if not pinned:
            return
        for key in pinned:
            for total, parts in relations:
                if key == total or key in parts:
                    changed |= _hide_one_more(figures, total, parts)
        if not changed:
            break
    # Nothing left to hide in the relations of a pinned figure: withhold every figure that is not wholly own
    # (figures published elsewhere stay: hiding them here would protect nothing).
    for fig in figures.values():
        fig.hidden = not fig.exact and not fig.keep


def _published(fig: _Figure) -> Shown:
    if fig.exact:
        return fig.count
    return SUPPRESSED if fig.hidden else round_to_5(fig.count)


# Tables --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedTable:
    """A rows × columns table with its row totals, column totals and grand total, as the viewer may see it."""

    cells: dict[tuple[Hashable, Hashable], Shown]
    row_totals: dict[Hashable, Shown]
    column_totals: dict[Hashable, Shown]
    total: Shown

    @property
    def any_suppressed(self) -> bool:
        values = [*self.cells.values(), *self.row_totals.values(), *self.column_totals.values(), self.total]
        return any(is_suppressed(v) for v in values)


def publish_table(
    cells: Mapping[tuple[Hashable, Hashable], int],
    *,
    exact: bool,
    own: Mapping[tuple[Hashable, Hashable], int] | None = None,
) -> PublishedTable:
    """A two-way table (e.g. buurt × channel) with its totals as sums of the cells, published as one piece so
    that no difference of shown figures — a total minus its shown parts, one row minus another — reveals a
    hidden cell. Missing combinations of a row and a column are zeros. `own` gives, per cell, the part the
    viewer can count themselves (see the module docstring); `exact` says every record is theirs."""
    rows = list(dict.fromkeys(r for r, _c in cells))
    cols = list(dict.fromkeys(c for _r, c in cells))
    own = own or {}

    def own_of(key) -> int:
        return cells.get(key, 0) if exact else min(own.get(key, 0), cells.get(key, 0))

    figures: dict[Hashable, _Figure] = {}
    for r in rows:
        for c in cols:
            figures[("cell", r, c)] = _Figure(cells.get((r, c), 0), own_of((r, c)))
    for r in rows:
        parts = [figures[("cell", r, c)] for c in cols]
        figures[("row", r)] = _Figure(sum(f.count for f in parts), sum(f.own for f in parts))
    for c in cols:
        parts = [figures[("cell", r, c)] for r in rows]
        figures[("col", c)] = _Figure(sum(f.count for f in parts), sum(f.own for f in parts))
    row_figs = [figures[("row", r)] for r in rows]
    figures[("total",)] = _Figure(sum(f.count for f in row_figs), sum(f.own for f in row_figs))
    relations: list[tuple[Hashable, list[Hashable]]] = [
        *((("row", r), [("cell", r, c) for c in cols]) for r in rows),
        *((("col", c), [("cell", r, c) for r in rows]) for c in cols),
        (("total",), [("row", r) for r in rows]),
        (("total",), [("col", c) for c in cols]),
    ]
    _suppress(figures, relations)
    return PublishedTable(
        cells={(r, c): _published(figures[("cell", r, c)]) for r in rows for c in cols},
        row_totals={r: _published(figures[("row", r)]) for r in rows},
        column_totals={c: _published(figures[("col", c)]) for c in cols},
        total=_published(figures[("total",)]),
    )


@dataclass(frozen=True)
class PublishedCounts:
    """A breakdown (one total and its parts) as the viewer may see it."""

    cells: dict[Hashable, Shown]
    total: Shown

    @property
    def any_suppressed(self) -> bool:
        return any(is_suppressed(v) for v in self.cells.values()) or is_suppressed(self.total)

    def percentage(self, key: Hashable) -> float | None:
        return percentage_of_published(self.cells[key], self.total)


def publish_counts(
    counts: Mapping[Hashable, int],
    *,
    exact: bool,
    own: Mapping[Hashable, int] | None = None,
    total: int | None = None,
    total_own: int | None = None,
    keep: Iterable[Hashable] = (),
    keep_total: bool = False,
) -> PublishedCounts:
    """A breakdown with its total (answers per option, residents per buurt, contacts per week), published as
    one piece (see `publish_table`).

    `total` is given when it is not the sum of the parts (distinct residents over several weeks or buurten);
    the audit still treats the total as the sum, which is what an attacker would assume. `keep` names parts
    that are published as they are elsewhere (a buurt's own theme count): hiding them here would protect
    nothing, so secondary suppression picks another part or the total; `keep_total` likewise for a total that is
    shown elsewhere (a theme's headline count)."""
    own = own or {}
    kept = set(keep)
    figures: dict[Hashable, _Figure] = {
        ("part", key): _Figure(n, n if exact else min(own.get(key, 0), n), keep=key in kept)
        for key, n in counts.items()
    }
    real_total = sum(counts.values()) if total is None else total
    if exact:
        total_own = real_total
    elif total_own is None:
        total_own = sum(f.own for f in figures.values()) if total is None else 0
    figures[("total",)] = _Figure(real_total, min(total_own, real_total), keep=keep_total)
    _suppress(figures, [(("total",), [("part", key) for key in counts])])
    return PublishedCounts(
        cells={key: _published(figures[("part", key)]) for key in counts}, total=_published(figures[("total",)])
    )


# The breakdown of surveys and participation (kept: other apps call it) -------------------------------------------


@dataclass(frozen=True)
class SuppressedTable:
    cells: dict[Hashable, Shown]
    total: Shown
    percentages: dict[Hashable, float | None]

    @property
    def any_suppressed(self) -> bool:
        return any(is_suppressed(value) for value in self.cells.values()) or is_suppressed(self.total)


def suppress_breakdown(counts: Mapping[Hashable, int], *, in_scope: bool, total: int | None = None) -> SuppressedTable:
    """A breakdown (e.g. answers per option) as a viewer may see it, with its total and percentages.

    `publish_counts` decides the figures. Percentages are computed from the published values; when any cell is
    hidden none are given, since the shown ones would invite the reader to compute the rest from 100%."""
    real_total = sum(counts.values()) if total is None else total
    if in_scope:
        percentages = {key: (100.0 * value / real_total if real_total else None) for key, value in counts.items()}
        return SuppressedTable(cells=dict(counts), total=real_total, percentages=percentages)
    table = publish_counts(counts, exact=False, total=total)
    if table.any_suppressed:
        percentages: dict[Hashable, float | None] = dict.fromkeys(counts)
    else:
        percentages = {key: table.percentage(key) for key in counts}
    return SuppressedTable(cells=table.cells, total=table.total, percentages=percentages)
