"""The event module: announcements reach subscribers after commit, never after a rollback, with checked payloads;
a failing subscriber is logged and stops neither the write nor the other subscribers."""

from django.db import transaction

import pytest

from nabij.core.events import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    return []


@pytest.fixture
def event(heard):
    happened = Event("something_happened", "buurt_code")

    def note(*, buurt_code):
        heard.append(buurt_code)

    happened.subscribe(note)
    return happened


def test_an_announcement_reaches_the_subscriber_after_commit(event, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        event.announce(buurt_code="BU01")
        assert heard == []
    assert len(callbacks) == 1 and heard == ["BU01"]


@pytest.mark.django_db(transaction=True)
def test_an_announcement_rolled_back_with_its_write_is_never_delivered(event, heard):
    with pytest.raises(RuntimeError), transaction.atomic():
        event.announce(buurt_code="BU01")
        raise RuntimeError("the write failed")
    assert heard == []


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_subscriber_hears_at_once(event, heard):
    event.announce(buurt_code="BU01")
    assert heard == ["BU01"]


def test_a_payload_that_is_not_the_declared_one_is_refused(event):
    with pytest.raises(TypeError):
        event.announce(buurt="BU01")


@pytest.mark.django_db(transaction=True)
def test_a_failing_subscriber_is_logged_and_the_others_still_hear(event, heard, caplog):
    def broken(*, buurt_code):
        raise OSError("queue down")

    event.subscribe(broken)
    event.subscribe(lambda *, buurt_code: heard.append(f"second {buurt_code}"))
    event.announce(buurt_code="BU01")
    assert heard == ["BU01", "second BU01"]
    assert "queue down" in caplog.text


def test_subscribing_the_same_function_twice_delivers_once(event, heard, django_capture_on_commit_callbacks):
    subscriber = event.subscribers[0]
    event.subscribe(subscriber)
    with django_capture_on_commit_callbacks(execute=True):
        event.announce(buurt_code="BU01")
    assert heard == ["BU01"]
