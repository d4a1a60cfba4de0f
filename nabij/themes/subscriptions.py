"""Keeping theme counts current: what themes does when a lower app announces a change (nabij.core.events).

The lower apps (contacts, followup, surveys, participation) do not know themes. Their services announce what
happened; each subscriber here names the buurt-weeks whose counts may have moved and asks for a recount
(`services.refresh_request`: one debounced task per buurt-week, run by the worker). The events are delivered
after the write commits, so a recount that cannot be queued (database busy, queue down) is logged by the event
module and caught up by the next write to the buurt-week or by `rebuild_themes`; the write is never reported as
failed.

The walk from a capture to a theme count:
contacts.services.contact_moment_create → events.contact_recorded → `_record_placed` below →
themes.services.refresh_request → tasks.refresh_counts_task → services.refresh_run (recount and detection).
"""

from __future__ import annotations

from datetime import date, datetime

from nabij.core import events
from nabij.themes.sources import week_of


def _recount(buurt_code: str | None, when: datetime | date | None) -> None:
    if not buurt_code or when is None:
        return
    from nabij.themes.services import refresh_request

    refresh_request(buurt_code=buurt_code, week=week_of(when))


def _recount_move(buurt_code, occurred_at, old_buurt_code, old_occurred_at) -> None:
    """A corrected record: its new buurt-week, and its old one when that differs."""
    _recount(buurt_code, occurred_at)
    if old_occurred_at is not None and (old_buurt_code, week_of(old_occurred_at)) != (buurt_code, week_of(occurred_at)):
        _recount(old_buurt_code, old_occurred_at)


# Contact moments and observations (contacts) ----------------------------------------------------------------


def _record_placed(*, buurt_code, occurred_at) -> None:
    """A contact moment or observation logged or deleted: its buurt-week."""
    _recount(buurt_code, occurred_at)


def _record_corrected(*, buurt_code, occurred_at, old_buurt_code, old_occurred_at) -> None:
    _recount_move(buurt_code, occurred_at, old_buurt_code, old_occurred_at)


# Referrals (followup) and tagged answers (surveys) ----------------------------------------------------------


def _referral_made(*, buurt_code, created_at, old_buurt_code, old_created_at) -> None:
    _recount_move(buurt_code, created_at, old_buurt_code, old_created_at)


def _answer_tagged(*, buurt_code, submitted_at) -> None:
    _recount(buurt_code, submitted_at)


# Participation inputs: counted in their project's buurt ---------------------------------------------------


def _input_received(*, project_id, created_at) -> None:
    from nabij.participation.selectors import project_buurt_codes

    for code in project_buurt_codes(project_id=project_id):
        _recount(code, created_at)


def _project_scope_changed(*, project_id, old_buurt_codes) -> None:
    """Every week with inputs of the project, in its buurten now and in those it had before."""
    from nabij.participation.selectors import project_buurt_codes, project_input_times

    weeks = {week_of(when) for when in project_input_times(project_id=project_id)}
    for code in project_buurt_codes(project_id=project_id) | set(old_buurt_codes):
        for week in weeks:
            _recount(code, week)


def subscribe() -> None:
    """Called once from ThemesConfig.ready()."""
    for event in (events.contact_recorded, events.contact_removed, events.signal_recorded, events.signal_removed):
        event.subscribe(_record_placed)
    events.contact_corrected.subscribe(_record_corrected)
    events.signal_corrected.subscribe(_record_corrected)
    events.referral_made.subscribe(_referral_made)
    events.answer_tagged.subscribe(_answer_tagged)
    events.input_received.subscribe(_input_received)
    events.project_scope_changed.subscribe(_project_scope_changed)
