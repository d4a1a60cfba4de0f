"""Presence on a phone: start a round, log two contacts and an observation, end the round, find them on the
buurt timeline; keyboard-only capture; axe on each page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

WORKER = "buurtwerker@demo.nabij.example"
PLAN = "dinsdag 10–12, Rietlanden en De Akkers"
AKKERS = "BU99500203"


def _tab_until(page, selector: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"keyboard focus never reached {selector}")


def test_round_with_contacts_and_observation_on_a_phone(demo_town, phone_page, login, axe_check, watch):
    page = phone_page
    problems = watch(page)
    login(page, WORKER)

    page.get_by_role("link", name="Mijn rondes").click()
    page.get_by_label("Geplande ronde").select_option(label=PLAN)
    page.get_by_role("button", name="Ronde starten").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(PLAN)
    axe_check(page)

    # First contact by touch, "save and log another" (htmx).
    page.get_by_role("link", name="Contact vastleggen").first.click()
    expect(page.get_by_label("Buurt", exact=True)).to_have_value(AKKERS)
    axe_check(page)
    page.get_by_label("eenzaamheid", exact=True).check()
    page.get_by_label("Notitie").fill("Mevrouw Jansen woont alleen en voelt zich eenzaam.")
    page.get_by_role("button", name="Opslaan en nog een").click()
    notice = page.locator("#saved-notice")
    expect(notice).to_contain_text("Opgeslagen als:")
    expect(notice).to_contain_text("eenzaam")
    expect(notice).not_to_contain_text("Jansen")
    expect(page.get_by_label("Buurt", exact=True)).to_have_value(AKKERS)

    # Second contact with the keyboard only: channel by arrow key, topic by space, note, Enter on "Opslaan".
    _tab_until(page, "#id_channel_0, #id_channel_1, #id_channel_2, input[name=channel]:checked")
    page.keyboard.press("ArrowRight")
    _tab_until(page, "input[name=topics][value=energie-geldzaken]")
    page.keyboard.press("Space")
    _tab_until(page, "#id_note")
    page.keyboard.type("Vraagt hulp bij de energietoeslag en DigiD.")
    _tab_until(page, "button[value=save]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/contacten/rondes/\d+/\?opgeslagen=\d+"))
    expect(page.locator("#saved-notice")).to_contain_text("energietoeslag")

    # An observation during the round.
    page.get_by_role("link", name="Waarneming vastleggen").click()
    page.get_by_label("groen & openbare ruimte").check()
    page.get_by_label("Wat zag je?").fill("Lantaarnpaal kapot bij het speelveld.")
    axe_check(page)
    page.get_by_role("button", name="Waarneming opslaan").click()
    expect(page.get_by_role("heading", name="2 contacten")).to_be_visible()
    expect(page.get_by_role("heading", name="1 waarneming")).to_be_visible()

    page.get_by_role("button", name="Ronde afsluiten").click()
    expect(page.get_by_role("button", name="Ronde afsluiten")).to_have_count(0)
    axe_check(page)

    # Everything is on the buurt timeline, reached from the buurt page.
    page.goto(f"/gebieden/buurt/{AKKERS}/")
    page.get_by_role("link", name="Contacten en waarnemingen").click()
    expect(page.get_by_text("voelt zich eenzaam")).to_be_visible()
    expect(page.get_by_text("energietoeslag en DigiD")).to_be_visible()
    expect(page.get_by_text("Lantaarnpaal kapot bij het speelveld.")).to_be_visible()
    axe_check(page)
    assert problems == []


def test_resident_search_on_the_capture_form(demo_town, phone_page, login, axe_check, watch):
    page = phone_page
    problems = watch(page)
    login(page, WORKER)
    page.goto(f"/contacten/nieuw/?buurt={AKKERS}")
    page.locator("details.nabij-more summary").click()
    search = page.get_by_label("Andere bewoners zoeken")
    expect(search).to_be_visible()  # shown by capture.js; without JavaScript only the select is there
    search.fill("energietoeslag")
    resident = page.locator("#id_resident")
    expect(page.get_by_role("status").filter(has_text="gevonden")).to_be_visible()
    resident.select_option(label="bewoonster De Akkers, energietoeslag")
    axe_check(page)
    page.get_by_label("eenzaamheid", exact=True).check()
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator("#saved-notice")).to_be_visible()
    assert problems == []


def test_corporatie_sees_only_its_own_de_akkers_contacts_and_changes_no_welfare_observation(
    demo_town, desktop_page, login, axe_check, watch
):
    """Issue 13: the corporatie works in De Akkers too, but the welfare organisation's notes about residents
    are not there for it (no samenwerkingsafspraak in that buurt)."""
    page = desktop_page
    problems = watch(page)
    login(page, "corporatie@demo.nabij.example")
    page.goto(f"/contacten/buurt/{AKKERS}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("De Akkers")
    expect(page.get_by_text("galerijflat").first).to_be_visible()  # its own tenant contacts
    expect(page.get_by_text("energietoeslag")).to_have_count(0)  # the welfare workers' notes are not there
    expect(page.get_by_text("Sanne de Vries")).to_have_count(0)  # nor in the worker filter
    axe_check(page)
    assert problems == []
