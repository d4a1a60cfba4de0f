"""Template helpers: links to contacts only for those who may see them, and the buurt timeline's rows."""

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from nabij.contacts.models import Signal
from nabij.core.access.contacts import contact_moment_policy
from nabij.core.markup import text

register = template.Library()


@register.filter
def may_view_contacts(user) -> bool:
    return contact_moment_policy.role_may_see(user)


def _when(value, zone, months: dict[int, str]) -> tuple[str, str]:
    """(ISO datetime, "j M Y H:i") in the time zone `zone`, as the |date filter would write them. `months`
    remembers the translated month names for one rendering."""
    local = value.astimezone(zone)
    month = months.get(local.month)
    if month is None:
        month = months[local.month] = str(MONTHS_3[local.month]).title()
    return local.isoformat(), f"{local.day} {month} {local.year} {local:%H:%M}"


@register.simple_tag(takes_context=True)
def timeline_entries(context, timeline):
    """The rows of a buurt timeline (contacts and observations, plain dicts from selectors.buurt_timeline). An
    observation the user may change (`can_change`, from its policy) gets the status form with its version.

    Written as escaped f-strings (nabij.core.markup.text on every value) rather than an {% include %} or a loop
    of template nodes per row: a page of 25 rows rendered node by node cost more than all of the page's database
    work, and format_html's per-argument checks were still a millisecond."""
    request = context.get("request")
    unknown_worker = text(gettext("unknown worker"))
    follow_up = f" · <strong>{text(gettext('needs follow-up'))}</strong>"
    topics_label = text(gettext("Topics"))
    observation = text(gettext("Observation"))
    topic_status_label = text(gettext("Topic and status"))
    status_label = text(gettext("Status"))
    change = text(gettext("Change"))
    csrf = text(get_token(request)) if request is not None else ""
    next_url = text(request.get_full_path()) if request is not None else ""
    resident_url = reverse("contacts:resident-detail", args=[0])[: -len("0/")]
    status_url = reverse("contacts:signal-status", args=[0])[: -len("0/status/")]
    statuses = [(text(value), value, text(label)) for value, label in Signal.Status.choices]
    months: dict[int, str] = {}
    zone = timezone.get_current_timezone()
    labels: dict[int, str] = {}  # escaped topic labels, translated once per page

    def label(topic) -> str:
        if topic.pk not in labels:
            labels[topic.pk] = text(topic.display_label)
        return labels[topic.pk]

    parts = []
    for entry in timeline.entries:
        if entry.kind == "contact":
            c = entry.contact
            iso, shown = _when(c["occurred_at"], zone, months)
            topics = ""
            if c["topics"]:
                items = "".join(f'<li class="utrecht-badge-status">{label(t)}</li>' for t in c["topics"])
                topics = f'<ul class="nabij-tags" aria-label="{topics_label}">{items}</ul>'
            note = f'<p class="utrecht-paragraph">{text(c["note"])}</p>' if c["note"] else ""
            resident = ""
            if c["resident_id"]:
                resident = (
                    f' · <a class="utrecht-link" href="{resident_url}{int(c["resident_id"])}/">'
                    f"{text(c['resident_label'])}</a>"
                )
            flag = follow_up if c["needs_follow_up"] else ""
            worker = text(c["worker_name"]) if c["worker_name"] else unknown_worker
            pk = int(c["id"])
            parts.append(
                f'<article class="nabij-entry" aria-labelledby="contact-{pk}">\n'
                f'  <h3 class="utrecht-heading-4 nabij-entry__title" id="contact-{pk}"><time datetime="{iso}">'
                f"{text(shown)}</time> · {text(c['channel_label'])}</h3>\n  {topics}\n  {note}\n"
                f'  <p class="utrecht-paragraph nabij-muted">{worker}{resident}{flag}</p>\n</article>\n'
            )
        else:
            s = entry.signal
            iso, shown = _when(s["occurred_at"], zone, months)
            pk = int(s["id"])
            form = ""
            if s["can_change"]:
                options = "".join(
                    f'<option value="{value}"{" selected" if raw == s["status"] else ""}>{label}</option>'
                    for value, raw, label in statuses
                )
                form = (
                    f'<form method="post" action="{status_url}{pk}/status/" class="nabij-inline-form">\n'
                    f'    <input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
                    f'<input type="hidden" name="next" value="{next_url}">'
                    f'<input type="hidden" name="version" value="{int(s["version"])}">\n'
                    f'    <label class="utrecht-form-label" for="status-{pk}">{status_label}</label>\n'
                    f'    <select class="utrecht-select utrecht-select--html-select" name="status" id="status-{pk}">'
                    f"{options}</select>\n"
                    f'    <button type="submit" class="utrecht-button utrecht-button--secondary-action">{change}'
                    "</button>\n  </form>"
                )
            topic = label(s["topic"]) if s["topic"] else ""
            note = f'<p class="utrecht-paragraph">{text(s["note"])}</p>' if s["note"] else ""
            worker = text(s["worker_name"]) if s["worker_name"] else unknown_worker
            parts.append(
                f'<article class="nabij-entry nabij-entry--signal" aria-labelledby="signal-{pk}">\n'
                f'  <h3 class="utrecht-heading-4 nabij-entry__title" id="signal-{pk}">{observation} · '
                f'<time datetime="{iso}">{text(shown)}</time></h3>\n'
                f'  <ul class="nabij-tags" aria-label="{topic_status_label}"><li class="utrecht-badge-status">'
                f'{topic}</li><li class="utrecht-badge-status">{text(s["status_label"])}</li></ul>\n  {note}\n'
                f'  <p class="utrecht-paragraph nabij-muted">{worker}</p>\n  {form}\n</article>\n'
            )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped by markup.text
