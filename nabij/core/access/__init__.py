"""Who may see and change which personal-data records: one policy object per model.

Every record with personal data belongs to one organisation, its data controller under the AVG
(`nabij.core.models.OrganisationOwned`). A policy answers, for one kind of record, both questions a page, the
API, a selector, an export, a digest or a theme count may ask, in the manner of Wagtail's permission policies:

- `policy.visible(user, qs)` / `policy.filter(user)`: which rows may this user see? (lists, counts, search, maps)
- `policy.can_view(user, obj)` / `policy.can_change(user, obj)`: may this user see or change this one?
- `policy.basis(user, obj)`: on what ground (own organisation, a samenwerkingsafspraak, a shared referral), so
  that the read is audited as such (`audit_read`).

The rule, for every policy:

1. Roles that never see personal data (analisten) see no rows at all; superusers (technical administrators)
   see every row.
2. Staff see the records of their own organisation inside their area scope.
3. Staff see another organisation's records only where sharing is explicit: a samenwerkingsafspraak in effect
   between the two organisations that names the record's kind and buurt (and the buurt is in their own scope),
   or — for referrals only — a referral to their organisation made with the resident's consent to share.
4. Changing is for the owning organisation only (a shared record is read-only), with the model's own role rules.

Nothing else widens access: not a shared buurt, not a role. The object checks and the filters are written side
by side in each policy and a property test proves that they agree (`core/tests/test_access_properties.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.cache import cache
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from nabij.core import permissions

if TYPE_CHECKING:
    from nabij.accounts.models import User

NOTHING = Q(pk__in=[])
_SHARES_ATTR = "_nabij_shares"


@dataclass(frozen=True)
class Share:
    """What one samenwerkingsafspraak in effect gives this user: the other organisation's records of `kinds`
    in `buurt_codes` (the user's own scope still applies)."""

    agreement_id: int
    organisation_id: int
    kinds: frozenset[str]
    buurt_codes: frozenset[str]


@dataclass(frozen=True)
class Basis:
    """Why a user may see a record: "own" (their organisation's), "agreement" (a samenwerkingsafspraak),
    "referral" (a referral to their organisation with consent) or "national" (a superuser)."""

    kind: str
    organisation_id: int | None  # the owner of the record
    agreement_id: int | None = None

    @property
    def is_own(self) -> bool:
        return self.kind in {"own", "national"}


SHARES_CACHE_SECONDS = 24 * 60 * 60


def shares_for(user) -> tuple[Share, ...]:
    """The samenwerkingsafspraken in effect today for the user's organisation, read once per user object (one
    request) and cached per organisation under its `sharing_version` and today's date: every change to an
    agreement raises the version of both organisations (accounts.signals), so ending one closes access at the next
    request in every process, and an agreement starts or expires with the date. The organisation row is read with
    the page anyway (the header names it)."""
    if not permissions.is_staff_user(user) or user.organisation_id is None:
        return ()
    cached = user.__dict__.get(_SHARES_ATTR)
    if cached is not None:
        return cached
    organisation = user.organisation
    created = int(organisation.created_at.timestamp() * 1_000_000) if organisation.created_at else 0
    today = timezone.localdate()
    key = f"nabij:shares:{organisation.pk}:{created}:{organisation.sharing_version}:{today.isoformat()}"
    shares = cache.get(key)
    if shares is None:
        shares = _shares_read(organisation_id=organisation.pk, on=today)
        cache.set(key, shares, SHARES_CACHE_SECONDS)
    user.__dict__[_SHARES_ATTR] = shares
    return shares


def _shares_read(*, organisation_id: int, on) -> tuple[Share, ...]:
    from nabij.accounts.models import SharingAgreement

    agreements = (
        SharingAgreement.objects.in_effect(on)
        .involving(organisation_id)
        .prefetch_related("buurten")
        .only("pk", "proposer_id", "partner_id", "kinds")
    )
    return tuple(
        Share(
            agreement_id=agreement.pk,
            organisation_id=agreement.other(organisation_id),
            kinds=frozenset(agreement.kinds or ()),
            buurt_codes=frozenset(b.pk for b in agreement.buurten.all()),
        )
        for agreement in agreements
    )


def shares_forget(user) -> None:
    """Drop what this user object remembers of its agreements (after accepting or ending one in this request)."""
    user.__dict__.pop(_SHARES_ATTR, None)
    user._state.fields_cache.pop("organisation", None)  # its sharing_version is read afresh too


class RecordPolicy:
    """The access rule for one personal-data model (see the module docstring for the rule itself).

    Subclasses name the model (`model_label`), the record kind a samenwerkingsafspraak can share (`kind`, or
    None when it is never shared) and where the record's buurt is (`buurt_field`); a model whose area is not one
    buurt column overrides `area_q` with `in_area` and `share_q` with `in_share`, and one with an extra ground
    (the owner of a handed-over promise, the receiving organisation of a referral) overrides `extra_q` and
    `extra_basis` together."""

    model_label: str = ""
    kind: str | None = None
    buurt_field: str = "buurt"

    @cached_property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)

    # --- the parts of the rule -----------------------------------------------------------------------------

    def role_may_see(self, user) -> bool:
        """Analisten and accounts without a role never see personal data."""
        return permissions.can_see_personal_data(user)

    def role_may_change(self, user, obj) -> bool:
        """On top of owning the record; models with stricter rules (who keeps a promise) override this."""
        return self.role_may_see(user)

    def area_q(self, user) -> Q:
        return permissions.scope_filter(user, buurt_field=self.buurt_field)

    def in_area(self, user, obj) -> bool:
        return getattr(obj, f"{self.buurt_field}_id") in permissions.visible_buurt_codes(user)

    def share_q(self, share: Share) -> Q:
        """The partner's records a samenwerkingsafspraak covers (by the record's buurt)."""
        return Q(organisation_id=share.organisation_id, **{f"{self.buurt_field}__in": sorted(share.buurt_codes)})

    def in_share(self, share: Share, obj) -> bool:
        """The object face of `share_q`."""
        return obj.organisation_id == share.organisation_id and getattr(obj, f"{self.buurt_field}_id") in (
            share.buurt_codes
        )

    def extra_q(self, user) -> Q | None:
        return None

    def extra_basis(self, user, obj) -> Basis | None:
        return None

    def shares(self, user) -> list[Share]:
        if self.kind is None:
            return []
        return [share for share in shares_for(user) if self.kind in share.kinds]

    # --- the two faces of the rule --------------------------------------------------------------------------

    def filter(self, user) -> Q:
        """The rows this user may see, as a filter for lists, counts, search, maps and exports."""
        if not self.role_may_see(user):
            return NOTHING
        if permissions.has_national_scope(user):
            return Q()
        owners = Q()
        if user.organisation_id is not None:
            owners |= Q(organisation_id=user.organisation_id)
        for share in self.shares(user):
            owners |= self.share_q(share)
        q = self.area_q(user) & owners if owners else NOTHING
        extra = self.extra_q(user)
        return q | extra if extra is not None else q

    def visible(self, user, qs: QuerySet | None = None) -> QuerySet:
        qs = self.model._default_manager.all() if qs is None else qs
        return qs.filter(self.filter(user))

    def basis(self, user, obj) -> Basis | None:
        """Why this user may see `obj`, or None when they may not (the object face of `filter`)."""
        if not self.role_may_see(user):
            return None
        owner = obj.organisation_id
        if permissions.has_national_scope(user):
            return Basis("national", owner)
        if self.in_area(user, obj):
            if owner is not None and owner == user.organisation_id:
                return Basis("own", owner)
            for share in self.shares(user):
                if self.in_share(share, obj):
                    return Basis("agreement", owner, share.agreement_id)
        return self.extra_basis(user, obj)

    def can_view(self, user, obj) -> bool:
        return self.basis(user, obj) is not None

    def can_change(self, user, obj) -> bool:
        """Only the owning organisation changes its records (shared ones are read-only), by the model's role
        rules; superusers may."""
        if not self.role_may_change(user, obj):
            return False
        if permissions.has_national_scope(user):
            return True
        basis = self.basis(user, obj)
        return basis is not None and basis.kind == "own"


