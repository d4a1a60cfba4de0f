"""Writes of projects: creating and editing them, their timeline, frame and choices, publishing, ending (with
the e-mail erasure) and household codes."""

from __future__ import annotations

import secrets
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from nabij.areas.models import Buurt
from nabij.core import events, permissions
from nabij.core.concurrency import version_claim
from nabij.core.exceptions import InvalidInput, PermissionRefused
from nabij.core.models import Topic
from nabij.language.b1 import b1_check
from nabij.participation.exceptions import NeedsConfirmation, PublishBlocked
from nabij.participation.models import (
    LADDER_ORDER,
    TEXT_MAX_LENGTH,
    Choice,
    ChoiceOption,
    FrameItem,
    FrameItemChange,
    HouseholdCode,
    Ladder,
    Phase,
    Project,
)
from nabij.participation.services.common import _require_manager, _required_text
from nabij.privacy.services import audit_record, audit_refusal

if TYPE_CHECKING:
    from nabij.accounts.models import User

# Household codes: no 0/O, 1/I/L, so that a code read from a letter is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MAX_CODES_PER_CALL = 2000


def _unique_slug(title: str) -> str:
    base = slugify(title)[:60] or "project"
    slug, n = base, 2
    while Project.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _project_fields_clean(
    *,
    by: User,
    title: str,
    kind: str,
    summary: str,
    buurten: list[str],
    contact: str,
    topics: list[str] | None,
    answer_term_days: int,
) -> tuple[str, str, str, list[Buurt], list[Topic]]:
    """The rules shared by creating and editing a project: required texts, an allowed kind, buurten in the
    editor's own area, an answer term of 1 to 60 working days and known topics."""
    title = _required_text(title, "titel", max_length=200)
    summary = _required_text(summary, "samenvatting")
    contact = _required_text(contact, "contact", max_length=1000)
    if kind not in Project.Kind.values:
        raise InvalidInput(_("Choose one of the allowed values."), field="soort")
    if not buurten:
        raise InvalidInput(_("Choose at least one buurt."), field="buurten")
    buurt_objs = list(Buurt.objects.filter(code__in=buurten))
    visible = permissions.visible_buurt_codes(by)
    if len(buurt_objs) != len(set(buurten)) or not (
        permissions.has_national_scope(by) or all(b.pk in visible for b in buurt_objs)
    ):
        raise InvalidInput(_("Choose buurten from your own area."), field="buurten")
    try:
        term = int(answer_term_days)
    except (TypeError, ValueError):
        term = 0
    if not 1 <= term <= 60:
        raise InvalidInput(_("The answer term is 1 to 60 working days."), field="antwoordtermijn")
    topic_objs = list(Topic.objects.filter(slug__in=topics or []))
    if len(topic_objs) != len(set(topics or [])):
        raise InvalidInput(_("Choose one of the allowed values."), field="onderwerpen")
    return title, summary, contact, buurt_objs, topic_objs


# Projects --------------------------------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    by: User,
    title: str,
    kind: str,
    summary: str,
    buurten: list[str],
    contact: str,
    topics: list[str] | None = None,
    answer_term_days: int = 10,
    builds_on: str = "",
    is_household_vote: bool | None = None,
) -> Project:
    """A new draft project of the creator's organisation. Its buurten must lie in the creator's scope; what it
    builds on comes from the "bestaat dit al?" check shown before creation. Renovation projects vote per
    household unless told otherwise."""
    if not permissions.can_create_project(by):
        audit_refusal(actor=by, action="create", object_type="project")
        raise PermissionRefused(_("You may not start projects."))
    title, summary, contact, buurt_objs, topic_objs = _project_fields_clean(
        by=by,
        title=title,
        kind=kind,
        summary=summary,
        buurten=buurten,
        contact=contact,
        topics=topics,
        answer_term_days=answer_term_days,
    )
    owner = by.organisation
    if owner is None:
        raise InvalidInput(_("You are not part of an organisation."), field="eigenaar")
    project = Project(
        title=title,
        slug=_unique_slug(title),
        kind=kind,
        summary=summary,
        owner=owner,
        contact=contact,
        answer_term_days=answer_term_days,
        builds_on=(builds_on or "").strip(),
        is_household_vote=kind == Project.Kind.RENOVATIE if is_household_vote is None else is_household_vote,
        created_by=by,
    )
    project.full_clean(exclude=["buurten", "topics"])
    project.save()
    project.buurten.set(buurt_objs)
    project.topics.set(topic_objs)
    audit_record(actor=by, action="create", object_type="project", object_id=project.pk)
    return project


