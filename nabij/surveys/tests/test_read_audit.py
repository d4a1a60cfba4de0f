"""Reads of a questionnaire's personal data audit themselves, in the selector, not in the page (issue 15)."""

import pytest

from nabij.privacy.models import AuditEvent
from nabij.surveys.tests.factories import CollectorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_collector_list_page_audits_the_read_of_its_collectors(client, owner, survey):
    CollectorFactory(survey=survey)
    CollectorFactory(survey=survey)
    client.force_login(owner)
    assert client.get(f"/vragenlijsten/{survey.pk}/verzamelaars/").status_code == 200
    [event] = AuditEvent.objects.filter(object_type="survey_collectors", result=AuditEvent.Result.OK)
    assert (event.actor, event.action, event.object_id, event.detail) == (owner, "view", str(survey.pk), {"aantal": 2})


def test_a_collector_list_refused_to_an_analist_is_audited_once_and_reads_nothing(client, buurt, survey):
    CollectorFactory(survey=survey)
    analist = UserFactory(role="analist", buurten=[buurt], organisation=survey.organisation)
    client.force_login(analist)
    assert client.get(f"/vragenlijsten/{survey.pk}/verzamelaars/").status_code == 403
    events = AuditEvent.objects.filter(object_type="survey_collectors")
    assert [(e.actor, e.result) for e in events] == [(analist, AuditEvent.Result.DENIED)]
