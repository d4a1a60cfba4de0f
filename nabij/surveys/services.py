"""All writes of the surveys app: building a questionnaire, collectors, submitting answers, tagging open answers.

Versioning rule: once a questionnaire has responses, what an answer *means* is fixed — the wording, type,
options, scale and skip logic of an existing question cannot change and answered questions cannot be deleted;
such a change is refused with a message saying what to do instead. Additions (a new question, a new option,
help text, translations, required) are allowed and raise the questionnaire's version; each response keeps the
version it was given under. See docs/decisions/0400-surveys-versioning.md.
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from nabij.areas.models import Buurt
from nabij.core.exceptions import ApplicationError
from nabij.language.b1 import b1_check
from nabij.language.services import deidentify
from nabij.privacy.services import audit_record
from nabij.surveys import logic, selectors
from nabij.surveys.models import (
    LANGUAGES,
    OTHER_VALUE,
    Answer,
    Collector,
    Option,
    Question,
    Response,
    Section,
    Survey,
)

CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: codes are read aloud and typed from paper


class InvalidInput(ApplicationError):
    """Bad input for a builder write; `field` names the form/API field."""

    status_code = 422


class NeedsConfirmation(InvalidInput):
    """The change is allowed, but only after the user confirms (e.g. opening with texts harder than B1)."""


class ChangeRefused(ApplicationError):
    """The change would break responses already given."""

    status_code = 409


class SubmissionInvalid(ApplicationError):
    """A submission was refused; `errors` maps a question key (or verzamelaar/formulier/vragenlijst) to a
    Dutch message. Nothing was stored."""

    status_code = 422

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        first_field, first_message = next(iter(errors.items()))
        super().__init__(first_message, field=first_field)


# Questionnaire ---------------------------------------------------------------------------------------------


def _unique_slug(title: str) -> str:
    base = slugify(title)[:60] or "vragenlijst"
    slug = base
    while Survey.objects.filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(2)}"
    return slug


@transaction.atomic
def survey_create(*, owner, title: str, buurten: Iterable[Buurt], **texts: str) -> Survey:
    """A new questionnaire starts as a draft with one section, owned by its maker."""
    buurten = list(buurten)
    if not title.strip():
        raise InvalidInput(_("Give the questionnaire a title."), field="title")
    if not buurten:
        raise InvalidInput(_("Choose at least one buurt."), field="buurten")
    survey = Survey(owner=owner, title=title.strip(), slug=_unique_slug(title), **texts)
    survey.full_clean()
    survey.save()
    survey.buurten.set(buurten)
    Section.objects.create(survey=survey, title=_("Questions"), position=1)
    audit_record(actor=owner, action="create", object_type="survey", object_id=survey.pk)
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, by, buurten: Iterable[Buurt] | None = None, **fields: str) -> Survey:
    """Texts can change at any time; the area cannot shrink once responses name a buurt."""
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


def survey_set_status(*, survey: Survey, by, status: str, confirm_below_b1: bool = False) -> Survey:
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
    survey.status = status
    survey.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action="update", object_type="survey", object_id=survey.pk, detail={"status": status})
    return survey


def _has_responses(survey: Survey) -> bool:
    return survey.responses.exists()


def _bump_version(survey: Survey) -> None:
    """Raise the version once per change-after-responses, so each response's version tells which questions
    were asked."""
    if survey.responses.filter(survey_version=survey.version).exists():
        survey.version += 1
        survey.save(update_fields=["version", "updated_at"])


def section_create(*, survey: Survey, title: str) -> Section:
    if not title.strip():
        raise InvalidInput(_("Give the section a title."), field="title")
    position = (survey.sections.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    section = Section.objects.create(survey=survey, title=title.strip(), position=position)
    _touch(survey)
    return section


def section_delete(*, section: Section) -> None:
    if section.questions.exists():
        raise ChangeRefused(_("Move or delete the questions of this section first."))
    if section.survey.sections.count() == 1:
        raise ChangeRefused(_("A questionnaire needs at least one section."))
    section.delete()
    _touch(section.survey)


def _clean_translations(translations: Mapping | None) -> dict:
    allowed = {code for code, _label in LANGUAGES if code != "nl"}
    result = {}
    for language, values in (translations or {}).items():
        if language not in allowed or not isinstance(values, Mapping):
            continue
        kept = {k: str(v).strip() for k, v in values.items() if str(v or "").strip()}
        if kept:
            result[language] = kept
    return result


def _option_rows(labels: Iterable[str | tuple[str, str]]) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for item in labels:
        value, label = item if isinstance(item, tuple) else ("", item)
        label = label.strip()
        if not label:
            continue
        value = (value or slugify(label)[:70] or "optie").strip()
        if value == OTHER_VALUE:
            value = "anders-optie"
        base, n = value, 2
        while value in seen:
            value, n = f"{base}-{n}", n + 1
        seen.add(value)
        rows.append((value, label))
    return rows


def _check_question(survey: Survey, question: Question, options: list[tuple[str, str]]) -> None:
    kind = question.kind
    if kind in Question.CHOICE_KINDS and not options:
        raise InvalidInput(_("Give at least one option, one per line."), field="options")
    if kind in (Question.Kind.SCALE, Question.Kind.NUMBER):
        low, high = question.min_value, question.max_value
        if kind == Question.Kind.SCALE:
            low, high = logic.scale_range(question)
            if high - low > 10:
                raise InvalidInput(_("A scale has at most 11 steps."), field="max_value")
        if low is not None and high is not None and low >= high:
            raise InvalidInput(_("The maximum must be larger than the minimum."), field="max_value")
    if question.show_if_question_id:
        cond = question.show_if_question
        if cond.survey_id != survey.pk or cond.kind not in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            raise InvalidInput(_("Skip logic can only depend on a choice question."), field="show_if_question")
        if question.pk and cond.pk == question.pk:
            raise InvalidInput(_("A question cannot depend on itself."), field="show_if_question")
        if (cond.section.position, cond.section_id, cond.position, cond.pk) >= (
            question.section.position,
            question.section_id,
            question.position,
            question.pk or 10**12,
        ):
            raise InvalidInput(_("Skip logic can only depend on an earlier question."), field="show_if_question")
        if question.show_if_value not in logic.option_values(cond):
            raise InvalidInput(_("Choose an option of that question."), field="show_if_value")
    else:
        question.show_if_value = ""


@transaction.atomic
def question_create(
    *,
    survey: Survey,
    section: Section,
    kind: str,
    text: str,
    options: Iterable[str | tuple[str, str]] = (),
    translations: Mapping | None = None,
    option_translations: Mapping | None = None,
    **fields,
) -> Question:
    """Add a question at the end of its section. After responses this raises the questionnaire's version."""
    if section.survey_id != survey.pk:
        raise InvalidInput(_("Choose a section of this questionnaire."), field="section")
    if kind not in Question.Kind.values:
        raise InvalidInput(_("Choose a question type."), field="kind")
    if not text.strip():
        raise InvalidInput(_("Write the question."), field="text")
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _bump_version(survey)
    position = (section.questions.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    keys = set(survey.questions.values_list("key", flat=True))
    n = len(keys) + 1
    while f"v{n}" in keys:
        n += 1
    question = Question(
        survey=survey,
        section=section,
        kind=kind,
        text=text.strip(),
        key=f"v{n}",
        position=position,
        translations=_clean_translations(translations),
        version_added=survey.version,
        **fields,
    )
    rows = _option_rows(options) if kind in Question.CHOICE_KINDS else []
    _check_question(survey, question, rows)
    question.full_clean()
    question.save()
    _options_save(question, rows, option_translations)
    _touch(survey)
    return question


def _options_save(question: Question, rows: list[tuple[str, str]], option_translations: Mapping | None) -> None:
    existing = {o.value: o for o in question.options.all()}
    for position, (value, label) in enumerate(rows, start=1):
        translations = {
            lang: labels[position - 1]
            for lang, labels in (option_translations or {}).items()
            if len(labels) >= position and labels[position - 1]
        }
        option = existing.get(value) or Option(question=question, value=value)
        option.label, option.position, option.translations = label, position, translations
        option.save()
    for value, option in existing.items():
        if value not in {v for v, _l in rows}:
            option.delete()


_MEANING_FIELDS = ("kind", "text", "min_value", "max_value", "min_label", "max_label", "show_if_question_id")


@transaction.atomic
def question_update(
    *,
    question: Question,
    options: Iterable[str | tuple[str, str]] | None = None,
    translations: Mapping | None = None,
    option_translations: Mapping | None = None,
    **fields,
) -> Question:
    """Change a question. Once it has answers its meaning is fixed (see module docstring)."""
    survey = Survey.objects.select_for_update().get(pk=question.survey_id)
    answered = question.answers.exists()
    before = {name: getattr(question, name) for name in _MEANING_FIELDS + ("show_if_value",)}
    before_options = {o.value: o.label for o in question.options.all()}
    for name, value in fields.items():
        setattr(question, name, value)
    if translations is not None:
        question.translations = _clean_translations(translations)
    if question.kind in Question.CHOICE_KINDS:
        rows = _option_rows(options) if options is not None else list(before_options.items())
        if options is not None:
            # Keep the stored values of options whose label did not change, so answers stay attached.
            by_label = {label: value for value, label in before_options.items()}
            rows = [(by_label.get(label, value), label) for value, label in rows]
    else:
        rows = []
    if answered:
        changed = [n for n in _MEANING_FIELDS + ("show_if_value",) if before[n] != getattr(question, n)]
        kept = {v: label for v, label in rows}
        lost = [v for v, label in before_options.items() if kept.get(v) != label]
        if changed or lost:
            raise ChangeRefused(
                _(
                    "This question already has answers, so its wording, type, options, scale and skip logic "
                    "can no longer change. Add a new question (or a new option) instead."
                )
            )
    _check_question(survey, question, rows)
    question.full_clean()
    if _has_responses(survey):
        _bump_version(survey)
    question.save()
    if question.kind in Question.CHOICE_KINDS:
        _options_save(question, rows, option_translations)
    _touch(survey)
    return question


@transaction.atomic
def question_delete(*, question: Question) -> None:
    """Answered questions are never deleted (their answers would be lost)."""
    if question.answers.exists():
        raise ChangeRefused(_("This question already has answers and cannot be deleted."))
    if question.dependants.exists():
        raise ChangeRefused(_("Another question depends on this one (skip logic); change that one first."))
    _bump_version(question.survey)
    question.delete()
    _touch(question.survey)


# Collectors ------------------------------------------------------------------------------------------------


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        if not Collector.objects.filter(code=code).exists():
            return code


def collector_create(*, survey: Survey, label: str, buurt: Buurt, consent: bool, by) -> Collector:
    """Register a resident who collects answers; they need consent and a buurt of the questionnaire."""
    if not label.strip():
        raise InvalidInput(_("Give the collector a label."), field="label")
    if not consent:
        raise InvalidInput(_("A collector takes part only with consent."), field="consent")
    if not survey.buurten.filter(pk=buurt.pk).exists():
        raise InvalidInput(_("Choose a buurt of this questionnaire."), field="buurt")
    collector = Collector(
        survey=survey, label=label.strip(), buurt=buurt, consent=True, code=_new_code(), created_by=by
    )
    collector.full_clean()
    collector.save()
    audit_record(actor=by, action="create", object_type="survey_collector", object_id=collector.pk)
    return collector


def collector_set_paused(*, collector: Collector, paused: bool, by) -> Collector:
    collector.paused = paused
    collector.save(update_fields=["paused", "updated_at"])
    audit_record(actor=by, action="update", object_type="survey_collector", object_id=collector.pk)
    return collector


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
    key = (survey.pk, survey.version, survey.updated_at)
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


# PostgreSQL: the response and its answers in one call of a PL/pgSQL function (migration 0003, which holds the
# statements), whose plans PostgreSQL keeps for the session; the answer rows arrive as one JSON array (cheaper to
# send than five typed arrays or a parameter per value).
_PG_SUBMIT = (
    "SELECT surveys_submit_response(%s::varchar, %s::bigint, %s::varchar, %s::varchar, %s::timestamptz, %s::bigint,"
    " %s::varchar, %s::varchar, %s::integer, %s::timestamptz, %s::jsonb)"
)
# SQLite: the same two INSERTs (it has no data-modifying CTEs nor functions), in one transaction.
_SQLITE_INSERT_RESPONSE = (
    "INSERT INTO surveys_response (survey_id, survey_version, channel, collector_id, buurt_id, form_number,"
    " idempotency_key, entered_by_id, submitted_at)"
    " SELECT s.id, s.version, %s, %s, %s, '', %s, NULL, %s"
    " FROM surveys_survey s WHERE s.id = %s AND s.slug = %s AND s.status = %s AND s.version = %s AND s.updated_at = %s"
    " ON CONFLICT (idempotency_key) DO NOTHING RETURNING id"
)
_SQLITE_INSERT_ANSWERS = "INSERT INTO surveys_answer (response_id, question_id, choice, number, text, rank) VALUES "

# An answer row before it has its response: (question id, choice, number, text, rank).
AnswerRow = tuple[int, str, int | None, str, int | None]


def _insert_checked(*, survey: Survey, response: Response, answers: list[AnswerRow]) -> int | None:
    """Insert the response and its answers while the stored questionnaire is still the one they were validated
    against; return the response id, or None when nothing was inserted.

    The response row is selected from the questionnaire's row only while it is open and unchanged since it was
    read (same id, slug, version and `updated_at`, which every builder change and every status change moves), so
    answers validated against a cached questionnaire or structure are never stored for one that closed or changed
    a moment ago. `ON CONFLICT (idempotency_key) DO NOTHING` makes a retry or a concurrent double tap insert
    nothing (the loser waits for the winner's commit). Raw SQL: the ORM's per-row model and compiler work was
    most of a submission's cost (docs/decisions/0404-surveys-submission-without-reads.md).

    PostgreSQL: one round trip, a call of `surveys_submit_response` (migration 0003) whose plans PostgreSQL keeps
    for the session; a single statement is atomic, so autocommit needs no BEGIN/COMMIT round trips (0403, 0404).
    SQLite: the same two INSERTs in one short transaction (in-process, so no round trips to save).
    """
    ops = connection.ops
    params: list = [
        response.channel,
        response.collector_id,
        response.buurt_id,
        response.idempotency_key,
        ops.adapt_datetimefield_value(response.submitted_at),
        survey.pk,
        survey.slug,
        Survey.Status.OPEN,
        survey.version,
        ops.adapt_datetimefield_value(survey.updated_at),
    ]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_PG_SUBMIT, [*params, json.dumps(answers)])
            return cursor.fetchone()[0]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_SQLITE_INSERT_RESPONSE, params)
        rows = cursor.fetchall()
        if rows and answers:
            response_id = rows[0][0]
            cursor.execute(
                _SQLITE_INSERT_ANSWERS + ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(answers)),
                [value for row in answers for value in (response_id, *row)],
            )
    return rows[0][0] if rows else None


