"""Audit of logins, logouts and failed logins: a decoupled side effect of Django's auth signals.

A failed login records only that it failed: never the attempted password, never the e-mail address typed.
When the address belongs to an account, the event is filed under that account's organisation (so its
beheerders can notice a run of failures) without saying which account it was.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from nabij.accounts.models import User
from nabij.privacy.models import AuditEvent
from nabij.privacy.services import audit_record


@receiver(user_logged_in, dispatch_uid="nabij_audit_login")
def audit_login(sender, request, user, **kwargs):
    audit_record(actor=user, action=AuditEvent.Action.LOGIN, object_type="session")


@receiver(user_logged_out, dispatch_uid="nabij_audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is not None and user.is_authenticated:
        audit_record(actor=user, action=AuditEvent.Action.LOGOUT, object_type="session")


@receiver(user_login_failed, dispatch_uid="nabij_audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username") or (credentials or {}).get("email") or ""
    organisation_id = None
    if isinstance(username, str) and username:
        organisation_id = (
            User.objects.filter(email__iexact=username.strip()).values_list("organisation_id", flat=True).first()
        )
    audit_record(
        actor=None,
        action=AuditEvent.Action.LOGIN_FAILED,
        object_type="session",
        result=AuditEvent.Result.DENIED,
        organisation_id=organisation_id,
    )
