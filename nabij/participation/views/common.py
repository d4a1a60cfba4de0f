"""What every staff page of a project does first: find the project the user may see (404 with an audit refusal
otherwise), and for changes check that the user may manage it (403)."""

from __future__ import annotations

from nabij.core import permissions
from nabij.participation import selectors
from nabij.privacy.refusals import require


def project_or_404(request, slug: str, *, manage: bool = False):
    project = selectors.project_get(user=request.user, slug=slug)  # NotVisible: 404, audited
    if manage:
        require(
            permissions.can_manage_project(request.user, project),
            actor=request.user,
            action="change",
            object_type="project",
            object_id=project.pk,
        )
    return project
