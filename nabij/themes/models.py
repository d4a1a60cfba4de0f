"""Themes: when one resident's question turns out to be the buurt's (issue 9).

`ThemeCount` is the materialised base: per source, buurt, topic and ISO week the number of distinct residents
(contacts without a resident count one each). It is kept current incrementally and can be rebuilt from scratch.
`Theme` is a proposal or a recognised theme at buurt, wijk or gemeente level; higher themes link their lower ones.
Nothing here is personal data: counts and de-identified keywords only.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nabij.core.models import TimeStampedModel


class ThemeCount(models.Model):
    """Distinct residents-or-contacts per source, buurt, topic, week (the Monday of the ISO week) and owning
    organisation."""

    source = models.CharField(_("source"), max_length=30, help_text=_("Where the count comes from, e.g. contacts."))
    # Derived rows, rebuilt from sources whose rows already reference valid buurten and topics: no database
    # foreign-key constraint, so a national rebuild does not check 1.3 million rows twice (Django still cascades).
    buurt = models.ForeignKey(
        "areas.Buurt",
        on_delete=models.CASCADE,
        related_name="theme_counts",
        verbose_name=_("buurt"),
        db_constraint=False,
    )
    topic = models.ForeignKey(
        "core.Topic",
        on_delete=models.CASCADE,
        related_name="theme_counts",
        verbose_name=_("topic"),
        db_constraint=False,
    )
    week = models.DateField(_("week"), help_text=_("Monday of the ISO week."))
    # Per owning organisation (issue 13): a viewer sees a figure exactly only when every record behind it is
    # their own organisation's inside their scope; the split lets one sum decide that. Null: records without an
    # owner (never anyone's own).
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
        help_text=_("The organisation that owns the records counted."),
        db_constraint=False,
    )
    count = models.PositiveIntegerField(_("count"), help_text=_("Distinct residents or contacts in that week."))

    class Meta:
        verbose_name = _("theme count")
        verbose_name_plural = _("theme counts")
        # Buurt first: every read and the incremental delete select by buurt (one buurt-week, or the buurten of a
        # gemeente), so this one index serves them all; a rebuild keeps a single index to fill (decision 0602).
        constraints = [
            models.UniqueConstraint(
                fields=["buurt", "topic", "week", "source", "organisation"], name="themecount_buurt_topic_week_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.buurt_id} {self.topic_id} {self.week} {self.organisation_id}: {self.count}"


class ThemeRefreshPending(models.Model):
    """A debounce marker: a refresh task for this buurt and week is queued and has not started yet."""

    buurt_code = models.CharField(_("buurt code"), max_length=10)
    week = models.DateField(_("week"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pending theme refresh")
        verbose_name_plural = _("pending theme refreshes")
        constraints = [models.UniqueConstraint(fields=["buurt_code", "week"], name="themerefresh_unique")]

    def __str__(self) -> str:
        return f"{self.buurt_code} {self.week}"


class Level(models.TextChoices):
    BUURT = "buurt", _("Buurt")
    WIJK = "wijk", _("Wijk")
    GEMEENTE = "gemeente", _("Gemeente")


class Theme(TimeStampedModel):
    """A topic that rose above the usual in an area: proposed by Nabij, decided on by a coordinator."""

    class Status(models.TextChoices):
        VOORGESTELD = "voorgesteld", _("Proposed")
        ERKEND = "erkend", _("Recognised")
        AANPAK = "aanpak", _("Being tackled")
        AFGEROND = "afgerond", _("Completed")
        AFGEWEZEN = "afgewezen", _("Rejected")

    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    area_code = models.CharField(_("area"), max_length=10, help_text=_("CBS code of the buurt, wijk or gemeente."))
    gemeente_code = models.CharField(_("gemeente"), max_length=6, help_text=_("CBS code of the gemeente."))
    area_name = models.CharField(_("area name"), max_length=200)
    topic = models.ForeignKey("core.Topic", on_delete=models.PROTECT, related_name="themes", verbose_name=_("topic"))
    period_start = models.DateField(_("period start"), help_text=_("Monday of the first week of the window."))
    period_end = models.DateField(_("period end"), help_text=_("Last day of the window."))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.VOORGESTELD)
    name = models.CharField(_("name"), max_length=200, blank=True, help_text=_("Given by the coordinator."))
    suggested_name = models.CharField(_("suggested name"), max_length=200, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True, help_text=_("Recurring words, best first."))
    named_observed = models.PositiveIntegerField(
        _("count when named"),
        null=True,
        blank=True,
        help_text=_("The observed count when the keywords and suggested name were last computed."),
    )
    observed = models.PositiveIntegerField(_("observed"), help_text=_("Distinct residents or contacts in the window."))
    expected = models.FloatField(_("expected"), help_text=_("What is usual for this area in a window this long."))
    p_value = models.FloatField(_("p-value"), help_text=_("Upper tail of the Poisson test."))
    active_weeks = models.PositiveSmallIntegerField(
        _("weeks"), default=0, help_text=_("Weeks from the first counted week of the rise to the last.")
    )
    explanation = models.CharField(_("explanation"), max_length=300)
    rise_signature = models.CharField(
        _("rise"), max_length=80, help_text=_("Level, area, topic and the week the rise was first seen.")
    )
    rise_open = models.BooleanField(
        _("rise ongoing"), default=True, help_text=_("False once the topic fell back to the usual level.")
    )
    last_detected_at = models.DateTimeField(_("last detected"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("higher theme"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["rise_signature"], name="theme_rise_unique")]
        indexes = [
            models.Index(fields=["level", "area_code", "topic"], name="theme_area_topic"),
            models.Index(fields=["status", "-created_at"], name="theme_status_time"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.suggested_name or str(self.topic)

    @property
    def is_open_for_decision(self) -> bool:
        return self.status == self.Status.VOORGESTELD


class ThemeAction(TimeStampedModel):
    """Something done about a theme. Generic (kind + id + label) so themes need not import higher apps."""

    class Kind(models.TextChoices):
        PROJECT = "project", _("Participation project")
        INITIATIVE = "initiatief", _("Supported initiative")
        REFERRAL_ROUTE = "verwijsroute", _("Referral route")
        COLLECTIVE = "collectief", _("Collective action")

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="actions", verbose_name=_("theme"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    object_id = models.PositiveIntegerField(
        _("linked record"), null=True, blank=True, help_text=_("Id of the project, initiative or organisation.")
    )
    label = models.CharField(
        _("description"), max_length=200, help_text=_('E.g. "Samen de energietoeslag aanvragen, 24 bewoners".')
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("linked by"),
    )

    class Meta:
        verbose_name = _("theme action")
        verbose_name_plural = _("theme actions")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.label
