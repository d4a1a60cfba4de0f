"""Browser-test fixtures: Playwright on the Debian chromium against pytest-django's live server.

Use them from any test under e2e/ (mark the module with ``pytestmark = pytest.mark.e2e``):

- ``demo_town``: the demo gemeente Lindervoort with every app's demo data (``nabij.demo.services.demo_load``);
  ``demo_areas``: only its areas and staff users (for tests that need no other app's data).
- ``login(page, email)``: log in through the real login form and the second step (the code of the user's app,
  computed from its secret; an app is made for a user who has none); returns the page on the home page.
- ``axe_check(page)``: axe-core on the current page; fails with the report when there is any violation.
- ``watch(page)``: a list that collects failed requests (HTTP >= 400) and console errors (CSP violations
  show up there), to assert empty at the end of a test.
- ``phone_page`` / ``desktop_page``: a page in a 390×844 phone context or a 1280×900 desktop context;
  ``screen_page`` is parametrised over both, so one test runs on each. The plain pytest-playwright ``page``
  fixture also works (desktop size, base URL set to the live server).

Relative URLs work everywhere (``page.goto("/gebieden/")``): ``base_url`` is the live server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

CHROMIUM = "/usr/bin/chromium"
# Playwright's own browser download is not used: the Debian chromium runs headless without a sandbox
# and never talks to the network by itself.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEMO_PASSWORD = "nabij-demo-2026"

VIEWPORTS: dict[str, dict] = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}

_axe = Axe()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {
        **browser_context_args,
        **VIEWPORTS["desktop"],
        "base_url": live_server.url,
        "locale": "nl-NL",
        "timezone_id": "Europe/Amsterdam",
    }


@pytest.fixture
def demo_areas(transactional_db) -> None:
    """Only the demo areas (through the real CBS import) and the demo staff users with their scopes: enough
    for tests of the shell and the area pages, and independent of the other apps' demo data."""
    from nabij.demo import services

    services.demo_town_load()


@pytest.fixture
def demo_town(transactional_db) -> list[str]:
    """The whole demo town with every app's demo data, loaded fresh for the test (live-server tests empty
    the database after each test)."""
    from nabij.demo.services import demo_load

    return demo_load()


def _new_page(browser: Browser, browser_context_args: dict, kind: str) -> Iterator[Page]:
    context = browser.new_context(**{**browser_context_args, **VIEWPORTS[kind]})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, browser_context_args) -> Iterator[Page]:
    yield from _new_page(browser, browser_context_args, "phone")


@pytest.fixture
def desktop_page(browser, browser_context_args) -> Iterator[Page]:
    yield from _new_page(browser, browser_context_args, "desktop")


@pytest.fixture(params=list(VIEWPORTS))
def screen_page(request, browser, browser_context_args) -> Iterator[Page]:
    """One page per viewport: a test using this fixture runs once on a phone and once on a desktop."""
    yield from _new_page(browser, browser_context_args, request.param)


def _login(page: Page, email: str, password: str = DEMO_PASSWORD) -> Page:
    from nabij.accounts.mfa.testing import totp_code, totp_device_for
    from nabij.accounts.models import User

    user = User.objects.filter(email__iexact=email).first()
    device = totp_device_for(user) if user is not None else None
    page.goto("/account/inloggen/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("form.utrecht-form button[type=submit]").click()
    assert "/account/inloggen/" not in page.url, f"login failed for {email}"
    if device is not None and "/tweestapsverificatie/controle/" in page.url:
        # The second step, as a person with the authenticator app would do it. A test may log the same user in
        # several times within one 30-second step; forgetting the last used step lets each login use the current
        # code (that a code works once is tested in nabij/accounts/tests/test_mfa.py).
        type(device).objects.filter(pk=device.pk).update(last_t=-1)
        page.locator("#id_code").fill(totp_code(device))
        with page.expect_navigation():
            page.locator("form.utrecht-form button[type=submit]").click()
        assert "/tweestapsverificatie/" not in page.url, f"second step failed for {email}"
    return page


@pytest.fixture
def login() -> Callable[..., Page]:
    """``login(page, email, password=DEMO_PASSWORD)``: log in through the form, ending on the home page."""
    return _login


def _axe_check(page: Page, *, context=None, options: dict | None = None) -> None:
    results = _axe.run(page, context=context, options=options or {"resultTypes": ["violations"]})
    if results.violations_count:
        report = results.generate_report()
        print(f"axe violations on {page.url}:\n{report}")
        pytest.fail(f"{results.violations_count} axe violation(s) on {page.url}:\n{report}", pytrace=False)


@pytest.fixture
def axe_check() -> Callable[..., None]:
    """``axe_check(page)``: axe-core (WCAG rules) on the current page; zero violations or the test fails."""
    return _axe_check


def _watch(page: Page) -> list[str]:
    problems: list[str] = []
    page.on("response", lambda r: problems.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    return problems


@pytest.fixture
def watch() -> Callable[[Page], list[str]]:
    """``problems = watch(page)`` before navigating; ``assert problems == []`` at the end."""
    return _watch
