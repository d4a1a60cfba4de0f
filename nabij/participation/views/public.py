"""Public pages (no account): the project page /p/<slug>/ with its input form, the thank-you page and the
resident's private reply link, and the QR code."""

from __future__ import annotations

import io
import secrets

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

import segno

from nabij.core import ratelimit
from nabij.core.exceptions import ApplicationError, NotVisible
from nabij.participation import forms, selectors, services
from nabij.participation.models import FrameItem, Input

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
