from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("<uuid:pk>/", views.preview, name="preview"),
    path("<uuid:pk>/confirm/", views.confirm, name="confirm"),
]
