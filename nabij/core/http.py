"""Small HTTP helpers every app's views share."""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, *, fallback: str) -> str:
    """The `next` address a form posted, if it stays within this site; else `fallback`. A `next` pointing to
    another host (an open redirect) is never followed."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
