"""Staff editing after the first draft: the project, frame items in place (logged once published), phases,
handing inputs to a colleague, and the live B1 check on every public text field."""

from django.urls import reverse

import pytest

from nabij.core.exceptions import InvalidInput, PermissionRefused
from nabij.participation import selectors, services
from nabij.participation.exceptions import NeedsConfirmation
from nabij.participation.models import FrameItemChange, Phase, Project
from nabij.participation.tests.factories import FrameItemFactory, InputFactory, ProjectFactory, UserFactory

HARD_SUMMARY = (
    "Inzake de vigerende bestemmingsplanprocedure wordt thans geïnventariseerd welke herstructureringsmaatregelen "
    "in het kader van de gebiedsontwikkelingsstrategie noodzakelijkerwijs geïmplementeerd dienen te worden."
)


@pytest.fixture
def draft(staff, buurt):
    project = ProjectFactory(owner=staff.organisation, buurten=[buurt], created_by=staff)
    FrameItemFactory(project=project, fixed=True)
    return project


@pytest.fixture
def published(staff, buurt):
    project = ProjectFactory(owner=staff.organisation, buurten=[buurt], created_by=staff, published=True)
    FrameItemFactory(project=project)
    return project


def _edit_data(project, **changes):
    data = {
        "title": project.title,
        "kind": project.kind,
        "summary": project.summary,
        "buurten": [b.code for b in project.buurten.all()],
        "contact": project.contact,
        "answer_term_days": project.answer_term_days,
        "builds_on": "",
    }
    return {**data, **changes}


# Services ----------------------------------------------------------------------------------------------------


def test_editing_a_draft_frame_item_logs_nothing(staff, draft):
    item = draft.frame_items.get()
    services.frame_item_save(project=draft, by=staff, item=item, kind="vast", text="We vergroenen het plein in mei.")
    item.refresh_from_db()
    assert item.text == "We vergroenen het plein in mei."
    assert not FrameItemChange.objects.exists()


def test_editing_a_published_frame_item_keeps_what_it_said_before(staff, published):
    item = published.frame_items.get()
    before = item.text
    services.frame_item_save(
        project=published,
        by=staff,
        item=item,
        kind="open",
        text="Welke bomen er komen.",
        ladder="meebeslissen",
        with_input=item.with_input,
        hear_back=item.hear_back,
        reason="Er is meer geld voor bomen.",
    )
    change = FrameItemChange.objects.get()
    assert (change.previous_text, change.reason, change.changed_by) == (before, "Er is meer geld voor bomen.", staff)


def test_saving_a_published_item_unchanged_logs_nothing(staff, published):
    item = published.frame_items.get()
    services.frame_item_save(
        project=published,
        by=staff,
        item=item,
        kind=item.kind,
        text=item.text,
        ladder=item.ladder,
        with_input=item.with_input,
        hear_back=item.hear_back,
    )
    assert not FrameItemChange.objects.exists()


def test_adding_to_a_published_frame_is_logged_as_an_addition(staff, published):
    services.frame_item_save(project=published, by=staff, kind="vast", text="Het budget is 40.000 euro.")
    assert FrameItemChange.objects.get().is_addition


def test_published_open_item_cannot_drop_its_promise(staff, published):
    item = published.frame_items.get()
    with pytest.raises(InvalidInput) as exc:
        services.frame_item_save(
            project=published, by=staff, item=item, kind="open", text=item.text, ladder="meebeslissen", hear_back="x"
        )
    assert exc.value.field == "wat_met_inbreng"
    item.refresh_from_db()
    assert item.with_input


def test_other_organisation_cannot_edit_the_frame(outsider, published):
    item = published.frame_items.get()
    with pytest.raises(PermissionRefused):
        services.frame_item_save(project=published, by=outsider, item=item, kind="vast", text="Anders.")


