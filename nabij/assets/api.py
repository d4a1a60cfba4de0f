"""/api/v1/sociale-kaart — organisations, initiatives, places and key figures in the caller's scope, and
"bestaat dit al?".

Bad input (unknown buurt or topic, a buurt outside the scope, a missing name) answers 422 with a Dutch message
naming the field. A buurt filter outside the scope answers 403. Lists page with `limit` (at most 100) and
`offset`. Key figures (sleutelfiguren) are residents: only for roles that see personal data, only their own
organisation's (or shared by a samenwerkingsafspraak), each with its owner in `organisatie`; reads are audited
by the selectors. Organisations and key figures carry a version: `GET` sends it as the `ETag`, `PUT` takes it
back in `If-Match` and answers 409 when someone changed the record in between.
"""

from datetime import date
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from nabij.accounts.models import Organisation
from nabij.areas.models import Buurt
from nabij.assets import selectors, services
from nabij.assets.models import Initiative, KeyFigure, Place, Provider, ReferralMethod
from nabij.core import permissions
from nabij.core.concurrency import etag, if_match_version
from nabij.core.exceptions import InvalidInput, NotVisible, PermissionRefused
from nabij.core.pagination import BoundedPagination, LazyMap
from nabij.privacy.refusals import require

router = Router(tags=["sociale kaart"])


class ProviderIn(Schema):
    naam: str
    soort: str = Field(Provider.Kind.OVERIG, description="One of: " + ", ".join(Provider.Kind.values))
    beschrijving: str = ""
    buurten: list[str] = Field(default_factory=list, description="CBS buurtcodes the organisation serves")
    wijken: list[str] = Field(
        default_factory=list,
        description="CBS wijkcodes the organisation serves whole (every buurt in them); at least one buurt or wijk",
    )
    onderwerpen: list[str] = Field(default_factory=list, description="Topic slugs (/api/v1/onderwerpen)")
    telefoon: str = ""
    email: str = ""
    website: str = ""
    adres: str = ""
    openingstijden: str = ""
    verwijzen_via: str = Field("", description="Empty or one of: " + ", ".join(ReferralMethod.values))
    contactpunt: str = ""
    openbaar: bool = False
    nabij_organisatie: str | None = Field(
        None,
        description="Slug of the Nabij organisation behind it (referrals with consent reach its staff); "
        "coordinators and beheerders only. Left out: kept as it is.",
    )


class ProviderOut(Schema):
    id: int
    naam: str
    soort: str
    beschrijving: str
    buurten: list[str]
    wijken: list[str] = Field(..., description="Whole wijken served (CBS wijkcodes)")
    onderwerpen: list[str]
    telefoon: str
    email: str
    website: str
    adres: str
    openingstijden: str
    verwijzen_via: str
    contactpunt: str
    openbaar: bool
    nabij_organisatie: str | None = Field(..., description="Slug of the Nabij organisation behind it, if any")
    versie: int = Field(..., description="Raised by every change; also the ETag")


class InitiativeIn(Schema):
    naam: str
    beschrijving: str = Field("", description="What it is, in plain Dutch (B1)")
    buurten: list[str]
    onderwerpen: list[str] = Field(default_factory=list)
    status: str = Field(Initiative.Status.ACTIEF, description="idee, actief, slapend or gestopt")
    behoeften: list[str] = Field(default_factory=list, description="ruimte, geld, vrijwilligers, bekendheid, materiaal")
    contact: str = ""
    openbaar: bool = False


class InitiativeOut(Schema):
    id: int
    naam: str
    beschrijving: str
    buurten: list[str]
    onderwerpen: list[str]
    status: str
    behoeften: list[str]
    contact: str
    openbaar: bool


class PlaceIn(Schema):
    naam: str
    soort: str = Field(Place.Kind.OVERIG, description="One of: " + ", ".join(Place.Kind.values))
    beschrijving: str = ""
    buurt: str
    onderwerpen: list[str] = Field(default_factory=list)
    lat: Decimal | None = None
    lon: Decimal | None = None
    openingstijden: str = ""
    rolstoeltoegankelijk: bool = False
    toilet: bool = False
    invalidentoilet: bool = False
    openbaar: bool = False


class PlaceOut(Schema):
    id: int
    naam: str
    soort: str
    beschrijving: str
    buurt: str
    onderwerpen: list[str]
    lat: float | None
    lon: float | None
    openingstijden: str
    rolstoeltoegankelijk: bool
    toilet: bool
    invalidentoilet: bool
    openbaar: bool


