"""The sociale kaart: what a buurt already has — organisations, residents' initiatives, places and key figures.

"Strengthen, don't take over": initiatives keep a log of the support professionals gave them. Key figures are
residents and therefore personal data: a pseudonymous label, never a name; never public; deleted for real at
the resident's request (see services.key_figure_delete).

`search_text` on each searchable model holds Dutch word stems (nabij.language.wordforms) of its name,
description and topics, written by the services, so that search works the same on SQLite and PostgreSQL.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from nabij.core.concurrency import Versioned
from nabij.core.models import OrganisationOwned, TimeStampedModel

DESCRIPTION_MAX_LENGTH = 2000


class SearchVectorColumn(SearchVectorField):
    """A tsvector column on PostgreSQL; on SQLite a plain column that stays NULL (SQLite accepts any type name).

    Nabij does not list django.contrib.postgres in INSTALLED_APPS (it runs on SQLite too) and a tsvector column
    needs nothing from that app: its lookups and SearchRank are plain expressions. So the check that asks for
    the app is switched off here."""

    def _check_postgres_installed(self, *args):
        return []


class Need(models.TextChoices):
    """What would help an initiative."""

    RUIMTE = "ruimte", _("Space")
    GELD = "geld", _("Money")
    VRIJWILLIGERS = "vrijwilligers", _("Volunteers")
    BEKENDHEID = "bekendheid", _("Publicity")
    MATERIAAL = "materiaal", _("Materials")


class ReferralMethod(models.TextChoices):
    TELEFOON = "telefoon", _("Phone")
    EMAIL = "email", _("E-mail")
    FORMULIER = "formulier", _("Form")
    WARME_OVERDRACHT = "warme-overdracht", _("Warm handover")


class SocialMapItem(TimeStampedModel):
    """What organisations, initiatives and places share: a name, a plain description, topics and consent."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(
        _("description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        blank=True,
        help_text=_("What it is and does, in plain Dutch (B1)."),
    )
    is_public = models.BooleanField(
        _("may be shown publicly"),
        default=False,
        help_text=_("Only when they agreed to appear on the public page of the buurt."),
    )
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    # PostgreSQL only (a GIN index made by migration 0002); always NULL on SQLite. Kept up to date by the services
    # through nabij.assets.search_index, not by signals.
    search_vector = SearchVectorColumn(_("search vector"), null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Provider(Versioned, SocialMapItem):
    """An organisation that helps residents ("organisatie" in the UI and API): schuldhulp, taalhuis, Digi-café…

    Not to be confused with accounts.Organisation, the employer of staff users. Contact details are the
    organisation's own, never a private person's.
    """

    class Kind(models.TextChoices):
        SCHULDHULP = "schuldhulp", _("Debt counselling")
        DIGITAAL = "digitaal", _("Digital skills (Digi-café, Digisterker)")
        TAALHUIS = "taalhuis", _("Language centre")
        WIJKTEAM = "wijkteam", _("Social neighbourhood team")
        WONINGCORPORATIE = "woningcorporatie", _("Housing corporation")
        HUISARTS = "huisarts", _("GP practice")
        VOEDSELBANK = "voedselbank", _("Food bank")
        WELZIJN = "welzijn", _("Welfare organisation")
        OVERIG = "overig", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OVERIG)
    topics = models.ManyToManyField("core.Topic", blank=True, related_name="providers", verbose_name=_("helps with"))
    buurten = models.ManyToManyField(
        "areas.Buurt",
        blank=True,
        related_name="providers",
        verbose_name=_("buurten served"),
        help_text=_("Single buurten; leave empty when the organisation serves whole wijken."),
    )
    # A whole wijk means every buurt in it, also buurten added to the wijk later (issue 5). An organisation serves
    # at least one buurt or wijk; the services enforce that.
    wijken = models.ManyToManyField(
        "areas.Wijk",
        blank=True,
        related_name="providers",
        verbose_name=_("wijken served"),
        help_text=_("Whole wijken the organisation serves: every buurt in them."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True, help_text=_("The organisation's address."))
    # Not the owner of a record (the sociale kaart is not personal data): the organisation's own account when it
    # uses Nabij, so that a referral with the resident's consent reaches its staff (nabij.core.access).
    nabij_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="providers",
        verbose_name=_("uses Nabij as"),
        help_text=_("When this organisation works in Nabij: referrals with consent to share reach its staff."),
    )
    opening_hours = models.CharField(_("opening hours"), max_length=300, blank=True)
    referral_method = models.CharField(_("how to refer"), max_length=20, choices=ReferralMethod.choices, blank=True)
    referral_contact = models.CharField(
        _("contact point for referrals"),
        max_length=200,
        blank=True,
        help_text=_("A desk, team or function, e.g. 'intake schuldhulp'; not a private person."),
    )

    class Meta(SocialMapItem.Meta):
        verbose_name = _("organisation (social map)")
        verbose_name_plural = _("organisations (social map)")


