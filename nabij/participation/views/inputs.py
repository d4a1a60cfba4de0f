"""Staff pages about residents' inputs: the project's inputs and answer queue, handing an input to a
colleague, my own queue, replying, decisions ("Jij zei, wij deden"), household codes and resident evenings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nabij.core import permissions
from nabij.core.concurrency import StaleEdit
from nabij.core.exceptions import ApplicationError
from nabij.participation import forms, selectors, services
from nabij.participation.exceptions import NeedsConfirmation
from nabij.participation.views.common import project_or_404
from nabij.privacy.refusals import require

# Answer queues and replies ---------------------------------------------------------------------------------


def _input_or_404(request, project, pk: int):
    """The input if the input policy lets this user see it (audited by the selector); 404 otherwise, as if it
    did not exist, with an audit refusal (by the selector too)."""
    return selectors.input_get(user=request.user, pk=pk, project=project)


def _require_manager(request, project) -> None:
    require(
        permissions.can_manage_project(request.user, project),
        actor=request.user,
        action="update",
        object_type="input",
        object_id=project.pk,
    )


def project_inputs(request, slug: str):
    """All inputs of one project; those waiting for an answer first, overdue at the top. Staff of another
    organisation who see the project get its counts and choice results only (small-cell rules)."""
    project = project_or_404(request, slug)
    require(
        permissions.can_see_personal_data(request.user),
        actor=request.user,
        action="view",
        object_type="input",
        object_id=project.pk,
    )
    inputs = selectors.project_inputs_get(user=request.user, project=project)
    results = [
        (choice, selectors.choice_results(choice=choice, in_scope=inputs.in_scope))
        for choice in project.choices.prefetch_related("options")
    ]
    can_manage = inputs.sees_records and permissions.can_manage_project(request.user, project)
    context = {
        "project": project,
        "inputs": inputs,
        "queue": inputs.queue,
        "answered": inputs.answered,
        "results": results,
        "can_manage": can_manage,
        "colleagues": selectors.project_colleagues(project=project) if can_manage else None,
    }
    return render(request, "participation/project_inputs.html", context)


@require_POST
def input_assign(request, slug: str, pk: int):
    """Hand an input to a colleague: it moves into their own answer queue ("Inputs waiting for my answer")."""
    project = project_or_404(request, slug)
    item = _input_or_404(request, project, pk)
    _require_manager(request, project)
    colleagues = selectors.project_colleagues(project=project)
    form = forms.AssignForm(request.POST, colleagues=colleagues)
    if not form.is_valid() or (
        form.cleaned_data["assigned_to"] and form.cleaned_data["assigned_to"] not in form.colleagues
    ):
        messages.error(request, _("Choose a colleague of the project's organisation."))
    else:
        to = form.colleagues.get(form.cleaned_data["assigned_to"])
        try:
            services.input_assign(input=item, by=request.user, to=to)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            if to is None:
                messages.success(request, _("Input #%(pk)s is no longer assigned to anyone.") % {"pk": item.pk})
            else:
                messages.success(request, _("Input #%(pk)s is now assigned to %(name)s.") % {"pk": item.pk, "name": to})
    return redirect("participation:project-inputs", slug=slug)


def my_queue(request):
    """The inputs assigned to me in all projects, overdue first."""
    queue = selectors.answer_queue(user=request.user, mine=True)
    return render(request, "participation/my_queue.html", {"queue": queue})


def input_reply(request, slug: str, pk: int):
    """Reply to an input, or change the reply: an input is answered once, a second reply edits the first (its
    earlier texts are listed). The form carries the reply's version; when a colleague replied in between, the
    form comes back with their text and a message, and nothing is overwritten."""
    project = project_or_404(request, slug)
    item = _input_or_404(request, project, pk)
    _require_manager(request, project)
    existing = getattr(item, "reply", None)
    initial = {"text": existing.text, "version": existing.version} if existing else {"version": 0}
    form = forms.ReplyForm(request.POST or None, initial=initial)
    confirm = stale = None
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.reply_create(
                    input=item,
                    by=request.user,
                    text=form.cleaned_data["text"],
                    confirm_below_b1=form.cleaned_data["confirm_below_b1"],
                    base_url=request.build_absolute_uri("/")[:-1],
                    expected_version=form.cleaned_data["version"],
                )
            except StaleEdit as exc:
                stale, status = exc.current, 409
                form = forms.rebound_after_stale_edit(form, exc)
            except NeedsConfirmation as exc:
                confirm = exc.message
            except ApplicationError as exc:
                forms.apply_service_error(form, exc)
            else:
                messages.success(request, _("Your reply has been saved. The resident can read it now."))
                return redirect("participation:project-inputs", slug=slug)
    context = {
        "project": project,
        "item": item,
        "form": form,
        "confirm": confirm,
        "stale": stale,
        "history": list(existing.versions.all()) if existing else [],
    }
    return render(request, "participation/input_reply.html", context, status=status)


# Decisions, household codes, evenings ----------------------------------------------------------------------


def decisions(request, slug: str):
    project = project_or_404(request, slug)
    can_manage = permissions.can_manage_project(request.user, project)
    form = None
    if can_manage:
        form = forms.DecisionForm(
            request.POST or None, inputs=selectors.inputs_to_link(user=request.user, project=project)
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.decision_create(
                    project=project,
                    by=request.user,
                    you_said=data["you_said"],
                    we_did=data["we_did"],
                    decided_on=data["decided_on"],
                    input_ids=[int(i) for i in data["inputs"]],
                )
            except ApplicationError as exc:
                forms.apply_service_error(form, exc)
            else:
                return redirect("participation:decisions", slug=slug)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "participation/decisions.html",
        {"project": project, "decisions": project.decisions.prefetch_related("inputs"), "form": form},
    )


def household_codes(request, slug: str):
    """Generate codes per complex and print them (one per letter); the list has no addresses."""
    project = project_or_404(request, slug, manage=True)
    form = forms.HouseholdCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_codes_generate(project=project, by=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            forms.apply_service_error(form, exc)
        else:
            return redirect("participation:household-codes", slug=slug)
    codes = project.household_codes.all()
    used = set(project.household_codes.filter(votes__isnull=False).values_list("pk", flat=True))
    return render(
        request,
        "participation/household_codes.html",
        {"project": project, "form": form, "codes": codes, "used": used, "print": "afdrukken" in request.GET},
    )


def evenings(request, slug: str):
    project = project_or_404(request, slug)
    can_manage = permissions.can_manage_project(request.user, project)
    form = forms.EveningForm(request.POST or None) if can_manage else None
    confirm = None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.evening_save(project=project, by=request.user, **form.cleaned_data)
            except NeedsConfirmation as exc:
                confirm = exc.message
            except ApplicationError as exc:
                forms.apply_service_error(form, exc)
            else:
                return redirect("participation:evenings", slug=slug)
    return render(
        request,
        "participation/evenings.html",
        {"project": project, "evenings": project.evenings.all(), "form": form, "confirm": confirm},
    )
