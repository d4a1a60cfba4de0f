import threading
from datetime import date

from django.core import mail
from django.db import connection

import pytest

from nabij.core.exceptions import InvalidInput, PermissionRefused
from nabij.participation import services
from nabij.participation.exceptions import NeedsConfirmation, PublishBlocked
from nabij.participation.models import ChoiceVote, FrameItem, Input, Project
from nabij.participation.tests.factories import (
    ChoiceFactory,
    FrameItemFactory,
    HouseholdCodeFactory,
    InputFactory,
    ProjectFactory,
)

PLAIN = "We maken het plein groen. U kiest mee."


def _project(staff, buurt, **kwargs):
    defaults = {
        "by": staff,
        "title": "Groen Vogelplein",
        "kind": "vergroening",
        "summary": PLAIN,
        "buurten": [buurt.code],
        "contact": "Team Groen",
    }
    return services.project_create(**{**defaults, **kwargs})


# Creating and the frame ------------------------------------------------------------------------------------


def test_project_belongs_to_the_creators_organisation(staff, buurt):
    project = _project(staff, buurt, builds_on="Moestuin De Akkers")
    assert project.owner == staff.organisation
    assert project.slug == "groen-vogelplein"
    assert project.builds_on == "Moestuin De Akkers"
    assert project.answer_term_days == 10


def test_renovation_projects_vote_per_household(staff, buurt):
    assert _project(staff, buurt, kind="renovatie").is_household_vote is True


def test_project_outside_scope_is_refused(staff):
    from nabij.participation.tests.factories import BuurtFactory

    other = BuurtFactory()
    with pytest.raises(InvalidInput) as exc:
        _project(staff, other)
    assert exc.value.field == "buurten"
    assert not Project.objects.exists()


def test_analist_cannot_create_projects(buurt):
    from nabij.participation.tests.factories import UserFactory

    with pytest.raises(PermissionRefused):
        _project(UserFactory(role="analist", scope_buurten=[buurt]), buurt)


def test_open_item_needs_a_ladder_level_above_informeren(staff, buurt):
    project = _project(staff, buurt)
    with pytest.raises(InvalidInput) as exc:
        services.frame_item_save(project=project, by=staff, kind="open", text="De planten.", ladder="informeren")
    assert exc.value.field == "trede"


def test_other_organisation_cannot_change_the_frame(staff, outsider, buurt):
    project = _project(staff, buurt)
    with pytest.raises(PermissionRefused):
        services.frame_item_save(project=project, by=outsider, kind="vast", text="Wij vergroenen.")


# Publishing ------------------------------------------------------------------------------------------------


def test_publishing_is_blocked_until_open_items_are_explained(staff, buurt):
    project = _project(staff, buurt)
    services.frame_item_save(project=project, by=staff, kind="vast", text="We maken het plein groen.")
    item = services.frame_item_save(
        project=project, by=staff, kind="open", text="Welke planten er komen.", ladder="meebeslissen"
    )
    with pytest.raises(PublishBlocked) as exc:
        services.project_publish(project=project, by=staff)
    assert len(exc.value.problems) == 2  # neither what is done with it nor when residents hear back
    project.refresh_from_db()
    assert project.status == Project.Status.CONCEPT

    services.frame_item_save(
        project=project,
        by=staff,
        item=item,
        kind="open",
        text="Welke planten er komen.",
        ladder="meebeslissen",
        with_input="De planten met de meeste stemmen komen er.",
        hear_back="Voor 1 juni hoort u het.",
    )
    services.project_publish(project=project, by=staff)
    project.refresh_from_db()
    assert project.status == Project.Status.GEPUBLICEERD


def test_project_without_frame_cannot_be_published(staff, buurt):
    with pytest.raises(PublishBlocked):
        services.project_publish(project=_project(staff, buurt), by=staff)


def test_project_with_only_fixed_items_is_informeren(staff, buurt):
    project = _project(staff, buurt)
    services.frame_item_save(project=project, by=staff, kind="vast", text="We maken het plein groen.")
    services.project_publish(project=project, by=staff)
    assert services.participation_level(project) == "informeren"


def test_highest_open_level_is_the_projects_level(buurt):
    project = ProjectFactory(buurten=[buurt])
    FrameItemFactory(project=project, ladder="adviseren")
    FrameItemFactory(project=project, ladder="coproduceren")
    assert services.participation_level(project) == "coproduceren"


def test_publishing_below_b1_asks_for_confirmation(staff, buurt):
    project = _project(
        staff,
        buurt,
        summary="Thans wordt inzake de vigerende regelgeving een herstructureringsprogramma geïmplementeerd.",
    )
    services.frame_item_save(project=project, by=staff, kind="vast", text="Het budget is vastgesteld.")
    with pytest.raises(NeedsConfirmation):
        services.project_publish(project=project, by=staff)
    services.project_publish(project=project, by=staff, confirm_below_b1=True)
    project.refresh_from_db()
    assert project.status == Project.Status.GEPUBLICEERD and project.published_below_b1


