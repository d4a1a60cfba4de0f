"""'Bestaat dit al?': own buurt first, then wijk, then gemeente; Dutch word forms; scope; key figures."""

import pytest

from nabij.assets import selectors, services
from nabij.assets.tests.factories import (
    InitiativeFactory,
    KeyFigureFactory,
    PlaceFactory,
    ProviderFactory,
    UserFactory,
    topic,
)
from nabij.core.exceptions import NotVisible


def _names(hits):
    return [h.name for h in hits]


def test_search_ranks_own_buurt_then_wijk_then_gemeente(worker, buurt, neighbour_buurt, far_buurt):
    InitiativeFactory(name="Moestuin Verweg", description="samen moestuinieren", buurten=[far_buurt])
    InitiativeFactory(name="Moestuin Rietlanden", buurten=[neighbour_buurt])
    InitiativeFactory(name="Moestuin De Akkers", buurten=[buurt])

    hits = selectors.social_map_search(user=worker, buurt=buurt, q="moestuin")

    assert [(h.name, h.level) for h in hits] == [
        ("Moestuin De Akkers", "buurt"),
        ("Moestuin Rietlanden", "wijk"),
        ("Moestuin Verweg", "gemeente"),
    ]


def test_search_finds_singular_from_plural(worker, buurt):
    InitiativeFactory(name="Moestuin De Akkers", buurten=[buurt])

    assert _names(selectors.social_map_search(user=worker, buurt=buurt, q="moestuinen")) == ["Moestuin De Akkers"]


def test_search_finds_word_from_diminutive(worker, buurt):
    InitiativeFactory(name="Koffieochtend", description="Elke dinsdag koffie.", buurten=[buurt])

    hits = selectors.social_map_search(user=worker, buurt=buurt, q="koffieochtendje")

    assert _names(hits) == ["Koffieochtend"]


def test_search_made_by_service_finds_plural_in_description(worker, buurt):
    services.place_save(user=worker, name="Het Trefpunt", buurt=buurt.code, description="Buurthuis met taallessen.")

    hits = selectors.social_map_search(user=worker, buurt=buurt, q="taalles")

    assert [(h.kind, h.name) for h in hits] == [("plek", "Het Trefpunt")]


def test_search_leaves_out_non_matching_items(worker, buurt):
    InitiativeFactory(name="Klusgroep", description="Repareren.", buurten=[buurt])

    assert selectors.social_map_search(user=worker, buurt=buurt, q="moestuin") == []


def test_search_filters_on_topic(worker, buurt):
    taal = topic("taal", "taal")
    InitiativeFactory(name="Taalmaatjes", buurten=[buurt], topics=[taal])
    InitiativeFactory(name="Klusgroep", buurten=[buurt])

    assert _names(selectors.social_map_search(user=worker, buurt=buurt, topic="taal")) == ["Taalmaatjes"]


def test_search_covers_organisations_places_and_initiatives(worker, buurt):
    ProviderFactory(name="Taalhuis", description="Taallessen voor volwassenen.", buurten=[buurt])
    PlaceFactory(name="Bibliotheek", description="Taallessen op woensdag.", buurt=buurt)
    InitiativeFactory(name="Taalcafé", description="Samen taallessen oefenen.", buurten=[buurt])

    kinds = {h.kind for h in selectors.social_map_search(user=worker, buurt=buurt, q="taalles")}

    assert kinds == {"organisatie", "plek", "initiatief"}


def test_search_never_shows_items_of_another_gemeente(worker, buurt, outside_buurt):
    InitiativeFactory(name="Moestuin Elders", buurten=[outside_buurt])

    assert selectors.social_map_search(user=worker, buurt=buurt, q="moestuin") == []


def test_search_respects_the_users_scope_inside_the_gemeente(buurt, far_buurt):
    user = UserFactory(buurten=[buurt])
    InitiativeFactory(name="Moestuin Verweg", buurten=[far_buurt])

    assert selectors.social_map_search(user=user, buurt=buurt, q="moestuin") == []


