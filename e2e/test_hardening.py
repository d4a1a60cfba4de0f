"""API-sleutels and CSP-meldingen as a beheerder uses them on a phone: make a key (shown once), revoke it; see
what the security policy blocked. axe finds nothing on either page."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

BEHEERDER = "beheerder@demo.nabij.example"

CSP_REPORT = (
    '{"csp-report": {"document-uri": "http://localhost/contacten/?zoek=geheim", "effective-directive": "img-src",'
    ' "blocked-uri": "https://plaatjes.example/a.png?u=geheim", "source-file": "", "line-number": 0}}'
)


def assert_no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def test_make_and_revoke_an_api_key_on_a_phone(phone_page, demo_areas, login, axe_check, watch):
    page = phone_page
    problems = watch(page)
    login(page, BEHEERDER)
    expect(page.locator('nav a[href="/account/api-sleutels/"]').first).to_be_attached()
    page.goto("/account/api-sleutels/")
    expect(page.locator("#token-table")).to_contain_text("Geen API-sleutels.")
    axe_check(page)

    page.get_by_label("Naam").fill("Script maandrapport")
    page.get_by_label("Geldig (dagen)").fill("30")
    page.get_by_role("button", name="API-sleutel maken").click()
    key = page.locator("#new-token-value").input_value()
    assert len(key) > 30
    expect(page.locator("#token-table")).to_contain_text("Script maandrapport")
    expect(page.locator("#token-table")).to_contain_text(key[:8])
    assert_no_horizontal_scroll(page)
    axe_check(page)

    page.goto("/account/api-sleutels/")
    assert key not in page.content()
    page.get_by_role("button", name="API-sleutel Script maandrapport intrekken").click()
    expect(page.locator(".nabij-messages")).to_contain_text("API-sleutel ingetrokken")
    expect(page.locator("#token-table")).to_contain_text("Ingetrokken")
    axe_check(page)
    assert problems == []


def test_a_beheerder_reads_the_csp_reports_on_a_phone(phone_page, demo_areas, login, axe_check, watch):
    page = phone_page
    problems = watch(page)
    sent = page.request.post("/csp-rapport/", data=CSP_REPORT, headers={"Content-Type": "application/csp-report"})
    assert sent.status == 204
    login(page, BEHEERDER)
    page.goto("/beheer/csp-meldingen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("CSP-meldingen")
    expect(page.locator("main")).to_contain_text("https://plaatjes.example")
    assert "geheim" not in page.content()
    assert_no_horizontal_scroll(page)
    axe_check(page)
    assert problems == []
