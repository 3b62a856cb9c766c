"""Forms for the records pages. They parse what a person typed; the services in
`clawback.services.records` decide whether it is a valid record (one set of rules for pages, API and
imports)."""

from decimal import Decimal, InvalidOperation

from django import forms

from compliance_site.accounts.models import User
from compliance_site.company.models import FiscalPeriod, PolicyVersion

from ..models import Award, Executive, Measure, Restatement, RestatementEvent

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LOCAL_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
AMOUNT = forms.TextInput(attrs={"inputmode": "decimal", "class": "mono"})

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
    start = forms.DateField(widget=DATE)
    end = forms.DateField(widget=DATE, required=False, help_text="Empty while still serving.")
    title = forms.CharField(max_length=200, required=False)


OfficerPeriodFormSet = forms.formset_factory(OfficerPeriodForm, extra=1, can_delete=True)


def officer_periods_from(formset) -> list[dict]:
    return [
        {"start": f.cleaned_data["start"], "end": f.cleaned_data.get("end"), "title": f.cleaned_data["title"]}
        for f in formset.forms
        if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


# --- Measures -------------------------------------------------------------------------------------


class MeasureForm(forms.Form):
    key = forms.SlugField(
        max_length=60, help_text="Stable identifier used in scenario files, e.g. net_income."
    )
    name = forms.CharField(max_length=200)
    category = forms.ChoiceField(
        choices=Measure.Category.choices,
        help_text="Stock price and TSR awards always need the committee's reasonable estimate.",
    )


class MeasureValueForm(forms.Form):
    period_label = forms.CharField(max_length=40, label="Period", help_text="e.g. FY2024, H1-2023")
    original = forms.DecimalField(max_digits=24, decimal_places=6, widget=AMOUNT)
    restated = forms.DecimalField(
        max_digits=24, decimal_places=6, required=False, widget=AMOUNT, help_text="Empty: not restated."
    )
    source = forms.CharField(max_length=300, required=False, help_text="Filing or document.")


MeasureValueFormSet = forms.formset_factory(MeasureValueForm, extra=1, can_delete=True)


def measure_values_from(formset) -> list[dict]:
    return [
        {k: f.cleaned_data.get(k) for k in ("period_label", "original", "restated", "source")}
        for f in formset.forms
        if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


# --- Awards ---------------------------------------------------------------------------------------


class AwardForm(forms.Form):
    """An award with its payout formula as a small structured form: a curve (target x interpolated
    factor) or a linear rate (rate x (measure - offset), capped), as clawback-scenario.md defines them."""

    FORMULA_NONE, FORMULA_CURVE, FORMULA_LINEAR = "", "curve", "linear"

    executive = forms.ModelChoiceField(queryset=Executive.objects.none())
    key = forms.SlugField(max_length=80, help_text="Unique within the company, e.g. ceo-fy2024-bonus.")
    award_type = forms.ChoiceField(choices=Award.Type.choices, label="Type")
    basis = forms.ChoiceField(
        choices=Award.Basis.choices,
        help_text="Only awards based on a financial reporting measure are incentive-based compensation.",
    )
    approval_date = forms.DateField(widget=DATE, required=False)
    grant_date = forms.DateField(widget=DATE, required=False)
    performance_start = forms.DateField(widget=DATE)
    performance_end = forms.DateField(
        widget=DATE, help_text="The award is 'received' when the measure is attained: this date."
    )
    measure = forms.ModelChoiceField(queryset=Measure.objects.none(), required=False)
    measure_period = forms.CharField(
        max_length=40, required=False, help_text="The measure's period, e.g. FY2024."
    )
    formula_kind = forms.ChoiceField(
        choices=[(FORMULA_NONE, "No formula"), (FORMULA_CURVE, "Curve"), (FORMULA_LINEAR, "Linear rate")],
        required=False,
        label="Formula",
    )
    target = forms.DecimalField(
        required=False, widget=AMOUNT, help_text="Curve: payout = target × factor.", **FORMULA_NUMBER
    )
    points = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "mono"}),
        help_text="Curve: one point per line, 'measure value, factor', ascending; e.g. 180000000, 0.5",
    )
    rate = forms.DecimalField(
        required=False,
        widget=AMOUNT,
        help_text="Linear: payout = rate × (measure − offset).",
        **FORMULA_NUMBER,
    )
    offset = forms.DecimalField(required=False, widget=AMOUNT, **FORMULA_NUMBER)
    cap = forms.DecimalField(
        required=False, widget=AMOUNT, help_text="Linear: never above this (optional).", **FORMULA_NUMBER
    )
    unit = forms.ChoiceField(choices=Award.Unit.choices, initial=Award.Unit.USD)
    received = forms.DecimalField(
        max_digits=20, decimal_places=4, widget=AMOUNT, help_text="Gross, before taxes (cash, or units)."
    )
    value_per_unit = forms.DecimalField(
        max_digits=14,
        decimal_places=4,
        required=False,
        widget=AMOUNT,
        help_text="Units only: settlement-date price if held, sale price if sold (USD).",
    )
    requires_estimate = forms.BooleanField(
        required=False,
        help_text="The committee concluded the amount cannot be determined directly from the restatement.",
    )
    vesting_date = forms.DateField(widget=DATE, required=False)
    settlement_date = forms.DateField(widget=DATE, required=False)
    units_sold = forms.DecimalField(max_digits=20, decimal_places=4, required=False, widget=AMOUNT)
    sale_price = forms.DecimalField(max_digits=14, decimal_places=4, required=False, widget=AMOUNT)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    FORMULA_FIELDS = ("formula_kind", "target", "points", "rate", "offset", "cap")

    def __init__(self, *args, executives=None, measures=None, **kwargs):
        super().__init__(*args, **kwargs)
        if executives is not None:
            self.fields["executive"].queryset = executives
        if measures is not None:
            self.fields["measure"].queryset = measures

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("formula_kind") or self.FORMULA_NONE
        formula = None
        if kind == self.FORMULA_CURVE:
            formula = {"kind": "curve"}
            if cleaned.get("target") is None:
                self.add_error("target", "A curve needs a target.")
            else:
                formula["target"] = _decimal_text(cleaned["target"])
            formula["points"] = self._points(cleaned.get("points") or "")
        elif kind == self.FORMULA_LINEAR:
            formula = {"kind": "linear"}
            if cleaned.get("rate") is None:
                self.add_error("rate", "A linear formula needs a rate.")
            else:
                formula["rate"] = _decimal_text(cleaned["rate"])
            for name in ("offset", "cap"):
                if cleaned.get(name) is not None:
                    formula[name] = _decimal_text(cleaned[name])
        cleaned["formula"] = formula
        return cleaned

    def _points(self, text: str) -> list[list[str]]:
        points = []
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            parts = [p for p in line.replace(";", ",").replace("\t", ",").split(",") if p.strip()]
            if len(parts) == 1:
                parts = parts[0].split()
            try:
                x, factor = (Decimal(p.strip().replace("_", "")) for p in parts)
                # Bounded before it is written out in full: "1E+999999999" would be a billion digits.
                if not all(v.is_finite() and (v == 0 or -20 <= v.adjusted() <= 17) for v in (x, factor)):
                    raise InvalidOperation
            except (ValueError, InvalidOperation):
                self.add_error(
                    "points", f"Line {number}: write 'measure value, factor', e.g. 180000000, 0.5."
                )
                continue
            points.append([_decimal_text(x), _decimal_text(factor)])
        if not points:
            self.add_error("points", "A curve needs at least one point.")
        return points

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
                elif field in self.fields:
                    self.add_error(field, message)
                else:
                    self.add_error(None, message)

    @staticmethod
    def initial_for(award: Award) -> dict:
        initial = {
            field: getattr(award, field)
            for field in (
                "key",
                "award_type",
                "basis",
                "approval_date",
                "grant_date",
                "performance_start",
                "performance_end",
                "measure_period",
                "unit",
                "received",
                "value_per_unit",
                "requires_estimate",
                "vesting_date",
                "settlement_date",
                "units_sold",
                "sale_price",
                "notes",
            )
        }
        initial["executive"] = award.executive_id
        initial["measure"] = award.measure_id
        formula = award.formula if isinstance(award.formula, dict) else None
        if formula:
            initial["formula_kind"] = formula.get("kind", "")
            for name in ("target", "rate", "offset", "cap"):
                if name in formula:
                    initial[name] = formula[name]
            points = formula.get("points")
            if isinstance(points, list):
                initial["points"] = "\n".join(
                    ", ".join(str(v) for v in point) for point in points if isinstance(point, list)
                )
        return initial


