"""/api/v1/gebieden — CBS areas within the caller's scope."""

from ninja import Router, Schema
from ninja.pagination import paginate

from nabij.areas import selectors
from nabij.core.pagination import BoundedPagination, LazyMap

router = Router(tags=["gebieden"])


class GemeenteOut(Schema):
    code: str
    naam: str
    inwoners: int | None
    water: bool


class WijkOut(GemeenteOut):
    gemeente: str


class BuurtOut(WijkOut):
    wijk: str


class BuurtDetailOut(BuurtOut):
    geometrie: dict | None


def _gemeente(g) -> dict:
    return {"code": g.code, "naam": g.name, "inwoners": g.inhabitants, "water": g.is_water}


def _wijk(w) -> dict:
    return {**_gemeente(w), "gemeente": w.gemeente_id}


def _buurt(b) -> dict:
    return {**_wijk(b), "wijk": b.wijk_id}


@router.get("/gemeenten", response=list[GemeenteOut], summary="Gemeenten in scope (paged, at most 100)")
@paginate(BoundedPagination)
def gemeenten(request):
    return LazyMap(selectors.gemeente_list(user=request.user).order_by("name", "pk"), _gemeente)


@router.get("/wijken", response=list[WijkOut], summary="Wijken in scope (paged, at most 100)")
@paginate(BoundedPagination)
def wijken(request, gemeente: str = ""):
    return LazyMap(selectors.wijk_list(user=request.user, gemeente=gemeente.upper()).order_by("name", "pk"), _wijk)


@router.get("/buurten", response=list[BuurtOut], summary="Buurten in scope (paged, at most 100)")
@paginate(BoundedPagination)
def buurten(request, gemeente: str = "", wijk: str = ""):
    qs = selectors.buurt_list(user=request.user, gemeente=gemeente.upper(), wijk=wijk.upper())
    return LazyMap(qs.order_by("name", "pk"), _buurt)  # a stable order for offset paging


@router.get("/buurten/{code}", response=BuurtDetailOut, summary="One buurt with its outline (GeoJSON)")
def buurt_detail(request, code: str):
    buurt = selectors.buurt_get(user=request.user, code=code)  # NotVisible: 404, audited
    return {**_buurt(buurt), "geometrie": buurt.geometry}
