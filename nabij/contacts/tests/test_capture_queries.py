"""What a capture costs in statements, now that it is plain ORM on both databases (decision 0035): the budget is
the measured count, so a change that adds a statement shows here."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from nabij.contacts import services
from nabij.contacts.models import ContactMoment
from nabij.core import selectors as core_selectors

pytestmark = pytest.mark.django_db


def _statements(ctx) -> list[str]:
    return [q["sql"].lstrip("(").split()[0].upper() for q in ctx.captured_queries]  # a UNION starts with (


@pytest.mark.parametrize("topics", [["taal"], ["taal", "jeugd", "eenzaamheid"]])
def test_a_capture_runs_the_same_statements_whatever_its_topics(
    worker, buurt, topics, django_capture_on_commit_callbacks
):
    worker = type(worker).objects.get(pk=worker.pk)
    core_selectors.topic_catalogue()  # the per-process topic list, filled once
    with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.contact_moment_create(
            user=worker, buurt=buurt.code, channel="straat", topics=topics, in_open_round=True
        )
    # The buurt with the worker's open round; the worker's scope (not yet cached); then in one transaction (a
    # savepoint inside the test's own) the moment, its topic links in one INSERT, and the audit event in three
    # statements (lock the chain head, insert, move the head; 0022). The theme recount is announced for after
    # the commit (0034).
    assert _statements(ctx) == MEASURED
    assert len(callbacks) == 1
    assert ContactMoment.objects.get().topics.count() == len(topics)


MEASURED = ["SELECT", "SELECT", "SAVEPOINT", "INSERT", "INSERT", "SELECT", "INSERT", "UPDATE", "RELEASE"]
