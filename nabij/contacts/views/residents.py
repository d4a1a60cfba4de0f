"""Resident pages: the file with its contacts and consent history, registering a resident (only with consent),
the capture form's resident search, recording consent for an older file, and the inzage (AVG art. 15) as PDF or
JSON. Thin: the selectors check the policy and audit; the services write."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from nabij.areas import selectors as area_selectors
from nabij.contacts import selectors, services
from nabij.contacts.forms import ContactCaptureForm, ResidentForm, apply_service_error
from nabij.contacts.views.records import _require_logger, _require_viewer
from nabij.core.access.contacts import resident_policy
from nabij.core.exceptions import InvalidInput, NotVisible, PermissionRefused
from nabij.privacy.inzage import inzage_json, inzage_pdf


def resident_detail(request, pk: int):
    """A resident's contacts over time, as far as the user may see them, and the file's consent history. Every
    read is audited (by the selector)."""
    _require_viewer(request)
    try:
        resident, page = selectors.resident_detail_read(user=request.user, pk=pk, number=request.GET.get("pagina"))
    except NotVisible as exc:
        raise Http404 from exc
    can_change = resident_policy.can_change(request.user, resident)
    context = {
        "resident": resident,
        "page": page,
        "consents": selectors.resident_consents(resident=resident),
        "can_change": can_change,  # inzage and recording consent: the data controller's staff
        "may_erase": can_change,  # the erasure section (the privacy app's erasure) follows the same rule
    }
    return render(request, "contacts/resident_detail.html", context)


def resident_search(request):
    """The capture form's resident search (htmx): the resident select again, with the residents in scope whose
    label matches, the buurt's own first. Every search is audited (the count, not the words)."""
    _require_logger(request)
    query = request.GET.get("bewoner_zoek", "").strip()[:100]
    buurt = request.GET.get("buurt", "")[:10]
    if query:
        found = selectors.resident_search(user=request.user, query=query, buurt=buurt)  # audited there
    else:
        found = selectors.resident_recent(user=request.user, buurt=buurt)
    form = ContactCaptureForm(buurten=[], topics=[], residents=[(r.pk, r.label) for r in found])
    return render(
        request,
        "contacts/partials/resident_field.html",
        {"form": form, "searched": bool(query), "found": len(found)},
    )


def resident_create(request):
    """'Nieuwe bewoner': only with the resident's consent (the service refuses without it, naming the field)."""
    _require_logger(request)
    buurten = list(area_selectors.buurt_choices(user=request.user))
    form = ResidentForm(request.POST or None, buurten=buurten)
    if request.method == "POST" and form.is_valid():
        try:
            resident = services.resident_create(
                user=request.user,
                label=form.cleaned_data["label"],
                buurt=form.cleaned_data["buurt"],
                consent=form.cleaned_data["consent"],
            )
        except InvalidInput as exc:
            apply_service_error(form, exc)
        else:
            return redirect("contacts:resident-detail", pk=resident.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "contacts/resident_form.html", {"form": form}, status=status)


@require_POST
def resident_consent(request, pk: int):
    """Record the consent of a resident whose file was made before consent was required."""
    _require_logger(request)
    try:
        resident = selectors.resident_get(user=request.user, pk=pk)
        services.resident_consent_give(user=request.user, resident=resident)
    except NotVisible as exc:
        raise Http404 from exc
    except PermissionRefused as exc:
        raise PermissionDenied from exc
    except InvalidInput:
        pass  # already given: the page shows it
    return redirect("contacts:resident-detail", pk=pk)


def resident_inzage(request, pk: int, fmt: str):
    """The inzage to hand over: a PDF to print, or the same as JSON (a download). Audited as an export."""
    _require_viewer(request)
    if fmt not in selectors.INZAGE_FORMATS:
        raise Http404
    try:
        resident, inzage = selectors.resident_inzage(user=request.user, pk=pk, fmt=fmt)
    except NotVisible as exc:
        raise Http404 from exc
    except PermissionRefused as exc:
        raise PermissionDenied from exc
    name = f"inzage-bewoner-{resident.pk}-{inzage['made_at']:%Y%m%d}.{fmt}"
    if fmt == "pdf":
        response = HttpResponse(inzage_pdf(inzage), content_type="application/pdf")
    else:
        body = json.dumps(inzage_json(inzage), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
