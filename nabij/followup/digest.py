"""Sections that higher apps add to the morning digest (docs/decisions/0302-followup-bench-badge-digest-sections.md).

followup sits below themes, reports … in the dependency order, so it may not import them. A higher app registers
a section once, in its `AppConfig.ready()`:

    from nabij.followup.digest import register_digest_section

    def new_theme_proposals(user, day):          # -> list of lines, or one rendered block (str)
        return [f"{t.title} ({t.buurt_name})" for t in theme_selectors.proposals_for(user=user, since=day)]

    register_digest_section(
        new_theme_proposals,
        title=_("New theme proposals"),
        recipients=lambda day: theme_selectors.coordinator_ids(),   # optional, see below
    )

Each section is called with (user, day) for each person who gets a digest that morning and returns a list of
lines or one block of text; an empty result leaves the section out. `recipients(day)` (ids of users) names who
may have something in the section: they get a digest even when they have nothing due themselves. Without it the
section is asked for every active user who works with residents, which is fine for a handful of people but costs
one call per person, so a section that knows its audience should say so. A section that raises is logged and left
out; it never stops the digest of others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

logger = logging.getLogger(__name__)

SectionCallable = Callable[[object, date], "Sequence[str] | str | None"]
RecipientsCallable = Callable[[date], Iterable[int]]


@dataclass(frozen=True)
class DigestSection:
    key: str
    render: SectionCallable
    title: object = ""  # a (lazy) translated string, or empty
    recipients: RecipientsCallable | None = None


@dataclass(frozen=True)
class RenderedSection:
    title: str
    text: str


_sections: dict[str, DigestSection] = {}


def _key(section: Callable) -> str:
    return f"{getattr(section, '__module__', '')}.{getattr(section, '__qualname__', repr(section))}"


def register_digest_section(
    section: SectionCallable,
    *,
    title: object = "",
    recipients: RecipientsCallable | None = None,
    key: str | None = None,
) -> SectionCallable:
    """Add a section to the morning digest. Registering the same callable (or key) again replaces it, so a
    `ready()` that runs twice does not list it twice. Returns the callable, so it may be used as a decorator."""
    key = key or _key(section)
    _sections[key] = DigestSection(key=key, render=section, title=title, recipients=recipients)
    return section


def unregister_digest_section(section_or_key: Callable | str) -> None:
    key = section_or_key if isinstance(section_or_key, str) else _key(section_or_key)
    _sections.pop(key, None)


def digest_sections() -> list[DigestSection]:
    return list(_sections.values())


def section_recipient_ids(*, day: date) -> dict[str, set[int] | None]:
    """Per registered section, the users it names for `day`; None when the section names nobody, so every active
    user who works with residents must be asked."""
    named: dict[str, set[int] | None] = {}
    for section in _sections.values():
        if section.recipients is None:
            named[section.key] = None
            continue
        try:
            named[section.key] = {int(pk) for pk in section.recipients(day)}
        except Exception:
            logger.exception("Digest section %s: recipients failed", section.key)
            named[section.key] = set()
    return named


def render_sections(*, user, day: date, asked: Callable[[DigestSection], bool] | None = None) -> list[RenderedSection]:
    """The non-empty sections for one person. `asked(section)` may skip sections that do not name this user."""
    rendered = []
    for section in _sections.values():
        if asked is not None and not asked(section):
            continue
        try:
            result = section.render(user, day)
        except Exception:
            logger.exception("Digest section %s failed for user %s", section.key, getattr(user, "pk", None))
            continue
        if isinstance(result, str):
            text = result.strip()
        elif result:
            text = "\n".join(f"- {line}" for line in (str(item).strip() for item in result) if line)
        else:
            text = ""
        if text:
            rendered.append(RenderedSection(title=str(section.title or ""), text=text))
    return rendered
