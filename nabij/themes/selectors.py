"""Reads of the themes app. Themes are detected over everyone's records (an aggregate), but what a viewer sees
of one follows issue 13: every count goes through `nabij.privacy.smallcells` unless every record behind it is the
viewer's own organisation's inside their scope (then exact), charts draw the published values, and the words
behind a theme (keywords, the suggested name) come only from texts the viewer may see by the records' policies."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet, Sum

from nabij.areas.models import Buurt
from nabij.core import permissions
from nabij.privacy.refusals import refuse
from nabij.privacy.smallcells import SUPPRESSED, Shown, publish_count, publish_counts
from nabij.themes import detection
from nabij.themes.explain import explanation
from nabij.themes.models import Level, Theme, ThemeCount
from nabij.themes.sources import all_sources

if TYPE_CHECKING:
    from nabij.accounts.models import User

TREND_WEEKS = 16


def _visible_q(user: User) -> QuerySet[Theme]:
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


def theme_list(*, user: User, level: str = "", status: str = "", area: str = "", topic: str = "") -> QuerySet[Theme]:
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


def theme_get(*, user: User, pk: int) -> Theme:
    """A theme in the user's areas; otherwise NotVisible (404), and the refusal is audited."""
    theme = _visible_q(user).filter(pk=pk).first()
    if theme is None:
        refuse(actor=user, action="view", object_type="theme", object_id=pk, hidden=True)
    return theme


def theme_buurt_codes(theme: Theme) -> list[str]:
    """The buurten a theme covers: its own buurt, or every buurt of its wijk or gemeente."""
    if theme.level == Level.BUURT:
        return [theme.area_code]
    field = "wijk_id" if theme.level == Level.WIJK else "gemeente_id"
    return list(Buurt.objects.filter(**{field: theme.area_code}, is_water=False).values_list("code", flat=True))


@dataclass(frozen=True)
class Ownership:
    """Whose records are behind a theme, as far as one viewer is concerned. `own_buurten`: the theme's buurten in
    the viewer's scope, where their organisation's records are their own; `own` / `others`: summed weekly counts
    of those records and of all the rest (upper bounds of distinct residents, enough to tell none from some)."""

    national: bool
    organisation_id: int | None
    own_buurten: frozenset[str]
    whole_area: bool  # every buurt of the theme is in the viewer's scope
    own: int
    others: int

    @property
    def exact(self) -> bool:
        """Every record behind the theme is the viewer's own inside their scope: they may count it as it is.
        The whole area must be in scope too: counts are refreshed after the records, and a buurt outside the
        scope is not the viewer's to know empty."""
        return self.national or (self.whole_area and not self.others)

    @property
    def mixed(self) -> bool:
        return not self.exact and self.own > 0


def _window(theme: Theme) -> tuple[date, date]:
    return theme.period_start, theme.period_end + timedelta(days=1)


def theme_ownership(user: User, theme: Theme, codes: list[str] | None = None) -> Ownership:
    """Read once per viewer and theme (remembered on the theme object for the rest of the request)."""
    memo = theme.__dict__.setdefault("_nabij_ownership", {})
    if user.pk in memo:
        return memo[user.pk]
    codes = codes if codes is not None else theme_buurt_codes(theme)
    national = permissions.has_national_scope(user)
    visible = permissions.visible_buurt_codes(user)
    own_buurten = frozenset(c for c in codes if national or c in visible)
    since, until = _window(theme)
    own_q = (
        Q(organisation_id=user.organisation_id, buurt_id__in=sorted(own_buurten))
        if user.organisation_id is not None
        else Q(pk__in=[])
    )
    sums = ThemeCount.objects.filter(
        buurt_id__in=codes, topic_id=theme.topic_id, week__gte=since, week__lt=until
    ).aggregate(total=Sum("count"), own=Sum("count", filter=own_q))
    total, own = sums["total"] or 0, sums["own"] or 0
    found = Ownership(national, user.organisation_id, own_buurten, len(own_buurten) == len(codes), own, total - own)
    memo[user.pk] = found
    return found


