"""Area scope and roles: a user of buurt A never sees buurt B, on any page, list, count, map or API."""

import json

import pytest

from nabij.accounts.services import api_token_create
from nabij.accounts.tests.factories import OrganisationFactory, UserFactory
from nabij.core import permissions
from nabij.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_a(town):
    return UserFactory(scope_buurten=[town.buurt_a])


@pytest.fixture
def client_a(client, user_a):
    client.force_login(user_a)
    return client


def _codes(qs):
    return set(qs.values_list("code", flat=True))


# --- The rules -------------------------------------------------------------------------------------------


def test_buurt_scope_grants_only_that_buurt(town, user_a):
    assert _codes(permissions.buurten_visible_to(user_a)) == {"BU00010101"}


def test_wijk_in_scope_grants_its_buurten(town):
    user = UserFactory(scope_wijken=[town.wijk_a])
    assert _codes(permissions.buurten_visible_to(user)) == {"BU00010101", "BU00010102", "BU00010199"}


def test_gemeente_in_scope_grants_all_its_buurten(town):
    user = UserFactory(scope_gemeenten=[town.gemeente])
    assert _codes(permissions.buurten_visible_to(user)) == {"BU00010101", "BU00010102", "BU00010199", "BU00010201"}


def test_user_without_scope_sees_no_buurt(town):
    assert not permissions.buurten_visible_to(UserFactory()).exists()


def test_inactive_user_sees_no_buurt(town):
    user = UserFactory(scope_gemeenten=[town.gemeente], is_active=False)
    assert not permissions.buurten_visible_to(user).exists()


def test_superuser_sees_every_buurt(town):
    assert permissions.buurten_visible_to(UserFactory(superuser=True)).count() == 5


def test_wijk_is_visible_through_one_buurt_but_other_wijk_is_not(town, user_a):
    assert permissions.can_view_wijk(user_a, town.wijk_a)
    assert not permissions.can_view_wijk(user_a, town.wijk_b)


def test_other_gemeente_is_not_visible(town, user_a):
    assert not permissions.can_view_gemeente(user_a, town.other_gemeente)


def test_scope_filter_limits_rows_with_a_buurt_key(town, user_a):
    from nabij.areas.models import Buurt

    assert _codes(Buurt.objects.filter(permissions.scope_filter(user_a, buurt_field="code"))) == {"BU00010101"}


def test_analist_may_not_see_personal_data(db):
    assert permissions.can_see_personal_data(UserFactory(analist=True)) is False


@pytest.mark.parametrize("role", ["buurtwerker", "coordinator", "corporatie", "beheerder"])
def test_other_roles_may_see_personal_data(db, role):
    assert permissions.can_see_personal_data(UserFactory(**{role: True})) is True


def test_beheerder_manages_users_of_own_organisation(db):
    beheerder = UserFactory(beheerder=True)
    colleague = UserFactory(organisation=beheerder.organisation)
    assert permissions.can_manage_user(beheerder, colleague)


def test_beheerder_does_not_manage_other_organisation(db):
    beheerder = UserFactory(beheerder=True)
    stranger = UserFactory(organisation=OrganisationFactory())
    assert not permissions.can_manage_user(beheerder, stranger)
    assert not permissions.can_manage_users(beheerder, stranger.organisation)


def test_beheerder_does_not_manage_a_superuser(db):
    beheerder = UserFactory(beheerder=True)
    assert not permissions.can_manage_user(beheerder, UserFactory(superuser=True))


@pytest.mark.parametrize("role", ["buurtwerker", "coordinator", "corporatie", "analist"])
def test_only_beheerders_manage_users_and_read_audit(db, role):
    user = UserFactory(**{role: True})
    assert not permissions.can_manage_users(user)
    assert not permissions.can_view_audit(user)


def test_assignable_buurten_are_own_scope_without_water(town):
    beheerder = UserFactory(beheerder=True, scope_wijken=[town.wijk_a])
    assert _codes(permissions.assignable_buurten(beheerder)) == {"BU00010101", "BU00010102"}


def test_holding_every_buurt_of_a_wijk_does_not_allow_handing_out_the_wijk(town):
    beheerder = UserFactory(beheerder=True, scope_buurten=[town.buurt_b])
    assert not permissions.assignable_wijken(beheerder).exists()


