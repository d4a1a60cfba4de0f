"""/api/v1/vragenlijsten — questionnaires in the caller's scope, their results, and the public answer endpoint.

`POST /api/v1/vragenlijsten/{slug}/antwoorden` needs no authentication and uses the same validation as the public
page; send an `Idempotency-Key` header so that a retry stores nothing twice (the same key answers 200 with the
response stored first; a new response answers 201). Bad input answers 422 with one Dutch message per field.

Every questionnaire and stored response names the organisation that owns its responses (`organisatie`, the
organisation's slug). Counts are exact only for the owning organisation's staff whose scope holds the whole area
(`binnen_gebied`); everyone else gets the published values of the small-cell rules. Lists are paged (at most 100).
"""

from __future__ import annotations

import json

from django.http import Http404, HttpResponse

import pydantic
from ninja import Field, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate

from nabij.core import ratelimit
from nabij.core.access.surveys import may_see_collectors
from nabij.core.pagination import BoundedPagination, LazyMap
from nabij.surveys import presentation, selectors, services
from nabij.surveys.models import Question, Survey

router = Router(tags=["vragenlijsten"])
_NON_QUESTION = {"verzamelaar", "vragenlijst", "idempotency_key", "formulier"}


class OptionOut(Schema):
    waarde: str
    label: str


class QuestionOut(Schema):
    sleutel: str
    soort: str
    vraag: str
    toelichting: str
    verplicht: bool
    opties: list[OptionOut]
    minimum: int | None
    maximum: int | None
    tonen_als: dict | None = Field(None, description='{"vraag": key, "waarde": option value} (skip logic)')


class SurveyOut(Schema):
    id: int
    titel: str
    slug: str
    status: str
    versie: int = Field(..., description="Version of the questions; each response keeps the one it was given under")
    organisatie: str | None = Field(..., description="Slug of the organisation that owns the responses")
    buurten: list[str]
    antwoorden: int | str = Field(..., description='Number of responses; "< 10" or rounded to 5 unless exact')


class SurveyDetailOut(SurveyOut):
    vragen: list[QuestionOut]


class ResultRowOut(Schema):
    antwoord: str
    aantal: int | str
    percentage: float | None


class QuestionResultOut(Schema):
    sleutel: str
    vraag: str
    beantwoord: int | str
    rijen: list[ResultRowOut]
    samenvatting: dict | None


class ResultsOut(Schema):
    antwoorden: int | str
    binnen_gebied: bool = Field(..., description="Exact counts (your organisation's, wholly in your area)")
    vragen: list[QuestionResultOut]


class SubmissionIn(Schema):
    antwoorden: dict[str, str | int | list[str]] = Field(
        ..., description='Per question key: a value, or a list for several choices / top 3; "v3_anders" for "other"'
    )
    verzamelaar: str = Field("", description="A collector's personal code (optional)")


class SubmissionOut(Schema):
    id: int
    kanaal: str
    versie: int
    organisatie: str | None = Field(..., description="Slug of the organisation that owns the response")


def _organisation_slug(survey: Survey) -> str | None:
    return survey.organisation.slug if survey.organisation_id else None


def _survey_out(survey: Survey, count: int | str) -> dict:
    return {
        "id": survey.pk,
        "titel": survey.title,
        "slug": survey.slug,
        "status": survey.status,
        "versie": survey.questions_version,
        "organisatie": _organisation_slug(survey),
        "buurten": sorted(b.code for b in survey.buurten.all()),
        "antwoorden": count,
    }


def _get(request, pk: int) -> Survey:
    return selectors.survey_get(user=request.auth, pk=pk)  # NotVisible: 404, audited


@router.get("/vragenlijsten", response=list[SurveyOut], summary="Questionnaires in your area (paged, at most 100)")
@paginate(BoundedPagination)
def survey_list(request):
    user = request.auth

    def convert(survey: Survey) -> dict:
        return _survey_out(survey, selectors.responses_shown(user=user, survey=survey, count=survey.response_count))

    return LazyMap(selectors.survey_list(user=user), convert)


