import math

import pytest

from nabij.themes.detection import Params, escalates, poisson_upper_tail


def _naive_tail(k, lam):
    return 1 - sum(math.exp(-lam) * lam**i / math.factorial(i) for i in range(k))


@pytest.mark.parametrize(("k", "lam"), [(0, 2.0), (1, 0.5), (3, 3.0), (10, 3.0), (24, 3.0), (5, 12.5)])
def test_poisson_upper_tail_matches_the_textbook_formula(k, lam):
    assert poisson_upper_tail(k, lam) == pytest.approx(_naive_tail(k, lam), rel=1e-9, abs=1e-15)


def test_poisson_upper_tail_stays_accurate_far_in_the_tail():
    assert 0 < poisson_upper_tail(100, 3.0) < 1e-100


def test_twenty_four_against_three_is_significant_and_five_is_not():
    assert poisson_upper_tail(24, 3.0) < 0.01
    assert poisson_upper_tail(5, 3.0) > 0.01


def test_escalation_needs_two_buurten_by_default():
    assert not escalates(1, 4, Params())
    assert escalates(2, 4, Params())


def test_escalation_share_can_be_required_as_well():
    assert not escalates(2, 12, Params(escalate_fraction=1 / 3))
    assert escalates(4, 12, Params(escalate_fraction=1 / 3))
