"""Export sheets for `nabij.core.spreadsheets` (CSV and XLSX): one row per response the user may read, or the
aggregate tables as the results page shows them. Every export is audited."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from nabij.core.access import audit_read
from nabij.core.access.surveys import (
    answer_policy,
    may_read_answers,
    response_policy,
)
from nabij.core.spreadsheets import Sheet
from nabij.privacy.refusals import require
from nabij.privacy.services import audit_record
from nabij.privacy.smallcells import SUPPRESSED, is_small
from nabij.surveys.models import OTHER_VALUE, Answer, Question, Response, Survey
from nabij.surveys.selectors.results import ResultFilters, Results, survey_results_for

if TYPE_CHECKING:
    from nabij.accounts.models import User


def export_header(questions: list[Question]) -> list[str]:
    header = ["nummer", "datum", "kanaal", "buurt", "versie"]
    for q in questions:
        header.append(q.key)
        if q.allow_other:
            header.append(f"{q.key}_anders")
    return header


def export_rows(
    *,
    survey: Survey,
    questions: list[Question],
    responses: QuerySet[Response] | None = None,
    answers: QuerySet[Answer] | None = None,
    chunk_size: int = 2000,
) -> Iterator[list]:
    """One row per response, streamed from two ordered cursors (responses and answers) so memory stays flat.

    Low level and unaudited: pages and exports go through `responses_sheet`, which passes only the responses and
    answers the user may read. A buurt with fewer than the small-cell threshold of responses is shown as "< 10"
    so no respondent stands out by their buurt.
    """
    responses = survey.responses.all() if responses is None else responses
    answers = Answer.objects.filter(response__survey=survey) if answers is None else answers
    small = {
        row["buurt_id"]
        for row in survey.responses.values("buurt_id").annotate(n=Count("pk"))
        if is_small(row["n"]) and row["buurt_id"]
    }
    columns = {}
    i = 5
    for q in questions:
        columns[q.pk] = i
        i += 2 if q.allow_other else 1
    width = i
    multi = {q.pk for q in questions if q.kind in (Question.Kind.MULTIPLE, Question.Kind.TOP3)}
    others = {q.pk for q in questions if q.allow_other}
    response_rows = (
        responses.order_by("pk")
        .values_list("pk", "submitted_at", "channel", "buurt_id", "survey_version")
        .iterator(chunk_size=chunk_size)
    )
    answer_rows = (
        answers.order_by("response_id", "question_id", "rank", "pk")
        .values_list("response_id", "question_id", "choice", "number", "text")
        .iterator(chunk_size=chunk_size)
    )
    pending = next(answer_rows, None)
    tz = timezone.get_current_timezone()
    for number, (pk, submitted_at, channel, buurt_id, version) in enumerate(response_rows, start=1):
        row: list = [None] * width
        row[0] = number
        row[1] = submitted_at.astimezone(tz).date().isoformat()
        row[2] = channel
        row[3] = SUPPRESSED if buurt_id in small else (buurt_id or "")
        row[4] = version
        while pending is not None and pending[0] < pk:
            pending = next(answer_rows, None)
        while pending is not None and pending[0] == pk:
            _rid, qid, choice, num, text = pending
            col = columns.get(qid)
            if col is not None:
                if choice:
                    if qid in multi and row[col]:
                        row[col] = f"{row[col]};{choice}"
                    else:
                        row[col] = choice
                    if choice == OTHER_VALUE and qid in others:
                        row[col + 1] = text
                elif num is not None:
                    row[col] = num
                else:
                    row[col] = text
            pending = next(answer_rows, None)
        yield row


def _audit_response_export(*, user: User, survey: Survey, responses: QuerySet[Response], fmt: str) -> None:
    """One audit event per owner and ground of the exported responses (each one's basis, read in one pass)."""

    def records() -> Iterator[Response]:
        for response in responses.only("pk", "organisation_id", "buurt_id", "survey_id").iterator(chunk_size=2000):
            response.survey = survey
            yield response

    audit_read(
        user=user,
        policy=response_policy,
        records=records(),
        action="export",
        object_type="survey_responses",
        object_id=survey.pk,
        detail={"fmt": fmt},
    )


def responses_sheet(*, user: User, survey: Survey, questions: list[Question], fmt: str) -> Sheet:
    """Every response the user may read (`response_policy`), one row each, with the answers they may read
    (`answer_policy`): for the questionnaire's own organisation, or a partner under a samenwerkingsafspraak that
    names "antwoorden" for those buurten. The export is audited for each owner."""
    require(
        may_read_answers(user, survey), actor=user, action="export", object_type="survey_responses", object_id=survey.pk
    )
    responses = response_policy.visible(user, survey.responses.all())
    answers = answer_policy.visible(user, Answer.objects.filter(response__survey=survey))
    _audit_response_export(user=user, survey=survey, responses=responses, fmt=fmt)
    return Sheet(
        title=_("Responses"),
        headers=export_header(questions),
        rows=export_rows(survey=survey, questions=questions, responses=responses, answers=answers),
    )


def results_sheet(*, user: User, survey: Survey, questions: list[Question], filters: ResultFilters, fmt: str) -> Sheet:
    """The aggregate tables as flat rows, exact or published as `exact_results` decides for this user (the
    same figures as the results page). The export is audited."""
    results = survey_results_for(user=user, survey=survey, questions=questions, filters=filters, audit=False)
    audit_record(
        actor=user,
        action="export",
        object_type="survey_tabellen",
        object_id=survey.pk,
        detail={"fmt": fmt, "exact": results.exact},
    )
    return Sheet(
        title=_("Results"),
        headers=["vraag", "antwoord", "aantal", "percentage", "gemiddelde"],
        rows=list(_results_rows(results)),
    )


def _results_rows(results: Results) -> Iterator[list]:
    yield ["", _("Responses"), results.total, "", ""]
    for result in results.questions:
        if result.summary is not None:
            mean = result.summary["mean"]
            yield [result.question.key, _("count"), result.summary["count"], "", "" if mean is None else mean]
            continue
        if not result.rows:
            yield [result.question.key, _("answered"), result.answered, "", ""]
            continue
        for row in result.rows:
            pct = "" if row.percentage is None else round(row.percentage, 1)
            yield [result.question.key, row.label, row.count, pct, ""]
