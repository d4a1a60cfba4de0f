"""Reads of the surveys app: lists in the viewer's scope, results with the small-cell rules, export rows."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from nabij.areas.models import Buurt
from nabij.core import permissions
from nabij.core.exceptions import NotVisible
from nabij.privacy.smallcells import SUPPRESSED, shown_count, suppress_breakdown, threshold
from nabij.surveys import logic
from nabij.surveys.models import OTHER_VALUE, Answer, Collector, Question, Response, Survey


def survey_list(*, user) -> QuerySet[Survey]:
    """Questionnaires the user owns or that are about a buurt in their scope."""
    qs = Survey.objects.select_related("owner").annotate(response_count=Count("responses", distinct=True))
    if permissions.has_national_scope(user):
        return qs
    in_scope = Survey.buurten.through.objects.filter(
        survey_id=OuterRef("pk"), buurt_id__in=permissions.buurten_visible_to(user).values("pk")
    )
    return qs.filter(Q(owner=user) | Q(Exists(in_scope)))


def survey_get(*, user, pk: int) -> Survey:
    survey = Survey.objects.select_related("owner").filter(pk=pk).first()
    if survey is None or not permissions.can_view_survey(user, survey):
        raise NotVisible(_("Not found."))
    return survey


# Open questionnaires by slug, per process, for the answer endpoint: a submission then needs no read before its
# insert. An entry may be stale (closed, changed, re-addressed or gone since it was read), so only a caller whose
# write checks the stored row may use it: `services.response_submit` inserts only while id, slug, status,
# version and `updated_at` still match, and reads again through here when they do not. Every fresh read
# refreshes the entry. Callers must not change the returned object.
_OPEN_BY_SLUG: dict[str, Survey] = {}
_OPEN_BY_SLUG_MAX = 256


def survey_public_get(*, slug: str, cached: bool = False) -> Survey | None:
    """A questionnaire by its public address; drafts are not public.

    One query by the unique slug, without ordering (see 0402). `cached=True` may return the open questionnaire
    this process read before, without a query: for writes that check the stored row (see 0404)."""
    if cached:
        survey = _OPEN_BY_SLUG.get(slug)
        if survey is not None:
            return survey
    try:
        survey = Survey.objects.get(slug=slug)
    except Survey.DoesNotExist:
        _OPEN_BY_SLUG.pop(slug, None)
        return None
    if survey.status == Survey.Status.OPEN:
        if len(_OPEN_BY_SLUG) >= _OPEN_BY_SLUG_MAX:
            _OPEN_BY_SLUG.clear()
        _OPEN_BY_SLUG[slug] = survey
    else:
        _OPEN_BY_SLUG.pop(slug, None)
    return None if survey.status == Survey.Status.DRAFT else survey


def collector_counts(*, survey: Survey) -> list[Collector]:
    """Per collector: how many conversations (responses) — to thank them, never a public ranking."""
    return list(survey.collectors.select_related("buurt").annotate(conversations=Count("responses")).order_by("label"))


def conversations_per_buurt(*, survey: Survey) -> list[dict]:
    return list(
        survey.responses.filter(channel=Response.Channel.COLLECTOR)
        .values("collector__buurt__name", "collector__buurt_id")
        .annotate(n=Count("pk"))
        .order_by("collector__buurt__name")
    )


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


def _with_bars(rows: list[ResultRow]) -> list[ResultRow]:
    top = max((r.count for r in rows if isinstance(r.count, int)), default=0)
    for row in rows:
        row.bar = round(100.0 * row.count / top, 1) if top and isinstance(row.count, int) else 0.0
    return rows


def survey_results(
    *, survey: Survey, questions: list[Question], filters: ResultFilters, in_scope: bool
) -> tuple[int | str, list[QuestionResult]]:
    """Counts and percentages per question for the filtered responses.

    Choice questions count distinct responses per option (a top-3 counts every place in the top 3); the
    percentage is of the responses that answered the question. Outside the viewer's scope (and always for
    exports and public pages) `nabij.privacy.smallcells` decides what is shown.
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
            counts = {value: choice_counts[question.pk].get(value, 0) for value in labels}
            table = suppress_breakdown(counts, in_scope=in_scope, total=n_answered)
            result.answered = table.total
            result.suppressed = table.any_suppressed
            result.rows = _with_bars(
                [ResultRow(label=labels[v], count=table.cells[v], percentage=table.percentages[v]) for v in labels]
            )
        elif kind == Question.Kind.NUMBER:
            values = number_values.get(question.pk, [])
            if values and (in_scope or len(values) >= threshold()):
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


