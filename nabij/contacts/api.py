"""/api/v1 — contact moments, observations, rounds, topics and channels, as far as the caller may see them.

Every record comes through its policy (`nabij.core.access.contacts`): another organisation's records are not
there unless a samenwerkingsafspraak shares them, and each record names its owner (`organisatie`, the owning
organisation's slug). Bad input (unknown buurt/topic/channel, a buurt outside the scope, a date more than a
day ahead, neither topic nor note) answers 422 with the Dutch message naming the field. Lists are paged (at most
100 rows) and every read is audited by the selectors. An observation's status change honours `If-Match` (its
`ETag`) and answers 409 when a colleague changed it in the meantime.

Contact moments are corrected (`PATCH`, with a reason, honouring `If-Match`) and deleted (`DELETE`, with a
reason) by whoever may change them (AVG art. 16): the history keeps what changed, never the old note. Residents
(`/bewoners`) are registered only with `"toestemming": true` (else 400 naming the field); their inzage (AVG art. 15)
is `GET /bewoners/{id}/inzage`, for the organisation that owns the file, audited as an export.
"""

from datetime import date, datetime

from django.http import Http404, HttpResponse
from django.utils.translation import gettext

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from nabij.contacts import selectors, services
from nabij.contacts.models import Channel, ContactMoment, Correction, Resident, Round, Signal
from nabij.core import selectors as core_selectors
from nabij.core.access.contacts import contact_moment_policy, signal_policy
from nabij.core.concurrency import etag, if_match_version
from nabij.core.exceptions import NotVisible
from nabij.core.pagination import BoundedPagination
from nabij.privacy import erasure as privacy_erasure
from nabij.privacy.inzage import inzage_json

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
    organisatie: str | None = Field(..., description="Slug of the owning organisation (the data controller)")


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
    organisatie: str | None = Field(..., description="Slug of the owning organisation (the data controller)")


class SignalStatusIn(Schema):
    status: str = Field(..., description="gemeld, doorgezet or opgelost")


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
        "organisatie": c.owner_slug,
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
        "organisatie": s.owner_slug,
    }


def _require_viewer(request, object_type: str) -> None:
    selectors.viewer_required(user=request.user, object_type=object_type)


def _check_buurt_filter(request, buurt: str, object_type: str) -> None:
    selectors.buurt_filter_check(user=request.user, buurt=buurt, object_type=object_type)


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
    return Status(201, _contact(moment))  # as stored: the service returns it with its topics and owner


@router.get("/contactmomenten", response=list[ContactOut], summary="Contact moments the caller may see, newest first")
@paginate(BoundedPagination)
def contact_list(request, buurt: str = "", onderwerp: str = "", van: date | None = None, tot: date | None = None):
    _require_viewer(request, "contactmoment_list")
    _check_buurt_filter(request, buurt, "contactmoment_list")
    qs = selectors.contact_moment_list(user=request.user, buurt=buurt, topic=onderwerp, date_from=van, date_to=tot)
    return selectors.api_rows(
        user=request.user,
        policy=contact_moment_policy,
        qs=qs,
        convert=_contact,
        object_type="contactmoment_list",
        area_code=buurt.upper()[:10],
        detail={"api": True, "onderwerp": onderwerp, "van": str(van or ""), "tot": str(tot or "")},
    )


@router.get("/contactmomenten/{contact_id}", response=ContactOut, summary="One contact moment (with its ETag)")
def contact_detail(request, contact_id: int, response: HttpResponse):
    moment = _contact_or_404(request, contact_id)
    response["ETag"] = etag(moment)
    return _contact(moment)


# Correction (AVG art. 16) ------------------------------------------------------------------------------------


class ContactCorrectionIn(Schema):
    buurt: str | None = Field(None, description="CBS buurtcode; unchanged when left out")
    onderwerpen: list[str] | None = Field(None, description="Topic slugs; unchanged when left out")
    notitie: str | None = Field(None, description="The corrected note, de-identified again; unchanged when left out")
    reden: str = Field(..., description="Why: " + ", ".join(Correction.Reason.values))


