"""/api/v1/beloftes and /api/v1/doorverwijzingen — promises and referrals the caller may see by their policies
(`nabij.core.access.followup`): their own organisation's in scope, what an agreement shares, referrals made to
their organisation with consent. Every record names its owner (`organisatie`, the slug) and its `versie`; edits
honour `If-Match` and answer 409 on a stale version. Lists are paged (`limit` at most 100).

Bad input (a deadline in the past, an owner outside the team, an organisation that does not serve the buurt
without `afwijking_reden`, a status change that is not allowed) answers 422 with the Dutch message naming the
field, and nothing is changed. Every read is audited (by the selectors).
"""

from datetime import date, datetime
from typing import Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from nabij.core import permissions
from nabij.core.access.followup import referral_policy
from nabij.core.concurrency import etag, if_match_version
from nabij.core.pagination import BoundedPagination, LazyMap
from nabij.followup import selectors, services
from nabij.followup.models import Promise, Referral
from nabij.privacy.refusals import require

router = Router(tags=["opvolging"])


class PromiseIn(Schema):
    omschrijving: str = Field(..., description="What was promised, short; stored de-identified")
    deadline: date = Field(..., description="ISO date, today or later (Europe/Amsterdam)")
    contactmoment: int | None = None
    bewoner: int | None = None
    eigenaar: int | None = Field(None, description="User id of a colleague from the team; default the caller")
    buurt: str | None = Field(None, description="CBS buurtcode; only needed without contactmoment or bewoner")
    initiatief: int | None = None
    groep: str = Field("", description="A group of residents, without names")


class PromiseOut(Schema):
    id: int
    organisatie: str | None = Field(..., description="Slug of the owning organisation (the data controller)")
    versie: int = Field(..., description="Raised by every change; also sent as the ETag")
    omschrijving: str
    deadline: date
    status: str
    te_laat: bool
    buurt: str
    eigenaar: int
    bewoner: int | None
    initiatief: int | None
    groep: str
    contactmoment: int | None
    nagekomen_op: datetime | None
    toelichting: str


class KeepIn(Schema):
    toelichting: str = ""


class HandoverIn(Schema):
    eigenaar: int
    toelichting: str


class PromiseStatusIn(Schema):
    status: str
    toelichting: str = ""
    bewoner_geinformeerd: bool = False


class ReferralIn(Schema):
    verwezen_naar: int = Field(..., description="Id of the organisation on the sociale kaart referred to")
    onderwerp: str = Field(..., description="Topic slug")
    bewoner: int | None = None
    contactmoment: int | None = None
    buurt: str | None = Field(None, description="CBS buurtcode; only needed without contactmoment or bewoner")
    warm: bool = False
    toestemming: bool = Field(
        False,
        description="The resident agrees to share this referral with the organisation (its staff see it when it "
        "uses Nabij); needed for a warm referral",
    )
    vraag: str = Field("", description="What the resident asks, short, without names; stored de-identified")
    navragen_op: date | None = Field(None, description="Default: 14 days from today")
    afwijking_reden: str = Field("", description="Why, when the organisation does not serve the buurt")


class ReferralOut(Schema):
    id: int
    organisatie: str | None = Field(..., description="Slug of the owning (referring) organisation")
    versie: int = Field(..., description="Raised by every change; also sent as the ETag")
    ontvangen: bool = Field(..., description="Referred to the caller's organisation by another one, with consent")
    verwezen_naar: int = Field(..., description="Id of the organisation on the sociale kaart referred to")
    onderwerp: str
    vraag: str
    buurt: str
    bewoner: int | None = Field(..., description="The resident's id; not given to the organisation referred to")
    bewoner_label: str
    contactmoment: int | None = Field(..., description="Not given to the organisation referred to")
    medewerker: str = Field(..., description="The referring worker's name")
    medewerker_email: str = Field(..., description="The referring worker's e-mail address, to get in touch")
    warm: bool
    toestemming: bool
    status: str
    navragen_op: date
    te_laat: bool
    teruggehoord_op: datetime | None
    afwijking_reden: str


class ErrorOut(Schema):
    detail: list[dict]