def test_gemeente_scope_allows_handing_out_its_wijken_but_not_the_other_gemeente(town):
    beheerder = UserFactory(beheerder=True, scope_gemeenten=[town.gemeente])
    assert _codes(permissions.assignable_wijken(beheerder)) == {"WK000101", "WK000102"}
    assert _codes(permissions.assignable_gemeenten(beheerder)) == {"GM0001"}


# --- Pages -----------------------------------------------------------------------------------------------


def test_buurt_page_outside_scope_is_404(town, client_a):
    assert client_a.get("/gebieden/buurt/BU00010201/").status_code == 404


def test_buurt_page_outside_scope_records_a_refusal(town, client_a, user_a):
    client_a.get("/gebieden/buurt/BU00010201/")
    event = AuditEvent.objects.get(result=AuditEvent.Result.DENIED)
    assert (event.actor_id, event.object_type, event.object_id) == (user_a.pk, "buurt", "BU00010201")


def test_buurt_page_in_scope_is_shown(town, client_a):
    assert client_a.get("/gebieden/buurt/BU00010101/").status_code == 200


def test_wijk_page_lists_only_buurten_in_scope(town, client_a):
    content = client_a.get("/gebieden/wijk/WK000101/").content.decode()
    assert "BU00010101" in content
    assert "BU00010102" not in content
    assert "Lindenhof" not in content


def test_wijk_without_visible_buurt_is_404(town, client_a):
    assert client_a.get("/gebieden/wijk/WK000102/").status_code == 404


def test_gemeente_page_does_not_list_or_map_buurt_b(town, client_a):
    response = client_a.get("/gebieden/gemeente/GM0001/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "BU00010201" not in content
    assert "Geheimbuurt" not in content
    assert "Westwijk" not in content


def test_gemeente_list_counts_only_visible_buurten(town, client_a):
    gemeenten = list(client_a.get("/gebieden/").context["gemeenten"])
    assert [(g.code, g.visible_buurten) for g in gemeenten] == [("GM0001", 1)]


def test_home_map_and_list_show_only_own_buurt(town, client_a):
    response = client_a.get("/")
    features = response.context["map_data"]["features"]
    assert [f["properties"]["code"] for f in features] == ["BU00010101"]
    assert [b.code for b in response.context["buurten"]] == ["BU00010101"]
    assert "BU00010201" not in response.content.decode()


# --- API -------------------------------------------------------------------------------------------------


@pytest.fixture
def bearer_a(user_a):
    _record, token = api_token_create(user=user_a)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_api_buurten_list_only_in_scope(town, client, bearer_a):
    response = client.get("/api/v1/gebieden/buurten", **bearer_a)
    assert [row["code"] for row in response.json()["items"]] == ["BU00010101"]


def test_api_buurt_detail_outside_scope_is_refused(town, client, bearer_a):
    response = client.get("/api/v1/gebieden/buurten/BU00010201", **bearer_a)
    assert response.status_code in (403, 404)
    assert "Geheimbuurt" not in response.content.decode()


def test_api_buurt_detail_outside_scope_records_a_refusal(town, client, bearer_a):
    client.get("/api/v1/gebieden/buurten/BU00010201", **bearer_a)
    assert AuditEvent.objects.filter(result=AuditEvent.Result.DENIED, object_id="BU00010201").count() == 1


def test_api_wijken_and_gemeenten_do_not_leak(town, client, bearer_a):
    wijken = client.get("/api/v1/gebieden/wijken", **bearer_a).json()["items"]
    gemeenten = client.get("/api/v1/gebieden/gemeenten", **bearer_a).json()["items"]
    assert [w["code"] for w in wijken] == ["WK000101"]
    assert [g["code"] for g in gemeenten] == ["GM0001"]


def test_api_session_user_sees_only_own_buurt(town, client_a):
    body = json.loads(client_a.get("/api/v1/gebieden/buurten?gemeente=GM0001").content)
    assert [row["code"] for row in body["items"]] == ["BU00010101"]


# --- Navigation ------------------------------------------------------------------------------------------


def test_menu_shows_users_and_audit_to_beheerder(db, client):
    client.force_login(UserFactory(beheerder=True))
    labels = [item.url for item in client.get("/").context["nav_items"]]
    assert "/account/gebruikers/" in labels
    assert "/audit/" in labels


def test_menu_hides_users_and_audit_from_buurtwerker(db, client):
    client.force_login(UserFactory())
    urls = [item.url for item in client.get("/").context["nav_items"]]
    assert "/account/gebruikers/" not in urls
    assert "/audit/" not in urls
