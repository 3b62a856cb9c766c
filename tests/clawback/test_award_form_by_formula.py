"""Finding: the award form showed all its fields whatever the formula. Its fields now come in fieldsets: those
of every award, one per formula (data-formula) and the units-only ones (data-unit). The page starts the groups
of another formula hidden when the formula is known (an edit, a posted form), never one with an error;
static/js/award-form.js follows the choice; without JavaScript every group shows and its legend says when it
applies. What was typed in the fields of a formula not chosen is neither checked nor saved.

Also: the worksheet's conclusion is information, not an error, and says "1 award awaiting", "4,600 shares"."""

from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from clawback.forms.records import AwardForm
from clawback.models import Award
from clawback.selectors import _outcome
from tests.factories import ExecutiveFactory, MeasureFactory

FORMULAS = ("curve", "linear", "scorecard")


class Fieldsets(HTMLParser):
    """The form's fieldsets by data-group: their attributes, legend text, and the names of their inputs."""

    def __init__(self, html: str):
        super().__init__()
        self.groups: dict[str, dict] = {}
        self._current = None
        self._in_legend = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "fieldset" and "data-group" in a:
            self._current = {"attrs": a, "legend": "", "names": set(), "text": ""}
            self.groups[a["data-group"]] = self._current
        elif self._current is not None:
            if tag == "legend":
                self._in_legend = True
            if tag in ("input", "select", "textarea") and a.get("name"):
                self._current["names"].add(a["name"])

    def handle_endtag(self, tag):
        if tag == "fieldset":
            self._current = None
        elif tag == "legend":
            self._in_legend = False

    def handle_data(self, data):
        if self._current is not None:
            self._current["text"] += data
            if self._in_legend:
                self._current["legend"] += data

    def hidden(self, name: str) -> bool:
        return "hidden" in self.groups[name]["attrs"]


@pytest.fixture
def secretary(users):
    client = Client()
    client.force_login(users["secretary"])
    return client


@pytest.fixture
def ceo_and_measure(company):
    ceo = ExecutiveFactory(company=company, key="ceo", name="Avery Chen")
    measure = MeasureFactory(company=company, key="net_income")
    measure.values.create(period_label="FY2024", original=240000000)
    return ceo, measure


def _award_data(ceo, measure, **overrides):
    data = {
        "executive": ceo.pk, "key": "ceo-fy2024-bonus", "award_type": "cash_bonus",
        "basis": "financial_reporting_measure", "performance_start": "2024-01-01",
        "performance_end": "2024-12-31",
        "measure_value": measure.values.get(period_label="FY2024").pk, "formula_kind": "curve", "target": "800,000",
        "points": "180000000, 0.5\n220000000, 1.0\n260000000, 2.0", "unit": "USD", "received": "1200000",
        "grant_date": "2024-02-01",
    }  # fmt: skip
    data.update(overrides)
    return data


def _create(secretary, data):
    return secretary.post(reverse("clawback:award-create"), data)


# --- The groups -------------------------------------------------------------------------------------


def test_the_new_form_has_one_fieldset_per_formula_all_shown_until_a_formula_is_chosen(
    secretary, ceo_and_measure
):
    html = secretary.get(reverse("clawback:award-create")).content.decode()
    page = Fieldsets(html)
    for formula in FORMULAS:
        (group,) = [g for g in page.groups.values() if g["attrs"].get("data-formula") == formula]
        # Without JavaScript every group shows, its legend saying when it applies.
        assert "hidden" not in group["attrs"]
        assert "only when “How it pays” is" in group["legend"]
    assert page.groups["curve"]["names"] == {"points"}
    assert page.groups["linear"]["names"] == {"rate", "offset", "cap"}
    assert page.groups["target"]["attrs"]["data-formula"] == "curve scorecard"
    assert page.groups["target"]["names"] == {"target"}
    # The scorecard's group holds its cap and the goals grid.
    scorecard = page.groups["scorecard"]["names"]
    assert "cap_factor" in scorecard and "goals-0-weight" in scorecard and "goals-TOTAL_FORMS" in scorecard
    assert page.groups["units"]["attrs"]["data-unit"] == "units"
    assert page.groups["units"]["names"] == {"value_per_unit", "units_sold", "sale_price"}
    always = page.groups["award"]["names"] | page.groups["pays"]["names"] | page.groups["received"]["names"]
    assert {"executive", "key", "award_type", "basis", "performance_start", "performance_end"} <= always
    assert {"measure_value", "formula_kind", "unit", "received"} <= always
    for name in ("award", "pays", "received"):
        assert not page.hidden(name) and "data-formula" not in page.groups[name]["attrs"]
    # Each field is in exactly one group; the script is loaded from our origin (no inline script: CSP).
    names = [n for g in page.groups.values() for n in g["names"] if not n.startswith("goals-")]
    assert len(names) == len(set(names))
    assert "js/award-form.js" in html and "<script>" not in html
    assert "css/award-form-noscript.css" in html  # inside <noscript>: undoes `hidden` without JavaScript


