"""A lived-in sociale kaart for the demo town Lindervoort: fictional organisations, initiatives, places and
key figures. The welfare organisation and the corporatie are on the kaart too, linked to their Nabij
organisation (`Provider.nabij_organisation`), so that a referral to them with consent reaches their staff. Key
figures belong to the welfare organisation that keeps them. Idempotent: rows are found by name (or label) and
brought back to these values."""

from __future__ import annotations

import random

from django.utils import timezone

from nabij.accounts.models import Organisation
from nabij.areas.models import Buurt, Wijk
from nabij.assets.models import Initiative, KeyFigure, Place, Provider
from nabij.assets.search_index import search_vector_refresh
from nabij.core.models import Topic
from nabij.language.wordforms import text_keys

PROVIDERS = [
    # name, kind, description, area codes (BU… buurten, WK… whole wijken), topics, public
    (
        "Schuldhulp Lindervoort",
        "schuldhulp",
        "Hulp bij rekeningen en schulden. Gratis en zonder wachtlijst.",
        [
            "BU99500101",
            "BU99500102",
            "BU99500103",
            "BU99500201",
            "BU99500202",
            "BU99500203",
            "BU99500204",
            "BU99500301",
            "BU99500302",
            "BU99500303",
        ],
        ["energie-geldzaken", "werk-inkomen"],
        True,
    ),
    (
        "Taalhuis Lindervoort",
        "taalhuis",
        "Taallessen en hulp met lezen en schrijven, in de bibliotheek.",
        ["BU99500101", "BU99500102", "BU99500103"],
        ["taal", "digitale-vaardigheden"],
        True,
    ),
    (
        "Digi-café Rietlanden",
        "digitaal",
        "Elke woensdag hulp met de computer, telefoon en DigiD.",
        ["WK995002"],
        ["digitale-vaardigheden"],
        True,
    ),
    (
        "Sociaal wijkteam Zuiderpark",
        "wijkteam",
        "Voor vragen over zorg, geld, wonen en opvoeden.",
        ["WK995003"],
        ["gezondheid-zorg", "jeugd"],
        False,
    ),
    (
        "Voedselbank Lindervoort",
        "voedselbank",
        "Voedselpakketten voor wie het even niet redt.",
        ["BU99500101", "BU99500201", "BU99500301"],
        ["energie-geldzaken"],
        True,
    ),
    (
        "Welzijn Lindervoort",
        "welzijn",
        "Buurtwerk, ouderenwerk en hulp bij vragen over geld, eenzaamheid en meedoen.",
        ["GM9950"],
        ["eenzaamheid", "energie-geldzaken", "ontmoeting-activiteiten"],
        True,
    ),
    (
        "Woonstichting De Linde",
        "woningcorporatie",
        "Verhuurt woningen in Lindervoort. Voor reparaties, huur en woonvragen.",
        ["WK995002", "WK995003"],
        ["wonen-onderhoud"],
        True,
    ),
]
# Providers that are a Nabij organisation of the demo (provider name → organisation name).
NABIJ_ORGANISATIONS = {"Welzijn Lindervoort": "Welzijn Lindervoort", "Woonstichting De Linde": "Woonstichting De Linde"}
KEY_FIGURE_KEEPER = "Welzijn Lindervoort"
INITIATIVES = [
    # name, description, buurten, topics, status, needs, public
    (
        "Moestuin De Akkers",
        "Buren kweken samen groente achter het buurthuis.",
        ["BU99500203"],
        ["groen-openbare-ruimte", "ontmoeting-activiteiten"],
        "actief",
        ["vrijwilligers", "materiaal"],
        True,
    ),
    (
        "Koffieochtend Vogelbuurt",
        "Elke dinsdag koffie en een praatje in het buurthuis.",
        ["BU99500204"],
        ["eenzaamheid", "ontmoeting-activiteiten"],
        "actief",
        ["bekendheid"],
        True,
    ),
    (
        "Taalmaatjes Rietlanden",
        "Buren oefenen samen Nederlands praten.",
        ["BU99500201", "BU99500202"],
        ["taal"],
        "actief",
        ["vrijwilligers"],
        False,
    ),
    (
        "Klusgroep Kerkbuurt",
        "Handige buren helpen met kleine klussen in huis.",
        ["BU99500101"],
        ["wonen-onderhoud"],
        "slapend",
        ["geld", "materiaal"],
        False,
    ),
    (
        "Buurtpreventie Parkzicht",
        "Bewoners lopen samen een avondronde.",
        ["BU99500301"],
        ["veiligheid"],
        "idee",
        ["ruimte"],
        False,
    ),
    (
        "Buurtbuik Rietlanden",
        "Een keer per maand eten buren samen. Iedereen kookt mee of schuift aan.",
        ["BU99500201", "BU99500202"],
        ["eenzaamheid", "ontmoeting-activiteiten"],
        "actief",
        ["ruimte", "geld"],
        True,
    ),
    (
        "Energieclub Rietlanden-West",
        "Buren helpen elkaar met de energierekening en tochtstrips.",
        ["BU99500202"],
        ["energie-geldzaken", "wonen-onderhoud"],
        "idee",
        ["vrijwilligers", "bekendheid"],
        True,
    ),
    (
        "Repair Café Havenkwartier",
        "Samen kapotte spullen maken in plaats van weggooien.",
        ["BU99500102"],
        ["ontmoeting-activiteiten", "energie-geldzaken"],
        "actief",
        ["materiaal", "bekendheid"],
        True,
    ),
    (
        "Huiswerkklas Molenwijk",
        "Studenten uit de buurt helpen kinderen met huiswerk.",
        ["BU99500103"],
        ["jeugd", "taal"],
        "actief",
        ["ruimte", "vrijwilligers"],
        True,
    ),
    (
        "Geveltuintjes Bloemenbuurt",
        "Buren maken samen groene stoepen met plantjes tegen de gevel.",
        ["BU99500303"],
        ["groen-openbare-ruimte"],
        "actief",
        ["materiaal"],
        True,
    ),
    (
        "Wandelgroep De Velden",
        "Elke vrijdag een uur wandelen en daarna koffie.",
        ["BU99500302"],
        ["gezondheid-zorg", "eenzaamheid"],
        "slapend",
        ["bekendheid"],
        True,
    ),
    (
        "Buurtsportclub Sportpark",
        "Sporten in de buitenlucht voor jong en oud.",
        ["BU99500304"],
        ["jeugd", "gezondheid-zorg"],
        "gestopt",
        ["vrijwilligers", "geld"],
        False,
    ),
]
PLACES = [
    # name, kind, buurt, description, topics, wheelchair, toilet, public
    (
        "Buurthuis De Akker",
        "buurthuis",
        "BU99500203",
        "Koffie, eettafel en activiteiten voor iedereen.",
        ["ontmoeting-activiteiten"],
        True,
        True,
        True,
    ),
    (
        "Bibliotheek Lindervoort",
        "bibliotheek",
        "BU99500101",
        "Boeken, computers en het Taalhuis.",
        ["taal", "digitale-vaardigheden"],
        True,
        True,
        True,
    ),
    (
        "Speeltuin Vogelbuurt",
        "speeltuin",
        "BU99500204",
        "Speeltuin met bankjes, beheerd door buren.",
        ["jeugd"],
        True,
        False,
        True,
    ),
    (
        "Bankje bij de vijver",
        "bankje",
        "BU99500302",
        "Hier zitten ouderen graag in de zon.",
        ["eenzaamheid"],
        True,
        False,
        False,
    ),
    (
        "Buurthuis Rietlanden",
        "buurthuis",
        "BU99500201",
        "Spreekuur, koffie en een computer om te gebruiken.",
        ["ontmoeting-activiteiten", "digitale-vaardigheden"],
        True,
        True,
        True,
    ),
    (
        "Pleintje Rietlanden-West",
        "plein",
        "BU99500202",
        "Plein met bankjes, een jeu-de-boulesbaan en een buurtbibliotheekkastje.",
        ["ontmoeting-activiteiten", "groen-openbare-ruimte"],
        True,
        False,
        True,
    ),
    (
        "Moskee Al Fath",
        "gebedshuis",
        "BU99500102",
        "Open huis op zaterdag; ook taalles voor vrouwen.",
        ["taal", "ontmoeting-activiteiten"],
        False,
        True,
        True,
    ),
    (
        "Basisschool De Molen",
        "school",
        "BU99500103",
        "Na schooltijd huiswerkklas en sport op het schoolplein.",
        ["jeugd"],
        True,
        True,
        True,
    ),
    (
        "Wijkcentrum Parkzicht",
        "buurthuis",
        "BU99500301",
        "Zaal voor activiteiten, spreekuur van het wijkteam.",
        ["ontmoeting-activiteiten", "gezondheid-zorg"],
        True,
        True,
        True,
    ),
    (
        "Speelveld Bloemenbuurt",
        "speeltuin",
        "BU99500303",
        "Voetbalkooi en speeltoestellen voor kinderen tot 12 jaar.",
        ["jeugd"],
        True,
        False,
        True,
    ),
]
KEY_FIGURES = [
    (
        "buurtmoeder De Akkers",
        "BU99500203",
        "vrijwilliger eettafel",
        "Kan goed koken voor grote groepen.",
        ["ontmoeting-activiteiten"],
    ),
    ("taalvrouw Rietlanden-Oost", "BU99500201", "tolk bij de koffieochtend", "Spreekt Turks en Arabisch.", ["taal"]),
    ("klusman Kerkbuurt", "BU99500101", "", "Handig met computers en fietsen.", ["digitale-vaardigheden"]),
]


