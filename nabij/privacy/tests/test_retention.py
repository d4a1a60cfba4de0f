"""Retention (issue 14): each kind is erased when its period in NABIJ_RETENTION has passed, the same way as an
erasure; a dry run counts and changes nothing; the daily task schedules itself once."""

from datetime import timedelta
from io import StringIO

from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

import pytest

from nabij.contacts.models import ContactMoment, Resident, Signal
from nabij.contacts.tests.factories import ContactMomentFactory, ResidentFactory, SignalFactory
from nabij.followup.models import Promise, Referral, ReferralStatusChange
from nabij.privacy.models import AuditEvent
from nabij.privacy.retention import retention_purge

pytestmark = pytest.mark.django_db

YEARS_3 = timedelta(days=3 * 365)


def _later(days: int):
    return timezone.now() + timedelta(days=days)


# Contacts and residents ------------------------------------------------------------------------------------


def test_an_old_contact_note_is_blanked_and_its_contact_kept(erasure_story):
    purged = retention_purge(now=_later(800))

    first = ContactMoment.objects.get(pk=erasure_story["first"].pk)
    assert first.note == "" and purged["contactmomenten"] >= 3
    assert first.buurt_id and first.topics.exists()


def test_a_note_inside_its_period_stays(erasure_story):
    retention_purge(now=_later(30))

    assert ContactMoment.objects.get(pk=erasure_story["first"].pk).note == "Praat over haar buurman"


def test_a_dry_run_counts_and_changes_nothing(erasure_story):
    counts = retention_purge(now=_later(800), dry_run=True)

    assert counts["contactmomenten"] == 3 and counts["bewoners"] == 1
    assert ContactMoment.objects.get(pk=erasure_story["first"].pk).note
    assert Resident.objects.filter(pk=erasure_story["resident"].pk).exists()
    assert not AuditEvent.objects.filter(object_type="retention").exists()


def test_a_resident_24_months_after_the_last_contact_goes_with_everything_linked(erasure_story):
    counts = retention_purge(now=_later(800))

    assert counts["bewoners"] == 1
    assert not Resident.objects.filter(pk=erasure_story["resident"].pk).exists()
    assert Promise.objects.get(pk=erasure_story["promise"].pk).description == ""
    assert Referral.objects.get(pk=erasure_story["referral"].pk).question == ""
    event = AuditEvent.objects.get(object_type="retention")
    assert event.detail["gewist"]["bewoners"] == 1 and event.actor is None


def test_a_resident_with_a_recent_contact_stays(erasure_story, town):
    ContactMomentFactory(
        buurt=town.buurt_a, worker=erasure_story["worker"], resident=erasure_story["resident"], occurred_at=_later(700)
    )

    retention_purge(now=_later(800))

    assert Resident.objects.filter(pk=erasure_story["resident"].pk).exists()


def test_an_old_observation_loses_note_place_and_reporter(town):
    signal = SignalFactory(buurt=town.buurt_a, latitude="52.1", longitude="5.1")

    retention_purge(now=_later(800))

    signal = Signal.objects.get(pk=signal.pk)
    assert (signal.note, signal.latitude, signal.worker_id) == ("", None, None) and signal.topic_id


# Promises and referrals ------------------------------------------------------------------------------------


def test_promise_texts_go_24_months_after_closing_and_open_ones_stay(erasure_story):
    promise = erasure_story["promise"]
    Promise.objects.filter(pk=promise.pk).update(status="nagekomen", closed_at=timezone.now(), kept_note="Gebeld")
    other = ResidentFactory(buurt=promise.buurt, created_by=erasure_story["worker"])
    ContactMomentFactory(buurt=promise.buurt, worker=erasure_story["worker"], resident=other, occurred_at=_later(790))
    open_one = Promise.objects.create(
        description="Nog open",
        buurt=promise.buurt,
        owner=promise.owner,
        due_date=promise.due_date,
        organisation=promise.organisation,
        resident=other,
    )

    retention_purge(now=_later(740))

    kept = Promise.objects.get(pk=promise.pk)
    assert (kept.description, kept.kept_note) == ("", "") and kept.status == "nagekomen"
    assert Promise.objects.get(pk=open_one.pk).description == "Nog open"


