"""Policies of participation: residents' inputs (inbreng) and the replies to them belong to the project's owner
organisation. A project is in scope when one of its buurten is."""

from __future__ import annotations

from django.db.models import Q

from nabij.accounts.models import RecordKind
from nabij.core import permissions
from nabij.core.access import RecordPolicy, Share, register


def _projects_in(codes_qs_or_list):
    from nabij.participation.models import Project

    return Project.objects.filter(buurten__in=codes_qs_or_list).values("pk")


def _project_codes(project) -> set[str]:
    cached = getattr(project, "_nabij_buurt_codes", None)
    if cached is None:
        cached = {b.pk for b in project.buurten.all()}
        project._nabij_buurt_codes = cached
    return cached


class InputPolicy(RecordPolicy):
    model_label = "participation.Input"
    kind = RecordKind.INBRENG
    project_path = "project"

    def _project(self, obj):
        return obj.project

    def area_q(self, user) -> Q:
        visible = permissions.buurten_visible_to(user).values("pk")
        return Q(**{f"{self.project_path}__in": _projects_in(visible)})

    def in_area(self, user, obj) -> bool:
        return bool(_project_codes(self._project(obj)) & permissions.visible_buurt_codes(user))

    def share_q(self, share: Share) -> Q:
        return Q(
            organisation_id=share.organisation_id,
            **{f"{self.project_path}__in": _projects_in(sorted(share.buurt_codes))},
        )

    def in_share(self, share: Share, obj) -> bool:
        return obj.organisation_id == share.organisation_id and bool(
            _project_codes(self._project(obj)) & share.buurt_codes
        )


class ReplyPolicy(InputPolicy):
    """A reply follows the input it answers."""

    model_label = "participation.Reply"
    project_path = "input__project"

    def _project(self, obj):
        return obj.input.project


input_policy = register(InputPolicy())
reply_policy = register(ReplyPolicy())
