"""Writes of core's own records: the CSP violation reports."""

from __future__ import annotations

from datetime import datetime

from nabij.core.models import CspReport


def csp_reports_store(*, reports: list[CspReport]) -> list[CspReport]:
    """Keep the reports (already stripped of everything personal by `csp_reports_parse`)."""
    for report in reports:
        report.full_clean()
    return CspReport.objects.bulk_create(reports)


def csp_reports_purge(*, before: datetime) -> int:
    """Delete the reports received before `before` (the retention job: 30 days, `NABIJ_CSP_REPORT_DAYS`).
    Returns the number deleted."""
    deleted, _rows = CspReport.objects.filter(created_at__lt=before).delete()
    return deleted
