"""Reads of the participation app: projects a user may see, the public project, answer queues, results.

A project itself is not personal data; its residents' inputs and the replies to them are, and belong to the
project's owner organisation. Every read of them goes through `input_policy` / `reply_policy` and is audited
here (`audit_read`), never in a view. Staff of another organisation who see the project (a buurt in their
scope) get its counts and choice results under the small-cell rules, and nothing of the inputs themselves."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet

from nabij.core import permissions
from nabij.core.access import audit_read
from nabij.core.access.participation import input_policy, reply_policy
from nabij.core.exceptions import NotVisible
from nabij.core.pagination import LazyMap
from nabij.participation import rules
from nabij.participation.models import (
    Choice,
    ChoiceVote,
    FrameItem,
    FrameItemChange,
    Input,
    Project,
    Reply,
    ReplyVersion,
)
from nabij.privacy.refusals import refuse
from nabij.privacy.smallcells import shown_count, suppress_breakdown

if TYPE_CHECKING:
    from nabij.accounts.models import User

# Projects --------------------------------------------------------------------------------------------------


def project_list(*, user: User) -> QuerySet[Project]:
    """Projects of the user's organisation and projects in a buurt of their scope, newest first."""
    qs = Project.objects.select_related("owner").prefetch_related("buurten").order_by("-created_at", "-pk")
    if permissions.has_national_scope(user):
        return qs
    in_scope = Q(buurten__in=permissions.buurten_visible_to(user).values("pk"))
    if user.organisation_id:
        in_scope |= Q(owner_id=user.organisation_id)
    return qs.filter(pk__in=Project.objects.filter(in_scope).values("pk"))


def project_get(*, user: User, slug: str) -> Project:
    project = Project.objects.select_related("owner").prefetch_related("buurten").filter(slug=slug).first()
    if project is None or not permissions.can_view_project(user, project):
        refuse(actor=user, action="view", object_type="project", object_id=slug, hidden=True)
    return project


def _counts_exact(user: User, project: Project, *, visible: int, total: int) -> bool:
    """A project's input counts are shown exactly to a viewer who may see every input they count (for a project
    without inputs: its own organisation). Anyone else — staff of another organisation with the buurt in scope —
    sees them under the small-cell rules, so that a count cannot single out a resident."""
    if visible != total:
        return False
    return total > 0 or permissions.has_national_scope(user) or project.owner_id == user.organisation_id


def open_input_counts(*, user: User, projects: Iterable[Project]) -> dict[int, int | str]:
    """Per project: the inputs still waiting for an answer, as this user may see the number (exact, or under
    the small-cell rules; see `_counts_exact`)."""
    projects = list(projects)
    waiting = Input.objects.filter(rules.awaiting_answer_q(), project__in=[p.pk for p in projects])
    total = dict(waiting.values("project").annotate(n=Count("pk")).values_list("project", "n"))
    visible = dict(
        input_policy.visible(user, waiting).values("project").annotate(n=Count("pk")).values_list("project", "n")
    )
    counts: dict[int, int | str] = {}
    for project in projects:
        n, seen = total.get(project.pk, 0), visible.get(project.pk, 0)
        counts[project.pk] = shown_count(n, in_scope=_counts_exact(user, project, visible=seen, total=n))
    return counts


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
    """The resident's own input and its current reply, found only through the private link."""
    item = (
        Input.objects.select_related("project", "reply", "frame_item")
        .filter(project__slug=slug, reply_token=token)
        .first()
    )
    if item is None or not item.project.is_public:
        raise NotVisible("Not found.")
    return item


# Inputs and replies (personal data: policy and audit) ------------------------------------------------------


def _inputs(user: User) -> QuerySet[Input]:
    """The inputs this user may see, with what lists and the policy's own checks need (the project's buurten
    for `audit_read`, the reply only where the reply policy allows it)."""
    return (
        input_policy.visible(user, Input.objects.all())
        .select_related("project__owner", "organisation", "frame_item", "assigned_to")
        .prefetch_related(
            "project__buurten",
            Prefetch("votes", queryset=ChoiceVote.objects.select_related("option", "choice")),
            Prefetch(
                "reply",
                queryset=reply_policy.visible(user, Reply.objects.all()).prefetch_related(
                    Prefetch("versions", queryset=ReplyVersion.objects.select_related("author", "replaced_by"))
                ),
            ),
        )
    )


def _audit_inputs(
    *, user: User, records: Iterable[Input], project: Project | None = None, action: str = "view"
) -> None:
    records = list(records)
    audit_read(
        user=user,
        policy=input_policy,
        records=records,
        action=action,
        object_type="input",
        object_id=project.pk if project is not None else "",
        detail={"aantal": len(records)} | ({"project": project.pk} if project is not None else {}),
    )


def answer_queue(*, user: User, project: Project | None = None, mine: bool = False) -> list[Input]:
    """Inputs still waiting for an answer, overdue first (earliest due date first), in projects of the user's
    own organisation that the input policy lets them see; `mine` limits them to those assigned to the user."""
    qs = _inputs(user).filter(rules.awaiting_answer_q()).order_by("due_on", "created_at")
    if not permissions.has_national_scope(user):
        qs = qs.filter(project__owner_id=user.organisation_id) if user.organisation_id else qs.none()
    if project is not None:
        qs = qs.filter(project=project)
    if mine:
        qs = qs.filter(assigned_to=user)
    queue = list(qs)
    _audit_inputs(user=user, records=queue, project=project)
    return queue


