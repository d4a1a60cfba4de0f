import random

import pytest

from nabij.demo.services import demo_load
from nabij.followup import demo
from nabij.followup.models import Promise, Referral


@pytest.mark.django_db
def test_demo_has_every_state_some_overdue_and_is_idempotent():
    demo_load()
    counts = (Promise.objects.count(), Referral.objects.count())
    assert set(Promise.objects.values_list("status", flat=True)) == set(Promise.Status.values)
    assert Promise.objects.filter(status="open", due_date__lt=demo.rules.local_today()).exists()
    assert {"verwezen", "geholpen"} <= set(Referral.objects.values_list("status", flat=True))
    demo.load(rng=random.Random("20261125-followup"))
    assert (Promise.objects.count(), Referral.objects.count()) == counts
