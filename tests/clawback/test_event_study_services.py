"""The event study's services (clawback.services.event_studies): importing the prices (a dry run first,
warnings accepted in so many words, errors refused), running a study on a case, carrying it to a relative-TSR
award and the committee's answer, which records the case's reasonable estimate when it adopts the study.

The case: a Big R restatement the Board concluded on 2026-04-15 (8-K Item 4.02 on 2026-05-04) covering a
CEO whose PSU vests on the TSR percentile over 2023-2025 (60th percentile: 42,000 of 30,000 target units).
The demo prices carry the news as abnormal returns; the 8-K's is the one the study finds significant. The
misstated results are taken to have been public from 2024-02-15, so the price at the end of the performance
period carried inflation and the one at its start did not.
"""

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clawback.models import Award, EventStudyAward, PriceSet, ReasonableEstimate, Recusal, Restatement
from clawback.prices import price_calendar
from clawback.scenario import load_scenario
from clawback.services import determinations as workflow
from clawback.services import event_studies as services
from clawback.services import import_scenario
from compliance_site.audit.models import AuditEvent
from compliance_site.audit.voiding import void_record
from compliance_site.company.models import Company

pytestmark = pytest.mark.django_db

ET = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 2, 10, 0, tzinfo=ET)
PRICES = services.__file__.replace("services/event_studies.py", "demo_data/prices-demo.csv")
BOARD, FORM_8K = date(2026, 4, 15), date(2026, 5, 4)
INFLATION_START = date(2024, 2, 15)
# The peer group's TSRs over 2023-2025, in percent: 12 below the company's actual 55.3025% (60th percentile),
# 11 below its but-for 49.2521% (55th).
PEER_TSRS = [-20, -12, -5, 0, 4, 8, 12, 18, 24, 30, 40, 52, 58, 62, 66, 70, 75, 80, 90, 110]
PEERS = [[f"Peer {chr(65 + i)}", str(v)] for i, v in enumerate(PEER_TSRS)]
CURVE = [["25", "0.5"], ["50", "1.0"], ["75", "2.0"]]

SCENARIO = {
    "format": "clawback-scenario/1",
    "company": {
        "name": "Example Corp",
        "fiscal_periods": [
            {"label": f"FY{y}", "start": f"{y}-01-01", "end": f"{y}-12-31"} for y in range(2022, 2027)
        ],
    },
    "restatement": {
        "kind": "big_r",
        "events": [
            {"kind": "board_concluded", "date": BOARD.isoformat()},
            {"kind": "form_8k_item_4_02_filed", "date": FORM_8K.isoformat()},
        ],
    },
    "measures": {
        "net_income": {
            "category": "net_income",
            "values": {"FY2024": {"original": "240000000", "restated": "228000000"}},
        },
        "tsr_percentile": {"category": "tsr", "values": {"FY2023-FY2025": {"original": "60"}}},
    },
    "executives": [
        {"id": "ceo", "name": "Avery Chen", "officer_periods": [{"start": "2015-01-01", "end": None}]}
    ],
    "awards": [
        {
            "id": "ceo-fy2024-bonus", "executive": "ceo", "type": "cash_bonus",
            "basis": "financial_reporting_measure",
            "performance_period": {"start": "2024-01-01", "end": "2024-12-31"},
            "measure": "net_income", "measure_period": "FY2024",
            "formula": {"kind": "curve", "target": "800000",
                        "points": [["180000000", "0.5"], ["220000000", "1.0"], ["260000000", "2.0"]]},
            "unit": "USD", "received": "1200000",
        },
        {
            "id": "ceo-tsr-psu", "executive": "ceo", "type": "performance_shares",
            "basis": "financial_reporting_measure",
            "performance_period": {"start": "2023-01-01", "end": "2025-12-31"},
            "measure": "tsr_percentile", "measure_period": "FY2023-FY2025",
            "formula": {"kind": "curve", "target": "30000", "points": CURVE},
            "unit": "units", "value_per_unit": "69.50", "received": "42000",
        },
    ],
}  # fmt: skip


def build_case(users, *, review: bool = True, now: datetime = NOW) -> Restatement:
    """The case, committee2 recused; under review (its first determination waiting for the estimate)."""
    company = Company.objects.create(name="Example Corp", ticker="EXC")
    scenario = load_scenario(json.dumps(SCENARIO))
    for period in scenario.fiscal_periods:  # real dates first (see tests/clawback/workflow_setup.py)
        company.fiscal_periods.create(label=period.label, start=period.start, end=period.end)
    case = import_scenario(
        actor=users["secretary"], company=company, scenario=scenario, title="FY2024 restatement"
    )
    Recusal.objects.create(restatement=case, user=users["committee2"], reason="Audit committee in FY2024")
    if review:
        workflow.submit_for_review(actor=users["secretary"], case=case, now=now)
    case.refresh_from_db()
    return case


