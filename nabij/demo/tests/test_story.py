"""The demo story of issue 13, as a test: two data controllers in De Akkers without an agreement, one agreement in
Parkzicht, and ending it closes access at once."""

from django.utils import timezone

import pytest

from nabij.accounts import sharing
from nabij.accounts.models import Organisation, SharingAgreement, User
from nabij.assets.models import Provider
from nabij.contacts.models import ContactMoment, Resident
from nabij.core.access import all_policies
from nabij.core.access.contacts import contact_moment_policy, resident_policy
from nabij.core.access.followup import promise_policy
from nabij.demo import town
from nabij.demo.models import DemoLoad
from nabij.demo.services import demo_load
from nabij.followup.models import Promise

pytestmark = pytest.mark.django_db

AKKERS = town.AKKERS
PARKZICHT = town.AGREEMENT["buurten"][0]


@pytest.fixture
def demo(db):
    demo_load()
    return {
        "welzijn": Organisation.objects.get(name="Welzijn Lindervoort"),
        "corporatie": Organisation.objects.get(name="Woonstichting De Linde"),
    }


def _user(email: str) -> User:
    """A fresh user object, as on a new request (shares and scope are read once per request)."""
    return User.objects.get(email=email)


def test_every_personal_data_record_of_the_demo_has_its_organisation(demo):
    for policy in all_policies():
        model = policy.model
        assert model.objects.exists(), model
        assert not model.objects.filter(organisation__isnull=True).exists(), model


def test_both_organisations_have_their_own_de_akkers_records(demo):
    for organisation in (demo["welzijn"], demo["corporatie"]):
        assert ContactMoment.objects.filter(buurt_id=AKKERS, organisation=organisation).exists()
        assert Resident.objects.filter(buurt_id=AKKERS, organisation=organisation).exists()
        assert Promise.objects.filter(buurt_id=AKKERS, organisation=organisation).exists()


def test_the_corporatie_sees_none_of_the_welfare_organisations_de_akkers_records(demo):
    ruud = _user("corporatie@demo.nabij.example")
    welfare = {"buurt_id": AKKERS, "organisation": demo["welzijn"]}

    assert not contact_moment_policy.visible(ruud, ContactMoment.objects.filter(**welfare)).exists()
    assert not resident_policy.visible(ruud, Resident.objects.filter(**welfare)).exists()
    assert not promise_policy.visible(ruud, Promise.objects.filter(**welfare)).exists()
    # …while his own De Akkers records are there for him.
    own = {"buurt_id": AKKERS, "organisation": demo["corporatie"]}
    assert contact_moment_policy.visible(ruud, ContactMoment.objects.filter(**own)).exists()
    assert resident_policy.visible(ruud, Resident.objects.filter(**own)).exists()


def test_the_welfare_worker_sees_none_of_the_corporaties_de_akkers_records(demo):
    sanne = _user("buurtwerker@demo.nabij.example")
    corporatie = {"buurt_id": AKKERS, "organisation": demo["corporatie"]}

    assert not contact_moment_policy.visible(sanne, ContactMoment.objects.filter(**corporatie)).exists()
    assert not resident_policy.visible(sanne, Resident.objects.filter(**corporatie)).exists()


def test_the_agreement_shares_exactly_the_agreed_kinds_in_the_agreed_buurt(demo):
    agreement = SharingAgreement.objects.get()
    assert agreement.is_in_effect()
    assert sorted(agreement.kinds) == ["beloftes", "contactmomenten"]
    ruud = _user("corporatie@demo.nabij.example")
    welfare_parkzicht = {"buurt_id": PARKZICHT, "organisation": demo["welzijn"]}

    shared = contact_moment_policy.visible(ruud, ContactMoment.objects.filter(**welfare_parkzicht))
    assert shared.exists()
    assert shared.count() == ContactMoment.objects.filter(**welfare_parkzicht).count()
    assert promise_policy.visible(ruud, Promise.objects.filter(**welfare_parkzicht)).exists()
    # Residents are not an agreed kind, and outside Parkzicht nothing of the welfare organisation is shared.
    assert not resident_policy.visible(ruud, Resident.objects.filter(organisation=demo["welzijn"])).exists()
    other_buurten = ContactMoment.objects.filter(organisation=demo["welzijn"]).exclude(buurt_id=PARKZICHT)
    assert not contact_moment_policy.visible(ruud, other_buurten).exists()
    basis = contact_moment_policy.basis(ruud, shared.first())
    assert basis.kind == "agreement" and basis.agreement_id == agreement.pk


def test_ending_the_agreement_closes_access_at_once(demo):
    agreement = SharingAgreement.objects.get()
    linda = _user("beheerder-corporatie@demo.nabij.example")
    welfare_parkzicht = ContactMoment.objects.filter(buurt_id=PARKZICHT, organisation=demo["welzijn"])
    assert contact_moment_policy.visible(_user("corporatie@demo.nabij.example"), welfare_parkzicht).exists()

    sharing.agreement_end(by=linda, agreement=agreement)

    ruud = _user("corporatie@demo.nabij.example")
    assert not contact_moment_policy.visible(ruud, welfare_parkzicht).exists()
    assert not promise_policy.visible(ruud, Promise.objects.filter(organisation=demo["welzijn"])).exists()


def test_the_providers_that_use_nabij_are_linked_to_their_organisation(demo):
    assert Provider.objects.get(name="Woonstichting De Linde").nabij_organisation == demo["corporatie"]
    assert Provider.objects.get(name="Welzijn Lindervoort").nabij_organisation == demo["welzijn"]


def test_a_second_load_keeps_what_people_entered(demo):
    sanne = _user("buurtwerker@demo.nabij.example")
    entered = ContactMoment.objects.create(
        buurt_id=AKKERS,
        channel="straat",
        note="Zelf ingevoerd",
        worker=sanne,
        organisation=sanne.organisation,
        occurred_at=timezone.now(),
    )
    agreement = SharingAgreement.objects.get()
    sharing.agreement_end(by=_user("beheerder@demo.nabij.example"), agreement=agreement)
    counts = ContactMoment.objects.count()

    loaded = demo_load()

    assert ContactMoment.objects.filter(pk=entered.pk).exists()
    assert ContactMoment.objects.count() == counts
    assert SharingAgreement.objects.get().ended_at is not None  # an ended agreement stays ended
    assert "contacts" not in loaded and DemoLoad.objects.filter(label="contacts").exists()


def test_rebuild_remakes_the_demo_data(demo):
    assert "contacts" in demo_load(rebuild=True)
    assert SharingAgreement.objects.count() == 1
