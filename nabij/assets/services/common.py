"""What every write of the sociale kaart shares: area scope, topics, model validation as Dutch InvalidInput,
and the search text that "bestaat dit al?" matches."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from nabij.areas.models import Buurt, Wijk
from nabij.assets.models import DESCRIPTION_MAX_LENGTH, Initiative, KeyFigure, Need, Place, Provider
from nabij.assets.search_index import search_vector_refresh
from nabij.core import permissions
from nabij.core.exceptions import InvalidInput, PermissionRefused
from nabij.core.models import Topic
from nabij.language.wordforms import text_keys
from nabij.privacy.services import audit_refusal

if TYPE_CHECKING:
    from nabij.accounts.models import User

# An entry of the sociale kaart with a search text.
SearchableItem = Provider | Initiative | Place | KeyFigure

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


class Keep:
    """The type of KEEP: "leave this field as it is" where None is a value of its own."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = Keep()


def _require_editor(user: User, object_type: str) -> None:
    if not permissions.can_edit_social_map(user):
        audit_refusal(actor=user, action="create", object_type=object_type)
        raise PermissionRefused(_("You may not change the social map."))


def _buurten(
    *,
    user: User,
    codes: Iterable[str | None],
    object_type: str,
    field: str = "buurten",
    existing: Provider | Initiative | None = None,
    required: bool = True,
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


def _wijk_buurt_codes(wijken: Iterable[Wijk]) -> dict[str, set[str]]:
    """Wijk code → the codes of its land buurten (water is in no one's working area)."""
    result: dict[str, set[str]] = {w.code: set() for w in wijken}
    rows = Buurt.objects.filter(wijk_id__in=list(result), is_water=False).values_list("wijk_id", "code")
    for wijk_code, code in rows:
        result[wijk_code].add(code)
    return result


def _wijken(
    *,
    user: User,
    codes: Iterable[str | None],
    object_type: str,
    field: str = "wijken",
    existing: Provider | None = None,
) -> list[Wijk]:
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


def _topics(slugs: Iterable[str | None], *, field: str = "onderwerpen") -> list[Topic]:
    wanted = list(dict.fromkeys(s.strip() for s in slugs if s and s.strip()))
    topics = list(Topic.objects.filter(slug__in=wanted, is_active=True))
    if len(topics) != len(wanted):
        unknown = sorted(set(wanted) - {t.slug for t in topics})
        raise InvalidInput(_("Unknown topic: %(slugs)s.") % {"slugs": ", ".join(unknown)}, field=field)
    return topics


def _needs(values: Iterable[str | None]) -> list[str]:
    wanted = list(dict.fromkeys(v.strip() for v in values if v and v.strip()))
    unknown = [v for v in wanted if v not in Need.values]
    if unknown:
        raise InvalidInput(_("Unknown need: %(values)s.") % {"values": ", ".join(unknown)}, field="behoeften")
    return [n for n in Need.values if n in wanted]  # a stable order


def _full_clean(obj: models.Model, *, exclude: list[str] | None = None) -> None:
    """Model validation, re-raised as InvalidInput naming the first bad field in API terms."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidInput(messages[0], field=_API_FIELDS.get(field, field)) from exc


def _search_text(*parts: str) -> str:
    # Leading and trailing spaces let a search match whole keys or key prefixes with one LIKE.
    return " " + " ".join(text_keys(" ".join(p for p in parts if p))) + " "


def _item_search_text(item: SearchableItem, topics: Iterable[Topic]) -> str:
    """Name (or label), description (or gifts), the topics' labels in both languages and the kind (organisations,
    places) or role (key figures): everything a search should find the entry by."""
    labels = " ".join(f"{t.label} {t.label_en}" for t in topics)
    text = getattr(item, "description", "") or getattr(item, "gifts", "")
    extra = str(item.get_kind_display()) if isinstance(item, Provider | Place) else getattr(item, "role", "")
    name = item.label if isinstance(item, KeyFigure) else item.name
    return _search_text(name, text, labels, extra)


def _refresh_search_text(item: SearchableItem, topics: list[Topic]) -> None:
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
