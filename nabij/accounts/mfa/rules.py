"""The second-factor rule in one place: who has passed it, who still has to, and where they go next."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode


def is_verified(user) -> bool:
    """A logged-in session passed a second factor: django-otp's middleware keeps the device that verified it
    (its persistent id in the session) and drops it as soon as the device is deleted, so a reset counts at once.

    A user object without the middleware's `is_verified` (a Bearer token's user, a bare test object) is not."""
    check = getattr(user, "is_verified", None)
    return bool(user is not None and user.is_authenticated and callable(check) and check())


def has_second_factor(user) -> bool:
    """The user has a way to pass the second step: a confirmed app or passkey, or a recovery code left. Used-up
    recovery codes alone do not count: such a user enrols again."""
    if user is None or not user.is_authenticated:
        return False
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_otp_webauthn.models import WebAuthnCredential

    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
        or StaticToken.objects.filter(device__user=user, device__confirmed=True).exists()
    )


def next_step_url(user, *, next_url: str = "") -> str:
    """Where an unverified session goes: the verify step when the user has a device, otherwise enrolment."""
    name = "accounts:mfa-verify" if has_second_factor(user) else "accounts:mfa-setup"
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def second_factor_not_required(view_func):
    """Mark a view that an unverified session may reach: the verify and enrolment steps themselves."""
    view_func.second_factor_not_required = True
    return view_func