# Inputs ----------------------------------------------------------------------------------------------------


def test_input_is_deidentified_and_due_after_ten_working_days(buurt):
    project = ProjectFactory(published=True, buurten=[buurt])
    item, created = services.input_submit(
        project=project, kind="idee", text="Meer bankjes. Groet, Jan Jansen", today=date(2026, 4, 2)
    )
    assert created
    assert "Jansen" not in item.text
    assert item.due_on == date(2026, 4, 20)  # Easter and Koningsdag counted (see test_workdays)


def test_empty_input_is_refused_and_nothing_stored(buurt):
    project = ProjectFactory(published=True, buurten=[buurt])
    with pytest.raises(InvalidInput) as exc:
        services.input_submit(project=project, kind="idee", text="  ")
    assert exc.value.field == "tekst"
    assert not Input.objects.exists()


def test_draft_takes_no_input(buurt):
    with pytest.raises(InvalidInput):
        services.input_submit(project=ProjectFactory(buurten=[buurt]), kind="idee", text="Hoi")


def test_same_idempotency_key_stores_once(buurt):
    project = ProjectFactory(published=True, buurten=[buurt])
    first, created = services.input_submit(project=project, kind="idee", text="Bankjes", idempotency_key="k1")
    again, created_again = services.input_submit(project=project, kind="idee", text="Bankjes", idempotency_key="k1")
    assert created and not created_again
    assert first.pk == again.pk
    assert Input.objects.count() == 1


def test_choice_outside_the_options_is_refused(buurt):
    project = ProjectFactory(published=True, buurten=[buurt])
    choice = ChoiceFactory(project=project)
    other = ChoiceFactory(project=project)
    with pytest.raises(InvalidInput) as exc:
        services.input_submit(project=project, kind="keuze", choice_id=choice.pk, option_id=other.options.first().pk)
    assert exc.value.field == "optie"
    assert not Input.objects.exists()


def test_household_code_votes_once(buurt):
    project = ProjectFactory(published=True, renovation=True, buurten=[buurt])
    choice = ChoiceFactory(project=project)
    code = HouseholdCodeFactory(project=project, code="ABCD2345")
    option = choice.options.first()
    services.input_submit(
        project=project, kind="keuze", choice_id=choice.pk, option_id=option.pk, household_code="abcd-2345"
    )
    with pytest.raises(InvalidInput) as exc:
        services.input_submit(
            project=project, kind="keuze", choice_id=choice.pk, option_id=option.pk, household_code="ABCD2345"
        )
    assert exc.value.field == "huishoudcode"
    assert ChoiceVote.objects.filter(household_code=code).count() == 1


def test_unknown_household_code_is_refused(buurt):
    project = ProjectFactory(published=True, renovation=True, buurten=[buurt])
    choice = ChoiceFactory(project=project)
    with pytest.raises(InvalidInput) as exc:
        services.input_submit(
            project=project,
            kind="keuze",
            choice_id=choice.pk,
            option_id=choice.options.first().pk,
            household_code="ZZZZ9999",
        )
    assert exc.value.field == "huishoudcode"
    assert not Input.objects.exists()


def test_household_code_of_another_project_is_unknown(buurt):
    project = ProjectFactory(published=True, renovation=True, buurten=[buurt])
    choice = ChoiceFactory(project=project)
    HouseholdCodeFactory(code="ABCD2345")
    with pytest.raises(InvalidInput):
        services.input_submit(
            project=project,
            kind="keuze",
            choice_id=choice.pk,
            option_id=choice.options.first().pk,
            household_code="ABCD2345",
        )


def test_the_database_refuses_a_second_vote_with_the_same_code(buurt):
    """The unique constraint is the last line of defence when two requests pass the check at the same moment."""
    from django.db import IntegrityError, transaction

    project = ProjectFactory(published=True, renovation=True, buurten=[buurt])
    choice = ChoiceFactory(project=project)
    code = HouseholdCodeFactory(project=project)
    option = choice.options.first()
    ChoiceVote.objects.create(input=InputFactory(project=project), choice=choice, option=option, household_code=code)
    with pytest.raises(IntegrityError), transaction.atomic():
        ChoiceVote.objects.create(
            input=InputFactory(project=project), choice=choice, option=option, household_code=code
        )


@pytest.mark.django_db(transaction=True)
def test_concurrent_use_of_one_code_gives_one_vote():
    from nabij.participation.tests.factories import BuurtFactory

    project = ProjectFactory(published=True, renovation=True, buurten=[BuurtFactory()])
    choice = ChoiceFactory(project=project)
    HouseholdCodeFactory(project=project, code="SAME2345")
    option_ids = list(choice.options.values_list("pk", flat=True))
    services.input_submit(project=project, kind="idee", text="warm")  # load deduce before the race
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def vote(option_id):
        try:
            barrier.wait()
            services.input_submit(
                project=project, kind="keuze", choice_id=choice.pk, option_id=option_id, household_code="SAME2345"
            )
            outcomes.append("ok")
        except InvalidInput:
            outcomes.append("refused")
        except Exception as exc:  # SQLite may report "database is locked" to the loser
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(oid,)) for oid in option_ids[:2]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1
    assert ChoiceVote.objects.filter(choice=choice).count() == 1