class KeyFigureIn(Schema):
    label: str = Field(..., description="A description without a name, e.g. 'buurtmoeder Rietlanden'")
    buurt: str
    gaven: str = Field(..., description="What they are good at or like to share")
    rol: str = ""
    onderwerpen: list[str] = Field(default_factory=list)
    toestemming: bool = Field(..., description="The resident agrees to be listed (required to be true)")
    toestemmingsdatum: date | None = Field(None, description="When they agreed; today when left out")


class KeyFigureOut(Schema):
    id: int
    label: str
    buurt: str
    rol: str
    gaven: str
    onderwerpen: list[str]
    toestemmingsdatum: date
    organisatie: str | None = Field(..., description="Slug of the owning organisation (the data controller)")
    versie: int = Field(..., description="Raised by every change; also the ETag")


class SearchHitOut(Schema):
    soort: str = Field(..., description="organisatie, initiatief, plek or sleutelfiguur")
    id: int
    naam: str
    niveau: str = Field(..., description="buurt, wijk or gemeente: how near the searched buurt")
    beschrijving: str
    organisatie: str | None = Field(None, description="Key figures: slug of the owning organisation")


def _topics(obj) -> list[str]:
    return [t.slug for t in obj.topics.all()]


def _provider(p: Provider) -> dict:
    return {
        "id": p.pk,
        "naam": p.name,
        "soort": p.kind,
        "beschrijving": p.description,
        "buurten": [b.code for b in p.buurten.all()],
        "wijken": [w.code for w in p.wijken.all()],
        "onderwerpen": _topics(p),
        "telefoon": p.phone,
        "email": p.email,
        "website": p.website,
        "adres": p.address,
        "openingstijden": p.opening_hours,
        "verwijzen_via": p.referral_method,
        "contactpunt": p.referral_contact,
        "openbaar": p.is_public,
        "nabij_organisatie": p.nabij_organisation.slug if p.nabij_organisation_id else None,
        "versie": p.version,
    }


def _key_figure(f: KeyFigure) -> dict:
    return {
        "id": f.pk,
        "label": f.label,
        "buurt": f.buurt_id,
        "rol": f.role,
        "gaven": f.gifts,
        "onderwerpen": _topics(f),
        "toestemmingsdatum": f.consent_date,
        "organisatie": f.owner_slug,
        "versie": f.version,
    }


def _initiative(i: Initiative) -> dict:
    return {
        "id": i.pk,
        "naam": i.name,
        "beschrijving": i.description,
        "buurten": [b.code for b in i.buurten.all()],
        "onderwerpen": _topics(i),
        "status": i.status,
        "behoeften": list(i.needs),
        "contact": i.contact,
        "openbaar": i.is_public,
    }


def _place(p: Place) -> dict:
    return {
        "id": p.pk,
        "naam": p.name,
        "soort": p.kind,
        "beschrijving": p.description,
        "buurt": p.buurt_id,
        "onderwerpen": _topics(p),
        "lat": float(p.latitude) if p.latitude is not None else None,
        "lon": float(p.longitude) if p.longitude is not None else None,
        "openingstijden": p.opening_hours,
        "rolstoeltoegankelijk": p.wheelchair_accessible,
        "toilet": p.has_toilet,
        "invalidentoilet": p.accessible_toilet,
        "openbaar": p.is_public,
    }


def _check_buurt_filter(request, buurt: str, object_type: str) -> None:
    if buurt and not permissions.has_national_scope(request.user):
        require(
            buurt.upper() in permissions.visible_buurt_codes(request.user),
            actor=request.user,
            action="view",
            object_type=object_type,
            area_code=buurt.upper()[:10],
            message="Deze buurt valt buiten je gebied.",
        )


@router.get("/organisaties", response=list[ProviderOut], summary="Organisations serving buurten in scope")
@paginate(BoundedPagination)
def provider_list(request, buurt: str = "", onderwerp: str = "", soort: str = ""):
    _check_buurt_filter(request, buurt, "provider_list")
    return LazyMap(selectors.provider_list(user=request.user, buurt=buurt, topic=onderwerp, kind=soort), _provider)


