"""Issue 13 for participation: a project's inputs and replies belong to its owner organisation. Staff of another
organisation who work in the same buurt see the project and its numbers, never the inputs or replies; a reply is
given once (a second one edits it, with history); stale edits are refused, on the page and in the API."""

from django.urls import reverse

import pytest

from nabij.participation import selectors, services
from nabij.participation.models import Input, Reply, ReplyVersion
from nabij.participation.tests.factories import (
    FrameItemFactory,
    InputFactory,
    OrganisationFactory,
    ProjectFactory,
    ReplyFactory,
    UserFactory,
)
from nabij.privacy.models import AuditEvent

SECRET = "Ik durf de post niet meer te openen."


@pytest.fixture
def project(staff, buurt):
    """Org A's published project in De Akkers."""
    project = ProjectFactory(owner=staff.organisation, buurten=[buurt], created_by=staff, published=True)
    FrameItemFactory(project=project)
    return project


@pytest.fixture
def other_staff(buurt):
    """Org B: a welfare worker with De Akkers in scope and no agreement with org A."""
    return UserFactory(role="buurtwerker", organisation=OrganisationFactory(name="Welzijn B"), scope_buurten=[buurt])


@pytest.fixture
def answered(project, staff):
    item = InputFactory(project=project, text=SECRET)
    ReplyFactory(input=item, text="Wij bellen u deze week.", author=staff)
    return item


# Organisation is set by the service -------------------------------------------------------------------------


def test_public_input_belongs_to_the_projects_owner(client, project):
    response = client.post(
        reverse("participation-public:project", args=[project.slug]),
        {"kind": "idee", "text": "Meer bankjes.", "idempotency_key": "own-1"},
    )
    assert response.status_code == 302
    assert Input.objects.get().organisation == project.owner


def test_public_input_by_api_belongs_to_the_projects_owner_and_says_so(client, project):
    response = client.post(
        f"/api/v1/projecten/{project.slug}/inbreng",
        {"soort": "idee", "tekst": "Meer bankjes."},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["organisatie"] == project.owner.slug
    assert Input.objects.get().organisation_id == project.owner_id


def test_reply_belongs_to_the_projects_owner_not_to_the_writer(project):
    """A technical administrator of another organisation may answer; the reply is still the owner's record."""
    admin = UserFactory(is_superuser=True, organisation=OrganisationFactory(name="Beheer Nabij"))
    item = InputFactory(project=project)
    reply = services.reply_create(input=item, by=admin, text="Dank u. We doen het.", confirm_below_b1=True)
    assert reply.organisation_id == project.owner_id


# Another organisation sees no inputs or replies ---------------------------------------------------------------


def test_other_organisation_sees_numbers_but_no_inputs_on_the_inputs_page(client, other_staff, answered, project):
    client.force_login(other_staff)
    response = client.get(reverse("participation:project-inputs", args=[project.slug]))
    assert response.status_code == 200
    assert SECRET not in response.text
    assert "Wij bellen u" not in response.text
    assert 'id="aggregates-only"' in response.text
    assert response.context["inputs"].total == "< 10"


def test_other_organisation_reply_page_is_404(client, other_staff, answered, project):
    client.force_login(other_staff)
    response = client.get(reverse("participation:input-reply", args=[project.slug, answered.pk]))
    assert response.status_code == 404


def test_other_organisation_project_list_shows_counts_under_small_cell_rules(client, other_staff, project):
    for _ in range(3):
        InputFactory(project=project)
    client.force_login(other_staff)
    response = client.get(reverse("participation:project-list"))
    assert response.status_code == 200
    assert response.context["rows"] == [(project, "< 10")]


def test_own_organisation_project_list_shows_exact_counts(client, staff, project):
    for _ in range(3):
        InputFactory(project=project)
    client.force_login(staff)
    assert client.get(reverse("participation:project-list")).context["rows"] == [(project, 3)]


def test_other_organisation_queue_is_empty(other_staff, answered):
    InputFactory(project=answered.project, assigned_to=other_staff)
    assert selectors.answer_queue(user=other_staff, mine=True) == []


def test_other_organisation_cannot_link_inputs_to_a_decision(project, staff, other_staff, answered):
    assert selectors.inputs_to_link(user=other_staff, project=project) == []


def test_other_organisation_api_input_list_is_empty(client, other_staff, answered, project):
    client.force_login(other_staff)
    response = client.get(f"/api/v1/projecten/{project.slug}/inbreng")
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}


