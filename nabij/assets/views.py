"""Pages of the sociale kaart: map and lists, "bestaat dit al?", initiatives with their support log,
organisations, places, key figures, and the public buurt page with its QR code.

Thin: parse, check permission, call a service or selector, render. Outside the scope pages answer 404 with an
audit refusal; a role that may not do something gets 403.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

import segno

from nabij.areas import selectors as area_selectors
from nabij.areas.models import Buurt
from nabij.assets import exports, imports, selectors, services, tabular
from nabij.assets.forms import (
    ExportForm,
    ImportForm,
    InitiativeForm,
    KeyFigureForm,
    MapFilterForm,
    PlaceForm,
    ProviderForm,
    SearchForm,
    SupportLogForm,
    apply_service_error,
    stale_edit_changes,
    take_current_version,
)
from nabij.core import permissions
from nabij.core import selectors as core_selectors
from nabij.core.access.assets import key_figure_policy
from nabij.core.concurrency import StaleEdit
from nabij.core.exceptions import InvalidInput, PermissionRefused
from nabij.privacy.refusals import require

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_editor(request, object_type: str) -> None:
    require(permissions.can_edit_social_map(request.user), actor=request.user, action="create", object_type=object_type)


def _require_key_figures(request) -> None:
    require(permissions.can_view_key_figures(request.user), actor=request.user, action="view", object_type="key_figure")


def _get_or_404(request, getter, pk: int):
    """One entry in the user's scope; outside it NotVisible (404), the refusal audited by the selector."""
    return getter(user=request.user, pk=pk)


def _choices(request):
    return list(area_selectors.buurt_choices(user=request.user)), core_selectors.topic_list()


# Map and lists ---------------------------------------------------------------------------------------------


def social_map(request):
    """'Sociale kaart': organisations, initiatives and places in scope, filtered, on a map and as lists."""
    buurten, topics = _choices(request)
    form = MapFilterForm(request.GET or None, buurten=buurten, topics=topics)
    data = form.cleaned_data if form.is_valid() else {}
    kind, topic, buurt, status = (data.get(k, "") for k in ("kind", "topic", "buurt", "status"))
    user = request.user
    providers = selectors.provider_list(user=user, buurt=buurt, topic=topic) if kind in ("", "organisatie") else []
    initiatives = (
        selectors.initiative_list(user=user, buurt=buurt, topic=topic, status=status)
        if kind in ("", "initiatief")
        else []
    )
    places = list(selectors.place_list(user=user, buurt=buurt, topic=topic)) if kind in ("", "plek") else []
    outline_buurten = area_selectors.buurt_list(user=user, with_geometry=True).filter(is_water=False)
    if buurt:
        outline_buurten = outline_buurten.filter(code=buurt)
    context = {
        "form": form,
        "providers": providers,
        "initiatives": initiatives,
        "places": places,
        "outlines": area_selectors.buurten_feature_collection(outline_buurten),
        "points": selectors.places_feature_collection(places),
        "can_edit": permissions.can_edit_social_map(user),
        "can_import": permissions.can_import_social_map(user),
        "can_see_key_figures": permissions.can_view_key_figures(user),
    }
    return render(request, "assets/social_map.html", context)


def search(request):
    """'Bestaat dit al?': before starting something new, see what the buurt, wijk and gemeente already have."""
    buurten, topics = _choices(request)
    initial = {"buurt": buurten[0].code} if buurten else {}
    form = SearchForm(request.GET if "buurt" in request.GET else None, initial=initial, buurten=buurten, topics=topics)
    hits = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            buurt = get_object_or_404(Buurt, code=form.cleaned_data["buurt"])
            hits = selectors.social_map_search(
                user=request.user, buurt=buurt, q=form.cleaned_data["q"], topic=form.cleaned_data["topic"]
            )
        else:
            status = 422
    return render(request, "assets/search.html", {"form": form, "hits": hits}, status=status)


# Initiatives -----------------------------------------------------------------------------------------------


def _initiative_initial(initiative) -> dict:
    return {
        "name": initiative.name,
        "description": initiative.description,
        "status": initiative.status,
        "buurten": [b.code for b in initiative.buurten.all()],
        "topics": [t.slug for t in initiative.topics.all()],
        "needs": list(initiative.needs),
        "contact": initiative.contact,
        "is_public": initiative.is_public,
    }


