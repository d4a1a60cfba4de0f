"""Shared pytest set-up. Browser fixtures live in e2e/conftest.py."""

import os

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
