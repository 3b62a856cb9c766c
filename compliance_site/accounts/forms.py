import zoneinfo

from django import forms

from .models import User

_COMMON_ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Paris",
    "Asia/Tokyo",
    "Asia/Hong_Kong",
    "Australia/Sydney",
    "UTC",
]


class PreferencesForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=[(z, z) for z in _COMMON_ZONES]
        + [(z, z) for z in sorted(zoneinfo.available_timezones()) if z not in _COMMON_ZONES],
        help_text="Times are always shown in New York time (the exchange's) and also in this zone.",
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "time_zone"]
