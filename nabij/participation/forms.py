"""Forms parse input only; the rules live in services (their InvalidInput is mapped back onto these fields)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from nabij.core.concurrency import StaleEdit, VersionField
from nabij.core.errors import form_errors
from nabij.participation.models import TEXT_MAX_LENGTH, FrameItem, Input, Ladder, Project

FIELD_MAP = {
    "titel": "title",
    "soort": "kind",
    "samenvatting": "summary",
    "buurten": "buurten",
    "onderwerpen": "topics",
    "contact": "contact",
    "antwoordtermijn": "answer_term_days",
    "tekst": "text",
    "trede": "ladder",
    "email": "email",
    "kader": "frame_item",
    "keuze": "choice",
    "optie": "option",
    "huishoudcode": "household_code",
    "vraag": "question",
    "opties": "options",
    "complex": "complex_name",
    "aantal": "count",
    "jij_zei": "you_said",
    "wij_deden": "we_did",
    "inbreng": "inputs",
    "plek": "place",
    "agenda": "agenda",
    "einddatum": "ends_on",
    "bevestig_onder_b1": "confirm_below_b1",
    "wat_met_inbreng": "with_input",
    "wanneer_terugkoppeling": "hear_back",
    "beschrijving": "description",
    "medewerker": "assigned_to",
    "versie": "version",
}


def apply_service_error(form: forms.Form, exc) -> None:
    """Show a service's error next to the field it names (or above the form)."""
    form_errors(form, exc, FIELD_MAP)


def rebound_after_stale_edit(form: forms.Form, exc: StaleEdit) -> forms.Form:
    """The same form again after a colleague saved first: the user's own text is kept, it now carries the
    colleague's version (so saving again is a deliberate choice) and says what happened; the page shows the
    colleague's text next to it (`exc.current`)."""
    data = form.data.copy()
    data["version"] = str(exc.current.version)
    again = type(form)(data, initial=form.initial, **getattr(form, "rebind_kwargs", {}))
    again.is_valid()
    again.add_error(None, exc.message)
    return again


def _b1_textarea(rows: int = 4):
    # data-b1 marks the fields the live B1 check (htmx) follows; see partials/b1_live.html.
    return forms.Textarea(attrs={"rows": rows, "data-b1": "1"})


def _b1_input():
    return forms.TextInput(attrs={"data-b1": "1"})


