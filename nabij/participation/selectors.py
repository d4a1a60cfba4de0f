"""Reads of the participation app: projects a user may see, the public project, answer queues, results."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from nabij.core import permissions
from nabij.core.exceptions import NotVisible
from nabij.participation.models import Choice, ChoiceVote, FrameItem, FrameItemChange, Input, Project, Reply
from nabij.privacy.smallcells import suppress_breakdown


def project_list(*, user) -> QuerySet[Project]:
    """Projects of the user's organisation and projects in a buurt of their scope, newest first."""
    qs = (
        Project.objects.select_related("owner")
        .prefetch_related("buurten")
        .annotate(open_inputs=Count("inputs", filter=Q(inputs__reply__isnull=True), distinct=True))
    )
    if permissions.has_national_scope(user):
        return qs
    in_scope = Q(buurten__in=permissions.buurten_visible_to(user).values("pk"))
    if user.organisation_id:
        in_scope |= Q(owner_id=user.organisation_id)
    return qs.filter(pk__in=Project.objects.filter(in_scope).values("pk"))


def project_get(*, user, slug: str) -> Project:
    project = Project.objects.select_related("owner").prefetch_related("buurten").filter(slug=slug).first()
    if project is None or not permissions.can_view_project(user, project):
        raise NotVisible("Not found.")
    return project


def public_project_get(*, slug: str) -> Project:
    """A published (or ended) project with everything its public page shows; drafts are not found."""
    project = (
        Project.objects.select_related("owner")
        .prefetch_related(
            "buurten",
            "phases",
            Prefetch(
                "frame_items",
                queryset=FrameItem.objects.prefetch_related(
                    Prefetch("changes", queryset=FrameItemChange.objects.order_by("-changed_at", "-pk"))
                ),
            ),
            Prefetch("choices", queryset=Choice.objects.prefetch_related("options")),
            "decisions",
        )
        .filter(slug=slug, status__in=[Project.Status.GEPUBLICEERD, Project.Status.AFGEROND])
        .first()
    )
    if project is None:
        raise NotVisible("Not found.")
    return project


def input_by_token(*, slug: str, token: str) -> Input:
    """The resident's own input and reply, found only through the private link."""
    item = (
        Input.objects.select_related("project", "reply", "frame_item")
        .filter(project__slug=slug, reply_token=token)
        .first()
    )
    if item is None or not item.project.is_public:
        raise NotVisible("Not found.")
    return item


def answer_queue(*, user, project: Project | None = None, mine: bool = False) -> QuerySet[Input]:
    """Inputs still waiting for an answer, overdue first (earliest due date first), in projects the user
    manages; `mine` limits them to those assigned to the user."""
    qs = (
        Input.objects.filter(reply__isnull=True)
        .select_related("project", "frame_item", "assigned_to")
        .order_by("due_on", "created_at")
    )
    if not permissions.has_national_scope(user):
        qs = qs.filter(project__owner_id=user.organisation_id) if user.organisation_id else qs.none()
    if project is not None:
        qs = qs.filter(project=project)
    if mine:
        qs = qs.filter(assigned_to=user)
    return qs


def is_overdue(item: Input) -> bool:
    return item.due_on < timezone.localdate() and not hasattr(item, "reply")


def inputs_for_project(*, project: Project) -> QuerySet[Input]:
    return (
        Input.objects.filter(project=project)
        .select_related("frame_item", "assigned_to")
        .prefetch_related(Prefetch("votes", queryset=ChoiceVote.objects.select_related("option", "choice")))
        .annotate(answered=Exists(Reply.objects.filter(input_id=OuterRef("pk"))))
        .order_by("-created_at")
    )


def choice_results(*, choice: Choice, in_scope: bool) -> list[dict]:
    """Votes per option with the small-cell rules: fewer than 10 shows as "< 10" outside the viewer's scope
    (the public page is always outside anyone's scope)."""
    counts = {option.pk: 0 for option in choice.options.all()}
    for row in choice.votes.values("option_id").annotate(n=Count("pk")):
        counts[row["option_id"]] = row["n"]
    table = suppress_breakdown(counts, in_scope=in_scope)
    return [
        {"option": option, "count": table.cells[option.pk], "percentage": table.percentages[option.pk]}
        for option in choice.options.all()
    ]


def project_colleagues(*, project: Project) -> list:
    """Active staff who may answer this project's inputs (its owner organisation, not analisten), by name: the
    people an input can be handed to."""
    users = (
        get_user_model().objects.filter(is_active=True, organisation_id=project.owner_id).order_by("full_name", "email")
    )
    return [u for u in users if permissions.can_manage_project(u, project)]


def frame_changes(*, project: Project) -> QuerySet[FrameItemChange]:
    """Changes to the published frame, newest first: shown to residents so that no promise changes silently."""
    return (
        FrameItemChange.objects.filter(frame_item__project=project)
        .select_related("frame_item", "changed_by")
        .order_by("-changed_at", "-pk")
    )
