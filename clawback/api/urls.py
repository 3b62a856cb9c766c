from rest_framework.routers import SimpleRouter

from .views import AwardViewSet, ExecutiveViewSet, RestatementViewSet

app_name = "clawback-api"

router = SimpleRouter()
router.register("restatements", RestatementViewSet, basename="restatement")
router.register("executives", ExecutiveViewSet, basename="executive")
router.register("awards", AwardViewSet, basename="award")

urlpatterns = [
    *router.urls,
    # --- What-if (reserved): the lead adds the what-if endpoint's path here. ---
]
