"""Reg FD workflows, one module per noun; every business action is one function, called by views, the
API, the admin and tasks alike."""

from .calendar import add_market_closure, deactivate_market_closure
from .incidents import (
    apply_deadline,
    close_not_required,
    open_incident,
    recompute_open_deadlines,
    record_public_disclosure,
)

__all__ = [
    "add_market_closure",
    "apply_deadline",
    "close_not_required",
    "deactivate_market_closure",
    "open_incident",
    "record_public_disclosure",
    "recompute_open_deadlines",
]
