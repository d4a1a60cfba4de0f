"""Bare views for the contacts benchmark: one insert and one indexed read on the contact moment table.

They sit behind the same middleware, session, login and CSRF check as the real pages, so the ratio of the capture
POST and the buurt timeline to these shows what the contacts code adds on top of the cheapest possible work on
the same table. `make_application()` is the benchmark server's WSGI entry (gunicorn `…:make_application()`):
the bench settings with these URLs in front of every bench URL (`bench.urls`) and deduce loaded at worker
start, as a deployment with DEIDENTIFY_PRELOAD does.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

from django.db import connection
from django.db.models import Q
from django.http import HttpResponse
from django.urls import path, resolve
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

URLCONF = "bench.contacts_views"
PRODUCTION_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
BARE_INSERT_PATH = "/bench/contacts/bare-insert/"
BARE_READ_PATH = "/bench/contacts/bare-read/{code}/"
AREA_ONLY_PREFIX = "/bench/area-only"  # the real pages under this prefix, judged by the area rule alone


@contextmanager
def area_rule_only():
    """The access rule as it was before organisations owned their records (area scope and role only, no
    agreements), for the length of one request: the benchmark's counterfactual, so that the cost of the
    organisation rule is measured against the same pages in the same run. Safe because the bench server's
    workers are single-threaded (gunicorn sync workers); never used outside the benchmark."""
    from nabij.core import access, permissions

    def area_filter(self, user):
        if not self.role_may_see(user):
            return access.NOTHING
        return Q() if permissions.has_national_scope(user) else self.area_q(user)

    def area_basis(self, user, obj):
        if not self.role_may_see(user):
            return None
        return access.Basis("own", user.organisation_id) if self.in_area(user, obj) else None

    saved = access.RecordPolicy.filter, access.RecordPolicy.basis, access.RecordPolicy.shares
    access.RecordPolicy.filter, access.RecordPolicy.basis = area_filter, area_basis
    access.RecordPolicy.shares = lambda self, user: []
    try:
        yield
    finally:
        access.RecordPolicy.filter, access.RecordPolicy.basis, access.RecordPolicy.shares = saved


def area_only(request, rest: str):
    """Serve the real page at `/<rest>` under `area_rule_only`."""
    request.path_info = "/" + rest
    match = resolve(request.path_info, urlconf="bench.urls")
    with area_rule_only():
        return match.func(request, *match.args, **match.kwargs)


@require_POST
def bare_insert(request):
    """One INSERT into the contact moment table (the buurt from the form, no checks, no topics, no audit)."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO contacts_contactmoment (created_at, updated_at, buurt_id, occurred_at, channel, note, "
            "needs_follow_up, worker_id, version) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 1)",
            [now, now, request.POST["buurt"], now, "straat", request.POST.get("note", ""), False, request.user.pk],
        )
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def bare_read(request, code: str):
    """One indexed read of a buurt's newest 25 contact moments (the (buurt, -occurred_at) index)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, occurred_at, channel, note FROM contacts_contactmoment WHERE buurt_id = %s "
            "ORDER BY occurred_at DESC LIMIT 25",
            [code],
        )
        rows = cursor.fetchall()
    return HttpResponse(f"ok {len(rows)}", content_type="text/plain")


_own_patterns = [
    path(BARE_INSERT_PATH.strip("/") + "/", bare_insert, name="bench-contacts-bare-insert"),
    path("bench/contacts/bare-read/<str:code>/", bare_read, name="bench-contacts-bare-read"),
    path(AREA_ONLY_PREFIX.strip("/") + "/<path:rest>", area_only, name="bench-area-only"),
]


def __getattr__(name: str):
    # The URLconf is read lazily: importing bench.urls needs the app registry, which gunicorn's import of
    # this module (for make_application) comes before.
    if name == "urlpatterns":
        from bench.urls import urlpatterns as bench_urlpatterns

        return [*_own_patterns, *bench_urlpatterns]
    raise AttributeError(name)


def make_application():
    """The WSGI application of the contacts benchmark server."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django
    from django.conf import settings

    django.setup(set_prefix=False)
    settings.ROOT_URLCONF = URLCONF
    # As deployed: tasks are stored for the db_worker, so a request pays for the enqueue (one INSERT), not for
    # the task itself. (The bench settings run tasks immediately, which would put e.g. the themes recount that a
    # new contact moment queues inside the timed capture POST.)
    settings.TASKS = PRODUCTION_TASKS
    from django.core.handlers.wsgi import WSGIHandler

    from nabij.language.deidentify import load

    load()  # a few seconds per worker, before it takes requests: no capture waits for deduce
    return WSGIHandler()
