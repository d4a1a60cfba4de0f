"""Issue 13 for themes: a theme is detected over everyone's contacts, but a viewer of another organisation sees
its counts only as published values (never 1..9, never exact) and none of the notes behind it; the welfare
organisation's own worker with the buurt in scope sees the exact numbers."""

from django.urls import reverse

import pytest

from nabij.contacts.tests.factories import OrganisationFactory, UserFactory
from nabij.core import navigation
from nabij.privacy.smallcells import SUPPRESSED
from nabij.themes import selectors
from nabij.themes.models import Theme
from nabij.themes.services import themes_rebuild
from nabij.themes.tests.conftest import add_contacts

CORPORATIE_NOTES = ["Huurachterstand, durft de post niet meer te open te maken; schuldhulpmaatje gevraagd."]


@pytest.fixture(autouse=True)
def _quiet_followup_badge(monkeypatch):
    monkeypatch.setitem(navigation._ENTRIES, "followup", (20, lambda user: []))


@pytest.fixture
def corporatie():
    return OrganisationFactory(name="Woonstad Test", kind="woningcorporatie")


@pytest.fixture
def corporatie_coordinator(town, corporatie):
    user = UserFactory(role="coordinator", organisation=corporatie)
    user.scope_gemeenten.set([town["gemeente"]])
    return user


@pytest.fixture
def welfare_worker(town, akkers):
    """The welfare organisation's buurtwerker of De Akkers (the organisation of every contact in the story)."""
    return UserFactory(role="buurtwerker", organisation=town["worker"].organisation, buurten=[akkers])


@pytest.fixture
def theme(energy_story):
    themes_rebuild()
    return Theme.objects.get()


def _published(value) -> bool:
    """A value the small-cell rules may show outside the viewer's own records: suppressed, 0, or a multiple of 5
    of at least 10."""
    return value == SUPPRESSED or value == 0 or (value >= 10 and value % 5 == 0)


def test_another_organisation_sees_the_theme_count_rounded(theme, corporatie_coordinator):
    assert theme.observed == 24
    assert selectors.theme_shown_count(corporatie_coordinator, theme) == 25
    assert selectors.theme_explanation(corporatie_coordinator, theme).startswith("25 contacten")


def test_another_organisation_sees_only_published_values_in_the_trend_and_buurt_table(theme, corporatie_coordinator):
    trend = selectors.theme_trend(user=corporatie_coordinator, theme=theme)
    rows = selectors.theme_buurt_rows(user=corporatie_coordinator, theme=theme)
    assert all(_published(week.count) for week in trend["weeks"])
    assert any(week.count == SUPPRESSED for week in trend["weeks"])  # about four a week: below 10
    assert all(_published(row.count) for row in rows)
    # The bars are drawn from the published values: a suppressed week has no bar, a shown one its rounded height.
    top = max([*(w.count for w in trend["weeks"] if isinstance(w.count, int)), 1])
    for week in trend["weeks"]:
        expected = 0.0 if week.count == SUPPRESSED else week.count / max(top, trend["usual"])
        assert week.raw_height == pytest.approx(expected)


def test_another_organisation_gets_published_counts_from_the_api(client, theme, corporatie_coordinator):
    client.force_login(corporatie_coordinator)
    data = client.get(f"/api/v1/themas/{theme.pk}").json()
    assert data["aantal"] == 25
    assert data["trefwoorden"] == [] and data["voorgestelde_naam"] == ""
    assert data["naam"] == theme.topic.label


def test_another_organisation_sees_no_words_from_the_notes_behind_a_theme(client, theme, corporatie_coordinator):
    client.force_login(corporatie_coordinator)
    response = client.get(reverse("themes:theme-detail", args=[theme.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["keywords"] == []
    assert "DigiD" not in content and "energietoeslag" not in content.lower()
    assert 'id="theme-count">25<' in content


def test_another_organisation_recognising_a_theme_names_it_from_what_it_may_read(theme, corporatie_coordinator):
    from nabij.themes.services import theme_confirm

    theme = theme_confirm(user=corporatie_coordinator, theme=theme)
    assert theme.name == theme.topic.label


def test_own_worker_with_the_buurt_in_scope_sees_exact_counts_and_words(theme, welfare_worker):
    assert selectors.theme_shown_count(welfare_worker, theme) == 24
    trend = selectors.theme_trend(user=welfare_worker, theme=theme)
    assert trend["in_scope"] is True
    assert sum(w.count for w in trend["weeks"] if w.in_window) >= 24
    keywords, name = selectors.theme_words(welfare_worker, theme)
    assert "DigiD" in keywords and "DigiD" in name


def test_a_few_contacts_of_another_organisation_make_the_own_count_suppressed(energy_story, akkers, welfare_worker):
    """The worker can count their own 24; showing 27 (or 25) would give the corporatie's 3 away."""
    corporatie_worker = UserFactory(organisation=OrganisationFactory(name="Woonstad Test"), buurten=[akkers])
    add_contacts(akkers, "energie-geldzaken", 3, days=(0, 20), notes=CORPORATIE_NOTES, worker=corporatie_worker)
    themes_rebuild()
    theme = Theme.objects.get()
    assert theme.observed == 27
    assert selectors.theme_shown_count(welfare_worker, theme) == SUPPRESSED
    rows = selectors.theme_buurt_rows(user=welfare_worker, theme=theme)
    assert [row.count for row in rows if row.code == akkers.code] == [SUPPRESSED]
    keywords, _name = selectors.theme_words(welfare_worker, theme)
    assert not {"huurachterstand", "schuldhulpmaatje"} & {k.lower() for k in keywords}


def test_the_corporatie_sees_none_of_the_welfare_notes_but_words_from_its_own(energy_story, akkers, corporatie):
    corporatie_worker = UserFactory(role="coordinator", organisation=corporatie, buurten=[akkers])
    add_contacts(akkers, "energie-geldzaken", 3, days=(0, 20), notes=CORPORATIE_NOTES, worker=corporatie_worker)
    themes_rebuild()
    theme = Theme.objects.get()
    keywords, _name = selectors.theme_words(corporatie_worker, theme)
    assert "DigiD" not in keywords and "energietoeslag" not in {k.lower() for k in keywords}
    assert selectors.theme_shown_count(corporatie_worker, theme) == 25  # 27: the welfare part is large, rounded