def test_project_update_changes_kind_buurten_term_and_contact(staff, draft, buurt):
    from nabij.areas.tests.factories import BuurtFactory

    other = BuurtFactory()
    staff.scope_buurten.add(other)
    services.project_update(
        project=draft,
        by=staff,
        title="Groene binnentuin",
        kind="verduurzaming",
        summary="We maken de tuin groen.",
        buurten=[other.code],
        contact="Team Tuin",
        answer_term_days=5,
    )
    draft.refresh_from_db()
    assert (draft.title, draft.kind, draft.answer_term_days, draft.contact) == (
        "Groene binnentuin",
        "verduurzaming",
        5,
        "Team Tuin",
    )
    assert [b.code for b in draft.buurten.all()] == [other.code]


def test_project_update_refuses_buurt_outside_own_area(staff, draft):
    from nabij.areas.tests.factories import BuurtFactory

    with pytest.raises(InvalidInput) as exc:
        services.project_update(
            project=draft,
            by=staff,
            title=draft.title,
            kind=draft.kind,
            summary=draft.summary,
            buurten=[BuurtFactory().code],
            contact=draft.contact,
        )
    assert exc.value.field == "buurten"


def test_published_project_text_harder_than_b1_needs_confirmation(staff, published):
    kwargs = dict(
        project=published,
        by=staff,
        title=published.title,
        kind=published.kind,
        summary=HARD_SUMMARY,
        buurten=[b.code for b in published.buurten.all()],
        contact=published.contact,
    )
    with pytest.raises(NeedsConfirmation):
        services.project_update(**kwargs)
    published.refresh_from_db()
    assert published.summary != HARD_SUMMARY
    services.project_update(**kwargs, confirm_below_b1=True)
    published.refresh_from_db()
    assert published.summary == HARD_SUMMARY


def test_ended_project_cannot_be_changed(staff, published):
    services.project_end(project=published, by=staff)
    with pytest.raises(InvalidInput):
        services.project_update(
            project=published,
            by=staff,
            title="x",
            kind=published.kind,
            summary="y",
            buurten=[b.code for b in published.buurten.all()],
            contact="z",
        )


def test_phase_update_refuses_end_before_start(staff, draft):
    import datetime as dt

    phase = services.phase_add(project=draft, by=staff, title="Ontwerp", starts_on=dt.date(2026, 3, 1))
    with pytest.raises(InvalidInput) as exc:
        services.phase_update(
            phase=phase, by=staff, title="Ontwerp", starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 2, 1)
        )
    assert exc.value.field == "einddatum"


# Pages -------------------------------------------------------------------------------------------------------


def test_project_edit_page_saves(client, staff, draft):
    client.force_login(staff)
    url = reverse("participation:project-edit", args=[draft.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, _edit_data(draft, contact="Team Plein", answer_term_days=7))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.contact, draft.answer_term_days) == ("Team Plein", 7)


def test_project_edit_page_asks_confirmation_on_published_hard_text(client, staff, published):
    client.force_login(staff)
    url = reverse("participation:project-edit", args=[published.slug])
    response = client.post(url, _edit_data(published, summary=HARD_SUMMARY))
    assert response.status_code == 422
    assert 'id="edit-confirm"' in response.text
    assert Project.objects.get(pk=published.pk).summary != HARD_SUMMARY


def test_project_edit_page_is_refused_to_other_organisation(client, outsider, draft):
    client.force_login(outsider)
    assert client.get(reverse("participation:project-edit", args=[draft.slug])).status_code == 403


def test_frame_item_edit_page_after_publishing_shows_on_public_page(client, staff, published):
    item = published.frame_items.get()
    client.force_login(staff)
    url = reverse("participation:frame-item-edit", args=[published.slug, item.pk])
    response = client.post(
        url,
        {
            "kind": "open",
            "text": "Welke bomen er komen.",
            "ladder": "meebeslissen",
            "with_input": item.with_input,
            "hear_back": item.hear_back,
            "reason": "Er is meer geld.",
        },
    )
    assert response.status_code == 302
    client.logout()
    public = client.get(reverse("participation-public:project", args=[published.slug]))
    assert 'id="frame-changes"' in public.text
    assert "Welke planten er komen." in public.text  # what it said before
    assert "Er is meer geld." in public.text


