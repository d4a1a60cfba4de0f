"""Sessions end after 30 minutes without activity and 12 hours after logging in (ASVS 7.3, issue 14)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

import pytest

from nabij.accounts.mfa.testing import verify_client
from nabij.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from nabij.core.middleware import SESSION_LOGIN_AT, SESSION_SEEN_AT

pytestmark = pytest.mark.django_db

MINUTE = 60
HOME = "/"


@pytest.fixture
def user(db):
    return UserFactory(email="sessie@voorbeeld.nl")


@pytest.fixture
def logged_in(client, user):
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    verify_client(client, user)
    return client


def _shift(client, *, login_ago: float, seen_ago: float) -> None:
    """The clock is the boundary: moving the session's times back is the same as waiting."""
    now = timezone.now().timestamp()
    session = client.session
    session[SESSION_LOGIN_AT] = now - login_ago
    session[SESSION_SEEN_AT] = now - seen_ago
    session.save()


def test_the_limits_are_settings_of_30_minutes_and_12_hours():
    assert settings.NABIJ_SESSION_IDLE_TIMEOUT == 30 * MINUTE
    assert settings.NABIJ_SESSION_ABSOLUTE_TIMEOUT == 12 * 60 * MINUTE
    assert settings.SESSION_COOKIE_AGE == settings.NABIJ_SESSION_ABSOLUTE_TIMEOUT


def test_logging_in_starts_both_clocks(logged_in):
    session = logged_in.session
    assert abs(session[SESSION_LOGIN_AT] - timezone.now().timestamp()) < 60
    assert session[SESSION_SEEN_AT] == session[SESSION_LOGIN_AT]


def test_29_minutes_idle_keeps_the_session(logged_in):
    _shift(logged_in, login_ago=29 * MINUTE, seen_ago=29 * MINUTE)
    assert logged_in.get(HOME).status_code == 200


def test_31_minutes_idle_logs_out_with_a_dutch_message(logged_in):
    _shift(logged_in, login_ago=31 * MINUTE, seen_ago=31 * MINUTE)
    response = logged_in.get(HOME, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in logged_in.session
    assert "Je sessie is verlopen" in response.content.decode()


def test_activity_keeps_the_session_alive(logged_in):
    _shift(logged_in, login_ago=50 * MINUTE, seen_ago=20 * MINUTE)
    assert logged_in.get(HOME).status_code == 200
    assert timezone.now().timestamp() - logged_in.session[SESSION_SEEN_AT] < 60


def test_twelve_hours_after_login_the_session_ends_however_active(logged_in):
    _shift(logged_in, login_ago=12 * 60 * MINUTE + 1, seen_ago=1 * MINUTE)
    response = logged_in.get(HOME)
    assert response.status_code == 302
    assert "_auth_user_id" not in logged_in.session


def test_an_expired_session_on_the_api_gets_401(logged_in):
    _shift(logged_in, login_ago=31 * MINUTE, seen_ago=31 * MINUTE)
    response = logged_in.get("/api/v1/gebieden/buurten")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert "_auth_user_id" not in logged_in.session


def test_an_expired_htmx_request_is_sent_to_the_login_page(logged_in):
    _shift(logged_in, login_ago=31 * MINUTE, seen_ago=31 * MINUTE)
    response = logged_in.get(HOME, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("accounts:login"))


def test_a_background_request_does_not_count_as_activity(logged_in):
    _shift(logged_in, login_ago=20 * MINUTE, seen_ago=20 * MINUTE)
    before = logged_in.session[SESSION_SEEN_AT]
    assert logged_in.get(HOME, HTTP_X_NABIJ_BACKGROUND="1").status_code == 200
    assert logged_in.session[SESSION_SEEN_AT] == before


def test_a_bearer_call_with_a_stale_session_cookie_still_answers_for_its_token(logged_in, user):
    from nabij.accounts.services import api_token_create

    _record, token = api_token_create(user=user)
    _shift(logged_in, login_ago=31 * MINUTE, seen_ago=31 * MINUTE)
    response = logged_in.get("/api/v1/gebieden/buurten", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert "_auth_user_id" not in logged_in.session
