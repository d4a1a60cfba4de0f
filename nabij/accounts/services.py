"""Writes for staff users, organisations, teams, area scope and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from nabij.accounts.models import ApiToken, User
from nabij.privacy.models import AuditEvent
from nabij.privacy.services import audit_record


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, created_by: User | None = None) -> tuple[ApiToken, str]:
    """Make a new Bearer token. Returns the record and the token itself, which is never stored or shown again."""
    token = secrets.token_urlsafe(32)
    record = ApiToken.objects.create(user=user, key_hash=_hash_token(token), prefix=token[:8])
    audit_record(actor=created_by or user, action=AuditEvent.Action.TOKEN, object_type="api_token", object_id=record.pk)
    return record, token


def api_token_authenticate(*, token: str) -> User | None:
    """The active user behind a Bearer token, or None. Marks the token as used (at most once a minute)."""
    if not token:
        return None
    record = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash_token(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if record is None:
        return None
    now = timezone.now()
    if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user
