"""All writes of the sociale kaart. Each write checks the area scope, runs full_clean, keeps the search text
in step and leaves an audit event; key figures (residents) are deleted for real on request."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nabij.areas.models import Buurt, Wijk
from nabij.assets.exceptions import InvalidInput
from nabij.assets.models import (
    DESCRIPTION_MAX_LENGTH,
    Initiative,
    KeyFigure,
    Need,
    Place,
    Provider,
    SupportLog,
)
from nabij.assets.search_index import search_vector_refresh
from nabij.contacts.models import Topic
from nabij.core import permissions
from nabij.core.exceptions import PermissionRefused
from nabij.language.services import deidentify
from nabij.language.wordforms import text_keys
from nabij.privacy.services import audit_record, audit_refusal

# Model field → API field name, to name the field in a Dutch error.
_API_FIELDS = {
    "name": "naam",
    "description": "beschrijving",
    "kind": "soort",
    "status": "status",
    "email": "email",
    "website": "website",
    "latitude": "lat",
    "longitude": "lon",
    "label": "label",
    "gifts": "gaven",
    "note": "notitie",
}


def _require_editor(user, object_type: str) -> None:
    if not permissions.can_edit_social_map(user):
        audit_refusal(actor=user, action="create", object_type=object_type)
        raise PermissionRefused(_("You may not change the social map."))


def _buurten(
    *, user, codes, object_type: str, field: str = "buurten", existing=None, required: bool = True
) -> list[Buurt]:
    """Existing non-water buurten, every one in the user's scope; at least one (unless not `required`).

    When changing an existing entry, the buurten it serves outside the user's scope are kept: the user could
    neither see nor choose them, so leaving them out is not a request to remove them."""
    wanted = list(dict.fromkeys((c or "").strip().upper() for c in codes if c and c.strip()))
    if not wanted and required:
        raise InvalidInput(_("Choose at least one buurt."), field=field)
    buurten = list(Buurt.objects.filter(code__in=wanted, is_water=False))
    unknown = sorted(set(wanted) - {b.code for b in buurten})
    if unknown:
        raise InvalidInput(_("Unknown buurt: %(codes)s.") % {"codes": ", ".join(unknown)}, field=field)
    if not permissions.can_edit_social_map(user, [b.code for b in buurten]):
        audit_refusal(actor=user, action="create", object_type=object_type, area_code=wanted[0][:10])
        raise InvalidInput(_("This buurt is outside your area scope."), field=field)
    if existing is not None and existing.pk and not permissions.has_national_scope(user):
        visible = permissions.visible_buurt_codes(user)
        chosen = {b.code for b in buurten}
        buurten += [b for b in existing.buurten.all() if b.code not in visible and b.code not in chosen]
    return buurten


def _wijk_buurt_codes(wijken) -> dict[str, set[str]]:
    """Wijk code → the codes of its land buurten (water is in no one's working area)."""
    result: dict[str, set[str]] = {w.code: set() for w in wijken}
    rows = Buurt.objects.filter(wijk_id__in=list(result), is_water=False).values_list("wijk_id", "code")
    for wijk_code, code in rows:
        result[wijk_code].add(code)
    return result


def _wijken(*, user, codes, object_type: str, field: str = "wijken", existing=None) -> list[Wijk]:
    """Existing wijken with buurten, each one whole in the user's scope.

    Serving a wijk means serving every buurt in it, so a user may attach a wijk only when all its (land) buurten
    are in their scope. As with buurten, wijken an existing entry serves that the user could not choose are kept."""
    wanted = list(dict.fromkeys((c or "").strip().upper() for c in codes if c and c.strip()))
    wijken = list(Wijk.objects.filter(code__in=wanted))
    unknown = sorted(set(wanted) - {w.code for w in wijken})
    if unknown:
        raise InvalidInput(_("Unknown wijk: %(codes)s.") % {"codes": ", ".join(unknown)}, field=field)
    members = _wijk_buurt_codes(wijken)
    for wijk in wijken:
        if not members[wijk.code]:
            raise InvalidInput(_("Wijk %(code)s has no buurten.") % {"code": wijk.code}, field=field)
        if not permissions.can_edit_social_map(user, sorted(members[wijk.code])):
            audit_refusal(actor=user, action="create", object_type=object_type, area_code=wijk.code[:10])
            raise InvalidInput(
                _("Not all buurten of wijk %(name)s are in your area scope.") % {"name": wijk.name}, field=field
            )
    if existing is not None and existing.pk and not permissions.has_national_scope(user):
        chosen = {w.code for w in wijken}
        current = [w for w in existing.wijken.all() if w.code not in chosen]
        current_members = _wijk_buurt_codes(current)
        wijken += [w for w in current if not permissions.can_edit_social_map(user, current_members[w.code])]
    return wijken


def _topics(slugs, *, field: str = "onderwerpen") -> list[Topic]:
    wanted = list(dict.fromkeys(s.strip() for s in slugs if s and s.strip()))
    topics = list(Topic.objects.filter(slug__in=wanted, is_active=True))
    if len(topics) != len(wanted):
        unknown = sorted(set(wanted) - {t.slug for t in topics})
        raise InvalidInput(_("Unknown topic: %(slugs)s.") % {"slugs": ", ".join(unknown)}, field=field)
    return topics


def _needs(values) -> list[str]:
    wanted = list(dict.fromkeys(v.strip() for v in values if v and v.strip()))
    unknown = [v for v in wanted if v not in Need.values]
    if unknown:
        raise InvalidInput(_("Unknown need: %(values)s.") % {"values": ", ".join(unknown)}, field="behoeften")
    return [n for n in Need.values if n in wanted]  # a stable order


def _full_clean(obj, *, exclude=None) -> None:
    """Model validation, re-raised as InvalidInput naming the first bad field in API terms."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidInput(messages[0], field=_API_FIELDS.get(field, field)) from exc


def _search_text(*parts: str) -> str:
    # Leading and trailing spaces let a search match whole keys or key prefixes with one LIKE.
    return " " + " ".join(text_keys(" ".join(p for p in parts if p))) + " "


def _item_search_text(item, topics) -> str:
    """Name (or label), description (or gifts), the topics' labels in both languages and the kind (organisations,
    places) or role (key figures): everything a search should find the entry by."""
    labels = " ".join(f"{t.label} {t.label_en}" for t in topics)
    text = getattr(item, "description", "") or getattr(item, "gifts", "")
    extra = str(item.get_kind_display()) if isinstance(item, Provider | Place) else getattr(item, "role", "")
    return _search_text(getattr(item, "name", "") or item.label, text, labels, extra)


def _refresh_search_text(item, topics: list[Topic]) -> None:
    item.search_text = _item_search_text(item, topics)
    item.save(update_fields=["search_text"])
    search_vector_refresh(model=type(item), pks=[item.pk])


def _name(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("Enter a name."), field="naam")
    return value


def _description(value: str) -> str:
    value = (value or "").strip()
    if len(value) > DESCRIPTION_MAX_LENGTH:
        raise InvalidInput(
            _("The description may be at most %(max)d characters.") % {"max": DESCRIPTION_MAX_LENGTH},
            field="beschrijving",
        )
    return value


# Organisations ---------------------------------------------------------------------------------------------


@transaction.atomic
def provider_save(
    *,
    user,
    provider: Provider | None = None,
    name: str,
    buurten: list[str] = (),
    wijken: list[str] = (),
    kind: str = Provider.Kind.OVERIG,
    description: str = "",
    topics: list[str] = (),
    phone: str = "",
    email: str = "",
    website: str = "",
    address: str = "",
    opening_hours: str = "",
    referral_method: str = "",
    referral_contact: str = "",
    is_public: bool = False,
) -> Provider:
    """Create or change an organisation on the sociale kaart. Its contact details are the organisation's own.

    It serves single buurten, whole wijken, or both; at least one of them."""
    _require_editor(user, "provider")
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
    _full_clean(provider, exclude=["created_by"])
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
    )
    return provider


# Initiatives -----------------------------------------------------------------------------------------------


@transaction.atomic
def initiative_save(
    *,
    user,
    initiative: Initiative | None = None,
    name: str,
    buurten: list[str],
    description: str = "",
    status: str = Initiative.Status.ACTIEF,
    topics: list[str] = (),
    needs: list[str] = (),
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
    *, user, initiative: Initiative, note: str, need: str = "", given_on: date | None = None
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


def _coordinate(value, *, field: str, limit: int) -> Decimal | None:
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
    user,
    place: Place | None = None,
    name: str,
    buurt: str,
    kind: str = Place.Kind.OVERIG,
    description: str = "",
    topics: list[str] = (),
    latitude=None,
    longitude=None,
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


# Key figures -----------------------------------------------------------------------------------------------


def _require_key_figure_editor(user, object_type: str = "key_figure") -> None:
    if not permissions.can_view_key_figures(user):
        audit_refusal(actor=user, action="create", object_type=object_type)
        raise PermissionRefused(_("You may not see key figures."))


def _key_figure_text(*, label: str, gifts: str, role: str) -> tuple[str, str, str]:
    """Checked and de-identified label, gifts and role. The label is a pseudonym the worker chose; it is
    de-identified too, so that a real name typed by mistake is not kept."""
    label = (label or "").strip()
    if not label:
        raise InvalidInput(_("Enter a label."), field="label")
    gifts = (gifts or "").strip()
    if not gifts:
        raise InvalidInput(_("Describe their gifts."), field="gaven")
    return deidentify(label), deidentify(gifts), deidentify((role or "").strip())


def _consent_date(value: date | None) -> date:
    today = timezone.localdate()
    value = value or today
    if value > today:
        raise InvalidInput(_("The date cannot be in the future."), field="toestemmingsdatum")
    return value


@transaction.atomic
def key_figure_create(
    *,
    user,
    label: str,
    buurt: str,
    gifts: str,
    consent: bool,
    role: str = "",
    topics: list[str] = (),
    consent_date: date | None = None,
) -> KeyFigure:
    """List a resident as a key figure with their gifts. Only with their consent, recorded by the user.

    Label, gifts and role are de-identified before they are stored."""
    _require_key_figure_editor(user)
    (buurt_obj,) = _buurten(user=user, codes=[buurt], object_type="key_figure", field="buurt")
    if not consent:
        raise InvalidInput(_("A key figure is listed only with their consent."), field="toestemming")
    label, gifts, role = _key_figure_text(label=label, gifts=gifts, role=role)
    topic_objs = _topics(topics)
    figure = KeyFigure(
        label=label,
        buurt=buurt_obj,
        gifts=gifts,
        role=role,
        consent_date=_consent_date(consent_date),
        consent_recorded_by=user,
    )
    _full_clean(figure, exclude=["consent_recorded_by"])
    figure.save()
    figure.topics.set(topic_objs)
    _refresh_search_text(figure, topic_objs)
    audit_record(actor=user, action="create", object_type="key_figure", object_id=figure.pk, area_code=buurt_obj.code)
    return figure


@transaction.atomic
def key_figure_update(
    *,
    user,
    key_figure: KeyFigure,
    label: str,
    buurt: str,
    gifts: str,
    role: str = "",
    topics: list[str] = (),
    consent: bool = True,
) -> KeyFigure:
    """Change a key figure (its gifts change, or it moves buurt). Consent stays as recorded; a change is made
    only while the resident still agrees, and the fields are de-identified again. Both the old and the new
    buurt must be in the user's scope."""
    if not permissions.can_view_key_figures(user) or not permissions.can_view_buurt(user, key_figure.buurt):
        audit_refusal(actor=user, action="update", object_type="key_figure", object_id=key_figure.pk)
        raise PermissionRefused(_("You may not change this key figure."))
    (buurt_obj,) = _buurten(user=user, codes=[buurt], object_type="key_figure", field="buurt")
    if not consent:
        raise InvalidInput(_("Without consent the key figure must be removed, not changed."), field="toestemming")
    key_figure.label, key_figure.gifts, key_figure.role = _key_figure_text(label=label, gifts=gifts, role=role)
    key_figure.buurt = buurt_obj
    topic_objs = _topics(topics)
    _full_clean(key_figure, exclude=["consent_recorded_by"])
    key_figure.save()
    key_figure.topics.set(topic_objs)
    _refresh_search_text(key_figure, topic_objs)
    audit_record(
        actor=user, action="update", object_type="key_figure", object_id=key_figure.pk, area_code=buurt_obj.code
    )
    return key_figure


