"""Detection: which topics rose in which buurten, by a one-sided Poisson test against what is usual.

See docs/decisions/0600-theme-detection.md for the method, its assumptions and the parameters. In short:
observed = distinct residents-or-contacts about a topic in a buurt over the last `weeks` ISO weeks (the current
week included); expected λ = `weeks` × the highest of three usual weekly rates from the baseline weeks before
the window — the buurt's own, its wijk peers' and its gemeente peers' (per inhabitant where CBS gives
inhabitants) — and never below `min_expected`. A buurt finding needs observed ≥ floor and P(X ≥ observed | λ) < α.
Escalation: a topic found in ≥ `escalate_min` buurten of a wijk (or the configured share) is a wijk finding;
likewise wijken → gemeente.

Pure functions over plain numbers where possible, so the statistics can be tested without a database.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Min, Sum
from django.utils import timezone

from nabij.themes.sources import all_sources, week_of


@dataclass(frozen=True)
class Params:
    floor: int = 10
    weeks: int = 8
    baseline_weeks: int = 26
    alpha: float = 0.01
    min_expected: float = 1.0
    escalate_min: int = 2
    escalate_fraction: float = 0.0


def params() -> Params:
    """Parameters from settings (NABIJ_THEME_*), with the defaults of the decision record."""
    return Params(
        floor=int(getattr(settings, "NABIJ_THEME_FLOOR", 10)),
        weeks=int(getattr(settings, "NABIJ_THEME_WEEKS", 8)),
        baseline_weeks=int(getattr(settings, "NABIJ_THEME_BASELINE_WEEKS", 26)),
        alpha=float(getattr(settings, "NABIJ_THEME_ALPHA", 0.01)),
        min_expected=float(getattr(settings, "NABIJ_THEME_MIN_EXPECTED", 1.0)),
        escalate_min=int(getattr(settings, "NABIJ_THEME_ESCALATE_MIN", 2)),
        escalate_fraction=float(getattr(settings, "NABIJ_THEME_ESCALATE_FRACTION", 0.0)),
    )


def poisson_upper_tail(k: int, lam: float) -> float:
    """P(X ≥ k) for X ~ Poisson(λ), accurate in the far tail (summed upward from k when k > λ)."""
    if k <= 0:
        return 1.0
    if lam <= 0:
        return 0.0

    def log_pmf(i: int) -> float:
        return -lam + i * math.log(lam) - math.lgamma(i + 1)

    if k > lam:
        total, i = 0.0, k
        term = math.exp(log_pmf(i))
        while term > 0 and (total == 0 or term > total * 1e-16):
            total += term
            i += 1
            term = math.exp(log_pmf(i))
        return min(1.0, total)
    cdf = sum(math.exp(log_pmf(i)) for i in range(k))
    return max(0.0, 1.0 - cdf)


def escalates(found: int, members: int, p: Params) -> bool:
    """Enough lower areas share the theme: at least `escalate_min`, and at least the share when one is set."""
    if found < p.escalate_min:
        return False
    return not p.escalate_fraction or found >= math.ceil(p.escalate_fraction * members)


@dataclass
class Finding:
    level: str
    area_code: str
    topic_id: int
    observed: int
    expected: float
    p_value: float
    active_weeks: int
    window_start: date
    window_end: date  # last day
    buurt_codes: list[str]
    children: list[tuple[str, str]] = field(default_factory=list)  # (level, area code) of lower findings


@dataclass(frozen=True)
class AreaInfo:
    code: str
    wijk: str
    gemeente: str
    inhabitants: int | None


def window(today: date | None = None, p: Params | None = None) -> tuple[date, date, date]:
    """(baseline start, window start, end exclusive) as week Mondays; the window ends with the current week."""
    p = p or params()
    today = today or timezone.localdate()
    end = week_of(today) + timedelta(weeks=1)
    start = end - timedelta(weeks=p.weeks)
    return start - timedelta(weeks=p.baseline_weeks), start, end


def weekly_totals(
    *, buurt_codes: list[str], since: date, until: date, topic_ids: set[int] | None = None
) -> dict[tuple[str, int], dict[date, int]]:
    """Summed ThemeCount per (buurt, topic) and week over all sources."""
    from nabij.themes.models import ThemeCount

    qs = ThemeCount.objects.filter(buurt_id__in=buurt_codes, week__gte=since, week__lt=until)
    if topic_ids is not None:
        qs = qs.filter(topic_id__in=list(topic_ids))
    rows = qs.values_list("buurt_id", "topic_id", "week").annotate(n=Sum("count")).order_by()
    out: dict[tuple[str, int], dict[date, int]] = defaultdict(dict)
    for buurt, topic, wk, n in rows:
        out[(buurt, topic)][wk] = n
    return out


def distinct_count(*, buurt_codes: list[str], topic_id: int, since: date, until: date) -> int:
    """Exact distinct residents-or-contacts over all sources and weeks."""
    keys: set[str] = set()
    for source in all_sources():
        keys |= source.person_keys(buurt_codes=buurt_codes, topic_id=topic_id, since=since, until=until)
    return len(keys)


def detect(
    *, areas: list[AreaInfo], today: date | None = None, p: Params | None = None, topic_ids: set[int] | None = None
) -> list[Finding]:
    """Buurt, wijk and gemeente findings for these buurten (normally all buurten of one or more gemeenten);
    with `topic_ids`, for those topics only (the findings for them are the same as in a full run)."""
    from nabij.themes.models import ThemeCount

    p = p or params()
    base_start, win_start, end = window(today, p)
    codes = [a.code for a in areas]
    by_code = {a.code: a for a in areas}
    totals = weekly_totals(buurt_codes=codes, since=base_start, until=end, topic_ids=topic_ids)
    # Baseline weeks that actually hold data: a town that started using Nabij 5 weeks ago has no 26-week past.
    first = ThemeCount.objects.filter(buurt_id__in=codes).aggregate(first=Min("week"))["first"]
    if first is None:
        return []
    base_from = max(base_start, first)
    base_weeks = max(0, (win_start - base_from).days // 7)

    window_sum: dict[tuple[str, int], int] = {}
    base_sum: dict[tuple[str, int], int] = defaultdict(int)
    topics: set[int] = set()
    for (buurt, topic), weeks in totals.items():
        topics.add(topic)
        window_sum[(buurt, topic)] = sum(n for wk, n in weeks.items() if wk >= win_start)
        base_sum[(buurt, topic)] = sum(n for wk, n in weeks.items() if wk < win_start)

    by_wijk: dict[str, list[AreaInfo]] = defaultdict(list)
    by_gemeente: dict[str, list[AreaInfo]] = defaultdict(list)
    for a in areas:
        by_wijk[a.wijk].append(a)
        by_gemeente[a.gemeente].append(a)

    # Baseline sums per peer group and topic (all counts; counts and inhabitants of buurten with inhabitants;
    # members; members with inhabitants), so each buurt's peers are the group minus itself: linear in buurten.
    group_sums: dict[tuple[str, str, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])

    def add_to_groups(a: AreaInfo, topic: int) -> None:
        n = base_sum.get((a.code, topic), 0)
        for group in (("w", a.wijk), ("g", a.gemeente)):
            sums = group_sums[(*group, topic)]
            sums[0] += n
            sums[2] += 1
            if a.inhabitants:
                sums[1] += n
                sums[3] += a.inhabitants
                sums[4] += 1

    def peer_rate(area: AreaInfo, group: tuple[str, str], topic: int) -> float | None:
        """A usual weekly rate for the area from the other members of the group: per inhabitant when the area
        and some peers have inhabitants, else the plain mean per buurt; None without peers."""
        total, total_inh_n, members, inhabitants, members_inh = group_sums[(*group, topic)]
        own = base_sum.get((area.code, topic), 0)
        total, members = total - own, members - 1
        if area.inhabitants:
            total_inh_n, inhabitants, members_inh = total_inh_n - own, inhabitants - area.inhabitants, members_inh - 1
        if members <= 0:
            return None
        if area.inhabitants and members_inh > 0 and inhabitants > 0:
            return total_inh_n / inhabitants * area.inhabitants / base_weeks
        return total / members / base_weeks

    def expected_for(area: AreaInfo, topic: int) -> float:
        rates = [p.min_expected / p.weeks]
        if base_weeks:
            rates.append(base_sum[(area.code, topic)] / base_weeks)
            for group in (("w", area.wijk), ("g", area.gemeente)):
                rate = peer_rate(area, group, topic)
                if rate is not None:
                    rates.append(rate)
        return max(rates) * p.weeks

    expected: dict[tuple[str, int], float] = {}
    findings: list[Finding] = []
    for topic in sorted(topics):
        for area in areas:
            add_to_groups(area, topic)
        for area in areas:
            lam = expected_for(area, topic)
            expected[(area.code, topic)] = lam
            upper = window_sum.get((area.code, topic), 0)
            if upper < p.floor:  # weekly sums are an upper bound of the distinct count
                continue
            observed = distinct_count(buurt_codes=[area.code], topic_id=topic, since=win_start, until=end)
            if observed < p.floor:
                continue
            pval = poisson_upper_tail(observed, lam)
            if pval < p.alpha:
                findings.append(
                    _finding("buurt", area.code, topic, observed, lam, pval, totals, [area.code], win_start, end)
                )

    # Escalation: buurt findings → wijk, wijk findings → gemeente.
    for level, lower, group_of, members_of in (
        ("wijk", "buurt", lambda code: by_code[code].wijk, lambda g: [a.code for a in by_wijk[g]]),
        ("gemeente", "wijk", None, None),
    ):
        grouped: dict[tuple[str, int], list[Finding]] = defaultdict(list)
        for f in findings:
            if f.level != lower:
                continue
            group = group_of(f.area_code) if group_of else by_code[f.buurt_codes[0]].gemeente
            grouped[(group, f.topic_id)].append(f)
        for (group, topic), lows in sorted(grouped.items()):
            if level == "wijk":
                members = members_of(group)
                n_members = len(members)
            else:
                members = [a.code for a in by_gemeente[group]]
                n_members = len({a.wijk for a in by_gemeente[group]})
            if not escalates(len(lows), n_members, p):
                continue
            observed = distinct_count(buurt_codes=members, topic_id=topic, since=win_start, until=end)
            lam = sum(expected[(code, topic)] for code in members)
            pval = poisson_upper_tail(observed, lam)
            finding = _finding(level, group, topic, observed, lam, pval, totals, members, win_start, end)
            finding.buurt_codes = sorted({code for low in lows for code in low.buurt_codes})
            finding.children = [(low.level, low.area_code) for low in lows]
            findings.append(finding)
    return findings


def _finding(level, code, topic, observed, lam, pval, totals, members, win_start, end) -> Finding:
    weeks_with_counts = sorted(
        {wk for m in members for wk, n in totals.get((m, topic), {}).items() if wk >= win_start and n}
    )
    active = ((end - weeks_with_counts[0]).days // 7) if weeks_with_counts else 0
    return Finding(
        level=level,
        area_code=code,
        topic_id=topic,
        observed=observed,
        expected=round(lam, 2),
        p_value=pval,
        active_weeks=active,
        window_start=win_start,
        window_end=end - timedelta(days=1),
        buurt_codes=list(members),
    )
