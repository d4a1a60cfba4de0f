"""The second-factor pages: the verify step after the password, enrolment on a first login, the user's own
"Tweestapsverificatie" page and the beheerder's reset of a colleague's second factor. Thin: the rules are in
`rules.py`, the writes in `services.py`."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nabij.accounts import selectors as account_selectors
from nabij.accounts.mfa import rules, selectors, services
from nabij.accounts.mfa.forms import AppCodeForm, FreshCodeForm, RecoveryCodeForm
from nabij.accounts.mfa.rules import second_factor_not_required
from nabij.core import permissions
from nabij.core.exceptions import ApplicationError
from nabij.core.http import safe_next
from nabij.privacy.models import AuditEvent
from nabij.privacy.refusals import require

NEW_CODES_SESSION_KEY = "nabij_mfa_new_codes"
NEXT_SESSION_KEY = "nabij_mfa_next"

# The verify and enrolment steps show no menu: every entry would lead back here until the step is done.
_NO_MENU = {"nav_items": []}


def _home() -> str:
    return reverse("core:home")


def _next(request) -> str:
    return safe_next(request, fallback=request.session.get(NEXT_SESSION_KEY) or _home())


def _remember_next(request) -> str:
    target = safe_next(request, fallback="")
    if target:
        request.session[NEXT_SESSION_KEY] = target
    return target or request.session.get(NEXT_SESSION_KEY, "")


def _passkey_config(request) -> dict:
    """The settings django-otp-webauthn's scripts read from `#otp_webauthn_config` (our own URLs)."""
    from django.middleware import csrf

    return {
        "autocompleteLoginFieldSelector": None,
        "nextFieldSelector": "input[name='next']",
        "csrfToken": csrf.get_token(request),
        "beginAuthenticationUrl": reverse("accounts:mfa-passkey-auth-begin"),
        "completeAuthenticationUrl": reverse("accounts:mfa-passkey-auth-complete"),
        "beginRegistrationUrl": reverse("accounts:mfa-passkey-register-begin"),
        "completeRegistrationUrl": reverse("accounts:mfa-passkey-register-complete"),
    }


def _code_error(form, exc: ApplicationError) -> None:
    form.add_error("code" if exc.field == "code" else None, exc.message)


# --- The second step after the password ---------------------------------------------------------------------


@second_factor_not_required
def verify(request):
    """Step two of logging in: the code from the app, a passkey, or (linked) a recovery code."""
    if rules.is_verified(request.user):
        return redirect(_next(request))
    if not rules.has_second_factor(request.user):
        return redirect(rules.next_step_url(request.user, next_url=safe_next(request, fallback="")))
    summary = selectors.second_factor_summary(user=request.user)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_verify(request=request, code=form.cleaned_data["code"])
        except ApplicationError as exc:
            _code_error(form, exc)
        else:
            return redirect(_next(request))
    return render(
        request,
        "accounts/mfa/verify.html",
        {
            **_NO_MENU,
            "form": form,
            "summary": summary,
            "next": safe_next(request, fallback=""),
            "passkey_config": _passkey_config(request) if summary.passkeys else None,
        },
    )


@second_factor_not_required
def verify_recovery(request):
    """Step two with a recovery code, for a lost or forgotten phone. The code is used up."""
    if rules.is_verified(request.user):
        return redirect(_next(request))
    form = RecoveryCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recovery_code_verify(request=request, code=form.cleaned_data["code"])
        except ApplicationError as exc:
            _code_error(form, exc)
        else:
            left = selectors.second_factor_summary(user=request.user).recovery_codes_left
            if left <= 3:
                messages.warning(
                    request,
                    _("You have %(count)s recovery codes left. Make new ones on the page Two-step verification.")
                    % {"count": left},
                )
            return redirect(_next(request))
    return render(
        request,
        "accounts/mfa/verify_recovery.html",
        {**_NO_MENU, "form": form, "next": safe_next(request, fallback="")},
    )


# --- Enrolment ----------------------------------------------------------------------------------------------


def _may_enrol(request) -> bool:
    """Setting up a factor needs a verified session, except for the very first one (after the password)."""
    return rules.is_verified(request.user) or not rules.has_second_factor(request.user)