def response_submit(
    *,
    survey: Survey,
    raw: Mapping[str, Iterable[str]],
    idempotency_key: str,
    channel: str = Response.Channel.ONLINE,
    collector_code: str = "",
    form_number: str = "",
    entered_by=None,
    strict: bool = False,
    questions: list[Question] | None = None,
) -> tuple[Response, bool]:
    """Store one response, or return the one already stored under this idempotency key (created=False).

    Rules: the questionnaire must be open (paper forms may still be typed in after closing); a collector code
    must be known and not paused; a paper form needs a number that is new for this questionnaire; every answer
    passes `logic.validate`. Open answers are de-identified before storing. Nothing is stored on any error.
    No IP address, user agent or other trace of the respondent is kept.

    `survey` may be a cached one (`selectors.survey_public_get(cached=True)`): an online or collector
    submission is inserted only while the stored questionnaire is still open and unchanged (`_insert_checked`);
    otherwise it is read again and decided on as it is now.

    Idempotency is decided by the unique key column, not by a look-up first: a retry or a concurrent double tap
    inserts nothing and answers with the row stored under the key. So the common case — a new submission —
    costs no extra query (docs/decisions/0402-surveys-submission-cost.md, 0403, 0404).
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
    entered_by,
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
        survey_version=survey.version,
        channel=channel,
        collector=collector,
        buurt_id=buurt_id,
        form_number=form_number if channel == Response.Channel.PAPER else "",
        idempotency_key=stored_key,
        entered_by=entered_by if channel == Response.Channel.PAPER else None,
        submitted_at=timezone.now(),
    )
    if checked_insert and channel != Response.Channel.PAPER:
        response.pk = _insert_checked(survey=survey, response=response, answers=answers)
        if response.pk is not None:
            response._state.adding, response._state.db = False, connection.alias
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
    try:
        # Outside a request transaction this is one plain transaction (no savepoint): response + answer rows.
        with transaction.atomic():
            response.save(force_insert=True)
            Answer.objects.bulk_create(
                Answer(response_id=response.pk, question_id=q, choice=c, number=n, text=t, rank=r)
                for q, c, n, t, r in answers
            )
    except IntegrityError:
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


def answer_set_topics(*, answer: Answer, topics: Iterable, by) -> Answer:
    """Staff tag an open answer with topics from the controlled list (themes count on them)."""
    answer.topics.set(list(topics))
    audit_record(actor=by, action="update", object_type="survey_answer", object_id=answer.pk)
    return answer


# Order -----------------------------------------------------------------------------------------------------


def _check_order(survey: Survey) -> None:
    """Skip logic needs its condition on an earlier question; an order that breaks that is refused."""
    order = {q.pk: n for n, q in enumerate(survey_questions(survey))}
    for question in survey.questions.exclude(show_if_question=None):
        if order[question.show_if_question_id] >= order[question.pk]:
            raise ChangeRefused(
                _("“%(q)s” depends on an earlier question (skip logic) and cannot move before it.")
                % {"q": question.text}
            )


def _swap(items: list, item, direction: str) -> list | None:
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(items):
        return None
    items[index], items[other] = items[other], items[index]
    return items


@transaction.atomic
def question_move(*, question: Question, direction: str) -> Question:
    """Move a question one place up or down within its section. Order changes no answer's meaning, so it is
    allowed after responses; skip logic must still point at an earlier question."""
    survey = Survey.objects.select_for_update().get(pk=question.survey_id)
    siblings = list(question.section.questions.order_by("position", "pk"))
    moved = _swap(siblings, next(q for q in siblings if q.pk == question.pk), direction)
    if moved is None:
        return question
    for position, sibling in enumerate(moved, start=1):
        Question.objects.filter(pk=sibling.pk).update(position=position)
    _check_order(survey)
    _touch(survey)
    question.refresh_from_db()
    return question


@transaction.atomic
def section_move(*, section: Section, direction: str) -> Section:
    """Move a section one place up or down; skip logic must still point at an earlier question."""
    survey = Survey.objects.select_for_update().get(pk=section.survey_id)
    sections = list(survey.sections.order_by("position", "pk"))
    moved = _swap(sections, next(s for s in sections if s.pk == section.pk), direction)
    if moved is None:
        return section
    for position, item in enumerate(moved, start=1):
        Section.objects.filter(pk=item.pk).update(position=position)
    _check_order(survey)
    _touch(survey)
    section.refresh_from_db()
    return section
