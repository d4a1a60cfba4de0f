"""Key figures belong to the organisation that recorded them (issue 13): staff of another organisation working in
the same buurt see none of them — list, search, map, export, API — until a samenwerkingsafspraak that names key
figures is in effect, and then read-only, with the read audited for the owner."""

import csv
import io
import json
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from nabij.accounts.models import RecordKind, SharingAgreement
from nabij.assets import services
from nabij.assets.models import KeyFigure
from nabij.assets.tests.factories import KeyFigureFactory, PlaceFactory, UserFactory
from nabij.contacts.tests.factories import OrganisationFactory
from nabij.privacy.models import AuditEvent

API = "/api/v1/sociale-kaart"
LABEL = "buurtmoeder De Akkers"


@pytest.fixture
def figure(worker, buurt):
    """A key figure recorded by the welfare organisation's worker (org A)."""
    return KeyFigureFactory(
        label=LABEL, gifts="Kan goed koken voor grote groepen.", buurt=buurt, consent_recorded_by=worker
    )


@pytest.fixture
def corporatie(buurt):
    """A worker of another organisation (org B) with the same gemeente in scope."""
    user = UserFactory(organisation=OrganisationFactory(name="Woonstichting Test", kind="woningcorporatie"))
    user.scope_gemeenten.set([buurt.gemeente])
    return user


@pytest.fixture
def agreement(worker, corporatie, buurt):
    """A samenwerkingsafspraak for key figures in `buurt`, accepted by both beheerders."""
    today = timezone.localdate()
    now = timezone.now()
    agreement = SharingAgreement.objects.create(
        proposer=worker.organisation,
        partner=corporatie.organisation,
        purpose="Samen de eettafel opzetten",
        kinds=[RecordKind.SLEUTELFIGUREN],
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=30),
        proposer_accepted_at=now,
        partner_accepted_at=now,
    )
    agreement.buurten.set([buurt])
    return agreement


