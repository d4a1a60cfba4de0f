"""`manage.py create_api_token USERNAME` prints a Bearer token that works on the API."""

import io

from django.core.management import CommandError, call_command

import pytest

from nabij.accounts.models import ApiToken
from nabij.accounts.services import api_token_revoke
from nabij.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BUURTEN = "/api/v1/gebieden/buurten"


@pytest.fixture
def user(town):
    return UserFactory(email="api@voorbeeld.nl", scope_buurten=[town.buurt_a])


def _token(email: str = "api@voorbeeld.nl") -> str:
    out = io.StringIO()
    call_command("create_api_token", email, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def test_printed_token_works_as_bearer(client, user):
    response = client.get(BUURTEN, HTTP_AUTHORIZATION=f"Bearer {_token()}")
    assert response.status_code == 200
    assert [row["code"] for row in response.json()["items"]] == ["BU00010101"]


def test_username_is_case_insensitive(client, user):
    assert client.get(BUURTEN, HTTP_AUTHORIZATION=f"Bearer {_token('API@Voorbeeld.NL')}").status_code == 200


def test_only_a_hash_of_the_token_is_stored(user):
    token = _token()
    record = ApiToken.objects.get(user=user)
    assert token not in (record.key_hash, record.prefix)


def test_wrong_token_is_401(client, user):
    _token()
    response = client.get(BUURTEN, HTTP_AUTHORIZATION="Bearer niet-het-goede-token")
    assert response.status_code == 401
    assert response.json()["detail"][0]["loc"] == ["header", "Authorization"]


def test_no_token_is_401(client, user):
    assert client.get(BUURTEN).status_code == 401


def test_revoked_token_is_401(client, user):
    token = _token()
    api_token_revoke(token=ApiToken.objects.get(user=user))
    assert client.get(BUURTEN, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_token_of_deactivated_user_is_401(client, user):
    token = _token()
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(BUURTEN, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_unknown_user_fails_with_dutch_message(db):
    with pytest.raises(CommandError, match="Er is geen gebruiker met e-mailadres niemand@voorbeeld.nl"):
        _token("niemand@voorbeeld.nl")


def test_inactive_user_gets_no_token(db):
    UserFactory(email="oud@voorbeeld.nl", is_active=False)
    with pytest.raises(CommandError, match="niet actief"):
        _token("oud@voorbeeld.nl")
    assert not ApiToken.objects.exists()