class Initiative(SocialMapItem):
    """Something residents started themselves: a moestuin, koffieochtend, taalmaatjes, buurtpreventie."""

    class Status(models.TextChoices):
        IDEE = "idee", _("Idea")
        ACTIEF = "actief", _("Active")
        SLAPEND = "slapend", _("Dormant")
        GESTOPT = "gestopt", _("Stopped")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIEF)
    topics = models.ManyToManyField("core.Topic", blank=True, related_name="initiatives", verbose_name=_("topics"))
    buurten = models.ManyToManyField("areas.Buurt", related_name="initiatives", verbose_name=_("buurten"))
    needs = models.JSONField(
        _("what would help"), default=list, blank=True, help_text=_("Values from: space, money, volunteers…")
    )
    contact = models.CharField(
        _("how to reach them"),
        max_length=200,
        blank=True,
        help_text=_("A group e-mail or meeting time; a person's details only with their consent."),
    )

    class Meta(SocialMapItem.Meta):
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def need_labels(self) -> list[str]:
        labels = dict(Need.choices)
        return [str(labels[n]) for n in self.needs if n in labels]


class SupportLog(TimeStampedModel):
    """Support a professional gave an initiative: who did what, when. The initiative stays the residents'."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="support_logs", verbose_name=_("initiative")
    )
    given_on = models.DateField(_("date"))
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("given by"),
    )
    need = models.CharField(_("kind of support"), max_length=20, choices=Need.choices, blank=True)
    note = models.TextField(
        _("what was done"), max_length=DESCRIPTION_MAX_LENGTH, help_text=_("Write without names of residents.")
    )

    class Meta:
        verbose_name = _("support given")
        verbose_name_plural = _("support given")
        ordering = ["-given_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.initiative} {self.given_on}"


class Place(SocialMapItem):
    """A place where things happen: buurthuis, bibliotheek, speeltuin, gebedshuis, school, pleintje, bankje."""

    class Kind(models.TextChoices):
        BUURTHUIS = "buurthuis", _("Community centre")
        BIBLIOTHEEK = "bibliotheek", _("Library")
        SPEELTUIN = "speeltuin", _("Playground")
        GEBEDSHUIS = "gebedshuis", _("House of worship")
        SCHOOL = "school", _("School")
        PLEIN = "plein", _("Square")
        BANKJE = "bankje", _("Bench")
        OVERIG = "overig", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OVERIG)
    buurt = models.ForeignKey("areas.Buurt", on_delete=models.PROTECT, related_name="places", verbose_name=_("buurt"))
    topics = models.ManyToManyField("core.Topic", blank=True, related_name="places", verbose_name=_("topics"))
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    opening_hours = models.CharField(_("opening hours"), max_length=300, blank=True)
    wheelchair_accessible = models.BooleanField(_("wheelchair accessible"), default=False)
    has_toilet = models.BooleanField(_("toilet"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)

    class Meta(SocialMapItem.Meta):
        verbose_name = _("place")
        verbose_name_plural = _("places")


class KeyFigure(Versioned, OrganisationOwned, TimeStampedModel):
    """A resident who matters in the buurt, and their gifts ("kan goed koken", "spreekt Turks en Arabisch").

    Personal data: a pseudonymous label only, recorded consent, visible only inside the area scope to roles
    that may see personal data, never public and never in exports for others. Removed for real on request.
    """

    label = models.CharField(
        _("label"),
        max_length=200,
        help_text=_("A description without a name, e.g. 'buurtmoeder Rietlanden'."),
    )
    buurt = models.ForeignKey(
        "areas.Buurt", on_delete=models.PROTECT, related_name="key_figures", verbose_name=_("buurt")
    )
    role = models.CharField(_("role in the buurt"), max_length=200, blank=True)
    gifts = models.TextField(
        _("gifts"), max_length=DESCRIPTION_MAX_LENGTH, help_text=_("What they are good at or like to share.")
    )
    topics = models.ManyToManyField("core.Topic", blank=True, related_name="key_figures", verbose_name=_("topics"))
    consent_date = models.DateField(_("consent date"), help_text=_("When the resident agreed to be listed."))
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("consent recorded by"),
    )
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    search_vector = SearchVectorColumn(_("search vector"), null=True, editable=False)

    class Meta:
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class ImportBatch(models.Model):
    """A checked import file waiting for the user's confirmation: the parsed rows, never the raw file.

    Short-lived by design: a batch is deleted when it is confirmed and any batch older than
    IMPORT_BATCH_TTL is deleted at the next preview (and can no longer be confirmed)."""

    class Kind(models.TextChoices):
        ORGANISATIES = "organisaties", _("Organisations")
        INITIATIEVEN = "initiatieven", _("Initiatives")
        PLEKKEN = "plekken", _("Places")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    columns = models.JSONField(_("columns"), default=list, help_text=_("The recognised columns of the file."))
    rows = models.JSONField(_("rows"), default=list, help_text=_("Parsed rows: row number and cell values."))

    class Meta:
        verbose_name = _("import waiting for confirmation")
        verbose_name_plural = _("imports waiting for confirmation")

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"
