"""Pages of the contacts app: quick capture (htmx, works without JS), rounds, buurt timeline, topics.

Thin: parse, check permission, call a service or selector, render. A record the user may not see answers 404
(the selectors audit the refusal and every read); a role that may not do something gets 403.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from nabij.areas import selectors as area_selectors
from nabij.contacts import selectors, services
from nabij.contacts.forms import (
    ContactCaptureForm,
    RoundPlanForm,
    RoundStartForm,
    SignalCaptureForm,
    SignalStatusForm,
    TimelineFilterForm,
    TopicForm,
    apply_service_error,
)
from nabij.contacts.models import Channel, Signal
from nabij.core import permissions
from nabij.core import selectors as core_selectors
from nabij.core import services as core_services
from nabij.core.concurrency import StaleEdit
from nabij.core.exceptions import InvalidInput, NotVisible, PermissionRefused
from nabij.core.http import safe_next
from nabij.language.services import load_in_background


def _require_logger(request):
    try:
        selectors.logger_required(user=request.user)
    except PermissionRefused as exc:
        raise PermissionDenied from exc


def _require_viewer(request):
    try:
        selectors.viewer_required(user=request.user)
    except PermissionRefused as exc:
        raise PermissionDenied from exc


def _form_status(request) -> int:
    # htmx swaps only 2xx answers; without JavaScript the form comes back with 422.
    return 200 if request.htmx else 422


def _saved_contact(request):
    pk = request.GET.get("opgeslagen", "")
    return selectors.contact_get_own(user=request.user, pk=int(pk)) if pk.isdigit() else None


# Capture ---------------------------------------------------------------------------------------------------


def _capture_form(request, data=None, *, initial=None):
    """The capture form. Its buurt and resident options are built only if it is rendered: a successful POST
    needs neither (the service checks the buurt and the resident)."""
    user = request.user

    def buurten():
        return list(area_selectors.buurt_choices(user=user).values_list("code", "name"))

    def residents():
        source = data if data is not None else (initial or {})
        selected = source.get("resident") or None
        return [
            (r.pk, r.label)
            for r in selectors.resident_recent(
                user=user, buurt=source.get("buurt", ""), include=int(selected) if str(selected).isdigit() else None
            )
        ]

    return ContactCaptureForm(
        data, initial=initial, buurten=buurten, topics=core_selectors.active_topics(), residents=residents
    )


def _capture_initial(request, open_round, *, buurt: str = "", channel: str = "") -> dict:
    buurt = buurt or selectors.default_buurt_for(user=request.user, round_=open_round)
    if not buurt:
        first = area_selectors.buurt_choices(user=request.user).values_list("code", flat=True).first()
        buurt = first or ""
    return {"buurt": buurt, "channel": channel if channel in Channel.values else Channel.STRAAT}


def contact_capture(request):
    """'Contact vastleggen': buurt and channel preset, topics as toggles, a note, save. Three taps from home."""
    _require_logger(request)
    if request.method == "POST":
        form = _capture_form(request, request.POST)
        saved = None
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.contact_moment_create(
                    user=request.user,
                    buurt=data["buurt"],
                    channel=data["channel"],
                    topics=data["topics"],
                    note=data["note"],
                    occurred_at=data["occurred_at"],
                    resident=data["resident"],
                    needs_follow_up=data["needs_follow_up"],
                    in_open_round=True,  # the round being walked is read with the buurt, in one query
                )
            except InvalidInput as exc:
                apply_service_error(form, exc)
        if saved is None:
            context = {"form": form, "open_round": selectors.open_round_for(user=request.user)}
            template = "contacts/partials/capture_form.html" if request.htmx else "contacts/contact_capture.html"
            return render(request, template, context, status=_form_status(request))
        another = request.POST.get("action") == "another"
        if another:
            query = urlencode({"buurt": saved.buurt_id, "kanaal": saved.channel, "opgeslagen": saved.pk})
            next_url = f"{reverse('contacts:contact-capture')}?{query}"
            if request.htmx:
                open_round = selectors.open_round_for(user=request.user)
                initial = _capture_initial(request, open_round, buurt=saved.buurt_id, channel=saved.channel)
                context = {"form": _capture_form(request, initial=initial), "open_round": open_round, "saved": saved}
                response = render(request, "contacts/partials/capture_form.html", context)
                response["HX-Push-Url"] = next_url
                return response
            return redirect(next_url)
        target = (
            reverse("contacts:round-detail", args=[saved.round_id])
            if saved.round_id
            else reverse("contacts:my-contacts")
        )
        next_url = f"{target}?opgeslagen={saved.pk}"
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = next_url
            return response
        return redirect(next_url)

    load_in_background()  # so the de-identifier is ready by the time the note is typed
    open_round = selectors.open_round_for(user=request.user)
    initial = _capture_initial(
        request, open_round, buurt=request.GET.get("buurt", "").upper(), channel=request.GET.get("kanaal", "")
    )
    context = {"form": _capture_form(request, initial=initial), "open_round": open_round}
    context["saved"] = _saved_contact(request)
    return render(request, "contacts/contact_capture.html", context)


def signal_capture(request):
    """'Waarneming': an observation without a person, during a round or not."""
    _require_logger(request)
    open_round = selectors.open_round_for(user=request.user)
    buurten = list(area_selectors.buurt_choices(user=request.user))
    topics = core_selectors.topic_list()
    if request.method == "POST":
        form = SignalCaptureForm(request.POST, buurten=buurten, topics=topics)
        if form.is_valid():
            data = form.cleaned_data
            try:
                signal = services.signal_create(
                    user=request.user,
                    buurt=data["buurt"],
                    topic=data["topic"],
                    note=data["note"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    round_id=open_round.pk if open_round else None,
                )
            except InvalidInput as exc:
                apply_service_error(form, exc)
            else:
                target = (
                    reverse("contacts:round-detail", args=[open_round.pk])
                    if open_round
                    else reverse("contacts:buurt-timeline", args=[signal.buurt_id])
                )
                return redirect(target)
        return render(request, "contacts/signal_capture.html", {"form": form, "open_round": open_round}, status=422)
    load_in_background()
    initial = _capture_initial(request, open_round, buurt=request.GET.get("buurt", "").upper())
    form = SignalCaptureForm(initial={"buurt": initial["buurt"]}, buurten=buurten, topics=topics)
    return render(request, "contacts/signal_capture.html", {"form": form, "open_round": open_round})


@require_POST
def signal_status(request, pk: int):
    """Change an observation's status. The form carries the version it was shown with: if a colleague changed
    the status in the meantime, the form comes back (409) with their change and a Dutch message."""
    _require_logger(request)
    try:
        signal = selectors.signal_get(user=request.user, pk=pk, audit=False)
    except NotVisible as exc:
        raise Http404 from exc
    form = SignalStatusForm(request.POST)
    fallback = reverse("contacts:buurt-timeline", args=[signal.buurt_id])
    if form.is_valid():
        try:
            services.signal_set_status(
                user=request.user,
                signal=signal,
                status=form.cleaned_data["status"],
                version=form.cleaned_data["version"],
            )
        except PermissionRefused as exc:
            raise PermissionDenied from exc
        except StaleEdit as exc:
            current = exc.current
            form = SignalStatusForm(
                initial={
                    "status": form.cleaned_data["status"],
                    "version": current.version,
                    "next": safe_next(request, fallback=fallback),
                }
            )
            context = {"form": form, "signal": signal, "current": current, "message": exc.message}
            return render(request, "contacts/signal_status.html", context, status=409)
        except InvalidInput as exc:
            apply_service_error(form, exc)
    if form.errors:
        context = {"form": form, "signal": signal, "current": None, "message": ""}
        return render(request, "contacts/signal_status.html", context, status=422)
    return redirect(safe_next(request, fallback=fallback))


# Lists -----------------------------------------------------------------------------------------------------


def my_contacts(request):
    """'Mijn contacten': the worker's own contact moments, newest first."""
    _require_viewer(request)
    page = selectors.my_contacts_page(user=request.user, number=request.GET.get("pagina"))
    return render(request, "contacts/my_contacts.html", {"page": page, "saved": _saved_contact(request)})


