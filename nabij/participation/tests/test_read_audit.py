"""Reads of residents' inputs audit themselves, in the selector, not in the page (issue 15)."""

import pytest

from nabij.participation.tests.factories import FrameItemFactory, InputFactory, ProjectFactory
from nabij.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(staff, buurt):
    project = ProjectFactory(owner=staff.organisation, buurten=[buurt], created_by=staff, published=True)
    FrameItemFactory(project=project)
    return project


def _input_reads():
    return list(AuditEvent.objects.filter(object_type="input", action="view", result=AuditEvent.Result.OK))


def test_the_inputs_page_of_a_project_audits_the_read_of_its_inputs(client, staff, project):
    InputFactory(project=project)
    InputFactory(project=project)
    client.force_login(staff)
    assert client.get(f"/projecten/{project.slug}/inbreng/").status_code == 200
    [event] = _input_reads()
    assert (event.actor, event.object_id) == (staff, str(project.pk))
    assert event.detail == {"aantal": 2, "project": project.pk}


def test_the_own_answer_queue_audits_the_read_of_the_inputs_in_it(client, staff, project):
    InputFactory(project=project, assigned_to=staff)
    client.force_login(staff)
    assert client.get("/projecten/mijn-inbreng/").status_code == 200
    [event] = _input_reads()
    assert (event.actor, event.detail["aantal"]) == (staff, 1)


def test_an_input_outside_the_users_reach_is_refused_404_and_audited_once(client, staff, project, outsider):
    item = InputFactory(project=project)
    client.force_login(outsider)
    assert client.get(f"/projecten/{project.slug}/inbreng/{item.pk}/").status_code == 404
    refused = AuditEvent.objects.filter(result=AuditEvent.Result.DENIED)
    assert [(e.actor, e.object_type, e.object_id) for e in refused] == [(outsider, "input", str(item.pk))]
    assert _input_reads() == []
