"""Clawback records API, one module per noun: executives, measures, awards, restatements (with their events,
restated values and the committee's estimates), acknowledgements, a case's worksheet and scenario, and the
recovery ledger's reversals. This module gathers their routes and keeps the names clawback.api.urls imports.

Each noun is a register (clawback.api.base): writes are POSTs to `<noun>/create/`, `<noun>/{id}/update/` (an
update sends the whole record again, as the form does; listed parts such as officer periods merge and are
never removed) and `<record>/void/` with a reason; they need clawback.manage. Nothing is deleted. A record
the caller cannot see is a 404, and a covered executive never sees the case about their own pay
(clawback.selectors).
"""

from rest_framework.routers import SimpleRouter

from . import acknowledgements, worksheet
from .acknowledgements import AcknowledgementWrites
from .awards import AwardViewSet
from .executives import ExecutiveViewSet
from .measures import MeasureViewSet
from .recovery_events import RecoveryLedgerWrites
from .restatements import RestatementViewSet

__all__ = ["AwardViewSet", "ExecutiveViewSet", "MeasureViewSet", "RestatementViewSet", "urlpatterns"]

REGISTERS = [
    ("restatements", RestatementViewSet, "restatement"),
    ("executives", ExecutiveViewSet, "executive"),
    ("awards", AwardViewSet, "award"),
    ("measures", MeasureViewSet, "measure"),
    ("acknowledgements", AcknowledgementWrites, "acknowledgement"),
    ("claims", RecoveryLedgerWrites, "claim"),
]
router = SimpleRouter()
for prefix, viewset, basename in REGISTERS:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    *acknowledgements.urlpatterns,
    *router.urls,
    *worksheet.urlpatterns,
]
