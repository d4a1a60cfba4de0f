"""Shared pytest set-up. Browser fixtures live in e2e/conftest.py."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True, scope="session")
def _force_login_passes_the_second_factor():
    """Every staff page needs a second factor (nabij.accounts.mfa). `client.force_login(user)` in a test means "a
    user who logged in", so it also verifies the session through a real TOTP device of the user; tests of the
    second step itself use `nabij.accounts.mfa.testing.force_login_unverified`. Session-scoped, so module-scoped
    fixtures (the access matrix's logged-in clients) get it too."""
    from django.test import Client

    from nabij.accounts.mfa import testing

    testing.use_verified_force_login()
    yield
    Client.force_login = testing._original_force_login
