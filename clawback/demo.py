"""Demo data for the clawback program, registered with `compliance_site.demo` (`load_demo` at the end;
docs/architecture.md): a draft case built from a scenario file (`ensure_restatement`), and a second case
walked through the whole workflow with the services (`load_clawback_demo`), so every page has something to
show — an approved determination resting on the committee's TSR estimate, partial recovery, an amount
determined impracticable, a balance outstanding more than 180 days at the fiscal year end, policy
acknowledgements recorded and missing.

Worked example 2's figures on the demo company's calendar years: Dana Whitfield owes $325,000 (a $75,000 bonus
excess and 4,000 PSUs worth $250,000), Rene Costa, a former EVP, $120,000.

Safe to run twice (looked up by the case's title). Every date is fixed; with a clock before the last of
them (a test freezing time in the past) nothing is created."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from compliance_site.accounts.models import RoleAssignment, User
from compliance_site.accounts.roles import Role
from compliance_site.company.models import BodyMembership, Company, PolicyAcknowledgement, PolicyVersion
from compliance_site.demo import register_demo
from compliance_site.lib.timefmt import EXCHANGE_TZ

from .models import Award, Decision, Executive, Measure, PriceSet, RecoveryClaim, Recusal, Restatement, Vote
from .scenario import load_scenario
from .services import determinations as workflow
from .services import import_scenario, records, recovery, voting

TITLE = "FY2023–FY2025 operating income restatement"
LAST_DATE = date(2026, 9, 5)
CURVE = [["40000000", "0.5"], ["50000000", "1.0"], ["60000000", "2.0"]]


def _executives(company: Company, secretary) -> dict[str, Executive]:
    people = {}
    for key, name, title, periods, neo_years in (
        (
            "dwhitfield",
            "Dana Whitfield",
            "Chief Operating Officer",
            [{"start": date(2010, 6, 1)}],
            ["FY2025", "FY2026"],
        ),
        (
            "rcosta",
            "Rene Costa",
            "Former EVP, Operations",
            [{"start": date(2018, 1, 1), "end": date(2025, 3, 31)}],
            ["FY2024"],
        ),
    ):
        people[key] = Executive.objects.filter(company=company, key=key).first() or records.create_executive(
            actor=secretary,
            company=company,
            key=key,
            name=name,
            title=title,
            officer_periods=periods,
            neo_years=[y for y in neo_years if company.fiscal_periods.filter(label=y).exists()],
        )
    return people


# The case's own restated figures (from the 2026 Form 10-K/A), beside the values as first reported.
RESTATED_SOURCE = "2026 Form 10-K/A"
RESTATED_OPERATING_INCOME = (
    ("FY2023", "45000000", "44000000"),
    ("FY2024", "50000000", "47000000"),
    ("FY2025", "58000000", "52000000"),
)


def _measures(company: Company, secretary) -> dict[str, Measure]:
    operating = Measure.objects.filter(
        company=company, key="adjusted_operating_income"
    ).first() or records.create_measure(
        actor=secretary,
        company=company,
        key="adjusted_operating_income",
        name="Adjusted operating income",
        category="operating_income",
        values=[
            {"period_label": label, "original": Decimal(o), "source": f"{label} Form 10-K"}
            for label, o, _ in RESTATED_OPERATING_INCOME
        ],
    )
    tsr = Measure.objects.filter(company=company, key="tsr_percentile").first() or records.create_measure(
        actor=secretary,
        company=company,
        key="tsr_percentile",
        name="Relative TSR percentile (3-year)",
        category="tsr",
        values=[{"period_label": "FY2023-FY2025", "original": Decimal("60"), "source": "Peer group study"}],
    )
    return {"adjusted_operating_income": operating, "tsr_percentile": tsr}


def _awards(people, measures, secretary) -> None:
    common = {"actor": secretary, "basis": "financial_reporting_measure"}
    records.create_award(
        executive=people["dwhitfield"], key="dwhitfield-fy2024-bonus", award_type="cash_bonus",
        performance_start=date(2024, 1, 1), performance_end=date(2024, 12, 31),
        measure=measures["adjusted_operating_income"], measure_period="FY2024",
        formula={"kind": "curve", "target": "500000", "points": CURVE}, received=Decimal("500000"),
        approval_date=date(2024, 2, 10), grant_date=date(2024, 2, 15), settlement_date=date(2025, 3, 1),
        **common,
    )  # fmt: skip
    records.create_award(
        executive=people["dwhitfield"], key="dwhitfield-tsr-psu", award_type="performance_shares",
        performance_start=date(2023, 1, 1), performance_end=date(2025, 12, 31),
        measure=measures["tsr_percentile"], measure_period="FY2023-FY2025",
        formula={"kind": "curve", "target": "20000", "points": [["25", "0.5"], ["50", "1.0"], ["75", "2.0"]]},
        unit="units", value_per_unit=Decimal("62.50"), received=Decimal("28000"),
        approval_date=date(2023, 2, 20), grant_date=date(2023, 3, 1), vesting_date=date(2026, 3, 1),
        notes="Granted before the clawback policy's effective date; received (measure attained) in FY2025.",
        **common,
    )  # fmt: skip
    records.create_award(
        executive=people["rcosta"], key="rcosta-fy2025-bonus", award_type="cash_bonus",
        performance_start=date(2025, 1, 1), performance_end=date(2025, 12, 31),
        measure=measures["adjusted_operating_income"], measure_period="FY2025",
        formula={"kind": "curve", "target": "200000", "points": CURVE}, received=Decimal("360000"),
        approval_date=date(2025, 2, 10), grant_date=date(2025, 2, 15), **common,
    )  # fmt: skip


# The Compensation Committee: Riley Chair (chairs it), Jordan Member (recused from both cases) and Priya
# Raman, a director who is not a demo login; Morgan Blake sits on the Board only and never votes on the
# committee's decisions.
DIRECTOR = ("praman", "Priya", "Raman")
SEATED_SINCE = date(2022, 5, 1)


def _seats(company: Company, users: dict) -> dict:
    """The bodies' seats, and the users they name (with Priya Raman, created here)."""
    username, first, last = DIRECTOR
    director, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.com"},
    )
    if created:
        director.set_unusable_password()
        director.save()
        for role in (Role.BOARD, Role.COMMITTEE):
            RoleAssignment.objects.get_or_create(user=director, role=role)
    people = {**users, "director": director}
    for body, members, chair in (
        ("committee", ("committee", "committee2", "director"), "committee"),
        ("board", ("board", "committee", "committee2", "director"), "board"),
    ):
        for name in members:
            BodyMembership.objects.get_or_create(
                company=company,
                body=body,
                member=people[name],
                starts_on=SEATED_SINCE,
                defaults={"chair": name == chair, "recorded_by": users["secretary"]},
            )
    return people


