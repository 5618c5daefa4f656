from django.urls import path

from maintenance import views

app_name = "maintenance"

urlpatterns = [
    path("", views.index, name="index"),
    path("upcoming/", views.upcoming, name="upcoming"),
    path("add/", views.add, name="add"),
    path("export.csv", views.export, name="export"),
    path("<uuid:pk>/edit/", views.edit, name="edit"),
    path("<uuid:pk>/delete/", views.delete, name="delete"),
    path("<uuid:pk>/complete/", views.complete, name="complete"),
]
