import factory
from factory.django import DjangoModelFactory

from nabij.contacts.tests.factories import BuurtFactory, GemeenteFactory, UserFactory, WijkFactory
from nabij.surveys import services
from nabij.surveys.models import Collector, Survey

__all__ = ["BuurtFactory", "CollectorFactory", "GemeenteFactory", "SurveyFactory", "UserFactory", "WijkFactory"]


class SurveyFactory(DjangoModelFactory):
    """An open questionnaire about one buurt, with its first section, owned by its maker's organisation (as
    `services.survey_create` does)."""

    class Meta:
        model = Survey
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Buurtvragen {n}")
    slug = factory.Sequence(lambda n: f"buurtvragen-{n}")
    owner = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda o: o.owner.organisation)
    status = Survey.Status.OPEN

    @factory.post_generation
    def buurten(self, create, extracted, **kwargs):
        self.buurten.set(extracted or [BuurtFactory()])
        self.sections.create(title="Vragen", position=1)


class CollectorFactory(DjangoModelFactory):
    """A collector of the questionnaire's organisation."""

    class Meta:
        model = Collector

    survey = factory.SubFactory(SurveyFactory)
    label = factory.Sequence(lambda n: f"Buurvrouw {n}")
    buurt = factory.LazyAttribute(lambda o: o.survey.buurten.first())
    consent = True
    code = factory.LazyFunction(services._new_code)
    created_by = factory.LazyAttribute(lambda o: o.survey.owner)
    organisation = factory.LazyAttribute(lambda o: o.survey.organisation)


def add_question(survey, kind="een", text="Vraag", options=("Ja", "Nee"), **fields):
    return services.question_create(
        survey=survey, section=survey.sections.first(), kind=kind, text=text, options=options, **fields
    )
