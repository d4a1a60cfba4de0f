"""Participation without sham: create a project with its frame, see publishing blocked until the open item is
explained, publish, give input as a resident on a phone (also with JavaScript off), reply as staff and read
the reply through the resident's private link; change the reply (it keeps its history) and see that staff of
another organisation in the same buurt get the numbers only. axe on every page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

STAFF = "corporatie@demo.nabij.example"
AKKERS = "BU99500203"


def _add_open_item(page, text, *, explained):
    frame = page.locator("form[action$='/kaders/']")
    frame.get_by_label("Hierover beslist u mee").check()
    frame.get_by_label("Tekst", exact=True).fill(text)
    frame.get_by_label("Trede op de participatieladder").select_option("meebeslissen")
    if explained:
        frame.get_by_label("Wat we doen met uw inbreng").fill("De keuze met de meeste stemmen doen we.")
        frame.get_by_label("Wanneer u iets hoort").fill("Voor 1 juni hoort u het.")
    frame.get_by_role("button", name="Toevoegen aan de kaders").click()


def _give_idea(page, slug, text):
    page.goto(f"/p/{slug}/")
    page.get_by_label("Idee", exact=True).check()
    page.get_by_label("Uw idee of reactie").fill(text)
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt voor uw inbreng")
    return page.locator("#private-link").get_attribute("href")


def test_project_from_frame_to_answered_input(
    demo_areas, desktop_page, phone_page, browser, browser_context_args, login, axe_check, watch
):
    from nabij.language.services import deidentify

    deidentify("Opwarmen.")  # load deduce (seconds) before the resident's first submission, not during it
    page = desktop_page
    problems = watch(page)
    login(page, STAFF)
    page.get_by_role("link", name="Projecten").first.click()
    page.get_by_role("link", name="Nieuw project").click()
    axe_check(page)
    form = page.locator("form[method=post]")
    form.get_by_label("Titel").fill("Groen speelplein")
    form.get_by_label("Soort").select_option("vergroening")
    # The live B1 check marks officialese while typing (htmx, at a typing pause).
    form.get_by_label("Samenvatting").fill("Wij maken thans het speelplein groen.")
    expect(page.locator("#id_summary_b1 mark")).to_have_text("thans")
    form.get_by_label("Samenvatting").fill("We maken het speelplein groen. U kiest mee.")
    form.locator(f"input[name=buurten][value={AKKERS}]").check()
    form.get_by_label("Contact").fill("Team Wijkbeheer, 0900 123 45 67")
    form.get_by_role("button", name="Project maken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Groen speelplein")
    slug = re.search(r"/projecten/([^/]+)/", page.url).group(1)

    # An unexplained open item blocks publishing, with a message that names what is missing.
    _add_open_item(page, "Welke planten er komen.", explained=False)
    page.get_by_role("button", name="Publiceren").click()
    expect(page.locator("#publish-blocked")).to_contain_text("wat er met de inbreng gebeurt")
    expect(page.locator("#project-status")).to_have_text("Concept")
    axe_check(page)

    # Replace it by an explained item; now publishing works.
    page.get_by_role("button", name=re.compile("Verwijderen")).first.click()
    _add_open_item(page, "Welke planten er komen.", explained=True)
    page.get_by_role("button", name="Publiceren").click()
    expect(page.locator("#project-status")).to_have_text("Gepubliceerd")

    # After publishing, a frame item is changed in place; the public page shows the change and what it said.
    page.get_by_role("link", name=re.compile("^Wijzigen: Welke planten")).click()
    axe_check(page)
    page.get_by_label("Tekst", exact=True).fill("Welke planten en bomen er komen.")
    page.get_by_label("Waarom verandert dit?").fill("Er is geld voor twee bomen bij gekomen.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#project-status")).to_have_text("Gepubliceerd")

    # A resident on a phone gives an idea (htmx and JS on), and another with JavaScript off.
    phone = phone_page
    phone_problems = watch(phone)
    phone.goto(f"/p/{slug}/")
    expect(phone.get_by_role("heading", name="Hierover beslist u mee")).to_be_visible()
    expect(phone.locator("#frame-changes")).to_contain_text("Welke planten er komen.")
    axe_check(phone)
    private = _give_idea(phone, slug, "Graag fruitbomen en een bankje.")
    axe_check(phone)
    no_js = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 390, "height": 844}}, java_script_enabled=False
    )
    resident = no_js.new_page()
    _give_idea(resident, slug, "Bloemen voor de bijen, graag.")
    no_js.close()

    # Staff reply from the answer queue.
    page.goto(f"/projecten/{slug}/inbreng/")
    axe_check(page)
    page.get_by_role("link", name=re.compile("Antwoord")).first.click()
    page.get_by_label("Antwoord").fill("Dank u. We planten fruitbomen in het najaar.")
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbreng en antwoorden")

    # The resident reads the answer through the private link.
    phone.goto(private)
    expect(phone.locator("#reply-text")).to_contain_text("fruitbomen in het najaar")
    axe_check(phone)

    # A second reply changes the first: the earlier text is kept for staff, the resident reads the new one.
    page.get_by_role("link", name=re.compile("Antwoord wijzigen")).first.click()
    page.get_by_label("Antwoord").fill("Dank u. We planten fruitbomen in oktober.")
    page.get_by_role("button", name="Gewijzigd antwoord opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbreng en antwoorden")
    page.get_by_role("link", name=re.compile("Antwoord wijzigen")).first.click()
    expect(page.locator("#reply-history")).to_contain_text("fruitbomen in het najaar")
    axe_check(page)
    phone.goto(private)
    expect(phone.locator("#reply-text")).to_contain_text("fruitbomen in oktober")

    # A welfare worker with De Akkers in scope (another organisation) sees the numbers, not the inputs.
    welfare_context = browser.new_context(**browser_context_args)
    welfare = welfare_context.new_page()
    login(welfare, "buurtwerker@demo.nabij.example")
    welfare.goto(f"/projecten/{slug}/inbreng/")
    expect(welfare.locator("#aggregates-only")).to_be_visible()
    expect(welfare.locator("main")).not_to_contain_text("fruitbomen")
    axe_check(welfare)
    welfare_context.close()
    # The blocked publish answers 422 on purpose (the browser logs it too); nothing else may fail.
    assert [p for p in problems if "422" not in p] == []
    assert phone_problems == []
