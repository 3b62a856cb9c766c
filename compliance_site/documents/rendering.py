"""Turning a document's snapshot into bytes: PDF through the one PDF path, XLSX through openpyxl, DOCX
through python-docx, ZIP through the bundle writer. Reads nothing but the snapshot (and the
content-addressed logo it names)."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings

from compliance_site.lib.pdf import render_pdf
from compliance_site.lib.timefmt import EXCHANGE_TZ, label

from .kinds import get_spec
from .models import GeneratedDocument
from .xlsx import tables_xlsx


@dataclass(frozen=True)
class Rendered:
    content: bytes
    filename: str
    media_type: str


def static_root() -> Path:
    return Path(settings.BASE_DIR) / "static"


def branding_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "branding"


def logo_file(company: dict) -> Path | None:
    """The snapshot's logo file when the stored file still has the recorded SHA-256."""
    logo = company.get("logo") or {}
    if not logo.get("path"):
        return None
    path = (Path(settings.MEDIA_ROOT) / logo["path"]).resolve()
    if not path.is_relative_to(branding_root().resolve()) or not path.is_file():
        return None
    if hashlib.sha256(path.read_bytes()).hexdigest() != logo.get("sha256"):
        return None
    return path


def logo_url(company: dict) -> str:
    """A file URL for the snapshot's logo (see `logo_file`), or empty."""
    path = logo_file(company)
    return path.as_uri() if path else ""


def generated_label(instant: datetime) -> str:
    return label(instant, EXCHANGE_TZ)


def pdf_context(*, reference: str, version: int, status: str, snapshot: dict, generated_at: datetime) -> dict:
    return {
        "doc": {
            "reference": reference,
            "version": version,
            "status": status,
            "title": snapshot["title"],
            "kind": snapshot["kind"],
        },
        "snap": snapshot,
        "company": snapshot["company"],
        "data": snapshot["data"],
        "logo_url": logo_url(snapshot["company"]),
        "generated_at": generated_label(generated_at),
        "as_of": snapshot.get("as_of"),
    }


def render_snapshot_pdf(
    template: str, *, reference: str, version: int, status: str, snapshot: dict, generated_at: datetime
) -> bytes:
    context = pdf_context(
        reference=reference, version=version, status=status, snapshot=snapshot, generated_at=generated_at
    )
    return render_pdf(template, context, base_url=static_root(), allowed_roots=(branding_root(),))


def about_rows(
    *, reference: str, version: int, status: str, snapshot: dict, generated_at: datetime, sha: str
):
    company = snapshot["company"]
    return [
        ("Document", snapshot["title"]),
        ("Company", company["name"]),
        ("Legend", company["legend"]),
        ("Document id", f"{reference} version {version}"),
        ("Status", status),
        ("Generated at", generated_label(generated_at)),
        ("Data as of", snapshot.get("as_of") or ""),
        ("Snapshot SHA-256", sha),
    ]


def filename_for(document: GeneratedDocument, ext: str) -> str:
    spec = get_spec(document.kind)
    scope = document.period or f"{spec.record}-{document.record_id}"
    return f"{spec.slug}-{scope}-v{document.version}-{document.status}.{ext}".lower()


def render_document(document: GeneratedDocument, *, generated_at: datetime, progress: Callable[[int], None]):
    spec = get_spec(document.kind)
    status = document.get_status_display()
    common = {
        "reference": document.reference,
        "version": document.version,
        "status": status,
        "snapshot": document.snapshot,
        "generated_at": generated_at,
    }
    if spec.output == "pdf":
        progress(30)
        content = render_snapshot_pdf(spec.template, **common)
        return Rendered(content, filename_for(document, "pdf"), spec.media_type)
    if spec.output == "xlsx":
        from .snapshots.disclosure import disclosure_tables

        progress(40)
        content = tables_xlsx(
            disclosure_tables(document.snapshot["data"]),
            about=about_rows(**common, sha=document.snapshot_sha256),
            generated_at=generated_at,
        )
        return Rendered(content, filename_for(document, "xlsx"), spec.media_type)
    if spec.output == "docx":
        from .word import disclosure_docx

        progress(40)
        content = disclosure_docx(
            **common,
            generated_label=generated_label(generated_at),
            logo=logo_file(document.snapshot["company"]),
        )
        return Rendered(content, filename_for(document, "docx"), spec.media_type)
    from .bundle import write_bundle

    content = write_bundle(document, generated_at=generated_at, progress=progress)
    return Rendered(content, filename_for(document, "zip"), spec.media_type)
