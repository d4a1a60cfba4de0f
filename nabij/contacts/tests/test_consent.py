"""Consent: a resident file is made and linked only with the resident's recorded consent, and its history shows."""

import json

import pytest

from nabij.contacts import services
from nabij.contacts.exceptions import ConsentRequired
from nabij.contacts.models import Resident, ResidentConsent
from nabij.contacts.tests.factories import ResidentFactory
from nabij.core.exceptions import InvalidInput
from nabij.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_resident_without_consent_is_refused_naming_the_field(worker, buurt):
    with pytest.raises(ConsentRequired) as caught:
        services.resident_create(user=worker, label="bewoner flat", buurt=buurt.code, consent=False)
    assert caught.value.field == "toestemming"
    assert not Resident.objects.exists()


def test_resident_with_consent_starts_its_consent_history(worker, buurt):
    resident = services.resident_create(user=worker, label="bewoner flat", buurt=buurt.code, consent=True)
    history = list(ResidentConsent.objects.filter(resident=resident))
    assert [(c.given, c.recorded_by, c.organisation_id) for c in history] == [(True, worker, worker.organisation_id)]


def test_contact_cannot_be_linked_to_a_resident_without_consent(worker, buurt):
    legacy = ResidentFactory(buurt=buurt, created_by=worker, consent=False)
    with pytest.raises(InvalidInput) as caught:
        services.contact_moment_create(
            user=worker, buurt=buurt.code, channel="straat", topics=["eenzaamheid"], resident=legacy.pk
        )
    assert caught.value.field == "bewoner"


def test_resident_without_consent_is_not_offered_in_the_picker(worker, buurt):
    from nabij.contacts import selectors

    ResidentFactory(buurt=buurt, created_by=worker, consent=False, label="zonder toestemming")
    with_consent = ResidentFactory(buurt=buurt, created_by=worker, label="met toestemming")
    assert [r.pk for r in selectors.resident_recent(user=worker, buurt=buurt.code)] == [with_consent.pk]


def test_consent_given_later_is_added_to_the_history(worker, buurt):
    legacy = ResidentFactory(buurt=buurt, created_by=worker, consent=False)
    services.resident_consent_give(user=worker, resident=legacy)
    legacy.refresh_from_db()
    assert legacy.consent
    assert legacy.consents.filter(given=True, recorded_by=worker).count() == 1
    moment = services.contact_moment_create(
        user=worker, buurt=buurt.code, channel="straat", topics=["eenzaamheid"], resident=legacy.pk
    )
    assert moment.resident_id == legacy.pk


def test_form_without_consent_shows_the_dutch_message(client, worker, buurt):
    client.force_login(worker)
    response = client.post("/contacten/bewoners/nieuw/", {"label": "bewoner flat", "buurt": buurt.code})
    assert response.status_code == 422
    assert "toestemming" in response.content.decode()
    assert not Resident.objects.exists()


def test_form_with_consent_makes_the_file_and_shows_its_history(client, worker, buurt):
    client.force_login(worker)
    response = client.post(
        "/contacten/bewoners/nieuw/", {"label": "bewoner flat", "buurt": buurt.code, "consent": "on"}, follow=True
    )
    assert response.status_code == 200
    assert "Toestemming gegeven op" in response.content.decode()


@pytest.mark.parametrize("body", [{}, {"toestemming": False}])
def test_api_post_without_consent_is_400_naming_the_field(client, worker, buurt, body):
    client.force_login(worker)
    response = _post(client, "/api/v1/bewoners", {"buurt": buurt.code, "label": "bewoner flat"} | body)
    assert response.status_code == 400
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["body", "toestemming"]
    assert "toestemming" in detail["msg"]


def test_api_post_and_get_resident(client, worker, buurt):
    client.force_login(worker)
    response = _post(client, "/api/v1/bewoners", {"buurt": buurt.code, "label": "bewoner flat", "toestemming": True})
    assert response.status_code == 201
    created = response.json()
    assert created["toestemming"] is True and created["buurt"] == buurt.code
    assert [c["gegeven"] for c in created["toestemming_historie"]] == [True]
    response = client.get(f"/api/v1/bewoners/{created['id']}")
    assert response.status_code == 200
    assert response.json()["label"] == "bewoner flat"
    assert AuditEvent.objects.filter(action="view", object_type="resident", object_id=str(created["id"])).exists()


def test_api_get_resident_outside_scope_is_404(client, worker, other_buurt):
    client.force_login(worker)
    stranger = ResidentFactory(buurt=other_buurt)
    assert client.get(f"/api/v1/bewoners/{stranger.pk}").status_code == 404
    assert AuditEvent.objects.filter(result="denied", object_type="resident", object_id=str(stranger.pk)).exists()
