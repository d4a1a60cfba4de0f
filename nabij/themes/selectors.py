"""Reads of the themes app. Themes and their counts are aggregates; every count shown to a viewer goes through
`shown_count` with the viewer's scope (nabij.privacy.smallcells)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet, Sum

from nabij.areas.models import Buurt
from nabij.core import permissions
from nabij.core.exceptions import NotVisible
from nabij.privacy.smallcells import SUPPRESSED, shown_count
from nabij.themes import detection
from nabij.themes.explain import explanation
from nabij.themes.models import Level, Theme, ThemeCount

TREND_WEEKS = 16


def _visible_q(user) -> QuerySet[Theme]:
    qs = Theme.objects.select_related("topic", "parent", "decided_by")
    if permissions.has_national_scope(user):
        return qs
    if not permissions.can_view_themes(user):
        return qs.none()
    codes = list(permissions.visible_buurt_codes(user))
    visible = Buurt.objects.filter(code__in=codes)
    wijken = visible.values("wijk_id")
    gemeenten = visible.values("gemeente_id")
    return qs.filter(
        Q(level=Level.BUURT, area_code__in=codes)
        | Q(level=Level.WIJK, area_code__in=wijken)
        | Q(level=Level.GEMEENTE, area_code__in=gemeenten)
    )


def theme_list(*, user, level: str = "", status: str = "", area: str = "", topic: str = "") -> QuerySet[Theme]:
    """Themes of the viewer's areas, newest first. `area` matches the theme's own area code, or a buurt/wijk
    code whose higher themes are wanted (a wijk code also finds the themes of its buurten)."""
    qs = _visible_q(user).prefetch_related("children")
    if level:
        qs = qs.filter(level=level)
    if status:
        qs = qs.filter(status=status)
    if topic:
        qs = qs.filter(topic__slug=topic)
    if area:
        area = area.strip().upper()
        if area.startswith("WK"):
            buurten = Buurt.objects.filter(wijk_id=area).values("code")
            qs = qs.filter(Q(area_code=area) | Q(level=Level.BUURT, area_code__in=buurten))
        elif area.startswith("GM"):
            qs = qs.filter(gemeente_code=area)
        else:
            qs = qs.filter(area_code=area)
    return qs.order_by("-created_at", "-id")


def theme_get(*, user, pk: int) -> Theme:
    theme = _visible_q(user).filter(pk=pk).first()
    if theme is None:
        raise NotVisible("Not found.")
    return theme


def theme_buurt_codes(theme: Theme) -> list[str]:
    """The buurten a theme covers: its own buurt, or every buurt of its wijk or gemeente."""
    if theme.level == Level.BUURT:
        return [theme.area_code]
    field = "wijk_id" if theme.level == Level.WIJK else "gemeente_id"
    return list(Buurt.objects.filter(**{field: theme.area_code}, is_water=False).values_list("code", flat=True))


def theme_in_scope(user, theme: Theme, codes: list[str] | None = None) -> bool:
    """Whether every buurt of the theme is in the viewer's scope (then counts are shown as they are)."""
    if permissions.has_national_scope(user):
        return True
    visible = permissions.visible_buurt_codes(user)
    return all(code in visible for code in (codes if codes is not None else theme_buurt_codes(theme)))


def theme_shown_count(user, theme: Theme) -> int | str:
    return shown_count(theme.observed, in_scope=theme_in_scope(user, theme))


def theme_explanation(user, theme: Theme) -> str:
    """The proposal's sentence with the count the viewer may see."""
    buurten = len(theme.children.all()) if theme.level != Level.BUURT else None
    return explanation(theme, shown=theme_shown_count(user, theme), buurten=buurten)


@dataclass
class TrendWeek:
    week: date
    count: int | str
    raw_height: float  # 0..1 of the chart height; 0 for a suppressed week
    in_window: bool
    x: float = 0.0
    y: float = 0.0
    height: float = 0.0


def theme_trend(*, user, theme: Theme, weeks: int = TREND_WEEKS) -> dict:
    """Weekly counts for the theme's buurten over the last `weeks` weeks, with the usual weekly level."""
    codes = theme_buurt_codes(theme)
    in_scope = theme_in_scope(user, theme, codes)
    end = theme.period_end + timedelta(days=1)
    start = end - timedelta(weeks=weeks)
    rows = dict(
        ThemeCount.objects.filter(buurt_id__in=codes, topic_id=theme.topic_id, week__gte=start, week__lt=end)
        .values_list("week")
        .annotate(n=Sum("count"))
        .order_by()
    )
    p = detection.params()
    usual_week = theme.expected / max(1, p.weeks)
    values = [rows.get(start + timedelta(weeks=i), 0) for i in range(weeks)]
    top = max([*values, usual_week, 1])
    result = []
    width, height, gap = 40, 160, 6
    for i, value in enumerate(values):
        wk = start + timedelta(weeks=i)
        shown = shown_count(value, in_scope=in_scope) if value else 0
        ratio = 0.0 if shown == SUPPRESSED else value / top
        item = TrendWeek(week=wk, count=shown, raw_height=ratio, in_window=wk >= theme.period_start)
        item.x = i * width + gap / 2
        item.height = round(ratio * height, 1)
        item.y = round(height - item.height + 20, 1)
        result.append(item)
    return {
        "weeks": result,
        "width": weeks * width,
        "height": height + 50,
        "bar_width": width - gap,
        "usual_y": round(height - usual_week / top * height + 20, 1),
        "usual": round(usual_week, 1),
        "in_scope": in_scope,
        "baseline_y": height + 20,
    }


@dataclass
class BuurtRow:
    code: str
    name: str
    count: int | str
    visible: bool
    has_theme: bool


def theme_buurt_rows(*, user, theme: Theme) -> list[BuurtRow]:
    """Per buurt of the theme the distinct count in the window; outside the viewer's scope as small cells."""
    codes = theme_buurt_codes(theme)
    visible = permissions.visible_buurt_codes(user)
    national = permissions.has_national_scope(user)
    end = theme.period_end + timedelta(days=1)
    with_theme = {theme.area_code} if theme.level == Level.BUURT else set()
    if theme.level == Level.WIJK:
        with_theme = {c.area_code for c in theme.children.all()}
    elif theme.level == Level.GEMEENTE:
        with_theme = set(
            Theme.objects.filter(parent__parent=theme, level=Level.BUURT).values_list("area_code", flat=True)
        )
    rows = []
    for code, name in Buurt.objects.filter(code__in=codes).order_by("name").values_list("code", "name"):
        n = detection.distinct_count(buurt_codes=[code], topic_id=theme.topic_id, since=theme.period_start, until=end)
        in_scope = national or code in visible
        if not n and code not in with_theme:
            continue
        rows.append(BuurtRow(code, name, shown_count(n, in_scope=in_scope), in_scope, code in with_theme))
    return rows


def new_proposal_count(*, user) -> int:
    return _visible_q(user).filter(status=Theme.Status.VOORGESTELD).count()
