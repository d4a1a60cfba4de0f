"""The follow-up rules in one place: which status may follow which, when something is overdue, due today or due
this week, and when a promise was kept on time.

Dates are local dates in Europe/Amsterdam (settings.TIME_ZONE): "today" for a worker is the date on the clock
on their wall, also in the night after a DST change, never the UTC date.

Each date rule is written once as a predicate on plain values; where lists or counts filter by it, the matching
queryset filter (`..._q`, a `Q` over the named date field) sits right beside it, so that a list, a count and the
page that shows one record cannot disagree (`tests/test_rules_agree.py` checks every pair on both databases).
Callers never compare these dates themselves (`tests/test_rules_one_place.py`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import F, Q
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
PROMISE_CLOSED = frozenset({PromiseStatus.NAGEKOMEN, PromiseStatus.NIET_GELUKT})

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


# Dates: overdue, due today, due (either), this week ------------------------------------------------------------


def is_overdue(day: date, *, today: date | None = None) -> bool:
    """Overdue from the day after `day` (a promise's due date, a referral's navragen date): that day itself is not
    late yet. Also the rule for a new date: one that would be overdue at once lies in the past."""
    return (today or local_today()) > day


def overdue_q(field: str, *, today: date) -> Q:
    """`is_overdue` as a filter on the date field `field`."""
    return Q(**{f"{field}__lt": today})


def is_due_today(day: date, *, today: date | None = None) -> bool:
    return day == (today or local_today())


def is_due(day: date, *, today: date | None = None) -> bool:
    """Due: overdue or due today — what the badge and the morning digest count."""
    return day <= (today or local_today())


def due_q(field: str, *, today: date) -> Q:
    """`is_due` as a filter on the date field `field` (one range, so it reads the (owner, status, date) index)."""
    return Q(**{f"{field}__lte": today})


def end_of_week(today: date) -> date:
    """Sunday of the current (Monday-first, Dutch) week; on a Sunday that is today."""
    return today + timedelta(days=6 - today.weekday())


def is_due_this_week(day: date, *, today: date) -> bool:
    """Due later this week: after today, up to and including Sunday."""
    return today < day <= end_of_week(today)


class Urgency:
    """The groups of "Mijn beloftes", in the order a worker needs them."""

    OVERDUE = "overdue"
    TODAY = "today"
    THIS_WEEK = "this_week"
    LATER = "later"


def urgency(day: date, *, today: date) -> str:
    """Which group of "Mijn beloftes" a date puts an item in."""
    if is_overdue(day, today=today):
        return Urgency.OVERDUE
    if is_due_today(day, today=today):
        return Urgency.TODAY
    if is_due_this_week(day, today=today):
        return Urgency.THIS_WEEK
    return Urgency.LATER


# Promises and referrals --------------------------------------------------------------------------------------


def promise_is_overdue(*, status: str, due_date: date, today: date | None = None) -> bool:
    """A promise is overdue from the day after its due date while it is still to be kept (open or handed over)."""
    return status in PROMISE_ACTIVE and is_overdue(due_date, today=today)


def promise_overdue_q(*, today: date) -> Q:
    return Q(status__in=PROMISE_ACTIVE) & overdue_q("due_date", today=today)


def promise_is_due(*, status: str, due_date: date, today: date | None = None) -> bool:
    """A promise still to be kept that is overdue or due today: the badge's and the digest's promises."""
    return status in PROMISE_ACTIVE and is_due(due_date, today=today)


def promise_due_q(*, today: date) -> Q:
    return Q(status__in=PROMISE_ACTIVE) & due_q("due_date", today=today)


def referral_is_overdue(*, status: str, navragen_op: date, today: date | None = None) -> bool:
    """Navragen is overdue from the day after the navragen date, like a promise, until something final is heard."""
    return status in REFERRAL_TO_CHECK and is_overdue(navragen_op, today=today)


def referral_overdue_q(*, today: date) -> Q:
    return Q(status__in=REFERRAL_TO_CHECK) & overdue_q("navragen_op", today=today)


def referral_is_due(*, status: str, navragen_op: date, today: date | None = None) -> bool:
    """A referral to check back on today or earlier: the badge's and the digest's referrals."""
    return status in REFERRAL_TO_CHECK and is_due(navragen_op, today=today)


def referral_due_q(*, today: date) -> Q:
    return Q(status__in=REFERRAL_TO_CHECK) & due_q("navragen_op", today=today)


def default_navragen(today: date) -> date:
    return today + timedelta(days=NAVRAGEN_DEFAULT_DAYS)


# Kept on time ------------------------------------------------------------------------------------------------


def is_kept_on_time(*, status: str, kept_at: datetime | None, due_date: date) -> bool:
    """Kept on time: kept on or before its due date, by the Amsterdam date of the moment it was kept."""
    return status == PromiseStatus.NAGEKOMEN and kept_at is not None and timezone.localdate(kept_at) <= due_date


def kept_on_time_q() -> Q:
    # `__date` takes the date in the current time zone (Europe/Amsterdam), as `timezone.localdate` does.
    return Q(status=PromiseStatus.NAGEKOMEN, kept_at__date__lte=F("due_date"))


def counts_for_kept_on_time(*, status: str, due_date: date, today: date) -> bool:
    """The kept-on-time rate counts a promise due by today once it is decided: kept, not managed, or still open
    (or handed over) past its due date. An open promise due today or later does not count yet."""
    return is_due(due_date, today=today) and (status in PROMISE_CLOSED or is_overdue(due_date, today=today))


def counts_for_kept_on_time_q(*, today: date) -> Q:
    return due_q("due_date", today=today) & (Q(status__in=PROMISE_CLOSED) | overdue_q("due_date", today=today))


def digest_claim_abandoned_before(now: datetime | None = None) -> datetime:
    """A digest claimed but not marked sent for longer than the task stale timeout (NABIJ_TASK_STALE_AFTER) was
    left by a worker that died mid-run: it may be claimed again, so that person still gets that day's digest. A
    live run marks each mail sent right after it goes out, so only the one mail in flight at a hard kill can go
    twice (decision 0023)."""
    from nabij.core.workers import stale_after

    return (now or timezone.now()) - stale_after()
