"""Issue 13 for questionnaires: the organisation that made a questionnaire owns its responses, open answers and
collectors; another organisation in the same buurt sees the questions and published results only; the analist
never sees collectors; figures outside the viewer's own records and scope never show a count below 10."""

import csv
import io
from datetime import date

from django.urls import reverse
from django.utils import timezone

import openpyxl
import pytest

from nabij.accounts.models import RecordKind, SharingAgreement
from nabij.contacts.tests.factories import OrganisationFactory
from nabij.core.access.surveys import exact_results
from nabij.core.concurrency import StaleEdit
from nabij.privacy.models import AuditEvent
from nabij.privacy.smallcells import SUPPRESSED
from nabij.surveys import selectors, services
from nabij.surveys.models import Answer, Collector, Response, Survey
from nabij.surveys.tests.factories import CollectorFactory, UserFactory

FORMULA = '=HYPERLINK("http://x","y")'


def _submit(survey, n: int, *, v1: str = "ja", prefix: str = "r", **extra):
    for i in range(n):
        raw = {"v1": [v1], "v3": ["4"], **({"v2": ["planten"]} if v1 == "ja" else {}), **extra}
        services.response_submit(survey=survey, raw=raw, idempotency_key=f"{prefix}{v1}{i}")


@pytest.fixture
def corporatie(db):
    return OrganisationFactory(name="Corporatie Test", kind="woningcorporatie")


@pytest.fixture
def other_staff(corporatie, buurt):
    """Staff of another organisation with the same buurt in scope."""
    return UserFactory(organisation=corporatie, buurten=[buurt])


@pytest.fixture
def analist(owner, buurt):
    return UserFactory(role="analist", organisation=owner.organisation, buurten=[buurt])


@pytest.fixture
def answered(survey):
    """30 responses (17 ja, 13 nee), one with an open answer, one through a collector."""
    collector = services.collector_create(
        survey=survey, label="Buurvrouw Anna", buurt=survey.buurten.get(), consent=True, by=survey.owner
    )
    _submit(survey, 16, v1="ja")
    _submit(survey, 13, v1="nee")
    services.response_submit(
        survey=survey,
        raw={"v1": ["ja"], "v2": ["planten"], "v3": ["4"], "v5": ["Meer bankjes bij de speeltuin"]},
        idempotency_key="open",
        collector_code=collector.code,
    )
    return survey


# Ownership is set by the services -------------------------------------------------------------------------


def test_a_new_questionnaire_belongs_to_its_makers_organisation(owner, buurt):
    survey = services.survey_create(owner=owner, title="Groen", buurten=[buurt])
    assert survey.organisation_id == owner.organisation_id


def test_collector_response_and_answers_belong_to_the_questionnaires_organisation(answered):
    organisation = answered.organisation_id
    assert organisation is not None
    assert set(Collector.objects.values_list("organisation_id", flat=True)) == {organisation}
    assert set(Response.objects.values_list("organisation_id", flat=True)) == {organisation}
    assert set(Answer.objects.values_list("organisation_id", flat=True)) == {organisation}


def test_a_public_submission_on_the_page_stores_the_owning_organisation(client, survey):
    client.post(reverse("surveys-public:fill", args=[survey.slug]), {"_sleutel": "p1", "_js": "1", "v1": "nee"})
    response = Response.objects.get()
    assert response.organisation_id == survey.organisation_id
    assert set(response.answers.values_list("organisation_id", flat=True)) == {survey.organisation_id}


def test_a_public_submission_through_the_api_stores_and_names_the_owning_organisation(client, survey):
    response = client.post(
        f"/api/v1/vragenlijsten/{survey.slug}/antwoorden",
        {"antwoorden": {"v1": "nee", "v5": "Meer groen"}},
        content_type="application/json",
        headers={"Idempotency-Key": "api-1"},
    )
    assert response.status_code == 201
    assert response.json()["organisatie"] == survey.organisation.slug
    stored = Response.objects.get(pk=response.json()["id"])
    assert stored.organisation_id == survey.organisation_id
    assert set(stored.answers.values_list("organisation_id", flat=True)) == {survey.organisation_id}