def _own_keys(ownership: Ownership, *, buurt_codes: list[str], topic_id: int, since: date, until: date) -> set[str]:
    """The distinct residents-or-contacts behind a figure that the viewer can count themselves."""
    codes = [c for c in buurt_codes if c in ownership.own_buurten]
    if not codes or ownership.organisation_id is None:
        return set()
    keys: set[str] = set()
    for source in all_sources():
        keys |= source.person_keys(
            buurt_codes=codes, topic_id=topic_id, since=since, until=until, organisation_id=ownership.organisation_id
        )
    return keys


def _all_keys(*, buurt_codes: list[str], topic_id: int, since: date, until: date) -> set[str]:
    keys: set[str] = set()
    for source in all_sources():
        keys |= source.person_keys(buurt_codes=buurt_codes, topic_id=topic_id, since=since, until=until)
    return keys


def _theme_own_part(user: User, theme: Theme) -> int:
    """Of the theme's count, the part the viewer can count themselves (their own records in scope). Only read
    where both their own and others' records are behind the theme; elsewhere it is all or nothing."""
    ownership = theme_ownership(user, theme)
    if ownership.exact:
        return theme.observed
    if not ownership.mixed:
        return 0
    since, until = _window(theme)
    codes = theme_buurt_codes(theme)
    every = _all_keys(buurt_codes=codes, topic_id=theme.topic_id, since=since, until=until)
    own = _own_keys(ownership, buurt_codes=codes, topic_id=theme.topic_id, since=since, until=until)
    return max(0, theme.observed - len(every - own))


def theme_shown_count(user: User, theme: Theme) -> Shown:
    """The theme's count as this viewer may see it (the small-cell rules, unless it is wholly their own)."""
    ownership = theme_ownership(user, theme)
    return publish_count(theme.observed, exact=ownership.exact, own=_theme_own_part(user, theme))


def theme_display_name(user: User, theme: Theme) -> str:
    """The name a coordinator gave; else the suggested name, which quotes words from the notes behind the theme,
    only for a viewer who may read all of them; else the topic."""
    if theme.name:
        return theme.name
    if theme_ownership(user, theme).exact and theme.suggested_name:
        return theme.suggested_name
    return theme.topic.label


def theme_words(user: User, theme: Theme) -> tuple[list[str], str]:
    """The keywords and the suggested name as this viewer may see them: the stored ones when every text behind
    the theme is theirs to read, else recomputed from the texts they may see (none: no words)."""
    if theme_ownership(user, theme).exact:
        return list(theme.keywords), theme.suggested_name
    from nabij.language.keywords import suggest_name
    from nabij.themes.services import theme_keywords

    since, until = _window(theme)
    found = theme_keywords(
        buurt_codes=theme_buurt_codes(theme),
        topic_id=theme.topic_id,
        since=since,
        until=until,
        gemeente=theme.gemeente_code,
        user=user,
    )
    if not found:
        return [], ""
    return [k.word for k in found], suggest_name(found, fallback=theme.topic.label)


def theme_explanation(user: User, theme: Theme) -> str:
    """The proposal's sentence with the count the viewer may see."""
    buurten = len(theme.children.all()) if theme.level != Level.BUURT else None
    return explanation(theme, shown=theme_shown_count(user, theme), buurten=buurten)


@dataclass
class TrendWeek:
    week: date
    count: Shown
    raw_height: float  # 0..1 of the chart height, from the published count; 0 for a suppressed week
    in_window: bool
    x: float = 0.0
    y: float = 0.0
    height: float = 0.0

    @property
    def suppressed(self) -> bool:
        return self.count == SUPPRESSED