def initiative_form(request, pk: int | None = None):
    """Add or change an initiative; on a phone in one column."""
    _require_editor(request, "initiative")
    initiative = _get_or_404(request, selectors.initiative_get, pk) if pk else None
    buurten, topics = _choices(request)
    initial = _initiative_initial(initiative) if initiative else {"buurten": [request.GET.get("buurt", "")]}
    form = InitiativeForm(request.POST or None, initial=initial, buurten=buurten, topics=topics)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.initiative_save(user=request.user, initiative=initiative, **form.cleaned_data)
        except InvalidInput as exc:
            apply_service_error(form, exc)
        else:
            return redirect("assets:initiative-detail", pk=saved.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "object": initiative, "kind_label": "initiative"}
    return render(request, "assets/initiative_form.html", context, status=status)


def initiative_detail(request, pk: int):
    initiative = _get_or_404(request, selectors.initiative_get, pk)
    context = {
        "initiative": initiative,
        "logs": selectors.support_logs_for_initiative(initiative=initiative),
        "support_form": SupportLogForm(),
        "can_edit": permissions.can_edit_social_map(request.user),
    }
    return render(request, "assets/initiative_detail.html", context)


@require_POST
def support_log_add(request, pk: int):
    """Log support given to an initiative; the page shows the log with the new entry on top."""
    initiative = _get_or_404(request, selectors.initiative_get, pk)
    form = SupportLogForm(request.POST)
    if form.is_valid():
        try:
            services.support_log_add(user=request.user, initiative=initiative, **form.cleaned_data)
        except InvalidInput as exc:
            apply_service_error(form, exc)
        except PermissionRefused as exc:
            raise PermissionDenied from exc
        else:
            return redirect(reverse("assets:initiative-detail", args=[pk]) + "#steun")
    context = {
        "initiative": initiative,
        "logs": selectors.support_logs_for_initiative(initiative=initiative),
        "support_form": form,
        "can_edit": permissions.can_edit_social_map(request.user),
    }
    return render(request, "assets/initiative_detail.html", context, status=422)


# Organisations and places ----------------------------------------------------------------------------------


def _provider_initial(provider) -> dict:
    skip = ("buurten", "wijken", "topics", "version", "nabij_organisation")
    initial = {f: getattr(provider, f) for f in ProviderForm.base_fields if f not in skip}
    initial["buurten"] = [b.code for b in provider.buurten.all()]
    initial["wijken"] = [w.code for w in provider.wijken.all()]
    initial["topics"] = [t.slug for t in provider.topics.all()]
    initial["nabij_organisation"] = provider.nabij_organisation
    initial["version"] = provider.version
    return initial


def provider_form(request, pk: int | None = None):
    """Add or change an organisation. Coordinators and beheerders also say which Nabij organisation it is. An
    edit that crossed a colleague's shows the form again with what they changed."""
    _require_editor(request, "provider")
    provider = _get_or_404(request, selectors.provider_get, pk) if pk else None
    buurten, topics = _choices(request)
    initial = _provider_initial(provider) if provider else {}
    wijken = selectors.wijk_choices_for_social_map(user=request.user)
    form = ProviderForm(
        request.POST or None,
        initial=initial,
        buurten=buurten,
        wijken=wijken,
        topics=topics,
        may_link_organisation=permissions.is_coordinator(request.user),
    )
    changes = []
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.provider_save(user=request.user, provider=provider, **form.cleaned_data)
        except InvalidInput as exc:
            apply_service_error(form, exc)
        except StaleEdit as exc:
            form.add_error(None, exc.message)
            changes = stale_edit_changes(form, current=_provider_initial(exc.current))
            take_current_version(form, version=exc.current.version)
        except PermissionRefused as exc:
            raise PermissionDenied from exc
        else:
            return redirect("assets:provider-detail", pk=saved.pk)
    status = (409 if changes else 422) if request.method == "POST" else 200
    context = {"form": form, "object": provider, "changes": changes}
    return render(request, "assets/provider_form.html", context, status=status)


def provider_detail(request, pk: int):
    provider = _get_or_404(request, selectors.provider_get, pk)
    can_edit = permissions.can_edit_social_map(request.user)
    return render(request, "assets/provider_detail.html", {"provider": provider, "can_edit": can_edit})


