"""/api/v1 — contact moments, observations, rounds, topics and channels, within the caller's area scope.

Bad input (unknown buurt/topic/channel, a buurt outside the scope, a date more than a day ahead, neither topic
nor note) answers 422 with the Dutch message naming the field. Every list read is audited.
"""

from datetime import date, datetime

from django.http import Http404

from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from nabij.contacts import selectors, services
from nabij.contacts.models import Channel, ContactMoment, Round, Signal
from nabij.core import permissions
from nabij.core.exceptions import NotVisible, PermissionRefused
from nabij.core.pagination import LazyMap
from nabij.privacy.services import audit_record, audit_refusal

router = Router(tags=["contacten"])


class ContactIn(Schema):
    buurt: str = Field(..., description="CBS buurtcode, e.g. BU03630000")
    datum: datetime | None = Field(None, description="ISO datetime; default now; at most one day ahead")
    kanaal: str = Field(..., description="Channel slug, see /kanalen")
    onderwerpen: list[str] = Field(default_factory=list, description="Topic slugs, see /onderwerpen")
    notitie: str = Field("", description="Free text; stored de-identified")
    bewoner: int | None = None
    opvolgen: bool = False
    ronde: int | None = Field(None, description="An open round of the caller")


class ContactOut(Schema):
    id: int
    buurt: str
    datum: datetime
    kanaal: str
    onderwerpen: list[str]
    notitie: str
    bewoner: int | None
    opvolgen: bool
    ronde: int | None
    medewerker: int | None


class TopicOut(Schema):
    slug: str
    label: str
    actief: bool


class ChannelOut(Schema):
    slug: str
    label: str


class RoundIn(Schema):
    plan: int | None = None
    buurten: list[str] = Field(default_factory=list)


class RoundOut(Schema):
    id: int
    plan: int | None
    buurten: list[str]
    gestart: datetime
    beeindigd: datetime | None


class SignalIn(Schema):
    buurt: str
    onderwerp: str
    notitie: str = ""
    datum: datetime | None = None
    lat: float | None = None
    lon: float | None = None
    ronde: int | None = None


class SignalOut(Schema):
    id: int
    buurt: str
    onderwerp: str
    notitie: str
    datum: datetime
    lat: float | None
    lon: float | None
    status: str


def _contact(c: ContactMoment) -> dict:
    return {
        "id": c.pk,
        "buurt": c.buurt_id,
        "datum": c.occurred_at,
        "kanaal": c.channel,
        "onderwerpen": [t.slug for t in c.topics.all()],
        "notitie": c.note,
        "bewoner": c.resident_id,
        "opvolgen": c.needs_follow_up,
        "ronde": c.round_id,
        "medewerker": c.worker_id,
    }


def _round(r: Round) -> dict:
    return {
        "id": r.pk,
        "plan": r.plan_id,
        "buurten": sorted(b.code for b in r.buurten.all()),
        "gestart": r.started_at,
        "beeindigd": r.ended_at,
    }


def _signal(s: Signal) -> dict:
    return {
        "id": s.pk,
        "buurt": s.buurt_id,
        "onderwerp": s.topic.slug,
        "notitie": s.note,
        "datum": s.occurred_at,
        "lat": float(s.latitude) if s.latitude is not None else None,
        "lon": float(s.longitude) if s.longitude is not None else None,
        "status": s.status,
    }


def _require_viewer(request, object_type: str) -> None:
    if not permissions.can_view_contact_moments(request.user):
        audit_refusal(actor=request.user, action="view", object_type=object_type)
        raise PermissionRefused("Geen toegang tot contactmomenten.")


def _check_buurt_filter(request, buurt: str, object_type: str) -> None:
    if buurt and buurt.upper() not in permissions.visible_buurt_codes(request.user):
        if not permissions.has_national_scope(request.user):
            audit_refusal(actor=request.user, action="view", object_type=object_type, area_code=buurt.upper()[:10])
            raise PermissionRefused("Deze buurt valt buiten je gebied.")


