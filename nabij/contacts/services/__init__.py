"""All writes of the contacts app. Every free-text field is de-identified before it reaches the database; the
raw text is never logged, stored or put in a task."""

from nabij.contacts.services.corrections import (
    contact_moment_correct,
    contact_moment_delete,
    signal_correct,
    signal_delete,
)
from nabij.contacts.services.records import (
    FUTURE_TOLERANCE,
    contact_moment_create,
    round_end,
    round_plan_create,
    round_start,
    signal_create,
    signal_set_status,
)
from nabij.contacts.services.residents import resident_consent_give, resident_create

__all__ = [
    "FUTURE_TOLERANCE",
    "contact_moment_correct",
    "contact_moment_create",
    "contact_moment_delete",
    "resident_consent_give",
    "resident_create",
    "round_end",
    "round_plan_create",
    "round_start",
    "signal_correct",
    "signal_create",
    "signal_delete",
    "signal_set_status",
]
