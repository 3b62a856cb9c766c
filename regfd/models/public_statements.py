"""The library of what the company has already made public, and the incidents that cite it
(docs/regfd-rules §2.9): information already public is not "nonpublic" (Regulation FD 243.101), so after a
slip the first question is whether the words were already in a press release, a filing, a call or the
website."""

from django.contrib.postgres.search import SearchVector
from django.db import models

from compliance_site.audit.recorder import register
from compliance_site.audit.voiding import Voidable, live_unique
from compliance_site.db import unique, user_ref

# The longest text a statement keeps: a 10-K's text runs to some 600,000 characters.
STATEMENT_TEXT_MAX = 1_000_000
# The full-text configuration: English stemming ("lowered" finds "lowering") and stop words.
SEARCH_CONFIG = "english"


def search_vector() -> SearchVector:
    """The words of a statement as PostgreSQL indexes them: its title, then its text. The search
    (regfd.selectors_statements) and the index below are built from this one expression, so the query is the
    index's own expression and PostgreSQL uses the index."""
    return SearchVector("title", "text", config=SEARCH_CONFIG)


class PostgresFullTextIndex(models.Index):
    """A GIN index on an expression, built on PostgreSQL only: SQLite (`make test`, `make run`) has no GIN
    and no tsvector, and searches there without an index (regfd.selectors_statements)."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return _Skipped()
        return super().create_sql(model, schema_editor, using=" USING gin", **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return _Skipped()
        return super().remove_sql(model, schema_editor, **kwargs)


class _Skipped(str):
    """The statement a schema editor runs instead of an index other databases cannot build: an SQL comment.
    A str, so the schema editor's deferred statements can still be renamed and compared."""

    def __new__(cls):
        return super().__new__(cls, "-- full-text index: PostgreSQL only")

    def references_table(self, table):
        return False

    def references_column(self, table, column):
        return False

    def rename_table_references(self, old_table, new_table):
        pass

    def rename_column_references(self, table, old_column, new_column):
        pass


@register(exclude=("text",))
class PublicStatement(Voidable):
    """A statement the company made public: a press release, the text of a Form 8-K, 10-Q or 10-K, a call's
    transcript, a webcast, a website posting; with when and where it was published, its text (read from the
    uploaded file, which is kept as the statement's attachment) and who added it. Searched for information
    a selective disclosure repeated (docs/regfd-rules §2.9).

    The text is not diffed on the audit trail (it can run to a million characters): its SHA-256 is, and the
    source file's own SHA-256 is on its attachment. Voided, never deleted, when added by mistake."""

    class Kind(models.TextChoices):
        PRESS_RELEASE = "press_release", "Press release"
        FORM_8K = "form_8k", "Form 8-K"
        FORM_10Q = "form_10q", "Form 10-Q"
        FORM_10K = "form_10k", "Form 10-K"
        TRANSCRIPT = "transcript", "Call transcript"
        WEBCAST = "webcast", "Webcast"
        WEBSITE = "website", "Website posting"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    published_at = models.DateTimeField(help_text="When the statement became public.")
    where_published = models.CharField(
        max_length=500, help_text="The URL, or the filing's reference (e.g. its SEC accession number)."
    )
    text = models.TextField(max_length=STATEMENT_TEXT_MAX)
    text_sha256 = models.CharField(max_length=64)
    source_file = models.ForeignKey(
        "attachments.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_by = user_ref()
    # Set by import_public_statement from the request's `now`.
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="publicstatement_published_idx"),
            PostgresFullTextIndex(search_vector(), name="publicstatement_search_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def url(self) -> str:
        """Where it was published, when that is a web address (a page links it); "" for a filing reference."""
        return self.where_published if self.where_published.startswith(("https://", "http://")) else ""


@register
class StatementEvidence(Voidable):
    """A public statement attached to an incident as evidence that its information was already public
    (docs/regfd-rules §2.9): who attached it, when, and why (the note). Removed only by voiding, with the
    reason; the voided link stays on the incident's page and in its history."""

    incident = models.ForeignKey(
        "regfd.Incident", on_delete=models.PROTECT, related_name="statement_evidence"
    )
    statement = models.ForeignKey(PublicStatement, on_delete=models.PROTECT, related_name="evidence")
    note = models.CharField(max_length=1000, blank=True, help_text="What in the statement matches.")
    attached_by = user_ref()
    attached_at = models.DateTimeField()

    class Meta:
        ordering = ["attached_at", "id"]
        constraints = [
            live_unique(
                "incident",
                "statement",
                name="statementevidence_once_per_incident",
                message="This statement is already attached to the incident.",
            )
        ]

    def __str__(self):
        return f"{self.statement.title} ({self.incident.reference})"


@register
class ConclusionCitation(models.Model):
    """A public statement counsel's materiality conclusion cites (Incident.counsel_cited_statements): one of
    the statements attached to the incident as evidence. A revised conclusion replaces its citations; the
    ones it replaced stay on the audit trail and in the row history."""

    incident = models.ForeignKey("regfd.Incident", on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(PublicStatement, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [
            unique(
                "incident",
                "statement",
                name="conclusioncitation_once",
                message="The conclusion already cites this statement.",
            )
        ]

    def __str__(self):
        return f"Cited: {self.statement.title} ({self.incident.reference})"
