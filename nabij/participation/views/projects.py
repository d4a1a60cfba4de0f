"""Staff pages of a project: the list, creating (with "bestaat dit al?"), editing, the frame editor with
timeline and choices, publishing and ending, and the live B1 check partial."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nabij.areas import selectors as area_selectors
from nabij.areas.models import Buurt
from nabij.assets import selectors as asset_selectors
from nabij.core import permissions
from nabij.core import selectors as core_selectors
from nabij.core.concurrency import StaleEdit
from nabij.core.exceptions import ApplicationError
from nabij.language.b1 import b1_check
from nabij.participation import forms, selectors, services
from nabij.participation.exceptions import NeedsConfirmation, PublishBlocked
from nabij.participation.models import FrameItem
from nabij.participation.views.common import project_or_404
from nabij.privacy.refusals import require

# B1 check (htmx partial, usable next to any textarea) -------------------------------------------------------


@require_POST
def b1_check_partial(request):
    """The B1 result for the text of one form field: POST `veld` (the field name) and that field."""
    name = request.POST.get("veld", "")
    text = request.POST.get(name, "") if name else ""
    return render(request, "participation/partials/b1_result.html", {"check": b1_check(text[:20000]) if text else None})


# Projects --------------------------------------------------------------------------------------------------


def project_list(request):
    """Projects of the user's organisation and area, each with the inputs waiting for an answer (exact for the
    project's own organisation, under the small-cell rules for everyone else)."""
    projects = list(selectors.project_list(user=request.user))
    waiting = selectors.open_input_counts(user=request.user, projects=projects)
    return render(
        request,
        "participation/project_list.html",
        {
            "rows": [(project, waiting[project.pk]) for project in projects],
            "can_create": permissions.can_create_project(request.user),
        },
    )


def project_create(request):
    """Step 1 "Bestaat dit al?" (GET with buurten/topic): what exists; step 2: the project form (POST)."""
    require(permissions.can_create_project(request.user), actor=request.user, action="create", object_type="project")
    buurten = list(area_selectors.buurt_choices(user=request.user))
    topics = list(core_selectors.topic_list())
    check = forms.ExistsCheckForm(request.GET if "buurten" in request.GET else None, buurten=buurten, topics=topics)
    hits = None
    initial = {}
    if check.is_bound and check.is_valid():
        codes = check.cleaned_data["buurten"]
        seen, hits = set(), []
        for buurt in Buurt.objects.filter(code__in=codes):
            for hit in asset_selectors.social_map_search(
                user=request.user, buurt=buurt, q=check.cleaned_data["q"], topic=check.cleaned_data["topic"]
            ):
                if (hit.kind, hit.id) not in seen:
                    seen.add((hit.kind, hit.id))
                    hits.append(hit)
        initial = {"buurten": codes, "topics": [check.cleaned_data["topic"]] if check.cleaned_data["topic"] else []}
    form = forms.ProjectForm(request.POST or None, initial=initial, buurten=buurten, topics=topics)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.project_create(
                by=request.user,
                title=data["title"],
                kind=data["kind"],
                summary=data["summary"],
                buurten=data["buurten"],
                topics=data["topics"],
                contact=data["contact"],
                answer_term_days=data["answer_term_days"],
                builds_on=data["builds_on"],
            )
        except ApplicationError as exc:
            forms.apply_service_error(form, exc)
        else:
            messages.success(request, _("Project created. Now set out its frame."))
            return redirect("participation:project-detail", slug=project.slug)
    return render(request, "participation/project_create.html", {"check": check, "hits": hits, "form": form})


