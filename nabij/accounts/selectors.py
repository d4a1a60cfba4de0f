"""Reads of staff users, teams and organisations, always limited to what the requesting beheerder may manage."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from nabij.accounts import rules
from nabij.accounts.models import ApiToken, Organisation, SharingAgreement, Team, User
from nabij.areas.models import Buurt, Gemeente, Wijk
from nabij.core import permissions
from nabij.core.exceptions import NotVisible
from nabij.privacy.refusals import refuse


def user_list(
    *,
    user: User,
    role: str = "",
    team_id: int | None = None,
    active: bool | None = None,
) -> QuerySet[User]:
    """Users a beheerder manages: those of their own organisation (superusers: everyone)."""
    qs = User.objects.select_related("organisation", "team").order_by("full_name", "email")
    if not permissions.can_manage_users(user):
        return qs.none()
    if not user.is_superuser:
        assert user.organisation_id is not None  # can_manage_users: a beheerder has an organisation
        qs = qs.filter(organisation_id=user.organisation_id, is_superuser=False)
    if role:
        qs = qs.filter(role=role)
    if team_id:
        qs = qs.filter(team_id=team_id)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def user_get(*, user: User, pk: int) -> User:
    """One user the requesting beheerder may manage; anyone else is 'not found'."""
    other = (
        User.objects.select_related("organisation", "team")
        .prefetch_related(
            Prefetch("scope_gemeenten", queryset=Gemeente.objects.defer("geometry")),
            Prefetch("scope_wijken", queryset=Wijk.objects.defer("geometry")),
            Prefetch("scope_buurten", queryset=Buurt.objects.defer("geometry")),
        )
        .filter(pk=pk)
        .first()
    )
    if other is None or not permissions.can_manage_user(user, other):
        refuse(actor=user, action="view", object_type="user", object_id=pk, hidden=True)
    return other


def team_list(*, user: User, organisation: Organisation | None = None) -> QuerySet[Team]:
    """Teams of the beheerder's own organisation (superusers: of `organisation`, or all)."""
    qs = Team.objects.select_related("organisation").order_by("organisation__name", "name")
    if not permissions.can_manage_users(user):
        return qs.none()
    if not user.is_superuser:
        assert user.organisation_id is not None  # can_manage_users: a beheerder has an organisation
        return qs.filter(organisation_id=user.organisation_id)
    if organisation is not None:
        return qs.filter(organisation=organisation)
    return qs


def team_get(*, user: User, pk: int) -> Team:
    team = Team.objects.select_related("organisation").filter(pk=pk).first()
    if team is None or not permissions.can_manage_users(user, team.organisation):
        refuse(actor=user, action="view", object_type="team", object_id=pk, hidden=True)
    return team


def organisation_list(*, user: User) -> QuerySet[Organisation]:
    """Organisations a user may create users in: their own, or all for a superuser."""
    if not permissions.can_manage_users(user):
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    assert user.organisation_id is not None  # can_manage_users: a beheerder has an organisation
    return Organisation.objects.filter(pk=user.organisation_id)


def assignable_areas(*, user: User) -> dict:
    """What a beheerder may hand out, as plain rows for the scope form: gemeenten, wijken and buurten
    (never water), with the buurten grouped under their wijk. Three queries, whatever the size."""
    gemeenten = list(permissions.assignable_gemeenten(user).order_by("name").values_list("code", "name"))
    wijken = list(
        permissions.assignable_wijken(user)
        .order_by("gemeente__name", "name")
        .values_list("code", "name", "gemeente_id")
    )
    buurten = list(
        permissions.assignable_buurten(user)
        .order_by("gemeente__name", "wijk__name", "name")
        .values_list("code", "name", "wijk_id", "wijk__name")
    )
    return {"gemeenten": gemeenten, "wijken": wijken, "buurten": buurten}


# --- Samenwerkingsafspraken ---------------------------------------------------------------------------------


def agreement_list(*, user: User) -> QuerySet[SharingAgreement]:
    """The samenwerkingsafspraken of the beheerder's organisation, as proposer or partner, newest first; nobody
    else sees them (not even colleagues of other roles: the beheerder speaks for the organisation)."""
    if not rules.can_manage_agreements(user):
        return SharingAgreement.objects.none()
    return (
        SharingAgreement.objects.involving(user.organisation_id)
        .select_related("proposer", "partner", "proposer_accepted_by", "partner_accepted_by", "ended_by")
        .prefetch_related(Prefetch("buurten", queryset=Buurt.objects.defer("geometry").order_by("code")))
    )


def agreement_get(*, user: User, pk: int) -> SharingAgreement:
    """One agreement of the beheerder's organisation; any other is 'not found'."""
    agreement = agreement_list(user=user).filter(pk=pk).first()
    if agreement is None or not rules.can_see_agreement(user, agreement):
        refuse(actor=user, action="view", object_type="sharing_agreement", object_id=pk, hidden=True)
    return agreement


def agreement_partner_choices(*, user: User) -> QuerySet[Organisation]:
    """Organisations a beheerder can propose an agreement to: every other organisation."""
    if not rules.can_manage_agreements(user):
        return Organisation.objects.none()
    assert user.organisation_id is not None  # can_manage_agreements: only a beheerder of an organisation
    return Organisation.objects.exclude(pk=user.organisation_id).order_by("name")


def agreement_buurt_choices(*, user: User) -> list[tuple[str, str, str]]:
    """The buurten a beheerder may offer in an agreement (their own scope, never water), as (code, name, wijk
    name) rows, grouped by wijk."""
    if not rules.can_manage_agreements(user):
        return []
    return list(
        permissions.assignable_buurten(user)
        .order_by("gemeente__name", "wijk__name", "name")
        .values_list("code", "name", "wijk__name")
    )


def api_tokens_for_user(*, user: User, owner: User) -> QuerySet[ApiToken]:
    """The API tokens of `owner`, newest first, for the owner themselves or a beheerder who may revoke them
    (`rules.can_revoke_token`); nobody else sees that they exist."""
    if not (permissions.is_staff_user(user) and (owner.pk == user.pk or permissions.can_manage_user(user, owner))):
        raise NotVisible(_("Not found."))
    return ApiToken.objects.filter(user=owner).select_related("user").order_by("-created_at", "-id")


def api_token_get(*, user: User, pk: int) -> ApiToken:
    """One token that `user` may revoke; anyone else's is 'not found'."""
    token = ApiToken.objects.select_related("user").filter(pk=pk).first()
    if token is None or not rules.can_revoke_token(user, token):
        refuse(actor=user, action="update", object_type="api_token", object_id=pk, hidden=True)
    return token
