"""Collectors (only for the questionnaire's own organisation, never for analisten), QR codes and paper forms."""

from __future__ import annotations

import io

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import segno

from nabij.core.access import surveys as access
from nabij.core.exceptions import ApplicationError
from nabij.privacy.refusals import require
from nabij.surveys import logic, selectors, services
from nabij.surveys.forms import (
    CollectorForm,
)
from nabij.surveys.models import Response
from nabij.surveys.presentation import question_view
from nabij.surveys.views.common import form_error, nav, public_url, survey_or_404

# Collectors ------------------------------------------------------------------------------------------------


def collector_list(request, pk: int):
    """Register collectors, their personal links and QR codes, and how many conversations each had (to thank
    them; never shown in public). Only for the questionnaire's own organisation, never for analisten."""
    survey = survey_or_404(request, pk)
    require(
        access.may_see_collectors(request.user, survey),
        actor=request.user,
        action="view",
        object_type="survey_collectors",
        object_id=pk,
    )
    can_edit = access.can_edit_survey(request.user, survey)
    form = CollectorForm(request.POST or None, buurten=selectors.buurt_choices(survey=survey))
    status = 200
    if request.method == "POST":
        require(can_edit, actor=request.user, action="create", object_type="survey_collector")
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
                form_error(form, exc)
            else:
                messages.success(request, _("The collector has been registered."))
                return redirect("surveys:collector-list", pk=survey.pk)
        status = 422
    collectors = selectors.collector_counts(user=request.user, survey=survey)
    for collector in collectors:
        collector.link = public_url(request, survey, collector)
    return render(
        request,
        "surveys/collector_list.html",
        {
            **nav(request, survey),
            "form": form,
            "collectors": collectors,
            "per_buurt": selectors.conversations_per_buurt(collectors),
        },
        status=status,
    )


@require_POST
def collector_pause(request, pk: int, collector_pk: int):
    survey = survey_or_404(request, pk, edit=True)
    collector = _collector_or_404(request, survey, collector_pk)
    services.collector_set_paused(collector=collector, paused=request.POST.get("paused") == "1", by=request.user)
    return redirect("surveys:collector-list", pk=survey.pk)


def _collector_or_404(request, survey, collector_pk: int):
    return selectors.collector_get(user=request.user, survey=survey, pk=collector_pk)  # NotVisible: 404, audited


def collector_qr(request, pk: int, collector_pk: int, fmt: str):
    survey = survey_or_404(request, pk)
    collector = _collector_or_404(request, survey, collector_pk)
    return _qr_response(public_url(request, survey, collector), fmt, f"verzamelaar-{collector.pk}")


def survey_qr(request, pk: int, fmt: str):
    survey = survey_or_404(request, pk)
    return _qr_response(public_url(request, survey), fmt, f"vragenlijst-{survey.pk}")


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

    survey = survey_or_404(request, pk)
    try:
        copies = max(1, min(int(request.GET.get("aantal", "1")), 200))
        first = max(1, int(request.GET.get("vanaf", "1")))
    except ValueError:
        copies, first = 1, 1
    pdf = render_pdf(survey=survey, public_url=public_url(request, survey), first=first, copies=copies)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{survey.slug}-papier.pdf"'
    return response


def paper_entry(request, pk: int):
    """Keyboard-only entry of paper forms: all questions on one page, same validation as online, marked
    'papier'; a form number that was already entered is refused."""
    survey = survey_or_404(request, pk, edit=True)
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
            **nav(request, survey),
            "items": items,
            "errors": errors,
            "form_number": form_number,
            "key": key,
            "general_errors": {k: v for k, v in errors.items() if k in ("vragenlijst", "formulier")},
            "paper_count": selectors.responses_shown(
                user=request.user,
                survey=survey,
                count=survey.responses.filter(channel=Response.Channel.PAPER).count(),
            ),
        },
        status=status,
    )
