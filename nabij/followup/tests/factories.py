from datetime import timedelta

import factory
from factory.django import DjangoModelFactory

from nabij.accounts.tests.factories import TeamFactory, UserFactory
from nabij.assets.tests.factories import ProviderFactory
from nabij.contacts.tests.factories import BuurtFactory, ContactMomentFactory, ResidentFactory
from nabij.core.models import Topic
from nabij.followup.models import Promise, Referral
from nabij.followup.rules import local_today

__all__ = [
    "BuurtFactory",
    "ContactMomentFactory",
    "PromiseFactory",
    "ProviderFactory",
    "ReferralFactory",
    "ResidentFactory",
    "TeamFactory",
    "UserFactory",
]


class PromiseFactory(DjangoModelFactory):
    """A promise of the owner's organisation (as the service records it); pass `organisation` to differ."""

    class Meta:
        model = Promise

    description = factory.Sequence(lambda n: f"Terugbellen over de energietoeslag {n}")
    buurt = factory.SubFactory(BuurtFactory)
    owner = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("owner")
    organisation = factory.LazyAttribute(lambda o: o.created_by.organisation if o.created_by else o.owner.organisation)
    due_date = factory.LazyFunction(local_today)

    class Params:
        overdue = factory.Trait(due_date=factory.LazyFunction(lambda: local_today() - timedelta(days=2)))


class ReferralFactory(DjangoModelFactory):
    """A referral of the worker's organisation (as the service records it)."""

    class Meta:
        model = Referral

    provider = factory.SubFactory(ProviderFactory)
    topic = factory.LazyFunction(lambda: Topic.objects.get(slug="energie-geldzaken"))
    buurt = factory.SubFactory(BuurtFactory)
    worker = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda o: o.worker.organisation)
    navragen_op = factory.LazyFunction(lambda: local_today() + timedelta(days=14))

    class Params:
        overdue = factory.Trait(navragen_op=factory.LazyFunction(lambda: local_today() - timedelta(days=1)))
