from django import forms

from .kinds import SPECS


def _kind_choices():
    # A callable, read when a form is made: the programs register their kinds at start-up.
    return [(spec.kind, spec.label) for spec in SPECS.values()]


class DocumentRequestForm(forms.Form):
    kind = forms.ChoiceField(choices=_kind_choices)
    record_id = forms.CharField(required=False, max_length=20)
    period = forms.CharField(required=False, max_length=20, help_text="A quarter (2026-Q3) or a fiscal year.")
    final = forms.BooleanField(required=False, label="FINAL (needs an approved snapshot)")

    def clean(self):
        data = super().clean()
        spec = SPECS.get(data.get("kind"))
        if spec is None:
            return data
        if spec.record != "company" and not (data.get("record_id") or "").isdigit():
            self.add_error("record_id", f"Choose the {spec.record} the document is about.")
        if spec.period and not (data.get("period") or "").strip():
            self.add_error(
                "period", "Give the period: a quarter such as 2026-Q3, or a fiscal year such as FY2025."
            )
        return data


class BrandingForm(forms.Form):
    legend_override = forms.CharField(
        required=False,
        max_length=300,
        label="Confidentiality and privilege legend",
        help_text="Printed in the header of every page. Leave empty to use the company's legend.",
    )
    logo = forms.FileField(required=False, help_text="PNG or JPEG, at most 1 MB.")
    remove_logo = forms.BooleanField(required=False, label="Remove the logo")
