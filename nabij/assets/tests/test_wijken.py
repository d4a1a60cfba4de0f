"""Organisations that serve whole wijken (issue 5): scope, lists, search level, public page, forms, API,
import and export."""

import csv
import io

from django.urls import reverse

import pytest

from nabij.assets import imports, selectors, services
from nabij.assets.models import Provider
from nabij.assets.tests.factories import BuurtFactory, ProviderFactory, UserFactory, WijkFactory
from nabij.core.exceptions import InvalidInput
from nabij.privacy.models import AuditEvent

BASE = "/api/v1/sociale-kaart"


@pytest.fixture
def wijk_provider(wijk, buurt):
    return ProviderFactory(name="Wijkteam", buurten=[], wijken=[wijk], is_public=True)


@pytest.fixture
def one_buurt_user(buurt):
    """A buurtwerker who has only `buurt`, one buurt of its wijk."""
    user = UserFactory()
    user.scope_buurten.set([buurt])
    return user


@pytest.fixture
def coordinator(buurt):
    user = UserFactory(role="coordinator")
    user.scope_gemeenten.set([buurt.gemeente])
    return user


def _csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode()


# Scope and lists -------------------------------------------------------------------------------------------


def test_wijk_organisation_is_visible_to_a_user_with_one_buurt_of_the_wijk(wijk_provider, one_buurt_user):
    assert list(selectors.provider_list(user=one_buurt_user)) == [wijk_provider]


def test_wijk_organisation_is_hidden_from_a_user_outside_the_wijk(wijk_provider, far_buurt):
    user = UserFactory()
    user.scope_buurten.set([far_buurt])

    assert not selectors.provider_list(user=user).exists()


def test_wijk_organisation_is_listed_for_every_buurt_of_the_wijk(wijk_provider, worker, neighbour_buurt):
    assert list(selectors.provider_list(user=worker, buurt=neighbour_buurt.code)) == [wijk_provider]


def test_wijk_organisation_is_not_listed_for_a_buurt_of_another_wijk(wijk_provider, worker, far_buurt):
    assert not selectors.provider_list(user=worker, buurt=far_buurt.code).exists()


def test_a_wijk_organisation_appears_once_when_it_also_lists_a_buurt(wijk, buurt, worker):
    ProviderFactory(buurten=[buurt], wijken=[wijk])

    assert selectors.provider_list(user=worker, buurt=buurt.code).count() == 1


def test_provider_serves_buurt_through_its_wijk(wijk_provider, neighbour_buurt, far_buurt):
    assert selectors.provider_serves_buurt(provider=wijk_provider, buurt=neighbour_buurt)
    assert not selectors.provider_serves_buurt(provider=wijk_provider, buurt=far_buurt)


def test_provider_buurt_codes_include_the_buurten_of_its_wijken(wijk_provider, buurt, neighbour_buurt):
    assert selectors.provider_buurt_codes(provider=wijk_provider) == sorted([buurt.code, neighbour_buurt.code])


def test_detail_page_of_a_wijk_organisation_for_a_user_with_one_buurt(client, wijk_provider, one_buurt_user):
    client.force_login(one_buurt_user)

    response = client.get(reverse("assets:provider-detail", args=[wijk_provider.pk]))

    assert response.status_code == 200
    assert wijk_provider.wijken.get().name in response.content.decode()


# "Bestaat dit al?" and the public page ---------------------------------------------------------------------


def test_search_ranks_a_wijk_organisation_at_wijk_level(worker, buurt, wijk):
    ProviderFactory(name="Schuldhulp Buurt", description="schulden", buurten=[buurt])
    ProviderFactory(name="Schuldhulp Wijk", description="schulden", buurten=[], wijken=[wijk])

    hits = selectors.social_map_search(user=worker, buurt=buurt, q="schulden")

    assert [(h.name, h.level) for h in hits] == [("Schuldhulp Buurt", "buurt"), ("Schuldhulp Wijk", "wijk")]


