"""Editing the trading calendar (docs/regfd-rules §3.3): an unscheduled closure or early close, or
withdrawing one."""

from django import forms

from compliance_site.lib.limits import limit_text_fields

from ..models import MarketClosure


class MarketClosureForm(forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Date")
    kind = forms.ChoiceField(choices=MarketClosure.Kind.choices, label="Kind")
    name = forms.CharField(max_length=200, help_text="e.g. National Day of Mourning for President Carter.")
    source = forms.CharField(max_length=300, help_text="The exchange's notice (URL or reference).")


class DeactivateClosureForm(forms.Form):
    reason = forms.CharField(
        max_length=300, label="Reason", help_text="Why this calendar entry is withdrawn."
    )


# Free texts bounded by the one table of limits (compliance_site/lib/limits.py).
limit_text_fields(__name__)
