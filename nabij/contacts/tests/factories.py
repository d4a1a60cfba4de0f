from django.utils import timezone
from django.utils.text import slugify

import factory
from factory.django import DjangoModelFactory

from nabij.accounts.models import Organisation, User
from nabij.areas.models import Buurt, Gemeente, Wijk
from nabij.contacts.models import Channel, ContactMoment, Resident, ResidentConsent, Round, RoundPlan, Signal
from nabij.core.models import Topic


class GemeenteFactory(DjangoModelFactory):
    class Meta:
        model = Gemeente
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"GM{8000 + n:04d}")
    name = factory.Faker("city", locale="nl_NL")
    map_year = 2025


class WijkFactory(DjangoModelFactory):
    class Meta:
        model = Wijk

    gemeente = factory.SubFactory(GemeenteFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"WK{o.gemeente.code[2:]}{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Wijk {n}")
    map_year = 2025


class BuurtFactory(DjangoModelFactory):
    class Meta:
        model = Buurt

    wijk = factory.SubFactory(WijkFactory)
    gemeente = factory.SelfAttribute("wijk.gemeente")
    code = factory.LazyAttributeSequence(lambda o, n: f"BU{o.wijk.code[2:]}{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Buurt {n}")
    map_year = 2025


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = "Welzijn Test"
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = "welzijn"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"worker{n}@test.nabij.example")
    full_name = factory.Faker("name", locale="nl_NL")
    role = "buurtwerker"
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", "testpass-123")

    @factory.post_generation
    def buurten(self, create, extracted, **kwargs):
        self.save()
        if create and extracted:
            self.scope_buurten.set(extracted)


def topic(slug: str = "eenzaamheid") -> Topic:
    return Topic.objects.get(slug=slug)


class ResidentFactory(DjangoModelFactory):
    """A resident file owned by the organisation of whoever registered it (`created_by`, by default a worker of
    the default test organisation), as `resident_create` sets it."""

    class Meta:
        model = Resident
        skip_postgeneration_save = True

    label = factory.Sequence(lambda n: f"bewoner {n}")
    buurt = factory.SubFactory(BuurtFactory)
    created_by = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda o: o.created_by.organisation if o.created_by else None)
    # With consent, as `resident_create` requires; `consent=False` for a file made before that rule.
    consent = True
    consent_date = factory.LazyFunction(timezone.localdate)
    consent_recorded_by = factory.LazyAttribute(lambda o: o.created_by if o.consent else None)

    @factory.post_generation
    def consent_history(self, create, extracted, **kwargs):
        if create and self.consent:
            ResidentConsent.objects.create(
                resident=self,
                organisation_id=self.organisation_id,
                given=True,
                at=timezone.now(),
                recorded_by=self.consent_recorded_by,
            )


class RoundPlanFactory(DjangoModelFactory):
    class Meta:
        model = RoundPlan
        skip_postgeneration_save = True

    name = "dinsdag 10–12"
    weekday = 1
    start_time = "10:00"
    end_time = "12:00"

    @factory.post_generation
    def buurten(self, create, extracted, **kwargs):
        if create and extracted:
            self.buurten.set(extracted)


class RoundFactory(DjangoModelFactory):
    class Meta:
        model = Round
        skip_postgeneration_save = True

    worker = factory.SubFactory(UserFactory)
    started_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def buurten(self, create, extracted, **kwargs):
        if create and extracted:
            self.buurten.set(extracted)


class ContactMomentFactory(DjangoModelFactory):
    class Meta:
        model = ContactMoment
        skip_postgeneration_save = True

    buurt = factory.SubFactory(BuurtFactory)
    occurred_at = factory.LazyFunction(timezone.now)
    channel = Channel.STRAAT
    note = "Praatje over de buurt."
    worker = factory.SubFactory(UserFactory)
    # Owned by the worker's organisation, as contact_moment_create sets it.
    organisation = factory.LazyAttribute(lambda o: o.worker.organisation if o.worker else None)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class SignalFactory(DjangoModelFactory):
    class Meta:
        model = Signal

    buurt = factory.SubFactory(BuurtFactory)
    topic = factory.LazyFunction(lambda: Topic.objects.get(slug="groen-openbare-ruimte"))
    note = "Lantaarnpaal kapot."
    occurred_at = factory.LazyFunction(timezone.now)
    worker = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda o: o.worker.organisation if o.worker else None)  # as signal_create
