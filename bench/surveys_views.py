"""The bare view for the surveys benchmark: one INSERT into the response table, public like the answer endpoint.

It sits behind the same middleware as `POST /api/v1/vragenlijsten/{slug}/antwoorden` (no login, no CSRF: the
public endpoint has neither) and takes the same `Idempotency-Key` header into the same unique column, so the
ratio of the real endpoint to this shows what the surveys code adds (survey lookup, rate limit, validation with
skip logic, the answer rows) on top of the cheapest possible insert. `make_application()` is the benchmark
server's WSGI entry (gunicorn `…:make_application()`).
"""

from __future__ import annotations

import os

from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, connection
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

URLCONF = "bench.surveys_views"
BARE_INSERT_PATH = "/bench/surveys/bare-insert/{survey_id}/"
# The load generator is one client on 127.0.0.1; the per-client limit would stop it after 20 posts a minute.
# The limit is still counted in the cache on every request, as in production.
BENCH_SUBMIT_LIMIT = 10**9


@csrf_exempt
@login_not_required
@require_POST
def bare_insert(request, survey_id: int):
    """One INSERT into surveys_response with the request's idempotency key (no checks, no answers)."""
    key = f"{survey_id}:{request.headers.get('Idempotency-Key', '')[:64]}"
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO surveys_response (survey_id, survey_version, channel, form_number, idempotency_key, "
                "submitted_at) VALUES (%s, %s, %s, %s, %s, %s)",
                [survey_id, 1, "online", "", key, timezone.now()],
            )
    except IntegrityError:
        return HttpResponse("ok (retry)", content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain", status=201)


_own_patterns = [path("bench/surveys/bare-insert/<int:survey_id>/", bare_insert, name="bench-surveys-bare-insert")]


def __getattr__(name: str):
    # Read lazily: importing bench.urls needs the app registry, which gunicorn's import of this module
    # (for make_application) comes before.
    if name == "urlpatterns":
        from bench.urls import urlpatterns as bench_urlpatterns

        return [*_own_patterns, *bench_urlpatterns]
    raise AttributeError(name)


def make_application():
    """The WSGI application of the surveys benchmark server."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django
    from django.conf import settings

    django.setup(set_prefix=False)
    settings.ROOT_URLCONF = URLCONF
    settings.SURVEYS_SUBMIT_LIMIT = BENCH_SUBMIT_LIMIT
    from django.core.handlers.wsgi import WSGIHandler

    return WSGIHandler()
