"""Policies of the contacts app: contact moments, observations and residents."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from nabij.accounts.models import RecordKind
from nabij.core import permissions
from nabij.core.access import NOTHING, RecordPolicy, register


class _OwnedChangePolicy(RecordPolicy):
    """Adds the filter face of `can_change`: for pickers and edits, which rows this user may change (its own
    organisation's records in scope; a shared record is read-only). These models have no role rule of their own
    for changing (`role_may_change` is `role_may_see`) and no extra ground, so the filter below is exactly
    `can_change` (the property test of core.access covers `filter`; `test_organisations` this one)."""

    def change_filter(self, user) -> Q:
        if not self.role_may_see(user):
            return NOTHING
        if permissions.has_national_scope(user):
            return Q()
        if user.organisation_id is None:
            return NOTHING
        return self.area_q(user) & Q(organisation_id=user.organisation_id)

    def changeable(self, user, qs: QuerySet | None = None) -> QuerySet:
        qs = self.model._default_manager.all() if qs is None else qs
        return qs.filter(self.change_filter(user))


class ContactMomentPolicy(_OwnedChangePolicy):
    """A conversation with a resident: its organisation's staff in scope, or a partner under an agreement."""

    model_label = "contacts.ContactMoment"
    kind = RecordKind.CONTACTMOMENTEN


class SignalPolicy(_OwnedChangePolicy):
    """An observation (waarneming): like a contact moment; its note is still about the buurt's people."""

    model_label = "contacts.Signal"
    kind = RecordKind.WAARNEMINGEN


class ResidentPolicy(_OwnedChangePolicy):
    """A pseudonymous resident file: its organisation's staff in scope, or a partner under an agreement that
    names residents. A referral shares the resident's label with the receiving organisation through the
    referral itself, never the file. A contact is linked only to a resident the worker may change (their own
    organisation's), so a shared file never collects another organisation's contacts."""

    model_label = "contacts.Resident"
    kind = RecordKind.BEWONERS


def can_view_round(user, round_) -> bool:
    """A round (who walked where, when) is seen by the staff of the walker's organisation who may see it by
    role and area (`permissions.can_view_round`); another organisation's staff never see it, agreement or not:
    an agreement shares contact moments and observations, which a round page lists only as far as the
    contact and observation policies allow."""
    if not permissions.can_view_round(user, round_):
        return False
    if permissions.has_national_scope(user) or round_.worker_id == user.pk:
        return True
    return user.organisation_id is not None and round_.worker.organisation_id == user.organisation_id


contact_moment_policy = register(ContactMomentPolicy())
signal_policy = register(SignalPolicy())
resident_policy = register(ResidentPolicy())
