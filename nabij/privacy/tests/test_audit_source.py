"""Every audit event records where the request came from; the Django admin's reads are audited too."""

from django.contrib import admin
from django.test import override_settings

import pytest

from nabij.accounts.tests.factories import UserFactory
from nabij.core.models import Topic
from nabij.privacy.admin_audit import AuditedAdminMixin
from nabij.privacy.context import client_address
from nabij.privacy.models import AuditEvent
from nabij.privacy.services import audit_record

pytestmark = pytest.mark.django_db

UA = "Mozilla/5.0 (X11; Linux x86_64) Nabij-test"
# Admin pages of models without personal data: no audit needed.
NO_PERSONAL_DATA = {Topic}


def test_the_audit_page_shows_where_an_event_came_from(client):
    beheerder = UserFactory(beheerder=True)
    worker = UserFactory(organisation=beheerder.organisation)
    client.force_login(worker)
    client.get("/audit/", REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT=UA)  # refused, and recorded
    client.force_login(beheerder)
    response = client.get("/audit/", {"result": "denied"})
    assert "192.0.2.7" in response.text and "Nabij-test" in response.text


def test_a_refusal_records_the_address_too(client):
    worker = UserFactory()
    client.force_login(worker)
    client.get("/audit/", REMOTE_ADDR="2001:db8:0:0::1", HTTP_USER_AGENT=UA)
    event = AuditEvent.objects.get(object_type="audit_log", result="denied")
    assert (event.source_ip, event.user_agent) == ("2001:db8::1", UA)


def test_an_event_outside_a_request_has_no_source():
    event = audit_record(actor=None, action="view", object_type="resident")
    assert event.source_ip is None and event.user_agent == ""


def test_a_forwarded_address_is_ignored_without_a_trusted_proxy():
    meta = {"REMOTE_ADDR": "192.0.2.7", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    assert client_address(meta) == "192.0.2.7"


@override_settings(NABIJ_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_behind_a_trusted_proxy_the_client_is_the_last_untrusted_hop():
    meta = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.1, 10.0.0.3"}
    assert client_address(meta) == "198.51.100.1"  # the client cannot pick 203.0.113.9 by sending it
    assert client_address({"REMOTE_ADDR": "192.0.2.7", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}) == "192.0.2.7"


def test_every_admin_of_a_nabij_model_with_personal_data_is_audited():
    unaudited = [
        model.__name__
        for model, model_admin in admin.site._registry.items()
        if model.__module__.startswith("nabij.")
        and model not in NO_PERSONAL_DATA
        and not isinstance(model_admin, AuditedAdminMixin)
    ]
    assert unaudited == []


@pytest.fixture
def superuser_client(client):
    user = UserFactory(superuser=True)
    client.force_login(user)
    return client, user


def test_an_admin_list_and_search_are_audited_without_the_search_term(superuser_client):
    client, user = superuser_client
    assert client.get("/django-admin/followup/promise/").status_code == 200
    assert client.get("/django-admin/contacts/resident/", {"q": "Jansen"}).status_code == 200
    events = list(AuditEvent.objects.filter(actor=user, action__in=["view", "search"]).order_by("id"))
    assert [(e.action, e.object_type) for e in events] == [
        ("view", "admin:followup.promise"),
        ("search", "admin:contacts.resident"),
    ]
    assert "Jansen" not in str(events[1].detail)


def test_an_admin_object_page_is_audited(superuser_client):
    from nabij.contacts.tests.factories import ResidentFactory

    client, user = superuser_client
    resident = ResidentFactory()
    assert client.get(f"/django-admin/contacts/resident/{resident.pk}/change/").status_code == 200
    event = AuditEvent.objects.get(actor=user, object_type="admin:contacts.resident")
    assert (event.action, event.object_id) == ("view", str(resident.pk))
