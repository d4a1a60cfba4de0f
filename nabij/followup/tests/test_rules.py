"""The overdue rule at the date boundary, in Europe/Amsterdam, across both DST changes; the transition tables."""

from datetime import UTC, date, datetime

import pytest

from nabij.followup import rules


def _today_at(utc: datetime) -> date:
    return rules.local_today(utc)


@pytest.mark.parametrize(
    ("utc", "overdue"),
    [
        (datetime(2026, 1, 15, 22, 59, tzinfo=UTC), False),  # 23:59 CET on the due date
        (datetime(2026, 1, 15, 23, 0, tzinfo=UTC), True),  # 00:00 CET the day after
    ],
)
def test_overdue_from_the_day_after_the_due_date_in_winter(utc, overdue):
    assert rules.is_overdue(date(2026, 1, 15), today=_today_at(utc)) is overdue


@pytest.mark.parametrize(
    ("utc", "overdue"),
    [
        (datetime(2026, 7, 1, 21, 59, tzinfo=UTC), False),  # 23:59 CEST
        (datetime(2026, 7, 1, 22, 0, tzinfo=UTC), True),  # 00:00 CEST, still 1 July in UTC
    ],
)
def test_overdue_uses_the_amsterdam_date_not_the_utc_date_in_summer(utc, overdue):
    assert rules.is_overdue(date(2026, 7, 1), today=_today_at(utc)) is overdue


def test_overdue_boundary_on_the_day_clocks_go_forward():
    # 29 March 2026: 02:00 CET becomes 03:00 CEST; that day ends at 22:00 UTC.
    due = date(2026, 3, 29)
    assert not rules.is_overdue(due, today=_today_at(datetime(2026, 3, 29, 21, 59, tzinfo=UTC)))
    assert rules.is_overdue(due, today=_today_at(datetime(2026, 3, 29, 22, 0, tzinfo=UTC)))


def test_overdue_boundary_on_the_day_clocks_go_back():
    # 25 October 2026: 03:00 CEST becomes 02:00 CET; that day is 25 hours long and ends at 23:00 UTC.
    due = date(2026, 10, 25)
    assert not rules.is_overdue(due, today=_today_at(datetime(2026, 10, 25, 22, 59, tzinfo=UTC)))
    assert rules.is_overdue(due, today=_today_at(datetime(2026, 10, 25, 23, 0, tzinfo=UTC)))


def test_due_today_is_not_overdue():
    assert not rules.is_overdue(date(2026, 5, 4), today=date(2026, 5, 4))


def test_end_of_week_is_sunday_and_sunday_itself_on_a_sunday():
    assert rules.end_of_week(date(2026, 11, 25)) == date(2026, 11, 29)  # Wednesday
    assert rules.end_of_week(date(2026, 11, 29)) == date(2026, 11, 29)


def test_kept_promise_cannot_go_back_to_open():
    assert not rules.promise_transition_allowed("nagekomen", "open")
    assert rules.promise_transition_allowed("open", "nagekomen")
    assert rules.promise_transition_allowed("overgedragen", "nagekomen")


def test_referral_outcome_is_final_but_unknown_may_still_change():
    assert not rules.referral_transition_allowed("geholpen", "niet_geholpen")
    assert rules.referral_transition_allowed("onbekend", "geholpen")
    assert rules.referral_transition_allowed("verwezen", "contact_gelegd")


def test_urgency_groups_overdue_today_this_week_and_later():
    wednesday = date(2026, 11, 25)
    assert rules.urgency(date(2026, 11, 24), today=wednesday) == rules.Urgency.OVERDUE
    assert rules.urgency(wednesday, today=wednesday) == rules.Urgency.TODAY
    assert rules.urgency(date(2026, 11, 29), today=wednesday) == rules.Urgency.THIS_WEEK  # Sunday
    assert rules.urgency(date(2026, 11, 30), today=wednesday) == rules.Urgency.LATER  # next Monday


def test_on_a_sunday_nothing_more_is_due_this_week():
    sunday = date(2026, 11, 29)
    assert rules.urgency(date(2026, 11, 30), today=sunday) == rules.Urgency.LATER


def test_handed_over_promise_can_be_overdue_but_a_kept_one_cannot():
    due, today = date(2026, 5, 4), date(2026, 5, 5)
    assert rules.promise_is_overdue(status="overgedragen", due_date=due, today=today)
    assert not rules.promise_is_overdue(status="nagekomen", due_date=due, today=today)


def test_referral_heard_back_is_no_longer_overdue():
    navragen, today = date(2026, 5, 4), date(2026, 5, 5)
    assert rules.referral_is_overdue(status="contact_gelegd", navragen_op=navragen, today=today)
    assert not rules.referral_is_overdue(status="geholpen", navragen_op=navragen, today=today)


def test_kept_on_time_by_the_amsterdam_date_in_the_night_clocks_go_back():
    # 25 October 2026 ends at 23:00 UTC (CET): kept at 22:59 UTC is on time, at 23:00 UTC one day late.
    due = date(2026, 10, 25)
    on_time = datetime(2026, 10, 25, 22, 59, tzinfo=UTC)
    late = datetime(2026, 10, 25, 23, 0, tzinfo=UTC)
    assert rules.is_kept_on_time(status="nagekomen", kept_at=on_time, due_date=due)
    assert not rules.is_kept_on_time(status="nagekomen", kept_at=late, due_date=due)
    assert not rules.is_kept_on_time(status="open", kept_at=on_time, due_date=due)


def test_kept_on_time_rate_counts_decided_promises_only():
    today = date(2026, 5, 5)
    assert rules.counts_for_kept_on_time(status="open", due_date=date(2026, 5, 4), today=today)  # open, past due
    assert not rules.counts_for_kept_on_time(status="open", due_date=today, today=today)  # not late yet
    assert rules.counts_for_kept_on_time(status="nagekomen", due_date=today, today=today)
    assert not rules.counts_for_kept_on_time(status="nagekomen", due_date=date(2026, 5, 6), today=today)
