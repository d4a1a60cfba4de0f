"""The widget markup written in Python must be exactly what Django's widget templates give: same escaping,
same attributes (required, aria-invalid, aria-describedby), same options and selection."""

import datetime
import re
from pathlib import Path

from django import forms
from django.template import engines
from django.utils.safestring import mark_safe

import pytest

from nabij.core.templatetags.nabij import utrecht_widget
from nabij.core.widgets import render_widget


class SampleForm(forms.Form):
    name = forms.CharField(max_length=20, help_text="Geen namen van bewoners")
    quote = forms.CharField(required=False)
    count = forms.IntegerField(min_value=1, max_value=10, required=False)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    consent = forms.BooleanField(required=False)
    channel = forms.ChoiceField(choices=[("", "—"), ("straat", "Straat"), ("huis", "Huisbezoek & <thuis>")])
    grouped = forms.ChoiceField(
        required=False,
        choices=[("Wijk A", [("a1", "Buurt 1"), ("a2", "Buurt 2")]), ("Wijk B", [("b1", mark_safe("<b>Buurt</b>"))])],
    )
    topics = forms.MultipleChoiceField(required=False, choices=[("taal", "Taal"), ("jeugd", "Jeugd")])
    secret = forms.CharField(required=False, widget=forms.PasswordInput)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    disabled = forms.CharField(required=False, disabled=True, initial="vast")
    answer = forms.NullBooleanField(required=False)


BOUND = {
    "name": 'Ab "quoted" <script>',
    "quote": "it's & more",
    "count": "42",
    "day": "2026-13-45",
    "note": "regel 1\n<regel 2>",
    "consent": "on",
    "channel": "huis",
    "grouped": "b1",
    "topics": ["taal", "jeugd"],
    "secret": "geheim",
    "hidden": "x",
    "answer": "true",
}


@pytest.mark.parametrize("data", [None, BOUND, {}], ids=["unbound", "bound-with-errors", "bound-empty"])
@pytest.mark.parametrize("name", list(SampleForm.base_fields))
def test_python_markup_equals_django_templates(data, name):
    form = SampleForm(data, initial={"day": datetime.date(2026, 11, 25), "note": "begin"})
    field = form[name]
    attrs = {"class": "utrecht-textbox", "data-x": 'a"b'}
    assert render_widget(field, attrs) == field.as_widget(attrs=attrs)


def test_invalid_field_is_marked_for_screen_readers():
    form = SampleForm({"name": ""})
    html = utrecht_widget(form["name"])
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert "required" in html


def test_radio_lists_still_use_django_templates():
    class RadioForm(forms.Form):
        choice = forms.ChoiceField(choices=[("ja", "Ja"), ("nee", "Nee")], widget=forms.RadioSelect)

    field = RadioForm()["choice"]
    assert render_widget(field, {}) == field.as_widget(attrs={})
    assert 'type="radio"' in render_widget(field, {})


# The field layout as a template (what partials/field.html was before render_field): the reference it must match.
REFERENCE_FIELD_TEMPLATE = (Path(__file__).parent / "reference_field.html").read_text()


def _collapsed(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("data", [None, BOUND, {}], ids=["unbound", "bound-with-errors", "bound-empty"])
@pytest.mark.parametrize("name", list(SampleForm.base_fields))
def test_field_layout_equals_the_reference_template(data, name):
    from nabij.core.templatetags.nabij import form_field

    field = SampleForm(data)[name]
    reference = engines["django"].from_string(REFERENCE_FIELD_TEMPLATE).render({"field": field})
    assert _collapsed(form_field(field)) == _collapsed(reference)
