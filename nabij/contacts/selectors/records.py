"""Reads of contact moments, observations, rounds and residents: every one through its policy
(`nabij.core.access.contacts`), so another organisation's records are not there unless an agreement shares them.
Reads that show personal data audit themselves (`audit_read`): one event for the reader's organisation and one
per other owning organisation, so that its beheerder sees the read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Model,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from nabij.areas.models import Buurt
from nabij.contacts import rules
from nabij.contacts.models import ContactMoment, Correction, Resident, ResidentConsent, Round, RoundPlan, Signal
from nabij.core import permissions
from nabij.core.access import RecordPolicy, audit_read
from nabij.core.access.contacts import can_view_round, contact_moment_policy, resident_policy, signal_policy
from nabij.core.exceptions import NotVisible, PermissionRefused
from nabij.core.models import Topic
from nabij.core.pagination import LazyMap
from nabij.privacy.services import audit_refusal

if TYPE_CHECKING:
    from nabij.accounts.models import User

PAGE_SIZE = 25


def viewer_required(*, user: User, object_type: str = "contactmoment") -> None:
    """Roles that never see personal data (analisten) get PermissionRefused, and the refusal is audited."""
    if not contact_moment_policy.role_may_see(user):
        audit_refusal(actor=user, action="view", object_type=object_type)
        raise PermissionRefused("Geen toegang tot contactmomenten.")


def logger_required(*, user: User, object_type: str = "contactmoment") -> None:
    """Only staff who may log contacts open the capture pages; a refusal is audited."""
    if not permissions.can_log_contacts(user):
        audit_refusal(actor=user, action="view", object_type=object_type)
        raise PermissionRefused("Je mag geen contacten vastleggen.")


def buurt_filter_check(*, user: User, buurt: str, object_type: str) -> None:
    """A list filtered on a buurt outside the user's scope is refused (PermissionRefused, audited), rather than
    answered with an empty list that looks like a quiet buurt."""
    code = (buurt or "").strip().upper()[:10]
    if code and not permissions.buurten_visible_to(user).filter(pk=code).exists():
        audit_refusal(actor=user, action="view", object_type=object_type, area_code=code)
        raise PermissionRefused("Deze buurt valt buiten je gebied.")


def _period(qs: QuerySet, *, date_from: date | None, date_to: date | None) -> QuerySet:
    if date_from:
        qs = qs.filter(occurred_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(occurred_at__date__lte=date_to)
    return qs


def contact_moment_list(
    *,
    user: User,
    buurt: str = "",
    topic: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    worker_id: int | None = None,
    channel: str = "",
) -> QuerySet[ContactMoment]:
    """The contact moments this user may see (`contact_moment_policy`), newest first, with everything a list
    shows loaded up front. Not audited: pages and the API read it through `contact_moment_page`/`api_rows`."""
    qs = contact_moment_policy.visible(user, ContactMoment.objects.all())
    if buurt:
        qs = qs.filter(buurt_id=buurt.upper())
    if topic:
        qs = qs.filter(topics__slug=topic)
    if worker_id:
        qs = qs.filter(worker_id=worker_id)
    if channel:
        qs = qs.filter(channel=channel)
    qs = _period(qs, date_from=date_from, date_to=date_to)
    return (
        qs.select_related("buurt", "worker", "resident", "round", "organisation")
        .defer("buurt__geometry")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("position", "label")))
        .order_by("-occurred_at", "-id")
    )


def signal_list(
    *,
    user: User,
    buurt: str = "",
    topic: str = "",
    status: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    worker_id: int | None = None,
) -> QuerySet[Signal]:
    """The observations this user may see (`signal_policy`), newest first. Not audited (see contact_moment_list)."""
    qs = signal_policy.visible(user, Signal.objects.all())
    if buurt:
        qs = qs.filter(buurt_id=buurt.upper())
    if topic:
        qs = qs.filter(topic__slug=topic)
    if status:
        qs = qs.filter(status=status)
    if worker_id:
        qs = qs.filter(worker_id=worker_id)
    qs = _period(qs, date_from=date_from, date_to=date_to)
    return (
        qs.select_related("buurt", "topic", "worker", "organisation")
        .defer("buurt__geometry")
        .order_by("-occurred_at", "-id")
    )


def _with_shown_residents(user: User, contacts: list[ContactMoment]) -> list[ContactMoment]:
    """Each contact's `shown_resident`: its resident when the user may see that file, else None (an agreement
    may share contact moments without residents)."""
    for contact in contacts:
        resident = contact.resident if contact.resident_id else None
        shown = resident if resident and resident_policy.can_view(user, resident) else None
        contact.shown_resident = shown  # type: ignore[attr-defined]  # read by the templates
    return contacts


def contact_moment_page(
    *,
    user: User,
    qs: QuerySet[ContactMoment],
    number: int | str | None,
    object_type: str = "contactmoment_list",
    detail: dict | None = None,
) -> Page:
    """One page (of PAGE_SIZE) of visible contact moments, audited with `detail` and the page number."""
    page = Paginator(qs, PAGE_SIZE).get_page(number)
    page.object_list = _with_shown_residents(user, list(page.object_list))
    audit_read(
        user=user,
        policy=contact_moment_policy,
        records=page.object_list,
        object_type=object_type,
        detail=(detail or {}) | {"page": page.number},
    )
    return page


def my_contacts_page(*, user: User, number: int | str | None) -> Page:
    """'Mijn contacten': the worker's own contact moments that they may still see, newest first."""
    return contact_moment_page(
        user=user, qs=contact_moment_list(user=user, worker_id=user.pk), number=number, detail={"list": "mine"}
    )


