"""Shared pytest set-up. Browser fixtures live in e2e/conftest.py."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Audit trail: the test flush may empty the append-only audit table ------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _audit_flush_allowed():
    """Transactional and live-server tests end with Django's `flush` (TRUNCATE on PostgreSQL, DELETE on SQLite),
    which the audit table's triggers refuse. For the test session only, every flush runs with the triggers'
    maintenance switch open for its own transaction (the same switch as the retention purge,
    nabij.privacy.audit_chain.maintenance_sql). Production code never imports this file, so `manage.py flush`
    outside the tests is still refused on the audit table (docs/decisions/0022)."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from nabij.privacy.audit_chain import maintenance_sql

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        switch_on, switch_off = maintenance_sql(self.connection.vendor)
        return original(self, [*switch_on, *sql_list, *switch_off])

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    BaseDatabaseOperations.execute_sql_flush = original


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
