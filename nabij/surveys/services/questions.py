"""Questions and their options, and the order of questions and sections. Once a questionnaire has responses the
meaning of an answered question is fixed (see the package docstring)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from nabij.core.exceptions import InvalidInput
from nabij.surveys import logic
from nabij.surveys.models import LANGUAGES, OTHER_VALUE, Option, Question, Section, Survey
from nabij.surveys.services.errors import ChangeRefused
from nabij.surveys.services.questionnaires import _bump_version, _has_responses, _touch, survey_questions


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
        assert cond is not None  # show_if_question_id is set
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
    **fields: object,
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
        version_added=survey.questions_version,
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
    **fields: object,
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


# Order -----------------------------------------------------------------------------------------------------


def _check_order(survey: Survey) -> None:
    """Skip logic needs its condition on an earlier question; an order that breaks that is refused."""
    order = {q.pk: n for n, q in enumerate(survey_questions(survey))}
    for question in survey.questions.exclude(show_if_question=None):
        assert question.show_if_question_id is not None  # excluded above
        if order[question.show_if_question_id] >= order[question.pk]:
            raise ChangeRefused(
                _("“%(q)s” depends on an earlier question (skip logic) and cannot move before it.")
                % {"q": question.text}
            )


def _swap[T](items: list[T], item: T, direction: str) -> list[T] | None:
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