def _minutes(held_on: date, resolution: str) -> SimpleUploadedFile:
    text = (
        f"Minutes of the meeting of the Compensation Committee held on {held_on:%B %-d, %Y}.\n"
        "Present: Riley Chair (chair), Priya Raman. Jordan Member, recused, did not attend.\n"
        f"{resolution}\nThe resolution was adopted unanimously by the members present.\n"
    )
    return SimpleUploadedFile(f"minutes-{held_on:%Y-%m-%d}.txt", text.encode(), content_type="text/plain")


def _decide(case, people, *, kind, held_on, resolution, now) -> Decision:
    """A decision taken at a committee meeting, recorded from its minutes, then signed by the chair and the
    secretary the next morning."""
    present = [people["committee"], people["director"]]
    decision = workflow.record_decision(
        actor=people["secretary"],
        case=case,
        kind=kind,
        body=Decision.Body.COMPENSATION_COMMITTEE,
        held_on=held_on,
        members_present=present,
        quorum=2,
        resolution=resolution,
        votes={member: Vote.Choice.FOR for member in present},
        minutes=_minutes(held_on, resolution),
        now=now,
    )
    signed_at = datetime.combine(held_on + timedelta(days=1), time(9, 30), tzinfo=EXCHANGE_TZ)
    for signer in ("committee", "secretary"):
        voting.sign_decision(
            actor=people[signer],
            decision=decision,
            determination_sha256=decision.determination_sha256,
            now=signed_at,
        )
        signed_at += timedelta(hours=2)
    return decision


