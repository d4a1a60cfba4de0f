import factory
from factory.django import DjangoModelFactory

from nabij.accounts.tests.factories import OrganisationFactory, UserFactory
from nabij.areas.tests.factories import BuurtFactory
from nabij.participation.models import Choice, ChoiceOption, FrameItem, HouseholdCode, Input, Project, Reply

__all__ = [
    "BuurtFactory",
    "ChoiceFactory",
    "FrameItemFactory",
    "HouseholdCodeFactory",
    "InputFactory",
    "OrganisationFactory",
    "ProjectFactory",
    "ReplyFactory",
    "UserFactory",
]


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Groen plein {n}")
    slug = factory.Sequence(lambda n: f"groen-plein-{n}")
    kind = Project.Kind.VERGROENING
    summary = "We maken het plein groen. U kiest mee welke planten er komen."
    owner = factory.SubFactory(OrganisationFactory)
    contact = "Team Groen, 010 123 45 67"

    class Params:
        published = factory.Trait(status=Project.Status.GEPUBLICEERD)
        renovation = factory.Trait(kind=Project.Kind.RENOVATIE, is_household_vote=True)

    @factory.post_generation
    def buurten(self, create, extracted, **kwargs):
        if create:
            self.buurten.set(extracted or [BuurtFactory()])


class FrameItemFactory(DjangoModelFactory):
    class Meta:
        model = FrameItem

    project = factory.SubFactory(ProjectFactory)
    kind = FrameItem.Kind.OPEN
    text = "Welke planten er komen."
    ladder = "meebeslissen"
    with_input = "De planten met de meeste stemmen komen er."
    hear_back = "Voor 1 juni hoort u wat we kiezen."

    class Params:
        fixed = factory.Trait(
            kind=FrameItem.Kind.VAST, text="We gaan het plein vergroenen.", ladder="", with_input="", hear_back=""
        )


class ChoiceFactory(DjangoModelFactory):
    class Meta:
        model = Choice
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    question = "Welke kleur krijgen de voordeuren?"

    @factory.post_generation
    def options(self, create, extracted, **kwargs):
        if create:
            for n, label in enumerate(extracted or ["Rood", "Groen", "Blauw", "Geel"]):
                ChoiceOption.objects.create(choice=self, label=label, position=n)


class HouseholdCodeFactory(DjangoModelFactory):
    class Meta:
        model = HouseholdCode

    project = factory.SubFactory(ProjectFactory)
    complex_name = "Complex 12"
    code = factory.Sequence(lambda n: f"CODE{n:04d}")


class InputFactory(DjangoModelFactory):
    class Meta:
        model = Input

    project = factory.SubFactory(ProjectFactory, published=True)
    # Like the service: the input is the project owner's record.
    organisation = factory.LazyAttribute(lambda o: o.project.owner)
    kind = Input.Kind.IDEE
    text = "Meer bankjes graag."
    reply_token = factory.Sequence(lambda n: f"token-{n:08d}")
    due_on = factory.Faker("date_this_year")


class ReplyFactory(DjangoModelFactory):
    class Meta:
        model = Reply

    input = factory.SubFactory(InputFactory)
    organisation = factory.LazyAttribute(lambda o: o.input.project.owner)
    text = "Dank u. We zetten er vier bankjes neer."
    author = None