def test_factories_set_the_organisation_as_the_services_do(survey):
    assert survey.organisation_id == survey.owner.organisation_id
    assert CollectorFactory(survey=survey).organisation_id == survey.organisation_id


# Another organisation in the same buurt -------------------------------------------------------------------


def test_other_organisation_sees_no_open_answers(client, answered, other_staff):
    client.force_login(other_staff)
    assert client.get(reverse("surveys:open-answers", args=[answered.pk])).status_code == 403
    assert not selectors.open_answers(user=other_staff, survey=answered).exists()
    page = client.get(reverse("surveys:results", args=[answered.pk]))
    assert b"Meer bankjes" not in page.content
    assert reverse("surveys:open-answers", args=[answered.pk]).encode() not in page.content


def test_other_organisation_cannot_export_responses(client, answered, other_staff):
    client.force_login(other_staff)
    for fmt in ("csv", "xlsx"):
        assert client.get(reverse("surveys:export", args=[answered.pk, "antwoorden", fmt])).status_code == 403


def test_other_organisation_sees_no_collectors(client, answered, other_staff):
    collector = Collector.objects.get()
    client.force_login(other_staff)
    assert client.get(reverse("surveys:collector-list", args=[answered.pk])).status_code == 403
    qr = client.get(reverse("surveys:collector-qr-svg", args=[answered.pk, collector.pk]))
    assert qr.status_code in (403, 404)
    assert selectors.collector_counts(user=other_staff, survey=answered) == []
    detail = client.get(reverse("surveys:survey-detail", args=[answered.pk]))
    assert detail.status_code == 200
    assert b"Buurvrouw Anna" not in detail.content and collector.code.encode() not in detail.content
    assert reverse("surveys:collector-list", args=[answered.pk]).encode() not in detail.content


def test_other_organisation_cannot_change_the_questionnaire(client, answered, other_staff):
    client.force_login(other_staff)
    assert client.get(reverse("surveys:survey-edit", args=[answered.pk])).status_code == 403
    assert client.get(reverse("surveys:paper-entry", args=[answered.pk])).status_code == 403
    assert client.post(reverse("surveys:survey-status", args=[answered.pk]), {"status": "gesloten"}).status_code == 403


def _counts_are_published(results) -> None:
    for result in results:
        for row in result.rows:
            assert row.count == SUPPRESSED or row.count == 0 or (row.count >= 10 and row.count % 5 == 0)
            if row.percentage is not None:
                assert row.percentage == pytest.approx(100.0 * row.count / result.answered)
            if row.count == SUPPRESSED:
                assert row.percentage is None and row.bar == 0


def test_results_for_another_organisation_are_published_values(client, answered, other_staff):
    client.force_login(other_staff)
    response = client.get(reverse("surveys:results", args=[answered.pk]))
    assert not response.context["in_scope"]
    assert response.context["total"] == 30
    first = response.context["results"][0]
    # 17 ja and 13 nee are published as 15 and 15: the percentages are of those, not 56.7 and 43.3.
    assert [(row.count, row.percentage) for row in first.rows] == [(15, 50.0), (15, 50.0)]
    assert [row.bar for row in first.rows] == [100.0, 100.0]
    _counts_are_published(response.context["results"])


def test_results_for_the_owning_organisation_are_exact(client, answered, owner):
    client.force_login(owner)
    first = client.get(reverse("surveys:results", args=[answered.pk])).context["results"][0]
    assert [row.count for row in first.rows] == [17, 13]


def test_other_organisation_with_the_whole_area_in_scope_still_gets_published_values(answered, other_staff):
    assert permissions_cover(other_staff, answered)
    assert not exact_results(other_staff, answered)


def permissions_cover(user, survey) -> bool:
    from nabij.core import permissions

    return permissions.survey_buurt_codes(survey) <= permissions.visible_buurt_codes(user)


