import functools
import zoneinfo
from datetime import UTC

from django import forms
from django.utils import timezone

from compliance_site.lib.limits import limit_text_fields
from compliance_site.lib.markets import FIRST_RECORD_YEAR, LAST_RECORD_YEAR, in_record_years
from compliance_site.lib.timefmt import EXCHANGE_TZ, label

from ..models import MATERIAL_CATEGORIES, Exclusion, Incident, PublicStatement
from ..selectors_statements import attached_statements
from ..services.incidents import DISCLOSURE_FIELDS

ZONE_CHOICES = [
    ("America/New_York", "New York (ET)"),
    ("America/Chicago", "Chicago (CT)"),
    ("America/Denver", "Denver (MT)"),
    ("America/Los_Angeles", "Los Angeles (PT)"),
    ("Europe/London", "London"),
    ("Europe/Paris", "Paris"),
    ("Asia/Tokyo", "Tokyo"),
    ("Asia/Hong_Kong", "Hong Kong"),
    ("UTC", "UTC"),
]
LOCAL_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
NO_ZONE = "Choose the zone these times are in: a time without its zone is never assumed."


def zone_field(label: str) -> forms.ChoiceField:
    """The zone the wall-clock times beside it were typed in (required: never assumed)."""
    return forms.ChoiceField(
        choices=ZONE_CHOICES, initial="America/New_York", label=label, error_messages={"required": NO_ZONE}
    )


class ZonedFormMixin:
    """Times are typed as wall-clock time plus an explicit zone: a time without a zone is never assumed."""

    zoned_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.zoned_fields:
            if name in self.fields:
                self.fields[name].to_python = functools.partial(_read_as_typed, self.fields[name].to_python)

    @classmethod
    def initial_for(cls, record) -> dict:
        """The form filled in from `record` for an edit: its times shown as New York wall-clock time, to
        match the zone preselected beside them."""
        initial = {name: getattr(record, name) for name in cls.base_fields if hasattr(record, name)}
        initial["time_zone"] = "America/New_York"
        for name in cls.zoned_fields:
            if initial.get(name) is not None:
                initial[name] = initial[name].astimezone(EXCHANGE_TZ).replace(tzinfo=None)
        return initial

    def clean(self):
        cleaned = super().clean()
        zone = cleaned.get("time_zone")
        if not zone:
            return cleaned
        tz = zoneinfo.ZoneInfo(zone)
        for name in self.zoned_fields:
            value = cleaned.get(name)
            if value is None:
                continue
            # Typed as wall-clock time in the chosen zone; Django parsed it naive or in UTC.
            typed = value.replace(tzinfo=None)
            problem = _wall_clock_problem(typed, tz, zone_label=dict(ZONE_CHOICES).get(zone, zone))
            if problem:
                self.add_error(name, problem)
            else:
                cleaned[name] = typed.replace(tzinfo=tz)
        return cleaned


def _read_as_typed(to_python, value):
    # Django reads a typed time in the person's own zone, and refuses the skipped and repeated hours of *that*
    # zone with a message that cannot say which; the zone chosen beside the times is the one that counts
    # (`clean`). Read in UTC, which has neither, the time stays as typed.
    with timezone.override(UTC):
        return to_python(value)


def _wall_clock_problem(typed, tz, *, zone_label: str) -> str:
    """Why a wall-clock time typed in `tz` is not one instant, in words; empty when it is. The zone menu has
    UTC, which has neither a skipped nor a repeated hour."""
    if not in_record_years(typed):
        return f"Give a time between the years {FIRST_RECORD_YEAR} and {LAST_RECORD_YEAR}."
    local = typed.replace(tzinfo=tz)
    when = f"{typed:%Y-%m-%d %H:%M}"
    if local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != typed:
        return (
            f"{when} did not exist in {zone_label}: the clocks went forward an hour then. Check the time, "
            "or give it in UTC."
        )
    if local.utcoffset() != local.replace(fold=1).utcoffset():
        return (
            f"{when} happened twice in {zone_label}: the clocks went back an hour then. Give the time in "
            "UTC (choose UTC beside the times), so it is one moment."
        )
    return ""


