"""Under /account/tweestapsverificatie/, names in the `accounts` namespace."""

from django.urls import path

from nabij.accounts.mfa import views, webauthn

urlpatterns = [
    path("", views.overview, name="mfa-overview"),
    path("controle/", views.verify, name="mfa-verify"),
    path("herstelcode/", views.verify_recovery, name="mfa-verify-recovery"),
    path("instellen/", views.setup, name="mfa-setup"),
    path("app/", views.totp_setup, name="mfa-totp-setup"),
    path("herstelcodes/", views.recovery_codes, name="mfa-recovery-codes"),
    path("herstelcodes/nieuw/", views.recovery_renew, name="mfa-recovery-renew"),
    path("passkeys/<int:pk>/verwijderen/", views.passkey_remove, name="mfa-passkey-remove"),
    path("passkey/registreren/start/", webauthn.RegistrationBeginView.as_view(), name="mfa-passkey-register-begin"),
    path(
        "passkey/registreren/klaar/", webauthn.RegistrationCompleteView.as_view(), name="mfa-passkey-register-complete"
    ),
    path("passkey/controle/start/", webauthn.AuthenticationBeginView.as_view(), name="mfa-passkey-auth-begin"),
    path("passkey/controle/klaar/", webauthn.AuthenticationCompleteView.as_view(), name="mfa-passkey-auth-complete"),
    path("passkey/teksten.js", webauthn.passkey_script_catalog, name="mfa-passkey-catalog"),
]
