import re

from django.core.cache import cache
from django.urls import reverse

import pytest

from nabij.surveys.models import Response, Survey
from nabij.surveys.tests.factories import CollectorFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _url(survey):
    return reverse("surveys-public:fill", args=[survey.slug])


def _hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def test_public_page_sets_no_cookie_beyond_csrf(client, survey):
    response = client.get(_url(survey))
    assert response.status_code == 200
    assert set(response.cookies) <= {"csrftoken"}


def test_draft_survey_is_not_public(client, survey):
    survey.status = Survey.Status.DRAFT
    survey.save()
    assert client.get(_url(survey)).status_code == 404


def test_closed_survey_says_so_and_links_to_results(client, survey):
    survey.status = Survey.Status.CLOSED
    survey.save()
    response = client.get(_url(survey))
    assert reverse("surveys-public:results", args=[survey.slug]).encode() in response.content


def _first_page(client, survey, answer):
    page = client.get(_url(survey)).content.decode()
    key = _hidden(page, "_sleutel")
    return key, client.post(_url(survey), {"_stap": "0", "_sleutel": key, "v1": answer, "_actie": "volgende"})


def test_without_javascript_no_skips_the_dependent_question(client, survey):
    _key, response = _first_page(client, survey, "nee")
    assert b'name="v2"' not in response.content
    assert b'name="v3"' in response.content


def test_without_javascript_yes_asks_the_dependent_question(client, survey):
    _key, response = _first_page(client, survey, "ja")
    assert b'name="v2"' in response.content


def test_missing_required_answer_shows_an_error_linked_to_the_field(client, survey):
    page = client.get(_url(survey)).content.decode()
    response = client.post(_url(survey), {"_stap": "0", "_sleutel": _hidden(page, "_sleutel"), "_actie": "volgende"})
    assert response.status_code == 422
    assert b'href="#vraag-v1"' in response.content
    assert b'aria-describedby=" v1-error"' in response.content or b"v1-error" in response.content


def _finish(client, survey, key, **extra):
    data = {"_stap": "1", "_sleutel": key, "v1": "nee", "v3": "4", "_actie": "verstuur", **extra}
    return client.post(_url(survey), data)


def test_double_submit_stores_one_response(client, survey):
    key, _ = _first_page(client, survey, "nee")
    first = _finish(client, survey, key)
    second = _finish(client, survey, key)
    assert first.status_code == second.status_code == 302
    assert Response.objects.count() == 1


def test_no_address_is_stored(client, survey):
    key, _ = _first_page(client, survey, "nee")
    _finish(client, survey, key, REMOTE_ADDR="203.0.113.7")
    response = Response.objects.get()
    assert "203.0.113.7" not in str(Response.objects.values().get())
    assert response.channel == "online"


def test_honeypot_filled_stores_nothing(client, survey):
    key, _ = _first_page(client, survey, "nee")
    response = _finish(client, survey, key, website="http://spam.example")
    assert response.status_code == 302
    assert Response.objects.count() == 0


def test_rate_limit_refuses_after_the_limit(client, survey, settings):
    settings.SURVEYS_SUBMIT_LIMIT = 1
    _finish(client, survey, "a")
    response = _finish(client, survey, "b")
    assert response.status_code == 422
    assert Response.objects.count() == 1


def test_going_back_and_changing_drops_the_skipped_answer(client, survey):
    data = {"_stap": "1", "_sleutel": "k", "v1": "nee", "v2": "planten", "v3": "4", "_actie": "verstuur"}
    client.post(_url(survey), data)
    assert Response.objects.get().answers.filter(question__key="v2").count() == 0


def test_collector_link_marks_the_response(client, survey):
    collector = CollectorFactory(survey=survey)
    url = reverse("surveys-public:collector", args=[survey.slug, collector.code])
    client.post(url, {"_stap": "1", "_sleutel": "k", "v1": "nee", "_actie": "verstuur"})
    assert Response.objects.get().collector == collector


def test_paused_collector_link_says_so(client, survey):
    collector = CollectorFactory(survey=survey, paused=True)
    url = reverse("surveys-public:collector", args=[survey.slug, collector.code])
    response = client.post(url, {"_stap": "1", "_sleutel": "k", "v1": "nee", "_actie": "verstuur"})
    assert response.status_code == 200
    assert Response.objects.count() == 0


def test_arabic_page_is_right_to_left(client, survey):
    question = survey.questions.get(key="v1")
    question.translations = {"ar": {"text": "هل لديك حديقة؟"}}
    question.save()
    response = client.get(_url(survey) + "?taal=ar")
    assert b'dir="rtl"' in response.content
    assert "هل لديك حديقة؟".encode() in response.content


def test_public_results_only_when_closed(client, survey):
    url = reverse("surveys-public:results", args=[survey.slug])
    assert client.get(url).status_code == 404
    survey.status = Survey.Status.CLOSED
    survey.save()
    assert client.get(url).status_code == 200


def test_first_page_carries_the_dependent_question_hidden_for_the_browser(client, survey):
    html = client.get(_url(survey)).content.decode()
    block = re.search(r'<div [^>]*id="vraag-v2"[^>]*>', html).group(0)
    assert 'data-show-if-key="v1"' in block and 'data-show-if-value="ja"' in block and " hidden" in block


def test_with_javascript_one_post_sends_the_whole_section(client, survey):
    key = _hidden(client.get(_url(survey)).content.decode(), "_sleutel")
    answers = {"v1": "ja", "v2": "planten", "v3": "4", "v4": "40"}
    response = client.post(_url(survey), {"_js": "1", "_stap": "0", "_sleutel": key, "_actie": "verstuur", **answers})
    assert response.status_code == 302
    assert Response.objects.get().answers.filter(question__key="v2", choice="planten").exists()


def test_with_javascript_the_server_still_refuses_an_answer_to_a_skipped_question(client, survey):
    key = _hidden(client.get(_url(survey)).content.decode(), "_sleutel")
    data = {"_js": "1", "_stap": "0", "_sleutel": key, "_actie": "verstuur", "v1": "nee", "v2": "planten"}
    response = client.post(_url(survey), data)
    # The answer to the hidden question is dropped, never stored.
    assert response.status_code == 302
    assert not Response.objects.get().answers.filter(question__key="v2").exists()
