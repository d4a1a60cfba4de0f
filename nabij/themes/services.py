"""All writes of the themes app: the counts (incremental and rebuilt), detection results, and the lifecycle
voorgesteld → erkend → aanpak → afgerond, or afgewezen with a reason."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nabij.areas.models import Buurt, Gemeente, Wijk
from nabij.core import permissions
from nabij.core.exceptions import InvalidInput, PermissionRefused
from nabij.language.keywords import DocumentCounts, Keyword, keywords_from_counts, suggest_name
from nabij.privacy.services import audit_record, audit_refusal
from nabij.themes import detection
from nabij.themes.explain import explanation
from nabij.themes.models import Theme, ThemeAction, ThemeCount, ThemeRefreshPending
from nabij.themes.sources import Source, all_sources, week_of

if TYPE_CHECKING:
    from nabij.accounts.models import User

BATCH = 5000
REASON_MAX = 1000
NAME_MAX = 200
# An incremental update renames a proposal when its count moved by at least this many, or this share (0602).
NAME_STEP_MIN = 5
NAME_STEP_SHARE = 0.25


# Counts ----------------------------------------------------------------------------------------------------


CellCounts = dict[tuple[str, int, int | None], int]


def _cell_recount(buurt_code: str, week: date) -> tuple[CellCounts, CellCounts]:
    """Recount one buurt-week from every source (delete and insert, so running it twice changes nothing); the
    cell's counts per (source, topic, organisation) before and after."""
    week = week_of(week)
    rows = [
        ThemeCount(source=source.key, buurt_id=b, topic_id=t, week=w, organisation_id=org, count=n)
        for source in all_sources()
        for b, t, w, org, n in source.weekly_counts(
            buurt_codes=[buurt_code], since=week, until=week + timedelta(weeks=1)
        )
        if n
    ]
    for attempt in range(2):
        try:
            with transaction.atomic():
                before = _cell_counts(buurt_code, week)
                ThemeCount.objects.filter(buurt_id=buurt_code, week=week).delete()
                ThemeCount.objects.bulk_create(rows)
            break
        except IntegrityError:  # a concurrent refresh of the same cell won; recount once more
            if attempt:
                raise
    return before, {(row.source, row.topic_id, row.organisation_id): row.count for row in rows}


def counts_refresh(*, buurt_code: str, week: date) -> int:
    """Recount one buurt-week from every source (safe to run twice); the number of cells written."""
    _before, after = _cell_recount(buurt_code, week)
    return len(after)


def _insert_select(source: Source) -> int:
    """PostgreSQL: let the server group and insert a source's weekly counts (INSERT … SELECT), so a national
    rebuild does not move a million rows through Python. The same query as `weekly_counts`, so the same rows.

    Hand-written because the ORM has no INSERT … SELECT: `bulk_create` would fetch every grouped row into Python
    and send it back, which is what decision 0602 measured as the cost of a national rebuild. The SELECT itself
    is the ORM's (`weekly_queryset`), so the counting rule stays in one place; only the INSERT around it is SQL,
    and SQLite takes the ORM path in `counts_rebuild` (tests on both databases compare the two)."""
    assert source.weekly_queryset is not None  # counts_rebuild calls this only for sources that have one
    sql, params = source.weekly_queryset().query.sql_with_params()
    table = ThemeCount._meta.db_table
    columns = '"source", "buurt_id", "topic_id", "week", "organisation_id", "count"'
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{table}" ({columns}) '  # noqa: S608 (no user input)
            f"SELECT %s, b, t, w::date, o, n FROM ({sql}) AS sub(b, t, w, o, n) WHERE n > 0",
            [source.key, *params],
        )
        return cursor.rowcount


