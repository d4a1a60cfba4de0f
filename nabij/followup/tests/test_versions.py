"""Edits of promises and referrals never silently overwrite a colleague's: forms carry the version they were shown
with, the API takes it in `If-Match`; a stale edit shows the form again with the colleague's values (409)."""

from django.urls import reverse

import pytest

from nabij.core.concurrency import etag
from nabij.followup import services
from nabij.followup.models import Promise, Referral
from nabij.followup.tests.factories import PromiseFactory, ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, worker):
    client.force_login(worker)
    return client


def test_the_promise_page_carries_the_version_it_shows(logged_in, worker, buurt):
    promise = PromiseFactory(owner=worker, buurt=buurt)
    html = logged_in.get(reverse("followup:promise-detail", args=[promise.pk])).content.decode()
    assert 'name="version" value="1"' in html


def test_a_stale_fail_form_comes_back_with_the_colleagues_values_and_a_dutch_message(
    logged_in, worker, coordinator, buurt
):
    promise = PromiseFactory(owner=worker, buurt=buurt)
    # The coordinator keeps it while the worker still has the page open (version 1).
    services.promise_keep(user=coordinator, promise=Promise.objects.get(pk=promise.pk), note="Door collega gedaan")
    response = logged_in.post(
        reverse("followup:promise-fail", args=[promise.pk]),
        {"reason": "Geen tijd gehad", "version": 1},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Een collega heeft dit intussen gewijzigd" in html
    assert "Door collega gedaan" in html  # what the colleague saved
    assert "Geen tijd gehad" in html  # the worker's own input is kept
    promise.refresh_from_db()
    assert promise.status == "nagekomen" and promise.failure_reason == ""


def test_the_form_with_the_current_version_goes_through(logged_in, worker, buurt):
    promise = PromiseFactory(owner=worker, buurt=buurt)
    response = logged_in.post(reverse("followup:promise-keep", args=[promise.pk]), {"version": 1})
    assert response.status_code == 302
    assert Promise.objects.get(pk=promise.pk).version == 2


def test_a_stale_keep_with_htmx_says_so_instead_of_keeping(logged_in, worker, buurt):
    promise = PromiseFactory(owner=worker, buurt=buurt)
    Promise.objects.filter(pk=promise.pk).update(version=2)
    response = logged_in.post(
        reverse("followup:promise-keep", args=[promise.pk]), {"version": 1}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "utrecht-alert--error" in response.content.decode()
    assert Promise.objects.get(pk=promise.pk).status == "open"


def test_a_stale_hearing_back_form_is_shown_again_with_409(logged_in, worker, buurt):
    referral = ReferralFactory(worker=worker, buurt=buurt)
    services.referral_set_status(user=worker, referral=referral, status="contact_gelegd", note="Eerste")
    url = reverse("followup:referral-detail", args=[referral.pk])
    response = logged_in.post(url, {"status": "geholpen", "note": "Tweede", "version": 1})
    assert response.status_code == 409
    assert 'name="version" value="2"' in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == "contact_gelegd"


def test_api_get_sends_the_etag_and_an_edit_with_it_returns_the_next(logged_in, worker, buurt):
    promise = PromiseFactory(owner=worker, buurt=buurt)
    response = logged_in.get(f"/api/v1/beloftes/{promise.pk}")
    assert response["ETag"] == etag(promise) and response.json()["versie"] == 1
    response = logged_in.post(
        f"/api/v1/beloftes/{promise.pk}/nagekomen", {}, content_type="application/json", HTTP_IF_MATCH=response["ETag"]
    )
    assert response.status_code == 200 and response["ETag"] == f'"{promise.pk}-2"'


def test_api_edit_with_a_stale_if_match_is_409_and_changes_nothing(logged_in, worker, buurt):
    promise = PromiseFactory(owner=worker, buurt=buurt)
    stale = etag(promise)
    services.promise_keep(user=worker, promise=promise)
    response = logged_in.post(
        f"/api/v1/beloftes/{promise.pk}/status",
        {"status": "niet_gelukt", "toelichting": "x"},
        content_type="application/json",
        HTTP_IF_MATCH=stale,
    )
    assert response.status_code == 409
    assert response.json()["detail"][0]["loc"] == ["body", "version"]
    assert Promise.objects.get(pk=promise.pk).status == "nagekomen"


def test_api_referral_status_honours_if_match(logged_in, worker, buurt):
    referral = ReferralFactory(worker=worker, buurt=buurt)
    url = f"/api/v1/doorverwijzingen/{referral.pk}/status"
    body = {"status": "contact_gelegd"}
    assert logged_in.post(url, body, content_type="application/json", HTTP_IF_MATCH='"0-9"').status_code == 409
    response = logged_in.post(url, body, content_type="application/json", HTTP_IF_MATCH=etag(referral))
    assert response.status_code == 200 and response.json()["versie"] == 2


def test_api_lists_refuse_a_page_larger_than_100(logged_in):
    assert logged_in.get("/api/v1/beloftes?limit=101").status_code == 400
    assert logged_in.get("/api/v1/doorverwijzingen?limit=101").status_code == 400
