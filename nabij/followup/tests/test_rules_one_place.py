"""One rule, one place (issue 15): outside the rules modules no code or template compares a due date, a navragen
date or an answer's due date, or the small-cell threshold, itself. A new page or list that needs "overdue" calls
`nabij.followup.rules` / `nabij.participation.rules` (or the model property), a new count `nabij.privacy.smallcells`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import nabij

ROOT = Path(nabij.__file__).parent
RULES_MODULES = {
    ROOT / "followup" / "rules.py",
    ROOT / "participation" / "rules.py",
    ROOT / "privacy" / "smallcells.py",
}
SKIPPED_PARTS = {"tests", "migrations"}

DATE_FIELDS = r"(?:due_date|navragen_op|due_on)"
COMPARE = r"(?:<=?|>=?|==|!=)"
PYTHON_PATTERNS = [
    # A filter on a rule's date (`__gte`, the start of a period, is no rule of its own).
    re.compile(rf"\b{DATE_FIELDS}__(?:lt|lte|gt)\b"),
    re.compile(rf"\b{DATE_FIELDS}\s*{COMPARE}"),
    re.compile(rf"{COMPARE}\s*(?:\w+\.)*{DATE_FIELDS}\b"),
    re.compile(r"\bkept_at__date"),
    re.compile(rf"{COMPARE}\s*(?:\w+\.)?threshold\(\)|threshold\(\)\s*{COMPARE}"),
]
TEMPLATE_PATTERNS = [
    re.compile(r"{%\s*now\b[^%]*\bas\s"),  # today kept for a comparison further on
    re.compile(rf"{{%\s*(?:el)?if\b[^%]*{DATE_FIELDS}[^%]*\s{COMPARE}\s"),
]


def _files(suffix: str):
    for path in sorted(ROOT.rglob(f"*{suffix}")):
        if path in RULES_MODULES or SKIPPED_PARTS & set(path.relative_to(ROOT).parts):
            continue
        yield path


def _hits(suffix: str, patterns) -> list[str]:
    hits = []
    for path in _files(suffix):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.lstrip().startswith("#") and any(p.search(line) for p in patterns):
                hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return hits


def test_no_code_outside_the_rules_modules_compares_the_rules_dates_or_the_small_cell_threshold():
    assert _hits(".py", PYTHON_PATTERNS) == []


def test_no_template_compares_dates():
    assert _hits(".html", TEMPLATE_PATTERNS) + _hits(".txt", TEMPLATE_PATTERNS) == []


@pytest.mark.parametrize(
    "line",
    [
        "qs.filter(status__in=ACTIVE, due_date__lt=today)",
        "if promise.due_date < today:",
        "if kept_day <= due_date:",
        'Count("id", filter=Q(status="nagekomen", kept_at__date__lte=F("due_date")))',
        "if row['n'] < threshold() and row['buurt_id']",
    ],
)
def test_the_guard_finds_a_rule_written_again(line):
    assert any(p.search(line) for p in PYTHON_PATTERNS)


def test_the_guard_finds_a_date_comparison_in_a_template():
    assert any(p.search('{% if item.due_on|date:"Y-m-d" < today %}') for p in TEMPLATE_PATTERNS)


def test_the_guard_finds_today_kept_in_a_template_for_a_comparison():
    assert any(p.search('{% now "Y-m-d" as today %}') for p in TEMPLATE_PATTERNS)
