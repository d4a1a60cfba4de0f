from datetime import timedelta

from django.utils import timezone

import factory
from factory.django import DjangoModelFactory

from nabij.contacts.tests.factories import BuurtFactory, ContactMomentFactory  # noqa: F401 (re-exported)
from nabij.core.models import Topic
from nabij.themes.models import Theme


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme

    level = "buurt"
    area_code = factory.LazyAttribute(lambda o: BuurtFactory().code)
    gemeente_code = factory.LazyAttribute(lambda o: o.area_code[2:6].join(["GM", ""]))
    area_name = "De Akkers"
    topic = factory.LazyFunction(lambda: Topic.objects.get(slug="energie-geldzaken"))
    period_start = factory.LazyFunction(lambda: timezone.localdate() - timedelta(weeks=8))
    period_end = factory.LazyFunction(timezone.localdate)
    observed = 24
    expected = 3.0
    p_value = 1e-9
    active_weeks = 6
    explanation = "24 contacten over energie & geldzaken in 6 weken; normaal 3"
    suggested_name = "Energietoeslag en DigiD"
    keywords = factory.LazyFunction(lambda: ["energietoeslag", "DigiD"])
    rise_signature = factory.Sequence(lambda n: f"buurt:test:{n}")
