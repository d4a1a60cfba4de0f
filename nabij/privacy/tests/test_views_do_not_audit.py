"""Views and API endpoints never write the audit themselves: reads are audited by their selectors, refusals by the
policy check that refuses (`nabij.privacy.refusals`), so a new page cannot forget either (issue 15)."""

import ast
import inspect
from pathlib import Path

import nabij
from nabij.core import access
from nabij.privacy import audit_chain, services

NABIJ = Path(nabij.__file__).parent
AUDIT_MODULES = ("nabij.privacy.services", "nabij.privacy.audit_chain")


def _audit_writers() -> set[str]:
    """The functions that write audit events: `audit_*` in the audit's own modules and `core.access.audit_read`."""
    names = set()
    for module in (services, audit_chain, access):
        names |= {
            name
            for name, value in vars(module).items()
            if name.startswith("audit_") and inspect.isfunction(value) and value.__module__ == module.__name__
        }
    return names


def _view_modules() -> list[Path]:
    found = []
    for path in sorted(NABIJ.rglob("*.py")):
        parts = path.relative_to(NABIJ).parts
        if "tests" in parts or "migrations" in parts:
            continue
        if path.name in {"views.py", "api.py"} or path.name.endswith("_views.py") or "views" in parts[:-1]:
            found.append(path)
    return found


def audit_uses(source: str, writers: set[str]) -> list[str]:
    """Each import of the audit (its modules or a writer) and each call of a writer in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            for alias in node.names:
                if module in AUDIT_MODULES or f"{module}.{alias.name}" in AUDIT_MODULES or alias.name in writers:
                    found.append(f"line {node.lineno}: imports {alias.name} from {module}")
        elif isinstance(node, ast.Import):
            found += [f"line {node.lineno}: imports {a.name}" for a in node.names if a.name in AUDIT_MODULES]
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in writers:
                found.append(f"line {node.lineno}: calls {name}")
    return found


def test_the_scan_finds_every_kind_of_audit_use():
    source = (
        "from nabij.privacy.services import audit_refusal\n"
        "from nabij.privacy import services\n"
        "import nabij.privacy.audit_chain\n"
        "from nabij.core.access import audit_read\n"
        "def view(request):\n"
        "    services.audit_record(actor=request.user, action='view')\n"
    )
    assert len(audit_uses(source, _audit_writers())) == 5


def test_reading_the_audit_log_is_not_writing_it():
    source = (
        "from nabij.privacy import selectors\ndef view(request):\n    selectors.audit_event_list(user=request.user)\n"
    )
    assert audit_uses(source, _audit_writers()) == []


def test_the_scan_covers_every_kind_of_view_module():
    names = {str(path.relative_to(NABIJ)) for path in _view_modules()}
    assert {"themes/views.py", "themes/api.py", "accounts/token_views.py", "surveys/views/results.py"} <= names


def test_no_view_or_api_module_calls_the_audit():
    writers = _audit_writers()
    assert {"audit_record", "audit_refusal", "audit_read"} <= writers
    offenders = {
        str(path.relative_to(NABIJ)): uses
        for path in _view_modules()
        if (uses := audit_uses(path.read_text(encoding="utf-8"), writers))
    }
    assert offenders == {}
