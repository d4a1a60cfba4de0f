"""Benchmark for issue 8 (participation): the B1 check and the weight of the public project page.

1. **B1 check on a 2,000-word Dutch text**, p50/p95 of `nabij.language.b1.b1_check`:
   - in-process, warm (the syllable cache filled, as in a running server process), 200 runs;
   - in-process, cold (the syllable cache emptied before every run: the first check a fresh process does);
   - through the API `POST /api/v1/taal/b1-check` on a real server (gunicorn, 2 sync workers, DEBUG off,
     bearer token), one request at a time, 200 requests after a warm-up: what the live check costs a user.
   Goal: fast enough to run at every typing pause. Threshold: p95 ≤ 150 ms through the API for 2,000 words
   (the live check fires 500 ms after the last keystroke; 150 ms on top stays well under the ~1 s in which a
   response still feels immediate, and a 2,000-word text is far longer than any project text or reply).
2. **Transferred bytes of the public project page** `/p/<slug>/` on a first visit: the HTML as the server sends
   it (with `Accept-Encoding: gzip, br`), and every stylesheet and script it links, raw and as WhiteNoise serves
   them in production (pre-compressed gzip, and brotli when installed). The QR image is listed apart. For
   comparison, the same for the staff base layout (Utrecht component library + theme + htmx).
"""

from __future__ import annotations

import gzip
import http.client
import json
import random
import re
import tempfile
import time
from pathlib import Path

from bench.common import free_port, percentile

RUNS = 200
COLD_RUNS = 20
API_REQUESTS = 200
WARM_UP = 10
TARGET_WORDS = 2000
P95_GOAL_MS = 150.0
TIME_BUDGET_SECONDS = 120.0
DEMO_SLUG = "groen-binnenterrein-de-akkers"
BUURTWERKER = "buurtwerker@demo.nabij.example"

# Sentences of the kind project texts contain: plain ones, long ones and officialese, so that every part of the
# checker (sentence split, syllables, long words, the hard-word list) does real work.
_SENTENCES = [
    "We maken het binnenterrein groener.",
    "U kiest mee welke planten er komen.",
    "Voor 1 juni hoort u wat we hebben gekozen.",
    "De gemeente betaalt de bomen en de bankjes.",
    "Inzake de vigerende regelgeving wordt thans bezien welke maatregelen noodzakelijk zijn.",
    "Op de bewonersavond in het buurthuis vertellen we meer over de plannen.",
    "De woningcorporatie renoveert in het najaar de voordeuren van complex twaalf.",
    "Heeft u een idee of een vraag, dan kunt u die via deze pagina sturen.",
    "In het kader van de gebiedsontwikkeling worden de verduurzamingsmaatregelen geïnventariseerd.",
    "Wij antwoorden binnen tien werkdagen op elke reactie.",
    "Kinderen uit de buurt helpen mee met het planten van de bloembollen.",
    "Teneinde de leefbaarheid te bevorderen, wordt derhalve geïnvesteerd in de openbare ruimte.",
    "Er komen vier kleuren voor de voordeuren: rood, groen, blauw en geel.",
    "Elk huishouden kiest één keer met de code uit de brief.",
    "De werkzaamheden duren ongeveer zes weken.",
    "Tijdens de uitvoering kan er tijdelijk overlast zijn door geluid en vrachtverkeer.",
    "Wij informeren u tijdig omtrent eventuele wijzigingen in de planning.",
    "Het budget is veertigduizend euro.",
    "De herstructureringsplannen voor de wijk worden in samenspraak met de bewonerscommissie vastgesteld.",
    "Wilt u meedoen, kom dan op dinsdag om half acht naar het buurthuis.",
]


def dutch_text(words: int = TARGET_WORDS, *, seed: int = 8) -> str:
    """About `words` words of project-like Dutch in paragraphs, the same text for the same seed."""
    rng = random.Random(seed)
    sentences, count = [], 0
    while count < words:
        sentence = rng.choice(_SENTENCES)
        sentences.append(sentence)
        count += len(sentence.split())
    paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]
    return "\n\n".join(paragraphs)