def tsr_award(case) -> Award:
    return Award.objects.get(executive__company=case.company, key="ceo-tsr-psu")


def demo_prices() -> bytes:
    with open(PRICES, "rb") as handle:
        return handle.read()


def edited_prices(*, drop: str | None = None, add: str | None = None) -> bytes:
    """The demo prices without the row of day `drop`, or with the line `add` appended."""
    lines = demo_prices().decode().splitlines()
    lines = [line for line in lines if not (drop and line.startswith(drop))] + ([add] if add else [])
    return ("\n".join(lines) + "\n").encode()


def import_demo(actor, company, *, data: bytes | None = None, accept_warnings=False, now=NOW):
    return services.import_prices(
        actor=actor,
        company=company,
        file_name="prices-demo.csv",
        data=data or demo_prices(),
        name="Demo closes",
        source="Synthetic closes of the company, a market index and a peer index.",
        accept_warnings=accept_warnings,
        now=now,
    )


def run_study(actor, case, price_set, *, now=NOW, **options):
    options.setdefault("event_dates", [d for d, _ in services.proposed_events(case, price_set)])
    options.setdefault("inflation_start", INFLATION_START)
    return services.run_event_study(actor=actor, case=case, price_set=price_set, now=now, **options)


def apply_percentile(actor, study, case, *, now=NOW):
    return services.apply_to_award(
        actor=actor,
        study=study,
        award=tsr_award(case),
        measure_kind="tsr_percentile",
        peer_tsrs=PEERS,
        now=now,
    )


@pytest.fixture
def case(users):
    return build_case(users)


@pytest.fixture
def price_set(users, case):
    return import_demo(users["secretary"], case.company)


@pytest.fixture
def result(users, case, price_set):
    """The study carried to the TSR award, waiting for the committee's answer."""
    return apply_percentile(users["secretary"], run_study(users["secretary"], case, price_set), case)


def messages(exc) -> str:
    return " ".join(exc.value.messages)


# --- prices -----------------------------------------------------------------------------------------------


def test_the_dry_run_reads_every_day_and_saves_nothing(case):
    report = services.check_prices(file_name="prices-demo.csv", data=demo_prices())
    assert report.ok and not report.issues
    assert (len(report.rows), report.first_day, report.last_day) == (
        896,
        date(2022, 12, 1),
        date(2026, 6, 30),
    )
    assert report.columns == {
        "date": "Date", "company": "Company close", "market": "Market index", "peer": "Peer index"
    }  # fmt: skip
    assert not case.company.price_sets.exists()


def test_an_unreadable_file_is_a_field_error():
    with pytest.raises(ValidationError) as refused:
        services.check_prices(file_name="prices.txt", data=b"hello")
    assert "file" in refused.value.message_dict


def test_import_keeps_the_file_sha_and_every_day_and_is_on_the_audit_trail(users, case):
    price_set = import_demo(users["secretary"], case.company)
    assert price_set.file_sha256 == hashlib.sha256(demo_prices()).hexdigest()
    assert (price_set.row_count, price_set.points.count(), price_set.has_peer) == (896, 896, True)
    assert price_set.warnings == [] and price_set.imported_by == users["secretary"]
    event = AuditEvent.objects.get(verb="prices-imported", object_id=str(price_set.pk))
    assert event.changes == {"file_sha256": price_set.file_sha256, "rows": 896}
    assert event.actor == users["secretary"]


def test_warnings_must_be_accepted_and_are_kept(users, case):
    gapped = edited_prices(drop="2024-03-12")
    assert [i.code for i in services.check_prices(file_name="p.csv", data=gapped).issues] == ["missing_days"]
    with pytest.raises(ValidationError) as refused:
        import_demo(users["secretary"], case.company, data=gapped)
    assert set(refused.value.message_dict) == {"accept_warnings"}
    assert not case.company.price_sets.exists()

    price_set = import_demo(users["secretary"], case.company, data=gapped, accept_warnings=True)
    assert price_set.row_count == 895 and "2024-03-12" in price_set.warnings[0]


def test_errors_refuse_the_import_even_with_warnings_accepted(users, case):
    weekend = edited_prices(add="2026-07-04,60.00,6150.00,1195.00")  # a Saturday (and Independence Day)
    report = services.check_prices(file_name="p.csv", data=weekend)
    assert not report.ok and report.errors[0].code == "not_trading_day" and report.errors[0].line == 898
    with pytest.raises(ValidationError) as refused:
        import_demo(users["secretary"], case.company, data=weekend, accept_warnings=True)
    assert "1 row(s) must be corrected first" in refused.value.message_dict["file"][0]
    assert not case.company.price_sets.exists()


