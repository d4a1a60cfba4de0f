from datetime import timedelta

import pytest

from nabij.followup.models import Promise, Referral
from nabij.followup.rules import local_today
from nabij.followup.tests.factories import PromiseFactory, ProviderFactory, ReferralFactory
from nabij.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, worker):
    client.force_login(worker)
    return client


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_create_promise(api, worker, buurt):
    response = _post(
        api, "/api/v1/beloftes", {"omschrijving": "Folder brengen", "deadline": str(local_today()), "buurt": buurt.code}
    )
    assert response.status_code == 201
    assert response.json()["eigenaar"] == worker.pk


def test_deadline_in_the_past_is_422_naming_the_field(api, buurt):
    past = str(local_today() - timedelta(days=1))
    response = _post(api, "/api/v1/beloftes", {"omschrijving": "x", "deadline": past, "buurt": buurt.code})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "deadline"]
    assert not Promise.objects.exists()


def test_owner_outside_team_is_422(api, stranger, buurt):
    response = _post(
        api,
        "/api/v1/beloftes",
        {"omschrijving": "x", "deadline": str(local_today()), "buurt": buurt.code, "eigenaar": stranger.pk},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "eigenaar"]


def test_keep_and_not_back_to_open(api, worker, buurt):
    promise = PromiseFactory(owner=worker, buurt=buurt)
    assert _post(api, f"/api/v1/beloftes/{promise.pk}/nagekomen", {"toelichting": "Gedaan"}).status_code == 200
    response = _post(api, f"/api/v1/beloftes/{promise.pk}/status", {"status": "open"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "status"]


def test_hand_over(api, worker, colleague, buurt):
    promise = PromiseFactory(owner=worker, buurt=buurt)
    response = _post(api, f"/api/v1/beloftes/{promise.pk}/overdragen", {"eigenaar": colleague.pk, "toelichting": "Jij"})
    assert response.status_code == 200 and response.json()["eigenaar"] == colleague.pk


def test_list_te_laat_and_audited(api, worker, buurt):
    late = PromiseFactory(owner=worker, buurt=buurt, overdue=True)
    PromiseFactory(owner=worker, buurt=buurt)
    response = api.get("/api/v1/beloftes?status=te-laat")
    assert [p["id"] for p in response.json()["items"]] == [late.pk]
    assert AuditEvent.objects.filter(actor=worker, object_type="promise_list").exists()


def test_promise_outside_scope_is_404(api, other_buurt):
    promise = PromiseFactory(buurt=other_buurt)
    assert _post(api, f"/api/v1/beloftes/{promise.pk}/nagekomen", {}).status_code == 404


def test_analist_gets_403_on_the_list(client, analist):
    client.force_login(analist)
    assert client.get("/api/v1/beloftes").status_code == 403


def test_referral_create_and_status(api, worker, buurt):
    provider = ProviderFactory(buurten=[buurt])
    response = _post(
        api,
        "/api/v1/doorverwijzingen",
        {
            "verwezen_naar": provider.pk,
            "onderwerp": "energie-geldzaken",
            "buurt": buurt.code,
            "warm": True,
            "toestemming": True,
        },
    )
    assert response.status_code == 201
    referral_id = response.json()["id"]
    response = _post(api, f"/api/v1/doorverwijzingen/{referral_id}/status", {"status": "geholpen"})
    assert response.status_code == 200 and response.json()["teruggehoord_op"]


def test_referral_outside_buurt_without_reason_is_422(api, worker, buurt, other_buurt):
    worker.scope_buurten.add(other_buurt)
    provider = ProviderFactory(buurten=[other_buurt])
    response = _post(
        api,
        "/api/v1/doorverwijzingen",
        {"verwezen_naar": provider.pk, "onderwerp": "energie-geldzaken", "buurt": buurt.code},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "verwezen_naar"]
    assert not Referral.objects.exists()


def test_referral_list_te_laat(api, worker, buurt):
    late = ReferralFactory(worker=worker, buurt=buurt, overdue=True)
    ReferralFactory(worker=worker, buurt=buurt)
    response = api.get("/api/v1/doorverwijzingen?te_laat=true")
    assert [r["id"] for r in response.json()["items"]] == [late.pk]
