from django.core import mail
from django.db import connection
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from nabij.accounts.models import Role, Team, User
from nabij.accounts.tests.factories import OrganisationFactory, TeamFactory, UserFactory
from nabij.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheerder(town):
    return UserFactory(beheerder=True, scope_wijken=[town.wijk_a])


@pytest.fixture
def beheerder_client(client, beheerder):
    client.force_login(beheerder)
    return client


def _denied(**filters):
    return AuditEvent.objects.filter(result=AuditEvent.Result.DENIED, **filters)


# --- User list -------------------------------------------------------------------------------------------


def test_user_list_shows_only_own_organisation(beheerder_client, beheerder):
    colleague = UserFactory(organisation=beheerder.organisation)
    stranger = UserFactory()
    users = list(beheerder_client.get(reverse("accounts:user-list")).context["page"])
    assert colleague in users
    assert stranger not in users


def test_user_list_filters_by_role_team_and_status(beheerder_client, beheerder):
    team = TeamFactory(organisation=beheerder.organisation)
    wanted = UserFactory(organisation=beheerder.organisation, analist=True, team=team, is_active=False)
    UserFactory(organisation=beheerder.organisation, analist=True, team=team)
    UserFactory(organisation=beheerder.organisation, analist=True, is_active=False)
    response = beheerder_client.get(reverse("accounts:user-list"), {"role": "analist", "team": team.pk, "active": "0"})
    assert list(response.context["page"]) == [wanted]


def test_user_list_query_count_does_not_grow_with_users(beheerder_client, beheerder):
    team = TeamFactory(organisation=beheerder.organisation)
    UserFactory.create_batch(2, organisation=beheerder.organisation, team=team)
    beheerder_client.get(reverse("accounts:user-list"))  # the area scope is cached from the first request on
    with CaptureQueriesContext(connection) as few:
        beheerder_client.get(reverse("accounts:user-list"))
    UserFactory.create_batch(
        10, organisation=beheerder.organisation, team=TeamFactory(organisation=beheerder.organisation)
    )
    with CaptureQueriesContext(connection) as many:
        beheerder_client.get(reverse("accounts:user-list"))
    assert len(many) == len(few)


def test_user_list_is_refused_to_buurtwerker(client, town):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:user-list")).status_code == 403
    assert _denied(actor=user, object_type="user").count() == 1


# --- One user --------------------------------------------------------------------------------------------


def test_user_of_other_organisation_is_404_and_audited(beheerder_client, beheerder):
    stranger = UserFactory(organisation=OrganisationFactory())
    response = beheerder_client.get(reverse("accounts:user-detail", args=[stranger.pk]))
    assert response.status_code == 404
    assert _denied(actor=beheerder, object_type="user", object_id=str(stranger.pk)).count() == 1


