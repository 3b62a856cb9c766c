"""Forms of the determination workflow: estimates, designations, the decision and its votes, the
no-indemnification checklist, reopening."""

from django import forms

from compliance_site.accounts.models import User
from compliance_site.accounts.roles import roles_with
from compliance_site.attachments.selectors import attachments_for
from compliance_site.forms import AmountField
from compliance_site.lib.limits import limit_text_fields
from compliance_site.lib.numbers import parse_typed_number

from ..models import Award, Decision, Restatement, Vote
from ..services.bodies import SHORT_REASONS
from ..services.determinations import NO_INDEMNIFICATION_CHECKLIST
from .choices import GivenChoices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def voting_members():
    """Everyone who may vote on clawback matters (clawback.vote), for the decision form."""
    roles = [role.value for role in roles_with("clawback.vote")]
    return (
        User.objects.filter(is_active=True, roles__role__in=roles)
        .distinct()
        .order_by("last_name", "username")
    )


class MinutesChoiceField(forms.ModelChoiceField):
    """The minutes, chosen among the files attached to the case (attach them first, under Attachments)."""

    def __init__(self, *, case: Restatement, **kwargs):
        super().__init__(
            queryset=attachments_for(case).filter(superseded_by__isnull=True).order_by("-uploaded_at"),
            label="Minutes of the meeting",
            help_text="A file attached to the case (add it under Attachments first).",
            empty_label="Choose the minutes…",
            **kwargs,
        )

    def label_from_instance(self, obj):
        described = f" — {obj.description}" if obj.description else ""
        return f"{obj.original_name}{described} ({obj.get_kind_display()}, {obj.uploaded_at:%Y-%m-%d})"


class AwardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.key} — {obj.executive.name}"


class EstimateForm(GivenChoices):
    """Rule 10D-1(b)(1)(iii)(A): the estimate, how it was determined, the documents, and when they went to
    the exchange."""

    id_prefix = "estimate"

    award = AwardChoiceField(queryset=Award.objects.none())
    choices_from = {"award": "awards"}
    restated_value = AmountField(
        max_digits=24,
        decimal_places=6,
        required=False,
        label="Estimated value on the restated basis",
        help_text="The measure (share price, TSR percentile, ...) as the restatement would have left it.",
    )
    restated_values = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "mono"}),
        label="Scorecard goals: estimated value of each measure",
        help_text="One line per goal's measure: the measure's key as its page shows it, a colon, the value.",
    )
    method = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Method")
    documents = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Supporting documents",
        help_text="One per line; attach the files to the case too.",
    )
    adopted_on = forms.DateField(widget=DATE, label="Adopted on")
    provided_to_exchange_on = forms.DateField(
        widget=DATE,
        required=False,
        label="Documentation provided to the exchange on",
        help_text="Approval waits for this date.",
    )

    def clean_restated_values(self) -> dict:
        values, problems = {}, []
        for number, line in enumerate((self.cleaned_data.get("restated_values") or "").splitlines(), start=1):
            if not line.strip():
                continue
            key, _, text = line.partition(":")
            try:
                values[key.strip()] = parse_typed_number(text)
            except ValueError:
                problems.append(f"Line {number}: write the measure's key, a colon and the value.")
        if problems:
            raise forms.ValidationError(problems)
        return values


class DesignateForm(GivenChoices):
    """Policy, "In all other instances": the amount cannot be determined directly from the restatement."""

    id_prefix = "designate"

    award = AwardChoiceField(queryset=Award.objects.none())
    choices_from = {"award": "awards"}
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the amount cannot be determined directly from the restatement.",
    )


class DecisionForm(forms.Form):
    """A meeting's decision: members present (checkboxes), the quorum, the resolution and one vote per
    member. Members barred from the case (recused, or covered by it) are listed but get no vote field."""

    kind = forms.ChoiceField(choices=Decision.Kind.choices)
    body = forms.ChoiceField(choices=Decision.Body.choices)
    held_on = forms.DateField(widget=DATE, label="Meeting held on")
    members_present = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple, label="Members present"
    )
    quorum = forms.IntegerField(min_value=1, max_value=100, label="Quorum (members needed)")
    resolution = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    determination = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, case: Restatement, kinds, barred=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.members = list(voting_members())
        self.barred = dict(barred or {})  # user id -> why (services.bodies.barred_from)
        self.fields["members_present"].queryset = User.objects.filter(pk__in=[m.pk for m in self.members])
        self.fields["members_present"].label_from_instance = self._member_label
        self.fields["minutes"] = MinutesChoiceField(case=case)
        self.fields["kind"].choices = [(k, label) for k, label in Decision.Kind.choices if k in kinds]
        if Decision.Kind.APPROVE_DETERMINATION in kinds:
            self.fields["body"].initial = case.administering_body
        self.vote_fields = []
        for member in self.members:
            if member.pk in self.barred:
                continue
            name = f"vote_{member.pk}"
            self.fields[name] = forms.ChoiceField(
                choices=[("", "Did not vote"), *Vote.Choice.choices],
                required=False,
                label=f"Vote: {member}",
                widget=forms.Select(
                    attrs={"class": "form-select form-select-sm", "aria-label": f"Vote of {member}"}
                ),
            )
            self.vote_fields.append((member, name))

    def _member_label(self, user):
        why = self.barred.get(user.pk)
        return f"{user} ({SHORT_REASONS[why]})" if why else str(user)

    def member_rows(self):
        """One row per member for the template: the checkbox, the vote field (None when recused)."""
        boxes = {str(w.data["value"]): w for w in self["members_present"]}
        fields = {member.pk: self[name] for member, name in self.vote_fields}
        return [
            {
                "member": m,
                "checkbox": boxes.get(str(m.pk)),
                "vote": fields.get(m.pk),
                "barred": SHORT_REASONS.get(self.barred.get(m.pk)),
            }
            for m in self.members
        ]

    def votes(self):
        """{member: choice} for the members who voted (recused members have no vote field)."""
        return {
            member: self.cleaned_data[name]
            for member, name in self.vote_fields
            if self.cleaned_data.get(name)
        }


class NoIndemnificationForm(forms.Form):
    """Policy "No Indemnification" (docs/clawback-rules §1.9): each item confirmed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, text in NO_INDEMNIFICATION_CHECKLIST:
            self.fields[code] = forms.BooleanField(label=text, required=True)

    def confirmed(self):
        return [code for code, _ in NO_INDEMNIFICATION_CHECKLIST if self.cleaned_data.get(code)]


class ReopenForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the case is reopened (recorded in the audit trail).",
    )


class ConfirmForm(forms.Form):
    """A transition with nothing to type (submit, start recovery, close)."""


# Free texts bounded by the one table of limits (compliance_site/lib/limits.py).
limit_text_fields(__name__)
