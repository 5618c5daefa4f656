from django.contrib import admin

from recalls.models import Campaign


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["campaign_number", "model_year", "make", "model", "park_it", "park_outside"]
    search_fields = ["campaign_number", "make", "model"]
    readonly_fields = [field.name for field in Campaign._meta.fields]
