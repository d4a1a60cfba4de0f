"""Pages of the follow-up app: "Mijn beloftes" (phone first, htmx, works without JS), promise and referral forms,
the team view and the learning dashboard for coordinators.

Thin: parse, check permission, call a service or selector, render. Outside scope answers 404 with an audit
refusal; a role that may not do something gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nabij.areas import selectors as area_selectors
from nabij.assets import selectors as asset_selectors
from nabij.contacts import selectors as contact_selectors
from nabij.core import permissions
from nabij.core.exceptions import NotVisible, PermissionRefused
from nabij.core.http import safe_next
from nabij.followup import charts, selectors, services
from nabij.followup.exceptions import InvalidInput, OutsideBuurtWarning
from nabij.followup.forms import (
    FailForm,
    HandoverForm,
    KeepForm,
    PromiseForm,
    ReferralForm,
    ReferralStatusForm,
    apply_service_error,
)
from nabij.privacy.services import audit_record, audit_refusal


def _require_followup(request):
    if not permissions.can_use_followup(request.user):
        audit_refusal(actor=request.user, action="view", object_type="promise")
        raise PermissionDenied


def _require_team(request):
    if not permissions.can_view_followup_team(request.user):
        audit_refusal(actor=request.user, action="view", object_type="promise_team")
        raise PermissionDenied


def _form_status(request) -> int:
    # htmx swaps only 2xx answers; without JavaScript the form comes back with 422.
    return 200 if request.htmx else 422


def _promise_or_404(request, pk: int):
    try:
        return selectors.promise_get(user=request.user, pk=pk)
    except NotVisible:
        audit_refusal(actor=request.user, action="view", object_type="promise", object_id=pk)
        raise Http404 from None


def _referral_or_404(request, pk: int):
    try:
        return selectors.referral_get(user=request.user, pk=pk)
    except NotVisible:
        audit_refusal(actor=request.user, action="view", object_type="referral", object_id=pk)
        raise Http404 from None


def _contact_moment(request, raw):
    """The worker's own contact moment the promise or referral starts from, if any (?contactmoment=<id>)."""
    raw = str(raw or "")
    if not raw.isdigit():
        return None
    return contact_selectors.contact_get_own(user=request.user, pk=int(raw))


# "Mijn beloftes" -------------------------------------------------------------------------------------------


def my_promises(request):
    """The worker's open promises: overdue first, then today, then this week, then later; referrals to check
    back on beside them."""
    _require_followup(request)
    data = selectors.my_followup(user=request.user)
    audit_record(
        actor=request.user,
        action="view",
        object_type="promise_list",
        detail={"list": "mine", "promises": len(data.overdue) + len(data.due_today) + len(data.this_week)},
    )
    return render(request, "followup/my_promises.html", {"data": data, "keep_form": KeepForm()})


@require_POST
def promise_keep(request, pk: int):
    """One tap: mark kept, with an optional note. htmx swaps the item for a confirmation; without JS, back to the
    list with a message."""
    _require_followup(request)
    promise = _promise_or_404(request, pk)
    form = KeepForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.promise_keep(user=request.user, promise=promise, note=form.cleaned_data["note"])
        except PermissionRefused:
            raise PermissionDenied from None
        except InvalidInput as exc:
            error = exc.message
    else:
        error = _("This text is too long.")
    if request.htmx:
        return render(request, "followup/partials/kept_item.html", {"promise": promise, "error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Kept: %(promise)s") % {"promise": promise.description})
    return redirect(safe_next(request, fallback=reverse("followup:my-promises")))


def promise_detail(request, pk: int):
    _require_followup(request)
    promise = _promise_or_404(request, pk)
    audit_record(
        actor=request.user, action="view", object_type="promise", object_id=promise.pk, area_code=promise.buurt_id
    )
    context = {
        "promise": promise,
        "handovers": selectors.handovers_for(promise=promise),
        "can_change": permissions.can_change_promise(request.user, promise),
        "keep_form": KeepForm(),
        "fail_form": FailForm(),
    }
    return render(request, "followup/promise_detail.html", context)


