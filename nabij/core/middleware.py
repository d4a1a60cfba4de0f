from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from django_htmx.http import HttpResponseClientRedirect

from nabij.core.exceptions import NotVisible, PermissionRefused


class StaffLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every staff page needs a login unless its view says `@login_not_required`.

    The JSON API answers for itself with 401 (session or Bearer token) instead of a redirect, so
    `/api/` is left to django-ninja's authentication.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Nabij is Dutch unless the user chose another language with the switch (stored in the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a worker with an English
    browser would get English without asking; the product's default is Dutch for everyone.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen and translation.check_for_language(chosen) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class NoStoreMiddleware:
    """Pages and API responses with personal data must not stay in a browser's or proxy's cache (a shared
    computer in a buurthuis, a back button after logging out): every response to a logged-in user and every
    API response gets `Cache-Control: no-store`. Public pages for residents and static files keep their own
    caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path_info.startswith("/api/") or (user is not None and user.is_authenticated):
            response["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response


SESSION_LOGIN_AT = "nabij_login_at"
SESSION_SEEN_AT = "nabij_seen_at"
# Activity is written to the session at most once a minute, so that not every page view writes the session row.
ACTIVITY_RESOLUTION = 60
BACKGROUND_HEADER = "HTTP_X_NABIJ_BACKGROUND"


def session_expired(session, *, now: float) -> bool:
    """The session rule (ASVS 7.3): over after `NABIJ_SESSION_IDLE_TIMEOUT` seconds without activity, and
    `NABIJ_SESSION_ABSOLUTE_TIMEOUT` seconds after logging in, however active the user was."""
    login_at = session.get(SESSION_LOGIN_AT)
    seen_at = session.get(SESSION_SEEN_AT, login_at)
    if login_at is None:
        return False
    return (
        now - login_at > settings.NABIJ_SESSION_ABSOLUTE_TIMEOUT or now - seen_at > settings.NABIJ_SESSION_IDLE_TIMEOUT
    )


def session_start(sender, request, user, **kwargs):
    """`user_logged_in` receiver (connected in CoreConfig.ready): both limits count from this login."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_LOGIN_AT] = request.session[SESSION_SEEN_AT] = timezone.now().timestamp()


def _background(request) -> bool:
    """A request the browser makes without the user: a CSP report, or one marked `X-Nabij-Background: 1`."""
    return request.META.get(BACKGROUND_HEADER) == "1" or request.path_info == reverse("core:csp-report")


class SessionTimeoutMiddleware:
    """Logs a user out after the idle or the absolute session limit (`session_expired`).

    The login time and the last activity are kept in the session itself. A page request after the limit is sent
    to the login page with "Je sessie is verlopen" (htmx requests through `HX-Redirect`); an API request on the
    session gets 401, as without a login. Every request the user makes counts as activity; a request marked with
    the header `X-Nabij-Background: 1` (for a future poll or refresh that runs without the user) and a CSP report
    do not, so that an open tab does not keep a session alive. Bearer-token requests have no session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now().timestamp()
            session = request.session
            if SESSION_LOGIN_AT not in session:
                # Logged in before this rule existed (or by force_login): the limits count from now.
                session[SESSION_LOGIN_AT] = session[SESSION_SEEN_AT] = now
            elif session_expired(session, now=now):
                return self._expired(request)
            elif not _background(request) and now - session.get(SESSION_SEEN_AT, 0) >= ACTIVITY_RESOLUTION:
                session[SESSION_SEEN_AT] = now
        return self.get_response(request)

    def _expired(self, request):
        logout(request)
        if request.path_info.startswith("/api/") and request.headers.get("Authorization"):
            return self.get_response(request)  # a Bearer call answers for itself; the stale session is gone
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"status": 401, "title": _("Session expired"), "detail": _("Your session has expired. Log in again.")},
                status=401,
                content_type="application/problem+json",
            )
        messages.info(request, _("Your session has expired. Log in again."))
        login_url = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}"
        if getattr(request, "htmx", False) or request.headers.get("HX-Request") == "true":
            return HttpResponseClientRedirect(login_url)
        return HttpResponseRedirect(login_url)


class ReportingEndpointsMiddleware:
    """Names the endpoint that the CSP's `report-to csp` points at (the Reporting API); older browsers use the
    policy's `report-uri`. Both reach nabij.core.csp_reports."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Reporting-Endpoints", f'csp="{reverse("core:csp-report")}"')
        return response


class DomainErrorMiddleware:
    """Pages answer a refused domain error as Django answers its own: `NotVisible` (outside the user's scope)
    as 404 and `PermissionRefused` as 403, so a view need not translate what a selector or policy check raised.
    The refusal was audited where it was raised (`nabij.privacy.refusals`). The API maps them in `api.errors`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotVisible):
            raise Http404(exception.message) from exception
        if isinstance(exception, PermissionRefused):
            raise PermissionDenied(exception.message) from exception
        return None
