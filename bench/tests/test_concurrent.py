"""The pure helpers of the concurrent-clients benchmark: no server, no database."""

import pytest

from bench.concurrent import goal_text, summary, verdict


def test_verdict_at_most_keeps_the_goal_up_to_and_including_it():
    assert verdict(2.99, 3.0) == "met"
    assert verdict(3.0, 3.0) == "met"
    assert verdict(3.01, 3.0) == "missed"


def test_verdict_at_least_for_throughput():
    assert verdict(0.5, 0.5, at_least=True) == "met"
    assert verdict(0.49, 0.5, at_least=True) == "missed"
    assert verdict(1.2, 0.5, at_least=True) == "met"


def test_goal_text_names_the_direction_and_the_verdict():
    assert goal_text(2.6, 2.5) == "≤ 2.5×: **missed**"
    assert goal_text(0.7, 0.5, at_least=True) == "≥ 0.5×: **met**"


def test_summary_gives_nearest_rank_percentiles_in_ms_and_requests_per_second():
    timings = [i / 1000 for i in range(1, 101)]  # 1 … 100 ms
    result = summary(timings, seconds=4.0)
    assert result["requests"] == 100
    assert result["p50"] == pytest.approx(50.0)
    assert result["p95"] == pytest.approx(95.0)
    assert result["rps"] == pytest.approx(25.0)


def test_summary_of_no_wall_time_has_no_rate():
    assert summary([0.01], seconds=0.0)["rps"] == 0.0
