"""The admin never accepts free text that would bypass de-identification, and never deletes topics."""

from django.contrib import admin
from django.test import RequestFactory

import pytest

from nabij.contacts.models import ContactMoment, Resident, Signal
from nabij.contacts.tests.factories import ContactMomentFactory, UserFactory
from nabij.core.models import Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_as_superuser():
    request = RequestFactory().get("/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    return request


@pytest.mark.parametrize(("model", "field"), [(ContactMoment, "note"), (Signal, "note"), (Resident, "label")])
def test_free_text_is_read_only_in_admin(request_as_superuser, model, field):
    model_admin = admin.site._registry[model]
    assert field in model_admin.get_readonly_fields(request_as_superuser, obj=None)
    assert not model_admin.has_add_permission(request_as_superuser)


def test_contact_moment_change_form_has_no_note_input(client, buurt):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    moment = ContactMomentFactory(buurt=buurt, note="[PERSOON-1] belde.")
    client.force_login(superuser)
    response = client.get(f"/django-admin/contacts/contactmoment/{moment.pk}/change/")
    if response.status_code != 200:  # the admin login may be wrapped (two-factor); the form class decides
        form_class = admin.site._registry[ContactMoment].get_form(response.wsgi_request, moment)
        assert "note" not in form_class.base_fields
        return
    assert 'name="note"' not in response.content.decode()


def test_topics_cannot_be_deleted_in_admin(request_as_superuser):
    assert not admin.site._registry[Topic].has_delete_permission(request_as_superuser)
