"""Writes of core's own records: the CSP violation reports and the controlled topic list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from nabij.core import events, permissions
from nabij.core.exceptions import InvalidInput, PermissionRefused
from nabij.core.models import CspReport, Topic
from nabij.privacy.services import audit_record

if TYPE_CHECKING:
    from nabij.accounts.models import User


def csp_reports_store(*, reports: list[CspReport]) -> list[CspReport]:
    """Keep the reports (already stripped of everything personal by `csp_reports_parse`)."""
    for report in reports:
        report.full_clean()
    return CspReport.objects.bulk_create(reports)


def topic_create(*, user: User, slug: str, label: str, label_en: str = "", position: int = 100) -> Topic:
    """A new topic for the controlled list; slugs are unique and never change afterwards."""
    if not permissions.can_manage_topics(user):
        raise PermissionRefused(_("You may not manage topics."))
    if Topic.objects.filter(slug=slug).exists():
        raise InvalidInput(_("A topic with this slug already exists."), field="slug")
    topic = Topic(slug=slug, label=label.strip(), label_en=label_en.strip(), position=position)
    topic.full_clean()
    topic.save()
    audit_record(actor=user, action="create", object_type="topic", object_id=topic.pk)
    return topic


def topic_update(*, user: User, topic: Topic, label: str, label_en: str, is_active: bool, position: int) -> Topic:
    """Change a topic's labels, order or active flag. The slug stays; a used topic is deactivated, not deleted."""
    if not permissions.can_manage_topics(user):
        raise PermissionRefused(_("You may not manage topics."))
    renamed = (topic.label, topic.label_en) != (label.strip(), label_en.strip())
    topic.label = label.strip()
    topic.label_en = label_en.strip()
    topic.is_active = is_active
    topic.position = position
    topic.full_clean()
    topic.save(update_fields=["label", "label_en", "is_active", "position"])
    audit_record(actor=user, action="update", object_type="topic", object_id=topic.pk)
    if renamed:
        events.topic_renamed.announce(topic_id=topic.pk)  # the sociale kaart searches the labels
    return topic


def topic_seed_standard() -> None:
    """Make sure the standard topics exist; existing ones (and a beheerder's label edits) are left alone."""
    from nabij.core.topics import STANDARD_TOPICS

    for position, (slug, label, label_en) in enumerate(STANDARD_TOPICS, start=1):
        Topic.objects.get_or_create(
            slug=slug, defaults={"label": label, "label_en": label_en, "position": position * 10}
        )
