"""Pages of participation projects: staff pages (create with "bestaat dit al?", frame editor, publish, answer
queues, replies, decisions, household codes, evenings), the live B1 check partial, and the public project page
with its QR code and the resident's private reply link.

Thin: parse, check permission, call a service or selector, render. A project the user may not see answers 404
with an audit refusal; a user who may see but not change it gets 403.
"""

from __future__ import annotations

import io
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import segno

from nabij.areas import selectors as area_selectors
from nabij.areas.models import Buurt
from nabij.assets import selectors as asset_selectors
from nabij.contacts import selectors as contact_selectors
from nabij.core import permissions, ratelimit
from nabij.core.exceptions import ApplicationError, NotVisible
from nabij.language.b1 import b1_check
from nabij.participation import forms, selectors, services
from nabij.participation.exceptions import NeedsConfirmation, PublishBlocked
from nabij.participation.models import FrameItem, Input
from nabij.privacy.services import audit_refusal


def _project_or_404(request, slug: str, *, manage: bool = False):
    try:
        project = selectors.project_get(user=request.user, slug=slug)
    except NotVisible as exc:
        audit_refusal(actor=request.user, action="view", object_type="project", object_id=slug)
        raise Http404 from exc
    if manage and not permissions.can_manage_project(request.user, project):
        audit_refusal(actor=request.user, action="change", object_type="project", object_id=project.pk)
        raise PermissionDenied
    return project


# B1 check (htmx partial, usable next to any textarea) -------------------------------------------------------


@require_POST
def b1_check_partial(request):
    """The B1 result for the text of one form field: POST `veld` (the field name) and that field."""
    name = request.POST.get("veld", "")
    text = request.POST.get(name, "") if name else ""
    return render(request, "participation/partials/b1_result.html", {"check": b1_check(text[:20000]) if text else None})


# Projects --------------------------------------------------------------------------------------------------


def project_list(request):
    projects = selectors.project_list(user=request.user)
    return render(
        request,
        "participation/project_list.html",
        {"projects": projects, "can_create": permissions.can_create_project(request.user)},
    )


def project_create(request):
    """Step 1 "Bestaat dit al?" (GET with buurten/topic): what exists; step 2: the project form (POST)."""
    if not permissions.can_create_project(request.user):
        audit_refusal(actor=request.user, action="create", object_type="project")
        raise PermissionDenied
    buurten = list(area_selectors.buurt_choices(user=request.user))
    topics = list(contact_selectors.topic_list())
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
    project = _project_or_404(request, slug, manage=True)
    buurten = list(area_selectors.buurt_choices(user=request.user))
    # Keep buurten the project already has even when they are outside this editor's picker.
    known = {b.code for b in buurten}
    buurten += [b for b in project.buurten.all() if b.code not in known]
    topics = list(contact_selectors.topic_list())
    initial = {
        "title": project.title,
        "kind": project.kind,
        "summary": project.summary,
        "buurten": [b.code for b in project.buurten.all()],
        "topics": list(project.topics.values_list("slug", flat=True)),
        "contact": project.contact,
        "answer_term_days": project.answer_term_days,
        "builds_on": project.builds_on,
    }
    form = forms.ProjectEditForm(request.POST or None, initial=initial, buurten=buurten, topics=topics)
    confirm = None
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
            )
        except NeedsConfirmation as exc:
            confirm = exc.message
        except ApplicationError as exc:
            forms.apply_service_error(form, exc)
        else:
            messages.success(request, _("The project has been saved."))
            return redirect("participation:project-detail", slug=project.slug)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "participation/project_edit.html",
        {"project": project, "form": form, "confirm": confirm},
        status=status,
    )


def project_detail(request, slug: str):
    """The frame editor with timeline, choices and the publish button (blocked with the reasons)."""
    project = _project_or_404(request, slug)
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
        "queue_count": project.inputs.filter(reply__isnull=True).count(),
    }
    context.update(extra)
    return context


@require_POST
def frame_item_add(request, slug: str):
    project = _project_or_404(request, slug, manage=True)
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
    project = _project_or_404(request, slug, manage=True)
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
    project = _project_or_404(request, slug, manage=True)
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
    project = _project_or_404(request, slug, manage=True)
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
    project = _project_or_404(request, slug, manage=True)
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
    project = _project_or_404(request, slug, manage=True)
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
    project = _project_or_404(request, slug, manage=True)
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
    project = _project_or_404(request, slug, manage=True)
    services.project_end(project=project, by=request.user)
    messages.success(request, _("The project has ended. Residents' e-mail addresses have been erased."))
    return redirect("participation:project-detail", slug=slug)


# Answer queues and replies ---------------------------------------------------------------------------------


def project_inputs(request, slug: str):
    """All inputs of one project; those waiting for an answer first, overdue at the top."""
    project = _project_or_404(request, slug)
    if not permissions.can_see_personal_data(request.user):
        audit_refusal(actor=request.user, action="view", object_type="input", object_id=project.pk)
        raise PermissionDenied
    queue = list(selectors.answer_queue(user=request.user, project=project))
    answered = selectors.inputs_for_project(project=project).filter(answered=True)
    results = [
        (choice, selectors.choice_results(choice=choice, in_scope=True))
        for choice in project.choices.prefetch_related("options")
    ]
    can_manage = permissions.can_manage_project(request.user, project)
    context = {
        "project": project,
        "queue": queue,
        "answered": answered,
        "results": results,
        "can_manage": can_manage,
        "colleagues": selectors.project_colleagues(project=project) if can_manage else None,
    }
    return render(request, "participation/project_inputs.html", context)


