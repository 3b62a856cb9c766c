from django.urls import path

from . import views
from .webhooks import views as webhook_views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/read/", views.notification_read, name="read"),
    path("read-all/", views.notification_read_all, name="read-all"),
    path("chat-channels/", webhook_views.webhook_list, name="webhook-list"),
    path("chat-channels/add/", webhook_views.webhook_add, name="webhook-add"),
    path("chat-channels/<int:pk>/", webhook_views.webhook_edit, name="webhook-edit"),
]
