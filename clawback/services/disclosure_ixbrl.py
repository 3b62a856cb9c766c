"""Item 402(w) and the Form 10-K cover check boxes tagged in Inline XBRL for EDGAR (docs/clawback-rules §1.10,
"Tagged for EDGAR").

The figures are the company's disclosure (`disclosure_for`: every case of the company, refused to anyone
walled off from one of them); the pure `clawback.disclosure_ixbrl` tags them. Taking the document out is
recorded on the audit trail with its SHA-256, as the other exports are, so the fragment pasted into a filing
can be traced to who took it and from which figures.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from compliance_site.accounts.permissions import has_capability
from compliance_site.audit.recorder import record_action
from compliance_site.company.models import Company, FiscalPeriod

from .. import disclosure_ixbrl
from .disclosure import disclosure_for

MEDIA_TYPE = "application/xhtml+xml"
CAPABILITY = "clawback.export"


def filer_of(company: Company) -> disclosure_ixbrl.Filer:
    """The company as EDGAR identifies it, from the company profile."""
    return disclosure_ixbrl.Filer(name=company.name, cik=company.cik, ticker=company.ticker)


def tagged_disclosure(*, user, fiscal_period: FiscalPeriod, prepared_on: date) -> disclosure_ixbrl.Tagged:
    """The tagged Item 402(w) disclosure of `fiscal_period`'s annual report prepared (filed) on `prepared_on`.

    Same audience as the Item 402(w) document: `clawback.export`, and sight of every case of the company
    (`DisclosureRefused` otherwise). ValidationError when it cannot be tagged as recorded (no SEC CIK in
    the company profile; two restatements required on the same date)."""
    if not has_capability(user, CAPABILITY):
        raise PermissionDenied("Exporting the Item 402(w) disclosure needs the clawback export permission.")
    report = disclosure_for(user=user, fiscal_period=fiscal_period, prepared_on=prepared_on)
    try:
        return disclosure_ixbrl.tag_disclosure(report, filer=filer_of(fiscal_period.company))
    except disclosure_ixbrl.TaggingError as problem:
        raise ValidationError(str(problem)) from problem


def sha256_of(tagged: disclosure_ixbrl.Tagged) -> str:
    return hashlib.sha256(tagged.xhtml.encode("ascii")).hexdigest()


@transaction.atomic
def export_ixbrl(
    *, actor, fiscal_period: FiscalPeriod, prepared_on: date
) -> tuple[bytes, disclosure_ixbrl.Tagged]:
    """The Inline XBRL document (bytes, ASCII) and what it tags; the export is recorded on the company's
    audit trail with the fiscal year, the filing date, the number of tagged values and the SHA-256."""
    tagged = tagged_disclosure(user=actor, fiscal_period=fiscal_period, prepared_on=prepared_on)
    content = tagged.xhtml.encode("ascii")
    record_action(
        actor=actor,
        verb="clawback-export-ixbrl",
        obj=fiscal_period.company,
        details={
            "fiscal_year": fiscal_period.label,
            "prepared_on": prepared_on.isoformat(),
            "facts": len(tagged.facts),
            "sha256": hashlib.sha256(content).hexdigest(),
        },
    )
    return content, tagged
