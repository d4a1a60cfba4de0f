"""Writes for the second factor: enrolment of an app, recovery codes, passkeys, verification of a session and the
beheerder's reset. Every change of a user's devices is audited (object type "second_factor"), never with a
secret or a code in the detail.

Devices are django-otp's models: one `TOTPDevice` per user (an authenticator app), one `StaticDevice` holding the
single-use recovery codes, any number of `WebAuthnCredential`s (passkeys).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from nabij.accounts import throttle
from nabij.accounts.models import User
from nabij.core import permissions
from nabij.core.exceptions import ApplicationError, PermissionRefused
from nabij.privacy.models import AuditEvent
from nabij.privacy.services import audit_record, audit_refusal

logger = logging.getLogger(__name__)

OBJECT_TYPE = "second_factor"
TOTP_NAME = "Authenticator-app"
RECOVERY_NAME = "Herstelcodes"
VERIFIED_AT_SESSION_KEY = "nabij_mfa_verified_kind"


def device_kind(device: Device) -> str:
    """The kind of a device as the audit and the pages name it."""
    if isinstance(device, TOTPDevice):
        return "totp"
    if isinstance(device, StaticDevice):
        return "recovery"
    if isinstance(device, WebAuthnCredential):
        return "passkey"
    return type(device).__name__.lower()


def _audit(*, by: User, user: User, action: str, detail: dict) -> None:
    audit_record(
        actor=by,
        action=action,
        object_type=OBJECT_TYPE,
        object_id=user.pk,
        detail=detail,
        organisation_id=user.organisation_id,
    )


def _logged_in(request: HttpRequest) -> User:
    """The user of a second-factor step: the password step is done, since StaffLoginRequiredMiddleware lets no
    anonymous visitor reach these pages (none of them is `@login_not_required`)."""
    user = request.user
    assert isinstance(user, User), "the second-factor steps are reached after the password only"
    return user


class CodeRefused(ApplicationError):
    """A second-factor code that did not match (or came too soon after a wrong one)."""


def _throttle_message(device: Device) -> str | None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (data or {}).get("locked_until")
    if locked_until is not None:
        seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
        return _("Too many wrong codes. Wait %(seconds)s seconds and try again.") % {"seconds": seconds}
    return _("This code cannot be checked now. Try again in a moment.")


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


# --- Enrolment ----------------------------------------------------------------------------------------------


def totp_device_start(*, user: User) -> TOTPDevice:
    """The app the user is setting up: an unconfirmed TOTP device with a fresh secret, kept until it is
    confirmed (so reloading the page shows the same QR code) and replaced by a new one only when asked."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def totp_device_restart(*, user: User) -> TOTPDevice:
    """Throw away an unconfirmed app set-up and start again with a new secret."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return totp_device_start(user=user)


def totp_device_confirm(*, request: HttpRequest, device: TOTPDevice, code: str) -> TOTPDevice:
    """The first code from the new app proves it holds the secret: the device becomes the user's app (an older
    app is removed), and the session counts as verified with it. Raises CodeRefused for a wrong code."""
    user = _logged_in(request)
    if device.user_id != user.pk or device.confirmed:
        raise PermissionRefused(_("This set-up is not yours or is already finished."))
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        message = _throttle_message(device)
        if message:
            raise CodeRefused(message, field="code")
        if not device.verify_token(_normalise(code)):
            raise CodeRefused(_("That code is not right. Type the 6 digits your app shows now."), field="code")
        replaced = TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()[0]
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        _audit(by=user, user=user, action=AuditEvent.Action.CREATE, detail={"kind": "totp", "replaced": bool(replaced)})
    _session_verified(request, device)
    return device


def recovery_codes_make(*, user: User, by: User | None = None) -> list[str]:
    """New single-use recovery codes (NABIJ_RECOVERY_CODES of them); the old ones stop working. Returns the codes,
    which are shown once."""
    count = getattr(settings, "NABIJ_RECOVERY_CODES", 10)
    codes = [StaticToken.random_token() for _ in range(count)]
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
        _audit(by=by or user, user=user, action=AuditEvent.Action.CREATE, detail={"kind": "recovery", "codes": count})
    return codes


def recovery_codes_renew(*, request: HttpRequest, code: str) -> list[str]:
    """New recovery codes need a fresh code (from the app, or one of the old recovery codes): a session left open
    on a shared computer cannot be used to mint codes that outlive it. Raises CodeRefused."""
    user = _logged_in(request)
    device = _verify_any(request=request, code=code, kinds=(TOTPDevice, StaticDevice))
    if device is None:
        raise CodeRefused(_("That code is not right. Type a code from your app or a recovery code."), field="code")
    return recovery_codes_make(user=user)


def passkey_registered(*, request: HttpRequest, device: WebAuthnCredential) -> None:
    """Audit a passkey that django-otp-webauthn just saved, and count its ceremony as the session's factor."""
    user = _logged_in(request)
    _audit(by=user, user=user, action=AuditEvent.Action.CREATE, detail={"kind": "passkey"})
    if request.session.get(VERIFIED_AT_SESSION_KEY) is None:  # enrolment: this ceremony verified the session
        request.session[VERIFIED_AT_SESSION_KEY] = "passkey"
        request.session.cycle_key()


