"""API authentication: a Bearer token (`create_api_token` or API-sleutels; refused once expired or revoked, see
`accounts.services.api_token_authenticate`) or the browser session (with CSRF)."""

from ninja.security import HttpBearer, SessionAuth

from nabij.accounts.mfa.rules import is_verified
from nabij.accounts.services import api_token_authenticate


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(token=token)
        if user is not None:
            # Selectors and permissions read request.user, as they do for pages.
            request.user = user
        return user


class StaffSessionAuth(SessionAuth):
    """The browser session of a staff user who passed the second factor; a session that stopped after the
    password is not authenticated here (401), as it is not on the pages."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None and user.is_active and is_verified(user):
            return user
        return None


api_auth = [BearerTokenAuth(), StaffSessionAuth(csrf=True)]
