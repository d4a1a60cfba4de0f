"""A small town for the theme story: gemeente with wijk "Rietlanden" (4 buurten) and wijk "Oude Kern" (3 buurten),
20 weeks of ordinary background contacts, and helpers to add contacts about a topic."""

from datetime import timedelta

from django.utils import timezone

import pytest

from nabij.contacts.tests.factories import (
    BuurtFactory,
    ContactMomentFactory,
    GemeenteFactory,
    UserFactory,
    WijkFactory,
)
from nabij.core.models import Topic

ENERGY = [
    "Weet niet hoe de energietoeslag aan te vragen, heeft geen DigiD.",
    "Vraagt naar de energietoeslag; DigiD werkt niet.",
    "Brief over de energietoeslag niet begrepen, hulp met DigiD gevraagd.",
]
BACKGROUND = [
    ("wonen-onderhoud", "Schimmel in de badkamer, corporatie gebeld."),
    ("groen-openbare-ruimte", "Wil een moestuinbak bij het speelveld."),
    ("jeugd", "Jongeren vragen om een plek om te sporten."),
    ("ontmoeting-activiteiten", "Enthousiast over de buurtmaaltijd."),
    ("overlast", "Geluidsoverlast van de bovenburen."),
]


def add_contacts(buurt, slug: str, n: int, *, days: tuple[int, int] = (0, 41), notes=None, worker=None, start=0):
    """n contact moments about `slug` in `buurt`, spread over `days` ago (inclusive), without a resident."""
    topic = Topic.objects.get(slug=slug)
    worker = worker or UserFactory()
    lo, hi = days
    now = timezone.now()
    moments = []
    for i in range(n):
        days_ago = lo + ((i + start) * 7) % (hi - lo + 1) if hi > lo else lo
        note = (notes or [f"Praatje over {slug}."])[i % len(notes or [1])]
        moments.append(
            ContactMomentFactory(
                buurt=buurt,
                occurred_at=now - timedelta(days=days_ago, hours=1),
                note=note,
                worker=worker,
                organisation=worker.organisation,  # what the contacts service sets from the recording worker
                topics=[topic],
            )
        )
    return moments


@pytest.fixture
def town(db):
    gemeente = GemeenteFactory(code="GM7700", name="Teststad")
    riet = WijkFactory(gemeente=gemeente, code="WK770002", name="Rietlanden")
    kern = WijkFactory(gemeente=gemeente, code="WK770001", name="Oude Kern")
    buurten = {}
    for code, name, wijk in [
        ("BU77000201", "Rietlanden-Oost", riet),
        ("BU77000202", "Rietlanden-West", riet),
        ("BU77000203", "De Akkers", riet),
        ("BU77000204", "Vogelbuurt", riet),
        ("BU77000101", "Kerkbuurt", kern),
        ("BU77000102", "Havenkwartier", kern),
        ("BU77000103", "Molenwijk", kern),
    ]:
        buurten[code] = BuurtFactory(code=code, name=name, wijk=wijk, gemeente=gemeente, inhabitants=2000)
    worker = UserFactory()
    for b_index, buurt in enumerate(buurten.values()):
        for j, (slug, note) in enumerate(BACKGROUND):
            add_contacts(buurt, slug, 3, days=(0, 140), notes=[note], worker=worker, start=b_index + j)
    return {"gemeente": gemeente, "riet": riet, "kern": kern, "buurten": buurten, "worker": worker}


@pytest.fixture
def akkers(town):
    return town["buurten"]["BU77000203"]


@pytest.fixture
def energy_story(town, akkers):
    """24 contacts about energie & geldzaken in De Akkers in six weeks; the other buurten one or two."""
    add_contacts(akkers, "energie-geldzaken", 24, days=(0, 41), notes=ENERGY, worker=town["worker"])
    for i, buurt in enumerate(b for code, b in town["buurten"].items() if code != akkers.code):
        add_contacts(buurt, "energie-geldzaken", 1 + i % 2, days=(0, 120), worker=town["worker"], start=i)
    return town


@pytest.fixture
def coordinator(town):
    user = UserFactory(role="coordinator")
    user.scope_gemeenten.set([town["gemeente"]])
    return user


@pytest.fixture
def akkers_coordinator(akkers):
    return UserFactory(role="coordinator", buurten=[akkers])