def _in_process(text: str) -> dict:
    from nabij.language.b1 import b1_check, syllable_count

    cold = []
    for _ in range(COLD_RUNS):
        syllable_count.cache_clear()
        started = time.perf_counter()
        b1_check(text)
        cold.append(time.perf_counter() - started)
    b1_check(text)
    warm = []
    for _ in range(RUNS):
        started = time.perf_counter()
        b1_check(text)
        warm.append(time.perf_counter() - started)
    return {"warm": warm, "cold": cold}


def _api_token() -> str:
    from nabij.accounts.models import User
    from nabij.accounts.services import api_token_create

    _token, secret = api_token_create(user=User.objects.get(email=BUURTWERKER))
    return secret


def _request(port: int, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _api(port: int, text: str, token: str) -> list[float]:
    body = json.dumps({"tekst": text}).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept-Encoding": "identity"}

    def one() -> float:
        started = time.perf_counter()
        status, _headers, data = _request(port, "POST", "/api/v1/taal/b1-check", body=body, headers=headers)
        elapsed = time.perf_counter() - started
        if status != 200 or b'"niveau"' not in data:
            raise RuntimeError(f"b1-check answered {status}: {data[:200]!r}")
        return elapsed

    for _ in range(WARM_UP):
        one()
    timings, deadline = [], time.monotonic() + TIME_BUDGET_SECONDS
    for _ in range(API_REQUESTS):
        if time.monotonic() > deadline:
            break
        timings.append(one())
    return timings


def _static_sizes(url: str) -> tuple[int, int, int | None]:
    """(raw, gzip, brotli or None) bytes of a static file, as WhiteNoise's compressed storage serves it."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    path = finders.find(url.removeprefix(settings.STATIC_URL).split("?")[0])
    if not path:
        raise RuntimeError(f"static file not found: {url}")
    data = Path(path).read_bytes()
    try:
        import brotli

        br = len(brotli.compress(data))
    except ImportError:
        br = None
    return len(data), len(gzip.compress(data, compresslevel=9, mtime=0)), br


def _assets(html: str) -> list[str]:
    styles = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    return styles + scripts


def _page_weight(port: int) -> dict:
    status, headers, body = _request(
        port, "GET", f"/p/{DEMO_SLUG}/", headers={"Accept-Encoding": "gzip, br", "Accept-Language": "nl"}
    )
    if status != 200:
        raise RuntimeError(f"/p/{DEMO_SLUG}/ answered {status}")
    encoding = headers.get("Content-Encoding", "")
    html = gzip.decompress(body).decode() if encoding == "gzip" else body.decode()
    assets = [(url, *_static_sizes(url)) for url in _assets(html)]
    _s, _h, qr = _request(port, "GET", f"/p/{DEMO_SLUG}/qr.svg", headers={"Accept-Encoding": "gzip, br"})
    html_gzip = len(gzip.compress(html.encode(), compresslevel=6, mtime=0))
    return {
        "html_sent": len(body),
        "html_raw": len(html.encode()),
        "html_gzip": html_gzip,
        "encoding": encoding or "none",
        "assets": assets,
        "qr": len(qr),
    }


def _staff_layout_assets() -> list[tuple[str, int, int, int | None]]:
    from django.conf import settings

    urls = [
        "vendor/utrecht/component-library.css",
        "vendor/theme/voorbeeld-theme.css",
        "css/nabij.css",
        "vendor/htmx/htmx.min.js",
        "js/nabij.js",
    ]
    return [(settings.STATIC_URL + u, *_static_sizes(settings.STATIC_URL + u)) for u in urls]


def measure() -> dict:
    from nabij.demo.services import demo_load

    from bench.common import start_gunicorn, stop_server, wait_until_up

    text = dutch_text()
    from nabij.language.b1 import b1_check

    check = b1_check(text)
    words = sum(s.words for s in check.sentences)
    result = {"words": words, "sentences": len(check.sentences), "score": check.score, **_in_process(text)}
    demo_load()
    token = _api_token()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="nabij-bench-participation-") as directory:
        log_path = Path(directory) / "gunicorn.log"
        process = start_gunicorn("nabij.wsgi:application", port, log_path, workers=2, timeout=30)
        try:
            wait_until_up(port, process, log_path, seconds=30)
            result["api"] = _api(port, text, token)
            result["page"] = _page_weight(port)
        finally:
            stop_server(process)
    result["staff_assets"] = _staff_layout_assets()
    return result


def _ms(values: list[float], fraction: float) -> str:
    return f"{percentile(values, fraction) * 1000:.1f}"


def _kb(n: int | None) -> str:
    return "–" if n is None else f"{n / 1024:.1f}"


def run() -> str:
    """Measure; return a Markdown section for docs/benchmarks.md."""
    r = measure()
    api_p95 = percentile(r["api"], 0.95) * 1000
    verdict = "meets" if api_p95 <= P95_GOAL_MS else "misses"
    page = r["page"]
    lines = [
        "## Participation: B1 check and public project page",
        "",
        f"B1 check (`nabij.language.b1.b1_check`) on a {r['words']:,}-word Dutch project text "
        f"({r['sentences']} sentences, Flesch-Douma {r['score']:.0f}). Goal: p95 ≤ {P95_GOAL_MS:.0f} ms through "
        "the API, so the live check can run at every typing pause (htmx fires 500 ms after the last keystroke).",
        "",
        "| how | runs | p50 ms | p95 ms |",
        "|---|---:|---:|---:|",
        f"| in-process, warm syllable cache | {len(r['warm'])} | {_ms(r['warm'], 0.5)} | {_ms(r['warm'], 0.95)} |",
        f"| in-process, cold (cache emptied each run) | {len(r['cold'])} | {_ms(r['cold'], 0.5)} | "
        f"{_ms(r['cold'], 0.95)} |",
        f"| `POST /api/v1/taal/b1-check` on gunicorn (2 sync workers, bearer token) | {len(r['api'])} | "
        f"{_ms(r['api'], 0.5)} | {_ms(r['api'], 0.95)} |",
        "",
        f"The API p95 of {api_p95:.1f} ms {verdict} the goal of {P95_GOAL_MS:.0f} ms.",
        "",
        f"Public project page `/p/{DEMO_SLUG}/` (demo greening project) on a first visit. The HTML as sent "
        f"(Content-Encoding: {page['encoding']}); stylesheets and scripts as WhiteNoise serves them in production "
        "(pre-compressed; the browser gets gzip or brotli). The page has no JavaScript.",
        "",
        "| resource | raw KB | gzip KB | brotli KB |",
        "|---|---:|---:|---:|",
        f"| HTML (sent {_kb(page['html_sent'])} KB) | {_kb(page['html_raw'])} | {_kb(page['html_gzip'])} | – |",
    ]
    for url, raw, gz, br in page["assets"]:
        lines.append(f"| `{url}` | {_kb(raw)} | {_kb(gz)} | {_kb(br)} |")
    css_js_gz = sum(a[2] for a in page["assets"])
    lines += [
        f"| QR code (`qr.svg`, image, loaded after the text) | {_kb(page['qr'])} | – | – |",
        "",
        f"First visit, HTML as sent + CSS/JS gzip: **{_kb(page['html_sent'] + css_js_gz)} KB** "
        f"(with gzip on the HTML too, e.g. by the proxy: {_kb(page['html_gzip'] + css_js_gz)} KB).",
        "",
        "For comparison, the staff layout (`base.html`) the public page used before it got its own stylesheet:",
        "",
        "| resource | raw KB | gzip KB | brotli KB |",
        "|---|---:|---:|---:|",
    ]
    for url, raw, gz, br in r["staff_assets"]:
        lines.append(f"| `{url}` | {_kb(raw)} | {_kb(gz)} | {_kb(br)} |")
    staff_gz = sum(a[2] for a in r["staff_assets"])
    lines += ["", f"Staff layout CSS + JS, gzip: {_kb(staff_gz)} KB.", ""]
    return "\n".join(lines)
