from rest_framework.routers import SimpleRouter

from .views import NotificationViewSet
from .webhooks import WebhookEndpointViewSet

app_name = "notifications-api"

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")
router.register("chat-channels", WebhookEndpointViewSet, basename="webhook-endpoint")

urlpatterns = router.urls
