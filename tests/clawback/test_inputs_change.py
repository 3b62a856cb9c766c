"""Issue 4: "any later change to an input invalidates the approval and requires a new one" — at once, in the
transaction of the change, audited, whichever record changes and whichever way it is changed (the record
services, the pages, the API, the spreadsheet import, a scenario import).

Built on worked example 2 approved by the committee (tests/clawback/workflow_setup.py)."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from clawback.models import Award, Determination, Executive, Measure, Restatement
from clawback.services import determinations as workflow
from clawback.services import records
from clawback.services.imports import import_records, import_scenario_file
from compliance_site.audit.models import AuditEvent
from tests.clawback.compare import example_path
from tests.clawback.workflow_setup import NOW, approve, approved_example_2, award, import_example_2, recover

pytestmark = pytest.mark.django_db
S = Restatement.Status


def terms(item: Award, **changes) -> dict:
    """Every term of an award, as the form and the API send them, with `changes`."""
    return {name: getattr(item, name) for name in records.AWARD_TERMS} | changes


def measure_values(measure: Measure, **original) -> list[dict]:
    return [
        {
            "period_label": v.period_label,
            "original": Decimal(original[v.period_label]) if v.period_label in original else v.original,
            "source": v.source,
        }
        for v in measure.values.all()
    ]


def periods_of(executive: Executive, **changes) -> list[dict]:
    return [
        {"start": p.start, "end": p.end, "title": p.title} | changes for p in executive.officer_periods.all()
    ]


def assert_withdrawn(case: Restatement, approved: Determination, *, reason: str, actor) -> Determination:
    """The approval is gone the moment the service returns: case back in review, the approved
    determination invalidated (saying what changed), a new one frozen for review, both on the audit trail."""
    case.refresh_from_db()
    assert case.status == S.REVIEW
    approved.refresh_from_db()
    assert approved.invalidated_at == NOW
    assert approved.invalidated_reason.startswith("inputs changed: ")
    assert reason in approved.invalidated_reason, approved.invalidated_reason
    assert workflow.approved_determination(case) is None
    fresh = workflow.live_determination(case)
    assert fresh.number == approved.number + 1 and fresh.decision is None and fresh.computed_by == actor
    event = AuditEvent.objects.filter(verb="invalidate_determination", object_id=str(case.pk)).latest("seq")
    assert event.changes["determination"] == approved.number
    assert event.reason.startswith("inputs changed: ") and reason in event.reason
    assert event.changes["approved"] is True
    return fresh


@pytest.fixture
def approved(users):
    case = approved_example_2(users)
    return case, workflow.approved_determination(case)


# --- The record services, one per kind of input --------------------------------------------------------------


def test_changing_an_award_withdraws_the_approval_at_once(users, approved):
    case, determination = approved
    bonus = award(case, "evp-fy2025-bonus")
    records.update_award(
        actor=users["secretary"], award=bonus, now=NOW, **terms(bonus, received=Decimal(380000))
    )
    assert_withdrawn(
        case,
        determination,
        reason="award evp-fy2025-bonus: amount received 360,000 → 380,000",
        actor=users["secretary"],
    )
    # A new decision approves the new amounts.
    approve(case, users)
    case.refresh_from_db()
    assert case.status == S.APPROVED
    assert case.claims.get(executive__key="evp").amount_owed == Decimal("140000.00")


def test_the_withdrawal_is_part_of_the_changes_transaction(users, approved):
    case, determination = approved
    bonus = award(case, "evp-fy2025-bonus")
    with transaction.atomic():
        records.update_award(
            actor=users["secretary"], award=bonus, now=NOW, **terms(bonus, received=Decimal(380000))
        )
        transaction.set_rollback(True)
    # Rolled back together: neither the change nor the withdrawal happened.
    case.refresh_from_db()
    assert case.status == S.APPROVED
    assert award(case, "evp-fy2025-bonus").received == Decimal(360000)
    assert workflow.approved_determination(case) == determination


def _operating_income(case) -> Measure:
    return Measure.objects.get(company=case.company, key="operating_income")


def _add_award(case, actor):
    template = award(case, "ceo-fy2024-bonus")
    data = terms(template, key="ceo-fy2025-bonus", measure_period="FY2025")
    data |= {"performance_start": date(2024, 10, 1), "performance_end": date(2025, 9, 30)}
    records.create_award(actor=actor, executive=template.executive, now=NOW, **data)


def _restate_measure(case, actor):
    records.set_restated_values(
        actor=actor,
        restatement=case,
        values=[
            {"measure": _operating_income(case), "period_label": "FY2025", "restated": Decimal("51000000")}
        ],
        reason="Auditor's final figure",
        now=NOW,
    )


def _correct_original_value(case, actor):
    measure = _operating_income(case)
    records.update_measure(
        actor=actor,
        measure=measure,
        key=measure.key,
        name=measure.name,
        category=measure.category,
        values=measure_values(measure, FY2025="59000000"),
        now=NOW,
    )


def _shorten_officer_service(case, actor):
    evp = Executive.objects.get(company=case.company, key="evp")
    records.update_executive(
        actor=actor,
        executive=evp,
        key=evp.key,
        name=evp.name,
        officer_periods=periods_of(evp, end=date(2024, 9, 30)),
        now=NOW,
    )


def _add_restatement_event(case, actor):
    records.add_restatement_event(
        actor=actor, restatement=case, kind="committee_concluded", date=date(2026, 9, 1), now=NOW
    )


def _correct_restatement_event(case, actor):
    event = case.events.get(kind="board_concluded")
    records.update_restatement_event(
        actor=actor,
        event=event,
        kind=event.kind,
        date=date(2026, 10, 1),
        reason="The minutes give 1 October",
        now=NOW,
    )


def _drop_a_covered_executive(case, actor):
    records.update_restatement(
        actor=actor,
        restatement=case,
        title=case.title,
        kind=case.kind,
        covered_executives=list(case.covered_executives.filter(key="ceo")),
        reason="The EVP's recovery is handled in a separate case",
        now=NOW,
    )


# {what changes: (the change, what the invalidation says)}
INPUT_CHANGES = {
    "a new award of a covered executive": (_add_award, "award ceo-fy2025-bonus added"),
    "a restated measure value": (_restate_measure, "measure Operating income changed"),
    "an original measure value": (_correct_original_value, "measure Operating income changed"),
    "changed officer service": (_shorten_officer_service, "executive Casey Lindqvist changed"),
    "a new restatement event": (_add_restatement_event, "restatement kind or events changed"),
    "a corrected restatement event": (_correct_restatement_event, "restatement kind or events changed"),
    "changed covered executives": (_drop_a_covered_executive, "executive Casey Lindqvist removed"),
}


@pytest.mark.parametrize("change", INPUT_CHANGES)
def test_each_kind_of_input_change_withdraws_the_approval(users, approved, change):
    case, determination = approved
    make_change, reason = INPUT_CHANGES[change]
    make_change(case, users["secretary"])
    assert_withdrawn(case, determination, reason=reason, actor=users["secretary"])


def test_another_cases_restated_figure_leaves_the_approval(users, approved):
    case, determination = approved
    measure = Measure.objects.get(company=case.company, key="operating_income")
    other = records.record_restatement(
        actor=users["secretary"],
        company=case.company,
        title="Another restatement",
        kind="big_r",
        today=NOW.date(),
    )
    records.set_restated_values(
        actor=users["secretary"],
        restatement=other,
        values=[{"measure": measure, "period_label": "FY2025", "restated": Decimal("1")}],
        now=NOW,
    )
    case.refresh_from_db()
    assert case.status == S.APPROVED
    assert workflow.approved_determination(case) == determination


def test_a_change_outside_the_engines_inputs_keeps_the_approval(users, approved):
    case, determination = approved
    frozen = case.determinations.count()
    bonus = award(case, "evp-fy2025-bonus")
    records.update_award(
        actor=users["secretary"], award=bonus, now=NOW, **terms(bonus, notes="Award agreement filed")
    )
    evp = Executive.objects.get(company=case.company, key="evp")
    records.update_executive(
        actor=users["secretary"],
        executive=evp,
        key=evp.key,
        name=evp.name,
        title="Former EVP, Operations",
        officer_periods=periods_of(evp),
        now=NOW,
    )
    case.refresh_from_db()
    assert case.status == S.APPROVED
    assert workflow.approved_determination(case) == determination
    assert case.determinations.count() == frozen


@pytest.mark.parametrize("stage", ["recovery", "closed"])
def test_a_case_in_recovery_or_closed_goes_back_to_review(users, approved, stage):
    case, determination = approved
    secretary = users["secretary"]
    workflow.confirm_no_indemnification(actor=secretary, case=case, now=NOW)
    workflow.start_recovery(actor=secretary, case=case, now=NOW)
    if stage == "closed":
        for claim in case.claims.all():
            recover(
                claim,
                secretary,
                amount=claim.amount_owed,
                units=claim.units_owed,
                occurred_on=date(2027, 1, 5),
            )
        workflow.close_case(actor=secretary, case=case, now=NOW)
    bonus = award(case, "ceo-fy2024-bonus")
    records.update_award(actor=secretary, award=bonus, now=NOW, **terms(bonus, received=Decimal(520000)))
    assert_withdrawn(
        case,
        determination,
        reason="award ceo-fy2024-bonus: amount received 500,000 → 520,000",
        actor=secretary,
    )


def test_a_case_under_review_gets_a_recomputed_determination(users):
    case = import_example_2(users["secretary"])
    workflow.submit_for_review(actor=users["secretary"], case=case, now=NOW)
    reviewed = workflow.live_determination(case)
    bonus = award(case, "evp-fy2025-bonus")
    records.update_award(
        actor=users["committee"], award=bonus, now=NOW, **terms(bonus, received=Decimal(380000))
    )
    reviewed.refresh_from_db()
    assert (
        reviewed.invalidated_at == NOW and "amount received 360,000 → 380,000" in reviewed.invalidated_reason
    )
    fresh = workflow.live_determination(case)
    assert fresh.number == reviewed.number + 1 and fresh.computed_by == users["committee"]
    increase = Decimal(fresh.result["totals"]["excess_usd"]) - Decimal(
        reviewed.result["totals"]["excess_usd"]
    )
    assert increase == Decimal("20000.00")
    case.refresh_from_db()
    assert case.status == S.REVIEW


def test_a_draft_case_is_left_alone(users):
    case = import_example_2(users["secretary"])
    bonus = award(case, "evp-fy2025-bonus")
    records.update_award(
        actor=users["secretary"], award=bonus, now=NOW, **terms(bonus, received=Decimal(380000))
    )
    assert not case.determinations.exists()
    assert not AuditEvent.objects.filter(verb="invalidate_determination").exists()


# --- Through the pages, the API and the imports -----------------------------------------------------------------


def test_editing_an_award_on_its_page_withdraws_the_approval_and_says_so(users, approved):
    case, determination = approved
    client = Client()
    client.force_login(users["secretary"])
    bonus = award(case, "evp-fy2025-bonus")
    url = reverse("clawback:award-edit", args=[bonus.pk])
    form = client.get(url)
    assert "approved" in form.content.decode() and case.title in form.content.decode()
    data = {
        key: value
        for key, value in form.context["form"].initial.items()
        if value is not None and key != "points"
    }
    data |= {"received": "380000", "points": form.context["form"].initial["points"]}
    response = client.post(url, data, follow=True)
    assert response.status_code == 200, response.content.decode()
    shown = [str(m) for m in response.context["messages"]]
    assert any("approval of “FY2024–FY2025 operating income restatement” was withdrawn" in m for m in shown)
    determination.refresh_from_db()
    assert determination.invalidated_at is not None
    case.refresh_from_db()
    assert case.status == S.REVIEW


def test_changing_an_award_through_the_api_withdraws_the_approval(users, approved):
    case, determination = approved
    client = APIClient()
    client.force_authenticate(users["secretary"])
    bonus = award(case, "evp-fy2025-bonus")
    body = json.loads(json.dumps(terms(bonus, received="380000", executive=bonus.executive_id), default=str))
    body["measure"] = bonus.measure_id
    response = client.post(f"/api/clawback/awards/{bonus.pk}/update/", body, format="json")
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.status == S.REVIEW
    determination.refresh_from_db()
    assert "amount received 360,000 → 380,000" in determination.invalidated_reason
    state = client.get(f"/api/clawback/restatements/{case.pk}/workflow/").json()
    assert state["status"] == "review" and state["approved_determination"] is None


AWARDS_CHANGE = """executive,key,award_type,basis,performance_start,performance_end,measure,measure_period,formula_kind,target,points,received,unit
evp,evp-fy2025-bonus,cash_bonus,financial_reporting_measure,2024-10-01,2025-09-30,operating_income,FY2025,curve,200000,40000000:0.5;50000000:1.0;60000000:2.0,380000,USD
evp,evp-fy2026-bonus,cash_bonus,financial_reporting_measure,2025-10-01,2026-09-30,operating_income,FY2026,curve,200000,40000000:0.5;50000000:1.0;60000000:2.0,310000,USD
"""  # noqa: E501


def test_an_import_says_which_approvals_it_would_withdraw_then_withdraws_them_once(users, approved):
    case, determination = approved
    frozen = case.determinations.count()
    run = {
        "actor": users["secretary"],
        "company": case.company,
        "kind": "awards",
        "content": AWARDS_CHANGE.encode(),
        "fmt": "csv",
        "now": NOW,
    }
    dry = import_records(commit=False, **run)
    assert dry.ok and dry.approvals_withdrawn == [case.title]
    case.refresh_from_db()
    assert case.status == S.APPROVED and case.determinations.count() == frozen  # the dry run changed nothing

    report = import_records(commit=True, **run)
    assert report.committed and report.approvals_withdrawn == [case.title]
    fresh = assert_withdrawn(
        case,
        determination,
        reason="award evp-fy2025-bonus: amount received 360,000 → 380,000",
        actor=users["secretary"],
    )
    # Checked once after the last row: one new determination, not one per row.
    assert case.determinations.count() == frozen + 1
    assert "evp-fy2026-bonus: amount received 300,000 → 310,000" in determination.invalidated_reason
    assert fresh.inputs == workflow.compute(case).inputs


def test_the_import_page_warns_before_and_after_withdrawing_an_approval(users, approved, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    case, _ = approved
    client = Client()
    client.force_login(users["secretary"])
    url = reverse("clawback:import-records", args=["awards"])
    upload = SimpleUploadedFile("awards.csv", AWARDS_CHANGE.encode(), content_type="text/csv")
    response = client.post(url, {"file": upload, "action": "check"})
    assert response.status_code == 200
    assert 'data-testid="import-withdraws-approvals"' in response.content.decode()
    response = client.post(url, {"token": response.context["token"], "action": "import"}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert any("was withdrawn" in m for m in shown)
    case.refresh_from_db()
    assert case.status == S.REVIEW


def test_a_scenario_import_adding_an_award_of_a_covered_executive_withdraws_the_approval(users, approved):
    case, determination = approved
    data = json.loads(example_path(2).read_text())
    data["awards"] = [a for a in data["awards"] if a["executive"] == "ceo"]
    data["awards"][0] = data["awards"][0] | {"id": "ceo-fy2025-bonus", "measure_period": "FY2025"}
    data["awards"][0]["performance_period"] = {"start": "2024-10-01", "end": "2025-09-30"}
    import_scenario_file(
        actor=users["secretary"], company=case.company, text=json.dumps(data), title="Second look", now=NOW
    )
    assert_withdrawn(case, determination, reason="award ceo-fy2025-bonus added", actor=users["secretary"])


def test_recording_next_years_fiscal_period_keeps_the_approval(users, approved):
    """Only periods up to the one in progress on the required-to-prepare date are inputs (docs/clawback-rules §1.5):
    the secretary adding FY2028 at year end must not send every approved case back to review."""
    from compliance_site.company.services import add_fiscal_period

    case, determination = approved
    add_fiscal_period(
        actor=users["secretary"],
        company=case.company,
        label="FY2028",
        start=date(2027, 10, 1),
        end=date(2028, 9, 30),
    )
    check = workflow.ensure_approval_current(case, actor=users["secretary"], now=NOW)
    assert check.current
    case.refresh_from_db()
    assert case.status == S.APPROVED and workflow.approved_determination(case) == determination


def test_a_recused_members_change_is_refused_and_the_approval_stands(users):
    # A member recused from a case takes no part in it: not even through the records it reads
    # (tests/case_walls).
    from django.core.exceptions import PermissionDenied

    case = approved_example_2(users)  # committee2 is recused
    determination = workflow.approved_determination(case)
    bonus = award(case, "evp-fy2025-bonus")
    with pytest.raises(PermissionDenied):
        records.update_award(
            actor=users["committee2"], award=bonus, now=NOW, **terms(bonus, received=Decimal(380000))
        )
    case.refresh_from_db()
    assert case.status == S.APPROVED and workflow.approved_determination(case) == determination


def test_an_amount_already_recovered_withdraws_the_approval_and_the_claim_is_what_remains(users, approved):
    case, determination = approved
    bonus = award(case, "evp-fy2025-bonus")
    records.record_award_credit(
        actor=users["secretary"],
        award=bonus,
        amount=Decimal("20000"),
        recovered_on=date(2026, 12, 1),
        source="sox_304",
        reference="SEC order 2026-17",
        now=NOW,
    )
    assert_withdrawn(case, determination, reason="amounts already recovered added", actor=users["secretary"])
    approve(case, users)
    case.refresh_from_db()
    # $120,000 erroneously awarded, $20,000 already reimbursed under SOX 304: $100,000 remains owed.
    assert case.claims.get(executive__key="evp").amount_owed == Decimal("100000.00")