@transaction.atomic
def counts_rebuild() -> int:
    """Rebuild the whole materialised base from the sources (`manage.py rebuild_themes`)."""
    ThemeCount.objects.all().delete()
    background_cache_clear()  # now, for the detection of this rebuild, and again once it is committed
    transaction.on_commit(background_cache_clear)
    total = 0
    for source in all_sources():
        if source.weekly_queryset is not None and connection.vendor == "postgresql":
            total += _insert_select(source)
            continue
        batch: list[ThemeCount] = []  # SQLite, and the small sources
        for b, t, w, org, n in source.weekly_counts():
            if not n:
                continue
            batch.append(ThemeCount(source=source.key, buurt_id=b, topic_id=t, week=w, organisation_id=org, count=n))
            if len(batch) >= BATCH:
                ThemeCount.objects.bulk_create(batch)
                total += len(batch)
                batch = []
        ThemeCount.objects.bulk_create(batch)
        total += len(batch)
    if connection.vendor == "postgresql":
        # Fresh statistics after a bulk load: without them the planner may scan the whole table on every
        # incremental refresh until autovacuum gets round to it. ANALYZE has no ORM form; it changes no data.
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{ThemeCount._meta.db_table}"')
    return total


def refresh_request(*, buurt_code: str, week: date) -> bool:
    """Debounce: queue one refresh per buurt-week; a second request while one is queued is a no-op.

    The task removes the marker before it counts, so a contact saved while it runs queues a new refresh. This
    runs after every saved contact moment: `get_or_create` reads the marker first, so in the usual case (the
    marker exists) it is one SELECT and nothing is written; two requests racing to create it meet at the unique
    constraint, and the loser reads the winner's marker. Only a new marker queues the task; if queuing fails,
    the marker goes again so the next request retries."""
    from nabij.themes.tasks import refresh_counts_task

    week = week_of(week)
    _marker, created = ThemeRefreshPending.objects.get_or_create(buurt_code=buurt_code, week=week)
    if created:
        try:
            refresh_counts_task.enqueue(buurt_code, week.isoformat())
        except Exception:
            ThemeRefreshPending.objects.filter(buurt_code=buurt_code, week=week).delete()
            raise
    return created


def _cell_counts(buurt_code: str, week: date) -> CellCounts:
    rows = ThemeCount.objects.filter(buurt_id=buurt_code, week=week_of(week)).values_list(
        "source", "topic_id", "organisation_id", "count"
    )
    return {(source, topic, org): n for source, topic, org, n in rows}


def refresh_run(*, buurt_code: str, week: date, detect: bool = True) -> int:
    """What the task does: drop the marker, recount the buurt-week, and run detection for the topics whose
    counts changed, in the buurt's gemeente.

    Proportional: a change to one buurt's counts for a topic can only change findings for that topic (the buurt's
    own test, its peers' expectations and the escalation above it), so detection is limited to those topics; a
    recount that changed nothing (a resident's second contact in a week) runs no detection at all. Findings that
    only move with time (a window passing a rise) are brought up to date by `rebuild_themes` / detection runs."""
    # The marker goes first, in its own commit: a contact saved from here on queues a new refresh.
    ThemeRefreshPending.objects.filter(buurt_code=buurt_code, week=week_of(week)).delete()
    with transaction.atomic():  # the recount and its detection commit together (one commit per refresh)
        before, after = _cell_recount(buurt_code, week)
        topics = {
            topic
            for key in before.keys() | after.keys()
            if before.get(key) != after.get(key)
            for _s, topic, _o in [key]
        }
        if detect and topics:
            gemeente = Buurt.objects.filter(pk=buurt_code).values_list("gemeente_id", flat=True).first()
            if gemeente:
                themes_detect(gemeente_codes=[gemeente], topic_ids=topics)
    return len(after)


# Detection -------------------------------------------------------------------------------------------------


def _areas(gemeente_codes: list[str] | None) -> list[detection.AreaInfo]:
    qs = Buurt.objects.filter(is_water=False)
    if gemeente_codes is not None:
        qs = qs.filter(gemeente_id__in=gemeente_codes)
    else:
        qs = qs.filter(gemeente_id__in=Buurt.objects.filter(theme_counts__isnull=False).values("gemeente_id"))
    rows = qs.values_list("code", "wijk_id", "gemeente_id", "inhabitants").order_by("code")
    return [detection.AreaInfo(*row) for row in rows]