def _promise_form(request, data=None, *, moment=None, initial=None):
    buurten = list(area_selectors.buurt_choices(user=request.user))
    return PromiseForm(
        data,
        initial=initial,
        buurten=buurten,
        residents=contact_selectors.resident_choices(user=request.user),
        initiatives=asset_selectors.initiative_list(user=request.user).only("id", "name"),
        colleagues=selectors.team_colleagues(user=request.user),
        from_contact=moment is not None,
    )


def promise_create(request):
    """A new promise, standalone or from a contact moment (?contactmoment=<id>): what, to whom, when, who."""
    _require_followup(request)
    moment = _contact_moment(request, request.POST.get("contact_moment") or request.GET.get("contactmoment"))
    if request.method == "POST":
        form = _promise_form(request, request.POST, moment=moment)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.promise_create(
                    user=request.user,
                    description=data["description"],
                    due_date=data.get("due_date"),
                    buurt=data.get("buurt"),
                    contact_moment=moment.pk if moment else None,
                    resident=data.get("resident"),
                    initiative=data.get("initiative"),
                    group_label=data.get("group_label", ""),
                    owner=data.get("owner"),
                )
            except PermissionRefused:
                raise PermissionDenied from None
            except InvalidInput as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("Promise saved."))
                return redirect("followup:my-promises")
        return render(request, "followup/promise_form.html", {"form": form, "moment": moment}, status=422)
    initial = {"owner": request.user.pk, "contact_moment": moment.pk if moment else None}
    default_buurt = contact_selectors.default_buurt_for(user=request.user)
    if default_buurt:
        initial["buurt"] = default_buurt
    form = _promise_form(request, moment=moment, initial=initial)
    return render(request, "followup/promise_form.html", {"form": form, "moment": moment})


@require_POST
def promise_fail(request, pk: int):
    _require_followup(request)
    promise = _promise_or_404(request, pk)
    form = FailForm(request.POST)
    if form.is_valid():
        try:
            services.promise_fail(
                user=request.user,
                promise=promise,
                reason=form.cleaned_data["reason"],
                resident_told=form.cleaned_data["resident_told"],
            )
        except PermissionRefused:
            raise PermissionDenied from None
        except InvalidInput as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Recorded as not managed."))
            return redirect("followup:my-promises")
    context = {
        "promise": promise,
        "handovers": selectors.handovers_for(promise=promise),
        "can_change": True,
        "keep_form": KeepForm(),
        "fail_form": form,
    }
    return render(request, "followup/promise_detail.html", context, status=422)


def promise_handover(request, pk: int):
    """Hand a promise to a colleague with a note; it shows in their "Mijn beloftes" at once."""
    _require_followup(request)
    promise = _promise_or_404(request, pk)
    if not permissions.can_change_promise(request.user, promise):
        audit_refusal(actor=request.user, action="update", object_type="promise", object_id=pk)
        raise PermissionDenied
    colleagues = selectors.team_colleagues(user=request.user).exclude(pk=promise.owner_id)
    if request.method == "POST":
        form = HandoverForm(request.POST, colleagues=colleagues)
        if form.is_valid():
            try:
                services.promise_hand_over(
                    user=request.user,
                    promise=promise,
                    to_user=form.cleaned_data["owner"],
                    note=form.cleaned_data["note"],
                )
            except InvalidInput as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("Handed over."))
                return redirect("followup:my-promises")
        return render(request, "followup/promise_handover.html", {"form": form, "promise": promise}, status=422)
    form = HandoverForm(colleagues=colleagues)
    return render(request, "followup/promise_handover.html", {"form": form, "promise": promise})


# Referrals -------------------------------------------------------------------------------------------------


def _referral_form(request, data=None, *, moment=None, initial=None):
    return ReferralForm(
        data,
        initial=initial,
        providers=asset_selectors.provider_list(user=request.user).only("id", "name"),
        topics=contact_selectors.topic_list(),
        buurten=list(area_selectors.buurt_choices(user=request.user)),
        residents=contact_selectors.resident_choices(user=request.user),
        from_contact=moment is not None,
    )


