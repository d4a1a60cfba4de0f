"""Incremental counts (announced events → debounced task) agree with a full rebuild, for any history of writes to
any source: contact moments, observations, referrals, topic-tagged survey answers and project inputs.

The generated history writes rows directly and announces each write as its service does (nabij.core.events);
that each service announces its event is tested in test_events.py."""

from datetime import timedelta

from django.utils import timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nabij.contacts.models import ContactMoment, Signal
from nabij.contacts.tests.factories import BuurtFactory, ResidentFactory, UserFactory, WijkFactory
from nabij.core import events
from nabij.core.models import Topic
from nabij.followup.models import Referral
from nabij.followup.tests.factories import ReferralFactory
from nabij.participation.models import Input
from nabij.participation.tests.factories import InputFactory, ProjectFactory
from nabij.surveys.models import Answer, Question, Response
from nabij.surveys.tests.factories import SurveyFactory
from nabij.themes.models import ThemeCount, ThemeRefreshPending
from nabij.themes.services import counts_rebuild, counts_refresh, refresh_request
from nabij.themes.sources import week_of

SLUGS = ["eenzaamheid", "energie-geldzaken", "taal"]


def _table():
    return sorted(ThemeCount.objects.values_list("source", "buurt_id", "topic_id", "week", "count"))


ops = st.lists(
    st.one_of(
        st.tuples(
            st.just("add"),
            st.integers(0, 1),  # buurt
            st.lists(st.sampled_from(SLUGS), max_size=2, unique=True),
            st.integers(0, 60),  # days ago
            st.booleans(),  # with resident
        ),
        st.tuples(st.just("delete"), st.integers(0, 30)),
        st.tuples(st.just("move"), st.integers(0, 30), st.integers(0, 60)),
        st.tuples(st.just("retopic"), st.integers(0, 30), st.sampled_from(SLUGS)),
        st.tuples(st.just("signal"), st.integers(0, 1), st.sampled_from(SLUGS), st.integers(0, 60)),
        st.tuples(st.just("referral"), st.integers(0, 1), st.sampled_from(SLUGS), st.integers(0, 60), st.booleans()),
        st.tuples(st.just("referral_move"), st.integers(0, 30), st.integers(0, 1), st.integers(0, 60)),
        st.tuples(
            st.just("answer"),
            st.integers(0, 1),
            st.lists(st.sampled_from(SLUGS), max_size=2, unique=True),
            st.integers(0, 60),
        ),
        st.tuples(st.just("retag"), st.integers(0, 30), st.lists(st.sampled_from(SLUGS), max_size=2, unique=True)),
        st.tuples(st.just("input"), st.integers(0, 1), st.integers(0, 60), st.booleans()),
        st.tuples(st.just("project_buurten"), st.integers(0, 1), st.sets(st.integers(0, 1), min_size=1)),
        st.tuples(st.just("project_topics"), st.integers(0, 1), st.lists(st.sampled_from(SLUGS), max_size=2)),
    ),
    max_size=12,
)


@pytest.fixture
def world(db):
    wijk = WijkFactory()
    buurten = [BuurtFactory(wijk=wijk, gemeente=wijk.gemeente) for _ in range(2)]
    residents = [ResidentFactory(buurt=b) for b in buurten]
    survey = SurveyFactory(buurten=buurten)
    question = Question.objects.create(
        survey=survey, section=survey.sections.get(), key="wens", kind=Question.Kind.LONG_TEXT, text="Wat mist u?"
    )
    projects = [ProjectFactory(published=True, buurten=[b]) for b in buurten]
    return {
        "buurten": buurten,
        "residents": residents,
        "worker": UserFactory(),
        "survey": survey,
        "question": question,
        "projects": projects,
    }


def _backdate(obj, field: str, when) -> None:
    """Set an auto_now_add moment (no service moves one; the generated history does, to cover every week)."""
    setattr(obj, field, when)
    obj.save()


def _moved(event, obj, field: str, old) -> None:
    """Announce a corrected record as the correction service does: its new and its old place."""
    names = ("buurt_code", field, "old_buurt_code", f"old_{field}")
    event.announce(**dict(zip(names, (obj.buurt_id, getattr(obj, field), *old), strict=True)))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=ops)
