"""A generated document for the permission matrix's `world` (its Reg FD incident's record), made on first use:
done, with a stored file, so the detail, status and download pages have something to show."""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from compliance_site.documents.models import GeneratedDocument

CONTENT = b"%PDF-1.4\n% permission matrix document\n%%EOF\n"


def world_document(w) -> GeneratedDocument:
    existing = getattr(w, "document", None)
    if existing is not None:
        return existing
    now = timezone.now()
    document = GeneratedDocument(
        kind=GeneratedDocument.Kind.INCIDENT,
        title=f"Reg FD incident record — {w.incident.reference}",
        content_type=ContentType.objects.get_for_model(type(w.incident)),
        record_id=w.incident.pk,
        version=1,
        snapshot={"title": "matrix", "kind": "regfd_incident", "company": {}, "data": {}},
        snapshot_sha256="0" * 64,
        requested_by=w.users["secretary"],
        requested_at=now,
        generated_at=now,
        state=GeneratedDocument.State.DONE,
        progress=100,
        filename="matrix.pdf",
        media_type="application/pdf",
        sha256=hashlib.sha256(CONTENT).hexdigest(),
        size=len(CONTENT),
    )
    document.file.save("matrix.pdf", ContentFile(CONTENT), save=False)
    document.save()
    w.document = document
    return document
