"""Helpers shared by the snapshot builders: plain JSON values only (strings for amounts and instants)."""

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal

from compliance_site.audit.checkpoints import current_checkpoint
from compliance_site.company.models import Company

SNAPSHOT_FORMAT = "document-snapshot/1"


def canonical_json(data) -> bytes:
    """The bytes hashed for a snapshot: sorted keys, no whitespace, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256_of(data) -> str:
    return hashlib.sha256(canonical_json(data)).hexdigest()


def dec(value: Decimal | None) -> str | None:
    """A Decimal as a plain string without exponent or trailing fraction zeros (money keeps its cents
    through `money` in the templates)."""
    if value is None:
        return None
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def iso(value: datetime | date | None) -> str | None:
    return None if value is None else value.isoformat()


def person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def letterhead(company: Company | None) -> dict:
    """Company name, the confidentiality legend (the branding override first) and the logo by hash."""
    from ..models import Branding

    branding = Branding.objects.filter(id=1).first()
    legend = (branding.legend_override if branding else "") or (
        company.confidentiality_legend if company else ""
    )
    logo = None
    if branding and branding.logo:
        logo = {
            "path": branding.logo.name,
            "sha256": branding.logo_sha256,
            "media_type": branding.logo_media_type,
        }
    return {
        "name": company.name if company else "",
        "ticker": company.ticker if company else "",
        "legend": legend,
        "logo": logo,
    }


def audit_checkpoint() -> dict | None:
    """The audit trail's checkpoint current when the snapshot is taken (compliance_site/audit/checkpoints.py),
    printed on the document and in its bundle as `SEQ:HASH`. Kept in the snapshot, so a FINAL document
    regenerated later prints the same one; None before the first checkpoint is written."""
    checkpoint = current_checkpoint()
    if checkpoint is None:
        return None
    return {"seq": checkpoint.seq, "hash": checkpoint.hash, "at": checkpoint.at, "token": checkpoint.token}


def envelope(*, kind: str, title: str, company: Company | None, now: datetime, data: dict) -> dict:
    return {
        "format": SNAPSHOT_FORMAT,
        "kind": kind,
        "title": title,
        "as_of": iso(now),
        "company": letterhead(company),
        "audit_checkpoint": audit_checkpoint(),
        "data": data,
    }


def table(columns: list[str], rows: list[list]) -> dict:
    """A record table carried in a snapshot, written out as CSV and as an XLSX sheet."""
    return {"columns": columns, "rows": [[("" if v is None else v) for v in row] for row in rows]}