class IncidentReportForm(ZonedFormMixin, forms.ModelForm):
    zoned_fields = ("disclosed_at", "learned_at")
    time_zone = zone_field("Times below are in")

    class Meta:
        model = Incident
        fields = ["title", *DISCLOSURE_FIELDS]
        widgets = {
            "disclosed_at": LOCAL_DT,
            "learned_at": LOCAL_DT,
            "information": forms.Textarea(attrs={"rows": 4}),
        }
        # Plain words for whoever reports (policy I.B, II.I): the questions say what they ask, each help text
        # is tied to its field (aria-describedby), and "senior official" is said as the policy says it.
        labels = {
            "title": "Short title",
            "disclosed_by": "Who shared the information?",
            "recipient_name": "Who was told?",
            "recipient_firm": "Their firm",
            "recipient_category": "Who are they?",
            "information": "What was shared?",
            "disclosed_at": "When was it shared?",
            "learned_at": "When did you realise the information might be material and nonpublic?",
            "learned_by": "Who realised it?",
            "intentional": "It was shared on purpose",
        }
        help_texts = {
            "title": "A few words to recognise your report by, e.g. “Margin comment to an analyst”.",
            "disclosed_by": "The person at the company who said, wrote or sent it: you or a colleague.",
            "recipient_name": "The person outside the company who heard or received the information.",
            "recipient_firm": "The bank, fund or firm they work for, if any.",
            "recipient_category": "Regulation FD covers analysts, investment advisers, funds and "
            "shareholders. If unsure, choose the closest.",
            "information": "In your own words, what was said or sent. Do not pass it on to anyone else.",
            "disclosed_at": "The date and time it was said or sent, as best you know.",
            "learned_at": "The moment you, or the Corporate Secretary or an authorized officer (the CEO or "
            "CFO) if they realised first, understood it might matter to investors and had not been made "
            "public. The company must make it public within 24 hours of this moment, or before the market "
            "opens on the next trading day after a weekend or holiday (policy I.B).",
            "learned_by": "Your name, or the Corporate Secretary or authorized officer (the CEO or CFO) who "
            "realised it first.",
            "intentional": "Tick if it was shared deliberately. The company must then make it public at the "
            "same time, so the Corporate Secretary acts at once (policy I.B).",
        }

    # The zone comes just before the times it applies to, so it is read before they are typed.
    field_order = [*Meta.fields[: Meta.fields.index("disclosed_at")], "time_zone"]

    def __init__(self, *args, zone: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if zone in dict(ZONE_CHOICES):
            self.fields["time_zone"].initial = zone  # the reporter's own zone, still shown and changeable
        self.fields["time_zone"].help_text = "The time zone of the two times below, e.g. your own."
        for name in self.zoned_fields:
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def _post_clean(self):
        # The deadline fields are computed by the service, not typed; skip model validation here.
        pass


class PublicDisclosureForm(ZonedFormMixin, forms.Form):
    zoned_fields = ("disclosed_at",)
    disclosed_at = forms.DateTimeField(
        widget=LOCAL_DT, input_formats=["%Y-%m-%dT%H:%M"], label="Made public at"
    )
    time_zone = zone_field("Time is in")
    method = forms.ChoiceField(choices=Incident.DisclosureMethod.choices)
    reference = forms.CharField(
        required=False, max_length=300, help_text="Wire release id, 8-K accession number, or URL."
    )


class MaterialityForm(forms.Form):
    """The materiality assessment against the policy's list of material information (policy II.B)."""

    material_categories = forms.MultipleChoiceField(
        choices=MATERIAL_CATEGORIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Policy categories the information touches (policy II.B)",
    )
    in_doubt = forms.BooleanField(
        required=False,
        label="In doubt about materiality",
        help_text="Policy II.B: when in doubt, presume the information is material.",
    )
    materiality_assessment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Assessment",
        help_text="Why it is, or is not, material.",
    )


class CitedStatementsField(forms.ModelMultipleChoiceField):
    """The statements attached to an incident, each named with when it was made public (New York time)."""

    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.get_kind_display()}, made public {label(obj.published_at, EXCHANGE_TZ)})"


class CounselConclusionForm(forms.Form):
    """Counsel's conclusion on materiality (regfd.conclude only), citing the public statements attached to the
    incident as evidence, when it has some (docs/regfd-rules §2.9)."""

    per_incident = True  # built with the incident: the statements it may cite are the incident's
    conclusion = forms.ChoiceField(
        choices=[c for c in Incident.CounselConclusion.choices if c[0] != Incident.CounselConclusion.PENDING],
        label="Conclusion",
    )
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Rationale")
    cited_statements = CitedStatementsField(
        queryset=PublicStatement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Public statements the conclusion cites",
        help_text="Among the statements attached to the incident as evidence.",
    )

    def __init__(self, *args, incident: Incident | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        statements = attached_statements(incident) if incident is not None else PublicStatement.objects.none()
        if incident is None or not statements.exists():
            del self.fields["cited_statements"]
        else:
            self.fields["cited_statements"].queryset = statements
            # Ticked as the conclusion now cites them: a revision keeps them unless counsel unticks one.
            self.fields["cited_statements"].initial = [s.pk for s in incident.counsel_cited_statements.all()]


class ExclusionForm(forms.Form):
    """An exclusion claimed under Reg FD 243.100(b)(2) / policy II.J, with its evidence."""

    kind = forms.ChoiceField(choices=Exclusion.Kind.choices, label="Exclusion")
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What shows it applies; attach the agreement or engagement letter under Documents.",
    )


class CorrectLearnedAtForm(ZonedFormMixin, forms.Form):
    """A corrected T0: the deadline is recomputed and the change recorded with its reason."""

    zoned_fields = ("learned_at",)
    learned_at = forms.DateTimeField(
        widget=LOCAL_DT, input_formats=["%Y-%m-%dT%H:%M"], label="Corrected T0 (learned at)"
    )
    time_zone = zone_field("T0 is in")
    reason = forms.CharField(max_length=180, label="Reason for the correction")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "t0_%s")  # ids unique on the incident page, which has several forms
        super().__init__(*args, **kwargs)


class CloseNotRequiredForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text="Why public disclosure is not required."
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "close_%s")  # ids unique on the incident page, which has several forms
        super().__init__(*args, **kwargs)


# Free texts bounded by the one table of limits (compliance_site/lib/limits.py).
limit_text_fields(__name__)