@dataclass
class ProjectInputs:
    """What the inputs page of a project shows this user. `sees_records` is off for staff of another
    organisation: they get the counts (`total`, `waiting`, under the small-cell rules) and the choice results,
    never `queue` or `answered`."""

    sees_records: bool
    in_scope: bool
    total: int | str
    waiting: int | str
    queue: list[Input] = field(default_factory=list)
    answered: list[Input] = field(default_factory=list)


def project_inputs_get(*, user: User, project: Project) -> ProjectInputs:
    """The inputs of one project as this user may see them: waiting ones overdue first, answered ones newest
    first, audited as one read; or the counts only (see `ProjectInputs`)."""
    all_inputs = Input.objects.filter(project=project)
    total = all_inputs.count()
    waiting = all_inputs.filter(rules.awaiting_answer_q()).count()
    visible = list(_inputs(user).filter(project=project).order_by("-created_at"))
    in_scope = _counts_exact(user, project, visible=len(visible), total=total)
    shown = ProjectInputs(
        sees_records=bool(visible) or in_scope,
        in_scope=in_scope,
        total=shown_count(total, in_scope=in_scope),
        waiting=shown_count(waiting, in_scope=in_scope),
    )
    if not shown.sees_records:
        return shown
    shown.queue = sorted((i for i in visible if not i.is_answered), key=lambda i: (i.due_on, i.created_at))
    shown.answered = [i for i in visible if i.is_answered]
    _audit_inputs(user=user, records=visible, project=project)
    return shown


def input_get(*, user: User, pk: int, project: Project | None = None) -> Input:
    """One input with its reply (and the reply's earlier versions), if the policies let this user see them;
    otherwise NotVisible, as if it did not exist. Audited as a read of the input and of the reply."""
    qs = _inputs(user).filter(pk=pk)
    if project is not None:
        qs = qs.filter(project=project)
    item = qs.first()
    if item is None:
        refuse(actor=user, action="view", object_type="input", object_id=pk, hidden=True)
    _audit_inputs(user=user, records=[item], project=item.project)
    reply = getattr(item, "reply", None)
    if reply is not None:
        audit_read(user=user, policy=reply_policy, records=[reply], object_type="reply", object_id=reply.pk, detail={})
    return item


def inputs_to_link(*, user: User, project: Project) -> list[Input]:
    """The inputs a decision ("Jij zei, wij deden") can link to: the project's inputs this user may see."""
    items = list(_inputs(user).filter(project=project).order_by("pk"))
    _audit_inputs(user=user, records=items, project=project)
    return items


class InputPage(LazyMap):
    """A project's inputs for the API, converted and audited one page at a time (the page is what was read)."""

    def __init__(
        self, qs: QuerySet[Input], convert: Callable[[Input], object], *, user: User, project: Project
    ) -> None:
        super().__init__(qs, convert)
        self.user, self.project = user, project

    def __getitem__(self, item: int | slice) -> object:
        rows = list(self.qs[item]) if isinstance(item, slice) else [self.qs[item]]
        _audit_inputs(user=self.user, records=rows, project=self.project)
        converted = [self.convert(r) for r in rows]
        return converted if isinstance(item, slice) else converted[0]


def input_page(*, user: User, project: Project, convert: Callable[[Input], object]) -> InputPage:
    """The inputs of one project this user may see, newest first, for a paged API list."""
    return InputPage(
        _inputs(user).filter(project=project).order_by("-created_at", "-pk"), convert, user=user, project=project
    )


# Aggregates and the rest -----------------------------------------------------------------------------------


def choice_results(*, choice: Choice, in_scope: bool) -> list[dict]:
    """Votes per option with the small-cell rules: fewer than 10 shows as "< 10" outside the viewer's scope
    (the public page is always outside anyone's scope)."""
    counts: dict[Hashable, int] = {option.pk: 0 for option in choice.options.all()}
    for row in choice.votes.values("option_id").annotate(n=Count("pk")):
        counts[row["option_id"]] = row["n"]
    table = suppress_breakdown(counts, in_scope=in_scope)
    return [
        {"option": option, "count": table.cells[option.pk], "percentage": table.percentages[option.pk]}
        for option in choice.options.all()
    ]


def project_colleagues(*, project: Project) -> list:
    """Active staff who may answer this project's inputs (its owner organisation, not analisten, with the
    project in their area scope by the input policy), by name: the people an input can be handed to."""
    users = (
        get_user_model().objects.filter(is_active=True, organisation_id=project.owner_id).order_by("full_name", "email")
    )
    # An unsaved input of this project stands for all of them: the policy decides per project, not per input.
    probe = Input(project=project, organisation_id=project.owner_id)
    return [u for u in users if permissions.can_manage_project(u, project) and input_policy.can_change(u, probe)]


def frame_changes(*, project: Project) -> QuerySet[FrameItemChange]:
    """Changes to the published frame, newest first: shown to residents so that no promise changes silently."""
    return (
        FrameItemChange.objects.filter(frame_item__project=project)
        .select_related("frame_item", "changed_by")
        .order_by("-changed_at", "-pk")
    )


# For the theme counts (themes.subscriptions): where and when a project's inputs fall, no personal data ---------


def project_buurt_codes(*, project_id: int) -> set[str]:
    """The codes of the buurten a project is in now: its inputs count there."""
    return set(Project.buurten.through.objects.filter(project_id=project_id).values_list("buurt_id", flat=True))


def project_input_times(*, project_id: int) -> list:
    """When each input of a project arrived (aware datetimes): the weeks a change of its buurten touches."""
    return list(Input.objects.filter(project_id=project_id).values_list("created_at", flat=True))
