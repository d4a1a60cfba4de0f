from django.urls import reverse

import pytest

from nabij.contacts.tests.factories import UserFactory
from nabij.core import navigation
from nabij.themes.models import Theme, ThemeAction
from nabij.themes.services import themes_rebuild


@pytest.fixture(autouse=True)
def _quiet_followup_badge(monkeypatch):
    """The navigation's follow-up badge belongs to another app and is tested there; keep these page tests about
    themes (and independent of follow-up's queries)."""
    monkeypatch.setitem(navigation._ENTRIES, "followup", (20, lambda user: []))


@pytest.fixture
def theme(energy_story):
    themes_rebuild()
    return Theme.objects.get()


def test_dashboard_highlights_new_proposals(client, coordinator, theme):
    client.force_login(coordinator)
    response = client.get(reverse("themes:theme-list"))
    assert response.status_code == 200
    assert [row["theme"] for row in response.context["proposals"]] == [theme]


def test_dashboard_query_count_does_not_grow_per_theme(client, coordinator, theme, django_assert_max_num_queries):
    client.force_login(coordinator)
    with django_assert_max_num_queries(30):
        client.get(reverse("themes:theme-list"))


def test_theme_page_shows_why_and_keywords(client, coordinator, theme):
    client.force_login(coordinator)
    response = client.get(reverse("themes:theme-detail", args=[theme.pk]))
    assert response.status_code == 200
    assert response.context["why"].startswith("24 contacten over energie & geldzaken")
    assert b'id="keywords"' in response.content and b"DigiD" in response.content
    assert b"<svg" in response.content


def test_theme_page_shows_no_notes(client, coordinator, theme):
    client.force_login(coordinator)
    content = client.get(reverse("themes:theme-detail", args=[theme.pk])).content.decode()
    assert "heeft geen DigiD" not in content


def test_theme_page_outside_scope_is_404(client, theme):
    client.force_login(UserFactory(role="coordinator"))
    assert client.get(reverse("themes:theme-detail", args=[theme.pk])).status_code == 404


def test_confirm_with_name(client, coordinator, theme):
    client.force_login(coordinator)
    response = client.post(reverse("themes:theme-confirm", args=[theme.pk]), {"name": "Toeslag en DigiD"})
    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.status, theme.name) == ("erkend", "Toeslag en DigiD")


def test_reject_without_reason_shows_the_form_again(client, coordinator, theme):
    client.force_login(coordinator)
    response = client.post(reverse("themes:theme-reject", args=[theme.pk]), {"reason": ""})
    assert response.status_code == 422
    theme.refresh_from_db()
    assert theme.status == "voorgesteld"


def test_analist_may_view_but_not_decide(client, town, theme):
    analist = UserFactory(role="analist")
    analist.scope_gemeenten.set([town["gemeente"]])
    client.force_login(analist)
    assert client.get(reverse("themes:theme-detail", args=[theme.pk])).status_code == 200
    assert client.post(reverse("themes:theme-confirm", args=[theme.pk]), {"name": ""}).status_code == 403


def test_link_action_moves_theme_to_aanpak(client, coordinator, theme):
    client.force_login(coordinator)
    client.post(reverse("themes:theme-confirm", args=[theme.pk]), {"name": ""})
    response = client.post(
        reverse("themes:theme-action-add", args=[theme.pk]),
        {"kind": "collectief", "label": "Samen de energietoeslag aanvragen"},
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.status == "aanpak"
    assert ThemeAction.objects.get(theme=theme).kind == "collectief"


def test_link_action_before_recognising_is_refused(client, coordinator, theme):
    client.force_login(coordinator)
    response = client.post(
        reverse("themes:theme-action-add", args=[theme.pk]), {"kind": "project", "label": "Buurtproject"}
    )
    assert response.status_code == 422
    assert not ThemeAction.objects.exists()


def test_rename_page_shows_the_current_name(client, coordinator, theme):
    client.force_login(coordinator)
    response = client.get(reverse("themes:theme-rename", args=[theme.pk]))
    assert response.status_code == 200
    assert response.context["form"].initial["name"] == theme.display_name


def test_rename_saves_the_new_name(client, coordinator, theme):
    client.force_login(coordinator)
    response = client.post(reverse("themes:theme-rename", args=[theme.pk]), {"name": "  Samen  de toeslag aanvragen "})
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.name == "Samen de toeslag aanvragen"


def test_rename_without_a_name_shows_the_form_again(client, coordinator, theme):
    client.force_login(coordinator)
    response = client.post(reverse("themes:theme-rename", args=[theme.pk]), {"name": " "})
    assert response.status_code == 422
    theme.refresh_from_db()
    assert theme.name == ""


def test_analist_may_not_rename(client, town, theme):
    analist = UserFactory(role="analist")
    analist.scope_gemeenten.set([town["gemeente"]])
    client.force_login(analist)
    assert client.get(reverse("themes:theme-rename", args=[theme.pk])).status_code == 403


def test_rename_outside_scope_is_404(client, theme):
    client.force_login(UserFactory(role="coordinator"))
    assert client.post(reverse("themes:theme-rename", args=[theme.pk]), {"name": "X"}).status_code == 404