def test_incremental_counts_equal_a_rebuild(world, django_capture_on_commit_callbacks, history):
    Referral.objects.all().delete()
    ContactMoment.objects.all().delete()
    Signal.objects.all().delete()
    Response.objects.all().delete()
    Input.objects.all().delete()
    for b, project in enumerate(world["projects"]):
        project.buurten.set([world["buurten"][b]])
        project.topics.set([])
    ThemeCount.objects.all().delete()
    topics = {t.slug: t for t in Topic.objects.filter(slug__in=SLUGS)}
    now = timezone.now()
    for op in history:
        with django_capture_on_commit_callbacks(execute=True):
            _apply(op, world, topics, now)
    incremental = _table()
    counts_rebuild()
    assert incremental == _table()
    assert not ThemeRefreshPending.objects.exists()


def _apply(op, world, topics, now) -> None:
    """Carry out one generated write (one branch per kind of write)."""
    moments = list(ContactMoment.objects.order_by("pk"))
    if op[0] == "add":
        _, b, slugs, days, with_resident = op
        moment = ContactMoment.objects.create(
            buurt=world["buurten"][b],
            occurred_at=now - timedelta(days=days),
            channel="straat",
            worker=world["worker"],
            resident=world["residents"][b] if with_resident else None,
        )
        moment.topics.set([topics[s] for s in slugs])
        events.contact_recorded.announce(buurt_code=moment.buurt_id, occurred_at=moment.occurred_at)
    elif op[0] == "delete" and moments:
        moment = moments[op[1] % len(moments)]
        moment.delete()
        events.contact_removed.announce(buurt_code=moment.buurt_id, occurred_at=moment.occurred_at)
    elif op[0] == "move" and moments:
        moment = moments[op[1] % len(moments)]
        old = (moment.buurt_id, moment.occurred_at)
        moment.occurred_at = now - timedelta(days=op[2])
        moment.save()
        _moved(events.contact_corrected, moment, "occurred_at", old)
    elif op[0] == "retopic" and moments:
        moment = moments[op[1] % len(moments)]
        moment.topics.set([topics[op[2]]])
        _moved(events.contact_corrected, moment, "occurred_at", (moment.buurt_id, moment.occurred_at))
    elif op[0] == "signal":
        _, b, slug, days = op
        signal = Signal.objects.create(
            buurt=world["buurten"][b], topic=topics[slug], occurred_at=now - timedelta(days=days)
        )
        events.signal_recorded.announce(buurt_code=signal.buurt_id, occurred_at=signal.occurred_at)
    elif op[0] == "referral":
        _, b, slug, days, with_resident = op
        referral = ReferralFactory(
            buurt=world["buurten"][b],
            topic=topics[slug],
            worker=world["worker"],
            resident=world["residents"][b] if with_resident else None,
            contact_moment=moments[-1] if moments and not with_resident else None,
        )
        _backdate(referral, "created_at", now - timedelta(days=days))
        events.referral_made.announce(
            buurt_code=referral.buurt_id, created_at=referral.created_at, old_buurt_code=None, old_created_at=None
        )
    elif op[0] == "referral_move":
        referrals = list(Referral.objects.order_by("pk"))
        if referrals:
            referral = referrals[op[1] % len(referrals)]
            old = (referral.buurt_id, referral.created_at)
            referral.buurt = world["buurten"][op[2]]
            _backdate(referral, "created_at", now - timedelta(days=op[3]))
            _moved(events.referral_made, referral, "created_at", old)
    elif op[0] == "answer":
        _, b, slugs, days = op
        response = Response.objects.create(
            survey=world["survey"],
            survey_version=1,
            channel=Response.Channel.ONLINE,
            buurt=world["buurten"][b],
            idempotency_key=f"k{Response.objects.count()}-{days}-{b}-{now.timestamp()}",
            submitted_at=now - timedelta(days=days),
        )
        answer = Answer.objects.create(response=response, question=world["question"], text="Een bankje.")
        answer.topics.set([topics[s] for s in slugs])
        events.answer_tagged.announce(buurt_code=response.buurt_id, submitted_at=response.submitted_at)
    elif op[0] == "retag":
        answers = list(Answer.objects.select_related("response").order_by("pk"))
        if answers:
            answer = answers[op[1] % len(answers)]
            answer.topics.set([topics[s] for s in op[2]])
            events.answer_tagged.announce(
                buurt_code=answer.response.buurt_id, submitted_at=answer.response.submitted_at
            )
    elif op[0] == "input":
        _, p, days, reaction = op
        item = InputFactory(project=world["projects"][p], kind=Input.Kind.REACTIE if reaction else Input.Kind.IDEE)
        _backdate(item, "created_at", now - timedelta(days=days))
        events.input_received.announce(project_id=item.project_id, created_at=item.created_at)
    elif op[0] == "project_buurten":
        project = world["projects"][op[1]]
        old = sorted(project.buurten.values_list("code", flat=True))
        project.buurten.set([world["buurten"][b] for b in sorted(op[2])])
        events.project_scope_changed.announce(project_id=project.pk, old_buurt_codes=old)
    elif op[0] == "project_topics":
        project = world["projects"][op[1]]
        project.topics.set([topics[s] for s in op[2]])
        events.project_scope_changed.announce(project_id=project.pk, old_buurt_codes=[])


