import json
from datetime import timedelta

from django.utils import timezone

import pytest

from nabij.contacts.models import ContactMoment, Round
from nabij.contacts.tests.factories import ContactMomentFactory, RoundFactory
from nabij.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def api(client, worker):
    client.force_login(worker)
    return client


def _body(buurt, **extra):
    return {"buurt": buurt.code, "kanaal": "straat", "onderwerpen": ["eenzaamheid"], "notitie": "Praatje."} | extra


def test_post_contact_returns_201_with_stored_note(api, buurt):
    response = _post(api, "/api/v1/contactmomenten", _body(buurt, notitie="Meneer Pietersen belt 0612345678."))
    assert response.status_code == 201
    data = response.json()
    assert data["id"] == ContactMoment.objects.get().pk
    assert "Pietersen" not in data["notitie"] and "0612345678" not in data["notitie"]
    assert data["onderwerpen"] == ["eenzaamheid"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"buurt": "BU00000000"}, "buurt"),
        ({"kanaal": "postduif"}, "kanaal"),
        ({"onderwerpen": ["onbekend"]}, "onderwerpen"),
        ({"onderwerpen": [], "notitie": ""}, "onderwerpen"),
    ],
)
def test_bad_contact_input_is_422_naming_the_field(api, buurt, change, field):
    response = _post(api, "/api/v1/contactmomenten", _body(buurt) | change)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]
    assert not ContactMoment.objects.exists()


def test_date_far_ahead_is_422(api, buurt):
    future = (timezone.now() + timedelta(days=3)).isoformat()
    response = _post(api, "/api/v1/contactmomenten", _body(buurt, datum=future))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "datum"]


def test_buurt_outside_scope_is_422_with_dutch_message(api, other_buurt):
    response = _post(api, "/api/v1/contactmomenten", _body(other_buurt))
    assert response.status_code == 422
    assert "buiten" in response.json()["detail"][0]["msg"]


def test_list_shows_only_scope_and_is_audited(api, worker, buurt, other_buurt):
    mine = ContactMomentFactory(buurt=buurt)
    ContactMomentFactory(buurt=other_buurt)
    response = api.get("/api/v1/contactmomenten")
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [mine.pk]
    assert AuditEvent.objects.filter(actor=worker, object_type="contactmoment_list").exists()


def test_list_filtered_on_buurt_outside_scope_is_403(api, other_buurt):
    assert api.get(f"/api/v1/contactmomenten?buurt={other_buurt.code}").status_code == 403


def test_analist_gets_403_on_contact_list(client, analist):
    client.force_login(analist)
    assert client.get("/api/v1/contactmomenten").status_code == 403


def test_unauthenticated_gets_401(client):
    assert client.get("/api/v1/onderwerpen").status_code == 401


def test_topics_and_channels_list_slugs_and_labels(api):
    topics = api.get("/api/v1/onderwerpen").json()
    channels = api.get("/api/v1/kanalen").json()
    assert {"slug": "energie-geldzaken", "label": "energie & geldzaken", "actief": True} in topics
    assert "straat" in {c["slug"] for c in channels}


def test_round_start_and_end(api, buurt):
    response = _post(api, "/api/v1/rondes", {"buurten": [buurt.code]})
    assert response.status_code == 201
    round_id = response.json()["id"]
    ended = api.post(f"/api/v1/rondes/{round_id}/afsluiten")
    assert ended.status_code == 200 and ended.json()["beeindigd"]


def test_ending_someone_elses_round_is_404(api, buurt):
    other = RoundFactory(buurten=[buurt])
    assert api.post(f"/api/v1/rondes/{other.pk}/afsluiten").status_code == 404
    assert Round.objects.get(pk=other.pk).ended_at is None


def test_signal_post_and_get(api, buurt):
    body = {"buurt": buurt.code, "onderwerp": "groen-openbare-ruimte", "notitie": "Zwerfvuil", "lat": 52.1, "lon": 5.1}
    response = _post(api, "/api/v1/waarnemingen", body)
    assert response.status_code == 201 and response.json()["status"] == "gemeld"
    listed = api.get(f"/api/v1/waarnemingen?buurt={buurt.code}").json()
    assert listed["items"][0]["id"] == response.json()["id"]


def test_signal_unknown_topic_is_422(api, buurt):
    response = _post(api, "/api/v1/waarnemingen", {"buurt": buurt.code, "onderwerp": "onbekend"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "onderwerp"]