def place_form(request, pk: int | None = None):
    _require_editor(request, "place")
    place = _get_or_404(request, selectors.place_get, pk) if pk else None
    buurten, topics = _choices(request)
    initial = {}
    if place:
        initial = {f: getattr(place, f) for f in PlaceForm.base_fields if f not in ("buurt", "topics")}
        initial["buurt"] = place.buurt_id
        initial["topics"] = [t.slug for t in place.topics.all()]
    form = PlaceForm(request.POST or None, initial=initial, buurten=buurten, topics=topics)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.place_save(user=request.user, place=place, **form.cleaned_data)
        except InvalidInput as exc:
            apply_service_error(form, exc)
        else:
            return redirect("assets:place-detail", pk=saved.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "assets/place_form.html", {"form": form, "object": place}, status=status)


def place_detail(request, pk: int):
    place = _get_or_404(request, selectors.place_get, pk)
    context = {
        "place": place,
        "points": selectors.places_feature_collection([place]),
        "can_edit": permissions.can_edit_social_map(request.user),
    }
    return render(request, "assets/place_detail.html", context)


# Key figures -----------------------------------------------------------------------------------------------


def key_figure_list(request):
    """Key figures and their gifts the user may see (their organisation's in scope, or shared by an agreement);
    only for roles that see personal data. A shared key figure is read-only and names its owner."""
    _require_key_figures(request)
    buurten, topics = _choices(request)
    buurt = request.GET.get("buurt", "").upper()
    if buurt and buurt not in {b.code for b in buurten}:
        buurt = ""
    figures = list(selectors.key_figure_list(user=request.user, buurt=buurt))
    changeable = {f.pk for f in figures if key_figure_policy.can_change(request.user, f)}
    context = {"figures": figures, "changeable": changeable, "buurten": buurten, "buurt": buurt}
    return render(request, "assets/key_figure_list.html", context)


def key_figure_create(request):
    _require_key_figures(request)
    buurten, topics = _choices(request)
    form = KeyFigureForm(request.POST or None, buurten=buurten, topics=topics)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.key_figure_create(user=request.user, **data)
        except InvalidInput as exc:
            apply_service_error(form, exc)
        else:
            return redirect("assets:key-figure-list")
    status = 422 if request.method == "POST" else 200
    return render(request, "assets/key_figure_form.html", {"form": form}, status=status)


def _key_figure_initial(figure) -> dict:
    return {
        "label": figure.label,
        "buurt": figure.buurt_id,
        "role": figure.role,
        "gifts": figure.gifts,
        "topics": [t.slug for t in figure.topics.all()],
        "consent": True,
        "version": figure.version,
    }


def _changeable_key_figure(request, pk: int, action: str):
    """A key figure the user may see (else 404) and change (else 403: shared ones are read-only)."""
    figure = _get_or_404(request, selectors.key_figure_get, pk)
    require(
        key_figure_policy.can_change(request.user, figure),
        actor=request.user,
        action=action,
        object_type="key_figure",
        object_id=pk,
    )
    return figure


def key_figure_edit(request, pk: int):
    """Change a key figure's label, buurt, role, gifts or topics; only while the resident still agrees. An edit
    that crossed a colleague's shows the form again with what they changed."""
    _require_key_figures(request)
    figure = _changeable_key_figure(request, pk, "update")
    buurten, topics = _choices(request)
    form = KeyFigureForm(request.POST or None, initial=_key_figure_initial(figure), buurten=buurten, topics=topics)
    changes = []
    if request.method == "POST" and form.is_valid():
        try:
            services.key_figure_update(user=request.user, key_figure=figure, **form.cleaned_data)
        except InvalidInput as exc:
            apply_service_error(form, exc)
        except StaleEdit as exc:
            form.add_error(None, exc.message)
            changes = stale_edit_changes(form, current=_key_figure_initial(exc.current))
            take_current_version(form, version=exc.current.version)
        except PermissionRefused as exc:
            raise PermissionDenied from exc
        else:
            return redirect("assets:key-figure-list")
    status = (409 if changes else 422) if request.method == "POST" else 200
    context = {"form": form, "object": figure, "changes": changes}
    return render(request, "assets/key_figure_form.html", context, status=status)


@require_POST
def key_figure_delete(request, pk: int):
    """Removal at the resident's request: deleted for real, with an audit event that holds no personal data."""
    _require_key_figures(request)
    figure = _changeable_key_figure(request, pk, "delete")
    try:
        services.key_figure_delete(user=request.user, key_figure=figure)
    except PermissionRefused as exc:
        raise PermissionDenied from exc
    return redirect(reverse("assets:key-figure-list") + "?verwijderd=1")


