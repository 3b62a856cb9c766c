from rest_framework.routers import SimpleRouter

from .views import AttachmentViewSet

app_name = "attachments-api"

router = SimpleRouter()
router.register("attachments", AttachmentViewSet, basename="attachment")

urlpatterns = router.urls
