"""Lookups for the apps whose records link to contacts (a promise or referral made from a contact moment or for a
resident): the row itself, unchecked and unaudited, because nothing of it is shown; the caller decides with the
contacts policies whether this user may link to it and refuses otherwise."""

from __future__ import annotations

from nabij.contacts.models import ContactMoment, Resident


def contact_moment_for_link(*, pk: int) -> ContactMoment | None:
    """The contact moment with its buurt and resident, or None when there is none with this id."""
    return ContactMoment.objects.select_related("buurt", "resident").filter(pk=pk).first()


def resident_for_link(*, pk: int) -> Resident | None:
    """The resident with their buurt, or None when there is none with this id."""
    return Resident.objects.select_related("buurt").filter(pk=pk).first()
