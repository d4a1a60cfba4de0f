"""Shared pytest set-up. Browser fixtures live in e2e/conftest.py."""

import os

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Audit trail: the test flush may empty the append-only audit table ------------------------------------------
import pytest  # noqa: E402


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