class ExistsCheckForm(forms.Form):
    """Step 1 of creating a project: what already exists for these buurten and topics?"""

    buurten = forms.MultipleChoiceField(label=_("Buurten"), widget=forms.CheckboxSelectMultiple)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    q = forms.CharField(label=_("Words"), required=False, max_length=200)

    def __init__(self, *args, buurten, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buurten"].choices = [(b.code, b.name) for b in buurten]
        self.fields["topic"].choices = [("", _("All topics"))] + [(t.slug, t.display_label) for t in topics]


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, widget=_b1_input())
    kind = forms.ChoiceField(label=_("Kind"), choices=Project.Kind.choices)
    summary = forms.CharField(
        label=_("Summary"), max_length=TEXT_MAX_LENGTH, widget=_b1_textarea(), help_text=_("In plain Dutch (B1).")
    )
    buurten = forms.MultipleChoiceField(label=_("Buurten"), widget=forms.CheckboxSelectMultiple)
    topics = forms.MultipleChoiceField(label=_("Topics"), required=False, widget=forms.CheckboxSelectMultiple)
    contact = forms.CharField(
        label=_("Contact"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A team, an organisational phone number or e-mail address. Never a private one."),
    )
    answer_term_days = forms.IntegerField(label=_("Answer term (working days)"), initial=10, min_value=1, max_value=60)
    builds_on = forms.CharField(
        label=_("What this project builds on"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What already exists (see the results above) and how the project works with it."),
    )

    def __init__(self, *args, buurten, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.rebind_kwargs = {"buurten": buurten, "topics": topics}
        self.fields["buurten"].choices = [(b.code, b.name) for b in buurten]
        self.fields["topics"].choices = [(t.slug, t.display_label) for t in topics]


class ProjectEditForm(ProjectForm):
    confirm_below_b1 = forms.BooleanField(label=_("Save even though the texts are harder than B1"), required=False)
    version = VersionField()


class FrameItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FrameItem.Kind.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Text"), max_length=TEXT_MAX_LENGTH, widget=_b1_textarea(2))
    ladder = forms.ChoiceField(
        label=_("Participation level"),
        required=False,
        choices=[("", "—")] + [c for c in Ladder.choices if c[0] != Ladder.INFORMEREN],
        help_text=_("Only for open items."),
    )
    with_input = forms.CharField(
        label=_("What we do with your input"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=_b1_textarea(2),
        help_text=_("Required for open items."),
    )
    hear_back = forms.CharField(
        label=_("When you hear back"),
        required=False,
        max_length=200,
        widget=_b1_input(),
        help_text=_("Required for open items, e.g. 'Voor 1 juni hoort u wat we kozen.'"),
    )


class FrameItemEditForm(FrameItemForm):
    reason = forms.CharField(
        label=_("Why does this change?"),
        required=False,
        max_length=300,
        widget=_b1_input(),
        help_text=_("The project is published: residents see the change, what it said before and this reason."),
    )


class PhaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, widget=_b1_input())
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=_b1_textarea(3),
        help_text=_("What happens in this phase, in plain Dutch (B1)."),
    )


class AssignForm(forms.Form):
    """Hand an input to a colleague of the project's organisation."""

    assigned_to = forms.TypedChoiceField(label=_("Assign to"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.colleagues = {u.pk: u for u in colleagues}
        self.fields["assigned_to"].choices = [("", _("Nobody"))] + [(u.pk, str(u)) for u in colleagues]


class ChoiceForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=300, widget=_b1_input())
    options = forms.CharField(
        label=_("Options"),
        widget=_b1_textarea(4),
        help_text=_("One option per line, at least two."),
    )


class PublishForm(forms.Form):
    confirm_below_b1 = forms.BooleanField(label=_("Publish even though the texts are harder than B1"), required=False)


class InputForm(forms.Form):
    """The public input form; works without JavaScript. `idempotency_key` makes a double submit harmless."""

    kind = forms.ChoiceField(label=_("What do you want to give?"), choices=Input.Kind.choices, widget=forms.RadioSelect)
    frame_item = forms.TypedChoiceField(label=_("About"), required=False, coerce=int, empty_value=None)
    text = forms.CharField(
        label=_("Your idea or reaction"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Do not write names or addresses."),
    )
    option = forms.CharField(label=_("Your choice"), required=False, widget=forms.HiddenInput)
    household_code = forms.CharField(
        label=_("Code from your letter"), required=False, max_length=20, help_text=_("Only for the choices.")
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        help_text=_("Only if you want our answer by e-mail. We erase it when the project ends."),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["frame_item"].choices = [("", _("The whole project"))] + [
            (i.pk, i.text[:80]) for i in project.frame_items.all() if i.kind == FrameItem.Kind.OPEN
        ]
        if not project.is_household_vote:
            del self.fields["household_code"]
        if not any(c.is_open for c in project.choices.all()):
            self.fields["kind"].choices = [c for c in Input.Kind.choices if c[0] != Input.Kind.KEUZE]
        # One radio group per open choice; the value is "<choice>:<option>".
        self.choice_fields = []
        for choice in project.choices.all():
            if not choice.is_open:
                continue
            name = f"choice_{choice.pk}"
            self.fields[name] = forms.ChoiceField(
                label=choice.question,
                required=False,
                widget=forms.RadioSelect,
                choices=[(o.pk, o.label) for o in choice.options.all()],
            )
            self.choice_fields.append(name)

    def picked_choice(self) -> tuple[int | None, int | None]:
        for name in self.choice_fields:
            value = self.cleaned_data.get(name)
            if value:
                return int(name.split("_", 1)[1]), int(value)
        return None, None


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), max_length=TEXT_MAX_LENGTH, widget=_b1_textarea(5))
    confirm_below_b1 = forms.BooleanField(label=_("Send even though the reply is harder than B1"), required=False)
    # 0: the form was shown while the input had no reply yet (a colleague's first reply then makes it stale).
    version = VersionField(min_value=0)


class DecisionForm(forms.Form):
    you_said = forms.CharField(label=_("You said"), max_length=TEXT_MAX_LENGTH, widget=_b1_textarea(2))
    we_did = forms.CharField(label=_("We did"), max_length=TEXT_MAX_LENGTH, widget=_b1_textarea(2))
    decided_on = forms.DateField(label=_("Decided on"), widget=forms.DateInput(attrs={"type": "date"}))
    inputs = forms.MultipleChoiceField(
        label=_("Inputs it answers"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, inputs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inputs"].choices = [(i.pk, f"#{i.pk} {i.text[:80]}") for i in inputs]


class HouseholdCodeForm(forms.Form):
    complex_name = forms.CharField(label=_("Complex"), max_length=200, help_text=_("e.g. Complex 112, Vogelbuurt"))
    count = forms.IntegerField(label=_("Number of households"), min_value=1, max_value=2000)


class EveningForm(forms.Form):
    held_at = forms.DateTimeField(
        label=_("Date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    agenda = forms.CharField(label=_("Agenda"), max_length=TEXT_MAX_LENGTH, widget=_b1_textarea(3))
    minutes = forms.CharField(label=_("Minutes"), required=False, max_length=TEXT_MAX_LENGTH, widget=_b1_textarea(4))
    attendance = forms.IntegerField(label=_("Residents who came"), required=False, min_value=0)
    confirm_below_b1 = forms.BooleanField(label=_("Save even though the minutes are harder than B1"), required=False)