# Public page -----------------------------------------------------------------------------------------------


def _public_buurt(code: str) -> Buurt:
    return get_object_or_404(Buurt.objects.select_related("wijk", "gemeente"), code=code.upper(), is_water=False)


@login_not_required
@cache_control(public=True, max_age=300)
def public_buurt(request, code: str):
    """'Wat is er in mijn buurt?': what agreed to be public, for anyone, without an account or tracking."""
    buurt = _public_buurt(code)
    context = {"buurt": buurt, **selectors.public_items_for_buurt(buurt=buurt)}
    return render(request, "assets/public_buurt.html", context)


@login_not_required
@cache_control(public=True, max_age=86400)
def public_buurt_qr(request, code: str, fmt: str):
    """The QR code that links to the public buurt page, as SVG (print) or PNG (share)."""
    buurt = _public_buurt(code)
    url = request.build_absolute_uri(reverse("assets-public:buurt", args=[buurt.code]))
    qr = segno.make(url, error="m")
    out = io.BytesIO()
    if fmt == "svg":
        qr.save(out, kind="svg", scale=8, border=2, title=f"QR {buurt.name}")
        return HttpResponse(out.getvalue(), content_type="image/svg+xml")
    qr.save(out, kind="png", scale=8, border=2)
    return HttpResponse(out.getvalue(), content_type="image/png")


# Import and export -----------------------------------------------------------------------------------------


def _require_importer(request) -> None:
    require(
        permissions.can_import_social_map(request.user), actor=request.user, action="import", object_type="social_map"
    )


def import_page(request):
    """Upload a file and see, row by row, what it would create or update; a file with any error is refused
    whole (decision 0202). Only a file without errors offers the confirm button."""
    _require_importer(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read(tabular.MAX_FILE_BYTES + 1)
            preview = imports.social_map_import_preview(
                user=request.user, kind=form.cleaned_data["kind"], data=data, filename=upload.name
            )
            status = 200 if preview.ok else 422
        else:
            status = 422
    context = {"form": form, "preview": preview, "columns": imports.COLUMNS, "ttl": imports.IMPORT_BATCH_TTL}
    return render(request, "assets/import.html", context, status=status)


@require_POST
def import_confirm(request, pk):
    """Write a previewed file: every row or none."""
    _require_importer(request)
    batch = imports.import_batch_get(user=request.user, pk=pk)
    if batch is None:
        messages.error(request, _("This import has expired or was already done. Upload the file again."))
        return redirect("assets:import")
    try:
        result = imports.social_map_import_confirm(user=request.user, batch=batch)
    except imports.ImportRefused as exc:
        context = {"form": ImportForm(), "preview": exc.preview, "columns": imports.COLUMNS, "refused": True}
        return render(request, "assets/import.html", context, status=422)
    except PermissionRefused as exc:
        raise PermissionDenied from exc
    messages.success(
        request,
        _("Import done: %(created)d added, %(updated)d updated.")
        % {"created": result.creates, "updated": result.updates},
    )
    return redirect("assets:map")


def export_page(request):
    """Export what the user may see, with the map's filter, as CSV (streamed) or XLSX. Audited."""
    require(
        permissions.can_export_social_map(request.user), actor=request.user, action="export", object_type="social_map"
    )
    kinds = exports.export_kinds_for(request.user)
    buurten, topics = _choices(request)
    asked = "format" in request.GET
    form = ExportForm(request.GET if asked else None, buurten=buurten, topics=topics, kinds=kinds)
    if not asked:
        return render(request, "assets/export.html", {"form": form})
    if not form.is_valid():
        require(
            request.GET.get("kind") != "sleutelfiguren" or "sleutelfiguren" in kinds,  # asked for what is refused
            actor=request.user,
            action="export",
            object_type="key_figure",
        )
        return render(request, "assets/export.html", {"form": form}, status=422)
    data = form.cleaned_data
    wanted = [data["kind"]] if data["kind"] else kinds
    extension, chunks = exports.social_map_export(
        user=request.user,
        kinds=wanted,
        format=data["format"],
        buurt=data["buurt"],
        topic=data["topic"],
        status=data["status"],
    )
    stamp = timezone.localdate().isoformat()
    if extension == "csv":
        response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="sociale-kaart-{wanted[0]}-{stamp}.csv"'
        return response
    response = StreamingHttpResponse(chunks, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="sociale-kaart-{stamp}.xlsx"'
    return response
