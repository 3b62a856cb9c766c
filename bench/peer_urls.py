"""The bench server's URLconf (bench/settings.py): the app's own URLs, unchanged and first, then the stock
peers (bench/peers.py) under /bench-peer/."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from compliance_site.urls import handler400, handler403, handler404, handler500  # noqa: F401
from compliance_site.urls import urlpatterns as app_urlpatterns

from . import peers

router = SimpleRouter()
router.register("incidents", peers.IncidentViewSet, basename="peer-incident")
router.register("awards", peers.AwardViewSet, basename="peer-award")
router.register("executives", peers.ExecutiveViewSet, basename="peer-executive")
router.register("audit-events", peers.AuditEventViewSet, basename="peer-audit-event")
router.register("documents", peers.DocumentViewSet, basename="peer-document")

urlpatterns = [
    *app_urlpatterns,
    path("bench-peer/json/", peers.bare_json, name="peer-json"),
    path("bench-peer/drf/", peers.BareTokenView.as_view(), name="peer-drf"),
    path("bench-peer/api/", include(router.urls)),
    path("bench-peer/incidents/", peers.IncidentListView.as_view(), name="peer-incident-list"),
]