@router.get("/vragenlijsten/{int:survey_id}", response=SurveyDetailOut, summary="A questionnaire with its questions")
def survey_detail(request, survey_id: int):
    survey = _get(request, survey_id)
    questions = services.survey_questions(survey)
    by_pk = {q.pk: q for q in questions}
    out = _survey_out(survey, selectors.response_count(user=request.auth, survey=survey))
    out["vragen"] = [
        {
            "sleutel": q.key,
            "soort": q.kind,
            "vraag": q.text,
            "toelichting": q.help_text,
            "verplicht": q.required,
            "opties": [{"waarde": o.value, "label": o.label} for o in q.options.all()]
            + ([{"waarde": "anders", "label": "Anders, namelijk"}] if q.allow_other else []),
            "minimum": q.min_value,
            "maximum": q.max_value,
            "tonen_als": {"vraag": by_pk[q.show_if_question_id].key, "waarde": q.show_if_value}
            if q.show_if_question_id in by_pk
            else None,
        }
        for q in questions
    ]
    return out


@router.get(
    "/vragenlijsten/{int:survey_id}/resultaten", response=ResultsOut, summary="Counts per question (small-cell rules)"
)
def survey_results(request, survey_id: int, buurt: str = "", kanaal: str = ""):
    from django.utils.translation import gettext as _

    survey = _get(request, survey_id)
    if kanaal and not may_see_collectors(request.auth, survey):
        raise HttpError(400, _("Filtering on channel is only for the organisation that owns the questionnaire."))
    questions = [q for q in services.survey_questions(survey) if q.kind not in Question.TEXT_KINDS]
    shown = selectors.survey_results_for(
        user=request.auth,
        survey=survey,
        questions=questions,
        filters=selectors.ResultFilters(buurt=buurt, channel=kanaal),
    )
    return {
        "antwoorden": shown.total,
        "binnen_gebied": shown.exact,
        "vragen": [
            {
                "sleutel": r.question.key,
                "vraag": r.question.text,
                "beantwoord": r.answered,
                "rijen": [{"antwoord": row.label, "aantal": row.count, "percentage": row.percentage} for row in r.rows],
                "samenvatting": r.summary,
            }
            for r in shown.questions
        ],
    }


def _submission(request) -> SubmissionIn:
    """The body as django-ninja would read it (same errors: 400 for bad JSON, 422 per field), parsed once.

    The endpoint takes the body itself rather than as a `SubmissionIn` parameter: ninja's parameter models and
    response validation were a measurable part of a public submission's cost (0404). The schema is still in
    the OpenAPI document (`openapi_extra` below)."""
    if not request.body:
        raise ValidationError([{"loc": ("body", "payload"), "type": "missing", "msg": "Field required"}])
    try:
        data = json.loads(request.body)
    except ValueError:
        raise HttpError(400, "Cannot parse request body") from None
    try:
        return SubmissionIn.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ValidationError(
            [{**e, "loc": ("body", "payload", *e["loc"])} for e in exc.errors(include_url=False, include_input=False)]
        ) from None


def _json(status: int, data: dict) -> HttpResponse:
    return HttpResponse(json.dumps(data), status=status, content_type="application/json; charset=utf-8")


@router.post(
    "/vragenlijsten/{slug}/antwoorden",
    auth=None,
    response={200: SubmissionOut, 201: SubmissionOut, 422: dict, 429: dict},
    summary="Send answers (public; Idempotency-Key header makes retries safe)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": SubmissionIn.json_schema()}},
        }
    },
)
def survey_submit(request, slug: str):
    from django.utils.translation import gettext as _

    payload = _submission(request)
    # The open questionnaire as this process last read it: the insert checks the stored row (0404).
    survey = selectors.survey_public_get(slug=slug, cached=True)
    if survey is None:
        raise Http404
    if not ratelimit.allow(request, scope="survey-api", limit=presentation.submit_limit()):
        return _json(429, {"detail": [{"loc": [], "msg": _("Too many requests. Wait a minute and try again.")}]})
    key = request.headers.get("Idempotency-Key", "") or services.new_idempotency_key()
    raw = {k: v if isinstance(v, list) else [v] for k, v in payload.antwoorden.items()}
    try:
        response, created = services.response_submit(
            survey=survey, raw=raw, idempotency_key=key, collector_code=payload.verzamelaar, strict=True
        )
    except services.SubmissionInvalid as exc:
        return _json(
            422,
            {
                "detail": [
                    {"loc": ["body", k] if k in _NON_QUESTION else ["body", "antwoorden", k], "msg": m}
                    for k, m in exc.errors.items()
                ]
            },
        )
    return _json(
        201 if created else 200,
        {
            "id": response.pk,
            "kanaal": response.channel,
            "versie": response.survey_version,
            "organisatie": _organisation_slug(response.survey),
        },
    )
