from django.urls import reverse

import pytest

from nabij.themes.models import Theme
from nabij.themes.services import themes_rebuild


@pytest.fixture
def theme(energy_story):
    themes_rebuild()
    return Theme.objects.get()


def test_coordinator_sees_new_proposals_on_the_home_page(client, coordinator, theme):
    client.force_login(coordinator)

    response = client.get(reverse("core:home"))

    assert response.status_code == 200
    assert 'id="theme-proposals"' in response.content.decode()
    assert reverse("themes:theme-detail", args=[theme.pk]) in response.content.decode()


def test_home_page_has_no_proposal_panel_without_proposals(client, coordinator, town):
    client.force_login(coordinator)

    response = client.get(reverse("core:home"))

    assert 'id="theme-proposals"' not in response.content.decode()
