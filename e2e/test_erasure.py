"""Erasing a resident as a worker would: from the resident page to "Weet je het zeker?", a reason, and the
resident gone; on a phone, axe on each page."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

WORKER = "buurtwerker@demo.nabij.example"


def test_erase_a_resident_on_request(demo_town, phone_page, login, axe_check, watch):
    from nabij.accounts.models import User
    from nabij.contacts.models import Resident
    from nabij.core.access.contacts import resident_policy

    worker = User.objects.get(email=WORKER)
    resident = resident_policy.changeable(worker, Resident.objects.order_by("pk")).first()
    page = phone_page
    problems = watch(page)
    login(page, WORKER)

    page.goto(f"/contacten/bewoners/{resident.pk}/")
    axe_check(page)
    page.get_by_role("link", name="Wissen op verzoek").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Weet je het zeker?")
    axe_check(page)

    page.get_by_role("button", name="Ja, wis alles").click()  # without a reason: asked for one
    expect(page.get_by_text("Geef de reden om te wissen.").first).to_be_visible()
    axe_check(page)
    page.get_by_label("Reden").fill("Verzoek van de bewoner tijdens het spreekuur")
    page.get_by_role("button", name="Ja, wis alles").click()

    expect(page.get_by_role("status")).to_contain_text("is gewist")
    axe_check(page)
    assert not Resident.objects.filter(pk=resident.pk).exists()
    # the one expected failure: the form sent back with 422 when the reason was missing
    assert [p for p in problems if "422" not in p] == []
