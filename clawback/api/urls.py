from django.urls import path
from rest_framework.routers import SimpleRouter

from .records import urlpatterns as records_urlpatterns
from .whatif import WhatIfView

app_name = "clawback-api"

urlpatterns = [
    *records_urlpatterns,
    path("what-if/", WhatIfView.as_view(), name="whatif"),
]

# ---- determination workflow, recovery and Item 402(w) disclosure (clawback.api.workflow) ----
from .votes import DecisionViewSet  # noqa: E402
from .workflow import (  # noqa: E402  (appended: the routes above belong to the records module)
    CaseWorkflowViewSet,
    ClaimViewSet,
    DeterminationViewSet,
    DisclosureView,
)

workflow_router = SimpleRouter()
workflow_router.register("restatements", CaseWorkflowViewSet, basename="case")
workflow_router.register("determinations", DeterminationViewSet, basename="determination")
workflow_router.register("decisions", DecisionViewSet, basename="decision")
workflow_router.register("claims", ClaimViewSet, basename="claim")

urlpatterns += [
    *workflow_router.urls,
    path("disclosure/", DisclosureView.as_view(), name="disclosure"),
]

# ---- Item 402(w) tagged for EDGAR in Inline XBRL (clawback.api.ixbrl) ----
from .ixbrl import DisclosureIxbrlView  # noqa: E402

urlpatterns += [path("disclosure/ixbrl/", DisclosureIxbrlView.as_view(), name="disclosure-ixbrl")]

# ---- Event studies behind a stock price or TSR estimate (clawback.api.event_studies) ----
from .event_studies import urlpatterns as event_study_urlpatterns  # noqa: E402

urlpatterns += event_study_urlpatterns
