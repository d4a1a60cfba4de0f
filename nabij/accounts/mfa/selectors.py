"""Reads of a user's second factor: what the pages show. No secret leaves here except for the app being set up."""

from __future__ import annotations

from base64 import b32encode
from dataclasses import dataclass, field

import segno
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from nabij.accounts.models import User


@dataclass
class SecondFactorSummary:
    app: TOTPDevice | None
    passkeys: list[WebAuthnCredential] = field(default_factory=list)
    recovery_codes_left: int = 0
    has_recovery_device: bool = False

    @property
    def can_log_in(self) -> bool:
        return self.app is not None or bool(self.passkeys) or self.recovery_codes_left > 0


def second_factor_summary(*, user: User) -> SecondFactorSummary:
    """The user's app, passkeys and how many recovery codes are left (three small queries)."""
    app = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    passkeys = list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk"))
    codes = StaticToken.objects.filter(device__user=user, device__confirmed=True)
    left = codes.count()
    has_device = left > 0 or StaticDevice.objects.filter(user=user).exists()
    return SecondFactorSummary(app=app, passkeys=passkeys, recovery_codes_left=left, has_recovery_device=has_device)


def totp_secret_groups(device: TOTPDevice) -> list[str]:
    """The secret in base32, in groups of four to type into an app that cannot scan."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return [secret[i : i + 4] for i in range(0, len(secret), 4)]


def totp_qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// link as a QR code in an SVG data URI (CSP allows `img-src data:`; no request leaves)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2, dark="#000", light="#fff")