@transaction.atomic
def phase_add(
    *, project: Project, by: User, title: str, starts_on: date, ends_on: date | None = None, description: str = ""
) -> Phase:
    """A step on the timeline; it may not end before it starts."""
    _require_manager(by, project, "change")
    title = _required_text(title, "titel", max_length=200)
    if ends_on and ends_on < starts_on:
        raise InvalidInput(_("The end date is before the start date."), field="einddatum")
    return Phase.objects.create(
        project=project, title=title, starts_on=starts_on, ends_on=ends_on, description=description.strip()
    )


@transaction.atomic
def project_update(
    *,
    project: Project,
    by: User,
    title: str,
    kind: str,
    summary: str,
    buurten: list[str],
    contact: str,
    topics: list[str] | None = None,
    answer_term_days: int = 10,
    builds_on: str = "",
    confirm_below_b1: bool = False,
    expected_version: int | None = None,
) -> Project:
    """Change the project's texts, kind, buurten, contacts and answer term. An ended project no longer changes.
    `expected_version` is the version the editor saw: when a colleague saved in between, `StaleEdit` is raised
    with the project as it is now and nothing is saved (None: the caller carries no version).
    On a published project the new texts reach residents at once, so title and summary harder than B1 need
    confirmation there (a draft is checked when it is published). A new answer term counts for inputs that
    arrive from now on; the due dates already promised to residents stay as they are."""
    _require_manager(by, project, "change")
    if project.status == Project.Status.AFGEROND:
        raise InvalidInput(_("An ended project can no longer be changed."), field="status")
    title, summary, contact, buurt_objs, topic_objs = _project_fields_clean(
        by=by,
        title=title,
        kind=kind,
        summary=summary,
        buurten=buurten,
        contact=contact,
        topics=topics,
        answer_term_days=answer_term_days,
    )
    if project.status == Project.Status.GEPUBLICEERD and not confirm_below_b1:
        check = b1_check(f"{title}.\n{summary}")
        if not check.is_b1:
            raise NeedsConfirmation(
                _("The texts are harder than B1 (score %(score)s). Make them simpler, or confirm to save anyway.")
                % {"score": f"{check.score:.0f}"},
                field="bevestig_onder_b1",
            )
    version_claim(project, expected=expected_version)
    project.title, project.kind, project.summary, project.contact = title, kind, summary, contact
    project.answer_term_days = int(answer_term_days)
    project.builds_on = (builds_on or "").strip()
    project.full_clean(exclude=["buurten", "topics", "slug"])
    old_buurt_codes = sorted(project.buurten.values_list("code", flat=True))
    project.save()
    project.buurten.set(buurt_objs)
    project.topics.set(topic_objs)
    audit_record(actor=by, action="change", object_type="project", object_id=project.pk)
    events.project_scope_changed.announce(project_id=project.pk, old_buurt_codes=old_buurt_codes)
    return project


@transaction.atomic
def phase_update(
    *, phase: Phase, by: User, title: str, starts_on: date, ends_on: date | None = None, description: str = ""
) -> Phase:
    """Change a step on the timeline (its dates may move; it may not end before it starts)."""
    _require_manager(by, phase.project, "change")
    title = _required_text(title, "titel", max_length=200)
    if ends_on and ends_on < starts_on:
        raise InvalidInput(_("The end date is before the start date."), field="einddatum")
    description = (description or "").strip()
    if len(description) > TEXT_MAX_LENGTH:
        raise InvalidInput(_("This text is too long."), field="beschrijving")
    phase.title, phase.starts_on, phase.ends_on, phase.description = title, starts_on, ends_on, description
    phase.save()
    return phase


@transaction.atomic
def phase_delete(*, phase: Phase, by: User) -> None:
    """Remove a step from the timeline."""
    _require_manager(by, phase.project, "change")
    phase.delete()


