"""The erasure pages of a resident file (AVG art. 17): "Weet je het zeker?" names what will be erased and asks
for a reason; erasing on request and withdrawn consent lead to the same page and the same service
(nabij.privacy.erasure). No JavaScript: a plain form."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nabij.contacts import selectors
from nabij.core.exceptions import NotVisible, PermissionRefused
from nabij.privacy.erasure import (
    REASON_MAX,
    InvalidReason,
    erasure_preview,
    resident_consent_withdraw,
    resident_erase,
    resident_erase_check,
)

CONSENT = "toestemming"


class ErasureForm(forms.Form):
    reden = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy('For the audit trail, without names, e.g. "verzoek van de bewoner per brief".'),
        error_messages={"required": gettext_lazy("Give the reason for erasing.")},
    )


def resident_erase_view(request, pk: int):
    """GET: what will be erased, and the form; POST: erase (on request, or because consent was withdrawn:
    `?grond=toestemming`). Only staff who may change the file get the page (others: 404 outside what they may
    see, else 403); the service checks again."""
    try:
        resident = selectors.resident_get(user=request.user, pk=pk)
        resident_erase_check(actor=request.user, resident=resident)
    except NotVisible as exc:
        raise Http404 from exc
    except PermissionRefused as exc:
        raise PermissionDenied from exc
    consent = (request.POST.get("grond") or request.GET.get("grond")) == CONSENT
    form = ErasureForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            erase = resident_consent_withdraw if consent else resident_erase
            try:
                erase(actor=request.user, resident=resident, reason=form.cleaned_data["reden"])
            except InvalidReason as exc:
                form.add_error("reden", exc.message)
            else:
                messages.success(request, _("The resident and everything kept about them has been erased."))
                return redirect("contacts:my-contacts")
        status = 422
    preview = [(kind.title, count) for kind, count in erasure_preview(resident=resident)]
    context = {"resident": resident, "form": form, "preview": preview, "consent": consent, "grond": CONSENT}
    return render(request, "contacts/resident_erase.html", context, status=status)
