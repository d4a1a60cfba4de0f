"""The themes section of the morning digest (issue 9: "Coordinators see new proposals … in their morning digest").

Registered with followup's digest registry (`nabij.followup.digest`, decision 0302) in `ThemesConfig.ready()`.
A coordinator gets one line per theme proposed since their previous digest (at most LOOKBACK_DAYS back) in the
areas they decide on: the theme's name, its area and the one-sentence reason, with counts as the small-cell rules
let this coordinator see them. No personal data: names of areas and topics, counts and keywords only.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nabij.accounts.models import Role, User
from nabij.core import permissions
from nabij.themes import selectors
from nabij.themes.models import Theme

LOOKBACK_DAYS = 7
MAX_LINES = 10
TITLE = gettext_lazy("New theme proposals")


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def proposals_since(*, user, day: date) -> datetime:
    """The moment after which a proposal is new for this digest: when the user's previous digest went out, else
    the start of the day before; never more than LOOKBACK_DAYS before `day`."""
    from nabij.followup.selectors import digest_last_sent

    since = digest_last_sent(user=user, before=day) or _day_start(day - timedelta(days=1))
    return max(since, _day_start(day - timedelta(days=LOOKBACK_DAYS)))


def new_proposals_section(user, day: date) -> list[str]:
    """Lines for one coordinator: new proposals in their scope, newest first (at most MAX_LINES, then a count)."""
    if not permissions.can_view_theme_dashboard(user):
        return []
    since = proposals_since(user=user, day=day)
    qs = selectors.theme_list(user=user, status=Theme.Status.VOORGESTELD).filter(
        created_at__gte=since, created_at__lt=_day_start(day + timedelta(days=1))
    )
    proposals = [t for t in qs if permissions.can_decide_theme(user, t)]
    lines = [
        _("%(name)s (%(level)s %(area)s): %(why)s")
        % {
            "name": selectors.theme_display_name(user, t),
            "level": t.get_level_display().lower(),
            "area": t.area_name,
            "why": selectors.theme_explanation(user, t),
        }
        for t in proposals[:MAX_LINES]
    ]
    if len(proposals) > MAX_LINES:
        lines.append(_("and %(n)d more on the themes page") % {"n": len(proposals) - MAX_LINES})
    return lines


def coordinator_ids(day: date) -> list[int]:
    """Who may have lines: active coordinators, and only when some theme was proposed in the lookback period
    (one cheap query on most mornings)."""
    recent = Theme.objects.filter(
        status=Theme.Status.VOORGESTELD, created_at__gte=_day_start(day - timedelta(days=LOOKBACK_DAYS))
    )
    if not recent.exists():
        return []
    return list(User.objects.filter(is_active=True, role=Role.COORDINATOR).values_list("pk", flat=True))


def register() -> None:
    from nabij.followup.digest import register_digest_section

    register_digest_section(new_proposals_section, title=TITLE, recipients=coordinator_ids, key="themes.new_proposals")
