"""Two-step verification as a new colleague meets it, on a phone: enrol an authenticator app at the first login,
save the recovery codes, log out, log in with the app's code, log in with a recovery code; then add a passkey
(Chromium's virtual authenticator) and log in with it. axe finds nothing on any of the new pages."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from nabij.accounts.mfa.testing import totp_code
from nabij.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.e2e

PASSWORD = "Zonnebloem-Veld-42"


@pytest.fixture
def colleague(transactional_db):
    return UserFactory(email="nieuw@voorbeeld.nl", full_name="Noor Nieuw", password=PASSWORD)


def _password_step(page: Page, email: str) -> None:
    page.goto("/account/inloggen/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form.utrecht-form button[type=submit]").click()


def _submit(page: Page, form: str = "form.utrecht-form") -> None:
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").first.click()


def _log_out(page: Page) -> None:
    with page.expect_navigation():
        page.locator(".nabij-logout__button").click()
    assert "/account/inloggen/" in page.url


def test_enrol_an_app_then_log_in_with_its_code_and_with_a_recovery_code(phone_page: Page, colleague, axe_check, watch):
    page = phone_page
    problems = watch(page)
    _password_step(page, colleague.email)
    assert "/account/tweestapsverificatie/instellen/" in page.url
    expect(page.locator("h1")).to_have_text("Tweestapsverificatie instellen")
    axe_check(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Ik heb een app: verder").click()
    expect(page.locator("img.nabij-qr")).to_be_visible()
    axe_check(page)
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    code = f"{TOTP(b32decode(secret + '=' * (-len(secret) % 8))).token():06d}"  # what the app shows
    code_field = page.locator("#id_code")
    assert code_field.get_attribute("autocomplete") == "one-time-code"
    assert code_field.get_attribute("inputmode") == "numeric"
    code_field.fill(code)
    _submit(page)

    assert "/account/tweestapsverificatie/herstelcodes/" in page.url
    codes = [c.replace(" ", "") for c in page.locator(".nabij-codes code").all_inner_texts()]
    assert len(codes) == 10
    expect(page.locator("#nabij-print-codes")).to_be_visible()
    axe_check(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Ik heb ze bewaard: verder").click()
    expect(page.locator("h1")).to_contain_text("Mijn buurten")

    page.goto("/account/tweestapsverificatie/")
    expect(page.locator("#codes-heading")).to_be_visible()
    expect(page.get_by_text("Je hebt nog 10 herstelcodes.")).to_be_visible()
    axe_check(page)
    _log_out(page)

    # The next day: password, then the code from the app.
    _password_step(page, colleague.email)
    assert "/account/tweestapsverificatie/controle/" in page.url
    axe_check(page)
    device = colleague.totpdevice_set.get(confirmed=True)
    page.locator("#id_code").fill(totp_code(device))
    _submit(page)
    expect(page.locator("h1")).to_contain_text("Mijn buurten")
    _log_out(page)

    # Phone lost: a recovery code instead.
    _password_step(page, colleague.email)
    with page.expect_navigation():
        page.get_by_role("link", name="Een herstelcode gebruiken").click()
    axe_check(page)
    page.locator("#id_code").fill(codes[0])
    _submit(page)
    expect(page.locator("h1")).to_contain_text("Mijn buurten")
    _log_out(page)

    # The same recovery code does not work twice.
    _password_step(page, colleague.email)
    page.goto("/account/tweestapsverificatie/herstelcode/")
    page.locator("#id_code").fill(codes[0])
    _submit(page)
    expect(page.locator("#id_code_error")).to_contain_text("Die herstelcode klopt niet")
    assert "/account/tweestapsverificatie/herstelcode/" in page.url
    assert problems == []


def test_add_a_passkey_and_log_in_with_it(phone_page: Page, colleague, axe_check, settings, live_server, login):
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    page = phone_page
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    login(page, colleague.email, PASSWORD)
    page.goto("/account/tweestapsverificatie/")
    with page.expect_navigation():
        page.locator("#passkey-register-button").click()
    expect(page.locator("#passkeys-heading + ul li")).to_have_count(1)
    axe_check(page)
    _log_out(page)

    _password_step(page, colleague.email)
    assert "/account/tweestapsverificatie/controle/" in page.url
    with page.expect_navigation(url=re.compile(r"/$")):
        page.locator("#passkey-verification-button").click()
    expect(page.locator("h1")).to_contain_text("Mijn buurten")


def test_the_beheerders_reset_page_passes_axe(phone_page: Page, colleague, axe_check, login):
    beheerder = UserFactory(beheerder=True, organisation=colleague.organisation, password=PASSWORD)
    login(phone_page, beheerder.email, PASSWORD)
    phone_page.goto(f"/account/gebruikers/{colleague.pk}/tweestapsverificatie/")
    expect(phone_page.locator("h1")).to_have_text("Tweestapsverificatie herstellen")
    axe_check(phone_page)
