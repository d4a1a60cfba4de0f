from nabij.core.exceptions import InvalidInput


class OutsideBuurtWarning(InvalidInput):
    """The organisation does not serve the resident's buurt. Not a hard error: the user may go ahead by giving a
    reason (`afwijking_reden`), which is stored with the referral."""
