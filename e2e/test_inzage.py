"""A resident's rights on a phone: register a resident with consent, link a contact, download the inzage PDF,
correct the contact on its own page; axe on each page."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

WORKER = "buurtwerker@demo.nabij.example"
AKKERS = "BU99500203"
LABEL = "bewoner hoekhuis, formulieren"


def test_resident_inzage_and_correction_on_a_phone(demo_town, phone_page, login, axe_check, watch, tmp_path):
    page = phone_page
    problems = watch(page)
    login(page, WORKER)

    # A new resident needs consent.
    page.goto("/contacten/bewoners/nieuw/")
    axe_check(page)
    page.get_by_label("Omschrijving").fill(LABEL)
    page.get_by_label("Buurt").select_option(AKKERS)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("main form")).to_contain_text("zonder toestemming")
    page.get_by_label("De bewoner vindt het goed dat we de contacten bewaren").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(LABEL)
    expect(page.get_by_text("Toestemming gegeven op")).to_be_visible()
    axe_check(page)
    resident_url = page.url

    # A contact linked to them.
    page.goto(f"/contacten/nieuw/?buurt={AKKERS}")
    page.locator("details.nabij-more summary").click()
    page.locator("#id_resident").select_option(label=LABEL)
    page.get_by_label("energie & geldzaken", exact=True).check()
    page.get_by_label("Notitie").fill("Hulp gevraagd bij het formulier voor de toeslag.")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator("#saved-notice")).to_be_visible()

    # The inzage on paper.
    page.goto(resident_url)
    with page.expect_download() as download:
        page.get_by_role("link", name="Inzage (PDF)").click()
    target = tmp_path / "inzage.pdf"
    download.value.save_as(target)
    assert Path(target).read_bytes().startswith(b"%PDF")

    # Correct the contact on its own page.
    page.locator("article.nabij-entry h3 a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Contactmoment")
    axe_check(page)
    page.get_by_label("Notitie").fill("Hulp gevraagd bij een formulier.")
    page.get_by_label("Waarom?").first.select_option("onjuist")
    page.get_by_role("button", name="Verbetering opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Verbeterd")
    expect(page.locator("#corrections + ul")).to_contain_text("Het is verkeerd vastgelegd")
    expect(page.locator("dl.nabij-facts")).to_contain_text("Hulp gevraagd bij een formulier.")
    axe_check(page)
    # The form without consent answers 422 on purpose (the browser logs it too); nothing else may fail.
    assert [p for p in problems if "422" not in p] == []
