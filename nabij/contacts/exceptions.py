from nabij.core.exceptions import InvalidInput


class ConsentRequired(InvalidInput):
    """A resident file (or a link to one) without the resident's recorded consent: refused as a bad request (400),
    not as a form slip (422), because no correction of the other fields makes it allowed."""

    status_code = 400
