"""The one mapping of a service's error onto a form (core.errors.form_errors)."""

from django import forms
from django.core.exceptions import ValidationError

from nabij.core.errors import form_errors
from nabij.core.exceptions import InvalidInput, PermissionRefused


class NoteForm(forms.Form):
    note = forms.CharField(required=False)


def _bound():
    form = NoteForm({"note": "x"})
    form.is_valid()
    return form


def test_an_error_naming_an_api_field_shows_next_to_the_form_field_it_maps_to():
    form = _bound()
    form_errors(form, InvalidInput("Te lang.", field="notitie"), {"notitie": "note"})
    assert form.errors == {"note": ["Te lang."]}


def test_an_error_naming_no_field_of_the_form_shows_above_it():
    form = _bound()
    form_errors(form, PermissionRefused("Dat mag je niet."), {"notitie": "note"})
    form_errors(form, InvalidInput("Onbekend.", field="buurt"))
    assert form.non_field_errors() == ["Dat mag je niet.", "Onbekend."]


def test_a_validation_error_shows_next_to_its_model_fields():
    form = _bound()
    form_errors(form, ValidationError({"note": ["Leeg."], "other": ["Fout."]}))
    assert form.errors["note"] == ["Leeg."]
    assert form.non_field_errors() == ["Fout."]
