import threading

from django.db import connection

import pytest

from nabij.surveys.models import Response
from nabij.surveys.tests.factories import UserFactory

VALID = {"antwoorden": {"v1": "ja", "v2": ["planten"], "v3": 4}}


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()


def _post(client, survey, body, key="abc"):
    return client.post(
        f"/api/v1/vragenlijsten/{survey.slug}/antwoorden",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )


def test_public_post_creates_a_response(client, survey):
    response = _post(client, survey, VALID)
    assert response.status_code == 201
    assert Response.objects.count() == 1


def test_retry_with_the_same_key_answers_200_and_stores_nothing_new(client, survey):
    first = _post(client, survey, VALID)
    second = _post(client, survey, VALID)
    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]
    assert Response.objects.count() == 1


def test_bad_input_answers_422_per_field(client, survey):
    response = _post(client, survey, {"antwoorden": {"v1": "nee", "v2": ["planten"], "v4": 3}})
    assert response.status_code == 422
    locs = {tuple(d["loc"]) for d in response.json()["detail"]}
    assert locs == {("body", "antwoorden", "v2"), ("body", "antwoorden", "v4")}
    assert Response.objects.count() == 0


def test_unknown_collector_answers_422(client, survey):
    response = _post(client, survey, {**VALID, "verzamelaar": "nope"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "verzamelaar"]


def test_staff_list_needs_authentication(client, survey):
    assert client.get("/api/v1/vragenlijsten").status_code == 401


def test_staff_sees_survey_in_scope(client, survey, owner):
    client.force_login(owner)
    assert [s["id"] for s in client.get("/api/v1/vragenlijsten").json()] == [survey.pk]
    detail = client.get(f"/api/v1/vragenlijsten/{survey.pk}").json()
    assert detail["vragen"][1]["tonen_als"] == {"vraag": "v1", "waarde": "ja"}


def test_survey_outside_scope_is_not_found(client, survey):
    client.force_login(UserFactory(buurten=[]))
    assert client.get(f"/api/v1/vragenlijsten/{survey.pk}").status_code == 404
    assert client.get(f"/api/v1/vragenlijsten/{survey.pk}/resultaten").status_code == 404


def test_results_for_the_owner_are_exact(client, survey, owner):
    _post(client, survey, VALID)
    client.force_login(owner)
    data = client.get(f"/api/v1/vragenlijsten/{survey.pk}/resultaten").json()
    assert data["binnen_gebied"] is True
    assert data["vragen"][0]["rijen"][0] == {"antwoord": "Ja", "aantal": 1, "percentage": 100.0}


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_with_the_same_key_store_one_row(survey):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections (PostgreSQL)")
    from django.test import Client

    barrier = threading.Barrier(4)
    statuses = []

    def post():
        barrier.wait()
        try:
            statuses.append(_post(Client(), survey, VALID, key="same").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Response.objects.count() == 1
    assert sorted(statuses).count(201) == 1
    assert set(statuses) <= {200, 201}
