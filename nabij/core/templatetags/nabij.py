"""Template helpers for the NL Design System markup (no business logic here)."""

from django import template

from nabij.core.widgets import render_field, render_widget

register = template.Library()

_WIDGET_CLASSES = {
    "select": "utrecht-select utrecht-select--html-select",
    "selectmultiple": "utrecht-select utrecht-select--html-select",
    "textarea": "utrecht-textarea utrecht-textarea--html-textarea",
    "checkbox": "utrecht-checkbox utrecht-checkbox--html-input",
    "radio": "utrecht-radio-button utrecht-radio-button--html-input",
}


@register.filter
def utrecht_widget(bound_field):
    """Render a field's widget with Utrecht classes and its help text and error linked for screen readers."""
    widget = bound_field.field.widget
    kind = getattr(widget, "input_type", None) or widget.__class__.__name__.lower()
    if kind in ("select", "selectmultiple", "textarea", "checkbox", "radio"):
        css = _WIDGET_CLASSES[kind]
    else:
        css = "utrecht-textbox utrecht-textbox--html-input"
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}_helptext")
    attrs = {"class": f"{css} {widget.attrs.get('class', '')}".strip()}
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}_error")
        attrs["aria-invalid"] = "true"
        attrs["class"] += " utrecht-textbox--invalid" if css.startswith("utrecht-textbox") else ""
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return render_widget(bound_field, attrs)


@register.simple_tag
def form_field(bound_field):
    """One field with label, help text and errors (the markup of partials/field.html, built in Python)."""
    return render_field(bound_field, utrecht_widget(bound_field))