def _open_vote_for_the_committee(case: Restatement, people, *, now: datetime) -> None:
    """A vote in the app waiting for the chair: whether recovering Dana Whitfield's remaining balance is
    impracticable. Priya Raman has voted; Riley Chair (the `committee` login) has not."""
    if case.decisions.filter(status=Decision.Status.OPEN).exists() or case.decisions.count() > 2:
        return
    decision = voting.open_vote(
        actor=people["secretary"],
        case=case,
        kind=Decision.Kind.IMPRACTICABILITY,
        body=Decision.Body.COMPENSATION_COMMITTEE,
        mode=Decision.Mode.MEETING,
        resolution="RESOLVED, that recovery of the remaining $75,000 from Dana Whitfield is impracticable: "
        "the direct expense paid to third parties to enforce it would exceed the amount to be recovered.",
        closes_at=now + timedelta(days=7),
        now=now,
    )
    voting.cast_vote(
        actor=people["director"],
        decision=decision,
        choice=Vote.Choice.FOR,
        comment="Enforcement counsel's quote of $95,000 exceeds the balance.",
        determination_sha256=decision.determination_sha256,
        now=now,
    )


def _acknowledgements(company: Company, people, users, now) -> None:
    policy = (
        PolicyVersion.objects.filter(kind=PolicyVersion.Kind.CLAWBACK, approved_on__isnull=False)
        .order_by("effective_date")
        .first()
    )
    if (
        policy is None
        or PolicyAcknowledgement.objects.filter(policy=policy, executive=people["dwhitfield"]).exists()
    ):
        return
    records.record_policy_acknowledgement(
        actor=users["secretary"],
        policy=policy,
        executive=people["dwhitfield"],
        acknowledged_at=datetime(2024, 1, 10, 15, 0, tzinfo=now.tzinfo),
        evidence="Signed acknowledgement form attached to the 2024 award agreement (HR file MR-2024-02).",
        now=now,
    )
    ceo = Executive.objects.filter(company=company, key="ceo", user__isnull=False).first()
    if ceo is not None and not PolicyAcknowledgement.objects.filter(policy=policy, user=ceo.user).exists():
        # The CEO acknowledged signed in; the CFO and the former EVP have not (the report shows them missing).
        PolicyAcknowledgement.objects.create(
            policy=policy, user=ceo.user, acknowledged_at=datetime(2023, 12, 5, 14, 0, tzinfo=now.tzinfo)
        )


