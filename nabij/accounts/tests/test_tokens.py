"""API tokens (issue 14): they expire, have a name, are listed with their last use, and are revoked by their
owner or by a beheerder of the owner's organisation — nobody else."""

import io
from datetime import timedelta

from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

import pytest

from nabij.accounts.models import ApiToken
from nabij.accounts.services import api_token_create, api_token_revoke
from nabij.accounts.tests.factories import OrganisationFactory, UserFactory
from nabij.core.exceptions import PermissionRefused
from nabij.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db

BUURTEN = "/api/v1/gebieden/buurten"


@pytest.fixture
def owner(db):
    return UserFactory(email="script@voorbeeld.nl")


def _bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_token_expires_after_90_days_by_default(client, owner):
    record, token = api_token_create(user=owner, name="rapport")
    assert timedelta(days=89, hours=23) < record.expires_at - timezone.now() <= timedelta(days=90)
    assert client.get(BUURTEN, **_bearer(token)).status_code == 200


def test_an_expired_token_is_refused(client, owner):
    record, token = api_token_create(user=owner, days=1)
    ApiToken.objects.filter(pk=record.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(BUURTEN, **_bearer(token)).status_code == 401


def test_a_token_longer_than_the_maximum_is_refused(owner):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        api_token_create(user=owner, days=366)
    assert "days" in info.value.message_dict


def test_creation_and_revocation_are_audited(owner):
    record, _token = api_token_create(user=owner, name="rapport")
    api_token_revoke(token=record, by=owner)
    events = AuditEvent.objects.filter(object_type="api_token", object_id=str(record.pk)).order_by("pk")
    assert [(e.action, e.actor_id) for e in events] == [
        (AuditEvent.Action.TOKEN, owner.pk),
        (AuditEvent.Action.UPDATE, owner.pk),
    ]
    assert "rapport" not in repr(list(events.values("detail")))


def test_the_token_page_makes_a_named_token_and_shows_it_once(client, owner):
    client.force_login(owner)
    response = client.post(reverse("accounts:token-list"), {"name": "Maandrapport", "days": "30"})
    assert response.status_code == 200
    record = ApiToken.objects.get(user=owner)
    token = response.context["new_token"]
    assert token.startswith(record.prefix)
    assert record.name == "Maandrapport"
    assert timedelta(days=29) < record.expires_at - timezone.now() <= timedelta(days=30)
    again = client.get(reverse("accounts:token-list")).content.decode()
    assert "Maandrapport" in again
    assert token not in again


def test_the_token_page_refuses_too_many_days_with_a_dutch_message(client, owner):
    client.force_login(owner)
    response = client.post(reverse("accounts:token-list"), {"name": "x", "days": "1000"})
    assert response.status_code == 200
    assert "365" in str(response.context["form"].errors["days"])
    assert not ApiToken.objects.exists()


def test_the_token_page_lists_only_own_tokens_with_last_use(client, owner):
    mine, token = api_token_create(user=owner, name="mijn-script")
    api_token_create(user=UserFactory(organisation=owner.organisation), name="van-een-ander")
    client.get(BUURTEN, **_bearer(token))
    client.force_login(owner)
    response = client.get(reverse("accounts:token-list"))
    assert [t.pk for t in response.context["tokens"]] == [mine.pk]
    assert response.context["tokens"][0].last_used_at is not None
    assert "van-een-ander" not in response.content.decode()


def test_the_owner_revokes_their_token_and_it_stops_working(client, owner):
    record, token = api_token_create(user=owner)
    client.force_login(owner)
    response = client.post(reverse("accounts:token-revoke", args=[record.pk]))
    assert response.status_code == 302
    client.logout()
    assert client.get(BUURTEN, **_bearer(token)).status_code == 401


def test_the_beheerder_sees_and_revokes_a_colleagues_token(client, owner):
    record, token = api_token_create(user=owner, name="oud-script")
    beheerder = UserFactory(beheerder=True, organisation=owner.organisation)
    client.force_login(beheerder)
    detail = reverse("accounts:user-detail", args=[owner.pk])
    assert "oud-script" in client.get(detail).content.decode()
    response = client.post(reverse("accounts:token-revoke", args=[record.pk]), {"next": detail})
    assert response.url == detail
    record.refresh_from_db()
    assert record.revoked_at is not None
    assert AuditEvent.objects.filter(object_type="api_token", actor=beheerder, action="update").exists()


def test_a_beheerder_of_another_organisation_cannot_revoke(client, owner):
    record, token = api_token_create(user=owner)
    other = UserFactory(beheerder=True, organisation=OrganisationFactory())
    client.force_login(other)
    assert client.post(reverse("accounts:token-revoke", args=[record.pk])).status_code == 404
    record.refresh_from_db()
    assert record.revoked_at is None
    assert AuditEvent.objects.filter(object_type="api_token", actor=other, result="denied").exists()
    with pytest.raises(PermissionRefused):
        api_token_revoke(token=record, by=other)


def test_a_colleague_who_is_no_beheerder_cannot_revoke(client, owner):
    record, _token = api_token_create(user=owner)
    client.force_login(UserFactory(coordinator=True, organisation=owner.organisation))
    assert client.post(reverse("accounts:token-revoke", args=[record.pk])).status_code == 404
    record.refresh_from_db()
    assert record.revoked_at is None


# --- the API ------------------------------------------------------------------------------------------------


def test_api_lists_own_tokens_paged(client, owner):
    for number in range(3):
        api_token_create(user=owner, name=f"script {number}")
    _record, token = api_token_create(user=owner, name="laatste")
    api_token_create(user=UserFactory(organisation=owner.organisation))
    response = client.get("/api/v1/tokens?limit=2", **_bearer(token))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert [row["naam"] for row in body["items"]] == ["laatste", "script 2"]
    assert body["items"][0]["bruikbaar"] is True
    assert client.get("/api/v1/tokens?limit=101", **_bearer(token)).status_code == 400


def test_api_revokes_a_token(client, owner):
    record, token = api_token_create(user=owner, name="weg")
    _keep, keep_token = api_token_create(user=owner, name="blijft")
    assert client.delete(f"/api/v1/tokens/{record.pk}", **_bearer(keep_token)).status_code == 204
    assert client.get(BUURTEN, **_bearer(token)).status_code == 401
    assert client.get(BUURTEN, **_bearer(keep_token)).status_code == 200


def test_api_does_not_revoke_someone_elses_token(client, owner):
    record, _token = api_token_create(user=owner)
    _mine, token = api_token_create(user=UserFactory(organisation=OrganisationFactory()))
    assert client.delete(f"/api/v1/tokens/{record.pk}", **_bearer(token)).status_code == 404
    record.refresh_from_db()
    assert record.revoked_at is None


# --- the command ------------------------------------------------------------------------------------------


def test_command_takes_a_name_and_days(owner):
    out = io.StringIO()
    call_command(
        "create_api_token", owner.email, "--name", "nachtelijke export", "--days", "7", stdout=out, stderr=io.StringIO()
    )
    record = ApiToken.objects.get(user=owner)
    assert record.name == "nachtelijke export"
    assert timedelta(days=6) < record.expires_at - timezone.now() <= timedelta(days=7)
    assert out.getvalue().strip().startswith(record.prefix)


def test_command_refuses_too_many_days_in_dutch(owner):
    with pytest.raises(CommandError, match="Kies van 1 tot 365 dagen"):
        call_command("create_api_token", owner.email, "--days", "400", stdout=io.StringIO(), stderr=io.StringIO())
