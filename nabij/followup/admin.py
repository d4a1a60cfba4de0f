from django.contrib import admin

from nabij.core import events
from nabij.followup.models import DigestSent, Promise, PromiseHandover, Referral, ReferralStatusChange
from nabij.privacy.admin_audit import AuditedAdminMixin


class PromiseHandoverInline(admin.TabularInline):
    model = PromiseHandover
    extra = 0
    readonly_fields = ["from_user", "to_user", "note", "by", "at"]


@admin.register(Promise)
class PromiseAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["description", "owner", "buurt", "due_date", "status"]
    list_filter = ["status"]
    raw_id_fields = ["owner", "created_by", "resident", "initiative", "contact_moment", "buurt"]
    inlines = [PromiseHandoverInline]


class ReferralStatusChangeInline(admin.TabularInline):
    model = ReferralStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "note", "by", "at"]


@admin.register(Referral)
class ReferralAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["provider", "topic", "worker", "buurt", "status", "navragen_op"]
    list_filter = ["status", "warm"]
    raw_id_fields = ["provider", "worker", "resident", "contact_moment", "buurt"]
    inlines = [ReferralStatusChangeInline]

    def save_model(self, request, obj, form, change):
        """A referral moved to another buurt here is announced as one, so theme counts follow (0034)."""
        old_buurt_code = Referral.objects.filter(pk=obj.pk).values_list("buurt_id", flat=True).first()
        super().save_model(request, obj, form, change)
        if change and old_buurt_code != obj.buurt_id:
            events.referral_made.announce(
                buurt_code=obj.buurt_id,
                created_at=obj.created_at,
                old_buurt_code=old_buurt_code,
                old_created_at=obj.created_at,
            )


@admin.register(DigestSent)
class DigestSentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "day", "claimed_at", "sent_at", "item_count"]
