"""Policies of follow-up: promises and referrals."""

from __future__ import annotations

from django.db.models import Q

from nabij.accounts.models import RecordKind
from nabij.core import permissions
from nabij.core.access import Basis, RecordPolicy, register


class PromisePolicy(RecordPolicy):
    """A promise to a resident. Its owner always sees it, also after a hand-over to a buurt outside their
    scope (a promise is handed over within the organisation, so the owner is one of its staff)."""

    model_label = "followup.Promise"
    kind = RecordKind.BELOFTES

    def extra_q(self, user) -> Q | None:
        return Q(owner_id=user.pk, organisation_id=user.organisation_id)

    def extra_basis(self, user, obj) -> Basis | None:
        if obj.owner_id == user.pk and obj.organisation_id == user.organisation_id:
            return Basis("own", obj.organisation_id)
        return None

    def role_may_change(self, user, obj) -> bool:
        """The owner keeps, fails or hands over a promise; a coordinator of the organisation may too."""
        if not self.role_may_see(user):
            return False
        return obj.owner_id == user.pk or permissions.is_coordinator(user)


class ReferralPolicy(RecordPolicy):
    """A referral. Besides its own organisation (and partners under an agreement), the organisation it refers
    to sees it when that organisation uses Nabij and the resident consented to share: that referral only (topic,
    question, the worker's contact, the resident's label), never the resident's other contacts or notes. The
    receiving organisation records hearing back (`can_record_hearing_back`)."""

    model_label = "followup.Referral"
    kind = RecordKind.DOORVERWIJZINGEN

    def extra_q(self, user) -> Q | None:
        own_worker = Q(worker_id=user.pk, organisation_id=user.organisation_id)
        if user.organisation_id is None:
            return own_worker
        received = Q(consent_to_share=True, provider__nabij_organisation_id=user.organisation_id) & ~Q(
            organisation_id=user.organisation_id
        )
        return own_worker | received

    def extra_basis(self, user, obj) -> Basis | None:
        if obj.worker_id == user.pk and obj.organisation_id == user.organisation_id:
            return Basis("own", obj.organisation_id)
        if self.is_received(user, obj):
            return Basis("referral", obj.organisation_id)
        return None

    def is_received(self, user, obj) -> bool:
        """Referred to the user's organisation, with consent to share (and not already its own record)."""
        return bool(
            user.organisation_id is not None
            and obj.consent_to_share
            and obj.organisation_id != user.organisation_id
            and obj.provider.nabij_organisation_id == user.organisation_id
        )

    def role_may_change(self, user, obj) -> bool:
        """The referring worker records hearing back; a coordinator of the organisation may too."""
        if not self.role_may_see(user):
            return False
        return obj.worker_id == user.pk or permissions.is_coordinator(user)

    def can_record_hearing_back(self, user, obj) -> bool:
        """The owner (by `can_change`) or the receiving organisation's staff."""
        return self.can_change(user, obj) or (self.role_may_see(user) and self.is_received(user, obj))


promise_policy = register(PromisePolicy())
referral_policy = register(ReferralPolicy())