def test_search_finds_a_wijk_organisation_at_gemeente_level_from_another_wijk(worker, far_buurt, wijk_provider):
    hits = selectors.social_map_search(user=worker, buurt=far_buurt)

    assert [(h.name, h.level) for h in hits] == [("Wijkteam", "gemeente")]


def test_public_page_lists_a_public_wijk_organisation(client, wijk_provider, neighbour_buurt):
    response = client.get(reverse("assets-public:buurt", args=[neighbour_buurt.code]))

    assert response.status_code == 200
    assert "Wijkteam" in response.content.decode()


def test_public_page_of_another_wijk_does_not_list_it(client, wijk_provider, far_buurt):
    response = client.get(reverse("assets-public:buurt", args=[far_buurt.code]))

    assert "Wijkteam" not in response.content.decode()


# Services --------------------------------------------------------------------------------------------------


def test_provider_save_with_only_a_wijk(worker, wijk):
    provider = services.provider_save(user=worker, name="Wijkteam", buurten=[], wijken=[wijk.code.lower()])

    assert list(provider.wijken.all()) == [wijk]
    assert not provider.buurten.exists()
    assert AuditEvent.objects.filter(object_type="provider", action="create", area_code=wijk.code).exists()


def test_provider_save_without_buurt_or_wijk_is_refused(worker):
    with pytest.raises(InvalidInput) as exc:
        services.provider_save(user=worker, name="Niets", buurten=[], wijken=[])

    assert exc.value.field == "buurten"


def test_provider_save_with_unknown_wijk_is_refused(worker):
    with pytest.raises(InvalidInput) as exc:
        services.provider_save(user=worker, name="X", buurten=[], wijken=["WK99999999"])

    assert exc.value.field == "wijken"


def test_a_wijk_only_partly_in_scope_cannot_be_attached(one_buurt_user, wijk, neighbour_buurt):
    with pytest.raises(InvalidInput) as exc:
        services.provider_save(user=one_buurt_user, name="X", buurten=[], wijken=[wijk.code])

    assert exc.value.field == "wijken"
    assert not Provider.objects.exists()


def test_a_water_buurt_outside_scope_does_not_block_a_wijk(wijk, buurt, neighbour_buurt):
    BuurtFactory(wijk=wijk, is_water=True)
    user = UserFactory()
    user.scope_buurten.set([buurt, neighbour_buurt])

    provider = services.provider_save(user=user, name="X", buurten=[], wijken=[wijk.code])

    assert list(provider.wijken.all()) == [wijk]


def test_update_keeps_wijken_the_user_could_not_choose(wijk, buurt, far_buurt):
    provider = ProviderFactory(buurten=[], wijken=[wijk, far_buurt.wijk])
    user = UserFactory()
    user.scope_wijken.set([wijk])

    services.provider_save(user=user, provider=provider, name="X", buurten=[buurt.code], wijken=[])

    assert list(provider.wijken.all()) == [far_buurt.wijk]
    assert list(provider.buurten.all()) == [buurt]


# Pages -----------------------------------------------------------------------------------------------------


def test_provider_form_offers_only_wijken_wholly_in_scope(client, one_buurt_user, wijk, buurt):
    solo = WijkFactory(gemeente=wijk.gemeente)
    solo_buurt = BuurtFactory(wijk=solo)
    one_buurt_user.scope_buurten.add(solo_buurt)
    BuurtFactory(wijk=wijk)  # makes `wijk` only partly visible
    client.force_login(one_buurt_user)

    response = client.get(reverse("assets:provider-create"))

    assert [code for code, _label in response.context["form"].fields["wijken"].choices] == [solo.code]


def test_provider_form_creates_a_wijk_organisation(client, worker, wijk):
    client.force_login(worker)

    response = client.post(
        reverse("assets:provider-create"), {"name": "Wijkteam", "kind": "wijkteam", "wijken": [wijk.code]}
    )

    assert response.status_code == 302
    assert list(Provider.objects.get().wijken.all()) == [wijk]


def test_provider_form_without_buurt_or_wijk_is_bad_input(client, worker):
    client.force_login(worker)

    response = client.post(reverse("assets:provider-create"), {"name": "Niets", "kind": "wijkteam"})

    assert response.status_code == 422
    assert "buurten" in response.context["form"].errors


