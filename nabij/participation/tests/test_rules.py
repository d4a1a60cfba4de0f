"""The answer-term rules (`nabij.participation.rules`): when an input must be answered, when it still waits and
when its answer is late — in the rule, on the answer queue and at 00:30 on the Amsterdam wall clock."""

from datetime import UTC, date, datetime

from django.urls import reverse
from django.utils import timezone

import pytest

from nabij.participation import rules
from nabij.participation.models import Input
from nabij.participation.tests.factories import InputFactory, ProjectFactory, ReplyFactory


def test_answer_is_due_after_the_answer_term_in_working_days():
    # Thursday 2 April 2026: Goede Vrijdag, Easter Monday and the weekends do not count.
    assert rules.answer_due_on(date(2026, 4, 2), term_days=10) == date(2026, 4, 20)


def test_answer_is_late_from_the_day_after_its_due_date_until_it_is_answered():
    due = date(2026, 5, 4)
    assert not rules.is_answer_overdue(due, answered=False, today=due)
    assert rules.is_answer_overdue(due, answered=False, today=date(2026, 5, 5))
    assert not rules.is_answer_overdue(due, answered=True, today=date(2026, 5, 5))


@pytest.mark.django_db
def test_waiting_filter_agrees_with_the_input_having_no_reply(staff, buurt):
    project = ProjectFactory(owner=staff.organisation, buurten=[buurt])
    answered = InputFactory(project=project)
    ReplyFactory(input=answered)
    InputFactory(project=project)
    inputs = Input.objects.all()
    waiting = set(inputs.filter(rules.awaiting_answer_q()).values_list("pk", flat=True))
    assert waiting == {i.pk for i in inputs if rules.is_awaiting_answer(answered=i.is_answered)}
    assert answered.pk not in waiting and len(waiting) == 1


@pytest.mark.django_db
def test_queue_marks_the_answer_due_yesterday_late_at_half_past_midnight_after_dst(client, staff, buurt, monkeypatch):
    # 26 October 2026, 00:30 in Amsterdam (the clocks went back on the 25th); in UTC it is still 25 October.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 10, 25, 23, 30, tzinfo=UTC))
    project = ProjectFactory(owner=staff.organisation, buurten=[buurt], created_by=staff)
    late = InputFactory(project=project, assigned_to=staff, due_on=date(2026, 10, 25), text="Bankjes bij de vijver")
    InputFactory(project=project, assigned_to=staff, due_on=date(2026, 10, 26), text="Meer groen op het plein")
    client.force_login(staff)
    response = client.get(reverse("participation:my-queue"))
    assert response.status_code == 200
    rows = response.text.split('<tr class="utrecht-table__row">')
    late_row = next(row for row in rows if late.text in row)
    today_row = next(row for row in rows if "Meer groen op het plein" in row)
    assert "Te laat" in late_row and "Te laat" not in today_row
