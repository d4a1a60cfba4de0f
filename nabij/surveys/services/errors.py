"""Why a write of the surveys app was refused; each names the form or API field it is about."""

from __future__ import annotations

from nabij.core.exceptions import ApplicationError, InvalidInput


class NeedsConfirmation(InvalidInput):
    """The change is allowed, but only after the user confirms (e.g. opening with texts harder than B1)."""


class ChangeRefused(ApplicationError):
    """The change would break responses already given."""

    status_code = 409


class SubmissionInvalid(ApplicationError):
    """A submission was refused; `errors` maps a question key (or verzamelaar/formulier/vragenlijst) to a
    Dutch message. Nothing was stored."""

    status_code = 422

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        first_field, first_message = next(iter(errors.items()))
        super().__init__(first_message, field=first_field)
