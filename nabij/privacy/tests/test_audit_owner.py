"""The owner's audit page: every read of its records by another organisation, with who, their organisation,
whose records and the samenwerkingsafspraak it relied on."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from nabij.accounts.tests.factories import OrganisationFactory, SharingAgreementFactory, UserFactory
from nabij.contacts.tests.factories import ContactMomentFactory
from nabij.core.access import audit_read
from nabij.core.access.contacts import contact_moment_policy
from nabij.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db

AUDIT = "/audit/"


@pytest.fixture
def story(town):
    welzijn = OrganisationFactory(name="Welzijn Audit")
    corporatie = OrganisationFactory(name="Woonstichting Audit")
    agreement = SharingAgreementFactory(
        proposer=welzijn, partner=corporatie, accepted=True, buurten=[town.buurt_a], kinds=["contactmomenten"]
    )
    moment = ContactMomentFactory(buurt=town.buurt_a, organisation=welzijn)
    reader = UserFactory(corporatie=True, organisation=corporatie, full_name="Ruud Lezer", scope_wijken=[town.wijk_a])
    audit_read(
        user=reader,
        policy=contact_moment_policy,
        records=contact_moment_policy.visible(reader),
        action=AuditEvent.Action.SEARCH,
        object_type="contactmoment_list",
    )
    return {"welzijn": welzijn, "corporatie": corporatie, "agreement": agreement, "moment": moment, "reader": reader}


def _page(client, user):
    client.force_login(user)
    return client.get(AUDIT)


def test_owner_beheerder_sees_the_read_of_its_records_under_the_agreement(client, story):
    beheerder = UserFactory(beheerder=True, organisation=story["welzijn"])

    response = _page(client, beheerder)

    shared = [e for e in response.context["page"] if e.actor_id == story["reader"].pk]
    assert len(shared) == 1
    event = shared[0]
    assert event.actor == story["reader"]
    assert event.organisation == story["corporatie"] and event.owner_organisation == story["welzijn"]
    assert event.agreement_id == story["agreement"].pk
    html = response.content.decode()
    assert "Ruud Lezer" in html
    assert "Woonstichting Audit" in html and "Welzijn Audit" in html
    assert reverse("accounts:agreement-detail", args=[story["agreement"].pk]) in html


def test_the_readers_own_beheerder_sees_it_too(client, story):
    beheerder = UserFactory(beheerder=True, organisation=story["corporatie"])

    events = list(_page(client, beheerder).context["page"])

    assert any(e.agreement_id == story["agreement"].pk for e in events)


def test_a_third_organisation_sees_none_of_it(client, story):
    stranger = UserFactory(beheerder=True)

    events = list(_page(client, stranger).context["page"])

    assert not [e for e in events if e.actor_id == story["reader"].pk]


def test_audit_page_queries_do_not_grow_with_shared_reads(client, story):
    beheerder = UserFactory(beheerder=True, organisation=story["welzijn"])
    client.force_login(beheerder)
    client.get(AUDIT)  # the area scope is cached from the first request on
    with CaptureQueriesContext(connection) as few:
        client.get(AUDIT)
    for _ in range(5):
        audit_read(
            user=story["reader"],
            policy=contact_moment_policy,
            records=[story["moment"]],
            object_type="contactmoment",
            object_id=story["moment"].pk,
        )
    with CaptureQueriesContext(connection) as many:
        client.get(AUDIT)
    assert len(many) == len(few)