class ReferralStatusIn(Schema):
    status: Literal["verwezen", "contact_gelegd", "geholpen", "niet_geholpen", "onbekend"]
    toelichting: str = ""


def _promise_out(p: Promise) -> dict:
    return {
        "id": p.pk,
        "organisatie": p.owner_slug,
        "versie": p.version,
        "omschrijving": p.description,
        "deadline": p.due_date,
        "status": p.status,
        "te_laat": p.is_overdue,
        "buurt": p.buurt_id,
        "eigenaar": p.owner_id,
        "bewoner": p.resident_id,
        "initiatief": p.initiative_id,
        "groep": p.group_label,
        "contactmoment": p.contact_moment_id,
        "nagekomen_op": p.kept_at,
        "toelichting": p.kept_note or p.failure_reason,
    }


def _referral_out(r: Referral, *, user) -> dict:
    # The organisation referred to gets that referral only: no ids of the referring organisation's other records.
    received = referral_policy.is_received(user, r)
    return {
        "id": r.pk,
        "organisatie": r.owner_slug,
        "versie": r.version,
        "ontvangen": received,
        "verwezen_naar": r.provider_id,
        "onderwerp": r.topic.slug,
        "vraag": r.question,
        "buurt": r.buurt_id,
        "bewoner": None if received else r.resident_id,
        "bewoner_label": r.resident.label if r.resident_id else "",
        "contactmoment": None if received else r.contact_moment_id,
        "medewerker": r.worker.full_name,
        "medewerker_email": r.worker.email,
        "warm": r.warm,
        "toestemming": r.consent_to_share,
        "status": r.status,
        "navragen_op": r.navragen_op,
        "te_laat": r.is_overdue,
        "teruggehoord_op": r.heard_back_at,
        "afwijking_reden": "" if received else r.outside_buurt_reason,
    }


def _with_etag(response: HttpResponse, obj) -> None:
    response["ETag"] = etag(obj)


def _require(request, object_type: str) -> None:
    require(
        permissions.can_use_followup(request.user),
        actor=request.user,
        action="view",
        object_type=object_type,
        message=_("You may not record promises or referrals."),
    )


def _promise(request, pk: int, *, audit: bool = False) -> Promise:
    return selectors.promise_get(user=request.user, pk=pk, audit=audit)  # NotVisible: 404, audited


def _referral(request, pk: int, *, audit: bool = False) -> Referral:
    return selectors.referral_get(user=request.user, pk=pk, audit=audit)  # NotVisible: 404, audited


CONFLICT = {409: ErrorOut}
IF_MATCH = (
    "Send the ETag you read in `If-Match`: when a colleague changed it since, the answer is 409 and nothing "
    "changes. The answer carries the new ETag."
)


@router.post("/beloftes", response={201: PromiseOut}, summary="Record a promise")
def promise_create(request, payload: PromiseIn, response: HttpResponse):
    promise = services.promise_create(
        user=request.user,
        description=payload.omschrijving,
        due_date=payload.deadline,
        buurt=payload.buurt,
        contact_moment=payload.contactmoment,
        resident=payload.bewoner,
        initiative=payload.initiatief,
        group_label=payload.groep,
        owner=payload.eigenaar,
    )
    _with_etag(response, promise)
    return Status(201, _promise_out(promise))


@router.get("/beloftes", response=list[PromiseOut], summary="Promises the caller may see")
@paginate(BoundedPagination)
def promise_list(
    request,
    status: Literal["open", "te-laat", "nagekomen", "niet-gelukt", "overgedragen"] | None = None,
    eigenaar: int | None = None,
):
    _require(request, "promise_list")
    rows = selectors.promise_list_read(
        user=request.user,
        status=status or "",
        owner_id=eigenaar,
        detail={"status": status or "", "eigenaar": eigenaar, "via": "api"},
    )
    return LazyMap(rows, _promise_out)


@router.get("/beloftes/{promise_id}", response=PromiseOut, summary="One promise")
def promise_get(request, promise_id: int, response: HttpResponse):
    _require(request, "promise")
    promise = _promise(request, promise_id, audit=True)
    _with_etag(response, promise)
    return _promise_out(promise)


