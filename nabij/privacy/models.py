"""The audit trail: who read, searched, exported or changed personal data, and every refusal.

Append-only twice over: rows are never updated or deleted through the ORM, and database triggers refuse UPDATE,
DELETE and TRUNCATE on the table (migration 0005; the retention purge in `audit_chain` is the one controlled
exception). Each event carries the hash of the one before it, so an edit, a removal or an insertion behind the
triggers' back shows in `manage.py audit_verify` (docs/decisions/0022-audit-trail-triggers-and-hash-chain.md).

A migration that alters this table on SQLite rebuilds it and so drops its triggers: recreate them in the same
migration (`audit_chain.triggers_create`); `audit_verify` and a test fail when they are missing.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit events are append-only.")

    def delete(self):
        raise TypeError("Audit events are append-only.")


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        SEARCH = "search", _("searched")
        EXPORT = "export", _("exported")
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        LOGIN = "login", _("logged in")
        LOGOUT = "logout", _("logged out")
        LOGIN_FAILED = "login_failed", _("failed login")
        TOKEN = "token", _("API token created")

    class Result(models.TextChoices):
        OK = "ok", _("allowed")
        DENIED = "denied", _("refused")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # Kept when the user is removed, so the trail stays readable.
    actor_label = models.CharField(_("actor (as it was)"), max_length=254, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    # Whose records were read, searched or exported (their data controller), when not the actor's own: the owner's
    # beheerder sees the event too. `agreement_id` names the samenwerkingsafspraak the read relied on, if any.
    owner_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("records of"),
    )
    agreement_id = models.PositiveBigIntegerField(_("under sharing agreement"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    area_code = models.CharField(_("area"), max_length=10, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, default=Result.OK)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    # Set before the insert (not auto_now_add) because the hash covers it.
    created_at = models.DateTimeField(_("time"), default=timezone.now, editable=False, db_index=True)
    source_ip = models.GenericIPAddressField(
        _("source address"), null=True, blank=True, help_text=_("The address the request came from; empty for tasks.")
    )
    user_agent = models.CharField(
        _("browser"), max_length=255, blank=True, help_text=_("The user agent of the request; empty for tasks.")
    )
    prev_hash = models.CharField(_("previous hash"), max_length=64, default=GENESIS_HASH, editable=False)
    hash = models.CharField(_("hash"), max_length=64, default="", editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="audit_org_time"),
            models.Index(fields=["owner_organisation", "-created_at"], name="audit_owner_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        # Integrity, not business logic: an audit row once written is never changed.
        if not self._state.adding:
            raise TypeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit events are append-only.")


class AuditChain(models.Model):
    """The head of the audit hash chain, one row: the hash the next event links to, and the anchor where the
    chain starts after a retention purge (the hash of the last purged event).

    Appends lock this row (`select_for_update`) so that two processes writing at once cannot both link to the
    same event and fork the chain; on SQLite the IMMEDIATE transaction already serialises them. The row is not a
    safeguard by itself: `audit_verify` recomputes the whole chain from the events and only compares its end
    with `head_hash`, which reveals removed events at the end."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    head_hash = models.CharField(_("last hash"), max_length=64, default=GENESIS_HASH)
    head_event_id = models.PositiveBigIntegerField(_("last event"), null=True, blank=True)
    anchor_hash = models.CharField(_("anchor hash"), max_length=64, default=GENESIS_HASH)
    anchor_event_id = models.PositiveBigIntegerField(_("last purged event"), null=True, blank=True)
    purged_count = models.PositiveBigIntegerField(_("events purged"), default=0)
    purged_at = models.DateTimeField(_("last purge"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit chain")
        verbose_name_plural = _("audit chain")

    def __str__(self) -> str:
        return self.head_hash