@transaction.atomic
def key_figure_delete(*, user, key_figure: KeyFigure) -> None:
    """Remove a key figure at the resident's request: the row and its topic links are deleted, not hidden.

    The audit event keeps only the id and buurt, never the label or gifts."""
    if not permissions.can_view_key_figures(user) or not permissions.can_view_buurt(user, key_figure.buurt):
        audit_refusal(actor=user, action="delete", object_type="key_figure", object_id=key_figure.pk)
        raise PermissionRefused(_("You may not remove this key figure."))
    pk, area = key_figure.pk, key_figure.buurt_id
    key_figure.delete()
    audit_record(actor=user, action="delete", object_type="key_figure", object_id=pk, area_code=area)


# Topics ----------------------------------------------------------------------------------------------------

TOPIC_REFRESH_BATCH = 500


def topic_search_text_refresh(*, topic_id: int) -> int:
    """Rewrite the search text and stored vector of every entry with this topic, after the topic was renamed.

    Topic labels are part of what "bestaat dit al?" matches: without this an entry would still be found under the
    old label and not under the new one. In batches, each its own transaction; safe to run twice. Returns the
    number of entries rewritten."""
    count = 0
    for model in (Provider, Initiative, Place, KeyFigure):
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
    """Called by the topic services when a topic's label changes: the entries with that topic get their search
    text rewritten in the background, once the rename is committed."""
    from nabij.assets.tasks import topic_search_text_refresh_task

    topic_id = topic.pk
    transaction.on_commit(lambda: topic_search_text_refresh_task.enqueue(topic_id))
