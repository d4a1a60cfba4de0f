"""Reads of core's own records: the CSP violation reports and the controlled topic list (no personal data, so
no audit)."""

from __future__ import annotations

import time

from django.db.models import Count, Max, QuerySet

from nabij.core.models import CspReport, Topic


def csp_report_groups() -> QuerySet:
    """The reports per directive and blocked origin, with their number and when the last came in, newest first.
    The reports belong to no organisation and hold no personal data, so every beheerder sees them all."""
    return (
        CspReport.objects.values("directive", "blocked")
        .annotate(count=Count("id"), last_seen=Max("created_at"))
        .order_by("-last_seen", "directive", "blocked")
    )


def csp_report_latest(*, limit: int = 50) -> QuerySet:
    return CspReport.objects.order_by("-created_at", "-id")[:limit]


def topic_list(*, active_only: bool = True) -> QuerySet[Topic]:
    qs = Topic.objects.all()
    return qs.filter(is_active=True) if active_only else qs


# The topic list is not personal data and changes rarely (a beheerder edits it), so each process keeps a copy:
# dropped at once when a topic is saved in this process (post_save, see core/apps.py) and refreshed after
# TOPIC_CACHE_SECONDS in the others. See docs/decisions/0101-contacts-read-and-capture-costs.md.
TOPIC_CACHE_SECONDS = 30.0
_topic_cache: tuple[float, tuple[Topic, ...]] | None = None


def topic_catalogue() -> tuple[Topic, ...]:
    """Every topic, active or not, in picker order (position, label), from this process's short-lived copy.
    Treat the objects as read-only: they are shared between requests."""
    global _topic_cache
    cached = _topic_cache
    now = time.monotonic()
    if cached is None or cached[0] <= now:
        cached = (now + TOPIC_CACHE_SECONDS, tuple(Topic.objects.order_by("position", "label")))
        _topic_cache = cached
    return cached[1]


def topic_cache_clear(**kwargs: object) -> None:
    """Drop this process's copy of the topic list (connected to Topic's post_save)."""
    global _topic_cache
    _topic_cache = None


def active_topics() -> list[Topic]:
    """The topics a worker may choose now, in picker order."""
    return [t for t in topic_catalogue() if t.is_active]
