"""A renamed topic: the sociale kaart is searched by the topics' labels, so entries follow the new label."""

import pytest

from nabij.assets import selectors, services
from nabij.assets.tests.factories import UserFactory
from nabij.core import services as core_services
from nabij.core.models import Topic


@pytest.fixture
def beheerder(db):
    return UserFactory(role="beheerder")


@pytest.fixture
def garden(db):
    return Topic.objects.create(slug="groen", label="Buurtmoestuinen", label_en="Community gardens")


def _rename(beheerder, topic, label, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        core_services.topic_update(
            user=beheerder, topic=topic, label=label, label_en="", is_active=True, position=topic.position
        )


def _names(user, buurt, q):
    return [h.name for h in selectors.social_map_search(user=user, buurt=buurt, q=q)]


def test_search_finds_an_entry_by_the_new_label_of_its_topic(
    worker, buurt, beheerder, garden, django_capture_on_commit_callbacks
):
    services.initiative_save(user=worker, name="Groene hoek", buurten=[buurt.code], topics=["groen"])

    _rename(beheerder, garden, "Stadslandbouw", django_capture_on_commit_callbacks)

    assert _names(worker, buurt, "stadslandbouw") == ["Groene hoek"]


def test_search_no_longer_finds_an_entry_by_the_old_label_of_its_topic(
    worker, buurt, beheerder, garden, django_capture_on_commit_callbacks
):
    services.place_save(user=worker, name="Het Veldje", buurt=buurt.code, topics=["groen"])
    assert _names(worker, buurt, "buurtmoestuinen") == ["Het Veldje"]

    _rename(beheerder, garden, "Stadslandbouw", django_capture_on_commit_callbacks)

    assert _names(worker, buurt, "buurtmoestuinen") == []


def test_a_renamed_topic_keeps_the_rest_of_the_search_text(
    worker, buurt, beheerder, garden, django_capture_on_commit_callbacks
):
    services.provider_save(
        user=worker,
        name="Het Loket",
        buurten=[buurt.code],
        kind="schuldhulp",
        description="Hulp bij rekeningen.",
        topics=["groen"],
    )
    services.key_figure_create(
        user=worker,
        label="buurtvader",
        buurt=buurt.code,
        gifts="Kan goed repareren.",
        consent=True,
        role="klusser",
        topics=["groen"],
    )

    _rename(beheerder, garden, "Stadslandbouw", django_capture_on_commit_callbacks)

    assert _names(worker, buurt, "rekeningen") == ["Het Loket"]
    assert _names(worker, buurt, "klusser") == ["buurtvader"]
