"""`manage.py generate_bench_data --buurten 15000 --contacten 1000000 [--seed 1]`: national-size synthetic data
for the benchmarks (issue 4): gemeenten, wijken and buurten with codes that can never be real, one bench
buurtwerker per wijk (scope: that wijk) and contact moments spread over buurten, two years, channels, topics and
workers, with topic links. The command belongs to the bench app, which only `bench.settings` installs; the
benchmark modules call it, and by hand it runs as `manage.py generate_bench_data --settings bench.settings` with
NABIJ_BENCH_DATABASE_URL set.

Bench codes carry an X after the prefix (GMX…, WKX…, BUX…): real CBS codes are digits there, so they cannot
clash. The command refuses to run on a database that holds contact data other than its own, so it can never
pollute a real database. Running it again replaces the bench contact moments (areas and users are reused).

On PostgreSQL the contact moments and their topic links are generated server-side (`INSERT … SELECT … FROM
generate_series`, pseudo-random but reproducible through `hashint8extended(i, seed)`); elsewhere they are built
in Python and bulk-created in batches, which is fine for test-sized numbers.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from nabij.accounts.models import Organisation, Role, User
from nabij.areas.models import Buurt, Gemeente, Wijk
from nabij.contacts.models import Channel, ContactMoment, ContactMomentTopic, Resident, Round, RoundPlan, Signal
from nabij.core.models import Topic

BENCH_MARK = "X"  # the letter after GM/WK/BU in every bench code
BENCH_BUURT_PREFIX = f"BU{BENCH_MARK}"
BENCH_EMAIL_DOMAIN = "bench.nabij.example"
BENCH_ORGANISATION = "Benchmark welzijn (synthetisch)"
# A quarter of the contact moments belong to a second organisation working in the same buurten, so that the
# organisation rule of the access policies (issue 13) has rows to leave out, as in a real buurt.
BENCH_OTHER_ORGANISATION = "Benchmark corporatie (synthetisch)"
BENCH_OTHER_WORKER = "bench-corporatie@bench.nabij.example"
OTHER_SHARE = 4  # one in OTHER_SHARE contact moments is the second organisation's
BUURTEN_PER_WIJK = 5
WIJKEN_PER_GEMEENTE = 10
BUURTEN_PER_GEMEENTE = BUURTEN_PER_WIJK * WIJKEN_PER_GEMEENTE
MAX_BUURTEN = 1000 * BUURTEN_PER_GEMEENTE  # three digits of gemeente number in the code
PERIOD_DAYS = 730
MAP_YEAR = 2025
BATCH_SIZE = 5000
# Notes as they are stored: already de-identified, in the style buurtwerkers write.
NOTES = [
    "Vroeg naar hulp bij de energietoeslag, formulier samen ingevuld.",
    "[PERSOON-1] voelt zich alleen sinds de verhuizing, koffieochtend genoemd.",
    "Klachten over schimmel in de badkamer, corporatie nog niet gebeld.",
    "Jongeren bij het speelveld, gesprek gehad, ging goed.",
    "Wil graag leren werken met DigiD, verwezen naar de bibliotheek.",
    "Betalingsachterstand huur, afspraak gemaakt met schuldhulp.",
    "Buurtbewoners willen een moestuin op het braakliggende veld.",
    "Zorgen over verkeersveiligheid bij de school.",
    "Zoekt vrijwilligerswerk, doorverwezen naar het buurthuis.",
    "Taalcafé op dinsdag valt goed, meer deelnemers dan vorige maand.",
    "",
]


def bench_buurt_code(index: int) -> str:
    """The code of the index-th bench buurt: BUX + gemeente (3) + wijk (2) + buurt (2)."""
    g, rest = divmod(index, BUURTEN_PER_GEMEENTE)
    w, b = divmod(rest, BUURTEN_PER_WIJK)
    return f"{BENCH_BUURT_PREFIX}{g:03d}{w:02d}{b:02d}"


def bench_wijk_code(wijk_index: int) -> str:
    g, w = divmod(wijk_index, WIJKEN_PER_GEMEENTE)
    return f"WK{BENCH_MARK}{g:03d}{w:02d}"


def bench_gemeente_code(gemeente_index: int) -> str:
    return f"GM{BENCH_MARK}{gemeente_index:03d}"


def bench_worker_email(wijk_index: int) -> str:
    return f"buurtwerker-{wijk_index:05d}@{BENCH_EMAIL_DOMAIN}"


def foreign_contact_data() -> list[str]:
    """The kinds of contact data in the database that this command did not make (empty when it is safe)."""
    bench_buurt = {"buurt__code__startswith": BENCH_BUURT_PREFIX}
    checks = {
        "contactmomenten": ContactMoment.objects.exclude(**bench_buurt),
        "waarnemingen": Signal.objects.exclude(**bench_buurt),
        "bewoners": Resident.objects.exclude(**bench_buurt),
        "rondes": Round.objects.exclude(worker__email__endswith=f"@{BENCH_EMAIL_DOMAIN}"),
        "geplande rondes": RoundPlan.objects.all(),
    }
    return [label for label, qs in checks.items() if qs.exists()]


class Command(BaseCommand):
    help = "Generate synthetic national-size areas, bench users and contact moments for the benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--buurten", type=int, default=15_000, help="number of synthetic buurten")
        parser.add_argument("--contacten", type=int, default=1_000_000, help="number of contact moments")
        parser.add_argument("--seed", type=int, default=1, help="seed, for reproducible data")

    def handle(self, *args, buurten: int, contacten: int, seed: int, **options):
        self.verbosity = options.get("verbosity", 1)
        if not 1 <= buurten <= MAX_BUURTEN:
            raise CommandError(f"--buurten moet tussen 1 en {MAX_BUURTEN} liggen.")
        if contacten < 0:
            raise CommandError("--contacten mag niet negatief zijn.")
        foreign = foreign_contact_data()
        if foreign:
            raise CommandError(
                "Deze database bevat al contactgegevens die niet van de benchmark zijn ("
                + ", ".join(foreign)
                + "). generate_bench_data weigert te draaien, zodat een echte database nooit vervuild raakt. "
                "Gebruik een lege database (bijvoorbeeld via `make bench`)."
            )
        topic_ids = list(Topic.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
        if not topic_ids:
            raise CommandError("Er zijn geen actieve onderwerpen; draai eerst `manage.py migrate`.")

        started = time.perf_counter()
        worker_ids = self._areas_and_users(buurten)
        owners = self._owners()
        self._say(f"{buurten} buurten en {len(worker_ids)} buurtwerkers klaar ({self._since(started)}).")
        started = time.perf_counter()
        removed = self._remove_bench_contacts()
        if removed:
            self._say(f"{removed} oude benchmark-contactmomenten verwijderd ({self._since(started)}).")
        started = time.perf_counter()
        if connection.vendor == "postgresql":
            links = self._contacts_postgresql(buurten, contacten, seed, worker_ids, topic_ids, owners)
        else:
            links = self._contacts_python(buurten, contacten, seed, worker_ids, topic_ids, owners)
        self._say(f"{contacten} contactmomenten met {links} onderwerpkoppelingen ({self._since(started)}).")

    def _say(self, message: str) -> None:
        if self.verbosity > 0:
            self.stdout.write(message)

    @staticmethod
    def _since(started: float) -> str:
        return f"{time.perf_counter() - started:.1f} s"

    @transaction.atomic
    def _areas_and_users(self, buurten: int) -> list[int]:
        """Create (or reuse) the bench areas and one buurtwerker per wijk; return the worker ids by wijk index."""
        gemeenten = -(-buurten // BUURTEN_PER_GEMEENTE)
        wijken = -(-buurten // BUURTEN_PER_WIJK)
        Gemeente.objects.bulk_create(
            [
                Gemeente(code=bench_gemeente_code(g), name=f"Benchgemeente {g}", map_year=MAP_YEAR)
                for g in range(gemeenten)
            ],
            ignore_conflicts=True,
            batch_size=BATCH_SIZE,
        )
        Wijk.objects.bulk_create(
            [
                Wijk(
                    code=bench_wijk_code(w),
                    name=f"Benchwijk {w}",
                    gemeente_id=bench_gemeente_code(w // WIJKEN_PER_GEMEENTE),
                    map_year=MAP_YEAR,
                )
                for w in range(wijken)
            ],
            ignore_conflicts=True,
            batch_size=BATCH_SIZE,
        )
        Buurt.objects.bulk_create(
            [
                Buurt(
                    code=bench_buurt_code(b),
                    name=f"Benchbuurt {b}",
                    wijk_id=bench_wijk_code(b // BUURTEN_PER_WIJK),
                    gemeente_id=bench_gemeente_code(b // BUURTEN_PER_GEMEENTE),
                    inhabitants=1000 + (b * 7919) % 4000,
                    map_year=MAP_YEAR,
                )
                for b in range(buurten)
            ],
            ignore_conflicts=True,
            batch_size=BATCH_SIZE,
        )
        organisation, _ = Organisation.objects.get_or_create(
            name=BENCH_ORGANISATION, defaults={"kind": Organisation.Kind.WELZIJN, "slug": slugify(BENCH_ORGANISATION)}
        )
        emails = [bench_worker_email(w) for w in range(wijken)]
        existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        new_users = []
        for w, email in enumerate(emails):
            if email in existing:
                continue
            user = User(email=email, full_name=f"Benchwerker {w}", role=Role.BUURTWERKER, organisation=organisation)
            user.set_unusable_password()  # never a login by password; the bench logs in by session
            new_users.append(user)
        User.objects.bulk_create(new_users, batch_size=BATCH_SIZE)
        ids_by_email = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
        worker_ids = [ids_by_email[email] for email in emails]
        scope = User.scope_wijken.through
        scope.objects.bulk_create(
            [scope(user_id=worker_ids[w], wijk_id=bench_wijk_code(w)) for w in range(wijken)],
            ignore_conflicts=True,
            batch_size=BATCH_SIZE,
        )
        return worker_ids

    @staticmethod
    def _owners() -> dict[str, int]:
        """The two organisations' ids and the second organisation's (one) worker."""
        main = Organisation.objects.get(name=BENCH_ORGANISATION)
        other, _ = Organisation.objects.get_or_create(
            name=BENCH_OTHER_ORGANISATION,
            defaults={"kind": Organisation.Kind.WONINGCORPORATIE, "slug": slugify(BENCH_OTHER_ORGANISATION)},
        )
        worker = User.objects.filter(email=BENCH_OTHER_WORKER).first()
        if worker is None:
            worker = User(email=BENCH_OTHER_WORKER, full_name="Benchcorporatie", role=Role.BUURTWERKER)
            worker.organisation = other
            worker.set_unusable_password()
            worker.save()
        # The second organisation works in every bench gemeente (its worker logs there).
        gemeenten = Gemeente.objects.filter(code__startswith=BENCH_BUURT_PREFIX.replace("BU", "GM"))
        worker.scope_gemeenten.add(*gemeenten)
        return {"main": main.pk, "other": other.pk, "other_worker": worker.pk}

    @staticmethod
    def _remove_bench_contacts() -> int:
        """Delete earlier bench contact moments in plain SQL (a Django delete would load a million objects)."""
        moment = ContactMoment._meta.db_table
        link = ContactMomentTopic._meta.db_table
        like = BENCH_BUURT_PREFIX + "%"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {link} WHERE contact_moment_id IN (SELECT id FROM {moment} WHERE buurt_id LIKE %s)",
                [like],
            )
            cursor.execute(f"DELETE FROM {moment} WHERE buurt_id LIKE %s", [like])
            return cursor.rowcount

    @staticmethod
    def _contacts_postgresql(buurten: int, contacten: int, seed: int, worker_ids, topic_ids, owners) -> int:
        moment = ContactMoment._meta.db_table
        link = ContactMomentTopic._meta.db_table
        now = timezone.now().replace(microsecond=0)
        channels = list(Channel.values)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {moment}")
            first_new = cursor.fetchone()[0]
            # h = a reproducible 63-bit hash of (i, seed); each choice takes different bits of it.
            cursor.execute(
                f"""
                INSERT INTO {moment}
                    (created_at, updated_at, buurt_id, occurred_at, channel, note, needs_follow_up, worker_id,
                     organisation_id, version)
                SELECT at, at, code, at, channel, note, follow_up,
                       CASE WHEN other THEN %(other_worker)s ELSE worker END,
                       CASE WHEN other THEN %(other)s ELSE %(main)s END, 1
                FROM (
                    SELECT
                        %(now)s - make_interval(secs => (h %% (%(days)s * 86400))::double precision) AS at,
                        'BUX' || lpad((k / %(per_gemeente)s)::text, 3, '0')
                              || lpad(((k / %(per_wijk)s) %% %(wijken_per_gemeente)s)::text, 2, '0')
                              || lpad((k %% %(per_wijk)s)::text, 2, '0') AS code,
                        (%(channels)s::text[])[1 + (h / 7) %% %(n_channels)s] AS channel,
                        (%(notes)s::text[])[1 + (h / 11) %% %(n_notes)s] AS note,
                        (h / 13) %% 10 = 0 AS follow_up,
                        (h / 19) %% %(other_share)s = 0 AS other,
                        (%(workers)s::bigint[])[1 + k / %(per_wijk)s] AS worker
                    FROM (
                        SELECT h, (h / 17) %% %(buurten)s AS k
                        FROM (
                            SELECT hashint8extended(i::bigint, %(seed)s::bigint) & 9223372036854775807 AS h
                            FROM generate_series(1, %(n)s) AS i
                        ) AS hashed
                    ) AS keyed
                ) AS generated
                """,
                {
                    "now": now,
                    "days": PERIOD_DAYS,
                    "per_gemeente": BUURTEN_PER_GEMEENTE,
                    "per_wijk": BUURTEN_PER_WIJK,
                    "wijken_per_gemeente": WIJKEN_PER_GEMEENTE,
                    "channels": channels,
                    "n_channels": len(channels),
                    "notes": NOTES,
                    "n_notes": len(NOTES),
                    "workers": worker_ids,
                    "buurten": buurten,
                    "seed": seed,
                    "n": contacten,
                    "other_share": OTHER_SHARE,
                    **owners,
                },
            )
            # One topic for every contact, a second, different one for about 40 %.
            cursor.execute(
                f"""
                INSERT INTO {link} (contact_moment_id, topic_id)
                SELECT id, (%(topics)s::bigint[])[1 + first_topic]
                FROM (
                    SELECT id, h %% %(n_topics)s AS first_topic
                    FROM (SELECT id,
                                 hashint8extended(id - %(first_new)s, %(seed)s::bigint + 1)
                                     & 9223372036854775807 AS h
                          FROM {moment} WHERE id > %(first_new)s) AS hashed
                ) AS picked
                UNION ALL
                SELECT id, (%(topics)s::bigint[])[1 + (first_topic + 1 + (h / 97) %% (%(n_topics)s - 1))
                                                        %% %(n_topics)s]
                FROM (
                    SELECT id, h, h %% %(n_topics)s AS first_topic
                    FROM (SELECT id,
                                 hashint8extended(id - %(first_new)s, %(seed)s::bigint + 1)
                                     & 9223372036854775807 AS h
                          FROM {moment} WHERE id > %(first_new)s) AS hashed
                ) AS picked
                WHERE %(n_topics)s > 1 AND (h / 7) %% 5 < 2
                """,
                {"topics": topic_ids, "n_topics": len(topic_ids), "seed": seed, "first_new": first_new},
            )
            links = cursor.rowcount
        with connection.cursor() as cursor:
            # Fresh statistics, so the planner knows the table's real size before anyone queries it, and (outside
            # a transaction) a vacuum, so index-only scans need not visit the heap: the state autovacuum keeps a
            # live database in.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            cursor.execute(f"{command} {moment}")
            cursor.execute(f"{command} {link}")
        return links

    @staticmethod
    def _contacts_python(buurten: int, contacten: int, seed: int, worker_ids, topic_ids, owners) -> int:
        rng = random.Random(seed)
        now = timezone.now().replace(microsecond=0)
        channels = list(Channel.values)
        links = 0
        for start in range(0, contacten, BATCH_SIZE):
            size = min(BATCH_SIZE, contacten - start)
            moments, picks = [], []
            for _ in range(size):
                k = rng.randrange(buurten)
                other = rng.randrange(OTHER_SHARE) == 0
                at = now - timedelta(seconds=rng.randrange(PERIOD_DAYS * 86400))
                moments.append(
                    ContactMoment(
                        buurt_id=bench_buurt_code(k),
                        occurred_at=at,
                        channel=rng.choice(channels),
                        note=rng.choice(NOTES),
                        needs_follow_up=rng.random() < 0.1,
                        worker_id=owners["other_worker"] if other else worker_ids[k // BUURTEN_PER_WIJK],
                        organisation_id=owners["other"] if other else owners["main"],
                    )
                )
                count = 2 if len(topic_ids) > 1 and rng.random() < 0.4 else 1
                picks.append(rng.sample(topic_ids, count))
            with transaction.atomic():
                created = ContactMoment.objects.bulk_create(moments)
                topic_links = [
                    ContactMomentTopic(contact_moment_id=m.pk, topic_id=t)
                    for m, chosen in zip(created, picks, strict=True)
                    for t in chosen
                ]
                ContactMomentTopic.objects.bulk_create(topic_links)
            links += len(topic_links)
        return links
