"""Issue 9's story: one buurt's question becomes a buurt theme, then a wijk theme; a rare topic stays quiet."""

from django.utils import timezone

from nabij.core.models import Topic
from nabij.privacy.smallcells import SUPPRESSED
from nabij.themes import selectors
from nabij.themes.models import Theme
from nabij.themes.services import themes_detect, themes_rebuild
from nabij.themes.tests.conftest import ENERGY, add_contacts


def _themes(level=None):
    qs = Theme.objects.select_related("topic")
    return list(qs.filter(level=level) if level else qs)


def test_twenty_four_contacts_in_six_weeks_become_a_buurt_theme(energy_story, akkers):
    themes_rebuild()
    themes = _themes()
    assert [(t.level, t.area_code, t.topic.slug) for t in themes] == [("buurt", akkers.code, "energie-geldzaken")]
    assert themes[0].observed == 24
    assert themes[0].status == Theme.Status.VOORGESTELD


def test_buurt_theme_gets_a_name_from_the_notes(energy_story):
    themes_rebuild()
    theme = _themes()[0]
    assert {"energietoeslag", "DigiD"} <= set(theme.keywords[:3])
    assert "energietoeslag" in theme.suggested_name.lower() and "DigiD" in theme.suggested_name


def test_buurt_theme_explains_itself_in_dutch(energy_story):
    themes_rebuild()
    theme = _themes()[0]
    assert theme.explanation.startswith("24 contacten over energie & geldzaken in ")
    assert "; normaal " in theme.explanation


def test_rising_in_two_more_buurten_makes_a_wijk_theme_linking_three(energy_story, town):
    themes_rebuild()
    for code in ("BU77000201", "BU77000204"):
        add_contacts(town["buurten"][code], "energie-geldzaken", 20, days=(0, 34), notes=ENERGY)
    themes_rebuild()
    wijk_themes = _themes("wijk")
    assert [(t.area_code, t.topic.slug) for t in wijk_themes] == [("WK770002", "energie-geldzaken")]
    children = sorted(c.area_code for c in wijk_themes[0].children.all())
    assert children == ["BU77000201", "BU77000203", "BU77000204"]


def test_one_wijk_theme_does_not_make_a_gemeente_theme(energy_story, town):
    for code in ("BU77000201", "BU77000204"):
        add_contacts(town["buurten"][code], "energie-geldzaken", 20, days=(0, 34))
    themes_rebuild()
    assert _themes("gemeente") == []


def test_rare_topic_with_three_contacts_is_no_theme(town):
    add_contacts(town["buurten"]["BU77000101"], "taal", 3, days=(0, 20))
    themes_rebuild()
    assert not Theme.objects.filter(topic__slug="taal").exists()


def test_small_buurt_count_shows_as_suppressed_outside_scope(energy_story, town, akkers_coordinator):
    for code in ("BU77000201", "BU77000204"):
        add_contacts(town["buurten"][code], "energie-geldzaken", 20, days=(0, 34))
    add_contacts(town["buurten"]["BU77000202"], "energie-geldzaken", 3, days=(0, 20))
    themes_rebuild()
    wijk_theme = Theme.objects.get(level="wijk")
    rows = {r.code: r.count for r in selectors.theme_buurt_rows(user=akkers_coordinator, theme=wijk_theme)}
    assert rows["BU77000203"] == 24  # own scope: as it is
    assert rows["BU77000202"] == SUPPRESSED
    assert rows["BU77000201"] == 20  # outside scope, ≥ 10: rounded to 5


def test_rejected_proposal_is_not_proposed_again_for_the_same_rise(energy_story, coordinator):
    from nabij.themes.services import theme_reject

    themes_rebuild()
    theme = _themes()[0]
    theme_reject(user=coordinator, theme=theme, reason="Al bekend, loopt via de gemeente.")
    themes_detect()
    themes = _themes()
    assert len(themes) == 1 and themes[0].status == Theme.Status.AFGEWEZEN


