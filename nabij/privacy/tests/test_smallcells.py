from django.test import override_settings

from hypothesis import given, settings
from hypothesis import strategies as st

from nabij.privacy.smallcells import SUPPRESSED, is_small, publish_count, round_to_5, shown_count, suppress_breakdown


def test_one_to_nine_residents_is_a_small_cell_zero_and_ten_are_not():
    assert [n for n in range(0, 12) if is_small(n)] == list(range(1, 10))


@override_settings(NABIJ_SMALL_CELL=5)
def test_the_small_cell_threshold_comes_from_the_setting():
    assert is_small(4) and not is_small(5)
    assert publish_count(4) == SUPPRESSED and publish_count(5) == 5


def test_count_inside_scope_is_exact():
    assert shown_count(3, in_scope=True) == 3


def test_count_below_ten_outside_scope_is_suppressed():
    assert shown_count(9, in_scope=False) == SUPPRESSED


def test_count_outside_scope_is_rounded_to_five():
    assert shown_count(23, in_scope=False) == 25
    assert shown_count(22, in_scope=False) == 20


def test_round_to_5_rounds_halves_up():
    assert [round_to_5(n) for n in (10, 12, 13, 17, 18)] == [10, 10, 15, 15, 20]


def test_single_small_cell_gets_a_second_cell_suppressed_so_it_cannot_be_derived():
    table = suppress_breakdown({"ja": 40, "nee": 3, "weet niet": 12}, in_scope=False)

    assert table.cells["nee"] == SUPPRESSED
    assert table.cells["weet niet"] == SUPPRESSED
    assert table.cells["ja"] == 40


def test_percentages_are_withheld_when_a_cell_is_suppressed():
    table = suppress_breakdown({"ja": 40, "nee": 3, "weet niet": 12}, in_scope=False)

    assert all(value is None for value in table.percentages.values())


def test_small_total_suppresses_the_whole_breakdown():
    table = suppress_breakdown({"ja": 5, "nee": 3}, in_scope=False)

    assert table.total == SUPPRESSED
    assert set(table.cells.values()) == {SUPPRESSED}


@override_settings(NABIJ_SMALL_CELL=10)
@settings(deadline=None)  # the machine is shared: timing is no part of the rule
@given(st.dictionaries(st.sampled_from("abcdef"), st.integers(min_value=0, max_value=60), min_size=1))
def test_no_shown_cell_below_ten_and_no_suppressed_cell_recoverable(counts):
    table = suppress_breakdown(counts, in_scope=False)

    shown = [value for value in table.cells.values() if value != SUPPRESSED]
    assert all(value == 0 or value >= 10 for value in shown)
    suppressed = [key for key, value in table.cells.items() if value == SUPPRESSED]
    # Never exactly one suppressed cell next to a shown total: subtraction would reveal it.
    if table.total != SUPPRESSED and any(0 < counts[key] for key in suppressed):
        assert len(suppressed) >= 2
