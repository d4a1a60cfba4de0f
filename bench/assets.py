"""Benchmark (issue 5): "bestaat dit al?" with 50,000 sociale-kaart items across a national area set.

The areas are the synthetic national set of `generate_bench_data` (15,000 buurten in 300 gemeenten; reused when
the contacts module made them already, otherwise made with `--contacten 0`). 50,000 organisations, initiatives
and places are spread over all buurten, written in bulk with their search text and (on PostgreSQL) the stored
search vector, as the services would leave them. Then, in this process and on the same connection:

- the search: `selectors.social_map_search` for a coordinator whose scope is one gemeente, for a buurt of that
  gemeente and one of a fixed set of everyday queries ("moestuinen", "koffieochtendje", "taalles" …), the whole
  selector (scope, three levels, ranking) as the page and API run it;
- the bare indexed query: one `search_vector @@ query` over the initiatives (GIN index), first 50 rows; on SQLite
  a plain `LIKE` on the word keys, there being no index to compare with;
- on PostgreSQL also the search as it was before decision 0201 (a vector computed per row and query) over the
  same gemeente's rows, to show what the stored vector buys.

Goal (PostgreSQL): search p95 ≤ 10× the bare query's p95 (the search runs three queries: the gemeente's buurten,
the organisations and initiatives linked to them, and the four kinds' text matches with scope and level, decision
0204; the bare query is one). The items are removed afterwards so later modules see the database as before.
"""

from __future__ import annotations

import random
import time

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F

from nabij.accounts.models import Role, User
from nabij.areas.models import Buurt, Gemeente
from nabij.assets import selectors
from nabij.assets.models import Initiative, Place, Provider
from nabij.assets.search_index import search_vector_refresh
from nabij.language.wordforms import text_keys

from bench.common import percentile

ITEMS = 50_000
BUURTEN = 15_000
SEED = 5
ROUNDS = 300  # timed calls per target, after the warm-up
WARM_UP = 20
GOAL_FACTOR = 10.0
BENCH_EMAIL = "sociale-kaart@bench.nabij.example"
MARK = "[bench] "  # every generated item's description starts with this, so clean-up finds exactly these rows
QUERIES = ["moestuinen", "koffieochtendje", "taalles", "repair café", "buurthuis", "schulden", "digitale hulp"]
NAMES = [
    ("Moestuin", "Samen groenten kweken op een braakliggend veld."),
    ("Koffieochtend", "Elke week koffie en een praatje voor iedereen die wil."),
    ("Taalcafé", "Nederlands oefenen met buren, taallessen en taalmaatjes."),
    ("Repair Café", "Kapotte spullen samen weer heel maken."),
    ("Buurtpreventie", "Bewoners lopen samen een rondje door de wijk."),
    ("Klusgroep", "Handige buren helpen met kleine klussen in huis."),
    ("Digi-café", "Hulp met de computer, telefoon en DigiD."),
    ("Schuldhulp", "Hulp bij rekeningen, schulden en geldzaken."),
    ("Buurthuis", "Een plek om elkaar te ontmoeten, met activiteiten."),
    ("Speeltuin", "Spelen in de buitenlucht voor kinderen uit de buurt."),
    ("Voedselbank", "Voedselpakketten voor gezinnen die het krap hebben."),
    ("Wandelclub", "Samen wandelen door het park, elke dinsdag."),
]


def _make_areas() -> None:
    if Buurt.objects.filter(code__startswith="BUX").count() < BUURTEN:
        call_command("generate_bench_data", buurten=BUURTEN, contacten=0, verbosity=0)


def _search_text(*parts: str) -> str:
    return " " + " ".join(text_keys(" ".join(parts))) + " "


