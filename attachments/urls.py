from django.urls import path

from attachments import views

app_name = "attachments"

# Uploads live under ATTACHMENT_UPLOAD_PATH ("/attachments/upload/"), whose requests may be as
# large as a file allows (motovault.limits).
urlpatterns = [
    # One name: reverse("attachments:upload", kwargs={"kind": ..., "pk": ...}) picks the path.
    *(
        path(f"upload/{kind}/<uuid:pk>/", views.upload, {"kind": kind}, name="upload")
        for kind in views.PARENTS
    ),
    path("<uuid:pk>/", views.download, name="download"),
    path("<uuid:pk>/thumbnail/", views.thumbnail, name="thumbnail"),
    path("<uuid:pk>/delete/", views.delete, name="delete"),
    path("<uuid:pk>/photo/", views.set_photo, name="set_photo"),
]
