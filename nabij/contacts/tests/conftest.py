import pytest

from nabij.contacts.tests.factories import BuurtFactory, UserFactory, WijkFactory
from nabij.core.selectors import topic_cache_clear


@pytest.fixture(autouse=True)
def _fresh_topic_cache():
    """Each test starts from its own database's topics: the per-process topic cache outlives a rolled-back test."""
    topic_cache_clear()
    yield
    topic_cache_clear()


@pytest.fixture
def wijk(db):
    return WijkFactory()


@pytest.fixture
def buurt(wijk):
    return BuurtFactory(wijk=wijk, name="De Akkers")


@pytest.fixture
def other_buurt(db):
    return BuurtFactory(name="Elders")


@pytest.fixture
def worker(buurt):
    return UserFactory(buurten=[buurt])


@pytest.fixture
def analist(buurt):
    return UserFactory(role="analist", buurten=[buurt])


@pytest.fixture
def beheerder(buurt):
    return UserFactory(role="beheerder", buurten=[buurt])


@pytest.fixture
def coordinator(buurt):
    return UserFactory(role="coordinator", buurten=[buurt])
