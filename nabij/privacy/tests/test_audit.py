"""Audit events and transactions."""

from django.db import transaction

import pytest

from nabij.privacy.models import AuditEvent
from nabij.privacy.services import audit_record


@pytest.mark.django_db(transaction=True)
def test_an_event_that_goes_with_a_data_change_is_rolled_back_with_it():
    """Reads commit their event on their own (asynchronously on PostgreSQL); an event inside a data change's
    transaction belongs to it: if the change fails, there is no event of it either."""
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=None, action="create", object_type="contactmoment", object_id=1)
        raise RuntimeError("the change failed")
    assert not AuditEvent.objects.filter(object_type="contactmoment").exists()
    audit_record(actor=None, action="view", object_type="contactmoment_list")
    assert AuditEvent.objects.filter(object_type="contactmoment_list").count() == 1