# --- Restatements ---------------------------------------------------------------------------------


class ExecutiveChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}, {obj.title}" if obj.title else obj.name


class RestatementForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(
        choices=Restatement.Kind.choices,
        help_text="Only a Big R or little r restatement starts a recovery analysis (rules.md §1.3).",
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    periods_restated = forms.CharField(max_length=300, required=False, help_text="e.g. FY2024, FY2025")
    measures_restated = forms.ModelMultipleChoiceField(
        queryset=Measure.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    covered_executives = ExecutiveChoices(
        queryset=Executive.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Current and former executive officers (policy 'Covered Executives').",
    )
    policy_version = forms.ModelChoiceField(
        queryset=PolicyVersion.objects.filter(kind=PolicyVersion.Kind.CLAWBACK, approved_on__isnull=False),
        required=False,
        label="Clawback policy version in force",
        help_text="Empty: the version in force today.",
    )
    administering_body = forms.ChoiceField(
        choices=Restatement._meta.get_field("administering_body").choices,
        initial="committee",
        help_text="Policy 'Administration': the Board, or the committee it designates.",
    )
    reason = forms.CharField(required=False, help_text=REASON_HELP)

    def __init__(self, *args, executives=None, measures=None, signed_off=False, **kwargs):
        super().__init__(*args, **kwargs)
        if executives is not None:
            self.fields["covered_executives"].queryset = executives
        if measures is not None:
            self.fields["measures_restated"].queryset = measures
        if not signed_off:
            del self.fields["reason"]

    @staticmethod
    def initial_for(restatement: Restatement) -> dict:
        return {
            "title": restatement.title,
            "kind": restatement.kind,
            "description": restatement.description,
            "periods_restated": restatement.periods_restated,
            "measures_restated": list(restatement.measures_restated.all()),
            "covered_executives": list(restatement.covered_executives.all()),
            "policy_version": restatement.policy_version_id,
            "administering_body": restatement.administering_body,
        }


class RestatementEventForm(forms.Form):
    kind = forms.ChoiceField(choices=RestatementEvent.Kind.choices, label="Event")
    date = forms.DateField(widget=DATE)
    rationale = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required for 'reasonably should have concluded': why that date (attach the evidence).",
    )
    reason = forms.CharField(required=False, help_text=REASON_HELP)

    def __init__(self, *args, signed_off=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not signed_off:
            del self.fields["reason"]


class AcknowledgementForm(forms.Form):
    """An executive's acknowledgement of a clawback policy version, recorded from its evidence (a former
    executive without a sign-in included)."""

    executive = forms.ModelChoiceField(queryset=Executive.objects.none())
    acknowledged_at = forms.DateTimeField(
        widget=LOCAL_DT,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        label="Acknowledged at",
        help_text="When the executive signed, in your time zone.",
    )
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        help_text="The signed acknowledgement form, letter or award agreement clause, and where it is filed "
        "(attach a copy under the executive's documents).",
    )

    def __init__(self, *args, executives=None, **kwargs):
        super().__init__(*args, **kwargs)
        if executives is not None:
            self.fields["executive"].queryset = executives
