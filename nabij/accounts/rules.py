"""Who may manage samenwerkingsafspraken and API tokens: one place, used by the services, selectors, pages and API."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nabij.core import permissions

if TYPE_CHECKING:
    from nabij.accounts.models import ApiToken, SharingAgreement, User


def can_manage_agreements(user) -> bool:
    """Only a beheerder of an organisation speaks for it as data controller: proposes, accepts and ends its
    samenwerkingsafspraken. Superusers without an organisation speak for no one."""
    return (
        permissions.is_staff_user(user)
        and user.organisation_id is not None
        and permissions.can_manage_users(user, user.organisation)
    )


def can_see_agreement(user: User, agreement: SharingAgreement) -> bool:
    """An agreement is seen by the beheerders of its two organisations only."""
    return can_manage_agreements(user) and user.organisation_id in {agreement.proposer_id, agreement.partner_id}


def can_accept_agreement(user: User, agreement: SharingAgreement) -> bool:
    """The partner's beheerder accepts (the proposer accepted by proposing), while it is not ended."""
    return (
        can_manage_agreements(user)
        and user.organisation_id == agreement.partner_id
        and agreement.partner_accepted_at is None
        and agreement.ended_at is None
    )


def can_end_agreement(user: User, agreement: SharingAgreement) -> bool:
    """Either organisation's beheerder ends an agreement at once, also one that is still waiting (to decline or
    withdraw it)."""
    return can_see_agreement(user, agreement) and agreement.ended_at is None


def can_have_tokens(user) -> bool:
    """Every active staff user may make API tokens for themselves: a token reaches what its owner may reach."""
    return permissions.is_staff_user(user)


def can_revoke_token(user, token: ApiToken) -> bool:
    """The owner revokes their own tokens; a beheerder those of their organisation's users (as they can
    deactivate them); a superuser any."""
    if not permissions.is_staff_user(user):
        return False
    return token.user_id == user.pk or permissions.can_manage_user(user, token.user)
