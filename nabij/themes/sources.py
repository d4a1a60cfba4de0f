"""Where theme counts come from. Each source counts, per buurt, topic and ISO week, the distinct residents or
contacts about a topic, and gives the de-identified texts behind them for naming.

A source is a small set of functions over one lower app's rows; themes reads them, the lower app knows nothing
of themes. Person keys make "distinct" work across sources: a contact with a resident counts as that resident
(`r<id>`) wherever the resident appears; a contact without one counts once (`c<id>`, `s<id>` for an observation,
`f<id>` for a referral without resident or contact moment, `a<id>` for a survey response, `i<id>` for a project
input: responses and inputs are anonymous, so each is its own person).
Weekly counts of different sources are summed (an upper bound for the distinct count over several weeks or
sources); detection re-counts the exact distinct keys for the few cells that pass the floor.

Weeks are ISO weeks in the project time zone and are named by their Monday.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, DateField, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

# (buurt code, topic id, week Monday, owning organisation id, distinct residents-or-contacts)
CountRow = tuple[str, int, date, int | None, int]


def week_of(moment: datetime | date) -> date:
    """The Monday of the ISO week a moment falls in, in the project time zone."""
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment - timedelta(days=moment.weekday())


def week_start(week: date) -> datetime:
    """The aware start (Monday 00:00 local time) of a week."""
    return timezone.make_aware(datetime.combine(week, time.min))


@dataclass(frozen=True)
class Source:
    key: str
    # weekly_counts(buurt_codes=None|list, since=None|date, until=None|date) -> rows, weeks since ≤ w < until,
    # per owning organisation
    weekly_counts: Callable[..., Iterable[CountRow]]
    # person_keys(buurt_codes, topic_id, since, until, organisation_id=None) -> set of distinct person keys
    # (of one organisation's records when organisation_id is given)
    person_keys: Callable[..., set[str]]
    # texts(buurt_codes, topic_id|None, since, until, user=None) -> [(person key, de-identified text)]; with a
    # user, only the texts of records that user may see (the record's access policy)
    texts: Callable[..., list[tuple[str, str]]]
    # weekly_queryset() -> a QuerySet selecting exactly (buurt, topic, week, organisation, count), the same rows as
    # weekly_counts(); when given, a rebuild on PostgreSQL inserts them server-side (INSERT … SELECT).
    weekly_queryset: Callable[..., QuerySet] | None = None


def _period(qs: QuerySet, field: str, since: date | None, until: date | None) -> QuerySet:
    if since is not None:
        qs = qs.filter(**{f"{field}__gte": week_start(since)})
    if until is not None:
        qs = qs.filter(**{f"{field}__lt": week_start(until)})
    return qs


def _owned(qs: QuerySet, field: str, organisation_id: int | None) -> QuerySet:
    return qs if organisation_id is None else qs.filter(**{field: organisation_id})


def _seen_by(qs: QuerySet, user) -> QuerySet:
    """Only the records `user` may see, by the record's own access policy (`nabij.core.access`): the texts
    behind a theme are personal data even when its counts are not."""
    if user is None:
        return qs
    from nabij.core.access import policy_for

    return policy_for(qs.model).visible(user, qs)


# Contacts -------------------------------------------------------------------------------------------------


def _contact_topics(buurt_codes, topic_id, since, until) -> QuerySet:
    from nabij.contacts.models import ContactMomentTopic

    qs = ContactMomentTopic.objects.all()
    if buurt_codes is not None:
        qs = qs.filter(contact_moment__buurt_id__in=list(buurt_codes))
    if topic_id is not None:
        qs = qs.filter(topic_id=topic_id)
    return _period(qs, "contact_moment__occurred_at", since, until)


def contacts_weekly_queryset(*, buurt_codes=None, since=None, until=None) -> QuerySet:
    """Contact moments per buurt, topic and week: distinct residents plus contacts without a resident."""
    return (
        _contact_topics(buurt_codes, None, since, until)
        .annotate(wk=TruncWeek("contact_moment__occurred_at", output_field=DateField()))
        .values_list("contact_moment__buurt_id", "topic_id", "wk", "contact_moment__organisation_id")
        .annotate(
            n=Count("contact_moment__resident_id", distinct=True)
            + Count("contact_moment_id", filter=Q(contact_moment__resident_id__isnull=True))
        )
        .order_by()
    )


def contacts_weekly_counts(*, buurt_codes=None, since=None, until=None) -> Iterator[CountRow]:
    rows = contacts_weekly_queryset(buurt_codes=buurt_codes, since=since, until=until)
    yield from rows.iterator(chunk_size=5000)


def contacts_person_keys(*, buurt_codes, topic_id, since, until, organisation_id=None) -> set[str]:
    qs = _owned(
        _contact_topics(buurt_codes, topic_id, since, until), "contact_moment__organisation_id", organisation_id
    )
    rows = qs.values_list("contact_moment__resident_id", "contact_moment_id")
    return {f"r{resident}" if resident else f"c{moment}" for resident, moment in rows}


def contacts_texts(*, buurt_codes, topic_id, since, until, limit: int = 5000, user=None) -> list[tuple[str, str]]:
    from nabij.contacts.models import ContactMoment

    qs = ContactMoment.objects.filter(buurt_id__in=list(buurt_codes)).exclude(note="")
    qs = _seen_by(qs, user)
    if topic_id is not None:
        qs = qs.filter(topics__id=topic_id)
    qs = _period(qs, "occurred_at", since, until).order_by("-occurred_at")
    return [(f"c{pk}", note) for pk, note in qs.values_list("pk", "note")[:limit]]


CONTACTS = Source("contacts", contacts_weekly_counts, contacts_person_keys, contacts_texts, contacts_weekly_queryset)


# Observations ---------------------------------------------------------------------------------------------


def _signals(buurt_codes, topic_id, since, until) -> QuerySet:
    from nabij.contacts.models import Signal

    qs = Signal.objects.all()
    if buurt_codes is not None:
        qs = qs.filter(buurt_id__in=list(buurt_codes))
    if topic_id is not None:
        qs = qs.filter(topic_id=topic_id)
    return _period(qs, "occurred_at", since, until)


def signals_weekly_queryset(*, buurt_codes=None, since=None, until=None) -> QuerySet:
    """Observations have no resident: each one counts once."""
    return (
        _signals(buurt_codes, None, since, until)
        .annotate(wk=TruncWeek("occurred_at", output_field=DateField()))
        .values_list("buurt_id", "topic_id", "wk", "organisation_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def signals_weekly_counts(*, buurt_codes=None, since=None, until=None) -> Iterator[CountRow]:
    yield from signals_weekly_queryset(buurt_codes=buurt_codes, since=since, until=until).iterator(chunk_size=5000)


def signals_person_keys(*, buurt_codes, topic_id, since, until, organisation_id=None) -> set[str]:
    qs = _owned(_signals(buurt_codes, topic_id, since, until), "organisation_id", organisation_id)
    return {f"s{pk}" for pk in qs.values_list("pk", flat=True)}


def signals_texts(*, buurt_codes, topic_id, since, until, limit: int = 5000, user=None) -> list[tuple[str, str]]:
    qs = _signals(buurt_codes, topic_id, since, until).exclude(note="")
    qs = _seen_by(qs, user).order_by("-occurred_at")
    return [(f"s{pk}", note) for pk, note in qs.values_list("pk", "note")[:limit]]


SIGNALS = Source("observations", signals_weekly_counts, signals_person_keys, signals_texts, signals_weekly_queryset)


# Sources counted in Python --------------------------------------------------------------------------------
#
# Referrals, survey answers and project inputs are far fewer than contact moments, and their person keys
# combine several columns; they are grouped by week in Python (`week_of`, the same ISO week in the project time
# zone as `TruncWeek`), which keeps the incremental path and the rebuild the same code.


def _weekly_from_keys(rows: Iterable[tuple[str, int, datetime, int | None, str]]) -> Iterator[CountRow]:
    """(buurt, topic, moment, organisation, person key) rows → distinct person keys per buurt, topic, week and
    owning organisation."""
    cells: dict[tuple[str, int, date, int | None], set[str]] = {}
    for buurt, topic, moment, organisation, key in rows:
        cells.setdefault((buurt, topic, week_of(moment), organisation), set()).add(key)
    for (buurt, topic, wk, organisation), keys in cells.items():
        yield buurt, topic, wk, organisation, len(keys)


# Referrals (followup) ----------------------------------------------------------------------------------------


def _referrals(buurt_codes, topic_id, since, until) -> QuerySet:
    from nabij.followup.models import Referral

    qs = Referral.objects.all()
    if buurt_codes is not None:
        qs = qs.filter(buurt_id__in=list(buurt_codes))
    if topic_id is not None:
        qs = qs.filter(topic_id=topic_id)
    return _period(qs, "created_at", since, until)


def _referral_key(pk: int, resident: int | None, moment: int | None, moment_resident: int | None) -> str:
    """The referral's resident, else the resident or the contact moment it came from (so the conversation that
    led to the referral is not counted twice), else the referral itself."""
    resident = resident or moment_resident
    if resident:
        return f"r{resident}"
    return f"c{moment}" if moment else f"f{pk}"


_REFERRAL_FIELDS = ("pk", "resident_id", "contact_moment_id", "contact_moment__resident_id")


def referrals_weekly_counts(*, buurt_codes=None, since=None, until=None) -> Iterator[CountRow]:
    """Referrals per buurt, topic and week (made on): distinct residents, else contacts, else referrals."""
    rows = _referrals(buurt_codes, None, since, until).values_list(
        "buurt_id", "topic_id", "created_at", "organisation_id", *_REFERRAL_FIELDS
    )
    return _weekly_from_keys(
        (b, t, when, org, _referral_key(*rest)) for b, t, when, org, *rest in rows.iterator(chunk_size=5000)
    )


def referrals_person_keys(*, buurt_codes, topic_id, since, until, organisation_id=None) -> set[str]:
    qs = _owned(_referrals(buurt_codes, topic_id, since, until), "organisation_id", organisation_id)
    rows = qs.values_list(*_REFERRAL_FIELDS)
    return {_referral_key(*row) for row in rows}


def referrals_texts(*, buurt_codes, topic_id, since, until, limit: int = 5000, user=None) -> list[tuple[str, str]]:
    """A referral has no text about the resident's question of its own; its contact moment's note is already
    among the contacts' texts."""
    return []


