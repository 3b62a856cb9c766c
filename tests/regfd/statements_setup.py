"""What the tests of the library of public statements share: adding a statement through the service, and the
files of each type it reads."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from regfd.models import PublicStatement
from regfd.services.public_statements import import_public_statement

GUIDANCE_TEXT = (
    "Allient Inc. today announced that its full-year revenue guidance would be lowered to a range of "
    "$1.84 billion to $1.88 billion, as the company indicated at its investor day."
)
WHERE = "https://investors.example.com/news/outlook"


def upload(name: str, content: bytes | str) -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data)


def add_statement(
    actor,
    *,
    text: str = GUIDANCE_TEXT,
    name: str = "release.txt",
    published_at=None,
    kind: str = PublicStatement.Kind.PRESS_RELEASE,
    title: str = "Allient updates its outlook",
    now=None,
) -> PublicStatement:
    """A statement added through the service, from a text file with `text`, published three days ago."""
    now = now or timezone.now()
    return import_public_statement(
        actor=actor,
        now=now,
        file=upload(name, text),
        kind=kind,
        published_at=published_at or now - timedelta(days=3),
        where_published=WHERE,
        title=title,
    )


def pdf_bytes(html: str) -> bytes:
    """A real PDF of `html`, made by WeasyPrint as the app's documents are."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def blank_pdf() -> bytes:
    """A PDF with a page and no text at all, as a scanned image has none."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
