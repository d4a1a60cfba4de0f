"""The second step of logging in, enrolment, recovery codes, passkeys and the beheerder's reset."""

from __future__ import annotations

import json
import re

from django.contrib.auth.signals import user_login_failed
from django.core import mail
from django.test import Client
from django.urls import reverse

import pytest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from nabij.accounts.mfa import services
from nabij.accounts.mfa.testing import force_login_unverified, totp_code, totp_device_for
from nabij.accounts.tests.factories import UserFactory
from nabij.accounts.tests.soft_authenticator import SoftAuthenticator
from nabij.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db

VERIFY = reverse("accounts:mfa-verify")
RECOVERY = reverse("accounts:mfa-verify-recovery")


@pytest.fixture
def failures():
    seen = []

    def receiver(sender, credentials, request=None, **kwargs):
        seen.append((credentials, request))

    user_login_failed.connect(receiver, dispatch_uid="test_mfa_failures")
    yield seen
    user_login_failed.disconnect(dispatch_uid="test_mfa_failures")


def _unverified(user) -> Client:
    client = Client()
    force_login_unverified(client, user)
    return client


def _verified_home(client) -> bool:
    return client.get("/").status_code == 200


def _unthrottle(device) -> None:
    """django-otp waits 1, 2, 4 … seconds after a wrong code; tests move on without sleeping."""
    type(device).objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)


# --- Enrolment ---------------------------------------------------------------------------------------------


def test_first_login_walks_through_the_app_and_ends_with_ten_recovery_codes():
    user = UserFactory()
    client = _unverified(user)
    assert client.get("/").url.startswith(reverse("accounts:mfa-setup"))
    intro = client.get(reverse("accounts:mfa-setup"))
    assert "authenticator" in intro.content.decode().lower()

    page = client.get(reverse("accounts:mfa-totp-setup"))
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert "".join(page.context["secret_groups"]) in html.replace("<code>", "").replace("</code> ", "")

    response = client.post(reverse("accounts:mfa-totp-setup"), {"code": totp_code(device)})
    assert response.url == reverse("accounts:mfa-recovery-codes")
    shown = client.get(response.url)
    assert len(shown.context["codes"]) == 10
    assert client.get(reverse("accounts:mfa-recovery-codes")).context["codes"] is None  # shown once
    device.refresh_from_db()
    assert device.confirmed
    assert _verified_home(client)
    assert AuditEvent.objects.filter(actor=user, object_type="second_factor", action="create").count() == 2


