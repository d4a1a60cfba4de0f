"""Login throttling (issue 14): 5 failures per account or 20 per address, then 15 minutes' cool-off."""

from datetime import timedelta

from django.http import HttpRequest
from django.urls import reverse

import pytest
from axes.models import AccessAttempt

from nabij.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from nabij.accounts.throttle import login_refused
from nabij.privacy.models import AuditEvent
from nabij.privacy.retention import retention_purge

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(db):
    return UserFactory(email="anna@voorbeeld.nl")


def _login(client, email, password, address="10.0.0.1"):
    return client.post(reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=address)


def _time_passes(minutes: int) -> None:
    """The clock is the boundary here: moving axes' records back is the same as waiting."""
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - timedelta(minutes=minutes)
        )


def _request(address="10.0.0.1") -> HttpRequest:
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = address
    return request


def test_four_wrong_passwords_then_the_right_one_logs_in(client, anna):
    for _ in range(4):
        assert _login(client, "anna@voorbeeld.nl", "fout-fout-fout").status_code == 200
    assert _login(client, "anna@voorbeeld.nl", DEFAULT_PASSWORD).status_code == 302


def test_after_five_wrong_passwords_the_right_one_is_refused_with_a_dutch_page(client, anna):
    for _ in range(5):
        _login(client, "anna@voorbeeld.nl", "fout-fout-fout")
    response = _login(client, "anna@voorbeeld.nl", DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    text = response.content.decode()
    assert "Te vaak geprobeerd" in text
    assert "Probeer het opnieuw na" in text


def test_the_account_limit_counts_every_spelling_and_every_address(client, anna):
    for number, email in enumerate(["anna@voorbeeld.nl", "ANNA@voorbeeld.nl", " Anna@Voorbeeld.nl"] * 2):
        _login(client, email, "fout-fout-fout", address=f"10.0.0.{number}")
    assert _login(client, "anna@voorbeeld.nl", DEFAULT_PASSWORD, address="10.9.9.9").status_code == 429


def test_the_cool_off_ends_after_fifteen_minutes(client, anna):
    for _ in range(5):
        _login(client, "anna@voorbeeld.nl", "fout-fout-fout")
    _time_passes(14)
    assert _login(client, "anna@voorbeeld.nl", DEFAULT_PASSWORD).status_code == 429
    _time_passes(2)
    assert _login(client, "anna@voorbeeld.nl", DEFAULT_PASSWORD).status_code == 302


def test_attempts_during_the_cool_off_do_not_prolong_it(client, anna):
    for _ in range(5):
        _login(client, "anna@voorbeeld.nl", "fout-fout-fout")
    _time_passes(10)
    for _ in range(3):
        assert _login(client, "anna@voorbeeld.nl", DEFAULT_PASSWORD).status_code == 429
    _time_passes(6)
    assert _login(client, "anna@voorbeeld.nl", DEFAULT_PASSWORD).status_code == 302


def test_twenty_failures_from_one_address_over_many_accounts_lock_that_address(client, anna):
    for number in range(20):
        _login(client, f"gok{number}@voorbeeld.nl", "fout-fout-fout", address="10.1.1.1")
    assert _login(client, "anna@voorbeeld.nl", DEFAULT_PASSWORD, address="10.1.1.1").status_code == 429
    # Anna herself, from another address, is not locked: she had no failures.
    assert _login(client, "anna@voorbeeld.nl", DEFAULT_PASSWORD, address="10.2.2.2").status_code == 302


def test_nineteen_failures_from_one_address_do_not_lock_it(client, anna):
    for number in range(19):
        _login(client, f"gok{number}@voorbeeld.nl", "fout-fout-fout", address="10.1.1.1")
    assert _login(client, "anna@voorbeeld.nl", DEFAULT_PASSWORD, address="10.1.1.1").status_code == 302


def test_login_refused_gives_the_same_answer_for_a_second_factor_step(anna):
    from django.contrib.auth.signals import user_login_failed

    assert not login_refused(request=_request(), username="anna@voorbeeld.nl")
    for _ in range(5):
        user_login_failed.send(sender=__name__, credentials={"username": "anna@voorbeeld.nl"}, request=_request())
    assert login_refused(request=_request(), username="Anna@voorbeeld.nl")
    assert login_refused(request=_request("10.7.7.7"), username="anna@voorbeeld.nl")
    assert not login_refused(request=_request(), username="bob@voorbeeld.nl")


def test_axes_never_stores_the_typed_address(client, db):
    _login(client, "niemand@voorbeeld.nl", "geheim-fout-123")
    stored = repr(list(AccessAttempt.objects.values()))
    assert AccessAttempt.objects.count() == 1
    assert "niemand" not in stored
    assert "geheim-fout-123" not in stored


def test_old_attempts_are_purged_by_the_daily_retention(client, anna):
    _login(client, "anna@voorbeeld.nl", "fout-fout-fout")
    assert retention_purge()["inlogpogingen"] == 0
    _time_passes(25 * 60)
    assert retention_purge()["inlogpogingen"] == 1
    assert not AccessAttempt.objects.exists()


# --- the audit of failed logins ---------------------------------------------------------------------------


def test_failed_login_is_audited_with_the_account_tried(client, anna):
    _login(client, "Anna@voorbeeld.nl", "geheim-fout-123")
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert (event.object_type, event.object_id, event.organisation_id) == ("user", str(anna.pk), anna.organisation_id)
    assert event.detail["email"] == "anna@voorbeeld.nl"
    assert event.result == AuditEvent.Result.DENIED
    assert "geheim-fout-123" not in repr(list(AuditEvent.objects.values()))


def test_failed_login_for_an_unknown_address_stores_no_address(client, db):
    _login(client, "niemand@voorbeeld.nl", "geheim-fout-123")
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    stored = repr(list(AuditEvent.objects.values()))
    assert (event.object_id, event.organisation_id) == ("", None)
    assert "niemand" not in stored
    assert "geheim-fout-123" not in stored


def test_a_refused_login_during_the_cool_off_is_audited_as_locked(client, anna):
    for _ in range(5):
        _login(client, "anna@voorbeeld.nl", "fout-fout-fout")
    _login(client, "anna@voorbeeld.nl", DEFAULT_PASSWORD)
    last = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED).order_by("-pk").first()
    assert last.detail == {"locked": True, "email": "anna@voorbeeld.nl"}
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN).exists()
