import csv
import io

from django.urls import reverse

import openpyxl
import pytest

from nabij.privacy.smallcells import SUPPRESSED
from nabij.surveys import services
from nabij.surveys.models import Collector, Question, Response, Survey
from nabij.surveys.tests.factories import UserFactory

VALID = {"v1": ["ja"], "v2": ["planten"], "v3": ["4"], "v4": ["40"]}


def _responses(survey, n, raw=None, **kwargs):
    for i in range(n):
        services.response_submit(survey=survey, raw=raw or VALID, idempotency_key=f"r{i}-{kwargs}", **kwargs)


@pytest.fixture
def stranger(db):
    return UserFactory(buurten=[])


def test_staff_creates_a_survey_with_the_builder(client, owner, buurt):
    client.force_login(owner)
    response = client.post(reverse("surveys:survey-create"), {"title": "Groen in de buurt", "buurten": [buurt.code]})
    survey = Survey.objects.get(title="Groen in de buurt")
    assert response.status_code == 302
    assert survey.status == Survey.Status.DRAFT and survey.owner == owner


def test_builder_adds_a_question_with_skip_logic_and_translation(client, owner, survey):
    client.force_login(owner)
    q1 = survey.questions.get(key="v1")
    url = reverse("surveys:question-create", args=[survey.pk])
    response = client.post(
        url,
        {
            "section": survey.sections.first().pk,
            "kind": "een",
            "text": "Wilt u meedoen?",
            "options": "Ja\nNee",
            "show_if": f"{q1.pk}:ja",
            "text_en": "Do you want to join?",
        },
    )
    assert response.status_code == 302
    question = survey.questions.get(text="Wilt u meedoen?")
    assert (question.show_if_question, question.show_if_value) == (q1, "ja")
    assert question.translations == {"en": {"text": "Do you want to join?"}}


def test_builder_without_options_shows_the_error(client, owner, survey):
    client.force_login(owner)
    url = reverse("surveys:question-create", args=[survey.pk])
    response = client.post(url, {"section": survey.sections.first().pk, "kind": "een", "text": "Vraag?"})
    assert response.status_code == 422


def test_builder_refuses_breaking_change_with_a_message(client, owner, survey):
    _responses(survey, 1)
    client.force_login(owner)
    q1 = survey.questions.get(key="v1")
    url = reverse("surveys:question-edit", args=[survey.pk, q1.pk])
    response = client.post(url, {"section": q1.section_id, "kind": "getal", "text": q1.text, "required": "on"})
    assert response.status_code == 422
    q1.refresh_from_db()
    assert q1.kind == Question.Kind.SINGLE


def test_survey_outside_scope_is_not_found(client, stranger, survey):
    client.force_login(stranger)
    assert client.get(reverse("surveys:survey-detail", args=[survey.pk])).status_code == 404


def test_analist_cannot_edit(client, survey, buurt):
    client.force_login(UserFactory(role="analist", buurten=[buurt]))
    assert client.get(reverse("surveys:question-create", args=[survey.pk])).status_code == 403


def test_collector_registration_gives_a_personal_link_and_qr(client, owner, survey, buurt):
    client.force_login(owner)
    url = reverse("surveys:collector-list", args=[survey.pk])
    client.post(url, {"label": "Buurvrouw Anna", "buurt": buurt.code, "consent": "on"})
    collector = Collector.objects.get()
    page = client.get(url)
    assert collector.code.encode() in page.content
    qr = client.get(reverse("surveys:collector-qr-svg", args=[survey.pk, collector.pk]))
    assert qr["Content-Type"] == "image/svg+xml"


def test_collector_without_consent_is_refused(client, owner, survey, buurt):
    client.force_login(owner)
    response = client.post(reverse("surveys:collector-list", args=[survey.pk]), {"label": "X", "buurt": buurt.code})
    assert response.status_code == 422
    assert not Collector.objects.exists()


def test_paper_pdf_is_a_pdf(client, owner, survey):
    client.force_login(owner)
    response = client.get(reverse("surveys:paper-pdf", args=[survey.pk]) + "?aantal=2")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_paper_entry_is_marked_paper_and_catches_a_duplicate_number(client, owner, survey):
    client.force_login(owner)
    url = reverse("surveys:paper-entry", args=[survey.pk])
    data = {"formulier": "7", "v1": "nee", "v3": "3"}
    assert client.post(url, {**data, "_sleutel": "a"}).status_code == 302
    again = client.post(url, {**data, "_sleutel": "b"})
    assert again.status_code == 422
    assert Response.objects.get().channel == Response.Channel.PAPER


