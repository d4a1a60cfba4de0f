import pytest

from nabij.core.tests.areas import make_town


@pytest.fixture
def town(db):
    return make_town()


@pytest.fixture
def erasure_story(town):
    """A resident of Welzijn in buurt A with two contacts in one week on the same topic, a promise with a
    hand-over, a referral with what was heard back, and a colleague's and another organisation's staff."""
    from datetime import timedelta

    from django.utils import timezone

    from nabij.accounts.tests.factories import OrganisationFactory, UserFactory
    from nabij.contacts.tests.factories import ContactMomentFactory, ResidentFactory
    from nabij.core.models import Topic
    from nabij.followup.models import PromiseHandover, ReferralStatusChange
    from nabij.followup.tests.factories import PromiseFactory, ReferralFactory

    welzijn = OrganisationFactory(name="Welzijn Wissen")
    other = OrganisationFactory(name="Woonstichting Wissen")
    worker = UserFactory(buurtwerker=True, organisation=welzijn, scope_wijken=[town.wijk_a])
    coordinator = UserFactory(coordinator=True, organisation=welzijn, scope_wijken=[town.wijk_a])
    outsider = UserFactory(buurtwerker=True, organisation=other, scope_wijken=[town.wijk_a])
    analist = UserFactory(analist=True, organisation=welzijn, scope_wijken=[town.wijk_a])
    resident = ResidentFactory(
        label="bewoonster Rietlanden energietoeslag", buurt=town.buurt_a, created_by=worker, consent=True
    )
    eenzaam = Topic.objects.get(slug="eenzaamheid")
    geld = Topic.objects.get(slug="energie-geldzaken")
    wednesday = timezone.make_aware(timezone.datetime(2026, 11, 4, 14, 30))
    first = ContactMomentFactory(
        buurt=town.buurt_a,
        worker=worker,
        resident=resident,
        occurred_at=wednesday,
        note="Praat over haar buurman",
        topics=[eenzaam, geld],
    )
    second = ContactMomentFactory(
        buurt=town.buurt_a,
        worker=worker,
        resident=resident,
        occurred_at=wednesday + timedelta(days=1),
        note="Weer gesproken, blij met bezoek",
        topics=[eenzaam],
    )
    stranger = ContactMomentFactory(buurt=town.buurt_a, worker=worker, occurred_at=wednesday, note="Iemand anders")
    promise = PromiseFactory(
        buurt=town.buurt_a,
        owner=worker,
        resident=resident,
        description="Terugbellen over de toeslag",
        contact_moment=first,
    )
    PromiseHandover.objects.create(promise=promise, from_user=worker, to_user=coordinator, note="Zij belt terug")
    referral = ReferralFactory(
        buurt=town.buurt_a,
        worker=worker,
        contact_moment=second,
        question="Hulp bij formulieren",
        outside_buurt_reason="Enige plek met spreekuur",
        topic=geld,
    )
    ReferralStatusChange.objects.create(
        referral=referral, from_status="verwezen", to_status="contact_gelegd", note="Afspraak op dinsdag", by=worker
    )
    return {
        "resident": resident,
        "worker": worker,
        "coordinator": coordinator,
        "outsider": outsider,
        "analist": analist,
        "first": first,
        "second": second,
        "stranger": stranger,
        "promise": promise,
        "referral": referral,
        "welzijn": welzijn,
    }
