from django.urls import path

from costs import views

app_name = "costs"

urlpatterns = [
    path("", views.index, name="index"),
    path("add/", views.add, name="add"),
    path("export.csv", views.export, name="export"),
    path("<uuid:pk>/edit/", views.edit, name="edit"),
    path("<uuid:pk>/delete/", views.delete, name="delete"),
]
