from nabij.core.exceptions import ApplicationError


class InvalidInput(ApplicationError):
    """Bad input for a sociale-kaart write: the API answers 422, pages show the form again. `field` is the API
    field name (naam, buurten, buurt, onderwerpen, status, behoeften, soort, lat, lon, notitie, label, gaven…)."""

    status_code = 422
