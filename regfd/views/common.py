"""What the Reg FD records pages share: who may schedule and edit, and today's date in New York."""

from django.utils import timezone

from compliance_site.lib.timefmt import EXCHANGE_TZ
from compliance_site.registers.views import add_service_error, any_capability_required, can_any, page_of

MANAGE_OR_APPROVE = ("regfd.manage", "regfd.approve")
ACKNOWLEDGEMENT_REPORT = ("regfd.manage", "regfd.export")
# Wall-clock times on the forms are typed in New York time unless the user picks another zone.
NEW_YORK = {"time_zone": "America/New_York"}

__all__ = [
    "ACKNOWLEDGEMENT_REPORT",
    "MANAGE_OR_APPROVE",
    "NEW_YORK",
    "add_service_error",
    "any_capability_required",
    "can_any",
    "page_of",
    "today_et",
]


def today_et():
    return timezone.now().astimezone(EXCHANGE_TZ).date()
