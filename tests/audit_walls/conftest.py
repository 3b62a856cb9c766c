"""A clawback case with one record of every type that belongs to it, each with its audit events, and two
readers of the audit trail: a covered executive of that case who holds the audit capabilities (walled from
it) and the auditor (not walled)."""

import hashlib
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from clawback.models import (
    AwardComponent,
    AwardCredit,
    Decision,
    Determination,
    Impracticability,
    MeasureValue,
    NamedExecutiveYear,
    ReasonableEstimate,
    RecoveryClaim,
    RecoveryEvent,
    RestatedValue,
    RestatementEvent,
    Vote,
)
from compliance_site.accounts.roles import Role
from compliance_site.attachments.services import add_attachment
from compliance_site.audit.recorder import record_action
from compliance_site.company.models import PolicyAcknowledgement
from compliance_site.documents.models import GeneratedDocument
from compliance_site.notifications.models import Reminder
from tests.factories import AwardFactory, ExecutiveFactory, MeasureFactory, RestatementFactory, UserFactory
from tests.factories import policy_version as make_policy_version

PDF = b"%PDF-1.4\n% audit walls test\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_and_signed_in(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The second factor at sign-in has its own tests (tests/accounts_mfa): the pages here are read as a
    # signed-in, verified person reads them.
    settings.MFA_REQUIRED = False


def _pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _document(case, actor, now):
    snapshot = {"case": case.pk}
    document = GeneratedDocument.objects.create(
        kind=GeneratedDocument.Kind.DETERMINATION,
        title=f"Recovery determination: {case}",
        content_type=ContentType.objects.get_for_model(case),
        record_id=case.pk,
        version=1,
        snapshot=snapshot,
        snapshot_sha256=hashlib.sha256(b"{}").hexdigest(),
        requested_by=actor,
        requested_at=now,
    )
    record_action(actor=actor, verb="request_document", obj=document)
    return document


def _reminder(case, now):
    reminder = Reminder.objects.create(
        content_type=ContentType.objects.get_for_model(case),
        object_id=case.pk,
        kind=Reminder.Kind.REVIEW_DUE,
        due_at=now + timedelta(days=14),
        anchor_at=now,
        label="every 14 days of review",
        roles="committee",
        rule_version="test",
        created_at=now,
    )
    record_action(actor=None, verb="retry_reminder", obj=reminder)
    return reminder


