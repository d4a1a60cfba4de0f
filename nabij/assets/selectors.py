"""Reads of the sociale kaart, always through the user's area scope (nabij.core.permissions).

An organisation or initiative serves several buurten; it is visible when at least one of them is in scope. An
organisation may also serve whole wijken: then every buurt of the wijk counts as served (also for scope).
Key figures are residents: only for roles that may see personal data (callers audit the read).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from nabij.areas.models import Buurt, Wijk
from nabij.assets.models import Initiative, KeyFigure, Place, Provider, SupportLog
from nabij.core import permissions
from nabij.core.exceptions import NotVisible
from nabij.language.wordforms import text_keys, words

LEVELS = ("buurt", "wijk", "gemeente")
SEARCH_LIMIT = 50
_AREA_FIELDS = ("code", "name", "wijk_id", "gemeente_id")


def _in_buurten(model, buurten: QuerySet[Buurt]) -> Exists:
    """Rows of a many-to-many sociale-kaart model linked to at least one of `buurten`."""
    through = model.buurten.through
    fk = f"{model._meta.model_name}_id"
    return Exists(through.objects.filter(**{fk: OuterRef("pk")}, buurt_id__in=buurten.values("pk")))


def _in_wijken_of(buurten: QuerySet[Buurt]) -> Exists:
    """Organisations serving a whole wijk that contains at least one of `buurten`."""
    through = Provider.wijken.through
    return Exists(through.objects.filter(provider_id=OuterRef("pk"), wijk_id__in=buurten.values("wijk_id")))


def _serves(model, buurten: QuerySet[Buurt]) -> Q:
    """Rows serving at least one of `buurten`: linked to it, or (organisations) to its whole wijk."""
    q = Q(_in_buurten(model, buurten))
    if model is Provider:
        q |= Q(_in_wijken_of(buurten))
    return q


def _scoped(model, user) -> QuerySet:
    qs = model.objects.all()
    if permissions.has_national_scope(user):
        return qs
    if not permissions.can_view_social_map(user):
        return qs.none()
    visible = permissions.buurten_visible_to(user)
    if model is Place:
        return qs.filter(buurt__in=visible.values("pk"))
    return qs.filter(_serves(model, visible))


def _with_areas(qs: QuerySet) -> QuerySet:
    qs = qs.prefetch_related(Prefetch("buurten", queryset=Buurt.objects.only(*_AREA_FIELDS).order_by("name")), "topics")
    if qs.model is Provider:
        qs = qs.prefetch_related(Prefetch("wijken", queryset=Wijk.objects.only("code", "name").order_by("name")))
    return qs


def _filter_common(qs: QuerySet, *, buurt: str, topic: str, multi: bool) -> QuerySet:
    if buurt:
        if multi:
            qs = qs.filter(_serves(qs.model, Buurt.objects.filter(code=buurt.upper())))
        else:
            qs = qs.filter(buurt_id=buurt.upper())
    if topic:
        qs = qs.filter(topics__slug=topic)
    return qs


def provider_list(*, user, buurt: str = "", topic: str = "", kind: str = "") -> QuerySet[Provider]:
    qs = _filter_common(_scoped(Provider, user), buurt=buurt, topic=topic, multi=True)
    if kind:
        qs = qs.filter(kind=kind)
    return _with_areas(qs.distinct()).order_by("name")


def initiative_list(*, user, buurt: str = "", topic: str = "", status: str = "") -> QuerySet[Initiative]:
    qs = _filter_common(_scoped(Initiative, user), buurt=buurt, topic=topic, multi=True)
    if status:
        qs = qs.filter(status=status)
    return _with_areas(qs.distinct()).order_by("name")


def place_list(*, user, buurt: str = "", topic: str = "", kind: str = "") -> QuerySet[Place]:
    qs = _filter_common(_scoped(Place, user), buurt=buurt, topic=topic, multi=False)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("buurt").defer("buurt__geometry").prefetch_related("topics").distinct().order_by("name")


def key_figure_list(*, user, buurt: str = "", topic: str = "") -> QuerySet[KeyFigure]:
    """Key figures in scope, for roles that may see personal data only; nobody else gets a single row."""
    if not permissions.can_view_key_figures(user):
        return KeyFigure.objects.none()
    qs = KeyFigure.objects.filter(permissions.scope_filter(user))
    qs = _filter_common(qs, buurt=buurt, topic=topic, multi=False)
    return qs.select_related("buurt").defer("buurt__geometry").prefetch_related("topics").distinct()


def _get(qs: QuerySet, pk: int):
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise NotVisible("Not found.")
    return obj


def provider_get(*, user, pk: int) -> Provider:
    return _get(provider_list(user=user), pk)


def wijk_choices_for_social_map(*, user) -> QuerySet[Wijk]:
    """Wijken a user may attach to an organisation: every land buurt of the wijk is in the user's scope (serving
    a wijk means serving all of it). Wijken without land buurten are left out."""
    land = Buurt.objects.filter(wijk_id=OuterRef("pk"), is_water=False)
    qs = Wijk.objects.filter(Exists(land)).only("code", "name").order_by("name")
    if permissions.has_national_scope(user):
        return qs
    if not permissions.can_edit_social_map(user):
        return qs.none()
    return qs.exclude(Exists(land.exclude(code__in=permissions.buurten_visible_to(user).values("pk"))))


def provider_serves_buurt(*, provider: Provider, buurt: Buurt) -> bool:
    """An organisation serves a buurt when it lists the buurt itself or the buurt's whole wijk."""
    return provider.buurten.filter(pk=buurt.pk).exists() or (
        buurt.wijk_id is not None and provider.wijken.filter(pk=buurt.wijk_id).exists()
    )


