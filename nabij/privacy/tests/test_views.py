"""The audit log page for beheerders."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

import pytest

from nabij.accounts.tests.factories import OrganisationFactory, UserFactory
from nabij.privacy.models import AuditEvent
from nabij.privacy.services import audit_record, audit_refusal

pytestmark = pytest.mark.django_db

AUDIT = "/audit/"


@pytest.fixture
def beheerder(db):
    return UserFactory(beheerder=True)


@pytest.fixture
def colleague(beheerder):
    return UserFactory(organisation=beheerder.organisation)


@pytest.fixture
def beheerder_client(client, beheerder):
    client.force_login(beheerder)
    return client


def _events(response):
    return list(response.context["page"])


def _view(actor, **kwargs):
    return audit_record(actor=actor, action=AuditEvent.Action.VIEW, object_type="buurt", **kwargs)


def test_audit_list_url_name():
    assert reverse("privacy:audit-list") == AUDIT


def test_beheerder_sees_only_own_organisation(beheerder_client, colleague):
    own = _view(colleague)
    foreign = _view(UserFactory(organisation=OrganisationFactory()))
    events = _events(beheerder_client.get(AUDIT))
    assert own in events
    assert foreign not in events


def test_superuser_sees_all_organisations(client, colleague):
    foreign = _view(UserFactory(organisation=OrganisationFactory()))
    client.force_login(UserFactory(superuser=True))
    events = _events(client.get(AUDIT))
    assert foreign in events
    assert _view(colleague) in _events(client.get(AUDIT))


@pytest.mark.parametrize("role", ["buurtwerker", "coordinator", "corporatie", "analist"])
def test_other_roles_are_refused_and_audited(client, db, role):
    user = UserFactory(**{role: True})
    client.force_login(user)
    assert client.get(AUDIT).status_code == 403
    assert AuditEvent.objects.filter(actor=user, object_type="audit_log", result="denied").count() == 1


def test_filter_by_action_and_result(beheerder_client, colleague):
    refused = audit_refusal(actor=colleague, action=AuditEvent.Action.VIEW, object_type="buurt", object_id="B")
    _view(colleague)
    events = _events(beheerder_client.get(AUDIT, {"action": "view", "result": "denied"}))
    assert events == [refused]


def test_filter_by_actor(beheerder_client, beheerder, colleague):
    mine = _view(colleague)
    _view(UserFactory(organisation=beheerder.organisation))
    assert _events(beheerder_client.get(AUDIT, {"actor": colleague.pk})) == [mine]


def test_filter_by_area_code_ignores_case(beheerder_client, colleague):
    wanted = _view(colleague, area_code="BU00010101")
    _view(colleague, area_code="BU00010201")
    assert _events(beheerder_client.get(AUDIT, {"area_code": "bu00010101"})) == [wanted]


def test_filter_by_period(beheerder_client, colleague):
    event = _view(colleague)
    today = event.created_at.astimezone(datetime.UTC).date()
    assert event in _events(beheerder_client.get(AUDIT, {"date_from": today - datetime.timedelta(days=1)}))
    assert event not in _events(beheerder_client.get(AUDIT, {"date_to": today - datetime.timedelta(days=2)}))


def test_reversed_period_shows_an_error(beheerder_client):
    response = beheerder_client.get(AUDIT, {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert response.status_code == 200
    assert "date_to" in response.context["form"].errors


def test_bad_filter_value_is_not_a_server_error(beheerder_client):
    assert beheerder_client.get(AUDIT, {"date_from": "gisteren", "actor": "abc", "pagina": "x"}).status_code == 200


def test_query_count_is_fixed(beheerder_client, beheerder):
    for _ in range(3):
        _view(UserFactory(organisation=beheerder.organisation))
    beheerder_client.get(AUDIT, {"action": "view"})  # the area scope is cached from the first request on
    with CaptureQueriesContext(connection) as few:
        beheerder_client.get(AUDIT, {"action": "view"})
    for _ in range(15):
        _view(UserFactory(organisation=beheerder.organisation))
    with CaptureQueriesContext(connection) as many:
        beheerder_client.get(AUDIT, {"action": "view"})
    assert len(many) == len(few)


def test_table_shows_actor_action_and_area(beheerder_client, colleague):
    _view(colleague, area_code="BU00010101")
    content = beheerder_client.get(AUDIT).content.decode()
    assert escape(colleague.full_name) in content  # a name like 's Gravensande is shown escaped
    assert "BU00010101" in content
