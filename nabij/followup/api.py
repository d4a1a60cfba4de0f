"""/api/v1/beloftes and /api/v1/doorverwijzingen — promises and referrals within the caller's area scope.

Bad input (a deadline in the past, an owner outside the team, an organisation that does not serve the buurt
without `afwijking_reden`, a status change that is not allowed) answers 422 with the Dutch message naming the
field, and nothing is changed. Every list read is audited.
"""

from datetime import date, datetime
from typing import Literal

from django.utils.translation import gettext as _

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from nabij.core import permissions
from nabij.core.exceptions import NotVisible, PermissionRefused
from nabij.followup import selectors, services
from nabij.followup.models import Promise, Referral
from nabij.privacy.services import audit_record, audit_refusal

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
    organisatie: int = Field(..., description="Id of an organisation on the sociale kaart")
    onderwerp: str = Field(..., description="Topic slug")
    bewoner: int | None = None
    contactmoment: int | None = None
    buurt: str | None = Field(None, description="CBS buurtcode; only needed without contactmoment or bewoner")
    warm: bool = False
    toestemming: bool = False
    navragen_op: date | None = Field(None, description="Default: 14 days from today")
    afwijking_reden: str = Field("", description="Why, when the organisation does not serve the buurt")


class ReferralOut(Schema):
    id: int
    organisatie: int
    onderwerp: str
    buurt: str
    bewoner: int | None
    contactmoment: int | None
    warm: bool
    toestemming: bool
    status: str
    navragen_op: date
    te_laat: bool
    teruggehoord_op: datetime | None
    afwijking_reden: str


class ReferralStatusIn(Schema):
    status: Literal["verwezen", "contact_gelegd", "geholpen", "niet_geholpen", "onbekend"]
    toelichting: str = ""


def _promise_out(p: Promise) -> dict:
    return {
        "id": p.pk,
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


def _referral_out(r: Referral) -> dict:
    return {
        "id": r.pk,
        "organisatie": r.provider_id,
        "onderwerp": r.topic.slug,
        "buurt": r.buurt_id,
        "bewoner": r.resident_id,
        "contactmoment": r.contact_moment_id,
        "warm": r.warm,
        "toestemming": r.consent_to_share,
        "status": r.status,
        "navragen_op": r.navragen_op,
        "te_laat": r.is_overdue,
        "teruggehoord_op": r.heard_back_at,
        "afwijking_reden": r.outside_buurt_reason,
    }


def _require(request, object_type: str) -> None:
    if not permissions.can_use_followup(request.user):
        audit_refusal(actor=request.user, action="view", object_type=object_type)
        raise PermissionRefused(_("You may not record promises or referrals."))


def _promise(request, pk: int) -> Promise:
    try:
        return selectors.promise_get(user=request.user, pk=pk)
    except NotVisible:
        audit_refusal(actor=request.user, action="view", object_type="promise", object_id=pk)
        raise


def _referral(request, pk: int) -> Referral:
    try:
        return selectors.referral_get(user=request.user, pk=pk)
    except NotVisible:
        audit_refusal(actor=request.user, action="view", object_type="referral", object_id=pk)
        raise


@router.post("/beloftes", response={201: PromiseOut}, summary="Record a promise")
def promise_create(request, payload: PromiseIn):
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
    return Status(201, _promise_out(promise))


@router.get("/beloftes", response=list[PromiseOut], summary="Promises in scope")
@paginate(LimitOffsetPagination)
def promise_list(
    request,
    status: Literal["open", "te-laat", "nagekomen", "niet-gelukt", "overgedragen"] | None = None,
    eigenaar: int | None = None,
):
    _require(request, "promise_list")
    qs = selectors.promise_list(user=request.user, status=status or "", owner_id=eigenaar)
    audit_record(
        actor=request.user,
        action="view",
        object_type="promise_list",
        detail={"status": status or "", "eigenaar": eigenaar, "via": "api"},
    )
    return [_promise_out(p) for p in qs]


@router.get("/beloftes/{promise_id}", response=PromiseOut, summary="One promise")
def promise_get(request, promise_id: int):
    _require(request, "promise")
    promise = _promise(request, promise_id)
    audit_record(
        actor=request.user, action="view", object_type="promise", object_id=promise.pk, area_code=promise.buurt_id
    )
    return _promise_out(promise)


@router.post("/beloftes/{promise_id}/nagekomen", response=PromiseOut, summary="Mark a promise kept")
def promise_keep(request, promise_id: int, payload: KeepIn | None = None):
    promise = _promise(request, promise_id)
    promise = services.promise_keep(user=request.user, promise=promise, note=payload.toelichting if payload else "")
    return _promise_out(promise)


@router.post("/beloftes/{promise_id}/overdragen", response=PromiseOut, summary="Hand a promise over")
def promise_hand_over(request, promise_id: int, payload: HandoverIn):
    promise = _promise(request, promise_id)
    promise = services.promise_hand_over(
        user=request.user, promise=promise, to_user=payload.eigenaar, note=payload.toelichting
    )
    return _promise_out(promise)


@router.post("/beloftes/{promise_id}/status", response=PromiseOut, summary="Change a promise's status")
def promise_status(request, promise_id: int, payload: PromiseStatusIn):
    promise = _promise(request, promise_id)
    promise = services.promise_set_status(
        user=request.user,
        promise=promise,
        status=payload.status,
        note=payload.toelichting,
        resident_told=payload.bewoner_geinformeerd,
    )
    return _promise_out(promise)


@router.post("/doorverwijzingen", response={201: ReferralOut}, summary="Refer a resident to an organisation")
def referral_create(request, payload: ReferralIn):
    referral = services.referral_create(
        user=request.user,
        provider=payload.organisatie,
        topic=payload.onderwerp,
        warm=payload.warm,
        consent_to_share=payload.toestemming,
        resident=payload.bewoner,
        contact_moment=payload.contactmoment,
        buurt=payload.buurt,
        navragen_op=payload.navragen_op,
        outside_buurt_reason=payload.afwijking_reden,
    )
    return Status(201, _referral_out(referral))


class ReferralFilter(Schema):
    status: Literal["verwezen", "contact_gelegd", "geholpen", "niet_geholpen", "onbekend"] | None = None
    te_laat: bool = False


@router.get("/doorverwijzingen", response=list[ReferralOut], summary="Referrals in scope")
@paginate(LimitOffsetPagination)
def referral_list(request, filters: Query[ReferralFilter]):
    _require(request, "referral_list")
    qs = selectors.referral_list(user=request.user, status=filters.status or "", overdue=filters.te_laat)
    audit_record(
        actor=request.user,
        action="view",
        object_type="referral_list",
        detail={"status": filters.status or "", "te_laat": filters.te_laat, "via": "api"},
    )
    return [_referral_out(r) for r in qs]


@router.post("/doorverwijzingen/{referral_id}/status", response=ReferralOut, summary="Record hearing back")
def referral_status(request, referral_id: int, payload: ReferralStatusIn):
    referral = _referral(request, referral_id)
    referral = services.referral_set_status(
        user=request.user, referral=referral, status=payload.status, note=payload.toelichting
    )
    return _referral_out(referral)
