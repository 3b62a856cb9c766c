"""Clawback records API, one module per noun: executives, measures, awards, restatements (with their events,
restated values and the committee's estimates), acknowledgements, a case's worksheet and scenario, and the
recovery ledger's reversals. This module gathers their routes and keeps the names clawback.api.urls imports.

Writes are POSTs to `<noun>/create/`, `<noun>/{id}/update/` (an update sends the whole record again, as the
form does; listed parts such as officer periods merge and are never removed) and `<record>/void/` with a
reason; they need clawback.manage. Nothing is deleted. A record the caller cannot see is a 404, and a covered
executive never sees the case about their own pay (clawback.selectors).
"""

from . import acknowledgements, awards, executives, measures, recovery_events, restatements, worksheet
from .awards import AwardViewSet
from .executives import ExecutiveViewSet
from .measures import MeasureViewSet
from .restatements import RestatementViewSet

__all__ = ["AwardViewSet", "ExecutiveViewSet", "MeasureViewSet", "RestatementViewSet", "urlpatterns"]

urlpatterns = [
    *acknowledgements.urlpatterns,
    *executives.urlpatterns,
    *measures.urlpatterns,
    *awards.urlpatterns,
    *restatements.urlpatterns,
    *worksheet.urlpatterns,
    *recovery_events.urlpatterns,
]
