"""From a write to a theme count, through the announced events (nabij.core.events): each way in — the capture
page, the API the phone's offline queue posts to, the services of contacts, followup, surveys and
participation, the admin — raises or moves the count of its buurt-week once the write commits. And nothing
listens to, or sends by hand, a model signal for this."""

import json
import re
from pathlib import Path

from django.conf import settings
from django.contrib.admin.sites import site
from django.db.models import signals as model_signals
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

import pytest

from nabij.accounts.tests.factories import UserFactory as AccountUserFactory
from nabij.areas.tests.factories import BuurtFactory
from nabij.assets.models import Provider
from nabij.contacts import services as contact_services
from nabij.contacts.models import ContactMoment
from nabij.contacts.tests.factories import UserFactory, WijkFactory
from nabij.core import events
from nabij.core.models import Topic
from nabij.followup.models import Referral
from nabij.followup.services import referral_create
from nabij.participation import services as participation_services
from nabij.participation.tests.factories import ProjectFactory
from nabij.surveys.models import Answer, Question, Response
from nabij.surveys.services import answer_set_topics
from nabij.surveys.tests.factories import SurveyFactory
from nabij.themes.models import ThemeCount

pytestmark = pytest.mark.django_db


def _counts(source: str) -> dict[tuple[str, str], int]:
    rows = ThemeCount.objects.filter(source=source, count__gt=0).values_list("buurt_id", "topic__slug", "count")
    return {(b, slug): n for b, slug, n in rows}


@pytest.fixture
def place():
    wijk = WijkFactory()
    first, second = BuurtFactory(wijk=wijk, gemeente=wijk.gemeente), BuurtFactory(wijk=wijk, gemeente=wijk.gemeente)
    return first, second, UserFactory(buurten=[first, second])


def test_a_contact_captured_on_the_page_raises_the_theme_count(place, client, django_capture_on_commit_callbacks):
    buurt, _other, worker = place
    client.force_login(worker)
    data = {"buurt": buurt.code, "channel": "straat", "topics": ["taal"], "note": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("contacts:contact-capture"), data)
    assert response.status_code == 302
    assert _counts("contacts") == {(buurt.code, "taal"): 1}


def test_a_contact_posted_by_the_offline_queue_raises_the_theme_count(
    place, client, django_capture_on_commit_callbacks
):
    buurt, _other, worker = place
    client.force_login(worker)
    body = {"buurt": buurt.code, "kanaal": "straat", "onderwerpen": ["taal"], "notitie": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/contactmomenten",
            data=json.dumps(body),
            content_type="application/json",
            headers={"idempotency-key": "telefoon-1"},
        )
    assert response.status_code == 201
    assert _counts("contacts") == {(buurt.code, "taal"): 1}


def test_no_count_moves_before_the_capture_commits(place, django_capture_on_commit_callbacks):
    buurt, _other, worker = place
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        contact_services.contact_moment_create(user=worker, buurt=buurt.code, channel="straat", topics=["taal"])
    assert _counts("contacts") == {}
    assert len(callbacks) == 1  # the announcement, waiting for the commit


def test_an_observation_and_its_deletion_move_the_count(place, django_capture_on_commit_callbacks):
    buurt, _other, worker = place
    with django_capture_on_commit_callbacks(execute=True):
        signal = contact_services.signal_create(user=worker, buurt=buurt.code, topic="veiligheid")
    assert _counts("observations") == {(buurt.code, "veiligheid"): 1}
    with django_capture_on_commit_callbacks(execute=True):
        contact_services.signal_delete(user=worker, signal=signal, reason="dubbel")
    assert _counts("observations") == {}


def test_a_referral_raises_the_count_of_its_buurt(place, django_capture_on_commit_callbacks):
    buurt, _other, _worker = place
    worker = AccountUserFactory(role="buurtwerker", scope_buurten=[buurt])
    provider = Provider.objects.create(name="Taalhuis")
    provider.buurten.add(buurt)
    with django_capture_on_commit_callbacks(execute=True):
        referral_create(
            user=worker, provider=provider.pk, topic="taal", buurt=buurt.code, warm=False, consent_to_share=False
        )
    assert _counts("referrals") == {(buurt.code, "taal"): 1}


def test_tagging_a_survey_answer_raises_the_count(place, django_capture_on_commit_callbacks):
    buurt, _other, worker = place
    survey = SurveyFactory(buurten=[buurt])
    question = Question.objects.create(
        survey=survey, section=survey.sections.get(), key="wens", kind=Question.Kind.LONG_TEXT, text="Wat mist u?"
    )
    response = Response.objects.create(
        survey=survey,
        survey_version=1,
        channel=Response.Channel.ONLINE,
        buurt=buurt,
        idempotency_key="k1",
        submitted_at=timezone.now(),
    )
    answer = Answer.objects.create(response=response, question=question, text="Taalles.")
    with django_capture_on_commit_callbacks(execute=True):
        answer_set_topics(answer=answer, topics=Topic.objects.filter(slug="taal"), by=worker)
    assert _counts("surveys") == {(buurt.code, "taal"): 1}


