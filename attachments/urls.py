from django.urls import path, re_path

from attachments import views

app_name = "attachments"

# Uploads live under ATTACHMENT_UPLOAD_PATH ("/attachments/upload/"), whose requests may be as
# large as a file allows (motovault.limits).
urlpatterns = [
    re_path(
        r"^upload/(?P<kind>vehicle|fuel|maintenance)/(?P<pk>[0-9a-f-]{36})/$",
        views.upload,
        name="upload",
    ),
    path("<uuid:pk>/", views.download, name="download"),
    path("<uuid:pk>/thumbnail/", views.thumbnail, name="thumbnail"),
    path("<uuid:pk>/delete/", views.delete, name="delete"),
    path("<uuid:pk>/photo/", views.set_photo, name="set_photo"),
]