def test_frame_item_edit_page_shows_error_next_to_field(client, staff, published):
    item = published.frame_items.get()
    client.force_login(staff)
    url = reverse("participation:frame-item-edit", args=[published.slug, item.pk])
    response = client.post(url, {"kind": "open", "text": "x", "ladder": "meebeslissen", "with_input": ""})
    assert response.status_code == 422
    assert 'id="id_with_input_error"' in response.text


def test_phase_edit_page_saves_description(client, staff, draft):
    import datetime as dt

    phase = services.phase_add(project=draft, by=staff, title="Ontwerp", starts_on=dt.date(2026, 3, 1))
    client.force_login(staff)
    url = reverse("participation:phase-edit", args=[draft.slug, phase.pk])
    response = client.post(
        url, {"title": "Ontwerp", "starts_on": "2026-03-02", "description": "We tekenen het plein samen."}
    )
    assert response.status_code == 302
    phase.refresh_from_db()
    assert (phase.starts_on, phase.description) == (dt.date(2026, 3, 2), "We tekenen het plein samen.")


def test_phase_edit_page_removes_phase(client, staff, draft):
    import datetime as dt

    phase = services.phase_add(project=draft, by=staff, title="Ontwerp", starts_on=dt.date(2026, 3, 1))
    client.force_login(staff)
    client.post(reverse("participation:phase-edit", args=[draft.slug, phase.pk]), {"verwijderen": "1"})
    assert not Phase.objects.exists()


def test_assign_moves_input_into_colleagues_queue(client, staff, published, buurt):
    colleague = UserFactory(role="corporatie", organisation=staff.organisation, scope_buurten=[buurt])
    item = InputFactory(project=published, assigned_to=staff)
    client.force_login(staff)
    response = client.post(
        reverse("participation:input-assign", args=[published.slug, item.pk]), {"assigned_to": colleague.pk}
    )
    assert response.status_code == 302
    assert list(selectors.answer_queue(user=colleague, mine=True)) == [item]
    assert list(selectors.answer_queue(user=staff, mine=True)) == []


def test_assign_to_someone_outside_the_organisation_is_refused(client, staff, outsider, published):
    item = InputFactory(project=published, assigned_to=staff)
    client.force_login(staff)
    client.post(reverse("participation:input-assign", args=[published.slug, item.pk]), {"assigned_to": outsider.pk})
    item.refresh_from_db()
    assert item.assigned_to == staff


def test_inputs_page_offers_colleagues_to_assign(client, staff, published, buurt):
    colleague = UserFactory(
        role="corporatie", organisation=staff.organisation, full_name="Collega Bakker", scope_buurten=[buurt]
    )
    InputFactory(project=published)
    client.force_login(staff)
    response = client.get(reverse("participation:project-inputs", args=[published.slug]))
    assert f'value="{colleague.pk}"' in response.text


def test_colleague_outside_the_projects_area_is_not_offered(client, staff, published):
    """They could not see the input they were handed (issue 13: own organisation, inside the area scope)."""
    colleague = UserFactory(role="corporatie", organisation=staff.organisation, full_name="Collega Elders")
    InputFactory(project=published)
    client.force_login(staff)
    response = client.get(reverse("participation:project-inputs", args=[published.slug]))
    assert f'value="{colleague.pk}"' not in response.text


def test_every_public_text_field_of_the_frame_editor_has_a_live_b1_check(client, staff, draft):
    client.force_login(staff)
    response = client.get(reverse("participation:project-detail", args=[draft.slug]))
    for field_id in ("id_text", "id_with_input", "id_hear_back", "id_title", "id_description", "id_question"):
        assert f'id="{field_id}_b1"' in response.text, field_id


def test_b1_partial_works_for_any_field_name(client, staff):
    """The surveys editor (or any app) can post its own field name."""
    client.force_login(staff)
    response = client.post(
        reverse("participation:b1-check"), {"veld": "welcome_text", "welcome_text": "Wij gaan thans beginnen."}
    )
    assert response.status_code == 200
    assert "nabij-b1__hard" in response.text
