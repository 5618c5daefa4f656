from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("accounts/notifications/", views.preferences, name="preferences"),
    path("accounts/notifications/push/", views.add_push, name="add_push"),
    path("accounts/notifications/push/<int:pk>/test/", views.test_push, name="test_push"),
    path("accounts/notifications/push/<int:pk>/delete/", views.delete_push, name="delete_push"),
    path("accounts/notifications/calendar/", views.renew_calendar, name="renew_calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
