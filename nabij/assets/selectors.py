"""Reads of the sociale kaart, always through the user's area scope (nabij.core.permissions).

An organisation or initiative serves several buurten; it is visible when at least one of them is in scope. An
organisation may also serve whole wijken: then every buurt of the wijk counts as served (also for scope).
Key figures are residents, owned by the organisation that recorded them: every read of them (list, one, search,
export, API) goes through `key_figure_policy` and is audited here, for the reader's organisation and for each
other owner (`audit_read`); views and the API do not audit.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import BigIntegerField, CharField, Exists, F, Model, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Cast

from nabij.areas.models import Buurt, Wijk
from nabij.assets.models import Initiative, KeyFigure, Place, Provider, SupportLog
from nabij.core import permissions
from nabij.core.access import audit_read
from nabij.core.access.assets import key_figure_policy
from nabij.language.wordforms import text_keys, words
from nabij.privacy.refusals import refuse

if TYPE_CHECKING:
    from nabij.accounts.models import User

LEVELS = ("buurt", "wijk", "gemeente")
SEARCH_LIMIT = 50
AUDIT_CHUNK = 2000
_AREA_FIELDS = ("code", "name", "wijk_id", "gemeente_id")


def _serves(model: type[Provider | Initiative], buurten: QuerySet[Buurt]) -> Q:
    """Rows serving at least one of `buurten`: linked to it, or (organisations) to its whole wijk.

    `pk IN (…)` over a UNION of plain lookups on the through tables' indexes, which PostgreSQL plans as one
    semi-join. The former `EXISTS (…) OR EXISTS (…)` per row could not be, and was costed so high that it set off
    JIT compilation, most of a 0.8 s search (decision 0204)."""
    fk = f"{model._meta.model_name}_id"
    ids = model.buurten.through.objects.filter(buurt_id__in=buurten.values("pk")).values(fk)
    if model is Provider:
        wijken = Provider.wijken.through.objects.filter(wijk_id__in=buurten.values("wijk_id"))
        ids = ids.union(wijken.values("provider_id"))
    return Q(pk__in=ids)


def _scoped(model: type[Provider | Initiative | Place], user: User) -> QuerySet:
    qs = model.objects.all()
    if permissions.has_national_scope(user):
        return qs
    if not permissions.can_view_social_map(user):
        return qs.none()
    visible = permissions.buurten_visible_to(user)
    if issubclass(model, Place):
        return model.objects.filter(buurt__in=visible.values("pk"))
    return qs.filter(_serves(model, visible))


def _with_areas(qs: QuerySet) -> QuerySet:
    qs = qs.prefetch_related(Prefetch("buurten", queryset=Buurt.objects.only(*_AREA_FIELDS).order_by("name")), "topics")
    if qs.model is Provider:
        qs = qs.select_related("nabij_organisation")
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


def provider_list(*, user: User, buurt: str = "", topic: str = "", kind: str = "") -> QuerySet[Provider]:
    qs = _filter_common(_scoped(Provider, user), buurt=buurt, topic=topic, multi=True)
    if kind:
        qs = qs.filter(kind=kind)
    return _with_areas(qs.distinct()).order_by("name")


def initiative_list(*, user: User, buurt: str = "", topic: str = "", status: str = "") -> QuerySet[Initiative]:
    qs = _filter_common(_scoped(Initiative, user), buurt=buurt, topic=topic, multi=True)
    if status:
        qs = qs.filter(status=status)
    return _with_areas(qs.distinct()).order_by("name")


def place_list(*, user: User, buurt: str = "", topic: str = "", kind: str = "") -> QuerySet[Place]:
    qs = _filter_common(_scoped(Place, user), buurt=buurt, topic=topic, multi=False)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("buurt").defer("buurt__geometry").prefetch_related("topics").distinct().order_by("name")


def _key_figures(*, user: User, buurt: str = "", topic: str = "") -> QuerySet[KeyFigure]:
    """The key figures this user may see (the policy: own organisation in scope, or shared by an agreement in
    effect), with the filter. No joins, no audit: the building block of the reads below."""
    qs = key_figure_policy.visible(user, KeyFigure.objects.all())
    return _filter_common(qs, buurt=buurt, topic=topic, multi=False).distinct()


def _audit_key_figures(
    *,
    user: User,
    qs: QuerySet[KeyFigure],
    action: str,
    object_type: str,
    area_code: str = "",
    detail: dict | None = None,
) -> None:
    """Audit a read of the key figures in `qs`: who owns them is read in one light query (only the columns the
    policy needs), so a long list or an export is not held in memory for it."""
    records = qs.order_by().only("pk", "organisation", "buurt").iterator(chunk_size=AUDIT_CHUNK)
    audit_read(
        user=user,
        policy=key_figure_policy,
        records=records,
        action=action,
        object_type=object_type,
        area_code=area_code,
        detail=detail,
    )


def _with_figure_relations(qs: QuerySet[KeyFigure]) -> QuerySet[KeyFigure]:
    return (
        qs.select_related("buurt", "organisation")
        .defer("buurt__geometry", "search_vector")
        .prefetch_related("topics")
        .order_by("label", "pk")
    )


def key_figure_list(*, user: User, buurt: str = "", topic: str = "", detail: dict | None = None) -> QuerySet[KeyFigure]:
    """Key figures the user may see, for the list page and the API; audited as a view of the list (with the
    filter), also when nothing was found. Analisten and other organisations' staff without an agreement get no
    row at all."""
    qs = _key_figures(user=user, buurt=buurt, topic=topic)
    base = {"buurt": buurt, "onderwerp": topic} | (detail or {})
    _audit_key_figures(user=user, qs=qs, action="view", object_type="key_figure_list", area_code=buurt, detail=base)
    return _with_figure_relations(qs)


def key_figures_for_export(*, user: User, buurt: str = "", topic: str = "") -> QuerySet[KeyFigure]:
    """Key figures for an export: the same rows as the list, audited as an export of them, so that each owning
    organisation's beheerder sees who exported its key figures."""
    qs = _key_figures(user=user, buurt=buurt, topic=topic)
    detail = {"buurt": buurt, "onderwerp": topic}
    _audit_key_figures(user=user, qs=qs, action="export", object_type="key_figure", area_code=buurt, detail=detail)
    return _with_figure_relations(qs)


