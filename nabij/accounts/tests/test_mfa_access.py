"""Every staff URL needs the second factor (issue 14): the resolver is walked, and each URL is fetched with a
session that stopped after the password. Staff pages and the Django admin send it to the verify step (or to
enrolment), the API answers as it does to a stranger (401), and public pages stay as they are for anyone."""

from __future__ import annotations

import re
import uuid

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

import pytest

from nabij.accounts.mfa.testing import force_login_unverified, totp_device_for
from nabij.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_VALUES = {"int": "1", "uuid": str(uuid.UUID(int=1)), "path": "1", "slug": "x", "str": "x", None: "x"}


def _walk(resolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _paths() -> list[str]:
    """One concrete path per route (made-up parameters: the middleware decides before the view looks them up).
    The admin's regex routes are represented by its index and a model list."""
    paths = {"/django-admin/", "/django-admin/accounts/user/", "/django-admin/otp_totp/totpdevice/"}
    for route in _walk(get_resolver()):
        if "(?P<" in route or "^" in route:
            continue
        paths.add("/" + _PARAM.sub(lambda m: _VALUES.get(m.group("converter"), "x"), route))
    return sorted(paths)


PATHS = _paths()


def _kind(path: str) -> str:
    if path.startswith("/api/"):
        return "api"
    match = resolve(path)
    view = match.func
    if getattr(view, "second_factor_not_required", False) or match.view_name == "accounts:logout":
        return "step"
    if "admin" not in match.namespaces and not getattr(view, "login_required", True):
        return "public"
    return "staff"


@pytest.fixture
def unverified(db):
    user = UserFactory(beheerder=True)
    totp_device_for(user)
    client = Client(raise_request_exception=False)
    force_login_unverified(client, user)
    return client


@pytest.fixture
def anonymous(db):
    return Client(raise_request_exception=False)


def test_the_walk_finds_pages_of_every_kind():
    kinds = {_kind(p) for p in PATHS}
    assert kinds == {"api", "step", "public", "staff"}
    assert sum(_kind(p) == "staff" for p in PATHS) > 50


@pytest.mark.parametrize("path", [p for p in PATHS if _kind(p) == "staff"])
def test_a_staff_page_sends_an_unverified_session_to_the_second_step(unverified, path):
    response = unverified.get(path)
    assert response.status_code == 302, f"{path} answered {response.status_code}"
    assert response["Location"].startswith("/account/tweestapsverificatie/controle/")


@pytest.mark.parametrize("path", [p for p in PATHS if _kind(p) == "api"])
def test_the_api_treats_an_unverified_session_as_a_stranger(unverified, anonymous, path):
    """Endpoints that need a login answer 401; public endpoints (if any) answer as they do to anyone."""
    assert unverified.get(path).status_code == anonymous.get(path).status_code


def test_the_api_refuses_an_unverified_session_with_401(unverified):
    assert unverified.get("/api/v1/gebieden/gemeenten").status_code == 401


@pytest.mark.parametrize("path", [p for p in PATHS if _kind(p) == "public"])
def test_a_public_page_is_not_held_back(unverified, path):
    response = unverified.get(path)
    assert not response.get("Location", "").startswith("/account/tweestapsverificatie/"), path


def test_a_post_to_a_staff_page_is_refused_too(unverified):
    response = unverified.post("/account/gebruikers/nieuw/", {"email": "x@voorbeeld.nl"})
    assert response.status_code == 302
    assert response["Location"] == "/account/tweestapsverificatie/controle/"


def test_a_user_without_a_device_is_sent_to_enrolment(db):
    client = Client()
    force_login_unverified(client, UserFactory())
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/tweestapsverificatie/instellen/")


def test_a_verified_session_reaches_staff_pages_and_the_api(client, db):
    user = UserFactory(beheerder=True)
    client.force_login(user)
    assert client.get("/account/gebruikers/").status_code == 200
    assert client.get("/api/v1/gebieden/gemeenten").status_code == 200


def test_deleting_the_device_ends_the_verification_at_once(client, db):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/").status_code == 200
    totp_device_for(user).delete()
    response = client.get("/")
    assert response["Location"].startswith("/account/tweestapsverificatie/instellen/")


def test_the_django_admin_needs_the_second_factor_even_for_a_superuser(client, db):
    admin = UserFactory(is_staff=True, is_superuser=True)
    totp_device_for(admin)
    unverified = Client()
    force_login_unverified(unverified, admin)
    assert unverified.get("/django-admin/").url.startswith("/account/tweestapsverificatie/controle/")
    client.force_login(admin)
    assert client.get("/django-admin/").status_code == 200
