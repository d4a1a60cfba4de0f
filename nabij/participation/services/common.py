"""Rules shared by the participation services: who may change a project, and required texts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from nabij.core import permissions
from nabij.core.exceptions import InvalidInput, PermissionRefused
from nabij.participation.models import TEXT_MAX_LENGTH, Project
from nabij.privacy.services import audit_refusal

if TYPE_CHECKING:
    from nabij.accounts.models import User


def _require_manager(user: User, project: Project, action: str) -> None:
    if not permissions.can_manage_project(user, project):
        audit_refusal(actor=user, action=action, object_type="project", object_id=project.pk)
        raise PermissionRefused(_("You may not change this project."))


def _required_text(value: str, field: str, *, max_length: int = TEXT_MAX_LENGTH) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("This field is required."), field=field)
    if len(value) > max_length:
        raise InvalidInput(_("This text is too long."), field=field)
    return value