def _area_names(findings: list[detection.Finding]) -> dict[tuple[str, str], str]:
    names: dict[tuple[str, str], str] = {}
    for level, model in (("buurt", Buurt), ("wijk", Wijk), ("gemeente", Gemeente)):
        codes = {f.area_code for f in findings if f.level == level}
        for code, name in model.objects.filter(pk__in=codes).values_list("pk", "name"):
            names[(level, code)] = name
    return names


BACKGROUND_CACHE_SECONDS = 6 * 3600
_BACKGROUND_GENERATION = "themes:background:generation"


def _background_generation() -> int:
    generation = cache.get_or_set(_BACKGROUND_GENERATION, 1, timeout=None)
    assert generation is not None  # the default is stored and returned when the key is missing
    return int(generation)


def background_cache_clear() -> None:
    """Forget every cached background (a rebuild): the next naming reads the gemeente's texts afresh."""
    try:
        cache.incr(_BACKGROUND_GENERATION)
    except ValueError:
        cache.set(_BACKGROUND_GENERATION, 2, timeout=None)


def background_counts(*, gemeente: str, since: date, until: date) -> DocumentCounts:
    """Word document counts of every text of the gemeente in [since, until), keyed by text, cached per gemeente
    and period (both whole weeks, so the key moves on weekly) for BACKGROUND_CACHE_SECONDS and dropped by a
    rebuild. Texts added since it was cached are missing from the background until then: names are refreshed
    lazily (decision 0602); counts and proposals never read this."""
    key = f"themes:background:{_background_generation()}:{gemeente}:{since.isoformat()}:{until.isoformat()}"
    found = cache.get(key)
    if found is not None:
        return found
    gemeente_buurten = list(Buurt.objects.filter(gemeente_id=gemeente).values_list("code", flat=True))
    texts: dict[str, str] = {}
    for source in all_sources():
        texts.update(source.texts(buurt_codes=gemeente_buurten, topic_id=None, since=since, until=until))
    found = DocumentCounts.from_texts(texts, forms=False)
    cache.set(key, found, BACKGROUND_CACHE_SECONDS)
    return found


def theme_keywords(
    *, buurt_codes: list[str], topic_id: int, since: date, until: date, gemeente: str, user: User | None = None
) -> list[Keyword]:
    """Recurring words in the texts behind a theme, against the other texts of the gemeente (the gemeente's
    texts over the baseline and the window, minus the theme's own).

    With a `user`, only the texts that user may read make the foreground (the words shown to them quote those
    texts); the background stays the whole gemeente's, as document counts that are never shown."""
    foreground: dict[str, str] = {}
    for source in all_sources():
        foreground.update(source.texts(buurt_codes=buurt_codes, topic_id=topic_id, since=since, until=until, user=user))
    if user is not None and not foreground:
        return []
    base_since = since - timedelta(weeks=detection.params().baseline_weeks)
    background = background_counts(gemeente=gemeente, since=base_since, until=until)
    return keywords_from_counts(DocumentCounts.from_texts(foreground), background.without(foreground.keys()))


def _needs_naming(theme: Theme, *, full_run: bool) -> bool:
    """Keywords and the suggested name are computed for a new proposal, on every full detection run (a rebuild),
    and otherwise only when the count moved by a meaningful step since they were last computed: naming reads the
    notes behind the theme and is the costliest part of an incremental update."""
    if theme.status != Theme.Status.VOORGESTELD:
        return False
    if full_run or theme.named_observed is None:
        return True
    step = max(NAME_STEP_MIN, math.ceil(NAME_STEP_SHARE * theme.named_observed))
    return abs(theme.observed - theme.named_observed) >= step