def test_own_organisation_with_part_of_the_area_gets_published_values(answered, owner):
    from nabij.contacts.tests.factories import BuurtFactory

    answered.buurten.add(BuurtFactory())
    colleague = UserFactory(organisation=owner.organisation, buurten=[answered.buurten.first()])
    fresh = Survey.objects.get(pk=answered.pk)
    assert not exact_results(colleague, fresh)


def test_small_counts_are_never_shown_to_another_organisation(client, survey, other_staff):
    _submit(survey, 3, v1="ja")
    _submit(survey, 8, v1="nee")
    client.force_login(other_staff)
    data = client.get(f"/api/v1/vragenlijsten/{survey.pk}/resultaten").json()
    assert data["binnen_gebied"] is False
    counts = [row["aantal"] for question in data["vragen"] for row in question["rijen"]]
    counts += [data["antwoorden"]] + [question["beantwoord"] for question in data["vragen"]]
    assert not [c for c in counts if isinstance(c, int) and 0 < c < 10]
    assert all(row["percentage"] is None for q in data["vragen"] for row in q["rijen"] if row["aantal"] == SUPPRESSED)
    page = client.get(reverse("surveys:survey-detail", args=[survey.pk]))
    assert page.context["response_count"] == 10  # 11 responses, rounded to 5
    listing = client.get("/api/v1/vragenlijsten").json()["items"]
    assert listing[0]["antwoorden"] == 10


