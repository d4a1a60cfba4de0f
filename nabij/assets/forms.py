"""Forms parse input only; the rules live in services (their InvalidInput is mapped back onto these fields)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from nabij.accounts.models import Organisation
from nabij.assets.models import DESCRIPTION_MAX_LENGTH, Initiative, Need, Place, Provider, ReferralMethod
from nabij.core.concurrency import VersionField
from nabij.core.errors import form_errors

# Service error field (API name) → form field name.
FIELD_MAP = {
    "naam": "name",
    "beschrijving": "description",
    "buurten": "buurten",
    "wijken": "wijken",
    "buurt": "buurt",
    "onderwerpen": "topics",
    "status": "status",
    "behoeften": "needs",
    "soort": "kind",
    "lat": "latitude",
    "lon": "longitude",
    "notitie": "note",
    "datum": "given_on",
    "label": "label",
    "gaven": "gifts",
    "toestemming": "consent",
    "toestemmingsdatum": "consent_date",
    "email": "email",
    "website": "website",
}


def apply_service_error(form: forms.Form, exc) -> None:
    """Show a service's InvalidInput next to the field it names (or above the form)."""
    form_errors(form, exc, FIELD_MAP)


def _shown(field: forms.Field, value) -> str:
    """A value as the form shows it: choice labels instead of codes, lists joined."""
    choices = {str(k): str(v) for k, v in getattr(field, "choices", ()) if not isinstance(v, list | tuple)}
    values = value if isinstance(value, list | tuple) else [value]
    shown = [choices.get(str(v), str(v)) for v in values if v not in (None, "")]
    if isinstance(field, forms.BooleanField):
        return str(_("yes") if value else _("no"))
    return ", ".join(shown) or "—"


def stale_edit_changes(form: forms.Form, *, current: dict) -> list[tuple[str, str]]:
    """What a colleague saved in the meantime, where it differs from what this user sent: (label, their value),
    shown above the form again so the user can take it over or save their own on purpose."""
    changes = []
    for name, value in current.items():
        field = form.fields.get(name)
        if field is None or isinstance(field, VersionField):
            continue
        mine = form.cleaned_data.get(name)
        if isinstance(value, list | tuple):
            differs = sorted(map(str, value)) != sorted(map(str, mine or []))
        else:
            differs = ("" if value is None else str(value)) != ("" if mine is None else str(mine))
        if differs:
            changes.append((str(field.label), _shown(field, value)))
    return changes


def take_current_version(form: forms.Form, *, version: int) -> None:
    """After a stale edit the form carries the colleague's version: saving again is then a choice, not an
    accident."""
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = str(version)


def _description_field(**kwargs):
    return forms.CharField(
        label=_("Description"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What it is and does, in plain Dutch (B1): short sentences, everyday words."),
        **kwargs,
    )


class _AreaTopicForm(forms.Form):
    def __init__(self, *args, buurten, topics, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(b.code, b.name) for b in buurten]
        for name in ("buurten", "buurt"):
            if name in self.fields:
                self.fields[name].choices = choices
        self.fields["topics"].choices = [(t.slug, t.display_label) for t in topics]


class InitiativeForm(_AreaTopicForm):
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("e.g. Moestuin De Akkers"))
    description = _description_field()
    status = forms.ChoiceField(label=_("Status"), choices=Initiative.Status.choices, initial=Initiative.Status.ACTIEF)
    buurten = forms.MultipleChoiceField(label=_("Buurten"), widget=forms.CheckboxSelectMultiple)
    topics = forms.MultipleChoiceField(label=_("Topics"), required=False, widget=forms.CheckboxSelectMultiple)
    needs = forms.MultipleChoiceField(
        label=_("What would help"), required=False, choices=Need.choices, widget=forms.CheckboxSelectMultiple
    )
    contact = forms.CharField(
        label=_("How to reach them"),
        required=False,
        max_length=200,
        help_text=_("A group e-mail or meeting time; a person's details only with their consent."),
    )
    is_public = forms.BooleanField(label=_("They agree to appear on the public buurt page"), required=False)


class SupportLogForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Strengthen, don't take over. Write without names of residents."),
    )
    need = forms.ChoiceField(label=_("Kind of support"), required=False, choices=[("", _("— other —")), *Need.choices])
    given_on = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for today."),
    )