@transaction.atomic
def frame_item_save(
    *,
    project: Project,
    by: User,
    kind: str,
    text: str,
    ladder: str = "",
    with_input: str = "",
    hear_back: str = "",
    item: FrameItem | None = None,
    reason: str = "",
) -> FrameItem:
    """Add or change one frame item. A fixed item has no ladder level; an open item must have one above
    'informeren' (asking residents while they cannot influence anything is exactly the sham this prevents).
    Whether an open item explains itself is checked at publishing, so a draft can be saved half done. Once
    published, an item may still be corrected or added, but an open item must stay explained and every change
    is logged with what it said before (and why), shown on the public page: no silent edits to a promise."""
    _require_manager(by, project, "change")
    if kind not in FrameItem.Kind.values:
        raise InvalidInput(_("Choose one of the allowed values."), field="soort")
    text = _required_text(text, "tekst")
    if kind == FrameItem.Kind.OPEN:
        if ladder not in Ladder.values or ladder == Ladder.INFORMEREN:
            raise InvalidInput(_("Choose how much say residents have on this item."), field="trede")
    else:
        ladder, with_input, hear_back = "", "", ""
    with_input, hear_back = (with_input or "").strip(), (hear_back or "").strip()
    if project.status == Project.Status.AFGEROND:
        raise InvalidInput(_("An ended project can no longer be changed."), field="kaders")
    published = project.status == Project.Status.GEPUBLICEERD
    if published and kind == FrameItem.Kind.OPEN:
        # Residents already read this frame: an open item may not lose what it promises.
        if not with_input:
            raise InvalidInput(_("Say what will be done with the input."), field="wat_met_inbreng")
        if not hear_back:
            raise InvalidInput(_("Say when residents hear back."), field="wanneer_terugkoppeling")
    previous = None
    if item is not None and item.pk:
        previous = (item.text, item.ladder, item.with_input, item.hear_back)
    item = item or FrameItem(project=project, position=project.frame_items.count())
    item.kind, item.text, item.ladder = kind, text, ladder
    item.with_input, item.hear_back = with_input, hear_back
    item.full_clean()
    item.save()
    if published and previous != (item.text, item.ladder, item.with_input, item.hear_back):
        FrameItemChange.objects.create(
            frame_item=item,
            changed_by=by,
            previous_text=previous[0] if previous else "",
            previous_ladder=previous[1] if previous else "",
            previous_with_input=previous[2] if previous else "",
            previous_hear_back=previous[3] if previous else "",
            reason=(reason or "").strip()[:300],
        )
        audit_record(
            actor=by,
            action="change" if previous else "create",
            object_type="frame_item",
            object_id=item.pk,
            area_code="",
            detail={"project": project.pk, "published": True},
        )
    return item


@transaction.atomic
def frame_item_delete(*, item: FrameItem, by: User) -> None:
    """Remove a frame item while the project is a draft; a published frame is a promise and stays."""
    _require_manager(by, item.project, "change")
    if item.project.status != Project.Status.CONCEPT:
        raise InvalidInput(_("Only a draft can be changed."), field="kaders")
    item.delete()


@transaction.atomic
def choice_add(
    *, project: Project, by: User, question: str, options: list[str], frame_item: FrameItem | None = None
) -> Choice:
    """A choice within the frame with two or more options, e.g. four colours for the front doors."""
    _require_manager(by, project, "change")
    question = _required_text(question, "vraag", max_length=300)
    labels = [o.strip() for o in options if o and o.strip()]
    if len(labels) < 2 or len(set(labels)) != len(labels):
        raise InvalidInput(_("Give at least two different options."), field="opties")
    choice = Choice.objects.create(project=project, question=question, frame_item=frame_item)
    ChoiceOption.objects.bulk_create(
        [ChoiceOption(choice=choice, label=label[:200], position=n) for n, label in enumerate(labels)]
    )
    return choice


def participation_level(project: Project) -> str:
    """The highest ladder rung of the open items; with no open items the project is honestly 'informeren'."""
    levels = [i.ladder for i in project.frame_items.all() if i.kind == FrameItem.Kind.OPEN and i.ladder]
    if not levels:
        return Ladder.INFORMEREN
    return max(levels, key=LADDER_ORDER.index)


def project_public_text(project: Project) -> str:
    """Every text residents read on the public page, as one text for the B1 check."""
    parts = [project.title + ".", project.summary]
    for item in project.frame_items.all():
        parts += [item.text, item.with_input, item.hear_back]
    for choice in project.choices.all():
        parts.append(choice.question)
    for phase in project.phases.all():
        parts += [phase.title + ".", phase.description]
    return "\n".join(p for p in parts if p)


