"""A fixed-window rate limit per client for public (no account) forms and endpoints.

Counts live in the cache: Redis when REDIS_URL is set, so every worker process shares them (see settings), else
local memory per process. The key is a keyed hash of the client address (SHA-256 with SECRET_KEY, truncated);
the address itself is never stored, logged or kept longer than one window.

Usage: `if not ratelimit.allow(request, scope="participation-input", limit=20): <answer 429 / a Dutch message>`;
`allow_key(key=str(user.pk), scope=..., limit=3, window=3600)` counts per account instead of per address.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

DEFAULT_LIMIT = 20
WINDOW_SECONDS = 60


def client_hash(request) -> str:
    """A hash of the client address for rate limiting only: it lives in the cache for one window."""
    address = request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]


def allow(request, *, scope: str, limit: int = DEFAULT_LIMIT, window: int = WINDOW_SECONDS) -> bool:
    """Count this request in `scope`; False once the client went over `limit` requests in the current window."""
    return allow_key(key=client_hash(request), scope=scope, limit=limit, window=window)


def allow_key(*, key: str, scope: str, limit: int, window: int = WINDOW_SECONDS) -> bool:
    """The same fixed window for something other than a client address, e.g. one account (`key` must not be
    personal data itself: use an id)."""
    key = f"nabij:rl:{scope}:{key}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.add(key, 1, timeout=window)
        return True
    return count <= limit