def _csv_text(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_a_key_figure_belongs_to_the_organisation_of_whoever_recorded_it(worker, buurt):
    figure = services.key_figure_create(
        user=worker, label="taalvrouw", buurt=buurt.code, gifts="Spreekt Turks.", consent=True
    )

    assert figure.organisation_id == worker.organisation_id
    assert KeyFigure._meta.get_field("organisation").editable is False


def test_another_organisation_sees_no_key_figures_in_the_list(client, figure, corporatie):
    client.force_login(corporatie)

    response = client.get(reverse("assets:key-figure-list"))

    assert response.status_code == 200
    assert LABEL not in response.content.decode()


def test_the_own_organisation_sees_its_key_figures_in_the_list(client, figure, worker):
    client.force_login(worker)

    assert LABEL in client.get(reverse("assets:key-figure-list")).content.decode()


def test_another_organisation_finds_no_key_figures_in_search(client, figure, corporatie, buurt):
    client.force_login(corporatie)

    page = client.get(reverse("assets:search"), {"buurt": buurt.code, "q": "koken"})
    api = client.get(f"{API}/zoek", {"buurt": buurt.code, "q": "koken"})

    assert LABEL not in page.content.decode()
    assert api.json() == []


def test_search_hits_name_the_owner_and_are_audited_for_the_reader(client, figure, worker, buurt):
    client.force_login(worker)

    hits = client.get(f"{API}/zoek", {"buurt": buurt.code, "q": "koken"}).json()

    assert [(h["soort"], h["naam"], h["organisatie"]) for h in hits] == [
        ("sleutelfiguur", LABEL, worker.organisation.slug)
    ]
    assert AuditEvent.objects.filter(actor=worker, action="search", object_type="key_figure").exists()


def test_the_map_data_of_another_organisation_holds_no_key_figures(client, figure, corporatie, buurt):
    PlaceFactory(name="Buurthuis", buurt=buurt, latitude="52.100000", longitude="5.100000")
    client.force_login(corporatie)

    response = client.get(reverse("assets:map"))

    points = response.context["points"]
    assert [f["properties"]["naam"] for f in points["features"]] == ["Buurthuis"]
    assert LABEL not in json.dumps(points) + json.dumps(response.context["outlines"])
    assert LABEL not in response.content.decode()


def test_another_organisation_exports_no_key_figures(client, figure, corporatie):
    client.force_login(corporatie)

    response = client.get(reverse("assets:export"), {"format": "csv", "kind": "sleutelfiguren"})

    rows = list(csv.reader(io.StringIO(_csv_text(response)), delimiter=";"))
    assert response.status_code == 200
    assert rows[1:] == []


def test_the_export_names_the_owner_of_each_key_figure(client, figure, worker):
    client.force_login(worker)

    response = client.get(reverse("assets:export"), {"format": "csv", "kind": "sleutelfiguren"})

    rows = list(csv.reader(io.StringIO(_csv_text(response)), delimiter=";"))
    assert rows[0][-1] == "organisatie"
    assert rows[1][0] == LABEL and rows[1][-1] == worker.organisation.slug
    assert AuditEvent.objects.filter(actor=worker, action="export", object_type="key_figure").exists()


def test_another_organisation_gets_no_key_figures_from_the_api(client, figure, corporatie):
    client.force_login(corporatie)

    listing = client.get(f"{API}/sleutelfiguren")
    detail = client.get(f"{API}/sleutelfiguren/{figure.pk}")

    assert listing.status_code == 200
    assert listing.json() == {"items": [], "count": 0}
    assert detail.status_code == 404


def test_the_api_names_the_owner_of_a_key_figure(client, figure, worker):
    client.force_login(worker)

    items = client.get(f"{API}/sleutelfiguren").json()["items"]

    assert [(i["label"], i["organisatie"]) for i in items] == [(LABEL, worker.organisation.slug)]


def test_the_api_list_of_key_figures_is_bounded(client, figure, worker):
    client.force_login(worker)

    assert client.get(f"{API}/sleutelfiguren", {"limit": 101}).status_code == 400
    assert client.get(f"{API}/sleutelfiguren", {"offset": 5}).status_code == 400


def test_an_analist_gets_403_from_the_key_figure_api(client, figure, analist):
    client.force_login(analist)

    assert client.get(f"{API}/sleutelfiguren").status_code == 403


def test_editing_another_organisations_key_figure_is_404(client, figure, corporatie):
    client.force_login(corporatie)

    assert client.get(reverse("assets:key-figure-edit", args=[figure.pk])).status_code == 404
    assert client.post(reverse("assets:key-figure-delete", args=[figure.pk])).status_code == 404
    assert KeyFigure.objects.filter(pk=figure.pk).exists()


def test_under_an_agreement_the_partner_reads_key_figures_and_the_owner_sees_the_read(
    client, figure, worker, corporatie, agreement
):
    client.force_login(corporatie)

    response = client.get(reverse("assets:key-figure-list"))

    assert LABEL in response.content.decode()
    assert reverse("assets:key-figure-edit", args=[figure.pk]) not in response.content.decode()
    owner_event = AuditEvent.objects.get(actor=corporatie, owner_organisation=worker.organisation)
    assert (owner_event.agreement_id, owner_event.detail["aantal"]) == (agreement.pk, 1)


def test_under_an_agreement_a_shared_key_figure_stays_read_only(client, figure, corporatie, agreement):
    client.force_login(corporatie)

    edit = client.get(reverse("assets:key-figure-edit", args=[figure.pk]))
    delete = client.post(reverse("assets:key-figure-delete", args=[figure.pk]))
    api = client.put(
        f"{API}/sleutelfiguren/{figure.pk}",
        {"label": "iets anders", "buurt": figure.buurt_id, "gaven": "x", "toestemming": True},
        content_type="application/json",
    )

    assert (edit.status_code, delete.status_code, api.status_code) == (403, 403, 403)
    assert KeyFigure.objects.get(pk=figure.pk).label == LABEL


def test_ending_the_agreement_closes_access_at_once(client, figure, corporatie, agreement):
    agreement.ended_at = timezone.now()
    agreement.save()
    client.force_login(corporatie)

    assert LABEL not in client.get(reverse("assets:key-figure-list")).content.decode()