def key_figure_get(*, user: User, pk: int) -> KeyFigure:
    """One key figure the user may see (NotVisible, shown as 404, otherwise); the read is audited. Whether the
    user may also change it is `key_figure_policy.can_change`."""
    figure = _with_figure_relations(KeyFigure.objects.filter(pk=pk)).first()
    if figure is None or not key_figure_policy.can_view(user, figure):
        refuse(actor=user, action="view", object_type="key_figure", object_id=pk, hidden=True)
    audit_read(
        user=user,
        policy=key_figure_policy,
        records=[figure],
        action="view",
        object_type="key_figure",
        object_id=figure.pk,
        area_code=figure.buurt_id,
    )
    return figure


def _get[M: Model](qs: QuerySet[M], pk: int, *, user: User, object_type: str) -> M:
    """The entry, if the user's scope shows it; otherwise NotVisible (404), and the refusal is audited."""
    obj = qs.filter(pk=pk).first()
    if obj is None:
        refuse(actor=user, action="view", object_type=object_type, object_id=pk, hidden=True)
    return obj


def provider_get(*, user: User, pk: int) -> Provider:
    return _get(provider_list(user=user), pk, user=user, object_type="provider")


def wijk_choices_for_social_map(*, user: User) -> QuerySet[Wijk]:
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


def provider_for_link(*, pk: int) -> Provider | None:
    """The organisation a referral goes to, or None; the caller checks that the user may see it."""
    return Provider.objects.filter(pk=pk).first()


