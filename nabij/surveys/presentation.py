"""Questions prepared for a template (public page, paper entry, PDF): texts in the chosen language, options with
their checked state, the error and the ids that link labels, help and errors. No rules live here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.utils.translation import gettext as _

from nabij.surveys import logic
from nabij.surveys.models import OTHER_VALUE, RTL_LANGUAGES, Question

SELECT_ABOVE = 8  # more buurten than this: a select instead of radio buttons


def question_view(
    question: Question,
    *,
    data: Mapping[str, list[str]],
    errors: Mapping[str, str],
    language: str = "nl",
    buurten: Iterable = (),
    number: int | None = None,
) -> dict:
    key = question.key
    values = data.get(key, [])
    kind = question.kind
    options: list[tuple[str, str]] = []
    if kind == Question.Kind.BUURT:
        options = [(b.code, b.name) for b in buurten]
    elif kind in Question.CHOICE_KINDS:
        options = [(o.value, o.translated(language)) for o in question.options.all()]
        if question.allow_other:
            options.append((OTHER_VALUE, _("Other, namely:")))
    scale = []
    if kind == Question.Kind.SCALE:
        low, high = logic.scale_range(question)
        scale = [(str(v), str(v), str(v) in values) for v in range(low, high + 1)]
    return {
        "q": question,
        "key": key,
        "number": number,
        "kind": kind,
        "text": question.translated("text", language),
        "help": question.translated("help_text", language),
        "min_label": question.translated("min_label", language),
        "max_label": question.translated("max_label", language),
        "required": question.required,
        "error": errors.get(key, ""),
        "value": values[0] if values else "",
        "options": [(value, label, value in values) for value, label in options],
        "top": [(rank, values[rank - 1] if len(values) >= rank else "") for rank in range(1, logic.TOP_N + 1)],
        "scale": scale,
        "other": " ".join(data.get(logic.other_key(key), [])),
        "other_key": logic.other_key(key),
        "limit": question.text_limit if kind in Question.TEXT_KINDS else None,
        "as_select": kind == Question.Kind.BUURT and len(options) > SELECT_ABOVE,
        "grouped": kind not in (Question.Kind.NUMBER, Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT)
        and not (kind == Question.Kind.BUURT and len(options) > SELECT_ABOVE),
    }


def language_of(value: str) -> str:
    from nabij.surveys.models import LANGUAGES

    return value if value in {code for code, _label in LANGUAGES} else "nl"


def direction(language: str) -> str:
    return "rtl" if language in RTL_LANGUAGES else "ltr"


SUBMIT_LIMIT = 20  # submissions per client per minute: a collector with neighbours at a kitchen table stays below


def submit_limit() -> int:
    """The per-client limit of public submissions per minute for `nabij.core.ratelimit.allow`:
    `settings.SURVEYS_SUBMIT_LIMIT` when set (the benchmark server raises it: its load generator is one client),
    else SUBMIT_LIMIT."""
    return getattr(settings, "SURVEYS_SUBMIT_LIMIT", SUBMIT_LIMIT)
