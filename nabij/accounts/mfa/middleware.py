"""Every staff page needs a second factor: a logged-in session that has not passed one reaches only public
pages, logging out, and the verify and enrolment steps. Sits right after StaffLoginRequiredMiddleware."""

from __future__ import annotations

from django.shortcuts import redirect

from nabij.accounts.mfa import rules

# Reachable before the second factor besides the views marked `second_factor_not_required`.
ALLOWED_URL_NAMES = frozenset({"accounts:logout"})


class SecondFactorRequiredMiddleware:
    """Redirect an unverified session to the verify step (or to enrolment when the user has no device yet).

    - Public pages (`@login_not_required`: resident pages, login, password reset, the language switch) stay
      reachable; the Django admin is not public even though its views are marked so (it has its own login),
      so its pages need the second factor too.
    - The JSON API answers for itself: `nabij.api.auth.StaffSessionAuth` accepts only a verified session (401).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or rules.is_verified(user):
            return None
        if getattr(view_func, "second_factor_not_required", False):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_URL_NAMES:
            return None
        is_admin = match is not None and "admin" in match.namespaces
        if not is_admin and not getattr(view_func, "login_required", True):
            return None
        next_url = request.get_full_path() if request.method == "GET" else ""
        return redirect(rules.next_step_url(user, next_url=next_url))
