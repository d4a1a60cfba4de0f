"""The questionnaire itself: making it, its texts and area, opening and closing, its sections, and the cached
structure (questions and buurten) that the public page and the answer endpoint read on every request."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from nabij.areas.models import Buurt
from nabij.core.concurrency import version_claim
from nabij.core.exceptions import InvalidInput
from nabij.language.b1 import b1_check
from nabij.privacy.services import audit_record
from nabij.surveys.models import Question, Section, Survey
from nabij.surveys.services.errors import ChangeRefused, NeedsConfirmation

if TYPE_CHECKING:
    from nabij.accounts.models import User


def _unique_slug(title: str) -> str:
    base = slugify(title)[:60] or "vragenlijst"
    slug = base
    while Survey.objects.filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(2)}"
    return slug


@transaction.atomic
def survey_create(*, owner: User, title: str, buurten: Iterable[Buurt], **texts: str) -> Survey:
    """A new questionnaire starts as a draft with one section, owned by its maker and by the maker's
    organisation, which thereby owns every response, open answer and collector of it."""
    buurten = list(buurten)
    if not title.strip():
        raise InvalidInput(_("Give the questionnaire a title."), field="title")
    if not buurten:
        raise InvalidInput(_("Choose at least one buurt."), field="buurten")
    survey = Survey(
        owner=owner,
        title=title.strip(),
        slug=_unique_slug(title),
        organisation_id=owner.organisation_id,
        **texts,
    )
    survey.full_clean()
    survey.save()
    survey.buurten.set(buurten)
    Section.objects.create(survey=survey, title=_("Questions"), position=1)
    audit_record(actor=owner, action="create", object_type="survey", object_id=survey.pk)
    return survey


@transaction.atomic
def survey_update(
    *,
    survey: Survey,
    by: User,
    buurten: Iterable[Buurt] | None = None,
    expected_version: int | None = None,
    **fields: str,
) -> Survey:
    """Texts can change at any time; the area cannot shrink once responses name a buurt.

    `expected_version` is the version the form was shown with: if a colleague saved in between, the edit is
    refused with `StaleEdit` (carrying the questionnaire as it is now) instead of overwriting their change."""
    version_claim(survey, expected=expected_version)
    for name, value in fields.items():
        setattr(survey, name, value)
    survey.full_clean()
    survey.save()
    if buurten is not None:
        buurten = list(buurten)
        if not buurten:
            raise InvalidInput(_("Choose at least one buurt."), field="buurten")
        used = set(survey.responses.exclude(buurt=None).values_list("buurt_id", flat=True))
        if used - {b.pk for b in buurten}:
            raise ChangeRefused(
                _("There are responses from a buurt you removed; keep that buurt in the questionnaire."),
                field="buurten",
            )
        survey.buurten.set(buurten)
    audit_record(actor=by, action="update", object_type="survey", object_id=survey.pk)
    return survey


def survey_public_text(survey: Survey) -> str:
    """Every text a resident reads in Dutch: the questionnaire's texts, its questions, help texts and options."""
    parts = [survey.welcome_text, survey.privacy_text, survey.closing_text, survey.next_steps_text]
    for question in survey_questions(survey):
        parts += [question.text, question.help_text, question.min_label, question.max_label]
        parts += [option.label for option in question.options.all()]
    # Each part ends a sentence, so that a question without a full stop does not run into the next one.
    return "\n".join(
        p.strip() if p.strip().endswith((".", "?", "!", ":")) else f"{p.strip()}." for p in parts if p.strip()
    )


@transaction.atomic
def survey_set_status(*, survey: Survey, by: User, status: str, confirm_below_b1: bool = False) -> Survey:
    """Open needs at least one question; a closed questionnaire may be opened again. Opening a questionnaire
    whose public texts are harder than B1 needs the owner's confirmation (as publishing a project does)."""
    if status not in Survey.Status.values:
        raise InvalidInput(_("Unknown status."), field="status")
    if status == Survey.Status.OPEN and not survey.questions.exists():
        raise InvalidInput(_("Add at least one question before opening the questionnaire."), field="status")
    if status == Survey.Status.OPEN and survey.status != Survey.Status.OPEN and not confirm_below_b1:
        text = survey_public_text(survey)
        check = b1_check(text) if text else None
        if check is not None and not check.is_b1:
            raise NeedsConfirmation(
                _(
                    "The texts are harder than B1 (score %(score)s). Make them simpler, or confirm to open the "
                    "questionnaire anyway."
                )
                % {"score": f"{check.score:.0f}"},
                field="confirm_below_b1",
            )
    version_claim(survey, expected=None)  # an open settings form sees that the status changed
    survey.status = status
    survey.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action="update", object_type="survey", object_id=survey.pk, detail={"status": status})
    return survey


def _has_responses(survey: Survey) -> bool:
    return survey.responses.exists()


def _bump_version(survey: Survey) -> None:
    """Raise the questions version once per change-after-responses, so each response's version tells which
    questions were asked."""
    if survey.responses.filter(survey_version=survey.questions_version).exists():
        survey.questions_version += 1
        survey.save(update_fields=["questions_version", "updated_at"])


def section_create(*, survey: Survey, title: str) -> Section:
    """A new section goes last."""
    if not title.strip():
        raise InvalidInput(_("Give the section a title."), field="title")
    position = (survey.sections.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    section = Section.objects.create(survey=survey, title=title.strip(), position=position)
    _touch(survey)
    return section


def section_delete(*, section: Section) -> None:
    """Only an empty section goes, and a questionnaire keeps at least one."""
    if section.questions.exists():
        raise ChangeRefused(_("Move or delete the questions of this section first."))
    if section.survey.sections.count() == 1:
        raise ChangeRefused(_("A questionnaire needs at least one section."))
    section.delete()
    _touch(section.survey)


# Submitting ------------------------------------------------------------------------------------------------


def survey_questions(survey: Survey) -> list[Question]:
    """The questions in page order with their options, for validation and rendering."""
    return list(survey.questions.select_related("section").prefetch_related("options"))


# The questions and buurten of a questionnaire, per process, for the public page and answer endpoint (read on
# every submission). The key holds `updated_at`, which every builder service moves forward (`_touch`), so a
# change is seen by every worker on its next request. Callers must not change the returned objects.
_STRUCTURE: dict[tuple, tuple[list[Question], list[str]]] = {}
_STRUCTURE_MAX = 64


def survey_structure(survey: Survey) -> tuple[list[Question], list[str]]:
    """(questions in page order with their options, buurt codes) of a questionnaire, cached per process."""
    key = (survey.pk, survey.questions_version, survey.updated_at)
    cached = _STRUCTURE.get(key)
    if cached is None:
        cached = (survey_questions(survey), list(survey.buurten.values_list("code", flat=True)))
        if len(_STRUCTURE) >= _STRUCTURE_MAX:
            _STRUCTURE.clear()
        _STRUCTURE[key] = cached
    return list(cached[0]), list(cached[1])


def _touch(survey: Survey) -> None:
    """Mark the questionnaire changed, so cached structures (`survey_structure`) are read again."""
    survey.updated_at = timezone.now()
    Survey.objects.filter(pk=survey.pk).update(updated_at=survey.updated_at)
