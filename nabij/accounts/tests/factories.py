"""Factories for staff. Other apps import these; keep the defaults minimal and valid.

UserFactory()                                  # a buurtwerker of a fresh organisation, no areas
UserFactory(beheerder=True)                    # traits per role: buurtwerker, coordinator, corporatie, analist
UserFactory(scope_buurten=[buurt_a, buurt_b])  # area scope (also scope_wijken, scope_gemeenten)
UserFactory(password="...")                    # default password: DEFAULT_PASSWORD
"""

from datetime import timedelta as _days

from django.utils import timezone
from django.utils.text import slugify

import factory
from factory.django import DjangoModelFactory

from nabij.accounts.models import Organisation, Role, Team, User


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Welzijn Voorbeeld {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Organisation.Kind.WELZIJN


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    organisation = factory.SubFactory(OrganisationFactory)


def _set_m2m(field: str):
    def hook(obj, create, extracted, **kwargs):
        if create and extracted:
            getattr(obj, field).set(extracted)

    return factory.PostGeneration(hook)


DEFAULT_PASSWORD = "nabij-test-wachtwoord"


def _today():
    return timezone.localdate()


def _now():
    return timezone.now()


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"medewerker{n}@voorbeeld.nl")
    full_name = factory.Faker("name", locale="nl_NL")
    role = Role.BUURTWERKER
    organisation = factory.SubFactory(OrganisationFactory)
    team = None
    password = factory.django.Password(DEFAULT_PASSWORD)

    scope_gemeenten = _set_m2m("scope_gemeenten")
    scope_wijken = _set_m2m("scope_wijken")
    scope_buurten = _set_m2m("scope_buurten")

    class Params:
        buurtwerker = factory.Trait(role=Role.BUURTWERKER)
        coordinator = factory.Trait(role=Role.COORDINATOR)
        corporatie = factory.Trait(role=Role.CORPORATIE)
        analist = factory.Trait(role=Role.ANALIST)
        beheerder = factory.Trait(role=Role.BEHEERDER)
        superuser = factory.Trait(is_superuser=True, is_staff=True, role="", organisation=None)


class SharingAgreementFactory(DjangoModelFactory):
    """A samenwerkingsafspraak proposed (and so accepted) by `proposer`, waiting for the partner, for this year.

    SharingAgreementFactory(buurten=[buurt], kinds=["contactmomenten"])
    SharingAgreementFactory(accepted=True)     # in effect today
    """

    class Meta:
        model = "accounts.SharingAgreement"
        skip_postgeneration_save = True

    proposer = factory.SubFactory(OrganisationFactory)
    partner = factory.SubFactory(OrganisationFactory)
    kinds = factory.LazyFunction(lambda: ["contactmomenten"])
    purpose = "Samen bewoners beter helpen"
    start_date = factory.LazyFunction(lambda: _today() - _days(1))
    end_date = factory.LazyFunction(lambda: _today() + _days(90))
    proposer_accepted_at = factory.LazyFunction(_now)

    buurten = _set_m2m("buurten")

    class Params:
        accepted = factory.Trait(partner_accepted_at=factory.LazyFunction(_now))
