"""Retake the README screenshots from a running Nabij (`make run`, demo town loaded).

    .venv/bin/python docs/screenshots/take.py [BASE_URL]

Logs in as the demo buurtwerker and saves the home and a buurt page on a desktop (1280×760) and a phone
(390×844) next to this file. Keep each PNG under 200 KB.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 760}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 1.5,
        "is_mobile": True,
        "has_touch": True,
    },
}
PAGES = {"home": "/", "buurt": "/gebieden/buurt/BU99500201/"}


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for screen, options in SCREENS.items():
            page = browser.new_context(locale="nl-NL", **options).new_page()
            page.goto(f"{BASE}/account/inloggen/")
            page.fill("#id_username", "buurtwerker@demo.nabij.example")
            page.fill("#id_password", "nabij-demo-2026")
            with page.expect_navigation():
                page.click("form.utrecht-form button[type=submit]")
            for name, path in PAGES.items():
                page.goto(BASE + path)
                page.wait_for_load_state("networkidle")
                target = OUT / f"{name}-{screen}.png"
                page.screenshot(path=target)
                print(f"{target.name}: {target.stat().st_size // 1024} KB")
        browser.close()


if __name__ == "__main__":
    main()
