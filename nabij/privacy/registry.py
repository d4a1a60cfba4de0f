"""The registry of personal data: for every kind of record that holds personal data, how to find one resident's
records (inzage, art. 15), how to erase them (art. 17) and when they expire (retention, art. 5(1)(e)).

Why a registry: privacy is a base app and may not import the domain apps, yet inzage, erasure and retention must
cover every model with personal data, including the ones added next year. So each domain app registers its own
models from a `privacy.py` module of its own (discovered by the privacy app's `ready()`), and privacy only
dispatches.
`tests/test_registry.py` fails when a model with personal data is neither registered here nor declared
not-personal with `register_not_personal`, so a new model cannot slip past inzage, erasure and retention.

How another app reads the registry (inzage, the export of everything kept about one resident)::

    from nabij.privacy.registry import resident_kind, resident_kinds

    resident_kind().describe(resident)         # the resident itself: label, buurt, consent
    for kind in resident_kinds():              # every kind linked to a resident, in erasure order (resident last)
        if kind.is_resident:
            continue
        records = kind.for_resident(resident)  # a QuerySet of that resident's records of this kind
        for record in records:
            kind.describe(record)              # {"Wanneer": "12 maart 2026 14:30", "Notitie": "..."}: plain Dutch

Linked to a resident today: promises (with hand-over notes), referrals (with what was heard back, and "Gedeeld
met" naming the organisation a consented referral was shared with), contact moments and the resident. Kinds with
`for_residents=None` (observations, key figures, collectors, survey answers, project inputs, sessions, task
results, audit events) are not linked to a resident file and only expire or are erased on their own pages.

`kind.title` is the plural Dutch heading ("Contactmomenten"); `describe(record)` returns an ordered dict of
Dutch field label → display string (dates formatted, choices as their label, `""` for empty), the same fields a
resident would recognise on paper. Reading records for inzage is a read of personal data: the caller audits it.

A kind (`PersonalData`):

- `key`           stable name, the key of the per-kind counts that erasure and the purge report; e.g.
                  "contactmomenten".
- `retention`     the key of its period in `settings.NABIJ_RETENTION` (days; see `retention_period`); several kinds
                  may share one (a promise and its hand-over notes); defaults to `key`.
- `model`         the model label ("contacts.ContactMoment"), or "" for a kind that is not one model.
- `title`         the heading (lazy gettext: Dutch when Dutch is active), for inzage and the purge report.
- `fields`        the names of the columns that hold personal text; the canary test writes into each of them and
                  the registry test checks that every free-text column of the model is listed here or in
                  `not_personal_fields`.
- `for_residents(residents_qs) -> QuerySet`  the records about those residents (None: not linked to residents).
- `erase(qs) -> int`  erase those records: delete them, or blank their personal text and keep what carries no
                  personal data (the topic, buurt and week of a contact, so theme counts keep their history).
                  Runs inside the caller's transaction; returns how many records it erased. Safe to run twice.
- `expired(now) -> QuerySet`  the records whose retention period has passed (None: kept as long as their parent).
- `describe(record) -> dict[str, str]`  for inzage (see above).
- `expire(qs) -> int`  what retention does with expired records, when it is less than `erase` (a contact note
                  24 months old is blanked, but the contact stays linked to a resident who is still followed, until
                  the resident's own period ends); defaults to `erase`.
- `kept_while`    for a kind without `expired`: why it has no period of its own (e.g. "kept while the consent
                  stands; removed on request"), so the registry test sees a decision, not a gap.
- `order`         erasure and inzage run in ascending order: records that point at a resident come before the
                  resident itself (erasing a resident must find its contacts first).
- `is_resident`   the one kind that is the resident itself (`contacts.Resident`); its retention rule erases every
                  kind linked to the expired residents, exactly as an erasure on request does.

Registration: each app's `nabij/<app>/privacy.py` calls `register(...)` and `register_not_personal(...)`; the
privacy app's `ready()` imports every installed app's `privacy` module (as the admin discovers `admin.py`), so it
never imports a domain app by name.

Kinds that are kept by another function (the audit trail's controlled purge, CSP reports) register with an
`erase` that calls it; `AUDIT_KIND` names the audit kind so the integrator can point it at the audit chain's
purge function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

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
    expire: Callable[[QuerySet], int] | None = None
    retention: str = ""
    kept_while: str = ""
    order: int = 100
    is_resident: bool = False
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

    @property
    def retention_key(self) -> str:
        return self.retention or self.key

    def retention_erase(self, qs: QuerySet) -> int:
        return (self.expire or self.erase)(qs)


_KINDS: dict[str, PersonalData] = {}
_LISTENERS: list[Callable[[], None]] = []
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


def register_erasure_listener(listener: Callable[[], None]) -> None:
    """Call `listener()` after every committed erasure or retention purge: for a higher app's caches made from
    personal text (themes' word counts), which the privacy app cannot know."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def erasure_listeners() -> list[Callable[[], None]]:
    return list(_LISTENERS)


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
    """The kinds linked to residents, in erasure order (the resident itself last)."""
    return [k for k in kinds() if k.for_residents is not None]


def resident_kind() -> PersonalData:
    return next(k for k in kinds() if k.is_resident)


def describe_fields(record: Model, names: Iterable[str]) -> dict[str, str]:
    """`describe` made from field names: each field's verbose name (in the active language; inzage activates
    Dutch) → its value as a resident would read it (a choice's label, a date as "12 maart 2026", a related
    record's name, "" for empty). Domain apps use it for their kinds, adding what is not a field."""
    from django.utils import formats, timezone

    out: dict[str, str] = {}
    for name in names:
        model_field = record._meta.get_field(name)
        label = str(model_field.verbose_name)
        label = label[:1].upper() + label[1:]
        if getattr(model_field, "many_to_many", False):
            out[label] = ", ".join(str(item) for item in getattr(record, name).all())
            continue
        if model_field.choices:
            value = getattr(record, f"get_{name}_display")()
        else:
            value = getattr(record, name)
        if value is None or value == "":
            out[label] = ""
        elif isinstance(value, bool):
            out[label] = str(_("yes") if value else _("no"))
        elif isinstance(value, datetime):
            out[label] = formats.date_format(timezone.localtime(value), "j F Y H:i")
        elif isinstance(value, date):
            out[label] = formats.date_format(value, "j F Y")
        else:
            out[label] = str(value)
    return out
