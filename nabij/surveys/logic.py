"""The one place where answers are checked: the public page, paper entry and the API all call `validate`.

Raw answers are a mapping of question key to a list of strings (a form's `getlist`, or the API's values made
into lists); "anders, namelijk" text travels under `<key>_anders`. Skip logic is evaluated here too, so it
works the same with JavaScript off (server-side, page by page) as with it on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from nabij.surveys.models import OTHER_VALUE, TEXT_SHORT_MAX, Question

SCALE_DEFAULT = (1, 5)
TOP_N = 3


@dataclass
class CleanedAnswer:
    question: Question
    choices: list[str] = field(default_factory=list)
    number: int | None = None
    text: str = ""
    other_text: str = ""


def other_key(key: str) -> str:
    return f"{key}_{OTHER_VALUE}"


def normalise(raw: Mapping[str, Iterable[str]] | None) -> dict[str, list[str]]:
    """Strip values and drop empty ones, so an empty select or text box counts as no answer."""
    result: dict[str, list[str]] = {}
    for key, values in (raw or {}).items():
        if isinstance(values, str | int | float):
            values = [values]
        cleaned = [str(v).strip() for v in values if v is not None and str(v).strip() != ""]
        if cleaned:
            result[key] = cleaned
    return result


def scale_range(question: Question) -> tuple[int, int]:
    low = question.min_value if question.min_value is not None else SCALE_DEFAULT[0]
    high = question.max_value if question.max_value is not None else SCALE_DEFAULT[1]
    return low, high


def option_values(question: Question, buurt_codes: Iterable[str] = ()) -> list[str]:
    if question.kind == Question.Kind.BUURT:
        return list(buurt_codes)
    values = [o.value for o in question.options.all()]
    if question.allow_other and question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        values.append(OTHER_VALUE)
    return values


def visible_keys(questions: list[Question], raw: Mapping[str, list[str]]) -> set[str]:
    """Questions shown with these answers: no condition, or the condition's question is shown and its answer
    is (or, for several choices, contains) the condition's value."""
    by_pk = {q.pk: q for q in questions}
    visible: set[str] = set()
    for question in questions:  # conditions always point to an earlier question (enforced by the builder)
        cond = by_pk.get(question.show_if_question_id) if question.show_if_question_id else None
        if cond is None:
            if question.show_if_question_id is None:
                visible.add(question.key)
            continue
        if cond.key in visible and question.show_if_value in raw.get(cond.key, []):
            visible.add(question.key)
    return visible


def steps(questions: list[Question], *, split_dependants: bool = True) -> list[list[Question]]:
    """Pages of the public form: one per section, split where a question depends on one on the same page,
    so that without JavaScript the server can decide whether to ask it. With JavaScript the browser shows and
    hides dependent questions as the resident answers, so a page is a whole section (`split_dependants=False`)."""
    pages: list[list[Question]] = []
    current: list[Question] = []
    current_section = None
    for question in questions:
        on_page = {q.pk for q in current}
        split = split_dependants and question.show_if_question_id in on_page
        if current and (question.section_id != current_section or split):
            pages.append(current)
            current = []
        current.append(question)
        current_section = question.section_id
    if current:
        pages.append(current)
    return pages


def _parse_int(value: str) -> int | None:
    try:
        return int(value.replace(" ", ""))
    except ValueError:
        return None


def _check(question: Question, values: list[str], other: str, buurt_codes) -> tuple[str | None, CleanedAnswer]:
    answer = CleanedAnswer(question=question)
    kind = question.kind
    allowed = option_values(question, buurt_codes)
    if kind in (Question.Kind.SINGLE, Question.Kind.BUURT):
        if len(values) != 1 or values[0] not in allowed:
            return _("Choose one of the options given."), answer
        answer.choices = values
    elif kind == Question.Kind.MULTIPLE:
        if any(v not in allowed for v in values):
            return _("Choose only from the options given."), answer
        answer.choices = list(dict.fromkeys(values))
    elif kind == Question.Kind.TOP3:
        if any(v not in allowed for v in values):
            return _("Choose only from the options given."), answer
        if len(set(values)) != len(values):
            return _("Choose each option only once."), answer
        if len(values) > TOP_N:
            return _("Choose at most %(n)s options.") % {"n": TOP_N}, answer
        answer.choices = values
    elif kind in (Question.Kind.SCALE, Question.Kind.NUMBER):
        number = _parse_int(values[0]) if len(values) == 1 else None
        low, high = scale_range(question) if kind == Question.Kind.SCALE else (question.min_value, question.max_value)
        if number is None:
            return _("Enter a whole number."), answer
        if (low is not None and number < low) or (high is not None and number > high):
            if low is not None and high is not None:
                return _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}, answer
            if low is not None:
                return _("Enter a number of at least %(low)s.") % {"low": low}, answer
            return _("Enter a number of at most %(high)s.") % {"high": high}, answer
        answer.number = number
    else:
        text = "\n".join(values)
        if len(text) > question.text_limit:
            return _("Use at most %(n)s characters.") % {"n": question.text_limit}, answer
        answer.text = text
    if OTHER_VALUE in answer.choices and question.allow_other:
        if not other:
            return _("Write down what you mean by 'other'."), answer
        if len(other) > TEXT_SHORT_MAX:
            return _("Use at most %(n)s characters.") % {"n": TEXT_SHORT_MAX}, answer
        answer.other_text = other
    return None, answer


def validate(
    questions: list[Question],
    raw: Mapping[str, Iterable[str]],
    *,
    buurt_codes: Iterable[str] = (),
    only: set[str] | None = None,
    strict: bool = False,
) -> tuple[dict[str, CleanedAnswer], dict[str, str]]:
    """Check answers against the questions; returns (cleaned answers, {question key: Dutch message}).

    `only` limits the check to the questions of one page (the others are still used for skip logic);
    `strict` (the API) also refuses keys that are no question of this questionnaire.
    """
    data = normalise(raw)
    buurt_codes = list(buurt_codes)
    visible = visible_keys(questions, data)
    cleaned: dict[str, CleanedAnswer] = {}
    errors: dict[str, str] = {}
    if strict:
        known = {q.key for q in questions} | {other_key(q.key) for q in questions if q.allow_other}
        for key in data:
            if key not in known:
                errors[key] = _("There is no such question in this questionnaire.")
    for question in questions:
        key = question.key
        if only is not None and key not in only:
            continue
        values = data.get(key, [])
        other = " ".join(data.get(other_key(key), []))
        if key not in visible:
            if values or other:
                errors[key] = _("This question is not asked after your earlier answer; leave it empty.")
            continue
        if not values:
            if other:
                errors[key] = _("Tick 'other' if you write something there.")
            elif question.required:
                errors[key] = _("Answer this question.")
            continue
        error, answer = _check(question, values, other, buurt_codes)
        if error:
            errors[key] = error
        else:
            if other and OTHER_VALUE not in answer.choices:
                errors[key] = _("Tick 'other' if you write something there.")
                continue
            cleaned[key] = answer
    return cleaned, errors
