"""Every workflow step that freezes, approves, records money or closes asks first, in plain words.

A POST without confirmed=1 validates the form, runs nothing and answers with the confirmation page (200);
pressing its button posts the same values back with confirmed=1 and the step happens (302). Invalid input
gets the usual page with the field errors (400), and a step the case does not offer is refused at once.

The figures are worked example 2's (tests/clawback/workflow_setup.py): Morgan Reyes owes $325,000.00 (the
FY2024 bonus and the estimated TSR PSU), Casey Lindqvist $120,000.00.
"""

import html as entities
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from clawback.models import Decision, Determination, Impracticability, RecoveryEvent, Restatement, Vote
from clawback.services import determinations as workflow
from clawback.services import recovery as recovery_service
from compliance_site.audit.models import AuditEvent
from compliance_site.confirm import confirmed_data
from tests.clawback.workflow_setup import (
    NOW,
    approve,
    import_example_2,
    impracticability_decision,
    record_tsr_estimate,
    recuse,
)
from tests.clients import client_for
from tests.governance import minutes_on, seat

pytestmark = pytest.mark.django_db
S = Restatement.Status
TITLE = "FY2024–FY2025 operating income restatement"
# A meeting before the real "today" of the requests (recoveries recorded through the pages follow it).
EARLY = date(2026, 12, 3)
CONFIRM_TEMPLATE = "includes/confirm.html"


# --- Reading a confirmation page and pressing its button ----------------------------------------------------


