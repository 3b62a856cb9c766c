"""Case records that are never silently lost or mixed: each finding of the issue reproduced, through the pages
and the services.

- Editing a measure or an executive changes only what was changed (no row nobody touched is removed).
- A case reads only its own restated values; the restatement form ticks no executive.
- Mistakes are voided with a reason, never deleted; a recovery entry is reversed.
- Numbers are typed as finance people type them; errors are plain words, all at once.
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clawback.models import Award, Measure, MeasureValue, OfficerPeriod, RestatedValue, Restatement
from clawback.recovery import evaluate
from clawback.services import records
from clawback.services.scenarios import scenario_with_estimates
from compliance_site.audit.models import AuditEvent
from compliance_site.audit.voiding import RecordNotDeletable
from tests.conftest import login
from tests.factories import ExecutiveFactory, add_fiscal_years

ET = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=ET)
CURVE = [["180000000", "0.5"], ["220000000", "1.0"], ["260000000", "2.0"]]


@pytest.fixture
def calendar(company):
    return add_fiscal_years(company, range(2022, 2027))


@pytest.fixture
def measure(calendar, users):
    return records.create_measure(
        actor=users["secretary"],
        company=calendar,
        key="net_income",
        name="Net income",
        category="net_income",
        values=[{"period_label": "FY2024", "original": Decimal("240000000"), "source": "FY2024 10-K"}],
    )


def _measure_post(measure: Measure, rows: list[dict], **fields) -> dict:
    data = {
        "key": measure.key,
        "name": measure.name,
        "category": measure.category,
        "values-TOTAL_FORMS": str(len(rows)),
        "values-INITIAL_FORMS": str(sum(1 for r in rows if r.get("id"))),
        "values-MIN_NUM_FORMS": "0",
        "values-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"values-{i}-{name}"] = value
    return data


def _bonus(users, calendar, measure, *, executive_key="ceo", key="ceo-fy2024-bonus"):
    """A bonus on a curve of FY2024 net income: 1.2m received, 0.8m target."""
    executive = ExecutiveFactory(company=calendar, key=executive_key)
    bonus = records.create_award(
        actor=users["secretary"],
        executive=executive,
        key=key,
        award_type="cash_bonus",
        basis="financial_reporting_measure",
        performance_start=date(2024, 1, 1),
        performance_end=date(2024, 12, 31),
        measure=measure,
        measure_period="FY2024",
        formula={"kind": "curve", "target": "800000", "points": CURVE},
        received=Decimal("1200000"),
        now=NOW,
    )
    return executive, bonus


def _restate(users, case, measure, figure):
    """Record `figure` as the case's restated FY2024 value of `measure`; returns the rows written."""
    return records.set_restated_values(
        actor=users["secretary"],
        restatement=case,
        values=[{"measure": measure, "period_label": "FY2024", "restated": Decimal(figure)}],
        now=NOW,
    )


# --- 1. Edits change only what the user changed ------------------------------------------------------


def test_adding_fy2025_to_a_measure_keeps_fy2024(client, users, measure):
    fy2024 = measure.values.get()
    login(client, users["secretary"])
    # As the page sends it: the FY2024 row untouched, FY2025 typed in the blank row.
    response = client.post(
        reverse("clawback:measure-edit", args=[measure.pk]),
        _measure_post(
            measure,
            [
                {
                    "id": fy2024.pk,
                    "period_label": "FY2024",
                    "original": "240,000,000",
                    "source": "FY2024 10-K",
                },
                {"period_label": "FY2025", "original": "$250,000,000", "source": "FY2025 10-K"},
            ],
        ),
    )
    if response.status_code != 302:
        assert response.status_code == 302
    assert dict(measure.values.values_list("period_label", "original")) == {
        "FY2024": Decimal("240000000"),
        "FY2025": Decimal("250000000"),
    }
    assert not AuditEvent.objects.filter(object_type="clawback.measurevalue", action="delete").exists()


