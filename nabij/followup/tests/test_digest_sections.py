"""Digest sections registered by higher apps (e.g. themes): followup lists them without importing those apps."""

from django.core import mail

import pytest

from nabij.followup import digest, rules, services
from nabij.followup.tests.factories import PromiseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    """An empty registry for each test; whatever was registered before comes back afterwards."""
    saved = dict(digest._sections)
    digest._sections.clear()
    yield digest
    digest._sections.clear()
    digest._sections.update(saved)


def test_a_user_with_only_a_section_still_gets_a_digest(registry, worker):
    registry.register_digest_section(
        lambda user, day: ["Nieuw thema: eenzaamheid (De Akkers)"],
        title="Nieuwe themavoorstellen",
        recipients=lambda day: [worker.pk],
        key="test-themes",
    )
    assert services.digest_send_all(day=rules.local_today()) == 1
    assert mail.outbox[0].to == [worker.email]
    assert "Nieuwe themavoorstellen:\n- Nieuw thema: eenzaamheid (De Akkers)" in mail.outbox[0].body


def test_an_empty_section_sends_nobody_a_digest(registry, worker):
    registry.register_digest_section(lambda user, day: [], recipients=lambda day: [worker.pk], key="test-empty")
    assert services.digest_send_all(day=rules.local_today()) == 0
    assert mail.outbox == []


def test_a_section_is_added_to_the_digest_of_someone_with_promises_due(registry, worker, buurt):
    PromiseFactory(owner=worker, buurt=buurt, overdue=True, description="Folder brengen")
    registry.register_digest_section(lambda user, day: "Blok met tekst", key="test-block")
    services.digest_send_all(day=rules.local_today())
    body = mail.outbox[0].body
    assert "Folder brengen" in body and "Blok met tekst" in body


def test_a_section_is_only_asked_for_the_people_it_names(registry, worker, colleague):
    asked = []

    def section(user, day):
        asked.append(user.pk)
        return ["iets"]

    registry.register_digest_section(section, recipients=lambda day: [colleague.pk], key="test-named")
    services.digest_send_all(day=rules.local_today())
    assert asked == [colleague.pk]
    assert [m.to[0] for m in mail.outbox] == [colleague.email]


def test_a_failing_section_does_not_stop_the_digest(registry, worker, buurt):
    PromiseFactory(owner=worker, buurt=buurt, overdue=True)

    def broken(user, day):
        raise RuntimeError("themes is down")

    registry.register_digest_section(broken, key="test-broken")
    assert services.digest_send_all(day=rules.local_today()) == 1


def test_a_section_only_digest_is_also_sent_once_per_day(registry, worker):
    registry.register_digest_section(lambda user, day: ["x"], recipients=lambda day: [worker.pk], key="test-once")
    services.digest_send_all(day=rules.local_today())
    services.digest_send_all(day=rules.local_today())
    assert len(mail.outbox) == 1


def test_registering_the_same_section_twice_lists_it_once(registry):
    def section(user, day):
        return ["x"]

    registry.register_digest_section(section)
    registry.register_digest_section(section)
    assert len(registry.digest_sections()) == 1


def test_inactive_people_get_no_section_digest(registry):
    gone = UserFactory(is_active=False)
    registry.register_digest_section(lambda user, day: ["x"], recipients=lambda day: [gone.pk], key="test-gone")
    assert services.digest_send_all(day=rules.local_today()) == 0