class DeleteIn(Schema):
    reden: str = Field(..., description="Why: " + ", ".join(Correction.Reason.values))


def _contact_or_404(request, contact_id: int, *, audit: bool = True) -> ContactMoment:
    _require_viewer(request, "contactmoment")
    try:
        return selectors.contact_moment_get(user=request.user, pk=contact_id, audit=audit)
    except NotVisible as exc:
        raise Http404 from exc


@router.patch(
    "/contactmomenten/{contact_id}",
    response=ContactOut,
    summary="Correct a contact moment (buurt, topics, note) with a reason",
    description="Send the `ETag` as `If-Match`; a colleague's change since answers 409. The old note is not kept.",
)
def contact_correct(request, contact_id: int, payload: ContactCorrectionIn, response: HttpResponse):
    moment = _contact_or_404(request, contact_id, audit=False)  # the correction itself is audited
    moment = services.contact_moment_correct(
        user=request.user,
        moment=moment,
        buurt=moment.buurt_id if payload.buurt is None else payload.buurt,
        topics=[t.slug for t in moment.topics.all()] if payload.onderwerpen is None else payload.onderwerpen,
        note=moment.note if payload.notitie is None else payload.notitie,
        reason=payload.reden,
        version=if_match_version(request, moment),
    )
    moment = selectors.contact_moment_get(user=request.user, pk=moment.pk, audit=False)
    response["ETag"] = etag(moment)
    return _contact(moment)


@router.delete(
    "/contactmomenten/{contact_id}",
    response={204: None},
    summary="Delete a contact moment with a reason",
    description="The history keeps that it existed (buurt, topics), not what it said. Honours `If-Match`.",
)
def contact_delete(request, contact_id: int, payload: DeleteIn):
    moment = _contact_or_404(request, contact_id, audit=False)
    services.contact_moment_delete(
        user=request.user, moment=moment, reason=payload.reden, version=if_match_version(request, moment)
    )
    return Status(204, None)


@router.get("/onderwerpen", response=list[TopicOut], summary="The controlled topic list (active topics)")
def topic_list(request):
    return [{"slug": t.slug, "label": t.display_label, "actief": t.is_active} for t in core_selectors.topic_list()]


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
    return Status(201, _signal(signal))


@router.get("/waarnemingen", response=list[SignalOut], summary="Observations the caller may see, newest first")
@paginate(BoundedPagination)
def signal_list(
    request, buurt: str = "", onderwerp: str = "", status: str = "", van: date | None = None, tot: date | None = None
):
    _require_viewer(request, "signal_list")
    _check_buurt_filter(request, buurt, "signal_list")
    qs = selectors.signal_list(
        user=request.user, buurt=buurt, topic=onderwerp, status=status, date_from=van, date_to=tot
    )
    return selectors.api_rows(
        user=request.user,
        policy=signal_policy,
        qs=qs,
        convert=_signal,
        object_type="signal_list",
        area_code=buurt.upper()[:10],
        detail={"api": True, "onderwerp": onderwerp, "status": status, "van": str(van or ""), "tot": str(tot or "")},
    )


def _signal_or_404(request, signal_id: int, *, audit: bool = True) -> Signal:
    _require_viewer(request, "signal")
    try:
        return selectors.signal_get(user=request.user, pk=signal_id, audit=audit)
    except NotVisible as exc:
        raise Http404 from exc


@router.get("/waarnemingen/{signal_id}", response=SignalOut, summary="One observation (with its ETag)")
def signal_detail(request, signal_id: int, response: HttpResponse):
    signal = _signal_or_404(request, signal_id)
    response["ETag"] = etag(signal)
    return _signal(signal)


