from datetime import timedelta

from django.urls import reverse

import pytest

from nabij.followup.models import Promise, Referral
from nabij.followup.rules import local_today
from nabij.followup.tests.factories import ContactMomentFactory, PromiseFactory, ProviderFactory, ReferralFactory
from nabij.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, worker):
    client.force_login(worker)
    return client


def test_my_promises_page_shows_overdue_in_words_and_is_audited(logged_in, worker, buurt):
    PromiseFactory(owner=worker, buurt=buurt, overdue=True, description="Folder brengen")
    response = logged_in.get(reverse("followup:my-promises"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Folder brengen" in html and 'id="h-overdue"' in html and "nabij-overdue-icon" in html
    assert AuditEvent.objects.filter(actor=worker, object_type="promise_list").exists()


def test_my_promises_query_count_does_not_grow(logged_in, worker, buurt, django_assert_max_num_queries):
    PromiseFactory.create_batch(2, owner=worker, buurt=buurt)
    logged_in.get(reverse("followup:my-promises"))
    PromiseFactory.create_batch(20, owner=worker, buurt=buurt)
    ReferralFactory.create_batch(5, worker=worker, buurt=buurt, overdue=True)
    with django_assert_max_num_queries(16):
        assert logged_in.get(reverse("followup:my-promises")).status_code == 200


def test_analist_gets_403(client, analist):
    client.force_login(analist)
    assert client.get(reverse("followup:my-promises")).status_code == 403


def test_keep_with_htmx_swaps_the_item(logged_in, worker, buurt):
    promise = PromiseFactory(owner=worker, buurt=buurt)
    response = logged_in.post(
        reverse("followup:promise-keep", args=[promise.pk]), {"note": "Gedaan"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert Promise.objects.get(pk=promise.pk).status == "nagekomen"


def test_keep_without_js_redirects(logged_in, worker, buurt):
    promise = PromiseFactory(owner=worker, buurt=buurt)
    response = logged_in.post(reverse("followup:promise-keep", args=[promise.pk]))
    assert response.status_code == 302


def test_promise_outside_scope_is_404_and_audited(logged_in, worker, other_buurt):
    promise = PromiseFactory(buurt=other_buurt)
    assert logged_in.get(reverse("followup:promise-detail", args=[promise.pk])).status_code == 404
    assert AuditEvent.objects.filter(actor=worker, result="denied", object_type="promise").exists()


def test_create_from_contact_moment_with_quick_pick_tomorrow(logged_in, worker, buurt):
    moment = ContactMomentFactory(buurt=buurt, worker=worker, needs_follow_up=True, organisation=worker.organisation)
    url = reverse("followup:promise-create") + f"?contactmoment={moment.pk}"
    assert logged_in.get(url).status_code == 200
    response = logged_in.post(
        reverse("followup:promise-create"),
        {"description": "Uitzoeken", "due": "morgen", "owner": worker.pk, "contact_moment": moment.pk},
    )
    assert response.status_code == 302
    promise = Promise.objects.get()
    assert promise.contact_moment == moment
    assert (promise.due_date - local_today()).days == 1


def test_create_with_past_date_shows_the_error_next_to_the_field(logged_in, worker, buurt):
    response = logged_in.post(
        reverse("followup:promise-create"),
        {"description": "x", "due": "datum", "due_date": "2000-01-01", "owner": worker.pk, "buurt": buurt.code},
    )
    assert response.status_code == 422
    assert "id_due_date_error" in response.content.decode()
    assert not Promise.objects.exists()


def test_saved_contact_that_needs_follow_up_offers_a_promise(logged_in, worker, buurt):
    moment = ContactMomentFactory(buurt=buurt, worker=worker, needs_follow_up=True, organisation=worker.organisation)
    response = logged_in.get(reverse("contacts:my-contacts") + f"?opgeslagen={moment.pk}")
    assert f"?contactmoment={moment.pk}" in response.content.decode()


def test_referral_outside_buurt_warns_then_saves_with_reason(logged_in, worker, buurt, other_buurt):
    worker.scope_buurten.add(other_buurt)
    provider = ProviderFactory(buurten=[other_buurt])
    data = {"provider": provider.pk, "topic": "energie-geldzaken", "buurt": buurt.code, "warm": "0"}
    response = logged_in.post(reverse("followup:referral-create"), data)
    assert response.status_code == 422
    assert "utrecht-alert--warning" in response.content.decode()
    response = logged_in.post(reverse("followup:referral-create"), data | {"outside_buurt_reason": "Avondspreekuur"})
    assert response.status_code == 302
    assert Referral.objects.get().outside_buurt_reason


def test_record_hearing_back_on_the_referral_page(logged_in, worker, buurt):
    referral = ReferralFactory(worker=worker, buurt=buurt)
    url = reverse("followup:referral-detail", args=[referral.pk])
    response = logged_in.post(url, {"status": "geholpen", "note": "Afspraak gehad"})
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == "geholpen"


def test_team_view_for_coordinator_and_403_for_worker(client, coordinator, worker, buurt):
    PromiseFactory(owner=worker, buurt=buurt, overdue=True)
    client.force_login(worker)
    assert client.get(reverse("followup:team")).status_code == 403
    client.force_login(coordinator)
    response = client.get(reverse("followup:team"))
    assert response.status_code == 200 and "<svg" in response.content.decode()
    assert client.get(reverse("followup:learning")).status_code == 200


def test_menu_shows_my_promises_with_badge_count(logged_in, worker, buurt):
    PromiseFactory(owner=worker, buurt=buurt, overdue=True)
    response = logged_in.get(reverse("followup:my-promises"))
    item = next(i for i in response.context["nav_items"] if i.url == reverse("followup:my-promises"))
    assert item.badge == 1
    html = response.content.decode()
    assert 'class="utrecht-number-badge nabij-nav__badge"' in html
    assert '<span class="nabij-visually-hidden">1 te laat of vandaag</span>' in html


def test_menu_has_no_badge_when_nothing_is_due(logged_in, worker, buurt):
    PromiseFactory(owner=worker, buurt=buurt, due_date=local_today() + timedelta(days=3))
    response = logged_in.get(reverse("followup:my-promises"))
    item = next(i for i in response.context["nav_items"] if i.url == reverse("followup:my-promises"))
    assert item.badge is None
    assert "utrecht-number-badge" not in response.content.decode()


def test_badge_costs_one_query_per_page_however_many_items(logged_in, worker, buurt):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    PromiseFactory.create_batch(5, owner=worker, buurt=buurt, overdue=True)
    with CaptureQueriesContext(connection) as queries:
        logged_in.get(reverse("core:home"))
    badge_queries = [q for q in queries.captured_queries if "followup_promise" in q["sql"]]
    assert len(badge_queries) == 1
