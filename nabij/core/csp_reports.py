"""CSP violation reports: read what a browser sends and keep nothing that points to a person.

Browsers send either the old `report-uri` form (`application/csp-report`, one `{"csp-report": {...}}`) or the
Reporting API's batch (`application/reports+json`, a list of `{"type": "csp-violation", "body": {...}}`). Both
become `CspReport` rows with the directive, the blocked origin or kind, the page's path, the script's path and
line (stored by `core.services.csp_reports_store`, shown by `core.selectors.csp_report_groups`). The endpoint
(`core.views.csp_report`) is public (a browser sends the report, not a user), so it is size-limited and rate-limited
per client address through nabij.core.ratelimit.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from nabij.core.models import CspReport

CONTENT_TYPES = {"application/csp-report", "application/reports+json", "application/json"}
MAX_PER_REQUEST = 20
_KEYWORDS = {"inline", "eval", "wasm-eval", "self", "trusted-types-policy", "trusted-types-sink", "data", "blob"}
_DIRECTIVE = re.compile(r"[a-z-]{1,60}")


class BadReport(ValueError):
    pass


def _origin_or_kind(value: str) -> str:
    """`https://cdn.example/x.js?u=anna` → `https://cdn.example`; `inline`, `eval`, `data:...` → the kind."""
    value = (value or "").strip()
    if not value:
        return "(none)"
    if value.lower() in _KEYWORDS:
        return value.lower()
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if scheme in {"http", "https", "ws", "wss"} and parts.hostname:
        port = f":{parts.port}" if parts.port else ""
        return f"{scheme}://{parts.hostname.lower()}{port}"[:200]
    if scheme and re.fullmatch(r"[a-z][a-z0-9+.-]{0,30}", scheme):
        return scheme
    return "(other)"


def _path(value: str) -> str:
    """Only the path of a URL: no origin, no query string, no fragment (they may carry a name or a token)."""
    value = (value or "").strip()
    if not value:
        return ""
    path = urlsplit(value).path if "://" in value or value.startswith("/") else ""
    return path[:300]


def _line(value) -> int | None:
    try:
        line = int(value)
    except (TypeError, ValueError):
        return None
    return line if 0 <= line < 10_000_000 else None


def _directive(body: dict) -> str:
    raw = str(body.get("effective-directive") or body.get("effectiveDirective") or "")
    raw = raw or str(body.get("violated-directive") or body.get("violatedDirective") or "").split(" ")[0]
    match = _DIRECTIVE.fullmatch(raw.strip().lower())
    return match.group(0) if match else "(unknown)"


def _report(body: dict) -> CspReport:
    blocked = body.get("blocked-uri", body.get("blockedURL", ""))
    disposition = str(body.get("disposition") or "enforce").lower()
    return CspReport(
        directive=_directive(body),
        blocked=_origin_or_kind(str(blocked or "")),
        document_path=_path(str(body.get("document-uri") or body.get("documentURL") or "")),
        source_path=_path(str(body.get("source-file") or body.get("sourceFile") or "")),
        line=_line(body.get("line-number", body.get("lineNumber"))),
        enforced=disposition != "report",
    )


def csp_reports_parse(*, raw: bytes) -> list[CspReport]:
    """The reports in one request body (unsaved); raises BadReport when it is not a CSP report at all."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadReport("not JSON") from exc
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        return [_report(data["csp-report"])]
    if isinstance(data, list):
        bodies = [
            item["body"]
            for item in data[:MAX_PER_REQUEST]
            if isinstance(item, dict) and item.get("type") == "csp-violation" and isinstance(item.get("body"), dict)
        ]
        if bodies or not data:
            return [_report(body) for body in bodies]
    raise BadReport("not a CSP report")