@router.patch(
    "/waarnemingen/{signal_id}",
    response=SignalOut,
    summary="Change an observation's status",
    description="Send the `ETag` of the observation as `If-Match`; a colleague's change since answers 409.",
)
def signal_status(request, signal_id: int, payload: SignalStatusIn, response: HttpResponse):
    signal = _signal_or_404(request, signal_id, audit=False)  # the change itself is audited
    signal = services.signal_set_status(
        user=request.user, signal=signal, status=payload.status, version=if_match_version(request, signal)
    )
    response["ETag"] = etag(signal)
    return _signal(signal)


# Bewoners: residents, their consent and their inzage (AVG art. 15) -------------------------------------------
# (The erasure endpoint, POST /bewoners/{id}/wissen, lives with the erasure service.)


class ResidentIn(Schema):
    buurt: str = Field(..., description="CBS buurtcode, e.g. BU03630000")
    label: str = Field(..., description="A description without a name; stored de-identified")
    toestemming: bool | None = Field(None, description="Must be true: the resident consents to be followed")


class ConsentOut(Schema):
    gegeven: bool
    datum: datetime


class ResidentOut(Schema):
    id: int
    buurt: str
    label: str
    toestemming: bool
    toestemming_historie: list[ConsentOut]
    organisatie: str | None = Field(..., description="Slug of the owning organisation (the data controller)")


def _resident(r: Resident) -> dict:
    return {
        "id": r.pk,
        "buurt": r.buurt_id,
        "label": r.label,
        "toestemming": r.consent,
        "toestemming_historie": [{"gegeven": c.given, "datum": c.at} for c in selectors.resident_consents(resident=r)],
        "organisatie": r.owner_slug,
    }


@router.post("/bewoners", response={201: ResidentOut}, tags=["bewoners"], summary="Register a resident (with consent)")
def resident_create(request, payload: ResidentIn):
    resident = services.resident_create(
        user=request.user, label=payload.label, buurt=payload.buurt, consent=payload.toestemming
    )
    return Status(201, _resident(resident))


@router.get("/bewoners/{resident_id}", response=ResidentOut, tags=["bewoners"], summary="One resident file")
def resident_detail(request, resident_id: int):
    _require_viewer(request, "resident")
    try:
        resident, _page = selectors.resident_detail_read(user=request.user, pk=resident_id, number=1)
    except NotVisible as exc:
        raise Http404 from exc
    return _resident(resident)


@router.get(
    "/bewoners/{resident_id}/inzage",
    response=dict,
    tags=["bewoners"],
    summary="Everything kept about the resident (inzage, AVG art. 15)",
    description="Only for the organisation that owns the file; audited as an export.",
)
def resident_inzage(request, resident_id: int):
    _require_viewer(request, "resident")
    try:
        _resident_obj, inzage = selectors.resident_inzage(user=request.user, pk=resident_id, fmt="json")
    except NotVisible as exc:
        raise Http404 from exc
    return inzage_json(inzage)


# Erasure of a resident (AVG art. 17) ------------------------------------------------------------------------
# Kept apart from the other resident endpoints: the rule and the work are in nabij.privacy.erasure.


class ErasureIn(Schema):
    reden: str = Field(min_length=3, max_length=500, description="Why the resident is erased (for the audit).")


class ErasureOut(Schema):
    detail: str
    gewist: dict[str, int] = Field(description="Records erased per kind (keys of the privacy registry).")


@router.post(
    "/bewoners/{resident_id}/wissen",
    response=ErasureOut,
    tags=["bewoners"],
    summary="Erase a resident and everything kept about them",
    description=(
        "Erases the resident, their label and consent history, and the text of every linked contact note, promise "
        "and referral; the topic, buurt and week of each contact stay. Only staff who may change the resident "
        "file (403 otherwise; 404 when they may not see it)."
    ),
)
def resident_erase(request, resident_id: int, payload: ErasureIn):
    _require_viewer(request, "resident")
    resident = selectors.resident_get(user=request.user, pk=resident_id)  # NotVisible → 404
    counts = privacy_erasure.resident_erase(actor=request.user, resident=resident, reason=payload.reden)
    return {"detail": gettext("The resident and everything kept about them has been erased."), "gewist": counts}
