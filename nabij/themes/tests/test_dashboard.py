"""The home-page panel with new proposals (core wires it in; see nabij/themes/dashboard.py)."""

from django.template.loader import render_to_string
from django.test import RequestFactory

from nabij.contacts.tests.factories import UserFactory
from nabij.themes.dashboard import home_panel
from nabij.themes.services import theme_confirm, themes_rebuild


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_coordinator_gets_the_new_proposal(energy_story, coordinator):
    themes_rebuild()
    panel = home_panel(_request(coordinator))
    assert panel["total"] == 1
    assert panel["rows"][0]["why"].startswith("24 contacten over energie & geldzaken")


def test_no_panel_when_nothing_is_proposed(energy_story, coordinator):
    themes_rebuild()
    from nabij.themes.models import Theme

    theme_confirm(user=coordinator, theme=Theme.objects.get(), name="")
    assert home_panel(_request(coordinator)) is None


def test_no_panel_for_a_buurtwerker(energy_story, town):
    themes_rebuild()
    worker = UserFactory(role="buurtwerker")
    worker.scope_gemeenten.set([town["gemeente"]])
    assert home_panel(_request(worker)) is None


def test_no_panel_outside_scope(energy_story):
    themes_rebuild()
    assert home_panel(_request(UserFactory(role="coordinator"))) is None


def test_panel_renders_with_a_link_to_the_theme(energy_story, coordinator):
    themes_rebuild()
    html = render_to_string("themes/partials/home_proposals.html", {"panel": home_panel(_request(coordinator))})
    assert 'id="theme-proposals"' in html and "/themas/" in html