def test_user_detail_post_changes_role(beheerder_client, beheerder):
    colleague = UserFactory(organisation=beheerder.organisation)
    response = beheerder_client.post(
        reverse("accounts:user-detail", args=[colleague.pk]),
        {"full_name": "Anna de Vries", "role": "coordinator", "team": ""},
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert (colleague.full_name, colleague.role) == ("Anna de Vries", Role.COORDINATOR)


def test_user_detail_post_with_bad_role_shows_error(beheerder_client, beheerder):
    colleague = UserFactory(organisation=beheerder.organisation)
    response = beheerder_client.post(
        reverse("accounts:user-detail", args=[colleague.pk]), {"full_name": "X", "role": "koning", "team": ""}
    )
    assert response.status_code == 200
    assert "role" in response.context["form"].errors


def test_user_detail_offers_no_team_of_other_organisation(beheerder_client, beheerder):
    colleague = UserFactory(organisation=beheerder.organisation)
    foreign = TeamFactory()
    response = beheerder_client.post(
        reverse("accounts:user-detail", args=[colleague.pk]), {"full_name": "X", "role": "analist", "team": foreign.pk}
    )
    assert "team" in response.context["form"].errors


def test_deactivate_and_reactivate_by_post(beheerder_client, beheerder):
    colleague = UserFactory(organisation=beheerder.organisation)
    beheerder_client.post(reverse("accounts:user-deactivate", args=[colleague.pk]))
    colleague.refresh_from_db()
    assert colleague.is_active is False
    beheerder_client.post(reverse("accounts:user-reactivate", args=[colleague.pk]))
    colleague.refresh_from_db()
    assert colleague.is_active is True


def test_deactivate_needs_post(beheerder_client, beheerder):
    colleague = UserFactory(organisation=beheerder.organisation)
    assert beheerder_client.get(reverse("accounts:user-deactivate", args=[colleague.pk])).status_code == 405


def test_deactivate_user_of_other_organisation_is_404(beheerder_client):
    stranger = UserFactory()
    assert beheerder_client.post(reverse("accounts:user-deactivate", args=[stranger.pk])).status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active is True


# --- Creating a user -------------------------------------------------------------------------------------


def test_create_user_sends_mail_and_new_user_can_choose_password(
    beheerder_client, beheerder, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = beheerder_client.post(
            reverse("accounts:user-create"),
            {"email": "Kim@Voorbeeld.nl", "full_name": "Kim Jansen", "role": "buurtwerker", "team": ""},
        )
    new = User.objects.get(email="kim@voorbeeld.nl")
    assert response.status_code == 302
    assert new.organisation == beheerder.organisation
    link = next(line for line in mail.outbox[0].body.splitlines() if "/wachtwoord-herstellen/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    beheerder_client.logout()
    form_page = client.get("/" + path, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": "Zonnebloem-42!", "new_password2": "Zonnebloem-42!"})
    assert client.login(request=HttpRequest(), username="kim@voorbeeld.nl", password="Zonnebloem-42!")


def test_create_user_form_has_no_password_or_organisation_field(beheerder_client):
    fields = beheerder_client.get(reverse("accounts:user-create")).context["form"].fields
    assert set(fields) == {"email", "full_name", "role", "team"}


def test_create_user_with_existing_email_shows_error(beheerder_client, beheerder):
    UserFactory(email="bestaat@voorbeeld.nl")
    response = beheerder_client.post(
        reverse("accounts:user-create"),
        {"email": "BESTAAT@voorbeeld.nl", "full_name": "Dubbel", "role": "buurtwerker", "team": ""},
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors


# --- Scope -----------------------------------------------------------------------------------------------


def test_scope_page_groups_buurten_by_wijk_without_water_or_foreign_areas(beheerder_client, beheerder):
    colleague = UserFactory(organisation=beheerder.organisation)
    response = beheerder_client.get(reverse("accounts:user-scope", args=[colleague.pk]))
    groups = response.context["form"].wijk_groups()
    assert [(g["code"], [b["value"] for b in g["buurten"]]) for g in groups] == [
        ("WK000101", ["BU00010102", "BU00010101"])
    ]
    content = response.content.decode()
    assert "<fieldset" in content
    assert "BU00010199" not in content
    assert "BU00010201" not in content


def test_scope_page_checks_current_scope(beheerder_client, beheerder, town):
    colleague = UserFactory(organisation=beheerder.organisation, scope_buurten=[town.buurt_a])
    response = beheerder_client.get(reverse("accounts:user-scope", args=[colleague.pk]))
    assert 'value="BU00010101" id="id_buurten_BU00010101" checked' in response.content.decode()


def test_scope_post_saves_areas(beheerder_client, beheerder):
    colleague = UserFactory(organisation=beheerder.organisation)
    response = beheerder_client.post(
        reverse("accounts:user-scope", args=[colleague.pk]), {"wijken": ["WK000101"], "buurten": ["BU00010101"]}
    )
    assert response.status_code == 302
    assert list(colleague.scope_wijken.values_list("code", flat=True)) == ["WK000101"]
    assert list(colleague.scope_buurten.values_list("code", flat=True)) == ["BU00010101"]


def test_scope_post_outside_own_scope_is_refused_and_audited(beheerder_client, beheerder):
    colleague = UserFactory(organisation=beheerder.organisation)
    response = beheerder_client.post(reverse("accounts:user-scope", args=[colleague.pk]), {"buurten": ["BU00010201"]})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not colleague.scope_buurten.exists()
    assert _denied(object_type="user_scope").count() == 1


# --- Teams -----------------------------------------------------------------------------------------------


def test_team_create_and_rename_pages(beheerder_client, beheerder):
    beheerder_client.post(reverse("accounts:team-list"), {"name": "Team Oost"})
    team = Team.objects.get(organisation=beheerder.organisation)
    beheerder_client.post(reverse("accounts:team-rename", args=[team.pk]), {"name": "Team Oost-Zuid"})
    team.refresh_from_db()
    assert team.name == "Team Oost-Zuid"


def test_team_list_shows_only_own_teams(beheerder_client, beheerder):
    own = TeamFactory(organisation=beheerder.organisation)
    TeamFactory()
    assert list(beheerder_client.get(reverse("accounts:team-list")).context["teams"]) == [own]


def test_team_of_other_organisation_is_404(beheerder_client):
    assert beheerder_client.get(reverse("accounts:team-rename", args=[TeamFactory().pk])).status_code == 404