def provider_buurt_codes(*, provider: Provider) -> list[str]:
    """Every buurt an organisation serves: its own buurten and all buurten of its wijken (for scope checks)."""
    codes = {b.code for b in provider.buurten.all()}
    wijk_codes = [w.code for w in provider.wijken.all()]
    if wijk_codes:
        codes |= set(Buurt.objects.filter(wijk_id__in=wijk_codes).values_list("code", flat=True))
    return sorted(codes)


def initiative_get(*, user, pk: int) -> Initiative:
    return _get(initiative_list(user=user), pk)


def place_get(*, user, pk: int) -> Place:
    return _get(place_list(user=user), pk)


def key_figure_get(*, user, pk: int) -> KeyFigure:
    return _get(key_figure_list(user=user), pk)


def support_logs_for_initiative(*, initiative: Initiative) -> QuerySet[SupportLog]:
    return initiative.support_logs.select_related("given_by").order_by("-given_on", "-created_at")


# "Bestaat dit al?" ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    kind: str  # organisatie, initiatief, plek, sleutelfiguur
    id: int
    name: str
    level: str  # buurt, wijk, gemeente
    description: str
    rank: float = 0.0

    @property
    def level_order(self) -> int:
        return LEVELS.index(self.level)


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _level(buurt: Buurt, areas, wijken=()) -> str:
    """How near an entry is to the searched buurt. An organisation serving the buurt's whole wijk ranks as
    "wijk", not "buurt": it is not specific to this buurt."""
    if any(a.code == buurt.code for a in areas):
        return "buurt"
    if any(a.wijk_id == buurt.wijk_id for a in areas) or any(w.code == buurt.wijk_id for w in wijken):
        return "wijk"
    return "gemeente"


def search_query(q: str) -> SearchQuery | None:
    """The typed words and their Dutch keys, ORed, as one PostgreSQL query with the `dutch` configuration."""
    query = None
    for term in dict.fromkeys([*words(q), *text_keys(q)]):
        part = SearchQuery(term, config="dutch")
        query = part if query is None else query | part
    return query


def _text_filter(qs: QuerySet, *, q: str) -> QuerySet:
    """Full-text search with the Dutch configuration on PostgreSQL; on SQLite a match on word keys.

    Both also compare Dutch word keys (nabij.language.wordforms) kept in `search_text`, so plurals and
    diminutives meet ("koffieochtendje" finds "koffieochtend"), which the Dutch snowball stemmer alone misses.
    Any word may match; more matching words rank higher."""
    keys = text_keys(q)
    if not keys:
        return qs
    if connection.vendor == "postgresql":
        # The stored vector (search_index) with its GIN index: `@@` finds the rows, the rank orders them.
        query = search_query(q)
        return qs.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
    match = Q()
    for key in keys:
        match |= Q(search_text__contains=f" {key}")
    return qs.filter(match)


