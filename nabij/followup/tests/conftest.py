import pytest

from nabij.followup.tests.factories import BuurtFactory, TeamFactory, UserFactory


@pytest.fixture
def buurt(db):
    return BuurtFactory(name="De Akkers")


@pytest.fixture
def other_buurt(db):
    return BuurtFactory(name="Elders")


@pytest.fixture
def team(db):
    return TeamFactory()


@pytest.fixture
def worker(buurt, team):
    return UserFactory(scope_buurten=[buurt], team=team, organisation=team.organisation)


@pytest.fixture
def colleague(buurt, team):
    return UserFactory(scope_buurten=[buurt], team=team, organisation=team.organisation)


@pytest.fixture
def stranger(buurt):
    """Works in the same buurt, but for another organisation and team."""
    return UserFactory(scope_buurten=[buurt], team=TeamFactory())


@pytest.fixture
def coordinator(buurt, team):
    return UserFactory(coordinator=True, scope_buurten=[buurt], team=team, organisation=team.organisation)


@pytest.fixture
def analist(buurt):
    return UserFactory(analist=True, scope_buurten=[buurt])
