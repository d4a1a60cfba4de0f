"""Rules of the contacts app, each written once and used by services, selectors and templates alike."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _


def resident_may_be_followed(resident) -> bool:
    """Following a resident over time (linking contacts, promises and referrals to their file) needs their
    recorded consent (AVG art. 6 and 7). Withdrawing it erases the file, so a file without consent is one made
    before consent was required."""
    return bool(resident.consent)


def followed_residents_q() -> Q:
    """The filter face of `resident_may_be_followed`: the residents a record may be linked to."""
    return Q(consent=True)


def no_consent_message() -> str:
    return _("This resident has not given consent to be followed; record their consent first.")
