"""Template helpers so other apps' pages can link to contacts only for those who may see them."""

from django import template

from nabij.core import permissions

register = template.Library()


@register.filter
def may_view_contacts(user) -> bool:
    return permissions.can_view_contact_moments(user)