def test_other_organisation_api_input_detail_and_reply_are_404(client, other_staff, answered):
    client.force_login(other_staff)
    assert client.get(f"/api/v1/inbreng/{answered.pk}").status_code == 404
    response = client.post(
        f"/api/v1/inbreng/{answered.pk}/antwoord", {"tekst": "Hoi."}, content_type="application/json"
    )
    assert response.status_code == 404
    assert Reply.objects.get().text == "Wij bellen u deze week."


def test_own_api_input_list_carries_the_owner_and_is_paged(client, staff, answered, project):
    client.force_login(staff)
    response = client.get(f"/api/v1/projecten/{project.slug}/inbreng", {"limit": 10})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    item = data["items"][0]
    assert (item["organisatie"], item["tekst"]) == (project.owner.slug, SECRET)
    assert item["antwoord"]["organisatie"] == project.owner.slug
    assert client.get(f"/api/v1/projecten/{project.slug}/inbreng", {"limit": 101}).status_code == 400


def test_api_list_read_is_audited_for_the_page_read(client, staff, answered, project):
    client.force_login(staff)
    client.get(f"/api/v1/projecten/{project.slug}/inbreng")
    event = AuditEvent.objects.filter(object_type="input", action="view").get()
    assert event.detail["aantal"] == 1


def test_project_list_api_is_paged(client, staff, project):
    client.force_login(staff)
    data = client.get("/api/v1/projecten").json()
    assert data["count"] == 1
    assert data["items"][0]["organisatie"] == project.owner.slug
    assert client.get("/api/v1/projecten", {"offset": 5}).status_code == 400


# A reply is given once; a second one edits it, with history ---------------------------------------------------


def test_second_reply_edits_the_first_and_keeps_history(project, staff):
    item = InputFactory(project=project)
    first = services.reply_create(input=item, by=staff, text="Dank u. We kijken ernaar.", confirm_below_b1=True)
    second = services.reply_create(input=item, by=staff, text="Dank u. De bankjes komen in mei.", confirm_below_b1=True)
    assert second.pk == first.pk
    assert Reply.objects.count() == 1
    assert second.version == first.version + 1 == 2
    assert [v.text for v in ReplyVersion.objects.filter(reply=second)] == ["Dank u. We kijken ernaar."]


def test_public_page_shows_the_current_reply(client, project, staff):
    item = InputFactory(project=project)
    services.reply_create(input=item, by=staff, text="Dank u. We kijken ernaar.", confirm_below_b1=True)
    services.reply_create(input=item, by=staff, text="Dank u. De bankjes komen in mei.", confirm_below_b1=True)
    response = client.get(reverse("participation-public:reply", args=[project.slug, item.reply_token]))
    assert "De bankjes komen in mei." in response.text
    assert "We kijken ernaar." not in response.text


def test_reply_page_lists_earlier_versions(client, staff, answered, project):
    client.force_login(staff)
    url = reverse("participation:input-reply", args=[project.slug, answered.pk])
    response = client.post(url, {"text": "Dank u. We komen langs.", "version": answered.reply.version})
    assert response.status_code == 302
    page = client.get(url)
    assert 'id="reply-history"' in page.text
    assert "Wij bellen u deze week." in page.text


# Stale edits ------------------------------------------------------------------------------------------------


def test_stale_reply_on_the_page_shows_the_form_again_with_the_colleagues_text(client, staff, answered, project):
    colleague = UserFactory(
        role="corporatie", organisation=staff.organisation, scope_buurten=list(project.buurten.all())
    )
    shown_version = answered.reply.version
    services.reply_create(input=answered, by=colleague, text="Dank u. Mijn collega belt u.", confirm_below_b1=True)
    client.force_login(staff)
    response = client.post(
        reverse("participation:input-reply", args=[project.slug, answered.pk]),
        {"text": "Dank u. Ik bel u morgen.", "version": shown_version},
    )
    assert response.status_code == 409
    assert 'id="stale-edit"' in response.text
    assert "Mijn collega belt u." in response.text
    assert response.context["form"].non_field_errors()
    assert Reply.objects.get().text == "Dank u. Mijn collega belt u."
    # Saving the shown form again is now a deliberate choice and goes through.
    assert response.context["form"]["version"].value() == str(shown_version + 1)


