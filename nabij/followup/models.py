"""Follow-up: promises made to residents and referrals to organisations on the sociale kaart.

Free text (what was promised, how it was kept, notes) is stored de-identified only (see services). The allowed
status changes are in `rules.py`; the services are the only writers.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nabij.core.concurrency import Versioned
from nabij.core.models import OrganisationOwned, TimeStampedModel
from nabij.followup import rules

DESCRIPTION_MAX_LENGTH = 300
NOTE_MAX_LENGTH = 1000


class Promise(OrganisationOwned, Versioned, TimeStampedModel):
    """Something a worker said they would do for a resident, an initiative or a group of residents."""

    class Status(models.TextChoices):
        OPEN = rules.PromiseStatus.OPEN, _("Open")
        NAGEKOMEN = rules.PromiseStatus.NAGEKOMEN, _("Kept")
        NIET_GELUKT = rules.PromiseStatus.NIET_GELUKT, _("Not managed")
        OVERGEDRAGEN = rules.PromiseStatus.OVERGEDRAGEN, _("Handed over")

    description = models.CharField(
        _("what was promised"),
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text=_("Short, without names; stored de-identified."),
    )
    buurt = models.ForeignKey("areas.Buurt", on_delete=models.PROTECT, related_name="promises", verbose_name=_("buurt"))
    resident = models.ForeignKey(
        "contacts.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="promises",
        verbose_name=_("resident"),
    )
    initiative = models.ForeignKey(
        "assets.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="promises",
        verbose_name=_("initiative"),
    )
    group_label = models.CharField(
        _("group of residents"),
        max_length=200,
        blank=True,
        help_text=_('A description without names, e.g. "ouders van het speelveld".'),
    )
    contact_moment = models.ForeignKey(
        "contacts.ContactMoment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="promises",
        verbose_name=_("contact moment"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="promises", verbose_name=_("owner")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    due_date = models.DateField(_("due date"), help_text=_("Overdue from the day after."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    kept_at = models.DateTimeField(_("kept at"), null=True, blank=True)
    kept_note = models.TextField(_("how it was kept"), max_length=NOTE_MAX_LENGTH, blank=True)
    failure_reason = models.TextField(_("why it did not work out"), max_length=NOTE_MAX_LENGTH, blank=True)
    resident_told = models.BooleanField(
        _("resident was told"), null=True, blank=True, help_text=_("Only when it did not work out.")
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("promise")
        verbose_name_plural = _("promises")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["owner", "status", "due_date"], name="promise_owner_status_due"),
            models.Index(fields=["buurt", "status", "due_date"], name="promise_buurt_status_due"),
            models.Index(fields=["due_date"], name="promise_due"),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_active(self) -> bool:
        return self.status in rules.PROMISE_ACTIVE

    @property
    def is_overdue(self) -> bool:
        """For pages and the API (`rules.promise_is_overdue`); lists filter with `rules.promise_overdue_q`."""
        return rules.promise_is_overdue(status=self.status, due_date=self.due_date)

    @property
    def recipient_label(self) -> str:
        if self.resident_id:
            return str(self.resident)
        if self.initiative_id:
            return str(self.initiative)
        return self.group_label


class PromiseHandover(models.Model):
    """One hand-over of a promise to a colleague; the history of who held it."""

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="handovers", verbose_name=_("promise"))
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("from")
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("to")
    )
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.promise_id}: {self.from_user_id} → {self.to_user_id}"


class Referral(OrganisationOwned, Versioned, TimeStampedModel):
    """A resident referred to an organisation on the sociale kaart, followed by hearing back how it went."""

    class Status(models.TextChoices):
        VERWEZEN = rules.ReferralStatus.VERWEZEN, _("Referred")
        CONTACT_GELEGD = rules.ReferralStatus.CONTACT_GELEGD, _("In contact")
        GEHOLPEN = rules.ReferralStatus.GEHOLPEN, _("Helped")
        NIET_GEHOLPEN = rules.ReferralStatus.NIET_GEHOLPEN, _("Not helped")
        ONBEKEND = rules.ReferralStatus.ONBEKEND, _("Unknown")

    provider = models.ForeignKey(
        "assets.Provider", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("organisation")
    )
    topic = models.ForeignKey("core.Topic", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("topic"))
    buurt = models.ForeignKey(
        "areas.Buurt", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("buurt")
    )
    resident = models.ForeignKey(
        "contacts.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("resident"),
    )
    contact_moment = models.ForeignKey(
        "contacts.ContactMoment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("contact moment"),
    )
    question = models.CharField(
        _("what the resident asks"),
        max_length=DESCRIPTION_MAX_LENGTH,
        blank=True,
        help_text=_(
            "Short, without names; stored de-identified. With the resident's consent the organisation referred to "
            "sees it, when it uses Nabij."
        ),
    )
    warm = models.BooleanField(
        _("warm referral"),
        default=False,
        help_text=_("Went along or introduced the resident; otherwise the resident got the details."),
    )
    consent_to_share = models.BooleanField(
        _("consent to share"), default=False, help_text=_("The resident agreed that we share their question.")
    )
    outside_buurt_reason = models.TextField(
        _("reason for an organisation outside the buurt"),
        max_length=NOTE_MAX_LENGTH,
        blank=True,
        help_text=_("Why this organisation, though it does not serve the buurt."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.VERWEZEN)
    navragen_op = models.DateField(_("check back on"), help_text=_("Ask the resident or organisation how it went."))
    heard_back_at = models.DateTimeField(_("heard back at"), null=True, blank=True)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("worker")
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["navragen_op", "id"]
        indexes = [
            models.Index(fields=["worker", "status", "navragen_op"], name="referral_worker_status"),
            models.Index(fields=["buurt", "status"], name="referral_buurt_status"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} · {self.topic}"

    @property
    def is_to_check(self) -> bool:
        return self.status in rules.REFERRAL_TO_CHECK

    @property
    def is_overdue(self) -> bool:
        """Navragen is overdue from the day after the navragen date, like a promise (`rules.referral_is_overdue`)."""
        return rules.referral_is_overdue(status=self.status, navragen_op=self.navragen_op)


class ReferralStatusChange(models.Model):
    """The status history of a referral: what was heard back, when, and from whom."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("referral")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Referral.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Referral.Status.choices)
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("referral status change")
        verbose_name_plural = _("referral status changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.from_status} → {self.to_status}"


class DigestSent(models.Model):
    """The claim on one person's morning digest for one day: the unique row is what makes a second send impossible,
    also when the job runs twice or a worker restarts mid-run."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    day = models.DateField(_("day"))
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    item_count = models.PositiveIntegerField(_("items"), default=0)

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_per_user_per_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"
