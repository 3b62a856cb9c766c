"""Generating documents: request (a queued row and a background task), render (the task's body),
regenerate (a new version from the same snapshot), record a download, and set the branding.

Every action is one function with keyword-only arguments, the audit trail written. The views,
the admin and the task call only these.
"""

import hashlib
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max

from compliance_site.accounts.permissions import has_capability
from compliance_site.accounts.visibility import can_view
from compliance_site.audit.recorder import record_action, save_audited
from compliance_site.celery import app as celery_app
from compliance_site.company.selectors import current_company

from .kinds import KindSpec, clean_period, get_spec
from .models import Branding, GeneratedDocument
from .snapshots.common import envelope, sha256_of

RENDER_TASK = "compliance_site.documents.tasks.render_document_task"
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
LOGO_MAX_BYTES = 1024 * 1024


def may_request(user, spec: KindSpec) -> bool:
    return all(has_capability(user, capability) for capability in spec.capabilities)


def in_company_wide_audience(user, spec: KindSpec) -> bool:
    """Whether the user may have a company-wide document of this kind: a kind summing every record of a
    program (Item 402(w) sums every case) names who may (`company_wide_audience`); any other, anyone with
    the kind's capabilities."""
    return spec.company_wide_audience is None or spec.company_wide_audience(user)


def may_see_record(user, spec: KindSpec, record) -> bool:
    # A case or an incident must be visible to the user (a covered executive never gets the case about
    # their own pay); a company-wide document, to its kind's audience.
    if spec.record != "company":
        return can_view(user, record)
    return in_company_wide_audience(user, spec)


def _check_access(user, spec: KindSpec, record) -> None:
    if not may_request(user, spec) or not may_see_record(user, spec, record):
        raise PermissionDenied(f"{user} may not generate {spec.label.lower()} for this record")


def _company_of(spec: KindSpec, record):
    if spec.record == "company":
        return record
    return getattr(record, "company", None) or current_company()


def _next_version(spec: KindSpec, content_type, record_id: int, period: str) -> int:
    latest = GeneratedDocument.objects.filter(
        kind=spec.kind, content_type=content_type, record_id=record_id, period=period
    ).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


def _create(
    *,
    actor,
    spec: KindSpec,
    content_type,
    record_id: int,
    period: str,
    status: str,
    snapshot: dict,
    now: datetime,
    regenerated_from: GeneratedDocument | None = None,
) -> GeneratedDocument:
    for attempt in range(3):
        document = GeneratedDocument(
            kind=spec.kind,
            title=snapshot["title"][:300],
            content_type=content_type,
            record_id=record_id,
            period=period,
            version=_next_version(spec, content_type, record_id, period),
            status=status,
            snapshot=snapshot,
            snapshot_sha256=sha256_of(snapshot),
            requested_by=actor,
            requested_at=now,
            regenerated_from=regenerated_from,
        )
        document.full_clean(exclude=["file"])
        try:
            # A savepoint, so a version number taken by a concurrent request is retried, not fatal.
            with transaction.atomic():
                document.save()
            break
        except IntegrityError:
            if attempt == 2:
                raise
    record_action(
        actor=actor,
        verb="request_document",
        obj=document,
        details={
            "kind": spec.kind,
            "version": document.version,
            "status": status,
            "snapshot_sha256": document.snapshot_sha256,
            "regenerated_from": regenerated_from.reference if regenerated_from else "",
        },
    )
    document_id = document.pk
    transaction.on_commit(lambda: enqueue_rendering(document_id))
    return document


def enqueue_rendering(document_id: int) -> None:
    """Hand the rendering to a worker (tasks.render_document_task, named: the tasks call the services, never
    the reverse; docs/architecture.md)."""
    celery_app.signature(RENDER_TASK, args=[document_id]).delay()


@transaction.atomic
def request_document(
    *, actor, kind: str, record, now: datetime, final: bool = False, period: str = ""
) -> GeneratedDocument:
    """Queue a new version of a document about `record` and enqueue its rendering.

    The snapshot is taken now, from the records, so the document shows the case as it stands at the
    request. FINAL needs an approved snapshot (a determination with a live decision; a closed incident;
    an ended period); otherwise ValidationError says why. PermissionDenied without the kind's
    capabilities or sight of the record.
    """
    spec = get_spec(kind)
    if not isinstance(record, spec.model):
        raise ValidationError(f"{spec.label} is about a {spec.record}, not a {type(record).__name__}")
    _check_access(actor, spec, record)
    try:
        period = clean_period(spec, record, period)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    if final:
        refusal = spec.final_refusal(record, period, actor, now)
        if refusal:
            raise ValidationError(refusal)
    title = spec.title(record, period)
    snapshot = envelope(kind=spec.kind, title=title, company=_company_of(spec, record), now=now,
                        data=spec.build(record, period, actor, now))  # fmt: skip
    from django.contrib.contenttypes.models import ContentType

    return _create(
        actor=actor,
        spec=spec,
        content_type=ContentType.objects.get_for_model(spec.model),
        record_id=record.pk,
        period=period,
        status=GeneratedDocument.Status.FINAL if final else GeneratedDocument.Status.DRAFT,
        snapshot=snapshot,
        now=now,
    )


