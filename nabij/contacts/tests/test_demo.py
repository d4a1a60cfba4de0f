"""The demo town shows the separation of issue 13: the welfare organisation and the corporatie both work in
De Akkers, each with its own contacts and residents, and neither sees the other's."""

import random

import pytest

from nabij.accounts.models import User
from nabij.contacts import demo, selectors
from nabij.contacts.models import ContactMoment, Resident, Signal

pytestmark = pytest.mark.django_db


def test_demo_records_belong_to_their_recorders_and_each_organisation_sees_only_its_own_in_de_akkers():
    """One test: loading the demo town is the expensive part."""
    from nabij.demo.services import demo_town_load

    demo_town_load()
    demo.load(rng=random.Random(1950))
    for model, recorder in ((ContactMoment, "worker"), (Signal, "worker"), (Resident, "created_by")):
        rows = model.objects.values_list("organisation_id", f"{recorder}__organisation_id")
        assert rows and all(owner == expected for owner, expected in rows)
    corporatie = User.objects.get(email="corporatie@demo.nabij.example")
    welzijn = User.objects.get(email="buurtwerker@demo.nabij.example")
    akkers = selectors.timeline_buurt_get(user=corporatie, code=demo.AKKERS)
    for user in (corporatie, welzijn):
        page = selectors.buurt_timeline(user=user, buurt=akkers, page_size=100)
        assert page.total > 0
        ids = [e.contact["id"] for e in page.entries if e.contact]
        owners = set(ContactMoment.objects.filter(pk__in=ids).values_list("organisation_id", flat=True))
        assert owners == {user.organisation_id}
    labels = {r.label for r in selectors.resident_choices(user=corporatie)}
    assert labels and not any("energietoeslag" in label for label in labels)
