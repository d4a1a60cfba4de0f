"""Log in by e-mail, log out, password reset by e-mail, and the audit of each."""

import re

from django.core import mail
from django.http import HttpRequest
from django.urls import reverse

import pytest

from nabij.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from nabij.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Nieuw-Wachtwoord-7-lang"


@pytest.fixture
def user(db):
    return UserFactory(email="anna@voorbeeld.nl")


def _login(client, email, password=DEFAULT_PASSWORD):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_login_by_email_redirects_home(client, user):
    response = _login(client, "anna@voorbeeld.nl")
    assert response.status_code == 302
    assert response.url == reverse("core:home")


def test_login_email_is_case_insensitive(client, user):
    response = _login(client, "Anna@VOORBEELD.nl")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_login_with_wrong_password_stays_on_page(client, user):
    response = _login(client, "anna@voorbeeld.nl", "verkeerd-wachtwoord")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_log_in(client):
    UserFactory(email="oud@voorbeeld.nl", is_active=False)
    assert _login(client, "oud@voorbeeld.nl").status_code == 200
    assert "_auth_user_id" not in client.session


def test_staff_pages_need_login(client, db):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_login_is_audited(client, user):
    _login(client, "anna@voorbeeld.nl")
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert (event.actor_id, event.result, event.organisation_id) == (user.pk, "ok", user.organisation_id)


def test_logout_is_audited(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGOUT, actor=user).count() == 1


def test_failed_login_for_known_account_is_filed_under_its_organisation(client, user):
    _login(client, "anna@voorbeeld.nl", "fout")
    assert AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED).organisation_id == user.organisation_id


def test_failed_login_for_unknown_address_has_no_organisation(client, db):
    _login(client, "niemand@voorbeeld.nl", "fout")
    assert AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED).organisation_id is None


def test_password_reset_sends_dutch_mail_and_sets_new_password(client, user):
    response = client.post(reverse("accounts:password-reset"), {"email": "ANNA@voorbeeld.nl"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Een nieuw wachtwoord voor Nabij"
    assert message.to == ["anna@voorbeeld.nl"]
    path = re.search(r"https?://[^/]+(/\S+)", message.body).group(1)
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.url == reverse("accounts:password-reset-complete")
    assert client.login(request=HttpRequest(), username="anna@voorbeeld.nl", password=NEW_PASSWORD)


def test_password_reset_for_unknown_address_sends_nothing_but_looks_the_same(client, db):
    response = client.post(reverse("accounts:password-reset"), {"email": "niemand@voorbeeld.nl"})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password-reset-done")
    assert mail.outbox == []


def test_login_page_is_dutch_by_default(client, db):
    assert "Inloggen" in client.get(reverse("accounts:login")).content.decode()