def buurt_timeline(request, code: str):
    """The buurt's contacts and observations, filtered by topic, period, worker and channel."""
    _require_viewer(request)
    form = TimelineFilterForm(request.GET or None, topics=core_selectors.topic_catalogue())
    filters = {}
    page_number = 1
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "topic": data["topic"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
            "worker_id": data["worker"],
            "channel": data["channel"],
        }
        page_number = data["page"] or 1
    try:
        buurt, timeline = selectors.buurt_timeline_read(
            user=request.user,
            code=code,
            page=page_number,
            audit_detail={k: str(v) for k, v in filters.items() if v},
            **filters,
        )
    except NotVisible as exc:
        raise Http404 from exc
    form.set_workers(timeline.workers)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "contacts/buurt_timeline.html",
        {
            "buurt": buurt,
            "form": form,
            "timeline": timeline,
            "query": query.urlencode(),
            "statuses": Signal.Status.choices,
        },
    )


# Rounds ----------------------------------------------------------------------------------------------------


def _round_start_form(request, data=None):
    return RoundStartForm(
        data,
        plans=selectors.round_plan_list(user=request.user),
        buurten=area_selectors.buurt_choices(user=request.user),
    )


def round_list(request):
    """'Mijn rondes': the open round, starting a new one, and the rounds walked before."""
    _require_logger(request)
    open_round = selectors.open_round_for(user=request.user)
    page = Paginator(selectors.round_list_for_worker(user=request.user), 20).get_page(request.GET.get("pagina"))
    return render(
        request,
        "contacts/round_list.html",
        {"open_round": open_round, "page": page, "form": _round_start_form(request)},
    )


