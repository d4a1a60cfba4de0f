import pytest

from nabij.participation.tests.factories import BuurtFactory, OrganisationFactory, UserFactory


@pytest.fixture
def buurt(db):
    return BuurtFactory(name="De Akkers")


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Woonstichting Test", kind="woningcorporatie")


@pytest.fixture
def staff(buurt, organisation):
    """A corporatie employee with the buurt in scope."""
    return UserFactory(role="corporatie", organisation=organisation, scope_buurten=[buurt])


@pytest.fixture
def outsider(buurt):
    """A buurtwerker of another organisation who sees the buurt but does not own projects there."""
    return UserFactory(role="buurtwerker", scope_buurten=[buurt])


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the (process-wide) cache: start every test with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
