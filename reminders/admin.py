from django.contrib import admin

from reminders.models import Delivery, Digest, NotificationSettings


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "email_digest", "digest_hour"]
    # The calendar token is a secret: not shown, not searchable.
    exclude = ["calendar_token"]
    search_fields = ["user__username"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    readonly_fields = ["channel", "sent_at"]


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["user", "day", "created_at"]
    list_filter = ["day"]
    readonly_fields = ["user", "day", "items", "created_at"]
    inlines = [DeliveryInline]
