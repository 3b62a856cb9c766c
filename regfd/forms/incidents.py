import zoneinfo

from django import forms

from ..models import Incident

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


class ZonedFormMixin:
    """Times are typed as wall-clock time plus an explicit zone: a time without a zone is never assumed."""

    zoned_fields: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        zone = cleaned.get("time_zone")
        if not zone:
            return cleaned
        tz = zoneinfo.ZoneInfo(zone)
        for name in self.zoned_fields:
            value = cleaned.get(name)
            if value is not None:
                # Typed as wall-clock time in the chosen zone; Django parsed it naive or in UTC.
                cleaned[name] = value.replace(tzinfo=None).replace(tzinfo=tz)
        return cleaned


class IncidentReportForm(ZonedFormMixin, forms.ModelForm):
    zoned_fields = ("disclosed_at", "learned_at")
    time_zone = forms.ChoiceField(
        choices=ZONE_CHOICES, initial="America/New_York", label="Times above are in"
    )

    class Meta:
        model = Incident
        fields = [
            "title",
            "disclosed_by",
            "recipient_name",
            "recipient_firm",
            "recipient_category",
            "information",
            "disclosed_at",
            "learned_at",
            "learned_by",
            "intentional",
        ]
        widgets = {
            "disclosed_at": LOCAL_DT,
            "learned_at": LOCAL_DT,
            "information": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"learned_at": "Learned at (T0)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
    time_zone = forms.ChoiceField(choices=ZONE_CHOICES, initial="America/New_York", label="Time is in")
    method = forms.ChoiceField(choices=Incident.DisclosureMethod.choices)
    reference = forms.CharField(
        required=False, max_length=300, help_text="Wire release id, 8-K accession number, or URL."
    )


class CloseNotRequiredForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text="Why public disclosure is not required."
    )