@router.post(
    "/beloftes/{promise_id}/nagekomen",
    response={200: PromiseOut, **CONFLICT},
    summary="Mark a promise kept",
    description=IF_MATCH,
)
def promise_keep(request, promise_id: int, response: HttpResponse, payload: KeepIn | None = None):
    promise = _promise(request, promise_id)
    promise = services.promise_keep(
        user=request.user,
        promise=promise,
        note=payload.toelichting if payload else "",
        expected_version=if_match_version(request, promise),
    )
    _with_etag(response, promise)
    return _promise_out(promise)


@router.post(
    "/beloftes/{promise_id}/overdragen",
    response={200: PromiseOut, **CONFLICT},
    summary="Hand a promise over",
    description=IF_MATCH,
)
def promise_hand_over(request, promise_id: int, payload: HandoverIn, response: HttpResponse):
    promise = _promise(request, promise_id)
    promise = services.promise_hand_over(
        user=request.user,
        promise=promise,
        to_user=payload.eigenaar,
        note=payload.toelichting,
        expected_version=if_match_version(request, promise),
    )
    _with_etag(response, promise)
    return _promise_out(promise)


@router.post(
    "/beloftes/{promise_id}/status",
    response={200: PromiseOut, **CONFLICT},
    summary="Change a promise's status",
    description=IF_MATCH,
)
def promise_status(request, promise_id: int, payload: PromiseStatusIn, response: HttpResponse):
    promise = _promise(request, promise_id)
    promise = services.promise_set_status(
        user=request.user,
        promise=promise,
        status=payload.status,
        note=payload.toelichting,
        resident_told=payload.bewoner_geinformeerd,
        expected_version=if_match_version(request, promise),
    )
    _with_etag(response, promise)
    return _promise_out(promise)


@router.post("/doorverwijzingen", response={201: ReferralOut}, summary="Refer a resident to an organisation")
def referral_create(request, payload: ReferralIn, response: HttpResponse):
    referral = services.referral_create(
        user=request.user,
        provider=payload.verwezen_naar,
        topic=payload.onderwerp,
        warm=payload.warm,
        consent_to_share=payload.toestemming,
        resident=payload.bewoner,
        contact_moment=payload.contactmoment,
        buurt=payload.buurt,
        navragen_op=payload.navragen_op,
        outside_buurt_reason=payload.afwijking_reden,
        question=payload.vraag,
    )
    _with_etag(response, referral)
    return Status(201, _referral_out(referral, user=request.user))


class ReferralFilter(Schema):
    status: Literal["verwezen", "contact_gelegd", "geholpen", "niet_geholpen", "onbekend"] | None = None
    te_laat: bool = False
    ontvangen: bool = Field(False, description="Only referrals other organisations made to the caller's")


@router.get("/doorverwijzingen", response=list[ReferralOut], summary="Referrals the caller may see")
@paginate(BoundedPagination)
def referral_list(request, filters: Query[ReferralFilter]):
    _require(request, "referral_list")
    rows = selectors.referral_list_read(
        user=request.user,
        status=filters.status or "",
        overdue=filters.te_laat,
        received=filters.ontvangen,
        detail={"status": filters.status or "", "te_laat": filters.te_laat, "via": "api"},
    )
    return LazyMap(rows, lambda r: _referral_out(r, user=request.user))


@router.get("/doorverwijzingen/{referral_id}", response=ReferralOut, summary="One referral")
def referral_get(request, referral_id: int, response: HttpResponse):
    _require(request, "referral")
    referral = _referral(request, referral_id, audit=True)
    _with_etag(response, referral)
    return _referral_out(referral, user=request.user)


@router.post(
    "/doorverwijzingen/{referral_id}/status",
    response={200: ReferralOut, **CONFLICT},
    summary="Record hearing back",
    description="The referring organisation, or the organisation referred to when the referral was shared with it. "
    + IF_MATCH,
)
def referral_status(request, referral_id: int, payload: ReferralStatusIn, response: HttpResponse):
    referral = _referral(request, referral_id)
    referral = services.referral_set_status(
        user=request.user,
        referral=referral,
        status=payload.status,
        note=payload.toelichting,
        expected_version=if_match_version(request, referral),
    )
    _with_etag(response, referral)
    return _referral_out(referral, user=request.user)