def project_edit(request, slug: str):
    """Change the project's texts (B1-checked live; on a published project harder than B1 needs confirmation),
    kind, buurten, contacts and answer term."""
    project = project_or_404(request, slug, manage=True)
    buurten = list(area_selectors.buurt_choices(user=request.user))
    # Keep buurten the project already has even when they are outside this editor's picker.
    known = {b.code for b in buurten}
    buurten += [b for b in project.buurten.all() if b.code not in known]
    topics = list(core_selectors.topic_list())
    initial = {
        "title": project.title,
        "kind": project.kind,
        "summary": project.summary,
        "buurten": [b.code for b in project.buurten.all()],
        "topics": list(project.topics.values_list("slug", flat=True)),
        "contact": project.contact,
        "answer_term_days": project.answer_term_days,
        "builds_on": project.builds_on,
        "version": project.version,
    }
    form = forms.ProjectEditForm(request.POST or None, initial=initial, buurten=buurten, topics=topics)
    confirm = stale = None
    status = 422 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.project_update(
                project=project,
                by=request.user,
                title=data["title"],
                kind=data["kind"],
                summary=data["summary"],
                buurten=data["buurten"],
                topics=data["topics"],
                contact=data["contact"],
                answer_term_days=data["answer_term_days"],
                builds_on=data["builds_on"],
                confirm_below_b1=data["confirm_below_b1"],
                expected_version=data["version"],
            )
        except StaleEdit as exc:
            # A colleague saved first: the form again, with their texts beside it; nothing was overwritten.
            stale, status = exc.current, 409
            form = forms.rebound_after_stale_edit(form, exc)
        except NeedsConfirmation as exc:
            confirm = exc.message
        except ApplicationError as exc:
            forms.apply_service_error(form, exc)
        else:
            messages.success(request, _("The project has been saved."))
            return redirect("participation:project-detail", slug=project.slug)
    return render(
        request,
        "participation/project_edit.html",
        {"project": project, "form": form, "confirm": confirm, "stale": stale},
        status=status,
    )


def project_detail(request, slug: str):
    """The frame editor with timeline, choices and the publish button (blocked with the reasons)."""
    project = project_or_404(request, slug)
    can_manage = permissions.can_manage_project(request.user, project)
    context = _detail_context(project, can_manage=can_manage)
    return render(request, "participation/project_detail.html", context)


def _detail_context(project, *, can_manage: bool, **extra):
    frame_items = list(project.frame_items.all())
    context = {
        "project": project,
        "can_manage": can_manage,
        "frame_items": frame_items,
        "phases": project.phases.all(),
        "choices": project.choices.prefetch_related("options"),
        "level": services.participation_level(project),
        "problems": services.project_publish_problems(project),
        "check": b1_check(services.project_public_text(project)),
        "frame_form": forms.FrameItemForm(initial={"kind": FrameItem.Kind.VAST}),
        "phase_form": forms.PhaseForm(),
        "choice_form": forms.ChoiceForm(),
        "publish_form": forms.PublishForm(),
    }
    context.update(extra)
    return context


@require_POST
def frame_item_add(request, slug: str):
    project = project_or_404(request, slug, manage=True)
    form = forms.FrameItemForm(request.POST)
    if form.is_valid():
        try:
            services.frame_item_save(project=project, by=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            forms.apply_service_error(form, exc)
        else:
            return redirect(reverse("participation:project-detail", args=[slug]) + "#kaders")
    context = _detail_context(project, can_manage=True, frame_form=form)
    return render(request, "participation/project_detail.html", context, status=422)


def frame_item_edit(request, slug: str, pk: int):
    """Change one frame item in place. After publishing the change is logged and shown on the public page with
    what the item said before, so residents are not misled by a silent edit."""
    project = project_or_404(request, slug, manage=True)
    item = project.frame_items.filter(pk=pk).first()
    if item is None:
        raise Http404
    initial = {
        "kind": item.kind,
        "text": item.text,
        "ladder": item.ladder,
        "with_input": item.with_input,
        "hear_back": item.hear_back,
    }
    form = forms.FrameItemEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.frame_item_save(project=project, by=request.user, item=item, **form.cleaned_data)
        except ApplicationError as exc:
            forms.apply_service_error(form, exc)
        else:
            messages.success(request, _("The frame item has been saved."))
            return redirect(reverse("participation:project-detail", args=[slug]) + "#kaders")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "participation/frame_item_edit.html",
        {"project": project, "item": item, "form": form, "changes": item.changes.all()},
        status=status,
    )


