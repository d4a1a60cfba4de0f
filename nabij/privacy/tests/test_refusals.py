"""A refusal is audited where a policy says no (`privacy.refusals`) and answered as 404 or 403 by pages and API."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

import pytest

from nabij.accounts.tests.factories import UserFactory
from nabij.core.exceptions import NotVisible, PermissionRefused
from nabij.core.middleware import DomainErrorMiddleware
from nabij.privacy.models import AuditEvent
from nabij.privacy.refusals import refuse, require

pytestmark = pytest.mark.django_db


def _denied():
    return list(AuditEvent.objects.filter(result=AuditEvent.Result.DENIED))


def test_refusing_an_object_outside_scope_audits_it_and_raises_not_visible():
    user = UserFactory()
    with pytest.raises(NotVisible):
        refuse(actor=user, action="view", object_type="promise", object_id=7, hidden=True)
    [event] = _denied()
    assert (event.actor, event.action, event.object_type, event.object_id) == (user, "view", "promise", "7")


def test_refusing_a_role_audits_it_and_raises_permission_refused_with_the_message():
    user = UserFactory(analist=True)
    with pytest.raises(PermissionRefused) as caught:
        refuse(actor=user, action="export", object_type="social_map", area_code="BU01", message="Nee.")
    assert caught.value.message == "Nee."
    [event] = _denied()
    assert (event.action, event.object_type, event.area_code) == ("export", "social_map", "BU01")


def test_a_check_that_allows_writes_nothing():
    require(True, actor=UserFactory(), action="view", object_type="theme")
    assert _denied() == []


def test_a_check_that_refuses_writes_one_denied_event():
    with pytest.raises(PermissionRefused):
        require(False, actor=UserFactory(), action="view", object_type="theme")
    assert [e.object_type for e in _denied()] == ["theme"]


@pytest.mark.parametrize(
    ("raised", "answered"), [(NotVisible("x"), Http404), (PermissionRefused("x"), PermissionDenied)]
)
def test_pages_answer_a_refusal_as_django_answers_its_own(raised, answered):
    middleware = DomainErrorMiddleware(lambda request: None)
    with pytest.raises(answered):
        middleware.process_exception(RequestFactory().get("/"), raised)


def test_pages_leave_other_errors_alone():
    middleware = DomainErrorMiddleware(lambda request: None)
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("x")) is None


def test_a_page_whose_selector_refuses_answers_404_and_audits_once(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/gebieden/buurt/BU99999999/")
    assert response.status_code == 404
    assert [(e.object_type, e.object_id) for e in _denied()] == [("buurt", "BU99999999")]


def test_the_api_answers_a_refused_object_404_and_audits_once(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/api/v1/gebieden/buurten/BU99999999")
    assert response.status_code == 404
    assert response.json()["detail"][0]["msg"]
    assert [(e.object_type, e.object_id) for e in _denied()] == [("buurt", "BU99999999")]
