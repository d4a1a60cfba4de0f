"""/api/v1/themas — themes in the caller's areas; counts follow the small-cell rules ("< 10", rounded to 5) unless
every record behind the theme is the caller's own organisation's in their scope; keywords come only from texts the
caller may read.

Deciding (erkennen, afwijzen) is for coordinators of the theme's area; herberekenen for beheerders."""

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from nabij.core import permissions
from nabij.core.pagination import BoundedPagination, LazyMap
from nabij.privacy.refusals import require
from nabij.themes import selectors, services
from nabij.themes.models import Level, Theme

router = Router(tags=["thema's"])


class ThemeOut(Schema):
    id: int
    niveau: str
    gebied: str = Field(..., description="CBS code of the buurt, wijk or gemeente")
    onderwerp: str = Field(..., description="Topic slug")
    naam: str
    status: str
    aantal: int | str = Field(
        ...,
        description="Distinct residents or contacts; exact when all records are your organisation's in your scope, "
        'else "< 10" or rounded to 5',
    )
    verwacht: float
    uitleg: str
    kinderen: list[int]


class ThemeDetailOut(ThemeOut):
    voorgestelde_naam: str
    trefwoorden: list[str]
    periode_van: str
    periode_tot: str
    ouder: int | None
    reden_afwijzing: str


class ConfirmIn(Schema):
    naam: str | None = Field(None, max_length=200)


class RejectIn(Schema):
    reden: str = Field(..., max_length=1000)


class RecomputeOut(Schema):
    cellen: int
    themas: int


def _out(request, theme: Theme, detail: bool = False) -> dict:
    data = {
        "id": theme.pk,
        "niveau": theme.level,
        "gebied": theme.area_code,
        "onderwerp": theme.topic.slug,
        "naam": selectors.theme_display_name(request.user, theme),
        "status": theme.status,
        "aantal": selectors.theme_shown_count(request.user, theme),
        "verwacht": theme.expected,
        "uitleg": selectors.theme_explanation(request.user, theme),
        "kinderen": sorted(c.pk for c in theme.children.all()),
    }
    if detail:
        keywords, suggested_name = selectors.theme_words(request.user, theme)
        data.update(
            voorgestelde_naam=suggested_name,
            trefwoorden=keywords,
            periode_van=theme.period_start.isoformat(),
            periode_tot=theme.period_end.isoformat(),
            ouder=theme.parent_id,
            reden_afwijzing=theme.rejection_reason,
        )
    return data


def _require_viewer(request) -> None:
    require(
        permissions.can_view_themes(request.user),
        actor=request.user,
        action="view",
        object_type="theme_list",
        message="Geen toegang tot thema's.",
    )


def _get(request, theme_id: int) -> Theme:
    _require_viewer(request)
    return selectors.theme_get(user=request.user, pk=theme_id)  # NotVisible: 404, audited


@router.get("/themas", response=list[ThemeOut], summary="Themes in your areas, newest first (paged, at most 100)")
@paginate(BoundedPagination)
def theme_list(request, niveau: str = "", status: str = "", gebied: str = ""):
    _require_viewer(request)
    if niveau and niveau not in Level.values:
        from nabij.core.exceptions import InvalidInput

        raise InvalidInput("Onbekend niveau.", field="niveau")
    if status and status not in Theme.Status.values:
        from nabij.core.exceptions import InvalidInput

        raise InvalidInput("Onbekende status.", field="status")
    qs = selectors.theme_list(user=request.user, level=niveau, status=status, area=gebied)
    return LazyMap(qs, lambda t: _out(request, t))


# Before /themas/{theme_id}: ninja matches path segments in order of declaration.
@router.post("/themas/herberekenen", response={200: RecomputeOut}, summary="Rebuild all counts (beheerder)")
def theme_recompute(request):
    require(
        permissions.can_recompute_themes(request.user),
        actor=request.user,
        action="update",
        object_type="theme_counts",
        message="Alleen beheerders mogen thema's herberekenen.",
    )
    cells, themes = services.themes_rebuild()
    return Status(200, {"cellen": cells, "themas": themes})


@router.get("/themas/{theme_id}", response=ThemeDetailOut, summary="One theme")
def theme_detail(request, theme_id: int):
    return _out(request, _get(request, theme_id), detail=True)


@router.post("/themas/{theme_id}/erkennen", response=ThemeDetailOut, summary="Recognise (and name) a proposal")
def theme_confirm(request, theme_id: int, payload: ConfirmIn | None = None):
    theme = _get(request, theme_id)
    theme = services.theme_confirm(user=request.user, theme=theme, name=(payload.naam if payload else "") or "")
    return _out(request, theme, detail=True)


@router.post("/themas/{theme_id}/afwijzen", response=ThemeDetailOut, summary="Reject a proposal with a reason")
def theme_reject(request, theme_id: int, payload: RejectIn):
    theme = _get(request, theme_id)
    theme = services.theme_reject(user=request.user, theme=theme, reason=payload.reden)
    return _out(request, theme, detail=True)