@second_factor_not_required
def setup(request):
    """The first login without a second factor: what it is and why, then the app (or a passkey)."""
    if rules.is_verified(request.user):
        return redirect("accounts:mfa-overview")
    if rules.has_second_factor(request.user):
        return redirect(rules.next_step_url(request.user, next_url=safe_next(request, fallback="")))
    _remember_next(request)
    return render(
        request,
        "accounts/mfa/setup.html",
        {**_NO_MENU, "passkey_config": _passkey_config(request), "done_url": reverse("accounts:mfa-recovery-codes")},
    )


@second_factor_not_required
def totp_setup(request):
    """Set up an authenticator app: scan the QR code (or type the secret), confirm with the first code. A new app
    replaces the old one only once its first code is confirmed."""
    if not _may_enrol(request):
        return redirect(rules.next_step_url(request.user))
    enrolling = not rules.is_verified(request.user)
    if request.method == "POST" and request.POST.get("restart"):
        services.totp_device_restart(user=request.user)
        return redirect("accounts:mfa-totp-setup")
    device = services.totp_device_start(user=request.user)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_device_confirm(request=request, device=device, code=form.cleaned_data["code"])
        except ApplicationError as exc:
            _code_error(form, exc)
        else:
            if not request.user.staticdevice_set.exists():
                request.session[NEW_CODES_SESSION_KEY] = services.recovery_codes_make(user=request.user)
                return redirect("accounts:mfa-recovery-codes")
            messages.success(request, _("Your app is set up. Log in with its codes from now on."))
            return redirect("accounts:mfa-overview")
    return render(
        request,
        "accounts/mfa/totp_setup.html",
        {
            **(_NO_MENU if enrolling else {}),
            "form": form,
            "enrolling": enrolling,
            "qr": selectors.totp_qr_data_uri(device),
            "secret_groups": selectors.totp_secret_groups(device),
        },
    )


@second_factor_not_required
def recovery_codes(request):
    """New recovery codes, shown once. Right after the first app or passkey the user gets them here; after that
    only through "Make new recovery codes" (which needs a fresh code)."""
    if not rules.is_verified(request.user):
        return redirect(rules.next_step_url(request.user))
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    if codes is None and not request.user.staticdevice_set.exists():
        codes = services.recovery_codes_make(user=request.user)
    return render(
        request,
        "accounts/mfa/recovery_codes.html",
        {"codes": codes, "next": request.session.pop(NEXT_SESSION_KEY, "") or _home()},
    )


# --- The user's own page ------------------------------------------------------------------------------------


def overview(request):
    """ "Tweestapsverificatie": the user's app, passkeys and recovery codes, and what they can change."""
    summary = selectors.second_factor_summary(user=request.user)
    return render(
        request,
        "accounts/mfa/overview.html",
        {
            "summary": summary,
            "renew_form": FreshCodeForm(),
            "passkey_config": _passkey_config(request),
            "done_url": reverse("accounts:mfa-overview"),
        },
    )


@require_POST
def recovery_renew(request):
    form = FreshCodeForm(request.POST)
    if form.is_valid():
        try:
            request.session[NEW_CODES_SESSION_KEY] = services.recovery_codes_renew(
                request=request, code=form.cleaned_data["code"]
            )
        except ApplicationError as exc:
            _code_error(form, exc)
        else:
            return redirect("accounts:mfa-recovery-codes")
    summary = selectors.second_factor_summary(user=request.user)
    return render(
        request,
        "accounts/mfa/overview.html",
        {
            "summary": summary,
            "renew_form": form,
            "passkey_config": _passkey_config(request),
            "done_url": reverse("accounts:mfa-overview"),
        },
        status=400,
    )


@require_POST
def passkey_remove(request, pk: int):
    try:
        services.passkey_remove(user=request.user, pk=pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Passkey removed."))
    return redirect("accounts:mfa-overview")


# --- A beheerder resets a colleague's second factor --------------------------------------------------------


def user_reset(request, pk: int):
    """Confirm, then remove every app, passkey and recovery code of a colleague (their phone was lost)."""
    require(
        permissions.can_manage_users(request.user),
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        object_type=services.OBJECT_TYPE,
    )
    other = account_selectors.user_get(user=request.user, pk=pk)  # NotVisible: 404, audited
    if request.method == "POST":
        try:
            services.second_factor_reset(by=request.user, user=other)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Two-step verification reset. They set it up again at their next login; they got an e-mail.")
            )
        return redirect("accounts:user-detail", pk=other.pk)
    summary = selectors.second_factor_summary(user=other)
    return render(request, "accounts/mfa/user_reset.html", {"other": other, "summary": summary})
