"""Template helpers: links to contacts only for those who may see them, and the buurt timeline's rows."""

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from nabij.contacts.models import Signal
from nabij.core import permissions

register = template.Library()


@register.filter
def may_view_contacts(user) -> bool:
    return permissions.can_view_contact_moments(user)


def _when(value) -> tuple[str, str]:
    """(ISO datetime, "j M Y H:i") in the current time zone, as the |date filter would write them."""
    local = timezone.localtime(value)
    return local.isoformat(), f"{local.day} {str(MONTHS_3[local.month]).title()} {local.year} {local:%H:%M}"


@register.simple_tag(takes_context=True)
def timeline_entries(context, timeline, *, can_log: bool = False):
    """The rows of a buurt timeline (contacts and observations, plain dicts from selectors.buurt_timeline).

    Built with format_html (everything escaped) rather than an {% include %} or a loop of template nodes per row:
    a page of 25 rows rendered node by node cost more than all of the page's database work."""
    request = context.get("request")
    unknown_worker = gettext("unknown worker")
    follow_up = gettext("needs follow-up")
    topics_label = gettext("Topics")
    observation = gettext("Observation")
    topic_status_label = gettext("Topic and status")
    status_label = gettext("Status")
    change = gettext("Change")
    csrf = get_token(request) if (can_log and request is not None) else ""
    next_url = request.get_full_path() if request is not None else ""
    resident_url = reverse("contacts:resident-detail", args=[0])[: -len("0/")]
    status_url = reverse("contacts:signal-status", args=[0])[: -len("0/status/")]
    statuses = Signal.Status.choices
    parts = []
    for entry in timeline.entries:
        if entry.kind == "contact":
            c = entry.contact
            iso, shown = _when(c["occurred_at"])
            topics = ""
            if c["topics"]:
                topics = format_html(
                    '<ul class="nabij-tags" aria-label="{}">{}</ul>',
                    topics_label,
                    format_html_join(
                        "", '<li class="utrecht-badge-status">{}</li>', ((t.display_label,) for t in c["topics"])
                    ),
                )
            note = format_html('<p class="utrecht-paragraph">{}</p>', c["note"]) if c["note"] else ""
            resident = ""
            if c["resident_id"]:
                resident = format_html(
                    ' · <a class="utrecht-link" href="{}{}/">{}</a>',
                    resident_url,
                    c["resident_id"],
                    c["resident_label"],
                )
            flag = format_html(" · <strong>{}</strong>", follow_up) if c["needs_follow_up"] else ""
            parts.append(
                format_html(
                    '<article class="nabij-entry" aria-labelledby="contact-{id}">\n'
                    '  <h3 class="utrecht-heading-4 nabij-entry__title" id="contact-{id}"><time datetime="{iso}">'
                    "{shown}</time> · {channel}</h3>\n  {topics}\n  {note}\n"
                    '  <p class="utrecht-paragraph nabij-muted">{worker}{resident}{flag}</p>\n</article>\n',
                    id=c["id"],
                    iso=iso,
                    shown=shown,
                    channel=c["channel_label"],
                    topics=topics,
                    note=note,
                    worker=c["worker_name"] or unknown_worker,
                    resident=resident,
                    flag=flag,
                )
            )
        else:
            s = entry.signal
            iso, shown = _when(s["occurred_at"])
            form = ""
            if can_log:
                options = format_html_join(
                    "",
                    '<option value="{}"{}>{}</option>',
                    (
                        (value, mark_safe(" selected") if value == s["status"] else "", label)
                        for value, label in statuses
                    ),
                )
                form = format_html(
                    '<form method="post" action="{url}{id}/status/" class="nabij-inline-form">\n'
                    '    <input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
                    '<input type="hidden" name="next" value="{next}">\n'
                    '    <label class="utrecht-form-label" for="status-{id}">{status_label}</label>\n'
                    '    <select class="utrecht-select utrecht-select--html-select" name="status" id="status-{id}">'
                    "{options}</select>\n"
                    '    <button type="submit" class="utrecht-button utrecht-button--secondary-action">{change}'
                    "</button>\n  </form>",
                    url=status_url,
                    id=s["id"],
                    csrf=csrf,
                    next=next_url,
                    status_label=status_label,
                    options=options,
                    change=change,
                )
            parts.append(
                format_html(
                    '<article class="nabij-entry nabij-entry--signal" aria-labelledby="signal-{id}">\n'
                    '  <h3 class="utrecht-heading-4 nabij-entry__title" id="signal-{id}">{observation} · '
                    '<time datetime="{iso}">{shown}</time></h3>\n'
                    '  <ul class="nabij-tags" aria-label="{topic_status_label}"><li class="utrecht-badge-status">'
                    '{topic}</li><li class="utrecht-badge-status">{status}</li></ul>\n  {note}\n'
                    '  <p class="utrecht-paragraph nabij-muted">{worker}</p>\n  {form}\n</article>\n',
                    id=s["id"],
                    observation=observation,
                    iso=iso,
                    shown=shown,
                    topic_status_label=topic_status_label,
                    topic=s["topic"].display_label if s["topic"] else "",
                    status=s["status_label"],
                    note=format_html('<p class="utrecht-paragraph">{}</p>', s["note"]) if s["note"] else "",
                    worker=s["worker_name"] or unknown_worker,
                    form=form,
                )
            )
    return mark_safe("".join(parts))  # noqa: S308 - every part above is built by format_html
