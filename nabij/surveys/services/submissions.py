"""Submitting answers (online, through a collector's link, on paper) and tagging open answers.

A response and its answers belong to the questionnaire's organisation (issue 13): `organisation` is set here
from the questionnaire, on every path — the public page, the public API and paper entry alike.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nabij.core import events
from nabij.core.models import Topic
from nabij.language.services import deidentify
from nabij.privacy.services import audit_record
from nabij.surveys import logic, selectors
from nabij.surveys.models import OTHER_VALUE, Answer, Collector, Question, Response, Survey
from nabij.surveys.services.errors import SubmissionInvalid
from nabij.surveys.services.questionnaires import survey_structure

if TYPE_CHECKING:
    from nabij.accounts.models import User


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


def _existing(survey: Survey, stored_key: str) -> Response | None:
    return Response.objects.filter(idempotency_key=stored_key, survey=survey).order_by().first()


def _refuse(survey: Survey, stored_key: str, errors: dict[str, str]) -> Response:
    """A refused submission whose key was stored before is a retry of an accepted one: answer with that one
    (the questionnaire may have closed since). Only refusals pay for this look-up, not the happy path."""
    existing = _existing(survey, stored_key)
    if existing is None:
        raise SubmissionInvalid(errors)
    return existing


# An answer row before it has its response: (question id, choice, number, text, rank).
AnswerRow = tuple[int, str, int | None, str, int | None]


def _store(*, response: Response, answers: list[AnswerRow], unchanged: Survey | None = None) -> bool:
    """Save the response and its answers in one transaction; False when nothing was stored.

    With `unchanged`, the rows are stored only while that questionnaire is still open and as it was read (same
    id, slug, questions version and `updated_at`, which every builder change and every status change moves), so
    answers validated against a cached questionnaire or structure are never stored for one that closed or changed
    a moment ago. A retry or a concurrent double tap stores nothing: the unique idempotency key refuses the second
    insert (the loser waits for the winner's commit) and the caller answers with the stored response. Plain ORM,
    one path for SQLite and PostgreSQL (issue 13 replaced the stored function of migration 0003). Every answer
    carries the response's organisation."""
    organisation_id = response.organisation_id
    try:
        # Outside a request transaction this is one plain transaction (no savepoint): check, response, answers.
        with transaction.atomic():
            if unchanged is not None and not _still_as_read(unchanged):
                return False
            response.save(force_insert=True)
            Answer.objects.bulk_create(
                Answer(
                    response_id=response.pk,
                    question_id=q,
                    choice=c,
                    number=n,
                    text=t,
                    rank=r,
                    organisation_id=organisation_id,
                )
                for q, c, n, t, r in answers
            )
    except IntegrityError:
        response.pk = None
        response._state.adding = True
        return False
    return True


def _still_as_read(survey: Survey) -> bool:
    return (
        Survey.objects.filter(
            pk=survey.pk,
            slug=survey.slug,
            status=Survey.Status.OPEN,
            questions_version=survey.questions_version,
            updated_at=survey.updated_at,
        )
        .order_by()
        .exists()
    )


def response_submit(
    *,
    survey: Survey,
    raw: Mapping[str, Iterable[str]],
    idempotency_key: str,
    channel: str = Response.Channel.ONLINE,
    collector_code: str = "",
    form_number: str = "",
    entered_by: User | None = None,
    strict: bool = False,
    questions: list[Question] | None = None,
) -> tuple[Response, bool]:
    """Store one response, or return the one already stored under this idempotency key (created=False).

    Rules: the questionnaire must be open (paper forms may still be typed in after closing); a collector code
    must be known and not paused; a paper form needs a number that is new for this questionnaire; every answer
    passes `logic.validate`. Open answers are de-identified before storing. Nothing is stored on any error.
    No IP address, user agent or other trace of the respondent is kept.

    `survey` may be a cached one (`selectors.survey_public_get(cached=True)`): an online or collector
    submission is inserted only while the stored questionnaire is still open and unchanged (`_store`);
    otherwise it is read again and decided on as it is now.

    Idempotency is decided by the unique key column, not by a look-up first: a retry or a concurrent double tap
    inserts nothing and answers with the row stored under the key. So the common case — a new submission —
    costs no look-up of the key (docs/decisions/0402-surveys-submission-cost.md).

    The response and its answers belong to the questionnaire's organisation.
    """
    return _response_submit(
        survey=survey,
        raw=raw,
        idempotency_key=idempotency_key,
        channel=channel,
        collector_code=collector_code,
        form_number=form_number,
        entered_by=entered_by,
        strict=strict,
        given_questions=questions,
        checked_insert=True,
    )


def _answer_rows(cleaned: Mapping[str, logic.CleanedAnswer]) -> tuple[list[AnswerRow], str | None]:
    """The answer rows of validated answers, and the buurt the buurt question names (if any)."""
    rows: list[AnswerRow] = []
    buurt_id = None
    for item in cleaned.values():
        question = item.question
        if question.kind == Question.Kind.BUURT:
            buurt_id = item.choices[0]
        if item.choices:
            top3 = question.kind == Question.Kind.TOP3
            for rank, choice in enumerate(item.choices, start=1):
                # De-identification (deduce) only runs for open text; most submissions have none.
                text = deidentify(item.other_text) if choice == OTHER_VALUE and item.other_text else ""
                rows.append((question.pk, choice, None, text, rank if top3 else None))
        elif item.number is not None:
            rows.append((question.pk, "", item.number, "", None))
        else:
            rows.append((question.pk, "", None, deidentify(item.text), None))
    return rows, buurt_id


def _response_submit(
    *,
    survey: Survey,
    raw: Mapping[str, Iterable[str]],
    idempotency_key: str,
    channel: str,
    collector_code: str,
    form_number: str,
    entered_by: User | None,
    strict: bool,
    given_questions: list[Question] | None,
    checked_insert: bool,
) -> tuple[Response, bool]:
    idempotency_key = (idempotency_key or "").strip()[:64]
    if not idempotency_key:
        raise SubmissionInvalid({"idempotency_key": _("This submission has no key; reload the page.")})
    stored_key = f"{survey.pk}:{idempotency_key}"
    requested_channel = channel
    errors: dict[str, str] = {}
    if channel == Response.Channel.PAPER:
        if survey.status == Survey.Status.DRAFT:
            errors["vragenlijst"] = _("This questionnaire is not open yet.")
        form_number = (form_number or "").strip()
        if not form_number:
            errors["formulier"] = _("Enter the form number printed on the paper form.")
        elif survey.responses.filter(form_number=form_number).exclude(idempotency_key=stored_key).exists():
            errors["formulier"] = _("Form number %(n)s has already been entered.") % {"n": form_number}
    elif survey.status != Survey.Status.OPEN:
        errors["vragenlijst"] = (
            _("This questionnaire is closed.")
            if survey.status == Survey.Status.CLOSED
            else _("This questionnaire is not open yet.")
        )
    collector = None
    if collector_code:
        collector = Collector.objects.filter(survey=survey, code=collector_code.strip()).first()
        if collector is None:
            errors["verzamelaar"] = _("This collector code is not known.")
        elif collector.paused:
            errors["verzamelaar"] = _("This collector link is paused.")
        elif channel == Response.Channel.ONLINE:
            channel = Response.Channel.COLLECTOR
    if errors.get("vragenlijst"):
        return _refuse(survey, stored_key, errors), False
    cached_questions, buurt_codes = survey_structure(survey)
    questions = given_questions if given_questions is not None else cached_questions
    cleaned, answer_errors = logic.validate(questions, raw, buurt_codes=buurt_codes, strict=strict)
    errors.update(answer_errors)
    if errors:
        return _refuse(survey, stored_key, errors), False
    answers, named_buurt = _answer_rows(cleaned)
    buurt_id = named_buurt or (collector.buurt_id if collector else (buurt_codes[0] if len(buurt_codes) == 1 else None))
    response = Response(
        survey=survey,
        survey_version=survey.questions_version,
        organisation_id=survey.organisation_id,
        channel=channel,
        collector=collector,
        buurt_id=buurt_id,
        form_number=form_number if channel == Response.Channel.PAPER else "",
        idempotency_key=stored_key,
        entered_by=entered_by if channel == Response.Channel.PAPER else None,
        submitted_at=timezone.now(),
    )
    if checked_insert and channel != Response.Channel.PAPER:
        if _store(response=response, answers=answers, unchanged=survey):
            return response, True
        # Nothing inserted: a retry of a stored key (or a double tap that lost the race), or the questionnaire
        # changed since it was read (closed, a new structure, another address). Only these rare paths pay for
        # look-ups.
        existing = _existing(survey, stored_key)
        if existing is not None:
            return existing, False
        # Decide again on the questionnaire as it is stored now (this also refreshes the endpoint's cache), so
        # a closed questionnaire gives its message and a new structure validates the answers again.
        # Its address may now belong to another questionnaire: then the answers are for that one, as they would
        # be had this request read it.
        fresh = selectors.survey_public_get(slug=survey.slug)
        if fresh is None:  # gone, or back to draft
            raise SubmissionInvalid({"vragenlijst": _("This questionnaire is closed.")})
        return _response_submit(
            survey=fresh,
            checked_insert=False,
            raw=raw,
            idempotency_key=idempotency_key,
            channel=requested_channel,
            collector_code=collector_code,
            form_number=form_number,
            entered_by=entered_by,
            strict=strict,
            given_questions=None,  # the questions as they are now
        )
    if not _store(response=response, answers=answers):
        # The key (or the paper form number) is stored already: a retry, or a concurrent submission that won the
        # race. The unique constraint decides; answer with the stored response.
        existing = _existing(survey, stored_key)
        if existing is not None:
            return existing, False
        raise SubmissionInvalid(
            {"formulier": _("Form number %(n)s has already been entered.") % {"n": form_number}}
        ) from None
    if entered_by is not None:
        audit_record(actor=entered_by, action="create", object_type="survey_response", object_id=response.pk)
    return response, True


# Open answers ----------------------------------------------------------------------------------------------


def answer_set_topics(*, answer: Answer, topics: Iterable[Topic], by: User) -> Answer:
    """Staff tag an open answer with topics from the controlled list (themes count on them)."""
    answer.topics.set(list(topics))
    audit_record(actor=by, action="update", object_type="survey_answer", object_id=answer.pk)
    response = answer.response
    events.answer_tagged.announce(buurt_code=response.buurt_id, submitted_at=response.submitted_at)
    return answer
