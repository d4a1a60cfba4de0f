"""Retake the README screenshots from a running Nabij with the demo town loaded.

    .venv/bin/python docs/screenshots/take.py [BASE_URL]      # default http://127.0.0.1:8000 (`make run`)

To leave your own database and port 8000 alone, use a throwaway database and port:

    export DATABASE_URL=sqlite:////tmp/docs.sqlite3
    .venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py load_demo
    .venv/bin/python manage.py runserver 127.0.0.1:8765 --noreload &
    .venv/bin/python docs/screenshots/take.py http://127.0.0.1:8765

Each page is taken on a desktop (1280×900) and a phone (390×844), viewport only, device scale factor 1, and
saved next to this file as <name>-desktop.png / <name>-phone.png. Keep each PNG under 200 KB.
"""

import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}, "device_scale_factor": 1},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 1,
        "is_mobile": True,
        "has_touch": True,
    },
}
PASSWORD = "nabij-demo-2026"
# (file name, who is logged in (None = public page), path; "THEME" = the first theme on /themas/)
PAGES = [
    ("home", "coordinator", "/"),
    ("theme", "coordinator", "THEME"),
    ("buurt", "buurtwerker", "/gebieden/buurt/BU99500201/"),
    ("contact", "buurtwerker", "/contacten/nieuw/"),
    ("beloftes", "buurtwerker", "/beloftes/"),
    ("sociale-kaart", "buurtwerker", "/sociale-kaart/"),
    ("survey", None, "/v/rietlanden-vraagt/"),
    ("project", None, "/p/groen-binnenterrein-de-akkers/"),
]


def login(page, who: str) -> None:
    page.goto(f"{BASE}/account/inloggen/")
    page.fill("#id_username", f"{who}@demo.nabij.example")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form.utrecht-form button[type=submit]")


def first_theme_path(page) -> str:
    page.goto(f"{BASE}/themas/")
    for href in page.eval_on_selector_all("main a[href]", "links => links.map(a => a.getAttribute('href'))"):
        if re.fullmatch(r"/themas/\d+/", href or ""):
            return href
    raise SystemExit("No theme on /themas/: is the demo town loaded?")


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for screen, options in SCREENS.items():
            contexts = {}
            for name, who, path in PAGES:
                if who not in contexts:
                    contexts[who] = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam", **options)
                    if who:
                        login(contexts[who].new_page(), who)
                page = contexts[who].pages[0] if contexts[who].pages else contexts[who].new_page()
                if path == "THEME":
                    path = first_theme_path(page)
                page.goto(BASE + path)
                page.wait_for_load_state("networkidle")
                target = OUT / f"{name}-{screen}.png"
                page.screenshot(path=target, full_page=False)
                print(f"{target.name}: {target.stat().st_size // 1024} KB  ({path})")
            for context in contexts.values():
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
