"""Demo data for follow-up: about four months of promises and referrals by the demo workers, in every state.

The story for the dashboards: Sanne (Rietlanden) keeps most promises on time; Youssef (Oude Kern) has a few
overdue and one handed over to Sanne; Ruud (corporatie) refers a lot but seldom hears back. Some promises start
from the demo contacts that need follow-up; referrals go to organisations from the demo sociale kaart.
Every promise and referral carries its recorder's organisation (the corporatie's De Akkers promises stay its
own). Idempotent: the demo users' promises and referrals are removed and made again. Texts are fictional and hold
no names, so they are stored as written.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from nabij.accounts.models import User
from nabij.assets.models import Provider
from nabij.contacts.models import ContactMoment
from nabij.core.models import Topic
from nabij.followup import rules
from nabij.followup.models import Promise, PromiseHandover, Referral, ReferralStatusChange

SANNE = "buurtwerker@demo.nabij.example"
YOUSSEF = "opbouwwerker@demo.nabij.example"
RUUD = "corporatie@demo.nabij.example"
MARIEKE = "coordinator@demo.nabij.example"  # her promises in Parkzicht are shared under the demo agreement

PROMISES = [
    "Uitzoeken hoe de energietoeslag dit jaar werkt en terugbellen",
    "Folder van het Digi-café langsbrengen",
    "Navragen bij de corporatie wanneer de schimmel wordt aangepakt",
    "Samen het formulier voor de kwijtschelding invullen",
    "Contact leggen met de taalmaatjes",
    "Terugkomen op de vraag over een moestuinbak bij het speelveld",
    "Informatie over de koffieochtend in het buurthuis geven",
    "Bij de gemeente navragen wanneer de lantaarnpaal wordt gerepareerd",
    "Een afspraak maken bij het spreekuur van het wijkteam",
    "Uitzoeken of er een sportplek voor jongeren in de avond kan komen",
]
FAILURES = [
    "Regeling bestaat niet meer",
    "Corporatie reageert niet; opnieuw aangekaart via de coördinator",
    "Bewoner was verhuisd",
]
GROUPS = ["ouders van het speelveld", "bewoners van de flat aan het plein", "jongeren bij het trapveld"]

# (worker e-mail, promises, share kept, share kept on time, overdue open, referrals, share heard back)
PROFILES = [
    (SANNE, 36, 0.85, 0.8, 1, 14, 0.8),
    (YOUSSEF, 24, 0.65, 0.55, 4, 8, 0.6),
    (RUUD, 16, 0.6, 0.5, 2, 12, 0.3),
    (MARIEKE, 4, 0.75, 0.75, 1, 0, 0.0),
]


def _aware(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour=hour)))


def load(*, rng: random.Random) -> None:
    users = {u.email: u for u in User.objects.filter(email__in=[p[0] for p in PROFILES])}
    if not users:
        return
    Promise.objects.filter(owner__in=users.values()).delete()
    Promise.objects.filter(created_by__in=users.values()).delete()
    Referral.objects.filter(worker__in=users.values()).delete()
    today = rules.local_today()
    topics = list(Topic.objects.filter(is_active=True))
    for email, count, kept_share, on_time_share, overdue_open, referral_count, heard_share in PROFILES:
        user = users.get(email)
        if user is None:
            continue
        buurten = list(user.scope_buurten.all()) or []
        moments = list(
            ContactMoment.objects.filter(worker=user, needs_follow_up=True)
            .select_related("buurt", "resident")
            .order_by("occurred_at")[:count]
        )
        if not buurten and moments:
            buurten = sorted({m.buurt for m in moments}, key=lambda b: b.code)  # where they work, not all they see
        if not buurten and not moments:
            from nabij.core.permissions import buurten_visible_to

            buurten = list(buurten_visible_to(user).filter(is_water=False)[:4])
        _promises(rng, user, users, count, kept_share, on_time_share, overdue_open, moments, buurten, today)
        _referrals(rng, user, referral_count, heard_share, moments, buurten, topics, today)


def _promises(rng, user, users, count, kept_share, on_time_share, overdue_open, moments, buurten, today) -> None:
    for index in range(count):
        moment = moments[index] if index < len(moments) and rng.random() < 0.7 else None
        buurt = moment.buurt if moment else rng.choice(buurten) if buurten else None
        if buurt is None:
            return
        created = today - timedelta(days=rng.randint(1, 115))
        due = created + timedelta(days=rng.choice([0, 1, 2, 5, 7, 10]))
        promise = Promise(
            description=rng.choice(PROMISES),
            buurt=buurt,
            resident=moment.resident if moment else None,
            group_label="" if moment else rng.choice(GROUPS + [""]),
            contact_moment=moment,
            owner=user,
            created_by=user,
            due_date=due,
            organisation_id=user.organisation_id,
        )
        roll = rng.random()
        if not rules.is_overdue(due, today=today):
            pass  # still open, not overdue yet
        elif index < overdue_open:
            promise.due_date = today - timedelta(days=rng.randint(1, 6))
        elif roll < kept_share:
            late = rng.random() > on_time_share / kept_share
            kept_day = due + timedelta(days=rng.randint(1, 6)) if late else due - timedelta(days=rng.randint(0, 2))
            kept_day = min(max(kept_day, created), today)
            promise.status = Promise.Status.NAGEKOMEN
            promise.kept_at = promise.closed_at = _aware(kept_day, rng.randint(9, 17))
            promise.kept_note = rng.choice(["", "Samen gedaan", "Gebeld en uitgelegd", "Langsgebracht"])
        else:
            promise.status = Promise.Status.NIET_GELUKT
            promise.failure_reason = rng.choice(FAILURES)
            promise.resident_told = rng.random() < 0.7
            promise.closed_at = _aware(due + timedelta(days=1), 10)
        promise.save()
        Promise.objects.filter(pk=promise.pk).update(created_at=_aware(created, 11))
    # Two open promises for this week and one for today, so "Mijn beloftes" has all its groups.
    for offset, text in ((0, PROMISES[1]), (2, PROMISES[4]), (9, PROMISES[6])):
        if buurten or moments:
            buurt = moments[0].buurt if moments else buurten[0]
            Promise.objects.create(
                description=text,
                buurt=buurt,
                owner=user,
                created_by=user,
                due_date=today + timedelta(days=offset),
                organisation_id=user.organisation_id,
            )
    if user.email == YOUSSEF and SANNE in users:
        sanne = users[SANNE]
        promise = Promise.objects.filter(owner=user, status=Promise.Status.OPEN).order_by("due_date").last()
        if promise is not None:
            PromiseHandover.objects.create(
                promise=promise, from_user=user, to_user=sanne, by=user, note="Sanne ziet de bewoner donderdag"
            )
            Promise.objects.filter(pk=promise.pk).update(owner=sanne, status=Promise.Status.OVERGEDRAGEN)


def _referrals(rng, user, count, heard_share, moments, buurten, topics, today) -> None:
    outcomes = [
        Referral.Status.GEHOLPEN,
        Referral.Status.GEHOLPEN,
        Referral.Status.NIET_GEHOLPEN,
        Referral.Status.ONBEKEND,
        Referral.Status.CONTACT_GELEGD,
    ]
    for index in range(count):
        moment = moments[-(index + 1)] if index < len(moments) and rng.random() < 0.6 else None
        buurt = moment.buurt if moment else rng.choice(buurten) if buurten else None
        if buurt is None:
            return
        providers = list(Provider.objects.filter(Q(buurten=buurt) | Q(wijken=buurt.wijk_id)).distinct()[:5]) or list(
            Provider.objects.all()[:5]
        )
        if not providers or not topics:
            return
        provider = rng.choice(providers)
        provider_topics = list(provider.topics.all()) or topics
        created = today - timedelta(days=rng.randint(2, 100))
        warm = rng.random() < 0.4
        referral = Referral.objects.create(
            provider=provider,
            topic=rng.choice(provider_topics),
            buurt=buurt,
            resident=moment.resident if moment else None,
            contact_moment=moment,
            warm=warm,
            consent_to_share=warm or rng.random() < 0.5,
            navragen_op=created + timedelta(days=rules.NAVRAGEN_DEFAULT_DAYS),
            worker=user,
            organisation_id=user.organisation_id,
        )
        Referral.objects.filter(pk=referral.pk).update(created_at=_aware(created, 10))
        # Heard back on some of those whose check-back date is less than a week away, or past.
        if rng.random() < heard_share and rules.is_overdue(referral.navragen_op, today=today + timedelta(days=7)):
            outcome = rng.choice(outcomes)
            heard = min(created + timedelta(days=rng.randint(3, 20)), today)
            ReferralStatusChange.objects.create(
                referral=referral, from_status=Referral.Status.VERWEZEN, to_status=outcome, by=user
            )
            Referral.objects.filter(pk=referral.pk).update(status=outcome, heard_back_at=_aware(heard, 15))
