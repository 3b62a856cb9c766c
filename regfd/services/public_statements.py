"""The library of the company's public statements, and statements attached to incidents as evidence that the
information was already public (docs/regfd-rules §2.9). Each business action is one function, called by
the pages, the API and the demo alike.

Keeping the library and attaching from it is the capability regfd.statements (the Corporate Secretary,
counsel and administrators), checked here too: the services are the one door to these records.
"""

import hashlib
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from compliance_site.accounts.permissions import has_capability
from compliance_site.attachments.models import Attachment
from compliance_site.attachments.services import add_attachment, validate_upload
from compliance_site.audit.recorder import audit_context
from compliance_site.audit.voiding import void_record
from compliance_site.lib.document_text import TextExtractionError, extract_text, format_of
from compliance_site.lib.timefmt import EXCHANGE_TZ, label

from ..models import ConclusionCitation, Incident, PublicStatement, StatementEvidence
from ..models.public_statements import STATEMENT_TEXT_MAX
from .common import require_aware, require_past, require_text, save

CAPABILITY = "regfd.statements"
# How the source file is filed among the statement's attachments.
_ATTACHMENT_KIND = {
    PublicStatement.Kind.PRESS_RELEASE: Attachment.Kind.PRESS_RELEASE,
    PublicStatement.Kind.FORM_8K: Attachment.Kind.FILING,
    PublicStatement.Kind.FORM_10Q: Attachment.Kind.FILING,
    PublicStatement.Kind.FORM_10K: Attachment.Kind.FILING,
}
_TITLE_MAX = PublicStatement._meta.get_field("title").max_length
# PostgreSQL's "string is too long for tsvector" (its class 54, program limit exceeded).
PROGRAM_LIMIT_EXCEEDED = "54000"
TOO_MANY_WORDS = "The document has too many distinct words to be indexed for search: split it into parts."


def _require_capability(actor) -> None:
    if not has_capability(actor, CAPABILITY):
        raise PermissionDenied("Only the Corporate Secretary, counsel or an administrator keeps the library.")


def _sqlstate(exc: DatabaseError) -> str:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None) or ""


def _when(instant: datetime) -> str:
    return label(instant, EXCHANGE_TZ)


# ---- The library ----------------------------------------------------------------------------------------


@transaction.atomic
def import_public_statement(
    *,
    actor,
    now: datetime,
    file,
    kind: str,
    published_at: datetime,
    where_published: str,
    title: str = "",
) -> PublicStatement:
    """Add a public statement to the library from its file: a PDF, an HTML page or a UTF-8 text file. Its
    text is read from the file (compliance_site.lib.document_text) and stored to be searched; the file is kept
    as the statement's attachment, with its SHA-256. Without a title, the document's own title (or the file's
    name) is used. A file that cannot be read is refused and nothing is saved."""
    _require_capability(actor)
    require_aware(published_at, "published_at")
    require_past(published_at, "published_at", now=now)
    if kind not in PublicStatement.Kind.values:
        raise ValidationError({"kind": "Choose the kind of statement."})
    require_text(
        where_published, "where_published", "Say where it was published: a URL or a filing reference."
    )
    if file is None:
        raise ValidationError({"file": "Choose the statement's file: a PDF, a web page or a text file."})
    if format_of(file.name) is None:
        raise ValidationError(
            {"file": "Upload a PDF (.pdf), a web page (.html, .htm) or a text file (.txt)."}
        )
    try:
        name, _media_type = validate_upload(file)  # the attachment's own rules: size, type, contents
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        extracted = extract_text(data, name=name, max_chars=STATEMENT_TEXT_MAX)
    except TextExtractionError as exc:
        raise ValidationError({"file": str(exc)}) from None
    title = " ".join((title or "").split()) or extracted.title or name.rsplit(".", 1)[0]
    statement = PublicStatement(
        kind=kind,
        title=title[:_TITLE_MAX],
        published_at=published_at,
        where_published=where_published.strip(),
        text=extracted.text,
        text_sha256=hashlib.sha256(extracted.text.encode()).hexdigest(),
        added_by=actor,
        added_at=now,
    )
    try:
        # PostgreSQL indexes every distinct word; a text of too many of them (a table of figures) exceeds
        # what one row's index entry holds, and the insert fails: refused in words, in its own savepoint.
        with transaction.atomic():
            save(statement, actor=actor)
    except DatabaseError as exc:
        if _sqlstate(exc) != PROGRAM_LIMIT_EXCEEDED:
            raise
        raise ValidationError({"file": TOO_MANY_WORDS}) from None
    attachment = add_attachment(
        actor=actor,
        record=statement,
        uploaded=file,
        kind=_ATTACHMENT_KIND.get(kind, Attachment.Kind.EVIDENCE),
        description="The source of this public statement",
    )
    try:
        statement.source_file = attachment
        save(statement, actor=actor)
    except Exception:
        attachment.file.delete(save=False)  # the transaction rolls back: leave no file behind either
        raise
    return statement


