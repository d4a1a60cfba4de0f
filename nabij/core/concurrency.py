"""Edits never silently overwrite each other: every editable record carries a version.

A form carries the version it was shown with (`VersionField`), the API sends it as the `ETag` and takes it back
in `If-Match`. The service claims the version in its transaction with one conditional UPDATE (`version_claim`):
if a colleague saved in between, the stored version has moved on and the edit is refused with `StaleEdit`
(409 in the API; the form again, showing what the colleague changed). The claim is atomic on SQLite and
PostgreSQL alike, so two edits at the same moment cannot both win.
"""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nabij.core.exceptions import ApplicationError


class Versioned(models.Model):
    version = models.PositiveIntegerField(
        gettext_lazy("version"), default=1, editable=False, help_text=gettext_lazy("Raised by every change.")
    )

    class Meta:
        abstract = True


class StaleEdit(ApplicationError):
    """Someone else changed the record since it was shown; `current` is the record as it is now."""

    status_code = 409

    def __init__(self, *, current, message: str | None = None):
        super().__init__(
            message
            or _("A colleague changed this in the meantime. Check their change below and save again if needed."),
            field="version",
        )
        self.current = current


def version_claim(obj: models.Model, *, expected: int | None) -> None:
    """Raise the stored version of `obj` by one if it is still `expected`, else raise StaleEdit. Call it inside
    the service's transaction before saving; `obj.version` is set to the new value. `expected=None` means the
    caller carries no version (an internal change): the version still moves on, so open forms notice."""
    model = type(obj)
    manager = model._default_manager
    if expected is None:
        manager.filter(pk=obj.pk).update(version=models.F("version") + 1)
        obj.version = manager.filter(pk=obj.pk).values_list("version", flat=True).get()
        return
    if not manager.filter(pk=obj.pk, version=expected).update(version=expected + 1):
        raise StaleEdit(current=manager.get(pk=obj.pk))
    obj.version = expected + 1


class VersionField(forms.IntegerField):
    """The hidden version a form was shown with."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)


def etag(obj: models.Model) -> str:
    return f'"{obj.pk}-{obj.version}"'


def if_match_version(request, obj: models.Model) -> int | None:
    """The version the client's `If-Match` names for `obj` (None without the header). An `If-Match` for another
    object or in another form counts as stale: it can never match."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    for tag in (t.strip().removeprefix("W/") for t in header.split(",")):
        pk, _sep, version = tag.strip('"').rpartition("-")
        if pk == str(obj.pk) and version.isdigit():
            return int(version)
    return 0
