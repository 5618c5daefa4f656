from django.urls import URLPattern, URLResolver, include, path

from vehicles import views

app_name = "vehicles"

# The vehicle page itself ("<uuid:pk>/", name "detail") shows every app's records, and its edit
# page ("<uuid:pk>/edit/", name "edit") converts them when the units change, so both are composed
# in motovault (motovault/urls.py adds them to this namespace).
vehicle_urls = [
    path("delete/", views.delete, name="delete"),
    path("restore/", views.restore, name="restore"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("add/", views.add, name="add"),
    path("decode/", views.decode, name="decode"),
    path("deleted/", views.deleted, name="deleted"),
    path("<uuid:pk>/", include(vehicle_urls)),
]
