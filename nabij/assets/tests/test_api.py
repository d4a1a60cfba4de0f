import pytest

from nabij.assets.models import Initiative, Place, Provider
from nabij.assets.tests.factories import InitiativeFactory, KeyFigureFactory, PlaceFactory, topic

BASE = "/api/v1/sociale-kaart"


@pytest.fixture
def api(client, worker):
    client.force_login(worker)
    return client


def test_create_initiative(api, buurt):
    topic("taal", "taal")

    response = api.post(
        f"{BASE}/initiatieven",
        {"naam": "Taalmaatjes", "buurten": [buurt.code], "onderwerpen": ["taal"], "behoeften": ["vrijwilligers"]},
        content_type="application/json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["naam"], body["buurten"], body["onderwerpen"], body["behoeften"]) == (
        "Taalmaatjes",
        [buurt.code],
        ["taal"],
        ["vrijwilligers"],
    )


def test_create_initiative_with_unknown_buurt_is_422_in_dutch(api):
    response = api.post(
        f"{BASE}/initiatieven", {"naam": "X", "buurten": ["BU99999999"]}, content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "buurten"]
    assert "BU99999999" in response.json()["detail"][0]["msg"]
    assert not Initiative.objects.exists()


def test_create_organisation(api, buurt):
    response = api.post(
        f"{BASE}/organisaties",
        {"naam": "Taalhuis", "soort": "taalhuis", "buurten": [buurt.code], "verwijzen_via": "warme-overdracht"},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert Provider.objects.get().referral_method == "warme-overdracht"


def test_create_organisation_with_bad_email_is_422(api, buurt):
    response = api.post(
        f"{BASE}/organisaties",
        {"naam": "Taalhuis", "buurten": [buurt.code], "email": "geen-adres"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "email"]


def test_create_place_with_point(api, buurt):
    response = api.post(
        f"{BASE}/plekken",
        {"naam": "Speeltuin", "soort": "speeltuin", "buurt": buurt.code, "lat": 52.1, "lon": 5.12},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert (response.json()["lat"], response.json()["lon"]) == (52.1, 5.12)
    assert Place.objects.get().buurt == buurt


def test_list_initiatives_in_scope_only(api, buurt, outside_buurt):
    InitiativeFactory(name="Hier", buurten=[buurt])
    InitiativeFactory(name="Elders", buurten=[outside_buurt])

    response = api.get(f"{BASE}/initiatieven")

    assert [i["naam"] for i in response.json()["items"]] == ["Hier"]


def test_list_with_buurt_filter_outside_scope_is_403(api, outside_buurt):
    assert api.get(f"{BASE}/plekken", {"buurt": outside_buurt.code}).status_code == 403


def test_search_returns_kind_level_and_description(api, buurt, neighbour_buurt):
    PlaceFactory(name="Buurthuis", description="Koffieochtend op dinsdag.", buurt=neighbour_buurt)
    InitiativeFactory(name="Koffieochtend", description="Samen koffie.", buurten=[buurt])

    response = api.get(f"{BASE}/zoek", {"q": "koffieochtendje", "buurt": buurt.code})

    assert response.status_code == 200
    assert [(h["soort"], h["naam"], h["niveau"]) for h in response.json()] == [
        ("initiatief", "Koffieochtend", "buurt"),
        ("plek", "Buurthuis", "wijk"),
    ]
    assert response.json()[1]["beschrijving"] == "Koffieochtend op dinsdag."


def test_search_outside_scope_is_403(api, outside_buurt):
    assert api.get(f"{BASE}/zoek", {"q": "x", "buurt": outside_buurt.code}).status_code == 403


def test_search_without_buurt_is_422(api):
    assert api.get(f"{BASE}/zoek", {"q": "x"}).status_code == 422


def test_search_hides_key_figures_from_an_analist(client, analist, buurt):
    KeyFigureFactory(label="buurtmoeder", gifts="Kan goed koken.", buurt=buurt)
    client.force_login(analist)

    response = client.get(f"{BASE}/zoek", {"q": "koken", "buurt": buurt.code})

    assert response.json() == []


def test_api_needs_authentication(client, buurt):
    assert client.get(f"{BASE}/organisaties").status_code == 401


def test_initiative_detail_in_scope(api, buurt):
    initiative = InitiativeFactory(name="Moestuin", buurten=[buurt])

    response = api.get(f"{BASE}/initiatieven/{initiative.pk}")

    assert response.status_code == 200
    assert response.json()["naam"] == "Moestuin"


def test_place_detail_outside_scope_is_404_and_audited(api, worker, outside_buurt):
    from nabij.privacy.models import AuditEvent

    place = PlaceFactory(buurt=outside_buurt)

    response = api.get(f"{BASE}/plekken/{place.pk}")

    assert response.status_code == 404
    assert AuditEvent.objects.filter(actor=worker, object_type="place", result="denied").exists()


def test_provider_detail_unknown_id_is_404(api):
    assert api.get(f"{BASE}/organisaties/999999").status_code == 404