def test_a_source_is_required(users, case):
    with pytest.raises(ValidationError) as refused:
        services.import_prices(
            actor=users["secretary"], company=case.company, file_name="p.csv", data=demo_prices(), name="",
            source="  ", accept_warnings=False, now=NOW,
        )  # fmt: skip
    assert set(refused.value.message_dict) == {"source"}


# --- the study --------------------------------------------------------------------------------------------


def test_events_are_proposed_from_the_case(case, price_set):
    # The Board's conclusion is the company's own; the 8-K put the news before the market.
    assert services.proposed_events(case, price_set) == [(FORM_8K, "Form 8-K Item 4.02 filed")]
    price_set.last_day = date(2026, 4, 30)  # a set ending before the 8-K leaves it out
    assert services.proposed_events(case, price_set) == []
    # A date the market is closed moves to the next trading day: Good Friday 2026 is 3 April.
    case.events.create(kind="other", label="Press leak", date=date(2026, 4, 3))
    assert (date(2026, 4, 6), "Press leak") in services.proposed_events(case)
    assert not price_calendar(2026, 2027).is_trading_day(date(2026, 4, 3))


def test_a_study_is_run_and_frozen_with_its_labels(users, case, price_set):
    study = run_study(users["secretary"], case, price_set)
    assert study.parameters["event_dates"] == ["2026-05-04"]
    assert study.parameters["inflation_start"] == "2024-02-15"
    assert study.event_labels == {"2026-05-04": "Form 8-K Item 4.02 filed"}
    assert study.engine_version == "event-study/1" and len(study.result_sha256) == 64
    assert study.result["inflation"]["counted_events"] == ["2026-05-04"]
    assert AuditEvent.objects.filter(verb="event-study-run", object_id=str(study.pk)).exists()


def test_other_dates_and_their_labels(users, case, price_set):
    study = run_study(
        users["secretary"], case, price_set, event_dates=[FORM_8K, BOARD],
        event_labels={"2026-04-15": "Board's conclusion reported by the press"},
    )  # fmt: skip
    assert study.event_labels == {
        "2026-04-15": "Board's conclusion reported by the press", "2026-05-04": "Form 8-K Item 4.02 filed"
    }  # fmt: skip
    assert [e["significant"] for e in study.result["events"]] == [False, True]
    assert study.result["inflation"]["counted_events"] == ["2026-05-04"]


@pytest.mark.parametrize(
    "options, words",
    [
        (
            {"event_dates": [date(2026, 4, 18)]},
            "The event date 2026-04-18 is not a trading day in the prices",
        ),
        ({"estimation_days": 10}, "The estimation window must have at least 30 trading days; 10 were asked"),
        ({"window": (0, 12)}, "The event window must lie within 10 trading days"),
        ({"inflation_start": date(2026, 5, 6)}, "is after the first event window begins"),
    ],
)
def test_the_engine_refusal_is_a_validation_error_in_its_words(users, case, price_set, options, words):
    with pytest.raises(ValidationError) as refused:
        run_study(users["secretary"], case, price_set, **options)
    assert words in messages(refused)
    assert not case.event_studies.exists()


def test_a_price_set_of_another_company_or_voided_is_refused(users, case, price_set):
    other = Company.objects.create(name="Other Corp", ticker="OTH")
    foreign = import_demo(users["secretary"], other)
    with pytest.raises(ValidationError) as refused:
        run_study(users["secretary"], case, foreign, event_dates=[FORM_8K])
    assert "price_set" in refused.value.message_dict
    void_record(price_set, actor=users["secretary"], reason="Wrong extract", now=NOW)
    with pytest.raises(ValidationError) as refused:
        run_study(users["secretary"], case, price_set, event_dates=[FORM_8K])
    assert "price_set" in refused.value.message_dict


# --- the award ---------------------------------------------------------------------------------------------


def test_the_study_carried_to_the_percentile_award(users, case, result):
    figures = result.figures
    assert (figures["actual_tsr"], figures["but_for_tsr"]) == ("55.3025", "49.2521")
    assert (figures["actual_value"], figures["but_for_value"]) == ("60.00", "55.00")
    assert figures["peer_count"] == "20"
    assert Decimal(figures["payout_actual"]) == 42000 and Decimal(figures["payout_but_for"]) == 36000
    assert result.proposed_value == Decimal("55") and result.outcome == "proposed"
    assert result.peer_tsrs == PEERS and result.estimate is None


