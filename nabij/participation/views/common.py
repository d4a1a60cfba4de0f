"""What every staff page of a project does first: find the project the user may see (404 with an audit refusal
otherwise), and for changes check that the user may manage it (403)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from nabij.core import permissions
from nabij.core.exceptions import NotVisible
from nabij.participation import selectors
from nabij.privacy.services import audit_refusal


def project_or_404(request, slug: str, *, manage: bool = False):
    try:
        project = selectors.project_get(user=request.user, slug=slug)
    except NotVisible as exc:
        audit_refusal(actor=request.user, action="view", object_type="project", object_id=slug)
        raise Http404 from exc
    if manage and not permissions.can_manage_project(request.user, project):
        audit_refusal(actor=request.user, action="change", object_type="project", object_id=project.pk)
        raise PermissionDenied
    return project
