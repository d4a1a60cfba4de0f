"""Participation projects without sham participation (issue 8).

A project states plainly what is fixed ("Dit staat vast") and what residents decide on ("Hierover beslist u
mee", each with its rung on the participation ladder, what is done with the input and when residents hear
back). Every input gets an answer within the project's answer term (working days, Dutch public holidays
counted); "Jij zei, wij deden" decisions link back to the inputs they answer.

Residents have no account: an input carries only de-identified text, an optional e-mail address that is
erased when the project ends, and a private reply link token. Household codes for renovation choices are
printed by the owner per complex; no address is stored in Nabij.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nabij.core.concurrency import Versioned
from nabij.core.models import OrganisationOwned, TimeStampedModel
from nabij.participation import rules

TEXT_MAX_LENGTH = 4000


class Project(Versioned, TimeStampedModel):
    class Kind(models.TextChoices):
        VERGROENING = "vergroening", _("Greening")
        RENOVATIE = "renovatie", _("Renovation")
        VERDUURZAMING = "verduurzaming", _("Making homes sustainable")
        SLOOP_NIEUWBOUW = "sloop-nieuwbouw", _("Demolition and new building")
        HERSTRUCTURERING = "herstructurering", _("Restructuring")
        SOCIALE_BUURTONTWIKKELING = "sociale-buurtontwikkeling", _("Social neighbourhood development")

    class Status(models.TextChoices):
        CONCEPT = "concept", _("Draft")
        GEPUBLICEERD = "gepubliceerd", _("Published")
        AFGEROND = "afgerond", _("Ended")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, help_text=_("The public address: /p/<slug>/."))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    summary = models.TextField(
        _("summary"), max_length=TEXT_MAX_LENGTH, help_text=_("What the project is about, in plain Dutch (B1).")
    )
    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="projects", verbose_name=_("owner")
    )
    buurten = models.ManyToManyField("areas.Buurt", related_name="projects", verbose_name=_("buurten"))
    topics = models.ManyToManyField("core.Topic", blank=True, related_name="projects", verbose_name=_("topics"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT)
    contact = models.TextField(
        _("contact"),
        max_length=1000,
        help_text=_("Who residents can contact: a team, an organisational phone number or e-mail, never private."),
    )
    answer_term_days = models.PositiveSmallIntegerField(
        _("answer term (working days)"),
        default=10,
        help_text=_("Every input is answered within this many working days."),
    )
    builds_on = models.TextField(
        _("builds on"),
        blank=True,
        max_length=TEXT_MAX_LENGTH,
        help_text=_(
            "What already exists in these buurten (from 'does this already exist?') that this project builds on."
        ),
    )
    is_household_vote = models.BooleanField(
        _("one vote per household"),
        default=False,
        help_text=_("Choices are made with the household code from the owner's letter (renovation projects)."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_below_b1 = models.BooleanField(_("published below B1"), default=False)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    emails_erased_at = models.DateTimeField(_("e-mail addresses erased at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status in {self.Status.GEPUBLICEERD, self.Status.AFGEROND}


class Phase(models.Model):
    """One step on the project's timeline."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="phases", verbose_name=_("project"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX_LENGTH)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Ladder(models.TextChoices):
    """The participation ladder (Arnstein, in the Dutch version of Edelenbos & Monnikhof)."""

    INFORMEREN = "informeren", _("Informing")
    RAADPLEGEN = "raadplegen", _("Consulting")
    ADVISEREN = "adviseren", _("Advising")
    COPRODUCEREN = "coproduceren", _("Co-producing")
    MEEBESLISSEN = "meebeslissen", _("Deciding together")


LADDER_ORDER = [choice.value for choice in Ladder]


class FrameItem(models.Model):
    """One statement of the frame: fixed ("Dit staat vast") or open ("Hierover beslist u mee")."""

    class Kind(models.TextChoices):
        VAST = "vast", _("This is fixed")
        OPEN = "open", _("You help decide on this")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="frame_items", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH, help_text=_("In plain Dutch (B1)."))
    ladder = models.CharField(
        _("participation level"),
        max_length=20,
        choices=Ladder.choices,
        blank=True,
        help_text=_("Only for open items: how much say residents have."),
    )
    with_input = models.TextField(
        _("what we do with your input"), blank=True, max_length=TEXT_MAX_LENGTH, help_text=_("Required for open items.")
    )
    hear_back = models.CharField(
        _("when you hear back"),
        blank=True,
        max_length=200,
        help_text=_("Required for open items, e.g. 'Voor 1 juni hoort u wat we kozen.'"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("frame item")
        verbose_name_plural = _("frame items")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_explained(self) -> bool:
        return self.kind == self.Kind.VAST or bool(self.with_input.strip() and self.hear_back.strip())


class FrameItemChange(models.Model):
    """A change to a frame item after the project was published. The frame is a promise to residents: when it
    changes, the public page says so and shows what it said before, so nobody is misled by a silent edit."""

    frame_item = models.ForeignKey(
        FrameItem, on_delete=models.CASCADE, related_name="changes", verbose_name=_("frame item")
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("changed by")
    )
    previous_text = models.TextField(
        _("previous text"), blank=True, max_length=TEXT_MAX_LENGTH, help_text=_("Empty when the item was added.")
    )
    previous_ladder = models.CharField(_("previous participation level"), max_length=20, blank=True)
    previous_with_input = models.TextField(_("previous 'what we do with your input'"), blank=True)
    previous_hear_back = models.CharField(_("previous 'when you hear back'"), max_length=200, blank=True)
    reason = models.CharField(
        _("reason"), max_length=300, blank=True, help_text=_("Why the frame changed, shown to residents.")
    )

    class Meta:
        verbose_name = _("frame item change")
        verbose_name_plural = _("frame item changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.frame_item_id} {self.changed_at:%Y-%m-%d}"

    @property
    def is_addition(self) -> bool:
        return not self.previous_text


class Choice(models.Model):
    """A choice within the frame ("Welke kleur krijgen de voordeuren?") with a fixed list of options."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="choices", verbose_name=_("project"))
    frame_item = models.ForeignKey(
        FrameItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="choices",
        verbose_name=_("frame item"),
    )
    question = models.CharField(_("question"), max_length=300)
    is_open = models.BooleanField(_("open for choices"), default=True)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.question


class ChoiceOption(models.Model):
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="options", verbose_name=_("choice"))
    label = models.CharField(_("label"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class HouseholdCode(models.Model):
    """A code printed in the owner's letter to one household of a complex. No address is kept in Nabij."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="household_codes", verbose_name=_("project")
    )
    complex_name = models.CharField(_("complex"), max_length=200)
    code = models.CharField(_("code"), max_length=20)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("household code")
        verbose_name_plural = _("household codes")
        ordering = ["complex_name", "code"]
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="household_code_unique_per_project")]

    def __str__(self) -> str:
        return self.code


