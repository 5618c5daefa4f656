from django.contrib import admin
from django.http import HttpRequest

from attachments.models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    """Read-only: files come in through the owner's upload, which checks and cleans them."""

    list_display = ["name", "user", "content_type", "size", "created_at"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username"]
    readonly_fields = [field.name for field in Attachment._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Attachment | None = None) -> bool:
        return False