def test_an_input_counts_and_follows_its_project_to_another_buurt(place, django_capture_on_commit_callbacks):
    first, second, _worker = place
    staff = AccountUserFactory(role="corporatie", scope_buurten=[first, second])
    project = ProjectFactory(published=True, buurten=[first], owner=staff.organisation, created_by=staff)
    project.topics.set(Topic.objects.filter(slug="wonen-onderhoud"))
    with django_capture_on_commit_callbacks(execute=True):
        participation_services.input_submit(project=project, kind="idee", text="Meer bankjes.")
    assert _counts("inputs") == {(first.code, "wonen-onderhoud"): 1}
    with django_capture_on_commit_callbacks(execute=True):
        participation_services.project_update(
            project=project,
            by=staff,
            title=project.title,
            kind=project.kind,
            summary=project.summary,
            buurten=[second.code],
            contact=project.contact,
            topics=["wonen-onderhoud"],
            answer_term_days=project.answer_term_days,
            confirm_below_b1=True,
        )
    assert _counts("inputs") == {(second.code, "wonen-onderhoud"): 1}


def test_a_contact_moved_in_the_admin_moves_the_count(place, admin_user, django_capture_on_commit_callbacks):
    first, second, worker = place
    with django_capture_on_commit_callbacks(execute=True):
        moment = contact_services.contact_moment_create(
            user=worker, buurt=first.code, channel="straat", topics=["taal"]
        )
    model_admin = site._registry[ContactMoment]
    request = RequestFactory().post("/")
    request.user = admin_user
    data = model_to_dict(moment) | {"buurt": second.code, "occurred_at_0": "", "occurred_at_1": ""}
    data["occurred_at_0"], data["occurred_at_1"] = (
        timezone.localtime(moment.occurred_at).strftime("%Y-%m-%d %H:%M:%S").split()
    )
    form = model_admin.get_form(request, moment, change=True)(data, instance=moment)
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        obj = model_admin.save_form(request, form, change=True)
        model_admin.save_model(request, obj, form, change=True)
        model_admin.save_related(request, form, formsets=[], change=True)
    assert _counts("contacts") == {(second.code, "taal"): 1}
    with django_capture_on_commit_callbacks(execute=True):
        model_admin.delete_model(request, moment)
    assert _counts("contacts") == {}


def test_a_referral_moved_in_the_admin_moves_the_count(place, admin_user, django_capture_on_commit_callbacks):
    first, second, _worker = place
    worker = AccountUserFactory(role="buurtwerker", scope_buurten=[first])
    provider = Provider.objects.create(name="Taalhuis")
    provider.buurten.add(first)
    with django_capture_on_commit_callbacks(execute=True):
        referral = referral_create(
            user=worker, provider=provider.pk, topic="taal", buurt=first.code, warm=False, consent_to_share=False
        )
    model_admin = site._registry[Referral]
    request = RequestFactory().post("/")
    request.user = admin_user
    referral.buurt = second
    with django_capture_on_commit_callbacks(execute=True):
        model_admin.save_model(request, referral, form=None, change=True)
    assert _counts("referrals") == {(second.code, "taal"): 1}


def test_themes_listens_to_no_model_signal():
    """Counts follow announced events only: no themes receiver on a model signal of any model."""
    from django.apps import apps

    found = []
    for signal in (*_MODEL_SIGNALS, model_signals.m2m_changed):
        for model in apps.get_models(include_auto_created=True):
            for receiver in signal._live_receivers(model)[0]:
                if getattr(receiver, "__module__", "").startswith("nabij.themes"):
                    found.append((signal, model, receiver))
    assert found == []


def test_themes_subscribes_to_every_source_event():
    not_a_source = {events.topic_renamed}  # a label changed: no record moved, nothing to count
    for event in set(events.ALL) - not_a_source:
        assert any(s.__module__ == "nabij.themes.subscriptions" for s in event.subscribers), event


_MODEL_SIGNALS = (
    model_signals.pre_init,
    model_signals.post_init,
    model_signals.pre_save,
    model_signals.post_save,
    model_signals.pre_delete,
    model_signals.post_delete,
)
_HAND_SENT = re.compile(
    r"\b(pre_init|post_init|pre_save|post_save|pre_delete|post_delete|m2m_changed)\s*\.\s*send(_robust)?\s*\("
)


def test_no_code_sends_a_model_signal_by_hand():
    """Model signals are Django's to send, from save() and delete(); a fact for other apps is an event."""
    root = Path(settings.BASE_DIR) / "nabij"
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if _HAND_SENT.search(line)
    ]
    assert offenders == []


def test_the_hand_sent_pattern_finds_a_hand_sent_signal():
    assert _HAND_SENT.search("post_save" + ".send(sender=ContactMoment, instance=m, created=True)")
    assert not _HAND_SENT.search("user_login_failed.send(sender=__name__, credentials={})")
