from django.urls import reverse

import pytest

from nabij.participation.models import Input, Project, Reply
from nabij.participation.tests.factories import (
    ChoiceFactory,
    FrameItemFactory,
    HouseholdCodeFactory,
    InputFactory,
    ProjectFactory,
)


@pytest.fixture
def project(staff, buurt):
    project = ProjectFactory(owner=staff.organisation, buurten=[buurt], created_by=staff)
    FrameItemFactory(project=project, fixed=True)
    return project


def test_project_list_shows_own_projects(client, staff, project):
    client.force_login(staff)
    response = client.get(reverse("participation:project-list"))
    assert response.status_code == 200
    assert project.title in response.text


def test_create_page_shows_exists_results_first(client, staff, buurt):
    from nabij.assets.tests.factories import InitiativeFactory

    InitiativeFactory(name="Moestuin De Akkers", buurten=[buurt])
    client.force_login(staff)
    response = client.get(reverse("participation:project-create"), {"buurten": [buurt.code], "q": "moestuin"})
    assert response.status_code == 200
    assert "Moestuin De Akkers" in response.text


def test_create_project_by_form(client, staff, buurt):
    client.force_login(staff)
    response = client.post(
        reverse("participation:project-create"),
        {
            "title": "Groen plein",
            "kind": "vergroening",
            "summary": "We maken het plein groen.",
            "buurten": [buurt.code],
            "contact": "Team Groen",
            "answer_term_days": 10,
            "builds_on": "Moestuin De Akkers",
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302
    assert project.builds_on == "Moestuin De Akkers"


def test_analist_cannot_open_the_create_page(client, buurt):
    from nabij.participation.tests.factories import UserFactory

    client.force_login(UserFactory(role="analist", scope_buurten=[buurt]))
    assert client.get(reverse("participation:project-create")).status_code == 403


def test_project_of_unseen_buurt_is_404(client, project):
    from nabij.participation.tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("participation:project-detail", args=[project.slug])).status_code == 404


def test_publish_blocked_page_names_the_problem(client, staff, project):
    FrameItemFactory(project=project, with_input="", hear_back="")
    client.force_login(staff)
    response = client.post(reverse("participation:project-publish", args=[project.slug]))
    assert response.status_code == 422
    assert 'id="publish-blocked"' in response.text
    project.refresh_from_db()
    assert project.status == "concept"


def test_publish_from_page(client, staff, project):
    client.force_login(staff)
    response = client.post(reverse("participation:project-publish", args=[project.slug]))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == "gepubliceerd"


def test_b1_partial_highlights_hard_words(client, staff):
    client.force_login(staff)
    response = client.post(reverse("participation:b1-check"), {"veld": "summary", "summary": "Thans gaan we bouwen."})
    assert response.status_code == 200
    assert '<mark class="nabij-b1__hard">Thans</mark>' in response.text


def test_draft_has_no_public_page(client, project):
    assert client.get(reverse("participation-public:project", args=[project.slug])).status_code == 404


def test_public_page_works_without_login(client, project):
    project.status = "gepubliceerd"
    project.save()
    response = client.get(reverse("participation-public:project", args=[project.slug]))
    assert response.status_code == 200
    assert 'id="level-informeren"' in response.text  # only fixed items: honestly 'informeren'
    assert client.get(reverse("participation-public:qr", args=[project.slug]))["Content-Type"] == "image/svg+xml"


def test_public_input_then_private_link_shows_reply(client, staff, project):
    project.status = "gepubliceerd"
    project.save()
    url = reverse("participation-public:project", args=[project.slug])
    response = client.post(url, {"kind": "idee", "text": "Meer bankjes bij de speeltuin.", "idempotency_key": "abc"})
    assert response.status_code == 302
    item = Input.objects.get()
    Reply.objects.create(input=item, text="We zetten er vier neer.", author=staff)
    response = client.get(reverse("participation-public:reply", args=[project.slug, item.reply_token]))
    assert "We zetten er vier neer." in response.text


def test_double_submit_stores_one_input(client, project):
    project.status = "gepubliceerd"
    project.save()
    url = reverse("participation-public:project", args=[project.slug])
    data = {"kind": "idee", "text": "Meer bankjes.", "idempotency_key": "same"}
    client.post(url, data)
    client.post(url, data)
    assert Input.objects.count() == 1


def test_empty_public_input_shows_error(client, project):
    project.status = "gepubliceerd"
    project.save()
    response = client.post(reverse("participation-public:project", args=[project.slug]), {"kind": "idee", "text": ""})
    assert response.status_code == 422
    assert not Input.objects.exists()


def test_used_household_code_gives_error_on_the_page(client, buurt):
    project = ProjectFactory(published=True, renovation=True, buurten=[buurt])
    choice = ChoiceFactory(project=project)
    HouseholdCodeFactory(project=project, code="ABCD2345")
    option = choice.options.first()
    url = reverse("participation-public:project", args=[project.slug])
    data = {"kind": "keuze", f"choice_{choice.pk}": option.pk, "household_code": "ABCD2345"}
    assert client.post(url, {**data, "idempotency_key": "a"}).status_code == 302
    response = client.post(url, {**data, "idempotency_key": "b"})
    assert response.status_code == 422
    assert 'id="id_household_code_error"' in response.text


def test_staff_reply_page(client, staff, project):
    project.status = "gepubliceerd"
    project.save()
    item = InputFactory(project=project)
    client.force_login(staff)
    response = client.post(
        reverse("participation:input-reply", args=[project.slug, item.pk]), {"text": "Dank u. We zetten er vier neer."}
    )
    assert response.status_code == 302
    assert item.reply.text.startswith("Dank u")


def test_other_organisation_does_not_find_the_input_to_reply(client, outsider, project):
    """Issue 13: another organisation's staff, even with the buurt in scope, find no input to reply to."""
    item = InputFactory(project=project)
    client.force_login(outsider)
    response = client.post(reverse("participation:input-reply", args=[project.slug, item.pk]), {"text": "Hoi."})
    assert response.status_code == 404
    assert not Reply.objects.exists()


def test_my_queue_lists_overdue_first(client, staff, project):
    from datetime import date

    late = InputFactory(project=project, assigned_to=staff, due_on=date(2020, 1, 1))
    InputFactory(project=project, assigned_to=staff, due_on=date(2099, 1, 1))
    client.force_login(staff)
    response = client.get(reverse("participation:my-queue"))
    assert list(response.context["queue"])[0] == late


def test_household_codes_page_generates_codes(client, staff, buurt):
    project = ProjectFactory(owner=staff.organisation, renovation=True, buurten=[buurt])
    client.force_login(staff)
    response = client.post(
        reverse("participation:household-codes", args=[project.slug]), {"complex_name": "Complex 12", "count": 5}
    )
    assert response.status_code == 302
    assert project.household_codes.count() == 5
