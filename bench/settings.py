"""Settings for `python -m bench`: production-like (DEBUG off) on a throwaway database.

The bench runner sets NABIJ_BENCH_DATABASE_URL (a temporary SQLite file, or a separate PostgreSQL database
`nabij_bench` when DATABASE_URL points at PostgreSQL) before Django starts; the gunicorn workers it starts
inherit it. Never point this at a real database: the benchmarks replace the areas in it.
"""

import os

from django.core.exceptions import ImproperlyConfigured

# Production behaviour, with a key that is only ever used for benchmarks. Set before the base settings read them.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "nabij-bench-only-not-a-secret-9f3c1e7a2b6d4f8e0a1c3e5b7d9f2a4c6e8b0d")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("OTP_WEBAUTHN_RP_ID", "localhost")
os.environ.setdefault("OTP_WEBAUTHN_ALLOWED_ORIGINS", "http://localhost")

from nabij.settings import *  # noqa: E402, F403

_url = os.environ.get("NABIJ_BENCH_DATABASE_URL", "")
if not _url:
    raise ImproperlyConfigured("NABIJ_BENCH_DATABASE_URL is not set: run the benchmarks with `python -m bench`.")
DATABASES = {"default": database_from_url(_url, conn_max_age=60)}  # noqa: F405

# The harness lives outside the product: its management command (generate_bench_data) comes with this app.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
ROOT_URLCONF = "bench.urls"
# Plain HTTP on 127.0.0.1: no HTTPS redirect, no Secure-only cookies.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Static files are not measured; plain storage spares a collectstatic run.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}  # noqa: F405
