import pytest

from nabij.contacts.tests.factories import UserFactory
from nabij.themes.models import Theme
from nabij.themes.services import themes_rebuild


@pytest.fixture
def theme(energy_story):
    themes_rebuild()
    return Theme.objects.get()


def _client(client, user):
    client.force_login(user)
    return client


def test_list_gives_the_documented_fields(client, coordinator, theme):
    data = _client(client, coordinator).get("/api/v1/themas?niveau=buurt&status=voorgesteld").json()["items"]
    assert data == [
        {
            "id": theme.pk,
            "niveau": "buurt",
            "gebied": "BU77000203",
            "onderwerp": "energie-geldzaken",
            "naam": theme.suggested_name,
            "status": "voorgesteld",
            "aantal": 24,
            "verwacht": theme.expected,
            "uitleg": theme.explanation,
            "kinderen": [],
        }
    ]


def test_list_filters_by_area(client, coordinator, theme):
    assert _client(client, coordinator).get("/api/v1/themas?gebied=BU77000101").json()["items"] == []
    assert len(client.get("/api/v1/themas?gebied=WK770002").json()["items"]) == 1


def test_list_outside_scope_is_empty(client, theme):
    other = UserFactory(role="coordinator")
    assert _client(client, other).get("/api/v1/themas").json()["items"] == []


def test_list_rejects_unknown_level(client, coordinator, theme):
    response = _client(client, coordinator).get("/api/v1/themas?niveau=stad")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "niveau"]


def test_detail_outside_scope_is_404(client, theme):
    assert _client(client, UserFactory(role="coordinator")).get(f"/api/v1/themas/{theme.pk}").status_code == 404


def test_confirm_with_name(client, coordinator, theme):
    response = _client(client, coordinator).post(
        f"/api/v1/themas/{theme.pk}/erkennen", {"naam": "Energietoeslag De Akkers"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "erkend" and response.json()["naam"] == "Energietoeslag De Akkers"


def test_confirm_by_analist_is_refused(client, town, theme):
    analist = UserFactory(role="analist")
    analist.scope_gemeenten.set([town["gemeente"]])
    response = _client(client, analist).post(f"/api/v1/themas/{theme.pk}/erkennen", {}, content_type="application/json")
    assert response.status_code == 403
    theme.refresh_from_db()
    assert theme.status == "voorgesteld"


def test_reject_needs_a_reason(client, coordinator, theme):
    response = _client(client, coordinator).post(
        f"/api/v1/themas/{theme.pk}/afwijzen", {"reden": "  "}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "reden"]


def test_reject_with_reason(client, coordinator, theme):
    response = _client(client, coordinator).post(
        f"/api/v1/themas/{theme.pk}/afwijzen", {"reden": "Loopt al via de gemeente."}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "afgewezen"


def test_recompute_is_for_beheerders(client, coordinator, town, theme):
    assert _client(client, coordinator).post("/api/v1/themas/herberekenen").status_code == 403
    beheerder = UserFactory(role="beheerder")
    response = _client(client, beheerder).post("/api/v1/themas/herberekenen")
    assert response.status_code == 200 and response.json()["themas"] == 1


def test_count_outside_scope_is_rounded(client, town, theme):
    # A coordinator holding one other buurt of the wijk sees the wijk's buurt theme? No: buurt themes only in
    # their own buurt. A wijk-level viewer of the gemeente theme list sees small cells instead.
    viewer = UserFactory(role="coordinator", buurten=[town["buurten"]["BU77000201"]])
    assert _client(client, viewer).get("/api/v1/themas").json()["items"] == []
