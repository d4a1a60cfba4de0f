"""Two organisations working in the same buurt (issue 13): each owns its contact moments, observations and
residents; the other organisation's staff see none of them anywhere until a samenwerkingsafspraak accepted by
both beheerders shares them, and then the owner's beheerder sees every such read in the audit."""

import json
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from nabij.accounts.models import SharingAgreement
from nabij.contacts import services
from nabij.contacts.models import ContactMoment, Signal
from nabij.contacts.tests.factories import (
    ContactMomentFactory,
    OrganisationFactory,
    ResidentFactory,
    RoundFactory,
    SignalFactory,
    UserFactory,
)
from nabij.privacy.models import AuditEvent
from nabij.privacy.selectors import audit_event_list

pytestmark = pytest.mark.django_db

NOTE_A = "Schulden bij de energieleverancier, durft de post niet te openen."


@pytest.fixture
def welzijn(db):
    return OrganisationFactory(name="Welzijn A")


@pytest.fixture
def corporatie(db):
    return OrganisationFactory(name="Corporatie B", kind="woningcorporatie")


@pytest.fixture
def worker_a(buurt, welzijn):
    return UserFactory(organisation=welzijn, buurten=[buurt], full_name="Anna Welzijn")


@pytest.fixture
def beheerder_a(buurt, welzijn):
    return UserFactory(organisation=welzijn, role="beheerder", buurten=[buurt])


@pytest.fixture
def worker_b(buurt, corporatie):
    return UserFactory(organisation=corporatie, buurten=[buurt])


@pytest.fixture
def records_a(worker_a, buurt):
    """Org A's contact (about a resident), observation, resident and round in the shared buurt."""
    round_ = RoundFactory(worker=worker_a, buurten=[buurt])
    resident = ResidentFactory(buurt=buurt, created_by=worker_a, label="bewoonster galerijflat")
    contact = ContactMomentFactory(buurt=buurt, worker=worker_a, note=NOTE_A, resident=resident, round=round_)
    signal = SignalFactory(buurt=buurt, worker=worker_a, note="Portiekdeur sluit niet.", round=round_)
    return {"contact": contact, "signal": signal, "resident": resident, "round": round_}


def _agreement(a, b, buurt, kinds, **extra):
    today = timezone.localdate()
    values = {
        "proposer": a,
        "partner": b,
        "kinds": kinds,
        "purpose": "Samen schulden signaleren.",
        "start_date": today - timedelta(days=1),
        "end_date": today + timedelta(days=30),
        "proposer_accepted_at": timezone.now(),
        "partner_accepted_at": timezone.now(),
    } | extra
    agreement = SharingAgreement.objects.create(**values)
    agreement.buurten.set([buurt])
    return agreement


def _login(client, user):
    client.force_login(user)
    return client


# Records belong to the recorder's organisation ------------------------------------------------------------


def test_capture_sets_the_recorders_organisation(worker_a, buurt, welzijn):
    moment = services.contact_moment_create(
        user=worker_a, buurt=buurt.code, channel="straat", topics=["taal"], note="Praatje."
    )
    signal = services.signal_create(user=worker_a, buurt=buurt.code, topic="veiligheid")
    resident = services.resident_create(user=worker_a, label="bewoner flat", buurt=buurt.code, consent=True)
    stored = [ContactMoment.objects.get(pk=moment.pk), Signal.objects.get(pk=signal.pk), resident]
    assert [r.organisation_id for r in stored] == [welzijn.pk] * 3