def themes_detect(
    *, gemeente_codes: list[str] | None = None, today: date | None = None, topic_ids: set[int] | None = None
) -> list[Theme]:
    """Run detection and bring the themes in line: new rises become proposals, ongoing ones get fresh numbers,
    and a rise that fell back is closed. Rejected themes stay rejected while their rise goes on.

    With `topic_ids` only those topics are tested and only their themes updated or closed."""
    areas = _areas(gemeente_codes)
    if not areas:
        return []
    findings = detection.detect(areas=areas, today=today, topic_ids=topic_ids)
    gemeenten = sorted({a.gemeente for a in areas})
    gemeente_of = {a.code: a.gemeente for a in areas}
    wijk_gemeente = {a.wijk: a.gemeente for a in areas}
    names = _area_names(findings)
    now = timezone.now()
    this_week = week_of(today or timezone.localdate())
    with transaction.atomic():
        open_themes = {
            (t.level, t.area_code, t.topic_id): t
            for t in Theme.objects.select_for_update().filter(
                gemeente_code__in=gemeenten,
                rise_open=True,
                **({"topic_id__in": topic_ids} if topic_ids is not None else {}),
            )
        }
        touched: dict[tuple[str, str, int], Theme] = {}
        for f in findings:
            key = (f.level, f.area_code, f.topic_id)
            gemeente = {"buurt": gemeente_of.get(f.area_code), "wijk": wijk_gemeente.get(f.area_code)}.get(
                f.level, f.area_code
            )
            assert gemeente is not None  # every finding is in one of the areas read
            theme = open_themes.get(key)
            if theme is None:
                signature = f"{f.level}:{f.area_code}:{f.topic_id}:{this_week.isoformat()}"
                theme = Theme.objects.filter(rise_signature=signature).first() or Theme(
                    level=f.level, area_code=f.area_code, topic_id=f.topic_id, rise_signature=signature
                )
            theme.gemeente_code = gemeente
            theme.area_name = names.get((f.level, f.area_code), f.area_code)
            theme.period_start, theme.period_end = f.window_start, f.window_end
            theme.observed, theme.expected, theme.p_value = f.observed, f.expected, f.p_value
            theme.active_weeks = f.active_weeks
            theme.rise_open = True
            theme.last_detected_at = now
            if _needs_naming(theme, full_run=topic_ids is None):
                found = theme_keywords(
                    buurt_codes=f.buurt_codes,
                    topic_id=f.topic_id,
                    since=f.window_start,
                    until=f.window_end + timedelta(days=1),
                    gemeente=gemeente,
                )
                theme.keywords = [k.word for k in found]
                theme.suggested_name = suggest_name(found, fallback=theme.topic.label)[:NAME_MAX]
                theme.named_observed = theme.observed
            with translation.override(settings.LANGUAGE_CODE):
                theme.explanation = explanation(theme, shown=theme.observed)[:300]
            theme.save()
            touched[key] = theme
        for f in findings:
            for level, code in f.children:
                child = touched.get((level, code, f.topic_id))
                parent = touched[(f.level, f.area_code, f.topic_id)]
                if child is not None and child.parent_id != parent.pk:
                    child.parent = parent
                    child.save(update_fields=["parent", "updated_at"])
        for key, theme in open_themes.items():
            if key not in touched:
                theme.rise_open = False
                theme.save(update_fields=["rise_open", "updated_at"])
    return list(touched.values())


@transaction.atomic
def themes_rebuild() -> tuple[int, int]:
    """Rebuild the counts from scratch and run detection for every gemeente with counts."""
    n = counts_rebuild()
    themes = themes_detect()
    return n, len(themes)


# Lifecycle -------------------------------------------------------------------------------------------------


def _require_decider(user: User, theme: Theme, action: str) -> None:
    if not permissions.can_decide_theme(user, theme):
        audit_refusal(actor=user, action=action, object_type="theme", object_id=theme.pk, area_code=theme.area_code)
        raise PermissionRefused(_("You may not decide on this theme."))


def _audit(user: User, theme: Theme, action: str, **detail: object) -> None:
    audit_record(
        actor=user, action=action, object_type="theme", object_id=theme.pk, area_code=theme.area_code, detail=detail
    )


