"""Follow-up's part of a resident's inzage (AVG art. 15): the promises made to them and the referrals, with whom
each referral was shared and on what ground (registered in `apps.ready`; see `nabij.privacy.inzage`). Only the
records of the organisation that owns the file: it is the data controller that gives the inzage."""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nabij.accounts.models import RecordKind
from nabij.followup.models import Promise, Referral
from nabij.privacy.inzage import Row, register_inzage_section, sharing_partners


def _promises(*, resident) -> list[Row]:
    promises = (
        Promise.objects.filter(resident=resident, organisation_id=resident.organisation_id)
        .prefetch_related("handovers")
        .order_by("created_at", "id")
    )
    rows = []
    for promise in promises:
        row = (
            Row()
            .add("datum", _("Date"), promise.created_at)
            .add("belofte", _("What we promised"), promise.description)
            .add("uiterlijk", _("At the latest"), promise.due_date)
            .add("stand", _("Status"), promise.get_status_display())
            .add("hoe_nagekomen", _("How we kept it"), promise.kept_note, optional=True)
            .add("waarom_niet", _("Why it did not work out"), promise.failure_reason, optional=True)
        )
        row.audit = ("promise", promise.pk)
        row.notes = [
            _("Handed over to a colleague on %(date)s.") % {"date": _date(h.at)} + (f" {h.note}" if h.note else "")
            for h in promise.handovers.all()
        ]
        rows.append(row)
    return rows


def _referrals(*, resident) -> list[Row]:
    referrals = (
        Referral.objects.filter(resident=resident, organisation_id=resident.organisation_id)
        .select_related("provider__nabij_organisation", "topic")
        .prefetch_related("status_changes")
        .order_by("created_at", "id")
    )
    rows = []
    for referral in referrals:
        shared = []
        receiving = referral.provider.nabij_organisation
        if referral.consent_to_share and receiving is not None:
            shared.append(_("%(organisation)s, because you gave consent") % {"organisation": receiving.name})
        for partner in sharing_partners(
            organisation_id=referral.organisation_id, kind=RecordKind.DOORVERWIJZINGEN, buurt_code=referral.buurt_id
        ):
            shared.append(_("%(organisation)s, under a sharing agreement") % {"organisation": partner})
        row = (
            Row()
            .add("datum", _("Date"), referral.created_at)
            .add("naar", _("Sent to"), referral.provider.name)
            .add("onderwerp", _("Topic"), referral.topic.label)
            .add("vraag", _("Your question"), referral.question)
            .add("toestemming_delen", _("Consent to share"), referral.consent_to_share)
            .add("stand", _("Status"), referral.get_status_display())
            .add("gedeeld_met", _("Shared with"), shared, optional=True)
        )
        row.audit = ("referral", referral.pk)
        row.notes = [
            _("On %(date)s: %(status)s.") % {"date": _date(c.at), "status": c.get_to_status_display().lower()}
            + (f" {c.note}" if c.note else "")
            for c in referral.status_changes.all()
        ]
        rows.append(row)
    return rows


def _date(value) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y")


def register() -> None:
    register_inzage_section(
        key="beloftes",
        title=gettext_lazy("What we promised you"),
        explanation=gettext_lazy("Sometimes we promise to do something for you. Here you see what, and how it went."),
        models=("followup.Promise", "followup.PromiseHandover"),
        collect=_promises,
        order=40,
    )
    register_inzage_section(
        key="doorverwijzingen",
        title=gettext_lazy("Where we sent you"),
        explanation=gettext_lazy(
            "Sometimes we send you to another organisation that can help. Here you see which one, and who else "
            "could see it."
        ),
        models=("followup.Referral", "followup.ReferralStatusChange"),
        collect=_referrals,
        order=50,
    )
