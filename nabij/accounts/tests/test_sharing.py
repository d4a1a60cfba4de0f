"""Samenwerkingsafspraken: who may propose, accept and end one, the rules of a proposal, and the audit trail."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest

from nabij.accounts import sharing
from nabij.accounts.models import AgreementStatus, SharingAgreement, User
from nabij.accounts.tests.factories import OrganisationFactory, SharingAgreementFactory, UserFactory
from nabij.contacts.tests.factories import ContactMomentFactory
from nabij.core.access import shares_for
from nabij.core.access.contacts import contact_moment_policy
from nabij.core.concurrency import StaleEdit
from nabij.core.exceptions import PermissionRefused
from nabij.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def welzijn():
    return OrganisationFactory(name="Welzijn Test")


@pytest.fixture
def corporatie():
    return OrganisationFactory(name="Woonstichting Test")


@pytest.fixture
def proposer(town, welzijn):
    return UserFactory(beheerder=True, organisation=welzijn, scope_wijken=[town.wijk_a])


@pytest.fixture
def partner_beheerder(town, corporatie):
    return UserFactory(beheerder=True, organisation=corporatie, scope_wijken=[town.wijk_a])


def _propose(by, partner, **overrides):
    today = timezone.localdate()
    values = {
        "buurten": ["BU00010101"],
        "kinds": ["contactmomenten", "beloftes"],
        "purpose": "Samen schulden eerder zien",
        "start_date": today,
        "end_date": today + timedelta(days=180),
    }
    values.update(overrides)
    return sharing.agreement_propose(by=by, partner=partner, **values)


def _errors(caught) -> dict:
    return caught.value.message_dict


# --- Propose ------------------------------------------------------------------------------------------------


def test_a_proposal_is_accepted_by_the_proposer_and_waits_for_the_partner(proposer, corporatie):
    agreement = _propose(proposer, corporatie)

    assert agreement.proposer_id == proposer.organisation_id
    assert agreement.proposer_accepted_by == proposer and agreement.proposer_accepted_at is not None
    assert agreement.partner_accepted_at is None
    assert agreement.status() == AgreementStatus.WAITING
    assert not agreement.is_in_effect()
    assert sorted(agreement.buurten.values_list("pk", flat=True)) == ["BU00010101"]
    assert agreement.kinds == ["contactmomenten", "beloftes"]


def test_a_proposal_is_audited_for_both_organisations(proposer, corporatie):
    agreement = _propose(proposer, corporatie)

    event = AuditEvent.objects.get(object_type="sharing_agreement", action=AuditEvent.Action.CREATE)
    assert event.agreement_id == agreement.pk
    assert event.organisation_id == proposer.organisation_id
    assert event.owner_organisation_id == corporatie.pk
    assert event.detail["buurten"] == ["BU00010101"]


@pytest.mark.parametrize("role", ["buurtwerker", "coordinator", "corporatie", "analist"])
def test_only_a_beheerder_may_propose(town, welzijn, corporatie, role):
    worker = UserFactory(role=role, organisation=welzijn, scope_wijken=[town.wijk_a])

    with pytest.raises(PermissionRefused):
        _propose(worker, corporatie)
    assert not SharingAgreement.objects.exists()
    assert AuditEvent.objects.filter(actor=worker, result=AuditEvent.Result.DENIED).exists()


def test_a_buurt_outside_the_proposers_scope_is_refused(proposer, corporatie):
    with pytest.raises(PermissionRefused) as caught:
        _propose(proposer, corporatie, buurten=["BU00010101", "BU00010201"])
    assert "BU00010201" in caught.value.message and caught.value.field == "buurten"
    assert not SharingAgreement.objects.exists()


def test_own_organisation_as_partner_is_refused_with_a_clear_message(proposer, welzijn):
    with pytest.raises(ValidationError) as caught:
        _propose(proposer, welzijn)
    assert "partner" in _errors(caught)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"buurten": []}, "buurten"),
        ({"kinds": []}, "kinds"),
        ({"kinds": ["dossiers"]}, "kinds"),
        ({"purpose": "  "}, "purpose"),
        ({"start_date": None}, "start_date"),
        ({"end_date": timezone.localdate() - timedelta(days=3)}, "end_date"),
    ],
)
def test_an_incomplete_proposal_names_the_field(proposer, corporatie, overrides, field):
    with pytest.raises(ValidationError) as caught:
        _propose(proposer, corporatie, **overrides)
    assert field in _errors(caught)
    assert not SharingAgreement.objects.exists()


def test_an_end_before_the_start_is_refused(proposer, corporatie):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        _propose(proposer, corporatie, start_date=today + timedelta(days=10), end_date=today + timedelta(days=5))
    assert _errors(caught)["end_date"] == ["De einddatum ligt vóór de begindatum."]


# --- Accept -------------------------------------------------------------------------------------------------


def test_the_partner_accepting_puts_it_in_effect(proposer, corporatie, partner_beheerder):
    agreement = _propose(proposer, corporatie)

    sharing.agreement_accept(by=partner_beheerder, agreement=agreement, expected_version=agreement.version)

    agreement.refresh_from_db()
    assert agreement.is_in_effect()
    assert agreement.partner_accepted_by == partner_beheerder
    event = AuditEvent.objects.filter(object_type="sharing_agreement", actor=partner_beheerder).get()
    assert event.detail == {"change": "accepted"}
    assert event.owner_organisation_id == proposer.organisation_id and event.agreement_id == agreement.pk


def test_accepting_shows_the_partners_records_in_the_same_request(town, proposer, corporatie, partner_beheerder):
    moment = ContactMomentFactory(buurt=town.buurt_a, organisation=proposer.organisation)
    agreement = _propose(proposer, corporatie)
    assert shares_for(partner_beheerder) == ()

    sharing.agreement_accept(by=partner_beheerder, agreement=agreement, expected_version=agreement.version)

    assert contact_moment_policy.can_view(partner_beheerder, moment)


def test_the_proposer_cannot_accept_for_the_partner(proposer, corporatie):
    agreement = _propose(proposer, corporatie)
    with pytest.raises(PermissionRefused):
        sharing.agreement_accept(by=proposer, agreement=agreement, expected_version=agreement.version)
    agreement.refresh_from_db()
    assert agreement.partner_accepted_at is None


def test_a_buurtwerker_of_the_partner_cannot_accept(town, proposer, corporatie):
    agreement = _propose(proposer, corporatie)
    worker = UserFactory(corporatie=True, organisation=corporatie, scope_wijken=[town.wijk_a])
    with pytest.raises(PermissionRefused):
        sharing.agreement_accept(by=worker, agreement=agreement, expected_version=agreement.version)


def test_a_third_organisation_cannot_accept(town, proposer, corporatie):
    agreement = _propose(proposer, corporatie)
    stranger = UserFactory(beheerder=True, scope_wijken=[town.wijk_a])
    with pytest.raises(PermissionRefused):
        sharing.agreement_accept(by=stranger, agreement=agreement, expected_version=agreement.version)


def test_accepting_a_changed_agreement_is_stale(proposer, corporatie, partner_beheerder):
    agreement = _propose(proposer, corporatie)
    shown = agreement.version
    SharingAgreement.objects.filter(pk=agreement.pk).update(version=shown + 1)

    with pytest.raises(StaleEdit):
        sharing.agreement_accept(by=partner_beheerder, agreement=agreement, expected_version=shown)
    assert SharingAgreement.objects.get(pk=agreement.pk).partner_accepted_at is None


def test_an_ended_agreement_cannot_be_accepted(proposer, corporatie, partner_beheerder):
    agreement = _propose(proposer, corporatie)
    sharing.agreement_end(by=proposer, agreement=agreement)
    with pytest.raises(ValidationError):
        sharing.agreement_accept(by=partner_beheerder, agreement=agreement, expected_version=agreement.version)


# --- End ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("side", ["proposer", "partner"])
def test_either_beheerder_ends_it_at_once(town, proposer, corporatie, partner_beheerder, side):
    moment = ContactMomentFactory(buurt=town.buurt_a, organisation=proposer.organisation)
    agreement = _propose(proposer, corporatie)
    sharing.agreement_accept(by=partner_beheerder, agreement=agreement, expected_version=agreement.version)
    assert contact_moment_policy.can_view(partner_beheerder, moment)

    by = proposer if side == "proposer" else partner_beheerder
    sharing.agreement_end(by=by, agreement=agreement)

    agreement.refresh_from_db()
    assert agreement.status() == AgreementStatus.ENDED and agreement.ended_by == by
    next_request = User.objects.get(pk=partner_beheerder.pk)  # what the partner's next page sees
    assert not contact_moment_policy.visible(next_request).filter(pk=moment.pk).exists()
    ended = AuditEvent.objects.filter(object_type="sharing_agreement", detail__change="ended").get()
    assert ended.actor == by and ended.agreement_id == agreement.pk


def test_ending_twice_changes_nothing(proposer, corporatie):
    agreement = _propose(proposer, corporatie)
    sharing.agreement_end(by=proposer, agreement=agreement)
    first = SharingAgreement.objects.get(pk=agreement.pk).ended_at

    sharing.agreement_end(by=proposer, agreement=agreement)

    assert SharingAgreement.objects.get(pk=agreement.pk).ended_at == first
    assert AuditEvent.objects.filter(object_type="sharing_agreement", detail__change="ended").count() == 1


def test_a_colleague_who_is_not_beheerder_cannot_end(town, proposer, corporatie):
    agreement = _propose(proposer, corporatie)
    worker = UserFactory(buurtwerker=True, organisation=proposer.organisation, scope_wijken=[town.wijk_a])
    with pytest.raises(PermissionRefused):
        sharing.agreement_end(by=worker, agreement=agreement)
    assert SharingAgreement.objects.get(pk=agreement.pk).ended_at is None


# --- Status -------------------------------------------------------------------------------------------------


def test_status_follows_the_dates(town):
    today = timezone.localdate()
    scheduled = SharingAgreementFactory(accepted=True, start_date=today + timedelta(days=3))
    expired = SharingAgreementFactory(
        accepted=True, start_date=today - timedelta(days=30), end_date=today - timedelta(days=1)
    )
    current = SharingAgreementFactory(accepted=True)

    assert scheduled.status() == AgreementStatus.SCHEDULED
    assert expired.status() == AgreementStatus.EXPIRED
    assert current.status() == AgreementStatus.IN_EFFECT
    in_effect = set(SharingAgreement.objects.in_effect().values_list("pk", flat=True))
    assert in_effect == {current.pk}