def test_a_wrong_first_code_keeps_the_app_unconfirmed():
    user = UserFactory()
    client = _unverified(user)
    client.get(reverse("accounts:mfa-totp-setup"))
    response = client.post(reverse("accounts:mfa-totp-setup"), {"code": "000000"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert client.get("/").status_code == 302


def test_enrolment_is_closed_to_an_unverified_session_of_a_user_with_a_device():
    """Otherwise a stolen password alone could add the thief's own app."""
    user = UserFactory()
    totp_device_for(user)
    client = _unverified(user)
    assert client.get(reverse("accounts:mfa-totp-setup")).url.startswith(VERIFY)
    assert client.get(reverse("accounts:mfa-setup")).url.startswith(VERIFY)
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()


def test_a_new_app_replaces_the_old_one_once_confirmed(client):
    user = UserFactory()
    client.force_login(user)
    old = totp_device_for(user)
    client.get(reverse("accounts:mfa-totp-setup"))
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(reverse("accounts:mfa-totp-setup"), {"code": totp_code(new)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=user)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


# --- The second step ---------------------------------------------------------------------------------------


def test_the_code_field_helps_phones_fill_in_the_code():
    user = UserFactory()
    totp_device_for(user)
    html = _unverified(user).get(VERIFY).content.decode()
    assert re.search(r'<input[^>]*autocomplete="one-time-code"', html)
    assert 'inputmode="numeric"' in html
    assert 'href="/gebieden/"' not in html  # no menu: every entry would lead back to this step


def test_the_code_from_the_app_logs_in_and_goes_on_to_the_page_asked_for():
    user = UserFactory(beheerder=True)
    device = totp_device_for(user)
    client = _unverified(user)
    response = client.post(VERIFY + "?next=/account/gebruikers/", {"code": totp_code(device)})
    assert response.url == "/account/gebruikers/"
    assert client.get("/account/gebruikers/").status_code == 200
    assert AuditEvent.objects.filter(actor=user, action="login", object_type="second_factor").exists()


def test_a_wrong_code_counts_as_a_failed_login_of_the_account(failures):
    user = UserFactory()
    totp_device_for(user)
    client = _unverified(user)
    response = client.post(VERIFY, {"code": "123456" if totp_code(totp_device_for(user)) != "123456" else "654321"})
    assert response.status_code == 200
    assert "klopt niet" in str(response.context["form"].errors["code"])
    assert [c for c, _r in failures] == [{"username": user.email}]
    assert failures[0][1] is not None
    assert client.get("/").status_code == 302


def test_after_five_wrong_codes_even_the_right_code_is_refused_for_the_cool_off():
    """The second step shares the password's limits (5 per account, then 15 minutes): a stolen password cannot
    be followed by guessing six digits."""
    user = UserFactory()
    device = totp_device_for(user)
    client = _unverified(user)
    wrong = "123456" if totp_code(device) != "123456" else "654321"
    for _attempt in range(5):
        _unthrottle(device)
        client.post(VERIFY, {"code": wrong})
    _unthrottle(device)
    response = client.post(VERIFY, {"code": totp_code(device)})
    assert response.status_code in {200, 429}
    assert "Te veel" in response.content.decode()
    assert client.get("/").status_code == 302  # still not through the second step


def test_a_code_works_once(failures):
    user = UserFactory()
    device = totp_device_for(user)
    code = totp_code(device)
    assert _unverified(user).post(VERIFY, {"code": code}).status_code == 302
    again = _unverified(user).post(VERIFY, {"code": code})
    assert again.status_code == 200
    assert len(failures) == 1


def test_after_a_wrong_code_django_otp_makes_the_next_try_wait():
    user = UserFactory()
    device = totp_device_for(user)
    client = _unverified(user)
    client.post(VERIFY, {"code": "000000" if totp_code(device) != "000000" else "111111"})
    response = client.post(VERIFY, {"code": totp_code(device)})
    assert "Wacht" in str(response.context["form"].errors["code"])
    _unthrottle(device)
    assert client.post(VERIFY, {"code": totp_code(device)}).status_code == 302


def test_letters_in_the_code_get_a_message_not_an_error():
    user = UserFactory()
    totp_device_for(user)
    response = _unverified(user).post(VERIFY, {"code": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]


def test_a_session_key_changes_when_the_second_factor_is_passed():
    user = UserFactory()
    device = totp_device_for(user)
    client = _unverified(user)
    before = client.session.session_key
    client.post(VERIFY, {"code": totp_code(device)})
    assert client.session.session_key != before


# --- Recovery codes ------------------------------------------------------------------------------------------


def test_a_recovery_code_logs_in_once(failures):
    user = UserFactory()
    totp_device_for(user)
    codes = services.recovery_codes_make(user=user)
    client = _unverified(user)
    spaced = f"{codes[0][:4]} {codes[0][4:]}".upper()
    assert client.post(RECOVERY, {"code": spaced}).status_code == 302
    assert _verified_home(client)
    assert StaticToken.objects.filter(device__user=user).count() == 9

    again = _unverified(user).post(RECOVERY, {"code": codes[0]})
    assert again.status_code == 200
    assert again.context["form"].errors["code"]
    assert len(failures) == 1


def test_a_user_with_only_recovery_codes_left_is_asked_for_one():
    user = UserFactory()
    services.recovery_codes_make(user=user)
    client = _unverified(user)
    assert client.get("/").url.startswith(VERIFY)


def test_new_recovery_codes_need_a_fresh_code_and_end_the_old_ones(client):
    user = UserFactory()
    client.force_login(user)
    device = totp_device_for(user)
    old = services.recovery_codes_make(user=user)
    refused = client.post(reverse("accounts:mfa-recovery-renew"), {"code": "999999"})
    assert refused.status_code == 400
    assert StaticToken.objects.filter(device__user=user, token=old[0]).exists()
    _unthrottle(device)
    response = client.post(reverse("accounts:mfa-recovery-renew"), {"code": totp_code(device)})
    assert response.url == reverse("accounts:mfa-recovery-codes")
    new = client.get(response.url).context["codes"]
    assert len(new) == 10
    assert not StaticToken.objects.filter(device__user=user, token__in=old).exists()


def test_the_overview_lists_app_passkeys_and_codes_left(client):
    user = UserFactory()
    client.force_login(user)
    services.recovery_codes_make(user=user)
    page = client.get(reverse("accounts:mfa-overview"))
    assert page.status_code == 200
    assert page.context["summary"].app is not None
    assert page.context["summary"].recovery_codes_left == 10


# --- Passkeys (a software authenticator against the real verification) ------------------------------------


def _post_json(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def _register(client, authenticator):
    begin = _post_json(client, reverse("accounts:mfa-passkey-register-begin"))
    assert begin.status_code == 200, begin.content
    return _post_json(client, reverse("accounts:mfa-passkey-register-complete"), authenticator.create(begin.json()))


def test_a_verified_user_adds_a_passkey_and_logs_in_with_it(client):
    user = UserFactory()
    client.force_login(user)
    authenticator = SoftAuthenticator()
    complete = _register(client, authenticator)
    assert complete.status_code == 200, complete.content
    assert WebAuthnCredential.objects.filter(user=user, confirmed=True).count() == 1
    assert AuditEvent.objects.filter(actor=user, object_type="second_factor", detail__kind="passkey").exists()

    fresh = _unverified(user)
    assert b"passkey-verification-button" in fresh.get(VERIFY).content
    options = _post_json(fresh, reverse("accounts:mfa-passkey-auth-begin")).json()
    done = _post_json(fresh, reverse("accounts:mfa-passkey-auth-complete") + "?next=/", authenticator.get(options))
    assert done.status_code == 200, done.content
    assert done.json()["redirect_url"] == "/"
    assert _verified_home(fresh)


def test_a_wrong_passkey_signature_is_refused_and_counts_as_a_failed_login(client, failures):
    user = UserFactory()
    client.force_login(user)
    authenticator = SoftAuthenticator()
    _register(client, authenticator)
    fresh = _unverified(user)
    options = _post_json(fresh, reverse("accounts:mfa-passkey-auth-begin")).json()
    done = _post_json(fresh, reverse("accounts:mfa-passkey-auth-complete"), authenticator.get(options, tamper=True))
    assert done.status_code >= 400
    assert fresh.get("/").status_code == 302
    assert [c for c, _r in failures] == [{"username": user.email}]


def test_a_passkey_can_be_the_first_factor_set_up():
    user = UserFactory()
    client = _unverified(user)
    assert _register(client, SoftAuthenticator()).status_code == 200
    assert _verified_home(client)
    assert len(client.get(reverse("accounts:mfa-recovery-codes")).context["codes"]) == 10


def test_an_unverified_session_cannot_add_a_passkey_to_an_enrolled_account():
    user = UserFactory()
    totp_device_for(user)
    client = _unverified(user)
    begin = _post_json(client, reverse("accounts:mfa-passkey-register-begin"))
    assert begin.status_code == 403
    assert not WebAuthnCredential.objects.filter(user=user).exists()


def test_the_last_way_to_log_in_cannot_be_removed(client):
    user = UserFactory()
    client = _unverified(user)
    _register(client, SoftAuthenticator())
    passkey = WebAuthnCredential.objects.get(user=user)
    client.post(reverse("accounts:mfa-passkey-remove", args=[passkey.pk]))
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    totp_device_for(user)
    client.post(reverse("accounts:mfa-passkey-remove", args=[passkey.pk]))
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


# --- The beheerder's reset ----------------------------------------------------------------------------------


@pytest.fixture
def colleague_with_factors():
    colleague = UserFactory()
    totp_device_for(colleague)
    services.recovery_codes_make(user=colleague)
    return colleague


def test_a_beheerder_resets_a_colleagues_second_factor(
    client, colleague_with_factors, django_capture_on_commit_callbacks
):
    colleague = colleague_with_factors
    beheerder = UserFactory(beheerder=True, organisation=colleague.organisation)
    colleague_client = Client()
    colleague_client.force_login(colleague)
    client.force_login(beheerder)
    url = reverse("accounts:user-mfa-reset", args=[colleague.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.url == reverse("accounts:user-detail", args=[colleague.pk])
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert not StaticDevice.objects.filter(user=colleague).exists()
    event = AuditEvent.objects.get(actor=beheerder, object_type="second_factor", object_id=str(colleague.pk))
    assert event.action == AuditEvent.Action.UPDATE
    assert event.detail["change"] == "reset"
    assert [m.to for m in mail.outbox] == [[colleague.email]]
    assert beheerder.full_name in mail.outbox[0].body
    # The colleague's open session lost its verification: at the next page they enrol again.
    assert colleague_client.get("/").url.startswith(reverse("accounts:mfa-setup"))


def test_a_beheerder_of_another_organisation_cannot_reset(client, colleague_with_factors):
    client.force_login(UserFactory(beheerder=True))
    response = client.post(reverse("accounts:user-mfa-reset", args=[colleague_with_factors.pk]))
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=colleague_with_factors).exists()
    assert mail.outbox == []


def test_a_worker_cannot_reset_a_colleague(client, colleague_with_factors):
    client.force_login(UserFactory(organisation=colleague_with_factors.organisation))
    response = client.post(reverse("accounts:user-mfa-reset", args=[colleague_with_factors.pk]))
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=colleague_with_factors).exists()
    assert AuditEvent.objects.filter(object_type="second_factor", result="denied").exists()


def test_the_user_page_links_to_the_reset(client, colleague_with_factors):
    client.force_login(UserFactory(beheerder=True, organisation=colleague_with_factors.organisation))
    page = client.get(reverse("accounts:user-detail", args=[colleague_with_factors.pk]))
    assert reverse("accounts:user-mfa-reset", args=[colleague_with_factors.pk]) in page.content.decode()