def test_first_reply_by_a_colleague_makes_an_open_reply_form_stale(client, staff, project):
    item = InputFactory(project=project)
    colleague = UserFactory(
        role="corporatie", organisation=staff.organisation, scope_buurten=list(project.buurten.all())
    )
    services.reply_create(input=item, by=colleague, text="Dank u. Mijn collega belt u.", confirm_below_b1=True)
    client.force_login(staff)
    response = client.post(
        reverse("participation:input-reply", args=[project.slug, item.pk]), {"text": "Dank u.", "version": 0}
    )
    assert response.status_code == 409
    assert Reply.objects.get().text == "Dank u. Mijn collega belt u."


def test_api_reply_edit_honours_if_match(client, staff, answered):
    client.force_login(staff)
    detail = client.get(f"/api/v1/inbreng/{answered.pk}")
    tag = detail["ETag"]
    body = {"tekst": "Dank u. We komen langs.", "bevestig_onder_b1": True}
    changed = client.post(
        f"/api/v1/inbreng/{answered.pk}/antwoord", body, content_type="application/json", headers={"If-Match": tag}
    )
    assert changed.status_code == 200
    assert changed["ETag"] != tag
    assert changed.json()["eerdere_versies"][0]["tekst"] == "Wij bellen u deze week."
    stale = client.post(
        f"/api/v1/inbreng/{answered.pk}/antwoord",
        {"tekst": "Dank u. Te laat.", "bevestig_onder_b1": True},
        content_type="application/json",
        headers={"If-Match": tag},
    )
    assert stale.status_code == 409
    assert Reply.objects.get().text == "Dank u. We komen langs."


def test_stale_project_edit_on_the_page_shows_the_form_again(client, staff, project, buurt):
    from nabij.participation.tests.test_editing import _edit_data

    shown = project.version
    services.project_update(
        project=project,
        by=staff,
        title="Groen plein van de collega",
        kind=project.kind,
        summary=project.summary,
        buurten=[buurt.code],
        contact=project.contact,
        confirm_below_b1=True,
    )
    client.force_login(staff)
    data = _edit_data(project, title="Mijn titel", version=shown, confirm_below_b1="on")
    response = client.post(reverse("participation:project-edit", args=[project.slug]), data)
    assert response.status_code == 409
    assert "Groen plein van de collega" in response.text
    project.refresh_from_db()
    assert project.title == "Groen plein van de collega"


def test_api_project_change_honours_if_match(client, staff, project, buurt):
    client.force_login(staff)
    tag = client.get(f"/api/v1/projecten/{project.slug}")["ETag"]
    body = {
        "titel": "Groen plein",
        "soort": project.kind,
        "samenvatting": project.summary,
        "buurten": [buurt.code],
        "contact": project.contact,
        "bevestig_onder_b1": True,
    }
    url = f"/api/v1/projecten/{project.slug}"
    first = client.put(url, body, content_type="application/json", headers={"If-Match": tag})
    assert first.status_code == 200
    assert first["ETag"] != tag
    stale = client.put(url, {**body, "titel": "Te laat"}, content_type="application/json", headers={"If-Match": tag})
    assert stale.status_code == 409
    project.refresh_from_db()
    assert project.title == "Groen plein"


def test_inputs_page_queries_do_not_grow_with_the_inputs(client, staff, project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)
    url = reverse("participation:project-inputs", args=[project.slug])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        ReplyFactory(input=InputFactory(project=project))
    InputFactory(project=project)
    queries()  # the first request of a session does a little more
    few = queries()
    for _ in range(6):
        ReplyFactory(input=InputFactory(project=project))
        InputFactory(project=project)
    assert queries() == few