@pytest.mark.parametrize(
    ("formula", "shown"),
    [
        ("curve", {"target", "curve"}),
        ("linear", {"linear"}),
        ("scorecard", {"target", "scorecard"}),
        ("", set()),
    ],
)
def test_a_posted_form_starts_with_only_the_chosen_formulas_groups_shown(
    secretary, ceo_and_measure, formula, shown
):
    ceo, measure = ceo_and_measure
    # Refused (no amount received), so the page comes back with the formula known.
    response = _create(secretary, _award_data(ceo, measure, formula_kind=formula, received=""))
    assert response.status_code == 200
    page = Fieldsets(response.content.decode())
    conditional = {"target", "curve", "linear", "scorecard"}
    assert {name for name in conditional if not page.hidden(name)} == shown
    assert not page.hidden("received")  # the group with the error
    assert page.hidden("units")  # a USD award


def test_the_edit_page_of_a_curve_award_starts_with_the_curve_shown(secretary, ceo_and_measure):
    ceo, measure = ceo_and_measure
    assert _create(secretary, _award_data(ceo, measure)).status_code == 302
    award = Award.objects.get()
    page = Fieldsets(secretary.get(reverse("clawback:award-edit", args=[award.pk])).content.decode())
    assert not page.hidden("curve") and not page.hidden("target")
    assert page.hidden("linear") and page.hidden("scorecard") and page.hidden("units")


def test_an_award_without_formula_starts_with_every_formula_group_hidden_on_its_edit_page(
    secretary, ceo_and_measure
):
    ceo, measure = ceo_and_measure
    data = _award_data(ceo, measure, formula_kind="", target="", points="", basis="time_vested")
    data["measure_value"] = ""
    response = _create(secretary, data)
    assert response.status_code == 302, response.context["form"].errors
    award = Award.objects.get()
    page = Fieldsets(secretary.get(reverse("clawback:award-edit", args=[award.pk])).content.decode())
    assert all(page.hidden(name) for name in ("target", "curve", "linear", "scorecard"))


# --- Errors stay in sight ---------------------------------------------------------------------------


def test_an_error_shows_in_its_group_which_is_not_hidden(secretary, ceo_and_measure):
    ceo, measure = ceo_and_measure
    response = _create(secretary, _award_data(ceo, measure, formula_kind="linear", rate=""))
    assert response.status_code == 200
    page = Fieldsets(response.content.decode())
    assert "A linear formula needs a rate." in page.groups["linear"]["text"]
    assert not page.hidden("linear") and "data-has-errors" in page.groups["linear"]["attrs"]
    assert page.hidden("curve")


def test_a_group_with_an_error_is_never_hidden_even_of_another_formula(ceo_and_measure):
    ceo, measure = ceo_and_measure
    form = AwardForm(
        _award_data(ceo, measure),
        executives=type(ceo).objects.all(),
        measures=type(measure).objects.all(),
    )
    assert form.is_valid(), form.errors
    form.add_service_errors({"formula": ["rate must be positive"]})  # a refusal about a linear term
    groups = {g.name: g for g in form.field_groups}
    assert groups["linear"].errors and not groups["linear"].hidden
    assert groups["scorecard"].hidden


def test_a_refusal_about_the_goals_is_shown_in_the_scorecard_group(secretary, ceo_and_measure):
    ceo, measure = ceo_and_measure
    data = _award_data(ceo, measure, formula_kind="scorecard", measure_value="", points="", cap_factor="1.5")
    data |= {"goals-TOTAL_FORMS": "2", "goals-INITIAL_FORMS": "0"}
    response = _create(secretary, data)
    assert response.status_code == 200
    page = Fieldsets(response.content.decode())
    assert "A scorecard award needs at least one goal." in page.groups["scorecard"]["text"]
    assert not page.hidden("scorecard")


# --- What is saved ----------------------------------------------------------------------------------