def test_api_capture_names_the_owner(client, worker_a, buurt, welzijn):
    body = {"buurt": buurt.code, "kanaal": "straat", "onderwerpen": ["taal"], "notitie": "Praatje."}
    response = _login(client, worker_a).post(
        "/api/v1/contactmomenten", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["organisatie"] == welzijn.slug
    assert ContactMoment.objects.get().organisation == welzijn


def test_api_lists_and_details_carry_the_organisation(client, worker_a, records_a, welzijn):
    api = _login(client, worker_a)
    assert api.get("/api/v1/contactmomenten").json()["items"][0]["organisatie"] == welzijn.slug
    assert api.get("/api/v1/waarnemingen").json()["items"][0]["organisatie"] == welzijn.slug
    assert api.get(f"/api/v1/contactmomenten/{records_a['contact'].pk}").json()["organisatie"] == welzijn.slug


# Another organisation in the same buurt sees none of it ---------------------------------------------------


def test_other_organisation_sees_nothing_on_the_timeline(client, worker_b, records_a, buurt, worker_a):
    response = _login(client, worker_b).get(reverse("contacts:buurt-timeline", args=[buurt.code]))
    assert response.status_code == 200  # the buurt is in their scope ...
    body = response.content.decode()
    assert response.context["timeline"].total == 0  # ... but org A's records are not there
    assert "energieleverancier" not in body and "Portiekdeur" not in body
    assert worker_a.full_name not in body  # not even in the worker filter


def test_other_organisation_sees_nothing_in_my_contacts_rounds_and_resident_pages(client, worker_b, records_a):
    api = _login(client, worker_b)
    assert api.get(reverse("contacts:my-contacts")).context["page"].paginator.count == 0
    assert api.get(reverse("contacts:round-detail", args=[records_a["round"].pk])).status_code == 404
    assert api.get(reverse("contacts:resident-detail", args=[records_a["resident"].pk])).status_code == 404


def test_other_organisation_finds_no_residents(client, worker_b, records_a, buurt):
    response = _login(client, worker_b).get(
        reverse("contacts:resident-search"), {"bewoner_zoek": "galerijflat", "buurt": buurt.code}
    )
    assert response.status_code == 200
    assert [v for v, _label in response.context["form"].fields["resident"].choices if v] == []
    picker = client.get(reverse("contacts:contact-capture"), {"buurt": buurt.code})
    assert [v for v, _label in picker.context["form"].fields["resident"].choices if v] == []


def test_other_organisation_cannot_link_a_contact_to_the_resident(worker_b, records_a, buurt):
    from nabij.core.exceptions import InvalidInput

    with pytest.raises(InvalidInput) as exc:
        services.contact_moment_create(
            user=worker_b, buurt=buurt.code, channel="straat", topics=["taal"], resident=records_a["resident"].pk
        )
    assert exc.value.field == "bewoner"


def test_other_organisation_sees_nothing_in_the_api(client, worker_b, records_a):
    api = _login(client, worker_b)
    assert api.get("/api/v1/contactmomenten").json() == {"items": [], "count": 0}
    assert api.get("/api/v1/waarnemingen").json() == {"items": [], "count": 0}
    assert api.get(f"/api/v1/contactmomenten/{records_a['contact'].pk}").status_code == 404
    assert api.get(f"/api/v1/waarnemingen/{records_a['signal'].pk}").status_code == 404


def test_other_organisation_cannot_change_an_observation(client, worker_b, records_a):
    signal = records_a["signal"]
    response = _login(client, worker_b).post(
        reverse("contacts:signal-status", args=[signal.pk]), {"status": "opgelost", "version": 1}
    )
    assert response.status_code == 404
    assert Signal.objects.get(pk=signal.pk).status == "gemeld"


def test_without_an_agreement_the_owner_audit_shows_no_read_by_the_other(client, worker_b, beheerder_a, records_a):
    _login(client, worker_b).get(reverse("contacts:buurt-timeline", args=[records_a["contact"].buurt_id]))
    client.get("/api/v1/contactmomenten")
    assert not audit_event_list(user=beheerder_a).filter(actor=worker_b, result="ok").exists()


def test_an_agreement_not_accepted_by_both_shares_nothing(client, welzijn, corporatie, worker_b, records_a, buurt):
    _agreement(welzijn, corporatie, buurt, ["contactmomenten", "bewoners"], partner_accepted_at=None)
    response = _login(client, worker_b).get(reverse("contacts:buurt-timeline", args=[buurt.code]))
    assert response.context["timeline"].total == 0


# A samenwerkingsafspraak shares exactly what it names, audited for the owner --------------------------------


def test_agreement_shares_contacts_and_residents_and_the_owner_sees_the_reads(
    client, welzijn, corporatie, worker_b, beheerder_a, records_a, buurt
):
    agreement = _agreement(welzijn, corporatie, buurt, ["contactmomenten", "bewoners"])
    api = _login(client, worker_b)
    timeline = api.get(reverse("contacts:buurt-timeline", args=[buurt.code]))
    assert "energieleverancier" in timeline.content.decode()
    assert "Portiekdeur" not in timeline.content.decode()  # observations are not in the agreement
    resident = api.get(reverse("contacts:resident-detail", args=[records_a["resident"].pk]))
    assert resident.status_code == 200 and resident.context["page"].paginator.count == 1
    assert [i["id"] for i in api.get("/api/v1/contactmomenten").json()["items"]] == [records_a["contact"].pk]

    seen = audit_event_list(user=beheerder_a).filter(actor=worker_b, owner_organisation=welzijn)
    assert {e.object_type for e in seen} >= {"contactmoment_list", "resident"}
    assert all(e.agreement_id == agreement.pk and e.organisation_id == corporatie.pk for e in seen)
    assert all(e.detail.get("grond") == "agreement" for e in seen)


def test_shared_records_are_read_only(client, welzijn, corporatie, worker_b, records_a, buurt):
    _agreement(welzijn, corporatie, buurt, ["waarnemingen"])
    signal = records_a["signal"]
    api = _login(client, worker_b)
    body = api.get(reverse("contacts:buurt-timeline", args=[buurt.code])).content.decode()
    assert "Portiekdeur" in body and f'action="/contacten/waarnemingen/{signal.pk}/status/"' not in body
    response = api.post(reverse("contacts:signal-status", args=[signal.pk]), {"status": "opgelost", "version": 1})
    assert response.status_code == 403
    assert Signal.objects.get(pk=signal.pk).status == "gemeld"


def test_agreement_on_contacts_alone_hides_the_residents_label(client, welzijn, corporatie, worker_b, records_a, buurt):
    _agreement(welzijn, corporatie, buurt, ["contactmomenten"])
    body = _login(client, worker_b).get(reverse("contacts:buurt-timeline", args=[buurt.code])).content.decode()
    assert "energieleverancier" in body and "galerijflat" not in body
    assert client.get(reverse("contacts:resident-detail", args=[records_a["resident"].pk])).status_code == 404


def test_ending_the_agreement_closes_access_at_once(client, welzijn, corporatie, worker_b, records_a, buurt):
    agreement = _agreement(welzijn, corporatie, buurt, ["contactmomenten", "bewoners"])
    api = _login(client, worker_b)
    assert api.get(f"/api/v1/contactmomenten/{records_a['contact'].pk}").status_code == 200
    agreement.ended_at = timezone.now()
    agreement.save()
    assert api.get(f"/api/v1/contactmomenten/{records_a['contact'].pk}").status_code == 404


# Edits never overwrite each other -------------------------------------------------------------------------


def test_a_stale_status_change_shows_the_form_again_with_the_colleagues_change(client, worker_a, buurt, welzijn):
    colleague = UserFactory(organisation=welzijn, buurten=[buurt])
    signal = SignalFactory(buurt=buurt, worker=worker_a)
    url = reverse("contacts:signal-status", args=[signal.pk])
    assert _login(client, colleague).post(url, {"status": "doorgezet", "version": 1}).status_code == 302
    response = _login(client, worker_a).post(url, {"status": "opgelost", "version": 1})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Een collega heeft dit intussen gewijzigd" in body
    assert "Doorgezet" in body  # what the colleague changed
    assert response.context["form"].initial["version"] == 2
    assert Signal.objects.get(pk=signal.pk).status == "doorgezet"  # nothing overwritten
    assert client.post(url, {"status": "opgelost", "version": 2}).status_code == 302
    assert Signal.objects.get(pk=signal.pk).status == "opgelost"


def test_api_status_change_honours_if_match(client, worker_a, buurt):
    signal = SignalFactory(buurt=buurt, worker=worker_a)
    api = _login(client, worker_a)
    url = f"/api/v1/waarnemingen/{signal.pk}"
    tag = api.get(url)["ETag"]
    body = json.dumps({"status": "doorgezet"})
    changed = api.patch(url, data=body, content_type="application/json", HTTP_IF_MATCH=tag)
    assert changed.status_code == 200 and changed.json()["status"] == "doorgezet"
    assert changed["ETag"] != tag
    stale = api.patch(url, data=json.dumps({"status": "opgelost"}), content_type="application/json", HTTP_IF_MATCH=tag)
    assert stale.status_code == 409
    assert stale.json()["detail"][0]["loc"] == ["body", "version"]
    assert Signal.objects.get(pk=signal.pk).status == "doorgezet"


def test_api_status_change_with_an_unknown_status_is_422(client, worker_a, buurt):
    signal = SignalFactory(buurt=buurt, worker=worker_a)
    response = _login(client, worker_a).patch(
        f"/api/v1/waarnemingen/{signal.pk}", data=json.dumps({"status": "weg"}), content_type="application/json"
    )
    assert response.status_code == 422
    assert AuditEvent.objects.filter(action="update", object_type="signal").count() == 0


def test_the_change_filter_agrees_with_can_change(welzijn, corporatie, buurt, other_buurt, worker_a, worker_b):
    from nabij.core.access.contacts import contact_moment_policy, resident_policy, signal_policy

    _agreement(welzijn, corporatie, buurt, ["contactmomenten", "waarnemingen", "bewoners"])
    analist = UserFactory(organisation=welzijn, role="analist", buurten=[buurt])
    elsewhere = UserFactory(organisation=welzijn, buurten=[other_buurt])
    records = [
        ContactMomentFactory(buurt=buurt, worker=worker_a),
        ContactMomentFactory(buurt=buurt, worker=worker_b),
        SignalFactory(buurt=buurt, worker=worker_a),
        SignalFactory(buurt=other_buurt, worker=elsewhere),
        ResidentFactory(buurt=buurt, created_by=worker_b),
        ResidentFactory(buurt=buurt, created_by=None),
    ]
    policies = {ContactMoment: contact_moment_policy, Signal: signal_policy}
    for user in (worker_a, worker_b, analist, elsewhere):
        for record in records:
            policy = policies.get(type(record), resident_policy)
            in_filter = policy.changeable(user).filter(pk=record.pk).exists()
            assert in_filter == policy.can_change(user, record), (user, record)


def test_api_list_refuses_more_than_100_rows_a_page(client, worker_a):
    response = _login(client, worker_a).get("/api/v1/contactmomenten", {"limit": 101})
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["query", "limit"]
