"""Forms for a restatement (a clawback case) and its events, and for recording a policy acknowledgement.
Like every form of the records pages, they parse what a person typed; `clawback.services.records` decides
whether it is a valid record."""

from django import forms

from compliance_site.company.models import PolicyVersion
from compliance_site.lib.limits import limit_text_fields

from ..models import Executive, Restatement, RestatementEvent
from .choices import GivenChoices
from .records import DATE, LOCAL_DT, REASON_HELP

# --- Restatements ---------------------------------------------------------------------------------


class ExecutiveChoices(forms.ModelMultipleChoiceField):
    proposed: dict = {}

    def label_from_instance(self, obj):
        label = f"{obj.name}, {obj.title}" if obj.title else obj.name
        why = self.proposed.get(obj.pk)
        return f"{label} — {why}" if why else label


class RestatementForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(
        choices=Restatement.Kind.choices,
        help_text="Only a Big R or little r restatement starts a recovery analysis (Rule 10D-1(b)(1)).",
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    covered_executives = ExecutiveChoices(
        queryset=Executive.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Current and former executive officers (policy 'Covered Executives'). "
        "None is ticked for you: "
        "those marked “served in the look-back window” are proposed; tick each one this case covers.",
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

    def __init__(self, *args, executives=None, proposed=(), signed_off=False, **kwargs):
        super().__init__(*args, **kwargs)
        if executives is not None:
            self.fields["covered_executives"].queryset = executives
        self.fields["covered_executives"].proposed = {x.pk: why for x, why in proposed}
        if not signed_off:
            del self.fields["reason"]

    @staticmethod
    def initial_for(restatement: Restatement) -> dict:
        return {
            "title": restatement.title,
            "kind": restatement.kind,
            "description": restatement.description,
            "covered_executives": list(restatement.covered_executives.all()),
            "policy_version": restatement.policy_version_id,
            "administering_body": restatement.administering_body,
        }


class RestatementEventForm(forms.Form):
    kind = forms.ChoiceField(choices=RestatementEvent.Kind.choices, label="Event")
    label = forms.CharField(
        max_length=200, required=False, label="What happened", help_text="For an other event."
    )
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

    @staticmethod
    def initial_for(event: RestatementEvent) -> dict:
        return {"kind": event.kind, "label": event.label, "date": event.date, "rationale": event.rationale}


class AcknowledgementForm(GivenChoices):
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
    choices_from = {"executive": "executives"}


# Free texts bounded by the one table of limits (compliance_site/lib/limits.py).
limit_text_fields(__name__)
