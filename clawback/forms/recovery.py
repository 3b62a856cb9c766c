"""Forms of the recovery stage: recovery events, who recovery is sought from, impracticability."""

from django import forms
from django.utils import timezone

from compliance_site.lib.limits import limit_text_fields
from compliance_site.lib.numbers import usd

from ..models import Decision, Impracticability, RecoveryClaim, RecoveryEvent
from ..services.recovery import claim_position_of
from .choices import GivenChoices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(label: str | None = None, *, help_text: str, required: bool = False) -> forms.CharField:
    """A free text of a few lines."""
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=required, label=label, help_text=help_text
    )


def _optional_date(label: str, *, help_text: str) -> forms.DateField:
    return forms.DateField(widget=DATE, required=False, label=label, help_text=help_text)


class ClaimChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        """The executive and what is left to recover: "Dana Whitfield — $65,000.00 outstanding of
        $325,000.00 owed"; a claim recovered in full says so rather than repeat what was owed."""
        position = claim_position_of(obj, as_of=timezone.localdate())
        owed = usd(obj.amount_owed)
        if position.outstanding <= 0 and position.units_outstanding <= 0:
            return f"{obj.executive.name} — {owed} owed, nothing outstanding"
        if position.outstanding == obj.amount_owed:
            return f"{obj.executive.name} — {owed} owed"
        return f"{obj.executive.name} — {usd(position.outstanding)} outstanding of {owed} owed"


class _ClaimForm(GivenChoices):
    claim = ClaimChoiceField(queryset=RecoveryClaim.objects.none())
    choices_from = {"claim": "claims"}


class RecoveryEventForm(_ClaimForm):
    """One recovery by the policy's methods (a)–(e)."""

    id_prefix = "event"

    occurred_on = forms.DateField(widget=DATE)
    method = forms.ChoiceField(choices=RecoveryEvent.Method.choices)
    amount = forms.DecimalField(max_digits=16, decimal_places=2, min_value=0, label="Amount recovered (USD)")
    units = forms.DecimalField(
        max_digits=20, decimal_places=6, min_value=0, required=False, label="Shares or units recovered"
    )
    evidence = _text(help_text="Wire confirmation, cancellation notice, ...", required=True)


class ClaimPartyForm(_ClaimForm):
    """Policy "Successors": a former executive's beneficiaries, heirs, executors or representatives."""

    id_prefix = "party"

    sought_from = forms.ChoiceField(choices=RecoveryClaim.Party.choices)
    party_name = forms.CharField(max_length=200, required=False)


class ImpracticabilityForm(_ClaimForm):
    """Rule 10D-1(b)(1)(iv): the ground, the independent directors' decision, and its documentation."""

    id_prefix = "impracticable"

    COST_CHOICES = [
        ("third_party", "These are third-party costs"),
        ("internal", "These include internal costs"),
    ]

    decision = forms.ModelChoiceField(queryset=Decision.objects.none(), label="Decision (impracticability)")
    choices_from = {**_ClaimForm.choices_from, "decision": "decisions"}
    ground = forms.ChoiceField(choices=Impracticability.Ground.choices)
    amount_forgone = forms.DecimalField(max_digits=16, decimal_places=2, label="Amount forgone (USD)")
    third_party_cost = forms.DecimalField(
        max_digits=16,
        decimal_places=2,
        required=False,
        label="Third-party enforcement expense (USD)",
        help_text="Ground A: must exceed the amount forgone.",
    )
    cost_nature = forms.ChoiceField(
        choices=COST_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        label="The expense stated",
        help_text="Only the direct expense paid to a third party counts (ground A).",
    )
    # Each ground has its own documentation: what one ground needs, the others leave empty (the service says
    # which is missing for the ground chosen).
    cost_description = _text(help_text="Ground A: who the third party is and what they would charge.")
    attempts = _text(
        "Reasonable attempts to recover",
        help_text="Ground A: the attempts made first, documented (letters, dates, replies).",
    )
    law_adopted_on = _optional_date("Home-country law adopted on", help_text="Ground B: before 2022-11-28.")
    opinion = _text(
        "Counsel's opinion",
        help_text="Ground B: home-country counsel's opinion that recovery would violate that law.",
    )
    plan_description = _text(
        "Retirement plan",
        help_text="Ground C: the tax-qualified plan (benefits broadly available to employees) and why "
        "recovery would make it fail 26 U.S.C. 401(a)(13) or 411(a).",
    )
    provided_to_exchange_on = _optional_date(
        "Provided to the exchange on",
        help_text="Grounds A and B: when the documentation (or counsel's opinion) went to the exchange.",
    )

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        nature = data.pop("cost_nature")
        data.pop("claim")
        data["costs_are_third_party"] = {"third_party": True, "internal": False}.get(nature)
        for name in ("cost_description", "attempts", "opinion", "plan_description"):
            data[name] = data[name] or ""
        return data


# Free texts bounded by the one table of limits (compliance_site/lib/limits.py).
limit_text_fields(__name__)
