import pytest

from nabij.core.exceptions import InvalidInput
from nabij.surveys import services
from nabij.surveys.models import Answer, Response, Survey
from nabij.surveys.tests.factories import CollectorFactory, add_question

VALID = {"v1": ["ja"], "v2": ["planten"], "v3": ["4"], "v4": ["40"]}


def _submit(survey, raw=None, key="k1", **kwargs):
    return services.response_submit(survey=survey, raw=VALID if raw is None else raw, idempotency_key=key, **kwargs)


def test_submission_stores_one_response_with_its_answers(survey, buurt):
    response, created = _submit(survey)
    assert created
    assert response.channel == Response.Channel.ONLINE
    assert response.buurt_id == buurt.code
    assert response.answers.count() == 4


def test_same_idempotency_key_stores_one_response(survey):
    first, _ = _submit(survey)
    second, created = _submit(survey)
    assert not created
    assert second.pk == first.pk
    assert Response.objects.count() == 1


def test_race_on_the_same_key_is_decided_by_the_unique_constraint(survey):
    first, _ = _submit(survey)
    second, created = _submit(survey)  # the insert hits the unique key; the stored response is returned
    assert (second.pk, created) == (first.pk, False)
    assert Response.objects.count() == 1


def test_new_submission_does_not_look_up_its_key_before_inserting(survey):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    survey = Survey.objects.get(pk=survey.pk)  # as the endpoint reads it: fresh for each request
    with CaptureQueriesContext(connection) as queries:
        _submit(survey)
    reads = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT") and "surveys_response" in q["sql"]
    ]
    assert reads == []


def test_retry_after_closing_still_answers_with_the_stored_response(survey):
    first, _ = _submit(survey)
    survey.status = Survey.Status.CLOSED
    survey.save()
    second, created = _submit(survey)
    assert (second.pk, created) == (first.pk, False)


def test_invalid_submission_stores_nothing(survey):
    with pytest.raises(services.SubmissionInvalid) as exc:
        _submit(survey, {"v1": ["nee"], "v2": ["planten"], "v4": ["5"]})
    assert set(exc.value.errors) == {"v2", "v4"}
    assert Response.objects.count() == 0


def test_closed_survey_refuses_answers(survey):
    survey.status = Survey.Status.CLOSED
    survey.save()
    with pytest.raises(services.SubmissionInvalid) as exc:
        _submit(survey)
    assert "vragenlijst" in exc.value.errors


def test_unknown_collector_code_is_refused(survey):
    with pytest.raises(services.SubmissionInvalid) as exc:
        _submit(survey, collector_code="onbekend")
    assert "verzamelaar" in exc.value.errors


def test_paused_collector_is_refused(survey):
    collector = CollectorFactory(survey=survey, paused=True)
    with pytest.raises(services.SubmissionInvalid) as exc:
        _submit(survey, collector_code=collector.code)
    assert "verzamelaar" in exc.value.errors
    assert Response.objects.count() == 0


def test_collector_response_carries_the_collector(survey):
    collector = CollectorFactory(survey=survey)
    response, _ = _submit(survey, collector_code=collector.code)
    assert response.collector == collector
    assert response.channel == Response.Channel.COLLECTOR


def test_paper_form_number_entered_twice_is_caught(survey, owner):
    _submit(survey, channel="papier", form_number="12", entered_by=owner)
    with pytest.raises(services.SubmissionInvalid) as exc:
        _submit(survey, key="k2", channel="papier", form_number="12", entered_by=owner)
    assert "formulier" in exc.value.errors
    assert Response.objects.count() == 1


def test_open_answers_are_deidentified_before_storing(survey):
    text = "Jan de Vries van de Lindelaan 12 belt 0612345678 over de speeltuin."
    _submit(survey, {**VALID, "v5": [text]})
    stored = Answer.objects.get(question__key="v5").text
    assert "Jan de Vries" not in stored
    assert "0612345678" not in stored
    assert "speeltuin" in stored


def test_other_text_is_deidentified(survey):
    _submit(survey, {"v1": ["ja"], "v2": ["anders"], "v2_anders": ["tuinieren met Piet Jansen"]})
    assert "Piet Jansen" not in Answer.objects.get(choice="anders").text


def test_open_answers_keep_quotes_backslashes_newlines_and_accents(survey):
    from nabij.language.services import deidentify

    text = "Meer \"bankjes\" \\ minder 'tegels'\nÉén café, één ½ plein; 100% groen — ja!"
    _submit(survey, {**VALID, "v5": [text]})
    assert Answer.objects.get(question__key="v5").text == deidentify(text)


# Versioning ------------------------------------------------------------------------------------------------


def test_changing_an_answered_questions_options_is_refused(survey):
    _submit(survey)
    question = survey.questions.get(key="v1")
    with pytest.raises(services.ChangeRefused):
        services.question_update(question=question, options=["Ja", "Nee", "Soms"][1:])
    assert list(question.options.values_list("value", flat=True)) == ["ja", "nee"]


def test_changing_an_answered_questions_wording_is_refused(survey):
    _submit(survey)
    question = survey.questions.get(key="v1")
    with pytest.raises(services.ChangeRefused):
        services.question_update(question=question, text="Heeft u een balkon?")


def test_deleting_an_answered_question_is_refused(survey):
    _submit(survey)
    with pytest.raises(services.ChangeRefused):
        services.question_delete(question=survey.questions.get(key="v3"))


def test_adding_an_option_after_responses_raises_the_version(survey):
    response, _ = _submit(survey)
    question = survey.questions.get(key="v1")
    services.question_update(question=question, options=["Ja", "Nee", "Weet niet"])
    survey.refresh_from_db()
    assert survey.questions_version == 2
    assert response.survey_version == 1
    assert Answer.objects.filter(question=question, choice="ja").count() == 1


