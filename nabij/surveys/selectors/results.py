"""Results per question: exact only where `exact_results` allows it, else the published values of the small-cell
rules, with percentages and chart bars computed from those published counts (issue 13)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from nabij.core import permissions
from nabij.core.access.surveys import (
    exact_results,
)
from nabij.privacy.services import audit_record
from nabij.privacy.smallcells import is_small, shown_count, suppress_breakdown
from nabij.surveys import logic
from nabij.surveys.models import OTHER_VALUE, Answer, Question, Response, Survey

if TYPE_CHECKING:
    from nabij.accounts.models import User


@dataclass
class ResultRow:
    label: str
    count: int | str
    percentage: float | None
    bar: float = 0.0  # bar length 0..100 for the chart, from the shown count


@dataclass
class QuestionResult:
    question: Question
    answered: int | str
    rows: list[ResultRow] = field(default_factory=list)
    summary: dict | None = None  # number questions: count, mean, median
    suppressed: bool = False


@dataclass
class ResultFilters:
    buurt: str = ""
    channel: str = ""
    date_from: date | None = None
    date_to: date | None = None


def responses_filtered(*, survey: Survey, filters: ResultFilters) -> QuerySet[Response]:
    qs = survey.responses.all()
    if filters.buurt:
        qs = qs.filter(buurt_id=filters.buurt)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    tz = timezone.get_current_timezone()
    if filters.date_from:
        qs = qs.filter(submitted_at__gte=datetime.combine(filters.date_from, time.min, tzinfo=tz))
    if filters.date_to:
        qs = qs.filter(submitted_at__lte=datetime.combine(filters.date_to, time.max, tzinfo=tz))
    return qs


def _published_percentages(cells: dict, total: int | str) -> dict:
    """Percentages of the published counts over the published total: a suppressed cell has none, and none can
    be turned back into a count the table does not show (issue 13)."""
    return {
        key: 100.0 * value / total if isinstance(value, int) and isinstance(total, int) and total else None
        for key, value in cells.items()
    }


def _with_bars(rows: list[ResultRow]) -> list[ResultRow]:
    """Bar lengths from the counts as shown (published values), never from exact ones."""
    top = max((r.count for r in rows if isinstance(r.count, int)), default=0)
    for row in rows:
        row.bar = round(100.0 * row.count / top, 1) if top and isinstance(row.count, int) else 0.0
    return rows


def survey_results(
    *, survey: Survey, questions: list[Question], filters: ResultFilters, in_scope: bool
) -> tuple[int | str, list[QuestionResult]]:
    """Counts and percentages per question for the filtered responses.

    Choice questions count distinct responses per option (a top-3 counts every place in the top 3); the
    percentage is of the responses that answered the question. Unless `in_scope` (exact results, decided by
    `exact_results` through `survey_results_for`) `nabij.privacy.smallcells` decides every count shown, and
    percentages and bars are computed from those published counts.
    """
    responses = responses_filtered(survey=survey, filters=filters)
    total = responses.count()
    answers = Answer.objects.filter(response__in=responses.values("pk"))
    answered = dict(
        answers.values("question_id").annotate(n=Count("response_id", distinct=True)).values_list("question_id", "n")
    )
    choice_counts: dict[int, dict[str, int]] = defaultdict(dict)
    for qid, choice, n in (
        answers.exclude(choice="")
        .values("question_id", "choice")
        .annotate(n=Count("response_id", distinct=True))
        .values_list("question_id", "choice", "n")
    ):
        choice_counts[qid][choice] = n
    number_values: dict[int, list[int]] = defaultdict(list)
    for qid, number in answers.exclude(number=None).values_list("question_id", "number"):
        assert number is not None  # excluded above
        number_values[qid].append(number)
    buurt_names = dict(survey.buurten.values_list("code", "name"))
    results = []
    for question in questions:
        n_answered = answered.get(question.pk, 0)
        result = QuestionResult(question=question, answered=shown_count(n_answered, in_scope=in_scope))
        kind = question.kind
        if kind in Question.CHOICE_KINDS or kind in (Question.Kind.BUURT, Question.Kind.SCALE):
            if kind == Question.Kind.BUURT:
                labels = dict(buurt_names)
            elif kind == Question.Kind.SCALE:
                low, high = logic.scale_range(question)
                labels = {str(v): str(v) for v in range(low, high + 1)}
                if question.min_label:
                    labels[str(low)] = f"{low} ({question.min_label})"
                if question.max_label:
                    labels[str(high)] = f"{high} ({question.max_label})"
                counted: dict[str, int] = defaultdict(int)
                for value in number_values.get(question.pk, []):
                    counted[str(value)] += 1
                choice_counts[question.pk] = counted
            else:
                labels = {o.value: o.label for o in question.options.all()}
                if question.allow_other:
                    labels[OTHER_VALUE] = _("Other")
            counts: dict[Hashable, int] = {value: choice_counts[question.pk].get(value, 0) for value in labels}
            table = suppress_breakdown(counts, in_scope=in_scope, total=n_answered)
            result.answered = table.total
            result.suppressed = table.any_suppressed
            percentages = table.percentages if in_scope else _published_percentages(table.cells, table.total)
            result.rows = _with_bars(
                [ResultRow(label=labels[v], count=table.cells[v], percentage=percentages[v]) for v in labels]
            )
        elif kind == Question.Kind.NUMBER:
            values = number_values.get(question.pk, [])
            if values and (in_scope or not is_small(len(values))):
                result.summary = {
                    "count": shown_count(len(values), in_scope=in_scope),
                    "mean": round(statistics.fmean(values), 1),
                    "median": statistics.median(values),
                }
            else:
                result.summary = {"count": shown_count(len(values), in_scope=in_scope), "mean": None, "median": None}
                result.suppressed = not in_scope and bool(values)
        results.append(result)
    return shown_count(total, in_scope=in_scope), results


@dataclass
class Results:
    exact: bool
    total: int | str
    questions: list[QuestionResult]


def survey_results_for(
    *, user: User | None, survey: Survey, questions: list[Question], filters: ResultFilters, audit: bool = True
) -> Results:
    """The results of a questionnaire as this viewer may see them — staff pages, exports, the API and the public
    results page (`user=None`) alike: exact only where `exact_results` allows it (the viewer's own
    organisation's questionnaire, its area or the filtered buurt wholly in their scope), else published values.
    Aggregates only; the read is audited for staff."""
    exact = exact_results(user, survey, [filters.buurt] if filters.buurt else None)
    total, results = survey_results(survey=survey, questions=questions, filters=filters, in_scope=exact)
    if audit and permissions.is_staff_user(user):
        audit_record(
            actor=user, action="view", object_type="survey_results", object_id=survey.pk, detail={"exact": exact}
        )
    return Results(exact=exact, total=total, questions=results)
