"""Policies of follow-up: promises and referrals."""

from __future__ import annotations

from django.db.models import Q

from nabij.accounts.models import RecordKind, Role
from nabij.core import permissions
from nabij.core.access import NOTHING, Basis, RecordPolicy, register


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

    def team_q(self, user) -> Q:
        """What a coordinator's team view counts: their own organisation's promises they may see, and — as counts
        under the small-cell rule only, never listed — those of their own team in buurten outside their scope.
        Another organisation's promises never count here, also not under a samenwerkingsafspraak (the team view
        is about one's own team's work)."""
        if not permissions.is_coordinator(user):
            return NOTHING
        q = self.filter(user) & own_organisation_q(user)
        if user.team_id is not None and user.organisation_id is not None:
            q |= Q(owner__team_id=user.team_id, organisation_id=user.organisation_id)
        return q


class ReferralPolicy(RecordPolicy):
    """A referral. Besides its own organisation (and partners under an agreement), the organisation it refers
    to sees it when that organisation uses Nabij and the resident consented to share: that referral only (topic,
    question, the worker's contact, the resident's label), never the resident's other contacts or notes — and only
    its staff whose area scope holds the referral's buurt. The receiving organisation records hearing back
    (`can_record_hearing_back`)."""

    model_label = "followup.Referral"
    kind = RecordKind.DOORVERWIJZINGEN

    def received_q(self, user) -> Q:
        """Referrals made to the user's organisation by another one, with consent, in the user's area (the filter
        face of `is_received`)."""
        if not self.role_may_see(user) or user.organisation_id is None:
            return NOTHING
        return (
            Q(consent_to_share=True, provider__nabij_organisation_id=user.organisation_id)
            & ~Q(organisation_id=user.organisation_id)
            & self.area_q(user)
        )

    def extra_q(self, user) -> Q | None:
        own_worker = Q(worker_id=user.pk, organisation_id=user.organisation_id)
        if user.organisation_id is None:
            return own_worker
        return own_worker | self.received_q(user)

    def extra_basis(self, user, obj) -> Basis | None:
        if obj.worker_id == user.pk and obj.organisation_id == user.organisation_id:
            return Basis("own", obj.organisation_id)
        if self.is_received(user, obj):
            return Basis("referral", obj.organisation_id)
        return None

    def is_received(self, user, obj) -> bool:
        """Referred to the user's organisation, with consent to share (and not already its own record), in a buurt
        of the user's scope."""
        return bool(
            self.role_may_see(user)
            and user.organisation_id is not None
            and obj.consent_to_share
            and obj.organisation_id != user.organisation_id
            and obj.provider.nabij_organisation_id == user.organisation_id
            and self.in_area(user, obj)
        )

    def role_may_change(self, user, obj) -> bool:
        """The referring worker records hearing back; a coordinator of the organisation may too."""
        if not self.role_may_see(user):
            return False
        return obj.worker_id == user.pk or permissions.is_coordinator(user)

    def can_record_hearing_back(self, user, obj) -> bool:
        """The owner (by `can_change`) or the receiving organisation's staff."""
        return self.can_change(user, obj) or self.is_received(user, obj)


def can_view_own_item(policy: RecordPolicy, user, obj) -> bool:
    """`policy.can_view(user, obj)` for a record the user owns or made (a digest item): answered from the record
    alone when the owner ground holds, so that the morning run reads nobody's scope or agreements; otherwise the
    full rule. Agrees with `can_view` (the owner ground is one of its grounds)."""
    if not policy.role_may_see(user):
        return False
    basis = policy.extra_basis(user, obj)
    return (basis is not None and basis.is_own) or policy.can_view(user, obj)


def own_organisation_q(user) -> Q:
    """Records of the user's own organisation (superusers: all), for views that are about one's own work (team,
    learning) and so leave out what a samenwerkingsafspraak or a referral shares."""
    if permissions.has_national_scope(user):
        return Q()
    if user.organisation_id is None:
        return NOTHING
    return Q(organisation_id=user.organisation_id)


def followup_workers_q() -> Q:
    """Users who may keep promises and referrals (the user-table face of `permissions.can_use_followup`, without
    superusers): digest recipients and colleagues a promise can be handed to."""
    return Q(is_active=True) & ~Q(role__in=[Role.ANALIST, ""])


promise_policy = register(PromisePolicy())
referral_policy = register(ReferralPolicy())
can_record_hearing_back = referral_policy.can_record_hearing_back
