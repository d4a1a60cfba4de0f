from django import forms
from django.utils.translation import gettext_lazy as _

from nabij.core.errors import form_errors
from nabij.themes.models import Level, Theme, ThemeAction

FIELD_MAP = {"naam": "name", "reden": "reason", "soort": "kind", "omschrijving": "label"}


def apply_service_error(form: forms.Form, exc) -> None:
    """Show a service's InvalidInput next to the field it names (or above the form)."""
    form_errors(form, exc, FIELD_MAP)


class ThemeFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Theme.Status.choices]
    )
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("All levels")), *Level.choices])


class ConfirmForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the theme"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the suggested name."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this is not a theme; the same rise will not be proposed again."),
    )


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of action"), choices=ThemeAction.Kind.choices)
    label = forms.CharField(
        label=_("Description"),
        max_length=200,
        help_text=_('For example "Samen de energietoeslag aanvragen, 24 bewoners".'),
    )


class RenameForm(forms.Form):
    name = forms.CharField(
        label=_("New name of the theme"),
        max_length=200,
        help_text=_('A short name residents and colleagues recognise, e.g. "Energietoeslag en DigiD".'),
    )
