from django.contrib import admin

from accounts.forms import PreferencesForm
from accounts.models import Preferences


@admin.register(Preferences)
class PreferencesAdmin(admin.ModelAdmin):
    # The account page's checks: a locale and a currency Babel knows, a zone this server knows.
    form = PreferencesForm
    list_display = [
        "user",
        "locale",
        "currency",
        "economy_unit",
        "electric_economy_unit",
        "time_zone",
    ]
    list_filter = ["economy_unit", "electric_economy_unit", "currency", "locale"]
    search_fields = ["user__username", "time_zone", "locale", "currency"]
    raw_id_fields = ["user"]
