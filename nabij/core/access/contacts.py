"""Policies of the contacts app: contact moments, observations and residents."""

from __future__ import annotations

from nabij.accounts.models import RecordKind
from nabij.core.access import RecordPolicy, register


class ContactMomentPolicy(RecordPolicy):
    """A conversation with a resident: its organisation's staff in scope, or a partner under an agreement."""

    model_label = "contacts.ContactMoment"
    kind = RecordKind.CONTACTMOMENTEN


class SignalPolicy(RecordPolicy):
    """An observation (waarneming): like a contact moment; its note is still about the buurt's people."""

    model_label = "contacts.Signal"
    kind = RecordKind.WAARNEMINGEN


class ResidentPolicy(RecordPolicy):
    """A pseudonymous resident file: its organisation's staff in scope, or a partner under an agreement that
    names residents. A referral shares the resident's label with the receiving organisation through the
    referral itself, never the file."""

    model_label = "contacts.Resident"
    kind = RecordKind.BEWONERS


contact_moment_policy = register(ContactMomentPolicy())
signal_policy = register(SignalPolicy())
resident_policy = register(ResidentPolicy())
