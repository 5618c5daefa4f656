from django.urls import path

from stations import views

app_name = "stations"
EDIT, DELETE = "stations:edit", "stations:delete"

urlpatterns = [
    path("", views.index, name="index"),
    path("add/", views.add, name="add"),
    path("<uuid:pk>/save/", views.save, name="save"),
    path("favorites/<int:pk>/edit/", views.edit, name="edit"),
    path("favorites/<int:pk>/delete/", views.delete, name="delete"),
    # The addresses before issue 13, which a bookmark or an open form may still use: the note
    # form, the removal page and the removal itself.
    path("favourites/<int:pk>/edit/", views.moved, {"to": EDIT}, name="moved_edit"),
    path("favourites/<int:pk>/remove/", views.moved, {"to": DELETE}, name="moved_remove"),
    path("favourites/<int:pk>/delete/", views.moved, {"to": DELETE}, name="moved_delete"),
]
