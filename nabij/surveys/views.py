"""Staff pages: the builder, collectors, paper forms (PDF and entry), results with exports, open answers.

Thin: parse, check permission, call a service or selector, render. A questionnaire outside the user's scope
answers 404 with an audit refusal; a role that may not change it gets 403.
"""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import segno

from nabij.areas import selectors as area_selectors
from nabij.contacts import selectors as contact_selectors
from nabij.core import permissions
from nabij.core.exceptions import ApplicationError, NotVisible
from nabij.privacy.services import audit_record, audit_refusal
from nabij.surveys import logic, selectors, services
from nabij.surveys.forms import (
    CollectorForm,
    QuestionForm,
    ResultFilterForm,
    SectionForm,
    StatusForm,
    SurveyForm,
    TopicForm,
)
from nabij.surveys.models import Answer, Collector, Question, Response, Section
from nabij.surveys.presentation import question_view

OPEN_ANSWERS_PER_PAGE = 50

# Helpers ---------------------------------------------------------------------------------------------------


def _survey(request, pk: int, *, edit: bool = False):
    try:
        survey = selectors.survey_get(user=request.user, pk=pk)
    except NotVisible as exc:
        audit_refusal(actor=request.user, action="view", object_type="survey", object_id=pk)
        raise Http404 from exc
    if edit and not permissions.can_edit_survey(request.user, survey):
        audit_refusal(actor=request.user, action="update", object_type="survey", object_id=pk)
        raise PermissionDenied
    return survey


def _form_error(form, exc: ApplicationError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def _buurten(request):
    return list(area_selectors.buurt_choices(user=request.user))


def _public_url(request, survey, collector: Collector | None = None) -> str:
    if collector is not None:
        return request.build_absolute_uri(reverse("surveys-public:collector", args=[survey.slug, collector.code]))
    return request.build_absolute_uri(reverse("surveys-public:fill", args=[survey.slug]))


# List and settings -----------------------------------------------------------------------------------------


def survey_list(request):
    surveys = selectors.survey_list(user=request.user)
    return render(
        request,
        "surveys/survey_list.html",
        {"surveys": surveys, "can_create": permissions.can_create_surveys(request.user)},
    )


def survey_form(request, pk: int | None = None):
    survey = _survey(request, pk, edit=True) if pk else None
    if survey is None and not permissions.can_create_surveys(request.user):
        audit_refusal(actor=request.user, action="create", object_type="survey")
        raise PermissionDenied
    buurten = _buurten(request)
    if survey is not None:
        known = {b.code for b in buurten}
        buurten += [b for b in survey.buurten.all() if b.code not in known]
    initial = {}
    if survey is not None:
        initial = {
            "title": survey.title,
            "buurten": list(survey.buurten.values_list("code", flat=True)),
            "welcome_text": survey.welcome_text,
            "privacy_text": survey.privacy_text,
            "closing_text": survey.closing_text,
            "next_steps_text": survey.next_steps_text,
        }
    form = SurveyForm(request.POST or None, initial=initial, buurten=buurten)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            chosen = data.pop("buurten")
            try:
                if survey is None:
                    survey = services.survey_create(owner=request.user, buurten=chosen, **data)
                else:
                    services.survey_update(survey=survey, by=request.user, buurten=chosen, **data)
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                return redirect("surveys:survey-detail", pk=survey.pk)
        status = 422
    return render(request, "surveys/survey_form.html", {"form": form, "survey": survey}, status=status)


def survey_detail(request, pk: int):
    """The builder: sections and questions in order, with what each question's skip logic is."""
    survey = _survey(request, pk)
    questions = services.survey_questions(survey)
    by_pk = {q.pk: q for q in questions}
    sections = []
    for section in survey.sections.all():
        sections.append((section, [q for q in questions if q.section_id == section.pk]))
    for q in questions:
        q.condition = by_pk.get(q.show_if_question_id)
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "sections": sections,
            "can_edit": permissions.can_edit_survey(request.user, survey),
            "section_form": SectionForm(),
            "public_url": _public_url(request, survey),
            "response_count": selectors.response_count(survey=survey),
            "statuses": survey.Status,
            "confirm_below_b1": request.GET.get("bevestig_b1") == "1" and survey.status != survey.Status.OPEN,
        },
    )


