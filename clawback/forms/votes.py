"""Forms of a vote of the body: opening it, a member's own vote, a vote recorded from the minutes, a
signature, withdrawing it."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from compliance_site.accounts.models import User
from compliance_site.lib.limits import limit_text_fields

from ..models import Decision, Restatement, Vote
from .determinations import DATE, MinutesChoiceField

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class OpenVoteForm(forms.Form):
    """The resolution put to the body's vote; each member then votes for themselves in the app. Prefixed:
    it sits on the case page beside the meeting's decision form, whose fields have the same names."""

    prefix = "vote"

    kind = forms.ChoiceField(choices=Decision.Kind.choices, label="Decision")
    body = forms.ChoiceField(choices=Decision.Body.choices, label="Body")
    mode = forms.ChoiceField(choices=Decision.Mode.choices, label="How the body decides")
    closes_at = forms.DateTimeField(widget=DATETIME, label="Vote closes at", help_text="In your time zone.")
    quorum = forms.IntegerField(
        min_value=1, max_value=100, required=False, label="Quorum",
        help_text="Leave empty for a majority of the body's members.",
    )  # fmt: skip
    resolution = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, case: Restatement, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, label) for k, label in Decision.Kind.choices if k in kinds]
        if Decision.Kind.APPROVE_DETERMINATION in kinds:
            self.fields["body"].initial = case.administering_body
            self.fields["resolution"].initial = "RESOLVED, that the recovery determination is approved."
        else:
            self.fields["body"].initial = Decision.Body.COMPENSATION_COMMITTEE
        self.fields["closes_at"].initial = (timezone.localtime() + timedelta(days=3)).replace(
            minute=0, second=0, microsecond=0
        )


class CastVoteForm(forms.Form):
    choice = forms.ChoiceField(choices=Vote.Choice.choices, widget=forms.RadioSelect, label="Your vote")
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Comment (optional)"
    )
    determination_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)


class RecordVoteForm(forms.Form):
    member = forms.ModelChoiceField(queryset=User.objects.none(), label="Member")
    choice = forms.ChoiceField(choices=Vote.Choice.choices, label="Vote given at the meeting")
    meeting_on = forms.DateField(widget=DATE, label="Meeting held on")
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, decision: Decision, waiting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = User.objects.filter(pk__in=[m.pk for m in waiting])
        self.fields["minutes"] = MinutesChoiceField(case=decision.restatement)


class SignForm(forms.Form):
    determination_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)


class WithdrawVoteForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why the vote is withdrawn")


limit_text_fields(__name__)
