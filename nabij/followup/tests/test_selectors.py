from datetime import timedelta

from django.utils import timezone

import pytest

from nabij.followup import rules, selectors
from nabij.followup.tests.factories import BuurtFactory, PromiseFactory, ReferralFactory, UserFactory
from nabij.privacy.smallcells import SUPPRESSED

pytestmark = pytest.mark.django_db


def test_my_promises_are_ordered_overdue_today_this_week_later(worker, buurt):
    today = rules.local_today()
    later = PromiseFactory(owner=worker, buurt=buurt, due_date=today + timedelta(days=30))
    due_today = PromiseFactory(owner=worker, buurt=buurt, due_date=today)
    overdue = PromiseFactory(owner=worker, buurt=buurt, overdue=True)
    data = selectors.my_followup(user=worker, today=today)
    assert data.overdue == [overdue]
    assert data.due_today == [due_today]
    assert data.later == [later]


def test_kept_promises_are_not_in_my_list(worker, buurt):
    PromiseFactory(owner=worker, buurt=buurt, status="nagekomen")
    assert selectors.my_followup(user=worker).is_empty


def test_overdue_navragen_shows_beside_promises(worker, buurt):
    referral = ReferralFactory(worker=worker, buurt=buurt, overdue=True)
    ReferralFactory(worker=worker, buurt=buurt)  # not due yet
    assert selectors.my_followup(user=worker).referrals_overdue == [referral]


def test_badge_counts_overdue_and_today_promises_and_referrals_to_check(worker, buurt):
    PromiseFactory(owner=worker, buurt=buurt, overdue=True)
    PromiseFactory(owner=worker, buurt=buurt)
    PromiseFactory(owner=worker, buurt=buurt, due_date=rules.local_today() + timedelta(days=3))
    ReferralFactory(worker=worker, buurt=buurt, overdue=True)
    assert selectors.badge_count(user=worker) == 3
    assert selectors.digest_items_for(user=worker, today=rules.local_today()).count == 3


def test_promise_list_is_limited_to_own_organisation_in_scope_and_own(worker, colleague, buurt, other_buurt):
    mine_elsewhere = PromiseFactory(owner=worker, buurt=other_buurt)
    in_scope = PromiseFactory(owner=colleague, buurt=buurt)
    PromiseFactory(buurt=buurt)  # another organisation's, in the same buurt
    PromiseFactory(owner=colleague, buurt=other_buurt)
    assert set(selectors.promise_list(user=worker)) == {mine_elsewhere, in_scope}


def test_analist_sees_no_promises(analist, buurt):
    PromiseFactory(buurt=buurt)
    assert not selectors.promise_list(user=analist).exists()


def test_api_status_te_laat_means_open_and_past_due(worker, buurt):
    late = PromiseFactory(owner=worker, buurt=buurt, overdue=True)
    PromiseFactory(owner=worker, buurt=buurt, overdue=True, status="nagekomen")
    PromiseFactory(owner=worker, buurt=buurt)
    assert list(selectors.promise_list(user=worker, status="te-laat")) == [late]


def test_kept_on_time_rate_per_month_has_its_denominator(worker, buurt):
    today = rules.local_today()
    due = today - timedelta(days=1)
    on_time = timezone.now() - timedelta(days=2)
    PromiseFactory(owner=worker, buurt=buurt, due_date=due, status="nagekomen", kept_at=on_time)
    PromiseFactory(owner=worker, buurt=buurt, due_date=due)  # open past due: decided, not kept
    PromiseFactory(owner=worker, buurt=buurt, due_date=today + timedelta(days=5))  # not due: not counted
    months = selectors.kept_on_time_by_month(selectors.Promise.objects.all(), today=today, months=2)
    month = next(m for m in months if m.month == due.replace(day=1))
    assert (month.kept_on_time, month.denominator, month.rate) == (1, 2, 50.0)


def test_team_view_applies_small_cells_outside_the_coordinators_scope(coordinator, colleague, buurt):
    elsewhere = BuurtFactory()
    PromiseFactory.create_batch(3, owner=colleague, buurt=elsewhere, overdue=True)
    PromiseFactory.create_batch(2, owner=colleague, buurt=buurt)
    rows = {row.buurt: row for row in selectors.team_overview(user=coordinator).rows}
    assert (rows[buurt.name].open, rows[buurt.name].in_scope) == (2, True)
    assert rows[elsewhere.name].open == SUPPRESSED
    assert rows[elsewhere.name].overdue == SUPPRESSED


def test_team_view_is_empty_for_workers(worker, buurt):
    PromiseFactory(buurt=buurt)
    assert selectors.team_overview(user=worker).rows == []


def test_learning_dashboard_rates_per_worker(coordinator, worker, buurt):
    today = rules.local_today()
    PromiseFactory(
        owner=worker,
        buurt=buurt,
        due_date=today - timedelta(days=1),
        status="nagekomen",
        kept_at=timezone.now() - timedelta(days=3),
    )
    PromiseFactory(owner=worker, buurt=buurt, due_date=today - timedelta(days=1))
    ReferralFactory(worker=worker, buurt=buurt, status="geholpen", heard_back_at=timezone.now())
    ReferralFactory(worker=worker, buurt=buurt)
    learning = selectors.learning_dashboard(user=coordinator)
    row = next(r for r in learning.workers if r.label == worker.full_name)
    assert (row.kept_on_time, row.promises_decided, row.kept_on_time_rate) == (1, 2, 50.0)
    assert (row.heard_back_rate, row.helped_rate) == (50.0, 50.0)
    assert row.median_days_to_keep is not None


def test_digest_recipients_are_people_with_something_due(worker, colleague, buurt):
    PromiseFactory(owner=worker, buurt=buurt, overdue=True)
    PromiseFactory(owner=colleague, buurt=buurt, due_date=rules.local_today() + timedelta(days=2))
    UserFactory()
    assert list(selectors.digest_recipients(today=rules.local_today())) == [worker]
