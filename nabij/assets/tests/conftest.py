import pytest

from nabij.assets.tests.factories import BuurtFactory, UserFactory, WijkFactory


@pytest.fixture
def wijk(db):
    return WijkFactory()


@pytest.fixture
def buurt(wijk):
    return BuurtFactory(wijk=wijk, name="De Akkers")


@pytest.fixture
def neighbour_buurt(wijk):
    """Another buurt in the same wijk."""
    return BuurtFactory(wijk=wijk, name="Rietlanden")


@pytest.fixture
def far_buurt(wijk):
    """A buurt in another wijk of the same gemeente."""
    other_wijk = WijkFactory(gemeente=wijk.gemeente)
    return BuurtFactory(wijk=other_wijk, name="Verweg")


@pytest.fixture
def outside_buurt(db):
    """A buurt in another gemeente, outside everyone's scope in these tests."""
    return BuurtFactory(name="Elders")


@pytest.fixture
def worker(buurt):
    """A buurtwerker whose scope is the whole gemeente of `buurt`."""
    user = UserFactory()
    user.scope_gemeenten.set([buurt.gemeente])
    return user


@pytest.fixture
def analist(buurt):
    user = UserFactory(role="analist")
    user.scope_gemeenten.set([buurt.gemeente])
    return user
