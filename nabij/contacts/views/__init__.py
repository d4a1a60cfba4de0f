"""Pages of the contacts app: quick capture (htmx, works without JS), rounds, buurt timeline, residents (with
consent and inzage), topics, and the detail pages of contact moments and observations with their correction."""

from nabij.contacts.views.corrections import (
    contact_correct,
    contact_delete,
    contact_detail,
    signal_correct,
    signal_delete,
    signal_detail,
)
from nabij.contacts.views.records import (
    buurt_timeline,
    contact_capture,
    my_contacts,
    round_detail,
    round_end,
    round_list,
    round_overview,
    round_plan_create,
    round_start,
    signal_capture,
    signal_status,
    topic_list,
)
from nabij.contacts.views.residents import (
    resident_consent,
    resident_create,
    resident_detail,
    resident_inzage,
    resident_search,
)

__all__ = [
    "buurt_timeline",
    "contact_capture",
    "contact_correct",
    "contact_delete",
    "contact_detail",
    "my_contacts",
    "resident_consent",
    "resident_create",
    "resident_detail",
    "resident_inzage",
    "resident_search",
    "round_detail",
    "round_end",
    "round_list",
    "round_overview",
    "round_plan_create",
    "round_start",
    "signal_capture",
    "signal_correct",
    "signal_delete",
    "signal_detail",
    "signal_status",
    "topic_list",
]
