"""The registry of personal data: for every kind of record that holds personal data, how to find one resident's
records (inzage, art. 15), how to erase them (art. 17) and when they expire (retention, art. 5(1)(e)).

Why a registry: privacy is a base app and may not import the domain apps, yet inzage, erasure and retention must
cover every model with personal data, including the ones added next year. So each domain app registers its own
models from a `privacy.py` module of its own (imported by its `AppConfig.ready()`), and privacy only dispatches.
`tests/test_registry.py` fails when a model with personal data is neither registered here nor declared
not-personal with `register_not_personal`, so a new model cannot slip past inzage, erasure and retention.

How another app reads the registry (inzage, the export of everything kept about one resident)::

    from nabij.privacy.registry import kinds

    for kind in kinds():                      # in `order`: the resident first, then what hangs off it
        if kind.for_residents is None:        # retention-only kinds (sessions, task results, audit)
            continue
        records = kind.for_resident(resident)  # a QuerySet of that resident's records of this kind
        for record in records:
            kind.describe(record)             # {"Wanneer": "12 maart 2026", "Notitie": "..."}: plain Dutch

`kind.title` is the plural Dutch heading ("Contactmomenten"); `describe(record)` returns an ordered dict of
Dutch field label → display string (dates formatted, choices as their label, `""` for empty), the same fields a
resident would recognise on paper. Reading records for inzage is a read of personal data: the caller audits it.

A kind (`PersonalData`):

- `key`           stable name, also the key of its period in `settings.NABIJ_RETENTION` (see `retention_period`)
                  and of the per-kind counts the purge prints; e.g. "contactmomenten".
- `model`         the model label ("contacts.ContactMoment"), or "" for a kind that is not one model.
- `title`         plural, Dutch (lazy gettext), for inzage headings and the purge report.
- `fields`        the names of the columns that hold personal text; the canary test writes into each of them and
                  the registry test checks that every free-text column of the model is listed here or in
                  `not_personal_fields`.
- `for_residents(residents_qs) -> QuerySet`  the records about those residents (None: not linked to residents).
- `erase(qs) -> int`  erase those records: delete them, or blank their personal text and keep what carries no
                  personal data (the topic, buurt and week of a contact, so theme counts keep their history).
                  Runs inside the caller's transaction; returns how many records it erased. Safe to run twice.
- `expired(now) -> QuerySet`  the records whose retention period has passed (None: kept as long as their parent).
- `describe(record) -> dict[str, str]`  for inzage (see above).
- `order`         erasure and inzage run in ascending order: records that point at a resident come before the
                  resident itself (erasing a resident must find its contacts first).

Kinds that are kept by another function (the audit trail's controlled purge, CSP reports) register with an
`erase` that calls it; `AUDIT_KIND` names the audit kind so the integrator can point it at the audit chain's
purge function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Model, QuerySet

# The retention kind of the audit trail (5 years): its purge must keep the hash chain verifiable, so it is the
# audit chain's own function, never a queryset delete (the audit QuerySet refuses deletes).
AUDIT_KIND = "audit"

Describe = Callable[[Any], dict[str, str]]


@dataclass(frozen=True)
class PersonalData:
    """One kind of record with personal data; see the module docstring for each field."""

    key: str
    model: str
    title: Any
    erase: Callable[[QuerySet], int]
    fields: tuple[str, ...] = ()
    for_residents: Callable[[QuerySet], QuerySet] | None = None
    expired: Callable[[datetime], QuerySet] | None = None
    describe: Describe | None = None
    order: int = 100
    not_personal_fields: tuple[str, ...] = field(default=())

    @property
    def model_class(self) -> type[Model] | None:
        return apps.get_model(self.model) if self.model else None

    def for_resident(self, resident) -> QuerySet:
        """The records of this kind about one resident (inzage), as a QuerySet."""
        if self.for_residents is None:
            raise TypeError(f"{self.key} is not linked to residents")
        resident_model = type(resident)
        return self.for_residents(resident_model._default_manager.filter(pk=resident.pk))


_KINDS: dict[str, PersonalData] = {}
# model label (lower case) → why its text columns hold no personal data
_NOT_PERSONAL: dict[str, str] = {}


def register(kind: PersonalData) -> PersonalData:
    """Register a kind of personal data (from a domain app's `privacy.py`). Registering the same key twice
    replaces it, so a re-imported module does no harm."""
    _KINDS[kind.key] = kind
    return kind


def register_not_personal(model: str, *, reason: str) -> None:
    """Declare that a model's text columns hold no personal data (a topic list, a survey's question texts), with
    the reason, so the registry test knows it was looked at rather than forgotten."""
    _NOT_PERSONAL[model.lower()] = reason


def kinds() -> list[PersonalData]:
    """Every registered kind, in erasure order."""
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.key))


def kind(key: str) -> PersonalData:
    return _KINDS[key]


def kinds_for_model(model: type[Model] | str) -> list[PersonalData]:
    label = (model if isinstance(model, str) else model._meta.label).lower()
    return [k for k in kinds() if k.model.lower() == label]


def not_personal() -> dict[str, str]:
    return dict(_NOT_PERSONAL)


def retention_period(key: str) -> timedelta:
    """The retention period of a kind, from `settings.NABIJ_RETENTION` (days); one setting for every use."""
    return timedelta(days=settings.NABIJ_RETENTION[key])


def resident_kinds() -> Iterable[PersonalData]:
    return [k for k in kinds() if k.for_residents is not None]