@router.post("/contactmomenten", response={201: ContactOut}, summary="Log a contact moment")
def contact_create(request, payload: ContactIn):
    moment = services.contact_moment_create(
        user=request.user,
        buurt=payload.buurt,
        channel=payload.kanaal,
        topics=payload.onderwerpen,
        note=payload.notitie,
        occurred_at=payload.datum,
        resident=payload.bewoner,
        needs_follow_up=payload.opvolgen,
        round_id=payload.ronde,
    )
    moment = selectors.contact_moment_list(user=request.user).get(pk=moment.pk)
    return Status(201, _contact(moment))


@router.get("/contactmomenten", response=list[ContactOut], summary="Contact moments in scope, newest first")
@paginate(LimitOffsetPagination)
def contact_list(request, buurt: str = "", onderwerp: str = "", van: date | None = None, tot: date | None = None):
    _require_viewer(request, "contactmoment_list")
    _check_buurt_filter(request, buurt, "contactmoment_list")
    qs = selectors.contact_moment_list(user=request.user, buurt=buurt, topic=onderwerp, date_from=van, date_to=tot)
    audit_record(
        actor=request.user,
        action="view",
        object_type="contactmoment_list",
        area_code=buurt.upper()[:10],
        detail={"api": True, "onderwerp": onderwerp, "van": str(van or ""), "tot": str(tot or "")},
    )
    return LazyMap(qs, _contact)


@router.get("/onderwerpen", response=list[TopicOut], summary="The controlled topic list (active topics)")
def topic_list(request):
    return [{"slug": t.slug, "label": t.display_label, "actief": t.is_active} for t in selectors.topic_list()]


@router.get("/kanalen", response=list[ChannelOut], summary="Channels of a contact moment")
def channel_list(request):
    return [{"slug": value, "label": str(label)} for value, label in Channel.choices]


@router.post("/rondes", response={201: RoundOut}, summary="Start a round (from a plan or in chosen buurten)")
def round_start(request, payload: RoundIn):
    round_ = services.round_start(user=request.user, plan_id=payload.plan, buurten=payload.buurten)
    return Status(201, _round(selectors.round_get(user=request.user, pk=round_.pk)))


@router.post("/rondes/{round_id}/afsluiten", response=RoundOut, summary="End a round")
def round_end(request, round_id: int):
    try:
        round_ = selectors.round_get(user=request.user, pk=round_id)
        round_ = services.round_end(user=request.user, round_=round_)
    except NotVisible as exc:
        audit_refusal(actor=request.user, action="update", object_type="round", object_id=round_id)
        raise Http404 from exc
    return _round(round_)


@router.post("/waarnemingen", response={201: SignalOut}, summary="Log an observation")
def signal_create(request, payload: SignalIn):
    signal = services.signal_create(
        user=request.user,
        buurt=payload.buurt,
        topic=payload.onderwerp,
        note=payload.notitie,
        occurred_at=payload.datum,
        latitude=payload.lat,
        longitude=payload.lon,
        round_id=payload.ronde,
    )
    return Status(201, _signal(selectors.signal_list(user=request.user).get(pk=signal.pk)))


@router.get("/waarnemingen", response=list[SignalOut], summary="Observations in scope, newest first")
@paginate(LimitOffsetPagination)
def signal_list(
    request, buurt: str = "", onderwerp: str = "", status: str = "", van: date | None = None, tot: date | None = None
):
    _require_viewer(request, "signal_list")
    _check_buurt_filter(request, buurt, "signal_list")
    qs = selectors.signal_list(
        user=request.user, buurt=buurt, topic=onderwerp, status=status, date_from=van, date_to=tot
    )
    audit_record(actor=request.user, action="view", object_type="signal_list", area_code=buurt.upper()[:10])
    return LazyMap(qs, _signal)
