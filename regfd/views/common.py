"""What the Reg FD records pages share: who may schedule and edit, and today's date in New York."""

from django.utils import timezone

from compliance_site.accounts.mfa import fresh_second_factor_required
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
    "action_form",
    "add_service_error",
    "any_capability_required",
    "can_any",
    "fresh_second_factor_for",
    "page_of",
    "today_et",
]


def today_et():
    return timezone.now().astimezone(EXCHANGE_TZ).date()


def fresh_second_factor_for(view, capabilities):
    """A step that binds the company: a POST needs a fresh second factor (compliance_site/accounts/mfa.py),
    asked only of those who hold one of `capabilities`, so anyone else is refused by the view, not asked."""
    return fresh_second_factor_required(view, when=lambda request: can_any(request.user, capabilities))


def action_form(extra: dict, form_class, *, may_act: bool):
    """The form a record's page shows for its one action: the bound form of a refused POST keeps its input
    and errors; otherwise a blank form only for a user who may act, so the page offers no action it would
    refuse."""
    return extra.get("form") or (form_class() if may_act else None)