@transaction.atomic
def _make_items(rng: random.Random) -> dict[str, int]:
    codes = list(Buurt.objects.filter(code__startswith="BUX").order_by("code").values_list("code", flat=True))
    counts = {"providers": ITEMS * 3 // 10, "initiatives": ITEMS * 4 // 10}
    counts["places"] = ITEMS - counts["providers"] - counts["initiatives"]

    def item(model, n: int, **extra):
        word, text = NAMES[rng.randrange(len(NAMES))]
        name = f"{word} {n}"
        description = MARK + text
        return model(name=name, description=description, search_text=_search_text(name, text), **extra)

    providers = Provider.objects.bulk_create(
        [item(Provider, n, kind=Provider.Kind.WELZIJN) for n in range(counts["providers"])], batch_size=5000
    )
    initiatives = Initiative.objects.bulk_create(
        [item(Initiative, n) for n in range(counts["initiatives"])], batch_size=5000
    )
    Place.objects.bulk_create(
        [item(Place, n, kind=Place.Kind.BUURTHUIS, buurt_id=rng.choice(codes)) for n in range(counts["places"])],
        batch_size=5000,
    )
    for model, objs, per in ((Provider, providers, 3), (Initiative, initiatives, 1)):
        through = model.buurten.through
        fk = f"{model._meta.model_name}_id"
        links = []
        for obj in objs:
            start = rng.randrange(len(codes))
            for code in {codes[(start + k) % len(codes)] for k in range(rng.randint(1, per))}:
                links.append(through(**{fk: obj.pk, "buurt_id": code}))
        through.objects.bulk_create(links, batch_size=10000)
    for model in (Provider, Initiative, Place):
        search_vector_refresh(model=model, pks=None)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The link tables too: the search reads them, and a live database has them analysed by autovacuum.
            cursor.execute(
                "ANALYZE assets_provider, assets_initiative, assets_place, assets_provider_buurten, "
                "assets_provider_wijken, assets_initiative_buurten"
            )
        else:
            cursor.execute("ANALYZE")
    return counts


def _remove_items() -> None:
    for model in (Provider, Initiative, Place):
        model.objects.filter(description__startswith=MARK).delete()
    User.objects.filter(email=BENCH_EMAIL).delete()


def _coordinator(gemeente: Gemeente) -> User:
    user, _ = User.objects.get_or_create(
        email=BENCH_EMAIL, defaults={"full_name": "Bench coördinator", "role": Role.COORDINATOR}
    )
    user.scope_gemeenten.set([gemeente])
    return User.objects.get(pk=user.pk)


def _time(call, rounds: int) -> list[float]:
    for _ in range(WARM_UP):
        call()
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _gemeente_query(buurt: Buurt, q: str, *, stored: bool) -> int:
    """One kind's query as the search runs it (initiatives of the gemeente matching the words, ranked), with the
    stored vector (0201) or with the vector computed per row and query as before (0200)."""
    vector = (
        F("search_vector")
        if stored
        else SearchVector("name", weight="A", config="dutch")
        + SearchVector("description", weight="B", config="dutch")
        + SearchVector("search_text", weight="C", config="dutch")
    )
    query = selectors.search_query(q)
    qs = Initiative.objects.filter(buurten__gemeente_id=buurt.gemeente_id).annotate(rank=SearchRank(vector, query))
    return len(list(qs.filter(rank__gt=0).values_list("pk", flat=True)[:50]))


def measure() -> dict:
    rng = random.Random(SEED)
    started = time.perf_counter()
    _make_areas()
    areas_seconds = time.perf_counter() - started
    _remove_items()
    started = time.perf_counter()
    counts = _make_items(rng)
    items_seconds = time.perf_counter() - started
    postgres = connection.vendor == "postgresql"
    gemeente = Gemeente.objects.filter(code__startswith="GMX").order_by("code")[123]
    buurten = list(Buurt.objects.filter(gemeente=gemeente).order_by("code"))
    user = _coordinator(gemeente)
    calls = {"n": 0, "hits": 0}

    def search():
        calls["n"] += 1
        buurt = buurten[calls["n"] % len(buurten)]
        hits = selectors.social_map_search(user=user, buurt=buurt, q=QUERIES[calls["n"] % len(QUERIES)])
        calls["hits"] += len(hits)

    def bare():
        calls["n"] += 1
        q = QUERIES[calls["n"] % len(QUERIES)]
        if postgres:
            qs = Initiative.objects.filter(search_vector=SearchQuery(text_keys(q)[0], config="dutch"))
        else:
            qs = Initiative.objects.filter(search_text__contains=f" {text_keys(q)[0]}")
        return list(qs.values_list("pk", "name")[:50])

    results = {"search": _time(search, ROUNDS)}
    hits_per_search = calls["hits"] / (ROUNDS + WARM_UP)
    results["bare"] = _time(bare, ROUNDS)
    if postgres:
        results["stored"] = _time(lambda: _gemeente_query(buurten[0], QUERIES[0], stored=True), ROUNDS)
        results["old"] = _time(lambda: _gemeente_query(buurten[0], QUERIES[0], stored=False), ROUNDS)
    plan = ""
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN SELECT id FROM assets_initiative WHERE search_vector @@ plainto_tsquery('dutch', 'moestuin')"
            )
            plan = " ".join(row[0].strip() for row in cursor.fetchall()[:2])
    _remove_items()
    return {
        "counts": counts,
        "buurten": Buurt.objects.filter(code__startswith="BUX").count(),
        "gemeente_buurten": len(buurten),
        "areas_seconds": areas_seconds,
        "items_seconds": items_seconds,
        "results": results,
        "hits": hits_per_search,
        "postgres": postgres,
        "plan": plan,
    }