def test_paper_entry_uses_the_same_validation(client, owner, survey):
    client.force_login(owner)
    response = client.post(reverse("surveys:paper-entry", args=[survey.pk]), {"formulier": "8", "v1": "nee", "v4": "5"})
    assert response.status_code == 422
    assert not Response.objects.exists()


def test_results_for_the_owner_show_exact_counts(client, owner, survey):
    _responses(survey, 3)
    client.force_login(owner)
    response = client.get(reverse("surveys:results", args=[survey.pk]))
    assert response.context["in_scope"]
    first = response.context["results"][0]
    assert [row.count for row in first.rows] == [3, 0]


def test_results_outside_scope_suppress_small_cells(client, survey, buurt):
    _responses(survey, 3)
    viewer = UserFactory(buurten=[])
    viewer.is_superuser = False
    viewer.save()
    survey.owner = UserFactory(buurten=[buurt])
    survey.save()
    # A coordinator who sees one buurt of the survey sees it, but filtered on another buurt it is outside scope.
    from nabij.surveys.tests.factories import BuurtFactory

    other = BuurtFactory()
    survey.buurten.add(other)
    client.force_login(UserFactory(buurten=[other]))
    response = client.get(reverse("surveys:results", args=[survey.pk]))
    assert not response.context["in_scope"]
    assert response.context["total"] == SUPPRESSED


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))


def test_table_export_shows_the_owner_the_same_exact_figures_as_the_results_page(client, owner, survey):
    _responses(survey, 3)
    client.force_login(owner)
    rows = _csv(client.get(reverse("surveys:export", args=[survey.pk, "tabellen", "csv"])))
    assert rows[1][2] == "3"


def test_response_export_xlsx_has_one_row_per_response(client, owner, survey):
    _responses(survey, 12)
    client.force_login(owner)
    response = client.get(reverse("surveys:export", args=[survey.pk, "antwoorden", "xlsx"]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:5] == ("nummer", "datum", "kanaal", "buurt", "versie")
    assert len(rows) == 13
    assert rows[1][rows[0].index("v2")] == "planten"


def test_response_export_is_for_editors_only(client, survey, buurt):
    client.force_login(UserFactory(role="analist", buurten=[buurt]))
    assert client.get(reverse("surveys:export", args=[survey.pk, "antwoorden", "csv"])).status_code == 403


def test_staff_tags_an_open_answer_with_a_topic(client, owner, survey):
    from nabij.core.models import Topic

    topic = Topic.objects.get_or_create(slug="groen", defaults={"label": "groen"})[0]
    _responses(survey, 1, raw={**VALID, "v5": ["Meer bomen"]})
    answer = survey.questions.get(key="v5").answers.get()
    client.force_login(owner)
    client.post(reverse("surveys:answer-topics", args=[survey.pk, answer.pk]), {f"a{answer.pk}-topics": ["groen"]})
    assert list(answer.topics.all()) == [topic]


def test_list_page_query_count_does_not_grow(client, owner, buurt, django_assert_max_num_queries):
    from nabij.surveys.tests.factories import SurveyFactory

    for _ in range(5):
        SurveyFactory(owner=owner, buurten=[buurt])
    client.force_login(owner)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("surveys:survey-list")).status_code == 200


def test_opening_below_b1_shows_a_confirm_button(client, owner, survey):
    from nabij.surveys.tests.test_services import HARD_TEXT

    survey.status = Survey.Status.DRAFT
    survey.welcome_text = HARD_TEXT
    survey.save()
    client.force_login(owner)
    response = client.post(reverse("surveys:survey-status", args=[survey.pk]), {"status": "open"}, follow=True)
    assert b'id="b1-confirm"' in response.content
    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT
    client.post(reverse("surveys:survey-status", args=[survey.pk]), {"status": "open", "confirm_below_b1": "1"})
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN


def test_survey_form_has_live_b1_checks(client, owner, survey):
    client.force_login(owner)
    response = client.get(reverse("surveys:survey-edit", args=[survey.pk]))
    assert b'id="id_welcome_text_b1"' in response.content
    assert b"participation/b1.css" in response.content
