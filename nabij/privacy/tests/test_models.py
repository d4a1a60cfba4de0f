"""The audit trail is append-only."""

import pytest

from nabij.accounts.tests.factories import UserFactory
from nabij.privacy.models import AuditEvent
from nabij.privacy.services import audit_record, audit_refusal

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(db):
    return audit_record(actor=UserFactory(), action=AuditEvent.Action.VIEW, object_type="buurt", object_id="BU1")


def test_saved_event_cannot_be_changed(event):
    event.result = AuditEvent.Result.DENIED
    with pytest.raises(TypeError):
        event.save()


def test_event_cannot_be_deleted(event):
    with pytest.raises(TypeError):
        event.delete()


def test_events_cannot_be_updated_in_bulk(event):
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(result=AuditEvent.Result.DENIED)
    assert AuditEvent.objects.get(pk=event.pk).result == AuditEvent.Result.OK


def test_events_cannot_be_deleted_in_bulk(event):
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_record_keeps_actor_label_and_organisation(db):
    user = UserFactory(email="lees@voorbeeld.nl")
    event = audit_record(actor=user, action=AuditEvent.Action.VIEW, object_type="buurt", area_code="BU00010101")
    assert (event.actor_label, event.organisation_id, event.area_code) == (
        "lees@voorbeeld.nl",
        user.organisation_id,
        "BU00010101",
    )


def test_refusal_is_recorded_as_denied(db):
    event = audit_refusal(actor=UserFactory(), action=AuditEvent.Action.VIEW, object_type="buurt", object_id="X")
    assert event.result == AuditEvent.Result.DENIED


def test_anonymous_actor_is_recorded_without_user(db):
    from django.contrib.auth.models import AnonymousUser

    event = audit_refusal(actor=AnonymousUser(), action=AuditEvent.Action.VIEW, object_type="buurt")
    assert (event.actor_id, event.actor_label, event.organisation_id) == (None, "anoniem", None)
