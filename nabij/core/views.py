from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from nabij.areas import selectors as area_selectors
from nabij.core import csp_reports, permissions, ratelimit, selectors, services
from nabij.core.dashboard import home_panels
from nabij.privacy.models import AuditEvent
from nabij.privacy.refusals import require


def home(request):
    """'Mijn buurten': the user's buurten on the map and as a list."""
    buurten = list(area_selectors.buurt_list(user=request.user, with_geometry=True))
    return render(
        request,
        "core/home.html",
        {
            "buurten": buurten,
            "map_data": area_selectors.buurten_feature_collection(buurten),
            "home_panels": home_panels(request),
        },
    )


@login_not_required
def privacy_statement(request):
    return render(request, "core/privacy.html")


@login_not_required
@csrf_exempt
@require_POST
def csp_report(request):
    """Browsers post CSP violation reports here (the policy's `report-uri` and `report-to`). Answered 204 without
    a body; what is stored holds no personal data (nabij.core.csp_reports)."""
    content_type = request.content_type.split(";")[0].strip().lower()
    if content_type not in csp_reports.CONTENT_TYPES:
        return HttpResponse(status=415)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.NABIJ_CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    if not ratelimit.allow(request, scope="csp-report", limit=settings.NABIJ_CSP_REPORT_RATE):
        return HttpResponse(status=429)
    raw = request.read(settings.NABIJ_CSP_REPORT_MAX_BYTES + 1)
    if len(raw) > settings.NABIJ_CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        reports = csp_reports.csp_reports_parse(raw=raw)
    except csp_reports.BadReport:
        return HttpResponse(status=400)
    services.csp_reports_store(reports=reports)
    return HttpResponse(status=204)


def csp_report_list(request):
    """The CSP reports for beheerders: what the policy blocked, grouped by directive and blocked origin."""
    require(
        permissions.can_manage_users(request.user),
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        object_type="csp_report",
    )
    return render(
        request,
        "core/csp_report_list.html",
        {"groups": selectors.csp_report_groups()[:200], "latest": selectors.csp_report_latest(limit=50)},
    )
