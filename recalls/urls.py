from django.urls import path

from recalls import views

app_name = "recalls"
urlpatterns = [
    path("<uuid:pk>/status/", views.set_status, name="set_status"),
]