class ConfirmPage(HTMLParser):
    """The confirmation form's action and inputs, every id on the page, and the autofocused element."""

    def __init__(self, html: str):
        super().__init__()
        self.action = None
        self.fields: list[tuple[str, str]] = []
        self.ids: list[str] = []
        self.autofocus: list[str] = []
        self.h1 = 0
        self._in_form = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if "autofocus" in a:
            self.autofocus.append(tag)
        if tag == "h1":
            self.h1 += 1
        if tag == "form" and a.get("data-testid") == "confirm-form":
            self._in_form, self.action = True, a["action"]
        elif tag == "input" and self._in_form:
            self.fields.append((a["name"], a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False

    def data(self) -> dict[str, list[str]]:
        posted: dict[str, list[str]] = {}
        for name, value in self.fields:
            posted.setdefault(name, []).append(value)
        return posted


def press_confirm(client: Client, response):
    """What the "Confirm: …" button does: post the page's form, as it stands, to its action."""
    page = ConfirmPage(response.content.decode())
    assert page.action, "no confirmation form on the page"
    return client.post(page.action, page.data())


def assert_confirmation_page(response, statement: str, *, action_label: str, cancel: str) -> ConfirmPage:
    assert response.status_code == 200, response.content.decode()[:2000]
    assert CONFIRM_TEMPLATE in [t.name for t in response.templates]
    html = response.content.decode()
    shown = re.search(r'<p [^>]*data-testid="confirm-statement"[^>]*>([^<]*)</p>', html)
    assert shown, html
    assert entities.unescape(shown.group(1)) == statement
    page = ConfirmPage(html)
    assert page.h1 == 1
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"
    assert page.autofocus == ["button"]
    assert f"Confirm: {action_label}</button>" in html
    assert f'href="{cancel}"' in html and ">Cancel</a>" in html
    assert page.data()["confirmed"] == ["1"]
    return page


# --- The case's state: one snapshot for every step ----------------------------------------------------------


def state(case: Restatement) -> tuple:
    case.refresh_from_db()
    return (
        case.status,
        case.no_indemnification_confirmed_at,
        case.determinations.count(),
        Determination.objects.filter(restatement=case, decision__isnull=False).count(),
        case.decisions.count(),
        RecoveryEvent.objects.filter(claim__restatement=case).count(),
        Impracticability.objects.filter(claim__restatement=case).count(),
        AuditEvent.objects.count(),
    )


def url(name, case):
    return reverse(f"clawback:{name}", args=[case.pk])


def workflow_page(case):
    return reverse("clawback:case-workflow", args=[case.pk])


# --- The cases the steps start from -------------------------------------------------------------------------


def draft(users):
    case = import_example_2(users["secretary"])
    recuse(case, users["committee2"])
    return case


def reviewed(users):
    case = draft(users)
    workflow.submit_for_review(actor=users["secretary"], case=case, now=NOW)
    record_tsr_estimate(case, users["committee"])
    return case


def approved_early(users):
    case = reviewed(users)
    approve(case, users, held_on=EARLY)
    case.refresh_from_db()
    return case


def checklist_confirmed(users):
    case = approved_early(users)
    workflow.confirm_no_indemnification(actor=users["secretary"], case=case, now=NOW)
    return case


def in_recovery_early(users):
    case = checklist_confirmed(users)
    workflow.start_recovery(actor=users["secretary"], case=case, now=NOW)
    case.refresh_from_db()
    return case


def recovered_in_full(users):
    case = in_recovery_early(users)
    for claim in case.claims.all():
        recovery_service.record_recovery_event(
            actor=users["secretary"],
            claim=claim,
            occurred_on=EARLY,
            method="cash",
            amount=claim.amount_owed,
            units=claim.units_owed,
            evidence="Wire",
            now=NOW,
        )
    return case


def with_impracticability_decision(users):
    case = in_recovery_early(users)
    impracticability_decision(case, users)
    return case


def _claim(case, key):
    return case.claims.get(executive__key=key)


def _decision_data(case, users, *, vote="for"):
    seat(case.company, "committee", users["committee"], users["board"], users["committee2"])
    return {
        "minutes": str(minutes_on(case, users["secretary"]).pk),
        "kind": Decision.Kind.APPROVE_DETERMINATION,
        "body": Decision.Body.COMPENSATION_COMMITTEE,
        "held_on": EARLY.isoformat(),
        "members_present": [users["committee"].pk, users["board"].pk, users["committee2"].pk],
        "quorum": "2",
        "resolution": "RESOLVED, that the recovery determination is approved.",
        f"vote_{users['committee'].pk}": vote,
        f"vote_{users['board'].pk}": vote,
        "determination": str(workflow.live_determination(case).number),
    }


# --- Every step ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    url: str
    setup: object  # users -> case
    data: object  # (case, users) -> POST data
    action_label: str
    statement: str
    after: object  # case -> None: asserts what the confirmed step did


def _submitted(case):
    assert case.status == S.REVIEW and case.determinations.count() == 1


def _approved(case):
    assert case.status == S.APPROVED and workflow.approved_determination(case) is not None


def _not_adopted(case):
    assert case.status == S.REVIEW and case.decisions.get().adopted is False


def _checklist(case):
    assert case.no_indemnification_confirmed_at is not None


def _recovering(case):
    assert case.status == S.RECOVERY


def _one_event(case):
    event = RecoveryEvent.objects.get(claim__restatement=case)
    assert event.amount == Decimal("20000.00") and event.claim.executive.key == "evp"


def _forgone(case):
    assert Impracticability.objects.get(claim__restatement=case).amount_forgone == Decimal("10000.00")


def _closed(case):
    assert case.status == S.CLOSED


def _reopened(case):
    assert case.status == S.REVIEW and workflow.approved_determination(case) is None


STEPS = {
    "submit": Step(
        "case-submit",
        draft,
        lambda case, users: {"next": reverse("clawback:restatement-detail", args=[case.pk])},
        "Submit for review",
        f"Submitting freezes the determination inputs and results for case “{TITLE}”: 2 executives, "
        "$195,000.00 recoverable, 1 award still awaiting a reasonable estimate. The Compensation Committee "
        "can then review it and vote. Any later change to an input replaces the frozen determination and "
        "withdraws any approval.",
        _submitted,
    ),
    "approve": Step(
        "case-record-decision",
        reviewed,
        lambda case, users: _decision_data(case, users),
        "Record decision",
        "Recording the decision of the Compensation Committee (independent directors) at its meeting of "
        "2026-12-03 (3 present, quorum 2; votes: 2 for, 0 against, 0 abstaining) adopts it and approves "
        "determination 2 as frozen: recovery claims open for Casey Lindqvist $120,000.00; Morgan Reyes "
        "$325,000.00 ($445,000.00 in all), owed from 2026-12-03. The decision and its votes are recorded in "
        "the case's audit trail.",
        _approved,
    ),
    "decision not adopted": Step(
        "case-record-decision",
        reviewed,
        lambda case, users: _decision_data(case, users, vote="against"),
        "Record decision",
        "Recording the decision of the Compensation Committee (independent directors) at its meeting of "
        "2026-12-03 (3 present, quorum 2; votes: 0 for, 2 against, 0 abstaining) records it as not adopted: "
        "determination 2 stays under review, unapproved.",
        _not_adopted,
    ),
    "no indemnification": Step(
        "case-confirm-no-indemnification",
        approved_early,
        lambda case, users: {code: "on" for code, _ in workflow.NO_INDEMNIFICATION_CHECKLIST},
        "Confirm the checklist",
        "Confirming records, under your name and with today's date, that no indemnification, insurance or "
        "premium reimbursement covers the loss of erroneously awarded compensation for the 2 covered "
        f"executives of case “{TITLE}” (policy “No Indemnification”). Recovery can then be started.",
        _checklist,
    ),
    "start recovery": Step(
        "case-start-recovery",
        checklist_confirmed,
        lambda case, users: {},
        "Start recovery",
        f"Starting recovery for case “{TITLE}” seeks the amounts owed from each executive: Casey Lindqvist "
        "$120,000.00; Morgan Reyes $325,000.00 ($445,000.00 in all). Recoveries and impracticability "
        "determinations can then be recorded; the case cannot be reopened until it is closed.",
        _recovering,
    ),
    "recovery event": Step(
        "recovery-record-event",
        in_recovery_early,
        lambda case, users: {
            "claim": _claim(case, "evp").pk,
            "occurred_on": EARLY.isoformat(),
            "method": "cash",
            "amount": "20000.00",
            "evidence": "Wire confirmation 0042",
        },
        "Record recovery",
        "Recording this recovery enters $20,000.00 recovered from Casey Lindqvist on 2026-12-03 by (a) "
        "Reimbursement of cash incentive compensation against the claim of $120,000.00 on Casey Lindqvist. "
        "$100,000.00 will then remain outstanding on that claim.",
        _one_event,
    ),
    "impracticable": Step(
        "recovery-determine-impracticable",
        with_impracticability_decision,
        lambda case, users: {
            "claim": _claim(case, "evp").pk,
            "decision": case.decisions.get(kind=Decision.Kind.IMPRACTICABILITY).pk,
            "ground": "retirement_plan",
            "amount_forgone": "10000.00",
            "plan_description": "The 401(k) plan: recovery from it would fail 401(a)(13).",
        },
        "Record impracticability",
        "Recording this determination forgoes $10,000.00 of the claim on Casey Lindqvist as impracticable to "
        "recover (ground: recovery would disqualify a tax-qualified retirement plan), on the decision of the "
        "Compensation Committee (independent directors) of 2026-12-30. That amount is no longer sought and is "
        "disclosed under Item 402(w)(1)(ii); $110,000.00 will then remain outstanding on the claim.",
        _forgone,
    ),
    "close": Step(
        "case-close",
        recovered_in_full,
        lambda case, users: {},
        "Close the case",
        f"Closing case “{TITLE}” ends its recovery: $445,000.00 recovered and $0.00 forgone as impracticable, "
        "nothing outstanding. Reopening it later needs a reason and withdraws the approval.",
        _closed,
    ),
    "reopen": Step(
        "case-reopen",
        approved_early,
        lambda case, users: {"reason": "A second error in the FY2025 figures."},
        "Reopen the case",
        f"Reopening case “{TITLE}” withdraws the approval of determination 2 (approved at the meeting of "
        "2026-12-03) and puts the case back under review: a new determination is computed and frozen, and "
        "the Compensation Committee must approve it again. Your reason is recorded: “A second error in the "
        "FY2025 figures.”",
        _reopened,
    ),
}


@pytest.mark.parametrize("key", list(STEPS))
def test_a_step_asks_first_and_runs_only_when_confirmed(users, key):
    step = STEPS[key]
    case = step.setup(users)
    client = client_for(users["secretary"])
    data = step.data(case, users)
    before = state(case)

    asked = client.post(url(step.url, case), data)

    back = data.get("next") or workflow_page(case)
    page = assert_confirmation_page(
        asked, step.statement, action_label=step.action_label, cancel=back + "#case-workflow"
    )
    assert state(case) == before  # nothing changed, not even the audit trail
    assert page.action == url(step.url, case)
    # The same values go back, every value of a multi-value field too, plus confirmed=1.
    repeated = page.data()
    for name, value in data.items():
        values = value if isinstance(value, list) else [value]
        assert repeated[name] == [str(v) for v in values], name

    done = press_confirm(client, asked)

    assert done.status_code == 302, done.content.decode()[:3000]
    assert done["Location"].endswith("#case-workflow")
    assert state(case)[-1] > before[-1]  # the step was audited
    case.refresh_from_db()
    step.after(case)


def test_submit_returns_to_where_it_came_from_after_the_confirmation(users):
    case = draft(users)
    detail = reverse("clawback:restatement-detail", args=[case.pk])
    client = client_for(users["secretary"])
    asked = client.post(url("case-submit", case), {"next": detail})
    assert f'href="{detail}#case-workflow"' in asked.content.decode()  # Cancel goes back there too
    done = press_confirm(client, asked)
    assert done["Location"] == detail + "#case-workflow"


def test_the_decision_statement_carries_no_audit_event(users):
    case = reviewed(users)
    data = _decision_data(case, users)  # the minutes are attached first, on the trail as they should be
    before = AuditEvent.objects.count()
    client_for(users["secretary"]).post(url("case-record-decision", case), data)
    assert AuditEvent.objects.count() == before
    assert not AuditEvent.objects.filter(verb__in=["record_decision", "approve_determination"]).exists()
    assert not Vote.objects.exists()


# --- Refusals: field errors, or a step the case does not offer -----------------------------------------------


@pytest.mark.parametrize(
    ("name", "setup", "data", "form", "fields"),
    [
        (
            "case-record-decision",
            reviewed,
            {"kind": "approve_determination"},
            "decision_form",
            {"body", "held_on", "members_present", "quorum", "resolution"},
        ),
        (
            "case-confirm-no-indemnification",
            approved_early,
            {"no_indemnity_agreement": "on"},
            "indemnification_form",
            {"no_insurance", "no_premium_reimbursement"},
        ),
        ("case-reopen", approved_early, {"reason": ""}, "reopen_form", {"reason"}),
        (
            "recovery-record-event",
            in_recovery_early,
            {"method": "cash"},
            "event_form",
            {"claim", "occurred_on", "amount", "evidence"},
        ),
        (
            "recovery-determine-impracticable",
            with_impracticability_decision,
            {"ground": "expense"},
            "impracticability_form",
            {"claim", "decision", "amount_forgone"},
        ),
    ],
)
def test_invalid_input_shows_every_field_error_and_no_confirmation(users, name, setup, data, form, fields):
    case = setup(users)
    before = state(case)
    response = client_for(users["secretary"]).post(url(name, case), data)
    assert response.status_code == 400
    assert CONFIRM_TEMPLATE not in [t.name for t in response.templates]
    assert fields <= set(response.context[form].errors)  # every field's error at once
    assert state(case) == before


def test_more_than_is_outstanding_is_refused_before_asking(users):
    case = in_recovery_early(users)
    data = {
        "claim": _claim(case, "evp").pk,
        "occurred_on": EARLY.isoformat(),
        "method": "cash",
        "amount": "120000.01",
        "evidence": "Wire",
    }
    response = client_for(users["secretary"]).post(url("recovery-record-event", case), data)
    assert response.status_code == 400
    assert "$120,000.01 is more than the $120,000.00 outstanding." in response.content.decode()
    assert CONFIRM_TEMPLATE not in [t.name for t in response.templates]


@pytest.mark.parametrize(
    ("name", "setup", "message"),
    [
        ("case-submit", reviewed, "Not possible now: the case is under committee review."),
        ("case-start-recovery", approved_early, "Confirm the no-indemnification checklist first"),
        (
            "case-close",
            in_recovery_early,
            "Recovery is not complete: Casey Lindqvist ($120,000.00 outstanding); Morgan Reyes ($325,000.00",
        ),
        ("case-reopen", in_recovery_early, "Not possible now: the case is recovery in progress."),
    ],
)
def test_a_step_the_case_does_not_offer_is_refused_without_asking(users, name, setup, message):
    case = setup(users)
    before = state(case)
    response = client_for(users["secretary"]).post(url(name, case), {"reason": "Why not"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert CONFIRM_TEMPLATE not in [t.name for t in response.templates]
    assert state(case) == before


def test_a_recused_member_is_not_asked(users):
    case = draft(users)
    response = client_for(users["committee2"]).post(url("case-submit", case))
    assert response.status_code == 403
    assert state(case)[0] == S.DRAFT


def test_a_refusal_after_confirming_is_shown_as_before(users):
    """Checks only the service makes (the quorum) still come back on the workflow page, after confirming."""
    case = reviewed(users)
    data = _decision_data(case, users) | {"members_present": [users["committee"].pk]}
    client = client_for(users["secretary"])
    asked = client.post(url("case-record-decision", case), data)
    assert asked.status_code == 200
    refused = press_confirm(client, asked)
    assert refused.status_code == 400
    assert "count toward the quorum of 2" in refused.content.decode()
    assert not case.decisions.exists()


def test_the_panel_no_longer_asks_in_javascript(users):
    case = approved_early(users)
    html = client_for(users["secretary"]).get(workflow_page(case)).content.decode()
    assert "Reopen the case" in html
    assert "return confirm('Reopen" not in html


def test_approving_another_determination_than_the_one_reviewed_is_refused_before_asking(users):
    case = reviewed(users)  # the estimate recomputed the determination: number 2 is under review
    data = _decision_data(case, users) | {"determination": "1"}
    response = client_for(users["secretary"]).post(url("case-record-decision", case), data)
    assert response.status_code == 400
    assert CONFIRM_TEMPLATE not in [t.name for t in response.templates]
    assert "Determination 1 is not the one under review (2)." in response.content.decode()
    case.refresh_from_db()
    assert case.status == S.REVIEW and not case.decisions.exists()


# --- The helper itself ----------------------------------------------------------------------------------------


def test_the_helper_repeats_every_value_drops_the_token_and_refuses_file_forms(rf):
    from django import forms
    from django.core.exceptions import ImproperlyConfigured

    from compliance_site.confirm import confirmation_page, hidden_fields, needs_confirmation

    request = rf.post(
        "/x/?next=1",
        {"members_present": ["3", "5"], "csrfmiddlewaretoken": "t", "confirmed": "0", "note": "<b>"},
    )
    assert needs_confirmation(request)
    assert hidden_fields(request, extra={"note": "kept", "more": ["a", None]}) == [
        ("members_present", "3"),
        ("members_present", "5"),
        ("note", "kept"),
        ("more", "a"),
        ("more", ""),
    ]
    assert not needs_confirmation(rf.post("/x/", confirmed_data({"a": "b"})))

    class Upload(forms.Form):
        file = forms.FileField()

    with pytest.raises(ImproperlyConfigured, match="required checkbox"):
        confirmation_page(request, title="T", statement="S", action_label="A", cancel_url="/", form=Upload())
