"""The one mapping of errors to what people see: on a page next to the form field (`form_errors`), in the API as
one body shape, {"detail": [{"loc": [...], "msg": "<Dutch message>"}]} (`install_error_handlers`, `error_body`).

Services raise `ValidationError` or an exception from `core.exceptions`; the field they name is the API's field
name, and each app's form maps it to its own form field name (its `FIELD_MAP`)."""

from collections.abc import Mapping
from functools import partial

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from nabij.core.exceptions import ApplicationError

# Pydantic error types → a Dutch message a person understands. Unknown types fall back to a generic one.
_PYDANTIC_MESSAGES = {
    "missing": "This field is required.",
    "string_too_long": "This text is too long.",
    "string_too_short": "This text is too short.",
    "int_parsing": "Enter a whole number.",
    "float_parsing": "Enter a number.",
    "bool_parsing": "Enter true or false.",
    "datetime_parsing": "Enter a valid date and time (ISO 8601).",
    "datetime_from_date_parsing": "Enter a valid date and time (ISO 8601).",
    "date_parsing": "Enter a valid date (YYYY-MM-DD).",
    "date_from_datetime_parsing": "Enter a valid date (YYYY-MM-DD).",
    "json_invalid": "The request body is not valid JSON.",
    "model_attributes_type": "The request body must be a JSON object.",
    "dict_type": "The request body must be a JSON object.",
    "list_type": "Enter a list.",
    "string_type": "Enter text.",
    "int_type": "Enter a whole number.",
    "enum": "Choose one of the allowed values.",
    "literal_error": "Choose one of the allowed values.",
    "greater_than_equal": "The value is too small.",
    "less_than_equal": "The value is too large.",
    "extra_forbidden": "This field is not allowed.",
}


def form_errors(form: forms.BaseForm, exc: Exception, field_map: Mapping[str, str | None] | None = None) -> None:
    """Show a service's error on the form: next to the field it names (the API name, through `field_map` when the
    form's field is called otherwise), or above the form when no such field is on it."""
    if isinstance(exc, ApplicationError):
        name = field_map.get(exc.field or "") if field_map is not None else exc.field
        form.add_error(name if name in form.fields else None, exc.message)
    elif isinstance(exc, DjangoValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(exc, DjangoValidationError):
        form.add_error(None, exc.messages)
    else:
        form.add_error(None, str(exc))


def error_body(loc: list, msg: str) -> dict:
    return {"detail": [{"loc": loc, "msg": msg}]}


def _validation_error(request, exc: NinjaValidationError, api):
    detail = []
    for error in exc.errors:
        message = _PYDANTIC_MESSAGES.get(error.get("type", ""), "This value is not valid.")
        detail.append({"loc": list(error.get("loc", [])), "msg": _(message), "type": error.get("type", "")})
    return api.create_response(request, {"detail": detail}, status=422)


def _application_error(request, exc: ApplicationError, api):
    loc = [exc.location, exc.field] if exc.field else []
    return api.create_response(request, error_body(loc, exc.message), status=exc.status_code)


def _django_validation_error(request, exc: DjangoValidationError, api):
    detail = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                detail.append({"loc": ["body", field] if field != "__all__" else ["body"], "msg": message})
    else:
        detail = [{"loc": ["body"], "msg": message} for message in exc.messages]
    return api.create_response(request, {"detail": detail}, status=422)


def _authentication_error(request, exc, api):
    return api.create_response(
        request,
        error_body(["header", "Authorization"], _("Log in or send a valid Bearer token.")),
        status=401,
    )


def _not_found(request, exc, api):
    return api.create_response(request, error_body([], _("Not found.")), status=404)


def _http_error(request, exc: HttpError, api):
    return api.create_response(request, error_body([], str(exc)), status=exc.status_code)


def install_error_handlers(api) -> None:
    for exc_class, handler in (
        (NinjaValidationError, _validation_error),
        (ApplicationError, _application_error),
        (DjangoValidationError, _django_validation_error),
        (AuthenticationError, _authentication_error),
        (Http404, _not_found),
        (HttpError, _http_error),
    ):
        api.add_exception_handler(exc_class, partial(handler, api=api))
