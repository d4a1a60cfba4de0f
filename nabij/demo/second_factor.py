"""The demo users' second factor: an authenticator-app secret and 10 recovery codes per user, derived from the demo
seed and the e-mail address, so they are the same on every machine and the README can list them. Anyone trying
the demo adds the secret (or scans the otpauth link as a QR code) in an authenticator app and logs in with its
codes. `load_demo` refuses to run without DEBUG, so these secrets never protect a real account."""

from __future__ import annotations

import hashlib
from base64 import b32encode
from dataclasses import dataclass

from django.db import transaction

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from nabij.accounts.models import User
from nabij.demo import town

DEMO_APP_NAME = "Demo-app"
DEMO_CODES_NAME = "Demo-herstelcodes"
RECOVERY_CODES = 10
SEED = 20261125  # the demo's seed (nabij.demo.services.SEED), repeated here so the secrets never change with it


def _digest(*parts: object) -> bytes:
    return hashlib.sha256("|".join(["nabij-demo", str(SEED), *map(str, parts)]).encode()).digest()


def demo_totp_key(email: str) -> bytes:
    """The 20-byte (160-bit, as RFC 4226 recommends) TOTP secret of a demo user."""
    return _digest("totp", email.lower())[:20]


def demo_recovery_codes(email: str) -> list[str]:
    """The demo user's recovery codes, in django-otp's format (8 lower-case base32 characters)."""
    return [b32encode(_digest("recovery", email.lower(), i)[:5]).decode().lower() for i in range(RECOVERY_CODES)]


@dataclass(frozen=True)
class DemoSecondFactor:
    email: str
    secret: str  # base32, as an app asks for it
    otpauth_uri: str
    recovery_codes: list[str]


@transaction.atomic
def demo_second_factor_load() -> None:
    """Give every demo user the demo app and the demo recovery codes. Idempotent: the demo app is put back with
    its fixed secret (an app someone set up in addition stays), and the recovery codes are all valid again."""
    users = User.objects.filter(email__in=[email for email, *_rest in town.USERS])
    for user in users:
        key = demo_totp_key(user.email).hex()
        TOTPDevice.objects.update_or_create(
            user=user, name=DEMO_APP_NAME, defaults={"key": key, "confirmed": True, "last_t": -1}
        )
        device, _created = StaticDevice.objects.update_or_create(
            user=user, name=DEMO_CODES_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in demo_recovery_codes(user.email))


def demo_second_factors() -> list[DemoSecondFactor]:
    """Each demo user's app secret, otpauth link and recovery codes, for `load_demo` to print."""
    result = []
    for email, *_rest in town.USERS:
        device = TOTPDevice(user=User(email=email), key=demo_totp_key(email).hex())
        result.append(
            DemoSecondFactor(
                email=email,
                secret=b32encode(demo_totp_key(email)).decode(),
                otpauth_uri=device.config_url,
                recovery_codes=demo_recovery_codes(email),
            )
        )
    return result