def project_publish_problems(project: Project) -> list[tuple[str, str]]:
    """Why the project cannot be published yet: every open item must say what is done with the input and when
    residents hear back; a project needs at least one fixed statement or open item."""
    problems: list[tuple[str, str]] = []
    items = list(project.frame_items.all())
    if not items:
        problems.append(("kaders", _("Add the frame first: what is fixed and what residents decide on.")))
    for n, item in enumerate(items, start=1):
        if item.kind != FrameItem.Kind.OPEN:
            continue
        if not item.with_input.strip():
            problems.append(
                (
                    "kaders",
                    _("Open item %(n)s (“%(text)s”) does not say what will be done with the input.")
                    % {"n": n, "text": item.text[:60]},
                )
            )
        if not item.hear_back.strip():
            problems.append(
                (
                    "kaders",
                    _("Open item %(n)s (“%(text)s”) does not say when residents hear back.")
                    % {"n": n, "text": item.text[:60]},
                )
            )
    return problems


@transaction.atomic
def project_publish(*, project: Project, by: User, confirm_below_b1: bool = False) -> Project:
    """Publish a draft. Blocked while an open item is unexplained; when the public texts are harder than B1
    the publisher must confirm (and the project remembers that it went out below B1)."""
    _require_manager(by, project, "publish")
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status != Project.Status.CONCEPT:
        raise InvalidInput(_("Only a draft can be published."), field="status")
    problems = project_publish_problems(project)
    if problems:
        raise PublishBlocked(problems)
    check = b1_check(project_public_text(project))
    if not check.is_b1 and not confirm_below_b1:
        raise NeedsConfirmation(
            _("The texts are harder than B1 (score %(score)s). Make them simpler, or confirm to publish anyway.")
            % {"score": f"{check.score:.0f}"},
            field="bevestig_onder_b1",
        )
    version_claim(project, expected=None)  # an edit form opened before publishing must notice
    project.status = Project.Status.GEPUBLICEERD
    project.published_at = timezone.now()
    project.published_below_b1 = not check.is_b1
    project.save(update_fields=["status", "published_at", "published_below_b1", "updated_at"])
    audit_record(actor=by, action="publish", object_type="project", object_id=project.pk, detail={"b1": check.score})
    return project


@transaction.atomic
def project_end(*, project: Project, by: User) -> Project:
    """End the project; residents' e-mail addresses are erased at once (they were kept only to send replies)."""
    _require_manager(by, project, "end")
    version_claim(project, expected=None)
    project.status = Project.Status.AFGEROND
    project.ended_at = timezone.now()
    project.save(update_fields=["status", "ended_at", "updated_at"])
    input_emails_erase(project=project)
    audit_record(actor=by, action="end", object_type="project", object_id=project.pk)
    return project


def input_emails_erase(*, project: Project) -> int:
    """Erase every resident e-mail address of an ended project; returns how many were erased. Safe to repeat."""
    if project.status != Project.Status.AFGEROND:
        return 0
    erased = project.inputs.exclude(email="").update(email="")
    if project.emails_erased_at is None or erased:
        Project.objects.filter(pk=project.pk).update(emails_erased_at=timezone.now())
    if erased:
        audit_record(
            actor=None, action="erase", object_type="input_email", object_id=project.pk, detail={"count": erased}
        )
    return erased


def ended_projects_emails_erase() -> int:
    """The daily sweep: erase addresses of every ended project that still has any (e.g. ended via the admin)."""
    total = 0
    for project in Project.objects.filter(status=Project.Status.AFGEROND, inputs__email__gt="").distinct():
        total += input_emails_erase(project=project)
    return total


# Household codes -------------------------------------------------------------------------------------------


@transaction.atomic
def household_codes_generate(*, project: Project, by: User, complex_name: str, count: int) -> list[HouseholdCode]:
    """`count` new random codes for one complex, to print in the owner's letter (one per household)."""
    _require_manager(by, project, "change")
    complex_name = _required_text(complex_name, "complex", max_length=200)
    if not 1 <= int(count) <= MAX_CODES_PER_CALL:
        raise InvalidInput(_("Make 1 to 2000 codes at a time."), field="aantal")
    existing = set(project.household_codes.values_list("code", flat=True))
    codes: list[str] = []
    while len(codes) < count:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in existing:
            existing.add(code)
            codes.append(code)
    created = HouseholdCode.objects.bulk_create(
        [HouseholdCode(project=project, complex_name=complex_name, code=code) for code in codes]
    )
    audit_record(actor=by, action="create", object_type="household_code", object_id=project.pk, detail={"count": count})
    return created


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())
