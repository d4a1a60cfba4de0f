import threading

from django.db import connection

import pytest

from nabij.surveys import services
from nabij.surveys.models import Response, Survey
from nabij.surveys.tests.factories import SurveyFactory, UserFactory, add_question

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
    page = client.get("/api/v1/vragenlijsten").json()
    assert [s["id"] for s in page["items"]] == [survey.pk] and page["count"] == 1
    assert page["items"][0]["organisatie"] == owner.organisation.slug
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


# The endpoint keeps the open questionnaire per process (no read before the insert); the insert checks the stored
# row, so a change made right after a submission holds for the next one.


def test_closing_right_after_a_submission_refuses_the_next_one(client, survey, owner):
    first = _post(client, survey, VALID, key="k1")
    services.survey_set_status(survey=survey, by=owner, status=Survey.Status.CLOSED)
    refused = _post(client, survey, VALID, key="k2")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "vragenlijst"]
    retry = _post(client, survey, VALID, key="k1")
    assert (retry.status_code, retry.json()["id"]) == (200, first.json()["id"])
    assert Response.objects.count() == 1


def test_closing_without_a_new_timestamp_still_refuses(client, survey):
    _post(client, survey, VALID, key="k1")
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)  # status alone, updated_at unchanged
    assert _post(client, survey, VALID, key="k2").status_code == 422
    assert Response.objects.count() == 1


def test_reopening_accepts_answers_again(client, survey, owner):
    _post(client, survey, VALID, key="k1")
    services.survey_set_status(survey=survey, by=owner, status=Survey.Status.CLOSED)
    assert _post(client, survey, VALID, key="k2").status_code == 422
    services.survey_set_status(survey=survey, by=owner, status=Survey.Status.OPEN, confirm_below_b1=True)
    assert _post(client, survey, VALID, key="k3").status_code == 201
    assert Response.objects.count() == 2


def test_a_question_added_right_after_a_submission_is_asked_in_the_next_one(client, survey):
    assert _post(client, survey, VALID, key="k1").status_code == 201
    question = add_question(survey, kind="getal", text="Hoeveel kinderen?", options=(), required=True, max_value=20)
    refused = _post(client, survey, VALID, key="k2")
    assert refused.status_code == 422
    assert [d["loc"] for d in refused.json()["detail"]] == [["body", "antwoorden", question.key]]
    accepted = _post(client, survey, {"antwoorden": {**VALID["antwoorden"], question.key: 2}}, key="k3")
    assert accepted.status_code == 201
    stored = Response.objects.get(pk=accepted.json()["id"])
    assert stored.survey_version == Survey.objects.get(pk=survey.pk).questions_version == 2
    assert stored.answers.get(question=question).number == 2


def test_an_option_removed_right_after_a_submission_is_refused_in_the_next_one(client, survey):
    assert _post(client, survey, {"antwoorden": {"v1": "nee"}}, key="k1").status_code == 201
    services.question_update(question=survey.questions.get(key="v2"), options=["Planten"])  # "Zitten" goes
    refused = _post(client, survey, {"antwoorden": {"v1": "ja", "v2": ["zitten"]}}, key="k2")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "antwoorden", "v2"]


def test_an_address_given_to_another_questionnaire_takes_the_answers_there(client, survey, owner, buurt):
    _post(client, survey, VALID, key="k1")
    slug = survey.slug
    Survey.objects.filter(pk=survey.pk).update(slug=f"{slug}-oud")  # the address only, updated_at unchanged
    other = SurveyFactory(owner=owner, buurten=[buurt], slug=slug)
    add_question(other, text="Fietst u?", options=("Ja", "Nee"), required=True)
    response = _post(client, survey, {"antwoorden": {"v1": "nee"}}, key="k2")
    assert response.status_code == 201
    assert Response.objects.get(pk=response.json()["id"]).survey_id == other.pk


def test_a_questionnaire_back_to_draft_takes_no_answers(client, survey, owner):
    _post(client, survey, VALID, key="k1")
    services.survey_set_status(survey=survey, by=owner, status=Survey.Status.DRAFT)
    assert _post(client, survey, VALID, key="k2").status_code in (404, 422)
    assert _post(client, survey, VALID, key="k3").status_code == 404
    assert Response.objects.count() == 1


# The endpoint reads its body itself (0404); a body that is not what the schema says answers as django-ninja does.


def test_a_body_that_is_not_json_answers_400(client, survey):
    response = client.post(f"/api/v1/vragenlijsten/{survey.slug}/antwoorden", b"{nee", content_type="application/json")
    assert response.status_code == 400
    assert Response.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({}, ["body", "payload", "antwoorden"]),
        ({"antwoorden": 5}, ["body", "payload", "antwoorden"]),
        ({"antwoorden": {"v1": "ja"}, "verzamelaar": 5}, ["body", "payload", "verzamelaar"]),
    ],
)
def test_a_body_against_the_schema_answers_422_per_field(client, survey, body, loc):
    response = _post(client, survey, body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == loc
    assert Response.objects.count() == 0


def test_an_empty_body_answers_422(client, survey):
    response = client.post(f"/api/v1/vragenlijsten/{survey.slug}/antwoorden", b"", content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload"]


def test_the_openapi_document_describes_the_answer_body(client):
    operation = client.get("/api/openapi.json").json()["paths"]["/api/v1/vragenlijsten/{slug}/antwoorden"]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["antwoorden"]
    assert set(schema["properties"]) == {"antwoorden", "verzamelaar"}
