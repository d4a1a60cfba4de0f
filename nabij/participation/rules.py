"""The participation rules in one place: when an input must be answered, whether it still waits for its answer,
and when that answer is late.

Dates are local dates in Europe/Amsterdam (settings.TIME_ZONE), as on the wall of the person who answers. A rule
that lists filter on is written as a predicate on plain values and, right beside it, as the matching queryset
filter over `Input` (`..._q`), so that the queue, the counts and the page of one input cannot disagree;
`tests/test_rules.py` checks each pair on both databases. Pages and templates ask the model
(`Input.is_answer_overdue`), never compare the dates themselves.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone

from nabij.participation.workdays import add_working_days


def answer_due_on(received_on: date, *, term_days: int) -> date:
    """Every input gets its answer within the project's answer term: that many working days after the day it came
    in (that day itself does not count; weekends and Dutch public holidays do not count either)."""
    return add_working_days(received_on, term_days)


def is_awaiting_answer(*, answered: bool) -> bool:
    """An input waits for an answer until it has a reply."""
    return not answered


def awaiting_answer_q() -> Q:
    """`is_awaiting_answer` as a filter on `Input`."""
    return Q(reply__isnull=True)


def is_answer_overdue(due_on: date, *, answered: bool, today: date | None = None) -> bool:
    """An answer is late from the day after its due date, while the input still waits for it: on the due date
    itself it is not late yet."""
    return is_awaiting_answer(answered=answered) and (today or timezone.localdate()) > due_on
