"""Erasing a resident from the resident page and through the API (the rule itself: nabij/privacy/tests)."""

import json

from django.urls import reverse

import pytest

from nabij.accounts.tests.factories import OrganisationFactory
from nabij.contacts.models import ContactMoment, Resident
from nabij.contacts.tests.factories import ContactMomentFactory, ResidentFactory, UserFactory
from nabij.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(buurt, worker):
    resident = ResidentFactory(label="buurman met de hond", buurt=buurt, created_by=worker, consent=True)
    ContactMomentFactory(buurt=buurt, worker=worker, resident=resident, note="Vertelde over zijn hond")
    return resident


@pytest.fixture
def outsider(buurt):
    return UserFactory(buurten=[buurt], organisation=OrganisationFactory(name="Andere Organisatie"))


def _url(resident, **query):
    url = reverse("contacts:resident-erase", args=[resident.pk])
    return f"{url}?grond={query['grond']}" if query else url


def _api(client, resident, body):
    return client.post(f"/api/v1/bewoners/{resident.pk}/wissen", data=json.dumps(body), content_type="application/json")


# The page --------------------------------------------------------------------------------------------------


def test_the_resident_page_offers_erasure_to_who_may_change_it(client, worker, resident):
    client.force_login(worker)
    html = client.get(reverse("contacts:resident-detail", args=[resident.pk])).content.decode()

    assert _url(resident) in html and _url(resident, grond="toestemming") in html


def test_the_confirmation_names_what_will_be_erased(client, worker, resident):
    client.force_login(worker)
    response = client.get(_url(resident))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Weet je het zeker?" in html and "Contactmomenten: 1" in html and 'name="reden"' in html
    assert Resident.objects.filter(pk=resident.pk).exists()  # looking erases nothing


def test_confirming_with_a_reason_erases_and_says_so(client, worker, resident):
    client.force_login(worker)
    response = client.post(_url(resident), {"reden": "Verzoek van de bewoner"}, follow=True)

    assert not Resident.objects.filter(pk=resident.pk).exists()
    assert ContactMoment.objects.get().note == ""
    assert "is gewist" in response.content.decode()


def test_without_a_reason_the_page_asks_for_one(client, worker, resident):
    client.force_login(worker)
    response = client.post(_url(resident), {"reden": ""})

    assert response.status_code == 422
    assert "Geef de reden" in response.content.decode()
    assert Resident.objects.filter(pk=resident.pk).exists()


def test_withdrawn_consent_leads_to_the_same_erasure(client, worker, resident):
    client.force_login(worker)
    page = client.get(_url(resident, grond="toestemming")).content.decode()
    assert "Toestemming ingetrokken" in page

    client.post(_url(resident), {"reden": "Belde om toestemming in te trekken", "grond": "toestemming"})

    assert not Resident.objects.filter(pk=resident.pk).exists()
    event = AuditEvent.objects.get(action="delete", object_type="resident")
    assert event.detail["grond"] == "toestemming_ingetrokken"


def test_another_organisation_gets_404(client, outsider, resident):
    client.force_login(outsider)

    assert client.get(_url(resident)).status_code == 404
    assert client.post(_url(resident), {"reden": "Zomaar"}).status_code == 404
    assert Resident.objects.filter(pk=resident.pk).exists()


def test_an_analist_gets_no_erasure(client, analist, resident):
    client.force_login(analist)

    assert client.post(_url(resident), {"reden": "Zomaar"}).status_code in (403, 404)
    assert Resident.objects.filter(pk=resident.pk).exists()


# The API ---------------------------------------------------------------------------------------------------


def test_api_erases_and_answers_in_dutch(client, worker, resident):
    client.force_login(worker)
    response = _api(client, resident, {"reden": "Verzoek per brief"})

    assert response.status_code == 200
    data = response.json()
    assert "gewist" in data["detail"] and data["gewist"]["bewoners"] == 1 and data["gewist"]["contactmomenten"] == 1
    assert not Resident.objects.filter(pk=resident.pk).exists()


def test_api_is_404_for_a_resident_the_caller_may_not_see(client, outsider, resident):
    client.force_login(outsider)

    assert _api(client, resident, {"reden": "Verzoek per brief"}).status_code == 404
    assert Resident.objects.filter(pk=resident.pk).exists()


def test_api_is_403_for_a_resident_the_caller_may_see_but_not_change(client, buurt, resident):
    from nabij.accounts.tests.factories import SharingAgreementFactory

    partner = OrganisationFactory(name="Partner")
    SharingAgreementFactory(
        proposer=resident.organisation, partner=partner, accepted=True, buurten=[buurt], kinds=["bewoners"]
    )
    reader = UserFactory(buurten=[buurt], organisation=partner)
    client.force_login(reader)

    assert _api(client, resident, {"reden": "Verzoek per brief"}).status_code == 403
    assert Resident.objects.filter(pk=resident.pk).exists()


def test_api_without_a_reason_is_422_naming_the_field(client, worker, resident):
    client.force_login(worker)
    response = _api(client, resident, {})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "reden"]
    assert Resident.objects.filter(pk=resident.pk).exists()


def test_deleting_a_resident_in_the_admin_erases_their_notes_too(client, resident):
    superuser = UserFactory(is_superuser=True, is_staff=True, organisation=None, role="")
    client.force_login(superuser)

    response = client.post(f"/django-admin/contacts/resident/{resident.pk}/delete/", {"post": "yes"})

    assert response.status_code in (200, 302)
    if Resident.objects.filter(pk=resident.pk).exists():  # the admin may sit behind a second factor
        from django.contrib import admin
        from django.test import RequestFactory

        request = RequestFactory().post("/")
        request.user = superuser
        admin.site._registry[Resident].delete_model(request, resident)
    assert not Resident.objects.filter(pk=resident.pk).exists()
    assert ContactMoment.objects.get().note == ""
    assert AuditEvent.objects.get(action="delete", object_type="resident").detail["grond"] == "beheer"