def initiative_in_buurt(*, pk: int, buurt: Buurt) -> Initiative | None:
    """The initiative a promise is about, if it is active in this buurt; else None."""
    return Initiative.objects.filter(pk=pk, buurten=buurt).first()


def organisation_on_social_map(*, organisation_id: int) -> bool:
    """Whether this Nabij organisation is behind an organisation on the sociale kaart (referrals can reach it)."""
    return Provider.objects.filter(nabij_organisation_id=organisation_id).exists()


def initiative_get(*, user: User, pk: int) -> Initiative:
    return _get(initiative_list(user=user), pk, user=user, object_type="initiative")


def place_get(*, user: User, pk: int) -> Place:
    return _get(place_list(user=user), pk, user=user, object_type="place")


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
    organisation: str | None = None  # key figures: the owning organisation's slug

    @property
    def level_order(self) -> int:
        return LEVELS.index(self.level)


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


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
        assert query is not None  # there are words (keys), so there is a query
        return qs.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
    match = Q()
    for key in keys:
        match |= Q(search_text__contains=f" {key}")
    return qs.filter(match)


def _sqlite_rank(search_text: str, keys: list[str]) -> float:
    return float(sum(1 for key in keys if f" {key}" in search_text))


_MULTI_AREA = (("organisatie", Provider), ("initiatief", Initiative))


def _linked(*, buurt_codes: list[str], wijk_codes: list[str]) -> dict[str, dict[int, tuple[set[str], set[str]]]]:
    """Organisations and initiatives linked to one of `buurt_codes` or (organisations) to a whole wijk in
    `wijk_codes`: per kind, entry id → (its buurten among them, its wijken among them). One UNION ALL of plain
    lookups on the through tables' indexes."""
    parts: list[QuerySet] = [
        model.buurten.through.objects.filter(buurt_id__in=buurt_codes).values_list(
            Value(kind), f"{model._meta.model_name}_id", "buurt_id", Value("buurt")
        )
        for kind, model in _MULTI_AREA
    ]
    wijken = Provider.wijken.through.objects.filter(wijk_id__in=wijk_codes)
    parts.append(wijken.values_list(Value("organisatie"), "provider_id", "wijk_id", Value("wijk")))
    result: dict[str, dict[int, tuple[set[str], set[str]]]] = {kind: {} for kind, _model in _MULTI_AREA}
    for kind, pk, code, area in parts[0].union(*parts[1:], all=True):
        buurten, whole_wijken = result[kind].setdefault(pk, (set(), set()))
        (buurten if area == "buurt" else whole_wijken).add(code)
    return result


def _matching(
    kind: str, qs: QuerySet, *, q: str, topic: str, name: str = "name", text: str = "description"
) -> QuerySet:
    """(kind, pk, name, text, rank or search text, buurt code or None, owner id and slug or None) of the rows
    matching the words and topic: only what a hit shows, never the stored vector. Only key figures have an
    owner (they are personal data): the hit names it and the read is audited for it."""
    if topic:
        qs = qs.filter(topics__slug=topic)  # a slug is unique: at most one row per entry
    postgres = connection.vendor == "postgresql"
    score = ("rank" if postgres else "search_text") if text_keys(q) else Value(0.0)
    buurt = "buurt_id" if kind in ("plek", "sleutelfiguur") else Value(None, output_field=CharField())
    owner: str | Cast
    slug: str | Value
    if kind == "sleutelfiguur":
        owner, slug = "organisation_id", "organisation__slug"
    else:
        # Typed NULL: PostgreSQL cannot match an untyped (text) parameter with the key figures' bigint column.
        owner, slug = Cast(Value(None), BigIntegerField()), Value(None, output_field=CharField())
    return _text_filter(qs.order_by(), q=q).values_list(Value(kind), "pk", name, text, score, buurt, owner, slug)


