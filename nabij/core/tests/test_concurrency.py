from django.test import RequestFactory

import pytest

from nabij.accounts.models import SharingAgreement
from nabij.core.concurrency import StaleEdit, etag, if_match_version, version_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement():
    from datetime import date

    from nabij.accounts.tests.factories import OrganisationFactory

    return SharingAgreement.objects.create(
        proposer=OrganisationFactory(),
        partner=OrganisationFactory(),
        purpose="Samen werken",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
    )


def test_an_edit_with_the_version_it_was_shown_with_goes_through(agreement):
    version_claim(agreement, expected=1)
    assert agreement.version == 2
    assert SharingAgreement.objects.get(pk=agreement.pk).version == 2


def test_an_edit_after_a_colleagues_save_is_refused_with_the_current_record(agreement):
    colleague = SharingAgreement.objects.get(pk=agreement.pk)
    version_claim(colleague, expected=1)
    with pytest.raises(StaleEdit) as caught:
        version_claim(agreement, expected=1)
    assert caught.value.status_code == 409 and caught.value.current.version == 2


def test_if_match_names_the_version_of_this_object_only(agreement):
    rf = RequestFactory()
    assert if_match_version(rf.get("/", HTTP_IF_MATCH=etag(agreement)), agreement) == 1
    assert if_match_version(rf.get("/"), agreement) is None
    assert if_match_version(rf.get("/", HTTP_IF_MATCH='"999999-1"'), agreement) == 0
