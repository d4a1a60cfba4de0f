from nabij.core.exceptions import ApplicationError


class InvalidInput(ApplicationError):
    """Bad input for a follow-up write: the API answers 422, pages show the form again; `field` is the API field
    name (omschrijving, deadline, eigenaar, bewoner, contactmoment, organisatie, status, …)."""

    status_code = 422


class OutsideBuurtWarning(InvalidInput):
    """The organisation does not serve the resident's buurt. Not a hard error: the user may go ahead by giving a
    reason (`afwijking_reden`), which is stored with the referral."""