def passkey_remove(*, user: User, pk: int) -> None:
    """Remove one of the user's passkeys. The last way to log in (no app and no other passkey) stays: without it
    the user would have to enrol again from scratch."""
    passkey = WebAuthnCredential.objects.filter(user=user, pk=pk).first()
    if passkey is None:
        raise PermissionRefused(_("This passkey is not yours."))
    others = WebAuthnCredential.objects.filter(user=user, confirmed=True).exclude(pk=pk).exists()
    if not others and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ApplicationError(
            _("This is your only way to log in besides recovery codes. Add an app or another passkey first.")
        )
    with transaction.atomic():
        passkey.delete()
        _audit(by=user, user=user, action=AuditEvent.Action.DELETE, detail={"kind": "passkey"})


# --- Verification -------------------------------------------------------------------------------------------


def _session_verified(request: HttpRequest, device: Device) -> None:
    """Mark the session as verified with this device, under a new session key (no fixation across the step)."""
    otp_login(request, device)
    request.session[VERIFIED_AT_SESSION_KEY] = device_kind(device)
    request.session.cycle_key()


def session_verified_audit(*, request: HttpRequest, device: Device) -> None:
    """A passkey ceremony verified the session (django-otp-webauthn called `django_otp.login`): a new session key
    and the audit event, as for an app code."""
    request.session[VERIFIED_AT_SESSION_KEY] = device_kind(device)
    request.session.cycle_key()
    kind = device_kind(device)
    audit_record(actor=request.user, action=AuditEvent.Action.LOGIN, object_type=OBJECT_TYPE, detail={"kind": kind})


def second_factor_failed(*, request: HttpRequest, user: User) -> None:
    """A wrong second-factor code counts as a failed login of the account (`user_login_failed`), so the login
    throttle and the failed-login audit treat the second step like the password step."""
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)


def _verify_any(*, request: HttpRequest, code: str, kinds: tuple[type[Device], ...]) -> Device | None:
    """The second step counts against the same login limits as the password (nabij.accounts.throttle): during a
    cool-off no code is checked at all, so a stolen password cannot be followed by guessing codes."""
    user = _logged_in(request)
    if throttle.login_refused(request=request, username=user.get_username()):
        until = timezone.localtime(throttle.retry_at(request=request, username=user.get_username()))
        raise CodeRefused(
            _("Too many wrong tries. You can try again from %(time)s.") % {"time": formats.time_format(until)},
            field="code",
        )
    code = _normalise(code)
    for model in kinds:
        with transaction.atomic():
            for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
                message = _throttle_message(device)
                if message:
                    raise CodeRefused(message, field="code")
                if code and device.verify_token(code):
                    return device
    second_factor_failed(request=request, user=user)
    return None


def totp_verify(*, request: HttpRequest, code: str) -> Device:
    """Log the session in with the code the user's app shows now (django-otp accepts one step either side and
    never the same code twice). Raises CodeRefused for a wrong or throttled code."""
    device = _verify_any(request=request, code=code, kinds=(TOTPDevice,))
    if device is None:
        raise CodeRefused(_("That code is not right. Type the 6 digits your app shows now."), field="code")
    _session_verified(request, device)
    audit_record(actor=request.user, action=AuditEvent.Action.LOGIN, object_type=OBJECT_TYPE, detail={"kind": "totp"})
    return device


def recovery_code_verify(*, request: HttpRequest, code: str) -> Device:
    """Log the session in with one recovery code, which is then used up. Raises CodeRefused."""
    device = _verify_any(request=request, code=code, kinds=(StaticDevice,))
    if device is None:
        raise CodeRefused(_("That recovery code is not right, or it was used before."), field="code")
    _session_verified(request, device)
    left = StaticToken.objects.filter(device=device).count()
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.LOGIN,
        object_type=OBJECT_TYPE,
        detail={"kind": "recovery", "left": left},
    )
    return device


# --- The beheerder's reset ----------------------------------------------------------------------------------


def second_factor_reset(*, by: User, user: User) -> int:
    """A beheerder removes a colleague's second factor (a lost phone): every app, passkey and recovery code of
    theirs is deleted, their open sessions lose their verification at once, and at the next login they enrol
    again. Only a beheerder of the colleague's own organisation may; the colleague is told by e-mail."""
    if not permissions.can_manage_user(by, user):
        audit_refusal(actor=by, action=AuditEvent.Action.UPDATE, object_type=OBJECT_TYPE, object_id=user.pk)
        raise PermissionRefused(_("You may not manage this user."))
    with transaction.atomic():
        removed = 0
        for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
            removed += model.objects.filter(user=user).count()
            model.objects.filter(user=user).delete()
        _audit(by=by, user=user, action=AuditEvent.Action.UPDATE, detail={"change": "reset", "devices": removed})
        transaction.on_commit(lambda: second_factor_reset_mail_send(user=user, by=by))
    return removed


def second_factor_reset_mail_send(*, user: User, by: User) -> None:
    """Tell the colleague that their second factor was reset and by whom: if they did not ask for it, they know
    to raise the alarm."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {"user": user, "by": by}
        subject = render_to_string("accounts/email/second_factor_reset_subject.txt", context).strip()
        body = render_to_string("accounts/email/second_factor_reset.txt", context)
    send_mail(subject, body, None, [user.email])
