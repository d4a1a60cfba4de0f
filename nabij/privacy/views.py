from django.core.paginator import Paginator
from django.shortcuts import render

from nabij.accounts import selectors as account_selectors
from nabij.core import permissions
from nabij.privacy import selectors
from nabij.privacy.forms import AuditFilterForm
from nabij.privacy.models import AuditEvent
from nabij.privacy.refusals import require

EVENTS_PER_PAGE = 50


def audit_list(request):
    """The audit log of the beheerder's own organisation, newest first, filterable by GET."""
    require(
        permissions.can_view_audit(request.user),
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        object_type="audit_log",
    )
    actors = account_selectors.user_list(user=request.user).select_related(None).only("pk", "full_name", "email")
    form = AuditFilterForm(request.GET or None, actors=actors)
    events = selectors.audit_event_list(user=request.user, **form.filters())
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(request, "privacy/audit_list.html", {"form": form, "page": page, "query": query.urlencode()})
