"""Writes of residents' inputs and what follows from them: submitting (public), assigning, replying, decisions
("Jij zei, wij deden") and resident evenings."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from nabij.core import events, permissions
from nabij.core.access.participation import input_policy
from nabij.core.concurrency import StaleEdit, version_claim
from nabij.core.exceptions import InvalidInput, PermissionRefused
from nabij.language.b1 import B1Result, b1_check
from nabij.language.services import deidentify
from nabij.participation import rules
from nabij.participation.exceptions import NeedsConfirmation
from nabij.participation.models import (
    TEXT_MAX_LENGTH,
    ChoiceVote,
    Decision,
    HouseholdCode,
    Input,
    Project,
    Reply,
    ReplyVersion,
    ResidentEvening,
)
from nabij.participation.services.common import _require_manager, _required_text
from nabij.participation.services.projects import normalise_code
from nabij.privacy.services import audit_record, audit_refusal

if TYPE_CHECKING:
    from nabij.accounts.models import User

# Inputs ----------------------------------------------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(24)


def input_submit(
    *,
    project: Project,
    kind: str,
    text: str = "",
    frame_item_id: int | None = None,
    choice_id: int | None = None,
    option_id: int | None = None,
    household_code: str = "",
    email: str = "",
    idempotency_key: str = "",
    today: date | None = None,
) -> tuple[Input, bool]:
    """A resident's idea, reaction or choice on a published project. Returns (input, created).

    Idempotent: the same idempotency key for the same project returns the first input and stores nothing new.
    Text is de-identified before storing. A choice must be one of the offered options; in a household-vote
    project it needs an unused household code: one vote per household per choice, even when two people use
    the same code at the same moment (row lock plus a unique constraint). The answer is due after the
    project's answer term in Dutch working days."""
    key = (idempotency_key or "").strip()[:64]
    if key:
        existing = Input.objects.filter(project=project, idempotency_key=key).first()
        if existing is not None:
            return existing, False
    if project.status != Project.Status.GEPUBLICEERD:
        raise InvalidInput(_("This project does not take input now."), field="project")
    if kind not in Input.Kind.values:
        raise InvalidInput(_("Choose one of the allowed values."), field="soort")
    text = (text or "").strip()
    if len(text) > TEXT_MAX_LENGTH:
        raise InvalidInput(_("This text is too long."), field="tekst")
    email = (email or "").strip().lower()
    if email:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError as exc:
            raise InvalidInput(_("Enter a valid e-mail address."), field="email") from exc
    frame_item = None
    if frame_item_id:
        frame_item = project.frame_items.filter(pk=frame_item_id).first()
        if frame_item is None:
            raise InvalidInput(_("Choose one of the allowed values."), field="kader")
    choice = option = None
    if kind == Input.Kind.KEUZE:
        choice = project.choices.filter(pk=choice_id, is_open=True).first() if choice_id else None
        if choice is None:
            raise InvalidInput(_("Choose a question to answer."), field="keuze")
        option = choice.options.filter(pk=option_id).first() if option_id else None
        if option is None:
            raise InvalidInput(_("Choose one of the options offered."), field="optie")
    elif not text:
        raise InvalidInput(_("Write your idea or reaction."), field="tekst")
    try:
        with transaction.atomic():
            code = None
            if choice is not None and project.is_household_vote:
                normalised = normalise_code(household_code)
                if not normalised:
                    raise InvalidInput(_("Enter the code from your letter."), field="huishoudcode")
                code = HouseholdCode.objects.select_for_update().filter(project=project, code=normalised).first()
                if code is None:
                    raise InvalidInput(_("This code is unknown. Check the code in your letter."), field="huishoudcode")
                if ChoiceVote.objects.filter(choice=choice, household_code=code).exists():
                    raise InvalidInput(
                        _("This code has already been used for this question. Each household chooses once."),
                        field="huishoudcode",
                    )
            created_on = today or timezone.localdate()
            item = Input.objects.create(
                project=project,
                # The input is the project owner's record (its data controller), whoever gave it.
                organisation_id=project.owner_id,
                kind=kind,
                frame_item=frame_item or (choice.frame_item if choice else None),
                text=deidentify(text) if text else "",
                email=email,
                reply_token=_new_token(),
                idempotency_key=key,
                due_on=rules.answer_due_on(created_on, term_days=project.answer_term_days),
                assigned_to=project.created_by,
            )
            if choice is not None:
                assert option is not None  # a choice comes with one of its options (checked above)
                ChoiceVote.objects.create(input=item, choice=choice, option=option, household_code=code)
            events.input_received.announce(project_id=project.pk, created_at=item.created_at)
    except IntegrityError as exc:
        # Two submissions raced: the same idempotency key, or the same household code at the same moment.
        if key:
            existing = Input.objects.filter(project=project, idempotency_key=key).first()
            if existing is not None:
                return existing, False
        raise InvalidInput(
            _("This code has already been used for this question. Each household chooses once."),
            field="huishoudcode",
        ) from exc
    return item, True