@require_POST
def survey_status(request, pk: int):
    survey = _survey(request, pk, edit=True)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.survey_set_status(
                survey=survey,
                by=request.user,
                status=form.cleaned_data["status"],
                confirm_below_b1=form.cleaned_data["confirm_below_b1"],
            )
        except services.NeedsConfirmation as exc:
            messages.warning(request, exc.message)
            return redirect(reverse("surveys:survey-detail", args=[survey.pk]) + "?bevestig_b1=1")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The status has been changed."))
    return redirect("surveys:survey-detail", pk=survey.pk)


@require_POST
def section_create(request, pk: int):
    survey = _survey(request, pk, edit=True)
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            services.section_create(survey=survey, title=form.cleaned_data["title"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Give the section a title."))
    return redirect("surveys:survey-detail", pk=survey.pk)


def _after_move(request, survey, anchor: str):
    """htmx swaps the builder's question list in place; without JavaScript the page reloads at the item."""
    if request.htmx:
        response = survey_detail(request, survey.pk)
        return response
    return redirect(reverse("surveys:survey-detail", args=[survey.pk]) + f"#{anchor}")


@require_POST
def section_move(request, pk: int, section_pk: int):
    survey = _survey(request, pk, edit=True)
    section = get_object_or_404(Section, pk=section_pk, survey=survey)
    try:
        services.section_move(section=section, direction=request.POST.get("richting", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _after_move(request, survey, f"section-{section.pk}")


@require_POST
def question_move(request, pk: int, question_pk: int):
    survey = _survey(request, pk, edit=True)
    question = get_object_or_404(Question, pk=question_pk, survey=survey)
    try:
        services.question_move(question=question, direction=request.POST.get("richting", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _after_move(request, survey, f"vraag-{question.pk}")


@require_POST
def section_delete(request, pk: int, section_pk: int):
    survey = _survey(request, pk, edit=True)
    section = get_object_or_404(Section, pk=section_pk, survey=survey)
    try:
        services.section_delete(section=section)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("surveys:survey-detail", pk=survey.pk)


# Questions -------------------------------------------------------------------------------------------------


def _conditions(questions, current: Question | None):
    """Skip-logic choices: an option of an earlier single or multiple choice question."""
    choices = []
    for q in questions:
        if current is not None and q.pk == current.pk:
            break
        if q.kind not in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            continue
        for value in logic.option_values(q):
            label = next((o.label for o in q.options.all() if o.value == value), _("Other"))
            choices.append(
                (f"{q.pk}:{value}", _("%(question)s is/contains “%(answer)s”") % {"question": q.text, "answer": label})
            )
    return choices


def question_form(request, pk: int, question_pk: int | None = None):
    survey = _survey(request, pk, edit=True)
    questions = services.survey_questions(survey)
    question = get_object_or_404(Question, pk=question_pk, survey=survey) if question_pk else None
    sections = list(survey.sections.all())
    initial = QuestionForm.initial_for(question) if question else {"section": request.GET.get("sectie")}
    form = QuestionForm(
        request.POST or None, initial=initial, sections=sections, conditions=_conditions(questions, question)
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            kwargs = form.service_kwargs({q.pk: q for q in questions})
            section = next(s for s in sections if s.pk == form.cleaned_data["section"])
            try:
                if question is None:
                    services.question_create(survey=survey, section=section, **kwargs)
                else:
                    services.question_update(question=question, section=section, **kwargs)
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The question has been saved."))
                return redirect("surveys:survey-detail", pk=survey.pk)
        status = 422
    return render(
        request,
        "surveys/question_form.html",
        {"form": form, "survey": survey, "question": question},
        status=status,
    )


@require_POST
def question_delete(request, pk: int, question_pk: int):
    survey = _survey(request, pk, edit=True)
    question = get_object_or_404(Question, pk=question_pk, survey=survey)
    try:
        services.question_delete(question=question)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The question has been deleted."))
    return redirect("surveys:survey-detail", pk=survey.pk)


# Collectors ------------------------------------------------------------------------------------------------


def collector_list(request, pk: int):
    """Register collectors, their personal links and QR codes, and how many conversations each had (to thank
    them; never shown in public)."""
    survey = _survey(request, pk)
    can_edit = permissions.can_edit_survey(request.user, survey)
    form = CollectorForm(request.POST or None, buurten=selectors.buurt_choices(survey=survey))
    status = 200
    if request.method == "POST":
        if not can_edit:
            audit_refusal(actor=request.user, action="create", object_type="survey_collector")
            raise PermissionDenied
        if form.is_valid():
            try:
                services.collector_create(
                    survey=survey,
                    label=form.cleaned_data["label"],
                    buurt=form.buurt_objects[form.cleaned_data["buurt"]],
                    consent=form.cleaned_data["consent"],
                    by=request.user,
                )
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The collector has been registered."))
                return redirect("surveys:collector-list", pk=survey.pk)
        status = 422
    collectors = selectors.collector_counts(survey=survey)
    for collector in collectors:
        collector.link = _public_url(request, survey, collector)
    return render(
        request,
        "surveys/collector_list.html",
        {
            "survey": survey,
            "form": form,
            "collectors": collectors,
            "per_buurt": selectors.conversations_per_buurt(survey=survey),
            "can_edit": can_edit,
        },
        status=status,
    )


@require_POST
def collector_pause(request, pk: int, collector_pk: int):
    survey = _survey(request, pk, edit=True)
    collector = get_object_or_404(Collector, pk=collector_pk, survey=survey)
    services.collector_set_paused(collector=collector, paused=request.POST.get("paused") == "1", by=request.user)
    return redirect("surveys:collector-list", pk=survey.pk)


def collector_qr(request, pk: int, collector_pk: int, fmt: str):
    survey = _survey(request, pk)
    collector = get_object_or_404(Collector, pk=collector_pk, survey=survey)
    return _qr_response(_public_url(request, survey, collector), fmt, f"verzamelaar-{collector.pk}")


def survey_qr(request, pk: int, fmt: str):
    survey = _survey(request, pk)
    return _qr_response(_public_url(request, survey), fmt, f"vragenlijst-{survey.pk}")


def _qr_response(url: str, fmt: str, name: str) -> HttpResponse:
    qr = segno.make(url, error="m")
    buffer = io.BytesIO()
    if fmt == "png":
        qr.save(buffer, kind="png", scale=8, border=2)
        content_type = "image/png"
    else:
        qr.save(buffer, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, title=url)
        content_type = "image/svg+xml"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
    return response


# Paper -----------------------------------------------------------------------------------------------------


def paper_pdf(request, pk: int):
    """An A4 form with tick boxes, a QR code to the online version and a form number per printed copy."""
    from nabij.surveys.paper import paper_pdf as render_pdf

    survey = _survey(request, pk)
    try:
        copies = max(1, min(int(request.GET.get("aantal", "1")), 200))
        first = max(1, int(request.GET.get("vanaf", "1")))
    except ValueError:
        copies, first = 1, 1
    pdf = render_pdf(survey=survey, public_url=_public_url(request, survey), first=first, copies=copies)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{survey.slug}-papier.pdf"'
    return response


def paper_entry(request, pk: int):
    """Keyboard-only entry of paper forms: all questions on one page, same validation as online, marked
    'papier'; a form number that was already entered is refused."""
    survey = _survey(request, pk, edit=True)
    questions = services.survey_questions(survey)
    buurten = selectors.buurt_choices(survey=survey)
    data: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    form_number = ""
    key = services.new_idempotency_key()
    status = 200
    if request.method == "POST":
        form_number = request.POST.get("formulier", "").strip()
        key = request.POST.get("_sleutel", "") or key
        for q in questions:
            for name in (q.key, logic.other_key(q.key)):
                values = [v for v in request.POST.getlist(name) if v.strip()]
                if values:
                    data[name] = values
        try:
            services.response_submit(
                survey=survey,
                raw=data,
                idempotency_key=key,
                channel=Response.Channel.PAPER,
                form_number=form_number,
                entered_by=request.user,
                questions=questions,
            )
        except services.SubmissionInvalid as exc:
            errors = exc.errors
            status = 422
        else:
            messages.success(request, _("Form %(n)s has been saved.") % {"n": form_number})
            return redirect("surveys:paper-entry", pk=survey.pk)
    items = [
        question_view(q, data=data, errors=errors, buurten=buurten, number=n) for n, q in enumerate(questions, start=1)
    ]
    return render(
        request,
        "surveys/paper_entry.html",
        {
            "survey": survey,
            "items": items,
            "errors": errors,
            "form_number": form_number,
            "key": key,
            "general_errors": {k: v for k, v in errors.items() if k in ("vragenlijst", "formulier")},
            "paper_count": survey.responses.filter(channel=Response.Channel.PAPER).count(),
        },
        status=status,
    )


# Results ---------------------------------------------------------------------------------------------------


def _filters(request, survey):
    buurten = selectors.buurt_choices(survey=survey)
    form = ResultFilterForm(request.GET or None, buurten=buurten)
    filters = selectors.ResultFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.ResultFilters(**form.cleaned_data)
    return form, filters


def results(request, pk: int):
    survey = _survey(request, pk)
    form, filters = _filters(request, survey)
    codes = [filters.buurt] if filters.buurt else None
    in_scope = permissions.survey_results_in_scope(request.user, survey, codes)
    questions = [q for q in services.survey_questions(survey) if q.kind not in Question.TEXT_KINDS]
    total, question_results = selectors.survey_results(
        survey=survey, questions=questions, filters=filters, in_scope=in_scope
    )
    audit_record(actor=request.user, action="view", object_type="survey_results", object_id=survey.pk)
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "form": form,
            "total": total,
            "results": question_results,
            "in_scope": in_scope,
            "can_edit": permissions.can_edit_survey(request.user, survey),
            "can_view_open": permissions.can_view_open_answers(request.user, survey),
            "query": request.GET.urlencode(),
        },
    )


class _Echo:
    def write(self, value):
        return value


def export(request, pk: int, what: str, fmt: str):
    """`tabellen`: the aggregate tables, always with the small-cell rules. `antwoorden`: one row per response,
    for editors of the questionnaire only. CSV streams; XLSX is written row by row (nabij/surveys/xlsx.py) to a
    temporary file and streamed from there, so memory stays flat."""
    if what not in ("antwoorden", "tabellen") or fmt not in ("csv", "xlsx"):
        raise Http404
    survey = _survey(request, pk)
    questions = services.survey_questions(survey)
    if what == "antwoorden":
        if not permissions.can_edit_survey(request.user, survey):
            audit_refusal(actor=request.user, action="export", object_type="survey_responses", object_id=pk)
            raise PermissionDenied
        rows = selectors.export_rows(survey=survey, questions=questions)
        header = selectors.export_header(questions)
        rows = _prepend(header, rows)
    else:
        _form, filters = _filters(request, survey)
        questions = [q for q in questions if q.kind not in Question.TEXT_KINDS]
        rows = selectors.results_table_rows(survey=survey, questions=questions, filters=filters)
    audit_record(
        actor=request.user, action="export", object_type=f"survey_{what}", object_id=survey.pk, detail={"fmt": fmt}
    )
    filename = f"{survey.slug}-{what}.{fmt}"
    if fmt == "csv":
        writer = csv.writer(_Echo(), delimiter=";")
        response = StreamingHttpResponse((writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8")
    else:
        response = FileResponse(
            xlsx_file(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _prepend(first, rows):
    yield first
    yield from rows


def xlsx_file(rows):
    """Write rows to a workbook in a temporary file (streamed, flat memory); returns the open file at 0."""
    from nabij.surveys.xlsx import write_xlsx

    return write_xlsx(rows)


def open_answer_list(request, pk: int):
    """The de-identified open answers, with topics staff can tag them with."""
    survey = _survey(request, pk)
    if not permissions.can_view_open_answers(request.user, survey):
        audit_refusal(actor=request.user, action="view", object_type="survey_answers", object_id=pk)
        raise PermissionDenied
    topics = list(contact_selectors.topic_list())
    page = Paginator(selectors.open_answers(survey=survey), OPEN_ANSWERS_PER_PAGE).get_page(request.GET.get("pagina"))
    answers = list(page.object_list)
    for answer in answers:
        answer.form = TopicForm(
            initial={"topics": [t.slug for t in answer.topics.all()]}, topics=topics, prefix=f"a{answer.pk}"
        )
    audit_record(actor=request.user, action="view", object_type="survey_answers", object_id=survey.pk)
    return render(
        request,
        "surveys/open_answers.html",
        {
            "survey": survey,
            "answers": answers,
            "page": page,
            "can_edit": permissions.can_edit_survey(request.user, survey),
        },
    )


@require_POST
def answer_topics(request, pk: int, answer_pk: int):
    survey = _survey(request, pk, edit=True)
    answer = get_object_or_404(Answer, pk=answer_pk, question__survey=survey)
    topics = list(contact_selectors.topic_list())
    form = TopicForm(request.POST, topics=topics, prefix=f"a{answer.pk}")
    if form.is_valid():
        chosen = [t for t in topics if t.slug in form.cleaned_data["topics"]]
        services.answer_set_topics(answer=answer, topics=chosen, by=request.user)
        messages.success(request, _("The topics have been saved."))
    return redirect(reverse("surveys:open-answers", args=[survey.pk]) + f"#antwoord-{answer.pk}")