REFERRALS = Source("referrals", referrals_weekly_counts, referrals_person_keys, referrals_texts)


# Survey answers (surveys) ------------------------------------------------------------------------------------


def _answer_topics(buurt_codes, topic_id, since, until) -> QuerySet:
    """Topic tags on answers of responses with a buurt; the response's submission time is the moment."""
    from nabij.surveys.models import Answer

    qs = Answer.topics.through.objects.filter(answer__response__buurt_id__isnull=False)
    if buurt_codes is not None:
        qs = qs.filter(answer__response__buurt_id__in=list(buurt_codes))
    if topic_id is not None:
        qs = qs.filter(topic_id=topic_id)
    return _period(qs, "answer__response__submitted_at", since, until)


def survey_weekly_counts(*, buurt_codes=None, since=None, until=None) -> Iterator[CountRow]:
    """Distinct responses per buurt, topic and week with an answer tagged with the topic (one response is one
    resident: two tagged answers of one form count once)."""
    rows = _answer_topics(buurt_codes, None, since, until).values_list(
        "answer__response__buurt_id",
        "topic_id",
        "answer__response__submitted_at",
        "answer__response__organisation_id",
        "answer__response_id",
    )
    return _weekly_from_keys(
        (b, t, when, org, f"a{response}") for b, t, when, org, response in rows.iterator(chunk_size=5000)
    )


