"""Writes for staff users, organisations, teams, area scope and API tokens. Every change is audited.

Permission checks run before the transaction starts, so that the audit row of a refusal is kept even though
the refused change is not made.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from nabij.accounts import rules
from nabij.accounts.models import ApiToken, Organisation, Role, Team, User
from nabij.core import permissions
from nabij.core.exceptions import PermissionRefused
from nabij.privacy.models import AuditEvent
from nabij.privacy.services import audit_record, audit_refusal


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _token_audit(*, by: User, token: ApiToken, action: str, detail: dict) -> None:
    audit_record(
        actor=by,
        action=action,
        object_type="api_token",
        object_id=token.pk,
        detail=detail,
        organisation_id=token.user.organisation_id,
    )


def api_token_create(
    *, user: User, created_by: User | None = None, name: str = "", days: int | None = None
) -> tuple[ApiToken, str]:
    """Make a new Bearer token for `user`, named and valid for `days` (default `NABIJ_API_TOKEN_DAYS`, at most
    `NABIJ_API_TOKEN_MAX_DAYS`). Returns the record and the token itself, which is never stored or shown again.
    Only the user themselves makes their tokens (the command line acts for them)."""
    days = settings.NABIJ_API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= settings.NABIJ_API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {"days": _("Choose from 1 to %(max)d days.") % {"max": settings.NABIJ_API_TOKEN_MAX_DAYS}}
        )
    token = secrets.token_urlsafe(32)
    record = ApiToken(
        user=user,
        name=name.strip(),
        key_hash=_hash_token(token),
        prefix=token[:8],
        expires_at=timezone.now() + timedelta(days=days),
    )
    record.full_clean()
    with transaction.atomic():
        record.save()
        _token_audit(by=created_by or user, token=record, action=AuditEvent.Action.TOKEN, detail={"days": days})
    return record, token


def api_token_revoke(*, token: ApiToken, by: User | None = None) -> ApiToken:
    """A revoked token stops working at once; the record stays for the audit trail. The owner revokes their own
    tokens, a beheerder those of their organisation's users (`rules.can_revoke_token`); `by=None` is the system
    (the command line)."""
    if by is not None and not rules.can_revoke_token(by, token):
        audit_refusal(actor=by, action=AuditEvent.Action.UPDATE, object_type="api_token", object_id=token.pk)
        raise PermissionRefused(_("You may not revoke this token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        with transaction.atomic():
            token.save(update_fields=["revoked_at"])
            _token_audit(
                by=by or token.user, token=token, action=AuditEvent.Action.UPDATE, detail={"change": "revoked"}
            )
    return token


def api_token_authenticate(*, token: str) -> User | None:
    """The active user behind a Bearer token that is neither revoked nor expired (`ApiToken.is_usable`), or
    None. Marks the token as used (at most once a minute)."""
    if not token:
        return None
    now = timezone.now()
    record = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash_token(token), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if record is None:
        return None
    if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user


# --- Users -------------------------------------------------------------------------------------------------


def _require_manage(
    *, by: User, organisation: Organisation | None, object_type: str, object_id: str | int = ""
) -> None:
    if not permissions.can_manage_users(by, organisation):
        audit_refusal(actor=by, action=AuditEvent.Action.UPDATE, object_type=object_type, object_id=object_id)
        raise PermissionRefused(_("You may not manage users of this organisation."))


def _require_manage_user(*, by: User, user: User) -> None:
    if not permissions.can_manage_user(by, user):
        audit_refusal(actor=by, action=AuditEvent.Action.UPDATE, object_type="user", object_id=user.pk)
        raise PermissionRefused(_("You may not manage this user."))


def _audit_user(*, by: User, user: User, action: str, detail: dict) -> None:
    audit_record(
        actor=by,
        action=action,
        object_type="user",
        object_id=user.pk,
        detail=detail,
        organisation_id=user.organisation_id,
    )


def _check_team(*, team: Team | None, organisation: Organisation | None) -> None:
    if team is not None and (organisation is None or team.organisation_id != organisation.pk):
        raise ValidationError({"team": _("Choose a team of the user's own organisation.")})


def user_password_set_mail_send(*, user: User, domain: str, use_https: bool = True) -> None:
    """Send a new user the link to choose their own password (Django's password-reset token and page).

    A beheerder never types or sees a password. The link works once and expires like a reset link."""
    context = {
        "email": user.email,
        "domain": domain,
        "site_name": "Nabij",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if use_https else "http",
    }
    PasswordResetForm().send_mail(
        "accounts/email/welcome_subject.txt",
        "accounts/email/welcome.txt",
        context,
        None,
        user.email,
    )


def user_create(
    *,
    by: User,
    organisation: Organisation,
    email: str,
    full_name: str,
    role: str,
    team: Team | None = None,
    domain: str,
    use_https: bool = True,
) -> User:
    """A beheerder adds a colleague to their own organisation. The new user has no password until they
    choose one through the link in the welcome e-mail (sent after the transaction commits)."""
    _require_manage(by=by, organisation=organisation, object_type="user")
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("There is already a user with this e-mail address.")})
    _check_team(team=team, organisation=organisation)
    user = User(email=email, full_name=full_name.strip(), role=role, organisation=organisation, team=team)
    user.set_unusable_password()
    user.full_clean()
    with transaction.atomic():
        user.save()
        _audit_user(by=by, user=user, action=AuditEvent.Action.CREATE, detail={"role": role, "team": team and team.pk})
        transaction.on_commit(lambda: user_password_set_mail_send(user=user, domain=domain, use_https=use_https))
    return user


def user_update(*, by: User, user: User, full_name: str, role: str, team: Team | None) -> User:
    """Change a user's name, role or team. A beheerder cannot change their own role (no lock-out, no escalation)."""
    _require_manage_user(by=by, user=user)
    if user.pk == by.pk and role != user.role and not by.is_superuser:
        raise PermissionRefused(_("You cannot change your own role."), field="role")
    if role and role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    _check_team(team=team, organisation=user.organisation)
    changed = []
    if user.full_name != full_name.strip():
        user.full_name = full_name.strip()
        changed.append("full_name")
    if user.role != role:
        user.role = role
        changed.append("role")
    if user.team_id != (team.pk if team else None):
        user.team = team
        changed.append("team")
    if not changed:
        return user
    user.full_clean()
    detail: dict = {"fields": changed}
    if "role" in changed:
        detail["role"] = role
    if "team" in changed:
        detail["team"] = team.pk if team else None
    with transaction.atomic():
        user.save(update_fields=changed)
        _audit_user(by=by, user=user, action=AuditEvent.Action.UPDATE, detail=detail)
    return user


def user_scope_version_bump(*, user_ids: Iterable[int], instance: User | None = None) -> None:
    """Raise the scope version of these users, so that no process uses a cached copy of their old scope
    (see nabij.core.permissions). Called for every change of the scope M2Ms (the receiver in signals.py), inside
    the transaction of the change. `instance`, a user object in memory, gets the new version too."""
    from django.db.models import F

    ids = list(user_ids)
    if not ids:
        return
    User.objects.filter(pk__in=ids).update(scope_version=F("scope_version") + 1)
    if instance is not None and instance.pk in ids:
        instance.scope_version = User.objects.values_list("scope_version", flat=True).get(pk=instance.pk)
        permissions.scope_cache_forget(instance)


def user_scope_set(
    *,
    by: User,
    user: User,
    gemeenten: Iterable[str] = (),
    wijken: Iterable[str] = (),
    buurten: Iterable[str] = (),
) -> User:
    """Set which areas a user may see, as far as the beheerder reaches.

    A beheerder may only hand out areas within their own scope (never water areas), and a whole wijk or
    gemeente only when they hold it as a whole. Areas of the user outside the beheerder's reach stay as they
    are: the beheerder can neither see nor remove them. Each change raises the user's scope version (through the
    m2m_changed receiver), so the new scope counts at once on the user's next request."""
    _require_manage_user(by=by, user=user)
    plan = (
        ("gemeenten", user.scope_gemeenten, permissions.assignable_gemeenten(by), set(gemeenten)),
        ("wijken", user.scope_wijken, permissions.assignable_wijken(by), set(wijken)),
        ("buurten", user.scope_buurten, permissions.assignable_buurten(by), set(buurten)),
    )
    detail: dict = {}
    for name, _manager, allowed_qs, requested in plan:
        allowed = set(allowed_qs.filter(pk__in=requested).values_list("pk", flat=True))
        if requested - allowed:
            audit_refusal(actor=by, action=AuditEvent.Action.UPDATE, object_type="user_scope", object_id=user.pk)
            raise PermissionRefused(_("You can only hand out areas within your own scope."), field=name)
    with transaction.atomic():
        for name, manager, allowed_qs, requested in plan:
            current = set(manager.values_list("pk", flat=True))
            in_reach = set(allowed_qs.filter(pk__in=current).values_list("pk", flat=True))
            new = (current - in_reach) | requested
            added, removed = sorted(new - current), sorted(current - new)
            if added or removed:
                # The areas' primary keys are their codes; django-stubs takes only int primary keys here.
                manager.set(new)  # type: ignore[arg-type]
                detail[name] = {"added": added, "removed": removed}
        if detail:
            _audit_user(by=by, user=user, action=AuditEvent.Action.UPDATE, detail={"scope": detail})
    return user


def user_deactivate(*, by: User, user: User) -> User:
    """Deactivated users cannot log in or use API tokens. Users are never deleted: the audit trail needs them."""
    _require_manage_user(by=by, user=user)
    if user.pk == by.pk:
        raise PermissionRefused(_("You cannot deactivate your own account."))
    if user.is_active:
        user.is_active = False
        with transaction.atomic():
            user.save(update_fields=["is_active"])
            _audit_user(by=by, user=user, action=AuditEvent.Action.UPDATE, detail={"change": "deactivated"})
    return user


def user_reactivate(*, by: User, user: User) -> User:
    _require_manage_user(by=by, user=user)
    if not user.is_active:
        user.is_active = True
        with transaction.atomic():
            user.save(update_fields=["is_active"])
            _audit_user(by=by, user=user, action=AuditEvent.Action.UPDATE, detail={"change": "reactivated"})
    return user


# --- Teams -------------------------------------------------------------------------------------------------


def _audit_team(*, by: User, team: Team, action: str) -> None:
    audit_record(actor=by, action=action, object_type="team", object_id=team.pk, organisation_id=team.organisation_id)


def _check_team_name(*, organisation: Organisation, name: str, exclude_pk: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Enter a name.")})
    clash = Team.objects.filter(organisation=organisation, name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": _("Your organisation already has a team with this name.")})
    return name


def team_create(*, by: User, organisation: Organisation, name: str) -> Team:
    """A beheerder adds a team to their own organisation; names are unique within it."""
    _require_manage(by=by, organisation=organisation, object_type="team")
    team = Team(organisation=organisation, name=_check_team_name(organisation=organisation, name=name))
    team.full_clean()
    with transaction.atomic():
        team.save()
        _audit_team(by=by, team=team, action=AuditEvent.Action.CREATE)
    return team


def team_rename(*, by: User, team: Team, name: str) -> Team:
    _require_manage(by=by, organisation=team.organisation, object_type="team", object_id=team.pk)
    name = _check_team_name(organisation=team.organisation, name=name, exclude_pk=team.pk)
    if name != team.name:
        team.name = name
        team.full_clean()
        with transaction.atomic():
            team.save(update_fields=["name"])
            _audit_team(by=by, team=team, action=AuditEvent.Action.UPDATE)
    return team