_REGISTRY: dict[str, RecordPolicy] = {}


def register[P: RecordPolicy](policy: P) -> P:
    _REGISTRY[policy.model_label.lower()] = policy
    return policy


def policy_for(model_or_obj: Any) -> RecordPolicy:
    """The policy of a personal-data model (class or instance)."""
    _load_policies()
    label = model_or_obj._meta.label_lower
    return _REGISTRY[label]


def all_policies() -> list[RecordPolicy]:
    _load_policies()
    return list(_REGISTRY.values())


def _load_policies() -> None:
    # The policies of each domain live in a module of this package; importing them registers them.
    from nabij.core.access import assets, contacts, followup, participation, surveys  # noqa: F401


def audit_read(
    *,
    user: User,
    policy: RecordPolicy,
    records: Iterable[Any],
    action: str = "view",
    object_type: str,
    object_id: str | int = "",
    area_code: str = "",
    detail: dict | None = None,
    always: bool = True,
) -> None:
    """Audit a read, search or export of `records` (already limited by `policy`): one event for the user's own
    organisation (also when nothing was found, unless `always` is off) and one per other owning organisation and
    ground (agreement or referral), so that each owner's beheerder sees what was read of its records, by whom
    and on which agreement. Counts go in `detail`, never the records' content."""
    from nabij.privacy.services import audit_record_all

    groups: dict[tuple[str, int | None, int | None], int] = {}
    own = 0
    for record in records:
        basis = policy.basis(user, record)
        if basis is None:
            continue
        if basis.organisation_id is None or basis.organisation_id == user.organisation_id:
            own += 1
            continue
        key = (basis.kind, basis.organisation_id, basis.agreement_id)
        groups[key] = groups.get(key, 0) + 1
    base = detail or {}
    common = {
        "actor": user,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "area_code": area_code,
    }
    entries = [common | {"detail": base}] if always or own else []
    # One insert for all owners: the hash chain is locked once per read, not once per owner.
    entries += [
        common
        | {
            "detail": base | {"grond": kind, "aantal": count},
            "owner_organisation_id": owner,
            "agreement_id": agreement_id,
        }
        for (kind, owner, agreement_id), count in groups.items()
    ]
    audit_record_all(entries)
