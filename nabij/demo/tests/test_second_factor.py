"""The demo users' second factor: fixed secrets that the README lists, and load_demo only with DEBUG on."""

from base64 import b32decode
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import Client

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from nabij.accounts.mfa.testing import force_login_unverified
from nabij.accounts.models import User
from nabij.demo import second_factor, town
from nabij.demo.services import demo_town_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_people(db):
    demo_town_load()


def test_the_secrets_are_the_same_on_every_load():
    first = [(f.secret, f.recovery_codes) for f in second_factor.demo_second_factors()]
    assert first == [(f.secret, f.recovery_codes) for f in second_factor.demo_second_factors()]
    assert len({secret for secret, _codes in first}) == len(town.USERS)
    # The README lists them: the one for the buurtwerker must match what it says.
    assert first[0][0] == "DNLVLDJV6BAAOBQBGW6HSHB6VBH2LOIM"


def test_every_demo_user_logs_in_with_the_printed_secret(demo_people):
    for factor in second_factor.demo_second_factors():
        user = User.objects.get(email=factor.email)
        device = TOTPDevice.objects.get(user=user, name=second_factor.DEMO_APP_NAME)
        assert device.confirmed
        totp = TOTP(b32decode(factor.secret))  # what an authenticator app computes from the secret
        client = Client()
        force_login_unverified(client, user)
        response = client.post("/account/tweestapsverificatie/controle/", {"code": f"{totp.token():06d}"})
        assert response.status_code == 302, factor.email
        assert client.get("/").status_code == 200


def test_every_demo_user_has_the_printed_recovery_codes(demo_people):
    for factor in second_factor.demo_second_factors():
        tokens = set(StaticToken.objects.filter(device__user__email=factor.email).values_list("token", flat=True))
        assert tokens == set(factor.recovery_codes)


def test_a_second_load_makes_used_recovery_codes_valid_again_and_adds_no_devices(demo_people):
    StaticToken.objects.filter(device__user__email=town.USERS[0][0]).first().delete()
    demo_town_load()
    assert StaticToken.objects.filter(device__user__email=town.USERS[0][0]).count() == 10
    assert TOTPDevice.objects.filter(user__email=town.USERS[0][0]).count() == 1


def test_load_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_load_demo_prints_each_users_secret_and_otpauth_link(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setattr("nabij.demo.management.commands.load_demo.demo_load", lambda rebuild=False: ["areas"])
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    for factor in second_factor.demo_second_factors():
        assert factor.secret in text
        assert factor.otpauth_uri in text
        assert factor.recovery_codes[0] in text
