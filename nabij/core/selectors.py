"""Reads of core's own records: the CSP violation reports (no personal data, so no audit)."""

from __future__ import annotations

from django.db.models import Count, Max, QuerySet

from nabij.core.models import CspReport


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
