from django import forms

from .models import Company, FiscalPeriod, PolicyVersion

DATE = forms.DateInput(attrs={"type": "date"})


class CompanyForm(forms.ModelForm):
    reason = forms.CharField(required=False, help_text="Why this change is made (kept in the audit trail).")

    class Meta:
        model = Company
        fields = [
            "name",
            "ticker",
            "exchange",
            "cik",
            "listed_since",
            "delisted_on",
            "confidentiality_legend",
        ]
        widgets = {"listed_since": DATE, "delisted_on": DATE}


class FiscalPeriodForm(forms.ModelForm):
    class Meta:
        model = FiscalPeriod
        fields = ["label", "start", "end", "transition"]
        widgets = {"start": DATE, "end": DATE}


class PolicyVersionForm(forms.ModelForm):
    class Meta:
        model = PolicyVersion
        fields = [
            "kind",
            "version",
            "title",
            "effective_date",
            "approved_on",
            "approved_by",
            "approval_record",
            "text",
        ]
        widgets = {"effective_date": DATE, "approved_on": DATE, "text": forms.Textarea(attrs={"rows": 16})}
