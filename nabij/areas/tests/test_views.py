from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from nabij.areas.tests.factories import BuurtFactory, WijkFactory
from nabij.areas.tests.helpers import make_user
from nabij.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def buurt():
    return BuurtFactory(name="Kaap", inhabitants=1840, wijk__name="Havenkwartier", wijk__gemeente__name="Westerkoog")


def _client(client, user):
    client.force_login(user)
    return client


def test_buurt_page_shows_name_codes_inhabitants_wijk_and_gemeente(client, buurt):
    response = _client(client, make_user(buurten=[buurt])).get(reverse("areas:buurt-detail", args=[buurt.code]))

    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Kaap", buurt.code, "1.840", "Havenkwartier", buurt.wijk.code, "Westerkoog", buurt.gemeente.code):
        assert text in html


def test_buurt_page_shows_onbekend_when_inhabitants_are_hidden(client):
    buurt = BuurtFactory(inhabitants=None)

    response = _client(client, make_user(buurten=[buurt])).get(reverse("areas:buurt-detail", args=[buurt.code]))

    assert "onbekend" in response.content.decode()


def test_buurt_page_carries_the_outline_for_the_map(client, buurt):
    response = _client(client, make_user(buurten=[buurt])).get(reverse("areas:buurt-detail", args=[buurt.code]))

    assert 'id="buurt-map-data"' in response.content.decode()
    assert response.context["map_data"]["features"][0]["geometry"] == buurt.geometry


def test_buurt_outside_scope_is_404_and_audited_as_denied(client, buurt):
    user = make_user(buurten=[BuurtFactory()])

    response = _client(client, user).get(reverse("areas:buurt-detail", args=[buurt.code]))

    assert response.status_code == 404
    event = AuditEvent.objects.get(actor=user, result="denied")
    assert (event.result, event.object_type, event.object_id) == ("denied", "buurt", buurt.code)


def test_unknown_buurt_code_is_404(client, buurt):
    response = _client(client, make_user(buurten=[buurt])).get(reverse("areas:buurt-detail", args=["BU00000000"]))

    assert response.status_code == 404


def test_wijk_page_lists_only_visible_buurten(client, buurt):
    hidden = BuurtFactory(wijk=buurt.wijk, name="Verborgen")

    response = _client(client, make_user(buurten=[buurt])).get(reverse("areas:wijk-detail", args=[buurt.wijk.code]))

    assert response.status_code == 200
    assert [b.code for b in response.context["buurten"]] == [buurt.code]
    assert hidden.code not in response.content.decode()


def test_wijk_scope_lists_all_its_buurten(client, buurt):
    other = BuurtFactory(wijk=buurt.wijk)

    response = _client(client, make_user(wijken=[buurt.wijk])).get(reverse("areas:wijk-detail", args=[buurt.wijk.code]))

    assert {b.code for b in response.context["buurten"]} == {buurt.code, other.code}


def test_wijk_outside_scope_is_404_and_audited(client, buurt):
    user = make_user(buurten=[buurt])
    other = WijkFactory()

    response = _client(client, user).get(reverse("areas:wijk-detail", args=[other.code]))

    assert response.status_code == 404
    assert AuditEvent.objects.filter(actor=user, result="denied", object_id=other.code).exists()


def test_gemeente_page_lists_its_wijken_and_buurten(client, buurt):
    second = BuurtFactory(wijk=WijkFactory(gemeente=buurt.gemeente))
    user = make_user(gemeenten=[buurt.gemeente])

    response = _client(client, user).get(reverse("areas:gemeente-detail", args=[buurt.gemeente.code]))

    assert response.status_code == 200
    assert {w.code for w in response.context["wijken"]} == {buurt.wijk_id, second.wijk_id}
    assert {b.code for b in response.context["buurten"]} == {buurt.code, second.code}


def test_gemeente_outside_scope_is_404_and_audited(client, buurt):
    user = make_user(buurten=[buurt])
    other = BuurtFactory().gemeente

    response = _client(client, user).get(reverse("areas:gemeente-detail", args=[other.code]))

    assert response.status_code == 404
    assert AuditEvent.objects.filter(actor=user, result="denied", object_id=other.code).exists()


def test_gemeente_list_shows_only_gemeenten_in_scope(client, buurt):
    other = BuurtFactory()

    response = _client(client, make_user(buurten=[buurt])).get(reverse("areas:gemeente-list"))

    assert [g.code for g in response.context["gemeenten"]] == [buurt.gemeente.code]
    assert other.gemeente.code not in response.content.decode()


def test_area_pages_need_login(client, buurt):
    response = client.get(reverse("areas:buurt-detail", args=[buurt.code]))

    assert response.status_code == 302


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_gemeente_list_has_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    first = BuurtFactory()
    user = make_user(buurten=[first])
    _client(client, user)
    baseline = _count_queries(client, reverse("areas:gemeente-list"))
    user.scope_buurten.add(*BuurtFactory.create_batch(5))

    with django_assert_max_num_queries(baseline):
        client.get(reverse("areas:gemeente-list"))


def test_gemeente_page_has_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    first = BuurtFactory()
    gemeente = first.gemeente
    user = make_user(gemeenten=[gemeente])
    _client(client, user)
    url = reverse("areas:gemeente-detail", args=[gemeente.code])
    baseline = _count_queries(client, url)
    for _wijk in range(3):
        BuurtFactory.create_batch(3, wijk=WijkFactory(gemeente=gemeente))

    with django_assert_max_num_queries(baseline):
        client.get(url)


def test_wijk_page_has_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    first = BuurtFactory()
    user = make_user(wijken=[first.wijk])
    _client(client, user)
    url = reverse("areas:wijk-detail", args=[first.wijk.code])
    baseline = _count_queries(client, url)
    BuurtFactory.create_batch(6, wijk=first.wijk)

    with django_assert_max_num_queries(baseline):
        client.get(url)
