import random

from nabij.demo.services import demo_town_load
from nabij.participation import demo
from nabij.participation.models import Input, Project


def test_demo_is_idempotent(db):
    demo_town_load()
    demo.load(rng=random.Random(1))
    counts = (Project.objects.count(), Input.objects.count())
    demo.load(rng=random.Random(1))
    assert counts == (Project.objects.count(), Input.objects.count())
    assert Project.objects.filter(kind="renovatie", is_household_vote=True).exists()
    assert Project.objects.get(kind="vergroening").decisions.exists()
