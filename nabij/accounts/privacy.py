"""Accounts in the privacy registry (nabij.privacy.registry): staff users, organisations, teams, tokens and
samenwerkingsafspraken are not residents' personal data; staff data is kept while the account exists."""

from nabij.privacy.registry import register_not_personal

for _model in ("User", "Organisation", "Team", "ApiToken", "SharingAgreement"):
    register_not_personal(f"accounts.{_model}", reason="staff accounts and organisations, not residents")
