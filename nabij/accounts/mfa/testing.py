"""Test helpers: sessions that passed the second factor without walking the step, and codes for a user's app.

The root conftest.py makes every `Client.force_login(user)` verified through a real TOTP device of that user (made
when missing), so tests of other features need not know about the second factor. Tests of the second factor
itself call `force_login_unverified` for a session that stopped after the password."""

from __future__ import annotations

import time

from django.test import Client

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

TEST_DEVICE_NAME = "Test-app"

_original_force_login = Client.force_login


def totp_device_for(user) -> TOTPDevice:
    """The user's confirmed app, made for the test when they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TEST_DEVICE_NAME, confirmed=True)
    return device


def totp_code(device: TOTPDevice, *, at: float | None = None) -> str:
    """A code the device accepts now: the current time step, or the next one when the current code was used
    already (django-otp accepts one step either side, and never a step twice)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    if totp.t() <= device.last_t:
        totp.time += device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"


def verify_client(client: Client, user) -> None:
    """Mark the client's session as verified with the user's app, as `django_otp.login` would."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device_for(user).persistent_id
    session.save()


def force_login_verified(self: Client, user, backend=None) -> None:
    _original_force_login(self, user, backend)
    verify_client(self, user)


def use_verified_force_login() -> None:
    """From now on `Client.force_login` gives a verified session (tests and the benchmarks)."""
    Client.force_login = force_login_verified


def force_login_unverified(client: Client, user, backend=None) -> None:
    """Log the client in with the password step only, as if the user had not yet passed the second factor."""
    _original_force_login(client, user, backend)
