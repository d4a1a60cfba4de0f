"""django-otp-webauthn's ceremony endpoints, as Nabij uses them: a passkey is a second factor after the password
(passwordless login is off in settings), so each view needs a logged-in user; a failed passkey check counts as a
failed login like a wrong app code; a verified session gets a new session key."""

from __future__ import annotations

import json

from django.utils.decorators import method_decorator
from django.views.i18n import JavaScriptCatalog

from django_otp_webauthn import exceptions, views

from nabij.accounts.mfa import services
from nabij.accounts.mfa.rules import second_factor_not_required


@method_decorator(second_factor_not_required, name="dispatch")
class RegistrationBeginView(views.BeginCredentialRegistrationView):
    """Open to an unverified session only while the user has no device yet (the library refuses otherwise):
    that is enrolment with a passkey."""


@method_decorator(second_factor_not_required, name="dispatch")
class RegistrationCompleteView(views.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            pk = json.loads(response.content)["id"]
            device = services.WebAuthnCredential.objects.get(user=self.request.user, pk=pk)
            services.passkey_registered(request=self.request, device=device)
        return response


@method_decorator(second_factor_not_required, name="dispatch")
class AuthenticationBeginView(views.BeginCredentialAuthenticationView):
    pass


@method_decorator(second_factor_not_required, name="dispatch")
class AuthenticationCompleteView(views.CompleteCredentialAuthenticationView):
    def handle_exception(self, exc):
        user = getattr(self.request, "user", None)
        if isinstance(exc, exceptions.OTPWebAuthnApiError) and user is not None and user.is_authenticated:
            services.second_factor_failed(request=self.request, user=user)
        return super().handle_exception(exc)

    def complete_auth(self, device):
        super().complete_auth(device)
        services.session_verified_audit(request=self.request, device=device)


# The library's script translations (Dutch included), for the verify and enrolment pages.
passkey_script_catalog = second_factor_not_required(JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]))
