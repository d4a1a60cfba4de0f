"""Detail pages of a contact moment and an observation, with their correction and deletion (AVG art. 16).

Whoever may change the record by its policy sees the forms; everyone who may see it sees the record and its
correction history (who, when, why, which fields; never the old note). A correction that crosses a colleague's
comes back (409) with the record as it is now."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from nabij.areas import selectors as area_selectors
from nabij.contacts import selectors, services
from nabij.contacts.forms import ContactCorrectionForm, RecordDeleteForm, SignalCorrectionForm, apply_service_error
from nabij.contacts.models import Correction
from nabij.contacts.views.records import _require_viewer
from nabij.core import selectors as core_selectors
from nabij.core.access.contacts import contact_moment_policy, resident_policy, signal_policy
from nabij.core.concurrency import StaleEdit
from nabij.core.exceptions import InvalidInput, NotVisible, PermissionRefused


def _contact_or_404(request, pk: int, *, audit: bool = True):
    _require_viewer(request)
    try:
        return selectors.contact_moment_get(user=request.user, pk=pk, audit=audit)
    except NotVisible as exc:
        raise Http404 from exc


def _signal_or_404(request, pk: int, *, audit: bool = True):
    _require_viewer(request)
    try:
        return selectors.signal_get(user=request.user, pk=pk, audit=audit)
    except NotVisible as exc:
        raise Http404 from exc


def _contact_form(request, moment, data=None):
    initial = {
        "buurt": moment.buurt_id,
        "topics": [t.slug for t in moment.topics.all()],
        "note": moment.note,
        "version": moment.version,
    }
    return ContactCorrectionForm(
        data,
        initial=initial,
        buurten=area_selectors.buurt_choices(user=request.user),
        topics=core_selectors.active_topics(),
    )


def _contact_page(request, moment, *, form=None, delete_form=None, message="", status=200):
    can_change = contact_moment_policy.can_change(request.user, moment)
    resident = moment.resident if moment.resident_id else None
    context = {
        "contact": moment,
        "shown_resident": resident if resident and resident_policy.can_view(request.user, resident) else None,
        "corrections": selectors.corrections_for(kind=Correction.Kind.CONTACT_MOMENT, record_id=moment.pk),
        "can_change": can_change,
        "form": (form or _contact_form(request, moment)) if can_change else None,
        "delete_form": (delete_form or RecordDeleteForm(initial={"version": moment.version})) if can_change else None,
        "message": message,
        "corrected": request.GET.get("gecorrigeerd") == "1",
    }
    return render(request, "contacts/contact_detail.html", context, status=status)


def contact_detail(request, pk: int):
    """One contact moment (the read is audited), its corrections and, for whoever may change it, the forms."""
    return _contact_page(request, _contact_or_404(request, pk))


def _stale(exc: StaleEdit) -> str:
    return exc.message


@require_POST
def contact_correct(request, pk: int):
    moment = _contact_or_404(request, pk, audit=False)  # the correction itself is audited
    form = _contact_form(request, moment, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.contact_moment_correct(
                user=request.user,
                moment=moment,
                buurt=data["buurt"],
                topics=data["topics"],
                note=data["note"],
                reason=data["reason"],
                version=data["version"],
            )
        except PermissionRefused as exc:
            raise PermissionDenied from exc
        except StaleEdit as exc:
            current = _contact_or_404(request, pk, audit=False)
            return _contact_page(request, current, message=_stale(exc), status=409)
        except InvalidInput as exc:
            apply_service_error(form, exc)
        else:
            return redirect(reverse("contacts:contact-detail", args=[pk]) + "?gecorrigeerd=1")
    return _contact_page(request, moment, form=form, status=422)


@require_POST
def contact_delete(request, pk: int):
    moment = _contact_or_404(request, pk, audit=False)
    form = RecordDeleteForm(request.POST)
    if form.is_valid():
        target = (
            reverse("contacts:resident-detail", args=[moment.resident_id])
            if moment.resident_id
            else reverse("contacts:buurt-timeline", args=[moment.buurt_id])
        )
        try:
            services.contact_moment_delete(
                user=request.user,
                moment=moment,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except PermissionRefused as exc:
            raise PermissionDenied from exc
        except StaleEdit as exc:
            current = _contact_or_404(request, pk, audit=False)
            return _contact_page(request, current, message=_stale(exc), status=409)
        except InvalidInput as exc:
            apply_service_error(form, exc)
        else:
            return redirect(target)
    return _contact_page(request, moment, delete_form=form, status=422)


# Observations -----------------------------------------------------------------------------------------------


def _signal_form(request, signal, data=None):
    initial = {"buurt": signal.buurt_id, "topic": signal.topic.slug, "note": signal.note, "version": signal.version}
    return SignalCorrectionForm(
        data,
        initial=initial,
        buurten=area_selectors.buurt_choices(user=request.user),
        topics=core_selectors.topic_list(),
    )


def _signal_page(request, signal, *, form=None, delete_form=None, message="", status=200):
    can_change = signal_policy.can_change(request.user, signal)
    context = {
        "signal": signal,
        "corrections": selectors.corrections_for(kind=Correction.Kind.SIGNAL, record_id=signal.pk),
        "can_change": can_change,
        "form": (form or _signal_form(request, signal)) if can_change else None,
        "delete_form": (delete_form or RecordDeleteForm(initial={"version": signal.version})) if can_change else None,
        "message": message,
        "corrected": request.GET.get("gecorrigeerd") == "1",
    }
    return render(request, "contacts/signal_detail.html", context, status=status)


def signal_detail(request, pk: int):
    """One observation (the read is audited), its corrections and, for whoever may change it, the forms."""
    return _signal_page(request, _signal_or_404(request, pk))


@require_POST
def signal_correct(request, pk: int):
    signal = _signal_or_404(request, pk, audit=False)
    form = _signal_form(request, signal, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.signal_correct(
                user=request.user,
                signal=signal,
                buurt=data["buurt"],
                topic=data["topic"],
                note=data["note"],
                reason=data["reason"],
                version=data["version"],
            )
        except PermissionRefused as exc:
            raise PermissionDenied from exc
        except StaleEdit as exc:
            return _signal_page(request, _signal_or_404(request, pk, audit=False), message=_stale(exc), status=409)
        except InvalidInput as exc:
            apply_service_error(form, exc)
        else:
            return redirect(reverse("contacts:signal-detail", args=[pk]) + "?gecorrigeerd=1")
    return _signal_page(request, signal, form=form, status=422)


@require_POST
def signal_delete(request, pk: int):
    signal = _signal_or_404(request, pk, audit=False)
    form = RecordDeleteForm(request.POST)
    if form.is_valid():
        target = reverse("contacts:buurt-timeline", args=[signal.buurt_id])
        try:
            services.signal_delete(
                user=request.user,
                signal=signal,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except PermissionRefused as exc:
            raise PermissionDenied from exc
        except StaleEdit as exc:
            return _signal_page(request, _signal_or_404(request, pk, audit=False), message=_stale(exc), status=409)
        except InvalidInput as exc:
            apply_service_error(form, exc)
        else:
            return redirect(target)
    return _signal_page(request, signal, delete_form=form, status=422)
