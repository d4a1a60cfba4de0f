"""The area scope is cached per user and scope version: a scope change counts at once, on the next request."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from nabij.accounts import services
from nabij.accounts.models import User
from nabij.accounts.tests.factories import UserFactory
from nabij.core import permissions

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The user as a request loads it: a new object, nothing remembered on it."""
    return User.objects.get(pk=user.pk)


def _codes(user):
    return set(permissions.buurten_visible_to(user).values_list("code", flat=True))


@pytest.fixture
def beheerder(town):
    return UserFactory(beheerder=True, scope_gemeenten=[town.gemeente])


@pytest.fixture
def worker(town, beheerder):
    return UserFactory(organisation=beheerder.organisation, scope_buurten=[town.buurt_a])


def test_a_second_request_reads_the_scope_without_a_scope_query(town, worker):
    _codes(_fresh(worker))
    user = _fresh(worker)
    with CaptureQueriesContext(connection) as queries:
        assert _codes(user) == {"BU00010101"}
    assert len(queries) == 1  # the buurten themselves; the assigned codes came from the cache


def test_a_scope_set_by_a_beheerder_counts_on_the_next_request(town, beheerder, worker):
    _codes(_fresh(worker))
    services.user_scope_set(by=beheerder, user=_fresh(worker), buurten=["BU00010201"])
    assert _codes(_fresh(worker)) == {"BU00010201"}


def test_a_removed_wijk_is_no_longer_visible_on_the_next_request(town, beheerder, worker):
    services.user_scope_set(by=beheerder, user=_fresh(worker), wijken=["WK000101"])
    assert "BU00010102" in _codes(_fresh(worker))
    services.user_scope_set(by=beheerder, user=_fresh(worker), wijken=[])
    assert _codes(_fresh(worker)) == set()


def test_a_direct_m2m_change_raises_the_scope_version(town, worker):
    before = _fresh(worker).scope_version
    worker.scope_wijken.add(town.wijk_b)
    assert _fresh(worker).scope_version > before
    assert worker.scope_version == _fresh(worker).scope_version  # the object in memory follows


def test_a_direct_m2m_change_counts_on_the_next_request(town, worker):
    _codes(_fresh(worker))
    _fresh(worker).scope_buurten.clear()
    assert _codes(_fresh(worker)) == set()


def test_the_scope_of_one_user_is_never_served_to_another(town, worker):
    other = UserFactory(scope_buurten=[town.buurt_b])
    _codes(_fresh(worker))
    assert _codes(_fresh(other)) == {"BU00010201"}


def test_the_timeline_page_answers_404_at_once_after_the_scope_is_taken_away(town, beheerder, worker, client):
    client.force_login(worker)
    assert client.get("/contacten/buurt/BU00010101/").status_code == 200
    services.user_scope_set(by=beheerder, user=_fresh(worker), buurten=[])
    assert client.get("/contacten/buurt/BU00010101/").status_code == 404
