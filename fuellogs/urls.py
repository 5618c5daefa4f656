from django.urls import path

from fuellogs import views

app_name = "fuellogs"

urlpatterns = [
    path("", views.index, name="index"),
]