def test_search_in_a_buurt_outside_scope_is_refused(worker, outside_buurt):
    with pytest.raises(NotVisible):
        selectors.social_map_search(user=worker, buurt=outside_buurt, q="moestuin")


def test_search_shows_key_figures_to_a_worker(worker, buurt):
    KeyFigureFactory(label="buurtmoeder", gifts="Kan goed koken voor groepen.", buurt=buurt)

    hits = selectors.social_map_search(user=worker, buurt=buurt, q="koken")

    assert [(h.kind, h.name) for h in hits] == [("sleutelfiguur", "buurtmoeder")]


def test_search_never_shows_key_figures_to_an_analist(analist, buurt):
    KeyFigureFactory(label="buurtmoeder", gifts="Kan goed koken.", buurt=buurt)

    assert selectors.social_map_search(user=analist, buurt=buurt, q="koken") == []


def test_search_without_words_lists_everything_near(worker, buurt, far_buurt):
    InitiativeFactory(name="B", buurten=[far_buurt])
    InitiativeFactory(name="A", buurten=[buurt])

    assert _names(selectors.social_map_search(user=worker, buurt=buurt)) == ["A", "B"]


def test_search_shows_an_entry_in_scope_through_a_buurt_of_another_gemeente(buurt, far_buurt, outside_buurt):
    """As in the lists: an entry is in scope when one of its buurten is, and near when one is in the gemeente."""
    user = UserFactory(buurten=[buurt, outside_buurt])
    InitiativeFactory(name="Moestuin Verweg", buurten=[far_buurt, outside_buurt])

    hits = selectors.social_map_search(user=user, buurt=buurt, q="moestuin")

    assert [(h.name, h.level) for h in hits] == [("Moestuin Verweg", "gemeente")]


def test_search_ranks_an_organisation_listing_the_buurt_and_its_wijk_at_buurt_level(worker, buurt, wijk):
    ProviderFactory(name="Schuldhulp", description="schulden", buurten=[buurt], wijken=[wijk])

    hits = selectors.social_map_search(user=worker, buurt=buurt, q="schulden")

    assert [(h.name, h.level) for h in hits] == [("Schuldhulp", "buurt")]


def test_search_lists_each_entry_once_when_it_serves_several_buurten_and_wijken(worker, buurt, neighbour_buurt, wijk):
    taal = topic("taal", "taal")
    ProviderFactory(
        name="Taalhuis", description="Taallessen.", buurten=[buurt, neighbour_buurt], wijken=[wijk], topics=[taal]
    )
    InitiativeFactory(name="Taalcafé", description="Taallessen.", buurten=[buurt, neighbour_buurt], topics=[taal])

    hits = selectors.social_map_search(user=worker, buurt=buurt, q="taalles", topic="taal")

    assert sorted(_names(hits)) == ["Taalcafé", "Taalhuis"]


def test_search_query_count_does_not_grow_with_the_hits(worker, buurt, neighbour_buurt, far_buurt):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            selectors.social_map_search(user=worker, buurt=buurt, q="moestuin")
        return len(context.captured_queries)

    InitiativeFactory(name="Moestuin", buurten=[buurt])
    KeyFigureFactory(label="moestuinier", gifts="Kweekt groenten in de moestuin.", buurt=buurt)  # one audit either way
    queries()  # the user's scope is read once per user object
    few = queries()
    for area in (buurt, neighbour_buurt, far_buurt):
        InitiativeFactory(name="Moestuin", buurten=[area, far_buurt])
        ProviderFactory(name="Moestuinhulp", buurten=[area])
        PlaceFactory(name="Moestuin", buurt=area)
        KeyFigureFactory(label="moestuinier", gifts="Kweekt groenten in de moestuin.", buurt=area)

    assert queries() == few