@require_POST
def frame_item_delete(request, slug: str, pk: int):
    project = project_or_404(request, slug, manage=True)
    item = project.frame_items.filter(pk=pk).first()
    if item is None:
        raise Http404
    try:
        services.frame_item_delete(item=item, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("participation:project-detail", args=[slug]) + "#kaders")


@require_POST
def phase_add(request, slug: str):
    project = project_or_404(request, slug, manage=True)
    form = forms.PhaseForm(request.POST)
    if form.is_valid():
        try:
            services.phase_add(project=project, by=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            forms.apply_service_error(form, exc)
        else:
            return redirect(reverse("participation:project-detail", args=[slug]) + "#tijdlijn")
    return render(
        request,
        "participation/project_detail.html",
        _detail_context(project, can_manage=True, phase_form=form),
        status=422,
    )


def phase_edit(request, slug: str, pk: int):
    """Change a phase of the timeline: title, dates and what happens in it."""
    project = project_or_404(request, slug, manage=True)
    phase = project.phases.filter(pk=pk).first()
    if phase is None:
        raise Http404
    initial = {
        "title": phase.title,
        "starts_on": phase.starts_on,
        "ends_on": phase.ends_on,
        "description": phase.description,
    }
    form = forms.PhaseForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if "verwijderen" in request.POST:
            services.phase_delete(phase=phase, by=request.user)
            messages.success(request, _("The phase has been removed."))
            return redirect(reverse("participation:project-detail", args=[slug]) + "#tijdlijn")
        if form.is_valid():
            try:
                services.phase_update(phase=phase, by=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                forms.apply_service_error(form, exc)
            else:
                messages.success(request, _("The phase has been saved."))
                return redirect(reverse("participation:project-detail", args=[slug]) + "#tijdlijn")
    status = 422 if request.method == "POST" else 200
    return render(
        request, "participation/phase_edit.html", {"project": project, "phase": phase, "form": form}, status=status
    )


@require_POST
def choice_add(request, slug: str):
    project = project_or_404(request, slug, manage=True)
    form = forms.ChoiceForm(request.POST)
    if form.is_valid():
        try:
            services.choice_add(
                project=project,
                by=request.user,
                question=form.cleaned_data["question"],
                options=form.cleaned_data["options"].splitlines(),
            )
        except ApplicationError as exc:
            forms.apply_service_error(form, exc)
        else:
            return redirect(reverse("participation:project-detail", args=[slug]) + "#keuzes")
    return render(
        request,
        "participation/project_detail.html",
        _detail_context(project, can_manage=True, choice_form=form),
        status=422,
    )


@require_POST
def project_publish(request, slug: str):
    project = project_or_404(request, slug, manage=True)
    form = forms.PublishForm(request.POST)
    form.is_valid()
    try:
        services.project_publish(
            project=project, by=request.user, confirm_below_b1=form.cleaned_data.get("confirm_below_b1", False)
        )
    except PublishBlocked as exc:
        context = _detail_context(project, can_manage=True, publish_blocked=exc.problems)
        return render(request, "participation/project_detail.html", context, status=422)
    except NeedsConfirmation as exc:
        context = _detail_context(project, can_manage=True, publish_confirm=exc.message)
        return render(request, "participation/project_detail.html", context, status=422)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The project is published."))
    return redirect("participation:project-detail", slug=slug)


@require_POST
def project_end(request, slug: str):
    project = project_or_404(request, slug, manage=True)
    services.project_end(project=project, by=request.user)
    messages.success(request, _("The project has ended. Residents' e-mail addresses have been erased."))
    return redirect("participation:project-detail", slug=slug)