def test_the_measure_kind_follows_the_award(case):
    assert services.default_measure_kind(tsr_award(case)) == "tsr_percentile"


def test_peer_tsrs_are_read_one_a_line():
    assert services.parse_peer_tsrs("Acme, 12.5%\n\n-3\nBeta Inc, 7") == [
        ["Acme", "12.5"], ["Peer 2", "-3"], ["Beta Inc", "7"]
    ]  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.parse_peer_tsrs("Acme, twelve")
    assert "Line 1" in refused.value.message_dict["peer_tsrs"][0]


def test_an_award_recalculated_from_the_restatement_takes_no_study(users, case, price_set):
    study = run_study(users["secretary"], case, price_set)
    bonus = Award.objects.get(executive__company=case.company, key="ceo-fy2024-bonus")
    with pytest.raises(ValidationError) as refused:
        services.apply_to_award(
            actor=users["secretary"], study=study, award=bonus, measure_kind="tsr", now=NOW
        )
    assert "recalculated from the restatement" in messages(refused)


def test_too_few_peers_is_the_engine_words(users, case, price_set):
    study = run_study(users["secretary"], case, price_set)
    with pytest.raises(ValidationError) as refused:
        services.apply_to_award(
            actor=users["secretary"], study=study, award=tsr_award(case), measure_kind="tsr_percentile",
            peer_tsrs=PEERS[:2], now=NOW,
        )  # fmt: skip
    assert "at least 3 peers; 2 were given" in messages(refused)


def test_an_award_is_carried_once_per_study(users, case, result):
    with pytest.raises(ValidationError):
        apply_percentile(users["secretary"], result.study, case)


# --- the committee's answer ---------------------------------------------------------------------------------


def test_adopting_records_the_estimate_and_recomputes_the_determination(users, case, result):
    before = workflow.live_determination(case)
    assert before.result["totals"]["pending_estimates"] == 1

    answered = services.answer_result(actor=users["committee"], result=result, outcome="adopted", now=NOW)

    estimate = ReasonableEstimate.objects.get(restatement=case, award=tsr_award(case))
    assert answered.estimate == estimate and answered.adopted_value == Decimal("55")
    assert answered.decided_by == users["committee"] and answered.decided_at == NOW
    assert estimate.restated_value == Decimal("55") and estimate.adopted_on == NOW.date()
    study = result.study
    assert f"Event study no. {study.pk} (market model" in estimate.method
    assert "60.00 actual, 55.00 but for the misstatement" in estimate.method
    lines = estimate.documents.splitlines()
    assert lines[0] == f"Event study no. {study.pk} report (result SHA-256 {study.result_sha256})"
    assert study.price_set.file_sha256 in lines[2]
    after = workflow.live_determination(case)
    assert after.number == before.number + 1 and after.result["totals"]["pending_estimates"] == 0
    assert AuditEvent.objects.filter(verb="event-study-adopted", object_id=str(result.pk)).exists()


def test_adopting_on_a_draft_case(users):
    draft = build_case(users, review=False)
    price_set = import_demo(users["secretary"], draft.company)
    result = apply_percentile(users["secretary"], run_study(users["secretary"], draft, price_set), draft)
    services.answer_result(actor=users["committee"], result=result, outcome="adopted", now=NOW)
    assert ReasonableEstimate.objects.get(restatement=draft).restated_value == Decimal("55")
    assert not draft.determinations.exists()


def test_adjusting_needs_a_value_and_a_reason(users, case, result):
    with pytest.raises(ValidationError) as refused:
        services.answer_result(actor=users["committee"], result=result, outcome="adjusted", now=NOW)
    assert set(refused.value.message_dict) == {"reason", "value"}

    answered = services.answer_result(
        actor=users["committee"], result=result, outcome="adjusted", value=Decimal("56"),
        reason="The Board's day moved the price too; the committee gives it half weight.", now=NOW,
    )  # fmt: skip
    estimate = answered.estimate
    assert estimate.restated_value == Decimal("56") and answered.adopted_value == Decimal("56")
    assert "The committee adjusted the study's 55 to 56: The Board's day" in estimate.method


def test_rejecting_needs_a_reason_and_records_no_estimate(users, case, result):
    with pytest.raises(ValidationError) as refused:
        services.answer_result(actor=users["committee"], result=result, outcome="rejected", now=NOW)
    assert set(refused.value.message_dict) == {"reason"}

    answered = services.answer_result(
        actor=users["committee"], result=result, outcome="rejected", reason="Peer data is stale.", now=NOW
    )
    assert answered.outcome == "rejected" and answered.estimate is None and answered.adopted_value is None
    assert not ReasonableEstimate.objects.filter(restatement=case).exists()


