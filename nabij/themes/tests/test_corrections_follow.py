"""Theme counts follow a corrected or deleted contact moment or observation (AVG art. 16): the old buurt-week
loses it, the new one gains it, without a rebuild."""

import pytest

from nabij.contacts import services
from nabij.contacts.tests.factories import BuurtFactory, UserFactory, WijkFactory
from nabij.themes.models import ThemeCount

pytestmark = pytest.mark.django_db


def _counts(source: str) -> dict[tuple[str, str], int]:
    rows = ThemeCount.objects.filter(source=source, count__gt=0).values_list("buurt_id", "topic__slug", "count")
    return {(b, slug): n for b, slug, n in rows}


@pytest.fixture
def place():
    wijk = WijkFactory()
    first, second = BuurtFactory(wijk=wijk), BuurtFactory(wijk=wijk)
    return first, second, UserFactory(buurten=[first, second])


def test_counts_follow_a_corrected_buurt_and_topic(place, django_capture_on_commit_callbacks):
    first, second, worker = place
    with django_capture_on_commit_callbacks(execute=True):
        moment = services.contact_moment_create(user=worker, buurt=first.code, channel="straat", topics=["taal"])
    assert _counts("contacts") == {(first.code, "taal"): 1}
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_moment_correct(
            user=worker, moment=moment, buurt=second.code, topics=["eenzaamheid"], note="", reason="verkeerd"
        )
    assert _counts("contacts") == {(second.code, "eenzaamheid"): 1}


def test_counts_follow_a_deleted_contact_moment(place, django_capture_on_commit_callbacks):
    first, _second, worker = place
    with django_capture_on_commit_callbacks(execute=True):
        moment = services.contact_moment_create(user=worker, buurt=first.code, channel="straat", topics=["taal"])
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_moment_delete(user=worker, moment=moment, reason="dubbel")
    assert _counts("contacts") == {}


def test_counts_follow_a_corrected_observation(place, django_capture_on_commit_callbacks):
    first, second, worker = place
    with django_capture_on_commit_callbacks(execute=True):
        signal = services.signal_create(user=worker, buurt=first.code, topic="veiligheid")
    source = ThemeCount.objects.filter(count__gt=0).values_list("source", flat=True).first()
    with django_capture_on_commit_callbacks(execute=True):
        services.signal_correct(
            user=worker, signal=signal, buurt=second.code, topic="veiligheid", note="", reason="verkeerd"
        )
    assert _counts(source) == {(second.code, "veiligheid"): 1}
