"""Edits never silently overwrite a colleague's (issue 13): key figures and organisations carry a version; a stale
form comes back with what the colleague saved, a stale API edit gets 409. Also: coordinators say which Nabij
organisation is behind an organisation on the map."""

from django.urls import reverse

import pytest

from nabij.assets import services
from nabij.assets.models import KeyFigure, Provider
from nabij.assets.tests.factories import KeyFigureFactory, ProviderFactory, UserFactory
from nabij.contacts.tests.factories import OrganisationFactory
from nabij.core.concurrency import StaleEdit, etag

API = "/api/v1/sociale-kaart"


@pytest.fixture
def figure(worker, buurt):
    return KeyFigureFactory(label="buurtmoeder", gifts="Kan goed koken.", buurt=buurt, consent_recorded_by=worker)


@pytest.fixture
def coordinator(buurt):
    user = UserFactory(role="coordinator")
    user.scope_gemeenten.set([buurt.gemeente])
    return user


def _figure_post(figure, **changes) -> dict:
    data = {"label": figure.label, "buurt": figure.buurt_id, "gifts": figure.gifts, "consent": "on"}
    return data | {"version": figure.version} | changes


def _colleague_changes_gifts(figure, worker, gifts: str = "Bakt taarten voor de hele straat.") -> None:
    services.key_figure_update(
        user=worker,
        key_figure=KeyFigure.objects.get(pk=figure.pk),
        label=figure.label,
        buurt=figure.buurt_id,
        gifts=gifts,
        version=figure.version,
    )


def test_every_saved_change_raises_the_version(worker, figure):
    _colleague_changes_gifts(figure, worker)

    assert KeyFigure.objects.get(pk=figure.pk).version == figure.version + 1


def test_a_service_edit_with_an_old_version_is_refused(worker, figure):
    _colleague_changes_gifts(figure, worker)

    with pytest.raises(StaleEdit):
        services.key_figure_update(
            user=worker, key_figure=figure, label="x", buurt=figure.buurt_id, gifts="y", version=figure.version
        )
    assert KeyFigure.objects.get(pk=figure.pk).gifts == "Bakt taarten voor de hele straat."


def test_the_edit_form_carries_the_version(client, worker, figure):
    client.force_login(worker)

    page = client.get(reverse("assets:key-figure-edit", args=[figure.pk])).content.decode()

    assert 'name="version"' in page and f'value="{figure.version}"' in page