@transaction.atomic
def load_clawback_demo(*, company: Company, users: dict, now: datetime) -> Restatement | None:
    """A case in recovery, built through the services as the pages would (see the module docstring)."""
    existing = Restatement.objects.filter(company=company, title=TITLE).first()
    if existing is not None:
        return existing
    if workflow.exchange_date(now) <= LAST_DATE:
        return None
    users = _seats(company, users)
    secretary = users["secretary"]
    people = _executives(company, secretary)
    _awards(people, _measures(company, secretary), secretary)
    case = records.record_restatement(
        actor=secretary,
        company=company,
        title=TITLE,
        kind=Restatement.Kind.BIG_R,
        today=date(2026, 5, 1),
        description="Revenue cut-off errors overstated operating income in FY2023–FY2025; the Compensation "
        "Committee concluded on 2026-05-01 that a Big R restatement is required.",
        covered_executives=list(people.values()),
    )
    operating = Measure.objects.get(company=company, key="adjusted_operating_income")
    records.set_restated_values(
        actor=secretary,
        restatement=case,
        values=[
            {"measure": operating, "period_label": label, "restated": Decimal(r), "source": RESTATED_SOURCE}
            for label, _, r in RESTATED_OPERATING_INCOME
        ],
        now=now,
    )
    records.add_restatement_event(
        actor=secretary, restatement=case, kind="committee_concluded", date=date(2026, 5, 1), now=now
    )
    records.add_restatement_event(
        actor=secretary, restatement=case, kind="form_8k_item_4_02_filed", date=date(2026, 5, 4), now=now
    )
    Recusal.objects.create(
        restatement=case,
        user=users["committee2"],
        reason="Chaired the audit committee that approved the FY2024 financial statements.",
    )
    workflow.submit_for_review(actor=secretary, case=case, now=now)
    workflow.record_estimate(
        actor=users["committee"],
        case=case,
        award=case.covered_executives.get(key="dwhitfield").awards.get(key="dwhitfield-tsr-psu"),
        restated_value=Decimal("55"),
        method="Event study: the abnormal return on the restatement announcement (-4.1%) applied to the "
        "company's TSR over the performance period moves its peer percentile from 60 to 55.",
        documents="Event study memo, Valuation Advisers LLC, 2026-05-18\n"
        "Peer TSR data extract (S&P Capital IQ)",
        adopted_on=date(2026, 5, 20),
        provided_to_exchange_on=date(2026, 5, 22),
        now=now,
    )
    _decide(
        case,
        users,
        kind=Decision.Kind.APPROVE_DETERMINATION,
        held_on=date(2026, 6, 1),
        resolution="RESOLVED, that the Committee approves the recovery determination of $445,000 and directs "
        "recovery reasonably promptly.",
        now=now,
    )
    workflow.confirm_no_indemnification(actor=secretary, case=case, now=now)
    workflow.start_recovery(actor=secretary, case=case, now=now)
    whitfield = RecoveryClaim.objects.get(restatement=case, executive__key="dwhitfield")
    costa = RecoveryClaim.objects.get(restatement=case, executive__key="rcosta")
    recovery.record_recovery_event(
        actor=secretary, claim=whitfield, occurred_on=date(2026, 6, 20), method="cancellation",
        amount=Decimal("250000.00"), units=Decimal("4000"),
        evidence="Cancellation of 4,000 unvested PSUs, notice of 2026-06-20", now=now,
    )  # fmt: skip
    recovery.record_recovery_event(
        actor=secretary, claim=costa, occurred_on=date(2026, 7, 15), method="cash",
        amount=Decimal("60000.00"), evidence="Wire received 2026-07-15, ref. 55120", now=now,
    )  # fmt: skip
    recovery.determine_impracticable(
        actor=secretary,
        claim=costa,
        decision=_decide(
            case,
            users,
            kind=Decision.Kind.IMPRACTICABILITY,
            held_on=date(2026, 9, 1),
            resolution="RESOLVED, that recovery of $20,000 from Rene Costa is impracticable: enforcement "
            "would cost more than the amount.",
            now=now,
        ),
        ground="expense",
        amount_forgone=Decimal("20000.00"),
        third_party_cost=Decimal("45000.00"),
        costs_are_third_party=True,
        cost_description="Swedish counsel's fixed-fee quote to enforce the claim in Stockholm.",
        attempts="Demand letters of 2026-06-10 and 2026-07-01; partial payment of $60,000 received.",
        provided_to_exchange_on=date(2026, 9, 5),
        now=now,
    )
    _acknowledgements(company, people, users, now)
    case.refresh_from_db()
    return case


