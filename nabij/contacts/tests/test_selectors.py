from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from nabij.contacts import selectors
from nabij.contacts.tests.factories import (
    ContactMomentFactory,
    RoundFactory,
    RoundPlanFactory,
    SignalFactory,
    UserFactory,
    topic,
)
from nabij.core import selectors as core_selectors
from nabij.core.exceptions import NotVisible
from nabij.core.models import Topic

pytestmark = pytest.mark.django_db


def test_list_leaves_out_buurten_outside_scope(worker, buurt, other_buurt):
    mine = ContactMomentFactory(buurt=buurt)
    ContactMomentFactory(buurt=other_buurt)
    assert list(selectors.contact_moment_list(user=worker)) == [mine]


def test_analist_sees_no_contact_moments(analist, buurt):
    ContactMomentFactory(buurt=buurt)
    assert not selectors.contact_moment_list(user=analist).exists()


def test_list_filters_on_topic(worker, buurt):
    lonely = ContactMomentFactory(buurt=buurt, topics=[topic("eenzaamheid")])
    ContactMomentFactory(buurt=buurt, topics=[topic("taal")])
    assert list(selectors.contact_moment_list(user=worker, topic="eenzaamheid")) == [lonely]


def test_list_filters_on_period(worker, buurt):
    ContactMomentFactory(buurt=buurt, occurred_at=timezone.now() - timedelta(days=40))
    recent = ContactMomentFactory(buurt=buurt)
    since = timezone.localdate() - timedelta(days=7)
    assert list(selectors.contact_moment_list(user=worker, date_from=since)) == [recent]


def test_timeline_mixes_contacts_and_observations_newest_first(worker, buurt):
    now = timezone.now()
    old = ContactMomentFactory(buurt=buurt, occurred_at=now - timedelta(hours=2))
    signal = SignalFactory(buurt=buurt, occurred_at=now - timedelta(hours=1))
    new = ContactMomentFactory(buurt=buurt, occurred_at=now)
    page = selectors.buurt_timeline(user=worker, buurt=buurt)
    assert [(e.kind, (e.contact or e.signal)["id"]) for e in page.entries] == [
        ("contact", new.pk),
        ("signal", signal.pk),
        ("contact", old.pk),
    ]


def test_timeline_channel_filter_leaves_out_observations(worker, buurt):
    ContactMomentFactory(buurt=buurt, channel="telefoon")
    SignalFactory(buurt=buurt)
    page = selectors.buurt_timeline(user=worker, buurt=buurt, channel="telefoon")
    assert [e.kind for e in page.entries] == ["contact"]


def test_timeline_filters_on_worker(worker, buurt):
    colleague = UserFactory(buurten=[buurt])
    ContactMomentFactory(buurt=buurt, worker=colleague)
    mine = ContactMomentFactory(buurt=buurt, worker=worker)
    page = selectors.buurt_timeline(user=worker, buurt=buurt, worker_id=worker.pk)
    assert [e.contact["id"] for e in page.entries] == [mine.pk]


def test_timeline_filters_on_topic_in_contacts_and_observations(worker, buurt):
    lonely = ContactMomentFactory(buurt=buurt, topics=[topic("eenzaamheid"), topic("taal")])
    ContactMomentFactory(buurt=buurt, topics=[topic("taal")])
    signal = SignalFactory(buurt=buurt, topic=topic("eenzaamheid"))
    SignalFactory(buurt=buurt, topic=topic("jeugd"))
    page = selectors.buurt_timeline(user=worker, buurt=buurt, topic="eenzaamheid")
    assert {(e.kind, (e.contact or e.signal)["id"]) for e in page.entries} == {
        ("contact", lonely.pk),
        ("signal", signal.pk),
    }
    assert selectors.buurt_timeline(user=worker, buurt=buurt, topic="bestaat-niet").entries == []


def test_timeline_period_counts_whole_local_days(worker, buurt):
    day = timezone.localdate() - timedelta(days=3)
    start = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))
    ContactMomentFactory(buurt=buurt, occurred_at=start - timedelta(minutes=1))  # the evening before
    first = ContactMomentFactory(buurt=buurt, occurred_at=start)  # local midnight
    last = SignalFactory(buurt=buurt, occurred_at=start + timedelta(hours=23, minutes=59))
    ContactMomentFactory(buurt=buurt, occurred_at=start + timedelta(days=1))  # the next day
    page = selectors.buurt_timeline(user=worker, buurt=buurt, date_from=day, date_to=day)
    assert [(e.contact or e.signal)["id"] for e in page.entries] == [last.pk, first.pk]


def test_timeline_paginates(worker, buurt):
    for _ in range(7):
        ContactMomentFactory(buurt=buurt)
    page = selectors.buurt_timeline(user=worker, buurt=buurt, page=2, page_size=5)
    assert page.total == 7 and len(page.entries) == 2 and page.num_pages == 2


@pytest.mark.parametrize("size", [5, 50])
def test_timeline_query_count_does_not_grow_with_page_size(worker, buurt, size):
    for _ in range(size):
        ContactMomentFactory(buurt=buurt, topics=[topic("taal"), topic("jeugd")])
        SignalFactory(buurt=buurt)
    worker = type(worker).objects.get(pk=worker.pk)
    core_selectors.topic_catalogue()  # the per-process topic list, filled once
    with CaptureQueriesContext(connection) as ctx:
        page = selectors.buurt_timeline(user=worker, buurt=buurt, page_size=size * 2)
    # Scope, the organisation and its agreements (once per request; a page reads the organisation for its header
    # anyway, and the agreements are cached under its sharing version), total, keys, contacts, their topics,
    # observations, the workers for the filter and the audit event (three statements: lock the chain head, insert,
    # move the head; decision 0022): the same whatever the page size.
    assert len(ctx.captured_queries) == 13
    pytest.timeline_selector_queries = getattr(pytest, "timeline_selector_queries", set()) | {len(ctx.captured_queries)}
    assert len(pytest.timeline_selector_queries) == 1
    contacts = [e.contact for e in page.entries if e.contact]
    assert len(page.entries) == size * 2 and {t.slug for t in contacts[0]["topics"]} == {"taal", "jeugd"}


def test_default_buurt_is_the_rounds_buurt(worker, buurt):
    round_ = RoundFactory(worker=worker, buurten=[buurt])
    assert selectors.default_buurt_for(user=worker, round_=round_) == buurt.code


def test_default_buurt_is_the_last_one_used(worker, buurt):
    ContactMomentFactory(buurt=buurt, worker=worker)
    assert selectors.default_buurt_for(user=worker) == buurt.code


def test_round_overview_counts_walked_plans_per_week(coordinator, buurt):
    plan = RoundPlanFactory(buurten=[buurt])
    RoundFactory(plan=plan, buurten=[buurt])
    weeks, rows = selectors.round_overview(user=coordinator, weeks=4)
    assert len(weeks) == 4
    assert rows[0].plan == plan and rows[0].walked == [0, 0, 0, 1]


def test_round_of_another_worker_outside_scope_is_not_visible(worker, other_buurt):
    round_ = RoundFactory(buurten=[other_buurt])
    with pytest.raises(NotVisible):
        selectors.round_get(user=worker, pk=round_.pk)


def test_saving_a_topic_refreshes_the_cached_list():
    assert "nieuw-onderwerp" not in {t.slug for t in core_selectors.topic_catalogue()}
    Topic.objects.create(slug="nieuw-onderwerp", label="Nieuw")
    assert "nieuw-onderwerp" in {t.slug for t in core_selectors.active_topics()}