def test_refresh_twice_changes_nothing(world):
    buurt = world["buurten"][0]
    moment = ContactMoment.objects.create(
        buurt=buurt, occurred_at=timezone.now(), channel="straat", worker=world["worker"]
    )
    moment.topics.set([Topic.objects.get(slug="taal")])
    counts_refresh(buurt_code=buurt.code, week=week_of(moment.occurred_at))
    once = _table()
    counts_refresh(buurt_code=buurt.code, week=week_of(moment.occurred_at))
    assert _table() == once == [("contacts", buurt.code, moment.topics.get().pk, week_of(moment.occurred_at), 1)]


def test_a_queued_refresh_is_not_queued_twice(world, monkeypatch):
    calls = []

    class FakeTask:
        def enqueue(self, *args):
            calls.append(args)

    monkeypatch.setattr("nabij.themes.tasks.refresh_counts_task", FakeTask())
    buurt = world["buurten"][0]
    today = timezone.localdate()
    assert refresh_request(buurt_code=buurt.code, week=today) is True
    assert refresh_request(buurt_code=buurt.code, week=today) is False
    assert len(calls) == 1


def test_a_refresh_that_could_not_be_queued_is_retried_by_the_next_request(world, monkeypatch):
    class BrokenQueue:
        def enqueue(self, *args):
            raise ConnectionError("queue down")

    monkeypatch.setattr("nabij.themes.tasks.refresh_counts_task", BrokenQueue())
    buurt = world["buurten"][0]
    today = timezone.localdate()
    with pytest.raises(ConnectionError):
        refresh_request(buurt_code=buurt.code, week=today)
    assert not ThemeRefreshPending.objects.exists()  # no marker left that would block later refreshes
    calls = []
    monkeypatch.setattr(
        "nabij.themes.tasks.refresh_counts_task", type("Q", (), {"enqueue": lambda s, *a: calls.append(a)})()
    )
    assert refresh_request(buurt_code=buurt.code, week=today) is True
    assert len(calls) == 1


def test_resident_with_two_contacts_in_a_week_counts_once(world):
    buurt, resident = world["buurten"][0], world["residents"][0]
    topic = Topic.objects.get(slug="taal")
    for _ in range(2):
        m = ContactMoment.objects.create(
            buurt=buurt, occurred_at=timezone.now(), channel="straat", worker=world["worker"], resident=resident
        )
        m.topics.set([topic])
    counts_rebuild()
    assert ThemeCount.objects.get().count == 1


def _slug_counts(source: str) -> dict[tuple[str, str], int]:
    rows = ThemeCount.objects.filter(source=source).values_list("buurt_id", "topic__slug", "count")
    return {(b, slug): n for b, slug, n in rows}