def _keys(*parts: str) -> str:
    return " " + " ".join(text_keys(" ".join(parts))) + " "


def _topics(slugs):
    return list(Topic.objects.filter(slug__in=slugs))


def _centre(buurt: Buurt, rng: random.Random):
    """A point near the middle of the buurt outline, or None when the buurt has no geometry."""
    geometry = buurt.geometry or {}
    coords = []

    def walk(value):
        if isinstance(value, list) and value and isinstance(value[0], (int, float)):
            coords.append(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(geometry.get("coordinates", []))
    if not coords:
        return None, None
    lon = sum(c[0] for c in coords) / len(coords) + rng.uniform(-0.0005, 0.0005)
    lat = sum(c[1] for c in coords) / len(coords) + rng.uniform(-0.0005, 0.0005)
    return round(lat, 6), round(lon, 6)


def load(*, rng: random.Random) -> None:
    buurten = {b.code: b for b in Buurt.objects.filter(code__startswith="BU995")}
    wijken = {w.code: w for w in Wijk.objects.filter(code__startswith="WK995")}
    organisations = {o.name: o for o in Organisation.objects.all()}
    for name, kind, description, codes, topics, public in PROVIDERS:
        topic_objs = _topics(topics)
        provider, _ = Provider.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "description": description,
                "is_public": public,
                "opening_hours": "ma–vr 9.00–17.00",
                "phone": "0900-1234567",
                "referral_method": "warme-overdracht",
                "referral_contact": "intake",
                "search_text": _keys(name, description, *(t.label for t in topic_objs)),
                "nabij_organisation": organisations.get(NABIJ_ORGANISATIONS.get(name, "")),
            },
        )
        if any(c.startswith("GM") for c in codes):  # the whole gemeente: every wijk
            codes = [*codes, *wijken]
        provider.buurten.set([buurten[c] for c in codes if c in buurten])
        provider.wijken.set([wijken[c] for c in codes if c in wijken])
        provider.topics.set(topic_objs)
    for name, description, codes, topics, status, needs, public in INITIATIVES:
        topic_objs = _topics(topics)
        initiative, _ = Initiative.objects.update_or_create(
            name=name,
            defaults={
                "description": description,
                "status": status,
                "needs": needs,
                "is_public": public,
                "search_text": _keys(name, description, *(t.label for t in topic_objs)),
            },
        )
        initiative.buurten.set([buurten[c] for c in codes if c in buurten])
        initiative.topics.set(topic_objs)
    for name, kind, code, description, topics, wheelchair, toilet, public in PLACES:
        if code not in buurten:
            continue
        topic_objs = _topics(topics)
        lat, lon = _centre(buurten[code], rng)
        place, _ = Place.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "buurt": buurten[code],
                "description": description,
                "latitude": lat,
                "longitude": lon,
                "wheelchair_accessible": wheelchair,
                "has_toilet": toilet,
                "is_public": public,
                "search_text": _keys(name, description, *(t.label for t in topic_objs)),
            },
        )
        place.topics.set(topic_objs)
    today = timezone.localdate()
    for label, code, role, gifts, topics in KEY_FIGURES:
        if code not in buurten:
            continue
        topic_objs = _topics(topics)
        figure, _ = KeyFigure.objects.update_or_create(
            label=label,
            defaults={
                "buurt": buurten[code],
                "role": role,
                "gifts": gifts,
                "consent_date": today,
                "search_text": _keys(label, gifts, role, *(t.label for t in topic_objs)),
                "organisation": organisations.get(KEY_FIGURE_KEEPER),
            },
        )
        figure.topics.set(topic_objs)
    for model in (Provider, Initiative, Place, KeyFigure):
        search_vector_refresh(model=model)
