"""The Samenwerkingsafspraken pages and /api/v1/samenwerkingsafspraken."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from nabij.accounts.models import SharingAgreement
from nabij.accounts.tests.factories import OrganisationFactory, SharingAgreementFactory, UserFactory
from nabij.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db

API = "/api/v1/samenwerkingsafspraken"


@pytest.fixture
def welzijn():
    return OrganisationFactory(name="Welzijn Pagina", slug="welzijn-pagina")


@pytest.fixture
def corporatie():
    return OrganisationFactory(name="Woonstichting Pagina", slug="woonstichting-pagina")


@pytest.fixture
def beheerder(town, welzijn):
    return UserFactory(beheerder=True, organisation=welzijn, scope_wijken=[town.wijk_a])


@pytest.fixture
def partner_beheerder(town, corporatie):
    return UserFactory(beheerder=True, organisation=corporatie, scope_wijken=[town.wijk_a])


@pytest.fixture
def agreement(town, welzijn, corporatie):
    return SharingAgreementFactory(proposer=welzijn, partner=corporatie, buurten=[town.buurt_a])


def _login(client, user):
    client.force_login(user)
    return client


# --- List and menu ------------------------------------------------------------------------------------------


def test_list_groups_agreements_by_status(client, town, beheerder, welzijn, corporatie, agreement):
    in_effect = SharingAgreementFactory(proposer=corporatie, partner=welzijn, accepted=True, buurten=[town.buurt_a])
    ended = SharingAgreementFactory(proposer=welzijn, partner=corporatie, ended_at=timezone.now())
    SharingAgreementFactory()  # two other organisations

    groups = _login(client, beheerder).get(reverse("accounts:agreement-list")).context["groups"]

    assert groups["in_effect"] == [in_effect]
    assert groups["waiting"] == [agreement]
    assert groups["ended"] == [ended]


def test_menu_shows_the_entry_to_beheerders_only(client, town, beheerder, welzijn):
    url = reverse("accounts:agreement-list")
    assert url in _login(client, beheerder).get("/").content.decode()
    worker = UserFactory(buurtwerker=True, organisation=welzijn, scope_wijken=[town.wijk_a])
    assert url not in _login(client, worker).get("/").content.decode()


def test_other_roles_are_refused_and_audited(client, town, welzijn):
    worker = UserFactory(coordinator=True, organisation=welzijn, scope_wijken=[town.wijk_a])
    response = _login(client, worker).get(reverse("accounts:agreement-list"))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(actor=worker, result=AuditEvent.Result.DENIED).exists()


def test_list_query_count_does_not_grow(client, town, beheerder, welzijn, corporatie):
    SharingAgreementFactory(proposer=welzijn, partner=corporatie, buurten=[town.buurt_a])
    _login(client, beheerder)
    client.get(reverse("accounts:agreement-list"))  # the area scope is cached from the first request on
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("accounts:agreement-list"))
    for _ in range(4):
        SharingAgreementFactory(proposer=welzijn, partner=corporatie, buurten=[town.buurt_a, town.buurt_a2])
    client.get(reverse("accounts:agreement-list"))  # the changed agreements are read once, then cached
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("accounts:agreement-list"))
    assert len(many) == len(few)


# --- Detail, accept, end ------------------------------------------------------------------------------------


def test_a_third_organisations_beheerder_gets_not_found(client, town, agreement):
    stranger = UserFactory(beheerder=True, scope_wijken=[town.wijk_a])
    response = _login(client, stranger).get(reverse("accounts:agreement-detail", args=[agreement.pk]))
    assert response.status_code == 404


def test_partner_sees_accept_button_and_accepts(client, partner_beheerder, agreement):
    _login(client, partner_beheerder)
    detail = client.get(reverse("accounts:agreement-detail", args=[agreement.pk]))
    assert detail.context["can_accept"] and detail.context["can_end"]

    response = client.post(
        reverse("accounts:agreement-accept", args=[agreement.pk]), {"version": agreement.version}, follow=True
    )

    assert response.status_code == 200
    assert SharingAgreement.objects.get(pk=agreement.pk).is_in_effect()


def test_proposer_sees_no_accept_button(client, beheerder, agreement):
    detail = _login(client, beheerder).get(reverse("accounts:agreement-detail", args=[agreement.pk]))
    assert not detail.context["can_accept"] and detail.context["can_end"]


def test_accepting_with_an_old_version_says_it_changed(client, partner_beheerder, agreement):
    SharingAgreement.objects.filter(pk=agreement.pk).update(version=agreement.version + 1)
    response = _login(client, partner_beheerder).post(
        reverse("accounts:agreement-accept", args=[agreement.pk]), {"version": agreement.version}, follow=True
    )
    assert SharingAgreement.objects.get(pk=agreement.pk).partner_accepted_at is None
    assert "gewijzigd" in response.content.decode()


def test_end_button_ends_it(client, beheerder, agreement):
    _login(client, beheerder).post(reverse("accounts:agreement-end", args=[agreement.pk]))
    assert SharingAgreement.objects.get(pk=agreement.pk).ended_at is not None


def test_end_needs_post(client, beheerder, agreement):
    response = _login(client, beheerder).get(reverse("accounts:agreement-end", args=[agreement.pk]))
    assert response.status_code == 405


# --- Proposal form ------------------------------------------------------------------------------------------


def test_proposal_form_creates_a_waiting_agreement(client, beheerder, corporatie):
    today = timezone.localdate()
    response = _login(client, beheerder).post(
        reverse("accounts:agreement-create"),
        {
            "partner": corporatie.pk,
            "buurten": ["BU00010101"],
            "kinds": ["contactmomenten"],
            "purpose": "Samen eerder hulp bieden",
            "start_date": today.isoformat(),
            "end_date": (today + timedelta(days=60)).isoformat(),
        },
    )
    agreement = SharingAgreement.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{agreement.pk}/")
    assert agreement.partner == corporatie and agreement.partner_accepted_at is None


def test_proposal_form_offers_only_buurten_in_scope_and_other_organisations(client, town, beheerder, welzijn):
    form = _login(client, beheerder).get(reverse("accounts:agreement-create")).context["form"]
    codes = {code for _group, options in form.fields["buurten"].choices for code, _label in options}
    assert codes == {"BU00010101", "BU00010102"}  # wijk A without its water buurt
    assert welzijn not in form.fields["partner"].queryset


def test_empty_proposal_shows_dutch_messages(client, beheerder):
    response = _login(client, beheerder).post(reverse("accounts:agreement-create"), {})
    assert response.status_code == 200
    form = response.context["form"]
    assert {"partner", "buurten", "kinds", "purpose", "start_date", "end_date"} <= set(form.errors)
    assert "Kies minstens één buurt." in form.errors["buurten"]


def test_a_tampered_buurt_is_refused_on_the_form(client, beheerder, corporatie):
    today = timezone.localdate()
    response = _login(client, beheerder).post(
        reverse("accounts:agreement-create"),
        {
            "partner": corporatie.pk,
            "buurten": ["BU00020101"],
            "kinds": ["contactmomenten"],
            "purpose": "x",
            "start_date": today.isoformat(),
            "end_date": today.isoformat(),
        },
    )
    assert response.status_code == 200 and "buurten" in response.context["form"].errors
    assert not SharingAgreement.objects.exists()


# --- API ----------------------------------------------------------------------------------------------------


def test_api_lists_the_organisations_agreements_with_dutch_fields(client, town, beheerder, agreement):
    SharingAgreementFactory()  # not theirs

    body = _login(client, beheerder).get(API).json()

    assert body["count"] == 1
    row = body["items"][0]
    assert row["id"] == agreement.pk
    assert row["voorsteller"] == "welzijn-pagina" and row["partner"] == "woonstichting-pagina"
    assert row["buurten"] == ["BU00010101"] and row["soorten"] == ["contactmomenten"]
    assert row["status"] == "wacht_op_akkoord"
    assert {"doel", "begindatum", "einddatum"} <= set(row)


def test_api_refuses_a_buurtwerker_with_a_dutch_message(client, town, welzijn):
    worker = UserFactory(buurtwerker=True, organisation=welzijn, scope_wijken=[town.wijk_a])
    response = _login(client, worker).get(API)
    assert response.status_code == 403
    assert response.json()["detail"][0]["msg"]


def test_api_refuses_a_limit_above_100(client, beheerder, agreement):
    response = _login(client, beheerder).get(API, {"limit": 101})
    assert response.status_code == 400
