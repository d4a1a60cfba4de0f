import factory
from factory.django import DjangoModelFactory

from nabij.assets.models import Initiative, KeyFigure, Place, Provider
from nabij.assets.search_index import search_vector_refresh
from nabij.contacts.tests.factories import BuurtFactory, GemeenteFactory, UserFactory, WijkFactory
from nabij.core.models import Topic
from nabij.language.wordforms import text_keys

__all__ = [
    "BuurtFactory",
    "GemeenteFactory",
    "InitiativeFactory",
    "KeyFigureFactory",
    "PlaceFactory",
    "ProviderFactory",
    "UserFactory",
    "WijkFactory",
    "topic",
]


def topic(slug: str = "ontmoeting-activiteiten", label: str = "ontmoeting & activiteiten") -> Topic:
    return Topic.objects.get_or_create(slug=slug, defaults={"label": label})[0]


def _search_text(obj) -> str:
    text = getattr(obj, "description", "") or getattr(obj, "gifts", "")
    return " " + " ".join(text_keys(f"{getattr(obj, 'name', '') or obj.label} {text}")) + " "


class _ItemFactory(DjangoModelFactory):
    """Sociale-kaart rows as the services would leave them (search text filled in)."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    search_text = factory.LazyAttribute(_search_text)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def search_vector(self, create, extracted, **kwargs):
        """As the services do: the stored PostgreSQL vector follows the row (a no-op on SQLite)."""
        if create:
            search_vector_refresh(model=type(self), pks=[self.pk])


class ProviderFactory(_ItemFactory):
    class Meta:
        model = Provider
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = Provider.Kind.WELZIJN
    description = "Helpt bewoners."

    @factory.post_generation
    def buurten(self, create, extracted, **kwargs):
        """A buurt of its own unless given; pass `buurten=[]` with `wijken=[...]` for a whole-wijk service area."""
        if create:
            self.buurten.set(extracted if extracted is not None else [BuurtFactory()])

    @factory.post_generation
    def wijken(self, create, extracted, **kwargs):
        if create and extracted:
            self.wijken.set(extracted)


class InitiativeFactory(_ItemFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Initiatief {n}")
    description = "Bewoners doen samen iets."

    @factory.post_generation
    def buurten(self, create, extracted, **kwargs):
        if create:
            self.buurten.set(extracted or [BuurtFactory()])


class PlaceFactory(_ItemFactory):
    class Meta:
        model = Place
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Plek {n}")
    kind = Place.Kind.BUURTHUIS
    description = "Een plek om elkaar te zien."
    buurt = factory.SubFactory(BuurtFactory)


class KeyFigureFactory(_ItemFactory):
    class Meta:
        model = KeyFigure
        skip_postgeneration_save = True

    label = factory.Sequence(lambda n: f"sleutelfiguur {n}")
    buurt = factory.SubFactory(BuurtFactory)
    gifts = "Kan goed koken."
    consent_date = factory.Faker("past_date")
    consent_recorded_by = factory.SubFactory(UserFactory)
    # As the service does: the organisation of whoever recorded the consent owns the record.
    organisation = factory.LazyAttribute(
        lambda o: o.consent_recorded_by.organisation if o.consent_recorded_by else None
    )