@transaction.atomic
def void_public_statement(
    *, actor, statement: PublicStatement, reason: str, now: datetime
) -> PublicStatement:
    """Void a statement added to the library by mistake, with the reason. Refused while it is attached to an
    incident as evidence: that link is voided first (docs/architecture.md, "Voiding")."""
    _require_capability(actor)
    statement = PublicStatement.all_objects.select_for_update().get(pk=statement.pk)
    attached = list(
        StatementEvidence.objects.filter(statement=statement).select_related("incident").order_by("id")
    )
    if attached:
        references = ", ".join(sorted({link.incident.reference for link in attached}))
        raise ValidationError(
            f"This statement is attached as evidence to {references}: remove it from the incident first."
        )
    return void_record(statement, actor=actor, reason=reason, now=now)


# ---- Evidence on an incident ----------------------------------------------------------------------------


@transaction.atomic
def attach_public_statement(
    *, actor, now: datetime, incident: Incident, statement: PublicStatement, note: str = ""
) -> StatementEvidence:
    """Attach a statement of the library to an incident as evidence that its information was already public
    (docs/regfd-rules §2.9), with a note saying what matches. Once per incident; a closed incident takes
    evidence too (counsel may conclude after it closed)."""
    _require_capability(actor)
    if statement.is_voided:
        raise ValidationError({"statement": "This statement was voided: it is no longer in the library."})
    evidence = StatementEvidence(
        incident=incident,
        statement=statement,
        note=" ".join((note or "").split()),
        attached_by=actor,
        attached_at=now,
    )
    return save(evidence, actor=actor)


@transaction.atomic
def void_statement_evidence(
    *, actor, evidence: StatementEvidence, reason: str, now: datetime
) -> StatementEvidence:
    """Remove a statement from an incident's evidence: voided with the reason, never deleted, so the incident
    keeps its history. Refused while counsel's conclusion cites the statement: the conclusion is revised
    first."""
    _require_capability(actor)
    evidence = StatementEvidence.all_objects.select_for_update().get(pk=evidence.pk)
    cited = ConclusionCitation.objects.filter(
        incident_id=evidence.incident_id, statement_id=evidence.statement_id
    )
    if cited.exists():
        raise ValidationError(
            "Counsel's conclusion cites this statement: counsel records a revised conclusion first."
        )
    return void_record(evidence, actor=actor, reason=reason, now=now)


# ---- Counsel's conclusion citing them -------------------------------------------------------------------


def check_citations(*, incident: Incident, conclusion: str, statements: Iterable[PublicStatement]) -> list:
    """The statements a conclusion on `incident` may cite, in order and once each: only statements attached
    to it as live evidence; and a conclusion that the information was already public cites only statements
    published before the selective disclosure (docs/regfd-rules §2.9). A ValidationError otherwise."""
    cited = list(dict.fromkeys(statements))
    attached = set(
        StatementEvidence.objects.filter(incident=incident, statement__voided_at__isnull=True).values_list(
            "statement_id", flat=True
        )
    )
    outside = [statement.title for statement in cited if statement.pk not in attached]
    if outside:
        names = "; ".join(outside)
        raise ValidationError({"cited_statements": f"Attach it to the incident before citing it: {names}."})
    if conclusion == Incident.CounselConclusion.ALREADY_PUBLIC:
        later = [s for s in cited if s.published_at > incident.disclosed_at]
        if later:
            names = "; ".join(f"{s.title} ({_when(s.published_at)})" for s in later)
            disclosed = _when(incident.disclosed_at)
            raise ValidationError(
                {
                    "cited_statements": f"Published after the disclosure ({disclosed}), so it cannot show "
                    f"the information was already public: {names}."
                }
            )
    return cited


def replace_citations(*, actor, incident: Incident, statements: list[PublicStatement]) -> None:
    """The conclusion's citations become `statements` (checked by `check_citations`): the ones it no longer
    cites are deleted (each on the audit trail and in the row history), the new ones added."""
    current = {
        citation.statement_id: citation for citation in ConclusionCitation.objects.filter(incident=incident)
    }
    wanted = [statement.pk for statement in statements]
    with audit_context(actor=actor):
        for statement_id, citation in current.items():
            if statement_id not in wanted:
                citation.delete()
    for statement in statements:
        if statement.pk not in current:
            save(ConclusionCitation(incident=incident, statement=statement), actor=actor)
