"""Questionnaires that residents fill in themselves, online, with a collector (buren vragen buren) or on paper.

A response stores no IP address, user agent or name: only its channel, the collector (a pseudonymous resident
label) when there was one, the paper form number, and the answers. Open answers are stored de-identified.
Answers point at a question and at an option's stable `value`, never at its wording, so later edits cannot
re-interpret them (see services and docs/decisions/0400-surveys-versioning.md).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nabij.core.concurrency import Versioned
from nabij.core.models import OrganisationOwned, TimeStampedModel

TEXT_SHORT_MAX = 200
TEXT_LONG_MAX = 2000
LANGUAGES = [("nl", "Nederlands"), ("en", "English"), ("tr", "Türkçe"), ("ar", "العربية"), ("pl", "Polski")]
RTL_LANGUAGES = {"ar"}
TRANSLATION_LANGUAGES = [code for code, _label in LANGUAGES if code != "nl"]
OTHER_VALUE = "anders"


class Survey(Versioned, TimeStampedModel):
    """A questionnaire. `version` (from Versioned) guards edits of its settings against a colleague's save;
    `questions_version` is what a response was given under (it goes up when questions change after the first
    response)."""

    class Status(models.TextChoices):
        DRAFT = "concept", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "gesloten", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=80, unique=True, help_text=_("Used in the public link."))
    buurten = models.ManyToManyField(
        "areas.Buurt", verbose_name=_("buurten"), related_name="surveys", help_text=_("The area it is about.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    welcome_text = models.TextField(_("welcome text"), blank=True, help_text=_("Shown before the first question."))
    closing_text = models.TextField(_("closing text"), blank=True, help_text=_("Shown after sending the answers."))
    privacy_text = models.TextField(
        _("privacy text"), blank=True, help_text=_("What happens with the answers, in plain language.")
    )
    next_steps_text = models.TextField(
        _("what happens next"), blank=True, help_text=_("Shown on the public results page once the survey closes.")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="surveys"
    )
    questions_version = models.PositiveIntegerField(
        _("questions version"), default=1, help_text=_("Goes up when questions change after the first response.")
    )
    # The questionnaire itself is not personal data; its organisation owns the responses, open answers and
    # collectors (nabij.core.access), and is set from the owner when the survey is made.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("organisation"),
        help_text=_("Owns the responses: the organisation of whoever made the questionnaire."),
    )

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    survey = models.ForeignKey(
        Survey, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "een", _("One choice")
        MULTIPLE = "meer", _("Several choices")
        SCALE = "schaal", _("Scale")
        NUMBER = "getal", _("Number")
        SHORT_TEXT = "kort", _("Short text")
        LONG_TEXT = "lang", _("Long text")
        TOP3 = "top3", _("Top 3")
        BUURT = "buurt", _("Buurt of the resident")

    CHOICE_KINDS = {Kind.SINGLE, Kind.MULTIPLE, Kind.TOP3}
    TEXT_KINDS = {Kind.SHORT_TEXT, Kind.LONG_TEXT}

    survey = models.ForeignKey(
        Survey, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="questions")
    key = models.SlugField(_("key"), max_length=20, help_text=_("Stable name of the question in exports and the API."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    allow_other = models.BooleanField(
        _("'other, namely'"), default=False, help_text=_("Multiple choice: add an 'other, namely' option with text.")
    )
    min_value = models.IntegerField(_("minimum"), null=True, blank=True, help_text=_("Number and scale questions."))
    max_value = models.IntegerField(_("maximum"), null=True, blank=True, help_text=_("Number and scale questions."))
    min_label = models.CharField(_("label of the low end"), max_length=60, blank=True)
    max_label = models.CharField(_("label of the high end"), max_length=60, blank=True)
    max_length = models.PositiveIntegerField(_("maximum length"), null=True, blank=True, help_text=_("Text questions."))
    show_if_question = models.ForeignKey(
        "self",
        verbose_name=_("show only if question"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dependants",
    )
    show_if_value = models.CharField(
        _("has the answer"), max_length=80, blank=True, help_text=_("The option value that shows this question.")
    )
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_("Per language code: text, help_text, min_label, max_label."),
    )
    version_added = models.PositiveIntegerField(_("added in version"), default=1)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["section__position", "section_id", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "key"], name="surveys_question_key_unique")]

    def __str__(self) -> str:
        return self.text

    @property
    def text_limit(self) -> int:
        default = TEXT_LONG_MAX if self.kind == self.Kind.LONG_TEXT else TEXT_SHORT_MAX
        return min(self.max_length or default, default)

    def translated(self, field: str, language: str) -> str:
        value = (self.translations or {}).get(language, {}).get(field, "")
        return value or getattr(self, field)


class Option(models.Model):
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options")
    value = models.SlugField(_("value"), max_length=80, help_text=_("Stable value stored with each answer."))
    label = models.CharField(_("label"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    translations = models.JSONField(_("translations"), default=dict, blank=True, help_text=_("Label per language."))

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["question", "value"], name="surveys_option_value_unique")]

    def __str__(self) -> str:
        return self.label

    def translated(self, language: str) -> str:
        return (self.translations or {}).get(language) or self.label


class Collector(OrganisationOwned, TimeStampedModel):
    """A resident who asks neighbours the questions (buren vragen buren): pseudonymous, no account."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="collectors"
    )
    label = models.CharField(
        _("label"), max_length=80, help_text=_("A name the team recognises, never a full name or address.")
    )
    buurt = models.ForeignKey("areas.Buurt", verbose_name=_("buurt"), on_delete=models.PROTECT, related_name="+")
    consent = models.BooleanField(_("consent"), default=False, help_text=_("The collector agreed to take part."))
    code = models.CharField(_("personal code"), max_length=16, unique=True)
    paused = models.BooleanField(_("paused"), default=False, help_text=_("A paused link accepts no answers."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("collector")
        verbose_name_plural = _("collectors")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Response(OrganisationOwned):
    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        COLLECTOR = "verzamelaar", _("Collector")
        PAPER = "papier", _("Paper")

    survey = models.ForeignKey(
        Survey, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="responses"
    )
    survey_version = models.PositiveIntegerField(_("questionnaire version"))
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    collector = models.ForeignKey(
        Collector,
        verbose_name=_("collector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
    )
    buurt = models.ForeignKey(
        "areas.Buurt",
        verbose_name=_("buurt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("From the buurt question, else the collector's buurt."),
    )
    form_number = models.CharField(_("form number"), max_length=20, blank=True, help_text=_("Paper forms only."))
    idempotency_key = models.CharField(_("idempotency key"), max_length=80, unique=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "form_number"], condition=~Q(form_number=""), name="surveys_response_form_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.pk}"


class Answer(OrganisationOwned):
    """One answer; a multiple-choice or top-3 answer is one row per chosen option (`rank` for the top 3)."""

    response = models.ForeignKey(Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers")
    # No single-column indexes on question or choice: the (question, choice) index serves every read (results
    # count per question and choice; its prefix serves the question look-ups), and each index costs every
    # submission a write (docs/decisions/0402-surveys-submission-cost.md).
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers", db_index=False
    )
    choice = models.CharField(_("choice"), max_length=80, blank=True)
    number = models.IntegerField(_("number"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True, help_text=_("De-identified before it is stored."))
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    topics = models.ManyToManyField("core.Topic", verbose_name=_("topics"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question", "choice"], name="surveys_answer_q_choice")]

    def __str__(self) -> str:
        return self.choice or self.text[:40] or str(self.number)