@transaction.atomic
def regenerate_document(*, actor, document: GeneratedDocument, now: datetime) -> GeneratedDocument:
    """A new version rendered from the same snapshot (same status): the text is the same, only the
    document id, version and generation time in the footer differ."""
    spec = get_spec(document.kind)
    record = document.content_type.get_object_for_this_type(pk=document.record_id)
    _check_access(actor, spec, record)
    if document.is_pending:
        raise ValidationError(f"{document.reference} is still being generated.")
    if document.status == GeneratedDocument.Status.FINAL and spec.approval_check:
        refusal = spec.approval_check(document.snapshot)
        if refusal:
            raise ValidationError(f"A FINAL version cannot be regenerated: {refusal}.")
    return _create(
        actor=actor,
        spec=spec,
        content_type=document.content_type,
        record_id=document.record_id,
        period=document.period,
        status=document.status,
        snapshot=document.snapshot,
        now=now,
        regenerated_from=document,
    )


def _set_progress(document_id: int, value: int) -> None:
    # A plain UPDATE: progress is not a change worth an audit event, and never touches a done row.
    GeneratedDocument.objects.filter(pk=document_id).exclude(state=GeneratedDocument.State.DONE).update(
        progress=max(0, min(99, value))
    )


def generate_document(*, document_id: int, now: datetime) -> GeneratedDocument:
    """Render a queued document and store the file with its SHA-256 (the task's body).

    Safe to run twice: a document already done is returned as it is. A failure is recorded on the row
    (state failed, the error) rather than raised, so the page can say what went wrong.
    """
    from .rendering import render_document

    document = GeneratedDocument.objects.get(pk=document_id)
    if document.is_done:
        return document
    GeneratedDocument.objects.filter(pk=document_id).update(
        state=GeneratedDocument.State.RUNNING, started_at=now, progress=5, error=""
    )
    document.refresh_from_db()
    spec = get_spec(document.kind)
    try:
        if document.status == GeneratedDocument.Status.FINAL and spec.approval_check:
            refusal = spec.approval_check(document.snapshot)
            if refusal:
                raise ValidationError(f"not rendered as FINAL: {refusal}")
        rendered = render_document(
            document, generated_at=now, progress=lambda v: _set_progress(document_id, v)
        )
    except Exception as exc:  # the worker records every failure on the row for the page to show
        message = (
            "; ".join(exc.messages) if isinstance(exc, ValidationError) else f"{type(exc).__name__}: {exc}"
        )
        GeneratedDocument.objects.filter(pk=document_id).update(
            state=GeneratedDocument.State.FAILED, error=message[:2000]
        )
        record_action(actor=None, verb="document_failed", obj=document, details={"error": message[:500]})
        document.refresh_from_db()
        return document
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().get(pk=document_id)
        if document.is_done:  # a second worker finished first
            return document
        document.file.save(rendered.filename, ContentFile(rendered.content), save=False)
        document.filename = rendered.filename
        document.media_type = rendered.media_type
        document.sha256 = hashlib.sha256(rendered.content).hexdigest()
        document.size = len(rendered.content)
        document.generated_at = now
        document.state = GeneratedDocument.State.DONE
        document.progress = 100
        document.full_clean()
        document.save()
        record_action(
            actor=None,
            verb="document_generated",
            obj=document,
            details={"sha256": document.sha256, "size": document.size, "file": document.filename},
        )
    return document


class StoredFileAltered(Exception):
    """The stored file is missing or no longer has the SHA-256 recorded when it was generated."""


def take_copy(*, actor, document: GeneratedDocument) -> bytes:
    """The document's bytes for a download, recorded in the audit trail (who took a copy, and which bytes).
    Bytes that differ from what was generated and recorded are never handed out: StoredFileAltered."""
    try:
        with document.file.open("rb") as handle:
            content = handle.read()
    except OSError as exc:
        raise StoredFileAltered(f"{document.reference}: the stored file is missing.") from exc
    if hashlib.sha256(content).hexdigest() != document.sha256:
        raise StoredFileAltered(f"{document.reference}: the stored file does not match its recorded SHA-256.")
    record_action(actor=actor, verb="download_document", obj=document, details={"sha256": document.sha256})
    return content


def _logo_type(head: bytes) -> str | None:
    for magic, media_type in LOGO_TYPES.items():
        if head.startswith(magic):
            return media_type
    return None


@transaction.atomic
def update_branding(
    *, actor, legend_override: str, logo=None, remove_logo: bool = False, now: datetime
) -> Branding:
    """Set the letterhead: the legend override (empty = the company's legend) and a PNG or JPEG logo.

    Logos are stored by SHA-256 and never deleted, so documents already generated (and regenerated from
    their snapshots) keep printing the logo they were made with.
    """
    if not has_capability(actor, "accounts.manage"):
        raise PermissionDenied("Only administrators set the document branding.")
    branding, _ = Branding.objects.select_for_update().get_or_create(id=1)
    branding.legend_override = legend_override.strip()
    if remove_logo:
        branding.logo = ""
        branding.logo_sha256 = ""
        branding.logo_media_type = ""
    elif logo is not None:
        if logo.size > LOGO_MAX_BYTES:
            raise ValidationError("The logo is larger than 1 MB.")
        content = logo.read()
        media_type = _logo_type(content[:16])
        if media_type is None:
            raise ValidationError("The logo must be a PNG or JPEG image.")
        branding.logo_sha256 = hashlib.sha256(content).hexdigest()
        branding.logo_media_type = media_type
        extension = "png" if media_type == "image/png" else "jpg"
        branding.logo.save(f"logo.{extension}", ContentFile(content), save=False)
    branding.updated_at = now
    branding.updated_by = actor
    return save_audited(branding, actor=actor)
