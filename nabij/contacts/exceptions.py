from nabij.core.exceptions import ApplicationError


class InvalidInput(ApplicationError):
    """Bad input for a contacts write: the API answers 422, pages show the form again; `field` is the API field
    name (buurt, datum, kanaal, onderwerpen, notitie, bewoner, ronde, …)."""

    status_code = 422