class Input(OrganisationOwned, TimeStampedModel):
    """An idea, reaction or choice from a resident. Text is de-identified before it is stored."""

    class Kind(models.TextChoices):
        IDEE = "idee", _("Idea")
        REACTIE = "reactie", _("Reaction")
        KEUZE = "keuze", _("Choice")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="inputs", verbose_name=_("project"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    frame_item = models.ForeignKey(
        FrameItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="inputs", verbose_name=_("about")
    )
    text = models.TextField(_("text"), blank=True, max_length=TEXT_MAX_LENGTH)
    email = models.EmailField(
        _("e-mail address"), blank=True, help_text=_("Only to send the reply; erased when the project ends.")
    )
    reply_token = models.CharField(_("reply link token"), max_length=64, unique=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, blank=True)
    due_on = models.DateField(_("answer due on"), db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_inputs",
        verbose_name=_("assigned to"),
    )

    class Meta:
        verbose_name = _("input")
        verbose_name_plural = _("inputs")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="input_idempotency_key_unique_per_project",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_answered(self) -> bool:
        """Whether it has a reply (as far as the reply was read: a list reads it with the reply policy)."""
        return hasattr(self, "reply")

    @property
    def is_answer_overdue(self) -> bool:
        """For pages and the API: `rules.is_answer_overdue`."""
        return rules.is_answer_overdue(self.due_on, answered=self.is_answered)


class ChoiceVote(models.Model):
    """The option an input chose. With a household code, one vote per household per choice (the constraint
    holds even when two people use the same code at the same moment)."""

    input = models.ForeignKey(Input, on_delete=models.CASCADE, related_name="votes", verbose_name=_("input"))
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="votes", verbose_name=_("choice"))
    option = models.ForeignKey(ChoiceOption, on_delete=models.PROTECT, related_name="votes", verbose_name=_("option"))
    household_code = models.ForeignKey(
        HouseholdCode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="votes",
        verbose_name=_("household code"),
    )

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["choice", "household_code"], name="vote_one_per_household_per_choice")
        ]

    def __str__(self) -> str:
        return f"{self.choice_id}: {self.option_id}"


class Reply(OrganisationOwned, Versioned, TimeStampedModel):
    """The answer to one input, given once: a second reply changes this one, and what it said before is kept
    as a `ReplyVersion`, so the resident reads the current answer and staff can see how it changed."""

    input = models.OneToOneField(Input, on_delete=models.CASCADE, related_name="reply", verbose_name=_("input"))
    text = models.TextField(_("reply"), max_length=TEXT_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return self.text[:60]


class ReplyVersion(models.Model):
    """An earlier text of a reply, kept when a colleague changed it. It follows its reply (same organisation,
    same access policy) and is never shown to the resident, who reads only the current answer."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="versions", verbose_name=_("reply"))
    text = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    written_at = models.DateTimeField(_("written at"), help_text=_("When this text was saved."))
    replaced_at = models.DateTimeField(_("replaced at"), auto_now_add=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("replaced by"),
    )

    class Meta:
        verbose_name = _("earlier reply")
        verbose_name_plural = _("earlier replies")
        ordering = ["-replaced_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Decision(TimeStampedModel):
    """'Jij zei, wij deden': what residents said and what was done, linked to the inputs it answers."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("project"))
    you_said = models.TextField(_("you said"), max_length=TEXT_MAX_LENGTH)
    we_did = models.TextField(_("we did"), max_length=TEXT_MAX_LENGTH)
    decided_on = models.DateField(_("decided on"))
    inputs = models.ManyToManyField(Input, blank=True, related_name="decisions", verbose_name=_("inputs"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return self.we_did[:60]


class ResidentEvening(TimeStampedModel):
    """A bewonersavond: agenda, minutes in B1 and how many residents came (a count, never names)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="evenings", verbose_name=_("project"))
    held_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    agenda = models.TextField(_("agenda"), max_length=TEXT_MAX_LENGTH)
    minutes = models.TextField(_("minutes"), blank=True, max_length=TEXT_MAX_LENGTH)
    attendance = models.PositiveIntegerField(_("residents who came"), null=True, blank=True)

    class Meta:
        verbose_name = _("resident evening")
        verbose_name_plural = _("resident evenings")
        ordering = ["-held_at"]

    def __str__(self) -> str:
        return f"{self.place} {self.held_at:%Y-%m-%d}"
