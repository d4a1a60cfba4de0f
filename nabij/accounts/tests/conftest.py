import pytest

from nabij.core.tests.areas import make_town


@pytest.fixture
def town(db):
    return make_town()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The reset-mail limit counts per account id in the cache; ids come back after a rolled-back test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