def _require_change(by: User, item: Input, action: str) -> None:
    """Changing an input or its reply: the project's own organisation (`_require_manager`) and, by the input
    policy, someone who may change this record (their organisation's, inside their area scope)."""
    _require_manager(by, item.project, action)
    if not input_policy.can_change(by, item):
        audit_refusal(actor=by, action=action, object_type="input", object_id=item.pk)
        raise PermissionRefused(_("You may not change this input."))


@transaction.atomic
def input_assign(*, input: Input, by: User, to: User | None) -> Input:
    """Hand an input to a colleague of the owner organisation who may change it (the project in their area
    scope); it then shows in their answer queue."""
    _require_change(by, input, "assign")
    if to is not None and not (
        permissions.can_manage_project(to, input.project) and input_policy.can_change(to, input)
    ):
        raise InvalidInput(_("Choose a colleague of the project's organisation."), field="medewerker")
    input.assigned_to = to
    input.save(update_fields=["assigned_to", "updated_at"])
    audit_record(actor=by, action="update", object_type="input", object_id=input.pk, detail={"toegewezen": True})
    return input


def reply_url(item: Input) -> str:
    return reverse("participation-public:reply", args=[item.project.slug, item.reply_token])


@transaction.atomic
def reply_create(
    *,
    input: Input,
    by: User,
    text: str,
    confirm_below_b1: bool = False,
    base_url: str = "",
    expected_version: int | None = None,
) -> Reply:
    """Answer an input. An input is answered once: a second reply changes the first, and the text it replaces
    is kept as a `ReplyVersion` (the resident reads only the current answer).

    `expected_version` is the reply's version the editor saw (0: they saw no reply yet; None: the caller carries
    no version). When a colleague replied or changed the reply in between, `StaleEdit` is raised with the reply
    as it is now, and nothing is saved. The reply is B1-checked: harder than B1 needs confirmation. It belongs to
    the project's owner organisation. When the resident left an address, the reply goes out by e-mail after the
    commit."""
    _require_change(by, input, "reply")
    text = _required_text(text, "tekst")
    check = b1_check(text)
    if not check.is_b1 and not confirm_below_b1:
        raise NeedsConfirmation(
            _("The reply is harder than B1 (score %(score)s). Make it simpler, or confirm to send it anyway.")
            % {"score": f"{check.score:.0f}"},
            field="bevestig_onder_b1",
        )
    # Lock the input: two first replies at the same moment are one reply and one stale edit, never two.
    Input.objects.select_for_update().filter(pk=input.pk).first()
    reply = Reply.objects.filter(input=input).first()
    action = "create" if reply is None else "update"
    if reply is None:
        if expected_version:
            raise InvalidInput(_("This reply no longer exists. Write it again."), field="versie")
        reply = Reply(input=input, organisation_id=input.project.owner_id, text=text, author=by)
        reply.full_clean(exclude=["input"])
        reply.save()
    else:
        if expected_version == 0:
            # The editor saw no reply, but a colleague answered in the meantime.
            raise StaleEdit(current=reply)
        version_claim(reply, expected=expected_version)
        if reply.text != text:
            ReplyVersion.objects.create(
                reply=reply, text=reply.text, author_id=reply.author_id, written_at=reply.updated_at, replaced_by=by
            )
        reply.text, reply.author = text, by
        reply.organisation_id = input.project.owner_id
        reply.save(update_fields=["text", "author", "organisation", "version", "updated_at"])
    audit_record(actor=by, action=action, object_type="reply", object_id=reply.pk, detail={"inbreng": input.pk})
    if input.email:
        input_id, link = input.pk, base_url + reply_url(input)
        transaction.on_commit(lambda: _send_reply_mail(input_id=input_id, link=link))
    return reply


