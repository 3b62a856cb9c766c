import zoneinfo

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

from .models import User

# The longest user name a sign-in may carry: the column's. Django's AuthenticationForm only sets the input's
# maxlength attribute, so a longer name reached authenticate() and django-axes, whose 255-character
# username column then failed (a 500); here it is a form error (docs/architecture.md).
USERNAME_MAX_LENGTH = User._meta.get_field(User.USERNAME_FIELD).max_length


class LoginForm(AuthenticationForm):
    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].validators.append(MaxLengthValidator(USERNAME_MAX_LENGTH))


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