@require_POST
def input_assign(request, slug: str, pk: int):
    """Hand an input to a colleague: it moves into their own answer queue ("Inputs waiting for my answer")."""
    project = _project_or_404(request, slug, manage=True)
    item = project.inputs.filter(pk=pk).first()
    if item is None:
        raise Http404
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
    queue = list(selectors.answer_queue(user=request.user, mine=True))
    return render(request, "participation/my_queue.html", {"queue": queue})


def input_reply(request, slug: str, pk: int):
    project = _project_or_404(request, slug, manage=True)
    item = project.inputs.select_related("frame_item").filter(pk=pk).first()
    if item is None:
        raise Http404
    existing = getattr(item, "reply", None)
    form = forms.ReplyForm(request.POST or None, initial={"text": existing.text if existing else ""})
    confirm = None
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_create(
                input=item,
                by=request.user,
                text=form.cleaned_data["text"],
                confirm_below_b1=form.cleaned_data["confirm_below_b1"],
                base_url=request.build_absolute_uri("/")[:-1],
            )
        except NeedsConfirmation as exc:
            confirm = exc.message
        except ApplicationError as exc:
            forms.apply_service_error(form, exc)
        else:
            messages.success(request, _("Your reply has been saved. The resident can read it now."))
            return redirect("participation:project-inputs", slug=slug)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "participation/input_reply.html",
        {"project": project, "item": item, "form": form, "confirm": confirm},
        status=status,
    )


# Decisions, household codes, evenings ----------------------------------------------------------------------


def decisions(request, slug: str):
    project = _project_or_404(request, slug)
    can_manage = permissions.can_manage_project(request.user, project)
    form = None
    if can_manage:
        form = forms.DecisionForm(request.POST or None, inputs=project.inputs.all())
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
    project = _project_or_404(request, slug, manage=True)
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
    project = _project_or_404(request, slug)
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


# Public pages ----------------------------------------------------------------------------------------------


HONEYPOT = "website"


def _input_limit() -> int:
    """Inputs per client address per minute. A bewonersavond on one Wi-Fi network stays well below the default;
    the benchmark server raises it through settings (its load generator is one client)."""
    return getattr(settings, "PARTICIPATION_INPUT_LIMIT", ratelimit.DEFAULT_LIMIT)


def _public_project(slug: str):
    try:
        return selectors.public_project_get(slug=slug)
    except NotVisible as exc:
        raise Http404 from exc


@login_not_required
def public_project(request, slug: str):
    """/p/<slug>/: the frame in B1, the timeline, how to take part, the input form and "Jij zei, wij deden".
    Works without JavaScript: the form posts and the page answers with the private link to the reply."""
    project = _public_project(slug)
    form = forms.InputForm(
        request.POST or None, project=project, initial={"idempotency_key": secrets.token_urlsafe(16)}
    )
    status = 200
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            # A bot filled the field people cannot see: answer as if all went well, store nothing.
            return redirect("participation-public:project", slug=slug)
        if not ratelimit.allow(request, scope="participation-input", limit=_input_limit()):
            form.is_valid()
            form.add_error(None, _("Too many inputs were sent from this connection. Wait a minute and try again."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            choice_id, option_id = form.picked_choice()
            try:
                item, _created = services.input_submit(
                    project=project,
                    kind=data["kind"],
                    text=data["text"],
                    frame_item_id=data.get("frame_item"),
                    choice_id=choice_id,
                    option_id=option_id,
                    household_code=data.get("household_code", ""),
                    email=data.get("email", ""),
                    idempotency_key=data.get("idempotency_key", ""),
                )
            except ApplicationError as exc:
                if exc.field in {"keuze", "optie"} and form.choice_fields:
                    form.add_error(form.choice_fields[0], exc.message)
                else:
                    forms.apply_service_error(form, exc)
            else:
                return redirect("participation-public:thanks", slug=slug, token=item.reply_token)
        status = status if status != 200 else 422
    frame_items = list(project.frame_items.all())
    context = {
        "project": project,
        "fixed": [i for i in frame_items if i.kind == FrameItem.Kind.VAST],
        "open": [i for i in frame_items if i.kind == FrameItem.Kind.OPEN],
        "level": services.participation_level(project),
        "form": form,
        "results": [
            (choice, selectors.choice_results(choice=choice, in_scope=False)) for choice in project.choices.all()
        ],
        "takes_input": project.status == project.Status.GEPUBLICEERD,
        "changes": selectors.frame_changes(project=project),
        "honeypot": HONEYPOT,
    }
    return render(request, "participation/public_project.html", context, status=status)


@login_not_required
def public_thanks(request, slug: str, token: str):
    item = _input_by_token(slug, token)
    return render(request, "participation/public_reply.html", {"item": item, "project": item.project, "thanks": True})


@login_not_required
def public_reply(request, slug: str, token: str):
    """The resident's private link: their input and, once given, the answer."""
    item = _input_by_token(slug, token)
    return render(request, "participation/public_reply.html", {"item": item, "project": item.project})


def _input_by_token(slug: str, token: str) -> Input:
    try:
        return selectors.input_by_token(slug=slug, token=token)
    except NotVisible as exc:
        raise Http404 from exc


@login_not_required
def public_project_qr(request, slug: str):
    project = _public_project(slug)
    url = request.build_absolute_uri(reverse("participation-public:project", args=[project.slug]))
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=8, border=2, title=f"QR {project.title}")
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")