def test_an_unknown_outcome_is_refused(users, result):
    with pytest.raises(ValidationError) as refused:
        services.answer_result(actor=users["committee"], result=result, outcome="proposed", now=NOW)
    assert "outcome" in refused.value.message_dict


def test_answering_twice_is_refused(users, result):
    services.answer_result(actor=users["committee"], result=result, outcome="adopted", now=NOW)
    result.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.answer_result(
            actor=users["committee"], result=result, outcome="rejected", reason="x", now=NOW
        )
    assert "already answered" in messages(refused)
    # Even with a stale copy of the result still saying "proposed".
    stale = EventStudyAward.objects.get(pk=result.pk)
    stale.outcome = "proposed"
    with pytest.raises(ValidationError):
        services.answer_result(actor=users["committee"], result=stale, outcome="adopted", now=NOW)


def test_a_recused_member_takes_no_part(users, case, price_set, result):
    recused = users["committee2"]
    with pytest.raises(PermissionDenied):
        run_study(recused, case, price_set)
    with pytest.raises(PermissionDenied):
        services.apply_to_award(
            actor=recused, study=result.study, award=tsr_award(case), measure_kind="tsr", now=NOW
        )
    with pytest.raises(PermissionDenied):
        services.answer_result(actor=recused, result=result, outcome="adopted", now=NOW)
    result.refresh_from_db()
    assert result.outcome == "proposed"


def test_prices_are_voided_only_once_no_live_study_reads_them(users, case, price_set):
    secretary = users["secretary"]
    study = run_study(secretary, case, price_set, event_dates=[FORM_8K])
    with pytest.raises(ValidationError) as refused:
        services.void_price_set(actor=secretary, price_set=price_set, reason="Wrong ticker", now=NOW)
    assert f"study {study.pk}" in messages(refused) and "void it first" in messages(refused)
    assert not PriceSet.all_objects.get(pk=price_set.pk).is_voided
    services.void_study(actor=secretary, study=study, reason="Wrong ticker", now=NOW)
    with pytest.raises(ValidationError) as refused:
        services.void_price_set(actor=secretary, price_set=price_set, reason="  ", now=NOW)
    assert "reason" in refused.value.message_dict
    services.void_price_set(actor=secretary, price_set=price_set, reason="Wrong ticker", now=NOW)
    voided = PriceSet.all_objects.get(pk=price_set.pk)
    assert voided.is_voided and voided.void_reason == "Wrong ticker" and voided.voided_by == secretary
    assert not PriceSet.objects.filter(pk=price_set.pk).exists()
    assert voided.points.count() == voided.row_count  # the prices the voided study read stay on record
    assert AuditEvent.objects.filter(
        verb="void", object_type="clawback.priceset", object_id=str(price_set.pk), reason="Wrong ticker"
    ).exists()
    with pytest.raises(ValidationError) as refused:
        run_study(secretary, case, voided, event_dates=[FORM_8K])
    assert "price_set" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.void_price_set(actor=secretary, price_set=voided, reason="Again", now=NOW)
    assert "already voided" in messages(refused)


def test_the_refusal_names_no_case_the_actor_is_walled_from(users, case, price_set):
    study = run_study(users["secretary"], case, price_set, event_dates=[FORM_8K])
    case.company.executives.filter(key="ceo").update(user=users["admin"])  # the case covers the admin's pay
    with pytest.raises(ValidationError) as refused:
        services.void_price_set(actor=users["admin"], price_set=price_set, reason="Wrong ticker", now=NOW)
    assert "void it first" in messages(refused)
    assert str(case) not in messages(refused) and f"study {study.pk}" not in messages(refused)


@pytest.mark.parametrize(
    ("value", "says"),
    [("99999999999999999999", "must be below 100,000,000,000,000"), ("0.0000001", "which is zero at the 6")],
)
def test_a_price_that_cannot_be_kept_as_read_is_refused_at_the_dry_run(users, case, value, says):
    lines = demo_prices().decode().splitlines()
    day, company, _market, *peer = lines[5].split(",")
    lines[5] = ",".join([day, company, value, *peer])
    data = ("\n".join(lines) + "\n").encode()
    report = services.check_prices(file_name="prices.csv", data=data)
    assert not report.ok and any(says in issue.message for issue in report.errors)
    with pytest.raises(ValidationError):
        import_demo(users["secretary"], case.company, data=data, accept_warnings=True)
    assert not case.company.price_sets.exists()
