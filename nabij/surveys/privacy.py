"""The questionnaires' personal data in the privacy registry (nabij.privacy.registry): collectors, responses and
their open answers.

Responses are anonymous and a collector (a resident who asks the neighbours) is not linked to a resident file,
so none of these is found through a resident: erasure reaches them through the registry's retention (12 months
after the questionnaire closed) or on the collector's own page. Choices and numbers stay: they carry no
personal data and the results keep their history.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from nabij.privacy.registry import PersonalData, describe_fields, register, register_not_personal, retention_period
from nabij.surveys.models import Answer, Collector, Response, Survey


def closed_surveys(now) -> QuerySet:
    """Questionnaires closed longer ago than the period. A questionnaire keeps no closing date: its last change
    (closing it is one) and its last response both lie before the cut-off."""
    cutoff = now - retention_period("vragenlijstantwoorden")
    recent = Response.objects.filter(submitted_at__gte=cutoff).values("survey_id")
    return Survey.objects.filter(status=Survey.Status.CLOSED, updated_at__lt=cutoff).exclude(pk__in=recent)


def answers_erase(qs: QuerySet) -> int:
    return Answer.objects.filter(pk__in=list(qs.values_list("pk", flat=True))).update(text="")


def answers_expired(now) -> QuerySet:
    return Answer.objects.filter(response__survey__in=closed_surveys(now)).exclude(text="")


def responses_erase(qs: QuerySet) -> int:
    """A response holds no text of its own; erasing it erases its open answers."""
    pks = list(qs.values_list("pk", flat=True))
    Answer.objects.filter(response_id__in=pks).exclude(text="").update(text="")
    return len(pks)


def collectors_erase(qs: QuerySet) -> int:
    """The label goes and the personal link stops working (paused); its responses stay anonymous."""
    return Collector.objects.filter(pk__in=list(qs.values_list("pk", flat=True))).update(label="", paused=True)


def collectors_expired(now) -> QuerySet:
    return Collector.objects.filter(survey__in=closed_surveys(now)).exclude(label="")


def describe_response(response: Response) -> dict[str, str]:
    out = describe_fields(response, ["survey", "submitted_at", "channel", "buurt"])
    for answer in response.answers.all():
        out[str(answer.question.text)] = (
            answer.text or answer.choice or ("" if answer.number is None else str(answer.number))
        )
    return out


register(
    PersonalData(
        key="verzamelaars",
        model="surveys.Collector",
        title=_("Collectors"),
        fields=("label",),
        not_personal_fields=("code",),  # a random link code
        erase=collectors_erase,
        expired=collectors_expired,
        retention="vragenlijstantwoorden",
        describe=lambda c: describe_fields(c, ["label", "survey", "buurt", "consent"]),
        order=70,
    )
)
register(
    PersonalData(
        key="antwoorden",
        model="surveys.Answer",
        title=_("Open answers"),
        fields=("text",),
        not_personal_fields=("choice",),  # the value of an option the questionnaire offered
        erase=answers_erase,
        expired=answers_expired,
        retention="vragenlijstantwoorden",
        describe=lambda a: describe_fields(a, ["question", "text"]),
        order=71,
    )
)
register(
    PersonalData(
        key="vragenlijstreacties",
        model="surveys.Response",
        title=_("Questionnaire responses"),
        not_personal_fields=("form_number", "idempotency_key"),
        erase=responses_erase,
        kept_while="anonymous; its open answers expire 12 months after the questionnaire closed (antwoorden)",
        describe=describe_response,
        order=72,
    )
)
for _model in ("Survey", "Section", "Question", "Option"):
    register_not_personal(f"surveys.{_model}", reason="the questionnaire itself, written by staff, public")