def test_table_export_for_another_organisation_has_the_published_values(client, answered, other_staff):
    client.force_login(other_staff)
    response = client.get(reverse("surveys:export", args=[answered.pk, "tabellen", "csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    v1 = [row for row in rows if row[0] == "v1"]
    assert [(row[2], row[3]) for row in v1] == [("15", "50"), ("15", "50")]
    assert not [row[2] for row in rows[1:] if row[2].isdigit() and 0 < int(row[2]) < 10]


def test_public_results_are_published_values(client, answered):
    services.survey_set_status(survey=answered, by=answered.owner, status=Survey.Status.CLOSED)
    response = client.get(reverse("surveys-public:results", args=[answered.slug]))
    assert response.status_code == 200
    first = response.context["results"][0]
    assert [(row.count, row.percentage) for row in first.rows] == [(15, 50.0), (15, 50.0)]
    _counts_are_published(response.context["results"])
    assert b"Buurvrouw Anna" not in response.content and b"Meer bankjes" not in response.content


# The analist ----------------------------------------------------------------------------------------------


def test_analist_of_the_owning_organisation_never_sees_collectors(client, answered, analist):
    client.force_login(analist)
    assert client.get(reverse("surveys:collector-list", args=[answered.pk])).status_code == 403
    assert selectors.collector_counts(user=analist, survey=answered) == []
    detail = client.get(reverse("surveys:survey-detail", args=[answered.pk]))
    assert reverse("surveys:collector-list", args=[answered.pk]).encode() not in detail.content
    assert b"Buurvrouw Anna" not in detail.content


def test_analist_reads_no_open_answers(client, answered, analist):
    client.force_login(analist)
    assert client.get(reverse("surveys:open-answers", args=[answered.pk])).status_code == 403


# A samenwerkingsafspraak ----------------------------------------------------------------------------------


def _agreement(owner_org, partner_org, buurt, kinds):
    now = timezone.now()
    agreement = SharingAgreement.objects.create(
        proposer=owner_org,
        partner=partner_org,
        kinds=kinds,
        purpose="Samen de buurt verbeteren",
        start_date=date(2020, 1, 1),
        end_date=date(2099, 12, 31),
        proposer_accepted_at=now,
        partner_accepted_at=now,
    )
    agreement.buurten.set([buurt])
    return agreement


def test_an_agreement_naming_antwoorden_shows_the_open_answers_and_audits_the_read_for_the_owner(
    client, answered, other_staff, buurt
):
    agreement = _agreement(answered.organisation, other_staff.organisation, buurt, [RecordKind.ANTWOORDEN])
    client.force_login(other_staff)
    page = client.get(reverse("surveys:open-answers", args=[answered.pk]))
    assert page.status_code == 200
    assert b"Meer bankjes" in page.content
    assert b"Save topics" not in page.content and b"Onderwerpen opslaan" not in page.content  # read-only
    event = AuditEvent.objects.get(object_type="survey_answers", owner_organisation=answered.organisation)
    assert event.agreement_id == agreement.pk and event.actor == other_staff
    # Collectors are never shared by an agreement.
    assert client.get(reverse("surveys:collector-list", args=[answered.pk])).status_code == 403


def test_an_agreement_for_other_kinds_shares_no_answers(client, answered, other_staff, buurt):
    _agreement(answered.organisation, other_staff.organisation, buurt, [RecordKind.CONTACTMOMENTEN])
    client.force_login(other_staff)
    assert client.get(reverse("surveys:open-answers", args=[answered.pk])).status_code == 403


# Exports neutralise formulas ------------------------------------------------------------------------------


def test_a_residents_formula_arrives_as_text_in_the_csv_export(client, survey, owner):
    services.response_submit(survey=survey, raw={"v1": ["nee"], "v5": [FORMULA]}, idempotency_key="f1")
    client.force_login(owner)
    response = client.get(reverse("surveys:export", args=[survey.pk, "antwoorden", "csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert rows[1][rows[0].index("v5")] == "'" + FORMULA


def test_a_residents_formula_arrives_as_text_in_the_xlsx_export(client, survey, owner):
    services.response_submit(survey=survey, raw={"v1": ["nee"], "v5": [FORMULA]}, idempotency_key="f1")
    client.force_login(owner)
    response = client.get(reverse("surveys:export", args=[survey.pk, "antwoorden", "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("v5") + 1)
    assert cell.value == FORMULA and cell.data_type == "s"


def test_the_response_export_is_audited_for_the_owner(client, answered, owner):
    client.force_login(owner)
    b"".join(client.get(reverse("surveys:export", args=[answered.pk, "antwoorden", "csv"])).streaming_content)
    assert AuditEvent.objects.filter(action="export", object_type="survey_responses", actor=owner).exists()


# Edits never silently overwrite each other ----------------------------------------------------------------


def test_a_stale_settings_edit_is_refused_by_the_service(survey, owner):
    colleague_copy = Survey.objects.get(pk=survey.pk)
    services.survey_update(survey=colleague_copy, by=owner, expected_version=1, title="Door de collega")
    with pytest.raises(StaleEdit) as caught:
        services.survey_update(survey=survey, by=owner, expected_version=1, title="Van mij")
    assert caught.value.current.title == "Door de collega"
    assert Survey.objects.get(pk=survey.pk).title == "Door de collega"


def test_a_stale_settings_form_shows_the_colleagues_change_and_saves_on_top_of_it(client, survey, owner, buurt):
    client.force_login(owner)
    url = reverse("surveys:survey-edit", args=[survey.pk])
    form = client.get(url).context["form"]
    shown_version = form.initial["version"]
    services.survey_update(survey=Survey.objects.get(pk=survey.pk), by=owner, title="Door de collega")
    data = {"title": "Van mij", "buurten": [buurt.code], "version": shown_version}
    stale = client.post(url, data)
    assert stale.status_code == 409
    assert b"Door de collega" in stale.content
    assert Survey.objects.get(pk=survey.pk).title == "Door de collega"
    again = client.post(url, {**data, "version": stale.context["current"].version})
    assert again.status_code == 302
    assert Survey.objects.get(pk=survey.pk).title == "Van mij"


def test_only_those_who_see_collectors_filter_results_by_channel(client, answered, other_staff, analist, owner):
    for user in (other_staff, analist):
        client.force_login(user)
        page = client.get(reverse("surveys:results", args=[answered.pk]), {"channel": "verzamelaar"})
        assert "channel" not in page.context["form"].fields
        assert page.context["total"] == 30  # the filter was not applied
        api = client.get(f"/api/v1/vragenlijsten/{answered.pk}/resultaten", {"kanaal": "verzamelaar"})
        assert api.status_code == 400
    client.force_login(owner)
    page = client.get(reverse("surveys:results", args=[answered.pk]), {"channel": "verzamelaar"})
    assert page.context["total"] == 1