def survey_person_keys(*, buurt_codes, topic_id, since, until, organisation_id=None) -> set[str]:
    qs = _owned(
        _answer_topics(buurt_codes, topic_id, since, until), "answer__response__organisation_id", organisation_id
    )
    rows = qs.values_list("answer__response_id", flat=True)
    return {f"a{response}" for response in rows}


def survey_texts(*, buurt_codes, topic_id, since, until, limit: int = 5000, user=None) -> list[tuple[str, str]]:
    """The de-identified open answers; with a topic, only the answers tagged with it."""
    from nabij.surveys.models import Answer

    qs = Answer.objects.filter(response__buurt_id__in=list(buurt_codes)).exclude(text="")
    qs = _seen_by(qs, user)
    if topic_id is not None:
        qs = qs.filter(topics__id=topic_id)
    qs = _period(qs, "response__submitted_at", since, until).order_by("-response__submitted_at", "-pk")
    return [(f"a{response}", text) for response, text in qs.values_list("response_id", "text")[:limit]]


SURVEYS = Source("surveys", survey_weekly_counts, survey_person_keys, survey_texts)


# Project inputs (participation) ------------------------------------------------------------------------------
#
# An input carries no buurt and no topic of its own: it belongs to a project, which has buurten and (optionally)
# topics. Only ideas and reactions count (a choice is a vote between options the project offered, not a resident
# raising a topic), and only in projects with exactly one buurt: in a project over several buurten the input's
# buurt is unknown, and counting it in each of them would make one project look like a rise in every buurt.
# Projects without topics are not counted; the project kind is not mapped to a topic (see decision 0601).


