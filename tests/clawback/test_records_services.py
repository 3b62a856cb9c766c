"""Records services (clawback.services.records): every change validated in full, audited, and an award
accepted only if the scenario parser would accept it."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clawback.models import Award, Executive, MeasureValue, NamedExecutiveYear, OfficerPeriod, Restatement
from clawback.services import records as services
from clawback.services.awards import _clean_award as clean_award
from compliance_site.audit.models import AuditEvent
from compliance_site.company.models import PolicyAcknowledgement
from compliance_site.company.services import add_policy_version
from tests.factories import AwardFactory, ExecutiveFactory, MeasureFactory

CURVE = {"kind": "curve", "target": "800000", "points": [["180000000", "0.5"], ["220000000", "1.0"]]}


@pytest.fixture
def actor(users):
    return users["secretary"]


@pytest.fixture
def net_income(actor, company):
    return services.create_measure(
        actor=actor,
        company=company,
        key="net_income",
        name="Net income",
        category="net_income",
        values=[
            {"period_label": "FY2024", "original": Decimal("240000000")},
            {"period_label": "FY2025", "original": Decimal("260000000"), "source": "10-K"},
        ],
    )


@pytest.fixture
def ceo(actor, company):
    return services.create_executive(
        actor=actor,
        company=company,
        key="ceo",
        name="Avery Chen",
        officer_periods=[{"start": date(2015, 1, 1), "end": None}],
    )


def _errors(exc_info) -> dict:
    return exc_info.value.message_dict


def _award(actor, executive, measure, **overrides):
    terms = {
        "key": "ceo-fy2024-bonus",
        "award_type": "cash_bonus",
        "basis": "financial_reporting_measure",
        "performance_start": date(2024, 1, 1),
        "performance_end": date(2024, 12, 31),
        "received": Decimal("1200000"),
        "measure": measure,
        "measure_period": "FY2024",
        "formula": CURVE,
    }
    terms.update(overrides)
    return services.create_award(actor=actor, executive=executive, **terms)


# --- Executives -----------------------------------------------------------------------------------


def test_executive_is_recorded_with_dated_officer_periods_neo_years_and_an_audit_trail(actor, calendar):
    executive = services.create_executive(
        actor=actor,
        company=calendar,
        key="cfo",
        name="Blake Ortiz",
        title="Chief Financial Officer",
        officer_periods=[
            {"start": date(2024, 9, 1), "end": None, "title": "CFO"},
            {"start": date(2019, 1, 1), "end": date(2020, 6, 30), "title": "Controller"},
        ],
        neo_years=["FY2024", "FY2025", "FY2024"],
    )
    periods = list(executive.officer_periods.values_list("start", "end", "title"))
    assert periods == [(date(2019, 1, 1), date(2020, 6, 30), "Controller"), (date(2024, 9, 1), None, "CFO")]
    assert sorted(executive.neo_years.values_list("fiscal_year", flat=True)) == ["FY2024", "FY2025"]
    created = AuditEvent.objects.filter(object_type="clawback.executive", object_id=str(executive.pk))
    assert created.get().actor == actor


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        ([], "at least one period"),
        ([{"start": date(2020, 1, 1), "end": date(2019, 1, 1)}], "ends before it starts"),
        (
            [{"start": date(2015, 1, 1), "end": None}, {"start": date(2020, 1, 1), "end": None}],
            "overlaps",
        ),
        (
            [{"start": date(2015, 1, 1), "end": date(2020, 1, 1)}, {"start": date(2020, 1, 1), "end": None}],
            "overlaps",
        ),
    ],
)
def test_officer_periods_must_be_dated_spans_that_never_overlap(actor, company, periods, message):
    with pytest.raises(ValidationError) as caught:
        services.create_executive(actor=actor, company=company, key="x", name="X", officer_periods=periods)
    assert message in " ".join(_errors(caught)["officer_periods"])
    assert not Executive.objects.filter(key="x").exists()


def test_neo_year_must_be_a_fiscal_period_of_the_company(actor, calendar):
    with pytest.raises(ValidationError) as caught:
        services.create_executive(
            actor=actor,
            company=calendar,
            key="x",
            name="X",
            officer_periods=[{"start": date(2020, 1, 1)}],
            neo_years=["FY2031"],
        )
    assert "FY2031" in _errors(caught)["neo_years"][0]


def test_every_problem_of_an_executive_is_reported_at_once(actor, company, ceo):
    with pytest.raises(ValidationError) as caught:
        services.create_executive(actor=actor, company=company, key="ceo", name="", officer_periods=[])
    errors = _errors(caught)
    assert {"name", "officer_periods", "__all__"} <= set(errors)


def test_update_replaces_periods_and_neo_years_writing_audit_only_for_changes(actor, calendar, ceo):
    services.update_executive(
        actor=actor,
        executive=ceo,
        key="ceo",
        name="Avery Chen",
        officer_periods=[{"start": date(2015, 1, 1), "end": None}],
        neo_years=["FY2024"],
    )
    assert not AuditEvent.objects.filter(object_type="clawback.officerperiod", action="update").exists()
    services.update_executive(
        actor=actor,
        executive=ceo,
        key="ceo",
        name="Avery Chen",
        officer_periods=[{"start": date(2015, 1, 1), "end": date(2025, 3, 31)}],
        neo_years=[],
    )
    assert list(OfficerPeriod.objects.filter(executive=ceo).values_list("end", flat=True)) == [
        date(2025, 3, 31)
    ]
    assert not NamedExecutiveYear.objects.filter(executive=ceo).exists()
    assert AuditEvent.objects.filter(object_type="clawback.officerperiod", action="update").count() == 1


def test_a_sign_in_links_to_one_executive_only(actor, company, users, ceo):
    services.update_executive(
        actor=actor, executive=ceo, key="ceo", name=ceo.name, user=users["officer"],
        officer_periods=[{"start": date(2015, 1, 1)}],
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.create_executive(
            actor=actor, company=company, key="cfo", name="B", user=users["officer"],
            officer_periods=[{"start": date(2015, 1, 1)}],
        )  # fmt: skip
    assert "user" in _errors(caught)


# --- Measures -------------------------------------------------------------------------------------


def test_measure_values_given_are_changed_and_the_others_kept(actor, ceo, net_income):
    _award(actor, ceo, net_income)
    services.update_measure(
        actor=actor,
        measure=net_income,
        key="net_income",
        name="Net income",
        category="net_income",
        values=[{"period_label": "FY2025", "original": Decimal("1")}],
    )
    assert list(MeasureValue.objects.filter(measure=net_income).values_list("period_label", "original")) == [
        ("FY2024", Decimal("240000000")),
        ("FY2025", Decimal("1")),
    ]


def test_a_period_in_use_cannot_be_renamed_or_voided(actor, ceo, net_income):
    _award(actor, ceo, net_income)
    fy2024 = net_income.values.get(period_label="FY2024")
    with pytest.raises(ValidationError) as caught:
        services.update_measure(
            actor=actor,
            measure=net_income,
            key="net_income",
            name="Net income",
            category="net_income",
            values=[{"id": fy2024.pk, "period_label": "FY2023", "original": Decimal("1")}],
        )
    assert "ceo-fy2024-bonus" in _errors(caught)["values"][0]
    with pytest.raises(ValidationError, match="ceo-fy2024-bonus"):
        services.void_measure_value(actor=actor, value=fy2024, reason="typo", now=timezone.now())


def test_a_period_given_twice_is_refused(actor, company):
    with pytest.raises(ValidationError) as caught:
        services.create_measure(
            actor=actor, company=company, key="rev", name="Revenue", category="revenue",
            values=[{"period_label": "FY2024", "original": 1}, {"period_label": "FY2024", "original": 2}],
        )  # fmt: skip
    assert "more than once" in _errors(caught)["values"][0]


# --- Awards ---------------------------------------------------------------------------------------


def test_incentive_award_is_recorded_with_every_field(actor, ceo, net_income):
    award = _award(
        actor, ceo, net_income, grant_date=date(2024, 2, 1), approval_date=date(2024, 1, 25),
        vesting_date=date(2025, 3, 1), settlement_date=date(2025, 3, 5), notes="Annual bonus plan",
    )  # fmt: skip
    award.refresh_from_db()
    assert award.formula == CURVE and award.grant_date == date(2024, 2, 1)
    assert AuditEvent.objects.filter(object_type="clawback.award", object_id=str(award.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"formula": {"kind": "curve", "target": "1", "points": [["2", "1"], ["1", "2"]]}},
            "formula",
            "points[1]: points must be strictly ascending in x",
        ),
        ({"formula": {"kind": "linear"}}, "formula", "rate: required key is missing"),
        ({"formula": {"kind": "step"}}, "formula", 'kind: must be "curve" or "linear"'),
        ({"formula": {"kind": "linear", "rate": 0.5}}, "formula", "rate: must be a string holding a decimal"),
        ({"received": Decimal("100.125")}, "received", "at most two decimal places"),
        ({"measure_period": "FY2031"}, "measure_period", 'has no value for "FY2031"'),
        ({"measure": None, "measure_period": ""}, "measure", "an incentive-based award needs a measure"),
        ({"unit": "units"}, "value_per_unit", "required when unit is"),
        ({"value_per_unit": Decimal("40")}, "value_per_unit", 'only allowed when unit is "units"'),
        ({"performance_end": date(2023, 1, 1)}, "performance_end", "must not be before start"),
    ],
)
def test_award_is_validated_by_the_scenario_parser_rules(actor, ceo, net_income, overrides, field, message):
    overrides = dict(overrides)
    with pytest.raises(ValidationError) as caught:
        _award(actor, ceo, overrides.pop("measure", net_income), **overrides)
    errors = _errors(caught)
    assert any(message in m for m in errors.get(field, [])) or (
        field == "__all__" and any(message in m or "after" in m for ms in errors.values() for m in ms)
    ), errors
    assert not Award.objects.exists()


def test_non_incentive_award_needs_no_measure_or_formula_but_cannot_half_give_one(actor, ceo, net_income):
    rsu = _award(
        actor, ceo, None, key="ceo-rsu", award_type="rsu", basis="time_vested", unit="units",
        value_per_unit=Decimal("38"), received=Decimal("5000"), measure_period="", formula=None,
    )  # fmt: skip
    assert rsu.measure is None
    with pytest.raises(ValidationError) as caught:
        _award(actor, ceo, net_income, key="ceo-salary", basis="salary", formula=None)
    assert "formula" in _errors(caught)


def test_award_keys_are_unique_across_the_company_so_a_case_can_be_exported(actor, company, ceo, net_income):
    _award(actor, ceo, net_income)
    cfo = ExecutiveFactory(company=company, key="cfo")
    with pytest.raises(ValidationError) as caught:
        _award(actor, cfo, net_income)
    assert "already has this key" in _errors(caught)["key"][0]


def test_measure_of_another_company_is_refused(actor, ceo):
    other = MeasureFactory(key="net_income")
    MeasureValue.objects.create(measure=other, period_label="FY2024", original=1)
    with pytest.raises(ValidationError) as caught:
        _award(actor, ceo, other)
    assert "another company" in _errors(caught)["measure"][0]


def test_sale_fields_belong_to_unit_awards_and_go_together(actor, ceo, net_income):
    with pytest.raises(ValidationError) as caught:
        _award(actor, ceo, net_income, units_sold=Decimal("10"))
    assert {"units_sold", "sale_price"} <= set(_errors(caught))
    with pytest.raises(ValidationError) as caught:
        _award(
            actor, ceo, net_income, key="psu", unit="units", value_per_unit=Decimal("40"),
            received=Decimal("100"), units_sold=Decimal("150"), sale_price=Decimal("41"),
        )  # fmt: skip
    assert "More units sold than received." in _errors(caught)["units_sold"]


def test_update_award_changes_terms_and_executive(actor, company, ceo, net_income):
    award = _award(actor, ceo, net_income)
    cfo = services.create_executive(
        actor=actor, company=company, key="cfo", name="B", officer_periods=[{"start": date(2020, 1, 1)}]
    )
    terms = {f: getattr(award, f) for f in services.AWARD_TERMS}
    terms["received"] = Decimal("1100000")
    services.update_award(actor=actor, award=award, executive=cfo, **terms)
    award.refresh_from_db()
    assert (award.executive, award.received) == (cfo, Decimal("1100000"))
    change = AuditEvent.objects.filter(object_type="clawback.award", action="update").get()
    assert set(change.changes) == {"executive_id", "received"}


# --- Restatements and events ----------------------------------------------------------------------


def test_restatement_records_the_policy_in_force_by_default(actor, company, ceo, net_income):
    # The installation seeds version 1.0 (effective 2023-12-01); 2.0 replaces it, 3.0 is not yet in force.
    current = add_policy_version(
        actor=actor, kind="clawback", version="2.0", title="Clawback policy", text="...",
        effective_date=date(2025, 1, 1), approved_on=date(2024, 12, 1), approved_by="Board",
    )  # fmt: skip
    add_policy_version(
        actor=actor, kind="clawback", version="3.0", title="Clawback policy", text="...",
        effective_date=date(2030, 1, 1), approved_on=date(2029, 12, 1), approved_by="Board",
    )  # fmt: skip
    case = services.record_restatement(
        actor=actor, company=company, title="FY2025 restatement", kind="big_r", today=date(2026, 5, 1),
        covered_executives=[ceo],
    )  # fmt: skip
    assert case.policy_version == current
    assert list(case.covered_executives.all()) == [ceo]
    assert AuditEvent.objects.filter(verb="case-scope-recorded", object_id=str(case.pk)).exists()


def test_restatement_refuses_a_reg_fd_policy_and_records_of_another_company(actor, company):
    regfd = add_policy_version(
        actor=actor, kind="regfd", version="1", title="FD", text="...", effective_date=date(2024, 1, 1)
    )
    stranger = ExecutiveFactory()
    with pytest.raises(ValidationError) as caught:
        services.record_restatement(
            actor=actor, company=company, title="X", kind="big_r", today=date(2026, 1, 1),
            policy_version=regfd, covered_executives=[stranger],
        )  # fmt: skip
    assert {"policy_version", "covered_executives"} <= set(_errors(caught))


def test_should_have_concluded_needs_a_rationale(actor, company):
    case = services.record_restatement(
        actor=actor, company=company, title="X", kind="big_r", today=date(2026, 1, 1)
    )
    with pytest.raises(ValidationError) as caught:
        services.add_restatement_event(
            actor=actor, restatement=case, kind="should_have_concluded", date=date(2026, 3, 1), rationale="  "
        )
    assert "rationale" in _errors(caught)
    event = services.add_restatement_event(
        actor=actor, restatement=case, kind="should_have_concluded", date=date(2026, 3, 1),
        rationale="The auditor's memo of 2026-02-27 identified the error; the committee did not act.",
    )  # fmt: skip
    assert event.pk and AuditEvent.objects.filter(object_type="clawback.restatementevent").exists()


def test_changing_a_signed_off_case_needs_a_reason(actor, company):
    case = services.record_restatement(
        actor=actor, company=company, title="X", kind="big_r", today=date(2026, 1, 1)
    )
    event = services.add_restatement_event(
        actor=actor, restatement=case, kind="board_concluded", date=date(2026, 1, 5)
    )
    Restatement.objects.filter(pk=case.pk).update(status=Restatement.Status.APPROVED)
    case.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.update_restatement(actor=actor, restatement=case, title="Y", kind="big_r")
    assert "reason" in _errors(caught)
    with pytest.raises(ValidationError):
        services.update_restatement_event(
            actor=actor, event=event, kind="board_concluded", date=date(2026, 1, 6)
        )
    services.update_restatement(
        actor=actor, restatement=case, title="Y", kind="big_r", reason="Typo in title"
    )
    change = AuditEvent.objects.filter(object_type="clawback.restatement", action="update").latest("seq")
    assert change.reason == "Typo in title"


def test_changing_covered_executives_is_on_the_audit_trail(actor, company, ceo):
    case = services.record_restatement(
        actor=actor, company=company, title="X", kind="big_r", today=date(2026, 1, 1)
    )
    services.update_restatement(
        actor=actor, restatement=case, title="X", kind="big_r", covered_executives=[ceo]
    )
    action = AuditEvent.objects.get(verb="case-scope-changed")
    assert action.changes["covered_executives"] == [[], ["ceo"]]


# --- Acknowledgements -----------------------------------------------------------------------------


def test_acknowledgement_is_recorded_for_the_executive_from_its_evidence_once(actor, company, ceo):
    """A former executive without a sign-in (a paper acknowledgement) is recorded like anyone else."""
    policy = add_policy_version(
        actor=actor, kind="clawback", version="2.0", title="Clawback policy", text="...",
        effective_date=date(2025, 1, 1), approved_on=date(2024, 12, 1),
    )  # fmt: skip
    when = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
    assert ceo.user_id is None
    acknowledgement = services.record_policy_acknowledgement(
        actor=actor, policy=policy, executive=ceo, acknowledged_at=when, evidence="Signed form, HR file 12"
    )
    assert (acknowledgement.executive, acknowledgement.user, acknowledgement.recorded_by) == (
        ceo,
        None,
        actor,
    )
    assert acknowledgement.evidence == "Signed form, HR file 12"
    with pytest.raises(ValidationError) as caught:
        services.record_policy_acknowledgement(
            actor=actor, policy=policy, executive=ceo, acknowledged_at=when, evidence="Again"
        )
    assert "already acknowledged" in _errors(caught)["executive"][0]
    assert PolicyAcknowledgement.objects.count() == 1


def test_factory_award_without_measure_is_what_the_parser_refuses(actor, ceo):
    """Guard for the worksheet tests: AwardFactory's default (incentive, no measure) is not a valid award."""
    award = AwardFactory.build(executive=ceo)
    with pytest.raises(ValidationError):
        clean_award(award, components=[])
