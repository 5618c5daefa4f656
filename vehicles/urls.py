from django.urls import include, path

from vehicles import views

app_name = "vehicles"

vehicle_urls = [
    path("", views.detail, name="detail"),
    path("edit/", views.edit, name="edit"),
    path("delete/", views.delete, name="delete"),
    path("restore/", views.restore, name="restore"),
]

urlpatterns = [
    path("", views.index, name="index"),
    path("add/", views.add, name="add"),
    path("decode/", views.decode, name="decode"),
    path("deleted/", views.deleted, name="deleted"),
    path("<uuid:vehicle_id>/", include(vehicle_urls)),
]
