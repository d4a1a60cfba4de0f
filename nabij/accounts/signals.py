"""Audit of logins, logouts and failed logins: a decoupled side effect of Django's auth signals; and the scope
version of a user, raised on every change of their area scope.

A failed login is recorded with the account that was tried (issue 14, ASVS 16): the account as object and its
address, filed under its organisation, so its beheerders notice a run of failures. Never the attempted password,
and never a typed address that belongs to no account.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from nabij.accounts.models import Organisation, SharingAgreement, User
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
    """A failed login (wrong password, locked out, or a wrong second-factor code) is filed under the account that
    was tried, so its beheerders and the user can see someone tried it: the account as object, its e-mail address
    in the detail. A typed address that belongs to no account is never stored (it may be a typo of someone else's
    address, or a guess), and neither is any password or code."""
    username = (credentials or {}).get("username") or (credentials or {}).get("email") or ""
    account = None
    if isinstance(username, str) and username.strip():
        account = User.objects.filter(email__iexact=username.strip()).only("pk", "email", "organisation_id").first()
    detail = {"locked": True} if request is not None and getattr(request, "axes_locked_out", False) else {}
    if account is not None:
        detail["email"] = account.email
    audit_record(
        actor=None,
        action=AuditEvent.Action.LOGIN_FAILED,
        object_type="user",
        object_id=account.pk if account is not None else "",
        result=AuditEvent.Result.DENIED,
        detail=detail,
        organisation_id=account.organisation_id if account is not None else None,
    )


def scope_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Any add, remove or clear of a scope M2M (services, admin, demo, factories) raises the scope version.
    Writes straight into the through tables (bulk_create) bypass this: use them only for new users."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    from nabij.accounts.services import user_scope_version_bump

    if reverse:  # an area's users changed (the scope M2Ms have no reverse manager, but the through model may)
        user_scope_version_bump(user_ids=pk_set or ())
    else:
        user_scope_version_bump(user_ids=[instance.pk], instance=instance)


for _relation in ("scope_gemeenten", "scope_wijken", "scope_buurten"):
    m2m_changed.connect(
        scope_changed, sender=getattr(User, _relation).through, dispatch_uid=f"nabij_scope_version_{_relation}"
    )


@receiver(post_save, sender=SharingAgreement, dispatch_uid="nabij_sharing_version_save")
@receiver(post_delete, sender=SharingAgreement, dispatch_uid="nabij_sharing_version_delete")
def sharing_version_raise(sender, instance, **kwargs):
    """Any change to an agreement (proposed, accepted, ended, buurten changed) moves both organisations'
    `sharing_version` on, so the cached agreements of both are read afresh (`core.access.shares_for`)."""
    Organisation.objects.filter(pk__in=[instance.proposer_id, instance.partner_id]).update(
        sharing_version=F("sharing_version") + 1
    )


@receiver(m2m_changed, sender=SharingAgreement.buurten.through, dispatch_uid="nabij_sharing_version_buurten")
def sharing_version_raise_on_buurten(sender, instance, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, SharingAgreement):
        sharing_version_raise(sender=SharingAgreement, instance=instance)
