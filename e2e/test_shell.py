"""The shell as a buurtwerker uses it: log in, see her own buurten on the map and in the list, open one,
switch language; on a phone and on a desktop, with axe finding nothing on any page."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

BUURTWERKER = "buurtwerker@demo.nabij.example"  # scope: wijk Rietlanden (WK995002), four buurten
HER_BUURTEN = ["De Akkers", "Rietlanden-Oost", "Rietlanden-West", "Vogelbuurt"]
OTHER_BUURT = "Kerkbuurt"  # in wijk Oude Kern, outside her scope
OTHER_BUURT_CODE = "BU99500101"


def map_outlines(page: Page):
    return page.locator(".leaflet-overlay-pane path")


def assert_no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{page.url} is {width}px wide in a {viewport}px viewport"


def test_login_page_is_accessible(screen_page, demo_areas, axe_check, watch):
    problems = watch(screen_page)
    screen_page.goto("/account/inloggen/")
    expect(screen_page.locator("h1")).to_be_visible()
    assert_no_horizontal_scroll(screen_page)
    axe_check(screen_page)
    assert problems == []


def test_home_shows_only_her_buurten_on_map_and_list(screen_page, demo_areas, login, axe_check, watch):
    problems = watch(screen_page)
    login(screen_page, BUURTWERKER)
    expect(screen_page).to_have_url(re.compile(r"/$"))
    expect(map_outlines(screen_page)).to_have_count(len(HER_BUURTEN))
    rows = screen_page.locator("table.nabij-table tbody tr th a")
    expect(rows).to_have_text(HER_BUURTEN)
    expect(screen_page.get_by_text(OTHER_BUURT)).to_have_count(0)
    expect(screen_page.locator(".nabij-user__name")).to_have_text("Sanne de Vries")
    assert_no_horizontal_scroll(screen_page)
    axe_check(screen_page)
    assert problems == []


def test_opening_a_buurt_shows_its_outline_and_facts(screen_page, demo_areas, login, axe_check, watch):
    problems = watch(screen_page)
    login(screen_page, BUURTWERKER)
    screen_page.get_by_role("link", name="Rietlanden-Oost").click()
    expect(screen_page).to_have_url(re.compile(r"/gebieden/buurt/BU99500201/$"))
    expect(screen_page.locator("h1")).to_contain_text("Rietlanden-Oost")
    expect(map_outlines(screen_page)).to_have_count(1)
    expect(screen_page.locator(".nabij-facts")).to_contain_text("BU99500201")
    assert_no_horizontal_scroll(screen_page)
    axe_check(screen_page)
    assert problems == []


def test_area_pages_are_accessible_and_fit_the_screen(screen_page, demo_areas, login, axe_check, watch):
    problems = watch(screen_page)
    login(screen_page, BUURTWERKER)
    for path in ("/gebieden/", "/gebieden/gemeente/GM9950/", "/gebieden/wijk/WK995002/"):
        screen_page.goto(path)
        expect(screen_page.locator("h1")).to_be_visible()
        assert_no_horizontal_scroll(screen_page)
        axe_check(screen_page)
    assert problems == []


def test_gemeente_map_leaves_out_buurten_outside_her_scope(desktop_page, demo_areas, login):
    login(desktop_page, BUURTWERKER)
    desktop_page.goto("/gebieden/gemeente/GM9950/")
    expect(map_outlines(desktop_page)).to_have_count(len(HER_BUURTEN))
    expect(desktop_page.get_by_text(OTHER_BUURT)).to_have_count(0)


def test_buurt_outside_her_scope_is_not_found(desktop_page, demo_areas, login):
    login(desktop_page, BUURTWERKER)
    response = desktop_page.goto(f"/gebieden/buurt/{OTHER_BUURT_CODE}/")
    assert response.status == 404


def test_language_switch_to_english_and_back(screen_page, demo_areas, login, axe_check):
    login(screen_page, BUURTWERKER)
    screen_page.goto("/gebieden/buurt/BU99500201/")
    expect(screen_page.locator("html")).to_have_attribute("lang", "nl")
    expect(screen_page.locator(".nabij-nav")).to_contain_text("Mijn buurten")

    screen_page.get_by_role("button", name="English").click()
    expect(screen_page.locator("html")).to_have_attribute("lang", "en")
    expect(screen_page).to_have_url(re.compile(r"/gebieden/buurt/BU99500201/$"))
    expect(screen_page.locator(".nabij-nav")).to_contain_text("My neighbourhoods")
    axe_check(screen_page)

    screen_page.get_by_role("button", name="Nederlands").click()
    expect(screen_page.locator("html")).to_have_attribute("lang", "nl")
    expect(screen_page.locator(".nabij-nav")).to_contain_text("Mijn buurten")


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(desktop_page, demo_areas, login):
    login(desktop_page, BUURTWERKER)
    desktop_page.keyboard.press("Tab")
    skip_link = desktop_page.locator(".utrecht-skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    desktop_page.keyboard.press("Enter")
    expect(desktop_page.locator("#main")).to_be_focused()
