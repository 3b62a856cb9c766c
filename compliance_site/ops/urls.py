from django.urls import path

from . import views

app_name = "ops"

urlpatterns = [
    path("", views.status, name="status"),
    path("reminders/<int:pk>/retry/", views.reminder_retry, name="reminder-retry"),
    path("chat-messages/<int:pk>/retry/", views.webhook_retry, name="webhook-retry"),
]
