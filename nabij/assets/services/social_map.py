"""Writes of organisations, initiatives (with their support log) and places: not personal data, so they follow
the area scope only (nabij.core.permissions). Each write checks the scope, runs full_clean, keeps the search
text in step and leaves an audit event."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nabij.accounts.models import Organisation
from nabij.assets.models import Initiative, KeyFigure, Need, Place, Provider, SupportLog
from nabij.assets.search_index import search_vector_refresh
from nabij.assets.services.common import (
    KEEP,
    Keep,
    _buurten,
    _description,
    _full_clean,
    _item_search_text,
    _name,
    _needs,
    _refresh_search_text,
    _require_editor,
    _topics,
    _wijken,
)
from nabij.core import permissions
from nabij.core.concurrency import version_claim
from nabij.core.exceptions import InvalidInput, PermissionRefused
from nabij.core.models import Topic
from nabij.language.services import deidentify
from nabij.privacy.services import audit_record, audit_refusal

if TYPE_CHECKING:
    from nabij.accounts.models import User

# Organisations ---------------------------------------------------------------------------------------------


@transaction.atomic
def provider_save(
    *,
    user: User,
    provider: Provider | None = None,
    name: str,
    buurten: Iterable[str] = (),
    wijken: Iterable[str] = (),
    kind: str = Provider.Kind.OVERIG,
    description: str = "",
    topics: Iterable[str] = (),
    phone: str = "",
    email: str = "",
    website: str = "",
    address: str = "",
    opening_hours: str = "",
    referral_method: str = "",
    referral_contact: str = "",
    is_public: bool = False,
    nabij_organisation: Organisation | None | Keep = KEEP,
    version: int | None = None,
) -> Provider:
    """Create or change an organisation on the sociale kaart. Its contact details are the organisation's own.

    It serves single buurten, whole wijken, or both; at least one of them. Which Nabij organisation is behind it
    (`nabij_organisation`, so that referrals with the resident's consent reach that organisation's staff) is set
    by coordinators and beheerders only; leave it out (KEEP) to keep it as it is.

    `version` is the version the form or API client was shown: when a colleague saved in between, StaleEdit
    (nothing is overwritten). None (an import, an internal change) still moves the version on."""
    _require_editor(user, "provider")
    if nabij_organisation is not KEEP and not permissions.is_coordinator(user):
        audit_refusal(actor=user, action="update", object_type="provider", object_id=provider.pk if provider else "")
        raise PermissionRefused(_("Only coordinators and beheerders set which Nabij organisation this is."))
    buurt_objs = _buurten(user=user, codes=buurten, object_type="provider", existing=provider, required=False)
    wijk_objs = _wijken(user=user, codes=wijken, object_type="provider", existing=provider)
    if not buurt_objs and not wijk_objs:
        raise InvalidInput(_("Choose at least one buurt or wijk."), field="buurten")
    topic_objs = _topics(topics)
    creating = provider is None
    provider = provider or Provider(created_by=user)
    provider.name = _name(name)
    provider.description = _description(description)
    provider.kind = kind
    provider.phone = (phone or "").strip()
    provider.email = (email or "").strip()
    provider.website = (website or "").strip()
    provider.address = (address or "").strip()
    provider.opening_hours = (opening_hours or "").strip()
    provider.referral_method = referral_method or ""
    provider.referral_contact = (referral_contact or "").strip()
    provider.is_public = bool(is_public)
    detail = {}
    if not isinstance(nabij_organisation, Keep) and nabij_organisation != provider.nabij_organisation:
        provider.nabij_organisation = nabij_organisation
        detail["nabij_organisatie"] = nabij_organisation.slug if nabij_organisation else ""
    _full_clean(provider, exclude=["created_by"])
    if not creating:
        version_claim(provider, expected=version)
    provider.save()
    provider.buurten.set(buurt_objs)
    provider.wijken.set(wijk_objs)
    provider.topics.set(topic_objs)
    _refresh_search_text(provider, topic_objs)
    audit_record(
        actor=user,
        action="create" if creating else "update",
        object_type="provider",
        object_id=provider.pk,
        area_code=buurt_objs[0].code if buurt_objs else wijk_objs[0].code,
        detail=detail,
    )
    return provider


# Initiatives -----------------------------------------------------------------------------------------------


@transaction.atomic
def initiative_save(
    *,
    user: User,
    initiative: Initiative | None = None,
    name: str,
    buurten: list[str],
    description: str = "",
    status: str = Initiative.Status.ACTIEF,
    topics: Iterable[str] = (),
    needs: Iterable[str] = (),
    contact: str = "",
    is_public: bool = False,
) -> Initiative:
    """Create or change a residents' initiative. It stays theirs: professionals record it and what would help."""
    _require_editor(user, "initiative")
    buurt_objs = _buurten(user=user, codes=buurten, object_type="initiative", existing=initiative)
    topic_objs = _topics(topics)
    creating = initiative is None
    initiative = initiative or Initiative(created_by=user)
    initiative.name = _name(name)
    initiative.description = _description(description)
    initiative.status = status
    initiative.needs = _needs(needs)
    initiative.contact = (contact or "").strip()
    initiative.is_public = bool(is_public)
    _full_clean(initiative, exclude=["created_by"])
    initiative.save()
    initiative.buurten.set(buurt_objs)
    initiative.topics.set(topic_objs)
    _refresh_search_text(initiative, topic_objs)
    audit_record(
        actor=user,
        action="create" if creating else "update",
        object_type="initiative",
        object_id=initiative.pk,
        area_code=buurt_objs[0].code,
    )
    return initiative


