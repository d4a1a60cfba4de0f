from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base for domain records: when it was made and last changed, for audit and retention."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def owner_slug(self) -> str | None:
        """The owning organisation's slug, as the API shows it (`"organisatie"`); None for a record made before
        organisations owned their records and never claimed."""
        return self.organisation.slug if self.organisation_id else None


class OrganisationOwned(models.Model):
    """Base for every record with personal data: the organisation that owns it, its data controller under the AVG.

    That is the organisation of whoever recorded it (survey responses and project inputs: the organisation that
    owns the survey or project). Services set it from the recorder, never from the request; who may see the
    record is decided from it by the record's policy in `nabij.core.access`."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("organisation"),
        help_text=_("The data controller: the organisation that recorded it."),
    )

    class Meta:
        abstract = True


class CspReport(models.Model):
    """A browser's report that the Content Security Policy blocked something (nabij.core.csp_reports).

    Only what tells a developer what to fix is kept, nothing that points to a person: the directive, the blocked
    resource reduced to its origin or kind ("inline", "data"), the page's path without its query string, and the
    script's path and line. Never the client address, the user, the user agent or a query string. Kept 30 days
    (the retention purge, `NABIJ_RETENTION["cspmeldingen"]`)."""

    directive = models.CharField(_("directive"), max_length=60)
    blocked = models.CharField(_("blocked"), max_length=200, help_text=_("Origin or kind of what was blocked."))
    document_path = models.CharField(_("page"), max_length=300, blank=True)
    source_path = models.CharField(_("source file"), max_length=300, blank=True)
    line = models.PositiveIntegerField(_("line"), null=True, blank=True)
    enforced = models.BooleanField(_("blocked (not only reported)"), default=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("CSP report")
        verbose_name_plural = _("CSP reports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.directive} {self.blocked}"


class TaskWorker(models.Model):
    """A background worker's heartbeat (`manage.py db_worker`, nabij.core.workers): a task still marked running
    whose worker has not been seen for NABIJ_TASK_STALE_AFTER seconds is run again by a live one (decision 0023)."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    host = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    seen_at = models.DateTimeField(_("last seen"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"


class Topic(models.Model):
    """The controlled topic list every domain app tags with (contacts, sociale kaart, follow-up, questionnaires,
    projects, themes). Themes count on the slugs, so a used topic is never deleted, only deactivated."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True, help_text=_("Stable key used by the API."))
    label = models.CharField(_("label (Dutch)"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Inactive topics cannot be chosen."))
    position = models.PositiveSmallIntegerField(_("position"), default=100, help_text=_("Order in pickers."))

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["position", "label"]
        db_table = "contacts_topic"  # made by contacts before the topic list moved to the base layer (issue 15)

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        if self.label_en and translation.get_language() == "en":
            return self.label_en
        return self.label
