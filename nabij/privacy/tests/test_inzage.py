"""The inzage covers every model with personal data (issue 14): each is shown by a registered section, or named in
OUTSIDE_INZAGE with the reason it is not about a resident file."""

from django.apps import apps

import pytest

from nabij.core.models import OrganisationOwned
from nabij.privacy import inzage

HOW_TO = (
    "Show it in a resident's inzage: register a section from the app's AppConfig.ready() with "
    "nabij.privacy.inzage.register_inzage_section(models=(...), collect=...), or, when it is not about a resident "
    "file, add it to nabij.privacy.inzage.OUTSIDE_INZAGE with the reason."
)


def personal_data_models() -> set[str]:
    """Models owned by a data controller (`OrganisationOwned`) and the models hanging off them by a foreign key."""
    owned = {m for m in apps.get_models() if issubclass(m, OrganisationOwned)}
    children = {
        m
        for m in apps.get_models()
        for f in m._meta.get_fields()
        if f.is_relation and f.many_to_one and f.related_model in owned
    }
    return {m._meta.label_lower for m in owned | children}


def uncovered() -> list[str]:
    known = inzage.covered_models() | set(inzage.OUTSIDE_INZAGE)
    return sorted(personal_data_models() - known)


def test_every_personal_data_model_is_in_the_inzage_or_explained():
    missing = uncovered()
    assert not missing, f"Personal-data models not covered by inzage: {missing}. {HOW_TO}"


def test_every_reason_names_a_real_model():
    labels = {m._meta.label_lower for m in apps.get_models()}
    assert set(inzage.OUTSIDE_INZAGE) <= labels
    assert inzage.covered_models() <= labels


def test_a_model_left_out_is_reported(monkeypatch):
    """The check can fail: without its declaration, the observation model is reported."""
    monkeypatch.delitem(inzage.OUTSIDE_INZAGE, "contacts.signal")
    assert uncovered() == ["contacts.signal"]


def test_sections_come_in_a_stable_order():
    keys = [s.key for s in inzage.inzage_sections()]
    assert keys[:3] == ["bewoner", "toestemming", "contactmomenten"]
    assert {"beloftes", "doorverwijzingen"} <= set(keys)


def test_every_kind_of_the_erasure_registry_linked_to_residents_is_in_the_inzage():
    """Once the privacy registry (erasure and retention, issue 14) is merged: what erasure finds of a resident,
    the inzage shows. Skipped on a branch without it."""

    registry = pytest.importorskip("nabij.privacy.registry")
    covered = inzage.covered_models()
    missing = sorted({k.model.lower() for k in registry.resident_kinds()} - covered)
    assert not missing, f"Kinds erasure finds for a resident but inzage does not show: {missing}. {HOW_TO}"
