"""Demo data for the contacts app: about four months of rounds, contacts and observations in Lindervoort.

Patterns for the themes issue to find: in De Akkers (BU99500203) many contacts about energie & geldzaken
mentioning the energietoeslag and DigiD over the last six weeks; eenzaamheid across the whole wijk Zuiderpark.
Notes are fictional, written as a worker would, and go through the same de-identification as real notes.

Two data controllers in one buurt (issue 13): the corporatie (Ruud) also works in De Akkers, with tenant-oriented
notes and a resident file of its own, and no agreement there, so neither organisation sees the other's De Akkers
records. In Parkzicht the welfare coordinator (Marieke) joins residents too: there the demo's
samenwerkingsafspraak shares contact moments both ways. Every record carries its recorder's organisation.
Idempotent: the demo users' own contacts rows are removed and made again (`nabij.demo` runs this only once, or on
`load_demo --rebuild`).
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from nabij.accounts.models import User
from nabij.areas.models import Buurt
from nabij.contacts.models import (
    ContactMoment,
    ContactMomentTopic,
    Resident,
    ResidentConsent,
    Round,
    RoundPlan,
    Signal,
)
from nabij.core.models import Topic
from nabij.core.services import topic_seed_standard
from nabij.demo import town
from nabij.language.services import deidentify

WEEKS = 17
AKKERS = "BU99500203"
ZUIDERPARK = "WK995003"

# (name, weekday, start hour, buurten, owner e-mail)
PLANS = [
    ("dinsdag 10–12, Rietlanden en De Akkers", 1, 10, ["BU99500201", "BU99500203"], "buurtwerker@demo.nabij.example"),
    (
        "donderdag 13–15, Vogelbuurt en Rietlanden-West",
        3,
        13,
        ["BU99500204", "BU99500202"],
        "buurtwerker@demo.nabij.example",
    ),
    (
        "maandag 10–12, Kerkbuurt en Havenkwartier",
        0,
        10,
        ["BU99500101", "BU99500102"],
        "opbouwwerker@demo.nabij.example",
    ),
    ("woensdag 14–16, Parkzicht en De Velden", 2, 14, ["BU99500301", "BU99500302"], "corporatie@demo.nabij.example"),
    ("vrijdag 10–12, Bloemenbuurt", 4, 10, ["BU99500303"], "corporatie@demo.nabij.example"),
]

# (topics, note) — names, streets and numbers are fictional and are removed by de-identification.
GENERAL = [
    (["wonen-onderhoud"], "Schimmel in de badkamer, al twee keer gemeld bij de corporatie. Meneer Dekker is het zat."),
    (["groen-openbare-ruimte"], "Bewoners willen een moestuinbak bij het speelveld. Wil zelf meehelpen."),
    (["jeugd"], "Jongeren vragen om een plek om te sporten in de avond."),
    (["taal"], "Mevrouw Öztürk wil graag naar een taalcafé, weet niet waar dat is."),
    (["digitale-vaardigheden"], "Vraagt hulp bij het invullen van formulieren op de computer."),
    (["veiligheid"], "Zorgen over hard rijden in de straat, vooral bij de school."),
    (["gezondheid-zorg"], "Mantelzorger voor haar moeder, loopt op haar tandvlees. Bel 06-23456789 terug."),
    (["werk-inkomen"], "Zoekt vrijwilligerswerk om weer ritme te krijgen."),
    (["ontmoeting-activiteiten"], "Enthousiast over de buurtmaaltijd, wil volgende keer koken."),
    (["overlast"], "Geluidsoverlast van de bovenburen, wil geen ruzie."),
    ([], "Kort praatje bij de supermarkt, gaat goed met hem."),
    (["energie-geldzaken"], "Schulden bij de energieleverancier, durft de post niet meer te openen."),
]
AKKERS_ENERGY = [
    "Mevrouw de Wit weet niet hoe ze de energietoeslag moet aanvragen, heeft geen DigiD.",
    "Energietoeslag aangevraagd? Nee, DigiD werkt niet meer sinds nieuwe telefoon.",
    "Hoge energierekening, vraagt naar de energietoeslag. Wil hulp met DigiD-activatie.",
    "Buurman Pieter Smit helpt anderen met de energietoeslag, maar loopt vast op DigiD.",
    "Drie buren op de galerij vragen naar de energietoeslag; niemand heeft een werkende DigiD.",
    "Brief over energietoeslag niet begrepen. Afspraak gemaakt voor hulp bij DigiD.",
]
LONELY = [
    "Woont alleen sinds haar man overleed, spreekt bijna niemand meer.",
    "Meneer Jansen (82) komt de deur nauwelijks uit, kinderen wonen ver weg.",
    "Zegt dat de dagen lang zijn; wil wel naar de koffieochtend als iemand meegaat.",
    "Eenzaam na verhuizing naar de flat, kent de buren niet.",
    "Weinig contact met anderen, vindt het fijn dat we even langskomen.",
]
SIGNALS = [
    ("groen-openbare-ruimte", "Lantaarnpaal kapot op de hoek bij het speelveld."),
    ("groen-openbare-ruimte", "Zwerfvuil rond de containers."),
    ("jeugd", "Groep jongeren 's avonds bij de speeltuin, geen overlast gezien."),
    ("veiligheid", "Stoeptegels los voor de ingang van de flat."),
    ("wonen-onderhoud", "Portiekdeur sluit niet meer."),
]
CHANNELS = ["straat", "straat", "straat", "huisbezoek", "spreekuur", "buurthuis", "telefoon"]
# The corporatie's own notes in De Akkers: about the home and the tenancy, fictional.
CORPORATIE_AKKERS = [
    (["wonen-onderhoud"], "Huurder meldt vocht in de slaapkamer; inspectie ingepland met de opzichter."),
    (["wonen-onderhoud"], "Galerijverlichting defect, bewoners voelen zich 's avonds onveilig. Storing gemeld."),
    (["overlast"], "Klacht over geluid van de buren; huurder wil eerst zelf het gesprek aangaan."),
    (
        ["energie-geldzaken"],
        "Huurachterstand van twee maanden; betalingsregeling besproken, doorverwijzen naar schuldhulp.",
    ),
    (
        ["wonen-onderhoud"],
        "Vraag over het aanpassen van de douche voor een rollator; aanvraag WMO-aanpassing uitgelegd.",
    ),
    (["groen-openbare-ruimte"], "Bewonerscommissie wil het binnenterrein vergroenen; uitgenodigd voor het project."),
]
CORPORATIE = "corporatie@demo.nabij.example"
COORDINATOR = "coordinator@demo.nabij.example"
PARKZICHT = "BU99500301"


def _clear(users: list[User]) -> None:
    ContactMoment.objects.filter(worker__in=users).delete()
    Signal.objects.filter(worker__in=users).delete()
    Round.objects.filter(worker__in=users).delete()
    RoundPlan.objects.filter(owner__in=users).delete()
    Resident.objects.filter(created_by__in=users).delete()


def load(*, rng: random.Random) -> None:
    users = {u.email: u for u in User.objects.filter(email__in=[row[0] for row in town.USERS])}
    if not users:
        return
    _clear(list(users.values()))
    buurten = {b.code: b for b in Buurt.objects.filter(gemeente_id=town.GEMEENTE[0]).defer("geometry")}
    topic_seed_standard()
    topics = {t.slug: t for t in Topic.objects.all()}
    now = timezone.now()
    today = timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())

    residents = []
    resident_rows = [
        (AKKERS, "bewoonster De Akkers, energietoeslag", "buurtwerker@demo.nabij.example"),
        ("BU99500302", "oudere meneer De Velden", "buurtwerker@demo.nabij.example"),
        (AKKERS, "huurder galerijflat De Akkers, vocht", CORPORATIE),
    ]
    for code, label, email in resident_rows:
        recorder = users.get(email)
        if recorder is None:
            continue
        resident = Resident.objects.create(
            label=label,
            buurt=buurten[code],
            consent=True,
            consent_date=today - timedelta(days=30),
            consent_recorded_by=recorder,
            created_by=recorder,
            organisation_id=recorder.organisation_id,
        )
        ResidentConsent.objects.create(
            resident=resident,
            organisation_id=resident.organisation_id,
            given=True,
            at=now - timedelta(days=30),
            recorded_by=recorder,
        )
        residents.append(resident)
    tenant = next((r for r in residents if r.created_by_id == getattr(users.get(CORPORATIE), "pk", None)), None)

    moments: list[tuple[ContactMoment, list[str]]] = []
    signals: list[Signal] = []
    for name, weekday, hour, codes, owner_email in PLANS:
        owner = users[owner_email]
        plan = RoundPlan.objects.create(
            name=name,
            weekday=weekday,
            start_time=time(hour),
            end_time=time(hour + 2),
            owner=owner,
            team=owner.team,
        )
        plan.buurten.set([buurten[c] for c in codes])
        for week in range(WEEKS, -1, -1):
            day = this_monday - timedelta(weeks=week) + timedelta(days=weekday)
            start = timezone.make_aware(datetime.combine(day, time(hour, rng.randint(0, 15))))
            if start > now or rng.random() < 0.15:  # not every planned round is walked
                continue
            round_ = Round.objects.create(
                plan=plan, worker=owner, started_at=start, ended_at=start + timedelta(hours=2)
            )
            round_.buurten.set([buurten[c] for c in codes])
            for _ in range(rng.randint(2, 5)):
                code = rng.choice(codes)
                topic_slugs, note = rng.choice(GENERAL)
                if code.startswith("BU995003") and rng.random() < 0.5:
                    topic_slugs, note = ["eenzaamheid"], rng.choice(LONELY)
                if code == AKKERS and week < 6 and rng.random() < 0.7:
                    topic_slugs, note = ["energie-geldzaken", "digitale-vaardigheden"], rng.choice(AKKERS_ENERGY)
                when = start + timedelta(minutes=rng.randint(5, 115))
                moments.append(
                    (
                        ContactMoment(
                            buurt=buurten[code],
                            occurred_at=when,
                            channel="straat",
                            note=note,
                            worker=owner,
                            round=round_,
                            needs_follow_up=rng.random() < 0.2,
                            resident=residents[0] if code == AKKERS and rng.random() < 0.2 else None,
                            organisation_id=owner.organisation_id,
                        ),
                        topic_slugs,
                    )
                )
            if rng.random() < 0.5:
                slug, note = rng.choice(SIGNALS)
                signals.append(
                    Signal(
                        buurt=buurten[rng.choice(codes)],
                        topic=topics[slug],
                        note=note,
                        occurred_at=start + timedelta(minutes=rng.randint(5, 115)),
                        status=rng.choice(["gemeld", "doorgezet", "opgelost"]),
                        worker=owner,
                        round=round_,
                        organisation_id=owner.organisation_id,
                    )
                )
    # Contacts outside rounds: spreekuur, phone calls, the buurthuis.
    for _ in range(120):
        email, code = rng.choice(
            [
                ("buurtwerker@demo.nabij.example", AKKERS),
                ("buurtwerker@demo.nabij.example", rng.choice(["BU99500201", "BU99500202", "BU99500204"])),
                ("opbouwwerker@demo.nabij.example", rng.choice(["BU99500101", "BU99500102"])),
                ("corporatie@demo.nabij.example", rng.choice(["BU99500301", "BU99500302", "BU99500303"])),
            ]
        )
        days_ago = rng.randint(0, WEEKS * 7)
        topic_slugs, note = rng.choice(GENERAL)
        if code.startswith("BU995003") and rng.random() < 0.5:
            topic_slugs, note = ["eenzaamheid"], rng.choice(LONELY)
        if code == AKKERS and days_ago < 42 and rng.random() < 0.8:
            topic_slugs, note = ["energie-geldzaken"], rng.choice(AKKERS_ENERGY)
        when = now - timedelta(days=days_ago, hours=rng.randint(0, 6), minutes=rng.randint(0, 59))
        moments.append(
            (
                ContactMoment(
                    buurt=buurten[code],
                    occurred_at=when,
                    channel=rng.choice(CHANNELS[3:]),
                    note=note,
                    worker=users[email],
                    organisation_id=users[email].organisation_id,
                ),
                topic_slugs,
            )
        )
    moments += _other_controllers(rng, users, buurten, now, tenant)

    cache: dict[str, str] = {}
    for moment, _slugs in moments:
        moment.note = cache.setdefault(moment.note, deidentify(moment.note))
    for signal in signals:
        signal.note = cache.setdefault(signal.note, deidentify(signal.note))
    created = ContactMoment.objects.bulk_create([m for m, _ in moments])
    ContactMomentTopic.objects.bulk_create(
        [
            ContactMomentTopic(contact_moment=m, topic=topics[slug])
            for m, (_, slugs) in zip(created, moments, strict=True)
            for slug in slugs
        ]
    )
    Signal.objects.bulk_create(signals)


def _other_controllers(rng: random.Random, users: dict, buurten: dict, now, tenant: Resident | None) -> list:
    """The corporatie's own contact moments in De Akkers (no agreement there: the welfare organisation never sees
    them, nor they the welfare's) and the welfare coordinator's in Parkzicht (shared under the agreement)."""
    rows: list[tuple[ContactMoment, list[str]]] = []
    plan = [
        (CORPORATIE, AKKERS, CORPORATIE_AKKERS, 18),
        (COORDINATOR, PARKZICHT, [(["eenzaamheid"], n) for n in LONELY], 12),
    ]
    for email, code, notes, count in plan:
        worker = users.get(email)
        if worker is None:
            continue
        for index in range(count):
            topic_slugs, note = rng.choice(notes)
            when = now - timedelta(days=rng.randint(0, WEEKS * 7), hours=rng.randint(0, 6))
            rows.append(
                (
                    ContactMoment(
                        buurt=buurten[code],
                        occurred_at=when,
                        channel=rng.choice(["huisbezoek", "spreekuur", "telefoon"]),
                        note=note,
                        worker=worker,
                        needs_follow_up=index % 3 == 0,
                        resident=tenant if email == CORPORATIE and index % 4 == 0 else None,
                        organisation_id=worker.organisation_id,
                    ),
                    topic_slugs,
                )
            )
    return rows
