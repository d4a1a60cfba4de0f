"""Inzage (AVG art. 15): everything kept about a resident, as JSON (download and API) and as a PDF on paper,
only from the organisation that owns the file, and the export itself audited."""

import json

from django.utils import translation

import pytest

from nabij.contacts import services as contact_services
from nabij.contacts.tests.factories import (
    ContactMomentFactory,
    OrganisationFactory,
    ResidentFactory,
    UserFactory,
    topic,
)
from nabij.followup.models import PromiseHandover, ReferralStatusChange
from nabij.followup.tests.factories import BuurtFactory, PromiseFactory, ProviderFactory, ReferralFactory
from nabij.privacy.inzage import inzage_html
from nabij.privacy.models import AuditEvent
from nabij.privacy.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def buurt(db):
    return BuurtFactory(name="De Akkers")


@pytest.fixture
def worker(buurt):
    return UserFactory(buurten=[buurt], full_name="Wim Werker")


@pytest.fixture
def resident(worker, buurt):
    """A resident with one record of every kind: a contact (later corrected), a promise with a hand-over and a
    referral shared with a receiving organisation, with a status change; and a colleague who read the file."""
    resident = ResidentFactory(buurt=buurt, created_by=worker, label="bewoonster galerijflat")
    moment = ContactMomentFactory(
        worker=worker, buurt=buurt, resident=resident, note="Vraag over de kanariepietjes.", topics=[topic("taal")]
    )
    contact_services.contact_moment_correct(
        user=worker, moment=moment, buurt=buurt.code, topics=["taal"], note="Vraag over taalles.", reason="onjuist"
    )
    promise = PromiseFactory(owner=worker, buurt=buurt, resident=resident, description="Terugbellen over taalles")
    PromiseHandover.objects.create(promise=promise, from_user=worker, to_user=worker, note="Overgedragen.", by=worker)
    receiving = OrganisationFactory(name="Taalhuis Nabij")
    provider = ProviderFactory(name="Taalhuis", nabij_organisation=receiving)
    referral = ReferralFactory(
        worker=worker,
        buurt=buurt,
        resident=resident,
        provider=provider,
        question="Wil Nederlands leren",
        consent_to_share=True,
    )
    ReferralStatusChange.objects.create(referral=referral, from_status="verwezen", to_status="geholpen", by=worker)
    colleague = UserFactory(buurten=[buurt], role="coordinator", full_name="Cora Coördinator")
    audit_record(actor=colleague, action="view", object_type="resident", object_id=resident.pk)
    return resident


def _inzage(client, user, resident, fmt="json"):
    client.force_login(user)
    return client.get(f"/contacten/bewoners/{resident.pk}/inzage.{fmt}")


def test_json_holds_every_kind_of_record(client, worker, resident):
    response = _inzage(client, worker, resident)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    parts = data["onderdelen"]
    assert parts["bewoner"]["gegevens"][0]["label"] == "bewoonster galerijflat"
    assert [c["toestemming"] for c in parts["toestemming"]["gegevens"]] == ["gegeven"]
    contact = parts["contactmomenten"]["gegevens"][0]
    assert contact["notitie"] == "Vraag over taalles." and contact["onderwerpen"] == [topic("taal").label]
    assert contact["toelichting"][0].startswith("Verbeterd op")
    promise = parts["beloftes"]["gegevens"][0]
    assert promise["belofte"] == "Terugbellen over taalles" and "overgedragen" in promise["toelichting"][0]
    referral = parts["doorverwijzingen"]["gegevens"][0]
    assert referral["naar"] == "Taalhuis" and referral["vraag"] == "Wil Nederlands leren"
    assert referral["gedeeld_met"] == ["Taalhuis Nabij, omdat u toestemming gaf"]
    readers = parts["gelezen"]["gegevens"]
    assert {(r["organisatie"], r["rol"]) for r in readers} == {("Welzijn Test", "Coördinator")}
    assert data["verwerkingsverantwoordelijke"]["organisatie"] == "Welzijn Test"
    assert any("Autoriteit Persoonsgegevens" in text for text in data["rechten"])


def test_readers_are_shown_without_their_names(client, worker, resident):
    body = _inzage(client, worker, resident).content.decode()
    assert "Cora" not in body


def test_old_corrected_note_is_not_in_the_inzage(client, worker, resident):
    assert "kanariepietjes" not in _inzage(client, worker, resident).content.decode()


def test_pdf_is_a_pdf(client, worker, resident):
    response = _inzage(client, worker, resident, "pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_print_page_reads_as_plain_dutch(worker, resident):
    from nabij.contacts.selectors import resident_inzage

    _resident, inzage = resident_inzage(user=worker, pk=resident.pk, fmt="pdf")
    html = inzage_html(inzage)
    for text in (
        "Wat Nabij over u bewaart",
        "Welzijn Test",
        "Wim Werker",
        "Onze gesprekken met u",
        "Wat we u beloofden",
        "Waar we u naartoe stuurden",
        "Wie uw gegevens heeft bekeken",
        "Autoriteit Persoonsgegevens",
        "Vraag over taalles.",
    ):
        assert text in html, text


def test_export_is_audited(client, worker, resident):
    _inzage(client, worker, resident, "pdf")
    event = AuditEvent.objects.get(action="export", object_type="resident", object_id=str(resident.pk))
    assert event.actor == worker and event.detail["inzage"] == "pdf"
    assert event.detail["aantallen"]["contactmomenten"] == 1


def test_api_inzage_returns_the_json(client, worker, resident):
    client.force_login(worker)
    response = client.get(f"/api/v1/bewoners/{resident.pk}/inzage")
    assert response.status_code == 200
    assert response.json()["onderdelen"]["doorverwijzingen"]["gegevens"][0]["naar"] == "Taalhuis"
    assert AuditEvent.objects.filter(action="export", object_type="resident", object_id=str(resident.pk)).exists()


def test_another_organisation_gets_no_inzage(client, buurt, resident):
    stranger = UserFactory(buurten=[buurt], organisation=OrganisationFactory(name="Corporatie Test"))
    assert _inzage(client, stranger, resident).status_code == 404
    client.force_login(stranger)
    assert client.get(f"/api/v1/bewoners/{resident.pk}/inzage").status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_analist_gets_no_inzage(client, buurt, resident):
    analist = UserFactory(buurten=[buurt], role="analist")
    assert _inzage(client, analist, resident).status_code == 403


def test_resident_page_offers_both_inzage_buttons(client, worker, resident):
    client.force_login(worker)
    body = client.get(f"/contacten/bewoners/{resident.pk}/").content.decode()
    assert f"/contacten/bewoners/{resident.pk}/inzage.pdf" in body
    assert f"/contacten/bewoners/{resident.pk}/inzage.json" in body


def test_explanations_on_paper_are_b1(worker, resident):
    """The sentences that explain the paper (header, sections, rights) pass the B1 checker the public pages use."""
    from nabij.contacts.selectors import resident_inzage
    from nabij.language.b1 import b1_check
    from nabij.privacy.inzage import RIGHTS

    _resident, inzage = resident_inzage(user=worker, pk=resident.pk, fmt="pdf")
    texts = [section["explanation"] for section in inzage["sections"]] + [str(text) for _key, text in RIGHTS]
    with translation.override("nl"):
        result = b1_check(" ".join(texts))
    assert result.is_b1, (result.score, result.words_per_sentence, result.advice)
