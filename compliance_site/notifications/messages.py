"""A reminder as it leaves the application, by e-mail or in a chat channel: built here, once, for both.

What a message may say is the rule of registry.py (issue #15): the reminder's title and body, which the
record's source writes from its neutral reference and dates only, then the link to the record (SITE_URL and
the record's page, behind the sign-in and its visibility rules) and the company's confidentiality legend.
Nothing else is added on the way out: the e-mail (services.py) and the chat payloads
(webhooks/rules.py) are both made from `compose_message`.
"""

from dataclasses import dataclass

from django.conf import settings

from compliance_site.company.models import Company


@dataclass(frozen=True)
class OutgoingMessage:
    """The title (an e-mail's subject, a chat message's first line), the body, the absolute link to the
    record and the confidentiality legend."""

    title: str
    body: str
    link: str
    legend: str

    @property
    def text(self) -> str:
        """The body, the link to the record and the legend: an e-mail's whole text."""
        return f"{self.body}\n\nOpen the record: {self.link}\n\n{self.legend}\n"


def record_link(url: str) -> str:
    """The absolute address of a page, from SITE_URL: where the application is reached, whatever port or
    host the process itself listens on (`make run` sets it from HOST and PORT)."""
    return settings.SITE_URL.rstrip("/") + url


def confidentiality_legend() -> str:
    """The company's confidentiality legend (company profile), the last line of every message."""
    legend = Company.objects.order_by("pk").values_list("confidentiality_legend", flat=True).first()
    return legend or Company._meta.get_field("confidentiality_legend").default


def compose_message(*, title: str, body: str, url: str, legend: str | None = None) -> OutgoingMessage:
    """The message for a reminder whose source wrote `title` and `body` about the record at `url` (a path
    on this site); `legend` when the caller already read it (one query for many messages)."""
    return OutgoingMessage(
        title=title,
        body=body,
        link=record_link(url),
        legend=confidentiality_legend() if legend is None else legend,
    )