@require_POST
def round_start(request):
    _require_logger(request)
    form = _round_start_form(request, request.POST)
    if form.is_valid():
        try:
            round_ = services.round_start(
                user=request.user, plan_id=form.cleaned_data["plan"], buurten=form.cleaned_data["buurten"]
            )
        except InvalidInput as exc:
            apply_service_error(form, exc)
        else:
            return redirect("contacts:round-detail", pk=round_.pk)
    open_round = selectors.open_round_for(user=request.user)
    page = Paginator(selectors.round_list_for_worker(user=request.user), 20).get_page(1)
    return render(
        request, "contacts/round_list.html", {"open_round": open_round, "page": page, "form": form}, status=422
    )


def _round_or_404(request, pk: int):
    try:
        return selectors.round_get(user=request.user, pk=pk)
    except NotVisible as exc:
        raise Http404 from exc


def round_detail(request, pk: int):
    """What was done during a round: its contacts and observations."""
    _require_viewer(request)
    round_ = _round_or_404(request, pk)
    contacts, signals = selectors.round_contents(user=request.user, round_=round_)
    return render(
        request,
        "contacts/round_detail.html",
        {
            "round": round_,
            "contacts": contacts,
            "signals": signals,
            "can_edit": permissions.can_edit_round(request.user, round_),
            "saved": _saved_contact(request),
        },
    )


@require_POST
def round_end(request, pk: int):
    _require_logger(request)
    round_ = _round_or_404(request, pk)
    try:
        services.round_end(user=request.user, round_=round_)
    except NotVisible as exc:
        raise Http404 from exc
    return redirect("contacts:round-detail", pk=round_.pk)


def round_overview(request):
    """For coordinators: which planned rounds were walked, week by week."""
    if not permissions.can_view_round_overview(request.user):
        raise PermissionDenied
    weeks, rows = selectors.round_overview(user=request.user)
    form = RoundPlanForm(buurten=area_selectors.buurt_choices(user=request.user))
    return render(request, "contacts/round_overview.html", {"weeks": weeks, "rows": rows, "form": form})


@require_POST
def round_plan_create(request):
    if not permissions.can_view_round_overview(request.user):
        raise PermissionDenied
    form = RoundPlanForm(request.POST, buurten=area_selectors.buurt_choices(user=request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.round_plan_create(
                user=request.user,
                name=data["name"],
                weekday=data["weekday"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                buurten=data["buurten"],
                team=request.user.team,
            )
        except InvalidInput as exc:
            apply_service_error(form, exc)
        else:
            return redirect("contacts:round-overview")
    weeks, rows = selectors.round_overview(user=request.user)
    return render(request, "contacts/round_overview.html", {"weeks": weeks, "rows": rows, "form": form}, status=422)


# Topics ----------------------------------------------------------------------------------------------------


def topic_list(request):
    """The controlled topic list, kept by beheerders: add, relabel, reorder, deactivate (never delete)."""
    if not permissions.can_manage_topics(request.user):
        raise PermissionDenied
    editing = core_selectors.topic_list(active_only=False).filter(slug=request.GET.get("bewerk", "")).first()
    initial = (
        {
            "slug": editing.slug,
            "label": editing.label,
            "label_en": editing.label_en,
            "position": editing.position,
            "is_active": editing.is_active,
        }
        if editing
        else None
    )
    form = TopicForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            topic = core_selectors.topic_list(active_only=False).filter(slug=data["slug"]).first()
            if topic is None:
                topic = core_services.topic_create(
                    user=request.user,
                    slug=data["slug"],
                    label=data["label"],
                    label_en=data["label_en"],
                    position=data["position"],
                )
            core_services.topic_update(
                user=request.user,
                topic=topic,
                label=data["label"],
                label_en=data["label_en"],
                is_active=data["is_active"],
                position=data["position"],
            )
        except (InvalidInput, PermissionRefused) as exc:
            apply_service_error(form, exc)
        else:
            return redirect("contacts:topic-list")
    status = 422 if request.method == "POST" else 200
    topics = core_selectors.topic_list(active_only=False)
    return render(
        request, "contacts/topic_list.html", {"topics": topics, "form": form, "editing": editing}, status=status
    )