def _nabij_organisation(payload: ProviderIn):
    """The organisation the payload names (KEEP when it names none); an unknown slug is bad input."""
    if "nabij_organisatie" not in payload.model_fields_set:
        return services.KEEP
    if not payload.nabij_organisatie:
        return None
    organisation = Organisation.objects.filter(slug=payload.nabij_organisatie).first()
    if organisation is None:
        message = _("Unknown organisation: %(slug)s.") % {"slug": payload.nabij_organisatie}
        raise InvalidInput(message, field="nabij_organisatie")
    return organisation


def _provider_fields(payload: ProviderIn) -> dict:
    return {
        "name": payload.naam,
        "kind": payload.soort,
        "description": payload.beschrijving,
        "buurten": payload.buurten,
        "wijken": payload.wijken,
        "topics": payload.onderwerpen,
        "phone": payload.telefoon,
        "email": payload.email,
        "website": payload.website,
        "address": payload.adres,
        "opening_hours": payload.openingstijden,
        "referral_method": payload.verwijzen_via,
        "referral_contact": payload.contactpunt,
        "is_public": payload.openbaar,
        "nabij_organisation": _nabij_organisation(payload),
    }


@router.post("/organisaties", response={201: ProviderOut}, summary="Add an organisation")
def provider_create(request, payload: ProviderIn, response: HttpResponse):
    provider = services.provider_save(user=request.user, **_provider_fields(payload))
    provider = selectors.provider_get(user=request.user, pk=provider.pk)
    response["ETag"] = etag(provider)
    return Status(201, _provider(provider))


@router.put("/organisaties/{pk}", response=ProviderOut, summary="Change an organisation (If-Match: its ETag)")
def provider_update(request, pk: int, payload: ProviderIn, response: HttpResponse):
    """The whole organisation as it should be. Send the `ETag` of the version you changed in `If-Match`: when
    someone changed it in between, 409 and nothing is overwritten."""
    provider = _detail(request, selectors.provider_get, pk)
    services.provider_save(
        user=request.user, provider=provider, version=if_match_version(request, provider), **_provider_fields(payload)
    )
    provider = selectors.provider_get(user=request.user, pk=pk)
    response["ETag"] = etag(provider)
    return _provider(provider)


@router.get("/initiatieven", response=list[InitiativeOut], summary="Residents' initiatives in scope")
@paginate(BoundedPagination)
def initiative_list(request, buurt: str = "", onderwerp: str = "", status: str = ""):
    _check_buurt_filter(request, buurt, "initiative_list")
    qs = selectors.initiative_list(user=request.user, buurt=buurt, topic=onderwerp, status=status)
    return LazyMap(qs, _initiative)


@router.post("/initiatieven", response={201: InitiativeOut}, summary="Add an initiative")
def initiative_create(request, payload: InitiativeIn):
    initiative = services.initiative_save(
        user=request.user,
        name=payload.naam,
        description=payload.beschrijving,
        buurten=payload.buurten,
        topics=payload.onderwerpen,
        status=payload.status,
        needs=payload.behoeften,
        contact=payload.contact,
        is_public=payload.openbaar,
    )
    return Status(201, _initiative(selectors.initiative_get(user=request.user, pk=initiative.pk)))


@router.get("/plekken", response=list[PlaceOut], summary="Places in buurten in scope")
@paginate(BoundedPagination)
def place_list(request, buurt: str = "", onderwerp: str = "", soort: str = ""):
    _check_buurt_filter(request, buurt, "place_list")
    return LazyMap(selectors.place_list(user=request.user, buurt=buurt, topic=onderwerp, kind=soort), _place)


@router.post("/plekken", response={201: PlaceOut}, summary="Add a place")
def place_create(request, payload: PlaceIn):
    place = services.place_save(
        user=request.user,
        name=payload.naam,
        kind=payload.soort,
        description=payload.beschrijving,
        buurt=payload.buurt,
        topics=payload.onderwerpen,
        latitude=payload.lat,
        longitude=payload.lon,
        opening_hours=payload.openingstijden,
        wheelchair_accessible=payload.rolstoeltoegankelijk,
        has_toilet=payload.toilet,
        accessible_toilet=payload.invalidentoilet,
        is_public=payload.openbaar,
    )
    return Status(201, _place(selectors.place_get(user=request.user, pk=place.pk)))


def _detail(request, getter, pk: int):
    """One entry in the caller's scope; outside it (or unknown) 404, the refusal audited by the selector."""
    return getter(user=request.user, pk=pk)


