from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from compliance_site.audit.recorder import register
from compliance_site.db import check, user_ref


def _upload_to(instance, filename):
    # Content-addressed folders; the storage adds a suffix rather than overwrite an existing file.
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}/{filename}"


@register
class Attachment(models.Model):
    """Evidence attached to a regulated record (plan documents, opinions, press releases...).

    Stored outside the web root and served only through a view that checks the user may see the record.
    Never overwritten: uploading a corrected file creates a new version that supersedes the old one.
    """

    class Kind(models.TextChoices):
        EVIDENCE = "evidence", "Evidence"
        PLAN_DOCUMENT = "plan_document", "Plan document"
        AWARD_AGREEMENT = "award_agreement", "Award agreement"
        OPINION = "opinion", "Opinion of counsel"
        PRESS_RELEASE = "press_release", "Press release"
        FILING = "filing", "SEC filing"
        MINUTES = "minutes", "Minutes or resolution"
        OTHER = "other", "Other"

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    record = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.EVIDENCE)
    description = models.CharField(max_length=300, blank=True)
    file = models.FileField(upload_to=_upload_to, max_length=400)
    original_name = models.CharField(max_length=255)
    media_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = user_ref(null=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_record_idx")]
        constraints = [
            check(
                models.Q(version__gte=1),
                name="attachment_version_positive",
                message="A version number starts at 1.",
            )
        ]

    def __str__(self):
        return f"{self.original_name} (v{self.version})"

    @property
    def is_current(self) -> bool:
        return not hasattr(self, "superseded_by")
