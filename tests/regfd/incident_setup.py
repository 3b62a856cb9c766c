"""The incident the Reg FD page tests act on, and the URLs of its page and its actions."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from regfd.models import Incident
from tests.factories import report_incident

ORDER_BOOK_CALL = {
    "title": "Order book figure on a call-back",
    "disclosed_by": "Regional sales director",
    "recipient_name": "Nora Kim",
    "recipient_firm": "Eastgate Research",
    "recipient_category": Incident.RecipientCategory.ANALYST,
    "information": "Gave the unannounced Q4 order book.",
    "learned_by": "Sam Secretary",
}


def report_recent(actor) -> Incident:
    """Disclosed two hours ago, learned of an hour ago: the deadline is a day away."""
    now = timezone.now()
    return report_incident(
        actor,
        now=now,
        disclosed_at=now - timedelta(hours=2),
        learned_at=now - timedelta(hours=1),
        **ORDER_BOOK_CALL,
    )


def detail(incident) -> str:
    return reverse("regfd:incident-detail", args=[incident.pk])


def action(name, incident) -> str:
    return reverse(f"regfd:incident-{name}", args=[incident.pk])
