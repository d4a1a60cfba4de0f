"""The topic list moved from contacts to core (issue 15) by moving Django's state only: a database made before
the move keeps its topics and their ids in the same table, and the content type follows the model."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import pytest

from nabij.core.models import Topic

BEFORE = [("core", "0002_task_worker")]  # unapplies core 0003 and every state-only move that follows it


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_its_topics_and_links():
    leaves = _leaves()
    _migrate(BEFORE)
    state = MigrationExecutor(connection)._create_project_state(with_applied_migrations=True)
    OldTopic = state.apps.get_model("contacts", "Topic")
    ContentTypeOld = state.apps.get_model("contenttypes", "ContentType")
    topic = OldTopic.objects.create(slug="voor-de-verhuizing", label="voor de verhuizing", position=7)
    ContentTypeOld.objects.filter(app_label="core", model="topic").delete()
    ContentTypeOld.objects.get_or_create(app_label="contacts", model="topic")
    before = OldTopic.objects.count()

    _migrate(leaves)
    ContentType.objects.clear_cache()

    moved = Topic.objects.get(pk=topic.pk)
    assert (moved.slug, moved.label, moved.position) == ("voor-de-verhuizing", "voor de verhuizing", 7)
    assert Topic.objects.count() == before
    assert ContentType.objects.filter(app_label="core", model="topic").exists()
    assert not ContentType.objects.filter(app_label="contacts", model="topic").exists()
    assert Topic._meta.db_table == "contacts_topic"
