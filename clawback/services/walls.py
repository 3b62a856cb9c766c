"""Walls: who may change a case's inputs (policy "Administration"; docs/clawback-rules §1.12).

A member recused from a case, and an executive the case covers, take no part in it
(`review.cases_walled_from`, the one wall): they take none of its steps (`review._participant`), and they
do not change what it is computed from. The inputs of a case are
the case itself (its kind and covered executives), its events, its restated values and the committee's
estimates, and the company's records the engine reads for it: the covered executives' officer service and
awards (with their goals and amounts already recovered), the measures and their values. Those records are
shared between cases, so a change is refused to anyone walled from *any* case reading the record
(`approvals.cases_affected_by`, drafts included: a recusal holds from the day it is recorded).

One function decides it, `check_may_change_inputs`, called first by every service that creates, changes or
voids an input, so the pages, the API, the importer and the admin are refused alike."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from ..models import Award, AwardComponent, AwardCredit, Executive, OfficerPeriod
from .approvals import cases_affected_by
from .review import cases_walled_from

# Says no more than why: which case, and why the person is walled from it, are not for everyone to read.
WALLED = (
    "You cannot change this record: you are recused from a case this record is an input of. "
    "Ask a committee member who takes part in the case to make the change."
)


def _own_pay(actor, record) -> bool:
    """A record of the actor's own compensation (their executive record, service, awards): hidden from them
    like the case about it (clawback.selectors), so never theirs to change, whether a case covers it yet
    or not."""
    if isinstance(record, Executive):
        owner = record.user_id
    elif isinstance(record, OfficerPeriod | Award):
        owner = record.executive.user_id if record.executive_id else None
    elif isinstance(record, AwardComponent | AwardCredit):
        owner = record.award.executive.user_id if record.award_id else None
    else:
        return False
    return owner is not None and owner == actor.pk


def check_may_change_inputs(actor, record_or_case) -> None:
    """Refuse (PermissionDenied) a change of `record_or_case` by someone walled from a case it is an input
    of: the case itself, its event, restated value or estimate, or a record of the company a case reads.
    A change made by the system (no actor) is not a person's: it is not refused here."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return
    if _own_pay(actor, record_or_case):
        raise PermissionDenied(WALLED)
    reading = cases_affected_by(record_or_case, include_drafts=True)
    if reading.filter(pk__in=cases_walled_from(actor).values("pk")).exists():
        raise PermissionDenied(WALLED)


def check_may_cover(actor, executives) -> None:
    """A case's covered executives as changed by `actor`: never including the actor (a case about their own
    pay would be one they put on record and then could not see)."""
    if actor is not None and any(x.user_id is not None and x.user_id == actor.pk for x in executives):
        raise PermissionDenied(WALLED)
