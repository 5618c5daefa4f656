from django.contrib import admin

from stations.models import FavoriteStation, Station


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "address",
        "owner",
        "latitude",
        "longitude",
        "google_place_id",
        "osm_id",
        "updated_at",
    ]
    search_fields = ["name", "address", "google_place_id", "osm_id", "owner__username"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "address", "phone", "website", "owner"]}),
        (
            "Location",
            {
                "fields": ["latitude", "longitude"],
                "description": "Decimal degrees: latitude -90 to 90, longitude -180 to 180.",
            },
        ),
        (
            "Source",
            {
                "fields": ["google_place_id", "osm_id", "created_at", "updated_at"],
                "description": "Leave both IDs empty for a station added by hand.",
            },
        ),
    ]


@admin.register(FavoriteStation)
class FavoriteStationAdmin(admin.ModelAdmin):
    list_display = ["station", "user", "note", "created_at"]
    search_fields = ["station__name", "user__username", "note"]
    list_select_related = ["station", "user"]
    raw_id_fields = ["station"]
    readonly_fields = ["created_at"]
