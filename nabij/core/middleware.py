from django.contrib.auth.middleware import LoginRequiredMiddleware


class StaffLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every staff page needs a login unless its view says `@login_not_required`.

    The JSON API answers for itself with 401 (session or Bearer token) instead of a redirect, so
    `/api/` is left to django-ninja's authentication.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
