"""What a worker relies on: a promise due yesterday is overdue on "Mijn beloftes", in the API and in the morning
digest alike, and one due today is not — also at 00:30 on the Amsterdam wall clock in the night after a DST change,
when the UTC date is still yesterday's. The clock is the one thing mocked."""

from datetime import UTC, date, datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from nabij.followup import rules, services
from nabij.followup.tests.factories import PromiseFactory, ReferralFactory

pytestmark = pytest.mark.django_db

# 00:30 local time, the night after the clocks changed; in UTC it is still the day before.
NIGHTS = {
    "after clocks went back": (datetime(2026, 10, 25, 23, 30, tzinfo=UTC), date(2026, 10, 26)),
    "after clocks went forward": (datetime(2026, 3, 29, 22, 30, tzinfo=UTC), date(2026, 3, 30)),
}


@pytest.fixture(params=list(NIGHTS), ids=list(NIGHTS))
def night(request, monkeypatch):
    """The wall clock at 00:30 in Amsterdam; returns the local date ("today")."""
    utc, local = NIGHTS[request.param]
    monkeypatch.setattr(timezone, "now", lambda: utc)
    assert rules.local_today() == local and utc.date() != local
    return local


@pytest.fixture
def promises(worker, buurt, night):
    yesterday = night.fromordinal(night.toordinal() - 1)
    late = PromiseFactory(owner=worker, buurt=buurt, due_date=yesterday, description="Folder brengen")
    today = PromiseFactory(owner=worker, buurt=buurt, due_date=night, description="Terugbellen")
    return late, today


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_due_yesterday_is_overdue_and_due_today_is_not_on_my_promises(client, worker, promises):
    client.force_login(worker)
    response = client.get(reverse("followup:my-promises"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Folder brengen" in _section(html, "h-overdue") and "Terugbellen" not in _section(html, "h-overdue")
    assert "Terugbellen" in _section(html, "h-today")


def test_due_yesterday_is_overdue_and_due_today_is_not_in_the_api(client, worker, promises):
    late, today = promises
    client.force_login(worker)
    listed = {p["id"]: p["te_laat"] for p in client.get("/api/v1/beloftes").json()["items"]}
    assert listed == {late.pk: True, today.pk: False}
    filtered = client.get("/api/v1/beloftes?status=te-laat").json()["items"]
    assert [p["id"] for p in filtered] == [late.pk]


def test_due_yesterday_is_overdue_and_due_today_is_not_in_the_digest(worker, promises, night):
    late, today = promises
    assert services.digest_send_all(day=rules.local_today()) == 1
    overdue_part, today_part = mail.outbox[0].body.split("Beloftes voor vandaag")
    assert late.description in overdue_part and today.description not in overdue_part
    assert today.description in today_part


def test_navragen_yesterday_is_overdue_and_today_is_not_in_the_api(client, worker, buurt, night):
    yesterday = night.fromordinal(night.toordinal() - 1)
    late = ReferralFactory(worker=worker, buurt=buurt, navragen_op=yesterday)
    today = ReferralFactory(worker=worker, buurt=buurt, navragen_op=night)
    client.force_login(worker)
    listed = {r["id"]: r["te_laat"] for r in client.get("/api/v1/doorverwijzingen").json()["items"]}
    assert listed == {late.pk: True, today.pk: False}
    filtered = client.get("/api/v1/doorverwijzingen?te_laat=true").json()["items"]
    assert [r["id"] for r in filtered] == [late.pk]
