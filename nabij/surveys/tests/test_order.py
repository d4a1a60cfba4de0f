"""Reordering questions and sections in the builder, and the paginated open answers page."""

from django.urls import reverse

import pytest

from nabij.surveys import services
from nabij.surveys.models import Answer, Response
from nabij.surveys.tests.factories import add_question


def _keys(survey):
    return [q.key for q in services.survey_questions(survey)]


def test_moving_a_question_down_changes_the_page_order(survey):
    v3 = survey.questions.get(key="v3")
    services.question_move(question=v3, direction="down")
    assert _keys(survey) == ["v1", "v2", "v4", "v3", "v5"]


def test_moving_a_question_before_its_skip_condition_is_refused(survey):
    v2 = survey.questions.get(key="v2")
    with pytest.raises(services.ChangeRefused):
        services.question_move(question=v2, direction="up")
    assert _keys(survey) == ["v1", "v2", "v3", "v4", "v5"]


def test_moving_a_section_up_puts_its_questions_first(survey):
    section = services.section_create(survey=survey, title="Over u")
    add_question(survey, text="Woont u hier lang?")  # goes to the first section
    question = services.question_create(survey=survey, section=section, kind="kort", text="Uw straat?")
    services.section_move(section=section, direction="up")
    assert _keys(survey)[0] == question.key


def test_move_button_works_without_javascript(client, owner, survey):
    client.force_login(owner)
    v3 = survey.questions.get(key="v3")
    response = client.post(reverse("surveys:question-move", args=[survey.pk, v3.pk]), {"richting": "up"})
    assert response.status_code == 302
    assert _keys(survey) == ["v1", "v3", "v2", "v4", "v5"]


def test_move_with_htmx_returns_the_builder(client, owner, survey):
    client.force_login(owner)
    v4 = survey.questions.get(key="v4")
    response = client.post(
        reverse("surveys:question-move", args=[survey.pk, v4.pk]), {"richting": "up"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert b'id="builder"' in response.content
    assert _keys(survey) == ["v1", "v2", "v4", "v3", "v5"]


def test_moving_is_for_editors_only(client, survey, buurt):
    from nabij.surveys.tests.factories import UserFactory

    client.force_login(UserFactory(role="analist", buurten=[buurt]))
    v3 = survey.questions.get(key="v3")
    response = client.post(reverse("surveys:question-move", args=[survey.pk, v3.pk]), {"richting": "up"})
    assert response.status_code == 403


def test_open_answers_are_paginated_beyond_200(client, owner, survey):
    v5 = survey.questions.get(key="v5")
    for n in range(230):
        response = Response.objects.create(
            survey=survey,
            survey_version=1,
            channel="online",
            idempotency_key=f"k{n}",
            submitted_at="2026-01-01T12:00Z",
            organisation=survey.organisation,
        )
        Answer.objects.create(response=response, question=v5, text=f"wens {n}", organisation=survey.organisation)
    client.force_login(owner)
    url = reverse("surveys:open-answers", args=[survey.pk])
    last = client.get(url, {"pagina": 5})
    assert last.status_code == 200
    assert len(last.context["answers"]) == 230 - 4 * 50
