"""Named domain events: how a lower app tells the apps above it what happened, without knowing them.

A source app announces a fact from the service that made it true; a higher app subscribes in its
`AppConfig.ready()`:

    events.contact_recorded.announce(buurt_code=moment.buurt_id, occurred_at=moment.occurred_at)   # contacts
    events.contact_recorded.subscribe(_record_placed)                                              # themes

Delivery is after commit: `announce` inside a transaction hands the payload to the subscribers once that
transaction commits, and never when it rolls back; outside a transaction at once. Each subscriber runs on its
own: one that fails is logged and neither fails the write (it has committed) nor keeps the other subscribers
from running. Payloads are keyword arguments of plain values (codes, ids, aware datetimes), checked against the
event's declared fields, so a subscriber can rely on them and never needs the announcer's models.

No model signals: services announce what happened in domain words. A write that bypasses the services
(a queryset `.update()`, `bulk_create` in a loader, a data migration) announces nothing; loaders that fill theme
sources finish with `themes_rebuild` (`load_demo` does).

The events (what happened — payload):

- `contact_recorded` — a contact moment was logged — `buurt_code`, `occurred_at`
- `contact_corrected` — a contact moment's buurt, moment or topics changed — `buurt_code`, `occurred_at`,
  `old_buurt_code`, `old_occurred_at`
- `contact_removed` — a contact moment was deleted — `buurt_code`, `occurred_at`
- `signal_recorded`, `signal_corrected`, `signal_removed` — the same for an observation (`Signal`)
- `referral_made` — a referral was recorded, or moved to another buurt (the admin) — `buurt_code`,
  `created_at`, `old_buurt_code`, `old_created_at` (the old ones None for a new referral)
- `answer_tagged` — the topics of a questionnaire answer changed — `buurt_code`, `submitted_at` (its response's)
- `input_received` — a participation input was stored — `project_id`, `created_at`
- `project_scope_changed` — a participation project's buurten or topics changed — `project_id`,
  `old_buurt_codes`
- `topic_renamed` — a topic's Dutch or English label changed (core's topic service, the admin) — `topic_id`
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

Subscriber = Callable[..., None]


class Event:
    """One named fact that can be announced and subscribed to."""

    def __init__(self, name: str, *fields: str) -> None:
        self.name = name
        self.fields = frozenset(fields)
        self._subscribers: dict[str, Subscriber] = {}

    def __repr__(self) -> str:
        return f"<Event {self.name}>"

    def subscribe(self, subscriber: Subscriber) -> Subscriber:
        """Call `subscriber(**payload)` after each announcement (once per function, however often subscribed:
        `ready()` may run twice). Returns it, so it can be used as a decorator."""
        self._subscribers[f"{subscriber.__module__}.{subscriber.__qualname__}"] = subscriber
        return subscriber

    @property
    def subscribers(self) -> list[Subscriber]:
        return list(self._subscribers.values())

    def announce(self, **payload: Any) -> None:
        """Tell the subscribers, after the current transaction commits (at once outside one)."""
        if set(payload) != self.fields:
            raise TypeError(f"{self.name} takes {sorted(self.fields)}, not {sorted(payload)}.")
        transaction.on_commit(partial(self._deliver, payload))

    def _deliver(self, payload: dict[str, Any]) -> None:
        for subscriber in self.subscribers:
            try:
                subscriber(**payload)
            except Exception:  # the announced write has committed; a failing follow-up must not report it failed
                logger.exception("Subscriber %s of %s failed", subscriber.__qualname__, self.name)


_PLACE = ("buurt_code", "occurred_at")
_MOVE = (*_PLACE, "old_buurt_code", "old_occurred_at")

contact_recorded = Event("contact_recorded", *_PLACE)
contact_corrected = Event("contact_corrected", *_MOVE)
contact_removed = Event("contact_removed", *_PLACE)
signal_recorded = Event("signal_recorded", *_PLACE)
signal_corrected = Event("signal_corrected", *_MOVE)
signal_removed = Event("signal_removed", *_PLACE)
referral_made = Event("referral_made", "buurt_code", "created_at", "old_buurt_code", "old_created_at")
answer_tagged = Event("answer_tagged", "buurt_code", "submitted_at")
input_received = Event("input_received", "project_id", "created_at")
project_scope_changed = Event("project_scope_changed", "project_id", "old_buurt_codes")
topic_renamed = Event("topic_renamed", "topic_id")

ALL = (
    contact_recorded,
    contact_corrected,
    contact_removed,
    signal_recorded,
    signal_corrected,
    signal_removed,
    referral_made,
    answer_tagged,
    input_received,
    project_scope_changed,
    topic_renamed,
)
