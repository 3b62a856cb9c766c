"""Forms for the records pages. They parse what a person typed; the services in
`clawback.services.records` decide whether it is a valid record (one set of rules for pages, API and
imports)."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms

from compliance_site.accounts.models import User
from compliance_site.company.models import FiscalPeriod
from compliance_site.forms import AmountField, AmountInput

from ..models import (
    Award,
    AwardComponent,
    AwardCredit,
    Executive,
    Measure,
    MeasureValue,
    Restatement,
)
from ..services.records import AWARD_TERMS
from .choices import GivenChoices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LOCAL_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
AMOUNT = AmountInput()

# The scenario format's limits on a decimal: 18 digits before the point, 20 after.
FORMULA_NUMBER = {"max_digits": 38, "decimal_places": 20}

REASON_HELP = "The case is signed off: say why this change is made (kept in the audit trail)."


def _decimal_text(value: Decimal) -> str:
    """A decimal as the scenario format writes it: plain digits, no exponent."""
    return format(value, "f")


# --- Executives -----------------------------------------------------------------------------------


class ExecutiveForm(forms.Form):
    key = forms.SlugField(max_length=60, help_text="Stable identifier used in scenario files, e.g. ceo.")
    name = forms.CharField(max_length=200)
    title = forms.CharField(max_length=200, required=False)
    user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Sign-in",
        help_text="Link the person's sign-in so they never see a case about their own pay.",
    )
    neo_years = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Named executive officer in",
        help_text="Fiscal years in which the person was a named executive officer (Item 402(w)).",
    )

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")
        labels = (
            FiscalPeriod.objects.filter(company=company).order_by("start").values_list("label", flat=True)
            if company is not None
            else []
        )
        self.fields["neo_years"].choices = [(label, label) for label in labels]

    @staticmethod
    def initial_for(executive: Executive) -> dict:
        return {
            "key": executive.key,
            "name": executive.name,
            "title": executive.title,
            "user": executive.user_id,
            "neo_years": [y.fiscal_year for y in executive.neo_years.all()],
        }


class OfficerPeriodForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    start = forms.DateField(widget=DATE, label="Service from")
    end = forms.DateField(
        widget=DATE, required=False, label="Service to", help_text="Empty while still serving."
    )
    title = forms.CharField(max_length=200, required=False, label="Title held")


# Rows are never deleted from the grid: a period is removed by its own "Remove" action with a reason.
OfficerPeriodFormSet = forms.formset_factory(OfficerPeriodForm, extra=1)


def _rows(formset) -> list[dict]:
    """Every row on screen that holds a record or new input: a row on record is sent even when untouched
    (the service leaves it as it is), and the blank row for a new entry only when something was typed."""
    return [
        f.cleaned_data
        for f in formset.forms
        if f.cleaned_data and (f.cleaned_data.get("id") or f.has_changed())
    ]


def officer_periods_from(formset) -> list[dict]:
    return [
        {"id": row.get("id"), "start": row["start"], "end": row.get("end"), "title": row.get("title") or ""}
        for row in _rows(formset)
    ]


# --- Measures -------------------------------------------------------------------------------------


class MeasureForm(forms.Form):
    key = forms.SlugField(
        max_length=60,
        help_text="A short, stable key used in scenario files: lower-case letters, digits and underscores.",
    )
    name = forms.CharField(max_length=200)
    category = forms.ChoiceField(
        choices=Measure.Category.choices,
        help_text="Stock price and TSR awards always need the committee's reasonable estimate.",
    )

    @staticmethod
    def initial_for(measure: Measure) -> dict:
        return {"key": measure.key, "name": measure.name, "category": measure.category}


class MeasureValueForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    period_label = forms.CharField(
        max_length=40, label="Period", help_text="A fiscal period of the company, e.g. FY2024 (or H1-2023)."
    )
    original = AmountField(max_digits=24, decimal_places=6, label="As first reported")
    source = forms.CharField(max_length=300, required=False, help_text="Filing or document.")


# Rows are never deleted from the grid: a value is removed by its own "Remove" action with a reason.
MeasureValueFormSet = forms.formset_factory(MeasureValueForm, extra=1)


def measure_values_from(formset) -> list[dict]:
    return [{k: row.get(k) for k in ("id", "period_label", "original", "source")} for row in _rows(formset)]


class MeasureValueChoice(forms.ModelChoiceField):
    """A measure and one of its periods, chosen together: an award can only be measured on a period the
    measure has a value for."""

    def label_from_instance(self, obj):
        return f"{obj.measure.name} — {obj.period_label}"


class _MeasureValueChoices(GivenChoices):
    """A form choosing among the values of the measures the page gives (`measures=`)."""

    def choices(self, field, rows):
        return measure_value_choices(rows) if field == "measure_value" else rows


def measure_value_choices(measures):
    return (
        MeasureValue.objects.filter(measure__in=measures)
        .select_related("measure")
        .order_by("measure__name", "period_label")
    )


# --- Awards ---------------------------------------------------------------------------------------


def parse_points(text: str) -> tuple[list[list[str]], list[str]]:
    """A payout curve typed one point per line, 'measure value, factor' (thousands separators allowed when
    the two numbers are separated by a semicolon or a tab): the points and the problems, by line."""
    points, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if ";" in line or "\t" in line:
            parts = [p for p in line.replace("\t", ";").split(";") if p.strip()]
        else:
            parts = [p for p in line.split(",") if p.strip()]
            if len(parts) == 1:
                parts = parts[0].split()
        try:
            if len(parts) != 2:
                raise InvalidOperation
            x, factor = (Decimal(p.strip().replace("_", "").replace(",", "").lstrip("$")) for p in parts)
            # Bounded before it is written out in full: "1E+999999999" would be a billion digits.
            if not all(v.is_finite() and (v == 0 or -20 <= v.adjusted() <= 17) for v in (x, factor)):
                raise InvalidOperation
        except (ValueError, InvalidOperation):
            problems.append(f"Line {number}: write 'measure value, factor', e.g. 180000000, 0.5.")
            continue
        points.append([_decimal_text(x), _decimal_text(factor)])
    return points, problems


def points_text(points) -> str:
    if not isinstance(points, list):
        return ""
    return "\n".join(", ".join(str(v) for v in point) for point in points if isinstance(point, list))


# The award's terms with fields of their own on the form: the measure and period, the formula, the scorecard.
AWARD_TERMS_OF_OWN = frozenset(
    {"measure", "measure_period", "formula", "scorecard_target", "scorecard_cap_factor"}
)


@dataclass(frozen=True)
class AwardFieldGroup:
    """One <fieldset> of the award form. `depends_on` names the choice that shows it ("formula": "How it
    pays", "unit": the unit) and `values` the choices it applies to; an unconditional group has neither.
    `when` is said in its legend, so that without JavaScript (every group shown) a reader knows when it
    applies."""

    name: str
    legend: str
    fields: tuple[str, ...]
    depends_on: str = ""
    values: tuple[str, ...] = ()
    when: str = ""


AWARD_FIELD_GROUPS = (
    AwardFieldGroup(
        "award",
        "The award",
        (
            "executive",
            "key",
            "award_type",
            "basis",
            "approval_date",
            "grant_date",
            "performance_start",
            "performance_end",
        ),
    ),
    AwardFieldGroup("pays", "Measure and formula", ("measure_value", "formula_kind")),
    AwardFieldGroup(
        "target",
        "Target",
        ("target",),
        "formula",
        ("curve", "scorecard"),
        "only when “How it pays” is a curve or a scorecard",
    ),
    AwardFieldGroup(
        "curve", "Curve", ("points",), "formula", ("curve",), "only when “How it pays” is a curve"
    ),
    AwardFieldGroup(
        "linear",
        "Linear rate",
        ("rate", "offset", "cap"),
        "formula",
        ("linear",),
        "only when “How it pays” is a linear rate",
    ),
    AwardFieldGroup(
        "scorecard",
        "Scorecard of weighted goals",
        ("cap_factor",),
        "formula",
        ("scorecard",),
        "only when “How it pays” is a scorecard",
    ),
    AwardFieldGroup(
        "received",
        "What was received",
        ("unit", "received", "requires_estimate", "vesting_date", "settlement_date"),
    ),
    AwardFieldGroup(
        "units",
        "Shares or units",
        ("value_per_unit", "units_sold", "sale_price"),
        "unit",
        ("units",),
        "only for an award in shares or units",
    ),
    AwardFieldGroup("notes", "", ("notes",)),  # no legend: a lone field, labelled, in no fieldset
)


@dataclass(frozen=True)
class ShownGroup:
    """A group as the page renders it: its bound fields, whether one has an error, and whether it starts
    hidden (never when it has an error)."""

    name: str
    legend: str
    when: str
    depends_on: str
    values: str  # the choices it applies to, as its data-formula / data-unit attribute says them
    fields: list
    errors: bool
    hidden: bool


class AwardForm(_MeasureValueChoices):
    """An award with how it pays: a curve (target x interpolated factor), a linear rate (rate x (measure -
    offset), capped), or a scorecard of weighted goals (entered in the goals grid below the form), as the
    scenario format defines them."""

    FORMULA_NONE, FORMULA_CURVE, FORMULA_LINEAR, FORMULA_SCORECARD = "", "curve", "linear", "scorecard"

    choices_from = {"executive": "executives", "measure_value": "measures"}

    executive = forms.ModelChoiceField(queryset=Executive.objects.none())
    key = forms.SlugField(max_length=80, help_text="Unique within the company, e.g. ceo-fy2024-bonus.")
    award_type = forms.ChoiceField(choices=Award.Type.choices, label="Type")
    basis = forms.ChoiceField(
        choices=Award.Basis.choices,
        help_text="Only awards based (wholly or in part) on a financial reporting measure are "
        "incentive-based "
        "compensation.",
    )
    approval_date = forms.DateField(widget=DATE, required=False)
    grant_date = forms.DateField(widget=DATE, required=False)
    performance_start = forms.DateField(widget=DATE)
    performance_end = forms.DateField(
        widget=DATE, help_text="The award is 'received' when the measure is attained: this date."
    )
    measure_value = MeasureValueChoice(
        queryset=MeasureValue.objects.none(),
        required=False,
        label="Measure and period",
        help_text="The financial reporting measure the award pays on, for the period it is measured over "
        "(none for a scorecard: its goals name their measures).",
    )
    formula_kind = forms.ChoiceField(
        choices=[
            (FORMULA_NONE, "No formula"),
            (FORMULA_CURVE, "Curve"),
            (FORMULA_LINEAR, "Linear rate"),
            (FORMULA_SCORECARD, "Scorecard of weighted goals"),
        ],
        required=False,
        label="How it pays",
    )
    target = AmountField(
        required=False, help_text="Curve or scorecard: payout = target × factor.", **FORMULA_NUMBER
    )
    points = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "mono"}),
        help_text="Curve: one point per line, 'measure value, factor', ascending; e.g. 180000000, 0.5",
    )
    rate = AmountField(
        required=False, help_text="Linear: payout = rate × (measure − offset).", **FORMULA_NUMBER
    )
    offset = AmountField(required=False, **FORMULA_NUMBER)
    cap = AmountField(required=False, help_text="Linear: never above this (optional).", **FORMULA_NUMBER)
    cap_factor = AmountField(
        required=False,
        label="Scorecard cap",
        help_text="Scorecard: the most the weighted score can reach, e.g. 1.5 (optional).",
        **FORMULA_NUMBER,
    )
    unit = forms.ChoiceField(choices=Award.Unit.choices, initial=Award.Unit.USD)
    received = AmountField(max_digits=20, decimal_places=4, help_text="Gross, before taxes (cash, or units).")
    value_per_unit = AmountField(
        max_digits=14,
        decimal_places=4,
        required=False,
        help_text="Units only: settlement-date price if held, sale price if sold (USD).",
    )
    requires_estimate = forms.BooleanField(
        required=False,
        help_text="The committee concluded the amount cannot be determined directly from the restatement.",
    )
    vesting_date = forms.DateField(widget=DATE, required=False)
    settlement_date = forms.DateField(widget=DATE, required=False)
    units_sold = AmountField(max_digits=20, decimal_places=4, required=False)
    sale_price = AmountField(max_digits=14, decimal_places=4, required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    GOALS_PREFIX = "Goals: "

    FORMULA_FIELDS = (
        "formula_kind",
        "target",
        "points",
        "rate",
        "offset",
        "cap",
        "cap_factor",
        "measure_value",
    )

    def chosen(self, depends_on: str) -> str | None:
        """The formula ("none" for no formula) or unit the page shows chosen: as posted, or the award's on its
        edit page; None on a new, unposted form (every group is shown until the script hides some)."""
        name = "formula_kind" if depends_on == "formula" else depends_on
        if self.is_bound:
            value = self.data.get(self.add_prefix(name), "")
        elif name in self.initial:
            value = self.initial[name]
        else:
            return None
        return (value or "none") if depends_on == "formula" else value

    def _applies(self, group: AwardFieldGroup, chosen: dict) -> bool:
        return not group.depends_on or chosen[group.depends_on] in group.values

    @property
    def field_groups(self) -> list[ShownGroup]:
        """The form's fields in the page's fieldsets. A group of another formula (or the units-only group of
        a USD award) starts hidden when the choice is known; one holding an error never is."""
        chosen = {"formula": self.chosen("formula"), "unit": self.chosen("unit")}
        shown = []
        for group in AWARD_FIELD_GROUPS:
            fields = [self[name] for name in group.fields]
            errors = any(f.errors for f in fields) or (group.name == "scorecard" and bool(self.goal_errors))
            known = not group.depends_on or chosen[group.depends_on] is not None
            shown.append(
                ShownGroup(
                    name=group.name,
                    legend=group.legend,
                    when=group.when,
                    depends_on=group.depends_on,
                    values=" ".join(group.values),
                    fields=fields,
                    errors=errors,
                    hidden=known and not errors and not self._applies(group, chosen),
                )
            )
        return shown

    @property
    def goal_errors(self) -> list[str]:
        """The service's refusals about the goals, shown above the goals grid."""
        return [e for e in self.non_field_errors() if e.startswith(self.GOALS_PREFIX)]

    @property
    def general_errors(self) -> list[str]:
        """Every other error not about one field, shown above the form."""
        return [e for e in self.non_field_errors() if not e.startswith(self.GOALS_PREFIX)]

    def _ignore_other_groups(self, cleaned: dict, kind: str) -> None:
        """The fields of a formula not chosen (and the units-only fields of a USD award) are ignored: what
        was typed there before the choice changed is neither checked nor saved."""
        chosen = {"formula": kind or "none", "unit": cleaned.get("unit")}
        for group in AWARD_FIELD_GROUPS:
            if not group.depends_on or chosen[group.depends_on] is None or self._applies(group, chosen):
                continue
            for name in group.fields:
                if any(name in g.fields and self._applies(g, chosen) for g in AWARD_FIELD_GROUPS):
                    continue
                self._errors.pop(name, None)
                cleaned[name] = "" if name == "points" else None

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("formula_kind") or self.FORMULA_NONE
        self._ignore_other_groups(cleaned, kind)
        formula = None
        cleaned["scorecard_target"] = cleaned["scorecard_cap_factor"] = None
        if kind == self.FORMULA_CURVE:
            formula = {"kind": "curve"}
            if cleaned.get("target") is None:
                self.add_error("target", "A curve needs a target.")
            else:
                formula["target"] = _decimal_text(cleaned["target"])
            points, problems = parse_points(cleaned.get("points") or "")
            for problem in problems:
                self.add_error("points", problem)
            if not points and not problems:
                self.add_error("points", "A curve needs at least one point.")
            formula["points"] = points
        elif kind == self.FORMULA_LINEAR:
            formula = {"kind": "linear"}
            if cleaned.get("rate") is None:
                self.add_error("rate", "A linear formula needs a rate.")
            else:
                formula["rate"] = _decimal_text(cleaned["rate"])
            for name in ("offset", "cap"):
                if cleaned.get(name) is not None:
                    formula[name] = _decimal_text(cleaned[name])
        elif kind == self.FORMULA_SCORECARD:
            if cleaned.get("target") is None:
                self.add_error("target", "A scorecard needs a target.")
            cleaned["scorecard_target"] = cleaned.get("target")
            cleaned["scorecard_cap_factor"] = cleaned.get("cap_factor")
            if cleaned.get("measure_value") is not None:
                self.add_error(
                    "measure_value", "A scorecard award pays on its goals: choose their measures below."
                )
        chosen = cleaned.get("measure_value") if kind != self.FORMULA_SCORECARD else None
        cleaned["measure"] = chosen.measure if chosen is not None else None
        cleaned["measure_period"] = chosen.period_label if chosen is not None else ""
        cleaned["formula"] = formula
        return cleaned

    def service_kwargs(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.FORMULA_FIELDS}
        data.pop("executive", None)
        return data

    def add_service_errors(self, errors: dict) -> None:
        """Put a service's {field: [messages]} on the form; formula errors go to the formula's fields."""
        for field, messages in errors.items():
            for message in messages:
                if field == "formula":
                    target = next(
                        (
                            name
                            for name in ("points", "target", "rate", "offset", "cap")
                            if message.startswith(name)
                        ),
                        "formula_kind",
                    )
                    self.add_error(target, message)
                elif field in ("measure", "measure_period"):
                    self.add_error("measure_value", message)
                elif field in ("scorecard_target",):
                    self.add_error("target", message)
                elif field in ("scorecard_cap_factor",):
                    self.add_error("cap_factor", message)
                elif field in self.fields:
                    self.add_error(field, message)
                else:
                    label = self.GOALS_PREFIX if field == "components" else ""
                    self.add_error(None, f"{label}{message}")

    @staticmethod
    def initial_for(award: Award) -> dict:
        initial = {field: getattr(award, field) for field in AWARD_TERMS if field not in AWARD_TERMS_OF_OWN}
        initial["executive"] = award.executive_id
        initial["formula_kind"] = AwardForm.FORMULA_NONE
        if award.measure_id:
            value = MeasureValue.objects.filter(
                measure_id=award.measure_id, period_label=award.measure_period
            ).first()
            initial["measure_value"] = value.pk if value else None
        if award.is_scorecard:
            initial["formula_kind"] = AwardForm.FORMULA_SCORECARD
            initial["target"] = award.scorecard_target
            initial["cap_factor"] = award.scorecard_cap_factor
        formula = award.formula if isinstance(award.formula, dict) else None
        if formula:
            initial["formula_kind"] = formula.get("kind", "")
            for name in ("target", "rate", "offset", "cap"):
                if name in formula:
                    initial[name] = Decimal(str(formula[name]))
            initial["points"] = points_text(formula.get("points"))
        return initial


class GoalForm(_MeasureValueChoices):
    """One weighted goal of a scorecard award."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # A blank first choice, so the empty rows of the grid stay empty (and unsaved) until someone types.
    basis = forms.ChoiceField(choices=[("", "—"), *AwardComponent.Basis.choices], label="Goal based on")
    measure_value = MeasureValueChoice(
        queryset=MeasureValue.objects.none(),
        required=False,
        label="Measure and period",
        help_text="Measure goals.",
    )
    choices_from = {"measure_value": "measures"}
    weight = AmountField(max_digits=38, decimal_places=20, help_text="e.g. 0.4 for 40%.")
    points = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "mono"}),
        label="Payout curve",
        help_text="Measure goals: one point per line, 'measure value, factor', ascending.",
    )
    factor = AmountField(
        max_digits=38,
        decimal_places=20,
        required=False,
        label="Score",
        help_text="Other goals: the score as given, e.g. 1.2.",
    )

    # The grid shows each column's help once, in its header (award_form.html): every row's field points there.
    HELP_IDS = {name: f"goals-help-{name}" for name in ("measure_value", "weight", "points", "factor")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, help_id in self.HELP_IDS.items():
            self.fields[name].widget.attrs["aria-describedby"] = help_id

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("basis") == AwardComponent.Basis.FINANCIAL_REPORTING_MEASURE:
            if cleaned.get("measure_value") is None:
                self.add_error("measure_value", "Choose the measure and period this goal pays on.")
            points, problems = parse_points(cleaned.get("points") or "")
            for problem in problems:
                self.add_error("points", problem)
            if not points and not problems:
                self.add_error("points", "A measure goal needs its payout curve.")
            cleaned["points_list"] = points
        elif cleaned.get("basis") and cleaned.get("factor") is None:
            self.add_error("factor", "Give the goal's score as assessed.")
        return cleaned

    @staticmethod
    def initial_for(component: AwardComponent) -> dict:
        value = None
        if component.measure_id:
            value = MeasureValue.objects.filter(
                measure_id=component.measure_id, period_label=component.measure_period
            ).first()
        return {
            "id": component.pk,
            "basis": component.basis,
            "measure_value": value.pk if value else None,
            "weight": component.weight,
            "points": points_text(component.points),
            "factor": component.factor,
        }


class BaseGoalFormSet(forms.BaseFormSet):
    def __init__(self, *args, measures=None, **kwargs):
        self.measures = measures
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "measures": self.measures}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            measures=self.measures,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form


GoalFormSet = forms.formset_factory(GoalForm, formset=BaseGoalFormSet, extra=2)


def goals_from(formset) -> list[dict]:
    goals = []
    for row in _rows(formset):
        value = row.get("measure_value")
        goals.append(
            {
                "id": row.get("id"),
                "basis": row["basis"],
                "measure": value.measure if value is not None else None,
                "measure_period": value.period_label if value is not None else "",
                "weight": row["weight"],
                "points": row.get("points_list") or None,
                "factor": row.get("factor"),
            }
        )
    return goals


class CreditForm(GivenChoices):
    """An amount of the award already recovered before this case."""

    amount = AmountField(max_digits=20, decimal_places=4, help_text="In the award's unit (USD, or units).")
    recovered_on = forms.DateField(widget=DATE, label="Recovered on")
    source = forms.ChoiceField(choices=AwardCredit.Source.choices, label="Recovered under")
    reference = forms.CharField(
        max_length=300,
        help_text="The case, order or agreement it was recovered under, e.g. Restatement 2026-1.",
    )
    under_case = forms.ModelChoiceField(
        queryset=Restatement.objects.none(),
        required=False,
        label="Case in this application",
        help_text="If it was recovered under a case recorded here: that case does not credit it to itself.",
    )

    choices_from = {"under_case": "cases"}


class VoidForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Why this record is removed. It stays in the history, marked voided, with your name "
        "and reason.",
    )


class RestatedValueForm(_MeasureValueChoices):
    """One restated figure of this case."""

    measure_value = MeasureValueChoice(
        queryset=MeasureValue.objects.none(),
        label="Measure and period",
        help_text="As first reported, on the measure.",
    )
    choices_from = {"measure_value": "measures"}
    restated = AmountField(max_digits=24, decimal_places=6, label="As restated")
    source = forms.CharField(max_length=300, required=False, help_text="The restated filing or document.")


class BaseRestatedValueFormSet(BaseGoalFormSet):
    pass


# Three blank rows: a restatement typically restates the three years of the look-back window.
RestatedValueFormSet = forms.formset_factory(RestatedValueForm, formset=BaseRestatedValueFormSet, extra=3)


def restated_values_from(formset) -> list[dict]:
    rows = []
    for form in formset.forms:
        row = form.cleaned_data
        if not row or not form.has_changed():
            continue
        value = row["measure_value"]
        rows.append(
            {
                "measure": value.measure,
                "period_label": value.period_label,
                "restated": row["restated"],
                "source": row.get("source") or "",
            }
        )
    return rows