def _inputs(buurt_codes, topic_id, since, until) -> QuerySet:
    from nabij.participation.models import Input, Project

    single_buurt = (
        Project.buurten.through.objects.values("project_id").annotate(n=Count("pk")).filter(n=1).values("project_id")
    )
    qs = Input.objects.filter(
        kind__in=[Input.Kind.IDEE, Input.Kind.REACTIE],
        project_id__in=single_buurt,
        project__topics__isnull=False,
    )
    if buurt_codes is not None:
        qs = qs.filter(project__buurten__code__in=list(buurt_codes))
    if topic_id is not None:
        qs = qs.filter(project__topics__id=topic_id)
    return _period(qs, "created_at", since, until)


def inputs_weekly_counts(*, buurt_codes=None, since=None, until=None) -> Iterator[CountRow]:
    """Ideas and reactions per (the project's only) buurt, project topic and week: each input counts once."""
    rows = _inputs(buurt_codes, None, since, until).values_list(
        "project__buurten__code", "project__topics__id", "created_at", "organisation_id", "pk"
    )
    return _weekly_from_keys((b, t, when, org, f"i{pk}") for b, t, when, org, pk in rows.iterator(chunk_size=5000))


def inputs_person_keys(*, buurt_codes, topic_id, since, until, organisation_id=None) -> set[str]:
    qs = _owned(_inputs(buurt_codes, topic_id, since, until), "organisation_id", organisation_id)
    return {f"i{pk}" for pk in qs.values_list("pk", flat=True)}


def inputs_texts(*, buurt_codes, topic_id, since, until, limit: int = 5000, user=None) -> list[tuple[str, str]]:
    qs = _inputs(buurt_codes, topic_id, since, until).exclude(text="")
    qs = _seen_by(qs, user).order_by("-created_at", "-pk").distinct()
    return [(f"i{pk}", text) for pk, text in qs.values_list("pk", "text")[:limit]]


INPUTS = Source("inputs", inputs_weekly_counts, inputs_person_keys, inputs_texts)


def all_sources() -> list[Source]:
    """The sources that exist in this installation."""
    return [CONTACTS, SIGNALS, REFERRALS, SURVEYS, INPUTS]


def source_get(key: str) -> Source:
    for source in all_sources():
        if source.key == key:
            return source
    raise KeyError(key)
