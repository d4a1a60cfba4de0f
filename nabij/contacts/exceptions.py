from nabij.core.exceptions import ApplicationError


class InvalidInput(ApplicationError):
    """Bad input for a contacts write: the API answers 422, pages show the form again; `field` is the API field
    name (buurt, datum, kanaal, onderwerpen, notitie, bewoner, ronde, …)."""

    status_code = 422


class ConsentRequired(InvalidInput):
    """A resident file (or a link to one) without the resident's recorded consent: refused as a bad request (400),
    not as a form slip (422), because no correction of the other fields makes it allowed."""

    status_code = 400
