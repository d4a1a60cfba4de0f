"""The one way to refuse: a policy said no, so the refusal is audited and raised as a domain error.

Every 404 outside scope and every 403 on a role leaves a trace in the audit (`services.audit_refusal`). Selectors
and policy checks call `refuse` or `require` where the decision is made, so the event is written where it is
raised, with the actor and the object that check knows; pages and the API only map the error to a status
(`core.middleware.DomainErrorMiddleware` for pages, `api.errors` for `/api/v1/`). Views and API modules never
call the audit themselves (`privacy/tests/test_views_do_not_audit.py`). See docs/decisions/0039.
"""

from __future__ import annotations

from typing import NoReturn

from django.utils.translation import gettext as _

from nabij.core.exceptions import NotVisible, PermissionRefused
from nabij.privacy.services import audit_refusal


def refuse(
    *,
    actor,
    action: str,
    object_type: str,
    object_id: str | int = "",
    area_code: str = "",
    hidden: bool = False,
    message: str = "",
) -> NoReturn:
    """Audit that `actor` was refused `action` on the object and raise: `NotVisible` (404, as if the object did
    not exist, so nothing leaks) when it is outside their scope (`hidden`), else `PermissionRefused` (403).
    `message` is shown by the API (already translated); pages show their 403 or 404 page."""
    audit_refusal(actor=actor, action=action, object_type=object_type, object_id=object_id, area_code=area_code)
    if hidden:
        raise NotVisible(message or _("Not found."))
    raise PermissionRefused(message or _("You may not do this."))


def require(
    allowed: bool,
    *,
    actor,
    action: str,
    object_type: str,
    object_id: str | int = "",
    area_code: str = "",
    hidden: bool = False,
    message: str = "",
) -> None:
    """A policy check: nothing when `allowed`, else the audited refusal of `refuse`."""
    if not allowed:
        refuse(
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            area_code=area_code,
            hidden=hidden,
            message=message,
        )