def test_a_stale_key_figure_form_comes_back_with_the_colleagues_change(client, worker, figure):
    client.force_login(worker)
    _colleague_changes_gifts(figure, worker)

    response = client.post(
        reverse("assets:key-figure-edit", args=[figure.pk]), _figure_post(figure, gifts="Kan goed naaien.")
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert "Een collega heeft dit intussen gewijzigd" in page
    assert "Bakt taarten voor de hele straat." in page  # what the colleague saved
    assert "Kan goed naaien." in page  # the user's own text is still in the form
    assert KeyFigure.objects.get(pk=figure.pk).gifts == "Bakt taarten voor de hele straat."


def test_saving_the_stale_form_again_is_a_choice_that_goes_through(client, worker, figure):
    client.force_login(worker)
    _colleague_changes_gifts(figure, worker)
    url = reverse("assets:key-figure-edit", args=[figure.pk])
    stale = client.post(url, _figure_post(figure, gifts="Kan goed naaien."))

    again = client.post(
        url, _figure_post(figure, gifts="Kan goed naaien.", version=stale.context["form"]["version"].value())
    )

    assert again.status_code == 302
    assert KeyFigure.objects.get(pk=figure.pk).gifts == "Kan goed naaien."


def test_a_stale_organisation_form_comes_back_with_the_colleagues_change(client, worker, buurt):
    provider = ProviderFactory(name="Taalhuis", buurten=[buurt])
    client.force_login(worker)
    services.provider_save(
        user=worker,
        provider=Provider.objects.get(pk=provider.pk),
        name="Taalhuis Centrum",
        buurten=[buurt.code],
        version=1,
    )

    response = client.post(
        reverse("assets:provider-edit", args=[provider.pk]),
        {"name": "Taalhuis Noord", "kind": "taalhuis", "buurten": [buurt.code], "version": 1},
    )

    assert response.status_code == 409
    assert "Taalhuis Centrum" in response.content.decode()
    assert Provider.objects.get(pk=provider.pk).name == "Taalhuis Centrum"


def test_the_api_sends_the_version_as_etag_and_refuses_a_stale_if_match(client, worker, figure):
    client.force_login(worker)
    shown = client.get(f"{API}/sleutelfiguren/{figure.pk}")
    _colleague_changes_gifts(figure, worker)
    body = {"label": figure.label, "buurt": figure.buurt_id, "gaven": "Kan goed naaien.", "toestemming": True}

    response = client.put(
        f"{API}/sleutelfiguren/{figure.pk}", body, content_type="application/json", HTTP_IF_MATCH=shown["ETag"]
    )

    assert shown["ETag"] == etag(figure)
    assert response.status_code == 409
    assert response.json()["detail"][0]["loc"] == ["body", "version"]
    assert KeyFigure.objects.get(pk=figure.pk).gifts == "Bakt taarten voor de hele straat."


def test_an_api_edit_with_the_current_etag_goes_through(client, worker, figure):
    client.force_login(worker)
    shown = client.get(f"{API}/sleutelfiguren/{figure.pk}")
    body = {"label": figure.label, "buurt": figure.buurt_id, "gaven": "Kan goed naaien.", "toestemming": True}

    response = client.put(
        f"{API}/sleutelfiguren/{figure.pk}", body, content_type="application/json", HTTP_IF_MATCH=shown["ETag"]
    )

    assert response.status_code == 200
    assert response.json()["versie"] == figure.version + 1
    assert response["ETag"] != shown["ETag"]


def test_an_api_organisation_edit_with_a_stale_if_match_is_409(client, worker, buurt):
    provider = ProviderFactory(name="Taalhuis", buurten=[buurt])
    client.force_login(worker)
    shown = client.get(f"{API}/organisaties/{provider.pk}")["ETag"]
    client.put(
        f"{API}/organisaties/{provider.pk}",
        {"naam": "Taalhuis Centrum", "buurten": [buurt.code]},
        content_type="application/json",
        HTTP_IF_MATCH=shown,
    )

    response = client.put(
        f"{API}/organisaties/{provider.pk}",
        {"naam": "Taalhuis Noord", "buurten": [buurt.code]},
        content_type="application/json",
        HTTP_IF_MATCH=shown,
    )

    assert response.status_code == 409
    assert Provider.objects.get(pk=provider.pk).name == "Taalhuis Centrum"


# Which Nabij organisation is behind an organisation on the map -------------------------------------------------


def test_a_coordinator_sets_the_nabij_organisation_in_the_provider_form(client, coordinator, buurt):
    corporatie = OrganisationFactory(name="Woonstichting Test", kind="woningcorporatie")
    provider = ProviderFactory(name="Woonstichting", buurten=[buurt])
    client.force_login(coordinator)
    url = reverse("assets:provider-edit", args=[provider.pk])

    page = client.get(url).content.decode()
    response = client.post(
        url,
        {
            "name": "Woonstichting",
            "kind": "woningcorporatie",
            "buurten": [buurt.code],
            "version": 1,
            "nabij_organisation": corporatie.pk,
        },
    )

    assert "Werkt in Nabij als" in page
    assert response.status_code == 302
    assert Provider.objects.get(pk=provider.pk).nabij_organisation == corporatie


def test_a_buurtwerker_cannot_set_the_nabij_organisation(client, worker, buurt):
    corporatie = OrganisationFactory(name="Woonstichting Test", kind="woningcorporatie")
    provider = ProviderFactory(name="Woonstichting", buurten=[buurt])
    client.force_login(worker)
    url = reverse("assets:provider-edit", args=[provider.pk])

    page = client.get(url).content.decode()
    client.post(
        url, {"name": "Woonstichting", "kind": "overig", "buurten": [buurt.code], "nabij_organisation": corporatie.pk}
    )

    assert 'name="nabij_organisation"' not in page
    assert Provider.objects.get(pk=provider.pk).nabij_organisation is None


def test_the_service_refuses_the_nabij_organisation_from_a_buurtwerker(worker, buurt):
    from nabij.core.exceptions import PermissionRefused

    with pytest.raises(PermissionRefused):
        services.provider_save(user=worker, name="X", buurten=[buurt.code], nabij_organisation=worker.organisation)


def test_the_api_shows_and_sets_the_nabij_organisation_by_slug(client, coordinator, buurt):
    corporatie = OrganisationFactory(name="Woonstichting Test", kind="woningcorporatie")
    client.force_login(coordinator)

    created = client.post(
        f"{API}/organisaties",
        {"naam": "Woonstichting", "buurten": [buurt.code], "nabij_organisatie": corporatie.slug},
        content_type="application/json",
    )
    unknown = client.post(
        f"{API}/organisaties",
        {"naam": "Iets", "buurten": [buurt.code], "nabij_organisatie": "bestaat-niet"},
        content_type="application/json",
    )

    assert created.status_code == 201 and created.json()["nabij_organisatie"] == corporatie.slug
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["body", "nabij_organisatie"]