def support_log_add(
    *, user: User, initiative: Initiative, note: str, need: str = "", given_on: date | None = None
) -> SupportLog:
    """Record support a professional gave an initiative: who, what, when. Never in the future.

    The note is de-identified before it is stored: it is about residents, and names typed by mistake must not
    be kept."""
    codes = [b.code for b in initiative.buurten.all()]
    if not permissions.can_see_personal_data(user) or not permissions.can_view_social_map_item(user, codes):
        audit_refusal(actor=user, action="create", object_type="support_log", object_id=initiative.pk)
        raise PermissionRefused(_("You may not log support for this initiative."))
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("Describe what was done."), field="notitie")
    if need and need not in Need.values:
        raise InvalidInput(_("Unknown need: %(values)s.") % {"values": need}, field="soort")
    today = timezone.localdate()
    given_on = given_on or today
    if given_on > today:
        raise InvalidInput(_("The date cannot be in the future."), field="datum")
    log = SupportLog(initiative=initiative, given_by=user, note=deidentify(note), need=need or "", given_on=given_on)
    _full_clean(log, exclude=["given_by"])
    log.save()
    audit_record(actor=user, action="create", object_type="support_log", object_id=log.pk)
    return log


# Places ----------------------------------------------------------------------------------------------------


def _coordinate(value: Decimal | float | str | None, *, field: str, limit: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput(_("Enter a number."), field=field) from exc
    if not -limit <= number <= limit:
        raise InvalidInput(_("This coordinate is out of range."), field=field)
    return number


@transaction.atomic
def place_save(
    *,
    user: User,
    place: Place | None = None,
    name: str,
    buurt: str,
    kind: str = Place.Kind.OVERIG,
    description: str = "",
    topics: Iterable[str] = (),
    latitude: Decimal | float | str | None = None,
    longitude: Decimal | float | str | None = None,
    opening_hours: str = "",
    wheelchair_accessible: bool = False,
    has_toilet: bool = False,
    accessible_toilet: bool = False,
    is_public: bool = False,
) -> Place:
    """Create or change a place: a point on the map (both coordinates or neither) in one buurt."""
    _require_editor(user, "place")
    (buurt_obj,) = _buurten(user=user, codes=[buurt], object_type="place", field="buurt")
    topic_objs = _topics(topics)
    lat = _coordinate(latitude, field="lat", limit=90)
    lon = _coordinate(longitude, field="lon", limit=180)
    if (lat is None) != (lon is None):
        raise InvalidInput(_("Give both latitude and longitude, or neither."), field="lat" if lat is None else "lon")
    creating = place is None
    place = place or Place(created_by=user)
    place.name = _name(name)
    place.description = _description(description)
    place.kind = kind
    place.buurt = buurt_obj
    place.latitude, place.longitude = lat, lon
    place.opening_hours = (opening_hours or "").strip()
    place.wheelchair_accessible = bool(wheelchair_accessible)
    place.has_toilet = bool(has_toilet) or bool(accessible_toilet)
    place.accessible_toilet = bool(accessible_toilet)
    place.is_public = bool(is_public)
    _full_clean(place, exclude=["created_by"])
    place.save()
    place.topics.set(topic_objs)
    _refresh_search_text(place, topic_objs)
    audit_record(
        actor=user,
        action="create" if creating else "update",
        object_type="place",
        object_id=place.pk,
        area_code=buurt_obj.code,
    )
    return place


# Topics ----------------------------------------------------------------------------------------------------

TOPIC_REFRESH_BATCH = 500


def topic_search_text_refresh(*, topic_id: int) -> int:
    """Rewrite the search text and stored vector of every entry with this topic, after the topic was renamed.

    Topic labels are part of what "bestaat dit al?" matches: without this an entry would still be found under the
    old label and not under the new one. In batches, each its own transaction; safe to run twice. Returns the
    number of entries rewritten."""
    # One call per model (not a loop over the classes), so that each is type-checked as its own model.
    return (
        _topic_search_text_refresh(Provider, topic_id)
        + _topic_search_text_refresh(Initiative, topic_id)
        + _topic_search_text_refresh(Place, topic_id)
        + _topic_search_text_refresh(KeyFigure, topic_id)
    )


def _topic_search_text_refresh[M: (Provider, Initiative, Place, KeyFigure)](model: type[M], topic_id: int) -> int:
    count = 0
    ids = list(model.objects.filter(topics__pk=topic_id).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), TOPIC_REFRESH_BATCH):
        batch = ids[start : start + TOPIC_REFRESH_BATCH]
        with transaction.atomic():
            items = list(model.objects.filter(pk__in=batch).defer("search_vector").prefetch_related("topics"))
            for item in items:
                item.search_text = _item_search_text(item, item.topics.all())
            model.objects.bulk_update(items, ["search_text"])
            search_vector_refresh(model=model, pks=batch)
        count += len(items)
    return count


def topic_renamed(*, topic: Topic) -> None:
    """On `core.events.topic_renamed` (a topic's label changed): the entries with that topic get their search
    text rewritten in the background, once the rename is committed."""
    from nabij.assets.tasks import topic_search_text_refresh_task

    topic_id = topic.pk
    transaction.on_commit(lambda: topic_search_text_refresh_task.enqueue(topic_id))
