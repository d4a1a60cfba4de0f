"""Samenwerkingsafspraken as two beheerders use them in the demo town: the Parkzicht agreement in effect, a new
one proposed, accepted by the partner and ended; and the audit page that names whose records were read. On a
phone and a desktop, with axe finding nothing."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

WELZIJN_BEHEERDER = "beheerder@demo.nabij.example"
CORPORATIE_BEHEERDER = "beheerder-corporatie@demo.nabij.example"
LIST = "/account/samenwerkingsafspraken/"


def assert_no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def test_the_corporatie_beheerder_finds_the_parkzicht_agreement(screen_page, demo_town, login, axe_check, watch):
    problems = watch(screen_page)
    login(screen_page, CORPORATIE_BEHEERDER)
    expect(screen_page.locator(f'nav a[href="{LIST}"]').first).to_be_attached()

    screen_page.goto(LIST)
    in_effect = screen_page.locator("#agreements-in-effect")
    expect(in_effect).to_contain_text("Welzijn Lindervoort")
    expect(in_effect).to_contain_text("Parkzicht")
    assert_no_horizontal_scroll(screen_page)
    axe_check(screen_page)

    in_effect.locator("a").first.click()
    expect(screen_page.locator("#agreement-status")).to_have_text("Van kracht")
    expect(screen_page.get_by_role("button", name="Afspraak beëindigen")).to_be_visible()
    expect(screen_page.get_by_role("button", name="Akkoord met afspraak")).to_have_count(0)
    assert_no_horizontal_scroll(screen_page)
    axe_check(screen_page)
    assert problems == []


def test_propose_accept_and_end_an_agreement(desktop_page, demo_town, login, axe_check, watch):
    page = desktop_page
    problems = watch(page)
    login(page, WELZIJN_BEHEERDER)
    page.goto(LIST)
    page.get_by_role("link", name="Afspraak voorstellen").click()
    axe_check(page)
    page.get_by_label("Partnerorganisatie").select_option(label="Woonstichting De Linde")
    page.get_by_label("De Velden (BU99500302)").check()
    page.get_by_label("Contactmomenten").check()
    page.get_by_label("Doel").fill("Samen ouderen in De Velden eerder bereiken.")
    page.get_by_label("Begindatum").fill("2026-01-01")
    page.get_by_label("Einddatum").fill("2027-12-31")
    page.get_by_role("button", name="Afspraak voorstellen").click()
    expect(page.locator("#agreement-status")).to_have_text("Wacht op akkoord")
    detail = page.url
    assert re.search(r"/samenwerkingsafspraken/\d+/$", detail)

    page.context.clear_cookies()
    login(page, CORPORATIE_BEHEERDER)
    page.goto(detail)
    page.get_by_role("button", name="Akkoord met afspraak").click()
    expect(page.locator("#agreement-status")).to_have_text("Van kracht")
    page.get_by_role("button", name="Afspraak beëindigen").click()
    expect(page.locator("#agreement-status")).to_have_text("Beëindigd")
    axe_check(page)
    assert problems == []


def test_the_audit_page_names_whose_records_were_read(screen_page, demo_town, login, axe_check, watch):
    problems = watch(screen_page)
    login(screen_page, WELZIJN_BEHEERDER)
    screen_page.goto("/audit/")
    headers = screen_page.locator("#audit-table thead th")
    expect(headers).to_contain_text(["Organisatie van de gebruiker", "Gegevens van", "Afspraak"])
    axe_check(screen_page)
    assert problems == []