def run() -> str:
    """Run the sociale-kaart search benchmark; return a Markdown section for docs/benchmarks.md."""
    result = measure()
    postgres = result["postgres"]
    counts = result["counts"]
    lines = [
        '## Sociale kaart: "bestaat dit al?" search',
        "",
        f"{sum(counts.values()):,} items ({counts['providers']:,} organisations, {counts['initiatives']:,} "
        f"initiatives, {counts['places']:,} places) over {result['buurten']:,} synthetic buurten; a coordinator "
        f"with one gemeente ({result['gemeente_buurten']} buurten) searches near each of its buurten with "
        f"{len(QUERIES)} everyday queries in turn (on average {result['hits']:.0f} hits). In-process timings of the "
        f"selector, {ROUNDS} calls each after {WARM_UP} warm-up calls, on "
        f"{'PostgreSQL' if postgres else 'SQLite'}. Making the items took {result['items_seconds']:.0f} s "
        f"(areas {result['areas_seconds']:.0f} s), not counted.",
        "",
        "| target | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|",
    ]
    labels = {
        "search": "search (`social_map_search`)",
        "bare": "bare query (GIN, 50 rows)" if postgres else "bare query (LIKE on word keys, 50 rows)",
        "stored": "one kind, one gemeente: stored vector (0201)",
        "old": "one kind, one gemeente: vector computed per query (0200)",
    }
    for key, timings in result["results"].items():
        lines.append(
            f"| {labels[key]} | {percentile(timings, 0.5):.1f} | {percentile(timings, 0.95):.1f} | {max(timings):.1f} |"
        )
    search_p95 = percentile(result["results"]["search"], 0.95)
    bare_p95 = percentile(result["results"]["bare"], 0.95)
    lines.append("")
    if postgres:
        ok = search_p95 <= GOAL_FACTOR * bare_p95
        lines.append(
            f"Goal: search p95 ≤ {GOAL_FACTOR:.0f}× the bare query's p95 "
            f"({search_p95 / bare_p95:.1f}×): **{'met' if ok else 'not met'}**. Plan of the bare query: "
            f"`{result['plan']}`."
        )
    else:
        lines.append(
            "SQLite has no full-text index here: both the search and the bare query scan the word keys with LIKE, "
            "so the ratio says little; the goal applies to PostgreSQL only. The numbers show that SQLite "
            f"stays usable at this size (search p95 {search_p95:.1f} ms)."
        )
    return "\n".join(lines) + "\n"