@pytest.fixture
def walls(users, company, clawback_case):
    """`records`: {object type: record} of every record type belonging to the case (or, for the shared ones,
    to an executive it covers); `reader` is a covered executive of the case holding audit.view and
    audit.export; `other` is a case covering neither of them, with its own records."""
    now = timezone.now()
    case = clawback_case
    secretary, committee = users["secretary"], users["committee"]
    reader = UserFactory(username="cfo-reader", roles=[Role.SECRETARY, Role.AUDITOR])
    own = ExecutiveFactory(company=company, key="cao", name="Casey Accounting", user=reader)
    case.covered_executives.add(own)

    measure = MeasureFactory(company=company, key="net-income")
    value = MeasureValue.objects.create(measure=measure, period_label="FY2024", original=Decimal("10"))
    award = AwardFactory(executive=own, key="cao-bonus-2024", measure=measure, measure_period="FY2024")
    component = AwardComponent.objects.create(
        award=award, basis=AwardComponent.Basis.DISCRETIONARY, weight=Decimal("1"), factor=Decimal("1")
    )
    credit = AwardCredit.objects.create(
        award=award,
        amount=Decimal("10"),
        recovered_on=date(2025, 6, 1),
        source=AwardCredit.Source.PRIOR_RESTATEMENT,
        reference="This case",
        under_case=case,
        recorded_by=secretary,
        recorded_at=now,
    )
    neo = NamedExecutiveYear.objects.create(executive=own, fiscal_year="FY2024")
    event = RestatementEvent.objects.create(
        restatement=case, kind=RestatementEvent.Kind.BOARD_CONCLUDED, date=date(2026, 1, 5)
    )
    restated = RestatedValue.objects.create(restatement=case, value=value, restated=Decimal("8"))
    estimate = ReasonableEstimate.objects.create(
        restatement=case,
        award=award,
        restated_value=Decimal("8"),
        method="Event study",
        documents="Study memo",
        adopted_on=date(2026, 2, 1),
        recorded_by=committee,
    )
    decision = Decision.objects.create(
        restatement=case,
        kind=Decision.Kind.APPROVE_DETERMINATION,
        body=Decision.Body.COMPENSATION_COMMITTEE,
        held_on=date(2026, 3, 1),
        quorum=1,
        resolution="Approved",
        recorded_by=secretary,
    )
    vote = Vote.objects.create(decision=decision, member=committee, choice=Vote.Choice.FOR)
    determination = Determination.objects.create(
        restatement=case,
        number=1,
        inputs={},
        result={},
        sha256="0" * 64,
        rule_version="test",
        computed_at=now,
        computed_by=secretary,
    )
    record_action(actor=secretary, verb="freeze_determination", obj=determination)
    claim = RecoveryClaim.objects.create(
        restatement=case, executive=own, amount_owed=Decimal("500.00"), determined_on=date(2026, 3, 1)
    )
    recovery = RecoveryEvent.objects.create(
        claim=claim,
        occurred_on=date(2026, 4, 1),
        method=RecoveryEvent.Method.CASH,
        amount=Decimal("100.00"),
        evidence="Wire confirmation",
        recorded_by=secretary,
    )
    impracticable = Impracticability.objects.create(
        claim=claim,
        decision=Decision.objects.create(
            restatement=case,
            kind=Decision.Kind.IMPRACTICABILITY,
            body=Decision.Body.COMPENSATION_COMMITTEE,
            held_on=date(2026, 5, 1),
            quorum=1,
            resolution="Impracticable",
            recorded_by=secretary,
        ),
        ground=Impracticability.Ground.RETIREMENT_PLAN,
        amount_forgone=Decimal("50.00"),
        plan_description="The 401(k) plan",
    )
    policy = make_policy_version(
        secretary, kind="clawback", approved_on=date(2024, 12, 1), approved_by="Board of Directors"
    )
    acknowledgement = PolicyAcknowledgement.objects.create(
        policy=policy, executive=own, acknowledged_at=now, evidence="Signed form", recorded_by=secretary
    )
    document = _document(case, secretary, now)
    reminder = _reminder(case, now)
    on_case = add_attachment(actor=secretary, record=case, uploaded=_pdf("case.pdf"))
    on_decision = add_attachment(actor=secretary, record=decision, uploaded=_pdf("minutes.pdf"))
    on_document = add_attachment(actor=secretary, record=document, uploaded=_pdf("signed.pdf"))

    records = [
        case,
        event,
        restated,
        estimate,
        decision,
        vote,
        determination,
        case.recusals.get(),
        claim,
        recovery,
        impracticable,
        own,
        own.officer_periods.get(),
        neo,
        award,
        component,
        credit,
        acknowledgement,
        document,
        reminder,
        on_case,
        on_decision,
        on_document,
    ]

    other_case = RestatementFactory(company=company, title="FY2023 restatement")
    other_case.covered_executives.add(ExecutiveFactory(company=company, key="cto", name="Dana Tech"))
    other_event = RestatementEvent.objects.create(
        restatement=other_case, kind=RestatementEvent.Kind.BOARD_CONCLUDED, date=date(2025, 1, 5)
    )
    other_attachment = add_attachment(actor=secretary, record=other_case, uploaded=_pdf("other.pdf"))
    return SimpleNamespace(
        case=case,
        reader=reader,
        auditor=users["auditor"],
        records={r._meta.label_lower: r for r in records} | {"attachments.attachment": on_case},
        attachments=[on_case, on_decision, on_document],
        walled=[(r._meta.label_lower, str(r.pk)) for r in records],
        measure=measure,
        value=value,
        other=[(o._meta.label_lower, str(o.pk)) for o in (other_case, other_event, other_attachment)],
    )