def _sqlite_rank(search_text: str, keys: list[str]) -> float:
    return float(sum(1 for key in keys if f" {key}" in search_text))


def social_map_search(
    *, user, buurt: Buurt, q: str = "", topic: str = "", limit: int = SEARCH_LIMIT
) -> list[SearchHit]:
    """'Bestaat dit al?': what already exists for these words and topic, near `buurt` and within the scope.

    Results come in the order buurt, then the rest of its wijk, then the rest of its gemeente; within a level
    the best text match first. Key figures are included only for roles that may see personal data."""
    if not permissions.can_view_buurt(user, buurt):
        raise NotVisible("Not found.")
    in_gemeente = Buurt.objects.filter(gemeente_id=buurt.gemeente_id)
    keys = text_keys(q)
    postgres = connection.vendor == "postgresql"
    hits: list[SearchHit] = []

    def rank_of(obj) -> float:
        if not keys:
            return 0.0
        return float(obj.rank) if postgres else _sqlite_rank(obj.search_text, keys)

    # Hits show no topics: only the buurten (for the level) are prefetched, which saves a query per kind.
    areas_only = Prefetch("buurten", queryset=Buurt.objects.only(*_AREA_FIELDS))
    sources = [
        (
            "organisatie",
            provider_list(user=user, topic=topic)
            .filter(_serves(Provider, in_gemeente))
            .prefetch_related(None)
            .prefetch_related(areas_only, Prefetch("wijken", queryset=Wijk.objects.only("code"))),
        ),
        (
            "initiatief",
            initiative_list(user=user, topic=topic)
            .filter(_in_buurten(Initiative, in_gemeente))
            .prefetch_related(None)
            .prefetch_related(areas_only),
        ),
    ]
    for kind, qs in sources:
        for obj in _text_filter(qs, q=q):
            wijken = obj.wijken.all() if kind == "organisatie" else ()
            level = _level(buurt, obj.buurten.all(), wijken)
            hits.append(SearchHit(kind, obj.pk, obj.name, level, _short(obj.description), rank_of(obj)))
    places = place_list(user=user, topic=topic).filter(buurt__gemeente_id=buurt.gemeente_id).prefetch_related(None)
    for obj in _text_filter(places, q=q):
        level = _level(buurt, [obj.buurt])
        hits.append(SearchHit("plek", obj.pk, obj.name, level, _short(obj.description), rank_of(obj)))
    figures = (
        key_figure_list(user=user, topic=topic).filter(buurt__gemeente_id=buurt.gemeente_id).prefetch_related(None)
    )
    for obj in _text_filter(figures, q=q):
        level = _level(buurt, [obj.buurt])
        hits.append(SearchHit("sleutelfiguur", obj.pk, obj.label, level, _short(obj.gifts), rank_of(obj)))
    hits.sort(key=lambda h: (h.level_order, -h.rank, h.name.lower()))
    return hits[:limit]


# Public page ------------------------------------------------------------------------------------------------


def public_items_for_buurt(*, buurt: Buurt) -> dict[str, list]:
    """What may be shown to anyone for this buurt: only entries that agreed to be public, never key figures.
    Organisations serving the buurt's whole wijk are listed too."""
    providers = (
        Provider.objects.filter(_serves(Provider, Buurt.objects.filter(pk=buurt.pk)), is_public=True)
        .prefetch_related("topics")
        .order_by("name")
    )
    initiatives = (
        Initiative.objects.filter(is_public=True, buurten=buurt)
        .exclude(status=Initiative.Status.GESTOPT)
        .prefetch_related("topics")
        .order_by("name")
    )
    places = Place.objects.filter(is_public=True, buurt=buurt).prefetch_related("topics").order_by("name")
    return {"providers": list(providers), "initiatives": list(initiatives), "places": list(places)}


def places_feature_collection(places) -> dict:
    """Places with a point, as GeoJSON for the map; the list beside the map shows the same places."""
    features = []
    for place in places:
        if place.latitude is None or place.longitude is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(place.longitude), float(place.latitude)]},
                "properties": {"id": place.pk, "naam": place.name, "soort": place.get_kind_display()},
            }
        )
    return {"type": "FeatureCollection", "features": features}