def theme_trend(*, user: User, theme: Theme, weeks: int = TREND_WEEKS) -> dict:
    """Weekly counts for the theme's buurten over the last `weeks` weeks, with the usual weekly level. The bars
    are drawn from the published counts: a bar of the exact height would give the hidden number back. The weeks
    of the theme's window are published with the theme's count as their total (a reader adds them up)."""
    codes = theme_buurt_codes(theme)
    ownership = theme_ownership(user, theme, codes)
    end = theme.period_end + timedelta(days=1)
    start = end - timedelta(weeks=weeks)
    base = ThemeCount.objects.filter(buurt_id__in=codes, topic_id=theme.topic_id, week__gte=start, week__lt=end)
    rows = dict(base.values_list("week").annotate(n=Sum("count")).order_by())
    own_rows: dict[date, int] = {}
    if ownership.organisation_id is not None and not ownership.exact and ownership.own:
        own_rows = dict(
            base.filter(organisation_id=ownership.organisation_id, buurt_id__in=sorted(ownership.own_buurten))
            .values_list("week")
            .annotate(n=Sum("count"))
            .order_by()
        )
    all_weeks = [start + timedelta(weeks=i) for i in range(weeks)]
    window_weeks = [wk for wk in all_weeks if wk >= theme.period_start]
    window = publish_counts(
        {wk: rows.get(wk, 0) for wk in window_weeks},
        exact=ownership.exact,
        own={wk: own_rows.get(wk, 0) for wk in window_weeks},
        total=theme.observed,
        total_own=_theme_own_part(user, theme),
        keep_total=True,
    )
    shown: dict[Hashable, Shown] = dict(window.cells)
    for wk in all_weeks:
        if wk not in shown:
            shown[wk] = publish_count(rows.get(wk, 0), exact=ownership.exact, own=own_rows.get(wk, 0))
    p = detection.params()
    usual_week = theme.expected / max(1, p.weeks)
    top = max([*(v for v in shown.values() if isinstance(v, int)), usual_week, 1])
    result = []
    width, height, gap = 40, 160, 6
    for i, wk in enumerate(all_weeks):
        value = shown[wk]
        ratio = value / top if isinstance(value, int) else 0.0
        item = TrendWeek(week=wk, count=value, raw_height=ratio, in_window=wk >= theme.period_start)
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
        "in_scope": ownership.exact,
        "baseline_y": height + 20,
    }


@dataclass
class BuurtRow:
    code: str
    name: str
    count: Shown
    visible: bool
    has_theme: bool


def theme_buurt_rows(*, user: User, theme: Theme) -> list[BuurtRow]:
    """Per buurt of the theme the distinct count in the window, published as one table with the theme's count
    as its total, so that the total minus the shown buurten gives no hidden buurt away. Buurten with a theme of
    their own keep their figure (it is shown as that theme's count anyway)."""
    codes = theme_buurt_codes(theme)
    ownership = theme_ownership(user, theme, codes)
    visible = permissions.visible_buurt_codes(user)
    since, end = _window(theme)
    with_theme = {theme.area_code} if theme.level == Level.BUURT else set()
    if theme.level == Level.WIJK:
        with_theme = {c.area_code for c in theme.children.all()}
    elif theme.level == Level.GEMEENTE:
        with_theme = set(
            Theme.objects.filter(parent__parent=theme, level=Level.BUURT).values_list("area_code", flat=True)
        )
    found: list[tuple[str, str, int, int]] = []
    for code, name in Buurt.objects.filter(code__in=codes).order_by("name").values_list("code", "name"):
        n = detection.distinct_count(buurt_codes=[code], topic_id=theme.topic_id, since=theme.period_start, until=end)
        if not n and code not in with_theme:
            continue
        own = 0
        if ownership.exact:
            own = n
        elif ownership.own and code in ownership.own_buurten:
            every = _all_keys(buurt_codes=[code], topic_id=theme.topic_id, since=since, until=end)
            mine = _own_keys(ownership, buurt_codes=[code], topic_id=theme.topic_id, since=since, until=end)
            own = max(0, n - len(every - mine))
        found.append((code, name, n, own))
    table = publish_counts(
        {code: n for code, _name, n, _own in found},
        exact=ownership.exact,
        own={code: own for code, _name, _n, own in found},
        total=theme.observed,
        total_own=_theme_own_part(user, theme),
        keep=with_theme,
        keep_total=True,
    )
    return [
        BuurtRow(code, name, table.cells[code], ownership.national or code in visible, code in with_theme)
        for code, name, _n, _own in found
    ]


def new_proposal_count(*, user: User) -> int:
    return _visible_q(user).filter(status=Theme.Status.VOORGESTELD).count()
