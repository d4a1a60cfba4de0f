"""Staff of welfare organisations, housing corporations and gemeenten, and the areas each may see.

Residents never have an account. Users log in by e-mail; their role decides what they may do, their area
scope (gemeenten, wijken, buurten) decides where (see nabij.core.permissions).
"""

from datetime import date, timedelta

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nabij.core.concurrency import Versioned


class Role(models.TextChoices):
    BUURTWERKER = "buurtwerker", _("Neighbourhood worker")
    COORDINATOR = "coordinator", _("Coordinator")
    # A context, because the organisation kind has the same English label but another Dutch one.
    CORPORATIE = "corporatie", pgettext_lazy("role", "Housing corporation")
    ANALIST = "analist", _("Analyst")
    BEHEERDER = "beheerder", _("Functional administrator")


class Organisation(models.Model):
    class Kind(models.TextChoices):
        WELZIJN = "welzijn", _("Welfare organisation")
        WONINGCORPORATIE = "woningcorporatie", _("Housing corporation")
        GEMEENTE = "gemeente", _("Municipality")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(
        _("short name"),
        max_length=60,
        unique=True,
        help_text=_("Names the organisation in the API (`organisatie`) and in exports."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Raised by every change to one of the organisation's samenwerkingsafspraken (accounts.signals): the
    # agreements in effect are cached under it, so a change is seen at the next request in every process.
    sharing_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="teams", verbose_name=_("organisation")
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_per_organisation")]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members", verbose_name=_("team")
    )
    scope_gemeenten = models.ManyToManyField(
        "areas.Gemeente", blank=True, related_name="+", verbose_name=_("gemeenten in scope")
    )
    scope_wijken = models.ManyToManyField("areas.Wijk", blank=True, related_name="+", verbose_name=_("wijken in scope"))
    scope_buurten = models.ManyToManyField(
        "areas.Buurt", blank=True, related_name="+", verbose_name=_("buurten in scope")
    )
    scope_version = models.PositiveIntegerField(
        _("scope version"),
        default=0,
        editable=False,
        help_text=_("Raised on every change of the area scope, so that a cached copy of the scope is never used."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("access to Django admin"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


def api_token_default_expiry():
    """A token works `NABIJ_API_TOKEN_DAYS` (90) days unless its owner chose otherwise; also the expiry the
    migration gave the tokens that existed before tokens expired."""
    from django.conf import settings

    return timezone.now() + timedelta(days=settings.NABIJ_API_TOKEN_DAYS)


class ApiToken(models.Model):
    """A Bearer token for the JSON API. Only a SHA-256 hash is stored; the token is shown once.

    It works until it expires or is revoked (by its owner or a beheerder of the owner's organisation), whichever
    comes first (`is_usable`); the record stays for the audit trail."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(
        _("name"), max_length=100, blank=True, help_text=_("What the token is for, e.g. the script that uses it.")
    )
    key_hash = models.CharField(_("hash"), max_length=64, unique=True)
    prefix = models.CharField(_("prefix"), max_length=8, help_text=_("First characters, to recognise a token."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), default=api_token_default_expiry)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    def is_usable(self, at=None) -> bool:
        """Neither revoked nor expired (the same rule as `api_token_authenticate`'s filter)."""
        return self.revoked_at is None and (at or timezone.now()) < self.expires_at

    @property
    def usable(self) -> bool:
        return self.is_usable()

    @property
    def expired(self) -> bool:
        return self.revoked_at is None and not self.is_usable()


class RecordKind(models.TextChoices):
    """The kinds of personal-data records a samenwerkingsafspraak can share (named in Dutch in the API)."""

    CONTACTMOMENTEN = "contactmomenten", _("Contact moments")
    WAARNEMINGEN = "waarnemingen", _("Observations")
    BEWONERS = "bewoners", _("Residents")
    BELOFTES = "beloftes", _("Promises")
    DOORVERWIJZINGEN = "doorverwijzingen", _("Referrals")
    SLEUTELFIGUREN = "sleutelfiguren", _("Key figures")
    ANTWOORDEN = "antwoorden", _("Questionnaire responses")
    INBRENG = "inbreng", _("Project input")


class AgreementStatus(models.TextChoices):
    """Where a samenwerkingsafspraak stands (named in Dutch in the API); `SharingAgreement.status` decides it."""

    WAITING = "wacht_op_akkoord", _("Waiting for acceptance")
    SCHEDULED = "gepland", _("Accepted, not started yet")
    IN_EFFECT = "van_kracht", _("In effect")
    EXPIRED = "verlopen", _("Expired")
    ENDED = "beeindigd", _("Ended")


class SharingAgreementQuerySet(models.QuerySet):
    def in_effect(self, on: date | None = None):
        """`SharingAgreement.is_in_effect` as a filter (the two are tested to agree)."""
        on = on or timezone.localdate()
        return self.filter(
            proposer_accepted_at__isnull=False,
            partner_accepted_at__isnull=False,
            ended_at__isnull=True,
            start_date__lte=on,
            end_date__gte=on,
        )

    def involving(self, organisation_id: int | None):
        return self.filter(models.Q(proposer_id=organisation_id) | models.Q(partner_id=organisation_id))


class SharingAgreement(Versioned):
    """A samenwerkingsafspraak: two organisations (each its own data controller under the AVG) share named
    kinds of records in named buurten, for a purpose and a period.

    It takes effect only when the beheerders of both organisations have accepted it, and either can end it at
    once. It works both ways: each organisation's staff see the other's records of the agreed kinds in the agreed
    buurten (within their own area scope). Nothing else widens access (see nabij.core.access)."""

    proposer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    partner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner"))
    buurten = models.ManyToManyField("areas.Buurt", related_name="+", verbose_name=_("buurten"))
    kinds = models.JSONField(_("record kinds"), default=list, help_text=_("Which kinds of records are shared."))
    purpose = models.TextField(_("purpose"), max_length=1000, help_text=_("Why the organisations share these records."))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    proposer_accepted_at = models.DateTimeField(_("accepted by the proposer at"), null=True, blank=True)
    proposer_accepted_by = models.ForeignKey(
        "User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("accepted by")
    )
    partner_accepted_at = models.DateTimeField(_("accepted by the partner at"), null=True, blank=True)
    partner_accepted_by = models.ForeignKey(
        "User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("accepted by")
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        "User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("ended by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    objects = SharingAgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("sharing agreement")
        verbose_name_plural = _("sharing agreements")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(proposer=models.F("partner")), name="agreement_two_organisations"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="agreement_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposer} ⇄ {self.partner}"

    def is_in_effect(self, on: date | None = None) -> bool:
        """In effect from the start date to the end date (both included), once both beheerders accepted, until
        either ends it."""
        on = on or timezone.localdate()
        return bool(
            self.proposer_accepted_at
            and self.partner_accepted_at
            and self.ended_at is None
            and self.start_date <= on <= self.end_date
        )

    def status(self, on: date | None = None) -> str:
        """Ended (by a beheerder) wins over everything; then waiting until both accepted; then scheduled before
        the start date, expired after the end date, else in effect (the same rule as `is_in_effect`)."""
        on = on or timezone.localdate()
        if self.ended_at is not None:
            return AgreementStatus.ENDED
        if not (self.proposer_accepted_at and self.partner_accepted_at):
            return AgreementStatus.WAITING
        if on < self.start_date:
            return AgreementStatus.SCHEDULED
        if on > self.end_date:
            return AgreementStatus.EXPIRED
        return AgreementStatus.IN_EFFECT

    @property
    def kind_labels(self) -> list[str]:
        return [str(RecordKind(kind).label) for kind in self.kinds or () if kind in RecordKind.values]

    @property
    def current_status(self) -> str:
        return self.status()

    @property
    def current_status_label(self) -> str:
        return AgreementStatus(self.status()).label

    def other(self, organisation_id: int | None) -> int | None:
        """The id of the other organisation, seen from `organisation_id`."""
        return self.partner_id if organisation_id == self.proposer_id else self.proposer_id