def _send_reply_mail(*, input_id: int, link: str) -> None:
    item = Input.objects.select_related("project", "reply").filter(pk=input_id).first()
    if item is None or not item.email or not item.is_answered:
        return
    body = _(
        "You gave input on “%(project)s”. Here is our answer:\n\n%(reply)s\n\nYou can also read it here: %(link)s"
    ) % {
        "project": item.project.title,
        "reply": item.reply.text,
        "link": link,
    }
    send_mail(_("Answer to your input: %(project)s") % {"project": item.project.title}, body, None, [item.email])
    Reply.objects.filter(pk=item.reply.pk).update(emailed_at=timezone.now())


# Decisions and evenings ------------------------------------------------------------------------------------


@transaction.atomic
def decision_create(
    *,
    project: Project,
    by: User,
    you_said: str,
    we_did: str,
    decided_on: date | None = None,
    input_ids: Collection[int] = (),
) -> Decision:
    """'Jij zei, wij deden': group inputs into a decision, shown in the public log of the project. Only inputs
    of this project the decider may see (by the input policy) can be linked."""
    _require_manager(by, project, "decide")
    you_said = _required_text(you_said, "jij_zei")
    we_did = _required_text(we_did, "wij_deden")
    inputs = list(input_policy.visible(by, project.inputs.filter(pk__in=list(input_ids))))
    if len(inputs) != len(set(input_ids)):
        raise InvalidInput(_("Choose inputs of this project."), field="inbreng")
    decision = Decision.objects.create(
        project=project, you_said=you_said, we_did=we_did, decided_on=decided_on or timezone.localdate(), created_by=by
    )
    decision.inputs.set(inputs)
    audit_record(actor=by, action="decide", object_type="project", object_id=project.pk)
    return decision


@transaction.atomic
def evening_save(
    *,
    project: Project,
    by: User,
    held_at: datetime,
    place: str,
    agenda: str,
    minutes: str = "",
    attendance: int | None = None,
    confirm_below_b1: bool = False,
    evening: ResidentEvening | None = None,
) -> ResidentEvening:
    """A resident evening: agenda, B1-checked minutes and a count of the residents who came (never names)."""
    _require_manager(by, project, "change")
    place = _required_text(place, "plek", max_length=200)
    agenda = _required_text(agenda, "agenda")
    minutes = (minutes or "").strip()
    if attendance is not None and attendance < 0:
        raise InvalidInput(_("The value is too small."), field="aantal")
    if minutes:
        check = b1_check(minutes)
        if not check.is_b1 and not confirm_below_b1:
            raise NeedsConfirmation(
                _("The minutes are harder than B1 (score %(score)s). Make them simpler, or confirm.")
                % {"score": f"{check.score:.0f}"},
                field="bevestig_onder_b1",
            )
    evening = evening or ResidentEvening(project=project)
    evening.held_at, evening.place, evening.agenda = held_at, place, agenda
    evening.minutes, evening.attendance = minutes, attendance
    evening.save()
    return evening


def text_check(text: str) -> B1Result:
    """The B1 check, for views that show it next to a form."""
    return b1_check(text)
