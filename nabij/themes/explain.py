"""The one sentence a coordinator reads on every proposal: "24 contacten over energie & geldzaken in 6 weken;
normaal 3". Counts in it follow the small-cell rules of the viewer (the caller passes the shown count)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def usual(expected: float) -> str:
    if expected < 0.5:
        return _("usually less than 1")
    return _("usually %(n)d") % {"n": round(expected)}


def explanation(theme, *, shown: int | str, buurten: int | None = None) -> str:
    """Why this theme was proposed, with `shown` in place of the observed count."""
    weeks = max(1, theme.active_weeks or 1)
    topic = theme.topic.label
    if isinstance(shown, str):
        core = _("%(count)s contacts about %(topic)s in %(weeks)d weeks") % {
            "count": shown,
            "topic": topic,
            "weeks": weeks,
        }
    else:
        core = ngettext(
            "%(count)d contact about %(topic)s in %(weeks)d weeks",
            "%(count)d contacts about %(topic)s in %(weeks)d weeks",
            shown,
        ) % {"count": shown, "topic": topic, "weeks": weeks}
    sentence = f"{core}; {usual(theme.expected)}"
    if buurten:
        sentence = ngettext("In %(n)d buurt: %(rest)s", "In %(n)d buurten: %(rest)s", buurten) % {
            "n": buurten,
            "rest": sentence,
        }
    return sentence
