"""Reads of staff users, teams and organisations, always limited to what the requesting beheerder may manage."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from nabij.accounts.models import Organisation, Team, User
from nabij.areas.models import Buurt, Gemeente, Wijk
from nabij.core import permissions
from nabij.core.exceptions import NotVisible


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
        raise NotVisible("Not found.")
    return other


def team_list(*, user: User, organisation: Organisation | None = None) -> QuerySet[Team]:
    """Teams of the beheerder's own organisation (superusers: of `organisation`, or all)."""
    qs = Team.objects.select_related("organisation").order_by("organisation__name", "name")
    if not permissions.can_manage_users(user):
        return qs.none()
    if not user.is_superuser:
        return qs.filter(organisation_id=user.organisation_id)
    if organisation is not None:
        return qs.filter(organisation=organisation)
    return qs


def team_get(*, user: User, pk: int) -> Team:
    team = Team.objects.select_related("organisation").filter(pk=pk).first()
    if team is None or not permissions.can_manage_users(user, team.organisation):
        raise NotVisible("Not found.")
    return team


def organisation_list(*, user: User) -> QuerySet[Organisation]:
    """Organisations a user may create users in: their own, or all for a superuser."""
    if not permissions.can_manage_users(user):
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
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
