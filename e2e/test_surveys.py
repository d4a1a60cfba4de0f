"""Start from the question: build a questionnaire with skip logic, fill it in on a phone with and without
JavaScript, as a collector and via paper entry (keyboard only), and see the results; axe on every page type."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

WORKER = "buurtwerker@demo.nabij.example"
CORPORATIE = "corporatie@demo.nabij.example"  # another organisation, De Akkers in scope
AKKERS = "BU99500203"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def _click(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def _build(page, axe_check) -> str:
    page.goto("/vragenlijsten/nieuw/")
    page.locator("#id_title").fill("Tuinen in De Akkers")
    page.locator(f"input[name=buurten][value={AKKERS}]").check()
    page.locator("main form button[type=submit].utrecht-button--primary-action").click()
    page.wait_for_url(re.compile(r"/vragenlijsten/\d+/$"))
    axe_check(page)

    page.locator("a[href*='/vragen/nieuw/']").first.click()
    page.locator("#id_kind").select_option("een")
    page.locator("#id_text").fill("Heeft u een tuin?")
    page.locator("#id_options").fill("Ja\nNee")
    page.locator("#id_required").check()
    axe_check(page)
    _click(page, "main form button[type=submit].utrecht-button--primary-action")

    page.locator("a[href*='/vragen/nieuw/']").first.click()
    page.locator("#id_kind").select_option("meer")
    page.locator("#id_text").fill("Wat doet u in de tuin?")
    page.locator("#id_options").fill("Planten\nZitten")
    page.locator("#id_show_if").select_option(index=1)  # "Heeft u een tuin? is/contains Ja"
    _click(page, "main form button[type=submit].utrecht-button--primary-action")

    page.locator("a[href*='/vragen/nieuw/']").first.click()
    page.locator("#id_kind").select_option("schaal")
    page.locator("#id_text").fill("Hoe groen is uw straat?")
    page.locator("#id_min_label").fill("grijs")
    page.locator("#id_max_label").fill("heel groen")
    _click(page, "main form button[type=submit].utrecht-button--primary-action")

    _click(page, "button[name=status][value=open]")
    axe_check(page)
    return page.locator("dd a[href*='/v/']").get_attribute("href")


def _fill(page, url: str, *, garden: bool) -> None:
    page.goto(url)
    page.locator(f"input[name=v1][value={'ja' if garden else 'nee'}]").check()
    _click(page, "button[name=_actie][value=volgende]")
    if garden:
        page.locator("input[name=v2][value=planten]").check()
    else:
        expect(page.locator("input[name=v2]")).to_have_count(0)
    page.locator("input[name=v3][value='4']").check()
    page.locator("button[name=_actie][value=verstuur]").click()
    page.wait_for_url(re.compile(r"/bedankt/"))


def _fill_with_js(page, url: str) -> None:
    """With JavaScript the dependent question appears and disappears on the page itself, no round trip."""
    page.goto(url)
    garden_question = page.locator("#vraag-v2")
    expect(garden_question).to_be_hidden()
    page.locator("input[name=v1][value=ja]").check()
    expect(garden_question).to_be_visible()
    page.locator("input[name=v1][value=nee]").check()
    expect(garden_question).to_be_hidden()
    page.locator("input[name=v1][value=ja]").check()
    page.locator("input[name=v2][value=planten]").check()
    page.locator("input[name=v3][value='4']").check()  # the whole section is one page with JavaScript
    page.locator("button[name=_actie][value=verstuur]").click()
    page.wait_for_url(re.compile(r"/bedankt/"))


def test_questionnaire_from_builder_to_results(
    demo_areas, browser, browser_context_args, desktop_page, login, axe_check, watch
):
    from nabij.surveys import services
    from nabij.surveys.models import Response, Survey

    page = desktop_page
    problems = watch(page)
    login(page, WORKER)
    public_url = _build(page, axe_check)

    # A phone without JavaScript: skip logic decided by the server, page by page.
    no_js = browser.new_context(**{**browser_context_args, **PHONE, "java_script_enabled": False})
    phone = no_js.new_page()
    _fill(phone, public_url, garden=False)
    assert set(c["name"] for c in no_js.cookies()) <= {"csrftoken"}
    no_js.close()

    # A phone with JavaScript: same flow; axe on the public page, including an error state.
    with_js = browser.new_context(**{**browser_context_args, **PHONE})
    phone = with_js.new_page()
    phone.goto(public_url)
    axe_check(phone)
    _click(phone, "button[name=_actie].utrecht-button--primary-action")
    expect(phone.locator("#errors a[href='#vraag-v1']")).to_be_visible()
    axe_check(phone)
    _fill_with_js(phone, public_url)

    # As a collector, with a personal link.
    survey = Survey.objects.get(title="Tuinen in De Akkers")
    collector = services.collector_create(
        survey=survey, label="Buurvrouw Ans", buurt=survey.buurten.get(), consent=True, by=survey.owner
    )
    _fill_with_js(phone, f"{public_url}k/{collector.code}/")
    with_js.close()

    # Paper entry with the keyboard only.
    page.goto(f"/vragenlijsten/{survey.pk}/papier/")
    expect(page.locator("#formulier")).to_be_focused()
    page.keyboard.type("1-0001")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # first radio of v1: "Ja"
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # first checkbox of v2 ("Planten")
    page.locator("input[name=v3][value='5']").focus()
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    axe_check(page)

    channels = sorted(Response.objects.filter(survey=survey).values_list("channel", flat=True))
    assert channels == ["online", "online", "papier", "verzamelaar"]

    page.goto(f"/vragenlijsten/{survey.pk}/resultaten/")
    expect(page.locator("table").first).to_be_visible()
    axe_check(page)
    page.goto(f"/vragenlijsten/{survey.pk}/verzamelaars/")
    axe_check(page)

    # The corporatie works in De Akkers too, but the questionnaire is the welfare organisation's: questions and
    # published results only (4 responses show as "< 10"), no collectors, no open answers.
    other = browser.new_context(**browser_context_args)
    other_page = other.new_page()
    login(other_page, CORPORATIE)
    other_page.goto(f"/vragenlijsten/{survey.pk}/resultaten/")
    expect(other_page.locator("main")).to_contain_text("< 10")
    expect(other_page.locator("a[href$='/verzamelaars/']")).to_have_count(0)
    expect(other_page.locator("a[href$='/open-antwoorden/']")).to_have_count(0)
    expect(other_page.locator("main")).not_to_contain_text("Buurvrouw Ans")
    axe_check(other_page)
    assert other_page.goto(f"/vragenlijsten/{survey.pk}/verzamelaars/").status == 403
    other.close()

    # Closed: the public page says so and links to the public results (aggregates only), for anyone.
    page.goto(f"/vragenlijsten/{survey.pk}/")
    _click(page, "button[name=status][value=gesloten]")
    anonymous = browser.new_context(**{**browser_context_args, **PHONE})
    phone = anonymous.new_page()
    anonymous_problems = watch(phone)
    phone.goto(public_url)
    _click(phone, "a[href$='/resultaten/']")
    expect(phone.locator("table").first).to_be_visible()
    axe_check(phone)
    assert anonymous_problems == []
    anonymous.close()
    assert problems == []