def test_referral_texts_go_24_months_after_the_outcome(erasure_story):
    referral = erasure_story["referral"]
    Referral.objects.filter(pk=referral.pk).update(status="geholpen", heard_back_at=timezone.now())
    ReferralStatusChange.objects.filter(referral=referral).update(at=timezone.now())

    counts = retention_purge(now=_later(740), dry_run=True)
    assert counts["doorverwijzingen"] == 1 and counts["terugmeldingen"] == 1

    retention_purge(now=_later(740))
    assert Referral.objects.get(pk=referral.pk).question == ""
    assert ReferralStatusChange.objects.get(referral=referral).note == ""


# Surveys and participation ----------------------------------------------------------------------------------


@pytest.fixture
def answered_survey(town, erasure_story):
    from nabij.surveys.models import Answer, Response
    from nabij.surveys.tests.factories import CollectorFactory, SurveyFactory, add_question

    survey = SurveyFactory(owner=erasure_story["worker"], buurten=[town.buurt_a])
    question = add_question(survey, kind="lang", text="Wat mist u?", options=())
    collector = CollectorFactory(survey=survey, label="Buurvrouw Els")
    response = Response.objects.create(
        survey=survey,
        survey_version=1,
        channel="verzamelaar",
        collector=collector,
        buurt=town.buurt_a,
        idempotency_key="r1",
        submitted_at=timezone.now(),
        organisation=survey.organisation,
    )
    answer = Answer.objects.create(
        response=response, question=question, text="Een bankje", organisation=survey.organisation
    )
    return survey, answer, collector


def test_open_answers_and_collectors_go_12_months_after_the_survey_closed(answered_survey):
    from nabij.surveys.models import Answer, Collector, Survey

    survey, answer, collector = answered_survey
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED, updated_at=timezone.now())

    assert retention_purge(now=_later(300))["antwoorden"] == 0
    counts = retention_purge(now=_later(370))

    assert counts["antwoorden"] == 1 and counts["verzamelaars"] == 1
    assert Answer.objects.get(pk=answer.pk).text == ""
    assert Collector.objects.get(pk=collector.pk).label == ""


def test_answers_of_an_open_survey_stay(answered_survey):
    from nabij.surveys.models import Answer

    _survey, answer, _collector = answered_survey
    retention_purge(now=_later(3000))

    assert Answer.objects.get(pk=answer.pk).text == "Een bankje"


def test_project_e_mail_addresses_go_when_the_project_ends_and_texts_24_months_later():
    from nabij.participation.models import Input, Project
    from nabij.participation.tests.factories import InputFactory

    ended = InputFactory(email="een@voorbeeld.nl", text="Meer groen")
    running = InputFactory(email="twee@voorbeeld.nl")
    Project.objects.filter(pk=ended.project_id).update(status=Project.Status.AFGEROND, ended_at=timezone.now())

    assert retention_purge(now=_later(1))["projectmail"] == 1
    assert Input.objects.get(pk=ended.pk).email == "" and Input.objects.get(pk=ended.pk).text == "Meer groen"
    assert Input.objects.get(pk=running.pk).email == "twee@voorbeeld.nl"

    retention_purge(now=_later(740))
    assert Input.objects.get(pk=ended.pk).text == ""


# Sessions, task results, audit -----------------------------------------------------------------------------


def test_expired_sessions_go_and_live_ones_stay():
    Session.objects.create(session_key="a" * 32, session_data="x", expire_date=timezone.now() - timedelta(hours=1))
    Session.objects.create(session_key="b" * 32, session_data="x", expire_date=timezone.now() + timedelta(hours=1))

    assert retention_purge()["sessies"] == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]