# API -------------------------------------------------------------------------------------------------------


def test_api_creates_and_returns_a_wijk_organisation(client, worker, wijk):
    client.force_login(worker)

    response = client.post(
        f"{BASE}/organisaties", {"naam": "Wijkteam", "wijken": [wijk.code]}, content_type="application/json"
    )

    assert response.status_code == 201
    assert (response.json()["buurten"], response.json()["wijken"]) == ([], [wijk.code])


def test_api_list_shows_wijken(client, one_buurt_user, wijk_provider, wijk):
    client.force_login(one_buurt_user)

    response = client.get(f"{BASE}/organisaties")

    assert [item["wijken"] for item in response.json()["items"]] == [[wijk.code]]


def test_api_wijk_partly_outside_scope_is_422_naming_wijken(client, one_buurt_user, wijk, neighbour_buurt):
    client.force_login(one_buurt_user)

    response = client.post(
        f"{BASE}/organisaties", {"naam": "X", "wijken": [wijk.code]}, content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "wijken"]


def test_api_search_gives_wijk_level(client, worker, buurt, wijk_provider):
    client.force_login(worker)

    response = client.get(f"{BASE}/zoek", {"buurt": buurt.code})

    assert [(h["naam"], h["niveau"]) for h in response.json()] == [("Wijkteam", "wijk")]


# Import and export -----------------------------------------------------------------------------------------


def test_import_with_a_wijken_column_creates_a_wijk_organisation(coordinator, wijk):
    data = _csv([["naam", "wijken"], ["Wijkteam", wijk.code]])
    result = imports.social_map_import_preview(user=coordinator, kind="organisaties", data=data)
    assert result.ok, result.file_errors + [e for r in result.rows for e in r.errors]

    imports.social_map_import_confirm(user=coordinator, batch=result.batch)

    assert list(Provider.objects.get(name="Wijkteam").wijken.all()) == [wijk]


def test_import_with_a_wijk_outside_scope_is_an_error_in_the_wijken_column(wijk, buurt, neighbour_buurt):
    user = UserFactory(role="coordinator")
    user.scope_buurten.set([buurt])
    data = _csv([["naam", "wijken"], ["Wijkteam", wijk.code]])

    result = imports.social_map_import_preview(user=user, kind="organisaties", data=data)

    assert [e["column"] for r in result.rows for e in r.errors] == ["wijken"]


def test_an_old_file_without_wijken_keeps_the_wijken_on_update(coordinator, wijk, buurt):
    ProviderFactory(name="Wijkteam", buurten=[], wijken=[wijk])
    data = _csv([["naam", "buurten", "telefoon"], ["Wijkteam", buurt.code, "030"]])
    result = imports.social_map_import_preview(user=coordinator, kind="organisaties", data=data)
    assert result.ok

    imports.social_map_import_confirm(user=coordinator, batch=result.batch)

    provider = Provider.objects.get(name="Wijkteam")
    assert (list(provider.wijken.all()), list(provider.buurten.all()), provider.phone) == ([wijk], [buurt], "030")


def test_export_round_trip_keeps_wijken(client, coordinator, wijk):
    ProviderFactory(name="Wijkteam", buurten=[], wijken=[wijk], phone="030")
    client.force_login(coordinator)
    response = client.get(reverse("assets:export"), {"format": "csv", "kind": "organisaties"})
    data = b"".join(response.streaming_content)
    Provider.objects.all().delete()

    result = imports.social_map_import_preview(user=coordinator, kind="organisaties", data=data, filename="x.csv")
    assert result.ok
    imports.social_map_import_confirm(user=coordinator, batch=result.batch)

    assert list(Provider.objects.get(name="Wijkteam").wijken.all()) == [wijk]


def test_search_finds_a_wijk_organisation_for_a_user_with_one_buurt_of_the_wijk(one_buurt_user, buurt, wijk_provider):
    hits = selectors.social_map_search(user=one_buurt_user, buurt=buurt)

    assert [(h.name, h.level) for h in hits] == [("Wijkteam", "wijk")]
