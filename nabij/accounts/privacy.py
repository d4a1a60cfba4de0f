"""Accounts in the privacy registry (nabij.privacy.registry): staff users, organisations, teams, tokens and
samenwerkingsafspraken are not residents' personal data; staff data is kept while the account exists. The
login throttle's records (a keyed hash of the account tried and the client address) count only during the
15-minute cool-off and are kept one day (`NABIJ_RETENTION["inlogpogingen"]`)."""

from django.utils.translation import gettext_lazy as _

from axes.models import AccessAttempt

from nabij.privacy.registry import PersonalData, register, register_not_personal, retention_period

for _model in ("User", "Organisation", "Team", "ApiToken", "SharingAgreement"):
    register_not_personal(f"accounts.{_model}", reason="staff accounts and organisations, not residents")


register(
    PersonalData(
        key="inlogpogingen",
        model="axes.AccessAttempt",
        title=_("Failed login attempts"),
        erase=lambda qs: AccessAttempt.objects.filter(pk__in=list(qs.values_list("pk", flat=True))).delete()[0],
        expired=lambda now: AccessAttempt.objects.filter(attempt_time__lt=now - retention_period("inlogpogingen")),
        order=905,
    )
)
