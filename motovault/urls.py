from django.contrib import admin
from django.urls import include, path

from motovault import views
from vehicles import urls as vehicle_urls

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/delete/", views.delete_account, name="delete_account"),
    path("", include("reminders.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("imports.archive_urls")),
    path("accounts/tokens/", include("api.token_urls")),
    path("api/v1/", include("api.urls", namespace="api")),
    path("admin/", admin.site.urls),
    path(
        "vehicles/",
        include(
            (
                [
                    *vehicle_urls.urlpatterns,
                    path("<uuid:pk>/", views.vehicle, name="detail"),
                    path("<uuid:pk>/edit/", views.edit_vehicle, name="edit"),
                ],
                vehicle_urls.app_name,
            )
        ),
    ),
    path("fuel/", include("fuellogs.urls")),
    path("maintenance/", include("maintenance.urls")),
    path("costs/", include("costs.urls")),
    path("stations/", include("stations.urls")),
    path("import/", include("imports.urls")),
    path("recalls/", include("recalls.urls")),
    path("attachments/", include("attachments.urls")),
]

handler500 = "motovault.views.server_error"
