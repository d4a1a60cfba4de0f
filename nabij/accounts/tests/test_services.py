from django.core import mail
from django.core.exceptions import ValidationError
from django.http import HttpRequest

import pytest

from nabij.accounts import services
from nabij.accounts.models import Role
from nabij.accounts.tests.factories import OrganisationFactory, TeamFactory, UserFactory
from nabij.core.exceptions import PermissionRefused
from nabij.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheerder(town):
    return UserFactory(beheerder=True, scope_wijken=[town.wijk_a])


def _create(beheerder, **overrides):
    kwargs = {
        "by": beheerder,
        "organisation": beheerder.organisation,
        "email": "Nieuw@Voorbeeld.nl",
        "full_name": "Nieuwe Collega",
        "role": Role.BUURTWERKER,
        "domain": "nabij.example",
    }
    return services.user_create(**{**kwargs, **overrides})


def _user_events(user, **filters):
    return AuditEvent.objects.filter(object_type="user", object_id=str(user.pk), **filters)


# --- Creating users --------------------------------------------------------------------------------------


def test_user_create_adds_user_to_own_organisation_without_password(beheerder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = _create(beheerder)
    assert user.organisation == beheerder.organisation
    assert user.email == "nieuw@voorbeeld.nl"
    assert not user.has_usable_password()


def test_user_create_sends_password_set_mail_with_link(beheerder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _create(beheerder)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nieuw@voorbeeld.nl"]
    assert mail.outbox[0].subject == "Je account voor Nabij"
    assert "https://nabij.example/account/wachtwoord-herstellen/" in mail.outbox[0].body


def test_user_create_sends_no_mail_before_commit(beheerder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        _create(beheerder)
    assert mail.outbox == []


def test_user_create_is_audited(beheerder):
    user = _create(beheerder)
    event = _user_events(user).get()
    assert (event.actor_id, event.action, event.organisation_id) == (
        beheerder.pk,
        AuditEvent.Action.CREATE,
        beheerder.organisation_id,
    )


def test_user_create_refuses_existing_email_case_insensitively(beheerder):
    UserFactory(email="nieuw@voorbeeld.nl")
    with pytest.raises(ValidationError) as exc:
        _create(beheerder, email="NIEUW@voorbeeld.nl")
    assert "email" in exc.value.message_dict


def test_user_create_refuses_team_of_other_organisation(beheerder):
    with pytest.raises(ValidationError) as exc:
        _create(beheerder, team=TeamFactory())
    assert "team" in exc.value.message_dict


def test_user_create_in_other_organisation_is_refused_and_audited(beheerder):
    with pytest.raises(PermissionRefused):
        _create(beheerder, organisation=OrganisationFactory())
    assert AuditEvent.objects.filter(actor=beheerder, result=AuditEvent.Result.DENIED).count() == 1


def test_buurtwerker_cannot_create_users(town):
    buurtwerker = UserFactory()
    with pytest.raises(PermissionRefused):
        _create(buurtwerker)


# --- Changing users --------------------------------------------------------------------------------------


def test_user_update_changes_role_and_team_and_is_audited(beheerder):
    colleague = UserFactory(organisation=beheerder.organisation)
    team = TeamFactory(organisation=beheerder.organisation)
    services.user_update(by=beheerder, user=colleague, full_name=colleague.full_name, role=Role.COORDINATOR, team=team)
    colleague.refresh_from_db()
    assert (colleague.role, colleague.team) == (Role.COORDINATOR, team)
    assert _user_events(colleague).get().detail == {"fields": ["role", "team"], "role": "coordinator", "team": team.pk}


def test_user_update_without_changes_writes_no_event(beheerder):
    colleague = UserFactory(organisation=beheerder.organisation)
    services.user_update(by=beheerder, user=colleague, full_name=colleague.full_name, role=colleague.role, team=None)
    assert not _user_events(colleague).exists()


def test_beheerder_cannot_change_own_role(beheerder):
    with pytest.raises(PermissionRefused):
        services.user_update(by=beheerder, user=beheerder, full_name="X", role=Role.ANALIST, team=None)


def test_user_update_of_other_organisation_is_refused_and_audited(beheerder):
    stranger = UserFactory()
    with pytest.raises(PermissionRefused):
        services.user_update(by=beheerder, user=stranger, full_name="X", role=Role.ANALIST, team=None)
    assert _user_events(stranger, result=AuditEvent.Result.DENIED).count() == 1
    stranger.refresh_from_db()
    assert stranger.role == Role.BUURTWERKER


def test_deactivate_blocks_login_and_is_audited(beheerder, client):
    colleague = UserFactory(organisation=beheerder.organisation, email="weg@voorbeeld.nl")
    services.user_deactivate(by=beheerder, user=colleague)
    colleague.refresh_from_db()
    assert colleague.is_active is False
    assert not client.login(request=HttpRequest(), username="weg@voorbeeld.nl", password="nabij-test-wachtwoord")
    assert _user_events(colleague).get(action=AuditEvent.Action.UPDATE).detail == {"change": "deactivated"}


def test_reactivate_restores_access_and_is_audited(beheerder):
    colleague = UserFactory(organisation=beheerder.organisation, is_active=False)
    services.user_reactivate(by=beheerder, user=colleague)
    colleague.refresh_from_db()
    assert colleague.is_active is True
    assert _user_events(colleague).get().detail == {"change": "reactivated"}


def test_beheerder_cannot_deactivate_self(beheerder):
    with pytest.raises(PermissionRefused):
        services.user_deactivate(by=beheerder, user=beheerder)


def test_deactivated_user_keeps_existing(beheerder):
    colleague = UserFactory(organisation=beheerder.organisation)
    services.user_deactivate(by=beheerder, user=colleague)
    assert type(colleague).objects.filter(pk=colleague.pk).exists()


# --- Area scope ------------------------------------------------------------------------------------------


def _scope(user):
    return (
        sorted(user.scope_gemeenten.values_list("code", flat=True)),
        sorted(user.scope_wijken.values_list("code", flat=True)),
        sorted(user.scope_buurten.values_list("code", flat=True)),
    )


def test_scope_set_hands_out_buurten_within_own_scope(town, beheerder):
    colleague = UserFactory(organisation=beheerder.organisation)
    services.user_scope_set(by=beheerder, user=colleague, buurten=["BU00010101", "BU00010102"])
    assert _scope(colleague) == ([], [], ["BU00010101", "BU00010102"])


def test_scope_set_hands_out_a_whole_wijk_held_by_the_beheerder(town, beheerder):
    colleague = UserFactory(organisation=beheerder.organisation)
    services.user_scope_set(by=beheerder, user=colleague, wijken=["WK000101"])
    assert _scope(colleague) == ([], ["WK000101"], [])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"buurten": ["BU00010201"]},  # buurt outside own scope
        {"buurten": ["BU00010199"]},  # water buurt
        {"wijken": ["WK000102"]},  # wijk outside own scope
        {"gemeenten": ["GM0001"]},  # whole gemeente while holding only a wijk
    ],
)
def test_scope_escalation_is_refused(town, beheerder, kwargs):
    colleague = UserFactory(organisation=beheerder.organisation, scope_buurten=[town.buurt_a])
    with pytest.raises(PermissionRefused):
        services.user_scope_set(by=beheerder, user=colleague, **kwargs)
    assert _scope(colleague) == ([], [], ["BU00010101"])