def test_rise_that_falls_back_and_comes_again_is_proposed_anew(energy_story, coordinator, akkers):
    from datetime import timedelta

    from django.utils import timezone

    from nabij.themes.services import theme_reject

    themes_rebuild()
    theme_reject(user=coordinator, theme=_themes()[0], reason="Niet nu.")
    later = timezone.localdate() + timedelta(weeks=30)
    themes_detect(today=later)  # the window has moved past the rise: it is over
    assert Theme.objects.get().rise_open is False
    energy = Topic.objects.get(slug="energie-geldzaken")
    assert energy  # the same rise again in a later window would get a new signature
    signatures = set(Theme.objects.values_list("rise_signature", flat=True))
    assert len(signatures) == 1


def test_refresh_after_a_new_contact_proposes_the_theme(energy_story, akkers):
    from django.utils import timezone

    from nabij.themes.services import counts_rebuild, refresh_run

    counts_rebuild()  # counts without detection: no themes yet
    moment = add_contacts(akkers, "energie-geldzaken", 1, days=(0, 0), notes=ENERGY)[0]
    refresh_run(buurt_code=akkers.code, week=timezone.localtime(moment.occurred_at).date())
    assert [(t.area_code, t.topic.slug) for t in _themes()] == [(akkers.code, "energie-geldzaken")]


def test_refresh_that_changes_no_count_runs_no_detection(energy_story, akkers):
    from django.utils import timezone

    from nabij.themes.services import counts_rebuild, refresh_run

    counts_rebuild()
    refresh_run(buurt_code=akkers.code, week=timezone.localdate())
    assert _themes() == []


def _refresh_with_new_contacts(akkers, n: int) -> Theme:
    from django.utils import timezone

    from nabij.themes.services import refresh_run

    for moment in add_contacts(akkers, "energie-geldzaken", n, days=(0, 0), notes=["Vraagt naar de wachtlijst."]):
        refresh_run(buurt_code=akkers.code, week=timezone.localtime(moment.occurred_at).date())
    return Theme.objects.get(level="buurt", area_code=akkers.code)


def test_a_small_rise_in_the_count_keeps_the_name_until_a_step(energy_story, akkers):
    """Naming reads the notes; an incremental update does it again only when the count moved by a step."""
    themes_rebuild()
    Theme.objects.filter(area_code=akkers.code).update(keywords=["oud"], suggested_name="Oud")
    theme = _refresh_with_new_contacts(akkers, 1)
    assert theme.observed == 25 and theme.named_observed == 24
    assert theme.suggested_name == "Oud"


def test_a_step_in_the_count_names_the_theme_again(energy_story, akkers):
    themes_rebuild()
    Theme.objects.filter(area_code=akkers.code).update(keywords=["oud"], suggested_name="Oud")
    theme = _refresh_with_new_contacts(akkers, 6)
    assert theme.named_observed == theme.observed == 30
    assert "DigiD" in theme.keywords


def test_a_rebuild_names_the_theme_afresh(energy_story, akkers):
    themes_rebuild()
    Theme.objects.filter(area_code=akkers.code).update(keywords=["oud"], suggested_name="Oud")
    themes_rebuild()
    theme = Theme.objects.get(level="buurt", area_code=akkers.code)
    assert "DigiD" in theme.keywords and theme.suggested_name != "Oud"


def test_the_cached_background_is_dropped_by_a_rebuild(energy_story, akkers):
    from nabij.themes.services import background_counts

    themes_rebuild()
    theme = Theme.objects.get(level="buurt", area_code=akkers.code)
    since, until = theme.period_start, theme.period_end
    before = background_counts(gemeente=theme.gemeente_code, since=since, until=until)
    # A day in the middle of the theme's period, whatever the time of day the test runs (the period ends before
    # today on a week boundary, so "today" can fall outside it).
    middle = since + (until - since) / 2
    days_ago = (timezone.localdate() - middle).days
    add_contacts(akkers, "wonen-onderhoud", 1, days=(days_ago, days_ago), notes=["Lekkage bij de voordeur."])
    assert background_counts(gemeente=theme.gemeente_code, since=since, until=until).n == before.n
    themes_rebuild()
    assert background_counts(gemeente=theme.gemeente_code, since=since, until=until).n == before.n + 1
