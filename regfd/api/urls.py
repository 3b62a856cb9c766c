from rest_framework.routers import SimpleRouter

from .views import IncidentViewSet

app_name = "regfd-api"

router = SimpleRouter()
router.register("incidents", IncidentViewSet, basename="incident")

urlpatterns = router.urls
