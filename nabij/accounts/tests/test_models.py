from django.utils import translation

import pytest

from nabij.accounts.models import Organisation, Role
from nabij.accounts.tests.factories import UserFactory


@pytest.mark.parametrize(
    ("role", "dutch"),
    [
        (Role.BUURTWERKER, "Buurtwerker"),
        (Role.COORDINATOR, "Coördinator"),
        (Role.CORPORATIE, "Corporatie"),
        (Role.ANALIST, "Analist"),
        (Role.BEHEERDER, "Beheerder"),
    ],
)
def test_role_labels_are_dutch(role, dutch):
    with translation.override("nl"):
        assert str(role.label) == dutch


def test_organisation_kind_keeps_its_own_dutch_label():
    with translation.override("nl"):
        assert str(Organisation.Kind.WONINGCORPORATIE.label) == "Woningcorporatie"


def test_role_labels_have_english_source():
    with translation.override("en"):
        assert str(Role.BUURTWERKER.label) == "Neighbourhood worker"


@pytest.mark.django_db
def test_header_shows_dutch_role(client):
    client.force_login(UserFactory(coordinator=True))
    assert "Coördinator" in client.get("/").content.decode()


@pytest.mark.django_db
def test_email_is_stored_lower_case():
    from nabij.accounts.models import User

    assert User.objects.create_user("Piet@Voorbeeld.NL", "x").email == "piet@voorbeeld.nl"
