import random

from nabij.surveys import demo
from nabij.surveys.models import Response, Survey


def test_demo_is_idempotent_and_has_all_channels(db):
    from nabij.demo.services import demo_town_load

    demo_town_load()
    demo.load(rng=random.Random(1))
    demo.load(rng=random.Random(1))
    survey = Survey.objects.get(slug=demo.OPEN_SLUG)
    assert survey.responses.count() == 320
    assert set(survey.responses.values_list("channel", flat=True)) == set(Response.Channel.values)
    assert Survey.objects.get(slug=demo.CLOSED_SLUG).status == Survey.Status.CLOSED
