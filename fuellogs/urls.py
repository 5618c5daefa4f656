from django.urls import path

from fuellogs import views

app_name = "fuellogs"

urlpatterns = [
    path("", views.index, name="index"),
    path("add/", views.add, name="add"),
    path("export.csv", views.export, name="export"),
    path("<uuid:pk>/edit/", views.edit, name="edit"),
    path("<uuid:pk>/delete/", views.delete, name="delete"),
    path("<uuid:pk>/clear-missed/", views.clear_missed, name="clear_missed"),
]
