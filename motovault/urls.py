from django.contrib import admin
from django.urls import include, path

from motovault import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("vehicles/", include("vehicles.urls")),
    path("fuel/", include("fuellogs.urls")),
    path("maintenance/", include("maintenance.urls")),
    path("stations/", include("stations.urls")),
]

handler500 = "motovault.views.server_error"
