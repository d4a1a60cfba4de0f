import pytest

from nabij.participation.models import Input, Project
from nabij.participation.tests.factories import ChoiceFactory, FrameItemFactory, InputFactory, ProjectFactory


def test_b1_check_api(client, staff):
    client.force_login(staff)
    response = client.post("/api/v1/taal/b1-check", {"tekst": "Thans gaan we bouwen."}, content_type="application/json")
    assert response.status_code == 200
    data = response.json()
    assert data["niveau"] in {"B1", "boven B1"}
    assert data["zinnen"][0]["moeilijke_woorden"] == [{"woord": "Thans", "alternatief": "nu"}]


def test_b1_check_api_refuses_empty_text(client, staff):
    client.force_login(staff)
    response = client.post("/api/v1/taal/b1-check", {"tekst": " "}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "tekst"]


def test_create_and_publish_by_api(client, staff, buurt):
    client.force_login(staff)
    response = client.post(
        "/api/v1/projecten",
        {
            "titel": "Groen plein",
            "soort": "vergroening",
            "samenvatting": "We maken het plein groen.",
            "buurten": [buurt.code],
            "contact": "Team Groen",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    slug = response.json()["slug"]
    client.post(
        f"/api/v1/projecten/{slug}/kaders",
        {"soort": "open", "tekst": "Welke planten er komen.", "trede": "meebeslissen"},
        content_type="application/json",
    )
    blocked = client.post(f"/api/v1/projecten/{slug}/publiceren", {}, content_type="application/json")
    assert blocked.status_code == 422
    assert len(blocked.json()["detail"]) == 2
    assert Project.objects.get().status == "concept"


def test_api_project_of_other_area_is_404(client, buurt):
    from nabij.participation.tests.factories import UserFactory

    project = ProjectFactory(buurten=[buurt])
    client.force_login(UserFactory())
    assert client.get(f"/api/v1/projecten/{project.slug}").status_code == 404


def test_public_input_is_idempotent(client, buurt):
    project = ProjectFactory(published=True, buurten=[buurt])
    url = f"/api/v1/projecten/{project.slug}/inbreng"
    body = {"soort": "idee", "tekst": "Meer bankjes."}
    first = client.post(url, body, content_type="application/json", headers={"Idempotency-Key": "k-1"})
    again = client.post(url, body, content_type="application/json", headers={"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Input.objects.count() == 1


def test_public_choice_outside_options_is_422(client, buurt):
    project = ProjectFactory(published=True, buurten=[buurt])
    choice = ChoiceFactory(project=project)
    response = client.post(
        f"/api/v1/projecten/{project.slug}/inbreng",
        {"soort": "keuze", "keuze": choice.pk, "optie": 999999},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "optie"]
    assert not Input.objects.exists()


def test_reply_api_and_public_decisions(client, staff, buurt):
    project = ProjectFactory(published=True, owner=staff.organisation, buurten=[buurt])
    FrameItemFactory(project=project)
    item = InputFactory(project=project)
    client.force_login(staff)
    response = client.post(
        f"/api/v1/inbreng/{item.pk}/antwoord", {"tekst": "Dank u. We doen het."}, content_type="application/json"
    )
    assert response.status_code == 201
    client.logout()
    assert client.get(f"/api/v1/projecten/{project.slug}/besluiten").json() == []


@pytest.mark.parametrize("role", ["analist"])
def test_reply_api_hides_inputs_from_roles_without_personal_data(client, buurt, role):
    """Analisten never see personal data: the input is not there for them (issue 13), so no reply either."""
    from nabij.participation.tests.factories import UserFactory

    project = ProjectFactory(published=True, buurten=[buurt])
    item = InputFactory(project=project)
    client.force_login(UserFactory(role=role, scope_buurten=[buurt], organisation=project.owner))
    response = client.post(f"/api/v1/inbreng/{item.pk}/antwoord", {"tekst": "Dank u."}, content_type="application/json")
    assert response.status_code == 404
    assert not hasattr(Input.objects.get(pk=item.pk), "reply")
