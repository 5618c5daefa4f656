from django.urls import URLPattern, URLResolver, include, path

from vehicles import views

app_name = "vehicles"

# The vehicle page itself ("<uuid:pk>/", name "detail") shows every app's records, and its edit
# page ("<uuid:pk>/edit/", name "edit") converts them when the units change, so both are composed
# in motovault (motovault/urls.py adds them to this namespace).
vehicle_urls = [
    path("delete/", views.delete, name="delete"),
    path("restore/", views.restore, name="restore"),
    path("odometer/", views.readings, name="odometer"),
    path("odometer/add/", views.add_reading, name="add_reading"),
    path("odometer/export.csv", views.export_readings, name="export_readings"),
]

# An odometer reading's own pages: object routes name their object `pk`.
reading_urls = [
    path("edit/", views.edit_reading, name="edit_reading"),
    path("delete/", views.delete_reading, name="delete_reading"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("add/", views.add, name="add"),
    path("decode/", views.decode, name="decode"),
    path("deleted/", views.deleted, name="deleted"),
    path("<uuid:pk>/", include(vehicle_urls)),
    path("odometer/<uuid:pk>/", include(reading_urls)),
]