def referral_create(request):
    """Refer a resident to an organisation on the sociale kaart; an organisation outside the buurt asks for a
    reason first (a warning, not a refusal)."""
    _require_followup(request)
    moment = _contact_moment(request, request.POST.get("contact_moment") or request.GET.get("contactmoment"))
    warning = ""
    if request.method == "POST":
        form = _referral_form(request, request.POST, moment=moment)
        if form.is_valid():
            data = form.cleaned_data
            try:
                referral = services.referral_create(
                    user=request.user,
                    provider=data["provider"],
                    topic=data["topic"],
                    warm=data["warm"],
                    consent_to_share=data["consent_to_share"],
                    resident=data.get("resident"),
                    contact_moment=moment.pk if moment else None,
                    buurt=data.get("buurt"),
                    navragen_op=data.get("navragen_op"),
                    outside_buurt_reason=data.get("outside_buurt_reason", ""),
                )
            except PermissionRefused:
                raise PermissionDenied from None
            except OutsideBuurtWarning as exc:
                warning = exc.message
                form.add_error("outside_buurt_reason", _("Give a reason to refer there anyway."))
            except InvalidInput as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("Referral saved. Check back on %(date)s.") % {"date": referral.navragen_op})
                return redirect("followup:referral-detail", pk=referral.pk)
        context = {"form": form, "moment": moment, "warning": warning}
        return render(request, "followup/referral_form.html", context, status=422)
    initial = {"contact_moment": moment.pk if moment else None}
    default_buurt = contact_selectors.default_buurt_for(user=request.user)
    if default_buurt:
        initial["buurt"] = default_buurt
    form = _referral_form(request, moment=moment, initial=initial)
    return render(request, "followup/referral_form.html", {"form": form, "moment": moment, "warning": ""})


def referral_detail(request, pk: int):
    """A referral with its history; the referring worker records what they heard back."""
    _require_followup(request)
    referral = _referral_or_404(request, pk)
    form = ReferralStatusForm(request.POST or None, current=referral.status)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.referral_set_status(
                    user=request.user,
                    referral=referral,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                )
            except PermissionRefused:
                raise PermissionDenied from None
            except InvalidInput as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("Saved what you heard back."))
                return redirect("followup:referral-detail", pk=referral.pk)
        status = 422
    else:
        status = 200
        audit_record(
            actor=request.user,
            action="view",
            object_type="referral",
            object_id=referral.pk,
            area_code=referral.buurt_id,
        )
    context = {
        "referral": referral,
        "history": referral.status_changes.select_related("by"),
        "form": form,
        "can_change": permissions.can_change_referral(request.user, referral),
    }
    return render(request, "followup/referral_detail.html", context, status=status)


# Coordinators ----------------------------------------------------------------------------------------------


def team_view(request):
    """Open and overdue promises per worker and buurt, hand-overs and the kept-on-time rate per month — to learn
    from, not to rank."""
    _require_team(request)
    overview = selectors.team_overview(user=request.user)
    audit_record(actor=request.user, action="view", object_type="promise_team", detail={"rows": len(overview.rows)})
    context = {"overview": overview, "chart": charts.month_bars(overview.months)}
    return render(request, "followup/team.html", context)


def learning_view(request):
    """The learning dashboard: kept on time, days to keep, hearing back and "geholpen" per worker, team and buurt."""
    _require_team(request)
    learning = selectors.learning_dashboard(user=request.user)
    audit_record(actor=request.user, action="view", object_type="followup_learning", detail={})
    context = {"learning": learning, "chart": charts.month_bars(learning.months)}
    return render(request, "followup/learning.html", context)


def badge(request):
    """The badge count as a tiny fragment (htmx can refresh it)."""
    count = selectors.badge_count(user=request.user)
    return HttpResponse(str(count), content_type="text/plain; charset=utf-8")