class _AuditedRows[M: Model](LazyMap):
    """A LazyMap (for ninja's paging) that audits the page it is sliced to."""

    def __init__(self, qs: QuerySet[M], convert: Callable[[M], object], audit: Callable[[list[M]], None]) -> None:
        super().__init__(qs, convert)
        self.audit = audit

    def __getitem__(self, item: int | slice) -> object:
        rows = self.qs[item]
        rows = list(rows) if isinstance(item, slice) else [rows]
        self.audit(rows)
        converted = [self.convert(r) for r in rows]
        return converted if isinstance(item, slice) else converted[0]


def api_rows[M: Model](
    *,
    user: User,
    policy: RecordPolicy,
    qs: QuerySet[M],
    convert: Callable[[M], object],
    object_type: str,
    area_code: str = "",
    detail: dict,
) -> LazyMap:
    """An API list's rows (already limited by `policy`): converted and audited one page at a time."""

    def audit(rows: list[M]) -> None:
        audit_read(user=user, policy=policy, records=rows, object_type=object_type, area_code=area_code, detail=detail)

    return _AuditedRows(qs, convert, audit)


def _record_get[M: (ContactMoment, Signal)](
    *, user: User, policy: RecordPolicy, qs: QuerySet[M], pk: int, object_type: str, audit: bool = True
) -> M:
    record = policy.visible(user, qs).filter(pk=pk).first()
    if record is None:
        audit_refusal(actor=user, action="view", object_type=object_type, object_id=pk)
        raise NotVisible("Not found.")
    if audit:
        audit_read(
            user=user,
            policy=policy,
            records=[record],
            object_type=object_type,
            object_id=record.pk,
            area_code=record.buurt_id,
        )
    return record


def contact_moment_get(*, user: User, pk: int, audit: bool = True) -> ContactMoment:
    """One contact moment the user may see (else NotVisible), audited unless it is read for a change (the change
    itself is audited)."""
    return _record_get(
        user=user,
        policy=contact_moment_policy,
        qs=contact_moment_list(user=user),
        pk=pk,
        object_type="contactmoment",
        audit=audit,
    )


def signal_get(*, user: User, pk: int, audit: bool = True) -> Signal:
    """One observation the user may see (else NotVisible), audited unless it is read for a change (the change
    itself is audited)."""
    return _record_get(
        user=user, policy=signal_policy, qs=signal_list(user=user), pk=pk, object_type="signal", audit=audit
    )


# Rounds ----------------------------------------------------------------------------------------------------


def open_round_for(*, user: User) -> Round | None:
    """The round this worker is walking now, if any."""
    if not contact_moment_policy.role_may_see(user):
        return None
    return Round.objects.filter(worker=user, ended_at__isnull=True).prefetch_related("buurten").first()


