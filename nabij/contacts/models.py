"""Presence in the buurt: planned and walked rounds, contact moments, observations and pseudonymous residents.

Free text (notes, resident labels) is stored de-identified only (see services). Residents carry no name,
address, phone, e-mail or BSN: a worker-chosen label and the consent to keep their data.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nabij.core.concurrency import Versioned
from nabij.core.models import OrganisationOwned, TimeStampedModel

NOTE_MAX_LENGTH = 2000


class Channel(models.TextChoices):
    STRAAT = "straat", _("On the street")
    HUISBEZOEK = "huisbezoek", _("Home visit")
    SPREEKUUR = "spreekuur", _("Drop-in hours")
    TELEFOON = "telefoon", _("Phone")
    BUURTHUIS = "buurthuis", _("Community centre")
    ACTIVITEIT = "activiteit", _("Activity")
    DIGITAAL = "digitaal", _("App or e-mail")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class RoundPlan(TimeStampedModel):
    """A weekly round as planned, e.g. "dinsdag 10–12, Rietlanden en De Akkers"."""

    name = models.CharField(_("name"), max_length=200)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    buurten = models.ManyToManyField("areas.Buurt", related_name="round_plans", verbose_name=_("buurten"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="round_plans",
        verbose_name=_("owner"),
        help_text=_("The worker who usually walks this round."),
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="round_plans",
        verbose_name=_("team"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("planned round")
        verbose_name_plural = _("planned rounds")
        ordering = ["weekday", "start_time", "name"]

    def __str__(self) -> str:
        return self.name


class Round(TimeStampedModel):
    """A round as walked: started and ended on the phone; what was logged during it hangs off it."""

    plan = models.ForeignKey(
        RoundPlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rounds",
        verbose_name=_("planned round"),
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("worker")
    )
    buurten = models.ManyToManyField("areas.Buurt", related_name="rounds", verbose_name=_("buurten"))
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["worker", "-started_at"], name="round_worker_time")]

    def __str__(self) -> str:
        return f"{self.plan or _('Round')} {self.started_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class Resident(OrganisationOwned, TimeStampedModel):
    """A resident, pseudonymously: a label the worker chooses, never a name, address, phone, e-mail or BSN."""

    label = models.CharField(
        _("label"),
        max_length=200,
        help_text=_('A description without a name, e.g. "bewoonster Rietlanden, energietoeslag".'),
    )
    buurt = models.ForeignKey(
        "areas.Buurt", on_delete=models.PROTECT, related_name="residents", verbose_name=_("buurt")
    )
    consent = models.BooleanField(
        _("consent to keep data"), default=False, help_text=_("The resident agreed that we keep their contacts.")
    )
    consent_date = models.DateField(_("consent date"), null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent recorded by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class ResidentConsent(OrganisationOwned):
    """One moment the resident gave (or withdrew) consent to be followed over time (AVG art. 6 and 7): the
    history shows when, recorded by whom, for which organisation. `Resident.consent` is the current state;
    this is how it came about. Withdrawal erases the resident, and this history with it (CASCADE)."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="consents", verbose_name=_("resident")
    )
    given = models.BooleanField(_("consent given"), help_text=_("Yes: consent given; no: consent withdrawn."))
    at = models.DateTimeField(_("when"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("consent of a resident")
        verbose_name_plural = _("consents of residents")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.resident_id} {self.given} {self.at:%Y-%m-%d}"


class ContactMoment(Versioned, OrganisationOwned, TimeStampedModel):
    """One conversation with a resident (or residents) in a buurt. The note is stored de-identified only. It can
    be corrected afterwards (AVG art. 16), so it carries a version: two corrections never overwrite each other."""

    buurt = models.ForeignKey(
        "areas.Buurt", on_delete=models.PROTECT, related_name="contact_moments", verbose_name=_("buurt")
    )
    occurred_at = models.DateTimeField(_("when"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    topics = models.ManyToManyField(
        "core.Topic", through="ContactMomentTopic", related_name="contact_moments", verbose_name=_("topics")
    )
    note = models.TextField(
        _("note"), max_length=NOTE_MAX_LENGTH, blank=True, help_text=_("Stored de-identified, never as typed.")
    )
    resident = models.ForeignKey(
        Resident,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_moments",
        verbose_name=_("resident"),
    )
    needs_follow_up = models.BooleanField(_("needs follow-up"), default=False)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="contact_moments",
        verbose_name=_("worker"),
    )
    round = models.ForeignKey(
        Round,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_moments",
        verbose_name=_("round"),
    )

    class Meta:
        verbose_name = _("contact moment")
        verbose_name_plural = _("contact moments")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # Covering on PostgreSQL: a timeline page (its keys, its total and the worker filter's ids) reads only
            # this index, however long the buurt's history (docs/decisions/0103-contacts-page-costs-round-two.md).
            models.Index(fields=["buurt", "-occurred_at", "-id"], include=["worker"], name="contact_buurt_time_worker"),
            models.Index(fields=["worker", "-occurred_at"], name="contact_worker_time"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.buurt_id} {self.channel}"


class ContactMomentTopic(models.Model):
    """The link from a contact moment to its topics; PROTECT keeps used topics from being deleted."""

    contact_moment = models.ForeignKey(ContactMoment, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey("core.Topic", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("topic of a contact moment")
        verbose_name_plural = _("topics of contact moments")
        constraints = [models.UniqueConstraint(fields=["contact_moment", "topic"], name="contact_topic_unique")]
        indexes = [models.Index(fields=["topic", "contact_moment"], name="contact_topic_topic")]

    def __str__(self) -> str:
        return f"{self.contact_moment_id} · {self.topic_id}"


class Signal(Versioned, OrganisationOwned, TimeStampedModel):
    """An observation without a person: a broken street light, litter, youths at a playground. Its status is
    changed afterwards (by colleagues too), so it carries a version: two status changes never overwrite each
    other silently."""

    class Status(models.TextChoices):
        GEMELD = "gemeld", _("Reported")
        DOORGEZET = "doorgezet", _("Passed on")
        OPGELOST = "opgelost", _("Solved")

    buurt = models.ForeignKey("areas.Buurt", on_delete=models.PROTECT, related_name="signals", verbose_name=_("buurt"))
    topic = models.ForeignKey("core.Topic", on_delete=models.PROTECT, related_name="signals", verbose_name=_("topic"))
    note = models.TextField(
        _("note"), max_length=NOTE_MAX_LENGTH, blank=True, help_text=_("Stored de-identified, never as typed.")
    )
    occurred_at = models.DateTimeField(_("when"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.GEMELD)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="signals",
        verbose_name=_("reported by"),
    )
    round = models.ForeignKey(
        Round, on_delete=models.SET_NULL, null=True, blank=True, related_name="signals", verbose_name=_("round")
    )

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["buurt", "-occurred_at", "-id"], include=["worker"], name="signal_buurt_time_worker")
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.buurt_id} {self.topic_id}"


class Correction(models.Model):
    """A correction or deletion of a contact moment or an observation (AVG art. 16): who, when, why, which fields
    changed and the old buurt and topic codes, so that a theme count that moved can be explained. Never the old
    note: a corrected text is corrected because it was wrong, and keeping it would keep the error. The record is
    named by kind and id, not a foreign key, so the history outlives a deleted record."""

    class Kind(models.TextChoices):
        CONTACT_MOMENT = "contactmoment", _("contact moment")
        SIGNAL = "signal", _("observation")

    class Action(models.TextChoices):
        CORRECTED = "corrected", _("corrected")
        DELETED = "deleted", _("deleted")

    class Reason(models.TextChoices):
        # A choice, not free text: the reason must not bring back the personal details the correction removed.
        INCORRECT = "onjuist", _("It was recorded incorrectly")
        RESIDENT_REQUEST = "verzoek", _("At the resident's request")
        DUPLICATE = "dubbel", _("It was recorded twice")
        WRONG_PLACE = "verkeerd", _("It belongs to another buurt or person")
        NOT_NEEDED = "onnodig", _("It should not have been recorded")

    kind = models.CharField(_("kind of record"), max_length=20, choices=Kind.choices)
    record_id = models.PositiveBigIntegerField(_("record"))
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("organisation"),
        help_text=_("The data controller of the record."),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    fields = models.JSONField(_("changed fields"), default=list, blank=True)
    old_buurt = models.CharField(_("old buurt code"), max_length=10, blank=True)
    old_topics = models.JSONField(_("old topic codes"), default=list, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["kind", "record_id"], name="correction_record")]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id} {self.action} {self.at:%Y-%m-%d}"
