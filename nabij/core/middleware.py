from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
