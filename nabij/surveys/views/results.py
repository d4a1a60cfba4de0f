"""Results (exact or published, as `nabij.core.access.surveys.exact_results` decides), their exports through the
one spreadsheet exporter, and the open answers the user may read."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nabij.core import selectors as core_selectors
from nabij.core import spreadsheets
from nabij.core.access import surveys as access
from nabij.privacy.refusals import require
from nabij.surveys import selectors, services
from nabij.surveys.forms import ResultFilterForm, TopicForm
from nabij.surveys.models import Question
from nabij.surveys.views.common import nav, survey_or_404

OPEN_ANSWERS_PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request, survey):
    """The result filters; the channel filter only for those who may see the collectors (with a buurt it would
    give a collector's count away)."""
    buurten = selectors.buurt_choices(survey=survey)
    form = ResultFilterForm(
        request.GET or None, buurten=buurten, channels=access.may_see_collectors(request.user, survey)
    )
    filters = selectors.ResultFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.ResultFilters(**form.cleaned_data)
    return form, filters


def _result_questions(survey) -> list[Question]:
    return [q for q in services.survey_questions(survey) if q.kind not in Question.TEXT_KINDS]


def results(request, pk: int):
    survey = survey_or_404(request, pk)
    form, filters = _filters(request, survey)
    shown = selectors.survey_results_for(
        user=request.user, survey=survey, questions=_result_questions(survey), filters=filters
    )
    return render(
        request,
        "surveys/results.html",
        {
            **nav(request, survey),
            "form": form,
            "total": shown.total,
            "results": shown.questions,
            "in_scope": shown.exact,
            "query": request.GET.urlencode(),
        },
    )


def export(request, pk: int, what: str, fmt: str):
    """`tabellen`: the aggregate tables, with the same figures as the results page (exact or published).
    `antwoorden`: one row per response the user may read (own organisation, or an agreement naming
    "antwoorden"). Both through `nabij.core.spreadsheets`, which keeps formula-like cells as text; CSV streams,
    XLSX is written to a temporary file and streamed from there, so memory stays flat."""
    if what not in ("antwoorden", "tabellen") or fmt not in ("csv", "xlsx"):
        raise Http404
    survey = survey_or_404(request, pk)
    if what == "antwoorden":
        sheet = selectors.responses_sheet(  # PermissionRefused: 403, audited
            user=request.user, survey=survey, questions=services.survey_questions(survey), fmt=fmt
        )
    else:
        _form, filters = _filters(request, survey)
        sheet = selectors.results_sheet(
            user=request.user, survey=survey, questions=_result_questions(survey), filters=filters, fmt=fmt
        )
    if fmt == "csv":
        response = StreamingHttpResponse(
            spreadsheets.csv_lines(sheet.headers, sheet.rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = StreamingHttpResponse(spreadsheets.xlsx_chunks([sheet]), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{survey.slug}-{what}.{fmt}"'
    return response


def open_answer_list(request, pk: int):
    """The de-identified open answers the user may read, with topics staff of the owning organisation can tag
    them with."""
    survey = survey_or_404(request, pk)
    require(
        access.may_read_answers(request.user, survey),
        actor=request.user,
        action="view",
        object_type="survey_answers",
        object_id=pk,
    )
    context = nav(request, survey)
    topics = list(core_selectors.topic_list())
    page = selectors.open_answer_page(
        user=request.user, survey=survey, page=request.GET.get("pagina"), per_page=OPEN_ANSWERS_PER_PAGE
    )
    answers = list(page.object_list)
    if context["can_edit"]:
        for answer in answers:
            # The template shows each answer with its own form.
            answer.form = TopicForm(  # type: ignore[attr-defined]
                initial={"topics": [t.slug for t in answer.topics.all()]}, topics=topics, prefix=f"a{answer.pk}"
            )
    return render(request, "surveys/open_answers.html", {**context, "answers": answers, "page": page})


@require_POST
def answer_topics(request, pk: int, answer_pk: int):
    survey = survey_or_404(request, pk, edit=True)
    answer = selectors.answer_get(user=request.user, survey=survey, pk=answer_pk, action="update")  # 404, audited
    topics = list(core_selectors.topic_list())
    form = TopicForm(request.POST, topics=topics, prefix=f"a{answer.pk}")
    if form.is_valid():
        chosen = [t for t in topics if t.slug in form.cleaned_data["topics"]]
        services.answer_set_topics(answer=answer, topics=chosen, by=request.user)
        messages.success(request, _("The topics have been saved."))
    return redirect(reverse("surveys:open-answers", args=[survey.pk]) + f"#antwoord-{answer.pk}")
