"""Erasure of a resident (AVG art. 17) through the registry: every linked text goes, what carries no personal
data stays, theme counts keep their history, only staff who may change the file may do it, and the audit keeps
that it happened without the content."""

import logging
from datetime import date

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

import pytest

from nabij.contacts.models import ContactMoment, ContactMomentTopic, Resident
from nabij.core.exceptions import NotVisible, PermissionRefused
from nabij.followup.models import Promise, PromiseHandover, Referral, ReferralStatusChange
from nabij.privacy.erasure import (
    GROUND,
    InvalidReason,
    erasure_preview,
    resident_consent_withdraw,
    resident_erase,
    task_rows_erase,
)
from nabij.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


def _erase(story, **kwargs):
    return resident_erase(actor=story["worker"], resident=story["resident"], reason="Verzoek van de bewoner", **kwargs)


def test_erasure_deletes_the_resident_and_their_label(erasure_story):
    _erase(erasure_story)

    assert not Resident.objects.filter(pk=erasure_story["resident"].pk).exists()


def test_erased_contacts_keep_buurt_topics_channel_and_week_only(erasure_story):
    _erase(erasure_story)

    first = ContactMoment.objects.get(pk=erasure_story["first"].pk)
    assert first.note == "" and first.resident_id is None and first.worker_id is None and first.round_id is None
    assert first.buurt_id == erasure_story["first"].buurt_id and first.channel == erasure_story["first"].channel
    local = timezone.localtime(first.occurred_at)
    assert local.date() == date(2026, 11, 2) and (local.hour, local.minute) == (0, 0)  # the Monday of that week
    assert timezone.localtime(first.created_at).date() == date(2026, 11, 2)


def test_a_contact_of_someone_else_is_untouched(erasure_story):
    _erase(erasure_story)

    stranger = ContactMoment.objects.get(pk=erasure_story["stranger"].pk)
    assert stranger.note == "Iemand anders" and stranger.worker_id == erasure_story["worker"].pk


def test_promise_texts_and_handover_notes_are_erased_and_its_status_kept(erasure_story):
    _erase(erasure_story)

    promise = Promise.objects.get(pk=erasure_story["promise"].pk)
    assert (promise.description, promise.kept_note, promise.failure_reason, promise.group_label) == ("", "", "", "")
    assert promise.resident_id is None and promise.contact_moment_id is None
    assert promise.status == erasure_story["promise"].status and promise.due_date == erasure_story["promise"].due_date
    assert promise.version == erasure_story["promise"].version + 1  # an edit form opened before is now stale
    assert list(PromiseHandover.objects.filter(promise=promise).values_list("note", flat=True)) == [""]


def test_a_referral_made_in_a_contact_with_the_resident_is_erased_too(erasure_story):
    _erase(erasure_story)

    referral = Referral.objects.get(pk=erasure_story["referral"].pk)
    assert referral.question == "" and referral.outside_buurt_reason == ""
    assert referral.provider_id == erasure_story["referral"].provider_id and referral.topic_id
    assert list(ReferralStatusChange.objects.filter(referral=referral).values_list("note", flat=True)) == [""]


def test_theme_counts_add_up_the_same_after_an_erasure(erasure_story):
    from nabij.themes.models import ThemeCount
    from nabij.themes.services import counts_rebuild

    def counts():
        counts_rebuild()
        return sorted(
            ThemeCount.objects.values_list("source", "buurt_id", "topic_id", "week", "organisation_id", "count")
        )

    before = counts()
    _erase(erasure_story)

    assert counts() == before
    # the resident's two contacts on one topic that week were one person: one topic link is left for both
    links = ContactMomentTopic.objects.filter(contact_moment__in=[erasure_story["first"], erasure_story["second"]])
    assert links.count() == 2


def test_the_admin_change_log_of_erased_records_goes(erasure_story):
    resident = erasure_story["resident"]
    LogEntry.objects.log_actions(
        user_id=erasure_story["coordinator"].pk, queryset=[resident], action_flag=CHANGE, change_message="label"
    )
    _erase(erasure_story)

    resident_type = ContentType.objects.get_for_model(Resident)
    assert not LogEntry.objects.filter(content_type=resident_type, object_id=str(resident.pk)).exists()


