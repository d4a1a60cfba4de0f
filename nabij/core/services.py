"""Writes of core's own records: the CSP violation reports."""

from __future__ import annotations

from nabij.core.models import CspReport


def csp_reports_store(*, reports: list[CspReport]) -> list[CspReport]:
    """Keep the reports (already stripped of everything personal by `csp_reports_parse`)."""
    for report in reports:
        report.full_clean()
    return CspReport.objects.bulk_create(reports)
