"""Generated documents (PDF, XLSX, DOCX, ZIP export bundles) and the branding printed on them."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from compliance_site.audit.recorder import register
from compliance_site.db import check, unique, user_ref


class ImmutableDocumentError(Exception):
    """A generated document is never changed once done: regenerating makes a new version."""


def _document_upload_to(instance, filename):
    # Outside the web root (MEDIA_ROOT); served only by the permission-checked download view.
    return f"documents/{instance.kind}/{instance.pk or 'new'}/{filename}"


class GeneratedDocument(models.Model):
    """One rendered version of a document about a record, with the snapshot it was rendered from.

    The snapshot is the plain JSON the template reads (nothing else is looked up while rendering), so a
    document re-rendered from the same snapshot has the same text. Rows are created `queued` by
    `request_document`, filled in by `render_document_task`, and never changed once `done`; regenerating
    makes a new version. A FINAL document is rendered only from an approved snapshot (a Determination with
    a live decision, or a record that is signed off).
    """

    class Kind(models.TextChoices):
        DETERMINATION = "clawback_determination", "Recovery determination for the Board"
        ESTIMATES = "clawback_estimates", "Reasonable-estimate documentation for the exchange"
        EVENT_STUDY = "clawback_event_study", "Event study report for the exchange"
        IMPRACTICABILITY = "clawback_impracticability", "Impracticability packet"
        DISCLOSURE_402W = "clawback_402w", "Item 402(w) disclosure table and narrative (PDF)"
        DISCLOSURE_402W_XLSX = "clawback_402w_xlsx", "Item 402(w) disclosure table (XLSX)"
        DISCLOSURE_402W_DOCX = "clawback_402w_docx", "Item 402(w) disclosure table and narrative (DOCX)"
        INCIDENT = "regfd_incident", "Reg FD incident record"
        QUARTERLY_LOG = "regfd_quarterly_log", "Quarterly Reg FD log"
        RESTATEMENT_BUNDLE = "bundle_restatement", "Auditor export bundle for a restatement"
        PERIOD_BUNDLE = "bundle_period", "Auditor export bundle for a Reg FD quarter"

    class Status(models.TextChoices):
        DRAFT = "draft", "DRAFT"
        FINAL = "final", "FINAL"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=40, choices=Kind.choices)
    title = models.CharField(max_length=300)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    record_id = models.PositiveBigIntegerField()
    period = models.CharField(
        max_length=20, blank=True, help_text="For period documents: a quarter (2026-Q3) or a fiscal year."
    )
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    regenerated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="regenerations"
    )
    file = models.FileField(upload_to=_document_upload_to, max_length=400, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    media_type = models.CharField(max_length=120, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    snapshot = models.JSONField(help_text="The data the document was rendered from.")
    snapshot_sha256 = models.CharField(max_length=64)
    requested_by = user_ref()
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "record_id", "kind"], name="document_record_idx"),
            # The list's order, newest first: the page reads 50 rows of the index instead of sorting them all.
            models.Index(fields=["-requested_at", "-id"], name="document_list_idx"),
            models.Index(
                fields=["requested_at"],
                condition=Q(state__in=["queued", "running"]),
                name="document_pending_idx",
            ),
        ]
        constraints = [
            unique(
                "kind",
                "content_type",
                "record_id",
                "period",
                "version",
                name="document_unique_version",
            ),
            check(
                Q(progress__lte=100),
                name="document_progress_at_most_100",
                message="Progress cannot pass 100%.",
            ),
            check(
                Q(version__gte=1),
                name="document_version_positive",
                message="A version number starts at 1.",
            ),
            check(
                ~Q(state="done") | (~Q(sha256="") & ~Q(file="") & Q(generated_at__isnull=False)),
                name="document_done_has_file_and_hash",
                message="A finished document needs its file and its SHA-256.",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title} v{self.version} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("state", flat=True).first()
            if stored == self.State.DONE:
                raise ImmutableDocumentError(f"{self.reference} is done and cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.state == self.State.DONE:
            raise ImmutableDocumentError(f"{self.reference} is done and cannot be deleted")
        return super().delete(*args, **kwargs)

    @property
    def reference(self) -> str:
        return f"DOC-{self.pk:06d}" if self.pk else "DOC-new"

    @property
    def is_done(self) -> bool:
        return self.state == self.State.DONE

    @property
    def is_pending(self) -> bool:
        return self.state in {self.State.QUEUED, self.State.RUNNING}


def _logo_upload_to(instance, filename):
    # Content-addressed and never deleted: a document snapshot names the logo by its SHA-256, so a
    # regeneration from the same snapshot prints the same logo even after a new one is uploaded.
    return f"branding/{instance.logo_sha256}/{filename}"


@register
class Branding(models.Model):
    """The letterhead of generated documents, set by an administrator (one row): a logo and a legend that,
    when given, replaces the company's confidentiality legend."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    logo = models.FileField(upload_to=_logo_upload_to, max_length=400, blank=True)
    logo_sha256 = models.CharField(max_length=64, blank=True)
    logo_media_type = models.CharField(max_length=40, blank=True)
    legend_override = models.CharField(
        max_length=300,
        blank=True,
        help_text="Confidentiality and privilege legend printed on every page; empty uses the company's.",
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = user_ref(optional=True)

    class Meta:
        verbose_name_plural = "branding"
        constraints = [
            check(
                Q(id=1),
                name="branding_singleton",
                message="There is one branding record.",
            )
        ]

    def __str__(self):
        return "Document branding"
