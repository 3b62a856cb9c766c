from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import CompanyView, FiscalPeriodViewSet, PolicyVersionViewSet, SeatViewSet

app_name = "company-api"

router = SimpleRouter()
router.register("fiscal-periods", FiscalPeriodViewSet, basename="fiscal-period")
router.register("policies", PolicyVersionViewSet, basename="policy")
router.register("seats", SeatViewSet, basename="seat")

urlpatterns = [
    path("company/", CompanyView.as_view(), name="company"),
    *router.urls,
]