def test_a_measure_edit_leaving_a_row_out_keeps_it(users, measure):
    records.update_measure(
        actor=users["secretary"],
        measure=measure,
        key=measure.key,
        name=measure.name,
        category=measure.category,
        values=[{"period_label": "FY2025", "original": Decimal("1")}],
        now=NOW,
    )
    assert set(measure.values.values_list("period_label", flat=True)) == {"FY2024", "FY2025"}


def test_changing_only_the_source_of_a_value_an_award_uses_is_accepted(client, users, measure, calendar):
    _bonus(users, calendar, measure)
    fy2024 = measure.values.get()
    login(client, users["secretary"])
    response = client.post(
        reverse("clawback:measure-edit", args=[measure.pk]),
        _measure_post(
            measure,
            [{"id": fy2024.pk, "period_label": "FY2024", "original": "240000000", "source": "FY2024 10-K/A"}],
        ),
    )
    if response.status_code != 302:
        assert response.status_code == 302
    assert measure.values.get().source == "FY2024 10-K/A"


def test_linking_an_executive_to_a_sign_in_keeps_the_period_on_screen(client, users, calendar):
    executive = ExecutiveFactory(company=calendar, key="cfo", name="Blake Ortiz")
    period = executive.officer_periods.get()
    login(client, users["secretary"])
    response = client.post(
        reverse("clawback:executive-edit", args=[executive.pk]),
        {
            "key": "cfo",
            "name": "Blake Ortiz",
            "title": "",
            "user": users["auditor"].pk,
            "periods-TOTAL_FORMS": "2",
            "periods-INITIAL_FORMS": "1",
            "periods-MIN_NUM_FORMS": "0",
            "periods-MAX_NUM_FORMS": "1000",
            "periods-0-id": period.pk,
            "periods-0-start": "2015-01-01",
            "periods-0-end": "",
            "periods-0-title": "",
            "periods-1-start": "",
            "periods-1-end": "",
            "periods-1-title": "",
        },
    )
    if response.status_code != 302:
        assert response.status_code == 302
    executive.refresh_from_db()
    assert executive.user == users["auditor"]
    assert list(executive.officer_periods.values_list("start", flat=True)) == [date(2015, 1, 1)]


# --- 2. A case reads only its own restated values ------------------------------------------------------


def _case(users, calendar, *, title: str, executive) -> Restatement:
    case = records.record_restatement(
        actor=users["secretary"],
        company=calendar,
        title=title,
        kind="big_r",
        today=date(2026, 5, 1),
        covered_executives=[executive],
    )
    records.add_restatement_event(
        actor=users["secretary"], restatement=case, kind="board_concluded", date=date(2026, 4, 15), now=NOW
    )
    return case


def test_two_cases_restating_the_same_period_each_use_only_their_own_figure(users, calendar, measure):
    executive, _ = _bonus(users, calendar, measure)
    first = _case(users, calendar, title="Net income restatement", executive=executive)
    second = _case(users, calendar, title="Second restatement", executive=executive)
    for case, figure in ((first, "228000000"), (second, "200000000")):
        _restate(users, case, measure, figure)
    # 228m -> factor 1.2 -> 960,000 (excess 240,000); 200m -> factor 0.75 -> 600,000 (excess 600,000).
    assert evaluate(scenario_with_estimates(first)).totals.excess_usd == Decimal("240000.00")
    assert evaluate(scenario_with_estimates(second)).totals.excess_usd == Decimal("600000.00")
    assert measure.values.get().original == Decimal("240000000")


def test_a_case_without_restated_values_recomputes_nothing(users, calendar, measure):
    executive = ExecutiveFactory(company=calendar, key="ceo")
    other = _case(users, calendar, title="Other", executive=executive)
    _restate(users, other, measure, "1")
    case = _case(users, calendar, title="Revenue restatement", executive=executive)
    document_values = scenario_with_estimates(case).measures
    assert all(v.restated is None for m in document_values for v in m.values.values())