@router.get("/organisaties/{pk}", response=ProviderOut, summary="One organisation (with its ETag)")
def provider_detail(request, pk: int, response: HttpResponse):
    provider = _detail(request, selectors.provider_get, pk)
    response["ETag"] = etag(provider)
    return _provider(provider)


@router.get("/initiatieven/{pk}", response=InitiativeOut, summary="One initiative")
def initiative_detail(request, pk: int):
    return _initiative(_detail(request, selectors.initiative_get, pk))


@router.get("/plekken/{pk}", response=PlaceOut, summary="One place")
def place_detail(request, pk: int):
    return _place(_detail(request, selectors.place_get, pk))


@router.get("/zoek", response=list[SearchHitOut], summary="Bestaat dit al? Search near a buurt")
def search(request, buurt: str, q: str = "", onderwerp: str = ""):
    """Existing organisations, initiatives, places (and, for roles that may see them, key figures) for the
    words and topic: the buurt first, then its wijk, then its gemeente. At most 50 results."""
    area = Buurt.objects.filter(code=buurt.strip().upper()).first()
    if area is None:
        raise Http404
    try:
        hits = selectors.social_map_search(user=request.user, buurt=area, q=q, topic=onderwerp)
    except NotVisible as exc:  # audited by the search
        raise PermissionRefused("Deze buurt valt buiten je gebied.") from exc
    return [
        {
            "soort": h.kind,
            "id": h.id,
            "naam": h.name,
            "niveau": h.level,
            "beschrijving": h.description,
            "organisatie": h.organisation,
        }
        for h in hits
    ]


# Key figures ------------------------------------------------------------------------------------------------


def _require_key_figures(request) -> None:
    require(
        permissions.can_view_key_figures(request.user),
        actor=request.user,
        action="view",
        object_type="key_figure",
        message=_("Key figures are only for staff who work with residents."),
    )


@router.get("/sleutelfiguren", response=list[KeyFigureOut], summary="Key figures the caller may see")
@paginate(BoundedPagination)
def key_figure_list(request, buurt: str = "", onderwerp: str = ""):
    """The caller's organisation's key figures in scope (and those shared by a samenwerkingsafspraak in effect),
    each naming its owner in `organisatie`. Audited."""
    _require_key_figures(request)
    _check_buurt_filter(request, buurt, "key_figure_list")
    qs = selectors.key_figure_list(user=request.user, buurt=buurt, topic=onderwerp, detail={"api": True})
    return LazyMap(qs, _key_figure)


@router.get("/sleutelfiguren/{pk}", response=KeyFigureOut, summary="One key figure (with its ETag)")
def key_figure_detail(request, pk: int, response: HttpResponse):
    _require_key_figures(request)
    figure = _detail(request, selectors.key_figure_get, pk)
    response["ETag"] = etag(figure)
    return _key_figure(figure)


@router.post("/sleutelfiguren", response={201: KeyFigureOut}, summary="List a resident as a key figure")
def key_figure_create(request, payload: KeyFigureIn, response: HttpResponse):
    """Only with the resident's consent; owned by the caller's organisation. Names are removed before saving."""
    figure = services.key_figure_create(
        user=request.user,
        label=payload.label,
        buurt=payload.buurt,
        gifts=payload.gaven,
        role=payload.rol,
        topics=payload.onderwerpen,
        consent=payload.toestemming,
        consent_date=payload.toestemmingsdatum,
    )
    figure = selectors.key_figure_get(user=request.user, pk=figure.pk)
    response["ETag"] = etag(figure)
    return Status(201, _key_figure(figure))


@router.put("/sleutelfiguren/{pk}", response=KeyFigureOut, summary="Change a key figure (If-Match: its ETag)")
def key_figure_update(request, pk: int, payload: KeyFigureIn, response: HttpResponse):
    """Only the owning organisation changes a key figure (a shared one answers 403). Send the `ETag` of the
    version you changed in `If-Match`: when someone changed it in between, 409 and nothing is overwritten."""
    _require_key_figures(request)
    figure = _detail(request, selectors.key_figure_get, pk)
    services.key_figure_update(
        user=request.user,
        key_figure=figure,
        label=payload.label,
        buurt=payload.buurt,
        gifts=payload.gaven,
        role=payload.rol,
        topics=payload.onderwerpen,
        consent=payload.toestemming,
        version=if_match_version(request, figure),
    )
    figure = selectors.key_figure_get(user=request.user, pk=pk)
    response["ETag"] = etag(figure)
    return _key_figure(figure)
