from django import forms

from compliance_site.accounts.models import User
from compliance_site.accounts.roles import roles_with
from compliance_site.lib.limits import EXPLANATION

from .models import BodyMembership, Company, FiscalPeriod, PolicyVersion

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


def voting_members():
    """Who may be given a seat: the active users with a vote in the app (the Board member and Compensation
    Committee member roles). The service decides (add_seat); the list only spares the choice of others."""
    roles = [role.value for role in roles_with("clawback.vote")]
    return (
        User.objects.filter(is_active=True, roles__role__in=roles)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class SeatForm(forms.Form):
    """A new seat on the Board or the Compensation Committee (company.services.add_seat)."""

    body = forms.ChoiceField(choices=BodyMembership.Body.choices)
    member = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Director",
        empty_label="Choose the director…",
        help_text="Listed: the users with the Board member or Compensation Committee member role.",
    )
    starts_on = forms.DateField(
        label="First day",
        help_text="The seat counts toward the body's quorum and votes from this day.",
        widget=DATE,
    )
    chair = forms.BooleanField(
        required=False, label="Chairs the body", help_text="The chair signs the body's adopted decisions."
    )
    independent = forms.BooleanField(
        required=False,
        initial=True,
        label="Independent director",
        help_text="Independent under the exchange's listing standards.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = voting_members()


class EndSeatForm(forms.Form):
    """The end of a seat (company.services.end_seat): its last day, and why."""

    ends_on = forms.DateField(label="Last day", help_text="The seat still counts on this day.", widget=DATE)
    reason = forms.CharField(
        max_length=EXPLANATION,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A resignation, the end of a term, a board resolution… Kept in the audit trail.",
    )
