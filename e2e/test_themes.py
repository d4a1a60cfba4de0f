"""Start small, end big: a coordinator sees the energietoeslag proposal for De Akkers, reads why, recognises it
with a name, links a collective action and renames it; axe on each page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

COORDINATOR = "coordinator@demo.nabij.example"


def test_coordinator_confirms_a_proposal_and_links_an_action(demo_town, desktop_page, login, axe_check, watch):
    page = desktop_page
    problems = watch(page)
    login(page, COORDINATOR)

    page.get_by_role("link", name="Thema's").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thema's")
    proposals = page.locator("#proposals")
    card = proposals.locator("li", has_text="De Akkers").filter(has_text="energie & geldzaken")
    expect(card).to_contain_text("contacten over energie & geldzaken")
    axe_check(page)

    card.get_by_role("link").click()
    expect(page.locator("#theme-why")).to_contain_text(
        re.compile(r"\d+ contacten over energie & geldzaken in \d+ weken; normaal")
    )
    expect(page.locator("#keywords")).to_contain_text("energietoeslag")
    expect(page.locator("#keywords")).to_contain_text("DigiD")
    axe_check(page)

    page.get_by_label("Naam van het thema").fill("Energietoeslag en DigiD in De Akkers")
    page.get_by_role("button", name="Erkennen als thema").click()
    expect(page.locator("#theme-status")).to_have_text("Erkend")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Energietoeslag en DigiD in De Akkers")

    page.get_by_label("Soort actie").select_option("collectief")
    page.locator("#id_label").fill("Samen de energietoeslag aanvragen met 24 bewoners")
    page.get_by_role("button", name="Actie koppelen").click()
    expect(page.locator("#theme-status")).to_have_text("Aanpak")
    expect(page.locator("#actions")).to_contain_text("Samen de energietoeslag aanvragen")
    axe_check(page)

    page.get_by_role("link", name="Dit thema hernoemen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thema hernoemen")
    axe_check(page)
    page.get_by_label("Nieuwe naam van het thema").fill("Toeslagen en DigiD in De Akkers")
    page.get_by_role("button", name="Naam opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Toeslagen en DigiD in De Akkers")
    assert problems == []
