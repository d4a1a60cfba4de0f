"""The morning digest: one per person per day, also when the job runs twice or crashes halfway."""

from unittest import mock

from django.core import mail

import pytest

from nabij.followup import rules, services
from nabij.followup.models import DigestSent
from nabij.followup.tasks import digest_run_task
from nabij.followup.tests.factories import PromiseFactory, ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_workers(buurt):
    workers = UserFactory.create_batch(3, scope_buurten=[buurt])
    for user in workers:
        PromiseFactory(owner=user, buurt=buurt, overdue=True)
    return workers


def test_digest_lists_overdue_and_today_and_referrals(worker, buurt):
    PromiseFactory(owner=worker, buurt=buurt, overdue=True, description="Folder brengen")
    PromiseFactory(owner=worker, buurt=buurt, description="Terugbellen")
    ReferralFactory(worker=worker, buurt=buurt, overdue=True)
    assert services.digest_send_all(day=rules.local_today()) == 1
    body = mail.outbox[0].body
    assert "Folder brengen" in body and "Terugbellen" in body
    assert mail.outbox[0].to == [worker.email]


def test_nobody_without_something_due_gets_a_digest(worker, buurt):
    assert services.digest_send_all(day=rules.local_today()) == 0
    assert mail.outbox == []


def test_running_the_digest_twice_sends_one_per_person(three_workers):
    day = rules.local_today().isoformat()
    digest_run_task.enqueue(day)
    digest_run_task.enqueue(day)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in three_workers)
    assert DigestSent.objects.filter(sent_at__isnull=False).count() == 3


def test_crash_halfway_then_rerun_sends_the_rest_and_nobody_twice(three_workers):
    day = rules.local_today()
    real_deliver = services._deliver
    calls = {"n": 0}

    def crash_on_second(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker stopped")
        return real_deliver(*args, **kwargs)

    with mock.patch.object(services, "_deliver", side_effect=crash_on_second), pytest.raises(SystemExit):
        services.digest_send_all(day=day)
    assert len(mail.outbox) == 1

    services.digest_send_all(day=day)
    recipients = [m.to[0] for m in mail.outbox]
    assert sorted(recipients) == sorted(u.email for u in three_workers)
    assert len(recipients) == len(set(recipients))


def test_a_claimed_digest_is_never_sent_again(worker, buurt):
    """A worker killed after claiming (no chance to release) leaves the claim: a re-run skips that person."""
    PromiseFactory(owner=worker, buurt=buurt, overdue=True)
    DigestSent.objects.create(user=worker, day=rules.local_today())
    assert services.digest_send_all(day=rules.local_today()) == 0


def test_schedule_is_not_started_on_a_backend_that_cannot_defer():
    from nabij.followup.scheduling import digest_schedule_ensure

    assert digest_schedule_ensure() is False


def test_next_run_is_today_before_the_hour_and_tomorrow_after(settings):
    from datetime import UTC, datetime

    from django.utils import timezone

    from nabij.followup.scheduling import next_digest_run

    settings.NABIJ_DIGEST_HOUR = 7
    early = datetime(2026, 3, 29, 4, 30, tzinfo=UTC)
    late = datetime(2026, 3, 29, 5, 30, tzinfo=UTC)
    assert next_digest_run(early)[0].isoformat() == "2026-03-29"
    day, at = next_digest_run(late)
    assert day.isoformat() == "2026-03-30"
    assert timezone.localtime(at).hour == 7


def test_schedule_with_the_database_backend_starts_one_chain_only(settings):
    from django_tasks_db.models import DBTaskResult

    from nabij.followup.scheduling import DIGEST_TASK_PATH, digest_schedule_ensure

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert digest_schedule_ensure() is True
    assert digest_schedule_ensure() is False
    waiting = DBTaskResult.objects.filter(task_path=DIGEST_TASK_PATH, status="READY")
    assert waiting.count() == 1
    assert waiting.get().run_after > __import__("django.utils.timezone").utils.timezone.now()


def test_crash_halfway_marks_what_went_out_and_releases_the_rest(three_workers):
    day = rules.local_today()
    real_deliver = services._deliver
    calls = {"n": 0}

    def crash_on_second(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker stopped")
        return real_deliver(*args, **kwargs)

    with mock.patch.object(services, "_deliver", side_effect=crash_on_second), pytest.raises(SystemExit):
        services.digest_send_all(day=day)
    assert list(DigestSent.objects.values_list("user__email", flat=True)) == [mail.outbox[0].to[0]]
    assert DigestSent.objects.get().sent_at is not None


def test_a_failing_mail_does_not_stop_the_others_and_is_sent_on_a_rerun(three_workers):
    day = rules.local_today()
    real_deliver = services._deliver
    calls = {"n": 0}

    def fail_first(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("smtp down")
        return real_deliver(*args, **kwargs)

    with mock.patch.object(services, "_deliver", side_effect=fail_first):
        assert services.digest_send_all(day=day) == 2
    assert services.digest_send_all(day=day) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in three_workers)


def test_digest_runs_in_batches_with_one_marking_query_per_mail(buurt, django_assert_max_num_queries):
    workers = UserFactory.create_batch(12, scope_buurten=[buurt])
    for user in workers:
        PromiseFactory(owner=user, buurt=buurt, overdue=True)
        ReferralFactory(worker=user, buurt=buurt, overdue=True)
    # Reads for the run (items, recipients, sections) + per batch of 5: claim (+ savepoint pair); per mail its sent
    # UPDATE, so that a hard kill leaves at most one mail unmarked (decision 0023). Reads are never per person.
    with django_assert_max_num_queries(4 + 3 * 3 + 12):
        assert services.digest_send_all(day=rules.local_today(), batch_size=5) == 12
    assert len(mail.outbox) == 12


def test_each_digest_lists_only_its_own_items(worker, colleague, buurt):
    PromiseFactory(owner=worker, buurt=buurt, overdue=True, description="Folder brengen")
    PromiseFactory(owner=colleague, buurt=buurt, overdue=True, description="Ladder lenen")
    services.digest_send_all(day=rules.local_today())
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "Folder brengen" in bodies[worker.email] and "Ladder lenen" not in bodies[worker.email]
    assert "Ladder lenen" in bodies[colleague.email]