def social_map_search(
    *, user: User, buurt: Buurt, q: str = "", topic: str = "", limit: int = SEARCH_LIMIT
) -> list[SearchHit]:
    """'Bestaat dit al?': what already exists for these words and topic, near `buurt` and within the scope.

    Results come in the order buurt, then the rest of its wijk, then the rest of its gemeente; within a level
    the best text match first. An organisation serving the buurt's whole wijk ranks as "wijk", not "buurt": it
    is not specific to this buurt. Key figures are included as `key_figure_policy` allows (never for analisten,
    never another organisation's without an agreement); the key figures found are audited as a search.

    Three queries whatever the size (decision 0204): the gemeente's buurten; the organisations and initiatives
    linked to them; one UNION ALL of the four kinds' text matches over those ids or buurt codes. When the user
    sees the whole gemeente, serving it implies being in scope and no scope test is added."""
    if not permissions.can_view_buurt(user, buurt):
        refuse(actor=user, action="search", object_type="social_map", area_code=buurt.code, hidden=True)
    if not permissions.can_view_social_map(user):
        return []
    wijk_of = dict(Buurt.objects.filter(gemeente_id=buurt.gemeente_id).values_list("code", "wijk_id"))
    visible = None if permissions.has_national_scope(user) else permissions.visible_buurt_codes(user)
    near = [code for code in wijk_of if visible is None or code in visible]
    linked = _linked(buurt_codes=list(wijk_of), wijk_codes=sorted(set(wijk_of.values())))
    parts: list[QuerySet] = []
    for kind, model in _MULTI_AREA:
        if linked[kind]:
            # Part of the gemeente outside the scope: the entry must also serve a visible buurt, as in the lists.
            qs = model.objects.all() if len(near) == len(wijk_of) else _scoped(model, user)
            parts.append(_matching(kind, qs.filter(pk__in=list(linked[kind])), q=q, topic=topic))
    parts.append(_matching("plek", Place.objects.filter(buurt_id__in=near), q=q, topic=topic))
    if key_figure_policy.role_may_see(user):
        figures = key_figure_policy.visible(user, KeyFigure.objects.filter(buurt_id__in=near))
        parts.append(_matching("sleutelfiguur", figures, q=q, topic=topic, name="label", text="gifts"))

    def level(buurt_codes: Collection[str], wijk_codes: Collection[str] = ()) -> str:
        if buurt.pk in buurt_codes:
            return "buurt"
        if buurt.wijk_id in wijk_codes or any(wijk_of[code] == buurt.wijk_id for code in buurt_codes):
            return "wijk"
        return "gemeente"

    keys = text_keys(q)
    postgres = connection.vendor == "postgresql"
    hits: list[SearchHit] = []
    owners: dict[int, tuple[int | None, str]] = {}
    for kind, pk, name, text, score, code, owner_id, slug in parts[0].union(*parts[1:], all=True):
        rank = _sqlite_rank(score, keys) if keys and not postgres else float(score)
        where = level(*linked[kind][pk]) if kind in linked else level({code})
        hits.append(SearchHit(kind, pk, name, where, _short(text), rank, slug))
        if kind == "sleutelfiguur":
            owners[pk] = (owner_id, code)
    hits.sort(key=lambda h: (h.level_order, -h.rank, h.name.lower()))
    hits = hits[:limit]
    _audit_search(user=user, buurt=buurt, topic=topic, hits=hits, owners=owners)
    return hits


def _audit_search(*, user: User, buurt: Buurt, topic: str, hits: list[SearchHit], owners: dict) -> None:
    """A search that shows key figures is a read of them: audited for the reader's organisation and for each
    other owner. The policy needs only the owner and buurt, which the search already read."""
    figures = [
        KeyFigure(pk=h.id, organisation_id=owners[h.id][0], buurt_id=owners[h.id][1])
        for h in hits
        if h.kind == "sleutelfiguur"
    ]
    if not figures:
        return
    audit_read(
        user=user,
        policy=key_figure_policy,
        records=figures,
        action="search",
        object_type="key_figure",
        area_code=buurt.pk,
        detail={"onderwerp": topic, "count": len(figures)},
    )


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


def places_feature_collection(places: Iterable[Place]) -> dict:
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
