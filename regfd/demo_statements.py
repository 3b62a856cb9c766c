"""Demo data for the library of public statements (docs/regfd-rules §2.9), loaded by regfd.demo: a press
release that had already made public what the overdue demo incident disclosed (so searching the library from
that incident finds it), the quarter's call transcript and Form 10-Q, and the press release that cured the
closed Navix incident, attached to it as evidence.

Made through the services, as a person would add them (the files uploaded, their text read), at the times
they happened. Safe to run twice: nothing is added to a library that has statements."""

from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from compliance_site.accounts.models import User
from compliance_site.lib.timefmt import EXCHANGE_TZ

from .models import Incident, PublicStatement
from .services import public_statements as services

# The overdue demo incident's information is "Indicated full-year revenue guidance would be lowered.": this
# release says so publicly the day before.
GUIDANCE_RELEASE = """<!doctype html>
<html><head><title>Allient updates its full-year outlook</title>
<script>window.analytics = "not part of the release";</script><style>p { margin: 0 }</style></head>
<body><h1>Allient updates its full-year outlook</h1>
<p>BOSTON, {day}. Allient Inc. (NYSE: ALNT) today announced that its full-year revenue guidance would be
lowered to a range of $1.84 billion to $1.88 billion, from $1.95 billion to $2.00 billion, as the company
indicated at its investor day. Slower orders from industrial customers in Europe weigh on the fourth
quarter.</p>
<p>Gross margin guidance is unchanged. The company will discuss the outlook on its next earnings call.</p>
<p>Forward-looking statements: this release contains forward-looking statements about revenue, which are
subject to risks described in the company's most recent Form 10-K.</p>
</body></html>
"""

CALL_TRANSCRIPT = """Allient Inc. third-quarter earnings call

Operator: Good afternoon, and welcome to the Allient third-quarter earnings call. This call is being
webcast and a replay will be available on our investor relations website.

Chief Financial Officer: Thank you. Revenue grew six percent from a year ago. Gross margin was 41 percent,
in line with our guidance. Backlog grew in the quarter; we will give the figure with our annual report.

Chief Executive Officer: Our supply agreements with industrial customers renew in the first half of next
year. We do not comment on negotiations in progress.

Operator: That concludes the call. Thank you for joining.
"""

QUARTERLY_REPORT = """Form 10-Q: quarterly report of Allient Inc. for {quarter}

Item 2. Management's discussion and analysis

Revenue increased six percent compared with the same quarter last year, driven by industrial automation.
Gross margin was 41 percent. Orders from customers in Europe slowed late in the quarter.

Liquidity: the company had $310 million of cash and an undrawn revolving credit facility.
"""

NAVIX_RELEASE = """<!doctype html>
<html><head><title>Allient signs a multi-year supply contract with Navix</title></head>
<body><h1>Allient signs a multi-year supply contract with Navix</h1>
<p>Allient Inc. (NYSE: ALNT) today announced a multi-year contract to supply motion-control systems to
Navix, its largest award this year. Deliveries begin next quarter.</p>
</body></html>
"""


def _upload(name: str, content: str) -> SimpleUploadedFile:
    media_type = "text/html" if name.endswith(".html") else "text/plain"
    return SimpleUploadedFile(name, content.encode(), content_type=media_type)


def ensure_public_statements(users: dict[str, User], *, now: datetime, quarter: str) -> None:
    """The library's demo statements, added by the Corporate Secretary after each was published."""
    if PublicStatement.all_objects.exists():
        return
    secretary = users["secretary"]

    def add(*, name: str, content: str, published_at: datetime, **fields) -> PublicStatement:
        return services.import_public_statement(
            actor=secretary,
            now=min(now, published_at + timedelta(hours=2)),
            file=_upload(name, content),
            published_at=published_at,
            **fields,
        )

    overdue = Incident.objects.filter(title="Guidance hint in conference breakout").first()
    if overdue is not None:
        published = (overdue.disclosed_at - timedelta(days=1)).astimezone(EXCHANGE_TZ)
        published = published.replace(hour=16, minute=5, second=0, microsecond=0)
        add(
            name="allient-full-year-outlook.html",
            content=GUIDANCE_RELEASE.replace("{day}", f"{published:%B %-d, %Y}"),
            published_at=published,
            kind=PublicStatement.Kind.PRESS_RELEASE,
            where_published="https://investors.example.com/news/full-year-outlook",
        )
    call_at = (
        (now - timedelta(days=35)).astimezone(EXCHANGE_TZ).replace(hour=17, minute=0, second=0, microsecond=0)
    )
    add(
        name="q3-earnings-call-transcript.txt",
        content=CALL_TRANSCRIPT,
        published_at=call_at,
        kind=PublicStatement.Kind.TRANSCRIPT,
        title="Third-quarter earnings call transcript",
        where_published="https://investors.example.com/events/q3-earnings-call",
    )
    add(
        name="form-10-q.txt",
        content=QUARTERLY_REPORT.replace("{quarter}", quarter),
        published_at=call_at + timedelta(days=6),
        kind=PublicStatement.Kind.FORM_10Q,
        title=f"Form 10-Q for {quarter}",
        where_published="SEC accession number 0001234567-26-000412",
    )
    navix = Incident.objects.filter(title="Customer win mentioned to shareholder").first()
    if navix is not None and navix.public_disclosure_at is not None:
        release = add(
            name="navix-supply-contract.html",
            content=NAVIX_RELEASE,
            published_at=navix.public_disclosure_at,
            kind=PublicStatement.Kind.PRESS_RELEASE,
            where_published="https://investors.example.com/news/navix-supply-contract",
        )
        services.attach_public_statement(
            actor=secretary,
            now=min(now, navix.public_disclosure_at + timedelta(hours=3)),
            incident=navix,
            statement=release,
            note="The press release that made the contract public, after the disclosure.",
        )
