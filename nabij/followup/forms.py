"""Forms parse input only; the rules live in services (their InvalidInput is mapped back onto these fields)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from nabij.core.concurrency import VersionField
from nabij.core.errors import form_errors
from nabij.followup import rules
from nabij.followup.models import DESCRIPTION_MAX_LENGTH, NOTE_MAX_LENGTH, Referral

# Service error field (API name) → form field name.
FIELD_MAP = {
    "omschrijving": "description",
    "deadline": "due_date",
    "eigenaar": "owner",
    "bewoner": "resident",
    "initiatief": "initiative",
    "groep": "group_label",
    "buurt": "buurt",
    "contactmoment": None,
    "toelichting": "note",
    "reden": "reason",
    "verwezen_naar": "provider",
    "vraag": "question",
    "onderwerp": "topic",
    "toestemming": "consent_to_share",
    "navragen_op": "navragen_op",
    "afwijking_reden": "outside_buurt_reason",
    "status": "status",
}


def apply_service_error(form: forms.Form, exc) -> None:
    """Show a service's InvalidInput next to the field it names (or above the form)."""
    form_errors(form, exc, FIELD_MAP)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


DUE_CHOICES = [
    ("vandaag", _("Today")),
    ("morgen", _("Tomorrow")),
    ("deze-week", _("This week")),
    ("datum", _("On a date")),
]


class PromiseForm(forms.Form):
    description = forms.CharField(
        label=_("What did you promise?"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Short, without names; they are removed before saving."),
    )
    buurt = forms.ChoiceField(label=_("Buurt"), required=False)
    resident = forms.TypedChoiceField(label=_("To a resident"), coerce=int, required=False, empty_value=None)
    initiative = forms.TypedChoiceField(label=_("Or to an initiative"), coerce=int, required=False, empty_value=None)
    group_label = forms.CharField(
        label=_("Or to a group of residents"),
        max_length=200,
        required=False,
        help_text=_('For example "ouders van het speelveld".'),
    )
    due = forms.ChoiceField(label=_("When"), choices=DUE_CHOICES, widget=forms.RadioSelect, initial="deze-week")
    due_date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    owner = forms.TypedChoiceField(label=_("Who keeps it"), coerce=int, required=False, empty_value=None)
    contact_moment = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, buurten=(), residents=(), initiatives=(), colleagues=(), from_contact=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buurt"].choices = [("", "—")] + [(b.code, b.name) for b in buurten]
        self.fields["resident"].choices = [("", "—")] + [(r.pk, r.label) for r in residents]
        self.fields["initiative"].choices = [("", "—")] + [(i.pk, i.name) for i in initiatives]
        self.fields["owner"].choices = [(u.pk, u.full_name) for u in colleagues]
        if from_contact:
            # Buurt and resident come from the contact moment.
            del self.fields["buurt"]
            del self.fields["resident"]

    def clean(self):
        data = super().clean()
        today = rules.local_today()
        due = data.get("due")
        if due == "vandaag":
            data["due_date"] = today
        elif due == "morgen":
            data["due_date"] = today + timedelta(days=1)
        elif due == "deze-week":
            data["due_date"] = rules.end_of_week(today)
        elif due == "datum" and not data.get("due_date") and "due_date" not in self.errors:
            self.add_error("due_date", _("Choose a date."))
        return data


class KeepForm(forms.Form):
    note = forms.CharField(
        label=_("How (optional)"), max_length=NOTE_MAX_LENGTH, required=False, widget=forms.TextInput()
    )
    version = VersionField()


class FailForm(forms.Form):
    reason = forms.CharField(
        label=_("Why did it not work out?"), max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
    resident_told = forms.BooleanField(label=_("The resident has been told"), required=False)
    version = VersionField()


class HandoverForm(forms.Form):
    owner = forms.TypedChoiceField(label=_("Colleague"), coerce=int)
    note = forms.CharField(
        label=_("Note for your colleague"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was agreed and what is still to be done; without names."),
    )
    version = VersionField()

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [(u.pk, u.full_name) for u in colleagues]


class ReferralForm(forms.Form):
    provider = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    topic = forms.ChoiceField(label=_("Topic"))
    buurt = forms.ChoiceField(label=_("Buurt"), required=False)
    resident = forms.TypedChoiceField(label=_("Resident"), coerce=int, required=False, empty_value=None)
    warm = forms.TypedChoiceField(
        label=_("How"),
        choices=[("1", _("Warm: went along or introduced")), ("0", _("Gave the details"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="0",
    )
    question = forms.CharField(
        label=_("What does the resident ask?"),
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Short, without names; they are removed before saving."),
    )
    consent_to_share = forms.BooleanField(
        label=_("The resident agrees that we share this referral with the organisation"),
        required=False,
        help_text=_(
            "When the organisation works in Nabij, its staff then see this referral: the topic, the question, the "
            "resident's label and your contact details — never the resident's other contacts or notes. Needed for a "
            "warm referral."
        ),
    )
    navragen_op = forms.DateField(
        label=_("Check back on"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: in 14 days. Ask the resident or the organisation how it went."),
    )
    outside_buurt_reason = forms.CharField(
        label=_("Reason for an organisation outside the buurt"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only needed when the organisation does not serve the buurt."),
    )
    contact_moment = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, providers=(), topics=(), buurten=(), residents=(), from_contact=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "—")] + [(p.pk, p.name) for p in providers]
        self.fields["topic"].choices = [("", "—")] + [(t.slug, t.display_label) for t in topics]
        self.fields["buurt"].choices = [("", "—")] + [(b.code, b.name) for b in buurten]
        self.fields["resident"].choices = [("", "—")] + [(r.pk, r.label) for r in residents]
        if from_contact:
            del self.fields["buurt"]
            del self.fields["resident"]


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("What did you hear?"), widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note (optional)"), max_length=NOTE_MAX_LENGTH, required=False)
    version = VersionField()

    def __init__(self, *args, current: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        allowed = rules.REFERRAL_TRANSITIONS.get(current, frozenset())
        self.fields["status"].choices = [(v, label) for v, label in Referral.Status.choices if v in allowed]
