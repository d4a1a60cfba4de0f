"""The canary proof of erasure and retention (issue 14): a word written into every personal field of every
registered kind is found nowhere — not in a full database dump, the task table or the logs — once the resident is
erased, or once every period has passed."""

import logging
from datetime import timedelta

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import connection
from django.utils import timezone

import pytest

from nabij.privacy.erasure import resident_erase
from nabij.privacy.registry import kind, kinds, resident_kinds
from nabij.privacy.retention import retention_purge
from nabij.privacy.tests.dump import database_dump

pytestmark = pytest.mark.django_db

CANARY = "kanariepiet"


def _canary_for(field_name: str, n: int) -> str:
    return f"{CANARY}{n}@voorbeeld.nl" if field_name == "email" else f"{CANARY} {n} zegt iets"


def _write_canary(qs, kind_fields) -> int:
    """Write the canary into every personal field of these rows (one UPDATE per row, distinct values)."""
    written = 0
    for n, pk in enumerate(qs.values_list("pk", flat=True)):
        qs.model._default_manager.filter(pk=pk).update(**{f: _canary_for(f, n) for f in kind_fields})
        written += 1
    return written


def _task_row_with(text: str):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.create(
        task_path="nabij.contacts.tasks.x",
        backend_name="default",
        status="FAILED",
        run_after=timezone.now(),
        finished_at=timezone.now(),
        args_kwargs={"args": [text], "kwargs": {}},
        traceback=f"ValueError: {text!r}",
    )


def _admin_log(user, objects):
    LogEntry.objects.log_actions(user_id=user.pk, queryset=objects, action_flag=CHANGE, change_message="[]")


def _assert_no_canary():
    assert CANARY not in database_dump().lower()


def test_an_erased_resident_is_in_no_dump_task_row_or_log(erasure_story, caplog):
    resident = erasure_story["resident"]
    written = {}
    for k in resident_kinds():
        if k.fields:
            written[k.key] = _write_canary(k.for_resident(resident), k.fields)
    missing = [key for key, count in written.items() if not count]
    assert not missing, f"the story has no record of {missing}: extend the erasure_story fixture"
    resident.refresh_from_db()
    _task_row_with(resident.label)
    _admin_log(erasure_story["coordinator"], [resident, erasure_story["promise"]])
    assert CANARY in database_dump().lower()  # the dump sees what the test wrote

    with caplog.at_level(logging.DEBUG):
        resident_erase(actor=erasure_story["worker"], resident=resident, reason="Verzoek van de bewoner")

    _assert_no_canary()
    assert CANARY not in caplog.text.lower()


@pytest.fixture
def everything(erasure_story, town):
    """One record of every registered kind, the surveys closed and the projects ended."""
    from nabij.assets.tests.factories import KeyFigureFactory
    from nabij.contacts.tests.factories import SignalFactory
    from nabij.followup.models import Promise, Referral
    from nabij.participation.models import Project, ReplyVersion
    from nabij.participation.tests.factories import ReplyFactory
    from nabij.surveys.models import Answer, Response, Survey
    from nabij.surveys.tests.factories import CollectorFactory, SurveyFactory, add_question

    worker = erasure_story["worker"]
    now = timezone.now()
    SignalFactory(buurt=town.buurt_a, worker=worker)
    KeyFigureFactory(buurt=town.buurt_a, consent_recorded_by=worker)
    survey = SurveyFactory(owner=worker, buurten=[town.buurt_a])
    question = add_question(survey, kind="lang", text="Wat mist u?", options=())
    collector = CollectorFactory(survey=survey)
    response = Response.objects.create(
        survey=survey,
        survey_version=1,
        channel="verzamelaar",
        collector=collector,
        buurt=town.buurt_a,
        idempotency_key="k1",
        submitted_at=now,
        organisation=survey.organisation,
    )
    Answer.objects.create(response=response, question=question, text="iets", organisation=survey.organisation)
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
    reply = ReplyFactory(organisation=erasure_story["welzijn"])
    reply.input.email = "iemand@voorbeeld.nl"
    reply.input.save()
    ReplyVersion.objects.create(reply=reply, text="eerder", written_at=now)
    Project.objects.filter(pk=reply.input.project_id).update(status=Project.Status.AFGEROND, ended_at=now)
    Promise.objects.filter(pk=erasure_story["promise"].pk).update(status="nagekomen", closed_at=now)
    Referral.objects.filter(pk=erasure_story["referral"].pk).update(status="geholpen", heard_back_at=now)
    return erasure_story


def test_after_every_period_nothing_personal_is_left(everything, caplog):
    for k in kinds():
        if k.fields:
            count = _write_canary(k.model_class._default_manager.all(), k.fields)
            assert count, f"no record of {k.key}: extend the `everything` fixture"
    _task_row_with(f"{CANARY} in een taak")
    _admin_log(everything["coordinator"], [everything["promise"]])
    assert CANARY in database_dump().lower()

    with caplog.at_level(logging.DEBUG):
        retention_purge(now=timezone.now() + timedelta(days=365 * 10))
    key_figures = kind("sleutelfiguren")  # kept while consent stands: removed when it is withdrawn
    key_figures.erase(key_figures.model_class.objects.all())

    _assert_no_canary()
    assert CANARY not in caplog.text.lower()


def test_sqlite_overwrites_deleted_content():
    """secure_delete: a deleted row's text is overwritten in the file, not left in a free page."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only; PostgreSQL's VACUUM reclaims dead rows and a dump never shows them")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1
