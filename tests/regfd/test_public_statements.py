"""The library of public statements (docs/regfd-rules §2.9): adding a statement from its file (PDF, HTML,
text) with its text read and the file kept as its attachment; the refusals, which save nothing; the search on
SQLite (every word must appear, whatever its case); attaching statements to an incident as evidence and
removing them only by voiding; and counsel's conclusion citing them."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from compliance_site.attachments.models import Attachment
from compliance_site.audit.models import AuditEvent
from compliance_site.audit.voiding import RecordNotDeletable
from compliance_site.lib.document_text import extract_text
from regfd.models import ConclusionCitation, Incident, PublicStatement, StatementEvidence
from regfd.selectors_statements import (
    search_statements,
    search_terms,
    snippets,
    statements_visible_to,
    uses_full_text_search,
)
from regfd.services import conclude_materiality
from regfd.services import public_statements as services
from tests.regfd.statements_setup import (
    GUIDANCE_TEXT,
    WHERE,
    add_statement,
    blank_pdf,
    pdf_bytes,
    upload,
)

pytestmark = pytest.mark.django_db
# The search without full text (tests/regfd/test_public_statements_postgres.py has PostgreSQL's).
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's search (make test)")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def statement_from(actor, name: str, content, **fields) -> PublicStatement:
    now = timezone.now()
    return services.import_public_statement(
        actor=actor,
        now=now,
        file=upload(name, content),
        kind=fields.pop("kind", PublicStatement.Kind.PRESS_RELEASE),
        published_at=fields.pop("published_at", now - timedelta(days=1)),
        where_published=fields.pop("where_published", WHERE),
        **fields,
    )


# ---- Adding a statement from its file ----------------------------------------------------------------------


def test_a_text_file_is_read_and_kept_as_the_statements_attachment_with_its_sha256(users, settings):
    content = "Gross margin was 41 percent.\r\n\r\n\r\nBacklog grew in the quarter.  \n"
    statement = statement_from(users["secretary"], "transcript.txt", content, title="  Q3   call ")

    assert statement.title == "Q3 call"
    assert statement.text == "Gross margin was 41 percent.\n\nBacklog grew in the quarter."
    assert statement.text_sha256 == hashlib.sha256(statement.text.encode()).hexdigest()
    attachment = statement.source_file
    assert attachment.record == statement and attachment.original_name == "transcript.txt"
    assert attachment.sha256 == hashlib.sha256(content.encode()).hexdigest()
    assert attachment.kind == Attachment.Kind.PRESS_RELEASE and attachment.uploaded_by == users["secretary"]
    assert [path.name for path in stored_files(settings)] == ["transcript.txt"]
    # On the audit trail: the statement's creation, without its text (its SHA-256 instead), then its file.
    created = AuditEvent.objects.get(
        object_type="regfd.publicstatement", object_id=str(statement.pk), action=AuditEvent.Action.CREATE
    )
    assert "text" not in created.changes and created.changes["text_sha256"] == [None, statement.text_sha256]
    assert created.actor == users["secretary"]


def test_a_pdf_is_read_with_pypdf_and_its_own_title_used_when_none_is_given(users):
    pdf = pdf_bytes(
        "<html><head><title>Allient updates its outlook</title></head><body>"
        "<p>Full-year revenue guidance would be lowered.</p><p>Gross margin is unchanged.</p></body></html>"
    )
    statement = statement_from(users["secretary"], "release.pdf", pdf, kind=PublicStatement.Kind.FORM_8K)

    assert "Full-year revenue guidance would be lowered." in statement.text
    assert "Gross margin is unchanged." in statement.text
    assert statement.title == "Allient updates its outlook"
    assert statement.source_file.media_type == "application/pdf"
    assert statement.source_file.kind == Attachment.Kind.FILING


def test_an_html_page_is_read_without_its_scripts_and_styles(users):
    page = (
        "<!doctype html><html><head><title>Outlook &amp; guidance</title><style>p{color:red}</style>"
        '<script>var tracking = "hidden words";</script></head><body><nav>Investors</nav>'
        "<p>Revenue guidance would be <b>lowered</b>\nto $1.84 billion.</p><script>alert(1)</script>"
        "<noscript>Enable scripts</noscript><ul><li>Europe</li><li>Asia</li></ul></body></html>"
    )
    statement = statement_from(users["counsel"], "outlook.html", page, kind=PublicStatement.Kind.WEBSITE)

    assert (
        statement.text == "Investors\n\nRevenue guidance would be lowered to $1.84 billion.\n\nEurope\n\nAsia"
    )
    assert "hidden words" not in statement.text and "color" not in statement.text
    assert "alert" not in statement.text and "Enable scripts" not in statement.text
    assert statement.title == "Outlook & guidance"
    assert statement.source_file.media_type == "text/html"


def test_without_a_title_the_files_name_is_used():
    assert extract_text(b"Plain words.", name="notes.txt", max_chars=100).title == ""


def test_a_statement_without_a_title_of_its_own_takes_the_files_name(users):
    statement = statement_from(users["secretary"], "q3-call.txt", "Plain words.")
    assert statement.title == "q3-call"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t \n", "no text"),
        ("latin1.txt", "Caf\u00e9 guidance".encode("latin-1"), "not UTF-8"),
        ("latin1.html", "<p>Caf\u00e9</p>".encode("latin-1"), "not UTF-8"),
        ("scripts-only.html", b"<script>var a = 1;</script><style>p{}</style>", "no text"),
        ("fake.pdf", b"<html>not a pdf</html>", "not a valid .pdf file"),
        ("damaged.pdf", b"%PDF-1.7\n1 0 obj <</Type /Catalog", "cannot be read"),
        ("scan.pdf", "blank", "No text could be read"),
        ("memo.docx", b"PK\x03\x04 a word document", "Upload a PDF"),
        ("binary.txt", b"text\x00with a NUL", "not text"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_and_nothing_is_saved(users, settings, name, content, message):
    content = blank_pdf() if content == "blank" else content
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        statement_from(users["secretary"], name, content)
    assert list(refused.value.message_dict) == ["file"]
    assert message in " ".join(refused.value.message_dict["file"])
    assert PublicStatement.all_objects.count() == 0 and Attachment.objects.count() == 0
    assert AuditEvent.objects.count() == events
    assert stored_files(settings) == []


def test_an_oversized_file_or_text_is_refused(users, settings, monkeypatch):
    settings.ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="larger than 100"):
        statement_from(users["secretary"], "big.txt", "word " * 50)
    settings.ATTACHMENT_MAX_BYTES = 10_000
    monkeypatch.setattr(services, "STATEMENT_TEXT_MAX", 40)
    with pytest.raises(ValidationError, match="longer than 40 characters"):
        statement_from(users["secretary"], "long.txt", "word " * 50)
    assert PublicStatement.all_objects.count() == 0 and stored_files(settings) == []


def test_control_characters_of_a_pdf_text_layer_are_not_stored():
    extracted = extract_text(b"Guidance\x00 would\x0c be\x1b lowered", name="a.txt", max_chars=100)
    assert extracted.text == "Guidance would be lowered"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("published_at", "future", "in the future"),
        ("published_at", "naive", "with its zone"),
        ("where_published", "  ", "where it was published"),
        ("kind", "tweet", "kind of statement"),
    ],
)
def test_the_statements_facts_are_checked(users, field, value, message):
    now = timezone.now()
    values = {"future": now + timedelta(hours=1), "naive": now.replace(tzinfo=None)}
    fields = {field: values.get(value, value)}
    with pytest.raises(ValidationError, match=message):
        statement_from(users["secretary"], "release.txt", "Words.", **fields)
    assert PublicStatement.all_objects.count() == 0


@pytest.mark.parametrize("role", ["employee", "auditor", "board", "officer", "committee"])
def test_only_the_secretary_counsel_and_administrators_keep_the_library(users, role):
    with pytest.raises(PermissionDenied):
        add_statement(users[role])
    for keeper in ("secretary", "counsel", "admin"):
        add_statement(users[keeper])
    assert PublicStatement.objects.count() == 3


def test_the_library_is_read_by_the_programs_officers_only(users):
    add_statement(users["secretary"])
    readers = {role for role in users if statements_visible_to(users[role]).exists()}
    # committee2 sits on the Board too.
    assert readers == {"admin", "board", "committee2", "secretary", "officer", "counsel", "auditor"}


# ---- Search on SQLite: every word must appear, whatever its case -------------------------------------------


@pytest.fixture
def library(users):
    now = timezone.now()
    secretary = users["secretary"]
    return {
        "guidance": add_statement(secretary, published_at=now - timedelta(days=3)),
        "transcript": add_statement(
            secretary,
            text="Operator: welcome. CFO: gross margin was 41 percent; guidance is unchanged.",
            title="Q3 earnings call transcript",
            kind=PublicStatement.Kind.TRANSCRIPT,
            published_at=now - timedelta(days=30),
        ),
        "contract": add_statement(
            secretary,
            text="A multi-year supply contract with Navix.",
            title="Navix contract",
            published_at=now - timedelta(days=1),
        ),
    }


def found(user, **params) -> list[str]:
    return [s.title for s in search_statements(statements_visible_to(user), **params)]


@sqlite_only
def test_sqlite_is_searched_without_full_text(library):
    assert not uses_full_text_search(PublicStatement.objects.all())


def test_every_word_must_appear_whatever_its_case(users, library):
    secretary = users["secretary"]
    assert found(secretary, q="GUIDANCE lowered") == ["Allient updates its outlook"]
    assert found(secretary, q="guidance") == ["Allient updates its outlook", "Q3 earnings call transcript"]
    assert found(secretary, q="guidance dividend") == []
    # A word of the title counts too, and punctuation around a word is not part of it.
    assert found(secretary, q="'navix,' contract.") == ["Navix contract"]


def test_without_a_query_the_latest_statements_come_first_and_a_kind_filters(users, library):
    secretary = users["secretary"]
    assert found(secretary) == [
        "Navix contract",
        "Allient updates its outlook",
        "Q3 earnings call transcript",
    ]
    assert found(secretary, kind=PublicStatement.Kind.TRANSCRIPT) == ["Q3 earnings call transcript"]


def test_a_quoted_phrase_is_one_term():
    assert search_terms('"gross  margin" lowered, ($1.84') == ["gross margin", "lowered", "1.84"]


def test_a_voided_statement_is_no_longer_found(users, library):
    services.void_public_statement(
        actor=users["secretary"], statement=library["contract"], reason="Wrong file", now=timezone.now()
    )
    assert found(users["secretary"], q="navix") == []
    assert PublicStatement.all_objects.get(pk=library["contract"].pk).void_reason == "Wrong file"
    with pytest.raises(RecordNotDeletable):
        library["contract"].delete()


@sqlite_only
def test_a_snippet_shows_the_text_around_the_words_found_marked(users, library):
    guidance = library["guidance"]
    parts = snippets([guidance], "Guidance LOWERED")[guidance.pk]
    assert [text for text, hit in parts if hit] == ["guidance", "lowered"]
    assert "".join(text for text, _ in parts) == GUIDANCE_TEXT
    assert snippets([guidance], "") == {}


@sqlite_only
def test_a_snippet_of_a_long_text_shows_whole_words_around_the_match(users):
    text = "alphabet " * 60 + "Guidance would be lowered " + "omegas " * 80
    statement = add_statement(users["secretary"], text=text)
    parts = snippets([statement], "guidance")[statement.pk]
    shown = "".join(part for part, _ in parts)
    assert shown.startswith("… alphabet ") and shown.endswith(" omegas …")
    assert [part for part, hit in parts if hit] == ["Guidance"]
    assert len(shown) < 400


# ---- Evidence on an incident ---------------------------------------------------------------------------


@pytest.fixture
def statement(users):
    return add_statement(users["secretary"])


def attach(user, incident, statement, note="Same guidance cut") -> StatementEvidence:
    return services.attach_public_statement(
        actor=user, now=timezone.now(), incident=incident, statement=statement, note=note
    )


def test_a_statement_is_attached_once_with_who_when_and_the_note(users, incident, statement):
    evidence = attach(users["counsel"], incident, statement, note="  The  release says it.  ")
    assert (evidence.attached_by, evidence.note) == (users["counsel"], "The release says it.")
    assert list(incident.statement_evidence.all()) == [evidence]
    assert AuditEvent.objects.filter(object_type="regfd.statementevidence", action="create").count() == 1
    with pytest.raises(ValidationError, match="already attached"):
        attach(users["secretary"], incident, statement)
    with pytest.raises(PermissionDenied):
        attach(users["auditor"], incident, statement)


def test_evidence_is_removed_only_by_voiding_with_a_reason_and_may_be_attached_again(
    users, incident, statement
):
    evidence = attach(users["secretary"], incident, statement)
    with pytest.raises(ValidationError, match="Say why"):
        services.void_statement_evidence(
            actor=users["secretary"], evidence=evidence, reason=" ", now=timezone.now()
        )
    services.void_statement_evidence(
        actor=users["secretary"], evidence=evidence, reason="Says something else", now=timezone.now()
    )
    assert not incident.statement_evidence.exists()
    voided = StatementEvidence.all_objects.get(pk=evidence.pk)
    assert voided.voided_by == users["secretary"] and voided.void_reason == "Says something else"
    with pytest.raises(RecordNotDeletable):
        voided.delete()
    assert attach(users["secretary"], incident, statement).pk != evidence.pk


def test_a_statement_attached_to_an_incident_cannot_be_voided(users, incident, statement):
    evidence = attach(users["secretary"], incident, statement)
    with pytest.raises(ValidationError, match=incident.reference):
        services.void_public_statement(
            actor=users["secretary"], statement=statement, reason="Mistake", now=timezone.now()
        )
    services.void_statement_evidence(
        actor=users["secretary"], evidence=evidence, reason="Unrelated", now=timezone.now()
    )
    services.void_public_statement(
        actor=users["secretary"], statement=statement, reason="Mistake", now=timezone.now()
    )
    with pytest.raises(ValidationError, match="voided"):
        attach(users["secretary"], incident, PublicStatement.all_objects.get(pk=statement.pk))


# ---- Counsel's conclusion cites them -------------------------------------------------------------------


def conclude(users, incident, conclusion, statements=(), rationale="Said before on the release."):
    return conclude_materiality(
        actor=users["counsel"],
        now=timezone.now(),
        incident=incident,
        conclusion=conclusion,
        rationale=rationale,
        cited_statements=statements,
    )


def test_counsel_concludes_already_public_citing_a_statement_made_public_before_the_disclosure(
    users, incident, statement
):
    attach(users["secretary"], incident, statement)
    conclude(users, incident, Incident.CounselConclusion.ALREADY_PUBLIC, [statement, statement])

    incident.refresh_from_db()
    assert incident.counsel_conclusion == Incident.CounselConclusion.ALREADY_PUBLIC
    assert list(incident.counsel_cited_statements.all()) == [statement]
    assert not incident.presumed_material
    citation = AuditEvent.objects.get(object_type="regfd.conclusioncitation", action="create")
    assert citation.actor == users["counsel"]


def test_a_conclusion_cites_only_statements_attached_to_the_incident(users, incident, statement):
    with pytest.raises(ValidationError) as refused:
        conclude(users, incident, Incident.CounselConclusion.ALREADY_PUBLIC, [statement])
    assert "Attach it to the incident" in refused.value.message_dict["cited_statements"][0]
    incident.refresh_from_db()
    assert incident.counsel_conclusion == Incident.CounselConclusion.PENDING


def test_already_public_cannot_rest_on_a_statement_made_public_after_the_disclosure(users, incident):
    later = add_statement(users["secretary"], published_at=incident.disclosed_at + timedelta(minutes=30))
    attach(users["secretary"], incident, later)
    with pytest.raises(ValidationError, match="Published after the disclosure"):
        conclude(users, incident, Incident.CounselConclusion.ALREADY_PUBLIC, [later])
    # The same statement may be cited by another conclusion (the release that made it public, say).
    conclude(users, incident, Incident.CounselConclusion.MATERIAL, [later])
    assert list(incident.counsel_cited_statements.all()) == [later]


def test_a_statement_made_public_at_the_disclosures_very_instant_counts_as_before(users, incident):
    same = add_statement(users["secretary"], published_at=incident.disclosed_at)
    attach(users["secretary"], incident, same)
    conclude(users, incident, Incident.CounselConclusion.ALREADY_PUBLIC, [same])
    assert list(incident.counsel_cited_statements.all()) == [same]


def test_a_revised_conclusion_replaces_its_citations_and_the_trail_keeps_the_old_ones(
    users, incident, statement
):
    other = add_statement(users["secretary"], title="Q3 call", text="Guidance would be lowered, we said.")
    attach(users["secretary"], incident, statement)
    attach(users["secretary"], incident, other)
    conclude(users, incident, Incident.CounselConclusion.ALREADY_PUBLIC, [statement, other])
    conclude(users, incident, Incident.CounselConclusion.ALREADY_PUBLIC, [other], rationale="The call.")

    assert list(incident.counsel_cited_statements.all()) == [other]
    deleted = AuditEvent.objects.get(object_type="regfd.conclusioncitation", action=AuditEvent.Action.DELETE)
    assert deleted.changes["statement_id"] == [statement.pk, None] and deleted.actor == users["counsel"]
    conclude(users, incident, Incident.CounselConclusion.MATERIAL, rationale="Not the same information.")
    assert not ConclusionCitation.objects.exists()


def test_evidence_a_conclusion_cites_cannot_be_removed_until_the_conclusion_no_longer_cites_it(
    users, incident, statement
):
    evidence = attach(users["secretary"], incident, statement)
    conclude(users, incident, Incident.CounselConclusion.ALREADY_PUBLIC, [statement])
    with pytest.raises(ValidationError, match="cites this statement"):
        services.void_statement_evidence(
            actor=users["secretary"], evidence=evidence, reason="Mistake", now=timezone.now()
        )
    conclude(users, incident, Incident.CounselConclusion.MATERIAL, rationale="Reconsidered.")
    services.void_statement_evidence(
        actor=users["secretary"], evidence=evidence, reason="Mistake", now=timezone.now()
    )
    assert not incident.statement_evidence.exists()


def test_the_attachment_of_a_statement_is_visible_with_the_statement(users, statement):
    from compliance_site.accounts.visibility import can_view

    content_type = ContentType.objects.get_for_model(PublicStatement)
    attachment = Attachment.objects.get(content_type=content_type, object_id=str(statement.pk))
    assert can_view(users["auditor"], attachment.record)
    assert not can_view(users["employee"], attachment.record)
