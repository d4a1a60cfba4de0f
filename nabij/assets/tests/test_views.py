from django.urls import reverse

import pytest

from nabij.assets.models import Initiative, KeyFigure, SupportLog
from nabij.assets.tests.factories import InitiativeFactory, KeyFigureFactory, PlaceFactory, ProviderFactory
from nabij.privacy.models import AuditEvent


@pytest.fixture
def worker_client(client, worker):
    client.force_login(worker)
    return client


@pytest.fixture
def analist_client(client, analist):
    client.force_login(analist)
    return client


def test_social_map_lists_items_in_scope_only(worker_client, buurt, outside_buurt):
    InitiativeFactory(name="Moestuin hier", buurten=[buurt])
    InitiativeFactory(name="Moestuin elders", buurten=[outside_buurt])
    PlaceFactory(name="Buurthuis", buurt=buurt, latitude="52.1", longitude="5.1")

    response = worker_client.get(reverse("assets:map"))

    assert response.status_code == 200
    assert [i.name for i in response.context["initiatives"]] == ["Moestuin hier"]
    assert response.context["points"]["features"][0]["properties"]["naam"] == "Buurthuis"


def test_social_map_filters_on_kind_and_status(worker_client, buurt):
    InitiativeFactory(name="Actief", buurten=[buurt], status="actief")
    InitiativeFactory(name="Slapend", buurten=[buurt], status="slapend")
    ProviderFactory(buurten=[buurt])

    response = worker_client.get(reverse("assets:map"), {"kind": "initiatief", "status": "slapend"})

    assert [i.name for i in response.context["initiatives"]] == ["Slapend"]
    assert response.context["providers"] == []


def test_social_map_query_count_does_not_grow_with_items(worker_client, buurt, django_assert_max_num_queries):
    for _ in range(10):
        InitiativeFactory(buurten=[buurt])
        ProviderFactory(buurten=[buurt])
        PlaceFactory(buurt=buurt)

    with django_assert_max_num_queries(25):
        worker_client.get(reverse("assets:map"))


def test_search_page_shows_own_buurt_first(worker_client, buurt, far_buurt):
    InitiativeFactory(name="Moestuin Verweg", buurten=[far_buurt])
    InitiativeFactory(name="Moestuin Akkers", buurten=[buurt])

    response = worker_client.get(reverse("assets:search"), {"q": "moestuinen", "buurt": buurt.code})

    assert response.status_code == 200
    assert [h.name for h in response.context["hits"]] == ["Moestuin Akkers", "Moestuin Verweg"]


def test_search_page_with_a_buurt_outside_scope_is_bad_input(worker_client, outside_buurt):
    response = worker_client.get(reverse("assets:search"), {"q": "x", "buurt": outside_buurt.code})

    assert response.status_code == 422


def test_initiative_create_redirects_to_detail(worker_client, buurt):
    response = worker_client.post(
        reverse("assets:initiative-create"),
        {"name": "Klusgroep", "status": "actief", "buurten": [buurt.code], "needs": ["materiaal"]},
    )

    initiative = Initiative.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("assets:initiative-detail", args=[initiative.pk])
    assert initiative.needs == ["materiaal"]


def test_initiative_create_without_buurt_shows_the_form_again(worker_client):
    response = worker_client.post(reverse("assets:initiative-create"), {"name": "Klusgroep", "status": "actief"})

    assert response.status_code == 422
    assert "buurten" in response.context["form"].errors
    assert not Initiative.objects.exists()


def test_analist_may_not_open_the_initiative_form(analist_client):
    assert analist_client.get(reverse("assets:initiative-create")).status_code == 403


def test_initiative_outside_scope_is_not_found_and_audited(worker_client, outside_buurt):
    initiative = InitiativeFactory(buurten=[outside_buurt])

    response = worker_client.get(reverse("assets:initiative-detail", args=[initiative.pk]))

    assert response.status_code == 404
    assert AuditEvent.objects.filter(result="denied", object_type="initiative").exists()


def test_log_support_adds_an_entry(worker_client, worker, buurt):
    initiative = InitiativeFactory(buurten=[buurt])

    response = worker_client.post(
        reverse("assets:support-log-add", args=[initiative.pk]), {"note": "Flyers gedrukt.", "need": "bekendheid"}
    )

    assert response.status_code == 302
    log = SupportLog.objects.get()
    assert (log.initiative, log.given_by, log.need) == (initiative, worker, "bekendheid")


def test_log_support_without_note_is_bad_input(worker_client, buurt):
    initiative = InitiativeFactory(buurten=[buurt])

    response = worker_client.post(reverse("assets:support-log-add", args=[initiative.pk]), {"note": ""})

    assert response.status_code == 422
    assert not SupportLog.objects.exists()


def test_log_support_in_the_future_is_bad_input(worker_client, buurt):
    initiative = InitiativeFactory(buurten=[buurt])

    response = worker_client.post(
        reverse("assets:support-log-add", args=[initiative.pk]), {"note": "Later.", "given_on": "2999-01-01"}
    )

    assert response.status_code == 422
    assert "given_on" in response.context["support_form"].errors


def test_key_figure_list_is_audited(worker_client, buurt):
    KeyFigureFactory(label="buurtmoeder", buurt=buurt)

    response = worker_client.get(reverse("assets:key-figure-list"))

    assert response.status_code == 200
    assert [f.label for f in response.context["figures"]] == ["buurtmoeder"]
    assert AuditEvent.objects.filter(action="view", object_type="key_figure_list").exists()


def test_analist_never_sees_key_figures(analist_client, buurt):
    KeyFigureFactory(buurt=buurt)

    assert analist_client.get(reverse("assets:key-figure-list")).status_code == 403


def test_key_figure_delete_by_page(worker_client, buurt):
    figure = KeyFigureFactory(buurt=buurt)

    response = worker_client.post(reverse("assets:key-figure-delete", args=[figure.pk]))

    assert response.status_code == 302
    assert not KeyFigure.objects.exists()


def test_key_figure_create_without_consent_is_bad_input(worker_client, buurt):
    response = worker_client.post(
        reverse("assets:key-figure-create"), {"label": "buurtvader", "buurt": buurt.code, "gifts": "Klust."}
    )

    assert response.status_code == 422
    assert "consent" in response.context["form"].errors


def test_public_page_shows_only_public_items_and_never_key_figures(client, buurt):
    InitiativeFactory(name="Openbare moestuin", buurten=[buurt], is_public=True)
    InitiativeFactory(name="Besloten groep", buurten=[buurt], is_public=False)
    KeyFigureFactory(label="buurtmoeder", buurt=buurt)

    response = client.get(reverse("assets-public:buurt", args=[buurt.code]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Openbare moestuin" in content
    assert "Besloten groep" not in content
    assert "buurtmoeder" not in content


def test_public_page_of_unknown_buurt_is_not_found(client, db):
    assert client.get(reverse("assets-public:buurt", args=["BU99999999"])).status_code == 404


@pytest.mark.parametrize(("name", "content_type"), [("buurt-qr-svg", "image/svg+xml"), ("buurt-qr-png", "image/png")])
def test_public_qr_code(client, buurt, name, content_type):
    response = client.get(reverse(f"assets-public:{name}", args=[buurt.code]))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type


def test_staff_pages_need_login(client, buurt):
    response = client.get(reverse("assets:map"))

    assert response.status_code == 302