def test_task_rows_holding_an_erased_text_are_deleted():
    from django_tasks_db.models import DBTaskResult

    def row(**fields):
        defaults = {"task_path": "nabij.x.tasks.t", "backend_name": "default", "args_kwargs": {}}
        return DBTaskResult.objects.create(run_after=timezone.now(), **(defaults | fields))

    holding = row(status="FAILED", args_kwargs={"args": ["Praat over haar buurman"], "kwargs": {}})
    quoting = row(status="FAILED", traceback="ValueError: 'Praat over haar buurman'")
    unrelated = row(status="SUCCESSFUL", return_value=3)

    assert task_rows_erase(["Praat over haar buurman"]) == 2
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [unrelated.pk]
    assert not DBTaskResult.objects.filter(pk__in=[holding.pk, quoting.pk]).exists()


def test_the_audit_records_who_erased_when_and_how_much_without_content(erasure_story):
    counts = _erase(erasure_story)

    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETE, object_type="resident")
    assert event.actor == erasure_story["worker"] and event.object_id == str(erasure_story["resident"].pk)
    assert event.detail["grond"] == GROUND.REQUEST and event.detail["gewist"] == counts
    assert counts["bewoners"] == 1 and counts["contactmomenten"] == 2 and counts["beloftes"] == 1
    text = str(event.detail)
    assert "Rietlanden" not in text and "buurman" not in text and "toeslag" not in text


def test_the_coordinator_of_the_organisation_may_erase(erasure_story):
    resident_erase(actor=erasure_story["coordinator"], resident=erasure_story["resident"], reason="Op verzoek")

    assert not Resident.objects.filter(pk=erasure_story["resident"].pk).exists()


def test_another_organisation_cannot_see_or_erase_the_resident(erasure_story):
    with pytest.raises(NotVisible):
        resident_erase(actor=erasure_story["outsider"], resident=erasure_story["resident"], reason="Op verzoek")

    assert Resident.objects.filter(pk=erasure_story["resident"].pk).exists()
    assert AuditEvent.objects.filter(result=AuditEvent.Result.DENIED, object_type="resident").exists()


def test_an_analist_may_not_erase(erasure_story):
    with pytest.raises((NotVisible, PermissionRefused)):
        resident_erase(actor=erasure_story["analist"], resident=erasure_story["resident"], reason="Op verzoek")

    assert ContactMoment.objects.get(pk=erasure_story["first"].pk).note


def test_a_reason_is_required(erasure_story):
    with pytest.raises(InvalidReason) as refused:
        resident_erase(actor=erasure_story["worker"], resident=erasure_story["resident"], reason="  ")

    assert refused.value.field == "reden"
    assert Resident.objects.filter(pk=erasure_story["resident"].pk).exists()


def test_withdrawn_consent_erases_the_resident(erasure_story):
    resident_consent_withdraw(actor=erasure_story["worker"], resident=erasure_story["resident"])

    assert not Resident.objects.filter(pk=erasure_story["resident"].pk).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETE, object_type="resident")
    assert event.detail["grond"] == GROUND.CONSENT_WITHDRAWN


def test_the_preview_names_what_will_be_erased(erasure_story):
    preview = {kind.key: count for kind, count in erasure_preview(resident=erasure_story["resident"])}

    assert preview == {
        "beloftes": 1,
        "overdrachten": 1,
        "doorverwijzingen": 1,
        "terugmeldingen": 1,
        "contactmomenten": 2,
        "toestemmingen": 1,
        "bewoners": 1,
    }


def test_nothing_personal_is_logged(erasure_story, caplog):
    with caplog.at_level(logging.DEBUG):
        _erase(erasure_story)

    assert "Rietlanden" not in caplog.text and "buurman" not in caplog.text


def test_higher_apps_clear_their_caches_after_the_erasure_commits(erasure_story, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from nabij.themes.services import _background_generation

    before = _background_generation()
    with django_capture_on_commit_callbacks(execute=True):
        _erase(erasure_story)

    assert _background_generation() > before  # the themes' word counts made from notes are rebuilt
    cache.clear()
