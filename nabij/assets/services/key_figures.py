"""Writes of key figures: residents, so personal data owned by the organisation of the worker who recorded
their consent (never taken from the request). Who may change one is `key_figure_policy.can_change` (the owning
organisation, in scope); edits claim the version the form or API client was shown (nabij.core.concurrency).
Deleted for real at the resident's request."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nabij.assets.models import KeyFigure
from nabij.assets.services.common import _buurten, _full_clean, _refresh_search_text, _topics
from nabij.core import permissions
from nabij.core.access.assets import key_figure_policy
from nabij.core.concurrency import version_claim
from nabij.core.exceptions import InvalidInput, PermissionRefused
from nabij.language.services import deidentify
from nabij.privacy.services import audit_record, audit_refusal

if TYPE_CHECKING:
    from nabij.accounts.models import User


def _require_key_figure_editor(user: User, object_type: str = "key_figure") -> None:
    if not permissions.can_view_key_figures(user):
        audit_refusal(actor=user, action="create", object_type=object_type)
        raise PermissionRefused(_("You may not see key figures."))


def _require_change(user: User, key_figure: KeyFigure, action: str) -> None:
    """Only the owning organisation changes or removes its key figures, inside its scope (the policy); a key
    figure shared under a samenwerkingsafspraak is read-only."""
    if not key_figure_policy.can_change(user, key_figure):
        audit_refusal(actor=user, action=action, object_type="key_figure", object_id=key_figure.pk)
        message = _("You may not change this key figure.") if action == "update" else None
        raise PermissionRefused(message or _("You may not remove this key figure."))


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
    user: User,
    label: str,
    buurt: str,
    gifts: str,
    consent: bool,
    role: str = "",
    topics: Iterable[str] = (),
    consent_date: date | None = None,
) -> KeyFigure:
    """List a resident as a key figure with their gifts. Only with their consent, recorded by the user, whose
    organisation owns the record from then on.

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
        organisation_id=user.organisation_id,
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
    user: User,
    key_figure: KeyFigure,
    label: str,
    buurt: str,
    gifts: str,
    role: str = "",
    topics: Iterable[str] = (),
    consent: bool = True,
    version: int | None = None,
) -> KeyFigure:
    """Change a key figure (its gifts change, or it moves buurt). Consent stays as recorded; a change is made
    only while the resident still agrees, and the fields are de-identified again. Only the owning organisation
    changes it, and both the old and the new buurt must be in the user's scope. The organisation stays the one
    that recorded it.

    `version` is the version the form or API client was shown: when a colleague saved in between, StaleEdit
    (nothing is overwritten). None (an internal change) still moves the version on."""
    _require_change(user, key_figure, "update")
    (buurt_obj,) = _buurten(user=user, codes=[buurt], object_type="key_figure", field="buurt")
    if not consent:
        raise InvalidInput(_("Without consent the key figure must be removed, not changed."), field="toestemming")
    key_figure.label, key_figure.gifts, key_figure.role = _key_figure_text(label=label, gifts=gifts, role=role)
    key_figure.buurt = buurt_obj
    topic_objs = _topics(topics)
    _full_clean(key_figure, exclude=["consent_recorded_by"])
    version_claim(key_figure, expected=version)
    key_figure.save()
    key_figure.topics.set(topic_objs)
    _refresh_search_text(key_figure, topic_objs)
    audit_record(
        actor=user, action="update", object_type="key_figure", object_id=key_figure.pk, area_code=buurt_obj.code
    )
    return key_figure


@transaction.atomic
def key_figure_delete(*, user: User, key_figure: KeyFigure) -> None:
    """Remove a key figure at the resident's request: the row and its topic links are deleted, not hidden.
    Only the owning organisation removes it.

    The audit event keeps only the id and buurt, never the label or gifts."""
    _require_change(user, key_figure, "delete")
    pk, area = key_figure.pk, key_figure.buurt_id
    key_figure.delete()
    audit_record(actor=user, action="delete", object_type="key_figure", object_id=pk, area_code=area)
