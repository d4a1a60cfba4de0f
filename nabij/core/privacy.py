"""Core's records in the privacy registry (nabij.privacy.registry): CSP violation reports expire after their
period (they hold no personal data, only what a developer needs to fix a page); worker heartbeats are not
personal data."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from nabij.core.models import CspReport
from nabij.privacy.registry import PersonalData, register, register_not_personal, retention_period


def csp_reports_expired(now) -> QuerySet:
    return CspReport.objects.filter(created_at__lt=now - retention_period("cspmeldingen"))


register(
    PersonalData(
        key="cspmeldingen",
        model="core.CspReport",
        title=_("CSP violation reports"),
        # The directive, the blocked origin, a page path without query string, a script path: no person in them.
        not_personal_fields=("directive", "blocked", "document_path", "source_path"),
        erase=lambda qs: CspReport.objects.filter(pk__in=list(qs.values_list("pk", flat=True))).delete()[0],
        expired=csp_reports_expired,
        order=920,
    )
)
register_not_personal("core.TaskWorker", reason="a background worker's host, process id and heartbeat")
register_not_personal("core.Topic", reason="the controlled list of topics")
