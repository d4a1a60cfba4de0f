"""Django admin for core's records: the controlled topic list. Topics are never deleted (themes count on their
slugs); they are deactivated instead."""

from django.contrib import admin

from nabij.core import events
from nabij.core.models import Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["slug", "label", "label_en", "is_active", "position"]
    list_filter = ["is_active"]
    search_fields = ["slug", "label", "label_en"]
    ordering = ["position", "label"]

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj is not None else []  # the slug is the stable key

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"label", "label_en"} & set(form.changed_data):
            events.topic_renamed.announce(topic_id=obj.pk)  # as services.topic_update does
