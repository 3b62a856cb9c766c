import hashlib
import mimetypes
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat

from compliance_site.audit.recorder import save_audited

from .models import Attachment

# Allowed types: the leading bytes each must start with (None: plain text, checked for NUL bytes).
ALLOWED_TYPES: dict[str, tuple[str, bytes | None]] = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".txt": ("text/plain", None),
    ".csv": ("text/csv", None),
    ".eml": ("message/rfc822", None),
    # A web page kept as evidence (a website posting): downloaded as a file, never shown by the app.
    ".html": ("text/html", None),
    ".htm": ("text/html", None),
}


def validate_upload(uploaded) -> tuple[str, str]:
    """Return (safe name, media type) or raise ValidationError with a message a person can act on."""
    name = PurePath(uploaded.name or "").name.strip()
    ext = PurePath(name).suffix.lower()
    if not name or ext not in ALLOWED_TYPES:
        raise ValidationError(
            f"File type {ext or '(none)'} is not accepted. Accepted: {', '.join(sorted(ALLOWED_TYPES))}."
        )
    if uploaded.size == 0:
        raise ValidationError("The file is empty.")
    if uploaded.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(f"The file is larger than {filesizeformat(settings.ATTACHMENT_MAX_BYTES)}.")
    media_type, magic = ALLOWED_TYPES[ext]
    uploaded.seek(0)
    head = uploaded.read(2048)
    uploaded.seek(0)
    if magic is not None and not head.startswith(magic):
        raise ValidationError(f"The file's contents are not a valid {ext} file.")
    if magic is None and b"\x00" in head:
        raise ValidationError(f"The file's contents are not text, as a {ext} file must be.")
    return name, media_type or mimetypes.guess_type(name)[0] or "application/octet-stream"


@transaction.atomic
def add_attachment(
    *,
    actor,
    record: models.Model,
    uploaded,
    kind: str = Attachment.Kind.EVIDENCE,
    description: str = "",
    supersedes: Attachment | None = None,
) -> Attachment:
    """Attach a file to a record; with `supersedes`, store it as the next version (the old one is kept)."""
    name, media_type = validate_upload(uploaded)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    content_type = ContentType.objects.get_for_model(type(record))
    version = 1
    if supersedes is not None:
        if supersedes.content_type_id != content_type.id or supersedes.object_id != str(record.pk):
            raise ValidationError("A new version must be attached to the same record.")
        if not supersedes.is_current:
            raise ValidationError("That file has already been replaced by a newer version.")
        version = supersedes.version + 1
    attachment = Attachment(
        content_type=content_type,
        object_id=str(record.pk),
        kind=kind,
        description=description,
        original_name=name,
        media_type=media_type,
        size=uploaded.size,
        sha256=digest.hexdigest(),
        version=version,
        supersedes=supersedes,
        uploaded_by=actor,
    )
    attachment.full_clean(exclude=["file"])
    attachment.file.save(name, uploaded, save=False)
    try:
        save_audited(attachment, actor=actor)
    except Exception:
        # Never leave a refused file on disk.
        attachment.file.delete(save=False)
        raise
    return attachment
