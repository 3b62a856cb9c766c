from django import forms

from .models import AuditEvent


class AuditFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", help_text="Record, reason or action")
    actor = forms.CharField(required=False, label="User name")
    object_type = forms.CharField(required=False, label="Record type", help_text="e.g. regfd.incident")
    action = forms.ChoiceField(required=False, choices=[("", "Any action")] + list(AuditEvent.Action.choices))
    date_from = forms.DateField(
        required=False, label="From (UTC date)", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To (UTC date)", widget=forms.DateInput(attrs={"type": "date"})
    )