def test_the_restatement_form_ticks_no_executive_and_proposes_officers_in_the_window(client, users, calendar):
    ExecutiveFactory(company=calendar, key="ceo", name="Avery Chen")
    left = ExecutiveFactory(company=calendar, key="old", name="Old Officer")
    left.officer_periods.update(start=date(2005, 1, 1), end=date(2010, 12, 31))
    login(client, users["secretary"])
    page = client.get(reverse("clawback:restatement-create")).content.decode()
    assert 'name="covered_executives"' in page
    assert (
        "checked"
        not in page.split('name="covered_executives"', 1)[1]
        .split("</fieldset>")[0]
        .split("policy_version")[0]
    )
    assert "Avery Chen — served as an officer in the look-back window" in page
    assert "Old Officer — served" not in page


# --- 3. Void, never delete ---------------------------------------------------------------------------


@pytest.fixture
def award(users, calendar, measure):
    executive = ExecutiveFactory(company=calendar, key="ceo")
    return records.create_award(
        actor=users["secretary"],
        executive=executive,
        key="mistake",
        award_type="cash_bonus",
        basis="time_vested",
        performance_start=date(2024, 1, 1),
        performance_end=date(2024, 12, 31),
        received=Decimal("5"),
        now=NOW,
    )


def test_a_voided_award_leaves_lists_and_drop_downs_and_stays_in_the_history(client, users, award):
    login(client, users["secretary"])
    page = reverse("clawback:void", args=["award", award.pk])
    assert "Void the award mistake" in client.get(page).content.decode()
    assert client.post(page, {"reason": ""}).status_code == 400
    response = client.post(page, {"reason": "Entered twice by mistake"})
    assert response.status_code == 302
    assert not Award.objects.filter(pk=award.pk).exists()
    voided = Award.all_objects.get(pk=award.pk)
    assert voided.void_reason == "Entered twice by mistake" and voided.voided_by == users["secretary"]
    link = f'href="{reverse("clawback:award-detail", args=[award.pk])}"'
    assert link not in client.get(reverse("clawback:award-list")).content.decode()
    assert link in client.get(reverse("clawback:award-list") + "?show_voided=1").content.decode()
    assert client.get(reverse("clawback:award-detail", args=[award.pk])).status_code == 200
    assert client.get(reverse("clawback:award-edit", args=[award.pk])).status_code == 404
    event = AuditEvent.objects.get(object_type="clawback.award", object_id=str(award.pk), verb="void")
    assert event.reason == "Entered twice by mistake" and event.actor == users["secretary"]


def test_records_an_engine_reads_cannot_be_deleted(award, measure):
    with pytest.raises(RecordNotDeletable):
        award.delete()
    with pytest.raises(RecordNotDeletable):
        MeasureValue.objects.all().delete()


def test_a_measure_an_award_uses_cannot_be_voided(users, measure, calendar):
    _bonus(users, calendar, measure, executive_key="cfo", key="cfo-bonus")
    with pytest.raises(ValidationError, match="cfo-bonus"):
        records.void_measure(actor=users["secretary"], measure=measure, reason="typo", now=NOW)
    with pytest.raises(ValidationError, match="cfo-bonus"):
        records.void_measure_value(
            actor=users["secretary"], value=measure.values.get(), reason="typo", now=NOW
        )


def test_removing_a_period_of_service_asks_a_reason_and_keeps_one(users, calendar):
    executive = ExecutiveFactory(company=calendar, key="cfo")
    only = executive.officer_periods.get()
    with pytest.raises(ValidationError, match="at least one period"):
        records.void_officer_period(actor=users["secretary"], period=only, reason="wrong", now=NOW)
    second = OfficerPeriod.objects.create(executive=executive, start=date(2020, 1, 1), end=date(2020, 6, 30))
    only.end = date(2019, 12, 31)
    only.save()
    records.void_officer_period(actor=users["secretary"], period=second, reason="Never served then", now=NOW)
    assert list(executive.officer_periods.all()) == [only]


def test_a_voided_restated_value_leaves_the_case(users, calendar, measure):
    executive = ExecutiveFactory(company=calendar, key="ceo")
    case = _case(users, calendar, title="Case", executive=executive)
    (row,) = _restate(users, case, measure, "1")
    records.void_restated_value(actor=users["secretary"], restated=row, reason="Wrong case", now=NOW)
    assert not RestatedValue.objects.filter(restatement=case).exists()
    # A new figure can be recorded once the mistaken one is voided.
    _restate(users, case, measure, "2")
    assert RestatedValue.objects.get(restatement=case).restated == Decimal("2")


