"""Login throttling: one rule for the password step, the second-factor step and anything else that checks a
secret for an account (docs/decisions/0017-login-throttling-django-axes.md).

After `AXES_FAILURE_LIMIT` (5) failures for one account, or `NABIJ_LOGIN_ADDRESS_LIMIT` (20) failures from one
client address (over any accounts), every further attempt is refused for `AXES_COOLOFF_TIME` (15 minutes), even
with the right password. A cool-off, never a permanent lock: nobody has to unlock anyone.

django-axes does the bookkeeping (a failure is any `user_login_failed` signal that carries the request; its
`AccessAttempt` rows count them) and refuses locked logins in its authentication backend. Axes knows one limit
only, so `NabijAxesHandler` counts axes' rows per account with axes' own limit and adds the address limit on the
same rows. The account is stored as a keyed hash of the normalised e-mail address (`axes_username`): a typed
address that belongs to nobody never reaches the database in plain text, and "Anna@" and "anna@" are one account.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out


def account_key(email: str) -> str:
    """The name under which failures of one account are counted: a keyed hash of the trimmed, lower-case
    address (the same for every spelling of it)."""
    normalised = (email or "").strip().lower()
    return "h:" + hashlib.sha256(f"{settings.SECRET_KEY}:login:{normalised}".encode()).hexdigest()[:40]


def axes_username(request, credentials: dict | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the account key of the username in the credentials (or the login form)."""
    field = settings.AXES_USERNAME_FORM_FIELD
    username = (credentials or {}).get(field)
    if username is None and request is not None:
        username = getattr(request, "POST", {}).get(field)
    if not isinstance(username, str) or not username.strip():
        return None
    return account_key(username)


def _since(request) -> datetime:
    moment = getattr(request, "axes_attempt_time", None) or timezone.now()
    return moment - settings.AXES_COOLOFF_TIME


def _recent(request):
    return AccessAttempt.objects.filter(attempt_time__gte=_since(request))


class NabijAxesHandler(AxesDatabaseHandler):
    """Axes' database handler with the second limit: failures from one address over all accounts."""

    def address_failures(self, request) -> int:
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return 0
        return _recent(request).filter(ip_address=address).aggregate(n=Sum("failures_since_start"))["n"] or 0

    def address_locked(self, request) -> bool:
        return self.address_failures(request) >= settings.NABIJ_LOGIN_ADDRESS_LIMIT

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self.address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not request.axes_locked_out and self.address_locked(request):
            # This failure reached the address limit: answer it with the lock-out page, as axes does for an account.
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send("axes", request=request, username=None, ip_address=request.axes_ip_address)


def login_refused(*, request, username: str) -> bool:
    """Whether a login (or a second-factor code) for `username` (the e-mail address) from this request must be
    refused now, whatever the secret. Record each wrong secret by sending Django's `user_login_failed` with
    `credentials={"username": email}` and `request`."""
    return AxesProxyHandler.is_locked(request, credentials={settings.AXES_USERNAME_FORM_FIELD: username})


def retry_at(*, request, username: str | None = None) -> datetime:
    """When a refused login will be allowed again: the cool-off after the latest failure that counts against
    this account or address (a safe answer: it may open a little earlier, never later)."""
    AxesProxyHandler.update_request(request)
    rows = _recent(request).filter(ip_address=request.axes_ip_address)
    latest = rows.aggregate(t=Max("attempt_time"))["t"]
    key = account_key(username) if username else None
    if key:
        account_latest = _recent(request).filter(username=key).aggregate(t=Max("attempt_time"))["t"]
        latest = max(filter(None, [latest, account_latest]), default=None)
    return (latest or request.axes_attempt_time) + settings.AXES_COOLOFF_TIME


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: a Dutch page (429) that says from when the user may try again."""
    username = None
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    elif request.method == "POST":
        username = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    until = retry_at(request=request, username=username if isinstance(username, str) else None)
    minutes = max(1, int((until - timezone.now()).total_seconds() // 60) + 1)
    context = {"retry_at": until, "minutes": minutes}
    return render(request, "accounts/login_locked.html", context, status=429)
