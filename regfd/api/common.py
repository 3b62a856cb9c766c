"""What the Reg FD records API modules share: capabilities, time and date input, and brief user fields.

Times in input must carry a UTC offset or `Z`: a time without one is refused with a 400, never assumed
(docs/regfd-rules §2.2).
"""

from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework import serializers

from compliance_site.lib.markets import FIRST_RECORD_YEAR, LAST_RECORD_YEAR, in_record_years
from compliance_site.lib.timefmt import EXCHANGE_TZ
from compliance_site.registers.api import HasAnyCapability

from .serializers import AwareDateTimeField

User = get_user_model()
MANAGE_OR_APPROVE = ("regfd.manage", "regfd.approve")
ACKNOWLEDGEMENT_REPORT = ("regfd.manage", "regfd.export")

__all__ = [
    "ACKNOWLEDGEMENT_REPORT",
    "MANAGE_OR_APPROVE",
    "HasAnyCapability",
    "InstantInputField",
    "RecordDateField",
    "User",
    "UserBriefSerializer",
    "active_users",
    "name_of",
    "today_et",
]


class _InRange:
    """A date or time within the record years (1900–2199): far-off years cannot be converted between zones
    reliably and are never a Reg FD record's."""

    def to_internal_value(self, value):
        result = super().to_internal_value(value)
        if not in_record_years(result):
            self.fail("range")
        return result


class InstantInputField(_InRange, AwareDateTimeField):
    default_error_messages = {
        "range": f"Give a time between the years {FIRST_RECORD_YEAR} and {LAST_RECORD_YEAR}."
    }


class RecordDateField(_InRange, serializers.DateField):
    default_error_messages = {
        "range": f"Give a date between the years {FIRST_RECORD_YEAR} and {LAST_RECORD_YEAR}."
    }


def active_users():
    return User.objects.filter(is_active=True)


class UserBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "email"]
        read_only_fields = fields


def name_of(source: str, *, null: bool = False) -> serializers.StringRelatedField:
    """The related record's name beside its id (`spokesperson_name` beside `spokesperson`)."""
    return serializers.StringRelatedField(source=source, allow_null=null, read_only=True)


def today_et():
    return timezone.now().astimezone(EXCHANGE_TZ).date()