def test_tagged_survey_answers_count_once_per_response(world):
    buurt = world["buurten"][0]
    response = Response.objects.create(
        survey=world["survey"],
        survey_version=1,
        channel=Response.Channel.ONLINE,
        buurt=buurt,
        idempotency_key="one",
        submitted_at=timezone.now(),
    )
    taal = Topic.objects.get(slug="taal")
    for text in ("Taalles voor ouders.", "Een taalcafé in de bieb."):
        Answer.objects.create(response=response, question=world["question"], text=text).topics.set([taal])
    counts_rebuild()
    assert _slug_counts("surveys") == {(buurt.code, "taal"): 1}


def test_inputs_count_in_a_single_buurt_project_by_its_topics(world):
    project = world["projects"][0]
    project.topics.set([Topic.objects.get(slug="eenzaamheid")])
    InputFactory(project=project, kind=Input.Kind.IDEE)
    InputFactory(project=project, kind=Input.Kind.REACTIE)
    InputFactory(project=project, kind=Input.Kind.KEUZE, text="")
    counts_rebuild()
    assert _slug_counts("inputs") == {(world["buurten"][0].code, "eenzaamheid"): 2}


def test_inputs_of_a_project_over_several_buurten_are_not_counted(world):
    project = world["projects"][0]
    project.topics.set([Topic.objects.get(slug="eenzaamheid")])
    project.buurten.set(world["buurten"])
    InputFactory(project=project)
    counts_rebuild()
    assert _slug_counts("inputs") == {}


def test_referral_after_a_contact_is_the_same_person_as_the_contact(world):
    from nabij.themes.detection import distinct_count

    buurt = world["buurten"][0]
    taal = Topic.objects.get(slug="taal")
    moment = ContactMoment.objects.create(
        buurt=buurt, occurred_at=timezone.now(), channel="straat", worker=world["worker"]
    )
    moment.topics.set([taal])
    ReferralFactory(buurt=buurt, topic=taal, worker=world["worker"], contact_moment=moment)
    ReferralFactory(buurt=buurt, topic=taal, worker=world["worker"], resident=world["residents"][0])
    counts_rebuild()
    week = week_of(timezone.now())
    assert _slug_counts("referrals") == {(buurt.code, "taal"): 2}
    assert distinct_count(buurt_codes=[buurt.code], topic_id=taal.pk, since=week, until=week + timedelta(weeks=1)) == 2


def test_a_contact_logged_through_the_service_is_counted_after_commit(world, django_capture_on_commit_callbacks):
    """The service announces `contact_recorded`; the themes subscriber recounts the buurt-week."""
    from nabij.contacts.services import contact_moment_create
    from nabij.contacts.tests.factories import UserFactory as ScopedUserFactory

    buurt = world["buurten"][0]
    worker = ScopedUserFactory(buurten=[buurt])
    with django_capture_on_commit_callbacks(execute=True):
        contact_moment_create(user=worker, buurt=buurt.code, channel="straat", topics=["taal"], note="")
    assert ThemeCount.objects.filter(buurt=buurt, topic__slug="taal", source="contacts", count=1).exists()


@pytest.mark.django_db(transaction=True)
def test_a_write_stays_saved_and_succeeds_when_its_recount_cannot_be_queued(monkeypatch, caplog):
    """SQLite under concurrency may refuse the marker ("database is locked"): the contact is committed by then, so
    the worker must not see an error."""
    from django.db import OperationalError

    from nabij.contacts.services import contact_moment_create
    from nabij.contacts.tests.factories import BuurtFactory
    from nabij.contacts.tests.factories import UserFactory as ScopedUserFactory
    from nabij.core.selectors import topic_cache_clear
    from nabij.core.services import topic_seed_standard

    topic_seed_standard()  # a transactional test may follow one that emptied the tables
    topic_cache_clear()

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("nabij.themes.services.refresh_request", locked)
    buurt = BuurtFactory()
    worker = ScopedUserFactory(buurten=[buurt])
    moment = contact_moment_create(user=worker, buurt=buurt.code, channel="straat", topics=["taal"], note="")
    assert ContactMoment.objects.filter(pk=moment.pk).exists()
    assert "database is locked" in caplog.text