def test_a_curve_award_saves_only_the_curve_whatever_was_typed_for_another_formula(
    secretary, ceo_and_measure
):
    ceo, measure = ceo_and_measure
    stray = {"rate": "0.005", "offset": "not a number", "cap": "2,000,000", "cap_factor": "1.5"}
    response = _create(secretary, _award_data(ceo, measure, **stray))
    assert response.status_code == 302, response.context["form"].errors
    award = Award.objects.get()
    assert award.formula == {
        "kind": "curve",
        "target": "800000",
        "points": [["180000000", "0.5"], ["220000000", "1.0"], ["260000000", "2.0"]],
    }
    assert award.scorecard_target is None and award.scorecard_cap_factor is None


def test_a_linear_award_ignores_a_stale_curve(secretary, ceo_and_measure):
    ceo, measure = ceo_and_measure
    response = _create(secretary, _award_data(ceo, measure, formula_kind="linear", rate="0.005", points="x"))
    assert response.status_code == 302, response.context["form"].errors
    assert Award.objects.get().formula == {"kind": "linear", "rate": "0.005"}


def test_switching_an_award_from_a_curve_to_linear_keeps_no_curve_term(secretary, ceo_and_measure):
    ceo, measure = ceo_and_measure
    assert _create(secretary, _award_data(ceo, measure)).status_code == 302
    award = Award.objects.get()
    # The edit page posts the curve's terms again, as its (hidden) fields still hold them.
    data = _award_data(ceo, measure, formula_kind="linear", rate="0.004", cap="1,500,000")
    response = secretary.post(reverse("clawback:award-edit", args=[award.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    award.refresh_from_db()
    assert award.formula == {"kind": "linear", "rate": "0.004", "cap": "1500000"}


def test_a_usd_award_ignores_the_units_only_fields(secretary, ceo_and_measure):
    ceo, measure = ceo_and_measure
    stray = {"value_per_unit": "62.50", "units_sold": "100", "sale_price": "60"}
    response = _create(secretary, _award_data(ceo, measure, **stray))
    assert response.status_code == 302, response.context["form"].errors
    award = Award.objects.get()
    assert (award.value_per_unit, award.units_sold, award.sale_price) == (None, None, None)


def test_an_award_in_units_keeps_its_units_fields(secretary, ceo_and_measure):
    ceo, measure = ceo_and_measure
    data = _award_data(ceo, measure, unit="units", received="4600", value_per_unit="62.50")
    response = _create(secretary, data | {"units_sold": "1000", "sale_price": "60"})
    assert response.status_code == 302, response.context["form"].errors
    award = Award.objects.get()
    assert (award.value_per_unit, award.units_sold, award.sale_price) == (
        Decimal("62.50"),
        Decimal("1000"),
        Decimal("60"),
    )
    page = secretary.get(reverse("clawback:award-detail", args=[award.pk])).content.decode()
    assert "4,600 units at $62.50 a unit" in page and "1,000 units at $60.00 a unit" in page
    edit = Fieldsets(secretary.get(reverse("clawback:award-edit", args=[award.pk])).content.decode())
    assert not edit.hidden("units")


# --- The conclusion ----------------------------------------------------------------------------------


def _result(**totals):
    values = {"excess_usd": Decimal(0), "excess_units": Decimal(0), "pending_estimates": 0} | totals
    return SimpleNamespace(
        triggers_recovery_analysis=True,
        required_on="2026-03-01",
        totals=SimpleNamespace(**values),
        awards=(),
    )


def test_the_conclusion_says_1_award_awaiting_and_the_units_as_people_read_them():
    case = SimpleNamespace()
    assert "1 award awaiting the committee's" in _outcome(case, _result(pending_estimates=1))[2]
    assert "2 awards awaiting the committee's" in _outcome(case, _result(pending_estimates=2))[2]
    text = _outcome(case, _result(excess_usd=Decimal("287500"), excess_units=Decimal("4600.0000")))[2]
    assert text == (
        "Erroneously awarded compensation of $287,500.00, including 4,600 shares or units, must be "
        "recovered reasonably promptly."
    )


def test_the_worksheet_shows_the_conclusion_as_information_not_an_error(users):
    from tests.clawback.test_worksheet import _import

    case = _import(1, users["secretary"])
    client = Client()
    client.force_login(users["committee"])
    html = client.get(reverse("clawback:restatement-worksheet", args=[case.pk])).content.decode()
    (outcome,) = [line for line in html.splitlines() if 'data-testid="outcome"' in line]
    assert "alert-info" in outcome and "alert-danger" not in outcome
