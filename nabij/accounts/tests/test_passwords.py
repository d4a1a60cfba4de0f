"""Password rules (issue 14): at least 12 characters, not common, not like the user's name or address, in Dutch;
and at most 3 password-reset mails per account per hour, without telling whether the account exists."""

import re

from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from nabij.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(db):
    return UserFactory(email="anna.de.vries@voorbeeld.nl", full_name="Anna de Vries")


def _messages(password, user=None) -> list[str]:
    with pytest.raises(ValidationError) as info:
        validate_password(password, user)
    return info.value.messages


def test_eleven_characters_are_too_short_in_plain_dutch(anna):
    assert _messages("Zonnebloem1", anna) == [
        "Dit wachtwoord is te kort. Gebruik minstens 12 tekens, bijvoorbeeld een korte zin."
    ]


def test_twelve_characters_that_are_not_common_are_fine(anna):
    validate_password("fiets-in-de-regen", anna)
    validate_password("nabij-demo-2026", anna)


def test_only_digits_are_refused(anna):
    assert "Een wachtwoord van alleen cijfers" in " ".join(_messages("123456789012", anna))


def test_a_common_password_is_refused(anna):
    assert "Veel mensen gebruiken dit wachtwoord" in " ".join(_messages("qwerty123456", anna))


def test_a_password_like_the_users_address_is_refused(anna):
    assert "lijkt te veel op je e-mailadres" in " ".join(_messages("anna.de.vries@voorbeeld", anna))


def test_a_password_like_the_users_name_is_refused(anna):
    assert "lijkt te veel op je naam" in " ".join(_messages("annadevries1", anna))


def _reset_link(message) -> str:
    return re.search(r"https?://[^/]+(/\S+)", message.body).group(1)


def test_the_set_password_page_shows_the_dutch_rule(client, anna):
    client.post(reverse("accounts:password-reset"), {"email": anna.email})
    form_page = client.get(_reset_link(mail.outbox[0]), follow=True)
    assert "Minstens 12 tekens" in form_page.content.decode()
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": "kort-7", "new_password2": "kort-7"})
    assert "Gebruik minstens 12 tekens" in response.content.decode()


def test_at_most_three_reset_mails_per_account_per_hour(client, anna):
    answers = [client.post(reverse("accounts:password-reset"), {"email": anna.email}) for _ in range(5)]
    assert len(mail.outbox) == 3
    assert {(a.status_code, a.url) for a in answers} == {(302, reverse("accounts:password-reset-done"))}


def test_the_reset_limit_is_per_account(client, anna):
    bob = UserFactory(email="bob@voorbeeld.nl")
    for _ in range(4):
        client.post(reverse("accounts:password-reset"), {"email": anna.email})
    client.post(reverse("accounts:password-reset"), {"email": bob.email})
    assert [m.to for m in mail.outbox].count([bob.email]) == 1


def test_the_reset_answer_is_the_same_for_an_unknown_address(client, anna):
    known = client.post(reverse("accounts:password-reset"), {"email": anna.email}, follow=True)
    unknown = client.post(reverse("accounts:password-reset"), {"email": "niemand@voorbeeld.nl"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    nonce = re.compile(rb'nonce="[^"]*"|value="[^"]{20,}"|"X-CSRFToken": "[^"]*"')
    assert nonce.sub(b"", known.content) == nonce.sub(b"", unknown.content)
