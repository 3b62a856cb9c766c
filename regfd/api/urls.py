from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import DeadlinePreviewView, IncidentViewSet, MarketClosureViewSet

app_name = "regfd-api"

router = SimpleRouter()
router.register("incidents", IncidentViewSet, basename="incident")
router.register("calendar", MarketClosureViewSet, basename="calendar")

urlpatterns = router.urls + [
    path("deadline/", DeadlinePreviewView.as_view(), name="deadline"),
]

# Policy records: spokespersons, requests for MNPI, communications, earnings, Regulation G, the other records
# and the policy's distribution (regfd/api/records.py).
from .records import (  # noqa: E402
    CommunicationViewSet,
    EarningsEventViewSet,
    InformationRequestViewSet,
    KeepingCurrentViewSet,
    NonGaapDelegationViewSet,
    NonGaapReviewViewSet,
    PolicyDistributionViewSet,
    PolicyRecordViewSet,
    SpokespersonAuthorizationViewSet,
)

records_router = SimpleRouter()
records_router.register(
    "spokesperson-authorizations", SpokespersonAuthorizationViewSet, basename="spokesperson-authorization"
)
records_router.register("keeping-current", KeepingCurrentViewSet, basename="keeping-current")
records_router.register("information-requests", InformationRequestViewSet, basename="information-request")
records_router.register("communications", CommunicationViewSet, basename="communication")
records_router.register("earnings-events", EarningsEventViewSet, basename="earnings-event")
records_router.register("nongaap-reviews", NonGaapReviewViewSet, basename="nongaap-review")
records_router.register("nongaap-delegations", NonGaapDelegationViewSet, basename="nongaap-delegation")
records_router.register("policy-records", PolicyRecordViewSet, basename="policy-record")
records_router.register("policy-distributions", PolicyDistributionViewSet, basename="policy-distribution")
urlpatterns += records_router.urls

# The library of public statements, and the statements attached to incidents as evidence (docs/regfd-rules
# §2.9).
from .public_statements import PublicStatementViewSet, StatementEvidenceViewSet  # noqa: E402

statements_router = SimpleRouter()
statements_router.register("public-statements", PublicStatementViewSet, basename="public-statement")
statements_router.register("statement-evidence", StatementEvidenceViewSet, basename="statement-evidence")
urlpatterns += statements_router.urls