class ProviderForm(_AreaTopicForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Provider.Kind.choices)
    description = _description_field()
    buurten = forms.MultipleChoiceField(
        label=_("Buurten served"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose single buurten, whole wijken below, or both."),
    )
    wijken = forms.MultipleChoiceField(
        label=_("Whole wijken served"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every buurt in the wijk, also buurten added later. Only wijken wholly in your area."),
    )
    topics = forms.MultipleChoiceField(label=_("Helps with"), required=False, widget=forms.CheckboxSelectMultiple)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    address = forms.CharField(label=_("Address"), required=False, max_length=200)
    opening_hours = forms.CharField(label=_("Opening hours"), required=False, max_length=300)
    referral_method = forms.ChoiceField(
        label=_("How to refer"), required=False, choices=[("", "—"), *ReferralMethod.choices]
    )
    referral_contact = forms.CharField(
        label=_("Contact point for referrals"),
        required=False,
        max_length=200,
        help_text=_("A desk, team or function; not a private person."),
    )
    is_public = forms.BooleanField(label=_("They agree to appear on the public buurt page"), required=False)
    nabij_organisation = forms.ModelChoiceField(
        label=_("Works in Nabij as"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("— does not use Nabij —"),
        help_text=_(
            "When this organisation has its own Nabij account, choose it: referrals to it with the resident's "
            "consent to share then reach its staff. Nothing else of yours is shared."
        ),
    )
    version = VersionField()

    def __init__(self, *args, wijken=(), may_link_organisation: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wijken"].choices = [(w.code, w.name) for w in wijken]
        if may_link_organisation:
            self.fields["nabij_organisation"].queryset = Organisation.objects.order_by("name")
        else:
            del self.fields["nabij_organisation"]


class PlaceForm(_AreaTopicForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Place.Kind.choices)
    description = _description_field()
    buurt = forms.ChoiceField(label=_("Buurt"))
    topics = forms.MultipleChoiceField(label=_("Topics"), required=False, widget=forms.CheckboxSelectMultiple)
    latitude = forms.DecimalField(label=_("Latitude"), required=False, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("Longitude"), required=False, max_digits=9, decimal_places=6)
    opening_hours = forms.CharField(label=_("Opening hours"), required=False, max_length=300)
    wheelchair_accessible = forms.BooleanField(label=_("Wheelchair accessible"), required=False)
    has_toilet = forms.BooleanField(label=_("Toilet"), required=False)
    accessible_toilet = forms.BooleanField(label=_("Accessible toilet"), required=False)
    is_public = forms.BooleanField(label=_("May be shown on the public buurt page"), required=False)


class KeyFigureForm(_AreaTopicForm):
    label = forms.CharField(label=_("Label"), max_length=200, help_text=_("No name: e.g. 'buurtmoeder Rietlanden'."))
    buurt = forms.ChoiceField(label=_("Buurt"))
    role = forms.CharField(label=_("Role in the buurt"), required=False, max_length=200)
    gifts = forms.CharField(
        label=_("Gifts"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. good at cooking, speaks Turkish and Arabic, handy with computers."),
    )
    topics = forms.MultipleChoiceField(label=_("Topics"), required=False, widget=forms.CheckboxSelectMultiple)
    consent = forms.BooleanField(label=_("The resident agrees to be listed"), required=False)
    version = VersionField()


class MapFilterForm(forms.Form):
    KIND_CHOICES = [
        ("", _("Everything")),
        ("organisatie", _("Organisations")),
        ("initiatief", _("Initiatives")),
        ("plek", _("Places")),
    ]
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=KIND_CHOICES)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    buurt = forms.ChoiceField(label=_("Buurt"), required=False)
    status = forms.ChoiceField(
        label=_("Status of initiatives"),
        required=False,
        choices=[("", _("Any status")), *Initiative.Status.choices],
    )

    def __init__(self, *args, buurten, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buurt"].choices = [("", _("All my buurten"))] + [(b.code, b.name) for b in buurten]
        self.fields["topic"].choices = [("", _("All topics"))] + [(t.slug, t.display_label) for t in topics]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("What are you looking for?"),
        required=False,
        max_length=200,
        help_text=_("e.g. moestuin, koffieochtend, taalles"),
    )
    buurt = forms.ChoiceField(label=_("Buurt"))
    topic = forms.ChoiceField(label=_("Topic"), required=False)

    def __init__(self, *args, buurten, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buurt"].choices = [(b.code, b.name) for b in buurten]
        self.fields["topic"].choices = [("", _("All topics"))] + [(t.slug, t.display_label) for t in topics]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What does the file contain?"),
        choices=[("organisaties", _("Organisations")), ("initiatieven", _("Initiatives")), ("plekken", _("Places"))],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (semicolon or comma) or Excel (.xlsx), with the column names in the first row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,text/csv"}),
    )


class ExportForm(MapFilterForm):
    """The map's filter plus the format; the kind is which sheet (all sheets in one XLSX when empty)."""

    FORMAT_CHOICES = [("csv", "CSV"), ("xlsx", "Excel (.xlsx)")]
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, initial="xlsx")

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "organisaties": _("Organisations"),
            "initiatieven": _("Initiatives"),
            "plekken": _("Places"),
            "sleutelfiguren": _("Key figures"),
        }
        self.fields["kind"] = forms.ChoiceField(
            label=_("What"),
            required=False,
            choices=[("", _("Everything (Excel only: one sheet each)"))] + [(k, labels[k]) for k in kinds],
        )

    def clean(self):
        data = super().clean()
        if data.get("format") == "csv" and not data.get("kind"):
            self.add_error("kind", _("A CSV file holds one kind: choose what to export."))
        return data
