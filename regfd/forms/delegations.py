from django import forms

from compliance_site.lib.limits import limit_text_fields

from ..selectors_records import possible_delegates
from .spokespersons import DATE, PersonChoiceField


class DelegationForm(forms.Form):
    delegate = PersonChoiceField(
        queryset=possible_delegates(),
        help_text="An authorized officer or a manager of the program, who signs off in your place.",
    )
    valid_from = forms.DateField(widget=DATE, help_text="New York date; today or later.")
    valid_until = forms.DateField(widget=DATE, help_text="New York date, included.")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text="Why you delegate (absence, conflict...)."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = possible_delegates()


class RevokeDelegationForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="Why the delegation ends.")


# Free texts bounded by the one table of limits (compliance_site/lib/limits.py).
limit_text_fields(__name__)
