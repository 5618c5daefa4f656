from django.urls import path

from imports import archive_views

app_name = "archive"

urlpatterns = [
    path("archive.zip", archive_views.download, name="download"),
]
