"""/api/v1/samenwerkingsafspraken — the sharing agreements of the caller's organisation (beheerders only, as on
the pages: the beheerder speaks for the organisation as data controller); /api/v1/tokens — the caller's own API
tokens (list, revoke)."""

from datetime import date, datetime

from django.utils.translation import gettext as _

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from nabij.accounts import rules, selectors, services
from nabij.accounts.models import AgreementStatus, ApiToken, SharingAgreement
from nabij.accounts.sharing import OBJECT_TYPE
from nabij.core.pagination import BoundedPagination, LazyMap
from nabij.privacy.models import AuditEvent
from nabij.privacy.refusals import require

router = Router(tags=["samenwerkingsafspraken"])


class AgreementOut(Schema):
    id: int
    voorsteller: str = Field(..., description="Slug of the organisation that proposed it")
    partner: str = Field(..., description="Slug of the partner organisation")
    buurten: list[str] = Field(..., description="CBS buurtcodes")
    soorten: list[str] = Field(..., description="Kinds of records shared, e.g. contactmomenten, beloftes")
    doel: str
    begindatum: date
    einddatum: date
    status: str = Field(..., description=f"One of: {', '.join(AgreementStatus.values)}")
    voorsteller_akkoord_op: date | None
    partner_akkoord_op: date | None
    beeindigd_op: date | None


def _day(moment):
    return moment.date() if moment else None


def _agreement_out(agreement: SharingAgreement) -> dict:
    return {
        "id": agreement.pk,
        "voorsteller": agreement.proposer.slug,
        "partner": agreement.partner.slug,
        "buurten": [buurt.pk for buurt in agreement.buurten.all()],
        "soorten": list(agreement.kinds or ()),
        "doel": agreement.purpose,
        "begindatum": agreement.start_date,
        "einddatum": agreement.end_date,
        "status": agreement.current_status,
        "voorsteller_akkoord_op": _day(agreement.proposer_accepted_at),
        "partner_akkoord_op": _day(agreement.partner_accepted_at),
        "beeindigd_op": _day(agreement.ended_at),
    }


@router.get(
    "/samenwerkingsafspraken",
    response=list[AgreementOut],
    summary="Sharing agreements of the caller's organisation, newest first",
)
@paginate(BoundedPagination)
def agreement_list(request):
    require(
        rules.can_manage_agreements(request.user),
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        object_type=OBJECT_TYPE,
        message=_("Only a beheerder of an organisation can see its sharing agreements."),
    )
    return LazyMap(selectors.agreement_list(user=request.user), _agreement_out)


class TokenOut(Schema):
    id: int
    naam: str
    begint_met: str = Field(..., description="The first characters of the token, to recognise it")
    gemaakt_op: datetime
    laatst_gebruikt_op: datetime | None
    verloopt_op: datetime
    ingetrokken_op: datetime | None
    bruikbaar: bool = Field(..., description="Neither revoked nor expired")


def _token_out(token: ApiToken) -> dict:
    return {
        "id": token.pk,
        "naam": token.name,
        "begint_met": token.prefix,
        "gemaakt_op": token.created_at,
        "laatst_gebruikt_op": token.last_used_at,
        "verloopt_op": token.expires_at,
        "ingetrokken_op": token.revoked_at,
        "bruikbaar": token.is_usable(),
    }


@router.get("/tokens", response=list[TokenOut], tags=["api-sleutels"], summary="The caller's own API tokens")
@paginate(BoundedPagination)
def token_list(request):
    return LazyMap(selectors.api_tokens_for_user(user=request.user, owner=request.user), _token_out)


@router.delete(
    "/tokens/{token_id}",
    response={204: None},
    tags=["api-sleutels"],
    summary="Revoke an API token (your own, or as beheerder one of your organisation's users)",
)
def token_revoke(request, token_id: int):
    token = selectors.api_token_get(user=request.user, pk=token_id)  # NotVisible: 404, audited
    services.api_token_revoke(token=token, by=request.user)
    return Status(204, None)
