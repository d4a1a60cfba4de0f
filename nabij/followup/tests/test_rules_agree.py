"""Property test: every follow-up date rule's predicate and its queryset filter agree (`nabij.followup.rules`).

Pages and the API ask the predicate (`promise.is_overdue`), lists, counts, the badge and the digest filter with the
`..._q` beside it; if the two drifted, a promise could be late on its own page and missing from the overdue list.
Over random "todays" (the DST days included), statuses, due and navragen dates around today and moments of keeping
around the Amsterdam midnight that ends the due date, the database returns exactly the rows the predicate accepts.
Each example writes its rows inside a savepoint that is rolled back.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from nabij.followup import rules
from nabij.followup.models import Promise, Referral
from nabij.followup.tests.factories import PromiseFactory, ReferralFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PROMISE_STATUSES = [
    rules.PromiseStatus.OPEN,
    rules.PromiseStatus.NAGEKOMEN,
    rules.PromiseStatus.NIET_GELUKT,
    rules.PromiseStatus.OVERGEDRAGEN,
]
REFERRAL_STATUSES = [
    rules.ReferralStatus.VERWEZEN,
    rules.ReferralStatus.CONTACT_GELEGD,
    rules.ReferralStatus.GEHOLPEN,
    rules.ReferralStatus.NIET_GEHOLPEN,
    rules.ReferralStatus.ONBEKEND,
]
DST_DAYS = [date(2026, 3, 29), date(2026, 10, 25), date(2027, 3, 28), date(2027, 10, 31)]

todays = st.one_of(
    st.sampled_from(DST_DAYS).flatmap(lambda d: st.integers(-2, 2).map(lambda n: d + timedelta(days=n))),
    st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)),
)
promises = st.lists(
    st.fixed_dictionaries(
        {
            "status": st.sampled_from(PROMISE_STATUSES),
            "due": st.integers(-10, 10),  # days from today
            # Minutes from the Amsterdam midnight that ends the due date; None: not kept.
            "kept": st.none() | st.integers(-48 * 60, 48 * 60),
        }
    ),
    max_size=12,
)
referrals = st.lists(
    st.fixed_dictionaries({"status": st.sampled_from(REFERRAL_STATUSES), "navragen": st.integers(-10, 10)}),
    max_size=8,
)


def _end_of_day_utc(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=AMSTERDAM).astimezone(UTC)


@pytest.fixture
def templates(worker, buurt):
    return PromiseFactory(owner=worker, buurt=buurt), ReferralFactory(worker=worker, buurt=buurt)


class _Rollback(Exception):
    pass


def _agree(qs, q, predicate) -> None:
    rows = list(qs)
    assert set(qs.filter(q).values_list("pk", flat=True)) == {row.pk for row in rows if predicate(row)}


def _check(today: date, promise_specs: list[dict], referral_specs: list[dict], templates) -> None:
    promise, referral = templates
    Promise.objects.all().delete()
    Referral.objects.all().delete()
    new = []
    for spec in promise_specs:
        due = today + timedelta(days=spec["due"])
        kept_at = None if spec["kept"] is None else _end_of_day_utc(due) + timedelta(minutes=spec["kept"])
        new.append(
            Promise(
                description="x",
                buurt_id=promise.buurt_id,
                owner_id=promise.owner_id,
                created_by_id=promise.owner_id,
                organisation_id=promise.organisation_id,
                status=spec["status"],
                due_date=due,
                kept_at=kept_at,
            )
        )
    Promise.objects.bulk_create(new)
    Referral.objects.bulk_create(
        Referral(
            provider_id=referral.provider_id,
            topic_id=referral.topic_id,
            buurt_id=referral.buurt_id,
            worker_id=referral.worker_id,
            organisation_id=referral.organisation_id,
            status=spec["status"],
            navragen_op=today + timedelta(days=spec["navragen"]),
        )
        for spec in referral_specs
    )
    p, r = Promise.objects.all(), Referral.objects.all()
    _agree(p, rules.overdue_q("due_date", today=today), lambda x: rules.is_overdue(x.due_date, today=today))
    _agree(p, rules.due_q("due_date", today=today), lambda x: rules.is_due(x.due_date, today=today))
    _agree(
        p,
        rules.promise_overdue_q(today=today),
        lambda x: rules.promise_is_overdue(status=x.status, due_date=x.due_date, today=today),
    )
    _agree(
        p,
        rules.promise_due_q(today=today),
        lambda x: rules.promise_is_due(status=x.status, due_date=x.due_date, today=today),
    )
    _agree(
        p,
        rules.kept_on_time_q(),
        lambda x: rules.is_kept_on_time(status=x.status, kept_at=x.kept_at, due_date=x.due_date),
    )
    _agree(
        p,
        rules.counts_for_kept_on_time_q(today=today),
        lambda x: rules.counts_for_kept_on_time(status=x.status, due_date=x.due_date, today=today),
    )
    _agree(
        r,
        rules.referral_overdue_q(today=today),
        lambda x: rules.referral_is_overdue(status=x.status, navragen_op=x.navragen_op, today=today),
    )
    _agree(
        r,
        rules.referral_due_q(today=today),
        lambda x: rules.referral_is_due(status=x.status, navragen_op=x.navragen_op, today=today),
    )


# Kept one minute before and one minute after midnight on the night the clocks went back, due that day.
_AROUND_MIDNIGHT = [{"status": "nagekomen", "due": 0, "kept": -1}, {"status": "nagekomen", "due": 0, "kept": 0}]
_EVERY_STATUS = [{"status": s, "due": d, "kept": None} for s in PROMISE_STATUSES for d in (-1, 0, 1)]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(today=todays, promise_specs=promises, referral_specs=referrals)
@example(today=date(2026, 10, 25), promise_specs=_AROUND_MIDNIGHT, referral_specs=[])
@example(
    today=date(2026, 11, 29),  # a Sunday
    promise_specs=_EVERY_STATUS,
    referral_specs=[{"status": s, "navragen": d} for s in REFERRAL_STATUSES for d in (-1, 0, 1)],
)
def test_each_date_rule_and_its_filter_agree(today, promise_specs, referral_specs, templates):
    try:
        with transaction.atomic():
            _check(today, promise_specs, referral_specs, templates)
            raise _Rollback
    except _Rollback:
        pass
