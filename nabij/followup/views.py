"""Pages of the follow-up app: "Mijn beloftes" (phone first, htmx, works without JS), promise and referral forms,
the team view and the learning dashboard for coordinators.

Thin: parse, check permission, call a service or selector, render. What may be seen is the promise and referral
policies' rule (`nabij.core.access.followup`); the selectors audit every read. A record the user may not see
answers 404 with an audit refusal; a change they may not make gets 403; an edit on an older version than the
stored one shows the form again with what the colleague saved (409 without htmx).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nabij.areas import selectors as area_selectors
from nabij.assets import selectors as asset_selectors
from nabij.contacts import selectors as contact_selectors
from nabij.core import permissions
from nabij.core import selectors as core_selectors
from nabij.core.access.followup import promise_policy, referral_policy
from nabij.core.concurrency import StaleEdit
from nabij.core.exceptions import InvalidInput, PermissionRefused
from nabij.core.http import safe_next
from nabij.followup import charts, selectors, services
from nabij.followup.exceptions import OutsideBuurtWarning
from nabij.followup.forms import (
    FailForm,
    HandoverForm,
    KeepForm,
    PromiseForm,
    ReferralForm,
    ReferralStatusForm,
    apply_service_error,
)
from nabij.privacy.refusals import require


def _require_followup(request):
    require(permissions.can_use_followup(request.user), actor=request.user, action="view", object_type="promise")


def _require_team(request):
    require(
        permissions.can_view_followup_team(request.user),
        actor=request.user,
        action="view",
        object_type="promise_team",
    )


def _form_status(request) -> int:
    # htmx swaps only 2xx answers; without JavaScript the form comes back with 422.
    return 200 if request.htmx else 422


def _promise_or_404(request, pk: int, *, audit: bool = False):
    """The promise, for a page (`audit=True`: the read is audited) or for a change (its service audits)."""
    return selectors.promise_get(user=request.user, pk=pk, audit=audit)  # NotVisible: 404, audited


def _referral_or_404(request, pk: int, *, audit: bool = False):
    return selectors.referral_get(user=request.user, pk=pk, audit=audit)  # NotVisible: 404, audited


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
            services.promise_keep(
                user=request.user,
                promise=promise,
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except PermissionRefused:
            raise PermissionDenied from None
        except StaleEdit as exc:
            if not request.htmx:
                return _promise_page(request, exc.current, stale=exc, keep_form=form, status=409)
            promise, error = exc.current, _stale_message(exc)
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


def _stale_message(exc: StaleEdit) -> str:
    return exc.message


def _promise_page(request, promise, *, stale=None, keep_form=None, fail_form=None, status=200):
    """The promise page; after a stale edit it shows the promise as the colleague left it (their values) with the
    person's own input kept in the form, which now carries the current version."""
    basis = promise_policy.basis(request.user, promise)
    context = {
        "promise": promise,
        "shared": basis is not None and not basis.is_own,
        "handovers": selectors.handovers_for(promise=promise),
        "can_change": promise_policy.can_change(request.user, promise),
        "keep_form": keep_form or KeepForm(),
        "fail_form": fail_form or FailForm(),
        "stale": stale,
        # What the person typed stays in view, also when the colleague's change closed the form (kept, failed).
        "stale_input": _typed(keep_form, "note") or _typed(fail_form, "reason") if stale else "",
    }
    return render(request, "followup/promise_detail.html", context, status=status)


def _typed(form, name: str) -> str:
    return (form.cleaned_data.get(name) or "") if form is not None and form.is_bound and form.is_valid() else ""


def promise_detail(request, pk: int):
    _require_followup(request)
    promise = _promise_or_404(request, pk, audit=True)
    return _promise_page(request, promise)


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
                expected_version=form.cleaned_data["version"],
            )
        except PermissionRefused:
            raise PermissionDenied from None
        except StaleEdit as exc:
            return _promise_page(request, exc.current, stale=exc, fail_form=form, status=409)
        except InvalidInput as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Recorded as not managed."))
            return redirect("followup:my-promises")
    return _promise_page(request, promise, fail_form=form, status=422)


def promise_handover(request, pk: int):
    """Hand a promise to a colleague with a note; it shows in their "Mijn beloftes" at once."""
    _require_followup(request)
    promise = _promise_or_404(request, pk, audit=request.method != "POST")
    require(
        promise_policy.can_change(request.user, promise),
        actor=request.user,
        action="update",
        object_type="promise",
        object_id=pk,
    )
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
                    expected_version=form.cleaned_data["version"],
                )
            except StaleEdit as exc:
                context = {"form": form, "promise": exc.current, "stale": exc}
                return render(request, "followup/promise_handover.html", context, status=409)
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
        providers=asset_selectors.provider_list(user=request.user).select_related(None).only("id", "name"),
        topics=core_selectors.topic_list(),
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
                    question=data.get("question", ""),
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
    """A referral with its history. The referring worker records what they heard back, and so does the
    organisation referred to when the referral was shared with it (it sees this referral only)."""
    _require_followup(request)
    referral = _referral_or_404(request, pk, audit=request.method != "POST")
    form = ReferralStatusForm(request.POST or None, current=referral.status)
    stale = None
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.referral_set_status(
                    user=request.user,
                    referral=referral,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                    expected_version=form.cleaned_data["version"],
                )
            except PermissionRefused:
                raise PermissionDenied from None
            except StaleEdit as exc:
                stale, status = exc, 409
                referral = selectors.referral_get(user=request.user, pk=pk, audit=False)
                form = ReferralStatusForm(request.POST, current=referral.status)
            except InvalidInput as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("Saved what you heard back."))
                return redirect("followup:referral-detail", pk=referral.pk)
    context = {
        "referral": referral,
        "received": referral_policy.is_received(request.user, referral),
        "history": selectors.referral_history(referral=referral),
        "form": form,
        "can_change": referral_policy.can_record_hearing_back(request.user, referral),
        "stale": stale,
    }
    return render(request, "followup/referral_detail.html", context, status=status)


def referrals_received(request):
    """ "Ontvangen doorverwijzingen": referrals other organisations made to ours with the resident's consent —
    that referral only (topic, question, the resident's label, the worker's contact) — to pick up and to record
    hearing back."""
    _require_followup(request)
    referrals = selectors.received_referral_list(user=request.user)
    return render(request, "followup/referrals_received.html", {"referrals": referrals})


# Coordinators ----------------------------------------------------------------------------------------------


def team_view(request):
    """Open and overdue promises per worker and buurt, hand-overs and the kept-on-time rate per month — to learn
    from, not to rank."""
    _require_team(request)
    overview = selectors.team_overview(user=request.user)
    context = {"overview": overview, "chart": charts.month_bars(overview.months)}
    return render(request, "followup/team.html", context)


def learning_view(request):
    """The learning dashboard: kept on time, days to keep, hearing back and "geholpen" per worker, team and buurt."""
    _require_team(request)
    learning = selectors.learning_dashboard(user=request.user)
    context = {"learning": learning, "chart": charts.month_bars(learning.months)}
    return render(request, "followup/learning.html", context)


def badge(request):
    """The badge count as a tiny fragment (htmx can refresh it)."""
    count = selectors.badge_count(user=request.user)
    return HttpResponse(str(count), content_type="text/plain; charset=utf-8")
