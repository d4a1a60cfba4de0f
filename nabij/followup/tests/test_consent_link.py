"""A promise or referral is linked to a resident only when the resident consented to be followed."""

import pytest

from nabij.contacts.tests.factories import ContactMomentFactory, UserFactory
from nabij.core.exceptions import InvalidInput
from nabij.followup.rules import local_today
from nabij.followup.services import promise_create, referral_create
from nabij.followup.tests.factories import BuurtFactory, ProviderFactory, ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    buurt = BuurtFactory()
    return buurt, UserFactory(buurten=[buurt], role="buurtwerker")


def test_promise_to_a_resident_without_consent_is_refused(place):
    buurt, worker = place
    legacy = ResidentFactory(buurt=buurt, created_by=worker, consent=False)
    with pytest.raises(InvalidInput) as caught:
        promise_create(user=worker, description="Terugbellen", due_date=local_today(), resident=legacy.pk)
    assert caught.value.field == "bewoner"


def test_promise_from_a_contact_with_a_resident_without_consent_is_refused(place):
    buurt, worker = place
    legacy = ResidentFactory(buurt=buurt, created_by=worker, consent=False)
    moment = ContactMomentFactory(buurt=buurt, worker=worker, resident=legacy)
    with pytest.raises(InvalidInput):
        promise_create(user=worker, description="Terugbellen", due_date=local_today(), contact_moment=moment.pk)


def test_promise_to_a_resident_with_consent_is_linked(place):
    buurt, worker = place
    resident = ResidentFactory(buurt=buurt, created_by=worker)
    promise = promise_create(user=worker, description="Terugbellen", due_date=local_today(), resident=resident.pk)
    assert promise.resident_id == resident.pk


def test_referral_for_a_resident_without_consent_is_refused(place):
    buurt, worker = place
    legacy = ResidentFactory(buurt=buurt, created_by=worker, consent=False)
    provider = ProviderFactory(buurten=[buurt])
    with pytest.raises(InvalidInput) as caught:
        referral_create(
            user=worker, provider=provider.pk, topic="taal", warm=False, consent_to_share=False, resident=legacy.pk
        )
    assert caught.value.field == "bewoner"
