from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import AwardViewSet, ExecutiveViewSet, RestatementViewSet
from .whatif import WhatIfView

app_name = "clawback-api"

router = SimpleRouter()
router.register("restatements", RestatementViewSet, basename="restatement")
router.register("executives", ExecutiveViewSet, basename="executive")
router.register("awards", AwardViewSet, basename="award")

urlpatterns = [
    *router.urls,
    path("what-if/", WhatIfView.as_view(), name="whatif"),
]
