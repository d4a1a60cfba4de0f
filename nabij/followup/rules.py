"""The follow-up rules in one place: which status may follow which, and when something is overdue.

Dates are local dates in Europe/Amsterdam (settings.TIME_ZONE): "today" for a worker is the date on the clock
on their wall, also in the night after a DST change, never the UTC date.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

NAVRAGEN_DEFAULT_DAYS = 14


class PromiseStatus:
    OPEN = "open"
    NAGEKOMEN = "nagekomen"
    NIET_GELUKT = "niet_gelukt"
    OVERGEDRAGEN = "overgedragen"


class ReferralStatus:
    VERWEZEN = "verwezen"
    CONTACT_GELEGD = "contact_gelegd"
    GEHOLPEN = "geholpen"
    NIET_GEHOLPEN = "niet_geholpen"
    ONBEKEND = "onbekend"


# A handed-over promise is still to be kept, by its new owner; kept and failed promises are closed for good.
PROMISE_TRANSITIONS: dict[str, frozenset[str]] = {
    PromiseStatus.OPEN: frozenset({PromiseStatus.NAGEKOMEN, PromiseStatus.NIET_GELUKT, PromiseStatus.OVERGEDRAGEN}),
    PromiseStatus.OVERGEDRAGEN: frozenset(
        {PromiseStatus.NAGEKOMEN, PromiseStatus.NIET_GELUKT, PromiseStatus.OVERGEDRAGEN}
    ),
    PromiseStatus.NAGEKOMEN: frozenset(),
    PromiseStatus.NIET_GELUKT: frozenset(),
}
PROMISE_ACTIVE = frozenset({PromiseStatus.OPEN, PromiseStatus.OVERGEDRAGEN})

# "Onbekend" may still turn into an outcome when the worker hears back later; helped / not helped are final.
REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.VERWEZEN: frozenset(
        {
            ReferralStatus.CONTACT_GELEGD,
            ReferralStatus.GEHOLPEN,
            ReferralStatus.NIET_GEHOLPEN,
            ReferralStatus.ONBEKEND,
        }
    ),
    ReferralStatus.CONTACT_GELEGD: frozenset(
        {ReferralStatus.GEHOLPEN, ReferralStatus.NIET_GEHOLPEN, ReferralStatus.ONBEKEND}
    ),
    ReferralStatus.ONBEKEND: frozenset(
        {ReferralStatus.CONTACT_GELEGD, ReferralStatus.GEHOLPEN, ReferralStatus.NIET_GEHOLPEN}
    ),
    ReferralStatus.GEHOLPEN: frozenset(),
    ReferralStatus.NIET_GEHOLPEN: frozenset(),
}
# Referrals whose "navragen" is still to be done: nothing final heard yet.
REFERRAL_TO_CHECK = frozenset({ReferralStatus.VERWEZEN, ReferralStatus.CONTACT_GELEGD})
REFERRAL_OUTCOMES = frozenset({ReferralStatus.GEHOLPEN, ReferralStatus.NIET_GEHOLPEN, ReferralStatus.ONBEKEND})


def promise_transition_allowed(current: str, new: str) -> bool:
    return new in PROMISE_TRANSITIONS.get(current, frozenset())


def referral_transition_allowed(current: str, new: str) -> bool:
    return new in REFERRAL_TRANSITIONS.get(current, frozenset())


def local_today(now: datetime | None = None) -> date:
    """Today's date on the wall clock in Europe/Amsterdam."""
    return timezone.localdate(now or timezone.now())


def is_overdue(due_date: date, *, today: date | None = None) -> bool:
    """A promise is overdue from the day after its due date: due today is not late yet."""
    return (today or local_today()) > due_date


def end_of_week(today: date) -> date:
    """Sunday of the current (Monday-first, Dutch) week; on a Sunday that is today."""
    return today + timedelta(days=6 - today.weekday())


def default_navragen(today: date) -> date:
    return today + timedelta(days=NAVRAGEN_DEFAULT_DAYS)


def digest_claim_abandoned_before(now: datetime | None = None) -> datetime:
    """A digest claimed but not marked sent for longer than the task stale timeout (NABIJ_TASK_STALE_AFTER) was
    left by a worker that died mid-run: it may be claimed again, so that person still gets that day's digest. A
    live run marks each mail sent right after it goes out, so only the one mail in flight at a hard kill can go
    twice (decision 0023)."""
    from nabij.core.workers import stale_after

    return (now or timezone.now()) - stale_after()
