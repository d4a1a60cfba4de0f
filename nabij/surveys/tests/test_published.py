"""Property: what another organisation or the public sees of a breakdown never shows a count below 10, and its
percentages and bars come from the published counts only (so they cannot give an exact count back)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from nabij.privacy.smallcells import SUPPRESSED, suppress_breakdown
from nabij.surveys.selectors.results import ResultRow, _published_percentages, _with_bars

counts = st.dictionaries(st.sampled_from(["a", "b", "c", "d", "e"]), st.integers(0, 60), min_size=1)


@settings(deadline=None)  # the machine is shared: time is not what this tests
@given(counts)
def test_published_breakdown_shows_no_small_count_and_percentages_of_published_counts(cells):
    table = suppress_breakdown(cells, in_scope=False)
    percentages = _published_percentages(table.cells, table.total)
    rows = _with_bars([ResultRow(label=k, count=table.cells[k], percentage=percentages[k]) for k in cells])
    shown = [row.count for row in rows] + [table.total]
    assert not [c for c in shown if isinstance(c, int) and 0 < c < 10]
    top = max((row.count for row in rows if isinstance(row.count, int)), default=0)
    for row in rows:
        if row.count == SUPPRESSED:
            assert row.percentage is None and row.bar == 0
        else:
            assert row.percentage is None or row.percentage == 100.0 * row.count / table.total
            assert row.bar == (round(100.0 * row.count / top, 1) if top else 0.0)
