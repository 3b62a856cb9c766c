from django import forms
from django.contrib.auth import get_user_model

from compliance_site.lib.limits import limit_text_fields

from ..selectors_records import authorized_officers

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    """A person by name, with their e-mail address to tell two people of the same name apart (never the
    sign-in name, which is the app's, not the person's)."""

    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.email or obj.get_username()
        return f"{name} ({obj.email})" if obj.get_full_name() and obj.email else name


class OfficerChoiceField(PersonChoiceField):
    """An authorized officer, named with their title ("Avery Chen, CEO")."""

    def label_from_instance(self, obj):
        return obj.name_with_title


def active_users():
    return get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name", "username")


class AuthorizationForm(forms.Form):
    person = PersonChoiceField(queryset=active_users(), help_text="The officer or employee you authorize.")
    scope = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text="Which Specified Persons and which topics."
    )
    content_reviewed = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The content you reviewed and authorized for disclosure (policy I.A).",
    )
    conditions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="Any condition you impose."
    )
    valid_from = forms.DateField(widget=DATE)
    valid_until = forms.DateField(widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Authorized officers need no authorization: leave them out of the choice.
        self.fields["person"].queryset = active_users().exclude(pk__in=authorized_officers().values("pk"))


class RevokeAuthorizationForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text="Why the authorization ends."
    )


class KeepingCurrentForm(forms.Form):
    period_label = forms.CharField(max_length=20, label="Period", help_text="e.g. 2026-Q3")
    reviewed_filings = forms.BooleanField(required=False, label="I reviewed all SEC filings")
    reviewed_press_releases = forms.BooleanField(required=False, label="I reviewed all press releases")
    attended_or_heard_calls = forms.BooleanField(
        required=False, label="I participated in, or listened to a recording of, all public conference calls"
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


# Free texts bounded by the one table of limits (compliance_site/lib/limits.py).
limit_text_fields(__name__)
