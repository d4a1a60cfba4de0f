"""Demo data for themes, so that the feature shows itself on first run.

The contacts demo already leans towards the two stories; here they are made unmistakable with a few more
contact moments logged through the contacts service (so they are de-identified like any other):
- De Akkers (BU99500203): residents asking about the energietoeslag and DigiD, ≥ 24 in the last six weeks;
- Zuiderpark (WK995003): eenzaamheid rising in Parkzicht, De Velden and Bloemenbuurt → a wijk theme.
Then the counts are rebuilt and detection runs. Idempotent: the notes below are this module's tag; contact
moments with exactly these notes are removed before they are made again.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from nabij.accounts.models import User
from nabij.contacts.models import ContactMoment
from nabij.contacts.services import contact_moment_create
from nabij.themes.services import themes_rebuild

AKKERS = "BU99500203"
ZUIDERPARK_BUURTEN = ["BU99500301", "BU99500302", "BU99500303"]
WORKERS = {AKKERS: "buurtwerker@demo.nabij.example", "ZUIDERPARK": "corporatie@demo.nabij.example"}

# Without names or numbers, so de-identification keeps them as they are and they can be found again.
ENERGY_NOTES = [
    "Vraagt hoe de energietoeslag werkt; heeft geen DigiD en durft niet te bellen.",
    "Samen naar de energietoeslag gekeken, DigiD-code kwijt. Nieuwe code aangevraagd.",
    "Kent de energietoeslag niet. Brief van de gemeente niet gelezen, lezen is lastig.",
    "Energietoeslag: formulier op papier gevraagd, met DigiD lukt het niet.",
]
LONELY_NOTES = [
    "Voelt zich alleen sinds de kinderen uit huis zijn; zoekt aanspraak.",
    "Komt weinig buiten, kent niemand in de straat. Wil wel naar de koffieochtend.",
    "Eenzaam in de flat, de dagen zijn lang. Interesse in samen eten.",
    "Mist contact met de buren sinds de verhuizing; zou graag iemand ontmoeten.",
]
ENERGY_EXTRA = 14
LONELY_EXTRA = 26
DAYS = 40


def load(*, rng: random.Random) -> None:
    workers = {u.email: u for u in User.objects.filter(email__in=set(WORKERS.values()))}
    if len(workers) == len(set(WORKERS.values())):
        ContactMoment.objects.filter(worker__in=workers.values(), note__in=ENERGY_NOTES + LONELY_NOTES).delete()
        now = timezone.now()
        plan = [(AKKERS, WORKERS[AKKERS], ["energie-geldzaken", "digitale-vaardigheden"], ENERGY_NOTES, ENERGY_EXTRA)]
        plan += [
            (code, WORKERS["ZUIDERPARK"], ["eenzaamheid"], LONELY_NOTES, LONELY_EXTRA) for code in ZUIDERPARK_BUURTEN
        ]
        for buurt, email, topics, notes, count in plan:
            for _ in range(count):
                when = now - timedelta(days=rng.randint(0, DAYS), hours=rng.randint(0, 8), minutes=rng.randint(0, 59))
                moment = contact_moment_create(
                    user=workers[email],
                    buurt=buurt,
                    channel=rng.choice(["straat", "huisbezoek", "spreekuur"]),
                    topics=topics,
                    note=rng.choice(notes),
                    occurred_at=when,
                )
                if moment.organisation_id is None:  # the service sets it from the recorder; never leave it empty
                    ContactMoment.objects.filter(pk=moment.pk).update(organisation_id=workers[email].organisation_id)
    themes_rebuild()
