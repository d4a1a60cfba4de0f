"""Reads of areas, always through the user's area scope (nabij.core.permissions)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from nabij.areas.models import Buurt, Gemeente, Wijk
from nabij.core import permissions
from nabij.privacy.refusals import refuse

if TYPE_CHECKING:
    from collections.abc import Iterable

    from nabij.accounts.models import User

_LIST_FIELDS = ("geometry",)


def gemeente_list(*, user: User) -> QuerySet[Gemeente]:
    """Gemeenten with at least one visible buurt; `visible_buurten` counts only those."""
    visible = permissions.buurten_visible_to(user).values("pk")
    return (
        permissions.gemeenten_visible_to(user)
        .defer(*_LIST_FIELDS)
        .annotate(visible_buurten=Count("buurten", filter=Q(buurten__in=visible)))
        .order_by("name")
    )


def wijk_list(*, user: User, gemeente: str = "") -> QuerySet[Wijk]:
    visible = permissions.buurten_visible_to(user).values("pk")
    qs = permissions.wijken_visible_to(user).select_related("gemeente").defer(*_LIST_FIELDS, "gemeente__geometry")
    if gemeente:
        qs = qs.filter(gemeente_id=gemeente)
    return qs.annotate(visible_buurten=Count("buurten", filter=Q(buurten__in=visible))).order_by("name")


def buurt_list(*, user: User, gemeente: str = "", wijk: str = "", with_geometry: bool = False) -> QuerySet[Buurt]:
    qs = permissions.buurten_visible_to(user).select_related("wijk", "gemeente")
    qs = qs.defer("wijk__geometry", "gemeente__geometry")
    if not with_geometry:
        qs = qs.defer("geometry")
    if gemeente:
        qs = qs.filter(gemeente_id=gemeente)
    if wijk:
        qs = qs.filter(wijk_id=wijk)
    return qs.order_by("gemeente__name", "wijk__name", "name")


def buurt_choices(*, user: User) -> QuerySet[Buurt]:
    """Buurten for staff pickers: in scope and never water."""
    return buurt_list(user=user).filter(is_water=False)


def buurt_get(*, user: User, code: str) -> Buurt:
    buurt = Buurt.objects.select_related("wijk", "gemeente").filter(code=code.upper()).first()
    if buurt is None or not permissions.can_view_buurt(user, buurt):
        refuse(actor=user, action="view", object_type="buurt", object_id=code, hidden=True)
    return buurt


def wijk_get(*, user: User, code: str) -> Wijk:
    wijk = Wijk.objects.select_related("gemeente").filter(code=code.upper()).first()
    if wijk is None or not permissions.can_view_wijk(user, wijk):
        refuse(actor=user, action="view", object_type="wijk", object_id=code, hidden=True)
    return wijk


def gemeente_get(*, user: User, code: str) -> Gemeente:
    gemeente = Gemeente.objects.filter(code=code.upper()).first()
    if gemeente is None or not permissions.can_view_gemeente(user, gemeente):
        refuse(actor=user, action="view", object_type="gemeente", object_id=code, hidden=True)
    return gemeente


def buurten_feature_collection(buurten: Iterable[Buurt]) -> dict:
    """GeoJSON for the map; properties carry what the accessible list beside it shows too."""
    features = []
    for buurt in buurten:
        if not buurt.geometry:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": buurt.geometry,
                "properties": {"code": buurt.code, "naam": buurt.name, "water": buurt.is_water},
            }
        )
    return {"type": "FeatureCollection", "features": features}