# --- 4. Numbers as people write them; plain errors, all at once ------------------------------------


def test_the_measure_form_shows_amounts_formatted(client, users, measure):
    MeasureValue.objects.filter(measure=measure).update(original=Decimal("1100000000"))
    login(client, users["secretary"])
    page = client.get(reverse("clawback:measure-edit", args=[measure.pk])).content.decode()
    assert 'value="1,100,000,000"' in page
    assert "1100000000.000000" not in page


def test_a_database_rule_reads_as_a_sentence_not_a_constraint_name(client, users, calendar):
    executive = ExecutiveFactory(company=calendar, key="ceo")
    login(client, users["secretary"])
    response = client.post(
        reverse("clawback:award-create"),
        {
            "executive": executive.pk,
            "key": "bad",
            "award_type": "cash_bonus",
            "basis": "time_vested",
            "performance_start": "2024-12-31",
            "performance_end": "2024-01-01",
            "received": "$1,000,000",
            "unit": "USD",
            "goals-TOTAL_FORMS": "0",
            "goals-INITIAL_FORMS": "0",
            "goals-MIN_NUM_FORMS": "0",
            "goals-MAX_NUM_FORMS": "1000",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "award_period_end_after_start" not in text and "violated" not in text
    assert "must not be before start" in text.split('id="id_performance_end"', 1)[1][:800]


def test_every_error_of_the_measure_page_shows_at_once(client, users, measure):
    login(client, users["secretary"])
    response = client.post(
        reverse("clawback:measure-edit", args=[measure.pk]),
        _measure_post(measure, [{"period_label": "FY2025", "original": "lots"}], key="not a slug!"),
    )
    text = response.content.decode()
    assert "Enter a number, e.g. 1,250,000" in text  # the grid's error
    assert "Enter a valid" in text  # the form's own (the key), in the same response


# --- Amounts already recovered -----------------------------------------------------------------------


def test_an_amount_already_recovered_is_credited_and_the_rest_remains(client, users, calendar, measure):
    executive, bonus = _bonus(users, calendar, measure)
    earlier = _case(users, calendar, title="Earlier restatement", executive=executive)
    case = _case(users, calendar, title="Net income restatement", executive=executive)
    for each in (earlier, case):
        _restate(users, each, measure, "228000000")
    login(client, users["secretary"])
    response = client.post(
        reverse("clawback:award-credit-add", args=[bonus.pk]),
        {
            "amount": "$100,000",
            "recovered_on": "2026-09-01",
            "source": "prior_restatement",
            "reference": "Restatement 2026-1",
            "under_case": earlier.pk,
        },
    )
    assert response.status_code == 302
    result = evaluate(scenario_with_estimates(case))
    assert (result.totals.excess_usd, result.totals.to_recover_usd) == (
        Decimal("240000.00"),
        Decimal("140000.00"),
    )
    # The case it was recovered under does not credit it to itself.
    assert evaluate(scenario_with_estimates(earlier)).totals.to_recover_usd == Decimal("240000.00")
    page = client.get(reverse("clawback:restatement-worksheet", args=[case.pk])).content.decode()
    assert "Remaining to recover" in page and "$140,000.00" in page


# --- A recovery entry is corrected by a reversing entry -------------------------------------------------


def test_a_mistaken_recovery_entry_is_reversed_and_both_stay_on_the_ledger(client, users):
    from clawback.models import RecoveryEvent
    from clawback.services import recovery
    from tests.clawback.workflow_setup import NOW as LATER
    from tests.clawback.workflow_setup import claim_of, in_recovery, recover

    case = in_recovery(users)
    claim = claim_of(case, "evp")
    entry = recover(
        claim,
        users["secretary"],
        amount=Decimal("20000"),
        occurred_on=LATER.date(),
        evidence="Wire 123 (typed against the wrong executive)",
        now=LATER,
    )
    assert recovery.claim_position_of(claim, as_of=LATER.date()).outstanding == Decimal("100000.00")
    login(client, users["secretary"])
    page = reverse("clawback:recovery-event-reverse", args=[entry.pk])
    assert "Reverse the recovery entry" in client.get(page).content.decode()
    assert client.post(page, {"reason": ""}).status_code == 400
    assert client.post(page, {"reason": "Recorded against the wrong executive"}).status_code == 302
    reversal = RecoveryEvent.objects.get(reverses=entry)
    assert (reversal.amount, reversal.reversal_reason) == (
        Decimal("-20000.00"),
        "Recorded against the wrong executive",
    )
    assert RecoveryEvent.objects.filter(pk=entry.pk, amount=Decimal("20000")).exists()  # the original is kept
    claim.refresh_from_db()
    assert recovery.claim_position_of(claim, as_of=LATER.date()).outstanding == Decimal("120000.00")
    # Once only.
    assert client.post(page, {"reason": "again"}).status_code == 400


def test_the_admin_offers_no_delete_for_any_engine_input(client, users, award, measure):
    from compliance_site.accounts.models import User

    admin = User.objects.create_superuser("root", "root@example.com", "x")
    login(client, admin)
    case = _case(users, award.company, title="Case", executive=award.executive)
    for model, pk in (
        ("executive", award.executive_id),
        ("measure", measure.pk),
        ("award", award.pk),
        ("restatement", case.pk),
    ):
        url = reverse(f"admin:clawback_{model}_delete", args=[pk])
        assert client.post(url, {"post": "yes"}).status_code == 403, model
    assert Award.objects.filter(pk=award.pk).exists()


def test_an_exported_case_with_scorecards_and_credits_re_evaluates_to_the_same_result(client, users):
    """Worked example 3 (a scorecard, units with a credit, a credit above the excess) imported as a case,
    exported as a scenario file, and evaluated again: the expected `/2` result each time."""
    import json

    from clawback.scenario import load_scenario, result_to_json
    from clawback.services import import_scenario_file
    from compliance_site.company.models import Company
    from tests.clawback.compare import differences_from_example, example_path

    company = Company.objects.create(name="Example 3 Inc.")
    case = import_scenario_file(
        actor=users["secretary"], company=company, text=example_path(3).read_text(), title="Example 3"
    )
    assert differences_from_example(result_to_json(evaluate(scenario_with_estimates(case))), 3) == []
    login(client, users["secretary"])
    exported = client.get(reverse("clawback:restatement-scenario", args=[case.pk])).content.decode()
    assert json.loads(exported)["format"] == "clawback-scenario/2"
    assert differences_from_example(result_to_json(evaluate(load_scenario(exported))), 3) == []


def test_a_voided_measure_leaves_every_drop_down(client, users, measure):
    login(client, users["secretary"])
    form_url = reverse("clawback:award-create")
    assert "Net income — FY2024" in client.get(form_url).content.decode()
    records.void_measure(actor=users["secretary"], measure=measure, reason="Created by mistake", now=NOW)
    assert "Net income — FY2024" not in client.get(form_url).content.decode()
    link = f'href="{reverse("clawback:measure-detail", args=[measure.pk])}"'
    assert link not in client.get(reverse("clawback:measure-list")).content.decode()
    assert link in client.get(reverse("clawback:measure-list") + "?show_voided=1").content.decode()
    assert client.get(reverse("clawback:measure-detail", args=[measure.pk])).status_code == 200


# --- Query counts: the new sections of the detail pages cost the same whatever their length -------------


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_case_page_costs_the_same_for_2_and_12_restated_values_and_voided_rows(client, users, calendar):
    executive = ExecutiveFactory(company=calendar, key="ceo")
    case = _case(users, calendar, title="Case", executive=executive)
    login(client, users["secretary"])
    url = reverse("clawback:restatement-detail", args=[case.pk])

    def add(n, start):
        for i in range(start, start + n):
            m = records.create_measure(
                actor=users["secretary"],
                company=calendar,
                key=f"m{i}",
                name=f"Measure {i}",
                category="revenue",
                values=[{"period_label": "FY2024", "original": Decimal(100 + i)}],
            )
            (row,) = _restate(users, case, m, 90 + i)
            if i % 2:
                records.void_restated_value(actor=users["secretary"], restated=row, reason="typo", now=NOW)

    add(2, 0)
    few = _queries(client, url)
    add(10, 2)
    assert _queries(client, url) == few


def test_the_award_page_costs_the_same_for_1_and_8_credits(client, users, calendar, measure):
    executive, bonus = _bonus(users, calendar, measure)
    login(client, users["secretary"])
    url = reverse("clawback:award-detail", args=[bonus.pk])

    def add(n):
        for i in range(n):
            credit = records.record_award_credit(
                actor=users["secretary"],
                award=bonus,
                amount=Decimal(1000 + i),
                recovered_on=date(2026, 1, 1),
                source="other",
                reference=f"Ref {i}",
                now=NOW,
            )
            if i % 3 == 0:
                records.void_award_credit(actor=users["secretary"], credit=credit, reason="twice", now=NOW)

    add(1)
    few = _queries(client, url)
    add(7)
    assert _queries(client, url) == few


def test_a_scorecard_award_is_entered_on_the_award_page(client, users, calendar, measure):
    executive = ExecutiveFactory(company=calendar, key="cfo")
    value = measure.values.get(period_label="FY2024")
    login(client, users["secretary"])
    data = {
        "executive": executive.pk,
        "key": "cfo-fy2024-scorecard",
        "award_type": "cash_bonus",
        "basis": "financial_reporting_measure",
        "performance_start": "2024-01-01",
        "performance_end": "2024-12-31",
        "formula_kind": "scorecard",
        "target": "$500,000",
        "cap_factor": "1.5",
        "received": "570,000",
        "unit": "USD",
        "goals-TOTAL_FORMS": "2",
        "goals-INITIAL_FORMS": "0",
        "goals-MIN_NUM_FORMS": "0",
        "goals-MAX_NUM_FORMS": "1000",
        "goals-0-basis": "financial_reporting_measure",
        "goals-0-measure_value": value.pk,
        "goals-0-weight": "0.8",
        "goals-0-points": "180000000, 0.5\n220000000, 1.0\n260000000, 2.0",
        "goals-1-basis": "operational_goal",
        "goals-1-weight": "0.2",
        "goals-1-factor": "1.2",
    }
    response = client.post(reverse("clawback:award-create"), data)
    assert response.status_code == 302, response.context["form"].errors
    award = Award.objects.get(key="cfo-fy2024-scorecard")
    assert award.scorecard_target == Decimal("500000") and award.formula is None
    goals = list(award.components.order_by("position"))
    assert [(g.basis, g.measure_id, g.weight, g.factor) for g in goals] == [
        ("financial_reporting_measure", measure.pk, Decimal("0.8"), None),
        ("operational_goal", None, Decimal("0.2"), Decimal("1.2")),
    ]
    # A goal without its score is refused next to the goal, and nothing is saved.
    data |= {"key": "other", "goals-1-factor": ""}
    response = client.post(reverse("clawback:award-create"), data)
    assert response.status_code == 200
    assert response.context["goals"].errors[1]["factor"] == ["Give the goal's score as assessed."]
    assert not Award.objects.filter(key="other").exists()


@pytest.mark.parametrize(
    ("field", "day"),
    [
        ("performance_end", date(9999, 12, 31)),
        ("grant_date", date(1, 1, 1)),
        ("approval_date", date(9999, 12, 31)),
    ],
)
def test_an_award_date_outside_the_record_years_is_refused_on_its_field(users, calendar, field, day):
    """9999-12-31 was taken and shown as "deemed received 9999-12-31"."""
    executive = ExecutiveFactory(company=calendar, key="ceo")
    terms = {"performance_start": date(2024, 1, 1), "performance_end": date(2024, 12, 31)} | {field: day}
    with pytest.raises(ValidationError) as refused:
        records.create_award(
            actor=users["secretary"], executive=executive, key="typo", award_type="cash_bonus",
            basis="time_vested", received=Decimal("5"), now=NOW, **terms,
        )  # fmt: skip
    assert "between the years 1900 and 2199" in " ".join(refused.value.message_dict[field])