def test_person_votes_in_open_projects_need_no_code(buurt):
    project = ProjectFactory(published=True, buurten=[buurt])
    choice = ChoiceFactory(project=project)
    item, _ = services.input_submit(
        project=project, kind="keuze", choice_id=choice.pk, option_id=choice.options.first().pk
    )
    assert item.votes.count() == 1


def test_household_codes_are_generated_per_complex(staff, buurt):
    project = ProjectFactory(owner=staff.organisation, renovation=True, buurten=[buurt])
    codes = services.household_codes_generate(project=project, by=staff, complex_name="Complex 12", count=40)
    values = {c.code for c in codes}
    assert len(values) == 40
    assert all(len(v) == 8 and not set(v) & set("01OIL") for v in values)


# Replies, decisions, erasure -------------------------------------------------------------------------------


def test_reply_is_mailed_when_the_resident_left_an_address(staff, buurt, django_capture_on_commit_callbacks):
    project = ProjectFactory(published=True, owner=staff.organisation, buurten=[buurt])
    item, _ = services.input_submit(project=project, kind="idee", text="Meer bankjes", email="bewoner@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_create(input=item, by=staff, text="Goed idee. We zetten er vier neer in mei.")
    assert len(mail.outbox) == 1
    assert "vier neer in mei" in mail.outbox[0].body
    assert item.reply_token in mail.outbox[0].body


def test_reply_harder_than_b1_asks_for_confirmation(staff, buurt):
    item = InputFactory(project=ProjectFactory(published=True, owner=staff.organisation, buurten=[buurt]))
    with pytest.raises(NeedsConfirmation):
        services.reply_create(
            input=item, by=staff, text="Thans wordt inzake uw verzoek een herstructureringsprogramma geïmplementeerd."
        )


def test_only_the_owner_organisation_replies(outsider, buurt):
    item = InputFactory(project=ProjectFactory(published=True, buurten=[buurt]))
    with pytest.raises(PermissionRefused):
        services.reply_create(input=item, by=outsider, text="Dank u.")


def test_decision_links_the_inputs_it_answers(staff, buurt):
    project = ProjectFactory(published=True, owner=staff.organisation, buurten=[buurt])
    a, b = InputFactory(project=project), InputFactory(project=project)
    decision = services.decision_create(
        project=project,
        by=staff,
        you_said="U vroeg om meer bankjes.",
        we_did="We plaatsen er vier in mei.",
        input_ids=[a.pk, b.pk],
    )
    assert set(decision.inputs.all()) == {a, b}


def test_decision_with_input_of_another_project_is_refused(staff, buurt):
    project = ProjectFactory(published=True, owner=staff.organisation, buurten=[buurt])
    with pytest.raises(InvalidInput):
        services.decision_create(project=project, by=staff, you_said="x", we_did="y", input_ids=[InputFactory().pk])


def test_ending_a_project_erases_email_addresses(staff, buurt):
    project = ProjectFactory(published=True, owner=staff.organisation, buurten=[buurt])
    InputFactory(project=project, email="a@example.org")
    other = InputFactory(email="b@example.org")  # another, still running project
    services.project_end(project=project, by=staff)
    assert not project.inputs.exclude(email="").exists()
    other.refresh_from_db()
    assert other.email == "b@example.org"
    project.refresh_from_db()
    assert project.emails_erased_at is not None


def test_daily_sweep_erases_addresses_of_projects_ended_elsewhere(buurt):
    project = ProjectFactory(status=Project.Status.AFGEROND, buurten=[buurt])
    InputFactory(project=project, email="a@example.org")
    assert services.ended_projects_emails_erase() == 1
    assert services.ended_projects_emails_erase() == 0


def test_running_project_keeps_addresses(buurt):
    project = ProjectFactory(published=True, buurten=[buurt])
    InputFactory(project=project, email="a@example.org")
    assert services.input_emails_erase(project=project) == 0


def test_evening_minutes_are_b1_checked_and_count_only(staff, buurt):
    from django.utils import timezone

    project = ProjectFactory(owner=staff.organisation, buurten=[buurt])
    with pytest.raises(NeedsConfirmation):
        services.evening_save(
            project=project,
            by=staff,
            held_at=timezone.now(),
            place="Buurthuis",
            agenda="Planten kiezen.",
            minutes="Thans wordt inzake de vigerende regelgeving een herstructureringsprogramma geïmplementeerd.",
        )
    evening = services.evening_save(
        project=project,
        by=staff,
        held_at=timezone.now(),
        place="Buurthuis",
        agenda="Planten kiezen.",
        minutes="Er kwamen 23 mensen. We kozen vier bomen.",
        attendance=23,
    )
    assert evening.attendance == 23
    assert FrameItem.objects.count() == 0
