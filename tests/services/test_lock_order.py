"""Finding 7: a case update and an audit append locked the company row and the audit head in opposite orders,
and PostgreSQL answered "deadlock detected". Locks are now always taken in one order, the audit head first
(docs/architecture.md, "Lock order").

Two real services, each on its own connection, forced into the interleaving that deadlocked:

- a workflow step on the case (`confirm_no_indemnification`) locks the case and its company row, then saves
  the case, which appends to the audit trail;
- a change of an award (`update_award`) saves the award, which appends to the audit trail, then rechecks the
  approval of the case covering it, which locks the case and its company row.

Runs on PostgreSQL only (SQLite serialises writers on the whole file and never deadlocks on rows).
"""

import threading

import pytest
from django.db import connection
from django.db.models.signals import post_save, pre_save

from clawback.models import Award, Restatement
from clawback.services import determinations as workflow
from clawback.services import records
from tests.clawback.workflow_setup import NOW, award, reviewed_example_2

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# Long enough for PostgreSQL's deadlock_timeout (1 s) to fire before the fix; after it the step that waits
# for the other thread is simply queued behind the audit head, so its wait runs out and it carries on.
HANDSHAKE_SECONDS = 3


def _run(name, target, results):
    def body():
        try:
            target()
            results[name] = "done"
        except Exception as exc:  # the assertion below shows which thread failed and why
            results[name] = f"{type(exc).__name__}: {exc}"
        finally:
            connection.close()

    return threading.Thread(target=body, name=name, daemon=True)


def test_case_update_and_award_change_do_not_deadlock(users):
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL=postgres://… (make test-services)")
    case = reviewed_example_2(users)
    bonus = award(case, "ceo-fy2024-bonus")
    case_locked, head_held = threading.Event(), threading.Event()

    def case_saving(sender, instance, **kwargs):
        # In the case thread: the case (and its company row) is locked, the case not yet saved.
        if threading.current_thread().name == "case":
            case_locked.set()
            head_held.wait(HANDSHAKE_SECONDS)

    def award_saved(sender, instance, **kwargs):
        # In the award thread: the award's audit event is appended, the approval not yet rechecked.
        if threading.current_thread().name == "award":
            head_held.set()

    def case_step():
        workflow.confirm_no_indemnification(actor=users["secretary"], case=case, now=NOW)

    def award_change():
        case_locked.wait(HANDSHAKE_SECONDS)
        terms = {name: getattr(bonus, name) for name in records.AWARD_TERMS}
        terms["notes"] = "Payment date confirmed with payroll."
        records.update_award(actor=users["secretary"], award=bonus, now=NOW, **terms)

    pre_save.connect(case_saving, sender=Restatement, dispatch_uid="lock-order-case")
    post_save.connect(award_saved, sender=Award, dispatch_uid="lock-order-award")
    results: dict[str, str] = {}
    threads = [_run("case", case_step, results), _run("award", award_change, results)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        pre_save.disconnect(dispatch_uid="lock-order-case", sender=Restatement)
        post_save.disconnect(dispatch_uid="lock-order-award", sender=Award)

    assert results == {"case": "done", "award": "done"}, results
    case.refresh_from_db()
    bonus.refresh_from_db()
    assert case.no_indemnification_confirmed_at == NOW
    assert bonus.notes == "Payment date confirmed with payroll."
