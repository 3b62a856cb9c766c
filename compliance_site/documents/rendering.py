"""Turning a document's snapshot into bytes: PDF through the one PDF path, XLSX through openpyxl (the kind's
`tables`), DOCX through the kind's `docx` writer, ZIP through the bundle writer. Reads nothing but the
snapshot (and the content-addressed logo it names). A FINAL PDF is sealed with a PDF signature (sealing.py;
docs/architecture.md, "Sealed documents"); a DRAFT never is."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from .bundle import write_bundle
from .kinds import get_spec
from .models import GeneratedDocument
from .presentation import (
    about_rows,
    branding_root,
    generated_label,
    logo_file,
    logo_url,
    pdf_context,
    render_snapshot_pdf,
    static_root,
)
from .sealing import seal_pdf, seal_reason
from .xlsx import tables_xlsx

__all__ = [
    "Rendered",
    "about_rows",
    "branding_root",
    "filename_for",
    "generated_label",
    "logo_file",
    "logo_url",
    "pdf_context",
    "render_document",
    "render_snapshot_pdf",
    "static_root",
]


@dataclass(frozen=True)
class Rendered:
    content: bytes
    filename: str
    media_type: str


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
        if document.status == GeneratedDocument.Status.FINAL:
            # Sealed last, so the file stored, its SHA-256 and the signed bytes are one and the same.
            progress(90)
            reason = seal_reason(
                reference=document.reference,
                version=document.version,
                company=document.snapshot["company"]["name"],
            )
            content = seal_pdf(content, reason=reason, signed_at=generated_at)
        return Rendered(content, filename_for(document, "pdf"), spec.media_type)
    if spec.output == "xlsx":
        progress(40)
        content = tables_xlsx(
            spec.tables(document.snapshot["data"]),
            about=about_rows(**common, sha=document.snapshot_sha256),
            generated_at=generated_at,
        )
        return Rendered(content, filename_for(document, "xlsx"), spec.media_type)
    if spec.output == "docx":
        progress(40)
        content = spec.docx(
            **common,
            generated_label=generated_label(generated_at),
            logo=logo_file(document.snapshot["company"]),
        )
        return Rendered(content, filename_for(document, "docx"), spec.media_type)
    content = write_bundle(document, spec=spec, generated_at=generated_at, progress=progress)
    return Rendered(content, filename_for(document, "zip"), spec.media_type)
