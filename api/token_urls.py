from django.urls import path

from api import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
]
