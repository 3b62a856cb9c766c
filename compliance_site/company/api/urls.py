from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import CompanyView, FiscalPeriodViewSet, PolicyVersionViewSet

app_name = "company-api"

router = SimpleRouter()
router.register("fiscal-periods", FiscalPeriodViewSet, basename="fiscal-period")
router.register("policies", PolicyVersionViewSet, basename="policy")

urlpatterns = [
    path("company/", CompanyView.as_view(), name="company"),
    *router.urls,
]
