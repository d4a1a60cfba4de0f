import random

from nabij.assets import demo
from nabij.assets.models import Initiative, Place
from nabij.demo.services import demo_load


def test_demo_load_is_idempotent(db):
    demo_load()
    counts = (Initiative.objects.count(), Place.objects.count())
    demo.load(rng=random.Random(1))

    assert (Initiative.objects.count(), Place.objects.count()) == counts
    assert counts[0] > 0