def theme_confirm(*, user: User, theme: Theme, name: str = "") -> Theme:
    """A coordinator recognises a proposed theme and names it (the suggested name when none is given)."""
    _require_decider(user, theme, "update")
    if theme.status != Theme.Status.VOORGESTELD:
        raise InvalidInput(_("Only a proposed theme can be recognised."), field="status")
    if not " ".join((name or "").split()):
        # The suggestion as this coordinator may see it: a stored name is shown to everyone who sees the theme,
        # so it may not quote notes the coordinator could not read themselves.
        from nabij.themes.selectors import theme_words

        name = theme_words(user, theme)[1]
    name = " ".join((name or "").split()) or theme.topic.label
    if len(name) > NAME_MAX:
        raise InvalidInput(_("The name is too long (at most %(max)d characters).") % {"max": NAME_MAX}, field="naam")
    theme.name = name
    theme.status = Theme.Status.ERKEND
    theme.decided_by, theme.decided_at = user, timezone.now()
    theme.save(update_fields=["name", "status", "decided_by", "decided_at", "updated_at"])
    _audit(user, theme, "update", status=theme.status)
    return theme


def theme_rename(*, user: User, theme: Theme, name: str) -> Theme:
    """The coordinator can rename a theme at any time."""
    _require_decider(user, theme, "update")
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput(_("Give the theme a name."), field="naam")
    if len(name) > NAME_MAX:
        raise InvalidInput(_("The name is too long (at most %(max)d characters).") % {"max": NAME_MAX}, field="naam")
    theme.name = name
    theme.save(update_fields=["name", "updated_at"])
    _audit(user, theme, "update", renamed=True)
    return theme


def theme_reject(*, user: User, theme: Theme, reason: str) -> Theme:
    """A coordinator rejects a proposal with a reason; the same rise is not proposed again."""
    _require_decider(user, theme, "update")
    if theme.status != Theme.Status.VOORGESTELD:
        raise InvalidInput(_("Only a proposed theme can be rejected."), field="status")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give a reason for rejecting."), field="reden")
    if len(reason) > REASON_MAX:
        raise InvalidInput(
            _("The reason is too long (at most %(max)d characters).") % {"max": REASON_MAX}, field="reden"
        )
    theme.status = Theme.Status.AFGEWEZEN
    theme.rejection_reason = reason
    theme.decided_by, theme.decided_at = user, timezone.now()
    theme.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at", "updated_at"])
    _audit(user, theme, "update", status=theme.status)
    return theme


def theme_action_add(*, user: User, theme: Theme, kind: str, label: str, object_id: int | None = None) -> ThemeAction:
    """Link what is being done (a project, an initiative, a referral route, a collective action). A recognised
    theme moves to 'aanpak' with its first action."""
    _require_decider(user, theme, "update")
    if theme.status not in {Theme.Status.ERKEND, Theme.Status.AANPAK}:
        raise InvalidInput(_("Recognise the theme before linking actions."), field="status")
    if kind not in ThemeAction.Kind.values:
        raise InvalidInput(_("Unknown kind of action."), field="soort")
    label = " ".join((label or "").split())
    if not label:
        raise InvalidInput(_("Describe the action."), field="omschrijving")
    if len(label) > 200:
        raise InvalidInput(
            _("The description is too long (at most %(max)d characters).") % {"max": 200}, field="omschrijving"
        )
    with transaction.atomic():
        action = ThemeAction.objects.create(theme=theme, kind=kind, label=label, object_id=object_id, created_by=user)
        if theme.status == Theme.Status.ERKEND:
            theme.status = Theme.Status.AANPAK
            theme.save(update_fields=["status", "updated_at"])
        _audit(user, theme, "update", linked=kind)
    return action


def theme_complete(*, user: User, theme: Theme) -> Theme:
    """A theme being tackled is completed by its coordinator."""
    _require_decider(user, theme, "update")
    if theme.status != Theme.Status.AANPAK:
        raise InvalidInput(_("Only a theme being tackled can be completed."), field="status")
    theme.status = Theme.Status.AFGEROND
    theme.save(update_fields=["status", "updated_at"])
    _audit(user, theme, "update", status=theme.status)
    return theme
