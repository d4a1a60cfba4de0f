"""Forms parse input only; the rules live in services (their InvalidInput is mapped back onto these fields)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from nabij.contacts.models import NOTE_MAX_LENGTH, Channel, Correction, Signal, Weekday
from nabij.core.concurrency import VersionField
from nabij.core.errors import form_errors

# Service error field (API name) → form field name.
FIELD_MAP = {
    "buurt": "buurt",
    "buurten": "buurten",
    "kanaal": "channel",
    "onderwerpen": "topics",
    "onderwerp": "topic",
    "notitie": "note",
    "bewoner": "resident",
    "datum": "occurred_at",
    "lat": "latitude",
    "label": "label",
    "plan": "plan",
    "eind": "end_time",
    "slug": "slug",
    "status": "status",
    "toestemming": "consent",
    "reden": "reason",
}


def apply_service_error(form: forms.Form, exc) -> None:
    """Show a service's InvalidInput next to the field it names (or above the form)."""
    form_errors(form, exc, FIELD_MAP)


class ServiceCheckedChoiceField(forms.ChoiceField):
    """A choice field whose options are only built when the form is rendered (pass a callable) and whose value
    the service checks: a capture POST that succeeds never lists the user's buurten or residents."""

    def valid_value(self, value) -> bool:
        return True


class ResidentPickField(forms.TypedChoiceField):
    """The resident picker: a select of the buurt's recent residents (built only when rendered), any id accepted
    here because the service checks that the resident exists and is in the worker's scope."""

    def valid_value(self, value) -> bool:
        return True


class ContactCaptureForm(forms.Form):
    buurt = ServiceCheckedChoiceField(label=_("Buurt"))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, widget=forms.RadioSelect)
    topics = forms.MultipleChoiceField(label=_("Topics"), required=False, widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Write without names, addresses or numbers; they are removed before saving."),
    )
    resident = ResidentPickField(
        label=_("Resident"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Recent residents of this buurt; search for others."),
    )
    needs_follow_up = forms.BooleanField(label=_("Needs follow-up"), required=False)
    occurred_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for now."),
    )

    def __init__(self, *args, buurten, topics, residents, **kwargs):
        """`buurten` and `residents` are (value, label) lists or callables returning them: callables are only
        called when the form is rendered."""
        super().__init__(*args, **kwargs)
        self.fields["buurt"].choices = buurten
        self.fields["topics"].choices = [(t.slug, t.display_label) for t in topics]
        if callable(residents):
            self.fields["resident"].choices = lambda: [("", _("— none —")), *residents()]
        else:
            self.fields["resident"].choices = [("", _("— none —")), *residents]

    def clean_resident(self):
        value = self.cleaned_data.get("resident")
        if value is not None and not 0 < value < 2**63:
            raise forms.ValidationError(_("Unknown resident."))
        return value


class SignalCaptureForm(forms.Form):
    buurt = forms.ChoiceField(label=_("Buurt"))
    topic = forms.ChoiceField(label=_("Topic"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("What did you see?"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    latitude = forms.DecimalField(label=_("Latitude"), required=False, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("Longitude"), required=False, max_digits=9, decimal_places=6)

    def __init__(self, *args, buurten, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buurt"].choices = [(b.code, b.name) for b in buurten]
        self.fields["topic"].choices = [(t.slug, t.display_label) for t in topics]


class SignalStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Signal.Status.choices)
    version = VersionField()  # the version the status was shown with (a colleague's change in between: 409)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class RoundStartForm(forms.Form):
    plan = forms.TypedChoiceField(label=_("Planned round"), required=False, coerce=int, empty_value=None)
    buurten = forms.MultipleChoiceField(
        label=_("Or choose buurten"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, plans, buurten, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [("", _("— no plan —"))] + [(p.pk, p.name) for p in plans]
        self.fields["buurten"].choices = [(b.code, b.name) for b in buurten]


class RoundPlanForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("e.g. tuesday 10–12, Rietlanden"))
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=Weekday.choices, coerce=int)
    start_time = forms.TimeField(label=_("Start"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("End"), widget=forms.TimeInput(attrs={"type": "time"}))
    buurten = forms.MultipleChoiceField(label=_("Buurten"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, buurten, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buurten"].choices = [(b.code, b.name) for b in buurten]


class ResidentForm(forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=200,
        help_text=_('No name: e.g. "bewoonster Rietlanden, energietoeslag".'),
    )
    buurt = forms.ChoiceField(label=_("Buurt"))
    consent = forms.BooleanField(
        label=_("The resident agrees that we keep their contacts"),
        required=False,  # the service decides and names the field (also for the API)
        help_text=_("Required: without the resident's consent we do not keep a file about them."),
    )

    def __init__(self, *args, buurten, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buurt"].choices = [(b.code, b.name) for b in buurten]


class TimelineFilterForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    # Any worker id is accepted (an id of someone who never logged here simply finds nothing): the options are
    # the workers the timeline's own statement brings along, set with `set_workers` once it has run.
    worker = forms.IntegerField(label=_("Worker"), required=False, min_value=1, widget=forms.Select)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, topics, workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("All topics"))] + [(t.slug, t.display_label) for t in topics]
        self.fields["channel"].choices = [("", _("All channels"))] + list(Channel.choices)
        self.set_workers(workers)

    def set_workers(self, workers) -> None:
        self.fields["worker"].widget.choices = [("", _("Everyone"))] + list(workers)


class TopicForm(forms.Form):
    slug = forms.SlugField(label=_("Slug"), max_length=60, help_text=_("Stable key; cannot be changed later."))
    label = forms.CharField(label=_("Label (Dutch)"), max_length=100)
    label_en = forms.CharField(label=_("Label (English)"), max_length=100, required=False)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32000, initial=100)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class CorrectionReasonField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Why?"))
        kwargs.setdefault("choices", [("", _("— choose —")), *Correction.Reason.choices])
        super().__init__(**kwargs)


class ContactCorrectionForm(forms.Form):
    """Correct a contact moment's buurt, topics and note (AVG art. 16); the reason is a choice, never free text."""

    buurt = forms.ChoiceField(label=_("Buurt"))
    topics = forms.MultipleChoiceField(label=_("Topics"), required=False, widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Write without names, addresses or numbers; they are removed before saving."),
    )
    reason = CorrectionReasonField()
    version = VersionField()

    def __init__(self, *args, buurten, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buurt"].choices = [(b.code, b.name) for b in buurten]
        self.fields["topics"].choices = [(t.slug, t.display_label) for t in topics]


class SignalCorrectionForm(forms.Form):
    buurt = forms.ChoiceField(label=_("Buurt"))
    topic = forms.ChoiceField(label=_("Topic"))
    note = forms.CharField(
        label=_("What did you see?"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reason = CorrectionReasonField()
    version = VersionField()

    def __init__(self, *args, buurten, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buurt"].choices = [(b.code, b.name) for b in buurten]
        self.fields["topic"].choices = [(t.slug, t.display_label) for t in topics]


class RecordDeleteForm(forms.Form):
    reason = CorrectionReasonField()
    version = VersionField()