# ---- the program's demo loader (compliance_site.demo; docs/architecture.md) ----

SCENARIO = Path(__file__).resolve().parent / "demo_data" / "restatement-2026.scenario.json"


def ensure_restatement(company: Company, users: dict) -> Restatement:
    title = "FY2024–FY2025 net income restatement"
    existing = Restatement.objects.filter(company=company, title=title).first()
    if existing:
        return existing
    scenario = load_scenario(SCENARIO.read_text())
    restatement = import_scenario(actor=users["secretary"], company=company, scenario=scenario, title=title)
    restatement.description = (
        "Revenue recognition error in FY2024 and FY2025 identified by the external auditor; the Board "
        "concluded on 2026-04-15 that a Big R restatement is required."
    )
    restatement.save()
    ceo = Executive.objects.get(company=company, key="ceo")
    ceo.title = "Chief Executive Officer"
    ceo.user = users["ceo"]
    ceo.save()
    Executive.objects.filter(company=company, key="cfo").update(title="Chief Financial Officer")
    Recusal.objects.get_or_create(
        restatement=restatement,
        user=users["committee2"],
        defaults={"reason": "Served on the audit committee that approved the original FY2024 statements."},
    )
    return restatement


TSR_CURVE = [["25", "0.5"], ["50", "1.0"], ["75", "2.0"]]
PRICES = Path(__file__).resolve().parent / "demo_data" / "prices-demo.csv"
# The peer group's TSRs over FY2023-FY2025 for the CEO's relative-TSR award, as the plan's administrator
# would supply them (one "Name, percent" a line): what an event study's percentile is ranked against.
PEER_TSRS = Path(__file__).resolve().parent / "demo_data" / "peer-tsrs-demo.txt"


def _event_study_inputs(company: Company, users: dict, now: datetime) -> None:
    """The draft case's CEO holds a relative-TSR award that only an estimate can recompute, and the
    company's prices are on file: what an event study needs (docs/clawback-rules §1.7a)."""
    tsr = _measures(company, users["secretary"])["tsr_percentile"]
    if not Award.objects.filter(company=company, key="ceo-tsr-psu").exists():
        records.create_award(
            actor=users["secretary"], executive=Executive.objects.get(company=company, key="ceo"),
            key="ceo-tsr-psu", award_type="performance_shares", basis="financial_reporting_measure",
            performance_start=date(2023, 1, 1), performance_end=date(2025, 12, 31),
            measure=tsr, measure_period="FY2023-FY2025",
            formula={"kind": "curve", "target": "30000", "points": TSR_CURVE},
            unit="units", value_per_unit=Decimal("69.50"), received=Decimal("42000"),
            approval_date=date(2023, 2, 20), grant_date=date(2023, 3, 1), vesting_date=date(2026, 3, 1),
            notes="Relative TSR against the 20-company peer group; vested at the 60th percentile.",
        )  # fmt: skip
    if not PriceSet.objects.filter(company=company).exists():
        from .services import event_studies  # numpy: not imported by every process that registers the demo

        event_studies.import_prices(
            actor=users["secretary"],
            company=company,
            file_name=PRICES.name,
            data=PRICES.read_bytes(),
            name="Demo closes, December 2022 to June 2026",
            source="Demo data: synthetic daily closes of the company's stock (adjusted for dividends), a "
            "broad market index and an industry peer index.",
            accept_warnings=False,
            now=now,
        )


@register_demo("clawback", order=10)
def load_demo(*, company: Company, users: dict, now: datetime) -> None:
    """The draft case built from the scenario file, then the second case walked into recovery, with a vote
    of the committee waiting for the chair; the inputs of an event study for the draft case's TSR award."""
    ensure_restatement(company, users)
    case = load_clawback_demo(company=company, users=users, now=now)
    if case is not None:
        _open_vote_for_the_committee(case, _seats(company, users), now=now)
    _event_study_inputs(company, users, now)