def open_answers(*, survey: Survey, question: Question | None = None) -> QuerySet[Answer]:
    """De-identified open answers (text questions and 'other, namely'), newest first, with their topics."""
    qs = (
        Answer.objects.filter(question__survey=survey)
        .exclude(text="")
        .select_related("question", "response")
        .prefetch_related("topics")
        .order_by("-response__submitted_at", "-pk")
    )
    if question is not None:
        qs = qs.filter(question=question)
    return qs


def buurt_choices(*, survey: Survey) -> list[Buurt]:
    return list(survey.buurten.order_by("name"))


def response_count(*, survey: Survey) -> int:
    return survey.responses.count()


# Export ----------------------------------------------------------------------------------------------------


def export_header(questions: list[Question]) -> list[str]:
    header = ["nummer", "datum", "kanaal", "buurt", "versie"]
    for q in questions:
        header.append(q.key)
        if q.allow_other:
            header.append(f"{q.key}_anders")
    return header


def export_rows(*, survey: Survey, questions: list[Question], chunk_size: int = 2000) -> Iterator[list]:
    """One row per response, streamed from two ordered cursors (responses and answers) so memory stays flat.

    Microdata leave the page only for editors of the questionnaire; a buurt with fewer than the small-cell
    threshold of responses is shown as "< 10" so no respondent stands out by their buurt.
    """
    small = {
        row["buurt_id"]
        for row in survey.responses.values("buurt_id").annotate(n=Count("pk"))
        if row["n"] < threshold() and row["buurt_id"]
    }
    columns = {}
    i = 5
    for q in questions:
        columns[q.pk] = i
        i += 2 if q.allow_other else 1
    width = i
    multi = {q.pk for q in questions if q.kind in (Question.Kind.MULTIPLE, Question.Kind.TOP3)}
    others = {q.pk for q in questions if q.allow_other}
    responses = (
        survey.responses.order_by("pk")
        .values_list("pk", "submitted_at", "channel", "buurt_id", "survey_version")
        .iterator(chunk_size=chunk_size)
    )
    answers = (
        Answer.objects.filter(response__survey=survey)
        .order_by("response_id", "question_id", "rank", "pk")
        .values_list("response_id", "question_id", "choice", "number", "text")
        .iterator(chunk_size=chunk_size)
    )
    pending = next(answers, None)
    tz = timezone.get_current_timezone()
    for number, (pk, submitted_at, channel, buurt_id, version) in enumerate(responses, start=1):
        row: list = [None] * width
        row[0] = number
        row[1] = submitted_at.astimezone(tz).date().isoformat()
        row[2] = channel
        row[3] = SUPPRESSED if buurt_id in small else (buurt_id or "")
        row[4] = version
        while pending is not None and pending[0] < pk:
            pending = next(answers, None)
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
            pending = next(answers, None)
        yield row


def results_table_rows(*, survey: Survey, questions: list[Question], filters: ResultFilters) -> Iterator[list]:
    """The aggregate tables as flat rows (always with the small-cell rules: exports leave every scope)."""
    total, results = survey_results(survey=survey, questions=questions, filters=filters, in_scope=False)
    yield ["vraag", "antwoord", "aantal", "percentage", "gemiddelde"]
    yield ["", _("Responses"), total, "", ""]
    for result in results:
        if result.summary is not None:
            mean = result.summary["mean"]
            yield [result.question.key, _("count"), result.summary["count"], "", "" if mean is None else mean]
            continue
        if not result.rows:
            yield [result.question.key, _("answered"), result.answered, ""]
            continue
        for row in result.rows:
            pct = "" if row.percentage is None else round(row.percentage, 1)
            yield [result.question.key, row.label, row.count, pct]