def test_adding_a_question_after_responses_keeps_old_answers(survey):
    _submit(survey)
    new = add_question(survey, text="Nieuw?", options=("Ja", "Nee"), required=True)
    survey.refresh_from_db()
    assert new.version_added == survey.questions_version == 2
    assert Answer.objects.count() == 4


def test_skip_logic_must_point_to_an_earlier_question(survey):
    last = survey.questions.get(key="v5")
    first = survey.questions.get(key="v1")
    with pytest.raises(InvalidInput):
        services.question_update(question=first, show_if_question=last, show_if_value="x")


HARD_TEXT = (
    "Inzake de vigerende herstructureringsdoelstellingen van de gemeentelijke organisatie wordt thans "
    "geïnventariseerd welke maatschappelijke voorzieningen noodzakelijkerwijs gecontinueerd dienen te worden."
)


def test_opening_with_texts_harder_than_b1_asks_for_confirmation(survey, owner):
    survey.status = Survey.Status.DRAFT
    survey.welcome_text = HARD_TEXT
    survey.save()
    with pytest.raises(services.NeedsConfirmation) as exc:
        services.survey_set_status(survey=survey, by=owner, status=Survey.Status.OPEN)
    assert exc.value.field == "confirm_below_b1"
    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT


def test_opening_below_b1_with_confirmation_opens(survey, owner):
    survey.status = Survey.Status.DRAFT
    survey.welcome_text = HARD_TEXT
    survey.save()
    services.survey_set_status(survey=survey, by=owner, status=Survey.Status.OPEN, confirm_below_b1=True)
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN


def test_opening_with_plain_texts_needs_no_confirmation(survey, owner):
    survey.status = Survey.Status.DRAFT
    survey.welcome_text = "Wij willen graag weten wat u van uw buurt vindt. Het duurt vijf minuten."
    survey.save()
    services.survey_set_status(survey=survey, by=owner, status=Survey.Status.OPEN)
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN


def test_public_text_holds_questions_help_and_options(survey):
    text = services.survey_public_text(survey)
    assert "Heeft u een tuin?" in text
    assert "Planten." in text


def _fresh(survey):
    """The questionnaire as the answer endpoint reads it, at the start of each request."""
    services.survey_structure(Survey.objects.get(pk=survey.pk))  # warm the per-process structure cache
    return Survey.objects.get(pk=survey.pk)


def test_a_new_submission_checks_the_questionnaire_and_inserts_response_and_answers_only(survey):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    survey = _fresh(survey)
    with CaptureQueriesContext(connection) as queries:
        response, created = _submit(survey)
    assert created
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    # The same ORM path on SQLite and PostgreSQL: is it still open and unchanged, the response, its answers.
    assert [s for s in statements if s not in ("BEGIN", "SAVEPOINT", "RELEASE", "COMMIT")] == [
        "SELECT",
        "INSERT",
        "INSERT",
    ]
    assert response.answers.count() == 4


def test_retry_of_a_fresh_submission_answers_with_the_stored_response(survey):
    survey = _fresh(survey)
    first, _ = _submit(survey)
    second, created = _submit(survey)
    assert (second.pk, created) == (first.pk, False)
    assert Response.objects.count() == 1


def test_answers_of_a_fresh_submission_keep_choice_rank_and_number(survey):
    q5 = add_question(survey, kind="top3", text="Wat is belangrijk?", options=("Groen", "Spelen", "Veilig", "Rust"))
    survey = _fresh(survey)
    response, _ = _submit(
        survey,
        {
            **VALID,
            "v2": ["zitten", "anders"],
            "v2_anders": ["een bankje"],
            q5.key: [
                "veilig",
                "groen",
                "rust",
            ],
        },
    )
    rows = sorted(response.answers.values_list("question__key", "choice", "number", "text", "rank"))
    assert rows == [
        ("v1", "ja", None, "", None),
        ("v2", "anders", None, "een bankje", None),
        ("v2", "zitten", None, "", None),
        ("v3", "", 4, "", None),
        ("v4", "", 40, "", None),
        (q5.key, "groen", None, "", 2),
        (q5.key, "rust", None, "", 3),
        (q5.key, "veilig", None, "", 1),
    ]


def test_fresh_collector_submission_carries_the_collector_and_its_buurt(survey):
    collector = CollectorFactory(survey=survey)
    survey = _fresh(survey)
    response, created = _submit(survey, collector_code=collector.code)
    response = Response.objects.get(pk=response.pk)
    assert created
    assert (response.channel, response.collector_id, response.buurt_id) == (
        Response.Channel.COLLECTOR,
        collector.pk,
        collector.buurt_id,
    )


def test_questionnaire_closed_after_it_was_read_is_refused(survey):
    """The endpoint reads the questionnaire at the start of the request; closing it a moment later must still
    refuse the answers (the insert checks the stored status, not the one read before)."""
    read = _fresh(survey)
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED, updated_at=read.updated_at)
    with pytest.raises(services.SubmissionInvalid) as exc:
        _submit(read)
    assert "vragenlijst" in exc.value.errors
    assert Response.objects.count() == 0


def test_questionnaire_changed_after_it_was_read_validates_against_the_new_structure(survey):
    read = _fresh(survey)
    add_question(survey, kind="getal", text="Hoeveel kinderen?", options=(), required=True, min_value=0, max_value=20)
    with pytest.raises(services.SubmissionInvalid) as exc:
        _submit(read)
    assert set(exc.value.errors) == {"v6"}
    assert Response.objects.count() == 0