def _visible_count(user: User, policy: RecordPolicy, model: type[ContactMoment | Signal]) -> Coalesce:
    rows = policy.visible(user, model.objects.filter(round_id=OuterRef("pk"))).order_by()
    counted = rows.values("round_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def round_list_for_worker(*, user: User) -> QuerySet[Round]:
    """'Mijn rondes': the worker's own rounds, with counts of what was logged that they may see."""
    return (
        Round.objects.filter(worker=user)
        .select_related("plan")
        .prefetch_related(Prefetch("buurten", queryset=Buurt.objects.defer("geometry")))
        .annotate(
            contact_count=_visible_count(user, contact_moment_policy, ContactMoment),
            signal_count=_visible_count(user, signal_policy, Signal),
        )
        .order_by("-started_at")
    )


def round_get(*, user: User, pk: int) -> Round:
    """A round the user may see (`core.access.contacts.can_view_round`), else NotVisible (audited)."""
    round_ = (
        Round.objects.select_related("plan", "worker")
        .prefetch_related(Prefetch("buurten", queryset=Buurt.objects.defer("geometry")))
        .filter(pk=pk)
        .first()
    )
    if round_ is None or not can_view_round(user, round_):
        audit_refusal(actor=user, action="view", object_type="round", object_id=pk)
        raise NotVisible("Not found.")
    return round_


def round_contents(*, user: User, round_: Round) -> tuple[list[ContactMoment], list[Signal]]:
    """What was logged during a round that the user may see (contacts and observations by their policies),
    audited as a read of the round."""
    contacts = _with_shown_residents(user, list(contact_moment_list(user=user).filter(round=round_)))
    signals = list(signal_list(user=user).filter(round=round_))
    audit_read(user=user, policy=contact_moment_policy, records=contacts, object_type="round", object_id=round_.pk)
    others = [s for s in signals if s.organisation_id != user.organisation_id]
    audit_read(user=user, policy=signal_policy, records=others, object_type="round", object_id=round_.pk, always=False)
    return contacts, signals


def round_plan_list(*, user: User) -> QuerySet[RoundPlan]:
    """Active planned rounds with at least one buurt in the user's scope."""
    if not contact_moment_policy.role_may_see(user):
        return RoundPlan.objects.none()
    visible = permissions.buurten_visible_to(user).values("pk")
    return (
        RoundPlan.objects.filter(is_active=True, buurten__in=visible)
        .distinct()
        .select_related("owner", "team")
        .prefetch_related(Prefetch("buurten", queryset=Buurt.objects.defer("geometry")))
    )


class PlanWeeks:
    def __init__(self, plan: RoundPlan, walked: list[int]) -> None:
        self.plan = plan
        self.walked = walked  # per week, oldest first: how many times this plan was walked


def round_overview(*, user: User, weeks: int = 8, today: date | None = None) -> tuple[list[date], list[PlanWeeks]]:
    """Per planned round and ISO week (Monday), how often it was walked: presence made visible, not timed."""
    today = today or timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    mondays = [this_monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    plans = list(round_plan_list(user=user).order_by("weekday", "start_time", "name"))
    start = timezone.make_aware(datetime.combine(mondays[0], datetime.min.time()))
    counts: dict[tuple[int, date], int] = {}
    for plan_id, started_at in Round.objects.filter(plan__in=plans, started_at__gte=start).values_list(
        "plan_id", "started_at"
    ):
        local = timezone.localtime(started_at).date()
        monday = local - timedelta(days=local.weekday())
        counts[(plan_id, monday)] = counts.get((plan_id, monday), 0) + 1
    return mondays, [PlanWeeks(plan=p, walked=[counts.get((p.pk, m), 0) for m in mondays]) for p in plans]


# Residents -------------------------------------------------------------------------------------------------


def resident_get(*, user: User, pk: int) -> Resident:
    """A resident file the user may see (`resident_policy`), else NotVisible (the refusal audited). Not audited
    as a read: the page reads it through `resident_detail_read`."""
    visible = resident_policy.visible(user, Resident.objects.select_related("buurt").defer("buurt__geometry"))
    resident = visible.filter(pk=pk).first()
    if resident is None:
        audit_refusal(actor=user, action="view", object_type="resident", object_id=pk)
        raise NotVisible("Not found.")
    return resident


def resident_detail_read(*, user: User, pk: int, number: int | str | None) -> tuple[Resident, Page]:
    """The resident file and one page of its contacts the user may see (the contacts by their own policy: an
    agreement on residents alone shows no contacts), audited as a read of the resident (plus one event per other
    organisation whose contacts were on the page)."""
    resident = resident_get(user=user, pk=pk)
    page = Paginator(contacts_for_resident(user=user, resident=resident), PAGE_SIZE).get_page(number)
    page.object_list = _with_shown_residents(user, list(page.object_list))
    detail = {"page": page.number}
    audit_read(
        user=user,
        policy=resident_policy,
        records=[resident],
        object_type="resident",
        object_id=resident.pk,
        area_code=resident.buurt_id,
        detail=detail,
    )
    others = [c for c in page.object_list if c.organisation_id != resident.organisation_id]
    audit_read(
        user=user,
        policy=contact_moment_policy,
        records=others,
        object_type="resident",
        object_id=resident.pk,
        area_code=resident.buurt_id,
        detail=detail,
        always=False,
    )
    return resident, page


def resident_choices(*, user: User) -> QuerySet[Resident]:
    """Residents a record may be linked to: those the user may change (their own organisation's, in scope) who
    consented to be followed (`rules.followed_residents_q`)."""
    qs = resident_policy.changeable(user, Resident.objects.filter(rules.followed_residents_q()))
    return qs.order_by("label")


RESIDENT_PICKER_SIZE = 20


def resident_recent(*, user: User, buurt: str, include: int | None = None, limit: int = RESIDENT_PICKER_SIZE) -> list:
    """The picker without JavaScript: the buurt's residents (that a contact may be linked to) with the most
    recent contacts first (then the newest registered), at most `limit`, plus the resident `include` (the one
    already chosen) when it may be linked."""
    if not buurt:
        return []
    # Only for the order: the residents are the user's own organisation's, and so are the contacts linked to them.
    last_contact = Max("contact_moments__occurred_at")
    qs = (
        resident_choices(user=user)
        .filter(buurt_id=buurt.upper())
        .annotate(last_contact=last_contact)
        .order_by(F("last_contact").desc(nulls_last=True), "-created_at")
        .only("id", "label")
    )
    residents: list[Resident] = list(qs[:limit])
    if include and all(r.pk != include for r in residents):
        chosen = resident_choices(user=user).filter(pk=include).only("id", "label").first()
        if chosen is not None:
            residents.insert(0, chosen)
    return residents


def resident_search(*, user: User, query: str, buurt: str = "", limit: int = RESIDENT_PICKER_SIZE) -> list:
    """Residents a contact may be linked to whose label contains the words of `query` (own buurt first), for
    the capture form's resident search. Every search is audited (the count, not the words)."""
    words = [w for w in query.split() if w][:5]
    if not words:
        return []
    qs = resident_choices(user=user)
    for word in words:
        qs = qs.filter(label__icontains=word)
    own_first = Case(When(buurt_id=(buurt or "").upper(), then=Value(0)), default=Value(1))
    found = list(qs.order_by(own_first, "label").only("id", "label", "buurt_id", "organisation_id")[:limit])
    audit_read(
        user=user,
        policy=resident_policy,
        records=found,
        action="search",
        object_type="resident",
        area_code=(buurt or "")[:10],
        detail={"count": len(found)},
    )
    return found


def contacts_for_resident(*, user: User, resident: Resident) -> QuerySet[ContactMoment]:
    return contact_moment_list(user=user).filter(resident=resident)


def default_buurt_for(*, user: User, round_: Round | None = None) -> str:
    """The buurt a new capture starts with: the last one used within the open round, else the round's first
    buurt, else the last one this worker used, else none."""
    own = contact_moment_policy.visible(user, ContactMoment.objects.filter(worker=user))
    last = own.order_by("-created_at", "-id").values_list("buurt_id", flat=True)
    if round_ is not None:
        round_codes = [b.code for b in round_.buurten.all()]
        recent = last.filter(round=round_).first()
        if recent in round_codes:
            return recent
        return round_codes[0] if round_codes else ""
    code = last.first()
    if code and code in permissions.visible_buurt_codes(user):
        return code
    return ""


def contact_get_own(*, user: User, pk: int) -> ContactMoment | None:
    """A contact this worker just saved (for the 'saved as' notice), or None."""
    qs = contact_moment_policy.visible(user, ContactMoment.objects.filter(pk=pk, worker=user))
    return qs.select_related("buurt").defer("buurt__geometry").first()


def resident_consents(*, resident: Resident) -> QuerySet[ResidentConsent]:
    """The consent history of a resident file, oldest first (read with the file: the caller audits the read)."""
    return resident.consents.select_related("recorded_by", "organisation").order_by("at", "id")


def corrections_for(*, kind: str, record_id: int) -> QuerySet[Correction]:
    """The corrections of one contact moment or observation, newest first (no personal text is in them)."""
    return Correction.objects.filter(kind=kind, record_id=record_id).select_related("by").order_by("-at", "-id")
