"""Every "may this user see or change this?" in Nabij, for pages, API and selectors alike.

Area scope: a user is assigned gemeenten, wijken or buurten; a gemeente grants its wijken and buurten, a
wijk grants its buurten. A wijk or gemeente is *visible* when at least one of its buurten is, but lists and
counts on it only ever include the visible buurten. Outside the scope pages answer 404 and the API 403/404,
so that nothing leaks through lists, counts, search or maps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from nabij.accounts.models import Role

if TYPE_CHECKING:
    from nabij.accounts.models import Organisation, User
    from nabij.areas.models import Buurt, Gemeente, Wijk

_SCOPE_CACHE_ATTR = "_nabij_visible_buurt_codes"


def _is_staff_user(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def has_national_scope(user) -> bool:
    """Superusers (technical administrators) see every area; nobody else does by default."""
    return _is_staff_user(user) and user.is_superuser


def role_label(user) -> str:
    if not _is_staff_user(user):
        return ""
    if user.role:
        return str(Role(user.role).label)
    return ""


def _buurt_scope_q(user: User) -> Q:
    from nabij.accounts.models import User as UserModel

    through_b = UserModel.scope_buurten.through
    through_w = UserModel.scope_wijken.through
    through_g = UserModel.scope_gemeenten.through
    return (
        Q(Exists(through_b.objects.filter(user_id=user.pk, buurt_id=OuterRef("pk"))))
        | Q(Exists(through_w.objects.filter(user_id=user.pk, wijk_id=OuterRef("wijk_id"))))
        | Q(Exists(through_g.objects.filter(user_id=user.pk, gemeente_id=OuterRef("gemeente_id"))))
    )


def buurten_visible_to(user) -> QuerySet[Buurt]:
    """The buurten this user may see. Water areas are included: pickers leave them out themselves."""
    from nabij.areas.models import Buurt

    if not _is_staff_user(user):
        return Buurt.objects.none()
    if has_national_scope(user):
        return Buurt.objects.all()
    return Buurt.objects.filter(_buurt_scope_q(user))


def visible_buurt_codes(user) -> frozenset[str]:
    """The codes of `buurten_visible_to`, computed once per user object (one request)."""
    cached = getattr(user, _SCOPE_CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(buurten_visible_to(user).values_list("code", flat=True))
        if user is not None:
            setattr(user, _SCOPE_CACHE_ATTR, cached)
    return cached


def wijken_visible_to(user) -> QuerySet[Wijk]:
    from nabij.areas.models import Wijk

    if has_national_scope(user):
        return Wijk.objects.all()
    return Wijk.objects.filter(Exists(buurten_visible_to(user).filter(wijk_id=OuterRef("pk"))))


def gemeenten_visible_to(user) -> QuerySet[Gemeente]:
    from nabij.areas.models import Gemeente

    if has_national_scope(user):
        return Gemeente.objects.all()
    return Gemeente.objects.filter(Exists(buurten_visible_to(user).filter(gemeente_id=OuterRef("pk"))))


def can_view_buurt(user, buurt: Buurt) -> bool:
    return has_national_scope(user) or buurt.pk in visible_buurt_codes(user)


def can_view_wijk(user, wijk: Wijk) -> bool:
    return has_national_scope(user) or wijken_visible_to(user).filter(pk=wijk.pk).exists()


def can_view_gemeente(user, gemeente: Gemeente) -> bool:
    return has_national_scope(user) or gemeenten_visible_to(user).filter(pk=gemeente.pk).exists()


def scope_filter(user, *, buurt_field: str = "buurt") -> Q:
    """A Q for any model with a buurt foreign key: only rows in the user's scope."""
    if has_national_scope(user):
        return Q()
    if not _is_staff_user(user):
        return Q(pk__in=[])
    return Q(**{f"{buurt_field}__in": buurten_visible_to(user).values("pk")})


def can_see_personal_data(user) -> bool:
    """Analisten work with aggregates only; they never see residents, notes or contact moments."""
    return _is_staff_user(user) and (user.is_superuser or user.role not in {Role.ANALIST, ""})


def can_manage_users(user, organisation: Organisation | None = None) -> bool:
    """Beheerders manage the users of their own organisation; superusers manage all."""
    if not _is_staff_user(user):
        return False
    if user.is_superuser:
        return True
    if user.role != Role.BEHEERDER or user.organisation_id is None:
        return False
    return organisation is None or organisation.pk == user.organisation_id


def can_manage_user(user, other: User) -> bool:
    if not _is_staff_user(user) or other.is_superuser and not user.is_superuser:
        return False
    return can_manage_users(user, other.organisation) if other.organisation_id else user.is_superuser


def assignable_buurten(user) -> QuerySet[Buurt]:
    """A beheerder may hand out only the areas they can see themselves (no escalation of scope)."""
    return buurten_visible_to(user).filter(is_water=False)


def can_view_audit(user) -> bool:
    return can_manage_users(user)