def test_scope_escalation_is_audited(town, beheerder):
    colleague = UserFactory(organisation=beheerder.organisation)
    with pytest.raises(PermissionRefused):
        services.user_scope_set(by=beheerder, user=colleague, buurten=["BU00010201"])
    event = AuditEvent.objects.get(result=AuditEvent.Result.DENIED)
    assert (event.actor_id, event.object_type, event.object_id) == (beheerder.pk, "user_scope", str(colleague.pk))


def test_scope_set_keeps_areas_outside_the_beheerders_reach(town, beheerder):
    colleague = UserFactory(organisation=beheerder.organisation, scope_buurten=[town.buurt_a, town.buurt_b])
    services.user_scope_set(by=beheerder, user=colleague, buurten=[])
    assert _scope(colleague) == ([], [], ["BU00010201"])


def test_scope_set_records_added_and_removed_codes(town, beheerder):
    colleague = UserFactory(organisation=beheerder.organisation, scope_buurten=[town.buurt_a])
    services.user_scope_set(by=beheerder, user=colleague, buurten=["BU00010102"])
    detail = _user_events(colleague).get().detail
    assert detail == {"scope": {"buurten": {"added": ["BU00010102"], "removed": ["BU00010101"]}}}


def test_scope_set_for_other_organisation_is_refused(town, beheerder):
    with pytest.raises(PermissionRefused):
        services.user_scope_set(by=beheerder, user=UserFactory(), buurten=["BU00010101"])


# --- Teams -----------------------------------------------------------------------------------------------


def test_team_create_and_rename_are_audited(beheerder):
    team = services.team_create(by=beheerder, organisation=beheerder.organisation, name="Team Noord")
    services.team_rename(by=beheerder, team=team, name="Team Noordoost")
    team.refresh_from_db()
    assert team.name == "Team Noordoost"
    actions = list(AuditEvent.objects.filter(object_type="team").values_list("action", flat=True))
    assert sorted(actions) == ["create", "update"]


def test_team_name_is_unique_within_organisation(beheerder):
    TeamFactory(organisation=beheerder.organisation, name="Team Zuid")
    with pytest.raises(ValidationError):
        services.team_create(by=beheerder, organisation=beheerder.organisation, name="team zuid")


def test_team_of_other_organisation_cannot_be_renamed(beheerder):
    team = TeamFactory(name="Anders")
    with pytest.raises(PermissionRefused):
        services.team_rename(by=beheerder, team=team, name="Overgenomen")
    team.refresh_from_db()
    assert team.name == "Anders"
