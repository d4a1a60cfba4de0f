"""The builder: the list of questionnaires, their settings (with a version against overwriting a colleague's
save), status, sections and questions. Changing is for the questionnaire's own organisation only."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nabij.core import permissions
from nabij.core.concurrency import StaleEdit
from nabij.core.exceptions import ApplicationError
from nabij.privacy.refusals import require
from nabij.surveys import logic, selectors, services
from nabij.surveys.forms import (
    QuestionForm,
    SectionForm,
    StatusForm,
    SurveyForm,
)
from nabij.surveys.models import Question, Section
from nabij.surveys.views.common import buurt_choices, form_error, nav, public_url, survey_or_404

# List and settings -----------------------------------------------------------------------------------------


def survey_list(request):
    surveys = list(selectors.survey_list(user=request.user))
    for survey in surveys:
        survey.responses_shown = selectors.responses_shown(
            user=request.user, survey=survey, count=survey.response_count
        )
    return render(
        request,
        "surveys/survey_list.html",
        {"surveys": surveys, "can_create": permissions.can_create_surveys(request.user)},
    )


def survey_form(request, pk: int | None = None):
    survey = survey_or_404(request, pk, edit=True) if pk else None
    if survey is None:
        require(permissions.can_create_surveys(request.user), actor=request.user, action="create", object_type="survey")
    buurten = buurt_choices(request)
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
            "version": survey.version,
        }
    form = SurveyForm(request.POST or None, initial=initial, buurten=buurten)
    status = 200
    current = None
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            chosen = data.pop("buurten")
            version = data.pop("version")
            try:
                if survey is None:
                    survey = services.survey_create(owner=request.user, buurten=chosen, **data)
                else:
                    services.survey_update(
                        survey=survey, by=request.user, buurten=chosen, expected_version=version, **data
                    )
            except StaleEdit as exc:
                # A colleague saved in between: show their version, and take the next save as made on top of it.
                form.add_error(None, exc.message)
                current = exc.current
                form.data = form.data.copy()
                form.data["version"] = str(current.version)
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                return redirect("surveys:survey-detail", pk=survey.pk)
        status = 409 if current is not None else 422
    return render(
        request,
        "surveys/survey_form.html",
        {"form": form, "survey": survey, "current": current, "current_buurten": _buurt_names(current)},
        status=status,
    )


def _buurt_names(survey) -> list[str]:
    return list(survey.buurten.order_by("name").values_list("name", flat=True)) if survey is not None else []


def survey_detail(request, pk: int):
    """The builder: sections and questions in order, with what each question's skip logic is."""
    survey = survey_or_404(request, pk)
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
            **nav(request, survey),
            "sections": sections,
            "section_form": SectionForm(),
            "public_url": public_url(request, survey),
            "response_count": selectors.response_count(user=request.user, survey=survey),
            "statuses": survey.Status,
            "confirm_below_b1": request.GET.get("bevestig_b1") == "1" and survey.status != survey.Status.OPEN,
        },
    )


@require_POST
def survey_status(request, pk: int):
    survey = survey_or_404(request, pk, edit=True)
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
    survey = survey_or_404(request, pk, edit=True)
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
    survey = survey_or_404(request, pk, edit=True)
    section = get_object_or_404(Section, pk=section_pk, survey=survey)
    try:
        services.section_move(section=section, direction=request.POST.get("richting", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _after_move(request, survey, f"section-{section.pk}")


@require_POST
def question_move(request, pk: int, question_pk: int):
    survey = survey_or_404(request, pk, edit=True)
    question = get_object_or_404(Question, pk=question_pk, survey=survey)
    try:
        services.question_move(question=question, direction=request.POST.get("richting", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _after_move(request, survey, f"vraag-{question.pk}")


@require_POST
def section_delete(request, pk: int, section_pk: int):
    survey = survey_or_404(request, pk, edit=True)
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
    survey = survey_or_404(request, pk, edit=True)
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
                form_error(form, exc)
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
    survey = survey_or_404(request, pk, edit=True)
    question = get_object_or_404(Question, pk=question_pk, survey=survey)
    try:
        services.question_delete(question=question)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The question has been deleted."))
    return redirect("surveys:survey-detail", pk=survey.pk)
