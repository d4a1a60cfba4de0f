"""Doing what you say, on a phone: from a contact add a promise, mark it kept from "Mijn beloftes", refer a
resident to an organisation and later record hearing back; axe on each page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

WORKER = "buurtwerker@demo.nabij.example"
AKKERS = "BU99500203"


def test_promise_from_a_contact_kept_and_a_referral_heard_back_on_a_phone(
    demo_town, phone_page, login, axe_check, watch
):
    page = phone_page
    problems = watch(page)
    login(page, WORKER)

    # A contact that needs follow-up offers "add a promise".
    page.goto(f"/contacten/nieuw/?buurt={AKKERS}")
    page.get_by_label("energie & geldzaken", exact=True).check()
    page.get_by_label("Notitie").fill("Vraagt hoe de energietoeslag werkt.")
    page.get_by_label("Opvolgen nodig").check()
    page.get_by_role("button", name="Opslaan", exact=True).click()
    page.get_by_role("link", name="Belofte toevoegen bij dit contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe belofte")
    axe_check(page)
    page.get_by_label("Wat heb je beloofd?").fill("Uitzoeken hoe de energietoeslag werkt en terugbellen")
    page.get_by_label("Vandaag", exact=True).check()
    page.get_by_role("button", name="Belofte opslaan").click()

    # "Mijn beloftes": the new promise is due today; one tap marks it kept (htmx).
    expect(page).to_have_url(re.compile(r"/beloftes/$"))
    # The menu badge: a number to see, the same count in words for a screen reader.
    menu_link = page.locator("nav.nabij-nav").get_by_role(
        "link", name=re.compile(r"^Mijn beloftes\s+\d+ te laat of vandaag$")
    )
    expect(menu_link.locator(".utrecht-number-badge")).to_be_visible()
    axe_check(page)
    today = page.locator("section", has=page.get_by_role("heading", name="Vandaag"))
    item = today.locator("article", has_text="energietoeslag werkt en terugbellen").first
    item.get_by_role("button", name=re.compile("^Nagekomen")).click()
    expect(page.get_by_role("status").filter(has_text="Nagekomen:")).to_be_visible()
    # Overdue promises from the demo are said in words, not colour alone.
    expect(page.get_by_role("heading", name="Te laat")).to_be_visible()

    # Refer to an organisation from the sociale kaart.
    page.get_by_role("link", name="Doorverwijzen naar een organisatie").first.click()
    axe_check(page)
    page.get_by_label("Organisatie", exact=True).select_option(label="Schuldhulp Lindervoort")
    page.get_by_label("Onderwerp", exact=True).select_option(label="energie & geldzaken")
    page.get_by_label(re.compile(r"^Buurt")).select_option(AKKERS)
    page.get_by_label("Warm: meegegaan of voorgesteld").check()
    page.get_by_label("De bewoner vindt het goed dat we deze doorverwijzing delen met de organisatie").check()
    page.get_by_role("button", name="Doorverwijzing opslaan").click()
    expect(page.locator("#referral-status")).to_have_text("Verwezen")
    axe_check(page)

    # Later: record hearing back.
    page.get_by_label("Geholpen", exact=True).check()
    page.get_by_label(re.compile(r"^Notitie")).fill("Intake gehad, betalingsregeling loopt.")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator("#referral-status")).to_have_text("Geholpen")
    axe_check(page)
    assert problems == []
