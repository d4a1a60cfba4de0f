"""CSP violation reports (issue 14): stored without personal data, shown to beheerders, purged after 30 days."""

import json
from datetime import timedelta

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

import pytest

from nabij.accounts.tests.factories import OrganisationFactory, UserFactory
from nabij.core.models import CspReport
from nabij.privacy.retention import retention_purge

pytestmark = pytest.mark.django_db

URL = "/csp-rapport/"

OLD_STYLE = {
    "csp-report": {
        "document-uri": "https://nabij.example/contacten/bewoners/12/?zoek=Anna+de+Vries#notitie",
        "referrer": "https://nabij.example/?email=anna@voorbeeld.nl",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": "default-src 'self'",
        "blocked-uri": "https://tracker.example:8443/pixel.js?user=anna@voorbeeld.nl",
        "source-file": "https://nabij.example/static/js/nabij.js?v=3",
        "line-number": 42,
        "column-number": 7,
        "status-code": 200,
        "disposition": "enforce",
    }
}

REPORTING_API = [
    {
        "type": "csp-violation",
        "age": 10,
        "url": "https://nabij.example/beloftes/?q=Jan+Jansen",
        "user_agent": "Mozilla/5.0 Anna's laptop",
        "body": {
            "documentURL": "https://nabij.example/beloftes/?q=Jan+Jansen",
            "effectiveDirective": "style-src-attr",
            "blockedURL": "inline",
            "sourceFile": "https://nabij.example/static/vendor/htmx/htmx.min.js",
            "lineNumber": 1,
            "disposition": "report",
        },
    },
    {"type": "deprecation", "body": {"id": "x"}},
]


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def _post(client, body, content_type="application/csp-report", **extra):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(URL, raw, content_type=content_type, REMOTE_ADDR="192.0.2.7", **extra)


def test_an_old_style_report_is_stored_without_personal_data(client, db):
    assert _post(client, OLD_STYLE).status_code == 204
    report = CspReport.objects.get()
    assert (report.directive, report.blocked) == ("script-src-elem", "https://tracker.example:8443")
    assert (report.document_path, report.source_path, report.line) == (
        "/contacten/bewoners/12/",
        "/static/js/nabij.js",
        42,
    )
    stored = repr(list(CspReport.objects.values())).lower()
    for personal in ("anna", "vries", "192.0.2.7", "zoek=", "user="):
        assert personal not in stored


def test_a_reporting_api_batch_keeps_only_csp_violations(client, db):
    assert _post(client, REPORTING_API, content_type="application/reports+json").status_code == 204
    report = CspReport.objects.get()
    assert (report.directive, report.blocked, report.document_path, report.enforced) == (
        "style-src-attr",
        "inline",
        "/beloftes/",
        False,
    )
    stored = repr(list(CspReport.objects.values())).lower()
    assert "jan" not in stored and "laptop" not in stored


def test_a_report_from_a_logged_in_browser_is_not_tied_to_the_user(client, db):
    user = UserFactory()
    client.force_login(user)
    _post(client, OLD_STYLE)
    assert CspReport.objects.count() == 1
    assert not [f for f in CspReport._meta.get_fields() if f.is_relation]


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"not json", "application/csp-report", 400),
        ({"anders": 1}, "application/csp-report", 400),
        (OLD_STYLE, "text/plain", 415),
        (b"x" * (17 * 1024), "application/csp-report", 413),
    ],
)
def test_bad_reports_are_refused_and_nothing_is_stored(client, body, content_type, status):
    assert _post(client, body, content_type=content_type).status_code == status
    assert not CspReport.objects.exists()


def test_a_get_is_not_allowed(client, db):
    assert client.get(URL).status_code == 405


def test_reports_are_rate_limited_per_address(client, db):
    statuses = [_post(client, OLD_STYLE).status_code for _ in range(31)]
    assert statuses[:30] == [204] * 30
    assert statuses[30] == 429
    assert CspReport.objects.count() == 30


def test_old_reports_are_purged(client, db):
    _post(client, OLD_STYLE)
    _post(client, OLD_STYLE)
    old = CspReport.objects.first()
    CspReport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert retention_purge()["cspmeldingen"] == 1
    assert CspReport.objects.count() == 1


def test_pages_name_the_report_endpoint_in_their_policy(client, db):
    response = client.get(reverse("accounts:login"))
    assert "report-uri /csp-rapport/" in response["Content-Security-Policy"]
    assert "report-to csp" in response["Content-Security-Policy"]
    assert response["Reporting-Endpoints"] == 'csp="/csp-rapport/"'


# --- the page for beheerders --------------------------------------------------------------------------------


def test_a_beheerder_of_any_organisation_sees_the_grouped_reports(client, db):
    for _ in range(3):
        _post(client, OLD_STYLE)
    _post(client, REPORTING_API, content_type="application/reports+json")
    client.force_login(UserFactory(beheerder=True, organisation=OrganisationFactory()))
    response = client.get(reverse("core:csp-report-list"))
    assert response.status_code == 200
    groups = {(g["directive"], g["blocked"]): g["count"] for g in response.context["groups"]}
    assert groups == {("script-src-elem", "https://tracker.example:8443"): 3, ("style-src-attr", "inline"): 1}
    assert "CSP-meldingen" in response.content.decode()


def test_a_superuser_sees_the_reports(client, db):
    client.force_login(UserFactory(superuser=True))
    assert client.get(reverse("core:csp-report-list")).status_code == 200


@pytest.mark.parametrize("role", ["buurtwerker", "coordinator", "analist", "corporatie"])
def test_other_roles_may_not_see_the_reports(client, db, role):
    client.force_login(UserFactory(**{role: True}))
    assert client.get(reverse("core:csp-report-list")).status_code == 403


def test_the_menu_shows_the_page_to_beheerders_only(client, db):
    client.force_login(UserFactory(beheerder=True))
    assert reverse("core:csp-report-list") in client.get("/").content.decode()
    client.force_login(UserFactory(coordinator=True))
    assert reverse("core:csp-report-list") not in client.get("/").content.decode()
