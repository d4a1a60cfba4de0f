"""Collectors (verzamelaars): residents who ask their neighbours the questions, with a personal link. They belong
to the questionnaire's organisation (nabij.core.access.surveys.collector_policy)."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from nabij.areas.models import Buurt
from nabij.core.exceptions import InvalidInput
from nabij.privacy.services import audit_record
from nabij.surveys.models import Collector, Survey

if TYPE_CHECKING:
    from nabij.accounts.models import User

CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: codes are read aloud and typed from paper


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        if not Collector.objects.filter(code=code).exists():
            return code


def collector_create(*, survey: Survey, label: str, buurt: Buurt, consent: bool, by: User) -> Collector:
    """Register a resident who collects answers; they need consent and a buurt of the questionnaire. The
    collector belongs to the questionnaire's organisation, like the answers they collect."""
    if not label.strip():
        raise InvalidInput(_("Give the collector a label."), field="label")
    if not consent:
        raise InvalidInput(_("A collector takes part only with consent."), field="consent")
    if not survey.buurten.filter(pk=buurt.pk).exists():
        raise InvalidInput(_("Choose a buurt of this questionnaire."), field="buurt")
    collector = Collector(
        survey=survey,
        label=label.strip(),
        buurt=buurt,
        consent=True,
        code=_new_code(),
        created_by=by,
        organisation_id=survey.organisation_id,
    )
    collector.full_clean()
    collector.save()
    audit_record(actor=by, action="create", object_type="survey_collector", object_id=collector.pk)
    return collector


def collector_set_paused(*, collector: Collector, paused: bool, by: User) -> Collector:
    """A paused collector link accepts no answers until it is resumed."""
    collector.paused = paused
    collector.save(update_fields=["paused", "updated_at"])
    audit_record(actor=by, action="update", object_type="survey_collector", object_id=collector.pk)
    return collector
