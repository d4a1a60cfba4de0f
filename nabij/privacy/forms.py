from django import forms
from django.utils.translation import gettext_lazy as _

from nabij.privacy.models import AuditEvent


class AuditFilterForm(forms.Form):
    """GET filters of the audit log; every field is optional, an invalid one is ignored with its message."""

    action = forms.ChoiceField(
        label=_("Action"), choices=[("", _("All actions")), *AuditEvent.Action.choices], required=False
    )
    result = forms.ChoiceField(
        label=_("Result"), choices=[("", _("All results")), *AuditEvent.Result.choices], required=False
    )
    actor = forms.ModelChoiceField(label=_("Actor"), queryset=None, required=False, empty_label=_("Everyone"))
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(
        label=_("Up to and including"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    area_code = forms.CharField(label=_("Area code"), max_length=10, required=False, help_text=_("E.g. BU03630000."))

    def __init__(self, *args, actors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = actors

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "action": data.get("action") or "",
            "result": data.get("result") or "",
            "actor_id": data["actor"].pk if data.get("actor") else None,
            "area_code": (data.get("area_code") or "").strip().upper(),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
