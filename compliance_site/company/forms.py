from django import forms

from .models import Company, FiscalPeriod, PolicyVersion

DATE = forms.DateInput(attrs={"type": "date"})


class CompanyForm(forms.ModelForm):
    reason = forms.CharField(required=False, help_text="Why this change is made (kept in the audit trail).")

    class Meta:
        model = Company
        fields = Company.PROFILE_FIELDS
        widgets = {"listed_since": DATE, "delisted_on": DATE}


class FiscalPeriodForm(forms.ModelForm):
    class Meta:
        model = FiscalPeriod
        fields = ["label", "start", "end", "transition"]
        widgets = {"start": DATE, "end": DATE}


class PolicyVersionForm(forms.ModelForm):
    class Meta:
        model = PolicyVersion
        fields = [*PolicyVersion.SUMMARY_FIELDS, "text"]
        widgets = {"effective_date": DATE, "approved_on": DATE, "text": forms.Textarea(attrs={"rows": 16})}
