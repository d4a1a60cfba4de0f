"""Template helpers for the NL Design System markup (no business logic here)."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from nabij.core.markup import text
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


@register.simple_tag
def main_navigation(items):
    """The main menu (core.navigation.menu_for), written in Python as it is on every page; the current page is
    marked with aria-current, a badge count has a spoken version."""
    if not items:
        return ""
    label = gettext("Main navigation")
    parts = []
    for item in items:
        current = item.current
        badge = ""
        if item.badge:
            spoken = ngettext("%(count)s overdue or due today", "%(count)s overdue or due today", item.badge) % {
                "count": item.badge
            }
            badge = (
                f' <span class="utrecht-number-badge nabij-nav__badge"><span aria-hidden="true">{text(item.badge)}'
                f'</span><span class="nabij-visually-hidden">{text(spoken)}</span></span>'
            )
        parts.append(
            '<li class="utrecht-nav-list__item"><a class="utrecht-nav-list__link'
            f'{" utrecht-nav-list__link--current" if current else ""}" href="{text(item.url)}"'
            f"{' aria-current="page"' if current else ''}>{text(item.label)}{badge}</a></li>"
        )
    return mark_safe(  # noqa: S308 - every value above is escaped by markup.text
        f'<nav class="utrecht-nav-bar nabij-nav" aria-label="{text(label)}">'
        f'<ul class="utrecht-nav-list nabij-nav__list">{"".join(parts)}</ul></nav>'
    )
