"""The sociale kaart as a buurtwerker uses it on a phone: add an initiative, log support for it; the public
buurt page at 390×844. axe finds nothing on any of these pages."""

import importlib
import random

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

BUURTWERKER = "buurtwerker@demo.nabij.example"  # scope: wijk Rietlanden
DE_AKKERS = "BU99500203"


@pytest.fixture(autouse=True)
def topics(transactional_db):
    """The seeded topic list: a live-server test before this one may have flushed what the migration made."""
    from nabij.core.models import Topic

    seed = importlib.import_module("nabij.contacts.migrations.0002_seed_topics")
    for position, (slug, label, label_en) in enumerate(seed.TOPICS, start=1):
        Topic.objects.get_or_create(slug=slug, defaults={"label": label, "label_en": label_en, "position": position})


def test_add_initiative_and_log_support_on_a_phone(phone_page, demo_town, login, axe_check, watch):
    page = phone_page
    problems = watch(page)
    login(page, BUURTWERKER)
    page.goto("/sociale-kaart/")
    axe_check(page)
    page.locator("#add-initiative").click()
    axe_check(page)
    page.locator("#id_name").fill("Repair Café De Akkers")
    page.locator("#id_description").fill("Buren maken samen kapotte spullen weer heel.")
    page.locator(f"input[name=buurten][value={DE_AKKERS}]").check()
    page.locator("input[name=needs][value=ruimte]").check()
    page.get_by_role("button", name="Opslaan").click()

    expect(page.locator("h1")).to_contain_text("Repair Café De Akkers")
    page.locator("#id_note").fill("De zaal in het buurthuis geregeld voor de eerste keer.")
    page.locator("#id_need").select_option("ruimte")
    page.get_by_role("button", name="Steun vastleggen").click()

    expect(page.locator("#support-log li")).to_have_count(1)
    expect(page.locator("#support-log")).to_contain_text("De zaal in het buurthuis geregeld")
    axe_check(page)
    assert problems == []


def test_public_buurt_page_on_a_phone(phone_page, demo_town, axe_check, watch):
    page = phone_page
    problems = watch(page)
    page.goto(f"/buurt/{DE_AKKERS}/")
    expect(page.locator("h1")).to_contain_text("De Akkers")
    expect(page.locator("main")).to_contain_text("Moestuin De Akkers")
    expect(page.locator("main")).not_to_contain_text("buurtmoeder")
    axe_check(page)
    assert problems == []


def test_map_and_list_with_a_filter_on_a_phone(phone_page, demo_town, login, axe_check, watch):
    page = phone_page
    problems = watch(page)
    login(page, BUURTWERKER)
    page.goto("/sociale-kaart/")

    expect(page.locator("[data-social-map] path.leaflet-interactive").first).to_be_attached()
    expect(page.locator("#initiative-list li").first).to_be_visible()
    axe_check(page)
    page.locator("#id_kind").select_option("initiatief")
    page.locator("#id_buurt").select_option(DE_AKKERS)
    page.locator("form.nabij-filter button[type=submit]").click()

    expect(page.locator("#initiative-list")).to_contain_text("Moestuin De Akkers")
    expect(page.locator("#provider-list")).to_have_count(0)
    axe_check(page)
    assert problems == []


def test_search_shows_the_own_buurt_first_on_a_phone(phone_page, demo_town, login, axe_check, watch):
    page = phone_page
    problems = watch(page)
    login(page, BUURTWERKER)
    page.goto("/sociale-kaart/")
    page.locator("#search-link").click()
    axe_check(page)
    page.locator("#id_q").fill("moestuinen")
    page.locator("#id_buurt").select_option(DE_AKKERS)
    page.get_by_role("button", name="Zoeken").click()

    first = page.locator("#search-results li").first
    expect(first).to_have_attribute("data-level", "buurt")
    expect(first).to_contain_text("Moestuin De Akkers")
    axe_check(page)
    assert problems == []


def test_add_an_organisation_for_a_whole_wijk_on_a_phone(phone_page, demo_town, login, axe_check, watch):
    page = phone_page
    problems = watch(page)
    login(page, BUURTWERKER)
    page.goto("/sociale-kaart/organisaties/nieuw/")
    axe_check(page)
    page.locator("#id_name").fill("Buurtbemiddeling Rietlanden")
    page.locator("input[name=wijken][value=WK995002]").check()
    page.get_by_role("button", name="Opslaan").click()

    expect(page.locator("h1")).to_contain_text("Buurtbemiddeling Rietlanden")
    expect(page.locator("main")).to_contain_text("Hele wijken waar ze werken")
    axe_check(page)
    assert problems == []


NAME_WITH_HTML = "<img src=x onerror=\"document.title='xss'\">Buurtkamer"


def test_map_tooltips_show_names_as_text_never_as_html(desktop_page, demo_town, login, watch):
    """A name typed or imported with HTML in it shows as those characters in the tooltip: no element is made
    from it, on the sociale kaart (social_map.js) nor on an area map (nabij.js)."""
    from nabij.areas.models import Buurt
    from nabij.assets.demo import _centre as centre
    from nabij.assets.models import Place
    from nabij.core.models import Topic

    page = desktop_page
    topic = Topic.objects.create(slug="kaarttest", label="kaarttest", label_en="map test", position=999)
    buurt = Buurt.objects.get(code=DE_AKKERS)
    lat, lon = centre(buurt, random.Random(1))
    place = Place.objects.create(name=NAME_WITH_HTML, kind="buurthuis", buurt=buurt, latitude=lat, longitude=lon)
    place.topics.set([topic])
    Buurt.objects.filter(code=DE_AKKERS).update(name=NAME_WITH_HTML)
    login(page, BUURTWERKER)

    page.goto(f"/sociale-kaart/?kind=plek&topic=kaarttest&buurt={DE_AKKERS}")
    page.locator('[data-social-map] path.leaflet-interactive[fill="#b3261e"]').hover()
    tooltip = page.locator(".leaflet-tooltip")
    expect(tooltip).to_have_text(f"{NAME_WITH_HTML} (Buurthuis)")
    expect(tooltip.locator("img")).to_have_count(0)

    page.goto(f"/gebieden/buurt/{DE_AKKERS}/")
    page.locator("[data-map-source] path.leaflet-interactive").first.hover()
    expect(page.locator(".leaflet-tooltip")).to_have_text(NAME_WITH_HTML)
    expect(page.locator(".leaflet-tooltip img")).to_have_count(0)
    assert page.title() != "xss"
