from django.urls import path

from stations import views

app_name = "stations"

urlpatterns = [
    path("", views.index, name="index"),
    path("<uuid:station_id>/save/", views.save, name="save"),
    path("favourites/<int:favourite_id>/edit/", views.edit, name="edit"),
    path("favourites/<int:favourite_id>/remove/", views.confirm_remove, name="confirm_remove"),
    path("favourites/<int:favourite_id>/delete/", views.remove, name="remove"),
]