def test_finished_task_results_go_after_30_days_and_waiting_ones_stay():
    from django_tasks_db.models import DBTaskResult

    def row(status, finished_days_ago):
        finished = None if finished_days_ago is None else timezone.now() - timedelta(days=finished_days_ago)
        return DBTaskResult.objects.create(
            task_path="nabij.x.t",
            backend_name="default",
            args_kwargs={},
            run_after=timezone.now(),
            status=status,
            finished_at=finished,
        )

    old, recent, waiting = row("SUCCESSFUL", 31), row("FAILED", 2), row("READY", None)

    assert retention_purge()["taakresultaten"] == 1
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert old.pk not in set(DBTaskResult.objects.values_list("pk", flat=True))


def test_audit_events_older_than_5_years_go_only_through_the_audit_chain_purge():
    """The audit table refuses deletes; the purge goes through the chain's one controlled function and leaves a
    chain that still verifies."""
    from nabij.privacy.audit_chain import audit_verify
    from nabij.privacy.services import audit_record

    audit_record(actor=None, action="view", object_type="x")
    assert retention_purge(now=_later(30), dry_run=True)["audit"] == 0
    assert retention_purge(now=_later(1900), dry_run=True)["audit"] >= 1
    assert AuditEvent.objects.filter(object_type="x").exists()  # a dry run erases nothing

    assert retention_purge(now=_later(1900))["audit"] >= 1
    assert not AuditEvent.objects.filter(object_type="x").exists()
    assert audit_verify().ok


# The command and the daily task ----------------------------------------------------------------------------


def test_the_command_prints_in_dutch_what_it_erased_per_kind(erasure_story, monkeypatch):
    from nabij.privacy import retention

    later = _later(800)
    monkeypatch.setattr(retention.timezone, "now", lambda: later)
    out = StringIO()
    call_command("retention_purge", stdout=out)

    text = out.getvalue()
    assert "Gewist:" in text and "Contactmomenten: 3" in text and "Bewoner: 1" in text
    assert not Resident.objects.filter(pk=erasure_story["resident"].pk).exists()


def test_the_command_dry_run_says_what_it_would_erase(erasure_story, monkeypatch):
    from nabij.privacy import retention

    later = _later(800)
    monkeypatch.setattr(retention.timezone, "now", lambda: later)
    out = StringIO()
    call_command("retention_purge", "--dry-run", stdout=out)

    assert "Zou wissen" in out.getvalue() and "Bewoner: 1" in out.getvalue()
    assert Resident.objects.filter(pk=erasure_story["resident"].pk).exists()


def test_the_daily_purge_schedules_itself_once(settings):
    from django_tasks_db.models import DBTaskResult

    from nabij.privacy.scheduling import RETENTION_TASK_PATH, retention_schedule_ensure

    assert retention_schedule_ensure() is False  # the immediate backend of the tests cannot defer
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert retention_schedule_ensure() is True
    assert retention_schedule_ensure() is False
    waiting = DBTaskResult.objects.filter(task_path=RETENTION_TASK_PATH, status="READY")
    assert waiting.count() == 1 and waiting.get().run_after > timezone.now()


def test_the_next_run_is_tonight_before_the_hour_and_tomorrow_after(settings):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from nabij.privacy.scheduling import next_retention_run

    settings.NABIJ_RETENTION_HOUR = 3
    amsterdam = ZoneInfo("Europe/Amsterdam")
    before = datetime(2026, 3, 10, 2, 0, tzinfo=amsterdam)
    after = datetime(2026, 3, 10, 4, 0, tzinfo=amsterdam)

    assert timezone.localtime(next_retention_run(before)).date().day == 10
    assert timezone.localtime(next_retention_run(after)).date().day == 11
    assert timezone.localtime(next_retention_run(after)).hour == 3
