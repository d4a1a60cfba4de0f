"""Domain exceptions that views and the API map to the same Dutch messages and status codes."""


class ApplicationError(Exception):
    """A rule of the domain was broken; `message` is shown to the user as it is (already translated)."""

    status_code = 400
    location = "body"  # where the named field is: "body", or "query" for a query parameter

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(ApplicationError):
    """Bad input for a write: the API answers 422, pages show the form again with the message next to `field`
    (the API field name: buurt, onderwerpen, notitie, naam, titel, …; each app's form maps it to its own field)."""

    status_code = 422


class NotVisible(ApplicationError):
    """The object is outside the user's area scope. Shown as 'not found' so nothing leaks."""

    status_code = 404


class PermissionRefused(ApplicationError):
    """The user may see the object but not do this with it."""

    status_code = 403
