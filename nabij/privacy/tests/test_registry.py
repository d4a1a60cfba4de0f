"""The registry of personal data covers every model that holds it: inzage, erasure and retention (issue 14).

A model counts as holding personal data when it is owned by an organisation (`OrganisationOwned`, the data
controller's records) or has a free-text column: a TextField, an EmailField, or a CharField without choices.
"""

from django.apps import apps
from django.conf import settings
from django.db import models

from nabij.core.models import OrganisationOwned
from nabij.privacy.registry import kinds, kinds_for_model, not_personal, resident_kind

HOW_TO = (
    "Register it in nabij/<app>/privacy.py with nabij.privacy.registry.register(PersonalData(...)): name its personal "
    "text columns in `fields` (other text columns in `not_personal_fields`), give `erase`, `describe` (inzage) and "
    "`expired` with a period in settings.NABIJ_RETENTION (or `kept_while` saying why it has none), and "
    "`for_residents` when it is linked to a resident. If it holds no personal data, say why with "
    "register_not_personal('app.Model', reason=...)."
)


def _nabij_models():
    return [m for m in apps.get_models() if m.__module__.startswith("nabij.") and not m._meta.proxy]


def _free_text_fields(model) -> set[str]:
    names = set()
    for field in model._meta.concrete_fields:
        if isinstance(field, models.TextField | models.EmailField):
            names.add(field.name)
        elif isinstance(field, models.CharField) and not field.choices and not isinstance(field, models.SlugField):
            names.add(field.name)
    return names


def _holds_personal_data(model) -> bool:
    return issubclass(model, OrganisationOwned) or bool(_free_text_fields(model))


def _unregistered() -> list[str]:
    declared = not_personal()
    return [
        m._meta.label
        for m in _nabij_models()
        if _holds_personal_data(m) and not kinds_for_model(m) and m._meta.label_lower not in declared
    ]


def test_every_model_with_personal_data_is_registered_or_declared_not_personal():
    missing = _unregistered()
    assert not missing, f"Models with personal data outside the privacy registry: {missing}. {HOW_TO}"


def test_every_free_text_column_of_a_registered_model_is_named():
    unnamed = {}
    for model in _nabij_models():
        registered = kinds_for_model(model)
        if not registered:
            continue
        named = {name for k in registered for name in (*k.fields, *k.not_personal_fields)}
        rest = _free_text_fields(model) - named
        if rest:
            unnamed[model._meta.label] = sorted(rest)
    assert not unnamed, f"Text columns neither in `fields` nor in `not_personal_fields`: {unnamed}. {HOW_TO}"


def test_every_kind_can_be_erased_described_and_expires_or_says_why_not():
    gaps = []
    for k in kinds():
        model = k.model_class
        for name in (*k.fields, *k.not_personal_fields):
            model._meta.get_field(name)  # a typo fails here
        if k.fields and k.describe is None:
            gaps.append(f"{k.key}: no describe (inzage)")
        if k.for_residents is not None and k.describe is None:
            gaps.append(f"{k.key}: linked to residents but no describe (inzage)")
        if k.expired is None and not k.kept_while:
            gaps.append(f"{k.key}: neither expired (retention) nor kept_while")
        if k.expired is not None and k.retention_key not in settings.NABIJ_RETENTION:
            gaps.append(f"{k.key}: no period NABIJ_RETENTION[{k.retention_key!r}]")
    assert not gaps, f"{gaps}. {HOW_TO}"


def test_the_resident_kind_is_erased_after_everything_that_points_at_it():
    resident = resident_kind()
    assert resident.model == "contacts.Resident"
    assert all(k.order < resident.order for k in kinds() if k.for_residents is not None and k is not resident)


def test_a_model_left_out_of_the_registry_is_reported(monkeypatch):
    """The check can fail: without its declaration, a model with a text column is reported."""
    from nabij.privacy import registry

    monkeypatch.setitem(registry._NOT_PERSONAL, "core.topic", "")
    monkeypatch.delitem(registry._NOT_PERSONAL, "core.topic")
    assert _unregistered() == ["core.Topic"]
