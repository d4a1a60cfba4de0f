from nabij.surveys import logic, services


def _validate(survey, raw, **kwargs):
    return logic.validate(services.survey_questions(survey), raw, **kwargs)


def test_missing_required_answer_names_the_question(survey):
    _cleaned, errors = _validate(survey, {})
    assert set(errors) == {"v1"}


def test_choice_that_is_not_offered_is_refused(survey):
    _cleaned, errors = _validate(survey, {"v1": ["misschien"]})
    assert "v1" in errors


def test_number_out_of_range_is_refused(survey):
    _cleaned, errors = _validate(survey, {"v1": ["nee"], "v4": ["12"]})
    assert set(errors) == {"v4"}


def test_number_that_is_not_a_number_is_refused(survey):
    _cleaned, errors = _validate(survey, {"v1": ["nee"], "v4": ["twaalf"]})
    assert set(errors) == {"v4"}


def test_scale_outside_its_ends_is_refused(survey):
    _cleaned, errors = _validate(survey, {"v1": ["nee"], "v3": ["6"]})
    assert set(errors) == {"v3"}


def test_text_over_the_limit_is_refused(survey):
    _cleaned, errors = _validate(survey, {"v1": ["nee"], "v5": ["x" * 2001]})
    assert set(errors) == {"v5"}


def test_answer_to_a_question_hidden_by_skip_logic_is_refused(survey):
    _cleaned, errors = _validate(survey, {"v1": ["nee"], "v2": ["planten"]})
    assert set(errors) == {"v2"}


def test_question_shown_by_skip_logic_is_accepted(survey):
    cleaned, errors = _validate(survey, {"v1": ["ja"], "v2": ["planten", "zitten"]})
    assert errors == {}
    assert cleaned["v2"].choices == ["planten", "zitten"]


def test_other_needs_its_text(survey):
    _cleaned, errors = _validate(survey, {"v1": ["ja"], "v2": ["anders"]})
    assert set(errors) == {"v2"}


def test_other_text_without_ticking_other_is_refused(survey):
    _cleaned, errors = _validate(survey, {"v1": ["ja"], "v2": ["planten"], "v2_anders": ["moestuin"]})
    assert set(errors) == {"v2"}


def test_strict_mode_refuses_unknown_keys(survey):
    _cleaned, errors = _validate(survey, {"v1": ["nee"], "v99": ["x"]}, strict=True)
    assert set(errors) == {"v99"}


def test_top3_refuses_four_choices_and_duplicates(survey):
    from nabij.surveys.tests.factories import add_question

    add_question(survey, kind="top3", text="Top 3", options=("A", "B", "C", "D"))
    questions = services.survey_questions(survey)
    _c, errors = logic.validate(questions, {"v1": ["nee"], "v6": ["a", "b", "c", "d"]})
    assert set(errors) == {"v6"}
    _c, errors = logic.validate(questions, {"v1": ["nee"], "v6": ["a", "a"]})
    assert set(errors) == {"v6"}


def test_steps_put_a_dependent_question_on_a_later_page(survey):
    pages = logic.steps(services.survey_questions(survey))
    assert [[q.key for q in page] for page in pages] == [["v1"], ["v2", "v3", "v4", "v5"]]
