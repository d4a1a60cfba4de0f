"""Where the current request came from, for the audit trail, without passing the request through every call.

`AuditSourceMiddleware` puts the client's address and user agent into a context variable for the length of the
request; `audit_record` reads it. Outside a request (tasks in the worker, management commands) it is empty.
The address is REMOTE_ADDR; X-Forwarded-For is only believed when REMOTE_ADDR is one of the proxies in
`NABIJ_TRUSTED_PROXIES` (addresses or networks), and then the right-most address that is not such a proxy counts,
so a client cannot choose the address it is logged under.
"""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings

USER_AGENT_MAX = 255


@dataclass(frozen=True)
class RequestSource:
    ip: str | None = None
    user_agent: str = ""


_EMPTY = RequestSource()
_current: ContextVar[RequestSource] = ContextVar("nabij_audit_source", default=_EMPTY)


@lru_cache(maxsize=8)
def _trusted(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_address(meta: dict) -> str | None:
    """The client's address from a request's META, following X-Forwarded-For only through trusted proxies."""
    remote = _address(meta.get("REMOTE_ADDR", "") or "")
    if remote is None:
        return None
    networks = _trusted(tuple(getattr(settings, "NABIJ_TRUSTED_PROXIES", ())))

    def trusted(address) -> bool:
        return any(address in network for network in networks)

    if not networks or not trusted(remote):
        return str(remote)
    for hop in reversed((meta.get("HTTP_X_FORWARDED_FOR", "") or "").split(",")):
        address = _address(hop)
        if address is None:
            break
        if not trusted(address):
            return str(address)
    return str(remote)


def request_source() -> RequestSource:
    """The current request's address and user agent; empty outside a request."""
    return _current.get()


class AuditSourceMiddleware:
    """Sets the request source for the audit trail; early in MIDDLEWARE so that every event of the request
    (logins included) carries it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = RequestSource(
            ip=client_address(request.META),
            user_agent=(request.META.get("HTTP_USER_AGENT", "") or "")[:USER_AGENT_MAX],
        )
        token = _current.set(source)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
