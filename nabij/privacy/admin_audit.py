"""Reads in the Django admin are audited like reads anywhere else: the admin is a second window on personal data.

`AuditedAdminMixin` goes first in the bases of every ModelAdmin of a model with personal data (a test walks the
admin registry and fails for one without it). A list is recorded as a view, or as a search when a search term
was given (never the term itself: it may be a name); an object page as a view of that object; additions,
changes and deletions made in the admin as such.
"""

from __future__ import annotations

from nabij.privacy.models import AuditEvent
from nabij.privacy.services import audit_record, audit_record_all


class AuditedAdminMixin:
    def _audit_type(self) -> str:
        meta = self.model._meta
        return f"admin:{meta.app_label}.{meta.model_name}"

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:  # not on a redirect or an error page
            searched = bool(changelist.query)
            audit_record(
                actor=request.user,
                action=AuditEvent.Action.SEARCH if searched else AuditEvent.Action.VIEW,
                object_type=self._audit_type(),
                detail={"count": changelist.result_count, "filters": sorted(changelist.get_filters_params())},
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and getattr(response, "status_code", None) == 200:
            audit_record(
                actor=request.user, action=AuditEvent.Action.VIEW, object_type=self._audit_type(), object_id=object_id
            )
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if getattr(response, "status_code", None) == 200:
            audit_record(
                actor=request.user,
                action=AuditEvent.Action.VIEW,
                object_type=self._audit_type(),
                object_id=object_id,
                detail={"page": "history"},
            )
        return response

    def log_addition(self, request, obj, message):
        audit_record(
            actor=request.user, action=AuditEvent.Action.CREATE, object_type=self._audit_type(), object_id=obj.pk
        )
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        audit_record(
            actor=request.user, action=AuditEvent.Action.UPDATE, object_type=self._audit_type(), object_id=obj.pk
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        audit_record_all(
            {
                "actor": request.user,
                "action": AuditEvent.Action.DELETE,
                "object_type": self._audit_type(),
                "object_id": obj.pk,
            }
            for obj in queryset
        )
        return super().log_deletions(request, queryset)
