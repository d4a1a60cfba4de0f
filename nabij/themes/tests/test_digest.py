"""The themes section of the morning digest: new proposals for coordinators in their scope, counts as small cells."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

import pytest

from nabij.accounts.models import Role
from nabij.accounts.tests.factories import UserFactory
from nabij.contacts.tests.factories import BuurtFactory
from nabij.followup import digest as registry
from nabij.followup import rules, services
from nabij.followup.models import DigestSent
from nabij.themes.digest import coordinator_ids, new_proposals_section
from nabij.themes.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def buurt():
    return BuurtFactory()


@pytest.fixture
def coordinator(buurt):
    return UserFactory(role=Role.COORDINATOR, scope_buurten=[buurt])


@pytest.fixture
def today():
    return rules.local_today()


def test_the_section_is_registered_by_the_themes_app():
    assert "themes.new_proposals" in {section.key for section in registry.digest_sections()}


def test_a_new_proposal_in_scope_is_listed_with_its_reason(coordinator, buurt, today):
    ThemeFactory(area_code=buurt.code, area_name="De Akkers")
    lines = new_proposals_section(coordinator, today)
    assert len(lines) == 1
    assert "Energietoeslag en DigiD" in lines[0] and "De Akkers" in lines[0] and "24" in lines[0]


def test_a_proposal_outside_the_scope_is_not_listed(coordinator, today):
    ThemeFactory(area_code=BuurtFactory().code)
    assert new_proposals_section(coordinator, today) == []


def test_a_proposal_from_before_the_previous_digest_is_not_listed_again(coordinator, buurt, today):
    theme = ThemeFactory(area_code=buurt.code)
    DigestSent.objects.create(user=coordinator, day=today - timedelta(days=1), sent_at=timezone.now())
    assert theme.created_at < timezone.now()
    assert new_proposals_section(coordinator, today) == []


def test_a_decided_theme_is_not_a_new_proposal(coordinator, buurt, today):
    ThemeFactory(area_code=buurt.code, status="erkend")
    assert new_proposals_section(coordinator, today) == []


def test_a_small_count_in_a_wijk_theme_partly_outside_the_scope_shows_as_less_than_10(coordinator, buurt, today):
    BuurtFactory(wijk=buurt.wijk, gemeente=buurt.gemeente)  # a buurt of the wijk outside the coordinator's scope
    ThemeFactory(level="wijk", area_code=buurt.wijk_id, area_name="Rietlanden", observed=7)
    lines = new_proposals_section(coordinator, today)
    assert len(lines) == 1
    assert "< 10" in lines[0] and " 7 " not in lines[0]


def test_only_coordinators_are_named_and_only_when_something_was_proposed(coordinator, buurt, today):
    worker = UserFactory(role=Role.BUURTWERKER, scope_buurten=[buurt])
    assert coordinator_ids(today) == []
    ThemeFactory(area_code=buurt.code)
    named = coordinator_ids(today)
    assert coordinator.pk in named and worker.pk not in named


def test_a_coordinator_with_nothing_due_gets_the_proposals_in_the_digest(coordinator, buurt, today):
    ThemeFactory(area_code=buurt.code, area_name="De Akkers")
    assert services.digest_send_all(day=today) == 1
    assert mail.outbox[0].to == [coordinator.email]
    assert "Energietoeslag en DigiD" in mail.outbox[0].body
