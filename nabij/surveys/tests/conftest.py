import pytest

from nabij.surveys.tests.factories import BuurtFactory, SurveyFactory, UserFactory, WijkFactory, add_question


@pytest.fixture
def buurt(db):
    return BuurtFactory(wijk=WijkFactory(), name="De Akkers")


@pytest.fixture
def owner(buurt):
    return UserFactory(buurten=[buurt])


@pytest.fixture
def survey(owner, buurt):
    """An open questionnaire: v1 'Heeft u een tuin?' (ja/nee, required), v2 'Wat doet u in de tuin?' (several
    choices with 'anders', only if v1 is ja), v3 'Hoe tevreden bent u?' (scale 1-5), v4 age (18-120),
    v5 open wish (long text)."""
    survey = SurveyFactory(owner=owner, buurten=[buurt])
    q1 = add_question(survey, text="Heeft u een tuin?", options=("Ja", "Nee"), required=True)
    add_question(
        survey,
        kind="meer",
        text="Wat doet u in de tuin?",
        options=("Planten", "Zitten"),
        allow_other=True,
        show_if_question=q1,
        show_if_value="ja",
    )
    add_question(survey, kind="schaal", text="Hoe tevreden bent u?", options=(), min_label="slecht", max_label="goed")
    add_question(survey, kind="getal", text="Hoe oud bent u?", options=(), min_value=18, max_value=120)
    add_question(survey, kind="lang", text="Wat wenst u voor de buurt?", options=())
    return survey
