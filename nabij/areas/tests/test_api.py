import pytest

from nabij.areas.tests.factories import BuurtFactory, WijkFactory
from nabij.areas.tests.helpers import make_user
from nabij.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db

BASE = "/api/v1/gebieden"


@pytest.fixture
def buurt():
    return BuurtFactory(name="Kaap", inhabitants=1840)


@pytest.fixture
def api(client, buurt):
    """A client logged in as a buurtwerker whose scope is the one buurt."""
    client.force_login(make_user(buurten=[buurt]))
    return client


def test_buurten_list_has_the_documented_shape(api, buurt):
    response = api.get(f"{BASE}/buurten")

    assert response.status_code == 200
    assert response.json()["items"] == [
        {
            "code": buurt.code,
            "naam": "Kaap",
            "wijk": buurt.wijk_id,
            "gemeente": buurt.gemeente_id,
            "inwoners": 1840,
            "water": False,
        }
    ]


def test_unknown_inhabitants_are_null(client):
    buurt = BuurtFactory(water=True)
    client.force_login(make_user(buurten=[buurt]))

    row = client.get(f"{BASE}/buurten").json()["items"][0]

    assert row["inwoners"] is None
    assert row["water"] is True


def test_buurten_list_never_includes_buurten_outside_scope(api, buurt):
    BuurtFactory(wijk=buurt.wijk)
    BuurtFactory()

    codes = [row["code"] for row in api.get(f"{BASE}/buurten").json()["items"]]

    assert codes == [buurt.code]


def test_buurten_filter_by_wijk_and_gemeente(client, buurt):
    sibling = BuurtFactory(wijk=buurt.wijk)
    elsewhere = BuurtFactory(wijk=WijkFactory(gemeente=buurt.gemeente))
    client.force_login(make_user(gemeenten=[buurt.gemeente]))

    by_wijk = {r["code"] for r in client.get(f"{BASE}/buurten", {"wijk": buurt.wijk_id}).json()["items"]}
    by_gemeente = {r["code"] for r in client.get(f"{BASE}/buurten", {"gemeente": buurt.gemeente_id}).json()["items"]}

    assert by_wijk == {buurt.code, sibling.code}
    assert by_gemeente == {buurt.code, sibling.code, elsewhere.code}


def test_wijken_filter_by_gemeente_and_shape(client, buurt):
    other = BuurtFactory()
    client.force_login(make_user(buurten=[buurt, other]))

    rows = client.get(f"{BASE}/wijken", {"gemeente": buurt.gemeente_id}).json()["items"]

    assert rows == [
        {
            "code": buurt.wijk_id,
            "naam": buurt.wijk.name,
            "gemeente": buurt.gemeente_id,
            "inwoners": buurt.wijk.inhabitants,
            "water": False,
        }
    ]


def test_gemeenten_lists_only_those_in_scope(api, buurt):
    BuurtFactory()

    rows = api.get(f"{BASE}/gemeenten").json()["items"]

    assert [r["code"] for r in rows] == [buurt.gemeente_id]
    assert set(rows[0]) == {"code", "naam", "inwoners", "water"}


def test_buurt_detail_adds_geometry(api, buurt):
    response = api.get(f"{BASE}/buurten/{buurt.code}")

    assert response.status_code == 200
    assert response.json()["geometrie"] == buurt.geometry
    assert response.json()["code"] == buurt.code


def test_buurt_detail_outside_scope_is_404_and_audited(api):
    other = BuurtFactory()

    response = api.get(f"{BASE}/buurten/{other.code}")

    assert response.status_code == 404
    assert "detail" in response.json()
    assert AuditEvent.objects.filter(result="denied", object_id=other.code).exists()


@pytest.mark.parametrize("path", ["/gemeenten", "/wijken", "/buurten", "/buurten/BU00000000"])
def test_every_endpoint_needs_authentication(client, buurt, path):
    response = client.get(f"{BASE}{path}")

    assert response.status_code == 401


def test_area_lists_are_paged_with_a_bounded_limit(client):
    """A national scope holds thousands of buurten: the list answers one page, and asks for at most 100."""
    first, second = BuurtFactory(name="Aalsum"), BuurtFactory(name="Baard")
    client.force_login(make_user(buurten=[first, second]))
    page = client.get(f"{BASE}/buurten", {"limit": 1}).json()
    assert page["count"] == 2 and [row["code"] for row in page["items"]] == [first.code]
    assert [row["code"] for row in client.get(f"{BASE}/buurten", {"limit": 1, "offset": 1}).json()["items"]] == [
        second.code
    ]
    response = client.get(f"{BASE}/buurten", {"limit": 101})
    assert response.status_code == 400
