"""Django admin for the contacts app: a technical view for superusers, not a second way to write personal data.

Free text about residents (notes, resident labels) is only ever written through the services, which de-identify
it first. So the admin shows those fields read-only and cannot add contact moments, observations or residents:
nothing typed here can bypass de-identification. The topic list is core's (core/admin.py). A change or deletion
here is announced as the correction services announce theirs (nabij.core.events), so theme counts follow.
"""

from django.contrib import admin

from nabij.contacts.models import (
    ContactMoment,
    ContactMomentTopic,
    Resident,
    ResidentConsent,
    Round,
    RoundPlan,
    Signal,
)
from nabij.core import events
from nabij.privacy import erasure as privacy_erasure
from nabij.privacy.admin_audit import AuditedAdminMixin


@admin.register(RoundPlan)
class RoundPlanAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "weekday", "start_time", "end_time", "owner", "team", "is_active"]
    list_filter = ["is_active", "weekday"]
    search_fields = ["name"]
    raw_id_fields = ["owner", "team", "buurten"]


@admin.register(Round)
class RoundAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "worker", "started_at", "ended_at"]
    list_select_related = ["plan", "worker"]
    raw_id_fields = ["plan", "worker", "buurten"]
    date_hierarchy = "started_at"


class ContactMomentTopicInline(admin.TabularInline):
    model = ContactMomentTopic
    extra = 0
    raw_id_fields = ["topic"]


class NoFreeTextAdmin(admin.ModelAdmin):
    """Stored free text is shown as stored (de-identified) and cannot be edited; new rows come from the app."""

    free_text_fields: tuple[str, ...] = ("note",)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self.free_text_fields]

    def has_add_permission(self, request):
        return False


class AnnouncedAdmin(admin.ModelAdmin):
    """Announces a change (after its inlines are saved) and a deletion of a record with a buurt and a moment."""

    corrected: events.Event
    removed: events.Event

    def save_model(self, request, obj, form, change):
        manager = type(obj)._default_manager
        obj._old_place = manager.filter(pk=obj.pk).values_list("buurt_id", "occurred_at").first() if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        old_buurt_code, old_occurred_at = getattr(obj, "_old_place", None) or (obj.buurt_id, obj.occurred_at)
        self.corrected.announce(
            buurt_code=obj.buurt_id,
            occurred_at=obj.occurred_at,
            old_buurt_code=old_buurt_code,
            old_occurred_at=old_occurred_at,
        )

    def delete_model(self, request, obj):
        place = (obj.buurt_id, obj.occurred_at)
        super().delete_model(request, obj)
        self.removed.announce(buurt_code=place[0], occurred_at=place[1])

    def delete_queryset(self, request, queryset):
        places = set(queryset.values_list("buurt_id", "occurred_at"))
        super().delete_queryset(request, queryset)
        for buurt_code, occurred_at in places:
            self.removed.announce(buurt_code=buurt_code, occurred_at=occurred_at)


@admin.register(ContactMoment)
class ContactMomentAdmin(AuditedAdminMixin, NoFreeTextAdmin, AnnouncedAdmin):
    list_display = ["occurred_at", "buurt", "channel", "worker", "needs_follow_up"]
    list_filter = ["channel", "needs_follow_up"]
    list_select_related = ["buurt", "worker"]
    raw_id_fields = ["buurt", "resident", "worker", "round"]
    date_hierarchy = "occurred_at"
    inlines = [ContactMomentTopicInline]
    corrected, removed = events.contact_corrected, events.contact_removed


@admin.register(Signal)
class SignalAdmin(AuditedAdminMixin, NoFreeTextAdmin, AnnouncedAdmin):
    list_display = ["occurred_at", "buurt", "topic", "status", "worker"]
    list_filter = ["status"]
    list_select_related = ["buurt", "topic", "worker"]
    raw_id_fields = ["buurt", "topic", "worker", "round"]
    date_hierarchy = "occurred_at"
    corrected, removed = events.signal_corrected, events.signal_removed


class ResidentConsentInline(admin.TabularInline):
    """The consent history, read-only: consent is given on the resident's page, never made up here."""

    model = ResidentConsent
    extra = 0
    can_delete = False
    fields = ["given", "at", "recorded_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Resident)
class ResidentAdmin(AuditedAdminMixin, NoFreeTextAdmin):
    # Consent is recorded by the services (with its history row), so the admin shows it read-only.
    free_text_fields = ("label", "consent", "consent_date", "consent_recorded_by")
    inlines = [ResidentConsentInline]
    list_display = ["label", "buurt", "consent", "consent_date"]
    list_filter = ["consent"]
    list_select_related = ["buurt"]
    raw_id_fields = ["buurt", "consent_recorded_by", "created_by"]

    # Deleting a resident is an erasure (AVG art. 17): a plain delete would leave their notes, promises and
    # referrals with their text, and the admin's change log with their label (docs/decisions/0019-erasure.md).
    def delete_model(self, request, obj):
        privacy_erasure.residents_erase_in_admin(actor=request.user, residents=Resident.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        privacy_erasure.residents_erase_in_admin(actor=request.user, residents=queryset)
