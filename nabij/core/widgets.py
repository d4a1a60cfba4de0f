"""Widget markup without the form renderer's templates, for the plain widgets every page uses.

Django renders each widget (and each <option>) through its own sub-template; on a page with a filter form that
was a third of the response time (see docs/decisions/0012-widget-markup-in-python.md). For the stock input,
textarea and select widgets the markup is simple and fixed, so it is written here in Python with the same
escaping and attribute order; any other widget (radio lists, file inputs, custom templates) still goes through
Django. `nabij/core/tests/test_widgets.py` checks that both give the same HTML.
"""

from __future__ import annotations

from django import forms
from django.forms.widgets import Input
from django.utils.safestring import SafeString, mark_safe

from nabij.core.markup import attrs as _attrs
from nabij.core.markup import text as _text

# The stock templates that are `input.html` with nothing added (text.html, date.html, checkbox.html, …).
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "checkbox",
        "search",
        "tel",
        "color",
    )
)
_SELECT_TEMPLATE = "django/forms/widgets/select.html"
_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
_TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"


def _select(widget: dict) -> str:
    """django/forms/widgets/select.html and select_option.html, whitespace included."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option["template_name"] != _OPTION_TEMPLATE:
                return ""
            value, label = _text(option["value"]), _text(option["label"])
            parts.append(f'\n  <option value="{value}"{_attrs(option["attrs"])}>{label}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _markup(widget_obj: forms.Widget, context: dict) -> str:
    """The widget's HTML, or "" when it is not one of the stock widgets written here."""
    widget = context["widget"]
    template = widget_obj.template_name
    if template in _INPUT_TEMPLATES and isinstance(widget_obj, Input | forms.CheckboxInput):
        value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
        return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>'
    if template == _TEXTAREA_TEMPLATE:
        value = _text(widget["value"]) if widget["value"] else ""
        return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'
    if template == _SELECT_TEMPLATE and isinstance(widget_obj, forms.Select):
        return _select(widget)
    return ""


def render_widget(bound_field, attrs: dict) -> SafeString:
    """What `bound_field.as_widget(attrs=attrs)` returns, without the template machinery where it can."""
    widget = bound_field.field.widget
    if bound_field.field.localize:
        return bound_field.as_widget(attrs=attrs)
    full_attrs = bound_field.build_widget_attrs(attrs, widget)
    if bound_field.auto_id and "id" not in widget.attrs:
        full_attrs.setdefault("id", bound_field.auto_id)
    context = widget.get_context(bound_field.html_name, bound_field.value(), full_attrs)
    html = _markup(widget, context)
    if not html:
        return bound_field.as_widget(attrs=attrs)
    return mark_safe(html)  # noqa: S308 - every value above is escaped by _text


def render_field(bound_field, widget_html: str) -> SafeString:
    """One form field as `partials/field.html` lays it out (label, optional marker, help text, errors, widget,
    linked by ids), written in Python: the include and its `with` cost more than the widget itself."""
    from django.utils.translation import gettext

    checkbox = getattr(bound_field.field.widget, "input_type", None) == "checkbox"
    errors = bound_field.errors
    css = "utrecht-form-field"
    if errors:
        css += " utrecht-form-field--invalid"
    if checkbox:
        css += " utrecht-form-field--checkbox"
    label = _text(bound_field.label)
    target = _text(bound_field.id_for_label)
    parts = [f'<div class="{css}">']
    if checkbox:
        parts.append(f'<div class="utrecht-form-field__input">{widget_html}</div>')
        parts.append(
            '<div class="utrecht-form-field__label utrecht-form-field__label--checkbox">'
            f'<label class="utrecht-form-label utrecht-form-label--checkbox" for="{target}">{label}</label></div>'
        )
    else:
        optional = ""
        if not bound_field.field.required:
            optional = f' <span class="nabij-optional">({_text(gettext("optional"))})</span>'
        parts.append(
            f'<div class="utrecht-form-field__label"><label class="utrecht-form-label" for="{target}">{label}'
            f"{optional}</label></div>"
        )
    auto_id = _text(bound_field.auto_id)
    if bound_field.help_text:
        parts.append(
            f'<div class="utrecht-form-field-description" id="{auto_id}_helptext">{_text(bound_field.help_text)}</div>'
        )
    if errors:
        messages = "".join(f'<p class="utrecht-paragraph">{_text(error)}</p>' for error in errors)
        parts.append(f'<div class="utrecht-form-field-error-message" id="{auto_id}_error">{messages}</div>')
    if not checkbox:
        parts.append(f'<div class="utrecht-form-field__input">{widget_html}</div>')
    parts.append("</div>")
    return mark_safe("\n".join(parts))  # noqa: S308 - every value above is escaped by _text
